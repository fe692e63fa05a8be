"""FHS with real hitting times (mdtheory.samplers.fhs_time): closed forms, the time-free sampler, and a
Monte Carlo simulation of the published algorithm (u^{1/n} hitting times) as independent cross-checks."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq

from mdtheory import distributions as D
from mdtheory.divergences import tv
from mdtheory.laws import Law
from mdtheory.masked_scores import exact_estimator, from_callable, mixing
from mdtheory.samplers import ancestral, fhs
from mdtheory.samplers._masked_core import SamplerError
from mdtheory.samplers.fhs_time import fhs_time
from mdtheory.spaces import ProductSpace
from mdtheory.tiers import as_fraction


def _time_mixing(law, refs):
    m, d = law.space.m, law.space.d
    G = exact_estimator(law).tables("exact")

    def fn(x, alpha):
        return {j: [(1 - alpha) * G[j][tuple(x[i] if i != j else slice(None) for i in range(d))][a]
                    + alpha * refs[j][a] for a in range(m)] for j in range(d) if x[j] == m}

    return from_callable(fn, m, d, time_dependent=True)


def test_time_agnostic_equals_random_order_ar():
    law = D.dirichlet(2, 3, seed=1, denominator=2**8)
    e = mixing(law, "1/3", reference="random", seed=2)
    for at in ("new", "previous"):
        r = fhs_time(law, e, at=at)
        assert tv(r.law, fhs(law, e).law) == 0
        assert r.info["expected_events"] == 3 and r.leftover_mask_mass == 0


def test_d1_closed_forms():
    """d = 1: the reveal time s ~ U(0,1), α = 1 − s: 'new' gives E_α[ĝ_α] = (q + ρ)/2, 'previous' (s = 1, α = 0) q."""
    law = Law(ProductSpace(3, 1), ["1/2", "1/3", "1/6"], "exact")
    rho = [fmpq(1, 10), fmpq(2, 10), fmpq(7, 10)]
    E = _time_mixing(law, [rho])
    new = fhs_time(law, E, degree=1).law
    prev = fhs_time(law, E, degree=1, at="previous").law
    q = [Fraction(1, 2), Fraction(1, 3), Fraction(1, 6)]
    for a in range(3):
        assert as_fraction(new.probs[(a,)]) == (q[a] + as_fraction(rho[a])) / 2
        assert as_fraction(prev.probs[(a,)]) == q[a]


def test_matches_monte_carlo_of_the_algorithm():
    """Simulate Alg. 1 literally (s_{n−1} = u^{1/n} s_n, uniform masked position, value ∝ ĝ at the new time)."""
    law = D.dirichlet(2, 2, seed=3, denominator=2**6)
    refs = [[fmpq(1, 5), fmpq(4, 5)], [fmpq(2, 3), fmpq(1, 3)]]
    E = _time_mixing(law, refs)
    exact = fhs_time(law, E, degree=1).law
    G = exact_estimator(law).tables("exact")
    rng = random.Random(0)
    n_runs = 40000
    counts: dict = {}
    for _ in range(n_runs):
        x, s = [2, 2], 1.0
        for n in (2, 1):
            s = rng.random() ** (1 / n) * s
            j = rng.choice([i for i in range(2) if x[i] == 2])
            ctx = tuple(x[i] if i != j else slice(None) for i in range(2))
            alpha = 1 - s
            w = [(1 - alpha) * float(G[j][ctx][a]) + alpha * float(refs[j][a]) for a in range(2)]
            x[j] = 0 if rng.random() < w[0] / sum(w) else 1
        counts[tuple(x)] = counts.get(tuple(x), 0) + 1
    for y in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        p = float(as_fraction(exact.probs[y]))
        assert abs(counts.get(y, 0) / n_runs - p) < 5 * (p * (1 - p) / n_runs) ** 0.5 + 1e-9


def test_time_dependent_previous_time_error_and_grid_limit():
    law = D.dirichlet(2, 3, seed=1, denominator=2**8)
    refs = [[fmpq(1, 5), fmpq(4, 5)], [fmpq(3, 4), fmpq(1, 4)], [fmpq(1, 2), fmpq(1, 2)]]
    E = _time_mixing(law, refs)
    new, prev = fhs_time(law, E, degree=1), fhs_time(law, E, degree=1, at="previous")
    gap = as_fraction(tv(new.law, prev.law))
    assert gap > Fraction(1, 20)
    a8, a64 = ancestral(law, E, steps=8), ancestral(law, E, steps=64)
    assert as_fraction(tv(a64.law, new.law)) < as_fraction(tv(a8.law, new.law)) / 4
    assert as_fraction(tv(a64.law, prev.law)) > gap / 2


def test_non_polynomial_estimator_is_refused():
    law = D.dirichlet(2, 2, seed=1, denominator=2**6)
    E = _time_mixing(law, [[fmpq(1, 5), fmpq(4, 5)], [fmpq(1, 2), fmpq(1, 2)]])
    with pytest.raises(SamplerError, match="not a polynomial of degree <= 0"):
        fhs_time(law, E, degree=0)
    with pytest.raises(SamplerError, match="at="):
        fhs_time(law, E, degree=1, at="midpoint")


def test_exponential_clock_same_law_and_exact_hitting_times():
    """On the exponential clock the output law (a function of α at the hitting times) is the linear clock's, for
    time-agnostic and time-dependent estimators; the mean hitting times are exact rationals that agree with an
    independent numerical integral of the order-statistic densities (mpmath quadrature)."""
    import mpmath

    from mdtheory.schedules import ExponentialClock
    from mdtheory.samplers.fhs_time import hitting_time_means

    law = D.binary_symmetric_markov(3, "1/5")
    E = _time_mixing(law, [[fmpq(1, 5), fmpq(4, 5)], [fmpq(2, 3), fmpq(1, 3)], [fmpq(1, 2), fmpq(1, 2)]])
    for at in ("new", "previous"):
        lin = fhs_time(law, E, degree=1, at=at)
        exp_ = fhs_time(law, E, degree=1, at=at, clock=ExponentialClock())
        assert tv(lin.law, exp_.law) == 0 and exp_.info["clock"] == "exponential"
    d = 4
    means = hitting_time_means(d, ExponentialClock())
    assert [str(x) for x in means] == ["25/12", "13/12", "7/12", "1/4"]
    for k, mu in enumerate(means, start=1):
        j = d - k + 1  # the reveal k is the j-th smallest of d Exp(1) masking times
        dens = lambda x, j=j: (math.factorial(d) / (math.factorial(j - 1) * math.factorial(d - j))
                               * (1 - mpmath.exp(-x)) ** (j - 1) * mpmath.exp(-x) ** (d - j + 1))
        assert abs(mpmath.quad(lambda x: x * dens(x), [0, mpmath.inf]) - float(mu)) < 1e-12
    assert [str(x) for x in hitting_time_means(2, ExponentialClock(rate=2))] == ["3/4", "1/4"]
    lin_means = hitting_time_means(d)
    assert [str(x) for x in lin_means] == ["4/5", "3/5", "2/5", "1/5"]
    with pytest.raises(SamplerError, match="clock"):
        fhs_time(law, clock="cosine")
