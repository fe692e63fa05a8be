"""Profiles of reference samplers: the profile object, its registry and the engines the code bases share."""

from __future__ import annotations

import functools
import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import numpy as np
from flint import arb, fmpq

from ...laws import Law
from ...logsum import LogSum
from ...masked_scores import MaskedEstimator
from ...tiers import MdtheoryError, NotExactError, Tier, as_fraction, get_tier
from .._masked_core import SamplerError, SamplerResult, initial_array, per_token_step


class ProfileError(SamplerError, MdtheoryError):
    """Unknown profile or an option the profile does not support (a SamplerError and an MdtheoryError).

    >>> from mdtheory.samplers import profiles
    >>> profiles.get("bd3lm.fhs").run(None, 0)
    Traceback (most recent call last):
    ...
    mdtheory.samplers.profiles.ProfileError: bd3lm.fhs: steps must be a positive integer, got 0
    """


DREAM_ENTROPY_EPS = Fraction(1, 10**10)  # Dream's log(probs + 1e-10) in the entropy confidence


def grid_times(start, end, n_points: int) -> list[Fraction]:
    """``linspace(start, end, n_points)`` in exact rationals.

    >>> [str(x) for x in grid_times(1, "1/100", 3)]
    ['1', '101/200', '1/100']
    """
    a, b = as_fraction(start), as_fraction(end)
    n = int(n_points)
    if n < 1:
        raise ProfileError(f"a grid needs at least one point, got {n_points}")
    if n == 1:
        return [a]
    return [a + (b - a) * i / (n - 1) for i in range(n)]


def _float(v) -> float:
    if v is math.inf:
        return math.inf
    if isinstance(v, arb):
        return float(v.mid())
    if isinstance(v, fmpq):
        return int(v.p) / int(v.q)
    return float(v)


# ---------------------------------------------------------------------------------------------
# the profile object and registry
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    """One reference sampler: metadata and the exact-law runner.

    Attributes name the code base's conventions; :meth:`run` computes the exact output law.
    ``nfe(steps, d)`` is the number of model evaluations of one run (``None`` when it is
    random: then ``run(...).info['nfe']`` holds its exact expectation).

    >>> from mdtheory.samplers import profiles
    >>> p = profiles.get("bd3lm.fhs")
    >>> p.codebase, p.nfe(4, 2), p.metadata()["options"]
    ('kuleshov-group/bd3lms@1c3e8f4', 2, {'block_size': None})
    """

    name: str
    codebase: str
    source: str
    schedule: str
    grid: str
    rule: str
    counts: str
    final: str
    gumbel: str
    temperature: str
    time_conditioning: str
    notes: str
    options: dict
    _run: Callable = field(repr=False, compare=False)
    _nfe: Callable = field(repr=False, compare=False)
    tier_default: str = "exact"

    def run(self, law: Law, steps: int, estimator: MaskedEstimator | None = None, *, tier=None, prec=None,
            **options) -> SamplerResult:
        """Exact output law of one run with ``steps`` (the code's step argument).

        ``options`` override :attr:`options` (e.g. ``temperature``, ``block_length``, ``ties``).
        The result's ``info`` holds ``profile``, ``nfe``, ``steps`` and the per-step details.

        >>> from mdtheory.distributions import copy_pairs
        >>> r = get("llada.random").run(copy_pairs(2, 2), 2)
        >>> r.tv(), r.info["nfe"], r.info["profile"]
        (0, 2, 'llada.random')
        """
        if int(steps) != steps or steps < 1:
            raise ProfileError(f"{self.name}: steps must be a positive integer, got {steps!r}")
        bad = set(options) - set(self.options)
        if bad:
            raise ProfileError(f"{self.name} has no option {sorted(bad)[0]!r}; its options are "
                               f"{', '.join(sorted(self.options)) or 'none'}")
        opts = {**self.options, **options}
        if tier is None and self.tier_default != "exact" and law.tier.is_exact:
            tier = self.tier_default
        t0 = time.perf_counter()
        res = self._run(law, int(steps), estimator, tier, prec, opts)
        res.info.setdefault("profile", self.name)
        res.info["steps"] = int(steps)
        res.info["options"] = {k: (str(v) if isinstance(v, Fraction) else v) for k, v in opts.items()}
        res.info["seconds"] = time.perf_counter() - t0
        res.sampler = self.name
        return res

    def nfe(self, steps: int, d: int, **options):
        """Model evaluations of one run (``None`` when random; the run reports its mean)."""
        return self._nfe(int(steps), int(d), {**self.options, **options})

    def metadata(self) -> dict:
        """The profile's conventions as a JSON-able dict."""
        return {k: (v if not isinstance(v, dict) else {a: str(b) if isinstance(b, Fraction) else b
                                                         for a, b in v.items()})
                for k, v in self.__dict__.items() if not k.startswith("_")}


