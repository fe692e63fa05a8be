"""LogSum: exact arithmetic, exact zero test, signs, enclosures and sympy agree with independent evaluations."""

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from flint import arb, ctx as flint_ctx
from hypothesis import given, strategies as st

from mdtheory.logsum import LogSum, LogSumError, log_domain

L = LogSum.log

rationals = st.fractions(min_value=Fraction(1, 50), max_value=50, max_denominator=60)
coeffs = st.fractions(min_value=-5, max_value=5, max_denominator=7)
sums = st.dictionaries(rationals, coeffs, max_size=4).map(LogSum)


def mp_value(terms: dict) -> mpmath.mpf:
    with mpmath.workdps(60):
        return mpmath.fsum(mpmath.mpf(c.numerator) / c.denominator * mpmath.log(mpmath.mpf(r.numerator) / r.denominator) for r, c in terms.items())


@given(st.dictionaries(rationals, coeffs, max_size=4))
def test_enclosure_contains_mpmath_value(terms):
    x = LogSum(terms)
    with mpmath.workdps(60):
        v = mp_value(terms)
        ball = x.enclose(150)
        assert abs(float(ball.mid()) - float(v)) < 1e-12
        assert ball.rad() < 1e-35
    assert float(x) == pytest.approx(float(v), abs=1e-13)


@given(sums, sums, coeffs)
def test_arithmetic_is_exact(a, b, k):
    assert (a + b) - b == a
    assert a - a == 0
    assert (a * k) == LogSum({r: c * k for r, c in ((Fraction(int(r.p), int(r.q)), Fraction(int(c.p), int(c.q))) for r, c in a.terms.items())})
    if k:
        assert (a * k) / k == a
    assert LogSum.sum([a, b, -a]) == b
    assert hash(a + b) == hash(b + a)


@given(sums, sums)
def test_sign_matches_high_precision_value(a, b):
    d = a - b
    with mpmath.workdps(80):
        v = float(d.enclose(300).mid())
    s = d.sign()
    if d.is_zero():
        assert s == 0
    else:
        assert s == (1 if v > 0 else -1) and v != 0
    assert (a < b) == (s < 0) and (a >= b) == (s >= 0)


def test_zero_test_uses_unique_factorisation():
    assert L(6) == L(2) + L(3)
    assert L(Fraction(8, 27)) == 3 * L(2) - 3 * L(3)
    assert L(12) - 2 * L(2) - L(3) == 0
    assert L(2) != L(3)
    # 2^10 vs 10^3: very close but not equal, and the sign is still decided
    assert (10 * L(2) - 3 * L(10)).sign() == 1


def test_sympy_conversion_and_repr():
    x = LogSum({Fraction(1, 3): Fraction(1, 2), 4: 2})
    expr = x.to_sympy()
    assert sympy.N(expr - (sympy.log(sympy.Rational(1, 3)) / 2 + 2 * sympy.log(4)), 50) == 0
    assert repr(x) == "LogSum(4*log(2) - 1/2*log(3))"
    with pytest.raises(ValueError, match="non-positive"):
        LogSum({0: 1})
    with pytest.raises(LogSumError, match="compare"):
        _ = x < 1.5


def test_log_domain_table():
    assert log_domain("exact").kind == "enclosure" and log_domain("exact", "symbolic").kind == "exact"
    assert log_domain("certified", prec=90).tier.prec == 90
    assert log_domain("float").kind == "approximation"
    with pytest.raises(ValueError, match="choose one of"):
        log_domain("exact", logs="decimal")


def test_sign_of_a_clearly_nonzero_sum_needs_no_factoring(monkeypatch):
    # regression: sign() used to build the canonical form (integer factoring) first, which took
    # tens of seconds for the large numerators of KL divergences between random rational laws
    big = LogSum({"1000000000000000000000000000057/3": 1, "2": "-1/3"})

    def no_factoring(self):
        raise AssertionError("canonical() called")

    monkeypatch.setattr(LogSum, "canonical", no_factoring)
    assert big.sign() == 1 and (-big).sign() == -1
    monkeypatch.undo()
    assert (LogSum.log(6) - LogSum.log(2) - LogSum.log(3)).sign() == 0


def test_symbolic_tier_arithmetic_agrees_with_enclosures():
    from flint import arb

    from mdtheory.logsum import SYMBOLIC
    from mdtheory.tiers import NotExactError

    T = SYMBOLIC
    vals = [T.log_rational(r) for r in (5, "7/2", 4, "7/2")]
    i, v = T.argmin(vals)
    floats = [float(x) for x in vals]
    assert i == floats.index(min(floats)) == 1 and v == vals[1]
    assert T.compare(T.dot(vals, [1, 0, -1, 2]), T.log_rational("5/4") + 2 * vals[1]) == 0
    assert T.dot(vals, [1, 0, -1, 2]).enclose(64).overlaps(arb(5).log() - arb(4).log() + 2 * (arb(7) / 2).log())
    assert T.is_zero(T.zero) and T.total(np.array(vals[1:2] * 2, dtype=object)) == 2 * vals[1]
    with pytest.raises(NotExactError):
        T.exp(vals[0])
    from mdtheory.tiers import TierError

    with pytest.raises(TierError, match="LogSum"):
        T.scalar(0.5)
