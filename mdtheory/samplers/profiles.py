"""Named profiles of the samplers in public code bases, with exact output laws.

Each profile reproduces one reference implementation's per-step rule, time grid, token
counts and final step *as written* (``papers/sampler_conventions.md``; re-checked against
the pinned commits named in :attr:`Profile.source`), and returns the exact law of its
output for a data law and a score estimator (exact conditionals by default).

========================= =========================================================================
profile                   what one run does (d positions, ``steps`` = the code's step argument)
========================= =========================================================================
``mdlm.ddpm``             grid ``linspace(1, 1e-5, N+1)``; masked tokens unmask w.p. ``(m_t−m_s)/m_t``,
                          ``m_t = (1−10⁻³)t``; final **argmax** of ``p_θ`` at ``t = 1e-5``
``mdlm.ddpm_cache``       same law (``m_t = t`` literally: the ratio is unchanged); reuses ``p_θ``
                          while ``x`` is unchanged, so NFE is random (its exact mean is reported)
``sedd.euler``            ``onehot + dt·σ'(t)·rate``; negative stay weights clipped (Gumbel-argmax);
                          final denoiser **samples** ``∝ ŝ`` (mask column dropped)
``sedd.analytic``         Tweedie τ-leap in ``e^{−σ}``: the exact posterior ``(α_s−α_t)/(1−α_t)``;
                          final denoiser samples
``bd3lm.fhs``             per block: one uniformly chosen masked position per NFE, value ``∝ p_θ``;
                          ``steps`` caps the events per block (leftover masks are kept);
                          no final step
``llada.random``          per block ``⌊M_b/S_b⌋`` (+1 for the first ``M_b mod S_b`` steps) tokens
                          per step; positions = top-k of ``U(0,1)`` (a uniform k-subset)
``llada.low_confidence``  same counts; positions = top-k of ``softmax(logits)[x0]`` (untempered)
``dream.origin``          grid ``linspace(1, 10⁻³, N+1)``; each mask transfers w.p. ``1 − s/t``
                          (w.p. 1 at the last step)
``dream.maskgit_plus``    ``int(M·(1 − s/t))`` tokens (all remaining at the last step); top-k of
                          the drawn token's tempered probability
``dream.topk_margin``     same counts; top-k of ``top1 − top2``
``dream.entropy``         same counts; top-k of ``Σ_a q log(q + 10⁻¹⁰)`` (exact, :class:`LogSum`)
``campbell.tau_leaping``  uniform forward rate on ``{0..S−1}^d``; Poisson jumps, additive, clamped;
                          grid ``linspace(1, min_t, N) + [0]``; final argmax at ``min_t``
========================= =========================================================================

**Exactness.** Every masked profile is rational for rational data laws and temperature 1
(or ``1/τ`` an integer), so the exact tier gives the output law as exact rationals.
Temperatures with irrational powers, Plackett–Luce selection (``alg_temp > 0``) and the
τ-leaping profile (Poisson weights ``e^{−hλ}``) need ``tier='certified'``.  Confidence
rules are decided exactly: probabilities and margins as rationals, entropies as exact
:class:`~mdtheory.logsum.LogSum` values, ties by the documented ``ties`` rule (``'index'``:
lower position first, the order ``torch.topk`` usually returns; ``'uniform'``: a uniformly
random choice among tied positions).  Randomised confidences are integrated exactly by
enumerating the joint candidate draws of the positions that compete (``m^{#competing}``
per context; fine for the tiny spaces this library is for).

**Mass is never dropped.** Leftover masks (``bd3lm.fhs`` with too few steps) and
off-support states are kept in the law and reported (:class:`SamplerResult`).

>>> from mdtheory.distributions import copy_pairs
>>> from mdtheory.samplers import profiles
>>> r = profiles.run("dream.origin", copy_pairs(2, 2), steps=4)
>>> r.tv(), r.info["nfe"]        # ½·Σπ_k², π = (Δ, Δ, Δ, 1 − 3Δ), Δ = 999/4000 (SR-T2a closed form)
(1000003/8000000, 4)
>>> profiles.run("bd3lm.fhs", copy_pairs(2, 2), steps=4).tv()
0
>>> "llada.low_confidence" in profiles.names()
True
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import numpy as np
from flint import arb, ctx as flint_ctx, fmpq

from ..laws import Law
from ..logsum import LogSum
from ..masked_scores import MaskedEstimator
from ..spaces import ProductSpace
from ..tiers import NotExactError, Tier, as_fraction, get_tier
from ._masked_core import (
    SamplerError,
    SamplerResult,
    data_dims,
    finish,
    initial_array,
    per_token_step,
    resolve_estimator,
    resolve_tier,
)

__all__ = [
    "Profile",
    "ProfileError",
    "get",
    "names",
    "run",
    "compare",
    "ComparisonReport",
    "sweep",
    "plot_sweep",
    "grid_times",
    "llada_counts",
    "dream_counts",
]


class ProfileError(SamplerError):
    """Unknown profile or an option the profile does not support."""


# ---------------------------------------------------------------------------------------------
# constants of the reference code bases (exact rationals of their decimal literals)
# ---------------------------------------------------------------------------------------------
MDLM_NOISE_EPS = Fraction(1, 1000)  # LogLinearNoise(eps=1e-3)
MDLM_T_END = Fraction(1, 100000)  # linspace(1, 1e-5, N+1)
DREAM_EPS = Fraction(1, 1000)  # linspace(1, eps=1e-3, N+1)
DREAM_ENTROPY_EPS = Fraction(1, 10**10)  # log(probs + 1e-10)
CAMPBELL_MIN_T = Fraction(1, 100)  # sampler.min_t = 0.01
CAMPBELL_EPS_RATIO = Fraction(1, 10**9)  # sampler.eps_ratio = 1e-9


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


def llada_counts(block_masks: int, steps_per_block: int) -> list[int]:
    """LLaDA's ``get_num_transfer_tokens``: ``⌊M/S⌋`` per step, +1 for the first ``M mod S`` steps.

    >>> llada_counts(8, 3), llada_counts(2, 4)
    ([3, 3, 2], [1, 1, 0, 0])
    """
    base, rem = divmod(int(block_masks), int(steps_per_block))
    return [base + (1 if i < rem else 0) for i in range(int(steps_per_block))]


def dream_counts(d: int, steps: int, eps=DREAM_EPS) -> list[int]:
    """Dream's ``int(M·(1 − s/t))`` (all remaining at the last step), from ``d`` masks, exact rationals.

    The code computes in float32; it can differ by one token where ``M(1 − s/t)`` is within
    float32 rounding of an integer (see :func:`dream_counts_float_risk`).

    >>> dream_counts(4, 2)           # s/t = 1001/2000: ⌊4·999/2000⌋ = 1, then the remaining 3
    [1, 3]
    """
    ts = grid_times(1, eps, steps + 1)
    M, out = int(d), []
    for i in range(steps):
        k = math.floor(M * (1 - ts[i + 1] / ts[i])) if i < steps - 1 else M
        out.append(k)
        M -= k
    return out


def dream_counts_float_risk(d: int, steps: int, eps=DREAM_EPS, tol: float = 1e-5) -> list[int]:
    """Steps where Dream's float32 count could differ from the exact floor (``M(1−s/t)`` near an integer)."""
    ts = grid_times(1, eps, steps + 1)
    M, risky = int(d), []
    for i, k in enumerate(dream_counts(d, steps, eps)):
        if i < steps - 1:
            v = M * (1 - ts[i + 1] / ts[i])
            if v > 0 and abs(float(v) - round(float(v))) < tol * max(1.0, float(v)):
                risky.append(i)
        M -= k
    return risky


