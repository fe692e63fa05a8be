"""Exact sampler laws beyond the full state space (block products, exchangeable orbit laws)
against the full-space reference samplers of mdtheory.samplers.masked, exactly in rationals."""

import itertools
from fractions import Fraction

import numpy as np
import pytest

from mdtheory import Law, ProductSpace
from mdtheory.distributions import binary_symmetric_markov, copy, copy_pairs, parity, product, sum_mod, uniform
from mdtheory.law_structure import (
    BlockProduct,
    Exchangeable,
    StructureError,
    declare,
    structure_of,
    verify,
)
from mdtheory.samplers import ancestral, euler, exact_reverse, tau_leaping
from mdtheory.samplers.blocks import block_product_law, per_block_estimator, product_tv, structured_law
from mdtheory.samplers.exchangeable import exchangeable_law
from mdtheory.schedules import LogLinearClock
from mdtheory.divergences import tv as full_tv
from mdtheory.tiers import as_fraction

FULL = {"euler": euler, "ancestral": ancestral, "exact_reverse": exact_reverse, "tau_leaping": tau_leaping}


def _identical(a: Law, b: Law) -> bool:
    return a.space == b.space and all(x == y for x, y in zip(a.flat.tolist(), b.flat.tolist()))


# ------------------------------------------------------------------------------------------------
# structure records
# ------------------------------------------------------------------------------------------------
def test_constructors_record_their_structure_and_records_are_true():
    for law in (copy(3, 3), parity(5), sum_mod(3, 3, 2), uniform(2, 4), product([["1/3", "2/3"]] * 3)):
        rec = structure_of(law)
        assert isinstance(rec, Exchangeable), law
        assert verify(law)
    for law in (copy_pairs(2, 6), product([["1/3", "2/3"], ["1/2", "1/2"]])):
        rec = structure_of(law)
        assert isinstance(rec, BlockProduct)
        assert verify(law) and rec.d == law.space.d
    assert structure_of(binary_symmetric_markov(4, "1/4")) is None


def test_false_records_are_refuted():
    law = binary_symmetric_markov(4, "1/4")  # not exchangeable, not a block product
    assert not verify(law, Exchangeable(2, 4))
    assert not verify(law, BlockProduct.of([binary_symmetric_markov(2, "1/4")] * 2))
    assert not verify(copy(2, 4), BlockProduct.of([copy(2, 2)] * 2))
    with pytest.raises(StructureError, match="m=2, d=3"):
        declare(copy(2, 4), Exchangeable(2, 3))


def test_declared_law_keeps_its_array_and_is_used():
    base = Law(ProductSpace(2, 4), {(0, 0, 0, 0): "1/2", (1, 1, 1, 1): "1/2"})
    law = declare(base, Exchangeable(2, 4))
    assert _identical(law, base)
    assert isinstance(structured_law("euler", law, steps=3).orbits, list)


# ------------------------------------------------------------------------------------------------
# exchangeable: orbit laws
# ------------------------------------------------------------------------------------------------
CASES = [
    ("euler", parity(6), dict(steps=5)),
    ("ancestral", sum_mod(3, 4, 1), dict(steps=3)),
    ("exact_reverse", copy(3, 4), dict(steps=3)),
    ("euler", product([["1/3", "2/3"]] * 5), dict(steps=4, delta="1/8")),
    ("ancestral", parity(5), dict(clock=LogLinearClock("1/10"), T=1, steps=3)),
    ("euler", copy(2, 5), dict(steps=2, final="sample")),
]


