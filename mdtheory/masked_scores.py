"""Masked-diffusion scores, denoising conditionals, score-error models and score errors.

Setting (``papers/sharp_rates_2602.22505.md`` §2): data ``X ∈ {0..m-1}^d``, each token
masked independently, ``α`` = probability that a token is still unmasked.  For a
partially masked ``x`` with unmasked set ``U`` and a masked position ``j``

    ``s_α(x^{j←a}, x) = r(α)·p(a | x_U)``,  ``r(α) = α/(1−α)``,  ``Σ_a s_α = r(α)``

(the concrete score; target ratios do not depend on time, only the total rate).  The
reverse generator of a clock with rate ``β`` jumps ``x → x^{j←a}`` at rate ``β·s_α``.

**Conditional tables.**  All conditionals live in ``d`` arrays ``G[j]`` of shape
``(m+1,)^d`` except that axis ``j`` has length ``m``: the entry at ``x`` (with ``x_j = a``
and the mask symbol ``m`` at the other masked coordinates) is ``p(a | x_U)``, ``U`` the
unmasked coordinates of ``x`` other than ``j``.  They come from the partial-marginal
table ``T`` of :func:`mdtheory.information.partial_marginal_table`:
``p(a | x_U) = T[x^{j←a}] / T[x]``.  Where ``T[x] = 0`` (an off-support context,
``0/0``) the row is filled by a documented convention (default ``'uniform'``: ``1/m``)
and flagged; samplers report the mass that ends in off-support states.

**Estimators.**  A :class:`MaskedEstimator` gives, for every context and masked ``j``,
an *unnormalised* vector ``ĝ_j(· | x)``; its score is ``ŝ_α = r(α)·ĝ`` (``kind='conditional'``).
It is *time-agnostic* unless built with ``time_dependent=True`` (then ``ĝ`` depends on α).
Error models: :func:`exact_estimator`, :func:`multiplicative_noise` (``ĝ = p(1+ηξ)`` or
``p·e^{ηξ}``, seeded ``ξ``), :func:`mixing` (``(1−η)p + η·r``), :func:`rescaled`
(``λp``), :func:`from_tables`, :func:`from_callable`.

**Score errors** of an estimator against the exact scores are in :mod:`mdtheory.masked_score_errors`.
**Score functionals** ``E_{q_α}[Φ(score)]`` and their exact α-derivatives:
:func:`masked_score_functional`, :func:`masked_score_functional_derivative`.

>>> from mdtheory.distributions import copy
>>> from mdtheory.masked_scores import denoising_conditionals, concrete_score
>>> C = denoising_conditionals(copy(2, 2))
>>> C.prob((0, 2), 1).tolist(), C.prob((2, 2), 1).tolist()
([1, 0], [1/2, 1/2])
>>> concrete_score(copy(2, 2), "1/3", (1, 2), 1, 1)      # r(1/3) = 1/2, p(1 | x_0 = 1) = 1
1/2
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np

from .information import conditional, partial_marginal_table
from .laws import Law
from .phi import PhiError
from .spaces import MaskedSpace, ProductSpace
from .tiers import Tier, TierError, as_fraction, get_tier

__all__ = [
    "MaskedScoreError",
    "MaskedConditionals",
    "denoising_conditionals",
    "ratio",
    "concrete_score",
    "reverse_rates",
    "MaskedEstimator",
    "exact_estimator",
    "multiplicative_noise",
    "mixing",
    "rescaled",
    "from_tables",
    "from_callable",
    "unmask_rate",
    "context_slice",
    "context_block",
    "masked_score_functional",
    "masked_score_functional_derivative",
]


class MaskedScoreError(PhiError):
    """Invalid input to a masked score, estimator, score error or masked score functional.

    >>> ratio(1, "exact")
    Traceback (most recent call last):
    ...
    mdtheory.masked_scores.MaskedScoreError: r(α) = α/(1−α) needs α < 1, got α = 1 (forward time 0)
    """


# ---------------------------------------------------------------------------------------------
# helpers shared with the samplers
# ---------------------------------------------------------------------------------------------
def _data_space(law: Law) -> tuple[int, int]:
    if not isinstance(law, Law):
        raise MaskedScoreError(f"expected a mdtheory Law (the data law), got {type(law).__name__}")
    sp = law.space
    if isinstance(sp, (ProductSpace, MaskedSpace)):
        return sp.m, sp.d
    raise MaskedScoreError(f"masked scores need a data law on Z_m^d, not {sp!r}")


def context_slice(d: int, m: int, U: int, masked=None) -> tuple:
    """Index of the block of states with unmasked set ``U`` (bitmask): ``slice(0, m)`` on ``U``,
    ``masked`` (default the mask index ``m``) elsewhere.

    >>> context_slice(3, 2, 0b101)
    (slice(0, 2, None), 2, slice(0, 2, None))
    """
    mv = m if masked is None else masked
    return tuple(slice(0, m) if U >> i & 1 else mv for i in range(d))


def context_block(G_j: np.ndarray, j: int, U: int, m: int, d: int) -> np.ndarray:
    """``ĝ_j(a | x_U)`` for all ``x_U`` as an array of shape ``(m,)^{|U|} + (m,)`` (last axis ``a``).

    ``G_j`` is the conditional table of coordinate ``j`` (axis ``j`` of length ``m``).

    >>> from mdtheory.distributions import copy
    >>> G0 = denoising_conditionals(copy(2, 2)).tables[0]
    >>> context_block(G0, 0, 0b10, 2, 2).tolist()        # x_1 revealed: p(x_0 | x_1) = 1{x_0 = x_1}
    [[1, 0], [0, 1]]
    """
    idx = tuple(slice(0, m) if (U >> i & 1) else (slice(None) if i == j else m) for i in range(d))
    arr = G_j[idx]
    pos = sum(1 for i in range(j) if U >> i & 1)
    return np.moveaxis(arr, pos, -1)


def _revealed_count(shape_d: int, m: int, skip: int) -> np.ndarray:
    """Number of unmasked coordinates other than ``skip`` on ``(m+1)^d`` with axis ``skip`` of size 1."""
    cnt = np.zeros((1,) * shape_d, dtype=np.int64)
    for i in range(shape_d):
        if i == skip:
            continue
        col = (np.arange(m + 1) < m).astype(np.int64)
        shape = [1] * shape_d
        shape[i] = m + 1
        cnt = cnt + col.reshape(shape)
    return cnt


def ratio(alpha, tier: Tier):
    """``r(α) = α/(1−α)`` in the tier (α < 1 required).

    >>> from mdtheory.tiers import get_tier
    >>> ratio("1/3", get_tier("exact"))
    1/2
    """
    t = get_tier(tier)
    with t.active():
        a = t.scalar(alpha)
        if t.compare(a, t.one) != -1:
            raise MaskedScoreError(f"r(α) = α/(1−α) needs α < 1, got α = {t.format(a)} (forward time 0)")
        return a / (t.one - a)


# ---------------------------------------------------------------------------------------------
# 1. conditionals and scores of the data law
# ---------------------------------------------------------------------------------------------
@dataclass
class MaskedConditionals:
    """Denoising conditionals ``p(x_j | x_U)`` for every partial assignment.

    Attributes
    ----------
    tables : list of ndarray
        ``tables[j]`` has shape ``(m+1,)^d`` except axis ``j`` of length ``m``
        (the value ``a``); mask symbol ``m`` on another axis means "not revealed".
    off_support : list of ndarray of bool
        ``off_support[j]``: contexts (axis ``j`` dropped) with ``P(X_U = x_U) = 0``,
        filled by ``convention``.
    convention : str
        Off-support rule (``'uniform'``, ``'marginal'`` or ``'zero'``; see
        :func:`mdtheory.information.conditional`).

    >>> from mdtheory.distributions import copy
    >>> C = denoising_conditionals(copy(2, 2))
    >>> C.tables[0].shape, C.n_off_support, C.tier.name     # axis 0 holds the value, axis 1 the context
    ((2, 3), 0, 'exact')
    """

    m: int
    d: int
    tables: list
    off_support: list
    convention: str
    tier: Tier

    def prob(self, state, j: int) -> np.ndarray:
        """The vector ``p(· | x_U)`` at coordinate ``j`` for a masked-space ``state`` with ``state[j] = m``."""
        state = tuple(int(s) for s in state)
        if state[j] != self.m:
            raise MaskedScoreError(f"coordinate {j} of {state} is not masked; conditionals are for masked positions")
        idx = tuple(slice(None) if i == j else s for i, s in enumerate(state))
        return self.tables[j][idx]

    def is_off_support(self, state, j: int) -> bool:
        """True when the context of ``state`` (masked at ``j``) has probability 0 (its row is a convention).

        >>> from mdtheory.distributions import copy
        >>> C = denoising_conditionals(copy(2, 2))
        >>> C.is_off_support((0, 2), 1), C.is_off_support((2, 2), 1)
        (False, False)
        """
        state = tuple(int(s) for s in state)
        if state[j] != self.m:
            raise MaskedScoreError(f"coordinate {j} of {state} is not masked; conditionals are for masked positions")
        return bool(self.off_support[j][state[:j] + state[j + 1:]])

    @property
    def n_off_support(self) -> int:
        """Number of (context, j) pairs filled by the off-support convention."""
        return int(sum(np.count_nonzero(f) for f in self.off_support))


def denoising_conditionals(law: Law, *, off_support: str = "uniform") -> MaskedConditionals:
    """All denoising conditionals ``p(x_j | x_U)`` of a data law (exact in its tier).

    >>> from mdtheory.distributions import parity
    >>> C = denoising_conditionals(parity(3))
    >>> C.prob((1, 1, 2), 2).tolist(), C.prob((1, 2, 2), 2).tolist()
    ([1, 0], [1/2, 1/2])
    """
    m, d = _data_space(law)
    conds = [conditional(law, j, off_support=off_support) for j in range(d)]
    return MaskedConditionals(m, d, [c.probs for c in conds], [c.off_support for c in conds], off_support, law.tier)


def concrete_score(law: Law, alpha, state, j: int, a: int, *, tier=None):
    """``s_α(x^{j←a}, x) = r(α)·p(a | x_U)`` for one masked state ``x`` (``x_j`` masked).

    Off-support contexts use the uniform convention.

    >>> from mdtheory.distributions import uniform
    >>> concrete_score(uniform(2, 2), "1/2", (2, 2), 0, 1)     # r = 1, p = 1/2
    1/2
    """
    t = get_tier(tier) if tier is not None else law.tier
    m, d = _data_space(law)
    state = tuple(int(s) for s in state)
    if len(state) != d or state[j] != m or not 0 <= a < m:
        raise MaskedScoreError(f"need a masked state of length {d} with coordinate {j} masked and 0 <= a < {m}")
    p = _single_conditional(law, state, j, t)
    with t.active():
        return ratio(alpha, t) * p[a]


def _single_conditional(law: Law, state, j, t: Tier):
    """``p(· | x_U)`` at one masked state (uniform off the support), in tier ``t``."""
    m, d = _data_space(law)
    U = [i for i in range(d) if state[i] != m and i != j]
    row = conditional(law, j, given=U).probs[tuple(state[i] for i in U)]
    return row if t == law.tier else t.convert(row, law.tier)


def reverse_rates(law: Law, alpha, state, *, rate=1, tier=None) -> dict:
    """Rates of the reverse masked CTMC out of ``state``: ``{x^{j←a}: rate·r(α)·p(a | x_U)}``.

    Only single-unmask moves have positive rate; unmasked tokens never change.  ``rate``
    is the clock's ``β`` at that time (1 for the exponential clock of rate 1).

    >>> from mdtheory.distributions import copy
    >>> reverse_rates(copy(2, 2), "1/2", (0, 2))
    {(0, 0): 1, (0, 1): 0}
    """
    t = get_tier(tier) if tier is not None else law.tier
    m, d = _data_space(law)
    state = tuple(int(s) for s in state)
    out = {}
    with t.active():
        c = t.scalar(rate) * ratio(alpha, t)
        for j in range(d):
            if state[j] != m:
                continue
            p = _single_conditional(law, state, j, t)
            for a in range(m):
                out[state[:j] + (a,) + state[j + 1 :]] = c * p[a]
    return out


# ---------------------------------------------------------------------------------------------
# 2. estimators
# ---------------------------------------------------------------------------------------------
class MaskedEstimator:
    """A score estimator for the masked process: ``ŝ_α(x^{j←a}, x) = r(α)·ĝ_j(a | x)``.

    ``build(tier, alpha)`` returns the ``d`` conditional tables (layout of
    :class:`MaskedConditionals`, entries ``≥ 0``, rows need not sum to 1) in ``tier``;
    ``alpha`` is ignored unless ``time_dependent``.  Tables are cached per tier (and α).
    Samplers that normalise (ancestral, FHS, factorized) use ``ĝ/Σĝ``; Euler and
    τ-leaping use ``ĝ`` as is.

    >>> from mdtheory.distributions import copy
    >>> E = exact_estimator(copy(2, 2))
    >>> E, E.normalized_tables("exact")[1]          # rows sum to 1: no row filled
    (MaskedEstimator(exact, m=2, d=2, time_dependent=False), 0)
    """

    def __init__(self, m: int, d: int, build: Callable, *, time_dependent: bool = False, name: str = "estimator",
                 reference: Law | None = None):
        self.m, self.d = int(m), int(d)
        self._build = build
        self.time_dependent = bool(time_dependent)
        self.name = name
        self.reference = reference
        self._cache: dict = {}

    def tables(self, tier, alpha=None) -> list:
        """The ``d`` tables ``ĝ_j`` in ``tier`` (at ``alpha`` when time-dependent)."""
        t = get_tier(tier)
        if self.time_dependent and alpha is None:
            raise MaskedScoreError(f"the estimator {self.name!r} is time-dependent; give alpha")
        key = (t.describe(), str(alpha) if self.time_dependent else None)
        if key not in self._cache:
            with t.active():
                tabs = self._build(t, t.scalar(alpha) if (self.time_dependent and alpha is not None) else None)
            if len(tabs) != self.d:
                raise MaskedScoreError(f"estimator {self.name!r} returned {len(tabs)} tables, expected d = {self.d}")
            for j, G in enumerate(tabs):
                _check_table(G, j, t, self.name)
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = tabs
        return self._cache[key]

    def normalized_tables(self, tier, alpha=None) -> tuple[list, int]:
        """``ĝ/Σ_a ĝ`` and the number of rows with ``Σ ĝ = 0`` (filled uniformly)."""
        t = get_tier(tier)
        key = ("norm", t.describe(), str(alpha) if self.time_dependent else None)
        if key in self._cache:
            return self._cache[key]
        out, bad = [], 0
        with t.active():
            for j, G in enumerate(self.tables(t, alpha)):
                s = G.sum(axis=j, keepdims=True)
                zero = t.zero_mask(s)
                bad += int(np.count_nonzero(zero))
                safe = s.copy()
                safe[zero] = t.one
                N = G / safe
                if zero.any():
                    N = np.where(np.broadcast_to(zero, N.shape), t.one / t.scalar(self.m), N)
                    if t.dtype is object:
                        N = N.astype(object)
                out.append(N)
        self._cache[key] = (out, bad)
        return out, bad

    def __repr__(self) -> str:
        return f"MaskedEstimator({self.name}, m={self.m}, d={self.d}, time_dependent={self.time_dependent})"


def _bad_entry(G: np.ndarray, t: Tier):
    """``(index, value, why)`` of the first negative or non-finite entry of a score table, else None."""
    G = np.asarray(G)
    if t.is_float:
        bad = ~np.isfinite(G) | (G < 0)
        if not bad.any():
            return None
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        v = float(G[idx])
        return idx, v, "not finite" if not np.isfinite(v) else "negative"
    if t.is_exact:              # exact rationals: one pass over the entries, the index only for the error
        flat = G.reshape(-1).tolist()
        for k, v in enumerate(flat):
            if v < 0:
                return tuple(int(i) for i in np.unravel_index(k, G.shape)), v, "negative"
        return None
    with t.active():
        for idx in np.ndindex(*G.shape):
            v = G[idx]
            if t.is_enclosure and not v.is_finite():
                return idx, v, "not finite"
            if not t.is_enclosure and not t.is_exact and not t.ctx.isfinite(v):
                return idx, v, "not finite"
            if t.compare(v, t.zero) == -1:
                return idx, v, "negative"
    return None


def _check_table(G: np.ndarray, j: int, t: Tier, name: str) -> None:
    """Refuse a score table with a negative or non-finite entry (scores are finite and ``≥ 0``)."""
    found = _bad_entry(G, t)
    if found is not None:
        idx, v, why = found
        raise MaskedScoreError(
            f"estimator {name!r}: table {j} entry {idx} is {why} ({t.format(v) if why == 'negative' else v}); "
            "score estimates must be finite and >= 0"
        )


def _check_weight(value, what: str, lo=0, hi=None):
    """Read an exact rational parameter and refuse it outside ``[lo, hi]``."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise MaskedScoreError(f"{what} = {value!r} is not a number")
    try:
        f = as_fraction(value)
    except TierError as e:
        raise MaskedScoreError(f"{what} = {value!r}: {e}") from None
    if f < lo or (hi is not None and f > hi):
        rng = f"must lie in [{lo}, {hi}]" if hi is not None else f"must be >= {lo}"
        raise MaskedScoreError(f"{what} = {f} {rng}")
    return f


