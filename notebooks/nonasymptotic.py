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
# # Non-asymptotic convergence (arXiv 2512.00580): score monotonicity and the three error terms
#
# Conforti, Durmus, Pham (+ Raoul).  Only the abstract was read: *monotonicity of the discrete score*
# drives KL/TV bounds for Euler-type samplers of three dynamics — random walk on $\mathbb Z_m^d$,
# masking, biased walk on $\mathbb N^d$ `[abstract]`.  Everything below is computed exactly (rationals,
# `LogSum`) or with certified `arb` balls; the claims are `proofs-check run --paper 2512.00580`.
#
# 1. score functionals over time, monotone and non-monotone side by side (certified bands);
# 2. the three error terms (initialisation, approximation, discretisation) against $h$, $\delta$, $T$;
# 3. the biased-walk counterexample: $\mathbb E[v\log v]$ is not monotone.

# %%
import math
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt

from mdtheory import Law, ProductSpace, TruncatedLattice, generators
from mdtheory.divergences import kl, tv
from mdtheory.monotonicity import certify_monotone
from mdtheory.propagate import forward
from mdtheory.samplers.random_walk import perturbed_estimator, run_sampler, telescoped_discretisation_bound
from mdtheory.scores import score_functional, score_functional_derivative
from mdtheory.tiers import get_tier

try:  # notebooks/_nb.py: figures saved next to the notebook, tables
    from _nb import save_figure, show_table
except ModuleNotFoundError:  # a kernel started outside notebooks/: find them beside mdtheory's source
    import sys

    import mdtheory

    sys.path.insert(0, str(Path(mdtheory.__file__).resolve().parents[1] / "notebooks"))
    from _nb import save_figure, show_table

C = get_tier("certified", 96)


def band(ball):
    """(lower, upper) floats of a certified ball."""
    return float(ball.lower()), float(ball.upper())


# %% [markdown]
# ## 1. Score functionals over time
#
# * **Random walk** — the score $u=p_t(x+e)/p_t(x)$ is a backward martingale, so $\mathbb E\,\Phi(u)$ is
#   non-increasing for *every* convex $\Phi$ (certified on whole intervals).
# * **Masking** — the normalised conditionals $\pi_i(a|x_U)$ are martingales: $G_i(\alpha)$ is monotone;
#   the raw score $(\alpha/(1-\alpha))\pi$ is not (exact rationals, $\Phi=(u-1)^2$).
# * **Biased walk** — $\mathbb E\,\Phi(v)$ of the relative score is monotone for centred convex $\Phi$
#   ($\Phi'(u)(u-1)\ge 0$), but $\mathbb E[v\log v]$ is not.

# %%
rw_law = Law(ProductSpace(3, 2), ["1/4", "0", "1/8", "1/8", "1/4", "0", "0", "1/8", "1/8"])
rw = generators.random_walk(3, 2)
ts = [Fraction(k, 8) for k in range(1, 25)]
rw_curves = {phi: [band(score_functional(rw_law, rw, phi, t=t, tier=C).value) for t in ts] for phi in ("kl", "chi2")}
rw_cert = {phi: certify_monotone(rw_law, rw, phi, ("1/8", 3), prec=96) for phi in ("kl", "chi2")}
for phi, r in rw_cert.items():
    assert r.verdict == "proved", r.summary()

mk_law = Law(ProductSpace(2, 2), ["1/2", "0", "0", "1/2"])
mk = generators.masking(2, 2)
alphas = [Fraction(k, 40) for k in range(1, 40)]
G0 = [score_functional(mk_law, mk, "chi2", alpha=a, direction=0).value for a in alphas]   # exact rationals
raw = [score_functional(mk_law, mk, "chi2", alpha=a, score="raw").value for a in alphas]
# exact signs: G_0 non-decreasing in α everywhere on the grid; the raw functional is not monotone
assert all(x <= y for x, y in zip(G0, G0[1:]))
d_raw = score_functional_derivative(mk_law, mk, "chi2", alpha="1/2", score="raw", tier="exact").value
assert d_raw < 0 and any(x < y for x, y in zip(raw, raw[1:])) and any(x > y for x, y in zip(raw, raw[1:]))
assert certify_monotone(mk_law, mk, "chi2", ("1/100", "99/100"), sense="nondecreasing", variable="alpha",
                        direction=0, prec=96).verdict == "proved"

