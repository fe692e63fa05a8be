"""The proofs-check command: list/show/run/replay, exit codes, bad input (one line, no traceback)."""

from __future__ import annotations

import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _pc_helpers import TOYS, cli  # noqa: E402

from proofs_check.cli import main  # noqa: E402


def test_list_and_show_in_process(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["ID", "paper", "provenance"]
    assert "FD-TV1" in out and "derived-and-exact" in out
    assert main(["list", "--paper", "TOY", "--claims-module", TOYS, "--json"]) == 0
    ids = [c["id"] for c in json.loads(capsys.readouterr().out)]
    assert "TOY-FALSE" in ids and "FD-TV1" not in ids
    assert main(["show", "FD-E1"]) == 0
    out = capsys.readouterr().out
    assert "S_{2j}(t)" in out and "j = 1" in out and "t=2^-40" in out


def test_refuted_derived_claim_fails_run_and_witness_replays(tmp_path):
    store = tmp_path / "s.sqlite"
    r = cli("run", "TOY-FALSE", "--claims-module", TOYS, store=store)
    assert r.returncode == 1
    assert "refuted" in r.stdout and "FAILED" in r.stdout
    wdir = tmp_path / "witnesses"
    (wfile,) = list(wdir.iterdir())
    assert str(wfile) in r.stdout
    w = json.loads(wfile.read_text())
    assert w["instance"]["p"] == ["1/3", "1/3", "1/3"]
    ok = cli("replay", str(wfile), "--claims-module", TOYS)
    assert ok.returncode == 0 and "witness confirmed" in ok.stdout and "lhs    = 1/3 (exact)" in ok.stdout
    w["instance"]["p"] = ["1", "0", "0"]  # no longer a counterexample
    fake = tmp_path / "fake.json"
    fake.write_text(json.dumps(w))
    no = cli("replay", str(fake), "--claims-module", TOYS)
    assert no.returncode == 1 and "NOT reproduced" in no.stdout


def test_reconstructed_refutation_does_not_fail_the_run(tmp_path):
    r = cli("run", "--paper", "0000.00000", "--claims-module", TOYS, "--param", "TOY-SLOW.n=2",
            "--param", "TOY-FALSE.k=1", store=tmp_path / "s.sqlite")
    assert r.returncode == 2 and "TOY-FALSE" in r.stderr  # TOY-FALSE has no parameter k
    r = cli("run", "TOY-RECON", "TOY-TRUE", "TOY-RATE", "--claims-module", TOYS, store=tmp_path / "s.sqlite")
    assert r.returncode == 0, r.stderr
    assert "the reconstruction may be wrong" in r.stdout
    r = cli("run", "TOY-ERR", "--claims-module", TOYS, store=tmp_path / "s.sqlite")
    assert r.returncode == 1 and "ZeroDivisionError" in r.stdout


def test_search_mode_via_cli(tmp_path):
    r = cli("run", "TOY-FALSE", "TOY-TRUE", "--search", "--budget", "60", "--claims-module", TOYS,
            store=tmp_path / "s.sqlite")
    assert r.returncode == 1  # a derived-and-exact claim refuted by search
    assert "found by search" in r.stdout or "witness" in r.stdout
    assert "cannot search" in r.stderr and "TOY-TRUE" in r.stderr
    r = cli("run", "FD-TV2", "--search", "--budget", "30", "--search-method", "hypothesis", store=tmp_path / "s.sqlite")
    assert r.returncode == 0 and "no-counterexample" in r.stdout and "search(hypothesis" in r.stdout


BAD = [
    (["show", "NOPE-1"], "unknown claim ID 'NOPE-1'"),
    (["run", "FD-TV9"], "did you mean"),
    (["run", "FD-E1", "--param", "j=abc"], "parameter j expects an integer"),
    (["run", "FD-E1", "--param", "zz=1"], "no selected claim has a parameter 'zz'"),
    (["run", "FD-E1", "--param", "nonsense"], "NAME=VALUE"),
    (["run", "FD-E1", "--tier", "double"], "invalid choice"),
    (["run", "FD-E1", "--jobs", "0"], "positive integer"),
    (["run"], "say what to run"),
    (["run", "--paper", "nopaper"], "no paper matches"),
    (["replay", "{tmp}/garbage.json"], "not valid JSON"),
    (["replay", "{tmp}/other.json"], "not a proofs-check witness"),
    (["replay", "{tmp}/missing.json"], "does not exist"),
    (["report"], "run `proofs-check run`"),
    (["frobnicate"], "invalid choice"),
    (["run", "FD-E1", "--claims-module", "{tmp}/nothere.py"], "does not exist"),
]


@pytest.mark.parametrize("args,needle", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_gives_one_line_error(tmp_path, args, needle):
    (tmp_path / "garbage.json").write_text("{not json")
    (tmp_path / "other.json").write_text('{"format": "something-else"}')
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    r = cli(*args, store=tmp_path / "s.sqlite") if args[0] != "frobnicate" else cli(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("proofs-check: error:"), r.stderr
    assert needle in lines[0]


def test_progress_bar_goes_to_stderr(tmp_path):
    r = cli("run", "TOY-SLOW", "--param", "n=3", "--claims-module", TOYS, store=tmp_path / "s.sqlite",
            env={"PROOFS_CHECK_PROGRESS": "1"})
    assert r.returncode == 0, r.stderr
    assert "3/3" in r.stderr and "ETA" in r.stderr and "/s" in r.stderr  # done/total, rate, ETA
    assert "━" not in r.stdout and "3/3" not in r.stdout
    header = r.stdout.splitlines()[0].split()
    assert header[:3] == ["claim", "verdict", "inst"]  # the table has headers



@pytest.mark.parametrize("args, needle", [
    (["run", "FD-E1", "--param", "FD-E1.j=-1"], "must be >= 1"),
    (["run", "FD-TV1", "--param", "m=0"], "used only by --search"),
    (["run", "FD-TV1", "--param", "FD-TV1.m=3"], "used only by --search"),
    (["run", "FD-P1", "--param", "c=-1"], "must be > 0"),
])
def test_out_of_domain_or_unused_param_is_a_one_line_error_and_writes_nothing(tmp_path, args, needle):
    r = cli(*args, store=tmp_path / "s.sqlite")
    assert r.returncode == 2, r.stdout + r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and needle in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "witnesses").exists() and not (tmp_path / "s.sqlite").exists()


def test_refutation_at_given_parameters_is_not_a_failure(tmp_path):
    store = tmp_path / "s.sqlite"
    r = cli("run", "FD-P1", "--param", "c=1/4", "--jobs", "1", store=store)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "refuted at the given parameters" in r.stdout and "FAILED" not in r.stdout
    ws = list((tmp_path / "witnesses").iterdir())  # still replayable witnesses (one per refuted instance)
    assert ws and all(w.name.startswith("FD-P1-") for w in ws)
    assert cli("replay", str(ws[0]), store=store).returncode == 0


def test_weak_claim_names_its_surviving_control_and_summary_counts_controls(tmp_path):
    r = cli("run", "TOY-WEAK", "TOY-CTL", "--claims-module", TOYS, "--jobs", "1", store=tmp_path / "s.sqlite")
    assert r.returncode == 0, r.stderr
    line = [x for x in r.stdout.splitlines() if " TOY-WEAK " in x][-1]  # the claim's final line
    assert "weak" in line and "gap 1/2" in line
    assert r.stdout.splitlines()[-1] == "2 claims: 1 weak, 1 proved; controls: 2 of 3 refuted as expected"
    rep = json.loads(cli("report", "--format", "json", "--claims-module", TOYS, store=tmp_path / "s.sqlite").stdout)
    ctl = {c["id"]: c for c in rep["claims"]}["TOY-CTL"]
    assert {x["name"] for x in ctl["controls"]} == {"a factor 4 lost", "C past sharp"}
    assert ctl["scope"]["text"] == "on 3 instances" and ctl["sharpness"][0]["lo"] == "1"
    assert ctl["sharpness"][0]["slack"] == "2" and ctl["slack"] == "C: 2"


def test_sharpness_command_brackets_and_rechecks(tmp_path):
    r = cli("sharpness", "TOY-CTL", "--claims-module", TOYS, "--jobs", "1", store=tmp_path / "s.sqlite")
    assert r.returncode == 0, r.stderr
    assert "C: stated 2, sharp 1 (exact), slack 2, stronger when smaller, at x=1" in r.stdout
    assert "10% past the bracket: C = 9/10 -> refuted at x=1 (as expected)" in r.stdout
    assert "10% inside the bracket: C = 11/10 -> proved (as expected)" in r.stdout
    bad = cli("sharpness", "TOY-TRUE", "--claims-module", TOYS, store=tmp_path / "s.sqlite")
    assert bad.returncode == 2 and "declare no sharp parameter" in bad.stderr