_REGISTRY: dict[str, Profile] = {}


def register(p: Profile) -> Profile:
    _REGISTRY[p.name] = p
    return p


def names() -> list[str]:
    """Names of all profiles, in the order of the conventions note.

    >>> names()[:3]
    ['mdlm.ddpm', 'mdlm.ddpm_cache', 'sedd.euler']
    """
    return list(_REGISTRY)


def get(name: str) -> Profile:
    """The profile called ``name``.

    >>> get("sedd.analytic").final[:17]
    'Denoiser: sample '
    >>> get("sedd.eular")
    Traceback (most recent call last):
    ...
    mdtheory.samplers.profiles.ProfileError: unknown profile 'sedd.eular'; did you mean 'sedd.euler'? (see profiles.names())
    """
    if name in _REGISTRY:
        return _REGISTRY[name]
    import difflib

    hint = difflib.get_close_matches(str(name), list(_REGISTRY), 1)
    extra = f"; did you mean {hint[0]!r}?" if hint else ""
    raise ProfileError(f"unknown profile {name!r}{extra} (see profiles.names())")


def run(name: str, law: Law, steps: int, estimator: MaskedEstimator | None = None, **kw) -> SamplerResult:
    """``get(name).run(law, steps, estimator, **kw)``.

    >>> from mdtheory.distributions import copy_pairs
    >>> run("dream.origin", copy_pairs(2, 2), 1).tv()         # one step reveals both tokens independently
    1/2
    """
    return get(name).run(law, steps, estimator, **kw)


# ---------------------------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------------------------
def _ctx_vec(G: np.ndarray, x: tuple, j: int) -> np.ndarray:
    """The vector ``G_j(· | x)`` of a conditional table at masked-space state ``x``."""
    return G[x[:j] + (slice(None),) + x[j + 1:]]


def _stack(move: np.ndarray, stay: np.ndarray, j: int) -> np.ndarray:
    return np.concatenate([np.asarray(move), np.asarray(stay)], axis=j)


def _ctx_zeros(g: np.ndarray, j: int, t: Tier) -> np.ndarray:
    shape = list(g.shape)
    shape[j] = 1
    return t.zeros(tuple(shape))


def _argmax_index(vec, t: Tier) -> int:
    """First index of the maximum (``torch.argmax``), decided exactly."""
    best = 0
    for a in range(1, len(vec)):
        c = t.compare(vec[a], vec[best])
        if c is None:
            raise SamplerError("an argmax is undecided (overlapping balls); use the exact tier or raise prec")
        if c == 1:
            best = a
    return best


def _map_rows(G: np.ndarray, j: int, fn) -> np.ndarray:
    """Apply ``fn(vector) -> vector`` to every context row of table ``G`` (axis ``j``)."""
    A = np.moveaxis(G, j, -1)
    out = np.empty(A.shape, dtype=A.dtype)
    for idx in np.ndindex(*A.shape[:-1]):
        out[idx] = fn(A[idx])
    return np.moveaxis(out, -1, j)


