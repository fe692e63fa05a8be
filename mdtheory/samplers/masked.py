"""Exact output laws of masked-diffusion samplers: Euler, τ-leaping, ancestral, exact reverse, FHS.

Conventions (``papers/sharp_rates_2602.22505.md`` §2.4–2.7, ``papers/sampler_conventions.md``):

* The clock gives ``α(τ)`` (probability a token is still unmasked at forward time ``τ``).
  A backward grid ``0 = t_0 < … < t_N = T − δ`` is run at forward times ``τ_k = T − t_k``;
  every step is evaluated at its left point ``τ_k`` (the larger forward time).
* A masked token's total reverse rate under exact scores is ``β(τ)·r(α(τ))``
  (:func:`~mdtheory.masked_scores.unmask_rate`; ``= 1/τ`` on the linear clock); the
  estimator's score is ``ŝ = r(α)·ĝ``.
* Per step, each masked token ``j`` of the current state ``x`` (unmasked set ``U``):

  =============  ===========================================================  ===============================
  sampler        moves to ``a`` with probability                              values
  =============  ===========================================================  ===============================
  euler          ``c·ĝ_j(a|x_U)``, ``c = h_k·β(τ_k)·r(α(τ_k))``               independent; needs ``c·Σĝ ≤ 1``
  tau_leaping    ``(1 − e^{−c·Σĝ})·ĝ_j(a)/Σĝ``                                independent
  ancestral      ``p_k·ĝ_j(a)/Σĝ``, ``p_k = (α_{k+1} − α_k)/(1 − α_k)``       independent ("Tweedie")
  exact_reverse  ``R ⊆ M`` i.i.d. Bernoulli(``p_k``), ``x_R ~ p(x_R | x_U)``  jointly (data law)
  =============  ===========================================================  ===============================

* :func:`fhs` (First-Hitting Sampler) unmasks exactly one uniformly chosen masked position
  per event with value ``∝ ĝ_j(·|x_U)``; for time-agnostic estimators the hitting times
  do not enter (``r(α)`` cancels) and the law is that of random-order autoregressive
  sampling.

* Initial law ``init``: ``'all_mask'`` (default; no surrogate), ``'forward'`` (the exact
  forward marginal ``q_T``), or any Law on the masked space.  Early stopping leaves
  masks; they are kept as mass (``leftover_mask_mass``), or filled by ``final``:
  ``'sample'`` (each remaining mask independently from ``ĝ/Σĝ``, SEDD's denoiser) or
  ``'argmax'`` (MDLM's noise removal; ties go to the smallest symbol).

Off-support contexts (``P(X_U = x_U) = 0``) use the estimator's convention (exact
estimator: uniform); no mass is ever dropped and ``off_support_mass`` reports it.

Each grid sampler is a :class:`StepRule` object (:class:`EulerRule`, :class:`TauLeapingRule`,
:class:`AncestralRule`, :class:`ExactReverseRule`) run by :func:`run_rule`; subclass
``StepRule`` (define ``weights`` for a per-token rule, or ``step``) for a rule of your own.
Beyond the full space: :mod:`mdtheory.samplers.blocks` (block products) and
:mod:`mdtheory.samplers.exchangeable` (orbit laws).

>>> from mdtheory.distributions import copy_pairs
>>> from mdtheory.samplers import euler, fhs
>>> res = euler(copy_pairs(2, 2), steps=2)            # linear clock, h = 1/2
>>> res.tv(), res.leftover_mask_mass                  # pair right w.p. 1 − (1/2)(1/2) = 3/4
(1/4, 0)
>>> fhs(copy_pairs(2, 2)).tv()
0
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..laws import Law
from ..masked_scores import MaskedEstimator, MaskedScoreError, unmask_rate
from ..information import partial_marginal_table
from ..schedules import Clock, ExponentialClock, Grid, LinearClock, kappa_grid, uniform_grid
from ..tiers import NotExactError, Tier, as_fraction
from ._masked_core import (
    context_mass,
    SamplerError,
    SamplerResult,
    StepSizeError,
    data_dims,
    finish,
    initial_array,
    is_zero_block,
    per_token_step,
    resolve_estimator,
    resolve_tier,
    subset_step,
)

__all__ = ["euler", "tau_leaping", "ancestral", "exact_reverse", "fhs", "time_grid", "run_rule", "StepRule", "EulerRule",
           "TauLeapingRule", "AncestralRule", "ExactReverseRule"]


def time_grid(clock: Clock | None = None, *, T=None, grid: Grid | None = None, steps: int | None = None,
              kappa=None, delta=0) -> tuple[Clock, Fraction, Grid]:
    """Resolve ``(clock, T, grid)`` for the grid-based samplers.

    * ``grid`` given: used as is (backward times from 0 to ``T − δ``; ``T`` required
      unless the clock has a horizon);
    * ``kappa`` given: :func:`~mdtheory.schedules.kappa_grid` ``(T, κ, δ)`` (default clock:
      exponential);
    * ``steps`` given: ``steps`` equal steps from 0 to ``T − δ`` (default clock: linear, ``T = 1``).

    >>> c, T, g = time_grid(steps=4)
    >>> c, T, [str(x) for x in g.times]
    (linear, Fraction(1, 1), ['0', '1/4', '1/2', '3/4', '1'])
    """
    if clock is None:
        clock = ExponentialClock() if kappa is not None else LinearClock()
    if T is None:
        if clock.horizon is None:
            raise SamplerError(f"the {clock.describe()} clock has no horizon; give the horizon T")
        T = clock.horizon
    T = as_fraction(T)
    delta = as_fraction(delta)
    if clock.horizon is not None and T > clock.horizon:
        raise SamplerError(f"T = {T} exceeds the horizon {clock.horizon} of the {clock.describe()} clock")
    if grid is None:
        if kappa is not None:
            grid = kappa_grid(T, kappa, delta)
        elif steps is not None:
            grid = uniform_grid(T - delta, steps)
        else:
            raise SamplerError("give a grid, steps=N (uniform) or kappa=κ (κ·min(1, T−t) grid)")
    if grid.times[0] < 0 or grid.times[-1] > T:
        raise SamplerError(f"grid times must lie in [0, T] = [0, {T}]")
    return clock, T, grid


def _forward_times(T: Fraction, grid: Grid) -> list[Fraction]:
    return [T - x for x in grid.times]


def _run_grid(law, estimator, rule: "StepRule", *, T, grid, steps, kappa, delta, tier, prec, init, final):
    """Run ``rule`` over the grid from the initial law; ``rule.clock`` is the sampler's clock."""
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    clock, T, grid = time_grid(rule.clock, T=T, grid=grid, steps=steps, kappa=kappa, delta=delta)
    est = resolve_estimator(law, estimator) if rule.needs_estimator else None
    taus = _forward_times(T, grid)
    info: dict = {"clock": clock.describe(), "T": T, "grid": grid.kind, "times": grid.times, "clipped": 0}
    if est is not None:
        info["estimator"] = est.name
    with t.active():
        rule.bind(law=law, estimator=est, tier=t, m=m, d=d, taus=taus, info=info)
        P = initial_array(law, init, t, clock.alpha(taus[0], t))
        for k in range(grid.N):
            P = rule.step(P, k)
        P = _final_fill(P, law, est, final, t, m, d, taus[-1], clock)
    return finish(law, P, t, rule.name, grid.N, info)


