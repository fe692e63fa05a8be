"""Sharp constants: the extremal value of a claim's constant or exponent on its instances.

For a :class:`~proofs_check.claim.Sharp` parameter ``C`` of an inequality
claim, :func:`instance_sharpness` finds, on one instance, the set of values of
``C`` for which every comparison holds, as a bracket ``[lo, hi]`` around its
end (the *sharp* value):

* it re-evaluates the check at a second value ``C₁`` and reads, per
  comparison, the slope of the margin in ``C``; the signs give the direction
  (margins growing with ``C``: the claim is stronger when ``C`` is smaller);
* if the margins are affine in ``C`` the sharp value is the extremal root
  ``C* = C₀ − m₀/slope`` of the comparisons; a third evaluation at ``C*``
  verifies the affine model (exact tier: equal margins, one of them exactly
  0), and the bracket is exact (``lo = hi``) or the ball of ``C*``;
* otherwise the bracket is found by bisection over re-evaluations (``steps``
  halvings between a value that holds and one that fails).

:func:`aggregate` combines the per-instance brackets of a run: the sharp value
over the instances is the largest (direction ``smaller``) or smallest
(``larger``) per-instance one, attained at a named instance; the slack is
``stated / sharp`` (``sharp / stated`` for ``larger``), so ``1`` means sharp and
``inf`` that the instances never need the constant.  :func:`past_sharp_value`
gives the value of the generic "past sharp" control: 10% beyond the bracket in
the strengthening direction, clipped to the parameter's domain (a clipped
value that still holds means the control survives: the claim is ``weak``).

>>> from proofs_check.claim import Claim, Comparison, Paper, Param, Sharp
>>> c = Claim("T-S", Paper("t", "T"), "x <= C", "x <= C", "derived-and-exact",
...           check=lambda i, p, t: Comparison(t.scalar(i["x"]), t.scalar(p["C"])),
...           instances=lambda s, p: [], params=[Param("C", "2")], sharp=[Sharp("C")])
>>> from mdtheory.tiers import get_tier
>>> r = instance_sharpness(c, {"x": "3/4"}, c.parse_params(), get_tier("exact"), c.sharp[0])
>>> r["direction"], r["lo"], r["hi"], r["exact"]
('smaller', '3/4', '3/4', True)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping, Sequence

from flint import arb, ctx as flint_ctx, fmpq

from mdtheory.logsum import LogSum
from mdtheory.tiers import Tier, as_fraction, get_tier

from .claim import Claim, Series, Sharp, Verdict

__all__ = ["instance_sharpness", "aggregate", "past_sharp_value", "control_notes", "fmt_value", "short", "slack_text",
           "verification_values", "sharpness_check"]

_BALL_PREC = 256


def _margins(claim: Claim, out, tier: Tier):
    """Per inequality comparison: its margin (≥ 0 holds), as fmpq (exact) or arb; None where undecidable."""
    from .evaluate import comparisons

    if isinstance(out, Series):
        raise TypeError("a rate claim has no sharp constant")
    comps = [c for c in comparisons(claim, out) if c.relation != "=="]
    raw = []
    symbolic = False
    with tier.active():
        for c in comps:
            if isinstance(c.lhs, LogSum) or isinstance(c.rhs, LogSum):
                L = c.lhs if isinstance(c.lhs, LogSum) else LogSum.zero()
                R = c.rhs if isinstance(c.rhs, LogSum) else LogSum.zero()
                m = R - L if c.relation in ("<=", "<") else L - R
                symbolic = True
            else:
                lhs, rhs = tier.scalar(c.lhs), tier.scalar(c.rhs)
                m = rhs - lhs if c.relation in ("<=", "<") else lhs - rhs
            raw.append(m)
    if symbolic or tier.name != "exact":
        prec = max(_BALL_PREC, int(getattr(tier, "prec", 0) or 0))
        out_ = []
        with flint_ctx.workprec(prec):
            for m in raw:
                out_.append(m.enclose(prec) if isinstance(m, LogSum) else (m if isinstance(m, arb) else arb(m)))
        return out_, False
    return [m if isinstance(m, fmpq) else _q(m) for m in raw], True


def _q(f) -> fmpq:
    f = as_fraction(f)
    return fmpq(f.numerator, f.denominator)


def _sign(x, exact: bool) -> int | None:
    if exact:
        return (x > 0) - (x < 0)
    if x > 0:
        return 1
    if x < 0:
        return -1
    if x.is_exact() and x == 0:
        return 0
    return None


def _frac(x) -> Fraction:
    return Fraction(int(x.p), int(x.q)) if isinstance(x, fmpq) else as_fraction(x)


def _ball_ends(x: arb) -> tuple[Fraction, Fraction]:
    lo, hi = x.lower(), x.upper()
    return _arb_fraction(lo), _arb_fraction(hi)


def _arb_fraction(x: arb) -> Fraction:
    m, e = x.mid().man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2 ** (-e))


def fmt_value(v: Fraction | None, inf: str = "inf", up: bool | None = None) -> str:
    """A bracket end as exact text: ``p/q`` when short, else a 15-digit decimal rounded outward
    (down for a lower end, ``up=False``; up for an upper end, ``up=True``), so the text still brackets;
    ``None`` is ±infinity.

    >>> fmt_value(Fraction(1, 3)), fmt_value(Fraction(10**30 + 1, 3 * 10**30), up=False)
    ('1/3', '0.333333333333333')
    """
    if v is None:
        return inf
    s = str(v)
    if len(s) <= 24 or up is None:  # exact values stay exact, however long
        return s
    if v == 0:
        return "0"
    import math

    e = math.floor(math.log10(abs(float(v)))) - 14
    scale = Fraction(10) ** (-e)
    n = v * scale
    n = math.ceil(n) if up else math.floor(n)
    q = Fraction(n) / scale
    digits = max(0, -e)
    sign = "-" if q < 0 else ""
    a = abs(q)
    ip, fp = divmod(a.numerator * 10**digits // a.denominator, 10**digits)
    return f"{sign}{ip}.{str(fp).zfill(digits)}" if digits else f"{sign}{ip}"


def short(text: str | None) -> str:
    """A bracket end or slack for display (about 7 significant digits)."""
    if text in (None, "inf", "-inf"):
        return str(text) if text else "—"
    try:
        v = as_fraction(text)
    except Exception:
        return str(text)
    return str(v) if len(str(v)) <= 12 else f"{float(v):.7g}"


def instance_sharpness(claim: Claim, instance: Mapping, params: Mapping, tier: Tier, sp: Sharp,
                       out0: Any = None) -> dict:
    """The sharp bracket of ``sp.param`` on one instance (JSON-able dict; see the module docstring).

    Keys: ``direction`` (``smaller``/``larger``/``None`` when the parameter
    does not enter the comparisons here), ``lo``/``hi`` (strings, ``None`` for
    ±∞), ``exact``, ``method``, ``holds_at_stated``, ``note``.
    """
    name = sp.param
    p0 = as_fraction(params[name])
    dom = claim.param(name).domain

    def run(v):
        pp = dict(params)
        pp[name] = Fraction(v)
        with tier.active():
            return claim.check(dict(instance), pp, tier)

    try:
        if out0 is None:
            out0 = run(p0)
        m0, exact = _margins(claim, out0, tier)
        step = abs(p0) / 8 if p0 != 0 else Fraction(1, 8)
        p1 = p0 + step
        if dom is not None and not dom.contains(p1):
            p1 = p0 - step
        m1, exact1 = _margins(claim, run(p1), tier)
        if not (exact and exact1):
            exact = False
            m0 = [m if isinstance(m, arb) else arb(m) for m in m0]
            m1 = [m if isinstance(m, arb) else arb(m) for m in m1]
        if len(m1) != len(m0) or not m0:
            return _bisect(claim, run, tier, sp, p0, dom, None, "the comparisons change with the parameter")
        with flint_ctx.workprec(_BALL_PREC):
            dp = _q(p1 - p0) if exact else arb(_q(p1 - p0))
            slopes = [(b - a) / dp for a, b in zip(m0, m1)]
            signs = [_sign(b, exact) for b in slopes]
        # a slope whose ball contains 0 (the comparison does not depend on the parameter up to rounding)
        # counts as 0; the evaluation at the candidate sharp value below checks the affine model anyway
        wide = any(s is None for s in signs)
        signs = [0 if s is None else s for s in signs]
        pos, neg = any(s > 0 for s in signs), any(s < 0 for s in signs)
        direction = sp.direction or ("smaller" if pos and not neg else "larger" if neg and not pos else None)
        if not pos and not neg and wide and sp.direction is not None:
            # wide enclosures (e.g. a Riemann-sum ball) hide the slope: bisect in the declared direction instead
            return _bisect(claim, run, tier, sp, p0, dom, direction, "the slope is hidden by the enclosures' width")
        if not pos and not neg:
            holds = all(_sign(m, exact) is not None and _sign(m, exact) >= 0 for m in m0)
            return {"direction": None, "lo": None, "hi": None, "exact": True, "method": "no dependence",
                    "holds_at_stated": holds, "note": f"{name} does not enter the comparisons on this instance"}
        if pos and neg:
            return _bisect(claim, run, tier, sp, p0, dom, direction, "the margins move both ways with the parameter")
        want = 1 if direction == "smaller" else -1
        with flint_ctx.workprec(_BALL_PREC):
            roots, blocked = [], False
            for a, b, s in zip(m0, slopes, signs):
                if s == 0:
                    sa = _sign(a, exact)
                    if sa is None or sa < 0:
                        blocked = True  # fails (or is undecided) for every value of the parameter
                    continue
                if s != want:
                    continue
                roots.append((_q(p0) - a / b) if exact else (arb(_q(p0)) - a / b))
        if blocked:
            return {"direction": direction, "lo": None, "hi": None, "exact": True, "method": "affine",
                    "holds_at_stated": False, "blocked": True,
                    "note": f"a comparison independent of {name} fails: no value of {name} makes the claim hold"}
        if exact:
            star = max(roots) if direction == "smaller" else min(roots)
            m_star, ex_star = _margins(claim, run(_frac(star)), tier)
            pred = [a + b * (star - _q(p0)) for a, b in zip(m0, slopes)]
            if ex_star and len(m_star) == len(pred) and all(x == y for x, y in zip(m_star, pred)) \
                    and min(m_star) == 0:
                v = fmt_value(_frac(star))
                return {"direction": direction, "lo": v, "hi": v, "exact": True, "method": "affine, verified at 3 values",
                        "holds_at_stated": (p0 >= _frac(star)) if direction == "smaller" else (p0 <= _frac(star)),
                        "note": ""}
            return _bisect(claim, run, tier, sp, p0, dom, direction, "the margins are not affine in the parameter",
                           guess=_frac(star), guess_holds=_all_nonneg(m_star, ex_star))
        with flint_ctx.workprec(_BALL_PREC):
            star = roots[0]
            for r in roots[1:]:
                star = (star if star > r else r if r > star else arb.union(star, r)) if direction == "smaller" else \
                       (star if star < r else r if r < star else arb.union(star, r))
        lo, hi = _ball_ends(star)
        lo, hi = as_fraction(fmt_value(lo, up=False)), as_fraction(fmt_value(hi, up=True))
        mid = (lo + hi) / 2
        m_star, _ = _margins(claim, run(mid), tier)
        with flint_ctx.workprec(_BALL_PREC):
            pred = [a + b * (arb(_q(mid)) - arb(_q(p0))) for a, b in zip(m0, slopes)]
            affine = len(m_star) == len(pred) and all(arb(x).overlaps(y) for x, y in zip(m_star, pred))
        if affine:
            return {"direction": direction, "lo": fmt_value(lo), "hi": fmt_value(hi), "exact": lo == hi,
                    "method": "affine (certified balls), verified at 3 values",
                    "holds_at_stated": (p0 >= hi) if direction == "smaller" else (p0 <= lo), "note": ""}
        return _bisect(claim, run, tier, sp, p0, dom, direction, "the margins are not affine in the parameter",
                       guess=mid, guess_holds=_all_nonneg(m_star, False))
    except Exception as e:  # sharpness is a report, never a crash of the run
        return {"direction": None, "lo": None, "hi": None, "exact": False, "method": "error",
                "error": f"{type(e).__name__}: {e}".splitlines()[0], "note": ""}


def _all_nonneg(margins, exact: bool) -> bool | None:
    """Do all margins hold (True), some fail (False), or is it undecided (None)?"""
    signs = [_sign(m, exact) for m in margins]
    if any(s is not None and s < 0 for s in signs):
        return False
    return None if any(s is None for s in signs) else True


def _holds(claim: Claim, out, tier: Tier, params) -> bool | None:
    from .evaluate import judge

    try:
        v = judge(claim, out, tier, params)["verdict"]
    except Exception:
        return None
    return True if v is Verdict.PROVED else False if v is Verdict.REFUTED else None


def _bisect(claim, run, tier, sp: Sharp, p0: Fraction, dom, direction, why: str, guess=None,
            guess_holds: bool | None = None) -> dict:
    """Bracket the sharp value by re-evaluation: a value that holds and one that fails (marching from
    ``guess``, the affine estimate, or from the stated value), then ``sp.steps`` halvings."""
    if direction is None:
        return {"direction": None, "lo": None, "hi": None, "exact": False, "method": "none",
                "note": f"not monotone in {sp.param} ({why})"}
    sgn = -1 if direction == "smaller" else 1  # the strengthening direction
    holds = lambda v: _holds(claim, run(v), tier, {})  # noqa: E731
    start = p0 if guess is None else Fraction(guess)
    if dom is not None and not dom.contains(start):
        start, guess_holds = p0, None
    h0 = guess_holds if guess is not None and guess_holds is not None else holds(start)
    if h0 is None:
        return {"direction": direction, "lo": None, "hi": None, "exact": False, "method": "bisection",
                "note": f"undecided at {sp.param} = {fmt_value(start)} ({why})"}
    good, bad = (start, None) if h0 else (None, start)
    scale = abs(start) / 16 if start != 0 else Fraction(1, 16)
    way = sgn if h0 else -sgn  # from a holding value: strengthen until it fails; else weaken until it holds
    for k in range(40):
        v = start + way * scale * 2**k
        if dom is not None and not dom.contains(v):
            end = dom.lo if way < 0 else dom.hi
            h = holds(end) if end is not None and dom.contains(end) else None
            if h0 and h:  # holds up to the end of the domain: no sharp value inside it
                lo, hi = (None, end) if direction == "smaller" else (end, None)
                return {"direction": direction, "lo": fmt_value(lo, "-inf"), "hi": fmt_value(hi), "exact": False,
                        "method": "bisection", "at_domain_end": True,
                        "note": f"holds up to the domain end {end} ({why})"}
            if h is not None and h != h0:
                good, bad = (good, end) if h0 else (end, bad)
            break
        h = holds(v)
        if h is None:
            break
        if h == h0:
            good, bad = (v, bad) if h0 else (good, v)
            continue
        good, bad = (good, v) if h0 else (v, bad)
        break
    if good is None or bad is None:
        return {"direction": direction, "lo": None, "hi": None, "exact": False, "method": "bisection",
                "note": f"no bracket found ({why})"}
    for _ in range(sp.steps):
        mid = (good + bad) / 2
        h = holds(mid)
        if h is None:
            break
        good, bad = (mid, bad) if h else (good, mid)
    lo, hi = (bad, good) if direction == "smaller" else (good, bad)
    return {"direction": direction, "lo": fmt_value(lo, up=False), "hi": fmt_value(hi, up=True), "exact": False,
            "method": f"bisection ({why})", "note": ""}


def _val(s: str | None) -> Fraction | None:
    return None if s in (None, "inf", "-inf") else as_fraction(s)


def aggregate(claim: Claim, results: Sequence, stated: Mapping | None = None) -> list[dict]:
    """The sharp bracket of every ``Sharp`` parameter over a run's results (claim results only)."""
    out = []
    for sp in claim.sharp:
        name = sp.param
        rows = [(r, r.sharpness.get(name)) for r in results if not r.control and r.sharpness.get(name)]
        st = None
        for r, _ in rows:
            st = r.params.get(name)
            break
        if st is None and stated is not None:
            st = stated.get(name)
        entry = {"param": name, "stated": None if st is None else str(as_fraction(st)), "direction": None,
                 "lo": None, "hi": None, "exact": False, "slack": None, "instance": None, "method": "",
                 "n_instances": len(rows), "note": ""}
        errs = [d for _, d in rows if d.get("method") == "error" or (d.get("direction") is None and d.get("method") == "none")]
        dirs = {d["direction"] for _, d in rows if d.get("direction")}
        if errs:
            entry["note"] = "; ".join(sorted({d.get("error") or d.get("note", "") for d in errs}))[:300]
        if len(dirs) > 1:
            entry["note"] = f"{name} strengthens the claim in different directions on different instances"
            out.append(entry)
            continue
        if not dirs:
            entry["note"] = entry["note"] or f"{name} does not enter the comparisons on any instance"
            entry["slack"] = "inf"
            out.append(entry)
            continue
        direction = dirs.pop()
        entry["direction"] = direction
        live = [(r, d) for r, d in rows if d.get("direction") == direction]
        if any(d.get("blocked") for _, d in live):
            entry["note"] = f"some instance fails for every value of {name}"
            out.append(entry)
            continue
        if direction == "smaller":  # holds for C >= s_i on every instance: the largest s_i
            key = lambda d: _val(d["lo"]) if d["lo"] not in (None, "-inf") else None  # noqa: E731
            best_r, best_d = max(live, key=lambda rd: (key(rd[1]) is not None, key(rd[1]) or 0))
            los = [_val(d["lo"]) for _, d in live if d["lo"] not in (None, "-inf")]
            his = [_val(d["hi"]) for _, d in live]
            lo = max(los) if los else None
            hi = None if any(h is None for h in his) else max(his)
        else:
            key = lambda d: _val(d["hi"]) if d["hi"] not in (None, "inf") else None  # noqa: E731
            best_r, best_d = min(live, key=lambda rd: (key(rd[1]) is None, key(rd[1]) or 0))
            his = [_val(d["hi"]) for _, d in live if d["hi"] not in (None, "inf")]
            los = [_val(d["lo"]) for _, d in live]
            hi = min(his) if his else None
            lo = None if any(v is None for v in los) else min(los)
        entry.update(lo=fmt_value(lo, "-inf"), hi=fmt_value(hi), instance=best_r.instance_id,
                     exact=all(d.get("exact") for _, d in live) and lo == hi,
                     method="; ".join(sorted({d.get("method", "") for _, d in live})))
        entry["slack"] = slack_text(entry)
        out.append(entry)
    return out


