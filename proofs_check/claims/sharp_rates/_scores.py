"""SR claims (scores): part of :mod:`proofs_check.claims.sharp_rates` (see its docstring)."""


from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from flint import fmpq, fmpq_mat

from mdtheory.generators import masking
from mdtheory.masked_score_errors import fhs_score_error, l1_score_error_grid, score_entropy_error_grid
from mdtheory.masked_scores import (
    exact_estimator,
    from_tables,
)
from mdtheory.propagate import forward
from mdtheory.samplers import euler

from ...claim import Comparison
from ._common import _estimator, _fmt, _grid, _law


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


