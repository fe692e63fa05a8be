"""Exact sums of logarithms of rationals, and the number domain of information quantities.

Entropies, KL divergences, total correlations … of laws with rational
probabilities are finite sums ``Σ c_k·log(r_k)`` with rational ``c_k`` and
positive rational ``r_k``.  :class:`LogSum` keeps such a sum *exactly*:

* arithmetic (``+``, ``-``, multiplication and division by rationals) is exact;
* equality is decided exactly — the canonical form rewrites every ``log r`` over
  the logs of primes, which are linearly independent over ``Q`` (unique
  factorisation), so a sum is zero iff all its prime coefficients vanish;
* the sign of a non-zero sum is decided by rigorous enclosures of increasing
  precision (:meth:`LogSum.sign`), which terminates because the value is not 0;
* :meth:`LogSum.enclose` gives an ``arb`` ball, :meth:`LogSum.to_sympy` a sympy
  expression.

>>> from mdtheory.logsum import LogSum
>>> a = LogSum.log(6) - LogSum.log(2)          # log 6 - log 2
>>> a == LogSum.log(3), a.canonical()
(True, LogSum(log(3)))
>>> b = 2 * LogSum.log("1/2") + LogSum.log(4)  # 2 log(1/2) + log 4 = 0
>>> b.is_zero(), b.sign()
(True, 0)
>>> (LogSum.log(3) - LogSum.log(2)).sign(), float(LogSum.log(2))
(1, 0.6931471805599453)
>>> LogSum.log(2).enclose(64).rad() < 1e-18
True
>>> LogSum({"1/3": "1/2"}).to_sympy()
-log(3)/2

This module also holds :class:`LogDomain`, the small object that says in which
number domain the library returns a log quantity: ``arb`` balls (exact laws,
``logs='ball'``, or certified laws), :class:`LogSum` (exact laws,
``logs='symbolic'``), ``mpf`` (mp tier) or ``float`` (float tier).  It sits at
layer 1 (imports only :mod:`mdtheory.tiers`).
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from typing import Any, Iterable, Mapping

from flint import arb, fmpq, fmpz

from .tiers import CertifiedTier, MdtheoryError, NotExactError, Tier, TierError, get_tier

__all__ = ["LogSum", "LogSumError", "SymbolicTier", "SYMBOLIC", "LogDomain", "log_domain", "LOG_MODES"]

LOG_MODES = ("ball", "symbolic")

_MAX_SIGN_PREC = 1 << 16
_ZERO = fmpq(0)


class LogSumError(MdtheoryError):
    """A log sum or log domain that cannot be formed (non-positive argument, wrong mode, mixed types).

    >>> LogSum.log(0)
    Traceback (most recent call last):
    ...
    mdtheory.logsum.LogSumError: log of the non-positive rational 0; LogSum keys must be > 0
    """


def _q(x: Any) -> fmpq:
    """Read an exact rational as fmpq (reuses the exact tier's reader)."""
    return get_tier("exact").scalar(x)


class LogSum:
    """An exact real number ``Σ_r c_r·log(r)`` (``r > 0`` and ``c_r`` rational).

    Parameters
    ----------
    terms : mapping rational -> rational, optional
        ``{r: c_r}``.  Keys and coefficients are read exactly (ints, Fractions,
        fmpq, strings like ``"1/3"``).  Terms with ``c_r = 0`` or ``r = 1`` are dropped.

    >>> LogSum({2: 3, "1/5": -1})          # shown over logs of primes
    LogSum(3*log(2) + log(5))
    """

    __slots__ = ("_terms", "_canon")

    def __init__(self, terms: Mapping[Any, Any] | None = None):
        acc: dict[fmpq, fmpq] = {}
        for r, c in (terms or {}).items():
            r, c = _q(r), _q(c)
            if r <= 0:
                raise LogSumError(f"log of the non-positive rational {r}; LogSum keys must be > 0")
            if c == 0 or r == 1:
                continue
            acc[r] = acc.get(r, fmpq(0)) + c
        self._terms = {(int(r.p), int(r.q)): c for r, c in acc.items() if c != 0}
        self._canon = None

    # internal form: {(p, q): c} for log(p/q) in lowest terms (tuples of ints hash fast; fmpq does not)
    @classmethod
    def _raw(cls, terms: dict) -> "LogSum":
        out = cls.__new__(cls)
        if any(c == _ZERO or r == (1, 1) for r, c in terms.items()):
            terms = {r: c for r, c in terms.items() if c != _ZERO and r != (1, 1)}
        out._terms = terms
        out._canon = None
        return out

    @classmethod
    def from_fmpq(cls, terms: Mapping[fmpq, fmpq]) -> "LogSum":
        """Fast constructor from ``{r: c}`` with positive ``fmpq`` keys and ``fmpq`` coefficients (unchecked)."""
        return cls._raw({(int(r.p), int(r.q)): c for r, c in terms.items()})

    @classmethod
    def sum(cls, items: Iterable["LogSum"]) -> "LogSum":
        """Sum of many LogSums in one pass (``sum()`` would copy the growing dict each time)."""
        acc: dict = {}
        for x in items:
            if not isinstance(x, LogSum):
                if _is_exact_zero(x):
                    continue
                raise LogSumError(f"LogSum.sum got {type(x).__name__}; it adds LogSum objects")
            for r, c in x._terms.items():
                acc[r] = acc[r] + c if r in acc else c
        return cls._raw(acc)

    @classmethod
    def log(cls, r: Any) -> "LogSum":
        """``log(r)`` for a positive rational ``r``."""
        return cls({r: 1})

    @classmethod
    def zero(cls) -> "LogSum":
        return cls._raw({})

    @property
    def terms(self) -> dict:
        """A copy of ``{r: c_r}`` (fmpq keys and values), as stored (not canonical)."""
        return {fmpq(p, q): c for (p, q), c in self._terms.items()}

    # -- arithmetic -------------------------------------------------------------
    def __add__(self, other):
        if isinstance(other, LogSum):
            return LogSum.sum((self, other))
        if _is_exact_zero(other):
            return self
        return NotImplemented

    __radd__ = __add__

    def __neg__(self):
        return LogSum._raw({r: -c for r, c in self._terms.items()})

    def __sub__(self, other):
        if isinstance(other, LogSum):
            return self + (-other)
        if _is_exact_zero(other):
            return self
        return NotImplemented

    def __rsub__(self, other):
        if _is_exact_zero(other):
            return -self
        return NotImplemented

    def __mul__(self, k):
        if isinstance(k, LogSum) or isinstance(k, float):
            return NotImplemented
        try:
            k = _q(k)
        except (TierError, TypeError):
            return NotImplemented
        return LogSum._raw({r: c * k for r, c in self._terms.items()})

    __rmul__ = __mul__

    def __truediv__(self, k):
        if isinstance(k, (LogSum, float)):
            return NotImplemented
        try:
            k = _q(k)
        except (TierError, TypeError):
            return NotImplemented
        if k == 0:
            raise ZeroDivisionError("LogSum divided by zero")
        return LogSum._raw({r: c / k for r, c in self._terms.items()})

    # -- exact structure --------------------------------------------------------
    def canonical(self) -> "LogSum":
        """The same number written over logs of primes (unique; cached).

        Factoring uses python-flint's ``fmpz.factor``; numerators and
        denominators of probabilities stay small enough for this to be quick.
        """
        if self._canon is None:
            acc: dict[int, fmpq] = defaultdict(lambda: fmpq(0))
            for r, c in self._terms.items():
                for n, sgn in ((r[0], 1), (r[1], -1)):
                    if n == 1:
                        continue
                    for p, e in fmpz(n).factor():
                        acc[int(p)] += c * (sgn * int(e))
            self._canon = LogSum._raw({(p, 1): c for p, c in sorted(acc.items())})
            self._canon._canon = self._canon
        return self._canon

    def is_zero(self) -> bool:
        """Exact test for ``== 0`` (logs of primes are independent over Q)."""
        return not self.canonical()._terms

    def __eq__(self, other) -> bool:
        if isinstance(other, LogSum):
            return (self - other).is_zero()
        if _is_exact_zero(other):
            return self.is_zero()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset((r, int(c.p), int(c.q)) for r, c in self.canonical()._terms.items()))

    def sign(self, max_prec: int = _MAX_SIGN_PREC) -> int:
        """-1, 0 or +1, decided exactly (zero test) then by enclosures of growing precision.

        A first enclosure of the terms as written decides most non-zero sums without the
        canonical form (whose integer factoring is slow for large numerators).
        """
        x = self.enclose(128)
        if x > 0:
            return 1
        if x < 0:
            return -1
        if self.is_zero():
            return 0
        prec = 64
        canon = self.canonical()
        while prec <= max_prec:
            x = canon.enclose(prec)
            if x > 0:
                return 1
            if x < 0:
                return -1
            prec *= 2
        raise TierError(f"could not decide the sign of {self!r} below {max_prec} bits")  # pragma: no cover

    def _cmp(self, other) -> int:
        if isinstance(other, LogSum):
            return (self - other).sign()
        if _is_exact_zero(other):
            return self.sign()
        raise LogSumError(f"cannot compare LogSum with {type(other).__name__}; compare with a LogSum or 0")

    def __lt__(self, other):
        return self._cmp(other) < 0

    def __le__(self, other):
        return self._cmp(other) <= 0

    def __gt__(self, other):
        return self._cmp(other) > 0

    def __ge__(self, other):
        return self._cmp(other) >= 0

    # -- conversions ------------------------------------------------------------
    def enclose(self, prec: int = 128) -> arb:
        """A rigorous ``arb`` ball containing the value, computed at ``prec`` bits."""
        prec = int(prec)
        with CertifiedTier(prec=prec).active():
            total = arb(0)
            for r, c in self._terms.items():
                total += arb(c) * _log_ball(r[0], r[1], prec)
            return total

    def __float__(self) -> float:
        """The nearest float (an exact zero is ``0.0``).

        >>> float(LogSum.zero()), float(LogSum.log(2) - LogSum.log(2))
        (0.0, 0.0)
        """
        if not self._terms:
            return 0.0
        return float(self.enclose(80).mid())

    def to_sympy(self):
        """The value as a sympy expression (``Rational`` coefficients, ``log`` of ``Rational``)."""
        import sympy

        return sympy.Add(
            *[
                sympy.Rational(int(c.p), int(c.q)) * sympy.log(sympy.Rational(r[0], r[1]))
                for r, c in self._terms.items()
            ]
        )

    def __repr__(self) -> str:
        """Shown in canonical form (over logs of primes); :attr:`terms` has the stored form."""
        terms = self.canonical()._terms
        if not terms:
            return "LogSum(0)"
        parts = []
        for r, c in sorted(terms.items()):
            mag = -c if c < 0 else c
            cs = "" if mag == 1 else (str(int(mag.p)) if mag.q == 1 else f"{int(mag.p)}/{int(mag.q)}") + "*"
            parts.append(("-" if c < 0 else "+", f"{cs}log({r[0]})"))
        s = ("-" if parts[0][0] == "-" else "") + parts[0][1]
        for sign, t in parts[1:]:
            s += f" {sign} {t}"
        return f"LogSum({s})"