L = 10
bw_law = Law.point(TruncatedLattice(L, 1), (0,))
bw = generators.biased_walk(L, 1, "1/2", 1)
bts = [Fraction(k, 4) for k in range(1, 17)]
bw_curves = {phi: [band(score_functional(bw_law, bw, phi, t=t, tier=C).value) for t in bts] for phi in ("kl", "ulogu")}
assert certify_monotone(bw_law, bw, "kl", ("1/4", 4), prec=96, initial_pieces=8).verdict == "proved"

fig, ax = plt.subplots(1, 3, figsize=(14, 3.8))
for phi, st in (("kl", "-"), ("chi2", "--")):
    lo, hi = zip(*rw_curves[phi])
    ax[0].fill_between([float(t) for t in ts], lo, hi, alpha=0.4)
    ax[0].plot([float(t) for t in ts], [(a + b) / 2 for a, b in zip(lo, hi)], st, label=f"Φ={phi} (certified ↓)")
ax[0].set(title="random walk m=3, d=2", xlabel="forward time t", ylabel="E Φ(u)", yscale="log")
ax[0].legend()
ax[1].plot([float(a) for a in alphas], [float(v) for v in G0], label="normalised G_0 (monotone)")
ax[1].plot([float(a) for a in alphas], [float(v) for v in raw], label="raw score Σ Φ(α/(1−α)·π) (not)")
ax[1].set(title="masking, copy law m=2, d=2, Φ=(u−1)²", xlabel="α (forward time runs to α → 0)", yscale="log")
ax[1].legend()
for phi, lab in (("kl", "Φ = v log v − v + 1 (centred, ↓)"), ("ulogu", "Φ = v log v (not monotone)")):
    lo, hi = zip(*bw_curves[phi])
    ax[2].fill_between([float(t) for t in bts], lo, hi, alpha=0.4)
    ax[2].plot([float(t) for t in bts], [(a + b) / 2 for a, b in zip(lo, hi)], label=lab)
ax[2].set(title="biased walk a=1/2, b=1, μ=δ_0 (L=10)", xlabel="forward time t")
ax[2].legend()
save_figure(fig, "nd_score_functionals", bbox_inches="tight")
plt.show()

# %% [markdown]
# ## 2. The three error terms against $h$, $\delta$ and $T$
#
# Random walk $m=3$, $d=1$, $\mu$ with a zero mass.  The sampler output laws are exact (certified
# balls); the split is initialisation $\mathrm{KL}(p_T\|U)$, approximation $\varepsilon$ (grid-weighted
# score entropy of a perturbed estimator), discretisation $\sum_k\mathbb E\,\mathrm{KL}(K_{\rm true}\|\hat K)$.
# The telescoped bound (ND-V4c) is linear in $h$ and grows like $\log(1/\delta)$; the exact
# discretisation stays below it.

# %%
law = Law(ProductSpace(3, 1), ["1/2", "0", "1/2"])
g = generators.random_walk(3, 1)
est = perturbed_estimator("1/4", seed=2)
Ns = [2, 4, 8, 16]
by_h = [run_sampler(law, g, "S2", T=3, delta="1/10", N=N, estimator=est, prec=96) for N in Ns]
ex_h = [run_sampler(law, g, "S2", T=3, delta="1/10", N=N, prec=96) for N in Ns]
hs = [(3 - Fraction(1, 10)) / N for N in Ns]
tele_h = [telescoped_discretisation_bound(law, g, Fraction(3), Fraction(1, 10), h, C) for h in hs]
for r in by_h:
    assert r.kl_output < r.chain_rule  # data processing (certified)
for r, b in zip(ex_h, tele_h):
    assert r.disc_kernels < b