def run_rule(law: Law, rule: "StepRule", estimator: MaskedEstimator | None = None, *, T=None,
             grid: Grid | None = None, steps: int | None = None, kappa=None, delta=0, tier=None, prec=None,
             init="all_mask", final=None) -> SamplerResult:
    """Exact output law of a grid sampler given as a :class:`StepRule` (yours or a built-in one).

    >>> from mdtheory.distributions import copy_pairs
    >>> from mdtheory.schedules import LinearClock
    >>> run_rule(copy_pairs(2, 2), AncestralRule(LinearClock()), steps=4).tv()
    1/8
    """
    if not isinstance(rule, StepRule):
        raise SamplerError(f"rule must be a StepRule (e.g. EulerRule(clock)), got {type(rule).__name__}")
    return _run_grid(law, estimator, rule, T=T, grid=grid, steps=steps, kappa=kappa, delta=delta, tier=tier,
                     prec=prec, init=init, final=final)


def _default_clock(clock, kappa) -> Clock:
    return clock if clock is not None else (ExponentialClock() if kappa is not None else LinearClock())


def _final_fill(P, law, est, final, t: Tier, m, d, tau_end, clock):
    if final is None:
        return P
    if final not in ("sample", "argmax"):
        raise SamplerError(f"final={final!r}; use None (keep masks), 'sample' or 'argmax'")
    est = est if est is not None else resolve_estimator(law, None)
    alpha = clock.alpha(tau_end, t) if est.time_dependent else None
    Gn, _ = est.normalized_tables(t, alpha)

    W = []
    for j in range(d):
        g = Gn[j]
        if final == "argmax":
            g = np.moveaxis(_argmax_onehot(np.moveaxis(g, j, -1), t), -1, j)
        W.append(_stack_axis(g, _zeros_like_ctx(g, j, t), j))
    return per_token_step(P, m, d, t, W)


