"""Factorized (parallel) unmasking with a schedule: exact output laws and the expected KL over orders.

Sampler (``papers/optimal_schedules_2510.25544.md`` §2, ``papers/intrinsic_dependence_2602.20126.md`` §2):
from the all-mask state, at round ``t`` reveal a set ``A_t`` of masked positions and draw
``x_{A_t} ~ ⊗_{j∈A_t} ĝ_j(·|x_{S_{t-1}})`` (normalised conditionals, independent given the
revealed values).  Planners:

* **random order** with a size schedule: given the round size ``k``, ``A_t`` is a uniform
  ``k``-subset of the masked set.  Sizes are fixed (``(k_1..k_K)``) or random from a
  :class:`SizeLaw`: Markov in the masked count (:class:`MarkovSizes`, e.g.
  :func:`bernoulli_sizes`), or a mixture of fixed schedules (:class:`CompositionMixture`,
  e.g. :func:`geometric_offset_sizes`).
* **deterministic adaptive** planners (``planner='lowest_entropy'``, ``'highest_confidence'``
  or a callable): ``A_t`` is a function of the revealed values.
* **one ordered partition** ``(A_1..A_K)`` (``mixture=False``): the law ``q_σ``.

``mixture=True`` gives the law of the real sampler, ``E_σ[q_σ]``, by a dynamic program
over (revealed set, revealed values) on the ``(m+1)^d`` states — never by enumerating
orders.  :func:`expected_kl_over_orders` gives ``E_σ KL(p‖q_σ)`` exactly (a different
quantity: ``KL(p‖E_σ q_σ) ≤ E_σ KL(p‖q_σ)`` by convexity); both are reported, named.

>>> from mdtheory.distributions import copy
>>> from mdtheory.samplers import factorized, expected_kl_over_orders
>>> factorized(copy(2, 3), (1, 1, 1)).tv()                 # all sizes 1: exact
0
>>> factorized(copy(2, 3), (2, 1)).law.prob((0, 0, 0))     # first two agree w.p. 1/2
1/4
>>> r = expected_kl_over_orders(copy(2, 3), (2, 1), logs="symbolic")
>>> r.expected_kl, r.mixture_kl                            # (k_1 − 1)·log 2 both (repeated symbol)
(LogSum(log(2)), LogSum(log(2)))
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np

from ..divergences import kl as _kl
from ..information import entropy as _entropy, partial_marginal_table
from ..laws import Law
from ..logsum import LogSum, log_domain
from ..masked_scores import MaskedEstimator, context_block
from ..spaces import MaskedSpace
from ..tiers import NotExactError, Tier, get_tier  # noqa: F401
from ._masked_core import (
    SamplerError,
    SamplerResult,
    data_dims,
    finish,
    initial_array,
    resolve_estimator,
    resolve_tier,
    subset_step,
)

__all__ = [
    "SizeLaw",
    "FixedSizes",
    "MarkovSizes",
    "CompositionMixture",
    "bernoulli_sizes",
    "geometric_offset_sizes",
    "factorized",
    "expected_kl_over_orders",
    "OrderKL",
    "PLANNERS",
]


# ---------------------------------------------------------------------------------------------
# size laws
# ---------------------------------------------------------------------------------------------
class SizeLaw:
    """Law of the round sizes, independent of the data.

    ``components(tier)`` lists ``(weight, MarkovSizes-like)`` whose mixture is the law;
    a Markov law's ``kernel(t, n_masked, tier)`` gives ``{k: P(k_t = k | n masked)}``.
    """

    K: int

    def components(self, tier: Tier) -> list:
        return [(None, self)]

    def kernel(self, t: int, n: int, tier: Tier) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass
class FixedSizes(SizeLaw):
    """Deterministic sizes ``(k_1, …, k_K)`` (zeros allowed: an idle round).

    >>> FixedSizes((2, 1)).kernel(0, 3, get_tier("exact"))
    {2: 1}
    """

    sizes: tuple

    def __post_init__(self):
        self.sizes = tuple(int(k) for k in self.sizes)
        if any(k < 0 for k in self.sizes):
            raise SamplerError(f"round sizes must be non-negative integers, got {self.sizes}")
        self.K = len(self.sizes)

    def kernel(self, t, n, tier):
        k = self.sizes[t]
        if k > n:
            raise SamplerError(f"round {t + 1} reveals {k} positions but only {n} are masked; sizes must sum to d")
        return {k: tier.one}


class MarkovSizes(SizeLaw):
    """Sizes drawn round by round from ``kernel(t, n_masked, tier) -> {k: prob}`` (user-supplied)."""

    def __init__(self, K: int, kernel: Callable, name: str = "markov"):
        self.K = int(K)
        self._kernel = kernel
        self.name = name

    def kernel(self, t, n, tier):
        return self._kernel(t, n, tier)


class CompositionMixture(SizeLaw):
    """A mixture of fixed schedules: ``{(k_1..k_K): weight}`` (weights sum to 1; user-supplied).

    >>> CompositionMixture({(1, 2): "1/2", (2, 1): "1/2"}).K
    2
    """

    def __init__(self, weights, name: str = "mixture"):
        self._weights = dict(weights) if not callable(weights) else None
        self._fn = weights if callable(weights) else None
        self.K = max(len(k) for k in self._weights) if self._weights is not None else None
        self.name = name

    def components(self, tier):
        items = self._fn(tier) if self._fn is not None else self._weights.items()
        return [(tier.scalar(w) if not _is_tier_scalar(w) else w, FixedSizes(s)) for s, w in items]


def _is_tier_scalar(w):
    from flint import arb, fmpq

    return isinstance(w, (arb, fmpq, float))


def bernoulli_sizes(u: Sequence[Any]) -> MarkovSizes:
    """Bernoulli reveal (MDLM-style): with revealed fractions ``0 = u_0 < u_1 < … < u_K = 1``, each
    still-masked token is revealed in round ``t`` w.p. ``(u_t − u_{t−1})/(1 − u_{t−1})``
    (binomial sizes; the random subset is then uniform given its size).

    >>> L = bernoulli_sizes(["1/2", 1]); L.kernel(0, 2, get_tier("exact"))
    {0: 1/4, 1: 1/2, 2: 1/4}
    """
    from ..tiers import as_fraction

    us = [Fraction(0)] + [as_fraction(x) for x in u]
    if us[-1] != 1 or any(b < a for a, b in zip(us, us[1:])):
        raise SamplerError("bernoulli_sizes needs a non-decreasing list of revealed fractions ending at 1")

    def kernel(t, n, tier):
        pi = (us[t + 1] - us[t]) / (1 - us[t]) if us[t] < 1 else Fraction(1)
        p = tier.scalar(pi)
        return {k: tier.scalar(math.comb(n, k)) * p**k * (tier.one - p) ** (n - k) for k in range(n + 1)}

    return MarkovSizes(len(us) - 1, kernel, name=f"bernoulli({[str(x) for x in us[1:]]})")


def geometric_offset_sizes(d: int, K: int, choice: str = "tc") -> CompositionMixture:
    """Random-offset geometric schedule, ``V ~ Unif[0, 1)`` (``intrinsic_dependence`` notes §3(a)):

    * ``'tc'``: masked count after round ``t`` is ``⌊d^{(K−t−V)/K}⌋``;
    * ``'dtc'``: revealed count after round ``t`` is ``min(d, ⌊d^{(t−1+V)/(K−1)}⌋)`` (``K ≥ 2``),
      and the last round reveals the rest.

    The law is a finite mixture of fixed schedules whose weights are lengths of
    ``V``-intervals between breakpoints ``log n / log d`` — irrational in general, so
    use the certified or float tier.

    >>> L = geometric_offset_sizes(8, 2, "tc")     # masked after round 1: ⌊2^{1.5(1−V)}⌋ = 2 iff V ≤ 1/3
    >>> sorted((c.sizes, round(float(w), 12)) for w, c in L.components(get_tier("float")))
    [((6, 2), 0.333333333333), ((7, 1), 0.666666666667)]
    """
    if choice not in ("tc", "dtc"):
        raise SamplerError(f"choice={choice!r}; use 'tc' or 'dtc'")
    if d < 2 or K < 1 or (choice == "dtc" and K < 2):
        raise SamplerError("geometric_offset_sizes needs d ≥ 2 and K ≥ 1 (K ≥ 2 for 'dtc')")

    B = -K if choice == "tc" else K - 1  # breakpoint v = A + B·log n / log d, A an integer

    def same(n1, A1, n2, A2):  # exact: A1 + B log n1/log d == A2 + B log n2/log d  ⟺  (n1/n2)^B = d^(A2−A1)
        lhs = Fraction(n1, n2) ** B
        return lhs == Fraction(d) ** (A2 - A1)

    def comps(tier: Tier):
        from flint import arb, ctx as fctx

        if tier.name == "exact":
            raise NotExactError("the random-offset geometric weights are irrational; use tier='certified' or 'float'")
        prec = getattr(tier, "prec", 53) + 64
        while True:
            with fctx.workprec(prec):
                logd = arb(d).log()
                pts = []  # (ball, n, A): breakpoints strictly inside (0, 1)
                for n in range(2, d + 1):
                    ln = arb(n).log() / logd
                    for t in range(K + 1):
                        A = (K - t) if choice == "tc" else -(t - 1)
                        if same(n, A, 1, 0) or same(n, A, 1, 1):  # exactly at 0 or 1
                            continue
                        v = A + B * ln
                        if v > 0 and v < 1:
                            pts.append((v, n, A))
                        elif not (v < 0 or v > 1):
                            pts = None
                            break
                    if pts is None:
                        break
                ok = pts is not None
                if ok:
                    pts.sort(key=lambda x: float(x[0].mid()))
                    merged = []
                    for v, n, A in pts:
                        if merged and v.overlaps(merged[-1][0]):
                            if same(n, A, merged[-1][1], merged[-1][2]):
                                continue
                            ok = False
                            break
                        merged.append((v, n, A))
                if ok:
                    edges = [arb(0)] + [v for v, _, _ in merged] + [arb(1)]
                    out: dict = {}
                    for a, b in zip(edges, edges[1:]):
                        sizes = _geo_sizes(d, K, choice, (a + b) / 2, logd)
                        out[sizes] = out.get(sizes, arb(0)) + (b - a)
                    return [(s_, tier.scalar(w) if tier.name == "certified" else float(w.mid())) for s_, w in out.items()]
            prec *= 2
            if prec > 1 << 14:
                raise SamplerError("could not separate the geometric-offset breakpoints; this should not happen")

    law = CompositionMixture(comps, name=f"geometric_offset({choice}, K={K})")
    law.K = K
    return law


def _geo_sizes(d, K, choice, v, logd):
    def fl(x):
        f = x.floor()
        z = f.unique_fmpz()
        if z is None:
            raise SamplerError("a geometric-offset count is undecided at an interval midpoint; raise the precision")
        return int(z)

    if choice == "tc":
        masked = [d] + [min(d, fl((logd * ((K - t - v) / K)).exp())) for t in range(1, K + 1)]
        masked[-1] = 0
        return tuple(max(0, masked[t] - masked[t + 1]) for t in range(K))
    rev = [0] + [min(d, fl((logd * ((t - 1 + v) / (K - 1))).exp())) for t in range(1, K + 1)]
    rev[-1] = d
    return tuple(max(0, rev[t + 1] - rev[t]) for t in range(K))


def _as_size_law(sizes) -> SizeLaw:
    if isinstance(sizes, SizeLaw):
        return sizes
    try:
        return FixedSizes(tuple(sizes))
    except TypeError:
        raise SamplerError(f"sizes must be a tuple of round sizes or a SizeLaw, got {sizes!r}") from None


# ---------------------------------------------------------------------------------------------
# planners
# ---------------------------------------------------------------------------------------------
def _entropy_key(vec):
    v = [float(x) if not hasattr(x, "mid") else float(x.mid()) for x in vec]
    return -sum(p * math.log(p) for p in v if p > 0)


def _confidence_key(vec):
    return -max(float(x) if not hasattr(x, "mid") else float(x.mid()) for x in vec)


PLANNERS = {"lowest_entropy": _entropy_key, "highest_confidence": _confidence_key}


# ---------------------------------------------------------------------------------------------
# the sampler
# ---------------------------------------------------------------------------------------------
def factorized(law: Law, sizes=None, estimator: MaskedEstimator | None = None, *, mixture: bool = True,
               partition: Sequence[Sequence[int]] | None = None, planner=None, tier=None, prec=None) -> SamplerResult:
    """Exact output law of factorized unmasking from the all-mask state.

    Parameters
    ----------
    sizes : tuple of ints or SizeLaw
        Round sizes (fixed, or a size law).  Not needed with ``partition``.
    mixture : bool
        ``True``: the real random-order sampler (mixture over orders and sizes), by a DP
        over (revealed set, revealed values).  ``False``: the law ``q_σ`` of one ordered
        ``partition`` (required).
    partition : sequence of blocks
        Ordered partition ``(A_1, …, A_K)`` of ``{0..d−1}`` (for ``mixture=False``).
    planner : str or callable
        Deterministic adaptive planner with fixed ``sizes``: ``'lowest_entropy'``,
        ``'highest_confidence'`` (rank masked positions by the entropy / the top
        probability of ``ĝ_j(·|x_U)``, float ranking, ties by index), or
        ``planner(x, k, conditionals) -> positions`` with ``x`` the masked-space state and
        ``conditionals`` a dict ``{j: vector}``.
    estimator : MaskedEstimator, optional
        Default: the exact conditionals of ``law``; rows are normalised.

    >>> from mdtheory.distributions import parity
    >>> factorized(parity(3), partition=[[0, 1], [2]], mixture=False).tv()   # last token from the parity
    0
    >>> factorized(parity(3), partition=[[0], [1, 2]], mixture=False).tv()
    1/2
    """
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    if est.time_dependent:
        raise SamplerError("factorized samplers use time-agnostic conditionals; this estimator is time-dependent")
    info: dict = {"estimator": est.name}
    with t.active():
        Gn, nzero = est.normalized_tables(t)
        info["zero_rows_filled"] = nzero
        if not mixture or partition is not None:
            if partition is None:
                raise SamplerError("mixture=False needs partition=[A_1, ..., A_K] (an ordered partition of the positions)")
            blocks = _check_partition(partition, d)
            P = initial_array(law, "all_mask", t)
            for A in blocks:
                P = subset_step(P, m, d, t, Gn, lambda U, A=A: [(A, None)])
            info["partition"] = [tuple(i for i in range(d) if A >> i & 1) for A in blocks]
            return finish(law, P, t, "factorized(partition)", len(blocks), info)
        if sizes is None:
            raise SamplerError("give sizes=(k_1, ..., k_K) or a SizeLaw (or partition= with mixture=False)")
        SL = _as_size_law(sizes)
        info["sizes"] = getattr(SL, "sizes", getattr(SL, "name", repr(SL)))
        plan = _make_planner(planner, Gn, m, d, t) if planner is not None else None
        total = None
        for w, comp in SL.components(t):
            P = initial_array(law, "all_mask", t)
            for r in range(comp.K):
                P = _round(P, comp, r, Gn, plan, t, m, d)
            P = P if w is None else P * w
            total = P if total is None else total + P
        return finish(law, total, t, "factorized" if planner is None else f"factorized({planner})", SL.K, info)


def _round(P, comp, r, Gn, plan, t, m, d):
    def kern(U):
        n = d - bin(U).count("1")
        return comp.kernel(r, n, t)

    if plan is None:
        def choose(U):
            M = [i for i in range(d) if not U >> i & 1]
            out = []
            for k, pk in kern(U).items():
                if t.is_zero(pk) is True:
                    continue
                w = pk / t.scalar(math.comb(len(M), k))
                out.extend((sum(1 << i for i in A), w) for A in itertools.combinations(M, k))
            return out

        return subset_step(P, m, d, t, Gn, choose)

    def planner(U, xu):
        return [(plan(U, xu, k), pk) for k, pk in kern(U).items() if t.is_zero(pk) is not True]

    return subset_step(P, m, d, t, Gn, None, planner=planner)


def _make_planner(planner, Gn, m, d, t):
    key = PLANNERS.get(planner) if isinstance(planner, str) else None
    if isinstance(planner, str) and key is None:
        raise SamplerError(f"unknown planner {planner!r}; choose one of {', '.join(PLANNERS)} or pass a callable")

    def plan(U, xu, k):
        vals = iter(xu)
        x = tuple(next(vals) if U >> i & 1 else m for i in range(d))
        M = [i for i in range(d) if not U >> i & 1]
        conds = {j: Gn[j][tuple(slice(None) if i == j else x[i] for i in range(d))] for j in M}
        if key is not None:
            chosen = sorted(M, key=lambda j: (key(conds[j]), j))[:k]
        else:
            chosen = list(planner(x, k, conds))
            if len(set(chosen)) != k or any(j not in M for j in chosen):
                raise SamplerError(f"the planner returned {chosen} at {x}; it must pick {k} distinct masked positions")
        return sum(1 << j for j in chosen)

    return plan


def _check_partition(partition, d) -> list[int]:
    blocks, seen = [], set()
    for A in partition:
        A = [int(i) for i in A]
        if any(not 0 <= i < d for i in A) or seen & set(A) or len(set(A)) != len(A):
            raise SamplerError(f"partition {partition} is not an ordered partition of 0..{d - 1}")
        seen |= set(A)
        blocks.append(sum(1 << i for i in A))
    if len(seen) != d:
        raise SamplerError(f"partition {partition} misses positions {sorted(set(range(d)) - seen)}")
    return blocks


# ---------------------------------------------------------------------------------------------
# expected KL over orders
# ---------------------------------------------------------------------------------------------
@dataclass
class OrderKL:
    """``E_σ KL(p‖q_σ)`` and ``KL(p‖E_σ q_σ)`` of a random-order factorized sampler (named, separate).

    Attributes
    ----------
    expected_kl
        ``E_{sizes, σ} KL(p ‖ q_σ) = Σ_i ω(i)·c(i) − H(p)``.
    mixture_kl
        ``KL(p ‖ q)`` of the sampler's output law ``q = E q_σ`` (None if not requested).
    cross_entropy
        ``c(i) = E_{|S|=i, j∉S} E_p[−log ĝ_j(X_j|X_S)]`` (``= g(i)``, the conditional-entropy
        profile, for exact conditionals).
    weights
        ``ω(i) = E[Σ_t k_t·1{s_{t−1} = i}]`` (rationals for rational size laws).
    entropy
        ``H(p)``.
    domain : str
        The number domain of the log quantities.
    """

    expected_kl: Any
    mixture_kl: Any
    cross_entropy: list
    weights: list
    entropy: Any
    domain: str = ""


def _size_weights(SL: SizeLaw, d: int, t: Tier) -> list:
    """``ω(i) = E Σ_t k_t 1{revealed count before round t = i}``."""
    omega = [t.zero] * d
    for w, comp in SL.components(t):
        dist = {0: t.one}
        for r in range(comp.K):
            new: dict = {}
            for a, pa in dist.items():
                for k, pk in comp.kernel(r, d - a, t).items():
                    if k and a < d:
                        omega[a] = omega[a] + (pa * pk * k if w is None else w * pa * pk * k)
                    new[a + k] = new.get(a + k, t.zero) + pa * pk
            dist = new
        left = t.one - dist.get(d, t.zero)
        if t.is_zero(left) is False:
            raise SamplerError(f"the size law leaves masks with probability {t.format(left)}; sizes must reveal all d")
    return omega


def expected_kl_over_orders(law: Law, sizes, estimator: MaskedEstimator | None = None, *, logs: str = "ball",
                            prec: int | None = None, mixture_kl: bool = True) -> OrderKL:
    """``E_σ KL(p‖q_σ)`` exactly, next to ``KL(p‖q)`` of the mixture law (both forward KL, data first).

    By the chain rule ``KL(p‖q_σ) = −H(p) + Σ_t Σ_{j∈A_t} E_p[−log ĝ_j(X_j|X_{S_{t−1}})]``;
    averaging over the uniform order given the sizes leaves ``Σ_i ω(i)·c(i) − H(p)``
    with the cross-entropy profile ``c`` and the size weights ``ω`` (no orders enumerated).
    Exact laws: ``logs='ball'`` (arb ball at ``prec``) or ``'symbolic'`` (exact LogSum).

    >>> from mdtheory.distributions import parity
    >>> r = expected_kl_over_orders(parity(3), (1, 2), logs="symbolic")
    >>> r.expected_kl, r.mixture_kl                     # log 2·1{k_K ≥ 2}, also the mixture KL
    (LogSum(log(2)), LogSum(log(2)))
    """
    m, d = data_dims(law)
    src = law.tier
    est = resolve_estimator(law, estimator)
    dom = log_domain(src, logs, prec)
    SL = _as_size_law(sizes)
    omega = _size_weights(SL, d, src)
    table = partial_marginal_table(law)
    Gn, _ = est.normalized_tables(src)
    csum = _cross_entropy_sums(table, Gn, m, d, src, dom)
    H = _entropy(law, logs=logs, prec=prec)
    with dom.active():
        if any(c is math.inf for c in csum):
            ekl = math.inf if any(not (src.is_zero(omega[i]) is True) and csum[i] is math.inf for i in range(d)) else None
        else:
            ekl = None
        cross = []
        for i in range(d):
            denom = math.comb(d, i) * (d - i)
            cross.append(math.inf if csum[i] is math.inf else csum[i] / denom)
        if ekl is None:
            total = dom.zero
            for i in range(d):
                if src.is_zero(omega[i]) is True:
                    continue
                coef = omega[i] / src.scalar(math.comb(d, i) * (d - i))
                total = total + _scale(csum[i], coef, dom)
            ekl = total - H
    mk = None
    if mixture_kl:
        q = factorized(law, SL, est)
        mk = _kl(law, q.law, embed=True, logs=logs, prec=prec)
    return OrderKL(ekl, mk, cross, omega, H, dom.describe())


def _scale(x, coef, dom):
    if dom.symbolic:
        return x * coef
    return x * dom.tier.scalar(coef)


def _cross_entropy_sums(table, Gn, m, d, src: Tier, dom) -> list:
    """``Σ_{|S|=i} Σ_{j∉S} E_p[−log ĝ_j(X_j | X_S)]`` for ``i = 0..d−1`` in the log domain."""
    from ..masked_scores import _revealed_count

    out = []
    if src.name == "float":
        sums = np.zeros(d)
        inf = [False] * d
        for j in range(d):
            idx = [slice(None)] * d
            idx[j] = slice(0, m)
            Tj = table[tuple(idx)]
            g = Gn[j]
            cnt = np.broadcast_to(_revealed_count(d, m, j), Tj.shape)
            pos = Tj > 0
            bad = pos & (g <= 0)
            for i in np.unique(cnt[bad]):
                inf[int(i)] = True
            lg = np.zeros_like(Tj)
            np.log(g, out=lg, where=pos & (g > 0))
            sums += np.bincount(cnt[pos & (g > 0)].ravel(), weights=-(Tj * lg)[pos & (g > 0)].ravel(), minlength=d)[:d]
        return [math.inf if inf[i] else float(sums[i]) for i in range(d)]
    # rigorous: group by (size, ĝ value) — one log per distinct value
    groups: list[dict] = [dict() for _ in range(d)]
    inf = [False] * d
    for j in range(d):
        idx = [slice(None)] * d
        idx[j] = slice(0, m)
        Tj = table[tuple(idx)]
        g = Gn[j]
        cnt = np.broadcast_to(_revealed_count(d, m, j), Tj.shape)
        for tv_, gv, c in zip(Tj.reshape(-1).tolist(), g.reshape(-1).tolist(), cnt.reshape(-1).tolist()):
            if src.is_zero(tv_) is True:
                continue
            if src.is_zero(gv) is True:
                inf[c] = True
                continue
            key = gv if src.name == "exact" else id(gv)
            ent = groups[c].get(key)
            groups[c][key] = (gv, tv_ if ent is None else ent[1] + tv_)
    for i in range(d):
        if inf[i]:
            out.append(math.inf)
            continue
        if dom.symbolic:
            out.append(LogSum.from_fmpq({src.one / gv: w for gv, w in groups[i].values()}) if groups[i] else LogSum.zero())
        else:
            tt = dom.tier
            with tt.active():
                tot = tt.zero
                for gv, w in groups[i].values():
                    tot = tot - tt.scalar(w) * tt.log(tt.scalar(gv))
                out.append(tot)
    return out
