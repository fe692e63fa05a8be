"""Sharp constants: affine (exact) brackets, bisection brackets, directions, slack, the past-sharp value."""

from __future__ import annotations

from fractions import Fraction

import pytest

from mdtheory.tiers import get_tier
from proofs_check.claim import Claim, ClaimError, Comparison, Domain, Paper, Param, Scope, Sharp
from proofs_check.evaluate import evaluate
from proofs_check.sharpness import aggregate, instance_sharpness, past_sharp_value, slack_text

P = Paper("t", "T")
EX = get_tier("exact")


def _claim(check, relation="<=", domain=None, default="2"):
    return Claim("T-S", P, "s", "s", "derived-and-exact", check=check, relation=relation,
                 instances=lambda size, params: [{"name": f"x={x}", "x": x} for x in ("1/4", "1/2", "3/4")],
                 params=[Param("C", default, "rational", domain=domain)], sharp=[Sharp("C")])


def test_affine_upper_constant_is_exact_and_its_direction_found():
    c = _claim(lambda i, p, t: [Comparison(t.scalar(i["x"]), t.scalar(p["C"]) * t.scalar(i["x"]) ** 2)])
    r = instance_sharpness(c, {"x": "1/4"}, c.parse_params(), EX, c.sharp[0])
    assert (r["direction"], r["lo"], r["hi"], r["exact"]) == ("smaller", "4", "4", True)  # x ≤ C x² ⇔ C ≥ 1/x


def test_lower_constant_is_stronger_when_larger():
    c = _claim(lambda i, p, t: Comparison(t.scalar(i["x"]), t.scalar(p["C"]) * t.scalar(i["x"]) ** 2, ">="),
               default="1")
    r = instance_sharpness(c, {"x": "1/2"}, c.parse_params(), EX, c.sharp[0])
    assert (r["direction"], r["lo"], r["hi"]) == ("larger", "2", "2")


def test_nonlinear_constant_is_bracketed_by_bisection():
    # x ≤ C² : sharp C = sqrt(x), irrational for x = 1/2; the bracket must contain it and be narrow
    c = _claim(lambda i, p, t: Comparison(t.scalar(i["x"]), t.scalar(p["C"]) ** 2))
    r = instance_sharpness(c, {"x": "1/2"}, c.parse_params(), EX, c.sharp[0])
    lo, hi = Fraction(r["lo"]), Fraction(r["hi"])
    assert r["direction"] == "smaller" and not r["exact"] and "bisection" in r["method"]
    assert lo ** 2 < Fraction(1, 2) <= hi ** 2 and hi - lo < Fraction(1, 8)


def test_aggregate_takes_the_extremal_instance_and_slack():
    c = _claim(lambda i, p, t: Comparison(t.scalar(i["x"]), t.scalar(p["C"]) * t.scalar(i["x"]) ** 2))
    rs = [evaluate(c, inst) for inst in c.make_instances("small", c.parse_params())]
    (e,) = aggregate(c, rs)
    assert (e["lo"], e["hi"], e["instance"], e["slack"], e["exact"]) == ("4", "4", "x=1/4", "1/2", True)
    assert past_sharp_value(c, e)[0] == Fraction(18, 5)  # 10% below the sharp 4


def test_constant_never_needed_gives_infinite_slack_and_a_domain_end_control():
    c = _claim(lambda i, p, t: Comparison(t.scalar(i["x"]) - 1, t.scalar(p["C"]) * t.scalar(i["x"])), domain=">= 0")
    rs = [evaluate(c, inst) for inst in c.make_instances("small", c.parse_params())]
    (e,) = aggregate(c, rs)
    assert e["slack"] == "inf" and Fraction(e["hi"]) < 0
    v, why = past_sharp_value(c, e)
    assert v == 0 and "domain" in why


def test_slack_text_orientations():
    assert slack_text({"direction": "larger", "stated": "1/5", "lo": "1/4", "hi": "1/4"}) == "5/4"
    assert slack_text({"direction": "smaller", "stated": "1", "lo": "1/3", "hi": "1/2"}) == "[2, 3]"


def test_declarations_are_validated():
    with pytest.raises(ClaimError, match="rational parameter"):
        Claim("T-X", P, "s", "s", "derived-and-exact", check=lambda i, p, t: None, instances=lambda s, p: [],
              params=[Param("k", 1, "int")], sharp=[Sharp("k")])
    with pytest.raises(ClaimError, match="outside its domain"):
        _claim(lambda i, p, t: None, domain=">= 3")
    with pytest.raises(ClaimError, match="cannot read the parameter domain"):
        Domain.parse("between 1 and 2")
    assert Scope.polynomial("a", 1).describe(2, [{"a": "0"}, {"a": "1"}]) == (
        "as a polynomial identity in a of degree <= 1, checked at 2 exact points", True)
