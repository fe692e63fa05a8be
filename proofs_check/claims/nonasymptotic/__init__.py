"""Claims of Conforti, Durmus, Pham (+ Raoul), "Non-Asymptotic Convergence of Discrete Diffusion Models:
Masked and Random Walk dynamics" (arXiv 2512.00580, prefix ND).

The full text was unavailable (``../shared/papers/nonasymptotic_2512.00580.md``).  Each claim's
statement says which part is the paper's (``[abstract]``) and which is a reconstruction or an
independent derivation; a refuted ``reconstructed`` claim means *the reconstruction may be wrong*.
IDs follow the note's "Claims to encode" checklist; ND-T1h and ND-T1delta are extra rate checks
(KL vs step size h and vs early-stopping time δ).

How the checks are made exact:

* identities that are algebraic in the marginal (backward generator, score mean, BRW boundary
  identity, Bregman = chain rule) are checked in exact rationals on full-support rational laws;
* masked quantities are exact rationals in α; KL sums of rational laws are exact
  :class:`~mdtheory.logsum.LogSum` values (V3, V3c, G2: equality over the logs of primes);
* the RW kernel identity uses the rational spectrum of Z_m for m ∈ {2, 3, 4, 6} (exact ODE check);
* monotonicity over whole time intervals uses :func:`mdtheory.monotonicity.certify_monotone`
  (certified derivative balls over sub-interval balls, bisection);
* counterexamples (V2n, V5n) are certified derivative balls strictly on the wrong side at a
  rational time for an exact rational law (replay with ``proofs-check replay``).

The claims live in topic modules: :mod:`.scores` (score identities and monotonicity: reversal, random walk on
Z_m, masking, V1/V2/T4), :mod:`.samplers` (chain rule, approximation and discretisation identities of the
samplers: G2, A1*, E1, V3/V4), :mod:`.rates` (the main bounds and rates T1–T5) and :mod:`.biased_walk` (the
biased walk on N^d and its truncation: NW1–NW4, V5*).  ``CLAIMS`` lists them in the note's checklist order.

Biased-walk results are those of the chain truncated at level L (absorbing overflow level); every
such check reports the certified overflow mass and compares it with the ``overflow_tol`` parameter.
"""

from __future__ import annotations

from . import biased_walk, rates, samplers, scores
from ._common import PAPER

__all__ = ["PAPER", "CLAIMS"]

# the note's checklist order (reports list the claims in this order)
_ORDER = ("ND-G1", "ND-G2", "ND-A1", "ND-A1p", "ND-A1s", "ND-ZW1", "ND-ZW2", "ND-ZW3", "ND-ZW4", "ND-MK1", "ND-MK2",
          "ND-MK3", "ND-NW1", "ND-NW2", "ND-NW3", "ND-NW4", "ND-E1", "ND-V1", "ND-V1b", "ND-V2", "ND-V2n", "ND-V3",
          "ND-V3c", "ND-V4", "ND-V4c", "ND-V5", "ND-V5m", "ND-V5n", "ND-T1", "ND-T1h", "ND-T1delta", "ND-T2", "ND-T3",
          "ND-T3t", "ND-T4", "ND-T5")
_BY_ID = {c.id: c for mod in (scores, samplers, rates, biased_walk) for c in mod.CLAIMS}
CLAIMS = [_BY_ID[i] for i in _ORDER] + [c for i, c in _BY_ID.items() if i not in _ORDER]
