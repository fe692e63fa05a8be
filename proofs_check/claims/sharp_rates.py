"""Sharp Convergence Rates for Masked Diffusion Models (Liang, Tan, Shroff, Liang; arXiv 2602.22505).

One claim per line of the "Claims to encode" checklist of
``../shared/papers/sharp_rates_2602.22505.md`` (IDs ``SR-…``, provenance as listed there).
**Only the abstract of the paper was read**: a statement tagged ``[abstract]`` paraphrases
what the abstract asserts; ``[reconstructed]`` is our guess at a theorem's form (its
constants, exponents and log factors are parameters); ``[derived]`` is an identity or
inequality derived independently and checked exactly — not claimed to be in the paper.

Tiers.  Masked-process quantities are rational in ``α`` (the probability that a token is
still unmasked), so identities are *proved exactly* by parametrising with rational ``α``
(``α = e^{−τ}`` for the exponential clock — the identities are polynomial in ``α`` and
hold for every clock) or on the linear clock ``α = 1 − t`` with rational grids.  Strict
inequalities on the exponential clock (``κ·min(1, T−t)`` grid) are proved with certified
``arb`` balls.  Rate claims only *fit* exponents (``consistent``/``inconsistent``); one
reconstructed claim (SR-D2) needs a numerical time integral and runs in the float tier
(``holds-approx``, never ``proved``).

>>> [c.id for c in CLAIMS][:4]
['SR-L1', 'SR-L2', 'SR-L3', 'SR-L4']
>>> len(CLAIMS)
33
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import numpy as np
from flint import arb, ctx as flint_ctx, fmpq, fmpq_mat

from mdtheory import distributions as D
from mdtheory.divergences import tv as total_variation
from mdtheory.generators import masking
from mdtheory.laws import Law
from mdtheory.masked_score_errors import fhs_score_error, l1_score_error_grid, score_entropy_error_grid
from mdtheory.masked_scores import (
    exact_estimator,
    from_callable,
    from_tables,
    mixing,
    multiplicative_noise,
    rescaled,
    unmask_rate,
)
from mdtheory.propagate import forward, forward_dense
from mdtheory.samplers import ancestral, euler, exact_reverse, fhs
from mdtheory.samplers.fhs_time import fhs_time
from mdtheory.schedules import ExponentialClock, LinearClock, kappa_grid, uniform_grid, Grid
from mdtheory.spaces import MaskedSpace, ProductSpace
from mdtheory.tiers import get_tier

from ..claim import Claim, Comparison, Control, Family, Param, Scope, Series, Sharp
from ..papers import SEED_PAPERS

PAPER = SEED_PAPERS["sharp_rates"]

__all__ = ["PAPER", "CLAIMS", "search_euler_bound", "minimal_kappa_grid_steps", "copy_pairs_closed_form", "copy_pairs_uniform_bound", "euler_unmask_probs",
           "decomposition_terms", "minimal_steps_linear"]


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


# =============================================================================================
# SR-L1 … SR-L6: forward law, scores, initialisation, early stopping, one-step kernel
# =============================================================================================
_ALPHAS = ["1/7", "1/3", "3/4"]
_ALPHA_NODES = ["1/7", "1/3", "3/4", "1/2", "2/5", "5/6", "1/11", "8/9"]


def _lemma_instances(size, params):
    grid = {"small": [(2, 2, "dirichlet"), (3, 2, "dirichlet"), (2, 3, "copy"), (2, 3, "dirichlet"),
                      (3, 3, "dirichlet"), (2, 4, "copy_pairs")],
            "medium": [(2, 2, "dirichlet"), (3, 3, "dirichlet"), (2, 4, "dirichlet"), (3, 4, "copy_pairs"),
                       (2, 5, "markov")],
            "large": [(3, 4, "dirichlet"), (2, 6, "dirichlet"), (4, 3, "dirichlet")]}[size]
    # one α per instance; d + 2 distinct α per law: SR-L1 is polynomial of degree d in α, SR-L2 of degree d + 1
    # once multiplied by q_α(x)(1 − α) (non-zero for 0 < α < 1)
    return [{"name": f"m={m},d={d},{k},alpha={a}", "m": m, "d": d, "law": k, "seed": 7 * m + d, "alpha": a}
            for m, d, k in grid for a in _ALPHA_NODES[: d + 2]]


def _check_l1(inst, params, t):
    law = _law(inst)
    m, d = law.space.m, law.space.d
    tab = _contexts(law, t)
    out = []
    for a in [inst["alpha"]]:
        alpha = t.scalar(a)
        q = forward_dense(law, masking(m, d), alpha=a, tier=t)  # Sylvester formula on the full generator
        for x in q.space.states():
            out.append(Comparison(q.probs[x], _q_alpha(tab, x, alpha, t, m), "==", f"alpha={a}, x={x}",
                                  {"states": q.space.size}))
    return out


def _check_l2(inst, params, t):
    law = _law(inst)
    m, d = law.space.m, law.space.d
    tab = _contexts(law, t)
    out = []
    for a in [inst["alpha"]]:
        alpha = t.scalar(a)
        r = alpha / (t.one - alpha)
        q = forward(law, masking(m, d), alpha=a, tier=t)  # mode products (not the closed form)
        for x in q.space.states():
            if q.probs[x] == 0:
                continue
            for j in (j for j in range(d) if x[j] == m):
                tot = t.zero
                for v in range(m):
                    y = x[:j] + (v,) + x[j + 1:]
                    s = q.probs[y] / q.probs[x]
                    tot = tot + s
                    cond = tab.get(y, t.zero) / tab[x]
                    out.append(Comparison(s, r * cond, "==", f"alpha={a}, s(x^(j<-a),x) x={x} j={j} a={v}"))
                out.append(Comparison(tot, r, "==", f"alpha={a}, sum_a s at x={x} j={j}"))
    return out


def _init_instances(size, params, times=("1/2", "3", "8")):
    ds = {"small": [1, 2, 3, 5], "medium": [1, 2, 4, 6], "large": [2, 6, 8]}[size]
    out = []
    for d in ds:
        m = 2 if d > 3 else 3
        out += [{"name": f"m={m},d={d},alpha={a}", "m": m, "d": d, "law": "dirichlet", "seed": d, "alpha": a}
                for a in ("1/10", "1/2", "9/10", "63/64", "1023/1024")]
        if d >= 2:
            out += [{"name": f"m={m},d={d},time={T}", "m": m, "d": d, "law": "dirichlet", "seed": d, "time": T}
                    for T in times]  # T for SR-L3, δ for SR-L4 (certified)
    return out


def _l4_instances(size, params):
    """Small early stops δ ∈ {1/64, 1/1024} (where TV ≈ dδ and the bound is nearly attained), not δ ∈ {3, 8}."""
    return _init_instances(size, params, times=("1/64", "1/1024"))


def _check_l3(inst, params, t):
    law = _law(inst)
    m, d = law.space.m, law.space.d
    S = MaskedSpace(m, d)
    dirac = Law.point(S, S.all_masked(), t)
    if "alpha" in inst:  # α = e^{−T} rational: the identity is polynomial in α
        a = t.scalar(inst["alpha"])
        q = forward(law, masking(m, d), alpha=inst["alpha"], tier=t)
        tv = total_variation(q.probs, dirac.probs, tier=t)
        return [Comparison(tv, t.one - (t.one - a) ** d, "==", "TV(q_T, mask) = 1 − (1−α)^d"),
                Comparison(tv, d * a, "<=", "TV(q_T, mask) <= d·α")]
    q = forward(law, masking(m, d), tau=inst["time"], tier=t)  # certified: α = e^{−T}
    tv = total_variation(q.probs, dirac.probs, tier=t)
    return [Comparison(tv, d * t.exp(-t.scalar(inst["time"])), "<=", "TV(q_T, mask) <= d·e^{−T} (strict for d >= 2)")]


def _check_l4(inst, params, t):
    law = _law(inst)
    m, d = law.space.m, law.space.d
    emb = law.to_masked().to_tier(t)
    if "alpha" in inst:  # α = e^{−δ}
        a = t.scalar(inst["alpha"])
        q = forward(law, masking(m, d), alpha=inst["alpha"], tier=t)
        tv = total_variation(q.probs, emb.probs, tier=t)
        return [Comparison(tv, t.one - a**d, "==", "TV(q_delta, q_0) = 1 − α^d"),
                Comparison(tv, d * (t.one - a), "<=", "TV(q_delta, q_0) <= d(1−α) (<= dδ since 1−e^{−δ} <= δ)")]
    delta = t.scalar(inst["time"])  # the instance's time read as the early stop δ
    q = forward(law, masking(m, d), tau=inst["time"], tier=t)
    return [Comparison(total_variation(q.probs, emb.probs, tier=t), d * delta, "<=", "TV(q_delta, q_0) <= d·δ (strict for δ > 0)")]


def _kernel_instances(size, params):
    grid = {"small": [(2, 2, "dirichlet"), (3, 2, "copy"), (2, 3, "dirichlet")],
            "medium": [(2, 2, "dirichlet"), (2, 3, "parity"), (3, 3, "dirichlet")],
            "large": [(3, 3, "dirichlet"), (2, 4, "dirichlet")]}[size]
    # one p per instance, d + 1 distinct p per law: the kernel entries are polynomials of degree ≤ d in p
    ps = ["1/5", "1/2", "9/10", "1/3", "3/4", "1/7"]
    return [{"name": f"m={m},d={d},{k},p={p}", "m": m, "d": d, "law": k, "seed": m + 5 * d, "alpha": "1/4",
             "p": p} for m, d, k in grid for p in ps[: d + 1]]


def _check_l5(inst, params, t, joint=True):
    """Exact kernel vs exp(Λ·L), L the (time-free) reverse generator, e^{−Λ} = 1 − p (Sylvester).

    ``joint=False`` (a control) draws the revealed values independently per token instead."""
    if t.name != "exact":
        raise ValueError("SR-L5 is an exact-tier check (p rational); run it with --tier exact")
    law = _law(inst)
    m, d = law.space.m, law.space.d
    tab = _contexts(law, t)
    states = sorted(tab)  # on-support masked states: closed under the reverse dynamics
    idx = {x: i for i, x in enumerate(states)}
    n = len(states)
    L = [[fmpq(0)] * n for _ in range(n)]
    for x in states:
        M = [j for j in range(d) if x[j] == m]
        L[idx[x]][idx[x]] = fmpq(-len(M))
        for j in M:
            for a in range(m):
                y = x[:j] + (a,) + x[j + 1:]
                if y in tab:
                    L[idx[x]][idx[y]] += tab[y] / tab[x]  # rate r(τ)·q_0(a | x_U), r(τ) factored out
    Lm = fmpq_mat(n, n, [v for row in L for v in row])
    I = fmpq_mat(n, n, [fmpq(1) if i == j else fmpq(0) for i in range(n) for j in range(n)])
    shifted = [Lm + I * k for k in range(d + 1)]
    prod = shifted[0]
    for S_ in shifted[1:]:
        prod = prod * S_
    out = [Comparison(sum((abs(v) for v in prod.entries()), fmpq(0)), 0, "==",
                      "minimal polynomial: prod_k (L + kI) = 0 (L diagonalisable, spectrum {0,−1,…,−d})",
                      {"states": n})]
    proj = []
    for k in range(d + 1):
        P = I
        for j in range(d + 1):
            if j != k:
                P = P * shifted[j] * fmpq(1, j - k)
        proj.append(P)
    alpha = t.scalar(inst["alpha"])
    q = [_q_alpha(tab, x, alpha, t, m) for x in states]
    for ps in [inst["p"]]:
        p = t.scalar(ps)
        rho = t.one - p
        E = proj[0]
        for k in range(1, d + 1):
            E = E + proj[k] * rho**k
        Ev = E.entries()
        worst = fmpq(0)
        for x in states:
            M = [j for j in range(d) if x[j] == m]
            for y, R in _extensions(x, m):
                if y not in tab:
                    continue
                if joint:
                    cond = tab[y] / tab[x]
                else:
                    cond = t.one
                    for j in R:
                        cond = cond * tab.get(x[:j] + (y[j],) + x[j + 1:], t.zero) / tab[x]
                kex = p ** len(R) * rho ** (len(M) - len(R)) * cond
                worst = max(worst, abs(Ev[idx[x] * n + idx[y]] - kex))
        out.append(Comparison(worst, 0, "==", f"p={ps}: max |exp(ΛL)(x,y) − p^|R|(1−p)^|M∖R| q0(y_R|x_U)|"))
        # reverse-time marginals: q_α · K = q_{α'}, α' = α + p(1 − α)
        a2 = alpha + p * (t.one - alpha)
        moved = [sum((q[i] * Ev[i * n + k] for i in range(n)), t.zero) for k in range(n)]
        dev = sum((abs(moved[k] - _q_alpha(tab, states[k], a2, t, m)) for k in range(n)), t.zero)
        out.append(Comparison(dev, 0, "==", f"p={ps}: q_alpha K = q_alpha' (alpha={inst['alpha']})"))
    return out


def _l6_instances(size, params):
    ex = [{"name": f"exact alpha={a},alpha'={b}", "alpha": a, "alpha_next": b}
          for a, b in (("1/10", "1/5"), ("1/3", "1/2"), ("9/10", "19/20"), ("1/1000", "1/2"))]
    ce = [{"name": f"kappa-grid T={T},kappa={k},delta={dl}", "T": T, "kappa": k, "delta": dl}
          for T, k, dl in (("3", "1/4", "1/16"), ("2", "1", "1/8"))]
    if size != "small":
        ce.append({"name": "kappa-grid T=5,kappa=1/16,delta=1/64", "T": "5", "kappa": "1/16", "delta": "1/64"})
    return ex + ce


def _check_l6(inst, params, t):
    if "alpha" in inst:  # α = e^{−τ}, α' = e^{−(τ−h)}: e^τ = 1/α, e^h = α'/α (exact, polynomial identity)
        a, a2 = t.scalar(inst["alpha"]), t.scalar(inst["alpha_next"])
        # p from the forward engine: P(unmasked at τ−h | masked at τ) = (P_{α'}(kept) − P_α(kept)) / P_α(masked)
        one_token = Law.point(ProductSpace(2, 1), (0,), t)
        fa = forward(one_token, masking(2, 1), alpha=inst["alpha"], tier=t).probs
        fb = forward(one_token, masking(2, 1), alpha=inst["alpha_next"], tier=t).probs
        p = (fb[(0,)] - fa[(0,)]) / fa[(2,)]
        eh, etau = a2 / a, t.one / a
        return [Comparison(p, (eh - t.one) / (etau - t.one), "==", "p = (e^h − 1)/(e^τ − 1)"),
                Comparison(p * (etau - t.one) - (eh - t.one), 0, "==", "p(e^τ − 1) − (e^h − 1) = 0")]
    clock, T, g = ExponentialClock(), Fraction(inst["T"]), kappa_grid(inst["T"], inst["kappa"], inst["delta"])
    taus = [T - x for x in g.times]
    out, tot = [], t.zero
    for k in range(g.N):
        h = t.scalar(taus[k] - taus[k + 1])
        a, a2 = clock.alpha(taus[k], t), clock.alpha(taus[k + 1], t)
        p = (a2 - a) / (t.one - a)
        r = a / (t.one - a)
        gap = p - h * r
        tot = tot + gap
        out.append(Comparison(gap, 0, ">", f"step {k}: p − h·r > 0"))
        out.append(Comparison(gap, h * h / 2 * t.exp(h) * r, "<", f"step {k}: p − h·r < (h²/2)e^h r"))
    out[-1].info = {"sum_k (p_k - h_k r_k)": _fmt(t, tot), "N": g.N}
    return out


def _check_k1(inst, params, t):
    c = euler_unmask_probs(ExponentialClock(), inst["T"], kappa_grid(inst["T"], inst["kappa"], inst["delta"]), t)
    return [Comparison(ck, 1, "<=", f"step {k}: h_k·r(τ_k) <= 1", {"N": len(c)}) for k, ck in enumerate(c)]


def _k1_instances(size, params):
    ks = ["1", "1/2", "1/4"] if size == "small" else ["1", "1/2", "1/4", "1/16"]
    return [{"name": f"T={T},kappa={k},delta={dl}", "T": T, "kappa": k, "delta": dl}
            for T in ("1/2", "2", "5") for k in ks for dl in ("1/100", "1/10") if Fraction(dl) < Fraction(T)]


def _sampler_instances(size, params):
    grid = {"small": [(2, 2, "dirichlet"), (3, 2, "copy_pairs"), (2, 3, "dirichlet"), (2, 4, "copy_pairs"),
                      (3, 3, "markov")],
            "medium": [(2, 4, "dirichlet"), (3, 4, "copy_pairs"), (2, 5, "markov"), (2, 6, "copy_pairs")],
            "large": [(3, 5, "dirichlet"), (2, 6, "dirichlet")]}[size]
    return [{"name": f"m={m},d={d},{k},N={N}", "m": m, "d": d, "law": k, "seed": d + m, "N": N}
            for m, d, k in grid for N in (1, 3, 5)]


def _check_k2(inst, params, t):
    law = _law(inst)
    N = int(inst["N"])
    eu = euler(law, steps=N, tier=t)
    an = ancestral(law, steps=N, tier=t)
    out = [Comparison(eu.leftover_mask_mass, 0, "==", "Euler leaves no mask after the last step"),
           Comparison(total_variation(eu.law.probs, an.law.probs, tier=t), 0, "==", "TV(Euler law, Tweedie law) = 0")]
    clock, T, g = LinearClock(), Fraction(1), uniform_grid(1, N)
    c = euler_unmask_probs(clock, T, g, t)
    taus = [T - x for x in g.times]
    for k in range(N):
        a0, a1 = clock.alpha(taus[k], t), clock.alpha(taus[k + 1], t)
        out.append(Comparison(c[k], (a1 - a0) / (t.one - a0), "==", f"step {k}: h/t = (α_s − α_t)/(1 − α_t)"))
    out.append(Comparison(c[-1], 1, "==", "last step unmasks w.p. 1"))
    return out


# =============================================================================================
# SR-F1, SR-F2: the First-Hitting Sampler's times and the decoupling
# =============================================================================================
def _f1_instances(size, params):
    out = []
    for clock in ("linear", "exponential"):
        for n in (1, 2, 3, 4):
            start = "3/4" if clock == "linear" else "1/3"  # τ_n (linear) or α(τ_n) (exponential)
            out.append({"name": f"{clock},n={n}", "clock": clock, "n": n, "start": start,
                        "w": ["1/9", "1/3", "1/2", "4/5", "1"]})
    return out


def _check_f1(inst, params, t):
    """P(max of n masking times <= τ' | all <= τ_n) from the forward engine = u, τ' = FHS(u)."""
    n = int(inst["n"])
    out = []
    point = Law.point(ProductSpace(2, n), (0,) * n)
    mask = (2,) * n
    for w in inst["w"]:
        wq = t.scalar(w)
        u = wq**n  # u = w^n so that u^{1/n} = w is rational
        if inst["clock"] == "linear":
            tau_n = t.scalar(inst["start"])
            tau_next = wq * tau_n  # FHS on the linear clock: τ_{n−1} = u^{1/n} τ_n
            a_n, a_next = t.one - tau_n, t.one - tau_next
        else:
            a_n = t.scalar(inst["start"])  # α(τ_n) = e^{−τ_n}
            a_next = t.one - wq * (t.one - a_n)  # e^{−τ_{n−1}} with τ_{n−1} = −log(1 − u^{1/n}(1 − e^{−τ_n}))
        qa = forward(point, masking(2, n), alpha=a_next, tier=t).probs[mask]
        qb = forward(point, masking(2, n), alpha=a_n, tier=t).probs[mask]
        out.append(Comparison(qa / qb, u, "==", f"w={w}: P(max masking time <= τ_(n-1) | all <= τ_n) = u"))
    return out


def _f2_instances(size, params):
    grid = {"small": [(2, 2, "dirichlet", "exact"), (2, 3, "dirichlet", "mixing-random"), (3, 3, "copy", "noise"),
                      (2, 4, "markov", "mixing")],
            "medium": [(3, 3, "dirichlet", "noise"), (2, 4, "dirichlet", "mixing-random"), (2, 5, "markov", "noise")],
            "large": [(3, 4, "dirichlet", "noise"), (2, 6, "dirichlet", "mixing-random")]}[size]
    return [{"name": f"m={m},d={d},{k},{e}", "m": m, "d": d, "law": k, "seed": m * d, "est": e, "eta": "1/5",
             "alpha": "1/3"} for m, d, k, e in grid]


def _random_order_ar(law, est, t):
    """Random-order autoregressive law: average over orders π of ∏_k ĝ_{π_k}(x_{π_k} | x_{π<k}) (normalised)."""
    m, d = law.space.m, law.space.d
    G = est.tables(t)
    out: dict = {}
    perms = list(itertools.permutations(range(d)))
    w = t.one / len(perms)
    for y in itertools.product(range(m), repeat=d):
        tot = t.zero
        for pi in perms:
            x = [m] * d
            pr = t.one
            for j in pi:
                row = [G[j][tuple(x[:j]) + (a,) + tuple(x[j + 1:])] for a in range(m)]
                s = sum(row, t.zero)
                pr = pr * (row[y[j]] / s if s != 0 else t.one / m)
                x[j] = y[j]
            tot = tot + pr
        out[y] = tot * w
    return out


def _check_f2(inst, params, t):
    law = _law(inst)
    m, d = law.space.m, law.space.d
    est = _estimator(inst, law)
    res = fhs(law, est, tier=t)
    ar = _random_order_ar(law, est, t)
    dev = sum((abs(res.law.probs[y] - ar[y]) for y in ar), t.zero) + res.leftover_mask_mass
    out = [Comparison(dev, 0, "==", "FHS law = random-order autoregressive law", {"states": (m + 1) ** d})]
    if inst.get("est", "exact") == "exact":
        # decoupling of the true reverse chain: jump probabilities from the forward law's score ratios
        a = inst["alpha"]
        q = forward(law, masking(m, d), alpha=a, tier=t)
        worst = t.zero
        fact = math.factorial(d)
        for y, py in law.items():
            for pi in itertools.permutations(range(d)):
                x = [m] * d
                pr = t.one
                for j in pi:
                    xs = tuple(x)
                    rates = {}
                    for jj in (k for k in range(d) if xs[k] == m):
                        for v in range(m):
                            z = xs[:jj] + (v,) + xs[jj + 1:]
                            rates[(jj, v)] = q.probs[z] / q.probs[xs]
                    tot = sum(rates.values(), t.zero)
                    pr = pr * rates[(j, y[j])] / tot
                    x[j] = y[j]
                    if pr == 0:
                        break
                worst = max(worst, abs(pr - t.scalar(py) / fact))
        out.append(Comparison(worst, 0, "==", "jump chain: P(order π, values y) = q_0(y)/d! (order ⟂ values)"))
    return out


# =============================================================================================
# SR-A1, SR-A2: score errors
# =============================================================================================
def _direct_l1(law, est, alpha, t):
    """``E_{x∼q_α} Σ_{j∈M(x)} Σ_a |r(α)ĝ_j(a|x) − s_α(x^{j←a}, x)|`` by enumeration (s from the forward law)."""
    m, d = law.space.m, law.space.d
    q = forward(law, masking(m, d), alpha=alpha, tier=t)
    a = t.scalar(alpha)
    r = a / (t.one - a)
    G = est.tables(t)
    tot = t.zero
    for x in q.space.states():
        qx = q.probs[x]
        if qx == 0:
            continue
        for j in (j for j in range(d) if x[j] == m):
            for v in range(m):
                y = x[:j] + (v,) + x[j + 1:]
                tot = tot + qx * abs(r * G[j][y] - q.probs[y] / qx)
    return tot


def _a1_instances(size, params):
    base = [(2, 2, "dirichlet", "noise"), (2, 3, "copy", "mixing"), (3, 2, "dirichlet", "mixing-random"),
            (2, 3, "dirichlet", "zero-entry")]
    if size != "small":
        base += [(3, 3, "dirichlet", "noise"), (2, 4, "markov", "mixing-random")]
    return [{"name": f"m={m},d={d},{k},{e},T={T},N={N}", "m": m, "d": d, "law": k, "seed": 3 * m + d, "est": e,
             "eta": "1/10", "T": T, "N": N} for m, d, k, e in base for T, N in (("9/10", 3), ("1/2", 4))]


def _a1_estimator(inst, law, t):
    if inst.get("est") == "zero-entry":  # ĝ = 0 where p > 0 in one context: score entropy = ∞, L1 finite
        m, d = law.space.m, law.space.d
        tabs = [np.array(G, dtype=object) for G in exact_estimator(law).tables("exact")]
        idx = tuple(0 if i == 0 else m for i in range(d))  # position 0 value 0, everything else masked
        tabs[0][idx] = fmpq(0)
        return from_tables(tabs, m, d, name="zero-entry")
    return _estimator(inst, law)


def _check_a1(inst, params, t):
    law = _law(inst)
    est = _a1_estimator(inst, law, t)
    clock, T, g = _grid(inst)
    taus = [T - x for x in g.times]
    direct = t.zero
    for k in range(g.N):
        a = clock.alpha(taus[k], t)
        beta = clock.beta(taus[k], t)
        direct = direct + t.scalar(taus[k] - taus[k + 1]) * beta * _direct_l1(law, est, a, t)
    lib = l1_score_error_grid(law, est, clock=clock, grid=g, T=T, tier=t)
    return [Comparison(lib, direct, "==", "eps_score^Eul: library = direct Σ_k h_k β_k E Σ_y Q(y,x)|ŝ − s|")]


def _a1b_instances(size, params):
    laws = [(2, 3, "dirichlet"), (3, 2, "dirichlet")]
    if size != "small":
        laws += [(2, 4, "markov")]
    grids = [{"T": "1", "N": 4, "gname": "linear T=1 N=4"}, {"T": "1", "N": 8, "gname": "linear T=1 N=8"},
             {"clock": "exponential", "T": "6", "kappa": "1/4", "delta": "1/64", "gname": "exp T=6 kappa=1/4"}]
    out = []
    for m, d, k in laws:
        for g in grids:
            ests = ["zero-entry"] + (["tripled-entry"] if g.get("clock") == "exponential" else [])
            for e in ests:
                out.append(dict(g, name=f"m={m},d={d},{k},{e},{g['gname']}", m=m, d=d, law=k, seed=3 * m + d, est=e))
    return out


def _a1b_estimator(law, kind):
    """ĝ with one visited-context entry changed where p > 0: set to 0 (score entropy ∞) or tripled."""
    m, d = law.space.m, law.space.d
    tabs = [np.array(G, dtype=object) for G in exact_estimator(law).tables("exact")]
    idx = tuple(0 if i == 0 else m for i in range(d))  # position 0, value 0, everything else masked
    if tabs[0][idx] == 0:
        raise ValueError("the instance's law has p = 0 at the perturbed entry; pick another seed")
    tabs[0][idx] = fmpq(0) if kind == "zero-entry" else tabs[0][idx] * 3
    return from_tables(tabs, m, d, name=kind)


def _check_a1b(inst, params, t):
    law = _law(inst)
    est = _a1b_estimator(law, inst["est"])
    clock, T, g = _grid(inst)
    tv_hat = euler(law, est, clock=clock, T=T, grid=g, tier=t).tv()
    tv_ex = euler(law, clock=clock, T=T, grid=g, tier=t).tv()
    eps = l1_score_error_grid(law, est, clock=clock, grid=g, T=T, tier=t)
    se = score_entropy_error_grid(law, est, clock=clock, grid=g, T=T, tier=t)
    if inst["est"] == "zero-entry" and se != math.inf:
        raise ArithmeticError("the zero-entry estimator should have infinite score entropy on a visited context")
    return Comparison(tv_hat, tv_ex + t.scalar(params["C_score"]) * eps, "<=",
                      "TV(ŝ) <= TV(s) + C_score·eps_score^Eul (L1 only)",
                      {"TV(s_hat)": _fmt(t, tv_hat), "TV(s)": _fmt(t, tv_ex), "eps_L1": _fmt(t, eps),
                       "score_entropy": "inf" if se == math.inf else str(se)})


def _ctl_a1b_short_horizon(inst, params, t):
    """Near miss of SR-A1b: a short linear horizon T = 1/2 (all-mask start far from q_T): the score error is
    weighted by q_τ, not by the sampler's own path, and the L1 form no longer covers the estimator's error."""
    if inst.get("clock") == "exponential":
        return _check_a1b(inst, params, t)
    return _check_a1b(dict(inst, T="1/2"), params, t)


def _a2_instances(size, params):
    # d ≥ 3 only: for d ≤ 2 the Beta weights are all equal and the subset structure is not tested
    base = [(2, 3, "dirichlet", "noise"), (2, 3, "copy", "mixing-random"), (3, 3, "dirichlet", "mixing"),
            (2, 4, "markov", "noise")]
    if size != "small":
        base += [(2, 5, "dirichlet", "mixing-random")]
    return [{"name": f"m={m},d={d},{k},{e}", "m": m, "d": d, "law": k, "seed": m + d, "est": e, "eta": "1/4"}
            for m, d, k, e in base]


def _check_a2(inst, params, t, jacobian=True):
    """∫_0^∞ E_{q_τ} Σ|ŝ_τ − s_τ| dτ = ∫_0^1 F(α) dα, F(α) = L1(α)/α a polynomial of degree d−1.

    ``jacobian=False`` (a control) integrates L1(α) = α·F(α) instead."""
    law = _law(inst)
    d = law.space.d
    est = _estimator(inst, law)
    nodes = [Fraction(k, d + 2) for k in range(1, d + 2)]  # d + 1 nodes: d to interpolate, 1 to confirm
    vals = [_direct_l1(law, est, a, t) / t.scalar(a) for a in nodes]
    A = fmpq_mat(d, d, [fmpq(a.numerator, a.denominator) ** i for a in nodes[:d] for i in range(d)])
    coef = A.solve(fmpq_mat(d, 1, vals[:d])).entries()
    last = nodes[d]
    at_last = sum((c * fmpq(last.numerator, last.denominator) ** i for i, c in enumerate(coef)), fmpq(0))
    integral = sum((c / (i + (1 if jacobian else 2)) for i, c in enumerate(coef)), fmpq(0))
    lib = fhs_score_error(law, est, tier=t)
    return [Comparison(at_last, vals[d], "==", "F(α) = L1(α)/α is a polynomial of degree <= d−1 (extra node)"),
            Comparison(integral, lib, "==", "time integral = Beta-weighted subset sum (fhs_score_error)")]


# =============================================================================================
# SR-D1, SR-D2: the TV error decomposition
# =============================================================================================
def decomposition_terms(law, est, clock, T, grid, t):
    """Every term of decomposition (A) along the true marginals, in tier ``t``.

    Returns a dict: ``tv`` (Euler output vs data), ``init``, ``early_stop``, per-step lists
    ``step_tv`` (E_x TV(P_k(x,·), P̂_k(x,·))), ``timing`` (a), ``dependence`` (b), ``score`` (c),
    and ``eps_score`` (library ``l1_score_error_grid``).
    """
    m, d = law.space.m, law.space.d
    tab = _contexts(law, t)
    G = est.tables(t)
    taus = [Fraction(T) - x for x in grid.times]
    res = euler(law, est, clock=clock, T=T, grid=grid, tier=t)
    a_T = clock.alpha(taus[0], t)
    a_d = clock.alpha(taus[-1], t)
    out = {"tv": res.tv(), "init": t.one - (t.one - a_T) ** d, "early_stop": t.one - a_d**d,
           "step_tv": [], "timing": [], "dependence": [], "score": []}
    for k in range(grid.N):
        a0, a1 = clock.alpha(taus[k], t), clock.alpha(taus[k + 1], t)
        p = (a1 - a0) / (t.one - a0)
        c = t.scalar(taus[k] - taus[k + 1]) * unmask_rate(clock, taus[k], t)
        tv_k = tim = dep = sco = t.zero
        for x, cx in tab.items():
            M = [j for j in range(d) if x[j] == m]
            if not M:
                continue
            qx = _q_alpha(tab, x, a0, t, m)
            if qx == 0:
                continue
            cond = {j: [tab.get(x[:j] + (v,) + x[j + 1:], t.zero) / cx for v in range(m)] for j in M}
            ghat = {j: [G[j][x[:j] + (v,) + x[j + 1:]] for v in range(m)] for j in M}
            Pex, Ptw, Peu = {}, {}, {}
            for y, R in _extensions(x, m):
                base = p ** len(R) * (t.one - p) ** (len(M) - len(R))
                Pex[y] = base * tab.get(y, t.zero) / cx
                prod = t.one
                eu = t.one
                for j in M:
                    if y[j] != m:
                        prod = prod * cond[j][y[j]]
                        eu = eu * c * ghat[j][y[j]]
                    else:
                        eu = eu * (t.one - c * sum(ghat[j], t.zero))
                Ptw[y] = base * prod
                Peu[y] = eu
            tv_k = tv_k + qx * total_variation([Pex[y] for y in Pex], [Peu[y] for y in Pex], tier=t)
            tim = tim + qx * len(M) * abs(p - c)
            dep = dep + qx * total_variation([Pex[y] for y in Pex], [Ptw[y] for y in Pex], tier=t)
            sco = sco + qx * c * sum((abs(ghat[j][v] - cond[j][v]) for j in M for v in range(m)), t.zero)
        out["step_tv"].append(tv_k)
        out["timing"].append(tim)
        out["dependence"].append(dep)
        out["score"].append(sco)
    out["eps_score"] = l1_score_error_grid(law, est, clock=clock, grid=grid, T=T, tier=t)
    return out


def _d1_instances(size, params):
    base = [(2, 2, "copy_pairs", "exact", "1", "0", 3), (2, 3, "dirichlet", "mixing", "9/10", "1/10", 4),
            (3, 2, "dirichlet", "mixing-random", "1", "1/8", 2), (2, 4, "copy_pairs", "noise", "1", "1/10", 3)]
    out = [{"name": f"m={m},d={d},{k},{e},linear T={T},delta={dl},N={N}", "m": m, "d": d, "law": k, "seed": d,
            "est": e, "eta": "1/20", "T": T, "delta": dl, "N": N} for m, d, k, e, T, dl, N in base]
    out.append({"name": "m=2,d=2,dirichlet,exact,exponential T=2,kappa=1/2,delta=1/4", "m": 2, "d": 2,
                "law": "dirichlet", "seed": 2, "est": "exact", "clock": "exponential", "T": "2", "kappa": "1/2",
                "delta": "1/4"})
    if size != "small":
        out.append({"name": "m=3,d=3,markov,noise,linear", "m": 3, "d": 3, "law": "markov", "est": "noise",
                    "eta": "1/20", "T": "1", "delta": "1/10", "N": 4})
    # the regime of SR-T1 (T = 8, δ = 1/1024, κ-grid, exact scores): the two sums against d·κ, TV above the floor
    reg = [(2, 2, "copy_pairs", "1/4"), (2, 2, "copy_pairs", "1/8"), (3, 2, "dirichlet", "1/4")]
    if size != "small":
        reg += [(2, 3, "dirichlet", "1/4"), (2, 3, "dirichlet", "1/8")]
    out += [{"name": f"m={m},d={d},{k},exact,exponential T=8,kappa={kp},delta=1/1024", "m": m, "d": d, "law": k,
             "seed": d, "est": "exact", "clock": "exponential", "T": "8", "kappa": kp, "delta": "1/1024",
             "regime": True} for m, d, k, kp in reg]
    return out


def _check_d1(inst, params, t):
    law = _law(inst)
    est = _estimator(inst, law)
    clock, T, g = _grid(inst)
    r = decomposition_terms(law, est, clock, T, g, t)
    steps = sum(r["step_tv"], t.zero)
    info = {k: _fmt(t, r[k]) for k in ("tv", "init", "early_stop", "eps_score")}
    info.update({f"sum_{k}": _fmt(t, sum(r[k], t.zero)) for k in ("step_tv", "timing", "dependence", "score")})
    out = [Comparison(r["tv"], r["init"] + steps + r["early_stop"], "<=",
                      "TV(q0, p̂) <= TV(q_T, δ_mask) + Σ_k E TV(P_k, P̂_k) + TV(q_δ, q0)", info)]
    for k in range(g.N):
        out.append(Comparison(r["step_tv"][k], r["timing"][k] + r["dependence"][k] + r["score"][k], "<=",
                              f"step {k}: E TV(P_k, P̂_k) <= (a) timing + (b) dependence + (c) score"))
    if t.name == "exact":  # an identity: balls of equal values never separate
        out.append(Comparison(sum(r["score"], t.zero), r["eps_score"], "==", "Σ_k (c)_k = eps_score^Eul"))
    if inst.get("regime"):
        dk = law.space.d * t.scalar(inst["kappa"])
        out += [Comparison(sum(r["timing"], t.zero), t.scalar(params["C_timing"]) * dk, "<=",
                           "Σ_k (a) timing <= C_timing·d·κ"),
                Comparison(sum(r["dependence"], t.zero), t.scalar(params["C_dep"]) * dk, "<=",
                           "Σ_k (b) dependence <= C_dep·d·κ"),
                Comparison(r["tv"], r["init"] + r["early_stop"], ">",
                           "TV exceeds the initialisation + early-stopping floor (discretisation is visible)")]
    return out


def _d2_instances(size, params):
    out = [{"name": "m=2,d=2,copy_pairs,exact,linear T=1,delta=1/10,N=3", "m": 2, "d": 2, "law": "copy_pairs",
            "est": "exact", "T": "1", "delta": "1/10", "N": 3},
           {"name": "m=2,d=3,dirichlet,mixing,linear T=1,delta=1/10,N=4", "m": 2, "d": 3, "law": "dirichlet",
            "seed": 1, "est": "mixing", "eta": "1/20", "T": "1", "delta": "1/10", "N": 4},
           {"name": "m=2,d=2,dirichlet,exact,exponential T=2,kappa=1/2,delta=1/4", "m": 2, "d": 2,
            "law": "dirichlet", "seed": 2, "est": "exact", "clock": "exponential", "T": "2", "kappa": "1/2",
            "delta": "1/4"}]
    return out


def _check_d2(inst, params, t):
    """Decomposition (B): frozen-rate coupling; the time integral is a float Gauss–Legendre quadrature."""
    if t.rigorous:
        raise ValueError("SR-D2 integrates numerically; run it with --tier float (it is never 'proved')")
    law = _law(inst)
    m, d = law.space.m, law.space.d
    est = _estimator(inst, law)
    clock, T, g = _grid(inst)
    tab = {x: float(v) for x, v in _contexts(law, get_tier("exact")).items()}
    G = [np.asarray(t.to_float_array(Gj), dtype=float) for Gj in est.tables("float")]
    taus = [float(T - x) for x in g.times]
    expo = inst.get("clock") == "exponential"

    def al(tau):
        return math.exp(-tau) if expo else 1.0 - tau

    def rate(tau):  # β(τ)·r(α(τ)): total unmasking rate of one masked token
        return 1.0 / math.expm1(tau) if expo else 1.0 / tau

    gx, gw = np.polynomial.legendre.leggauss(int(params["nodes"]))
    res = euler(law, est, clock=clock, T=T, grid=g, tier="float")
    total = 0.0
    for k in range(g.N):
        t0, t1 = taus[k], taus[k + 1]
        h = t0 - t1
        c = h * rate(t0)
        a0 = al(t0)
        for node, wt in zip(gx, gw):
            tau = t1 + (node + 1) / 2 * h  # forward time inside the step
            p = (al(tau) - a0) / (1 - a0)  # P(a masked token at τ_k is unmasked by τ)
            acc = 0.0
            for x, cx in tab.items():
                M = [j for j in range(d) if x[j] == m]
                if not M:
                    continue
                qx = cx * a0 ** (d - len(M)) * (1 - a0) ** len(M)
                gh = {j: [G[j][x[:j] + (v,) + x[j + 1:]] for v in range(m)] for j in M}
                lam = {j: (-math.log1p(-c * sum(gh[j])) / h if c * sum(gh[j]) < 1 else math.inf) for j in M}
                for y, R in _extensions(x, m):
                    if y not in tab:
                        continue
                    py = qx * p ** len(R) * (1 - p) ** (len(M) - len(R)) * tab[y] / cx
                    if py == 0:
                        continue
                    for j in (j for j in M if y[j] == m):
                        for v in range(m):
                            z = y[:j] + (v,) + y[j + 1:]
                            true = rate(tau) * tab.get(z, 0.0) / tab[y]
                            frozen = lam[j] * gh[j][v] / sum(gh[j]) if sum(gh[j]) > 0 else 0.0
                            acc += py * abs(true - frozen)
            total += wt * h / 2 * acc
    init = 1 - (1 - al(taus[0])) ** d
    early = 1 - al(taus[-1]) ** d
    total = total * float(params.get("integral_factor", 1))
    return Comparison(res.tv(), init + total + early, "<=", "TV <= init + ∫ E Σ_y |Q_t − Q̃_t| dt + early stop",
                      {"integral": total, "init": init, "early_stop": early, "quadrature_nodes": int(params["nodes"])})


def _ctl_d2_no_integral(inst, params, t):
    """Near miss of SR-D2: the trajectory integral dropped (TV ≤ init + early stop)."""
    return _check_d2(inst, dict(params, integral_factor=0), t)


# =============================================================================================
# SR-X1, SR-T1, SR-T1b, SR-C1: the Euler upper bound
# =============================================================================================
def _x1_instances(size, params):
    seq = [("2", "1/2", "1/4"), ("3", "1/4", "1/8"), ("4", "1/8", "1/16"), ("5", "1/16", "1/32")]
    laws = [(2, 2, "copy_pairs"), (3, 2, "dirichlet"), (2, 3, "dirichlet")]
    if size != "small":
        laws += [(2, 4, "copy_pairs")]
    return [{"name": f"m={m},d={d},{k}", "m": m, "d": d, "law": k, "seed": 11, "schedule": seq} for m, d, k in laws]


def _check_x1(inst, params, t):
    law = _law(inst)
    tvs, out = [], []
    d = law.space.d
    for T, kap, dl in inst["schedule"]:
        res = euler(law, clock=ExponentialClock(), T=T, kappa=kap, delta=dl, tier=t, init="all_mask")
        fwd = euler(law, clock=ExponentialClock(), T=T, kappa=kap, delta=dl, tier=t, init="forward")
        tvs.append(res.tv())
        diff = total_variation(res.law.probs, fwd.law.probs, tier=t)
        out.append(Comparison(diff, d * t.exp(-t.scalar(T)), "<=",
                              f"T={T}: TV(all-mask start, forward start) <= d·e^(−T) (no surrogate needed)",
                              {"TV(all-mask, forward)": _fmt(t, diff), "TV all-mask": _fmt(t, res.tv()),
                               "TV forward": _fmt(t, fwd.tv())}))
    out += [Comparison(b, a, "<", f"TV decreases: (T,κ,δ) #{i + 1} < #{i}") for i, (a, b) in enumerate(zip(tvs, tvs[1:]))]
    out.append(Comparison(tvs[-1], t.scalar(params["target"]), "<=", "last TV <= target",
                          {"tvs": [_fmt(t, v) for v in tvs]}))
    return out


def _t1_bound(inst, params, t):
    """``TV/(d·κ) <= A·e^{−T}/κ + B·δ/κ + C·(1+log 1/κ)^L`` (the bound divided by d·κ > 0)."""
    law = _law(inst)
    d = law.space.d
    T, kap, dl = inst["T"], inst["kappa"], inst["delta"]
    res = euler(law, clock=ExponentialClock(), T=T, kappa=kap, delta=dl, tier=t)
    tv = res.tv()
    floor = exact_reverse(law, clock=ExponentialClock(), T=T, kappa=kap, delta=dl, tier=t).tv()
    kp = t.scalar(kap)
    L = int(params["log_power"])
    logf = (t.one + t.log(t.one / kp)) ** L if L else t.one
    rhs = (t.scalar(params["A"]) * t.exp(-t.scalar(T)) / kp + t.scalar(params["B"]) * t.scalar(dl) / kp
           + t.scalar(params["C"]) * logf)
    info = {"TV": _fmt(t, tv), "(TV-floor)/(d*kappa)": t.to_float((tv - floor) / (d * kp)),
            "floor (exact kernel)": _fmt(t, floor), "N": res.n_steps, "d": d}
    return Comparison(tv / (d * kp), rhs, "<=", "TV/(d·κ) <= A·e^{−T}/κ + B·δ/κ + C·(1+log(1/κ))^L", info)


def _ctl_t1_kappa_squared(inst, params, t):
    """Near miss of SR-T1: the discretisation term of second order, C·d·κ² (divided by d·κ: C·κ)."""
    if inst.get("kind") == "series":
        return _t1_series(inst, params, t)
    law = _law(inst)
    d = law.space.d
    T, kap, dl = inst["T"], inst["kappa"], inst["delta"]
    tv = euler(law, clock=ExponentialClock(), T=T, kappa=kap, delta=dl, tier=t).tv()
    kp = t.scalar(kap)
    rhs = (t.scalar(params["A"]) * t.exp(-t.scalar(T)) / kp + t.scalar(params["B"]) * t.scalar(dl) / kp
           + t.scalar(params["C"]) * kp)
    return Comparison(tv / (d * kp), rhs, "<=", "TV/(d·κ) <= A·e^{−T}/κ + B·δ/κ + C·κ")


def _t1_series(inst, params, t):
    """TV − floor against 1/N (κ sweep) or against d (fixed κ); floor = exact-kernel TV."""
    xs, ys = [], []
    if inst["sweep"] == "N":
        law = _law(inst)
        for v in inst["values"]:
            if inst.get("clock") == "exponential":
                kw = dict(clock=ExponentialClock(), T=inst["T"], kappa=v, delta=inst["delta"])
            else:
                kw = dict(steps=int(v))
            res = euler(law, tier=t, **kw)
            floor = exact_reverse(law, tier=t, **kw).tv()
            xs.append(Fraction(1, res.n_steps))
            ys.append(res.tv() - floor)
        return Series(xs, ys, "1/N", "TV - floor", {"clock": inst.get("clock", "linear"),
                                                     "note": "exponent of 1/N = −(slope of TV − floor vs N)"})
    for d in inst["values"]:
        law = _law(dict(inst, d=d))
        kw = dict(clock=ExponentialClock(), T=inst["T"], kappa=inst["kappa"], delta=inst["delta"])
        res = euler(law, tier=t, **kw)
        ys.append(res.tv() - exact_reverse(law, tier=t, **kw).tv())
        xs.append(d)
    return Series(xs, ys, "d", "TV - floor", {"kappa": inst["kappa"]})


def _t1_instances(size, params):
    """Bound instances in the regime of the theorem: e^{−T} and δ far below κ, so the discretisation term is compared.

    T = 8 (d·e^{−T} ≈ 3.4e-4·d) and δ = 1/1024, against κ ∈ {1/4, 1/8, 1/16}: the initialisation and
    early-stopping terms are at most (e^{−8} + 2^{−10})/κ ≈ 0.021 of TV/(d·κ) while the discretisation part is
    ≈ 0.06 (copy-pairs), so ``C = 0`` refutes and the sharp C is the discretisation constant.
    """
    if size == "small":
        combos = [(2, 2, "copy_pairs", k) for k in ("1/4", "1/8", "1/16")] + [
            (4, 2, "copy_pairs", "1/4"), (4, 2, "copy_pairs", "1/8"), (2, 4, "copy_pairs", "1/4"),
            (3, 2, "dirichlet", "1/4"), (2, 3, "dirichlet", "1/8"), (2, 3, "copy", "1/4")]
    else:
        laws = [(2, 2, "copy_pairs"), (4, 2, "copy_pairs"), (2, 4, "copy_pairs"), (3, 2, "dirichlet"),
                (2, 3, "dirichlet"), (2, 3, "copy")]
        if size == "large":
            laws += [(3, 3, "markov"), (2, 5, "dirichlet"), (2, 6, "copy_pairs")]
        combos = [(m, d, k, kp) for m, d, k in laws for kp in ("1/4", "1/8", "1/16")]
    T, dl = "8", "1/1024"
    return [{"name": f"bound m={m},d={d},{k},T={T},kappa={kp},delta={dl}", "kind": "bound", "m": m, "d": d,
             "law": k, "seed": 5, "T": T, "kappa": kp, "delta": dl} for m, d, k, kp in combos]


def _t1r_instances(size, params):
    ks = ["1/4", "1/8", "1/16", "1/32"] if size == "small" else ["1/4", "1/8", "1/16", "1/32", "1/64"]
    return [
        {"name": "rate in N: exponential kappa-grid, copy_pairs m=2 d=4", "kind": "series", "sweep": "N",
         "m": 2, "d": 4, "law": "copy_pairs", "clock": "exponential", "T": "4", "delta": "1/64", "values": ks},
        {"name": "rate in N: linear uniform, copy m=2 d=3", "kind": "series", "sweep": "N", "m": 2, "d": 3,
         "law": "copy", "values": [4, 8, 16, 32]},
        {"name": "rate in d: copy_pairs m=2, kappa=1/4", "kind": "series", "sweep": "d", "m": 2,
         "law": "copy_pairs", "T": "6", "kappa": "1/4", "delta": "1/256",
         "values": [2, 4, 6] if size == "small" else [2, 4, 6, 8]},
    ]


def _check_t1(inst, params, t):
    return _t1_series(inst, params, t) if inst.get("kind") == "series" else _t1_bound(inst, params, t)


def _t1_family():
    """Search over data laws: a mixture of a joint law (Dirichlet/sparse/near-deterministic) and 2-blocks."""

    def laws(params):
        m, d = int(params["m"]), int(params["d"])
        shapes = {"joint": m**d, "mix": 2}
        shapes.update({f"block{i}": m**2 for i in range(d // 2)})
        return shapes

    def build(laws, params, rng):
        m, d = int(params["m"]), int(params["d"])
        w = laws["mix"][0]
        blocks = None
        for i in range(d // 2):
            b = np.array(laws[f"block{i}"], dtype=object).reshape(m, m)
            blocks = b if blocks is None else np.multiply.outer(blocks, b)
        if d % 2:
            single = np.array([Fraction(1, m)] * m, dtype=object)
            blocks = single if blocks is None else np.multiply.outer(blocks, single)
        joint = np.array(laws["joint"], dtype=object)
        p0 = w * joint + (1 - w) * blocks.reshape(-1)
        return {"kind": "bound", "m": m, "d": d, "p0": [str(x) for x in p0], "T": str(params["search_T"]),
                "kappa": str(params["search_kappa"]), "delta": str(params["search_delta"])}

    return Family(laws=laws, build=build)


def search_euler_bound(ds=(2, 3, 4), m=2, budget=40, seed=0, params=None):
    """Counterexample search for SR-T1 per ``d``: ``{d: (worst TV/(d·κ), verdict, best instance)}``."""
    from ..search import search

    claim = next(c for c in CLAIMS if c.id == "SR-T1")
    out = {}
    for d in ds:
        p = claim.parse_params(dict(params or {}, m=m, d=d))
        r = search(claim, p, None, budget=budget, seed=seed)
        out[d] = (Fraction(r.lhs) if r.tier_name == "exact" else float(r.lhs.strip("[").split()[0]) if r.lhs else None,
                  r.verdict.value, r.instance)
    return out


def _t1b_instances(size, params):
    base = [(2, 2, "copy_pairs", "noise"), (2, 3, "dirichlet", "noise"), (3, 2, "dirichlet", "mixing-random"),
            (2, 4, "copy_pairs", "mixing")]
    out = [{"name": f"m={m},d={d},{k},{e},eta={eta},linear N={N}", "m": m, "d": d, "law": k, "seed": 4, "est": e,
            "eta": eta, "T": "1", "delta": "1/10", "N": N}
           for m, d, k, e in base for eta in ("1/20", "1/10") for N in (3,)]
    out.append({"name": "m=2,d=3,dirichlet,noise,eta=1/10,exponential", "m": 2, "d": 3, "law": "dirichlet",
                "seed": 4, "est": "noise", "eta": "1/10", "clock": "exponential", "T": "3", "kappa": "1/4",
                "delta": "1/16"})
    return out


def _check_t1b(inst, params, t):
    law = _law(inst)
    est = _estimator(inst, law)
    clock, T, g = _grid(inst)
    tv_hat = euler(law, est, clock=clock, T=T, grid=g, tier=t).tv()
    tv_ex = euler(law, clock=clock, T=T, grid=g, tier=t).tv()
    eps = l1_score_error_grid(law, est, clock=clock, grid=g, T=T, tier=t)
    return Comparison(tv_hat, tv_ex + t.scalar(params["C_score"]) * eps, "<=",
                      "TV(estimated) <= TV(exact scores) + C_score·eps_score^Eul",
                      {"TV_exact_scores": _fmt(t, tv_ex), "eps_score": _fmt(t, eps)})


def _c1_instances(size, params):
    combos = [(2, 2, "copy_pairs", "1/4"), (2, 2, "copy_pairs", "1/16"), (2, 4, "copy_pairs", "1/4"),
              (4, 2, "copy_pairs", "1/8"), (3, 2, "dirichlet", "1/8"), (2, 3, "dirichlet", "1/8")]
    if size != "small":
        combos += [(2, 4, "copy_pairs", "1/8"), (2, 4, "dirichlet", "1/8")]
    return [{"name": f"m={m},d={d},{k},eps={e}", "m": m, "d": d, "law": k, "seed": 9, "eps": e} for m, d, k, e in combos]


def c1_schedule(d, eps, params, log_factor=True):
    """Budget first: N_budget = ⌊c_N·(d/ε)·log(d/ε)⌋ (without the log when ``log_factor`` is False), then
    T = ⌈8·log(4d/ε)⌉/8 + 1/8 (a rational ≥ log(4d/ε)), δ = ε/(4d), and the smallest κ ∈ {j/64} whose
    κ·min(1, T−t) grid has at most N_budget steps.  Returns ``(T, δ, κ, N_budget)``."""
    eps = Fraction(eps)
    T = Fraction(math.ceil(math.log(4 * d / eps) * 8) + 1, 8)  # a rational upper bound on log(4d/ε)
    dl = eps / (4 * d)
    x = float(Fraction(params["c_N"]) * d / eps)
    budget = math.floor(x * math.log(float(d / eps))) if log_factor else math.floor(x)
    for j in range(1, 65):
        kap = Fraction(j, 64)
        if kappa_grid(T, kap, dl).N <= budget:
            return T, dl, kap, budget
    return T, dl, Fraction(1), budget  # the coarsest grid (κ = 1) exceeds the budget: reported by the check


def _check_c1(inst, params, t, log_factor=True):
    law = _law(inst)
    d = law.space.d
    eps = Fraction(inst["eps"])
    T, dl, kap, budget = c1_schedule(d, eps, params, log_factor)
    res = euler(law, clock=ExponentialClock(), T=T, kappa=kap, delta=dl, tier=t)
    info = {"N_budget": budget, "N": res.n_steps, "kappa": str(kap), "T": str(T), "delta": str(dl),
            "TV": _fmt(t, res.tv()), "TV/eps": t.to_float(res.tv()) / float(eps)}
    return [Comparison(t.exp(-t.scalar(T)) * 4 * d, eps, "<=", "d·e^{−T} <= ε/4 (T bounds log(4d/ε))"),
            Comparison(res.n_steps, budget, "<=", "the grid fits the budget N_budget = ⌊c_N (d/ε) log(d/ε)⌋"),
            Comparison(res.tv(), eps, "<=", f"TV <= ε with N <= N_budget (T={T}, δ={dl}, κ={kap})", info)]



# =============================================================================================
# SR-T1d: the d-rate of the Euler error on −log(1 − TV), block laws up to d = 512
# =============================================================================================
_T1D_BLOCKS = {"copy_pairs": lambda m: D.copy(m, 2), "copy_triples": lambda m: D.copy(m, 3),
               "markov4": lambda m: D.binary_symmetric_markov(4, "1/5")}


def _t1d_instances(size, params):
    """Fixed step size (linear clock, uniform N), d swept over block products of copy blocks (pairs, triples): the
    Euler error puts mass off the support, 1 − TV is exactly multiplicative over blocks and −log(1 − TV) is
    exactly linear in d (the fit checks the block law and the product engine)."""
    if size == "small":
        sweeps = [("copy_pairs", 2, 16, [2, 8, 32, 128, 512]), ("copy_triples", 2, 16, [3, 12, 48, 192])]
    else:
        sweeps = [("copy_pairs", 2, 256, [2, 8, 32, 128, 512]), ("copy_pairs", 4, 64, [2, 8, 32, 128, 512]),
                  ("copy_triples", 3, 32, [3, 12, 48, 192, 384])]
    return [{"name": f"rate in d: {b} blocks m={m}, linear uniform N={N}, d={ds[0]}..{ds[-1]}", "block": b, "m": m,
             "N": N, "values": ds} for b, m, N, ds in sweeps]


def _t1e_instances(size, params):
    """Full-support blocks (binary symmetric Markov chains of length 4, flip 1/5): the Euler error reweights
    states inside the support, several (p, q) classes per block, not additive."""
    sweeps = [("markov4", 2, 8, [4, 8, 16, 32])] if size == "small" else [("markov4", 2, 8, [4, 8, 16, 32, 64]),
                                                                          ("markov4", 2, 16, [4, 8, 16, 32, 64])]
    return [{"name": f"rate in d: {b} blocks m={m}, linear uniform N={N}, d={ds[0]}..{ds[-1]}", "block": b, "m": m,
             "N": N, "values": ds} for b, m, N, ds in sweeps]


def _check_t1d(inst, params, t):
    from mdtheory.law_structure import BlockProduct
    from mdtheory.samplers.blocks import block_product_law

    blk = _T1D_BLOCKS[inst["block"]](int(inst["m"]))
    k = blk.space.d
    xs, ys, tvs = [], [], []
    for d in inst["values"]:
        r = block_product_law("euler", BlockProduct.of([blk] * (int(d) // k)), steps=int(inst["N"]), tier="exact")
        tv = r.tv()  # exact rational (sum over class-count vectors)
        xs.append(int(d))
        ys.append(-t.log(t.one - t.scalar(tv)))
        tvs.append(float(tv))
    return Series(xs, ys, "d", "-log(1 - TV)", {"N": int(inst["N"]), "TV": tvs, "block": inst["block"]})


# =============================================================================================
# SR-T2d, SR-T2r: tightness in d and ε (smallest κ-grid N reaching TV ≤ ε)
# =============================================================================================
def minimal_kappa_grid_steps(m, d, eps, tier):
    """Smallest κ-grid N (κ = 1/k, k = 1, 2, …; T ≥ log(4d/ε), δ = ε/(4d) as in SR-C1) with copy-pairs TV ≤ ε.

    The TV is the SR-T2a closed form in the grid's Euler unmasking probabilities (proved equal to the propagated
    law by SR-T2a), so the search is exact (certified) and cheap.  Returns ``(N, k, TV)``.
    """
    eps = Fraction(eps)
    T = Fraction(math.ceil(math.log(4 * d / eps) * 8) + 1, 8)
    dl = eps / (4 * d)
    for k in range(1, 10**4):
        g = kappa_grid(T, Fraction(1, k), dl)
        tv, _ = copy_pairs_closed_form(euler_unmask_probs(ExponentialClock(), T, g, tier), m, d, tier)
        c = tier.compare(tv, tier.scalar(eps))
        if c is None:
            raise ArithmeticError("TV vs ε undecided; raise the precision")
        if c <= 0:
            return g.N, k, tv
    raise ArithmeticError("no κ = 1/k below 1e-4 reaches TV ≤ ε")  # pragma: no cover


_T2D_GRID = {"small": ([2, 4, 6], ["1/4", "1/8", "1/16", "1/32"]),
             "medium": ([2, 4, 6, 8], ["1/4", "1/8", "1/16", "1/32", "1/64"]),
             "large": ([2, 4, 6, 8, 10], ["1/4", "1/8", "1/16", "1/32", "1/64"])}


def _t2d_instances(size, params):
    ds, es = _T2D_GRID[size]
    return [{"name": f"copy_pairs m=2,d={d},eps={e}", "m": 2, "d": d, "eps": e} for d in ds for e in es]


def _check_t2d(inst, params, t):
    m, d, eps = inst["m"], inst["d"], Fraction(inst["eps"])
    N, k, tv = minimal_kappa_grid_steps(m, d, eps, t)
    nstar = minimal_steps_linear(m, d, eps)
    logf = t.log(t.scalar(Fraction(d) / eps))
    info = {"N_min (kappa-grid)": N, "kappa": f"1/{k}", "N* (lower bound)": nstar, "TV": _fmt(t, tv),
            "N_min/(N* log(d/eps))": N / (nstar * math.log(float(d / eps)))}
    return [Comparison(nstar, N, "<=", "N* (every grid, SR-T2b/c) <= N_min", info),
            Comparison(N, t.scalar(params["C_tight"]) * nstar * logf, "<=", "N_min <= C·N*·log(d/ε)", info)]


def _t2r_instances(size, params):
    ds, es = _T2D_GRID[size]
    return [{"name": f"N_min vs d/eps, copy_pairs m=2, d in {ds}, eps in {es[0]}..{es[-1]}", "m": 2,
             "pairs": [[d, e] for d in ds for e in es]}]


def _check_t2r(inst, params, t):
    pts = {}
    for d, e in inst["pairs"]:
        x = Fraction(d) / Fraction(e)
        N, _, _ = minimal_kappa_grid_steps(inst["m"], d, e, t)
        pts.setdefault(x, []).append(N)
    xs = sorted(x for x in pts if x >= 16)  # below d/ε = 16 the grid is κ = 1/2 or 1: granularity, not rate
    ys = [Fraction(max(pts[x])) for x in xs]  # the worst (d, ε) at each d/ε
    return Series(xs, ys, "d/eps", "N_min", {"pairs": len(inst["pairs"]),
                                             "note": "exponent of d/ε in N_min (logs raise it slightly above 1)"})


# =============================================================================================
# SR-T2, T2a, T2b, T2c: the Euler lower bound via copy-pairs
# =============================================================================================
def _t2_grids(size):
    """Grids as instance fragments: linear uniform/random rational grids, and κ-grids (certified)."""
    out = [{"gname": "linear uniform N=6", "N": 6}, {"gname": "linear uniform N=12", "N": 12},
           {"gname": "linear random N=5 delta=1/10", "times": None, "N": 5, "delta": "1/10", "gseed": 1},
           {"gname": "linear random N=8", "times": None, "N": 8, "delta": "0", "gseed": 2}]
    if size != "small":
        out += [{"gname": "linear uniform N=40", "N": 40},
                {"gname": "linear random N=20", "times": None, "N": 20, "delta": "1/20", "gseed": 3}]
    return out


def _realise(g):
    g = dict(g)
    if "times" in g and g["times"] is None:
        g["times"] = _random_linear_times(random.Random(g["gseed"]), 1, g["delta"], g["N"])
    return g


def _t2a_instances(size, params):
    md = [(2, 2), (3, 2), (2, 4), (4, 2)] + ([(3, 4), (2, 6)] if size != "small" else [(2, 6)])
    return [dict(_realise(g), name=f"m={m},d={d},{g['gname']}", m=m, d=d, law="copy_pairs")
            for m, d in md for g in _t2_grids(size)]


def _check_t2a(inst, params, t):
    law = _law(inst)
    m, d = law.space.m, law.space.d
    clock, T, g = _grid(inst)
    res = euler(law, clock=clock, T=T, grid=g, tier=t)
    closed, ps = copy_pairs_closed_form(euler_unmask_probs(clock, T, g, t), m, d, t)
    return [Comparison(res.tv(), closed, "==", "propagated Euler TV = closed form", {"N": g.N}),
            Comparison(sum(ps, t.zero), 1, "<=", "Σ_k p_k <= 1")]


def _t2b_instances(size, params):
    out = [dict(i, name="uniform-attains " + i["name"]) for i in _t2a_instances(size, params) if "times" not in i]
    out += [dict(i) for i in _t2a_instances(size, params) if "times" in i]
    for m, d in ((2, 2), (2, 4), (3, 2)):
        out.append({"name": f"m={m},d={d},exponential kappa-grid T=3 kappa=1/4 delta=1/16", "m": m, "d": d,
                    "law": "copy_pairs", "clock": "exponential", "T": "3", "kappa": "1/4", "delta": "1/16"})
    # long grids: N ≈ 10³ (m = 4), where TV·N/d → (1−1/m)/2 = 3/8
    big = [(4, 2, 1000)] + ([(2, 4, 1000), (4, 4, 200)] if size != "small" else [])
    out += [{"name": f"m={m},d={d},linear uniform N={N}", "m": m, "d": d, "law": "copy_pairs", "N": N,
             "gname": f"linear uniform N={N}"} for m, d, N in big]
    return out


def _check_t2b(inst, params, t):
    law = _law(inst)
    m, d = law.space.m, law.space.d
    clock, T, g = _grid(inst)
    tv = euler(law, clock=clock, T=T, grid=g, tier=t).tv()
    bound = copy_pairs_uniform_bound(g.N, m, d, t)
    _, ps = copy_pairs_closed_form(euler_unmask_probs(clock, T, g, t), m, d, t)
    s, s2 = sum(ps, t.zero), sum((p * p for p in ps), t.zero)
    out = [Comparison(tv, bound, ">=", "TV >= 1 − (1 − (1−1/m)/N)^{d/2}", {"N": g.N}),
           Comparison(g.N * s2, s * s, ">=", "Cauchy–Schwarz: N·Σp_k² >= (Σp_k)²")]
    if inst["name"].startswith("uniform-attains"):
        out.append(Comparison(tv, bound, "==", "uniform linear steps attain the bound"))
    return out


def _t2c_instances(size, params):
    combos = [(2, 2, "1/10"), (3, 2, "1/10"), (2, 4, "1/10"), (3, 4, "1/5"), (2, 6, "1/5"), (2, 4, "1/3")]
    if size != "small":
        combos += [(2, 6, "1/10"), (3, 4, "1/20")]
    return [{"name": f"m={m},d={d},eps={e}", "m": m, "d": d, "law": "copy_pairs", "eps": e} for m, d, e in combos]


def _check_t2c(inst, params, t):
    law = _law(inst)
    m, d = law.space.m, law.space.d
    eps = t.scalar(inst["eps"])
    n = minimal_steps_linear(m, d, inst["eps"])
    out = [Comparison(euler(law, steps=n, tier=t).tv(), eps, "<=", f"TV at N* = {n} <= ε", {"N*": n})]
    if n > 1:
        out.append(Comparison(euler(law, steps=n - 1, tier=t).tv(), eps, ">", f"TV at N*−1 = {n - 1} > ε"))
    return out


def _t2_instances(size, params):
    out = []
    for m, d in ((2, 2), (4, 2), (2, 4), (3, 4), (2, 6)):
        for g in _t2_grids(size):
            g = _realise(g)
            if g["N"] >= d:
                out.append(dict(g, name=f"m={m},d={d},{g['gname']}", m=m, d=d, law="copy_pairs"))
        out.append({"name": f"m={m},d={d},exponential kappa-grid T=3 kappa=1/4 delta=1/16", "m": m, "d": d,
                    "law": "copy_pairs", "clock": "exponential", "T": "3", "kappa": "1/4", "delta": "1/16"})
    # long grids: N ≈ 10³ (m = 4), where TV·N/d → (1−1/m)/2 = 3/8
    big = [(4, 2, 1000)] + ([(2, 4, 1000), (4, 4, 200)] if size != "small" else [])
    out += [{"name": f"m={m},d={d},linear uniform N={N}", "m": m, "d": d, "law": "copy_pairs", "N": N,
             "gname": f"linear uniform N={N}"} for m, d, N in big]
    return out


def _check_t2(inst, params, t):
    law = _law(inst)
    d = law.space.d
    clock, T, g = _grid(inst)
    tv = euler(law, clock=clock, T=T, grid=g, tier=t).tv()
    return Comparison(tv * g.N / d, t.scalar(params["c_low"]), ">=", "TV·N/d >= c_low (copy-pairs, exact scores)",
                      {"N": g.N, "TV*N/d": t.to_float(tv * g.N / d)})


# =============================================================================================
# SR-T3, T3b, T4, C2: the First-Hitting Sampler
# =============================================================================================
def _t3_instances(size, params):
    md = [(2, 2, "dirichlet"), (3, 3, "dirichlet"), (2, 4, "parity"), (2, 6, "copy_pairs"), (3, 4, "markov")]
    if size != "small":
        md += [(3, 5, "dirichlet"), (2, 6, "dirichlet")]
    return [{"name": f"m={m},d={d},{k},{e}", "m": m, "d": d, "law": k, "seed": d, "est": e, "lam": "7/3"}
            for m, d, k in md for e in ("exact", "rescaled", "context-rescaled")]


def _context_rescaled(law, seed):
    """ĝ_j(·|x) = λ_j(x)·p(·|x_U) with a positive seeded rational λ per (context, j)."""
    m, d = law.space.m, law.space.d
    rng = random.Random(seed)
    tabs = []
    for j, Gj in enumerate(exact_estimator(law).tables("exact")):
        Gj = np.moveaxis(np.array(Gj, dtype=object), j, -1)
        out = np.empty(Gj.shape, dtype=object)
        for ctx in np.ndindex(*Gj.shape[:-1]):
            lam = fmpq(rng.randint(1, 50), rng.randint(1, 50))
            for a in range(m):
                out[ctx + (a,)] = Gj[ctx + (a,)] * lam
        tabs.append(np.moveaxis(out, -1, j))
    return from_tables(tabs, m, d, name="context-rescaled")


def _check_t3(inst, params, t):
    law = _law(inst)
    est = _context_rescaled(law, 1) if inst["est"] == "context-rescaled" else _estimator(inst, law)
    res = fhs(law, est, tier=t)
    return [Comparison(res.tv(), 0, "==", "TV(q0, FHS) = 0", {"states": (law.space.m + 1) ** law.space.d}),
            Comparison(res.leftover_mask_mass, 0, "==", "no mask left")]


def _t3b_instances(size, params):
    md = [(2, 2, "dirichlet"), (2, 3, "copy"), (3, 2, "dirichlet"), (2, 4, "markov"), (3, 3, "dirichlet")]
    if size != "small":
        md += [(2, 5, "dirichlet"), (3, 4, "copy_pairs")]
    out = [{"name": f"m={m},d={d},{k},{e},eta={eta}", "m": m, "d": d, "law": k, "seed": 2 * d, "est": e,
            "eta": eta, "est_seed": 3} for m, d, k in md for e, eta in (("mixing-random", "1/5"), ("noise", "1/5"),
                                                                       ("mixing-random", "1"))]
    # worst cases: d = 1 normalised (TV = ½·eps exactly) and unnormalised extra mass where q_0 = 0
    # (ĝ = q_0 + η·e_1 on a point mass: TV = 1 − (1+η)^{−d}, eps = dη, ratio → 1 as η → 0)
    out += [{"name": f"d=1,m={m},uniform,mixing-random,eta=1/3", "m": m, "d": 1, "law": "uniform",
             "est": "mixing-random", "eta": "1/3", "est_seed": m} for m in (2, 3)]
    out += [{"name": f"point mass m=2,d={d},extra mass eta={eta} (unnormalised)", "m": 2, "d": d, "law": "point",
             "est": "extra-mass", "eta": eta} for d, eta in ((1, "1/100"), (3, "1/100"))]
    return out


def _extra_mass(law: Law, eta):
    """ĝ_j(·|x_U) = q_0(·|x_U) + η·e_1 (unnormalised; off-support rows uniform): mass where q_0 has none."""
    m, d = law.space.m, law.space.d
    eta = fmpq(Fraction(eta).numerator, Fraction(eta).denominator)
    tabs = []
    for j, Gj in enumerate(exact_estimator(law).tables("exact")):
        G = np.array(Gj, dtype=object)
        idx = [slice(None)] * d
        idx[j] = 1
        G[tuple(idx)] = G[tuple(idx)] + eta
        tabs.append(G)
    return from_tables(tabs, m, d, name=f"extra-mass({eta})")


def _check_t3b(inst, params, t):
    law = _law(inst)
    est = _extra_mass(law, inst["eta"]) if inst["est"] == "extra-mass" else _estimator(inst, law)
    tv = fhs(law, est, tier=t).tv()
    eps = fhs_score_error(law, est, tier=t)
    normalised = inst["est"].startswith("mixing")
    c = t.scalar(params["c_normalized"] if normalised else params["c_general"])
    return Comparison(tv, c * eps, "<=", ("normalised ĝ: TV <= c_normalized·eps_FHS" if normalised
                                          else "unnormalised ĝ: TV <= c_general·eps_FHS"),
                      {"TV": _fmt(t, tv), "eps_score_FHS": _fmt(t, eps),
                       "TV/eps": t.to_float(tv / eps) if eps != 0 else None})


def _t3b_family():
    def laws(params):
        return {"p0": int(params["m"]) ** int(params["d"])}

    def build(laws, params, rng):
        return {"m": int(params["m"]), "d": int(params["d"]), "p0": [str(x) for x in laws["p0"]],
                "est": "mixing-random", "eta": str(Fraction(rng.randint(1, 8), 8)), "est_seed": rng.randint(0, 999)}

    return Family(laws=laws, build=build)


def _t4_instances(size, params):
    out = [{"name": f"d=1,m={m},uniform,eta={eta}", "case": "d1", "m": m, "d": 1, "law": "uniform",
            "est": "mixing-random", "eta": eta, "est_seed": m} for m in (2, 3, 4) for eta in ("1/3", "1")]
    out += [{"name": f"point mass m={m},d={d},eta={eta}", "case": "point", "m": m, "d": d, "law": "point",
             "eta": eta} for m, d in ((2, 2), (3, 3), (2, 5)) for eta in ("1/10", "1/1000")]
    return out


def _check_t4(inst, params, t):
    law = _law(inst)
    m, d = law.space.m, law.space.d
    eta = t.scalar(inst["eta"])
    if inst["case"] == "d1":
        est = _estimator(inst, law)
        tv = fhs(law, est, tier=t).tv()
        eps = fhs_score_error(law, est, tier=t)
        return Comparison(tv, eps / 2, "==", "d = 1: TV = ½·eps_score")
    ref = [0, 1] + [0] * (m - 2)
    est = mixing(law, inst["eta"], reference=ref)  # conditionals (1−η, η, 0, …) on the support
    tv = fhs(law, est, tier=t).tv()
    eps = fhs_score_error(law, est, tier=t)
    return [Comparison(tv, t.one - (t.one - eta) ** d, "==", "point mass: TV = 1 − (1−η)^d",
                       {"TV/eps": t.to_float(tv / eps)}),
            Comparison(eps, 2 * d * eta, "==", "point mass: eps_score = 2dη"),
            Comparison(tv, eps / 2, "<=", "TV <= ½·eps_score (ratio → ½ as η → 0)")]


def _time_mixing(law: Law, seed: int, frozen_at=None):
    """A time-dependent normalised estimator ĝ_α(·|x) = (1 − α)·q_0(·|x_U) + α·ρ_j (ρ_j a seeded law per j).

    Degree 1 in α: exact at the all-mask end (α = 0) and increasingly wrong towards the data end (α → 1).
    ``frozen_at=α0`` returns the time-agnostic estimator ĝ_{α0}.
    """
    m, d = law.space.m, law.space.d
    rng = random.Random(seed)
    refs = []
    for _ in range(d):
        w = [rng.randint(1, 9) for _ in range(m)]
        refs.append([fmpq(x, sum(w)) for x in w])
    G = exact_estimator(law).tables("exact")

    def fn(x, alpha):
        out = {}
        for j in range(d):
            if x[j] == m:
                q = G[j][tuple(x[i] if i != j else slice(None) for i in range(d))]
                out[j] = [(1 - alpha) * q[a] + alpha * refs[j][a] for a in range(m)]
        return out

    if frozen_at is not None:
        a0 = fmpq(Fraction(frozen_at).numerator, Fraction(frozen_at).denominator)
        return from_callable(lambda x: fn(x, a0), m, d, name=f"time-mixing(seed={seed}) at alpha={frozen_at}")
    return from_callable(fn, m, d, time_dependent=True, name=f"time-mixing(seed={seed})")


def _f3_instances(size, params):
    md = [(2, 2, "dirichlet"), (2, 3, "dirichlet"), (3, 2, "copy"), (2, 3, "markov")]
    if size != "small":
        md += [(3, 3, "dirichlet"), (2, 4, "copy_pairs")]
    out = [{"name": f"m={m},d={d},{k},time-agnostic mixing-random", "m": m, "d": d, "law": k, "seed": d,
            "est": "mixing-random", "eta": "1/3", "est_seed": 2} for m, d, k in md[:2]]
    out += [{"name": f"m={m},d={d},{k},time-dependent (degree 1)", "m": m, "d": d, "law": k, "seed": d,
             "est": "time-mixing", "est_seed": 5, "N": [16, 64]} for m, d, k in md]
    return out


def _f3_estimator(inst, law):
    return (_time_mixing(law, int(inst["est_seed"])), 1) if inst["est"] == "time-mixing" else (_estimator(inst, law), 0)


def _check_f3(inst, params, t, at=("new", "previous")):
    """Time-agnostic ĝ: both time arguments give random-order AR (fhs); time-dependent ĝ: the fresh-time FHS
    law is what the ancestral grid sampler converges to, the previous-time law is not."""
    law = _law(inst)
    est, deg = _f3_estimator(inst, law)
    good = fhs_time(law, est, degree=deg, at=at[0])
    bad = fhs_time(law, est, degree=deg, at=at[1])
    if deg == 0:
        ar = fhs(law, est, tier=t)
        return [Comparison(total_variation(good.law.probs, ar.law.probs, tier=t), 0, "==", f"TV(FHS[{at[0]} time], random-order AR) = 0"),
                Comparison(total_variation(bad.law.probs, ar.law.probs, tier=t), 0, "==", f"TV(FHS[{at[1]} time], random-order AR) = 0")]
    out = [Comparison(total_variation(good.law.probs, bad.law.probs, tier=t), 0, ">",
                      f"reviewer check 9: TV(FHS[{at[0]}], FHS[{at[1]}]) > 0",
                      {"TV(new, previous)": _fmt(t, total_variation(good.law.probs, bad.law.probs, tier=t)), "TV(q0, FHS)": _fmt(t, good.tv())})]
    prev_gap = None
    for N in inst["N"]:
        a = ancestral(law, est, steps=int(N), tier=t)
        g, b = total_variation(a.law.probs, good.law.probs, tier=t), total_variation(a.law.probs, bad.law.probs, tier=t)
        out.append(Comparison(g, b, "<", f"ancestral N={N} is closer to FHS[{at[0]}] than to FHS[{at[1]}]",
                              {"TV(anc, good)": _fmt(t, g), "TV(anc, other)": _fmt(t, b)}))
        if prev_gap is not None:
            out.append(Comparison(g, prev_gap, "<", f"TV(ancestral N, FHS[{at[0]}]) decreases with N"))
        prev_gap = g
    return out


def _ctl_f3_previous(inst, params, t):
    """Near miss of SR-F3: the estimator evaluated at the previous hitting time taken as the exact FHS law."""
    return _check_f3(inst, params, t, at=("previous", "new"))


def _c2_instances(size, params):
    md = [(2, 2, "dirichlet", "exact"), (2, 3, "copy", "noise"), (3, 3, "dirichlet", "mixing-random"),
          (2, 4, "markov", "time-mixing")]
    return [{"name": f"m={m},d={d},{k},{e}", "m": m, "d": d, "law": k, "seed": d, "est": e, "eta": "1/5",
             "est_seed": 5} for m, d, k, e in md]


def _check_c2(inst, params, t):
    law = _law(inst)
    d = law.space.d
    est, deg = _f3_estimator(inst, law)
    res = fhs_time(law, est, degree=deg)
    out = [Comparison(res.info["expected_events"], d, "==", "expected executed reveal events (NFE) = d",
                      {"events": str(res.info["expected_events"])}),
           Comparison(res.leftover_mask_mass, 0, "==", "no mask left after the events")]
    if deg == 0:  # the hitting times (hence T, δ, a clock or step size) do not enter the law
        out.append(Comparison(total_variation(res.law.probs, fhs(law, est, tier=t).law.probs, tier=t), 0, "==",
                              "time-integrated FHS law = time-free FHS law (time-agnostic ĝ)"))
    return out


# =============================================================================================
# hand-written near-miss controls (each must be refuted on its claim's own instances)
# =============================================================================================
def _ctl_l1_swapped(inst, params, t):
    """Near miss of SR-L1: α read as the masking probability, q(x) = q_0(x^U)·α^{|M|}(1−α)^{|U|}."""
    law = _law(inst)
    m, d = law.space.m, law.space.d
    tab = _contexts(law, t)
    a = t.scalar(inst["alpha"])
    q = forward_dense(law, masking(m, d), alpha=inst["alpha"], tier=t)
    out = []
    for x in q.space.states():
        u = sum(1 for v in x if v != m)
        wrong = tab[x] * (t.one - a) ** u * a ** (d - u) if x in tab else t.zero
        out.append(Comparison(q.probs[x], wrong, "==", f"x={x}: q = q_0(x^U)·α^|M|(1−α)^|U|"))
    return out


def _ctl_l2_inverted(inst, params, t):
    """Near miss of SR-L2: the ratio inverted, r = (1−α)/α (unmasking and masking probabilities confused)."""
    law = _law(inst)
    m, d = law.space.m, law.space.d
    tab = _contexts(law, t)
    a = t.scalar(inst["alpha"])
    q = forward(law, masking(m, d), alpha=inst["alpha"], tier=t)
    out = []
    for x in q.space.states():
        if q.probs[x] == 0:
            continue
        for j in (j for j in range(d) if x[j] == m):
            tot = sum((q.probs[x[:j] + (v,) + x[j + 1:]] / q.probs[x] for v in range(m)), t.zero)
            out.append(Comparison(tot, (t.one - a) / a, "==", f"sum_a s at x={x} j={j} = (1−α)/α"))
    return out


def _ctl_l3_off_by_one(inst, params, t):
    """Near miss of SR-L3: one token too few, TV(q_T, mask) = 1 − (1−α)^{d−1} ≤ (d−1)α."""
    law = _law(inst)
    m, d = law.space.m, law.space.d
    S = MaskedSpace(m, d)
    dirac = Law.point(S, S.all_masked(), t)
    if "alpha" in inst:
        a = t.scalar(inst["alpha"])
        tv = total_variation(forward(law, masking(m, d), alpha=inst["alpha"], tier=t).probs, dirac.probs, tier=t)
        return [Comparison(tv, t.one - (t.one - a) ** (d - 1), "==", "TV = 1 − (1−α)^{d−1}"),
                Comparison(tv, (d - 1) * a, "<=", "TV <= (d−1)·α")]
    tv = total_variation(forward(law, masking(m, d), tau=inst["time"], tier=t).probs, dirac.probs, tier=t)
    return [Comparison(tv, (d - 1) * t.exp(-t.scalar(inst["time"])), "<=", "TV <= (d−1)·e^{−T}")]


def _ctl_l4_off_by_one(inst, params, t):
    """Near miss of SR-L4: one token too few, TV(q_δ, q_0) = 1 − α^{d−1} ≤ (d−1)δ."""
    law = _law(inst)
    m, d = law.space.m, law.space.d
    emb = law.to_masked().to_tier(t)
    if "alpha" in inst:
        a = t.scalar(inst["alpha"])
        tv = total_variation(forward(law, masking(m, d), alpha=inst["alpha"], tier=t).probs, emb.probs, tier=t)
        return [Comparison(tv, t.one - a ** (d - 1), "==", "TV = 1 − α^{d−1}"),
                Comparison(tv, (d - 1) * (t.one - a), "<=", "TV <= (d−1)(1−α)")]
    tv = total_variation(forward(law, masking(m, d), tau=inst["time"], tier=t).probs, emb.probs, tier=t)
    return [Comparison(tv, (d - 1) * t.scalar(inst["time"]), "<=", "TV <= (d−1)·δ")]


def _ctl_l5_product(inst, params, t):
    """Near miss of SR-L5: the kernel's values drawn independently per token, ∏_{j∈R} q_0(y_j | x^U)
    (the Euler/Tweedie factorisation) instead of jointly from q_0(y^R | x^U)."""
    return _check_l5(inst, params, t, joint=False)


def _ctl_l6_unconditioned(inst, params, t):
    """Near miss of SR-L6: p not conditioned on being masked at τ (p = α' − α), and on the κ-grids the
    bracket without its e^h factor (p − h·r < (h²/2)·r)."""
    if "alpha" in inst:
        a, a2 = t.scalar(inst["alpha"]), t.scalar(inst["alpha_next"])
        one_token = Law.point(ProductSpace(2, 1), (0,), t)
        fa = forward(one_token, masking(2, 1), alpha=inst["alpha"], tier=t).probs
        fb = forward(one_token, masking(2, 1), alpha=inst["alpha_next"], tier=t).probs
        p = (fb[(0,)] - fa[(0,)]) / fa[(2,)]
        return [Comparison(p, a2 - a, "==", "p = α' − α (not conditioned on masked at τ)")]
    clock, T, g = ExponentialClock(), Fraction(inst["T"]), kappa_grid(inst["T"], inst["kappa"], inst["delta"])
    taus = [T - x for x in g.times]
    out = []
    for k in range(g.N):
        h = t.scalar(taus[k] - taus[k + 1])
        a, a2 = clock.alpha(taus[k], t), clock.alpha(taus[k + 1], t)
        r = a / (t.one - a)
        out.append(Comparison((a2 - a) / (t.one - a) - h * r, h * h / 2 * r, "<", f"step {k}: p − h·r < (h²/2)·r"))
    return out


def _ctl_k1_right_end(inst, params, t):
    """Near miss of SR-K1: the rate taken at the step's end, h_k·r(τ_{k+1}) ≤ 1 (the other Riemann endpoint)."""
    clock, T = ExponentialClock(), Fraction(inst["T"])
    g = kappa_grid(inst["T"], inst["kappa"], inst["delta"])
    taus = [T - x for x in g.times]
    with t.active():
        return [Comparison(t.scalar(taus[k] - taus[k + 1]) * unmask_rate(clock, taus[k + 1], t), 1, "<=",
                           f"step {k}: h_k·r(τ_(k+1)) <= 1") for k in range(g.N)]


def _ctl_k2_joint(inst, params, t):
    """Near miss of SR-K2: the Euler law claimed equal to the exact reverse kernel's (values drawn jointly)."""
    law = _law(inst)
    N = int(inst["N"])
    eu = euler(law, steps=N, tier=t)
    ex = exact_reverse(law, steps=N, tier=t)
    return Comparison(total_variation(eu.law.probs, ex.law.probs, tier=t), 0, "==", "TV(Euler law, exact-kernel law) = 0")


def _ctl_f1_off_by_one(inst, params, t):
    """Near miss of SR-F1: the conditional law of the maximum of n − 1 masking times (one token too few)."""
    out = []
    for c in _check_f1(inst, params, t):
        w = t.scalar(c.label.split(":")[0][2:])
        out.append(Comparison(c.lhs, w ** (int(inst["n"]) - 1), "==", c.label.replace("= u", "= w^(n−1)")))
    return out


def _ctl_f2_no_conditioning(inst, params, t):
    """Near miss of SR-F2: every token drawn from the all-mask context, ∏_j ĝ_j(y_j | MASK^d) (no conditioning on
    the revealed tokens) taken as the FHS law."""
    law = _law(inst)
    m, d = law.space.m, law.space.d
    est = _estimator(inst, law)
    G = est.tables(t)
    res = fhs(law, est, tier=t)
    full = (m,) * d
    rows = []
    for j in range(d):
        row = [G[j][full[:j] + (a,) + full[j + 1:]] for a in range(m)]
        s = sum(row, t.zero)
        rows.append([v / s for v in row])
    dev = t.zero
    for y in itertools.product(range(m), repeat=d):
        pr = t.one
        for j in range(d):
            pr = pr * rows[j][y[j]]
        dev = dev + abs(res.law.probs[y] - pr)
    return Comparison(dev, 0, "==", "FHS law = ∏_j ĝ_j(y_j | all masked)")


def _ctl_a1_no_beta(inst, params, t):
    """Near miss of SR-A1: the clock's rate β_k dropped from the direct sum (Σ_k h_k E Σ|ŝ − s|)."""
    law = _law(inst)
    est = _a1_estimator(inst, law, t)
    clock, T, g = _grid(inst)
    taus = [T - x for x in g.times]
    direct = sum((t.scalar(taus[k] - taus[k + 1]) * _direct_l1(law, est, clock.alpha(taus[k], t), t)
                  for k in range(g.N)), t.zero)
    lib = l1_score_error_grid(law, est, clock=clock, grid=g, T=T, tier=t)
    return Comparison(lib, direct, "==", "library = Σ_k h_k E Σ|ŝ − s| (β_k dropped)")


def _ctl_a2_no_jacobian(inst, params, t):
    """Near miss of SR-A2: the Jacobian dτ = dα/α dropped, ∫_0^1 L1(α) dα taken as ε_score^FHS."""
    return _check_a2(inst, params, t, jacobian=False)


def _ctl_d1_no_dependence(inst, params, t):
    """Near miss of SR-D1: the joint-vs-product term (b) dropped from the per-step bound."""
    law = _law(inst)
    est = _estimator(inst, law)
    clock, T, g = _grid(inst)
    r = decomposition_terms(law, est, clock, T, g, t)
    return [Comparison(r["step_tv"][k], r["timing"][k] + r["score"][k], "<=",
                       f"step {k}: E TV(P_k, P̂_k) <= (a) timing + (c) score") for k in range(g.N)]


def _ctl_t2a_tokens(inst, params, t):
    """Near miss of SR-T2a: pairs counted as tokens, exponent d instead of d/2."""
    law = _law(inst)
    m, d = law.space.m, law.space.d
    clock, T, g = _grid(inst)
    tv = euler(law, clock=clock, T=T, grid=g, tier=t).tv()
    closed, _ = copy_pairs_closed_form(euler_unmask_probs(clock, T, g, t), m, 2 * d, t)
    return Comparison(tv, closed, "==", "propagated TV = 1 − (...)^d")


def _ctl_t2b_off_by_one(inst, params, t):
    """Near miss of SR-T2b: the bound with N − 1 steps, TV ≥ 1 − (1 − (1−1/m)/(N−1))^{d/2}."""
    law = _law(inst)
    m, d = law.space.m, law.space.d
    clock, T, g = _grid(inst)
    tv = euler(law, clock=clock, T=T, grid=g, tier=t).tv()
    return Comparison(tv, copy_pairs_uniform_bound(g.N - 1, m, d, t), ">=", "TV >= 1 − (1 − (1−1/m)/(N−1))^{d/2}")


def _ctl_t2c_tokens(inst, params, t):
    """Near miss of SR-T2c: pairs counted as tokens, N* = ⌈(1−1/m)/(1 − (1−ε)^{1/d})⌉ (about twice the minimum)."""
    law = _law(inst)
    m, d = law.space.m, law.space.d
    eps = t.scalar(inst["eps"])
    n = minimal_steps_linear(m, 2 * d, inst["eps"])
    out = [Comparison(euler(law, steps=n, tier=t).tv(), eps, "<=", f"TV at N' = {n} <= ε")]
    if n > 1:
        out.append(Comparison(euler(law, steps=n - 1, tier=t).tv(), eps, ">", f"TV at N'−1 = {n - 1} > ε"))
    return out


def _ctl_t4_factor(inst, params, t):
    """Near miss of SR-T4: the factor ½ (d = 1) and the factor 2 of the L1 norm (point mass) dropped."""
    law = _law(inst)
    d = law.space.d
    if inst["case"] == "d1":
        est = _estimator(inst, law)
        return Comparison(fhs(law, est, tier=t).tv(), fhs_score_error(law, est, tier=t), "==", "d = 1: TV = eps_score")
    ref = [0, 1] + [0] * (law.space.m - 2)
    eps = fhs_score_error(law, mixing(law, inst["eta"], reference=ref), tier=t)
    return Comparison(eps, d * t.scalar(inst["eta"]), "==", "point mass: eps_score = dη")


def _ctl_c2_frozen(inst, params, t):
    """Near miss of SR-C2: hitting times claimed never to enter the law, also for a time-dependent ĝ_α
    (compared with the time-free law of ĝ frozen at α = 1/2)."""
    law = _law(inst)
    est, deg = _f3_estimator(inst, law)
    res = fhs_time(law, est, degree=deg)
    if deg == 0:
        frozen = est
    else:
        frozen = _time_mixing(law, int(inst["est_seed"]), frozen_at=Fraction(1, 2))
    return Comparison(total_variation(res.law.probs, fhs(law, frozen, tier=t).law.probs, tier=t), 0, "==",
                      "time-integrated FHS law = time-free law (ĝ frozen at α = 1/2)")


# =============================================================================================
# the claims
# =============================================================================================
_TAGS = "Tags: [abstract] = what the paper's abstract asserts (paraphrased); [reconstructed] = our guess at the form; " \
        "[derived] = derived independently and checked exactly, not claimed to be in the paper."


def _c(id, provenance, statement, formula, check, instances, **kw):
    return Claim(id=id, paper=PAPER, statement=statement + "\n" + _TAGS, formula=formula, provenance=provenance,
                 check=check, instances=instances, source="../shared/papers/sharp_rates_2602.22505.md", **kw)


CLAIMS = [
    _c("SR-L1", "derived-and-exact",
       "[derived] The forward masking law is q_τ(x) = q_0(X^U = x^U)·e^{−τ|U|}(1−e^{−τ})^{|M|}; the full (m+1)^d "
       "generator's exponential (Sylvester's formula on its spectrum {0,−1,…,−d}) equals the closed form state by state. "
       "Proved exactly for rational α = e^{−τ}; the identity is polynomial of degree ≤ d in α and is checked at d + 1 "
       "(here d + 2) exact nodes, so it holds for every α, i.e. every clock.",
       "exp(τQ_full)[q_0](x) = q_0(X^U=x^U)·α^{|U|}(1−α)^{|M|},  α = e^{−τ}",
       _check_l1, _lemma_instances, kind="identity", relation="==",
       controls=[Control("exponents swapped", check=_ctl_l1_swapped,
                         doc="α read as the masking probability: q_0(x^U)·α^|M|(1−α)^|U|")],
       scope=Scope.polynomial("alpha", degree=lambda inst: inst["d"])),
    _c("SR-L2", "derived-and-exact",
       "[derived] Score identity: s_τ(x^{j←a},x) = q_τ(x^{j←a})/q_τ(x) = r(τ)·q_0(a | x^U) with r = α/(1−α) "
       "(= 1/(e^τ−1)), and Σ_a s_τ(x^{j←a},x) = r(τ). Ratios come from the propagated law, conditionals from direct "
       "sums; exact for rational α. Multiplied by q_α(x)(1−α) both sides are polynomials of degree ≤ d+1 in α, so "
       "d + 2 exact nodes prove it for every α ∈ (0,1), i.e. for every clock.",
       "q_α(x^{j←a})/q_α(x) = (α/(1−α))·q_0(a|x^U),  Σ_a = α/(1−α)",
       _check_l2, _lemma_instances, kind="identity", relation="==",
       controls=[Control("ratio inverted", check=_ctl_l2_inverted,
                         doc="Σ_a s = (1−α)/α instead of α/(1−α)")],
       scope=Scope.polynomial("alpha", degree=lambda inst: inst["d"] + 1)),
    _c("SR-L3", "derived-and-exact",
       "[abstract] Euler needs no surrogate initialisation (start from the all-mask law). [derived] The initialisation "
       "error is TV(q_T, δ_MASK^{⊗d}) = 1 − (1−e^{−T})^d ≤ d·e^{−T}: the identity and bound are proved exactly for "
       "rational α = e^{−T}; the bound also with certified balls at rational T (strict for d ≥ 2).",
       "TV(q_T, δ_MASK) = 1 − (1−α)^d ≤ dα,  α = e^{−T}",
       _check_l3, _init_instances,
       controls=[Control("one token too few", check=_ctl_l3_off_by_one,
                         doc="1 − (1−α)^{d−1} and (d−1)·e^{−T} in place of d")]),
    _c("SR-L4", "derived-and-exact",
       "[derived] Early stopping costs TV(q_δ, q_0) = 1 − e^{−dδ} ≤ dδ: exact for rational α = e^{−δ} "
       "(1 − α^d ≤ d(1−α) ≤ dδ), and TV ≤ dδ with certified balls at small rational δ ∈ {1/64, 1/1024}, where "
       "the bound is nearly attained (1 − e^{−dδ} ≈ dδ), so a tightened bound fails.",
       "TV(q_δ, q_0) = 1 − α^d ≤ d(1 − α) ≤ dδ,  α = e^{−δ}",
       _check_l4, _l4_instances,
       controls=[Control("one token too few", check=_ctl_l4_off_by_one,
                         doc="1 − α^{d−1} and (d−1)·δ in place of d")]),
    _c("SR-L5", "derived-and-exact",
       "[derived] The exact reverse kernel over [τ−h, τ]: the unmasked set R ⊆ M(x) is i.i.d. Bernoulli(p), "
       "p = (e^h−1)/(e^τ−1), values drawn jointly from q_0(·|x^U). The reverse generator is r(τ)·L with L time-free, "
       "so the kernel is exp(Λ L) with e^{−Λ} = 1 − p; checked exactly for rational p (Sylvester's formula after "
       "verifying ∏_k (L + kI) = 0), together with q_α·K = q_{α+p(1−α)}. Kernel entries are polynomials of degree ≤ d "
       "in p: d + 1 exact nodes prove the kernel identity for every p (every step on every clock).",
       "exp(ΛL)(x,y) = p^{|R|}(1−p)^{|M|−|R|}·q_0(y^R | x^U),  e^{−Λ} = 1 − p",
       _check_l5, _kernel_instances, kind="identity", relation="==",
       controls=[Control("values drawn per token", check=_ctl_l5_product,
                         doc="∏_{j∈R} q_0(y_j|x^U) in place of the joint q_0(y^R|x^U)")],
       scope=Scope.polynomial("p", degree=lambda inst: inst["d"])),
    _c("SR-L6", "derived-and-exact",
       "[derived] Timing error of one Euler step: p − h·r(τ) = (e^h − 1 − h)/(e^τ − 1) ∈ [0, (h²/2)e^h·r(τ)]. "
       "The identity p(e^τ−1) = e^h − 1 is proved exactly for rational α = e^{−τ}, α' = e^{−(τ−h)}; the bracket is "
       "proved with certified balls on every step of κ-grids (strict for h > 0).",
       "p − h·r = (e^h−1−h)/(e^τ−1),  0 < p − h·r < (h²/2)e^h·r",
       _check_l6, _l6_instances,
       controls=[Control("unconditioned p / e^h dropped", check=_ctl_l6_unconditioned,
                         doc="p = α′ − α (not conditioned on masked at τ); bracket (h²/2)·r without e^h")]),
    _c("SR-K1", "derived-and-exact",
       "[derived] On the grid h_k = κ·min{1, T−t_k} with κ ≤ 1 (exponential clock), the Euler unmasking probability "
       "with exact scores h_k·r(τ_k) = h_k/(e^{τ_k}−1) is at most 1 on every step (certified balls).",
       "h_k·r(τ_k) ≤ 1 for all k",
       _check_k1, _k1_instances,
       controls=[Control("rate at the step's end", check=_ctl_k1_right_end,
                         doc="h_k·r(τ_(k+1)) <= 1: the right Riemann endpoint")]),
    _c("SR-K2", "derived-and-exact",
       "[derived] On the linear clock α_t = 1 − t with uniform steps, the Euler probability h/t equals the exact "
       "per-token probability (α_s − α_t)/(1 − α_t), so the Euler law equals the Tweedie (ancestral) law exactly, and "
       "the last step unmasks everything (no leftover mask).",
       "Euler law = Tweedie law;  leftover mask mass = 0",
       _check_k2, _sampler_instances, kind="identity", relation="==",
       controls=[Control("joint values", check=_ctl_k2_joint,
                         doc="Euler law claimed equal to the exact reverse kernel (values drawn jointly)")]),
    _c("SR-F1", "derived-and-exact",
       "[related: Zheng et al. 2409.02908, Prop. 4.1] FHS draws τ_{n−1} = α^{−1}(1 − u^{1/n}(1 − α(τ_n))). [derived] "
       "Its law is that of the maximum of n masking times conditioned to be ≤ τ_n: the forward engine's "
       "P(all n masked at τ_{n−1})/P(all n masked at τ_n) equals u, on the linear clock and on the exponential clock "
       "(in α), exactly (u = w^n with rational w).",
       "P(max_i E_i ≤ τ_{n−1}(u) | max_i E_i ≤ τ_n) = u",
       _check_f1, _f1_instances, kind="identity", relation="==",
       controls=[Control("n − 1 masking times", check=_ctl_f1_off_by_one,
                         doc="P(max ≤ τ′ | all ≤ τ_n) = w^(n−1): one token too few")]),
    _c("SR-F2", "derived-and-exact",
       "[derived] Decoupling: under the true reverse chain the unmasking order is uniform and independent of the "
       "values (P(order π, values y) = q_0(y)/d!, computed from the forward law's score ratios); for time-agnostic ĝ "
       "the FHS law equals random-order autoregressive sampling with ĝ (exact).",
       "P(π, y) = q_0(y)/d!;  law(FHS) = E_π ∏_k ĝ(y_{π_k} | y_{π<k})",
       _check_f2, _f2_instances, kind="identity", relation="==",
       controls=[Control("no conditioning", check=_ctl_f2_no_conditioning,
                         doc="FHS law taken as ∏_j ĝ_j(y_j | all masked)")]),
    _c("SR-A1", "derived-and-exact",
       "[abstract] The analysis relaxes the score-estimation assumptions of earlier KL analyses. [reconstructed] "
       "Assumption A1: ε_score^Eul = Σ_k h_k E_{x∼q_{T−t_k}} Σ_{y≠x} Q(y,x)|ŝ − s| (an L1 error over single-unmask "
       "moves, no bound on ŝ). [derived] The implementation identity: the library's grid error equals the direct "
       "enumeration of this definition (scores from the forward law), also for an estimator with a zero entry "
       "(infinite score entropy). Linear clock, exact. The TV consequence is SR-A1b.",
       "l1_score_error_grid = Σ_k h_k β_k Σ_x q_{τ_k}(x) Σ_{j∈M(x),a} |r ĝ_j(a|x) − s(x^{j←a},x)|",
       _check_a1, _a1_instances, kind="identity", relation="==",
       controls=[Control("β_k dropped", check=_ctl_a1_no_beta,
                         doc="the clock rate β(τ_k) omitted from the direct sum")]),
    _c("SR-A1b", "reconstructed",
       "[abstract] The analysis relaxes the score assumptions of KL analyses. [reconstructed] sweep 5: an estimator "
       "with one visited-context entry set to 0 where p > 0 (score entropy = ∞, the KL route fails) or tripled has "
       "a finite L1 error, and the SR-T1b bound TV(ŝ) ≤ TV(s) + C_score·ε_score^Eul still holds (linear clock T = 1, "
       "exact; exponential κ-grid, certified). Found here: with a short horizon (linear T = 1/2, all-mask start far "
       "from q_T) the same form fails — ε_score weights errors by q_τ, not by the sampler's path, so the "
       "initialisation error must enter (the control).",
       "score entropy = ∞ yet TV(ŝ) ≤ TV(s) + C_score·Σ_k h_k β_k E_{q_k} Σ|ŝ − s|",
       _check_a1b, _a1b_instances, generic_controls=False,
       params=[Param("C_score", "1", "rational", "constant in front of ε_score^Eul", domain=">= 0")],
       controls=[Control("short horizon T = 1/2", check=_ctl_a1b_short_horizon,
                         doc="linear instances rerun with T = 1/2: the all-mask start is far from q_T"),
                 Control("score term dropped", params={"C_score": "0"},
                         doc="C_score = 0: the perturbed estimator does change the law")]),
    _c("SR-A2", "derived-and-exact",
       "[derived] For time-agnostic ŝ_τ = r(τ)ĝ on the exponential clock, ε_score^FHS = ∫_0^∞ E_{q_τ} Σ |ŝ_τ − s_τ| dτ "
       "equals the Beta-weighted subset sum Σ_U |U|!(d−|U|−1)!/d! Σ_{j∉U} E‖ĝ − q_0(·|x^U)‖_1. The integral is "
       "computed exactly: in α the integrand L1(α)/α is a polynomial of degree d−1 (confirmed at an extra node), "
       "interpolated and integrated over [0,1].",
       "∫_0^1 L1(α)/α dα = Σ_U B(|U|+1, d−|U|)·Σ_{j∉U} E‖ĝ_j − q_0(·|x_U)‖_1",
       _check_a2, _a2_instances, kind="identity", relation="==",
       controls=[Control("Jacobian dropped", check=_ctl_a2_no_jacobian,
                         doc="∫_0^1 L1(α) dα in place of ∫_0^1 L1(α)/α dα")]),
    _c("SR-D1", "derived-and-exact",
       "[abstract] The Euler analysis is a TV error decomposition along the CTMC trajectory. [reconstructed] form (A); "
       "[derived] it holds: TV(q_0, p̂_N) ≤ TV(q_T, δ_MASK) + Σ_k E_{x∼q_{T−t_k}} TV(P_k(x,·), P̂_k(x,·)) + TV(q_δ, q_0), "
       "and per step E TV(P_k, P̂_k) ≤ (a) timing |M||p − h r| + (b) joint-vs-product + (c) score; Σ_k (c) = "
       "ε_score^Eul. Every term is computed exactly (linear clock) or in certified balls (κ-grid) and reported. In the "
       "regime T = 8, δ = 1/1024 (κ-grid, exact scores) each sum is O(d·κ): Σ(a) ≤ C_timing·d·κ (sharp ≈ 0.32, the "
       "same for every law: it is Σ_k |p_k − h_k r_k| per token) and Σ(b) ≤ C_dep·d·κ (sharp ≈ 0.059, copy-pairs), "
       "and the TV exceeds the init + early-stop floor.",
       "TV ≤ init + Σ_k E TV(P_k, P̂_k) + early stop;  E TV(P_k, P̂_k) ≤ (a) + (b) + (c)",
       _check_d1, _d1_instances,
       params=[Param("C_timing", "1/2", "rational", "constant of Σ(a) ≤ C·d·κ on the κ-grid", domain=">= 0"),
               Param("C_dep", "1/10", "rational", "constant of Σ(b) ≤ C·d·κ on the κ-grid", domain=">= 0")],
       sharp=[Sharp("C_timing", direction="smaller"), Sharp("C_dep", direction="smaller")],
       controls=[Control("dependence term dropped", check=_ctl_d1_no_dependence,
                         doc="E TV(P_k, P̂_k) <= (a) + (c): the joint-vs-product term (b) omitted")]),
    _c("SR-D2", "reconstructed",
       "[reconstructed] Decomposition (B): freeze the Euler rates at the left grid point (hazard −log(1 − hŝ)/h towards "
       "∝ ŝ(·|x_{t_k})); TV ≤ TV(init) + Σ_k ∫ E Σ_y |Q⃖_t(x_t,y) − Q̃_t(x_{t_k}; x_t,y)| dt + TV(early stop). The "
       "time integral is a float Gauss–Legendre quadrature (never 'proved').",
       "TV ≤ init + Σ_k ∫_{t_k}^{t_{k+1}} E Σ_y |Q⃖_t − Q̃_t| dt + early stop",
       _check_d2, _d2_instances, default_tier="float", generic_controls=False,
       params=[Param("nodes", 24, "int", "Gauss–Legendre nodes per step")],
       controls=[Control("integral term dropped", check=_ctl_d2_no_integral,
                         doc="TV ≤ init + early stop: the trajectory term omitted")]),
    _c("SR-X1", "stated-in-abstract",
       "[abstract] Euler started from the all-mask law (no surrogate initialisation) converges in TV. Encoded check "
       "[reconstructed]: with exact scores on the exponential clock, TV strictly decreases along a refining sequence "
       "(T ↑, κ ↓, δ ↓) and falls below `target` (certified balls); and starting from δ_MASK instead of the forward "
       "marginal q_T changes the output law by at most d·e^{−T} (data processing; observed ratio 0.03–0.3, shrinking "
       "with T). A finite check, not the limit.",
       "TV(T_{i+1},κ_{i+1},δ_{i+1}) < TV(T_i,κ_i,δ_i);  TV_last ≤ target;  TV(p̂_{δ_MASK}, p̂_{q_T}) ≤ d·e^{−T}",
       _check_x1, _x1_instances,
       params=[Param("target", "1/10", "rational", "the TV the last schedule must reach")]),
    _c("SR-T1", "reconstructed",
       "[abstract] An Euler TV upper bound with better parameter dependence than KL analyses, tight in d and ε. "
       "[reconstructed] form: TV ≤ A·d·e^{−T} + B·d·δ + C·d·κ·(1+log 1/κ)^L (A, B, C, L parameters; exact scores, "
       "exponential clock, κ·min(1,T−t) grid; certified). Instances are in the theorem's regime (T = 8, δ = 1/1024, "
       "κ ∈ {1/4, 1/8, 1/16}: e^{−T} and δ far below κ), so the discretisation term is what is compared and C = 0 "
       "refutes. C is OUR constant (the paper's is unknown): the default 1/8 is the copy-pairs value "
       "(1−1/m)·Σ_k p_k²/(2κ) → ≈ 0.118 as m → ∞, κ → 0, rounded up; `proofs-check sharpness SR-T1` prints the "
       "sharp C on the instances (≈ 0.088, at copy-pairs m = 4). The rate facets are SR-T1r. `--search` looks for "
       "data laws with large TV/(d·κ).",
       "TV(q_0, p̂^Eul) ≤ A·d·e^{−T} + B·d·δ + C·d·κ·(1+log(1/κ))^L   (checked divided by d·κ: lhs = TV/(d·κ))",
       _check_t1, _t1_instances, family=_t1_family(),
       params=[Param("A", "1", "rational", "constant of the initialisation term d·e^{−T}", domain=">= 0"),
               Param("B", "1", "rational", "constant of the early-stopping term d·δ", domain=">= 0"),
               Param("C", "1/8", "rational", "constant of the discretisation term d·κ", domain=">= 0"),
               Param("log_power", 0, "int", "power L of the log factor (1+log(1/κ))^L (0: no log)", domain=">= 0"),
               Param("m", 2, "int", "alphabet size of searched laws (search only)", search_only=True),
               Param("d", 3, "int", "length of searched laws (search only)", search_only=True),
               Param("search_T", "6", "rational", "horizon T of searched instances", search_only=True),
               Param("search_kappa", "1/4", "rational", "κ of searched instances", search_only=True),
               Param("search_delta", "1/256", "rational", "δ of searched instances", search_only=True)],
       sharp=[Sharp("C", direction="smaller")],
       controls=[Control("κ² in place of κ", check=_ctl_t1_kappa_squared,
                         doc="TV ≤ A·d·e^{−T} + B·d·δ + C·d·κ²: a discretisation error of second order")]),
    _c("SR-T1r", "reconstructed",
       "[reconstructed] Rate facets of the Euler upper bound, fitted and never proved: TV − floor ∝ 1/N "
       "(exponent of 1/N = 1, slope −1 in N) on the exponential κ-grid and on the uniform linear clock, and ∝ d at "
       "fixed κ (exponent 1). The floor is the TV of the exact reverse kernel on the same grid.",
       "TV − floor ≈ c·N^{−a}, a = 1;   TV − floor ≈ c·d^{a}, a = 1",
       _check_t1, _t1r_instances, kind="rate",
       params=[Param("exponent", "1", "real", "expected exponent of the rate series (of 1/N and of d)"),
               Param("tolerance", "0.15", "real", "allowed deviation of a fitted exponent"),
               Param("min_r2", "0.99", "real", "smallest accepted R² of the log-log fit")]),
    _c("SR-T1d", "reconstructed",
       "[abstract] the Euler rate is tight in d. [reconstructed] check: at a fixed step size (linear clock, uniform "
       "N steps, exact scores) −log(1 − TV) grows linearly in d, fitted over block-product laws up to d = 512 "
       "(exact block laws via mdtheory.samplers.blocks, TV summed over class-count vectors, exact). For copy blocks "
       "1 − TV is exactly multiplicative over blocks (the fit checks the block engine and the linear growth); Markov "
       "blocks of length 4 are not pairs and not exactly additive. TV itself saturates at large d, so it is fitted "
       "on −log(1 − TV) ≈ TV for small TV. A fit with R² ≥ min_r2, never proved.",
       "−log(1 − TV_d) ≈ c·d^a,  a = 1  (fixed step size)",
       _check_t1d, _t1d_instances, kind="rate", default_tier="certified",
       params=[Param("exponent", "1", "real", "expected exponent of d"),
               Param("tolerance", "0.05", "real", "allowed deviation of the fitted exponent"),
               Param("min_r2", "0.99", "real", "smallest accepted R² of the log-log fit")],
       controls=[Control("√d rate", params={"exponent": "0.5"},
                         doc="exponent 1/2: the √d growth of TV between products of nearby laws (FD-R1)")]),
    _c("SR-T1e", "reconstructed",
       "[reconstructed] Found here (SR-T1d's sweep on laws that are not products of pairs): for a full-support data "
       "law made of Markov blocks (length 4, flip 1/5) the Euler error at a fixed step size reweights states inside "
       "the support, and −log(1 − TV) (≈ TV, small here) grows like √d — the regime of TV between products of nearby "
       "laws (FD-R1) — not like d as on copy blocks, whose error puts mass off the support. So the d·κ upper bound "
       "is attained in d by off-support errors (copy pairs, SR-T2) and is loose by √d on these laws at this d. "
       "Exact block laws (mdtheory.samplers.blocks), a fit with R² ≥ min_r2, never proved.",
       "−log(1 − TV_d) ≈ c·d^a,  a = 1/2  (full-support Markov blocks, fixed step size, TV small)",
       _check_t1d, _t1e_instances, kind="rate", default_tier="certified",
       params=[Param("exponent", "0.5", "real", "expected exponent of d"),
               Param("tolerance", "0.05", "real", "allowed deviation of the fitted exponent"),
               Param("min_r2", "0.99", "real", "smallest accepted R² of the log-log fit")],
       controls=[Control("linear rate", params={"exponent": "1"},
                         doc="exponent 1: the linear growth of the copy-pairs lower bound (SR-T2) claimed here")]),
    _c("SR-T1b", "reconstructed",
       "[reconstructed] With estimated scores, TV(q_0, p̂^Eul_ŝ) ≤ (TV with exact scores) + C_score·ε_score^Eul "
       "(A1's L1 error). Multiplicative noise ŝ = s(1 + ηξ) and mixtures; exact on the linear clock, certified on the "
       "κ-grid.",
       "TV_ŝ ≤ TV_s + C_score·ε_score^Eul",
       _check_t1b, _t1b_instances,
       params=[Param("C_score", "1", "rational", "constant in front of ε_score^Eul", domain=">= 0")],
       sharp=[Sharp("C_score")]),
    _c("SR-T2", "stated-in-abstract",
       "[abstract] The first Euler lower bound, tight in d and ε. Encoded check [reconstructed instance]: copy-pairs "
       "data with exact scores has TV·N/d ≥ c_low on every grid tried with N ≥ d (so N = Ω(d/ε)); exact on linear "
       "grids, certified on κ-grids.",
       "TV(q_0, p̂^Eul)·N/d ≥ c_low",
       _check_t2, _t2_instances,
       params=[Param("c_low", "1/5", "rational", "lower constant; 1/5 ≤ (1−1/m)/2·1/(1+d/(4N)) for N ≥ d", domain=">= 0")],
       sharp=[Sharp("c_low")]),
    _c("SR-T2a", "derived-and-exact",
       "[derived] Copy-pairs (d/2 independent pairs x^{2i−1} = x^{2i} ~ Unif[m]) with exact scores, on any grid: "
       "TV = 1 − ((Σ_k p_k)² − (1−1/m)Σ_k p_k²)^{d/2}, p_k = c_k∏_{j<k}(1−c_j), c_k = h_k β r. The identity is "
       "polynomial in the c_k; rational linear-clock grids realise any rational sequence (c_k), so the exact check "
       "covers every clock's grids.",
       "TV = 1 − ((Σp_k)² − (1−1/m)Σp_k²)^{d/2}",
       _check_t2a, _t2a_instances,
       controls=[Control("exponent d", check=_ctl_t2a_tokens,
                         doc="pairs counted as tokens: 1 − (...)^d")]),
    _c("SR-T2b", "derived-and-exact",
       "[derived] Cauchy–Schwarz: every N-step grid gives copy-pairs TV ≥ 1 − (1 − (1−1/m)/N)^{d/2} "
       "(≈ d(1−1/m)/(2N)); uniform linear-clock steps attain it exactly. Exact on linear grids, certified on κ-grids.",
       "TV ≥ 1 − (1 − (1−1/m)/N)^{d/2}, equality for uniform linear steps",
       _check_t2b, _t2b_instances,
       controls=[Control("N − 1 steps", check=_ctl_t2b_off_by_one,
                         doc="the bound with N − 1 in place of N")]),
    _c("SR-T2c", "derived-and-exact",
       "[derived] Linear clock, uniform steps, copy-pairs: the smallest N with TV ≤ ε is "
       "N* = ⌈(1−1/m)/(1 − (1−ε)^{2/d})⌉ ≈ d(1−1/m)/(2ε). N* from a certified root (ties decided exactly); "
       "TV(N*) ≤ ε < TV(N*−1) by exact propagation.",
       "min{N : TV_N ≤ ε} = ⌈(1−1/m)/(1 − (1−ε)^{2/d})⌉",
       _check_t2c, _t2c_instances,
       controls=[Control("exponent 1/d", check=_ctl_t2c_tokens,
                         doc="pairs counted as tokens: ⌈(1−1/m)/(1 − (1−ε)^{1/d})⌉")]),
    _c("SR-T2d", "reconstructed",
       "[abstract] The Euler rate is tight in d and ε. [reconstructed] check: on copy-pairs (m = 2) the smallest "
       "κ-grid N with TV ≤ ε (κ = 1/k, T ≥ log(4d/ε), δ = ε/(4d); exact search, certified) lies between the lower "
       "bound N* of every grid (SR-T2c) and C·N*·log(d/ε), over ε ∈ {1/4 … 1/32} (… 1/64 in medium) and "
       "d ∈ {2, 4, 6, …}. C is ours; `sharpness` prints the sharp value (≈ 2.64, at d = 2, ε = 1/4, where "
       "log(d/ε) is smallest; ≈ 0.7–0.9 elsewhere).",
       "N* ≤ N_min(ε, d) ≤ C·N*(ε, d)·log(d/ε)",
       _check_t2d, _t2d_instances,
       params=[Param("C_tight", "3", "rational", "constant of the upper envelope", domain="> 0")],
       sharp=[Sharp("C_tight", direction="smaller")]),
    _c("SR-T2r", "reconstructed",
       "[reconstructed] Rate of the step complexity: N_min (SR-T2d's exact search) against d/ε on copy-pairs grows "
       "with exponent ≈ 1 (logs push it slightly above; the worst (d, ε) at each d/ε ≥ 16, below which κ ∈ {1, 1/2} "
       "makes N a step function); a fit, never proved.",
       "N_min ≈ c·(d/ε)^a,  a = 1",
       _check_t2r, _t2r_instances, kind="rate",
       params=[Param("exponent", "1", "real", "expected exponent of d/ε"),
               Param("tolerance", "0.15", "real", "allowed deviation of the fitted exponent"),
               Param("min_r2", "0.99", "real", "smallest accepted R² of the log-log fit (≈ 0.991 on small)")]),
    _c("SR-T3", "stated-in-abstract",
       "[abstract] FHS has no sampling error beyond score estimation. Encoded check [derived]: FHS with exact scores, "
       "a uniform rescaling λ·s, or a positive per-context rescaling reproduces q_0 exactly (TV = 0 in rationals).",
       "TV(q_0, p̂^FHS) = 0 for ŝ = λ(x)·s, λ > 0",
       _check_t3, _t3_instances, kind="identity", relation="=="),
    _c("SR-T3b", "reconstructed",
       "[abstract] FHS error is controlled by the score error alone. [reconstructed] form: TV(q_0, p̂^FHS) ≤ "
       "c_general·ε_score^FHS, and ≤ c_normalized·ε_score^FHS (c = ½) for normalised estimates (A2's error). Exact. "
       "Both constants are attained: d = 1 normalised estimates give TV = ½·ε exactly, and an unnormalised estimate "
       "putting extra mass η where q_0 has none (point mass) gives TV/ε = ((1+η)^d − 1)/(dη(1+η)^d) → 1 as η → 0; "
       "the random estimates alone would allow c_general ≈ 1/5.",
       "TV ≤ ½·ε_score^FHS (normalised ĝ);  TV ≤ ε_score^FHS (any ĝ ≥ 0)",
       _check_t3b, _t3b_instances, family=_t3b_family(),
       params=[Param("c_normalized", "1/2", "rational", "constant for normalised estimators", domain=">= 0"),
               Param("c_general", "1", "rational", "constant for unnormalised estimators", domain=">= 0"),
               Param("m", 2, "int", "alphabet size of searched laws (search only)", search_only=True),
               Param("d", 3, "int", "length of searched laws (search only)", search_only=True)],
       sharp=[Sharp("c_normalized", direction="smaller"), Sharp("c_general", direction="smaller")]),
    _c("SR-T4", "derived-and-exact",
       "[abstract] a matching FHS lower bound exists. [reconstructed] instances, [derived] values: d = 1, uniform q_0, "
       "normalised g: TV = ½·ε_score; point mass q_0 = δ_0 with conditionals (1−η, η, 0, …): TV = 1 − (1−η)^d and "
       "ε_score = 2dη, so TV/ε_score → ½ as η → 0. Exact.",
       "d=1: TV = ½ε;  δ-data: TV = 1 − (1−η)^d, ε = 2dη",
       _check_t4, _t4_instances,
       controls=[Control("factor 2 lost", check=_ctl_t4_factor,
                         doc="d = 1: TV = ε; point mass: ε = dη (the L1 norm counts both moved masses)")]),
    _c("SR-C1", "reconstructed",
       "[reconstructed] Euler complexity: a step budget N = c_N·(d/ε)·log(d/ε) suffices for TV ≤ ε (exact scores). "
       "The budget is fixed first; then T ≥ log(4d/ε), δ = ε/(4d) and the finest κ ∈ {j/64} whose κ·min(1,T−t) grid "
       "fits the budget are derived from it, and TV ≤ ε is tested (certified). c_N = 1/2 is ours (the paper's constant "
       "is unknown); half that budget fails on the instances, so it is sharp within a factor 2 (the margin is a step "
       "function of c_N, so `sharpness` cannot bracket it; the control c_N = 1/2 stands in).",
       "N_budget = ⌊c_N·(d/ε)·log(d/ε)⌋ ⇒ TV(κ(N_budget)) ≤ ε",
       _check_c1, _c1_instances,
       params=[Param("c_N", "1/2", "rational", "step budget constant", domain="> 0")],
       controls=[Control("half the budget", params={"c_N": "1/4"},
                         doc="c_N = 1/2: the stated budget is sharp within a factor 2 on the instances")]),
    _c("SR-C2", "derived-and-exact",
       "[derived] FHS performs d reveal events (NFE = d) and leaves no mask: the expected number of executed events "
       "is counted from the exact stage laws of the time-integrated sampler (mass still holding a mask before each "
       "reveal), for time-agnostic and time-dependent estimators; for time-agnostic ĝ the time-integrated law "
       "equals the time-free law, so T, δ, a clock or a step size cannot enter it (exact).",
       "E[#events] = Σ_k P(a mask remains before reveal k) = d;  law(FHS with times) = law(FHS without)",
       _check_c2, _c2_instances,
       controls=[Control("frozen time", check=_ctl_c2_frozen,
                         doc="time-dependent ĝ_α: the law claimed equal to the time-free law of ĝ at α = 1/2")]),
    _c("SR-F3", "derived-and-exact",
       "[related: Zheng et al. 2409.02908] FHS is an exact simulation only if the estimator is evaluated at the "
       "freshly drawn hitting time. [derived] On the linear clock with hitting times from their exact law (order "
       "statistics of d uniforms, integrated exactly as polynomials): for time-agnostic ĝ both time arguments give "
       "random-order autoregression; for a time-dependent ĝ_α (degree 1 in α) evaluating at the previous hitting "
       "time changes the law (reviewer check 9), and the ancestral grid sampler with the same ĝ_α converges to the "
       "fresh-time law, not to the previous-time one (N = 16, 64).",
       "time-agnostic: FHS[new] = FHS[prev] = AR;  time-dependent: TV(FHS[new], FHS[prev]) > 0, "
       "TV(anc_N, FHS[new]) < TV(anc_N, FHS[prev]) and ↓ in N",
       _check_f3, _f3_instances, generic_controls=False,
       controls=[Control("previous hitting time", check=_ctl_f3_previous,
                         doc="the estimator evaluated at the previous hitting time taken as the exact FHS law")]),
]
