"""Factorized samplers: exactness, chain rule, mixture DP vs enumeration, expected KL over orders, Monte Carlo."""

import itertools
import math
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from flint import fmpq

from mdtheory.distributions import copy, markov_chain, parity
from mdtheory.divergences import kl
from mdtheory.information import conditional_entropy, information_profile
from mdtheory.logsum import LogSum
from mdtheory.samplers import ancestral, expected_kl_over_orders, factorized
from mdtheory.size_laws import SizeLaw, random_offset_law
from mdtheory.schedules import Grid
from mdtheory.tiers import ball_contains, get_tier

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _mc_masked import empirical, random_subset_round, simulate_subsets, tv_bound  # noqa: E402

MARKOV = markov_chain(["1/3", "2/3"], [["3/4", "1/4"], ["1/5", "4/5"]], 4)
LAWS = [copy(2, 3), parity(4), MARKOV]


def _partitions(d, sizes):
    seen = set()
    for perm in itertools.permutations(range(d)):
        blocks, s = [], 0
        for k in sizes:
            blocks.append(tuple(sorted(perm[s : s + k])))
            s += k
        if tuple(blocks) not in seen:
            seen.add(tuple(blocks))
            yield [list(b) for b in blocks]


@pytest.mark.parametrize("law", LAWS, ids=["copy", "parity", "markov"])
def test_all_sizes_one_is_exact(law):
    d = law.space.d
    assert factorized(law, (1,) * d).tv() == 0
    assert factorized(law, (1,) * d, planner="lowest_entropy").tv() == 0  # any non-anticipating planner


def test_fixed_partition_kl_is_sum_of_conditional_total_correlations():
    law = MARKOV
    for part in ([[0, 2], [1, 3]], [[3], [0, 1, 2]], [[1, 2], [0], [3]]):
        q = factorized(law, partition=part, mixture=False)
        chain = LogSum.zero()
        S = []
        for A in part:
            chain = chain + sum((conditional_entropy(law, [i], S, logs="symbolic") for i in A), LogSum.zero())
            chain = chain - conditional_entropy(law, A, S, logs="symbolic")
            S = S + A
        assert kl(law, q.law, embed=True, logs="symbolic") == chain


def test_mixture_dp_equals_average_over_ordered_partitions():
    law = MARKOV
    for sizes in ((2, 2), (1, 3), (2, 1, 1)):
        parts = list(_partitions(4, sizes))
        avg = sum((factorized(law, partition=p, mixture=False).law.probs for p in parts), 0) / len(parts)
        mix = factorized(law, sizes).law.probs
        assert (mix == avg).all()
        # expected KL: DP-free formula vs the average of per-partition KLs; and vs the profile form
        r = expected_kl_over_orders(law, sizes, logs="symbolic")
        direct = LogSum.sum([kl(law, factorized(law, partition=p, mixture=False).law, embed=True, logs="symbolic")
                             for p in parts]) / len(parts)
        assert r.expected_kl == direct
        g = information_profile(law, logs="symbolic").g
        s, prof = 0, LogSum.zero()
        for k in sizes:
            prof = prof + g[s] * k
            s += k
        assert r.expected_kl == prof - information_profile(law, logs="symbolic").entropy
        assert r.mixture_kl == kl(law, factorized(law, sizes).law, embed=True, logs="symbolic")
        assert r.mixture_kl <= r.expected_kl  # convexity


def test_repeated_symbol_and_parity_closed_forms():
    r = expected_kl_over_orders(copy(3, 4), (3, 1), logs="symbolic")
    assert r.expected_kl == LogSum.log(3) * 2 == r.mixture_kl  # (k_1 − 1)·log m, no mixture gain
    r = expected_kl_over_orders(parity(4), (1, 1, 2), logs="symbolic")
    assert r.expected_kl == LogSum.log(2) == r.mixture_kl  # log 2·1{k_K ≥ 2}


def test_bernoulli_sizes_equal_ancestral_sampler():
    u = [Fraction(1, 4), Fraction(2, 3), Fraction(1)]
    law = MARKOV
    f = factorized(law, SizeLaw.bernoulli(None, u)).law.probs
    a = ancestral(law, grid=Grid((0, *u)), T=1).law.probs  # linear clock: α(τ_k) = revealed fraction u_k
    assert (f == a).all()
    r = expected_kl_over_orders(law, SizeLaw.bernoulli(None, u), logs="ball")
    assert r.mixture_kl < r.expected_kl


def _offset_law(d, K, choice):
    return random_offset_law(d, K, side={"tc": "masked", "dtc": "revealed"}[choice], grid=None)


def test_geometric_offset_family_weights():
    comps = _offset_law(8, 2, "tc").components(get_tier("certified"))
    w = {c.sizes: v for v, c in comps}
    assert ball_contains(w[(6, 2)], fmpq(1, 3)) and ball_contains(w[(7, 1)], fmpq(2, 3))
    assert w[(6, 2)].rad() < 1e-50
    for d, K, ch in ((6, 3, "tc"), (6, 3, "dtc"), (9, 2, "dtc")):
        comps = _offset_law(d, K, ch).components(get_tier("certified"))
        assert sum((v for v, _ in comps), 0 * comps[0][0]).contains(1)
        assert all(sum(c.sizes) == d for _, c in comps)
    law = markov_chain(["1/2", "1/2"], [["3/4", "1/4"], ["1/4", "3/4"]], 5)
    res = factorized(law, _offset_law(5, 3, "dtc"), tier="certified")
    assert res.law.total().contains(1)
    with pytest.raises(Exception, match="irrational"):
        factorized(law, _offset_law(5, 3, "dtc"))


