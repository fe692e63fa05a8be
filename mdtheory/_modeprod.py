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
    floaty = tensor.dtype != object
    Kf = K.astype(np.float64) if floaty and K.dtype == object else K
    for j in range(n_out):
        acc = None
        for i in range(n):
            k = Kf[i, j]
            if floaty:
                if k == 0.0:
                    continue
            elif _exactly(k, 0):
                continue
            if acc is None:
                if floaty or not _exactly(k, 1):
                    acc = T[:, i, :] * k
                else:
                    acc = T[:, i, :].copy()
            elif floaty:
                acc += T[:, i, :] * k if k != 1.0 else T[:, i, :]
            else:
                acc = acc + (T[:, i, :] if _exactly(k, 1) else T[:, i, :] * k)
        if acc is None:
            res[:, j, :] = tier.zero
        else:
            res[:, j, :] = acc
    new_shape = shape[:axis] + (n_out,) + shape[axis + 1 :]
    return res.reshape(new_shape)


def mode_products(tensor: np.ndarray, kernels, tier: Tier) -> np.ndarray:
    """Apply ``kernels[k]`` along axis ``k`` for every ``k`` (``None`` skips an axis)."""
    out = tensor
    for k, K in enumerate(kernels):
        if K is not None:
            out = mode_product(out, K, k, tier)
    return out
