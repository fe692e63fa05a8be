"""bd3lms (kuleshov-group/bd3lms): the first-hitting sampler ``bd3lm.fhs``."""

from __future__ import annotations


from .._masked_core import data_dims, finish, initial_array, resolve_estimator, resolve_tier
from ._base import Profile, ProfileError, _confidence_step, _token_tables, register


def _bd3lm_fhs(law, steps, estimator, tier, prec, opts):
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    if est.time_dependent:
        raise ProfileError("bd3lm.fhs: the exact law with a time-conditioned model integrates over the random "
                           "times t·u^{1/n}; only time-agnostic estimators are supported (bd3lms default)")
    L = d if opts["block_size"] is None else int(opts["block_size"])
    if L < 1 or d % L:
        raise ProfileError(f"bd3lm.fhs: d={d} must be a multiple of block_size={L}")
    events = 0
    with t.active():
        Q = _token_tables(est, t, None, 1)  # p_x0 (float64 Gumbel in bd3lms: an exact draw)
        P = initial_array(law, "all_mask", t)
        for b in range(d // L):
            block = list(range(b * L, (b + 1) * L))
            for _ in range(min(steps, L)):  # the loop breaks once the block has no mask
                P = _confidence_step(P, m, d, t, Q, None, k_of=lambda x, M: 1,
                                     candidates=lambda x, M, blk=block: [j for j in M if j in blk],
                                     kind="random", ties="index", alg_temp=None)
                events += 1
    info = {"nfe": events, "block_size": L, "estimator": est.name, "events_per_block": min(steps, L)}
    return finish(law, P, t, "bd3lm.fhs", steps, info)


register(Profile(
    name="bd3lm.fhs", codebase="kuleshov-group/bd3lms@1c3e8f4",
    source="diffusion.py (_semi_ar_sampler: t ← t·u^{1/n}; _ddpm_caching_update first_hitting branch)",
    schedule="log-linear move chance t (bd3lms noise_schedule.py); irrelevant for a time-agnostic model",
    grid="per block: t ← t·u^{1/n} (the next reveal time), at most `steps` iterations (loop breaks when the block "
         "has no mask)",
    rule="sample a token for every position from p_x0 (float64), choose one masked index of the block uniformly "
         "(randint) and write only it",
    counts="exactly 1 per NFE",
    final="none (noise_removal: False); with steps < block size the remaining masks are kept as leftover mass",
    gumbel="p_x0 cast to float64 before the Gumbel race",
    temperature="nucleus_p = 1.0 (no truncation)",
    time_conditioning="time-agnostic estimators only (the random times then do not matter)",
    notes="≡ uniformly-random-order autoregressive sampling within blocks; = data law with exact scores. "
          "NFE = Σ_blocks min(steps, block_size). The BOS token the code writes at position 0 is not modelled",
    options={"block_size": None},
    _run=_bd3lm_fhs,
    _nfe=lambda N, d, o: (d // (o["block_size"] or d)) * min(N, o["block_size"] or d),
))
