"""Convex test functions ``Φ`` and the values of score functionals ``E_p[Φ(score)]``.

The Φ library holds convex functions on ``[0, ∞)`` with ``Φ``, ``Φ'``, ``Φ''`` and the Bregman gap
``B_Φ(a, b) = Φ(a) − Φ(b) − Φ'(b)(a − b)``, usable in every tier.  In an enclosure tier the gap is
enclosed by Taylor's theorem, ``B_Φ(a, b) ∈ ½(a − b)²·Φ''(hull{a, b})``, which keeps it
non-negative and tight when ``a, b`` are balls.  :class:`FunctionalValue` and
:class:`DerivativeValue` are the results of :func:`mdtheory.scores.score_functional` (random and
biased walk) and :func:`mdtheory.masked_scores.masked_score_functional` (masking) and of their
time derivatives.

>>> from mdtheory.tiers import get_tier
>>> K = get_tier("exact")                      # K: the number tier (as sympy's domain K)
>>> get_phi("chi2").bregman(K.scalar(3), K.scalar(1), K)
4
>>> list(PHI_LIBRARY)
['kl', 'burg', 'chi2', 'hellinger', 'ulogu', 'identity']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from flint import arb

from .tiers import MdtheoryError, Tier, get_tier

__all__ = ["PhiError", "UndecidedError", "Phi", "PHI_LIBRARY", "get_phi", "FunctionalValue", "DerivativeValue"]


class PhiError(MdtheoryError):
    """An unknown ``Φ`` or a score functional that is undefined for the given input.

    >>> get_phi("nope")
    Traceback (most recent call last):
    ...
    mdtheory.phi.PhiError: unknown Φ 'nope'; choose one of kl, burg, chi2, hellinger, ulogu, identity or pass a phi.Phi
    """


class UndecidedError(PhiError):
    """A ball is too wide to decide whether a mass is zero (raise the precision or narrow the time ball).

    >>> issubclass(UndecidedError, PhiError)
    True
    """


def _sqr(x, K: Tier):
    """``x²``, kept non-negative for balls straddling 0."""
    return K.clip_nonneg(x * x)


@dataclass(frozen=True)
class Phi:
    """A convex function ``Φ`` on ``[0, ∞)`` with its first two derivatives, usable in every tier.

    ``f, df, d2f`` take ``(x, tier)`` and return tier scalars.  ``at_zero`` is ``Φ(0)`` (``None``:
    ``+∞``); ``slope_inf`` is ``lim_{u→∞} Φ(u)/u`` (``None``: ``+∞``), used by the perspective
    convention off the support.  ``centred`` means ``Φ'(1) = 0`` (so ``Φ'(u)(u−1) ≥ 0``);
    ``d2_decreasing`` that ``Φ''`` is non-increasing on ``(0, ∞)`` (then ``Φ''`` of a ball is
    enclosed from its two end points, avoiding dependency blow-up).

    >>> phi = get_phi("chi2")
    >>> K = get_tier("exact")
    >>> phi(K.scalar(3), K), phi.bregman(K.scalar(3), K.scalar(1), K)
    (4, 4)
    """

    name: str
    f: Callable
    df: Callable
    d2f: Callable | None
    convex: bool = True
    centred: bool = False
    at_zero: Any = 0
    slope_inf: Any = None
    formula: str = ""
    d2_decreasing: bool = False

    def __call__(self, x, tier: "str | Tier" = "certified"):
        return self.f(x, get_tier(tier))

    def derivative(self, x, tier: "str | Tier" = "certified"):
        return self.df(x, get_tier(tier))

    def bregman(self, a, b, tier: "str | Tier" = "certified"):
        """``B_Φ(a, b)``; certified tier: ``½(a−b)²·Φ''(hull{a, b})`` (non-negative enclosure)."""
        K = get_tier(tier)
        if K.is_enclosure and self.d2f is not None:
            h = a.union(b)
            diff = a - b
            if not h > 0 or (a.rad() + b.rad()) * 2**24 <= abs(diff.mid()):
                # point-like arguments: the direct formula is tight
                return K.clip_nonneg(self.f(a, K) - self.f(b, K) - self.df(b, K) * diff) if h > 0 else (
                    self.f(a, K) - self.f(b, K) - self.df(b, K) * diff)
            taylor = _sqr(diff, K) * self._d2_on(h, K) / 2
            direct = None
            if not taylor.is_finite() or taylor.rad() > abs(taylor.mid()) / 4:
                # far-apart arguments (Φ'' varies a lot on the hull): the direct formula may be tighter
                direct = self.f(a, K) - self.f(b, K) - self.df(b, K) * diff
                if not taylor.is_finite():
                    return direct
            taylor = K.clip_nonneg(taylor)
            if direct is not None and taylor.overlaps(direct):
                return taylor.intersection(direct)
            return taylor
        return self.f(a, K) - self.f(b, K) - self.df(b, K) * (a - b)

    def _d2_on(self, h, K: Tier):
        """``Φ''`` over the ball ``h``; for decreasing ``Φ''`` from the two (exact) end points."""
        if self.d2_decreasing:
            lo, hi = arb(h.lower()), arb(h.upper())
            return self.d2f(hi, K).union(self.d2f(lo, K))
        return self.d2f(h, K)

    def dphi_times_u_minus_one(self, u, K: Tier):
        """``Φ'(u)(u − 1)``; for centred ``Φ`` enclosed as ``(u−1)²·Φ''(hull{u, 1}) ≥ 0``."""
        if self.centred and K.is_enclosure and self.d2f is not None:
            h = u.union(K.one)
            direct = self.df(u, K) * (u - K.one)
            if h > 0 and (_sqr(u - K.one, K) * self._d2_on(h, K)).is_finite():
                taylor = K.clip_nonneg(_sqr(u - K.one, K) * self._d2_on(h, K))
                return taylor.intersection(direct) if taylor.overlaps(direct) else taylor
            return direct
        return self.df(u, K) * (u - K.one)

    def __repr__(self) -> str:
        return f"Phi({self.name}: {self.formula})" if self.formula else f"Phi({self.name})"