def _base_tables(base, t: Tier) -> tuple[int, int, list, Law | None]:
    if isinstance(base, MaskedEstimator):
        if base.time_dependent:
            raise MaskedScoreError("noise models wrap time-agnostic estimators; wrap the data law instead")
        return base.m, base.d, base.tables(t), base.reference
    m, d = _data_space(base)
    C = denoising_conditionals(base)
    tabs = C.tables if t == base.tier else [t.convert(G, base.tier) for G in C.tables]
    return m, d, tabs, base


def exact_estimator(law: Law, *, off_support: str = "uniform") -> MaskedEstimator:
    """The exact scores: ``ĝ = p(· | x_U)`` (off-support contexts by ``off_support``).

    >>> from mdtheory.distributions import copy
    >>> E = exact_estimator(copy(2, 2))
    >>> E.tables("exact")[1][0, :].tolist()
    [1, 0]
    """
    m, d = _data_space(law)
    C = denoising_conditionals(law, off_support=off_support)

    def build(t, alpha):
        return C.tables if t == law.tier else [t.convert(G, law.tier) for G in C.tables]

    return MaskedEstimator(m, d, build, name="exact", reference=law)


def _seeded_xi(shape, seed, dist: str):
    """Seeded noise on a dyadic grid (exact rationals ``k/2^16``): uniform on [−1, 1] or normal."""
    rng = np.random.default_rng(seed)
    if dist == "uniform":
        k = rng.integers(-(2**16), 2**16 + 1, size=shape)
    elif dist == "normal":
        k = np.round(rng.standard_normal(size=shape) * 2**16).astype(np.int64)
    else:
        raise MaskedScoreError(f"noise distribution {dist!r} is unknown; choose 'uniform' or 'normal'")
    return k


