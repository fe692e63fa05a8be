"""Divergences: exact values against Fraction enumeration, classical inequalities, infinities, embedding."""

import itertools
import math
from collections import defaultdict
from fractions import Fraction

import numpy as np
import pytest
from flint import arb, ctx as flint_ctx, fmpq
from hypothesis import given, strategies as st

from mdtheory import Law, MaskedSpace, ProductSpace
from mdtheory.distributions import copy, dirichlet, parity, product, uniform
from mdtheory.divergences import chi2, common_tier, hellinger, kl, tv
from mdtheory.information import entropy, marginal, total_correlation
from mdtheory.logsum import LogSum


def F(x):
    return Fraction(int(x.p), int(x.q))


@st.composite
def law_pairs(draw, zeros=True):
    m = draw(st.integers(2, 3))
    d = draw(st.integers(1, 3))
    n = m**d
    out = []
    for _ in range(2):
        w = draw(st.lists(st.integers(0 if zeros else 1, 5), min_size=n, max_size=n))
        if sum(w) == 0:
            w[0] = 1
        out.append(Law(ProductSpace(m, d), w, normalize=True))
    return out


def enclosed(ball, exact: LogSum):
    with flint_ctx.workprec(400):
        return ball.contains(exact.enclose(400)) and ball.rad() < 1e-25


@given(law_pairs())
def test_tv_exact_and_metric(pq):
    p, q = pq
    a = [F(v) for v in p.flat]
    b = [F(v) for v in q.flat]
    t = tv(p, q)
    assert isinstance(t, fmpq)
    assert F(t) == sum(abs(x - y) for x, y in zip(a, b)) / 2
    assert F(t) == 1 - sum(min(x, y) for x, y in zip(a, b))  # coupling identity
    assert 0 <= t <= 1 and tv(q, p) == t and tv(p, p) == 0
    assert tv(p.to_tier("float"), q.to_tier("float")) == pytest.approx(float(t), abs=1e-14)
    with flint_ctx.workprec(300):
        assert tv(p.to_tier("certified"), q.to_tier("certified")).contains(arb(t))


@given(law_pairs(), law_pairs())
def test_tv_triangle(pq, rs):
    p, q = pq
    r = rs[0]
    if r.space == p.space:
        assert tv(p, r) <= tv(p, q) + tv(q, r)


@given(law_pairs())
def test_kl_exact_inequalities_and_infinity(pq):
    p, q = pq
    a = [F(v) for v in p.flat]
    b = [F(v) for v in q.flat]
    infinite = any(x > 0 and y == 0 for x, y in zip(a, b))
    k = kl(p, q, logs="symbolic")
    kb = kl(p, q)
    kf = kl(p.to_tier("float"), q.to_tier("float"))
    if infinite:
        assert k == math.inf and kb == math.inf and kf == math.inf
        assert chi2(p, q) == math.inf
        return
    # reference: Σ p log(p/q) written term by term
    ref = LogSum.sum(LogSum({x / y: x}) for x, y in zip(a, b) if x > 0)
    assert k == ref and enclosed(kb, ref)
    assert not math.isnan(kf) and kf == pytest.approx(float(ref), abs=1e-12)
    assert k.sign() >= 0 and (k.sign() == 0) == (a == b)  # Gibbs
    t = tv(p, q)
    with flint_ctx.workprec(200):
        assert 2 * arb(t) ** 2 <= k.enclose(200) + arb(10) ** -50  # Pinsker
        c = chi2(p, q)
        assert k.enclose(200) <= (1 + arb(c)).log() + arb(10) ** -50  # KL <= log(1 + χ²)


def test_kl_direction_and_named_identities():
    p = copy(2, 3)
    u = uniform(2, 3)
    assert kl(p, u, logs="symbolic") == 2 * LogSum.log(2)  # = 3 log 2 - H(p)
    assert kl(u, p) == math.inf  # the reverse direction is infinite
    law = dirichlet(2, 3, "1/3", seed=2)
    assert kl(law, uniform(2, 3), logs="symbolic") == 3 * LogSum.log(2) - entropy(law, logs="symbolic")
    # KL(p ‖ ⊗ p_i) = TC
    prod = product([[marginal(law, [i]).probs[a] for a in range(2)] for i in range(3)])
    assert kl(law, prod, logs="symbolic") == total_correlation(law, logs="symbolic")


