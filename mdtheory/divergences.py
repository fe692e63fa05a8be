"""Divergences between laws: total variation, KL, χ², Hellinger.

All four read two :class:`~mdtheory.laws.Law` objects on the same space.  A
data law on ``Z_m^d`` and a law on the masked space ``{0..m}^d`` are compared
after embedding the data law (:meth:`Law.to_masked`, no mass on masks) when
``embed=True``; otherwise different spaces are an error.  Laws in different tiers
are compared in the less rigorous of the two (exact > certified > mp > float).

============= =========================================== =====================================
function      definition                                  exact-tier result
============= =========================================== =====================================
``tv``        ``½ Σ |p - q|``                             exact rational
``kl``        ``KL(p‖q) = Σ p log(p/q)`` (forward)        ``arb`` ball, or ``LogSum`` (symbolic)
``chi2``      ``χ²(p‖q) = Σ (p - q)² / q``                exact rational
``hellinger`` ``√(½ Σ (√p - √q)²)``; ``squared=True``:    ``arb`` ball (square roots)
              ``H² = 1 - Σ √(pq)``
============= =========================================== =====================================

``kl`` and ``chi2`` are ``math.inf`` (a float, in every tier) when ``p`` puts
mass where ``q`` has none; they are never NaN.

>>> from mdtheory.distributions import copy, uniform
>>> from mdtheory.divergences import tv, kl, chi2
>>> tv(copy(2, 2), uniform(2, 2)), chi2(copy(2, 2), uniform(2, 2))
(1/2, 1)
>>> kl(copy(2, 2), uniform(2, 2), logs="symbolic"), kl(uniform(2, 2), copy(2, 2))
(LogSum(log(2)), inf)
"""

from __future__ import annotations

import math

import numpy as np
from flint import arb, fmpq

from .laws import Law
from .logsum import LogSum, log_domain
from .spaces import MaskedSpace, ProductSpace
from .tiers import CertifiedTier, Tier, TierError, get_tier

__all__ = ["tv", "kl", "chi2", "hellinger", "common_tier"]

_RANK = {"float": 0, "mp": 1, "certified": 2, "exact": 3}


def common_tier(p: Law, q: Law) -> Tier:
    """The less rigorous tier of two laws (certified: the lower precision).

    >>> from mdtheory.distributions import copy
    >>> common_tier(copy(2, 2), copy(2, 2, tier="float")).name
    'float'
    """
    a, b = p.tier, q.tier
    if _RANK[a.name] != _RANK[b.name]:
        return a if _RANK[a.name] < _RANK[b.name] else b
    if hasattr(a, "prec"):
        return a if a.prec <= b.prec else b
    return a


def _pair(p: Law, q: Law, embed: bool) -> tuple[np.ndarray, np.ndarray, Tier]:
    if not isinstance(p, Law) or not isinstance(q, Law):
        raise TypeError(f"divergences compare two Law objects, got {type(p).__name__} and {type(q).__name__}")
    if p.space != q.space:
        kinds = {type(p.space), type(q.space)}
        same_md = (p.space.d == q.space.d) and getattr(p.space, "m", None) == getattr(q.space, "m", None)
        if kinds == {ProductSpace, MaskedSpace} and same_md:
            if not embed:
                raise ValueError(
                    f"p lives on {p.space!r} and q on {q.space!r}; pass embed=True to compare the data law "
                    "embedded in the masked space"
                )
            p, q = p.to_masked(), q.to_masked()
        else:
            raise ValueError(f"p lives on {p.space!r} and q on {q.space!r}; divergences need laws on one space")
    t = common_tier(p, q)
    with t.active():
        return p.to_tier(t).probs.reshape(-1), q.to_tier(t).probs.reshape(-1), t


def tv(p: Law, q: Law, *, embed: bool = False):
    """Total variation ``½ Σ_x |p(x) - q(x)|``; an exact rational in the exact tier.

    >>> from mdtheory.distributions import parity
    >>> tv(parity(3), parity(3, odd=True)), tv(parity(3), parity(3))
    (1, 0)
    """
    a, b, t = _pair(p, q, embed)
    with t.active():
        if t.name == "float":
            return float(0.5 * np.abs(a - b).sum())
        diff = a - b
        return t.total(np.array([abs(x) for x in diff], dtype=object)) / t.scalar(2)


