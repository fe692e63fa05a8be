"""Reference samplers: the profiles of public code bases related to the theory (prefix ``RS``).

Not a paper: the pseudo-paper ``reference_samplers`` collects claims about the exact output
laws of :mod:`mdtheory.samplers.profiles` (``papers/sampler_conventions.md``).  Identities
with idealised samplers are ``derived-and-exact`` and proved in exact rationals; the
Euler/FHS bound *forms* of the sharp-rates notes (``sharp_rates_2602.22505.md`` SR-T1,
SR-T1b, SR-T3b — themselves reconstructions) are evaluated on each profile with
provenance ``reconstructed``: a refutation means the reconstructed form (or its constant)
does not cover that code base's sampler, never that a paper is wrong.

======  ======================================================================================
RS-E1   dream.origin = ancestral sampler on the linear clock, grid (1, t_1, …, t_{N−1}, 0)
RS-E2   sedd.analytic's step = mdlm.ddpm's step (laws before the final step are equal)
RS-E3   mdlm.ddpm = ancestral (linear clock, to t = 1e-5) + final argmax; sedd.* = … + final sample
RS-E4   bd3lm.fhs with a time-agnostic exact model reproduces the data law (TV = 0)
RS-E5   llada.random (temperature 1) = fixed-cardinality random-subset factorized sampler
RS-E6   mdlm.ddpm_cache has mdlm.ddpm's law; E[NFE] = 2 + (N − 1)(1 − (1 − dt)^d)
RS-E7   sedd.euler = sedd.analytic for every estimator (absorbing graph, log-linear noise)
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

from mdtheory.distributions import binary_symmetric_markov, copy_pairs, dirichlet, mds_code
from mdtheory.divergences import tv
from mdtheory.masked_scores import fhs_score_error, l1_score_error_grid, mixing, multiplicative_noise, rescaled
from mdtheory.samplers import ancestral, factorized, profiles
from mdtheory.schedules import Grid, LinearClock, LogLinearClock

from ..claim import Claim, Comparison, Paper, Param, Sharp

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


# -- identities -----------------------------------------------------------------------------------
def _check_e1(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    ts = profiles.grid_times(1, Fraction(1, 1000), N + 1)
    fwd = ts[:-1] + [Fraction(0)]
    anc = ancestral(law, clock=LinearClock(), grid=Grid(tuple(1 - x for x in fwd)), T=1, tier=tier)
    prof = profiles.run("dream.origin", law, N, tier=tier)
    return _tv_eq(prof, anc, "TV(dream.origin, ancestral)", tier)


def _check_e2(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    a = profiles.run("sedd.analytic", law, N, tier=tier, noise_removal=False, engine="stepwise")
    b = profiles.run("mdlm.ddpm", law, N, tier=tier, noise_removal=False, engine="stepwise")
    return _tv_eq(a, b, "TV(sedd.analytic, mdlm.ddpm) before the final step", tier)


def _check_e3(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    ts = profiles.grid_times(1, Fraction(1, 100000), N + 1)
    g = Grid(tuple(1 - x for x in ts))
    out = []
    for name, final in (("mdlm.ddpm", "argmax"), ("sedd.analytic", "sample"), ("sedd.euler", "sample")):
        anc = ancestral(law, clock=LinearClock(), grid=g, T=1, tier=tier, final=final)
        out.append(_tv_eq(profiles.run(name, law, N, tier=tier), anc, f"TV({name}, ancestral+{final})", tier))
    return out


def _check_e4(inst, params, tier):
    law = _law(inst, tier)
    d = law.space.d
    out = []
    for block in sorted({d, max(1, d // 2)}):
        if d % block:
            continue
        r = profiles.run("bd3lm.fhs", law, inst["steps"] + d, tier=tier, block_size=block)
        out.append(Comparison(r.tv(), tier.zero, "==", f"TV(data, bd3lm.fhs), block {block}"))
    return out


def _check_e5(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    d = law.space.d
    r = profiles.run("llada.random", law, N, tier=tier)
    f = factorized(law, tuple(profiles.llada_counts(d, N)), tier=tier)
    return _tv_eq(r, f, "TV(llada.random, factorized(counts))", tier)


def _check_e6(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    d = law.space.d
    a = profiles.run("mdlm.ddpm", law, N, tier=tier)
    b = profiles.run("mdlm.ddpm_cache", law, N, tier=tier, engine="stepwise")
    dt = (1 - Fraction(1, 100000)) / N
    return [_tv_eq(a, b, "TV(ddpm, ddpm_cache)", tier),
            Comparison(b.info["nfe"], tier.scalar(2 + (N - 1) * (1 - (1 - dt) ** d)), "==", "E[NFE] closed form")]


def _check_e7(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    out = []
    for label, est in (("rescaled(3)", rescaled(law, 3)), ("multiplicative(1/2)", multiplicative_noise(law, "1/2", seed=1)),
                       ("mixing(1/4)", mixing(law, "1/4", reference="random"))):
        a = profiles.run("sedd.euler", law, N, est, tier=tier)
        b = profiles.run("sedd.analytic", law, N, est, tier=tier)
        out.append(_tv_eq(a, b, f"TV(sedd.euler, sedd.analytic), {label}, clipped {a.info['clipped']}", tier))
    return out


def _check_l1(inst, params, tier):
    m, d, N = inst["m"], inst["d"], inst["steps"]
    law = copy_pairs(m, d) if tier.name == "exact" else copy_pairs(m, d).to_tier(tier)
    r = profiles.run("dream.origin", law, N, tier=tier)
    delta = (1 - Fraction(1, 1000)) / N
    pis = [delta] * (N - 1) + [1 - (N - 1) * delta]
    s2 = sum(p * p for p in pis)
    closed = 1 - (1 - (1 - Fraction(1, m)) * s2) ** (d // 2)
    lower = 1 - (1 - (1 - Fraction(1, m)) / N) ** (d // 2)
    return [Comparison(r.tv(), tier.scalar(closed), "==", "TV = SR-T2a closed form"),
            Comparison(tier.scalar(lower), r.tv(), "<=", "SR-T2b lower bound")]


def _pairs_instances(size, params):
    grid = {"small": [(2, 2), (2, 4), (3, 4)], "medium": [(2, 4), (3, 4), (2, 6)], "large": [(2, 6), (3, 6), (4, 4)]}[size]
    return [{"m": m, "d": d, "steps": N, "name": f"copy_pairs(m={m},d={d}),N={N}"}
            for m, d in grid for N in _STEPS[size]]


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


def _check_b3(inst, params, tier):
    law = _law(inst, tier)
    N = inst["steps"]
    ts = profiles.grid_times(1, Fraction(1, 100000), N + 1)
    g = Grid(tuple(1 - x for x in ts))
    base = profiles.run("sedd.euler", law, N, tier=tier).tv()
    out = []
    for eta in ("1/10", "1/2"):
        est = multiplicative_noise(law, eta, seed=2)
        r = profiles.run("sedd.euler", law, N, est, tier=tier)
        eps = l1_score_error_grid(law, est, clock=LogLinearClock(Fraction(1, 1000)), grid=g, T=1, tier=tier)
        out.append(Comparison(r.tv(), base + tier.scalar(params["c"]) * eps, "<=",
                              f"sedd.euler, noise {eta}: TV ≤ TV_exact + c·ε_Eul (clipped {r.info['clipped']})"))
    return out


CLAIMS = [
    Claim(
        id="RS-E1", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="Dream's alg='origin' (transfer w.p. 1 − s/t on linspace(1, 1e-3, N+1), everything at the last "
                  "step) has exactly the law of the ancestral sampler with α_t = 1 − t on the grid (1, t_1, …, t_{N−1}, 0).",
        formula="law(dream.origin, N) = law(ancestral, linear clock, forward times (1, t_1, …, t_{N−1}, 0))",
        check=_check_e1, instances=_law_step_instances, source=SOURCE,
        notes="1 − s/t = (α_s − α_t)/(1 − α_t) with α = 1 − t; the last step has s = 0."),
    Claim(
        id="RS-E2", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="SEDD's analytic (Tweedie τ-leaping) step on the absorbing graph with log-linear noise is MDLM's "
                  "ddpm step: both unmask w.p. (α_s − α_t)/(1 − α_t) with values from p_θ (laws before the final step).",
        formula="w(a) = (e^{dσ} − 1)·r(α_t)·p(a) = (α_s − α_t)/(1 − α_t)·p(a) = (m_t − m_s)/m_t·p(a)",
        check=_check_e2, instances=_law_step_instances, source=SOURCE),
    Claim(
        id="RS-E3", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="mdlm.ddpm is the ancestral sampler on the linear clock from t = 1 to t = 1e-5 followed by an "
                  "argmax of the remaining masks; sedd.analytic and sedd.euler are the same followed by sampling.",
        formula="law(mdlm.ddpm) = ancestral(linear, linspace(1, 1e-5, N+1), final=argmax); sedd.* = … final=sample",
        check=_check_e3, instances=_law_step_instances, source=SOURCE,
        notes="(1−ε)t/((1−ε)t) cancels: the log-linear ε does not change any per-step probability."),
    Claim(
        id="RS-E4", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="bd3lms' first-hitting sampler with a time-agnostic exact model reproduces the data law exactly "
                  "(random-order autoregressive sampling within blocks), whatever the block size.",
        formula="TV(p_data, bd3lm.fhs) = 0 when steps ≥ block size",
        check=_check_e4, instances=_law_step_instances, source=SOURCE + "; SR-T3"),
    Claim(
        id="RS-E5", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="LLaDA's remasking='random' at temperature 1 (one block) is the factorized sampler with the fixed "
                  "sizes ⌊d/N⌋ + 1{i < d mod N} and uniformly random subsets.",
        formula="law(llada.random, N) = factorized(p, sizes = get_num_transfer_tokens(d, N))",
        check=_check_e5, instances=_law_step_instances, source=SOURCE + "; LZ, ZC"),
    Claim(
        id="RS-E6", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="MDLM's ddpm_cache (m_t = t literally) has ddpm's law, and its expected number of model calls is "
                  "2 + (N − 1)(1 − (1 − dt)^d) (a token is still masked w.p. t_i before step i).",
        formula="law(ddpm_cache) = law(ddpm);  E[NFE] = 2 + (N−1)(1 − (1 − dt)^d), dt = (1 − 1e-5)/N",
        check=_check_e6, instances=_law_step_instances, source=SOURCE),
    Claim(
        id="RS-E7", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement="On the absorbing graph with log-linear noise SEDD's Euler predictor (with its implicit clipping of "
                  "negative weights) and its analytic predictor have the same law for every score estimator.",
        formula="dt·σ'(t)·r(α_t) = (α_s − α_t)/(1 − α_t) = dt/t  ⇒  identical weights, identical clipping",
        check=_check_e7, instances=_law_step_instances, source=SOURCE),
    Claim(
        id="RS-L1", paper=PAPER, provenance="derived-and-exact",
        statement="On copy pairs dream.origin's TV equals the SR-T2a closed form in its per-token reveal-step law "
                  "and is at least the SR-T2b lower bound 1 − (1 − (1−1/m)/N)^{d/2} of every N-step grid.",
        formula="TV = 1 − (1 − (1−1/m)Σπ_k²)^{d/2} ≥ 1 − (1 − (1−1/m)/N)^{d/2},  π = (Δ,…,Δ, 1 − (N−1)Δ)",
        check=_check_l1, instances=_pairs_instances, source=SOURCE + "; SR-T2a, SR-T2b"),
    Claim(
        id="RS-B1", paper=PAPER, provenance="reconstructed",
        statement="The reconstructed SR-T1 Euler bound form, evaluated on the grid profiles with exact scores: "
                  "TV ≤ [1 − (1 − α_start)^d] + C·d·max_k π_k, π_k the per-token reveal probability of step k.",
        formula="TV(p, profile) ≤ 1 − (1 − α_start)^d + C·d·max_k π_k",
        params=[Param("C", "1", "rational", "constant of the discretisation term (unknown in the paper)", domain=">= 0")],
        sharp=[Sharp("C")],
        check=_check_b1, instances=_law_step_instances, source=SOURCE + "; SR-T1 (reconstructed)",
        notes="max π_k plays κ's role (= 1/N on the uniform linear clock); no log factor, as observed in SR-T1. "
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
        sharp=[Sharp("c")],
        check=_check_b3, instances=_law_step_instances, source=SOURCE + "; SR-T1b (reconstructed)"),
]
