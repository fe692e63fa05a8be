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

__all__ = ["WitnessError", "load_witness", "load_witness_text", "replay", "replay_differences"]

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
    """Recompute a witness: the claim's check on the saved instance, tier and precision.

    An instance that lacks a field the claim's check reads is a :class:`WitnessError` (one line), not
    an ``error`` result.
    """
    claim = registry.get(witness["claim"])
    params = claim.parse_params(witness["params"])
    prec = witness.get("prec")
    r = evaluate(claim, witness["instance"], params, witness["tier"], prec if witness["tier"] != "exact" else None)
    if r.verdict.value == "error" and r.message.startswith("KeyError: "):
        field = r.message[len("KeyError: "):]
        raise WitnessError(f"the witness's instance lacks the field {field} that {claim.id} needs; "
                           "pass a witness file written by proofs-check")
    return r


def replay_differences(witness: dict, result: CheckResult) -> list[str]:
    """What differs between a witness and its replay: the code version, and the recorded sides.

    >>> from proofs_check.claim import CheckResult
    >>> r = CheckResult("X", "i", "refuted", "exact", lhs="1", rhs="1/2", code_version="v2")
    >>> replay_differences({"code_version": "v1", "lhs": "1", "rhs": "1/3"}, r)
    ['code version: the witness was written by v1, this is v2', 'rhs: recorded 1/3, now 1/2']
    """
    out = []
    if witness.get("code_version") and result.code_version and witness["code_version"] != result.code_version:
        out.append(f"code version: the witness was written by {witness['code_version']}, this is {result.code_version}")
    for side in ("lhs", "rhs"):
        rec, now = witness.get(side), getattr(result, side, None)
        if rec is not None and now is not None and str(rec) != str(now):
            out.append(f"{side}: recorded {rec}, now {now}")
    return out
