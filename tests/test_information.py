"""Information quantities: identities of the notes, closed forms, independent cross-checks.

Reference values are computed here by independent means (pure-Python enumeration
with Fractions, closed forms written out by hand), never copied from the code's output.
"""

import itertools
import math
from collections import Counter, defaultdict
from fractions import Fraction

import numpy as np
import pytest
from flint import arb, ctx as flint_ctx, fmpq
from hypothesis import given, strategies as st

from mdtheory import Law, ProductSpace, get_tier
from mdtheory.distributions import (
    binary_symmetric_markov,
    copy,
    copy_pairs,
    dirichlet,
    linear_code,
    mds_code,
    parity,
    product,
    sum_mod,
)
from mdtheory.information import (
    conditional,
    conditional_entropy,
    dual_total_correlation,
    entropy,
    information_profile,
    marginal,
    mutual_information,
    mutual_information_sum,
    partial_marginal_table,
    subset_entropies,
    subset_index,
    total_correlation,
)
from mdtheory.logsum import LogSum

L = LogSum.log


# ------------------------------------------------------------------------------------------
# independent references
# ------------------------------------------------------------------------------------------
def as_dict(law):
    """{state: Fraction} by plain enumeration."""
    out = {}
    for x in itertools.product(range(law.space.m), repeat=law.space.d):
        v = law.probs[x]
        out[x] = Fraction(int(v.p), int(v.q))
    return out


def naive_marginal(pd, subset):
    acc = defaultdict(Fraction)
    for x, p in pd.items():
        acc[tuple(x[i] for i in subset)] += p
    return acc


def naive_entropy_logsum(values):
    """-Σ p log p as a LogSum from an iterable of Fractions."""
    counts = Counter(p for p in values if p)
    return LogSum({p: -c * p for p, c in counts.items()})


def H_bin(rho):
    rho = Fraction(rho)
    return naive_entropy_logsum([rho, 1 - rho])


def assert_ball_has(ball, exact: LogSum):
    """The certified ball must contain the exact value (enclosed at much higher precision)."""
    with flint_ctx.workprec(400):
        x = exact.enclose(400)
    assert ball.overlaps(x) and (ball - x).contains(0), (ball, exact)
    assert ball.rad() < 1e-25


@st.composite
def exact_laws(draw, max_states=81, zeros=True):
    m = draw(st.integers(2, 3))
    dmax = 4 if m == 2 else 3
    d = draw(st.integers(1, dmax))
    n = m**d
    lo = 0 if zeros else 1
    w = draw(st.lists(st.integers(lo, 6), min_size=n, max_size=n))
    if sum(w) == 0:
        w[draw(st.integers(0, n - 1))] = 1
    return Law(ProductSpace(m, d), w, normalize=True)


# ------------------------------------------------------------------------------------------
# partial-marginal table and subset entropies against per-subset marginalisation
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "law",
    [parity(3), copy(3, 2), dirichlet(2, 4, "1/3", seed=5), dirichlet(3, 3, 1, seed=2), sum_mod(3, 3, 1)],
    ids=["parity3", "copy3_2", "dir2_4", "dir3_3", "summod"],
)
def test_partial_marginal_table_matches_naive_marginals(law):
    m, d = law.space.m, law.space.d
    pd = as_dict(law)
    T = partial_marginal_table(law)
    assert T.shape == (m + 1,) * d
    for U in itertools.chain.from_iterable(itertools.combinations(range(d), k) for k in range(d + 1)):
        marg = naive_marginal(pd, U)
        for xu in itertools.product(range(m), repeat=len(U)):
            x = [m] * d
            for i, v in zip(U, xu):
                x[i] = v
            assert T[tuple(x)] == fmpq(marg[xu].numerator, marg[xu].denominator), (U, xu)
    # the normalised table is a law on the masked space
    Tn = partial_marginal_table(law, normalized=True)
    assert Tn.total() == 1 and Tn.space.m == m


