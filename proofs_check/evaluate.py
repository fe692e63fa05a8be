"""Judging one claim on one instance: tiers, margins, precision raising, fits, witnesses.

:func:`evaluate` runs a claim's check in a tier and turns the comparisons into
a :class:`~proofs_check.claim.CheckResult`:

* exact tier: decided exactly (if the check needs an irrational number the
  exact tier raises ``NotExactError``; the run then moves to the certified
  tier and says so in the result's message);
* certified tier: a comparison is decided when the balls separate; otherwise
  the precision is doubled, up to ``max_prec`` bits, then ``undecided``;
* mp/float tiers: ``holds-approx`` / ``fails-approx``, never ``proved``;
* rate claims: a least-squares fit of ``log y`` on ``log x``, ``consistent``
  when the exponent is within the claim's tolerance.

>>> from proofs_check.claim import Claim, Comparison, Paper
>>> c = Claim("T-1", Paper("t", "T"), "1/3 <= x", "1/3 <= x", "derived-and-exact",
...           check=lambda i, p, t: Comparison(t.scalar("1/3"), t.scalar(i["x"])),
...           instances=lambda s, p: [{"x": "1/2"}])
>>> r = evaluate(c, {"name": "x=1/2", "x": "1/2"}, {}, "exact")
>>> r.verdict.value, r.lhs, r.rhs, r.margin
('proved', '1/3', '1/2', '1/6')
>>> evaluate(c, {"name": "x=1/4", "x": "1/4"}, {}, "float").verdict.value
'fails-approx'

Exact sums of logs (:class:`~mdtheory.logsum.LogSum`) are judged exactly in the exact tier
(equality by canonical form; a non-zero difference has its sign certified):

>>> from mdtheory.logsum import LogSum
>>> c2 = Claim("T-2", Paper("t", "T"), "2 log 2 == log 4", "2 log 2 == log 4", "derived-and-exact", relation="==",
...            check=lambda i, p, t: Comparison(2 * LogSum.log(2), LogSum.log(4)), instances=lambda s, p: [{}])
>>> r = evaluate(c2, {"name": "one"}, {}, "exact")
>>> r.verdict.value, r.lhs, r.exact_margin
('proved', 'LogSum(2*log(2))', 'LogSum(0)')
"""

from __future__ import annotations

import hashlib
import math
import os
import sys
import time
import traceback
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np
from flint import arb

from mdtheory.logsum import LogSum
from mdtheory.tiers import NotExactError, Tier, get_tier

from .claim import CONTROL_REFUTED, CheckResult, Claim, Comparison, Series, Verdict, canonical_json

__all__ = ["evaluate", "judge", "comparisons", "code_version", "WITNESS_FORMAT", "make_witness", "fit_power_law",
           "FloatInProof", "CONTROL_REFUTED"]

WITNESS_FORMAT = "proofs-check-witness/1"
DEFAULT_PREC = 128


# -- code version ---------------------------------------------------------------------------
_CORE_FILES = ("claim.py", "evaluate.py", "sharpness.py")
_version_cache: dict = {}


def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        try:
            with open(p, "rb") as f:
                h.update(os.path.basename(p).encode() + b"\0" + f.read())
        except OSError:
            h.update(p.encode())
    return h.hexdigest()


def code_version(claim: Claim) -> str:
    """A short hash of the code a result depends on.

    It covers the module that defines the claim's check (and the shared
    ``_*.py`` helper modules next to it), the judging code of ``proofs_check``
    and every source file of ``mdtheory``: editing any of them invalidates
    stored results (they are recomputed, never mixed).
    """
    mod = sys.modules.get(getattr(claim.check, "__module__", "") or "")
    src = getattr(mod, "__file__", None) if mod is not None else None
    key = src or claim.id
    if key in _version_cache:
        return _version_cache[key]
    import mdtheory

    here = os.path.dirname(os.path.abspath(__file__))
    md_dir = os.path.dirname(os.path.abspath(mdtheory.__file__))
    files = [os.path.join(here, f) for f in _CORE_FILES]
    for root, _dirs, names in os.walk(md_dir):
        files += [os.path.join(root, n) for n in names if n.endswith(".py")]
    if src:
        src = os.path.abspath(src)
        files.append(src)
        sib = os.path.dirname(src)  # shared helpers of a claims package: _*.py next to the module
        files += [os.path.join(sib, n) for n in os.listdir(sib)
                  if n.startswith("_") and n.endswith(".py") and n != "__init__.py" and os.path.join(sib, n) != src]
    v = _hash_files(files)[:12]
    _version_cache[key] = v
    return v


