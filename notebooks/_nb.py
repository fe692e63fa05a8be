"""Helpers shared by the notebooks: where their figures go, and results shown as tables.

Figures are saved next to the notebooks, in ``notebooks/figures/`` — found from this file, so the
working directory does not matter (the environment variable ``MDTHEORY_FIGURES`` overrides it; the
tests use it to write into a temporary directory).  Tables render as HTML/Markdown in Jupyter and
as aligned plain text when a notebook runs as a script.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent


def figure_dir() -> Path:
    """The directory the notebooks save their figures to (created if missing)."""
    d = Path(os.environ.get("MDTHEORY_FIGURES") or NOTEBOOKS / "figures")
    d.mkdir(parents=True, exist_ok=True)
    return d


def save_figure(fig, name: str, *, exts=("png", "pdf"), **savefig_kw) -> list[Path]:
    """Save ``fig`` as ``figures/<name>.png`` and ``.pdf``; the figure stays open to be shown inline."""
    fig.tight_layout()
    paths = [figure_dir() / f"{name}.{ext}" for ext in exts]
    for p in paths:
        fig.savefig(p, **savefig_kw)
    return paths


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _cell(v, digits: int) -> str:
    """Integers and text as they are; other numbers (floats, rationals, LogSums, balls' midpoints) rounded."""
    if isinstance(v, (str, int)) or not hasattr(v, "__float__"):
        return str(v)
    return f"{float(v):.{digits}g}"


class Table:
    """Rows under headers; ``_repr_html_``/``_repr_markdown_`` for Jupyter, ``str`` for a terminal."""

    def __init__(self, rows, headers, *, title: str | None = None, digits: int = 4):
        self.headers = [str(h) for h in headers]
        self.rows = [[_cell(v, digits) for v in row] for row in rows]
        if any(len(r) != len(self.headers) for r in self.rows):
            raise ValueError(f"every row needs {len(self.headers)} cells (one per header)")
        self.title = title

    def __str__(self) -> str:
        widths = [max(len(c) for c in col) for col in zip(self.headers, *self.rows)]
        line = lambda cells: "  ".join(c.rjust(w) for c, w in zip(cells, widths))  # noqa: E731
        out = [self.title] if self.title else []
        out += [line(self.headers), "  ".join("-" * w for w in widths), *map(line, self.rows)]
        return "\n".join(out)

    __repr__ = __str__  # text/plain, beside the HTML and Markdown forms

    def _repr_markdown_(self) -> str:
        out = [f"**{self.title}**", ""] if self.title else []
        out.append("| " + " | ".join(self.headers) + " |")
        out.append("|" + "---:|" * len(self.headers))
        out += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        esc = html.escape
        cap = f"<caption>{esc(self.title)}</caption>" if self.title else ""
        head = "".join(f"<th>{esc(h)}</th>" for h in self.headers)
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in self.rows)
        return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def show(obj) -> None:
    """Display ``obj`` richly in Jupyter, print it otherwise."""
    if _in_ipython():
        from IPython.display import display

        display(obj)
    else:
        print(obj)


def show_table(rows, headers, *, title: str | None = None, digits: int = 4) -> None:
    """Show ``rows`` as a table, numbers to ``digits`` significant digits."""
    show(Table(rows, headers, title=title, digits=digits))


def show_markdown(text: str) -> None:
    """Render Markdown (e.g. a report's ``markdown()``) in Jupyter, print it otherwise."""
    if _in_ipython():
        from IPython.display import Markdown, display

        display(Markdown(text))
    else:
        print(text)
