"""Reports of a run: JSON (canonical), Markdown and LaTeX (a booktabs ``longtable`` per paper).

The JSON report holds, per claim, the aggregated verdict, the worst result
and every result (claim, parameters, instance, tier, precision, runtime,
versions); Markdown and LaTeX are rendered from it.  Every number is tagged
with its tier: ``1/6 (exact)``, ``[0.25 ± 1.2e-40] (certified, 256 bits)``,
``0.25 (float)``, ``a = 0.51 (fit)``.

>>> from proofs_check.claim import CheckResult
>>> rs = [CheckResult("X-1", "i1", "proved", "exact", tier_name="exact", margin="1/6", margin_float=1/6,
...                   provenance="derived-and-exact")]
>>> rep = build_report(rs)
>>> rep["claims"][0]["verdict"], rep["claims"][0]["worst"]["margin_tagged"]
('proved', '1/6 (exact)')
>>> print(to_latex(rep).splitlines()[3])
\\toprule
"""

from __future__ import annotations

import json
import platform
import time
from typing import Sequence

from .claim import CheckResult, Verdict, control_status, summarize

__all__ = ["build_report", "to_json", "to_markdown", "to_latex", "tagged", "side", "strength_problems"]

REPORT_FORMAT = "proofs-check-report/1"


def tagged(r: CheckResult, which: str = "margin") -> str:
    """A number of a result with its tier, shortened if it is a huge exact rational."""
    if r.fit and which == "margin":
        return (f"a = {r.fit['exponent']:.4g} vs {r.fit['expected_exponent']:.4g} ± {r.fit['tolerance']:.3g} "
                f"(fit, R² = {r.fit['r2']:.4f})")
    val = getattr(r, which)
    if val is None:
        return "—"
    name = r.tier_name or r.tier.split("(")[0]
    if name == "exact":
        if len(val) > 28:
            approx = r.margin_float if which == "margin" else None
            lead = f"≈{approx:.6g}" if approx is not None else val[:20] + "…"
            return f"{lead} (exact, {len(val)}-char p/q in JSON)"
        return f"{val} (exact)"
    if name == "certified":
        return f"{val} (certified, {r.prec} bits)"
    return val if "(" in val else f"{val} ({name})"


def side(r: CheckResult, which: str) -> str | None:
    """One side (``lhs``/``rhs``) of the worst comparison, short (huge exact rationals abbreviated); ``None`` for
    fits (their margin already names exponent and R²) and for results without sides."""
    val = getattr(r, which, None)
    if r.fit or val is None or val == "":
        return None
    val = str(val)
    if len(val) > 28:
        if "/" in val and (r.tier_name or "") == "exact":
            try:
                from fractions import Fraction

                return f"≈{float(Fraction(val)):.6g}"
            except (ValueError, OverflowError, ZeroDivisionError):
                pass
        return val[:24] + "…"
    return val


def _margin_sides(w: dict) -> str:
    """The worst margin with the comparison's two sides beside it, when they are known."""
    m = w.get("margin_tagged", "—")
    if w.get("lhs_tagged") is not None and not w.get("message"):
        m += f" [lhs {w['lhs_tagged']} {w.get('relation') or '?'} rhs {w.get('rhs_tagged', '—')}]"
    return m


