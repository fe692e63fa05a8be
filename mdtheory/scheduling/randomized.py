"""Randomized schedules: the law on ``K``-step schedules with the smallest worst-case constant (an LP).

>>> from mdtheory.scheduling import best_randomized_schedule
>>> r = best_randomized_schedule(3, 2, "tc")   # (1, 2) w.p. 1/3: max((1−p)/2, p) = 1/3 beats 1/2
>>> r.upper, r.deterministic
(1/3, 1/2)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Mapping

import numpy as np
from flint import fmpq

from ..information import InformationProfile
from ..size_laws import _NK, _fq, SizeLaw, compositions
from .optimal import optimal_schedule
from .profiles import SchedulingError
from .worst_case import _denominators, _max_ratio, best_deterministic_constant

__all__ = ["RandomizedSchedule", "best_randomized_schedule"]


@dataclass(repr=False)
class RandomizedSchedule:
    """Result of :func:`best_randomized_schedule` (scipy.stats-like).

    Attributes
    ----------
    kind : str
        The constant minimised: ``'tc'`` or ``'dtc'``.
    N, K : int
        Tokens and steps.
    method : str
        ``'flow'`` or ``'compositions'`` (the LP formulation).
    law : SizeLaw or None
        A randomized schedule (law on ``K``-part compositions, exact rational weights) read off
        the LP solution (None if the LP failed).
    constant : float or None
        The LP optimum reported by HiGHS (approximate).
    upper, lower : fmpq or None
        Proven bounds on the optimal randomized constant: ``upper`` is the exact constant of
        ``law``; ``lower = min_π Σ_i μ_i w_i(π)`` for the (rationalised, normalised ``Σ μ_i D_i = 1``)
        dual weights ``μ ≥ 0`` — a lower bound for every randomized schedule.
    proved_optimal : bool
        ``lower == upper``: the optimum is exactly this rational.
    deterministic, deterministic_sizes : fmpq, tuple
        The best deterministic constant (exact) and a minimiser, for comparison.
    status, message : int, str
        From ``scipy.optimize.linprog``.

    >>> r = best_randomized_schedule(4, 2, "tc")
    >>> r.kind, r.law.N, r.proved_optimal, r.deterministic_sizes
    ('tc', 4, True, (3, 1))
    """

    kind: str
    N: int
    K: int
    method: str
    law: SizeLaw | None
    constant: float | None
    upper: fmpq | None
    lower: fmpq | None
    proved_optimal: bool
    deterministic: fmpq
    deterministic_sizes: tuple
    status: int
    message: str

    def __repr__(self) -> str:
        return (
            f"RandomizedSchedule(kind={self.kind!r}, N={self.N}, K={self.K}, upper={_short(self.upper)}, lower={_short(self.lower)}, "
            f"proved_optimal={self.proved_optimal}, deterministic={self.deterministic}, status={self.status})"
        )


def _lp_compositions(N, K, den):
    import scipy.optimize as so

    comps = list(compositions(N, K))
    if len(comps) > 200_000:
        raise SchedulingError(f"{len(comps)} compositions are too many for method='compositions'; use method='flow'")
    W = np.array([[float(x) for x in SizeLaw.deterministic(c).w] for c in comps]).reshape(len(comps), N - 1)
    n = len(comps)
    c = np.zeros(n + 1)
    c[-1] = 1.0
    A_ub = np.hstack([W.T, -np.array(den, dtype=np.float64)[:, None]])
    A_eq = np.zeros((1, n + 1))
    A_eq[0, :n] = 1.0
    res = so.linprog(c, A_ub=A_ub, b_ub=np.zeros(N - 1), A_eq=A_eq, b_eq=[1.0], bounds=[(0, None)] * (n + 1), method="highs")
    lam = {} if res.x is None else {comps[j]: res.x[j] for j in range(n) if res.x[j] > 1e-12}
    mu = None if res.x is None else -res.ineqlin.marginals
    return res, lam, mu


def _lp_flow(N, K, den):
    import scipy.optimize as so
    import scipy.sparse as sp

    edges = []  # (t, a, b), t = 1..K
    for t in range(1, K + 1):
        a_rng = [0] if t == 1 else range(t - 1, N - K + t)
        for a in a_rng:
            b_rng = [N] if t == K else range(a + 1, N - K + t + 1)
            for b in b_rng:
                edges.append((t, a, b))
    ne = len(edges)
    nw = N - 1
    nv = ne + nw + 1  # edges, w_0..w_{N-2}, c
    rows, cols, vals, beq = [], [], [], []
    r = 0
    # flow: layer 1 leaves 0 with mass 1
    for j, (t, a, b) in enumerate(edges):
        if t == 1:
            rows.append(r), cols.append(j), vals.append(1.0)
    beq.append(1.0)
    r += 1
    node_row = {}
    for t in range(1, K):
        for v in range(t, N - K + t + 1):
            node_row[(t, v)] = r
            beq.append(0.0)
            r += 1
    for j, (t, a, b) in enumerate(edges):
        if t < K and (t, b) in node_row:
            rows.append(node_row[(t, b)]), cols.append(j), vals.append(1.0)
        if t > 1 and (t - 1, a) in node_row:
            rows.append(node_row[(t - 1, a)]), cols.append(j), vals.append(-1.0)
    # w recursion: w_i − w_{i+1} + Σ_{blocks starting at i+1} x·(b − i − 1) = 1   (w_{N−1} = 0)
    w_row = {}
    for i in range(N - 1):
        w_row[i + 1] = r
        rows.append(r), cols.append(ne + i), vals.append(1.0)
        if i + 1 < N - 1:
            rows.append(r), cols.append(ne + i + 1), vals.append(-1.0)
        beq.append(1.0)
        r += 1
    for j, (t, a, b) in enumerate(edges):
        if a in w_row:
            rows.append(w_row[a]), cols.append(j), vals.append(float(b - a))
    A_eq = sp.csr_matrix((vals, (rows, cols)), shape=(r, nv))
    A_ub = sp.hstack([sp.csr_matrix((nw, ne)), sp.identity(nw, format="csr"),
                      sp.csr_matrix(-np.array(den, dtype=np.float64)[:, None])]).tocsr()
    cvec = np.zeros(nv)
    cvec[-1] = 1.0
    bounds = [(0, None)] * ne + [(None, None)] * nw + [(0, None)]
    res = so.linprog(cvec, A_ub=A_ub, b_ub=np.zeros(nw), A_eq=A_eq, b_eq=np.array(beq), bounds=bounds, method="highs")
    if res.x is None:
        return res, {}, None
    # path decomposition of the layered flow (adjacency by (layer, start))
    adj: dict = {}
    for j, (t, a, b) in enumerate(edges):
        if res.x[j] > 1e-13:
            adj.setdefault((t, a), {})[b] = res.x[j]
    out: dict = {}
    for _ in range(ne + 1):
        a, path = 0, []
        for t in range(1, K + 1):
            nb = adj.get((t, a))
            if not nb:
                path = None
                break
            b = max(nb, key=nb.get)
            path.append((t, a, b))
            a = b
        if not path:
            break
        m = min(adj[(t, a)][b] for t, a, b in path)
        if m <= 1e-12:
            break
        for t, a, b in path:
            adj[(t, a)][b] -= m
            if adj[(t, a)][b] <= 1e-13:
                del adj[(t, a)][b]
        sizes = tuple(b - a for t, a, b in path)
        out[sizes] = out.get(sizes, 0.0) + m
    return res, out, -res.ineqlin.marginals


def _rational_candidates(x: Mapping, normalize: bool = True) -> Iterator[dict]:
    """Exact rational roundings of a non-negative float vector (small denominators first)."""
    keys = list(x)
    vals = [max(float(x[k]), 0.0) for k in keys]
    for limit in (10**2, 10**4, 10**6):
        fr = {k: Fraction(v).limit_denominator(limit) for k, v in zip(keys, vals)}
        yield _norm_fr(fr) if normalize else fr
    D = 10**12
    fr = {k: Fraction(round(v * D), D) for k, v in zip(keys, vals)}
    yield _norm_fr(fr) if normalize else fr


def _norm_fr(fr: dict) -> dict:
    fr = {k: v for k, v in fr.items() if v > 0}
    tot = sum(fr.values())
    return {k: v / tot for k, v in fr.items()}


def _short(x) -> str:
    if x is None:
        return "None"
    return str(x) if x.q < 10**12 else f"≈{float(x):.12g}"


def best_randomized_schedule(N: int, K: int, kind: str = "tc", *, method: str = "flow") -> RandomizedSchedule:
    """The randomized ``K``-step schedule with the smallest worst-case constant, by linear programming.

    ``min c`` over laws ``λ`` on ``K``-part compositions subject to ``w_i(λ) ≤ c·D_i``
    (``D_i = N−1−i`` for ``kind='tc'``, ``i+1`` for ``'dtc'``), solved with
    ``scipy.optimize.linprog(method='highs')``.  ``method='compositions'`` has one variable per
    composition (``C(N−1, K−1)``; small ``N``); ``method='flow'`` uses the layered block-flow
    (``O(K·N²)`` variables, paths = compositions) with
    ``w_i = w_{i+1} + 1 − Σ_b x_{i+1,b}·(b−i−1)`` and decomposes the optimal flow into paths.
    The float solution is then made exact: see :class:`RandomizedSchedule` (``upper``,
    ``lower``, ``proved_optimal``).  By minimax (δ ≥ 0 are the adversary's mixed strategies,
    MDS codes its pure ones) this is ``min_λ max_π E KL/TC`` over all laws.

    >>> r = best_randomized_schedule(4, 2, "dtc")
    >>> r.upper, r.lower, r.proved_optimal, r.deterministic
    (1/2, 1/2, True, 1)
    """
    N, K = _NK(N, K, SchedulingError)
    if N < 2:
        raise SchedulingError("worst-case constants need N >= 2 tokens")
    den = _denominators(N, kind)
    if method == "flow":
        res, lam, mu = _lp_flow(N, K, den)
    elif method == "compositions":
        res, lam, mu = _lp_compositions(N, K, den)
    else:
        raise SchedulingError(f"method={method!r}; choose 'flow' or 'compositions'")
    det, det_sizes = best_deterministic_constant(N, K, kind)
    if res.status != 0 or not lam:
        return RandomizedSchedule(kind=kind, N=N, K=K, method=method, law=None, constant=None, upper=None, lower=None,
                                  proved_optimal=False, deterministic=det, deterministic_sizes=det_sizes,
                                  status=int(res.status), message=str(res.message))
    best_law, upper = None, None
    for fr in _rational_candidates(lam):
        law = SizeLaw.mixture(fr, name=f"LP-optimal randomized schedule ({kind})")
        u, _ = _max_ratio(law.w, den)
        if upper is None or u < upper:
            best_law, upper = law, u
    lower = fmpq(0)
    if mu is not None:
        mu = dict(enumerate(np.clip(np.asarray(mu, dtype=np.float64), 0.0, None)))
        for mq in _rational_candidates(mu, normalize=False):
            mq = [mq.get(i, Fraction(0)) for i in range(N - 1)]
            norm = sum((m * dd for m, dd in zip(mq, den)), Fraction(0))
            if norm <= 0:
                continue
            prof = InformationProfile.from_increments([_fq(m / norm, "mu", SchedulingError) for m in mq], tier="exact",
                                                      check=False)
            lo = optimal_schedule(prof, K).expected_kl
            if lo > lower:
                lower = lo
    if lower > upper:  # pragma: no cover - would contradict weak duality
        raise SchedulingError(f"internal error: LP certificate lower={lower} exceeds upper={upper}")
    return RandomizedSchedule(kind=kind, N=N, K=K, method=method, law=best_law, constant=float(res.fun), upper=upper,
                              lower=lower, proved_optimal=lower == upper, deterministic=det,
                              deterministic_sizes=det_sizes, status=int(res.status), message=str(res.message))
