"""ND claims (arXiv 2512.00580): derived-and-exact claims prove, reconstructions carry replayable witnesses."""

import json
from fractions import Fraction

import pytest
from flint import arb, fmpq

from mdtheory import Law, ProductSpace, generators
from mdtheory.scores import score_functional, score_functional_derivative
from proofs_check.claims import nonasymptotic as nd
from proofs_check.evaluate import evaluate
from proofs_check.registry import default_registry
from proofs_check.witness import load_witness_text, replay

CLAIMS = {c.id: c for c in nd.CLAIMS}
CHECKLIST = ["ND-G1", "ND-G2", "ND-A1", "ND-ZW1", "ND-ZW2", "ND-ZW3", "ND-ZW4", "ND-MK1", "ND-MK2", "ND-MK3",
             "ND-NW1", "ND-NW2", "ND-NW3", "ND-NW4", "ND-E1", "ND-V1", "ND-V1b", "ND-V2", "ND-V2n", "ND-V3", "ND-V3c",
             "ND-V4", "ND-V4c", "ND-V5", "ND-V5m", "ND-V5n", "ND-T1", "ND-T2", "ND-T3", "ND-T4", "ND-T5"]
PROVENANCE = {"ND-A1": "reconstructed", "ND-T1": "reconstructed", "ND-T5": "reconstructed", "ND-T2": "stated-in-abstract",
              "ND-T3": "stated-in-abstract", "ND-T4": "stated-in-abstract"}
DERIVED = [c.id for c in nd.CLAIMS if c.provenance.value == "derived-and-exact"]


def test_every_checklist_line_is_encoded_with_its_provenance():
    assert set(CHECKLIST) <= set(CLAIMS)
    for cid in CHECKLIST:
        assert CLAIMS[cid].provenance.value == PROVENANCE.get(cid, "derived-and-exact"), cid
    for c in nd.CLAIMS:
        assert c.paper.arxiv == "2512.00580" and c.id.startswith("ND-")
        tag = {"reconstructed": "[reconstructed]", "stated-in-abstract": "[abstract]",
               "derived-and-exact": "[derived"}[c.provenance.value]
        assert tag in c.statement, c.id  # each statement says whose words it is


# the first instance of each derived claim (the full run is `proofs-check run --paper 2512.00580`)
@pytest.mark.parametrize("cid", DERIVED)
def test_derived_claims_prove_on_a_small_instance(cid):
    c = CLAIMS[cid]
    params = c.parse_params()
    inst = c.make_instances("small", params)[0]
    r = evaluate(c, inst, params)
    assert r.verdict.value == "proved", (cid, r.label, r.lhs, r.rhs, r.message)
    assert r.tier_name in ("exact", "certified")


def test_exact_logsum_identities_are_proved_in_the_exact_tier():
    for cid in ("ND-V3", "ND-V3c", "ND-G2", "ND-NW2"):
        c = CLAIMS[cid]
        p = c.parse_params()
        r = evaluate(c, c.make_instances("small", p)[0], p, "exact")
        assert r.verdict.value == "proved" and r.tier_name == "exact", (cid, r.message)


def test_step_level_split_is_a_documented_counterexample():
    """ND-A1s: the per-step additive split fails for S2 at h = 0.725 (asserting it, the control, is refuted);
    the final-law bound ND-A1 proves on the same S2 instance."""
    c = CLAIMS["ND-A1s"]
    p = c.parse_params()
    inst = c.make_instances("small", p)[0]
    r = evaluate(c, inst, p)
    assert r.verdict.value == "proved"
    assert r.controls["split claimed at the coarsest h"]["verdict"] == "refuted"
    # independently of the runner: at the coarsest h the split's left side exceeds its right side
    (N, lhs, rhs, eps), = nd.samplers._a1s_violations(dict(inst, Ns=inst["Ns"][:1]), _cert())
    assert N == 4 and lhs > rhs and eps > 0
    a1 = CLAIMS["ND-A1"]
    s2 = next(i for i in a1.make_instances("small", a1.parse_params()) if i["scheme"] == "S2" and i["d"] == 2)
    assert evaluate(a1, s2, a1.parse_params()).verdict.value == "proved"


def _cert():
    from mdtheory.tiers import get_tier

    return get_tier("certified", 128)


