"""Structure records of data laws: independent blocks, exchangeability.

Exact sampler laws on the full space ``{0..m}^d`` stop near ``d ≈ 14``; the theory speaks
about large ``d``.  Two structures let exact laws go much further
(:mod:`mdtheory.samplers.blocks`, :mod:`mdtheory.samplers.exchangeable`):

* :class:`BlockProduct` — the coordinates split into consecutive independent blocks
  (``copy_pairs``: ``d/2`` copies of ``copy(m, 2)``; ``product``: ``d`` one-coordinate blocks);
* :class:`Exchangeable` — the law is invariant under every permutation of the coordinates
  (``copy``, ``sum_mod``/``parity``, ``uniform``, i.i.d. products), so it is determined by the
  probability of one state per vector of symbol counts.

Constructors in :mod:`mdtheory.distributions` record their structure (``structure_of``
reads it); a user declares it with :func:`declare` or builds a large law directly from its
record (``BlockProduct.of([copy(2, 2)] * 256)``, ``Exchangeable(2, 64, weight)``) without
ever allocating ``m^d`` entries.  The records are claims about the law: :func:`verify`
checks one against a full law (small ``d``).

>>> from mdtheory.distributions import copy_pairs, parity
>>> structure_of(copy_pairs(2, 4)).blocks[0][1], structure_of(parity(5)).describe()
(2, 'exchangeable (m=2, d=5)')
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .laws import Law
from .spaces import ProductSpace
from .tiers import get_tier

__all__ = ["BlockProduct", "Exchangeable", "StructuredLaw", "StructureError", "declare", "structure_of", "verify", "count_vectors"]


class StructureError(ValueError):
    """A structure record that does not fit the law (or the request)."""


@dataclass(frozen=True)
class BlockProduct:
    """``P = ⊗_g P_g^{⊗ n_g}``: consecutive independent blocks, ``blocks = ((law_g, n_g), …)``.

    Each ``law_g`` is a Law on ``Z_m^{d_g}`` (the same ``m``); blocks are laid out in order,
    ``n_g`` copies of each.

    >>> from mdtheory.distributions import copy
    >>> BlockProduct.of([copy(2, 2)] * 3).d
    6
    """

    blocks: tuple

    @classmethod
    def of(cls, laws) -> "BlockProduct":
        """Group a list of block laws (consecutive equal laws share one entry)."""
        out: list = []
        for lw in laws:
            if not isinstance(lw, Law) or not isinstance(lw.space, ProductSpace):
                raise StructureError(f"a block must be a Law on Z_m^k, got {lw!r}")
            if out and (out[-1][0] is lw or _same_law(out[-1][0], lw)):
                out[-1] = (out[-1][0], out[-1][1] + 1)
            else:
                out.append((lw, 1))
        if not out:
            raise StructureError("a block product needs at least one block")
        if len({lw.space.m for lw, _ in out}) != 1:
            raise StructureError("all blocks must have the same alphabet size m")
        return cls(tuple(out))

    @property
    def m(self) -> int:
        return self.blocks[0][0].space.m

    @property
    def d(self) -> int:
        return sum(lw.space.d * n for lw, n in self.blocks)

    def describe(self) -> str:
        parts = [f"{n}×(d={lw.space.d})" for lw, n in self.blocks]
        return f"block product (m={self.m}, d={self.d}: " + " + ".join(parts) + ")"

    def full(self) -> Law:
        """The product law on ``Z_m^d`` (small ``d`` only: allocates ``m^d`` entries)."""
        t = self.blocks[0][0].tier
        ProductSpace(self.m, self.d).check_fits(t, copies=2)
        with t.active():
            arr = None
            for lw, n in self.blocks:
                for _ in range(n):
                    arr = lw.probs if arr is None else np.multiply.outer(arr, lw.probs)
        return Law(ProductSpace(self.m, self.d), arr, t, validate=False)


@dataclass(frozen=True)
class Exchangeable:
    """A law on ``Z_m^d`` invariant under permutations of the coordinates.

    ``state_prob(counts)`` is the probability of one state whose symbol counts are
    ``counts = (c_0, …, c_{m−1})`` (``Σ c_a = d``); values are exact rationals (or tier
    scalars of ``tier``).  ``None`` means: read it from the full law the record is attached to.

    >>> from fractions import Fraction
    >>> even = Exchangeable(2, 64, lambda c: Fraction(1, 2**63) if c[1] % 2 == 0 else 0)
    >>> even.orbit_law()[(32, 32)] * 2**63 == math.comb(64, 32)
    True
    """

    m: int
    d: int
    state_prob: Callable[[tuple], Any] | None = None
    tier: Any = "exact"

    def describe(self) -> str:
        return f"exchangeable (m={self.m}, d={self.d})"

    def orbit_law(self, law: Law | None = None, tier=None) -> dict:
        """``{counts: P(symbol counts = counts)}`` (tier scalars), from ``state_prob`` or a full law."""
        t = get_tier(tier if tier is not None else (law.tier if law is not None else self.tier))
        out = {}
        with t.active():
            for c in count_vectors(self.m, self.d):
                if self.state_prob is not None:
                    p = t.scalar(self.state_prob(c))
                elif law is not None:
                    p = law.to_tier(t).probs[representative(c)] if law.tier != t else law.probs[representative(c)]
                else:
                    raise StructureError("this exchangeable record has no state_prob; pass the full law")
                out[c] = p * t.scalar(multinomial(self.d, c))
        return out


def representative(counts) -> tuple:
    """The sorted state with the given symbol counts."""
    return tuple(a for a, c in enumerate(counts) for _ in range(c))


def multinomial(n: int, parts) -> int:
    out, left = 1, n
    for k in parts:
        out *= math.comb(left, k)
        left -= k
    return out


def count_vectors(parts: int, total: int):
    """All tuples of ``parts`` non-negative integers summing to ``total`` (lexicographic)."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in count_vectors(parts - 1, total - first):
            yield (first,) + rest


