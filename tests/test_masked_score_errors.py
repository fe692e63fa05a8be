"""Score errors of masked estimators against independent computations (direct sums over the forward marginal)."""

import itertools
import math
import os
import sys
from fractions import Fraction

from flint import fmpq

from mdtheory import generators
from mdtheory.masked_score_errors import fhs_score_error, l1_score_error, l1_score_error_grid, score_entropy_error_grid
from mdtheory.masked_scores import mixing, multiplicative_noise, rescaled
from mdtheory.propagate import forward
from mdtheory.samplers import fhs
from mdtheory.schedules import LinearClock, uniform_grid
from mdtheory.spaces import MaskedSpace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _masked_laws import LAWS, brute_cond  # noqa: E402


def _l1_direct(law, est, alpha):
    """Σ_x q_α(x) Σ_{j masked} Σ_a |ŝ − s| with q_α from the forward process."""
    m, d = law.space.m, law.space.d
    q = forward(law, generators.masking(m, d), alpha=alpha)
    r = fmpq(alpha.numerator, alpha.denominator) / (1 - fmpq(alpha.numerator, alpha.denominator))
    Gh = est.tables("exact")
    tot = fmpq(0)
    for x in MaskedSpace(m, d).states():
        if q.probs[x] == 0:
            continue
        for j in range(d):
            if x[j] != m:
                continue
            p = brute_cond(law, x, j)
            gh = Gh[j][tuple(slice(None) if i == j else x[i] for i in range(d))]
            tot += q.probs[x] * sum(abs(r * gh[a] - r * p[a]) for a in range(m))
    return tot


def test_l1_score_error_matches_direct_sum():
    law = LAWS[2]
    est = multiplicative_noise(law, "1/3", seed=2)
    for alpha in (Fraction(1, 3), Fraction(3, 4)):
        assert l1_score_error(law, est, alpha) == _l1_direct(law, est, alpha)
    grid = uniform_grid(1, 4)
    direct = sum(Fraction(1, 4) * _l1_direct_rate(law, est, Fraction(1) - t) for t in grid.times[:-1])
    assert l1_score_error_grid(law, est, clock=LinearClock(), grid=grid, T=1) == fmpq(direct.numerator, direct.denominator)


def _l1_direct_rate(law, est, tau):
    """β(τ)·E|ŝ − s| on the linear clock: α = 1 − τ, β = 1/α."""
    alpha = 1 - tau
    if alpha == 0:  # β·r = 1/τ; E over q at α = 0 is the all-mask state only
        m, d = law.space.m, law.space.d
        Gh = est.tables("exact")
        x = (m,) * d
        tot = fmpq(0)
        for j in range(d):
            p = brute_cond(law, x, j)
            gh = Gh[j][tuple(slice(None) if i == j else m for i in range(d))]
            tot += sum(abs(gh[a] - p[a]) for a in range(m))
        return Fraction(int(tot.p), int(tot.q)) / tau
    v = _l1_direct(law, est, alpha) / fmpq(alpha.numerator, alpha.denominator)
    return Fraction(int(v.p), int(v.q))


def test_fhs_score_error_is_order_average_and_bounds_tv():
    law = LAWS[2]
    est = mixing(law, "1/3", reference="random", seed=5)
    m, d = 2, 3
    Gh = est.tables("exact")
    # direct: average over the d! orders of Σ_k E_p ‖ĝ − p‖₁ along the order
    total = fmpq(0)
    for order in itertools.permutations(range(d)):
        for k, j in enumerate(order):
            U = set(order[:k])
            for y in itertools.product(range(m), repeat=d):
                if law.probs[y] == 0:
                    continue
                x = tuple(y[i] if i in U else m for i in range(d))
                p = brute_cond(law, x, j)
                gh = Gh[j][tuple(slice(None) if i == j else x[i] for i in range(d))]
                total += law.probs[y] * sum(abs(gh[a] - p[a]) for a in range(m))
    eps = fhs_score_error(law, est)
    assert eps == total / math.factorial(d)
    assert fhs(law, est).tv() <= eps / 2  # normalised estimates: TV ≤ ½ ε^FHS (path coupling)
    assert fhs_score_error(law, rescaled(law, 1)) == 0


def test_score_entropy_closed_form_for_rescaling():
    """ŝ = λs: Σ_a [ŝ − s + s log(s/ŝ)] = (λ − 1 − log λ)·Σ_a s, while Σ_a |ŝ − s| = |λ − 1|·Σ_a s."""
    law = LAWS[2]
    lam = Fraction(3)
    grid = uniform_grid(1, 3)
    se = score_entropy_error_grid(law, rescaled(law, lam), clock=LinearClock(), grid=grid, T=1, prec=128)
    l1 = l1_score_error_grid(law, rescaled(law, lam), clock=LinearClock(), grid=grid, T=1)
    from flint import arb

    expect = arb(l1) * (arb(2) - arb(3).log()) / 2
    assert se.overlaps(expect) and se.rad() < 1e-30
    zero = score_entropy_error_grid(law, None, clock=LinearClock(), grid=grid, T=1)
    assert zero.contains(0)
    bad = mixing(law, 1, reference=[1, 0])  # ĝ = (1, 0): misses s > 0 on visited contexts
    assert score_entropy_error_grid(law, bad, clock=LinearClock(), grid=grid, T=1) == math.inf
