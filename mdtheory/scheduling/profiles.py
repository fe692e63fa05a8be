"""Profiles and costs: closed-form information profiles, block costs and the expected KL over orders.

A schedule's cost depends on the law only through its information profile
(:class:`~mdtheory.information.InformationProfile`: ``h``, ``g``, ``δ``); see the package
docstring of :mod:`mdtheory.scheduling` for the model.  Profile values live in one tier:
:data:`~mdtheory.logsum.SYMBOLIC` (exact LogSums), ``exact`` (rationals, e.g. in units of
``log q``), ``certified`` (balls), ``mp`` or ``float`` (approximate, never *proved*).

>>> from mdtheory.scheduling import profile_closed_form, expected_kl
>>> p = profile_closed_form("mds", q=5, n=6, k=2, logs="symbolic")
>>> expected_kl(p, (3, 3))          # δ_1 = log 5 meets w_1 = 1
LogSum(log(5))
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Iterator

import numpy as np
from flint import fmpq

from ..information import InformationProfile, information_profile
from ..laws import Law
from ..logsum import SYMBOLIC
from ..size_laws import _pos_int, _prob, as_size_law
from ..tiers import MdtheoryError, Tier, get_tier

__all__ = [
    "SchedulingError",
    "as_profile",
    "profile_closed_form",
    "CLOSED_FORM_FAMILIES",
    "weights",
    "block_cost",
    "expected_kl",
    "expected_kl_forms",
]

_MAX_ENUM = 2_000_000


class SchedulingError(MdtheoryError):
    """Invalid schedule request, profile family or optimisation parameters.

    >>> profile_closed_form("ising", n=3)
    Traceback (most recent call last):
    ...
    mdtheory.scheduling.SchedulingError: unknown family 'ising'; choose one of uniform, product, copy, parity, sum_mod, mds, markov, exchangeable, noisy_copy
    """

    __module__ = "mdtheory.scheduling"  # raised and documented as mdtheory.scheduling.SchedulingError


def as_profile(obj: Any, *, logs: str | None = None, prec: int | None = None) -> InformationProfile:
    """Read an :class:`~mdtheory.information.InformationProfile` from a profile, a
    :class:`~mdtheory.laws.Law` (its profile is computed: ``logs='symbolic'`` by default for
    exact laws, ``'ball'`` otherwise) or a sequence of ``g`` values
    (:meth:`~mdtheory.information.InformationProfile.from_g`).

    >>> from mdtheory.distributions import parity
    >>> as_profile(parity(3)).g
    [LogSum(log(2)), LogSum(log(2)), LogSum(0)]
    >>> as_profile([3, 1, 0]).delta
    [2, 1]
    """
    if isinstance(obj, InformationProfile):
        return obj
    if isinstance(obj, Law):
        if logs is None:
            logs = "symbolic" if obj.tier.is_exact else "ball"
        return information_profile(obj, logs=logs, prec=prec)
    if isinstance(obj, (str, bytes)) or not isinstance(obj, Iterable):
        raise SchedulingError(f"cannot read a profile from {type(obj).__name__}; pass a Law, an InformationProfile or g values")
    return InformationProfile.from_g(list(obj), prec=prec)


# ---------------------------------------------------------------------------------------------
# closed-form profiles of test families (any N)
# ---------------------------------------------------------------------------------------------
#: families served by :func:`profile_closed_form`
CLOSED_FORM_FAMILIES = ("uniform", "product", "copy", "parity", "sum_mod", "mds", "markov", "exchangeable", "noisy_copy")
_LOG_MODES = ("symbolic", "ball", "float")


def _logs_tier(logs: str, prec: int | None) -> Tier:
    if logs not in _LOG_MODES:
        raise SchedulingError(f"logs={logs!r} is not a mode; choose 'symbolic' (exact LogSum), 'ball' or 'float'")
    if logs == "symbolic":
        return SYMBOLIC
    return get_tier("certified", prec) if logs == "ball" else get_tier("float")


def _neg_xlogx(T: Tier, p: fmpq):
    """``−p·log p`` of an exact probability, in the tier."""
    if p == 0 or p == 1:
        return T.zero
    return -T.scale(T.log_rational(p), p)


def _binary_entropy(T: Tier, p: fmpq):
    with T.active():
        return _neg_xlogx(T, p) + _neg_xlogx(T, 1 - p)


def profile_closed_form(family: str, *, logs: str = "ball", prec: int | None = None, **params) -> InformationProfile:
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
    T = _logs_tier(logs, prec)
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

    with T.active():
        if fam == "uniform":
            need("m", "n")
            m, n = _pos_int(params["m"], "m", 2, SchedulingError), _pos_int(params["n"], "n", error=SchedulingError)
            g = [T.log_rational(m)] * n
        elif fam == "product":
            need("marginals")
            margs = [[_prob(x, "marginal entry", SchedulingError) for x in row] for row in params["marginals"]]
            if not margs:
                raise SchedulingError("product needs at least one marginal")
            for row in margs:
                if sum(row, fmpq(0)) != 1:
                    raise SchedulingError(f"a marginal sums to {sum(row, fmpq(0))}, not 1")
            tot = T.zero
            for row in margs:
                for p in row:
                    tot = tot + _neg_xlogx(T, p)
            g = [T.scale(tot, fmpq(1, len(margs)))] * len(margs)
        elif fam == "copy":
            need("m", "n")
            m, n = _pos_int(params["m"], "m", 2, SchedulingError), _pos_int(params["n"], "n", error=SchedulingError)
            g = [T.log_rational(m)] + [T.zero] * (n - 1)
        elif fam in ("parity", "sum_mod"):
            if fam == "parity":
                need("n")
                m = 2
            else:
                need("m", "n")
                m = _pos_int(params["m"], "m", 2, SchedulingError)
            n = _pos_int(params["n"], "n", error=SchedulingError)
            g = [T.log_rational(m)] * (n - 1) + [T.zero]
        elif fam == "mds":
            need("q", "n", "k")
            q, n, k = _pos_int(params["q"], "q", 2, SchedulingError), _pos_int(params["n"], "n", error=SchedulingError), _pos_int(params["k"], "k", error=SchedulingError)
            if k > n:
                raise SchedulingError(f"mds needs 1 <= k <= n, got k={k}, n={n}")
            g = [T.log_rational(q)] * k + [T.zero] * (n - k)
        elif fam == "markov":
            need("n", "flip")
            g = _markov_profile(T, _pos_int(params["n"], "n", error=SchedulingError), _prob(params["flip"], "flip", SchedulingError))
        elif fam in ("exchangeable", "noisy_copy"):
            if fam == "noisy_copy":
                need("n", "eta")
                eta = _prob(params["eta"], "eta", SchedulingError)
                ws, thetas = [fmpq(1, 2)] * 2, [[1 - eta, eta], [eta, 1 - eta]]
            else:
                need("n", "weights", "thetas")
                ws = [_prob(x, "weight", SchedulingError) for x in params["weights"]]
                thetas = []
                for th in params["thetas"]:
                    if isinstance(th, (list, tuple, np.ndarray)):
                        row = [_prob(x, "theta entry", SchedulingError) for x in th]
                    else:
                        p1 = _prob(th, "theta", SchedulingError)
                        row = [1 - p1, p1]
                    if sum(row, fmpq(0)) != 1:
                        raise SchedulingError(f"theta {list(map(str, row))} does not sum to 1")
                    thetas.append(row)
                if len(ws) != len(thetas) or not ws or sum(ws, fmpq(0)) != 1:
                    raise SchedulingError("exchangeable needs as many weights as thetas, summing to 1")
                if len({len(r) for r in thetas}) != 1 or len(thetas[0]) < 2:
                    raise SchedulingError("exchangeable needs thetas over one alphabet of m >= 2 symbols")
            g = _exchangeable_profile(T, _pos_int(params["n"], "n", error=SchedulingError), ws, thetas)
        else:
            raise SchedulingError(f"unknown family {family!r}; choose one of {', '.join(CLOSED_FORM_FAMILIES)}")
    return InformationProfile.from_g(g, tier=T, name=name, check=False)


def _markov_profile(T: Tier, n: int, eps: fmpq) -> list:
    r = 1 - 2 * eps
    if T.is_float:
        return _markov_profile_float(n, float(eps))
    eta = [T.zero] + [_binary_entropy(T, (1 - r**a) / 2) for a in range(1, n)]  # η(ε_a), a = 1..n-1
    prefix = [T.zero]
    for a in range(1, n):
        prefix.append(prefix[-1] + eta[a])  # prefix[s] = Σ_{a≤s} η(ε_a)
    two = {s: T.scale(prefix[s - 1], 2) - T.scale(eta[s], s - 1) for s in range(2, n)}
    g = [T.log_rational(2)]
    for i in range(1, n):
        tot = T.zero
        for a in range(1, n):
            c = math.comb(n - a, i)
            if c:
                tot = tot + T.scale(eta[a], 2 * c)
        if i >= 2:
            for s in range(2, n):
                c = (n - s) * math.comb(n - 1 - s, i - 2)
                if c:
                    tot = tot + T.scale(two[s], c)
        g.append(T.scale(tot, fmpq(1, n * math.comb(n - 1, i))))
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


def _exchangeable_profile(T: Tier, n: int, ws: list, thetas: list) -> list:
    m = len(thetas[0])
    n_types = math.comb(n + m - 1, m - 1)
    if n_types * n > _MAX_ENUM * 10:
        raise SchedulingError(f"exchangeable profile with m={m}, n={n} needs {n_types} count vectors per level; reduce n or m")
    if T.is_float:
        return _exchangeable_profile_float(n, ws, thetas)
    h = [T.zero]
    for i in range(1, n + 1):
        tot = T.zero
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
                tot = tot + T.scale(_neg_xlogx(T, p), mult)
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
# expected KL over orders
# ---------------------------------------------------------------------------------------------
def weights(schedule: Any) -> list:
    """The weight vector ``w_i`` (``i = 0..N-2``) of a schedule or size law, exact.

    For a fixed schedule, ``w_i = b − 1 − i`` where ``[a, b)`` is the step containing reveal
    rank ``i``; for a size law, its expectation.  ``E_σ KL = Σ_i δ_i·w_i``.

    >>> weights((1, 1, 1)), weights((3,))
    ([0, 0], [2, 1])
    """
    return as_size_law(schedule).w


def block_cost(profile: Any, a: int, b: int):
    """Expected conditional TC of one step revealing ranks ``a..b-1``:
    ``c(a, b) = (b−a)·g(a) − (h(b) − h(a)) = Σ_{i=a}^{b-2} δ_i·(b−1−i)``.

    >>> block_cost([2, 1, 0], 0, 3)     # 3·2 − 3
    3
    """
    p = as_profile(profile)
    if not (isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= p.N):
        raise SchedulingError(f"a block is a range 0 <= a < b <= N={p.N}, got a={a!r}, b={b!r}")
    with p.tier.active():
        return p.g[a] * (b - a) - (p.h[b] - p.h[a])


def expected_kl(profile: Any, schedule: Any):
    """**Expected KL over random orders** ``E_σ KL(π‖q_σ) = Σ_i δ_i·w_i`` of the factorized
    sampler with the given schedule (sizes, ``{sizes: prob}`` or :class:`~mdtheory.size_laws.SizeLaw`).

    This is *not* the KL of the sampler's output law (the mixture ``q̄`` over orders); by
    convexity ``KL(π‖q̄) ≤`` this value.  Returned in the profile's tier.

    >>> from mdtheory.scheduling import profile_closed_form
    >>> p = profile_closed_form("copy", m=2, n=4, logs="symbolic")
    >>> expected_kl(p, (3, 1)), expected_kl(p, {(3, 1): "1/2", (1, 3): "1/2"})
    (LogSum(2*log(2)), LogSum(log(2)))
    """
    p = as_profile(profile)
    law = as_size_law(schedule, p.N)
    return p.tier.dot(p.delta, law.w)


def expected_kl_forms(profile: Any, schedule: Any) -> dict:
    """The expected KL over orders written five ways (notes LZ P3 and ZC I4); all are equal.

    With block marginals ``x_{ab}`` (for a fixed schedule, the blocks ``[s_{t−1}, s_t)``):

    * ``'blocks_f'``:  ``Σ x_{ab} Σ_{i=a}^{b−1} [f(i) − f(a)]``;
    * ``'riemann'``:   ``Σ x_{ab} (b−a)·g(a) − H`` (left Riemann sum of ``g`` minus its integral);
    * ``'f_total'``:   ``Σ_{i<N} f(i) − Σ x_{ab} (b−a)·f(a)``;
    * ``'h_chords'``:  ``Σ x_{ab} [(b−a)(h(a+1) − h(a)) − (h(b) − h(a))]``;
    * ``'delta_w'``:   ``Σ_i δ_i·w_i``.

    >>> forms = expected_kl_forms([3, 1, 1, 0], (2, 2))
    >>> sorted(set(forms.values()))
    [3]
    """
    p = as_profile(profile)
    law = as_size_law(schedule, p.N)
    T = p.tier
    g, h, f = p.g, p.h, p.f
    with T.active():
        items = list(law.blocks.items())
        blocks_f = T.dot([_sum(T, (f[i] - f[a] for i in range(a, b))) for (a, b), _ in items], [x for _, x in items])
        riemann = T.dot([g[a] for (a, b), _ in items], [x * (b - a) for (a, b), x in items]) - h[-1]
        f_total = _sum(T, f) - T.dot([f[a] for (a, b), _ in items], [x * (b - a) for (a, b), x in items])
        chords = T.dot([(h[a + 1] - h[a]) * (b - a) - (h[b] - h[a]) for (a, b), _ in items], [x for _, x in items])
    return {"blocks_f": blocks_f, "riemann": riemann, "f_total": f_total, "h_chords": chords,
            "delta_w": T.dot(p.delta, law.w)}


def _sum(T: Tier, values: Iterable):
    """``Σ values`` in the tier."""
    vs = list(values)
    return T.dot(vs, [1] * len(vs))
