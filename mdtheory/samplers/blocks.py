"""Exact sampler laws of block-product data laws, and TV/KL of product laws without enumeration.

If the data law is a product of independent blocks (``copy_pairs``: ``d/2`` copies of
``copy(m, 2)``; ``product``; any law declared :class:`~mdtheory.law_structure.BlockProduct`),
the exact conditionals of a position depend only on its own block's revealed tokens.  The
per-token samplers (Euler, τ-leaping, ancestral) move tokens independently given those
conditionals, and the exact reverse kernel draws each block's revealed tokens from the
block's own conditional, so the output law is the **product of the block output laws**, each
computed on the block's small space by :mod:`mdtheory.samplers.masked` (the reference).
"Exact scores" here are the per-block conditionals (:func:`per_block_estimator`): they equal
the exact conditionals on the data support and keep each block's own conditional after the
sampler has left it (the full-space exact estimator then turns uniform everywhere).  TV and KL
against the data law are the same for both: they only see the data support, which is
reached only through on-support contexts.

Divergences of product laws ``P = ⊗_g p_g^{⊗n_g}``, ``Q = ⊗_g q_g^{⊗n_g}`` without the
``(m+1)^d`` states:

* ``KL(P‖Q) = Σ_g n_g·KL(p_g‖q_g)``;
* ``TV(P, Q) = Σ_x (P(x) − Q(x))_+``: group the block states with ``p > 0`` into classes of
  equal ``(p, q)``; a joint state is then described by its class counts ``k_g`` and
  ``TV = Σ_k Π_g multinom(n_g; k_g)·(Π p_c^{k_c} − Π q_c^{k_c})_+`` — a sum over count
  vectors (``C(n+K−1, K−1)`` terms per group), exact in rationals.

>>> from mdtheory.distributions import copy_pairs
>>> from mdtheory.samplers import euler
>>> r = block_product_law("euler", copy_pairs(2, 6), steps=4)
>>> r.tv() == euler(copy_pairs(2, 6), per_block_estimator(copy_pairs(2, 6)), steps=4).tv(), r.d
(True, 6)
"""

from __future__ import annotations

import math
from fractions import Fraction
from dataclasses import dataclass, field

from ..law_structure import BlockProduct, Exchangeable, StructureError, structure_of
from ..laws import Law
from ..tiers import Tier
from ._masked_core import SamplerError, SamplerResult
from . import masked as _masked

__all__ = ["block_product_law", "BlockProductResult", "per_block_estimator", "product_tv", "product_kl", "structured_law"]

SAMPLERS = {
    "euler": _masked.euler,
    "tau_leaping": _masked.tau_leaping,
    "ancestral": _masked.ancestral,
    "exact_reverse": _masked.exact_reverse,
}

#: most count-vector terms :func:`product_tv` will sum
MAX_TV_TERMS = 2_000_000


@dataclass
class BlockProductResult:
    """Exact output law of a sampler on a block-product data law: ``⊗_g (block result)^{⊗ n_g}``.

    ``blocks`` is a list of ``(SamplerResult, n_g)``: each block's exact output law on its own
    small masked space, with the block's data law attached.
    """

    blocks: list
    sampler: str
    info: dict = field(default_factory=dict)

    @property
    def tier(self) -> Tier:
        return self.blocks[0][0].tier

    @property
    def m(self) -> int:
        return self.blocks[0][0].data_law.space.m

    @property
    def d(self) -> int:
        return sum(r.data_law.space.d * n for r, n in self.blocks)

    @property
    def n_steps(self) -> int:
        return self.blocks[0][0].n_steps

    def _complement_product(self, attr: str):
        t = self.tier
        with t.active():
            keep = t.one
            for r, n in self.blocks:
                keep = keep * (t.one - getattr(r, attr)) ** n
            return t.one - keep

    @property
    def leftover_mask_mass(self):
        """Mass on states with a mask: ``1 − Π_g (1 − leftover_g)^{n_g}``."""
        return self._complement_product("leftover_mask_mass")

    @property
    def off_support_mass(self):
        """Mass whose revealed part has data probability 0: ``1 − Π_g (1 − off_g)^{n_g}``."""
        return self._complement_product("off_support_mass")

    def _pairs(self):
        out = []
        for r, n in self.blocks:
            data = r.data_law.to_masked().to_tier(r.tier)
            out.append((data, r.law, n))
        return out

    def tv(self):
        """``TV(data, output)`` on ``{0..m}^d``, exact (sum over class-count vectors)."""
        return product_tv(self._pairs())

    def kl(self, **kw):
        """``KL(data ‖ output) = Σ_g n_g·KL_g`` (options as :func:`~mdtheory.divergences.kl`)."""
        return product_kl([(r, n) for r, n in self.blocks], **kw)

    def full(self) -> SamplerResult:
        """The output law on the full space ``{0..m}^d`` (small ``d``: for cross-checks)."""
        import numpy as np

        from ..spaces import MaskedSpace, ProductSpace

        t = self.tier
        MaskedSpace(self.m, self.d).check_fits(t, copies=2)
        with t.active():
            arr = data = None
            for r, n in self.blocks:
                for _ in range(n):
                    arr = r.law.probs if arr is None else np.multiply.outer(arr, r.law.probs)
                    dp = r.data_law.to_tier(t).probs
                    data = dp if data is None else np.multiply.outer(data, dp)
        law = Law(MaskedSpace(self.m, self.d), arr, t, validate=False)
        data_law = Law(ProductSpace(self.m, self.d), data, t, validate=False)
        return SamplerResult(law, self.leftover_mask_mass, self.off_support_mass, t, self.sampler, self.n_steps,
                             data_law, dict(self.info))

    def __repr__(self) -> str:
        t = self.tier
        parts = " + ".join(f"{n}×(d={r.data_law.space.d})" for r, n in self.blocks)
        return (f"BlockProductResult({self.sampler}, m={self.m}, d={self.d} = {parts}, tier={t.describe()}, "
                f"n_steps={self.n_steps}, leftover_mask_mass={t.format(self.leftover_mask_mass)})")