def slack_text(entry: Mapping) -> str | None:
    """``stated / sharp`` (direction smaller) or ``sharp / stated`` (larger), as text; ``inf`` when the
    instances never need the constant (sharp ≤ 0 for an upper-bound constant).

    >>> slack_text({"direction": "smaller", "stated": "1", "lo": "1/4", "hi": "1/4"})
    '4'
    >>> slack_text({"direction": "smaller", "stated": "1", "lo": "-inf", "hi": "-1"})
    'inf'
    """
    d, st = entry.get("direction"), _val(entry.get("stated"))
    if d is None or st is None:
        return None
    lo, hi = _val(entry.get("lo")), _val(entry.get("hi"))
    if d == "smaller":
        if hi is not None and hi <= 0 or (hi is None and lo is None):
            return "inf" if st > 0 else None
        if hi is None or lo is None or lo <= 0:
            return f">= {float(st / hi):.4g}" if hi and hi > 0 and st > 0 else None
        a, b = st / hi, st / lo
    else:
        if lo is None or st == 0:
            return None
        if hi is None:
            return "inf"
        a, b = lo / st, hi / st
    if a == b:
        return str(a) if a.denominator <= 16 else f"{float(a):.7g}"
    if f"{float(a):.6g}" == f"{float(b):.6g}":
        return f"{float(a):.6g}"
    return f"[{float(a):.6g}, {float(b):.6g}]"


