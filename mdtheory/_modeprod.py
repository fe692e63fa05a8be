"""Mode products: apply a small matrix along one axis of a tensor, in any tier.

``mode_product(T, K, k)[..., j, ...] = Σ_i T[..., i, ...]·K[i, j]`` (axis ``k``).

Exact, certified and mp tiers (object arrays of ``fmpq``/``arb``/``mpf``): the tensor is
viewed as ``(A, n, B)`` and each output slice is a sum of input slices weighted by one
column of ``K``, skipping exact zeros and multiplications by an exact one, so structured
kernels (masking: ``2m+1`` non-zeros out of ``(m+1)²``) cost only what they must.

Float tier (:func:`float_mode_products`, all axes at once), at memory speed:

* every axis live (the forward marginal): one BLAS product per axis that also rotates the
  axes — the leading axis ``(n, R)`` is read as the transposed matrix and ``Xᵀ·K`` written
  contiguously as ``(R, n)``, so after ``d`` products the axes are back in order; binary
  and ternary axes go in Kronecker pairs (BLAS is slow on 2×2 and 3×3 kernels);
* circulant kernels of size ≥ :data:`FFT_MIN_SIZE` (random walks on ``Z_m^d``, large ``m``)
  by the ``d``-dimensional real FFT;
* with skipped axes: kernels ``D·I + 1·cᵀ`` (masking, uniform, 2-state and symmetric
  3-state walks) in place on one working copy — an axis sum and one pass per column with
  ``c_j ≠ 0`` — and anything else by batched matrix products.

BLAS runs with one thread here (:func:`blas_threads`): on these skinny products its
threads cost more than they bring on a shared 2-core machine.

``benchmarks/bench_forward.py`` measures them against ``expm_multiply`` and a memory-copy
proxy; ``tests/test_modeprod.py`` checks each path against the dense reference.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .tiers import Tier


def _exactly(x, value) -> bool:
    if isinstance(x, float):
        return x == value
    is_exact = getattr(x, "is_exact", None)
    if is_exact is not None and not is_exact():
        return False
    try:
        return bool(x == value)
    except TypeError:  # pragma: no cover - exotic scalars
        return False


def mode_product(tensor: np.ndarray, K: np.ndarray, axis: int, tier: Tier, out: np.ndarray | None = None) -> np.ndarray:
    """Multiply ``tensor`` along ``axis`` by ``K`` (shape ``n×n'``); returns a new tensor."""
    shape = tensor.shape
    n = shape[axis]
    if K.shape[0] != n:
        raise ValueError(f"kernel has {K.shape[0]} rows but axis {axis} has length {n}")
    A = int(np.prod(shape[:axis], dtype=np.int64))
    B = int(np.prod(shape[axis + 1 :], dtype=np.int64))
    T = tensor.reshape(A, n, B)
    n_out = K.shape[1]
    res = np.empty((A, n_out, B), dtype=tensor.dtype) if out is None else out.reshape(A, n_out, B)
    if tensor.dtype != object:
        _float_columns(T, np.asarray(K, dtype=np.float64), res)
    else:
        _object_columns(T, K, res, tier)
    new_shape = shape[:axis] + (n_out,) + shape[axis + 1 :]
    return res.reshape(new_shape)


def _float_columns(T: np.ndarray, K: np.ndarray, res: np.ndarray) -> None:
    """``res[a, :, b] = Kᵀ·T[a, :, b]``: one batched matrix product (contiguous BLAS calls)."""
    A, n, B = T.shape
    if B == 1:
        np.matmul(T.reshape(A, n), K, out=res.reshape(A, K.shape[1]))
    else:
        np.matmul(K.T, T, out=res)


def _object_columns(T: np.ndarray, K: np.ndarray, res: np.ndarray, tier: Tier) -> None:
    """The same for object arrays of exact/ball/mp scalars; skips exact zeros and ones."""
    n, n_out = K.shape
    for j in range(n_out):
        acc = None
        for i in range(n):
            k = K[i, j]
            if _exactly(k, 0):
                continue
            term = T[:, i, :] if _exactly(k, 1) else T[:, i, :] * k
            acc = (term.copy() if term is T[:, i, :] else term) if acc is None else acc + term
        res[:, j, :] = tier.zero if acc is None else acc


def mode_products(tensor: np.ndarray, kernels, tier: Tier) -> np.ndarray:
    """Apply ``kernels[k]`` along axis ``k`` for every ``k`` (``None`` skips an axis).

    Float tensors with square kernels take the memory-speed path
    :func:`float_mode_products` (one working copy, structured kernels in place, circulant
    kernels by the multidimensional FFT).  Other tiers run :func:`mode_product` per axis,
    reusing nothing but exact scalars.
    """
    if tensor.dtype != object and all(K is None or K.shape[0] == K.shape[1] for K in kernels):
        return float_mode_products(tensor, kernels)
    out = tensor
    for k, K in enumerate(kernels):
        if K is None:
            continue
        out = mode_product(out, K, k, tier)
    return out


# ------------------------------------------------------------------------------------------------
# float tier: memory-speed mode products
# ------------------------------------------------------------------------------------------------

#: circulant kernels of at least this size use the multidimensional FFT (below it the
#: rotating BLAS products are faster: measured 4.5–25× the memory proxy for m = 8…81
#: against 25–40× for scipy's ``rfftn``/``irfftn``)
FFT_MIN_SIZE = 128

#: relative tolerance when reading a float kernel's structure (a few ulps: the kernels are
#: computed entrywise, so ``1 − (1 − α)`` and ``α`` may differ in the last bit)
_STRUCTURE_RTOL = 8 * np.finfo(float).eps


@dataclass(frozen=True)
class DiagonalPlusRankOne:
    """``K = D·I + 1·cᵀ`` (every column constant off the diagonal, one diagonal shift ``D``).

    Masking (``D = α``, ``c = (0, …, 0, 1 − α)``), uniform (``D = α``, ``c = (1 − α)/m·1``),
    every 2×2 stochastic kernel and the symmetric random walk on ``Z_3`` have this form;
    ``x·K = D·x + (Σ_i x_i)·c`` costs one axis sum and one pass per column with ``c_j ≠ 0``.
    """

    D: float
    c: np.ndarray

    @classmethod
    def of(cls, K: np.ndarray) -> "DiagonalPlusRankOne | None":
        n = K.shape[0]
        if n < 2 or K.shape[1] != n:
            return None
        scale = float(np.max(np.abs(K))) or 1.0
        tol = _STRUCTURE_RTOL * scale
        off = ~np.eye(n, dtype=bool)
        c = np.empty(n)
        for j in range(n):
            col = K[off[:, j], j]
            if np.ptp(col) > tol:
                return None
            c[j] = col[0]
        D = np.diag(K) - c
        if np.ptp(D) > tol:
            return None
        return cls(float(D[0]), c)


def _circulant_symbol(K: np.ndarray) -> np.ndarray | None:
    """``k`` with ``K[x, y] = k((y − x) mod n)``, if ``K`` is circulant (else None)."""
    n = K.shape[0]
    if K.shape[1] != n:
        return None
    k = K[0]
    idx = (np.arange(n)[None, :] - np.arange(n)[:, None]) % n
    scale = float(np.max(np.abs(K))) or 1.0
    if np.max(np.abs(K - k[idx])) > _STRUCTURE_RTOL * scale:
        return None
    return k


def float_mode_products(tensor: np.ndarray, kernels) -> np.ndarray:
    """``tensor ×_1 K_1 ×_2 … ×_d K_d`` in float64 at memory speed (a new array).

    * every kernel circulant of size ≥ :data:`FFT_MIN_SIZE` (random walks on ``Z_m^d``):
      the ``d``-dimensional real FFT, one pointwise product with ``⊗_k k̂_k``, and the
      inverse FFT;
    * :class:`DiagonalPlusRankOne` kernels (masking, uniform, ``m ≤ 3`` random walks): in
      place on one working copy, ``x_j ← x_j + (c_j/D)·Σ_i x_i`` on the columns with
      ``c_j ≠ 0`` and the diagonal shifts ``D`` collected into one final scale;
    * any other kernel: a batched matrix product (BLAS) into a second buffer.

    On large tensors the trailing axes (short contiguous runs, where numpy's strided loops
    crawl) are applied after one blocked transpose that makes them leading, and the layout
    is restored by a second one (``TAIL_TRANSPOSE``).
    """
    ks = list(kernels)
    if len(ks) != tensor.ndim:
        raise ValueError(f"{len(ks)} kernels for a tensor with {tensor.ndim} axes")
    ks = [None if K is None else np.asarray(K, dtype=np.float64) for K in ks]
    live = [k for k, K in enumerate(ks) if K is not None]
    if not live:
        return np.array(tensor, dtype=np.float64, copy=True)
    if all(ks[k].shape[0] >= FFT_MIN_SIZE for k in live):
        symbols = [_circulant_symbol(ks[k]) for k in live]
        if all(s is not None for s in symbols):
            return _fft_circulant(np.asarray(tensor, dtype=np.float64), dict(zip(live, symbols)))
    if ROTATE and len(live) == len(ks):
        with blas_threads(1):
            return _rotating_products(np.asarray(tensor, dtype=np.float64), _grouped(ks))
    with blas_threads(1):
        return _in_place_products(tensor, ks, live)


def _in_place_products(tensor: np.ndarray, ks: list, live: list) -> np.ndarray:
    work = _Workspace(np.array(tensor, dtype=np.float64, copy=True, order="C"))
    d = tensor.ndim
    h = _tail_start(tensor.shape, ks) if TAIL_TRANSPOSE else d
    for k in live:
        if k < h:
            work.apply(k, ks[k])
    if h < d:
        # the trailing axes have short contiguous runs (slow strided loops): bring them to the
        # front with one blocked transpose, apply them as leading axes, transpose back
        work.transpose(h)
        for k in range(h, d):
            if ks[k] is not None:
                work.apply(k - h, ks[k])
        work.transpose(d - h)
    return work.result()


#: every axis live: :func:`_rotating_products` on groups of consecutive axes whose Kronecker
#: kernel has at least ROTATE_MIN_SIZE rows (binary and ternary axes in pairs: BLAS is slow
#: on 2×2 and 3×3 kernels, near memory speed from 4×4 up; measured on 2 shared cores)
ROTATE = True
ROTATE_MIN_SIZE = 4


def _grouped(ks: list) -> list:
    """Kronecker products of consecutive kernels, each of at least ``ROTATE_MIN_SIZE`` rows."""
    groups: list = []
    cur = None
    for K in ks:
        cur = K if cur is None else np.kron(cur, K)
        if cur.shape[0] >= ROTATE_MIN_SIZE:
            groups.append(cur)
            cur = None
    if cur is not None:
        groups.append(cur if not groups else None)
        if groups[-1] is None:  # a short leftover joins the last group
            groups.pop()
            groups[-1] = np.kron(groups[-1], cur)
    return groups


def _rotating_products(X: np.ndarray, ks: list) -> np.ndarray:
    """Every axis by one BLAS product that also rotates the axes: ``(n, R) → (R, n)``.

    The leading axis (length ``n``, the rest ``R`` entries) is multiplied by reading the
    array as the transposed matrix ``(R × n)`` and writing ``Xᵀ·K`` contiguously: the
    result's axes are ``(1, …, d−1, 0)``, so after ``d`` products they are back in order.
    One streaming pass per axis, no strided numpy loop, two buffers in ping-pong.
    """
    size = X.size
    a = _borrow("spare", size)
    b = np.empty(size)
    first = True
    for K in ks:
        n = K.shape[0]
        R = size // n
        src = X.reshape(n, R) if first else a.reshape(n, R)
        np.matmul(src.T, K, out=b.reshape(R, n))
        first = False
        a, b = b, a
    _give_back("spare", b)
    return a.reshape(X.shape)


_BLAS = None


def blas_threads(n: int):
    """Context manager limiting BLAS to ``n`` threads (``threadpoolctl``; a no-op without it).

    The mode products and the samplers' step run many small or skinny matrix products, on
    which OpenBLAS's threads cost several times the work (measured on 2 cores).
    """
    global _BLAS
    if _BLAS is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - a dependency
            import contextlib

            return contextlib.nullcontext()
        _BLAS = ThreadpoolController()
    return _BLAS.limit(limits=n, user_api="blas")


#: transpose once to apply the trailing axes (those with fewer than _SHORT_RUN entries after them)
TAIL_TRANSPOSE = True
_SHORT_RUN = 32
_MIN_TAIL_AXES = 4
_TAIL_MIN_SIZE = 1 << 15


def _tail_start(shape: tuple, ks: list) -> int:
    """First axis handled after the transpose (``len(shape)``: none)."""
    d = len(shape)
    if int(np.prod(shape, dtype=np.int64)) < _TAIL_MIN_SIZE:
        return d
    run, h = 1, d
    while h > 1 and run < _SHORT_RUN:
        run *= shape[h - 1]
        h -= 1
    # axes h..d-1 have fewer than _SHORT_RUN entries after them: two transposes (≈ 8 copies)
    # pay off from about four such axes with in-place (rank-one) kernels, and from one with a
    # generic kernel (a batched matrix product over many tiny blocks)
    live = [k for k in range(h, d) if ks[k] is not None]
    generic = [k for k in live if DiagonalPlusRankOne.of(ks[k]) is None]
    return h if generic or len(live) >= _MIN_TAIL_AXES else d


#: the pending product of diagonal shifts is applied once it falls below this (no underflow)
_FLUSH_SCALE_BELOW = 1e-100


class _Workspace:
    """One working copy of the law, a spare buffer (allocated on demand) and a pending scale."""

    def __init__(self, X: np.ndarray):
        self.X = X
        self.spare: np.ndarray | None = None
        self.scratch: np.ndarray | None = None
        self.scale = 1.0
        self._forms: dict = {}

    def _spare(self) -> np.ndarray:
        if self.spare is None:
            self.spare = _borrow("spare", self.X.size)
        return self.spare

    def apply(self, k: int, K: np.ndarray) -> None:
        X = self.X
        shape = X.shape
        n = shape[k]
        if K.shape[0] != n:
            raise ValueError(f"kernel has {K.shape[0]} rows but axis {k} has length {n}")
        A = int(np.prod(shape[:k], dtype=np.int64))
        B = int(np.prod(shape[k + 1 :], dtype=np.int64))
        V = X.reshape(A, n, B)
        key = id(K)
        if key not in self._forms:
            self._forms[key] = (K, DiagonalPlusRankOne.of(K))  # keep K alive: ids stay unique
        form = self._forms[key][1]
        if form is not None:
            if self.scratch is None:
                self.scratch = _borrow("scratch", X.size // n if n else 0)
            self.scale *= _rank_one_in_place(V, form, self.scratch[: A * B].reshape(A, B))
            if abs(self.scale) < _FLUSH_SCALE_BELOW:
                X *= self.scale
                self.scale = 1.0
            return
        out = self._spare().reshape(A, n, B)
        if B == 1:
            np.matmul(V.reshape(A, n), K, out=out.reshape(A, n))
        else:
            np.matmul(K.T, V, out=out)
        self.spare = X.reshape(-1)
        self.X = out.reshape(shape)

    def transpose(self, h: int) -> None:
        """Move the first ``h`` axes to the end (one blocked copy into the spare buffer)."""
        X = self.X
        shape = X.shape
        P = int(np.prod(shape[:h], dtype=np.int64))
        out = self._spare().reshape(X.size // P, P)
        np.copyto(out, X.reshape(P, -1).T)
        self.spare = X.reshape(-1)
        self.X = out.reshape(shape[h:] + shape[:h])

    def result(self) -> np.ndarray:
        if self.scale != 1.0:
            self.X *= self.scale
        _give_back("spare", self.spare)
        _give_back("scratch", self.scratch)
        self.spare = self.scratch = None
        return self.X


#: working buffers up to this many float64 entries are kept between calls (freshly mapped
#: memory costs a page fault per 4 KiB, several copies' worth on first touch)
_KEEP_MAX_ENTRIES = 1 << 23
_kept = threading.local()


def _borrow(name: str, size: int) -> np.ndarray:
    buf = getattr(_kept, name, None)
    if buf is not None and buf.size >= size:
        setattr(_kept, name, None)
        return buf[:size]
    return np.empty(size)


def _give_back(name: str, buf: np.ndarray | None) -> None:
    if buf is None:
        return
    base = buf if buf.base is None else buf.base
    if not isinstance(base, np.ndarray) or base.ndim != 1 or base.size > _KEEP_MAX_ENTRIES:
        return
    old = getattr(_kept, name, None)
    if old is None or old.size <= base.size:
        setattr(_kept, name, base)


def _rank_one_in_place(V: np.ndarray, form: DiagonalPlusRankOne, S: np.ndarray) -> float:
    """``V ← V·K/D`` along axis 1 and return ``D`` (the scale left to apply); ``V ← V·K``, return 1, if ``D`` is tiny."""
    n = V.shape[1]
    D, c = form.D, form.c
    live = [j for j in range(n) if c[j] != 0.0]
    if live:
        np.add(V[:, 0, :], V[:, 1, :], out=S)
        for i in range(2, n):
            np.add(S, V[:, i, :], out=S)
    factored = abs(D) >= 1e-3
    if factored:
        cs = c / D
    else:
        cs = c
        V *= D
    if live:
        coeffs = {float(cs[j]) for j in live}
        if len(coeffs) == 1:
            (cj,) = coeffs
            if cj != 1.0:
                S *= cj
            if len(live) == n:
                np.add(V, S[:, None, :], out=V)
            else:
                for j in live:
                    dst = V[:, j, :]
                    np.add(dst, S, out=dst)
        else:
            tmp = np.empty_like(S)
            for j in live:
                np.multiply(S, cs[j], out=tmp)
                dst = V[:, j, :]
                np.add(dst, tmp, out=dst)
    return D if factored else 1.0


def _fft_circulant(tensor: np.ndarray, symbols: dict) -> np.ndarray:
    """Circular convolution along every axis in ``symbols`` by the multidimensional real FFT."""
    import scipy.fft as sfft

    axes = sorted(symbols)
    F = sfft.rfftn(tensor, axes=axes)
    last = axes[-1]
    for k in axes:
        lam = np.fft.rfft(symbols[k]) if k == last else np.fft.fft(symbols[k])
        shp = [1] * tensor.ndim
        shp[k] = lam.shape[0]
        F *= lam.reshape(shp)
    shape = tuple(tensor.shape[k] for k in axes)
    return sfft.irfftn(F, s=shape, axes=axes)
