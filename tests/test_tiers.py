from fractions import Fraction

import mpmath
import numpy as np
import pytest
from flint import arb, fmpq
from hypothesis import given, strategies as st

from mdtheory.tiers import NotExactError, TierError, as_fraction, ball_contains, get_tier

fractions = st.fractions(min_value=-50, max_value=50, max_denominator=97)


def test_inputs_are_read_as_the_user_means_them():
    assert as_fraction(0.1) == Fraction(1, 10)
    assert as_fraction("3/9") == Fraction(1, 3)
    assert as_fraction(fmpq(2, 4)) == Fraction(1, 2)
    with pytest.raises(TierError, match="cannot read"):
        as_fraction("one third")
    with pytest.raises(TierError, match="finite"):
        as_fraction(float("nan"))


@given(fractions, fractions)
def test_exact_tier_agrees_with_python_fractions(a, b):
    ex = get_tier("exact")
    x, y = ex.scalar(a), ex.scalar(b)
    assert ex.to_fraction(x * y + x - y) == a * b + a - b
    assert ex.compare(x, y) == (a > b) - (a < b)


@given(fractions, fractions)
def test_certified_balls_contain_the_exact_result(a, b):
    ce = get_tier("certified", prec=80)
    with ce.active():
        z = ce.scalar(a) * ce.scalar(b) - ce.scalar(a) / 3
    exact = a * b - a / 3
    assert ball_contains(z, exact)


def test_exact_tier_refuses_irrational_and_names_the_way_out():
    ex = get_tier("exact")
    with pytest.raises(NotExactError, match="certified"):
        ex.exp(ex.scalar("1/2"))
    with pytest.raises(NotExactError, match="certified"):
        ex.log(ex.scalar(2))
    with pytest.raises(NotExactError, match="certified"):
        ex.sqrt(ex.scalar(2))
    assert ex.sqrt(ex.scalar("9/4")) == fmpq(3, 2)
    assert ex.exp(ex.zero) == 1 and ex.log(ex.one) == 0


def test_certified_exp_encloses_e_and_precision_is_a_parameter():
    for prec in (64, 200):
        ce = get_tier("certified", prec=prec)
        e = ce.exp(ce.one)
        with mpmath.workprec(prec + 60):
            man, exp = mpmath.mpf(mpmath.e).man_exp  # e to 2^-(prec+60), far inside the ball's radius
        assert ball_contains(e, Fraction(int(man) * 2**exp) if exp >= 0 else Fraction(int(man), 2**-exp))
        assert float(e.rad()) < 2.0 ** (-prec + 4)
    assert get_tier("certified", prec=64).extraprec(64).prec == 128


def test_certified_comparison_is_undecided_when_balls_overlap():
    ce = get_tier("certified", prec=64)
    third = ce.scalar("1/3")
    close = third + arb(0, 1e-30)  # same midpoint, wider radius
    assert ce.compare(third, ce.scalar("1/2")) == -1
    assert ce.compare(third, close) is None
    assert ce.compare(ce.scalar(2), ce.scalar(2)) == 0
    assert ce.is_zero(arb(0, 1e-10)) is None


def test_float_and_mp_tiers_are_labelled_approximate():
    fl, mp = get_tier("float"), get_tier("mp", prec=100)
    assert not fl.rigorous and not mp.rigorous
    assert get_tier("exact").rigorous and get_tier("certified").rigorous
    assert "float" in fl.format(0.25)
    x = mp.exp(mp.one)
    assert abs(x - mp.ctx.e) < mp.ctx.mpf(2) ** -95
    before = mpmath.mp.prec
    get_tier("mp", prec=300).exp(get_tier("mp", prec=300).one)
    assert mp.ctx is not mpmath.mp and mpmath.mp.prec == before  # the mp tier has its own context


def test_matrix_exponentials_agree_across_tiers():
    Q = [[-1, 1, 0], [0, -2, 2], [1, 0, -1]]
    ce, fl = get_tier("certified", prec=100), get_tier("float")
    E = ce.expm(ce.array(Q))
    F = fl.expm(np.array(Q, dtype=float))
    for i in range(3):
        for j in range(3):
            assert abs(float(E[i, j].mid()) - F[i, j]) < 1e-13  # scipy's float expm agrees with the ball
            assert float(E[i, j].rad()) < 1e-25
    ex = get_tier("exact")
    N = ex.array([[0, 1], [0, 0]])  # nilpotent: exp is rational
    assert ex.expm(N).tolist() == [[1, 1], [0, 1]]
    with pytest.raises(NotExactError, match="certified"):
        ex.expm(ex.array(Q))


def test_unknown_tier_and_bad_precision():
    with pytest.raises(TierError, match="choose one of"):
        get_tier("double")
    with pytest.raises(TierError, match="at least 16"):
        get_tier("certified", prec=4)


def test_conversions_never_upgrade_approximations():
    ex, ce, fl = get_tier("exact"), get_tier("certified"), get_tier("float")
    a = ex.array(["1/3", "2/3"])
    b = ce.convert(a, ex)
    assert ball_contains(b[0], fmpq(1, 3))
    with pytest.raises(TierError, match="no error bound"):
        ce.convert(np.array([0.5]), fl)
    assert fl.convert(b, ce)[0] == pytest.approx(1 / 3)


