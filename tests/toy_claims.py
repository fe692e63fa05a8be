"""Toy claims for the tests of proofs_check (loaded as a plugin: --claims-module tests/toy_claims.py).

TOY-TRUE   x ≤ x + 1/k                          (true: proved on every instance)
TOY-FALSE  max_i p_i ≥ 1/2 for laws on 3 points (false: the uniform law is a witness; searchable)
TOY-PREC   1 + t ≤ e^t at t = 2^-100            (true, but the margin ~2^-201 needs > 128 bits)
TOY-STUCK  the same with max_prec 128           (stays undecided)
TOY-RECON  a reconstructed claim that is false  (refuted; "the reconstruction may be wrong")
TOY-ERR    a check that raises                  (error)
TOY-SLOW   true, sleeps $TOY_SLOW_SECONDS per instance (for kill/resume tests)
TOY-RATE   y = 3·x^2 exactly                     (consistent with exponent 2)
TOY-NOGEN  an instance generator that raises     (error result, the run goes on)
TOY-CTL    x² ≤ C·x on [0, 1], C = 1 sharp, with a control that is refuted and a Sharp parameter
TOY-WEAK   x ≤ x + 1 with a control x ≤ x + 1/2 that survives       (weak)
TOY-FLOAT  a check that hands a Python float to the exact tier      (error naming the claim)
TOY-SELF   a check that compares an object with itself               (weak)
TOY-POLY   (1+a)² = 1 + 2a + a² declared a polynomial identity, checked at 2 points (weak: scope)
"""

from __future__ import annotations

import os
import time
from fractions import Fraction

from proofs_check.claim import Claim, Comparison, Control, Family, Paper, Param, Scope, Series, Sharp

PAPER = Paper("toys", "Toy claims for tests", arxiv="0000.00000", prefix="TOY")


def _true(inst, params, tier):
    x = tier.scalar(inst["x"])
    return Comparison(x, x + tier.one / int(params["k"]))


def _false(inst, params, tier):
    p = [tier.scalar(v) for v in inst["p"]]
    top = max(p, key=tier.to_float)
    return Comparison(top, tier.scalar("1/2"), ">=")


def _prec(inst, params, tier):
    t = tier.scalar(inst["t"])
    return Comparison(tier.one + t, tier.exp(t))


def _err(inst, params, tier):
    return Comparison(tier.one / tier.zero, tier.one)


def _slow(inst, params, tier):
    """Sleep $TOY_SLOW_SECONDS in 50 ms steps.  With $TOY_WORKER_DIR set, write ``started-<pid>`` there on
    entry and ``orphan-<pid>`` if the process running the claim is re-parented, i.e. outlives the
    proofs-check run that started it (so a worker that survives its run is visible to a test)."""
    log, parent = os.environ.get("TOY_WORKER_DIR"), os.getppid()
    if log:
        open(os.path.join(log, f"started-{os.getpid()}"), "w").close()
    left = float(os.environ.get("TOY_SLOW_SECONDS", "0"))
    while left > 0:
        time.sleep(min(left, 0.05))
        left -= 0.05
        if log and os.getppid() != parent:
            open(os.path.join(log, f"orphan-{os.getpid()}"), "w").close()
            break
    return Comparison(tier.scalar(inst["i"]), tier.scalar(inst["i"]) + 1)


def _rate(inst, params, tier):
    xs = inst["xs"]
    return Series(xs, [3 * tier.scalar(x) ** 2 for x in xs], "x", "y")


_TINY = str(Fraction(1, 2**100))