show_table([(N, float(h), r.kl_output.mid(), r.approx.mid(), e.disc_kernels.mid(), b.mid())
            for N, h, r, e, b in zip(Ns, hs, by_h, ex_h, tele_h)],
           ["N", "h", "KL(p_δ‖out), perturbed", "approximation ε", "discretisation (true scores)", "telescoped bound"],
           title="S2 on Z_3, T = 3, δ = 1/10 (midpoints of certified balls)")

deltas = [Fraction(1, 2**k) for k in (2, 4, 6, 8, 10)]
by_d = [run_sampler(law, g, "S2", T=3, delta=dl, N=8, prec=96) for dl in deltas]
tele_d = [telescoped_discretisation_bound(law, g, Fraction(3), dl, (3 - dl) / 8, C) for dl in deltas]
es_bound = [1 - math.exp(-float(dl)) for dl in deltas]  # 1 − e^{−(r_++r_−)dδ}
for r, b in zip(by_d, es_bound):
    assert float(r.tv_early_stop.upper()) <= b

Ts = [Fraction(k, 2) for k in range(1, 9)]
U = Law.uniform(ProductSpace(3, 1), C)
init = [kl(forward(law, g, t=T, tier=C), U, prec=96) for T in Ts]
lam = 1 - math.cos(2 * math.pi / 3)
kl_mu = float(kl(law, Law.uniform(ProductSpace(3, 1))).mid())
for T, v in zip(Ts, init):
    assert float(v.upper()) <= math.exp(-2 * lam * float(T)) * kl_mu  # entropy decay at rate 2λ_m here

fig, ax = plt.subplots(1, 3, figsize=(14, 3.8))
x = [float(h) for h in hs]
ax[0].loglog(x, [float(r.kl_output.mid()) for r in by_h], "o-", label="KL(p_δ‖out), perturbed")
ax[0].loglog(x, [float(r.disc_kernels.mid()) for r in ex_h], "s-", label="discretisation (true scores)")
ax[0].loglog(x, [float(r.approx.mid()) for r in by_h], "^-", label="approximation ε")
ax[0].loglog(x, [float(b.mid()) for b in tele_h], "k--", label="telescoped bound (∝ h)")
ax[0].set(title="vs step size h (T=3, δ=1/10, S2)", xlabel="h")
ax[0].legend(fontsize=7)
xd = [math.log(1 / float(dl)) for dl in deltas]
ax[1].plot(xd, [float(r.disc_kernels.mid()) for r in by_d], "s-", label="discretisation (exact)")
ax[1].plot(xd, [float(b.mid()) for b in tele_d], "k--", label="telescoped bound")
ax[1].plot(xd, [float(r.tv_early_stop.mid()) for r in by_d], "o-", label="TV(μ, p_δ)")
ax[1].set(title="vs early stopping δ (N=8)", xlabel="log(1/δ)")
ax[1].legend(fontsize=7)
ax[2].semilogy([float(T) for T in Ts], [float(v.mid()) for v in init], "o-", label="KL(p_T‖U)")
ax[2].semilogy([float(T) for T in Ts], [math.exp(-2 * lam * float(T)) * kl_mu for T in Ts], "k--",
               label="e^(−2λ_m T)·KL(μ‖U)")
ax[2].set(title="initialisation vs T", xlabel="T")
ax[2].legend(fontsize=7)
save_figure(fig, "nd_error_terms", bbox_inches="tight")
plt.show()

# %% [markdown]
# ## 3. The biased-walk counterexample
#
# For $\mu=\delta_0$, $a=1/2$, $b=1$: $\frac{d}{dt}\mathbb E[v\log v]$ is certified negative early and
# certified positive on the whole interval $[1,3]$ (interval evaluation + bisection), with the
# truncation's overflow mass certified below $10^{-6}$.  The centred $\Phi=v\log v-v+1$ differs by
# $\mathbb E[v]-1$, which is *not* conserved here — that is exactly the boundary term
# $-b\,\mathbb E[1\{x=0\}\Phi'(v)(v-1)]$ at the reflecting 0.

