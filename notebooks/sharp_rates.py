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
# # Sharp convergence rates for masked diffusion (arXiv 2602.22505), exactly
#
# Only the paper's abstract was available: the Euler upper bound's *form*, its constants and the
# lower-bound instance are reconstructions (see `../shared/papers/sharp_rates_2602.22505.md`).
# What is computed here is exact (rationals) or certified (`arb` balls); the rates are *fits*.
#
# * Copy-pairs lower bound: the exact Euler law against the closed form
#   $1-((\sum_k p_k)^2-(1-1/m)\sum_k p_k^2)^{d/2}$, on any grid.
# * TV against $N$ on two clocks (exponential with $h_k=\kappa\min(1,T-t_k)$; linear with uniform steps).
# * TV against $d$ at fixed $\kappa$; the smallest $N$ for a target $\varepsilon$ against $d/\varepsilon$.
# * FHS: TV against $\varepsilon_{\rm score}$, a line through the origin with slope $\le 1/2$.
# * The terms of the TV decomposition along the true trajectory.

# %%
import random
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from mdtheory.distributions import copy_pairs, dirichlet, uniform
from mdtheory.masked_score_errors import fhs_score_error
from mdtheory.masked_scores import mixing, multiplicative_noise
from mdtheory.samplers import euler, exact_reverse, fhs
from mdtheory.schedules import ExponentialClock, Grid, LinearClock, kappa_grid, uniform_grid
from mdtheory.tiers import get_tier
from proofs_check.evaluate import fit_power_law
from proofs_check.claims.sharp_rates import (
    copy_pairs_closed_form,
    copy_pairs_uniform_bound,
    decomposition_terms,
    euler_unmask_probs,
    minimal_steps_linear,
)

try:  # notebooks/_nb.py: figures saved next to the notebook, tables
    from _nb import save_figure, show_table
except ModuleNotFoundError:  # a kernel started outside notebooks/: find them beside mdtheory's source
    import sys

    import mdtheory

    sys.path.insert(0, str(Path(mdtheory.__file__).resolve().parents[1] / "notebooks"))
    from _nb import save_figure, show_table

EX = get_tier("exact")
CE = get_tier("certified", prec=128)
TOL = 0.15  # allowed deviation of a fitted exponent from its expected value


def mid(x):
    return float(x.mid()) if hasattr(x, "mid") else float(Fraction(int(x.p), int(x.q)))


# %% [markdown]
# ## 1. Copy-pairs: the exact Euler law equals the closed form on every grid
# Linear-clock grids (uniform and random rational) in exact rationals: equality of rationals. The
# uniform grid attains the Cauchy–Schwarz bound $1-(1-(1-1/m)/N)^{d/2}$, every other grid lies above.

# %%
m, d = 2, 4
law = copy_pairs(m, d)
rng = random.Random(0)
rows = []
for N in (2, 3, 4, 6, 8, 12, 16):
    grids = {"uniform": uniform_grid(1, N)}
    inner = sorted({Fraction(rng.randint(1, 255), 256) for _ in range(N - 1)})
    if len(inner) == N - 1:
        grids["random"] = Grid(tuple([Fraction(0)] + inner + [Fraction(1)]))
    for kind, g in grids.items():
        tv = euler(law, clock=LinearClock(), T=1, grid=g).tv()
        closed, _ = copy_pairs_closed_form(euler_unmask_probs(LinearClock(), 1, g, EX), m, d, EX)
        bound = copy_pairs_uniform_bound(N, m, d, EX)
        assert tv == closed, (N, kind)  # exact identity
        assert tv >= bound and (kind != "uniform" or tv == bound)
        rows.append((N, kind, mid(tv), mid(bound)))
print("copy-pairs: propagated law = closed form exactly on", len(rows), "linear grids")

# exponential clock, kappa grid: certified balls must contain each other's midpoints (not a proof of '=')
for kap in ("1/2", "1/4", "1/8"):
    g = kappa_grid(3, kap, "1/16")
    tv = euler(law, clock=ExponentialClock(), T=3, grid=g, tier=CE).tv()
    closed, _ = copy_pairs_closed_form(euler_unmask_probs(ExponentialClock(), 3, g, CE), m, d, CE)
    assert abs(tv - closed) < 2.0**-100 and tv > copy_pairs_uniform_bound(g.N, m, d, CE)

