"""Benchmark: exact Euler output law (block DP) against brute-force per-state enumeration.

For a binary law (symmetric Markov chain, flip 1/4) the Euler sampler on the linear
clock with N uniform steps is run at d = 8, 10, 12 with N = 32 and 256 (float tier) and
d = 6 with N = 64 (exact tier).  The brute-force reference enumerates, for every state
with mass, every joint move of its masked tokens (Σ_x (m+1)^{#masked(x)} transitions per
step) in pure Python; it runs where it fits.  Throughput is reported in terms of the
natural cost of one step, (2m+1)^d terms (float steps from d = 6 sum them by batched BLAS over
the trailing coordinates, ``_masked_core._tail_gemm_step``; exact steps by the block code).

    python benchmarks/bench_samplers.py            # full run
    python benchmarks/bench_samplers.py --quick    # smoke run (seconds)
    python benchmarks/bench_samplers.py --case 10 256 float   # one case
    python benchmarks/bench_samplers.py --structured          # exact laws beyond the full space

``--structured`` times the exact Euler law (linear clock, 256 steps) of copy-pairs at
d = 512 as a product of block laws (exact rationals, with its exact TV) and of parity at
d = 64 lumped into orbits (float), and prints the size of the full space they avoid.
"""

from __future__ import annotations

import argparse
import itertools
from fractions import Fraction
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from mdtheory.distributions import binary_symmetric_markov  # noqa: E402
from mdtheory.information import partial_marginal_table  # noqa: E402
from mdtheory.samplers import euler  # noqa: E402
from mdtheory.tiers import get_tier  # noqa: E402


def brute_force_euler(law, N: int):
    """Euler law by explicit per-state enumeration of all transitions (linear clock, h = 1/N)."""
    t = law.tier
    m, d = law.space.m, law.space.d
    T = partial_marginal_table(law)
    P = {(m,) * d: t.one}
    for k in range(N):
        tau = 1 - Fraction(k, N)
        c = t.scalar(Fraction(1, N) / tau)  # h·β·r = h/τ on the linear clock
        new: dict = {}
        for x, px in P.items():
            M = [j for j in range(d) if x[j] == m]
            ctx = T[x]
            rows = []
            for j in M:
                if ctx == 0:
                    g = [t.one / m] * m
                else:
                    g = [T[x[:j] + (a,) + x[j + 1 :]] / ctx for a in range(m)]
                rows.append([c * ga for ga in g] + [t.one - c * sum(g, t.zero)])
            for ys in itertools.product(range(m + 1), repeat=len(M)):
                w = px
                for r, y in zip(rows, ys):
                    w = w * r[y]
                if w == 0:
                    continue
                y = list(x)
                for j, v in zip(M, ys):
                    y[j] = v
                y = tuple(y)
                new[y] = new.get(y, t.zero) + w
        P = new
    arr = t.zeros((m + 1,) * d)
    for x, v in P.items():
        arr[x] = v
    return arr


def run(d: int, N: int, tier: str, brute: bool):
    law = binary_symmetric_markov(d, "1/4", tier=tier)
    t0 = time.perf_counter()
    res = euler(law, steps=N)
    fast = time.perf_counter() - t0
    terms = 5**d * N
    line = (f"d={d:2d} N={N:3d} {tier:5s}  exact-law DP {fast:8.2f} s  "
            f"({terms / fast / 1e6:7.1f} M terms/s, (2m+1)^d = {5**d:,} per step)  TV = {get_tier(tier).format(res.tv())}")
    if brute:
        t0 = time.perf_counter()
        ref = brute_force_euler(law, N)
        slow = time.perf_counter() - t0
        if tier == "exact":
            same = all(a == b for a, b in zip(ref.reshape(-1), res.law.probs.reshape(-1)))
            agree = "identical" if same else "DIFFERENT"
        else:
            err = float(np.max(np.abs(ref - res.law.probs)))
            agree = f"max |diff| = {err:.1e}"
        line += f"\n        brute force {slow:8.2f} s  ratio {slow / fast:6.1f}x  ({agree})"
    print(line, flush=True)


