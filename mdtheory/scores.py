"""Discrete scores, backward generators and score functionals with exact time derivatives.

Sections (each self-contained; later sections may be appended):

1. **Φ library** — convex test functions with ``Φ``, ``Φ'``, ``Φ''`` and the Bregman gap
   ``B_Φ(a, b) = Φ(a) − Φ(b) − Φ'(b)(a − b)``, in every tier.
2. **Backward generators** of any Kronecker-sum process:
   ``q̄(x, y) = q(y, x)·p(y)/p(x)`` (:func:`backward_rates`, :func:`backward_generator`).
3. **Random walk on Z_m^d** — scores ``u_{i,±}(x) = p(x ± e_i)/p(x)``; for ``m = 2`` the two moves
   coincide and there is a single score per coordinate (:func:`random_walk_scores`).
4. **Biased walk on N^d** (truncated lattice with an absorbing overflow level ``L+1``) — raw score
   ``p(x+e_i)/p(x)`` and relative score ``v = p(x+e_i)/(ρ p(x))``, ``ρ = up/down``
   (:func:`biased_walk_scores`).  Every result carries ``overflow_bound``: the certified
   probability that the walk left ``{0..L}`` by time ``t`` (mass of the overflow level).
   Functionals and derivatives are those of the *truncated* chain: the score along ``e_i`` lives
   on ``x_i ≤ L − 1`` (other coordinates range over all their levels, overflow included), and the
   derivative identity carries the exact truncation term below; for the untruncated walk on
   ``N^d`` the results are accurate up to the reported overflow mass.
5. **Score functionals** ``F(t) = E_{p_t}[Φ(score)]`` and their exact derivatives
   (:func:`score_functional`, :func:`score_functional_derivative`).
6. **Masking** (small section) — raw concrete score ``(α/(1−α))·π_i(a|x_U)`` and normalised
   conditionals ``π_i(a|x_U)``; functionals as exact polynomials in ``α``.

Time derivatives (forward time ``s``; ``u`` a score along the move ``e``, ``D`` its domain)::

    d/ds E Φ(u) = −E[Σ_{y∈D} q̄(x, y)·B_Φ(u(y), u(x))]                           (Bregman part)
                 + E[1{x_i = 0}·Φ'(u)·(a/c − b·u)]                 (biased walk: reflecting 0)
                 + E[1{x_i = L−1}·((b c u − a)Φ(u) − b c u²Φ'(u))]  (biased walk: truncation at L)

with ``c = ρ`` for the relative score (the 0-boundary term is then ``−b·E[1{x_i=0}Φ'(v)(v−1)]``)
and ``c = 1`` for the raw score.  For the random walk only the Bregman part remains, so
``E Φ(u)`` is non-increasing for every convex ``Φ``.  The identity is derived from
``∂_s u − L̄u`` (see the module notes in ``nonasymptotic_2512.00580.md``, V1/V5) and checked
in the tests against the *direct* chain rule with ``ṗ = pQ`` (``method='direct'``).

In the certified tier the Bregman gap is enclosed by Taylor's theorem,
``B_Φ(a, b) ∈ ½(a − b)²·Φ''(hull{a, b})``, which keeps the enclosure non-negative and tight
when ``a, b`` are balls (interval evaluation at a time *ball* in :mod:`mdtheory.monotonicity`).

Off-support conventions (``0/0``): a functional uses the perspective ``p(x)Φ(p(y)/(c p(x)))``
with ``0·Φ(a/0) = a·lim_{u→∞} Φ(u)/u`` and ``0·Φ(0/0) = 0``; infinite values are returned as
``math.inf`` (a float, in every tier).  Backward rates out of a zero-mass state are ``0`` (the
state is never visited by the exact reversal; a sampler that reaches it keeps its mass there).
Derivatives need ``p_t > 0`` on the score's domain (true for ``t > 0``) and raise
:class:`ScoreError` otherwise.  Masked contexts ``x_U`` with ``μ_U(x_U) = 0`` carry no mass and
contribute nothing.

>>> from mdtheory import Law, ProductSpace, generators
>>> from mdtheory.scores import score_functional, score_functional_derivative
>>> mu = Law(ProductSpace(3, 1), ["1/2", "1/3", "1/6"])
>>> g = generators.random_walk(3, 1)
>>> F = score_functional(mu, g, "chi2", t=0, direction=(0, 1))   # Σ_x (p(x+1) - p(x))²/p(x)
>>> F.value
29/36
>>> dF = score_functional_derivative(mu, g, "kl", t="1/2", tier="certified")
>>> dF.value < 0, dF.tier.name
(True, 'certified')
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

import numpy as np
from flint import acb, arb, ctx as flint_ctx

from ._modeprod import mode_products
from .generators import KroneckerSum
from .laws import Law
from .propagate import Process, forward
from .spaces import ProductSpace, TruncatedLattice
from .tiers import Tier, as_fraction, get_tier

__all__ = [
    "ScoreError",
    "UndecidedError",
    "Phi",
    "PHI_LIBRARY",
    "get_phi",
    "backward_rates",
    "backward_generator",
    "random_walk_moves",
    "random_walk_scores",
    "biased_walk_scores",
    "BiasedWalkScores",
    "FunctionalValue",
    "DerivativeValue",
    "score_functional",
    "score_functional_derivative",
    "masked_conditional",
    "masked_raw_scores",
]


class ScoreError(ValueError):
    """A score or score functional that is undefined for the given input."""


class UndecidedError(ScoreError):
    """A ball is too wide to decide whether a mass is zero (raise the precision or narrow the time ball)."""


# =============================================================================================
# 1. Φ library
# =============================================================================================


def _sqr(x, T: Tier):
    """``x²``, kept non-negative for balls straddling 0."""
    if T.name == "certified":
        if x > 0 or x < 0:
            return x * x
        hi = abs(x).upper()
        hi = hi * hi
        return arb(hi / 2, hi / 2)
    return x * x


def _clip_nonneg(x, T: Tier):
    """Intersect a ball with ``[0, ∞)`` (for quantities known to be ``≥ 0``)."""
    if T.name == "certified" and not x >= 0:
        up = x.upper()
        if up < 0:  # pragma: no cover - would contradict the mathematics
            raise ScoreError("a quantity that is non-negative by convexity has a negative enclosure")
        return arb(up / 2, up / 2)
    return x


@dataclass(frozen=True)
class Phi:
    """A convex function ``Φ`` on ``[0, ∞)`` with its first two derivatives, usable in every tier.

    ``f, df, d2f`` take ``(x, tier)`` and return tier scalars.  ``at_zero`` is ``Φ(0)`` (``None``:
    ``+∞``); ``slope_inf`` is ``lim_{u→∞} Φ(u)/u`` (``None``: ``+∞``), used by the perspective
    convention off the support.  ``centred`` means ``Φ'(1) = 0`` (so ``Φ'(u)(u−1) ≥ 0``);
    ``d2_decreasing`` that ``Φ''`` is non-increasing on ``(0, ∞)`` (then ``Φ''`` of a ball is
    enclosed from its two end points, avoiding dependency blow-up).

    >>> phi = get_phi("chi2")
    >>> T = get_tier("exact")
    >>> phi(T.scalar(3), T), phi.bregman(T.scalar(3), T.scalar(1), T)
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
        T = get_tier(tier)
        if T.name == "certified" and self.d2f is not None:
            h = a.union(b)
            diff = a - b
            if not h > 0 or (a.rad() + b.rad()) * 2**24 <= abs(diff.mid()):
                # point-like arguments: the direct formula is tight
                return _clip_nonneg(self.f(a, T) - self.f(b, T) - self.df(b, T) * diff, T) if h > 0 else (
                    self.f(a, T) - self.f(b, T) - self.df(b, T) * diff)
            taylor = _sqr(diff, T) * self._d2_on(h, T) / 2
            direct = None
            if not taylor.is_finite() or taylor.rad() > abs(taylor.mid()) / 4:
                # far-apart arguments (Φ'' varies a lot on the hull): the direct formula may be tighter
                direct = self.f(a, T) - self.f(b, T) - self.df(b, T) * diff
                if not taylor.is_finite():
                    return direct
            taylor = _clip_nonneg(taylor, T)
            if direct is not None and taylor.overlaps(direct):
                return taylor.intersection(direct)
            return taylor
        return self.f(a, T) - self.f(b, T) - self.df(b, T) * (a - b)

    def _d2_on(self, h, T: Tier):
        """``Φ''`` over the ball ``h``; for decreasing ``Φ''`` from the two (exact) end points."""
        if self.d2_decreasing:
            lo, hi = arb(h.lower()), arb(h.upper())
            return self.d2f(hi, T).union(self.d2f(lo, T))
        return self.d2f(h, T)

    def dphi_times_u_minus_one(self, u, T: Tier):
        """``Φ'(u)(u − 1)``; for centred ``Φ`` enclosed as ``(u−1)²·Φ''(hull{u, 1}) ≥ 0``."""
        if self.centred and T.name == "certified" and self.d2f is not None:
            h = u.union(T.one)
            direct = self.df(u, T) * (u - T.one)
            if h > 0 and (_sqr(u - T.one, T) * self._d2_on(h, T)).is_finite():
                taylor = _clip_nonneg(_sqr(u - T.one, T) * self._d2_on(h, T), T)
                return taylor.intersection(direct) if taylor.overlaps(direct) else taylor
            return direct
        return self.df(u, T) * (u - T.one)

    def __repr__(self) -> str:
        return f"Phi({self.name}: {self.formula})" if self.formula else f"Phi({self.name})"