def multiplicative_noise(base, eta, *, seed: int = 0, form: str = "linear", noise: str = "uniform") -> MaskedEstimator:
    """``ĝ = p·(1 + ηξ)`` (``form='linear'``) or ``ĝ = p·e^{ηξ}`` (``form='exp'``), seeded ``ξ``.

    ``ξ`` is drawn once per (context, ``j``, ``a``) from ``noise`` (``'uniform'`` on
    ``[−1, 1]`` or ``'normal'``), rounded to multiples of ``2^{-16}`` so the linear form
    stays exact.  The linear form needs ``1 + ηξ ≥ 0`` (``η ≤ 1`` with uniform noise).
    The exponential form is irrational: use the certified or float tier.

    >>> from mdtheory.distributions import uniform
    >>> from fractions import Fraction
    >>> E = multiplicative_noise(uniform(2, 1), "1/2", seed=1)
    >>> g = E.tables("exact")[0]                        # 1/2·(1 + ξ/2), ξ ∈ [−1, 1]
    >>> all(Fraction(1, 4) <= Fraction(str(v)) <= Fraction(3, 4) for v in g), g.shape
    (True, (2,))
    """
    if form not in ("linear", "exp"):
        raise MaskedScoreError(f"form={form!r}; choose 'linear' (p(1+ηξ)) or 'exp' (p·e^(ηξ))")

    def build(t, alpha):
        m, d, tabs, _ = _base_tables(base, t)
        e = t.scalar(eta)
        out = []
        for j, G in enumerate(tabs):
            k = _seeded_xi(G.shape, (seed, j), noise)
            if t.dtype is object:
                xi = t.array(np.vectorize(lambda v: Fraction(int(v), 2**16), otypes=[object])(k))
            else:
                xi = k / 2.0**16
            if form == "linear":
                f = t.one + e * xi
                neg = t.negative_mask(f)
                if neg.any():
                    raise MaskedScoreError(f"1 + ηξ < 0 somewhere (η = {t.format(e)}); use η ≤ 1 or form='exp'")
            else:
                f = t.exp_array(e * xi)
            out.append(G * f)
        return out

    m, d = (base.m, base.d) if isinstance(base, MaskedEstimator) else _data_space(base)
    ref = base.reference if isinstance(base, MaskedEstimator) else base
    return MaskedEstimator(m, d, build, name=f"multiplicative({form}, eta={eta}, seed={seed})", reference=ref)


