"""Factorized (parallel) unmasking with a schedule: exact output laws and the expected KL over orders.

Sampler (``papers/optimal_schedules_2510.25544.md`` §2, ``papers/intrinsic_dependence_2602.20126.md`` §2):
from the all-mask state, at round ``t`` reveal a set ``A_t`` of masked positions and draw
``x_{A_t} ~ ⊗_{j∈A_t} ĝ_j(·|x_{S_{t-1}})`` (normalised conditionals, independent given the
revealed values).  Planners:

* **random order** with a size schedule: given the round size ``k``, ``A_t`` is a uniform
  ``k``-subset of the masked set.  Sizes are fixed (``(k_1..k_K)``) or random from a
  :class:`~mdtheory.size_laws.SizeLaw`: Markov in the revealed count (``SizeLaw.markov``,
  e.g. ``SizeLaw.bernoulli``), or a mixture of fixed schedules (``SizeLaw.mixture``, e.g.
  :func:`~mdtheory.size_laws.random_offset_law`).
* **deterministic adaptive** planners (``planner='lowest_entropy'``, ``'highest_confidence'``
  or a callable): ``A_t`` is a function of the revealed values.
* **one ordered partition** ``(A_1..A_K)`` (``mixture=False``): the law ``q_σ``.

``mixture=True`` gives the law of the real sampler, ``E_σ[q_σ]``, by a dynamic program
over (revealed set, revealed values) on the ``(m+1)^d`` states — never by enumerating
orders.  :func:`expected_kl_over_orders` gives ``E_σ KL(p‖q_σ)`` exactly (a different
quantity: ``KL(p‖E_σ q_σ) ≤ E_σ KL(p‖q_σ)`` by convexity); both are reported, named.

>>> from mdtheory.distributions import copy
>>> from mdtheory.samplers.factorized import factorized, expected_kl_over_orders
>>> factorized(copy(2, 3), (1, 1, 1)).tv()                 # all sizes 1: exact
0
>>> factorized(copy(2, 3), (2, 1)).law.prob((0, 0, 0))     # first two agree w.p. 1/2
1/4
>>> r = expected_kl_over_orders(copy(2, 3), (2, 1), logs="symbolic")
>>> r.expected_kl, r.mixture_kl                            # (k_1 − 1)·log 2 both (repeated symbol)
(LogSum(log(2)), LogSum(log(2)))
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..divergences import kl as _kl
from ..information import entropy as _entropy, partial_marginal_table
from ..laws import Law
from ..logsum import LogSum, log_domain
from ..masked_scores import MaskedEstimator
from ..size_laws import SizeLaw, SizeLawError
from ..tiers import Tier
from ._masked_core import (
    SamplerError,
    SamplerResult,
    data_dims,
    finish,
    initial_array,
    resolve_estimator,
    resolve_tier,
    subset_step,
)

__all__ = [
    "factorized",
    "expected_kl_over_orders",
    "OrderKL",
    "PLANNERS",
]


def _as_size_law(sizes, d: int) -> SizeLaw:
    """The size law on ``d`` tokens from a SizeLaw or a tuple of round sizes (zeros allowed)."""
    try:
        law = sizes if isinstance(sizes, SizeLaw) else SizeLaw.deterministic(tuple(sizes))
        return law.for_length(d)
    except TypeError:
        raise SamplerError(f"sizes must be a tuple of round sizes or a SizeLaw, got {sizes!r}") from None
    except SizeLawError as e:
        raise SamplerError(f"{e}; the round sizes must sum to d={d}") from None


# ---------------------------------------------------------------------------------------------
# planners
# ---------------------------------------------------------------------------------------------
def _entropy_key(vec):
    v = [float(x) if not hasattr(x, "mid") else float(x.mid()) for x in vec]
    return -sum(p * math.log(p) for p in v if p > 0)


def _confidence_key(vec):
    return -max(float(x) if not hasattr(x, "mid") else float(x.mid()) for x in vec)


PLANNERS = {"lowest_entropy": _entropy_key, "highest_confidence": _confidence_key}


# ---------------------------------------------------------------------------------------------
# the sampler
# ---------------------------------------------------------------------------------------------
def factorized(law: Law, sizes=None, estimator: MaskedEstimator | None = None, *, mixture: bool = True,
               partition: Sequence[Sequence[int]] | None = None, planner=None, tier=None, prec=None) -> SamplerResult:
    """Exact output law of factorized unmasking from the all-mask state.

    Parameters
    ----------
    sizes : tuple of ints or SizeLaw
        Round sizes (fixed, or a :class:`~mdtheory.size_laws.SizeLaw`; a law given for every
        length is taken at ``N = d``).  Not needed with ``partition``.
    mixture : bool
        ``True``: the real random-order sampler (mixture over orders and sizes), by a DP
        over (revealed set, revealed values).  ``False``: the law ``q_σ`` of one ordered
        ``partition`` (required).
    partition : sequence of blocks
        Ordered partition ``(A_1, …, A_K)`` of ``{0..d−1}`` (for ``mixture=False``).
    planner : str or callable
        Deterministic adaptive planner with fixed ``sizes``: ``'lowest_entropy'``,
        ``'highest_confidence'`` (rank masked positions by the entropy / the top
        probability of ``ĝ_j(·|x_U)``, float ranking, ties by index), or
        ``planner(x, k, conditionals) -> positions`` with ``x`` the masked-space state and
        ``conditionals`` a dict ``{j: vector}``.
    estimator : MaskedEstimator, optional
        Default: the exact conditionals of ``law``; rows are normalised.

    >>> from mdtheory.distributions import parity
    >>> factorized(parity(3), partition=[[0, 1], [2]], mixture=False).tv()   # last token from the parity
    0
    >>> factorized(parity(3), partition=[[0], [1, 2]], mixture=False).tv()
    1/2
    """
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    if est.time_dependent:
        raise SamplerError("factorized samplers use time-agnostic conditionals; this estimator is time-dependent")
    info: dict = {"estimator": est.name}
    with t.active():
        Gn, nzero = est.normalized_tables(t)
        info["zero_rows_filled"] = nzero
        if not mixture or partition is not None:
            if partition is None:
                raise SamplerError("mixture=False needs partition=[A_1, ..., A_K] (an ordered partition of the positions)")
            blocks = _check_partition(partition, d)
            P = initial_array(law, "all_mask", t)
            U = 0                        # one ordered partition: the revealed set before each step is known
            for A in blocks:
                P = subset_step(P, m, d, t, Gn, lambda U, A=A: [(A, None)], sources=(U,))
                U |= A
            info["partition"] = [tuple(i for i in range(d) if A >> i & 1) for A in blocks]
            return finish(law, P, t, "factorized(partition)", len(blocks), info)
        if sizes is None:
            raise SamplerError("give sizes=(k_1, ..., k_K) or a SizeLaw (or partition= with mixture=False)")
        SL = _as_size_law(sizes, d)
        info["sizes"] = SL.sizes if SL.sizes is not None else SL.name
        plan = _make_planner(planner, Gn, m, d, t) if planner is not None else None
        total = None
        for w, comp in SL.components(t):
            P = initial_array(law, "all_mask", t)
            for r in range(comp.steps):
                P = _round(P, comp, r, Gn, plan, t, m, d)
            P = P if w is None else P * w
            total = P if total is None else total + P
        return finish(law, total, t, "factorized" if planner is None else f"factorized({planner})", SL.steps, info)


def _round(P, comp, r, Gn, plan, t, m, d):
    def kern(U):
        n = d - bin(U).count("1")
        return comp.kernel(r, n, t)

    if plan is None:
        def choose(U):
            M = [i for i in range(d) if not U >> i & 1]
            out = []
            for k, pk in kern(U).items():
                if t.is_zero(pk) is True:
                    continue
                w = pk / t.scalar(math.comb(len(M), k))
                out.extend((sum(1 << i for i in A), w) for A in itertools.combinations(M, k))
            return out

        return subset_step(P, m, d, t, Gn, choose)

    def planner(U, xu):
        return [(plan(U, xu, k), pk) for k, pk in kern(U).items() if t.is_zero(pk) is not True]

    return subset_step(P, m, d, t, Gn, None, planner=planner)


def _make_planner(planner, Gn, m, d, t):
    key = PLANNERS.get(planner) if isinstance(planner, str) else None
    if isinstance(planner, str) and key is None:
        raise SamplerError(f"unknown planner {planner!r}; choose one of {', '.join(PLANNERS)} or pass a callable")

    def plan(U, xu, k):
        vals = iter(xu)
        x = tuple(next(vals) if U >> i & 1 else m for i in range(d))
        M = [i for i in range(d) if not U >> i & 1]
        conds = {j: Gn[j][tuple(slice(None) if i == j else x[i] for i in range(d))] for j in M}
        if key is not None:
            chosen = sorted(M, key=lambda j: (key(conds[j]), j))[:k]
        else:
            chosen = list(planner(x, k, conds))
            if len(set(chosen)) != k or any(j not in M for j in chosen):
                raise SamplerError(f"the planner returned {chosen} at {x}; it must pick {k} distinct masked positions")
        return sum(1 << j for j in chosen)

    return plan


def _check_partition(partition, d) -> list[int]:
    blocks, seen = [], set()
    for A in partition:
        A = [int(i) for i in A]
        if any(not 0 <= i < d for i in A) or seen & set(A) or len(set(A)) != len(A):
            raise SamplerError(f"partition {partition} is not an ordered partition of 0..{d - 1}")
        seen |= set(A)
        blocks.append(sum(1 << i for i in A))
    if len(seen) != d:
        raise SamplerError(f"partition {partition} misses positions {sorted(set(range(d)) - seen)}")
    return blocks


# ---------------------------------------------------------------------------------------------
# expected KL over orders
# ---------------------------------------------------------------------------------------------
@dataclass
class OrderKL:
    """``E_σ KL(p‖q_σ)`` and ``KL(p‖E_σ q_σ)`` of a random-order factorized sampler (named, separate).

    Attributes
    ----------
    expected_kl
        ``E_{sizes, σ} KL(p ‖ q_σ) = Σ_i ω(i)·c(i) − H(p)``.
    mixture_kl
        ``KL(p ‖ q)`` of the sampler's output law ``q = E q_σ`` (None if not requested).
    cross_entropy
        ``c(i) = E_{|S|=i, j∉S} E_p[−log ĝ_j(X_j|X_S)]`` (``= g(i)``, the conditional-entropy
        profile, for exact conditionals).
    weights
        ``ω(i) = E[Σ_t k_t·1{s_{t−1} = i}]`` (rationals for rational size laws).
    entropy
        ``H(p)``.
    tier : Tier
        The tier of the log quantities (``SYMBOLIC`` for exact LogSums, certified balls, mp, float).

    >>> from mdtheory.distributions import copy
    >>> r = expected_kl_over_orders(copy(2, 2), (2,), logs="symbolic")
    >>> r.expected_kl, r.weights, r.cross_entropy, r.tier       # ω = (2, 0): both tokens in round 1
    (LogSum(log(2)), [2, 0], [LogSum(log(2)), LogSum(0)], <tier symbolic>)
    """

    expected_kl: Any
    mixture_kl: Any
    cross_entropy: list
    weights: list
    entropy: Any
    tier: Tier


def _size_weights(SL: SizeLaw, d: int, t: Tier) -> list:
    """``ω(i) = E Σ_t k_t 1{revealed count before round t = i} = Σ_b P([i, b) is a round)·(b − i)``."""
    omega = [t.zero] * d
    with t.active():
        for (a, b), x in SL.block_marginals(t).items():
            omega[a] = omega[a] + t.scale(x, b - a)
    return omega


def expected_kl_over_orders(law: Law, sizes, estimator: MaskedEstimator | None = None, *, logs: str = "ball",
                            prec: int | None = None, mixture_kl: bool = True) -> OrderKL:
    """``E_σ KL(p‖q_σ)`` exactly, next to ``KL(p‖q)`` of the mixture law (both forward KL, data first).

    By the chain rule ``KL(p‖q_σ) = −H(p) + Σ_t Σ_{j∈A_t} E_p[−log ĝ_j(X_j|X_{S_{t−1}})]``;
    averaging over the uniform order given the sizes leaves ``Σ_i ω(i)·c(i) − H(p)``
    with the cross-entropy profile ``c`` and the size weights ``ω`` (no orders enumerated).
    Exact laws: ``logs='ball'`` (arb ball at ``prec``) or ``'symbolic'`` (exact LogSum).

    >>> from mdtheory.distributions import parity
    >>> r = expected_kl_over_orders(parity(3), (1, 2), logs="symbolic")
    >>> r.expected_kl, r.mixture_kl                     # log 2·1{k_K ≥ 2}, also the mixture KL
    (LogSum(log(2)), LogSum(log(2)))
    """
    m, d = data_dims(law)
    src = law.tier
    est = resolve_estimator(law, estimator)
    dom = log_domain(src, logs, prec)
    SL = _as_size_law(sizes, d)
    omega = _size_weights(SL, d, src)
    table = partial_marginal_table(law)
    Gn, _ = est.normalized_tables(src)
    csum = _cross_entropy_sums(table, Gn, m, d, src, dom)
    H = _entropy(law, logs=logs, prec=prec)
    with dom.active():
        if any(c is math.inf for c in csum):
            ekl = math.inf if any(not (src.is_zero(omega[i]) is True) and csum[i] is math.inf for i in range(d)) else None
        else:
            ekl = None
        cross = []
        for i in range(d):
            denom = math.comb(d, i) * (d - i)
            cross.append(math.inf if csum[i] is math.inf else csum[i] / denom)
        if ekl is None:
            total = dom.zero
            for i in range(d):
                if src.is_zero(omega[i]) is True:
                    continue
                coef = omega[i] / src.scalar(math.comb(d, i) * (d - i))
                total = total + dom.tier.scale(csum[i], coef)
            ekl = total - H
    mk = None
    if mixture_kl:
        q = factorized(law, SL, est)
        mk = _kl(law, q.law, embed=True, logs=logs, prec=prec)
    return OrderKL(ekl, mk, cross, omega, H, dom.tier)


def _cross_entropy_sums(table, Gn, m, d, src: Tier, dom) -> list:
    """``Σ_{|S|=i} Σ_{j∉S} E_p[−log ĝ_j(X_j | X_S)]`` for ``i = 0..d−1`` in the log domain."""
    from ..masked_scores import _revealed_count

    out = []
    if src.is_float:
        sums = np.zeros(d)
        inf = [False] * d
        for j in range(d):
            idx = [slice(None)] * d
            idx[j] = slice(0, m)
            Tj = table[tuple(idx)]
            g = Gn[j]
            cnt = np.broadcast_to(_revealed_count(d, m, j), Tj.shape)
            pos = Tj > 0
            bad = pos & (g <= 0)
            for i in np.unique(cnt[bad]):
                inf[int(i)] = True
            lg = np.zeros_like(Tj)
            np.log(g, out=lg, where=pos & (g > 0))
            sums += np.bincount(cnt[pos & (g > 0)].ravel(), weights=-(Tj * lg)[pos & (g > 0)].ravel(), minlength=d)[:d]
        return [math.inf if inf[i] else float(sums[i]) for i in range(d)]
    # rigorous: group by (size, ĝ value) — one log per distinct value
    groups: list[dict] = [dict() for _ in range(d)]
    inf = [False] * d
    for j in range(d):
        idx = [slice(None)] * d
        idx[j] = slice(0, m)
        Tj = table[tuple(idx)]
        g = Gn[j]
        cnt = np.broadcast_to(_revealed_count(d, m, j), Tj.shape)
        for tv_, gv, c in zip(Tj.reshape(-1).tolist(), g.reshape(-1).tolist(), cnt.reshape(-1).tolist()):
            if src.is_zero(tv_) is True:
                continue
            if src.is_zero(gv) is True:
                inf[c] = True
                continue
            key = gv if src.is_exact else id(gv)
            ent = groups[c].get(key)
            groups[c][key] = (gv, tv_ if ent is None else ent[1] + tv_)
    for i in range(d):
        if inf[i]:
            out.append(math.inf)
            continue
        if dom.symbolic:
            out.append(LogSum.from_fmpq({src.one / gv: w for gv, w in groups[i].values()}) if groups[i] else LogSum.zero())
        else:
            tt = dom.tier
            with tt.active():
                tot = tt.zero
                for gv, w in groups[i].values():
                    tot = tot - tt.scalar(w) * tt.log(tt.scalar(gv))
                out.append(tot)
    return out