# ---------------------------------------------------------------------------------------------
# the profile object and registry
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    """One reference sampler: metadata and the exact-law runner.

    Attributes name the code base's conventions; :meth:`run` computes the exact output law.
    ``nfe(steps, d)`` is the number of model evaluations of one run (``None`` when it is
    random: then ``run(...).info['nfe']`` holds its exact expectation).
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
        """
        if int(steps) != steps or steps < 1:
            raise ProfileError(f"{self.name}: steps must be a positive integer, got {steps!r}")
        bad = set(options) - set(self.options)
        if bad:
            raise ProfileError(f"{self.name} has no option {sorted(bad)[0]!r}; its options are "
                               f"{', '.join(sorted(self.options)) or 'none'}")
        opts = {**self.options, **options}
        if tier is None and self.tier_default != "exact" and law.tier.name == "exact":
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


def _register(p: Profile) -> Profile:
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
    """``get(name).run(law, steps, estimator, **kw)``."""
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
    elif t.name == "exact":
        raise NotExactError(f"temperature {temperature}: p^(1/τ) is irrational; use tier='certified'")
    elif t.name == "certified":
        with t.active():
            e = arb(fmpq(inv.numerator, inv.denominator))
            powed = np.array([x ** e if not x.is_zero() else x for x in p], dtype=object)
    else:
        powed = np.asarray(p, dtype=float) ** float(inv)
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


def _alpha_loglinear(tval: Fraction, t: Tier, eps=MDLM_NOISE_EPS):
    return t.scalar(1 - (1 - eps) * tval)


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
# MDLM and SEDD (per-token independent grid steps)
# ---------------------------------------------------------------------------------------------
_U_CACHE: dict = {}


def _is_normalized(est: MaskedEstimator, t: Tier) -> bool:
    """Do all rows of ``ĝ`` sum to 1 (then unmask probabilities are context-free scalars)?"""
    if est.time_dependent:
        return False
    for j, G in enumerate(est.tables(t)):
        s = G.sum(axis=j)
        if t.name == "float":
            if not np.allclose(s, 1.0, rtol=0, atol=1e-15):
                return False
        elif any(t.compare(v, t.one) != 0 for v in s.reshape(-1)):
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


def _mdlm_like(law, steps, estimator, tier, prec, opts, *, kind):
    """MDLM ddpm/ddpm_cache and SEDD euler/analytic on ``linspace(1, 1e-5, N+1)``."""
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    eps = as_fraction(opts.get("noise_eps", MDLM_NOISE_EPS))
    t_end = as_fraction(opts.get("t_end", MDLM_T_END))
    ts = grid_times(1, t_end, steps + 1)
    dt = (1 - t_end) / steps
    info: dict = {"grid": [str(x) for x in ts], "dt": str(dt), "clipped": 0, "estimator": est.name}
    fast = (opts.get("engine", "auto") == "auto" and not est.time_dependent
            and (kind in ("ddpm", "ddpm_cache") or _is_normalized(est, t)))
    info["engine"] = "telescoped" if fast else "stepwise"
    with t.active():
        P = initial_array(law, "all_mask", t)
        exp_nfe = t.one  # ddpm_cache: the first call
        if fast:
            # every kind unmasks w.p. dt/t_i here: (m_t − m_s)/m_t with m ∝ t, and dt/t·ĝ with Σĝ = 1
            P = _telescoped(law, est, estimator, t, m, d, steps, dt, ts[-1])
            # ddpm_cache: each token is still masked w.p. t_i before step i, so
            # P(x unchanged at step i) = E (t_{i+1}/t_i)^{Bin(d, t_i)} = (1 − dt)^d
            exp_nfe = t.one + t.scalar(steps - 1) * (t.one - t.scalar((1 - dt) ** d))
        for i in range(0 if not fast else steps, steps):
            tt, ss = ts[i], ts[i] - dt  # the code steps by dt (equal to the grid spacing here)
            a_t = _alpha_loglinear(tt, t, eps)
            G = est.tables(t, a_t) if est.time_dependent else est.tables(t)
            if kind in ("ddpm", "ddpm_cache"):
                if kind == "ddpm":
                    mt, ms = (1 - eps) * tt, (1 - eps) * ss  # 1 − e^{−σ}, σ = −log1p(−(1−ε)t)
                else:
                    mt, ms = tt, ss  # move_chance_t = t literally
                Gn, _ = est.normalized_tables(t, a_t) if est.time_dependent else est.normalized_tables(t)
                c = t.scalar((mt - ms) / mt)
                W = [_stack(np.asarray(g * c), _ctx_zeros(g, j, t) + (t.one - c), j) for j, g in enumerate(Gn)]
                if kind == "ddpm_cache" and i < steps - 1:
                    # P(x changes at step i) = 1 − E (m_s/m_t)^{#masked}: the next step calls the model
                    stay = t.scalar(ms / mt)
                    cnt = _masked_count_mass(P, m, d, t)
                    exp_nfe = exp_nfe + t.one - sum((cnt[n] * stay**n for n in range(d + 1)), t.zero)
            else:
                if kind == "analytic":
                    # staggered score ⊙ transp_transition: weight (e^{dσ} − 1)·ŝ = (α_s − α_t)/(1 − α_t)·ĝ
                    a_s = _alpha_loglinear(ss, t, eps)
                    c = (a_s - a_t) / (t.one - a_t)
                else:
                    # Euler: dt·σ'(t)·ŝ = dt·(1−ε)/α_t · α_t/(1−α_t) · ĝ = dt/t·ĝ on the log-linear noise
                    c = t.scalar(dt) * t.scalar(1 - eps) / (t.one - a_t)
                W = []
                for j, g in enumerate(G):
                    move = np.asarray(g * c)
                    stay = np.asarray(t.one - move.sum(axis=j, keepdims=True))
                    move, stay, nclip = _clip_negative(g, move, stay, j, t)
                    info["clipped"] += nclip
                    W.append(_stack(move, stay, j))
            P = per_token_step(P, m, d, t, W)
        a_end = _alpha_loglinear(t_end, t, eps)
        final = "argmax" if kind in ("ddpm", "ddpm_cache") else "sample"
        if opts.get("noise_removal", True):
            P = _fill_masks(P, _final_tables(est, t, a_end if est.time_dependent else None, final), m, d, t)
        if kind == "ddpm_cache":
            nfe = exp_nfe + (t.one if opts.get("noise_removal", True) else t.zero)
            if est.time_dependent:
                nfe = t.scalar(steps + (1 if opts.get("noise_removal", True) else 0))
            info["nfe"] = nfe
            info["nfe_random"] = True
        else:
            info["nfe"] = steps + (1 if opts.get("noise_removal", True) else 0)
    return finish(law, P, t, f"profile:{kind}", steps, info)


