"""mdtheory: exact computation for the theory of masked and random-walk discrete diffusion.

Layers (a module imports only from layers below it):

1. :mod:`~mdtheory.tiers` — number tiers (exact, certified, mp, float); :mod:`~mdtheory.logsum`;
2. :mod:`~mdtheory.spaces`, :mod:`~mdtheory.generators`, :mod:`~mdtheory.schedules`;
3. :mod:`~mdtheory.laws`, :mod:`~mdtheory.law_structure`, :mod:`~mdtheory.propagate` (forward marginals),
   :mod:`~mdtheory.distributions`, :mod:`~mdtheory.divergences`, :mod:`~mdtheory.information`,
   :mod:`~mdtheory.phi`, :mod:`~mdtheory.size_laws`;
4. :mod:`~mdtheory.masked_scores`, :mod:`~mdtheory.masked_score_errors`, :mod:`~mdtheory.scores`,
   :mod:`~mdtheory.samplers`, :mod:`~mdtheory.monotonicity`, :mod:`~mdtheory.scheduling`.

:mod:`~mdtheory.plotting` (matplotlib, imported only to draw) is outside the layers.

Every public module is an attribute of the package: after ``import mdtheory``,
``mdtheory.propagate.forward`` works (modules that are not imported eagerly are
imported on first access).

>>> import mdtheory
>>> mdtheory.propagate.forward.__name__
'forward'
"""

import importlib as _importlib
import pkgutil as _pkgutil

from .laws import Law, LawError
from .spaces import MaskedSpace, ProductSpace, SpaceTooLargeError, TruncatedLattice
from .tiers import MdtheoryError, NotExactError, TierError, get_tier

# data laws, divergences, information quantities
from . import distributions, divergences, information, logsum  # noqa: E402
from .logsum import LogSum  # noqa: E402

__version__ = "0.1.0"

# Public modules and subpackages (no leading underscore), found on disk so that new modules
# appear without a change here; those not imported above are imported on first attribute access.
_SUBMODULES = tuple(sorted(m.name for m in _pkgutil.iter_modules(__path__) if not m.name.startswith("_")))

__all__ = [
    "Law",
    "LawError",
    "ProductSpace",
    "MaskedSpace",
    "TruncatedLattice",
    "SpaceTooLargeError",
    "get_tier",
    "TierError",
    "NotExactError",
    "LogSum",
    "MdtheoryError",
    "__version__",
    *_SUBMODULES,
]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return _importlib.import_module(f"{__name__}.{name}")  # sets the attribute on the package
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES))
