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
from .tiers import MdtheoryError, Tier, TierError, get_tier

__all__ = ["DivergenceError", "tv", "kl", "chi2", "hellinger", "common_tier"]


class DivergenceError(MdtheoryError):
    """Two laws that cannot be compared (different spaces, not laws, an unknown option).

    >>> from mdtheory.distributions import copy
    >>> tv(copy(2, 2), copy(2, 3))
    Traceback (most recent call last):
    ...
    mdtheory.divergences.DivergenceError: p lives on ProductSpace(m=2, d=2) and q on ProductSpace(m=2, d=3); divergences need laws on one space
    """


def _rigour(t: Tier) -> int:
    """0 float < 1 mp < 2 enclosure < 3 exact."""
    return 3 if t.is_exact else 2 if t.is_enclosure else 0 if t.is_float else 1


def common_tier(p: Law, q: Law) -> Tier:
    """The less rigorous tier of two laws (certified: the lower precision).

    >>> from mdtheory.distributions import copy
    >>> common_tier(copy(2, 2), copy(2, 2, tier="float")).name
    'float'
    """
    a, b = p.tier, q.tier
    if _rigour(a) != _rigour(b):
        return a if _rigour(a) < _rigour(b) else b
    if hasattr(a, "prec"):
        return a if a.prec <= b.prec else b
    return a


def _pair(p, q, embed: bool, tier=None) -> tuple[np.ndarray, np.ndarray, Tier]:
    if tier is not None:  # two arrays of one tier (e.g. rows of a transition kernel)
        if isinstance(p, Law) or isinstance(q, Law):
            raise DivergenceError("tier= is for two arrays of one tier; laws carry their own tier")
        a, b = np.asarray(p).reshape(-1), np.asarray(q).reshape(-1)
        if a.shape != b.shape:
            raise DivergenceError(f"the two arrays have {a.size} and {b.size} entries; they need the same length")
        return a, b, get_tier(tier)
    if not isinstance(p, Law) or not isinstance(q, Law):
        raise DivergenceError(
            f"divergences compare two Law objects (or two arrays with tier=...), got {type(p).__name__} and "
            f"{type(q).__name__}"
        )
    if p.space != q.space:
        kinds = {type(p.space), type(q.space)}
        same_md = (p.space.d == q.space.d) and getattr(p.space, "m", None) == getattr(q.space, "m", None)
        if kinds == {ProductSpace, MaskedSpace} and same_md:
            if not embed:
                raise DivergenceError(
                    f"p lives on {p.space!r} and q on {q.space!r}; pass embed=True to compare the data law "
                    "embedded in the masked space"
                )
            p, q = p.to_masked(), q.to_masked()
        else:
            raise DivergenceError(f"p lives on {p.space!r} and q on {q.space!r}; divergences need laws on one space")
    t = common_tier(p, q)
    with t.active():
        return p.to_tier(t).probs.reshape(-1), q.to_tier(t).probs.reshape(-1), t


def tv(p, q, *, embed: bool = False, tier=None):
    """Total variation ``½ Σ_x |p(x) - q(x)|``; an exact rational in the exact tier.

    ``p, q`` are laws, or two arrays of one ``tier`` (e.g. two rows of a kernel).

    >>> from mdtheory.distributions import parity
    >>> tv(parity(3), parity(3, odd=True)), tv(parity(3), parity(3))
    (1, 0)
    >>> tv(np.array([0.5, 0.5]), np.array([1.0, 0.0]), tier="float")
    0.5
    """
    a, b, t = _pair(p, q, embed, tier)
    if t.is_float:  # vectorised, a Python float
        return float(0.5 * np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)).sum())
    with t.active():
        return t.total(t.abs_array(a - b)) / t.scalar(2)


def _xlog_ratio_nan(dom, x, y):
    """``x·log(x/y)``; undecided (an unbounded ball) where ``y``'s ball touches 0 and ``x`` is not certainly 0."""
    src = dom.source
    xz, yz = src.is_zero(x), src.is_zero(y)
    if xz is not True and (yz is None or (yz is True and xz is None)):
        return dom.tier.nan
    return dom.xlog_ratio(x, y)


