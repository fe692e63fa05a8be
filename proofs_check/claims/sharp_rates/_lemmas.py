"""SR claims (lemmas): part of :mod:`proofs_check.claims.sharp_rates` (see its docstring)."""


from __future__ import annotations

from fractions import Fraction

from flint import fmpq, fmpq_mat

from mdtheory.divergences import tv as total_variation
from mdtheory.generators import masking
from mdtheory.laws import Law
from mdtheory.propagate import forward, forward_dense
from mdtheory.samplers import ancestral, euler
from mdtheory.schedules import ExponentialClock, LinearClock, kappa_grid, uniform_grid
from mdtheory.spaces import MaskedSpace, ProductSpace

from ...claim import Comparison
from ._common import _contexts, _extensions, _fmt, _law, _q_alpha, euler_unmask_probs


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


