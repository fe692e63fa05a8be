"""Scores, backward generators and score-functional derivatives (issue 4).

Checks are against identities and independent computations: E u = 1, the time-reversal
identity p·Q̄ = −p·Q, the direct chain-rule derivative (ṗ = pQ) versus the Bregman form, and a
certified mean-value enclosure F(t₂) − F(t₁) ∈ (t₂ − t₁)·F'([t₁, t₂]).
"""

from fractions import Fraction

import numpy as np
import pytest
from flint import arb, fmpq

from mdtheory import Law, ProductSpace, TruncatedLattice, generators, get_tier
from mdtheory.propagate import forward
from mdtheory.masked_scores import denoising_conditionals, reverse_rates
from mdtheory.phi import PHI_LIBRARY, get_phi
from mdtheory.scores import (
    ScoreError,
    backward_generator,
    backward_rates,
    biased_walk_scores,
    random_walk_moves,
    random_walk_scores,
    score_functional,
    score_functional_derivative,
)

CERT = get_tier("certified", 128)


def random_law(space, seed, zeros=0):
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 30, size=space.size)
    if zeros:
        w[rng.choice(space.size, size=zeros, replace=False)] = 0
    tot = int(w.sum())
    return Law(space, [fmpq(int(x), tot) for x in w])


def overlap(a, b):
    return arb(a).overlaps(arb(b))


# ---------------------------------------------------------------------------------------------
# Φ library
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PHI_LIBRARY))
def test_phi_derivatives_match_finite_differences(name):
    phi = get_phi(name)
    T = get_tier("float")
    for u in (0.3, 1.0, 2.7):
        h = 1e-6
        fd = (phi.f(u + h, T) - phi.f(u - h, T)) / (2 * h)
        assert abs(fd - phi.df(u, T)) < 1e-6
        fd2 = (phi.df(u + h, T) - phi.df(u - h, T)) / (2 * h)
        assert abs(fd2 - phi.d2f(u, T)) < 1e-5


@pytest.mark.parametrize("name", list(PHI_LIBRARY))
def test_certified_bregman_encloses_the_exact_gap(name):
    phi = get_phi(name)
    with CERT.active():
        for a, b in ((Fraction(1, 3), Fraction(2)), (Fraction(5, 4), Fraction(6, 5)), (Fraction(7), Fraction(1, 9))):
            A, B = CERT.scalar(a), CERT.scalar(b)
            direct = phi.f(A, CERT) - phi.f(B, CERT) - phi.df(B, CERT) * (A - B)
            encl = phi.bregman(arb(a.numerator) / a.denominator, arb(b.numerator) / b.denominator, CERT)
            assert encl.overlaps(direct)
            assert encl >= 0 or encl.contains(0)
            # on balls around a and b, the enclosure must contain the gap at the centres
            wide = phi.bregman(A.union(A + arb("1e-3")), B, CERT)
            assert wide.overlaps(direct)


def test_unknown_phi_is_a_value_error():
    with pytest.raises(ValueError, match="unknown Φ"):
        get_phi("nope")


# ---------------------------------------------------------------------------------------------
# random walk
# ---------------------------------------------------------------------------------------------


def test_m2_has_one_move_per_coordinate_and_no_double_counting():
    g = generators.random_walk(2, 2, "1/3", "1/2")
    assert random_walk_moves(g) == [(0, 1), (1, 1)]
    mu = random_law(ProductSpace(2, 2), 1)
    p = mu.probs
    r = backward_rates(p, g, "exact")
    # backward flip rate = (r+ + r-)·p(y)/p(x), once
    x, y = (0, 1), (1, 1)
    assert r[(0, 0, 1)][(0, 1)] == fmpq(5, 6) * p[y] / p[x]


@pytest.mark.parametrize("m,d,rp,rm", [(2, 2, "1/2", "1/2"), (3, 2, "1", "1/3"), (4, 1, "1/2", "1/2")])
def test_time_reversal_identity_pQbar_equals_minus_pQ(m, d, rp, rm):
    """ND-G1 in derivative form: d/dt p_{T−t} = p Q̄ = −p Q, exactly, for any positive law."""
    g = generators.random_walk(m, d, rp, rm)
    p = random_law(ProductSpace(m, d), 3).probs
    Qbar = backward_generator(p, g, "exact")
    lhs = p.reshape(-1).dot(Qbar)
    rhs = -g.apply(p, "exact").reshape(-1)
    assert all(a == b for a, b in zip(lhs, rhs))
    assert all(sum(row[1:], row[0]) == 0 for row in Qbar)


