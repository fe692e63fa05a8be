"""Discrete scores, backward generators and score functionals with exact time derivatives.

Sections:

1. **Backward generators** of any Kronecker-sum process:
   ``q̄(x, y) = q(y, x)·p(y)/p(x)`` (:func:`backward_rates`, :func:`backward_generator`).
2. **Random walk on Z_m^d** — scores ``u_{i,±}(x) = p(x ± e_i)/p(x)``; for ``m = 2`` the two moves
   coincide and there is a single score per coordinate (:func:`random_walk_scores`).
3. **Biased walk on N^d** (truncated lattice with an absorbing overflow level ``L+1``) — raw score
   ``p(x+e_i)/p(x)`` and relative score ``v = p(x+e_i)/(ρ p(x))``, ``ρ = up/down``
   (:func:`biased_walk_scores`).  Every result carries ``overflow_bound``: the certified
   probability that the walk left ``{0..L}`` by time ``t`` (mass of the overflow level).
   Functionals and derivatives are those of the *truncated* chain: the score along ``e_i`` lives
   on ``x_i ≤ L − 1`` (other coordinates range over all their levels, overflow included), and the
   derivative identity carries the exact truncation term below; for the untruncated walk on
   ``N^d`` the results are accurate up to the reported overflow mass.
4. **Score functionals** ``F(t) = E_{p_t}[Φ(score)]`` and their exact derivatives
   (:func:`score_functional`, :func:`score_functional_derivative`).  The convex ``Φ`` come from
   :mod:`mdtheory.phi`; for the masking process both functions hand over to
   :func:`mdtheory.masked_scores.masked_score_functional` (exact polynomials in ``α``).

Time derivatives (forward time ``s``; ``u`` a score along the move ``e``, ``D`` its domain)::

    d/ds E Φ(u) = −E[Σ_{y∈D} q̄(x, y)·B_Φ(u(y), u(x))]                           (Bregman part)
                 + E[1{x_i = 0}·Φ'(u)·(a/c − b·u)]                 (biased walk: reflecting 0)
                 + E[1{x_i = L−1}·((b c u − a)Φ(u) − b c u²Φ'(u))]  (biased walk: truncation at L)

with ``c = ρ`` for the relative score (the 0-boundary term is then ``−b·E[1{x_i=0}Φ'(v)(v−1)]``)
and ``c = 1`` for the raw score.  For the random walk only the Bregman part remains, so
``E Φ(u)`` is non-increasing for every convex ``Φ``.  The identity is derived from
``∂_s u − L̄u`` (see the module notes in ``nonasymptotic_2512.00580.md``, V1/V5) and checked
in the tests against the *direct* chain rule with ``ṗ = pQ`` (``method='direct'``).

In the certified tier the Bregman gap is enclosed by Taylor's theorem (:meth:`mdtheory.phi.Phi.bregman`),
which keeps the enclosure non-negative and tight when the scores are balls (interval evaluation at a
time *ball* in :mod:`mdtheory.monotonicity`).

Off-support conventions (``0/0``): a functional uses the perspective ``p(x)Φ(p(y)/(c p(x)))``
with ``0·Φ(a/0) = a·lim_{u→∞} Φ(u)/u`` and ``0·Φ(0/0) = 0``; infinite values are returned as
``math.inf`` (a float, in every tier).  Backward rates out of a zero-mass state are ``0`` (the
state is never visited by the exact reversal; a sampler that reaches it keeps its mass there).
Derivatives need ``p_t > 0`` on the score's domain (true for ``t > 0``) and raise
:class:`ScoreError` otherwise.

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

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from flint import arb

from .generators import KroneckerSum
from .laws import Law
from .masked_scores import masked_score_functional, masked_score_functional_derivative
from .phi import DerivativeValue, FunctionalValue, Phi, PhiError, UndecidedError, get_phi
from .propagate import Process, forward, forward_over_ball
from .spaces import TruncatedLattice
from .tiers import Tier, as_fraction, get_tier

__all__ = [
    "ScoreError",
    "EnclosureMismatchError",
    "intersect_enclosures",
    "backward_rates",
    "backward_generator",
    "random_walk_moves",
    "random_walk_scores",
    "biased_walk_scores",
    "BiasedWalkScores",
    "score_functional",
    "score_functional_derivative",
]


class ScoreError(PhiError):
    """A score or score functional that is undefined for the given input.

    >>> from mdtheory import generators
    >>> random_walk_moves(generators.biased_walk(L=2, d=1, up=1, down=1))
    Traceback (most recent call last):
    ...
    mdtheory.scores.ScoreError: random_walk_moves needs a generators.random_walk process
    """


class EnclosureMismatchError(ScoreError):
    """Two enclosures of one exact number are disjoint: a bug in one of the two formulas, never a verdict.

    >>> from flint import arb
    >>> from mdtheory.tiers import get_tier
    >>> intersect_enclosures(arb(0, 1), arb(3, 1), get_tier("certified", 64))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mdtheory.scores.EnclosureMismatchError: direct and Bregman enclosures are disjoint (...): a bug in one of the formulas
    """


def intersect_enclosures(a, b, K, what: str = "direct and Bregman"):
    """The intersection of two enclosures ``a``, ``b`` of the same exact number (tier ``K``).

    Both formulas are exact, so the true value lies in both balls and their intersection is a valid
    (never wider) enclosure; disjoint balls raise :class:`EnclosureMismatchError`.  In the exact tier
    the two values must be equal.  Where one ball contains the other, the result is the narrower one:
    then the sign rests on that formula alone.

    >>> from flint import arb
    >>> from mdtheory.tiers import get_tier
    >>> c = intersect_enclosures(arb(0, 1), arb("0.5 +/- 0.1"), get_tier("certified", 64))
    >>> bool(c > 0), bool(c.lower() > 0.39), bool(c.upper() < 0.61)
    (True, True, True)
    """
    if K.rigorous and hasattr(a, "intersection"):
        with K.active():
            try:
                return a.intersection(b)
            except ValueError:
                raise EnclosureMismatchError(f"{what} enclosures are disjoint ({a} vs {b}): a bug in one of the "
                                             "formulas") from None
    if not K.rigorous:
        raise ScoreError(f"intersecting enclosures needs the exact or certified tier, not {K.name!r}")
    if a != b:
        raise EnclosureMismatchError(f"{what} values differ ({a} vs {b}): a bug in one of the formulas")
    return a


# =============================================================================================
# helpers
# =============================================================================================


def _ew(fn, K: Tier, *arrays) -> np.ndarray:
    """Apply ``fn`` elementwise over equally shaped arrays (object or float)."""
    shape = np.asarray(arrays[0]).shape
    flats = [np.asarray(a).reshape(-1) for a in arrays]
    out = np.empty(len(flats[0]), dtype=object if K.dtype is object else np.float64)
    for k in range(len(out)):
        out[k] = fn(*(f[k] for f in flats))
    return out.reshape(shape)


def _sum(K: Tier, values) -> Any:
    s = K.zero
    for v in values:
        s = s + v
    return s


def _slc(d: int, axis: int, value) -> tuple:
    s = [slice(None)] * d
    s[axis] = value
    return tuple(s)


def _certainly_positive(x, K: Tier) -> bool:
    return K.compare(x, K.zero) == 1


def _zero_status(x, K: Tier):
    """True if certainly 0, False if certainly > 0, None if undecided."""
    z = K.is_zero(x)
    if z is True:
        return True
    if _certainly_positive(x, K):
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
# 1. backward generators
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
    K = get_tier(tier)
    p = K.array(np.asarray(probs, dtype=object) if not isinstance(probs, np.ndarray) else probs)
    p = p.reshape(generator.space.shape)
    d = generator.d
    out = {}
    with K.active():
        for j, f in enumerate(generator.factors):
            for a in range(f.n):
                for b in range(f.n):
                    if a == b or f.offdiag[b][a] == 0:
                        continue
                    rate = K.scalar(f.offdiag[b][a])
                    pa, pb = p[_slc(d, j, slice(a, a + 1))], p[_slc(d, j, slice(b, b + 1))]

                    def one(x, y, rate=rate):
                        z = _zero_status(x, K)
                        if z is True:
                            return K.zero
                        if z is None:
                            raise UndecidedError("cannot decide whether a state has zero mass; raise the precision")
                        return rate * y / x

                    out[(j, a, b)] = _ew(one, K, pa, pb)
    return out


def backward_generator(probs: np.ndarray, generator: KroneckerSum, tier: "str | Tier" = "certified") -> np.ndarray:
    """The full backward generator ``Q̄`` (size × size; small spaces only), rows summing to 0.

    >>> from mdtheory import generators
    >>> g = generators.random_walk(2, 1, 1, 1)
    >>> backward_generator(np.array(["1/4", "3/4"], dtype=object), g, "exact").tolist()
    [[-6, 6], [2/3, -2/3]]
    """
    K = get_tier(tier)
    space = generator.space
    n = space.size
    from .spaces import check_fits

    check_fits(n * n, K.bytes_per_entry, f"the backward generator on {space!r}", copies=2)
    rates = backward_rates(probs, generator, K)
    Q = K.zeros((n, n))
    d = generator.d
    idx = np.arange(n).reshape(space.shape)
    with K.active():
        for (j, a, b), R in rates.items():
            src = idx[_slc(d, j, slice(a, a + 1))].reshape(-1)
            dst = idx[_slc(d, j, slice(b, b + 1))].reshape(-1)
            for s, t_, r in zip(src, dst, R.reshape(-1)):
                Q[s, t_] = Q[s, t_] + r
                Q[s, s] = Q[s, s] - r
    return Q


# =============================================================================================
# 2. random walk on Z_m^d
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


def random_walk_scores(probs: np.ndarray, generator: KroneckerSum, tier: "str | Tier" = "certified") -> dict:
    """``{(i, s): u}`` with ``u(x) = p(x + s·e_i)/p(x)`` (indices mod m); needs ``p > 0``.

    The backward process at forward time ``t`` moves ``x → x + s e_i`` at rate
    ``q(−s)·u_{i,s}(x)`` (``q(−s)`` the forward rate of ``−s e_i``; see :func:`backward_rates`).

    >>> from mdtheory import generators
    >>> u = random_walk_scores(np.array(["1/2", "1/3", "1/6"], dtype=object), generators.random_walk(3, 1), "exact")
    >>> [str(v) for v in u[(0, 1)]], [str(v) for v in u[(0, -1)]]
    (['2/3', '1/2', '3'], ['1/3', '3/2', '2'])
    """
    K = get_tier(tier)
    p = K.array(np.asarray(probs, dtype=object) if not isinstance(probs, np.ndarray) else probs)
    p = p.reshape(generator.space.shape)
    out = {}
    with K.active():
        for i, s in random_walk_moves(generator):
            out[(i, s)] = _ew(lambda y, x: _ratio(y, x, K), K, np.roll(p, -s, axis=i), p)
    return out


def _ratio(y, x, K: Tier, c=None):
    z = _zero_status(x, K)
    if z is None:
        raise UndecidedError("cannot decide p(x) > 0 for the score p(y)/p(x); raise the precision or narrow the time ball")
    if z:
        raise ScoreError("the score p(y)/p(x) needs p(x) > 0; take t > 0 (p_t has full support for t > 0)")
    return y / x if c is None else y / (c * x)


# =============================================================================================
# 3. biased walk on the truncated lattice
# =============================================================================================


@dataclass
class BiasedWalkScores:
    """Scores of the truncated biased walk along ``e_i`` on the domain ``x_i ≤ L − 1``.

    ``scores[i]`` is an array over the full lattice shape; entries outside ``domain[i]`` are
    ``None``.  ``overflow_bound`` is the (upper end of the) mass on the overflow level.

    >>> from mdtheory import generators
    >>> g = generators.biased_walk(L=2, d=1, up="1/2", down=1)
    >>> s = biased_walk_scores(np.array(["1/2", "1/4", "1/8", "1/8"], dtype=object), g, "exact")
    >>> s.relative, s.rho, s.domain[0].tolist(), s.tier.name
    (True, Fraction(1, 2), [True, True, False, False], 'exact')
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


