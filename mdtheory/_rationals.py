"""Exact reading of numbers and the errors of the number tiers (re-exported by :mod:`mdtheory.tiers`).

Layer 1, below :mod:`mdtheory.tiers`: it imports only numpy and python-flint.
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Integral, Rational
from typing import Any

import numpy as np
from flint import arb, fmpq, fmpz

__all__ = ["MdtheoryError", "TierError", "NotExactError", "as_fraction", "ball_contains", "format_ball"]


class MdtheoryError(ValueError):
    """Base of every error mdtheory raises for bad input or an impossible request.

    Each module has its own subclass (``TierError``, ``LawError``, ``SchedulingError`` …),
    so ``except MdtheoryError`` catches them all, and ``except ValueError`` still works.

    >>> issubclass(TierError, MdtheoryError) and issubclass(MdtheoryError, ValueError)
    True
    """


class TierError(MdtheoryError):
    """A value or request that the chosen tier cannot serve.

    >>> as_fraction("one third")
    Traceback (most recent call last):
    ...
    mdtheory.tiers.TierError: cannot read 'one third' as a rational number; write it like '3/7' or '0.25'
    """


class NotExactError(TierError):
    """The exact tier was asked for an irrational or inexact quantity.

    >>> from mdtheory.tiers import get_tier
    >>> get_tier("exact").log(2)
    Traceback (most recent call last):
    ...
    mdtheory.tiers.NotExactError: log(2) is irrational, so the exact tier cannot represent it; use tier='certified' for a rigorous enclosure
    """


def as_fraction(x: Any) -> Fraction:
    """Read ``x`` as an exact rational.

    Integers, ``Fraction``, ``fmpq``/``fmpz``, strings (``"2/7"``, ``"0.125"``)
    and floats (by their shortest repr: ``0.1`` is ``1/10``) are accepted.

    >>> as_fraction("2/6"), as_fraction(0.1), as_fraction(3)
    (Fraction(1, 3), Fraction(1, 10), Fraction(3, 1))
    """
    if isinstance(x, bool):
        return Fraction(int(x))
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (Integral, np.integer)):
        return Fraction(int(x))
    if isinstance(x, fmpq):
        return Fraction(int(x.p), int(x.q))
    if isinstance(x, fmpz):
        return Fraction(int(x))
    if isinstance(x, (float, np.floating)):
        if not math.isfinite(x):
            raise TierError(f"{x!r} is not a finite number; pass a finite rational such as '1/3'")
        return Fraction(repr(float(x)))
    if isinstance(x, Rational):
        return Fraction(x.numerator, x.denominator)
    if isinstance(x, str):
        try:
            return Fraction(x.strip())
        except (ValueError, ZeroDivisionError):
            raise TierError(f"cannot read {x!r} as a rational number; write it like '3/7' or '0.25'") from None
    raise TierError(
        f"cannot read {type(x).__name__} {x!r} as an exact rational; pass an int, Fraction, fmpq or a string like '1/3'"
    )


def _rational_cos_pi(f: Fraction) -> Fraction | None:
    """``cos(π f)`` when it is rational (``2f`` or ``3f`` an integer), else None."""
    if (2 * f).denominator == 1:
        k = int(2 * f) % 4
        return Fraction((1, 0, -1, 0)[k])
    if (3 * f).denominator == 1:
        k = int(3 * f) % 6  # multiples of π/3: 1, 1/2, -1/2, -1, -1/2, 1/2
        return (Fraction(1), Fraction(1, 2), Fraction(-1, 2), Fraction(-1), Fraction(-1, 2), Fraction(1, 2))[k]
    return None


def ball_contains(ball: arb, value) -> bool:
    """Exact test that the rational ``value`` lies in the ball ``[mid ± rad]``.

    (``arb.contains`` first rounds a rational to a ball at the working precision,
    which can make a true containment look false.)

    >>> from flint import arb, fmpq
    >>> ball_contains(arb(1) / 3, fmpq(1, 3)), ball_contains(arb(1) / 3, fmpq(1, 2))
    (True, False)
    """
    if not ball.is_finite():
        return True
    v = as_fraction(value)
    mid = Fraction(*_arb_exact_ratio(ball.mid()))
    rad = Fraction(*_arb_exact_ratio(arb(ball.rad())))
    return abs(v - mid) <= rad


def _arb_exact_ratio(x: arb) -> tuple[int, int]:
    m, e = x.mid().man_exp()
    m, e = int(m), int(e)
    return (m * 2**e, 1) if e >= 0 else (m, 2 ** (-e))


for _cls in (MdtheoryError, TierError, NotExactError):
    _cls.__module__ = "mdtheory.tiers"  # their public home; tracebacks read mdtheory.tiers.TierError


def _arb_exact_fraction(x) -> Fraction:
    """The exact value of an exact (radius-0) arb, e.g. a midpoint or a radius."""
    man, exp = x.mid().man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


def _decimal(q: Fraction, digits: int, up: bool = False) -> tuple[Fraction, str]:
    """``q`` rounded to ``digits`` significant decimal digits (to nearest, or up for ``up``): value, text."""
    if q == 0:
        return Fraction(0), "0"
    sign = -1 if q < 0 else 1
    a = abs(q)
    e = len(str(a.numerator)) - len(str(a.denominator))  # 10^(e-1) <= a < 10^(e+1)
    if a >= Fraction(10) ** e:
        e += 1
    scale = Fraction(10) ** (digits - e)  # a*scale in [10^(digits-1), 10^digits)
    n = a * scale
    k = -((-n.numerator) // n.denominator) if up else (2 * n.numerator + n.denominator) // (2 * n.denominator)
    v = sign * Fraction(k) / scale
    try:
        text = f"{float(v):.{digits}g}" if digits <= 15 else str(v)
    except OverflowError:  # beyond float64: mantissa digits and a decimal exponent
        text = f"{sign * k}e{e - digits}"
    return v, text


def format_ball(x) -> str:
    """An arb ball as ``[m ± r]`` whose printed interval contains the ball (see :meth:`mdtheory.tiers.CertifiedTier.format`).

    >>> format_ball(arb(2).sqrt())
    '[1.41421356237 ± 3.1e-12]'
    """
    mid = _arb_exact_fraction(arb(x.mid()))
    rad = _arb_exact_fraction(arb(x.rad()))
    if rad == 0 and len(str(mid.denominator)) <= 6 and len(str(mid.numerator)) <= 15:
        m, mtext = mid, f"{float(mid):.15g}"
        if Fraction(mtext) != mid:
            m, mtext = _decimal(mid, 12)
    else:
        m, mtext = _decimal(mid, 12)
    r = rad + abs(mid - m)
    return f"[{mtext} ± {'0' if r == 0 else _decimal(r, 3, up=True)[1]}]"