def test_chi2_exact():
    p = product([["1/2", "1/2"]])
    q = product([["1/4", "3/4"]])
    # (1/4)^2/(1/4) + (1/4)^2/(3/4) = 1/4 + 1/12 = 1/3
    assert chi2(p, q) == fmpq(1, 3)
    assert chi2(p.to_tier("float"), q.to_tier("float")) == pytest.approx(1 / 3)
    assert chi2(uniform(2, 2), copy(2, 2)) == math.inf
    assert chi2(copy(2, 2), uniform(2, 2)) == 1


@given(law_pairs())
def test_hellinger_bounds(pq):
    p, q = pq
    h2 = hellinger(p, q, squared=True)
    h = hellinger(p, q)
    t = tv(p, q)
    pf, qf = p.to_float().reshape(-1), q.to_float().reshape(-1)
    ref = 0.5 * np.sum((np.sqrt(pf) - np.sqrt(qf)) ** 2)
    assert float(h2.mid()) == pytest.approx(ref, abs=1e-12) and h2.rad() < 1e-25
    assert hellinger(p.to_tier("float"), q.to_tier("float"), squared=True) == pytest.approx(ref, abs=1e-12)
    with flint_ctx.workprec(200):
        # H² <= TV <= √2·H, rigorous up to the ball radius
        assert h2.lower() <= arb(t) + arb(10) ** -30
        assert arb(t) <= (arb(2).sqrt() * h).upper() + arb(10) ** -30
    assert not math.isnan(float(h.mid()))


def test_hellinger_identical_laws_is_zero_ball():
    p = dirichlet(2, 3, 1, seed=1)
    h = hellinger(p, p)
    assert h.contains(0) and not math.isnan(float(h.mid())) and float(h.upper()) < 1e-15


def test_embedding_into_masked_space():
    p = parity(2)
    masked = Law(MaskedSpace(2, 2), {(0, 0): "1/4", (1, 1): "1/4", (2, 2): "1/2"})
    with pytest.raises(ValueError, match="embed=True"):
        tv(p, masked)
    assert tv(p, masked, embed=True) == fmpq(1, 2)  # half of the mass sits on the all-mask state
    assert kl(masked, p, embed=True) == math.inf
    assert kl(p, masked, embed=True, logs="symbolic") == LogSum.log(2)
    with pytest.raises(ValueError, match="one space"):
        tv(parity(2), parity(3))


def test_mixed_tiers_use_the_weaker_one():
    p = dirichlet(2, 2, 1, seed=3)
    q = copy(2, 2)
    assert common_tier(p, q.to_tier("float")).name == "float"
    assert isinstance(tv(p, q.to_tier("float")), float)
    assert common_tier(p.to_tier("certified", prec=80), q.to_tier("certified", prec=200)).prec == 80
    with flint_ctx.workprec(300):
        assert tv(p.to_tier("certified"), q).contains(arb(tv(p, q)))


def test_kl_of_certified_laws_with_a_ball_around_zero_is_a_finite_enclosure():
    """A probability known only as a ball containing 0 gives a rigorous finite KL ball, never NaN."""
    from flint import arb

    from mdtheory import Law, ProductSpace
    from mdtheory.divergences import kl as kl_
    from mdtheory.tiers import ball_contains, get_tier

    ce = get_tier("certified", prec=64)
    S = ProductSpace(3, 1)
    tiny = arb(0, 1e-30)  # an enclosure of a probability that might be 0
    with ce.active():
        p = Law(S, [ce.scalar("1/2") - tiny, ce.scalar("1/2"), tiny], ce, validate=False)
        q = Law(S, ["1/4", "1/4", "1/2"], ce)
        v = kl_(p, q)
    assert v.is_finite()
    import math

    assert ball_contains(v, 0) is False
    log2 = ce.extraprec(100).log(get_tier("certified", prec=164).scalar(2))
    assert v.overlaps(log2) and float(v.rad()) < 1e-17  # KL((1/2, 1/2, 0) ‖ (1/4, 1/4, 1/2)) = log 2