def kl(p: Law, q: Law, *, embed: bool = False, logs: str = "ball", prec: int | None = None):
    """Forward Kullback–Leibler divergence ``KL(p‖q) = Σ_x p(x) log(p(x)/q(x))`` (nats).

    ``0·log(0/q) = 0``; ``math.inf`` when some ``p(x) > 0 = q(x)`` (never NaN).
    Exact laws give a rigorous ``arb`` ball at ``prec`` bits (default 128) or,
    with ``logs='symbolic'``, an exact :class:`~mdtheory.logsum.LogSum` (one
    ``log`` per distinct ratio ``p/q``).

    >>> from mdtheory.distributions import product
    >>> p = product([["1/2", "1/2"]]); q = product([["1/4", "3/4"]])
    >>> kl(p, q, logs="symbolic")                 # ½ log 2 + ½ log(2/3)
    LogSum(log(2) - 1/2*log(3))
    >>> kl(p, q).contains(kl(p, q, logs="symbolic").enclose(200))
    True
    """
    a, b, t = _pair(p, q, embed)
    dom = log_domain(t, logs, prec)
    if t.name == "float":
        pos = a > 0
        if np.any(pos & (b <= 0)):
            return math.inf
        return float(np.sum(a[pos] * np.log(a[pos] / b[pos])))
    if t.name == "exact":
        # group by the ratio p/q: one log per distinct ratio
        mass: dict = {}
        for x, y in zip(a.tolist(), b.tolist()):
            if x == 0:
                continue
            if y == 0:
                return math.inf
            r = x / y
            mass[r] = mass.get(r, fmpq(0)) + x
        if dom.symbolic:
            return LogSum.from_fmpq(mass)
        tt = dom.tier
        with tt.active():
            return sum((tt.scalar(w) * tt.log(tt.scalar(r)) for r, w in mass.items()), tt.zero)
    with dom.active():
        total = dom.zero
        for x, y in zip(a.tolist(), b.tolist()):
            term = dom.xlog_ratio(x, y)
            if term is math.inf:
                return math.inf
            total = total + term
        return total


def chi2(p: Law, q: Law, *, embed: bool = False):
    """Pearson ``χ²(p‖q) = Σ_x (p(x) - q(x))² / q(x) = Σ p²/q - 1``; exact rational in the exact tier.

    ``math.inf`` when some ``p(x) > 0 = q(x)``.

    >>> from mdtheory.distributions import product
    >>> chi2(product([["1/2", "1/2"]]), product([["1/4", "3/4"]]))
    1/3
    """
    a, b, t = _pair(p, q, embed)
    if t.name == "float":
        pos = b > 0
        if np.any((a > 0) & ~pos):
            return math.inf
        return float(np.sum((a[pos] - b[pos]) ** 2 / b[pos]))
    with t.active():
        total = t.zero
        for x, y in zip(a.tolist(), b.tolist()):
            yz = t.is_zero(y)
            if yz is True:
                xz = t.is_zero(x)
                if xz is False:
                    return math.inf
                if xz is None:
                    raise TierError("cannot decide whether p puts mass where q has none (a ball contains 0); raise the precision")
                continue
            if yz is None:
                raise TierError("a probability of q is a ball containing 0, so χ² is unbounded; raise the precision")
            total = total + (x - y) ** 2 / y
        return total


def hellinger(p: Law, q: Law, *, embed: bool = False, squared: bool = False, prec: int | None = None):
    """Hellinger distance ``H(p, q) = √(½ Σ (√p - √q)²) = √(1 - Σ √(p q))`` in ``[0, 1]``.

    ``squared=True`` returns ``H² = 1 - Σ_x √(p(x) q(x))``.  Square roots are
    irrational in general, so exact laws give an ``arb`` ball at ``prec`` bits
    (default 128); certified laws a ball; float/mp a float/mpf.

    >>> from mdtheory.distributions import parity
    >>> h = hellinger(parity(2), parity(2, odd=True)); h.contains(1), h.rad() < 1e-30
    (True, True)
    >>> hellinger(parity(2).to_tier("float"), parity(2).to_tier("float"))
    0.0
    """
    a, b, t = _pair(p, q, embed)
    if t.name == "float":
        h2 = max(0.0, 1.0 - float(np.sum(np.sqrt(a * b))))
        return h2 if squared else math.sqrt(h2)
    tt = CertifiedTier(prec=128 if prec is None else int(prec)) if t.name == "exact" else t
    with tt.active():
        bc = tt.zero
        for x, y in zip(a.tolist(), b.tolist()):
            if t.is_zero(x) is True or t.is_zero(y) is True:
                continue
            bc = bc + tt.sqrt(tt.scalar(x * y))
        h2 = tt.one - bc
        if tt.name == "mp" and h2 < 0:  # rounding below the true value >= 0
            h2 = tt.zero
        if tt.name == "certified" and not h2 > 0:
            # the ball straddles 0 (p = q up to rounding): enclose [0, upper] so that sqrt is not NaN
            hi = h2.upper()
            if hi < 0:  # pragma: no cover - impossible for laws
                raise TierError("1 - Σ√(pq) came out negative; the inputs are not laws")
            return arb(0).union(hi) if squared else arb(0).union(hi.sqrt())
        return h2 if squared else tt.sqrt(h2)
