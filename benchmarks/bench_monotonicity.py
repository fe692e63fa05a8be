"""Certified monotonicity of E Φ(score) for the random walk on t ∈ [0.01, 5], next to a float grid.

For each instance (m = 3, d = 3 and m = 5, d = 2; r₊ = r₋ = 1/2; a seeded random data law with
integer weights; Φ = u log u − u + 1 summed over all moves) it times, in this one run:

* ``certify_monotone`` in the certified tier at 128 bits — a *proof* that dF/dt < 0 (strict) on
  the whole interval, by interval evaluation at time balls and bisection;
* the same derivative on a dense float grid of 1000 points (``tier='float'``) — an observation
  at 1000 points, not a proof;

and prints times, the number of derivative evaluations / pieces, and the verdicts.

Run:  python benchmarks/bench_monotonicity.py           (both instances)
      python benchmarks/bench_monotonicity.py --quick   (m = 3, d = 2; a smoke run)
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from flint import fmpq

from mdtheory import Law, ProductSpace, generators
from mdtheory.monotonicity import certify_monotone


def random_law(m: int, d: int, seed: int) -> Law:
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 30, size=m**d)
    tot = int(w.sum())
    return Law(ProductSpace(m, d), [fmpq(int(x), tot) for x in w])


def run(instances, phi: str = "kl", interval=("1/100", 5), prec: int = 128, grid_points: int = 1000) -> None:
    print(f"Φ = {phi}, t ∈ [{interval[0]}, {interval[1]}], certified at {prec} bits vs float grid of {grid_points} points")
    header = f"{'instance':<14}{'tier':<22}{'time (s)':>10}{'evals':>8}{'pieces':>8}  verdict"
    print(header)
    print("-" * len(header))
    for m, d in instances:
        mu = random_law(m, d, seed=2024 + 10 * m + d)
        g = generators.random_walk(m, d, "1/2", "1/2")
        t0 = time.perf_counter()
        rc = certify_monotone(mu, g, phi, interval, strict=True, prec=prec, max_evaluations=20000)
        tc = time.perf_counter() - t0
        t0 = time.perf_counter()
        rf = certify_monotone(mu, g, phi, interval, strict=True, tier="float", grid_points=grid_points)
        tf = time.perf_counter() - t0
        name = f"m={m}, d={d}"
        print(f"{name:<14}{'certified(' + str(prec) + ' bits)':<22}{tc:>10.2f}{rc.evaluations:>8}{len(rc.proved):>8}  {rc.verdict}")
        print(f"{'':<14}{'float grid':<22}{tf:>10.2f}{rf.evaluations:>8}{len(rf.proved):>8}  {rf.verdict}")
        print(f"{'':<14}ratio certified/float: {tc / tf:.2f}; worst certified upper bound of dF/dt: {rc.worst:.3e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small instance only (smoke run)")
    args = ap.parse_args()
    if args.quick:
        run([(3, 2)], grid_points=100)
    else:
        run([(3, 3), (5, 2)])


if __name__ == "__main__":
    main()
