"""Benchmark: `proofs-check run` per paper on a cold store, claims and controls together.

For each paper (and then for `--all`) the command runs on a fresh temporary
store, once with its controls and sharp constants (what `run` does by default)
and once with `--no-controls` (the claims alone: the reference measured side by
side); the wall time of both and their ratio are printed.  Workers: the
default of `proofs-check run` (the available cores, at most one per task)
unless `--jobs N` is given.  The issue's target: `run --all` with controls in
under 2 minutes on a quiet 2-core machine.

    python benchmarks/bench_claims.py                  # every paper, then --all
    python benchmarks/bench_claims.py --paper SR       # one paper
    python benchmarks/bench_claims.py --quick          # smoke run: the foundations claims only
    python benchmarks/bench_claims.py --no-reference   # skip the --no-controls runs
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _run(selector: list[str], controls: bool, jobs: int | None) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as d:
        cmd = [sys.executable, "-m", "proofs_check.cli", "run", *selector, "--quiet", "--store",
               os.path.join(d, "r.sqlite")]
        if not controls:
            cmd.append("--no-controls")
        if jobs is not None:
            cmd += ["--jobs", str(jobs)]
        env = dict(os.environ)
        env.pop("PROOFS_CHECK_EXTRA_CLAIMS", None)
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        dt = time.perf_counter() - t0
    if out.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(selector)}: proofs-check exited {out.returncode}: {out.stderr.strip()[-500:]}")
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    return dt, last


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="foundations only (smoke run)")
    ap.add_argument("--paper", action="append", help="only these papers (repeatable)")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: proofs-check's default)")
    ap.add_argument("--no-reference", action="store_true", help="skip the claims-only reference runs")
    args = ap.parse_args(argv)

    from proofs_check.registry import default_registry

    papers = args.paper or (["foundations"] if args.quick else [p.short for p in default_registry().papers()])
    rows = [(p, ["--paper", p]) for p in papers]
    if not args.quick and not args.paper:
        rows.append(("ALL (run --all)", ["--all"]))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"proofs-check run, cold store, jobs={args.jobs or f'default ({cores} cores)'}; "
          "'claims only' is the --no-controls reference measured side by side")
    print(f"{'selection':<22} {'with controls':>14} {'claims only':>12} {'ratio':>6}  summary")
    for name, sel in rows:
        t_ctl, line = _run(sel, True, args.jobs)
        if args.no_reference:
            print(f"{name:<22} {t_ctl:>12.1f} s {'—':>12} {'—':>6}  {line}", flush=True)
            continue
        t_ref, _ = _run(sel, False, args.jobs)
        print(f"{name:<22} {t_ctl:>12.1f} s {t_ref:>10.1f} s {t_ctl / t_ref:>6.2f}  {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