def past_sharp_value(claim: Claim, entry: Mapping) -> tuple[Fraction | None, str]:
    """The value of the generic "past sharp" control and why (``None``: nothing to evaluate).

    10% beyond the bracket in the strengthening direction (``0.9·lo`` for a
    positive upper-bound constant); clipped to the parameter's domain, where
    the control will survive if the clipped value still holds.
    """
    d = entry.get("direction")
    if d is None:
        return None, entry.get("note") or "no direction"
    dom = claim.param(entry["param"]).domain
    st = _val(entry.get("stated")) or Fraction(1)
    if d == "smaller":
        s = _val(entry.get("lo"))
        if s is None:
            v = dom.lo if dom is not None and dom.lo is not None else None
            return v, "the instances never bound it from below" + (f"; at its domain end {v}" if v is not None else "")
        v = s - abs(s) / 10 if s != 0 else -abs(st) / 10
    else:
        s = _val(entry.get("hi"))
        if s is None:
            v = dom.hi if dom is not None and dom.hi is not None else None
            return v, "the instances never bound it from above" + (f"; at its domain end {v}" if v is not None else "")
        v = s + abs(s) / 10 if s != 0 else abs(st) / 10
    if dom is not None and not dom.contains(v):
        end = dom.lo if d == "smaller" else dom.hi
        return end, (f"10% past the sharp value {short(fmt_value(s))} leaves the domain {dom}; tried at its end {end} "
                     "(if it holds there, the instances never need the constant)")
    return v, f"10% past the sharp value {short(fmt_value(s))}"