def test_partial_marginal_table_float_matches_exact():
    law = dirichlet(2, 5, "1/2", seed=9)
    Te = partial_marginal_table(law)
    Tf = partial_marginal_table(law.to_tier("float"))
    assert np.allclose(Tf, np.vectorize(float)(Te), rtol=1e-13, atol=1e-15)


@given(exact_laws())
def test_subset_entropies_symbolic_equal_naive(law):
    d = law.space.d
    pd = as_dict(law)
    H = subset_entropies(law, logs="symbolic")
    Hb = subset_entropies(law)  # ball mode, other code path (arb accumulation)
    for k in range(d + 1):
        for S in itertools.combinations(range(d), k):
            ref = naive_entropy_logsum(list(naive_marginal(pd, S).values())) if S else LogSum.zero()
            assert H[subset_index(S)] == ref
            assert_ball_has(Hb[subset_index(S)], ref)


def test_subset_entropies_float_equal_naive_numpy():
    rng = np.random.default_rng(3)
    d, m = 6, 2
    p = rng.random((m,) * d) * (rng.random((m,) * d) > 0.3)
    p /= p.sum()
    law = Law(ProductSpace(m, d), p, "float")
    H = subset_entropies(law)
    for s in range(1 << d):
        S = [i for i in range(d) if s >> i & 1]
        drop = tuple(i for i in range(d) if i not in S)
        marg = p.sum(axis=drop).reshape(-1) if S else np.array([1.0])
        marg = marg[marg > 0]
        assert H[s] == pytest.approx(-(marg * np.log(marg)).sum(), abs=1e-12)


def test_certified_tier_path_encloses_exact():
    law = dirichlet(3, 3, "1/2", seed=4)
    Hs = subset_entropies(law, logs="symbolic")
    Hc = subset_entropies(law.to_tier("certified", prec=100))
    for s in range(8):
        assert_ball_has(Hc[s], Hs[s])


# ------------------------------------------------------------------------------------------
# the identities of the notes (I2, I3), exactly
# ------------------------------------------------------------------------------------------
def check_identities_symbolic(law):
    d = law.space.d
    m = law.space.m
    prof = information_profile(law, logs="symbolic")
    g, h, f = prof.g, prof.h, prof.f
    H = entropy(law, logs="symbolic")  # directly from the law, not through the table
    assert len(g) == d and len(h) == d + 1
    assert h[0] == 0 and h[d] == H
    assert LogSum.sum(g) == H  # Σ g(i) = H
    for i in range(1, d):
        assert (h[i + 1] - 2 * h[i] + h[i - 1]).sign() <= 0  # h concave
    for i in range(d - 1):
        assert (g[i] - g[i + 1]).sign() >= 0  # g non-increasing
    assert f[0] == 0 and all((f[i + 1] - f[i]).sign() >= 0 for i in range(d - 1))
    assert f[d - 1] <= L(m)
    # g(i) as the mean over (S, j ∉ S) of H(X_{S∪j}) - H(X_S), from independent subset entropies
    pd = as_dict(law)
    Hn = {}
    for k in range(d + 1):
        for S in itertools.combinations(range(d), k):
            Hn[S] = naive_entropy_logsum(list(naive_marginal(pd, S).values())) if S else LogSum.zero()
    for i in range(d):
        terms = [
            Hn[tuple(sorted(S + (j,)))] - Hn[S]
            for S in itertools.combinations(range(d), i)
            for j in range(d)
            if j not in S
        ]
        assert LogSum.sum(terms) / len(terms) == g[i]
    TC, DTC, MI = total_correlation(law, logs="symbolic"), dual_total_correlation(law, logs="symbolic"), mutual_information_sum(law, logs="symbolic")
    assert TC == LogSum.sum(g[0] - gj for gj in g)
    assert DTC == LogSum.sum(gj - g[d - 1] for gj in g)
    assert MI == TC + DTC == (g[0] - g[d - 1]) * d
    assert MI == LogSum.sum(mutual_information(law, [i], [j for j in range(d) if j != i], logs="symbolic") for i in range(d)) if d > 1 else MI == 0
    assert prof.total_correlation == TC and prof.dual_total_correlation == DTC and prof.mutual_information_sum == MI
    assert TC.sign() >= 0 and DTC.sign() >= 0
    return prof


