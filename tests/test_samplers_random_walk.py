"""Random-walk / biased-walk samplers: exact output laws vs a seeded Monte Carlo simulator, and the
three-part error's inequalities (data processing, V4, early stopping, Pinsker)."""

import math
from fractions import Fraction

import numpy as np
import pytest
from flint import arb, fmpq

from mdtheory import Law, ProductSpace, TruncatedLattice, generators, get_tier
from mdtheory.propagate import forward
from mdtheory.samplers.random_walk import (
    RandomWalkSamplerError,
    initial_law,
    perturbed_estimator,
    run_sampler,
    step_kernel,
)
from mdtheory.schedules import Grid

MU_32 = {(0, 0): "1/2", (1, 2): "1/4", (2, 2): "1/8", (2, 1): "1/8"}


def lower(x):
    return float(x.lower()) if isinstance(x, arb) else float(x)


def upper(x):
    return float(x.upper()) if isinstance(x, arb) else float(x)


# ---------------------------------------------------------------------------------------------
# Monte Carlo simulator, written independently of the library's kernels
# ---------------------------------------------------------------------------------------------


def _true_backward_rates_float(mu, gen, s):
    """{state: [(target, rate)]} from p_s and the forward per-coordinate rates, in float."""
    p = forward(mu, gen, t=s, tier="float").probs
    space = gen.space
    out = {}
    for x in space.states():
        lst = []
        for j, f in enumerate(gen.factors):
            for b in range(f.n):
                a = x[j]
                q_ba = float(f.offdiag[b][a])  # forward rate b -> a
                if b == a or q_ba == 0 or p[x] == 0:
                    continue
                y = x[:j] + (b,) + x[j + 1 :]
                lst.append((y, q_ba * p[y] / p[x]))
        out[x] = lst
    return out


def simulate(mu, gen, scheme, T, delta, N, n_samples, seed):
    rng = np.random.default_rng(seed)
    space = gen.space
    m = space.radix
    states = list(space.states())
    times = [Fraction(T) - Fraction(T - delta) * k / N for k in range(N + 1)]  # forward times s_k
    h = float(Fraction(T - delta) / N)
    rates = [_true_backward_rates_float(mu, gen, float(s)) for s in times[:-1]]
    counts = np.zeros(space.size)
    for _ in range(n_samples):
        x = states[rng.integers(space.size)]  # uniform start
        for k in range(N):
            R = rates[k][x]
            if scheme == "S3":  # Gillespie with rates frozen in time, state-dependent
                t = 0.0
                while True:
                    R = rates[k][x]
                    tot = sum(r for _, r in R)
                    t += rng.exponential(1 / tot)
                    if t > h:
                        break
                    u = rng.random() * tot
                    for y, r in R:
                        u -= r
                        if u <= 0:
                            x = y
                            break
                continue
            new = list(x)
            for j in range(space.d):
                rj = [(y[j], r) for y, r in R if y[:j] + y[j + 1 :] == x[:j] + x[j + 1 :] and y[j] != x[j]]
                if scheme == "S1":
                    disp = 0
                    for b, r in rj:
                        step = (b - x[j]) % m
                        n = rng.poisson(h * r)
                        disp += n * (1 if step == 1 else -1)
                    new[j] = (x[j] + disp) % m
                else:  # S2: first jump among competing clocks
                    tot = sum(r for _, r in rj)
                    if tot > 0 and rng.random() < 1 - math.exp(-h * tot):
                        u = rng.random() * tot
                        for b, r in rj:
                            u -= r
                            if u <= 0:
                                new[j] = b
                                break
            x = tuple(new)
        counts[space.index(x)] += 1
    return counts / n_samples


