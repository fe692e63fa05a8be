"""The ``proofs-check`` command.

::

    proofs-check list [--paper P]
    proofs-check show ID
    proofs-check run [ID ...|--paper P|--all] [--tier T] [--prec BITS] [--max-prec BITS]
                     [--param K=V|ID.K=V ...] [--instances small|medium|large] [--jobs N|--cluster ADDR]
                     [--search [--budget N] [--seed S] [--search-method hill|hypothesis]]
                     [--recompute] [--report-dir DIR] [-q|-v] [--format text|json] [--no-controls]
    proofs-check sharpness [ID ...|--paper P|--all] [--param K=V ...] [--json] [--no-verify] [--jobs N|--cluster ADDR]
    proofs-check report [--format md|json|latex] [--out DIR] [--run N]
    proofs-check replay WITNESS.json

Common options: ``--store PATH`` (default ``./.proofs_check/results.sqlite`` or
``$PROOFS_CHECK_STORE``) and ``--claims-module MOD`` (extra claims: a module
name or a ``.py`` path; also ``$PROOFS_CHECK_EXTRA_CLAIMS``).

Exit status: 0 when every claim is fine; 1 when a ``derived-and-exact`` claim
is refuted at its default parameters or any check errors (a refuted
``reconstructed`` claim is reported as "the reconstruction may be wrong", a
refutation at parameters given with ``--param`` as "refuted at the given
parameters", a ``weak`` claim names its surviving control: none of them fails
the run); 2 for bad
input (one line on stderr, never a traceback); 130 after Ctrl-C (finished
results are kept; rerun to resume).  ``replay`` exits 0 when the witness
still refutes its claim and 1 when it does not.

>>> main(["show", "NOPE-1"])
2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap

from . import __version__
from .claim import ProofsCheckError, SIZES, Verdict
from .evaluate import code_version
from .registry import default_registry
from .report import _partial_note, build_report, tagged, to_json, to_latex, to_markdown
from .display import RunDisplay, display_mode
from .executors import open_executor, parse_cluster
from .runner import Interrupted, default_jobs, parse_param_args, plan, run_claims, run_tasks
from ._io import atomic_write

__all__ = ["main"]


EXIT_STATUS = """\
exit status:
  0    every claim is fine (a refuted `reconstructed` claim does not fail the run)
  1    a `derived-and-exact` claim is refuted, or a check errors
  2    bad input: one line on stderr, nothing computed or written
  3    internal error (set PROOFS_CHECK_DEBUG=1 for the traceback)
  130  interrupted (Ctrl-C): finished results are kept; rerun the same command to resume
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise ProofsCheckError(f"{message}; see `{self.prog} --help`")