@pytest.mark.parametrize("m,d", [(2, 2), (3, 2), (5, 1)])
def test_score_has_mean_one(m, d):
    """ND-ZW3: E_{p_t}[u_{i,±}] = 1 for every move (exact at t = 0, enclosing 1 at t > 0)."""
    mu = random_law(ProductSpace(m, d), 7)
    g = generators.random_walk(m, d)
    for mv in random_walk_moves(g):
        assert score_functional(mu, g, "identity", t=0, direction=mv).value == 1
        v = score_functional(mu, g, "identity", t="1/3", direction=mv, tier=CERT).value
        assert v.contains(1) and v.rad() < 1e-30


def test_random_walk_scores_match_definition():
    g = generators.random_walk(3, 2)
    p = random_law(ProductSpace(3, 2), 2).probs
    u = random_walk_scores(p, g, "exact")
    assert u[(1, -1)][(2, 0)] == p[(2, 2)] / p[(2, 0)]
    assert u[(0, 1)][(2, 1)] == p[(0, 1)] / p[(2, 1)]


def test_functional_is_an_f_divergence_between_shift_and_law():
    """E_p[(u−1)²] = χ²(τ_e p ‖ p) computed independently."""
    mu = random_law(ProductSpace(3, 2), 5)
    g = generators.random_walk(3, 2)
    p = mu.probs
    shifted = np.roll(p, -1, axis=1)
    chi2 = sum(((a - b) ** 2 / b for a, b in zip(shifted.reshape(-1), p.reshape(-1))), fmpq(0))
    assert score_functional(mu, g, "chi2", t=0, direction=(1, 1)).value == chi2


def test_off_support_perspective_convention():
    mu = Law(ProductSpace(3, 1), ["1/2", "1/2", "0"])
    g = generators.random_walk(3, 1)
    # χ²: x=2 has p=0 but p(x+1)=1/2 > 0 → slope at infinity is +∞
    assert score_functional(mu, g, "chi2", t=0, direction=(0, 1)).value == float("inf")
    # identity: 0·Φ(a/0) = a·1, so the mean stays 1 — no mass dropped
    assert score_functional(mu, g, "identity", t=0, direction=(0, 1)).value == 1
    with pytest.raises(ScoreError, match="p\\(x\\) > 0"):
        score_functional_derivative(mu, g, "kl", t=0)


@pytest.mark.parametrize("phi", list(PHI_LIBRARY))
@pytest.mark.parametrize("m,d,rp,rm", [(2, 2, "1/3", "1"), (3, 2, "1/2", "1/2"), (4, 1, "1", "1/4")])
def test_bregman_form_equals_direct_chain_rule_random_walk(phi, m, d, rp, rm):
    mu = random_law(ProductSpace(m, d), 11 + m, zeros=1)
    g = generators.random_walk(m, d, rp, rm)
    for t in ("1/5", "3/2"):
        b = score_functional_derivative(mu, g, phi, t=t, tier=CERT)
        dr = score_functional_derivative(mu, g, phi, t=t, tier=CERT, method="direct")
        assert overlap(b.value, dr.value)
        assert b.value.rad() < 1e-20 and dr.value.rad() < 1e-20
        # random walk: no boundary terms, and the Bregman sum is ≥ 0
        assert b.boundary == 0 and b.truncation == 0 and not b.bregman < 0


@pytest.mark.parametrize("phi", ["kl", "chi2", "ulogu"])
def test_mean_value_enclosure_of_the_derivative(phi):
    """F(t₂) − F(t₁) ∈ (t₂ − t₁)·{F'(s): s ∈ [t₁, t₂]} — an independent certified check."""
    mu = random_law(ProductSpace(3, 2), 21)
    g = generators.random_walk(3, 2, "1", "1/2")
    t1, t2 = Fraction(1, 2), Fraction(1, 2) + Fraction(1, 1000)
    with CERT.active():
        F1 = score_functional(mu, g, phi, t=t1, tier=CERT).value
        F2 = score_functional(mu, g, phi, t=t2, tier=CERT).value
        ball = arb(fmpq(1, 2)).union(arb(fmpq(t2.numerator, t2.denominator)))
        dF = score_functional_derivative(mu, g, phi, t=ball, tier=CERT).value
        assert (F2 - F1).overlaps(dF * arb(fmpq(1, 1000)))
        # and the quotient is a good approximation of the point derivative
        d_mid = score_functional_derivative(mu, g, phi, t=t1, tier=CERT).value
        q = (F2 - F1) * 1000
        assert abs(float((q - d_mid).mid())) < 1e-2 * (abs(float(d_mid.mid())) + 1e-6)