@pytest.mark.parametrize("scheme", ["S1", "S2", "S3"])
def test_exact_output_law_matches_monte_carlo(scheme):
    """Tolerance: TV(empirical, exact) ≤ 0.03 with 6000 seeded samples on 9 states
    (expected TV ≈ 0.5·Σ sqrt(p(1−p)/n) ≈ 0.02 at most)."""
    mu = Law(ProductSpace(3, 2), MU_32)
    g = generators.random_walk(3, 2, "1", "1/2")
    rep = run_sampler(mu, g, scheme, T=2, delta=Fraction(1, 5), N=3, prec=64)
    exact = rep.output.to_float().reshape(-1)
    emp = simulate(mu, g, scheme, 2, Fraction(1, 5), 3, 6000, seed=12)
    assert 0.5 * np.abs(emp - exact).sum() < 0.03
    # the check has power at this tolerance: the simulation is far from the target p_δ, which a
    # "sampler law" that silently returned the true marginal would match
    target = rep.target.to_float().reshape(-1)
    assert 0.5 * np.abs(emp - target).sum() > 0.1


# ---------------------------------------------------------------------------------------------
# kernels against closed forms
# ---------------------------------------------------------------------------------------------


def test_s1_displacement_is_skellam_mod_m():
    g = generators.random_walk(3, 1)
    T = get_tier("certified", 128)
    lp, lm, h = Fraction(3, 2), Fraction(1, 3), Fraction(2, 5)
    with T.active():
        rates = {(0, a, (a + 1) % 3): np.array([T.scalar(lp)], dtype=object) for a in range(3)}
        rates.update({(0, a, (a - 1) % 3): np.array([T.scalar(lm)], dtype=object) for a in range(3)})
        K = step_kernel("S1", g, rates, h, T)
    # independent: Σ over Poisson counts, truncated (tail < 1e-30)
    a, b = float(lp * h), float(lm * h)
    pa = [math.exp(-a) * a**n / math.factorial(n) for n in range(60)]
    pb = [math.exp(-b) * b**n / math.factorial(n) for n in range(60)]
    law = [0.0, 0.0, 0.0]
    for n1 in range(60):
        for n2 in range(60):
            law[(n1 - n2) % 3] += pa[n1] * pb[n2]
    for z in range(3):
        assert abs(float(K[0, z].mid()) - law[z]) < 1e-14


def test_m2_s1_flip_probability_closed_form():
    """m = 2: N Poisson flips at rate λ flip the bit w.p. (1 − e^{−2hλ})/2; S2 flips w.p. 1 − e^{−hλ}."""
    g = generators.random_walk(2, 1)
    T = get_tier("certified", 128)
    lam, h = Fraction(5, 4), Fraction(1, 3)
    with T.active():
        rates = {(0, 0, 1): np.array([T.scalar(lam)], dtype=object), (0, 1, 0): np.array([T.scalar(lam)], dtype=object)}
        K1 = step_kernel("S1", g, rates, h, T)
        K2 = step_kernel("S2", g, rates, h, T)
        e = T.exp(-T.scalar(lam * h))
        assert K1[0, 1].overlaps((1 - e * e) / 2)
        assert K2[0, 1].overlaps(1 - e)


# ---------------------------------------------------------------------------------------------
# the three-part error
# ---------------------------------------------------------------------------------------------


def test_s1_chain_rule_and_girsanov_inequalities():
    """KL(p_δ‖out) ≤ init + Σ E KL(K‖K̂) ≤ path KL; per-step kernel sum ≤ Girsanov disc (ND-G2, ND-V4)."""
    mu = Law(ProductSpace(2, 2), {(0, 0): "1/2", (1, 1): "1/4", (1, 0): "1/4"})
    g = generators.random_walk(2, 2)
    rep = run_sampler(mu, g, "S1", T=2, delta="1/10", N=4, prec=96)
    assert upper(rep.kl_output) <= lower(rep.chain_rule)
    assert upper(rep.chain_rule) <= lower(rep.path_kl)
    assert upper(rep.disc_kernels) <= lower(rep.disc_path)
    assert rep.approx == 0
    # path KL = init + ε + disc
    assert rep.path_kl.overlaps(rep.init_kl + rep.approx + rep.disc_path)