def _argmax_onehot(g: np.ndarray, t: Tier) -> np.ndarray:
    out = t.zeros(g.shape)
    m = g.shape[-1]
    for idx in np.ndindex(*g.shape[:-1]):
        row = g[idx]
        best = 0
        for a in range(1, m):
            c = t.compare(row[a], row[best])
            if c is None:
                raise SamplerError("argmax is undecided (two conditionals overlap as balls); raise the precision")
            if c == 1:
                best = a
        out[idx + (best,)] = t.one
    return out


def _stack_axis(move, stay, j) -> np.ndarray:
    """``[move (m values), stay]`` along axis ``j`` (``stay`` has axis ``j`` of size 1)."""
    return np.concatenate([np.asarray(move), np.asarray(stay)], axis=j)


def _zeros_like_ctx(g, j, t: Tier):
    shape = list(g.shape)
    shape[j] = 1
    return t.zeros(tuple(shape))


def _axis_sum(g: np.ndarray, j: int) -> np.ndarray:
    return np.asarray(g.sum(axis=j, keepdims=True))


# ---------------------------------------------------------------------------------------------
# Euler
# ---------------------------------------------------------------------------------------------
def euler(law: Law, estimator: MaskedEstimator | None = None, *, clock: Clock | None = None, T=None,
          grid: Grid | None = None, steps: int | None = None, kappa=None, delta=0, tier=None, prec=None,
          clip: bool = False, init="all_mask", final=None) -> SamplerResult:
    """Exact output law of the Euler (first-order) sampler of the reverse masked CTMC.

    Each masked token moves to ``a`` w.p. ``c_k·ĝ_j(a|x_U)``, ``c_k = h_k·β(τ_k)·r(α(τ_k))``,
    and stays masked w.p. ``1 − c_k·Σ_a ĝ``; tokens move independently.  A step with
    ``c_k·Σ_a ĝ > 1`` at a visited context raises :class:`StepSizeError`; ``clip=True``
    uses SEDD's effective rule instead (stay probability clipped to 0, moves ∝ ``ĝ``).

    Grid: see :func:`time_grid` — e.g. ``steps=N`` (linear clock, uniform steps) or
    ``clock=ExponentialClock(), T=…, kappa=…, delta=…`` (certified tier).

    >>> from mdtheory.distributions import copy_pairs
    >>> r = euler(copy_pairs(2, 2), steps=4)     # Σp_k = 1, Σp_k² = 1/4: TV = 1 − (1 − (1/2)(1/4)) = 1/8
    >>> r.tv(), r.n_steps
    (1/8, 4)
    """

    rule = EulerRule(_default_clock(clock, kappa), clip=clip)
    return _run_grid(law, estimator, rule, T=T, grid=grid, steps=steps, kappa=kappa, delta=delta, tier=tier,
                     prec=prec, init=init, final=final)