def mixing(base, eta, reference: Sequence[Any] | str | None = None, *, seed: int = 0) -> MaskedEstimator:
    """``ĝ = (1−η)·p + η·r``: conditionals mixed with a reference law ``r`` on ``{0..m−1}``.

    ``reference``: a probability vector (same for every context), ``None`` (uniform),
    or ``'random'`` (a seeded random rational law per context and ``j``).

    >>> from mdtheory.distributions import copy
    >>> E = mixing(copy(2, 2), "1/4")
    >>> E.tables("exact")[1][0, :].tolist()                 # (3/4)(1, 0) + (1/4)(1/2, 1/2)
    [7/8, 1/8]
    """
    if not (hasattr(eta, "_mpf_") or hasattr(eta, "mid")):  # tier scalars are checked in the tables
        _check_weight(eta, "mixing: η", 0, 1)
    if reference is not None and not isinstance(reference, str):
        for i, r in enumerate(reference):
            _check_weight(r, f"mixing: reference[{i}]", 0)

    def build(t, alpha):
        m, d, tabs, _ = _base_tables(base, t)
        e = t.scalar(eta)
        out = []
        for j, G in enumerate(tabs):
            if isinstance(reference, str):
                if reference != "random":
                    raise MaskedScoreError(f"reference={reference!r}; give a vector, None (uniform) or 'random'")
                rng = np.random.default_rng((seed, j))
                w = rng.integers(1, 2**10, size=G.shape)
                w = np.moveaxis(w, j, -1)
                tot = w.sum(axis=-1, keepdims=True)
                R = np.moveaxis(t.array(np.vectorize(lambda a, b: Fraction(int(a), int(b)), otypes=[object])(w, np.broadcast_to(tot, w.shape))), -1, j)
            else:
                vec = [Fraction(1, m)] * m if reference is None else list(reference)
                if len(vec) != m:
                    raise MaskedScoreError(f"the reference law needs {m} entries, got {len(vec)}")
                v = t.array(vec)
                shape = [1] * d
                shape[j] = m
                R = v.reshape(shape)
            out.append(G * (t.one - e) + R * e)
        return out

    m, d = (base.m, base.d) if isinstance(base, MaskedEstimator) else _data_space(base)
    ref = base.reference if isinstance(base, MaskedEstimator) else base
    return MaskedEstimator(m, d, build, name=f"mixing(eta={eta})", reference=ref)


