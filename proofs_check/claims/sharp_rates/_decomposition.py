"""SR claims (decomposition): part of :mod:`proofs_check.claims.sharp_rates` (see its docstring)."""


from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from mdtheory.divergences import tv as total_variation
from mdtheory.masked_score_errors import l1_score_error_grid
from mdtheory.masked_scores import (
    unmask_rate,
)
from mdtheory.samplers import euler
from mdtheory.tiers import get_tier

from ...claim import Comparison
from ._common import _contexts, _estimator, _extensions, _fmt, _grid, _law, _q_alpha


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
           # T = 4, δ = 1/16: init + early stop (0.154) is below the TV (0.242), so the integral term is needed
           # (with T = 2, δ = 1/4 the floor alone exceeded the TV and the instance did not test the integral)
           {"name": "m=2,d=2,copy_pairs,exact,exponential T=4,kappa=1/2,delta=1/16", "m": 2, "d": 2,
            "law": "copy_pairs", "est": "exact", "clock": "exponential", "T": "4", "kappa": "1/2",
            "delta": "1/16"}]
    return out


def _d2_integrand(tab, G, m, d, tau, t0, h, c, a0, al, rate, log1p, inf):
    """``E Σ_y |Q⃖_τ − Q̃_τ|`` at forward time ``τ`` inside the step from ``t0`` (length ``h``), in any arithmetic:
    floats (``τ`` a node) or ``arb`` balls (``τ`` a ball enclosing a sub-interval: the result encloses the
    integrand over all of it).  ``c = h·rate(t0)``, ``a0 = α(t0)``."""
    p = (al(tau) - a0) / (1 - a0)  # P(a masked token at τ_k is unmasked by τ)
    rt = rate(tau)
    acc = 0
    for x, cx in tab.items():
        M = [j for j in range(d) if x[j] == m]
        if not M:
            continue
        qx = cx * a0 ** (d - len(M)) * (1 - a0) ** len(M)
        gh = {j: [G[j][x[:j] + (v,) + x[j + 1:]] for v in range(m)] for j in M}
        lam = {}
        for j in M:
            sj = sum(gh[j])
            lam[j] = -log1p(-c * sj) / h if c * sj < 1 else inf  # the frozen hazard −log(1 − h ŝ)/h
        for y, R in _extensions(x, m):
            if y not in tab:
                continue
            py = qx * p ** len(R) * (1 - p) ** (len(M) - len(R)) * tab[y] / cx
            if py == 0:
                continue
            for j in (j for j in M if y[j] == m):
                sj = sum(gh[j])
                for v in range(m):
                    z = y[:j] + (v,) + y[j + 1:]
                    true = rt * tab.get(z, 0) / tab[y]
                    frozen = lam[j] * gh[j][v] / sj if sj > 0 else 0
                    acc = acc + py * abs(true - frozen)
    return acc


