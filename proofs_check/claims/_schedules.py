"""Shared helpers of the schedule papers (``optimal_schedules.py``, LZ; ``intrinsic_dependence.py``, ZC).

Everything here is exact: laws in exact rationals, entropies and KL divergences as
:class:`~mdtheory.logsum.LogSum` (exact sums of logs of rationals).  Subset entropies are
computed by direct marginalisation of the probability array (independently of
:mod:`mdtheory.information`, whose profiles the claims check against them).

Two different quantities are kept apart by name everywhere:

* ``expected_kl`` — **E_σ KL(π‖q_σ)**, the KL of each ordered partition's law, averaged
  over the random order (and random sizes);
* ``mixture_kl`` — **KL(π‖q̄)**, the KL of the sampler's actual output law q̄ = E_σ q_σ.

>>> H = entropy_table(build_law({"family": "copy", "m": 2, "d": 2}))
>>> H[0], H[1], H[3]
(LogSum(0), LogSum(log(2)), LogSum(log(2)))
>>> list(ordered_partitions(3, (2, 1)))
[((0, 1), (2,)), ((0, 2), (1,)), ((1, 2), (0,))]
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
from flint import fmpq

from mdtheory import distributions as D
from mdtheory.divergences import kl
from mdtheory.information import partial_marginal_table
from mdtheory.laws import Law, cached_per_law
from mdtheory.logsum import LogSum
from mdtheory.masked_scores import exact_estimator, mixing
from mdtheory.samplers.factorized import factorized
from mdtheory.scheduling import SizeLaw, compositions

__all__ = [
    "build_law", "law_name", "entropy_table", "ordered_partitions", "partition_kl", "cond_tc_sum",
    "learn_term", "estimator", "size_law_pair", "average_over_orders", "LOG", "logq", "sym",
]

LOG = LogSum.log


def logq(m) -> LogSum:
    """``log m`` as an exact LogSum."""
    return LogSum.log(int(m)) if int(m) != 1 else LogSum.zero()


def sym(x) -> LogSum:
    """A LogSum from a LogSum or the number 0."""
    return x if isinstance(x, LogSum) else (LogSum.zero() if x == 0 else _bad(x))


def _bad(x):
    raise TypeError(f"expected a LogSum or 0, got {x!r}")


# -- laws -----------------------------------------------------------------------------------------
def build_law(spec: dict) -> Law:
    """An exact data law from a JSON spec ``{"family": ..., parameters}``.

    Families: ``uniform`` (m, d), ``product`` (marginals), ``copy`` (m, d), ``parity`` (d),
    ``sum_mod`` (m, d), ``mds`` (q, n, k[, points]), ``markov`` (d, flip), ``dirichlet``
    (m, d, alpha, seed), ``table`` (m, d, support[, weights]), ``xor_copy`` (d, shifts: X_j = X_0 ⊕ c_j — a relabelled copy law).
    """
    f = spec["family"]
    if f == "uniform":
        return D.uniform(spec["m"], spec["d"])
    if f == "product":
        return D.product(spec["marginals"])
    if f == "copy":
        return D.copy(spec["m"], spec["d"])
    if f == "parity":
        return D.parity(spec["d"])
    if f == "sum_mod":
        return D.sum_mod(spec["m"], spec["d"])
    if f == "mds":
        return D.mds_code(spec["q"], spec["n"], spec["k"], points=spec.get("points"))
    if f == "markov":
        return D.binary_symmetric_markov(spec["d"], spec["flip"])
    if f == "dirichlet":
        return D.dirichlet(spec["m"], spec["d"], spec.get("alpha", 1), seed=spec.get("seed", 0))
    if f == "table":
        return _table_law(spec)
    if f == "xor_copy":
        d, c = spec["d"], spec["shifts"]
        arr = np.full((2,) * d, fmpq(0), dtype=object)
        for b in (0, 1):
            arr[tuple((b + ci) % 2 for ci in c)] = fmpq(1, 2)
        from mdtheory.spaces import ProductSpace

        return Law(ProductSpace(2, d), arr, "exact")
    raise ValueError(f"unknown law family {f!r} in instance; use one of uniform, product, copy, parity, sum_mod, "
                     "mds, markov, dirichlet, xor_copy")


def _table_law(spec: dict) -> Law:
    """``{"family": "table", "m", "d", "support": [[x_1, …, x_d], …], "weights": [...]}`` (uniform weights
    when omitted; weights are normalised)."""
    from mdtheory.spaces import ProductSpace

    m, d, sup = int(spec["m"]), int(spec["d"]), spec["support"]
    w = [fmpq(*Fraction(v).as_integer_ratio()) for v in spec.get("weights", [1] * len(sup))]
    if len(w) != len(sup) or any(len(x) != d or not all(0 <= v < m for v in x) for x in sup):
        raise ValueError(f"table law: every support point needs {d} values in 0..{m - 1} and one weight")
    tot = sum(w, fmpq(0))
    arr = np.full((m,) * d, fmpq(0), dtype=object)
    for x, v in zip(sup, w):
        arr[tuple(x)] += v / tot
    return Law(ProductSpace(m, d), arr, "exact")


def law_name(spec: dict) -> str:
    if spec["family"] == "table" and "name" in spec:
        return spec["name"]
    return spec["family"] + "(" + ",".join(f"{k}={v}" for k, v in spec.items() if k != "family") + ")"


def alphabet(law: Law) -> int:
    return law.space.m


# -- entropies by direct marginalisation -----------------------------------------------------------
def entropy_table(law: Law) -> list:
    """``H(X_S)`` for every subset ``S`` (bitmask index), exact LogSum, by summing the array."""
    probs = law.probs
    d = law.space.d
    out = []
    for s in range(1 << d):
        keep = [i for i in range(d) if s >> i & 1]
        drop = tuple(i for i in range(d) if i not in keep)
        marg = probs.sum(axis=drop) if drop else probs
        vals = np.asarray(marg, dtype=object).reshape(-1).tolist() if keep else [fmpq(1)]
        mass: dict = {}
        for v in vals:
            if v != 0 and v != 1:
                mass[1 / v] = mass.get(1 / v, fmpq(0)) + v
        out.append(LogSum.from_fmpq(mass) if mass else LogSum.zero())
    return out


def _mask(A) -> int:
    return sum(1 << i for i in A)


def ordered_partitions(d: int, sizes):
    """All ordered partitions ``(A_1, …, A_K)`` of ``0..d-1`` with ``|A_t| = sizes[t]`` (blocks sorted)."""
    def rec(rest, szs):
        if not szs:
            yield ()
            return
        for A in itertools.combinations(rest, szs[0]):
            left = tuple(i for i in rest if i not in A)
            for tail in rec(left, szs[1:]):
                yield (A,) + tail

    yield from rec(tuple(range(d)), tuple(sizes))


def cond_tc_sum(H: list, partition) -> LogSum:
    """``Σ_t E TC(X_{A_t} | X_{S_{t-1}}) = Σ_t [Σ_{j∈A_t} H(X_j|X_S) − H(X_{A_t}|X_S)]`` from subset entropies."""
    S, terms = 0, []
    for A in partition:
        a = _mask(A)
        for j in A:
            terms.append(H[S | 1 << j] - H[S])
        terms.append(H[S] - H[S | a])
        S |= a
    return LogSum.sum(terms)


def estimator(law: Law, eta):
    """The exact conditionals (``eta = 0``), ``(1−η)·π(·|x_S) + η/m`` (mixed with the uniform law), or, for
    ``eta = {"dirichlet": α, "seed": s}``, a denoiser unrelated to π: every context's row of every position
    an independent Dirichlet(α, …, α) draw (rounded to positive rationals ``k/2^16``; seeded)."""
    if isinstance(eta, dict):
        return dirichlet_estimator(law.space.m, law.space.d, eta["dirichlet"], eta.get("seed", 0))
    return exact_estimator(law) if Fraction(str(eta)) == 0 else mixing(law, str(eta))


def dirichlet_estimator(m: int, d: int, alpha, seed: int = 0):
    """A seeded Dirichlet-per-context estimator (exact positive rationals): see :func:`estimator`."""
    from mdtheory.masked_scores import from_tables

    rng = np.random.default_rng((int(seed), 7919))
    a = float(Fraction(str(alpha)))
    tabs = []
    for j in range(d):
        shape = tuple(m if i == j else m + 1 for i in range(d))
        G = np.empty(shape, dtype=object)
        for ctx in itertools.product(*(range(m + 1) if i != j else [None] for i in range(d))):
            w = rng.dirichlet([a] * m)
            k = [max(1, int(round(x * 2 ** 16))) for x in w]
            tot = sum(k)
            for v in range(m):
                idx = tuple(v if i == j else ctx[i] for i in range(d))
                G[idx] = fmpq(k[v], tot)
        tabs.append(G)
    return from_tables(tabs, m, d, name=f"dirichlet-per-context(alpha={alpha}, seed={seed})")


def est_name(eta) -> str:
    return f"Dirichlet({eta['dirichlet']}) per context, seed {eta.get('seed', 0)}" if isinstance(eta, dict) else f"eta={eta}"


def learn_term(law: Law, est, partition) -> LogSum:
    """``Σ_t Σ_{j∈A_t} E_π KL(π(·|X_S) ‖ p̂_j(·|X_S))`` (S revealed before step t), exact."""
    m, d = law.space.m, law.space.d
    T = partial_marginal_table(law)
    Gn, _ = est.normalized_tables("exact")
    mass: dict = {}
    S: tuple = ()
    for A in partition:
        for j in A:
            for xs in itertools.product(range(m), repeat=len(S)):
                ctx = [m] * d
                for i, v in zip(S, xs):
                    ctx[i] = v
                pS = T[tuple(ctx)]
                if pS == 0:
                    continue
                for a in range(m):
                    c2 = list(ctx)
                    c2[j] = a
                    pja = T[tuple(c2)]
                    if pja == 0:
                        continue
                    gi = list(ctx)
                    gi[j] = a
                    ph = Gn[j][tuple(gi)]
                    r = pja / (pS * ph)
                    mass[r] = mass.get(r, fmpq(0)) + pja
        S = tuple(sorted(S + tuple(A)))
    return LogSum.from_fmpq({r: w for r, w in mass.items() if r != 1}) if mass else LogSum.zero()


@cached_per_law()
def _exact_estimator_of(law: Law):
    """The exact conditionals of ``law``, built once per law object (a few most recent laws are kept)."""
    return exact_estimator(law)


def partition_kl(law: Law, partition, est=None) -> LogSum:
    """``KL(π‖q_σ)`` of one ordered partition's output law (mdtheory factorized sampler), exact; without
    ``est``, the exact conditionals of ``law`` (built once per law, as the sampler would build them)."""
    est = _exact_estimator_of(law) if est is None else est
    q = factorized(law, partition=[list(A) for A in partition], estimator=est, mixture=False)
    return kl(law, q.law, embed=True, logs="symbolic")


def size_law_pair(spec):
    """``(SizeLaw for the optimiser, SizeLaw for the sampler, {sizes: fmpq})`` from ``[k_1, …]`` or
    ``{"k1,k2": "p", …}`` (two separately built laws: the sampler side does not reuse the optimiser's object)."""
    if isinstance(spec, dict):
        comps = {tuple(int(x) for x in k.split(",")): fmpq(*(Fraction(v).as_integer_ratio())) for k, v in spec.items()}
        return SizeLaw.mixture(comps), SizeLaw.mixture(dict(comps)), comps
    sizes = tuple(int(k) for k in spec)
    return SizeLaw.deterministic(sizes), SizeLaw.deterministic(sizes), {sizes: fmpq(1)}


def average_over_orders(law: Law, comps: dict, fn) -> LogSum:
    """``Σ_sizes P(sizes) · mean over ordered partitions of fn(partition)`` (exact)."""
    total = LogSum.zero()
    d = law.space.d
    for sizes, p in comps.items():
        parts = list(ordered_partitions(d, [k for k in sizes if k]))
        total = total + LogSum.sum(fn(P) for P in parts) * (p / len(parts))
    return total


def all_compositions(N: int):
    for K in range(1, N + 1):
        yield from compositions(N, K)


def binary_entropy_sym(p: Fraction) -> LogSum:
    """``η(p) = −p log p − (1−p) log(1−p)`` as an exact LogSum."""
    p = fmpq(*Fraction(p).as_integer_ratio())
    mass = {}
    for x in (p, 1 - p):
        if x != 0 and x != 1:
            mass[1 / x] = mass.get(1 / x, fmpq(0)) + x
    return LogSum.from_fmpq(mass) if mass else LogSum.zero()


def ln_ball(x, prec: int = 128):
    """``log x`` as an arb ball."""
    from flint import arb, ctx

    with ctx.workprec(prec):
        return arb(x).log()


__all__ += ["alphabet", "all_compositions", "binary_entropy_sym", "ln_ball"]



def fmt_sym(x) -> str:
    """A LogSum as text: exact canonical form when its integers are small, else a float summary."""
    if not isinstance(x, LogSum):
        return str(x)
    if all(max(int(n).bit_length() for n in r) <= 64 for r in x._terms):
        return repr(x)
    return f"LogSum({len(x._terms)} terms ≈ {float(x):.15g})"


__all__ += ["fmt_sym"]


# -- hand-written near misses judged on the claim's own computation ----------------------------------------------
def with_parts(comp, **parts):
    """Attach the pieces a near miss needs (e.g. the two terms of a sum, the composition) to a comparison.

    They live on the in-memory object only (``comp.parts``), never in ``info``: a control built by
    :func:`near_miss` reads them when it rewrites the claim's output, with no recomputation.
    """
    comp.parts = parts
    return comp


def near_miss(name: str, fn, doc: str):
    """A hand-written control whose check is ``fn(comparison, parts) -> Comparison | None`` applied to every
    comparison of the claim's output that carries parts (:func:`with_parts`); the others are dropped.

    The near miss is a *different formula* (a dropped term, an off-by-one index, a neighbouring lemma's
    form) evaluated on the same exact quantities, so it costs nothing and must be refuted on some instance.
    """
    from ..claim import Control

    def transform(out, tier):
        new = [fn(c, c.parts) for c in out if getattr(c, "parts", None) is not None]
        new = [x for x in new if x is not None]
        return new or list(out)

    return Control(name, transform=transform, doc=doc)


def entropy_by_kl(law: Law) -> LogSum:
    """``H(π) = N·log m − KL(π ‖ Unif)`` with the KL from :mod:`mdtheory.divergences` (exact): a path to the
    joint entropy independent of the subset-entropy table."""
    P = law.probs
    m, d = law.space.m, law.space.d
    U = np.full(P.shape, fmpq(1, m ** d), dtype=object)
    return logq(m) * d - kl(P, U, logs="symbolic", tier="exact")


__all__ += ["with_parts", "near_miss", "entropy_by_kl", "dirichlet_estimator", "est_name"]