def control_notes(claim: Claim, results: Sequence, sharp: Sequence[Mapping] | None = None) -> dict:
    """The value of each "past sharp" control and why: ``{control name: (text, survives)}``;
    ``survives`` when there is no value to try (the instances never bound the constant)."""
    if not claim.sharp:
        return {}
    entries = {e["param"]: e for e in (sharp if sharp is not None else aggregate(claim, results))}
    out = {}
    for ctl in claim.all_controls():
        if ctl.sharp is not None and ctl.sharp in entries:
            v, why = past_sharp_value(claim, entries[ctl.sharp])
            out[ctl.name] = (f"{ctl.sharp} = {short(fmt_value(v))}: {why}", False) if v is not None else (why, True)
    return out


def verification_values(claim: Claim, entry: Mapping) -> tuple[Fraction | None, Fraction | None]:
    """``(past, inside)``: 10% past the bracket in the strengthening direction (must refute) and 10% back
    inside it (must prove); ``None`` where the bracket has no finite end."""
    d = entry.get("direction")
    lo, hi = _val(entry.get("lo")), _val(entry.get("hi"))
    if d == "smaller":
        past = None if lo is None else lo - abs(lo) / 10 if lo != 0 else None
        inside = None if hi is None else hi + abs(hi) / 10 if hi != 0 else None
    elif d == "larger":
        past = None if hi is None else hi + abs(hi) / 10 if hi != 0 else None
        inside = None if lo is None else lo - abs(lo) / 10 if lo != 0 else None
    else:
        return None, None
    return past, inside


