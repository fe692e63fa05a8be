"""Samplers with exact output laws.

Masked diffusion (:mod:`~mdtheory.samplers.masked`, :mod:`~mdtheory.samplers.factorized`):
``euler``, ``tau_leaping``, ``ancestral``, ``exact_reverse``, ``fhs``, ``factorized``,
``expected_kl_over_orders``; results are :class:`SamplerResult` objects.
"""

from ._masked_core import SamplerError, SamplerResult, StepSizeError
from .masked import ancestral, euler, exact_reverse, fhs, tau_leaping, time_grid
from . import random_walk  # S1/S2/S3 for the random and biased walks (issue 4)
from . import profiles  # reference code-base samplers (issue 10)
from .blocks import block_product_law, structured_law  # exact laws beyond the full space (issue 20)
from .exchangeable import exchangeable_law  # (issue 20)
from .factorized import (
    CompositionMixture,
    FixedSizes,
    MarkovSizes,
    OrderKL,
    SizeLaw,
    bernoulli_sizes,
    expected_kl_over_orders,
    factorized,
    geometric_offset_sizes,
)

__all__ = [
    "SamplerError",
    "SamplerResult",
    "StepSizeError",
    "euler",
    "tau_leaping",
    "ancestral",
    "exact_reverse",
    "fhs",
    "time_grid",
    "block_product_law",
    "exchangeable_law",
    "structured_law",
    "factorized",
    "expected_kl_over_orders",
    "OrderKL",
    "SizeLaw",
    "FixedSizes",
    "MarkovSizes",
    "CompositionMixture",
    "bernoulli_sizes",
    "geometric_offset_sizes",
]
