"""Issue 16, class 2: clocks at their end point.

``PolynomialClock`` and ``CosineClock`` (ε = 0) reach α = 0 at their horizon T = 1, where the
rate β = −α'/α is infinite.  A grid whose steps start there is refused up front with the fix
(choose T below it) — never a raw ``ZeroDivisionError`` nor an all-NaN certified law.
"""

import pytest

from mdtheory.distributions import copy
from mdtheory.masked_scores import MaskedScoreError, unmask_rate
from mdtheory.samplers._masked_core import SamplerError
from mdtheory.samplers.masked import ancestral, euler, tau_leaping
from mdtheory.schedules import CosineClock, PolynomialClock, ScheduleError
from mdtheory.tiers import get_tier

CLOCKS = [PolynomialClock(), PolynomialClock(3), CosineClock()]


def _run(sampler, clock, tier, **kw):
    return sampler(copy(2, 2), clock=clock, steps=4, tier=tier, prec=64 if tier == "certified" else None, **kw)


@pytest.mark.parametrize("clock", CLOCKS, ids=str)
@pytest.mark.parametrize("tier", ["exact", "certified", "float"])
@pytest.mark.parametrize("sampler,kw", [(euler, {}), (euler, {"clip": True}), (tau_leaping, {})],
                         ids=["euler", "euler-clip", "tau-leaping"])
def test_grid_reaching_alpha_zero_is_refused_with_the_fix(clock, tier, sampler, kw):
    if tier == "exact" and (sampler is tau_leaping or isinstance(clock, CosineClock)):
        pytest.skip("irrational in the exact tier (refused by NotExactError before)")
    with pytest.raises(SamplerError) as e:
        _run(sampler, clock, tier, **kw)
    msg = str(e.value)
    assert "α = 0" in msg and "T < 1" in msg and "\n" not in msg


@pytest.mark.parametrize("clock", CLOCKS, ids=str)
@pytest.mark.parametrize("tier", ["exact", "float"])
def test_beta_at_the_singular_time_is_a_schedule_error(clock, tier):
    if tier == "exact" and isinstance(clock, CosineClock):
        tier = "certified"
    with pytest.raises(ScheduleError, match="α = 0 at t = 1"):
        clock.beta(1, tier)


@pytest.mark.parametrize("clock", CLOCKS, ids=str)
def test_unmask_rate_at_alpha_zero_is_a_masked_score_error(clock):
    with pytest.raises(MaskedScoreError, match="α = 0"):
        unmask_rate(clock, 1, "float")


def test_horizon_below_the_singular_time_runs_and_is_a_law():
    with pytest.raises(SamplerError, match="T < 1"):  # the default horizon T = 1 is refused ...
        euler(copy(2, 2), clock=PolynomialClock(), steps=8)
    r = euler(copy(2, 2), clock=PolynomialClock(), T="99/100", steps=8)
    t = get_tier("exact")
    assert r.law.total() == 1 and not t.negative_mask(r.law.flat).any()
    c = tau_leaping(copy(2, 2), clock=CosineClock(), T="9/10", steps=4, tier="certified", prec=64)
    assert all(v.is_finite() for v in c.law.flat)
    # ancestral needs only α, so the end point is fine for it
    assert ancestral(copy(2, 2), clock=PolynomialClock(), steps=4).law.total() == 1
