"""Foundations: derived-and-exact facts about laws, TV and masking that the papers rely on (and one fitted shape).

These claims belong to no paper (``--paper foundations``, prefix ``FD``).  They
are derived independently and hold exactly, so they serve as ground truth for
the machinery: products of laws, exact total variation, the per-token masking
kernel, the exponential clock in the certified tier (with automatic precision
raising on tiny times) and an empirical √d shape (FD-R1: a fit, labelled
reconstructed, never 'proved').

=======  =====================================================================
FD-TV1   TV(⊗p_i, ⊗q_i) ≤ 1 − ∏(1 − TV(p_i, q_i))   (coupling bound)
FD-TV2   max_i TV(p_i, q_i) ≤ TV(⊗p_i, ⊗q_i)          (marginals contract TV)
FD-M1    propagate.forward (masking) = α^|U|(1−α)^|M| p_U(x_U)
FD-M2    TV(q_α, p_0) = 1 − α^d and TV(q_α, δ_MASK) = 1 − (1−α)^d
FD-E1    S_2j(t) ≤ 1 − e^{−t} ≤ S_2j+1(t) (Taylor partial sums; certified)
FD-P1    TV(p, q)² ≤ c·KL(p‖q), c = 1/2      (Pinsker; c is a Sharp parameter)
FD-R1    TV(Ber(1/2)^⊗d, Ber(1/2+ε)^⊗d) ≈ ε·√(2/π)·√d   (exponent 1/2; empirical)
=======  =====================================================================

>>> from mdtheory.tiers import get_tier
>>> ex = get_tier("exact")
>>> total_variation(ex.array(["1/2", "1/2"]), ex.array(["1", "0"]), tier=ex)
1/2
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np

from mdtheory import divergences
from mdtheory.divergences import tv as total_variation
from mdtheory.generators import masking
from mdtheory.propagate import forward
from mdtheory.laws import Law
from mdtheory.spaces import MaskedSpace, ProductSpace, check_fits

from ..claim import Claim, Comparison, Control, Family, Paper, Param, Scope, Series, Sharp
from ..search import KINDS, random_law

PAPER = Paper("foundations", "mdtheory foundations (derived identities, not from a paper)", arxiv=None, prefix="FD")


# -- helpers ------------------------------------------------------------------------------------
def _product_law(tier, vectors) -> Law:
    """The product law ⊗ vectors on Z_m^d, as a validated :class:`~mdtheory.laws.Law`."""
    space = ProductSpace(len(vectors[0]), len(vectors))
    check_fits(space.size, 100, f"the product law on Z_{space.m}^{space.d}", copies=2)  # before allocating
    arr = tier.array(vectors[0])
    for v in vectors[1:]:
        arr = np.multiply.outer(arr, tier.array(v))
    return Law(space, arr, tier)


def _pairs_instances(size, params):
    """Product pairs with d ≥ 2 and 0 < TV < 1: random pairs, close pairs q_i = (1−η)p_i + η·r_i (the coupling
    bound is then far from the worst coordinate), and point mass vs random (the bound is attained)."""
    grid = {"small": [(2, 2), (3, 2), (2, 3), (2, 4)], "medium": [(2, 2), (3, 2), (2, 3), (3, 3), (4, 3), (2, 5)],
            "large": [(2, 2), (3, 3), (4, 3), (2, 5), (3, 5), (4, 4), (2, 8), (3, 6), (2, 10)]}[size]
    out = []
    for m, d in grid:
        rng = random.Random(f"{m}-{d}-pairs")
        base = [Fraction(1, 2 * m) + x / 2 for x in random_law(rng, m, "dirichlet", 24)]  # full support
        p = [[str(x) for x in base] for _ in range(d)]
        for eta in ("1/10", "1/3"):
            e = Fraction(eta)
            near = []
            for _ in range(d):
                r = random_law(rng, m, "dirichlet", 24)
                near.append([str((1 - e) * a + e * Fraction(b)) for a, b in zip(base, r)])
            out.append({"name": f"m={m},d={d},close eta={eta}", "m": m, "d": d, "p": p, "q": near})
        q = [[str(x) for x in base]] * d
        point = [["1"] + ["0"] * (m - 1)] * d
        out.append({"name": f"m={m},d={d},point vs full support (bound attained)", "m": m, "d": d, "p": point,
                    "q": q})
    # corner cases once: equal laws (TV 0) and disjoint supports (TV 1)
    e = [["1", "0"]] * 2
    f = [["0", "1"]] * 2
    out.append({"name": "m=2,d=2,equal", "m": 2, "d": 2, "p": e, "q": e})
    out.append({"name": "m=2,d=2,disjoint", "m": 2, "d": 2, "p": e, "q": f})
    return out


def _pairs_family():
    return Family(
        laws=lambda params: {f"{w}{i}": int(params["m"]) for w in "pq" for i in range(int(params["d"]))},
        build=lambda laws, params, rng: {
            "m": int(params["m"]), "d": int(params["d"]),
            "p": [[str(x) for x in laws[f"p{i}"]] for i in range(int(params["d"]))],
            "q": [[str(x) for x in laws[f"q{i}"]] for i in range(int(params["d"]))],
        },
    )


def _tv_parts(inst, tier):
    P = _product_law(tier, inst["p"])
    Q = _product_law(tier, inst["q"])
    joint = total_variation(P.probs, Q.probs, tier=tier)
    parts = [total_variation(tier.array(a), tier.array(b), tier=tier) for a, b in zip(inst["p"], inst["q"])]
    return joint, parts, P.space.size


def _check_tv1(inst, params, tier):
    joint, parts, n = _tv_parts(inst, tier)
    overlap = tier.one
    for t in parts:
        overlap = overlap * (tier.one - t)
    return Comparison(joint, tier.one - overlap, "<=", "coupling bound", {"states": n})


def _check_tv2(inst, params, tier):
    joint, parts, n = _tv_parts(inst, tier)
    return [Comparison(t, joint, "<=", f"coordinate {i}", {"states": n}) for i, t in enumerate(parts)]


_SEARCH_PARAMS = [Param("m", 2, "int", "alphabet size of the searched laws (search only)", domain=">= 2", search_only=True),
                  Param("d", 3, "int", "number of factors of the searched laws (search only)", domain=">= 1",
                        search_only=True)]


# controls: near misses that must be refuted on the same instances
def _ctl_tv1_worst_coordinate(inst, params, tier):
    """Near miss of FD-TV1: the joint TV bounded by the worst coordinate alone (false once d ≥ 2)."""
    joint, parts, n = _tv_parts(inst, tier)
    worst = parts[0]
    for t in parts[1:]:
        worst = t if tier.compare(t, worst) == 1 else worst
    return Comparison(joint, worst, "<=", "TV <= max_i TV_i", {"states": n})


def _ctl_tv2_sum(inst, params, tier):
    """Near miss of FD-TV2: the sum (not the max) of the coordinate TVs below the joint TV."""
    joint, parts, n = _tv_parts(inst, tier)
    return Comparison(sum(parts, tier.zero), joint, "<=", "sum_i TV_i <= TV", {"states": n})


# -- masking ----------------------------------------------------------------------------------------
def _forward_masking(tier, p0: Law, alpha) -> Law:
    """q_α from the library's forward engine (``mdtheory.propagate.forward``, mode products of the masking
    generator's per-coordinate kernels): the object under test, compared with closed forms computed here."""
    return forward(p0, masking(p0.space.m, p0.space.d), alpha=alpha, tier=tier)


