"""mdtheory: exact computation for the theory of masked and random-walk discrete diffusion.

Layers (a module imports only from layers below it):

1. :mod:`~mdtheory.tiers` — number tiers (exact, certified, mp, float);
2. :mod:`~mdtheory.spaces`, :mod:`~mdtheory.generators`, :mod:`~mdtheory.schedules`;
3. :mod:`~mdtheory.laws`, :mod:`~mdtheory.propagate` (forward marginals), distributions,
   divergences, information, :mod:`~mdtheory.size_laws`;
4. scores, samplers, monotonicity, scheduling.
"""

from .laws import Law, LawError
from .spaces import MaskedSpace, ProductSpace, SpaceTooLargeError, TruncatedLattice
from .tiers import NotExactError, TierError, get_tier

__version__ = "0.1.0"

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
    "__version__",
]

# data laws, divergences, information quantities (issue 3)
from . import distributions, divergences, information, logsum  # noqa: E402
from .logsum import LogSum  # noqa: E402

__all__ += ["distributions", "divergences", "information", "logsum", "LogSum"]

# schedules of the random-order factorized sampler (issue 8)
from . import scheduling  # noqa: E402

__all__ += ["scheduling"]

# the common error base and the laws over schedules (issue 13)
from . import size_laws  # noqa: E402
from .tiers import MdtheoryError  # noqa: E402

__all__ += ["MdtheoryError", "size_laws"]