# -- margins and judgement ----------------------------------------------------------------------
def _margin(tier: Tier, lhs, rhs, rel: str):
    if rel in ("<=", "<"):
        return rhs - lhs
    if rel in (">=", ">"):
        return lhs - rhs
    return -abs(lhs - rhs)


def _decide(tier: Tier, lhs, rhs, rel: str) -> bool | None:
    """True (holds), False (violated) or None (the tier cannot decide)."""
    c = tier.compare(lhs, rhs)
    if c is None:
        return None
    return {"<=": c <= 0, "<": c < 0, ">=": c >= 0, ">": c > 0, "==": c == 0}[rel]


def _to_float(tier: Tier, x) -> float:
    try:
        return float(tier.to_float(x))
    except (TypeError, ValueError, OverflowError):
        return float("nan")


def _fmt(tier: Tier, x) -> str:
    if isinstance(x, LogSum):
        # the canonical form factors every integer: shown exactly only when that is cheap
        if all(max(int(n).bit_length() for n in r) <= 64 for r in x._terms):
            return repr(x)
        return f"LogSum({len(x._terms)} terms ≈ {float(x):.15g})"
    return tier.format(x)


def _as_logsum(x) -> LogSum:
    """A side of an exact symbolic comparison: a :class:`LogSum`, or the number 0."""
    if isinstance(x, LogSum):
        return x
    try:
        zero = get_tier("exact").scalar(x) == 0
    except Exception:
        zero = False
    if not zero:
        raise TypeError(f"a LogSum can only be compared with another LogSum or 0, not {x!r}; write both sides as LogSums")
    return LogSum.zero()


def _judge_symbolic(lhs, rhs, rel: str):
    """Exact comparison of two :class:`LogSum` values: equality by canonical form, sign by
    rigorous enclosures of increasing precision (decided whenever the sides differ)."""
    lhs, rhs = _as_logsum(lhs), _as_logsum(rhs)
    diff = lhs - rhs
    c = diff.sign()
    margin = {"<=": -diff, "<": -diff, ">=": diff, ">": diff}.get(rel, diff if c < 0 else -diff)
    ok = {"<=": c <= 0, "<": c < 0, ">=": c >= 0, ">": c > 0, "==": c == 0}[rel]
    if c == 0:
        return lhs, rhs, LogSum.zero(), ok, 0.0
    return lhs, rhs, margin, ok, float(margin)


class FloatInProof(TypeError):
    """A Python/numpy float reached a comparison of the exact or certified tier."""


def _is_float(x) -> bool:
    if isinstance(x, (float, np.floating)):
        return True
    return isinstance(x, np.ndarray) and x.dtype.kind == "f"


def comparisons(claim: Claim, out: Any) -> list:
    """The check's output as a list of :class:`Comparison` with their relations filled in."""
    comps = [out] if isinstance(out, Comparison) else list(out or [])
    if not comps or not all(isinstance(c, Comparison) for c in comps):
        raise TypeError(f"claim {claim.id}: check must return a Comparison, a list of them or a Series, got {type(out).__name__}")
    return [c if c.relation else Comparison(c.lhs, c.rhs, claim.relation, c.label, c.info) for c in comps]


