"""Optimal K-step schedules: the dynamic program against brute force over all compositions.

For each (N, K) it times, in this one run on this machine:

* brute force: the expected KL over orders of all C(N−1, K−1) compositions (the reference a user
  would otherwise write), on a float profile (Markov chain, flip 1/10);
* ``optimal_schedule`` on the same float profile (dense DP for N ≤ 400, convex-hull DP beyond);
* ``optimal_schedule`` on the exact profile (symbolic LogSum, exact comparisons) for small N;

and prints the times, the ratio brute/DP, and whether the optimal values agree (a correctness
check of the comparison).  A second table times the float DP alone at large N.

Run:  python benchmarks/bench_scheduling.py            (N up to 22 against brute force; DP to N = 4000)
      python benchmarks/bench_scheduling.py --quick    (small sizes; a smoke run)
"""

from __future__ import annotations

import argparse
import itertools
import math
import time

import numpy as np

from mdtheory.scheduling import optimal_schedule, profile_closed_form


def _time(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def brute_force(g: np.ndarray, K: int) -> float:
    """min over compositions of Σ_t k_t g(s_{t−1}) − Σ g, vectorised over the cut sets."""
    N = len(g)
    best = math.inf
    H = g.sum()
    for cuts in itertools.combinations(range(1, N), K - 1):
        b = (0,) + cuts + (N,)
        v = sum((b[t + 1] - b[t]) * g[b[t]] for t in range(K)) - H
        best = min(best, v)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    args = ap.parse_args()
    cases = [(8, 3), (10, 4)] if args.quick else [(10, 4), (14, 5), (18, 6), (22, 7), (26, 8)]
    large = [(500, 10)] if args.quick else [(500, 20), (2000, 30), (4000, 50)]

    print("N   K  compositions  brute[s]   DP float[s]  ratio   DP exact[s]  agree")
    for N, K in cases:
        pf = profile_closed_form("markov", n=N, flip="1/10", logs="float")
        g = pf.to_float()["g"]
        tb, vb = _time(lambda: brute_force(g, K))
        tf, rf = _time(lambda: optimal_schedule(pf, K))
        if N <= 14:
            ps = profile_closed_form("markov", n=N, flip="1/10", logs="symbolic")
            te, re_ = _time(lambda: optimal_schedule(ps, K))
            te_s, agree_exact = f"{te:10.4f}", abs(float(re_.expected_kl) - vb) < 1e-9
        else:
            te_s, agree_exact = "         -", True
        agree = abs(rf.expected_kl - vb) < 1e-9 and agree_exact
        print(f"{N:<3d} {K:<2d} {math.comb(N - 1, K - 1):>12d}  {tb:8.4f}   {tf:10.4f}  {tb / tf:6.2g}x {te_s}  {agree}")
        if not agree:
            raise SystemExit(f"DP and brute force disagree at N={N}, K={K}")

    print("\nfloat DP alone (no brute force possible)")
    print("N     K   DP[s]    E_fact(opt)")
    for N, K in large:
        pf = profile_closed_form("markov", n=N, flip="1/10", logs="float")
        t, r = _time(lambda: optimal_schedule(pf, K))
        print(f"{N:<5d} {K:<3d} {t:7.3f}  {r.expected_kl:.6g} (float)")


if __name__ == "__main__":
    main()