def run_structured(quick: bool) -> None:
    from mdtheory.distributions import copy
    from mdtheory.law_structure import BlockProduct, Exchangeable
    from mdtheory.samplers.blocks import block_product_law
    from mdtheory.samplers.exchangeable import exchangeable_law

    N = 16 if quick else 256
    print(f"exact laws beyond the full space: Euler, linear clock, {N} uniform steps")
    for d, tier in ([(8, "exact")] if quick else [(512, "exact"), (512, "float")]):
        t0 = time.perf_counter()
        res = block_product_law("euler", BlockProduct.of([copy(2, 2, tier=tier)] * (d // 2)), steps=N)
        tv = res.tv()
        el = time.perf_counter() - t0
        shown = get_tier(tier).format(tv) if tier == "float" else f"{float(tv):.6f} (exact rational, {len(str(tv))} chars)"
        print(f"copy-pairs  d={d:4d} {tier:5s} block product ({d // 2} blocks of 2)   {el:7.2f} s   "
              f"TV = {shown}   [full space: 3^{d} states]", flush=True)
    # TV vs d on a κ-grid (exponential clock, certified): one block law, every d by product_tv
    from mdtheory.samplers.blocks import product_tv
    from mdtheory.schedules import ExponentialClock

    kappa, Tk = ("1/2", 3) if quick else ("1/8", 6)
    t0 = time.perf_counter()
    blk = block_product_law("euler", BlockProduct.of([copy(2, 2)] * 2), clock=ExponentialClock(), T=Tk, kappa=kappa,
                            delta="1/100", tier="certified", prec=128)
    (r, _), = blk.blocks
    data = r.data_law.to_masked().to_tier(r.tier)
    dims = [8, 64] if quick else [8, 32, 128, 512]
    tvs = [product_tv([(data, r.law, d // 2)]) for d in dims]
    el = time.perf_counter() - t0
    print(f"copy-pairs  TV vs d, Euler on the κ-grid (κ = {kappa}, T = {Tk}, δ = 1/100, {r.n_steps} steps), "
          f"certified, {el:.2f} s in all:")
    for d, tv in zip(dims, tvs):
        print(f"            d = {d:4d}   TV ∈ {tv}")
    for d, tier in ([(10, "float")] if quick else [(64, "float")]):
        even = Exchangeable(2, d, lambda c, d=d: Fraction(1, 2 ** (d - 1)) if c[1] % 2 == 0 else 0)
        t0 = time.perf_counter()
        res = exchangeable_law("euler", even, steps=N, tier=tier)
        tv = res.tv()
        el = time.perf_counter() - t0
        print(f"parity      d={d:4d} {tier:5s} orbit law ({res.n_orbits} orbits)          {el:7.2f} s   "
              f"TV = {get_tier(tier).format(tv)}   [full space: 3^{d} states]", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny smoke run")
    ap.add_argument("--case", nargs=3, action="append", metavar=("D", "N", "TIER"),
                    help="run only this case (repeatable), e.g. --case 10 256 float")
    ap.add_argument("--structured", action="store_true",
                    help="block-product (copy-pairs d=512) and orbit (parity d=64) exact laws")
    args = ap.parse_args(argv)
    if args.structured:
        run_structured(args.quick)
        return
    if args.case:
        cases = [(int(d), int(n), tier, False) for d, n, tier in args.case]
    elif args.quick:
        cases = [(4, 8, "float", True), (5, 16, "float", True), (4, 8, "exact", True)]
    else:
        cases = [(6, 64, "exact", True), (8, 32, "float", True), (8, 256, "float", False), (10, 32, "float", False),
                 (10, 256, "float", False), (12, 32, "float", False), (12, 256, "float", False)]
    print("Euler exact output law, binary symmetric Markov law (flip 1/4), linear clock, uniform steps")
    for d, N, tier, brute in cases:
        run(d, N, tier, brute)
    if args.quick:
        run_structured(True)


if __name__ == "__main__":
    main()