def _closed_form(tier, p0: Law, alpha, y):
    m, d = p0.space.m, p0.space.d
    U = [i for i in range(d) if y[i] != m]
    others = tuple(i for i in range(d) if i not in U)
    marg = p0.probs.sum(axis=others) if others else p0.probs
    pu = marg[tuple(y[i] for i in U)] if U else tier.total(p0.probs)
    return alpha ** len(U) * (tier.one - alpha) ** (d - len(U)) * pu


def _masking_instances(size, params):
    grid = {"small": [(2, 2), (3, 2), (2, 3)], "medium": [(2, 2), (3, 2), (2, 3), (3, 3), (2, 4)],
            "large": [(3, 3), (2, 4), (4, 3), (2, 6)]}[size]
    more = ["1/2", "1/7", "5/6", "2/5", "3/11"]
    out = []
    for m, d in grid:
        rng = random.Random(f"mask-{m}-{d}")
        law = [str(x) for x in random_law(rng, m**d, "dirichlet", 60)]
        # each identity is a polynomial of degree d in alpha: d + 1 distinct points prove it for every alpha
        alphas = ["0", "1/3", "9/10", "1"] + more[: max(0, d + 1 - 4)]
        for a in alphas:
            out.append({"name": f"m={m},d={d},alpha={a}", "m": m, "d": d, "alpha": a, "p0": law})
    return out


def _p0(inst, tier) -> Law:
    return Law(ProductSpace(inst["m"], inst["d"]), inst["p0"], tier)


