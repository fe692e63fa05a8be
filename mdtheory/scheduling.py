"""Unmasking schedules of the random-order factorized sampler: exact costs, optimal and worst-case schedules.

Model (notes ``optimal_schedules_2510.25544.md`` §2 and ``intrinsic_dependence_2602.20126.md`` §2).
``N`` tokens are revealed in ``K`` steps of sizes ``k_1, …, k_K`` (a *composition* of ``N``;
boundaries ``s_0 = 0 < s_1 < … < s_K = N``).  A uniform permutation fixes which positions
each step reveals; inside a step the tokens are drawn independently from their exact
conditionals given everything revealed before.  For one ordered partition ``σ`` the chain
rule gives ``KL(π‖q_σ) = Σ_t [Σ_{j∈A_t} H(X_j|X_{S_{t-1}}) − H(X_{A_t}|X_{S_{t-1}})]``;
averaged over the uniform order it depends on ``π`` only through the information profile
(``h``, ``g = Δh``, ``δ_i = g(i) − g(i+1)``):

    **E_σ KL(π‖q_σ)** = Σ_t c(s_{t-1}, s_t),   c(a, b) = (b−a)·g(a) − (h(b) − h(a))
                      = Σ_{i=0}^{N-2} δ_i·w_i,  w_i = E[#{j > i : j in the block of i}].

Here positions are *reveal ranks* ``0..N-1`` (rank ``i`` is the ``(i+1)``-th revealed token) and
``w_i = b − 1 − i`` for the block ``[a, b) ∋ i``; for a random (data-independent) size law
``w_i`` is the expectation.  This is the **expected KL over orders** ("E_fact"), an *upper
bound* for ``KL(π‖q̄)`` of the actual sampler, whose law ``q̄`` is the mixture over orders —
a different quantity, never computed here.

Worst-case constants (notes ZC B3): since ``δ_i ≥ 0``, ``TC = Σ δ_i (N−1−i)`` and
``DTC = Σ δ_i (i+1)``,

    E KL ≤ C_TC·TC,  C_TC = max_{0≤i≤N−2} w_i/(N−1−i);   E KL ≤ C_DTC·DTC,  C_DTC = max_i w_i/(i+1),

with equality for the ``[N, k = i*+1]`` MDS code (profile with the single drop ``δ_{k−1} = log q``).

Number domains.  Weights ``w`` and size laws are exact rationals (``fmpq``).  A :class:`Profile`
lives in one domain: ``'rational'`` (fmpq, e.g. in units of ``log q``), ``'symbolic'``
(:class:`~mdtheory.logsum.LogSum`, exact), ``'ball'`` (``arb`` enclosures) or ``'float'``
(approximate, never *proved*).

>>> from mdtheory.scheduling import profile_closed_form, expected_kl, optimal_schedule, weights
>>> p = profile_closed_form("mds", q=5, n=6, k=2, logs="symbolic")
>>> weights((3, 3))                 # w_i = b − 1 − i inside each block
[2, 1, 0, 2, 1]
>>> expected_kl(p, (3, 3))          # δ_1 = log 5 meets w_1 = 1
LogSum(log(5))
>>> optimal_schedule(p, 2).sizes    # a boundary right after the drop costs nothing
(2, 4)
"""

from __future__ import annotations

import contextlib
import itertools
import math
from fractions import Fraction
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
from flint import arb, ctx as flint_ctx, fmpq, fmpz

from .information import InformationProfile, information_profile
from .laws import Law
from .logsum import LogSum
from .tiers import TierError, as_fraction, get_tier

__all__ = [
    "SchedulingError",
    "Profile",
    "as_profile",
    "profile_closed_form",
    "CLOSED_FORM_FAMILIES",
    "as_composition",
    "compositions",
    "boundaries",
    "SizeLaw",
    "as_size_law",
    "random_offset_law",
    "weights",
    "block_cost",
    "expected_kl",
    "expected_kl_forms",
    "OptimalSchedule",
    "optimal_schedule",
    "optimal_errors",
    "constant_schedule",
    "sqrt_rule_schedule",
    "geometric_schedule",
    "ratio_schedule",
    "WorstCaseConstants",
    "worst_case_constants",
    "best_deterministic_constant",
    "RandomizedSchedule",
    "best_randomized_schedule",
]

DOMAINS = ("rational", "symbolic", "ball", "float")
_MAX_ENUM = 2_000_000


class SchedulingError(ValueError):
    """Invalid schedule, size law or profile."""


# ---------------------------------------------------------------------------------------------
# number domains of profile values
# ---------------------------------------------------------------------------------------------
class _Dom:
    """Arithmetic of one profile domain (values: fmpq, LogSum, arb at ``prec`` or float)."""

    def __init__(self, name: str, prec: int | None = None):
        if name not in DOMAINS:
            raise SchedulingError(f"unknown profile domain {name!r}; choose one of {', '.join(DOMAINS)}")
        self.name = name
        self.prec = int(prec or 128) if name == "ball" else None

    @property
    def kind(self) -> str:
        return {"rational": "exact", "symbolic": "exact", "ball": "enclosure", "float": "approximation"}[self.name]

    @property
    def zero(self):
        return {"rational": fmpq(0), "symbolic": LogSum.zero(), "float": 0.0}.get(self.name) if self.name != "ball" else arb(0)

    def active(self):
        return flint_ctx.workprec(self.prec) if self.name == "ball" else contextlib.nullcontext()

    def coerce(self, x):
        n = self.name
        if n == "rational":
            if isinstance(x, (LogSum, arb, float)):
                raise SchedulingError(f"a rational profile cannot hold {type(x).__name__} {x!r}; use domain 'symbolic', 'ball' or 'float'")
            return get_tier("exact").scalar(x)
        if n == "symbolic":
            if isinstance(x, LogSum):
                return x
            if isinstance(x, (int, fmpq, fmpz, Fraction)) and x == 0:
                return LogSum.zero()
            raise SchedulingError(f"a symbolic profile holds LogSum values, got {type(x).__name__} {x!r}")
        if n == "ball":
            with self.active():
                if isinstance(x, arb):
                    return +x
                if isinstance(x, LogSum):
                    return x.enclose(self.prec)
                if isinstance(x, float):
                    raise SchedulingError("a float carries no error bound; it cannot enter a 'ball' profile")
                return arb(get_tier("exact").scalar(x))
        if isinstance(x, arb):
            return float(x.mid())
        return float(x)

    def scale(self, x, r: fmpq):
        if self.name == "float":
            return x * float(r)
        return x * r

    def cmp(self, a, b) -> int | None:
        if self.name == "symbolic":
            return (a - b).sign()
        if self.name == "ball":
            if a < b:
                return -1
            if a > b:
                return 1
            return 0 if (a.is_exact() and b.is_exact() and a == b) else None
        return -1 if a < b else (1 if a > b else 0)

    def to_float(self, x) -> float:
        if self.name == "ball":
            return float(x.mid())
        return float(x)

    def fmt(self, x) -> str:
        if self.name == "ball":
            return f"[{x.mid().str(12, radius=False)} ± {float(x.rad()):.2e}]"
        if self.name == "float":
            return f"{x:.12g} (float)"
        return repr(x) if self.name == "symbolic" else str(x)

    def describe(self) -> str:
        return f"ball(prec={self.prec})" if self.name == "ball" else self.name


def _fq(x, what: str) -> fmpq:
    try:
        f = as_fraction(x)
    except TierError as e:
        raise SchedulingError(f"{what}: {e}") from None
    return fmpq(f.numerator, f.denominator)


