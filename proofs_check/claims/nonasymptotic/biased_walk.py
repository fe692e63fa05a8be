"""ND claims on the biased walk on N^d (truncated lattice with an absorbing overflow level): stationarity and gap
(NW1), KL to the geometric law (NW2), backward rates (NW3), the truncation tail (NW4), the boundary identity
(V5), monotonicity of the centred functionals (V5m) and the counterexamples outside the class (V5n)."""

from __future__ import annotations

import itertools
from fractions import Fraction

from flint import acb_mat, arb, fmpq

from mdtheory import generators
from mdtheory.laws import Law
from mdtheory.logsum import LogSum
from mdtheory.propagate import forward
from mdtheory.scores import backward_generator, score_functional_derivative
from mdtheory.spaces import TruncatedLattice
from mdtheory.tiers import get_tier

from ...claim import Claim, Comparison, Control, Param
from ._common import PAPER, _CUBE, _DER, _OVF, _brw, _brw_law, _cert, _eq, _full_support, _mono, _overflow_exact

__all__ = ["CLAIMS"]

# =============================================================================================
# ND-NW1..4  biased walk on N^d
# =============================================================================================


def _nw_instances(size, params):
    ab = {"small": [("1/2", "1"), ("1/5", "1"), ("9/10", "1")], "medium": [("1/2", "1"), ("1/5", "1"), ("9/10", "1"),
                                                                       ("1", "3")],
          "large": [("1/2", "1"), ("1/20", "1"), ("19/20", "1"), ("1", "3")]}[size]
    return [{"name": f"a={a},b={b}", "a": a, "b": b} for a, b in ab]


def _check_nw1(inst, params, tier, gap_formula="sqrt"):
    """Geom(ρ) is stationary and reversible (exact balance); gap of the reflecting chain on {0..n−1}
    lies in [(√b−√a)², (√b−√a)² + 2√(ab)(1 − cos(π/n))] (certified eigenvalues), → (√b−√a)²."""
    a, b = Fraction(inst["a"]), Fraction(inst["b"])
    rho = a / b
    pi = [(1 - rho) * rho**k for k in range(40)]
    out = [_eq(pi[k] * a, pi[k + 1] * b, f"detailed balance {k}↔{k + 1}") for k in range(39)]
    out.append(_eq(pi[1] * b - pi[0] * a, 0, "(πQ)(0) = 0"))
    T = _cert(tier)
    with T.active():
        sa, sb = T.sqrt(T.scalar(a)), T.sqrt(T.scalar(b))
        gap = (sb - sa) ** 2
        if gap_formula == "drift":  # the near miss: b − a, the drift toward 0, as the gap
            gap = T.scalar(b - a)
        for n in (6, 12):
            Q = [[fmpq(0)] * n for _ in range(n)]
            for k in range(n):
                if k + 1 < n:
                    Q[k][k + 1] = fmpq(a.numerator, a.denominator)
                if k > 0:
                    Q[k][k - 1] = fmpq(b.numerator, b.denominator)
                Q[k][k] = -sum(Q[k][j] for j in range(n) if j != k)
            ev = acb_mat([[v for v in row] for row in Q]).eig()
            reals = sorted((-e.real for e in ev), key=lambda z: float(z.mid()))
            nonzero = reals[1]
            upper = gap + 2 * sa * sb * (1 - (arb.pi() / n).cos())
            out += [Comparison(abs(reals[0]), T.scalar(Fraction(1, 2**80)), "<=", f"n={n}: eigenvalue 0"),
                    Comparison(gap, nonzero, "<=", f"n={n}: (√b−√a)² ≤ gap"),
                    Comparison(nonzero, upper + T.scalar(Fraction(1, 2**80)), "<=", f"n={n}: gap ≤ (√b−√a)² + 2√(ab)(1−cos π/n)")]
    return out