@functools.lru_cache(maxsize=1 << 16)
def _log_ball(p: int, q: int, prec: int) -> arb:
    """``log(p/q)`` enclosed at ``prec`` bits (cached: sums of logs repeat the same few rationals)."""
    with CertifiedTier(prec=prec).active():
        return arb(fmpq(p, q)).log()


def _is_exact_zero(x) -> bool:
    return isinstance(x, (int, fmpq, fmpz)) and not isinstance(x, bool) and x == 0


class SymbolicTier(Tier):
    """The tier of exact log quantities: values are :class:`LogSum` objects.

    It serves exact information quantities (entropies, profiles, expected KLs of exact
    laws) the way the other tiers serve probabilities: sums, rational multiples,
    exact comparisons (:meth:`LogSum.sign`), ``log`` of rationals.  It has no ``1``,
    ``exp`` or ``log`` of its own values (those are not sums of logs of rationals).

    >>> T = SYMBOLIC
    >>> x = T.log_rational(6) - T.log_rational(2)
    >>> T.compare(x, T.log_rational(3)), T.format(T.scale(x, "1/2")), T.kind
    (0, 'LogSum(1/2*log(3))', 'exact')
    >>> T.argmin([T.log_rational(3), T.log_rational(2), T.log_rational(2)])
    (1, LogSum(log(2)))
    """

    name = "symbolic"
    kind = "exact"
    dtype = object
    bytes_per_entry = 200

    def scalar(self, x):
        if isinstance(x, LogSum):
            return x
        if _is_exact_zero(x):
            return LogSum.zero()
        raise TierError(f"a symbolic value is a LogSum (an exact sum of logs of rationals), got {type(x).__name__} {x!r}")

    @property
    def one(self):
        raise NotExactError("the symbolic tier holds sums of logs; it has no 1 (use LogSum.log(e)? not a rational log)")

    def scale(self, x, r):
        return self.scalar(x) * _q(r)

    def dot(self, values, weights):
        return LogSum.sum(v * _q(w) for v, w in zip(values, weights) if w != 0)

    def total(self, arr):
        return LogSum.sum(list(arr.reshape(-1)) if hasattr(arr, "reshape") else list(arr))

    def log_rational(self, r):
        r = _q(r)
        if r <= 0:
            raise TierError(f"log of the non-positive rational {r}")
        return LogSum.from_fmpq({r: fmpq(1)}) if r != 1 else LogSum.zero()

    def exp(self, x):
        raise NotExactError("exp of a log sum is not a log sum; use tier='certified' (LogSum.enclose)")

    def log(self, x):
        raise NotExactError("log of a log sum is not a log sum; use log_rational for logs of rationals")

    def sqrt(self, x):
        raise NotExactError("sqrt of a log sum is not a log sum; use tier='certified' (LogSum.enclose)")

    def _cos_pi(self, f):
        raise NotExactError("the symbolic tier holds sums of logs, not cosines")

    def compare(self, a, b):
        return (self.scalar(a) - self.scalar(b)).sign()

    def is_zero(self, x):
        return self.scalar(x).is_zero()

    def argmin(self, values):
        """First exact minimiser; 256-bit enclosures discard the certainly larger values first."""
        if not len(values):
            raise TierError("argmin of an empty sequence")
        with CertifiedTier(prec=256).active():
            encl = [v.enclose(256) for v in values]
            best_hi = min(e.upper() for e in encl)
            close = [i for i, e in enumerate(encl) if not e.lower() > best_hi]
        best = close[0]
        for i in close[1:]:
            if (values[i] - values[best]).sign() < 0:
                best = i
        return best, values[best]

    def expm(self, matrix):
        raise NotExactError("the symbolic tier has no matrix exponential; use tier='certified'")

    def transcendental_tier(self, prec=None):
        return CertifiedTier(prec=128 if prec is None else int(prec))

    def to_float(self, x) -> float:
        return float(x)

    def enclose(self, x, prec: int = 128) -> arb:
        """A rigorous ball around ``x`` at ``prec`` bits."""
        return self.scalar(x).enclose(prec)

    def format(self, x) -> str:
        return repr(self.scalar(x))


