"""Reference samplers: the profiles of public code bases related to the theory (prefix ``RS``).

Not a paper: the pseudo-paper ``reference_samplers`` collects claims about the exact output
laws of :mod:`mdtheory.samplers.profiles` (``papers/sampler_conventions.md``).  Identities
with idealised samplers are ``derived-and-exact`` and proved in exact rationals; the
Euler/FHS bound *forms* of the sharp-rates notes (``sharp_rates_2602.22505.md`` SR-T1,
SR-T1b, SR-T3b — themselves reconstructions) are evaluated on each profile with
provenance ``reconstructed``: a refutation means the reconstructed form (or its constant)
does not cover that code base's sampler, never that a paper is wrong.

======  ======================================================================================
RS-E1   dream.origin = ancestral sampler on (1, t_1, …, t_{N−1}, 0) = an independent per-token propagation
RS-E2   sedd.analytic's step = mdlm.ddpm's step (laws before the final step are equal)
RS-E3   mdlm.ddpm = ancestral (linear clock, to t = 1e-5) + final argmax; sedd.* = … + final sample
RS-E4   bd3lm.fhs with a time-agnostic exact model reproduces the data law (TV = 0)
RS-E5   llada.random (temperature 1) = fixed-cardinality random-subset factorized sampler
RS-E6   mdlm.ddpm_cache has mdlm.ddpm's law; E[NFE] = 2 + (N − 1)(1 − (1 − dt)^d)
RS-E7   sedd.euler = sedd.analytic = independent clipped per-token Euler propagation, every estimator
RS-T1   llada.low_confidence: TV(ties='index', ties='uniform') ≤ tie mass (reported by the profile)
RS-L1   copy pairs: dream.origin's TV = 1 − ((Σπ)² − (1−1/m)Σπ²)^{d/2} ≥ 1 − (1 − (1−1/m)/N)^{d/2}
RS-B1   SR-T1 form on grid profiles: TV ≤ [1 − (1 − α_start)^d] + C·d·max_k π_k   (reconstructed)
RS-B2   SR-T3b form on bd3lm.fhs: TV ≤ ½·ε_score^FHS for normalised estimates          (reconstructed)
RS-B3   SR-T1b form on sedd.euler: TV(ĝ) ≤ TV(exact) + ε_score^Eul on SEDD's grid      (reconstructed)
======  ======================================================================================

>>> [c.id for c in CLAIMS][:3]
['RS-E1', 'RS-E2', 'RS-E3']
"""

from __future__ import annotations

from fractions import Fraction

from mdtheory.distributions import binary_symmetric_markov, copy_pairs, dirichlet, markov_chain, mds_code, product
from mdtheory.divergences import tv
from mdtheory.laws import Law
from mdtheory.masked_score_errors import fhs_score_error, l1_score_error_grid
from mdtheory.masked_scores import exact_estimator, from_tables, mixing, multiplicative_noise, rescaled
from mdtheory.samplers import ancestral, factorized, fhs, profiles
from mdtheory.spaces import ProductSpace
from mdtheory.schedules import Grid, LinearClock, LogLinearClock

import numpy as np
from flint import fmpq

from ..claim import Claim, Comparison, Control, Paper, Param, Sharp

PAPER = Paper("reference_samplers", "Reference sampler implementations (MDLM, SEDD, bd3lms, LLaDA, Dream, tauLDR): "
              "sampler_conventions.md", arxiv=None, prefix="RS")

SOURCE = "papers/sampler_conventions.md; mdtheory.samplers.profiles"


# -- instances ------------------------------------------------------------------------------------
def _law(inst, tier):
    kind = inst["law"]
    if kind == "copy_pairs":
        law = copy_pairs(inst["m"], inst["d"])
    elif kind == "markov":
        law = binary_symmetric_markov(inst["d"], inst.get("flip", "1/5"))
    elif kind == "rs":
        law = mds_code(inst["m"], inst["d"], inst.get("k", 2))
    elif kind == "dirichlet":
        law = dirichlet(inst["m"], inst["d"], seed=inst.get("seed", 0), denominator=2**8)
    elif kind == "point":
        law = Law.point(ProductSpace(inst["m"], inst["d"]), (0,) * inst["d"])
    else:  # pragma: no cover
        raise ValueError(f"unknown law kind {kind!r}")
    return law if tier.name == "exact" else law.to_tier(tier)