def _check_d2(inst, params, t):
    """Decomposition (B): frozen-rate coupling.  Rigorous tiers: the time integral is enclosed in a certified ball
    [lower Riemann sum, upper Riemann sum] (the integrand enclosed by ``arb`` interval evaluation on ``pieces``
    sub-intervals of every step): TV below the lower end proves, above the upper end refutes; float tier: Gauss–Legendre quadrature (``nodes`` per step)."""
    law = _law(inst)
    m, d = law.space.m, law.space.d
    est = _estimator(inst, law)
    clock, T, g = _grid(inst)
    taus = [Fraction(T - x) for x in g.times]
    expo = inst.get("clock") == "exponential"
    factor = Fraction(params["c_int"])
    if not t.rigorous:
        tab = {x: float(v) for x, v in _contexts(law, get_tier("exact")).items()}
        G = [np.asarray(t.to_float_array(Gj), dtype=float) for Gj in est.tables("float")]
        al = (lambda tau: math.exp(-tau)) if expo else (lambda tau: 1.0 - tau)
        rate = (lambda tau: 1.0 / math.expm1(tau)) if expo else (lambda tau: 1.0 / tau)
        gx, gw = np.polynomial.legendre.leggauss(int(params["nodes"]))
        total = 0.0
        for k in range(g.N):
            t0, t1 = float(taus[k]), float(taus[k + 1])
            h = t0 - t1
            for node, wt in zip(gx, gw):
                tau = t1 + (node + 1) / 2 * h
                total += wt * h / 2 * _d2_integrand(tab, G, m, d, tau, t0, h, h * rate(t0), al(t0), al, rate,
                                                    math.log1p, math.inf)
        res = euler(law, est, clock=clock, T=T, grid=g, tier="float")
        init, early = 1 - (1 - al(float(taus[0]))) ** d, 1 - al(float(taus[-1])) ** d
        total = total * float(factor)
        how = f"Gauss–Legendre, {int(params['nodes'])} nodes per step (float)"
    else:
        from flint import arb

        with t.active():
            tab = {x: t.scalar(v) for x, v in _contexts(law, get_tier("exact")).items()}
            G = [np.array([t.scalar(v) for v in np.asarray(Gj, dtype=object).ravel()], dtype=object).reshape(
                np.shape(Gj)) for Gj in est.tables("exact")]
            al = (lambda tau: (-tau).exp()) if expo else (lambda tau: 1 - tau)
            rate = (lambda tau: 1 / tau.expm1()) if expo else (lambda tau: 1 / tau)
            n = int(params["pieces"])
            lower, upper = t.zero, t.zero
            for k in range(g.N):
                t0, t1 = taus[k], taus[k + 1]
                h = t0 - t1
                T0, H = t.scalar(t0), t.scalar(h)
                c, a0 = H * rate(T0), al(T0)
                for i in range(n):
                    lo, hi = t.scalar(t1 + h * Fraction(i, n)), t.scalar(t1 + h * Fraction(i + 1, n))
                    ball = lo.union(hi)
                    val = _d2_integrand(tab, G, m, d, ball, T0, H, c, a0, al, rate, lambda x: x.log1p(),
                                        arb("inf"))
                    w = t.scalar(h / n)
                    low = val.lower()
                    if low > 0:  # the integrand is >= 0
                        lower = lower + low * w
                    upper = upper + val.upper() * w
            # a two-sided enclosure of the integral: a ball holding [lower Riemann sum, upper Riemann sum]; the
            # comparison then proves (lhs below the lower sum), refutes (lhs above the upper sum) or is undecided
            if factor == 0:
                total = t.zero
            elif upper.is_finite():
                total = lower.union(upper) * t.scalar(factor)
            else:  # an unbounded piece: only the lower sum is known; widen the ball past 2 > 1 ≥ TV so that the
                total = (lower * t.scalar(factor)).union(t.scalar(2))  # comparison can prove but never refute
            res = euler(law, est, clock=clock, T=T, grid=g, tier=t)
            init, early = 1 - (1 - al(t.scalar(taus[0]))) ** d, 1 - al(t.scalar(taus[-1])) ** d
        how = (f"certified enclosure [lower, upper Riemann sum], {int(params['pieces'])} interval pieces per step"
               f" (integral in [{_fmt(t, lower)}, {_fmt(t, upper)}])")
    return Comparison(res.tv(), init + total + early, "<=", "TV <= init + ∫ E Σ_y |Q_t − Q̃_t| dt + early stop",
                      {"integral": _fmt(t, total) if t.rigorous else total, "init": _fmt(t, init) if t.rigorous
                       else init, "early_stop": _fmt(t, early) if t.rigorous else early, "integral by": how})


def _ctl_d2_no_integral(inst, params, t):
    """Near miss of SR-D2: the trajectory integral dropped (TV ≤ init + early stop)."""
    return _check_d2(inst, dict(params, c_int=Fraction(0)), t)


