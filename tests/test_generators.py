from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, strategies as st

from mdtheory import generators
from mdtheory.generators import GeneratorError, structure_report, validate_generator
from mdtheory.tiers import as_fraction as F, get_tier

rates = st.fractions(min_value=0, max_value=5, max_denominator=12)


@given(st.integers(2, 6), rates, rates)
def test_random_walk_rows_sum_to_zero_and_m2_is_not_double_counted(m, rp, rm):
    if rp + rm == 0:
        with pytest.raises(GeneratorError, match="positive"):
            generators.random_walk(m, 1, rp, rm)
        return
    Q = generators.random_walk(m, 1, rp, rm).factors[0].matrix("exact")
    assert all(sum(row) == 0 for row in Q.tolist())
    if m == 2:
        assert F(Q[0, 1]) == rp + rm and F(Q[1, 0]) == rp + rm  # one flip move at rate r+ + r-
    else:
        assert F(Q[0, 1]) == rp and F(Q[0, m - 1]) == rm and F(Q[0, 0]) == -(rp + rm)


def test_family_generators_have_the_documented_rates():
    U = generators.uniform(3, 1, rate=2).factors[0].matrix("exact")
    assert F(U[0, 1]) == Fraction(2, 3) and F(U[0, 0]) == Fraction(-4, 3)
    M = generators.masking(2, 1).factors[0].matrix("exact")
    assert M.tolist() == [[-1, 0, 1], [0, -1, 1], [0, 0, 0]]
    B = generators.biased_walk(3, 1, up="1/2", down=1).factors[0].matrix("exact")
    assert F(B[0, 1]) == Fraction(1, 2) and F(B[0, 0]) == Fraction(-1, 2)  # no down move at 0
    assert F(B[3, 4]) == Fraction(1, 2) and B[3, 2] == 1  # level L leaks up into overflow
    assert all(v == 0 for v in B[4])  # overflow is absorbing


@pytest.mark.parametrize(
    "gen",
    [
        generators.random_walk(3, 2, 1, "1/3"),
        generators.masking(2, 3),
        generators.uniform(2, 3),
        generators.biased_walk(2, 2, "1/2", 1),
    ],
)
def test_dense_sparse_and_mode_product_action_agree(gen):
    Qd = gen.dense("float")
    Qs = gen.sparse().toarray()
    assert np.allclose(Qd, Qs)
    Qe = gen.dense("exact")
    assert all(sum(row) == 0 for row in Qe.tolist())
    assert np.allclose(np.array(Qe.tolist(), dtype=float), Qd)
    rng = np.random.default_rng(0)
    p = rng.random(gen.space.size)
    assert np.allclose(gen.apply(p.reshape(gen.space.shape), "float").reshape(-1), p @ Qd)
    assert np.allclose(gen.apply(p.reshape(gen.space.shape), "float", transpose=False).reshape(-1), Qd @ p)


def test_validation_messages():
    with pytest.raises(GeneratorError, match="row 0 .* sums to"):
        validate_generator([[-1, 2], [1, -1]], "exact")
    with pytest.raises(GeneratorError, match="< 0"):
        validate_generator([[1, -1], [1, -1]], "exact")
    with pytest.raises(GeneratorError, match="square"):
        validate_generator([[1, -1]], "float")
    validate_generator(generators.random_walk(4, 2).dense("float"), "float")
    with pytest.raises(GeneratorError, match="alphabet"):
        generators.masking(1, 2)
    with pytest.raises(GeneratorError, match="non-negative"):
        generators.uniform(3, 2, rate=-1)


def test_structure_reports_in_words():
    rw = generators.random_walk(4, 2).structure()
    assert rw.irreducible and "irreducible" in rw.describe()
    mk = generators.masking(3, 2).structure()
    assert not mk.irreducible and "1 absorbing state(s)" in mk.describe()
    # a dense check of the product statement on a small space
    rep = structure_report(generators.masking(2, 2).dense("exact"))
    assert rep.absorbing == (8,) and len(rep.closed_classes) == 1
    bw = structure_report(generators.biased_walk(2, 1).dense("exact"))
    assert bw.closed_classes == (frozenset({3}),) and bw.transient == (frozenset({0, 1, 2}),)


def test_structure_of_a_kronecker_sum_has_a_short_description():
    """KroneckerSum.structure().describe_short() used to raise TypeError (no classes on the product)."""
    from mdtheory import generators

    r = generators.random_walk(3, 2).structure()
    assert r.describe_short() == "9 states on the product; 1 closed class(es) of size 9; 0 absorbing state(s); 0 transient state(s); irreducible"
    assert r.describe().startswith("Kronecker sum of 2 coordinates")