def build_report(results: Sequence[CheckResult], registry=None, run_info: dict | None = None) -> dict:
    """The canonical JSON-able report of ``results`` (grouped by claim, in order).

    Each claim entry has its verdict (``weak`` when a control survived), the
    worst result, every result, and ``controls`` (each control's outcome),
    ``scope`` (``text``, ``covered``, ``kind``...), ``sharpness`` (one entry per
    ``Sharp`` parameter: stated value, bracket, slack, instance) and ``slack``
    (a one-line summary).  ``controls_total`` counts the controls refuted as
    expected over the run.
    """
    import mdtheory

    from . import __version__
    from .sharpness import aggregate, control_notes

    order: list[str] = []
    groups: dict = {}
    for r in results:
        if r.claim_id not in groups:
            order.append(r.claim_id)
            groups[r.claim_id] = []
        groups[r.claim_id].append(r)
    claims = []
    totals: dict = {}
    ctl_tot = {"refuted": 0, "total": 0}
    for cid in order:
        allr = groups[cid]
        rs = [r for r in allr if not r.control]
        if not rs:
            continue
        claim = None
        if registry is not None and cid in registry:
            claim = registry.get(cid)
        prov = claim.provenance.value if claim else (rs[0].provenance or "derived-and-exact")
        sharp, controls, scope_text, covered, scope_json, nondefault = [], [], f"on {len(rs)} instances", True, {}, False
        searched = any(r.verdict is Verdict.NO_COUNTEREXAMPLE or r.instance_id.startswith("search(") for r in rs)
        if claim is not None:
            nondefault = any(claim.dump_params(claim.parse_params(r.params)) != claim.dump_params(claim.default_params())
                             for r in rs if r.params is not None and _parses(claim, r.params))
            if not searched:
                sharp = aggregate(claim, rs) if claim.sharp else []
                controls = control_status(claim, allr, control_notes(claim, rs, sharp))
                scope_text, covered = claim.scope.describe(len(rs), [r.instance for r in rs])
                scope_json = claim.scope.to_json()
        s = summarize(cid, prov, rs, controls, covered, scope_text, nondefault)
        totals[s.verdict.value] = totals.get(s.verdict.value, 0) + 1
        ctl_tot["total"] += len(controls)
        ctl_tot["refuted"] += sum(1 for c in controls if c["refuted"])
        w = s.worst
        entry = {
            "id": cid,
            "paper": ({"short": claim.paper.short, "arxiv": claim.paper.arxiv, "title": claim.paper.title}
                      if claim else (rs[0].paper or {"short": "?", "arxiv": None, "title": "?"})),
            "provenance": prov,
            "statement": claim.one_line() if claim else "",
            "formula": claim.formula if claim else "",
            "verdict": s.verdict.value,
            "failure": s.is_failure,
            "note": s.note,
            "counts": s.counts,
            "n_results": s.n_results,
            "params": dict(rs[0].params or {}),
            "nondefault_params": nondefault,
            "scope": dict(scope_json, text=scope_text, covered=covered),
            "controls": controls,
            "sharpness": sharp,
            "slack": "; ".join(f"{e['param']}: {e['slack']}" for e in sharp if e.get("slack")) or None,
            "worst": None if w is None else {
                "instance": w.instance_id, "label": w.label, "relation": w.relation,
                "lhs": w.lhs, "rhs": w.rhs, "margin": w.exact_margin or w.margin, "margin_float": w.margin_float,
                "margin_tagged": tagged(w), "lhs_tagged": side(w, "lhs"), "rhs_tagged": side(w, "rhs"),
                "tier": w.tier, "prec": w.prec, "message": w.message,
                "witness_path": w.witness_path, "fit": _fit_brief(w.fit),
            },
            "results": [r.to_dict() for r in rs],
            "control_results": [r.to_dict() for r in allr if r.control],
        }
        claims.append(entry)
    return {
        "format": REPORT_FORMAT,
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "versions": {"proofs_check": __version__, "mdtheory": mdtheory.__version__,
                     "python": platform.python_version(), "flint": _flint_version()},
        "run": run_info or {},
        "partial": (run_info or {}).get("status", "finished") != "finished",
        "n_results": len(results),
        "totals": totals,
        "controls_total": ctl_tot,
        "failed": any(c["failure"] for c in claims),
        "claims": claims,
    }


def _parses(claim, params) -> bool:
    try:
        claim.parse_params(params)
        return True
    except Exception:
        return False


def _fit_brief(fit):
    if not fit:
        return None
    return {k: fit[k] for k in ("exponent", "constant", "r2", "max_log_residual", "expected_exponent", "tolerance",
                                "n_points", "xname", "yname") if k in fit}


def _flint_version() -> str:
    try:
        import flint

        return flint.__version__
    except Exception:  # pragma: no cover
        return "?"


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def _md(s) -> str:
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")


def _controls_brief(c: dict) -> str:
    ctl = c.get("controls") or []
    if not ctl:
        return "—"
    return f"{sum(1 for x in ctl if x['refuted'])}/{len(ctl)} refuted"


