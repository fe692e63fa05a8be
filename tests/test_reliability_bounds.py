"""Issue 16, class 4: bounds are never under-reported.

``certify_monotone`` with an exhausted evaluation budget used to report the overflow bound over
the pieces it had evaluated (a maximum over part of the interval, smaller than the truth). An
unfinished certificate now says so and claims no bound it did not prove.  The law-sum check of
the mp tier follows its precision.
"""

import pytest

from mdtheory import Law, ProductSpace, generators
from mdtheory.laws import LawError
from mdtheory.monotonicity import certify_monotone
from mdtheory.spaces import TruncatedLattice
from mdtheory.tiers import get_tier


def _biased(max_evaluations):
    mu = Law(TruncatedLattice(5, 2), {(0, 0): "1/2", (1, 0): "1/4", (0, 1): "1/4"})
    g = generators.biased_walk(5, 2, "1/5", 1)
    return certify_monotone(mu, g, "chi2", ("1/5", 2), prec=96, initial_pieces=8, max_evaluations=max_evaluations)


@pytest.mark.parametrize("budget", [3, 12])
def test_exhausted_budget_is_unfinished_and_reports_no_overflow_bound(budget):
    r = _biased(budget)
    assert not r.complete and r.unevaluated > 0
    assert r.verdict == "unfinished"
    assert r.overflow_bound is None  # the old code reported 1.3e-8 here; the full run proves only 8.4e-6
    assert "budget exhausted" in r.summary() and "\n" not in r.summary()


def test_finished_certificate_keeps_its_bound_and_dominates_partial_maxima():
    full = _biased(300)
    assert full.complete and full.verdict == "proved" and full.unevaluated == 0
    assert full.overflow_bound is not None and full.overflow_bound > 1e-6


def test_unfinished_random_walk_certificate_is_not_called_undecided_or_proved():
    mu = Law(ProductSpace(2, 1), ["1/4", "3/4"])
    r = certify_monotone(mu, generators.random_walk(2, 1), "kl", ("1/5", 1), prec=64, initial_pieces=4,
                         max_evaluations=2)
    assert r.verdict == "unfinished" and r.unevaluated >= 1 and r.undecided and r.evaluations == 2


@pytest.mark.parametrize("prec", [16, 24])
@pytest.mark.parametrize("m,d", [(3, 4), (7, 2)])
def test_mp_law_sum_check_follows_the_precision(prec, m, d):
    n = m**d
    law = Law(ProductSpace(m, d), [f"1/{n}"] * n, get_tier("mp", prec))  # a correct law rounded at prec bits
    assert abs(float(law.total()) - 1) < 1e-3
    with pytest.raises(LawError, match="sum"):  # the check still catches a wrong total
        Law(ProductSpace(m, d), [f"1/{n}"] * (n - 1) + ["1/2"], get_tier("mp", prec))
