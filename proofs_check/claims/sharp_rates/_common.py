"""SR claims (common): part of :mod:`proofs_check.claims.sharp_rates` (see its docstring)."""


from __future__ import annotations

import itertools
import random
from fractions import Fraction

from flint import arb, ctx as flint_ctx, fmpq

from mdtheory import distributions as D
from mdtheory.laws import Law
from mdtheory.masked_scores import (
    exact_estimator,
    mixing,
    multiplicative_noise,
    rescaled,
    unmask_rate,
)
from mdtheory.schedules import ExponentialClock, LinearClock, kappa_grid, uniform_grid, Grid
from mdtheory.spaces import ProductSpace

from ...papers import SEED_PAPERS

PAPER = SEED_PAPERS["sharp_rates"]


# =============================================================================================
# helpers: laws, grids, contexts
# =============================================================================================
def _law(inst, tier="exact") -> Law:
    """The data law of an instance: explicit ``p0`` (strings) or a named constructor (exact)."""
    m, d = int(inst["m"]), int(inst["d"])
    if "p0" in inst:
        return Law(ProductSpace(m, d), inst["p0"], "exact")
    kind = inst.get("law", "dirichlet")
    if kind == "copy_pairs":
        return D.copy_pairs(m, d)
    if kind == "copy":
        return D.copy(m, d)
    if kind == "uniform":
        return D.uniform(m, d)
    if kind == "parity":
        return D.sum_mod(m, d, 0)
    if kind == "point":
        return Law.point(ProductSpace(m, d), (0,) * d)
    if kind == "markov":
        return D.binary_symmetric_markov(d, "1/5") if m == 2 else D.markov_chain(
            [Fraction(1, m)] * m, [[Fraction(1, 2) if a == b else Fraction(1, 2 * (m - 1)) for b in range(m)]
                                   for a in range(m)], d)
    if kind == "dirichlet":
        return D.dirichlet(m, d, alpha=inst.get("conc", 1), seed=int(inst.get("seed", 0)), denominator=2**12)
    raise ValueError(f"unknown law {kind!r} in the instance; use p0=[...] or a known law name")


def _law_strings(law: Law) -> list:
    return [str(x) for x in law.flat]


def _estimator(inst, law: Law):
    """The score estimator of an instance: ``est`` = exact | mixing | mixing-random | noise | rescaled."""
    kind = inst.get("est", "exact")
    eta = inst.get("eta", "0")
    if kind == "exact":
        return exact_estimator(law)
    if kind == "mixing":
        return mixing(law, eta)
    if kind == "mixing-random":
        return mixing(law, eta, reference="random", seed=int(inst.get("est_seed", 0)))
    if kind == "noise":
        return multiplicative_noise(law, eta, seed=int(inst.get("est_seed", 0)))
    if kind == "rescaled":
        return rescaled(law, inst.get("lam", "2"))
    raise ValueError(f"unknown estimator {kind!r}; use exact, mixing, mixing-random, noise or rescaled")


def _grid(inst):
    """``(clock, T, grid)``: exponential clock with the κ·min(1, T−t) grid, or linear clock with a grid."""
    T = Fraction(inst.get("T", 1))
    delta = Fraction(inst.get("delta", 0))
    if inst.get("clock", "linear") == "exponential":
        return ExponentialClock(), T, kappa_grid(T, inst["kappa"], delta)
    if "times" in inst:
        return LinearClock(), T, Grid(tuple(Fraction(x) for x in inst["times"]), "custom")
    return LinearClock(), T, uniform_grid(T - delta, int(inst["N"]))


def _random_linear_times(rng: random.Random, T, delta, N, denom=64):
    end = Fraction(T) - Fraction(delta)
    pts = set()
    while len(pts) < N - 1:
        pts.add(end * Fraction(rng.randint(1, denom - 1), denom))
    return [str(x) for x in [Fraction(0)] + sorted(pts) + [end]]


