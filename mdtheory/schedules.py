"""Clocks (noise schedules) and step grids.

A *clock* says how fast the forward process runs: it maps forward time ``t`` to the
integrated rate ``τ(t) = ∫_0^t β`` and, for masking-type processes, to
``α(t) = e^{−τ(t)}`` — the probability that a token is still unmasked.
Parametrising by α keeps every masked-process quantity rational whenever α is.

=========================  ======================  ==========================
clock                      α(t)                    exact when
=========================  ======================  ==========================
:class:`ExponentialClock`  ``e^{−rt}``             t = 0 only (use certified)
:class:`LinearClock`       ``1 − t``               t rational
:class:`LogLinearClock`    ``1 − (1−ε)t``          t, ε rational
:class:`CosineClock`       ``ε + (1−ε)cos(πt/2)``  never (certified tier)
:class:`PolynomialClock`   ``1 − t^p``             t rational, p integer
=========================  ======================  ==========================

Step grids (:class:`Grid`) are exact rational tuples of times:
:func:`uniform_grid`, :func:`geometric_grid` and :func:`kappa_grid`, the grid
``h_k = κ·min(1, T − t_k)`` from ``0`` to ``T − δ`` of the sharp-rates analysis.

>>> from mdtheory.schedules import LinearClock, kappa_grid
>>> LinearClock().alpha("1/4", "exact")
3/4
>>> g = kappa_grid(T=2, kappa="1/2", delta="1/8")
>>> [str(x) for x in g.times]
['0', '1/2', '1', '3/2', '7/4', '15/8']
>>> g.N
5
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from flint import arb

from .tiers import MdtheoryError, Tier, as_fraction, get_tier

__all__ = [
    "Clock",
    "ExponentialClock",
    "LinearClock",
    "LogLinearClock",
    "CosineClock",
    "PolynomialClock",
    "Grid",
    "uniform_grid",
    "geometric_grid",
    "kappa_grid",
    "alpha_grid",
    "ScheduleError",
]


class ScheduleError(MdtheoryError):
    """Invalid clock or grid parameters.

    >>> LinearClock().alpha(2, "exact")                   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mdtheory.schedules.ScheduleError: ... outside ...
    """


class Clock:
    """Base class: ``alpha(t)``, ``tau(t) = −log α(t)`` and the rate ``beta(t) = τ'(t)``.

    >>> c = LinearClock()
    >>> c.alpha("1/4", "exact"), c.beta("1/4", "exact"), c.describe()     # α = 1 − t, β = −α'/α
    (3/4, 4/3, 'linear')
    """

    name = "clock"
    horizon: Fraction | None = None  #: largest admissible t (None: unbounded)

    def _check_t(self, t) -> None:
        if isinstance(t, (str, int, Fraction, float)):
            tf = as_fraction(t)
            if tf < 0 or (self.horizon is not None and tf > self.horizon):
                top = "∞" if self.horizon is None else str(self.horizon)
                raise ScheduleError(f"{self.name} clock: t = {tf} is outside [0, {top}]")

    def alpha(self, t, tier: "str | Tier" = "exact"):  # pragma: no cover - abstract
        raise NotImplementedError

    def tau(self, t, tier: "str | Tier" = "exact"):
        """Integrated rate ``τ(t) = −log α(t)``."""
        K = get_tier(tier)
        with K.active():
            return -K.log(self.alpha(t, K))

    def beta(self, t, tier: "str | Tier" = "exact"):  # pragma: no cover - abstract
        """Instantaneous rate ``β(t) = −α'(t)/α(t)``."""
        raise NotImplementedError

    def describe(self) -> str:
        return self.name

    def _nonzero_alpha(self, t, K: Tier):
        """``α(t)``, refused where it is (or may be) 0: there ``β = −α'/α`` is infinite."""
        a = self.alpha(t, K)
        z = K.is_zero(a)
        if z is True or (z is None and not isinstance(t, arb)):  # a time ball keeps its (wide) enclosure
            raise ScheduleError(
                f"the {self.describe()} clock has α = 0 at t = {t}, so its rate β = −α'/α is infinite there; "
                f"use a horizon T below it (e.g. T='99/100') or a clock with α > 0 at T"
            )
        return a

    def __repr__(self) -> str:
        return self.describe()