def _log(x, T):
    return T.log(x)


def _xlogx(x, T):
    return T.xlogy(x, x)


PHI_LIBRARY: dict[str, Phi] = {
    "kl": Phi(
        "kl",
        lambda x, T: _xlogx(x, T) - x + T.one,
        lambda x, T: _log(x, T),
        lambda x, T: T.one / x,
        centred=True,
        at_zero=1,
        slope_inf=None,
        formula="u log u − u + 1", d2_decreasing=True,
    ),
    "burg": Phi(
        "burg",
        lambda x, T: x - T.one - _log(x, T),
        lambda x, T: T.one - T.one / x,
        lambda x, T: T.one / (x * x),
        centred=True,
        at_zero=None,
        slope_inf=1,
        formula="u − 1 − log u", d2_decreasing=True,
    ),
    "chi2": Phi(
        "chi2",
        lambda x, T: (x - T.one) * (x - T.one),
        lambda x, T: 2 * (x - T.one),
        lambda x, T: T.scalar(2),
        centred=True,
        at_zero=1,
        slope_inf=None,
        formula="(u − 1)²",
    ),
    "hellinger": Phi(
        "hellinger",
        lambda x, T: x - 2 * T.sqrt(x) + T.one,
        lambda x, T: T.one - T.one / T.sqrt(x),
        lambda x, T: T.one / (2 * x * T.sqrt(x)),
        centred=True,
        at_zero=1,
        slope_inf=1,
        formula="(√u − 1)²", d2_decreasing=True,
    ),
    "ulogu": Phi(
        "ulogu",
        lambda x, T: _xlogx(x, T),
        lambda x, T: _log(x, T) + T.one,
        lambda x, T: T.one / x,
        centred=False,
        at_zero=0,
        slope_inf=None,
        formula="u log u", d2_decreasing=True,
    ),
    "identity": Phi(
        "identity",
        lambda x, T: x,
        lambda x, T: T.one,
        lambda x, T: T.zero,
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
    mdtheory.scores.ScoreError: unknown Φ 'entropy'; choose one of kl, burg, chi2, hellinger, ulogu, identity or pass a scores.Phi
    """
    if isinstance(phi, Phi):
        return phi
    if isinstance(phi, str) and phi in PHI_LIBRARY:
        return PHI_LIBRARY[phi]
    raise ScoreError(f"unknown Φ {phi!r}; choose one of {', '.join(PHI_LIBRARY)} or pass a scores.Phi")


# =============================================================================================
# helpers
# =============================================================================================


def _ew(fn, T: Tier, *arrays) -> np.ndarray:
    """Apply ``fn`` elementwise over equally shaped arrays (object or float)."""
    shape = np.asarray(arrays[0]).shape
    flats = [np.asarray(a).reshape(-1) for a in arrays]
    out = np.empty(len(flats[0]), dtype=object if T.dtype is object else np.float64)
    for k in range(len(out)):
        out[k] = fn(*(f[k] for f in flats))
    return out.reshape(shape)


def _sum(T: Tier, values) -> Any:
    s = T.zero
    for v in values:
        s = s + v
    return s


def _slc(d: int, axis: int, value) -> tuple:
    s = [slice(None)] * d
    s[axis] = value
    return tuple(s)


def _certainly_positive(x, T: Tier) -> bool:
    return T.compare(x, T.zero) == 1


def _zero_status(x, T: Tier):
    """True if certainly 0, False if certainly > 0, None if undecided."""
    z = T.is_zero(x)
    if z is True:
        return True
    if _certainly_positive(x, T):
        return False
    return None


def _as_generator(process) -> tuple[KroneckerSum, Process]:
    if isinstance(process, Process):
        return process.generator, process
    if isinstance(process, KroneckerSum):
        return process, Process(process)
    raise ScoreError(
        f"expected a generator (e.g. generators.random_walk(m, d)) or a propagate.Process, got {type(process).__name__}"
    )


def _family(gen: KroneckerSum) -> str:
    fams = {f.family for f in gen.factors}
    if len(fams) != 1:
        raise ScoreError(f"mixed coordinate families {sorted(fams)}; scores need one family for all coordinates")
    return fams.pop()


# =============================================================================================
# 2. backward generators
# =============================================================================================


def backward_rates(probs: np.ndarray, generator: KroneckerSum, tier: "str | Tier" = "certified") -> dict:
    """Rates of the time reversal, ``q̄(x, x^{j←b}) = q_j(b, x_j)·p(x^{j←b})/p(x)``.

    Returns ``{(j, a, b): array}``: for every coordinate ``j`` and every forward edge ``b → a``
    of its generator, the rate of the backward move ``a → b`` at the states with ``x_j = a``
    (an array over those states: shape ``space.shape`` with axis ``j`` of length 1).  Zero-mass
    states get rate ``0`` (documented convention).

    >>> from mdtheory import generators
    >>> import numpy as np
    >>> g = generators.random_walk(2, 1, 1, 1)
    >>> r = backward_rates(np.array(["1/4", "3/4"], dtype=object), g, "exact")
    >>> r[(0, 0, 1)].item(), r[(0, 1, 0)].item()
    (6, 2/3)
    """
    T = get_tier(tier)
    p = T.array(np.asarray(probs, dtype=object) if not isinstance(probs, np.ndarray) else probs)
    p = p.reshape(generator.space.shape)
    d = generator.d
    out = {}
    with T.active():
        for j, f in enumerate(generator.factors):
            for a in range(f.n):
                for b in range(f.n):
                    if a == b or f.offdiag[b][a] == 0:
                        continue
                    rate = T.scalar(f.offdiag[b][a])
                    pa, pb = p[_slc(d, j, slice(a, a + 1))], p[_slc(d, j, slice(b, b + 1))]

                    def one(x, y, rate=rate):
                        z = _zero_status(x, T)
                        if z is True:
                            return T.zero
                        if z is None:
                            raise UndecidedError("cannot decide whether a state has zero mass; raise the precision")
                        return rate * y / x

                    out[(j, a, b)] = _ew(one, T, pa, pb)
    return out


def backward_generator(probs: np.ndarray, generator: KroneckerSum, tier: "str | Tier" = "certified") -> np.ndarray:
    """The full backward generator ``Q̄`` (size × size; small spaces only), rows summing to 0.

    >>> from mdtheory import generators
    >>> g = generators.random_walk(2, 1, 1, 1)
    >>> backward_generator(np.array(["1/4", "3/4"], dtype=object), g, "exact").tolist()
    [[-6, 6], [2/3, -2/3]]
    """
    T = get_tier(tier)
    space = generator.space
    n = space.size
    from .spaces import check_fits

    check_fits(n * n, T.bytes_per_entry, f"the backward generator on {space!r}", copies=2)
    rates = backward_rates(probs, generator, T)
    Q = T.zeros((n, n))
    d = generator.d
    idx = np.arange(n).reshape(space.shape)
    with T.active():
        for (j, a, b), R in rates.items():
            src = idx[_slc(d, j, slice(a, a + 1))].reshape(-1)
            dst = idx[_slc(d, j, slice(b, b + 1))].reshape(-1)
            for s, t_, r in zip(src, dst, R.reshape(-1)):
                Q[s, t_] = Q[s, t_] + r
                Q[s, s] = Q[s, s] - r
    return Q


# =============================================================================================
# 3. random walk on Z_m^d
# =============================================================================================


def random_walk_moves(generator: KroneckerSum) -> list[tuple[int, int]]:
    """The score directions ``(i, ±1)``; for ``m = 2`` only ``(i, +1)`` (``+e_i = −e_i``).

    >>> from mdtheory import generators
    >>> random_walk_moves(generators.random_walk(2, 2)), len(random_walk_moves(generators.random_walk(3, 2)))
    ([(0, 1), (1, 1)], 4)
    """
    if _family(generator) != "random_walk":
        raise ScoreError("random_walk_moves needs a generators.random_walk process")
    m = generator.space.radix
    signs = (1,) if m == 2 else (1, -1)
    return [(i, s) for i in range(generator.d) for s in signs]


def _rw_move_rate(generator: KroneckerSum, i: int, s: int) -> Fraction:
    """Forward rate of the move ``+s·e_i`` (``m = 2``: the flip rate ``r₊ + r₋``)."""
    p = generator.factors[i].param
    if generator.space.radix == 2:
        return p["rate_plus"] + p["rate_minus"]
    return p["rate_plus"] if s == 1 else p["rate_minus"]


def random_walk_scores(probs: np.ndarray, generator: KroneckerSum, tier: "str | Tier" = "certified") -> dict:
    """``{(i, s): u}`` with ``u(x) = p(x + s·e_i)/p(x)`` (indices mod m); needs ``p > 0``.

    The backward process at forward time ``t`` moves ``x → x + s e_i`` at rate
    ``q(−s)·u_{i,s}(x)`` (``q(−s)`` the forward rate of ``−s e_i``; see :func:`backward_rates`).

    >>> from mdtheory import generators
    >>> u = random_walk_scores(np.array(["1/2", "1/3", "1/6"], dtype=object), generators.random_walk(3, 1), "exact")
    >>> [str(v) for v in u[(0, 1)]], [str(v) for v in u[(0, -1)]]
    (['2/3', '1/2', '3'], ['1/3', '3/2', '2'])
    """
    T = get_tier(tier)
    p = T.array(np.asarray(probs, dtype=object) if not isinstance(probs, np.ndarray) else probs)
    p = p.reshape(generator.space.shape)
    out = {}
    with T.active():
        for i, s in random_walk_moves(generator):
            out[(i, s)] = _ew(lambda y, x: _ratio(y, x, T), T, np.roll(p, -s, axis=i), p)
    return out


def _ratio(y, x, T: Tier, c=None):
    z = _zero_status(x, T)
    if z is None:
        raise UndecidedError("cannot decide p(x) > 0 for the score p(y)/p(x); raise the precision or narrow the time ball")
    if z:
        raise ScoreError("the score p(y)/p(x) needs p(x) > 0; take t > 0 (p_t has full support for t > 0)")
    return y / x if c is None else y / (c * x)


# =============================================================================================
# 4. biased walk on the truncated lattice
# =============================================================================================


@dataclass
class BiasedWalkScores:
    """Scores of the truncated biased walk along ``e_i`` on the domain ``x_i ≤ L − 1``.

    ``scores[i]`` is an array over the full lattice shape; entries outside ``domain[i]`` are
    ``None``.  ``overflow_bound`` is the (upper end of the) mass on the overflow level.
    """

    scores: dict
    domain: dict
    relative: bool
    rho: Fraction
    overflow_bound: float
    tier: Tier


def _brw_domain(space: TruncatedLattice, i: int) -> np.ndarray:
    D = np.zeros(space.shape, dtype=bool)
    D[_slc(space.d, i, slice(0, space.L))] = True
    return D


def _brw_params(generator: KroneckerSum) -> tuple[Fraction, Fraction]:
    ps = {(f.param["up"], f.param["down"]) for f in generator.factors}
    if len(ps) != 1:
        raise ScoreError("all coordinates of the biased walk must share (up, down)")
    a, b = ps.pop()
    if b == 0:
        raise ScoreError("the biased walk needs a positive down rate")
    return a, b


class OverflowBound(float):
    """A rigorous upper bound on the overflow mass: a float rounded *up* (for display and float
    comparisons) that keeps the exact rational upper end of the certified ball in ``.exact``
    (a ``Fraction``; use it in certified comparisons, never the float).

    >>> b = OverflowBound.of(Fraction(1, 3))
    >>> b >= 1 / 3, b.exact
    (True, Fraction(1, 3))
    """

    exact: Fraction

    @classmethod
    def of(cls, upper: Fraction) -> "OverflowBound":
        f = float(upper)
        if Fraction(f) < upper:
            f = math.nextafter(f, math.inf)
        out = cls(f)
        out.exact = upper
        return out


def _arb_upper_exact(x: arb) -> Fraction:
    m, e = x.upper().man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2 ** (-e))


def _overflow_upper(probs: np.ndarray, space: TruncatedLattice, T: Tier) -> float:
    with T.active():
        mass = space.overflow_mass(probs, T)
    if T.name == "certified":
        return OverflowBound.of(_arb_upper_exact(mass))
    if T.name == "exact":
        return OverflowBound.of(as_fraction(mass))
    return float(mass)


def _overflow_bound(law, proc, p, T: Tier, t, tau) -> float:
    """Upper bound on the overflow mass at time ``t`` (or over a time ball: at its upper end, since
    the overflow level is absorbing and its mass is non-decreasing in time).  In the exact and
    certified tiers it is an :class:`OverflowBound` (rounded up, exact upper end in ``.exact``)."""
    x = t if t is not None else tau
    if isinstance(x, arb) and not x.is_exact():
        top = arb(x.upper())
        q = forward(law, proc, t=top if t is not None else None, tau=top if tau is not None else None, tier=T).probs
        return _overflow_upper(q, proc.generator.space, T)
    return _overflow_upper(p, proc.generator.space, T)


def biased_walk_scores(
    probs: np.ndarray, generator: KroneckerSum, tier: "str | Tier" = "certified", relative: bool = True
) -> BiasedWalkScores:
    """Raw ``p(x+e_i)/p(x)`` or relative ``v = p(x+e_i)/(ρ p(x))`` scores of the truncated biased walk.

    Defined for ``x_i ≤ L − 1`` (so that ``x + e_i`` is a lattice level, not overflow).
    Backward rates: up ``a·v_i(x)``, down ``b/v_i(x − e_i)`` (``ρ = a/b``).

    >>> from mdtheory import generators
    >>> g = generators.biased_walk(L=2, d=1, up="1/2", down=1)
    >>> s = biased_walk_scores(np.array(["1/2", "1/4", "1/8", "1/8"], dtype=object), g, "exact")
    >>> [str(v) for v in s.scores[0][:2]], s.overflow_bound
    (['1', '1'], 0.125)
    """
    T = get_tier(tier)
    space = generator.space
    if not isinstance(space, TruncatedLattice):
        raise ScoreError("biased_walk_scores needs a generators.biased_walk process (TruncatedLattice)")
    a, b = _brw_params(generator)
    rho = a / b
    p = T.array(np.asarray(probs, dtype=object) if not isinstance(probs, np.ndarray) else probs)
    p = p.reshape(space.shape)
    scores, domain = {}, {}
    with T.active():
        c = T.scalar(rho) if relative else None
        for i in range(space.d):
            D = _brw_domain(space, i)
            up = np.roll(p, -1, axis=i)
            arr = np.empty(space.shape, dtype=object)
            for x in zip(*np.nonzero(D)):
                arr[x] = _ratio(up[x], p[x], T, c)
            scores[i], domain[i] = arr, D
    return BiasedWalkScores(scores, domain, relative, rho, _overflow_upper(p, space, T), T)


# =============================================================================================
# 5. score functionals and their derivatives (random walk, biased walk)
# =============================================================================================


@dataclass
class FunctionalValue:
    """``F = E_{p_t}[Φ(score)]`` (summed over the chosen directions).

    ``value`` is a tier scalar or ``math.inf``; ``terms`` maps each direction to its part;
    ``overflow_bound`` is set for the biased walk (else ``None``).
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


def _resolve_tier(law: Law, tier, prec) -> Tier:
    if tier is None:
        return law.tier if prec is None else get_tier(law.tier, prec)
    return get_tier(tier, prec)


TAYLOR_ORDER = 4  #: order of the Taylor model used for marginals over a time ball


def _marginal(law: Law, proc: Process, T: Tier, t, tau) -> np.ndarray:
    """``p_t`` as tier scalars; over a time *ball* (certified tier) a Taylor model in ``τ``.

    For a ball ``τ = τ₀ + s``: ``p(τ) = Σ_{k<K} s^k/k!·p(τ₀)Q^k + s^K/K!·p(ξ)Q^K`` with ``ξ`` in the
    ball (Lagrange remainder, entrywise), and ``p(ξ)`` enclosed by the plain ball evaluation.  The
    first terms are point evaluations, so the enclosure's width follows the true variation of
    ``p`` over the ball instead of the (non-decaying) width of ``exp(τQ)`` over it.
    """
    x = t if t is not None else tau
    if T.name == "certified" and isinstance(x, arb) and not x.is_exact() and x.is_finite():
        with T.active():
            tt = proc.clock.tau(t, T) if t is not None else T.scalar(tau)
            tau0 = arb(tt.mid())
            sball = tt - tau0
            p0 = _marginal_point(law, proc, T, None, tau0)
            loose = _marginal_point(law, proc, T, None, tt)
            gen = proc.generator
            out = p0.copy()
            v = p0
            fact = 1
            spow = T.one
            for k in range(1, TAYLOR_ORDER):
                v = gen.apply(v, T)
                fact *= k
                spow = spow * sball  # (arb's ** of a ball around 0 is nan; multiply instead)
                out = out + v * (spow / fact)
            r = loose
            for _ in range(TAYLOR_ORDER):
                r = gen.apply(r, T)
            out = out + r * (spow * sball / (fact * TAYLOR_ORDER))
            # intersect with the plain enclosure (both are valid)
            flat_o, flat_l = out.reshape(-1), loose.reshape(-1)
            for k in range(flat_o.size):
                if flat_o[k].overlaps(flat_l[k]):
                    flat_o[k] = flat_o[k].intersection(flat_l[k])
            return out
    return _marginal_point(law, proc, T, t, tau)


def _marginal_point(law: Law, proc: Process, T: Tier, t, tau) -> np.ndarray:
    if (t is None) == (tau is None):
        raise ScoreError("give exactly one of t (clock time) or tau (integrated rate)")
    if t is not None and not isinstance(t, arb) and as_fraction(t) == 0 or tau is not None and not isinstance(tau, arb) and as_fraction(tau) == 0:
        lw = law if law.tier == T else law.to_tier(T)
        if lw.space != proc.space:
            raise ScoreError(f"the law lives on {law.space!r} but the process on {proc.space!r}")
        return lw.probs
    gen = proc.generator
    if T.name == "certified" and _family(gen) == "random_walk" and gen.space.radix > 2:
        # Fourier form of the circulant kernel: the non-stationary modes carry their decay
        # e^{τ Re ĉ_j}, so the enclosure over a time *ball* shrinks with t (arb_mat.exp's does not)
        if law.space != gen.space:
            raise ScoreError(f"the law lives on {law.space!r} but the process on {gen.space!r}")
        tt = proc.clock.tau(t, T) if t is not None else T.scalar(tau)
        lw = law if law.tier == T else law.to_tier(T)
        kernels = [_rw_fourier_kernel(f, tt, T) for f in gen.factors]
        return mode_products(lw.probs, kernels, T)
    return forward(law, proc, t=t, tau=tau, tier=T).probs


def _rw_fourier_kernel(f, tau, T: Tier) -> np.ndarray:
    """``P(x, y) = k(y − x)``, ``k(z) = (1/m) Σ_j exp(τ ĉ_j)·ω^{−jz}``, ``ĉ_j = r₊ω^j + r₋ω^{−j} − r₊ − r₋``."""
    m = f.n
    rp, rm = T.scalar(f.param["rate_plus"]), T.scalar(f.param["rate_minus"])
    with flint_ctx.workprec(T.prec):
        w = [acb(arb(2 * j) / m).exp_pi_i() for j in range(m)]  # ω^j = e^{2πij/m}
        modes = [acb(1)] + [(acb(tau) * (rp * w[j] + rm * w[(m - j) % m] - rp - rm)).exp() for j in range(1, m)]
        k = []
        for z in range(m):
            s = acb(0)
            for j in range(m):
                s += modes[j] * w[(-j * z) % m]
            k.append(s.real / m)
    K = T.zeros((m, m))
    for x in range(m):
        for y in range(m):
            K[x, y] = k[(y - x) % m]
    return K


def _directions(gen: KroneckerSum, family: str, direction) -> list:
    if isinstance(direction, list):  # several directions, summed
        out = []
        for dd in direction:
            out.extend(_directions(gen, family, dd))
        return out
    if family == "random_walk":
        moves = random_walk_moves(gen)
        if direction is None:
            return moves
        i, s = direction
        s = 1 if (gen.space.radix == 2) else int(s)
        if (int(i), s) not in moves:
            raise ScoreError(f"direction {direction} is not a move (i, ±1) with 0 ≤ i < {gen.d}")
        return [(int(i), s)]
    if direction is None:
        return [(i, 1) for i in range(gen.d)]
    i = direction[0] if isinstance(direction, tuple) else direction
    if not 0 <= int(i) < gen.d:
        raise ScoreError(f"coordinate {i} is out of range for d={gen.d}")
    return [(int(i), 1)]


def _setup(law, process, phi, t, tau, tier, prec, score):
    gen, proc = _as_generator(process)
    family = _family(gen)
    if not isinstance(law, Law):
        raise ScoreError(f"expected the data law as a mdtheory.Law, got {type(law).__name__}")
    T = _resolve_tier(law, tier, prec)
    phi = get_phi(phi)
    if family == "random_walk":
        if score not in ("auto", "raw"):
            raise ScoreError(f"the random walk has only the raw score, got score={score!r}")
        score, c = "raw", None
    elif family == "biased_walk":
        if score not in ("auto", "relative", "raw"):
            raise ScoreError(f"the biased walk has score='relative' (default) or 'raw', got {score!r}")
        score = "relative" if score == "auto" else score
        a, b = _brw_params(gen)
        c = a / b if score == "relative" else None
    else:
        raise ScoreError(f"no score functional for the {family!r} process here; use random_walk, biased_walk or masking")
    return gen, proc, family, T, phi, score, c


def _dir_arrays(p, gen, family, i, s, c, T):
    """(shifted p(x + s e_i), domain mask, scores u on the domain (None elsewhere))."""
    shape = gen.space.shape
    up = np.roll(p, -s, axis=i)
    D = np.ones(shape, dtype=bool) if family == "random_walk" else _brw_domain(gen.space, i)
    return up, D, c


def _functional_terms(p, gen, family, dirs, c, phi: Phi, T: Tier) -> dict:
    cs = None if c is None else T.scalar(c)
    terms = {}
    for i, s in dirs:
        up, D, _ = _dir_arrays(p, gen, family, i, s, c, T)
        total = T.zero
        for x in zip(*np.nonzero(D)):
            px, py = p[x], up[x]
            y = py if cs is None else py / cs
            zx = _zero_status(px, T)
            if zx is None:
                raise UndecidedError("cannot decide whether a state has zero mass; raise the precision")
            if zx:
                if _zero_status(y, T) is True:
                    continue
                if phi.slope_inf is None:
                    total = math.inf
                    break
                total = total + y * T.scalar(phi.slope_inf)
                continue
            if _zero_status(y, T) is True:
                if phi.at_zero is None:
                    total = math.inf
                    break
                total = total + px * T.scalar(phi.at_zero)
                continue
            total = total + px * phi.f(y / px, T)
        terms[(i, s)] = total
    return terms


def score_functional(
    law: Law,
    process,
    phi: "str | Phi",
    t=None,
    *,
    tau=None,
    alpha=None,
    direction=None,
    score: str = "auto",
    tier: "str | Tier | None" = None,
    prec: int | None = None,
) -> FunctionalValue:
    """``F = E_{p_t}[Φ(score)]`` for the data law ``law`` run forward by ``process`` to time ``t``.

    Parameters
    ----------
    law : Law
        The data law ``μ = p_0`` on the process's space (masking: on ``Z_m^d``).
    process : KroneckerSum or Process
        ``generators.random_walk``, ``generators.biased_walk`` or ``generators.masking``.
    phi : str or Phi
        A library name (``kl``, ``burg``, ``chi2``, ``hellinger``, ``ulogu``, ``identity``) or a :class:`Phi`.
    t, tau, alpha :
        Forward clock time, integrated rate, or (masking) keep probability ``α``.  ``t`` and
        ``tau`` may be ``arb`` balls (interval evaluation).
    direction :
        Random walk: a move ``(i, ±1)``; biased walk / masking: a coordinate ``i``;
        ``None`` sums over all; a list sums over the listed ones (random and biased walk).
    score : str
        Random walk: ``'raw'``; biased walk: ``'relative'`` (default, ``v = p(x+e_i)/(ρp(x))``) or
        ``'raw'``; masking: ``'conditional'`` (default, ``Σ_a Φ(π_i(a|x_U))`` with each ``j ≠ i``
        revealed w.p. ``α``) or ``'raw'`` (``Σ_{i masked} Σ_a Φ((α/(1−α))π_i(a|x_U))``).

    Returns
    -------
    FunctionalValue
        ``.value`` (tier scalar or ``math.inf``), per-direction ``.terms``, and for the biased
        walk the certified ``.overflow_bound``.
    """
    gen, _ = _as_generator(process)
    if _family(gen) == "masking":
        return _masked_functional(law, process, phi, t, tau, alpha, direction, score, tier, prec)
    if alpha is not None:
        raise ScoreError("alpha applies to the masking process only; give t or tau")
    gen, proc, family, T, phi, score, c = _setup(law, process, phi, t, tau, tier, prec, score)
    with T.active():
        p = _marginal(law, proc, T, t, tau)
        dirs = _directions(gen, family, direction)
        terms = _functional_terms(p, gen, family, dirs, c, phi, T)
        vals = list(terms.values())
        value = math.inf if any(v is math.inf for v in vals) else _sum(T, vals)
        ob = _overflow_bound(law, proc, p, T, t, tau) if family == "biased_walk" else None
    return FunctionalValue(value, T, phi, score, terms, ob, t if t is not None else tau)


def _time_factor(proc: Process, t, T: Tier):
    """``dτ/dt = β(t)`` of the clock (exponential clock: its rate)."""
    return proc.clock.beta(t, T)


def score_functional_derivative(
    law: Law,
    process,
    phi: "str | Phi",
    t=None,
    *,
    tau=None,
    alpha=None,
    direction=None,
    score: str = "auto",
    method: str = "bregman",
    tier: "str | Tier | None" = None,
    prec: int | None = None,
) -> DerivativeValue:
    """Exact time derivative of :func:`score_functional` (same parameters).

    ``method='bregman'`` (default): ``−E[Σ_{y∈D} q̄(x,y)·B_Φ(u(y),u(x))]`` plus, for the biased
    walk, the reflecting-0 term ``E[1{x_i=0}Φ'(u)(a/c − b u)]`` and the truncation term
    ``E[1{x_i=L−1}((bcu − a)Φ(u) − bcu²Φ'(u))]`` (reported separately as ``boundary`` and
    ``truncation``).  ``method='direct'``: the chain rule
    ``Σ_{x∈D} ṗ(x)(Φ(u) − uΦ'(u)) + Φ'(u)·ṗ(x+e)/c`` with ``ṗ = pQ`` — an independent formula.
    With ``t`` the derivative is in clock time (times ``β(t)``); with ``tau`` in integrated rate;
    masking: with ``alpha`` in ``α``.

    >>> from mdtheory import Law, generators
    >>> from mdtheory.spaces import TruncatedLattice
    >>> g = generators.biased_walk(L=12, d=1, up="1/2", down=1)
    >>> mu = Law.point(TruncatedLattice(12, 1), (0,))
    >>> dv = score_functional_derivative(mu, g, "ulogu", t=1, tier="certified", prec=96)
    >>> dv.sign(), dv.overflow_bound < 1e-3
    (1, True)
    """
    gen, _ = _as_generator(process)
    if _family(gen) == "masking":
        return _masked_derivative(law, process, phi, t, tau, alpha, direction, score, tier, prec)
    if alpha is not None:
        raise ScoreError("alpha applies to the masking process only; give t or tau")
    if method not in ("bregman", "direct"):
        raise ScoreError(f"unknown method {method!r}; use 'bregman' or 'direct'")
    gen, proc, family, T, phi, score, c = _setup(law, process, phi, t, tau, tier, prec, score)
    with T.active():
        p = _marginal(law, proc, T, t, tau)
        dirs = _directions(gen, family, direction)
        if method == "direct":
            value = _direct_derivative(p, gen, family, dirs, c, phi, T)
            parts = (None, None, None)
        else:
            parts = _bregman_derivative(p, gen, family, dirs, c, phi, T)
            value = -parts[0] + parts[1] + parts[2]
        wrt = "tau"
        if t is not None:
            value = value * _time_factor(proc, t, T)
            parts = tuple(None if v is None else v * _time_factor(proc, t, T) for v in parts)
            wrt = "t"
        ob = _overflow_bound(law, proc, p, T, t, tau) if family == "biased_walk" else None
    return DerivativeValue(
        value, T, phi, score, method, wrt, parts[0], parts[1], parts[2], ob, t if t is not None else tau
    )


def _scores_on_domain(p, up, D, cs, T):
    U = np.empty(p.shape, dtype=object)
    for x in zip(*np.nonzero(D)):
        U[x] = _ratio(up[x], p[x], T, cs)
    return U


def _bregman_derivative(p, gen, family, dirs, c, phi: Phi, T: Tier):
    """(Bregman sum ≥ 0, boundary term, truncation term), derivative in τ is −B + bd + tr."""
    d = gen.d
    cs = None if c is None else T.scalar(c)
    breg, bound, trunc = T.zero, T.zero, T.zero
    for i, s in dirs:
        up, D, _ = _dir_arrays(p, gen, family, i, s, c, T)
        U = _scores_on_domain(p, up, D, cs, T)
        for j, f in enumerate(gen.factors):
            for a in range(f.n):
                for b in range(f.n):
                    if a == b or f.offdiag[b][a] == 0:
                        continue
                    rate = T.scalar(f.offdiag[b][a])
                    sa, sb = _slc(d, j, slice(a, a + 1)), _slc(d, j, slice(b, b + 1))
                    Da, Db = D[sa], D[sb]
                    Ua, Ub, pb = U[sa], U[sb], p[sb]
                    for k in zip(*np.nonzero(Da & Db)):
                        # p(x) q̄(x, y) = q(y → x)·p(y)
                        breg = breg + rate * pb[k] * phi.bregman(Ub[k], Ua[k], T)
        if family == "biased_walk":
            A, B = (T.scalar(v) for v in _brw_params(gen))
            L = gen.space.L
            cc = T.one if cs is None else cs
            # reflecting 0: E[1{x_i=0} Φ'(u)(a/c − b u)]
            s0 = _slc(d, i, slice(0, 1))
            for k in zip(*np.nonzero(D[s0])):
                u, px = U[s0][k], p[s0][k]
                if cs is not None:  # relative score: a/c = b, term = −b Φ'(v)(v − 1)
                    bound = bound - B * px * phi.dphi_times_u_minus_one(u, T)
                else:
                    bound = bound + px * phi.df(u, T) * (A / cc - B * u)
            # truncation at L: E[1{x_i=L−1}((b c u − a)Φ(u) − b c u² Φ'(u))]
            sl = _slc(d, i, slice(L - 1, L))
            for k in zip(*np.nonzero(D[sl])):
                u, px = U[sl][k], p[sl][k]
                trunc = trunc + px * ((B * cc * u - A) * phi.f(u, T) - B * cc * u * u * phi.df(u, T))
    return breg, bound, trunc


def _direct_derivative(p, gen, family, dirs, c, phi: Phi, T: Tier):
    cs = None if c is None else T.scalar(c)
    pdot = gen.apply(p, T)
    total = T.zero
    for i, s in dirs:
        up, D, _ = _dir_arrays(p, gen, family, i, s, c, T)
        updot = np.roll(pdot, -s, axis=i)
        for x in zip(*np.nonzero(D)):
            u = _ratio(up[x], p[x], T, cs)
            fu, dfu = phi.f(u, T), phi.df(u, T)
            shifted = updot[x] if cs is None else updot[x] / cs
            total = total + pdot[x] * (fu - u * dfu) + dfu * shifted
    return total


# =============================================================================================
# 6. masking (raw concrete score and normalised conditionals)
# =============================================================================================
#
# The masked marginal is p_α(x) = α^{|U|}(1−α)^{|M|}·μ_U(x_U) (U unmasked, M masked), so every
# functional is a polynomial-times-Φ expression in α over subsets U, computed from the data law's
# marginals μ_U.  Issue 6 extends this section for masked samplers.


def masked_conditional(law: Law, i: int, revealed: dict, tier: "str | Tier | None" = None):
    """``π_i(·|x_U)``: the law of coordinate ``i`` given the revealed values ``{j: x_j}``.

    Returns a list of ``m`` tier scalars, or ``None`` when the context has zero mass (0/0).

    >>> from mdtheory import Law, ProductSpace
    >>> mu = Law(ProductSpace(2, 2), {(0, 0): "1/2", (0, 1): "1/4", (1, 1): "1/4"})
    >>> [str(v) for v in masked_conditional(mu, 0, {1: 1})], masked_conditional(mu, 0, {}) is not None
    (['1/2', '1/2'], True)
    """
    T = _resolve_tier(law, tier, None)
    if not isinstance(law.space, ProductSpace):
        raise ScoreError(f"masked conditionals need the data law on Z_m^d, not {law.space!r}")
    probs = law.probs if law.tier == T else law.to_tier(T).probs
    with T.active():
        sl = [slice(None)] * law.space.d
        for j, v in revealed.items():
            if j == i:
                raise ScoreError(f"coordinate {i} cannot be both revealed and queried")
            sl[j] = int(v)
        block = probs[tuple(sl)]
        # remaining axes: those not revealed; find the axis of i in the block
        remaining = [k for k in range(law.space.d) if k not in revealed]
        ax = remaining.index(i)
        marg = [T.total(np.asarray(np.take(block, a, axis=ax))) for a in range(law.space.m)]
        tot = _sum(T, marg)
        z = _zero_status(tot, T)
        if z is True:
            return None
        if z is None:
            raise UndecidedError("cannot decide whether a context has zero mass; raise the precision")
        return [v / tot for v in marg]


def masked_raw_scores(law: Law, alpha, state, tier: "str | Tier | None" = None) -> dict:
    """Raw concrete scores ``s(x)_{i,a} = p_α(x^{i←a})/p_α(x) = (α/(1−α))·π_i(a|x_U)`` at a masked state.

    ``state`` uses ``m`` for the mask; returns ``{(i, a): score}`` over masked ``i``
    (``{}`` if the state has zero mass).

    >>> from mdtheory import Law, ProductSpace
    >>> mu = Law(ProductSpace(2, 2), {(0, 0): "1/2", (1, 1): "1/2"})
    >>> {k: str(v) for k, v in masked_raw_scores(mu, "1/3", (2, 1)).items()}
    {(0, 0): '0', (0, 1): '1/2'}
    """
    T = _resolve_tier(law, tier, None)
    m = law.space.m
    with T.active():
        a = T.scalar(alpha)
        lam = a / (T.one - a)
        rev = {j: v for j, v in enumerate(state) if v != m}
        out = {}
        for i, v in enumerate(state):
            if v != m:
                continue
            pi = masked_conditional(law, i, rev, T)
            if pi is None:
                return {}
            for b in range(m):
                out[(i, b)] = lam * pi[b]
    return out


def _subsets(items):
    items = list(items)
    for r in range(len(items) + 1):
        yield from itertools.combinations(items, r)


def _contexts(law: Law, U: tuple, T: Tier, probs):
    """Yield (x_U dict, μ_U(x_U)) with positive mass."""
    d, m = law.space.d, law.space.m
    others = tuple(k for k in range(d) if k not in U)
    marg = probs
    for k in sorted(others, reverse=True):
        marg = marg.sum(axis=k) if T.dtype is not object else _sum_axis(marg, k, T)
    for vals in itertools.product(range(m), repeat=len(U)):
        w = marg[vals] if U else (marg if not isinstance(marg, np.ndarray) else marg.reshape(-1)[0])
        if _zero_status(w, T) is True:
            continue
        yield dict(zip(U, vals)), w


def _sum_axis(arr, k, T):
    n = arr.shape[k]
    acc = np.take(arr, 0, axis=k)
    for a in range(1, n):
        acc = acc + np.take(arr, a, axis=k)
    return acc


def _cond_from(probs, law, i, rev, T):
    sl = [slice(None)] * law.space.d
    for j, v in rev.items():
        sl[j] = int(v)
    block = probs[tuple(sl)]
    remaining = [k for k in range(law.space.d) if k not in rev]
    ax = remaining.index(i)
    marg = [_sum(T, np.asarray(np.take(block, a, axis=ax)).reshape(-1)) for a in range(law.space.m)]
    tot = _sum(T, marg)
    return [v / tot for v in marg]


def _phi_value(phi: Phi, u, T):
    if _zero_status(u, T) is True:
        if phi.at_zero is None:
            return math.inf
        return T.scalar(phi.at_zero)
    return phi.f(u, T)


def _masked_alpha(proc: Process, gen, t, tau, alpha, T: Tier):
    given = sum(x is not None for x in (t, tau, alpha))
    if given != 1:
        raise ScoreError("give exactly one of t (clock time), tau (integrated rate) or alpha (keep probability)")
    if alpha is not None:
        return T.scalar(alpha), None
    rate = T.scalar(gen.factors[0].param["rate"])
    tt = proc.clock.tau(t, T) if t is not None else T.scalar(tau)
    a = T.exp(-rate * tt)
    # dα/dt = −rate·β(t)·α ;  dα/dτ = −rate·α
    da = -rate * a * (proc.clock.beta(t, T) if t is not None else T.one)
    return a, da


def _masked_setup(law, process, phi, tier, prec, score):
    gen, proc = _as_generator(process)
    T = _resolve_tier(law, tier, prec)
    if not isinstance(law.space, ProductSpace):
        raise ScoreError(f"masked functionals take the data law on Z_m^d, not {law.space!r}")
    if law.space.m != gen.space.m or law.space.d != gen.space.d:
        raise ScoreError(f"the data law lives on {law.space!r} but the process on {gen.space!r}")
    if score not in ("auto", "conditional", "raw"):
        raise ScoreError(f"masking has score='conditional' (default) or 'raw', got {score!r}")
    return gen, proc, T, get_phi(phi), ("conditional" if score == "auto" else score)


def _masked_coords(d, direction):
    if direction is None:
        return list(range(d))
    i = direction[0] if isinstance(direction, tuple) else direction
    if not 0 <= int(i) < d:
        raise ScoreError(f"coordinate {i} is out of range for d={d}")
    return [int(i)]


def _cond_coefficients(law, i, phi, T, probs):
    """``c_U = E_{μ_U} Σ_a Φ(π_i(a|x_U))`` for every ``U ⊆ [d]∖{i}``."""
    d = law.space.d
    coef = {}
    for U in _subsets(k for k in range(d) if k != i):
        tot = T.zero
        for rev, w in _contexts(law, U, T, probs):
            pi = _cond_from(probs, law, i, rev, T)
            for v in pi:
                val = _phi_value(phi, v, T)
                if val is math.inf:
                    tot = math.inf
                    break
                tot = tot + w * val
            if tot is math.inf:
                break
        coef[U] = tot
    return coef


def _masked_functional(law, process, phi, t, tau, alpha, direction, score, tier, prec):
    gen, proc, T, phi, score = _masked_setup(law, process, phi, tier, prec, score)
    d = law.space.d
    with T.active():
        a, _ = _masked_alpha(proc, gen, t, tau, alpha, T)
        probs = law.probs if law.tier == T else law.to_tier(T).probs
        terms = {}
        coords = _masked_coords(d, direction)
        if score == "conditional":
            for i in coords:
                coef = _cond_coefficients(law, i, phi, T, probs)
                if any(v is math.inf for v in coef.values()):
                    terms[i] = math.inf
                    continue
                terms[i] = _sum(T, (a ** len(U) * (T.one - a) ** (d - 1 - len(U)) * cU for U, cU in coef.items()))
        else:
            lam = a / (T.one - a)
            for i in coords:
                tot = T.zero
                for U in _subsets(k for k in range(d) if k != i):
                    w = a ** len(U) * (T.one - a) ** (d - len(U))
                    for rev, mu_u in _contexts(law, U, T, probs):
                        for v in _cond_from(probs, law, i, rev, T):
                            val = _phi_value(phi, lam * v, T)
                            if val is math.inf:
                                tot = math.inf
                                break
                            tot = tot + w * mu_u * val
                        if tot is math.inf:
                            break
                    if tot is math.inf:
                        break
                terms[i] = tot
        vals = list(terms.values())
        value = math.inf if any(v is math.inf for v in vals) else _sum(T, vals)
    return FunctionalValue(value, T, phi, score, terms, None, alpha if alpha is not None else (t if t is not None else tau))


def _masked_derivative(law, process, phi, t, tau, alpha, direction, score, tier, prec):
    """d/dα (then × dα/dt): conditional — Σ_{U, j} α^{|U|}(1−α)^{d−2−|U|}·E[Σ_a B_Φ(π(a|x_{U∪j}), π(a|x_U))] ≥ 0."""
    gen, proc, T, phi, score = _masked_setup(law, process, phi, tier, prec, score)
    d = law.space.d
    m = law.space.m
    with T.active():
        a, da = _masked_alpha(proc, gen, t, tau, alpha, T)
        probs = law.probs if law.tier == T else law.to_tier(T).probs
        total = T.zero
        for i in _masked_coords(d, direction):
            others = [k for k in range(d) if k != i]
            if score == "conditional":
                for U in _subsets(others):
                    w = a ** len(U) * (T.one - a) ** (d - 2 - len(U)) if d >= 2 else T.zero
                    for j in others:
                        if j in U:
                            continue
                        inc = T.zero
                        for rev, mu_u in _contexts(law, U, T, probs):
                            pi = _cond_from(probs, law, i, rev, T)
                            for xj in range(m):
                                rev2 = dict(rev)
                                rev2[j] = xj
                                sl = [slice(None)] * d
                                for k, v in rev2.items():
                                    sl[k] = v
                                wj = _sum(T, np.asarray(probs[tuple(sl)]).reshape(-1))
                                if _zero_status(wj, T) is True:
                                    continue
                                pi2 = _cond_from(probs, law, i, rev2, T)
                                for b in range(m):
                                    if _zero_status(pi[b], T) is True and _zero_status(pi2[b], T) is True:
                                        continue  # B_Φ(0, 0) = 0 even where Φ'(0) is infinite (a zero stays zero)
                                    inc = inc + wj * phi.bregman(pi2[b], pi[b], T)
                        total = total + w * inc
            else:
                lam = a / (T.one - a)
                dlam = T.one / ((T.one - a) * (T.one - a))
                for U in _subsets(others):
                    k_, r_ = len(U), d - len(U)
                    w = a**k_ * (T.one - a) ** r_
                    dw = (k_ * a ** (k_ - 1) * (T.one - a) ** r_ if k_ > 0 else T.zero) - (
                        r_ * a**k_ * (T.one - a) ** (r_ - 1) if r_ > 0 else T.zero
                    )
                    for rev, mu_u in _contexts(law, U, T, probs):
                        for v in _cond_from(probs, law, i, rev, T):
                            u = lam * v
                            if _zero_status(u, T) is True:
                                if phi.at_zero is None:
                                    raise ScoreError("Φ(0) = ∞ at a zero conditional; the raw functional is infinite")
                                total = total + mu_u * dw * T.scalar(phi.at_zero)
                                continue
                            total = total + mu_u * (dw * phi.f(u, T) + w * phi.df(u, T) * v * dlam)
        if da is None:
            return DerivativeValue(total, T, phi, score, "bregman" if score == "conditional" else "direct", "alpha", time=alpha)
        value = total * da
    return DerivativeValue(value, T, phi, score, "bregman" if score == "conditional" else "direct",
                           "t" if t is not None else "tau", time=t if t is not None else tau)