def _check_nw2(inst, params, tier, d_times=True):
    """KL(μ ‖ Geom(ρ)^{⊗d}) = −H(μ) + log(1/ρ)·Σ_i E X^i + d·log(1/(1−ρ)), exactly (LogSums)."""
    if tier.name != "exact":
        raise ValueError("ND-NW2 is an exact LogSum identity; run it in the exact tier")
    a, b = Fraction(inst["a"]), Fraction(inst["b"])
    rho = a / b
    out = []
    for d in (1, 2):
        pts = list(itertools.product(range(4), repeat=d))
        w = _full_support(f"nw2-{inst['name']}-{d}", len(pts))
        mu = {x: Fraction(v) for x, v in zip(pts, w)}
        lhs = LogSum.zero()
        negH = LogSum.zero()
        mean = Fraction(0)
        for x, p in mu.items():
            pi = Fraction(1)
            for c in x:
                pi *= (1 - rho) * rho**c
            lhs = lhs + LogSum({p / pi: p})
            negH = negH + LogSum({p: p})
            mean += p * sum(x)
        rhs = negH + LogSum({1 / rho: mean}) + LogSum({1 / (1 - rho): d if d_times else 1})
        out.append(Comparison(lhs, rhs, "==", f"d={d}"))
    return out


def _brw_full_instances(size, params):
    out = []
    for L, d, a in ((6, 1, "1/2"), (6, 1, "1/5"), (4, 2, "1/2")):
        pts = list(itertools.product(range(L + 2), repeat=d))  # every level, the overflow level included
        w = _full_support(f"brw-{L}-{d}-{a}", len(pts))
        out.append({"name": f"L={L},d={d},a={a},b=1", "L": L, "d": d, "a": a, "b": 1,
                    "law": {",".join(map(str, x)): v for x, v in zip(pts, w)}})
    return out


def _check_nw3(inst, params, tier, down_at_x=False):
    """Backward rates of the biased walk: x→x+e_i at a·v(x)_i, x→x−e_i at b/v(x−e_i)_i (exact, full support)."""
    law, gen = _brw_law(inst), _brw(inst)
    a, b = Fraction(inst["a"]), Fraction(inst["b"])
    rho = a / b
    p = law.probs
    space = law.space
    Qb = backward_generator(p, gen, "exact")
    L, d = inst["L"], inst["d"]
    out = []

    def v(x, i):
        y = list(x)
        y[i] += 1
        return p[tuple(y)] / (fmpq(rho.numerator, rho.denominator) * p[x])

    for x in itertools.product(range(L + 1), repeat=d):
        if p[x] == 0:
            continue
        for i in range(d):
            if x[i] + 1 <= L:
                y = list(x)
                y[i] += 1
                out.append(Comparison(Qb[space.index(x), space.index(tuple(y))], fmpq(a.numerator, a.denominator) * v(x, i),
                                      "==", f"up rate at {x}, i={i}"))
            if x[i] >= 1:
                y = list(x)
                y[i] -= 1
                at = x if down_at_x else tuple(y)  # near miss: the relative score read at x instead of x − e_i
                if down_at_x and x[i] + 1 > L:
                    continue
                out.append(Comparison(Qb[space.index(x), space.index(tuple(y))],
                                      fmpq(b.numerator, b.denominator) / v(at, i), "==", f"down rate at {x}, i={i}"))
    return out


def _nw4_instances(size, params):
    return [{"name": f"a={a},supp<={k},L={L}", "a": a, "b": 1, "top": k, "L": L}
            for a, k, L in (("1/2", 2, 10), ("1/5", 3, 8), ("1/2", 0, 12))]


def _check_nw4(inst, params, tier, drop_top=False):
    """P(X_t ≥ L) ≤ ρ^{L − max supp μ} (coupling with Geom(ρ)), on a larger lattice L' = L + 8 (its overflow
    counted in the tail: an upper bound on the untruncated tail); TV(p^{(L)}_t, p^{(L')}_t) ≤ overflow mass of L."""
    T = _cert(tier)
    a, b, L, top = Fraction(inst["a"]), Fraction(inst["b"]), inst["L"], inst["top"]
    rho = a / b
    Lp = L + 40
    w = _full_support(f"nw4-{top}", top + 1)
    out = []
    for t in ("1/2", "3", "20"):
        big = Law(TruncatedLattice(Lp, 1), {(k,): Fraction(w[k]) for k in range(top + 1)}, T)
        small = Law(TruncatedLattice(L, 1), {(k,): Fraction(w[k]) for k in range(top + 1)}, T)
        pb = forward(big, generators.biased_walk(Lp, 1, a, b), t=t, tier=T).probs
        ps = forward(small, generators.biased_walk(L, 1, a, b), t=t, tier=T).probs
        tail = sum(pb[L:], T.zero)
        # the near miss drops the start's support: ρ^L, the stationary tail (exceeded while mass started high)
        out.append(Comparison(tail, T.scalar(rho ** (L if drop_top else L - top)), "<=",
                              f"t={t}: P(X_t ≥ L) ≤ ρ^(L{'' if drop_top else '−top'})"))
        ovf = ps[L + 1]
        diff = sum((abs(ps[k] - pb[k]) for k in range(L + 1)), T.zero) + abs(ovf - sum(pb[L + 1:], T.zero))
        out.append(Comparison(diff / 2, ovf, "<=", f"t={t}: TV(truncated at L, at L') ≤ overflow(L)"))
    return out


