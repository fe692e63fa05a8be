"""Report formats: JSON parses and is canonical, Markdown table, LaTeX booktabs."""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _pc_helpers import TOYS, cli, toy_registry  # noqa: E402

from proofs_check.claim import CheckResult  # noqa: E402
from proofs_check.report import build_report, tagged, to_json, to_latex, to_markdown  # noqa: E402
from proofs_check.runner import plan, run_tasks  # noqa: E402

REG = toy_registry()


def _report():
    tasks = plan(REG.select(["TOY-TRUE", "TOY-FALSE", "TOY-PREC", "TOY-RECON", "TOY-RATE"]), "small",
                 extra_modules=(TOYS,))
    return build_report(run_tasks(tasks), REG, {"id": 7, "argv": ["run", "x"], "status": "finished"})


def test_json_report_parses_and_tags_every_number():
    rep = json.loads(to_json(_report()))
    by_id = {c["id"]: c for c in rep["claims"]}
    assert set(by_id) == {"TOY-TRUE", "TOY-FALSE", "TOY-PREC", "TOY-RECON", "TOY-RATE"}
    assert by_id["TOY-FALSE"]["verdict"] == "refuted" and by_id["TOY-FALSE"]["failure"] is True
    assert by_id["TOY-RECON"]["verdict"] == "refuted" and by_id["TOY-RECON"]["failure"] is False
    assert rep["failed"] is True
    assert by_id["TOY-TRUE"]["worst"]["margin_tagged"] == "1/7 (exact)"
    assert by_id["TOY-PREC"]["worst"]["margin_tagged"].endswith("(certified, 256 bits)")
    assert by_id["TOY-RATE"]["worst"]["fit"]["exponent"] > 1.99
    for c in rep["claims"]:
        for r in c["results"]:
            assert r["tier"] and r["tier_name"] in ("exact", "certified")
            assert {"params", "instance", "runtime", "code_version"} <= set(r)
    assert rep["versions"]["mdtheory"] and rep["run"]["id"] == 7


def test_markdown_table():
    md = to_markdown(_report())
    lines = md.splitlines()
    head = lines.index("| ID | Paper | Provenance | Verdict | Results | Scope | Controls | Slack | Worst margin | Where | "
                       "Note |")
    assert lines[head + 1].startswith("|---|")
    end = lines.index("", head)
    rows = lines[head + 2:end]
    assert len(rows) == 5 and all(r.startswith("| TOY-") and r.count("|") >= 12 for r in rows)
    assert "reconstruction may be wrong" in md
    assert "## Refutations" in md and "## Rate and shape fits" in md


def test_latex_booktabs():
    tex = to_latex(_report())
    for cmd in (r"\toprule", r"\midrule", r"\bottomrule", r"\begin{tabular}", r"\end{tabular}"):
        assert cmd in tex
    body = tex[tex.index(r"\midrule"):tex.index(r"\bottomrule")]
    assert body.count(r"\\") == 5
    assert "derived-and-exact" in tex and "$\\pm$" in tex  # certified ball rendered as [mid $\pm$ rad]
    assert all(ord(ch) < 128 for ch in tex)


def test_latex_escapes_specials():
    r = CheckResult("A_1&%", "i", "proved", "exact", tier_name="exact", margin="1/2", margin_float=0.5,
                    provenance="reconstructed")
    tex = to_latex(build_report([r]))
    assert r"A\_1\&\%" in tex


def test_tagged_shortens_huge_exact_rationals():
    big = "12345678901234567890123456789/98765432109876543210987654321"
    r = CheckResult("A", "i", "proved", "exact", tier_name="exact", margin=big, margin_float=0.125)
    assert tagged(r).startswith("≈0.125 (exact")
    f = CheckResult("A", "i", "holds-approx", "float", tier_name="float", margin="0.5 (float)", margin_float=0.5)
    assert tagged(f) == "0.5 (float)"


def test_report_command_renders_last_run(tmp_path):
    store = tmp_path / "s.sqlite"
    r = cli("run", "TOY-TRUE", "TOY-RECON", "--claims-module", TOYS, store=store)
    assert r.returncode == 0, r.stderr
    j = cli("report", "--format", "json", "--claims-module", TOYS, store=store)
    assert j.returncode == 0, j.stderr
    assert [c["id"] for c in json.loads(j.stdout)["claims"]] == ["TOY-TRUE", "TOY-RECON"]
    bare = cli("report", "--format", "latex", store=store)  # without the plugin: metadata from the store
    assert bare.returncode == 0 and "TOY-TRUE & 0000.00000 & derived-and-exact & proved" in bare.stdout
    out = cli("report", "--out", str(tmp_path / "rep"), "--claims-module", TOYS, store=store)
    assert out.returncode == 0, out.stderr
    assert sorted(os.listdir(tmp_path / "rep")) == ["report.json", "report.md", "report.tex"]
    assert r"\toprule" in (tmp_path / "rep" / "report.tex").read_text()
