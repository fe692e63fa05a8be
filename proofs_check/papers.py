"""The seed papers (one claims module each, ``proofs_check/claims/<short>.py``).

Paper modules should take their :class:`~proofs_check.claim.Paper` from here
so that titles and arXiv ids are spelled once:

>>> from proofs_check.papers import SEED_PAPERS
>>> SEED_PAPERS["sharp_rates"].arxiv, SEED_PAPERS["sharp_rates"].prefix
('2602.22505', 'SR')
>>> [p.short for p in SEED_PAPERS.values() if p.matches("2510.25544")]
['optimal_schedules']
"""

from __future__ import annotations

from .claim import Paper

__all__ = ["SEED_PAPERS", "SHARP_RATES", "OPTIMAL_SCHEDULES", "NONASYMPTOTIC", "INTRINSIC_DEPENDENCE"]

SHARP_RATES = Paper("sharp_rates", "Sharp Convergence Rates for Masked Diffusion Models", "2602.22505", "SR")
OPTIMAL_SCHEDULES = Paper(
    "optimal_schedules",
    "Error Bounds and Optimal Schedules for Masked Diffusions with Factorized Approximations",
    "2510.25544",
    "LZ",
)
NONASYMPTOTIC = Paper(
    "nonasymptotic",
    "Non-Asymptotic Convergence of Discrete Diffusion Models: Masked and Random Walk dynamics",
    "2512.00580",
    "ND",
)
INTRINSIC_DEPENDENCE = Paper(
    "intrinsic_dependence", "Adaptation to Intrinsic Dependence in Diffusion Language Models", "2602.20126", "ZC"
)

SEED_PAPERS = {p.short: p for p in (SHARP_RATES, OPTIMAL_SCHEDULES, NONASYMPTOTIC, INTRINSIC_DEPENDENCE)}
