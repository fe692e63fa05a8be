"""Counterexample search: random laws and hill-climbing on the margin.

A claim opts in by giving a :class:`~proofs_check.claim.Family`: the names and
sizes of the probability vectors it needs, and how to build an instance from
them.  :func:`search` draws the vectors from three kinds of random laws —
``dirichlet`` (flat Dirichlet), ``sparse`` (Dirichlet on a random part of the
support, zeros elsewhere) and ``near-deterministic`` (almost all mass on one
atom) — as exact rationals with a common denominator, then hill-climbs: it
moves small amounts of mass between atoms and keeps a move when the margin
decreases.  ``method="hypothesis"`` lets the hypothesis library drive the
search instead (random generation, ``target()`` on the margin, shrinking of a
counterexample to a small witness).  Every evaluation is an ordinary
exact/certified check, so a violation found is a certified witness.  The best
(smallest) margin is reported even when nothing is refuted.

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

__all__ = ["KINDS", "METHODS", "random_counts", "random_law", "perturb_counts", "check_search_fits", "search"]

KINDS = ("dirichlet", "sparse", "near-deterministic")
METHODS = ("hill", "hypothesis")


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


def check_search_fits(claim, params) -> None:
    """Refuse, before drawing anything, a search whose random laws would not fit in memory.

    Each random law is a list of exact fractions (about 100 bytes an entry, two copies while
    hill-climbing); the budget is mdtheory's (``MDTHEORY_MEMORY_LIMIT`` or 40% of the machine's memory).
    """
    from mdtheory.spaces import check_fits

    for name, n in dict(claim.family.laws(params)).items():
        check_fits(int(n), 100, f"{claim.id}'s random law {name!r} for --search", copies=2)


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
    method: str = "hill",
) -> CheckResult:
    """Look for a violation of ``claim`` within ``budget`` evaluations.

    Returns a :class:`CheckResult` whose verdict is ``refuted`` (with a
    witness), ``no-counterexample`` (with the best margin found, in the
    ``margin`` fields, and the best instance) or ``error``.
    """
    if claim.family is None:
        raise ClaimError(f"claim {claim.id} has no instance family, so it cannot be searched; "
                         "give it a Family(laws=..., build=...)")
    if method not in METHODS:
        raise ClaimError(f"unknown search method {method!r}; choose one of {', '.join(METHODS)}")
    params = claim.parse_params() if params is None else dict(params)
    check_search_fits(claim, params)
    shapes = dict(claim.family.laws(params))
    if method == "hypothesis":
        return _finish(claim, *_hypothesis_search(claim, params, shapes, tier, budget, seed, denom, prec, max_prec),
                       seed, budget, time.perf_counter(), "hypothesis")
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
    return _finish(claim, best, evals, restarts, seed, budget, start, "hill")


def _finish(claim, best, evals, restarts, seed, budget, start, method="hill") -> CheckResult:
    best.instance_id = f"search({method}, seed={seed}, budget={budget})"
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


class _Found(Exception):
    pass


def _hypothesis_search(claim, params, shapes, tier, budget, seed, denom, prec, max_prec):
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed
    from hypothesis import strategies as st
    from hypothesis import target

    def law(n):
        return st.lists(st.integers(0, denom), min_size=n, max_size=n).filter(lambda c: sum(c) > 0).map(
            lambda c: [Fraction(v, sum(c)) for v in c])

    state = {"best": None, "refuted": None, "evals": 0}
    rng = random.Random(seed)

    def score(r):
        m = r.margin_float
        return math.inf if m is None or math.isnan(m) else m

    @hseed(seed)
    @settings(max_examples=budget, database=None, deadline=None, derandomize=False, print_blob=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.target, Phase.shrink])
    @given(st.fixed_dictionaries({k: law(n) for k, n in shapes.items()}))
    def prop(laws):
        inst = dict(claim.family.build(laws, dict(params), rng))
        inst.setdefault("name", f"hypothesis seed={seed} eval={state['evals']}")
        r = evaluate(claim, inst, params, tier, prec, max_prec)
        state["evals"] += 1
        if r.verdict in (Verdict.REFUTED, Verdict.ERROR):
            state["refuted"] = r  # hypothesis shrinks: the last failing one is the simplest
            raise _Found
        if state["best"] is None or score(r) < score(state["best"]):
            state["best"] = r
        if math.isfinite(score(r)):
            target(-score(r), label="negated margin")

    try:
        prop()
    except _Found:
        pass
    best = state["refuted"] or state["best"]
    return best, state["evals"], 1
