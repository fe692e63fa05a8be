"""What `proofs-check run` prints: a line per claim as it finishes (pipes), JSON, -q / -v, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _pc_helpers import TOYS, cli  # noqa: E402

from proofs_check.claim import CheckResult  # noqa: E402
from proofs_check.display import RunDisplay, claim_line, display_mode  # noqa: E402


def test_a_claim_line_is_printed_when_its_last_instance_finishes():
    out = io.StringIO()
    d = RunDisplay(["A", "B", "A"], mode="lines", out=out)
    d.result(CheckResult("A", "1", "proved", "exact", margin_float=1.0))
    d.result(CheckResult("B", "1", "refuted", "exact", margin_float=-1.0))
    assert [ln.split()[:2] for ln in out.getvalue().splitlines()] == [["refuted", "B"]]
    d.result(CheckResult("A", "2", "proved", "exact", margin_float=0.5))
    assert [ln.split()[:2] for ln in out.getvalue().splitlines()] == [["refuted", "B"], ["proved", "A"]]
    assert d.finished_claims == ["B", "A"]


def test_quiet_and_verbose_modes():
    out = io.StringIO()
    d = RunDisplay(["A"], mode="quiet", out=out)
    d.result(CheckResult("A", "1", "proved", "exact"))
    assert out.getvalue() == ""
    out = io.StringIO()
    d = RunDisplay(["A", "A"], mode="lines", verbose=True, out=out)
    d.result(CheckResult("A", "i1", "proved", "exact"))
    d.result(CheckResult("A", "i2", "proved", "exact"))
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and "i1" in lines[0] and "i2" in lines[1] and lines[2].startswith("proved")


def test_display_mode_follows_the_stream():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert display_mode(stream=Tty()) == "tty"
    assert display_mode(stream=io.StringIO()) == "lines"
    assert display_mode(quiet=True, stream=Tty()) == "quiet"
    assert display_mode(fmt="json", stream=Tty()) == "json"


def test_claim_line_names_the_witness_of_a_refutation():
    entry = {"id": "X-1", "verdict": "refuted", "n_results": 2, "note": "bug",
             "worst": {"instance": "i", "margin_tagged": "-1 (exact)", "witness_path": "w.json"}}
    line = claim_line(entry, 1.25)
    assert line.split()[:2] == ["refuted", "X-1"] and "at i" in line and "(witness: w.json)" in line


def test_piped_run_prints_each_claim_while_the_run_goes_on(tmp_path):
    """TOY-TRUE's line must arrive while TOY-SLOW (one instance sleeping 30 s) is still running.

    If the lines came only at the end, readline would return after those 30 s with the run finished.
    """
    env = dict(os.environ, TOY_SLOW_SECONDS="30")
    env.pop("PROOFS_CHECK_EXTRA_CLAIMS", None)
    env.pop("PROOFS_CHECK_PROGRESS", None)
    cmd = [sys.executable, "-m", "proofs_check.cli", "run", "TOY-TRUE", "TOY-SLOW", "--param", "TOY-SLOW.n=1", "--claims-module", TOYS,
           "--store", str(tmp_path / "s.sqlite")]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert proc.poll() is None, "the line came only when the run ended"
        assert first.split()[:2] == ["proved", "TOY-TRUE"], first
    finally:
        proc.kill()
        proc.communicate()


def test_format_json_prints_only_the_report(tmp_path):
    r = cli("run", "TOY-TRUE", "--claims-module", TOYS, "--format", "json", store=tmp_path / "s.sqlite")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert [c["id"] for c in rep["claims"]] == ["TOY-TRUE"] and rep["claims"][0]["verdict"] == "proved"


def test_quiet_keeps_only_the_totals_line(tmp_path):
    r = cli("run", "TOY-TRUE", "--claims-module", TOYS, "-q", store=tmp_path / "s.sqlite")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 1, r.stdout
    assert r.stdout.startswith("1 claims: 1 proved; controls: "), r.stdout


def test_help_lists_the_exit_codes():
    for args in (["--help"], ["run", "--help"]):
        r = cli(*args)
        assert r.returncode == 0
        for code in ("0 ", "1 ", "2 ", "3 ", "130"):
            assert f"\n  {code}" in r.stdout, (args, code)


def test_a_claim_line_says_its_controls_are_pending_not_skipped(tmp_path):
    """Controls run after every claim's own instances, so a claim's line comes first: it must not say
    'not run' (that means --no-controls); with --no-controls it must."""
    first = cli("run", "TOY-CTL", "--claims-module", TOYS, store=tmp_path / "a.sqlite")
    line = first.stdout.splitlines()[0]
    assert first.returncode == 0 and "2 control(s) pending" in line and "not run" not in line, first.stdout
    assert "controls: 2 of 2 refuted" in first.stdout.splitlines()[-1], first.stdout
    skipped = cli("run", "TOY-CTL", "--no-controls", "--claims-module", TOYS, store=tmp_path / "b.sqlite")
    assert "2 control(s) not run" in skipped.stdout.splitlines()[0], skipped.stdout
