"""What ``proofs-check run`` shows while it works and when it is done.

Three audiences, one run:

* **a terminal** (stderr is a TTY, or ``PROOFS_CHECK_PROGRESS=1``): a live progress bar on stderr with
  tasks done / total, rate and ETA; at the end a table with headers, verdicts in colour;
* **a pipe or a CI log**: one line per claim on stdout *as soon as that claim's last instance finishes*
  (verdict, ID, instances, time, worst margin), so a log shows progress without a terminal;
* **a machine** (``run --format json``): nothing while running, the JSON report at the end.

``-q`` keeps only the totals line; ``-v`` adds a line per instance.  Colour appears only on a terminal
(and never with ``NO_COLOR`` set), as rich decides.

>>> import io
>>> from proofs_check.claim import CheckResult
>>> out = io.StringIO()
>>> d = RunDisplay(["X", "X"], mode="lines", out=out)
>>> d.result(CheckResult("X", "a", "proved", "exact", margin_float=0.5))
>>> out.getvalue()
''
>>> d.result(CheckResult("X", "b", "proved", "exact", margin_float=0.25))
>>> print(out.getvalue().split()[:3])
['proved', 'X', '2']
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import Counter
from typing import Iterable, Sequence

from .claim import CheckResult

__all__ = ["RunDisplay", "claim_line", "margin_with_sides", "print_table", "display_mode"]

_COLOURS = {"proved": "green", "consistent": "green", "no-counterexample": "green", "holds-approx": "cyan",
            "refuted": "red", "error": "bold red", "inconsistent": "red", "fails-approx": "red",
            "undecided": "yellow", "weak": "yellow"}


def display_mode(quiet: bool = False, fmt: str = "text", stream=None) -> str:
    """``'json'``, ``'quiet'``, ``'tty'`` (progress bar + table) or ``'lines'`` (a line per finished claim).

    >>> import io
    >>> display_mode(stream=io.StringIO()), display_mode(quiet=True), display_mode(fmt="json")
    ('lines', 'quiet', 'json')
    """
    if fmt == "json":
        return "json"
    if quiet:
        return "quiet"
    stream = sys.stderr if stream is None else stream
    forced = os.environ.get("PROOFS_CHECK_PROGRESS") == "1"
    return "tty" if forced or bool(getattr(stream, "isatty", lambda: False)()) else "lines"


def margin_with_sides(entry: dict) -> str:
    """The worst margin with the two sides of its comparison beside it (``[lhs … <= rhs …]``) when known.

    >>> margin_with_sides({"verdict": "proved", "worst": {"margin_tagged": "1/6 (exact)", "lhs_tagged": "1/3",
    ...                                                    "rhs_tagged": "1/2", "relation": "<="}})
    '1/6 (exact)  [lhs 1/3 <= rhs 1/2]'
    """
    worst = entry.get("worst") or {}
    margin = worst.get("margin_tagged", "—")
    if worst.get("lhs_tagged") is not None and entry["verdict"] != "error":
        margin += f"  [lhs {worst['lhs_tagged']} {worst.get('relation') or '?'} rhs {worst.get('rhs_tagged', '—')}]"
    return margin


def claim_line(entry: dict, seconds: float | None = None, width: int = 8) -> str:
    """One plain line for a claim entry of :func:`proofs_check.report.build_report`.

    >>> claim_line({"id": "FD-E1", "verdict": "proved", "n_results": 5, "note": "", "worst": None}, 0.25)
    'proved             FD-E1       5 inst    0.2 s  —'
    """
    worst = entry.get("worst") or {}
    margin = margin_with_sides(entry)
    where = f"  at {worst.get('instance', '')}" if entry["verdict"] not in ("proved", "consistent") and worst else ""
    note = f"  -- {entry['note']}" if entry.get("note") else ""
    if entry["verdict"] == "error":
        note = f"  -- {worst.get('message', '')}"
    if worst.get("witness_path"):
        note += f"  (witness: {worst['witness_path']})"
    secs = "" if seconds is None else f"{seconds:6.1f} s"
    return f"{entry['verdict']:<17}  {entry['id']:<{width}}  {entry['n_results']:>3} inst  {secs}  {margin}{where}{note}"


def print_table(report: dict, out=None, colour: bool | None = None) -> None:
    """The per-claim table with headers (rich), for a terminal; plain text elsewhere."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out or sys.stdout, no_color=(colour is False) or None, highlight=False,
                      soft_wrap=False)
    t = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col, kw in (("claim", {}), ("verdict", {}), ("inst", {"justify": "right"}), ("worst margin", {}),
                    ("where / note", {"overflow": "fold"})):
        t.add_column(col, **kw)
    for c in report["claims"]:
        worst = c.get("worst") or {}
        where = worst.get("instance", "") if c["verdict"] not in ("proved", "consistent") else ""
        note = c.get("note") or (worst.get("message", "") if c["verdict"] == "error" else "")
        if worst.get("witness_path"):
            note += f" (witness: {worst['witness_path']})"
        v = c["verdict"]
        t.add_row(c["id"], f"[{_COLOURS.get(v, 'white')}]{v}[/]", str(c["n_results"]),
                  margin_with_sides(c), " ".join(x for x in (where, note) if x))
    console.print(t)


