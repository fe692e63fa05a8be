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
