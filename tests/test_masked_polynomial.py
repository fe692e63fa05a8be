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


def test_polynomial_sign_tells_a_wrong_sign_from_an_undecided_one():
    from flint import arb, arb_poly

    from mdtheory.masked_polynomial import certify_polynomial_sign, polynomial_sign

    # 2α − 1 on [0, 1]: negative on [0, 1/2) — a certainly wrong piece, found as such
    st, worst, n, pieces = polynomial_sign(arb_poly([-1, 2]), 0, 1)
    assert st == "refuted" and worst > 0 and pieces[0][0] == 0
    assert certify_polynomial_sign(arb_poly([-1, 2]), 0, 1)[0] is False
    # ≤ 0 sense: 1 − 2α is not ≤ 0 on [0, 1/2)
    assert polynomial_sign(arb_poly([1, -2]), 0, 1, "nonincreasing")[0] == "refuted"
    assert polynomial_sign(arb_poly([-1, -2]), 0, 1, "nonincreasing")[0] == "proved"
    # a zero known only as a ball: undecided, never proved, and every remaining piece is still scanned
    st, _, _, pieces = polynomial_sign(arb_poly([arb(0, 1e-30)]), 0, 1, pieces=4, max_depth=3)
    assert st == "open" and len(pieces) >= 4
    # a wrong sign later in the interval is found even after an undecided piece
    p = arb_poly([arb(0, 1e-30), 0, arb(0, 1e-30), -1])  # ≈ −α³: open near 0, certainly < 0 further on
    assert polynomial_sign(p, 0, 1, pieces=4, max_depth=3)[0] == "refuted"