def _normalize(vec, t: Tier, m: int):
    s = t.total(vec) if t.dtype is object else float(np.sum(vec))
    if t.is_zero(s) is True:
        return t.array([Fraction(1, m)] * m) if t.dtype is object else np.full(m, 1.0 / m)
    return np.asarray(vec) / s


def _temper(vec, temperature: Fraction, t: Tier, m: int):
    """``softmax(log ĝ / τ)`` = ``ĝ^{1/τ}`` normalised; ``τ = 0``: one-hot argmax (first index)."""
    p = _normalize(vec, t, m)
    if temperature == 0:
        out = t.zeros((m,))
        out[_argmax_index(p, t)] = t.one
        return out
    if temperature == 1:
        return p
    inv = 1 / temperature
    if inv.denominator == 1:
        powed = np.array([x ** int(inv) for x in p], dtype=p.dtype)
    else:  # p^(1/τ) = exp(log(p)/τ): irrational in general (the exact tier raises NotExactError)
        with t.active():
            e = t.scalar(inv)
            powed = np.array([x if t.is_zero(x) is True else t.exp(t.log(x) * e) for x in p], dtype=p.dtype)
    return _normalize(powed, t, m)


def _filter_top(vec, t: Tier, top_k, top_p, m: int):
    """Dream's ``top_p_logits`` then ``top_k_logits`` on a probability vector (removed → 0, renormalised)."""
    p = np.asarray(vec).copy()
    if top_p is not None and as_fraction(top_p) < 1:
        tp = t.scalar(as_fraction(top_p))
        order = sorted(range(m), key=functools.cmp_to_key(lambda a, b: -_cmp(t, p[a], p[b]) or (a - b)))
        cum, remove = t.zero, []
        for r, a in enumerate(order):
            cum = cum + p[a]
            remove.append(t.compare(cum, tp) == 1)
        remove = [False] + remove[:-1]  # shift right: keep the first token above the threshold
        for r, a in enumerate(order):
            if remove[r]:
                p[a] = t.zero
        p = _normalize(p, t, m)
    if top_k is not None:
        k = min(int(top_k), m)
        kth = sorted(p, key=functools.cmp_to_key(lambda a, b: -_cmp(t, a, b)))[k - 1]
        p = np.array([x if t.compare(x, kth) != -1 else t.zero for x in p], dtype=p.dtype)
        p = _normalize(p, t, m)
    return p


def _cmp(t: Tier, a, b) -> int:
    if isinstance(a, LogSum):
        return (a > b) - (a < b)
    c = t.compare(a, b)
    if c is None:
        raise SamplerError("two confidences overlap as balls; compute them in the exact tier or raise prec")
    return c


def _token_tables(est: MaskedEstimator, t: Tier, alpha, temperature, top_k=None, top_p=None) -> list:
    """Per-position tables of the token law a profile draws from (tempered, filtered, normalised)."""
    m, d = est.m, est.d
    G = est.tables(t, alpha) if est.time_dependent else est.tables(t)
    temp = as_fraction(temperature)
    if temp < 0:
        raise ProfileError(f"temperature must be >= 0, got {temp}")
    out = []
    for j in range(d):
        def fn(v, temp=temp):
            q = _temper(v, temp, t, m)
            if top_k is not None or (top_p is not None and as_fraction(top_p) < 1):
                q = _filter_top(q, t, top_k, top_p, m)
            return q

        out.append(_map_rows(G[j], j, fn))
    return out


def _final_tables(est: MaskedEstimator, t: Tier, alpha, how: str) -> list:
    """``'argmax'`` (one-hot, first index) or ``'sample'`` (normalised ``ĝ``) per position."""
    return _token_tables(est, t, alpha, 0 if how == "argmax" else 1)


def _fill_masks(P: np.ndarray, tabs: list, m: int, d: int, t: Tier) -> np.ndarray:
    """Every remaining mask independently takes a value from ``tabs[j](·|x)`` (the final step)."""
    W = [_stack(g, _ctx_zeros(g, j, t), j) for j, g in enumerate(tabs)]
    return per_token_step(P, m, d, t, W)


