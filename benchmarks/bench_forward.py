"""Forward marginals of the masking process (m = 2): mode products against scipy, side by side.

For each d it times, in this one run on this machine:

* this engine, float tier (mode products with the closed-form masking kernel);
* this engine, certified tier (arb balls, 128 bits);
* ``scipy.sparse.linalg.expm_multiply`` on the full sparse generator;
* ``scipy.linalg.expm`` on the dense generator (only where the dense matrix fits);

and prints each time with its ratio to the engine's float time, plus the largest
difference between the float results (a correctness check of the comparison).

Run:  python benchmarks/bench_forward.py            (d = 6, 8, 10, 12, 14)
      python benchmarks/bench_forward.py --quick    (small sizes; a smoke run)
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.linalg
import scipy.sparse.linalg as spla

from mdtheory import Law, ProductSpace, generators
from mdtheory.propagate import forward
from mdtheory.spaces import memory_limit_bytes

T_FORWARD = 0.7  # forward time (exponential clock): alpha = e^{-0.7}


def _time(fn, repeat: int = 1):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def bench(d: int, certified_max_d: int, sparse_max_d: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    w = rng.random(2**d)
    law = Law(ProductSpace(2, d), w / w.sum(), tier="float").to_masked()
    gen = generators.masking(2, d)
    n = gen.space.size
    row: dict = {"d": d, "states": n}

    row["engine_float"], fast = _time(lambda: forward(law, gen, t=T_FORWARD, tier="float").flat, repeat=3)

    if d <= certified_max_d:
        cert_law = Law(ProductSpace(2, d), [int(x * 2**20) + 1 for x in w], normalize=True).to_masked()
        row["engine_certified"], cert = _time(lambda: forward(cert_law, gen, t=T_FORWARD, tier="certified").flat)
        row["certified_max_radius"] = max(float(b.rad()) for b in cert[:: max(1, n // 1000)])

    if d <= sparse_max_d:
        Qt = gen.sparse().T.tocsr() * T_FORWARD
        row["expm_multiply"], ref = _time(lambda: spla.expm_multiply(Qt, law.flat))
        row["max_diff_expm_multiply"] = float(np.max(np.abs(ref - fast)))

    dense_bytes = 8 * n * n * 6
    if dense_bytes < memory_limit_bytes() and n <= 5000:
        Qd = gen.dense("float") * T_FORWARD
        row["expm_dense"], ref = _time(lambda: law.flat @ scipy.linalg.expm(Qd))
        row["max_diff_expm"] = float(np.max(np.abs(ref - fast)))
    else:
        row["expm_dense_skipped"] = f"dense generator needs {8 * n * n / 2**30:.3g} GiB"
    return row


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes only (smoke run)")
    ap.add_argument("--dims", type=int, nargs="*", help="values of d (default 6 8 10 12 14)")
    args = ap.parse_args(argv)
    dims = args.dims or ([4, 6] if args.quick else [6, 8, 10, 12, 14])
    print(f"masking process, m = 2, forward time t = {T_FORWARD} (alpha = e^-t); best of 3 for the float engine")
    header = f"{'d':>3} {'states':>9} | {'engine float':>12} | {'engine cert.':>12} {'ratio':>8} | {'expm_multiply':>13} {'ratio':>8} | {'dense expm':>10} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for d in dims:
        r = bench(d, certified_max_d=14, sparse_max_d=14)
        f = r["engine_float"]

        def cell(key, width):
            if key not in r:
                return f"{'—':>{width}} {'':>8}"
            return f"{r[key]:>{width - 2}.4f} s {r[key] / f:>7.0f}×"

        print(
            f"{d:>3} {r['states']:>9,} | {f:>10.4f} s | {cell('engine_certified', 12)} | "
            f"{cell('expm_multiply', 13)} | {cell('expm_dense', 10)}"
        )
        notes = []
        if "max_diff_expm_multiply" in r:
            notes.append(f"max |engine − expm_multiply| = {r['max_diff_expm_multiply']:.1e}")
        if "max_diff_expm" in r:
            notes.append(f"max |engine − expm| = {r['max_diff_expm']:.1e}")
        if "certified_max_radius" in r:
            notes.append(f"certified ball radius ≤ {r['certified_max_radius']:.1e} (sampled)")
        if "expm_dense_skipped" in r:
            notes.append("dense expm skipped: " + r["expm_dense_skipped"])
        print("      " + "; ".join(notes))
    print("ratio = that column's time / the engine's float time (for scipy: how many times faster the engine is)")


if __name__ == "__main__":
    main()
