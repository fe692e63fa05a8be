"""Every notebook under notebooks/ (jupytext percent-format .py) is executed; its assertions are the test."""

import os
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

pytestmark = pytest.mark.slow  # each notebook runs for seconds to a minute

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(p for p in NB_DIR.glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    nb = jupytext.read(path)  # a valid jupytext percent-format notebook ...
    assert nb.metadata.get("jupytext", {}).get("formats", "py:percent").endswith("percent") or path.read_text().count("# %%")
    assert sum(c.cell_type == "code" for c in nb.cells) >= 2
    env = dict(os.environ, MPLBACKEND="Agg", MDTHEORY_FIGURES=str(tmp_path))
    # ... that runs top to bottom as a script with its assertions
    out = subprocess.run([sys.executable, str(path)], cwd=NB_DIR, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert any(tmp_path.iterdir()), "a notebook saves its figures (PNG and PDF)"
