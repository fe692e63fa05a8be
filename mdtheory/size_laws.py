"""Schedules of step sizes and data-independent laws over them (:class:`SizeLaw`).

``N`` tokens are revealed in ``K`` steps of sizes ``k_1, …, k_K`` (a *composition* of ``N``,
boundaries ``s_0 = 0 ≤ s_1 ≤ … ≤ s_K = N``; empty steps allowed).  A :class:`SizeLaw` is a
law over such schedules, independent of the data.  It serves two consumers:

* the schedule optimiser (:mod:`mdtheory.scheduling`), through its exact *block marginals*
  ``P([a, b) is a step)`` and the weights ``w_i`` derived from them;
* the factorized sampler (:func:`mdtheory.samplers.factorized`), through
  :meth:`SizeLaw.components` and :meth:`SizeLaw.kernel` in any number tier.

Laws are exact rationals where they can be (fixed schedules, finite mixtures, Markov
kernels, Bernoulli reveal, the rational-grid random offset); the random-offset geometric
law with a continuous offset has irrational weights, served in the certified (or mp, float)
tier and refused by the exact tier.  Layer 3: imports only :mod:`mdtheory.tiers`.

>>> from mdtheory.size_laws import SizeLaw, boundaries
>>> boundaries((2, 1, 3))
(0, 2, 3, 6)
>>> law = SizeLaw.mixture({(1, 2): "1/2", (2, 1): "1/2"})
>>> law.w, law.steps
([1/2, 1/2], 2)
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np
from flint import arb, fmpq, fmpz

from .tiers import CertifiedTier, MdtheoryError, NotExactError, Tier, TierError, as_fraction, get_tier  # noqa: F401

__all__ = [
    "SizeLaw",
    "SizeLawError",
    "as_size_law",
    "as_composition",
    "boundaries",
    "compositions",
    "geometric_schedule",
    "random_offset_law",
]


class SizeLawError(MdtheoryError):
    """Invalid schedule or size law.

    >>> SizeLaw.mixture({(1, 2): "1/2", (2, 1): "1/4"})
    Traceback (most recent call last):
    ...
    mdtheory.size_laws.SizeLawError: the schedule probabilities sum to 3/4, not 1
    """


# small readers shared with mdtheory.scheduling (``error`` is the caller's error class)
def _fq(x, what: str, error: type = SizeLawError) -> fmpq:
    try:
        f = as_fraction(x)
    except TierError as e:
        raise error(f"{what}: {e}") from None
    return fmpq(f.numerator, f.denominator)


def _pos_int(x, name: str, lo: int = 1, error: type = SizeLawError) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or int(x) < lo:
        raise error(f"{name} must be an integer >= {lo}, got {x!r}")
    return int(x)


def _prob(x, name: str, error: type = SizeLawError) -> fmpq:
    p = _fq(x, name, error)
    if not 0 <= p <= 1:
        raise error(f"{name}={x!r} is not a probability in [0, 1]")
    return p


def _NK(N, K, error: type = SizeLawError) -> tuple[int, int]:
    N, K = _pos_int(N, "N", error=error), _pos_int(K, "K", error=error)
    if K > N:
        raise error(f"K={K} steps of size >= 1 cannot reveal N={N} tokens; take 1 <= K <= N")
    return N, K


# ---------------------------------------------------------------------------------------------
# compositions
# ---------------------------------------------------------------------------------------------
def as_composition(sizes: Any, N: int | None = None, *, allow_empty: bool = True) -> tuple[int, ...]:
    """Validate a schedule of step sizes: non-negative integers summing to ``N``.

    Empty steps (size 0) are allowed unless ``allow_empty=False``; they cost nothing.

    >>> as_composition([2, 1, 3])
    (2, 1, 3)
    >>> as_composition([2, 2], N=5)
    Traceback (most recent call last):
    ...
    mdtheory.size_laws.SizeLawError: the step sizes (2, 2) sum to 4, not N=5; a schedule must reveal every token exactly once
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Iterable):
        raise SizeLawError(f"a schedule is a sequence of step sizes, got {type(sizes).__name__} {sizes!r}")
    out = []
    for k in sizes:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise SizeLawError(f"step sizes must be integers, got {k!r} in {tuple(sizes)!r}")
        out.append(int(k))
    out = tuple(out)
    if not out:
        raise SizeLawError("a schedule needs at least one step")
    if any(k < 0 for k in out) or (not allow_empty and any(k == 0 for k in out)):
        lo = 0 if allow_empty else 1
        raise SizeLawError(f"step sizes must be >= {lo}, got {out}")
    if N is not None and sum(out) != N:
        raise SizeLawError(
            f"the step sizes {out} sum to {sum(out)}, not N={N}; a schedule must reveal every token exactly once"
        )
    if sum(out) < 1:
        raise SizeLawError(f"the schedule {out} reveals no token; N must be >= 1")
    return out


