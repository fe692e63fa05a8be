"""Independent seeded Monte Carlo simulators of the masked samplers (tests only).

They share no code with :mod:`mdtheory.samplers`: conditionals come from a brute-force
partial-marginal table built here by explicit marginalisation, and every sampler is
simulated trajectory by trajectory (vectorised over samples).

Statistical tolerance: for ``n`` i.i.d. samples from a law ``q`` on ``K`` states the
empirical TV satisfies ``E TV ≤ ½ Σ_x sqrt(q(x)/n)``, and TV changes by at most ``1/n``
per sample, so by McDiarmid ``P(TV ≥ E TV + ε) ≤ exp(−2nε²)``.  :func:`tv_bound` returns
``½ Σ sqrt(q/n) + sqrt(ln(1/δ)/(2n))`` with ``δ = 1e−9``: a correct exact law passes
except with probability ``1e−9``.
"""

from __future__ import annotations

import itertools
import math

import numpy as np


def brute_table(probs: np.ndarray, m: int, d: int) -> np.ndarray:
    """``T[x] = P(X_U = x_U)`` on ``{0..m}^d`` by explicit marginalisation over every subset."""
    T = np.zeros((m + 1,) * d)
    for U in itertools.product([0, 1], repeat=d):
        drop = tuple(i for i in range(d) if not U[i])
        marg = probs.sum(axis=drop) if drop else probs
        idx = tuple(slice(0, m) if U[i] else m for i in range(d))
        T[idx] = marg
    return T


def cond(T: np.ndarray, X: np.ndarray, j: int, m: int) -> np.ndarray:
    """``p(a | x_U)`` for each row of ``X`` (shape ``(n, m)``), uniform where the context has mass 0."""
    ctx = X.copy()
    ctx[:, j] = m
    den = T[tuple(ctx.T)]
    num = np.empty((X.shape[0], m))
    for a in range(m):
        c2 = ctx.copy()
        c2[:, j] = a
        num[:, a] = T[tuple(c2.T)]
    out = np.full_like(num, 1.0 / m)
    ok = den > 0
    out[ok] = num[ok] / den[ok, None]
    return out


def draw(rng, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row (rows sum to 1)."""
    u = rng.random(probs.shape[0])
    c = np.cumsum(probs, axis=1)
    c[:, -1] = 1.0
    return (u[:, None] > c).sum(axis=1)


def empirical(X: np.ndarray, m: int, d: int) -> np.ndarray:
    out = np.zeros((m + 1,) * d)
    np.add.at(out, tuple(X.T), 1.0)
    return out / X.shape[0]


def tv_bound(q: np.ndarray, n: int, delta: float = 1e-9) -> float:
    return 0.5 * float(np.sqrt(np.clip(q, 0, None) / n).sum()) + math.sqrt(math.log(1 / delta) / (2 * n))


def simulate_per_token(law_probs, m, d, n, seed, step_probs):
    """Grid samplers: ``step_probs(k, g) -> (move (n, m), stay (n,))`` from conditionals ``g``; the
    steps run in order, each token independently, contexts frozen at the step start."""
    rng = np.random.default_rng(seed)
    T = brute_table(law_probs, m, d)
    X = np.full((n, d), m, dtype=np.int64)
    k = 0
    while True:
        res = step_probs(k, None)
        if res is None:
            break
        X0 = X.copy()
        for j in range(d):
            masked = X0[:, j] == m
            g = cond(T, X0, j, m)
            move, stay = step_probs(k, g)
            P = np.concatenate([move, stay[:, None]], axis=1)
            y = draw(rng, P)
            X[masked, j] = y[masked]
        k += 1
    return X


def simulate_exact_reverse(law_probs, m, d, n, seed, ps):
    """Exact reverse kernel: Bernoulli(p_k) reveal set, joint values from the data law given x_U."""
    rng = np.random.default_rng(seed)
    flat = law_probs.reshape(-1)
    states = np.array(list(itertools.product(range(m), repeat=d)))
    X = np.full((n, d), m, dtype=np.int64)
    for p in ps:
        R = (rng.random((n, d)) < p) & (X == m)
        for i in range(n):
            if not R[i].any():
                continue
            U = X[i] != m
            compat = np.all(states[:, U] == X[i, U], axis=1)
            w = flat * compat
            x0 = states[rng.choice(len(states), p=w / w.sum())]
            X[i, R[i]] = x0[R[i]]
    return X


def simulate_subsets(law_probs, m, d, n, seed, rounds):
    """Factorised subset sampler: ``rounds`` is a list of functions ``(rng, X) -> bool mask (n, d)`` of
    the positions revealed in that round; values independent from the one-token conditionals."""
    rng = np.random.default_rng(seed)
    T = brute_table(law_probs, m, d)
    X = np.full((n, d), m, dtype=np.int64)
    for choose in rounds:
        A = choose(rng, X)
        X0 = X.copy()
        for j in range(d):
            sel = A[:, j] & (X0[:, j] == m)
            if not sel.any():
                continue
            g = cond(T, X0, j, m)
            y = draw(rng, g)
            X[sel, j] = y[sel]
    return X


def random_subset_round(k_of_row, m):
    """A round revealing a uniform ``k``-subset of the masked positions (``k_of_row(rng, n_masked)``)."""

    def choose(rng, X):
        n, d = X.shape
        A = np.zeros((n, d), dtype=bool)
        for i in range(n):
            M = np.flatnonzero(X[i] == m)
            k = k_of_row(rng, len(M))
            if k:
                A[i, rng.choice(M, size=k, replace=False)] = True
        return A

    return choose
