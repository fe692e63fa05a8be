"""Exact output laws of the grid samplers and FHS: closed forms, identities, Monte Carlo."""

from fractions import Fraction

import numpy as np
import pytest
from flint import arb, fmpq

from mdtheory import generators
from mdtheory.distributions import copy, copy_pairs, dirichlet, markov_chain, parity
from mdtheory.masked_scores import rescaled
from mdtheory.propagate import forward
from mdtheory.samplers import StepSizeError, ancestral, euler, exact_reverse, fhs, tau_leaping
from mdtheory.schedules import ExponentialClock, Grid, LinearClock, kappa_grid
from mdtheory.tiers import NotExactError, get_tier

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _mc_masked import empirical, simulate_exact_reverse, simulate_per_token, tv_bound  # noqa: E402

LAWS = [copy(2, 3), parity(4), copy_pairs(3, 2), markov_chain(["1/3", "2/3"], [["3/4", "1/4"], ["1/5", "4/5"]], 3),
        dirichlet(2, 3, alpha="1/2", seed=1)]


@pytest.mark.parametrize("law", LAWS, ids=["copy", "parity", "copy_pairs", "markov", "dirichlet"])
def test_fhs_exact_scores_reproduce_data_law(law):
    r = fhs(law)
    assert r.tv() == 0 and r.leftover_mask_mass == 0 and r.off_support_mass == 0
    assert fhs(law, rescaled(law, "7/3")).tv() == 0  # positive rescaling: FHS normalises


def test_exact_reverse_linear_clock_is_exact():
    for law in LAWS[:3]:
        assert exact_reverse(law, steps=3).tv() == 0


def test_exact_reverse_exponential_clock_closed_forms():
    law = LAWS[3]
    d, T, delta = 3, Fraction(2), Fraction(1, 4)
    tier = get_tier("certified", prec=128)
    grid = kappa_grid(T, "1/2", delta)
    aT, ad = arb(-2).exp(), arb(-0.25).exp()
    # from the exact forward marginal at T: exactly the forward marginal at δ
    r = exact_reverse(law, clock=ExponentialClock(), T=T, grid=grid, tier=tier, init="forward")
    q_delta = forward(law, generators.masking(2, d), tau=delta, tier=tier)
    assert all(a.overlaps(b) for a, b in zip(r.law.flat, q_delta.flat))
    # from all-mask: data masked w.p. (1−α_δ)/(1−α_T) per token
    r = exact_reverse(law, clock=ExponentialClock(), T=T, grid=grid, tier=tier)
    tv = r.tv()
    closed = 1 - ((ad - aT) / (1 - aT)) ** d
    assert tv.overlaps(closed) and tv.rad() < 1e-25
    init_term, stop_term = 1 - (1 - aT) ** d, 1 - (arb(-d) * delta.numerator / delta.denominator).exp()
    assert tv < init_term + stop_term and tv > stop_term  # triangle inequality, both terms matter
    assert r.leftover_mask_mass.overlaps(closed)  # the only error is leftover masks