def boundaries(sizes: Sequence[int]) -> tuple[int, ...]:
    """Cumulative revealed counts ``s_0 = 0, s_1, …, s_K = N``.

    >>> boundaries((2, 1, 3))
    (0, 2, 3, 6)
    """
    return (0,) + tuple(itertools.accumulate(as_composition(sizes)))


def compositions(N: int, K: int) -> Iterator[tuple[int, ...]]:
    """All ``C(N−1, K−1)`` compositions of ``N`` into ``K`` positive parts (lexicographic by boundaries).

    >>> list(compositions(4, 2))
    [(1, 3), (2, 2), (3, 1)]
    """
    N, K = _pos_int(N, "N"), _pos_int(K, "K")
    if K > N:
        return
    for cuts in itertools.combinations(range(1, N), K - 1):
        b = (0,) + cuts + (N,)
        yield tuple(b[t + 1] - b[t] for t in range(K))


def _repair(raw: Sequence[int], N: int) -> tuple[int, ...]:
    """Strictly increasing boundaries ``s_1 < … < s_K = N`` closest to ``raw`` (push forward, cap)."""
    K = len(raw)
    s, prev = [], 0
    for t, x in enumerate(raw, start=1):
        v = min(max(int(x), prev + 1), N - (K - t))
        s.append(v)
        prev = v
    s[-1] = N
    b = [0] + s
    return tuple(b[i + 1] - b[i] for i in range(K))


def _iroot_floor(x: int, q: int) -> int:
    """``⌊x^{1/q}⌋`` for integers ``x ≥ 0``, ``q ≥ 1`` (exact)."""
    n = int(fmpz(x).root(q))
    while (n + 1) ** q <= x:
        n += 1
    while n**q > x:
        n -= 1
    return n


def _floor_pow(N: int, e: Fraction) -> int:
    """``⌊N^e⌋`` for a rational ``e ≥ 0``, exact.

    A 128-bit ball of ``N^e`` decides the floor unless it straddles an integer; only then the exact
    integer root of ``N^p`` (``e = p/q``) is taken, whose cost grows with ``p``.

    >>> _floor_pow(1024, Fraction(7, 10)), _floor_pow(8, Fraction(2, 3)), _floor_pow(10, Fraction(0))
    (128, 4, 1)
    """
    if e.denominator == 1:
        return N ** e.numerator
    with get_tier("certified", 128).active():
        f = (arb(N) ** arb(fmpq(e.numerator, e.denominator))).floor().unique_fmpz()
    if f is not None:
        return int(f)
    return _iroot_floor(N ** e.numerator, e.denominator)


