"""Data-law constructors: exact mass, defining properties checked by enumeration, tiers agree, clear errors."""

import itertools
import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from flint import arb, ctx as flint_ctx, fmpq
from hypothesis import given, strategies as st

from mdtheory import Law, NotExactError, ProductSpace
from mdtheory.distributions import (
    DistributionError,
    binary_symmetric_markov,
    copy,
    copy_pairs,
    dirichlet,
    ising,
    linear_code,
    markov_chain,
    mds_code,
    mixture,
    parity,
    potts,
    product,
    sum_mod,
    uniform,
)


def F(x):
    return Fraction(int(x.p), int(x.q))


def states(m, d):
    return itertools.product(range(m), repeat=d)


def assert_exact_law(law):
    vals = law.probs.reshape(-1)
    assert all(isinstance(v, fmpq) and v >= 0 for v in vals)
    assert sum(vals, fmpq(0)) == 1


ALL = {
    "product": lambda t: product([["1/3", "2/3"], ["1/2", "1/2"], [1, 0]], tier=t),
    "copy": lambda t: copy(3, 3, tier=t),
    "copy_pairs": lambda t: copy_pairs(2, 4, tier=t),
    "parity": lambda t: parity(4, tier=t),
    "sum_mod": lambda t: sum_mod(3, 3, 2, tier=t),
    "markov": lambda t: markov_chain(["1/4", "3/4"], [["1/3", "2/3"], ["1/5", "4/5"]], 4, tier=t),
    "bsm": lambda t: binary_symmetric_markov(5, "1/10", tier=t),
    "mds": lambda t: mds_code(5, 4, 2, tier=t),
    "linear": lambda t: linear_code([[1, 1, 0, 1], [0, 1, 1, 1]], tier=t),
    "dirichlet": lambda t: dirichlet(3, 3, "1/2", seed=4, tier=t),
    "mixture": lambda t: mixture([copy(2, 3, tier=t), parity(3, tier=t)], ["1/3", "2/3"]),
    "ising_w": lambda t: ising(nx.cycle_graph(4), coupling=3, field="1/2", weights=True, tier=t),
    "potts_w": lambda t: potts(nx.path_graph(3), 3, coupling=2, field=[1, 2, 3], weights=True, tier=t),
}


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_constructor_is_an_exact_law_and_tiers_agree(name):
    ex = ALL[name]("exact")
    assert_exact_law(ex)
    fl = ALL[name]("float")
    ce = ALL[name]("certified")
    assert fl.tier.name == "float" and ce.tier.name == "certified"
    assert fl.space == ex.space == ce.space
    exf = np.vectorize(float)(ex.probs)
    assert np.allclose(fl.probs, exf, atol=1e-14, rtol=1e-12)
    with flint_ctx.workprec(300):
        for a, b in zip(ce.probs.reshape(-1), ex.probs.reshape(-1)):
            assert a.contains(arb(b)) or (a.is_exact() and a == arb(b))


def test_product_is_product_of_marginals():
    margs = [[Fraction(1, 3), Fraction(2, 3)], [Fraction(1, 7), Fraction(6, 7)], [Fraction(1, 2), Fraction(1, 2)]]
    p = product(margs)
    for x in states(2, 3):
        assert F(p.prob(x)) == margs[0][x[0]] * margs[1][x[1]] * margs[2][x[2]]


def test_copy_copy_pairs_parity_sum_mod_supports():
    assert {x for x in states(3, 3) if copy(3, 3).prob(x) != 0} == {(a, a, a) for a in range(3)}
    cp = copy_pairs(3, 4)
    for x in states(3, 4):
        assert F(cp.prob(x)) == (Fraction(1, 9) if x[0] == x[1] and x[2] == x[3] else 0)
    for d in (1, 2, 5):
        par, odd = parity(d), parity(d, odd=True)
        for x in states(2, d):
            even = sum(x) % 2 == 0
            assert F(par.prob(x)) == (Fraction(1, 2 ** (d - 1)) if even else 0)
            assert F(odd.prob(x)) == (0 if even else Fraction(1, 2 ** (d - 1)))
    for r in range(4):
        sm = sum_mod(4, 3, r)
        for x in states(4, 3):
            assert F(sm.prob(x)) == (Fraction(1, 16) if sum(x) % 4 == r % 4 else 0)