class RunDisplay:
    """Progress of a run: pass it as ``progress=`` to :func:`proofs_check.runner.run_tasks`.

    ``claim_ids`` lists the claim of every task (in any order); the display knows a claim is finished
    when all its tasks have reported a result.  ``registry`` (optional) supplies provenance and
    statements for the per-claim lines.
    """

    def __init__(self, claim_ids: Sequence[str], mode: str = "lines", verbose: bool = False, registry=None,
                 out=None, err=None, controls_later: bool = False):
        self.total, self.done = len(claim_ids), 0
        self.controls_later = controls_later
        self.mode, self.verbose, self.registry = mode, verbose, registry
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._left = Counter(claim_ids)
        self._results: dict[str, list[CheckResult]] = {}
        self._width = max([len(c) for c in self._left] + [8])
        self._start = time.monotonic()
        self._bar = None
        self.finished_claims: list[str] = []
        self._printed: dict[str, str] = {}
        if mode == "tty" and self.total:
            self._start_bar()

    # -- the live bar (terminal) -----------------------------------------------------------------------
    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        console = Console(file=self.err, force_terminal=True if os.environ.get("PROOFS_CHECK_PROGRESS") == "1"
                          else None)
        self._bar = Progress(TextColumn("[bold]checking"), BarColumn(), MofNCompleteColumn(),
                             TaskProgressColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                             TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[label]}"),
                             console=console, transient=False, refresh_per_second=8)
        self._task = self._bar.add_task("run", total=self.total, rate="", label="")
        self._bar.start()

    def _tick(self, label: str) -> None:
        if self._bar is None:
            return
        el = time.monotonic() - self._start
        rate = f"{self.done / el:.1f}/s" if el > 0 else ""
        self._bar.update(self._task, completed=self.done, rate=rate, label=label[:36])

    # -- the protocol used by run_tasks and run_claims ----------------------------------------------------
    def expect(self, tasks) -> None:
        """More tasks are coming (a claim's controls, planned after its own results)."""
        for t in tasks:
            self._left[t.claim_id] += 1
        self.total += len(tasks)
        if self._bar is not None:
            self._bar.update(self._task, total=self.total)

    def update(self, n: int = 1, label: str = "") -> None:
        """Count ``n`` more tasks done (the label names the last one)."""
        self._tick(label)

    def result(self, r: CheckResult) -> None:
        """One task's result (computed or taken from the store)."""
        self.done += 1
        self._results.setdefault(r.claim_id, []).append(r)
        if self.verbose and self.mode in ("lines", "tty"):
            self._print(f"  {r.verdict.value:<17}  {r.claim_id:<{self._width}}  {r.instance_id}  "
                        f"{r.runtime:6.2f} s")
        self._left[r.claim_id] -= 1
        if self._left[r.claim_id] == 0:
            self._claim_finished(r.claim_id)
        self._tick(f"{r.claim_id} {r.instance_id}")

    def _claim_finished(self, cid: str) -> None:
        """Print the claim's line when its last task so far is in (its own instances and, when they run with
        it, its controls).  If controls that run later change the verdict (a surviving control makes a claim
        ``weak``), :meth:`finish` prints a second, final line for it."""
        if cid not in self.finished_claims:
            self.finished_claims.append(cid)
        if self.mode != "lines" or cid in self._printed:
            return
        from .report import build_report

        rs = self._results[cid]
        entry = build_report(rs, self.registry)["claims"][0]
        idle = re.match(r"(\d+) control\(s\) not run", entry.get("note") or "")
        if self.controls_later and idle:  # planned after every claim's own instances: pending, not skipped
            entry = dict(entry, note=f"{idle[1]} control(s) pending (they run after all claims' instances)")
        self._printed[cid] = entry["verdict"]
        self._print(claim_line(entry, sum(r.runtime for r in rs), self._width))

    def _print(self, line: str) -> None:
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False)
        else:
            self.out.write(line + "\n")
            self.out.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def finish(self, report: dict) -> None:
        """The end of a run: the table (terminal) or the JSON report (``--format json``)."""
        self.close()
        if self.mode == "lines":  # final lines for the claims whose controls changed their verdict
            for c in report["claims"]:
                if c["id"] in self._printed and self._printed[c["id"]] != c["verdict"]:
                    self._printed[c["id"]] = c["verdict"]
                    rs = self._results.get(c["id"], [])
                    self._print(claim_line(c, sum(r.runtime for r in rs), self._width) + "  (final, after controls)")
        if self.mode == "tty":
            print_table(report, self.out)
        elif self.mode == "json":
            from .report import to_json

            self.out.write(to_json(report))
            self.out.flush()


def claims_of(tasks: Iterable) -> list[str]:
    """The claim ID of each task (the input :class:`RunDisplay` wants)."""
    return [t.claim_id for t in tasks]