def _negative(stay: np.ndarray, B: np.ndarray, t: Tier):
    """Index of a visited context whose stay probability is certainly negative (else None)."""
    if t.is_float:
        bad = (stay < -1e-12) & (B > 0)
        if bad.any():
            return tuple(np.argwhere(bad)[0])
        return None
    for idx in np.ndindex(*stay.shape):
        if t.compare(stay[idx], t.zero) == -1 and not (B[idx] == 0):
            return idx
    return None


def _clip(g, move, stay, j, t: Tier):
    """SEDD's Gumbel-argmax effective rule: a negative stay weight is dropped and the rest renormalised."""
    if t.is_float:
        neg = stay < 0
        s = g.sum(axis=j, keepdims=True)
        norm = np.divide(g, s, out=np.zeros_like(g), where=s > 0)
        move = np.where(neg, norm, move)
        stay = np.where(neg, 0.0, stay)
        return move, stay
    move, stay = np.moveaxis(move.copy(), j, -1), stay.copy()
    gm = np.moveaxis(g, j, -1)
    for idx in np.ndindex(*stay.shape):
        if t.compare(stay[idx], t.zero) == -1:
            ctx = idx[:j] + idx[j + 1 :]
            s = t.total(gm[ctx])
            move[ctx] = gm[ctx] / s
            stay[idx] = t.zero
    return np.moveaxis(move, -1, j), stay


# ---------------------------------------------------------------------------------------------
# τ-leaping
# ---------------------------------------------------------------------------------------------
def tau_leaping(law: Law, estimator: MaskedEstimator | None = None, *, clock: Clock | None = None, T=None,
                grid: Grid | None = None, steps: int | None = None, kappa=None, delta=0, tier=None, prec=None,
                init="all_mask", final=None) -> SamplerResult:
    """Exact output law of τ-leaping: a masked token unmasks w.p. ``1 − exp(−c_k·Σ_a ĝ)``, value ``∝ ĝ``.

    ``c_k`` as in :func:`euler`.  ``exp`` is irrational, so use ``tier='certified'`` (or
    float) unless every rate is 0.

    >>> from mdtheory.distributions import uniform
    >>> r = tau_leaping(uniform(2, 1), steps=2, tier="certified", prec=64)
    >>> r.tv().contains(0), r.leftover_mask_mass.contains(r.law.prob((2,)))   # leftover e^{−1}·e^{−1}
    (False, True)
    """

    rule = TauLeapingRule(_default_clock(clock, kappa))
    return _run_grid(law, estimator, rule, T=T, grid=grid, steps=steps, kappa=kappa, delta=delta, tier=tier,
                     prec=prec, init=init, final=final)


# ---------------------------------------------------------------------------------------------
# ancestral ("Tweedie") and the exact reverse kernel
# ---------------------------------------------------------------------------------------------
def _euler_step_tables(clock, taus, k, t: Tier, est: MaskedEstimator):
    """``c_k = h_k·β(τ_k)·r(α(τ_k))`` and the estimator's tables ``ĝ`` at the step's left point ``τ_k``."""
    c = t.scalar(taus[k] - taus[k + 1]) * unmask_rate(clock, taus[k], t)
    alpha = clock.alpha(taus[k], t) if est.time_dependent else None
    return c, est.tables(t, alpha)


def _unmask_prob(clock, taus, k, t: Tier):
    a0 = clock.alpha(taus[k], t)
    a1 = clock.alpha(taus[k + 1], t)
    if t.compare(a0, t.one) != -1:
        raise SamplerError(f"step {k} starts at forward time {taus[k]} where α = 1; nothing is masked")
    return (a1 - a0) / (t.one - a0)