@pytest.mark.parametrize("name,law,kw", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_orbit_law_equals_full_space_law_exactly(name, law, kw):
    lumped = exchangeable_law(name, law, **kw)
    full = FULL[name](law, **kw)
    assert _identical(lumped.to_law(), full.law)
    assert lumped.tv() == full.tv()
    assert lumped.leftover_mask_mass == full.leftover_mask_mass
    assert lumped.off_support_mass == full.off_support_mass


def test_orbit_law_parity_d8_exact():
    law = parity(8)
    lumped = exchangeable_law("euler", law, steps=2)
    full = euler(law, steps=2)
    assert _identical(lumped.to_law(), full.law)
    assert lumped.tv() == full.tv() and lumped.n_orbits == 45


def test_orbit_law_tau_leaping_float_and_kl():
    law = parity(5, tier="float")
    lumped = exchangeable_law("tau_leaping", law, steps=4)
    full = tau_leaping(law, steps=4)
    assert np.max(np.abs(lumped.to_law().flat - full.law.flat)) < 1e-14
    l2 = exchangeable_law("ancestral", law, steps=5, final="sample")
    f2 = ancestral(law, steps=5, final="sample")
    assert abs(l2.kl() - f2.kl()) < 1e-12


def test_orbit_law_from_record_without_full_law():
    """A record with state_prob gives the same law as the full law (then scales to large d)."""
    rec = Exchangeable(2, 6, lambda c: Fraction(1, 32) if c[1] % 2 == 0 else 0)
    a = exchangeable_law("euler", rec, steps=4)
    b = exchangeable_law("euler", parity(6), steps=4)
    assert all(x == y for x, y in zip(a.probs.tolist(), b.probs.tolist()))
    big = exchangeable_law("ancestral", Exchangeable(2, 40, rec.state_prob and (lambda c: Fraction(1, 2**39) if c[1] % 2 == 0 else 0)), steps=3, tier="float")
    assert abs(sum(big.probs) - 1) < 1e-12 and 0 < big.tv() <= 0.5


def test_orbit_law_refuses_non_exchangeable():
    with pytest.raises(StructureError, match="exchangeable"):
        exchangeable_law("euler", binary_symmetric_markov(4, "1/4"), steps=2)


# ------------------------------------------------------------------------------------------------
# block products
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["euler", "ancestral", "exact_reverse"])
def test_block_product_law_equals_full_space_law_exactly(name):
    law = copy_pairs(2, 6)
    res = block_product_law(name, law, steps=3)
    est = () if name == "exact_reverse" else (per_block_estimator(law),)
    full = FULL[name](law, *est, steps=3)
    assert _identical(res.full().law, full.law)
    assert res.tv() == full.tv()
    assert res.leftover_mask_mass == full.leftover_mask_mass


def test_block_product_d8_heterogeneous_blocks_exact():
    blocks = [copy(2, 2), product([["1/3", "2/3"]]), copy(2, 2), parity(3)]
    rec = BlockProduct.of(blocks)
    law = declare(rec.full(), rec)
    assert law.space.d == 8
    res = block_product_law("euler", law, steps=2)
    full = euler(law, per_block_estimator(law), steps=2)
    assert _identical(res.full().law, full.law)
    assert res.tv() == full.tv()


def test_per_block_scores_differ_from_full_exact_scores_only_off_support():
    """The full-space exact estimator turns uniform everywhere off the support; per-block scores
    do not — a control that the block comparison is not vacuous."""
    law = copy_pairs(2, 4)
    res = block_product_law("euler", law, steps=3)
    assert not _identical(res.full().law, euler(law, steps=3).law)
    # from the all-mask state the exact reverse kernel never leaves the support: the two agree
    assert _identical(block_product_law("exact_reverse", law, steps=3).full().law, exact_reverse(law, steps=3).law)


def test_block_product_tv_kl_equal_those_of_the_full_exact_estimator():
    """TV and KL against the data law only see the data support, which is reached only through
    on-support contexts, where per-block and full-space exact scores agree."""
    law = copy_pairs(2, 6)
    res = block_product_law("euler", law, steps=3)
    full = euler(law, steps=3)
    assert res.tv() == full.tv()
    lawf = copy_pairs(3, 4, tier="float")
    a = block_product_law("ancestral", lawf, steps=3, final="sample")
    b = ancestral(lawf, steps=3, final="sample")
    assert abs(a.kl() - b.kl()) < 1e-12


