"""mdtheory.samplers.ancestral_kernels: exact S-M and reversal kernels, chain rule, path KL, G^ent integral."""

import itertools
from fractions import Fraction

import pytest
from flint import fmpq

from mdtheory import Law, ProductSpace
from mdtheory.logsum import LogSum
from mdtheory.samplers.ancestral_kernels import (
    ancestral_discretisation,
    ancestral_discretisation_integral,
    ancestral_kernel,
    ancestral_output_law,
    ancestral_path_kl,
    masked_marginal,
    true_kernel,
)
from mdtheory.samplers.masked import ancestral
from mdtheory.schedules import Grid, LinearClock

LAW = Law(ProductSpace(2, 2), [Fraction(1, 5), Fraction(1, 10), Fraction(3, 10), Fraction(2, 5)])
ALPHAS = [Fraction(0), Fraction(1, 3), Fraction(3, 4), Fraction(1)]


def test_kernels_are_stochastic_and_the_true_kernel_maps_marginals():
    margs = [masked_marginal(LAW, a) for a in ALPHAS]
    for k in range(len(ALPHAS) - 1):
        Kt = true_kernel(2, 2, margs[k], margs[k + 1], ALPHAS[k], ALPHAS[k + 1])
        Kh = ancestral_kernel(LAW, ALPHAS[k], ALPHAS[k + 1])
        for K in (Kt, Kh):
            assert all(sum(row.values(), fmpq(0)) == 1 for row in K.values())
        pushed = {}
        for x, row in Kt.items():
            for y, v in row.items():
                pushed[y] = pushed.get(y, fmpq(0)) + margs[k][x] * v
        assert all(pushed.get(y, fmpq(0)) == v for y, v in margs[k + 1].items())


def test_output_law_is_the_library_ancestral_sampler_and_chain_rule_equals_path_kl():
    res = ancestral(LAW, grid=Grid(tuple(ALPHAS)), T=1, clock=LinearClock())
    q = ancestral_output_law(LAW, ALPHAS)
    for x in itertools.product(range(3), repeat=2):
        assert res.law.probs[x] == q.get(x, fmpq(0))
    disc, parts = ancestral_discretisation(LAW, ALPHAS)
    assert len(parts) == 3 and sum(parts, LogSum.zero()) == disc
    r = ancestral_path_kl(LAW, ALPHAS)
    assert r.path_kl == disc and float(r.final_kl) <= float(disc) and float(disc) > 0


def test_discretisation_integral_identity_and_a_refuted_neighbour():
    lhs, _ = ancestral_discretisation(LAW, ALPHAS)
    integral, tele, info = ancestral_discretisation_integral(LAW, ALPHAS)
    assert lhs == integral
    assert float(lhs) <= float(tele) <= float(info) * float(max(b - a for a, b in zip(ALPHAS, ALPHAS[1:]))) + 1e-15
    # one step less on the grid changes the discretisation (the identity is not a tautology)
    assert ancestral_discretisation(LAW, [Fraction(0), Fraction(1)])[0] != lhs


def test_path_kl_needs_an_all_masked_start():
    with pytest.raises(ValueError, match="all-masked"):
        ancestral_path_kl(LAW, [Fraction(1, 2), Fraction(1)])


def test_output_law_keeps_the_mass_of_off_support_contexts():
    """Two tokens revealed in one step are drawn independently, so the sampler reaches contexts the data law never
    has (here x = (1, 0, ·) under a law on {001, 010}); their rows follow the library's off-support convention
    (uniform) instead of being dropped: mass 1, and the law of samplers.masked.ancestral to the last digit."""
    F = Fraction
    law = Law(ProductSpace(2, 3), [F(0), F(5, 8), F(3, 8), F(0), F(0), F(0), F(0), F(0)])
    alphas = [F(0), F(1, 4), F(1, 2), F(3, 4), F(1)]
    q = ancestral_output_law(law, alphas)
    assert sum(q.values()) == 1
    res = ancestral(law, grid=Grid(tuple(alphas)), T=1, clock=LinearClock())
    assert res.off_support_mass > 0  # the case the old kernel lost (45/1024 in TV)
    for x, p in q.items():
        assert res.law.probs[x] == p, x