# ---------------------------------------------------------------------------------------------
# profiles
# ---------------------------------------------------------------------------------------------
class Profile:
    """A conditional-entropy profile ``g(0..N-1)`` (non-increasing) in one number domain.

    Derived curves: ``h(i) = Σ_{j<i} g(j)`` (``h(N) = H``), ``f(i) = g(0) − g(i)``,
    ``δ_i = g(i) − g(i+1)`` (``i = 0..N-2``), ``TC = Σ_i δ_i (N−1−i)``, ``DTC = Σ_i δ_i (i+1)``.

    Parameters
    ----------
    g : sequence
        Profile values: rationals (domain ``'rational'``), :class:`LogSum` (``'symbolic'``),
        ``arb`` (``'ball'``) or floats (``'float'``).  The domain is inferred unless given.
    domain, prec : optional
        Force a domain (``'ball'`` uses ``prec`` bits, default 128).
    check : bool
        Verify that ``g`` is non-increasing (exactly, by enclosure, or up to ``1e-9`` for floats).

    >>> p = Profile(["3", "2", "2", 0])
    >>> p.h, p.delta, p.total_correlation, p.dual_total_correlation
    ([0, 3, 5, 7, 7], [1, 0, 2], 5, 7)
    >>> Profile([1, 2])
    Traceback (most recent call last):
    ...
    mdtheory.scheduling.SchedulingError: the profile g must be non-increasing, but g(0) = 1 < g(1) = 2
    """

    def __init__(self, g: Sequence[Any], *, domain: str | None = None, prec: int | None = None, name: str = "", check: bool = True):
        g = list(g)
        if not g:
            raise SchedulingError("a profile needs at least one value g(0) (N >= 1 tokens)")
        if domain is None:
            if all(isinstance(v, LogSum) or (isinstance(v, (int, fmpq)) and v == 0) for v in g) and any(
                isinstance(v, LogSum) for v in g
            ):
                domain = "symbolic"
            elif any(isinstance(v, arb) for v in g):
                domain = "ball"
                if prec is None:
                    prec = flint_ctx.prec
            elif any(isinstance(v, (float, np.floating)) for v in g):
                domain = "float"
            else:
                domain = "rational"
        self._dom = _Dom(domain, prec)
        self.g = [self._dom.coerce(v) for v in g]
        self.name = name
        self._cache: dict = {}
        if check:
            d = self._dom
            for i in range(len(self.g) - 1):
                a, b = self.g[i], self.g[i + 1]
                bad = (a < b - 1e-9) if d.name == "float" else (d.cmp(a, b) == -1)
                if bad:
                    raise SchedulingError(
                        f"the profile g must be non-increasing, but g({i}) = {d.fmt(a)} < g({i + 1}) = {d.fmt(b)}"
                    )

    @classmethod
    def from_increments(cls, delta: Sequence[Any], last: Any = 0, **kw) -> "Profile":
        """The profile with drops ``δ_i = g(i) − g(i+1)`` and ``g(N-1) = last``.

        >>> Profile.from_increments([0, 1, 0]).g
        [1, 1, 0, 0]
        """
        d = list(delta)
        g = [last]
        for x in reversed(d):
            g.append(g[-1] + x)
        return cls(g[::-1], **kw)

    # -- basic data --------------------------------------------------------------------------
    @property
    def N(self) -> int:
        return len(self.g)

    @property
    def domain(self) -> str:
        return self._dom.describe()

    @property
    def kind(self) -> str:
        """``'exact'``, ``'enclosure'`` or ``'approximation'``."""
        return self._dom.kind

    @property
    def rigorous(self) -> bool:
        return self.kind in ("exact", "enclosure")

    def _cached(self, key, fn):
        if key not in self._cache:
            with self._dom.active():
                self._cache[key] = fn()
        return self._cache[key]

    @property
    def h(self) -> list:
        """Entropy curve ``h(0..N)``, ``h(i+1) − h(i) = g(i)``."""

        def build():
            out = [self._dom.zero]
            for v in self.g:
                out.append(out[-1] + v)
            return out

        return self._cached("h", build)

    @property
    def delta(self) -> list:
        """Drops ``δ_i = g(i) − g(i+1) ≥ 0``, ``i = 0..N-2``."""
        return self._cached("delta", lambda: [self.g[i] - self.g[i + 1] for i in range(self.N - 1)])

    @property
    def f(self) -> list:
        """Mutual-information profile ``f(i) = g(0) − g(i)``."""
        return self._cached("f", lambda: [self.g[0] - v for v in self.g])

    @property
    def entropy(self):
        return self.h[-1]

    @property
    def total_correlation(self):
        """``TC = Σ_i δ_i (N−1−i) = Σ_j f(j)``."""
        return self._cached("tc", lambda: _dot(self._dom, self.delta, [fmpq(self.N - 1 - i) for i in range(self.N - 1)]))

    @property
    def dual_total_correlation(self):
        """``DTC = Σ_i δ_i (i+1) = Σ_j (g(j) − g(N−1))``."""
        return self._cached("dtc", lambda: _dot(self._dom, self.delta, [fmpq(i + 1) for i in range(self.N - 1)]))

    @property
    def mutual_information_sum(self):
        """``Σ_j I(X_j; X_{-j}) = N·(g(0) − g(N−1)) = TC + DTC``."""
        return self._cached("mis", lambda: (self.g[0] - self.g[-1]) * self.N)

    def to_float(self) -> np.ndarray:
        """``g`` as float64 (midpoints of balls)."""
        return np.array([self._dom.to_float(v) for v in self.g], dtype=np.float64)

    def to_domain(self, domain: str, prec: int | None = None) -> "Profile":
        """The same profile in another domain (exact → ball → float; never upward)."""
        order = {"rational": 0, "symbolic": 0, "ball": 1, "float": 2}
        if order[domain] < order[self._dom.name] or (order[domain] == 0 and domain != self._dom.name):
            raise SchedulingError(f"cannot convert a {self.domain} profile to {domain!r}; recompute it in that domain")
        d = _Dom(domain, prec)
        return Profile([d.coerce(v) for v in self.g], domain=domain, prec=prec, name=self.name, check=False)

    def format(self, x) -> str:
        """A value of this profile's domain as text (balls as ``[mid ± rad]``, floats say float)."""
        return self._dom.fmt(x)

    def __repr__(self) -> str:
        nm = f", name={self.name!r}" if self.name else ""
        return f"Profile(N={self.N}, domain={self.domain!r}{nm})"


def _dot(dom: _Dom, values: Sequence, ws: Sequence[fmpq]):
    """``Σ values_i·w_i`` in the domain (w rational); zero weights skipped."""
    with dom.active():
        if dom.name == "float":
            if not len(values):
                return 0.0
            return float(np.dot(np.asarray(values, dtype=np.float64), np.array([float(w) for w in ws])))
        if dom.name == "symbolic":
            return LogSum.sum(v * w for v, w in zip(values, ws) if w != 0)
        total = dom.zero
        for v, w in zip(values, ws):
            if w != 0:
                total = total + v * w
        return total


def as_profile(obj: Any, *, logs: str | None = None, prec: int | None = None) -> Profile:
    """Read a :class:`Profile` from a Profile, an :class:`~mdtheory.information.InformationProfile`,
    a :class:`~mdtheory.laws.Law` (its profile is computed: ``logs='symbolic'`` by default for
    exact laws) or a sequence of ``g`` values.

    >>> from mdtheory.distributions import parity
    >>> as_profile(parity(3)).g
    [LogSum(log(2)), LogSum(log(2)), LogSum(0)]
    """
    if isinstance(obj, Profile):
        return obj
    if isinstance(obj, Law):
        if logs is None:
            logs = "symbolic" if obj.tier.name == "exact" else "ball"
        obj = information_profile(obj, logs=logs, prec=prec)
    if isinstance(obj, InformationProfile):
        dom = obj.domain
        if dom.symbolic:
            return Profile(obj.g, domain="symbolic", check=False)
        t = dom.tier
        if t.name == "certified":
            return Profile(obj.g, domain="ball", prec=t.prec, check=False)
        return Profile([float(v) for v in obj.g], domain="float", check=False)
    if isinstance(obj, (str, bytes)) or not isinstance(obj, Iterable):
        raise SchedulingError(f"cannot read a profile from {type(obj).__name__}; pass a Law, an InformationProfile or g values")
    return Profile(list(obj), prec=prec)