def _clip_negative(g, move, stay, j, t: Tier):
    """Gumbel-argmax never picks a negative weight: negative stay → 0, moves renormalised (∝ ĝ)."""
    n = 0
    if t.name == "float":
        neg = stay < 0
        n = int(np.count_nonzero(neg))
        if n:
            s = g.sum(axis=j, keepdims=True)
            move = np.where(neg, np.divide(g, s, out=np.zeros_like(g), where=s > 0), move)
            stay = np.where(neg, 0.0, stay)
        return move, stay, n
    move, stay = np.moveaxis(move.copy(), j, -1), stay.copy()
    gm = np.moveaxis(g, j, -1)
    for idx in np.ndindex(*stay.shape):
        c = t.compare(stay[idx], t.zero)
        if c is None:
            raise SamplerError("a SEDD stay weight's sign is undecided; use the exact tier or raise prec")
        if c == -1:
            ctx = idx[:j] + idx[j + 1:]
            move[ctx] = gm[ctx] / t.total(gm[ctx])
            stay[idx] = t.zero
            n += 1
    return np.moveaxis(move, -1, j), stay, n


# ---------------------------------------------------------------------------------------------
# Dream origin (per-token independent, linear α = 1 − t, last step transfers all)
# ---------------------------------------------------------------------------------------------
def _dream_origin(law, steps, estimator, tier, prec, opts):
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    _check_time_agnostic(est, "dream.origin")
    ts = grid_times(1, as_fraction(opts["eps"]), steps + 1)
    Q = _token_tables(est, t, None, opts["temperature"], opts["top_k"], opts["top_p"])
    temp = as_fraction(opts["temperature"])
    fast = (opts.get("engine", "auto") == "auto" and temp == 1 and opts["top_k"] is None
            and (opts["top_p"] is None or as_fraction(opts["top_p"]) >= 1))
    with t.active():
        P = initial_array(law, "all_mask", t)
        start = 0
        if fast and steps > 1:
            P = _telescoped(law, est, estimator, t, m, d, steps - 1, ts[0] - ts[1], ts[steps - 1])
            start = steps - 1
        for i in range(start, steps):
            p = t.scalar(1 - ts[i + 1] / ts[i]) if i < steps - 1 else t.one
            W = [_stack(np.asarray(q * p), _ctx_zeros(q, j, t) + (t.one - p), j) for j, q in enumerate(Q)]
            P = per_token_step(P, m, d, t, W)
    info = {"grid": [str(x) for x in ts], "nfe": steps, "estimator": est.name,
            "engine": "telescoped" if fast and steps > 1 else "stepwise"}
    return finish(law, P, t, "dream.origin", steps, info)


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
        if px == 0 if t.dtype is object and t.name == "exact" else t.is_zero(px) is True:
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
                if t.name == "exact" and pr == 0:
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
    if t.name == "exact":
        raise NotExactError("Plackett–Luce selection uses exp(confidence/alg_temp); use tier='certified'")
    C = sorted(conf)
    if k >= len(C):
        return [(tuple(C), t.one)]
    at = t.scalar(as_fraction(alg_temp))
    with t.active():
        vals = {j: (conf[j].enclose(getattr(t, "prec", 53)) if isinstance(conf[j], LogSum) else t.scalar(conf[j]))
                for j in C}
        if t.name == "float":
            vals = {j: float(v.mid()) if isinstance(v, arb) else float(v) for j, v in vals.items()}
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
        if t.name == "certified" and all(isinstance(v, arb) and v.is_exact() for v in q):
            q = [get_tier("exact").scalar(v) for v in q]  # exact balls: decide ties exactly too
        if t.name == "exact" or all(isinstance(v, fmpq) for v in q):
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


# ---------------------------------------------------------------------------------------------
# LLaDA
# ---------------------------------------------------------------------------------------------
def _llada(law, steps, estimator, tier, prec, opts, *, remasking):
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    _check_time_agnostic(est, f"llada.{remasking}")
    L = d if opts["block_length"] is None else int(opts["block_length"])
    if L < 1 or d % L:
        raise ProfileError(f"llada: gen_length d={d} must be a multiple of block_length={L} (the code asserts it)")
    nb = d // L
    if steps % nb:
        raise ProfileError(f"llada: steps={steps} must be divisible by the number of blocks {nb} (the code asserts it)")
    S = steps // nb
    counts = llada_counts(L, S)
    info = {"counts_per_block": counts, "blocks": nb, "nfe": steps, "estimator": est.name}
    with t.active():
        Q = _token_tables(est, t, None, opts["temperature"])
        Pn = _token_tables(est, t, None, 1)  # softmax(logits), untempered
        P = initial_array(law, "all_mask", t)
        for b in range(nb):
            block = list(range(b * L, (b + 1) * L))
            for i in range(S):
                if counts[i] == 0:
                    continue
                P = _confidence_step(
                    P, m, d, t, Q, Pn, k_of=lambda x, M, k=counts[i]: k,
                    candidates=lambda x, M, blk=block: [j for j in M if j in blk],
                    kind="random" if remasking == "random" else "low_confidence",
                    ties=opts["ties"], alg_temp=None)
        if remasking == "low_confidence":
            info["tie_mass"] = _llada_tie_mass(law, t, Q, Pn, m, d, L, nb, S, counts)
            info["ties"] = opts["ties"]
    return finish(law, P, t, f"llada.{remasking}", steps, info)


def _llada_tie_mass(law, t, Q, Pn, m, d, L, nb, S, counts):
    """Probability that a trajectory meets a tie at the top-k cut (where the tie rule decides the positions).

    The same run with every tied-cut branch dropped keeps exactly the mass of the tie-free trajectories.
    """
    P = initial_array(law, "all_mask", t)
    for b in range(nb):
        block = list(range(b * L, (b + 1) * L))
        for i in range(S):
            if counts[i] == 0:
                continue
            P = _confidence_step(P, m, d, t, Q, Pn, k_of=lambda x, M, k=counts[i]: k,
                                 candidates=lambda x, M, blk=block: [j for j in M if j in blk],
                                 kind="low_confidence", ties="exclude", alg_temp=None)
    return t.one - sum(P.reshape(-1), t.zero)


