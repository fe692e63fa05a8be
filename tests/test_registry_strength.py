"""Every verdict of the registry can fail: controls, scope, no tautologies, no floats in proofs.

The registry-wide tests share one run of every claim and its controls on the
small instances: the README's main job, ``proofs-check run --all``, run once into a
fresh store (a session-scoped fixture; marked slow).  Claims whose
controls still survive are listed in ``KNOWN_WEAK`` with the surviving
control: the list must match the run exactly, so a repaired claim has to be
removed from it (issues 14/15) and a newly weak claim fails the test.
The toy tests show that the audit fails when a control is removed.
"""

from __future__ import annotations

import dataclasses
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _pc_helpers import cli, toy_registry  # noqa: E402

from proofs_check.claim import Control, Verdict  # noqa: E402
from proofs_check.registry import Registry, default_registry  # noqa: E402
from proofs_check.report import build_report, strength_problems  # noqa: E402
from proofs_check.runner import run_claims  # noqa: E402
from proofs_check.sharpness import aggregate, sharpness_check  # noqa: E402
from proofs_check.store import Store  # noqa: E402

# claim ID -> the control (or other reason) that keeps it weak today; repairs remove entries
KNOWN_WEAK: dict = {
    # (ND-T3t, the last entry, now declares its constant C_tele as Sharp: its control is "C_tele past sharp")
}


@pytest.fixture(scope="session")
def registry_run(tmp_path_factory):
    """The README's main job, ``proofs-check run --all`` (every claim and its controls, small instances), into a
    fresh store: the completed process, the store path and the run's results read back from the store."""
    store = tmp_path_factory.mktemp("run_all") / "s.sqlite"
    proc = cli("run", "--all", store=store)
    s = Store(str(store), read_only=True)
    try:
        results = s.run_results(s.last_run_id())
    finally:
        s.close()
    return proc, store, results


@pytest.fixture(scope="session")
def registry_report(registry_run):
    reg = default_registry()
    proc, _, results = registry_run
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return reg, results, build_report(results, reg)


@pytest.mark.slow
def test_run_all_exits_zero_and_resumes_from_the_store(registry_run):
    # speed is measured by running the command (README), not asserted here
    proc, store, results = registry_run
    assert proc.returncode == 0, proc.stderr
    assert "FD-M1" in proc.stdout and "proved" in proc.stdout and "FAILED" not in proc.stdout
    assert len({r.claim_id for r in results}) == len(default_registry())
    again = cli("run", "--all", "--jobs", "2", store=store)
    assert again.returncode == 0 and again.stdout.splitlines()[-1] == proc.stdout.splitlines()[-1]


def test_every_claim_has_a_control():
    reg = default_registry()
    bare = [c.id for c in reg if not c.all_controls()]
    assert bare == []
    # identities carry the perturbed right-hand side among their controls
    for c in reg:
        if c.kind == "identity":
            assert any(ctl.generic for ctl in c.all_controls()), c.id


@pytest.mark.slow
def test_every_control_is_refuted_except_the_known_weak(registry_report):
    reg, _, report = registry_report
    problems = strength_problems(report, reg)
    weak = {c["id"]: c["note"] for c in report["claims"] if c["verdict"] == Verdict.WEAK.value}
    assert set(problems) == set(KNOWN_WEAK), {k: v for k, v in problems.items() if k not in KNOWN_WEAK}
    assert set(weak) <= set(KNOWN_WEAK)
    for cid, reason in KNOWN_WEAK.items():
        assert any(reason in p for p in problems[cid]), (cid, problems[cid])


@pytest.mark.slow
def test_no_comparison_of_an_object_with_itself(registry_report):
    reg, results, _ = registry_report
    same = sorted({r.claim_id for r in results if r.same_sides and not r.control})
    assert set(same) <= set(KNOWN_WEAK), same