def _contexts(law: Law, t):
    """``{x: P(X_U = x_U)}`` over masked-space states ``x`` (mask = m), computed by direct sums."""
    m, d = law.space.m, law.space.d
    tab: dict = {}
    for y, pv in law.items():
        if pv == 0:
            continue
        pv = t.scalar(pv)
        for U in range(1 << d):
            x = tuple(y[i] if U >> i & 1 else m for i in range(d))
            tab[x] = tab.get(x, t.zero) + pv
    return tab


def _q_alpha(tab, x, alpha, t, m):
    """Closed form ``q_α(x) = P(X_U = x_U)·α^{|U|}(1−α)^{|M|}`` (0 off the support)."""
    if x not in tab:
        return t.zero
    u = sum(1 for v in x if v != m)
    return tab[x] * alpha**u * (t.one - alpha) ** (len(x) - u)


def _extensions(x, m):
    """All ``(y, R)`` with ``y`` agreeing with ``x`` on ``U`` and ``R`` the newly revealed positions."""
    M = [j for j, v in enumerate(x) if v == m]
    for vals in itertools.product(range(m + 1), repeat=len(M)):
        y = list(x)
        R = []
        for j, v in zip(M, vals):
            y[j] = v
            if v != m:
                R.append(j)
        yield tuple(y), R


def _fmt(t, x):
    return t.format(t.scalar(x))


def euler_unmask_probs(clock, T, grid, tier):
    """Per-step Euler unmasking probabilities with exact scores ``c_k = h_k·β(τ_k)·r(α(τ_k))``."""
    taus = [Fraction(T) - x for x in grid.times]
    with tier.active():
        return [tier.scalar(taus[k] - taus[k + 1]) * unmask_rate(clock, taus[k], tier) for k in range(grid.N)]


def copy_pairs_closed_form(c, m, d, tier):
    """SR-T2a: ``1 − ((Σp_k)² − (1−1/m)Σp_k²)^{d/2}`` with ``p_k = c_k ∏_{j<k}(1 − c_j)``."""
    t = tier
    with t.active():
        ps, keep = [], t.one
        for ck in c:
            ps.append(ck * keep)
            keep = keep * (t.one - ck)
        s = sum(ps, t.zero)
        s2 = sum((p * p for p in ps), t.zero)
        right = s * s - (t.one - t.one / m) * s2
        return t.one - right ** (d // 2), ps


def copy_pairs_uniform_bound(N, m, d, tier):
    """SR-T2b: ``1 − (1 − (1−1/m)/N)^{d/2}``, the smallest copy-pairs TV over all N-step grids."""
    t = tier
    with t.active():
        return t.one - (t.one - (t.one - t.one / m) / N) ** (d // 2)


def minimal_steps_linear(m, d, eps, prec=256):
    """SR-T2c: ``⌈(1−1/m)/(1 − (1−ε)^{2/d})⌉`` as an exact integer (certified root, exact tie test)."""
    c = Fraction(m - 1, m)
    eps = Fraction(eps)
    with flint_ctx.workprec(prec):
        root = arb(fmpq((1 - eps).numerator, (1 - eps).denominator)) ** (arb(2) / d)
        x = arb(fmpq(c.numerator, c.denominator)) / (1 - root)
        lo, hi = int(x.lower().floor().unique_fmpz()), int(x.upper().floor().unique_fmpz())
    if lo == hi and not x.contains(lo):
        return lo + 1
    for n in range(max(lo, 1), hi + 2):  # the ball may touch an integer: decide x <= n exactly
        # x <= n  <=>  (1−ε)^{2/d} <= 1 − c/n  <=>  (1−ε)^2 <= (1 − c/n)^d
        if 1 - c / n >= 0 and (1 - eps) ** 2 <= (1 - c / n) ** d:
            return n
    raise ArithmeticError("could not decide the ceiling; raise prec")