fig, ax = plt.subplots(figsize=(5, 3.4))
for kind, mk in (("uniform", "o"), ("random", "s")):
    pts = [(n, v) for n, k, v, _ in rows if k == kind]
    ax.plot(*zip(*pts), mk, label=f"Euler, {kind} linear grid (exact)")
Ns = np.arange(2, 17)
ax.plot(Ns, [1 - (1 - (1 - 1 / m) / n) ** (d / 2) for n in Ns], "k-", lw=1, label="bound $1-(1-(1-1/m)/N)^{d/2}$")
ax.set_xlabel("N")
ax.set_ylabel("TV")
ax.set_title(f"Copy-pairs lower bound (m={m}, d={d})")
ax.legend(fontsize=7)
save_figure(fig, "sharp_rates_copy_pairs")
plt.show()

# %% [markdown]
# ## 2. TV against N on two clocks
# Exponential clock with the $\kappa\min(1,T-t)$ grid (certified; $T=4$, $\delta=1/64$, the floor is
# the TV of the exact reverse kernel) and the linear clock with uniform steps (exact; no floor).
# For the Dirichlet law the exponential-clock curve bends at coarse κ (local slope ≈ −1.4 for κ ≥ 1/16)
# and settles to −1 from κ = 1/32 on, so its fit uses κ ∈ {1/32, 1/64, 1/128}.

# %%
slopes = {}
fig, ax = plt.subplots(figsize=(5, 3.4))
for name, lw, ks in (("copy_pairs", copy_pairs(2, 4), (4, 8, 16, 32)),
                     ("dirichlet", dirichlet(2, 3, seed=1, denominator=2**12), (32, 64, 128))):
    xs, ys = [], []
    for k in ks:
        kw = dict(clock=ExponentialClock(), T=4, kappa=Fraction(1, k), delta="1/64", tier=CE)
        r = euler(lw, **kw)
        xs.append(r.n_steps)
        ys.append(mid(r.tv() - exact_reverse(lw, **kw).tv()))
    f = fit_power_law(xs, ys)
    slopes[("exponential", name)] = -f["exponent"]
    ax.loglog(xs, ys, "o-", label=f"exp. clock, {name}: slope {f['exponent']:.3f}")
    xs, ys = [4, 8, 16, 32, 64], []
    for N in xs:
        ys.append(mid(euler(lw, steps=N).tv()))
    f = fit_power_law(xs, ys)
    slopes[("linear", name)] = -f["exponent"]
    ax.loglog(xs, ys, "s--", label=f"linear clock, {name}: slope {f['exponent']:.3f}")
ax.set_xlabel("N (steps)")
ax.set_ylabel("TV − floor")
ax.set_title("Euler, exact scores: TV − floor against N")
ax.legend(fontsize=7)
save_figure(fig, "sharp_rates_tv_vs_N")
plt.show()
show_table([(*key, -s) for key, s in slopes.items()], ["clock", "law", "fitted slope of log(TV − floor) vs log N"])
for key, s in slopes.items():
    assert abs(s - 1) <= TOL, (key, s)

# %% [markdown]
# ## 3. TV against d at fixed κ (copy-pairs)
# Exact Euler laws for $d\le 6$ (certified) and the SR-T2a closed form (float) for larger $d$;
# the floor ($T=6$, $\delta=1/256$) is removed.

# %%
kap, T, dl = Fraction(1, 4), 6, Fraction(1, 256)
g = kappa_grid(T, kap, dl)
direct = {}
for dd in (2, 4, 6):
    kw = dict(clock=ExponentialClock(), T=T, grid=g, tier=CE)
    direct[dd] = mid(euler(copy_pairs(2, dd), **kw).tv() - exact_reverse(copy_pairs(2, dd), **kw).tv())
cf = get_tier("float")
c = euler_unmask_probs(ExponentialClock(), T, g, cf)
a_T, a_d = np.exp(-T), np.exp(-float(T - g.times[-1]))
ds = list(range(2, 31, 2))
closed = [copy_pairs_closed_form(c, 2, dd, cf)[0] - (1 - ((a_d - a_T) / (1 - a_T)) ** dd) for dd in ds]
for dd, v in direct.items():
    assert abs(closed[ds.index(dd)] - v) < 1e-9  # closed form = exact law (float rounding only)
f_d = fit_power_law(ds[:3], closed[:3])
f_all = fit_power_law(ds, closed)
print(f"TV − floor vs d: exponent {f_d['exponent']:.4f} (d ≤ 6), {f_all['exponent']:.4f} (d ≤ 30); "
      f"constant (TV − floor)/(dκ) ≈ {closed[0] / (2 * float(kap)):.4f}")
