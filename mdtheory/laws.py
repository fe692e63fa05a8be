"""Laws (probability distributions) on finite product spaces, in a number tier.

A :class:`Law` holds one array of shape ``space.shape`` whose entries are scalars
of its tier.  It is validated on construction: entries are non-negative and
sum to one — exactly in the exact tier, inside the ball in the certified tier,
within a tolerance in the approximate tiers.  A failure says by how much.

>>> from mdtheory import Law
>>> from mdtheory.spaces import ProductSpace
>>> p = Law(ProductSpace(2, 2), {(0, 0): "1/2", (1, 1): "1/2"})
>>> p.prob((1, 1)), p.tier.name, len(p.support())
(1/2, 'exact', 2)
>>> p.to_masked().space
MaskedSpace(m=2, d=2)
>>> Law(ProductSpace(2, 1), ["1/2", "1/3"])
Traceback (most recent call last):
...
mdtheory.laws.LawError: the probabilities sum to 5/6, not 1 (off by -1/6); normalise them or pass normalize=True
"""

from __future__ import annotations

import functools
import numbers
from typing import Any, Callable, Iterator, Mapping

import numpy as np

from .spaces import MaskedSpace, ProductSpace, Space, SpaceError, TruncatedLattice
from .tiers import MdtheoryError, Tier, get_tier

__all__ = ["Law", "LawError", "cached_per_law"]

FLOAT_TOLERANCE = 1e-9


class LawError(MdtheoryError):
    """Input that does not define a probability law.

    >>> from mdtheory import ProductSpace
    >>> Law(ProductSpace(2, 1), ["1/4", "1/4"])
    Traceback (most recent call last):
    ...
    mdtheory.laws.LawError: the probabilities sum to 1/2, not 1 (off by -1/2); normalise them or pass normalize=True
    """