def geometric_schedule(N: int, K: int, *, side: str = "revealed", offset: Any = None, strict: bool = True) -> tuple[int, ...]:
    """Geometric schedules (exact integer floors, no floating point).

    * ``side='revealed'`` (small steps first; DTC-type): revealed count after step ``t``
      ``s_t = ⌊N^{t/K}⌋`` (notes LZ P7); with ``offset=U ∈ [0, 1)``:
      ``s_t = ⌊N^{(t−1+U)/(K−1)}⌋`` (notes ZC §3a).
    * ``side='masked'`` (large steps first; TC-type): masked count after step ``t``
      ``⌊N^{(K−t)/K}⌋``, with an offset ``⌊N^{(K−t−U)/K}⌋``.

    The last step always ends at ``N``.  ``strict=True`` repairs repeated floors into a
    composition with ``K`` positive parts (push forward, cap); ``strict=False`` keeps the raw
    floors, so some steps may be empty.

    >>> geometric_schedule(16, 4), geometric_schedule(16, 4, side="masked")
    ((2, 2, 4, 8), (8, 4, 2, 2))
    >>> geometric_schedule(16, 3, offset="1/2", strict=False)
    (2, 6, 8)
    """
    N, K = _NK(N, K)
    if side not in ("revealed", "masked"):
        raise SizeLawError(f"side={side!r}; choose 'revealed' (small steps first) or 'masked' (large steps first)")
    U = None if offset is None else as_fraction(offset)
    if U is not None and not 0 <= U < 1:
        raise SizeLawError(f"offset={offset!r} must lie in [0, 1)")
    if U is not None and side == "revealed" and K < 2:
        raise SizeLawError("an offset geometric schedule on the revealed side needs K >= 2 steps")
    raw = []
    for t in range(1, K):
        if side == "revealed":
            e = Fraction(t, K) if U is None else (Fraction(t - 1) + U) / (K - 1)
            raw.append(min(N, _floor_pow(N, e)))
        else:
            e = Fraction(K - t, K) if U is None else (Fraction(K - t) - U) / K
            raw.append(N - _floor_pow(N, e))
    raw.append(N)
    if strict:
        return _repair(raw, N)
    b = [0] + raw
    return tuple(b[i + 1] - b[i] for i in range(K))