def _check_m1(inst, params, tier):
    p0 = _p0(inst, tier)
    alpha = tier.scalar(inst["alpha"])
    q = _forward_masking(tier, p0, alpha)
    comps = [Comparison(q.probs[y], _closed_form(tier, p0, alpha, y), "==", f"state {y}", {"states": q.space.size})
             for y in q.space.states()]
    comps.append(Comparison(q.total(), tier.one, "==", "total mass"))
    return comps


def _ctl_m1_swapped(inst, params, tier):
    """Near miss of FD-M1: the keep and mask probabilities swapped in the closed form."""
    p0 = _p0(inst, tier)
    alpha = tier.scalar(inst["alpha"])
    q = _forward_masking(tier, p0, alpha)
    return [Comparison(q.probs[y], _closed_form(tier, p0, tier.one - alpha, y), "==", f"state {y}")
            for y in q.space.states()]


def _ctl_m2_exponent(inst, params, tier):
    """Near miss of FD-M2: the exponent d replaced by d − 1."""
    p0 = _p0(inst, tier)
    alpha = tier.scalar(inst["alpha"])
    q = _forward_masking(tier, p0, alpha)
    return Comparison(total_variation(q.probs, p0.to_masked().probs, tier=tier), tier.one - alpha ** (inst["d"] - 1), "==",
                      "TV(q_alpha, p0) vs 1 - alpha^(d-1)")


def _check_m2(inst, params, tier):
    p0 = _p0(inst, tier)
    alpha = tier.scalar(inst["alpha"])
    q = _forward_masking(tier, p0, alpha)
    d = inst["d"]
    emb = p0.to_masked()
    dirac = Law.point(q.space, q.space.all_masked(), tier)
    return [
        Comparison(total_variation(q.probs, emb.probs, tier=tier), tier.one - alpha**d, "==", "TV(q_alpha, p0)"),
        Comparison(total_variation(q.probs, dirac.probs, tier=tier), tier.one - (tier.one - alpha) ** d, "==", "TV(q_alpha, mask)"),
    ]


# -- exponential clock (certified) -------------------------------------------------------------------
def _taylor(tier, t, k):
    s, term = tier.zero, tier.one
    for j in range(1, k + 1):
        term = term * t / j
        s = s + term if j % 2 == 1 else s - term
    return s


def _check_e1(inst, params, tier):
    t = tier.scalar(inst["t"])
    j = int(params["j"])
    value = tier.one - tier.exp(-t)
    return [
        Comparison(_taylor(tier, t, 2 * j), value, "<=", f"S_{2 * j}(t) <= 1-exp(-t)"),
        Comparison(value, _taylor(tier, t, 2 * j + 1), "<=", f"1-exp(-t) <= S_{2 * j + 1}(t)"),
    ]


def _ctl_e1_parity(inst, params, tier):
    """Near miss of FD-E1: the odd partial sum claimed as the lower bound (parity swapped)."""
    t = tier.scalar(inst["t"])
    j = int(params["j"])
    return Comparison(_taylor(tier, t, 2 * j + 1), tier.one - tier.exp(-t), "<=", f"S_{2 * j + 1}(t) <= 1-exp(-t)")


def _exp_instances(size, params):
    ts = ["0", "1/1000", "1/2", "1", "3", str(Fraction(1, 2**40))]
    if size != "small":
        ts += ["10", str(Fraction(1, 2**64)), "7/3"]
    if size == "large":
        ts += [str(Fraction(1, 2**100)), "25"]
    return [{"name": f"t={t}" if len(t) < 12 else f"t=2^-{int(Fraction(t).denominator).bit_length() - 1}", "t": t}
            for t in ts]


# -- Pinsker's inequality with its constant (a Sharp parameter) -----------------------------------------
def _check_p1(inst, params, tier):
    P = Law(ProductSpace(len(inst["p"]), 1), inst["p"], tier)
    Q = Law(ProductSpace(len(inst["q"]), 1), inst["q"], tier)
    t = divergences.tv(P, Q)
    return Comparison(t * t, tier.scalar(params["c"]) * divergences.kl(P, Q, prec=getattr(tier, "prec", None)),
                      "<=", "TV^2 <= c KL")


def _ctl_p1_unsquared(inst, params, tier):
    """Near miss of FD-P1: the square on TV dropped (TV ≤ c·KL fails for close laws)."""
    P = Law(ProductSpace(len(inst["p"]), 1), inst["p"], tier)
    Q = Law(ProductSpace(len(inst["q"]), 1), inst["q"], tier)
    return Comparison(divergences.tv(P, Q), tier.scalar(params["c"]) * divergences.kl(P, Q, prec=tier.prec),
                      "<=", "TV <= c KL")


