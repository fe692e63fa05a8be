"""The command line under faults: stopped runs, two runs on one store, resume hints, replay checks,
unwritable stores and report directories, searches that would not fit."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _pc_helpers import TOYS, cli, rows, start_slow_run, wait_for_results  # noqa: E402

from proofs_check.store import Store  # noqa: E402


def test_a_killed_run_is_marked_stopped_by_the_next(tmp_path):
    store = str(tmp_path / "s.sqlite")
    proc = start_slow_run(store, seconds="0.3", n=20)
    wait_for_results(store, 1, proc)
    proc.kill()
    proc.wait()
    assert rows(store, "SELECT status FROM runs") == [("running",)]
    st = Store(store)
    st.start_run(["run"])
    assert [r[0] for r in rows(store, "SELECT status FROM runs ORDER BY id")] == ["stopped", "running"]


def test_two_runs_on_one_store_compute_each_task_once(tmp_path):
    store = str(tmp_path / "s.sqlite")
    Store(store)  # create the schema first, so both runs open an existing file
    a, b = start_slow_run(store, seconds="0.2", n=10), start_slow_run(store, seconds="0.2", n=10)
    (oa, ea), (ob, eb) = a.communicate(), b.communicate()
    assert a.returncode == 0 and b.returncode == 0, ea + eb
    assert oa.splitlines()[-1] == ob.splitlines()[-1]
    assert oa.splitlines()[-1].startswith("1 claims: 1 proved")
    counts = rows(store, "SELECT key, COUNT(*) FROM computations GROUP BY key")
    assert len(counts) == 10 and all(n == 1 for _, n in counts), counts
    per_run = rows(store, "SELECT run_id, COUNT(*) FROM run_results GROUP BY run_id")
    assert sorted(n for _, n in per_run) == [10, 10]  # each run reports every result


def test_ctrl_c_of_a_recompute_run_says_how_to_resume(tmp_path):
    store = str(tmp_path / "s.sqlite")
    proc = start_slow_run(store, "--recompute", seconds="0.3", n=20)
    wait_for_results(store, 1, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130
    assert "without --recompute" in err and "Traceback" not in err


def _refuted_witness(tmp_path) -> str:
    store = tmp_path / "w.sqlite"
    r = cli("run", "TOY-FALSE", "--claims-module", TOYS, store=store)
    assert r.returncode == 1
    wdir = tmp_path / "witnesses"
    return str(next(wdir.glob("TOY-FALSE-*.json")))


def test_replay_reports_a_changed_code_version_and_changed_values(tmp_path):
    path = _refuted_witness(tmp_path)
    w = json.load(open(path))
    w["code_version"] = "0000000000"
    w["lhs"] = "7/8"
    json.dump(w, open(path, "w"))
    r = cli("replay", path, "--claims-module", TOYS)
    assert r.returncode == 0, r.stderr  # still refutes
    assert "differs: code version" in r.stdout and "differs: lhs: recorded 7/8" in r.stdout


def test_replay_of_a_witness_with_a_missing_field_is_one_line(tmp_path):
    path = _refuted_witness(tmp_path)
    w = json.load(open(path))
    del w["instance"]["p"]
    json.dump(w, open(path, "w"))
    r = cli("replay", path, "--claims-module", TOYS)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "lacks the field 'p'" in r.stderr, r.stderr


def test_unwritable_report_directory_is_refused_before_the_run(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = cli("run", "TOY-TRUE", "--claims-module", TOYS, "--report-dir", str(blocker / "sub"),
            store=tmp_path / "s.sqlite")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "report directory" in r.stderr, r.stderr
    assert not (tmp_path / "s.sqlite").exists()  # nothing computed, nothing stored


def _immutable(path, on: bool) -> bool:
    """``chattr ±i``: a file even root cannot write (where the file system supports it)."""
    try:
        return subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True).returncode == 0
    except OSError:
        return False


def test_read_only_store_is_a_usage_error_before_the_run(tmp_path):
    store = tmp_path / "s.sqlite"
    Store(str(store)).close()
    if os.geteuid() == 0:
        if not _immutable(store, True):
            pytest.skip("cannot make a file read-only for root here (no chattr)")
    else:
        os.chmod(store, 0o444)
    try:
        r = cli("run", "TOY-TRUE", "--claims-module", TOYS, store=store)
    finally:
        if os.geteuid() == 0:
            _immutable(store, False)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "cannot write the result store" in r.stderr, r.stderr
    assert rows(str(store), "SELECT COUNT(*) FROM runs") == [(0,)]


def test_report_reads_a_store_without_writing_it(tmp_path):
    r = cli("report", store=tmp_path / "missing.sqlite")
    assert r.returncode == 2 and "no store at" in r.stderr
    assert not (tmp_path / "missing.sqlite").exists()


def test_a_search_that_would_not_fit_is_an_error_result_not_a_crash(tmp_path):
    r = cli("run", "FD-TV1", "--search", "--param", "d=40", "--budget", "5", store=tmp_path / "s.sqlite")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "SpaceTooLargeError" in r.stdout and "memory budget" in r.stdout