@pytest.mark.slow
def test_proved_verdicts_are_exact_or_certified(registry_report):
    _, _, report = registry_report
    for c in report["claims"]:
        if c["verdict"] in ("proved", "weak"):
            assert {r["tier_name"] for r in c["results"]} <= {"exact", "certified"}, c["id"]
    errors = [c["id"] for c in report["claims"] if c["verdict"] == "error"]
    assert errors == []  # e.g. a float reaching a certified comparison is an error naming the claim


@pytest.mark.slow
def test_report_entries_have_controls_scope_and_sharpness(registry_report):
    reg, _, report = registry_report
    for c in report["claims"]:
        assert c["controls"] and c["scope"]["text"], c["id"]
        claim = reg.get(c["id"])
        assert len(c["sharpness"]) == len(claim.sharp)
    assert report["controls_total"]["total"] >= len(report["claims"])


@pytest.mark.slow
def test_sharp_brackets_refute_past_and_prove_inside(registry_report):
    """The sharp bracket of a sample of Sharp parameters: 10% past it refutes, 10% inside proves."""
    reg, results, _ = registry_report
    sharp = [c for c in reg if c.sharp]
    assert sharp
    sample = sharp[:: max(1, len(sharp) // 4)][:4]
    for c in sample:
        mine = [r for r in results if r.claim_id == c.id]
        for e in aggregate(c, mine):
            if e["direction"] is None or e["lo"] in (None, "-inf") or e["hi"] in (None, "inf"):
                continue
            lines = sharpness_check(c, e, mine)
            assert all("(as expected)" in x for x in lines if "->" in x), (c.id, lines)


# -- the audit can fail: toys ----------------------------------------------------------------------------
def _audit(claims):
    reg = Registry()
    for c in claims:
        reg.add(c)
    results = run_claims(claims, "small", store=None, jobs=1)
    report = build_report(results, reg)
    return report, strength_problems(report, reg)


def test_audit_passes_for_a_claim_whose_control_is_refuted():
    c = toy_registry().get("TOY-CTL")
    report, problems = _audit([c])
    (entry,) = report["claims"]
    assert entry["verdict"] == "proved" and problems == {}
    assert {x["name"]: x["refuted"] for x in entry["controls"]} == {"a factor 4 lost": True, "C past sharp": True}


def test_audit_fails_when_the_control_is_removed():
    c = toy_registry().get("TOY-CTL")
    bare = dataclasses.replace(c, controls=(), sharp=(), generic_controls=False)
    _, problems = _audit([bare])
    assert problems == {"TOY-CTL": ["no control"]}


def test_audit_fails_when_a_control_survives():
    c = toy_registry().get("TOY-CTL")
    # a "near miss" that is still true (C·x with C = 3/2 ≥ the sharp 1) is not refuted: weak
    soft = dataclasses.replace(c, controls=(Control("C = 3/2", params={"C": "3/2"}),), sharp=())
    report, problems = _audit([soft])
    assert report["claims"][0]["verdict"] == "weak"
    assert "C = 3/2" in report["claims"][0]["note"]
    assert any("C = 3/2" in p and "survived" in p for p in problems["TOY-CTL"])


def test_weak_self_comparison_scope_and_float_are_caught():
    reg = toy_registry()
    report, problems = _audit([reg.get(i) for i in ("TOY-WEAK", "TOY-SELF", "TOY-POLY", "TOY-FLOAT")])
    v = {c["id"]: c for c in report["claims"]}
    assert v["TOY-WEAK"]["verdict"] == "weak" and "gap 1/2" in v["TOY-WEAK"]["note"]
    assert v["TOY-SELF"]["verdict"] == "weak" and "itself" in v["TOY-SELF"]["note"]
    assert v["TOY-POLY"]["verdict"] == "weak" and "needs 3 points" in v["TOY-POLY"]["note"]
    assert v["TOY-FLOAT"]["verdict"] == "error"
    assert "TOY-FLOAT" in v["TOY-FLOAT"]["worst"]["message"] and "float" in v["TOY-FLOAT"]["worst"]["message"]
    assert set(problems) >= {"TOY-WEAK", "TOY-SELF", "TOY-POLY"}