def test_block_product_kl_adds():
    law = copy_pairs(3, 4, tier="float")
    res = block_product_law("ancestral", law, steps=4, final="sample")
    full = ancestral(law, per_block_estimator(law), steps=4, final="sample")
    assert abs(res.kl() - full.kl()) < 1e-12


def test_product_tv_against_enumeration():
    """TV over class-count vectors equals the TV of the explicitly built product laws."""
    rng = np.random.default_rng(0)
    for trial in range(4):
        pairs = []
        for n in (2, 3):
            w = [int(v) for v in rng.integers(0, 5, 3)] + [1]
            u = [int(v) for v in rng.integers(1, 5, 4)]
            pairs.append((Law(ProductSpace(4, 1), w, normalize=True), Law(ProductSpace(4, 1), u, normalize=True), n))
        P = Q = None
        for p, q, n in pairs:
            for _ in range(n):
                P = p.probs if P is None else np.multiply.outer(P, p.probs)
                Q = q.probs if Q is None else np.multiply.outer(Q, q.probs)
        ref = full_tv(Law(ProductSpace(4, 5), P, validate=False), Law(ProductSpace(4, 5), Q, validate=False))
        assert product_tv(pairs) == ref


def test_block_product_large_d_copy_pairs_euler():
    """d = 64 (the full space would hold 3^64 states); TV = 1 − (1 − (1/2)Σp_k²)^{32} on the linear clock."""
    res = block_product_law("euler", BlockProduct.of([copy(2, 2)] * 32), steps=8)
    # each pair is correct unless its two tokens unmask in the same step with different values:
    # per pair P(wrong) = (1/2)·Σ_k p_k² with p_k = 1/8 (uniform unmasking time)
    wrong = Fraction(1, 2) * 8 * Fraction(1, 64)
    assert as_fraction(res.tv()) == 1 - (1 - wrong) ** 32
    assert res.leftover_mask_mass == 0


def test_structured_law_dispatch():
    assert type(structured_law("euler", copy_pairs(2, 4), steps=2)).__name__ == "BlockProductResult"
    assert type(structured_law("euler", parity(4), steps=2)).__name__ == "OrbitResult"
    assert type(structured_law("euler", binary_symmetric_markov(3, "1/4"), steps=2)).__name__ == "SamplerResult"


def test_certified_tau_leaping_lumped_and_blocks_enclose_full_space():
    law = parity(4)
    r = exchangeable_law("tau_leaping", law, steps=3, tier="certified", prec=80)
    f = tau_leaping(law, steps=3, tier="certified", prec=80)
    assert r.tv().overlaps(f.tv()) and r.tv().rad() < 1e-12
    cp = copy_pairs(2, 4)
    b = block_product_law("tau_leaping", cp, steps=3, tier="certified", prec=80)
    fb = tau_leaping(cp, per_block_estimator(cp), steps=3, tier="certified", prec=80)
    assert b.tv().overlaps(fb.tv()) and b.kl().overlaps(fb.kl())
    # control: a different step count is separated
    assert not b.tv().overlaps(block_product_law("tau_leaping", cp, steps=4, tier="certified", prec=80).tv())


@pytest.mark.parametrize("name,law,kw", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_orbit_law_exact_stepper_equals_full_space_law_exactly(name, law, kw, monkeypatch):
    """The exact stepper (value law built once) on every case, also those with few steps."""
    import mdtheory.samplers.exchangeable as ex

    monkeypatch.setattr(ex, "EXACT_STEPPER_MIN_STEPS", 1)
    lumped = exchangeable_law(name, law, **kw)
    full = FULL[name](law, **kw)
    assert _identical(lumped.to_law(), full.law)
    assert lumped.leftover_mask_mass == full.leftover_mask_mass
