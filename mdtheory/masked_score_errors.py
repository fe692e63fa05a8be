"""Score errors of masked-diffusion estimators against the exact scores (exact in the exact tier).

:func:`l1_score_error` at one α, :func:`l1_score_error_grid` (Euler,
``Σ_k h_k β_k E_{q_k} Σ_{j,a} |ŝ − s|``), :func:`fhs_score_error` (order-averaged integral, the FHS
error) and :func:`score_entropy_error_grid` (grid-weighted ``Σ ŝ − s + s log(s/ŝ)``).  Estimators
and the exact scores come from :mod:`mdtheory.masked_scores`; only contexts with
``P(X_U = x_U) > 0`` carry mass (``q_α`` never visits the others).

>>> from mdtheory.distributions import uniform
>>> from mdtheory.masked_scores import rescaled
>>> l1_score_error(uniform(2, 1), rescaled(uniform(2, 1), 2), "1/2")   # r=1, |2p − p| summed = 1, P(masked)=1/2
1/2
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from .information import partial_marginal_table
from .laws import Law
from .masked_scores import (
    MaskedEstimator,
    MaskedScoreError,
    _data_space,
    _revealed_count,
    exact_estimator,
    ratio,
    unmask_rate,
)
from .tiers import Tier, get_tier

__all__ = ["l1_score_error", "l1_score_error_grid", "fhs_score_error", "score_entropy_error_grid"]


# ---------------------------------------------------------------------------------------------
# score errors
# ---------------------------------------------------------------------------------------------
def _per_size(law: Law, estimator: MaskedEstimator | None, t: Tier, alpha, fn) -> list:
    """``D_u = Σ_{|U|=u} Σ_{x_U} P(X_U=x_U)·Σ_{j∉U} fn(ĝ_j(·|x_U), p_j(·|x_U))`` for ``u = 0..d−1``."""
    m, d = _data_space(law)
    est = estimator if estimator is not None else exact_estimator(law)
    if (est.m, est.d) != (m, d):
        raise MaskedScoreError(f"estimator is for m={est.m}, d={est.d} but the law has m={m}, d={d}")
    ex = exact_estimator(law)
    src = law.tier
    table = partial_marginal_table(law)
    with t.active():
        if t != src:
            table = t.convert(table, src)
        Gh = est.tables(t, alpha)
        G = ex.tables(t)
        D = [t.zero] * d
        for j in range(d):
            idx = [slice(None)] * d
            idx[j] = slice(m, m + 1)
            w = table[tuple(idx)]  # context probabilities, axis j of size 1
            per = fn(Gh[j], G[j], j, w)  # axis j of size 1
            contrib = w * per
            cnt = np.broadcast_to(_revealed_count(d, m, j), contrib.shape)
            for u in range(d):
                sel = contrib[cnt == u]
                if sel.size:
                    D[u] = D[u] + t.total(sel)
        return D


def _l1_fn(t: Tier):
    def fn(gh, g, j, w):
        diff = gh - g
        a = t.abs_array(diff)
        return a.sum(axis=j, keepdims=True)

    return fn


def _mix_sizes(D, alpha, t: Tier, d: int):
    """``Σ_u α^u (1−α)^{d−u} D_u`` = ``E_{x∼q_α} Σ_{j∈M(x)} (per-context term)``."""
    with t.active():
        a = t.scalar(alpha)
        return sum((a**u * (t.one - a) ** (d - u) * D[u] for u in range(d)), t.zero)


def l1_score_error(law: Law, estimator: MaskedEstimator | None, alpha, *, tier=None):
    """``E_{x∼q_α} Σ_{j∈M(x)} Σ_a |ŝ_α(x^{j←a},x) − s_α(x^{j←a},x)|`` at one α.

    Only contexts with ``P(X_U = x_U) > 0`` carry mass (``q_α`` never visits others).

    >>> from mdtheory.distributions import uniform
    >>> from mdtheory.masked_scores import rescaled
    >>> l1_score_error(uniform(2, 1), rescaled(uniform(2, 1), 2), "1/2")   # r=1, |2p − p| summed = 1, P(masked)=1/2
    1/2
    """
    t = get_tier(tier) if tier is not None else law.tier
    m, d = _data_space(law)
    D = _per_size(law, estimator, t, alpha, _l1_fn(t))
    with t.active():
        return ratio(alpha, t) * _mix_sizes(D, alpha, t, d)


def _grid_points(clock, grid, T, t: Tier):
    """Forward times, α's and weights ``h_k·β·r`` folded later: returns list of (alpha, h·β)."""
    from .schedules import LinearClock, LogLinearClock  # noqa: F401  (layer 2)
    out = []
    for k in range(grid.N):
        tau = Fraction(T) - grid.times[k] if not isinstance(T, Fraction) else T - grid.times[k]
        h = grid.times[k + 1] - grid.times[k]
        out.append((tau, h))
    return out


