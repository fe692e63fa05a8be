"""Certified monotonicity of score functionals (ND-V1, V2, V2n, V5m, V5n) and witness search."""

import json
from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq

from mdtheory import Law, ProductSpace, TruncatedLattice, generators
from mdtheory.monotonicity import (
    MonotonicityError,
    certify_monotone,
    replay_witness,
    search_counterexample,
)
from mdtheory.phi import PHI_LIBRARY
from mdtheory.scores import score_functional, score_functional_derivative

CONVEX = ["kl", "burg", "chi2", "hellinger", "ulogu", "identity"]


def random_law(space, seed, zeros=0):
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 30, size=space.size)
    if zeros:
        w[rng.choice(space.size, size=zeros, replace=False)] = 0
    tot = int(w.sum())
    return Law(space, [fmpq(int(x), tot) for x in w])


@pytest.mark.parametrize("phi", CONVEX)
@pytest.mark.parametrize("m,d,rp,rm,seed,zeros", [(2, 2, "1/2", "1/2", 1, 1), (3, 2, "1", "1/4", 2, 0), (3, 1, "1/2", "1/2", 3, 1)])
def test_random_walk_functionals_certified_nonincreasing(phi, m, d, rp, rm, seed, zeros):
    """ND-V1: for every convex Φ and every μ, t ↦ E Φ(u_t) is non-increasing (certified on [1/20, 3])."""
    mu = random_law(ProductSpace(m, d), seed, zeros)
    g = generators.random_walk(m, d, rp, rm)
    r = certify_monotone(mu, g, phi, ("1/20", 3), prec=96, max_evaluations=600)
    assert r.verdict == "proved", r.summary()
    assert r.worst <= 0
    covered = sum(hi - lo for lo, hi in r.proved)
    assert covered == Fraction(3) - Fraction(1, 20)


def test_random_walk_strict_decrease_and_constant_mean():
    mu = random_law(ProductSpace(3, 2), 5)
    g = generators.random_walk(3, 2)
    assert certify_monotone(mu, g, "kl", ("1/10", 2), strict=True, prec=96).verdict == "proved"
    # E u = 1 is constant: non-strict holds, strict cannot be proved
    r = certify_monotone(mu, g, "identity", ("1/10", 2), strict=True, prec=64, max_depth=2)
    assert r.verdict == "undecided"


def test_the_certifier_can_refute():
    """Claiming the wrong direction must produce refuted pieces, not a proof."""
    mu = random_law(ProductSpace(3, 1), 8)
    g = generators.random_walk(3, 1)
    r = certify_monotone(mu, g, "chi2", ("1/10", 1), sense="nondecreasing", prec=64)
    assert r.verdict == "refuted" and r.refuted


def test_float_tier_is_never_proved():
    mu = random_law(ProductSpace(2, 2), 4)
    r = certify_monotone(mu, generators.random_walk(2, 2), "kl", ("1/10", 1), tier="float", grid_points=50)
    assert r.verdict == "observed (float, not a proof)"
    assert not r.tier.rigorous


def test_bad_requests_are_value_errors():
    mu = random_law(ProductSpace(2, 1), 4)
    g = generators.random_walk(2, 1)
    with pytest.raises(MonotonicityError, match="sense"):
        certify_monotone(mu, g, "kl", (0, 1), sense="up")
    with pytest.raises(ValueError, match="a < b"):
        certify_monotone(mu, g, "kl", (1, 1))


def test_random_walk_counterexample_search_finds_nothing():
    r = search_counterexample(generators.random_walk(3, 1), "chi2", ["1/10", "1/2", "2"], restarts=2, sparse_starts=2,
                              maxiter=40, seed=1, prec=64)
    assert not r.found and r.witness is None
    assert r.best_float <= 1e-12


# ---------------------------------------------------------------------------------------------
# masking
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("phi", ["kl", "burg", "chi2", "hellinger", "ulogu"])
def test_masked_normalised_conditionals_monotone(phi):
    """ND-V2: G_i is non-increasing in forward time, i.e. non-decreasing in α (certified on [1/100, 99/100])."""
    mu = random_law(ProductSpace(2, 3), 17)
    g = generators.masking(2, 3)
    for i in range(3):
        r = certify_monotone(mu, g, phi, ("1/100", "99/100"), sense="nondecreasing", variable="alpha",
                             direction=i, prec=96, initial_pieces=4)
        assert r.verdict == "proved", r.summary()


