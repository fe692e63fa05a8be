"""Certified signs of score-functional derivatives on whole time intervals, and counterexample search.

:func:`certify_monotone` proves the sign of ``dF/dt`` (``F = E_{p_t}Φ(score)``, see
:mod:`mdtheory.scores`) for *every* ``t`` in an interval: the derivative is evaluated with ``t`` an
``arb`` ball covering a sub-interval (interval evaluation: the forward kernels, scores and
Bregman gaps are then enclosures over the whole sub-interval), and sub-intervals whose enclosure
straddles 0 are bisected, up to ``max_depth``.  A sub-interval whose enclosure lies entirely on
the wrong side is a *certified violation*.  The float tier evaluates a dense grid instead and
never reports ``proved``.

:func:`search_counterexample` maximises ``max_t dF/dt`` over data laws on the simplex (float
objective, random and sparse-support restarts, scipy optimisers on logits) and then certifies a
witness — the law rounded to exact rationals, a rational ``t`` and a derivative ball strictly
above 0.  The witness is a JSON-serialisable dict; :func:`replay_witness` recomputes it.

>>> from mdtheory import Law, ProductSpace, generators
>>> mu = Law(ProductSpace(2, 1), ["1/5", "4/5"])
>>> r = certify_monotone(mu, generators.random_walk(2, 1), "kl", ("1/10", 1), strict=True, prec=64)
>>> r.verdict, r.tier.name, r.undecided
('proved', 'certified', [])
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from flint import arb, fmpq

from .generators import KroneckerSum, biased_walk, masking, random_walk
from .laws import Law
from .propagate import Process
from .phi import PhiError, UndecidedError, get_phi
from .scores import score_functional_derivative
from .spaces import MaskedSpace, TruncatedLattice
from .tiers import MdtheoryError, Tier, as_fraction, get_tier

__all__ = [
    "MonotonicityError",
    "MonotonicityResult",
    "CounterexampleResult",
    "certify_monotone",
    "search_counterexample",
    "replay_witness",
]

_SENSES = ("nonincreasing", "nondecreasing")


class MonotonicityError(MdtheoryError):
    """Invalid request to the monotonicity tools.

    >>> from mdtheory import Law, ProductSpace, generators
    >>> certify_monotone(Law(ProductSpace(2, 1), ["1/2", "1/2"]), generators.random_walk(2, 1), "kl", (1, "1/2"))
    Traceback (most recent call last):
    ...
    mdtheory.monotonicity.MonotonicityError: the interval needs a < b, got [1, 1/2]
    """


@dataclass
class MonotonicityResult:
    """Outcome of :func:`certify_monotone`.

    ``proved``: sub-intervals on which the sign is proved (certified tier) or observed (float);
    ``undecided``: sub-intervals left at the depth/evaluation limit; ``refuted``: sub-intervals on
    which the derivative is certainly of the wrong sign.  ``worst`` is the largest value of the
    derivative's enclosure toward the wrong side over ``proved`` pieces (``≤ 0`` for
    ``nonincreasing``, as a float upper bound).  ``overflow_bound`` (biased walk) is the largest
    certified overflow mass over the whole interval — ``None`` when some piece was never evaluated
    (a bound over the evaluated pieces only would under-report it).  ``complete`` is False when the
    evaluation budget ran out before every piece was evaluated (``unevaluated`` of them): then the
    verdict is ``'unfinished'`` (unless a piece is refuted) and the certificate proves nothing about
    the unevaluated pieces.

    >>> from mdtheory import Law, ProductSpace, generators
    >>> r = certify_monotone(Law(ProductSpace(2, 1), ["1/4", "3/4"]), generators.random_walk(2, 1), "kl", ("1/5", 1), prec=64)
    >>> r.verdict, r.refuted, r.worst <= 0
    ('proved', [], True)
    """

    sense: str
    strict: bool
    interval: tuple
    variable: str
    tier: Tier
    proved: list = field(default_factory=list)
    undecided: list = field(default_factory=list)
    refuted: list = field(default_factory=list)
    worst: float | None = None
    evaluations: int = 0
    seconds: float = 0.0
    overflow_bound: float | None = None
    complete: bool = True
    unevaluated: int = 0

    @property
    def verdict(self) -> str:
        if self.refuted:
            return "refuted" if self.tier.rigorous else "violated (float, not a proof)"
        if not self.complete:
            return "unfinished"
        if self.undecided:
            return "undecided"
        return "proved" if self.tier.rigorous else "observed (float, not a proof)"

    def summary(self) -> str:
        ob = "" if self.overflow_bound is None else f", overflow ≤ {self.overflow_bound:.3g}"
        if not self.complete:
            ob += (f"; evaluation budget exhausted: {self.unevaluated} pieces never evaluated, "
                   "no bound is claimed for them — raise max_evaluations")
        return (
            f"{self.sense}{' (strict)' if self.strict else ''} on [{self.interval[0]}, {self.interval[1]}] in "
            f"{self.variable}: {self.verdict} ({len(self.proved)} pieces proved, {len(self.undecided)} undecided, "
            f"{len(self.refuted)} refuted; {self.evaluations} evaluations, {self.seconds:.2f} s, "
            f"{self.tier.describe()}{ob})"
        )

    def __repr__(self) -> str:
        return f"MonotonicityResult({self.summary()})"


def _ball(lo: Fraction, hi: Fraction, T):
    with T.active():
        a = arb(fmpq(lo.numerator, lo.denominator))
        b = arb(fmpq(hi.numerator, hi.denominator))
        return a.union(b)


def _classify(value, T, sense: str, strict: bool):
    """'ok', 'bad' (certainly wrong side), or 'open'; plus the bound toward the wrong side."""
    zero = T.zero
    with T.active():
        if sense == "nonincreasing":
            ok = T.lt(value, zero) if strict else T.le(value, zero)
            bad = T.gt(value, zero)
            worst = T.upper_float(value)
        else:
            ok = T.gt(value, zero) if strict else T.ge(value, zero)
            bad = T.lt(value, zero)
            worst = -T.lower_float(value)
        return ("ok" if ok is True else "bad" if bad is True else "open"), worst


def certify_monotone(
    law: Law,
    process,
    phi,
    interval,
    *,
    sense: str = "nonincreasing",
    strict: bool = False,
    direction=None,
    score: str = "auto",
    variable: str = "t",
    method: str = "bregman",
    tier: str = "certified",
    prec: int = 128,
    initial_pieces: int = 16,
    max_depth: int = 14,
    max_evaluations: int = 20000,
    grid_points: int = 1000,
) -> MonotonicityResult:
    """Prove ``dF/d(variable)`` has a sign on the whole ``interval`` by interval evaluation and bisection.

    Parameters
    ----------
    law, process, phi, direction, score, method :
        As in :func:`mdtheory.scores.score_functional_derivative`.
    interval : (a, b)
        Rational end points (``0 < a`` for the random and biased walks: the score needs ``p_t > 0``).
    sense : ``'nonincreasing'`` or ``'nondecreasing'``
        The claimed direction; ``strict=True`` asks for a strict sign (``dF < 0`` resp. ``> 0``).
    variable : ``'t'`` (clock time), ``'tau'`` (integrated rate) or ``'alpha'`` (masking keep
        probability; *forward* time runs toward smaller ``α``, so "non-increasing in forward
        time" is ``sense='nondecreasing'`` in ``α``).
    tier : ``'certified'`` (proof) or ``'float'`` (a dense grid of ``grid_points`` points; never a proof).
    initial_pieces, max_depth, max_evaluations :
        Start with this many equal pieces; bisect undecided pieces at most ``max_depth`` times and
        stop after ``max_evaluations`` derivative evaluations (what is left is ``undecided``).

    Returns
    -------
    MonotonicityResult

    >>> from mdtheory import Law, ProductSpace, generators
    >>> mu = Law(ProductSpace(2, 1), ["1/4", "3/4"])
    >>> r = certify_monotone(mu, generators.random_walk(2, 1), "kl", ("1/5", 1), prec=64)
    >>> r.verdict, r.tier.rigorous                     # KL to the uniform law decreases along the walk
    ('proved', True)
    >>> certify_monotone(mu, generators.random_walk(2, 1), "kl", ("1/5", 1), tier="float", grid_points=20).verdict
    'observed (float, not a proof)'
    """
    if sense not in _SENSES:
        raise MonotonicityError(f"sense must be one of {', '.join(_SENSES)}, got {sense!r}")
    if variable not in ("t", "tau", "alpha"):
        raise MonotonicityError(f"variable must be 't', 'tau' or 'alpha', got {variable!r}")
    a, b = (as_fraction(x) for x in interval)
    if not a < b:
        raise MonotonicityError(f"the interval needs a < b, got [{a}, {b}]")
    if tier not in ("certified", "float"):
        raise MonotonicityError(f"tier must be 'certified' (a proof) or 'float' (a grid observation), got {tier!r}")
    T = get_tier(tier, prec if tier == "certified" else None)
    get_phi(phi)
    res = MonotonicityResult(sense, strict, (a, b), variable, T)
    t0 = time.perf_counter()

    def deriv(x):
        kw = {variable: x}
        return score_functional_derivative(
            law, process, phi, direction=direction, score=score, method=method, tier=T, **kw
        )

    def note_overflow(dv):
        if dv.overflow_bound is not None and (res.overflow_bound is None or dv.overflow_bound > res.overflow_bound):
            res.overflow_bound = dv.overflow_bound  # keeps a rigorous OverflowBound (exact upper end in .exact)

    if not T.rigorous:
        pts = [a + (b - a) * Fraction(k, grid_points - 1) for k in range(grid_points)]
        worst = -math.inf
        for x in pts:
            dv = deriv(float(x))
            note_overflow(dv)
            res.evaluations += 1
            status, w = _classify(dv.value, T, sense, strict)
            worst = max(worst, w)
            (res.proved if status == "ok" else res.refuted if status == "bad" else res.undecided).append((x, x))
        res.worst = worst
        res.seconds = time.perf_counter() - t0
        return res

    stack = [(a + (b - a) * Fraction(k, initial_pieces), a + (b - a) * Fraction(k + 1, initial_pieces), 0)
             for k in range(initial_pieces)][::-1]
    worst = -math.inf
    uncovered = 0  # terminal pieces without a certified overflow bound
    while stack:
        lo, hi, depth = stack.pop()
        if res.evaluations >= max_evaluations:
            res.undecided.append((lo, hi))
            res.complete = False
            res.unevaluated += 1
            uncovered += 1
            continue
        res.evaluations += 1
        dv = None
        try:
            dv = deriv(_ball(lo, hi, T))
            note_overflow(dv)
            status, w = _classify(dv.value, T, sense, strict)
        except UndecidedError:
            status, w = "open", math.inf
        if dv is None and (status != "open" or depth >= max_depth):
            uncovered += 1
        if status == "ok":
            res.proved.append((lo, hi))
            worst = max(worst, w)
        elif status == "bad":
            res.refuted.append((lo, hi))
        elif depth >= max_depth:
            res.undecided.append((lo, hi))
        else:
            mid = (lo + hi) / 2
            stack.append((mid, hi, depth + 1))
            stack.append((lo, mid, depth + 1))
    res.proved.sort()
    res.undecided.sort()
    res.refuted.sort()
    res.worst = worst if res.proved else None
    if uncovered and res.overflow_bound is not None:
        res.overflow_bound = None  # a maximum over part of the interval is no bound: report none
    res.seconds = time.perf_counter() - t0
    return res


# =============================================================================================
# counterexample search
# =============================================================================================


@dataclass
class CounterexampleResult:
    """Outcome of :func:`search_counterexample`.

    ``found`` is True only when a witness was *certified* (derivative ball strictly on the wrong
    side).  ``best_float`` is the best float objective reached; ``witness`` is a JSON-serialisable
    dict (replay with :func:`replay_witness`) or ``None``.

    >>> from mdtheory import generators
    >>> r = search_counterexample(generators.masking(2, 2), "ulogu", ["1/10", "1/2", "9/10"],
    ...                           sense="nondecreasing", variable="alpha", score="raw", restarts=1,
    ...                           sparse_starts=0, maxiter=5, prec=64)
    >>> r.found, r.best_float > 0, sorted(r.witness)[:3]
    (True, True, ['derivative', 'direction', 'law'])
    """

    found: bool
    witness: dict | None
    best_float: float
    restarts: int
    evaluations: int
    seconds: float
    sense: str

    def __repr__(self) -> str:
        w = "" if not self.witness else f", t={self.witness['t']}, derivative={self.witness['derivative']}"
        return f"CounterexampleResult(found={self.found}, best_float={self.best_float:.4g}{w})"


def _process_spec(process) -> dict:
    gen = process.generator if isinstance(process, Process) else process
    if not isinstance(gen, KroneckerSum):
        raise MonotonicityError(f"expected a generator or Process, got {type(process).__name__}")
    if isinstance(process, Process) and process.clock.describe() != "exponential(rate=1)":
        raise MonotonicityError("counterexample witnesses support the default exponential clock (rate 1) only")
    f = gen.factors[0]
    p = f.param
    if f.family == "random_walk":
        return {"family": "random_walk", "m": int(p["m"]), "d": gen.d,
                "rate_plus": str(p["rate_plus"]), "rate_minus": str(p["rate_minus"])}
    if f.family == "biased_walk":
        return {"family": "biased_walk", "L": int(p["L"]), "d": gen.d, "up": str(p["up"]), "down": str(p["down"])}
    if f.family == "masking":
        return {"family": "masking", "m": int(p["m"]), "d": gen.d, "rate": str(p["rate"])}
    raise MonotonicityError(f"no witness format for the {f.family!r} process")


def _process_from_spec(spec: dict) -> KroneckerSum:
    fam = spec["family"]
    if fam == "random_walk":
        return random_walk(spec["m"], spec["d"], spec["rate_plus"], spec["rate_minus"])
    if fam == "biased_walk":
        return biased_walk(spec["L"], spec["d"], spec["up"], spec["down"])
    if fam == "masking":
        return masking(spec["m"], spec["d"], spec["rate"])
    raise MonotonicityError(f"unknown process family {fam!r} in the witness")


def _data_space(gen: KroneckerSum):
    sp = gen.space
    if isinstance(sp, MaskedSpace):
        return sp.data_space
    return sp


def _float_objective(gen, phi, times, variable, direction, score, sense, space):
    sign = 1.0 if sense == "nonincreasing" else -1.0

    def obj(probs: np.ndarray) -> tuple[float, float]:
        law = Law(space, probs.reshape(space.shape), "float", validate=False)
        best, arg = -math.inf, None
        for x in times:
            try:
                dv = score_functional_derivative(law, gen, phi, direction=direction, score=score, tier="float",
                                                 **{variable: float(x)})
                v = sign * float(dv.value)
            except (PhiError, ZeroDivisionError, FloatingPointError):
                continue
            if math.isfinite(v) and v > best:
                best, arg = v, x
        return best, arg

    return obj


def _rationalise(probs: np.ndarray, max_den: int) -> list[Fraction]:
    fr = [Fraction(float(v)).limit_denominator(max_den) for v in probs.reshape(-1)]
    fr = [max(f, Fraction(0)) for f in fr]
    tot = sum(fr)
    return [f / tot for f in fr]


def search_counterexample(
    process,
    phi,
    times,
    *,
    sense: str = "nonincreasing",
    variable: str = "t",
    direction=None,
    score: str = "auto",
    restarts: int = 6,
    sparse_starts: int = 4,
    seed: int = 0,
    maxiter: int = 200,
    prec: int = 128,
    max_denominator: int = 1000,
    support=None,
) -> CounterexampleResult:
    """Search data laws for a violation of the claimed monotonicity, and certify a witness.

    The float objective is ``max_{t ∈ times} ±dF/dt`` (``+`` for ``sense='nonincreasing'``:
    a positive value is a violation).  Laws are ``softmax(θ)`` on the data space (masking:
    ``Z_m^d``; biased walk: levels ``≤ support`` of the truncated lattice, default ``L//2``);
    starts are random Gaussian logits and sparse supports; each is refined by Nelder–Mead.  The
    best law is rounded to rationals (denominators ≤ ``max_denominator``), and the derivative at the
    best grid time is recomputed in the certified tier at ``prec`` bits; ``found`` iff that ball
    lies strictly on the wrong side.

    >>> from mdtheory import generators
    >>> r = search_counterexample(generators.masking(2, 2), "ulogu", ["1/10", "1/2", "9/10"],
    ...                           sense="nondecreasing", variable="alpha", score="raw", restarts=1,
    ...                           sparse_starts=0, maxiter=5, prec=64)
    >>> r.found, replay_witness(r.witness)["derivative_sign"]
    (True, -1)
    """
    import scipy.optimize

    if sense not in _SENSES:
        raise MonotonicityError(f"sense must be one of {', '.join(_SENSES)}, got {sense!r}")
    gen = process.generator if isinstance(process, Process) else process
    spec = _process_spec(process)
    phi_obj = get_phi(phi)
    if phi_obj.name not in ("kl", "burg", "chi2", "hellinger", "ulogu", "identity"):
        raise MonotonicityError("witnesses are replayable for library Φ only; pass a library name")
    times = [as_fraction(x) for x in times]
    if not times:
        raise MonotonicityError("give at least one time point")
    space = _data_space(gen)
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    n = space.size
    allowed = np.ones(n, dtype=bool)
    if isinstance(space, TruncatedLattice):
        top = space.L // 2 if support is None else int(support)
        allowed = (np.indices(space.shape).reshape(space.d, -1).max(axis=0) <= top)
    obj = _float_objective(gen, phi_obj.name, times, variable, direction, score, sense, space)
    idx = np.nonzero(allowed)[0]
    evals = 0

    def to_probs(theta):
        z = np.full(n, 0.0)
        e = np.exp(theta - theta.max())
        z[idx] = e / e.sum()
        return z

    def f(theta):
        nonlocal evals
        evals += 1
        v, _ = obj(to_probs(theta))
        return -v if math.isfinite(v) else 1e300

    starts = [rng.normal(size=len(idx)) for _ in range(restarts)]
    for _ in range(sparse_starts):
        th = np.full(len(idx), -12.0)
        k = int(rng.integers(1, min(3, len(idx)) + 1))
        th[rng.choice(len(idx), size=k, replace=False)] = rng.normal(size=k)
        starts.append(th)
    best_v, best_theta = -math.inf, None
    for th in starts:
        r = scipy.optimize.minimize(f, th, method="Nelder-Mead", options={"maxiter": maxiter, "xatol": 1e-6, "fatol": 1e-12})
        v = -float(r.fun)
        if v > best_v:
            best_v, best_theta = v, r.x
    witness, found = None, False
    if best_theta is not None:
        probs = to_probs(best_theta)
        _, targ = obj(probs)
        fr = _rationalise(probs, max_denominator)
        if targ is not None:
            witness = {
                "process": spec,
                "phi": phi_obj.name,
                "score": score,
                "direction": direction,
                "variable": variable,
                "sense": sense,
                "law": {",".join(map(str, space.state(k))): str(v) for k, v in enumerate(fr) if v != 0},
                "law_space": {"shape": list(space.shape)},
                "t": str(targ),
                "prec": int(prec),
            }
            rep = replay_witness(witness)
            witness["derivative"] = rep["derivative"]
            found = rep["violation"]
            if not found:
                witness = None
    return CounterexampleResult(found, witness, best_v, len(starts), evals, time.perf_counter() - t0, sense)


def replay_witness(witness: dict) -> dict:
    """Recompute a witness from its JSON dict: ``{'derivative': '[mid ± rad]', 'derivative_sign', 'violation'}``.

    ``violation`` is True when the certified derivative ball lies strictly on the wrong side of 0
    for the witness's ``sense``.

    >>> from mdtheory import generators
    >>> r = search_counterexample(generators.masking(2, 2), "ulogu", ["1/10", "1/2", "9/10"],
    ...                           sense="nondecreasing", variable="alpha", score="raw", restarts=1,
    ...                           sparse_starts=0, maxiter=5, prec=64)
    >>> out = replay_witness(r.witness)
    >>> out["derivative_sign"], out["violation"]
    (-1, True)
    """
    w = json.loads(json.dumps(witness))  # accept exactly what JSON carries
    gen = _process_from_spec(w["process"])
    space = _data_space(gen)
    probs = {tuple(int(v) for v in k.split(",")): Fraction(p) for k, p in w["law"].items()}
    law = Law(space, probs, "exact")
    direction = w.get("direction")
    if isinstance(direction, list):
        direction = tuple(direction)
    T = get_tier("certified", int(w.get("prec", 128)))
    dv = score_functional_derivative(law, gen, w["phi"], direction=direction, score=w.get("score", "auto"),
                                     tier=T, **{w["variable"]: Fraction(w["t"])})
    sgn = dv.sign()
    bad = (sgn == 1) if w["sense"] == "nonincreasing" else (sgn == -1)
    return {"derivative": T.format(dv.value), "derivative_sign": sgn, "violation": bool(bad),
            "overflow_bound": dv.overflow_bound}
