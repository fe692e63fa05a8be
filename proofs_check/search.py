"""Counterexample search: random laws and hill-climbing on the margin.

A claim opts in by giving a :class:`~proofs_check.claim.Family`: the names and
sizes of the probability vectors it needs, and how to build an instance from
them.  :func:`search` draws the vectors from three kinds of random laws —
``dirichlet`` (flat Dirichlet), ``sparse`` (Dirichlet on a random part of the
support, zeros elsewhere) and ``near-deterministic`` (almost all mass on one
atom) — as exact rationals with a common denominator, then hill-climbs: it
moves small amounts of mass between atoms and keeps a move when the margin
decreases.  Every evaluation is an ordinary exact/certified check, so a
violation found is a certified witness.  The best (smallest) margin is
reported even when nothing is refuted.

>>> import random
>>> v = random_law(random.Random(1), 4, "sparse", denom=12)
>>> sum(v), len(v), all(x >= 0 for x in v)
(Fraction(1, 1), 4, True)
"""

from __future__ import annotations

import math
import random
import time
from fractions import Fraction
from typing import Callable, Mapping

import numpy as np

from .claim import CheckResult, Claim, ClaimError, Verdict
from .evaluate import evaluate, make_witness

__all__ = ["KINDS", "random_counts", "random_law", "perturb_counts", "search"]

KINDS = ("dirichlet", "sparse", "near-deterministic")


def _largest_remainder(weights, denom: int) -> list[int]:
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    raw = w * denom
    base = np.floor(raw).astype(int)
    rest = denom - int(base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    for i in order[:rest]:
        base[i] += 1
    return [int(v) for v in base]


def random_counts(rng: random.Random, n: int, kind: str = "dirichlet", denom: int = 64) -> list[int]:
    """Non-negative integers summing to ``denom`` (a law with denominator ``denom``)."""
    if n < 1:
        raise ValueError("a law needs at least one atom")
    if kind == "dirichlet":
        w = [rng.gammavariate(1.0, 1.0) + 1e-12 for _ in range(n)]
        return _largest_remainder(w, denom)
    if kind == "sparse":
        k = rng.randint(1, max(1, (n + 1) // 2))
        support = rng.sample(range(n), k)
        w = [0.0] * n
        for i in support:
            w[i] = rng.gammavariate(1.0, 1.0) + 1e-12
        return _largest_remainder(w, denom)
    if kind == "near-deterministic":
        eps = rng.randint(0, max(1, denom // 16))
        top = rng.randrange(n)
        w = [0.0] * n
        rest = _largest_remainder([rng.random() + 1e-12 for _ in range(n)], eps) if eps else [0] * n
        for i in range(n):
            w[i] = rest[i]
        w[top] += denom - eps
        return [int(v) for v in w]
    raise ValueError(f"unknown random-law kind {kind!r}; choose one of {', '.join(KINDS)}")


def random_law(rng: random.Random, n: int, kind: str = "dirichlet", denom: int = 64) -> list[Fraction]:
    """A random probability vector of ``n`` exact rationals (see :func:`random_counts`)."""
    return [Fraction(c, denom) for c in random_counts(rng, n, kind, denom)]


def perturb_counts(rng: random.Random, counts: list[int]) -> list[int]:
    """Move a random amount of mass from one atom to another (keeps the total)."""
    c = list(counts)
    donors = [i for i, v in enumerate(c) if v > 0]
    if len(c) < 2 or not donors:
        return c
    i = rng.choice(donors)
    j = rng.choice([k for k in range(len(c)) if k != i])
    amount = rng.randint(1, max(1, c[i] if rng.random() < 0.2 else max(1, c[i] // 4)))
    c[i] -= amount
    c[j] += amount
    return c


def search(
    claim: Claim,
    params: Mapping | None = None,
    tier: str | None = None,
    budget: int = 200,
    seed: int = 0,
    denom: int = 64,
    steps_per_start: int = 30,
    prec: int | None = None,
    max_prec: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Look for a violation of ``claim`` within ``budget`` evaluations.

    Returns a :class:`CheckResult` whose verdict is ``refuted`` (with a
    witness), ``no-counterexample`` (with the best margin found, in the
    ``margin`` fields, and the best instance) or ``error``.
    """
    if claim.family is None:
        raise ClaimError(f"claim {claim.id} has no instance family, so it cannot be searched; "
                         "give it a Family(laws=..., build=...)")
    params = claim.parse_params() if params is None else dict(params)
    shapes = dict(claim.family.laws(params))
    rng = random.Random(seed)
    start = time.perf_counter()
    best: CheckResult | None = None
    evals = 0
    restarts = 0

    def run(counts):
        laws = {k: [Fraction(v, denom) for v in c] for k, c in counts.items()}
        inst = dict(claim.family.build(laws, dict(params), rng))
        inst.setdefault("name", f"search seed={seed} eval={evals}")
        return evaluate(claim, inst, params, tier, prec, max_prec)

    def score(r: CheckResult) -> float:
        m = r.margin_float
        return math.inf if m is None or math.isnan(m) else m

    while evals < budget:
        kind = KINDS[restarts % len(KINDS)]
        restarts += 1
        counts = {k: random_counts(rng, n, kind, denom) for k, n in shapes.items()}
        cur = run(counts)
        evals += 1
        for _ in range(steps_per_start):
            if cur.verdict in (Verdict.REFUTED, Verdict.ERROR) or evals >= budget:
                break
            name = rng.choice(list(counts))
            cand_counts = dict(counts)
            cand_counts[name] = perturb_counts(rng, counts[name])
            cand = run(cand_counts)
            evals += 1
            if progress:
                progress(evals, budget)
            if cand.verdict in (Verdict.REFUTED, Verdict.ERROR) or score(cand) < score(cur):
                cur, counts = cand, cand_counts
        if best is None or cur.verdict in (Verdict.REFUTED, Verdict.ERROR) or score(cur) < score(best):
            best = cur
        if best.verdict in (Verdict.REFUTED, Verdict.ERROR):
            break
    assert best is not None
    best.instance_id = f"search(seed={seed}, budget={budget})"
    best.info = dict(best.info, evaluations=evals, restarts=restarts, best_instance=best.instance.get("name", ""))
    best.runtime = time.perf_counter() - start
    if best.verdict is Verdict.REFUTED:
        best.witness = make_witness(claim, best)
        best.message = (best.message + "; " if best.message else "") + f"found by search after {evals} evaluations"
    elif best.verdict is not Verdict.ERROR:
        best.message = (f"no violation in {evals} evaluations ({restarts} starts); smallest margin {best.margin} "
                        f"(was {best.verdict.value} there)")
        best.verdict = Verdict.NO_COUNTEREXAMPLE
    return best