def _pinsker_instances(size, params):
    eps = {"small": ["1/4", "1/16", "1/64"], "medium": ["1/4", "1/16", "1/64", "1/256"],
           "large": ["1/4", "1/16", "1/64", "1/256", "1/1024"]}[size]
    out = [{"name": f"Ber(1/2) vs Ber(1/2+{e})", "p": ["1/2", "1/2"],
            "q": [str(Fraction(1, 2) - Fraction(e)), str(Fraction(1, 2) + Fraction(e))]} for e in eps]
    for kind in KINDS:
        rng = random.Random(f"pinsker-{kind}")
        p = [str(x) for x in random_law(rng, 3, "dirichlet", 30)]
        q = [str(x) for x in random_law(rng, 3, "dirichlet", 30)]
        out.append({"name": f"3 points, {kind}", "p": p, "q": q})
    return out


# -- an empirical shape: sqrt(d) ---------------------------------------------------------------------------
def _binomial_tv(tier, d, eps):
    p = tier.scalar("1/2")
    q = p + eps
    tot = tier.zero
    for k in range(d + 1):
        tot = tot + math.comb(d, k) * abs(p**k * (tier.one - p) ** (d - k) - q**k * (tier.one - q) ** (d - k))
    return tot / 2


def _check_r1(inst, params, tier):
    eps = tier.scalar(inst["eps"])
    ys = []
    for d in inst["ds"]:
        y = _binomial_tv(tier, d, eps)
        if d <= 8:  # cross-check the binomial formula on the full product space
            half = tier.scalar("1/2")
            P = _product_law(tier, [[half, half]] * d)
            Q = _product_law(tier, [[half - eps, half + eps]] * d)
            full = total_variation(P.probs, Q.probs, tier=tier)
            if tier.rigorous:
                bad = tier.compare(full, y) not in (0, None)
            else:
                bad = abs(tier.to_float(full) - tier.to_float(y)) > 1e-9 * (1 + abs(tier.to_float(y)))
            if bad:
                raise ArithmeticError(f"binomial TV formula disagrees with the product-space TV at d={d}")
        ys.append(y)
    return Series(inst["ds"], ys, "d", "TV", {"eps": inst["eps"]})


def _rate_instances(size, params):
    ds = {"small": [8, 16, 32, 64], "medium": [8, 16, 32, 64, 128, 256], "large": [16, 32, 64, 128, 256, 512]}[size]
    return [{"name": f"eps={e},d={ds[0]}..{ds[-1]}", "eps": e, "ds": ds} for e in ("1/64", "1/100")]


