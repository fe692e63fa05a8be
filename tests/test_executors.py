"""Executors: local pool and Dask (LocalCluster and a separately started scheduler) give the serial results;
Ctrl-C keeps finished results; a killed worker's task is retried and the run completes."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _pc_helpers import TOYS, cli, rows, start_slow_run, wait_for_results  # noqa: E402

from proofs_check.claim import ProofsCheckError  # noqa: E402
from proofs_check.executors import open_executor, parse_cluster  # noqa: E402

distributed = pytest.importorskip("distributed")


def _stored(store) -> dict:
    """key -> result payload without the run time (the only field that may differ between executors)."""
    out = {}
    for key, payload in rows(store, "SELECT key, payload FROM results"):
        d = json.loads(payload)
        d.pop("runtime", None)
        out[key] = d
    return out


def test_parse_cluster_and_bad_addresses():
    assert parse_cluster("local:2") == ("local", 2)
    assert parse_cluster("tcp://127.0.0.1:1234") == ("address", "tcp://127.0.0.1:1234")
    for bad in ("local:0", "local:x", "127.0.0.1:8786", ""):
        with pytest.raises(ProofsCheckError):
            parse_cluster(bad)


def test_jobs_are_capped_by_tasks():
    assert open_executor(jobs=4, n_tasks=1) is None  # one task: no pool at all
    ex = open_executor(jobs=10**5, n_tasks=2)
    try:
        assert ex is None or ex.workers <= 2
    finally:
        if ex is not None:
            ex.close()


def test_jobs_and_cluster_together_are_a_usage_error(tmp_path):
    r = cli("run", "FD-M2", "--jobs", "2", "--cluster", "local:2", store=tmp_path / "s.sqlite")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not both" in r.stderr
    assert not (tmp_path / "s.sqlite").exists()


@pytest.mark.slow
def test_local_cluster_gives_the_serial_results(tmp_path):
    serial, dask = str(tmp_path / "serial.sqlite"), str(tmp_path / "dask.sqlite")
    a = cli("run", "--paper", "foundations", store=serial)
    b = cli("run", "--paper", "foundations", "--cluster", "local:2", store=dask)
    assert a.returncode == 0 and b.returncode == 0, b.stderr
    assert a.stdout.splitlines()[-1] == b.stdout.splitlines()[-1]
    sa, sb = _stored(serial), _stored(dask)
    assert sa and sa == sb  # same keys (claim, parameters, instance, tier, code version), same verdicts and values


@pytest.mark.slow
def test_ctrl_c_on_a_cluster_run_keeps_results_and_resumes(tmp_path):
    store = str(tmp_path / "c.sqlite")
    proc = start_slow_run(store, "--cluster", "local:2", seconds="0.5", n=12)
    n = wait_for_results(store, 2, proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    saved = rows(store, "SELECT COUNT(*) FROM results")[0][0]
    assert n <= saved < 12
    again = start_slow_run(store, "--cluster", "local:2", seconds="0", n=12)
    out, err = again.communicate()
    assert again.returncode == 0, err
    counts = rows(store, "SELECT key, COUNT(*) FROM computations GROUP BY key")
    assert len(counts) == 12 and all(c == 1 for _, c in counts)  # nothing computed twice


@pytest.mark.slow
def test_a_killed_worker_has_its_task_retried_and_the_run_completes(tmp_path):
    store, workers = str(tmp_path / "k.sqlite"), tmp_path / "workers"
    workers.mkdir()
    proc = start_slow_run(store, "--cluster", "local:2", seconds="2", n=6, workers=workers)
    while not list(workers.glob("started-*")):  # a worker is inside a task
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    victim = int(next(workers.glob("started-*")).name.split("-")[1])
    os.kill(victim, signal.SIGKILL)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert out.splitlines()[-1].startswith("1 claims: 1 proved")
    assert rows(store, "SELECT COUNT(*) FROM results WHERE verdict='proved'")[0][0] == 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_separately_started_scheduler_and_worker(tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    bindir = os.path.dirname(sys.executable)
    sched = subprocess.Popen([os.path.join(bindir, "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                              "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        while True:  # the scheduler listens
            assert sched.poll() is None, "the scheduler exited"
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        worker = subprocess.Popen([os.path.join(bindir, "dask"), "worker", address, "--nworkers", "1", "--nthreads",
                                   "1", "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        serial, remote = str(tmp_path / "serial.sqlite"), str(tmp_path / "remote.sqlite")
        a = cli("run", "FD-M1", "FD-M2", store=serial)
        b = cli("run", "FD-M1", "FD-M2", "--cluster", address, store=remote)
        assert a.returncode == 0 and b.returncode == 0, b.stderr
        assert _stored(serial) == _stored(remote)
    finally:
        for p in (worker, sched):
            if p is not None:
                p.terminate()
                p.wait()


def test_a_lost_worker_becomes_an_error_result_of_its_task():
    import concurrent.futures as cf

    from proofs_check.executors import WorkerLost
    from proofs_check.registry import default_registry
    from proofs_check.runner import _result_or_error, plan

    task = plan(default_registry().select(["FD-M2"]), "small")[0]
    fut: cf.Future = cf.Future()
    fut.set_exception(WorkerLost("the worker running this task died twice"))
    r = _result_or_error(fut, task)
    assert r.verdict.value == "error" and "died twice" in r.message and r.claim_id == "FD-M2"


@pytest.mark.slow
def test_sharpness_on_a_local_cluster_matches_the_serial_brackets(tmp_path):
    a = cli("sharpness", "FD-P1", "--jobs", "1", store=tmp_path / "a.sqlite")
    b = cli("sharpness", "FD-P1", "--cluster", "local:2", store=tmp_path / "b.sqlite")
    assert a.returncode == 0 and b.returncode == 0, b.stderr
    assert a.stdout == b.stdout and "sharp [" in a.stdout and "(as expected)" in a.stdout