# ---------------------------------------------------------------------------------------------
# size laws
# ---------------------------------------------------------------------------------------------
class SizeLaw:
    """A data-independent law over schedules of ``N`` tokens.

    Exact laws are kept as exact *block marginals* ``blocks[(a, b)] = P([a, b) is a step)``
    (reveal ranks ``a..b-1`` form one step).  Every quantity of the random-order sampler that
    is linear in the schedule's law — the weights ``w``, the expected KL, ``E Σ_t C(k_t, 2)`` —
    depends only on these marginals.  The sampler draws the steps themselves, through
    :meth:`components` (a mixture of deterministic or Markov laws) and :meth:`kernel`.

    Constructors: :meth:`deterministic`, :meth:`mixture` (a finite law on compositions),
    :meth:`markov` (a kernel on the revealed count), :meth:`bernoulli` (MDLM-style binomial
    sizes; ``N=None`` gives the law for every length, see :meth:`for_length`), and
    :func:`random_offset_law` (exact on a grid of offsets, certified for a continuous one).
    ``SizeLaw(N, blocks)`` itself holds block marginals only (enough for the optimiser, not
    for the sampler).

    Attributes
    ----------
    N : int or None
        Number of tokens (None for a law given for every length).
    steps : int
        Number of iterations (model calls); empty steps count.
    compositions : dict ``sizes -> fmpq`` or None
        The law on compositions, when it was given or is cheap to keep.
    name : str

    >>> law = SizeLaw.mixture({(1, 2): "1/2", (2, 1): "1/2"})
    >>> law.blocks
    {(0, 1): 1/2, (1, 3): 1/2, (0, 2): 1/2, (2, 3): 1/2}
    >>> law.w
    [1/2, 1/2]
    """

    def __init__(self, N: int, blocks: Mapping[tuple[int, int], Any], *, steps: int | None = None,
                 compositions: Mapping[tuple, Any] | None = None, name: str = "", check: bool = True):
        self.N = _pos_int(N, "N")
        bl = {(int(a), int(b)): _fq(p, "block probability") for (a, b), p in blocks.items()}
        self._blocks = {k: v for k, v in bl.items() if v != 0}
        self.compositions = dict(compositions) if compositions is not None else None
        self.steps = steps
        self.name = name
        self._w = None
        self._kernel: Callable | None = None  # exact Markov kernel (t, revealed) -> {size: fmpq}
        self._kdist: dict = {}
        self._weights_fn: Callable | None = None  # irrational mixture: tier -> [(sizes, weight)]
        self._factory: Callable | None = None  # N-free law: N -> SizeLaw
        if check:
            self._check_flow()

    @classmethod
    def _bare(cls, N: int | None, steps: int, name: str, *, weights_fn=None, factory=None) -> "SizeLaw":
        """A law without exact block marginals: irrational weights (``weights_fn``) or any length (``factory``)."""
        out = cls.__new__(cls)
        out.N, out.steps, out.name, out.compositions = N, steps, name, None
        out._blocks = out._w = out._kernel = None
        out._kdist = {}
        out._weights_fn, out._factory = weights_fn, factory
        return out

    def _check_flow(self) -> None:
        N = self.N
        net = [fmpq(0)] * (N + 1)
        for (a, b), p in self._blocks.items():
            if not 0 <= a < b <= N:
                raise SizeLawError(f"block [{a}, {b}) is not a non-empty range inside 0..{N}")
            if p < 0:
                raise SizeLawError(f"block [{a}, {b}) has negative probability {p}")
            net[a] -= p
            net[b] += p
        if net[0] != -1 or net[N] != 1 or any(x != 0 for x in net[1:N]):
            bad = next(i for i in range(N + 1) if net[i] != (-1 if i == 0 else (1 if i == N else 0)))
            raise SizeLawError(
                f"the block probabilities do not form a law on schedules: flow balance {net[bad]} at revealed count {bad}"
            )

    # -- constructors ------------------------------------------------------------------------
    @classmethod
    def deterministic(cls, sizes: Sequence[int]) -> "SizeLaw":
        """The point mass at one schedule (zeros allowed: an idle step).

        >>> SizeLaw.deterministic((2, 0, 1)).kernel(0, 3, get_tier("exact"))
        {2: 1}
        """
        sizes = as_composition(sizes)
        b = boundaries(sizes)
        blocks = {(b[t], b[t + 1]): fmpq(1) for t in range(len(sizes)) if sizes[t]}
        return cls(b[-1], blocks, steps=len(sizes), compositions={sizes: fmpq(1)}, name=f"schedule {sizes}", check=False)

    @classmethod
    def mixture(cls, law: Mapping[Sequence[int], Any] | Iterable[tuple[Sequence[int], Any]], name: str = "") -> "SizeLaw":
        """A finite law on schedules ``{sizes: probability}`` (rational weights, summing to 1).

        >>> SizeLaw.mixture({(1, 2): "1/4", (3,): "3/4"}).steps
        2
        """
        items = law.items() if isinstance(law, Mapping) else list(law)
        comps: dict = {}
        N = None
        for sizes, p in items:
            s = as_composition(sizes, N)
            N = sum(s)
            q = _fq(p, "schedule probability")
            if q < 0:
                raise SizeLawError(f"schedule {s} has negative probability {q}")
            comps[s] = comps.get(s, fmpq(0)) + q
        if not comps:
            raise SizeLawError("a mixture of schedules needs at least one schedule")
        total = sum(comps.values(), fmpq(0))
        if total != 1:
            raise SizeLawError(f"the schedule probabilities sum to {total}, not 1")
        blocks: dict = {}
        for s, q in comps.items():
            b = boundaries(s)
            for t in range(len(s)):
                if s[t]:
                    blocks[(b[t], b[t + 1])] = blocks.get((b[t], b[t + 1]), fmpq(0)) + q
        comps = {s: q for s, q in comps.items() if q != 0}
        return cls(N, blocks, steps=max(len(s) for s in comps), compositions=comps, name=name, check=False)

    @classmethod
    def markov(cls, N: int, K: int, kernel: Callable[[int, int], Mapping[int, Any]], name: str = "") -> "SizeLaw":
        """Sizes drawn step by step: ``kernel(t, a) = {size: prob}`` at step ``t = 0..K-1`` with ``a`` revealed.

        After ``K`` steps all ``N`` tokens must be revealed (with probability 1).  Cost
        ``O(K·N·|support|)``; exact rationals throughout.

        >>> law = SizeLaw.markov(4, 2, lambda t, a: {1: "1/2", 3: "1/2"} if t == 0 else {4 - a: 1})
        >>> law.w                 # (1, 3) has w = (0, 2, 1), (3, 1) has w = (2, 1, 0)
        [1, 3/2, 1/2]
        """
        N, K = _pos_int(N, "N"), _pos_int(K, "K")
        occ = {0: fmpq(1)}
        blocks: dict = {}
        kdist: dict = {}
        for t in range(K):
            nxt: dict = {}
            for a, pa in occ.items():
                dist = kernel(t, a)
                if not isinstance(dist, Mapping):
                    raise SizeLawError(f"kernel({t}, {a}) must return a mapping {{size: probability}}, got {dist!r}")
                tot = fmpq(0)
                kd: dict = {}
                for s, q in dist.items():
                    q = _fq(q, f"kernel({t}, {a})")
                    if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or not 0 <= int(s) <= N - a:
                        raise SizeLawError(f"kernel({t}, {a}) proposes size {s!r}; sizes must be integers in 0..{N - a}")
                    if q < 0:
                        raise SizeLawError(f"kernel({t}, {a}) gives size {s} the negative probability {q}")
                    tot += q
                    if q == 0:
                        continue
                    kd[int(s)] = kd.get(int(s), fmpq(0)) + q
                    b = a + int(s)
                    if b > a:
                        blocks[(a, b)] = blocks.get((a, b), fmpq(0)) + pa * q
                    nxt[b] = nxt.get(b, fmpq(0)) + pa * q
                if tot != 1:
                    raise SizeLawError(f"kernel({t}, {a}) has total probability {tot}, not 1")
                kdist[(t, a)] = kd
            occ = nxt
        left = sum((p for a, p in occ.items() if a != N), fmpq(0))
        if left != 0:
            raise SizeLawError(
                f"after K={K} steps some tokens are still masked with probability {left}; make the last step reveal the rest"
            )
        out = cls(N, blocks, steps=K, name=name or f"markov size law (N={N}, K={K})", check=False)
        out._kernel, out._kdist = kernel, kdist
        return out

    @classmethod
    def bernoulli(cls, N: int | None, reveal: Sequence[Any]) -> "SizeLaw":
        """MDLM-style sizes: each masked token is revealed at step ``t`` with probability
        ``(u_t − u_{t−1})/(1 − u_{t−1})``, where ``reveal = (u_1, …, u_K)`` is the non-decreasing
        cumulative reveal fraction with ``u_K = 1``; sizes are binomial given the revealed count.
        ``N=None`` gives the law for every length (the sampler fixes ``N = d``).

        >>> SizeLaw.bernoulli(2, ["1/2", 1]).w    # together iff both in step 1 or both in step 2
        [1/2]
        >>> SizeLaw.bernoulli(None, ["1/2", 1]).for_length(2).kernel(0, 2, get_tier("exact"))
        {0: 1/4, 1: 1/2, 2: 1/4}
        """
        us = [_prob(u, "reveal fraction") for u in reveal]
        if not us or us[-1] != 1 or any(us[i] > us[i + 1] for i in range(len(us) - 1)):
            raise SizeLawError("reveal fractions must be non-decreasing in [0, 1] and end at 1")
        if N is None:
            return cls._bare(None, len(us), f"bernoulli size law (K={len(us)}, u={[str(u) for u in us]})",
                             factory=lambda n: cls.bernoulli(n, us))
        N = _pos_int(N, "N")
        prev = [fmpq(0)] + us[:-1]

        def kernel(t, a):
            r = N - a
            if prev[t] == 1:
                return {0: 1}
            rho = (us[t] - prev[t]) / (1 - prev[t])
            return {s: math.comb(r, s) * rho**s * (1 - rho) ** (r - s) for s in range(r + 1)}

        return cls.markov(N, len(us), kernel, name=f"bernoulli size law (N={N}, K={len(us)})")

    def for_length(self, N: int) -> "SizeLaw":
        """This law on ``N`` tokens (a law given for every length is instantiated; others must match).

        >>> SizeLaw.deterministic((1, 2)).for_length(4)
        Traceback (most recent call last):
        ...
        mdtheory.size_laws.SizeLawError: the schedule reveals N=3 tokens, not 4; use a schedule of 4 tokens
        """
        if self._factory is not None:
            return self._factory(_pos_int(N, "N"))
        if self.N != N:
            raise SizeLawError(f"the schedule reveals N={self.N} tokens, not {N}; use a schedule of {N} tokens")
        return self

    # -- exact derived quantities ---------------------------------------------------------------
    def _exact_blocks(self) -> dict:
        if self._factory is not None:
            raise SizeLawError(f"{self.name} is given for every length; call .for_length(N) first")
        if self._blocks is None:
            raise NotExactError(
                f"the step probabilities of {self.name} are irrational; use block_marginals(tier) with a certified tier"
            )
        return self._blocks

    @property
    def blocks(self) -> dict:
        """``{(a, b): P([a, b) is a step)}``, exact rationals (NotExactError for irrational laws)."""
        return dict(self._exact_blocks())

    def block_marginals(self, tier: Tier) -> dict:
        """The block marginals as values of ``tier`` (irrational laws: rigorous in the certified tier).

        >>> from mdtheory.tiers import get_tier
        >>> law = random_offset_law(8, 2, side="masked", grid=None)
        >>> {k: round(v, 6) for k, v in law.block_marginals(get_tier("float")).items()}
        {(0, 6): 0.333333, (6, 8): 0.333333, (0, 7): 0.666667, (7, 8): 0.666667}
        """
        if self._weights_fn is None:
            return {k: tier.scalar(v) for k, v in self._exact_blocks().items()}
        out: dict = {}
        with tier.active():
            for w, comp in self.components(tier):
                for k in comp._exact_blocks():
                    out[k] = out[k] + w if k in out else w
        return out

    @property
    def w(self) -> list:
        """``w_i = E[#{j > i in the step of i}] = Σ_{a ≤ i < b} P([a,b))·(b − 1 − i)``, ``i = 0..N-2`` (exact)."""
        if self._w is None:
            N = self.N
            cst = [fmpq(0)] * (N + 1)
            slope = [fmpq(0)] * (N + 1)
            for (a, b), p in self._exact_blocks().items():
                cst[a] += p * (b - 1)
                cst[b] -= p * (b - 1)
                slope[a] += p
                slope[b] -= p
            out, c, s = [], fmpq(0), fmpq(0)
            for i in range(N - 1):
                c += cst[i]
                s += slope[i]
                out.append(c - s * i)
            self._w = out
        return list(self._w)

    def expected_pairs(self) -> fmpq:
        """``E Σ_t C(k_t, 2) = Σ_i w_i`` (pairs of tokens revealed together).

        >>> SizeLaw.deterministic((3, 1)).expected_pairs()
        3
        """
        return sum((p * math.comb(b - a, 2) for (a, b), p in self._exact_blocks().items()), fmpq(0))

    def expected_first_size(self) -> fmpq:
        """``E k_1`` (size of the first non-empty step).

        >>> SizeLaw.mixture({(1, 2): "1/2", (2, 1): "1/2"}).expected_first_size()
        3/2
        """
        return sum((p * b for (a, b), p in self._exact_blocks().items() if a == 0), fmpq(0))

    def probability_last_size_at_least(self, k: int) -> fmpq:
        """``P(k_last ≥ k)`` for the last non-empty step.

        >>> SizeLaw.mixture({(1, 2): "1/2", (2, 1): "1/2"}).probability_last_size_at_least(2)
        1/2
        """
        return sum((p for (a, b), p in self._exact_blocks().items() if b == self.N and b - a >= k), fmpq(0))

    # -- the sampler's view ----------------------------------------------------------------------
    @property
    def sizes(self) -> tuple | None:
        """The schedule of a deterministic law (None otherwise).

        >>> SizeLaw.deterministic((2, 1)).sizes, SizeLaw.bernoulli(3, ["1/2", 1]).sizes
        ((2, 1), None)
        """
        if self.compositions is not None and len(self.compositions) == 1:
            (s, q), = self.compositions.items()
            return s if q == 1 else None
        return None

    def components(self, tier: Tier) -> list:
        """``[(weight, law)]`` whose mixture is this law: each ``law`` is deterministic or Markov
        (it has :meth:`kernel`); ``weight`` is a value of ``tier``, or None for a weight of 1.

        >>> [(str(w), c.sizes) for w, c in SizeLaw.mixture({(1, 2): "1/3", (3,): "2/3"}).components(get_tier("exact"))]
        [('1/3', (1, 2)), ('2/3', (3,))]
        """
        if self._factory is not None:
            raise SizeLawError(f"{self.name} is given for every length; call .for_length(N) first")
        if self._weights_fn is not None:
            return [(w, SizeLaw.deterministic(s)) for s, w in self._weights_fn(tier)]
        if self._kernel is not None or self.sizes is not None:
            return [(None, self)]
        if self.compositions is None:
            raise SizeLawError(
                f"{self.name or 'this size law'} holds block marginals only; give the law on schedules "
                "(SizeLaw.mixture, SizeLaw.markov) to run a sampler with it"
            )
        return [(tier.scalar(q), SizeLaw.deterministic(s)) for s, q in self.compositions.items()]

    def kernel(self, t: int, n_masked: int, tier: Tier) -> dict:
        """``{k: P(k_{t+1} = k | n_masked masked)}`` at step ``t`` (0-based) of a deterministic or Markov law.

        >>> SizeLaw.deterministic((2, 1)).kernel(1, 1, get_tier("exact"))
        {1: 1}
        """
        a = self.N - n_masked
        s = self.sizes
        if s is not None:
            if s[t] > n_masked:
                raise SizeLawError(f"step {t + 1} reveals {s[t]} positions but only {n_masked} are masked")
            return {s[t]: tier.one}
        if self._kernel is None:
            raise SizeLawError("kernel() needs a deterministic or Markov law; use components(tier) to split a mixture")
        dist = self._kdist.get((t, a))
        if dist is None:
            dist = {int(k): _fq(q, f"kernel({t}, {a})") for k, q in self._kernel(t, a).items()}
        return {k: tier.scalar(q) for k, q in dist.items()}

    def __repr__(self) -> str:
        nm = f" {self.name!r}" if self.name else ""
        nb = f", {len(self._blocks)} blocks" if self._blocks is not None else ""
        return f"<SizeLaw{nm} N={self.N}, steps={self.steps}{nb}>"