# =============================================================================================
# ND-V5, V5m, V5n  biased walk
# =============================================================================================


def _check_v5(inst, params, tier, boundary=True):
    """∂_s v − L̄v = b(1 − v)·1{x_i = 0} (exact, full-support p; x_i ≤ L − 2 away from the truncation);
    Bregman + boundary + truncation form = direct chain rule (exact, Φ ∈ {χ², u, u³})."""
    E = get_tier("exact")
    law, gen = _brw_law(inst, E), _brw(inst)
    a, b = Fraction(inst["a"]), Fraction(inst["b"])
    A, B = fmpq(a.numerator, a.denominator), fmpq(b.numerator, b.denominator)
    rho = A / B
    L, d = inst["L"], inst["d"]
    space = law.space
    p = law.probs
    flat = p.reshape(-1)
    Q = gen.dense("exact")
    Qb = backward_generator(p, gen, E)
    pdot = flat.dot(Q)
    out = []
    for i in range(d):
        def up(x):
            y = list(x)
            y[i] += 1
            return tuple(y)

        def v(x):
            return flat[space.index(up(x))] / (rho * flat[space.index(x)])

        for x in itertools.product(range(L + 1), repeat=d):
            if x[i] > L - 2 or any(c > L - 1 for c in x):
                continue
            xi, ui = space.index(x), space.index(up(x))
            dv = (pdot[ui] * flat[xi] - flat[ui] * pdot[xi]) / (rho * flat[xi] ** 2)
            Lv = fmpq(0)
            for yi in range(space.size):
                if yi != xi and Qb[xi, yi] != 0:
                    Lv += Qb[xi, yi] * (v(space.state(yi)) - v(x))
            rhs = B * (1 - v(x)) if x[i] == 0 and boundary else fmpq(0)  # no boundary term: the near miss
            out.append(Comparison(dv - Lv, rhs, "==", f"boundary identity at {x}, i={i}"))
    if not boundary:
        return out
    for phi in ("chi2", "identity", _CUBE):
        br = score_functional_derivative(law, gen, phi, t=0, tier=E)
        di = score_functional_derivative(law, gen, phi, t=0, method="direct", tier=E)
        out.append(Comparison(br.value, di.value, "==", f"Φ={getattr(phi, 'name', phi)}: derivative identity"))
    return out


def _v5m_instances(size, params):
    return [{"name": "L=10,d=1,a=1/2,δ_0", "L": 10, "d": 1, "a": "1/2", "b": 1, "law": {"0": "1"}},
            {"name": "L=10,d=1,a=1/2,0.1δ_0+0.9δ_1", "L": 10, "d": 1, "a": "1/2", "b": 1, "law": {"0": "1/10", "1": "9/10"}},
            {"name": "L=10,d=1,a=1/5,mix", "L": 10, "d": 1, "a": "1/5", "b": 1, "law": {"0": "1/4", "2": "3/4"}},
            {"name": "L=8,d=2,a=1/5", "L": 8, "d": 2, "a": "1/5", "b": 1,
             "law": {"0,0": "1/2", "1,0": "1/4", "0,1": "1/4"}}]


def _overflow_gate(bound, tol, what: str) -> Fraction:
    """The exact upper end of a certified overflow bound, refused when missing (never read as 0) or above ``tol``:
    a truncation too coarse is an error of the computation (raise L), not a refutation of the mathematics."""
    ovf = _overflow_exact(bound)
    if ovf > Fraction(tol):
        raise ValueError(f"{what}: certified overflow mass {float(ovf):.3g} > overflow_tol = {tol}; "
                         "the truncation level L is too low for this interval (raise L)")
    return ovf