_LAWS = {
    "small": [{"law": "copy_pairs", "m": 2, "d": 4}, {"law": "markov", "d": 3}, {"law": "rs", "m": 3, "d": 3}],
    "medium": [{"law": "copy_pairs", "m": 3, "d": 4}, {"law": "markov", "d": 5}, {"law": "rs", "m": 3, "d": 3},
               {"law": "dirichlet", "m": 2, "d": 4, "seed": 1}],
    "large": [{"law": "copy_pairs", "m": 2, "d": 6}, {"law": "markov", "d": 7}, {"law": "rs", "m": 5, "d": 3},
              {"law": "dirichlet", "m": 3, "d": 4, "seed": 2}],
}
_STEPS = {"small": [1, 3, 8], "medium": [1, 2, 5, 16], "large": [2, 7, 32]}


def _name(law_inst, **kw):
    tag = ",".join(f"{k}={v}" for k, v in law_inst.items() if k != "law")
    extra = ",".join(f"{k}={v}" for k, v in kw.items())
    return f"{law_inst['law']}({tag}),{extra}"


def _law_step_instances(size, params):
    return [dict(li, steps=N, name=_name(li, N=N)) for li in _LAWS[size] for N in _STEPS[size]]


def _tv_eq(a, b, label, tier):
    """TV between two output laws on the masked space, compared with 0."""
    return Comparison(tv(a.law, b.law), tier.zero, "==", label, {"states": a.law.space.size})


# -- an independent path: per-token factorised samplers propagated over a dict of states ------------------
def _per_token_brute(law, est, rules, tier, final=None):
    """Output law of a factorised sampler, computed state by state (dicts, no shared step engine).

    ``rules``: one function per step, ``rule(row) -> (stay, [move_a])`` with ``row`` the estimator's values
    ``ĝ_j(·|x)`` at the current context; every masked token moves independently.  ``final='sample'`` draws each
    remaining mask ∝ ``ĝ_j(·|x)`` (independently, one context).  Returns ``{masked-space state: probability}``.
    """
    import itertools

    m, d = law.space.m, law.space.d
    G = (est or exact_estimator(law)).tables(tier)

    def row(x, j):
        return [G[j][x[:j] + (a,) + x[j + 1:]] for a in range(m)]

    def normalised(r):
        s = sum(r, tier.zero)
        return [v / s for v in r]

    rules = list(rules) + ([lambda r: (tier.zero, normalised(r))] if final == "sample" else [])
    state = {(m,) * d: tier.one}
    for rule in rules:
        new: dict = {}
        for x, w in state.items():
            M = [j for j in range(d) if x[j] == m]
            opts = []
            for j in M:
                stay, move = rule(row(x, j))
                opts.append([(m, stay)] + [(a, move[a]) for a in range(m) if move[a] != 0])
            for choice in itertools.product(*opts):
                y, pr = list(x), w
                for j, (v, q) in zip(M, choice):
                    y[j] = v
                    pr = pr * q
                if pr != 0:
                    new[tuple(y)] = new.get(tuple(y), tier.zero) + pr
        state = new
    return state


def _tv_dict(res, probs, label, tier):
    """TV between a profile's output law and a dict law on the masked space, compared with 0."""
    P = res.law.probs
    tot = tier.zero
    for x in res.law.space.states():
        tot = tot + abs(P[x] - probs.get(tuple(x), tier.zero))
    return Comparison(tot / 2, tier.zero, "==", label, {"states": res.law.space.size})


def _ancestral_rule(p, tier):
    """Unmask w.p. p, value ∝ ĝ (the ancestral/Tweedie step)."""
    def rule(r):
        s = sum(r, tier.zero)
        return tier.one - p, [p * v / s for v in r]
    return rule


def _sedd_euler_rule(c, tier):
    """SEDD's Euler step: move c·ĝ(a), stay 1 − c·Σĝ; a negative stay is clipped to 0 and moves ∝ ĝ."""
    def rule(r):
        s = sum(r, tier.zero)
        stay = tier.one - c * s
        if stay < 0:
            return tier.zero, [v / s for v in r]
        return stay, [c * v for v in r]
    return rule


# -- identities -----------------------------------------------------------------------------------
def _check_e1(inst, params, tier, eps_end=False):
    """dream.origin against (i) the library's ancestral sampler and (ii) an independent state-by-state
    propagation of the per-token rule 1 − s/t (``_per_token_brute``: no shared step engine).
    ``eps_end=True`` (a control): the last step stops at t = 1e-3 (linspace taken literally), then the rest."""
    law = _law(inst, tier)
    N = inst["steps"]
    ts = profiles.grid_times(1, Fraction(1, 1000), N + 1)
    prof = profiles.run("dream.origin", law, N, tier=tier)
    ps = [1 - ts[i + 1] / ts[i] for i in range(N - 1)] + ([1 - ts[N] / ts[N - 1], Fraction(1)] if eps_end else [Fraction(1)])
    brute = _per_token_brute(law, None, [_ancestral_rule(tier.scalar(p), tier) for p in ps], tier)
    if eps_end:
        return _tv_dict(prof, brute, "TV(dream.origin, per-token 1 − s/t ending at t = 1e-3, then the rest)", tier)
    fwd = ts[:-1] + [Fraction(0)]
    anc = ancestral(law, clock=LinearClock(), grid=Grid(tuple(1 - x for x in fwd)), T=1, tier=tier)
    return [_tv_eq(prof, anc, "TV(dream.origin, ancestral)", tier),
            _tv_dict(prof, brute, "TV(dream.origin, independent per-token propagation)", tier)]