def rescaled(base, lam) -> MaskedEstimator:
    """``ŝ = λ·s`` (uniform rescaling; FHS and the other normalising samplers are unaffected).

    >>> from mdtheory.distributions import copy
    >>> rescaled(copy(2, 2), 2).tables("exact")[1][0, :].tolist()
    [2, 0]
    """

    def build(t, alpha):
        m, d, tabs, _ = _base_tables(base, t)
        lt = t.scalar(lam)
        if t.compare(lt, t.zero) == -1:
            raise MaskedScoreError(f"λ = {t.format(lt)} < 0; scores are non-negative")
        return [G * lt for G in tabs]

    m, d = (base.m, base.d) if isinstance(base, MaskedEstimator) else _data_space(base)
    ref = base.reference if isinstance(base, MaskedEstimator) else base
    return MaskedEstimator(m, d, build, name=f"rescaled({lam})", reference=ref)


def from_tables(tables: Sequence[Any], m: int, d: int, *, name: str = "tables") -> MaskedEstimator:
    """A time-agnostic estimator from ``d`` user tables (layout of :class:`MaskedConditionals`).

    Entries are read as exact rationals (floats by their shortest repr) in rigorous tiers.

    >>> E = from_tables([[[1, 0, "1/2"], [0, 1, "1/2"]], [[1, 0], [0, 1], ["1/2", "1/2"]]], 2, 2)
    >>> E.tables("exact")[0].tolist()
    [[1, 0, 1/2], [0, 1, 1/2]]
    """
    tabs = [np.asarray(G, dtype=object) for G in tables]
    for j, G in enumerate(tabs):
        want = tuple(m if i == j else m + 1 for i in range(d))
        if G.shape != want:
            raise MaskedScoreError(f"table {j} has shape {G.shape}, expected {want} (axis {j} holds the value a)")
        for idx in np.ndindex(*G.shape):
            v = G[idx]
            if isinstance(v, (float, np.floating)) and not np.isfinite(v):
                raise MaskedScoreError(f"from_tables: table {j} entry {idx} is {v}; score estimates must be finite and >= 0")
            if isinstance(v, (bool, np.bool_)) or v is None or isinstance(v, complex):
                raise MaskedScoreError(f"from_tables: table {j} entry {idx} is {v!r}; give a finite number >= 0")
            if isinstance(v, (int, str, Fraction, np.integer, np.floating, float)) or hasattr(v, "numerator"):
                _check_weight(v, f"from_tables: table {j} entry {idx}", 0)

    def build(t, alpha):
        return [t.array(G) for G in tabs]

    return MaskedEstimator(m, d, build, name=name)