def block_product_law(sampler: str, law, **kw) -> BlockProductResult:
    """Exact output law of ``sampler`` with exact scores on a block-product data law.

    ``law``: a Law whose constructor recorded a :class:`~mdtheory.law_structure.BlockProduct`
    (``copy_pairs``, ``product``), or a ``BlockProduct`` record (any ``d``: only blocks are
    built).  ``kw``: grid, clock, tier, ``final`` ... as :func:`mdtheory.samplers.euler`;
    estimators other than the exact one and user ``init`` laws are not block products in
    general and are refused.

    >>> from mdtheory.law_structure import BlockProduct
    >>> from mdtheory.distributions import copy
    >>> r = block_product_law("euler", BlockProduct.of([copy(2, 2)] * 256), steps=256)
    >>> r.d, r.tv() > 0
    (512, True)
    """
    if sampler not in SAMPLERS:
        raise SamplerError(f"sampler={sampler!r}; use one of {', '.join(SAMPLERS)}")
    for bad in ("estimator", "init"):
        if kw.get(bad) not in (None, "all_mask"):
            raise SamplerError(f"block_product_law uses exact per-block scores from the all-mask state; drop {bad}=")
    rec = structure_of(law)
    if not isinstance(rec, BlockProduct):
        raise StructureError(
            "block_product_law needs a block-product data law: copy_pairs/product, a law declared with "
            "law_structure.declare(law, BlockProduct.of(blocks)), or a BlockProduct record"
        )
    fn = SAMPLERS[sampler]
    done: list = []
    out = []
    for blaw, n in rec.blocks:
        res = None
        for other, r in done:
            if other is blaw:
                res = r
        if res is None:
            res = fn(blaw, **kw)
            done.append((blaw, res))
        out.append((res, n))
    return BlockProductResult(out, sampler, {"structure": rec.describe()})


def per_block_estimator(law) -> "MaskedEstimator":
    """The full-space estimator made of exact *per-block* conditionals (small ``d``; a reference).

    On the data support it is the exact estimator.  Off the support they differ: the
    full-space exact estimator gives every position the uniform convention once the revealed
    part has data probability 0, while per-block scores keep each block's own conditional
    (uniform only inside a block whose own context is off-support).  :func:`block_product_law`
    is the law of the samplers run with these scores.
    """
    from ..information import partial_marginal_table
    from ..masked_scores import from_callable

    rec = structure_of(law)
    if not isinstance(rec, BlockProduct):
        raise StructureError("per_block_estimator needs a block-product law or record")
    m = rec.m
    layout = []
    offset = 0
    for blaw, n in rec.blocks:
        table = partial_marginal_table(blaw)
        for _ in range(n):
            layout.append((offset, blaw.space.d, table, blaw.tier))
            offset += blaw.space.d

    def fn(x):
        out = {}
        for off, k, table, t in layout:
            xb = x[off : off + k]
            base = table[xb]
            for i in range(k):
                if xb[i] != m:
                    continue
                if t.is_zero(base) is True:
                    out[off + i] = [Fraction(1, m)] * m
                else:
                    out[off + i] = [table[xb[:i] + (a,) + xb[i + 1 :]] / base for a in range(m)]
        return out

    return from_callable(fn, m, rec.d, name="per-block exact")


def product_kl(results, **kw):
    """``Σ n·KL(data_g ‖ output_g)`` for ``[(SamplerResult, n), ...]`` (``math.inf`` if any is)."""
    total = None
    for r, n in results:
        v = r.kl(**kw)
        if v == math.inf:
            return math.inf
        v = v * n
        total = v if total is None else total + v
    return total


