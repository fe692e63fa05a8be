"""Map an exact computation over a parameter grid, in this process, a local pool or a Dask cluster.

:func:`sweep` is the notebook-side twin of ``proofs-check run --jobs/--cluster``: the same executors
(:mod:`proofs_check.executors`), a progress bar on a terminal, and a tidy table back — one record (a dict)
per grid point, in grid order, with the point's parameters beside the computed fields.  A figure over a
large grid runs on a cluster by changing one argument.

>>> from fractions import Fraction
>>> def tv_of_euler(d, steps):            # any function of the grid's keys returning a dict or a value
...     return {"bound": Fraction(d, steps)}
>>> table = sweep(tv_of_euler, {"d": [2, 4], "steps": [8, 16]})
>>> [(r["d"], r["steps"], r["bound"]) for r in table]
[(2, 8, Fraction(1, 4)), (2, 16, Fraction(1, 8)), (4, 8, Fraction(1, 2)), (4, 16, Fraction(1, 4))]
>>> table.column("bound")[0]
Fraction(1, 4)
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import sys
from typing import Any, Callable, Iterable, Mapping, Sequence

from .claim import ProofsCheckError
from .executors import open_executor

__all__ = ["sweep", "SweepTable", "grid_points"]


class SweepTable(list):
    """The records of a sweep (a ``list`` of dicts, in grid order), with a column view and a DataFrame view."""

    def column(self, name: str) -> list:
        """The values of one field, in grid order."""
        return [r[name] for r in self]

    def to_frame(self):
        """A pandas DataFrame of the records (needs pandas, which mdtheory does not require)."""
        try:
            import pandas as pd
        except ImportError:
            raise ProofsCheckError("to_frame() needs pandas: pip install pandas (or use the records directly)") from None
        return pd.DataFrame(list(self))


def grid_points(grid: Mapping[str, Iterable] | Sequence[Mapping[str, Any]]) -> list[dict]:
    """A dict of lists → the Cartesian product (in key order, last key fastest); a list of dicts → as given.

    >>> grid_points({"a": [1, 2], "b": ["x"]})
    [{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'x'}]
    """
    if isinstance(grid, Mapping):
        keys = list(grid)
        values = [list(grid[k]) for k in keys]
        return [dict(zip(keys, combo)) for combo in itertools.product(*values)]
    points = list(grid)
    if not all(isinstance(p, Mapping) for p in points):
        raise ProofsCheckError("sweep: the grid must be a dict of lists or a list of dicts")
    return [dict(p) for p in points]


def _call(fn: Callable, point: dict):
    return fn(**point)


def _record(point: dict, value) -> dict:
    rec = dict(point)
    if isinstance(value, Mapping):
        clash = set(rec) & set(value)
        if clash:
            raise ProofsCheckError(f"sweep: the result repeats the grid keys {sorted(clash)}; rename them")
        rec.update(value)
    else:
        rec["value"] = value
    return rec


def sweep(fn: Callable[..., Any], grid, *, jobs: int | None = 1, cluster: str | None = None,
          progress: bool | None = None) -> SweepTable:
    """Evaluate ``fn(**point)`` at every point of ``grid`` and return the records in grid order.

    Parameters
    ----------
    fn : callable
        Called with the point's keys as keyword arguments; returns a dict (merged into the record) or any
        value (stored as ``value``).  For ``jobs > 1`` or a cluster it must be picklable (a module-level
        function; Dask also takes closures).
    grid : dict of lists, or list of dicts
        The points (see :func:`grid_points`).
    jobs, cluster
        As ``proofs-check run --jobs N`` / ``--cluster ADDRESS`` (``'local:N'`` or ``'tcp://host:port'``).
    progress : bool, optional
        A progress bar on stderr (rate and ETA); by default only when stderr is a terminal.
    """
    points = grid_points(grid)
    out: list = [None] * len(points)
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show and points:
        from rich.progress import Progress, BarColumn, MofNCompleteColumn, TimeRemainingColumn, TimeElapsedColumn

        bar = Progress("sweep", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), "ETA", TimeRemainingColumn(),
                       transient=True)
        task = bar.add_task("sweep", total=len(points))
        bar.start()
    ex = open_executor(jobs, cluster, (), len(points))
    try:
        if ex is None:
            for i, p in enumerate(points):
                out[i] = _record(p, _call(fn, p))
                if bar:
                    bar.advance(task)
        else:
            futs = {ex.submit(_call, fn, p): i for i, p in enumerate(points)}
            for f in cf.as_completed(futs):
                i = futs[f]
                out[i] = _record(points[i], f.result())
                if bar:
                    bar.advance(task)
    except BaseException:
        if ex is not None:
            ex.close(kill=True)
            ex = None
        raise
    finally:
        if ex is not None:
            ex.close()
        if bar:
            bar.stop()
    return SweepTable(out)
