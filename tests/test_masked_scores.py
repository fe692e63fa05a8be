"""Masked scores and estimators against independent computations."""

import os
import sys
from fractions import Fraction

import numpy as np
import pytest
from flint import fmpq

from mdtheory import generators
from mdtheory.distributions import parity
from mdtheory.masked_scores import (
    denoising_conditionals,
    exact_estimator,
    from_callable,
    mixing,
    multiplicative_noise,
    rescaled,
    reverse_rates,
)
from mdtheory.propagate import forward
from mdtheory.spaces import MaskedSpace
from mdtheory.tiers import NotExactError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _masked_laws import LAWS, brute_cond  # noqa: E402


@pytest.mark.parametrize("law", LAWS, ids=["copy", "parity", "markov", "dirichlet"])
def test_conditionals_match_brute_force(law):
    m, d = law.space.m, law.space.d
    C = denoising_conditionals(law)
    for x in MaskedSpace(m, d).states():
        for j in range(d):
            if x[j] == m:
                assert C.prob(x, j).tolist() == brute_cond(law, x, j)


@pytest.mark.parametrize("law", LAWS[:3], ids=["copy", "parity", "markov"])
def test_scores_are_ratios_of_forward_marginals(law):
    """s_α(x^{j←a}, x) = q_α(x^{j←a})/q_α(x) (the definition), checked through the forward process."""
    m, d = law.space.m, law.space.d
    alpha = Fraction(2, 5)
    q = forward(law, generators.masking(m, d), alpha=alpha)
    for x in MaskedSpace(m, d).states():
        if q.probs[x] == 0 or m not in x:
            continue
        rates = reverse_rates(law, alpha, x)
        for y, s in rates.items():
            assert s == q.probs[y] / q.probs[x]
        masked = sum(1 for v in x if v == m)
        assert sum(rates.values(), fmpq(0)) == masked * fmpq(2, 3)  # Σ_a s = r(α) per masked token


def test_estimator_models_closed_forms():
    law = parity(3)
    G = exact_estimator(law).tables("exact")
    for j in range(3):
        assert (rescaled(law, 3).tables("exact")[j] == G[j] * 3).all()
        mix = mixing(law, "1/4", reference=[1, 0]).tables("exact")[j]
        ref = np.zeros_like(G[j])
        idx = [slice(None)] * 3
        idx[j] = 0
        ref[tuple(idx)] = 1
        assert (mix == G[j] * fmpq(3, 4) + ref * fmpq(1, 4)).all()
        noisy = multiplicative_noise(law, "1/2", seed=7).tables("exact")[j]
        for a, b in zip(noisy.reshape(-1), G[j].reshape(-1)):
            assert b * fmpq(1, 2) <= a <= b * fmpq(3, 2)
    with pytest.raises(NotExactError):
        multiplicative_noise(law, "1/2", form="exp").tables("exact")
    ex = multiplicative_noise(law, "1/2", form="exp").tables("certified")
    assert all(v >= 0 for v in ex[0].reshape(-1))


def test_from_callable_reproduces_exact_estimator():
    law = LAWS[2]
    m, d = 2, 3
    E = from_callable(lambda x: {j: brute_cond(law, x, j) for j in range(d) if x[j] == m}, m, d)
    G = exact_estimator(law).tables("exact")
    for j in range(d):
        H = E.tables("exact")[j]
        # compare on contexts where x_j's row is defined (every context: the brute force fills uniform too)
        assert (H == G[j]).all()
