"""The First-Hitting Sampler with real hitting times: exact law for time-dependent estimators.

:func:`~mdtheory.samplers.fhs` covers time-agnostic estimators, where the hitting times
cancel.  Here the estimator may depend on time: ``ĝ_α`` with ``α = 1 − s`` on the linear
clock (``s`` the forward time).  FHS (Zheng et al. 2409.02908, Alg. 1) starts at ``s = 1``
with all ``d`` tokens masked; with ``n`` masked and the last reveal at ``s_n`` it draws
``s_{n−1} = u^{1/n}·s_n`` and reveals one uniformly chosen masked position with value
``∝ ĝ_α(·|x)``.  The reveal times are the order statistics of ``d`` i.i.d. ``U(0,1)``
masking times: after ``k`` reveals, the joint density of ``(s_{d−1} > … > s_{d−k} = s)`` is
``d!/(d−k)!·s^{d−k}`` on the ordered simplex.

**Exact integration.**  When every normalised entry of ``ĝ_α`` is a polynomial in ``α`` of
degree ``≤ degree`` (checked at an extra node; otherwise a clear error), each state carries
a polynomial ``G_k(x; s)`` in the current hitting time, with

    G_{k+1}(y; s') = Σ_x K_{x→y}(s*) · ∫_{s'}^{1} G_k(x; s) ds,

``s* = s'`` (``at='new'``: the estimator at the freshly drawn time — FHS as published) or
``s* = s`` inside the integral (``at='previous'``: the previous hitting time, the error the
sharp-rates notes' reviewer check 9 warns about).  The output law is ``d!·∫_0^1 G_d(y; s) ds``.
Everything is in exact rationals (python-flint ``fmpq_poly``).

**Every clock.**  The estimator is evaluated at ``α`` of the hitting time (the library's convention for
time-dependent estimators).  The masking probabilities ``S_i = 1 − α(τ_i)`` of the ``d`` tokens are i.i.d.
``U(0,1)`` on *every* clock (``P(τ_i ≤ τ) = 1 − α(τ)``), so in ``α`` the hitting-time law, hence the output
law, is the same on every clock; ``clock=`` only changes the reported hitting times.
:func:`hitting_time_means` gives their exact expectations in the clock's own time: ``(d−k+1)/(d+1)`` on the
linear clock and ``Σ_{i=k}^{d} 1/i`` (the mean of the ``(d−k+1)``-th smallest of ``d`` Exp(1) times) on the
exponential clock, both exact rationals.

**Events are counted, not assumed.**  ``info['expected_events']`` is the sum over stages
``k = 0 … d−1`` of the mass still holding a mask before stage ``k`` (each such state executes one
reveal, one network evaluation), computed from the stage laws ``d!/(d−k)!·∫ s^{d−k} G_k``.

>>> from mdtheory.distributions import copy
>>> from mdtheory.masked_scores import exact_estimator
>>> r = fhs_time(copy(2, 2), exact_estimator(copy(2, 2)))
>>> r.tv(), r.info["expected_events"]
(0, 2)
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
from flint import fmpq, fmpq_poly

from ..laws import Law
from ..masked_scores import MaskedEstimator
from ..tiers import as_fraction, get_tier
from ._masked_core import SamplerError, SamplerResult, data_dims, finish, resolve_estimator

__all__ = ["fhs_time", "polynomial_tables", "hitting_time_means"]


def _q(x) -> fmpq:
    f = as_fraction(x)
    return fmpq(f.numerator, f.denominator)


def polynomial_tables(est: MaskedEstimator, degree: int) -> list:
    """The normalised tables of ``est`` as arrays of ``fmpq_poly`` in the forward time ``s = 1 − α``.

    Interpolates at ``degree + 1`` rational nodes and checks one more node; a time-agnostic
    estimator gives constants.  Raises :class:`SamplerError` if an entry is not a polynomial of
    degree ``≤ degree`` in ``α``.
    """
    ex = get_tier("exact")
    if not est.time_dependent:
        return [np.vectorize(lambda v: fmpq_poly([_q(v)]), otypes=[object])(G) for G in est.normalized_tables(ex)[0]]
    nodes = [Fraction(i + 1, degree + 3) for i in range(degree + 2)]  # s-values in (0, 1); the last one checks
    vals = [est.normalized_tables(ex, 1 - s)[0] for s in nodes]
    out = []
    for j in range(est.d):
        shape = vals[0][j].shape
        P = np.empty(shape, dtype=object)
        for idx in np.ndindex(*shape):
            ys = [_q(v[j][idx]) for v in vals]
            poly = fmpq_poly([0])
            for i in range(degree + 1):  # Lagrange on the first degree+1 nodes
                basis = fmpq_poly([1])
                for k in range(degree + 1):
                    if k != i:
                        basis = basis * fmpq_poly([-_q(nodes[k]), 1]) / _q(nodes[i] - nodes[k])
                poly = poly + ys[i] * basis
            if poly(_q(nodes[-1])) != ys[-1]:
                raise SamplerError(f"fhs_time: the estimator's normalised table {j} at {idx} is not a polynomial of "
                                   f"degree <= {degree} in alpha; raise degree= or use a polynomial estimator")
            P[idx] = poly
        out.append(P)
    return out


def hitting_time_means(d: int, clock=None) -> list:
    """``[E τ_1, …, E τ_d]``: exact expected forward times of the FHS reveals (``τ_1`` the first, the largest).

    Linear clock (``α = 1 − t``): ``E τ_k = (d−k+1)/(d+1)`` (order statistics of uniforms).  Exponential clock
    (``α = e^{−rt}``): the masking times are i.i.d. Exp(r), ``E τ_k = (1/r)·Σ_{i=k}^{d} 1/i`` (Rényi's
    representation).

    >>> [str(x) for x in hitting_time_means(3)], [str(x) for x in hitting_time_means(3, "exponential")]
    (['3/4', '1/2', '1/4'], ['11/6', '5/6', '1/3'])
    """
    name = _clock_name(clock)
    d = int(d)
    if d < 1:
        raise SamplerError(f"hitting_time_means: d must be >= 1, got {d}")
    if name == "linear":
        return [fmpq(d - k + 1, d + 1) for k in range(1, d + 1)]
    rate = getattr(clock, "rate", 1)  # ExponentialClock(rate=r): α = e^{−rt}, times scale by 1/r
    inv = fmpq(as_fraction(rate).denominator, as_fraction(rate).numerator)
    return [inv * sum((fmpq(1, i) for i in range(k, d + 1)), fmpq(0)) for k in range(1, d + 1)]


def _clock_name(clock) -> str:
    if clock is None:
        return "linear"
    name = clock if isinstance(clock, str) else getattr(clock, "name", None)
    if name not in ("linear", "exponential"):
        raise SamplerError(f"fhs_time: clock {clock!r} not supported; use 'linear' or 'exponential' (or their Clock "
                           "objects); the output law is the same on every clock, only the reported times differ")
    return name


def fhs_time(law: Law, estimator: MaskedEstimator | None = None, *, degree: int = 0, at: str = "new",
             clock=None) -> SamplerResult:
    """Exact output law of FHS with a (possibly) time-dependent estimator ``ĝ_α``.

    ``clock``: ``None``/``'linear'`` or ``'exponential'`` (or ``LinearClock()``/``ExponentialClock()``); the law
    does not depend on it (see the module docstring), ``info['mean_hitting_times']`` does.

    ``degree``: the degree in ``α`` of the normalised estimator (0 for time-agnostic ones).
    ``at``: ``'new'`` (the estimator at the freshly drawn hitting time, as in FHS) or
    ``'previous'`` (at the previous hitting time, ``s_d = 1`` for the first reveal).
    Exact tier only.  For time-agnostic estimators the law equals :func:`fhs`'s (random-order
    autoregression) for both ``at`` values.
    """
    if at not in ("new", "previous"):
        raise SamplerError(f"fhs_time: at={at!r}; use 'new' (FHS) or 'previous'")
    if int(degree) < 0:
        raise SamplerError(f"fhs_time: degree must be >= 0, got {degree}")
    cname = _clock_name(clock)
    m, d = data_dims(law)
    est = resolve_estimator(law, estimator)
    t = get_tier("exact")
    Gp = polynomial_tables(est, int(degree))

    def kernel(x):
        """``[(y, poly)]``: reveal a uniform masked j, value a with ĝ_j(a|x; s)."""
        M = [j for j in range(d) if x[j] == m]
        w = fmpq(1, len(M))
        for j in M:
            ctx = tuple(x[i] if i != j else slice(None) for i in range(d))
            row = Gp[j][ctx]
            for a in range(m):
                if not row[a].is_zero():
                    y = x[:j] + (a,) + x[j + 1:]
                    yield y, row[a] * w

    def integral_from(p):
        """``s' ↦ ∫_{s'}^1 p(s) ds``."""
        Ip = p.integral()
        return Ip(fmpq(1)) - Ip

    full = (m,) * d
    G: dict = {}
    for y, k in kernel(full):  # first reveal: density of s_{d−1} is d·s^{d−1} (kept as the d!/(d−k)! factor)
        poly = k if at == "new" else fmpq_poly([k(fmpq(1))])
        G[y] = G.get(y, fmpq_poly([0])) + poly
    events = fmpq(1)  # stage 0: all mass masked
    for k in range(1, d):
        # stage mass before reveal k+1 (every state still has d − k masks)
        w = fmpq(math.factorial(d), math.factorial(d - k))
        sk = fmpq_poly([0] * (d - k) + [1])
        events += sum((w * ((sk * g).integral()(fmpq(1)))) for g in G.values()) if G else fmpq(0)
        new: dict = {}
        for x, g in G.items():
            if at == "new":
                base = integral_from(g)
                for y, kp in kernel(x):
                    new[y] = new.get(y, fmpq_poly([0])) + kp * base
            else:
                for y, kp in kernel(x):
                    new[y] = new.get(y, fmpq_poly([0])) + integral_from(kp * g)
        G = new
    P = t.zeros((m + 1,) * d)
    fd = fmpq(math.factorial(d))
    for y, g in G.items():
        P[y] = fd * g.integral()(fmpq(1))
    info = {"estimator": est.name, "at": at, "degree": int(degree), "clock": cname,
            "expected_events": events if d > 0 else fmpq(0),
            "mean_hitting_times": hitting_time_means(d, clock) if d > 0 else []}
    return finish(law, P, t, f"fhs_time[{at}]", d, info)