def ancestral(law: Law, estimator: MaskedEstimator | None = None, *, clock: Clock | None = None, T=None,
              grid: Grid | None = None, steps: int | None = None, kappa=None, delta=0, tier=None, prec=None,
              init="all_mask", final=None) -> SamplerResult:
    """Exact output law of the ancestral ("Tweedie", MDLM ``ddpm``) sampler.

    Each masked token unmasks independently w.p. ``p_k = (α(τ_{k+1}) − α(τ_k))/(1 − α(τ_k))``
    — the exact per-token probability — with value ``∝ ĝ_j(·|x_U)``; values are
    independent across tokens (the exact reverse kernel draws them jointly).

    >>> from mdtheory.distributions import copy_pairs
    >>> ancestral(copy_pairs(2, 2), steps=4).tv() == euler(copy_pairs(2, 2), steps=4).tv()   # linear clock: equal
    True
    """

    rule = AncestralRule(_default_clock(clock, kappa))
    return _run_grid(law, estimator, rule, T=T, grid=grid, steps=steps, kappa=kappa, delta=delta, tier=tier,
                     prec=prec, init=init, final=final)


def exact_reverse(law: Law, *, clock: Clock | None = None, T=None, grid: Grid | None = None,
                  steps: int | None = None, kappa=None, delta=0, tier=None, prec=None, init="all_mask",
                  final=None) -> SamplerResult:
    """Exact output law of the exact reverse kernel over each step (joint unmasking).

    ``R ⊆ M`` is i.i.d. Bernoulli(``p_k``) and ``x_R ~ p(x_R | x_U)`` jointly, i.e.
    ``P(x → y) = p_k^{|R|}(1−p_k)^{|M|−|R|}·T[y]/T[x]`` with ``T`` the partial-marginal
    table.  From ``init='forward'`` it returns exactly the forward marginal at ``δ``; from
    all-mask, the data law with each token masked w.p. ``(1−α_δ)/(1−α_T)``, so
    ``TV = 1 − ((α_δ − α_T)/(1 − α_T))^d``.  Off-support contexts (only reachable from a
    user ``init``) unmask with uniform values.

    >>> from mdtheory.distributions import parity
    >>> exact_reverse(parity(3), steps=3).tv()        # linear clock to δ = 0: exactly the data law
    0
    """
    rule = ExactReverseRule(_default_clock(clock, kappa))
    return _run_grid(law, None, rule, T=T, grid=grid, steps=steps, kappa=kappa, delta=delta, tier=tier,
                     prec=prec, init=init, final=final)


# ---------------------------------------------------------------------------------------------
# step rules: one object per sampler (what one grid step does to the law)
# ---------------------------------------------------------------------------------------------
class StepRule:
    """One grid step of a masked sampler: ``step(P, k)`` maps the law array before step ``k`` to the one after.

    :func:`_run_grid` binds the rule to a run (data law, estimator, tier, forward times
    ``taus``, ``info`` dict) and calls ``step`` once per grid step.  Per-token rules define
    ``weights(P, k)`` — for every position ``j`` an array ``W_j(x_{−j}, y)`` over
    ``{0..m}^d`` (``y = m``: stays masked), or ``None`` (stays masked surely) — and the step is
    :func:`~mdtheory.samplers._masked_core.per_token_step`; joint rules override ``step``.

    >>> from mdtheory.distributions import copy_pairs
    >>> from mdtheory.schedules import LinearClock
    >>> rule = EulerRule(LinearClock())
    >>> rule.name, euler(copy_pairs(2, 2), steps=2).sampler
    ('euler', 'euler')
    """

    name = "rule"
    needs_estimator = True

    def __init__(self, clock: Clock):
        self.clock = clock

    uses_rate = False  #: the rule evaluates the unmasking rate β·r(α) at every step's start

    def bind(self, *, law, estimator, tier: Tier, m: int, d: int, taus: list, info: dict) -> "StepRule":
        self.law, self.est, self.t, self.m, self.d, self.taus, self.info = law, estimator, tier, m, d, taus, info
        if self.uses_rate:  # refuse a grid that reaches a singular time before any step is taken
            for tau in taus[:-1]:
                try:
                    unmask_rate(self.clock, tau, tier)
                except MaskedScoreError as e:
                    raise SamplerError(f"{self.name}: {e}") from None
        return self

    def step(self, P: np.ndarray, k: int) -> np.ndarray:
        return per_token_step(P, self.m, self.d, self.t, self.weights(P, k))

    def weights(self, P: np.ndarray, k: int) -> list:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.clock.describe()})"


