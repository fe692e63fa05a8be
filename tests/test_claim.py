"""Verdict logic of proofs_check with toy claims (true, false with a witness, needs precision)."""

from __future__ import annotations

import os
import sys
from fractions import Fraction

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _pc_helpers import toy_registry  # noqa: E402

from proofs_check.claim import (  # noqa: E402
    CheckResult, Claim, ClaimError, Comparison, Paper, ParamError, Verdict, summarize,
)
from proofs_check.evaluate import evaluate  # noqa: E402

REG = toy_registry()


def run_all(cid, tier=None, params=None, **kw):
    c = REG.get(cid)
    p = c.parse_params(params or {})
    return [evaluate(c, inst, p, tier, **kw) for inst in c.make_instances("small", p)]


def test_true_claim_is_proved_with_exact_margin():
    rs = run_all("TOY-TRUE")
    assert [r.verdict for r in rs] == [Verdict.PROVED] * 3
    assert {r.margin for r in rs} == {"1/7"}
    assert rs[1].lhs == "1/3" and rs[1].rhs == "10/21" and rs[1].tier == "exact"
    s = summarize("TOY-TRUE", "derived-and-exact", rs)
    assert s.verdict is Verdict.PROVED and not s.is_failure


def test_parameter_changes_the_margin():
    rs = run_all("TOY-TRUE", params={"k": "2"})
    assert {r.margin for r in rs} == {"1/2"}
    assert rs[0].params == {"k": 2}


def test_float_run_is_labelled_and_never_proved():
    for tier in ("float", "mp"):
        rs = run_all("TOY-TRUE", tier)
        assert {r.verdict for r in rs} == {Verdict.HOLDS_APPROX}
        assert all(not r.rigorous for r in rs)
    bad = run_all("TOY-FALSE", "float")
    assert Verdict.FAILS_APPROX in {r.verdict for r in bad}
    assert all(r.witness is None for r in bad)  # no certified witness from floats
    s = summarize("TOY-TRUE", "derived-and-exact", run_all("TOY-TRUE", "float"))
    assert s.verdict is Verdict.HOLDS_APPROX and "not a proof" in s.note


def test_false_claim_is_refuted_with_known_witness():
    point, uniform = run_all("TOY-FALSE")
    assert point.verdict is Verdict.PROVED
    assert uniform.verdict is Verdict.REFUTED
    assert uniform.lhs == "1/3" and uniform.rhs == "1/2" and uniform.margin == "-1/6"
    w = uniform.witness
    assert w["claim"] == "TOY-FALSE" and w["instance"]["p"] == ["1/3"] * 3 and w["tier"] == "exact"
    s = summarize("TOY-FALSE", "derived-and-exact", [point, uniform])
    assert s.verdict is Verdict.REFUTED and s.is_failure and s.worst is uniform


def test_precision_is_raised_until_decided():
    (r,) = run_all("TOY-PREC")
    assert r.verdict is Verdict.PROVED
    assert r.escalations >= 1 and r.prec >= 256
    assert "raising the precision" in r.message
    assert 0 < r.margin_float < 2.0**-190


def test_undecided_when_the_precision_limit_is_reached():
    (r,) = run_all("TOY-STUCK")
    assert r.verdict is Verdict.UNDECIDED and r.prec == 128
    assert "overlap" in r.message
    assert summarize("TOY-STUCK", "derived-and-exact", [r]).verdict is Verdict.UNDECIDED


def test_ball_against_rational_differing_at_2_to_minus_100():
    c = Claim("T-B", Paper("t", "t"), "1/3 <= 1/3 + 2^-100", "x <= y", "derived-and-exact",
              check=lambda i, p, t: Comparison(t.one / 3, t.scalar(Fraction(1, 3) + Fraction(1, 2**100))),
              instances=lambda s, p: [{}])
    low = evaluate(c, {"name": "i"}, {}, "certified", prec=64, max_prec=64)
    assert low.verdict is Verdict.UNDECIDED
    high = evaluate(c, {"name": "i"}, {}, "certified", prec=64, max_prec=1024)
    assert high.verdict is Verdict.PROVED and 100 < high.prec <= 256
    assert evaluate(c, {"name": "i"}, {}, "exact").verdict is Verdict.PROVED


def test_exact_request_on_irrational_check_moves_to_certified_and_says_so():
    (r,) = run_all("TOY-PREC", "exact")
    assert r.tier_name == "certified" and r.verdict is Verdict.PROVED
    assert "exact tier cannot" in r.message


