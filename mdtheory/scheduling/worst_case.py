"""Worst-case constants of schedules: ``E KL ≤ C_TC·TC`` and ``E KL ≤ C_DTC·DTC`` for every law.

Since ``δ_i ≥ 0``, ``TC = Σ δ_i (N−1−i)`` and ``DTC = Σ δ_i (i+1)`` (notes ZC B3), so

    C_TC = max_{0≤i≤N−2} w_i/(N−1−i),   C_DTC = max_i w_i/(i+1),

with equality for the ``[N, k = i*+1]`` MDS code (profile with the single drop ``δ_{k−1} = log q``).

>>> from mdtheory.scheduling import worst_case_constants
>>> worst_case_constants((3, 1)).tc      # w = (2, 1, 0) against N−1−i = (3, 2, 1)
2/3
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from flint import fmpq

from ..size_laws import _NK, as_size_law
from .optimal import _trace
from .profiles import SchedulingError

__all__ = ["WorstCaseConstants", "worst_case_constants", "best_deterministic_constant"]


@dataclass
class WorstCaseConstants:
    """Result of :func:`worst_case_constants` (exact rationals).

    Attributes
    ----------
    tc, dtc : fmpq
        ``C_TC = max_i w_i/(N−1−i)`` and ``C_DTC = max_i w_i/(i+1)`` over ``i = 0..N-2``:
        ``E KL ≤ C_TC·TC`` and ``E KL ≤ C_DTC·DTC`` for every law.
    tc_index, dtc_index : int or None
        A maximising ``i``; the ``[N, k = i+1]`` MDS code attains the constant.
    w : list of fmpq
        The schedule's weights.

    >>> c = worst_case_constants((1, 3))
    >>> c.tc, c.tc_mds_k, c.dtc, c.dtc_mds_k
    (1, 2, 1, 2)
    """

    tc: fmpq
    dtc: fmpq
    tc_index: int | None
    dtc_index: int | None
    w: list

    @property
    def tc_mds_k(self) -> int | None:
        """``k`` of the MDS code attaining ``C_TC`` (``tc_index + 1``)."""
        return None if self.tc_index is None else self.tc_index + 1

    @property
    def dtc_mds_k(self) -> int | None:
        """``k`` of the MDS code attaining ``C_DTC`` (``dtc_index + 1``)."""
        return None if self.dtc_index is None else self.dtc_index + 1

    def __repr__(self) -> str:
        return f"WorstCaseConstants(tc={self.tc}, dtc={self.dtc}, tc_mds_k={self.tc_mds_k}, dtc_mds_k={self.dtc_mds_k})"


def _denominators(N: int, kind: str) -> list[int]:
    if kind == "tc":
        return [N - 1 - i for i in range(N - 1)]
    if kind == "dtc":
        return [i + 1 for i in range(N - 1)]
    raise SchedulingError(f"kind={kind!r}; choose 'tc' or 'dtc'")


def _max_ratio(w: Sequence[fmpq], den: Sequence[int]) -> tuple[fmpq, int | None]:
    best, arg = fmpq(0), None
    for i, (x, dd) in enumerate(zip(w, den)):
        r = x / dd
        if arg is None or r > best:
            best, arg = r, i
    return best, arg


def worst_case_constants(schedule: Any) -> WorstCaseConstants:
    """Exact worst-case constants ``C_TC`` and ``C_DTC`` of a schedule or size law (notes ZC B3).

    >>> worst_case_constants((2, 2))     # w = (1, 0, 1); D_TC = (3, 2, 1), D_DTC = (1, 2, 3)
    WorstCaseConstants(tc=1, dtc=1, tc_mds_k=3, dtc_mds_k=1)
    """
    law = as_size_law(schedule)
    w = law.w
    tc, ti = _max_ratio(w, _denominators(law.N, "tc"))
    dtc, di = _max_ratio(w, _denominators(law.N, "dtc"))
    return WorstCaseConstants(tc, dtc, ti, di, w)


def best_deterministic_constant(N: int, K: int, kind: str = "tc") -> tuple[fmpq, tuple[int, ...]]:
    """``min`` over ``K``-part compositions of ``C_TC`` (``kind='tc'``) or ``C_DTC``, exact, with a minimiser.

    Inside a step ``[a, b)`` the ratio ``(b−1−i)/D_i`` is largest at ``i = a``, so the
    bottleneck DP ``V_t(b) = min_a max(V_{t−1}(a), (b−1−a)/D_a)`` is exact; ``O(K·N²)``.

    >>> best_deterministic_constant(6, 2, "tc")   # a last step of size k >= 2 has ratio (k-1)/(k-1) = 1
    (4/5, (5, 1))
    """
    N, K = _NK(N, K, SchedulingError)
    den = _denominators(N, kind) + [1]
    V = [[None] * (N + 1) for _ in range(K + 1)]
    A = [[-1] * (N + 1) for _ in range(K + 1)]
    V[0][0] = fmpq(0)
    for t in range(1, K + 1):
        for b in range(t, N - (K - t) + 1):
            best, arg = None, -1
            for a in range(t - 1, b):
                if V[t - 1][a] is None:
                    continue
                r = fmpq(b - 1 - a, den[a]) if b - 1 > a else fmpq(0)
                v = V[t - 1][a] if V[t - 1][a] >= r else r
                if best is None or v < best:
                    best, arg = v, a
            V[t][b], A[t][b] = best, arg
    return V[K][N], _trace(A, K, N)