class Law:
    """A probability law on a finite product :class:`~mdtheory.spaces.Space`.

    Parameters
    ----------
    space : Space
        The state space; ``probs`` is reshaped to ``space.shape``.
    probs : array-like or mapping
        Either an array (of shape ``space.shape`` or flat, in index order) or a
        dict ``{state tuple: probability}`` (missing states have probability 0).
    tier : str or Tier
        Number tier of the entries (default ``'exact'``).
    normalize : bool
        Divide by the total instead of requiring it to be 1.
    validate : bool
        Check non-negativity and total mass (library internals may skip it for
        arrays they built themselves).

    >>> from mdtheory import ProductSpace
    >>> law = Law(ProductSpace(2, 1), ["1/4", "3/4"])
    >>> law, law.probs.tolist(), law.tier.name
    (Law(ProductSpace(m=2, d=1), tier=exact, support=2), [1/4, 3/4], 'exact')
    """

    __slots__ = ("space", "probs", "tier")

    def __init__(
        self,
        space: Space,
        probs: Any,
        tier: "str | Tier" = "exact",
        *,
        normalize: bool = False,
        validate: bool = True,
    ):
        if not isinstance(space, Space):
            raise LawError(f"space must be a ProductSpace, MaskedSpace or TruncatedLattice, got {type(space).__name__}")
        self.space = space
        self.tier = get_tier(tier)
        space.check_fits(self.tier, copies=1)
        if isinstance(probs, Mapping):
            arr = self.tier.zeros(space.shape)
            seen: dict = {}
            for key, p in probs.items():
                state = _state_key(space, key)
                if state in seen:
                    raise LawError(f"states {seen[state]!r} and {key!r} are the same state {state}; give each state once")
                seen[state] = key
                arr[state] = _entry(self.tier, p, state)
        else:
            raw = probs if isinstance(probs, np.ndarray) else np.asarray(probs, dtype=object)
            if raw.size != space.size:
                raise LawError(
                    f"got {raw.size} probabilities but {space!r} has {space.size} states; pass an array of shape {space.shape}"
                )
            if isinstance(probs, np.ndarray) and probs.dtype == self.tier.dtype and self.tier.dtype is not object:
                arr = probs.reshape(space.shape)
            elif isinstance(probs, np.ndarray) and probs.dtype == object and not validate:
                arr = probs.reshape(space.shape)
            else:
                try:
                    arr = self.tier.array(raw).reshape(space.shape)
                except (TypeError, ValueError, ArithmeticError) as e:
                    raise LawError(f"cannot read the probabilities: {e}") from None
        with self.tier.active():
            if normalize:
                total = self.tier.total(arr)
                if self.tier.compare(total, self.tier.zero) != 1:
                    raise LawError("cannot normalise: the total mass is not certainly positive")
                arr = arr / total
            self.probs = arr
            if validate:
                self._validate()

    # -- validation ----------------------------------------------------------
    def _validate(self) -> None:
        t = self.tier
        flat = self.probs.reshape(-1)
        if not t.rigorous:  # approximate tiers: validated up to a rounding tolerance
            fl = t.to_float_array(flat)
            if not np.isfinite(fl).all():
                bad = int(np.argmin(np.isfinite(fl)))
                raise LawError(
                    f"probability of state {self.space.state(bad)} is {t.format(flat[bad])}, not a finite number; "
                    "laws must be finite (a float overflow? use the exact or certified tier)"
                )
            lo = np.min(fl) if flat.size else 0.0
            if lo < -FLOAT_TOLERANCE:
                bad = int(np.argmin(t.to_float_array(flat)))
                raise LawError(
                    f"probability of state {self.space.state(bad)} is {t.format(flat[bad])} < 0; laws must be non-negative"
                )
            total = t.to_float(t.total(flat))
            if not abs(total - 1.0) <= sum_tolerance(t, flat.size):
                raise LawError(
                    f"the probabilities sum to {total!r}, not 1 (off by {total - 1.0:.3g}); "
                    "normalise them or pass normalize=True"
                )
            return
        for i, v in enumerate(flat):
            if t.compare(v, t.zero) == -1:
                raise LawError(
                    f"probability of state {self.space.state(i)} is {t.format(v)} < 0; laws must be non-negative"
                )
        total = t.total(flat)
        c = t.compare(total, t.one)
        if c == 0 or (c is None and _contains(total, 1)):
            return
        raise LawError(
            f"the probabilities sum to {t.format(total)}, not 1 (off by {t.format(total - t.one)}); "
            "normalise them or pass normalize=True"
        )

    # -- constructors ----------------------------------------------------------
    @classmethod
    def uniform(cls, space: Space, tier="exact") -> "Law":
        """The uniform law on ``space``.

        >>> from mdtheory.spaces import ProductSpace
        >>> Law.uniform(ProductSpace(3, 1)).prob((2,))
        1/3
        """
        t = get_tier(tier)
        _check_space(space, t)
        with t.active():
            val = t.one / t.scalar(space.size)
            return cls(space, t._filled(space.shape, val), t, validate=False)

    @classmethod
    def point(cls, space: Space, state, tier="exact") -> "Law":
        """The Dirac law at ``state`` (e.g. the all-mask state)."""
        t = get_tier(tier)
        _check_space(space, t)
        state = _state_key(space, state)
        arr = t.zeros(space.shape)
        arr[state] = t.one
        return cls(space, arr, t, validate=False)

    @classmethod
    def from_function(cls, space: Space, fn, tier="exact", normalize: bool = False) -> "Law":
        """Law with ``P(x) = fn(x)`` for every state tuple ``x``."""
        t = get_tier(tier)
        _check_space(space, t)
        arr = t.zeros(space.shape)
        for x in space.states():
            arr[x] = _entry(t, fn(x), x)
        return cls(space, arr, t, normalize=normalize)

    # -- access --------------------------------------------------------------------
    def prob(self, state):
        """Probability of one state."""
        return self.probs[_state_key(self.space, state)]

    def __getitem__(self, state):
        return self.prob(state)

    def items(self) -> Iterator[tuple[tuple[int, ...], Any]]:
        """``(state, probability)`` for every state, in index order."""
        for x, v in zip(self.space.states(), self.probs.reshape(-1)):
            yield x, v

    def support(self) -> list[tuple[int, ...]]:
        """States whose probability is not certainly zero."""
        t = self.tier
        return [self.space.state(i) for i, v in enumerate(self.probs.reshape(-1)) if t.is_zero(v) is not True]

    def total(self):
        """Total mass (a tier scalar)."""
        with self.tier.active():
            return self.tier.total(self.probs)

    @property
    def flat(self) -> np.ndarray:
        """The probabilities as a flat array in index order (a view)."""
        return self.probs.reshape(-1)

    def to_tier(self, tier, prec: int | None = None) -> "Law":
        """The same law in another tier (exact → certified/mp/float; certified → float)."""
        t = get_tier(tier, prec)
        if t == self.tier:
            return self
        with t.active():
            return Law(self.space, t.convert(self.probs, self.tier), t, validate=False)

    def to_float(self) -> np.ndarray:
        """float64 copy of the probabilities (midpoints for balls)."""
        return self.tier.to_float_array(self.probs)

    # -- masked space ------------------------------------------------------------------
    def to_masked(self) -> "Law":
        """Embed a law on ``Z_m^d`` into the masked space ``{0..m}^d`` (no mass on masks)."""
        if isinstance(self.space, MaskedSpace):
            return self
        if not isinstance(self.space, ProductSpace):
            raise LawError(f"only laws on ProductSpace can be embedded into a masked space, not {self.space!r}")
        S = MaskedSpace(self.space.m, self.space.d)
        S.check_fits(self.tier, copies=1)
        arr = self.tier.zeros(S.shape)
        arr[(slice(0, self.space.m),) * self.space.d] = self.probs
        return Law(S, arr, self.tier, validate=False)

    def masked_mass(self):
        """Mass on states with at least one mask (leftover masks), for laws on a masked space."""
        if not isinstance(self.space, MaskedSpace):
            raise LawError(f"masked_mass needs a law on a MaskedSpace, not {self.space!r}")
        with self.tier.active():
            return self.tier.one - self.tier.total(self.probs[(slice(0, self.space.m),) * self.space.d])

    def overflow_mass(self):
        """Mass in the overflow level, for laws on a :class:`TruncatedLattice`."""
        if not isinstance(self.space, TruncatedLattice):
            raise LawError(f"overflow_mass needs a law on a TruncatedLattice, not {self.space!r}")
        with self.tier.active():
            return self.space.overflow_mass(self.probs, self.tier)

    def unmasked_part(self) -> np.ndarray:
        """The block of a masked-space law on fully unmasked states (sub-probability array on ``Z_m^d``)."""
        if not isinstance(self.space, MaskedSpace):
            raise LawError(f"unmasked_part needs a law on a MaskedSpace, not {self.space!r}")
        return self.probs[(slice(0, self.space.m),) * self.space.d]

    # -- comparison ----------------------------------------------------------------------
    def equals(self, other: "Law") -> bool | None:
        """Entrywise equality: ``True``/``False`` when decided, ``None`` when some balls overlap undecidedly.

        The comparison runs in the more rigorous of the two tiers.
        """
        if self.space != other.space:
            return False
        tiers = (self.tier, other.tier)  # an enclosure tier holds both (exact values are point balls)
        t = next((x for x in tiers if x.is_enclosure), None) or next((x for x in tiers if x.is_exact), self.tier)
        decided = True
        with t.active():
            for a, b in zip(self.flat, other.flat):
                c = t.compare(a, b)
                if c is None:
                    decided = False
                elif c != 0:
                    return False
        return True if decided else None

    def __repr__(self) -> str:
        n = len(self.support()) if self.space.size <= 4096 else "?"
        return f"Law({self.space!r}, tier={self.tier.describe()}, support={n})"


