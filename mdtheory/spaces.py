"""Finite product state spaces with mixed-radix indexing and a size guard.

Three spaces cover the four papers:

* :class:`ProductSpace` ``Z_m^d`` (random walk, uniform noise, data laws);
* :class:`MaskedSpace` ``{0..m}^d`` where symbol ``m`` is the mask;
* :class:`TruncatedLattice` ``{0..L}^d`` of the biased walk on ``N^d``, with one
  extra per-coordinate level ``L+1`` that stands for *overflow* (the walk went
  above ``L``).  Overflow is kept as mass, never dropped: see
  :meth:`TruncatedLattice.overflow_mass`.

States are tuples of ints; a law on a space is a numpy array of shape
``space.shape`` (one axis per coordinate), so per-coordinate kernels act by
mode products.

>>> from mdtheory.spaces import MaskedSpace
>>> S = MaskedSpace(m=2, d=3)
>>> S.shape, S.size, S.mask
((3, 3, 3), 27, 2)
>>> S.index((0, 2, 1)), S.state(7)
(7, (0, 2, 1))
>>> sorted(S.hamming_neighbours((0, 0, 2)))[:3]
[(0, 0, 0), (0, 0, 1), (0, 1, 2)]
"""

from __future__ import annotations

import itertools
import math
import numbers
import os
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .tiers import MdtheoryError

__all__ = [
    "SpaceError",
    "Space",
    "ProductSpace",
    "MaskedSpace",
    "TruncatedLattice",
    "SpaceTooLargeError",
    "memory_limit_bytes",
    "check_fits",
]


class SpaceError(MdtheoryError):
    """An invalid space or state (bad size, a state or index outside the space).

    >>> ProductSpace(2, 0)
    Traceback (most recent call last):
    ...
    mdtheory.spaces.SpaceError: a space needs d >= 1 coordinates, got d=0
    """


class SpaceTooLargeError(MemoryError, SpaceError):
    """The requested space does not fit the memory budget.

    >>> ProductSpace(10, 40).check_fits()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mdtheory.spaces.SpaceTooLargeError: ...
    """


def memory_limit_bytes() -> int:
    """Budget for one array: ``MDTHEORY_MEMORY_LIMIT`` (bytes) or 40% of physical memory.

    >>> memory_limit_bytes() > 0
    True
    """
    env = os.environ.get("MDTHEORY_MEMORY_LIMIT")
    if env:
        try:
            return int(float(env))
        except ValueError:
            raise SpaceError(f"MDTHEORY_MEMORY_LIMIT={env!r} is not a number of bytes") from None
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        total = 8 * 2**30
    return int(0.4 * total)


