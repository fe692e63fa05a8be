"""Named profiles of the samplers in public code bases, with exact output laws.

Each profile reproduces one reference implementation's per-step rule, time grid, token
counts and final step *as written* (``papers/sampler_conventions.md``; re-checked against
the pinned commits named in :attr:`Profile.source`), and returns the exact law of its
output for a data law and a score estimator (exact conditionals by default).

========================= =========================================================================
profile                   what one run does (d positions, ``steps`` = the code's step argument)
========================= =========================================================================
``mdlm.ddpm``             grid ``linspace(1, 1e-5, N+1)``; masked tokens unmask w.p. ``(m_t−m_s)/m_t``,
                          ``m_t = (1−10⁻³)t``; final **argmax** of ``p_θ`` at ``t = 1e-5``
``mdlm.ddpm_cache``       same law (``m_t = t`` literally: the ratio is unchanged); reuses ``p_θ``
                          while ``x`` is unchanged, so NFE is random (its exact mean is reported)
``sedd.euler``            ``onehot + dt·σ'(t)·rate``; negative stay weights clipped (Gumbel-argmax);
                          final denoiser **samples** ``∝ ŝ`` (mask column dropped)
``sedd.analytic``         Tweedie τ-leap in ``e^{−σ}``: the exact posterior ``(α_s−α_t)/(1−α_t)``;
                          final denoiser samples
``bd3lm.fhs``             per block: one uniformly chosen masked position per NFE, value ``∝ p_θ``;
                          ``steps`` caps the events per block (leftover masks are kept);
                          no final step
``llada.random``          per block ``⌊M_b/S_b⌋`` (+1 for the first ``M_b mod S_b`` steps) tokens
                          per step; positions = top-k of ``U(0,1)`` (a uniform k-subset)
``llada.low_confidence``  same counts; positions = top-k of ``softmax(logits)[x0]`` (untempered)
``dream.origin``          grid ``linspace(1, 10⁻³, N+1)``; each mask transfers w.p. ``1 − s/t``
                          (w.p. 1 at the last step)
``dream.maskgit_plus``    ``int(M·(1 − s/t))`` tokens (all remaining at the last step); top-k of
                          the drawn token's tempered probability
``dream.topk_margin``     same counts; top-k of ``top1 − top2``
``dream.entropy``         same counts; top-k of ``Σ_a q log(q + 10⁻¹⁰)`` (exact, :class:`LogSum`)
``campbell.tau_leaping``  uniform forward rate on ``{0..S−1}^d``; Poisson jumps, additive, clamped;
                          grid ``linspace(1, min_t, N) + [0]``; final argmax at ``min_t``
========================= =========================================================================

**Exactness.** Every masked profile is rational for rational data laws and temperature 1
(or ``1/τ`` an integer), so the exact tier gives the output law as exact rationals.
Temperatures with irrational powers, Plackett–Luce selection (``alg_temp > 0``) and the
τ-leaping profile (Poisson weights ``e^{−hλ}``) need ``tier='certified'``.  Confidence
rules are decided exactly: probabilities and margins as rationals, entropies as exact
:class:`~mdtheory.logsum.LogSum` values, ties by the documented ``ties`` rule (``'index'``:
lower position first, the order ``torch.topk`` usually returns; ``'uniform'``: a uniformly
random choice among tied positions).  Randomised confidences are integrated exactly by
enumerating the joint candidate draws of the positions that compete (``m^{#competing}``
per context; fine for the tiny spaces this library is for).

**Mass is never dropped.** Leftover masks (``bd3lm.fhs`` with too few steps) and
off-support states are kept in the law and reported (:class:`SamplerResult`).

>>> from mdtheory.distributions import copy_pairs
>>> from mdtheory.samplers import profiles
>>> r = profiles.run("dream.origin", copy_pairs(2, 2), steps=4)
>>> r.tv(), r.info["nfe"]        # ½·Σπ_k², π = (Δ, Δ, Δ, 1 − 3Δ), Δ = 999/4000 (SR-T2a closed form)
(1000003/8000000, 4)
>>> profiles.run("bd3lm.fhs", copy_pairs(2, 2), steps=4).tv()
0
>>> "llada.low_confidence" in profiles.names()
True

One module per code base (:mod:`.mdlm`, :mod:`.sedd`, :mod:`.bd3lms`, :mod:`.llada`, :mod:`.dream`,
:mod:`.tau_leaping`) holds its sampler and registers its profiles with their metadata;
:mod:`.report` compares them.  Plots of sweeps are in :mod:`mdtheory.plotting` (matplotlib is
optional).
"""

from ._base import Profile, ProfileError, get, grid_times, names, run

# the code bases, in the order of the conventions note (this order is names()'s order)
from . import mdlm, sedd, bd3lms, llada, dream, tau_leaping  # noqa: E402,F401  (each registers its profiles)
from .dream import dream_counts  # noqa: E402
from .llada import llada_counts  # noqa: E402
from .report import ComparisonReport, compare, sweep  # noqa: E402

for _obj in (Profile, ProfileError):
    _obj.__module__ = __name__  # the public home of these classes (tracebacks and reprs name it)

__all__ = [
    "Profile",
    "ProfileError",
    "get",
    "names",
    "run",
    "compare",
    "ComparisonReport",
    "sweep",
    "grid_times",
    "llada_counts",
    "dream_counts",
]
