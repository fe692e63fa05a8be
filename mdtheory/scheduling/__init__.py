"""Unmasking schedules of the random-order factorized sampler: exact costs, optimal and worst-case schedules.

Model (notes ``optimal_schedules_2510.25544.md`` §2 and ``intrinsic_dependence_2602.20126.md`` §2).
``N`` tokens are revealed in ``K`` steps of sizes ``k_1, …, k_K`` (a *composition* of ``N``;
boundaries ``s_0 = 0 < s_1 < … < s_K = N``).  A uniform permutation fixes which positions
each step reveals; inside a step the tokens are drawn independently from their exact
conditionals given everything revealed before.  For one ordered partition ``σ`` the chain
rule gives ``KL(π‖q_σ) = Σ_t [Σ_{j∈A_t} H(X_j|X_{S_{t-1}}) − H(X_{A_t}|X_{S_{t-1}})]``;
averaged over the uniform order it depends on ``π`` only through the information profile
(``h``, ``g = Δh``, ``δ_i = g(i) − g(i+1)``):

    **E_σ KL(π‖q_σ)** = Σ_t c(s_{t-1}, s_t),   c(a, b) = (b−a)·g(a) − (h(b) − h(a))
                      = Σ_{i=0}^{N-2} δ_i·w_i,  w_i = E[#{j > i : j in the block of i}].

Here positions are *reveal ranks* ``0..N-1`` (rank ``i`` is the ``(i+1)``-th revealed token) and
``w_i = b − 1 − i`` for the block ``[a, b) ∋ i``; for a random (data-independent) size law
``w_i`` is the expectation.  This is the **expected KL over orders** ("E_fact"), an *upper
bound* for ``KL(π‖q̄)`` of the actual sampler, whose law ``q̄`` is the mixture over orders —
a different quantity, never computed here.

Worst-case constants (notes ZC B3): since ``δ_i ≥ 0``, ``TC = Σ δ_i (N−1−i)`` and
``DTC = Σ δ_i (i+1)``,

    E KL ≤ C_TC·TC,  C_TC = max_{0≤i≤N−2} w_i/(N−1−i);   E KL ≤ C_DTC·DTC,  C_DTC = max_i w_i/(i+1),

with equality for the ``[N, k = i*+1]`` MDS code (profile with the single drop ``δ_{k−1} = log q``).

Number tiers.  Weights ``w`` and size laws are exact rationals (``fmpq``; see
:mod:`mdtheory.size_laws`).  A profile (:class:`~mdtheory.information.InformationProfile`)
lives in one tier: ``exact`` (fmpq, e.g. in units of ``log q``), :data:`~mdtheory.logsum.SYMBOLIC`
(:class:`~mdtheory.logsum.LogSum`, exact), ``certified`` (``arb`` enclosures), ``mp`` or
``float`` (approximate, never *proved*); the algorithms take the arithmetic from the tier.

Modules: :mod:`~mdtheory.scheduling.profiles` (profiles and costs),
:mod:`~mdtheory.scheduling.optimal` (deterministic optimisation and schedule families),
:mod:`~mdtheory.scheduling.worst_case` (worst-case constants),
:mod:`~mdtheory.scheduling.randomized` (randomized schedules and the LP).

>>> from mdtheory.scheduling import profile_closed_form, expected_kl, optimal_schedule, weights
>>> p = profile_closed_form("mds", q=5, n=6, k=2, logs="symbolic")
>>> weights((3, 3))                 # w_i = b − 1 − i inside each block
[2, 1, 0, 2, 1]
>>> expected_kl(p, (3, 3))          # δ_1 = log 5 meets w_1 = 1
LogSum(log(5))
>>> optimal_schedule(p, 2).sizes    # a boundary right after the drop costs nothing
(2, 4)
"""

from .. import size_laws as _size_laws
from ..size_laws import *  # noqa: F401,F403  (schedules and size laws, re-exported here)
from . import optimal as _optimal, profiles as _profiles, randomized as _randomized, worst_case as _worst_case
from .optimal import *  # noqa: F401,F403
from .profiles import *  # noqa: F401,F403
from .randomized import *  # noqa: F401,F403
from .worst_case import *  # noqa: F401,F403

# one list per concept, kept by the module that defines it
__all__ = [*_profiles.__all__, *_optimal.__all__, *_worst_case.__all__, *_randomized.__all__, *_size_laws.__all__]
