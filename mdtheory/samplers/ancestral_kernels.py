"""Exact step kernels of the masked ancestral (S-M) sampler and of the exact reversal, and their chain rule.

On a keep-probability grid ``0 ≤ α_0 < α_1 < … < α_N ≤ 1`` (increasing α = backward in forward time) the
exact reversal of the masking process steps from ``p_{α_k}`` to ``p_{α_{k+1}}`` with the kernel
``K_true(x, y) = p_{k+1}(y)·P(y → x)/p_k(x)`` (``P`` the forward masking step ``α_{k+1} → α_k``); the S-M
(ancestral) sampler unmasks each masked coordinate with probability ``(α_{k+1} − α_k)/(1 − α_k)``, drawing
its value from the exact conditional ``π_i(·|x_U)``, independently over coordinates.

* :func:`true_kernel`, :func:`ancestral_kernel`: the kernels as ``{x: {y: prob}}`` (exact ``fmpq``);
* :func:`ancestral_discretisation`: ``Σ_k E_{p_k} KL(K_true(x,·) ‖ K̂(x,·))`` as an exact
  :class:`~mdtheory.logsum.LogSum` (and its per-step parts);
* :func:`ancestral_path_kl`: independently, the KL between the joint laws of the whole discrete path under the
  two chains, and the KL of the final laws ``KL(p_{α_N} ‖ output)`` (both exact LogSums);
* :func:`ancestral_output_law`: the sampler's output law from the all-masked state;
* :func:`ancestral_discretisation_integral`: the same discretisation as
  ``Σ_i Σ_k ∫_{α_k}^{α_{k+1}} (G_i^{ent}(a) − G_i^{ent}(α_k)) da`` from the exact coefficients of the entropy
  functional (:func:`mdtheory.masked_polynomial.entropy_coefficients`), with its telescoped bound and
  ``Σ_i I(X^i; X^{−i})``.

>>> from fractions import Fraction as F
>>> from mdtheory import Law, ProductSpace
>>> from mdtheory.logsum import LogSum
>>> mu = Law(ProductSpace(2, 2), [F(1, 2), F(0), F(0), F(1, 2)])      # two equal bits
>>> disc, parts = ancestral_discretisation(mu, [F(0), F(1)])          # one step draws them independently
>>> disc == LogSum.log(2), ancestral_path_kl(mu, [F(0), F(1)]).path_kl == disc
(True, True)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
from flint import fmpq

from .. import generators
from ..divergences import kl as _kl
from ..laws import Law
from ..logsum import LogSum
from ..masked_polynomial import bernstein_integral, entropy_coefficients, entropy_functional
from ..masked_scores import denoising_conditionals
from ..propagate import forward

__all__ = ["masked_states", "masked_marginal", "true_kernel", "ancestral_kernel", "expected_row_kl",
           "ancestral_discretisation", "AncestralPathKL", "ancestral_path_kl", "ancestral_output_law",
           "ancestral_discretisation_integral"]


def _fq(x) -> fmpq:
    x = Fraction(x)
    return fmpq(x.numerator, x.denominator)


def masked_states(m: int, d: int) -> list:
    """Every state of {0..m}^d (``m`` is the mask), in lexicographic order."""
    return list(itertools.product(range(m + 1), repeat=d))


def masked_marginal(mu: Law, alpha) -> dict:
    """The masked marginal ``p_α`` on {0..m}^d as a dict (exact)."""
    q = forward(mu, generators.masking(mu.space.m, mu.space.d), alpha=alpha)
    return {x: q.probs[x] for x in masked_states(mu.space.m, mu.space.d)}


def _subsets(items):
    items = list(items)
    for r in range(len(items) + 1):
        yield from itertools.combinations(items, r)


def true_kernel(m: int, d: int, pk: dict, pn: dict, ak, an) -> dict:
    """Exact backward transition from ``α_k`` to ``α_{k+1} > α_k``: ``K(x, y) = p_{k+1}(y) P(y→x) / p_k(x)``.

    ``α_k = 0`` (everything masked): the single row of the all-masked state is ``p_{k+1}``."""
    ak, an = Fraction(ak), Fraction(an)
    if ak == 0:
        return {tuple([m] * d): {y: v for y, v in pn.items() if v != 0}}
    keep = fmpq(ak.numerator * an.denominator, ak.denominator * an.numerator)  # α_k/α_{k+1}
    K = {}
    for x, px in pk.items():
        if px == 0:
            continue
        M = [i for i in range(d) if x[i] == m]
        row = {}
        for R in _subsets(M):
            for vals in itertools.product(range(m), repeat=len(R)):
                y = list(x)
                for i, v in zip(R, vals):
                    y[i] = v
                y = tuple(y)
                if pn[y] == 0:
                    continue
                n_unm = sum(1 for v in y if v != m)
                P = (1 - keep) ** len(R) * keep ** (n_unm - len(R))
                row[y] = pn[y] * P / px
        K[x] = row
    return K


def ancestral_kernel(mu: Law, ak, an) -> dict:
    """S-M (ancestral) step ``α_k → α_{k+1}``: each masked ``i`` unmasks w.p. ``(α_{k+1}−α_k)/(1−α_k)``, value
    ``~ π_i(·|x_U)``, independently.  A context with zero data mass (``0/0``; the exact reversal never visits it,
    but the sampler can: several tokens revealed in one step are drawn independently) gets the off-support convention
    of :func:`mdtheory.masked_scores.denoising_conditionals` (uniform), as in :mod:`mdtheory.samplers.masked`: no
    row is dropped, so the output law keeps all its mass."""
    m, d = mu.space.m, mu.space.d
    ak, an = Fraction(ak), Fraction(an)
    pu = _fq(an - ak) / _fq(1 - ak)
    K = {}
    C = denoising_conditionals(mu)
    for x in masked_states(m, d):
        M = [i for i in range(d) if x[i] == m]
        pis = {i: C.prob(x, i) for i in M}
        row = {}
        for R in _subsets(M):
            for vals in itertools.product(range(m), repeat=len(R)):
                w = pu ** len(R) * (1 - pu) ** (len(M) - len(R))
                y = list(x)
                for i, v in zip(R, vals):
                    y[i] = v
                    w = w * pis[i][v]
                if w != 0:
                    row[tuple(y)] = row.get(tuple(y), fmpq(0)) + w
        K[x] = row
    return K


def expected_row_kl(weight: dict, P: dict, Q: dict) -> LogSum:
    """``Σ_x weight(x)·KL(P(x,·) ‖ Q(x,·))`` as an exact LogSum (each row by :func:`mdtheory.divergences.kl`);
    a row of ``Q`` missing mass of ``P`` (KL = ∞) raises ValueError."""
    total = LogSum.zero()
    for x, row in P.items():
        w = weight[x]
        if w == 0:
            continue
        ys = list(row)
        k = _kl(np.array([row[y] for y in ys], dtype=object), np.array([Q[x].get(y, fmpq(0)) for y in ys], dtype=object),
                tier="exact", logs="symbolic")
        if k is math.inf:
            raise ValueError("the sampler kernel misses mass of the true kernel (KL = ∞)")
        total = total + k * w
    return total


def _marginals(mu: Law, alphas: Sequence, margs):
    al = [Fraction(a) for a in alphas]
    return al, (margs if margs is not None else [masked_marginal(mu, a) for a in al])


def ancestral_discretisation(mu: Law, alphas: Sequence, margs: "list | None" = None) -> tuple[LogSum, list]:
    """``Σ_k E_{p_{α_k}} KL(K_true ‖ K̂_SM)`` (exact LogSum) and its per-step parts."""
    al, margs = _marginals(mu, alphas, margs)
    m, d = mu.space.m, mu.space.d
    total, parts = LogSum.zero(), []
    for k in range(len(al) - 1):
        Kt = true_kernel(m, d, margs[k], margs[k + 1], al[k], al[k + 1])
        part = expected_row_kl(margs[k], Kt, ancestral_kernel(mu, al[k], al[k + 1]))
        parts.append(part)
        total = total + part
    return total, parts


def ancestral_output_law(mu: Law, alphas: Sequence) -> dict:
    """The S-M sampler's output law (from the all-masked state) as ``{state: prob}`` (exact)."""
    al = [Fraction(a) for a in alphas]
    q = {tuple([mu.space.m] * mu.space.d): fmpq(1)}
    for k in range(len(al) - 1):
        Kh = ancestral_kernel(mu, al[k], al[k + 1])
        nq: dict = {}
        for x, w in q.items():
            for y, v in Kh.get(x, {}).items():
                nq[y] = nq.get(y, fmpq(0)) + w * v
        q = nq
    return q


