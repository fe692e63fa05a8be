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
# # The samplers people actually run, exactly
#
# Twelve *profiles* reproduce the per-step rules, grids, token counts and final steps of the
# public code bases (MDLM, SEDD, bd3lms' first-hitting sampler, LLaDA, Dream, Campbell et al.'s
# τ-leaping; `papers/sampler_conventions.md`).  With exact conditionals each profile's output law
# is computed exactly (rationals; certified balls for τ-leaping), so we can ask: *how far from the
# data law is each code base's sampler with N steps, and how many network calls does it spend?*
#
# * identities with idealised samplers are checked exactly;
# * a comparison on copy pairs, a binary Markov chain and a Reed–Solomon law;
# * the timed comparison for a binary law with d = 8 and 32 steps over all profiles.

# %%
import time
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt

from mdtheory.distributions import binary_symmetric_markov, copy_pairs, mds_code
from mdtheory import plotting
from mdtheory.samplers import ancestral, factorized, profiles
from mdtheory.schedules import Grid, LinearClock
from mdtheory.tiers import as_fraction

try:  # notebooks/_nb.py: figures saved next to the notebook, tables
    from _nb import save_figure, show_markdown, show_table
except ModuleNotFoundError:  # a kernel started outside notebooks/: find them beside mdtheory's source
    import sys

    import mdtheory

    sys.path.insert(0, str(Path(mdtheory.__file__).resolve().parents[1] / "notebooks"))
    from _nb import save_figure, show_markdown, show_table

show_table([(name, profiles.get(name).codebase, profiles.get(name).final[:60]) for name in profiles.names()],
           ["profile", "code base", "final step"], title="reference-sampler profiles")

# %% [markdown]
# ## Identities, proved in exact rationals
# * `dream.origin` is the ancestral sampler with α_t = 1 − t on the grid (1, t_1, …, t_{N−1}, 0);
# * `mdlm.ddpm` is ancestral to t = 1e-5 followed by an argmax; the ε of the log-linear noise cancels;
# * `sedd.euler` and `sedd.analytic` coincide (weights dt/t·ĝ in both);
# * `bd3lm.fhs` reproduces the data law; `llada.random` is the fixed-cardinality factorized sampler.

# %%
law = binary_symmetric_markov(4, "1/5")
for N in (1, 3, 8):
    ts = profiles.grid_times(1, Fraction(1, 1000), N + 1)
    anc = ancestral(law, clock=LinearClock(), grid=Grid(tuple(1 - x for x in ts[:-1] + [Fraction(0)])), T=1)
    assert profiles.run("dream.origin", law, N).law.equals(anc.law) is True
    ts = profiles.grid_times(1, Fraction(1, 100000), N + 1)
    anc = ancestral(law, clock=LinearClock(), grid=Grid(tuple(1 - x for x in ts)), T=1, final="argmax")
    assert profiles.run("mdlm.ddpm", law, N).law.equals(anc.law) is True
    assert profiles.run("sedd.euler", law, N).law.equals(profiles.run("sedd.analytic", law, N).law) is True
    assert profiles.run("llada.random", law, N).law.equals(factorized(law, tuple(profiles.llada_counts(4, N))).law)
assert profiles.run("bd3lm.fhs", law, 4).tv() == 0
print("identities hold exactly for N = 1, 3, 8")

# %% [markdown]
# ## Copy pairs: a closed form
# For d/2 independent pairs x_{2i} = x_{2i+1}, a per-token sampler is wrong exactly when both tokens of a
# pair are revealed in the same step with different values, so
# TV = 1 − (1 − (1 − 1/m)Σ_k π_k²)^{d/2} with π_k the per-token reveal-step law (SR-T2a).
# For `dream.origin` π = (Δ, …, Δ, 1 − (N−1)Δ), Δ = (1 − 10⁻³)/N.

# %%
pairs = copy_pairs(2, 4)
for N in (2, 8, 32):
    delta = (1 - Fraction(1, 1000)) / N
    pis = [delta] * (N - 1) + [1 - (N - 1) * delta]
    closed = 1 - (1 - Fraction(1, 2) * sum(p * p for p in pis)) ** 2
    assert as_fraction(profiles.run("dream.origin", pairs, N).tv()) == closed
print("dream.origin on copy pairs equals the closed form")

rep = profiles.compare(pairs, 8, law_name="copy pairs (m=2, d=4)", prec=64)
show_markdown(rep.markdown())

# %% [markdown]
# ## Error against steps
# Exact TV to the data law for N = 1, 2, 4, …, 32 on copy pairs and on a binary Markov chain (d = 4).
# The grid samplers decay like 1/N; the first-hitting sampler is exact for N ≥ d (it spends d calls);
# LLaDA's random remasking is exact once N ≥ d (one token per step); confidence-based selection is
# biased and does not converge to the data law.

# %%
Ns = [1, 2, 4, 8, 16, 32]
laws = {"copy pairs (m=2, d=4)": pairs, "binary Markov (d=4, flip 1/5)": law}
curves = {lname: profiles.sweep(L, Ns) for lname, L in laws.items()}
for lname in laws:
    tvs = [float(as_fraction(v)) for _, _, v in curves[lname]["dream.origin"]]
    assert all(b < a for a, b in zip(tvs, tvs[1:])), tvs  # the grid profiles decay like 1/N
    assert 0.5 < tvs[-1] * 32 / (tvs[-2] * 16) < 1.5
    assert [v for _, _, v in curves[lname]["bd3lm.fhs"][2:]] == [0] * 4  # exact once N >= d

fig, axes = plt.subplots(1, 3, figsize=(16, 4.2))
for ax, lname in zip(axes, laws):
    plotting.plot_sweep(curves[lname], ax, title=lname)
plotting.plot_sweep(curves["binary Markov (d=4, flip 1/5)"], axes[2], x="nfe", title="binary Markov: TV vs NFE")
axes[0].legend(fontsize=7, ncol=2)
save_figure(fig, "reference_samplers_tv_vs_steps")
plt.show()

# %% [markdown]
# ## Reed–Solomon law
# Uniform codewords of the [4, 2]_5 Reed–Solomon code: any two symbols determine the rest, so revealing
# three or more tokens at once from one-token conditionals is usually wrong.

# %%
rs = mds_code(5, 4, 2)
rep_rs = profiles.compare(rs, 4, [n for n in profiles.names() if not n.startswith("campbell")],
                          law_name="RS[4,2]_5")
show_markdown(rep_rs.markdown())
row = {r["profile"]: r for r in rep_rs.rows}
assert row["bd3lm.fhs"]["tv"] == 0 and row["llada.random"]["tv"] == 0  # one token per step
assert row["mdlm.ddpm"]["tv"] > 0 and row["mdlm.ddpm"]["off_support"] > 0  # parallel reveals leave the code

# %% [markdown]
# ## All twelve profiles: binary Markov chain, d = 8, 32 steps, all twelve profiles
# Masked profiles in exact rationals; τ-leaping in certified balls (64 bits).

# %%
big = binary_symmetric_markov(8, "1/5")
t0 = time.perf_counter()
rep8 = profiles.compare(big, 32, law_name="binary Markov d=8", prec=64)
elapsed = time.perf_counter() - t0
show_markdown(rep8.markdown())
print(f"\nall {len(rep8.rows)} profiles, d = 8, 32 steps: {elapsed:.1f} s")
assert len(rep8.rows) == 12  # speed is measured in benchmarks/, not asserted here
print(rep8.latex())