def test_masked_raw_score_functional_has_certified_witness():
    """ND-V2n: E Σ_{i masked} Σ_a Φ(raw score) is not monotone — a certified, replayable witness."""
    g = generators.masking(2, 2)
    r = search_counterexample(g, "chi2", ["1/20", "1/5", "1/2", "4/5", "19/20"], sense="nondecreasing",
                              variable="alpha", score="raw", restarts=2, sparse_starts=1, maxiter=60, seed=3, prec=96)
    assert r.found
    w = json.loads(json.dumps(r.witness))
    rep = replay_witness(w)
    assert rep["violation"] and rep["derivative_sign"] == -1
    # independent confirmation: the functional itself decreases across a small α-step at the witness
    law = Law(ProductSpace(2, 2), {tuple(map(int, k.split(","))): Fraction(v) for k, v in w["law"].items()})
    a = Fraction(w["alpha"] if "alpha" in w else w["t"])
    F1 = score_functional(law, g, "chi2", alpha=a, score="raw").value
    F2 = score_functional(law, g, "chi2", alpha=a + Fraction(1, 10**6), score="raw").value
    assert F2 < F1


# ---------------------------------------------------------------------------------------------
# biased walk
# ---------------------------------------------------------------------------------------------


def test_biased_walk_v_log_v_has_certified_increasing_stretch():
    """ND-V5n: μ = δ_0, up 1/2, down 1: E[v log v] increases on [1, 3] (certified, with overflow bound)."""
    L = 14
    mu = Law.point(TruncatedLattice(L, 1), (0,))
    g = generators.biased_walk(L, 1, "1/2", 1)
    r = certify_monotone(mu, g, "ulogu", (1, 3), sense="nondecreasing", strict=True, prec=128)
    assert r.verdict == "proved", r.summary()
    assert r.overflow_bound is not None and r.overflow_bound < 1e-6
    # and it is decreasing early on: the functional is not monotone
    early = score_functional_derivative(mu, g, "ulogu", t="1/10", tier="certified")
    assert early.sign() == -1


@pytest.mark.parametrize("phi", ["kl", "burg", "chi2", "hellinger"])
@pytest.mark.parametrize("law", ["delta0", "mix"])
def test_biased_walk_centred_phi_monotone(phi, law):
    """ND-V5m: Φ convex with Φ'(u)(u−1) ≥ 0 gives a non-increasing E Φ(v) (certified on [1/10, 3])."""
    L = 12
    space = TruncatedLattice(L, 1)
    mu = Law.point(space, (0,)) if law == "delta0" else Law(space, {(0,): "1/10", (1,): "9/10"})
    g = generators.biased_walk(L, 1, "1/2", 1)
    r = certify_monotone(mu, g, phi, ("1/10", 3), prec=96, max_evaluations=400)
    assert r.verdict == "proved", r.summary()
    assert r.overflow_bound < 1e-6
    assert PHI_LIBRARY[phi].centred


def test_biased_walk_two_dimensions_centred_monotone():
    L = 5
    mu = Law(TruncatedLattice(L, 2), {(0, 0): "1/2", (1, 0): "1/4", (0, 1): "1/4"})
    g = generators.biased_walk(L, 2, "1/5", 1)
    r = certify_monotone(mu, g, "chi2", ("1/5", 2), prec=96, initial_pieces=8, max_evaluations=300)
    assert r.verdict == "proved", r.summary()
    assert r.overflow_bound < 1e-2


def test_biased_walk_search_separates_centred_and_uncentred_phi():
    """Counterexample search: a certified witness for E[v log v] (not monotone), none for KL-type Φ."""
    g = generators.biased_walk(10, 1, "1/2", 1)
    times = ["1/2", "1", "2"]
    bad = search_counterexample(g, "ulogu", times, restarts=1, sparse_starts=1, maxiter=20, support=2, prec=96)
    assert bad.found and replay_witness(bad.witness)["violation"]
    assert bad.witness["process"]["family"] == "biased_walk"
    good = search_counterexample(g, "kl", times, restarts=1, sparse_starts=1, maxiter=20, support=2, prec=96)
    assert not good.found