def _log(x, K):
    return K.log(x)


def _xlogx(x, K):
    return K.xlogy(x, x)


PHI_LIBRARY: dict[str, Phi] = {
    "kl": Phi(
        "kl",
        lambda x, K: _xlogx(x, K) - x + K.one,
        lambda x, K: _log(x, K),
        lambda x, K: K.one / x,
        centred=True,
        at_zero=1,
        slope_inf=None,
        formula="u log u − u + 1", d2_decreasing=True,
    ),
    "burg": Phi(
        "burg",
        lambda x, K: x - K.one - _log(x, K),
        lambda x, K: K.one - K.one / x,
        lambda x, K: K.one / (x * x),
        centred=True,
        at_zero=None,
        slope_inf=1,
        formula="u − 1 − log u", d2_decreasing=True,
    ),
    "chi2": Phi(
        "chi2",
        lambda x, K: (x - K.one) * (x - K.one),
        lambda x, K: 2 * (x - K.one),
        lambda x, K: K.scalar(2),
        centred=True,
        at_zero=1,
        slope_inf=None,
        formula="(u − 1)²",
    ),
    "hellinger": Phi(
        "hellinger",
        lambda x, K: x - 2 * K.sqrt(x) + K.one,
        lambda x, K: K.one - K.one / K.sqrt(x),
        lambda x, K: K.one / (2 * x * K.sqrt(x)),
        centred=True,
        at_zero=1,
        slope_inf=1,
        formula="(√u − 1)²", d2_decreasing=True,
    ),
    "ulogu": Phi(
        "ulogu",
        lambda x, K: _xlogx(x, K),
        lambda x, K: _log(x, K) + K.one,
        lambda x, K: K.one / x,
        centred=False,
        at_zero=0,
        slope_inf=None,
        formula="u log u", d2_decreasing=True,
    ),
    "identity": Phi(
        "identity",
        lambda x, K: x,
        lambda x, K: K.one,
        lambda x, K: K.zero,
        centred=False,
        at_zero=0,
        slope_inf=1,
        formula="u",
    ),
}