SYMBOLIC = SymbolicTier()


class LogDomain:
    """Where the library's log quantities live, given the law's tier and the ``logs`` mode.

    ========== ================ ====================== =========
    law tier   ``logs``         values                  kind
    ========== ================ ====================== =========
    exact      ``'ball'``       ``arb`` at ``prec``     enclosure
    exact      ``'symbolic'``   :class:`LogSum`         exact
    certified  ``'ball'``       ``arb`` at tier prec    enclosure
    mp         ``'ball'``       ``mpf``                 approximation
    float      ``'ball'``       ``float``               approximation
    ========== ================ ====================== =========

    ``tier`` is the tier whose arithmetic holds the values (the certified tier
    at ``prec`` for exact laws in ball mode, :data:`SYMBOLIC` in symbolic mode),
    ``source`` the law's tier.

    >>> log_domain("exact").describe()
    'certified(prec=128) enclosure of exact-tier values'
    >>> log_domain("exact", logs="symbolic").describe()
    'exact LogSum of exact-tier values'
    >>> log_domain("float", logs="symbolic")
    Traceback (most recent call last):
    ...
    mdtheory.logsum.LogSumError: logs='symbolic' needs a law in the exact tier, not float; use logs='ball'
    """

    def __init__(self, source: Tier, logs: str = "ball", prec: int | None = None):
        if logs not in LOG_MODES:
            raise LogSumError(f"logs={logs!r} is not a log mode; choose one of {', '.join(LOG_MODES)}")
        self.source = source
        self.logs = logs
        if logs == "symbolic" and not source.is_exact:
            raise LogSumError(f"logs='symbolic' needs a law in the exact tier, not {source.name}; use logs='ball'")
        self.tier = SYMBOLIC if logs == "symbolic" else source.transcendental_tier(prec)

    @property
    def symbolic(self) -> bool:
        return self.tier is SYMBOLIC

    @property
    def kind(self) -> str:
        """'exact', 'enclosure' or 'approximation'."""
        return self.tier.kind

    @property
    def rigorous(self) -> bool:
        return self.kind in ("exact", "enclosure")

    @property
    def zero(self):
        return self.tier.zero

    def describe(self) -> str:
        if self.symbolic:
            return "exact LogSum of exact-tier values"
        if self.source.is_exact:
            return f"{self.tier.describe()} enclosure of exact-tier values"
        return self.tier.describe()

    def active(self):
        """Context for arithmetic on values of this domain (precision of arb/mp)."""
        return self.tier.active()

    def neg_xlogx(self, p):
        """``-p·log p`` (``0`` at ``p = 0``) for one probability of the source tier."""
        if self.symbolic:
            return LogSum.from_fmpq({p: -p}) if p != 0 else LogSum.zero()
        t = self.tier
        p = t.scalar(p)
        z = t.is_zero(p)
        if z is True:
            return t.zero
        if z is None:
            # a ball [lo, u] around 0: -x log x increases on [0, 1/e], so the value lies in [0, -u log u]
            with t.active():
                u = p.upper()
                if not u < arb(1) / arb(1).exp():
                    raise TierError("a probability ball contains 0 and is wider than 1/e; raise the precision")
                return arb(0).union(-(u * u.log())) if u > 0 else t.zero
        return -(p * t.log(p))

    def xlog_ratio(self, p, q):
        """``p·log(p/q)``; zero when ``p`` is certainly 0; ``math.inf`` when ``q`` is 0 < p."""
        if self.symbolic:
            if p == 0:
                return LogSum.zero()
            if q == 0:
                return math.inf
            return LogSum.from_fmpq({p / q: p})
        t = self.tier
        src = self.source
        pz, qz = src.is_zero(p), src.is_zero(q)
        if pz is True:
            return t.zero
        if qz is True:
            if pz is False:
                return math.inf
            raise TierError(
                "cannot decide whether p puts mass where q has none (a ball contains 0); raise the precision"
            )
        if qz is None and src.is_enclosure:
            raise TierError("a probability of q is a ball containing 0, so the log ratio is unbounded; raise the precision")
        if pz is None:
            # p is a ball around 0 and q > 0: p·log(p/q) = −(−p log p) − p·log q, each part enclosed
            with t.active():
                p_ = t.scalar(p)
                return -self.neg_xlogx(p) - p_ * t.log(t.scalar(q))
        if src.is_exact:
            return t.scalar(p) * t.log(t.scalar(p / q))
        p, q = t.scalar(p), t.scalar(q)
        return p * t.log(p / q)

    def log_of(self, r):
        """``log r`` of a positive source-tier value."""
        if self.symbolic:
            return self.tier.log_rational(r)
        return self.tier.log(self.tier.scalar(r))

    def to_float(self, x) -> float:
        if x is math.inf:
            return math.inf
        return self.tier.to_float(x)

    def format(self, x) -> str:
        if x is math.inf:
            return "inf"
        return self.tier.format(x)

    def compare(self, a, b) -> int | None:
        """Order of two values of this domain: -1/0/+1, ``None`` when balls overlap undecidedly."""
        return self.tier.compare(a, b)

    def __repr__(self) -> str:
        return f"<log domain {self.describe()}>"


def log_domain(source: "str | Tier", logs: str = "ball", prec: int | None = None) -> LogDomain:
    """The :class:`LogDomain` for laws of tier ``source``.

    >>> log_domain("certified", prec=64).tier, log_domain("exact", "symbolic").tier
    (<tier certified(prec=64)>, <tier symbolic>)
    """
    return LogDomain(get_tier(source), logs, prec)
