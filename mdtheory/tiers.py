"""Number tiers: one algorithm, the scalar arithmetic as a parameter.

A *tier* plays the role of sympy's ``Domain`` for DomainMatrix: algorithms in
``mdtheory`` are written once over numpy arrays, and the tier decides what the
entries are and how the few transcendental operations (``exp``, ``log``,
matrix exponential) and the comparisons behave.

========== ============================ =============== ==========================
tier       scalar                       result kind     comparisons
========== ============================ =============== ==========================
exact      python-flint ``fmpq``        ``exact``       decided exactly
certified  python-flint ``arb`` ball    ``enclosure``   decided when balls separate
mp         mpmath ``mpf`` (own context) ``approximate`` heuristic (not a proof)
float      numpy ``float64``            ``approximate`` heuristic (not a proof)
========== ============================ =============== ==========================

Only ``exact`` and ``certified`` results may be called *proved*
(:attr:`Tier.rigorous`).  Nothing falls back silently to floats: asking the
exact tier for ``exp(1/2)`` raises :class:`NotExactError`, whose message names
the certified tier as the way out.

Inputs are read the way a researcher means them: integers, ``Fraction``,
``fmpq`` and strings such as ``"1/3"`` are exact; a Python ``float`` is read by
its shortest decimal representation (``0.1`` means ``1/10``).

Examples
--------
>>> from mdtheory.tiers import get_tier
>>> ex = get_tier("exact")
>>> ex.format(ex.scalar("1/3") + ex.scalar(0.5))
'5/6'
>>> ce = get_tier("certified", prec=64)
>>> x = ce.exp(ce.scalar(1))
>>> ce.compare(x, ce.scalar("2.71")), ce.compare(x, ce.scalar(3))
(1, -1)
>>> ex.exp(ex.scalar("1/2"))
Traceback (most recent call last):
...
mdtheory.tiers.NotExactError: exp(1/2) is irrational, so the exact tier cannot represent it; use tier='certified' for a rigorous enclosure
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterator

import mpmath
import numpy as np
import scipy.linalg
from flint import arb, arb_mat, ctx as flint_ctx, fmpq

from ._rationals import (  # noqa: F401  (re-exported: their public home is this module)
    MdtheoryError,
    format_ball,
    NotExactError,
    TierError,
    _arb_exact_ratio,
    _rational_cos_pi,
    as_fraction,
    ball_contains,
)

__all__ = [
    "format_ball",
    "Tier",
    "ExactTier",
    "CertifiedTier",
    "MpTier",
    "FloatTier",
    "NotExactError",
    "TierError",
    "MdtheoryError",
    "get_tier",
    "as_fraction",
    "ball_contains",
    "TIER_NAMES",
]

TIER_NAMES = ("exact", "certified", "mp", "float")


class Tier:
    """Arithmetic of one number tier (abstract base).

    Subclasses supply ``scalar``, ``exp``, ``log``, ``compare``, ``expm`` and
    ``format``; everything else (arrays, sums, sign tests) is shared.  Algorithms ask the
    tier, never its name: :attr:`is_exact`, :attr:`is_enclosure`, :attr:`is_float` choose
    an algorithm; :meth:`argmin`, :meth:`scale`, :meth:`dot`, :meth:`log_rational`,
    :meth:`cos_pi`, :meth:`le`/:meth:`lt`, :meth:`upper_float`, :meth:`clip_nonneg`,
    :meth:`zero_mask` … supply the arithmetic that differs between tiers; :meth:`active`
    is the precision scope.

    >>> [(t.name, t.rigorous, t.is_exact, t.is_enclosure, t.is_float) for t in map(get_tier, TIER_NAMES)]
    [('exact', True, True, False, False), ('certified', True, False, True, False), ('mp', False, False, False, False), ('float', False, False, False, True)]
    >>> ex, ce, fl = get_tier("exact"), get_tier("certified", prec=64), get_tier("float")
    >>> ex.transcendental_tier(), fl.transcendental_tier(64), ce.with_prec(96)
    (<tier certified(prec=128)>, <tier float>, <tier certified(prec=96)>)
    >>> ex.dot([ex.scalar(1), ex.scalar(2)], [3, "1/2"]), fl.scale(2.0, "1/4"), fl.log_rational("1/2")
    (4, 0.5, -0.6931471805599453)
    >>> ex.cos_pi("2/3"), fl.cos_pi("1/4"), ce.cos_pi("1/4").overlaps(ce.sqrt(ce.scalar("1/2")))
    (-1/2, 0.7071067811865476, True)
    >>> ex.argmin([ex.scalar(x) for x in (3, 1, 1)]), fl.compare_approx(1.0, 1.0 + 1e-12, 1e-9)
    ((1, 1), 0)
    >>> fl.zero_mask(np.array([0.0, 0.5])).tolist(), ex.negative_mask(ex.array([-1, 0])).tolist()
    ([True, False], [True, False])
    >>> ex.abs_array(ex.array(["-1/2", 1])).tolist(), fl.exp_array(np.zeros(2)).tolist(), fl.clip_nonneg(-1e-17)
    ([1/2, 1], [1.0, 1.0], 0.0)
    """

    name: str = "?"
    kind: str = "?"  #: 'exact', 'enclosure' or 'approximation'
    dtype: Any = object
    bytes_per_entry: int = 80  #: memory per array entry, for size guards

    # -- construction ---------------------------------------------------
    def scalar(self, x: Any):  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def rigorous(self) -> bool:
        """True when results of this tier may be reported as *proved*."""
        return self.kind in ("exact", "enclosure")

    @property
    def zero(self):
        return self.scalar(0)

    @property
    def one(self):
        return self.scalar(1)

    def array(self, data: Any) -> np.ndarray:
        """An array of tier scalars with the shape of ``data``."""
        if isinstance(data, np.ndarray) and data.dtype == self.dtype and self.dtype is not object:
            return data.copy()
        arr = np.asarray(data, dtype=object) if not isinstance(data, np.ndarray) else data
        if self.dtype is object:
            out = np.empty(arr.shape, dtype=object)
            flat_in = arr.reshape(-1)
            flat_out = out.reshape(-1)
            for i, v in enumerate(flat_in):
                flat_out[i] = self.scalar(v)
            return out
        return np.vectorize(self.scalar, otypes=[np.float64])(arr) if arr.dtype == object else arr.astype(np.float64)

    def zeros(self, shape) -> np.ndarray:
        return self._filled(shape, self.zero)

    def ones(self, shape) -> np.ndarray:
        return self._filled(shape, self.one)

    def _filled(self, shape, value) -> np.ndarray:
        if self.dtype is object:
            out = np.empty(shape, dtype=object)
            out.fill(value)  # tier scalars are immutable, sharing is safe
            return out
        return np.full(shape, value, dtype=self.dtype)

    def convert(self, arr: np.ndarray, source: "Tier") -> np.ndarray:
        """Convert an array from ``source`` into this tier (explicit, never lossy upward)."""
        if source is self or source == self:
            return arr
        if self.rigorous and not source.rigorous:
            raise TierError(
                f"cannot convert {source.name}-tier values into the {self.name} tier: they carry no error bound; "
                f"recompute in the {self.name} tier"
            )
        if self.is_exact and not source.is_exact:
            raise NotExactError("certified balls cannot become exact rationals; recompute in the exact tier")
        return self.map(self._from_other, arr)

    def _from_other(self, x):
        return self.scalar(x)

    # -- properties for choosing an algorithm (as sympy's ``Domain.is_Exact``) -------------------
    @property
    def is_exact(self) -> bool:
        """True for exact arithmetic (equality and order decided exactly)."""
        return self.kind == "exact"

    @property
    def is_enclosure(self) -> bool:
        """True when values are rigorous balls (order undecided while balls overlap)."""
        return self.kind == "enclosure"

    @property
    def is_float(self) -> bool:
        """True when values are numpy ``float64`` (numpy ufuncs and vectorised algorithms apply)."""
        return self.dtype is not object

    def with_prec(self, prec: int | None) -> "Tier":
        """This tier at ``prec`` bits (certified and mp); itself when ``prec`` is None or the tier has none."""
        return self

    def transcendental_tier(self, prec: int | None = None) -> "Tier":
        """The tier that holds ``exp``/``log`` of this tier's values: exact → certified at ``prec``
        bits (default 128; logs of rationals are enclosed, never rounded); others → themselves."""
        return self.with_prec(prec)

    # -- arithmetic with exact rationals -------------------------------------------------------
    def scale(self, x, r):
        """``x·r`` for a tier value ``x`` and an exact rational ``r``."""
        return x * self.scalar(r)

    def dot(self, values, weights):
        """``Σ values_i·weights_i`` with exact rational ``weights`` (zero weights skipped)."""
        total = self.zero
        with self.active():
            for v, w in zip(values, weights):
                if w != 0:
                    total = total + self.scale(v, w)
        return total

    def log_rational(self, r):
        """``log r`` of a positive exact rational ``r``, as a value of this tier."""
        f = as_fraction(r)
        if f <= 0:
            raise TierError(f"log of the non-positive rational {f}")
        with self.active():
            return self.log(self.scalar(f))

    def cos_pi(self, r):
        """``cos(π·r)`` for an exact rational ``r`` (rational, hence exact, at multiples of 1/3 and 1/2)."""
        f = as_fraction(r)
        exact = _rational_cos_pi(f)
        return self.scalar(exact) if exact is not None else self._cos_pi(f)

    def _cos_pi(self, f: Fraction):  # pragma: no cover - abstract
        raise NotImplementedError

    # -- arrays --------------------------------------------------------------------------------
    def exp_array(self, arr: np.ndarray) -> np.ndarray:
        """``exp`` elementwise."""
        with self.active():
            return self.map(self.exp, arr)

    def log_array(self, arr: np.ndarray) -> np.ndarray:
        """``log`` elementwise."""
        with self.active():
            return self.map(self.log, arr)

    def abs_array(self, arr: np.ndarray) -> np.ndarray:
        """``|x|`` elementwise."""
        with self.active():
            return self.map(abs, arr)

    def zero_mask(self, arr: np.ndarray, undecided: bool | None = False) -> np.ndarray:
        """Boolean array of the entries that are certainly 0; an enclosure containing 0 counts
        as ``undecided`` (False or True), or ``undecided=None`` raises :class:`TierError`."""
        arr = np.asarray(arr)
        out = np.empty(arr.shape, dtype=bool)
        of = out.reshape(-1)
        with self.active():
            for i, v in enumerate(arr.reshape(-1)):
                z = self.is_zero(v)
                if z is None:
                    if undecided is None:
                        raise TierError("an entry is a ball containing 0, so whether it is 0 is undecided; raise the precision")
                    z = undecided
                of[i] = z
        return out

    def negative_mask(self, arr: np.ndarray) -> np.ndarray:
        """Boolean array of the entries that are certainly ``< 0``."""
        arr = np.asarray(arr)
        with self.active():
            flags = [self.compare(v, self.zero) == -1 for v in arr.reshape(-1)]
        return np.array(flags, dtype=bool).reshape(arr.shape)

    # -- elementwise -----------------------------------------------------
    def map(self, fn, arr: np.ndarray) -> np.ndarray:
        """Apply a scalar function elementwise, keeping the tier's dtype."""
        arr = np.asarray(arr)
        if self.dtype is object:
            out = np.empty(arr.shape, dtype=object)
            of = out.reshape(-1)
            for i, v in enumerate(arr.reshape(-1)):
                of[i] = fn(v)
            return out
        return np.vectorize(fn, otypes=[np.float64])(arr)

    def exp(self, x):  # pragma: no cover - abstract
        raise NotImplementedError

    def log(self, x):  # pragma: no cover - abstract
        raise NotImplementedError

    def sqrt(self, x):  # pragma: no cover - abstract
        raise NotImplementedError

    def xlogy(self, x, y):
        """``x·log(y)`` with the convention ``0·log(anything) = 0``."""
        if self.is_zero(x) is True:
            return self.zero
        return x * self.log(y)

    def to_float(self, x) -> float:
        return float(x)

    def to_float_array(self, arr: np.ndarray) -> np.ndarray:
        arr = np.asarray(arr)
        if arr.dtype == np.float64:
            return arr
        return np.vectorize(self.to_float, otypes=[np.float64])(arr) if arr.size else arr.astype(np.float64)

    # -- comparisons -------------------------------------------------------
    def compare(self, a, b) -> int | None:  # pragma: no cover - abstract
        """-1, 0, +1 when the order of ``a`` and ``b`` is decided, ``None`` when not."""
        raise NotImplementedError

    def le(self, a, b) -> bool | None:
        """Is ``a <= b``?  ``None`` when the tier cannot decide."""
        c = self.compare(a, b)
        return None if c is None else c <= 0

    def lt(self, a, b) -> bool | None:
        c = self.compare(a, b)
        if c is None:
            return None
        return c < 0

    def is_zero(self, x) -> bool | None:
        c = self.compare(x, self.zero)
        return None if c is None else c == 0

    def maybe_negative(self, x) -> bool:
        """True unless ``x >= 0`` is certain (floats: ``x < 0``)."""
        return self.compare(x, self.zero) in (-1, None) and not self.is_zero(x)

    def ge(self, a, b) -> bool | None:
        """Is ``a >= b``?  ``None`` when the tier cannot decide."""
        return self.le(b, a)

    def gt(self, a, b) -> bool | None:
        """Is ``a > b``?  ``None`` when the tier cannot decide."""
        return self.lt(b, a)

    def compare_approx(self, a, b, atol: float) -> int | None:
        """:meth:`compare` where the float tier counts ``|a − b| ≤ atol`` as equal (others ignore ``atol``)."""
        return self.compare(a, b)

    def argmin(self, values: "list") -> tuple[int, Any]:
        """``(i, m)``: an index of a minimum of ``values`` and the minimum.  Exact tiers: the first
        exact minimiser; enclosures: ``m`` encloses the minimum rigorously and ``i`` minimises the
        midpoint (ties: first); floats: the first minimiser."""
        if not len(values):
            raise TierError("argmin of an empty sequence")
        best, bv = 0, values[0]
        with self.active():
            for i in range(1, len(values)):
                if self.compare(values[i], bv) == -1:
                    best, bv = i, values[i]
        return best, bv

    def upper_float(self, x) -> float:
        """A float ``≥ x`` for enclosures (the ball's upper end); ``float(x)`` otherwise."""
        return self.to_float(x)

    def lower_float(self, x) -> float:
        """A float ``≤ x`` for enclosures (the ball's lower end); ``float(x)`` otherwise."""
        return self.to_float(x)

    def clip_nonneg(self, x):
        """``x`` known to be ``≥ 0`` with rounding below 0 removed: enclosures are intersected with
        ``[0, ∞)``, mp and float values below 0 become 0, exact values are unchanged."""
        return x

    @property
    def nan(self):
        """A value every comparison leaves undecided (an unbounded ball, NaN); the exact tier has none."""
        raise NotExactError("the exact tier has no undecided value; use tier='certified'")

    def total(self, arr: np.ndarray):
        """Sum of all entries, as a tier scalar."""
        arr = np.asarray(arr)
        if arr.size == 0:
            return self.zero
        if self.dtype is object:
            return sum(arr.reshape(-1).tolist(), self.zero)
        return arr.sum(dtype=np.float64)

    # -- linear algebra ------------------------------------------------------
    def expm(self, matrix: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """Matrix exponential of a small square matrix of tier scalars."""
        raise NotImplementedError

    # -- precision -------------------------------------------------------------
    @contextlib.contextmanager
    def active(self) -> Iterator["Tier"]:
        """Context in which arithmetic on this tier's scalars runs at its precision."""
        yield self

    def extraprec(self, bits: int) -> "Tier":
        """The same tier with ``bits`` more working precision (identity for exact/float)."""
        return self

    # -- printing --------------------------------------------------------------
    def format(self, x) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<tier {self.describe()}>"

    def __eq__(self, other) -> bool:
        return isinstance(other, Tier) and self.describe() == other.describe()

    def __hash__(self) -> int:
        return hash(self.describe())

    @property
    def pi(self):
        """``π`` in this tier (the exact tier has none): ``get_tier("float").pi == math.pi``."""
        raise NotExactError("π is irrational, so the exact tier cannot represent it; use tier='certified'")


class ExactTier(Tier):
    """Exact rational arithmetic with python-flint ``fmpq``.

    >>> T = ExactTier()
    >>> T.scalar("2/6") + T.scalar(0.5), T.compare("1/3", "0.34")
    (5/6, -1)
    """

    name = "exact"
    kind = "exact"
    dtype = object
    bytes_per_entry = 96

    def scalar(self, x):
        if isinstance(x, fmpq):
            return x
        if isinstance(x, arb):
            if x.is_exact():
                return fmpq(*_arb_exact_ratio(x))
            raise NotExactError(f"the ball {format_ball(x)} is not an exact rational; stay in the certified tier")
        f = as_fraction(x)
        return fmpq(f.numerator, f.denominator)

    def exp(self, x):
        if x == 0:
            return fmpq(1)
        raise NotExactError(
            f"exp({self.format(x)}) is irrational, so the exact tier cannot represent it; "
            "use tier='certified' for a rigorous enclosure"
        )

    def log(self, x):
        if x == 1:
            return fmpq(0)
        raise NotExactError(
            f"log({self.format(x)}) is irrational, so the exact tier cannot represent it; "
            "use tier='certified' for a rigorous enclosure"
        )

    def sqrt(self, x):
        x = self.scalar(x)
        if x < 0:
            raise TierError(f"sqrt of the negative number {x}")
        p, q = int(x.p), int(x.q)
        rp, rq = math.isqrt(p), math.isqrt(q)
        if rp * rp == p and rq * rq == q:
            return fmpq(rp, rq)
        raise NotExactError(
            f"sqrt({self.format(x)}) is irrational, so the exact tier cannot represent it; use tier='certified'"
        )

    def compare(self, a, b):
        a, b = self.scalar(a), self.scalar(b)
        return -1 if a < b else (1 if a > b else 0)

    def transcendental_tier(self, prec=None):
        return CertifiedTier(prec=128 if prec is None else int(prec))

    def _cos_pi(self, f):
        raise NotExactError(f"cos(π·{f}) is irrational, so the exact tier cannot represent it; use tier='certified'")

    def expm(self, matrix):
        m = np.asarray(matrix, dtype=object)
        n = m.shape[0]
        # exp(M) is rational only in degenerate cases; we accept nilpotent M
        power = np.eye(n, dtype=object) * fmpq(1)
        total = power.copy()
        for k in range(1, n + 1):
            power = power.dot(m) * fmpq(1, k)
            if all(v == 0 for v in power.reshape(-1)):
                return total
            total = total + power
        raise NotExactError(
            "the matrix exponential of this generator is irrational (it is not nilpotent); "
            "use tier='certified' (arb_mat.exp, rigorous) or parametrise the process by alpha"
        )

    def format(self, x) -> str:
        x = self.scalar(x)
        return str(int(x.p)) if x.q == 1 else f"{int(x.p)}/{int(x.q)}"

    def to_fraction(self, x) -> Fraction:
        return Fraction(int(x.p), int(x.q))


@dataclass(frozen=True, eq=False, repr=False)
class CertifiedTier(Tier):
    """Rigorous ball arithmetic with python-flint ``arb`` at ``prec`` bits.

    Every result is an enclosure of the true value.  Arithmetic on ``arb``
    scalars uses the working precision of the surrounding :meth:`active`
    context, which the library's algorithms enter; ``extraprec(k)`` returns the
    tier at ``prec + k`` bits (the runner raises precision this way).

    >>> T = CertifiedTier(prec=64)
    >>> x = T.log(T.scalar(2))
    >>> T.compare(x, T.scalar("0.69")), T.compare(x, T.scalar("0.7")), T.extraprec(64)
    (1, -1, <tier certified(prec=128)>)
    """

    prec: int = 128
    name = "certified"
    kind = "enclosure"
    dtype = object
    bytes_per_entry = 96

    def __post_init__(self):
        object.__setattr__(self, "prec", _prec_arg(self.prec, "certified", 16))

    def scalar(self, x):
        if isinstance(x, arb):
            return x
        if isinstance(x, fmpq):
            with flint_ctx.workprec(self.prec):
                return arb(x)
        if isinstance(x, mpmath.mpf) or (hasattr(x, "_mpf_") and not isinstance(x, float)):
            raise TierError("an mpmath number carries no error bound; it cannot enter the certified tier")
        f = as_fraction(x)
        with flint_ctx.workprec(self.prec):
            return arb(fmpq(f.numerator, f.denominator))

    @contextlib.contextmanager
    def active(self):
        with flint_ctx.workprec(self.prec):
            yield self

    def extraprec(self, bits: int) -> "CertifiedTier":
        return CertifiedTier(prec=int(self.prec) + int(bits))

    def with_prec(self, prec):
        return self if prec is None or int(prec) == self.prec else CertifiedTier(prec=int(prec))

    def scale(self, x, r):
        if not isinstance(r, (fmpq, int)) or isinstance(r, bool):
            f = as_fraction(r)
            r = fmpq(f.numerator, f.denominator)
        x = self.scalar(x)
        if flint_ctx.prec == self.prec:
            return x * r  # one rounding, not two (r is exact)
        with flint_ctx.workprec(self.prec):
            return x * r

    def log_rational(self, r):
        if not isinstance(r, fmpq):
            f = as_fraction(r)
            r = fmpq(f.numerator, f.denominator)
        if r <= 0:
            raise TierError(f"log of the non-positive rational {r}")
        with flint_ctx.workprec(self.prec):
            return arb(r).log()

    def _cos_pi(self, f):
        with flint_ctx.workprec(self.prec):
            return (arb(f.numerator) / f.denominator).cos_pi()

    def le(self, a, b):
        a, b = self.scalar(a), self.scalar(b)
        return True if a <= b else (False if a > b else None)

    def lt(self, a, b):
        a, b = self.scalar(a), self.scalar(b)
        return True if a < b else (False if a >= b else None)

    def argmin(self, values):
        if not len(values):
            raise TierError("argmin of an empty sequence")
        with self.active():
            lo = values[0]
            for v in values[1:]:
                lo = lo.min(v)
        k = min(range(len(values)), key=lambda j: (float(values[j].mid()), j))
        return k, lo

    def upper_float(self, x) -> float:
        return float(self.scalar(x).upper())

    def lower_float(self, x) -> float:
        return float(self.scalar(x).lower())

    def clip_nonneg(self, x):
        x = self.scalar(x)
        if x >= 0:
            return x
        up = x.upper()
        if up < 0:
            raise TierError("a quantity that is >= 0 has a negative enclosure; the inputs are inconsistent")
        with flint_ctx.workprec(self.prec):
            return arb(0).union(up)

    @property
    def nan(self):
        return arb("nan")

    def exp(self, x):
        with flint_ctx.workprec(self.prec):
            return self.scalar(x).exp()

    def log(self, x):
        x = self.scalar(x)
        if not x > 0:
            if x == 0:
                raise TierError("log(0) is -inf; handle zero mass before taking logs (0·log 0 = 0 via xlogy)")
            if x < 0:
                raise TierError(f"log of the negative number {x}")
            # the ball contains zero or negatives: the log is unbounded below
            with flint_ctx.workprec(self.prec):
                return arb(0).log()  # nan: makes every comparison undecided
        with flint_ctx.workprec(self.prec):
            return x.log()

    def sqrt(self, x):
        with flint_ctx.workprec(self.prec):
            return self.scalar(x).sqrt()

    def compare(self, a, b):
        a, b = self.scalar(a), self.scalar(b)
        if a < b:
            return -1
        if a > b:
            return 1
        if a.is_exact() and b.is_exact() and a == b:
            return 0
        return None

    def is_zero(self, x):
        x = self.scalar(x)
        if x.is_zero():
            return True
        if not x.contains(0):
            return False
        return None

    def expm(self, matrix):
        m = np.asarray(matrix, dtype=object)
        n = m.shape[0]
        with flint_ctx.workprec(self.prec):
            e = arb_mat(n, n, [self.scalar(v) for v in m.reshape(-1)]).exp()
            return np.array(e.entries(), dtype=object).reshape(n, n)

    def to_float(self, x) -> float:
        return float(self.scalar(x).mid())

    def radius(self, x) -> float:
        """Upper bound on the ball's radius, as a float."""
        return float(self.scalar(x).rad())

    def format(self, x) -> str:
        """``[m ± r]`` with 12 significant digits of ``m`` and ``r`` rounded *up* to 3 digits, so that the
        printed ball contains the true one (the rounding of ``m`` is added to ``r``).

        >>> CertifiedTier(64).format(arb(1) / 3)
        '[0.333333333333 ± 3.34e-13]'
        >>> CertifiedTier(64).format(arb(1) / 4)
        '[0.25 ± 0]'
        """
        return format_ball(self.scalar(x))

    def describe(self) -> str:
        return f"certified(prec={self.prec})"

    @property
    def pi(self):
        with flint_ctx.workprec(self.prec):
            return arb.pi()


def _prec_arg(prec, tier: str, least: int) -> int:
    """A precision in bits: a whole number ``>= least`` (booleans, strings, fractions refused).

    >>> _prec_arg(64, "mp", 2)
    64
    >>> _prec_arg(0, "mp", 2)
    Traceback (most recent call last):
    ...
    mdtheory.tiers.TierError: mp precision must be a whole number of bits, at least 2, got 0
    """
    ok = isinstance(prec, (int, np.integer)) and not isinstance(prec, (bool, np.bool_))
    if isinstance(prec, str) and prec.strip().isdigit():
        prec, ok = int(prec), True
    if not ok and isinstance(prec, (float, np.floating)) and math.isfinite(prec) and prec == int(prec):
        prec, ok = int(prec), True
    if not ok or int(prec) < least:
        raise TierError(f"{tier} precision must be a whole number of bits, at least {least}, got {prec!r}")
    return int(prec)


# the approximate tiers live in their own module (they need the Tier base class defined above)
from ._approx_tiers import FloatTier, MpTier  # noqa: E402

_EXACT = ExactTier()
_FLOAT = FloatTier()


def get_tier(tier: "str | Tier" = "exact", prec: int | None = None) -> Tier:
    """Return the tier object for a name (``'exact'``, ``'certified'``, ``'mp'``, ``'float'``).

    ``prec`` (bits) applies to the certified and mp tiers (default 128).

    >>> get_tier("certified", prec=64)
    <tier certified(prec=64)>
    >>> get_tier("double")
    Traceback (most recent call last):
    ...
    mdtheory.tiers.TierError: unknown tier 'double'; choose one of exact, certified, mp, float
    """
    if isinstance(tier, Tier):
        if prec is not None and getattr(tier, "prec", prec) != prec:
            return get_tier(tier.name, prec)
        return tier
    if not isinstance(tier, str) or tier not in TIER_NAMES:
        raise TierError(f"unknown tier {tier!r}; choose one of {', '.join(TIER_NAMES)}")
    if tier == "exact":
        return _EXACT
    if tier == "float":
        return _FLOAT
    p = 128 if prec is None else _prec_arg(prec, tier, 16 if tier == "certified" else 2)
    return CertifiedTier(prec=p) if tier == "certified" else MpTier(prec=p)