def _overflow_upper(probs: np.ndarray, space: TruncatedLattice, K: Tier) -> float:
    with K.active():
        mass = space.overflow_mass(probs, K)
    if K.is_enclosure:
        return OverflowBound.of(_arb_upper_exact(mass))
    if K.is_exact:
        return OverflowBound.of(as_fraction(mass))
    return float(mass)


def _overflow_bound(law, proc, p, K: Tier, t, tau) -> float:
    """Upper bound on the overflow mass at time ``t`` (or over a time ball: at its upper end, since
    the overflow level is absorbing and its mass is non-decreasing in time).  In the exact and
    certified tiers it is an :class:`OverflowBound` (rounded up, exact upper end in ``.exact``)."""
    x = t if t is not None else tau
    if isinstance(x, arb) and not x.is_exact():
        top = arb(x.upper())
        q = forward(law, proc, t=top if t is not None else None, tau=top if tau is not None else None, tier=K).probs
        return _overflow_upper(q, proc.generator.space, K)
    return _overflow_upper(p, proc.generator.space, K)


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
    K = get_tier(tier)
    space = generator.space
    if not isinstance(space, TruncatedLattice):
        raise ScoreError("biased_walk_scores needs a generators.biased_walk process (TruncatedLattice)")
    a, b = _brw_params(generator)
    rho = a / b
    p = K.array(np.asarray(probs, dtype=object) if not isinstance(probs, np.ndarray) else probs)
    p = p.reshape(space.shape)
    scores, domain = {}, {}
    with K.active():
        c = K.scalar(rho) if relative else None
        for i in range(space.d):
            D = _brw_domain(space, i)
            up = np.roll(p, -1, axis=i)
            arr = np.empty(space.shape, dtype=object)
            for x in zip(*np.nonzero(D)):
                arr[x] = _ratio(up[x], p[x], K, c)
            scores[i], domain[i] = arr, D
    return BiasedWalkScores(scores, domain, relative, rho, _overflow_upper(p, space, K), K)