class EulerRule(StepRule):
    """Euler: a masked token moves to ``a`` w.p. ``c_k·ĝ_j(a|x_U)``, ``c_k = h_k·β(τ_k)·r(α(τ_k))``.

    A stay probability ``1 − c_k·Σ_a ĝ < 0`` at a visited context raises
    :class:`StepSizeError`, or with ``clip=True`` uses SEDD's rule (stay 0, moves ∝ ``ĝ``).
    """

    name = "euler"
    uses_rate = True

    def __init__(self, clock: Clock, clip: bool = False):
        super().__init__(clock)
        self.clip = clip

    def weights(self, P, k):
        t, m, taus = self.t, self.m, self.taus
        c, G = _euler_step_tables(self.clock, taus, k, t, self.est)
        W = []
        for j in range(self.d):
            g = G[j]
            move = np.asarray(g * c)
            stay = np.asarray(t.one - _axis_sum(move, j))
            bad = _negative(stay, context_mass(P, j, m), t)
            if bad is not None:
                if not self.clip:
                    raise StepSizeError(
                        f"Euler step {k} (forward time τ = {taus[k]}): h·Σ_a ŝ = {t.format(t.one - stay[bad])} > 1 "
                        f"for position {j} at a visited state; use a finer grid or pass clip=True"
                    )
                self.info["clipped"] += 1
                move, stay = _clip(g, move, stay, j, t)
            W.append(_stack_axis(move, stay, j))
        return W


class TauLeapingRule(StepRule):
    """τ-leaping: a masked token unmasks w.p. ``1 − exp(−c_k·Σ_a ĝ)``, value ``∝ ĝ``."""

    name = "tau_leaping"
    uses_rate = True

    def weights(self, P, k):
        t = self.t
        c, G = _euler_step_tables(self.clock, self.taus, k, t, self.est)
        W = []
        for j in range(self.d):
            g = G[j]
            s_ = _axis_sum(g, j)
            lam = np.asarray(s_ * c)
            try:
                stay = np.exp(-lam) if t.is_float else t.map(lambda v: t.exp(-v), lam)
            except NotExactError:
                raise NotExactError(
                    "τ-leaping's stay probability exp(−h·Σŝ) is irrational; use tier='certified' (or 'float')"
                ) from None
            if t.is_float:
                norm = np.divide(g, s_, out=np.zeros_like(g), where=s_ > 0)
            else:
                zero = np.vectorize(lambda v: t.is_zero(v) is True, otypes=[bool])(s_)
                safe = s_.copy()
                safe[zero] = t.one
                norm = np.asarray(g / safe)
            W.append(_stack_axis(norm * np.asarray(t.one - stay), stay, j))
        return W


class AncestralRule(StepRule):
    """Ancestral ("Tweedie"): a masked token unmasks w.p. ``p_k = (α_{k+1} − α_k)/(1 − α_k)``, value ``∝ ĝ``."""

    name = "ancestral"

    def weights(self, P, k):
        t = self.t
        p = _unmask_prob(self.clock, self.taus, k, t)
        alpha = self.clock.alpha(self.taus[k], t) if self.est.time_dependent else None
        Gn, _ = self.est.normalized_tables(t, alpha)
        if t.is_zero(p) is True:
            return [None] * self.d
        return [_stack_axis(np.asarray(g * p), _zeros_like_ctx(g, j, t) + (t.one - p), j) for j, g in enumerate(Gn)]


class ExactReverseRule(StepRule):
    """Exact reverse kernel: ``R ⊆ M`` i.i.d. Bernoulli(``p_k``), ``x_R ~ p(x_R | x_U)`` jointly."""

    name = "exact_reverse"
    needs_estimator = False

    def bind(self, **kw):
        super().bind(**kw)
        table = partial_marginal_table(self.law)
        self.table = table if self.t == self.law.tier else self.t.convert(table, self.law.tier)
        return self

    def step(self, P, k):
        p = _unmask_prob(self.clock, self.taus, k, self.t)
        return _joint_step(P, self.table, p, self.t, self.m, self.d)