@dataclass
class AncestralPathKL:
    """``path_kl``: KL between the joint laws of ``(X_{α_0}, …, X_{α_N})`` under the exact reversal and the S-M
    sampler (both from the all-masked state, ``α_0 = 0``); ``final_kl``: ``KL(p_{α_N} ‖ output)``; exact LogSums.

    >>> from fractions import Fraction as F
    >>> from mdtheory import Law, ProductSpace
    >>> r = ancestral_path_kl(Law(ProductSpace(2, 1), [F(1, 3), F(2, 3)]), [F(0), F(1, 2), F(1)])
    >>> r.path_kl == 0, r.final_kl == 0                 # one coordinate: the S-M step is exact
    (True, True)
    """

    path_kl: Any
    final_kl: Any
    paths: int


def ancestral_path_kl(mu: Law, alphas: Sequence, margs: "list | None" = None) -> AncestralPathKL:
    """The path-law KL and the final-law KL of the S-M sampler, by enumerating the discrete paths (exact)."""
    al, margs = _marginals(mu, alphas, margs)
    if al[0] != 0:
        raise ValueError(f"the path law starts all-masked: the first keep probability must be 0, got {al[0]}")
    m, d = mu.space.m, mu.space.d
    Kts = [true_kernel(m, d, margs[k], margs[k + 1], al[k], al[k + 1]) for k in range(len(al) - 1)]
    Khs = [ancestral_kernel(mu, al[k], al[k + 1]) for k in range(len(al) - 1)]
    start = tuple([m] * d)  # α_0 = 0: p_T = δ_mask = the sampler's start, init KL = 0
    paths = {(start,): (fmpq(1), fmpq(1))}
    for Kt, Kh in zip(Kts, Khs):
        nxt = {}
        for path, (pp, qq) in paths.items():
            x = path[-1]
            for y, v in Kt.get(x, {}).items():
                nxt[path + (y,)] = (pp * v, qq * Kh[x].get(y, fmpq(0)))
        paths = nxt
    mass: dict = {}
    for path, (pp, qq) in paths.items():
        if pp == 0:
            continue
        if qq == 0:
            raise ValueError("the sampler path law misses mass (KL = ∞)")
        mass[pp / qq] = mass.get(pp / qq, fmpq(0)) + pp
    q = ancestral_output_law(mu, al)
    fmass: dict = {}
    for y, v in margs[-1].items():
        if v == 0:
            continue
        fmass[v / q[y]] = fmass.get(v / q[y], fmpq(0)) + v
    return AncestralPathKL(LogSum.from_fmpq(mass), LogSum.from_fmpq(fmass), len(paths))