def judge(claim: Claim, out: Any, tier: Tier, params: Mapping) -> dict:
    """Turn a check's output into verdict fields (no witness, no timing).

    In the exact and certified tiers a side that is a Python or numpy float is
    an error (:class:`FloatInProof`): a proved verdict is built from exact
    rationals, ``LogSum``s or ``arb`` balls end to end.
    """
    if isinstance(out, Series):
        return _judge_series(claim, out, tier, params)
    comps = comparisons(claim, out)
    rows = []
    tol = approx_tolerance(tier)
    tolerated = 0
    same = 0
    with tier.active():
        for c in comps:
            rel = c.relation or claim.relation
            if tier.rigorous:
                for side, v in (("left", c.lhs), ("right", c.rhs)):
                    if _is_float(v):
                        raise FloatInProof(
                            f"claim {claim.id}: the {side} side of comparison {c.label or '#' + str(len(rows))!r} is a "
                            f"float ({v!r}); exact/certified comparisons need rationals, LogSums or arb balls")
            if c.lhs is c.rhs and not isinstance(c.lhs, (int, bool, type(None))):  # small ints are shared objects
                same += 1
            if tier.name == "exact" and (isinstance(c.lhs, LogSum) or isinstance(c.rhs, LogSum)):
                lhs, rhs, margin, ok, mf = _judge_symbolic(c.lhs, c.rhs, rel)
                rows.append((ok, mf, c, lhs, rhs, margin, rel))
                continue
            lhs, rhs = tier.scalar(c.lhs), tier.scalar(c.rhs)
            margin = _margin(tier, lhs, rhs, rel)
            ok, mf = _decide(tier, lhs, rhs, rel), _to_float(tier, margin)
            if ok is False and tol and abs(mf) <= tol * (1 + abs(_to_float(tier, lhs)) + abs(_to_float(tier, rhs))):
                ok, tolerated = True, tolerated + 1  # rounding noise of an approximate tier
            rows.append((ok, mf, c, lhs, rhs, margin, rel))
    violated = [r for r in rows if r[0] is False]
    undecided = [r for r in rows if r[0] is None]
    key = lambda r: (math.inf if math.isnan(r[1]) else r[1])  # noqa: E731
    if violated:
        pick = min(violated, key=key)
        verdict = Verdict.REFUTED if tier.rigorous else Verdict.FAILS_APPROX
    elif undecided:
        pick = min(undecided, key=key)
        verdict = Verdict.UNDECIDED
    else:
        pick = min(rows, key=key)
        verdict = Verdict.PROVED if tier.rigorous else Verdict.HOLDS_APPROX
    _, mf, c, lhs, rhs, margin, rel = pick
    info: dict = {}
    for r in rows:
        info.update(r[2].info)
    fields = dict(
        verdict=verdict, lhs=_fmt(tier, lhs), rhs=_fmt(tier, rhs), margin=_fmt(tier, margin), margin_float=mf,
        relation=rel, label=c.label, n_comparisons=len(rows), info=info, same_sides=same,
    )
    if tier.name == "exact":
        fields["exact_margin"] = _fmt(tier, margin)
    if tolerated:
        fields["note"] = (f"{tolerated} comparison(s) held only within the rounding tolerance {tol:.1e} "
                          f"(relative) of the {tier.name} tier")
    return fields


def approx_tolerance(tier: Tier) -> float:
    """Relative tolerance for rounding noise in approximate tiers (0 for exact/certified).

    >>> approx_tolerance(get_tier("float")), approx_tolerance(get_tier("exact"))
    (1e-09, 0.0)
    """
    if tier.rigorous:
        return 0.0
    if tier.name == "mp":
        return 2.0 ** (-(int(getattr(tier, "prec", 53)) - 16))
    return 1e-9