@dataclass(frozen=True, repr=False)
class ExponentialClock(Clock):
    """Constant rate ``r``: ``τ = r·t``, ``α = e^{−rt}`` (the CTMC papers' clock).

    >>> c = ExponentialClock(rate=2)
    >>> c.tau("1/4", "exact"), c.alpha("1/4", "certified").contains(0), c.alpha(0, "exact")
    (1/2, False, 1)
    """

    rate: Fraction = Fraction(1)
    name = "exponential"

    def __post_init__(self):
        object.__setattr__(self, "rate", as_fraction(self.rate))
        if self.rate <= 0:
            raise ScheduleError(f"the exponential clock needs a positive rate, got {self.rate}")

    def tau(self, t, tier="exact"):
        self._check_t(t)
        K = get_tier(tier)
        with K.active():
            return K.scalar(self.rate) * K.scalar(t)

    def alpha(self, t, tier="exact"):
        K = get_tier(tier)
        with K.active():
            return K.exp(-self.tau(t, K))

    def beta(self, t, tier="exact"):
        return get_tier(tier).scalar(self.rate)

    def describe(self):
        return f"exponential(rate={self.rate})"


@dataclass(frozen=True, repr=False)
class LogLinearClock(Clock):
    """``α(t) = 1 − (1−ε)t`` on ``[0, 1]`` (MDLM/SEDD log-linear; ``ε = 0`` is linear).

    >>> LogLinearClock().alpha("1/2", "exact")              # 1 − (1 − 1/1000)/2
    1001/2000
    """

    eps: Fraction = Fraction(1, 1000)
    name = "loglinear"
    horizon = Fraction(1)

    def __post_init__(self):
        object.__setattr__(self, "eps", as_fraction(self.eps))
        if not 0 <= self.eps < 1:
            raise ScheduleError(f"eps must lie in [0, 1), got {self.eps}")

    def alpha(self, t, tier="exact"):
        self._check_t(t)
        K = get_tier(tier)
        with K.active():
            return K.one - (K.one - K.scalar(self.eps)) * K.scalar(t)

    def beta(self, t, tier="exact"):
        K = get_tier(tier)
        with K.active():
            return (K.one - K.scalar(self.eps)) / self.alpha(t, K)

    def describe(self):
        return f"loglinear(eps={self.eps})"


@dataclass(frozen=True, repr=False)
class LinearClock(LogLinearClock):
    """``α(t) = 1 − t`` on ``[0, 1]``.

    >>> LinearClock().alpha("1/4", "exact"), LinearClock().beta("1/4", "exact")
    (3/4, 4/3)
    """

    eps: Fraction = Fraction(0)
    name = "linear"

    def describe(self):
        return "linear"


@dataclass(frozen=True, repr=False)
class CosineClock(Clock):
    """``α(t) = ε + (1−ε)·cos(πt/2)`` on ``[0, 1]`` (irrational: certified tier).

    >>> CosineClock().alpha("2/3", "exact")                  # cos(π/3), rational
    1/2
    >>> CosineClock().beta("1/2", "certified").contains(1)   # (π/2)·tan(π/4) = π/2
    False
    """

    eps: Fraction = Fraction(0)
    name = "cosine"
    horizon = Fraction(1)

    def __post_init__(self):
        object.__setattr__(self, "eps", as_fraction(self.eps))
        if not 0 <= self.eps < 1:
            raise ScheduleError(f"eps must lie in [0, 1), got {self.eps}")

    def _cos_half_pi(self, t, K: Tier):
        """``cos(πt/2)``: rational at multiples of 2/3 and 1 (the exact tier raises elsewhere)."""
        if isinstance(t, arb):  # a time ball (enclosure tier)
            with K.active():
                return (K.scalar(t) / 2).cos_pi()
        return K.cos_pi(as_fraction(t) / 2)

    def _sin_half_pi(self, t, K: Tier):
        if isinstance(t, arb):
            with K.active():
                return (K.scalar(t) / 2).sin_pi()
        return K.cos_pi(Fraction(1, 2) - as_fraction(t) / 2)

    def alpha(self, t, tier="exact"):
        self._check_t(t)
        K = get_tier(tier)
        with K.active():
            e = K.scalar(self.eps)
            return e + (K.one - e) * self._cos_half_pi(t, K)

    def beta(self, t, tier="exact"):
        K = get_tier(tier)
        with K.active():
            e = K.scalar(self.eps)
            s = self._sin_half_pi(t, K) * K.pi / 2
            return (K.one - e) * s / self._nonzero_alpha(t, K)

    def describe(self):
        return f"cosine(eps={self.eps})"