CLAIMS = [
    Claim("TOY-TRUE", PAPER, "x is at most x + 1/k", "x <= x + 1/k", "derived-and-exact", _true,
          lambda size, params: [{"name": f"x={x}", "x": x} for x in ("0", "1/3", "-5/2")],
          params=[Param("k", 7, "int", "a positive integer")]),
    Claim("TOY-FALSE", PAPER, "every law on 3 points has an atom of mass at least 1/2", "max_i p_i >= 1/2",
          "derived-and-exact", _false,
          lambda size, params: [{"name": "point", "p": ["1", "0", "0"]}, {"name": "uniform", "p": ["1/3"] * 3}],
          relation=">=", family=Family(laws=lambda params: {"p": 3},
                                       build=lambda laws, params, rng: {"p": [str(v) for v in laws["p"]]})),
    Claim("TOY-PREC", PAPER, "1 + t <= e^t at a tiny t", "1 + t <= exp(t)", "derived-and-exact", _prec,
          lambda size, params: [{"name": "t=2^-100", "t": _TINY}], default_tier="certified"),
    Claim("TOY-STUCK", PAPER, "1 + t <= e^t, precision capped", "1 + t <= exp(t)", "derived-and-exact", _prec,
          lambda size, params: [{"name": "t=2^-100", "t": _TINY}], default_tier="certified", max_prec=128),
    Claim("TOY-RECON", PAPER, "a reconstructed bound that is false", "1 <= C", "reconstructed",
          lambda inst, params, tier: Comparison(tier.one, tier.scalar(params["C"])),
          lambda size, params: [{"name": "only"}], params=[Param("C", "1/2", "rational", "the guessed constant")]),
    Claim("TOY-ERR", PAPER, "a check that divides by zero", "1/0 <= 1", "derived-and-exact", _err,
          lambda size, params: [{"name": "only"}]),
    Claim("TOY-SLOW", PAPER, "i <= i + 1, slowly", "i <= i + 1", "derived-and-exact", _slow,
          lambda size, params: [{"name": f"i={i}", "i": i} for i in range(int(params["n"]))],
          params=[Param("n", 12, "int", "number of instances")]),
    Claim("TOY-RATE", PAPER, "y = 3 x^2", "y ~ C x^2", "derived-and-exact", _rate,
          lambda size, params: [{"name": "x=1..8", "xs": [1, 2, 4, 8]}], kind="rate",
          params=[Param("exponent", 2, "real"), Param("tolerance", "0.01", "real")]),
    Claim("TOY-NOGEN", PAPER, "a claim whose instance generator is broken", "-", "reconstructed", _true,
          lambda size, params: [{"name": "x", "x": 1 / 0}]),
]


def _ctl(inst, params, tier):
    x = tier.scalar(inst["x"])
    return Comparison(x * x, tier.scalar(params["C"]) * x)


def _ctl_lost_factor(inst, params, tier):
    x = tier.scalar(inst["x"])
    return Comparison(x * x, tier.scalar(params["C"]) * x * x / 4)


def _weak(inst, params, tier):
    x = tier.scalar(inst["x"])
    return Comparison(x, x + 1)


def _self(inst, params, tier):
    x = tier.scalar(inst["x"])
    return Comparison(x, x, "==")


def _poly(inst, params, tier):
    a = tier.scalar(inst["a"])
    return Comparison((1 + a) ** 2, 1 + 2 * a + a * a, "==")


CLAIMS += [
    Claim("TOY-CTL", PAPER, "x^2 <= C x on [0, 1]", "x^2 <= C·x", "derived-and-exact", _ctl,
          lambda size, params: [{"name": f"x={x}", "x": x} for x in ("0", "1/2", "1")],
          params=[Param("C", "2", "rational", "the constant (sharp value 1)", domain=">= 0")],
          controls=[Control("a factor 4 lost", check=_ctl_lost_factor, doc="x^2 <= C x^2 / 4")],
          sharp=[Sharp("C")]),
    Claim("TOY-WEAK", PAPER, "x <= x + 1", "x <= x + 1", "derived-and-exact", _weak,
          lambda size, params: [{"name": f"x={x}", "x": x} for x in ("0", "3")],
          controls=[Control("gap 1/2", check=lambda inst, params, tier: Comparison(
              tier.scalar(inst["x"]), tier.scalar(inst["x"]) + tier.scalar("1/2")), doc="x <= x + 1/2 (still true)")]),
    Claim("TOY-FLOAT", PAPER, "a float reaches the exact tier", "0.5 <= 1", "derived-and-exact",
          lambda inst, params, tier: Comparison(0.5, tier.one), lambda size, params: [{"name": "only"}]),
    Claim("TOY-SELF", PAPER, "x == x (a tautology)", "x == x", "derived-and-exact", _self,
          lambda size, params: [{"name": "x=1", "x": "1"}], kind="identity", relation="=="),
    Claim("TOY-POLY", PAPER, "(1+a)^2 = 1 + 2a + a^2 for every a", "(1+a)^2 = 1 + 2a + a^2", "derived-and-exact",
          _poly, lambda size, params: [{"name": f"a={a}", "a": a} for a in ("0", "1")], kind="identity",
          relation="==", scope=Scope.polynomial("a", 2)),
]