# ---------------------------------------------------------------------------------------------
# closed-form profiles of test families (any N)
# ---------------------------------------------------------------------------------------------
CLOSED_FORM_FAMILIES = ("uniform", "product", "copy", "parity", "sum_mod", "mds", "markov", "exchangeable", "noisy_copy")


def _logs_dom(logs: str, prec: int | None) -> _Dom:
    names = {"symbolic": "symbolic", "ball": "ball", "float": "float"}
    if logs not in names:
        raise SchedulingError(f"logs={logs!r} is not a mode; choose 'symbolic' (exact LogSum), 'ball' or 'float'")
    return _Dom(names[logs], prec)


def _log_value(dom: _Dom, r: fmpq):
    """``log r`` of a positive rational in the domain."""
    if dom.name == "symbolic":
        return LogSum.from_fmpq({r: fmpq(1)}) if r != 1 else LogSum.zero()
    if dom.name == "ball":
        with dom.active():
            return arb(r).log()
    return math.log(r.p) - math.log(r.q) if r != 0 else -math.inf


def _neg_xlogx(dom: _Dom, p: fmpq):
    if p == 0 or p == 1:
        return dom.zero
    if dom.name == "symbolic":
        return LogSum.from_fmpq({p: -p})
    with dom.active():
        return -(dom.scale(_log_value(dom, p), p))


def _binary_entropy(dom: _Dom, p: fmpq):
    with dom.active():
        return _neg_xlogx(dom, p) + _neg_xlogx(dom, 1 - p)


def _pos_int(x, name: str, lo: int = 1) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or int(x) < lo:
        raise SchedulingError(f"{name} must be an integer >= {lo}, got {x!r}")
    return int(x)


def _prob(x, name: str) -> fmpq:
    p = _fq(x, name)
    if not 0 <= p <= 1:
        raise SchedulingError(f"{name}={x!r} is not a probability in [0, 1]")
    return p


def profile_closed_form(family: str, *, logs: str = "ball", prec: int | None = None, **params) -> Profile:
    """The information profile of a test family in closed form, for any length ``n``.

    =================================== ==================================================
    family (parameters)                 ``g(i)``, ``i = 0..n-1``
    =================================== ==================================================
    ``uniform`` (m, n)                  ``log m``
    ``product`` (marginals)             ``mean_j H(X_j)`` (``n = len(marginals)``)
    ``copy`` (m, n)                     ``log m`` at ``i = 0``, then 0
    ``parity`` (n) / ``sum_mod`` (m, n) ``log m`` for ``i < n−1``, ``g(n−1) = 0``
    ``mds`` (q, n, k)                   ``log q`` for ``i < k``, then 0 (any MDS code)
    ``markov`` (n, flip)                binary symmetric chain, uniform start (below)
    ``exchangeable`` (n, weights,       ``h(i) = −Σ_c mult(c)·p_c log p_c``,
    thetas)                             ``p_c = Σ_u w_u Π_s θ_u[s]^{c_s}``
    ``noisy_copy`` (n, eta)             ``exchangeable`` with θ = η, 1−η, weights ½, ½
    =================================== ==================================================

    Markov chain with flip ``ε``: ``H(X_j | X_S)`` depends only on the distances ``a, b`` to the
    nearest revealed neighbours, through ``ε_ℓ = (1 − (1−2ε)^ℓ)/2`` and the binary entropy
    ``η(·)``: ``η(ε_a)`` one-sided, ``η(ε_a) + η(ε_b) − η(ε_{a+b})`` two-sided.  Counting the
    subsets, for ``i ≥ 1``

        n·C(n−1, i)·g(i) = 2 Σ_{a≥1} C(n−a, i)·η(ε_a)
                           + Σ_{s≥2} (n−s)·C(n−1−s, i−2)·[2 Σ_{a<s} η(ε_a) − (s−1)·η(ε_s)],

    and ``g(0) = log 2``.  ``thetas`` of ``exchangeable`` are probability vectors (or, for
    binary laws, the scalar ``P(X = 1)``).  Costs: ``O(n²)`` (markov, binary exchangeable).

    ``logs``: ``'symbolic'`` (exact :class:`LogSum`; rational parameters; small ``n``),
    ``'ball'`` (``prec`` bits) or ``'float'`` (log-space, for ``n`` in the thousands).

    >>> profile_closed_form("copy", m=3, n=4, logs="symbolic").g
    [LogSum(log(3)), LogSum(0), LogSum(0), LogSum(0)]
    >>> p = profile_closed_form("markov", n=3, flip="1/4", logs="symbolic")
    >>> p.g[2]         # (η(1/4) + [2η(1/4) − η(3/8)] + η(1/4))/3, ε_2 = 3/8
    LogSum(5/3*log(2) - 7/8*log(3) + 5/24*log(5))
    >>> profile_closed_form("mds", q=5, n=3, k=4)
    Traceback (most recent call last):
    ...
    mdtheory.scheduling.SchedulingError: mds needs 1 <= k <= n, got k=4, n=3
    """
    dom = _logs_dom(logs, prec)
    fam = family
    name = f"{fam}({', '.join(f'{k}={v}' for k, v in params.items())})"

    def need(*keys):
        extra = set(params) - set(keys)
        missing = [k for k in keys if k not in params]
        if missing or extra:
            raise SchedulingError(
                f"profile_closed_form({fam!r}) takes parameters {', '.join(keys)}"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(sorted(extra))}" if extra else "")
            )

    with dom.active():
        if fam == "uniform":
            need("m", "n")
            m, n = _pos_int(params["m"], "m", 2), _pos_int(params["n"], "n")
            g = [_log_value(dom, fmpq(m))] * n
        elif fam == "product":
            need("marginals")
            margs = [[_prob(x, "marginal entry") for x in row] for row in params["marginals"]]
            if not margs:
                raise SchedulingError("product needs at least one marginal")
            for row in margs:
                if sum(row, fmpq(0)) != 1:
                    raise SchedulingError(f"a marginal sums to {sum(row, fmpq(0))}, not 1")
            tot = dom.zero
            for row in margs:
                for p in row:
                    tot = tot + _neg_xlogx(dom, p)
            g = [dom.scale(tot, fmpq(1, len(margs)))] * len(margs)
        elif fam == "copy":
            need("m", "n")
            m, n = _pos_int(params["m"], "m", 2), _pos_int(params["n"], "n")
            g = [_log_value(dom, fmpq(m))] + [dom.zero] * (n - 1)
        elif fam in ("parity", "sum_mod"):
            if fam == "parity":
                need("n")
                m = 2
            else:
                need("m", "n")
                m = _pos_int(params["m"], "m", 2)
            n = _pos_int(params["n"], "n")
            g = [_log_value(dom, fmpq(m))] * (n - 1) + [dom.zero]
        elif fam == "mds":
            need("q", "n", "k")
            q, n, k = _pos_int(params["q"], "q", 2), _pos_int(params["n"], "n"), _pos_int(params["k"], "k")
            if k > n:
                raise SchedulingError(f"mds needs 1 <= k <= n, got k={k}, n={n}")
            g = [_log_value(dom, fmpq(q))] * k + [dom.zero] * (n - k)
        elif fam == "markov":
            need("n", "flip")
            g = _markov_profile(dom, _pos_int(params["n"], "n"), _prob(params["flip"], "flip"))
        elif fam in ("exchangeable", "noisy_copy"):
            if fam == "noisy_copy":
                need("n", "eta")
                eta = _prob(params["eta"], "eta")
                ws, thetas = [fmpq(1, 2)] * 2, [[1 - eta, eta], [eta, 1 - eta]]
            else:
                need("n", "weights", "thetas")
                ws = [_prob(x, "weight") for x in params["weights"]]
                thetas = []
                for th in params["thetas"]:
                    if isinstance(th, (list, tuple, np.ndarray)):
                        row = [_prob(x, "theta entry") for x in th]
                    else:
                        p1 = _prob(th, "theta")
                        row = [1 - p1, p1]
                    if sum(row, fmpq(0)) != 1:
                        raise SchedulingError(f"theta {list(map(str, row))} does not sum to 1")
                    thetas.append(row)
                if len(ws) != len(thetas) or not ws or sum(ws, fmpq(0)) != 1:
                    raise SchedulingError("exchangeable needs as many weights as thetas, summing to 1")
                if len({len(r) for r in thetas}) != 1 or len(thetas[0]) < 2:
                    raise SchedulingError("exchangeable needs thetas over one alphabet of m >= 2 symbols")
            g = _exchangeable_profile(dom, _pos_int(params["n"], "n"), ws, thetas)
        else:
            raise SchedulingError(f"unknown family {family!r}; choose one of {', '.join(CLOSED_FORM_FAMILIES)}")
    return Profile(g, domain=dom.name, prec=dom.prec, name=name, check=False)


