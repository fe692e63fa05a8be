"""Issue 16, class 3: laws, spaces and tiers take only what they mean.

Every refusal is a one-line error of the library's own classes (all derive from
:class:`mdtheory.tiers.MdtheoryError`) naming the argument; the memory guard runs before
anything is allocated.
"""

import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest

from mdtheory import Law, ProductSpace
from mdtheory.distributions import DistributionError, ising, potts
from mdtheory.laws import LawError
from mdtheory.spaces import MaskedSpace, SpaceError, SpaceTooLargeError, TruncatedLattice
from mdtheory.tiers import CertifiedTier, MdtheoryError, MpTier, TierError, get_tier

S1 = ProductSpace(2, 1)
S2 = ProductSpace(2, 2)


def _one_line(e):
    assert "\n" not in str(e.value)
    return str(e.value)


@pytest.mark.parametrize("probs", [{(True,): "1/2"}, {True: "1/2", 0: "1/2"}])
def test_boolean_state_keys_are_refused(probs):
    # numpy would read True as a mask: {(True,): 1/2} became the uniform law
    with pytest.raises(LawError) as e:
        Law(S1, probs)
    assert "True" in _one_line(e)


def test_boolean_state_in_prob_is_refused():
    law = Law(S1, ["1/4", "3/4"])
    with pytest.raises(LawError):
        law.prob((True,))


def test_the_same_state_twice_in_a_dict_is_refused():
    # 0 and (0,) are two keys for one state of a d = 1 space: the second overwrote the first
    with pytest.raises(LawError, match="same state") as e:
        Law(S1, {0: "1/2", (0,): "1/2"})
    _one_line(e)
    with pytest.raises(LawError, match="same state"):
        Law(S1, {(1,): "1/2", np.int64(1): "1/2"})


@pytest.mark.parametrize("key", [(0.5,), (1.0,)])
def test_non_integer_or_wrong_length_coordinates_are_refused(key):
    with pytest.raises(LawError) as e:
        Law(S1, {key: 1})
    assert "is not a state" in _one_line(e)


@pytest.mark.parametrize("tier", ["float"])  # the rigorous tiers refused these already (see the property tests)
@pytest.mark.parametrize("bad", [None, 1j, object()])
def test_none_complex_and_junk_entries_are_refused(tier, bad):
    with pytest.raises(MdtheoryError) as e:
        Law(S1, [bad, 1], tier)
    _one_line(e)
    with pytest.raises(MdtheoryError):
        Law(S1, {(0,): bad, (1,): 1}, tier)


@pytest.mark.parametrize("cls,args,name", [
    (ProductSpace, (2.5, 2), "m"), (ProductSpace, (2, 2.5), "d"), (ProductSpace, (math.nan, 2), "m"),
    (ProductSpace, (None, 2), "m"), (ProductSpace, (2, None), "d"), (ProductSpace, (True, 2), "m"),
    (MaskedSpace, (2, 1.5), "d"), (MaskedSpace, (Fraction(5, 2), 2), "m"), (TruncatedLattice, (2.5, 2), "L"),
    (TruncatedLattice, (math.inf, 2), "L"),
])
def test_non_integer_sizes_are_refused_naming_the_argument(cls, args, name):
    with pytest.raises(SpaceError) as e:
        cls(*args)
    assert _one_line(e).startswith(f"{name} must be a whole number")
    assert ProductSpace(np.int64(3), 2.0).shape == (3, 3) and MaskedSpace(2, "3").d == 3  # whole sizes still read


@pytest.mark.parametrize("make", [lambda: MpTier(0), lambda: MpTier(-5), lambda: get_tier("mp", 0),
                                  lambda: get_tier("certified", "abc"), lambda: get_tier("certified", 64.5),
                                  lambda: CertifiedTier(None), lambda: get_tier("mp", 1.5), lambda: CertifiedTier(True)])
def test_bad_precisions_are_refused(make):
    with pytest.raises(TierError, match="precision must be a whole number of bits"):
        make()


@pytest.mark.parametrize("ctor", [lambda S: Law.point(S, (0,) * S.d), lambda S: Law.uniform(S),
                                  lambda S: Law.from_function(S, lambda x: 0)])
def test_memory_guard_runs_before_allocating(ctor):
    with pytest.raises(SpaceTooLargeError) as e:
        ctor(ProductSpace(2, 40))
    assert "ProductSpace(m=2, d=40)" in _one_line(e)


def test_states_beyond_numpy_addressing_are_handled():
    S = ProductSpace(2, 70)
    x = (1,) + (0,) * 69
    assert S.state(S.index(x)) == x
    with pytest.raises(SpaceError, match="out of range"):
        S.state(2**70)


@pytest.mark.parametrize("make", [lambda: ising(nx.path_graph(3), 800, tier="float"),
                                  lambda: potts(nx.path_graph(3), 3, 1e300, tier="float"),
                                  lambda: ising(nx.path_graph(3), 1, field=-900, tier="float")])
def test_overflowing_gibbs_laws_are_refused_not_nan(make):
    with np.errstate(all="ignore"):
        with pytest.raises(DistributionError, match="overflow"):
            make()


def test_float_nan_law_says_not_finite():
    with pytest.raises(LawError, match="not a finite number"):
        Law(S1, [math.nan, 1], "float")


def test_mp_law_sum_tolerance_follows_precision():
    law = Law(ProductSpace(3, 4), ["1/81"] * 81, get_tier("mp", 16))  # correct law, rounded at 16 bits
    assert law.tier.prec == 16
    with pytest.raises(LawError):  # but a real error is still caught
        Law(ProductSpace(3, 4), ["1/81"] * 80 + ["1/2"], get_tier("mp", 16))
