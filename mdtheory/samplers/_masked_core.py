"""Shared machinery of the masked samplers: one factorised step, results, initial laws.

**One step of a factorised masked sampler** (cost ``Σ_x (m+1)^{#masked(x)} = (2m+1)^d``
tier operations, never a ``(m+1)^d × (m+1)^d`` matrix).  States are grouped by their
unmasked set ``U`` (``2^d`` blocks).  Each masked ``j`` moves independently to
``y_j ∈ {0..m}`` (``m`` = stays masked) with weights ``W_j(x_U, y_j)``; per block the
product over ``j ∈ M`` is built as a matrix ``R[x_U, y_M]`` by outer products whose inner
axis is the long one, and added once into ``out`` through an axis permutation that puts
``U`` first (:func:`per_token_step`; float steps of ``≥ 3^9`` entries use two threads).
The same code runs on float64 and on object arrays of ``fmpq``/``arb``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..divergences import kl as _kl, tv as _tv
from ..information import partial_marginal_table
from ..laws import Law, cached_per_law
from ..masked_scores import MaskedEstimator, MaskedScoreError, context_block, exact_estimator
from ..spaces import MaskedSpace, ProductSpace
from ..tiers import MdtheoryError, Tier, get_tier

__all__ = ["SamplerError", "StepSizeError", "SamplerResult"]


class SamplerError(MdtheoryError):
    """Invalid sampler input (grid, schedule, initial law, estimator)."""


class StepSizeError(SamplerError):
    """An Euler step with ``h·Σ_a ŝ > 1`` (a negative stay-masked probability)."""


@dataclass
class SamplerResult:
    """Exact output law of a masked sampler, with the mass it did not turn into data.

    Attributes
    ----------
    law : Law
        Output law on the masked space ``{0..m}^d`` (all mass kept).
    leftover_mask_mass
        Mass on states that still hold a mask (early stopping), a tier scalar.
    off_support_mass
        Mass on states whose revealed part has data probability 0 (their conditionals
        used the off-support convention, or the sampler left the support).
    tier : Tier
    sampler : str
    n_steps : int
        Number of steps (grid steps, or unmasking rounds).
    data_law : Law or None
        The data law (on ``Z_m^d``) the sampler targets.
    info : dict
        Sampler-specific details (times, clipped steps, estimator name, ...).
    """

    law: Law
    leftover_mask_mass: Any
    off_support_mass: Any
    tier: Tier
    sampler: str
    n_steps: int
    data_law: Law | None = None
    info: dict = field(default_factory=dict)

    def tv(self, other: Law | None = None):
        """``TV(data, output)`` on the masked space (leftover masks count as error)."""
        ref = self._ref(other)
        return _tv(ref, self.law, embed=True)

    def kl(self, other: Law | None = None, **kw):
        """Forward ``KL(data ‖ output)`` (``math.inf`` if the output misses data mass)."""
        ref = self._ref(other)
        return _kl(ref, self.law, embed=True, **kw)

    def _ref(self, other):
        ref = other if other is not None else self.data_law
        if ref is None:
            raise SamplerError("this result has no data law attached; pass the law to compare with")
        return ref

    def __repr__(self) -> str:
        t = self.tier
        return (f"SamplerResult({self.sampler}, {self.law.space!r}, tier={t.describe()}, n_steps={self.n_steps}, "
                f"leftover_mask_mass={t.format(self.leftover_mask_mass)}, off_support_mass={t.format(self.off_support_mass)})")


# ---------------------------------------------------------------------------------------------
# setup helpers
# ---------------------------------------------------------------------------------------------
def data_dims(law: Law) -> tuple[int, int]:
    if not isinstance(law, Law):
        raise SamplerError(f"samplers take the data law (a mdtheory Law) first, got {type(law).__name__}")
    if isinstance(law.space, (ProductSpace, MaskedSpace)):
        if isinstance(law.space, MaskedSpace) and law.tier.is_zero(law.masked_mass()) is not True:
            raise SamplerError("the data law puts mass on masked states; pass a law on Z_m^d")
        return law.space.m, law.space.d
    raise SamplerError(f"masked samplers need a data law on Z_m^d, not {law.space!r}")


def resolve_tier(law: Law, tier, prec=None) -> Tier:
    return get_tier(tier, prec) if tier is not None else law.tier


def resolve_estimator(law: Law, estimator) -> MaskedEstimator:
    m, d = data_dims(law)
    est = exact_estimator(law) if estimator is None else estimator
    if not isinstance(est, MaskedEstimator):
        raise SamplerError(
            f"estimator must be a MaskedEstimator (see mdtheory.masked_scores), got {type(est).__name__}"
        )
    if (est.m, est.d) != (m, d):
        raise SamplerError(f"the estimator is for m={est.m}, d={est.d} but the data law has m={m}, d={d}")
    return est


def initial_array(law: Law, init, t: Tier, alpha_T=None) -> np.ndarray:
    """``'all_mask'`` (default), ``'forward'`` (the exact forward marginal at α_T) or a Law on the masked space."""
    m, d = data_dims(law)
    S = MaskedSpace(m, d)
    S.check_fits(t, copies=4)
    if init is None or (isinstance(init, str) and init == "all_mask"):
        P = t.zeros(S.shape)
        P[S.all_masked()] = t.one
        return P
    if isinstance(init, str) and init == "forward":
        if alpha_T is None:
            raise SamplerError("init='forward' needs a forward time (this sampler has none)")
        from ..generators import masking
        from ..propagate import forward

        return forward(law, masking(m, d), alpha=alpha_T, tier=t).probs.copy()
    if isinstance(init, Law):
        if init.space != S:
            raise SamplerError(f"the initial law lives on {init.space!r}, expected {S!r}")
        return init.to_tier(t).probs.copy()
    raise SamplerError(f"init={init!r}; use 'all_mask', 'forward' or a Law on {S!r}")


def finish(law: Law, P: np.ndarray, t: Tier, name: str, n_steps: int, info: dict) -> SamplerResult:
    m, d = data_dims(law)
    S = MaskedSpace(m, d)
    with t.active():
        out = Law(S, P, t, validate=False)
        left = out.masked_mass()
        table = _partial_marginals(law)
        if t != law.tier:
            table = t.convert(table, law.tier)
        off = _off_support_mass(P, table, t)
    data = law if isinstance(law.space, ProductSpace) else None
    if data is None:
        data = Law(ProductSpace(m, d), law.unmasked_part(), law.tier, validate=False)
    return SamplerResult(out, left, off, t, name, n_steps, data, info)


@cached_per_law()
def _partial_marginals(law: Law):
    """:func:`partial_marginal_table` of ``law``, kept for the few most recent law objects (a sampler run
    per ordered partition of one law needs it each time)."""
    return partial_marginal_table(law)


def _off_support_mass(P, table, t: Tier):
    if t.is_float:
        return float(P[table == 0].sum())
    flat_p, flat_t = P.reshape(-1), table.reshape(-1)
    tot = t.zero
    if t.is_exact:          # exact rationals: an elementwise == 0 (t.is_zero re-reads its zero per entry)
        pl = flat_p.tolist()
        for i, tv_ in enumerate(flat_t.tolist()):
            if not tv_ and pl[i]:
                tot = tot + pl[i]
        return tot
    for pv, tv_ in zip(flat_p.tolist(), flat_t.tolist()):
        if t.is_zero(tv_) is True:
            tot = tot + pv
    return tot


def is_zero_block(B: np.ndarray, t: Tier) -> bool:
    if t.is_float:
        return not B.any()
    if t.is_exact:                      # exact rationals are falsy exactly at 0
        return not any(B.reshape(-1).tolist())
    return all(v == 0 for v in B.reshape(-1).tolist())


def subsets_by_size(d: int):
    """Bitmasks of ``{0..d-1}`` grouped by popcount."""
    out = [[] for _ in range(d + 1)]
    for U in range(1 << d):
        out[bin(U).count("1")].append(U)
    return out


def _full_shape_weight(W: np.ndarray, U: int, j: int, d: int, m: int) -> np.ndarray:
    """``W`` (axes: ``U`` sorted, then ``y_j``) reshaped to a ``d``-axis broadcastable array."""
    pos = sum(1 for i in range(j) if U >> i & 1)
    W = np.moveaxis(W, -1, pos)
    shape = [m if U >> i & 1 else (W.shape[pos] if i == j else 1) for i in range(d)]
    return W.reshape(shape)


def _block_full(B: np.ndarray, U: int, d: int, m: int) -> np.ndarray:
    return B.reshape([m if U >> i & 1 else 1 for i in range(d)])


# ---------------------------------------------------------------------------------------------
# the per-token-independent step
# ---------------------------------------------------------------------------------------------
def per_token_step(P: np.ndarray, m: int, d: int, t: Tier, W: list) -> np.ndarray:
    """One factorised step: ``out = Σ_U Σ_{x_U} P(x) ⊗_{j∈M} W_j(x_U, ·)``.

    ``W[j]`` is an array of shape ``(m+1,)^d`` whose entry at ``x`` with ``x_j = y`` is the
    probability that a masked ``j`` in context ``x_{−j}`` (mask symbol on the other
    masked axes) becomes ``y`` (``y = m``: stays masked); ``W[j] = None`` means "stays
    masked surely".

    Per revealed set ``U`` (``2^d`` blocks) the moves are built as a matrix
    ``R[x_U, y_M]`` (``m^{|U|}`` rows; the masked positions' outcomes flattened, grown one
    position at a time by an outer product whose inner axis is the long one), and added
    once into the block of ``out`` seen through an axis permutation (``U`` axes first).
    """
    live = tuple(j for j in range(d) if W[j] is not None)
    if t.dtype is not object and TAIL_GEMM and _tail_axes(m, d) >= 1:
        return _tail_gemm_step(P, m, d, W, _tail_axes(m, d))
    plan = _plan(m, d, live)
    if t.dtype is not object and P.size >= _THREADED_MIN_SIZE and STEP_THREADS > 1:
        # float: numpy releases the GIL in its loops; two halves of the blocks (balanced by
        # size) go to two threads, each into its own output, summed at the end
        from concurrent.futures import ThreadPoolExecutor

        by_size = sorted(plan, key=lambda e: e[4])
        parts = [by_size[i::STEP_THREADS] for i in range(STEP_THREADS)]
        with ThreadPoolExecutor(STEP_THREADS) as ex:
            outs = list(ex.map(lambda part: _blocks_into(t.zeros(P.shape), P, part, W, m, t), parts))
        out = outs[0]
        for o in outs[1:]:
            out += o
        return out
    return _blocks_into(t.zeros(P.shape), P, plan, W, m, t)


#: threads for one float step (1 disables); steps on fewer than this many entries stay serial
STEP_THREADS = 2
_THREADED_MIN_SIZE = 3**9


def _blocks_into(out: np.ndarray, P: np.ndarray, plan, W: list, m: int, t: Tier) -> np.ndarray:
    float_tier = t.dtype is not object
    for sl, perm, out_idx, wsl, u in plan:
        B = P[sl]
        if (not B.any()) if float_tier else is_zero_block(B, t):
            continue
        nU = m**u
        R = B.reshape(nU, 1)
        for j, idx, pos in wsl:  # reversed coordinate order: the first masked position ends outermost
            w = np.moveaxis(W[j][idx], pos, -1).reshape(nU, m + 1)
            R = (w[:, :, None] * R[:, None, :]).reshape(nU, -1)
        dst = out.transpose(perm)[out_idx]
        dst += R.reshape(dst.shape)
    return out


# ---------------------------------------------------------------------------------------------
# float tier: the trailing coordinates as one dense matrix per context (BLAS)
# ---------------------------------------------------------------------------------------------
#: float steps use :func:`_tail_gemm_step` (False: the block code above, the tested reference)
TAIL_GEMM = True
#: tail coordinates per alphabet size ``m`` (``(m+1)^t`` tail states, a dense ``(m+1)^t × (m+1)^t``
#: matrix per context); no tail below ``d = 6``
_TAIL_AXES = {2: 3, 3: 2, 4: 2, 5: 2}
_TAIL_MIN_D = 6


def _tail_axes(m: int, d: int) -> int:
    if d < _TAIL_MIN_D:
        return 0
    return min(_TAIL_AXES.get(m, 1), d - 2)


def _tail_gemm_step(P: np.ndarray, m: int, d: int, W: list, t_axes: int) -> np.ndarray:
    """:func:`per_token_step` in float64 with the last ``t_axes`` coordinates handled by BLAS.

    Blocks are the revealed sets ``U_H`` of the *head* (first ``h = d − t_axes`` coordinates);
    per block and head context ``a = x_{U_H}``:

    * ``R[a, y_{M_H}, x_T] = P(a, mask, x_T)·Π_{j∈M_H} W_j(a, x_T; y_j)`` (outer products
      whose inner axis is the whole tail ``x_T``, contiguous);
    * the tail moves as a dense matrix ``Tl[a, x_T, y_T] = Π_{i∈T} F_i(a, x_T; y_i)`` with
      ``F_i = δ(y_i, x_i)`` on revealed ``x_i`` and ``W_i(a, x_T; y_i)`` on masked ones;
    * ``out[a, y_{M_H}, ·] += R[a] @ Tl[a]`` — one batched matrix product; its zeros (the
      revealed tail coordinates' deltas) cost flops but no Python and no strided loops.

    Same terms as the block code, summed in another order (float rounding only).  The
    many small matrix products run with one BLAS thread (OpenBLAS threads on them are
    several times slower); without ``threadpoolctl`` the block code is used instead.
    """
    h = d - t_axes
    X = (m + 1) ** t_axes
    live = [W[j] is not None for j in range(d)]
    with _blas_limit(1):
        return _tail_blocks(np.zeros(P.shape), P, range(1 << h), W, live, m, d, h, X)


def _tail_matrices(W, live, m, d, h, hsl, rows):
    """``Tl[a, x_T, y_T]`` for the ``rows`` head states selected by ``hsl`` (a transposed view).

    Built as ``Tt[a, y_T, x_T] = Π_i G_i[a, y_i, x_T]`` with the long axis ``x_T`` inner
    (outer products with contiguous inner loops); BLAS takes the transpose as it is.
    """
    n1 = m + 1
    X = n1 ** (d - h)
    Tt = None
    for i in range(d - 1, h - 1, -1):  # last tail coordinate first: each new one is the outer value axis
        pre, post = n1 ** (i - h), n1 ** (d - 1 - i)
        G = np.zeros((rows, n1, pre, n1, post))
        for a in range(m if live[i] else n1):
            G[:, a, :, a, :] = 1.0
        if live[i]:
            G[:, :, :, m, :] = W[i][hsl].reshape(rows, pre, n1, post).transpose(0, 2, 1, 3)
        G = G.reshape(rows, n1, X)
        Tt = G if Tt is None else (G[:, :, None, :] * Tt[:, None, :, :]).reshape(rows, -1, X)
    return Tt.transpose(0, 2, 1)


def _blas_limit(n: int):
    from .._modeprod import blas_threads

    return blas_threads(n)


def _tail_blocks(out, P, blocks, W, live, m, d, h, X):
    n1 = m + 1
    for U in blocks:
        Ua = [i for i in range(h) if U >> i & 1]
        Ma = [i for i in range(h) if not U >> i & 1]
        Ml = [j for j in Ma if live[j]]
        Ms = [j for j in Ma if not live[j]]
        hsl = tuple(slice(0, m) if U >> i & 1 else m for i in range(h))
        B = P[hsl]
        if not B.any():
            continue
        u = len(Ua)
        nU = m**u
        R = B.reshape(nU, 1, X)
        for j in Ml:  # ascending: R's value axes end in the order of Ml
            idx = tuple(slice(0, m) if U >> i & 1 else (slice(None) if i == j else m) for i in range(h))
            pos = sum(1 for i in Ua if i < j)
            w = np.moveaxis(W[j][idx], pos, u).reshape(nU, n1, X)
            R = (R[:, :, None, :] * w[:, None, :, :]).reshape(nU, -1, X)
        Y = np.matmul(R, _tail_matrices(W, live, m, d, h, hsl, nU))
        perm = tuple(Ua + Ml + Ms) + tuple(range(h, d))
        out_idx = tuple([slice(0, m)] * u + [slice(None)] * len(Ml) + [m] * len(Ms)) + (Ellipsis,)
        dst = out.transpose(perm)[out_idx]
        dst += Y.reshape(dst.shape)
    return out


_PLANS: dict = {}


def _plan(m: int, d: int, live: tuple) -> list:
    """Index tuples of :func:`per_token_step` per block ``U`` (cached: they do not depend on the step)."""
    key = (m, d, live)
    if key not in _PLANS:
        plan = []
        live_set = set(live)
        for U in range(1 << d):
            Ua = [i for i in range(d) if U >> i & 1]
            Ma = [i for i in range(d) if not U >> i & 1]
            Ml = [j for j in Ma if j in live_set]
            Ms = [j for j in Ma if j not in live_set]
            sl = tuple(slice(0, m) if U >> i & 1 else m for i in range(d)) + (Ellipsis,)
            perm = tuple(Ua + Ml + Ms)
            out_idx = tuple([slice(0, m)] * len(Ua) + [slice(None)] * len(Ml) + [m] * len(Ms)) + (Ellipsis,)
            wsl = []
            for j in reversed(Ml):
                idx = tuple(slice(0, m) if U >> i & 1 else (slice(None) if i == j else m) for i in range(d))
                wsl.append((j, idx, sum(1 for i in Ua if i < j)))
            plan.append((sl, perm, out_idx, tuple(wsl), len(Ua)))
        if len(_PLANS) > 32:
            _PLANS.clear()
        _PLANS[key] = plan
    return _PLANS[key]


def context_mass(P: np.ndarray, j: int, m: int) -> np.ndarray:
    """``P`` at states with ``x_j`` masked, axis ``j`` kept with size 1 (matches a context array)."""
    idx = [slice(None)] * P.ndim
    idx[j] = slice(m, m + 1)
    return P[tuple(idx)]


def subset_step(P: np.ndarray, m: int, d: int, t: Tier, Gn: list, choose: Callable, planner=None,
                sources=None) -> np.ndarray:
    """One step of a factorised *subset* sampler: reveal a set ``A ⊆ M`` and draw ``x_A ~ ⊗ ĝ_j(·|x_U)``.

    ``choose(U)`` returns ``[(A_bitmask, weight), ...]`` (weights: tier scalars or None for 1);
    or, with ``planner``, ``planner(U, x_U) -> [(A, weight), ...]`` picks per context ``x_U``.
    ``Gn`` are normalised conditional tables.  ``sources``: the revealed sets ``U`` that may carry mass
    (default: all ``2^d``; a caller that knows the rest are empty, as a fixed ordered partition does, skips them).
    """
    out = t.zeros(P.shape)
    for U in (range(1 << d) if sources is None else sources):
        sl = tuple(slice(0, m) if U >> i & 1 else m for i in range(d))
        B = P[sl + (Ellipsis,)]
        if is_zero_block(B, t):
            continue
        M = [i for i in range(d) if not U >> i & 1]
        cache = {}

        def factor(j):
            if j not in cache:
                cache[j] = _full_shape_weight(context_block(Gn[j], j, U, m, d), U, j, d, m)
            return cache[j]

        if planner is None:
            groups = [(A, w, B) for A, w in choose(U)]
        else:
            picks: dict = {}
            for xu in itertools.product(range(m), repeat=B.ndim):
                bv = B[xu]
                if bv == 0:
                    continue
                for A, w in planner(U, xu):
                    if A not in picks:
                        picks[A] = t.zeros(B.shape)
                    picks[A][xu] = picks[A][xu] + (bv if w is None else bv * w)
            groups = [(A, None, Bm) for A, Bm in picks.items()]
        for A, w, Bsrc in groups:
            if A & U:
                raise SamplerError("a planner chose an already revealed position")
            R = _block_full(Bsrc, U, d, m)
            if w is not None:
                R = R * w
            for j in M:
                if A >> j & 1:
                    R = R * factor(j)
            V = U | A
            out_sl = tuple(slice(0, m) if V >> i & 1 else m for i in range(d))
            out[out_sl + (Ellipsis,)] += R.reshape((m,) * bin(V).count("1"))
    return out