@dataclass(frozen=True, repr=False)
class PolynomialClock(Clock):
    """``α(t) = 1 − t^p`` on ``[0, 1]`` (diffusers' polynomial masking schedule).

    >>> PolynomialClock(2).alpha("1/2", "exact"), PolynomialClock(2).beta("1/2", "exact")
    (3/4, 4/3)
    """

    p: int = 2
    name = "polynomial"
    horizon = Fraction(1)

    def __post_init__(self):
        if int(self.p) != self.p or self.p < 1:
            raise ScheduleError(f"the polynomial clock needs an integer power p >= 1, got {self.p}")

    def alpha(self, t, tier="exact"):
        self._check_t(t)
        K = get_tier(tier)
        with K.active():
            return K.one - K.scalar(t) ** int(self.p)

    def beta(self, t, tier="exact"):
        K = get_tier(tier)
        with K.active():
            return K.scalar(self.p) * K.scalar(t) ** (int(self.p) - 1) / self._nonzero_alpha(t, K)

    def describe(self):
        return f"polynomial(p={self.p})"


# ---------------------------------------------------------------------------------------------
# grids
# ---------------------------------------------------------------------------------------------

MAX_GRID_STEPS = 10**6


@dataclass(frozen=True)
class Grid:
    """Increasing exact time points ``t_0 < t_1 < … < t_N`` (rationals).

    >>> g = uniform_grid(1, 4)
    >>> g.N, g.steps[0], g.kind
    (4, Fraction(1, 4), 'uniform')
    """

    times: tuple[Fraction, ...]
    kind: str = "custom"

    def __post_init__(self):
        ts = tuple(as_fraction(x) for x in self.times)
        if len(ts) < 2:
            raise ScheduleError("a grid needs at least two time points")
        if any(b <= a for a, b in zip(ts, ts[1:])):
            raise ScheduleError("grid times must be strictly increasing")
        object.__setattr__(self, "times", ts)

    @property
    def N(self) -> int:
        """Number of steps."""
        return len(self.times) - 1

    @property
    def steps(self) -> tuple[Fraction, ...]:
        """Step sizes ``h_k = t_{k+1} − t_k``."""
        return tuple(b - a for a, b in zip(self.times, self.times[1:]))

    def reversed_times(self, T) -> tuple[Fraction, ...]:
        """Forward times ``T − t_k`` of a backward grid."""
        T = as_fraction(T)
        return tuple(T - t for t in self.times)

    def __len__(self) -> int:
        return len(self.times)


def _guard(n: float, what: str) -> None:
    if n > MAX_GRID_STEPS:
        raise ScheduleError(f"{what} would have about {n:.3g} steps (limit {MAX_GRID_STEPS}); use a coarser grid")


def uniform_grid(T: Any, N: int, start: Any = 0) -> Grid:
    """``N`` equal steps from ``start`` to ``T``.

    >>> [str(t) for t in uniform_grid(1, 4).times]
    ['0', '1/4', '1/2', '3/4', '1']
    """
    T, s = as_fraction(T), as_fraction(start)
    if int(N) != N or N < 1:
        raise ScheduleError(f"the number of steps must be a positive integer, got N={N}")
    if T <= s:
        raise ScheduleError(f"the end time T={T} must exceed the start {s}")
    _guard(N, "the uniform grid")
    return Grid(tuple(s + (T - s) * k / int(N) for k in range(int(N) + 1)), "uniform")


