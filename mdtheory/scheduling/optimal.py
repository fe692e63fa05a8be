"""Deterministic optimisation: the optimal ``K``-step schedule by dynamic programming, and schedule families.

>>> from mdtheory.scheduling import profile_closed_form, optimal_schedule
>>> optimal_schedule(profile_closed_form("mds", q=5, n=6, k=2, logs="symbolic"), 2).sizes
(2, 4)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..information import InformationProfile
from ..size_laws import _fq, _NK, _pos_int, boundaries
from ..tiers import Tier
from .profiles import SchedulingError, as_profile, expected_kl

__all__ = [
    "OptimalSchedule",
    "optimal_schedule",
    "optimal_errors",
    "constant_schedule",
    "sqrt_rule_schedule",
    "ratio_schedule",
]


@dataclass
class OptimalSchedule:
    """Result of :func:`optimal_schedule`.

    Attributes
    ----------
    sizes : tuple
        An optimal composition of ``N`` into ``K`` positive parts (ties: smallest boundaries first).
    expected_kl :
        Its expected KL over orders, in the profile's tier (exact, or a rigorous ball).
    optimum :
        The minimum over all compositions: equal to ``expected_kl`` in exact tiers; a rigorous
        enclosure of the minimum in the certified tier; approximate otherwise.
    gap_bound : float
        Upper bound on ``expected_kl − optimum`` (0 for exact tiers; width of the balls for the
        certified tier; not rigorous for mp/float).
    tier : Tier
        The profile's tier.
    boundaries, K, N :
        ``s_0 = 0 < … < s_K = N``, the number of steps and of tokens.

    >>> r = optimal_schedule([2, 1, 0], 2)
    >>> r.sizes, r.boundaries, r.expected_kl, r.kind
    ((1, 2), (0, 1, 3), 1, 'exact')
    """

    sizes: tuple
    expected_kl: Any
    optimum: Any
    gap_bound: float
    tier: Tier
    boundaries: tuple = field(init=False)
    K: int = field(init=False)
    N: int = field(init=False)

    def __post_init__(self):
        self.sizes = tuple(self.sizes)
        self.boundaries = boundaries(self.sizes)
        self.K = len(self.sizes)
        self.N = sum(self.sizes)

    @property
    def kind(self) -> str:
        """``'exact'``, ``'enclosure'`` or ``'approximation'``."""
        return self.tier.kind

    def __repr__(self) -> str:
        return f"OptimalSchedule(sizes={self.sizes}, expected_kl={self.expected_kl!r}, kind={self.kind!r})"


def _dp(p: InformationProfile, K_max: int):
    """DP tables: ``V[t][b]`` = min cost of reaching revealed count ``b`` in ``t`` steps, and argmins.

    One algorithm for every tier: the tier's :meth:`~mdtheory.tiers.Tier.argmin` gives the first
    exact minimiser (exact and symbolic tiers; enclosures discard the certainly larger values
    first), or a rigorous enclosure of the minimum with a midpoint argmin (certified).
    Float profiles take the vectorised :func:`_dp_float`.
    """
    N, T = p.N, p.tier
    if T.is_float:
        return _dp_float(p, K_max)
    g, h = p.g, p.h
    V = [[None] * (N + 1) for _ in range(K_max + 1)]
    A = [[-1] * (N + 1) for _ in range(K_max + 1)]
    with T.active():
        V[0][0] = T.zero
        cost: dict = {}
        for t in range(1, K_max + 1):
            for b in range(t, N + 1):
                cands = [a for a in range(t - 1, b) if V[t - 1][a] is not None]
                if not cands:
                    continue
                vals = []
                for a in cands:
                    c = cost.get((a, b))
                    if c is None:
                        c = cost[(a, b)] = g[a] * (b - a) - (h[b] - h[a])
                    vals.append(V[t - 1][a] + c)
                k, v = T.argmin(vals)
                V[t][b], A[t][b] = v, cands[k]
    return V, A


def _dp_float(p: InformationProfile, K_max: int, method: str | None = None):
    """Float DP: dense ``(a, b)`` minimisation for small ``N``, convex-hull trick for large ``N``.

    ``c(a, b) = b·g(a) + (h(a) − a·g(a)) − h(b)``: for fixed ``t`` the candidates are lines in ``b``
    with slopes ``g(a)`` non-increasing in ``a`` and queries ``b`` increasing, so a monotone
    lower envelope gives ``O(N)`` per step (``O(K·N)`` in all).
    """
    if method is None:
        method = "dense" if p.N <= 400 else "hull"
    if method == "hull":
        return _dp_float_hull(p, K_max)
    N = p.N
    g = p.to_float()["g"]
    h = np.concatenate([[0.0], np.cumsum(g)])
    idx = np.arange(N + 1, dtype=np.float64)
    V = np.full((K_max + 1, N + 1), np.inf)
    A = np.full((K_max + 1, N + 1), -1, dtype=np.int64)
    V[0, 0] = 0.0
    alpha_base = h[:N] - idx[:N] * g  # cost(a,b) = b·g(a) + (h(a) − a·g(a)) − h(b)
    for t in range(1, K_max + 1):
        alpha = V[t - 1, :N] + alpha_base
        for lo in range(0, N + 1, 512):
            bs = np.arange(lo, min(N + 1, lo + 512))
            M = alpha[:, None] + g[:, None] * bs[None, :].astype(np.float64)
            M[np.arange(N)[:, None] >= bs[None, :]] = np.inf
            k = np.argmin(M, axis=0)
            V[t, bs] = M[k, np.arange(bs.size)] - h[bs]
            A[t, bs] = np.where(np.isfinite(V[t, bs]), k, -1)
    return V, A


def _dp_float_hull(p: InformationProfile, K_max: int):
    N = p.N
    g = p.to_float()["g"].tolist()
    h = [0.0]
    for v in g:
        h.append(h[-1] + v)
    V = np.full((K_max + 1, N + 1), np.inf)
    A = np.full((K_max + 1, N + 1), -1, dtype=np.int64)
    V[0, 0] = 0.0
    inf = math.inf
    for t in range(1, K_max + 1):
        prev = V[t - 1].tolist()
        ms, cs, ids = [], [], []
        head = 0
        row_v, row_a = [inf] * (N + 1), [-1] * (N + 1)
        for b in range(1, N + 1):
            a = b - 1
            if prev[a] < inf:
                m, c = g[a], prev[a] + h[a] - a * g[a]
                add = True
                if len(ms) > head and ms[-1] == m:
                    if c >= cs[-1]:
                        add = False
                    else:
                        ms.pop(), cs.pop(), ids.pop()
                if add:
                    while len(ms) - head >= 2 and (c - cs[-2]) * (ms[-2] - ms[-1]) <= (cs[-1] - cs[-2]) * (ms[-2] - m):
                        ms.pop(), cs.pop(), ids.pop()
                    ms.append(m), cs.append(c), ids.append(a)
            if len(ms) <= head:
                head = len(ms)
                continue
            while len(ms) - head >= 2 and ms[head + 1] * b + cs[head + 1] <= ms[head] * b + cs[head]:
                head += 1
            row_v[b] = ms[head] * b + cs[head] - h[b]
            row_a[b] = ids[head]
        V[t] = row_v
        A[t] = row_a
    return V, A


def _trace(A, K: int, N: int) -> tuple[int, ...]:
    b, cuts = N, [N]
    for t in range(K, 0, -1):
        b = int(A[t][b])
        cuts.append(b)
    cuts = cuts[::-1]
    return tuple(cuts[i + 1] - cuts[i] for i in range(K))


def optimal_schedule(profile: Any, K: int) -> OptimalSchedule:
    """The ``K``-step schedule minimising the expected KL over orders, by dynamic programming.

    ``V_t(b) = min_{a<b} V_{t−1}(a) + c(a, b)``, ``V_0(0) = 0``, with the block cost
    ``c(a, b) = (b−a)·g(a) − (h(b) − h(a))``; ``O(K·N²)`` (exact tiers: exact comparisons,
    ties broken towards smaller earlier boundaries; float: vectorised).

    >>> from mdtheory.scheduling import profile_closed_form
    >>> r = optimal_schedule(profile_closed_form("parity", n=6, logs="symbolic"), 3)
    >>> r.sizes, r.expected_kl                  # parity only charges a last step of size >= 2
    ((1, 4, 1), LogSum(0))
    >>> optimal_schedule([1, 0], 3)
    Traceback (most recent call last):
    ...
    mdtheory.scheduling.SchedulingError: K=3 steps of size >= 1 cannot reveal N=2 tokens; take 1 <= K <= N
    """
    p = as_profile(profile)
    K = _pos_int(K, "K", error=SchedulingError)
    if K > p.N:
        raise SchedulingError(f"K={K} steps of size >= 1 cannot reveal N={p.N} tokens; take 1 <= K <= N")
    V, A = _dp(p, K)
    sizes = _trace(A, K, p.N)
    T = p.tier
    val = expected_kl(p, sizes)
    opt = T.scalar(V[K][p.N])
    with T.active():
        gap = abs(T.upper_float(val - opt))
    return OptimalSchedule(sizes, val, val if T.is_exact else opt, gap, T)


def optimal_errors(profile: Any, K_max: int | None = None) -> list:
    """``[min expected KL over K-step schedules for K = 1..K_max]`` from one DP (non-increasing in K,
    0 at ``K = N``).  Entries are exact / rigorous enclosures / approximate as the profile's tier.

    >>> from mdtheory.scheduling import profile_closed_form
    >>> optimal_errors(profile_closed_form("copy", m=2, n=3, logs="symbolic"))
    [LogSum(2*log(2)), LogSum(0), LogSum(0)]
    """
    p = as_profile(profile)
    K_max = p.N if K_max is None else min(_pos_int(K_max, "K_max", error=SchedulingError), p.N)
    V, _ = _dp(p, K_max)
    return [p.tier.scalar(V[t][p.N]) for t in range(1, K_max + 1)]


# ---------------------------------------------------------------------------------------------
# schedule families
# ---------------------------------------------------------------------------------------------
def constant_schedule(N: int, K: int, *, larger: str = "first") -> tuple[int, ...]:
    """``K`` sizes as equal as possible (``N mod K`` of them one larger, placed ``'first'`` or ``'last'``).

    >>> constant_schedule(7, 3), constant_schedule(7, 3, larger="last")
    ((3, 2, 2), (2, 2, 3))
    """
    N, K = _NK(N, K, SchedulingError)
    q, r = divmod(N, K)
    sizes = [q + 1] * r + [q] * (K - r)
    if larger == "last":
        return tuple(sizes[::-1])
    if larger != "first":
        raise SchedulingError(f"larger={larger!r}; choose 'first' or 'last'")
    return tuple(sizes)


def sqrt_rule_schedule(profile: Any, K: int) -> tuple[int, ...]:
    """The square-root rule: step sizes ``∝ 1/√F′``, i.e. boundary density ``∝ √δ``.

    Discrete version: spread mass ``√δ_i`` uniformly on ``[i, i+1]`` (``i = 0..N-2``; ``W`` its
    cumulative).  Boundaries are placed one at a time: with ``a`` revealed and ``r`` steps
    left, the next boundary is the ceiling of the point where ``W`` reaches
    ``W(a) + (W(N−1) − W(a))/r``, at least ``a+1`` and at most ``N−(r−1)``.  Without clamping
    these are the ``t/K`` quantiles; after a clamp the remaining mass is re-split over the
    remaining steps.  A lone drop ``δ_{k−1}`` gets the boundary ``k``, which kills it.  A
    flat remainder is split evenly.  Heuristic from the continuum limit (notes LZ P7); the DP
    (:func:`optimal_schedule`) is the exact optimum.

    >>> from mdtheory.scheduling import profile_closed_form
    >>> sqrt_rule_schedule(profile_closed_form("mds", q=7, n=8, k=3, logs="float"), 3)   # boundary at k = 3, rest flat
    (3, 3, 2)
    """
    p = as_profile(profile)
    N, K = _NK(p.N, K, SchedulingError)
    g = p.to_float()["g"]
    rt = np.sqrt(np.clip(g[:-1] - g[1:], 0.0, None))
    W = np.concatenate([[0.0], np.cumsum(rt)])
    total = W[-1]
    a, sizes = 0, []
    for r in range(K, 1, -1):
        rest = total - W[min(a, N - 1)]
        if not rest > 1e-15 * max(total, 1e-300):
            sizes.extend(constant_schedule(N - a, r))
            return tuple(sizes)
        tau = W[min(a, N - 1)] + rest / r
        i = int(np.searchsorted(W, tau, side="left"))  # W[i-1] < tau <= W[i]
        i = min(max(i, 1), N - 1)
        x = (i - 1) + (tau - W[i - 1]) / rt[i - 1] if rt[i - 1] > 0 else float(i)
        b = min(max(math.ceil(x - 1e-12), a + 1), N - (r - 1))
        sizes.append(b - a)
        a = b
    sizes.append(N - a)
    return tuple(sizes)



def ratio_schedule(N: int, eps: Any, *, side: str = "tc") -> tuple[int, ...]:
    """Greedy schedules with a guaranteed worst-case constant (notes ZC B4), with ``a`` revealed:

    * ``side='tc'``:  next size ``1 + ⌊ε(N−1−a)⌋`` (capped at ``N−a``), so ``C_TC ≤ ε``;
    * ``side='dtc'``: next size ``1 + ⌊ε(a+1)⌋`` (capped), so ``C_DTC ≤ ε``.

    >>> ratio_schedule(10, "1/2"), ratio_schedule(10, 1, side="dtc")
    ((5, 3, 1, 1), (2, 4, 4))
    """
    N = _pos_int(N, "N", error=SchedulingError)
    e = _fq(eps, "eps", SchedulingError)
    if e < 0:
        raise SchedulingError(f"eps={eps!r} must be >= 0")
    if side not in ("tc", "dtc"):
        raise SchedulingError(f"side={side!r}; choose 'tc' or 'dtc'")
    a, out = 0, []
    while a < N:
        x = e * (N - 1 - a) if side == "tc" else e * (a + 1)
        s = min(N - a, 1 + int(x.p // x.q))
        out.append(s)
        a += s
    return tuple(out)