def _truncation_effect(inst, phi, ts, extra: int, T):
    """max over the times ``ts`` of |dF/dt at level L − dF/dt at level L + extra| (certified balls, direct derivative):
    the measured effect of the truncation on the derivative, added to the sign decision."""
    hi = dict(inst, L=inst["L"] + extra)
    worst = T.zero
    for t in ts:
        a = score_functional_derivative(_brw_law(inst), _brw(inst), phi, t=t, method="direct", tier=T).value
        b = score_functional_derivative(_brw_law(hi), _brw(hi), phi, t=t, method="direct", tier=T).value
        with T.active():
            dif = abs(a - b)
        if float(dif.upper()) > float(worst.upper()):
            worst = dif
    return arb(worst.upper())  # a certified upper bound, as a point


def _check_v5m(inst, params, tier):
    """E Φ(v_s) non-increasing on [t_min, t_max] (certify_monotone, direct derivative) for the chains truncated at
    level L AND at level L′ = L + extra_levels, each on the whole interval; the truncation effect |F'_L − F'_L′|
    (certified balls at 5 times) is added to L's margin and reported; the overflow mass of each level is a gate
    (an error when above overflow_tol or missing), separate from the verdict."""
    T = _cert(tier)
    law, gen = _brw_law(inst), _brw(inst)
    hi_inst = dict(inst, L=inst["L"] + params["extra_levels"])
    law2, gen2 = _brw_law(hi_inst), _brw(hi_inst)
    phis = ("kl", "burg", "chi2", "hellinger") if inst["d"] == 1 else ("chi2",)
    lo, hi = Fraction(params["t_min"]), Fraction(params["t_max"])
    ts = [lo + (hi - lo) * j / 4 for j in range(5)]
    iv = (params["t_min"], params["t_max"])
    out = []
    for phi in phis:
        name = f"Φ={getattr(phi, 'name', phi)}"
        c = _mono(f"{name}, level L={inst['L']}", law, gen, phi, iv, T, initial_pieces=8, max_evaluations=600)
        c2 = _mono(f"{name}, level L′={hi_inst['L']}", law2, gen2, phi, iv, T, initial_pieces=8, max_evaluations=600)
        for cc, lev in ((c, inst["L"]), (c2, hi_inst["L"])):
            ovf = _overflow_gate(cc.info.get("overflow_bound"), params["overflow_tol"], f"{name} at level {lev}")
            cc.info["overflow_bound"] = float(ovf)
        trunc = _truncation_effect(inst, phi, ts, params["extra_levels"], T)
        c.info.update({"truncation_effect (5 times)": float(trunc.upper()), "levels": [inst["L"], hi_inst["L"]]})
        out.append(Comparison(c.lhs + trunc, c.rhs, c.relation,
                              f"{c.label} + truncation effect |F'_L − F'_L′| at 5 times", c.info))
        out.append(c2)
    return out


def _check_v5m_not_centred(inst, params, tier):
    """Control: Φ = u log u, convex but not centred (Φ'(u)(u−1) < 0 on (1/e, 1)): outside the class.  Claimed
    non-increasing at 5 times of [t_min, t_max] (direct derivative, certified balls; no Bregman term)."""
    T = _cert(tier)
    lo, hi = Fraction(params["t_min"]), Fraction(params["t_max"])
    law, gen = _brw_law(inst), _brw(inst)
    return [Comparison(score_functional_derivative(law, gen, "ulogu", t=t, method="direct", tier=T).value, T.zero, "<=",
                       f"Φ=u log u: dF/dt ≤ 0 at t={t}") for t in (lo + (hi - lo) * j / 4 for j in range(5))]


def _v5n_instances(size, params):
    geo = {str(k): str(Fraction(4, 5) * Fraction(1, 5) ** k) for k in range(6)}
    geo["6"] = str(1 - sum(Fraction(v) for v in geo.values()))  # Geom(1/5) with its tail folded on level 6
    return [{"name": "δ_0", "L": 14, "d": 1, "a": "1/2", "b": 1, "law": {"0": "1"}},
            {"name": "½δ_0+½δ_1", "L": 14, "d": 1, "a": "1/2", "b": 1, "law": {"0": "1/2", "1": "1/2"}},
            {"name": "0.1δ_0+0.9δ_1", "L": 14, "d": 1, "a": "1/2", "b": 1, "law": {"0": "1/10", "1": "9/10"}},
            {"name": "Geom(1/5) (tail on 6)", "L": 18, "d": 1, "a": "1/2", "b": 1, "law": geo}]


