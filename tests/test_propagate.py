"""Forward marginals: fast path (mode products) against closed forms and the dense reference path."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from flint import arb, fmpq
from hypothesis import given, settings, strategies as st

from mdtheory import Law, MaskedSpace, NotExactError, ProductSpace, TruncatedLattice, generators
from mdtheory.propagate import (
    Process,
    PropagationError,
    coordinate_kernel,
    forward,
    forward_dense,
)
from mdtheory.schedules import ExponentialClock, LinearClock, LogLinearClock
from mdtheory.spaces import SpaceTooLargeError
from mdtheory.tiers import as_fraction as F, ball_contains, get_tier

alphas = st.fractions(min_value=0, max_value=1, max_denominator=40)


@st.composite
def rational_laws(draw, max_m=3, max_d=3):
    m = draw(st.integers(2, max_m))
    d = draw(st.integers(1, max_d))
    w = draw(st.lists(st.integers(0, 6), min_size=m**d, max_size=m**d).filter(lambda v: sum(v) > 0))
    return Law(ProductSpace(m, d), w, normalize=True)


def masking_closed_form(law: Law, alpha: Fraction) -> dict:
    """q_t(x) = q_0(x_U) α^{|U|} (1−α)^{|M|}, by brute-force marginal sums (independent of the engine)."""
    m, d = law.space.m, law.space.d
    out = {}
    for x in MaskedSpace(m, d).states():
        U = [i for i in range(d) if x[i] != m]
        marg = sum(
            (F(law.prob(y)) for y in itertools.product(range(m), repeat=d) if all(y[i] == x[i] for i in U)), Fraction(0)
        )
        out[x] = marg * alpha ** len(U) * (1 - alpha) ** (d - len(U))
    return out


@given(rational_laws(), alphas)
def test_masking_marginal_equals_closed_form_exactly(law, alpha):
    q = forward(law, generators.masking(law.space.m, law.space.d), alpha=alpha)
    closed = masking_closed_form(law, alpha)
    assert all(F(q.prob(x)) == v for x, v in closed.items())
    assert q.total() == 1  # no mass lost


@settings(max_examples=15)
@given(rational_laws(max_m=2, max_d=3), alphas)
def test_masking_fast_path_equals_dense_sylvester_path_exactly(law, alpha):
    gen = generators.masking(law.space.m, law.space.d)
    assert forward(law, gen, alpha=alpha).equals(forward_dense(law, gen, alpha=alpha)) is True


@settings(max_examples=10)
@given(rational_laws(max_m=3, max_d=2), alphas)
def test_uniform_fast_path_equals_dense_path_exactly(law, alpha):
    gen = generators.uniform(law.space.m, law.space.d, rate=2)
    fast = forward(law, gen, alpha=alpha)
    assert fast.equals(forward_dense(law, gen, alpha=alpha)) is True
    if alpha == 0:  # fully mixed: uniform law
        assert all(F(v) == Fraction(1, law.space.size) for v in fast.flat)


@settings(max_examples=8)
@given(rational_laws(max_m=2, max_d=2), st.fractions(min_value=0, max_value=3, max_denominator=7))
def test_certified_masking_contains_the_closed_form_and_the_dense_ball(law, t):
    gen = generators.masking(law.space.m, law.space.d)
    ce = get_tier("certified", prec=96)
    fast = forward(law, gen, t=t, tier=ce)  # exponential clock: alpha = e^{-t}
    dense = forward_dense(law, gen, t=t, tier=ce)
    with ce.active():
        a = ce.exp(-ce.scalar(t))
        for x in fast.space.states():
            U = sum(v != law.space.m for v in x)
            marg = sum((law.prob(y) for y in itertools.product(range(law.space.m), repeat=law.space.d)
                        if all(y[i] == x[i] for i in range(law.space.d) if x[i] != law.space.m)), fmpq(0))
            closed = ce.scalar(marg) * a**U * (ce.one - a) ** (law.space.d - U)
            assert fast.prob(x).overlaps(closed) and fast.prob(x).overlaps(dense.prob(x))
            assert float(fast.prob(x).rad()) < 1e-24


@pytest.mark.parametrize("m,rp,rm", [(2, 1, "1/2"), (3, 1, 1), (4, "1/2", "1/2"), (5, 1, "1/3")])
def test_random_walk_kernel_rows_sum_to_one_and_match_arb_expm(m, rp, rm):
    ce = get_tier("certified", prec=100)
    f = generators.random_walk(m, 1, rp, rm).factors[0]
    tau = ce.scalar("7/10")
    K = coordinate_kernel(f, ce, tau=tau)
    ref = ce.expm(f.matrix(ce) * tau)  # independent: arb_mat.exp of the generator
    with ce.active():
        for i in range(m):
            s = ce.total(K[i])
            assert ball_contains(s, 1) and float(s.rad()) < 1e-25
            assert all(K[i, j].overlaps(ref[i, j]) for j in range(m))
            assert all(ce.compare(K[i, j], 0) == 1 for j in range(m))
    assert coordinate_kernel(f, "exact", tau=0).tolist() == np.eye(m, dtype=int).tolist()


@pytest.mark.parametrize(
    "gen",
    [generators.random_walk(3, 2, 1, 1), generators.random_walk(3, 2, 1, "1/4"), generators.biased_walk(3, 2, "1/2", 1)],
)
def test_fast_path_matches_dense_paths_in_certified_and_float(gen):
    rng = np.random.default_rng(1)
    w = rng.integers(1, 9, gen.space.size)
    law = Law(gen.space, w.tolist(), normalize=True)
    ce = get_tier("certified", prec=80)
    fast = forward(law, gen, t="13/10", tier=ce)
    dense = forward_dense(law, gen, t="13/10", tier=ce)
    assert all(a.overlaps(b) for a, b in zip(fast.flat, dense.flat))
    ffast = forward(law, gen, t=1.3, tier="float").flat
    assert np.allclose(ffast, forward_dense(law, gen, t=1.3, tier="float", method="expm").flat, atol=1e-13)
    assert np.allclose(ffast, forward_dense(law, gen, t=1.3, tier="float", method="expm_multiply").flat, atol=1e-12)
    assert all(abs(float(x.mid()) - y) < 1e-12 for x, y in zip(fast.flat, ffast))  # float engine vs certified


def test_biased_walk_overflow_is_reported_and_brackets_the_untruncated_marginal():
    """q^L(x) <= q^{L'}(x) <= q^L(x) + overflow^L for L < L': truncation error is bounded by the overflow mass."""
    ce = get_tier("certified", prec=80)
    laws = {}
    for L in (3, 5, 12):
        gen = generators.biased_walk(L, 2, up="1/2", down=1)
        laws[L] = forward(Law.point(TruncatedLattice(L, 2), (0, 0)), gen, t=2, tier=ce)
        assert ball_contains(laws[L].total(), 1)  # no mass lost: overflow is kept
    over = {L: laws[L].overflow_mass() for L in laws}
    assert ce.compare(over[3], over[5]) == 1 and ce.compare(over[5], over[12]) == 1
    assert ce.compare(over[3], 0) == 1
    for x in itertools.product(range(4), repeat=2):
        lo, hi = laws[3].prob(x), laws[3].prob(x) + over[3]
        for L in (5, 12):
            assert ce.compare(laws[L].prob(x), lo) != -1 and ce.compare(laws[L].prob(x), hi) != 1


def test_time_inhomogeneous_clock_composes_as_a_semigroup():
    law = Law(ProductSpace(2, 2), [1, 2, 3, 4], normalize=True)
    proc = Process(generators.masking(2, 2), LogLinearClock("1/10"))
    mid = forward(law, proc, t="1/3")
    two_steps = forward(mid, proc, t="3/4", s="1/3")
    direct = forward(law, proc, t="3/4")
    assert two_steps.equals(direct) is True
    # linear clock alpha(t) = 1 - t is exact; the exponential clock's alpha needs the certified tier
    assert forward(law, Process(generators.masking(2, 2), LinearClock()), t="1/4").equals(
        forward(law, generators.masking(2, 2), alpha="3/4")
    )
    with pytest.raises(NotExactError, match="certified"):
        forward(law, Process(generators.masking(2, 2), ExponentialClock()), t="1/4")


def test_bad_requests_fail_clearly():
    law = Law.uniform(ProductSpace(3, 2))
    rw = generators.random_walk(3, 2)
    with pytest.raises(PropagationError, match="not parametrised by alpha"):
        forward(law, rw, alpha="1/2")
    with pytest.raises(NotExactError, match="certified"):
        forward(law, rw, t="1/2")
    with pytest.raises(PropagationError, match="exactly one"):
        forward(law, rw, t=1, tau=1)
    with pytest.raises(PropagationError, match="lives on"):
        forward(Law.uniform(ProductSpace(2, 2)), rw, t=1, tier="float")
    big = Law.point(ProductSpace(2, 22), (0,) * 22, tier="float")  # 4M states fit ...
    with pytest.raises(SpaceTooLargeError, match="memory budget"):  # ... but {0,1,mask}^22 has 3.1e10
        forward(big, generators.masking(2, 22), alpha="1/2")


def test_symbolic_path_agrees_with_the_engine():
    import sympy as sp

    from mdtheory.propagate import forward_symbolic

    law = Law(ProductSpace(2, 2), [1, 0, 2, 5], normalize=True)
    tau, sym = forward_symbolic(law, generators.masking(2, 2))
    fast = forward(law, generators.masking(2, 2), alpha="2/7")
    for x in fast.space.states():
        exact = sp.nsimplify(sp.expand(sym[x].subs(tau, -sp.log(sp.Rational(2, 7)))))
        assert exact == sp.Rational(int(fast.prob(x).p), int(fast.prob(x).q))
    # random walk on Z_3 (irrational): the certified ball overlaps a 40-digit symbolic value
    rw = generators.random_walk(3, 1, 1, "1/2")
    p3 = Law(ProductSpace(3, 1), [1, 2, 3], normalize=True)
    tau, sym = forward_symbolic(p3, rw)
    ball = forward(p3, rw, tau="3/5", tier=get_tier("certified", prec=100))
    for x in p3.space.states():
        v = arb(str(sp.N(sym[x].subs(tau, sp.Rational(3, 5)), 40)), 1e-35)
        assert ball.prob(x).overlaps(v) and float(ball.prob(x).rad()) < 1e-25


def test_mp_tier_runs_the_same_code_path():
    law = Law(ProductSpace(3, 2), list(range(1, 10)), normalize=True)
    rw = generators.random_walk(3, 2, 1, "1/3")
    mp = forward(law, rw, t="1/2", tier=get_tier("mp", prec=120))
    ce = forward(law, rw, t="1/2", tier=get_tier("certified", prec=120))
    assert mp.tier.name == "mp"
    for a, b in zip(mp.flat, ce.flat):
        assert abs(float(a) - float(b.mid())) < 1e-30 + 1e-15


def test_float_random_walk_kernel_vectorised_matches_certified():
    """The float tier's vectorised cosine sums against the certified tier's (independent scalar code)."""
    from fractions import Fraction

    from mdtheory.propagate import _random_walk_cosine_kernel
    from mdtheory.tiers import get_tier

    C = get_tier("certified")
    for m in (2, 3, 5, 12):
        fl = _random_walk_cosine_kernel(m, Fraction(3, 2), 0.4, get_tier("float"))
        with C.active():
            ball = _random_walk_cosine_kernel(m, Fraction(3, 2), C.scalar(Fraction(2, 5)), C)
        mid = np.array([[float(v.mid()) for v in row] for row in ball])
        assert fl.dtype == np.float64 and np.max(np.abs(fl - mid)) < 1e-14
        assert np.allclose(fl.sum(axis=1), 1.0) and np.allclose(fl, fl.T)
