"""Mode products: apply a small matrix along one axis of a tensor, in any tier.

``mode_product(T, K, k)[..., j, ...] = Σ_i T[..., i, ...]·K[i, j]`` (axis ``k``).

The tensor is viewed as ``(A, n, B)``; each output slice is a sum of the input
slices weighted by one column of ``K``, skipping exact zeros and multiplications
by an exact one.  The same code runs on float64 arrays and on object arrays of
``fmpq``/``arb``/``mpf`` (numpy loops over Python objects), so kernels with
structure (the masking kernel has ``2m+1`` non-zeros out of ``(m+1)²``) cost
only what they must.
"""

from __future__ import annotations

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
    """``res[:, j, :] = Σ_i K[i, j]·T[:, i, :]`` in place, without temporaries."""
    n, n_out = K.shape
    for j in range(n_out):
        dst = res[:, j, :]
        first = True
        for i in range(n):
            k = K[i, j]
            if k == 0.0:
                continue
            if first:
                np.multiply(T[:, i, :], k, out=dst)
                first = False
            elif k == 1.0:
                np.add(dst, T[:, i, :], out=dst)
            else:
                dst += k * T[:, i, :]
        if first:
            dst[...] = 0.0


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

    Square float kernels reuse two buffers (ping-pong), so the whole propagation
    allocates two arrays the size of the law.
    """
    out = tensor
    buffers: list[np.ndarray] = []
    turn = 0
    for k, K in enumerate(kernels):
        if K is None:
            continue
        buf = None
        if tensor.dtype != object and K.shape[0] == K.shape[1]:
            if len(buffers) < 2:
                buffers.append(np.empty_like(tensor))
            buf = buffers[turn]
            turn = 1 - turn
        out = mode_product(out, K, k, tier, out=buf)
    return out
