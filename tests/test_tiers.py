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
