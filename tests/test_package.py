"""The packages as a user imports them: every public module reachable from the top-level import; py.typed."""

import importlib
import pkgutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import mdtheory
import proofs_check


@pytest.mark.parametrize("pkg", [mdtheory, proofs_check], ids=lambda p: p.__name__)
def test_every_public_module_is_an_attribute_of_the_package(pkg):
    on_disk = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_"))
    assert on_disk, "the package has public modules"
    for name in on_disk:
        mod = getattr(pkg, name)
        if not isinstance(mod, types.ModuleType):  # a same-named export wins (proofs_check.evaluate)
            assert name in pkg.__all__ and callable(mod), name
            continue
        assert isinstance(mod, types.ModuleType) and mod is importlib.import_module(f"{pkg.__name__}.{name}")
        assert name in dir(pkg)
    with pytest.raises(AttributeError, match="no attribute 'no_such_module'"):
        pkg.no_such_module  # noqa: B018


def test_import_mdtheory_gives_propagate_in_a_fresh_interpreter():
    # a fresh interpreter, so that no other test has imported the submodule already
    code = "import mdtheory; print(mdtheory.propagate.forward.__module__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "mdtheory.propagate"


@pytest.mark.parametrize("pkg", [mdtheory, proofs_check], ids=lambda p: p.__name__)
def test_py_typed_marker_ships(pkg):
    assert (Path(pkg.__file__).parent / "py.typed").is_file()
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert f'{pkg.__name__} = ["py.typed"]' in pyproject
