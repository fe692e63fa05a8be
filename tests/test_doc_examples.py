"""Every public name of these modules has a runnable example in its docstring (the doctests run with --doctest-modules)."""

import importlib

import pytest

MODULES = [
    "mdtheory.spaces",
    "mdtheory.generators",
    "mdtheory.schedules",
    "mdtheory.laws",
    "mdtheory.distributions",
    "mdtheory.divergences",
    "mdtheory.phi",
    "mdtheory.masked_scores",
    "mdtheory.masked_score_errors",
    "mdtheory.scores",
    "mdtheory.samplers.profiles",
    "mdtheory.plotting",
]


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_has_an_example(name):
    mod = importlib.import_module(name)
    missing = []
    for attr in mod.__all__:
        obj = getattr(mod, attr)
        if not callable(obj):
            continue  # data (e.g. PHI_LIBRARY): shown in the module docstring
        if ">>>" not in (obj.__doc__ or ""):
            missing.append(attr)
    assert not missing, f"{name}: no example in the docstring of {', '.join(missing)}"
    assert ">>>" in (mod.__doc__ or ""), f"{name} has no module-level example"
