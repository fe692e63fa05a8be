"""Shared instance builders and comparison helpers of the ND claims (not a paper module: ``_`` prefix)."""

from __future__ import annotations

import random
from fractions import Fraction

from flint import arb, fmpq

from mdtheory import generators
from mdtheory.laws import Law
from mdtheory.monotonicity import certify_monotone
from mdtheory.phi import Phi
from mdtheory.scores import score_functional_derivative
from mdtheory.spaces import ProductSpace, TruncatedLattice
from mdtheory.tiers import get_tier

from ...claim import Comparison, Param
from ...papers import NONASYMPTOTIC as PAPER
from ...search import random_law

__all__ = ["PAPER", "_rlaw", "_full_support", "_plaw", "_rw", "_brw_law", "_brw", "_rw_instances", "_q", "_eq", "_ball",
           "_cert", "_overflow_exact", "_rat_param", "_mono", "_CUBE", "_SQRT", "_OVF", "_ABS", "_REC", "_DER"]

# =============================================================================================
# instances and small helpers
# =============================================================================================


def _rlaw(tag: str, n: int, kind: str = "dirichlet", denom: int = 48) -> list[str]:
    rng = random.Random(f"ND-{tag}")
    return [str(x) for x in random_law(rng, n, kind, denom)]


def _full_support(tag: str, n: int, denom: int = 60) -> list[str]:
    rng = random.Random(f"ND-full-{tag}")
    w = [rng.randint(1, 9) for _ in range(n)]
    s = sum(w)
    return [str(Fraction(x, s)) for x in w]


def _plaw(inst, tier="exact") -> Law:
    return Law(ProductSpace(inst["m"], inst["d"]), [Fraction(x) for x in inst["law"]], tier)


def _rw(inst):
    return generators.random_walk(inst["m"], inst["d"], inst.get("rp", "1/2"), inst.get("rm", "1/2"))


def _brw_law(inst, tier="exact") -> Law:
    space = TruncatedLattice(inst["L"], inst["d"])
    return Law(space, {tuple(int(v) for v in k.split(",")): Fraction(p) for k, p in inst["law"].items()}, tier)


def _brw(inst):
    return generators.biased_walk(inst["L"], inst["d"], inst.get("a", "1/2"), inst.get("b", 1))


def _rw_instances(size, params, zeros=True):
    grid = {"small": [(2, 2, "1/2", "1/2"), (3, 2, "1", "1/4"), (5, 1, "1/2", "1/2"), (4, 2, "1/2", "1/2"),
                      (2, 3, "1/2", "1/2")],
            "medium": [(2, 2, "1/2", "1/2"), (3, 2, "1", "1/4"), (5, 2, "1/2", "1/2"), (4, 2, "1/2", "1/2"),
                       (2, 3, "1/2", "1/2"), (3, 3, "1/2", "1/2")],
            "large": [(3, 3, "1/2", "1/2"), (5, 2, "1", "1/3"), (4, 3, "1/2", "1/2"), (2, 4, "1/2", "1/2")]}[size]
    out = []
    for m, d, rp, rm in grid:
        kind = "sparse" if zeros and (m + d) % 2 else "dirichlet"
        out.append({"name": f"m={m},d={d},r=({rp},{rm}),{kind}", "m": m, "d": d, "rp": rp, "rm": rm,
                    "law": _rlaw(f"rw-{m}-{d}-{kind}", m**d, kind)})
    return out


def _q(x) -> fmpq:
    x = Fraction(x)
    return fmpq(x.numerator, x.denominator)


def _eq(lhs, rhs, label, info=None) -> Comparison:
    """An exact equality as ``lhs − rhs == 0`` (the difference is exact, so the certified tier decides it too)."""
    return Comparison(lhs - rhs, fmpq(0), "==", label, info or {})


def _ball(lo, hi, T):
    lo, hi = Fraction(lo), Fraction(hi)
    with T.active():
        return arb(fmpq(lo.numerator, lo.denominator)).union(arb(fmpq(hi.numerator, hi.denominator)))


def _cert(tier):
    """The certified tier of a check (the exact tier hands certified checks over to it)."""
    return tier if tier.name == "certified" else get_tier("certified", 128)


def _overflow_exact(bound) -> Fraction:
    """The exact rational upper end of a certified overflow bound (never the rounded float)."""
    exact = getattr(bound, "exact", None)
    if exact is None:
        raise TypeError(f"no certified overflow bound (got {bound!r}); run the biased walk in the certified tier")
    return exact


def _rat_param(v):
    v = Fraction(v)
    return fmpq(v.numerator, v.denominator)