def sharpness_check(claim: Claim, entry: Mapping, results: Sequence, store=None, jobs: int = 1,
                    extra_modules: Sequence[str] = (), executor=None) -> list[str]:
    """Re-run ``claim`` on all its instances 10% past the sharp bracket (expect ``refuted``) and 10% inside it
    (expect ``proved``); one line per run."""
    from .evaluate import result_key
    from .runner import Task, run_tasks

    past, inside = verification_values(claim, entry)
    lines = []
    base = [r for r in results if not r.control and r.instance.get("name") is not None]
    for label, v, want in (("10% past the bracket", past, "refuted"), ("10% inside the bracket", inside, "proved")):
        if v is None:
            lines.append(f"{label}: no finite bracket end")
            continue
        dom = claim.param(entry["param"]).domain
        if dom is not None and not dom.contains(v):
            lines.append(f"{label}: {entry['param']} = {fmt_value(v)} is outside the domain {dom}")
            continue
        tasks = []
        for r in base:
            params = claim.parse_params(r.params)
            params[entry["param"]] = v
            t = r.tier_name or claim.default_tier
            key = result_key(claim, params, r.instance, f"{t}:None:None")
            tasks.append(Task(len(tasks), claim.id, claim.dump_params(params), dict(r.instance), t, None, None, key,
                              None, tuple(extra_modules)))
        rs = run_tasks(tasks, store, None, jobs, executor=executor, claims_by_id={claim.id: claim})
        verdicts = {x.verdict.value for x in rs}
        # rate facets of the same claim (Series instances) say 'consistent'; they carry no constant
        got = "refuted" if "refuted" in verdicts else (
            "proved" if "proved" in verdicts and verdicts <= {"proved", "consistent"} else "/".join(sorted(verdicts)))
        bad = [x for x in rs if x.verdict.value == "refuted"]
        where = f" at {bad[0].instance_id}" if bad else ""
        lines.append(f"{label}: {entry['param']} = {short(fmt_value(v))} -> {got}{where}"
                     + (" (as expected)" if got == want else f" (EXPECTED {want})"))
    return lines