def _positive_int(s: str) -> int:
    try:
        v = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {s!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {s!r}")
    return v


def _build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", help="SQLite result store (default ./.proofs_check/results.sqlite or $PROOFS_CHECK_STORE)")
    common.add_argument("--claims-module", action="append", default=[], metavar="MOD",
                        help="extra claims module (dotted name or .py path); repeatable")
    p = _Parser(prog="proofs-check", description="Check the claims of the discrete-diffusion papers by exact computation.",
                epilog=EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"proofs-check {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser, metavar="COMMAND")

    sp = sub.add_parser("list", parents=[common], help="list the claims (ID, paper, provenance, statement)")
    sp.add_argument("--paper", help="only this paper (arXiv id, short name or ID prefix)")
    sp.add_argument("--json", action="store_true", help="machine-readable output")

    sp = sub.add_parser("show", parents=[common], help="full statement, parameters and instances of a claim")
    sp.add_argument("id")
    sp.add_argument("--instances", choices=SIZES, default="small")

    sp = sub.add_parser("run", parents=[common], help="run checks and store the results", epilog=EXIT_STATUS,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("ids", nargs="*", metavar="ID")
    sp.add_argument("--paper", help="all claims of a paper (arXiv id, short name or ID prefix)")
    sp.add_argument("--all", action="store_true", help="all claims of all papers")
    sp.add_argument("--tier", choices=["exact", "certified", "mp", "float"],
                    help="number tier (default: each claim's own, usually exact)")
    sp.add_argument("--prec", type=_positive_int, help="starting precision in bits for certified/mp (default 128)")
    sp.add_argument("--max-prec", type=_positive_int, help="precision limit when raising it automatically (default 4096)")
    sp.add_argument("--param", action="append", default=[], metavar="K=V", help="parameter override; ID.K=V for one claim")
    sp.add_argument("--instances", choices=SIZES, default="small", help="instance size (default small)")
    sp.add_argument("--jobs", type=_positive_int, default=None,
                    help="local worker processes (default: the available cores, at most one per task)")
    sp.add_argument("--cluster", metavar="ADDRESS",
                    help="compute on Dask: a scheduler address (tcp://host:8786) or local[:N] for a LocalCluster "
                         "of N processes (needs the `distributed` extra)")
    sp.add_argument("--no-controls", action="store_true",
                    help="skip the controls that need their own evaluations (hand-written and 'past sharp'; "
                         "reported as 'not run'); the inline ones are judged on the claim's computation anyway")
    sp.add_argument("--search", action="store_true", help="counterexample search instead of the fixed instances")
    sp.add_argument("--budget", type=_positive_int, default=200, help="evaluations per searched claim (default 200)")
    sp.add_argument("--seed", type=int, default=0, help="search seed (default 0)")
    sp.add_argument("--search-method", choices=["hill", "hypothesis"], default="hill",
                    help="hill-climbing on random laws (default) or hypothesis-driven (targets the margin, shrinks)")
    sp.add_argument("--recompute", action="store_true", help="ignore stored results and compute everything again")
    sp.add_argument("--report-dir", metavar="DIR", help="also write report.json, report.md and report.tex there")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no per-claim lines (the totals line stays)")
    sp.add_argument("-v", "--verbose", action="store_true", help="also a line per instance as it finishes")
    sp.add_argument("--format", choices=["text", "json"], default="text",
                    help="text (default: progress on a terminal, a line per finished claim otherwise) or json "
                         "(the report, as `report --format json`, on stdout)")

    sp = sub.add_parser("sharpness", parents=[common],
                        help="sharp values of the claims' constants: bracket, slack, attaining instance")
    sp.add_argument("ids", nargs="*", metavar="ID")
    sp.add_argument("--paper", help="all claims of a paper (arXiv id, short name or ID prefix)")
    sp.add_argument("--all", action="store_true", help="all claims that declare a sharp parameter")
    sp.add_argument("--param", action="append", default=[], metavar="K=V", help="parameter override; ID.K=V for one claim")
    sp.add_argument("--instances", choices=SIZES, default="small", help="instance size (default small)")
    sp.add_argument("--jobs", type=_positive_int, default=None, help="worker processes (default: the available cores)")
    sp.add_argument("--cluster", metavar="ADDRESS", help="compute on Dask (as for `run --cluster`)")
    sp.add_argument("--no-verify", action="store_true",
                    help="skip re-running each claim 10%% past the bracket (must refute) and 10%% inside (must prove)")
    sp.add_argument("--json", action="store_true", help="machine-readable output")

    sp = sub.add_parser("report", parents=[common], help="render the results of the last run")
    sp.add_argument("--format", choices=["md", "json", "latex"], default=None,
                    help="md (default), json or latex; with --out, only that file")
    sp.add_argument("--out", metavar="DIR", help="write the report to DIR (atomically): report.json, report.md and "
                                                 "report.tex, or only the --format one")
    sp.add_argument("--run", type=_positive_int, help="a run number instead of the last one")

    sp = sub.add_parser("replay", parents=[common], help="re-check a saved witness (JSON file)")
    sp.add_argument("witness")
    return p


# -- commands -----------------------------------------------------------------------------------
def _registry(args):
    reg = default_registry(tuple(args.claims_module))
    for e in reg.load_errors:
        print(f"proofs-check: warning: {e}", file=sys.stderr)
    return reg


def _cmd_list(args) -> int:
    reg = _registry(args)
    claims = reg.select(paper=args.paper) if args.paper else list(reg)
    if args.json:
        print(json.dumps([{"id": c.id, "paper": c.paper.short, "arxiv": c.paper.arxiv, "provenance": c.provenance.value,
                           "kind": c.kind, "statement": c.one_line()} for c in claims], indent=2, ensure_ascii=False))
        return 0
    w = max([len(c.id) for c in claims] + [2])
    pw = max([len(c.paper.arxiv or c.paper.short) for c in claims] + [5])
    print(f"{'ID':<{w}}  {'paper':<{pw}}  {'provenance':<18}  statement")
    for c in claims:
        stmt = c.one_line()
        stmt = stmt if len(stmt) <= 90 else stmt[:87] + "..."
        print(f"{c.id:<{w}}  {(c.paper.arxiv or c.paper.short):<{pw}}  {c.provenance.value:<18}  {stmt}")
    return 0


def _cmd_show(args) -> int:
    reg = _registry(args)
    c = reg.get(args.id)
    out = [f"{c.id}  [{c.provenance.value}, {c.kind}]",
           f"paper:     {c.paper.title}" + (f" (arXiv {c.paper.arxiv})" if c.paper.arxiv else ""),
           "statement: " + textwrap.fill(c.statement, 100, subsequent_indent=" " * 11),
           f"formula:   {c.formula}",
           f"relation:  lhs {c.relation} rhs" if c.kind != "rate" else "fit:       y ≈ C·x^a, a within tolerance of exponent",
           f"tier:      {c.default_tier} by default (max precision {c.max_prec} bits)",
           f"search:    {'yes (random laws, hill-climbing)' if c.family else 'no instance family'}",
           f"code:      {code_version(c)}"]
    if c.params:
        out.append("parameters:")
        for p in c.params:
            extra = "".join([f", {p.domain}" if p.domain is not None else "", ", search only" if p.search_only else "",
                             ", sharp" if any(s.param == p.name for s in c.sharp) else ""])
            out.append(f"  {p.name} = {p.default!s:<8} ({p.kind}{extra}) {p.doc}")
    else:
        out.append("parameters: none")
    out.append("controls:  " + ("; ".join(f"{x.name}" + (f" ({x.doc})" if x.doc else "") for x in c.all_controls())
                                or "none"))
    insts = c.make_instances(args.instances, c.parse_params())
    out.append(f"scope:     {c.scope.describe(len(insts), insts)[0]}")
    out.append(f"instances ({args.instances}, {len(insts)}):")
    out += [f"  {i['name']}" for i in insts[:40]]
    if len(insts) > 40:
        out.append(f"  ... and {len(insts) - 40} more")
    if c.notes:
        out.append("notes:     " + textwrap.fill(c.notes, 100, subsequent_indent=" " * 11))
    print("\n".join(out))
    return 0


def _open_store(args, read_only: bool = False):
    from .store import Store

    return Store(args.store, read_only=read_only)


def _check_writable_dir(path: str, what: str) -> None:
    """Refuse, before any computation, a directory we could not write results into."""
    try:
        os.makedirs(path, exist_ok=True)
        probe = os.path.join(path, f".proofs-check-probe-{os.getpid()}")
        with open(probe, "w"):
            pass
        os.remove(probe)
    except OSError as e:
        raise ProofsCheckError(f"cannot write the {what} {path}: {e.strerror or e}; pass another directory") from None


def _write_reports(report: dict, outdir: str) -> list[str]:
    return [
        atomic_write(os.path.join(outdir, "report.json"), to_json(report)),
        atomic_write(os.path.join(outdir, "report.md"), to_markdown(report)),
        atomic_write(os.path.join(outdir, "report.tex"), to_latex(report)),
    ]


def _cmd_run(args) -> int:
    reg = _registry(args)
    if args.ids and (args.all or args.paper):
        raise ProofsCheckError("give claim IDs, --paper or --all, not several of them")
    if not (args.ids or args.paper or args.all):
        raise ProofsCheckError("say what to run: claim IDs, --paper P or --all (see `proofs-check list`)")
    if args.cluster and args.jobs is not None:
        raise ProofsCheckError("give --jobs N (local processes) or --cluster ADDRESS (Dask), not both")
    if args.cluster:
        parse_cluster(args.cluster)  # a bad address is a usage error before anything runs
    claims = reg.select(args.ids, args.paper, args.all)
    glob, per = parse_param_args(args.param)
    search = {"seed": args.seed, "budget": args.budget, "method": args.search_method} if args.search else None
    tasks = plan(claims, args.instances, args.tier, args.prec, args.max_prec, glob, per, search,
                 tuple(args.claims_module))  # validates every input before anything is written
    if search is not None:
        from .search import check_search_fits

        for c in claims:
            if c.family is not None and c.kind != "rate":
                check_search_fits(c, c.parse_params({**glob, **per.get(c.id, {})}))
        skipped = [c.id for c in claims if c.family is None or c.kind == "rate"]
        if len(skipped) == len(claims):
            raise ProofsCheckError(f"--search matched no claim that can be searched ({', '.join(skipped[:6])}"
                                   f"{', …' if len(skipped) > 6 else ''} have no instance family); "
                                   "search FD-TV1, FD-TV2 or the SR claims with a family")
        if skipped:
            print(f"proofs-check: note: no instance family (cannot search): {', '.join(skipped)}", file=sys.stderr)
    if args.report_dir:
        _check_writable_dir(args.report_dir, "report directory")
    store = _open_store(args)
    witness_dir = os.path.join(os.path.dirname(store.path), "witnesses")
    _check_writable_dir(witness_dir, "witness directory")
    argv = sys.argv[1:] if args._argv is None else args._argv
    run_id = store.start_run(argv)
    display = RunDisplay([t.claim_id for t in tasks], display_mode(args.quiet, args.format), args.verbose, reg,
                         controls_later=search is None and not args.no_controls)
    jobs = args.jobs if args.jobs is not None else default_jobs(len(tasks))
    executor = None
    try:
        if search is not None:
            executor = open_executor(jobs, args.cluster, tuple(args.claims_module), len(tasks))
            results = run_tasks(tasks, store, run_id, jobs, witness_dir, args.recompute, display, executor)
        else:
            results = run_claims(claims, args.instances, args.tier, args.prec, args.max_prec, glob, per, store, run_id,
                                 jobs, witness_dir, args.recompute, display, tuple(args.claims_module),
                                 controls=not args.no_controls, cluster=args.cluster, tasks=tasks)
    except Interrupted as e:
        display.close()
        if executor is not None:
            executor.close(kill=True)
        store.finish_run(run_id, "interrupted")
        hint = ("rerun the same command without --recompute to resume (with it, everything is computed again)"
                if args.recompute else "rerun the same command to resume")
        print(f"proofs-check: interrupted: {e.done} of {e.total} results are saved in {store.path}; {hint}",
              file=sys.stderr)
        return 130
    if executor is not None:
        executor.close()
    store.finish_run(run_id, "finished")
    report = build_report(results, reg, store.run_info(run_id))
    display.finish(report)
    if display.mode != "json":
        _print_totals(report)
    if args.report_dir:
        for path in _write_reports(report, args.report_dir):
            print(f"wrote {path}", file=sys.stderr if display.mode == "json" else sys.stdout)
    failed = report["failed"] or bool(reg.load_errors)
    return 1 if failed else 0


def _print_totals(report: dict) -> None:
    tot = ", ".join(f"{v} {k}" for k, v in report["totals"].items())
    ct = report.get("controls_total") or {}
    ctl = f"; controls: {ct['refuted']} of {ct['total']} refuted as expected" if ct.get("total") else ""
    print(f"{len(report['claims'])} claims: {tot}{ctl}" + ("; FAILED" if report["failed"] else ""))


def _cmd_report(args) -> int:
    reg = _registry(args)
    args.format_given = args.format is not None
    args.format = args.format or "md"
    if args.out:
        _check_writable_dir(args.out, "report directory")
    store = _open_store(args, read_only=True)
    run_id = args.run or store.last_run_id()
    if run_id is None:
        raise ProofsCheckError(f"no results in {store.path}; run `proofs-check run --all` first")
    results = store.run_results(run_id)
    if not results:
        raise ProofsCheckError(f"run {run_id} has no results in {store.path}")
    report = build_report(results, reg, store.run_info(run_id))
    if report["partial"]:
        print(f"proofs-check: note: {_partial_note(report)}", file=sys.stderr)
    render = {"md": to_markdown, "json": to_json, "latex": to_latex}
    if args.out:
        # --format chooses the file when given; without it, all three formats are written
        chosen = [args.format] if args.format_given else list(render)
        names = {"md": "report.md", "json": "report.json", "latex": "report.tex"}
        for f in chosen:
            print(f"wrote {atomic_write(os.path.join(args.out, names[f]), render[f](report))}")
        return 0
    sys.stdout.write(render[args.format](report))
    return 0


def _cmd_replay(args) -> int:
    from .witness import load_witness, replay, replay_differences

    w = load_witness(args.witness)
    reg = _registry(args)
    r = replay(w, reg)
    print(f"{r.claim_id} on {r.instance_id}: {r.verdict.value} in {r.tier}")
    for line in replay_differences(w, r):
        print(f"  differs: {line}")
    print(f"  lhs    = {tagged(r, 'lhs')}")
    print(f"  rhs    = {tagged(r, 'rhs')}   (relation {r.relation}{', ' + r.label if r.label else ''})")
    print(f"  margin = {tagged(r)}")
    if r.message:
        print(f"  note: {r.message}")
    if r.verdict is Verdict.REFUTED:
        print("witness confirmed: the claim fails on this instance")
        return 0
    print(f"witness NOT reproduced (recorded: refuted, now: {r.verdict.value})")
    return 1


def _cmd_sharpness(args) -> int:
    from .sharpness import aggregate, sharpness_check, short

    reg = _registry(args)
    if args.ids and (args.all or args.paper):
        raise ProofsCheckError("give claim IDs, --paper or --all, not several of them")
    if not (args.ids or args.paper or args.all):
        raise ProofsCheckError("say which claims: IDs, --paper P or --all (claims that declare sharp parameters)")
    claims = reg.select(args.ids, args.paper, args.all)
    if not args.ids:
        claims = [c for c in claims if c.sharp]
    bare = [c.id for c in claims if not c.sharp]
    if bare:
        raise ProofsCheckError(f"{', '.join(bare)} declare no sharp parameter (Claim(sharp=[Sharp('C')])); "
                               "see `proofs-check show ID`")
    glob, per = parse_param_args(args.param)
    extra = tuple(args.claims_module)
    tasks = plan(claims, args.instances, None, None, None, glob, per, extra_modules=extra)
    jobs = args.jobs if args.jobs is not None else default_jobs(len(tasks))
    if args.cluster and args.jobs is not None:
        raise ProofsCheckError("give --jobs N (local processes) or --cluster ADDRESS (Dask), not both")
    store = _open_store(args)
    executor = open_executor(jobs, args.cluster, extra, len(tasks))
    try:
        results = run_tasks(tasks, store, None, jobs, None, False, executor=executor,
                            claims_by_id={c.id: c for c in claims})
        rows = []
        for c in claims:
            mine = [r for r in results if r.claim_id == c.id]
            for e in aggregate(c, mine):
                if not args.no_verify:
                    e["verify"] = sharpness_check(c, e, mine, store, jobs, extra, executor=executor)
                rows.append(dict(e, id=c.id))
    except BaseException:
        if executor is not None:
            executor.close(kill=True)
        raise
    if executor is not None:
        executor.close()
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for e in rows:
        br = "—" if e.get("direction") is None else (
            (f"{e['lo']} (exact)" if len(e["lo"]) <= 24 else f"{short(e['lo'])} (exact value in --json)")
            if e.get("exact") else f"[{short(e['lo'])}, {short(e['hi'])}]")
        print(f"{e['id']}  {e['param']}: stated {e['stated']}, sharp {br}, slack {e.get('slack') or '—'}"
              + (f", stronger when {e['direction']}" if e.get("direction") else "")
              + (f", at {e['instance']}" if e.get("instance") else ""))
        if e.get("method"):
            print(f"    method: {e['method']}")
        if e.get("note"):
            print(f"    note: {e['note']}")
        for line in e.get("verify") or []:
            print(f"    check: {line}")
    return 0


_COMMANDS = {"list": _cmd_list, "show": _cmd_show, "run": _cmd_run, "report": _cmd_report, "replay": _cmd_replay,
             "sharpness": _cmd_sharpness}


def main(argv=None) -> int:
    """Entry point of ``proofs-check``; returns the exit status."""
    try:
        args = _build_parser().parse_args(argv)
        args._argv = None if argv is None else list(argv)
        return _COMMANDS[args.cmd](args)
    except SystemExit as e:  # --help / --version
        return int(e.code or 0) if isinstance(e.code, (int, type(None))) else 2
    except (ProofsCheckError, ValueError, TypeError, MemoryError) as e:
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        print(f"proofs-check: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("proofs-check: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # never a traceback for the user
        if os.environ.get("PROOFS_CHECK_DEBUG"):
            raise
        print(f"proofs-check: internal error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''} "
              "(set PROOFS_CHECK_DEBUG=1 for the traceback)", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
