"""LLaDA (ML-GSAI/LLaDA): ``llada.random`` and ``llada.low_confidence``."""

from __future__ import annotations

import functools
from fractions import Fraction

from .._masked_core import data_dims, finish, initial_array, resolve_estimator, resolve_tier
from ._base import Profile, ProfileError, _check_time_agnostic, _confidence_step, _token_tables, register


def llada_counts(block_masks: int, steps_per_block: int) -> list[int]:
    """LLaDA's ``get_num_transfer_tokens``: ``⌊M/S⌋`` per step, +1 for the first ``M mod S`` steps.

    >>> llada_counts(8, 3), llada_counts(2, 4)
    ([3, 3, 2], [1, 1, 0, 0])
    """
    base, rem = divmod(int(block_masks), int(steps_per_block))
    return [base + (1 if i < rem else 0) for i in range(int(steps_per_block))]


def _llada(law, steps, estimator, tier, prec, opts, *, remasking):
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    _check_time_agnostic(est, f"llada.{remasking}")
    L = d if opts["block_length"] is None else int(opts["block_length"])
    if L < 1 or d % L:
        raise ProfileError(f"llada: gen_length d={d} must be a multiple of block_length={L} (the code asserts it)")
    nb = d // L
    if steps % nb:
        raise ProfileError(f"llada: steps={steps} must be divisible by the number of blocks {nb} (the code asserts it)")
    S = steps // nb
    counts = llada_counts(L, S)
    info = {"counts_per_block": counts, "blocks": nb, "nfe": steps, "estimator": est.name}
    with t.active():
        Q = _token_tables(est, t, None, opts["temperature"])
        Pn = _token_tables(est, t, None, 1)  # softmax(logits), untempered
        P = initial_array(law, "all_mask", t)
        for b in range(nb):
            block = list(range(b * L, (b + 1) * L))
            for i in range(S):
                if counts[i] == 0:
                    continue
                P = _confidence_step(
                    P, m, d, t, Q, Pn, k_of=lambda x, M, k=counts[i]: k,
                    candidates=lambda x, M, blk=block: [j for j in M if j in blk],
                    kind="random" if remasking == "random" else "low_confidence",
                    ties=opts["ties"], alg_temp=None)
        if remasking == "low_confidence":
            info["tie_mass"] = _llada_tie_mass(law, t, Q, Pn, m, d, L, nb, S, counts)
            info["ties"] = opts["ties"]
    return finish(law, P, t, f"llada.{remasking}", steps, info)


def _llada_tie_mass(law, t, Q, Pn, m, d, L, nb, S, counts):
    """Probability that a trajectory meets a tie at the top-k cut (where the tie rule decides the positions).

    The same run with every tied-cut branch dropped keeps exactly the mass of the tie-free trajectories.
    """
    P = initial_array(law, "all_mask", t)
    for b in range(nb):
        block = list(range(b * L, (b + 1) * L))
        for i in range(S):
            if counts[i] == 0:
                continue
            P = _confidence_step(P, m, d, t, Q, Pn, k_of=lambda x, M, k=counts[i]: k,
                                 candidates=lambda x, M, blk=block: [j for j in M if j in blk],
                                 kind="low_confidence", ties="exclude", alg_temp=None)
    return t.one - sum(P.reshape(-1), t.zero)


register(Profile(
    name="llada.random", codebase="ML-GSAI/LLaDA@b7e6c35",
    source="generate.py (generate, get_num_transfer_tokens, add_gumbel_noise)",
    schedule="linear (equal expected tokens per step); no explicit time",
    grid="gen_length = d split into blocks of block_length; steps/num_blocks steps per block",
    rule="x0 = argmax exp(logits)/(−log U)^τ (float64 Gumbel: a draw from softmax(logits/τ), τ = 0 greedy); "
         "confidence U(0,1) i.i.d.; top-k_i positions of the block take x0",
    counts="k_i = ⌊M_b/S_b⌋ + 1{i < M_b mod S_b} (deterministic)",
    final="the block's last step unmasks the rest (Σ k_i = M_b)",
    gumbel="float64 (add_gumbel_noise)",
    temperature="default here 1 (a draw); the code's default is 0 (greedy argmax); 1/τ integer stays exact",
    time_conditioning="no time input (time-agnostic estimators only)",
    notes="= the fixed-cardinality, uniformly-random-subset factorized sampler (temperature 1); cfg_scale = 0, "
          "prompt empty; NFE = steps (steps with k_i = 0 still call the model)",
    options={"block_length": None, "temperature": Fraction(1), "ties": "index"},
    _run=functools.partial(_llada, remasking="random"),
    _nfe=lambda N, d, o: N,
))
register(Profile(
    name="llada.low_confidence", codebase="ML-GSAI/LLaDA@b7e6c35",
    source="generate.py (remasking='low_confidence')",
    schedule="linear; no explicit time",
    grid="as llada.random",
    rule="x0 as llada.random; confidence softmax(logits)[x0] (untempered, float64); −inf outside the current "
         "block and at unmasked positions; top-k_i by confidence (ties: the `ties` option)",
    counts="k_i = ⌊M_b/S_b⌋ + 1{i < M_b mod S_b}",
    final="the block's last step unmasks the rest",
    gumbel="float64",
    temperature="default here 1; code default 0 (greedy)",
    time_conditioning="no time input",
    notes="adaptive: the exact law enumerates the joint candidate draws of the block's masked positions "
          "(m^{#masked} per context); ties='index' picks lower positions first, 'uniform' picks uniformly among "
          "tied positions, 'torch' calls torch.topk itself (optional, when torch is installed). Upstream generate.py "
          "ranks with torch.topk, whose order on ties is unspecified: on CPU, for four values tied at 0.5 it returns "
          "position 2 for k = 1 and {2, 3} for k = 2 (neither 'index' nor 'uniform'; GPU not checked). So the law "
          "is the code base's law only off ties: info['tie_mass'] is the probability that a trajectory meets a tie "
          "at the top-k cut (1 on the binary Markov chain d = 4, flip 1/5, one block of 4 steps: its first step "
          "ties all four positions at 1/2), and the law is given under each rule",
    options={"block_length": None, "temperature": Fraction(1), "ties": "index"},
    _run=functools.partial(_llada, remasking="low_confidence"),
    _nfe=lambda N, d, o: N,
))
