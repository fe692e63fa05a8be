"""The documentation: the API reference builds from the docstrings with no warning (sphinx -W).

The build runs on a copy of docs/ (autosummary writes its generated pages into the source tree) with
the README beside it (the tour page includes the README's tour).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_readme_marks_the_tour_for_the_docs():
    readme = (ROOT / "README.md").read_text()
    start, end = readme.find("<!-- tour:start -->"), readme.find("<!-- tour:end -->")
    assert 0 < start < end, "the docs' tour page includes the README between these markers"
    tour = readme[start:end]
    assert tour.count("```python") >= 3 and "##" not in tour, "the markers hold the tour, and only the tour"
    assert "{include} ../README.md" in (DOCS / "tour.md").read_text()


@pytest.mark.slow
def test_api_reference_builds_without_warnings(tmp_path):
    src = tmp_path / "docs"
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("_build", "api"))
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    out = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(src), str(tmp_path / "html")],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-6000:]
    assert not out.stderr.strip(), out.stderr[-6000:]
    html = tmp_path / "html"
    for page in ("index", "tour", "verdicts", "api"):
        assert (html / f"{page}.html").is_file(), page
    # a page per public module of both packages, found on disk (so new modules need no docs change)
    pages = {p.stem for p in (html / "api").glob("*.html")}
    for pkg in ("mdtheory", "proofs_check"):
        for path in (ROOT / pkg).rglob("*.py"):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            if not any(p.startswith("_") for p in parts):
                assert ".".join(parts) in pages, ".".join(parts)
    # docstrings render: a known function with its doctest, the tour's code
    propagate = (html / "api" / "mdtheory.propagate.html").read_text()
    assert 'id="mdtheory.propagate.forward"' in propagate and "forward_dense" in propagate
    tour = (html / "tour.html").read_text()
    assert "information_profile" in tour and "certify_monotone" in tour
    assert not re.search(r"\(issue \d+\)", "".join(p.read_text() for p in (html / "api").glob("*.html")))