def test_estimator_error_enters_as_score_entropy():
    mu = Law(ProductSpace(3, 1), {(0,): "1/2", (1,): "1/3", (2,): "1/6"})
    g = generators.random_walk(3, 1)
    exact = run_sampler(mu, g, "S1", T=2, delta="1/5", N=3, prec=96)
    pert = run_sampler(mu, g, "S1", T=2, delta="1/5", N=3, prec=96, estimator=perturbed_estimator("3/10", seed=2))
    assert exact.approx == 0 and lower(pert.approx) > 0
    assert upper(pert.kl_output) <= lower(pert.chain_rule) <= upper(pert.chain_rule) <= lower(pert.path_kl)
    # the discretisation part (true scores) does not depend on the estimator
    assert pert.disc_kernels.overlaps(exact.disc_kernels)


@pytest.mark.parametrize("scheme", ["S2", "S3"])
def test_chain_rule_bounds_output_kl(scheme):
    mu = Law(ProductSpace(3, 2), MU_32)
    g = generators.random_walk(3, 2)
    rep = run_sampler(mu, g, scheme, T=2, delta="1/5", N=3, prec=96)
    assert upper(rep.kl_output) <= lower(rep.chain_rule)
    assert rep.path_kl is None


def test_early_stopping_and_pinsker():
    mu = Law(ProductSpace(3, 2), MU_32)
    g = generators.random_walk(3, 2, "1", "1/2")
    delta = Fraction(1, 10)
    rep = run_sampler(mu, g, "S3", T=3, delta=delta, N=4, prec=96)
    # ND-E1: TV(μ, p_δ) ≤ 1 − e^{−(r₊+r₋)dδ}
    assert upper(rep.tv_early_stop) <= 1 - math.exp(-1.5 * 2 * float(delta))
    # TV(μ, out) ≤ TV(μ, p_δ) + sqrt(KL(p_δ‖out)/2)
    assert upper(rep.tv_data) <= lower(rep.tv_early_stop) + math.sqrt(lower(rep.kl_output) / 2)
    # initialisation: p_T is close to uniform, KL ≈ χ²/2 small
    assert 0 < lower(rep.init_kl) and upper(rep.init_kl) < 1e-3
    assert upper(rep.init_tv) < 0.05


def test_s2_cannot_reach_displacement_two_for_m4():
    """m = 4: one S2 step moves a coordinate by at most ±1, the true kernel by 2 as well → step KL = ∞,
    while the output KL stays finite (mass is never dropped)."""
    mu = Law(ProductSpace(4, 1), {(0,): "1/2", (2,): "1/2"})
    g = generators.random_walk(4, 1)
    rep = run_sampler(mu, g, "S2", T=2, delta="1/5", N=2, prec=64)
    assert rep.chain_rule == math.inf and rep.disc_kernels == math.inf
    assert math.isfinite(upper(rep.kl_output))
    assert rep.output.total().contains(1)


def test_float_tier_matches_certified():
    mu = Law(ProductSpace(2, 2), {(0, 0): "1/2", (1, 1): "1/2"})
    g = generators.random_walk(2, 2)
    c = run_sampler(mu, g, "S2", T=2, delta="1/10", N=3, prec=96)
    f = run_sampler(mu, g, "S2", T=2, delta="1/10", N=3, tier="float")
    assert np.allclose(c.output.to_float(), f.output.to_float(), atol=1e-12)
    assert abs(float(c.kl_output.mid()) - f.kl_output) < 1e-10


