"""The claim registry: every claim of every paper module, looked up by ID or paper.

Claims live in ``proofs_check/claims/<paper>.py`` modules; each module defines
a list ``CLAIMS`` of :class:`~proofs_check.claim.Claim` objects (and usually
``PAPER``).  :func:`default_registry` imports them all, plus the extra modules
named by ``--claims-module`` or the environment variable
``PROOFS_CHECK_EXTRA_CLAIMS`` (module names or ``.py`` paths, separated by
commas or ``os.pathsep``) — the plugin mechanism the tests use.

>>> reg = default_registry()
>>> reg.get("FD-TV1").paper.short
'foundations'
>>> [c.id for c in reg.select(paper="foundations")][:2]
['FD-TV1', 'FD-TV2']
>>> reg.get("FD-TVX")
Traceback (most recent call last):
...
proofs_check.claim.ClaimError: unknown claim ID 'FD-TVX' (did you mean FD-TV...?); run `proofs-check list` to see all IDs
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import os
import re
import sys
from types import ModuleType
from typing import Iterable, Sequence

from .claim import Claim, ClaimError, Paper

__all__ = ["Registry", "default_registry", "extra_modules_from_env", "load_module"]

ENV_EXTRA = "PROOFS_CHECK_EXTRA_CLAIMS"


def extra_modules_from_env() -> list[str]:
    raw = os.environ.get(ENV_EXTRA, "")
    return [s.strip() for s in re.split(r"[,%s]" % re.escape(os.pathsep), raw) if s.strip()]


def load_module(spec: str) -> ModuleType:
    """Import a claims module by dotted name or by file path."""
    if spec.endswith(".py") or os.sep in spec:
        path = os.path.abspath(spec)
        if not os.path.isfile(path):
            raise ClaimError(f"claims module file {spec!r} does not exist")
        name = "proofs_check_extra_" + re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
        if name in sys.modules and getattr(sys.modules[name], "__file__", None) == path:
            return sys.modules[name]
        sp = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(sp)
        sys.modules[name] = mod
        try:
            sp.loader.exec_module(mod)
        except Exception as e:
            del sys.modules[name]
            raise ClaimError(f"cannot load claims module {spec!r}: {type(e).__name__}: {e}") from None
        return mod
    try:
        return importlib.import_module(spec)
    except ImportError as e:
        raise ClaimError(f"cannot import claims module {spec!r}: {e}") from None
    except Exception as e:
        raise ClaimError(f"claims module {spec!r} failed to import: {type(e).__name__}: {e}") from None


class Registry:
    """Claims by ID, in registration order, with their papers."""

    def __init__(self):
        self._claims: dict[str, Claim] = {}
        self.load_errors: list[str] = []
        self.modules: list[str] = []

    def add(self, claim: Claim) -> None:
        if not isinstance(claim, Claim):
            raise ClaimError(f"only Claim objects can be registered, got {type(claim).__name__}")
        old = self._claims.get(claim.id)
        if old is not None and old is not claim:
            raise ClaimError(f"claim ID {claim.id} is registered twice ({old.paper.short} and {claim.paper.short})")
        self._claims[claim.id] = claim

    def add_module(self, mod: ModuleType) -> None:
        claims = getattr(mod, "CLAIMS", None)
        if claims is None:
            raise ClaimError(f"claims module {mod.__name__} defines no CLAIMS list")
        for c in claims:
            self.add(c)
        self.modules.append(mod.__name__)

    def load(self, spec: str) -> None:
        self.add_module(load_module(spec))

    # -- lookup -----------------------------------------------------------------------
    def __iter__(self):
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def __contains__(self, cid: str) -> bool:
        return cid in self._claims

    def get(self, cid: str) -> Claim:
        try:
            return self._claims[cid]
        except KeyError:
            pass
        upper = {k.upper(): v for k, v in self._claims.items()}
        if cid.upper() in upper:
            return upper[cid.upper()]
        hint = difflib.get_close_matches(cid, list(self._claims), 1)
        extra = f" (did you mean {hint[0]}?)" if hint else ""
        raise ClaimError(f"unknown claim ID {cid!r}{extra}; run `proofs-check list` to see all IDs")

    def papers(self) -> list[Paper]:
        seen: dict[str, Paper] = {}
        for c in self:
            seen.setdefault(c.paper.short, c.paper)
        return list(seen.values())

    def paper(self, selector: str) -> Paper:
        for p in self.papers():
            if p.matches(selector):
                return p
        from .papers import SEED_PAPERS

        for p in SEED_PAPERS.values():
            if p.matches(selector):
                raise ClaimError(f"paper {p.short} (arXiv {p.arxiv}) has no claims yet: "
                                 f"proofs_check/claims/{p.short}.py is missing or failed to import")
        known = ", ".join(f"{p.short}" + (f" ({p.arxiv})" if p.arxiv else "") for p in self.papers())
        raise ClaimError(f"no paper matches {selector!r}; known papers: {known}")

    def select(self, ids: Sequence[str] = (), paper: str | None = None, all: bool = False) -> list[Claim]:
        """Claims by IDs, by paper (arXiv id, short name or prefix), or all of them."""
        out: list[Claim] = []
        if all or (not ids and paper is None):
            out = list(self)
        if paper is not None:
            p = self.paper(paper)
            out += [c for c in self if c.paper.short == p.short]
        out += [self.get(i) for i in ids]
        seen, uniq = set(), []
        for c in out:
            if c.id not in seen:
                seen.add(c.id)
                uniq.append(c)
        return uniq


_DEFAULT: dict = {}


def default_registry(extra: Iterable[str] = ()) -> Registry:
    """All claims of ``proofs_check.claims`` plus ``extra`` and ``$PROOFS_CHECK_EXTRA_CLAIMS`` modules.

    A paper module that fails to import is recorded in ``load_errors`` (the
    CLI reports it) instead of breaking every other paper's checks.
    """
    extra = tuple(extra) + tuple(extra_modules_from_env())
    if extra in _DEFAULT:
        return _DEFAULT[extra]
    from . import claims as claims_pkg

    reg = Registry()
    mods, errors = claims_pkg.discover()
    reg.load_errors.extend(errors)
    for m in mods:
        try:
            reg.add_module(m)
        except ClaimError as e:
            reg.load_errors.append(str(e))
    for spec in extra:
        reg.load(spec)  # explicit plugins: errors are the user's input errors
    _DEFAULT[extra] = reg
    return reg