def l1_score_error_grid(law: Law, estimator: MaskedEstimator | None, *, clock, grid, T, tier=None):
    """Euler's L1 score error ``Σ_k h_k·β(τ_k)·E_{q_{τ_k}} Σ_{j,a} |ŝ − s|`` (left points ``τ_k = T − t_k``).

    The same grid and clock conventions as :func:`mdtheory.samplers.euler`.

    >>> from mdtheory.distributions import uniform
    >>> from mdtheory.schedules import LinearClock, uniform_grid
    >>> from mdtheory.masked_scores import rescaled
    >>> l1_score_error_grid(uniform(2, 1), rescaled(uniform(2, 1), 2), clock=LinearClock(), grid=uniform_grid(1, 2), T=1)
    1
    """
    t = get_tier(tier) if tier is not None else law.tier
    m, d = _data_space(law)
    total = t.zero
    with t.active():
        for tau, h in _grid_points(clock, grid, Fraction(T), t):
            a = clock.alpha(tau, t)
            D = _per_size(law, estimator, t, a, _l1_fn(t))
            total = total + t.scalar(h) * unmask_rate(clock, tau, t) * _mix_sizes(D, a, t, d)
    return total


def fhs_score_error(law: Law, estimator: MaskedEstimator | None = None, *, tier=None):
    """The FHS score error for a time-agnostic estimator, order-averaged form (``T = ∞``):

    ``ε^FHS = Σ_{U⊊[d]} [|U|!(d−|U|−1)!/d!]·Σ_{j∉U} E_{x∼p} ‖ĝ_j(·|x_U) − p(·|x_U)‖_1``

    = the expected sum of the ``d`` conditional L1 errors along a uniformly random order
    (``∫_0^∞ E_{q_τ} Σ |ŝ_τ − s_τ| dτ`` on the exponential clock, a Beta integral).

    >>> from mdtheory.distributions import uniform
    >>> from mdtheory.masked_scores import mixing
    >>> fhs_score_error(uniform(2, 2), mixing(uniform(2, 2), "1/2", reference=[1, 0]))   # each of 2 steps: 1/2
    1
    """
    t = get_tier(tier) if tier is not None else law.tier
    m, d = _data_space(law)
    if estimator is not None and estimator.time_dependent:
        raise MaskedScoreError("fhs_score_error is for time-agnostic estimators; integrate l1_score_error over time instead")
    D = _per_size(law, estimator, t, None, _l1_fn(t))
    with t.active():
        return sum((t.scalar(Fraction(math.factorial(u) * math.factorial(d - u - 1), math.factorial(d))) * D[u]
                    for u in range(d)), t.zero)


def score_entropy_error_grid(law: Law, estimator: MaskedEstimator | None, *, clock, grid, T, tier=None,
                             prec: int | None = None):
    """Grid-weighted score entropy ``Σ_k h_k β_k E_{q_{τ_k}} Σ_{j,a} [ŝ − s + s·log(s/ŝ)]`` (≥ 0).

    Exact laws give an ``arb`` ball at ``prec`` bits (logs are irrational; certified and mp laws are
    computed at ``prec`` bits when given); ``math.inf``
    when some ``s > 0 = ŝ`` on a visited context.

    >>> from mdtheory.distributions import uniform
    >>> from mdtheory.schedules import LinearClock, uniform_grid
    >>> v = score_entropy_error_grid(uniform(2, 1), None, clock=LinearClock(), grid=uniform_grid(1, 2), T=1)
    >>> v.contains(0), v.rad() < 1e-30
    (True, True)
    """
    src = get_tier(tier) if tier is not None else law.tier
    t = src.transcendental_tier(prec)
    m, d = _data_space(law)
    inf_flag = []

    def fn(gh, g, j, w):
        if t.is_float:  # vectorised
            with np.errstate(divide="ignore", invalid="ignore"):
                lg = np.where(g > 0, g * np.log(np.where(g > 0, g, 1) / np.where(gh > 0, gh, 1)), 0.0)
            if np.any((g > 0) & (gh <= 0) & (w > 0)):
                inf_flag.append(True)
            return (gh - g + lg).sum(axis=j, keepdims=True)

        wb = np.broadcast_to(w, gh.shape)

        def term(a, b, wt):  # a = ĝ, b = p, wt = context mass
            if t.is_zero(b) is True or t.is_zero(wt) is True:
                return a - b if t.is_zero(wt) is not True else t.zero
            if t.is_zero(a) is True:
                inf_flag.append(True)
                return t.zero
            return a - b + b * t.log(b / a)

        return np.vectorize(term, otypes=[object])(gh, g, wb).sum(axis=j, keepdims=True)

    total = t.zero
    with t.active():
        for tau, h in _grid_points(clock, grid, Fraction(T), t):
            a = clock.alpha(tau, t)
            D = _per_size(law, estimator, t, a, fn)
            total = total + t.scalar(h) * unmask_rate(clock, tau, t) * _mix_sizes(D, a, t, d)
    if inf_flag:
        return math.inf
    return total