@given(exact_laws())
def test_profile_identities_exact_hypothesis(law):
    check_identities_symbolic(law)


@given(exact_laws(zeros=False))
def test_profile_identities_ball_and_float_agree(law):
    d = law.space.d
    sym = information_profile(law, logs="symbolic")
    ball = information_profile(law, prec=96)
    fl = information_profile(law.to_tier("float"))
    assert ball.kind == "enclosure" and sym.kind == "exact" and fl.kind == "approximation"
    assert ball.tier == get_tier("certified", prec=96) and "certified(prec=96)" in ball.describe() and fl.tier == get_tier("float")
    ff = fl.to_float()
    for i in range(d):
        with flint_ctx.workprec(300):
            assert ball.g[i].contains(sym.g[i].enclose(300))
            assert ball.h[i].contains(sym.h[i].enclose(300))
        assert ff["g"][i] == pytest.approx(float(sym.g[i]), abs=1e-12)
    # float identities
    g = ff["g"]
    assert g.sum() == pytest.approx(entropy(law.to_tier("float")), abs=1e-12)
    assert np.all(np.diff(g) <= 1e-12)
    assert total_correlation(law.to_tier("float")) == pytest.approx(np.sum(g[0] - g), abs=1e-12)
    assert dual_total_correlation(law.to_tier("float")) == pytest.approx(np.sum(g - g[-1]), abs=1e-12)


def test_identities_on_structured_laws():
    for law in [
        dirichlet(2, 4, "1/4", seed=11),
        binary_symmetric_markov(4, "1/5"),
        mds_code(3, 3, 2),
        copy_pairs(2, 4),
        sum_mod(3, 3),
    ]:
        check_identities_symbolic(law)


# ------------------------------------------------------------------------------------------
# closed forms
# ------------------------------------------------------------------------------------------
def test_product_law_closed_form():
    margs = [[Fraction(1, 2), Fraction(1, 2)], [Fraction(1, 3), Fraction(2, 3)], [Fraction(1, 10), Fraction(9, 10)]]
    law = product(margs)
    Hi = [naive_entropy_logsum(v) for v in margs]
    prof = information_profile(law, logs="symbolic")
    for gi in prof.g:  # g constant = mean of the single-coordinate entropies
        assert gi == LogSum.sum(Hi) / 3
    assert prof.total_correlation == 0 and prof.dual_total_correlation == 0
    assert total_correlation(law, logs="symbolic") == 0 and dual_total_correlation(law, logs="symbolic") == 0
    assert entropy(law, logs="symbolic") == LogSum.sum(Hi)
    ball = total_correlation(law)
    assert ball.contains(0) and ball.rad() < 1e-30


@pytest.mark.parametrize("m,d", [(2, 2), (2, 5), (3, 3), (4, 2)])
def test_copy_closed_form(m, d):
    prof = information_profile(copy(m, d), logs="symbolic")
    assert prof.g == [L(m)] + [LogSum.zero()] * (d - 1)
    assert total_correlation(copy(m, d), logs="symbolic") == (d - 1) * L(m)
    assert dual_total_correlation(copy(m, d), logs="symbolic") == L(m)
    assert_ball_has(total_correlation(copy(m, d)), (d - 1) * L(m))
    assert_ball_has(dual_total_correlation(copy(m, d)), L(m))


@pytest.mark.parametrize("m,d", [(2, 2), (2, 5), (3, 3), (5, 2)])
def test_parity_and_sum_mod_closed_form(m, d):
    law = parity(d) if m == 2 else sum_mod(m, d, 1)
    prof = information_profile(law, logs="symbolic")
    assert prof.g == [L(m)] * (d - 1) + [LogSum.zero()]
    assert total_correlation(law, logs="symbolic") == L(m)
    assert dual_total_correlation(law, logs="symbolic") == (d - 1) * L(m)
    assert_ball_has(dual_total_correlation(law), (d - 1) * L(m))
    assert information_profile(law.to_tier("float")).to_float()["g"] == pytest.approx([math.log(m)] * (d - 1) + [0.0])


