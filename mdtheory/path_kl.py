"""KL between the laws of grid values of the exact reversal and of a random-walk sampler, on refined grids.

For a backward grid ``0 = t_0 < … < t_N = T − δ`` refined ``n`` times per step (``t_{k,j} = t_k + j·h_k/n``),
this computes, with no reference to any error decomposition,

    KL_n = KL( law of (X_{t_{k,j}})_{k,j} under the exact reversal ‖ the same under the sampler ),

the KL between two finite-dimensional laws of the two *paths*.  On nested refinements ``KL_n`` is
non-decreasing (data processing: a coarser grid is a function of a finer one) and increases to the
path-space KL (the finite-dimensional laws of a jump process on a finite space generate its path
σ-field).  ``KL_1`` is the chain-rule value ``KL(p_T‖q_0) + Σ_k E KL(K_true ‖ K̂_k)`` and every ``KL_n``
is ``≥ KL(p_δ ‖ output)``.

Sampler laws between grid points (rates frozen at the step's start ``s_k``):

* ``S1`` (frozen-rate Poisson displacements, random walk): given the start state ``x_0`` of the step the
  displacements over disjoint sub-intervals are independent, each the S1 kernel of length ``h/n``
  started at ``x_0``: ``P(x → y on a sub-interval | x_0) = K̂_{h/n}(x_0, x_0 ⊕ (y ⊖ x))``.  The sampler is
  Markov in the pair ``(x_0, x)``, so the KL is accumulated along the joint law of ``(x_0, x)`` under the
  exact reversal.
* ``S3`` (time-frozen Gillespie): Markov in the current state, sub-kernel ``exp((h/n)·Q̂_k)``.

The exact reversal's sub-kernels are ``K(x, y) = p_{s'}(y)·P_{s'→s}(y, x)/p_s(x)`` from the forward laws.
Everything is a certified ball (``arb``) in the certified tier.

>>> from mdtheory import Law, ProductSpace, generators
>>> mu = Law(ProductSpace(2, 1), ["1/4", "3/4"])
>>> r = grid_path_kl(mu, generators.random_walk(2, 1), "S1", T=2, delta="1/10", N=2, refine=(1, 2), prec=64)
>>> r.kl[0] <= r.kl[1], r.output_kl < r.kl[0]
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .propagate import Process, forward
from .divergences import kl
from .samplers.random_walk import (RandomWalkSamplerError, _forward_kernel_dense, _grid_for, initial_law,
                                   step_kernel, true_scores)
from .scores import backward_rates
from .tiers import as_fraction, get_tier

__all__ = ["GridPathKL", "grid_path_kl"]


@dataclass
class GridPathKL:
    """``kl[i]``: KL of the grid-value laws with ``refine[i]`` sub-steps per step (certified balls);
    ``init_kl = KL(p_T‖q_0)``; ``output_kl = KL(p_δ‖output)``; ``scheme``, ``N``, ``refine``."""

    scheme: str
    N: int
    refine: tuple
    kl: list
    init_kl: Any
    output_kl: Any


def _shift_index(space, x0, x, y):
    """Index of ``x0 ⊕ (y ⊖ x)`` (coordinate-wise mod m)."""
    m = space.m
    return space.index(tuple((a + c - b) % m for a, b, c in zip(x0, x, y)))


def grid_path_kl(law, process, scheme: str, *, T, delta, N: int, refine: Sequence[int] = (1, 2, 4),
                 estimator: Callable | None = None, prec: int = 128) -> GridPathKL:
    """``KL_n`` for each ``n`` in ``refine`` (see the module docstring); ``scheme`` ``'S1'`` or ``'S3'``."""
    if scheme not in ("S1", "S3"):
        raise RandomWalkSamplerError(f"grid path KL: scheme must be S1 or S3 (Markov between refined grid points given "
                                     f"the step's start), got {scheme!r}")
    proc = process if isinstance(process, Process) else Process(process)
    gen = proc.generator
    if gen.factors[0].family != "random_walk":
        raise RandomWalkSamplerError("grid path KL runs the random walk on Z_m^d only")
    Tt = get_tier("certified", prec)
    T_, delta = as_fraction(T), as_fraction(delta)
    g = _grid_for(T_, delta, None, N)
    est = estimator or true_scores()
    space = gen.space
    n_states = space.size
    states = list(space.states())
    out = []
    with Tt.active():
        mu = law if law.tier == Tt else law.to_tier(Tt)
        q0 = initial_law(space, "uniform", Tt)
        pT = forward(mu, proc, t=T_, tier=Tt)
        init = kl(pT.probs.reshape(-1), q0.probs.reshape(-1), tier=Tt, undecided='nan')
        # sampler output law on the coarse grid (for KL(p_δ‖output))
        q = q0.probs.reshape(-1)
        fwd_cache: dict = {}

        def p_at(t):  # forward law at backward time t (forward time T − t), flat
            if t not in fwd_cache:
                fwd_cache[t] = forward(mu, proc, t=T_ - t, tier=Tt).probs.reshape(-1)
            return fwd_cache[t]

        rates_k = []
        for k in range(g.N):
            s_k = T_ - g.times[k]
            beta = proc.clock.beta(s_k, Tt)
            pk = forward(mu, proc, t=s_k, tier=Tt).probs
            true_rates = {key: arr * beta for key, arr in backward_rates(pk, gen, Tt).items()}
            rates_k.append(est(s_k, true_rates, Tt))
            q = q.dot(step_kernel(scheme, gen, rates_k[-1], g.times[k + 1] - g.times[k], Tt))
        kl_out = kl(p_at(g.times[-1]), q, tier=Tt, undecided='nan')
        for n in refine:
            total = init
            for k in range(g.N):
                h = g.times[k + 1] - g.times[k]
                sub = step_kernel(scheme, gen, rates_k[k], h / n, Tt)
                p0 = p_at(g.times[k])
                # joint law of (x_0, x) under the exact reversal, x_0 the step's start state
                J = [[p0[a] if a == b else Tt.zero for b in range(n_states)] for a in range(n_states)]
                for j in range(n):
                    ta, tb = g.times[k] + h * j / n, g.times[k] + h * (j + 1) / n
                    pa, pb = p_at(ta), p_at(tb)
                    P = _forward_kernel_dense(proc, T_ - ta, T_ - tb, Tt)
                    Ktrue = [[pb[y] * P[y, x] / pa[x] for y in range(n_states)] for x in range(n_states)]
                    for a in range(n_states):
                        for x in range(n_states):
                            w = J[a][x]
                            if Tt.is_zero(w) is True:
                                continue
                            if scheme == "S1":
                                row = [sub[a, _shift_index(space, states[a], states[x], states[y])] for y in range(n_states)]
                            else:
                                row = [sub[x, y] for y in range(n_states)]
                            v = kl(Ktrue[x], row, tier=Tt, undecided='nan')
                            if v is math.inf:
                                total = math.inf
                                break
                            total = total + w * v
                        if total is math.inf:
                            break
                    if total is math.inf:
                        break
                    J = [[sum((J[a][x] * Ktrue[x][y] for x in range(n_states)), Tt.zero) for y in range(n_states)]
                         for a in range(n_states)]
                if total is math.inf:
                    break
            out.append(total)
    return GridPathKL(scheme, g.N, tuple(refine), out, init, kl_out)