@pytest.mark.parametrize("side", ["masked", "revealed"])
def test_continuous_offset_weights_are_the_limit_of_the_grid_law(side):
    # independent path: the exact grid law counts grid midpoints per interval, so it is
    # within 1/grid of the interval lengths (each interval gains or loses at most one midpoint)
    G = 400
    cont = {c.sizes: float(w) for w, c in random_offset_law(9, 3, side=side, grid=None).components(get_tier("float"))}
    grid = {s: float(q) for s, q in random_offset_law(9, 3, side=side, grid=G).compositions.items()}
    assert set(grid) <= set(cont)
    for s, w in cont.items():
        assert abs(grid.get(s, 0.0) - w) <= 1 / G + 1e-12
    # block marginals of the continuous law: a flow of mass 1 out of revealed count 0
    bm = random_offset_law(9, 3, side=side, grid=None).block_marginals(get_tier("certified"))
    assert sum((v for (a, b), v in bm.items() if a == 0), 0 * bm[next(iter(bm))]).contains(1)


def test_one_size_law_serves_sampler_and_optimiser():
    law = copy(2, 4)
    sl = SizeLaw.bernoulli(4, ["1/3", "2/3", 1])
    r = expected_kl_over_orders(law, sl, logs="symbolic", mixture_kl=False)
    # ω(i) = Σ_b P([i, b))·(b − i) from the sampler; the optimiser's w_i from the same block marginals
    blocks = sl.blocks
    assert r.weights == [sum((p * (b - a) for (a, b), p in blocks.items() if a == i), fmpq(0)) for i in range(4)]
    with pytest.raises(Exception, match="must sum to d=3"):
        factorized(copy(2, 3), sl)


def test_monte_carlo_factorized_mixture_and_planner():
    law = MARKOV.to_tier("float")
    n = 20000
    exact = factorized(law, SizeLaw.bernoulli(None, [Fraction(1, 3), Fraction(1)]))
    rounds = [random_subset_round(lambda rng, k: rng.binomial(k, 1 / 3), 2),
              random_subset_round(lambda rng, k: k, 2)]
    X = simulate_subsets(law.probs, 2, 4, n, seed=9, rounds=rounds)
    q = exact.law.to_float()
    bound = tv_bound(q, n)
    assert 0.5 * np.abs(empirical(X, 2, 4) - q).sum() <= bound
    assert exact.tv() > 2 * bound
    # deterministic planner (lowest conditional entropy, ties by index), sizes (2, 2)
    exact = factorized(law, (2, 2), planner="lowest_entropy")
    from _mc_masked import brute_table, cond

    T = brute_table(law.probs, 2, 4)

    def plan_round(rng, X):
        A = np.zeros(X.shape, dtype=bool)
        ent = np.full(X.shape, np.inf)
        for j in range(4):
            g = cond(T, X, j, 2)
            h = -(np.where(g > 0, g * np.log(np.where(g > 0, g, 1)), 0)).sum(1)
            ent[:, j] = np.where(X[:, j] == 2, h, np.inf)
        for i in range(X.shape[0]):
            M = [j for j in range(4) if X[i, j] == 2]
            M.sort(key=lambda j: (ent[i, j], j))
            A[i, M[:2]] = True
        return A

    X = simulate_subsets(law.probs, 2, 4, n, seed=10, rounds=[plan_round, plan_round])
    q = exact.law.to_float()
    assert 0.5 * np.abs(empirical(X, 2, 4) - q).sum() <= tv_bound(q, n)


def test_partition_law_with_known_sources_matches_full_scan():
    """The fixed-partition path visits only the known revealed set per step (``sources``); the full scan over
    all 2^d revealed sets gives the same law, on a law with off-support states (MDS-like parity) and in the
    exact and certified tiers."""
    from mdtheory.masked_scores import exact_estimator
    from mdtheory.samplers._masked_core import initial_array, subset_step

    law = parity(4)
    est = exact_estimator(law)
    for tier in ("exact", "certified"):
        t = get_tier(tier)
        Gn, _ = est.normalized_tables(t)
        for blocks in ([0b0011, 0b0100, 0b1000], [0b1001, 0b0110], [0b0001, 0b1110]):
            with t.active():
                P_full = P_known = initial_array(law, "all_mask", t)
                U = 0
                for A in blocks:
                    P_full = subset_step(P_full, 2, 4, t, Gn, lambda U_, A=A: [(A, None)])
                    P_known = subset_step(P_known, 2, 4, t, Gn, lambda U_, A=A: [(A, None)], sources=(U,))
                    U |= A
            assert [str(x) for x in P_full.reshape(-1)] == [str(x) for x in P_known.reshape(-1)]
    # off-support mass and KL on the exact path agree with a direct count
    q = factorized(law, partition=[[0, 1], [2, 3]], mixture=False)
    assert q.off_support_mass == fmpq(1, 2)
    assert kl(law, q.law, embed=True, logs="symbolic") == LogSum.log(2)
