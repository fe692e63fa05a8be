"""SR claims (controls): part of :mod:`proofs_check.claims.sharp_rates` (see its docstring)."""


from __future__ import annotations

import itertools
from fractions import Fraction

from mdtheory.divergences import tv as total_variation
from mdtheory.generators import masking
from mdtheory.laws import Law
from mdtheory.masked_score_errors import fhs_score_error, l1_score_error_grid
from mdtheory.masked_scores import (
    mixing,
    unmask_rate,
)
from mdtheory.propagate import forward, forward_dense
from mdtheory.samplers import ancestral, euler, exact_reverse, fhs
from mdtheory.samplers.fhs_time import fhs_time
from mdtheory.schedules import ExponentialClock, kappa_grid
from mdtheory.spaces import MaskedSpace, ProductSpace

from ...claim import Comparison
from ._common import (
    _contexts, _estimator, _grid, _law, copy_pairs_closed_form, copy_pairs_uniform_bound, euler_unmask_probs,
    minimal_steps_linear,
)
from ._lemmas import _check_l5
from ._fhs import _check_f1, _f3_estimator, _time_mixing
from ._scores import _a1_estimator, _check_a2, _direct_l1
from ._euler_upper import _check_x1
from ._decomposition import decomposition_terms


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




def _ctl_t3_grid(inst, params, t):
    """Near miss of SR-T3: d grid steps in place of d hitting times — the ancestral sampler with N = d uniform
    linear-clock steps (the same number of network evaluations) claimed to reproduce q_0 as FHS does."""
    from ._fhs import _context_rescaled

    law = _law(inst)
    est = _context_rescaled(law, 1) if inst["est"] == "context-rescaled" else _estimator(inst, law)
    res = ancestral(law, est, steps=law.space.d, tier=t)
    return [Comparison(res.tv(), 0, "==", "TV(q0, ancestral with d steps) = 0"),
            Comparison(res.leftover_mask_mass, 0, "==", "no mask left")]


def _ctl_x1_squared(inst, params, t):
    """Near miss of SR-X1: the initialisation term squared, d·e^{−2T} (a KL-type rate) in place of d·e^{−T}."""
    return _check_x1(inst, params, t, init_power=2)