def _markov_profile(dom: _Dom, n: int, eps: fmpq) -> list:
    r = 1 - 2 * eps
    if dom.name == "float":
        return _markov_profile_float(n, float(eps))
    eta = [dom.zero] + [_binary_entropy(dom, (1 - r**a) / 2) for a in range(1, n)]  # η(ε_a), a = 1..n-1
    prefix = [dom.zero]
    for a in range(1, n):
        prefix.append(prefix[-1] + eta[a])  # prefix[s] = Σ_{a≤s} η(ε_a)
    two = {s: prefix[s - 1] * 2 - dom.scale(eta[s], fmpq(s - 1)) for s in range(2, n)}
    g = [_log_value(dom, fmpq(2))]
    for i in range(1, n):
        tot = dom.zero
        for a in range(1, n):
            c = math.comb(n - a, i)
            if c:
                tot = tot + dom.scale(eta[a], fmpq(2 * c))
        if i >= 2:
            for s in range(2, n):
                c = (n - s) * math.comb(n - 1 - s, i - 2)
                if c:
                    tot = tot + dom.scale(two[s], fmpq(c))
        g.append(dom.scale(tot, fmpq(1, n * math.comb(n - 1, i))))
    return g


def _h2f(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = -(p * np.log(p)) - ((1 - p) * np.log1p(-p))
    return np.nan_to_num(out, nan=0.0)


def _markov_profile_float(n: int, eps: float) -> list:
    a = np.arange(1, n, dtype=np.float64)
    ea = -0.5 * np.expm1(a * np.log1p(-2 * eps)) if eps < 0.5 else np.full(n - 1, 0.5)
    if eps == 1.0:
        ea = (1 - (-1.0) ** a) / 2
    eta = np.concatenate([[0.0], _h2f(ea)])
    prefix = np.cumsum(eta)
    s = np.arange(2, n)
    two = 2 * prefix[s - 1] - (s - 1) * eta[s] if n > 2 else np.zeros(0)
    from scipy.special import gammaln as lg

    g = [math.log(2.0)]
    for i in range(1, n):
        den = math.log(n) + lg(n) - lg(i + 1) - lg(n - i)  # log(n·C(n−1, i))
        aa = np.arange(1, n - i + 1)  # C(n−a, i) > 0 iff n−a ≥ i
        lw = lg(n - aa + 1) - lg(i + 1) - lg(n - aa - i + 1) - den
        tot = 2 * np.dot(np.exp(lw), eta[aa])
        if i >= 2:
            ss = np.arange(2, min(n - 1, n - i + 1) + 1)  # C(n−1−s, i−2) > 0 iff s ≤ n−i+1
            if ss.size:
                lw2 = np.log(n - ss) + lg(n - ss) - lg(i - 1) - lg(n - ss - i + 2) - den
                tot += np.dot(np.exp(lw2), two[ss - 2])
        g.append(float(tot))
    return g


def _exchangeable_profile(dom: _Dom, n: int, ws: list, thetas: list) -> list:
    m = len(thetas[0])
    n_types = math.comb(n + m - 1, m - 1)
    if n_types * n > _MAX_ENUM * 10:
        raise SchedulingError(f"exchangeable profile with m={m}, n={n} needs {n_types} count vectors per level; reduce n or m")
    if dom.name == "float":
        return _exchangeable_profile_float(n, ws, thetas)
    h = [dom.zero]
    for i in range(1, n + 1):
        tot = dom.zero
        for c in _count_vectors(i, m):
            p = fmpq(0)
            for wu, th in zip(ws, thetas):
                term = wu
                for s, cs in enumerate(c):
                    if cs:
                        term *= th[s] ** cs
                p += term
            if p != 0:
                mult = math.factorial(i)
                for cs in c:
                    mult //= math.factorial(cs)
                tot = tot + dom.scale(_neg_xlogx(dom, p), fmpq(mult))
        h.append(tot)
    return [h[i + 1] - h[i] for i in range(n)]


def _exchangeable_profile_float(n: int, ws: list, thetas: list) -> list:
    """``g(i) = Σ_c mult(c)·p_c·H(predictive | c)`` in log space: positive terms only, no cancellation."""
    lw = np.log(np.array([float(w) for w in ws]))
    th = np.array([[float(x) for x in t] for t in thetas])  # (U, m)
    with np.errstate(divide="ignore"):
        lth = np.log(th)
    m = th.shape[1]
    g = []
    for i in range(n):
        cs = np.array(list(_count_vectors(i, m)), dtype=np.float64)  # (C, m)
        with np.errstate(invalid="ignore"):
            terms = lw[None, :] + np.where(cs[:, None, :] > 0, lth[None, :, :] * cs[:, None, :], 0.0).sum(axis=2)  # (C, U)
        mx = np.max(terms, axis=1)
        ok = np.isfinite(mx)
        terms, mx, cs = terms[ok], mx[ok], cs[ok]
        post = np.exp(terms - mx[:, None])
        z = post.sum(axis=1)
        lp = mx + np.log(z)  # log p_c
        pred = (post / z[:, None]) @ th  # (C, m) predictive law of the next token
        with np.errstate(divide="ignore", invalid="ignore"):
            Hc = -np.nansum(np.where(pred > 0, pred * np.log(pred), 0.0), axis=1)
        lmult = np.array([math.lgamma(i + 1) - sum(math.lgamma(x + 1) for x in c) for c in cs])
        g.append(float(np.sum(np.exp(lmult + lp) * Hc)))
    return g


def _count_vectors(i: int, m: int) -> Iterator[tuple]:
    if m == 1:
        yield (i,)
        return
    for c0 in range(i + 1):
        for rest in _count_vectors(i - c0, m - 1):
            yield (c0,) + rest


# ---------------------------------------------------------------------------------------------
# compositions
# ---------------------------------------------------------------------------------------------
def as_composition(sizes: Any, N: int | None = None, *, allow_empty: bool = True) -> tuple[int, ...]:
    """Validate a schedule of step sizes: non-negative integers summing to ``N``.

    Empty steps (size 0) are allowed unless ``allow_empty=False``; they cost nothing.

    >>> as_composition([2, 1, 3])
    (2, 1, 3)
    >>> as_composition([2, 2], N=5)
    Traceback (most recent call last):
    ...
    mdtheory.scheduling.SchedulingError: the step sizes (2, 2) sum to 4, not N=5; a schedule must reveal every token exactly once
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Iterable):
        raise SchedulingError(f"a schedule is a sequence of step sizes, got {type(sizes).__name__} {sizes!r}")
    out = []
    for k in sizes:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise SchedulingError(f"step sizes must be integers, got {k!r} in {tuple(sizes)!r}")
        out.append(int(k))
    out = tuple(out)
    if not out:
        raise SchedulingError("a schedule needs at least one step")
    if any(k < 0 for k in out) or (not allow_empty and any(k == 0 for k in out)):
        lo = 0 if allow_empty else 1
        raise SchedulingError(f"step sizes must be >= {lo}, got {out}")
    if N is not None and sum(out) != N:
        raise SchedulingError(
            f"the step sizes {out} sum to {sum(out)}, not N={N}; a schedule must reveal every token exactly once"
        )
    if sum(out) < 1:
        raise SchedulingError(f"the schedule {out} reveals no token; N must be >= 1")
    return out


def boundaries(sizes: Sequence[int]) -> tuple[int, ...]:
    """Cumulative revealed counts ``s_0 = 0, s_1, …, s_K = N``.

    >>> boundaries((2, 1, 3))
    (0, 2, 3, 6)
    """
    return (0,) + tuple(itertools.accumulate(as_composition(sizes)))


def compositions(N: int, K: int) -> Iterator[tuple[int, ...]]:
    """All ``C(N−1, K−1)`` compositions of ``N`` into ``K`` positive parts (lexicographic by boundaries).

    >>> list(compositions(4, 2))
    [(1, 3), (2, 2), (3, 1)]
    """
    N, K = _pos_int(N, "N"), _pos_int(K, "K")
    if K > N:
        return
    for cuts in itertools.combinations(range(1, N), K - 1):
        b = (0,) + cuts + (N,)
        yield tuple(b[t + 1] - b[t] for t in range(K))


# ---------------------------------------------------------------------------------------------
# size laws
# ---------------------------------------------------------------------------------------------
class SizeLaw:
    """A data-independent law over schedules of ``N`` tokens, kept as exact *block marginals*.

    ``blocks[(a, b)] = P([a, b) is a step)`` (reveal ranks ``a..b-1`` form one step).  Every
    quantity of the random-order sampler that is linear in the schedule's law — the weights
    ``w``, the expected KL, ``E Σ_t C(k_t, 2)`` — depends only on these marginals.

    Constructors: :meth:`deterministic`, :meth:`mixture` (a finite law on compositions),
    :meth:`markov` (a kernel on the revealed count), :meth:`bernoulli` (MDLM-style binomial
    sizes), and :func:`random_offset_law`.

    Attributes
    ----------
    N : int
    steps : int
        Number of iterations (model calls); empty steps count.
    blocks : dict ``(a, b) -> fmpq``
    compositions : dict ``sizes -> fmpq`` or None
        The law on compositions, when it was given or is cheap to keep.

    >>> law = SizeLaw.mixture({(1, 2): "1/2", (2, 1): "1/2"})
    >>> law.blocks
    {(0, 1): 1/2, (1, 3): 1/2, (0, 2): 1/2, (2, 3): 1/2}
    >>> law.w
    [1/2, 1/2]
    """

    def __init__(self, N: int, blocks: Mapping[tuple[int, int], Any], *, steps: int | None = None,
                 compositions: Mapping[tuple, Any] | None = None, name: str = "", check: bool = True):
        self.N = _pos_int(N, "N")
        self.blocks = {(int(a), int(b)): _fq(p, "block probability") for (a, b), p in blocks.items()}
        self.blocks = {k: v for k, v in self.blocks.items() if v != 0}
        self.compositions = dict(compositions) if compositions is not None else None
        self.steps = steps
        self.name = name
        self._w = None
        if check:
            self._check_flow()

    def _check_flow(self) -> None:
        N = self.N
        net = [fmpq(0)] * (N + 1)
        for (a, b), p in self.blocks.items():
            if not 0 <= a < b <= N:
                raise SchedulingError(f"block [{a}, {b}) is not a non-empty range inside 0..{N}")
            if p < 0:
                raise SchedulingError(f"block [{a}, {b}) has negative probability {p}")
            net[a] -= p
            net[b] += p
        if net[0] != -1 or net[N] != 1 or any(x != 0 for x in net[1:N]):
            bad = next(i for i in range(N + 1) if net[i] != (-1 if i == 0 else (1 if i == N else 0)))
            raise SchedulingError(
                f"the block probabilities do not form a law on schedules: flow balance {net[bad]} at revealed count {bad}"
            )

    # -- constructors ------------------------------------------------------------------------
    @classmethod
    def deterministic(cls, sizes: Sequence[int]) -> "SizeLaw":
        """The point mass at one schedule."""
        sizes = as_composition(sizes)
        b = boundaries(sizes)
        blocks = {(b[t], b[t + 1]): fmpq(1) for t in range(len(sizes)) if sizes[t]}
        return cls(b[-1], blocks, steps=len(sizes), compositions={sizes: fmpq(1)}, name=f"schedule {sizes}", check=False)

    @classmethod
    def mixture(cls, law: Mapping[Sequence[int], Any] | Iterable[tuple[Sequence[int], Any]], name: str = "") -> "SizeLaw":
        """A finite law on schedules ``{sizes: probability}`` (rational weights, summing to 1)."""
        items = law.items() if isinstance(law, Mapping) else list(law)
        comps: dict = {}
        N = None
        for sizes, p in items:
            s = as_composition(sizes, N)
            N = sum(s)
            q = _fq(p, "schedule probability")
            if q < 0:
                raise SchedulingError(f"schedule {s} has negative probability {q}")
            comps[s] = comps.get(s, fmpq(0)) + q
        if not comps:
            raise SchedulingError("a mixture of schedules needs at least one schedule")
        total = sum(comps.values(), fmpq(0))
        if total != 1:
            raise SchedulingError(f"the schedule probabilities sum to {total}, not 1")
        blocks: dict = {}
        for s, q in comps.items():
            b = boundaries(s)
            for t in range(len(s)):
                if s[t]:
                    blocks[(b[t], b[t + 1])] = blocks.get((b[t], b[t + 1]), fmpq(0)) + q
        comps = {s: q for s, q in comps.items() if q != 0}
        return cls(N, blocks, steps=max(len(s) for s in comps), compositions=comps, name=name, check=False)

    @classmethod
    def markov(cls, N: int, K: int, kernel: Callable[[int, int], Mapping[int, Any]], name: str = "") -> "SizeLaw":
        """Sizes drawn step by step: ``kernel(t, a) = {size: prob}`` at step ``t = 0..K-1`` with ``a`` revealed.

        After ``K`` steps all ``N`` tokens must be revealed (with probability 1).  Cost
        ``O(K·N·|support|)``; exact rationals throughout.

        >>> law = SizeLaw.markov(4, 2, lambda t, a: {1: "1/2", 3: "1/2"} if t == 0 else {4 - a: 1})
        >>> law.w                 # (1, 3) has w = (0, 2, 1), (3, 1) has w = (2, 1, 0)
        [1, 3/2, 1/2]
        """
        N, K = _pos_int(N, "N"), _pos_int(K, "K")
        occ = {0: fmpq(1)}
        blocks: dict = {}
        for t in range(K):
            nxt: dict = {}
            for a, pa in occ.items():
                dist = kernel(t, a)
                if not isinstance(dist, Mapping):
                    raise SchedulingError(f"kernel({t}, {a}) must return a mapping {{size: probability}}, got {dist!r}")
                tot = fmpq(0)
                for s, q in dist.items():
                    q = _fq(q, f"kernel({t}, {a})")
                    if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or not 0 <= int(s) <= N - a:
                        raise SchedulingError(f"kernel({t}, {a}) proposes size {s!r}; sizes must be integers in 0..{N - a}")
                    if q < 0:
                        raise SchedulingError(f"kernel({t}, {a}) gives size {s} the negative probability {q}")
                    tot += q
                    if q == 0:
                        continue
                    b = a + int(s)
                    if b > a:
                        blocks[(a, b)] = blocks.get((a, b), fmpq(0)) + pa * q
                    nxt[b] = nxt.get(b, fmpq(0)) + pa * q
                if tot != 1:
                    raise SchedulingError(f"kernel({t}, {a}) has total probability {tot}, not 1")
            occ = nxt
        left = sum((p for a, p in occ.items() if a != N), fmpq(0))
        if left != 0:
            raise SchedulingError(
                f"after K={K} steps some tokens are still masked with probability {left}; make the last step reveal the rest"
            )
        return cls(N, blocks, steps=K, name=name or f"markov size law (N={N}, K={K})", check=False)

    @classmethod
    def bernoulli(cls, N: int, reveal: Sequence[Any]) -> "SizeLaw":
        """MDLM-style sizes: each masked token is revealed at step ``t`` with probability
        ``(u_t − u_{t−1})/(1 − u_{t−1})``, where ``reveal = (u_1, …, u_K)`` is the non-decreasing
        cumulative reveal fraction with ``u_K = 1``; sizes are binomial given the revealed count.

        >>> SizeLaw.bernoulli(2, ["1/2", 1]).w    # together iff both in step 1 or both in step 2
        [1/2]
        """
        us = [_prob(u, "reveal fraction") for u in reveal]
        if not us or us[-1] != 1 or any(us[i] > us[i + 1] for i in range(len(us) - 1)):
            raise SchedulingError("reveal fractions must be non-decreasing in [0, 1] and end at 1")
        prev = [fmpq(0)] + us[:-1]

        def kernel(t, a):
            r = N - a
            if prev[t] == 1:
                return {0: 1}
            rho = (us[t] - prev[t]) / (1 - prev[t])
            return {s: math.comb(r, s) * rho**s * (1 - rho) ** (r - s) for s in range(r + 1)}

        return cls.markov(N, len(us), kernel, name=f"bernoulli size law (N={N}, K={len(us)})")

    # -- derived quantities ------------------------------------------------------------------
    @property
    def w(self) -> list:
        """``w_i = E[#{j > i in the step of i}] = Σ_{a ≤ i < b} P([a,b))·(b − 1 − i)``, ``i = 0..N-2`` (exact)."""
        if self._w is None:
            N = self.N
            cst = [fmpq(0)] * (N + 1)
            slope = [fmpq(0)] * (N + 1)
            for (a, b), p in self.blocks.items():
                cst[a] += p * (b - 1)
                cst[b] -= p * (b - 1)
                slope[a] += p
                slope[b] -= p
            out, c, s = [], fmpq(0), fmpq(0)
            for i in range(N - 1):
                c += cst[i]
                s += slope[i]
                out.append(c - s * i)
            self._w = out
        return list(self._w)

    def expected_pairs(self) -> fmpq:
        """``E Σ_t C(k_t, 2) = Σ_i w_i`` (pairs of tokens revealed together)."""
        return sum((p * math.comb(b - a, 2) for (a, b), p in self.blocks.items()), fmpq(0))

    def expected_first_size(self) -> fmpq:
        """``E k_1`` (size of the first non-empty step)."""
        return sum((p * b for (a, b), p in self.blocks.items() if a == 0), fmpq(0))

    def probability_last_size_at_least(self, k: int) -> fmpq:
        """``P(k_last ≥ k)`` for the last non-empty step."""
        return sum((p for (a, b), p in self.blocks.items() if b == self.N and b - a >= k), fmpq(0))

    def __repr__(self) -> str:
        nm = f" {self.name!r}" if self.name else ""
        return f"<SizeLaw{nm} N={self.N}, steps={self.steps}, {len(self.blocks)} blocks>"


def as_size_law(schedule: Any, N: int | None = None) -> SizeLaw:
    """A :class:`SizeLaw` from a SizeLaw, a sequence of sizes or a mapping ``{sizes: prob}``."""
    if isinstance(schedule, SizeLaw):
        law = schedule
    elif isinstance(schedule, Mapping):
        law = SizeLaw.mixture(schedule)
    else:
        law = SizeLaw.deterministic(as_composition(schedule, N))
    if N is not None and law.N != N:
        raise SchedulingError(f"the schedule reveals N={law.N} tokens but the profile has N={N}; use a schedule of {N} tokens")
    return law


def weights(schedule: Any) -> list:
    """The weight vector ``w_i`` (``i = 0..N-2``) of a schedule or size law, exact.

    For a fixed schedule, ``w_i = b − 1 − i`` where ``[a, b)`` is the step containing reveal
    rank ``i``; for a size law, its expectation.  ``E_σ KL = Σ_i δ_i·w_i``.

    >>> weights((1, 1, 1)), weights((3,))
    ([0, 0], [2, 1])
    """
    return as_size_law(schedule).w


# ---------------------------------------------------------------------------------------------
# expected KL over orders
# ---------------------------------------------------------------------------------------------
def block_cost(profile: Any, a: int, b: int):
    """Expected conditional TC of one step revealing ranks ``a..b-1``:
    ``c(a, b) = (b−a)·g(a) − (h(b) − h(a)) = Σ_{i=a}^{b-2} δ_i·(b−1−i)``.

    >>> block_cost(Profile([2, 1, 0]), 0, 3)     # 3·2 − 3
    3
    """
    p = as_profile(profile)
    if not (isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= p.N):
        raise SchedulingError(f"a block is a range 0 <= a < b <= N={p.N}, got a={a!r}, b={b!r}")
    with p._dom.active():
        return p.g[a] * (b - a) - (p.h[b] - p.h[a])


def expected_kl(profile: Any, schedule: Any):
    """**Expected KL over random orders** ``E_σ KL(π‖q_σ) = Σ_i δ_i·w_i`` of the factorized
    sampler with the given schedule (sizes, ``{sizes: prob}`` or :class:`SizeLaw`).

    This is *not* the KL of the sampler's output law (the mixture ``q̄`` over orders); by
    convexity ``KL(π‖q̄) ≤`` this value.  Returned in the profile's domain.

    >>> from mdtheory.scheduling import profile_closed_form
    >>> p = profile_closed_form("copy", m=2, n=4, logs="symbolic")
    >>> expected_kl(p, (3, 1)), expected_kl(p, {(3, 1): "1/2", (1, 3): "1/2"})
    (LogSum(2*log(2)), LogSum(log(2)))
    """
    p = as_profile(profile)
    law = as_size_law(schedule, p.N)
    return _dot(p._dom, p.delta, law.w)


def expected_kl_forms(profile: Any, schedule: Any) -> dict:
    """The expected KL over orders written five ways (notes LZ P3 and ZC I4); all are equal.

    With block marginals ``x_{ab}`` (for a fixed schedule, the blocks ``[s_{t−1}, s_t)``):

    * ``'blocks_f'``:  ``Σ x_{ab} Σ_{i=a}^{b−1} [f(i) − f(a)]``;
    * ``'riemann'``:   ``Σ x_{ab} (b−a)·g(a) − H`` (left Riemann sum of ``g`` minus its integral);
    * ``'f_total'``:   ``Σ_{i<N} f(i) − Σ x_{ab} (b−a)·f(a)``;
    * ``'h_chords'``:  ``Σ x_{ab} [(b−a)(h(a+1) − h(a)) − (h(b) − h(a))]``;
    * ``'delta_w'``:   ``Σ_i δ_i·w_i``.

    >>> forms = expected_kl_forms(Profile([3, 1, 1, 0]), (2, 2))
    >>> sorted(set(forms.values()))
    [3]
    """
    p = as_profile(profile)
    law = as_size_law(schedule, p.N)
    d = p._dom
    g, h, f = p.g, p.h, p.f
    with d.active():
        items = list(law.blocks.items())
        blocks_f = _sum(d, (d.scale(_sum(d, (f[i] - f[a] for i in range(a, b))), x) for (a, b), x in items))
        riemann = _sum(d, (d.scale(g[a], x * (b - a)) for (a, b), x in items)) - h[-1]
        f_total = _sum(d, f) - _sum(d, (d.scale(f[a], x * (b - a)) for (a, b), x in items))
        chords = _sum(d, (d.scale((h[a + 1] - h[a]) * (b - a) - (h[b] - h[a]), x) for (a, b), x in items))
    return {"blocks_f": blocks_f, "riemann": riemann, "f_total": f_total, "h_chords": chords,
            "delta_w": _dot(d, p.delta, law.w)}


def _sum(d: _Dom, values: Iterable):
    if d.name == "symbolic":
        return LogSum.sum(values)
    total = d.zero
    for v in values:
        total = total + v
    return total


# ---------------------------------------------------------------------------------------------
# optimal schedule for fixed K: dynamic programming
# ---------------------------------------------------------------------------------------------
class OptimalSchedule:
    """Result of :func:`optimal_schedule`.

    Attributes
    ----------
    sizes : tuple
        An optimal composition of ``N`` into ``K`` positive parts (ties: smallest boundaries first).
    boundaries : tuple
        ``s_0 = 0 < … < s_K = N``.
    expected_kl :
        Its expected KL over orders, in the profile's domain (exact, or a rigorous ball).
    optimum :
        The minimum over all compositions: equal to ``expected_kl`` in exact domains; a rigorous
        enclosure of the minimum in the ball domain; a float otherwise.
    gap_bound : float
        Upper bound on ``expected_kl − optimum`` (0 for exact domains; width of the balls for
        ``'ball'``; not rigorous for ``'float'``).
    kind : str
        ``'exact'``, ``'enclosure'`` or ``'approximation'``.
    """

    def __init__(self, sizes, expected_kl, optimum, gap_bound, kind, domain):
        self.sizes = tuple(sizes)
        self.boundaries = boundaries(self.sizes)
        self.K = len(self.sizes)
        self.N = sum(self.sizes)
        self.expected_kl = expected_kl
        self.optimum = optimum
        self.gap_bound = gap_bound
        self.kind = kind
        self.domain = domain

    def __repr__(self) -> str:
        return f"OptimalSchedule(sizes={self.sizes}, expected_kl={self.expected_kl!r}, kind={self.kind!r})"


def _dp(p: Profile, K_max: int):
    """DP tables: ``V[t][b]`` = min cost of reaching revealed count ``b`` in ``t`` steps, and argmins."""
    N, d = p.N, p._dom
    if d.name == "float":
        return _dp_float(p, K_max)
    g, h = p.g, p.h
    V = [[None] * (N + 1) for _ in range(K_max + 1)]
    A = [[-1] * (N + 1) for _ in range(K_max + 1)]
    with d.active():
        V[0][0] = d.zero
        cost = {}
        sym = d.name == "symbolic"
        if sym:  # DP on 256-bit enclosures; exact LogSum comparisons only among overlapping candidates
            Ve = [[None] * (N + 1) for _ in range(K_max + 1)]
            Ve[0][0] = arb(0)
            cenc = {}
        for t in range(1, K_max + 1):
            for b in range(t, N + 1):
                cands = []
                for a in range(t - 1, b):
                    if V[t - 1][a] is None:
                        continue
                    if (a, b) not in cost:
                        cost[(a, b)] = g[a] * (b - a) - (h[b] - h[a])
                        if sym:
                            cenc[(a, b)] = cost[(a, b)].enclose(256)
                    cands.append(a)
                if not cands:
                    continue
                if sym:
                    with flint_ctx.workprec(256):
                        encl = {a: Ve[t - 1][a] + cenc[(a, b)] for a in cands}
                        best_hi = min((e.upper() for e in encl.values()))
                        close = [a for a in cands if not encl[a].lower() > best_hi]
                    best = close[0]
                    bestv = V[t - 1][best] + cost[(best, b)]
                    for a in close[1:]:
                        v = V[t - 1][a] + cost[(a, b)]
                        if (v - bestv).sign() < 0:
                            best, bestv = a, v
                    V[t][b], A[t][b] = bestv, best
                    with flint_ctx.workprec(256):
                        Ve[t][b] = encl[best]
                elif d.name == "rational":
                    best, bestv = None, None
                    for a in cands:
                        v = V[t - 1][a] + cost[(a, b)]
                        if bestv is None or v < bestv:
                            best, bestv = a, v
                    V[t][b], A[t][b] = bestv, best
                else:  # ball: rigorous min enclosure, argmin by midpoints
                    vals = [V[t - 1][a] + cost[(a, b)] for a in cands]
                    lo = vals[0]
                    for v in vals[1:]:
                        lo = lo.min(v)
                    k = min(range(len(vals)), key=lambda j: (float(vals[j].mid()), j))
                    V[t][b], A[t][b] = lo, cands[k]
    return V, A


def _dp_float(p: Profile, K_max: int, method: str | None = None):
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
    g = p.to_float()
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


def _dp_float_hull(p: Profile, K_max: int):
    N = p.N
    g = p.to_float().tolist()
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
    ``c(a, b) = (b−a)·g(a) − (h(b) − h(a))``; ``O(K·N²)`` (exact domains: exact comparisons,
    ties broken towards smaller earlier boundaries; float: vectorised).

    >>> from mdtheory.scheduling import profile_closed_form
    >>> r = optimal_schedule(profile_closed_form("parity", n=6, logs="symbolic"), 3)
    >>> r.sizes, r.expected_kl                  # parity only charges a last step of size >= 2
    ((1, 4, 1), LogSum(0))
    >>> optimal_schedule(Profile([1, 0]), 3)
    Traceback (most recent call last):
    ...
    mdtheory.scheduling.SchedulingError: K=3 steps of size >= 1 cannot reveal N=2 tokens; take 1 <= K <= N
    """
    p = as_profile(profile)
    K = _pos_int(K, "K")
    if K > p.N:
        raise SchedulingError(f"K={K} steps of size >= 1 cannot reveal N={p.N} tokens; take 1 <= K <= N")
    V, A = _dp(p, K)
    sizes = _trace(A, K, p.N)
    val = expected_kl(p, sizes)
    d = p._dom
    if d.name == "ball":
        opt = V[K][p.N]
        with d.active():
            gap = float((val - opt).upper())
        return OptimalSchedule(sizes, val, opt, max(gap, 0.0), d.kind, d.describe())
    if d.name == "float":
        return OptimalSchedule(sizes, val, float(V[K][p.N]), abs(val - float(V[K][p.N])), d.kind, d.describe())
    return OptimalSchedule(sizes, val, val, 0.0, d.kind, d.describe())


def optimal_errors(profile: Any, K_max: int | None = None) -> list:
    """``[min expected KL over K-step schedules for K = 1..K_max]`` from one DP (non-increasing in K,
    0 at ``K = N``).  Entries are exact / rigorous enclosures / floats as the profile's domain.

    >>> from mdtheory.scheduling import profile_closed_form
    >>> optimal_errors(profile_closed_form("copy", m=2, n=3, logs="symbolic"))
    [LogSum(2*log(2)), LogSum(0), LogSum(0)]
    """
    p = as_profile(profile)
    K_max = p.N if K_max is None else min(_pos_int(K_max, "K_max"), p.N)
    V, _ = _dp(p, K_max)
    if p._dom.name == "float":
        return [float(V[t][p.N]) for t in range(1, K_max + 1)]
    return [V[t][p.N] for t in range(1, K_max + 1)]


# ---------------------------------------------------------------------------------------------
# schedule families
# ---------------------------------------------------------------------------------------------
def _NK(N, K):
    N, K = _pos_int(N, "N"), _pos_int(K, "K")
    if K > N:
        raise SchedulingError(f"K={K} steps of size >= 1 cannot reveal N={N} tokens; take 1 <= K <= N")
    return N, K


def _repair(raw: Sequence[int], N: int) -> tuple[int, ...]:
    """Strictly increasing boundaries ``s_1 < … < s_K = N`` closest to ``raw`` (push forward, cap)."""
    K = len(raw)
    s, prev = [], 0
    for t, x in enumerate(raw, start=1):
        v = min(max(int(x), prev + 1), N - (K - t))
        s.append(v)
        prev = v
    s[-1] = N
    b = [0] + s
    return tuple(b[i + 1] - b[i] for i in range(K))


def constant_schedule(N: int, K: int, *, larger: str = "first") -> tuple[int, ...]:
    """``K`` sizes as equal as possible (``N mod K`` of them one larger, placed ``'first'`` or ``'last'``).

    >>> constant_schedule(7, 3), constant_schedule(7, 3, larger="last")
    ((3, 2, 2), (2, 2, 3))
    """
    N, K = _NK(N, K)
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
    N, K = _NK(p.N, K)
    g = p.to_float()
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


def _iroot_floor(x: int, q: int) -> int:
    """``⌊x^{1/q}⌋`` for integers ``x ≥ 0``, ``q ≥ 1`` (exact)."""
    n = int(fmpz(x).root(q))
    while (n + 1) ** q <= x:
        n += 1
    while n**q > x:
        n -= 1
    return n


def _floor_pow(N: int, e: Fraction) -> int:
    """``⌊N^e⌋`` for a rational ``e ≥ 0``, exact."""
    return _iroot_floor(N ** e.numerator, e.denominator)


def geometric_schedule(N: int, K: int, *, side: str = "revealed", offset: Any = None, strict: bool = True) -> tuple[int, ...]:
    """Geometric schedules (exact integer floors, no floating point).

    * ``side='revealed'`` (small steps first; DTC-type): revealed count after step ``t``
      ``s_t = ⌊N^{t/K}⌋`` (notes LZ P7); with ``offset=U ∈ [0, 1)``:
      ``s_t = ⌊N^{(t−1+U)/(K−1)}⌋`` (notes ZC §3a).
    * ``side='masked'`` (large steps first; TC-type): masked count after step ``t``
      ``⌊N^{(K−t)/K}⌋``, with an offset ``⌊N^{(K−t−U)/K}⌋``.

    The last step always ends at ``N``.  ``strict=True`` repairs repeated floors into a
    composition with ``K`` positive parts (push forward, cap); ``strict=False`` keeps the raw
    floors, so some steps may be empty.

    >>> geometric_schedule(16, 4), geometric_schedule(16, 4, side="masked")
    ((2, 2, 4, 8), (8, 4, 2, 2))
    >>> geometric_schedule(16, 3, offset="1/2", strict=False)
    (2, 6, 8)
    """
    N, K = _NK(N, K)
    if side not in ("revealed", "masked"):
        raise SchedulingError(f"side={side!r}; choose 'revealed' (small steps first) or 'masked' (large steps first)")
    U = None if offset is None else as_fraction(offset)
    if U is not None and not 0 <= U < 1:
        raise SchedulingError(f"offset={offset!r} must lie in [0, 1)")
    raw = []
    for t in range(1, K):
        if side == "revealed":
            e = Fraction(t, K) if U is None else (Fraction(t - 1) + U) / (K - 1)
            raw.append(min(N, _floor_pow(N, e)))
        else:
            e = Fraction(K - t, K) if U is None else (Fraction(K - t) - U) / K
            raw.append(N - _floor_pow(N, e))
    raw.append(N)
    if strict:
        return _repair(raw, N)
    b = [0] + raw
    return tuple(b[i + 1] - b[i] for i in range(K))


def random_offset_law(N: int, K: int, *, side: str = "revealed", grid: int = 64) -> SizeLaw:
    """The random-offset geometric family of notes ZC §3a with ``U`` uniform on the ``grid``
    midpoints ``(2j+1)/(2·grid)`` (an exact rational stand-in for ``U ~ Unif[0,1)``; raw floors,
    so steps may be empty).

    >>> random_offset_law(16, 3, grid=2).compositions
    {(1, 4, 11): 1/2, (2, 9, 5): 1/2}
    """
    grid = _pos_int(grid, "grid")
    law: dict = {}
    for j in range(grid):
        s = geometric_schedule(N, K, side=side, offset=Fraction(2 * j + 1, 2 * grid), strict=False)
        law[s] = law.get(s, fmpq(0)) + fmpq(1, grid)
    out = SizeLaw.mixture(law, name=f"random-offset geometric ({side}, N={N}, K={K}, grid={grid})")
    out.steps = K
    return out


def ratio_schedule(N: int, eps: Any, *, side: str = "tc") -> tuple[int, ...]:
    """Greedy schedules with a guaranteed worst-case constant (notes ZC B4), with ``a`` revealed:

    * ``side='tc'``:  next size ``1 + ⌊ε(N−1−a)⌋`` (capped at ``N−a``), so ``C_TC ≤ ε``;
    * ``side='dtc'``: next size ``1 + ⌊ε(a+1)⌋`` (capped), so ``C_DTC ≤ ε``.

    >>> ratio_schedule(10, "1/2"), ratio_schedule(10, 1, side="dtc")
    ((5, 3, 1, 1), (2, 4, 4))
    """
    N = _pos_int(N, "N")
    e = _fq(eps, "eps")
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


# ---------------------------------------------------------------------------------------------
# worst-case constants and the LP over randomized schedules
# ---------------------------------------------------------------------------------------------
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
    """

    def __init__(self, tc, dtc, tc_index, dtc_index, w):
        self.tc, self.dtc, self.tc_index, self.dtc_index, self.w = tc, dtc, tc_index, dtc_index, w

    @property
    def tc_mds_k(self):
        """``k`` of the MDS code attaining ``C_TC`` (``tc_index + 1``)."""
        return None if self.tc_index is None else self.tc_index + 1

    @property
    def dtc_mds_k(self):
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
    N, K = _NK(N, K)
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


class RandomizedSchedule:
    """Result of :func:`best_randomized_schedule` (scipy.stats-like).

    Attributes
    ----------
    law : SizeLaw
        A randomized schedule (law on ``K``-part compositions, exact rational weights) read off
        the LP solution.
    constant : float
        The LP optimum reported by HiGHS (approximate).
    upper, lower : fmpq
        Proven bounds on the optimal randomized constant: ``upper`` is the exact constant of
        ``law``; ``lower = min_π Σ_i μ_i w_i(π)`` for the (rationalised, normalised ``Σ μ_i D_i = 1``)
        dual weights ``μ ≥ 0`` — a lower bound for every randomized schedule.
    proved_optimal : bool
        ``lower == upper``: the optimum is exactly this rational.
    deterministic, deterministic_sizes :
        The best deterministic constant (exact) and a minimiser, for comparison.
    status, message : int, str
        From ``scipy.optimize.linprog``.
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

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
    N, K = _NK(N, K)
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
                                  status=res.status, message=res.message)
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
            prof = Profile.from_increments([_fq(m / norm, "mu") for m in mq], domain="rational", check=False)
            lo = optimal_schedule(prof, K).expected_kl
            if lo > lower:
                lower = lo
    if lower > upper:  # pragma: no cover - would contradict weak duality
        raise SchedulingError(f"internal error: LP certificate lower={lower} exceeds upper={upper}")
    return RandomizedSchedule(kind=kind, N=N, K=K, method=method, law=best_law, constant=float(res.fun), upper=upper,
                              lower=lower, proved_optimal=lower == upper, deterministic=det,
                              deterministic_sizes=det_sizes, status=res.status, message=res.message)
