"""The approximate tiers: mpmath at a chosen precision, and numpy float64.

Their results are approximations, never proofs (:attr:`mdtheory.tiers.Tier.rigorous` is false).  Import them
from :mod:`mdtheory.tiers`, their public home.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np
import scipy.linalg
from flint import arb, fmpq

from ._rationals import TierError, as_fraction
from .tiers import Tier, _prec_arg

__all__ = ["MpTier", "FloatTier"]


@dataclass(frozen=True, eq=False, repr=False)
class MpTier(Tier):
    """mpmath arithmetic at ``prec`` bits in a private context (approximate, not certified).

    >>> T = MpTier(prec=100)
    >>> T.format(T.exp(T.scalar(1))), T.rigorous
    ('2.71828182845905 (mp, 100 bits)', False)
    """

    prec: int = 128
    name = "mp"
    kind = "approximation"
    dtype = object
    bytes_per_entry = 112

    def __post_init__(self):
        object.__setattr__(self, "prec", _prec_arg(self.prec, "mp", 2))
        c = mpmath.MPContext()
        c.prec = int(self.prec)
        object.__setattr__(self, "ctx", c)

    def scalar(self, x):
        c = self.ctx
        if isinstance(x, c.mpf):
            return x
        if hasattr(x, "_mpf_") and not isinstance(x, (float, np.floating)):
            return c.mpf(x)  # an mpf of another context (e.g. another mp tier): re-rounded to this precision
        if isinstance(x, arb):
            return c.mpf(x.mid().str(radius=False)) if x.is_finite() else c.nan
        if isinstance(x, (float, np.floating)) and not math.isfinite(x):
            return c.mpf(float(x))
        f = as_fraction(x)
        return c.mpf(f.numerator) / f.denominator

    def extraprec(self, bits: int) -> "MpTier":
        return MpTier(prec=int(self.prec) + int(bits))

    def with_prec(self, prec):
        return self if prec is None or int(prec) == self.prec else MpTier(prec=int(prec))

    def _cos_pi(self, f):
        return self.ctx.cospi(self.scalar(f))

    def clip_nonneg(self, x):
        x = self.scalar(x)
        return self.zero if x < 0 else x

    @property
    def nan(self):
        return self.ctx.nan

    def exp(self, x):
        return self.ctx.exp(self.scalar(x))

    def log(self, x):
        x = self.scalar(x)
        if x <= 0:
            raise TierError(f"log of the non-positive number {x}; handle zero mass first (xlogy)")
        return self.ctx.log(x)

    def sqrt(self, x):
        return self.ctx.sqrt(self.scalar(x))

    def compare(self, a, b):
        a, b = self.scalar(a), self.scalar(b)
        return -1 if a < b else (1 if a > b else 0)

    def expm(self, matrix):
        m = self.ctx.matrix([[self.scalar(v) for v in row] for row in np.asarray(matrix, dtype=object)])
        e = self.ctx.expm(m)
        return np.array(e.tolist(), dtype=object)

    def format(self, x) -> str:
        return f"{self.ctx.nstr(self.scalar(x), 15)} (mp, {self.prec} bits)"

    def describe(self) -> str:
        return f"mp(prec={self.prec})"

    @property
    def pi(self):
        return +self.ctx.pi


class FloatTier(Tier):
    """numpy float64: fast, approximate, never reported as proved.

    >>> T = FloatTier()
    >>> T.scalar("1/4"), T.array(["1/2", 1]).dtype, T.kind
    (0.25, dtype('float64'), 'approximation')
    """

    name = "float"
    kind = "approximation"
    dtype = np.float64
    bytes_per_entry = 8

    def scalar(self, x):
        if isinstance(x, (float, np.float64)):
            return float(x)
        try:
            if isinstance(x, fmpq):
                return float(x)
            if isinstance(x, arb):
                return float(x.mid())
            if isinstance(x, Fraction):
                return float(x)
            if isinstance(x, str):
                return float(as_fraction(x))
            if isinstance(x, (complex, np.complexfloating)) or x is None:
                raise TypeError
            return float(x)
        except OverflowError:
            raise TierError(f"{x!r} is too large for float64; use the exact or certified tier") from None
        except (TypeError, ValueError):
            raise TierError(
                f"cannot read {type(x).__name__} {x!r} as a real number; pass a float, int or a string like '1/3'"
            ) from None

    def array(self, data):
        if isinstance(data, np.ndarray) and data.dtype != object:
            return data.astype(np.float64, copy=True)
        arr = np.asarray(data, dtype=object)
        return np.vectorize(self.scalar, otypes=[np.float64])(arr) if arr.size else arr.astype(np.float64)

    def convert(self, arr, source):
        return source.to_float_array(arr).astype(np.float64, copy=True)

    def exp(self, x):
        return np.exp(x)

    def log(self, x):
        with np.errstate(divide="ignore"):
            return np.log(x)

    def sqrt(self, x):
        return np.sqrt(x)

    def map(self, fn, arr):
        return np.vectorize(fn, otypes=[np.float64])(np.asarray(arr, dtype=np.float64))

    def scale(self, x, r):
        return x * _float_of_rational(r)

    def dot(self, values, weights):
        if not len(values):
            return 0.0
        w = np.array([_float_of_rational(x) for x in weights], dtype=np.float64)
        return float(np.dot(np.asarray(values, dtype=np.float64), w))

    def log_rational(self, r):
        f = as_fraction(r)
        if f <= 0:
            raise TierError(f"log of the non-positive rational {f}")
        return math.log(f.numerator) - math.log(f.denominator)

    def _cos_pi(self, f):
        return float(np.cos(np.pi * float(f)))

    def exp_array(self, arr):
        return np.exp(np.asarray(arr, dtype=np.float64))

    def log_array(self, arr):
        with np.errstate(divide="ignore"):
            return np.log(np.asarray(arr, dtype=np.float64))

    def abs_array(self, arr):
        return np.abs(np.asarray(arr, dtype=np.float64))

    def zero_mask(self, arr, undecided=False):
        return np.asarray(arr) == 0

    def negative_mask(self, arr):
        return np.asarray(arr) < 0

    def compare_approx(self, a, b, atol):
        a, b = float(a), float(b)
        return 0 if abs(a - b) <= atol else (-1 if a < b else 1)

    def argmin(self, values):
        if not len(values):
            raise TierError("argmin of an empty sequence")
        k = int(np.argmin(np.asarray(values, dtype=np.float64)))
        return k, float(values[k])

    def clip_nonneg(self, x):
        return max(0.0, float(x))

    @property
    def nan(self):
        return math.nan

    def compare(self, a, b):
        a, b = float(a), float(b)
        return -1 if a < b else (1 if a > b else 0)

    def expm(self, matrix):
        return scipy.linalg.expm(np.asarray(matrix, dtype=np.float64))

    def format(self, x) -> str:
        return f"{float(x):.12g} (float)"

    @property
    def pi(self):
        return math.pi


def _float_of_rational(r) -> float:
    """``float(r)`` of an exact rational weight (fast for fmpq and ints; strings read exactly first)."""
    if isinstance(r, (fmpq, int, Fraction)) and not isinstance(r, bool):
        return float(r)
    return float(as_fraction(r))


for _cls in (MpTier, FloatTier):
    _cls.__module__ = "mdtheory.tiers"  # their public home