def get_phi(phi: "str | Phi") -> Phi:
    """A library Φ by name (``kl``, ``burg``, ``chi2``, ``hellinger``, ``ulogu``, ``identity``) or a :class:`Phi`.

    >>> get_phi("hellinger")
    Phi(hellinger: (√u − 1)²)
    >>> get_phi("entropy")
    Traceback (most recent call last):
    ...
    mdtheory.phi.PhiError: unknown Φ 'entropy'; choose one of kl, burg, chi2, hellinger, ulogu, identity or pass a phi.Phi
    """
    if isinstance(phi, Phi):
        return phi
    if isinstance(phi, str) and phi in PHI_LIBRARY:
        return PHI_LIBRARY[phi]
    raise PhiError(f"unknown Φ {phi!r}; choose one of {', '.join(PHI_LIBRARY)} or pass a phi.Phi")


@dataclass
class FunctionalValue:
    """``F = E_{p_t}[Φ(score)]`` (summed over the chosen directions).

    ``value`` is a tier scalar or ``math.inf``; ``terms`` maps each direction to its part;
    ``overflow_bound`` is set for the biased walk (else ``None``); ``time`` is the time
    (or ``α``) it was evaluated at.

    >>> from mdtheory import Law, ProductSpace, generators
    >>> from mdtheory.scores import score_functional
    >>> F = score_functional(Law(ProductSpace(2, 1), ["1/4", "3/4"]), generators.random_walk(2, 1), "chi2", t=0)
    >>> F.value, F.tier.name, F
    (4/3, 'exact', FunctionalValue(chi2, raw: 4/3))
    """

    value: Any
    tier: Tier
    phi: Phi
    score: str
    terms: dict = field(default_factory=dict)
    overflow_bound: float | None = None
    time: Any = None

    def __repr__(self) -> str:
        v = "inf" if self.value is math.inf else self.tier.format(self.value)
        ob = "" if self.overflow_bound is None else f", overflow_bound={self.overflow_bound:.3g}"
        return f"FunctionalValue({self.phi.name}, {self.score}: {v}{ob})"


@dataclass
class DerivativeValue:
    """Exact derivative of a score functional.

    ``value = −bregman + boundary + truncation`` (Bregman method) or the chain rule with
    ``ṗ = pQ`` (``method='direct'``; then the parts are ``None``).  ``wrt`` is ``'t'`` (clock
    time: includes the factor ``β(t)``), ``'tau'`` (integrated rate) or ``'alpha'`` (masking).
    ``sign()`` is ``-1/0/+1`` when decided by the tier, ``None`` otherwise; a float-tier sign is
    never a proof (``proved`` is False).

    >>> from mdtheory import Law, ProductSpace, generators
    >>> from mdtheory.scores import score_functional_derivative
    >>> mu = Law(ProductSpace(3, 1), ["1/2", "1/3", "1/6"])
    >>> dv = score_functional_derivative(mu, generators.random_walk(3, 1), "chi2", tau=0)
    >>> dv.sign(), dv.proved, dv.wrt
    (-1, True, 'tau')
    """

    value: Any
    tier: Tier
    phi: Phi
    score: str
    method: str
    wrt: str
    bregman: Any = None
    boundary: Any = None
    truncation: Any = None
    overflow_bound: float | None = None
    time: Any = None

    def sign(self) -> int | None:
        with self.tier.active():
            return self.tier.compare(self.value, self.tier.zero)

    @property
    def proved(self) -> bool:
        return self.tier.rigorous and self.sign() is not None

    def __repr__(self) -> str:
        ob = "" if self.overflow_bound is None else f", overflow_bound={self.overflow_bound:.3g}"
        return f"DerivativeValue(d/d{self.wrt} {self.phi.name}, {self.score}: {self.tier.format(self.value)}{ob})"