def from_callable(fn: Callable, m: int, d: int, *, time_dependent: bool = False, kind: str = "conditional",
                  name: str = "callable") -> MaskedEstimator:
    """An estimator from ``fn(x)`` (or ``fn(x, alpha)`` when ``time_dependent``).

    ``x`` is a state tuple on ``{0..m}^d`` with at least one mask; ``fn`` returns either a
    mapping ``{j: vector of m values}`` for the masked ``j``, or an array of shape ``(d, m)``
    (rows of unmasked ``j`` ignored).  ``kind='conditional'``: the values are ``ĝ``
    (score ``r(α)·ĝ``); ``kind='score'``: the values are the raw scores ``ŝ_α`` (then
    ``time_dependent`` must be True; ``ĝ = ŝ/r(α)``).  ``fn`` is called once per state.

    >>> E = from_callable(lambda x: {j: [1, 3] for j in range(2) if x[j] == 2}, 2, 2)
    >>> E.tables("exact")[0][:, 2].tolist()
    [1, 3]
    """
    if kind not in ("conditional", "score"):
        raise MaskedScoreError(f"kind={kind!r}; choose 'conditional' (ĝ) or 'score' (raw ŝ)")
    if kind == "score" and not time_dependent:
        raise MaskedScoreError("raw scores depend on time through r(α); pass time_dependent=True with kind='score'")
    S = MaskedSpace(m, d)

    def build(t, alpha):
        tabs = [t.zeros(tuple(m if i == j else m + 1 for i in range(d))) for j in range(d)]
        scale = None if kind == "conditional" else ratio(alpha, t)
        for x in S.states():
            M = [j for j in range(d) if x[j] == m]
            if not M:
                continue
            val = fn(x, alpha) if time_dependent else fn(x)
            for j in M:
                row = val[j]
                if len(row) != m:
                    raise MaskedScoreError(f"fn({x}) gave {len(row)} values for position {j}, expected m = {m}")
                for a in range(m):
                    try:
                        v = t.scalar(row[a])
                    except (TierError, TypeError, ValueError) as e:
                        raise MaskedScoreError(f"fn({x}) gave {row[a]!r} at position {j}, value {a}: {e}") from None
                    if t.compare(v, t.zero) == -1:
                        raise MaskedScoreError(f"fn({x}) gave a negative value at position {j}; scores are ≥ 0")
                    tabs[j][x[:j] + (a,) + x[j + 1 :]] = v if scale is None else v / scale
        return tabs

    return MaskedEstimator(m, d, build, time_dependent=time_dependent, name=name)


# ---------------------------------------------------------------------------------------------
# 3. the unmasking rate
# ---------------------------------------------------------------------------------------------
def unmask_rate(clock, tau, tier):
    """``β(τ)·r(α(τ))``: the total reverse rate of one masked token under exact scores.

    Computed stably: ``(1−ε)/(1−α)`` on (log-)linear clocks (finite at α = 0, where β is
    infinite), ``β·α/(1−α)`` otherwise.

    >>> from mdtheory.schedules import LinearClock, ExponentialClock
    >>> unmask_rate(LinearClock(), 1, "exact"), unmask_rate(LinearClock(), "1/4", "exact")
    (1, 4)
    """
    from .schedules import LogLinearClock

    t = get_tier(tier)
    with t.active():
        a = clock.alpha(tau, t)
        if isinstance(clock, LogLinearClock):
            if t.compare(a, t.one) != -1:
                raise MaskedScoreError("the unmasking rate is infinite at forward time 0 (α = 1); stop earlier")
            return (t.one - t.scalar(clock.eps)) / (t.one - a)
        z = t.is_zero(a)
        if z is True or (z is None and not hasattr(tau, "mid")):  # a time ball keeps its (wide) enclosure
            raise MaskedScoreError(
                f"the {clock.describe()} clock has α = 0 at forward time {tau}, where its rate β = −α'/α is "
                f"infinite; pass a horizon T < {tau} (e.g. T='99/100') so that no step starts there, "
                "or use a clock with α > 0 at T"
            )
        return clock.beta(tau, t) * ratio(a, t)