def test_grid_path_kl_is_the_chain_rule_at_n1_and_grows_to_the_girsanov_decomposition():
    """mdtheory.path_kl on S1: KL_1 equals run_sampler's chain rule; KL_n increases and stays below
    init + ε + Disc_path; halving the Girsanov term is exceeded (ND-A1p's control)."""
    from mdtheory.path_kl import grid_path_kl
    from mdtheory.samplers.random_walk import perturbed_estimator, run_sampler

    law = Law(ProductSpace(3, 1), ["1/6", "1/2", "1/3"])
    g = generators.random_walk(3, 1)
    e = perturbed_estimator("1/2", 1)
    r = grid_path_kl(law, g, "S1", T=2, delta="1/10", N=2, refine=(1, 2, 4), estimator=e, prec=96)
    rep = run_sampler(law, g, "S1", T=2, delta="1/10", N=2, estimator=e, prec=96)
    assert abs(float((r.kl[0] - rep.chain_rule).mid())) < 1e-20
    assert r.output_kl < r.kl[0] < r.kl[1] < r.kl[2] < rep.path_kl
    assert r.kl[2] > rep.init_kl + rep.approx + rep.disc_path / 2


def test_wrong_constant_refutes_the_reconstructed_bound():
    """ND-T1 with an initialisation rate far above the spectral gap must fail (the check can fail)."""
    c = CLAIMS["ND-T1"]
    p = c.parse_params({"c_init": "20"})
    inst = c.make_instances("small", p)[0]
    r = evaluate(c, inst, p)
    assert r.verdict.value == "refuted" and "Init" in r.label


def test_masked_raw_witness_confirmed_by_values():
    """ND-V2n witness, independently: the raw χ² functional itself decreases in α across the witness point."""
    inst = nd.scores._V2N[0]
    law = Law(ProductSpace(inst["m"], inst["d"]), [Fraction(x) for x in inst["law"]])
    g = generators.masking(inst["m"], inst["d"])
    a = Fraction(inst["alpha"])
    f = lambda x: score_functional(law, g, "chi2", alpha=x, score="raw").value  # noqa: E731
    assert f(a + Fraction(1, 1000)) < f(a) < f(a - Fraction(1, 1000))


def test_masked_sm_identity_on_a_copy_law_by_hand():
    """ND-V3 on copy(2,2), one step α: 0 → 1.  By hand: the S-M step draws the two bits independently, so the
    discretisation is KL(copy ‖ uniform) = log 2; and G_i(a) = a·0 + (1−a)·(−log 2) (the other bit revealed
    or not), so Σ_i ∫_0^1 (G_i(a) − G_i(0)) da = 2·(log 2)/2 = log 2."""
    from mdtheory.logsum import LogSum
    from mdtheory.samplers.ancestral_kernels import ancestral_discretisation, ancestral_discretisation_integral

    inst = {"m": 2, "d": 2, "law": ["1/2", "0", "0", "1/2"], "alphas": ["0", "1"]}
    mu, al, margs = nd.samplers._mk_steps(inst)
    lhs, _ = ancestral_discretisation(mu, al, margs)
    rhs, tele, info = ancestral_discretisation_integral(mu, al)
    assert lhs == LogSum.log(2) and rhs == LogSum.log(2)
    assert info == 2 * LogSum.log(2)  # Σ_i I(X^i; X^{-i}) = 2 log 2 for two equal bits


def test_the_package_lists_every_topic_modules_claims_once_in_checklist_order():
    from proofs_check.claims.nonasymptotic import biased_walk, rates, samplers, scores

    ids = [c.id for m in (scores, samplers, rates, biased_walk) for c in m.CLAIMS]
    assert sorted(ids) == sorted(CLAIMS) and len(ids) == len(set(ids)) == len(nd.CLAIMS)
    reg = default_registry()
    assert [c.id for c in reg if c.id.startswith("ND-")] == [c.id for c in nd.CLAIMS]
    assert [c.id for c in nd.CLAIMS][:2] == ["ND-G1", "ND-G2"] and nd.CLAIMS[-1].id == "ND-T5"


def test_regression_masked_derivative_with_zero_conditionals():
    """scores: B_Φ(0, 0) = 0 in the masked Bregman derivative (was log(0) for u log u on laws with zeros).
    Independent identity: Σ_a π = 1, so d/dα G^{u log u} = d/dα G^{u log u − u + 1}."""
    law = Law(ProductSpace(2, 2), ["1/2", "0", "1/4", "1/4"])
    g = generators.masking(2, 2)
    a = score_functional_derivative(law, g, "ulogu", alpha="1/3", direction=0, tier="certified")
    b = score_functional_derivative(law, g, "kl", alpha="1/3", direction=0, tier="certified")
    assert a.sign() == 1 and b.sign() == 1
    assert (a.value - b.value).contains(0) and abs(float((a.value - b.value).mid())) < 1e-30