def ancestral_discretisation_integral(mu: Law, alphas: Sequence) -> tuple[LogSum, LogSum, LogSum]:
    """``Σ_i Σ_k ∫_{α_k}^{α_{k+1}} (G_i(a) − G_i(α_k)) da`` (``G_i = G_i^{ent}``, ``Φ(u) = u log u``), the
    telescoped bound ``max Δα·Σ_i (G_i(α_N) − G_i(α_0))`` and ``Σ_i I(X^i; X^{−i}) = Σ_i (G_i(1) − G_i(0))``,
    each an exact LogSum."""
    al = [Fraction(a) for a in alphas]
    d = mu.space.d
    integral, tele, info = LogSum.zero(), LogSum.zero(), LogSum.zero()
    dmax = max(b - a for a, b in zip(al, al[1:]))
    for i in range(d):
        co = entropy_coefficients(mu, i)
        for k in range(len(al) - 1):
            lo, hi = al[k], al[k + 1]
            for U, c in co.items():
                w = bernstein_integral(len(U), d - 1 - len(U), lo, hi) - (hi - lo) * lo ** len(U) * (1 - lo) ** (d - 1 - len(U))
                if w:
                    integral = integral + c * w
        tele = tele + (entropy_functional(co, d, al[-1]) - entropy_functional(co, d, al[0])) * dmax
        info = info + (entropy_functional(co, d, Fraction(1)) - entropy_functional(co, d, Fraction(0)))
    return integral, tele, info