def to_markdown(report: dict) -> str:
    """A Markdown summary table (one row per claim), then refutations and fits."""
    lines = ["# proofs-check report", ""]
    run = report.get("run") or {}
    if run:
        lines.append(f"Run {run.get('id', '?')}: `{' '.join(['proofs-check'] + list(run.get('argv', [])))}` "
                     f"({run.get('status', '?')}).")
        lines.append("")
    note = _partial_note(report)
    if note:
        lines += [f"**{note}**", ""]
    tot = ", ".join(f"{v} {k}" for k, v in report["totals"].items()) or "no results"
    lines += [f"Totals: {tot}.", ""]
    ct = report.get("controls_total") or {}
    if ct.get("total"):
        lines += [f"Controls refuted as expected: {ct['refuted']} of {ct['total']}.", ""]
    lines.append("| ID | Paper | Provenance | Verdict | Results | Scope | Controls | Slack | Worst margin | Where | Note |")
    lines.append("|---|---|---|---|---:|---|---|---|---|---|---|")
    for c in report["claims"]:
        w = c["worst"] or {}
        paper = c["paper"]["short"] + (f" ({c['paper']['arxiv']})" if c["paper"].get("arxiv") else "")
        where = w.get("instance", "") + (f" [{w['label']}]" if w.get("label") else "")
        note = c["note"] or w.get("message", "")
        lines.append(f"| {_md(c['id'])} | {_md(paper)} | {_md(c['provenance'])} | **{_md(c['verdict'])}** | "
                     f"{c['n_results']} | {_md((c.get('scope') or {}).get('text', ''))} | {_md(_controls_brief(c))} | "
                     f"{_md(c.get('slack') or '—')} | {_md(_margin_sides(w))} | {_md(where)} | {_md(note)} |")
    refs = [c for c in report["claims"] if c["verdict"] == Verdict.REFUTED.value]
    if refs:
        lines += ["", "## Refutations", ""]
        for c in refs:
            w = c["worst"]
            lines.append(f"- **{c['id']}** on `{w['instance']}`: lhs = {w['lhs']}, rhs = {w['rhs']} "
                         f"({w['tier']}); witness: `{w.get('witness_path') or '-'}`. {c['note']}")
    weak = [c for c in report["claims"] if c["verdict"] == Verdict.WEAK.value]
    if weak:
        lines += ["", "## Weak claims (hold, but could not have failed)", ""]
        for c in weak:
            lines.append(f"- **{c['id']}**: {c['note']}")
    sharp = [(c, e) for c in report["claims"] for e in c.get("sharpness") or []]
    if sharp:
        lines += ["", "## Sharp constants", "", "| ID | Parameter | Stated | Stronger when | Sharp bracket | Slack | At | Method |",
                  "|---|---|---:|---|---|---:|---|---|"]
        for c, e in sharp:
            br = "—" if e.get("direction") is None else f"[{e['lo']}, {e['hi']}]"
            lines.append(f"| {_md(c['id'])} | {_md(e['param'])} | {_md(e['stated'])} | {_md(e.get('direction') or '—')} | "
                         f"{_md(br)} | {_md(e.get('slack') or '—')} | {_md(e.get('instance') or '')} | "
                         f"{_md(e.get('method') or e.get('note') or '')} |")
    fits = [c for c in report["claims"] if c["worst"] and c["worst"].get("fit")]
    if fits:
        lines += ["", "## Rate and shape fits (empirical, never proved)", "",
                  "| ID | Instance | Exponent | Expected | Constant | R² | Verdict |", "|---|---|---:|---:|---:|---:|---|"]
        for c in fits:
            for r in c["results"]:
                f = r.get("fit")
                if not f:
                    continue
                lines.append(f"| {_md(c['id'])} | {_md(r['instance_id'])} | {f['exponent']:.4g} (fit) | "
                             f"{f['expected_exponent']:.4g} ± {f['tolerance']:.3g} | {f['constant']:.4g} (fit) | "
                             f"{f['r2']:.5f} | {r['verdict']} |")
    return "\n".join(lines) + "\n"


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
        "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_TEX_UNICODE = {"±": r"$\pm$", "≈": r"$\approx$", "—": "--", "…": r"\ldots{}", "²": r"\textsuperscript{2}",
                "−": "-", "≤": r"$\le$", "≥": r"$\ge$"}