def _check_time_agnostic(est: MaskedEstimator, name: str):
    if est.time_dependent:
        raise ProfileError(f"{name} evaluates a time-agnostic network (no time input in the code); "
                           "pass a time-agnostic estimator")


def _masked_count_mass(P: np.ndarray, m: int, d: int, t: Tier) -> list:
    """Mass of states with exactly ``n`` masks, ``n = 0..d``."""
    out = [t.zero] * (d + 1)
    for U in range(1 << d):
        sl = tuple(slice(0, m) if U >> i & 1 else m for i in range(d))
        B = P[sl + (Ellipsis,)]
        tot = t.total(B) if t.dtype is object else float(np.sum(B))
        out[d - bin(U).count("1")] = out[d - bin(U).count("1")] + tot
    return out


# ---------------------------------------------------------------------------------------------
# per-token independent grid steps (MDLM, SEDD, Dream origin)
# ---------------------------------------------------------------------------------------------
_U_CACHE: dict = {}


def _is_normalized(est: MaskedEstimator, t: Tier) -> bool:
    """Do all rows of ``ĝ`` sum to 1 (then unmask probabilities are context-free scalars)?"""
    if est.time_dependent:
        return False
    for j, G in enumerate(est.tables(t)):
        s = G.sum(axis=j)
        if any(t.compare_approx(v, t.one, 1e-15) != 0 for v in s.reshape(-1)):
            return False
    return True


def _reveal_powers(law: Law, est: MaskedEstimator, estimator, t: Tier, m: int, d: int) -> list:
    """``u_r = B^r δ_MASK`` for ``r = 0..d``, ``B`` = "reveal a non-empty set, values ⊗ p̂_j(·|x_U)".

    For a grid sampler that unmasks each token w.p. ``1 − t_{k+1}/t_k`` on a grid with constant
    spacing ``Δ`` (values from the normalised ``p̂``), one step is ``T = Σ_A Δ^{|A|}⊗_A p̂`` after
    the rescaling ``P_k(y) = t_k^{n(y)} R_k(y)`` (the stay factors telescope), so
    ``P_N(y) = t_N^{n(y)}·Δ^{d−n(y)}·Σ_r C(N, r)·u_r(y)`` (``B`` is nilpotent: ``d`` applications
    for any ``N``).  Cached per (law, estimator, tier).
    """
    key = (id(law), id(estimator), t.describe())
    hit = _U_CACHE.get(key)
    if hit is not None and hit[0] is law and hit[1] is estimator:
        return hit[2]
    Gn, _ = est.normalized_tables(t)
    W = [_stack(g, _ctx_zeros(g, j, t) + t.one, j) for j, g in enumerate(Gn)]
    u = [initial_array(law, "all_mask", t)]
    for _ in range(d):
        nxt = per_token_step(u[-1], m, d, t, W) - u[-1]
        u.append(nxt)
    if len(_U_CACHE) > 8:
        _U_CACHE.clear()
    _U_CACHE[key] = (law, estimator, u)
    return u


def _telescoped(law, est, estimator, t: Tier, m: int, d: int, n_steps: int, delta: Fraction, t_end: Fraction):
    """``P`` after ``n_steps`` uniform-``Δ`` steps from ``t_0 = 1`` to ``t_end`` (see :func:`_reveal_powers`)."""
    u = _reveal_powers(law, est, estimator, t, m, d)
    R = u[0] * t.scalar(1)
    for r in range(1, d + 1):
        if math.comb(n_steps, r) == 0:
            break
        R = R + u[r] * t.scalar(math.comb(n_steps, r))
    scale = None
    vec = t.array([delta] * m + [t_end]) if t.dtype is object else np.array([float(delta)] * m + [float(t_end)])
    for j in range(d):
        scale = vec if scale is None else np.multiply.outer(scale, vec)
    return R * scale


