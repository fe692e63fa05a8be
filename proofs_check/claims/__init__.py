"""Claim modules, one per paper: ``<short_name>.py`` defining ``PAPER`` and ``CLAIMS``.

Every module in this package is imported by :func:`discover` (no list to
maintain).  A module looks like this::

    from proofs_check.claim import Claim, Comparison, Paper, Param

    PAPER = Paper("sharp_rates", "Sharp Convergence Rates for Masked Diffusion Models",
                  arxiv="2602.22505", prefix="SR")

    def _check_l4(inst, params, tier):
        ...                                  # compute both sides in `tier`
        return Comparison(lhs, rhs)          # lhs <= rhs by default

    CLAIMS = [Claim("SR-L4", PAPER, statement="...", formula="...",
                    provenance="derived-and-exact", check=_check_l4,
                    instances=lambda size, params: [...], params=[Param("delta", "1/10")])]

Conventions for paper modules:

* take the paper from :mod:`proofs_check.papers` (``SEED_PAPERS["sharp_rates"]``);
* IDs from the paper note's "Claims to encode" checklist, provenance as listed there;
* every constant, exponent, log factor of a reconstructed statement is a :class:`Param`;
* instances are JSON-able dicts (rationals as strings ``"1/3"``) with a ``name``;
  ``small`` must stay fast (``proofs-check run --all`` has a 2-minute budget);
* a check returns several ``Comparison(lhs, rhs, relation, label, info)`` when it
  checks a grid; ``info={"states": n}`` records the state count;
* rate/shape claims return ``Series(x, y, xname, yname)`` and have parameters
  ``exponent`` and ``tolerance`` (``kind="rate"``);
* ``family=Family(laws=..., build=...)`` opts a claim in to ``--search``;
* helpers shared by several paper modules go in ``_name.py`` (not discovered as a
  paper; still part of the code version).

>>> mods, errors = discover()
>>> "proofs_check.claims.foundations" in [m.__name__ for m in mods], errors
(True, [])
"""

from __future__ import annotations

import importlib
import pkgutil

__all__ = ["discover"]


def discover():
    """Import every claims module of this package; return ``(modules, load error lines)``."""
    mods, errors = [], []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        name = f"{__name__}.{info.name}"
        try:
            mods.append(importlib.import_module(name))
        except Exception as e:  # one broken paper module must not hide the others
            errors.append(f"claims module {name} failed to import: {type(e).__name__}: {e}".splitlines()[0])
    return mods, errors
