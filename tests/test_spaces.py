import pytest
from hypothesis import given, strategies as st

from mdtheory.spaces import MaskedSpace, ProductSpace, SpaceTooLargeError, TruncatedLattice
from mdtheory.tiers import get_tier


@given(st.integers(2, 5), st.integers(1, 5), st.data())
def test_index_and_state_are_inverse(m, d, data):
    for S in (ProductSpace(m, d), MaskedSpace(m, d), TruncatedLattice(m, d)):
        i = data.draw(st.integers(0, S.size - 1))
        assert S.index(S.state(i)) == i
        assert S.state(i) in S


@given(st.integers(2, 4), st.integers(1, 4))
def test_enumeration_is_in_index_order_and_complete(m, d):
    S = MaskedSpace(m, d)
    states = list(S.states())
    assert len(states) == S.size == (m + 1) ** d
    assert [S.index(x) for x in states] == list(range(S.size))
    assert (S.states_array()[-1] == states[-1]).all()


def test_hamming_neighbours():
    S = ProductSpace(3, 4)
    x = (0, 1, 2, 0)
    nb = list(S.hamming_neighbours(x))
    assert len(nb) == len(set(nb)) == 4 * 2
    assert all(sum(a != b for a, b in zip(x, y)) == 1 for y in nb)


def test_masked_space_and_lattice_conventions():
    S = MaskedSpace(3, 2)
    assert S.mask == 3 and S.shape == (4, 4) and S.masked_positions((3, 0)) == (0,)
    T = TruncatedLattice(5, 2)
    assert T.L == 5 and T.overflow == 6 and T.shape == (7, 7)


def test_refuses_spaces_that_do_not_fit_with_the_memory_needed():
    S = MaskedSpace(2, 40)
    with pytest.raises(SpaceTooLargeError, match=r"needs about .* but the memory budget is"):
        S.check_fits(get_tier("exact"))
    with pytest.raises(ValueError, match="m >= 2"):
        ProductSpace(1, 3)
    with pytest.raises(ValueError, match="not a state"):
        ProductSpace(2, 2).index((0, 2))
