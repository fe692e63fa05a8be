"""mdtheory.masked_polynomial: the entropy functional's exact coefficients and the Bernstein integral."""

import math
from fractions import Fraction

from mdtheory import Law, ProductSpace
from mdtheory.masked_polynomial import bernstein_integral, entropy_coefficients, entropy_functional

LAW = Law(ProductSpace(2, 2), [Fraction(1, 5), Fraction(1, 10), Fraction(3, 10), Fraction(2, 5)])


def test_entropy_coefficients_give_the_conditional_entropy_by_direct_summation():
    """G_0^ent(0) = −H(X^0), G_0^ent(1) = −H(X^0|X^1), from the law's table directly."""
    c = entropy_coefficients(LAW, 0)
    p = [[float(LAW.probs[a, b]) for b in range(2)] for a in range(2)]
    m0 = [sum(p[a]) for a in range(2)]
    H0 = -sum(v * math.log(v) for v in m0)
    m1 = [p[0][b] + p[1][b] for b in range(2)]
    H01 = -sum(p[a][b] * math.log(p[a][b] / m1[b]) for a in range(2) for b in range(2))
    assert abs(float(entropy_functional(c, 2, 0)) + H0) < 1e-12
    assert abs(float(entropy_functional(c, 2, 1)) + H01) < 1e-12
    assert bernstein_integral(2, 1, 0, 1) == Fraction(1, 12)


def test_bernstein_integral_against_a_riemann_sum():
    n = 20000
    approx = sum(((k + 0.5) / n) ** 3 * (1 - (k + 0.5) / n) ** 2 for k in range(n)) / n
    assert abs(float(bernstein_integral(3, 2, 0, 1)) - approx) < 1e-8
    assert bernstein_integral(3, 2, 0, 1) == Fraction(1, 60)
    assert bernstein_integral(0, 0, Fraction(1, 3), Fraction(1, 2)) == Fraction(1, 6)