# ---------------------------------------------------------------------------------------------
# the per-context engine (subset selection that depends on the context or on the draws)
# ---------------------------------------------------------------------------------------------
def _context_step(P: np.ndarray, m: int, d: int, t: Tier, Q: list, plan) -> np.ndarray:
    """One step: for each state ``x`` with mass, ``plan(x) -> [(A, w, y_A or None)]``.

    ``y_A`` given: the positions ``A`` take these values with probability ``w``; ``None``:
    they take independent values from the token tables ``Q`` (probability ``w`` for ``A``).
    """
    out = t.zeros(P.shape)
    flat = P.reshape(-1)
    for idx, x in enumerate(itertools.product(range(m + 1), repeat=d)):
        px = flat[idx]
        if t.is_zero(px) is True:
            continue
        plans = plan(x)
        if plans is None:
            out[x] += px
            continue
        for A, w, y in plans:
            if y is not None:
                z = list(x)
                for j, v in zip(A, y):
                    z[j] = v
                out[tuple(z)] += px * w
                continue
            vecs = [_ctx_vec(Q[j], x, j) for j in A]
            for vals in itertools.product(range(m), repeat=len(A)):
                pr = px * w
                for vec, v in zip(vecs, vals):
                    pr = pr * vec[v]
                if t.is_zero(pr) is True:
                    continue
                z = list(x)
                for j, v in zip(A, vals):
                    z[j] = v
                out[tuple(z)] += pr
    return out


def _select(conf: dict, k: int, t: Tier, ties: str) -> list:
    """Top-``k`` positions by confidence: ``[(A tuple, weight)]`` (several only for ``ties='uniform'``)."""
    C = sorted(conf)
    if k <= 0:
        return [((), t.one)]
    if k >= len(C):
        return [(tuple(C), t.one)]
    if ties == "index":
        order = sorted(C, key=functools.cmp_to_key(lambda a, b: -_cmp(t, conf[a], conf[b]) or (a - b)))
        return [(tuple(sorted(order[:k])), t.one)]
    if ties == "torch":
        return [(_torch_topk(conf, k, t), t.one)]
    if ties not in ("uniform", "exclude"):
        raise ProfileError(f"ties={ties!r}; use 'index' (lower position first), 'uniform' or 'torch'")
    order = sorted(C, key=functools.cmp_to_key(lambda a, b: -_cmp(t, conf[a], conf[b]) or (a - b)))
    groups: list[list[int]] = []
    for j in order:
        if groups and _cmp(t, conf[groups[-1][0]], conf[j]) == 0:
            groups[-1].append(j)
        else:
            groups.append([j])
    taken: list[int] = []
    for g in groups:
        if len(taken) + len(g) <= k:
            taken += g
            if len(taken) == k:
                return [(tuple(sorted(taken)), t.one)]
            continue
        r = k - len(taken)
        if ties == "exclude":  # a tie at the cut: this branch's mass is dropped (used to measure the tie mass)
            return []
        subs = list(itertools.combinations(g, r))
        w = t.one / t.scalar(len(subs))
        return [(tuple(sorted(taken + list(s))), w) for s in subs]
    return [(tuple(sorted(taken)), t.one)]  # pragma: no cover


def _torch_topk(conf: dict, k: int, t: Tier) -> tuple:
    """``torch.topk`` over the length-``d`` confidence vector (``-inf`` off the candidates), as LLaDA calls it.

    Optional: needs torch installed (never a hard dependency).  Confidences are rounded to float64 first, so
    distinct rationals closer than 2^-52 become ties here; exact ties stay ties.
    """
    try:
        import torch  # noqa: PLC0415
    except ImportError:
        raise ProfileError("ties='torch' needs torch installed (an optional extra); use 'index' or 'uniform'") from None
    d = max(conf) + 1
    vec = [float("-inf")] * d
    for j, v in conf.items():
        vec[j] = float(v.enclose(53).mid()) if isinstance(v, LogSum) else float(t.to_float(v))
    _, idx = torch.topk(torch.tensor([vec], dtype=torch.float64), k=k, dim=1)
    return tuple(sorted(int(i) for i in idx[0].tolist()))


