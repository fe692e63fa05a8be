"""Information quantities of a law on ``Z_m^d``: partial marginals, subset entropies, profiles.

Notation follows the notes (``papers/optimal_schedules_2510.25544.md`` §3 and
``papers/intrinsic_dependence_2602.20126.md`` I2–I3); logs are natural.

* entropy curve ``h(i) = E_{|S|=i} H(X_S)``, ``h(0) = 0``, ``h(d) = H(X)``, concave;
* conditional-entropy profile ``g(i) = h(i+1) - h(i) = E_{S, j∉S} H(X_j | X_S)``,
  ``i = 0..d-1``, non-increasing, ``Σ_i g(i) = H(X)``;
* mutual-information profile ``f(i) = g(0) - g(i)``;
* ``TC = Σ_j (g(0) - g(j))``, ``DTC = Σ_j (g(j) - g(d-1))`` and
  ``TC + DTC = Σ_i I(X_i; X_{-i}) = d·(g(0) - g(d-1))``.

**The partial-marginal table.**  All ``2^d`` marginals at once form one array on
the masked space ``{0..m}^d``: the entry at ``x`` (mask symbol ``m`` at the
coordinates outside ``U``) is ``P(X_U = x_U)``.  It is built by ``d`` successive
axis sums (append to each axis the sum over that axis) in ``O(d·(m+1)^d)``
operations, not by ``2^d`` marginalisations.  Every subset entropy is then one
more pass over that table.

**Number domains.**  Probabilities stay in the law's tier (exact rationals stay
exact).  Quantities with logs are returned as

* ``arb`` balls (rigorous enclosures) for exact laws with ``logs='ball'``
  (default, ``prec`` bits, 128 unless given) and for certified laws;
* exact :class:`~mdtheory.logsum.LogSum` objects for exact laws with
  ``logs='symbolic'`` (exact equality and sign);
* ``mpf`` / ``float`` for the mp / float tiers.

See :class:`~mdtheory.logsum.LogDomain`.

>>> from mdtheory.distributions import copy
>>> from mdtheory.information import information_profile
>>> prof = information_profile(copy(2, 3), logs="symbolic")
>>> prof.g
[LogSum(log(2)), LogSum(0), LogSum(0)]
>>> prof.total_correlation, prof.dual_total_correlation
(LogSum(2*log(2)), LogSum(log(2)))
>>> H = information_profile(copy(2, 3)).entropy   # an arb ball at 128 bits
>>> H.contains(prof.entropy.enclose(200)), H.rad() < 1e-35
(True, True)
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
from flint import arb, fmpq

from .laws import Law
from .logsum import SYMBOLIC, LogDomain, LogSum, log_domain
from .spaces import MaskedSpace, ProductSpace
from .tiers import MdtheoryError, Tier, TierError, get_tier

__all__ = [
    "entropy",
    "marginal",
    "partial_marginal_table",
    "subset_entropies",
    "subset_index",
    "subset_of_index",
    "total_correlation",
    "dual_total_correlation",
    "mutual_information_sum",
    "mutual_information",
    "conditional_entropy",
    "information_profile",
    "InformationProfile",
    "conditional",
    "Conditional",
    "OFF_SUPPORT_CONVENTIONS",
    "InformationError",
]

OFF_SUPPORT_CONVENTIONS = ("uniform", "marginal", "zero", "raise")


class InformationError(MdtheoryError):
    """Bad input to an information quantity (subsets, conventions, non-data laws, profiles).

    >>> from mdtheory.distributions import copy
    >>> conditional_entropy(copy(2, 2), [0], [0])
    Traceback (most recent call last):
    ...
    mdtheory.information.InformationError: target (0,) and given (0,) overlap; conditioning sets must be disjoint
    """


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def _data(law: Law) -> tuple[np.ndarray, int, int, Tier]:
    """The probability array on ``Z_m^d`` of a data law (masked-space laws without mask mass allowed)."""
    if not isinstance(law, Law):
        raise InformationError(f"expected a mdtheory Law, got {type(law).__name__}; build one with mdtheory.distributions")
    sp = law.space
    if isinstance(sp, ProductSpace):
        return law.probs, sp.m, sp.d, law.tier
    if isinstance(sp, MaskedSpace):
        mass = law.masked_mass()
        if law.tier.is_zero(mass) is not True:
            raise InformationError(
                f"this law on {sp!r} puts mass {law.tier.format(mass)} on masked states; information quantities need "
                "a data law on Z_m^d (take the unmasked part or condition first)"
            )
        return law.unmasked_part(), sp.m, sp.d, law.tier
    raise InformationError(f"information quantities need a law on ProductSpace (Z_m^d), not {sp!r}")


def _coords(subset: Iterable[int], d: int, what: str = "subset", allow_empty: bool = True) -> tuple[int, ...]:
    try:
        s = tuple(int(i) for i in subset)
    except TypeError:
        raise InformationError(f"{what} must be an iterable of coordinate indices, got {subset!r}") from None
    if len(set(s)) != len(s):
        raise InformationError(f"{what} {s} repeats a coordinate; list each coordinate once")
    bad = [i for i in s if not 0 <= i < d]
    if bad:
        raise InformationError(f"{what} {s} has coordinates {bad} outside 0..{d - 1}")
    if not s and not allow_empty:
        raise InformationError(f"{what} is empty; give at least one coordinate")
    return s


def subset_index(subset: Iterable[int]) -> int:
    """Bitmask index of a subset: bit ``i`` (value ``2**i``) is set iff coordinate ``i`` is in it.

    >>> subset_index([0, 2]), subset_of_index(5, 3)
    (5, (0, 2))
    """
    return sum(1 << int(i) for i in set(subset))


def subset_of_index(index: int, d: int) -> tuple[int, ...]:
    """The sorted coordinates of bitmask ``index`` (inverse of :func:`subset_index`).

    >>> subset_of_index(6, 4), subset_index(subset_of_index(6, 4))
    ((1, 2), 6)
    """
    return tuple(i for i in range(d) if index >> i & 1)


def _marginal_array(probs: np.ndarray, keep: Sequence[int], tier: Tier) -> np.ndarray:
    d = probs.ndim
    drop = tuple(i for i in range(d) if i not in keep)
    with tier.active():
        arr = probs.sum(axis=drop) if drop else probs
    # remaining axes are in sorted order; put them in the order of ``keep``
    order = sorted(keep)
    return np.transpose(arr, [order.index(i) for i in keep]) if list(keep) != order else arr


def _entropy_of_array(arr: np.ndarray, dom: LogDomain):
    """``-Σ p log p`` of an array of source-tier probabilities, in the log domain."""
    src = dom.source
    flat = np.asarray(arr).reshape(-1)
    if src.is_exact:
        counts = Counter(flat.tolist())
        counts.pop(fmpq(0), None)
        if dom.symbolic:
            return LogSum.from_fmpq({v: -c * v for v, c in counts.items()})
        t = dom.tier
        with t.active():
            total = t.zero
            for v, c in counts.items():
                total += dom.neg_xlogx(v) * c
            return total
    if src.is_float:
        pos = flat[flat > 0]
        return float(-np.dot(pos, np.log(pos)))
    t = dom.tier
    with t.active():
        return t.total(t.map(dom.neg_xlogx, flat))


# ---------------------------------------------------------------------------------------------
# marginals and the partial-marginal table
# ---------------------------------------------------------------------------------------------
def marginal(law: Law, subset: Iterable[int]) -> Law:
    """The law of ``X_S`` on ``Z_m^{|S|}``, exact in the law's tier.

    The axes of the result follow the order in which ``subset`` lists the
    coordinates (``marginal(p, (2, 0))`` has ``X_2`` first).

    >>> from mdtheory.distributions import binary_symmetric_markov
    >>> p = binary_symmetric_markov(3, "1/4")
    >>> marginal(p, [0, 2]).prob((0, 1))   # two flips: 2·(1/4)(3/4), times 1/2
    3/16
    >>> marginal(p, [])
    Traceback (most recent call last):
    ...
    mdtheory.information.InformationError: subset is empty; give at least one coordinate
    """
    probs, m, d, t = _data(law)
    keep = _coords(subset, d, allow_empty=False)
    arr = _marginal_array(probs, keep, t)
    return Law(ProductSpace(m, len(keep)), arr, t, validate=False)


def partial_marginal_table(law: Law, *, normalized: bool = False):
    """All partial marginals of a law on ``Z_m^d`` as one array on ``{0..m}^d``.

    Entry ``x`` (with the mask symbol ``m`` at the coordinates outside ``U``) is
    ``P(X_U = x_U)``; the all-mask entry is 1 and the mask-free block is the law.
    Computed by ``d`` successive axis sums: for each axis, the sum over that
    axis is appended as the new index ``m`` — ``O(d·(m+1)^d)`` tier operations.

    With ``normalized=True`` the table divided by ``2^d`` is returned as a
    :class:`~mdtheory.laws.Law` on the masked space: the law of ``X`` with each
    coordinate masked independently with probability 1/2.

    >>> from mdtheory.distributions import parity
    >>> T = partial_marginal_table(parity(3))
    >>> T.shape, T[0, 0, 1], T[0, 1, 2], T[2, 2, 2]
    ((3, 3, 3), 0, 1/4, 1)
    >>> partial_marginal_table(parity(3), normalized=True).space
    MaskedSpace(m=2, d=3)
    """
    probs, m, d, t = _data(law)
    MaskedSpace(m, d).check_fits(t, copies=3)
    with t.active():
        table = probs
        for i in range(d):
            table = np.concatenate([table, table.sum(axis=i, keepdims=True)], axis=i)
        if not normalized:
            return table
        scale = t.scalar(2**d)
        return Law(MaskedSpace(m, d), table / scale, t, validate=False)


def _unmasked_bitmask(m: int, d: int) -> np.ndarray:
    """int64 array on ``{0..m}^d``: bitmask of the coordinates that are not masked."""
    sid = np.zeros((m + 1,) * d, dtype=np.int64)
    for i in range(d):
        col = (np.arange(m + 1) < m).astype(np.int64) << i
        shape = [1] * d
        shape[i] = m + 1
        sid = sid + col.reshape(shape)
    return sid


def _subset_entropies(law: Law, dom: LogDomain) -> np.ndarray:
    probs, m, d, t = _data(law)
    table = partial_marginal_table(law)
    n = 1 << d
    if t.is_exact:
        # group equal values per subset: H(X_S) = Σ_v count(S, v)·(-v log v)
        flat = table.reshape(-1)
        ids: dict = {}
        vid = np.fromiter((ids.setdefault(v, len(ids)) for v in flat.tolist()), dtype=np.int64, count=flat.size)
        del flat
        values = list(ids)
        nv = len(values)
        key = _unmasked_bitmask(m, d).reshape(-1) * nv + vid
        uniq, counts = np.unique(key, return_counts=True)
        out = np.empty(n, dtype=object)
        if dom.symbolic:
            keys = [(int(v.p), int(v.q)) for v in values]
            terms: list[dict] = [{} for _ in range(n)]
            for k, c in zip(uniq.tolist(), counts.tolist()):
                s, vi = divmod(k, nv)
                v = values[vi]
                if v != 0 and v != 1:
                    terms[s][keys[vi]] = -c * v
            for s in range(n):
                out[s] = LogSum._raw(terms[s])
            return out
        tt = dom.tier
        with tt.active():
            cache = {}
            out.fill(tt.zero)
            for k, c in zip(uniq.tolist(), counts.tolist()):
                s, vi = divmod(k, nv)
                if vi not in cache:
                    cache[vi] = dom.neg_xlogx(values[vi])
                out[s] = out[s] + cache[vi] * c
            return out
    # approximate and certified tiers: -p log p elementwise, then one reduction per axis
    if t.is_float:
        E = table
        pos = E > 0
        logs = np.zeros_like(E)
        np.log(E, out=logs, where=pos)
        E = -(E * logs)
        del logs, pos
    else:
        tt = dom.tier
        with tt.active():
            E = tt.map(dom.neg_xlogx, table)
    del table
    tt = dom.tier
    with tt.active():
        for i in range(d):
            idx = [slice(None)] * d
            idx[i] = slice(0, m)
            inside = E[tuple(idx)].sum(axis=i, keepdims=True)
            idx[i] = slice(m, m + 1)
            E = np.concatenate([E[tuple(idx)], inside], axis=i)  # index 1 = coordinate in S
    # axis i holds bit i; C-order flattening of the reversed axes gives index Σ b_i 2^i
    return np.ascontiguousarray(np.transpose(E, list(range(d))[::-1])).reshape(-1)


def subset_entropies(law: Law, *, logs: str = "ball", prec: int | None = None) -> np.ndarray:
    """``H(X_S)`` for all ``2^d`` subsets, indexed by bitmask (:func:`subset_index`).

    One pass over :func:`partial_marginal_table`.  ``H(X_∅) = 0``.

    >>> from mdtheory.distributions import copy
    >>> H = subset_entropies(copy(3, 2), logs="symbolic")
    >>> H[0], H[1], H[2], H[3]
    (LogSum(0), LogSum(log(3)), LogSum(log(3)), LogSum(log(3)))
    """
    return _subset_entropies(law, log_domain(law.tier, logs, prec))


# ---------------------------------------------------------------------------------------------
# scalar quantities (computed directly from the law and its 1- and (d-1)-marginals)
# ---------------------------------------------------------------------------------------------
def entropy(law: Law, *, logs: str = "ball", prec: int | None = None):
    """Shannon entropy ``H(X) = -Σ_x p(x) log p(x)`` in nats (``0·log 0 = 0``).

    >>> from mdtheory.distributions import parity
    >>> entropy(parity(4), logs="symbolic")
    LogSum(3*log(2))
    >>> entropy(parity(4).to_tier("float"))
    2.0794415416798357
    """
    probs, m, d, t = _data(law)
    return _entropy_of_array(probs, log_domain(t, logs, prec))


def _subset_entropy(probs, subset, dom, t):
    if not subset:
        return dom.zero
    return _entropy_of_array(_marginal_array(probs, tuple(subset), t), dom)


def conditional_entropy(law: Law, target: Iterable[int], given: Iterable[int] = (), *, logs="ball", prec=None):
    """``H(X_A | X_B) = H(X_{A∪B}) - H(X_B)``.

    >>> from mdtheory.distributions import copy
    >>> conditional_entropy(copy(2, 3), [0], [2], logs="symbolic")
    LogSum(0)
    """
    probs, m, d, t = _data(law)
    a = _coords(target, d, "target", allow_empty=False)
    b = _coords(given, d, "given")
    if set(a) & set(b):
        raise InformationError(f"target {a} and given {b} overlap; conditioning sets must be disjoint")
    dom = log_domain(t, logs, prec)
    with dom.active():
        return _subset_entropy(probs, sorted(a + b), dom, t) - _subset_entropy(probs, sorted(b), dom, t)


def mutual_information(law: Law, a: Iterable[int], b: Iterable[int], given: Iterable[int] = (), *, logs="ball", prec=None):
    """``I(X_A; X_B | X_C) = H(X_{A∪C}) + H(X_{B∪C}) - H(X_{A∪B∪C}) - H(X_C)``.

    >>> from mdtheory.distributions import parity
    >>> p = parity(3)
    >>> mutual_information(p, [0], [1], logs="symbolic"), mutual_information(p, [0], [1], [2], logs="symbolic")
    (LogSum(0), LogSum(log(2)))
    """
    probs, m, d, t = _data(law)
    A = _coords(a, d, "a", allow_empty=False)
    B = _coords(b, d, "b", allow_empty=False)
    C = _coords(given, d, "given")
    if set(A) & set(B) or set(A) & set(C) or set(B) & set(C):
        raise InformationError(f"the sets {A}, {B}, {C} overlap; mutual information needs disjoint sets")
    dom = log_domain(t, logs, prec)
    H = lambda s: _subset_entropy(probs, sorted(s), dom, t)  # noqa: E731
    with dom.active():
        return H(A + C) + H(B + C) - H(A + B + C) - H(C)


def _tc_parts(law, logs, prec):
    probs, m, d, t = _data(law)
    dom = log_domain(t, logs, prec)
    H = _entropy_of_array(probs, dom)
    singles = [_subset_entropy(probs, (i,), dom, t) for i in range(d)]
    leave_one = [_subset_entropy(probs, tuple(j for j in range(d) if j != i), dom, t) for i in range(d)]
    return dom, d, H, singles, leave_one


def total_correlation(law: Law, *, logs: str = "ball", prec: int | None = None):
    """Total correlation ``TC = Σ_i H(X_i) - H(X)`` (= KL(p ‖ ⊗ p_i)).

    >>> from mdtheory.distributions import copy
    >>> total_correlation(copy(2, 4), logs="symbolic")
    LogSum(3*log(2))
    """
    dom, d, H, singles, _ = _tc_parts(law, logs, prec)
    with dom.active():
        return sum(singles, dom.zero) - H


def dual_total_correlation(law: Law, *, logs: str = "ball", prec: int | None = None):
    """Dual total correlation ``DTC = H(X) - Σ_i H(X_i | X_{-i}) = Σ_i H(X_{-i}) - (d-1)·H(X)``.

    >>> from mdtheory.distributions import copy
    >>> dual_total_correlation(copy(2, 4), logs="symbolic")
    LogSum(log(2))
    """
    dom, d, H, _, leave_one = _tc_parts(law, logs, prec)
    with dom.active():
        return sum(leave_one, dom.zero) - H * (d - 1)


def mutual_information_sum(law: Law, *, logs: str = "ball", prec: int | None = None):
    """``Σ_i I(X_i; X_{-i}) = Σ_i [H(X_i) + H(X_{-i}) - H(X)]``.

    >>> from mdtheory.distributions import parity
    >>> mutual_information_sum(parity(3), logs="symbolic")
    LogSum(3*log(2))
    """
    dom, d, H, singles, leave_one = _tc_parts(law, logs, prec)
    with dom.active():
        return sum(singles, dom.zero) + sum(leave_one, dom.zero) - H * d


# ---------------------------------------------------------------------------------------------
# information profile
# ---------------------------------------------------------------------------------------------
@dataclass
class InformationProfile:
    """Entropy curve ``h``, conditional-entropy profile ``g`` and MI profile ``f`` of a law.

    Built from a law by :func:`information_profile`, or from ``g`` values alone (closed
    forms, loss curves, dual certificates) by :meth:`from_g` / :meth:`from_increments`.
    Derived: ``δ_i = g(i) − g(i+1) ≥ 0`` (:attr:`delta`), ``TC``, ``DTC``, ``H = h(d)``.

    Attributes
    ----------
    d : int
        Number of coordinates (tokens; :attr:`N` is the same number).
    h : list, length ``d+1``
        ``h[i]`` = mean of ``H(X_S)`` over ``|S| = i``.
    g : list, length ``d``
        ``g[i] = h[i+1] - h[i]`` = mean of ``H(X_j | X_S)`` over ``|S| = i``, ``j ∉ S``.
    f : list, length ``d``
        ``f[i] = g[0] - g[i]``.
    tier : Tier
        The tier of the values: :data:`~mdtheory.logsum.SYMBOLIC` (exact LogSums),
        ``exact`` (rationals, e.g. in units of ``log q``), ``certified`` (balls), ``mp`` or ``float``.
    m : int or None
        Alphabet size of the law (None for a profile given by values).
    subset_entropies : ndarray or None
        ``H(X_S)`` by bitmask (:func:`subset_index`), when computed from a law.
    domain : LogDomain or None
        How the values were obtained from the law's tier (None for a profile given by values).
    name : str

    >>> p = InformationProfile.from_g(["3", "2", "2", 0])
    >>> p.h, p.delta, p.total_correlation, p.dual_total_correlation, p.tier
    ([0, 3, 5, 7, 7], [1, 0, 2], 5, 7, <tier exact>)
    >>> InformationProfile.from_g([1, 2])
    Traceback (most recent call last):
    ...
    mdtheory.information.InformationError: the profile g must be non-increasing, but g(0) = 1 < g(1) = 2
    """

    d: int
    h: list
    g: list
    f: list
    tier: Tier
    m: int | None = None
    subset_entropies: np.ndarray | None = field(default=None, repr=False)
    domain: LogDomain | None = field(default=None, repr=False)
    name: str = ""

    @classmethod
    def from_g(cls, g: Sequence[Any], *, tier: "Tier | str | None" = None, prec: int | None = None, name: str = "",
               check: bool = True) -> "InformationProfile":
        """The profile with conditional entropies ``g(0..N-1)``.

        ``tier`` (a Tier, a tier name or ``'symbolic'``) is inferred from the values unless
        given: LogSums → symbolic, ``arb`` balls → certified (``prec`` bits, default 128),
        mpmath numbers → mp, floats → float, rationals → exact.  ``check`` verifies that
        ``g`` is non-increasing (exactly, by enclosure, or up to ``1e-9`` for floats).

        >>> InformationProfile.from_g([0.5, 0.25]).tier, InformationProfile.from_g(["1/2", 0], tier="float").g
        (<tier float>, [0.5, 0.0])
        """
        g = list(g)
        if not g:
            raise InformationError("a profile needs at least one value g(0) (N >= 1 tokens)")
        t = _profile_tier(g, tier, prec)
        with t.active():
            g = [_to_tier(v, t) for v in g]
            if check:
                for i in range(len(g) - 1):
                    if t.compare_approx(g[i], g[i + 1], 1e-9) == -1:
                        raise InformationError(
                            f"the profile g must be non-increasing, but g({i}) = {t.format(g[i])} < "
                            f"g({i + 1}) = {t.format(g[i + 1])}"
                        )
            h = [t.zero]
            for v in g:
                h.append(h[-1] + v)
            f = [g[0] - v for v in g]
        return cls(d=len(g), h=h, g=g, f=f, tier=t, name=name)

    @classmethod
    def from_increments(cls, delta: Sequence[Any], last: Any = 0, **kw) -> "InformationProfile":
        """The profile with drops ``δ_i = g(i) − g(i+1)`` and ``g(N-1) = last`` (keywords as :meth:`from_g`).

        >>> InformationProfile.from_increments([0, 1, 0]).g
        [1, 1, 0, 0]
        """
        d = list(delta)
        g = [last]
        for x in reversed(d):
            g.append(g[-1] + x)
        return cls.from_g(g[::-1], **kw)

    @property
    def N(self) -> int:
        """Number of tokens, ``= d`` (the schedule literature's name)."""
        return self.d

    @property
    def kind(self) -> str:
        """``'exact'``, ``'enclosure'`` or ``'approximation'``."""
        return self.tier.kind

    @property
    def rigorous(self) -> bool:
        """True when the values are exact or rigorous enclosures."""
        return self.tier.rigorous

    @property
    def delta(self) -> list:
        """Drops ``δ_i = g(i) − g(i+1) ≥ 0``, ``i = 0..d-2``."""
        with self.tier.active():
            return [self.g[i] - self.g[i + 1] for i in range(self.d - 1)]

    @property
    def entropy(self):
        """``H(X) = h(d) = Σ_i g(i)``."""
        return self.h[self.d]

    @property
    def total_correlation(self):
        """``TC = Σ_j (g(0) - g(j)) = Σ_j f(j) = Σ_i δ_i (d−1−i)``."""
        return self.tier.dot(self.f, [1] * self.d)

    @property
    def dual_total_correlation(self):
        """``DTC = Σ_j (g(j) - g(d-1)) = Σ_i δ_i (i+1)``."""
        with self.tier.active():
            last = self.g[-1]
            return self.tier.dot([gj - last for gj in self.g], [1] * self.d)

    @property
    def mutual_information_sum(self):
        """``Σ_i I(X_i; X_{-i}) = d·(g(0) - g(d-1)) = TC + DTC``."""
        with self.tier.active():
            return self.tier.scale(self.g[0] - self.g[-1], self.d)

    def to_float(self) -> dict:
        """``{'h', 'g', 'f'}`` as float64 arrays (midpoints of balls)."""
        conv = self.tier.to_float
        return {k: np.array([conv(v) for v in getattr(self, k)], dtype=np.float64) for k in ("h", "g", "f")}

    def to_tier(self, tier: "Tier | str", prec: int | None = None) -> "InformationProfile":
        """The same profile in another tier: exact → certified → mp/float, never upward.

        >>> p = InformationProfile.from_g(["1/2", 0]).to_tier("certified", prec=64)
        >>> p.tier, p.g[0].contains(1) is False
        (<tier certified(prec=64)>, True)
        """
        t = _resolve_tier(tier, prec)
        if t == self.tier:
            return self
        if t.is_exact or (t.rigorous and not self.tier.rigorous):
            raise InformationError(
                f"cannot convert a {self.tier.describe()} profile to the {t.describe()} tier; recompute it in that tier"
            )
        return InformationProfile.from_g(self.g, tier=t, name=self.name, check=False)

    def describe(self) -> str:
        """The number domain in words (e.g. ``'exact LogSum of exact-tier values'``)."""
        return self.domain.describe() if self.domain is not None else self.tier.describe()

    def format(self) -> str:
        """A small text table of ``i, h(i), g(i), f(i)``, naming the number domain."""
        fmt = self.tier.format
        head = f"m={self.m}, d={self.d}" if self.m is not None else f"d={self.d}"
        lines = [f"information profile ({head}; {self.describe()})", "i\th(i)\tg(i)\tf(i)"]
        for i in range(self.d + 1):
            row = [str(i), fmt(self.h[i])]
            if i < self.d:
                row += [fmt(self.g[i]), fmt(self.f[i])]
            lines.append("\t".join(row))
        return "\n".join(lines)


def _resolve_tier(tier, prec) -> Tier:
    if isinstance(tier, str) and tier == "symbolic":
        return SYMBOLIC
    return get_tier(tier, prec) if not isinstance(tier, Tier) or prec is not None else tier


def _profile_tier(values: list, tier, prec) -> Tier:
    if tier is not None:
        return _resolve_tier(tier, prec)
    if any(isinstance(v, LogSum) for v in values):
        return SYMBOLIC
    if any(isinstance(v, arb) for v in values):
        return get_tier("certified", prec)
    if any(hasattr(v, "_mpf_") and not isinstance(v, (float, np.floating)) for v in values):
        return get_tier("mp", prec)
    if any(isinstance(v, (float, np.floating)) for v in values):
        return get_tier("float")
    return get_tier("exact")


def _to_tier(x, t: Tier):
    """A profile value in tier ``t`` (LogSums are enclosed at the tier's precision)."""
    try:
        if isinstance(x, LogSum) and t is not SYMBOLIC:
            if t.is_exact:
                raise InformationError(f"the exact tier holds rationals, not the log sum {x!r}; use tier='symbolic'")
            x = x.enclose(getattr(t, "prec", 128))
        elif isinstance(x, (float, np.floating)) and t.rigorous:
            raise InformationError(f"a float carries no error bound; it cannot enter a {t.describe()} profile")
        return t.scalar(x)
    except TierError as e:
        raise InformationError(f"cannot read the profile value {x!r} in the {t.describe()} tier: {e}") from None


def information_profile(law: Law, *, logs: str = "ball", prec: int | None = None) -> InformationProfile:
    """The information profile ``(h, g, f)`` of a law on ``Z_m^d`` from all subset entropies.

    Cost: one :func:`partial_marginal_table` plus one pass, ``O(d·(m+1)^d)``.

    >>> from mdtheory.distributions import parity
    >>> prof = information_profile(parity(3), logs="symbolic")
    >>> prof.g, prof.f[2]
    ([LogSum(log(2)), LogSum(log(2)), LogSum(0)], LogSum(log(2)))
    >>> prof.tier, prof.describe()
    (<tier symbolic>, 'exact LogSum of exact-tier values')
    >>> information_profile(parity(3).to_tier("float")).to_float()["g"].round(6)
    array([0.693147, 0.693147, 0.      ])
    """
    probs, m, d, t = _data(law)
    dom = log_domain(t, logs, prec)
    H = _subset_entropies(law, dom)
    sizes = np.array([bin(s).count("1") for s in range(1 << d)])
    with dom.active():
        if t.is_float:
            sums = np.bincount(sizes, weights=H.astype(np.float64), minlength=d + 1)
            h = [float(sums[i] / math.comb(d, i)) for i in range(d + 1)]
        else:
            buckets: list[list] = [[] for _ in range(d + 1)]
            for s, v in enumerate(H):
                buckets[sizes[s]].append(v)
            tt = dom.tier
            h = [tt.scale(tt.dot(buckets[i], [1] * len(buckets[i])), fmpq(1, math.comb(d, i))) for i in range(d + 1)]
        g = [h[i + 1] - h[i] for i in range(d)]
        f = [g[0] - g[i] for i in range(d)]
    return InformationProfile(d=d, h=h, g=g, f=f, tier=dom.tier, m=m, subset_entropies=H, domain=dom)


# ---------------------------------------------------------------------------------------------
# conditional laws
# ---------------------------------------------------------------------------------------------
@dataclass
class Conditional:
    """Conditional law ``p(x_j | x_S)`` for every context, with its off-support bookkeeping.

    Attributes
    ----------
    probs : ndarray
        ``given`` set: shape ``(m,)*|S| + (m,)``, context axes in the order of
        ``given``, last axis ``x_j``.  ``given=None`` (all contexts at once):
        shape ``(m+1,)*d`` with axis ``j`` of length ``m`` holding ``x_j`` and
        the mask symbol ``m`` on the other axes meaning "not conditioned on".
    off_support : ndarray of bool
        Contexts with ``P(X_S = x_S) = 0`` (0/0): same shape as ``probs`` with
        the ``x_j`` axis dropped.  Their rows follow ``convention``.
    convention : str
        ``'uniform'`` (1/m each), ``'marginal'`` (the law of ``X_j``),
        ``'zero'`` (all 0: rows sum to 0 — callers must handle them).
    tier : Tier
        The law's tier (the entries of ``probs``).

    >>> from mdtheory.distributions import parity
    >>> c = conditional(parity(2), 1, given=[0])
    >>> c.probs.tolist(), c.n_off_support, c.tier
    ([[1, 0], [0, 1]], 0, <tier exact>)
    """

    target: int
    given: tuple | None
    probs: np.ndarray
    off_support: np.ndarray
    convention: str
    tier: Tier

    @property
    def n_off_support(self) -> int:
        """Number of off-support contexts (0/0) that the convention filled."""
        return int(np.count_nonzero(self.off_support))


def conditional(law: Law, target: int, given: Iterable[int] | None = None, *, off_support: str = "uniform") -> Conditional:
    """``p(x_j | x_S)``, exact in the law's tier, with a stated off-support convention.

    Where the context has probability 0 the conditional is 0/0.  It is then
    filled by ``off_support``: ``'uniform'`` (default), ``'marginal'`` (the
    law of ``X_j``), ``'zero'`` (an all-zero row, so callers see the missing
    mass), or ``'raise'``.  No NaN is ever produced; ``Conditional.off_support``
    flags the filled contexts.

    >>> from mdtheory.distributions import parity
    >>> c = conditional(parity(3), 2, given=[0, 1])
    >>> c.probs[1, 0].tolist(), c.n_off_support
    ([0, 1], 0)
    >>> from mdtheory.distributions import copy
    >>> c = conditional(copy(2, 2), 1, given=[0], off_support="zero")
    >>> c.probs.tolist()
    [[1, 0], [0, 1]]
    >>> c = conditional(copy(2, 3), 2)   # all contexts: axes 0, 1 in {0, 1, mask}
    >>> c.probs[0, 1].tolist(), bool(c.off_support[0, 1]), c.probs[2, 2].tolist()
    ([1/2, 1/2], True, [1/2, 1/2])
    """
    probs, m, d, t = _data(law)
    if off_support not in OFF_SUPPORT_CONVENTIONS:
        raise InformationError(f"off_support={off_support!r} is not a convention; choose one of {', '.join(OFF_SUPPORT_CONVENTIONS)}")
    (j,) = _coords([target], d, "target")
    with t.active():
        if given is None:
            table = partial_marginal_table(law)
            idx = [slice(None)] * d
            idx[j] = slice(0, m)
            num = table[tuple(idx)]
            idx[j] = slice(m, m + 1)
            den = table[tuple(idx)]
            axis = j
            given_t = None
        else:
            S = _coords(given, d, "given")
            if j in S:
                raise InformationError(f"target {j} is in given {S}; condition on other coordinates")
            num = _marginal_array(probs, S + (j,), t)
            den = num.sum(axis=-1, keepdims=True)
            axis = num.ndim - 1
            given_t = S
        zero = _zero_mask(den, t)
        if off_support == "raise" and zero.any():
            raise InformationError(
                f"{int(zero.sum())} contexts have probability 0, where p(x_{j} | x_S) is 0/0; "
                "pick off_support='uniform', 'marginal' or 'zero'"
            )
        safe = den.copy()
        safe[zero] = t.one
        out = num / safe
        if zero.any():
            if off_support == "uniform":
                fill = [t.one / t.scalar(m)] * m
            elif off_support == "marginal":
                fill = list(_marginal_array(probs, (j,), t))
            else:
                fill = [t.zero] * m
            fill_arr = np.empty(m, dtype=out.dtype)
            fill_arr[:] = fill
            shape = [1] * out.ndim
            shape[axis] = m
            out = np.where(zero, fill_arr.reshape(shape), out)
            if out.dtype != object and t.dtype is object:  # pragma: no cover - defensive
                out = out.astype(object)
    return Conditional(
        target=j,
        given=given_t,
        probs=out,
        off_support=np.squeeze(zero, axis=axis),
        convention=off_support,
        tier=t,
    )


def _zero_mask(arr: np.ndarray, t: Tier) -> np.ndarray:
    try:
        return t.zero_mask(arr, undecided=None)
    except TierError:
        raise TierError(
            "a context probability is a ball containing 0, so p(x_j | x_S) is undecided; raise the precision"
        ) from None
