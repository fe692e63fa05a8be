import math
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from mdtheory.schedules import (
    CosineClock,
    ExponentialClock,
    LinearClock,
    LogLinearClock,
    PolynomialClock,
    ScheduleError,
    geometric_grid,
    kappa_grid,
    uniform_grid,
)
from mdtheory.tiers import NotExactError, as_fraction as F, ball_contains, get_tier


@given(
    st.fractions(min_value=Fraction(1, 2), max_value=6, max_denominator=8),
    st.fractions(min_value=Fraction(1, 50), max_value=1, max_denominator=50),
    st.fractions(min_value=Fraction(1, 100), max_value=Fraction(1, 3), max_denominator=100),
)
def test_kappa_grid_follows_its_rule(T, kappa, delta):
    if delta >= T:
        return
    g = kappa_grid(T, kappa, delta)
    assert g.times[0] == 0 and g.times[-1] == T - delta
    for t, h in zip(g.times[:-2], g.steps[:-1]):
        assert h == kappa * min(1, T - t)
    assert 0 < g.steps[-1] <= kappa * min(1, T - g.times[-2])


def test_grids():
    g = uniform_grid(2, 4)
    assert g.steps == (Fraction(1, 2),) * 4
    geo = geometric_grid("1/100", 1, 6)
    ratios = [b / a for a, b in zip(geo.times, geo.times[1:])]
    assert max(ratios) - min(ratios) < Fraction(1, 10**12)  # geometric up to 2^-64 rounding
    with pytest.raises(ScheduleError, match="kappa"):
        kappa_grid(1, 2, "1/10")
    with pytest.raises(ScheduleError, match="increasing|exceed"):
        uniform_grid(0, 3)
    with pytest.raises(ScheduleError, match="steps"):
        kappa_grid(10**6, Fraction(1, 10**6), "1/2")


@given(st.fractions(min_value=0, max_value=1, max_denominator=30))
def test_rational_clocks_are_exact_and_beta_is_minus_dlog_alpha(t):
    ex = get_tier("exact")
    for clock, dalpha in (
        (LinearClock(), lambda t: -1),
        (LogLinearClock("1/1000"), lambda t: -Fraction(999, 1000)),
        (PolynomialClock(3), lambda t: -3 * t**2),
    ):
        a = F(clock.alpha(t, ex))
        if a == 0:
            continue
        assert F(clock.beta(t, ex)) == -dalpha(t) / a


def test_transcendental_clocks_need_the_certified_tier():
    ce = get_tier("certified", prec=80)
    with pytest.raises(NotExactError, match="certified"):
        ExponentialClock().alpha("1/2", "exact")
    with pytest.raises(NotExactError, match="certified"):
        CosineClock().alpha("1/3", "exact")
    a = CosineClock().alpha("2/3", ce)  # cos(pi/3) = 1/2
    assert ball_contains(a, Fraction(1, 2))
    assert F(ExponentialClock(rate=2).tau("3/4", "exact")) == Fraction(3, 2)
    assert ball_contains(LinearClock().tau("1/2", ce) - ce.log(ce.scalar(2)), 0)
    with pytest.raises(ScheduleError, match="outside"):
        LinearClock().alpha(2, "exact")


def test_alpha_grid_refuses_non_monotone_input():
    from mdtheory.schedules import ScheduleError, alpha_grid

    assert alpha_grid(["1/2", "1/4", 0]) == (Fraction(1, 2), Fraction(1, 4), Fraction(0))
    assert alpha_grid([0, "1/4", "1/4", 1]) == (Fraction(0), Fraction(1, 4), Fraction(1, 4), Fraction(1))
    with pytest.raises(ScheduleError, match="monotone"):
        alpha_grid(["1/4", "1/2", "1/3"])


def test_cosine_clock_in_every_tier():
    """α(t) = cos(πt/2): exact where rational (t = 2/3), enclosed at time balls, refused where irrational."""
    from flint import arb

    from mdtheory.schedules import CosineClock
    from mdtheory.tiers import NotExactError, get_tier

    c = CosineClock()
    assert F(c.alpha(Fraction(2, 3), "exact")) == Fraction(1, 2)
    with pytest.raises(NotExactError):
        c.alpha(Fraction(1, 5), "exact")
    ce = get_tier("certified", 96)
    ball = arb("0.5") + arb(0, 1e-6)
    assert c.alpha(ball, ce).contains(c.alpha(Fraction(1, 2), ce)) and c.alpha(ball, ce).rad() < 1e-5
    b = c.beta(Fraction(1, 2), ce)  # β = −α'/α = (π/2)·tan(πt/2) = π/2 at t = 1/2
    assert b.overlaps(ce.pi / 2) and b.rad() < 1e-20
    assert abs(c.beta(0.5, "float") - math.pi / 2) < 1e-12
    assert abs(float(c.beta(Fraction(1, 2), get_tier("mp", 80))) - math.pi / 2) < 1e-12
