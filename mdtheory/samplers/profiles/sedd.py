"""SEDD (louaaron/Score-Entropy-Discrete-Diffusion): ``sedd.euler`` and ``sedd.analytic`` (on the MDLM engine)."""

from __future__ import annotations

import functools

from ._base import Profile, register
from .mdlm import MDLM_NOISE_EPS, MDLM_T_END, _mdlm_like


register(Profile(
    name="sedd.euler", codebase="louaaron/Score-Entropy-Discrete-Diffusion",
    source="sampling.py (get_pc_sampler, EulerPredictor, Denoiser), graph_lib.py (Absorbing), noise_lib.py, "
           "catsample.py",
    schedule="σ(t) = −log1p(−(1−1e-3)t), σ'(t) = (1−eps)/(1−(1−eps)t); α_t = e^{−σ} = 1 − (1−eps)t",
    grid="linspace(1, 1e-5, N+1), dt = (1 − 1e-5)/N, predictor at the left (larger) time",
    rule="weights onehot(M) + dt·σ'(t)·R̂(M→a), R̂ = ŝ(a) = r(α_t)·ĝ(a): move dt/t·ĝ(a), stay 1 − dt/t·Σĝ; a "
         "negative stay weight is never picked by the Gumbel argmax (clipped to 0, moves renormalised ∝ ĝ)",
    counts="random",
    final="Denoiser at t = 1e-5: staggered score ⊙ transition with dσ = σ(1e-5), mask column dropped: each "
          "remaining mask is sampled ∝ ĝ",
    gumbel="sample_categorical: probs/(1e-10 − log(U + 1e-10)), float32; exact draw modelled",
    temperature="none",
    time_conditioning="SEDD networks take σ; a time-dependent estimator is evaluated at α_t",
    notes="with exact scores dt/t ≤ 1 always (no clipping); NFE = N + 1. info['clipped'] counts clipped contexts",
    options={"noise_removal": True, "noise_eps": MDLM_NOISE_EPS, "t_end": MDLM_T_END, "engine": "auto"},
    _run=functools.partial(_mdlm_like, kind="euler"),
    _nfe=lambda N, d, o: N + (1 if o["noise_removal"] else 0),
))
register(Profile(
    name="sedd.analytic", codebase="louaaron/Score-Entropy-Discrete-Diffusion",
    source="sampling.py (AnalyticPredictor, Denoiser), graph_lib.py (Absorbing.staggered_score, transp_transition)",
    schedule="log-linear σ (eps = 1e-3), α = e^{−σ}",
    grid="linspace(1, 1e-5, N+1); dσ = σ(t) − σ(t − dt)",
    rule="x = M: w(a) = (e^{dσ} − 1)·ŝ(a) = (α_s − α_t)/(1 − α_t)·ĝ(a), w(M) = 1 − Σ_a w(a) (clipped at 0): the "
         "exact factorised posterior, identical to mdlm.ddpm's step for exact scores",
    counts="random",
    final="Denoiser: sample ∝ ĝ (mask column dropped) at t = 1e-5",
    gumbel="float32 sample_categorical; exact draw modelled",
    temperature="none",
    time_conditioning="a time-dependent estimator is evaluated at α_t",
    notes="run_sample.py uses this predictor (--steps 1024); NFE = N + 1",
    options={"noise_removal": True, "noise_eps": MDLM_NOISE_EPS, "t_end": MDLM_T_END, "engine": "auto"},
    _run=functools.partial(_mdlm_like, kind="analytic"),
    _nfe=lambda N, d, o: N + (1 if o["noise_removal"] else 0),
))