# ---------------------------------------------------------------------------------------------
# records attached to laws
# ---------------------------------------------------------------------------------------------
class StructuredLaw(Law):
    """A :class:`~mdtheory.laws.Law` carrying a structure record (``.structure``); same array."""

    __slots__ = ("structure",)


def declare(law: Law, record) -> Law:
    """``law`` with a structure record attached (a :class:`StructuredLaw` with the same probabilities).

    Constructors of :mod:`mdtheory.distributions` call this; declare your own law's
    structure the same way (:func:`verify` checks the claim on small ``d``).
    """
    if not isinstance(law, Law):
        raise StructureError(f"expected a mdtheory Law, got {type(law).__name__}")
    if not isinstance(record, (BlockProduct, Exchangeable)):
        raise StructureError(f"expected a BlockProduct or Exchangeable record, got {type(record).__name__}")
    if not isinstance(law.space, ProductSpace) or (record.m, record.d) != (law.space.m, law.space.d):
        raise StructureError(f"the record is for m={record.m}, d={record.d} but the law lives on {law.space!r}")
    out = StructuredLaw(law.space, law.probs, law.tier, validate=False)
    out.structure = record
    return out


def structure_of(law) -> "BlockProduct | Exchangeable | None":
    """The structure recorded for ``law`` (or ``law`` itself if it is a record), else None."""
    if isinstance(law, (BlockProduct, Exchangeable)):
        return law
    return getattr(law, "structure", None) if isinstance(law, Law) else None


def verify(law: Law, record=None) -> bool:
    """Whether ``record`` (default: the recorded one) describes the full ``law`` exactly."""
    record = structure_of(law) if record is None else record
    if record is None:
        return False
    if isinstance(record, BlockProduct):
        other = record.full()
        t = law.tier
        return all(t.is_zero(a - b) is True for a, b in zip(law.flat.tolist(), other.to_tier(t).flat.tolist()))
    t = law.tier
    probs = law.probs
    for x in itertools.product(range(record.m), repeat=record.d):
        counts = tuple(x.count(a) for a in range(record.m))
        ref = probs[representative(counts)] if record.state_prob is None else t.scalar(record.state_prob(counts))
        if t.is_zero(probs[x] - ref) is not True:
            return False
    return True


def _same_law(a: Law, b: Law) -> bool:
    if a.space != b.space or a.tier != b.tier:
        return False
    return all(x == y for x, y in zip(a.flat.tolist(), b.flat.tolist()))