# ---------------------------------------------------------------------------------------------
# biased walk
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("phi", list(PHI_LIBRARY))
@pytest.mark.parametrize("L,d", [(1, 1), (2, 1), (6, 1), (3, 2)])
@pytest.mark.parametrize("score", ["relative", "raw"])
def test_bregman_plus_boundary_terms_equal_direct_biased_walk(phi, L, d, score):
    space = TruncatedLattice(L, d)
    rng = np.random.default_rng(L * 10 + d)
    probs = {}
    for x in space.states():
        if max(x) <= min(L, 2):
            probs[x] = int(rng.integers(1, 9))
    tot = sum(probs.values())
    mu = Law(space, {k: Fraction(v, tot) for k, v in probs.items()})
    g = generators.biased_walk(L, d, "1/2", 1)
    for t in ("1/4", "2"):
        b = score_functional_derivative(mu, g, phi, t=t, tier=CERT, score=score)
        dr = score_functional_derivative(mu, g, phi, t=t, tier=CERT, score=score, method="direct")
        assert overlap(b.value, dr.value), (b, dr)
        assert b.overflow_bound is not None and 0 <= b.overflow_bound <= 1


def test_biased_walk_scores_and_backward_rates():
    """Backward up-rate a·v(x) and down-rate b/v(x−e) (ND-NW3)."""
    L = 4
    g = generators.biased_walk(L, 1, "1/2", 1)
    mu = Law(TruncatedLattice(L, 1), ["1/2", "1/4", "1/8", "1/16", "1/16", "0"])
    p = mu.probs
    s = biased_walk_scores(p, g, "exact")
    r = backward_rates(p, g, "exact")
    v = s.scores[0]
    for x in range(1, L):
        assert r[(0, x, x + 1)][(0,)] == fmpq(1, 2) * v[x]
        assert r[(0, x, x - 1)][(0,)] == 1 / v[x - 1]
    assert s.overflow_bound == 0
    raw = biased_walk_scores(p, g, "exact", relative=False)
    assert raw.scores[0][1] == fmpq(1, 2) * v[1]


def test_geometric_law_has_relative_score_one_and_zero_derivative():
    """π = Geom(ρ) (untruncated) has v ≡ 1; truncated, only the top boundary contributes."""
    L = 30
    rho = Fraction(1, 2)
    space = TruncatedLattice(L, 1)
    probs = [(1 - rho) * rho**k for k in range(L + 1)]
    probs.append(1 - sum(probs))  # the tail sits in the overflow level
    mu = Law(space, probs)
    g = generators.biased_walk(L, 1, "1/2", 1)
    s = biased_walk_scores(mu.probs, g, "exact")
    assert all(s.scores[0][x] == 1 for x in range(L))
    dv = score_functional_derivative(mu, g, "kl", t="1/2", tier=CERT)
    assert abs(float(dv.value.mid())) < 1e-6
    assert dv.overflow_bound < 1e-6


# ---------------------------------------------------------------------------------------------
# masking
# ---------------------------------------------------------------------------------------------


def test_masked_raw_score_matches_forward_marginal_ratio():
    mu = random_law(ProductSpace(2, 3), 4)
    g = generators.masking(2, 3)
    alpha = Fraction(2, 7)
    p = forward(mu, g, alpha=alpha).probs
    x = (2, 1, 2)
    s = reverse_rates(mu, alpha, x)  # rate 1: the raw concrete scores
    assert len(s) == 2 * 2
    for y, val in s.items():
        assert val == p[y] / p[x]


def test_masked_conditional_functional_endpoints():
    """α = 0: Σ_a Φ(μ_i(a)); α = 1: E_μ Σ_a Φ(π_i(a|x_{−i}))."""
    mu = random_law(ProductSpace(3, 2), 9)
    g = generators.masking(3, 2)
    F0 = score_functional(mu, g, "chi2", alpha=0, direction=0).value
    marg = [sum(mu.probs[a, :]) for a in range(3)]
    assert F0 == sum((v - 1) ** 2 for v in marg)
    F1 = score_functional(mu, g, "chi2", alpha=1, direction=0).value
    expect = fmpq(0)
    for b in range(3):
        col = mu.probs[:, b]
        w = sum(col)
        expect += w * sum((c / w - 1) ** 2 for c in col)
    assert F1 == expect


