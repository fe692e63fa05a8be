"""Samplers with exact output laws.

Masked diffusion (:mod:`~mdtheory.samplers.masked`, :mod:`~mdtheory.samplers.factorized`):
``euler``, ``tau_leaping``, ``ancestral``, ``exact_reverse``, ``fhs``, ``factorized``,
``expected_kl_over_orders``; results are :class:`SamplerResult` objects.
"""

from ._masked_core import SamplerError, SamplerResult, StepSizeError
from .masked import ancestral, euler, exact_reverse, fhs, tau_leaping, time_grid
from . import random_walk  # S1/S2/S3 for the random and biased walks
from . import profiles  # reference code-base samplers
from ..size_laws import SizeLaw
from .blocks import block_product_law, structured_law  # exact laws beyond the full space
from .exchangeable import exchangeable_law
from .factorized import OrderKL, expected_kl_over_orders, factorized

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
]