def _tex(s) -> str:
    out = "".join(_TEX.get(ch, ch) for ch in str(s if s is not None else ""))
    for k, v in _TEX_UNICODE.items():
        out = out.replace(k, v)
    return "".join(ch if ord(ch) < 128 else "?" for ch in out)  # plain pdflatex-safe ASCII


def _partial_note(report: dict) -> str:
    """A sentence when the report's run did not finish (interrupted, stopped, still running); else ``''``."""
    status = (report.get("run") or {}).get("status")
    if status in (None, "finished"):
        return ""
    return (f"partial: run {report['run'].get('id', '?')} is {status} — {report.get('n_results', '?')} results "
            "are in; rerun the same command to complete it")


def to_latex(report: dict) -> str:
    """LaTeX ``longtable`` s (``booktabs`` rules), one per paper, that break across pages.

    Needs ``\\usepackage{booktabs,longtable}``.
    """
    lines = [r"% proofs-check report; needs \usepackage{booktabs,longtable}"]
    note = _partial_note(report)
    if note:
        lines.append(r"\noindent\textbf{" + _tex(note) + r"}\par")
    papers: dict = {}
    for c in report["claims"]:
        papers.setdefault(c["paper"].get("arxiv") or c["paper"]["short"], []).append(c)
    for paper, claims in papers.items():
        title = claims[0]["paper"].get("title") or paper
        head = r"ID & Provenance & Verdict & Slack & Worst margin (tier) & Results \\"
        lines += [
            r"\begin{longtable}{lllp{0.14\linewidth}p{0.3\linewidth}r}",
            r"\caption{" + _tex(f"{title} ({paper})") + r"}\\",
            r"\toprule", head, r"\midrule", r"\endfirsthead",
            r"\toprule", head, r"\midrule", r"\endhead",
            r"\bottomrule", r"\endfoot",
        ]
        for c in claims:
            w = c["worst"] or {}
            lines.append(" & ".join([
                _tex(c["id"]), _tex(c["provenance"]), _tex(c["verdict"]), _tex(c.get("slack") or "—"),
                _tex(w.get("margin_tagged", "—")), str(c["n_results"]),
            ]) + r" \\")
        lines.append(r"\end{longtable}")
    return "\n".join(lines) + "\n"


def strength_problems(report: dict, registry=None) -> dict:
    """Why each claim's verdict could not have failed: ``{claim id: [problem, ...]}`` (empty when none).

    Problems: no control at all; a control not refuted (or errored, or not run);
    a declared scope the instances do not cover; comparisons of an object with
    itself; a ``proved``/``weak`` verdict with a result outside the exact and
    certified tiers.  ``tests/test_registry_strength.py`` runs this over the
    whole registry.
    """
    out: dict = {}
    for c in report["claims"]:
        probs = []
        claim = registry.get(c["id"]) if registry is not None and c["id"] in registry else None
        if claim is not None and not claim.all_controls():
            probs.append("no control")
        for ctl in c.get("controls") or []:
            if not ctl["refuted"]:
                probs.append(f"control {ctl['name']!r} {ctl['status']}" + (f" ({ctl['note']})" if ctl.get("note") else ""))
        scope = c.get("scope") or {}
        if scope and not scope.get("covered", True):
            probs.append(f"scope not covered: {scope.get('text')}")
        same = sum(r.get("same_sides", 0) for r in c["results"])
        if same:
            probs.append(f"{same} comparison(s) of an object with itself")
        if c["verdict"] in (Verdict.PROVED.value, Verdict.WEAK.value):
            loose = {r["tier_name"] for r in c["results"]} - {"exact", "certified"}
            if loose:
                probs.append(f"a {c['verdict']} verdict with results in the {', '.join(sorted(loose))} tier")
        if probs:
            out[c["id"]] = probs
    return out
