"""MDLM (kuleshov-group/mdlm): ``mdlm.ddpm`` and ``mdlm.ddpm_cache``; the engine shared with SEDD.

Constants are the code's decimal literals as exact rationals.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import numpy as np

from ...tiers import Tier, as_fraction
from .._masked_core import (
    SamplerError,
    data_dims,
    finish,
    initial_array,
    per_token_step,
    resolve_estimator,
    resolve_tier,
)
from ._base import (
    Profile,
    _ctx_zeros,
    _fill_masks,
    _final_tables,
    _is_normalized,
    _masked_count_mass,
    _stack,
    _telescoped,
    grid_times,
    register,
)


MDLM_NOISE_EPS = Fraction(1, 1000)  # LogLinearNoise(eps=1e-3)
MDLM_T_END = Fraction(1, 100000)  # linspace(1, 1e-5, N+1)

_MASKED_SOURCE_NOTE = "exact scores by default (the SUBS/'ideal network' p_θ = p(x_j | x_U))"


def _alpha_loglinear(tval: Fraction, t: Tier, eps=MDLM_NOISE_EPS):
    return t.scalar(1 - (1 - eps) * tval)


def _mdlm_like(law, steps, estimator, tier, prec, opts, *, kind):
    """MDLM ddpm/ddpm_cache and SEDD euler/analytic on ``linspace(1, 1e-5, N+1)``."""
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    eps = as_fraction(opts.get("noise_eps", MDLM_NOISE_EPS))
    t_end = as_fraction(opts.get("t_end", MDLM_T_END))
    ts = grid_times(1, t_end, steps + 1)
    dt = (1 - t_end) / steps
    info: dict = {"grid": [str(x) for x in ts], "dt": str(dt), "clipped": 0, "estimator": est.name}
    fast = (opts.get("engine", "auto") == "auto" and not est.time_dependent
            and (kind in ("ddpm", "ddpm_cache") or _is_normalized(est, t)))
    info["engine"] = "telescoped" if fast else "stepwise"
    with t.active():
        P = initial_array(law, "all_mask", t)
        exp_nfe = t.one  # ddpm_cache: the first call
        if fast:
            # every kind unmasks w.p. dt/t_i here: (m_t − m_s)/m_t with m ∝ t, and dt/t·ĝ with Σĝ = 1
            P = _telescoped(law, est, estimator, t, m, d, steps, dt, ts[-1])
            # ddpm_cache: each token is still masked w.p. t_i before step i, so
            # P(x unchanged at step i) = E (t_{i+1}/t_i)^{Bin(d, t_i)} = (1 − dt)^d
            exp_nfe = t.one + t.scalar(steps - 1) * (t.one - t.scalar((1 - dt) ** d))
        for i in range(0 if not fast else steps, steps):
            tt, ss = ts[i], ts[i] - dt  # the code steps by dt (equal to the grid spacing here)
            a_t = _alpha_loglinear(tt, t, eps)
            G = est.tables(t, a_t) if est.time_dependent else est.tables(t)
            if kind in ("ddpm", "ddpm_cache"):
                if kind == "ddpm":
                    mt, ms = (1 - eps) * tt, (1 - eps) * ss  # 1 − e^{−σ}, σ = −log1p(−(1−ε)t)
                else:
                    mt, ms = tt, ss  # move_chance_t = t literally
                Gn, _ = est.normalized_tables(t, a_t) if est.time_dependent else est.normalized_tables(t)
                c = t.scalar((mt - ms) / mt)
                W = [_stack(np.asarray(g * c), _ctx_zeros(g, j, t) + (t.one - c), j) for j, g in enumerate(Gn)]
                if kind == "ddpm_cache" and i < steps - 1:
                    # P(x changes at step i) = 1 − E (m_s/m_t)^{#masked}: the next step calls the model
                    stay = t.scalar(ms / mt)
                    cnt = _masked_count_mass(P, m, d, t)
                    exp_nfe = exp_nfe + t.one - sum((cnt[n] * stay**n for n in range(d + 1)), t.zero)
            else:
                if kind == "analytic":
                    # staggered score ⊙ transp_transition: weight (e^{dσ} − 1)·ŝ = (α_s − α_t)/(1 − α_t)·ĝ
                    a_s = _alpha_loglinear(ss, t, eps)
                    c = (a_s - a_t) / (t.one - a_t)
                else:
                    # Euler: dt·σ'(t)·ŝ = dt·(1−ε)/α_t · α_t/(1−α_t) · ĝ = dt/t·ĝ on the log-linear noise
                    c = t.scalar(dt) * t.scalar(1 - eps) / (t.one - a_t)
                W = []
                for j, g in enumerate(G):
                    move = np.asarray(g * c)
                    stay = np.asarray(t.one - move.sum(axis=j, keepdims=True))
                    move, stay, nclip = _clip_negative(g, move, stay, j, t)
                    info["clipped"] += nclip
                    W.append(_stack(move, stay, j))
            P = per_token_step(P, m, d, t, W)
        a_end = _alpha_loglinear(t_end, t, eps)
        final = "argmax" if kind in ("ddpm", "ddpm_cache") else "sample"
        if opts.get("noise_removal", True):
            P = _fill_masks(P, _final_tables(est, t, a_end if est.time_dependent else None, final), m, d, t)
        if kind == "ddpm_cache":
            nfe = exp_nfe + (t.one if opts.get("noise_removal", True) else t.zero)
            if est.time_dependent:
                nfe = t.scalar(steps + (1 if opts.get("noise_removal", True) else 0))
            info["nfe"] = nfe
            info["nfe_random"] = True
        else:
            info["nfe"] = steps + (1 if opts.get("noise_removal", True) else 0)
    return finish(law, P, t, f"profile:{kind}", steps, info)


def _clip_negative(g, move, stay, j, t: Tier):
    """Gumbel-argmax never picks a negative weight: negative stay → 0, moves renormalised (∝ ĝ)."""
    n = 0
    if t.is_float:  # vectorised
        neg = stay < 0
        n = int(np.count_nonzero(neg))
        if n:
            s = g.sum(axis=j, keepdims=True)
            move = np.where(neg, np.divide(g, s, out=np.zeros_like(g), where=s > 0), move)
            stay = np.where(neg, 0.0, stay)
        return move, stay, n
    move, stay = np.moveaxis(move.copy(), j, -1), stay.copy()
    gm = np.moveaxis(g, j, -1)
    for idx in np.ndindex(*stay.shape):
        c = t.compare(stay[idx], t.zero)
        if c is None:
            raise SamplerError("a SEDD stay weight's sign is undecided; use the exact tier or raise prec")
        if c == -1:
            ctx = idx[:j] + idx[j + 1:]
            move[ctx] = gm[ctx] / t.total(gm[ctx])
            stay[idx] = t.zero
            n += 1
    return np.moveaxis(move, -1, j), stay, n


register(Profile(
    name="mdlm.ddpm", codebase="kuleshov-group/mdlm",
    source="diffusion.py (_sample, _ddpm_update, _sample_categorical), noise_schedule.py (LogLinearNoise)",
    schedule="m_t = 1 − e^{−σ(t)} = (1 − 1e-3)·t (log-linear, eps = 1e-3)",
    grid="t_i = linspace(1, 1e-5, N+1)[i], s = t_i − dt, dt = (1 − 1e-5)/N",
    rule="each masked token: weights p_θ(a)(m_t − m_s) for a ∈ V and m_s for the mask, sampled (unmask w.p. "
         "(m_t − m_s)/m_t = dt/t); unmasked tokens copied",
    counts="random (binomial given the masked count)",
    final="noise_removal: argmax p_θ(·|x) at t = 1e-5 for every remaining mask (first index on ties)",
    gumbel="float32 exponential race probs/(1e-10 − log(U + 1e-10)) in the repository; modelled as an exact draw",
    temperature="none (the race samples p_θ as is)",
    time_conditioning="time_conditioning: False (time-agnostic network); a time-dependent estimator is "
                      "evaluated at α_t = 1 − (1−eps)t",
    notes=_MASKED_SOURCE_NOTE + "; NFE = N + 1",
    options={"noise_removal": True, "noise_eps": MDLM_NOISE_EPS, "t_end": MDLM_T_END, "engine": "auto"},
    _run=functools.partial(_mdlm_like, kind="ddpm"),
    _nfe=lambda N, d, o: N + (1 if o["noise_removal"] else 0),
))
register(Profile(
    name="mdlm.ddpm_cache", codebase="kuleshov-group/mdlm",
    source="diffusion.py (_sample, _ddpm_caching_update); configs/config.yaml (sampling.predictor: ddpm_cache)",
    schedule="m_t = t, m_s = t − dt literally (asserts log-linear; the (1−eps) factor is dropped)",
    grid="linspace(1, 1e-5, N+1), dt = (1 − 1e-5)/N",
    rule="as mdlm.ddpm with m_t = t: unmask w.p. dt/t — the same probability, so the same law; p_θ is reused "
         "while x is unchanged",
    counts="random (binomial)",
    final="noise_removal: argmax p_θ at t = 1e-5",
    gumbel="float32 exponential race (as mdlm.ddpm)",
    temperature="none",
    time_conditioning="caching is disabled for time-conditioned models (then NFE = N + 1)",
    notes="NFE is random: 1 + Σ_{i<N−1} 1{x changed at step i} + 1 (noise removal); run().info['nfe'] is its "
          "exact expectation",
    options={"noise_removal": True, "noise_eps": MDLM_NOISE_EPS, "t_end": MDLM_T_END, "engine": "auto"},
    _run=functools.partial(_mdlm_like, kind="ddpm_cache"),
    _nfe=lambda N, d, o: None,
))