def _size_arg(value, name: str) -> int:
    """``value`` as an integer size, refusing booleans, non-integral and non-numeric values.

    >>> _size_arg(3, "m"), _size_arg(np.int64(2), "d")
    (3, 2)
    >>> _size_arg(2.5, "m")
    Traceback (most recent call last):
    ...
    mdtheory.spaces.SpaceError: m must be a whole number, got 2.5
    """
    if isinstance(value, (bool, np.bool_)):
        raise SpaceError(f"{name} must be a whole number, got the boolean {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    if isinstance(value, numbers.Real):  # floats, Fractions: only whole values
        try:
            if math.isfinite(value) and value == int(value):
                return int(value)
        except (TypeError, ValueError, OverflowError):
            pass
    raise SpaceError(f"{name} must be a whole number, got {value!r}")


def _coordinate(value, name: str) -> int:
    """One coordinate of a state: an integer (not a boolean, not a float)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise SpaceError(f"coordinate {name} of a state must be an integer, got {value!r}")
    return int(value)


def _human(nbytes: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if nbytes < 1024 or unit == "PiB":
            return f"{nbytes:.3g} {unit}"
        nbytes /= 1024
    return f"{nbytes:.3g} PiB"  # pragma: no cover


def check_fits(n_entries: int, bytes_per_entry: int, what: str, copies: int = 3) -> None:
    """Refuse, with the memory it would take, an array that would not fit.

    ``copies`` counts the working arrays an algorithm holds at once.

    >>> check_fits(10**12, 8, "a big array")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    mdtheory.spaces.SpaceTooLargeError: a big array has 1,000,000,000,000 entries and needs about ...
    """
    need = int(n_entries) * int(bytes_per_entry) * int(copies)
    limit = memory_limit_bytes()
    if need > limit:
        raise SpaceTooLargeError(
            f"{what} has {n_entries:,} entries and needs about {_human(need)} "
            f"({copies} working copies at {bytes_per_entry} B/entry) but the memory budget is {_human(limit)}; "
            "use a smaller d or m, the float tier, or set MDTHEORY_MEMORY_LIMIT"
        )


@dataclass(frozen=True)
class Space:
    """A product of ``d`` identical coordinate alphabets ``{0..n-1}`` (``n = radix``).

    >>> isinstance(MaskedSpace(2, 2), Space), ProductSpace(2, 2).size, list(ProductSpace(2, 2).states())[:3]
    (True, 4, [(0, 0), (0, 1), (1, 0)])
    """

    radix: int
    d: int

    def __post_init__(self):
        object.__setattr__(self, "d", _size_arg(self.d, "d"))
        object.__setattr__(self, "radix", _size_arg(self.radix, "radix"))
        if int(self.d) < 1:
            raise SpaceError(f"a space needs d >= 1 coordinates, got d={self.d}")
        if int(self.radix) < 1:
            raise SpaceError(f"a coordinate alphabet needs at least one symbol, got {self.radix}")
        if self.d * math.log2(max(self.radix, 2)) > 2**24:  # even its size would be a 16-Mbit number
            raise SpaceTooLargeError(
                f"a space with {self.radix} symbols and d={self.d} coordinates is far too large to compute on; "
                "use a smaller d or m"
            )

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.radix,) * self.d

    @property
    def size(self) -> int:
        return self.radix**self.d

    def check_fits(self, tier=None, copies: int = 3) -> None:
        """Raise :class:`SpaceTooLargeError` if a law on this space would not fit in memory."""
        bpe = 8 if tier is None else tier.bytes_per_entry
        check_fits(self.size, bpe, repr(self), copies)

    def index(self, state) -> int:
        """Mixed-radix (row-major, first coordinate slowest) index of a state."""
        if isinstance(state, (str, bytes)) or not hasattr(state, "__iter__"):
            raise SpaceError(f"a state of {self!r} is a tuple of {self.d} integers, got {state!r}")
        state = tuple(_coordinate(s, str(i)) for i, s in enumerate(state))
        if len(state) != self.d or any(not 0 <= s < self.radix for s in state):
            raise SpaceError(f"{state} is not a state of {self!r}")
        return int(np.ravel_multi_index(state, self.shape)) if self.size < 2**62 and self.d <= 32 else _index_big(state, self.radix)

    def state(self, index: int) -> tuple[int, ...]:
        index = _coordinate(index, "index")
        if not 0 <= index < self.size:
            raise SpaceError(f"index {index} is out of range for {self!r} (size {self.size})")
        if self.size >= 2**62 or self.d > 32:  # beyond what numpy can address
            out = []
            for _ in range(self.d):
                index, r = divmod(index, self.radix)
                out.append(r)
            return tuple(reversed(out))
        return tuple(int(v) for v in np.unravel_index(index, self.shape))

    def states(self) -> Iterator[tuple[int, ...]]:
        """All states in index order."""
        return itertools.product(range(self.radix), repeat=self.d)

    def states_array(self) -> np.ndarray:
        """All states as an integer array of shape ``(size, d)``, in index order."""
        self.check_fits(copies=self.d)
        return np.indices(self.shape).reshape(self.d, -1).T

    def hamming_neighbours(self, state) -> Iterator[tuple[int, ...]]:
        """States differing from ``state`` in exactly one coordinate."""
        state = tuple(state)
        self.index(state)
        for i, s in enumerate(state):
            for v in range(self.radix):
                if v != s:
                    yield state[:i] + (v,) + state[i + 1 :]

    def __contains__(self, state) -> bool:
        try:
            self.index(state)
        except (ValueError, TypeError):
            return False
        return True


def _index_big(state, radix):
    idx = 0
    for s in state:
        idx = idx * radix + s
    return idx


@dataclass(frozen=True)
class ProductSpace(Space):
    """``Z_m^d``: ``d`` coordinates, symbols ``0..m-1``.

    >>> ProductSpace(3, 2).size
    9
    """

    def __init__(self, m: int, d: int):
        object.__setattr__(self, "radix", _size_arg(m, "m"))
        object.__setattr__(self, "d", _size_arg(d, "d"))
        self.__post_init__()
        if self.m < 2:
            raise SpaceError(f"an alphabet needs m >= 2 symbols, got m={m}")

    @property
    def m(self) -> int:
        return self.radix

    def __repr__(self) -> str:
        return f"ProductSpace(m={self.m}, d={self.d})"


@dataclass(frozen=True)
class MaskedSpace(Space):
    """``{0..m}^d``: ``m`` data symbols plus the mask symbol ``m``.

    >>> S = MaskedSpace(2, 2)
    >>> S.masked_positions((2, 0)), S.data_space
    ((0,), ProductSpace(m=2, d=2))
    """

    def __init__(self, m: int, d: int):
        object.__setattr__(self, "radix", _size_arg(m, "m") + 1)
        object.__setattr__(self, "d", _size_arg(d, "d"))
        self.__post_init__()
        if self.m < 2:
            raise SpaceError(f"the data alphabet needs m >= 2 symbols, got m={m}")

    @property
    def m(self) -> int:
        return self.radix - 1

    @property
    def mask(self) -> int:
        return self.radix - 1

    @property
    def data_space(self) -> ProductSpace:
        return ProductSpace(self.m, self.d)

    def masked_positions(self, state) -> tuple[int, ...]:
        return tuple(i for i, s in enumerate(state) if s == self.mask)

    def all_masked(self) -> tuple[int, ...]:
        return (self.mask,) * self.d

    def __repr__(self) -> str:
        return f"MaskedSpace(m={self.m}, d={self.d})"


@dataclass(frozen=True)
class TruncatedLattice(Space):
    """Levels ``0..L`` of ``N`` per coordinate plus an overflow level ``L+1``.

    The biased walk is run with level ``L+1`` absorbing ("went above ``L``"), so
    the mass of states with any coordinate at ``L+1`` is the probability that
    truncation mattered.  It is reported, never dropped.

    >>> T = TruncatedLattice(L=3, d=2)
    >>> T.shape, T.overflow
    ((5, 5), 4)
    """

    def __init__(self, L: int, d: int):
        if _size_arg(L, "L") < 1:
            raise SpaceError(f"the truncation level must be L >= 1, got L={L}")
        object.__setattr__(self, "radix", _size_arg(L, "L") + 2)
        object.__setattr__(self, "d", _size_arg(d, "d"))
        self.__post_init__()

    @property
    def L(self) -> int:
        return self.radix - 2

    @property
    def overflow(self) -> int:
        return self.radix - 1

    def in_range_slice(self) -> tuple[slice, ...]:
        """Index of the in-range block ``{0..L}^d`` in a law array."""
        return (slice(0, self.L + 1),) * self.d

    def overflow_mass(self, probs: np.ndarray, tier=None):
        """Total mass on states with some coordinate in overflow."""
        from .tiers import get_tier

        t = get_tier("float" if tier is None else tier)
        return t.one - t.total(np.asarray(probs)[self.in_range_slice()])

    def __repr__(self) -> str:
        return f"TruncatedLattice(L={self.L}, d={self.d})"