def kl(p, q, *, embed: bool = False, logs: str = "ball", prec: int | None = None, tier=None,
       undecided: str = "raise"):
    """Forward Kullback–Leibler divergence ``KL(p‖q) = Σ_x p(x) log(p(x)/q(x))`` (nats).

    ``0·log(0/q) = 0``; ``math.inf`` when some ``p(x) > 0 = q(x)`` (never NaN).
    Exact laws give a rigorous ``arb`` ball at ``prec`` bits (default 128) or,
    with ``logs='symbolic'``, an exact :class:`~mdtheory.logsum.LogSum` (one
    ``log`` per distinct ratio ``p/q``).  ``p, q`` are laws, or two arrays of one
    ``tier`` (e.g. two rows of a transition kernel).

    Probability balls containing 0 (certified tier): a ball of ``p`` around 0 is enclosed
    (``x log(x/q)`` is bounded for ``x ∈ [0, ε]``).  A ball of ``q`` containing 0 where
    ``p`` is not certainly 0 makes the KL unbounded: ``undecided='raise'`` (default) raises
    :class:`~mdtheory.tiers.TierError`; ``undecided='nan'`` returns an unbounded ball
    (every comparison with it is undecided) — for callers that sum many such terms and
    decide later, such as kernel rows of samplers on truncated lattices.

    >>> from mdtheory.distributions import product
    >>> p = product([["1/2", "1/2"]]); q = product([["1/4", "3/4"]])
    >>> kl(p, q, logs="symbolic")                 # ½ log 2 + ½ log(2/3)
    LogSum(log(2) - 1/2*log(3))
    >>> kl(p, q).contains(kl(p, q, logs="symbolic").enclose(200))
    True
    >>> from flint import arb
    >>> kl(np.array([arb(1)]), np.array([arb(0, 1e-9)]), tier="certified", undecided="nan").is_finite()
    False
    """
    if undecided not in ("raise", "nan"):
        raise DivergenceError(f"undecided={undecided!r}; choose 'raise' or 'nan'")
    a, b, t = _pair(p, q, embed, tier)
    dom = log_domain(t, logs, prec)
    if t.is_float:  # vectorised
        pos = a > 0
        if np.any(pos & (b <= 0)):
            return math.inf
        return float(np.sum(a[pos] * np.log(a[pos] / b[pos])))
    if t.is_exact:
        # group by the ratio p/q: one log per distinct ratio
        mass: dict = {}
        for x, y in zip(a.tolist(), b.tolist()):
            if not x:                   # exact rationals are falsy exactly at 0
                continue
            if not y:
                return math.inf
            r = x / y
            mass[r] = mass.get(r, fmpq(0)) + x
        if dom.symbolic:
            return LogSum.from_fmpq(mass)
        tt = dom.tier
        with tt.active():
            return sum((tt.scalar(w) * tt.log(tt.scalar(r)) for r, w in mass.items()), tt.zero)
    term_of = dom.xlog_ratio if undecided == "raise" else (lambda x, y: _xlog_ratio_nan(dom, x, y))
    with dom.active():
        total = dom.zero
        for x, y in zip(a.tolist(), b.tolist()):
            term = term_of(x, y)
            if term is math.inf:
                return math.inf
            total = total + term
        return total


def chi2(p, q, *, embed: bool = False, tier=None):
    """Pearson ``χ²(p‖q) = Σ_x (p(x) - q(x))² / q(x) = Σ p²/q - 1``; exact rational in the exact tier.

    ``math.inf`` when some ``p(x) > 0 = q(x)``.

    >>> from mdtheory.distributions import product
    >>> chi2(product([["1/2", "1/2"]]), product([["1/4", "3/4"]]))
    1/3
    """
    a, b, t = _pair(p, q, embed, tier)
    if t.is_float:  # vectorised
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


def hellinger(p, q, *, embed: bool = False, squared: bool = False, prec: int | None = None, tier=None):
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
    a, b, t = _pair(p, q, embed, tier)
    if t.is_float:  # vectorised
        h2 = max(0.0, 1.0 - float(np.sum(np.sqrt(a * b))))
        return h2 if squared else math.sqrt(h2)
    tt = t.transcendental_tier(prec)
    with tt.active():
        bc = tt.zero
        for x, y in zip(a.tolist(), b.tolist()):
            if t.is_zero(x) is True or t.is_zero(y) is True:
                continue
            bc = bc + tt.sqrt(tt.scalar(x * y))
        h2 = tt.one - bc
        if tt.compare(h2, tt.zero) != 1:
            # rounding below the true value ≥ 0 (mp), or a ball straddling 0 (p = q up to rounding):
            # [0, upper], whose square root is enclosed from the upper end (sqrt of a ball ∋ 0 is NaN)
            h2 = tt.clip_nonneg(h2)
            if not squared and tt.is_enclosure:
                return arb(0).union(arb(h2.upper()).sqrt())
        return h2 if squared else tt.sqrt(h2)