assert abs(f_d["exponent"] - 1) <= TOL
fig, ax = plt.subplots(figsize=(5, 3.4))
ax.plot(ds, closed, "-", label="closed form (SR-T2a)")
ax.plot(list(direct), list(direct.values()), "o", label="exact Euler law (certified)")
ax.set_xlabel("d")
ax.set_ylabel("TV − floor")
ax.set_title(f"Copy-pairs, κ = {kap}: linear in d until saturation")
ax.legend(fontsize=7)
save_figure(fig, "sharp_rates_tv_vs_d")
plt.show()

# %% [markdown]
# ## 4. The smallest N for a target ε against d/ε
# Linear clock: $N^*=\lceil(1-1/m)/(1-(1-\varepsilon)^{2/d})\rceil$ (SR-T2c). Exponential clock: the
# §2.4 schedule ($T=\log(4d/\varepsilon)$, $\delta=\varepsilon/(4d)$) with the largest $\kappa=1/k$ that
# reaches TV $\le\varepsilon$ (closed form, float).

# %%
pts_lin, pts_exp = [], []
for dd in (2, 4, 8, 16):
    for eps in (0.2, 0.1, 0.05, 0.02):
        n = minimal_steps_linear(2, dd, Fraction(eps).limit_denominator(1000))
        tv_n = 1 - (1 - Fraction(1, 2) / n) ** (dd // 2)
        assert tv_n <= Fraction(eps).limit_denominator(1000) < 1 - (1 - Fraction(1, 2) / max(n - 1, 1)) ** (dd // 2) or n == 1
        pts_lin.append((dd / eps, n))
        Te = np.log(4 * dd / eps)
        Tq, dq = Fraction(Te).limit_denominator(64), Fraction(eps / (4 * dd)).limit_denominator(10**6)
        for k in range(1, 4000):
            gk = kappa_grid(Tq, Fraction(1, k), dq)
            if copy_pairs_closed_form(euler_unmask_probs(ExponentialClock(), Tq, gk, cf), 2, dd, cf)[0] <= eps:
                pts_exp.append((dd / eps, gk.N))
                break
f_lin = fit_power_law(*zip(*pts_lin))
f_exp = fit_power_law(*zip(*pts_exp))
print(f"N* (linear clock) ≈ {f_lin['constant']:.3f}·(d/ε)^{f_lin['exponent']:.4f};  "
      f"N_min (exponential κ-grid) ≈ {f_exp['constant']:.3f}·(d/ε)^{f_exp['exponent']:.4f}")
assert abs(f_lin["exponent"] - 1) <= 0.05  # N* ≈ d(1−1/m)/(2ε): exponent 1
assert 1 - TOL <= f_exp["exponent"] <= 1 + 2 * TOL  # (d/ε)·log(d/ε) fits an exponent a little above 1
fig, ax = plt.subplots(figsize=(5, 3.4))
ax.loglog(*zip(*pts_lin), "o", label=f"linear clock N* (slope {f_lin['exponent']:.3f})")
ax.loglog(*zip(*pts_exp), "s", label=f"exp. κ-grid N_min (slope {f_exp['exponent']:.3f})")
xx = np.array(sorted(p[0] for p in pts_lin))
ax.loglog(xx, xx / 4, "k-", lw=1, label="d(1−1/m)/(2ε)")
ax.set_xlabel("d/ε")
ax.set_ylabel("steps")
ax.set_title("Copy-pairs (m = 2): steps needed for TV ≤ ε")
ax.legend(fontsize=7)
save_figure(fig, "sharp_rates_min_steps")
plt.show()

# %% [markdown]
# ## 5. FHS: TV against ε_score (normalised estimators)
# Mixtures $\hat g=(1-\eta)q_0(\cdot|x^U)+\eta\,\rho$ with random references $\rho$; exact rationals.
# The point mass with conditionals $(1-\eta,\eta)$ has TV $=1-(1-\eta)^d$ and $\varepsilon=2d\eta$.

# %%
pts = []
for seed in range(3):
    base = dirichlet(2, 3, seed=seed, denominator=2**10)
    for eta in ("1/16", "1/8", "1/4", "1/2", "1"):
        est = mixing(base, eta, reference="random", seed=seed)
        tv, eps = fhs(base, est).tv(), fhs_score_error(base, est)
        assert 2 * tv <= eps  # TV ≤ ½·ε_score, exactly
        pts.append((mid(eps), mid(tv)))
point = []
from mdtheory import Law, ProductSpace  # noqa: E402

delta0 = Law.point(ProductSpace(2, 3), (0, 0, 0))
for eta in ("1/64", "1/16", "1/4"):
    est = mixing(delta0, eta, reference=[0, 1])
    tv, eps = fhs(delta0, est).tv(), fhs_score_error(delta0, est)
    e = Fraction(eta)
    assert mid(tv) == float(1 - (1 - e) ** 3) and mid(eps) == float(6 * e)
    point.append((mid(eps), mid(tv)))
ratio = max(y / x for x, y in pts + point)
print(f"largest TV/ε_score = {ratio:.4f} (bound ½); point mass at η = 1/64: {point[0][1] / point[0][0]:.4f}")
assert ratio <= 0.5
fig, ax = plt.subplots(figsize=(5, 3.4))
ax.plot(*zip(*pts), "o", label="Dirichlet data, mixed estimators")
ax.plot(*zip(*point), "s", label="point mass, (1−η, η) conditionals")
xmax = max(x for x, _ in pts + point)
ax.plot([0, xmax], [0, xmax / 2], "k-", lw=1, label="TV = ½·ε_score")
ax.set_xlabel("ε_score (FHS)")
ax.set_ylabel("TV(q0, FHS)")
ax.set_title("FHS: error only from the score")
ax.legend(fontsize=7)
save_figure(fig, "sharp_rates_fhs")
plt.show()

# %% [markdown]
# ## 6. The TV decomposition along the true trajectory
# Euler with multiplicative score noise: on the linear clock ($T=1$, $\delta=1/50$, exact; there Euler's
# timing is exact, so (a) = 0) and on the exponential clock ($T=2$, $\kappa=1/2$, $\delta=1/16$, certified).
# Bars: initialisation, early stopping, and the per-step timing (a), joint-vs-product dependence (b)
# and score (c) terms summed over the steps; the star is the actual TV.

# %%
bars = []
cases = [("copy_pairs d=4\nlinear N=4", copy_pairs(2, 4), LinearClock(), 1, uniform_grid(Fraction(49, 50), 4), EX),
         ("copy_pairs d=4\nexp. κ=1/2", copy_pairs(2, 4), ExponentialClock(), 2, kappa_grid(2, "1/2", "1/16"), CE),
         ("dirichlet d=3\nlinear N=4", dirichlet(2, 3, seed=2, denominator=2**8), LinearClock(), 1,
          uniform_grid(Fraction(49, 50), 4), EX),
         ("dirichlet d=3\nexp. κ=1/2", dirichlet(2, 3, seed=2, denominator=2**8), ExponentialClock(), 2,
          kappa_grid(2, "1/2", "1/16"), CE)]
for name, lw, clock, T, g, tier in cases:
    est = multiplicative_noise(lw, "1/20", seed=1)
    r = decomposition_terms(lw, est, clock, T, g, tier)
    step = sum(r["step_tv"], tier.zero)
    assert r["tv"] <= r["init"] + step + r["early_stop"]  # decided (exactly, or by separated balls)
    assert all(r["step_tv"][k] <= r["timing"][k] + r["dependence"][k] + r["score"][k] for k in range(g.N))
    if tier is EX:
        assert sum(r["score"], EX.zero) == r["eps_score"] and sum(r["timing"], EX.zero) == 0
    bars.append((name, mid(r["tv"]), mid(r["init"]), mid(r["early_stop"]),
                 *(mid(sum(r[k], tier.zero)) for k in ("timing", "dependence", "score"))))
fig, ax = plt.subplots(figsize=(6.4, 3.8))
labels = [b[0] for b in bars]
bottom = np.zeros(len(bars))
for i, part in enumerate(("initialisation", "early stop", "(a) timing", "(b) dependence", "(c) score")):
    vals = np.array([b[2 + i] for b in bars])
    ax.bar(labels, vals, bottom=bottom, label=part)
    bottom += vals
ax.plot(labels, [b[1] for b in bars], "k*", ms=10, label="TV(q0, Euler)")
ax.set_ylabel("TV and its bound")
ax.set_title("Decomposition (A): every term exact or certified")
ax.legend(fontsize=7)
ax.tick_params(axis="x", labelsize=7)
save_figure(fig, "sharp_rates_decomposition")
plt.show()
show_table([(b[0].replace("\n", ", "), *b[1:]) for b in bars],
           ["case", "TV", "initialisation", "early stop", "(a) timing", "(b) dependence", "(c) score"],
           title="decomposition (A) of the Euler error", digits=5)


# %% [markdown]
# ## 7. Tightness in $d$ and $\varepsilon$: the smallest $\kappa$-grid $N$ against $d/\varepsilon$
# For copy-pairs ($m=2$) and each $(d,\varepsilon)$ the smallest $\kappa=1/k$ grid (with
# $T\ge\log(4d/\varepsilon)$, $\delta=\varepsilon/(4d)$) whose Euler TV is $\le\varepsilon$ is found by an
# exact (certified) search over $k$, using the SR-T2a closed form (proved equal to the propagated law).
# It lies between the lower bound $N^*$ of every grid (SR-T2c) and $C\cdot N^*\log(d/\varepsilon)$, and
# the fitted exponent of $d/\varepsilon$ is $\approx 1$ (logs push it a little; claims SR-T2d, SR-T2r).

# %%
from proofs_check.claims.sharp_rates import minimal_kappa_grid_steps

pts = []
for dd in (2, 4, 6, 8):
    for e in ("1/4", "1/8", "1/16", "1/32", "1/64"):
        Nmin, k, tv_ = minimal_kappa_grid_steps(2, dd, e, CE)
        Nstar = minimal_steps_linear(2, dd, Fraction(e))
        assert Nstar <= Nmin <= 3 * Nstar * np.log(dd / float(Fraction(e)))  # SR-T2d with C = 3
        pts.append((dd / float(Fraction(e)), Nmin, Nstar, dd))
xs = sorted({p[0] for p in pts if p[0] >= 16})  # below d/ε = 16, κ ∈ {1, 1/2}: granularity, not rate
ys = [max(p[1] for p in pts if p[0] == x) for x in xs]
fit = fit_power_law(xs, ys)
print("N_min ~ (d/eps)^a: a =", round(fit["exponent"], 3), " R^2 =", round(fit["r2"], 4))
assert abs(fit["exponent"] - 1) <= TOL and fit["r2"] >= 0.99
fig, ax = plt.subplots(figsize=(5.6, 3.8))
for dd in (2, 4, 6, 8):
    sel = [p for p in pts if p[3] == dd]
    ax.loglog([p[0] for p in sel], [p[1] for p in sel], "o", label=f"N_min, d={dd}")
ax.loglog(xs, [fit["constant"] * x ** fit["exponent"] for x in xs], "k-",
          label=f"fit a = {fit['exponent']:.2f}")
ax.loglog([p[0] for p in pts], [p[2] for p in pts], "k.", ms=4, label="lower bound N*")
ax.set_xlabel("d / ε")
ax.set_ylabel("smallest κ-grid N with TV ≤ ε")
ax.set_title("Euler step complexity on copy-pairs (exact search)")
ax.legend(fontsize=7)
save_figure(fig, "sharp_rates_nmin_fit")
plt.show()

# %% [markdown]
# ## 8. FHS with a time-dependent estimator: evaluate at the *new* hitting time
# $\hat g_\alpha = (1-\alpha)\,q_0(\cdot\mid x_U) + \alpha\,\rho$ on the linear clock (degree 1 in $\alpha$).
# `fhs_time` integrates the hitting-time law exactly (order statistics of $d$ uniforms, polynomials in
# rationals). Evaluating the estimator at the previous hitting time changes the law (reviewer check 9);
# the ancestral grid sampler with the same $\hat g_\alpha$ converges to the fresh-time FHS law ($\propto 1/N$),
# not to the previous-time one (claim SR-F3).

# %%
from flint import fmpq

from mdtheory.divergences import tv as tv_laws
from mdtheory.masked_scores import exact_estimator, from_callable
from mdtheory.samplers import ancestral
from mdtheory.samplers.fhs_time import fhs_time

lw = dirichlet(2, 3, seed=1, denominator=2**8)
G0 = exact_estimator(lw).tables("exact")
rho = [[fmpq(1, 5), fmpq(4, 5)], [fmpq(3, 4), fmpq(1, 4)], [fmpq(1, 2), fmpq(1, 2)]]


def g_alpha(x, alpha):
    return {j: [(1 - alpha) * G0[j][tuple(x[i] if i != j else slice(None) for i in range(3))][a] + alpha * rho[j][a]
                for a in range(2)] for j in range(3) if x[j] == 2}


E_t = from_callable(g_alpha, 2, 3, time_dependent=True)
new, prev = fhs_time(lw, E_t, degree=1), fhs_time(lw, E_t, degree=1, at="previous")
gap = tv_laws(new.law, prev.law)
print("TV(FHS[new], FHS[previous]) =", mid(gap), " TV(q0, FHS[new]) =", mid(new.tv()),
      " expected events =", new.info["expected_events"])
Ns = [4, 8, 16, 32, 64, 128]
to_new, to_prev = [], []
for N in Ns:
    a_ = ancestral(lw, E_t, steps=N)
    to_new.append(mid(tv_laws(a_.law, new.law)))
    to_prev.append(mid(tv_laws(a_.law, prev.law)))
assert all(x < y for x, y in zip(to_new, to_prev)) and to_new[-1] < to_new[0] / 16
fit = fit_power_law([1 / N for N in Ns], to_new)
print("TV(ancestral_N, FHS[new]) ~ N^-a: a =", round(fit["exponent"], 3))
assert abs(fit["exponent"] - 1) <= TOL
fig, ax = plt.subplots(figsize=(5.6, 3.8))
ax.loglog(Ns, to_new, "o-", label="TV(ancestral N, FHS at new time)")
ax.loglog(Ns, to_prev, "s-", label="TV(ancestral N, FHS at previous time)")
ax.axhline(mid(gap), color="k", ls=":", label="TV(new, previous)")
ax.set_xlabel("ancestral steps N")
ax.set_ylabel("TV")
ax.set_title("Time-dependent estimator: FHS must use the new hitting time")
ax.legend(fontsize=7)
save_figure(fig, "sharp_rates_fhs_time")
plt.show()

# %% [markdown]
# ## 9. The rate in $d$ at a fixed step size, up to $d = 512$: fitted on $-\log(1-\mathrm{TV})$
# TV saturates at 1 as $d$ grows, so the $d$-rate is fitted on $-\log(1-\mathrm{TV})$, which is exactly
# additive over independent copy blocks ($1-\mathrm{TV}$ multiplies). Block-product laws are computed exactly
# by `mdtheory.samplers.blocks` (each block on its own small space; TV summed over class-count vectors), so
# $d = 512$ costs a fraction of a second: $-\log(1-\mathrm{TV})$ grows like $d$ (claim SR-T1d). Markov blocks
# of length 4 are not pairs and have full support: the Euler error only reweights states inside the support and
# grows like $\sqrt d$ (claim SR-T1e, the regime of FD-R1), so the $d\kappa$ bound is attained in $d$ by
# off-support errors (copy pairs). The fits must have $R^2 \ge 0.99$.

# %%
from mdtheory.distributions import binary_symmetric_markov, copy as copy_law
from mdtheory.law_structure import BlockProduct
from mdtheory.samplers.blocks import block_product_law

fig, ax = plt.subplots(figsize=(5.6, 3.8))
rows = []
for label, blk, N, ds, a_exp in (("copy pairs, N=16", copy_law(2, 2), 16, [2, 8, 32, 128, 512], 1),
                                 ("copy triples, N=16", copy_law(2, 3), 16, [3, 12, 48, 192], 1),
                                 ("Markov blocks of 4, N=8", binary_symmetric_markov(4, "1/5"), 8, [4, 8, 16, 32], 0.5)):
    ys = []
    for dd in ds:
        r = block_product_law("euler", BlockProduct.of([blk] * (dd // blk.space.d)), steps=N)
        ys.append(-np.log1p(-float(r.tv())))
    fit = fit_power_law(ds, ys)
    rows.append((label, ds[-1], fit["exponent"], fit["r2"]))
    assert abs(fit["exponent"] - a_exp) <= 0.05 and fit["r2"] >= 0.99
    ax.loglog(ds, ys, "o-", label=f"{label}: a = {fit['exponent']:.3f}, R² = {fit['r2']:.4f}")
ax.set_xlabel("d")
ax.set_ylabel("−log(1 − TV)")
ax.set_title("Euler error at a fixed step size: ∝ d (copy blocks), ∝ √d (Markov blocks)")
ax.legend(fontsize=7)
save_figure(fig, "sharp_rates_d_rate")
plt.show()
show_table(rows, ["blocks", "largest d", "fitted exponent", "R²"], title="d-rate fits (SR-T1d, SR-T1e)", digits=5)
