"""SR claims (euler_lower): part of :mod:`proofs_check.claims.sharp_rates` (see its docstring)."""


from __future__ import annotations

import math
import random
from fractions import Fraction

from mdtheory.samplers import euler
from mdtheory.schedules import ExponentialClock, kappa_grid

from ...claim import Comparison, Series
from ._common import (
    _fmt, _grid, _law, _random_linear_times, copy_pairs_closed_form, copy_pairs_uniform_bound, euler_unmask_probs,
    minimal_steps_linear,
)


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