CLAIMS = [
    Claim(
        id="FD-TV1", paper=PAPER,
        statement="The TV distance between two product laws is at most one minus the product of the "
                  "per-coordinate overlaps (coupling bound).",
        formula="TV(⊗_i p_i, ⊗_i q_i) ≤ 1 − ∏_i (1 − TV(p_i, q_i))",
        provenance="derived-and-exact", check=_check_tv1, instances=_pairs_instances, params=_SEARCH_PARAMS,
        family=_pairs_family(),
        controls=[Control("bounded by the worst coordinate", check=_ctl_tv1_worst_coordinate,
                          doc="TV(⊗p, ⊗q) ≤ max_i TV(p_i, q_i): the product of overlaps replaced by the worst one")],
        notes="min(ab, cd) ≥ min(a, c)·min(b, d) gives Σ min(P, Q) ≥ ∏ Σ min(p_i, q_i); equality for d = 1.",
    ),
    Claim(
        id="FD-TV2", paper=PAPER,
        statement="TV between product laws is at least the TV of each pair of factors (marginalisation contracts TV).",
        formula="max_i TV(p_i, q_i) ≤ TV(⊗_i p_i, ⊗_i q_i)",
        provenance="derived-and-exact", check=_check_tv2, instances=_pairs_instances, params=_SEARCH_PARAMS,
        family=_pairs_family(),
        controls=[Control("sum instead of max", check=_ctl_tv2_sum,
                          doc="Σ_i TV(p_i, q_i) ≤ TV(⊗p, ⊗q): the max over coordinates replaced by the sum")],
    ),
    Claim(
        id="FD-M1", paper=PAPER, kind="identity", relation="==",
        statement="The library's forward masking marginal (mdtheory.propagate.forward: every coordinate kept with "
                  "probability α) is, state by state, α^|U| (1−α)^|M| times the data marginal on the unmasked set U.",
        formula="q_α(y) = α^{|U(y)|} (1−α)^{d−|U(y)|} p_0,U(y_U)   for all y ∈ {0..m}^d",
        provenance="derived-and-exact", check=_check_m1, instances=_masking_instances,
        controls=[Control("alpha and 1-alpha swapped", check=_ctl_m1_swapped,
                          doc="the closed form with the keep and mask probabilities exchanged")],
        scope=Scope.polynomial("alpha", degree=lambda inst: inst["d"]),
        notes="Left side: the library's forward engine (mdtheory.propagate.forward with the masking generator, "
              "mode products); right side: data marginals summed here.",
    ),
    Claim(
        id="FD-M2", paper=PAPER, kind="identity", relation="==",
        statement="The library's forward masking marginal at keep-probability α (mdtheory.propagate.forward) is at "
                  "TV 1 − α^d from the data law and 1 − (1−α)^d from the all-mask law.",
        formula="TV(q_α, p_0) = 1 − α^d,   TV(q_α, δ_MASK) = 1 − (1 − α)^d",
        provenance="derived-and-exact", check=_check_m2, instances=_masking_instances,
        controls=[Control("exponent d-1", check=_ctl_m2_exponent, doc="1 − α^(d−1) instead of 1 − α^d")],
        scope=Scope.polynomial("alpha", degree=lambda inst: inst["d"]),
        notes="With α = e^{−t} these are SR-L4 and SR-L3 of the sharp-rates notes in the α clock.",
    ),
    Claim(
        id="FD-E1", paper=PAPER, default_tier="certified",
        statement="The per-token masking probability 1 − e^{−t} lies between consecutive Taylor partial sums "
                  "(alternating series); checked with certified balls, raising precision for tiny t.",
        formula="S_{2j}(t) ≤ 1 − e^{−t} ≤ S_{2j+1}(t),  S_k(t) = Σ_{i=1}^k (−1)^{i+1} t^i / i!,  t ≥ 0",
        provenance="derived-and-exact", check=_check_e1, instances=_exp_instances,
        params=[Param("j", 1, "int", "which pair of partial sums (j ≥ 1)", domain=">= 1")],
        controls=[Control("parity swapped", check=_ctl_e1_parity,
                          doc="the odd partial sum S_{2j+1} claimed as a lower bound")],
        notes="At t = 2^-40 the upper margin is about t^4/24 ≈ 2^-165: 128 bits cannot separate the balls, "
              "the runner raises the precision.",
    ),
    Claim(
        id="FD-P1", paper=PAPER, default_tier="certified",
        statement="Pinsker's inequality with its constant as a parameter: the squared total variation is at most "
                  "c times the Kullback–Leibler divergence, c = 1/2 (sharp as the laws approach each other).",
        formula="TV(p, q)^2 ≤ c · KL(p ‖ q),  c = 1/2",
        provenance="derived-and-exact", check=_check_p1, instances=_pinsker_instances,
        params=[Param("c", "1/2", "rational", "the constant of Pinsker's inequality", domain="> 0")],
        controls=[Control("square dropped", check=_ctl_p1_unsquared, doc="TV ≤ c·KL instead of TV² ≤ c·KL")],
        sharp=[Sharp("c")],
        notes="The worked example of a Sharp parameter: c enters linearly, so the sharp value on the instances is "
              "max TV²/KL (a certified ball), just below 1/2 at the closest Bernoulli pair; `proofs-check "
              "sharpness FD-P1` prints it with the slack 1/2 ÷ sharp.",
    ),
    Claim(
        id="FD-R1", paper=PAPER, kind="rate",
        statement="TV between Bernoulli(1/2) and Bernoulli(1/2+ε) product laws grows like √d while ε√d is small "
                  "(constant ε·√(2/π)); an empirical shape check on exact values. Labelled reconstructed, not "
                  "derived-and-exact: the form is the CLT asymptotic and only its exponent is fitted (a fit is never "
                  "'proved').",
        formula="TV(Ber(1/2)^{⊗d}, Ber(1/2+ε)^{⊗d}) ≈ C·d^a with a = 1/2",
        provenance="reconstructed", check=_check_r1, instances=_rate_instances,
        params=[Param("exponent", "1/2", "real", "expected exponent of d"),
                Param("tolerance", "0.05", "real", "allowed deviation of the fitted exponent"),
                Param("min_r2", "0.99", "real", "smallest accepted R² of the log-log fit")],
        controls=[Control("union-bound rate", params={"exponent": "1"},
                          doc="TV ∝ d (the union bound d·ε taken as the rate): exponent 1 in place of 1/2")],
        notes="Each TV value is an exact rational; only the exponent is a fit (never 'proved').",
    ),
]
