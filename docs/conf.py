"""Sphinx configuration of the mdtheory API reference.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` (``pip install -e ".[docs]"``).
"""

import importlib
import pkgutil
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout's packages, also without an install

import mdtheory  # noqa: E402

PACKAGES = ("mdtheory", "proofs_check")

project = "mdtheory"
author = "the mdtheory developers"
copyright = "the mdtheory developers"  # noqa: A001
release = mdtheory.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
templates_path = ["_templates"]
exclude_patterns = ["_build", "README.md", "referee"]
myst_heading_anchors = 3
myst_enable_extensions = ["deflist"]

# API pages: one page per public module, generated recursively from the packages, so a new module
# (or a module that becomes a package) appears without editing these docs
autosummary_generate = True
autosummary_ignore_module_all = True  # list every public module, not only those in __all__
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_preserve_defaults = True


def _reexports(pkgname: str) -> list[tuple[str, str]]:
    """(name, home) for what a package re-exports from a public module of the project.

    Those objects are documented on their home module's page only; the package page links to them
    (documenting them twice would make every cross-reference to them ambiguous).  Re-exports from
    private modules (``_masked_core``) are documented on the package page.
    """
    pkg = importlib.import_module(pkgname)
    out = []
    for name in getattr(pkg, "__all__", ()):
        obj = getattr(pkg, name, None)
        home = getattr(obj, "__module__", None)
        root = pkgname.split(".")[0]  # a re-export from any public module of the project has its page there
        if isinstance(obj, types.ModuleType) or not home or home == pkgname or not home.startswith(root + "."):
            continue
        if not any(part.startswith("_") for part in home.split(".")):
            out.append((name, f"{home}.{getattr(obj, '__qualname__', name)}"))
    return out


def _packages():
    for root in PACKAGES:
        yield root
        pkg = importlib.import_module(root)
        for info in pkgutil.walk_packages(pkg.__path__, root + "."):
            if info.ispkg and not any(p.startswith("_") for p in info.name.split(".")):
                yield info.name


autosummary_context = {"reexports": {name: _reexports(name) for name in _packages()}}

napoleon_google_docstring = True
napoleon_numpy_docstring = True
napoleon_use_rtype = False

html_theme = "alabaster"
html_title = f"mdtheory {release}"
html_theme_options = {"description": "Exact computation for the theory of discrete diffusion models"}
