"""Every notebook under notebooks/ (jupytext percent-format .py) is executed AS A NOTEBOOK.

The jupytext source is converted to nbformat and run cell by cell by nbclient in a ``python3``
kernel whose working directory is ``notebooks/`` (as Jupyter would); the notebooks' assertions are
the test.  Each notebook must show at least one figure inline (an ``image/png`` output) and save
its figures (into a temporary directory here, through ``MDTHEORY_FIGURES``).
"""

from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets import Integer

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(p for p in NB_DIR.glob("*.py") if not p.name.startswith("_"))


class UnhurriedClient(NotebookClient):
    """nbclient without its deadlines (kernel start 60 s, IOPub 4 s; cells get ``timeout=None``).

    On a busy machine a notebook is slow, not wrong: the tests wait for it as long as it takes.
    """

    startup_timeout = Integer(None, allow_none=True)  # -> KernelClient.wait_for_ready(timeout=None)
    iopub_timeout = Integer(None, allow_none=True)  # -> asyncio.wait_for(..., None)


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_jupytext_keeps_every_code_line(path):
    # jupytext turns comments that look like shell commands ("# copy ...", "# cat ...") into code
    # (commented magics); a notebook must run in Jupyter as the source reads
    source_lines = {line.strip() for line in path.read_text().splitlines()}
    for cell in jupytext.read(path).cells:
        if cell.cell_type == "code":
            changed = [ln for ln in cell.source.splitlines() if ln.strip() not in source_lines]
            assert not changed, f"{path.name}: jupytext changed these lines: {changed}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_as_a_notebook(path, tmp_path, monkeypatch):
    nb = jupytext.read(path)
    assert nb.metadata.get("jupytext", {}).get("text_representation", {}).get("format_name") == "percent"
    assert sum(c.cell_type == "code" for c in nb.cells) >= 2
    nbformat.validate(nb)
    # the kernel inherits this environment: figures go to tmp_path; no MPLBACKEND, so that the
    # kernel uses matplotlib's inline backend (as in Jupyter) and figures become image/png outputs
    monkeypatch.setenv("MDTHEORY_FIGURES", str(tmp_path))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    client = UnhurriedClient(nb, kernel_name="python3", timeout=None,
                             resources={"metadata": {"path": str(NB_DIR)}})
    try:
        client.execute()
    except CellExecutionError as e:  # the failing cell, its traceback and the notebook's own message
        pytest.fail(f"{path.name} failed as a notebook:\n{e}", pytrace=False)

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    pngs = [o for o in outputs if o.output_type == "display_data" and "image/png" in o.get("data", {})]
    assert pngs, f"{path.name} shows no figure inline"
    # every inline figure was also saved, as PNG and PDF
    saved = sorted(p.name for p in tmp_path.iterdir())
    assert min(sum(n.endswith(".png") for n in saved), sum(n.endswith(".pdf") for n in saved)) >= len(pngs), saved
    # results are shown as tables (HTML/Markdown), not as raw lists and dicts
    assert any({"text/html", "text/markdown"} & set(o.get("data", {})) for o in outputs), f"{path.name} shows no table"


def test_notebook_tables_render_as_text_markdown_and_html():
    import sys

    sys.path.insert(0, str(NB_DIR))
    try:
        from _nb import Table
    finally:
        sys.path.remove(str(NB_DIR))
    from fractions import Fraction

    t = Table([(3, Fraction(1, 3), "a<b"), (12, 2.0, "c")], ["m", "value", "note"], title="T", digits=3)
    assert str(t).splitlines() == ["T", " m  value  note", "--  -----  ----", " 3  0.333   a<b", "12      2     c"]
    assert t._repr_markdown_().splitlines()[2:] == ["| m | value | note |", "|---:|---:|---:|", "| 3 | 0.333 | a<b |",
                                                   "| 12 | 2 | c |"]
    assert "<td>a&lt;b</td>" in t._repr_html_() and "<caption>T</caption>" in t._repr_html_()
    with pytest.raises(ValueError, match="every row needs 3 cells"):
        Table([(1, 2)], ["a", "b", "c"])