def as_size_law(schedule: Any, N: int | None = None) -> SizeLaw:
    """A :class:`SizeLaw` from a SizeLaw, a sequence of sizes or a mapping ``{sizes: prob}``
    (on ``N`` tokens when ``N`` is given).

    >>> as_size_law({(1, 1): "1/2", (2,): "1/2"}).w
    [1/2]
    """
    if isinstance(schedule, SizeLaw):
        law = schedule
    elif isinstance(schedule, Mapping):
        law = SizeLaw.mixture(schedule)
    else:
        law = SizeLaw.deterministic(as_composition(schedule, N))
    if N is not None and law.N != N:
        if law.N is None:
            return law.for_length(N)
        raise SizeLawError(f"the schedule reveals N={law.N} tokens but the profile has N={N}; use a schedule of {N} tokens")
    return law


# ---------------------------------------------------------------------------------------------
# the random-offset geometric law
# ---------------------------------------------------------------------------------------------
def random_offset_law(N: int, K: int, *, side: str = "revealed", grid: int | None = 64) -> SizeLaw:
    """The random-offset geometric family of notes ZC §3a: :func:`geometric_schedule` with a
    random offset ``U`` (raw floors, so steps may be empty).

    * ``grid`` an integer: ``U`` uniform on the midpoints ``(2j+1)/(2·grid)`` — an exact
      rational stand-in for ``U ~ Unif[0,1)``;
    * ``grid=None``: ``U ~ Unif[0, 1)`` itself.  The weights are lengths of ``U``-intervals
      between breakpoints ``log n / log N`` — irrational in general, so the exact tier refuses
      them and the certified tier encloses them.

    >>> random_offset_law(16, 3, grid=2).compositions
    {(1, 4, 11): 1/2, (2, 9, 5): 1/2}
    >>> law = random_offset_law(8, 2, side="masked", grid=None)   # masked after step 1: ⌊2^{1.5(1−U)}⌋ = 2 iff U ≤ 1/3
    >>> sorted((c.sizes, round(float(w), 12)) for w, c in law.components(get_tier("float")))
    [((6, 2), 0.333333333333), ((7, 1), 0.666666666667)]
    """
    N, K = _pos_int(N, "N"), _pos_int(K, "K")
    if side not in ("revealed", "masked"):
        raise SizeLawError(f"side={side!r}; choose 'revealed' (small steps first) or 'masked' (large steps first)")
    if grid is not None:
        grid = _pos_int(grid, "grid")
        law: dict = {}
        for j in range(grid):
            s = geometric_schedule(N, K, side=side, offset=Fraction(2 * j + 1, 2 * grid), strict=False)
            law[s] = law.get(s, fmpq(0)) + fmpq(1, grid)
        out = SizeLaw.mixture(law, name=f"random-offset geometric ({side}, N={N}, K={K}, grid={grid})")
        out.steps = K
        return out
    if N < 2 or (side == "revealed" and K < 2):
        raise SizeLawError("a continuous random offset needs N >= 2 and K >= 1 (K >= 2 on the revealed side)")
    name = f"random-offset geometric ({side}, N={N}, K={K}, continuous U)"
    return SizeLaw._bare(N, K, name, weights_fn=lambda tier: _continuous_offset_weights(N, K, side, tier))


