"""Forward marginals in the float tier against scipy and against the memory limit, side by side.

For each process it times, in this one run on this machine:

* this engine, float tier (:func:`mdtheory.propagate.forward`: one rotating BLAS product per
  axis, binary/ternary axes in Kronecker pairs; the d-dimensional FFT for circulant kernels
  of size ≥ 128);
* ``scipy.sparse.linalg.expm_multiply`` on the full sparse generator (the reference);
* a memory-copy proxy: ``d`` plain copies of the state vector (``np.copyto`` into a
  preallocated buffer, both already touched) — one read and one write of every entry per
  coordinate, what any method that streams the whole law once per coordinate must pay.
  It is a lower bound, not a fair race: the engine also allocates its result, and at
  ≈5·10⁵ states (4 MB) both fit in this machine's 32 MB L3 cache, so the proxy runs at cache speed;
  at 4.8·10⁶ states (38 MB) it runs at DRAM speed;
* for masking, the engine's certified tier (arb balls, 128 bits) at the smaller sizes.

Each row prints the times (best of ``--repeat``), the ratio ``expm_multiply / engine`` (how
many times faster the engine is) and ``engine / proxy`` (how far from memory speed), and
the largest difference between engine and expm_multiply (a correctness check).

Run:  python benchmarks/bench_forward.py            (≈5·10⁵ states per process, masking at 4.8·10⁶)
      python benchmarks/bench_forward.py --quick    (small sizes; a smoke run)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import scipy.sparse.linalg as spla  # noqa: E402

from mdtheory import Law, ProductSpace, generators  # noqa: E402
from mdtheory.propagate import forward  # noqa: E402

T_FORWARD = 0.7  # forward time (exponential clock)


def _best(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _cases(quick: bool):
    """(label, generator factory, m of the data law or None for a law on the whole space)."""
    if quick:
        return [
            ("masking", lambda: generators.masking(2, 6), 2),
            ("random walk", lambda: generators.random_walk(3, 6, 1, 1), None),
            ("uniform", lambda: generators.uniform(3, 6), None),
            ("random walk", lambda: generators.random_walk(5, 4, 1, 1), None),
            ("random walk", lambda: generators.random_walk(9, 3, 1, 1), None),
        ]
    return [
        ("masking", lambda: generators.masking(2, 12), 2),
        ("random walk", lambda: generators.random_walk(3, 12, 1, 1), None),
        ("uniform", lambda: generators.uniform(3, 12), None),
        ("uniform", lambda: generators.uniform(4, 9), None),
        ("random walk", lambda: generators.random_walk(5, 8, 1, 1), None),
        ("random walk", lambda: generators.random_walk(81, 3, 1, 1), None),
        ("masking", lambda: generators.masking(2, 14), 2),
    ]


def bench(label: str, gen, data_m, repeat: int, certified_max_states: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    space = gen.space
    d = gen.d
    if data_m is not None:
        w = rng.random(data_m**d)
        law = Law(ProductSpace(data_m, d), w / w.sum(), tier="float").to_masked()
    else:
        w = rng.random(space.size)
        law = Law(space, (w / w.sum()).reshape(space.shape), tier="float")
    n = space.size
    row: dict = {"process": label, "m": getattr(space, "m", None) or gen.factors[0].n, "d": d, "states": n}
    row["engine"], fast = _best(lambda: forward(law, gen, t=T_FORWARD, tier="float").flat, repeat)
    x = law.flat
    buf = np.empty_like(x)

    def proxy():
        for _ in range(d):
            np.copyto(buf, x)

    row["proxy"], _ = _best(proxy, repeat)
    Qt = gen.sparse().T.tocsr() * T_FORWARD
    row["expm_multiply"], ref = _best(lambda: spla.expm_multiply(Qt, x), 1)
    row["max_diff"] = float(np.max(np.abs(ref - fast)))
    if data_m is not None and n <= certified_max_states:
        cert_law = Law(ProductSpace(data_m, d), [int(v * 2**20) + 1 for v in w], normalize=True).to_masked()
        row["certified"], _ = _best(lambda: forward(cert_law, gen, t=T_FORWARD, tier="certified"), 1)
    return row


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes only (smoke run)")
    ap.add_argument("--repeat", type=int, default=9, help="engine and proxy runs per row (best is reported)")
    ap.add_argument("--certified", action="store_true", help="also time the certified tier (masking, ≤ 6·10⁴ states)")
    args = ap.parse_args(argv)
    print(f"forward marginal at t = {T_FORWARD} (exponential clock), float tier; engine best of {args.repeat}, "
          f"proxy = d plain copies of the state vector")
    header = (f"{'process':<18} {'m':>3} {'d':>3} {'states':>10} | {'engine':>10} | {'expm_multiply':>13} "
              f"{'faster':>8} | {'proxy':>9} {'engine/proxy':>12} | {'max diff':>8}")
    print(header)
    print("-" * len(header))
    for label, make, data_m in _cases(args.quick):
        r = bench(label, make(), data_m, args.repeat, 60_000 if args.certified else 0)
        e = r["engine"]
        print(
            f"{r['process']:<18} {r['m']:>3} {r['d']:>3} {r['states']:>10,} | {e * 1e3:>7.2f} ms | "
            f"{r['expm_multiply'] * 1e3:>10.1f} ms {r['expm_multiply'] / e:>7.0f}× | {r['proxy'] * 1e3:>6.2f} ms "
            f"{e / r['proxy']:>11.1f}× | {r['max_diff']:>8.1e}",
            flush=True,
        )
        if "certified" in r:
            print(f"{'':<18}     certified tier (128 bits): {r['certified']:.3f} s")
    print("faster = expm_multiply time / engine time; engine/proxy = engine time / (d copies of the state vector)")


if __name__ == "__main__":
    main()
