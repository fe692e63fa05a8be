"""Runs on a Dask cluster against the serial run, measured side by side in one run on this machine.

For each workload it times ``proofs-check run`` (a fresh store each time, so everything is computed):

* serially (``--jobs 1``, the reference a user would otherwise use);
* on a Dask ``LocalCluster`` of two worker processes (``--cluster local:2``), start-up included;
* on the local process pool (``--jobs 2``), for comparison;

and prints the speed-ups.  The scheduling overhead per task is measured separately: ``TOY-SLOW`` with
``n1`` and ``n2`` instances that do nothing: the extra time per extra task on the cluster against serially,
and what is left of the difference (cluster start-up and shut-down).

Run:  python benchmarks/bench_cluster.py            (run --all --instances medium; several minutes)
      python benchmarks/bench_cluster.py --quick    (run --paper foundations; a smoke run)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOYS = str(Path(__file__).resolve().parents[1] / "tests" / "toy_claims.py")


def timed_run(args: list[str], env: dict | None = None) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "proofs_check.cli", "run", *args, "--quiet", "--store",
               os.path.join(tmp, "s.sqlite")]
        e = dict(os.environ, **(env or {}))
        e.pop("PROOFS_CHECK_EXTRA_CLAIMS", None)
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=e)
        dt = time.perf_counter() - t0
    if out.returncode not in (0, 1):
        sys.exit(f"bench_cluster: {' '.join(args)} failed: {out.stderr.strip()[-500:]}")
    return dt, out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a smoke run (foundations, small instances)")
    ap.add_argument("--workers", type=int, default=2, help="cluster worker processes (default 2)")
    a = ap.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each measurement is printed as soon as it is made
    try:
        import distributed  # noqa: F401
    except ImportError:
        print("bench_cluster: Dask is not installed (pip install -e \".[distributed]\"); nothing to compare")
        return
    work = ["--paper", "foundations"] if a.quick else ["--all", "--instances", "medium"]
    n_toy = 200 if a.quick else 2000
    print(f"workload: proofs-check run {' '.join(work)}   (cores: {os.cpu_count()}, workers: {a.workers})")
    t_serial, line = timed_run(work + ["--jobs", "1"])
    print(f"  serial            {t_serial:8.1f} s   {line}")
    t_dask, line_d = timed_run(work + ["--cluster", f"local:{a.workers}"])
    print(f"  local:{a.workers} (Dask)    {t_dask:8.1f} s   {line_d}   speed-up {t_serial / t_dask:.2f}x")
    t_pool, line_p = timed_run(work + ["--jobs", str(a.workers)])
    print(f"  --jobs {a.workers} (pool)   {t_pool:8.1f} s   {line_p}   speed-up {t_serial / t_pool:.2f}x")
    if not (line == line_d == line_p):
        print("  WARNING: the totals lines differ between executors")
    def toy(n, *extra):
        return timed_run(["TOY-SLOW", "--param", f"n={n}", "--claims-module", TOYS, *extra],
                         {"TOY_SLOW_SECONDS": "0"})[0]

    n1, n2 = n_toy // 4, n_toy
    c1, c2 = toy(n1, "--cluster", f"local:{a.workers}"), toy(n2, "--cluster", f"local:{a.workers}")
    s1, s2 = toy(n1), toy(n2)
    per_task = ((c2 - c1) - (s2 - s1)) / (n2 - n1)
    startup = c1 - s1 - per_task * n1
    print(f"scheduling overhead: {per_task * 1000:.1f} ms per task (from {n1} and {n2} empty tasks); "
          f"cluster start-up and shut-down {startup:.1f} s")

if __name__ == "__main__":
    main()