@pytest.mark.parametrize("q,n,k", [(2, 2, 1), (3, 3, 1), (3, 3, 2), (5, 4, 2), (5, 5, 3), (7, 4, 3)])
def test_mds_closed_form(q, n, k):
    law = mds_code(q, n, k)
    prof = information_profile(law, logs="symbolic")
    assert prof.g == [L(q)] * k + [LogSum.zero()] * (n - k)
    TC, DTC = total_correlation(law, logs="symbolic"), dual_total_correlation(law, logs="symbolic")
    assert TC == (n - k) * L(q) and DTC == k * L(q)
    assert_ball_has(total_correlation(law), (n - k) * L(q))
    assert_ball_has(dual_total_correlation(law), k * L(q))
    assert_ball_has(information_profile(law).dual_total_correlation, k * L(q))


def test_mds_full_rate_is_uniform():
    # k = n: every word is a codeword, the law is uniform (a product): TC = DTC = 0 (the closed forms need k < n)
    law = mds_code(5, 3, 3)
    assert total_correlation(law, logs="symbolic") == 0 and dual_total_correlation(law, logs="symbolic") == 0
    assert information_profile(law, logs="symbolic").g == [L(5)] * 3


@pytest.mark.parametrize("rho", ["1/5", "1/10", "1/3", "1/2"])
@pytest.mark.parametrize("d", [2, 3, 5, 7])
def test_binary_symmetric_markov_closed_form(rho, d):
    r = Fraction(rho)
    law = binary_symmetric_markov(d, rho)
    hr, h2 = H_bin(r), H_bin(2 * r * (1 - r))
    TC = (d - 1) * (L(2) - hr)
    DTC = L(2) + (d - 1) * hr - 2 * hr - (d - 2) * (2 * hr - h2)
    assert entropy(law, logs="symbolic") == L(2) + (d - 1) * hr
    assert total_correlation(law, logs="symbolic") == TC
    assert dual_total_correlation(law, logs="symbolic") == DTC
    prof = information_profile(law)
    assert_ball_has(prof.total_correlation, TC)
    assert_ball_has(prof.dual_total_correlation, DTC)
    # the ℓ-step flip probability gives H(X_0, X_ℓ) = log 2 + h((1 - (1-2ρ)^ℓ)/2)
    for ell in range(1, d):
        pl = (1 - (1 - 2 * r) ** ell) / 2
        assert entropy(marginal(law, [0, ell]), logs="symbolic") == L(2) + H_bin(pl)


