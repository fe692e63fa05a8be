"""Issue 16, class 6: property tests of the input contract (hypothesis).

Random malformed inputs to :class:`~mdtheory.Law`, the spaces, the tiers and the masked score
estimators either raise the library's own errors (subclasses of
:class:`mdtheory.tiers.MdtheoryError`) — never a raw numpy/flint/Python error — or give an object
that keeps the contract: a law has no negative or NaN entry and sums to 1.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from mdtheory import Law, ProductSpace
from mdtheory.distributions import copy
from mdtheory.masked_scores import from_callable, from_tables, mixing
from mdtheory.samplers.masked import euler
from mdtheory.spaces import MaskedSpace, Space, TruncatedLattice
from mdtheory.tiers import MdtheoryError, get_tier

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TIERS = ["exact", "certified", "mp", "float"]

junk = st.sampled_from([None, 1j, object(), [], {}, "abc", "1/0", "nan", "-inf", "", b"1", np.array([1, 2])])
numbers_ = st.one_of(
    st.integers(-3, 3), st.integers(-(10**400), 10**400), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.fractions(max_denominator=50),
    st.sampled_from(["1/2", "1/3", "-1/4", "0.25", "1e999", "-1e-999", "1/9"]), st.sampled_from([np.float64("nan"), np.int64(1), np.float32(0.5)]),
)
value = st.one_of(numbers_, junk)
size = st.one_of(st.integers(-2, 4), st.floats(allow_nan=True), st.fractions(max_denominator=4), st.booleans(),
                 st.none(), st.sampled_from(["2", "x", 2.0, 3.5, np.int64(2), 1j]))
coord = st.one_of(st.integers(-1, 3), st.booleans(), st.floats(-1, 3), st.none(), st.sampled_from(["0", np.int64(1), np.bool_(True)]))
state_key = st.one_of(coord, st.lists(coord, min_size=0, max_size=3).map(tuple))
tier_name = st.sampled_from(TIERS)


def _check_law(law: Law):
    t = law.tier
    fl = t.to_float_array(law.flat)
    assert np.isfinite(fl).all()
    if t.rigorous:
        assert not t.negative_mask(law.flat).any()
        c = t.compare(law.total(), t.one)
        assert c == 0 or (c is None and law.total().contains(1))
    else:
        assert (fl >= -1e-9).all() and abs(fl.sum() - 1) < 1e-6


def _library_or_ok(fn):
    try:
        return fn()
    except MdtheoryError as e:
        assert "\n" not in str(e) and str(e)
        return None


@SETTINGS
@given(st.lists(value, min_size=4, max_size=4), tier_name, st.booleans())
def test_law_from_random_arrays(vals, tier, normalize):
    law = _library_or_ok(lambda: Law(ProductSpace(2, 2), vals, tier, normalize=normalize))
    if law is not None:
        _check_law(law)


@SETTINGS
@given(st.dictionaries(state_key, value, max_size=4), tier_name, st.booleans())
def test_law_from_random_dicts(probs, tier, normalize):
    law = _library_or_ok(lambda: Law(ProductSpace(2, 2), probs, tier, normalize=normalize))
    if law is not None:
        _check_law(law)
        for key in probs:  # every key named a state: its probability is readable the same way
            assert _library_or_ok(lambda: law.prob(key if isinstance(key, tuple) else (key,))) is not None


@SETTINGS
@given(st.sampled_from([ProductSpace, MaskedSpace, TruncatedLattice]), size, size)
def test_spaces_from_random_sizes(cls, a, b):
    S = _library_or_ok(lambda: cls(a, b))
    if S is not None:
        assert isinstance(S, Space) and type(S.radix) is int and type(S.d) is int and S.d >= 1
        assert S.radix >= 2 and S.size == S.radix**S.d


@SETTINGS
@given(st.one_of(tier_name, junk, st.integers()), st.one_of(st.none(), size, st.integers(-5, 300)))
def test_tiers_from_random_names_and_precisions(name, prec):
    t = _library_or_ok(lambda: get_tier(name, prec))
    if t is not None and getattr(t, "prec", None) is not None:
        assert type(t.prec) is int and t.prec >= 2


@SETTINGS
@given(tier_name, value)
def test_tier_scalars_from_random_values(tier, v):
    t = get_tier(tier, 64 if tier in ("certified", "mp") else None)
    _library_or_ok(lambda: t.scalar(v))


@SETTINGS
@given(st.lists(value, min_size=6, max_size=6), tier_name)
def test_estimators_from_random_tables(vals, tier):
    table0 = [vals[:3], vals[3:]]
    t = get_tier(tier, 64 if tier in ("certified", "mp") else None)

    def run():
        est = from_tables([table0, [[1, 0], [0, 1], ["1/2", "1/2"]]], 2, 2)
        return euler(copy(2, 2), est, steps=4, tier=t, clip=True)

    r = _library_or_ok(run)
    if r is not None:
        _check_law(r.law)


@SETTINGS
@given(value, st.one_of(st.none(), st.lists(value, min_size=2, max_size=2)), tier_name)
def test_mixing_from_random_weights(eta, ref, tier):
    t = get_tier(tier, 64 if tier in ("certified", "mp") else None)
    r = _library_or_ok(lambda: euler(copy(2, 2), mixing(copy(2, 2), eta, ref), steps=4, tier=t, clip=True))
    if r is not None:
        _check_law(r.law)


@SETTINGS
@given(st.lists(value, min_size=2, max_size=2), st.sampled_from(["exact", "float"]))
def test_callable_estimators_with_random_outputs(row, tier):
    est = from_callable(lambda x: {j: row for j in range(2) if x[j] == 2}, 2, 2)
    r = _library_or_ok(lambda: euler(copy(2, 2), est, steps=4, tier=tier, clip=True))
    if r is not None:
        _check_law(r.law)
