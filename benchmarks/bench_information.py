"""Information profile of binary laws: one partial-marginal table against 2^d separate marginalisations.

For each d it times, in this one run on this machine:

* ``information_profile`` in the float tier (partial-marginal table by successive axis
  sums, one pass for all ``2^d`` subset entropies, then h, g, f);
* the naive route a user would write: for every subset ``S`` sum the law over the
  complement axes (``p.sum(axis=...)``) and take the entropy — ``2^d`` separate
  numpy reductions;
* (small d) the exact tier, ``information_profile(law)`` with certified balls.

The naive route is timed on all subsets when its estimate (from a timed sample of
subsets of every size) is at most ``--naive-budget`` seconds (default 120);
otherwise only the estimate is printed, and the line says so.  The largest
difference between the two float profiles is printed as a correctness check.

Run:  python benchmarks/bench_information.py            (d = 12, 14, 16)
      python benchmarks/bench_information.py --quick    (d = 8, 10; a smoke run)
"""

from __future__ import annotations

import argparse
import itertools
import math
import time

import numpy as np

from mdtheory import Law, ProductSpace
from mdtheory.distributions import dirichlet
from mdtheory.information import information_profile


def naive_subset_entropy(p: np.ndarray, S: tuple[int, ...]) -> float:
    d = p.ndim
    drop = tuple(i for i in range(d) if i not in S)
    marg = p.sum(axis=drop) if drop else p
    marg = np.ravel(marg)
    marg = marg[marg > 0]
    return float(-(marg * np.log(marg)).sum())


def naive_profile(p: np.ndarray) -> np.ndarray:
    """g(i) from the 2^d separately marginalised subset entropies."""
    d = p.ndim
    h = np.zeros(d + 1)
    for k in range(d + 1):
        tot = 0.0
        for S in itertools.combinations(range(d), k):
            tot += naive_subset_entropy(p, S) if S else 0.0
        h[k] = tot / math.comb(d, k)
    return np.diff(h)


def estimate_naive(p: np.ndarray, per_size: int = 3) -> float:
    """Seconds for all 2^d subsets, from a timed sample of ``per_size`` subsets of every size."""
    d = p.ndim
    rng = np.random.default_rng(0)
    total = 0.0
    for k in range(1, d + 1):
        n_k = math.comb(d, k)
        sample = [tuple(sorted(rng.choice(d, size=k, replace=False).tolist())) for _ in range(min(per_size, n_k))]
        t0 = time.perf_counter()
        for S in sample:
            naive_subset_entropy(p, S)
        total += (time.perf_counter() - t0) / len(sample) * n_k
    return total


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    ap.add_argument("--d", type=int, nargs="*", help="sequence lengths (default 12 14 16)")
    ap.add_argument("--naive-budget", type=float, default=120.0, help="skip the naive route above this estimate (s)")
    ap.add_argument("--exact-max-d", type=int, default=10, help="also time the exact tier up to this d")
    args = ap.parse_args(argv)
    ds = args.d or ([8, 10] if args.quick else [12, 14, 16])
    exact_max = min(args.exact_max_d, 8) if args.quick else args.exact_max_d

    print("information_profile, binary Dirichlet(1/2) laws, float tier unless stated")
    print(f"{'d':>3} {'states':>8} {'profile [s]':>12} {'naive 2^d sums [s]':>20} {'ratio':>7} {'max |Δg|':>10}")
    for d in ds:
        law = dirichlet(2, d, "1/2", seed=d, tier="float")
        t0 = time.perf_counter()
        prof = information_profile(law)
        t_fast = time.perf_counter() - t0
        g_fast = prof.to_float()["g"]
        p = np.asarray(law.probs, dtype=np.float64)
        est = estimate_naive(p)
        if est <= args.naive_budget:
            t0 = time.perf_counter()
            g_naive = naive_profile(p)
            t_naive = time.perf_counter() - t0
            diff = float(np.max(np.abs(g_naive - g_fast)))
            print(f"{d:>3} {2**d:>8} {t_fast:>12.3f} {t_naive:>20.3f} {t_naive / t_fast:>7.1f} {diff:>10.2e}")
        else:
            print(
                f"{d:>3} {2**d:>8} {t_fast:>12.3f} {'~%.0f (est., skipped)' % est:>20} {est / t_fast:>7.1f} {'-':>10}"
                f"   naive skipped: estimated {est:.0f} s > budget {args.naive_budget:.0f} s"
            )
    for d in [x for x in (6, 8, 10) if x <= exact_max]:
        law = Law(ProductSpace(2, d), dirichlet(2, d, "1/2", seed=d).probs, "exact", validate=False)
        t0 = time.perf_counter()
        information_profile(law)
        t_ball = time.perf_counter() - t0
        t0 = time.perf_counter()
        information_profile(law, logs="symbolic")
        t_sym = time.perf_counter() - t0
        print(f"exact tier d={d}: certified balls (128 bits) {t_ball:.3f} s, symbolic LogSum {t_sym:.3f} s")


if __name__ == "__main__":
    main()
