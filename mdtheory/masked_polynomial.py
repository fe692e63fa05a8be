"""Monotonicity of masked score functionals by differentiating the exact polynomial in α.

For the masking process with keep probability ``α`` the law is ``p_α(x) = α^{|U|}(1−α)^{d−|U|}μ_U(x_U)`` and
the normalised score at a masked coordinate, ``π_i(·|x_U)``, does not depend on ``α``; so

    G_i(α) = E_{p_α}[1{x_i masked}·Σ_a Φ(π_i(a|x_U))·…]

is a polynomial in ``α`` of degree ``≤ d``.  :func:`masked_functional_polynomial` recovers it from ``d + 1``
certified values at interior rational points (Lagrange interpolation in ball arithmetic) and checks it at an
extra point; :func:`certify_polynomial_sign` proves the sign of ``G_i'`` on a whole interval by evaluating the
derivative polynomial on sub-interval balls and bisecting — the direct derivative, with no Bregman term
whose sign is built in.

>>> from fractions import Fraction as F
>>> from mdtheory import Law, ProductSpace, generators
>>> mu = Law(ProductSpace(2, 2), [F(1, 2), F(0), F(0), F(1, 2)])
>>> r = masked_functional_polynomial(mu, generators.masking(2, 2), "kl", 0, prec=96)
>>> abs(float(r.residual.mid())) < 1e-20
True
>>> ok, worst, pieces = certify_polynomial_sign(r.poly.derivative(), "1/100", "99/100", "nondecreasing")
>>> ok, worst <= 0
(True, True)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import Any

from flint import arb, arb_poly, ctx as flint_ctx, fmpq

from .logsum import LogSum
from .scores import score_functional

__all__ = ["MaskedPolynomial", "masked_functional_polynomial", "certify_polynomial_sign", "polynomial_sign",
           "entropy_coefficients", "entropy_functional", "bernstein_integral"]


@dataclass
class MaskedPolynomial:
    """``poly``: G_i as an ``arb_poly`` in α; ``points``: the interpolation nodes; ``residual``: the interpolant
    minus the directly computed value at an extra node (contains 0 when G_i is a polynomial of that degree)."""

    poly: Any
    degree: int
    points: list
    residual: Any


def _q(x) -> fmpq:
    x = Fraction(x)
    return fmpq(x.numerator, x.denominator)


def masked_functional_polynomial(law, process, phi, direction, *, score: str = "auto", prec: int = 128,
                                 degree: int | None = None) -> MaskedPolynomial:
    """G_direction(α) of the masked process as an exact-in-structure polynomial with ball coefficients."""
    d = law.space.d
    deg = d if degree is None else int(degree)
    nodes = [Fraction(j + 1, deg + 3) for j in range(deg + 2)]  # deg + 1 nodes and one check node, all in (0, 1)
    with flint_ctx.workprec(prec):
        vals = [score_functional(law, process, phi, alpha=a, direction=direction, score=score, tier="certified",
                                 prec=prec).value for a in nodes]
        xs = [arb(_q(a)) for a in nodes]
        P = arb_poly.interpolate(xs[:deg + 1], vals[:deg + 1])
        res = P(xs[-1]) - vals[-1]
    return MaskedPolynomial(P, deg, nodes[:deg + 1], res)


def certify_polynomial_sign(dpoly, a, b, sense: str = "nondecreasing", *, pieces: int = 8, max_depth: int = 16,
                            prec: int = 128):
    """Prove ``dpoly ≥ 0`` (``sense='nondecreasing'``) or ``≤ 0`` on ``[a, b]`` by ball evaluation and bisection.

    Returns ``(ok, worst, n_pieces)``: ``worst`` is the largest wrong-side end over the decided pieces (a
    ``Fraction``; ``≤ 0`` when proved), or the offending ball's wrong-side end of an undecided piece.
    :func:`polynomial_sign` also tells a certainly wrong sign from an undecided one."""
    status, worst, n, _ = polynomial_sign(dpoly, a, b, sense, pieces=pieces, max_depth=max_depth, prec=prec)
    return status == "proved", worst, n


def polynomial_sign(dpoly, a, b, sense: str = "nondecreasing", *, pieces: int = 8, max_depth: int = 16,
                    prec: int = 128):
    """The sign of ``dpoly`` on ``[a, b]`` as ``(status, worst, n_pieces, pieces)``.

    ``status``: ``'proved'`` (the claimed sign on every piece), ``'refuted'`` (some piece's ball is certainly on
    the wrong side; ``pieces`` lists those found) or ``'open'`` (no wrong piece, but some still undecided at
    ``max_depth``, e.g. an identically zero derivative; ``pieces`` lists them).  After the first undecided piece the
    remaining pieces are scanned without further bisection (a wrong sign is still found there, cheaply).
    ``worst`` is as in :func:`certify_polynomial_sign` (the largest wrong-side end seen).

    >>> from flint import arb, arb_poly
    >>> polynomial_sign(arb_poly([-1, 2]), 0, 1)[0], polynomial_sign(arb_poly([1, 2]), 0, 1)[0]
    ('refuted', 'proved')
    >>> polynomial_sign(arb_poly([arb(0, 1e-30)]), 0, 1, max_depth=2)[:2]   # a zero known only up to a ball
    ('open', Fraction(...))
    """
    if sense not in ("nondecreasing", "nonincreasing"):
        raise ValueError(f"sense must be 'nondecreasing' or 'nonincreasing', got {sense!r}")
    sgn = 1 if sense == "nondecreasing" else -1
    a, b = Fraction(a), Fraction(b)
    stack = [(a + (b - a) * Fraction(j, pieces), a + (b - a) * Fraction(j + 1, pieces), 0) for j in range(pieces)]
    worst = None
    n = 0
    wrong_pieces, open_pieces = [], []
    with flint_ctx.workprec(prec):
        while stack:
            lo, hi, depth = stack.pop()
            ball = arb(_q(lo)).union(arb(_q(hi)))
            v = dpoly(ball) * sgn            # must be ≥ 0
            w = _upper_fraction(-v.lower())  # wrong-side end: ≤ 0 when decided
            worst = w if worst is None or w > worst else worst
            if v.lower() >= 0:
                n += 1
            elif v.upper() < 0:
                wrong_pieces.append((lo, hi))
            elif depth >= max_depth or open_pieces:
                open_pieces.append((lo, hi))
            else:
                mid = (lo + hi) / 2
                stack += [(lo, mid, depth + 1), (mid, hi, depth + 1)]
    if wrong_pieces:
        return "refuted", worst, n, sorted(wrong_pieces)
    if open_pieces:
        return "open", worst, n, sorted(open_pieces)
    return "proved", worst if worst is not None else Fraction(0), n, []


def _upper_fraction(x) -> Fraction:
    """A rational upper bound of the ball ``x`` (exact: from the arb's upper end)."""
    def exact(y):
        man, exp = y.man_exp()
        return Fraction(int(man)) * Fraction(2) ** int(exp)

    return exact(x.mid()) + exact(x.rad())


# -- the entropy functional in closed form: exact LogSum coefficients -------------------------------------------------


def bernstein_integral(j: int, k: int, lo, hi) -> Fraction:
    """``∫_lo^hi a^j (1−a)^k da`` (exact).

    >>> bernstein_integral(1, 1, 0, 1)
    Fraction(1, 6)
    """
    lo, hi = Fraction(lo), Fraction(hi)
    tot = Fraction(0)
    for r in range(k + 1):
        e = j + r + 1
        tot += Fraction(comb(k, r) * (-1) ** r, e) * (hi**e - lo**e)
    return tot


def entropy_coefficients(mu, i: int) -> dict:
    """``c_U = E_μ[Σ_b π_i(b|X_U) log π_i(b|X_U)]`` as exact LogSums, for every ``U ⊆ [d]∖{i}``, so that
    ``G_i^{ent}(α) = Σ_U α^{|U|}(1−α)^{d−1−|U|} c_U`` (:func:`entropy_functional`).

    >>> from fractions import Fraction as F
    >>> from mdtheory import Law, ProductSpace
    >>> c = entropy_coefficients(Law(ProductSpace(2, 2), [F(1, 2), F(0), F(0), F(1, 2)]), 0)
    >>> c[()] == -LogSum.log(2), c[(1,)] == 0          # the other bit hidden / revealed
    (True, True)
    """
    m, d = mu.space.m, mu.space.d
    others = [j for j in range(d) if j != i]
    out = {}
    for r in range(len(others) + 1):
        for U in itertools.combinations(others, r):
            drop = tuple(j for j in range(d) if j != i and j not in U)
            marg = mu.probs.sum(axis=drop) if drop else mu.probs  # axes: sorted(U ∪ {i})
            axes = sorted(U + (i,))
            ai = axes.index(i)
            terms: dict = {}
            for idx in itertools.product(range(m), repeat=len(axes)):
                joint = marg[idx]
                if joint == 0:
                    continue
                ctx = list(idx)
                ctx_total = fmpq(0)
                for b in range(m):
                    ctx[ai] = b
                    ctx_total += marg[tuple(ctx)]
                pi = joint / ctx_total
                if pi != 1:
                    terms[pi] = terms.get(pi, fmpq(0)) + joint
            out[U] = LogSum.from_fmpq(terms)
    return out


def entropy_functional(coeffs: dict, d: int, a) -> LogSum:
    """``G_i^{ent}(a) = Σ_U a^{|U|}(1−a)^{d−1−|U|} c_U`` from :func:`entropy_coefficients` (exact LogSum)."""
    a = Fraction(a)
    tot = LogSum.zero()
    for U, c in coeffs.items():
        w = a ** len(U) * (1 - a) ** (d - 1 - len(U))
        if w:
            tot = tot + c * w
    return tot
