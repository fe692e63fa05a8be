"""Dream (HKUNLP/Dream): ``dream.origin`` and the confidence rules ``maskgit_plus``, ``topk_margin``, ``entropy``."""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np


from ...tiers import as_fraction
from .._masked_core import data_dims, finish, initial_array, per_token_step, resolve_estimator, resolve_tier
from ._base import (
    Profile,
    _check_time_agnostic,
    _confidence_step,
    _ctx_zeros,
    _stack,
    _telescoped,
    _token_tables,
    grid_times,
    register,
)


DREAM_EPS = Fraction(1, 1000)  # linspace(1, eps=1e-3, N+1)


def dream_counts(d: int, steps: int, eps=DREAM_EPS) -> list[int]:
    """Dream's ``int(M·(1 − s/t))`` (all remaining at the last step), from ``d`` masks, exact rationals.

    The code computes in float32; it can differ by one token where ``M(1 − s/t)`` is within
    float32 rounding of an integer (see :func:`dream_counts_float_risk`).

    >>> dream_counts(4, 2)           # s/t = 1001/2000: ⌊4·999/2000⌋ = 1, then the remaining 3
    [1, 3]
    """
    ts = grid_times(1, eps, steps + 1)
    M, out = int(d), []
    for i in range(steps):
        k = math.floor(M * (1 - ts[i + 1] / ts[i])) if i < steps - 1 else M
        out.append(k)
        M -= k
    return out


def dream_counts_float_risk(d: int, steps: int, eps=DREAM_EPS, tol: float = 1e-5) -> list[int]:
    """Steps where Dream's float32 count could differ from the exact floor (``M(1−s/t)`` near an integer)."""
    ts = grid_times(1, eps, steps + 1)
    M, risky = int(d), []
    for i, k in enumerate(dream_counts(d, steps, eps)):
        if i < steps - 1:
            v = M * (1 - ts[i + 1] / ts[i])
            if v > 0 and abs(float(v) - round(float(v))) < tol * max(1.0, float(v)):
                risky.append(i)
        M -= k
    return risky


def _dream_origin(law, steps, estimator, tier, prec, opts):
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    _check_time_agnostic(est, "dream.origin")
    ts = grid_times(1, as_fraction(opts["eps"]), steps + 1)
    Q = _token_tables(est, t, None, opts["temperature"], opts["top_k"], opts["top_p"])
    temp = as_fraction(opts["temperature"])
    fast = (opts.get("engine", "auto") == "auto" and temp == 1 and opts["top_k"] is None
            and (opts["top_p"] is None or as_fraction(opts["top_p"]) >= 1))
    with t.active():
        P = initial_array(law, "all_mask", t)
        start = 0
        if fast and steps > 1:
            P = _telescoped(law, est, estimator, t, m, d, steps - 1, ts[0] - ts[1], ts[steps - 1])
            start = steps - 1
        for i in range(start, steps):
            p = t.scalar(1 - ts[i + 1] / ts[i]) if i < steps - 1 else t.one
            W = [_stack(np.asarray(q * p), _ctx_zeros(q, j, t) + (t.one - p), j) for j, q in enumerate(Q)]
            P = per_token_step(P, m, d, t, W)
    info = {"grid": [str(x) for x in ts], "nfe": steps, "estimator": est.name,
            "engine": "telescoped" if fast and steps > 1 else "stepwise"}
    return finish(law, P, t, "dream.origin", steps, info)