def product_tv(pairs):
    """``TV(⊗ p_g^{⊗n_g}, ⊗ q_g^{⊗n_g})`` for ``[(p_g, q_g, n_g), ...]`` (Laws on the same block spaces).

    Exact in the exact tier (rationals), float in float; certified raises if a sign is undecided.

    >>> from mdtheory import Law, ProductSpace
    >>> p = Law(ProductSpace(2, 1), ["1/2", "1/2"]); q = Law(ProductSpace(2, 1), ["1/4", "3/4"])
    >>> product_tv([(p, q, 2)])          # TV of the 2-fold products: (1/4 − 1/16)·… = 5/16
    5/16
    """
    if not pairs:
        raise SamplerError("product_tv needs at least one (p, q, n) block")
    t = pairs[0][0].tier
    groups = []
    n_terms = 1
    for p, q, n in pairs:
        if p.space != q.space:
            raise SamplerError(f"block laws live on different spaces: {p.space!r} vs {q.space!r}")
        q = q if q.tier == t else q.to_tier(t)
        classes: dict = {}
        for a, b in zip(p.flat.tolist(), q.flat.tolist()):
            if t.is_zero(a) is True:
                continue
            key = (_key(a), _key(b))
            if key in classes:
                classes[key][2] += 1
            else:
                classes[key] = [a, b, 1]
        cls = [(a * t.scalar(c), b * t.scalar(c)) for a, b, c in classes.values()]
        groups.append((cls, int(n)))
        n_terms *= math.comb(int(n) + len(cls) - 1, max(len(cls) - 1, 0))
        if n_terms > MAX_TV_TERMS:
            raise SamplerError(
                f"the TV of this product law sums over more than {MAX_TV_TERMS:,} class-count vectors; "
                "merge equal blocks or use fewer distinct (p, q) values per block"
            )
    with t.active():
        if t.is_float:
            return _tv_float(groups)
        return _tv_tier(groups, t)


def _key(v):
    """A hashable key equal only for identical values (arb balls: midpoint and radius)."""
    if hasattr(v, "mid") and hasattr(v, "rad") and not hasattr(v, "p"):
        return ("ball", v.mid(), v.rad().mid())
    return v


def _compositions(n: int, k: int):
    if k == 1:
        yield (n,)
        return
    for first in range(n + 1):
        for rest in _compositions(n - first, k - 1):
            yield (first,) + rest


def _joint(groups):
    """Yield ``[(k_g), …]`` over all groups' class-count vectors."""
    if not groups:
        yield []
        return
    (cls, n), rest = groups[0], groups[1:]
    for k in _compositions(n, len(cls)):
        for tail in _joint(rest):
            yield [k] + tail


def _tv_tier(groups, t: Tier):
    total = t.zero
    for ks in _joint(groups):
        P = Q = t.one
        coef = 1
        for (cls, n), k in zip(groups, ks):
            left = n
            for (pc, qc), e in zip(cls, k):
                coef *= math.comb(left, e)
                left -= e
                if e:
                    P = P * pc**e
                    Q = Q * qc**e
        diff = P - Q
        c = t.compare(diff, t.zero)
        if c is None:
            raise SamplerError("a term of the product TV has an undecided sign at this precision; raise prec")
        if c == 1:
            total = total + diff * t.scalar(coef)
    return total


def _tv_float(groups):
    total = 0.0
    for ks in _joint(groups):
        lp = lq = lc = 0.0
        for (cls, n), k in zip(groups, ks):
            lc += math.lgamma(n + 1)
            for (pc, qc), e in zip(cls, k):
                lc -= math.lgamma(e + 1)
                if e:
                    lp += e * math.log(pc)
                    lq += e * math.log(qc) if qc > 0 else -math.inf
        if lp > lq:
            total += math.exp(lc + lp) * -math.expm1(lq - lp)
    return total


def structured_law(sampler: str, law, **kw):
    """Exact output law by the best structure the data law records (block product, then
    exchangeable), else the full-space sampler of :mod:`mdtheory.samplers.masked`.

    >>> from mdtheory.distributions import parity
    >>> type(structured_law("euler", parity(6), steps=6)).__name__
    'OrbitResult'
    """
    rec = structure_of(law)
    if isinstance(rec, BlockProduct) and (len(rec.blocks) > 1 or rec.blocks[0][1] > 1):
        return block_product_law(sampler, law, **kw)
    if isinstance(rec, Exchangeable) and kw.get("estimator") is None and kw.get("init") in (None, "all_mask"):
        from .exchangeable import exchangeable_law

        return exchangeable_law(sampler, law, **{k: v for k, v in kw.items() if k not in ("estimator", "init")})
    if sampler not in SAMPLERS:
        raise SamplerError(f"sampler={sampler!r}; use one of {', '.join(SAMPLERS)}")
    if not isinstance(law, Law):
        raise StructureError(f"{type(law).__name__} records no structure this module can use; pass a full Law")
    return SAMPLERS[sampler](law, **kw)