def test_mk2_proves_on_every_instance_including_alpha_0_and_1_without_trivial_comparisons():
    c = CLAIMS["ND-MK2"]
    p = c.parse_params()
    insts = c.make_instances("small", p)
    assert {i["alpha"] for i in insts} >= {"0", "1"}
    for inst in insts:
        r = evaluate(c, inst, p)
        assert r.verdict.value == "proved" and r.same_sides == 0, (inst["name"], r.message)
        out = c.check(inst, p, None)
        assert all(not (x.lhs == 0 and x.rhs == 0 and isinstance(x.lhs, int)) for x in out), inst["name"]


# -- hand-written controls (issue 15): near misses refuted on the claims' own instances -----------------------------
HAND_CONTROLLED = ["ND-G1", "ND-G2", "ND-ZW1", "ND-ZW2", "ND-ZW3", "ND-ZW4", "ND-MK1", "ND-MK2", "ND-MK3", "ND-NW1",
                   "ND-NW2", "ND-NW3", "ND-NW4", "ND-E1", "ND-V1", "ND-V1b", "ND-V2", "ND-V2n", "ND-V3", "ND-V3c",
                   "ND-V4", "ND-V4c", "ND-V5", "ND-V5m", "ND-V5n", "ND-T3", "ND-T4"]


def test_every_derived_claim_has_a_hand_written_control():
    for cid in DERIVED:
        assert any(not ctl.generic for ctl in CLAIMS[cid].all_controls()), cid
    assert set(HAND_CONTROLLED) <= set(CLAIMS)


# cheap exact controls: refuted on the first instance where they can be (the full audit is the slow registry test)
@pytest.mark.parametrize("cid", ["ND-G1", "ND-ZW1", "ND-ZW4", "ND-MK1", "ND-MK2", "ND-MK3", "ND-NW2", "ND-NW3",
                                 "ND-V3", "ND-V3c", "ND-V4", "ND-V5", "ND-ZW3", "ND-V2n", "ND-T3"])
def test_cheap_hand_controls_are_refuted_on_an_own_instance(cid):
    c = CLAIMS[cid]
    p = c.parse_params()
    ctl = next(x for x in c.all_controls() if not x.generic)
    verdicts = []
    for inst in c.make_instances("small", p):
        if ctl.inline:  # judged on the claim's own computation
            verdicts.append(evaluate(c, inst, p).controls[ctl.name]["verdict"])
        else:
            verdicts.append(evaluate(c, inst, p, control=ctl.name).verdict.value)
        if verdicts[-1] == "refuted":
            break
    assert verdicts[-1] == "refuted", (cid, ctl.name, verdicts)
    assert "error" not in verdicts, (cid, verdicts)


def test_zw3_needs_positivity_and_fails_at_t0_for_a_law_with_zeros():
    """By hand, μ = (1/2, 0, 1/2) on Z_3: over the support E_μ[u_{+1}] = μ(1) + μ(0) = 1/2 (the zero set Z = {1}
    loses μ(Z + 1) = μ(2)); p_t > 0 for t > 0 restores 1 — the claim proves, its t = 0 control is refuted."""
    mu = Law(ProductSpace(3, 1), ["1/2", "0", "1/2"])
    assert nd.scores._support_mean(mu, (0, 1)) == fmpq(1, 2)
    inst = {"name": "hand", "m": 3, "d": 1, "rp": "1/2", "rm": "1/2", "law": ["1/2", "0", "1/2"], "t": "1/10"}
    c = CLAIMS["ND-ZW3"]
    assert evaluate(c, inst, c.parse_params()).verdict.value == "proved"
    assert evaluate(c, inst, c.parse_params(), control="positivity dropped (t = 0)").verdict.value == "refuted"


def test_v5m_overflow_gate_refuses_a_missing_or_large_bound():
    """The overflow mass is a gate: a missing bound is refused (never read as 0), one above overflow_tol is an error
    of the computation — not a refutation of the monotonicity."""
    from proofs_check.claims.nonasymptotic.biased_walk import _overflow_gate

    class Ball:  # a certified overflow bound carries its exact rational upper end
        exact = Fraction(1, 10**9)

    assert _overflow_gate(Ball(), "1/1000000", "x") == Fraction(1, 10**9)
    with pytest.raises(TypeError, match="no certified overflow bound"):
        _overflow_gate(None, "1/1000000", "x")
    with pytest.raises(ValueError, match="raise L"):
        _overflow_gate(Ball(), "1/10000000000", "x")
    c = CLAIMS["ND-V5m"]
    p = c.parse_params({"overflow_tol": str(Fraction(1, 10**40))})
    r = evaluate(c, c.make_instances("small", p)[0], p)
    assert r.verdict.value == "error" and "raise L" in r.message