def geometric_grid(t_min: Any, T: Any, N: int) -> Grid:
    """``N`` steps from ``t_min`` to ``T`` with constant ratio ``r = (T/t_min)^{1/N}``.

    The ratio is irrational in general; the grid points are rounded to rationals with
    denominator ``2^64`` (the grid is then an exact, slightly non-geometric grid, which
    is what every tier computes on).

    >>> [float(t) for t in geometric_grid("1/8", 1, 3).times]       # ratio 2, rounded to 2^-64
    [0.125, 0.25, 0.5, 1.0]
    """
    a, b = as_fraction(t_min), as_fraction(T)
    if not 0 < a < b:
        raise ScheduleError(f"a geometric grid needs 0 < t_min < T, got t_min={a}, T={b}")
    if int(N) != N or N < 1:
        raise ScheduleError(f"the number of steps must be a positive integer, got N={N}")
    _guard(N, "the geometric grid")
    with get_tier("certified", 200).active():  # the ratio at 200 bits, then rounded to 2^-64
        ratio = (arb(_fmpq(b)) / arb(_fmpq(a))) ** (arb(1) / int(N))
        pts = [a]
        for k in range(1, int(N)):
            v = arb(_fmpq(a)) * ratio**k
            pts.append(_round_arb(v, 64))
        pts.append(b)
    return Grid(tuple(pts), "geometric")


def _fmpq(x: Fraction):
    from flint import fmpq

    return fmpq(x.numerator, x.denominator)


def _round_arb(v: arb, bits: int) -> Fraction:
    from flint import fmpz

    n = (v.mid() * 2**bits).floor().unique_fmpz()
    return Fraction(int(n if n is not None else fmpz(0)), 2**bits)


def kappa_grid(T: Any, kappa: Any, delta: Any) -> Grid:
    """Backward grid with ``h_k = κ·min(1, T − t_k)`` from ``t_0 = 0`` to ``t_N = T − δ``.

    Steps are constant (``κ``) while the forward time ``T − t ≥ 1`` and geometric
    (``T − t_{k+1} = (1 − κ)(T − t_k)``) after; the last step is cut to land on
    ``T − δ``.  Exact rationals when ``T, κ, δ`` are rational.

    >>> [str(t) for t in kappa_grid(2, "1/2", "1/4").times]   # h = 1/2 while T − t ≥ 1, then halving
    ['0', '1/2', '1', '3/2', '7/4']
    """
    T, kappa, delta = as_fraction(T), as_fraction(kappa), as_fraction(delta)
    if not 0 < kappa <= 1:
        raise ScheduleError(f"kappa must lie in (0, 1], got {kappa}")
    if not 0 < delta < T:
        raise ScheduleError(f"early stopping needs 0 < delta < T, got delta={delta}, T={T}")
    import math

    est = float(max(T - 1, 0) / kappa) + (math.log(1 / float(min(delta, 1))) / -math.log1p(-float(kappa)) if kappa < 1 else 1)
    _guard(est, "the kappa grid")
    ts = [Fraction(0)]
    end = T - delta
    while ts[-1] < end:
        t = ts[-1]
        h = kappa * min(Fraction(1), T - t)
        ts.append(min(t + h, end))
    return Grid(tuple(ts), "kappa")


def alpha_grid(alphas: Sequence[Any]) -> tuple[Fraction, ...]:
    """Validate a sequence of α values in ``[0, 1]`` that is monotone in noise (exact rationals).

    Either non-increasing (forward time: noise grows) or non-decreasing (the sampler's order:
    noise shrinks); anything else is refused.

    >>> alpha_grid(["1/10", "1/2", 1])
    (Fraction(1, 10), Fraction(1, 2), Fraction(1, 1))
    >>> alpha_grid(["1/10", "1/2", "1/4"])
    Traceback (most recent call last):
    ...
    mdtheory.schedules.ScheduleError: alpha values must be monotone (the noise level only grows or only shrinks); got 1/10, 1/2, 1/4
    """
    a = tuple(as_fraction(x) for x in alphas)
    if any(not 0 <= x <= 1 for x in a):
        raise ScheduleError("alpha values must lie in [0, 1]")
    up = all(x <= y for x, y in zip(a, a[1:]))
    down = all(x >= y for x, y in zip(a, a[1:]))
    if not (up or down):
        raise ScheduleError(
            "alpha values must be monotone (the noise level only grows or only shrinks); got "
            + ", ".join(str(x) for x in a)
        )
    return a