# -- tier operations used by the algorithm modules instead of tier-name branches -----------------
@pytest.mark.parametrize("name", ["certified", "mp", "float"])
def test_cos_pi_matches_math_on_all_inexact_tiers(name):
    import math

    t = get_tier(name)
    for r in ("1/5", "3/7", "-2/9"):
        from fractions import Fraction

        assert abs(t.to_float(t.cos_pi(r)) - math.cos(math.pi * float(Fraction(r)))) < 1e-12
    # rational values stay exact-valued in every tier
    assert t.compare(t.cos_pi("1/3"), t.scalar("1/2")) == 0


def test_exact_cos_pi_is_rational_or_refused():
    ex = get_tier("exact")
    assert [ex.cos_pi(r) for r in (0, "1/2", 1, "2/3", "5/3")] == [1, 0, -1, ex.scalar("-1/2"), ex.scalar("1/2")]
    with pytest.raises(NotExactError, match="certified"):
        ex.cos_pi("1/5")


def test_argmin_exact_first_minimiser_and_certified_enclosure():
    ex, ce = get_tier("exact"), get_tier("certified", prec=64)
    assert ex.argmin([ex.scalar(v) for v in (2, 1, 1, 3)]) == (1, 1)
    vals = [ce.log(ce.scalar(v)) for v in (3, 2, 5)]
    i, m = ce.argmin(vals)
    assert i == 1 and m.contains(vals[1]) and ce.compare(m, vals[0]) == -1
    assert get_tier("float").argmin([2.0, 0.5, 0.5]) == (1, 0.5)
    with pytest.raises(TierError):
        ex.argmin([])


def test_masks_and_clip():
    from flint import arb

    ce = get_tier("certified", prec=64)
    balls = np.array([arb(0), arb(0, 1e-3), arb(1)], dtype=object)
    assert ce.zero_mask(balls).tolist() == [True, False, False]
    assert ce.zero_mask(balls, undecided=True).tolist() == [True, True, False]
    with pytest.raises(TierError, match="precision"):
        ce.zero_mask(balls, undecided=None)
    assert ce.negative_mask(np.array([arb(-1), arb(0, 1e-3)], dtype=object)).tolist() == [True, False]
    c = ce.clip_nonneg(arb(0, 1e-3))
    assert -1e-8 * c.upper() < c.lower() <= 0 and c.contains(arb("1e-4")) and c.upper() < 2e-3
    assert get_tier("mp").clip_nonneg(get_tier("mp").scalar(Fraction(-1, 10**30))) == 0
    # le/lt/ge/gt: decided when the balls separate, None while they overlap
    x = arb(0, 1e-3)
    assert ce.le(x, 1) is True and ce.gt(x, 1) is False and ce.le(x, 0) is None and ce.lt(x, 0) is None
    assert ce.ge(arb(1), x) is True and ce.lt(arb(-1), x) is True


def test_scale_dot_log_rational_agree_across_tiers():
    import math

    for name in ("exact", "certified", "mp", "float"):
        t = get_tier(name)
        v = [t.scalar(1), t.scalar(2), t.scalar(3)]
        assert t.compare(t.dot(v, ["1/2", 0, 2]), t.scalar("13/2")) == 0
    for name in ("certified", "mp", "float"):
        t = get_tier(name)
        assert abs(t.to_float(t.log_rational("7/3")) - math.log(7 / 3)) < 1e-12
    with pytest.raises(NotExactError):
        get_tier("exact").log_rational(2)
    assert get_tier("float").compare_approx(1.0, 1.0 + 1e-6, 1e-9) == -1


# -- printing: one way to print a ball, and it never under-reports -----------------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**30, 10**30), st.integers(1, 10**30), st.integers(0, 10**6), st.integers(-80, 5))
def test_printed_ball_contains_the_ball(num, den, radnum, radexp):
    from flint import arb, fmpq

    from mdtheory._rationals import _arb_exact_fraction, format_ball

    x = arb(fmpq(num, den)) + arb(0, radnum * arb(2) ** radexp) if radnum else arb(fmpq(num, den))
    text = format_ball(x)
    assert text.startswith("[") and " ± " in text and "+/-" not in text
    m_text, r_text = text[1:-1].split(" ± ")
    m, r = Fraction(m_text), Fraction(r_text)
    lo = _arb_exact_fraction(arb(x.mid())) - _arb_exact_fraction(arb(x.rad()))
    hi = _arb_exact_fraction(arb(x.mid())) + _arb_exact_fraction(arb(x.rad()))
    assert m - r <= lo and hi <= m + r
    # and the printed radius is tight: within a factor 1.01 of the true one plus the rounding of m
    true_r = _arb_exact_fraction(arb(x.rad())) + abs(_arb_exact_fraction(arb(x.mid())) - m)
    assert r <= true_r * Fraction(101, 100) + Fraction(1, 10**300)