def test_t2_markov_path_law_is_correlated_and_normalised():
    from mdtheory.information import total_correlation
    from proofs_check.claims.nonasymptotic.rates import _markov_path_law

    law = _markov_path_law(2, 3, "3/4")
    assert sum(law.probs.reshape(-1)) == 1
    assert law.probs[0, 0, 0] == fmpq(9, 32)  # 1/2 · (3/4)²
    assert float(total_correlation(law)) > 0.1


# -- the direct derivative decides; the Bregman enclosure (clipped ≥ 0) never overrides it (referee, session 4) -----
def test_mono_refutes_when_the_direct_derivative_is_on_the_wrong_side(monkeypatch):
    """With ṗ = −pQ (backward time: the sign flipped) the direct derivative of E KL-score is certainly > 0 on some
    piece; _mono must refute there and never fall back to the Bregman form, whose sign is built in."""
    import mdtheory.scores as S
    from mdtheory.tiers import get_tier
    from proofs_check.claims.nonasymptotic._common import _mono

    T = get_tier("certified", 128)
    mu = Law(ProductSpace(3, 1), ["1/2", "1/3", "1/6"])
    g = generators.random_walk(3, 1)
    ok = _mono("kl", mu, g, "kl", ("1/5", "1"), T, max_evaluations=200)
    assert T.le(ok.lhs, ok.rhs) is True and ok.info["method"] == "direct"
    old = S._direct_derivative
    monkeypatch.setattr(S, "_direct_derivative", lambda *a: -old(*a))
    bad = _mono("kl", mu, g, "kl", ("1/5", "1"), T, max_evaluations=200)
    assert T.gt(bad.lhs, T.zero) is True and "Bregman" not in bad.label


def test_masked_polynomial_mono_refutes_a_negated_polynomial(monkeypatch):
    """G_i(α) negated (the sense in α flipped) must refute by the polynomial's derivative (no Bregman fallback)."""
    import mdtheory.masked_polynomial as MP
    from mdtheory.tiers import get_tier

    T = get_tier("certified", 128)
    mu = Law(ProductSpace(2, 2), ["1/10", "2/5", "1/5", "3/10"])
    g = generators.masking(2, 2)
    good = nd.scores._masked_poly_mono("kl", mu, g, "kl", ("1/100", "99/100"), T, 0)
    assert all(T.le(c.lhs, c.rhs) is True for c in good) and good[-1].info["method"] == "direct polynomial"
    old = MP.masked_functional_polynomial

    def negated(*a, **k):
        r = old(*a, **k)
        r.poly = -r.poly
        return r

    monkeypatch.setattr(MP, "masked_functional_polynomial", negated)
    bad = nd.scores._masked_poly_mono("kl", mu, g, "kl", ("1/100", "99/100"), T, 0)
    assert T.lt(bad[-1].lhs, T.zero) is True and "Bregman" not in bad[-1].label


def test_rate_fits_need_three_points_and_r2():
    """Every ND rate claim requires R² ≥ 0.99 and fits at least three points on the small set (two points give
    R² = 1 whatever the data)."""
    for c in nd.CLAIMS:
        if c.kind != "rate":
            continue
        p = c.parse_params()
        assert float(p["min_r2"]) >= 0.99, c.id
        for inst in c.make_instances("small", p):
            pts = inst.get("Ns") or inst.get("ms") or inst.get("log2_inv_delta") or inst["ds"][inst.get("fit_from", 0):]
            assert len(pts) >= 3, (c.id, inst["name"])


def test_t3_compares_kl_with_init_plus_telescoped_and_refutes_a_dropped_term(monkeypatch):
    """REFEREE2 #1: ND-T3 compares KL(p_δ‖out) ≤ Init + telescoped itself; with the telescoped term zeroed (a bug
    in the bound, not the claim's control) the certified comparison is refuted on the first instance."""
    import proofs_check.claims.nonasymptotic.rates as R

    c = CLAIMS["ND-T3"]
    p = c.parse_params()
    inst = c.make_instances("small", p)[0]
    ok = evaluate(c, inst, p)
    assert ok.verdict.value == "proved"
    old = R.telescoped_discretisation_bound
    monkeypatch.setattr(R, "telescoped_discretisation_bound",
                        lambda law, gen, T_, delta, h, T: old(law, gen, T_, delta, h, T) * (0 if delta else 1))
    bad = evaluate(c, inst, p)
    assert bad.verdict.value == "refuted" and "Init + max h" in bad.label, (bad.label, bad.message)