# %%
L = 14
mu0 = Law.point(TruncatedLattice(L, 1), (0,))
bw = generators.biased_walk(L, 1, "1/2", 1)
up = certify_monotone(mu0, bw, "ulogu", (1, 3), sense="nondecreasing", strict=True, prec=96)
assert up.verdict == "proved" and up.overflow_bound < 1e-6, up.summary()
early = score_functional_derivative(mu0, bw, "ulogu", t="1/10", tier=C)
assert early.sign() == -1
mean_v = score_functional_derivative(mu0, bw, "identity", t=2, tier=C)
assert mean_v.sign() != 0 and mean_v.proved  # E[v] is not conserved

tt = [Fraction(k, 10) for k in range(1, 41)]
F = [band(score_functional(mu0, bw, "ulogu", t=t, tier=C).value) for t in tt]
D = [band(score_functional_derivative(mu0, bw, "ulogu", t=t, tier=C).value) for t in tt]
fig, ax = plt.subplots(1, 2, figsize=(10, 3.8))
lo, hi = zip(*F)
ax[0].fill_between([float(t) for t in tt], lo, hi, alpha=0.4)
ax[0].plot([float(t) for t in tt], [(a + b) / 2 for a, b in zip(lo, hi)], label="E[v log v] (certified)")
ax[0].axvspan(1, 3, color="red", alpha=0.1, label="certified increasing on [1, 3]")
ax[0].set(title="biased walk, μ=δ_0: not monotone", xlabel="forward time t")
ax[0].legend()
lo, hi = zip(*D)
ax[1].fill_between([float(t) for t in tt], lo, hi, alpha=0.5, label="d/dt E[v log v] (certified balls)")
ax[1].axhline(0, color="k", lw=0.8)
ax[1].set(title="its derivative changes sign", xlabel="forward time t")
ax[1].legend()
save_figure(fig, "nd_brw_counterexample", bbox_inches="tight")
plt.show()
print("monotone pieces proved:", len(up.proved), "; overflow ≤", f"{up.overflow_bound:.2e}")

# %% [markdown]
# ## Path-space KL vs the three-part bound (ND-A1, ND-A1p, ND-A1s)
#
# The path KL is computed **independently of any decomposition**: $\mathrm{KL}_n$ is the KL between the laws of
# the grid values $(X_{t_k + jh/n})$ under the exact reversal and under the S1 sampler (η = 1/2 estimator), on
# nested refinements $n = 1, 2, 4, 8$ (`mdtheory.path_kl.grid_path_kl`).  It increases with $n$ to the path KL;
# the Girsanov decomposition $\mathrm{init} + \varepsilon + \mathrm{Disc}_{\rm path}$ is its limit, and the
# final-law KL $\mathrm{KL}(p_\delta\|\mathrm{out})$ sits below all of them.  The second panel is the h-scan of the
# *step-level* split $\sum_k \mathbb E\,\mathrm{KL}(K_{\rm true}\|\hat K) \le \sum_k \mathbb E\,\mathrm{KL}(K_{\rm true}\|K_{\rm exact}) + \varepsilon$
# for S2: violated at coarse $h$, the violation (relative to ε) shrinking with $h$ — a counterexample to a
# statement nobody made, kept as ND-A1s.

# %%
from mdtheory.path_kl import grid_path_kl

mu_a1 = Law(ProductSpace(3, 1), ["1/6", "1/2", "1/3"])
g_a1 = generators.random_walk(3, 1)
est_a1 = perturbed_estimator("1/2", 1)
refine = (1, 2, 4, 8)
pk = grid_path_kl(mu_a1, g_a1, "S1", T=3, delta="1/10", N=4, refine=refine, estimator=est_a1, prec=96)
rep_a1 = run_sampler(mu_a1, g_a1, "S1", T=3, delta="1/10", N=4, estimator=est_a1, prec=96)
ex_a1 = run_sampler(mu_a1, g_a1, "S1", T=3, delta="1/10", N=4, prec=96)
assert abs(float((pk.kl[0] - rep_a1.chain_rule).mid())) < 1e-20           # KL_1 = chain rule (two code paths)
assert all(a < b for a, b in zip(pk.kl, pk.kl[1:])) and pk.kl[-1] < rep_a1.path_kl