# ---------------------------------------------------------------------------------------------
# Dream (confidence-based)
# ---------------------------------------------------------------------------------------------
def _dream_conf(law, steps, estimator, tier, prec, opts, *, alg):
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    _check_time_agnostic(est, f"dream.{alg}")
    eps = as_fraction(opts["eps"])
    ts = grid_times(1, eps, steps + 1)
    info = {"grid": [str(x) for x in ts], "counts": dream_counts(d, steps, eps), "nfe": steps,
            "float32_count_risk_steps": dream_counts_float_risk(d, steps, eps), "estimator": est.name}
    with t.active():
        Q = _token_tables(est, t, None, opts["temperature"], opts["top_k"], opts["top_p"])
        P = initial_array(law, "all_mask", t)
        for i in range(steps):
            def k_of(x, M, i=i):
                n = len(M)
                return math.floor(n * (1 - ts[i + 1] / ts[i])) if i < steps - 1 else n

            P = _confidence_step(P, m, d, t, Q, None, k_of=k_of, candidates=lambda x, M: M, kind=alg,
                                 ties=opts["ties"], alg_temp=opts["alg_temp"])
    return finish(law, P, t, f"dream.{alg}", steps, info)


# ---------------------------------------------------------------------------------------------
# bd3lms first-hitting sampler
# ---------------------------------------------------------------------------------------------
def _bd3lm_fhs(law, steps, estimator, tier, prec, opts):
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    if est.time_dependent:
        raise ProfileError("bd3lm.fhs: the exact law with a time-conditioned model integrates over the random "
                           "times t·u^{1/n}; only time-agnostic estimators are supported (bd3lms default)")
    L = d if opts["block_size"] is None else int(opts["block_size"])
    if L < 1 or d % L:
        raise ProfileError(f"bd3lm.fhs: d={d} must be a multiple of block_size={L}")
    events = 0
    with t.active():
        Q = _token_tables(est, t, None, 1)  # p_x0 (float64 Gumbel in bd3lms: an exact draw)
        P = initial_array(law, "all_mask", t)
        for b in range(d // L):
            block = list(range(b * L, (b + 1) * L))
            for _ in range(min(steps, L)):  # the loop breaks once the block has no mask
                P = _confidence_step(P, m, d, t, Q, None, k_of=lambda x, M: 1,
                                     candidates=lambda x, M, blk=block: [j for j in M if j in blk],
                                     kind="random", ties="index", alg_temp=None)
                events += 1
    info = {"nfe": events, "block_size": L, "estimator": est.name, "events_per_block": min(steps, L)}
    return finish(law, P, t, "bd3lm.fhs", steps, info)


# ---------------------------------------------------------------------------------------------
# Campbell et al. τ-leaping (uniform rate, ordinal states, clamped additive jumps)
# ---------------------------------------------------------------------------------------------
def _campbell(law, steps, estimator, tier, prec, opts):
    if estimator is not None:
        raise ProfileError("campbell.tau_leaping supports the exact denoiser p_{0|t} only (estimator=None)")
    if not isinstance(law.space, ProductSpace):
        raise ProfileError(f"campbell.tau_leaping needs a data law on Z_S^d, not {law.space!r}")
    S, d = law.space.m, law.space.d
    if law.tier.name != "exact":
        raise ProfileError("campbell.tau_leaping needs an exact (rational) data law: its final argmax decides ties exactly")
    t = get_tier(tier if tier is not None else "certified", prec)
    if t.name == "exact":
        raise NotExactError("τ-leaping's Poisson weights e^{−hλ} are transcendental; use tier='certified'")
    c = as_fraction(opts["rate_const"])
    min_t = as_fraction(opts["min_t"])
    eps_ratio = as_fraction(opts["eps_ratio"])
    ts = grid_times(1, min_t, steps) + [Fraction(0)]
    info: dict = {"grid": [str(x) for x in ts], "nfe": steps + 1, "rate_const": str(c), "S": S,
                  "poisson_terms": [], "transition_below_1e-8": False}
    with t.active():
        p0 = law.to_tier(t).probs if law.tier != t else law.probs
        P = t.ones((S,) * d) / t.scalar(S**d)  # initial_dist 'uniform'
        for i in range(steps):
            tau, h = ts[i], ts[i] - ts[i + 1]
            K = _uniform_kernel(S, c, tau, t, info)
            post = _posteriors(p0, K, S, d, t)  # post[j][a][x] = p(x0_j = a | x)
            P = _tau_leap_step(P, post, K, S, d, t, c, h, eps_ratio, info)
        P = _final_argmax(P, S, d, t, law.probs, c, min_t)
    out = Law(ProductSpace(S, d), P, t, validate=False)
    with t.active():
        off = sum((v for v, q in zip(P.reshape(-1), law.probs.reshape(-1)) if q == 0), t.zero)
    return SamplerResult(out, t.zero, off, t, "campbell.tau_leaping", steps, law, info)


def _uniform_kernel(S, c, tau, t: Tier, info):
    """``q_{t|0}`` of ``UniformRate``: rate ``c`` between distinct states, ``e = e^{−S c t}``."""
    e = t.exp(t.scalar(-S * c * tau)) if tau != 0 else t.one
    off = (t.one - e) / S
    K = t.zeros((S, S)) + off
    for a in range(S):
        K[a, a] = off + e
    if t.compare(off, t.scalar(Fraction(1, 10**8))) != 1:
        info["transition_below_1e-8"] = True  # the code would zero these entries; reported, not modelled
    return K


def _posteriors(p0, K, S, d, t):
    """``p(x0_j = a | x_t = x)`` for every ``j``, ``a``, ``x`` (exact denoiser of the uniform noise)."""
    joint = p0
    # q_t(x) and the per-coordinate joint of (x0_j, x): mode products
    marg = joint
    for ax in range(d):
        marg = np.moveaxis(np.tensordot(marg, K, axes=([ax], [0])), -1, ax)
    post = []
    for j in range(d):
        arr = joint
        for ax in range(d):
            if ax == j:
                continue
            arr = np.moveaxis(np.tensordot(arr, K, axes=([ax], [0])), -1, ax)
        # arr[..., x0_j at axis j, ...]: P(x0_j, x_{−j}); times K(x0_j → x_j)
        rows = []
        for a in range(S):
            sl = [slice(None)] * d
            sl[j] = slice(a, a + 1)
            base = arr[tuple(sl)]  # axis j of size 1
            shape = [1] * d
            shape[j] = S
            rows.append(base * K[a].reshape(shape) / marg)
        post.append(rows)
    return post


def _tau_leap_step(P, post, K, S, d, t, c, h, eps_ratio, info):
    out = t.zeros(P.shape)
    er = t.scalar(eps_ratio)
    hh = t.scalar(h)
    cc = t.scalar(c)
    for x in itertools.product(range(S), repeat=d):
        px = P[x]
        if t.is_zero(px) is True:
            continue
        kern = None
        for j in range(d):
            xj = x[j]
            rates = []
            for y in range(S):
                if y == xj:
                    rates.append(t.zero)
                    continue
                inner = sum((post[j][a][x] * K[a, y] / (K[a, xj] + er) for a in range(S)), t.zero)
                rates.append(cc * inner)  # forward rate R(y → x_j) = c
            kj = _clamped_jump_law(rates, xj, S, hh, t, info)
            kern = kj if kern is None else np.multiply.outer(kern, kj)
        out += px * kern
    return out


def _clamped_jump_law(rates, x, S, h, t: Tier, info) -> np.ndarray:
    """Law of ``clamp(x + Σ_y n_y (y − x), 0, S−1)``, ``n_y ~ Poisson(h·rate_y)`` independent (certified).

    The total count ``N ~ Poisson(Λ)`` and given ``N`` the jumps are i.i.d. with probabilities
    ``rate_y/Σrate``; sums up to ``N ≤ K`` are exact and the tail ``P(N > K)`` (a certified ball)
    widens every entry by ``[0, tail]``.
    """
    lam = h * sum(rates, t.zero)
    out = t.zeros((S,))
    if t.is_zero(lam) is True:
        out[x] = t.one
        return out
    jumps = {y - x: rates[y] / sum(rates, t.zero) for y in range(S) if t.is_zero(rates[y]) is not True}
    prec = getattr(t, "prec", 53)
    dist = {0: t.one}  # law of the clamp-folded offset given N = n jumps
    pois = t.exp(-lam)  # P(N = n)
    acc = t.zeros((S,))
    lo, hi = -x, S - 1 - x
    lam_f = _float(lam)
    n = 0
    while True:
        for v, pv in dist.items():
            y = min(max(x + v, 0), S - 1)
            acc[y] = acc[y] + pois * pv
        new: dict = {}
        for v, pv in dist.items():  # offsets beyond the clamp range only matter through their side: fold them
            for o, po in jumps.items():
                w = max(min(v + o, hi + (S - 1)), lo - (S - 1))
                new[w] = new.get(w, t.zero) + pv * po
        dist = new
        n += 1
        pois = pois * lam / n
        # P(N >= n) <= P(N = n) / (1 - Λ/(n+1)) <= 2 P(N = n) once n + 1 >= 2Λ
        if n + 1 >= 2 * lam_f + 2 and _upper(2 * pois) < 2.0 ** (-prec - 4):
            tail = 2 * pois
            break
        if n > 100000:  # pragma: no cover
            raise SamplerError("the Poisson series did not converge; the step is far too long")
    info["poisson_terms"].append(n)
    if t.name == "certified":
        with t.active():
            u = _upper(tail)
            widen = arb(u / 2, u / 2)  # the ball [0, tail bound]
            acc = np.array([v + widen for v in acc], dtype=object)
    return acc


def _upper(v) -> float:
    """A float upper bound of a tier scalar (ball: mid + rad, rounded up)."""
    if isinstance(v, arb):
        return float(arb(v.mid() + v.rad()).mid()) * (1 + 2.0**-50) + 1e-300
    return float(v)


def _final_argmax(P, S, d, t, p0, c, min_t):
    """Every coordinate becomes ``argmax_a p_{0|min_t}(a | x)`` (first index; ties decided exactly).

    Posteriors are polynomials in ``e = e^{−S·c·min_t}`` with rational coefficients: equal
    polynomials are exact ties, unequal ones are separated by certified evaluation at
    increasing precision (``e`` is transcendental).
    """
    out = t.zeros(P.shape)
    polys = _posterior_polys(p0, S, d)
    for x in itertools.product(range(S), repeat=d):
        px = P[x]
        if t.is_zero(px) is True:
            continue
        y = tuple(_poly_argmax([polys[j][a][x] for a in range(S)], S, c, min_t, t) for j in range(d))
        out[y] += px
    return out


def _posterior_polys(p0, S, d):
    """``P(x0_j = a, x_t = x)`` as polynomials in ``e`` (exact, from the rational data law), by mode products."""
    from flint import fmpq_poly

    Kp = np.empty((S, S), dtype=object)
    for a in range(S):
        for b in range(S):
            Kp[a, b] = fmpq_poly([fmpq(1, S), fmpq(1 if a == b else 0) - fmpq(1, S)])  # (1−e)/S + e·δ
    base = np.empty(p0.shape, dtype=object)
    for idx in np.ndindex(*p0.shape):
        base[idx] = fmpq_poly([p0[idx]])
    out = []
    for j in range(d):
        arr = base
        for ax in range(d):
            if ax != j:
                arr = np.moveaxis(np.tensordot(arr, Kp, axes=([ax], [0])), -1, ax)
        rows = []
        for a in range(S):
            sl = [slice(None)] * d
            sl[j] = slice(a, a + 1)
            shape = [1] * d
            shape[j] = S
            rows.append(arr[tuple(sl)] * Kp[a].reshape(shape))
        out.append(rows)
    return out


def _poly_argmax(polys, S, c, min_t, t: Tier) -> int:
    best = 0
    for a in range(1, S):
        diff = polys[a] - polys[best]
        if diff == 0:
            continue
        prec = max(getattr(t, "prec", 53), 64)
        while True:
            with flint_ctx.workprec(prec):
                e = arb(fmpq(-S * c.numerator * min_t.numerator, c.denominator * min_t.denominator)).exp()
                v = sum((arb(diff.coeffs()[k]) * e**k for k in range(len(diff.coeffs()))), arb(0))
            if v > 0:
                best = a
                break
            if v < 0:
                break
            prec *= 2
            if prec > 1 << 16:  # pragma: no cover
                raise SamplerError("could not separate two posteriors (this should not happen)")
    return best


# ---------------------------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------------------------
_MASKED_SOURCE_NOTE = "exact scores by default (the SUBS/'ideal network' p_θ = p(x_j | x_U))"

_register(Profile(
    name="mdlm.ddpm", codebase="kuleshov-group/mdlm",
    source="diffusion.py (_sample, _ddpm_update, _sample_categorical), noise_schedule.py (LogLinearNoise)",
    schedule="m_t = 1 − e^{−σ(t)} = (1 − 1e-3)·t (log-linear, eps = 1e-3)",
    grid="t_i = linspace(1, 1e-5, N+1)[i], s = t_i − dt, dt = (1 − 1e-5)/N",
    rule="each masked token: weights p_θ(a)(m_t − m_s) for a ∈ V and m_s for the mask, sampled (unmask w.p. "
         "(m_t − m_s)/m_t = dt/t); unmasked tokens copied",
    counts="random (binomial given the masked count)",
    final="noise_removal: argmax p_θ(·|x) at t = 1e-5 for every remaining mask (first index on ties)",
    gumbel="float32 exponential race probs/(1e-10 − log(U + 1e-10)) in the repository; modelled as an exact draw",
    temperature="none (the race samples p_θ as is)",
    time_conditioning="time_conditioning: False (time-agnostic network); a time-dependent estimator is "
                      "evaluated at α_t = 1 − (1−eps)t",
    notes=_MASKED_SOURCE_NOTE + "; NFE = N + 1",
    options={"noise_removal": True, "noise_eps": MDLM_NOISE_EPS, "t_end": MDLM_T_END, "engine": "auto"},
    _run=functools.partial(_mdlm_like, kind="ddpm"),
    _nfe=lambda N, d, o: N + (1 if o["noise_removal"] else 0),
))
_register(Profile(
    name="mdlm.ddpm_cache", codebase="kuleshov-group/mdlm",
    source="diffusion.py (_sample, _ddpm_caching_update); configs/config.yaml (sampling.predictor: ddpm_cache)",
    schedule="m_t = t, m_s = t − dt literally (asserts log-linear; the (1−eps) factor is dropped)",
    grid="linspace(1, 1e-5, N+1), dt = (1 − 1e-5)/N",
    rule="as mdlm.ddpm with m_t = t: unmask w.p. dt/t — the same probability, so the same law; p_θ is reused "
         "while x is unchanged",
    counts="random (binomial)",
    final="noise_removal: argmax p_θ at t = 1e-5",
    gumbel="float32 exponential race (as mdlm.ddpm)",
    temperature="none",
    time_conditioning="caching is disabled for time-conditioned models (then NFE = N + 1)",
    notes="NFE is random: 1 + Σ_{i<N−1} 1{x changed at step i} + 1 (noise removal); run().info['nfe'] is its "
          "exact expectation",
    options={"noise_removal": True, "noise_eps": MDLM_NOISE_EPS, "t_end": MDLM_T_END, "engine": "auto"},
    _run=functools.partial(_mdlm_like, kind="ddpm_cache"),
    _nfe=lambda N, d, o: None,
))
_register(Profile(
    name="sedd.euler", codebase="louaaron/Score-Entropy-Discrete-Diffusion",
    source="sampling.py (get_pc_sampler, EulerPredictor, Denoiser), graph_lib.py (Absorbing), noise_lib.py, "
           "catsample.py",
    schedule="σ(t) = −log1p(−(1−1e-3)t), σ'(t) = (1−eps)/(1−(1−eps)t); α_t = e^{−σ} = 1 − (1−eps)t",
    grid="linspace(1, 1e-5, N+1), dt = (1 − 1e-5)/N, predictor at the left (larger) time",
    rule="weights onehot(M) + dt·σ'(t)·R̂(M→a), R̂ = ŝ(a) = r(α_t)·ĝ(a): move dt/t·ĝ(a), stay 1 − dt/t·Σĝ; a "
         "negative stay weight is never picked by the Gumbel argmax (clipped to 0, moves renormalised ∝ ĝ)",
    counts="random",
    final="Denoiser at t = 1e-5: staggered score ⊙ transition with dσ = σ(1e-5), mask column dropped: each "
          "remaining mask is sampled ∝ ĝ",
    gumbel="sample_categorical: probs/(1e-10 − log(U + 1e-10)), float32; exact draw modelled",
    temperature="none",
    time_conditioning="SEDD networks take σ; a time-dependent estimator is evaluated at α_t",
    notes="with exact scores dt/t ≤ 1 always (no clipping); NFE = N + 1. info['clipped'] counts clipped contexts",
    options={"noise_removal": True, "noise_eps": MDLM_NOISE_EPS, "t_end": MDLM_T_END, "engine": "auto"},
    _run=functools.partial(_mdlm_like, kind="euler"),
    _nfe=lambda N, d, o: N + (1 if o["noise_removal"] else 0),
))
_register(Profile(
    name="sedd.analytic", codebase="louaaron/Score-Entropy-Discrete-Diffusion",
    source="sampling.py (AnalyticPredictor, Denoiser), graph_lib.py (Absorbing.staggered_score, transp_transition)",
    schedule="log-linear σ (eps = 1e-3), α = e^{−σ}",
    grid="linspace(1, 1e-5, N+1); dσ = σ(t) − σ(t − dt)",
    rule="x = M: w(a) = (e^{dσ} − 1)·ŝ(a) = (α_s − α_t)/(1 − α_t)·ĝ(a), w(M) = 1 − Σ_a w(a) (clipped at 0): the "
         "exact factorised posterior, identical to mdlm.ddpm's step for exact scores",
    counts="random",
    final="Denoiser: sample ∝ ĝ (mask column dropped) at t = 1e-5",
    gumbel="float32 sample_categorical; exact draw modelled",
    temperature="none",
    time_conditioning="a time-dependent estimator is evaluated at α_t",
    notes="run_sample.py uses this predictor (--steps 1024); NFE = N + 1",
    options={"noise_removal": True, "noise_eps": MDLM_NOISE_EPS, "t_end": MDLM_T_END, "engine": "auto"},
    _run=functools.partial(_mdlm_like, kind="analytic"),
    _nfe=lambda N, d, o: N + (1 if o["noise_removal"] else 0),
))
_register(Profile(
    name="bd3lm.fhs", codebase="kuleshov-group/bd3lms@1c3e8f4",
    source="diffusion.py (_semi_ar_sampler: t ← t·u^{1/n}; _ddpm_caching_update first_hitting branch)",
    schedule="log-linear move chance t (bd3lms noise_schedule.py); irrelevant for a time-agnostic model",
    grid="per block: t ← t·u^{1/n} (the next reveal time), at most `steps` iterations (loop breaks when the block "
         "has no mask)",
    rule="sample a token for every position from p_x0 (float64), choose one masked index of the block uniformly "
         "(randint) and write only it",
    counts="exactly 1 per NFE",
    final="none (noise_removal: False); with steps < block size the remaining masks are kept as leftover mass",
    gumbel="p_x0 cast to float64 before the Gumbel race",
    temperature="nucleus_p = 1.0 (no truncation)",
    time_conditioning="time-agnostic estimators only (the random times then do not matter)",
    notes="≡ uniformly-random-order autoregressive sampling within blocks; = data law with exact scores. "
          "NFE = Σ_blocks min(steps, block_size). The BOS token the code writes at position 0 is not modelled",
    options={"block_size": None},
    _run=_bd3lm_fhs,
    _nfe=lambda N, d, o: (d // (o["block_size"] or d)) * min(N, o["block_size"] or d),
))
_register(Profile(
    name="llada.random", codebase="ML-GSAI/LLaDA@b7e6c35",
    source="generate.py (generate, get_num_transfer_tokens, add_gumbel_noise)",
    schedule="linear (equal expected tokens per step); no explicit time",
    grid="gen_length = d split into blocks of block_length; steps/num_blocks steps per block",
    rule="x0 = argmax exp(logits)/(−log U)^τ (float64 Gumbel: a draw from softmax(logits/τ), τ = 0 greedy); "
         "confidence U(0,1) i.i.d.; top-k_i positions of the block take x0",
    counts="k_i = ⌊M_b/S_b⌋ + 1{i < M_b mod S_b} (deterministic)",
    final="the block's last step unmasks the rest (Σ k_i = M_b)",
    gumbel="float64 (add_gumbel_noise)",
    temperature="default here 1 (a draw); the code's default is 0 (greedy argmax); 1/τ integer stays exact",
    time_conditioning="no time input (time-agnostic estimators only)",
    notes="= the fixed-cardinality, uniformly-random-subset factorized sampler (temperature 1); cfg_scale = 0, "
          "prompt empty; NFE = steps (steps with k_i = 0 still call the model)",
    options={"block_length": None, "temperature": Fraction(1), "ties": "index"},
    _run=functools.partial(_llada, remasking="random"),
    _nfe=lambda N, d, o: N,
))
_register(Profile(
    name="llada.low_confidence", codebase="ML-GSAI/LLaDA@b7e6c35",
    source="generate.py (remasking='low_confidence')",
    schedule="linear; no explicit time",
    grid="as llada.random",
    rule="x0 as llada.random; confidence softmax(logits)[x0] (untempered, float64); −inf outside the current "
         "block and at unmasked positions; top-k_i by confidence (ties: the `ties` option)",
    counts="k_i = ⌊M_b/S_b⌋ + 1{i < M_b mod S_b}",
    final="the block's last step unmasks the rest",
    gumbel="float64",
    temperature="default here 1; code default 0 (greedy)",
    time_conditioning="no time input",
    notes="adaptive: the exact law enumerates the joint candidate draws of the block's masked positions "
          "(m^{#masked} per context); ties='index' picks lower positions first, 'uniform' picks uniformly among "
          "tied positions, 'torch' calls torch.topk itself (optional, when torch is installed). Upstream generate.py "
          "ranks with torch.topk, whose order on ties is unspecified: on CPU, for four values tied at 0.5 it returns "
          "position 2 for k = 1 and {2, 3} for k = 2 (neither 'index' nor 'uniform'; GPU not checked). So the law "
          "is the code base's law only off ties: info['tie_mass'] is the probability that a trajectory meets a tie "
          "at the top-k cut (1 on the binary Markov chain d = 4, flip 1/5, one block of 4 steps: its first step ties all four positions at 1/2), and "
          "the law is given under each rule",
    options={"block_length": None, "temperature": Fraction(1), "ties": "index"},
    _run=functools.partial(_llada, remasking="low_confidence"),
    _nfe=lambda N, d, o: N,
))
_register(Profile(
    name="dream.origin", codebase="HKUNLP/Dream (generation_utils.py of the released model)",
    source="generation_utils.py (_sample, alg='origin', sample_tokens)",
    schedule="α_t = 1 − t (linear), eps = 1e-3",
    grid="timesteps = linspace(1, 1e-3, N+1), t = timesteps[i], s = timesteps[i+1]",
    rule="every masked position transfers independently w.p. 1 − s/t (w.p. 1 at the last step), token from "
         "sample_tokens (softmax(logits/τ), optional top_p/top_k)",
    counts="random",
    final="the last step transfers every remaining mask",
    gumbel="torch Categorical sampling (no Gumbel); exact draw modelled",
    temperature="default here 1; the code's default is 0 (argmax)",
    time_conditioning="no time input",
    notes="= MDLM ancestral with α_t = 1 − t on the grid (1, t_1, …, t_{N−1}, 0); the logit shift (position i "
          "uses the logits at i−1) is absorbed into the estimator (an ideal AR-initialised network's shifted "
          "output is the prediction for i); NFE = N",
    options={"eps": DREAM_EPS, "temperature": Fraction(1), "top_k": None, "top_p": None, "engine": "auto"},
    _run=_dream_origin,
    _nfe=lambda N, d, o: N,
))
for _alg, _conf in (("maskgit_plus", "the tempered probability of the drawn token"),
                    ("topk_margin", "top1 − top2 of the tempered probabilities"),
                    ("entropy", "Σ_a q(a)·log(q(a) + 1e-10) (negative entropy), exact LogSum comparisons")):
    _register(Profile(
        name=f"dream.{_alg}", codebase="HKUNLP/Dream (generation_utils.py of the released model)",
        source=f"generation_utils.py (_sample, alg='{_alg}', sample_tokens)",
        schedule="α_t = 1 − t, eps = 1e-3",
        grid="linspace(1, 1e-3, N+1)",
        rule=f"x0 ~ sample_tokens (τ > 0) or argmax; confidence = {_conf}; top-k by confidence "
             "(alg_temp None/0; ties by the `ties` option) or k draws without replacement from "
             "softmax(confidence/alg_temp) (Plackett–Luce, certified tier)",
        counts="int(M·(1 − s/t)) (floor; M the current masked count), all remaining at the last step; exact "
               "rationals here, float32 in the code (info['float32_count_risk_steps'] flags near-integers)",
        final="the last step transfers every remaining mask",
        gumbel="torch Categorical sampling; exact draw modelled",
        temperature="default here 1; the code's default is 0 (argmax)",
        time_conditioning="no time input",
        notes="logit shift absorbed into the estimator (see dream.origin); NFE = N"
              + ("; the confidence depends on the draws: joint candidate draws are enumerated" if _alg ==
                 "maskgit_plus" else ""),
        options={"eps": DREAM_EPS, "temperature": Fraction(1), "top_k": None, "top_p": None, "ties": "index",
                 "alg_temp": None},
        _run=functools.partial(_dream_conf, alg=_alg),
        _nfe=lambda N, d, o: N,
    ))
_register(Profile(
    name="campbell.tau_leaping", codebase="andrew-cr/tauLDR@5128d4a",
    source="lib/sampling/sampling.py (TauLeaping.sample), lib/models/models.py (UniformRate)",
    schedule="UniformRate: rate rate_const between any two distinct states (not normalised by S); "
             "q_{t|0} = (1 − e^{−S·c·t})/S + e^{−S·c·t}·1{x = x0}",
    grid="ts = linspace(1, min_t, N) followed by 0 (the last leap has length min_t)",
    rule="R̂(x→x̃) = R(x̃→x)·Σ_{x0} p_{0|t}(x0|x)·q_{t|0}(x̃|x0)/(q_{t|0}(x|x0) + eps_ratio) per dimension; "
         "n_x̃ ~ Poisson(h·R̂) independent; x ← clamp(x + Σ n_x̃ (x̃ − x), 0, S−1)",
    counts="n/a (all dimensions jump simultaneously)",
    final="argmax_a p_{0|min_t}(a | x) for every dimension (first index; ties decided exactly)",
    gumbel="n/a (torch Poisson draws)",
    temperature="n/a",
    time_conditioning="the exact denoiser p_{0|t} of the uniform forward process (estimator=None only)",
    notes="scope: the UniformRate forward process with the exact denoiser and initial_dist='uniform'; "
          "GaussianTargetRate and the PC corrector are not modelled. Poisson weights are summed with a "
          "certified tail (every probability is a ball); tier='certified' (default) or 'float'. "
          "Entries of q_{t|0} below 1e-8 (zeroed by the code) are flagged in info, not modelled. NFE = N + 1",
    options={"rate_const": Fraction(1), "min_t": CAMPBELL_MIN_T, "eps_ratio": CAMPBELL_EPS_RATIO},
    _run=_campbell,
    _nfe=lambda N, d, o: N + 1,
    tier_default="certified",
))


# ---------------------------------------------------------------------------------------------
# comparison report
# ---------------------------------------------------------------------------------------------
@dataclass
class ComparisonReport:
    """Exact TV and KL to the data law of several profiles, with their model evaluations.

    ``rows`` are dicts with ``profile, steps, nfe, tv, kl, leftover, off_support, tier, seconds``
    (tier scalars, ``math.inf`` for an infinite KL).  :meth:`markdown` and :meth:`latex`
    render them; every number names its tier.
    """

    law_name: str
    rows: list

    def _fmt(self, row, key):
        v = row[key]
        t = row["tier_obj"]
        if v is math.inf:
            return "∞"
        if key == "nfe" and not isinstance(v, int):
            return f"E={float(v.mid()) if isinstance(v, arb) else float(v):.4g}"
        if isinstance(v, (int, str)):
            return str(v)
        if t.name == "exact":
            return f"{t.to_float(v):.6g} (exact)" if key == "tv" else f"{float(v.mid()):.6g}"
        return f"{t.to_float(v):.6g}"

    def table(self) -> list[list[str]]:
        head = ["profile", "steps", "NFE", "TV", "KL(data‖out)", "leftover masks", "off-support", "tier", "s"]
        body = []
        for r in self.rows:
            body.append([r["profile"], str(r["steps"]), self._fmt(r, "nfe"), self._fmt(r, "tv"),
                         "∞" if r["kl"] is math.inf else f"{_float(r['kl']):.6g}",
                         f"{_float(r['leftover']):.3g}", f"{_float(r['off_support']):.3g}", r["tier"],
                         f"{r['seconds']:.2f}"])
        return [head] + body

    def markdown(self) -> str:
        """Markdown table (TV exact values shown as floats with their tier)."""
        rows = self.table()
        out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(out)

    def latex(self) -> str:
        """LaTeX booktabs table."""
        rows = self.table()
        esc = lambda s: s.replace("_", r"\_").replace("‖", r"\|").replace("∞", r"$\infty$")  # noqa: E731
        lines = [r"\begin{tabular}{l" + "r" * (len(rows[0]) - 1) + "}", r"\toprule",
                 " & ".join(esc(c) for c in rows[0]) + r" \\", r"\midrule"]
        lines += [" & ".join(esc(c) for c in r) + r" \\" for r in rows[1:]]
        lines += [r"\bottomrule", r"\end{tabular}"]
        return "\n".join(lines)


def _float(v) -> float:
    if v is math.inf:
        return math.inf
    if isinstance(v, arb):
        return float(v.mid())
    if isinstance(v, fmpq):
        return int(v.p) / int(v.q)
    return float(v)


def compare(law: Law, steps: int, profiles=None, estimator: MaskedEstimator | None = None, *,
            law_name: str = "data", kl: bool = True, prec: int = 128, options: dict | None = None) -> ComparisonReport:
    """Run every profile (default: all) on ``law`` with ``steps`` and tabulate TV, KL and NFE.

    Masked profiles run in the law's tier (exact rationals for exact laws);
    ``campbell.tau_leaping`` runs in the certified tier at ``prec`` bits.  ``options`` maps a
    profile name to its option overrides.

    >>> from mdtheory.distributions import copy_pairs
    >>> rep = compare(copy_pairs(2, 2), 4, ["dream.origin", "bd3lm.fhs"], kl=False)
    >>> [(r["profile"], r["nfe"], r["tv"]) for r in rep.rows]
    [('dream.origin', 4, 1000003/8000000), ('bd3lm.fhs', 2, 0)]
    """
    names_ = names() if profiles is None else list(profiles)
    rows = []
    for nm in names_:
        p = get(nm)
        if estimator is not None and nm == "campbell.tau_leaping":
            continue
        kw = dict((options or {}).get(nm, {}))
        if nm == "campbell.tau_leaping":
            kw.setdefault("prec", prec)
        res = p.run(law, steps, estimator, **kw)
        with res.tier.active():
            tvv = res.tv()
            klv = res.kl(prec=prec) if kl else None
        rows.append({"profile": nm, "steps": steps, "nfe": res.info["nfe"], "tv": tvv, "kl": klv,
                     "leftover": res.leftover_mask_mass, "off_support": res.off_support_mass,
                     "tier": res.tier.describe(), "tier_obj": res.tier, "seconds": res.info["seconds"],
                     "result": res})
    return ComparisonReport(law_name, rows)


def sweep(law: Law, steps_list, profiles=None, estimator: MaskedEstimator | None = None, *, prec: int = 64) -> dict:
    """Exact TV and NFE of each profile for every number of steps: ``{name: [(steps, nfe, tv), ...]}``.

    ``tv`` is a tier scalar (exact rational, or a certified ball for τ-leaping); ``nfe`` an int
    or the exact expected value (``mdlm.ddpm_cache``).

    >>> from mdtheory.distributions import copy_pairs
    >>> s = sweep(copy_pairs(2, 2), [1, 2], ["bd3lm.fhs", "llada.random"])
    >>> [(n, nfe, str(v)) for n, nfe, v in s["llada.random"]]    # N = 1 reveals the pair at once
    [(1, 1, '1/2'), (2, 2, '0')]
    """
    out: dict = {}
    for nm in (names() if profiles is None else list(profiles)):
        if estimator is not None and nm == "campbell.tau_leaping":
            continue
        kw = {"prec": prec} if nm == "campbell.tau_leaping" else {}
        rows = []
        for N in steps_list:
            r = get(nm).run(law, N, estimator, **kw)
            with r.tier.active():
                rows.append((int(N), r.info["nfe"], r.tv()))
        out[nm] = rows
    return out


def plot_sweep(data: dict, ax=None, *, x: str = "steps", floor: float = 1e-6, title: str = ""):
    """Log–log plot of the exact TV against steps (``x='steps'``) or model evaluations (``x='nfe'``).

    Zeros are drawn at ``floor``; returns the matplotlib axes.
    """
    import matplotlib.pyplot as plt

    if x not in ("steps", "nfe"):
        raise ProfileError(f"x={x!r}; use 'steps' or 'nfe'")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for i, (nm, rows) in enumerate(data.items()):
        xs = [r[0] if x == "steps" else _float(r[1]) if not isinstance(r[1], int) else r[1] for r in rows]
        ys = [max(_float(r[2]), floor) for r in rows]
        adaptive = nm.startswith(("llada", "dream.maskgit", "dream.topk", "dream.entropy"))
        ax.loglog(xs, ys, marker="o", ms=3, ls="--" if adaptive else "-", label=nm,
                  color=plt.cm.tab20(i % 20))
    ax.set_xlabel("steps N" if x == "steps" else "model evaluations (NFE)")
    ax.set_ylabel(f"exact TV(data, output) (0 drawn at {floor:g})")
    if title:
        ax.set_title(title)
    return ax
