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
# # Optimal unmasking schedules (Lavenant–Zanella, arXiv 2510.25544), exactly
#
# Random-order factorized unmasking of $N$ tokens in $K$ steps of sizes $k_1,\dots,k_K$.
# Averaged over the order, the KL of each ordered partition's law depends on the law only
# through its **information profile** $g(i) = \mathbb E_{|S|=i,\,j\notin S} H(X_j\mid X_S)$:
#
# $$\text{expected KL over orders}\quad E_\sigma\,\mathrm{KL}(\pi\|q_\sigma) = \sum_t \big[k_t\,g(s_{t-1}) - (h(s_t)-h(s_{t-1}))\big] = \sum_i \delta_i w_i .$$
#
# The sampler's actual law is the mixture $\bar q = E_\sigma q_\sigma$; its **mixture KL**
# $\mathrm{KL}(\pi\|\bar q)$ is at most the expected KL.  The two are named separately throughout.
# Only the paper's abstract was read: the formulas are derived here (notes
# `optimal_schedules_2510.25544.md`), and the continuum statements are reconstructions.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from mdtheory.distributions import binary_symmetric_markov, copy, dirichlet, mds_code, parity
from mdtheory.information import information_profile
from mdtheory.logsum import LogSum
from mdtheory.samplers.factorized import expected_kl_over_orders
from mdtheory.scheduling import (as_profile, compositions, constant_schedule, expected_kl, geometric_schedule,
                                 optimal_errors, optimal_schedule, profile_closed_form, sqrt_rule_schedule)

try:  # notebooks/_nb.py: figures saved next to the notebook, tables
    from _nb import save_figure, show_table
except ModuleNotFoundError:  # a kernel started outside notebooks/: find them beside mdtheory's source
    import sys

    import mdtheory

    sys.path.insert(0, str(Path(mdtheory.__file__).resolve().parents[1] / "notebooks"))
    from _nb import save_figure, show_table


# %% [markdown]
# ## Profiles of the test laws
#
# Small laws are enumerated exactly (`LogSum` values); the closed forms (valid for any $N$) must
# agree with them *exactly*.  Then the closed forms give the profile shapes at $N = 64$.

# %%
small = {"copy": copy(3, 5), "parity": parity(5), "MDS [5,2]_5": mds_code(5, 5, 2),
         "Markov ε=1/5": binary_symmetric_markov(5, "1/5")}
closed = {"copy": dict(family="copy", m=3, n=5), "parity": dict(family="parity", n=5),
          "MDS [5,2]_5": dict(family="mds", q=5, n=5, k=2), "Markov ε=1/5": dict(family="markov", n=5, flip="1/5")}
g_rows = []
for name, law in small.items():
    ip = information_profile(law, logs="symbolic")
    cf = profile_closed_form(logs="symbolic", **closed[name])
    assert ip.g == cf.g, name                                        # exact equality of LogSums
    assert LogSum.sum(ip.g) == ip.entropy                            # Σ g = H(π)
    assert ip.total_correlation + ip.dual_total_correlation == (ip.g[0] - ip.g[-1]) * 5
    g_rows.append((name, *(float(x) for x in ip.g)))
show_table(g_rows, ["law", *(f"g({i})" for i in range(5))], title="information profiles (nats), exact = closed form")

