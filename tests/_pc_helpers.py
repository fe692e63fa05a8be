"""Shared helpers for the proofs_check tests."""

from __future__ import annotations

import os
import subprocess
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
TOYS = os.path.join(TESTS, "toy_claims.py")


def toy_registry():
    from proofs_check.registry import default_registry

    return default_registry((TOYS,))


def cli(*args, store=None, env=None):
    """Run ``python -m proofs_check.cli ...`` in a subprocess; returns CompletedProcess."""
    e = dict(os.environ)
    e.pop("PROOFS_CHECK_EXTRA_CLAIMS", None)
    e.pop("PROOFS_CHECK_PROGRESS", None)
    e.update(env or {})
    cmd = [sys.executable, "-m", "proofs_check.cli", *args]
    if store is not None:
        cmd += ["--store", str(store)]
    return subprocess.run(cmd, capture_output=True, text=True, env=e)


def rows(store, sql):
    """Rows of an SQL query on a store file."""
    import sqlite3

    with sqlite3.connect(str(store)) as con:
        return con.execute(sql).fetchall()


def start_slow_run(store, *extra, seconds="0.25", n=12, workers=None):
    """Start ``proofs-check run TOY-SLOW`` (``n`` instances sleeping ``seconds`` each) in the background.

    ``workers``: a directory where the instances note ``started-<pid>`` / ``orphan-<pid>``.
    """
    env = dict(os.environ, TOY_SLOW_SECONDS=str(seconds))
    env.pop("PROOFS_CHECK_EXTRA_CLAIMS", None)
    if workers is not None:
        env["TOY_WORKER_DIR"] = str(workers)
    cmd = [sys.executable, "-m", "proofs_check.cli", "run", "TOY-SLOW", "--param", f"n={n}", "--claims-module", TOYS,
           "--store", str(store), "--quiet", *extra]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_results(store, at_least, proc):
    """Poll the store until it holds ``at_least`` results; fail if the run ends before that.

    No wall-clock deadline: on a slow machine this simply waits longer.
    """
    import sqlite3
    import time

    while True:
        if os.path.exists(store):
            try:
                n = rows(store, "SELECT COUNT(*) FROM results")[0][0]
            except sqlite3.OperationalError:
                n = 0
            if n >= at_least:
                return n
        if proc.poll() is not None:
            raise AssertionError(f"the run ended (status {proc.returncode}) before {at_least} results were stored: "
                                 f"{proc.communicate()}")
        time.sleep(0.05)