def _copy_pairs_tv(ps, m, d):
    S1 = sum(ps, ps[0] * 0)
    S2 = sum((p * p for p in ps), ps[0] * 0)
    return 1 - (S1 * S1 - S2 * (m - 1) / m) ** (d // 2)


def test_euler_copy_pairs_closed_form_linear_exact():
    for N in (1, 3, 8):
        r = euler(copy_pairs(3, 4), steps=N)
        x = _copy_pairs_tv([Fraction(1, N)] * N, 3, 4)
        assert r.tv() == fmpq(x.numerator, x.denominator)
        assert r.leftover_mask_mass == 0


def test_euler_copy_pairs_closed_form_kappa_grid_certified():
    T, kappa, delta = Fraction(3), Fraction(1, 2), Fraction(1, 8)
    grid = kappa_grid(T, kappa, delta)
    ps, surv = [], arb(1)
    for k in range(grid.N):
        tau = T - grid.times[k]
        h = grid.times[k + 1] - grid.times[k]
        hr = arb(h.numerator) / h.denominator / ((arb(tau.numerator) / tau.denominator).exp() - 1)
        ps.append(surv * hr)
        surv = surv * (1 - hr)
    closed = _copy_pairs_tv(ps, 2, 4)
    r = euler(copy_pairs(2, 4), clock=ExponentialClock(), T=T, kappa=kappa, delta=delta, tier="certified")
    assert r.tv().overlaps(closed) and r.tv().rad() < 1e-20
    assert r.law.total().contains(1)


def test_euler_equals_ancestral_on_linear_clock_and_validity():
    law = LAWS[3]
    a, e = ancestral(law, steps=5), euler(law, steps=5)
    assert (a.law.probs == e.law.probs).all()
    # exact scores: h ≤ τ < e^τ − 1 always holds on the exponential clock; an overestimate (λ = 3) breaks it
    grid = Grid((0, Fraction(29, 10), Fraction(3) - Fraction(1, 100)))
    over = rescaled(law, 3)
    euler(law, clock=ExponentialClock(), T=3, grid=grid, tier="float")
    with pytest.raises(StepSizeError, match="clip=True"):
        euler(law, over, clock=ExponentialClock(), T=3, grid=grid, tier="float")
    r = euler(law, over, clock=ExponentialClock(), T=3, grid=grid, tier="float", clip=True)
    assert r.info["clipped"] > 0 and abs(r.law.total() - 1) < 1e-12


def test_off_support_mass_is_kept_and_final_rules():
    r = euler(parity(3), steps=2)
    assert r.law.total() == 1 and r.off_support_mass > 0
    assert r.off_support_mass == r.tv()  # parity: every error state is off-support
    r = ancestral(LAWS[3], steps=2, delta="1/4")
    assert r.leftover_mask_mass > 0 and r.leftover_mask_mass == r.law.masked_mass()
    for rule in ("sample", "argmax"):
        f = ancestral(LAWS[3], steps=2, delta="1/4", final=rule)
        assert f.leftover_mask_mass == 0 and f.law.total() == 1


def test_tau_leaping_needs_certified():
    with pytest.raises(NotExactError, match="certified"):
        tau_leaping(LAWS[3], steps=3)
    r = tau_leaping(LAWS[3], steps=3, tier="certified")
    assert r.law.total().contains(1) and r.leftover_mask_mass > 0


# ---------------------------------------------------------------------------------------------
# Monte Carlo cross-checks (independent simulators in tests/_mc_masked.py)
# ---------------------------------------------------------------------------------------------
N_MC = 20000
LAW_MC = markov_chain(["1/3", "2/3"], [["9/10", "1/10"], ["1/5", "4/5"]], 3, tier="float")


def _check(exact, X, m=2, d=3):
    q = exact.law.to_float()
    emp = empirical(X, m, d)
    bound = tv_bound(q, N_MC)
    assert 0.5 * np.abs(emp - q).sum() <= bound
    return bound


def _grid_sim(kind, clock, T, grid):
    taus = [T - t for t in grid.times]

    def step(k, g):
        if k >= grid.N:
            return None
        if g is None:
            return True
        a0, a1 = float(clock.alpha(taus[k], "float")), float(clock.alpha(taus[k + 1], "float"))
        h = float(taus[k] - taus[k + 1])
        rate = h * (1.0 / float(taus[k]) if isinstance(clock, LinearClock) else a0 / (1 - a0))
        if kind == "euler":
            return g * rate, 1 - rate * g.sum(1)
        if kind == "tau":
            st = np.exp(-rate * g.sum(1))
            return g / g.sum(1, keepdims=True) * (1 - st)[:, None], st
        p = (a1 - a0) / (1 - a0)
        return g * p, np.full(g.shape[0], 1 - p)

    return step


@pytest.mark.parametrize("kind", ["euler", "tau", "ancestral"])
def test_monte_carlo_grid_samplers(kind):
    clock, T = ExponentialClock(), Fraction(2)
    grid = kappa_grid(T, "1/2", "1/4")
    fn = {"euler": euler, "tau": tau_leaping, "ancestral": ancestral}[kind]
    exact = fn(LAW_MC, clock=clock, T=T, grid=grid, tier="float")
    X = simulate_per_token(LAW_MC.probs, 2, 3, N_MC, seed=11, step_probs=_grid_sim(kind, clock, T, grid))
    bound = _check(exact, X)
    assert exact.tv() > 2 * bound  # the test has power: the output law is far from the data law


def test_monte_carlo_exact_reverse_and_fhs():
    clock, T = LinearClock(), Fraction(1)
    grid = Grid((0, Fraction(1, 2), Fraction(3, 4)))
    exact = exact_reverse(LAW_MC, clock=clock, T=T, grid=grid, tier="float")
    ps = [0.5, 0.5]  # α: 0 → 1/2 → 3/4: p = 1/2, then (3/4 − 1/2)/(1/2) = 1/2
    X = simulate_exact_reverse(LAW_MC.probs, 2, 3, 4000, seed=3, ps=ps)
    q = exact.law.to_float()
    assert 0.5 * np.abs(empirical(X, 2, 3) - q).sum() <= tv_bound(q, 4000)
    from _mc_masked import random_subset_round, simulate_subsets

    X = simulate_subsets(LAW_MC.probs, 2, 3, N_MC, seed=5, rounds=[random_subset_round(lambda rng, n: 1, 2)] * 3)
    _check(fhs(LAW_MC), X)


# ------------------------------------------------------------------------------------------------
# step rules and the per-token step (issue 20)
# ------------------------------------------------------------------------------------------------
from mdtheory.samplers._masked_core import per_token_step  # noqa: E402
from mdtheory.samplers.masked import AncestralRule, StepRule, run_rule  # noqa: E402


def _naive_per_token_step(P, m, d, W, zero, one):
    """Per state, every joint move of its masked tokens (independent of the block code)."""
    import itertools

    out = np.full(P.shape, zero, dtype=P.dtype)
    for x in itertools.product(range(m + 1), repeat=d):
        px = P[x]
        if px == 0:
            continue
        M = [j for j in range(d) if x[j] == m]
        for ys in itertools.product(range(m + 1), repeat=len(M)):
            w = px
            for j, y in zip(M, ys):
                w = w * (one if (W[j] is None and y == m) else (zero if W[j] is None else W[j][x[:j] + (y,) + x[j + 1:]]))
            y_full = list(x)
            for j, y in zip(M, ys):
                y_full[j] = y
            out[tuple(y_full)] = out[tuple(y_full)] + w
    return out


@pytest.mark.parametrize("tier", ["float", "exact"])
def test_per_token_step_matches_naive_enumeration(tier):
    m, d = 2, 4
    t = get_tier(tier)
    rng = np.random.default_rng(3)
    if tier == "float":
        P = rng.random((m + 1,) * d)
        W = [rng.random((m + 1,) * d) for _ in range(d)]
    else:
        P = t.array(rng.integers(0, 4, (m + 1,) * d).tolist())
        W = [t.array(rng.integers(0, 5, (m + 1,) * d).tolist()) for _ in range(d)]
    W[2] = None  # position 2 stays masked surely
    fast = per_token_step(P, m, d, t, W)
    ref = _naive_per_token_step(P, m, d, W, t.zero, t.one)
    if tier == "float":
        assert np.max(np.abs(fast - ref)) < 1e-12
    else:
        assert all(a == b for a, b in zip(fast.reshape(-1).tolist(), ref.reshape(-1).tolist()))


class _HalfAncestral(StepRule):
    """A user rule: ancestral with the unmasking probability halved (a mutation)."""

    name = "half_ancestral"

    def weights(self, P, k):
        inner = AncestralRule(self.clock).bind(law=self.law, estimator=self.est, tier=self.t, m=self.m, d=self.d,
                                               taus=self.taus, info=self.info)
        W = inner.weights(P, k)
        t = self.t
        out = []
        for j, w in enumerate(W):
            move = np.take(w, range(self.m), axis=j) / t.scalar(2)
            stay = t.one - move.sum(axis=j, keepdims=True)
            out.append(np.concatenate([move, stay], axis=j))
        return out


def test_run_rule_with_builtin_and_user_rules():
    law = copy_pairs(2, 4)
    ref = ancestral(law, steps=3)
    same = run_rule(law, AncestralRule(LinearClock()), steps=3)
    assert all(a == b for a, b in zip(same.law.flat.tolist(), ref.law.flat.tolist()))
    half = run_rule(law, _HalfAncestral(LinearClock()), steps=3)
    assert half.sampler == "half_ancestral"
    assert half.leftover_mask_mass > 0 and half.law.total() == 1   # the mutation leaves masks: refuted
    with pytest.raises(Exception, match="StepRule"):
        run_rule(law, "euler", steps=3)


def test_per_token_step_threaded_equals_serial(monkeypatch):
    import mdtheory.samplers._masked_core as core

    m, d = 2, 9  # 3^9 entries: the threaded float path
    rng = np.random.default_rng(5)
    P = rng.random((m + 1,) * d)
    W = [rng.random((m + 1,) * d) for _ in range(d)]
    W[4] = None
    threaded = per_token_step(P, m, d, get_tier("float"), W)
    monkeypatch.setattr(core, "STEP_THREADS", 1)
    serial = per_token_step(P, m, d, get_tier("float"), W)
    assert np.max(np.abs(threaded - serial)) < 1e-12
    # every state's mass is redistributed: totals agree with Σ_x P(x)·Π_j Σ_y W_j (checked on the serial path
    # by test_per_token_step_matches_naive_enumeration at small d)
    assert threaded.shape == P.shape and np.max(np.abs(threaded)) > 0


@pytest.mark.parametrize("m, d", [(2, 6), (2, 7), (3, 6)])
def test_tail_gemm_step_equals_block_step(m, d, monkeypatch):
    """The float BLAS path (tail coordinates as a dense matrix per context) against the block code."""
    import mdtheory.samplers._masked_core as core

    rng = np.random.default_rng(m * 10 + d)
    P = rng.random((m + 1,) * d)
    P[rng.random(P.shape) < 0.3] = 0.0  # some empty blocks
    W = [rng.random((m + 1,) * d) for _ in range(d)]
    W[1] = None  # a head position that stays masked surely
    W[d - 2] = None  # and a tail position
    assert core._tail_axes(m, d) >= 1
    gemm = per_token_step(P, m, d, get_tier("float"), W)
    monkeypatch.setattr(core, "TAIL_GEMM", False)
    block = per_token_step(P, m, d, get_tier("float"), W)
    assert np.max(np.abs(gemm - block)) <= 1e-13 * np.max(np.abs(block))
    # a mutation of one tail weight is seen
    W[d - 1] = W[d - 1] * 1.01
    monkeypatch.setattr(core, "TAIL_GEMM", True)
    assert np.max(np.abs(per_token_step(P, m, d, get_tier("float"), W) - block)) > 1e-6