@pytest.mark.parametrize("score", ["conditional", "raw"])
def test_masked_derivative_mean_value_enclosure(score):
    mu = random_law(ProductSpace(2, 3), 13)
    g = generators.masking(2, 3)
    a1, a2 = Fraction(3, 10), Fraction(3, 10) + Fraction(1, 1000)
    with CERT.active():
        F1 = score_functional(mu, g, "kl", alpha=a1, score=score, tier=CERT).value
        F2 = score_functional(mu, g, "kl", alpha=a2, score=score, tier=CERT).value
        ball = arb(fmpq(3, 10)).union(arb(fmpq(a2.numerator, a2.denominator)))
        dF = score_functional_derivative(mu, g, "kl", alpha=ball, score=score, tier=CERT).value
        assert (F2 - F1).overlaps(dF * arb(fmpq(1, 1000)))


def test_masked_derivative_in_t_has_the_clock_factor():
    mu = random_law(ProductSpace(2, 2), 3)
    g = generators.masking(2, 2)
    t = Fraction(1, 2)
    with CERT.active():
        a = CERT.exp(-CERT.scalar(t))
        dA = score_functional_derivative(mu, g, "chi2", alpha=a, tier=CERT).value
        dT = score_functional_derivative(mu, g, "chi2", t=t, tier=CERT).value
        assert dT.overlaps(-a * dA)


def test_masked_conditional_zero_context_is_flagged():
    mu = Law(ProductSpace(2, 2), {(0, 0): "1/2", (0, 1): "1/2"})
    C = denoising_conditionals(mu)
    assert C.is_off_support((1, 2), 1) and not C.is_off_support((0, 2), 1)
    assert [str(v) for v in C.prob((0, 2), 1)] == ["1/2", "1/2"]


@pytest.mark.parametrize("m,rp,rm", [(3, "1", "1/4"), (4, "1/3", "2"), (5, "1/2", "1/2")])
def test_fourier_marginal_matches_the_propagator(m, rp, rm):
    """The certified random-walk marginal used for time balls (Fourier form) equals propagate.forward."""
    from mdtheory.propagate import forward_over_ball

    mu = random_law(ProductSpace(m, 2), 6)
    g = generators.random_walk(m, 2, rp, rm)
    with CERT.active():
        a = forward_over_ball(mu, g, Fraction(2, 3), tier=CERT).probs
        b = forward(mu, g, t=Fraction(2, 3), tier=CERT).probs
        assert all(x.overlaps(y) and x.rad() < 1e-30 for x, y in zip(a.reshape(-1), b.reshape(-1)))
        assert CERT.total(a).contains(1)


@pytest.mark.parametrize("phi", ["chi2", "kl", "hellinger"])
def test_masked_raw_functional_is_the_expectation_under_the_forward_marginal(phi):
    """Raw score functional = Σ_x q_α(x) Σ_{i masked} Σ_a Φ(q_α(x^{i←a})/q_α(x)), q_α from propagate.forward."""
    mu = random_law(ProductSpace(2, 3), 21, zeros=2)
    g = generators.masking(2, 3)
    alpha = Fraction(2, 5)
    T = CERT if phi != "chi2" else get_tier("exact")
    q = forward(mu, g, alpha=alpha, tier=T).probs
    f = get_phi(phi)
    expect = T.zero
    with T.active():
        for x in np.ndindex(q.shape):
            if T.is_zero(q[x]) is True:
                continue
            for i in (k for k in range(3) if x[k] == 2):
                for a in range(2):
                    y = x[:i] + (a,) + x[i + 1:]
                    u = q[y] / q[x]
                    expect = expect + q[x] * (T.scalar(f.at_zero) if T.is_zero(u) is True else f(u, T))
        got = score_functional(mu, g, phi, alpha=alpha, score="raw", tier=T).value
    assert got == expect if T.is_exact else got.overlaps(expect) and got.rad() < 1e-30


def test_masked_derivative_rejects_a_method_it_does_not_use():
    mu = random_law(ProductSpace(2, 2), 3)
    with pytest.raises(ValueError, match="only method='bregman'"):
        score_functional_derivative(mu, generators.masking(2, 2), "chi2", alpha="1/2", method="direct")
    dv = score_functional_derivative(mu, generators.masking(2, 2), "chi2", alpha="1/2", score="raw", method="direct")
    assert dv.method == "direct"