# ---------------------------------------------------------------------------------------------
# 4. score functionals of the masked process (exact polynomials in α)
# ---------------------------------------------------------------------------------------------
#
# The masked marginal is q_α(x) = α^{|U|}(1−α)^{|M|}·μ_U(x_U) (U unmasked, M masked), so every
# functional is a polynomial in α whose coefficients are sums over the contexts x_U of the partial
# marginal table, with the conditionals read from the same tables as the samplers use.
def _masked_time(process, t, tau, alpha, K: Tier):
    """``(α, dα/dt or dα/dτ)`` for exactly one of ``t``, ``tau``, ``alpha`` (``None`` for ``alpha``)."""
    from .propagate import Process

    if sum(x is not None for x in (t, tau, alpha)) != 1:
        raise MaskedScoreError("give exactly one of t (clock time), tau (integrated rate) or alpha (keep probability)")
    if alpha is not None:
        return K.scalar(alpha), None
    proc = process if isinstance(process, Process) else Process(process)
    rate = K.scalar(proc.generator.factors[0].param["rate"])
    tt = proc.clock.tau(t, K) if t is not None else K.scalar(tau)
    a = K.exp(-rate * tt)
    # dα/dt = −rate·β(t)·α ;  dα/dτ = −rate·α
    return a, -rate * a * (proc.clock.beta(t, K) if t is not None else K.one)


def _masked_setup(law: Law, process, phi, tier, prec, score, direction):
    from .phi import get_phi
    from .propagate import Process

    gen = process.generator if isinstance(process, Process) else process
    if not hasattr(gen, "factors") or {f.family for f in gen.factors} != {"masking"}:
        raise MaskedScoreError(f"expected a generators.masking process, got {type(process).__name__}")
    m, d = _data_space(law)
    if not isinstance(law.space, ProductSpace):
        raise MaskedScoreError(f"masked functionals take the data law on Z_m^d, not {law.space!r}")
    if (m, d) != (gen.space.m, gen.space.d):
        raise MaskedScoreError(f"the data law lives on {law.space!r} but the process on {gen.space!r}")
    if score not in ("auto", "conditional", "raw"):
        raise MaskedScoreError(f"masking has score='conditional' (default) or 'raw', got {score!r}")
    K = (law.tier if tier is None else get_tier(tier)).with_prec(prec)
    if direction is None:
        coords = list(range(d))
    else:
        coords = [c[0] if isinstance(c, tuple) else c for c in (direction if isinstance(direction, list) else [direction])]
        bad = [c for c in coords if not 0 <= int(c) < d]
        if bad:
            raise MaskedScoreError(f"coordinate {bad[0]} is out of range for d={d}; masking directions are coordinates")
        coords = [int(c) for c in coords]
    return K, get_phi(phi), ("conditional" if score == "auto" else score), coords


def _masked_tables(law: Law, K: Tier):
    """(partial-marginal table, conditional tables) of the data law in tier ``T``."""
    lw = law if law.tier == K else law.to_tier(K)
    return partial_marginal_table(lw), denoising_conditionals(lw).tables


def _masked_contexts(table, i: int, m: int, d: int, K: Tier):
    """``(x, |U|, μ_U(x_U))`` for the contexts ``x`` (``x_i`` masked) with mass not certainly 0."""
    ranges = [(m,) if k == i else range(m + 1) for k in range(d)]
    for x in itertools.product(*ranges):
        w = table[x]
        if K.is_zero(w) is not True:
            yield x, sum(1 for v in x if v != m), w


def _phi_sum(phi, values, K: Tier, scale=None):
    """``Σ_a Φ(scale·values[a])`` (``math.inf`` when some ``Φ(0) = ∞`` is hit)."""
    tot = K.zero
    for v in values:
        u = v if scale is None else scale * v
        if K.is_zero(u) is True:
            if phi.at_zero is None:
                return math.inf
            tot = tot + K.scalar(phi.at_zero)
        else:
            tot = tot + phi.f(u, K)
    return tot


def _row(G_i, x, i: int, m: int) -> list:
    return [G_i[x[:i] + (a,) + x[i + 1:]] for a in range(m)]


