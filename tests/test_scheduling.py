"""Tests for mdtheory.scheduling: every check compares with an independent computation
(brute force over compositions / orders, subset entropies, direct sampler laws, closed forms
from the notes), never with values copied from the module's own output."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from flint import arb, ctx, fmpq
from hypothesis import given, settings, strategies as st

from mdtheory import distributions as D
from mdtheory.information import InformationError, InformationProfile, information_profile, subset_entropies
from mdtheory.laws import Law
from mdtheory.logsum import LogSum
from mdtheory.logsum import SYMBOLIC
from mdtheory.scheduling import (
    SchedulingError,
    SizeLaw,
    SizeLawError,
    as_composition,
    as_profile,
    best_deterministic_constant,
    best_randomized_schedule,
    block_cost,
    compositions,
    constant_schedule,
    expected_kl,
    expected_kl_forms,
    geometric_schedule,
    optimal_errors,
    optimal_schedule,
    profile_closed_form,
    random_offset_law,
    ratio_schedule,
    sqrt_rule_schedule,
    weights,
    worst_case_constants,
)
from mdtheory.spaces import ProductSpace


# ---------------------------------------------------------------------------------------------
# independent helpers
# ---------------------------------------------------------------------------------------------
def all_compositions(N, K):
    """Compositions of N into K positive parts, written independently of the module."""
    if K == 1:
        yield (N,)
        return
    for first in range(1, N - K + 2):
        for rest in all_compositions(N - first, K - 1):
            yield (first,) + rest


def riemann_cost(g, sizes):
    """Σ_t k_t·g(s_{t-1}) − Σ_i g(i) (left Riemann sum minus the integral), any ring."""
    s, total = 0, 0
    for k in sizes:
        total = total + g[s] * k
        s += k
    for v in g:
        total = total - v
    return total


def ordered_partitions(d, sizes):
    """All ordered set partitions of range(d) with the given block sizes."""
    seen = set()
    for perm in itertools.permutations(range(d)):
        blocks, s = [], 0
        for k in sizes:
            blocks.append(frozenset(perm[s : s + k]))
            s += k
        key = tuple(blocks)
        if key not in seen:
            seen.add(key)
            yield key


def order_averaged_kl_from_entropies(H, d, sizes):
    """Brute-force E_σ Σ_t [Σ_{j∈A_t} H(X_j|X_S) − H(X_{A_t}|X_S)] from subset entropies (bitmask index)."""
    total, count = LogSum.zero(), 0
    for blocks in ordered_partitions(d, sizes):
        S = 0
        terms = []
        for A in blocks:
            for j in A:
                terms.append(H[S | (1 << j)] - H[S])
            Ab = sum(1 << j for j in A)
            terms.append(-(H[S | Ab] - H[S]))
            S |= Ab
        total = total + LogSum.sum(terms)
        count += 1
    return total / count


def direct_kl_float(probs, sizes):
    """E over orders of KL(π‖q_σ), q_σ built from the conditionals π(x_j|x_S) (float, numpy only)."""
    probs = np.asarray(probs, dtype=np.float64)
    d = probs.ndim
    m = probs.shape[0]
    states = list(itertools.product(range(m), repeat=d))

    def marg(x, S):
        if not S:
            return 1.0
        keep = sorted(S)
        arr = probs.sum(axis=tuple(i for i in range(d) if i not in keep)) if len(keep) < d else probs
        return arr[tuple(x[i] for i in keep)]

    kls = []
    for blocks in ordered_partitions(d, sizes):
        kl = 0.0
        for x in states:
            p = probs[x]
            if p == 0:
                continue
            q, S = 1.0, set()
            for A in blocks:
                for j in A:
                    q *= marg(x, S | {j}) / marg(x, S)
                S |= A
            kl += p * math.log(p / q)
        kls.append(kl)
    return float(np.mean(kls))


def exact_law(weights_, m, d):
    return Law(ProductSpace(m, d), weights_, normalize=True)


laws_st = st.sampled_from([(2, 2), (2, 3), (2, 4), (3, 2), (2, 5)]).flatmap(
    lambda md: st.tuples(
        st.just(md),
        st.lists(st.integers(0, 6), min_size=md[0] ** md[1], max_size=md[0] ** md[1]).filter(lambda w: sum(w) > 0),
    )
)


def random_composition(draw, N):
    cuts = draw(st.sets(st.integers(1, N - 1), max_size=N - 1)) if N > 1 else set()
    b = [0] + sorted(cuts) + [N]
    return tuple(b[i + 1] - b[i] for i in range(len(b) - 1))


rational_profiles = st.integers(1, 8).flatmap(
    lambda N: st.lists(st.integers(0, 5), min_size=N, max_size=N).map(
        lambda xs: InformationProfile.from_g([fmpq(v) for v in sorted(xs, reverse=True)])
    )
)


# ---------------------------------------------------------------------------------------------
# the profile formula of the expected KL over orders
# ---------------------------------------------------------------------------------------------
@settings(max_examples=20, deadline=None)
@given(laws_st, st.data())
def test_expected_kl_equals_brute_force_average_over_orders(law_data, data):
    (m, d), w = law_data
    law = exact_law(w, m, d)  # integer weights with zeros: laws with zeros included
    sizes = random_composition(data.draw, d)
    H = subset_entropies(law, logs="symbolic")
    brute = order_averaged_kl_from_entropies(H, d, sizes)
    assert expected_kl(as_profile(law), sizes) == brute
    # random size law: a two-point mixture of compositions
    other = random_composition(data.draw, d)
    if other != sizes:
        mix = {sizes: "1/3", other: "2/3"}
        brute_mix = brute / 3 + order_averaged_kl_from_entropies(H, d, other) * Fraction(2, 3)
        assert expected_kl(as_profile(law), mix) == brute_mix


@pytest.mark.parametrize(
    "law",
    [
        D.dirichlet(2, 5, alpha="1/5", seed=11),
        exact_law([int(v) for v in np.random.default_rng(4).integers(0, 3, size=27)], 3, 3),
        D.linear_code([[1, 1, 0, 1, 0], [0, 1, 1, 0, 1]]),
    ],
    ids=["dirichlet-2^5-zeros", "random-3^3-zeros", "binary-code-5"],
)
def test_expected_kl_brute_force_every_composition(law):
    d = law.space.d
    assert len(law.support()) < law.space.size  # laws with zeros
    H = subset_entropies(law, logs="symbolic")
    prof = as_profile(law)
    for K in range(1, d + 1):
        for sizes in all_compositions(d, K):
            assert expected_kl(prof, sizes) == order_averaged_kl_from_entropies(H, d, sizes)


def test_expected_kl_matches_the_sampler_laws_directly():
    """Independent of entropies: build q_σ from conditionals and average KL(π‖q_σ) in float."""
    for law in (D.dirichlet(2, 4, alpha="1/2", seed=3), D.binary_symmetric_markov(4, "1/5"), D.dirichlet(3, 3, seed=1)):
        probs = np.vectorize(float)(law.probs)
        prof = as_profile(law)
        for sizes in ((2, 2), (1, 3), (law.space.d,), (3, 1) if law.space.d == 4 else (2, 1)):
            if sum(sizes) != law.space.d:
                continue
            assert abs(float(expected_kl(prof, sizes)) - direct_kl_float(probs, sizes)) < 1e-12


@settings(max_examples=25, deadline=None)
@given(rational_profiles, st.data())
def test_five_forms_agree_exactly(p, data):
    sizes = random_composition(data.draw, p.N)
    forms = expected_kl_forms(p, sizes)
    assert len(set(forms.values())) == 1
    assert forms["riemann"] == riemann_cost(p.g, sizes)
    assert sum(block_cost(p, a, b) for a, b in zip(itertools.accumulate((0,) + sizes[:-1]), itertools.accumulate(sizes))) == forms["riemann"]


def test_forms_agree_symbolically_for_a_size_law():
    p = as_profile(D.dirichlet(2, 4, alpha="1/3", seed=5))
    law = SizeLaw.bernoulli(4, ["1/3", "1/2", 1])
    forms = expected_kl_forms(p, law)
    vals = list(forms.values())
    assert all(v == vals[0] for v in vals)


# ---------------------------------------------------------------------------------------------
# the weight vector w
# ---------------------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(st.integers(1, 12), st.data())
def test_w_definition_and_sum_identities(N, data):
    sizes = random_composition(data.draw, N)
    w = weights(sizes)
    # definition: number of later positions in the same block
    block_of = [t for t, k in enumerate(sizes) for _ in range(k)]
    assert w == [sum(1 for j in range(i + 1, N) if block_of[j] == block_of[i]) for i in range(N - 1)]
    assert sum(w) == sum(math.comb(k, 2) for k in sizes)
    assert all(0 <= x <= N - 1 - i for i, x in enumerate(w))  # w_i ≤ N−1−i (ZC B1)


def test_w_extremes():
    assert weights((1,) * 7) == [0] * 6  # random-order autoregressive sampler is exact
    assert weights((7,)) == [6, 5, 4, 3, 2, 1]  # K = 1: E KL = TC
    p = as_profile(D.dirichlet(2, 4, seed=2))
    assert expected_kl(p, (1, 1, 1, 1)) == 0
    assert expected_kl(p, (4,)) == p.total_correlation
    assert p.total_correlation == information_profile(D.dirichlet(2, 4, seed=2), logs="symbolic").total_correlation


def enumerate_markov_law(N, K, kernel):
    """Law on weak compositions by explicit path enumeration (independent of SizeLaw.markov)."""
    out = {}

    def rec(t, a, sizes, p):
        if t == K:
            assert a == N
            out[tuple(sizes)] = out.get(tuple(sizes), 0) + p
            return
        for s, q in kernel(t, a).items():
            if q:
                rec(t + 1, a + s, sizes + [s], p * Fraction(q))

    rec(0, 0, [], Fraction(1))
    return out


def test_w_of_random_size_laws_is_the_average_of_w():
    N = 6
    us = [Fraction(1, 4), Fraction(1, 2), Fraction(1)]

    def kernel(t, a):
        prev = [Fraction(0)] + us[:-1]
        r = N - a
        if prev[t] == 1:
            return {0: 1}
        rho = (us[t] - prev[t]) / (1 - prev[t])
        return {s: math.comb(r, s) * rho**s * (1 - rho) ** (r - s) for s in range(r + 1)}

    comps = enumerate_markov_law(N, 3, kernel)
    assert sum(comps.values()) == 1
    avg = [sum(p * Fraction(str(weights(c)[i])) for c, p in comps.items()) for i in range(N - 1)]
    law = SizeLaw.bernoulli(N, us)
    assert [Fraction(str(x)) for x in law.w] == avg
    assert Fraction(str(law.expected_pairs())) == sum(p * sum(math.comb(k, 2) for k in c) for c, p in comps.items())
    mix = SizeLaw.mixture({c: Fraction(p) for c, p in comps.items()})
    assert mix.w == law.w and mix.blocks == law.blocks


def test_copy_and_parity_closed_forms_through_w():
    """Notes: copy E KL = (E k_1 − 1) log m; parity E KL = log 2 · P(k_K ≥ 2) (LZ X1, ZC B5)."""
    law = SizeLaw.mixture({(3, 2, 1): "1/2", (1, 1, 4): "1/4", (2, 4): "1/4"})
    L = 6
    copy = as_profile(D.copy(3, L))
    par = as_profile(D.parity(L))
    e_k1 = Fraction(1, 2) * 3 + Fraction(1, 4) * 1 + Fraction(1, 4) * 2
    p_last = Fraction(1, 4) + Fraction(1, 4)
    assert expected_kl(copy, law) == LogSum.log(3) * (e_k1 - 1)
    assert expected_kl(par, law) == LogSum.log(2) * p_last
    assert Fraction(str(law.expected_first_size())) == e_k1
    assert Fraction(str(law.probability_last_size_at_least(2))) == p_last


# ---------------------------------------------------------------------------------------------
# refinement monotonicity and the DP
# ---------------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(rational_profiles, st.data())
def test_refinement_never_increases_expected_kl(p, data):
    sizes = random_composition(data.draw, p.N)
    t = data.draw(st.integers(0, len(sizes) - 1))
    if sizes[t] < 2:
        return
    cut = data.draw(st.integers(1, sizes[t] - 1))
    finer = sizes[:t] + (cut, sizes[t] - cut) + sizes[t + 1 :]
    assert expected_kl(p, finer) <= expected_kl(p, sizes)
    assert all(a <= b for a, b in zip(weights(finer), weights(sizes)))


def test_refinement_symbolic_on_a_real_law():
    p = as_profile(D.binary_symmetric_markov(5, "1/7"))
    assert expected_kl(p, (2, 1, 2)) <= expected_kl(p, (3, 2)) <= expected_kl(p, (5,))


def _random_rational_profile(rng, N):
    xs = sorted((int(v) for v in rng.integers(0, 4, size=N)), reverse=True)
    return InformationProfile.from_g([fmpq(v) for v in xs])


def test_dp_equals_brute_force_on_every_small_case():
    rng = np.random.default_rng(0)
    for N in range(1, 9):
        for rep in range(4):
            p = _random_rational_profile(rng, N)
            errs = optimal_errors(p)
            for K in range(1, N + 1):
                brute = min(riemann_cost(p.g, c) for c in all_compositions(N, K))
                r = optimal_schedule(p, K)
                assert r.expected_kl == brute == errs[K - 1]
                assert riemann_cost(p.g, r.sizes) == brute and len(r.sizes) == K and min(r.sizes) >= 1
            assert all(errs[i + 1] <= errs[i] for i in range(N - 1)) and errs[-1] == 0


def test_dp_equals_brute_force_symbolic_laws():
    for law in (D.dirichlet(2, 5, alpha="1/2", seed=7), D.binary_symmetric_markov(6, "1/5"), D.mds_code(5, 5, 3), D.parity(6)):
        p = as_profile(law)
        N = p.N
        errs = optimal_errors(p)
        for K in range(1, N + 1):
            costs = [riemann_cost(p.g, c) for c in all_compositions(N, K)]
            best = costs[0]
            for c in costs[1:]:
                if (c - best).sign() < 0:
                    best = c
            r = optimal_schedule(p, K)
            assert r.expected_kl == best and errs[K - 1] == best
            assert r.kind == "exact"


def test_dp_ball_and_float_domains():
    p = as_profile(D.binary_symmetric_markov(7, "1/9"))
    pb = p.to_tier("certified", prec=96)
    pf = p.to_tier("float")
    for K in (2, 3, 5):
        exact = optimal_schedule(p, K).expected_kl.enclose(200)
        rb = optimal_schedule(pb, K)
        assert rb.optimum.overlaps(exact) and rb.expected_kl.overlaps(exact) and rb.kind == "enclosure"
        assert rb.gap_bound < 1e-20
        rf = optimal_schedule(pf, K)
        assert abs(rf.expected_kl - float(exact.mid())) < 1e-12 and rf.kind == "approximation"


def test_float_dp_equals_brute_force_at_moderate_N():
    p = profile_closed_form("noisy_copy", n=14, eta="1/8", logs="float")
    for K in (2, 3, 4):
        brute = min(riemann_cost(list(p.to_float()["g"]), c) for c in all_compositions(14, K))
        assert abs(optimal_schedule(p, K).expected_kl - brute) < 1e-12


def test_float_hull_dp_equals_dense_dp():
    from mdtheory.scheduling.optimal import _dp_float

    for fam, kw in [("markov", dict(n=300, flip="1/20")), ("noisy_copy", dict(n=200, eta="1/10")),
                    ("mds", dict(q=401, n=300, k=77)), ("parity", dict(n=300))]:
        p = profile_closed_form(fam, logs="float", **kw)
        V1, _ = _dp_float(p, 25, "dense")
        V2, _ = _dp_float(p, 25, "hull")
        assert np.allclose(V1[1:, -1], V2[1:, -1], rtol=0, atol=1e-10)
    big = profile_closed_form("markov", n=1500, flip="1/20", logs="float")
    r = optimal_schedule(big, 12)  # hull path; its schedule's own cost must equal the DP value
    assert abs(r.expected_kl - r.optimum) < 1e-9 and len(r.sizes) == 12 and sum(r.sizes) == 1500


# ---------------------------------------------------------------------------------------------
# closed-form profiles
# ---------------------------------------------------------------------------------------------
CLOSED = [
    ("copy", dict(m=3, n=4), lambda: D.copy(3, 4)),
    ("parity", dict(n=5), lambda: D.parity(5)),
    ("sum_mod", dict(m=3, n=4), lambda: D.sum_mod(3, 4)),
    ("mds", dict(q=5, n=5, k=2), lambda: D.mds_code(5, 5, 2)),
    ("mds", dict(q=3, n=3, k=3), lambda: D.mds_code(3, 3, 3)),
    ("uniform", dict(m=2, n=3), lambda: D.uniform(2, 3)),
    ("product", dict(marginals=[["1/3", "2/3"], ["1/2", "1/2"], [1, 0]]), lambda: D.product([["1/3", "2/3"], ["1/2", "1/2"], [1, 0]])),
    ("markov", dict(n=6, flip="1/5"), lambda: D.binary_symmetric_markov(6, "1/5")),
    ("markov", dict(n=4, flip="0"), lambda: D.binary_symmetric_markov(4, 0)),
    ("markov", dict(n=2, flip="1/3"), lambda: D.binary_symmetric_markov(2, "1/3")),
    ("noisy_copy", dict(n=5, eta="1/5"), lambda: D.mixture([D.product([["4/5", "1/5"]] * 5), D.product([["1/5", "4/5"]] * 5)])),
    (
        "exchangeable",
        dict(n=3, weights=["1/3", "2/3"], thetas=[["1/2", "1/4", "1/4"], [0, "1/3", "2/3"]]),
        lambda: D.mixture([D.product([["1/2", "1/4", "1/4"]] * 3), D.product([[0, "1/3", "2/3"]] * 3)], ["1/3", "2/3"]),
    ),
]


@pytest.mark.parametrize("family,params,law", CLOSED, ids=[f"{c[0]}-{i}" for i, c in enumerate(CLOSED)])
def test_closed_form_profiles_equal_computed_profiles(family, params, law):
    computed = information_profile(law(), logs="symbolic")
    sym = profile_closed_form(family, logs="symbolic", **params)
    assert sym.N == computed.d and all(a == b for a, b in zip(sym.g, computed.g))
    ball = profile_closed_form(family, logs="ball", prec=100, **params)
    assert all(bv.overlaps(v.enclose(120)) for bv, v in zip(ball.g, computed.g))
    flt = profile_closed_form(family, logs="float", **params)
    assert np.allclose(flt.to_float()["g"], [float(v) for v in computed.g], atol=1e-13, rtol=0)


def _hb(p):
    return -(p * arb(p).log()) - ((1 - p) * arb(1 - p).log()) if 0 < p < 1 else arb(0)


def test_markov_tc_dtc_match_the_notes_closed_forms_at_large_L():
    """ZC notes table: TC = (L−1)(log 2 − h(ρ)); DTC = log 2 + (L−1)h(ρ) − 2h(ρ) − (L−2)[2h(ρ) − h(2ρ(1−ρ))]."""
    L, rho = 60, fmpq(1, 10)
    p = profile_closed_form("markov", n=L, flip=rho, logs="ball", prec=160)
    with ctx.workprec(160):
        hr, h2 = _hb(rho), _hb(2 * rho * (1 - rho))
        tc = (arb(2).log() - hr) * (L - 1)
        dtc = arb(2).log() + hr * (L - 1) - 2 * hr - (2 * hr - h2) * (L - 2)
        assert tc.overlaps(p.total_correlation) and dtc.overlaps(p.dual_total_correlation)
        assert abs(float(p.total_correlation - tc)) < 1e-35 and abs(float(p.dual_total_correlation - dtc)) < 1e-35
    pf = profile_closed_form("markov", n=2000, flip="1/10", logs="float")
    assert abs(pf.total_correlation - 1999 * float(arb(2).log() - hr)) < 1e-8
    assert abs(pf.dual_total_correlation - float(arb(2).log() + hr * 1997 - (2 * hr - h2) * 1998)) < 1e-8


def test_noisy_copy_float_and_ball_agree_at_large_n():
    a = profile_closed_form("noisy_copy", n=120, eta="1/10", logs="ball").to_float()["g"]
    b = profile_closed_form("noisy_copy", n=120, eta="1/10", logs="float").to_float()["g"]
    assert np.max(np.abs(a - b)) < 1e-11
    # H(X) = Σ g = H(U, W) − H(U | X) ≤ log 2 + n·h(η) and ≥ n·h(η)
    H = a.sum()
    assert 120 * float(_hb(fmpq(1, 10))) <= H <= math.log(2) + 120 * float(_hb(fmpq(1, 10))) + 1e-12


def test_large_L_expected_kl_copy_parity_mds():
    L = 3000
    law = SizeLaw.mixture({constant_schedule(L, 7): "1/2", geometric_schedule(L, 7): "1/2"})
    c = constant_schedule(L, 7)
    g = geometric_schedule(L, 7)
    mds = profile_closed_form("mds", q=4099, n=L, k=1234, logs="ball")
    # E KL = log q·E[b − k] for the block [a, b) containing rank k−1 (its overshoot)
    over = lambda sizes: next(b for b in itertools.accumulate(sizes) if b >= 1234) - 1234  # noqa: E731
    expect = arb(4099).log() * (fmpq(over(c) + over(g), 2))
    assert expected_kl(mds, law).overlaps(expect)
    par = profile_closed_form("parity", n=L, logs="ball")
    assert expected_kl(par, law).overlaps(arb(2).log() * fmpq(int(c[-1] >= 2) + int(g[-1] >= 2), 2))


# ---------------------------------------------------------------------------------------------
# worst-case constants and the LP
# ---------------------------------------------------------------------------------------------
SCHEDULES_5 = [(2, 3), (3, 2), (1, 1, 3), (2, 2, 1), (5,), {(2, 3): "1/2", (1, 2, 2): "1/2"}]


@pytest.mark.parametrize("sched", SCHEDULES_5, ids=[str(s) for s in SCHEDULES_5])
def test_worst_case_constants_attained_by_mds_codes(sched):
    N, q = 5, 5
    wc = worst_case_constants(sched)
    ratios_tc, ratios_dtc = [], []
    for k in range(1, N):
        prof = as_profile(D.mds_code(q, N, k))  # computed from the code itself
        e = expected_kl(prof, sched)
        tc, dtc = prof.total_correlation, prof.dual_total_correlation
        assert tc == LogSum.log(q) * (N - k) and dtc == LogSum.log(q) * k
        assert e <= tc * wc.tc and e <= dtc * wc.dtc
        ratios_tc.append((e, tc))
        ratios_dtc.append((e, dtc))
    e, tc = ratios_tc[wc.tc_mds_k - 1]
    assert e == tc * wc.tc
    e, dtc = ratios_dtc[wc.dtc_mds_k - 1]
    assert e == dtc * wc.dtc


@settings(max_examples=15, deadline=None)
@given(laws_st, st.data())
def test_worst_case_bounds_hold_for_random_laws(law_data, data):
    (m, d), w = law_data
    if d < 2:
        return
    p = as_profile(exact_law(w, m, d))
    sizes = random_composition(data.draw, d)
    wc = worst_case_constants(sizes)
    e = expected_kl(p, sizes)
    assert e <= p.total_correlation * wc.tc and e <= p.dual_total_correlation * wc.dtc
    assert e <= p.total_correlation  # ZC B1


def test_best_deterministic_constant_equals_brute_force():
    for N in range(2, 9):
        for K in range(1, N + 1):
            for kind in ("tc", "dtc"):
                brute = min(getattr(worst_case_constants(c), kind) for c in all_compositions(N, K))
                val, sizes = best_deterministic_constant(N, K, kind)
                assert val == brute and getattr(worst_case_constants(sizes), kind) == brute


def test_lp_never_worse_than_any_deterministic_schedule():
    for N in range(2, 8):
        for K in range(1, N + 1):
            for kind in ("tc", "dtc"):
                r = best_randomized_schedule(N, K, kind)
                assert r.status == 0 and r.lower <= r.upper
                dets = [getattr(worst_case_constants(c), kind) for c in all_compositions(N, K)]
                assert r.upper <= min(dets) == r.deterministic
                assert getattr(worst_case_constants(r.law), kind) == r.upper
                assert abs(r.constant - float(r.upper)) < 1e-7
                assert all(len(c) == K and min(c) >= 1 for c in r.law.compositions)
                if K == N:
                    assert r.upper == 0


def test_lp_flow_and_composition_forms_agree_and_randomization_helps():
    for kind in ("tc", "dtc"):
        a = best_randomized_schedule(8, 3, kind, method="flow")
        b = best_randomized_schedule(8, 3, kind, method="compositions")
        assert abs(a.constant - b.constant) < 1e-8
        assert a.lower <= b.upper and b.lower <= a.upper
        assert a.upper < a.deterministic  # randomization strictly lowers the worst case here


def test_lp_small_case_by_hand():
    # N = 4, K = 2, DTC: (1,3) has w = (0,2,1), (2,2) has w = (1,0,1); the ½–½ mix has ratios (½, ½, ⅓)
    r = best_randomized_schedule(4, 2, "dtc", method="compositions")
    assert r.proved_optimal and r.upper == fmpq(1, 2)
    assert r.law.compositions == {(1, 3): fmpq(1, 2), (2, 2): fmpq(1, 2)}


# ---------------------------------------------------------------------------------------------
# schedule families
# ---------------------------------------------------------------------------------------------
def test_geometric_schedules_exact_floors():
    for N, K in ((16, 4), (100, 5), (1000, 7), (4096, 12)):
        s = geometric_schedule(N, K, strict=False)
        b = list(itertools.accumulate(s))
        for t in range(1, K):
            assert b[t - 1] == math.floor(N ** (t / K) + 1e-9) or abs(N ** (t / K) - round(N ** (t / K))) < 1e-6
        st_ = geometric_schedule(N, K)
        assert len(st_) == K and min(st_) >= 1 and sum(st_) == N
        masked = geometric_schedule(N, K, side="masked", strict=False)
        bm = list(itertools.accumulate(masked))
        for t in range(1, K):
            assert N - bm[t - 1] == math.floor(N ** ((K - t) / K) + 1e-9) or abs(N ** ((K - t) / K) - round(N ** ((K - t) / K))) < 1e-6
    assert geometric_schedule(10**6, 3) == (100, 9900, 990000)  # perfect cubes are hit exactly


def test_random_offset_law_and_zero_size_steps():
    law = random_offset_law(40, 4, side="revealed", grid=8)
    assert sum(law.compositions.values()) == 1 and all(sum(c) == 40 and len(c) == 4 for c in law.compositions)
    avg = [sum(p * x for c, p in law.compositions.items() for x in [weights(c)[i]]) for i in range(39)]
    assert law.w == avg
    assert weights((0, 2, 0, 1)) == weights((2, 1))


def test_ratio_schedules_meet_their_constants():
    for N in (5, 12, 40):
        for eps in ("1/10", "1/3", "1/2", 1, 2):
            wt = worst_case_constants(ratio_schedule(N, eps, side="tc"))
            wd = worst_case_constants(ratio_schedule(N, eps, side="dtc"))
            assert wt.tc <= fmpq(Fraction(str(eps)).numerator, Fraction(str(eps)).denominator)
            assert wd.dtc <= fmpq(Fraction(str(eps)).numerator, Fraction(str(eps)).denominator)


def test_sqrt_rule_kills_single_drops_and_is_near_optimal_on_smooth_profiles():
    for k in range(1, 8):
        p = profile_closed_form("mds", q=11, n=8, k=k, logs="symbolic")
        for K in (2, 3, 4):
            s = sqrt_rule_schedule(p, K)
            assert len(s) == K and sum(s) == 8 and expected_kl(p, s) == 0
    pm = profile_closed_form("markov", n=400, flip="1/20", logs="float")
    for K in (5, 20):
        opt = optimal_schedule(pm, K).expected_kl
        assert opt <= expected_kl(pm, sqrt_rule_schedule(pm, K)) <= 1.01 * opt
        assert expected_kl(pm, sqrt_rule_schedule(pm, K)) <= expected_kl(pm, constant_schedule(400, K))
    assert sqrt_rule_schedule(InformationProfile.from_g([1, 1, 1, 1, 1]), 2) == constant_schedule(5, 2)


def test_copy_optimum_and_bound_tightness():
    # copy: E KL = (k_1 − 1) log m ⇒ optimum 0 for K ≥ 2; constant schedule attains (N/K − 1) log m
    p = profile_closed_form("copy", m=3, n=12, logs="symbolic")
    assert optimal_errors(p, 4) == [LogSum.log(3) * 11, 0, 0, 0]
    assert expected_kl(p, constant_schedule(12, 4)) == LogSum.log(3) * 2


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------
def test_clear_errors():
    p = InformationProfile.from_g([2, 1, 0])
    with pytest.raises(SizeLawError, match="sum to 2, not N=3"):
        expected_kl(p, (1, 1))
    with pytest.raises(SizeLawError, match="reveals N=4 tokens but the profile has N=3"):
        expected_kl(p, {(2, 2): 1})
    with pytest.raises(SchedulingError, match="cannot reveal N=3"):
        optimal_schedule(p, 4)
    with pytest.raises(InformationError, match="non-increasing"):
        InformationProfile.from_g([0, 1])
    with pytest.raises(SchedulingError, match="unknown family"):
        profile_closed_form("ising", n=3)
    with pytest.raises(SchedulingError, match="missing k"):
        profile_closed_form("mds", q=3, n=3)
    with pytest.raises(SizeLawError, match="still masked"):
        SizeLaw.markov(4, 1, lambda t, a: {2: 1})
    with pytest.raises(SizeLawError, match="sum to 3/4"):
        SizeLaw.mixture({(1, 2): "1/2", (2, 1): "1/4"})
    with pytest.raises(SizeLawError, match="integers"):
        as_composition([1.5, 2])
    with pytest.raises(SizeLawError, match=">= 1"):
        as_composition([0, 2], allow_empty=False)
    with pytest.raises(SizeLawError, match="flow balance"):
        SizeLaw(3, {(0, 2): 1})
    with pytest.raises(SchedulingError, match="choose 'tc' or 'dtc'"):
        best_randomized_schedule(4, 2, "mi")
    with pytest.raises(InformationError, match="cannot convert"):
        profile_closed_form("copy", m=2, n=3, logs="float").to_tier(SYMBOLIC)
    # every error is a MdtheoryError (a ValueError)
    from mdtheory.tiers import MdtheoryError

    assert issubclass(SchedulingError, MdtheoryError) and issubclass(SizeLawError, MdtheoryError)
    assert list(compositions(3, 5)) == []