def _plackett_luce(conf: dict, k: int, t: Tier, alg_temp) -> list:
    """``torch.multinomial(softmax(conf/alg_temp), k)`` without replacement: set probabilities."""
    if t.is_exact:
        raise NotExactError("Plackett–Luce selection uses exp(confidence/alg_temp); use tier='certified'")
    C = sorted(conf)
    if k >= len(C):
        return [(tuple(C), t.one)]
    at = t.scalar(as_fraction(alg_temp))
    with t.active():
        vals = {j: t.scalar(conf[j].enclose(getattr(t, "prec", 53)) if isinstance(conf[j], LogSum) else conf[j])
                for j in C}
        w = {j: t.exp(vals[j] / at) for j in C}
        total = sum((w[j] for j in C), t.zero)
        probs: dict = {}
        for seq in itertools.permutations(C, k):
            pr, rest = t.one, total
            for j in seq:
                pr = pr * w[j] / rest
                rest = rest - w[j]
            key = tuple(sorted(seq))
            probs[key] = probs.get(key, t.zero) + pr
    return list(probs.items())


def _confidence_value(kind: str, q, p_untempered, y, t: Tier, m: int):
    if kind in ("maskgit_plus",):
        return q[y]
    if kind == "low_confidence":
        return p_untempered[y]
    if kind == "topk_margin":
        s = sorted(q, key=functools.cmp_to_key(lambda a, b: -_cmp(t, a, b)))
        return s[0] - s[1]
    if kind == "entropy":
        eps = DREAM_ENTROPY_EPS
        if t.is_enclosure and all(isinstance(v, arb) and v.is_exact() for v in q):
            q = [get_tier("exact").scalar(v) for v in q]  # exact balls: decide ties exactly too
        if t.is_exact or all(isinstance(v, fmpq) for v in q):
            return LogSum.from_fmpq({v + fmpq(eps.numerator, eps.denominator): v for v in q if v != 0}) \
                if any(v != 0 for v in q) else LogSum.zero()
        with t.active():
            return sum((v * t.log(v + t.scalar(eps)) for v in q if t.is_zero(v) is not True), t.zero)
    raise ProfileError(f"unknown confidence {kind!r}")  # pragma: no cover


def _confidence_step(P, m, d, t, Q, Pn, *, k_of, candidates, kind, ties, alg_temp):
    """One step of a confidence-ranked profile (LLaDA / Dream), integrating every random choice."""
    draw_dependent = kind in ("maskgit_plus", "low_confidence")

    def plan(x):
        M = [j for j in range(d) if x[j] == m]
        if not M:
            return None
        C = candidates(x, M)
        k = min(k_of(x, M), len(C))
        if k <= 0 or not C:
            return None
        vq = {j: _ctx_vec(Q[j], x, j) for j in C}
        if kind == "random":
            subs = list(itertools.combinations(C, k))
            w = t.one / t.scalar(len(subs))
            return [(A, w, None) for A in subs]

        def choose(conf):
            if alg_temp is None or as_fraction(alg_temp) == 0:
                return _select(conf, k, t, ties)
            return _plackett_luce(conf, k, t, alg_temp)

        if not draw_dependent:
            conf = {j: _confidence_value(kind, vq[j], None, None, t, m) for j in C}
            return [(A, w, None) for A, w in choose(conf)]
        vp = {j: (_ctx_vec(Pn[j], x, j) if Pn is not None else None) for j in C}
        supports = [[a for a in range(m) if t.is_zero(vq[j][a]) is not True] for j in C]
        plans = []
        for ys in itertools.product(*supports):
            wy = t.one
            for j, a in zip(C, ys):
                wy = wy * vq[j][a]
            conf = {j: _confidence_value(kind, vq[j], vp[j], a, t, m) for j, a in zip(C, ys)}
            val = dict(zip(C, ys))
            for A, w in choose(conf):
                plans.append((A, wy * w, tuple(val[j] for j in A)))
        return plans

    return _context_step(P, m, d, t, Q, plan)
