"""Euler-type samplers for the random walk on Z_m^d (and the truncated biased walk), with exact output laws.

The backward process runs on a grid ``0 = t_0 < … < t_N = T − δ`` (backward time; forward time
``s_k = T − t_k``).  On step ``k`` the backward rates are *frozen* at ``s_k``: the rate of the
move ``x → x^{j←b}`` is ``r̂_k(x; j, a→b) = β(s_k)·q_j(b→a)·ŝ`` with the estimated score ``ŝ``
(``r_k`` with the true score is :func:`mdtheory.scores.backward_rates`).  Schemes:

``S1`` frozen-rate Poisson steps (random walk only): on a step each direction ``(j, ±)`` fires as a
    Poisson process with the rate frozen at the step's start state; the displacement of coordinate
    ``j`` is ``N₊ − N₋ mod m`` (Skellam mod m), i.e. row 0 of ``exp(h·A(λ₊, λ₋))`` for the circulant
    walk generator ``A`` — computed with ``arb_mat.exp`` in the certified tier.
``S2`` per-coordinate first-jump Euler: coordinate ``j`` moves at most once, to ``b`` with
    probability ``(r̂_b/Λ)(1 − e^{−hΛ})``, ``Λ = Σ_b r̂_b``; coordinates independent given the state.
``S3`` time-frozen Gillespie: the state updates after each jump, rates frozen in time: the step
    kernel is ``exp(h·Q̂_k)`` on the full space (small spaces only).

Everything is an exact Markov kernel, so the output law is ``q_N = q_0·K̂_0⋯K̂_{N−1}``, computed
in the tier (certified balls: every number is an enclosure).  :func:`run_sampler` returns a
:class:`SamplerReport` with the three-part error side by side with the exact output error:

* initialisation ``KL(p_T ‖ q_0)`` and ``TV``;
* approximation ``ε = Σ_k h_k·E_{p_{s_k}} Σ r·D(r̂/r)``, ``D(u) = u − 1 − log u`` (grid-weighted
  score entropy of the estimator);
* discretisation ``Σ_k E_{p_{s_k}} KL(K_k^true(x,·) ‖ K̂_k(x,·))`` with the *true* scores, where
  ``K^true(x, y) = p_{s_{k+1}}(y)P_h(y, x)/p_{s_k}(x)`` is the exact backward transition;
* the chain-rule bound ``KL(p_T‖q_0) + Σ_k E KL(K^true ‖ K̂_k)`` (with the estimator), which is
  ``≥ KL(p_δ ‖ q_N)`` by data processing;
* for S1 on the random walk, the path-space (Girsanov) value
  ``KL(P ‖ P̂) = init + ε + Σ_{moves} c·Σ_k ∫_{t_k}^{t_{k+1}} (G(t) − G(t_k)) dt`` with
  ``G(t) = E_{p_{T−t}}[u log u]`` (the martingale property of the score makes this exact; the
  integral is enclosed with certified derivatives over sub-interval balls).

Zero-mass states of ``p_{s_k}`` (none for the random walk at ``s > 0``) get rate 0; the output
keeps all its mass, including the biased walk's overflow level (reported in ``overflow_bound``).

>>> from mdtheory import Law, ProductSpace, generators
>>> from mdtheory.samplers.random_walk import run_sampler
>>> mu = Law(ProductSpace(2, 1), ["1/4", "3/4"])
>>> rep = run_sampler(mu, generators.random_walk(2, 1), "S1", T=2, delta="1/10", N=4, prec=64)
>>> rep.output.tier.name, rep.kl_output < rep.chain_rule, rep.chain_rule < rep.path_kl.upper()
('certified', True, True)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

import numpy as np
from flint import arb, fmpq

from ..divergences import kl, tv
from ..generators import KroneckerSum
from ..laws import Law
from ..propagate import Process, coordinate_kernels, forward
from ..schedules import ExponentialClock, Grid, uniform_grid
from ..scores import (
    backward_rates,
    random_walk_moves,
    score_functional,
    score_functional_derivative,
)
from ..spaces import TruncatedLattice, check_fits
from ..tiers import MdtheoryError, Tier, as_fraction, get_tier

__all__ = [
    "RandomWalkSamplerError",
    "SamplerReport",
    "run_sampler",
    "true_scores",
    "perturbed_estimator",
    "initial_law",
    "step_kernel",
    "move_groups",
    "telescoped_discretisation_bound",
]

SCHEMES = ("S1", "S2", "S3")


class RandomWalkSamplerError(MdtheoryError):
    """Invalid request to the random-walk samplers.

    >>> from mdtheory import Law, ProductSpace, generators
    >>> run_sampler(Law(ProductSpace(2, 1), ["1/2", "1/2"]), generators.random_walk(2, 1), "S9", T=1, delta="1/10", N=2)
    Traceback (most recent call last):
    ...
    mdtheory.samplers.random_walk.RandomWalkSamplerError: ...
    """


# ---------------------------------------------------------------------------------------------
# estimators
# ---------------------------------------------------------------------------------------------


def true_scores() -> Callable:
    """The true scores: ``estimator(s, rates, tier) -> rates`` returns the true backward rates.

    >>> est = true_scores()
    >>> est.name, est(1, {(0, 0, 1): "r"}, None)
    ('exact', {(0, 0, 1): 'r'})
    """

    def est(s, rates, tier):
        return rates

    est.name = "exact"
    return est


def perturbed_estimator(eta: Any, seed: int = 0) -> Callable:
    """Scores multiplied by ``1 + η·ξ`` with ``ξ`` fixed, rational, uniform on ``[−1, 1]`` (per move and state).

    Needs ``|η| < 1`` so rates stay positive; ``ξ`` depends on ``seed`` only (not on time).

    >>> est = perturbed_estimator("1/5", seed=1)
    >>> r = {(0, 0, 1): np.array([fmpq(2)], dtype=object)}
    >>> v = est(Fraction(1), r, get_tier("exact"))[(0, 0, 1)][0]
    >>> Fraction(8, 5) <= Fraction(int(v.p), int(v.q)) <= Fraction(12, 5)
    True
    """
    eta = as_fraction(eta)
    if not abs(eta) < 1:
        raise RandomWalkSamplerError(f"the perturbation needs |eta| < 1 to keep rates positive, got {eta}")
    cache: dict = {}

    def est(s, rates, tier):
        out = {}
        for key, arr in rates.items():
            if key not in cache:
                rng = np.random.default_rng([seed, *[int(k) for k in key]])
                cache[key] = [Fraction(int(v), 1000) for v in rng.integers(-1000, 1001, size=arr.size)]
            xi = cache[key]
            flat = arr.reshape(-1)
            vals = [flat[k] * tier.scalar(1 + eta * xi[k]) for k in range(flat.size)]
            res = np.empty(arr.shape, dtype=object if tier.dtype is object else np.float64)
            res.reshape(-1)[:] = vals
            out[key] = res
        return out

    est.name = f"perturbed(eta={eta}, seed={seed})"
    return est


# ---------------------------------------------------------------------------------------------
# initial laws
# ---------------------------------------------------------------------------------------------


def initial_law(space, kind: "str | Law", tier: "str | Tier" = "exact", rho: Any = None) -> Law:
    """``'uniform'`` (random walk), ``'geometric'`` (biased walk: Geom(ρ)^{⊗d}, tail in the overflow level) or a Law.

    >>> from mdtheory.spaces import TruncatedLattice
    >>> [str(v) for v in initial_law(TruncatedLattice(2, 1), "geometric", rho="1/2").probs]
    ['1/2', '1/4', '1/8', '1/8']
    """
    T = get_tier(tier)
    if isinstance(kind, Law):
        if kind.space != space:
            raise RandomWalkSamplerError(f"the initial law lives on {kind.space!r}, the sampler on {space!r}")
        return kind if kind.tier == T else kind.to_tier(T)
    if kind == "uniform":
        return Law.uniform(space, T)
    if kind == "geometric":
        if not isinstance(space, TruncatedLattice):
            raise RandomWalkSamplerError("the geometric initial law is for the biased walk's TruncatedLattice")
        r = as_fraction(rho)
        one = [(1 - r) * r**k for k in range(space.L + 1)]
        one.append(r ** (space.L + 1))
        arr = np.empty(space.shape, dtype=object)
        for x in itertools.product(range(space.radix), repeat=space.d):
            v = Fraction(1)
            for c in x:
                v *= one[c]
            arr[x] = v
        return Law(space, arr, T)
    if kind in ("mask", "delta_mask"):
        raise RandomWalkSamplerError("δ_mask starts the masked samplers; use mdtheory.samplers.masked")
    raise RandomWalkSamplerError(f"unknown initial law {kind!r}; use 'uniform', 'geometric' or a Law")


# ---------------------------------------------------------------------------------------------
# step kernels
# ---------------------------------------------------------------------------------------------


def _state_rates(rates: dict, gen: KroneckerSum, x: tuple, j: int) -> dict:
    """``{b: rate}`` of the moves of coordinate ``j`` from state ``x``."""
    a = x[j]
    out = {}
    for (jj, aa, b), arr in rates.items():
        if jj == j and aa == a:
            idx = list(x)
            idx[j] = 0
            out[b] = arr[tuple(idx)]
    return out


def _coordinate_row(scheme: str, gen: KroneckerSum, x: tuple, j: int, rates: dict, h, T: Tier) -> dict:
    """Law of the new value of coordinate ``j`` after one step from ``x`` (dict ``b -> prob``)."""
    n = gen.space.radix
    a = x[j]
    rb = _state_rates(rates, gen, x, j)
    if scheme == "S2":
        lam = sum(rb.values(), T.zero)
        if T.is_zero(lam) is True:
            return {a: T.one}
        stay = T.exp(-h * lam)
        out = {a: stay}
        for b, r in rb.items():
            out[b] = out.get(b, T.zero) + (r / lam) * (T.one - stay)
        return out
    if scheme == "S1":
        # frozen Poisson clocks for the translation moves: circulant generator with (λ+, λ−)
        lp = rb.get((a + 1) % n, T.zero)
        lm = rb.get((a - 1) % n, T.zero) if n > 2 else T.zero
        A = T.zeros((n, n))
        for y in range(n):
            A[y, (y + 1) % n] = A[y, (y + 1) % n] + lp
            A[y, (y - 1) % n] = A[y, (y - 1) % n] + lm
            A[y, y] = A[y, y] - lp - lm
        E = T.expm(A * h)
        return {(a + z) % n: E[0, z] for z in range(n)}
    raise RandomWalkSamplerError(f"unknown scheme {scheme!r}")  # pragma: no cover


def step_kernel(scheme: str, gen: KroneckerSum, rates: dict, h, tier: "str | Tier") -> np.ndarray:
    """The ``size × size`` step kernel of ``scheme`` for frozen backward ``rates`` over a step ``h``.

    ``rates[(j, a, b)]`` holds, for the states with ``x_j = a``, the rate of moving coordinate
    ``j`` to ``b``.

    >>> import numpy as np
    >>> from mdtheory import generators
    >>> from mdtheory.tiers import get_tier
    >>> T = get_tier("certified", prec=64)
    >>> rates = {(0, 0, 1): np.array([T.scalar(2)], dtype=object), (0, 1, 0): np.array([T.scalar(1)], dtype=object)}
    >>> K = step_kernel("S2", generators.random_walk(2, 1), rates, "1/2", T)   # 0 → 1 w.p. 1 − e^{−1}
    >>> K[0, 1].overlaps(1 - T.exp(T.scalar(-1))), (K[0, 0] + K[0, 1]).contains(1)
    (True, True)
    """
    T = get_tier(tier)
    space = gen.space
    n = space.size
    check_fits(n * n, T.bytes_per_entry, f"the step kernel on {space!r}", copies=3)
    with T.active():
        h = T.scalar(h)
        if scheme == "S3":
            Q = T.zeros((n, n))
            idx = np.arange(n).reshape(space.shape)
            d = space.d
            for (j, a, b), R in rates.items():
                sl_a = [slice(None)] * d
                sl_b = [slice(None)] * d
                sl_a[j], sl_b[j] = slice(a, a + 1), slice(b, b + 1)
                for s_, t_, r in zip(idx[tuple(sl_a)].reshape(-1), idx[tuple(sl_b)].reshape(-1), R.reshape(-1)):
                    Q[s_, t_] = Q[s_, t_] + r
                    Q[s_, s_] = Q[s_, s_] - r
            return T.expm(Q * h)
        K = T.zeros((n, n))
        for xi, x in enumerate(space.states()):
            rows = [_coordinate_row(scheme, gen, x, j, rates, h, T) for j in range(space.d)]
            for combo in itertools.product(*[list(r.items()) for r in rows]):
                y = tuple(b for b, _ in combo)
                pr = T.one
                for _, v in combo:
                    pr = pr * v
                K[xi, space.index(y)] = K[xi, space.index(y)] + pr
        return K


def _forward_kernel_dense(proc: Process, s_hi, s_lo, T: Tier) -> np.ndarray:
    """``P(y, x)``: forward transition from forward time ``s_lo`` to ``s_hi`` on the full space."""
    ks = coordinate_kernels(proc, T, t=s_hi, s=s_lo if s_lo != 0 else None)
    P = np.array([[T.one]], dtype=object)
    for K in ks:
        P = _kron(P, K)
    return P


def _kron(A, B):
    out = np.empty((A.shape[0] * B.shape[0], A.shape[1] * B.shape[1]), dtype=object)
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            out[i * B.shape[0] : (i + 1) * B.shape[0], j * B.shape[1] : (j + 1) * B.shape[1]] = A[i, j] * B
    return out


def _kl_sum(values, T):
    """Sum of KL terms (``math.inf`` absorbs); each term from :func:`mdtheory.divergences.kl`."""
    tot = T.zero
    for v in values:
        if v is math.inf:
            return math.inf
        tot = tot + v
    return tot


# ---------------------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------------------


@dataclass
class SamplerReport:
    """Exact output law of a sampler and its three-part error, side by side.

    Attributes are tier scalars (certified: balls) or ``math.inf``:

    ``kl_output = KL(p_δ ‖ q_N)``, ``tv_output = TV(p_δ, q_N)``, ``tv_data = TV(μ, q_N)``,
    ``tv_early_stop = TV(μ, p_δ)``; ``init_kl = KL(p_T ‖ q_0)``, ``init_tv``; ``approx`` (score
    entropy), ``disc_kernels`` (true-score step-kernel KL sum), ``chain_rule`` (init + estimator
    step-kernel KL sum, ``≥ kl_output``), ``path_kl`` and ``disc_path`` (S1 on the random walk;
    ``path_kl = init_kl + approx + disc_path ≥ chain_rule``), ``overflow_bound`` (biased walk).

    >>> from mdtheory import Law, ProductSpace, generators
    >>> mu = Law(ProductSpace(2, 1), ["1/4", "3/4"])
    >>> rep = run_sampler(mu, generators.random_walk(2, 1), "S2", T=2, delta="1/10", N=3, prec=64)
    >>> rep.scheme, rep.tier, rep.output.total().contains(1), rep.kl_output < rep.chain_rule
    ('S2', <tier certified(prec=64)>, True, True)
    """

    scheme: str
    output: Law
    target: Law
    data: Law
    grid: Grid
    T: Fraction
    delta: Fraction
    tier: Tier
    estimator: str
    kl_output: Any
    tv_output: Any
    tv_data: Any
    tv_early_stop: Any
    init_kl: Any
    init_tv: Any
    approx: Any
    disc_kernels: Any
    chain_rule: Any
    path_kl: Any = None
    disc_path: Any = None
    overflow_bound: float | None = None
    step_kl: list = field(default_factory=list)

    def table(self) -> str:
        """A two-column text table (name, value with its tier)."""
        rows = [
            ("KL(p_δ ‖ output)", self.kl_output),
            ("TV(p_δ, output)", self.tv_output),
            ("TV(μ, output)", self.tv_data),
            ("TV(μ, p_δ) (early stopping)", self.tv_early_stop),
            ("initialisation KL(p_T ‖ q_0)", self.init_kl),
            ("initialisation TV", self.init_tv),
            ("approximation ε (score entropy)", self.approx),
            ("discretisation Σ E KL (true scores)", self.disc_kernels),
            ("chain rule init + Σ E KL(K ‖ K̂)", self.chain_rule),
            ("discretisation (path, Girsanov)", self.disc_path),
            ("path KL init + ε + disc", self.path_kl),
        ]
        out = [f"{self.scheme}, T={self.T}, δ={self.delta}, N={self.grid.N}, estimator={self.estimator}, {self.tier.describe()}"]
        for name, v in rows:
            if v is None:
                continue
            out.append(f"  {name:<40} {'inf' if v is math.inf else self.tier.format(v)}")
        if self.overflow_bound is not None:
            out.append(f"  {'overflow mass bound':<40} {self.overflow_bound:.3g}")
        return "\n".join(out)

    def __repr__(self) -> str:
        return f"SamplerReport({self.scheme}, N={self.grid.N}, KL(p_δ‖out)={'inf' if self.kl_output is math.inf else self.tier.format(self.kl_output)})"


def _grid_for(T_, delta, grid, N) -> Grid:
    end = T_ - delta
    if grid is None:
        if N is None:
            raise RandomWalkSamplerError("give a backward grid (schedules.Grid) or a number of steps N")
        return uniform_grid(end, int(N))
    if not isinstance(grid, Grid):
        raise RandomWalkSamplerError(f"grid must be a schedules.Grid, got {type(grid).__name__}")
    if grid.times[0] != 0 or grid.times[-1] != end:
        raise RandomWalkSamplerError(f"the backward grid must run from 0 to T − δ = {end}, got [{grid.times[0]}, {grid.times[-1]}]")
    return grid


def run_sampler(
    law: Law,
    process,
    scheme: str,
    *,
    T: Any,
    delta: Any,
    N: int | None = None,
    grid: Grid | None = None,
    initial: "str | Law" = "auto",
    estimator: Callable | None = None,
    tier: str = "certified",
    prec: int = 128,
    path_subdivisions: int = 4,
) -> SamplerReport:
    """Run ``scheme`` (``'S1'``, ``'S2'``, ``'S3'``) exactly and report its output law and error parts.

    Parameters
    ----------
    law : Law
        The data law ``μ`` on the process space.
    process : KroneckerSum or Process
        ``generators.random_walk`` (all schemes) or ``generators.biased_walk`` (S2, S3).
    T, delta :
        Horizon and early-stopping time (rationals, ``0 < δ < T``).
    N, grid :
        Uniform backward grid with ``N`` steps on ``[0, T − δ]``, or an explicit :class:`Grid`.
    initial :
        ``'uniform'``, ``'geometric'`` or a Law; ``'auto'`` picks uniform (random walk) or the
        geometric stationary law (biased walk).
    estimator :
        ``estimator(s, true_rates, tier) -> rates`` (frozen at forward time ``s``); default the
        true scores (:func:`true_scores`).
    tier, prec :
        ``'certified'`` (default, balls) or ``'float'``.
    path_subdivisions :
        Sub-intervals per step for the certified enclosure of the Girsanov integral (S1).

    >>> from mdtheory import Law, ProductSpace, generators
    >>> mu = Law(ProductSpace(2, 1), ["1/4", "3/4"])
    >>> rep = run_sampler(mu, generators.random_walk(2, 1), "S1", T=2, delta="1/10", N=4, prec=64)
    >>> rep.kl_output < rep.chain_rule, rep.chain_rule < rep.path_kl.upper()   # KL(p_δ‖q_N) ≤ chain rule ≤ path KL
    (True, True)
    """
    if scheme not in SCHEMES:
        raise RandomWalkSamplerError(f"unknown scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    proc = process if isinstance(process, Process) else Process(process)
    gen = proc.generator
    fam = gen.factors[0].family
    if fam not in ("random_walk", "biased_walk"):
        raise RandomWalkSamplerError(f"these samplers run the random or biased walk, not {fam!r}; masked samplers live in samplers.masked")
    if scheme == "S1" and fam != "random_walk":
        raise RandomWalkSamplerError("S1 (Poisson displacement mod m) is defined for the random walk only; use S2 or S3")
    if tier not in ("certified", "float"):
        raise RandomWalkSamplerError("the samplers' kernels are transcendental: use tier='certified' (or 'float')")
    Tt = get_tier(tier, prec if tier == "certified" else None)
    T_, delta = as_fraction(T), as_fraction(delta)
    if not 0 < delta < T_:
        raise RandomWalkSamplerError(f"early stopping needs 0 < δ < T, got δ={delta}, T={T_}")
    g = _grid_for(T_, delta, grid, N)
    est = estimator or true_scores()
    if initial == "auto":
        initial = "uniform" if fam == "random_walk" else "geometric"
    rho = None
    if fam == "biased_walk":
        p_ = gen.factors[0].param
        rho = p_["up"] / p_["down"]
    space = gen.space
    space.check_fits(Tt, copies=4)
    with Tt.active():
        mu = law if law.tier == Tt else law.to_tier(Tt)
        q0 = initial_law(space, initial, Tt, rho)
        fwd = [forward(law, proc, t=T_ - t, tier=Tt) for t in g.times]  # p_{s_k}, s_k = T − t_k
        pT, pdelta = fwd[0], fwd[-1]
        q = q0.probs.reshape(-1)
        steps = []
        approx_terms, disc_terms, chain_terms = [], [], []
        for k in range(g.N):
            s_k, s_next = T_ - g.times[k], T_ - g.times[k + 1]
            h = g.times[k + 1] - g.times[k]
            pk = fwd[k].probs
            beta = proc.clock.beta(s_k, Tt)
            true_rates = {key: arr * beta for key, arr in backward_rates(pk, gen, Tt).items()}
            est_rates = est(s_k, true_rates, Tt)
            Khat = step_kernel(scheme, gen, est_rates, h, Tt)
            Kex = Khat if getattr(est, "name", "") == "exact" else step_kernel(scheme, gen, true_rates, h, Tt)
            # exact backward transition K_true(x, y) = p_{s_{k+1}}(y)·P(y, x)/p_{s_k}(x)
            P = _forward_kernel_dense(proc, s_k, s_next, Tt)
            pk_flat, pn_flat = pk.reshape(-1), fwd[k + 1].probs.reshape(-1)
            ekl_hat, ekl_ex = Tt.zero, Tt.zero
            for xi in range(space.size):
                px = pk_flat[xi]
                if Tt.is_zero(px) is True:
                    continue
                row = [pn_flat[y] * P[y, xi] / px for y in range(space.size)]
                kh = kl(row, Khat[xi], tier=Tt, undecided="nan")
                ke = kh if Kex is Khat else kl(row, Kex[xi], tier=Tt, undecided="nan")
                ekl_hat = math.inf if (kh is math.inf or ekl_hat is math.inf) else ekl_hat + px * kh
                ekl_ex = math.inf if (ke is math.inf or ekl_ex is math.inf) else ekl_ex + px * ke
            chain_terms.append(ekl_hat)
            disc_terms.append(ekl_ex)
            steps.append(ekl_hat)
            approx_terms.append(_score_entropy(pk, true_rates, est_rates, gen, Tt) if not Kex is Khat else Tt.zero)
            if approx_terms[-1] is not math.inf:
                approx_terms[-1] = approx_terms[-1] * Tt.scalar(h)
            q = q.dot(Khat)
        out = Law(space, q.reshape(space.shape), Tt, validate=False)
        init_kl = kl(pT.probs, q0.probs, tier=Tt, undecided="nan")
        init_tv = tv(pT, q0)
        approx = _kl_sum(approx_terms, Tt)
        disc = _kl_sum(disc_terms, Tt)
        chain = init_kl if init_kl is math.inf else _kl_sum([init_kl] + chain_terms, Tt)
        kl_out = kl(pdelta.probs, out.probs, tier=Tt, undecided="nan")
        tv_out = tv(pdelta, out)
        tv_data = tv(mu, out)
        tv_es = tv(mu, pdelta)
        path_kl = disc_path = None
        if scheme == "S1" and isinstance(proc.clock, ExponentialClock):
            disc_path = _girsanov_disc(law, proc, g, T_, Tt, path_subdivisions)
            if init_kl is not math.inf and approx is not math.inf:
                path_kl = init_kl + approx + disc_path
            else:
                path_kl = math.inf
        ob = None
        if fam == "biased_walk":
            ob = max(Tt.upper_float(space.overflow_mass(f.probs, Tt)) for f in fwd)
            ob = max(ob, Tt.upper_float(space.overflow_mass(out.probs, Tt)))
    return SamplerReport(
        scheme, out, pdelta, mu, g, T_, delta, Tt, getattr(est, "name", "custom"),
        kl_out, tv_out, tv_data, tv_es, init_kl, init_tv, approx, disc, chain, path_kl, disc_path, ob, steps,
    )


def _score_entropy(pk, true_rates, est_rates, gen, T: Tier):
    """``E_{p}[Σ_y r·D(r̂/r)] = E Σ (r̂ − r − r log(r̂/r))`` (``r = 0``: ``r̂``; ``r̂ = 0 < r``: ∞)."""
    d = gen.d
    tot = T.zero
    for key, R in true_rates.items():
        j, a, b = key
        Rh = est_rates[key]
        sl = [slice(None)] * d
        sl[j] = slice(a, a + 1)
        P = pk[tuple(sl)]
        for px, r, rh in zip(P.reshape(-1), R.reshape(-1), Rh.reshape(-1)):
            if T.is_zero(px) is True:
                continue
            if T.is_zero(r) is True:
                tot = tot + px * rh
                continue
            if T.is_zero(rh) is True:
                return math.inf
            tot = tot + px * (rh - r - r * T.log(rh / r))
    return tot


def _girsanov_disc(law, proc, g: Grid, T_, Tt: Tier, nsub: int):
    """``Σ_moves c·Σ_k ∫_{t_k}^{t_{k+1}} (G(t) − G(t_k)) dt``, ``G(t) = E_{p_{T−t}} u log u``.

    Enclosure per sub-interval ``[a, b]`` of a step: ``∫_a^b (G − G(t_k)) = h(G(a) − G(t_k)) +
    ∫_a^b (G(t) − G(a)) dt`` and the last integral lies in ``(h²/2)·{G'(ξ): ξ ∈ [a, b]}``; ``G'`` is the
    certified derivative over the ball ``[a, b]`` (``dG/dt = −dF/ds`` in forward time).
    """
    gen = proc.generator
    beta = Tt.scalar(proc.clock.rate)
    groups: dict = {}
    for (i, sgn) in random_walk_moves(gen):
        p = gen.factors[i].param
        c = p["rate_plus"] + p["rate_minus"] if gen.space.radix == 2 else (p["rate_minus"] if sgn == 1 else p["rate_plus"])
        groups.setdefault(c, []).append((i, sgn))
    total = Tt.zero
    for c, moves in groups.items():
        cc = Tt.scalar(c) * beta

        cache: dict = {}

        def G(t, moves=moves, cache=cache):
            if t not in cache:
                cache[t] = score_functional(law, proc, "ulogu", t=T_ - t, direction=moves, tier=Tt).value
            return cache[t]

        for k in range(g.N):
            tk, tk1 = g.times[k], g.times[k + 1]
            Gk = G(tk)
            pts = [tk + (tk1 - tk) * Fraction(j, nsub) for j in range(nsub + 1)]
            for a, b in zip(pts, pts[1:]):
                total = total + cc * _integral_piece(law, proc, moves, G, Gk, a, b, T_, Tt, 0)
    return total


def _integral_piece(law, proc, moves, G, Gk, a, b, T_, Tt: Tier, depth: int, max_depth: int = 8, rtol: float = 1e-2):
    """Enclosure of ``∫_a^b (G(t) − G_k) dt``; bisects while the ball is wider than ``rtol`` of its value."""
    h = Tt.scalar(b - a)
    lo_s, hi_s = T_ - b, T_ - a
    ball = arb(fmpq(lo_s.numerator, lo_s.denominator)).union(arb(fmpq(hi_s.numerator, hi_s.denominator)))
    dF = score_functional_derivative(law, proc, "ulogu", t=ball, direction=moves, tier=Tt).value
    piece = h * (G(a) - Gk) + h * h / 2 * (-dF)
    if depth < max_depth and not piece.rad() <= rtol * abs(piece.mid()) + 1e-6 * float(b - a):
        m = (a + b) / 2
        return _integral_piece(law, proc, moves, G, Gk, a, m, T_, Tt, depth + 1) + _integral_piece(
            law, proc, moves, G, Gk, m, b, T_, Tt, depth + 1
        )
    return piece


def move_groups(gen: KroneckerSum) -> dict:
    """The random walk's score directions grouped by the rate ``c`` in front of their term of the S1
    discretisation (``r_∓`` for the move ``±e_i``; ``r_+ + r_−`` for a bit, ``m = 2``): ``{c: [(i, ±1), …]}``."""
    groups: dict = {}
    m = gen.space.radix
    for (i, sgn) in random_walk_moves(gen):
        p = gen.factors[i].param
        c = p["rate_plus"] + p["rate_minus"] if m == 2 else (p["rate_minus"] if sgn == 1 else p["rate_plus"])
        groups.setdefault(c, []).append((i, sgn))
    return groups


def telescoped_discretisation_bound(law: Law, gen: KroneckerSum, T, delta, hmax, tier: "str | Tier"):
    """The telescoped S1 discretisation bound ``max_k h_k·Σ_moves r_∓·(F(T−δ) − F(0))``,
    ``F(t) = E_{p_{T−t}}[u log u]`` (backward time ``t``; forward times ``δ`` and ``T``), in ``tier``.

    >>> from mdtheory import Law, ProductSpace, generators
    >>> b = telescoped_discretisation_bound(Law(ProductSpace(3, 1), ["1", "0", "0"]), generators.random_walk(3, 1),
    ...                                     2, "1/100", "1/2", "certified")
    >>> 0 < float(b.mid()) < 10
    True
    """
    T_ = get_tier(tier) if isinstance(tier, str) else tier
    tot = T_.zero
    for c, moves in move_groups(gen).items():
        Fd = score_functional(law, gen, "ulogu", t=delta, direction=moves, tier=T_).value
        FT = score_functional(law, gen, "ulogu", t=T, direction=moves, tier=T_).value
        tot = tot + T_.scalar(c) * (Fd - FT)
    return T_.scalar(hmax) * tot