def _ctl_e1_eps_end(inst, params, tier):
    """Near miss of RS-E1: Dream's linspace end 1e-3 kept as the last step's s (then the leftover masks)."""
    return _check_e1(inst, params, tier, eps_end=True)


def _check_e2(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    out = []
    ests = [("exact", None), ("mixing(1/3)", mixing(law, "1/3", reference="random", seed=4))]
    if inst.get("unnormalised"):
        ests = [("rescaled(3)", rescaled(law, 3))]
    for label, est in ests:
        a = profiles.run("sedd.analytic", law, N, est, tier=tier, noise_removal=False, engine="stepwise")
        b = profiles.run("mdlm.ddpm", law, N, est, tier=tier, noise_removal=False, engine="stepwise")
        out.append(_tv_eq(a, b, f"TV(sedd.analytic, mdlm.ddpm) before the final step, {label}", tier))
    return out


def _ctl_e2_unnormalised(inst, params, tier):
    """Near miss of RS-E2: an unnormalised estimator (3·s): SEDD uses the scores as rates, MDLM normalises."""
    return _check_e2(dict(inst, unnormalised=True), params, tier)


def _check_e3(inst, params, tier, swapped=False):
    law = _law(inst, tier)
    N = inst["steps"]
    ts = profiles.grid_times(1, Fraction(1, 100000), N + 1)
    g = Grid(tuple(1 - x for x in ts))
    out = []
    finals = (("mdlm.ddpm", "argmax"), ("sedd.analytic", "sample"), ("sedd.euler", "sample"))
    if swapped:
        finals = tuple((n, "sample" if f == "argmax" else "argmax") for n, f in finals)
    for name, final in finals:
        anc = ancestral(law, clock=LinearClock(), grid=g, T=1, tier=tier, final=final)
        out.append(_tv_eq(profiles.run(name, law, N, tier=tier), anc, f"TV({name}, ancestral+{final})", tier))
    return out


def _ctl_e3_finals_swapped(inst, params, tier):
    """Near miss of RS-E3: the final fills swapped (MDLM samples, SEDD takes the argmax)."""
    return _check_e3(inst, params, tier, swapped=True)


def _check_e4(inst, params, tier):
    law = _law(inst, tier)
    d = law.space.d
    out = []
    for block in sorted({d, max(1, d // 2)}):
        if d % block:
            continue
        r = profiles.run("bd3lm.fhs", law, inst["steps"] + d, tier=tier, block_size=block)
        out.append(Comparison(r.tv(), tier.zero, "==", f"TV(data, bd3lm.fhs), block {block}"))
    # a non-exact estimator: one block of d is the library's random-order autoregression (an independent path)
    est = mixing(law, "1/3", reference="random", seed=5)
    blk = inst.get("block", d)
    r = profiles.run("bd3lm.fhs", law, inst["steps"] + d, est, tier=tier, block_size=blk)
    out.append(_tv_eq(r, fhs(law, est, tier=tier), f"TV(bd3lm.fhs(ĝ), block {blk}; fhs(ĝ))", tier))
    return out


def _ctl_e4_blocks(inst, params, tier):
    """Near miss of RS-E4: with a non-exact ĝ, blocks of d/2 claimed to give the one-block law."""
    d = inst["d"]
    return _check_e4(dict(inst, block=d // 2 if d % 2 == 0 and d > 1 else 1), params, tier)


def _check_e5(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    d = law.space.d
    r = profiles.run("llada.random", law, N, tier=tier)
    counts = profiles.llada_counts(d, N)
    sizes = tuple(reversed(counts)) if inst.get("reverse") else tuple(counts)
    f = factorized(law, sizes, tier=tier)
    return _tv_eq(r, f, f"TV(llada.random, factorized(sizes {list(sizes)}))", tier)


def _e5_instances(size, params):
    """Besides the shared grid, non-palindromic count vectors without zeros ([2, 1], [2, 1, 1], [3, 2]): the
    order of the sizes matters there, which the reversed-sizes control shows."""
    extra = [({"law": "markov", "d": 3}, 2), ({"law": "copy_pairs", "m": 2, "d": 4}, 3), ({"law": "markov", "d": 5}, 2)]
    return _law_step_instances(size, params) + [dict(li, steps=N, name=_name(li, N=N) + " (non-palindromic)")
                                                 for li, N in extra]


def _ctl_e5_reversed(inst, params, tier):
    """Near miss of RS-E5: the per-step sizes in reverse order."""
    return _check_e5(dict(inst, reverse=True), params, tier)


def _check_e6(inst, params, tier, first_cached=False):
    law = _law(inst, tier)
    N = inst["steps"]
    d = law.space.d
    a = profiles.run("mdlm.ddpm", law, N, tier=tier)
    b = profiles.run("mdlm.ddpm_cache", law, N, tier=tier, engine="stepwise")
    dt = (1 - Fraction(1, 100000)) / N
    if first_cached:  # the near miss: the first call counted like a cached step
        return Comparison(b.info["nfe"], tier.scalar(1 + N * (1 - (1 - dt) ** d)), "==", "E[NFE] = 1 + N(1 − (1−dt)^d)")
    return [_tv_eq(a, b, "TV(ddpm, ddpm_cache)", tier),
            Comparison(b.info["nfe"], tier.scalar(2 + (N - 1) * (1 - (1 - dt) ** d)), "==", "E[NFE] closed form")]


def _ctl_e6_first_cached(inst, params, tier):
    """Near miss of RS-E6: the first model call counted like a cached step, E[NFE] = 1 + N(1 − (1 − dt)^d)."""
    return _check_e6(inst, params, tier, first_cached=True)


def _check_e7(inst, params, tier, right_end=False):
    """sedd.euler and sedd.analytic against an independent state-by-state propagation of SEDD's Euler rule
    (move dt/t_k·ĝ(a), stay 1 − dt/t_k·Σĝ clipped at 0, then each leftover mask ∝ ĝ), for unnormalised
    estimators that make the clipping act (rescaled(3): dt/t·3 > 1 on the last steps).
    ``right_end=True`` (a control): the rate taken at the step's end t_{k+1}."""
    law = _law(inst, tier)
    N = inst["steps"]
    ts = profiles.grid_times(1, Fraction(1, 100000), N + 1)
    dt = (1 - Fraction(1, 100000)) / N
    cs = [dt / ts[k + 1 if right_end else k] for k in range(N)]
    out = []
    for label, est in (("rescaled(3)", rescaled(law, 3)), ("multiplicative(1/2)", multiplicative_noise(law, "1/2", seed=1)),
                       ("mixing(1/4)", mixing(law, "1/4", reference="random"))):
        brute = _per_token_brute(law, est, [_sedd_euler_rule(tier.scalar(c), tier) for c in cs], tier, final="sample")
        names = ("sedd.euler",) if right_end else ("sedd.euler", "sedd.analytic")
        for name in names:
            r = profiles.run(name, law, N, est, tier=tier)
            out.append(_tv_dict(r, brute, f"TV({name}, independent Euler propagation{' (rate at t_k+1)' if right_end else ''}),"
                                          f" {label}, clipped {r.info.get('clipped')}", tier))
    return out


def _ctl_e7_right_end(inst, params, tier):
    """Near miss of RS-E7: SEDD's Euler rate evaluated at the step's end t − dt (dt/(t − dt) in place of dt/t)."""
    return _check_e7(inst, params, tier, right_end=True)


def _check_l1(inst, params, tier, power=None):
    m, d, N = inst["m"], inst["d"], inst["steps"]
    law = copy_pairs(m, d) if tier.name == "exact" else copy_pairs(m, d).to_tier(tier)
    r = profiles.run("dream.origin", law, N, tier=tier)
    delta = (1 - Fraction(1, 1000)) / N
    pis = [delta] * (N - 1) + [1 - (N - 1) * delta]
    s2 = sum(p * p for p in pis)
    closed = 1 - (1 - (1 - Fraction(1, m)) * s2) ** (d // 2 if power is None else power)
    lower = 1 - (1 - (1 - Fraction(1, m)) / N) ** (d // 2)
    if power is not None:
        return Comparison(r.tv(), tier.scalar(closed), "==", f"TV = 1 − (1 − (1−1/m)Σπ²)^{power}")
    return [Comparison(r.tv(), tier.scalar(closed), "==", "TV = SR-T2a closed form"),
            Comparison(tier.scalar(lower), r.tv(), "<=", "SR-T2b lower bound")]


def _ctl_l1_tokens(inst, params, tier):
    """Near miss of RS-L1: pairs counted as tokens, exponent d in place of d/2."""
    return _check_l1(inst, params, tier, power=inst["d"])


def _pairs_instances(size, params):
    grid = {"small": [(2, 2), (2, 4), (3, 4)], "medium": [(2, 4), (3, 4), (2, 6)], "large": [(2, 6), (3, 6), (4, 4)]}[size]
    return [{"m": m, "d": d, "steps": N, "name": f"copy_pairs(m={m},d={d}),N={N}"}
            for m, d in grid for N in _STEPS[size]]


# -- ties at the top-k cut ------------------------------------------------------------------------------
def _tie_instances(size, params):
    out = [{"law": "markov", "d": 4, "steps": 4, "name": "markov(d=4,flip=1/5),N=4 (issue 14's case)"},
           {"law": "markov", "d": 4, "steps": 2, "name": "markov(d=4,flip=1/5),N=2"},
           {"law": "copy_pairs", "m": 2, "d": 4, "steps": 2, "name": "copy_pairs(m=2,d=4),N=2"},
           {"law": "dirichlet", "m": 2, "d": 3, "seed": 3, "steps": 3, "name": "dirichlet(m=2,d=3,seed=3),N=3"},
           # tie mass strictly inside (0, 1), ties only after the first step (tokens 1, 2 share a marginal): the
           # inequality is not trivial here (TV 0.037 vs tie mass 5/9; 0.0015 vs 0.033)
           {"law": "product", "p": ["1/3", "1/3", "1/4"], "steps": 3, "name": "product(1/3,1/3,1/4),N=3"},
           {"law": "markov_asym", "d": 4, "steps": 4, "name": "markov(d=4,start 1/3,flip 1/5),N=4"}]
    return out


def _tie_law(inst, tier):
    if inst["law"] == "product":
        law = product([[Fraction(p), 1 - Fraction(p)] for p in inst["p"]])
    elif inst["law"] == "markov_asym":
        f = Fraction(1, 5)
        law = markov_chain([Fraction(1, 3), Fraction(2, 3)], [[1 - f, f], [f, 1 - f]], inst["d"])
    else:
        return _law(inst, tier)
    return law if tier.name == "exact" else law.to_tier(tier)


def _first_step_tie_mass(law, steps, tier):
    """P(a tie at the cut of the FIRST step) (one block): the near miss that ties only arise from the all-mask
    start (issue 14's case), computed by one tie-excluding low-confidence step."""
    from mdtheory.samplers._masked_core import initial_array
    from mdtheory.samplers.profiles._base import _confidence_step, _token_tables
    from mdtheory.samplers.profiles.llada import llada_counts

    m, d = law.space.m, law.space.d
    est = exact_estimator(law)
    k = llada_counts(d, steps)[0]
    with tier.active():
        Q = _token_tables(est, tier, None, 1)
        P = _confidence_step(initial_array(law, "all_mask", tier), m, d, tier, Q, Q, k_of=lambda x, M: k,
                             candidates=lambda x, M: list(M), kind="low_confidence", ties="exclude", alg_temp=None)
        return tier.one - sum(P.reshape(-1), tier.zero)


def _check_tie(inst, params, tier, same=False, first_only=False):
    law = _tie_law(inst, tier)
    a = profiles.run("llada.low_confidence", law, inst["steps"], tier=tier, ties="index")
    b = profiles.run("llada.low_confidence", law, inst["steps"], tier=tier, ties="uniform")
    gap = tv(a.law, b.law)
    tm = a.info["tie_mass"]
    if same:
        return Comparison(gap, tier.zero, "==", "TV(law under 'index', law under 'uniform') = 0")
    if first_only:
        return Comparison(gap, _first_step_tie_mass(law, inst["steps"], tier), "<=",
                          "TV(law under 'index', law under 'uniform') <= P(a tie at the first step's cut)")
    return Comparison(gap, tm, "<=", "TV(law under 'index', law under 'uniform') <= tie mass",
                      {"TV(index, uniform)": tier.format(gap), "tie mass": tier.format(tm)})


def _ctl_tie_first_step(inst, params, tier):
    """Near miss of RS-T1: only ties at the first (all-mask) step counted."""
    return _check_tie(inst, params, tier, first_only=True)


def _ctl_tie_irrelevant(inst, params, tier):
    """Near miss of RS-T1: the tie rule claimed not to matter (the profile's law is the code base's law)."""
    return _check_tie(inst, params, tier, same=True)


# -- bound forms (reconstructed) ------------------------------------------------------------------------
_GRID_PROFILES = ("mdlm.ddpm", "mdlm.ddpm_cache", "sedd.euler", "sedd.analytic", "dream.origin")


def _reveal_step_law(name, N):
    """Per-token reveal-step probabilities π_k (k = steps, then the final fill) and α at the start."""
    if name == "dream.origin":
        delta = (1 - Fraction(1, 1000)) / N
        return [delta] * (N - 1) + [1 - (N - 1) * delta], Fraction(0)
    dt = (1 - Fraction(1, 100000)) / N
    # P(reveal at step k) = dt (t_0 = 1, telescoping), leftover t_N = 1e-5 filled at the end
    return [dt] * N + [Fraction(1, 100000)], Fraction(1, 1000)  # α(1) = eps for the log-linear noise


def _check_b1(inst, params, tier):
    law = _law(inst, tier)
    N, d = inst["steps"], law.space.d
    C = tier.scalar(params["C"])
    out = []
    for name in _GRID_PROFILES:
        r = profiles.run(name, law, N, tier=tier)
        pis, a0 = _reveal_step_law(name, N)
        bound = tier.scalar(1 - (1 - a0) ** d) + C * tier.scalar(d * max(pis))
        out.append(Comparison(r.tv(), bound, "<=", f"{name}: TV ≤ init + C·d·max π"))
    return out


def _check_b2(inst, params, tier):
    law = _law(inst, tier)
    out = []
    for eta in ("1/10", "1/3"):
        est = mixing(law, eta, reference="random", seed=3)
        r = profiles.run("bd3lm.fhs", law, law.space.d, est, tier=tier)
        eps = fhs_score_error(law, est, tier=tier)
        out.append(Comparison(r.tv(), tier.scalar(params["c"]) * eps, "<=", f"FHS, mixing {eta}: TV ≤ c·ε_FHS"))
    return out


def _extra_mass(law, eta):
    """ĝ_j(·|x_U) = p(·|x_U) + η·e_1 (unnormalised): score mass where the data has none (the worst case)."""
    m, d = law.space.m, law.space.d
    f = Fraction(eta)
    tabs = []
    for j, G in enumerate(exact_estimator(law).tables("exact")):
        G = np.array(G, dtype=object)
        idx = [slice(None)] * d
        idx[j] = 1
        G[tuple(idx)] = G[tuple(idx)] + fmpq(f.numerator, f.denominator)
        tabs.append(G)
    return from_tables(tabs, m, d, name=f"extra-mass({eta})")


def _b3_instances(size, params):
    # the worst case: a point mass with extra score mass η on a value of probability 0 (TV/ε → 1 as η → 0)
    return _law_step_instances(size, params) + [
        {"law": "point", "m": 2, "d": d, "steps": 4, "est": "extra-mass", "eta": "1/100",
         "name": f"point(m=2,d={d}),N=4,extra-mass eta=1/100 (unnormalised)"} for d in (2, 3)]


def _check_b3(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    ts = profiles.grid_times(1, Fraction(1, 100000), N + 1)
    g = Grid(tuple(1 - x for x in ts))
    base = profiles.run("sedd.euler", law, N, tier=tier).tv()
    out = []
    ests = ([(f"extra mass {inst['eta']}", _extra_mass(law, inst["eta"]))] if inst.get("est") == "extra-mass" else
            [(f"noise {eta}", multiplicative_noise(law, eta, seed=2)) for eta in ("1/10", "1/2")])
    for label, est in ests:
        r = profiles.run("sedd.euler", law, N, est, tier=tier)
        eps = l1_score_error_grid(law, est, clock=LogLinearClock(Fraction(1, 1000)), grid=g, T=1, tier=tier)
        out.append(Comparison(r.tv(), base + tier.scalar(params["c"]) * eps, "<=",
                              f"sedd.euler, {label}: TV ≤ TV_exact + c·ε_Eul (clipped {r.info['clipped']})",
                              {"TV": tier.format(r.tv()), "TV_exact": tier.format(base), "eps_Eul": tier.format(eps)}))
    return out


CLAIMS = [
    Claim(
        id="RS-E1", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="Dream's alg='origin' (transfer w.p. 1 − s/t on linspace(1, 1e-3, N+1), everything at the last "
                  "step) has exactly the law of the ancestral sampler with α_t = 1 − t on the grid (1, t_1, …, t_{N−1}, 0).",
        formula="law(dream.origin, N) = law(ancestral, linear clock, forward times (1, t_1, …, t_{N−1}, 0))",
        check=_check_e1, instances=_law_step_instances, source=SOURCE,
        controls=[Control("last step ends at 1e-3", check=_ctl_e1_eps_end,
                          doc="Dream's linspace end kept: the last step stops at t = 1e-3, then the leftover masks")],
        notes="1 − s/t = (α_s − α_t)/(1 − α_t) with α = 1 − t; the last step has s = 0. Two independent right "
              "sides: the library's ancestral sampler and a state-by-state propagation written in this module."),
    Claim(
        id="RS-E2", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="SEDD's analytic (Tweedie τ-leaping) step on the absorbing graph with log-linear noise is MDLM's "
                  "ddpm step: both unmask w.p. (α_s − α_t)/(1 − α_t) with values from p_θ (laws before the final step).",
        formula="w(a) = (e^{dσ} − 1)·r(α_t)·p(a) = (α_s − α_t)/(1 − α_t)·p(a) = (m_t − m_s)/m_t·p(a)",
        check=_check_e2, instances=_law_step_instances, source=SOURCE,
        controls=[Control("unnormalised estimator", check=_ctl_e2_unnormalised,
                          doc="the identity claimed for ŝ = 3·s, which SEDD uses as rates and MDLM normalises")]),
    Claim(
        id="RS-E3", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="mdlm.ddpm is the ancestral sampler on the linear clock from t = 1 to t = 1e-5 followed by an "
                  "argmax of the remaining masks; sedd.analytic and sedd.euler are the same followed by sampling.",
        formula="law(mdlm.ddpm) = ancestral(linear, linspace(1, 1e-5, N+1), final=argmax); sedd.* = … final=sample",
        check=_check_e3, instances=_law_step_instances, source=SOURCE,
        controls=[Control("final fills swapped", check=_ctl_e3_finals_swapped,
                          doc="MDLM's final step taken as sampling and SEDD's as argmax")],
        notes="(1−ε)t/((1−ε)t) cancels: the log-linear ε does not change any per-step probability."),
    Claim(
        id="RS-E4", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="bd3lms' first-hitting sampler with a time-agnostic exact model reproduces the data law exactly "
                  "(random-order autoregressive sampling within blocks), whatever the block size.",
        formula="TV(p_data, bd3lm.fhs) = 0 when steps ≥ block size",
        check=_check_e4, instances=_law_step_instances, source=SOURCE + "; SR-T3",
        controls=[Control("blocks of d/2 with a non-exact model", check=_ctl_e4_blocks,
                          doc="block-autoregressive order claimed to equal random-order AR for a non-exact ĝ")]),
    Claim(
        id="RS-E5", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="LLaDA's remasking='random' at temperature 1 (one block) is the factorized sampler with the fixed "
                  "sizes ⌊d/N⌋ + 1{i < d mod N} and uniformly random subsets.",
        formula="law(llada.random, N) = factorized(p, sizes = get_num_transfer_tokens(d, N))",
        check=_check_e5, instances=_e5_instances, source=SOURCE + "; LZ, ZC",
        controls=[Control("sizes reversed", check=_ctl_e5_reversed,
                          doc="factorized sampler with the per-step sizes in reverse order")]),
    Claim(
        id="RS-E6", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="MDLM's ddpm_cache (m_t = t literally) has ddpm's law, and its expected number of model calls is "
                  "2 + (N − 1)(1 − (1 − dt)^d) (a token is still masked w.p. t_i before step i).",
        formula="law(ddpm_cache) = law(ddpm);  E[NFE] = 2 + (N−1)(1 − (1 − dt)^d), dt = (1 − 1e-5)/N",
        check=_check_e6, instances=_law_step_instances, source=SOURCE,
        controls=[Control("first call cached", check=_ctl_e6_first_cached,
                          doc="E[NFE] = 1 + N(1 − (1 − dt)^d): the first call counted like a cached step")]),
    Claim(
        id="RS-E7", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="On the absorbing graph with log-linear noise SEDD's Euler predictor (with its implicit clipping of "
                  "negative weights) and its analytic predictor have the same law for every score estimator, and both "
                  "equal an independent state-by-state propagation of the per-token rule 'move dt/t_k·ĝ(a), stay "
                  "1 − dt/t_k·Σĝ clipped at 0, leftover masks ∝ ĝ' (rate at the left time t_k), including "
                  "unnormalised estimators for which the clipping acts.",
        formula="law(sedd.euler) = law(sedd.analytic) = per-token propagation with c_k = dt/t_k (clipped)",
        check=_check_e7, instances=_law_step_instances, source=SOURCE,
        controls=[Control("rate at the step's end", check=_ctl_e7_right_end,
                          doc="c_k = dt/t_(k+1): the predictor evaluated at the right end of the step")]),
    Claim(
        id="RS-L1", paper=PAPER, provenance="derived-and-exact",
        statement="On copy pairs dream.origin's TV equals the SR-T2a closed form in its per-token reveal-step law "
                  "and is at least the SR-T2b lower bound 1 − (1 − (1−1/m)/N)^{d/2} of every N-step grid.",
        formula="TV = 1 − (1 − (1−1/m)Σπ_k²)^{d/2} ≥ 1 − (1 − (1−1/m)/N)^{d/2},  π = (Δ,…,Δ, 1 − (N−1)Δ)",
        check=_check_l1, instances=_pairs_instances, source=SOURCE + "; SR-T2a, SR-T2b",
        controls=[Control("exponent d", check=_ctl_l1_tokens, doc="pairs counted as tokens: exponent d in place of d/2")]),
    Claim(
        id="RS-T1", paper=PAPER, provenance="derived-and-exact",
        statement="LLaDA's low_confidence remasking breaks ties at the top-k cut by torch.topk's order, which is "
                  "unspecified: the profile reports the tie mass (the probability that a trajectory meets a tie at "
                  "the cut) and its laws under the rules 'index' and 'uniform' differ by at most that mass (the "
                  "rules agree on tie-free trajectories); on the binary Markov chain (d = 4, flip 1/5, one block of "
                  "4) the tie mass is 1 and the laws differ. The informative instances are those with tie mass "
                  "strictly inside (0, 1) (a product law with two equal marginals, an asymmetric Markov chain: ties "
                  "only after the first step); where the mass is 1 (TV ≤ 1) or 0 (both laws equal) the "
                  "inequality is trivially true. The tie mass comes from the same profile code run with tied "
                  "cuts excluded, so this is a consistency check of the profile's two rules and its tie mass.",
        formula="TV(llada.low_confidence[ties='index'], llada.low_confidence[ties='uniform']) ≤ P(a tie at the cut)",
        check=_check_tie, instances=_tie_instances, source=SOURCE + "; issue 14", generic_controls=False,
        controls=[Control("ties do not matter", check=_ctl_tie_irrelevant,
                          doc="the laws under 'index' and 'uniform' claimed equal"),
                  Control("first-step ties only", check=_ctl_tie_first_step,
                          doc="TV ≤ P(a tie at the first step's cut): later ties (after tokens are revealed) "
                              "ignored")]),
    Claim(
        id="RS-B1", paper=PAPER, provenance="reconstructed",
        statement="The reconstructed SR-T1 Euler bound form, evaluated on the grid profiles with exact scores: "
                  "TV ≤ [1 − (1 − α_start)^d] + C·d·max_k π_k, π_k the per-token reveal probability of step k.",
        formula="TV(p, profile) ≤ 1 − (1 − α_start)^d + C·d·max_k π_k",
        params=[Param("C", "1/2", "rational", "constant of the discretisation term (unknown in the paper)",
                      domain=">= 0")],
        check=_check_b1, instances=_law_step_instances, source=SOURCE + "; SR-T1 (reconstructed)",
        sharp=[Sharp("C", direction="smaller")],
        notes="max π_k plays κ's role (= 1/N on the uniform linear clock); no log factor, as observed in SR-T1. "
              "C = 1/2 is the copy-pairs limit (1 − 1/m)/2 of SR-T2b as m → ∞ (our constant, not the paper's); the "
              "sharp C on the instances is ≈ 0.32 (`proofs-check sharpness RS-B1`). "
              "A refutation says the reconstructed form/constant misses that sampler."),
    Claim(
        id="RS-B2", paper=PAPER, provenance="reconstructed",
        statement="The reconstructed SR-T3b FHS bound, evaluated on bd3lms' first-hitting sampler with normalised "
                  "perturbed conditionals: TV ≤ c·ε_score^FHS with c = 1/2.",
        formula="TV(p, bd3lm.fhs(ĝ)) ≤ c·Σ_U [|U|!(d−|U|−1)!/d!] Σ_{j∉U} E‖ĝ_j(·|x_U) − p(·|x_U)‖_1",
        params=[Param("c", "1/2", "rational", "constant (½ for normalised estimates in the reconstruction)", domain=">= 0")],
        sharp=[Sharp("c")],
        check=_check_b2, instances=lambda size, params: [dict(li, name=_name(li)) for li in _LAWS[size]],
        source=SOURCE + "; SR-T3b (reconstructed)"),
    Claim(
        id="RS-B3", paper=PAPER, provenance="reconstructed",
        statement="The reconstructed SR-T1b form on SEDD's Euler profile with perturbed scores: the TV exceeds the "
                  "exact-score TV by at most c·ε_score^Eul, the L1 score error summed over SEDD's grid.",
        formula="TV(p, sedd.euler(ŝ)) ≤ TV(p, sedd.euler(s)) + c·Σ_k h_k β_k E_{q_k} Σ_{j,a}|ŝ − s|",
        params=[Param("c", "1", "rational", "constant of the score term", domain=">= 0")],
        check=_check_b3, instances=_b3_instances, source=SOURCE + "; SR-T1b (reconstructed)",
        sharp=[Sharp("c", direction="smaller")],
        notes="Multiplicative noise alone needs only c ≈ 1/15 (a 10–20× slack); the worst-case instance (a point "
              "mass with unnormalised extra score mass η = 1/100 on a value of probability 0) needs c ≈ 0.986, so "
              "c = 1 is sharp up to 1.5% (`proofs-check sharpness RS-B3`). SEDD's grid is linear (log-linear noise): the "
              "ratio is the same for every N there; on coarse exponential κ-grids SR-T1b finds ≈ 1.36 for the same "
              "estimator, so the κ-grid form needs a larger constant."),
]