def test_markov_chain_probabilities_and_flip_law():
    init = [Fraction(1, 4), Fraction(3, 4)]
    P = [[Fraction(1, 3), Fraction(2, 3)], [Fraction(1, 5), Fraction(4, 5)]]
    law = markov_chain(init, P, 4)
    for x in states(2, 4):
        ref = init[x[0]]
        for a, b in zip(x, x[1:]):
            ref *= P[a][b]
        assert F(law.prob(x)) == ref
    # binary symmetric chain: P(X_0 != X_l) = (1 - (1 - 2ε)^l) / 2
    eps = Fraction(1, 10)
    bsm = binary_symmetric_markov(6, eps)
    for ell in range(1, 6):
        mass = sum(F(v) for x, v in zip(states(2, 6), bsm.probs.reshape(-1)) if x[0] != x[ell])
        assert mass == (1 - (1 - 2 * eps) ** ell) / 2


@pytest.mark.parametrize("q,n,k", [(2, 2, 1), (3, 3, 2), (5, 4, 2), (7, 3, 2), (5, 5, 3)])
def test_mds_code_is_linear_and_mds(q, n, k):
    law = mds_code(q, n, k)
    assert_exact_law(law)
    words = [x for x in states(q, n) if law.prob(x) != 0]
    assert len(words) == q**k
    wset = set(words)
    assert all(F(law.prob(w)) == Fraction(1, q**k) for w in words)
    # linear: closed under addition and scalar multiplication mod q
    for a, b in itertools.islice(itertools.product(words, words), 400):
        assert tuple((u + v) % q for u, v in zip(a, b)) in wset
        assert tuple((2 * u) % q for u in a) in wset
    # MDS: minimum distance n - k + 1, so any k coordinates determine the codeword
    dmin = min(sum(u != 0 for u in w) for w in words if any(w))
    assert dmin == n - k + 1
    for K in itertools.combinations(range(n), k):
        assert len({tuple(w[i] for i in K) for w in words}) == q**k


def test_linear_code_hamming_and_rank_deficient():
    G = [[1, 0, 0, 0, 1, 1, 0], [0, 1, 0, 0, 1, 0, 1], [0, 0, 1, 0, 0, 1, 1], [0, 0, 0, 1, 1, 1, 1]]
    law = linear_code(G)
    words = [x for x in states(2, 7) if law.prob(x) != 0]
    assert len(words) == 16 and all(F(law.prob(w)) == Fraction(1, 16) for w in words)
    assert min(sum(w) for w in words if any(w)) == 3
    assert all(tuple((a + b) % 2 for a, b in zip(u, v)) in set(words) for u in words for v in words)
    # a repeated row: still the uniform law on the row space (2 codewords)
    law2 = linear_code([[1, 1, 0], [1, 1, 0]])
    assert {x for x in states(2, 3) if law2.prob(x) != 0} == {(0, 0, 0), (1, 1, 0)}
    assert F(law2.prob((1, 1, 0))) == Fraction(1, 2)


def test_dirichlet_reproducible_rational_with_zeros():
    a = dirichlet(2, 5, "1/10", seed=7)
    b = dirichlet(2, 5, 0.1, seed=7)
    assert a.equals(b) is True
    assert not dirichlet(2, 5, 0.1, seed=8).equals(a)
    assert_exact_law(a)
    assert any(v == 0 for v in a.probs.reshape(-1))  # small alpha: exact zeros
    # same law in every tier: float = exact rounded
    fl = dirichlet(2, 5, 0.1, seed=7, tier="float")
    assert np.array_equal(fl.probs, np.vectorize(float)(a.probs))
    # denominators divide the total count
    den = {int(v.q) for v in a.probs.reshape(-1)}
    assert max(den) <= 2**20 * 2


@given(st.integers(2, 3), st.integers(1, 3), st.integers(0, 10**6))
def test_dirichlet_always_a_law(m, d, seed):
    assert_exact_law(dirichlet(m, d, "1/4", seed=seed))


def test_mixture_weights_and_default():
    p, q = copy(2, 2), parity(2, odd=True)
    mix = mixture([p, q], ["1/4", "3/4"])
    for x in states(2, 2):
        assert mix.prob(x) == p.prob(x) / 4 + q.prob(x) * 3 / 4
    eq = mixture([p, q])
    assert eq.prob((0, 1)) == fmpq(1, 4)
    mixed = mixture([p, q.to_tier("float")], tier="float")
    assert mixed.tier.name == "float"


def test_ising_weights_form_matches_boltzmann_enumeration():
    G = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
    w, lam = Fraction(5, 2), Fraction(1, 3)
    law = ising(G, coupling=w, field=lam, weights=True)
    weights = {}
    for x in states(2, 4):
        val = Fraction(1)
        for u, v in G.edges:
            val *= w if x[u] == x[v] else 1
        for v in G.nodes:
            val *= lam ** x[v]
        weights[x] = val
    Z = sum(weights.values())
    for x in states(2, 4):
        assert F(law.prob(x)) == weights[x] / Z


