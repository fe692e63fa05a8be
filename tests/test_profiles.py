"""Reference-sampler profiles: exact laws vs seeded Monte Carlo re-implementations, identities, closed forms.

The Monte Carlo simulators below re-implement each code base's step rule from
``papers/sampler_conventions.md`` in float64 numpy, trajectory by trajectory (vectorised
over samples), sharing no code with :mod:`mdtheory.samplers.profiles`: conditionals come
from the brute-force table of ``tests/_mc_masked.py``, categorical draws use the code
bases' own Gumbel/exponential races, counts use float arithmetic as the code does.

Statistical tolerance (``_mc_masked.tv_bound``): empirical TV ≤ ½Σ√(q/n) + √(ln(1/δ)/(2n)),
δ = 1e−9, so a correct exact law fails with probability ≤ 1e−9 per check.  Float
confidences are rounded to 12 decimals before ranking so that exact ties stay ties.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from mdtheory.distributions import binary_symmetric_markov, copy_pairs, mds_code
from mdtheory.divergences import tv
from mdtheory.masked_scores import from_callable, mixing, rescaled
from mdtheory.samplers import factorized, fhs, profiles
from mdtheory.samplers.profiles import ProfileError
from mdtheory.tiers import as_fraction

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _mc_masked import brute_table, cond, empirical, tv_bound  # noqa: E402

N_MC = 20000


# ---------------------------------------------------------------------------------------------
# independent simulators
# ---------------------------------------------------------------------------------------------
def _gumbel_race(rng, w):
    """MDLM/SEDD ``_sample_categorical``: argmax of w / (1e-10 − log(U + 1e-10)) per row."""
    g = 1e-10 - np.log(rng.random(w.shape) + 1e-10)
    return np.argmax(w / g, axis=1)


def _all_conds(T, X, m, d):
    return [cond(T, X, j, m) for j in range(d)]


def sim_mdlm_sedd(law, N, kind, n, seed):
    m, d = law.space.m, law.space.d
    rng = np.random.default_rng(seed)
    T = brute_table(law.to_float(), m, d)
    X = np.full((n, d), m)
    eps, t_end = 1e-3, 1e-5
    ts = np.linspace(1, t_end, N + 1)
    dt = (1 - t_end) / N
    sigma = lambda t: -np.log1p(-(1 - eps) * t)  # noqa: E731
    for i in range(N):
        t = ts[i]
        G = _all_conds(T, X, m, d)
        Xn = X.copy()
        for j in range(d):
            p = G[j]
            if kind == "ddpm":
                mt, ms = 1 - np.exp(-sigma(t)), 1 - np.exp(-sigma(t - dt))
            elif kind == "ddpm_cache":
                mt, ms = t, t - dt
            if kind in ("ddpm", "ddpm_cache"):
                w = np.concatenate([p * (mt - ms), np.full((n, 1), ms)], axis=1)
            elif kind == "euler":
                a = np.exp(-sigma(t))
                score = a / (1 - a) * p
                rate = (1 - eps) / (1 - (1 - eps) * t)  # σ'(t)
                w = np.concatenate([dt * rate * score, (1 - dt * rate * score.sum(1))[:, None]], axis=1)
            else:  # analytic, staggered score ⊙ transp_transition
                a = np.exp(-sigma(t))
                ds = sigma(t) - sigma(t - dt)
                score = np.concatenate([a / (1 - a) * p, np.ones((n, 1))], axis=1)  # current token: score 1
                stag = score * np.exp(ds)
                stag[:, -1] += (1 - np.exp(ds)) * score.sum(1)
                edge = np.concatenate([np.full((n, m), 1 - np.exp(-ds)), np.ones((n, 1))], axis=1)
                w = stag * edge
            y = _gumbel_race(rng, w)
            sel = X[:, j] == m
            Xn[sel, j] = y[sel]
        X = Xn
    G = _all_conds(T, X, m, d)
    for j in range(d):
        sel = X[:, j] == m
        if kind in ("ddpm", "ddpm_cache"):
            y = np.argmax(G[j], axis=1)
        else:
            y = _gumbel_race(rng, G[j])
        X[sel, j] = y[sel]
    return X


def sim_dream_origin(law, N, n, seed):
    m, d = law.space.m, law.space.d
    rng = np.random.default_rng(seed)
    T = brute_table(law.to_float(), m, d)
    X = np.full((n, d), m)
    ts = np.linspace(1, 1e-3, N + 1)
    for i in range(N):
        p_tr = 1 - ts[i + 1] / ts[i] if i < N - 1 else 1
        G = _all_conds(T, X, m, d)
        Xn = X.copy()
        for j in range(d):
            tr = (X[:, j] == m) & (rng.random(n) < p_tr)
            c = np.cumsum(G[j], axis=1)
            y = (rng.random(n)[:, None] > c).sum(1).clip(max=m - 1)
            Xn[tr, j] = y[tr]
        X = Xn
    return X


def _topk_index(conf, k):
    """Top-k with ties to the lower index (stable sort of −conf)."""
    order = np.argsort(-np.round(conf, 12), kind="stable")
    return order[:k]


def sim_llada(law, steps, remasking, n, seed, block_length=None):
    m, d = law.space.m, law.space.d
    rng = np.random.default_rng(seed)
    T = brute_table(law.to_float(), m, d)
    L = block_length or d
    nb = d // L
    S = steps // nb
    out = np.empty((n, d), dtype=np.int64)
    for s in range(n):
        x = np.full(d, m)
        for b in range(nb):
            M_b = L
            k = [M_b // S + (1 if i < M_b % S else 0) for i in range(S)]
            for i in range(S):
                X = x[None, :]
                G = [cond(T, X, j, m)[0] for j in range(d)]
                with np.errstate(divide="ignore"):
                    logits = np.log(np.array(G))  # (d, m)
                noise = rng.random(logits.shape)
                x0 = np.argmax(np.exp(logits) / (-np.log(noise)) ** 1.0, axis=1)
                if remasking == "low_confidence":
                    conf = np.array(G)[np.arange(d), x0]
                else:
                    conf = rng.random(d)
                conf[(b + 1) * L:] = -np.inf
                conf = np.where(x == m, conf, -np.inf)
                sel = _topk_index(conf, k[i])
                x[sel] = x0[sel]
        out[s] = x
    return out


def sim_dream(law, steps, alg, n, seed):
    m, d = law.space.m, law.space.d
    rng = np.random.default_rng(seed)
    T = brute_table(law.to_float(), m, d)
    ts = np.linspace(1, 1e-3, steps + 1).astype(np.float32)
    out = np.empty((n, d), dtype=np.int64)
    for s in range(n):
        x = np.full(d, m)
        for i in range(steps):
            mask = x == m
            G = np.array([cond(T, x[None, :], j, m)[0] for j in range(d)])
            x0 = np.array([rng.choice(m, p=g / g.sum()) for g in G])
            if alg == "maskgit_plus":
                conf = G[np.arange(d), x0]
            elif alg == "topk_margin":
                srt = -np.sort(-G, axis=1)
                conf = srt[:, 0] - srt[:, 1]
            else:
                conf = np.sum(G * np.log(G + 1e-10), axis=1)
            M = mask.sum()
            k = int(np.float32(M) * (np.float32(1) - ts[i + 1] / ts[i])) if i < steps - 1 else int(M)
            if k > 0:
                full = np.where(mask, conf, -np.inf)
                sel = _topk_index(full, k)
                x[sel] = x0[sel]
        out[s] = x
    return out


def sim_fhs(law, steps, n, seed, block_size=None):
    m, d = law.space.m, law.space.d
    rng = np.random.default_rng(seed)
    T = brute_table(law.to_float(), m, d)
    L = block_size or d
    X = np.full((n, d), m)
    for b in range(d // L):
        for _ in range(steps):
            for s in range(n):
                M = [j for j in range(b * L, (b + 1) * L) if X[s, j] == m]
                if not M:
                    continue
                j = M[rng.integers(len(M))]
                g = cond(T, X[s:s + 1], j, m)[0]
                X[s, j] = rng.choice(m, p=g)
    return X


def _check_mc(res, X, m, d, what):
    q = res.law.to_float()
    emp = empirical(X, m, d)
    if emp.shape != q.shape:  # masked space vs data space
        emp = emp[(slice(0, m),) * d] if emp.ndim == q.ndim else emp
    tv = 0.5 * np.abs(emp - q).sum()
    bound = tv_bound(q, X.shape[0])
    assert tv <= bound, f"{what}: empirical TV {tv:.4f} > tolerance {bound:.4f}"


LAW_B = binary_symmetric_markov(3, "1/5")
LAW_RS = mds_code(3, 3, 2)


@pytest.mark.parametrize("kind", ["ddpm", "ddpm_cache", "euler", "analytic"])
def test_mdlm_sedd_match_monte_carlo(kind):
    name = {"ddpm": "mdlm.ddpm", "ddpm_cache": "mdlm.ddpm_cache", "euler": "sedd.euler",
            "analytic": "sedd.analytic"}[kind]
    for law, N in ((LAW_B, 3), (LAW_RS, 2)):
        res = profiles.run(name, law, N)
        X = sim_mdlm_sedd(law, N, kind, N_MC, seed=hash((kind, N)) % 2**32)
        _check_mc(res, X, law.space.m, law.space.d, name)


def test_dream_origin_matches_monte_carlo():
    for law, N in ((LAW_B, 3), (LAW_RS, 4)):
        res = profiles.run("dream.origin", law, N)
        _check_mc(res, sim_dream_origin(law, N, N_MC, seed=N), law.space.m, law.space.d, "dream.origin")


@pytest.mark.parametrize("remasking", ["random", "low_confidence"])
def test_llada_matches_monte_carlo(remasking):
    law = LAW_B
    res = profiles.run(f"llada.{remasking}", law, 2)
    X = sim_llada(law, 2, remasking, 6000, seed=7)
    _check_mc(res, X, 2, 3, remasking)
    law4 = copy_pairs(2, 4)  # two blocks of 2, one step per token
    res = profiles.run(f"llada.{remasking}", law4, 2, block_length=2)
    _check_mc(res, sim_llada(law4, 2, remasking, 6000, seed=8, block_length=2), 2, 4, remasking + " blocks")


@pytest.mark.parametrize("alg", ["maskgit_plus", "topk_margin", "entropy"])
def test_dream_confidence_matches_monte_carlo(alg):
    law = LAW_RS
    res = profiles.run(f"dream.{alg}", law, 2)
    assert res.info["counts"] == [1, 2]  # ⌊3·(1 − 1001/2000)⌋ = 1, then the rest
    _check_mc(res, sim_dream(law, 2, alg, 5000, seed=11), 3, 3, alg)


def test_fhs_matches_monte_carlo_with_leftover():
    law = LAW_B
    res = profiles.run("bd3lm.fhs", law, 2)  # two events only: one mask always left
    assert res.leftover_mask_mass == 1 and res.info["nfe"] == 2
    _check_mc(res, sim_fhs(law, 2, 5000, seed=3), 2, 3, "fhs leftover")


def test_campbell_matches_monte_carlo():
    law = binary_symmetric_markov(2, "1/5")
    S, d, N = 2, 2, 3
    res = profiles.run("campbell.tau_leaping", law, N, prec=64)
    with res.tier.active():
        assert res.law.total().contains(1)
    rng = np.random.default_rng(5)
    p0 = law.to_float()
    states = [(a, b) for a in range(S) for b in range(S)]
    ts = list(np.linspace(1, 0.01, N)) + [0.0]
    n = N_MC

    def kern(t):
        e = math.exp(-S * t)
        return (1 - e) / S + e * np.eye(S)

    def post(x, t):  # p(x0_j = a | x) by brute force over x0
        K = kern(t)
        w = np.array([p0[z] * K[z[0], x[0]] * K[z[1], x[1]] for z in states])
        w = w / w.sum()
        return [[sum(w[i] for i, z in enumerate(states) if z[j] == a) for a in range(S)] for j in range(d)]

    X = rng.integers(0, S, size=(n, d))
    for i in range(N):
        t, h = ts[i], ts[i] - ts[i + 1]
        K = kern(t)
        cache = {x: post(x, t) for x in states}
        Xn = X.copy()
        for s in range(n):
            x = tuple(X[s])
            for j in range(d):
                jump = 0
                for y in range(S):
                    if y == x[j]:
                        continue
                    r = sum(cache[x][j][a] * K[a, y] / (K[a, x[j]] + 1e-9) for a in range(S))
                    jump += rng.poisson(h * r) * (y - x[j])
                Xn[s, j] = min(max(x[j] + jump, 0), S - 1)
        X = Xn
    final = {x: tuple(int(np.argmax(np.round(v, 12))) for v in post(x, 0.01)) for x in states}
    Y = np.array([final[tuple(x)] for x in X])
    q = np.array([float(v.mid()) for v in res.law.flat]).reshape(S, S)
    emp = np.zeros((S, S))
    np.add.at(emp, tuple(Y.T), 1.0 / n)
    assert 0.5 * np.abs(emp - q).sum() <= tv_bound(q, n)


# ---------------------------------------------------------------------------------------------
# exact identities and closed forms
# ---------------------------------------------------------------------------------------------
def _pairs_tv(pis, m, d):
    """SR-T2a: TV = 1 − ((Σπ)² − (1 − 1/m)Σπ²)^{d/2} for copy pairs (π: per-token reveal-step law)."""
    s, s2 = sum(pis), sum(p * p for p in pis)
    return 1 - (s * s - (1 - Fraction(1, m)) * s2) ** (d // 2)


@pytest.mark.parametrize("N", [1, 2, 5, 9])
def test_dream_origin_copy_pairs_closed_form(N):
    delta = (1 - Fraction(1, 1000)) / N
    pis = [delta] * (N - 1) + [1 - (N - 1) * delta]
    for m, d in ((2, 4), (3, 2)):
        res = profiles.run("dream.origin", copy_pairs(m, d), N)
        assert as_fraction(res.tv()) == _pairs_tv(pis, m, d)


@pytest.mark.parametrize("name", ["mdlm.ddpm", "mdlm.ddpm_cache", "sedd.euler", "sedd.analytic", "dream.origin"])
def test_telescoped_engine_equals_stepwise(name):
    for law in (LAW_B, LAW_RS, copy_pairs(2, 4)):
        for N in (2, 3, 6):
            a = profiles.run(name, law, N)
            b = profiles.run(name, law, N, engine="stepwise")
            assert a.law.equals(b.law) is True
            assert a.info["nfe"] == b.info["nfe"]


def test_ddpm_and_cache_same_law_and_expected_nfe_closed_form():
    law = copy_pairs(2, 4)
    for N in (1, 4, 7):
        a, b = profiles.run("mdlm.ddpm", law, N), profiles.run("mdlm.ddpm_cache", law, N)
        assert a.law.equals(b.law) is True and a.info["nfe"] == N + 1
        dt = (1 - Fraction(1, 100000)) / N
        assert as_fraction(b.info["nfe"]) == 2 + (N - 1) * (1 - (1 - dt) ** 4)


def test_sedd_euler_equals_analytic_even_with_clipping():
    est = rescaled(LAW_B, 3)  # Σĝ = 3: the first steps clip (dt/t·3 > 1)
    a = profiles.run("sedd.euler", LAW_B, 4, est)
    b = profiles.run("sedd.analytic", LAW_B, 4, est)
    assert a.info["engine"] == "stepwise" and a.info["clipped"] > 0
    assert a.law.equals(b.law) is True
    c = profiles.run("sedd.euler", LAW_B, 4)  # exact scores: no clipping
    assert c.info["clipped"] == 0


def test_llada_random_is_fixed_cardinality_factorized():
    law = LAW_RS
    for steps in (1, 2, 3):
        res = profiles.run("llada.random", law, steps)
        sizes = profiles.llada_counts(3, steps)
        assert res.law.equals(factorized(law, tuple(sizes)).law) is True


def test_fhs_is_data_law_and_block_order_irrelevant():
    for law in (LAW_B, LAW_RS, copy_pairs(2, 4)):
        assert profiles.run("bd3lm.fhs", law, 10).tv() == 0
    assert profiles.run("bd3lm.fhs", copy_pairs(2, 4), 10, block_size=2).tv() == 0
    est = mixing(LAW_B, "1/3")
    assert profiles.run("bd3lm.fhs", LAW_B, 10, est).law.equals(fhs(LAW_B, est).law) is True


def test_binary_margin_and_entropy_rank_alike():
    # for m = 2 both confidences are increasing functions of |q − 1/2|: same ranking, same law
    for law in (LAW_B, copy_pairs(2, 4)):
        for N in (2, 5):
            a = profiles.run("dream.topk_margin", law, N)
            b = profiles.run("dream.entropy", law, N)
            assert a.law.equals(b.law) is True


def test_ties_uniform_is_symmetric():
    law = copy_pairs(2, 2)
    r = profiles.run("llada.low_confidence", law, 1, ties="uniform")  # reveal both at once
    r1 = profiles.run("llada.low_confidence", law, 2, ties="uniform")
    assert as_fraction(r.tv()) == Fraction(1, 2) and r1.tv() == 0
    rb = profiles.run("llada.low_confidence", binary_symmetric_markov(3, "1/5"), 3, ties="uniform")
    # reversal symmetry of the chain and of the uniform tie rule: p(x) = p(reversed x)
    for x, v in rb.law.items():
        assert v == rb.law.prob(tuple(reversed(x)))


def test_campbell_two_state_one_step_closed_form():
    # d = 1, S = 2, one leap of length 1 at t = 1 from the uniform start, then argmax at min_t:
    # a point mass p0 = δ_0: posterior of x0 is δ_0 whatever x, so the output is δ_0 exactly
    from mdtheory.laws import Law
    from mdtheory.spaces import ProductSpace

    law = Law(ProductSpace(2, 1), ["1", "0"])
    r = profiles.run("campbell.tau_leaping", law, 1)
    with r.tier.active():
        assert r.law.prob((0,)).contains(1) and r.tv().contains(0)


# ---------------------------------------------------------------------------------------------
# registry, metadata, report, errors
# ---------------------------------------------------------------------------------------------
def test_registry_and_metadata():
    import json

    want = ["mdlm.ddpm", "mdlm.ddpm_cache", "sedd.euler", "sedd.analytic", "bd3lm.fhs", "llada.random",
            "llada.low_confidence", "dream.origin", "dream.maskgit_plus", "dream.topk_margin", "dream.entropy",
            "campbell.tau_leaping"]
    assert profiles.names() == want
    for nm in want:
        meta = profiles.get(nm).metadata()
        json.dumps(meta)
        assert meta["final"] and meta["grid"] and meta["gumbel"]
    assert profiles.get("mdlm.ddpm").nfe(32, 8) == 33
    assert profiles.get("mdlm.ddpm_cache").nfe(32, 8) is None
    assert profiles.get("bd3lm.fhs").nfe(32, 8) == 8 and profiles.get("bd3lm.fhs").nfe(3, 8, block_size=4) == 6


def test_errors_are_one_line():
    with pytest.raises(ProfileError, match="did you mean 'llada.random'"):
        profiles.get("llada.randm")
    with pytest.raises(ProfileError, match="no option 'temp'"):
        profiles.run("llada.random", LAW_B, 3, temp=1)
    with pytest.raises(ProfileError, match="divisible"):
        profiles.run("llada.random", copy_pairs(2, 4), 3, block_length=2)
    td = from_callable(lambda x, a: {j: [1, 1] for j in range(3) if x[j] == 2}, 2, 3, time_dependent=True)
    with pytest.raises(ProfileError, match="time-agnostic"):
        profiles.run("dream.entropy", LAW_B, 3, td)
    with pytest.raises(ProfileError, match="estimator=None"):
        profiles.run("campbell.tau_leaping", LAW_B, 3, mixing(LAW_B, "1/2"))
    from mdtheory.tiers import NotExactError

    with pytest.raises(NotExactError):
        profiles.run("dream.origin", LAW_B, 3, temperature="2/3")


def test_temperature_integer_power_is_exact_and_certified_otherwise():
    r = profiles.run("dream.origin", LAW_B, 2, temperature="1/2")  # p² normalised: exact
    assert r.tier.name == "exact" and r.law.total() == 1
    rc = profiles.run("dream.origin", LAW_B, 2, temperature="2/3", tier="certified")
    with rc.tier.active():
        assert rc.law.total().contains(1)


def test_comparison_report_renders():
    rep = profiles.compare(copy_pairs(2, 2), 3, law_name="pairs")
    assert [r["profile"] for r in rep.rows] == profiles.names()
    md, tex = rep.markdown(), rep.latex()
    assert md.count("\n") == len(rep.rows) + 1 and "campbell.tau_leaping" in md
    assert tex.startswith(r"\begin{tabular}") and r"\bottomrule" in tex
    fhs_row = next(r for r in rep.rows if r["profile"] == "bd3lm.fhs")
    assert fhs_row["tv"] == 0 and fhs_row["nfe"] == 2


def test_certified_and_float_tiers_agree_with_exact():
    from mdtheory.tiers import ball_contains

    for name in ("dream.entropy", "llada.low_confidence", "mdlm.ddpm"):
        ex = profiles.run(name, LAW_B, 3)
        ce = profiles.run(name, LAW_B, 3, tier="certified")
        fl = profiles.run(name, LAW_B, 3, tier="float")
        assert all(ball_contains(b, a) for a, b in zip(ex.law.flat, ce.law.flat)), name
        assert abs(fl.tv() - float(as_fraction(ex.tv()))) < 1e-12, name


def test_compare_with_an_estimator_refuses_tau_leaping_by_name_and_skips_it_by_default():
    law = copy_pairs(2, 2)
    with pytest.raises(ProfileError, match="exact denoiser"):
        profiles.compare(law, 2, ["campbell.tau_leaping"], mixing(law, "1/4"), kl=False)
    rep = profiles.compare(law, 1, None, mixing(law, "1/4"), kl=False)
    assert "campbell.tau_leaping" not in [r["profile"] for r in rep.rows] and len(rep.rows) == len(profiles.names()) - 1
    assert all(r["tier"].is_exact for r in rep.rows)


def test_llada_topk_tie_mass_and_rules():
    """Issue 14: the binary Markov chain (d = 4, flip 1/5), one block of 4 steps, low_confidence.

    Step 1 ranks four positions whose conditional is (1/2, 1/2): every draw has confidence 1/2, so every
    trajectory meets a tie at the k = 1 cut (tie mass 1), and the tie rule changes the law.
    """
    law = binary_symmetric_markov(4, "1/5")
    a = profiles.run("llada.low_confidence", law, 4, ties="index")
    b = profiles.run("llada.low_confidence", law, 4, ties="uniform")
    assert a.info["tie_mass"] == 1 and b.info["tie_mass"] == 1
    assert a.info["ties"] == "index" and b.info["ties"] == "uniform"
    assert as_fraction(tv(a.law, b.law)) > Fraction(1, 20)
    # both are laws (no mass lost by the tie-mass bookkeeping)
    assert a.law.total() == 1 and b.law.total() == 1


def test_llada_tie_mass_zero_without_ties():
    """A law whose first-step marginals are all distinct and whose draws never tie has tie mass 0,
    and then the tie rule cannot change the law."""
    from mdtheory.laws import Law
    from mdtheory.spaces import ProductSpace

    probs = [Fraction(k + 1, 36) for k in range(8)]  # 1..8 over 36 on {0,1}^3: distinct marginals and conditionals
    law = Law(ProductSpace(2, 3), probs, "exact")
    a = profiles.run("llada.low_confidence", law, 3, ties="index")
    b = profiles.run("llada.low_confidence", law, 3, ties="uniform")
    assert a.info["tie_mass"] == 0 and b.info["tie_mass"] == 0
    assert tv(a.law, b.law) == 0


def test_llada_torch_rule_is_optional():
    law = binary_symmetric_markov(2, "1/5")
    try:
        import torch  # noqa: F401
    except ImportError:
        with pytest.raises(ProfileError, match="torch"):
            profiles.run("llada.low_confidence", law, 2, ties="torch")
    else:  # pragma: no cover - only where torch is installed
        r = profiles.run("llada.low_confidence", law, 2, ties="torch")
        assert r.law.total() == 1


@pytest.mark.parametrize("alg", ["maskgit_plus", "topk_margin", "entropy"])
def test_dream_confidence_tie_mass_and_rules(alg):
    """Dream's confidence profiles report the tie mass like LLaDA: on the binary Markov chain (d = 4, flip 1/5)
    with 2 steps, the first step reveals ⌊4·(1 − s/t)⌋ = 1 position among four whose confidences all tie
    (marginals (1/2, 1/2)), so the tie mass is 1 and 'index' and 'uniform' give different laws."""
    law = binary_symmetric_markov(4, "1/5")
    a = profiles.run(f"dream.{alg}", law, 2, ties="index")
    b = profiles.run(f"dream.{alg}", law, 2, ties="uniform")
    assert a.info["tie_mass"] == 1 and b.info["tie_mass"] == 1
    assert a.info["ties"] == "index" and b.info["ties"] == "uniform"
    assert tv(a.law, b.law) > 0
    assert a.law.total() == 1 and b.law.total() == 1


def test_dream_tie_mass_zero_without_ties():
    """Distinct marginals and conditionals: no tie at any cut, tie mass 0 and the rules agree."""
    from mdtheory.laws import Law
    from mdtheory.spaces import ProductSpace

    law = Law(ProductSpace(2, 3), [Fraction(k + 1, 36) for k in range(8)], "exact")
    a = profiles.run("dream.topk_margin", law, 3, ties="index")
    b = profiles.run("dream.topk_margin", law, 3, ties="uniform")
    assert a.info["tie_mass"] == 0 and tv(a.law, b.law) == 0


def test_torch_rule_matches_torch_topk_on_ties():
    """ties='torch' (optional extra) is torch.topk's own choice on tied values, checked against torch.topk on
    tied confidence vectors (four values tied at 1/2 as in issue 14's Markov case, and a tie at the cut
    below a strict leader); a full run under 'torch' reports the tie mass and loses no mass."""
    torch = pytest.importorskip("torch")
    from mdtheory.samplers.profiles._base import _select
    from mdtheory.tiers import get_tier

    ex = get_tier("exact")
    for vals in ([Fraction(1, 2)] * 4, [Fraction(1, 3), Fraction(3, 4), Fraction(1, 3), Fraction(1, 3)]):
        for k in (1, 2, 3):
            _, idx = torch.topk(torch.tensor([[float(v) for v in vals]], dtype=torch.float64), k=k, dim=1)
            expect = tuple(sorted(int(i) for i in idx[0].tolist()))
            assert _select({j: v for j, v in enumerate(vals)}, k, ex, "torch") == [(expect, 1)]
    law = binary_symmetric_markov(4, "1/5")
    r = profiles.run("llada.low_confidence", law, 4, ties="torch")
    assert r.law.total() == 1 and r.info["tie_mass"] == 1 and r.info["ties"] == "torch"