def _joint_step(P, table, p, t: Tier, m, d):
    out = t.zeros(P.shape)
    f = t.array([0] * (m + 1)) if t.dtype is object else np.zeros(m + 1)
    for a in range(m):
        f[a] = p
    f[m] = t.one - p
    unif = t.array([Fraction(1, m)] * m + [1]) if t.dtype is object else np.array([1.0 / m] * m + [1.0])
    for U in range(1 << d):
        sl = tuple(slice(0, m) if U >> i & 1 else m for i in range(d))
        B = P[sl + (Ellipsis,)]
        if is_zero_block(B, t):
            continue
        shapeU = [m if U >> i & 1 else 1 for i in range(d)]
        ctx = table[sl + (Ellipsis,)].reshape(shapeU)
        out_sl = tuple(slice(0, m) if U >> i & 1 else slice(None) for i in range(d))
        joint = table[out_sl]
        if t.is_float:
            zero = ctx == 0
            ratio_ = np.divide(joint, ctx, out=np.zeros(joint.shape), where=~zero)
            ratio_ = np.broadcast_to(ratio_, joint.shape)
        else:
            zero = np.vectorize(lambda v: t.is_zero(v) is True, otypes=[bool])(ctx)
            safe = ctx.copy()
            safe[zero] = t.one
            ratio_ = joint / safe
        R = B.reshape(shapeU) * ratio_
        if zero.any():
            fill = B.reshape(shapeU) * np.where(zero, 1, 0).astype(object if t.dtype is object else float)
            for j in range(d):
                if not U >> j & 1:
                    shp = [1] * d
                    shp[j] = m + 1
                    fill = fill * unif.reshape(shp)
            R = np.where(np.broadcast_to(zero, R.shape), fill, R)
            if t.dtype is object:
                R = R.astype(object)
        for j in range(d):
            if not U >> j & 1:
                shp = [1] * d
                shp[j] = m + 1
                R = R * f.reshape(shp)
        out[out_sl] += R
    return out


# ---------------------------------------------------------------------------------------------
# First-Hitting Sampler
# ---------------------------------------------------------------------------------------------
def fhs(law: Law, estimator: MaskedEstimator | None = None, *, tier=None, prec=None, init="all_mask") -> SamplerResult:
    """Exact output law of the First-Hitting Sampler (Zheng et al. 2409.02908, Alg. 1).

    Each event unmasks one uniformly chosen masked position, value ``∝ ĝ_j(·|x_U)``;
    exactly ``d`` events (no grid, no early stop).  The hitting times (``u ← u·V^{1/n}``
    in ``u = 1 − α``) are independent of the values and ``r(α)`` cancels in the
    normalisation, so for time-agnostic estimators the law needs no time integration:
    it is random-order autoregressive sampling, and equals the data law for exact scores
    (or any positive rescaling of them).  Time-dependent estimators are not supported
    (their law integrates over the hitting-time law; raise with a clear message).

    >>> from mdtheory.distributions import copy
    >>> from mdtheory.masked_scores import rescaled
    >>> fhs(copy(3, 3), rescaled(copy(3, 3), 5)).tv(), fhs(copy(3, 3)).n_steps
    (0, 3)
    """
    m, d = data_dims(law)
    t = resolve_tier(law, tier, prec)
    est = resolve_estimator(law, estimator)
    if est.time_dependent:
        raise SamplerError(
            "fhs supports time-agnostic estimators only (their law needs no time integration); for a "
            "time-dependent ĝ_α, integrate over the hitting-time law yourself or use a grid sampler"
        )
    with t.active():
        Gn, nzero = est.normalized_tables(t)
        P = initial_array(law, init, t)
        one = t.one

        def choose(U):
            M = [i for i in range(d) if not U >> i & 1]
            if not M:
                return [(0, None)]
            w = one / t.scalar(len(M))
            return [(1 << j, w) for j in M]

        for _ in range(d):
            P = subset_step(P, m, d, t, Gn, choose)
    return finish(law, P, t, "fhs", d, {"estimator": est.name, "zero_rows_filled": nzero})