def test_reconstructed_refutation_is_not_a_failure():
    rs = run_all("TOY-RECON")
    s = summarize("TOY-RECON", "reconstructed", rs)
    assert s.verdict is Verdict.REFUTED and not s.is_failure
    assert "reconstruction may be wrong" in s.note
    assert summarize("TOY-RECON", "reconstructed", run_all("TOY-RECON", params={"C": "2"})).verdict is Verdict.PROVED


def test_error_verdict_and_failure():
    (r,) = run_all("TOY-ERR")
    assert r.verdict is Verdict.ERROR and "ZeroDivision" in r.message
    assert summarize("TOY-ERR", "derived-and-exact", [r]).is_failure


def test_rate_claim_fit_consistent_and_inconsistent():
    (r,) = run_all("TOY-RATE")
    assert r.verdict is Verdict.CONSISTENT
    assert r.fit["exponent"] == pytest.approx(2) and r.fit["constant"] == pytest.approx(3)
    assert r.fit["r2"] == pytest.approx(1)
    (bad,) = run_all("TOY-RATE", params={"exponent": "1"})
    assert bad.verdict is Verdict.INCONSISTENT
    assert Verdict.PROVED not in {r.verdict, bad.verdict}


def test_parameter_errors_are_one_line_value_errors():
    c = REG.get("TOY-TRUE")
    with pytest.raises(ParamError, match="expects an integer"):
        c.parse_params({"k": "x"})
    with pytest.raises(ParamError, match="did you mean 'k'"):
        c.parse_params({"kk": "3"})
    assert issubclass(ParamError, ValueError)


def test_claim_definition_is_validated():
    kw = dict(paper=Paper("t", "t"), statement="s", formula="f", check=lambda *a: None, instances=lambda s, p: [])
    with pytest.raises(ClaimError, match="provenance"):
        Claim("X-1", provenance="guessed", **kw)
    with pytest.raises(ClaimError, match="exponent"):
        Claim("X-2", provenance="reconstructed", kind="rate", **kw)
    with pytest.raises(ClaimError, match="relation"):
        Claim("X-3", provenance="reconstructed", relation="=<", **kw)
    with pytest.raises(ClaimError, match="JSON"):
        Claim("X-4", provenance="reconstructed", **dict(kw, instances=lambda s, p: [{"x": object()}])).make_instances(
            "small", {})


def test_result_object_roundtrip_and_repr():
    (r,) = run_all("TOY-TRUE")[:1]
    d = r.to_dict()
    back = CheckResult.from_dict(d)
    assert back.verdict is Verdict.PROVED and back.margin == r.margin
    assert "verdict='proved'" in repr(r) and "margin='1/7'" in repr(r)


def test_approximate_tiers_tolerate_rounding_but_not_real_violations():
    from proofs_check.registry import default_registry

    c = default_registry().get("FD-M2")  # identities: exact margin 0, float margin ~1e-16
    rs = [evaluate(c, i, None, "float") for i in c.make_instances("small", c.parse_params())]
    assert {r.verdict for r in rs} == {Verdict.HOLDS_APPROX}
    assert any("rounding tolerance" in r.message for r in rs)
    (uniform,) = [r for r in run_all("TOY-FALSE", "float") if r.instance_id == "uniform"]
    assert uniform.verdict is Verdict.FAILS_APPROX  # -1/6 is far beyond rounding


def test_rate_fit_with_min_r2_rejects_a_poor_fit():
    """A rate claim with ``min_r2`` is inconsistent when the exponent is right but the log-log fit is poor."""
    from proofs_check.claim import Claim, Param, Series
    from proofs_check.evaluate import evaluate

    zigzag = [1, 4, 2, 8, 4, 16]  # overall slope 1 in log-log, R² well below 0.99
    c = Claim("X-R2", paper=Paper("t", "t"), statement="s", formula="f", provenance="reconstructed", kind="rate",
              params=[Param("exponent", "1", "real", "e"), Param("tolerance", "0.5", "real", "t"),
                      Param("min_r2", "0.99", "real", "r")],
              check=lambda inst, params, tier: Series([1, 2, 3, 4, 5, 6], zigzag, "x", "y"),
              instances=lambda size, params: [{"name": "zigzag"}])
    (inst,) = c.make_instances("small", c.default_params())
    r = evaluate(c, inst, c.default_params())
    assert r.fit["r2"] < 0.99 and abs(r.fit["exponent"] - 1) <= 0.5
    assert r.verdict is Verdict.INCONSISTENT and "R²" in r.lhs
    ok = evaluate(c, inst, c.parse_params({"min_r2": "0"}))
    assert ok.verdict is Verdict.CONSISTENT
