"""Forward marginals ``p_t = p_0·exp(∫β Q)`` by Kronecker mode products, in any tier.

For a Kronecker-sum generator ``exp(τQ) = ⊗_k exp(τQ_k)``, so the marginal is ``d``
mode products of the law (an array with one axis per coordinate) with small
per-coordinate kernels — no dense generator, no ODE solver, no uniformisation error:

    ``p_t = p_0 ×_1 P^{(1)} ×_2 … ×_d P^{(d)}``,  ``P^{(k)} = exp(τ Q_k)``.

Per-coordinate kernels use closed forms where they exist:

* masking: ``P = [[α I, (1−α)·1], [0, 1]]`` (rational in α);
* uniform: ``P = α I + (1−α) J/m``;
* random walk (``r₊ = r₋``, or any rates when ``m = 2``): the cosine sums
  ``P(x, y) = (1/m) Σ_j e^{−ρτ(1−cos(2πj/m))} cos(2πj(y−x)/m)``, ``ρ = r₊ + r₋``;

and otherwise the tier's matrix exponential (``arb_mat.exp`` in the certified tier,
rigorous; ``scipy.linalg.expm`` in float).  Time enters through the integrated rate
``τ``, through ``α = e^{−rate·τ}`` for masking/uniform processes, or through a
clock's ``t`` (time-inhomogeneous rates cost nothing extra).

:func:`forward_dense` is the reference path on the full generator (scipy
``expm``/``expm_multiply`` in float, ``arb_mat.exp`` in the certified tier, Sylvester's
formula over the known spectrum in the exact tier); tests compare the two paths.

>>> from mdtheory import Law, ProductSpace, generators
>>> from mdtheory.propagate import forward
>>> p0 = Law(ProductSpace(2, 2), {(0, 0): "1/2", (1, 1): "1/2"})
>>> q = forward(p0, generators.masking(2, 2), alpha="1/3")
>>> q.prob((0, 2)), q.prob((2, 2)), q.total()
(1/9, 4/9, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from flint import arb

from ._modeprod import mode_products
from .generators import CoordinateGenerator, KroneckerSum
from .laws import Law
from .schedules import Clock, ExponentialClock
from .spaces import check_fits
from .tiers import MdtheoryError, NotExactError, Tier, as_fraction, get_tier

__all__ = ["Process", "forward", "forward_dense", "forward_symbolic", "coordinate_kernel", "coordinate_kernels", "PropagationError"]


class PropagationError(MdtheoryError):
    """Inconsistent request to the forward propagator.

    >>> from mdtheory import Law, ProductSpace, generators
    >>> forward(Law(ProductSpace(2, 1), ["1/2", "1/2"]), generators.masking(2, 1), alpha="1/2", tau=1)
    Traceback (most recent call last):
    ...
    mdtheory.propagate.PropagationError: give exactly one of t (clock time), tau (integrated rate) or alpha (keep probability)
    """


@dataclass(frozen=True)
class Process:
    """A Kronecker-sum generator run on a clock (time-inhomogeneous rate ``β(t)``).

    >>> from mdtheory import generators
    >>> from mdtheory.schedules import LinearClock
    >>> Process(generators.masking(2, 3), LinearClock()).space
    MaskedSpace(m=2, d=3)
    """

    generator: KroneckerSum
    clock: Clock = field(default_factory=ExponentialClock)

    @property
    def space(self):
        return self.generator.space


def _as_process(process) -> Process:
    if isinstance(process, Process):
        return process
    if isinstance(process, KroneckerSum):
        return Process(process)
    raise PropagationError(
        f"expected a generator (e.g. generators.masking(m, d)) or a propagate.Process, got {type(process).__name__}"
    )


# ------------------------------------------------------------------------------------------------
# per-coordinate kernels
# ------------------------------------------------------------------------------------------------


def _keep_probability(f: CoordinateGenerator, T: Tier, *, tau=None, alpha=None):
    """``a = e^{−rate·τ}`` of a masking/uniform factor (or the given α)."""
    if alpha is not None:
        a = T.scalar(alpha)
        if T.compare(a, T.zero) == -1 or T.compare(a, T.one) == 1:
            raise PropagationError(f"alpha must lie in [0, 1], got {T.format(a)}")
        return a
    return T.exp(-T.scalar(f.param["rate"]) * tau)


def coordinate_kernel(f: CoordinateGenerator, tier: "str | Tier" = "exact", *, tau=None, alpha=None) -> np.ndarray:
    """Transition matrix ``exp(τ Q_f)`` of one coordinate (or the α-form for masking/uniform).

    Give exactly one of ``tau`` (integrated rate, a tier scalar or rational) and ``alpha``.

    >>> from mdtheory import generators
    >>> f = generators.uniform(3, 1).factors[0]
    >>> coordinate_kernel(f, "exact", alpha="1/2").tolist()[0]
    [2/3, 1/6, 1/6]
    """
    T = get_tier(tier)
    if (tau is None) == (alpha is None):
        raise PropagationError("give exactly one of tau (integrated rate) or alpha (keep probability)")
    with T.active():
        if tau is not None:
            tau = T.scalar(tau)
        n = f.n
        if f.family == "masking":
            a = _keep_probability(f, T, tau=tau, alpha=alpha)
            K = T.zeros((n, n))
            for v in range(n - 1):
                K[v, v] = a
                K[v, n - 1] = T.one - a
            K[n - 1, n - 1] = T.one
            return K
        if f.family == "uniform":
            a = _keep_probability(f, T, tau=tau, alpha=alpha)
            off = (T.one - a) / T.scalar(n)
            K = T._filled((n, n), off)
            for v in range(n):
                K[v, v] = a + off
            return K
        if alpha is not None:
            raise PropagationError(
                f"the {f.family} process is not parametrised by alpha; give t (with a clock) or tau instead"
            )
        if T.is_zero(tau) is True:
            return _identity(T, n)
        if T.is_exact:
            raise NotExactError(
                f"the {f.family} transition kernel at τ = {T.format(tau)} is irrational; "
                "use tier='certified' for rigorous enclosures (or 'float')"
            )
        p = f.param
        if f.family == "random_walk" and (n == 2 or p["rate_plus"] == p["rate_minus"]):
            return _random_walk_cosine_kernel(n, p["rate_plus"] + p["rate_minus"], tau, T)
        Q = f.matrix(T)
        return T.expm(Q * tau)


def _identity(T: Tier, n: int) -> np.ndarray:
    K = T.zeros((n, n))
    for i in range(n):
        K[i, i] = T.one
    return K


def _random_walk_cosine_kernel(m: int, rho: Fraction, tau, T: Tier) -> np.ndarray:
    """Circulant kernel ``k(z) = (1/m) Σ_j exp(−ρτ(1 − cos(2πj/m)))·cos(2πjz/m)``."""

    if T.is_float:  # the same sums, vectorised (O(m²) Python scalar operations cost ~50 ms at m = 81)
        j = np.arange(m)
        decay = np.exp(-float(rho) * float(tau) * (1.0 - np.cos(2 * np.pi * j / m)))
        k = np.cos(2 * np.pi * (np.outer(j, j) % m) / m) @ decay / m  # k(z) = (1/m) Σ_j decay_j cos(2πjz/m)
        idx = (j[None, :] - j[:, None]) % m
        return np.asarray(k[idx], dtype=np.float64)

    def cos2pi(frac: Fraction):
        return T.cos_pi(2 * frac)

    rho_s = T.scalar(rho)
    cos_j = [cos2pi(Fraction(j, m)) for j in range(m)]
    decay = [T.exp(-rho_s * tau * (T.one - c)) for c in cos_j]
    k = []
    for z in range(m):
        s = T.zero
        for j in range(m):
            s = s + decay[j] * cos2pi(Fraction(j * z % m, m))
        k.append(s / T.scalar(m))
    K = T.zeros((m, m))
    for x in range(m):
        for y in range(m):
            K[x, y] = k[(y - x) % m]
    return K


def coordinate_kernels(process, tier: "str | Tier" = "exact", *, t=None, s=None, tau=None, alpha=None) -> list[np.ndarray]:
    """The ``d`` per-coordinate kernels of the process over ``[s, t]`` (or for ``tau``/``alpha``).

    With ``t``: the clock gives ``τ = τ(t) − τ(s)``; masking/uniform factors use the clock's
    ``α(t)/α(s)`` directly when the clock is rational (linear, log-linear, polynomial) and the
    rate is an integer, so the exact tier stays exact.

    >>> from mdtheory import generators
    >>> K = coordinate_kernels(generators.masking(2, 2), alpha="1/2")   # keep w.p. 1/2, else mask (index 2)
    >>> len(K), K[0].tolist()
    (2, [[1/2, 0, 1/2], [0, 1/2, 1/2], [0, 0, 1]])
    """
    proc = _as_process(process)
    T = get_tier(tier)
    given = [x is not None for x in (t, tau, alpha)]
    if sum(given) != 1:
        raise PropagationError("give exactly one of t (clock time), tau (integrated rate) or alpha (keep probability)")
    kernels: list[np.ndarray] = []
    # factors are usually one object repeated: look up by identity, then by equality (hashing a
    # factor hashes its whole rate table, ~10 ms for 81 states)
    by_id: dict[int, np.ndarray] = {}
    seen: list[tuple[CoordinateGenerator, np.ndarray]] = []
    with T.active():
        for f in proc.generator.factors:
            K = by_id.get(id(f))
            if K is None:
                K = next((Kg for g, Kg in seen if g == f), None)
            if K is not None:
                by_id[id(f)] = K
                kernels.append(K)
                continue
            if t is not None:
                K = _kernel_at_time(f, proc.clock, t, s, T)
            elif tau is not None:
                K = coordinate_kernel(f, T, tau=tau)
            else:
                K = coordinate_kernel(f, T, alpha=alpha)
            by_id[id(f)] = K
            seen.append((f, K))
            kernels.append(K)
    return kernels


def _kernel_at_time(f: CoordinateGenerator, clock: Clock, t, s, T: Tier) -> np.ndarray:
    rational_clock = not isinstance(clock, ExponentialClock) and getattr(clock, "name", "") != "cosine"
    if f.alpha_parametrised and (rational_clock or not T.is_exact):
        r = f.param["rate"]
        if r.denominator == 1:
            a = clock.alpha(t, T)
            if s is not None:
                a = a / clock.alpha(s, T)
            return coordinate_kernel(f, T, alpha=a ** int(r))
    tau = clock.tau(t, T)
    if s is not None:
        tau = tau - clock.tau(s, T)
    return coordinate_kernel(f, T, tau=tau)


# ------------------------------------------------------------------------------------------------
# forward marginals
# ------------------------------------------------------------------------------------------------


def _prepare(law: Law, proc: Process, tier) -> tuple[Law, Tier]:
    if not isinstance(law, Law):
        raise PropagationError(f"expected a mdtheory.Law, got {type(law).__name__}")
    space = proc.space
    if law.space != space:
        if law.space.d == space.d and getattr(space, "m", None) == getattr(law.space, "m", -1) and hasattr(space, "mask"):
            law = law.to_masked()
        else:
            raise PropagationError(f"the law lives on {law.space!r} but the process on {space!r}")
    T = get_tier(tier) if tier is not None else law.tier
    if law.tier != T:
        law = law.to_tier(T)
    return law, T


def forward(law: Law, process, t=None, *, alpha=None, tau=None, s=None, tier: "str | Tier | None" = None) -> Law:
    """Marginal of the forward process started from ``law`` (fast path: mode products).

    Parameters
    ----------
    law : Law
        Initial law.  A law on ``Z_m^d`` is embedded into ``{0..m}^d`` for masking.
    process : KroneckerSum or Process
        The forward generator (with its clock, for ``t``).
    t, alpha, tau : exactly one
        Clock time; keep probability ``α`` (masking/uniform only); or integrated rate ``τ``.
    s : optional
        Start time for a time-inhomogeneous clock (marginal transported from ``s`` to ``t``).
    tier : optional
        Number tier of the result (default: the law's tier).

    Returns
    -------
    Law
        The marginal, in the requested tier.  For a truncated biased walk, its
        :meth:`~mdtheory.Law.overflow_mass` is the mass that left ``{0..L}^d``.

    >>> from mdtheory import Law, ProductSpace, generators
    >>> p0 = Law(ProductSpace(2, 1), ["1/4", "3/4"])
    >>> forward(p0, generators.masking(2, 1), alpha="1/2").probs.tolist()      # half of each mass is masked
    [1/8, 3/8, 1/2]
    >>> q = forward(p0, generators.random_walk(2, 1), tau=1, tier="certified")  # 1/2 − e^{−2}/4
    >>> import math
    >>> abs(float(q.probs[0].mid()) - (0.5 - math.exp(-2) / 4)) < 1e-15, q.probs[0].rad() < 1e-30
    (True, True)
    """
    proc = _as_process(process)
    proc.space.check_fits(get_tier(tier) if tier is not None else getattr(law, "tier", None), copies=3)
    law, T = _prepare(law, proc, tier)
    kernels = coordinate_kernels(proc, T, t=t, s=s, tau=tau, alpha=alpha)
    with T.active():
        probs = mode_products(law.probs, kernels, T)
    return Law(law.space, probs, T, validate=False)


def forward_dense(
    law: Law, process, t=None, *, alpha=None, tau=None, s=None, tier: "str | Tier | None" = None, method: str = "auto"
) -> Law:
    """Reference marginal from the full generator (small spaces; for cross-checks).

    ``method`` (float tier): ``'expm'`` (dense ``scipy.linalg.expm``) or ``'expm_multiply'``
    (sparse ``scipy.sparse.linalg.expm_multiply``); ``'auto'`` picks ``expm_multiply``.
    The certified tier uses ``arb_mat.exp`` of the dense generator; the exact tier uses
    Sylvester's formula over the generator's known spectrum ``{−k·rate}`` (masking and
    uniform processes parametrised by ``α``).

    >>> from mdtheory import Law, ProductSpace, generators
    >>> p0 = Law(ProductSpace(2, 1), ["1/4", "3/4"])
    >>> forward_dense(p0, generators.masking(2, 1), alpha="1/2").probs.tolist()   # = forward(...)
    [1/8, 3/8, 1/2]
    """
    proc = _as_process(process)
    law, T = _prepare(law, proc, tier)
    gen = proc.generator
    n = gen.space.size
    with T.active():
        if T.is_exact:
            if not gen.alpha_parametrised:
                if tau is not None and as_fraction(tau) == 0:
                    return law
                raise NotExactError(f"the exact dense path needs a masking or uniform process given alpha; use tier='certified'")
            if alpha is None:
                alpha = _alpha_of(gen, proc, t, s, tau, T)
            probs = _sylvester_forward(law, gen, T.scalar(alpha), T)
            return Law(law.space, probs.reshape(law.space.shape), T, validate=False)
        if tau is None:
            if alpha is not None:
                if not gen.alpha_parametrised:
                    raise PropagationError("alpha applies only to masking/uniform processes")
                tau = -T.log(T.scalar(alpha)) / T.scalar(gen.factors[0].param["rate"])
            else:
                tau = proc.clock.tau(t, T)
                if s is not None:
                    tau = tau - proc.clock.tau(s, T)
        tau = T.scalar(tau)
        p = law.probs.reshape(-1)
        if T.is_float:
            import scipy.linalg
            import scipy.sparse.linalg as spla

            if method in ("auto", "expm_multiply"):
                Qt = gen.sparse().T.tocsr()
                out = spla.expm_multiply(Qt * float(tau), p)
            elif method == "expm":
                check_fits(n * n, 8, f"the dense generator of {gen.space!r}", copies=6)
                out = p @ scipy.linalg.expm(gen.dense("float") * float(tau))
            else:
                raise PropagationError(f"unknown method {method!r}; use 'expm' or 'expm_multiply'")
            return Law(law.space, out.reshape(law.space.shape), T, validate=False)
        check_fits(n * n, T.bytes_per_entry, f"the dense generator of {gen.space!r}", copies=4)
        P = T.expm(gen.dense(T) * tau)
        out = p.dot(P)
        return Law(law.space, out.reshape(law.space.shape), T, validate=False)


def _alpha_of(gen: KroneckerSum, proc: Process, t, s, tau, T: Tier):
    r = gen.factors[0].param["rate"]
    if tau is not None:
        return T.exp(-T.scalar(r) * T.scalar(tau))
    if r.denominator != 1:
        raise NotExactError("a non-integer rate makes alpha irrational here; pass alpha directly or use tier='certified'")
    a = proc.clock.alpha(t, T)
    if s is not None:
        a = a / proc.clock.alpha(s, T)
    return a ** int(r)


def _sylvester_forward(law: Law, gen: KroneckerSum, a, T: Tier) -> np.ndarray:
    """``p·exp(τQ)`` with ``exp(τQ) = Σ_k a^k Π_{j≠k} (Q + j·r·I)/((j − k)·r)``, ``a = e^{−rτ}``.

    The Kronecker sum of masking (or uniform) factors is diagonalisable with eigenvalues
    ``−k·r``, ``k = 0..d``; the spectral projectors are Lagrange polynomials in ``Q``.
    Applied to the vector ``p`` by repeated products with the dense generator.
    """
    d = gen.d
    r = gen.factors[0].param["rate"]
    Q = gen.dense(T)
    p = law.probs.reshape(-1)
    rs = T.scalar(r)
    total = None
    for k in range(d + 1):
        v = p.copy()
        for j in range(d + 1):
            if j == k:
                continue
            # v (Q + j r I) / ((j - k) r)
            v = (v.dot(Q) + v * (T.scalar(j) * rs)) / (T.scalar(j - k) * rs)
        term = v * (a**k)
        total = term if total is None else total + term
    return total


SYMBOLIC_MAX_STATES = 16


def forward_symbolic(law: Law, process, tau_symbol=None):
    """Marginal as sympy expressions in the integrated rate ``τ`` (tiny spaces, ≤ 16 states).

    Uses sympy's ``Matrix.exp`` of the full generator (Jordan form): a third,
    independent path for closed forms and LaTeX.  Returns ``(tau, array)`` where
    ``array`` has the law's shape and entries are sympy expressions.

    >>> from mdtheory import Law, ProductSpace, generators
    >>> tau, q = forward_symbolic(Law.point(ProductSpace(3, 1), (0,)), generators.random_walk(3, 1, 1, 1))
    >>> q[0]
    1/3 + 2*exp(-3*tau)/3
    """
    import sympy as sp

    proc = _as_process(process)
    law, T = _prepare(law, proc, "exact")
    n = proc.space.size
    if n > SYMBOLIC_MAX_STATES:
        raise PropagationError(
            f"the symbolic path handles at most {SYMBOLIC_MAX_STATES} states, {proc.space!r} has {n}; use forward()"
        )
    tau = tau_symbol if tau_symbol is not None else sp.Symbol("tau", positive=True)
    Q = sp.Matrix(n, n, [sp.Rational(int(v.p), int(v.q)) for v in proc.generator.dense("exact").reshape(-1)])
    p = sp.Matrix(1, n, [sp.Rational(int(v.p), int(v.q)) for v in law.flat])
    out = (p * (Q * tau).exp()).applyfunc(sp.expand)  # expand: cheap and deterministic (simplify is neither)
    arr = np.empty(n, dtype=object)
    for i in range(n):
        arr[i] = out[0, i]
    return tau, arr.reshape(law.space.shape)


# ---------------------------------------------------------------------------------------------
# marginals over a time ball (moved here from scores; i13b)
# ---------------------------------------------------------------------------------------------
__all__ += ["forward_over_ball"]

TAYLOR_ORDER = 4  #: order of the Taylor model used for marginals over a time ball


def forward_over_ball(law: Law, process, t=None, *, tau=None, tier: "str | Tier | None" = None) -> Law:
    """``p_t`` at a time ``t`` (or integrated rate ``tau``) that may be a *ball*: an enclosure of every ``p_s``, ``s ∈ t``.

    Points give :func:`forward` (in an enclosure tier the random walk with ``m > 2`` uses the
    Fourier form of its circulant kernel, whose non-stationary modes carry their decay, so the
    enclosure over a ball shrinks with ``t``); an ``arb`` ball in an enclosure tier gives a Taylor
    model in ``τ``.  The result is a :class:`~mdtheory.laws.Law` without validation (its
    entries are balls).

    >>> from flint import arb
    >>> from mdtheory import ProductSpace, generators
    >>> mu = Law(ProductSpace(3, 1), ["1/2", "1/3", "1/6"])
    >>> q = forward_over_ball(mu, generators.random_walk(3, 1), arb("0.5", "0.01"), tier="certified")
    >>> all(v.rad() < 0.02 for v in q.probs), q.probs[0].contains(forward(mu, generators.random_walk(3, 1), t="1/2", tier="certified").probs[0])
    (True, True)

    For a ball ``τ = τ₀ + s``: ``p(τ) = Σ_{k<K} s^k/k!·p(τ₀)Q^k + s^K/K!·p(ξ)Q^K`` with ``ξ`` in the
    ball (Lagrange remainder, entrywise), and ``p(ξ)`` enclosed by the plain ball evaluation.  The
    first terms are point evaluations, so the enclosure's width follows the true variation of
    ``p`` over the ball instead of the (non-decaying) width of ``exp(τQ)`` over it.
    """
    proc = _as_process(process)
    K = get_tier(tier) if tier is not None else law.tier
    return Law(proc.space, _over_ball(law, proc, K, t, tau), K, validate=False)


def _over_ball(law: Law, proc: Process, K: Tier, t, tau) -> np.ndarray:
    x = t if t is not None else tau
    if K.is_enclosure and isinstance(x, arb) and not x.is_exact() and x.is_finite():
        with K.active():
            tt = proc.clock.tau(t, K) if t is not None else K.scalar(tau)
            tau0 = arb(tt.mid())
            sball = tt - tau0
            p0 = _marginal_point(law, proc, K, None, tau0)
            loose = _marginal_point(law, proc, K, None, tt)
            gen = proc.generator
            out = p0.copy()
            v = p0
            fact = 1
            spow = K.one
            for k in range(1, TAYLOR_ORDER):
                v = gen.apply(v, K)
                fact *= k
                spow = spow * sball  # (arb's ** of a ball around 0 is nan; multiply instead)
                out = out + v * (spow / fact)
            r = loose
            for _ in range(TAYLOR_ORDER):
                r = gen.apply(r, K)
            out = out + r * (spow * sball / (fact * TAYLOR_ORDER))
            # intersect with the plain enclosure (both are valid)
            flat_o, flat_l = out.reshape(-1), loose.reshape(-1)
            for k in range(flat_o.size):
                if flat_o[k].overlaps(flat_l[k]):
                    flat_o[k] = flat_o[k].intersection(flat_l[k])
            return out
    return _marginal_point(law, proc, K, t, tau)


def _marginal_point(law: Law, proc: Process, K: Tier, t, tau) -> np.ndarray:
    if (t is None) == (tau is None):
        raise PropagationError("give exactly one of t (clock time) or tau (integrated rate)")
    if t is not None and not isinstance(t, arb) and as_fraction(t) == 0 or tau is not None and not isinstance(tau, arb) and as_fraction(tau) == 0:
        lw = law if law.tier == K else law.to_tier(K)
        if lw.space != proc.space:
            raise PropagationError(f"the law lives on {law.space!r} but the process on {proc.space!r}")
        return lw.probs
    gen = proc.generator
    if K.is_enclosure and {f.family for f in gen.factors} == {"random_walk"} and gen.space.radix > 2:
        # Fourier form of the circulant kernel: the non-stationary modes carry their decay
        # e^{τ Re ĉ_j}, so the enclosure over a time *ball* shrinks with t (arb_mat.exp's does not)
        if law.space != gen.space:
            raise PropagationError(f"the law lives on {law.space!r} but the process on {gen.space!r}")
        tt = proc.clock.tau(t, K) if t is not None else K.scalar(tau)
        lw = law if law.tier == K else law.to_tier(K)
        kernels = [_rw_fourier_kernel(f, tt, K) for f in gen.factors]
        return mode_products(lw.probs, kernels, K)
    return forward(law, proc, t=t, tau=tau, tier=K).probs


def _rw_fourier_kernel(f, tau, K: Tier) -> np.ndarray:
    """``P(x, y) = k(y − x)``, ``k(z) = (1/m) Σ_j exp(τ ĉ_j)·ω^{−jz}``, ``ĉ_j = r₊ω^j + r₋ω^{−j} − r₊ − r₋``."""
    from flint import acb

    m = f.n
    rp, rm = K.scalar(f.param["rate_plus"]), K.scalar(f.param["rate_minus"])
    with K.active():
        w = [acb(arb(2 * j) / m).exp_pi_i() for j in range(m)]  # ω^j = e^{2πij/m}
        modes = [acb(1)] + [(acb(tau) * (rp * w[j] + rm * w[(m - j) % m] - rp - rm)).exp() for j in range(1, m)]
        k = []
        for z in range(m):
            s = acb(0)
            for j in range(m):
                s += modes[j] * w[(-j * z) % m]
            k.append(s.real / m)
    kern = K.zeros((m, m))
    for x in range(m):
        for y in range(m):
            kern[x, y] = k[(y - x) % m]
    return kern