N = 64
G = 16
profiles = {
    "copy (m=2)": profile_closed_form("copy", m=2, n=N, logs="float"),
    "parity": profile_closed_form("parity", n=N, logs="float"),
    "MDS k=N/2": profile_closed_form("mds", q=2, n=N, k=N // 2, logs="float"),
    "Markov ε=1/10": profile_closed_form("markov", n=N, flip="1/10", logs="float"),
    "noisy copy η=1/10": profile_closed_form("noisy_copy", n=N, eta="1/10", logs="float"),
    "Bernoulli mixture": profile_closed_form("exchangeable", n=N, weights=[f"1/{G}"] * G,
                                             thetas=[f"{2 * u + 1}/{2 * G}" for u in range(G)], logs="float"),
}
fig, ax = plt.subplots(figsize=(7, 4))
for name, p in profiles.items():
    g = p.to_float()["g"]
    ax.step(np.arange(N) / N, g / g[0], where="post", label=name)
ax.set_xlabel("revealed fraction i/N")
ax.set_ylabel("g(i) / g(0)")
ax.set_title(f"information profiles, N = {N}")
ax.legend(fontsize=8)
save_figure(fig, "lz_profiles")
plt.show()

# %% [markdown]
# ## Expected KL over orders vs mixture KL
#
# On a small Markov chain both quantities are exact.  For the repeated symbol and parity they
# coincide; for the Markov chain the mixture is strictly better.

# %%
law = binary_symmetric_markov(5, "1/5")
rows = []
for K in range(1, 6):
    r = expected_kl_over_orders(law, constant_schedule(5, K), logs="symbolic")
    assert r.mixture_kl <= r.expected_kl                             # exact comparison of LogSums
    if K == 5:
        assert r.expected_kl == 0 and r.mixture_kl == 0                # one token per step is exact
    rows.append((K, float(r.expected_kl), float(r.mixture_kl)))
for K in (1, 2, 3):
    for lw in (copy(2, 5), parity(5)):
        r = expected_kl_over_orders(lw, constant_schedule(5, K), logs="symbolic")
        assert r.mixture_kl == r.expected_kl
assert rows[1][2] < rows[1][1]
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot([r[0] for r in rows], [r[1] for r in rows], "o-", label="expected KL over orders")
ax.plot([r[0] for r in rows], [r[2] for r in rows], "s--", label="mixture KL KL(π‖q̄)")
ax.set_xlabel("K (constant schedule)")
ax.set_ylabel("nats")
ax.set_title("Markov chain, N = 5, flip 1/5")
ax.legend()
save_figure(fig, "lz_mixture_vs_expected")
plt.show()
show_table(rows, ["K", "expected KL over orders", "mixture KL"], title="Markov chain, N = 5, flip 1/5 (nats)")

# %% [markdown]
# ## DP optimum = brute force (exact), then DP vs √-rule vs constant vs geometric at N = 256
#
# The √-rule places boundaries at equal quantiles of $\sqrt{\delta}$ (block sizes $\propto 1/\sqrt{F'}$);
# the geometric rule uses $s_t = \lfloor N^{t/K}\rfloor$.

# %%
p8 = as_profile(dirichlet(2, 7, "1/2", seed=3))
for K in range(1, 8):
    brute = min(expected_kl(p8, c) for c in compositions(7, K))
    assert optimal_schedule(p8, K).expected_kl == brute               # exact, LogSum

N = 256
cases = {"Markov ε=1/10": profile_closed_form("markov", n=N, flip="1/10", logs="float"),
         "Bernoulli mixture": profile_closed_form("exchangeable", n=N, weights=[f"1/{G}"] * G,
                                                  thetas=[f"{2 * u + 1}/{2 * G}" for u in range(G)], logs="float")}
Ks = [2, 4, 8, 16, 32, 64]
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
summary = {}
for ax, (name, p) in zip(axes, cases.items()):
    opt = optimal_errors(p, max(Ks))
    curves = {"DP optimum": [opt[K - 1] for K in Ks],
              "√-rule": [expected_kl(p, sqrt_rule_schedule(p, K)) for K in Ks],
              "constant": [expected_kl(p, constant_schedule(N, K)) for K in Ks],
              "geometric": [expected_kl(p, geometric_schedule(N, K)) for K in Ks]}
    for lab, ys in curves.items():
        assert all(y >= o - 1e-9 for y, o in zip(ys, curves["DP optimum"])), (name, lab)   # DP is the minimum
        ax.loglog(Ks, np.maximum(ys, 1e-12), "o-", label=lab)
    summary[name] = {lab: ys[3] for lab, ys in curves.items()}
    ax.set_xticks(Ks, [str(k) for k in Ks], minor=False)
    ax.minorticks_off()
    ax.set_title(f"{name}, N = {N}")
    ax.set_xlabel("K")
    ax.set_ylabel("expected KL over orders (nats)")
    ax.legend(fontsize=8)
save_figure(fig, "lz_errors_vs_K")
plt.show()
# √-rule is near-optimal on the smooth Markov profile; geometric is near-optimal on the front-loaded mixture
assert summary["Markov ε=1/10"]["√-rule"] <= 1.05 * summary["Markov ε=1/10"]["DP optimum"]
assert summary["Bernoulli mixture"]["geometric"] <= 1.2 * summary["Bernoulli mixture"]["DP optimum"]
assert summary["Bernoulli mixture"]["constant"] > 5 * summary["Bernoulli mixture"]["DP optimum"]
show_table([(k, *v.values()) for k, v in summary.items()], ["profile", *next(iter(summary.values()))],
           title=f"expected KL over orders at K = {Ks[3]}, N = {N} (nats)")

# %% [markdown]
# ## Where the √-rule works, and where it does not (LZ-P7, LZ-P7r)
#
# On the smooth Markov profile the DP optimum is close to the continuum value
# $E^* \approx \frac{N}{2K}\big(\int\sqrt{F'}\big)^2$ (relative error $O(K/N)$) and the √-rule is within a few
# percent of it.  On the noisy repeated bit (one jump of information at $i = 0$) the √-rule misses the
# optimum by a factor 4–6.5 at $N = 256$: the continuum assumptions ($F'$ smooth, $N/K \to \infty$) fail.  The
# Bernoulli mixture is front-loaded too ($F' \propto x^{-2}$) but smooth on the log scale: there the √-rule
# stays within a few percent.

# %%
front = {"Markov ε=1/10": cases["Markov ε=1/10"],
         "noisy repeated bit η=1/10": profile_closed_form("noisy_copy", n=N, eta="1/10", logs="float"),
         "Bernoulli mixture": cases["Bernoulli mixture"]}
rows = []
for name, p in front.items():
    S = float(np.sum(np.sqrt(np.clip(-np.diff(p.to_float()["g"]), 0, None))))
    for K in (16, 32):
        opt = optimal_schedule(p, K).expected_kl
        rows.append((name, K, expected_kl(p, sqrt_rule_schedule(p, K)) / opt, S * S / (2 * K) / opt))
show_table(rows, ["profile", "K", "E(√-rule)/E*", "(N/2K)(∫√F′)²/E*"], title=f"N = {N}")
ratio = {(r[0], r[1]): r[2] for r in rows}
assert all(ratio[("Markov ε=1/10", K)] <= 1.05 for K in (16, 32))
assert all(ratio[("noisy repeated bit η=1/10", K)] >= 4 for K in (16, 32))
assert all(ratio[("Bernoulli mixture", K)] <= 1.1 for K in (16, 32))
assert all(abs(r[3] - 1) <= 2 * r[1] / N for r in rows if r[0].startswith("Markov"))

# %% [markdown]
# ## Schedule shapes (K = 16)
#
# Front-loaded information (the mixture) wants few tokens first and growing steps; the smooth
# Markov profile wants almost constant steps.

# %%
K = 16
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
for ax, (name, p) in zip(axes, cases.items()):
    for lab, s in (("DP", optimal_schedule(p, K).sizes), ("√-rule", sqrt_rule_schedule(p, K)),
                   ("constant", constant_schedule(N, K)), ("geometric", geometric_schedule(N, K))):
        assert sum(s) == N and len(s) == K and min(s) >= 1
        ax.plot(range(1, K + 1), s, "o-", label=lab, ms=3)
    ax.set_yscale("log")
    ax.set_xlabel("step t")
    ax.set_ylabel("size k_t")
    ax.set_title(f"{name}, N = {N}, K = {K}")
    ax.legend(fontsize=8)
save_figure(fig, "lz_schedule_shapes")
plt.show()
dp_mix = optimal_schedule(cases["Bernoulli mixture"], K).sizes
assert dp_mix[0] < dp_mix[-1]

# %% [markdown]
# ## Dimension-free bound and why it needs constant schedules
#
# For the repeated symbol the constant schedule's error is $(N/K-1)\log m$ at every $N$ (the bound
# is attained), but the schedule $(N-K+1, 1, \dots, 1)$ with the *same average* $N/K$ has
# $(N-K)\log m$: no bound depending on $N/K$ alone holds for non-constant schedules.

# %%
Ns = [8, 16, 32, 64, 128, 256, 512]
ratio = 4
const_err, skew_err = [], []
for n in Ns:
    p = profile_closed_form("copy", m=2, n=n, logs="symbolic")
    Kn = n // ratio
    e_c = expected_kl(p, constant_schedule(n, Kn))
    e_s = expected_kl(p, (n - Kn + 1,) + (1,) * (Kn - 1))
    assert e_c == LogSum.log(2) * (ratio - 1) and e_s == LogSum.log(2) * (n - Kn)   # exact
    const_err.append(float(e_c))
    skew_err.append(float(e_s))
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.loglog(Ns, const_err, "o-", label="constant (bound (N/K−1) log 2)")
ax.loglog(Ns, skew_err, "s-", label="(N−K+1, 1, …, 1)")
ax.set_xlabel("N (N/K = 4)")
ax.set_ylabel("expected KL over orders")
ax.set_title("repeated bit")
ax.legend(fontsize=8)
save_figure(fig, "lz_dimension_free")
plt.show()
show_table(list(zip(Ns, const_err, skew_err)), ["N", "constant (= 3 log 2)", "(N−K+1, 1, …, 1)"],
           title="repeated bit, N/K = 4: expected KL over orders (nats)")