def sum_tolerance(tier: Tier, n: int) -> float:
    """How far from 1 the float total of ``n`` entries of an approximate tier may be: ``1e-9·√n`` for
    float64, and for mp at ``p`` bits at least ``64·n·2^−p`` (the rounding of ``n`` entries).

    >>> from mdtheory.tiers import get_tier
    >>> sum_tolerance(get_tier("float"), 4), sum_tolerance(get_tier("mp", 16), 1) == 2.0**-10
    (2e-09, True)
    """
    tol = FLOAT_TOLERANCE * max(1.0, n**0.5)
    prec = getattr(tier, "prec", None)
    if prec is not None and not tier.rigorous:
        tol = max(tol, 64.0 * max(1, n) * 2.0 ** (-int(prec)))
    return tol


def _check_space(space, t: Tier) -> None:
    """A Space, and one that fits in memory (checked *before* any array is allocated)."""
    if not isinstance(space, Space):
        raise LawError(f"space must be a ProductSpace, MaskedSpace or TruncatedLattice, got {type(space).__name__}")
    space.check_fits(t, copies=1)


def _state_key(space: Space, key) -> tuple:
    """A state key (a tuple of ints, or an int when ``d = 1``) as the canonical state tuple.

    Booleans, floats and other non-integers are refused: numpy would read a boolean as a mask
    and a float as an error."""
    state = (key,) if isinstance(key, (numbers.Integral, np.integer)) or not hasattr(key, "__iter__") or isinstance(key, str) else key
    try:
        return space.state(space.index(state))
    except SpaceError as e:
        raise LawError(f"{key!r} is not a state of {space!r}: {e}") from None


def _entry(t: Tier, p, state):
    """One probability read in the tier, refusing what is not a number."""
    try:
        return t.scalar(p)
    except (TypeError, ValueError, ArithmeticError) as e:
        raise LawError(f"probability of state {state} is {p!r}, not a number: {e}") from None


def _contains(ball, value) -> bool:
    return bool(getattr(ball, "contains", lambda v: False)(value))


def cached_per_law(size: int = 4) -> Callable:
    """Decorator: keep ``fn(law)`` for the ``size`` most recent law objects (a computation repeated per ordered
    partition, or per sampler run, of one law).  Keyed by identity; each entry holds the law itself, so its ``id``
    cannot be reused while cached.

    >>> calls = []
    >>> @cached_per_law()
    ... def twice(law):
    ...     calls.append(1)
    ...     return 2 * law
    >>> x = [1]
    >>> twice(x), twice(x), len(calls)
    ([1, 1], [1, 1], 1)
    """
    def wrap(fn):
        entries: dict = {}

        @functools.wraps(fn)
        def cached(law):
            hit = entries.get(id(law))
            if hit is not None and hit[0] is law:
                return hit[1]
            if len(entries) >= size:
                entries.pop(next(iter(entries)))
            value = fn(law)
            entries[id(law)] = (law, value)
            return value

        return cached

    return wrap