def _dream_conf(law, steps, estimator, tier, prec, opts, *, alg):
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    _check_time_agnostic(est, f"dream.{alg}")
    eps = as_fraction(opts["eps"])
    ts = grid_times(1, eps, steps + 1)
    info = {"grid": [str(x) for x in ts], "counts": dream_counts(d, steps, eps), "nfe": steps,
            "float32_count_risk_steps": dream_counts_float_risk(d, steps, eps), "estimator": est.name}
    with t.active():
        Q = _token_tables(est, t, None, opts["temperature"], opts["top_k"], opts["top_p"])

        def run(ties):
            P = initial_array(law, "all_mask", t)
            for i in range(steps):
                def k_of(x, M, i=i):
                    n = len(M)
                    return math.floor(n * (1 - ts[i + 1] / ts[i])) if i < steps - 1 else n

                P = _confidence_step(P, m, d, t, Q, None, k_of=k_of, candidates=lambda x, M: M, kind=alg,
                                     ties=ties, alg_temp=opts["alg_temp"])
            return P

        P = run(opts["ties"])
        if not opts["alg_temp"]:  # top-k by confidence: the tie rule decides where confidences tie at the cut
            # the same run with every tied-cut branch dropped keeps exactly the mass of the tie-free trajectories
            info["tie_mass"] = t.one - sum(run("exclude").reshape(-1), t.zero)
            info["ties"] = opts["ties"]
    return finish(law, P, t, f"dream.{alg}", steps, info)


register(Profile(
    name="dream.origin", codebase="HKUNLP/Dream (generation_utils.py of the released model)",
    source="generation_utils.py (_sample, alg='origin', sample_tokens)",
    schedule="α_t = 1 − t (linear), eps = 1e-3",
    grid="timesteps = linspace(1, 1e-3, N+1), t = timesteps[i], s = timesteps[i+1]",
    rule="every masked position transfers independently w.p. 1 − s/t (w.p. 1 at the last step), token from "
         "sample_tokens (softmax(logits/τ), optional top_p/top_k)",
    counts="random",
    final="the last step transfers every remaining mask",
    gumbel="torch Categorical sampling (no Gumbel); exact draw modelled",
    temperature="default here 1; the code's default is 0 (argmax)",
    time_conditioning="no time input",
    notes="= MDLM ancestral with α_t = 1 − t on the grid (1, t_1, …, t_{N−1}, 0); the logit shift (position i "
          "uses the logits at i−1) is absorbed into the estimator (an ideal AR-initialised network's shifted "
          "output is the prediction for i); NFE = N",
    options={"eps": DREAM_EPS, "temperature": Fraction(1), "top_k": None, "top_p": None, "engine": "auto"},
    _run=_dream_origin,
    _nfe=lambda N, d, o: N,
))
for _alg, _conf in (("maskgit_plus", "the tempered probability of the drawn token"),
                    ("topk_margin", "top1 − top2 of the tempered probabilities"),
                    ("entropy", "Σ_a q(a)·log(q(a) + 1e-10) (negative entropy), exact LogSum comparisons")):
    register(Profile(
        name=f"dream.{_alg}", codebase="HKUNLP/Dream (generation_utils.py of the released model)",
        source=f"generation_utils.py (_sample, alg='{_alg}', sample_tokens)",
        schedule="α_t = 1 − t, eps = 1e-3",
        grid="linspace(1, 1e-3, N+1)",
        rule=f"x0 ~ sample_tokens (τ > 0) or argmax; confidence = {_conf}; top-k by confidence "
             "(alg_temp None/0; ties by the `ties` option) or k draws without replacement from "
             "softmax(confidence/alg_temp) (Plackett–Luce, certified tier). Upstream ranks with torch.topk "
             "(order on ties unspecified; observed on CPU for LLaDA's equal values: not the lowest index); "
             "info['tie_mass'] is the probability that a trajectory meets a tie at the cut, and the law is given "
             "under ties='index' (lower position first), 'uniform' or 'torch' (optional extra)",
        counts="int(M·(1 − s/t)) (floor; M the current masked count), all remaining at the last step; exact "
               "rationals here, float32 in the code (info['float32_count_risk_steps'] flags near-integers)",
        final="the last step transfers every remaining mask",
        gumbel="torch Categorical sampling; exact draw modelled",
        temperature="default here 1; the code's default is 0 (argmax)",
        time_conditioning="no time input",
        notes="logit shift absorbed into the estimator (see dream.origin); NFE = N"
              + ("; the confidence depends on the draws: joint candidate draws are enumerated" if _alg ==
                 "maskgit_plus" else ""),
        options={"eps": DREAM_EPS, "temperature": Fraction(1), "top_k": None, "top_p": None, "ties": "index",
                 "alg_temp": None},
        _run=functools.partial(_dream_conf, alg=_alg),
        _nfe=lambda N, d, o: N,
    ))
