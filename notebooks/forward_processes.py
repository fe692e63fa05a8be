# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Forward processes, exactly
#
# The forward marginals of the masking process and of the random walk on $\mathbb Z_m^d$,
# computed by Kronecker mode products in exact rationals and certified balls.
#
# * Masking: $q_t(x) = q_0(x_U)\,\alpha^{|U|}(1-\alpha)^{|M|}$ — checked exactly against the engine.
# * Random walk: the per-coordinate gap is $\lambda_m = (r_+ + r_-)(1-\cos(2\pi/m))$, so the time to
#   mix grows like $m^2$ — the exact TV to uniform shows it.

# %%
import itertools
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from mdtheory import Law, ProductSpace, generators
from mdtheory.propagate import forward
from mdtheory.tiers import as_fraction, get_tier

try:  # notebooks/_nb.py: figures saved next to the notebook, tables
    from _nb import save_figure, show_table
except ModuleNotFoundError:  # a kernel started outside notebooks/: find them beside mdtheory's source
    import sys

    import mdtheory

    sys.path.insert(0, str(Path(mdtheory.__file__).resolve().parents[1] / "notebooks"))
    from _nb import save_figure, show_table

# %% [markdown]
# ## Masking: the closed form holds exactly

# %%
law = Law(ProductSpace(2, 3), [3, 0, 1, 1, 0, 2, 1, 4], normalize=True)
alpha = Fraction(2, 5)
q = forward(law, generators.masking(2, 3), alpha=alpha)


def closed_form(x):
    U = [i for i in range(3) if x[i] != 2]
    marg = sum(as_fraction(law.prob(y)) for y in itertools.product(range(2), repeat=3) if all(y[i] == x[i] for i in U))
    return marg * alpha ** len(U) * (1 - alpha) ** (3 - len(U))


mismatches = [x for x in q.space.states() if as_fraction(q.prob(x)) != closed_form(x)]
assert not mismatches, mismatches
assert q.total() == 1
print("all", q.space.size, "masked-space probabilities equal the closed form exactly")

# %% [markdown]
# ## Random walk: certified TV to uniform against time, for several m
# The TV distance from a point mass (d = 1) to the uniform law, certified at 96 bits.

# %%
ce = get_tier("certified", prec=96)
ts = [Fraction(k, 4) for k in range(1, 41)]
curves = {}
for m in (3, 5, 8):
    rw = generators.random_walk(m, 1, "1/2", "1/2")
    start = Law.point(ProductSpace(m, 1), (0,))
    tvs = []
    for t in ts:
        p = forward(start, rw, t=t, tier=ce)
        with ce.active():
            tv = sum((abs(v - ce.one / m) for v in p.flat), ce.zero) / 2
        tvs.append(tv)
    curves[m] = tvs
    # TV is certified non-increasing along the grid (data processing)
    assert all(ce.compare(b, a) == -1 for a, b in zip(tvs, tvs[1:]))

# the decay rate approaches the spectral gap (1 - cos(2π/m)) (rates 1/2 + 1/2)
rows = []
for m, tvs in curves.items():
    gap = 1 - np.cos(2 * np.pi / m)
    slope = (np.log(float(tvs[-1].mid())) - np.log(float(tvs[-9].mid()))) / float(ts[-1] - ts[-9])
    rows.append((m, -slope, gap, abs(-slope - gap) / gap))
    assert abs(-slope - gap) / gap < 0.05
show_table(rows, ["m", "late decay rate −d log TV/dt", "spectral gap 1 − cos(2π/m)", "relative difference"],
           title="TV to uniform decays at the spectral gap")

# %%
fig, ax = plt.subplots(figsize=(5, 3.2))
for m, tvs in curves.items():
    ax.semilogy([float(t) for t in ts], [float(v.mid()) for v in tvs], label=f"m = {m}")
ax.set_xlabel("t")
ax.set_ylabel("TV(p_t, uniform)")
ax.set_title("Random walk on Z_m from a point mass (certified)")
ax.legend()
save_figure(fig, "forward_random_walk_tv")
plt.show()
