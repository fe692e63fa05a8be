"""Data laws and a brute-force conditional shared by the masked-score tests."""

import itertools

from flint import fmpq

from mdtheory.distributions import copy, dirichlet, markov_chain, parity

LAWS = [copy(2, 3), parity(3), markov_chain(["1/3", "2/3"], [["3/4", "1/4"], ["1/5", "4/5"]], 3),
        dirichlet(3, 2, alpha="1/2", seed=3)]


def brute_cond(law, x, j):
    """p(a | x_U) by summing the data array directly (uniform at zero-mass contexts)."""
    m, d = law.space.m, law.space.d
    num = [fmpq(0)] * m
    for y in itertools.product(range(m), repeat=d):
        if all(x[i] == m or x[i] == y[i] for i in range(d) if i != j):
            num[y[j]] += law.probs[y]
    tot = sum(num, fmpq(0))
    return [fmpq(1, m)] * m if tot == 0 else [v / tot for v in num]