from proofs_check.claims.nonasymptotic._common import _rlaw

mu_s2 = Law(ProductSpace(2, 2), [Fraction(v) for v in _rlaw("a1-2-2", 4, "sparse")])  # the ND-A1s instance
hs = [Fraction(29, 10) / N for N in (4, 8, 16)]
viol = []
for N in (4, 8, 16):
    e = run_sampler(mu_s2, generators.random_walk(2, 2), "S2", T=3, delta="1/10", N=N,
                    estimator=perturbed_estimator("1/2", 1), prec=96)
    x = run_sampler(mu_s2, generators.random_walk(2, 2), "S2", T=3, delta="1/10", N=N, prec=96)
    viol.append(float(((e.chain_rule - e.init_kl - x.disc_kernels - e.approx) / e.approx).mid()))

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
ax = axes[0]
ax.plot(refine, [float(v.mid()) for v in pk.kl], "o-", label="KL_n (grid values, independent)")
ax.axhline(float(rep_a1.path_kl.mid()), color="k", ls="--", label="init + ε + Disc_path (Girsanov)")
ax.axhline(float((rep_a1.init_kl + rep_a1.approx + ex_a1.disc_kernels).mid()), color="g", ls=":",
           label="init + ε + Disc (step kernels)")
ax.axhline(float(rep_a1.kl_output.mid()), color="r", ls="-.", label="KL(p_δ ‖ out)")
ax.set_xscale("log", base=2)
ax.set_xlabel("refinement n (sub-steps per step)")
ax.set_title("S1, m=3, d=1, η=1/2: path KL vs the three-part bound")
ax.legend(fontsize=8)
ax = axes[1]
ax.plot([float(h) for h in hs], viol, "s-")
ax.axhline(0, color="k", lw=0.8)
ax.set_xlabel("step h")
ax.set_ylabel("(step-level LHS − RHS)/ε")
ax.set_title("S2, m=2, d=2 (ND-A1s): step-level split, h-scan")
save_figure(fig, "nd_path_kl_vs_bound")
plt.show()
assert viol[0] > 0 and viol[0] > viol[1] > viol[2]                           # fails at h = 0.725, shrinking
print("KL_n:", [round(float(v.mid()), 5) for v in pk.kl], " decomposition:", round(float(rep_a1.path_kl.mid()), 5))
print("step-level violation/ε by h:", dict(zip([round(float(h), 4) for h in hs], [round(v, 5) for v in viol])))

# %% [markdown]
# ## Steps needed vs dimension for a correlated law (ND-T2)
#
# "Complexity linear in $d$": for a Markov chain along the path $1-2-\dots-d$ (each coordinate copies the previous
# one with probability 3/4), the least number of S2 steps $N(d)$ with $\mathrm{KL}(p_\delta\|\mathrm{out}) \le \varepsilon$
# — certified KL of the exact output law, found by doubling and bisection — against $d$, with a linear fit.

# %%
from proofs_check.claims.nonasymptotic.rates import _check_t2
from proofs_check.registry import default_registry

t2 = _check_t2({"kind": "steps", "m": 2, "stay": "3/4", "ds": [2, 3, 4, 5], "T": "3", "delta": "1/10",
                "eps": "1/20"}, default_registry().get("ND-T2").default_params(), C)
fit = t2.info["linear_fit N ≈ slope·d + intercept (all d)"]
show_table([[d, n] for d, n in zip(t2.x, t2.y)], ["d", "N(d): steps for KL ≤ 1/20"])
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(t2.x, t2.y, "o", label="N(d) (certified bisection)")
ax.plot(t2.x, [fit["slope"] * d + fit["intercept"] for d in t2.x], "k--",
        label=f"{fit['slope']:.2f}·d + {fit['intercept']:.2f}, R² = {fit['r2']:.4f}")
ax.set(xlabel="d", ylabel="steps", title="Markov chain on a path, S2: steps for KL ≤ ε")
ax.legend(fontsize=8)
save_figure(fig, "nd_steps_vs_d")
plt.show()
assert all(a <= b for a, b in zip(t2.y, t2.y[1:])) and fit["r2"] > 0.9