# -- the Bregman fallback reads the sign off the INTERSECTION of the two enclosures (REFEREE2 #7) ------------------
def test_intersect_enclosures_narrows_and_refuses_disjoint_balls():
    from mdtheory.scores import EnclosureMismatchError, intersect_enclosures
    from mdtheory.tiers import get_tier

    C, E = get_tier("certified", 64), get_tier("exact")
    wide, narrow = arb(0, 1), arb("-0.25 +/- 0.01")
    for a, b in ((wide, narrow), (narrow, wide)):  # an uninformative ball leaves the other one (it decides alone)
        c = intersect_enclosures(a, b, C)
        assert c.upper() < 0 and c.lower() > -0.27 and c.upper() > -0.24 - 0.001
    part = intersect_enclosures(arb("0.1 +/- 0.2"), arb("-0.05 +/- 0.1"), C)  # overlap only: [−0.1, 0.05]
    assert float(part.lower()) > -0.11 and float(part.upper()) < 0.06 and part.contains(0)
    with pytest.raises(EnclosureMismatchError, match="disjoint"):
        intersect_enclosures(arb("0.5 +/- 0.1"), narrow, C)
    assert intersect_enclosures(fmpq(1, 3), fmpq(1, 3), E) == fmpq(1, 3)
    with pytest.raises(EnclosureMismatchError, match="differ"):
        intersect_enclosures(fmpq(1, 3), fmpq(1, 4), E)


def test_mono_fallback_uses_the_intersection_and_errors_on_disjoint_enclosures(monkeypatch):
    """Direct derivative made uninformative (±1): the intersection is the Bregman ball, the result says so
    (method 'direct ∩ Bregman'); direct collapsed to [±1e−9] (undecided but disjoint from the Bregman ball):
    EnclosureMismatchError, never a verdict."""
    import mdtheory.scores as S
    from mdtheory.scores import EnclosureMismatchError
    from mdtheory.tiers import get_tier
    from proofs_check.claims.nonasymptotic._common import _mono

    T = get_tier("certified", 128)
    mu = Law(ProductSpace(3, 1), ["1/2", "1/3", "1/6"])
    g = generators.random_walk(3, 1)
    old = S._direct_derivative
    monkeypatch.setattr(S, "_direct_derivative", lambda *a: old(*a) + arb(0, 1))
    wide = _mono("kl", mu, g, "kl", ("1/5", "1"), T, max_evaluations=200)
    assert wide.info["method"] == "direct ∩ Bregman" and wide.info["direct undecided pieces"] > 0
    assert "direct ∩ Bregman" in wide.label and T.le(wide.lhs, wide.rhs) is True
    monkeypatch.setattr(S, "_direct_derivative", lambda *a: old(*a) * 0 + arb(0, fmpq(1, 10**9)))
    with pytest.raises(EnclosureMismatchError):
        _mono("kl", mu, g, "kl", ("1/5", "1"), T, max_evaluations=200)


def test_t2_reports_the_resolution_its_statement_quotes():
    """REFEREE2 #6: N(d) is an integer, so the Markov fit resolves the exponent only to a range; the statement quotes
    that range and says d^0.9 is not excluded — both read off the computed info here."""
    c = CLAIMS["ND-T2"]
    p = c.parse_params()
    inst = c.make_instances("small", p)[0]
    r = evaluate(c, inst, p)
    assert r.verdict.value == "consistent", r.message
    lo, hi = r.info["exponents not excluded (range ± tolerance)"]
    assert lo < 0.9 < 1 < hi
    assert f"[{lo:.2f}, {hi:.2f}] is not excluded" in c.statement.replace("\n", "")


def test_v1b_agreement_has_teeth(monkeypatch):
    """REFEREE2 #8: ND-V1b's Bregman-vs-direct agreement is a 2^-60 comparison at a point time, not an overlap of
    ±0.8-wide balls: a Bregman part off by a relative 2^-30 (certified tier only) is refuted."""
    import mdtheory.scores as S

    c = CLAIMS["ND-V1b"]
    p = c.parse_params()
    inst = c.make_instances("small", p)[0]
    assert evaluate(c, inst, p).verdict.value == "proved"
    old = S._bregman_derivative

    def off(*a):
        b, bd, tr = old(*a)
        return (b * (1 + arb(2) ** -30), bd, tr) if isinstance(b, arb) else (b, bd, tr)

    monkeypatch.setattr(S, "_bregman_derivative", off)
    r = evaluate(c, inst, p)
    assert r.verdict.value == "refuted" and "|direct − Bregman|" in r.label, (r.label, r.message)
