"""The reference-samplers claims module: every claim proved on its small instances; bad constants refuted."""

from __future__ import annotations

import pytest

from proofs_check.claims import reference_samplers as rs
from proofs_check.evaluate import evaluate
from proofs_check.registry import default_registry

CLAIMS = {c.id: c for c in rs.CLAIMS}


def test_module_is_registered_with_its_pseudo_paper():
    reg = default_registry()
    ids = [c.id for c in reg.select(paper="reference_samplers")]
    assert ids == [c.id for c in rs.CLAIMS]
    assert rs.PAPER.arxiv is None and rs.PAPER.prefix == "RS"
    assert {c.provenance.value for c in rs.CLAIMS} == {"derived-and-exact", "reconstructed"}


@pytest.mark.parametrize("cid", list(CLAIMS))
def test_small_instances_are_proved_exactly(cid):
    claim = CLAIMS[cid]
    params = claim.default_params()
    insts = claim.make_instances("small", params)
    assert insts
    for inst in insts[:4]:
        r = evaluate(claim, inst, params, "exact")
        assert r.verdict.value == "proved", (inst["name"], r.message, r.lhs, r.rhs)
        assert r.tier_name == "exact"


def test_reconstructed_forms_can_fail():
    # C = 0 leaves only the initialisation term: copy pairs at N = 3 have TV > 0 = the bound
    claim = CLAIMS["RS-B1"]
    params = claim.parse_params({"C": "0"})
    inst = claim.make_instances("small", params)[1]  # copy_pairs, N = 3
    r = evaluate(claim, inst, params, "exact")
    assert r.verdict.value == "refuted" and r.witness is not None
    # c = 0 in the FHS bound is refuted by the perturbed estimator
    claim = CLAIMS["RS-B2"]
    params = claim.parse_params({"c": "0"})
    r = evaluate(claim, claim.make_instances("small", params)[0], params, "exact")
    assert r.verdict.value == "refuted"


def test_certified_tier_runs_an_identity():
    claim = CLAIMS["RS-L1"]
    params = claim.default_params()
    inst = claim.make_instances("small", params)[1]
    r = evaluate(claim, inst, params, "certified", prec=96)
    assert r.verdict.value in ("proved", "undecided")
    assert r.tier_name == "certified"


@pytest.mark.parametrize("cid", ["RS-E1", "RS-E3", "RS-E6", "RS-E7", "RS-L1"])
def test_hand_written_near_miss_is_refuted(cid):
    """Each identity carries a mathematical near miss refuted on one of its own small instances."""
    claim = CLAIMS[cid]
    params = claim.default_params()
    (ctl,) = [k for k in claim.all_controls() if not k.generic and k.check is not None]
    for inst in claim.make_instances("small", params):
        if evaluate(claim, inst, params, "exact", control=ctl.name).verdict.value == "refuted":
            return
    pytest.fail(f"{cid}: control {ctl.name!r} survives every small instance")


def test_e7_clipping_acts_and_the_independent_path_agrees():
    """RS-E7 compares both SEDD predictors with a dict-based propagation; rescaled(3) makes the clipping act."""
    claim = CLAIMS["RS-E7"]
    inst = next(i for i in claim.make_instances("small", claim.default_params()) if i["steps"] == 1)
    r = evaluate(claim, inst, claim.default_params(), "exact")
    assert r.verdict.value == "proved" and r.n_comparisons == 6
    from mdtheory.masked_scores import rescaled
    from mdtheory.samplers import profiles

    law = rs._law(inst, __import__("mdtheory.tiers", fromlist=["get_tier"]).get_tier("exact"))
    assert profiles.run("sedd.euler", law, 1, rescaled(law, 3)).info["clipped"] > 0


def test_t1_has_instances_with_tie_mass_strictly_between_0_and_1_where_later_ties_matter():
    """RS-T1 is informative only where 0 < tie mass < 1: such instances exist, their TV is positive and below the
    tie mass, and counting first-step ties only is refuted on one of them (the tie comes after a reveal)."""
    from mdtheory.tiers import get_tier

    c = default_registry().get("RS-T1")
    t = get_tier("exact")
    inner = []
    for inst in c.make_instances("small", c.default_params()):
        cmp = rs._check_tie(inst, {}, t)
        tm = cmp.rhs
        assert cmp.lhs <= tm
        if 0 < tm < 1:
            inner.append(inst)
            assert 0 < cmp.lhs < tm
    assert len(inner) >= 2
    first = [rs._check_tie(i, {}, t, first_only=True) for i in inner]
    assert any(f.lhs > f.rhs for f in first)
