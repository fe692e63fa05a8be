import numpy as np
import pytest
from flint import fmpq
from hypothesis import given, strategies as st

from mdtheory import Law, LawError, MaskedSpace, ProductSpace
from mdtheory.tiers import ball_contains, get_tier


def test_validation_says_by_how_much():
    S = ProductSpace(2, 1)
    with pytest.raises(LawError, match=r"sum to 5/6, not 1 \(off by -1/6\)"):
        Law(S, ["1/2", "1/3"])
    with pytest.raises(LawError, match="< 0"):
        Law(S, ["3/2", "-1/2"])
    with pytest.raises(LawError, match="off by"):
        Law(S, [0.5, 0.4], tier="float")
    with pytest.raises(LawError, match="has 2 states"):
        Law(S, [1, 0, 0])
    with pytest.raises(LawError, match="not a state"):
        Law(S, {(3,): 1})


@given(st.lists(st.integers(0, 9), min_size=4, max_size=4).filter(lambda w: sum(w) > 0))
def test_normalize_and_tier_conversion(weights):
    S = ProductSpace(2, 2)
    p = Law(S, weights, normalize=True)
    assert p.total() == 1
    assert all(p.probs.reshape(-1)[i] == fmpq(w, sum(weights)) for i, w in enumerate(weights))
    c = p.to_tier("certified", prec=64)
    assert all(ball_contains(c.flat[i], p.flat[i]) for i in range(4))
    f = p.to_tier("float")
    assert np.allclose(f.flat, np.array(weights) / sum(weights))
    assert len(p.support()) == sum(w > 0 for w in weights)


def test_masked_embedding_keeps_all_mass_on_unmasked_states():
    p = Law(ProductSpace(3, 2), np.arange(1, 10), normalize=True)
    q = p.to_masked()
    assert q.space == MaskedSpace(3, 2)
    assert q.total() == 1 and q.masked_mass() == 0
    assert q.prob((2, 1)) == p.prob((2, 1)) and q.prob((3, 1)) == 0


def test_constructors():
    S = MaskedSpace(2, 2)
    assert Law.point(S, S.all_masked()).masked_mass() == 1
    u = Law.uniform(ProductSpace(3, 2), tier="certified")
    assert ball_contains(u.flat[0], fmpq(1, 9))
    f = Law.from_function(ProductSpace(2, 2), lambda x: 1 + x[0], normalize=True)
    assert f.prob((1, 0)) == fmpq(1, 3)
    assert get_tier("exact").compare(f.total(), 1) == 0
