"""Certified monotonicity of E Φ(score) for the random walk on t ∈ [0.01, 5], next to a float grid.

For each instance (m = 3, d = 3 and m = 5, d = 2; r₊ = r₋ = 1/2; a seeded random data law with
integer weights; Φ = u log u − u + 1 summed over all moves) it times, in this one run:

* ``certify_monotone`` in the certified tier at 128 bits — a *proof* that dF/dt < 0 (strict) on
  the whole interval, by interval evaluation at time balls and bisection;
* the same derivative on a dense float grid of 1000 points through the library (``tier='float'``,
  the same code path as the certified tier) — an observation at 1000 points, not a proof;
* a vectorised numpy reference of the same Bregman-form derivative on the 1000-point grid (what a
  user would otherwise write: cosine-sum kernels, ``einsum``, ``np.roll``), checked against the
  library's float values;

and prints times, the number of derivative evaluations / pieces, and the verdicts.

Run:  python benchmarks/bench_monotonicity.py           (both instances)
      python benchmarks/bench_monotonicity.py --quick   (m = 3, d = 2; a smoke run)
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction

import numpy as np
from flint import fmpq

from mdtheory import Law, ProductSpace, generators
from mdtheory.monotonicity import certify_monotone
from mdtheory.scores import score_functional_derivative


def random_law(m: int, d: int, seed: int) -> Law:
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 30, size=m**d)
    tot = int(w.sum())
    return Law(ProductSpace(m, d), [fmpq(int(x), tot) for x in w])


def numpy_reference(mu: Law, m: int, d: int, times: np.ndarray, rate: float = 0.5) -> np.ndarray:
    """dF/dt for Φ = u log u − u + 1 summed over all moves, r₊ = r₋ = rate, vectorised over times."""
    z = np.arange(m)
    j = np.arange(m)
    lam = 2 * rate * (1 - np.cos(2 * np.pi * j / m))  # eigenvalues of the symmetric walk
    # k_t(z) = (1/m) Σ_j e^{−λ_j t} cos(2πjz/m), shape (times, m)
    k = (np.exp(-np.outer(times, lam)) @ np.cos(2 * np.pi * np.outer(j, z) / m)) / m
    p = np.asarray(mu.to_float()).reshape((1,) + (m,) * d).repeat(len(times), axis=0)
    K = np.stack([np.stack([np.roll(kt, x) for x in range(m)]) for kt in k])  # K[t, x, y] = k_t(y − x)
    for ax in range(d):  # p_t = μ ×_ax K_t along every coordinate
        q = np.moveaxis(p, ax + 1, -1)
        q = np.einsum("tax,txy->tay", q.reshape(len(times), -1, m), K).reshape(q.shape)
        p = np.moveaxis(q, -1, ax + 1)
    total = np.zeros(len(times))
    moves = [(i, s) for i in range(d) for s in ((1,) if m == 2 else (1, -1))]
    for i, s in moves:
        u = np.roll(p, -s, axis=i + 1) / p
        for jj in range(d):
            for s2 in ((1,) if m == 2 else (1, -1)):
                rate_yx = 2 * rate if m == 2 else rate
                py = np.roll(p, -s2, axis=jj + 1)
                uy = np.roll(u, -s2, axis=jj + 1)
                B = uy * np.log(uy / u) - uy + u
                total += (rate_yx * py * B).reshape(len(times), -1).sum(axis=1)
    return -total


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
        grid = np.linspace(float(Fraction(interval[0])), float(Fraction(interval[1])), grid_points)
        t0 = time.perf_counter()
        ref = numpy_reference(mu, m, d, grid)
        tn = time.perf_counter() - t0
        check = [float(score_functional_derivative(mu, g, phi, t=float(x), tier="float").value) for x in grid[::250]]
        err = max(abs(a - b) / max(abs(a), 1e-300) for a, b in zip(check, ref[::250]))
        name = f"m={m}, d={d}"
        print(f"{name:<14}{'certified(' + str(prec) + ' bits)':<22}{tc:>10.2f}{rc.evaluations:>8}{len(rc.proved):>8}  {rc.verdict}")
        print(f"{'':<14}{'float grid':<22}{tf:>10.2f}{rf.evaluations:>8}{len(rf.proved):>8}  {rf.verdict}")
        verdict = "all < 0 (float, not a proof)" if (ref < 0).all() else "some >= 0 (float)"
        print(f"{'':<14}{'numpy grid (vectorised)':<22}{tn:>10.4f}{grid_points:>8}{'':>8}  {verdict}; rel. diff to library {err:.1e}")
        print(f"{'':<14}certified / library float grid = {tc / tf:.2f}, certified / numpy grid = {tc / tn:.0f}; "
              f"worst certified upper bound of dF/dt: {rc.worst:.3e}")


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
