"""Shared helpers for the proofs_check tests."""

from __future__ import annotations

import os
import subprocess
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
TOYS = os.path.join(TESTS, "toy_claims.py")


def toy_registry():
    from proofs_check.registry import default_registry

    return default_registry((TOYS,))


def cli(*args, store=None, env=None):
    """Run ``python -m proofs_check.cli ...`` in a subprocess; returns CompletedProcess."""
    e = dict(os.environ)
    e.pop("PROOFS_CHECK_EXTRA_CLAIMS", None)
    e.pop("PROOFS_CHECK_PROGRESS", None)
    e.update(env or {})
    cmd = [sys.executable, "-m", "proofs_check.cli", *args]
    if store is not None:
        cmd += ["--store", str(store)]
    return subprocess.run(cmd, capture_output=True, text=True, env=e)