def _v5n_flipped(out, tier):
    """Control: the sense flipped — E[v log v] claimed non-increasing (dF/dt ≤ 0) at the witness time."""
    return [Comparison(c.lhs, c.rhs, "<=", c.label.replace("> 0", "≤ 0 (flipped)"), c.info) if c.relation == ">" else c
            for c in out]


def _check_v5n(inst, params, tier):
    """A certified time where d/dt E[v log v] > 0 (not monotone), and where d/dt E[v] ≠ 0 (not conserved)."""
    T = _cert(tier)
    law, gen = _brw_law(inst), _brw(inst)
    out = []
    for phi in ("ulogu", "identity"):
        best = None
        for t in ("1/2", "1", "2", "3", "5"):
            dv = score_functional_derivative(law, gen, phi, t=t, tier=T)
            if best is None or float(dv.value.mid()) > float(best[1].value.mid()):
                best = (t, dv)
        t, dv = best
        # the witness must survive the truncation: its margin loses the certified |F'_L − F'_L′| at t
        hi = dict(inst, L=inst["L"] + params["extra_levels"])
        dv2 = score_functional_derivative(_brw_law(hi), _brw(hi), phi, t=t, tier=T)
        with T.active():
            trunc = arb(abs(dv.value - dv2.value).upper())
        info = {"t": t, "overflow_bound": dv.overflow_bound, "truncation_effect": float(trunc.upper()),
                "levels": [inst["L"], hi["L"]]}
        out.append(Comparison(dv.value - trunc, T.zero, ">",
                              f"Φ={phi}: dF/dt − |F'_L − F'_L′| > 0 at t={t}", info))
        _overflow_gate(dv.overflow_bound, params["overflow_tol"], f"Φ={phi} at t={t}")
    return out