def fit_power_law(x: Sequence[float], y: Sequence[float]) -> dict:
    """Least-squares fit ``log y = a·log x + log C``; returns exponent, constant, r2, max residual.

    >>> f = fit_power_law([1, 2, 4, 8], [3, 12, 48, 192])
    >>> round(f["exponent"], 12), round(f["constant"], 12), round(f["r2"], 12)
    (2.0, 3.0, 1.0)
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size < 2 or np.any(x <= 0) or np.any(y <= 0) or not np.all(np.isfinite(y)):
        raise ValueError("a power-law fit needs at least two points with positive finite x and y")
    lx, ly = np.log(x), np.log(y)
    a, b = np.polyfit(lx, ly, 1)
    pred = a * lx + b
    ss_res = float(np.sum((ly - pred) ** 2))
    ss_tot = float(np.sum((ly - ly.mean()) ** 2))
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else 1.0
    return {"exponent": float(a), "constant": float(math.exp(b)), "r2": r2,
            "max_log_residual": float(np.max(np.abs(ly - pred))), "n_points": int(x.size)}


def _judge_series(claim: Claim, s: Series, tier: Tier, params: Mapping) -> dict:
    num = lambda v: v if isinstance(v, LogSum) else tier.scalar(v)  # noqa: E731
    xs = [float(v) if isinstance(v, LogSum) else _to_float(tier, num(v)) for v in s.x]
    ys = [float(v) if isinstance(v, LogSum) else _to_float(tier, num(v)) for v in s.y]
    fit = fit_power_law(xs, ys)
    expected = float(params["exponent"])
    tol = float(params["tolerance"])
    fit.update(expected_exponent=expected, tolerance=tol, x=xs, y=ys, xname=s.xname, yname=s.yname,
               y_exact=[_fmt(tier, num(v)) for v in s.y])
    dev = abs(fit["exponent"] - expected)
    min_r2 = float(params.get("min_r2", 0) or 0)  # a claim may require a good fit (R² ≥ min_r2)
    fit.update(min_r2=min_r2)
    ok = dev <= tol and fit["r2"] >= min_r2
    return dict(
        verdict=Verdict.CONSISTENT if ok else Verdict.INCONSISTENT,
        lhs=f"{fit['exponent']:.6g} (fit, R² = {fit['r2']:.5f})",
        rhs=f"{expected:.6g} ± {tol:.3g}" + (f", R² ≥ {min_r2:g}" if min_r2 else ""),
        margin=f"{min(tol - dev, fit['r2'] - min_r2):.3g} (fit)", margin_float=min(tol - dev, fit["r2"] - min_r2), relation="~", label=f"{s.yname} vs {s.xname}",
        n_comparisons=len(xs), info=dict(s.info), fit=fit,
    )


# -- evaluation -------------------------------------------------------------------------------------
def make_witness(claim: Claim, result: CheckResult) -> dict:
    """The replayable JSON dict of a refutation."""
    return {
        "format": WITNESS_FORMAT,
        "claim": claim.id,
        "paper": {"short": claim.paper.short, "arxiv": claim.paper.arxiv, "title": claim.paper.title},
        "provenance": claim.provenance.value,
        "statement": claim.formula,
        "params": dict(result.params),
        "instance": dict(result.instance),
        "tier": result.tier_name,
        "prec": result.prec,
        "relation": result.relation,
        "label": result.label,
        "lhs": result.lhs,
        "rhs": result.rhs,
        "margin": result.exact_margin or result.margin,
        "code_version": result.code_version,
    }


def evaluate(
    claim: Claim,
    instance: Mapping,
    params: Mapping | None = None,
    tier: "str | Tier | None" = None,
    prec: int | None = None,
    max_prec: int | None = None,
    control: str | None = None,
    extras: bool = True,
) -> CheckResult:
    """Check ``claim`` on one instance; never raises for a failing check (verdict ``error``).

    ``params`` are parsed values (see :meth:`Claim.parse_params`); ``tier``
    defaults to the claim's ``default_tier``.  In the certified tier the
    precision starts at ``prec`` (128 bits) and doubles while some comparison
    is undecided, up to ``max_prec`` (the claim's, 4096 by default).

    ``control`` names a (non-inline) control of the claim to check instead
    (its result has ``control`` set and never a witness).  With ``extras``
    the claim's inline controls are judged on the same computation and its
    :class:`~proofs_check.claim.Sharp` parameters get their per-instance
    sharp brackets (``result.controls``, ``result.sharpness``).
    """
    params = claim.parse_params() if params is None else dict(params)
    ctl = None
    if control is not None:
        ctl = claim.control(control)
        if ctl.inline:
            raise ValueError(f"control {control!r} of {claim.id} is judged inline with the claim, not on its own")
        params = ctl.resolve_params(params)
        extras = False
    check = ctl.check if ctl is not None and ctl.check is not None else claim.check
    tier_name = tier.name if isinstance(tier, Tier) else (tier or claim.default_tier)
    if isinstance(tier, Tier):
        prec = getattr(tier, "prec", prec)
    t = get_tier(tier_name, prec if tier_name in ("certified", "mp") else None)
    if tier_name in ("certified", "mp") and prec is None:
        t = get_tier(tier_name, DEFAULT_PREC)
    cap = int(max_prec or claim.max_prec)
    start = time.perf_counter()
    notes: list[str] = []
    escalations = 0
    base = dict(claim_id=claim.id, instance_id=str(instance.get("name", "")), params=claim.dump_params(params),
                instance=dict(instance), code_version=code_version(claim), provenance=claim.provenance.value,
                paper={"short": claim.paper.short, "arxiv": claim.paper.arxiv, "title": claim.paper.title})
    try:
        while True:
            try:
                with t.active():
                    out = check(dict(instance), dict(params), t)
                    fields = judge(claim, out, t, params)
            except NotExactError as e:
                if t.name != "exact":
                    raise
                notes.append(f"the exact tier cannot represent this check ({e}); ran the certified tier instead")
                t = get_tier("certified", prec or DEFAULT_PREC)
                continue
            if fields["verdict"] is Verdict.UNDECIDED and t.name == "certified" and t.prec < cap:
                t = t.extraprec(min(t.prec, cap - t.prec))
                escalations += 1
                continue
            break
        if fields.get("note"):
            notes.append(fields.pop("note"))
        if fields["verdict"] is Verdict.UNDECIDED:
            if t.name == "certified":
                notes.append(f"the enclosures still overlap at {t.prec} bits (limit {cap}); if the two sides are "
                             "equal (margin 0), only the exact tier can prove it")
            else:
                notes.append("undecided")
        elif escalations:
            notes.append(f"decided after raising the precision to {t.prec} bits")
        res = CheckResult(tier=t.describe(), tier_name=t.name, prec=getattr(t, "prec", None),
                          escalations=escalations, message="; ".join(notes), **base, **fields)
        if extras:
            res.controls = _inline_controls(claim, out, t, params)
            if claim.sharp and res.verdict in (Verdict.PROVED, Verdict.REFUTED):
                from .sharpness import instance_sharpness

                res.sharpness = {sp.param: instance_sharpness(claim, instance, params, t, sp, out) for sp in claim.sharp}
    except KeyboardInterrupt:
        raise
    except Exception as e:  # a failing check is a result, not a crash of the run
        msg = f"{type(e).__name__}: {e}".splitlines()[0]
        if os.environ.get("PROOFS_CHECK_DEBUG"):
            msg += " | " + traceback.format_exc().replace("\n", " | ")
        res = CheckResult(verdict=Verdict.ERROR, tier=t.describe(), tier_name=t.name, prec=getattr(t, "prec", None),
                          message=msg, **base)
    res.runtime = time.perf_counter() - start
    if ctl is not None:
        res.control = ctl.name
    elif res.verdict is Verdict.REFUTED:
        res.witness = make_witness(claim, res)
    return res


def _inline_controls(claim: Claim, out, tier: Tier, params: Mapping) -> dict:
    """Judge the claim's inline controls (transforms of its output) on the same computation."""
    res = {}
    for ctl in claim.all_controls():
        if not ctl.inline:
            continue
        try:
            with tier.active():
                base = out if isinstance(out, Series) else comparisons(claim, out)
                mutated = ctl.transform(base, tier)
            t = tier
            if tier.name == "exact" and not isinstance(mutated, Series) and any(
                    isinstance(x, arb) for c in comparisons(claim, mutated) for x in (c.lhs, c.rhs)):
                t = get_tier("certified", 256)  # a transform that works on balls (e.g. of LogSum sides)
            with t.active():
                f = judge(claim, mutated, t, ctl.resolve_params(params))
            res[ctl.name] = {"verdict": f["verdict"].value, "margin": f["margin"], "label": f["label"]}
        except Exception as e:  # a control that cannot be judged is not refuted
            res[ctl.name] = {"verdict": Verdict.ERROR.value, "message": f"{type(e).__name__}: {e}".splitlines()[0]}
    return res


def result_key(claim: Claim, params: Mapping, instance: Mapping, tier_request: str, control: str | None = None) -> str:
    """Store key of a result: claim (and control), parameters, instance, tier request and code version."""
    d = {"claim": claim.id, "params": claim.dump_params(params), "instance": dict(instance),
         "tier": tier_request, "code": code_version(claim)}
    if control:
        d["control"] = control
    blob = canonical_json(d)
    return hashlib.sha256(blob.encode()).hexdigest()


def params_from_json(claim: Claim, d: Mapping) -> dict:
    return claim.parse_params({k: (Fraction(v) if claim.param(k).kind == "rational" else v) for k, v in d.items()})
