"""Sharp Convergence Rates for Masked Diffusion Models (Liang, Tan, Shroff, Liang; arXiv 2602.22505).

One claim per line of the "Claims to encode" checklist of
``../shared/papers/sharp_rates_2602.22505.md`` (IDs ``SR-…``, provenance as listed there).
**Only the abstract of the paper was read**: a statement tagged ``[abstract]`` paraphrases
what the abstract asserts; ``[reconstructed]`` is our guess at a theorem's form (its
constants, exponents and log factors are parameters); ``[derived]`` is an identity or
inequality derived independently and checked exactly — not claimed to be in the paper.

Tiers.  Masked-process quantities are rational in ``α`` (the probability that a token is
still unmasked), so identities are *proved exactly* by parametrising with rational ``α``
(``α = e^{−τ}`` for the exponential clock — the identities are polynomial in ``α`` and
hold for every clock) or on the linear clock ``α = 1 − t`` with rational grids.  Strict
inequalities on the exponential clock (``κ·min(1, T−t)`` grid) are proved with certified
``arb`` balls.  Rate claims only *fit* exponents (``consistent``/``inconsistent``); one
reconstructed claim (SR-D2) needs a time integral: certified, its right side is a ball
[lower, upper Riemann sum] whose pieces enclose the integrand by interval evaluation, so it
proves, refutes or stays undecided honestly;
``--tier float`` uses a quadrature (``holds-approx``, never ``proved``).

Layout (a package by topic; every submodule is ``_``-prefixed, so a claim's code version covers all of them):
``_common`` (laws, grids, contexts, closed forms), ``_lemmas`` (SR-L*, SR-K*), ``_fhs`` (SR-F*, SR-T3*, SR-T4,
SR-C2), ``_scores`` (SR-A*), ``_decomposition`` (SR-D*), ``_euler_upper`` (SR-X1, SR-T1*, SR-C1),
``_euler_lower`` (SR-T2*), ``_controls`` (hand-written near misses), ``_claims`` (the claim list).

>>> [c.id for c in CLAIMS][:4]
['SR-L1', 'SR-L2', 'SR-L3', 'SR-L4']
>>> len(CLAIMS)
33
"""

from __future__ import annotations

from ._claims import CLAIMS
from ._common import PAPER, copy_pairs_closed_form, copy_pairs_uniform_bound, euler_unmask_probs, minimal_steps_linear
from ._decomposition import decomposition_terms
from ._euler_lower import minimal_kappa_grid_steps
from ._euler_upper import search_euler_bound

__all__ = ["PAPER", "CLAIMS", "search_euler_bound", "minimal_kappa_grid_steps", "copy_pairs_closed_form",
           "copy_pairs_uniform_bound", "euler_unmask_probs", "decomposition_terms", "minimal_steps_linear"]