CLAIMS = [
    Claim(
        id="ND-NW1", paper=PAPER, kind="inequality", provenance="derived-and-exact", default_tier="certified",
        statement=_DER + "Biased walk: Geom(ρ), ρ = a/b, is stationary and reversible (exact detailed balance); the "
                  "per-coordinate gap is (√b − √a)² (the reflecting chain on {0..n−1} has gap in "
                  "[(√b−√a)², (√b−√a)² + 2√(ab)(1−cos π/n)], certified eigenvalues).",
        formula="π(k)a = π(k+1)b;  (√b−√a)² ≤ gap_n ≤ (√b−√a)² + 2√(ab)(1 − cos(π/n))",
        check=_check_nw1, instances=_nw_instances,
        controls=[Control("gap b − a", check=lambda i, p, t: _check_nw1(i, p, t, gap_formula="drift"),
                          doc="the drift b − a (a neighbouring formula) exceeds the gap of the reflecting chains")]),
    Claim(
        id="ND-NW2", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement=_DER + "KL(μ‖Geom(ρ)^{⊗d}) = −H(μ) + log(1/ρ)·Σ_i E_μ X^i + d·log(1/(1−ρ)) (exact LogSums).",
        formula="KL(μ ‖ Geom(ρ)^{⊗d}) = −H(μ) + log(1/ρ) Σ_i E X^i + d log(1/(1−ρ))",
        check=_check_nw2, instances=_nw_instances,
        controls=[Control("log(1/(1−ρ)) once, not d times", check=lambda i, p, t: _check_nw2(i, p, t, d_times=False),
                          doc="the normalising term counted once is refuted for d = 2")]),
    Claim(
        id="ND-NW3", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement=_DER + "Biased-walk backward rates in terms of the relative score v = p(x+e_i)/(ρ p(x)): "
                  "up a·v(x)_i, down b/v(x−e_i)_i.",
        formula="q̄(x, x+e_i) = a v(x)_i;  q̄(x, x−e_i) = b / v(x−e_i)_i",
        check=_check_nw3, instances=_brw_full_instances,
        controls=[Control("down rate read at x", check=lambda i, p, t: _check_nw3(i, p, t, down_at_x=True),
                          doc="b / v(x)_i (off by one: the relative score at x, not x − e_i) is not the down rate")]),
    Claim(
        id="ND-NW4", paper=PAPER, kind="inequality", provenance="derived-and-exact", default_tier="certified",
        statement=_DER + "Truncation tail: P(X_t^i ≥ L) ≤ ρ^{L − max supp μ^i} for all t; the overflow mass of the "
                  "lattice truncated at L bounds the TV error of the truncation.",
        formula="P(X_t ≥ L) ≤ ρ^{L − max supp μ};  TV(p^{(L)}_t, p^{(L')}_t) ≤ P^{(L)}(overflow by t)",
        check=_check_nw4, instances=_nw4_instances,
        controls=[Control("max supp μ dropped", check=lambda i, p, t: _check_nw4(i, p, t, drop_top=True),
                          doc="P(X_t ≥ L) ≤ ρ^L (the stationary tail, the start's support ignored) is exceeded")]),
    Claim(
        id="ND-V5", paper=PAPER, kind="identity", relation="==", provenance="derived-and-exact",
        statement=_DER + "Biased walk: ∂_s v − L̄v = b(1 − v)·1{x_i = 0} (reflecting-0 boundary term) and the "
                  "derivative identity d/ds E Φ(v) = −E Σ q̄ B_Φ − b E[1{x_i=0}Φ'(v)(v−1)] (+ truncation term) "
                  "equals the direct chain rule (exact, full-support rational laws).",
        formula="∂_s v − L̄_s v = b (1 − v) 1{x_i = 0}",
        check=_check_v5, instances=_brw_full_instances,
        controls=[Control("boundary term dropped", check=lambda i, p, t: _check_v5(i, p, t, boundary=False),
                          doc="∂_s v = L̄v at x_i = 0 too (the random walk's martingale identity) fails at the boundary")]),
    Claim(
        id="ND-V5m", paper=PAPER, kind="inequality", provenance="derived-and-exact", default_tier="certified",
        statement=_DER + "Biased walk: E Φ(v_s) is non-increasing in forward time for Φ convex with Φ'(u)(u−1) ≥ 0 "
                  "(u log u − u + 1, u − 1 − log u, (u−1)², (√u−1)²).  Scope: certified on the whole interval "
                  "[t_min, t_max] (direct derivative, bisection) for the chain truncated at level L and for the chain "
                  "truncated at L′ = L + extra_levels, each separately; the untruncated chain on N^d is supported, not "
                  "proved: the truncation effect |F'_L − F'_L′| (certified balls at 5 times of the interval, not a "
                  "bound over it) is reported and added to level L's margin.  The overflow mass of each level is a "
                  "gate, not part of the verdict: above overflow_tol (or missing) the check is an error.",
        formula="Φ convex, Φ'(u)(u−1) ≥ 0  ⇒  d/ds E Φ(v_s) ≤ 0",
        check=_check_v5m, instances=_v5m_instances,
        params=[Param("t_min", "1/10", "rational", "start of the certified interval"),
                Param("t_max", "3", "rational", "end of the certified interval"), _OVF,
                Param("extra_levels", 4, "int", "L′ = L + extra_levels: the second truncation level of the truncation effect",
                      domain=">= 1")],
        controls=[Control("Φ = u log u (not centred)", check=_check_v5m_not_centred,
                          doc="convex but outside the class: E[v log v] increases somewhere (direct derivative, no fallback)")]),
    Claim(
        id="ND-V5n", paper=PAPER, kind="inequality", provenance="derived-and-exact", default_tier="certified",
        statement=_DER + "Biased walk, outside the class: E[v log v] increases somewhere in forward time for "
                  "μ ∈ {δ_0, ½δ_0+½δ_1, 0.1δ_0+0.9δ_1, Geom(0.2)} (a = 1/2, b = 1), and E[v] is not conserved "
                  "(certified derivative signs of the chain truncated at L, minus the certified truncation effect "
                  "|F'_L − F'_L′| at the witness time; the overflow mass gated by overflow_tol).",
        formula="∃ t: d/dt E[v_t log v_t] > 0;  ∃ t: d/dt E[v_t] ≠ 0",
        check=_check_v5n, instances=_v5n_instances,
        params=[_OVF, Param("extra_levels", 4, "int", "L′ = L + extra_levels: the witness margin loses |F'_L − F'_L′|",
                            domain=">= 1")],
        controls=[Control("sense flipped", transform=_v5n_flipped,
                          doc="claiming E[v log v] non-increasing at the witness time is refuted")]),
]
