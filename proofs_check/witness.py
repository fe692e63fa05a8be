"""Witness files: a refutation saved as JSON, re-checked by ``proofs-check replay``.

A witness holds the claim ID, parameters, the full instance, the tier and
precision, and both sides as computed.  :func:`replay` recomputes the check
from the file alone (same tier and precision, precision raised if needed) and
returns a fresh :class:`~proofs_check.claim.CheckResult`.

>>> load_witness_text('{"format": "nope"}')
Traceback (most recent call last):
...
proofs_check.witness.WitnessError: not a proofs-check witness (format 'nope', expected 'proofs-check-witness/1')
"""

from __future__ import annotations

import json
import os

from .claim import CheckResult, ProofsCheckError
from .evaluate import WITNESS_FORMAT, evaluate

__all__ = ["WitnessError", "load_witness", "load_witness_text", "replay"]

_REQUIRED = {"claim": str, "params": dict, "instance": dict, "tier": str}


class WitnessError(ProofsCheckError):
    """A witness file that cannot be read."""


def load_witness_text(text: str, where: str = "witness") -> dict:
    try:
        w = json.loads(text)
    except json.JSONDecodeError as e:
        raise WitnessError(f"{where} is not valid JSON ({e.msg} at line {e.lineno}); pass a file written by proofs-check") from None
    if not isinstance(w, dict):
        raise WitnessError(f"{where} is not a JSON object; pass a witness file written by proofs-check")
    if w.get("format") != WITNESS_FORMAT:
        raise WitnessError(f"not a proofs-check witness (format {w.get('format')!r}, expected {WITNESS_FORMAT!r})")
    for k, typ in _REQUIRED.items():
        if not isinstance(w.get(k), typ):
            raise WitnessError(f"{where} lacks a valid {k!r} field ({typ.__name__} expected)")
    if w.get("prec") is not None and not isinstance(w["prec"], int):
        raise WitnessError(f"{where}: 'prec' must be an integer number of bits")
    return w


def load_witness(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise WitnessError(f"witness file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as e:
        raise WitnessError(f"cannot read witness file {path}: {e}") from None
    return load_witness_text(text, os.path.basename(path))


def replay(witness: dict, registry) -> CheckResult:
    """Recompute a witness: the claim's check on the saved instance, tier and precision."""
    claim = registry.get(witness["claim"])
    params = claim.parse_params(witness["params"])
    prec = witness.get("prec")
    return evaluate(claim, witness["instance"], params, witness["tier"], prec if witness["tier"] != "exact" else None)
