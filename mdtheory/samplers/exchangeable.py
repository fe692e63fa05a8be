"""Exact sampler laws of exchangeable data laws, lumped into orbits (symbol counts).

If the data law is invariant under permutations of the coordinates (``copy``, ``parity``,
``sum_mod``, i.i.d. products, any law declared :class:`~mdtheory.law_structure.Exchangeable`),
so are the exact scores, and every masked sampler started from the all-mask state treats
the positions symmetrically: its output law is exchangeable too.  Such a law on
``{0..m}^d`` is determined by the law of the *orbit* ``c = (c_0, …, c_{m−1}, c_M)`` (how
many tokens hold each symbol, how many are masked) — ``C(d+m, m)`` numbers instead of
``(m+1)^d``.  One step moves orbit ``(c_U, r)`` (``r`` masks) by a multinomial:

* per-token rules (Euler, τ-leaping, ancestral): every masked token independently becomes
  ``a`` w.p. ``w_a(c_U)`` or stays masked w.p. ``w_M(c_U)``, so the ``r`` masks split as
  ``Multinomial(r; w_0, …, w_{m−1}, w_M)``;
* exact reverse: ``s ~ Bin(r, p_k)`` tokens are revealed jointly from the data law, the
  revealed counts ``k`` having probability ``multinom(s; k)·T(c_U + k)/T(c_U)``.

``T(c)`` is the probability of one arrangement with counts ``c`` on ``|c|`` given positions
(the partial marginal), from the top level ``T(c) = P(x)`` (``|c| = d``) down by
``T(c) = Σ_a T(c + e_a)``; the exact conditional is ``ĝ(a | x_U) = T(c_U + e_a)/T(c_U)``
(off-support contexts: uniform, as the full-space samplers).

TV and KL between two exchangeable laws equal those of their orbit laws, so
:class:`OrbitResult` reports them exactly; :meth:`OrbitResult.to_law` expands to the full
masked space (small ``d``, for cross-checks with :mod:`mdtheory.samplers.masked`).

>>> from mdtheory.distributions import parity
>>> from mdtheory.samplers import euler
>>> r = exchangeable_law("euler", parity(4), steps=4)
>>> r.tv() == euler(parity(4), steps=4).tv(), r.n_orbits
(True, 15)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..divergences import kl as _kl, tv as _tv
from ..law_structure import Exchangeable, StructureError, count_vectors, multinomial, structure_of
from ..laws import Law
from ..masked_scores import unmask_rate
from ..schedules import Clock, ExponentialClock, Grid, LinearClock
from ..spaces import MaskedSpace, ProductSpace
from ..tiers import NotExactError, Tier, get_tier
from ._masked_core import SamplerError, StepSizeError
from .masked import _forward_times, _unmask_prob, time_grid

__all__ = ["exchangeable_law", "OrbitResult", "SAMPLERS"]

SAMPLERS = ("euler", "tau_leaping", "ancestral", "exact_reverse")


@dataclass
class OrbitResult:
    """Exact output law of a masked sampler on an exchangeable data law, as an orbit law.

    Attributes
    ----------
    orbits : list of tuples
        Count vectors ``(c_0, …, c_{m−1}, c_M)`` (``c_M``: masked tokens), ``Σ = d``.
    probs : np.ndarray
        Output probability of each orbit (tier scalars).
    data_probs : np.ndarray
        Data probability of each orbit (0 on orbits with masks).
    leftover_mask_mass, off_support_mass
        As in :class:`~mdtheory.samplers.SamplerResult` (mass still masked; mass on
        revealed contexts of data probability 0).
    """

    m: int
    d: int
    orbits: list
    probs: np.ndarray
    data_probs: np.ndarray
    tier: Tier
    sampler: str
    n_steps: int
    leftover_mask_mass: Any
    off_support_mass: Any
    info: dict = field(default_factory=dict)

    @property
    def n_orbits(self) -> int:
        return len(self.orbits)

    def _laws(self):
        space = ProductSpace(max(2, self.n_orbits), 1)
        pad = space.m - self.n_orbits
        t = self.tier
        with t.active():
            a = np.concatenate([self.data_probs, t.zeros(pad)]) if pad else self.data_probs
            b = np.concatenate([self.probs, t.zeros(pad)]) if pad else self.probs
        return Law(space, a, t, validate=False), Law(space, b, t, validate=False)

    def tv(self):
        """``TV(data, output)`` on ``{0..m}^d`` (= TV of the orbit laws; leftover masks count)."""
        p, q = self._laws()
        return _tv(p, q)

    def kl(self, **kw):
        """``KL(data ‖ output)`` on ``{0..m}^d`` (= KL of the orbit laws); options as :func:`~mdtheory.divergences.kl`."""
        p, q = self._laws()
        return _kl(p, q, **kw)

    def orbit_prob(self, counts) -> Any:
        return self.probs[self.orbits.index(tuple(counts))]

    def to_law(self) -> Law:
        """The output law on ``{0..m}^d`` (``P(x) = P(orbit)/#orbit``; small ``d`` only)."""
        m, d, t = self.m, self.d, self.tier
        S = MaskedSpace(m, d)
        S.check_fits(t, copies=2)
        index = {c: i for i, c in enumerate(self.orbits)}
        with t.active():
            arr = t.zeros(S.shape)
            sizes = {c: t.scalar(multinomial(d, c)) for c in self.orbits}
            for x in np.ndindex(*S.shape):
                c = tuple(x.count(a) for a in range(m + 1))
                arr[x] = self.probs[index[c]] / sizes[c]
        return Law(S, arr, t, validate=False)

    def __repr__(self) -> str:
        t = self.tier
        return (f"OrbitResult({self.sampler}, m={self.m}, d={self.d}, orbits={self.n_orbits}, tier={t.describe()}, "
                f"n_steps={self.n_steps}, leftover_mask_mass={t.format(self.leftover_mask_mass)})")


class _Orbits:
    """Index tables of the orbit space and of the multinomial moves (they do not depend on the step).

    Orbit ``i`` is ``partial[i] + (d − |partial[i]|,)``: an orbit is fixed by its revealed
    counts, so orbits and partial count vectors share one index.
    """

    def __init__(self, m: int, d: int):
        self.m, self.d = m, d
        self.partial = [c for u in range(d + 1) for c in count_vectors(m, u)]  # revealed counts, |c| ≤ d
        self.pindex = {c: i for i, c in enumerate(self.partial)}
        self.orbits = [c + (d - sum(c),) for c in self.partial]
        self.index = {c: i for i, c in enumerate(self.orbits)}
        P = np.array(self.partial, dtype=np.int64).reshape(len(self.partial), m)
        radix = d + 1
        dense = radix**m <= 1 << 24
        if dense:
            weights = radix ** np.arange(m, dtype=np.int64)
            lookup = np.full(radix**m, -1, dtype=np.int64)
            lookup[P @ weights] = np.arange(len(self.partial))
        # child[i, a]: index of partial[i] + e_a (−1 when |partial[i]| = d)
        self.child = np.full((len(self.partial), m), -1, dtype=np.int64)
        top = P.sum(axis=1) < d
        for a in range(m):
            Q = P[top].copy()
            Q[:, a] += 1
            self.child[top, a] = (lookup[Q @ weights] if dense
                                  else [self.pindex[tuple(v)] for v in Q.tolist()])
        self.moves = {}
        for r in range(d + 1):
            rows = [self.pindex[cu] for cu in count_vectors(m, d - r)]
            src = np.array(rows, dtype=np.int64)
            comps = list(count_vectors(m + 1, r))
            K = np.array(comps, dtype=np.int64).reshape(len(comps), m + 1)
            new = P[src][:, None, :] + K[None, :, :m]
            if dense:
                tgt = lookup[new @ weights]
            else:  # pragma: no cover - huge alphabets
                tgt = np.array([[self.pindex[tuple(v)] for v in row] for row in new.tolist()], dtype=np.int64)
            coef = [multinomial(r, k) for k in comps]
            log_coef = np.array([math.lgamma(r + 1) - sum(math.lgamma(x + 1) for x in k) for k in comps])
            self.moves[r] = (src, K, tgt, coef, log_coef)


_ORBIT_CACHE: dict = {}


def _orbit_tables(m: int, d: int) -> _Orbits:
    key = (m, d)
    if key not in _ORBIT_CACHE:
        if len(_ORBIT_CACHE) > 8:
            _ORBIT_CACHE.clear()
        _ORBIT_CACHE[key] = _Orbits(m, d)
    return _ORBIT_CACHE[key]


def _record_and_law(law) -> tuple[Exchangeable, Law | None]:
    rec = structure_of(law)
    if not isinstance(rec, Exchangeable):
        raise StructureError(
            "exchangeable_law needs an exchangeable data law: a law built by copy/parity/sum_mod/uniform/"
            "i.i.d. product, one declared with law_structure.declare(law, Exchangeable(m, d)), or an "
            "Exchangeable record"
        )
    return rec, (law if isinstance(law, Law) else None)


def _partial_table(rec: Exchangeable, law: Law | None, O: _Orbits, t: Tier) -> np.ndarray:
    """``T(c)`` for every revealed count vector ``|c| ≤ d`` (tier scalars)."""
    m, d = O.m, O.d
    T = t.zeros(len(O.partial))
    probs = None
    if rec.state_prob is None:
        if law is None:
            raise StructureError("this exchangeable record has no state_prob; pass the full law")
        probs = (law if law.tier == t else law.to_tier(t)).probs
    for c in count_vectors(m, d):
        if probs is not None:
            T[O.pindex[c]] = probs[tuple(a for a, n in enumerate(c) for _ in range(n))]
        else:
            T[O.pindex[c]] = t.scalar(rec.state_prob(c))
    for u in range(d - 1, -1, -1):
        for c in count_vectors(m, u):
            s = t.zero
            for a in range(m):
                s = s + T[O.pindex[c[:a] + (c[a] + 1,) + c[a + 1 :]]]
            T[O.pindex[c]] = s
    return T


def _is_zero(t: Tier, v) -> bool:
    return t.is_zero(v) is True


def exchangeable_law(sampler: str, law, *, clock: Clock | None = None, T=None, grid: Grid | None = None,
                     steps: int | None = None, kappa=None, delta=0, tier=None, prec=None, clip: bool = False,
                     final=None) -> OrbitResult:
    """Exact output law of ``sampler`` (``'euler'``, ``'tau_leaping'``, ``'ancestral'``, ``'exact_reverse'``)
    with exact scores, from the all-mask state, as an orbit law.

    ``law``: an exchangeable data law (see :mod:`mdtheory.law_structure`) or an
    :class:`~mdtheory.law_structure.Exchangeable` record (then ``d`` may be large: nothing of
    size ``m^d`` is built).  Grid and clock arguments as :func:`mdtheory.samplers.euler`;
    ``final='sample'`` fills leftover masks from the exact conditionals.

    >>> from mdtheory.law_structure import Exchangeable
    >>> from fractions import Fraction
    >>> even = Exchangeable(2, 64, lambda c: Fraction(1, 2**63) if c[1] % 2 == 0 else 0)
    >>> r = exchangeable_law("ancestral", even, steps=8, tier="float")
    >>> 0.4 < r.tv() <= 0.5, r.n_orbits       # 8 steps break the parity almost surely
    (True, 2145)
    """
    if sampler not in SAMPLERS:
        raise SamplerError(f"sampler={sampler!r}; use one of {', '.join(SAMPLERS)}")
    if final not in (None, "sample"):
        raise SamplerError(f"final={final!r}; the lumped path supports None (keep masks) or 'sample'")
    rec, full = _record_and_law(law)
    m, d = rec.m, rec.d
    t = get_tier(tier, prec) if tier is not None else (full.tier if full is not None else get_tier(rec.tier))
    clock = clock if clock is not None else (ExponentialClock() if kappa is not None else LinearClock())
    clock, T_, grid = time_grid(clock, T=T, grid=grid, steps=steps, kappa=kappa, delta=delta)
    taus = _forward_times(T_, grid)
    O = _orbit_tables(m, d)
    info: dict = {"clock": clock.describe(), "T": T_, "grid": grid.kind, "times": grid.times, "clipped": 0,
                  "structure": rec.describe()}
    with t.active():
        Tab = _partial_table(rec, full, O, t)
        P = t.zeros(len(O.orbits))
        P[O.index[(0,) * m + (d,)]] = t.one
        joint = sampler == "exact_reverse"
        if t.is_float:
            fast = _FloatStepper(O, Tab, joint)
        else:
            fast = _ExactStepper(O, Tab, joint, t) if grid.N >= EXACT_STEPPER_MIN_STEPS else None
        for k in range(grid.N):
            if joint:
                p = _unmask_prob(clock, taus, k, t)
                P = fast.step(P, p) if fast else _joint_step(P, O, Tab, p, t)
            else:
                rule = _token_weights(sampler, clock, taus, k, t, clip, info)
                P = fast.step(P, rule[1]) if fast else _token_step(P, O, Tab, rule, t, k, taus)
        if final == "sample":
            if t.is_float and not joint:
                P = fast.step(P, 1.0)
            else:
                P = _token_step(P, O, Tab, ("final", None), t, grid.N, taus)
        data = t.zeros(len(O.orbits))
        for c in count_vectors(m, d):
            data[O.index[c + (0,)]] = Tab[O.pindex[c]] * t.scalar(multinomial(d, c))
        left = t.zero
        off = t.zero
        for i, c in enumerate(O.orbits):
            if c[m]:
                left = left + P[i]
            if _is_zero(t, Tab[O.pindex[c[:m]]]):
                off = off + P[i]
    return OrbitResult(m, d, O.orbits, P, data, t, sampler, grid.N, left, off, info)


class _FloatStepper:
    """Float tier: one step as a binomial spread and a sparse matrix–vector product with step-independent values.

    With exact (time-agnostic) scores every rule reveals each mask independently w.p. ``ρ_k``
    (Euler ``c_k``, ancestral ``p_k``, τ-leaping ``1 − e^{−c_k}``, exact reverse ``p_k``), and
    the ``s`` revealed values have a law fixed by the context (``multinom(s; k)·Π ĝ_a^{k_a}``
    per token; ``multinom(s; k)·T(c_U + k)/T(c_U)`` jointly).  So a step is two products:
    each orbit's mass spread over how many of its ``r`` masks it keeps (``β_k(r, k_M) = C(r, k_M) ρ_k^{r−k_M}(1−ρ_k)^{k_M}``, a dense ``orbits × (d+1)``
    array), then one sparse matrix–vector product with the step-independent value law ``V``.
    """

    def __init__(self, O: _Orbits, Tab: np.ndarray, joint: bool):
        import scipy.sparse as sp

        m, d = O.m, O.d
        t = get_tier("float")
        rows, cols, vals, kk = [], [], [], []
        lg = [math.lgamma(i + 1) for i in range(d + 2)]
        lg = np.array(lg)
        for r, (src, K, tgt, _coef, _lc) in O.moves.items():
            n_src, n_comp = tgt.shape
            s_ = r - K[:, m]
            log_mult_s = lg[s_] - lg[K[:, :m]].sum(axis=1)
            if joint:
                base = Tab[src][:, None]
                ratio = np.where(base > 0, Tab[tgt] / np.where(base > 0, base, 1.0), (1.0 / m) ** s_[None, :])
                V = np.exp(log_mult_s)[None, :] * ratio
            else:
                G = _conditionals(O, Tab, src, t) if r else np.ones((n_src, m))
                with np.errstate(divide="ignore"):
                    logG = np.maximum(np.log(G), -1e5)
                E = np.broadcast_to(log_mult_s, (n_src, n_comp)).copy()
                for a in range(m):
                    E += logG[:, a : a + 1] * K[None, :, a]
                V = np.exp(E)
            rows.append(np.repeat(src, n_comp))
            cols.append(tgt.reshape(-1))
            vals.append(V.reshape(-1))
            kk.append(np.tile(K[:, m], n_src))
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        n = len(O.orbits)
        kM = np.concatenate(kk)
        # the step-independent value law as one sparse matrix from (orbit, masks kept) pairs to
        # orbits; a step first spreads each orbit's mass over its kept-mask counts (binomial)
        self.Vt = sp.csr_matrix((np.concatenate(vals), (cols, rows * (d + 1) + kM)), shape=(n, n * (d + 1)))
        self.r_orbit = np.array([c[m] for c in O.orbits], dtype=np.int64)
        self.d = d
        self._lg = lg

    def step(self, P: np.ndarray, rho) -> np.ndarray:
        rho = float(rho)
        d, lg = self.d, self._lg
        r = np.arange(d + 1)[:, None]
        k = np.arange(d + 1)[None, :]
        valid = k <= r
        if rho >= 1.0:
            beta = ((k == 0) & valid).astype(float)
        elif rho <= 0.0:
            beta = (k == r).astype(float)
        else:
            logb = lg[r] - lg[k] - lg[np.maximum(r - k, 0)] + (r - k) * np.log(rho) + k * np.log1p(-rho)
            beta = np.where(valid, np.exp(np.where(valid, logb, 0.0)), 0.0)
        Q = P[:, None] * beta[self.r_orbit]  # Q[orbit, k]: its mass with k of its r masks kept
        return self.Vt @ Q.reshape(-1)


#: exact/certified runs of at least this many steps build the step-independent value law once
EXACT_STEPPER_MIN_STEPS = 4


class _ExactStepper:
    """Exact and enclosure tiers: :class:`_FloatStepper`'s factorisation with tier scalars.

    The value law ``V = multinom(r; k)·Π_a ĝ_a^{k_a}`` (per token) or ``multinom(r; k)·T(c_U + k)/T(c_U)``
    (jointly) is built once; a step multiplies each orbit's mass by ``ρ^s (1−ρ)^{k_M}`` per kept-mask
    count and then by ``V``, and sums the products per target orbit (entries sorted by target once).
    Same products as :func:`_token_step`/:func:`_joint_step` (exactly equal in rationals).
    """

    def __init__(self, O: _Orbits, Tab: np.ndarray, joint: bool, t: Tier):
        m, d = O.m, O.d
        self.t, self.d = t, d
        vals, pair, tgts = [], [], []
        unif = t.one / t.scalar(m)
        for r, (src, K, tgt, coef, log_coef) in O.moves.items():
            if joint:
                s_ = (r - K[:, m]).tolist()
                V = t.zeros((len(src), len(K)))
                for i, ci in enumerate(src.tolist()):
                    base = Tab[ci]
                    for j in range(len(K)):
                        w = t.scalar(coef[j])
                        V[i, j] = w * unif ** int(s_[j]) if _is_zero(t, base) else w * Tab[tgt[i, j]] / base
            else:
                G = _conditionals(O, Tab, src, t) if r else t.zeros((len(src), m)) + t.one
                W = np.concatenate([G, t.zeros((len(src), 1)) + t.one], axis=1)
                V = _multinomial_pmf(W, K, coef, log_coef, t)
            vals.append(V.reshape(-1))
            pair.append((src[:, None] * (d + 1) + K[None, :, m]).reshape(-1))
            tgts.append(tgt.reshape(-1))
        tgt = np.concatenate(tgts)
        order = np.argsort(tgt, kind="stable")
        self.V = np.concatenate(vals)[order]
        self.pair = np.concatenate(pair)[order]
        tgt = tgt[order]
        self.starts = np.flatnonzero(np.r_[True, tgt[1:] != tgt[:-1]])
        self.targets = tgt[self.starts]
        self.r_orbit = np.array([c[m] for c in O.orbits], dtype=np.int64)
        self.n = len(O.orbits)

    def step(self, P: np.ndarray, rho) -> np.ndarray:
        t, d = self.t, self.d
        one = t.one
        pw_r = [one]
        pw_q = [one]
        for _ in range(d):
            pw_r.append(pw_r[-1] * rho)
            pw_q.append(pw_q[-1] * (one - rho))
        beta = t.zeros((d + 1, d + 1))  # beta[r, kM] = ρ^{r−kM} (1−ρ)^{kM}
        for r in range(d + 1):
            for k in range(r + 1):
                beta[r, k] = pw_r[r - k] * pw_q[k]
        Q = (P[:, None] * beta[self.r_orbit]).reshape(-1)
        out = t.zeros(self.n)
        out[self.targets] = np.add.reduceat(self.V * Q[self.pair], self.starts)
        return out


def _token_weights(sampler, clock, taus, k, t: Tier, clip, info):
    if sampler == "ancestral":
        return ("ancestral", _unmask_prob(clock, taus, k, t))
    c = t.scalar(taus[k] - taus[k + 1]) * unmask_rate(clock, taus[k], t)
    if sampler == "euler":
        if t.compare(c, t.one) == 1:
            if not clip:
                raise StepSizeError(
                    f"Euler step {k} (forward time τ = {taus[k]}): h·Σ_a ŝ = {t.format(c)} > 1; "
                    "use a finer grid or pass clip=True"
                )
            info["clipped"] += 1
            return ("ancestral", t.one)
        return ("euler", c)
    try:
        stay = t.exp(-c)
    except NotExactError:
        raise NotExactError(
            "τ-leaping's stay probability exp(−h·Σŝ) is irrational; use tier='certified' (or 'float')"
        ) from None
    return ("ancestral", t.one - stay)


def _conditionals(O: _Orbits, Tab: np.ndarray, ctx: np.ndarray, t: Tier) -> np.ndarray:
    """``ĝ(a | c_U)`` for the contexts ``ctx`` (indices of revealed counts), shape ``(len(ctx), m)``.

    Off-support contexts (``T(c_U) = 0``) get the uniform convention ``1/m``.
    """
    m = O.m
    ch = O.child[ctx]
    if t.dtype is not object:
        base = Tab[ctx][:, None]
        num = Tab[np.maximum(ch, 0)]
        return np.where(base > 0, num / np.where(base > 0, base, 1.0), 1.0 / m)
    G = t.zeros((len(ctx), m))
    unif = t.one / t.scalar(m)
    for i, ci in enumerate(ctx.tolist()):
        base = Tab[ci]
        if _is_zero(t, base):
            G[i, :] = unif
            continue
        for a in range(m):
            G[i, a] = Tab[ch[i, a]] / base
    return G


def _token_step(P, O: _Orbits, Tab, rule, t: Tier, k, taus):
    """Per-token rule: the ``r`` masks of each orbit split multinomially."""
    kind, val = rule
    m = O.m
    out = t.zeros(P.shape)
    for r, (src, K, tgt, coef, log_coef) in O.moves.items():
        mass = P[src]
        if r == 0:
            _scatter(out, src, mass, t)
            continue
        live = _nonzero(mass, t)
        if not live.any():
            continue
        src_l, mass_l = src[live], mass[live]
        G = _conditionals(O, Tab, src_l, t)
        if kind == "euler":
            W = np.concatenate([G * val, t.zeros((len(src_l), 1)) + (t.one - val)], axis=1)
        elif kind == "ancestral":
            W = np.concatenate([G * val, t.zeros((len(src_l), 1)) + (t.one - val)], axis=1)
        else:  # final fill: every mask revealed
            W = np.concatenate([G, t.zeros((len(src_l), 1))], axis=1)
        pmf = _multinomial_pmf(W, K, coef, log_coef, t)
        contrib = mass_l[:, None] * pmf
        _scatter(out, tgt[live].reshape(-1), contrib.reshape(-1), t)
    return out


def _joint_step(P, O: _Orbits, Tab, p, t: Tier):
    """Exact reverse kernel: reveal ``s ~ Bin(r, p)`` tokens jointly from the data law."""
    m = O.m
    out = t.zeros(P.shape)
    unif = t.one / t.scalar(m)
    for r, (src, K, tgt, coef, log_coef) in O.moves.items():
        mass = P[src]
        if r == 0:
            _scatter(out, src, mass, t)
            continue
        live = _nonzero(mass, t)
        if not live.any():
            continue
        s = r - K[:, m]
        if t.dtype is not object:
            idx = np.nonzero(live)[0]
            with np.errstate(divide="ignore"):
                lp, lq = (np.log(p) if p > 0 else -1e5), (np.log1p(-p) if p < 1 else -1e5)
            base = Tab[src[idx]][:, None]
            ratio = np.where(base > 0, Tab[tgt[idx]] / np.where(base > 0, base, 1.0), (1.0 / m) ** s[None, :])
            pmf = np.exp(log_coef + s * lp + K[:, m] * lq)[None, :] * ratio
            _scatter(out, tgt[idx].reshape(-1), (mass[idx][:, None] * pmf).reshape(-1), t)
            continue
        rows = []
        for i in np.nonzero(live)[0].tolist():
            base = Tab[src[i]]
            row = []
            for j in range(len(K)):
                w = t.scalar(coef[j]) * (p ** int(s[j])) * ((t.one - p) ** int(K[j, m]))
                if _is_zero(t, base):
                    w = w * unif ** int(s[j])
                else:
                    w = w * Tab[tgt[i, j]] / base
                row.append(w)
            rows.append(row)
        pmf = t.array(rows) if t.dtype is object else np.array(rows, dtype=float)
        contrib = mass[live][:, None] * pmf
        _scatter(out, tgt[live].reshape(-1), contrib.reshape(-1), t)
    return out


def _multinomial_pmf(W: np.ndarray, K: np.ndarray, coef: list, log_coef: np.ndarray, t: Tier) -> np.ndarray:
    """``multinom(r; k)·Π_a W[i, a]^{k_a}`` for every row ``i`` of ``W`` and composition ``k`` (row of ``K``)."""
    if t.dtype is object:
        n, a = W.shape
        out = np.empty((n, len(K)), dtype=object)
        powers = [[[None] * (int(K[:, b].max()) + 1) for b in range(a)] for _ in range(n)]
        for i in range(n):
            for b in range(a):
                pw = powers[i][b]
                pw[0] = t.one
                for e in range(1, len(pw)):
                    pw[e] = pw[e - 1] * W[i, b]
        cs = [t.scalar(c) for c in coef]
        Kl = K.tolist()
        for i in range(n):
            pw = powers[i]
            for j, kk in enumerate(Kl):
                v = cs[j]
                for b, e in enumerate(kk):
                    if e:
                        v = v * pw[b][e]
                out[i, j] = v
        return out
    # float: exp(log multinom + k·log w) by one matrix product; log 0 → −1e5 (exp underflows
    # to an exact 0, and 0·(−1e5) = 0 keeps 0⁰ = 1)
    with np.errstate(divide="ignore"):
        logW = np.maximum(np.log(W), -1e5)
    E = np.empty((W.shape[0], len(K)))
    E[...] = log_coef[None, :]
    for b in range(W.shape[1]):
        E += logW[:, b : b + 1] * K[None, :, b]
    return np.exp(E, out=E)


def _nonzero(v: np.ndarray, t: Tier) -> np.ndarray:
    if t.dtype is object:
        return np.array([not _is_zero(t, x) for x in v.tolist()], dtype=bool)
    return v != 0


def _scatter(out: np.ndarray, idx: np.ndarray, vals: np.ndarray, t: Tier) -> None:
    if t.dtype is object:
        for i, v in zip(idx.tolist(), vals.tolist()):
            out[i] = out[i] + v
    else:
        out += np.bincount(idx, weights=vals, minlength=out.shape[0])