def _continuous_offset_weights(N: int, K: int, side: str, tier: Tier) -> list:
    """``[(sizes, weight)]`` for ``U ~ Unif[0, 1)``: the schedule is constant between breakpoints
    ``v = A + B·log n / log N`` (``n = 2..N``), so the weights are interval lengths."""
    if tier.is_exact:
        raise NotExactError("the random-offset geometric weights are irrational; use tier='certified' or 'float'")
    B = -K if side == "masked" else K - 1

    def same(n1, A1, n2, A2):  # exact: A1 + B log n1/log N == A2 + B log n2/log N  ⟺  (n1/n2)^B = N^(A2−A1)
        return Fraction(n1, n2) ** B == Fraction(N) ** (A2 - A1)

    prec = getattr(tier, "prec", 53) + 64
    while prec <= 1 << 14:
        with CertifiedTier(prec=prec).active():
            logN = arb(N).log()
            pts = []  # (ball, n, A): breakpoints strictly inside (0, 1)
            ok = True
            for n in range(2, N + 1):
                ln = arb(n).log() / logN
                for t in range(K + 1):
                    A = (K - t) if side == "masked" else -(t - 1)
                    if same(n, A, 1, 0) or same(n, A, 1, 1):  # exactly at 0 or 1
                        continue
                    v = A + B * ln
                    if v > 0 and v < 1:
                        pts.append((v, n, A))
                    elif not (v < 0 or v > 1):
                        ok = False
            if ok:
                pts.sort(key=lambda x: float(x[0].mid()))
                merged = []
                for v, n, A in pts:
                    if merged and v.overlaps(merged[-1][0]):
                        if same(n, A, merged[-1][1], merged[-1][2]):
                            continue
                        ok = False
                        break
                    merged.append((v, n, A))
            if ok:
                edges = [arb(0)] + [v for v, _, _ in merged] + [arb(1)]
                out: dict = {}
                for a, b in zip(edges, edges[1:]):
                    u = _rational_inside(a, b)
                    if u is None:
                        ok = False
                        break
                    sizes = geometric_schedule(N, K, side=side, offset=u, strict=False)
                    out[sizes] = out.get(sizes, arb(0)) + (b - a)
            if ok:
                return [(s, tier.scalar(w)) for s, w in out.items()]
        prec *= 2
    raise SizeLawError("could not separate the geometric-offset breakpoints; this should not happen")  # pragma: no cover


def _rational_inside(a: arb, b: arb) -> Fraction | None:
    """The simplest rational certainly strictly between the balls ``a < b`` (None if they overlap)."""
    if not a < b:
        return None
    lo, hi = _arb_fraction(a.upper()), _arb_fraction(b.lower())
    return _simplest_between(lo, hi) if lo < hi else None


def _arb_fraction(x: arb) -> Fraction:
    m, e = x.mid().man_exp()
    return Fraction(int(m)) * Fraction(2) ** int(e)


def _simplest_between(lo: Fraction, hi: Fraction | None) -> Fraction:
    """The rational with the smallest denominator in the open interval ``(lo, hi)`` (``hi=None``: ∞)."""
    n = math.floor(lo) + 1
    if hi is None or n < hi:
        return Fraction(n)
    fl = n - 1
    return fl + 1 / _simplest_between(1 / (hi - fl), None if lo == fl else 1 / (lo - fl))
