"""proofs_check: the claims of the seed papers as exact checks, with verdicts, a store and a CLI.

Modules: :mod:`~proofs_check.claim` (Claim, Param, Comparison, Series, Family,
CheckResult, Verdict, Provenance), :mod:`~proofs_check.evaluate` (one claim on
one instance, precision raising), :mod:`~proofs_check.registry` (claims by ID
and paper), :mod:`~proofs_check.runner` (tasks, store reuse, process pool),
:mod:`~proofs_check.store` (SQLite), :mod:`~proofs_check.search`
(counterexample search), :mod:`~proofs_check.report` (JSON / Markdown /
LaTeX), :mod:`~proofs_check.witness` (replay), :mod:`~proofs_check.cli`.
Every public module is an attribute of the package after ``import proofs_check``
(imported on first access).

>>> from proofs_check import default_registry, evaluate
>>> claim = default_registry().get("FD-M2")
>>> inst = claim.make_instances("small", claim.parse_params())[1]
>>> evaluate(claim, inst).verdict.value
'proved'
"""

import importlib as _importlib
import pkgutil as _pkgutil

__version__ = "0.1.0"

from .claim import (  # noqa: E402
    CheckResult,
    Claim,
    ClaimError,
    Comparison,
    Family,
    Paper,
    Param,
    ParamError,
    ProofsCheckError,
    Provenance,
    Series,
    Verdict,
)
from .evaluate import evaluate  # noqa: E402
from .registry import default_registry  # noqa: E402
from .sweeps import sweep  # noqa: E402

__all__ = [
    "CheckResult", "Claim", "ClaimError", "Comparison", "Family", "Paper", "Param", "ParamError",
    "ProofsCheckError", "Provenance", "Series", "Verdict", "evaluate", "default_registry", "sweep", "__version__",
]

# public modules and subpackages, imported on first attribute access (``proofs_check.report``)
_SUBMODULES = tuple(sorted(m.name for m in _pkgutil.iter_modules(__path__) if not m.name.startswith("_")))


def __getattr__(name: str):
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES))