def masked_score_functional(law: Law, process, phi, t=None, *, tau=None, alpha=None, direction=None,
                            score: str = "auto", tier=None, prec: int | None = None):
    """``F = E_{q_α}[Φ(score)]`` for the masking process (what :func:`mdtheory.scores.score_functional` returns).

    ``score='conditional'`` (default): ``Σ_i E Σ_a Φ(π_i(a|x_U))`` with each ``j ≠ i`` revealed
    w.p. ``α``; ``score='raw'``: ``Σ_{i masked} Σ_a Φ((α/(1−α))·π_i(a|x_U))``.  Give one of ``t``,
    ``tau`` or ``alpha``; ``direction`` is a coordinate, a list of them, or ``None`` (all).

    >>> from mdtheory import generators
    >>> from mdtheory.distributions import copy
    >>> masked_score_functional(copy(2, 2), generators.masking(2, 2), "chi2", alpha="1/2").value   # 2·((1−α)·½ + α·1)
    3/2
    """
    from .phi import FunctionalValue

    K, phi, score, coords = _masked_setup(law, process, phi, tier, prec, score, None if direction is None else direction)
    m, d = _data_space(law)
    with K.active():
        a, _ = _masked_time(process, t, tau, alpha, K)
        table, G = _masked_tables(law, K)
        lam = a / (K.one - a) if score == "raw" else None
        terms = {}
        for i in coords:
            coef = [K.zero] * d  # by the number |U| of revealed coordinates
            for x, u, w in _masked_contexts(table, i, m, d, K):
                s = _phi_sum(phi, _row(G[i], x, i, m), K, lam)
                if s is math.inf:
                    coef = None
                    break
                coef[u] = coef[u] + w * s
            if coef is None:
                terms[i] = math.inf
                continue
            r = d - 1 if score == "conditional" else d
            terms[i] = sum((a**u * (K.one - a) ** (r - u) * coef[u] for u in range(d)), K.zero)
        vals = list(terms.values())
        value = math.inf if any(v is math.inf for v in vals) else sum(vals, K.zero)
    return FunctionalValue(value, K, phi, score, terms, None, alpha if alpha is not None else (t if t is not None else tau))


def masked_score_functional_derivative(law: Law, process, phi, t=None, *, tau=None, alpha=None, direction=None,
                                       score: str = "auto", method: str | None = None, tier=None,
                                       prec: int | None = None):
    """Exact derivative of :func:`masked_score_functional` in ``α`` (given ``alpha``), ``t`` or ``tau``.

    ``score='conditional'`` uses the Bregman form (``method='bregman'``)
    ``dF/dα = Σ_{i, U, j∉U∪{i}} α^{|U|}(1−α)^{d−2−|U|}·E[Σ_a B_Φ(π_i(a|x_{U∪j}), π_i(a|x_U))] ≥ 0``;
    ``score='raw'`` the chain rule in ``α`` (``method='direct'``).  Another ``method`` is an error.

    >>> from mdtheory import generators
    >>> from mdtheory.distributions import copy
    >>> dv = masked_score_functional_derivative(copy(2, 2), generators.masking(2, 2), "chi2", alpha="1/2")
    >>> dv.value, dv.wrt, dv.method            # d/dα of 2·((1−α)·½ + α·1)
    (1, 'alpha', 'bregman')
    """
    from .phi import DerivativeValue

    K, phi, score, coords = _masked_setup(law, process, phi, tier, prec, score, direction)
    own = "bregman" if score == "conditional" else "direct"
    if method not in (None, own):
        raise MaskedScoreError(f"the masked {score} functional has only method={own!r}, got method={method!r}")
    m, d = _data_space(law)
    with K.active():
        a, da = _masked_time(process, t, tau, alpha, K)
        table, G = _masked_tables(law, K)
        total = K.zero
        if score == "raw":
            lam, dlam = a / (K.one - a), K.one / ((K.one - a) * (K.one - a))
        for i in coords:
            for x, u, w in _masked_contexts(table, i, m, d, K):
                pi = _row(G[i], x, i, m)
                if score == "conditional":
                    wu = a**u * (K.one - a) ** (d - 2 - u)
                    inc = K.zero
                    for j in range(d):
                        if j == i or x[j] != m:
                            continue
                        for b in range(m):
                            y = x[:j] + (b,) + x[j + 1:]
                            wj = table[y]
                            if K.is_zero(wj) is True:
                                continue
                            for p2, p1 in zip(_row(G[i], y, i, m), pi):
                                if K.is_zero(p1) is True and K.is_zero(p2) is True:
                                    continue  # B_Φ(0, 0) = 0 even where Φ'(0) is infinite (a zero stays zero)
                                inc = inc + wj * phi.bregman(p2, p1, K)
                    total = total + wu * inc
                    continue
                r = d - u
                wu = a**u * (K.one - a) ** r
                dw = (u * a ** (u - 1) * (K.one - a) ** r if u > 0 else K.zero) - (
                    r * a**u * (K.one - a) ** (r - 1) if r > 0 else K.zero)
                for v in pi:
                    s = lam * v
                    if K.is_zero(s) is True:
                        if phi.at_zero is None:
                            raise MaskedScoreError("Φ(0) = ∞ at a zero conditional; the raw functional is infinite")
                        total = total + w * dw * K.scalar(phi.at_zero)
                    else:
                        total = total + w * (dw * phi.f(s, K) + wu * phi.df(s, K) * v * dlam)
        if da is None:
            return DerivativeValue(total, K, phi, score, own, "alpha", time=alpha)
        value = total * da
    return DerivativeValue(value, K, phi, score, own, "t" if t is not None else "tau", time=t if t is not None else tau)