def test_ising_exp_form_float_and_certified_match_weights():
    G = nx.path_graph(4)
    J, h = 0.3, -0.2
    fl = ising(G, J, h, tier="float")
    # direct Boltzmann formula with spins ±1
    ref = np.zeros((2,) * 4)
    for x in states(2, 4):
        s = [2 * v - 1 for v in x]
        ref[x] = math.exp(sum(J * s[u] * s[v] for u, v in G.edges) + sum(h * si for si in s))
    ref /= ref.sum()
    assert np.allclose(fl.probs, ref, rtol=1e-13)
    viaw = ising(G, math.exp(2 * J), math.exp(2 * h), weights=True, tier="float")
    assert np.allclose(fl.probs, viaw.probs, rtol=1e-12)
    ce = ising(G, "3/10", "-1/5", tier="certified")
    for a, b in zip(ce.probs.reshape(-1), ref.reshape(-1)):
        assert abs(float(a.mid()) - b) < 1e-14 and a.rad() < 1e-30
    # per-edge couplings as a dict
    Jd = {(0, 1): 0.1, (1, 2): 0.2, (2, 3): -0.4}
    fd = ising(G, Jd, tier="float")
    r2 = np.zeros((2,) * 4)
    for x in states(2, 4):
        s = [2 * v - 1 for v in x]
        r2[x] = math.exp(sum(Jd[e] * s[e[0]] * s[e[1]] for e in Jd))
    assert np.allclose(fd.probs, r2 / r2.sum(), rtol=1e-13)


def test_potts_matches_ising_and_enumeration():
    G = nx.cycle_graph(3)
    J, h = 0.25, 0.4
    a = ising(G, J, h, tier="float")
    b = potts(G, 2, 2 * J, [-h, h], tier="float")
    assert np.allclose(a.probs, b.probs, rtol=1e-13)
    law = potts(nx.complete_graph(3), 3, coupling=2, field=[1, 1, Fraction(1, 2)], weights=True)
    lam = [1, 1, Fraction(1, 2)]
    weights = {
        x: Fraction(2) ** sum(x[u] == x[v] for u, v in nx.complete_graph(3).edges) * lam[x[0]] * lam[x[1]] * lam[x[2]]
        for x in states(3, 3)
    }
    Z = sum(weights.values())
    assert all(F(law.prob(x)) == weights[x] / Z for x in states(3, 3))
    # zero coupling and field: uniform, even in the exact tier
    assert potts(G, 3, 0).equals(uniform(3, 3)) is True
    assert ising(G, 0, 0).equals(uniform(2, 3)) is True


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: copy(1, 3), "m >= 2"),
        (lambda: copy(2, 0), "d >= 1"),
        (lambda: copy(2.5, 3), "integer m"),
        (lambda: product([[1, 0], [1, 0, 0]]), "same length"),
        (lambda: product([["1/2", "1/3"]]), "sums to 5/6"),
        (lambda: product([[2, -1]]), "negative"),
        (lambda: markov_chain([1, 0], [[1, 0]], 3), "shape"),
        (lambda: binary_symmetric_markov(3, -0.1), "not a probability"),
        (lambda: mds_code(6, 3, 2), "prime"),
        (lambda: mds_code(5, 6, 2), "n <= q"),
        (lambda: mds_code(5, 3, 4), "k <= n"),
        (lambda: linear_code([[0, 2]]), "0/1"),
        (lambda: dirichlet(2, 3, 0), "alpha > 0"),
        (lambda: mixture([copy(2, 2), copy(2, 2)], [1, 1]), "sums to 2"),
        (lambda: mixture([copy(2, 2), copy(2, 2, tier="float")]), "different tiers"),
        (lambda: copy_pairs(2, 5), "even d"),
        (lambda: ising(nx.path_graph(2), -1, weights=True), "must be > 0"),
        (lambda: ising(nx.DiGraph([(0, 1)])), "undirected"),
        (lambda: potts(nx.path_graph(2), 3, 1, field=[1, 2], weights=True), "expected q=3"),
        (lambda: ising(nx.path_graph(3), {(0, 1): 1}, weights=True), "no value for"),
    ],
)
def test_clear_one_line_errors(call, match):
    with pytest.raises(ValueError, match=match) as info:
        call()
    assert "\n" not in str(info.value)


def test_exact_tier_gibbs_needs_weights_or_certified():
    with pytest.raises(NotExactError, match="tier='certified'"):
        ising(nx.path_graph(3), 1)
    with pytest.raises(NotExactError, match="weights=True"):
        potts(nx.path_graph(3), 3, "1/2")
    assert isinstance(DistributionError("x"), ValueError)