def test_biased_walk_sampler_with_geometric_start_reports_overflow():
    L = 6
    space = TruncatedLattice(L, 1)
    mu = Law(space, {(0,): "1/2", (2,): "1/2"})
    g = generators.biased_walk(L, 1, "1/2", 1)
    rep = run_sampler(mu, g, "S3", T=3, delta="1/10", N=4, prec=96)
    assert rep.overflow_bound is not None and rep.overflow_bound < 0.05
    assert upper(rep.kl_output) <= lower(rep.chain_rule)
    assert rep.output.total().contains(1)
    q0 = initial_law(space, "geometric", rho="1/2")
    assert q0.probs[(L + 1,)] == fmpq(1, 2 ** (L + 1))
    with pytest.raises(RandomWalkSamplerError, match="S1"):
        run_sampler(mu, g, "S1", T=3, delta="1/10", N=2)


def test_grid_validation_and_errors():
    mu = Law(ProductSpace(2, 1), ["1/2", "1/2"])
    g = generators.random_walk(2, 1)
    with pytest.raises(RandomWalkSamplerError, match="T − δ"):
        run_sampler(mu, g, "S1", T=2, delta="1/2", grid=Grid((0, 1)))
    with pytest.raises(ValueError, match="scheme"):
        run_sampler(mu, g, "S9", T=2, delta="1/2", N=2)
    with pytest.raises(ValueError, match="0 < δ < T"):
        run_sampler(mu, g, "S1", T=2, delta=3, N=2)
    rep = run_sampler(mu, g, "S2", T=2, delta="1/2", grid=Grid((0, Fraction(1, 2), Fraction(3, 2))), prec=64)
    assert rep.grid.N == 2


def test_girsanov_discretisation_telescoped_bound():
    """ND-V4c: disc_path ≤ max_k h_k·Σ_moves c·(G(T−δ) − G(0)), G(t) = E_{p_{T−t}} u log u (non-decreasing)."""
    from mdtheory.scores import score_functional

    mu = Law(ProductSpace(2, 2), {(0, 0): "1/2", (1, 1): "1/4", (1, 0): "1/4"})
    g = generators.random_walk(2, 2)  # m = 2: one move per coordinate, c = r₊ + r₋ = 1
    T, delta, N = Fraction(2), Fraction(1, 10), 4
    rep = run_sampler(mu, g, "S1", T=T, delta=delta, N=N, prec=96)
    G_end = score_functional(mu, g, "ulogu", t=delta, tier="certified").value
    G_0 = score_functional(mu, g, "ulogu", t=T, tier="certified").value
    h = float((T - delta) / N)
    assert upper(rep.disc_path) <= h * lower(G_end - G_0)


def test_telescoped_discretisation_bound_matches_the_hand_sum_and_bounds_disc():
    """telescoped_discretisation_bound = h·Σ_groups c·(F(T−δ) − F(0)) computed by hand (m = 3: r_− for +e, r_+ for
    −e), and it bounds the Girsanov discretisation of S1 (ND-V4c)."""
    from mdtheory.samplers.random_walk import move_groups, telescoped_discretisation_bound
    from mdtheory.scores import score_functional

    mu = Law(ProductSpace(3, 1), ["1/6", "1/2", "1/3"])
    g = generators.random_walk(3, 1, "1", "1/4")
    assert move_groups(g) == {Fraction(1, 4): [(0, 1)], Fraction(1): [(0, -1)]}
    T, delta, N = Fraction(2), Fraction(1, 10), 3
    h = (T - delta) / N
    b = telescoped_discretisation_bound(mu, g, T, delta, h, "certified")
    F = lambda t, mv: score_functional(mu, g, "ulogu", t=t, direction=mv, tier="certified").value  # noqa: E731
    hand = float(h) * (0.25 * float((F(delta, (0, 1)) - F(T, (0, 1))).mid())
                       + 1.0 * float((F(delta, (0, -1)) - F(T, (0, -1))).mid()))
    assert abs(float(b.mid()) - hand) < 1e-12 * max(1.0, abs(hand))
    rep = run_sampler(mu, g, "S1", T=T, delta=delta, N=N, prec=96)
    assert upper(rep.disc_path) <= lower(b)
