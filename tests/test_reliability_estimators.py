"""Issue 16, class 1: score estimators are inputs and are validated where they enter.

A negative or non-finite score (in a table, a mixing weight, a reference law or a callable's
output), in any tier, is a one-line :class:`MaskedScoreError` naming the entry — never an
"exact law" with negative entries or an all-NaN float law.
"""

import math

import numpy as np
import pytest

from mdtheory.distributions import copy
from mdtheory.masked_scores import MaskedEstimator, MaskedScoreError, from_callable, from_tables, mixing
from mdtheory.samplers.masked import euler, tau_leaping
from mdtheory.tiers import MdtheoryError, get_tier

TIERS = ["exact", "certified", "mp", "float"]
GOOD_T1 = [[1, 0], [0, 1], ["1/2", "1/2"]]


def _tables(bad):
    return [[[1, 0, "1/2"], [0, 1, bad]], GOOD_T1]


@pytest.mark.parametrize("bad", ["-1/2", -0.5, math.nan, math.inf, None, True, 1j])
def test_from_tables_refuses_bad_entry_and_names_it(bad):
    with pytest.raises(MaskedScoreError) as e:
        from_tables(_tables(bad), 2, 2)
    msg = str(e.value)
    assert "table 0 entry (1, 2)" in msg and "\n" not in msg


@pytest.mark.parametrize("eta", ["-1/2", -0.25, "3/2", math.nan, None])
def test_mixing_refuses_eta_outside_unit_interval(eta):
    with pytest.raises(MaskedScoreError, match="η"):
        mixing(copy(2, 2), eta)


def test_mixing_refuses_negative_reference():
    with pytest.raises(MaskedScoreError, match=r"reference\[1\]"):
        mixing(copy(2, 2), "1/2", ["3/2", "-1/2"])


@pytest.mark.parametrize("tier", TIERS)
def test_negative_table_from_any_estimator_is_refused_in_every_tier(tier):
    def build(t, alpha):  # a hand-made estimator bypassing the constructors' checks
        return [t.array(np.array([[1, 0, "1/2"], [0, 1, "-1/4"]], dtype=object)), t.array(np.array(GOOD_T1, dtype=object))]

    est = MaskedEstimator(2, 2, build, name="hand")
    with pytest.raises(MaskedScoreError, match=r"'hand': table 0 entry \(1, 2\) is negative"):
        est.tables(tier)
    with pytest.raises(MaskedScoreError):
        euler(copy(2, 2), est, steps=4, tier=tier, prec=64 if tier in ("certified", "mp") else None)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_callable_non_finite_scores_refused_in_float(value):
    est = from_callable(lambda x: {j: [value, 1] for j in range(2) if x[j] == 2}, 2, 2)
    with pytest.raises(MaskedScoreError, match="not finite"):
        euler(copy(2, 2), est, steps=4, tier="float")


@pytest.mark.parametrize("tier", ["exact", "certified"])
def test_callable_non_finite_scores_refused_in_rigorous_tiers(tier):
    est = from_callable(lambda x: {j: [math.nan, 1] for j in range(2) if x[j] == 2}, 2, 2)
    with pytest.raises(MaskedScoreError, match=r"fn\(\(.*\)\) gave nan at position"):
        est.tables(tier)


@pytest.mark.parametrize("sampler", [euler, tau_leaping])
def test_sampler_never_returns_negative_or_nan_law_from_bad_estimator(sampler):
    def build(t, alpha):
        return [np.array([[1.0, 0.0, np.nan], [0.0, 1.0, 1.0]]), t.array(np.array(GOOD_T1, dtype=object))]

    est = MaskedEstimator(2, 2, build, name="bad")
    with pytest.raises(MaskedScoreError, match="not finite"):
        sampler(copy(2, 2), est, steps=4, tier="float")


def test_sampler_errors_are_library_errors():
    from mdtheory.samplers._masked_core import SamplerError

    assert issubclass(SamplerError, MdtheoryError)


def test_valid_estimators_still_work_and_invalid_ones_do_not():
    with pytest.raises(MaskedScoreError):
        from_tables(_tables("-1/2"), 2, 2)
    est = from_tables(_tables("1/2"), 2, 2)
    r = euler(copy(2, 2), est, steps=4)
    assert r.law.total() == 1 and not get_tier("exact").negative_mask(r.law.flat).any()
    r2 = euler(copy(2, 2), mixing(copy(2, 2), "1/4", ["1/3", "2/3"]), steps=4)
    assert r2.law.total() == 1