def test_hamming_code_and_copy_pairs_closed_forms():
    G = [[1, 0, 0, 0, 1, 1, 0], [0, 1, 0, 0, 1, 0, 1], [0, 0, 1, 0, 0, 1, 1], [0, 0, 0, 1, 1, 1, 1]]
    law = linear_code(G)
    # every coordinate uniform; distance 3 ⇒ each bit is determined by the others
    assert total_correlation(law, logs="symbolic") == 3 * L(2)
    assert dual_total_correlation(law, logs="symbolic") == 4 * L(2)
    for m, d in [(2, 4), (3, 4), (2, 6)]:
        law = copy_pairs(m, d)
        assert total_correlation(law, logs="symbolic") == (d // 2) * L(m)
        assert dual_total_correlation(law, logs="symbolic") == (d // 2) * L(m)


# ------------------------------------------------------------------------------------------
# marginals, conditionals, small quantities
# ------------------------------------------------------------------------------------------
def test_marginal_axis_order_and_values():
    law = dirichlet(3, 3, 1, seed=7)
    pd = as_dict(law)
    m02 = marginal(law, [0, 2])
    m20 = marginal(law, (2, 0))
    ref = naive_marginal(pd, (0, 2))
    for a in range(3):
        for b in range(3):
            assert m02.prob((a, b)) == fmpq(ref[(a, b)].numerator, ref[(a, b)].denominator)
            assert m20.prob((b, a)) == m02.prob((a, b))
    assert m02.total() == 1


def test_mutual_information_and_conditional_entropy():
    law = parity(3)
    assert mutual_information(law, [0], [1], logs="symbolic") == 0
    assert mutual_information(law, [0], [1], [2], logs="symbolic") == L(2)
    assert conditional_entropy(law, [2], [0, 1], logs="symbolic") == 0
    assert conditional_entropy(law, [2], [0], logs="symbolic") == L(2)
    # MDS: any k coordinates determine the rest
    code = mds_code(5, 4, 2)
    for K in itertools.combinations(range(4), 2):
        rest = [i for i in range(4) if i not in K]
        assert conditional_entropy(code, rest, K, logs="symbolic") == 0


@pytest.mark.parametrize("tier", ["exact", "float", "certified"])
def test_conditional_identity_and_off_support(tier):
    w = np.random.default_rng(3).integers(1, 9, size=(2, 2, 2, 2)).astype(object)
    w[1, :, :, 1] = 0  # the context (x_3, x_0) = (1, 1) has probability 0
    w[0, 0, :, 0] = 0  # and some zeros inside the support
    ex = Law(ProductSpace(2, 4), w, normalize=True)
    law = ex.to_tier(tier)
    pd = as_dict(ex)
    S, j = (3, 0), 1
    for conv in ("uniform", "zero", "marginal"):
        c = conditional(law, j, given=S, off_support=conv)
        joint = naive_marginal(pd, S + (j,))
        ctx = naive_marginal(pd, S)
        for xs in itertools.product(range(2), repeat=2):
            row = [c.probs[xs + (a,)] for a in range(2)]
            if ctx[xs] == 0:
                assert c.off_support[xs]
                expect = {"uniform": [0.5, 0.5], "zero": [0.0, 0.0]}.get(
                    conv, [float(sum(v for x, v in pd.items() if x[j] == a)) for a in range(2)]
                )
                assert [float(v.mid()) if tier == "certified" else float(v) for v in row] == pytest.approx(expect)
            else:
                assert not c.off_support[xs]
                for a in range(2):
                    val = Fraction(joint[xs + (a,)]) / ctx[xs]
                    v = row[a]
                    if tier == "exact":
                        assert v == fmpq(val.numerator, val.denominator)
                    elif tier == "certified":
                        with flint_ctx.workprec(400):  # a 53-bit conversion of 1/3 would be too wide
                            assert v.contains(arb(fmpq(val.numerator, val.denominator))) and v.rad() < 1e-30
                    else:
                        assert v == pytest.approx(float(val), abs=1e-12)
    assert c.n_off_support == sum(1 for xs in itertools.product(range(2), repeat=2) if ctx[xs] == 0)
    assert c.n_off_support == 1
    if tier == "float":
        assert not np.isnan(conditional(law, 2).probs).any()
    with pytest.raises(ValueError, match="0/0"):
        conditional(law, j, given=S, off_support="raise")


def test_conditional_all_contexts_matches_given_sets():
    law = dirichlet(3, 3, "1/3", seed=1)
    full = conditional(law, 1)
    assert full.probs.shape == (4, 3, 4)
    for S in [(), (0,), (2,), (0, 2)]:
        c = conditional(law, 1, given=S)
        for xs in itertools.product(range(3), repeat=len(S)):
            idx = [3, slice(None), 3]
            for i, v in zip(S, xs):
                idx[i] = v
            assert list(full.probs[tuple(idx)]) == list(c.probs[xs])


def test_d_equal_one_and_errors():
    law = product([["1/3", "2/3"]])
    prof = information_profile(law, logs="symbolic")
    assert prof.g == [LogSum({Fraction(1, 3): Fraction(-1, 3), Fraction(2, 3): Fraction(-2, 3)})]
    assert prof.total_correlation == 0 and total_correlation(law, logs="symbolic") == 0
    assert dual_total_correlation(law, logs="symbolic") == 0
    with pytest.raises(ValueError, match="logs='symbolic' needs a law in the exact tier"):
        entropy(law.to_tier("float"), logs="symbolic")
    with pytest.raises(ValueError, match="outside"):
        marginal(parity(3), [0, 5])
    with pytest.raises(ValueError, match="repeats"):
        marginal(parity(3), [1, 1])
    masked = Law.uniform(parity(2).to_masked().space)
    with pytest.raises(ValueError, match="masked states"):
        entropy(masked)
    # a masked-space law without mask mass is read as its data law
    assert entropy(parity(3).to_masked(), logs="symbolic") == 2 * L(2)


def test_profile_format_names_tier():
    txt = information_profile(copy(2, 3)).format()
    assert "certified(prec=128)" in txt and txt.count("\n") == 5


def test_certified_ball_around_zero_gives_finite_enclosure():
    # a propagated law may carry a ball [0 ± ε] where the true mass is 0: -p log p must stay a finite ball
    with flint_ctx.workprec(128):
        probs = [arb(fmpq(1, 2)), arb(fmpq(1, 2)), arb(0, fmpq(1, 10**30))]
    law = Law(ProductSpace(3, 1), probs, get_tier("certified"))
    H = entropy(law)
    with flint_ctx.workprec(400):
        assert H.contains(LogSum.log(2).enclose(400))
    assert H.is_finite() and H.rad() < 1e-25


def test_profile_g_equals_mean_conditional_entropy_from_conditional_tables():
    # g(i) = E_{|S|=i, j∉S} Σ_{x_S} P(x_S)·H(p(·|x_S)), through conditional() instead of subset entropies
    law = dirichlet(3, 3, "1/2", seed=6).to_tier("float")
    d = 3
    g = information_profile(law).to_float()["g"]
    for i in range(d):
        vals = []
        for S in itertools.combinations(range(d), i):
            ctx = marginal(law, S).probs if S else np.array(1.0)
            for j in (j for j in range(d) if j not in S):
                c = conditional(law, j, given=S).probs
                rows = c.reshape(-1, 3)
                w = np.ravel(ctx)
                Hrows = [-(r[r > 0] * np.log(r[r > 0])).sum() for r in rows]
                vals.append(float(np.dot(w, Hrows)))
        assert g[i] == pytest.approx(np.mean(vals), abs=1e-12)


def test_profile_from_values_matches_profile_of_the_law_and_converts_down_only():
    from mdtheory.information import InformationError, InformationProfile
    from mdtheory.logsum import SYMBOLIC

    law = copy(3, 4)
    computed = information_profile(law, logs="symbolic")
    given = InformationProfile.from_g(computed.g)
    assert given.tier is SYMBOLIC and given.h == computed.h and given.f == computed.f
    assert given.total_correlation == computed.total_correlation == 3 * computed.g[0]
    assert given.dual_total_correlation == computed.dual_total_correlation
    assert InformationProfile.from_increments(given.delta, last=given.g[-1]).g == given.g
    ball = given.to_tier("certified", prec=80)
    assert all(b.contains(v.enclose(120)) for b, v in zip(ball.g, given.g)) and ball.kind == "enclosure"
    fl = ball.to_tier("float")
    assert fl.to_float()["g"].tolist() == [float(v) for v in given.g]
    with pytest.raises(InformationError, match="cannot convert"):
        fl.to_tier("certified")
    with pytest.raises(InformationError, match="cannot convert"):
        ball.to_tier(SYMBOLIC)
    with pytest.raises(InformationError, match="non-increasing"):
        InformationProfile.from_g([0.0, 0.5])
    # within the float tolerance a float profile is accepted
    assert InformationProfile.from_g([0.5, 0.5 + 1e-12]).N == 2