_CUBE = Phi("cube", lambda x, T: x * x * x, lambda x, T: 3 * x * x, lambda x, T: 6 * x, formula="u³")
# outside every monotonicity class: concave (the controls of ND-V1, V1b, V2 use it with the direct derivative only —
# a Bregman enclosure clips to ≥ 0 and would build the convex sign in)
_SQRT = Phi("sqrt (concave)", lambda x, T: T.sqrt(x), lambda x, T: 1 / (2 * T.sqrt(x)),
            lambda x, T: -1 / (4 * x * T.sqrt(x)), convex=False, at_zero=0, slope_inf=0, formula="√u")


def _bad_piece(label, law, gen, phi, piece, T, sense, kw, method):
    """The derivative ball over a refuted or undecided piece, as the failing Comparison."""
    lo, hi = piece
    var = kw.get("variable", "t")
    dv = score_functional_derivative(law, gen, phi, direction=kw.get("direction"), score=kw.get("score", "auto"),
                                     tier=T, **({} if method is None else {"method": method}),
                                     **{var: _ball(lo, hi, T)})
    rel = "<=" if sense == "nonincreasing" else ">="
    info = {"method": method or "default"}
    if dv.overflow_bound is not None:
        info["overflow_bound"] = dv.overflow_bound
    return Comparison(dv.value, T.zero, rel, f"{label}: dF/d{var} on [{lo}, {hi}]", info)


def _mono(label, law, gen, phi, interval, T, *, sense="nonincreasing", **kw):
    """``certify_monotone`` as a Comparison: the largest end of the derivative enclosures toward the
    wrong side, over all proved pieces, is ≤ 0; a refuted (undecided) piece gives its ball instead.

    Random and biased walks: the DIRECT chain-rule derivative Σ ṗ(x)(Φ(u) − uΦ'(u)) + Φ'(u)ṗ(x+e)/c with ṗ = pQ
    decides (no Bregman term whose sign is built in).  A piece where the direct derivative is certainly on the
    wrong side refutes, whatever the Bregman form says.  Only if some piece stays undecided (a derivative ≡ 0 or
    too close to 0 for the ball) is the interval re-certified with ``method='intersection'``: on every piece the
    exact derivative lies in both the direct and the Bregman enclosure, so the sign is read off their
    INTERSECTION (never off a mere overlap); disjoint enclosures raise ``EnclosureMismatchError`` — a bug in one
    formula, reported as an error, never as a verdict.  Where the direct enclosure is uninformative (it contains
    the Bregman one) the intersection is the Bregman enclosure, and the verdict on that piece rests on the
    Bregman formula alone (whose Bregman part is ≥ 0 by construction); the label and ``info['method']``
    ('direct' or 'direct ∩ Bregman') say which decided, and ``info['direct undecided pieces']`` how often.
    ``method=`` forces one method (controls: ``method='direct'``)."""
    prec = 96 if T.prec <= 128 else T.prec
    forced = kw.pop("method", None)
    method = forced or "direct"
    r = certify_monotone(law, gen, phi, interval, sense=sense, tier="certified", prec=prec, method=method, **kw)
    if r.refuted:
        return _bad_piece(label, law, gen, phi, r.refuted[0], T, sense, kw, method)
    used = method
    if r.undecided:
        if forced is not None:
            return _bad_piece(label, law, gen, phi, r.undecided[0], T, sense, kw, method)
        ri = certify_monotone(law, gen, phi, interval, sense=sense, tier="certified", prec=prec,
                              method="intersection", **kw)
        n_open = len(r.undecided)
        label = f"{label} [direct ∩ Bregman: the direct derivative alone is undecided on {n_open} piece(s)]"
        bad = ri.refuted or ri.undecided
        if bad:
            return _bad_piece(label, law, gen, phi, bad[0], T, sense, kw, "intersection")
        used, r = "direct ∩ Bregman", ri
    info = {"pieces": len(r.proved), "evaluations": r.evaluations, "method": used}
    if used == "direct ∩ Bregman":
        info["direct undecided pieces"] = n_open
    if r.overflow_bound is not None:
        info["overflow_bound"] = r.overflow_bound
    worst = Fraction(r.worst)  # a float bound on the (exact) ball ends: sign-preserving
    return Comparison(T.scalar(worst), T.zero, "<=",
                      f"{label}: max over {len(r.proved)} pieces of the derivative's wrong-side end", info)


# =============================================================================================
# the claims
# =============================================================================================

_OVF = Param("overflow_tol", "1/1000000", "rational", "largest allowed certified overflow mass of the truncated lattice")
_ABS = "[abstract] "
_REC = "[reconstructed] "
_DER = "[derived, not claimed to be in the paper] "
