"""Runner: planning, parameters, parallel = serial, counterexample search, registry selection."""

from __future__ import annotations

import os
import random
import sys
from fractions import Fraction

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _pc_helpers import TOYS, toy_registry  # noqa: E402

from proofs_check.claim import ClaimError, ParamError, ProofsCheckError, Verdict  # noqa: E402
from proofs_check.registry import default_registry  # noqa: E402
from proofs_check.runner import plan, run_tasks  # noqa: E402
from proofs_check.search import KINDS, random_law, search  # noqa: E402

REG = toy_registry()


def _essence(r):
    return (r.claim_id, r.instance_id, r.verdict.value, r.lhs, r.rhs, r.margin, r.tier, r.label)


def test_parallel_run_equals_serial_run():
    claims = default_registry().select(paper="foundations")
    tasks = plan(claims, "small")
    serial = run_tasks(tasks, store=None, jobs=1)
    parallel = run_tasks(tasks, store=None, jobs=2)
    assert len(serial) == len(tasks) > 40
    assert [_essence(r) for r in serial] == [_essence(r) for r in parallel]
    assert {r.verdict for r in serial} <= {Verdict.PROVED, Verdict.CONSISTENT}


def test_params_are_routed_and_change_keys():
    claims = REG.select(["TOY-TRUE", "TOY-RECON"])
    base = plan(claims, "small")
    k2 = plan(claims, "small", params={"k": "2"})
    assert [t.params for t in k2 if t.claim_id == "TOY-TRUE"][0] == {"k": 2}
    assert [t.params for t in k2 if t.claim_id == "TOY-RECON"][0] == {"C": "1/2"}  # untouched
    assert {t.key for t in base}.isdisjoint({t.key for t in k2 if t.claim_id == "TOY-TRUE"})
    scoped = plan(claims, "small", per_claim={"TOY-RECON": {"C": "3"}})
    assert [t.params for t in scoped if t.claim_id == "TOY-RECON"][0] == {"C": "3"}
    with pytest.raises(ParamError, match="no selected claim has a parameter 'zzz'"):
        plan(claims, "small", params={"zzz": "1"})
    with pytest.raises(ParamError, match="not selected"):
        plan(claims, "small", per_claim={"TOY-ERR": {"C": "1"}})
    with pytest.raises(ParamError, match="expects an integer"):
        plan(claims, "small", params={"k": "1/2"})
    with pytest.raises(ProofsCheckError, match="unknown instance size"):
        plan(claims, "huge")


def test_instance_sizes_grow():
    c = default_registry().get("FD-TV1")
    p = c.parse_params()
    n = [len(c.make_instances(s, p)) for s in ("small", "medium", "large")]
    assert n[0] < n[1]
    assert max(i["d"] for i in c.make_instances("large", p)) > max(i["d"] for i in c.make_instances("small", p))


def test_search_finds_the_known_counterexample():
    r = search(REG.get("TOY-FALSE"), budget=100, seed=3)
    assert r.verdict is Verdict.REFUTED
    p = [Fraction(v) for v in r.witness["instance"]["p"]]
    assert sum(p) == 1 and max(p) < Fraction(1, 2)  # a genuine violation
    assert r.margin_float < 0


def test_search_reports_best_margin_when_nothing_is_refuted():
    c = default_registry().get("FD-TV1")
    r = search(c, c.parse_params({"m": "2", "d": "2"}), budget=40, seed=1)
    assert r.verdict is Verdict.NO_COUNTEREXAMPLE
    assert r.info["evaluations"] == 40
    assert r.margin_float is not None and r.margin_float >= 0
    assert "smallest margin" in r.message


def test_search_needs_a_family():
    with pytest.raises(ClaimError, match="no instance family"):
        search(REG.get("TOY-TRUE"), budget=5)


@pytest.mark.parametrize("kind", KINDS)
def test_random_laws_are_exact_probability_vectors(kind):
    rng = random.Random(7)
    for n in (1, 2, 5):
        v = random_law(rng, n, kind, denom=32)
        assert len(v) == n and sum(v) == 1 and min(v) >= 0
    if kind == "near-deterministic":
        assert max(random_law(rng, 4, kind, denom=32)) >= Fraction(30, 32)
    if kind == "sparse":
        assert any(0 in random_law(rng, 6, kind, denom=32) for _ in range(5))


def test_registry_paper_selectors():
    for sel in ("0000.00000", "arXiv:0000.00000", "toys", "TOY"):
        assert "TOY-TRUE" in [c.id for c in REG.select(paper=sel)]
    with pytest.raises(ClaimError, match="no paper matches"):
        REG.select(paper="9999.99999")
    assert REG.get("toy-true").id == "TOY-TRUE"
    with pytest.raises(ClaimError, match="did you mean TOY-TRUE"):
        REG.get("TOY-TRUX")


def test_hypothesis_driven_search_shrinks_to_the_simple_witness():
    r = search(REG.get("TOY-FALSE"), budget=60, seed=2, method="hypothesis")
    assert r.verdict is Verdict.REFUTED and r.instance_id.startswith("search(hypothesis")
    p = [Fraction(v) for v in r.witness["instance"]["p"]]
    assert sum(p) == 1 and max(p) < Fraction(1, 2)
    ok = search(default_registry().get("FD-TV2"), budget=30, seed=0, method="hypothesis")
    assert ok.verdict is Verdict.NO_COUNTEREXAMPLE and ok.margin_float >= 0
    with pytest.raises(ClaimError, match="unknown search method"):
        search(REG.get("TOY-FALSE"), method="annealing")


def test_broken_instance_generator_becomes_an_error_result():
    tasks = plan(REG.select(["TOY-NOGEN", "TOY-TRUE"]), "small", extra_modules=(TOYS,))
    results = run_tasks(tasks)
    bad = [r for r in results if r.claim_id == "TOY-NOGEN"]
    assert len(bad) == 1 and bad[0].verdict is Verdict.ERROR and "ZeroDivisionError" in bad[0].message
    assert [r.verdict for r in results if r.claim_id == "TOY-TRUE"] == [Verdict.PROVED] * 3
