"""Campbell et al. τ-leaping (andrew-cr/tauLDR): ``campbell.tau_leaping`` (uniform rate, clamped additive jumps)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from flint import arb, fmpq

from ...laws import Law
from ...spaces import ProductSpace
from ...tiers import NotExactError, Tier, as_fraction, get_tier
from .._masked_core import SamplerError, SamplerResult
from ._base import Profile, ProfileError, _float, grid_times, register


CAMPBELL_MIN_T = Fraction(1, 100)  # sampler.min_t = 0.01
CAMPBELL_EPS_RATIO = Fraction(1, 10**9)  # sampler.eps_ratio = 1e-9


def _campbell(law, steps, estimator, tier, prec, opts):
    if estimator is not None:
        raise ProfileError("campbell.tau_leaping supports the exact denoiser p_{0|t} only (estimator=None)")
    if not isinstance(law.space, ProductSpace):
        raise ProfileError(f"campbell.tau_leaping needs a data law on Z_S^d, not {law.space!r}")
    S, d = law.space.m, law.space.d
    if not law.tier.is_exact:
        raise ProfileError("campbell.tau_leaping needs an exact (rational) data law: its final argmax decides ties exactly")
    t = get_tier(tier if tier is not None else "certified", prec)
    if t.is_exact:
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
    if t.is_enclosure:
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
            with get_tier("certified", prec).active():
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


register(Profile(
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