# =============================================================================================
# 4. score functionals and their derivatives (random walk, biased walk)
# =============================================================================================


def _resolve_tier(law: Law, tier, prec) -> Tier:
    if tier is None:
        return law.tier if prec is None else get_tier(law.tier, prec)
    return get_tier(tier, prec)


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
    K = _resolve_tier(law, tier, prec)
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
    return gen, proc, family, K, phi, score, c


def _dir_arrays(p, gen, family, i, s, c, K):
    """(shifted p(x + s e_i), domain mask, scores u on the domain (None elsewhere))."""
    shape = gen.space.shape
    up = np.roll(p, -s, axis=i)
    D = np.ones(shape, dtype=bool) if family == "random_walk" else _brw_domain(gen.space, i)
    return up, D, c


def _functional_terms(p, gen, family, dirs, c, phi: Phi, K: Tier) -> dict:
    cs = None if c is None else K.scalar(c)
    terms = {}
    for i, s in dirs:
        up, D, _ = _dir_arrays(p, gen, family, i, s, c, K)
        total = K.zero
        for x in zip(*np.nonzero(D)):
            px, py = p[x], up[x]
            y = py if cs is None else py / cs
            zx = _zero_status(px, K)
            if zx is None:
                raise UndecidedError("cannot decide whether a state has zero mass; raise the precision")
            if zx:
                if _zero_status(y, K) is True:
                    continue
                if phi.slope_inf is None:
                    total = math.inf
                    break
                total = total + y * K.scalar(phi.slope_inf)
                continue
            if _zero_status(y, K) is True:
                if phi.at_zero is None:
                    total = math.inf
                    break
                total = total + px * K.scalar(phi.at_zero)
                continue
            total = total + px * phi.f(y / px, K)
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

    >>> from mdtheory import Law, ProductSpace, generators
    >>> mu = Law(ProductSpace(3, 1), ["1/2", "1/3", "1/6"])
    >>> score_functional(mu, generators.random_walk(3, 1), "chi2", t=0).value    # both moves ±1
    23/18
    >>> F = score_functional(mu, generators.random_walk(3, 1), "kl", t=1, tier="certified")
    >>> 0 < F.value < 1, F.tier.name
    (True, 'certified')
    """
    gen, _ = _as_generator(process)
    if _family(gen) == "masking":
        return masked_score_functional(law, process, phi, t, tau=tau, alpha=alpha, direction=direction, score=score,
                                       tier=tier, prec=prec)
    if alpha is not None:
        raise ScoreError("alpha applies to the masking process only; give t or tau")
    gen, proc, family, K, phi, score, c = _setup(law, process, phi, t, tau, tier, prec, score)
    with K.active():
        p = forward_over_ball(law, proc, t, tau=tau, tier=K).probs
        dirs = _directions(gen, family, direction)
        terms = _functional_terms(p, gen, family, dirs, c, phi, K)
        vals = list(terms.values())
        value = math.inf if any(v is math.inf for v in vals) else _sum(K, vals)
        ob = _overflow_bound(law, proc, p, K, t, tau) if family == "biased_walk" else None
    return FunctionalValue(value, K, phi, score, terms, ob, t if t is not None else tau)


def _time_factor(proc: Process, t, K: Tier):
    """``dτ/dt = β(t)`` of the clock (exponential clock: its rate)."""
    return proc.clock.beta(t, K)


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
    method: str | None = None,
    tier: "str | Tier | None" = None,
    prec: int | None = None,
) -> DerivativeValue:
    """Exact time derivative of :func:`score_functional` (same parameters).

    ``method='bregman'`` (default): ``−E[Σ_{y∈D} q̄(x,y)·B_Φ(u(y),u(x))]`` plus, for the biased
    walk, the reflecting-0 term ``E[1{x_i=0}Φ'(u)(a/c − b u)]`` and the truncation term
    ``E[1{x_i=L−1}((bcu − a)Φ(u) − bcu²Φ'(u))]`` (reported separately as ``boundary`` and
    ``truncation``).  ``method='direct'``: the chain rule
    ``Σ_{x∈D} ṗ(x)(Φ(u) − uΦ'(u)) + Φ'(u)·ṗ(x+e)/c`` with ``ṗ = pQ`` — an independent formula.
    ``method='intersection'``: both, and the intersection of their enclosures (the exact derivative
    lies in both; disjoint enclosures raise :class:`EnclosureMismatchError`, a bug — never a sign).
    With ``t`` the derivative is in clock time (times ``β(t)``); with ``tau`` in integrated rate;
    masking: with ``alpha`` in ``α``, conditional score by the Bregman form and raw score by the
    chain rule only (another ``method`` raises).

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
        return masked_score_functional_derivative(law, process, phi, t, tau=tau, alpha=alpha, direction=direction,
                                                  score=score, method=method, tier=tier, prec=prec)
    if alpha is not None:
        raise ScoreError("alpha applies to the masking process only; give t or tau")
    method = "bregman" if method is None else method
    if method not in ("bregman", "direct", "intersection"):
        raise ScoreError(f"unknown method {method!r}; use 'bregman', 'direct' or 'intersection'")
    gen, proc, family, K, phi, score, c = _setup(law, process, phi, t, tau, tier, prec, score)
    with K.active():
        p = forward_over_ball(law, proc, t, tau=tau, tier=K).probs
        dirs = _directions(gen, family, direction)
        if method == "direct":
            value = _direct_derivative(p, gen, family, dirs, c, phi, K)
            parts = (None, None, None)
        elif method == "intersection":
            parts = _bregman_derivative(p, gen, family, dirs, c, phi, K)
            value = intersect_enclosures(_direct_derivative(p, gen, family, dirs, c, phi, K),
                                         -parts[0] + parts[1] + parts[2], K)
        else:
            parts = _bregman_derivative(p, gen, family, dirs, c, phi, K)
            value = -parts[0] + parts[1] + parts[2]
        wrt = "tau"
        if t is not None:
            value = value * _time_factor(proc, t, K)
            parts = tuple(None if v is None else v * _time_factor(proc, t, K) for v in parts)
            wrt = "t"
        ob = _overflow_bound(law, proc, p, K, t, tau) if family == "biased_walk" else None
    return DerivativeValue(
        value, K, phi, score, method, wrt, parts[0], parts[1], parts[2], ob, t if t is not None else tau
    )


def _scores_on_domain(p, up, D, cs, K):
    U = np.empty(p.shape, dtype=object)
    for x in zip(*np.nonzero(D)):
        U[x] = _ratio(up[x], p[x], K, cs)
    return U


def _bregman_derivative(p, gen, family, dirs, c, phi: Phi, K: Tier):
    """(Bregman sum ≥ 0, boundary term, truncation term), derivative in τ is −B + bd + tr."""
    d = gen.d
    cs = None if c is None else K.scalar(c)
    breg, bound, trunc = K.zero, K.zero, K.zero
    for i, s in dirs:
        up, D, _ = _dir_arrays(p, gen, family, i, s, c, K)
        U = _scores_on_domain(p, up, D, cs, K)
        for j, f in enumerate(gen.factors):
            for a in range(f.n):
                for b in range(f.n):
                    if a == b or f.offdiag[b][a] == 0:
                        continue
                    rate = K.scalar(f.offdiag[b][a])
                    sa, sb = _slc(d, j, slice(a, a + 1)), _slc(d, j, slice(b, b + 1))
                    Da, Db = D[sa], D[sb]
                    Ua, Ub, pb = U[sa], U[sb], p[sb]
                    for k in zip(*np.nonzero(Da & Db)):
                        # p(x) q̄(x, y) = q(y → x)·p(y)
                        breg = breg + rate * pb[k] * phi.bregman(Ub[k], Ua[k], K)
        if family == "biased_walk":
            A, B = (K.scalar(v) for v in _brw_params(gen))
            L = gen.space.L
            cc = K.one if cs is None else cs
            # reflecting 0: E[1{x_i=0} Φ'(u)(a/c − b u)]
            s0 = _slc(d, i, slice(0, 1))
            for k in zip(*np.nonzero(D[s0])):
                u, px = U[s0][k], p[s0][k]
                if cs is not None:  # relative score: a/c = b, term = −b Φ'(v)(v − 1)
                    bound = bound - B * px * phi.dphi_times_u_minus_one(u, K)
                else:
                    bound = bound + px * phi.df(u, K) * (A / cc - B * u)
            # truncation at L: E[1{x_i=L−1}((b c u − a)Φ(u) − b c u² Φ'(u))]
            sl = _slc(d, i, slice(L - 1, L))
            for k in zip(*np.nonzero(D[sl])):
                u, px = U[sl][k], p[sl][k]
                trunc = trunc + px * ((B * cc * u - A) * phi.f(u, K) - B * cc * u * u * phi.df(u, K))
    return breg, bound, trunc


def _direct_derivative(p, gen, family, dirs, c, phi: Phi, K: Tier):
    cs = None if c is None else K.scalar(c)
    pdot = gen.apply(p, K)
    total = K.zero
    for i, s in dirs:
        up, D, _ = _dir_arrays(p, gen, family, i, s, c, K)
        updot = np.roll(pdot, -s, axis=i)
        for x in zip(*np.nonzero(D)):
            u = _ratio(up[x], p[x], K, cs)
            fu, dfu = phi.f(u, K), phi.df(u, K)
            shifted = updot[x] if cs is None else updot[x] / cs
            total = total + pdot[x] * (fu - u * dfu) + dfu * shifted
    return total
