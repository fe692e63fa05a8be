"""The claim model: what a claim says, where it comes from, and how it is checked.

A :class:`Claim` bundles

* a stable ID (``SR-T2``), the :class:`Paper` it encodes, the statement in
  words and as a formula, and its :class:`Provenance`;
* its parameters (:class:`Param`, with defaults that a user may override with
  ``--param k=v``; constants, exponents and conventions of reconstructed
  statements live here, never hard-coded);
* an instance generator ``instances(size, params)`` returning JSON-able
  dicts (which laws, which ``m``, ``d``, grids) for ``size`` in
  ``small | medium | large``;
* the check ``check(instance, params, tier)`` computing both sides in the
  chosen tier and returning one :class:`Comparison` (or a list of them) for an
  inequality/identity, or a :class:`Series` for an empirical rate claim;
* optionally a :class:`Family` of random instances, which opts the claim in to
  counterexample search (``proofs-check run --search``).

Verdicts (:class:`Verdict`) mean something: ``proved`` only in the exact or
certified tier; a float or mpmath run says ``holds-approx`` / ``fails-approx``;
rate claims say ``consistent`` / ``inconsistent``, never ``proved``.

>>> from proofs_check.claim import Claim, Comparison, Paper, Param
>>> toy = Claim(
...     id="TOY-1", paper=Paper("toy", "Toy paper", prefix="TOY"),
...     statement="x/2 <= c for x in the instance", formula="x/2 <= c",
...     provenance="derived-and-exact", params=[Param("c", "1/2", "rational", "the bound")],
...     instances=lambda size, params: [{"name": "x=1", "x": "1"}],
...     check=lambda inst, params, tier: Comparison(
...         tier.scalar(inst["x"]) / 2, tier.scalar(params["c"])),
... )
>>> toy.id, toy.provenance.value, toy.default_params()
('TOY-1', 'derived-and-exact', {'c': Fraction(1, 2)})
>>> toy.parse_params({"c": "1/3"})
{'c': Fraction(1, 3)}

Making a verdict able to fail (controls, sharpness, scope, domains)
--------------------------------------------------------------------
A ``proved`` verdict is only worth something if the same check *would* have
failed on a near miss.  Four declarations on a claim say how it can fail and
how tight it is (``proofs_check/claims/foundations.py`` has worked examples):

* ``controls=[Control(...)]`` -- near misses that must be **refuted** on the
  claim's own instances (same instances, same tier; cached like any result).
  A control is one small plausible change, given as

  - ``Control("C below its value", params={"C": "1/2"})``: parameter overrides;
  - ``Control("term dropped", check=fn)``: an alternative check
    ``fn(inst, params, tier)`` (e.g. the bound without one term, a non-convex
    Φ, an anticipating planner, a hypothesis removed from the instance);
  - ``Control("flipped", transform=fn)``: ``fn(out, tier)`` maps the claim's
    own output (its comparisons, relations filled in, or its ``Series``) to
    the control's; judged on the same computation, no recomputation.

  Hand-written controls with ``params``/``check`` are evaluated after the
  claim, first on the instance with the smallest margin and, if they survive
  there, on all the others.

  Flipping the comparison alone is not a control, except for sign and
  monotonicity claims (it shows the quantity is not identically zero).
* generic controls, added automatically (``generic_controls=False`` turns them
  off): an identity comparison (``==``) gets its right-hand side perturbed
  (``rhs·(1 + 1/1000) + 1/1000``; a ``LogSum`` side ``+ log(1001/1000)``); a
  ``Sharp`` parameter gets "moved 10% past its sharp value in the strengthening
  direction" (see below); an inequality with neither gets "tightened":
  ``lhs ≤ rhs`` becomes ``lhs + θ·(|lhs| + |rhs|)/2 ≤ rhs`` with
  ``θ = tightness`` (1/2 by default: the bound is attained within a factor 2
  somewhere), and a comparison with a zero side is flipped instead (a sign
  claim must be strict somewhere); a rate claim gets its exponent moved by
  three tolerances.
* ``sharp=[Sharp("C")]`` -- a numeric constant or exponent whose sharpest
  value on the instances is computed (``proofs-check sharpness ID``): a
  certified bracket ``[lo, hi]`` (exact when the margins are affine in the
  parameter, verified at three values; bisection otherwise), the direction in
  which it strengthens the claim, the slack (``stated / sharp`` for a
  constant that is stronger when smaller, ``sharp / stated`` otherwise: ``1``
  is sharp, ``∞`` means the instances never need the constant) and the
  instance attaining it.  Declare a domain for the parameter (``">= 0"``):
  when the sharp value lies beyond it, the "past sharp" control is tried at
  the domain's end and survives if the claim still holds there.  Each Sharp
  parameter costs two or three extra evaluations per instance (``steps``
  more when the margins are not affine in it).
* ``scope=Scope.polynomial("alpha", degree=3)`` (or ``Scope.interval``,
  ``Scope.text``) -- what the verdict covers; default "on K instances".  A
  polynomial scope is checked: every group of instances that differ only in
  the variable must have at least ``degree + 1`` distinct values of it.
* ``Param("j", 1, "int", domain=">= 1")`` -- the admissible values (``">= 1"``,
  ``"> 0"``, ``"[0, 1]"``, ``"(0, 1]"``); ``search_only=True`` for parameters
  only ``--search`` uses.  Out-of-domain ``--param`` values are a one-line
  error (exit status 2).

A claim whose controls are not all refuted, or whose declared scope is not
covered, gets the verdict ``weak`` (never ``proved``), naming what survived.

>>> from proofs_check.claim import Control, Sharp, Scope
>>> toy2 = Claim(
...     id="TOY-2", paper=Paper("toy", "Toy paper", prefix="TOY"),
...     statement="x^2 <= C x for x in [0, 1]", formula="x^2 <= C·x",
...     provenance="derived-and-exact", params=[Param("C", "1", "rational", "the constant", domain=">= 0")],
...     instances=lambda size, params: [{"name": f"x={x}", "x": x} for x in ("1/2", "1")],
...     check=lambda inst, params, tier: Comparison(
...         tier.scalar(inst["x"]) ** 2, tier.scalar(params["C"]) * tier.scalar(inst["x"])),
...     controls=[Control("x^2 <= C x^2 / 2 (a factor lost)", check=lambda inst, params, tier: Comparison(
...         tier.scalar(inst["x"]) ** 2, tier.scalar(params["C"]) * tier.scalar(inst["x"]) ** 2 / 2))],
...     sharp=[Sharp("C")], scope=Scope.text("on x ∈ {1/2, 1}"),
... )
>>> [c.name for c in toy2.all_controls()]
['x^2 <= C x^2 / 2 (a factor lost)', 'C past sharp']
>>> toy2.parse_params({"C": "-1"})
Traceback (most recent call last):
...
proofs_check.claim.ParamError: parameter C must be >= 0, got '-1'
"""

from __future__ import annotations

import difflib
import enum
import json
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Iterable, Mapping, Sequence

from mdtheory.tiers import TierError, as_fraction

__all__ = [
    "ProofsCheckError",
    "Domain",
    "Control",
    "Sharp",
    "Scope",
    "ClaimError",
    "ParamError",
    "Provenance",
    "Verdict",
    "Paper",
    "Param",
    "Comparison",
    "Series",
    "Family",
    "Claim",
    "CheckResult",
    "ClaimSummary",
    "SIZES",
    "RELATIONS",
    "summarize",
    "control_status",
    "CONTROL_REFUTED",
    "canonical_json",
    "tighten",
]

SIZES = ("small", "medium", "large")
RELATIONS = ("<=", "<", ">=", ">", "==")


class ProofsCheckError(ValueError):
    """Bad input to proofs_check (message: one line, what was wrong and what to do)."""


class ClaimError(ProofsCheckError):
    """A claim definition or a claim lookup that cannot be served."""


class ParamError(ProofsCheckError):
    """A parameter value that cannot be read or does not exist."""


class Provenance(str, enum.Enum):
    """Where a claim comes from (see ``../shared/papers/README.md``)."""

    STATED = "stated-in-abstract"
    RECONSTRUCTED = "reconstructed"
    DERIVED = "derived-and-exact"

    @classmethod
    def parse(cls, value: "str | Provenance") -> "Provenance":
        try:
            return cls(value)
        except ValueError:
            raise ClaimError(
                f"unknown provenance {value!r}; use one of {', '.join(p.value for p in cls)}"
            ) from None


class Verdict(str, enum.Enum):
    """The outcome of checking one claim on one instance (or on all of them).

    ``PROVED``/``REFUTED`` need a rigorous tier (exact or certified);
    ``HOLDS_APPROX``/``FAILS_APPROX`` are what float and mpmath runs get;
    ``CONSISTENT``/``INCONSISTENT`` are for empirical rate and shape claims;
    ``NO_COUNTEREXAMPLE`` is what a search that found nothing reports;
    ``WEAK`` is a claim that holds but one of its controls was not refuted (or
    its declared scope is not covered): the check could not have failed.
    """

    PROVED = "proved"
    WEAK = "weak"
    REFUTED = "refuted"
    UNDECIDED = "undecided"
    ERROR = "error"
    HOLDS_APPROX = "holds-approx"
    FAILS_APPROX = "fails-approx"
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    NO_COUNTEREXAMPLE = "no-counterexample"


# worst first: the verdict of a claim over its instances is the worst of them
_SEVERITY = [
    Verdict.ERROR,
    Verdict.REFUTED,
    Verdict.FAILS_APPROX,
    Verdict.INCONSISTENT,
    Verdict.UNDECIDED,
    Verdict.WEAK,
    Verdict.HOLDS_APPROX,
    Verdict.CONSISTENT,
    Verdict.PROVED,
    Verdict.NO_COUNTEREXAMPLE,
]


def canonical_json(obj: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces) used for keys and hashes.

    >>> canonical_json({"b": 1, "a": [1, "1/2"]})
    '{"a":[1,"1/2"],"b":1}'
    """
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=_json_default)


def _json_default(o):
    if isinstance(o, Fraction):
        return str(o)
    if isinstance(o, enum.Enum):
        return o.value
    raise TypeError(f"{type(o).__name__} {o!r} is not JSON-serialisable; use str/int/list/dict (rationals as '1/3')")


@dataclass(frozen=True)
class Paper:
    """A paper (or a pseudo-paper such as ``foundations``) that owns claims.

    ``short`` is the module name (``sharp_rates``); ``arxiv`` may be ``None``.
    """

    short: str
    title: str
    arxiv: str | None = None
    prefix: str = ""

    def matches(self, selector: str) -> bool:
        """Does ``--paper selector`` name this paper (arXiv id, short name or ID prefix)?

        >>> Paper("sharp_rates", "Sharp ...", "2602.22505", "SR").matches("arXiv:2602.22505")
        True
        """
        s = selector.strip().lower()
        for pre in ("arxiv:", "arxiv "):
            if s.startswith(pre):
                s = s[len(pre) :]
        names = {self.short.lower(), self.short.lower().replace("_", "-"), self.prefix.lower()}
        if self.arxiv:
            names.add(self.arxiv.lower())
            names.add(self.arxiv.lower().split("v")[0])
        return s in names - {""}

    def label(self) -> str:
        return f"{self.short} (arXiv {self.arxiv})" if self.arxiv else self.short


_PARAM_KINDS = ("rational", "int", "real", "str", "bool")


@dataclass(frozen=True)
class Domain:
    """An interval of admissible parameter values, read from ``">= 1"``, ``"> 0"``, ``"<= 1"``,
    ``"[0, 1]"``, ``"(0, 1]"`` (bounds are rationals; ``inf`` for none).

    >>> d = Domain.parse("(0, 1]")
    >>> d.contains(Fraction(1, 2)), d.contains(0), str(d)
    (True, False, '(0, 1]')
    >>> str(Domain.parse(">= 2")), Domain.parse(">= 2").contains(1)
    ('>= 2', False)
    """

    lo: Fraction | None = None
    hi: Fraction | None = None
    lo_open: bool = False
    hi_open: bool = False

    @classmethod
    def parse(cls, text: "str | Domain | None") -> "Domain | None":
        if text is None or isinstance(text, Domain):
            return text
        t = str(text).strip().replace(" ", "")
        bound = lambda v: None if v.lower() in ("inf", "+inf", "-inf", "") else as_fraction(v)  # noqa: E731
        try:
            for op in (">=", "<=", ">", "<"):
                if t.startswith(op):
                    v = as_fraction(t[len(op):])
                    return cls(lo=v, lo_open=op == ">") if op[0] == ">" else cls(hi=v, hi_open=op == "<")
            if t[0] in "[(" and t[-1] in "])" and "," in t:
                a, b = t[1:-1].split(",")
                return cls(bound(a), bound(b), t[0] == "(", t[-1] == ")")
        except (TierError, ValueError, IndexError):
            pass
        raise ClaimError(f"cannot read the parameter domain {text!r}; write it like '>= 1', '> 0' or '[0, 1]'")

    def contains(self, v) -> bool:
        if isinstance(v, float) and not math.isfinite(v):
            return False
        v = as_fraction(v)
        if self.lo is not None and (v < self.lo or (self.lo_open and v == self.lo)):
            return False
        if self.hi is not None and (v > self.hi or (self.hi_open and v == self.hi)):
            return False
        return True

    def __str__(self) -> str:
        if self.hi is None and self.lo is not None:
            return f"{'>' if self.lo_open else '>='} {self.lo}"
        if self.lo is None and self.hi is not None:
            return f"{'<' if self.hi_open else '<='} {self.hi}"
        a = "-inf" if self.lo is None else str(self.lo)
        b = "inf" if self.hi is None else str(self.hi)
        return f"{'(' if self.lo_open or self.lo is None else '['}{a}, {b}{')' if self.hi_open or self.hi is None else ']'}"


@dataclass(frozen=True)
class Param:
    """A parameter of a claim: name, default, kind, one-line meaning.

    ``kind`` is ``rational`` (read exactly: ``'1/3'``, ``0.25``), ``int``,
    ``real`` (a float, for fit tolerances), ``str`` or ``bool``.  ``domain``
    (a :class:`Domain` or its text, e.g. ``">= 1"``) bounds numeric values;
    ``search_only`` marks a parameter that only ``--search`` uses (overriding
    it in a plain run is an error: no instance would see the value).

    >>> Param("C", "1/2", "rational").parse("3/4")
    Fraction(3, 4)
    >>> Param("N", 4, "int").parse("x")
    Traceback (most recent call last):
    ...
    proofs_check.claim.ParamError: parameter N expects an integer, got 'x'
    """

    name: str
    default: Any
    kind: str = "rational"
    doc: str = ""
    choices: tuple | None = None
    domain: "Domain | str | None" = None
    search_only: bool = False

    def __post_init__(self):
        if self.kind not in _PARAM_KINDS:
            raise ClaimError(f"parameter {self.name}: kind must be one of {', '.join(_PARAM_KINDS)}, got {self.kind!r}")
        object.__setattr__(self, "domain", Domain.parse(self.domain))
        if self.domain is not None and self.kind not in ("rational", "int", "real"):
            raise ClaimError(f"parameter {self.name}: only numeric parameters take a domain")

    def parse(self, value: Any) -> Any:
        """Read a value (a string from the command line, or a Python value)."""
        k = self.kind
        try:
            if k == "rational":
                out: Any = as_fraction(value)
            elif k == "int":
                if isinstance(value, bool):
                    raise ValueError
                if isinstance(value, str):
                    value = value.strip()
                out = int(value) if not isinstance(value, float) or value.is_integer() else None
                if out is None:
                    raise ValueError
            elif k == "real":
                out = float(as_fraction(value)) if not isinstance(value, float) else value
                if not math.isfinite(out):
                    raise ValueError
            elif k == "bool":
                if isinstance(value, bool):
                    out = value
                elif str(value).strip().lower() in ("1", "true", "yes", "on"):
                    out = True
                elif str(value).strip().lower() in ("0", "false", "no", "off"):
                    out = False
                else:
                    raise ValueError
            else:
                out = str(value)
        except (ValueError, TypeError, TierError):
            expect = {"rational": "a rational like '1/3' or 0.25", "int": "an integer", "real": "a number",
                      "bool": "true or false", "str": "a string"}[k]
            raise ParamError(f"parameter {self.name} expects {expect}, got {value!r}") from None
        if self.choices is not None and out not in self.choices:
            raise ParamError(f"parameter {self.name} must be one of {', '.join(map(str, self.choices))}, got {value!r}")
        if self.domain is not None and not self.domain.contains(out):
            raise ParamError(f"parameter {self.name} must be {self.domain}, got {value!r}")
        return out

    def dump(self, value: Any) -> Any:
        """JSON form of a parsed value (rationals as ``'p/q'`` strings)."""
        if isinstance(value, Fraction):
            return str(value)
        return value


@dataclass
class Comparison:
    """One comparison ``lhs REL rhs`` computed in a tier.

    ``label`` names it when a check returns several (``'state (0, 2)'``);
    ``info`` carries extra JSON-able facts (e.g. ``{'states': 64}``).
    """

    lhs: Any
    rhs: Any
    relation: str | None = None
    label: str = ""
    info: dict = field(default_factory=dict)


@dataclass
class Series:
    """Data of an empirical rate/shape claim: ``y`` as a function of ``x``.

    The runner fits ``y ≈ C·x^a`` by least squares on ``log y`` vs ``log x``
    and compares ``a`` with the claim's ``exponent`` parameter within its
    ``tolerance`` parameter.  ``y`` entries may be tier scalars.
    """

    x: Sequence[Any]
    y: Sequence[Any]
    xname: str = "x"
    yname: str = "y"
    info: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Family:
    """A parametrised family of instances: opts a claim in to counterexample search.

    ``laws(params)`` gives the probability vectors the family needs, as
    ``{name: support size}``; ``build(laws, params, rng)`` turns concrete
    vectors (lists of ``Fraction`` summing to 1) into an instance dict for the
    claim's check.  The search draws the vectors (Dirichlet, sparse support,
    near-deterministic) and hill-climbs on the margin.
    """

    laws: Callable[[dict], Mapping[str, int]]
    build: Callable[[Mapping[str, list], dict, Any], dict]


@dataclass(frozen=True)
class Control:
    """A near miss of a claim that must be *refuted* on the claim's own instances.

    Exactly one of ``params`` (overrides, values as strings such as ``"1/2"``),
    ``check`` (an alternative ``check(inst, params, tier)``) or ``transform``
    (a map of the claim's output to the control's, evaluated on the same
    computation) defines it; ``doc`` says in one line what was changed.
    ``generic`` marks the automatic ones (see the module docstring).
    """

    name: str
    params: Mapping = field(default_factory=dict)
    check: Callable | None = None
    transform: Callable | None = None
    doc: str = ""
    generic: bool = False
    sharp: str | None = None  # the Sharp parameter a "past sharp" control moves

    def __post_init__(self):
        given = [self.check is not None, self.transform is not None,
                 (bool(self.params) or self.sharp is not None) and self.transform is None]
        if sum(given) != 1:
            raise ClaimError(f"control {self.name!r}: give exactly one of params=, check= or transform=")
        object.__setattr__(self, "params", dict(self.params))

    def resolve_params(self, params: Mapping) -> dict:
        """The run's parameters with this control's overrides (a value may be a function of the run's)."""
        out = dict(params)
        for k, v in self.params.items():
            out[k] = v(params) if callable(v) else v
        return out

    @property
    def inline(self) -> bool:
        """Evaluated on the claim's own computation (no extra check call)."""
        return self.transform is not None

    def control_params_shown(self) -> bool:
        return bool(self.params) or self.sharp is not None


@dataclass(frozen=True)
class Sharp:
    """A numeric constant or exponent whose sharpest value on the instances is reported.

    ``param`` names a rational :class:`Param`.  The direction in which it
    strengthens the claim is found by evaluation (``direction=None``) or
    declared: ``"smaller"`` (an upper-bound constant: the claim holds for
    ``C ≥ sharp``) or ``"larger"`` (holds for ``c ≤ sharp``).  ``steps`` is the
    number of bisection steps when the margins are not affine in the parameter.
    """

    param: str
    direction: str | None = None
    steps: int = 4

    def __post_init__(self):
        if self.direction not in (None, "smaller", "larger"):
            raise ClaimError(f"Sharp({self.param!r}): direction must be 'smaller', 'larger' or None")


@dataclass(frozen=True)
class Scope:
    """What a verdict covers.  Default (``Scope()``): the instances, "on K instances".

    >>> Scope.polynomial("alpha", 3).describe(8, [{"alpha": a} for a in ("0", "1/3", "1/2", "1")])
    ('as a polynomial identity in alpha of degree <= 3, checked at 4 exact points', True)
    >>> Scope.polynomial("alpha", 3).describe(3, [{"alpha": a} for a in ("0", "1/2", "1")])[1]
    False
    >>> Scope.polynomial("alpha", lambda i: i["d"]).describe(5, [{"alpha": a, "d": 1} for a in ("0", "1")]
    ...     + [{"alpha": a, "d": 2} for a in ("0", "1/2", "1")])[0]
    'as a polynomial identity in alpha for each of 2 laws, each checked at more points than its degree (degree <= d at n exact points: 1 at 2, 2 at 3)'
    """

    kind: str = "instances"
    var: str | None = None
    degree: "int | Callable | None" = None
    lo: str | None = None
    hi: str | None = None
    words: str = ""

    @classmethod
    def instances(cls) -> "Scope":
        return cls()

    @classmethod
    def polynomial(cls, var: str, degree: "int | Callable[[dict], int]") -> "Scope":
        """An identity polynomial in ``inst[var]`` of degree ``≤ degree`` (an int, or a function of the instance)."""
        return cls("polynomial", var=var, degree=degree)

    @classmethod
    def interval(cls, var: str, lo, hi, how: str = "certified interval evaluation") -> "Scope":
        """The check encloses the whole interval ``var ∈ [lo, hi]`` (the check is responsible for it)."""
        return cls("interval", var=var, lo=str(lo), hi=str(hi), words=how)

    @classmethod
    def text(cls, words: str) -> "Scope":
        return cls("text", words=words)

    def describe(self, n_instances: int, instances: Sequence[Mapping] = ()) -> tuple[str, bool]:
        """``(words, covered)``: the scope in words and whether the instances cover it."""
        base = f"on {n_instances} instance{'s' if n_instances != 1 else ''}"
        if self.kind == "instances":
            return base, True
        if self.kind == "text":
            return f"{self.words} ({base})", True
        if self.kind == "interval":
            return f"for every {self.var} in [{self.lo}, {self.hi}] ({self.words}; {base})", True
        groups: dict = {}
        for inst in instances:
            if self.var not in inst:
                continue
            rest = canonical_json({k: v for k, v in inst.items() if k not in (self.var, "name")})
            deg = self.degree(inst) if callable(self.degree) else int(self.degree)
            g = groups.setdefault(rest, [deg, set()])
            g[0] = max(g[0], deg)
            g[1].add(str(as_fraction(inst[self.var])))
        if not groups:
            return f"{base} (no instance sets {self.var}: the polynomial scope is not covered)", False
        short = [(deg, len(vals)) for deg, vals in groups.values() if len(vals) < deg + 1]
        deg = max(d for d, _ in groups.values())
        pts = min(len(v) for _, v in groups.values())
        if short:
            d, n = min(short, key=lambda x: x[1] - x[0])
            return (f"{base}; NOT a polynomial identity check in {self.var}: degree <= {d} needs {d + 1} "
                    f"points, a group has only {n}"), False
        if len(groups) == 1:
            return f"as a polynomial identity in {self.var} of degree <= {deg}, checked at {pts} exact points", True
        # several laws: each is covered on its own (degree + 1 points or more); say so rather than pairing the
        # largest degree of one law with the fewest points of another
        per = sorted({(d, len(v)) for d, v in groups.values()})
        return (f"as a polynomial identity in {self.var} for each of {len(groups)} laws, each checked at more points "
                f"than its degree (degree <= d at n exact points: "
                + ", ".join(f"{d} at {n}" for d, n in per) + ")"), True

    def to_json(self) -> dict:
        d = {"kind": self.kind}
        for k in ("var", "lo", "hi"):
            if getattr(self, k) is not None:
                d[k] = getattr(self, k)
        if self.degree is not None and not callable(self.degree):
            d["degree"] = int(self.degree)
        return d


_FLIP = {"<=": ">=", "<": ">=", ">=": "<=", ">": "<="}
_PERTURB = Fraction(1, 1000)


def _is_zero_side(x, tier) -> bool:
    from mdtheory.logsum import LogSum

    if isinstance(x, LogSum):  # cheap: no terms (the canonical form would factor every integer)
        return not x._terms
    try:
        return tier.compare(tier.scalar(x), tier.zero) == 0
    except Exception:
        return False


def tighten(out, tier, theta=Fraction(1, 2)):
    """The generic control of a check's output (see the module docstring).

    ``==``: the right-hand side perturbed, ``rhs·(1 + 1/1000) + 1/1000`` (a
    :class:`~mdtheory.logsum.LogSum` side: ``+ log(1001/1000)``, on 256-bit
    balls, as is every tightened ``LogSum`` comparison); an inequality
    with a zero side: flipped (must be strict somewhere); any other inequality:
    the gap must be at least ``θ·(|lhs| + |rhs|)/2``.

    >>> from mdtheory.tiers import get_tier
    >>> ex = get_tier("exact")
    >>> c = tighten(Comparison(ex.scalar(1), ex.scalar(1), "=="), ex)
    >>> c[0].lhs, c[0].rhs
    (1, 501/500)
    >>> c = tighten(Comparison(ex.scalar(1), ex.scalar(3), "<="), ex)[0]
    >>> c.lhs, c.rhs, c.relation
    (2, 3, '<=')
    """
    from mdtheory.logsum import LogSum

    if isinstance(out, Series):
        return out
    comps = [out] if isinstance(out, Comparison) else list(out or [])
    theta = as_fraction(theta)
    res = []
    for c in comps:
        if not isinstance(c, Comparison):
            return out  # the judge reports the malformed output
        rel = c.relation
        lhs, rhs = c.lhs, c.rhs
        sym = isinstance(lhs, LogSum) or isinstance(rhs, LogSum)
        if sym:  # LogSum arithmetic factors every integer: the control is judged on 256-bit balls instead
            from flint import arb, ctx as flint_ctx, fmpq

            zero_side = _is_zero_side(lhs, tier) or _is_zero_side(rhs, tier)
            with flint_ctx.workprec(256):
                L, R = (x.enclose(256) if isinstance(x, LogSum) else arb(0) for x in (lhs, rhs))
                if rel != "==" and zero_side:
                    lhs, rhs, rel = L, R, _FLIP[rel]
                elif rel == "==":
                    lhs, rhs = L, R + arb(fmpq(1001, 1000)).log()
                else:
                    size = (abs(L) + abs(R)) * arb(fmpq(theta.numerator, 2 * theta.denominator))
                    lhs, rhs = (L + size, R) if rel in ("<=", "<") else (L, R + size)
        elif rel == "==":
            r = tier.scalar(rhs)
            rhs = r * tier.scalar(1 + _PERTURB) + tier.scalar(_PERTURB)
        elif _is_zero_side(lhs, tier) or _is_zero_side(rhs, tier):
            rel = _FLIP[rel]
        else:
            L, R = tier.scalar(lhs), tier.scalar(rhs)
            size = (abs(L) + abs(R)) * tier.scalar(theta / 2)
            lhs, rhs = (L + size, R) if rel in ("<=", "<") else (L, R + size)
        res.append(Comparison(lhs, rhs, rel, c.label, dict(c.info)))
    return res


@dataclass(frozen=True, eq=False)
class Claim:
    """A claim of a paper, encoded as a check that computes both sides exactly.

    See the module docstring for the fields.  ``relation`` is the default
    relation of the comparisons (``'<='``); ``kind`` is ``'inequality'``,
    ``'identity'`` or ``'rate'``; ``default_tier`` is used when ``--tier`` is
    not given; ``max_prec`` caps automatic precision raising (bits).
    """

    id: str
    paper: Paper
    statement: str
    formula: str
    provenance: Provenance | str
    check: Callable[[dict, dict, Any], Any]
    instances: Callable[[str, dict], Iterable[dict]]
    params: Sequence[Param] = ()
    relation: str = "<="
    kind: str = "inequality"
    default_tier: str = "exact"
    max_prec: int = 4096
    family: Family | None = None
    notes: str = ""
    source: str = ""
    controls: Sequence[Control] = ()
    sharp: Sequence["Sharp | str"] = ()
    scope: "Scope | str | None" = None
    generic_controls: bool = True
    tightness: Any = "1/2"

    def __post_init__(self):
        object.__setattr__(self, "provenance", Provenance.parse(self.provenance))
        object.__setattr__(self, "params", tuple(self.params))
        object.__setattr__(self, "controls", tuple(self.controls))
        object.__setattr__(self, "sharp", tuple(Sharp(s) if isinstance(s, str) else s for s in self.sharp))
        sc = self.scope
        object.__setattr__(self, "scope", Scope() if sc is None else (Scope.text(sc) if isinstance(sc, str) else sc))
        object.__setattr__(self, "tightness", as_fraction(self.tightness))
        if not 0 < self.tightness < 1:
            raise ClaimError(f"claim {self.id}: tightness must be in (0, 1), got {self.tightness}")
        if not self.id or any(c.isspace() for c in self.id):
            raise ClaimError(f"claim ID {self.id!r} must be a non-empty word such as 'SR-T2'")
        if self.relation not in RELATIONS:
            raise ClaimError(f"claim {self.id}: relation must be one of {' '.join(RELATIONS)}, got {self.relation!r}")
        if self.kind not in ("inequality", "identity", "rate"):
            raise ClaimError(f"claim {self.id}: kind must be inequality, identity or rate, got {self.kind!r}")
        names = [p.name for p in self.params]
        if len(set(names)) != len(names):
            raise ClaimError(f"claim {self.id}: duplicate parameter names {names}")
        if self.kind == "rate" and not {"exponent", "tolerance"} <= set(names):
            raise ClaimError(f"rate claim {self.id} needs parameters 'exponent' and 'tolerance'")
        for p in self.params:
            if p.domain is not None and not p.domain.contains(as_fraction(p.default)):
                raise ClaimError(f"claim {self.id}: default {p.default!r} of parameter {p.name} is outside its domain {p.domain}")
        cnames = [c.name for c in self.controls]
        if len(set(cnames)) != len(cnames):
            raise ClaimError(f"claim {self.id}: duplicate control names {cnames}")
        for c in self.controls:
            for k in c.params:
                if k not in names:
                    raise ClaimError(f"claim {self.id}: control {c.name!r} overrides unknown parameter {k!r}")
        for sp in self.sharp:
            if sp.param not in names or self.param(sp.param).kind != "rational":
                raise ClaimError(f"claim {self.id}: Sharp({sp.param!r}) must name a rational parameter")
        if self.kind == "rate" and self.sharp:
            raise ClaimError(f"claim {self.id}: a rate claim has no sharp constant (its exponent is fitted)")

    # -- controls -------------------------------------------------------------------
    def all_controls(self) -> tuple:
        """The hand-written controls, then the generic ones (see the module docstring)."""
        out = list(self.controls)
        if not self.generic_controls:
            return tuple(out)
        if self.kind == "rate":
            out.append(Control("exponent off by 3 tolerances", transform=lambda out_, tier: out_, generic=True,
                               params={"exponent": lambda p: p["exponent"] + 3 * p["tolerance"]},
                               doc="the expected exponent moved by three tolerances must be inconsistent"))
            return tuple(out)
        for sp in self.sharp:
            out.append(Control(f"{sp.param} past sharp", sharp=sp.param, generic=True,
                               doc=f"{sp.param} moved 10% past its sharp value in the strengthening direction"))
        theta = self.tightness
        if self.relation == "==" or self.kind == "identity" or not (self.sharp or self.controls):
            out.append(Control("rhs perturbed / tightened", transform=lambda out_, tier, th=theta: tighten(out_, tier, th),
                               generic=True,
                               doc=f"identities: rhs·(1+1/1000)+1/1000; inequalities: the gap must exceed "
                                   f"{theta}·(|lhs|+|rhs|)/2 somewhere; a zero side: the comparison flipped"))
        return tuple(out)

    def control(self, name: str) -> Control:
        for c in self.all_controls():
            if c.name == name:
                return c
        raise ClaimError(f"claim {self.id} has no control {name!r}")

    # -- parameters --------------------------------------------------------------
    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = [p.name for p in self.params]
        hint = difflib.get_close_matches(name, known, 1)
        extra = f"; did you mean {hint[0]!r}?" if hint else (f"; it has {', '.join(known)}" if known else "; it has none")
        raise ParamError(f"claim {self.id} has no parameter {name!r}{extra}")

    def default_params(self) -> dict:
        return {p.name: p.parse(p.default) for p in self.params}

    def parse_params(self, overrides: Mapping[str, Any] | None = None) -> dict:
        """Defaults updated by ``overrides`` (strings are parsed by each parameter's kind)."""
        out = self.default_params()
        for k, v in (overrides or {}).items():
            out[k] = self.param(k).parse(v)
        return out

    def dump_params(self, params: Mapping[str, Any]) -> dict:
        return {k: self.param(k).dump(v) for k, v in params.items()}

    # -- instances ---------------------------------------------------------------------
    def make_instances(self, size: str, params: Mapping[str, Any]) -> list[dict]:
        """The instances for ``size``, each a JSON-able dict with a ``name``."""
        if size not in SIZES:
            raise ProofsCheckError(f"unknown instance size {size!r}; choose one of {', '.join(SIZES)}")
        out = []
        for inst in self.instances(size, dict(params)):
            inst = dict(inst)
            try:
                text = canonical_json(inst)
            except TypeError as e:
                raise ClaimError(f"claim {self.id}: instance {inst!r} is not JSON-able ({e})") from None
            inst.setdefault("name", text if len(text) <= 60 else text[:57] + "...")
            out.append(inst)
        return out

    def one_line(self) -> str:
        return self.statement.strip().splitlines()[0] if self.statement.strip() else self.formula

    def __repr__(self) -> str:
        return f"<Claim {self.id} ({self.provenance.value}) {self.one_line()[:50]!r}>"


@dataclass
class CheckResult:
    """The outcome of one claim on one instance, in one tier (a small named object).

    ``lhs``, ``rhs`` and ``margin`` are strings in the tier's format (``p/q``,
    ``[mid ± rad]``, ``x (float)``) of the *worst* comparison; ``margin`` is
    ``rhs − lhs`` for ``<=`` (so ``>= 0`` means the claim holds there),
    ``lhs − rhs`` for ``>=`` and ``−|lhs − rhs|`` for ``==``.
    ``margin_float`` approximates it (for sorting and hill-climbing only).
    ``witness`` is the replayable JSON dict of a refutation.  ``control`` is
    the name of the control this result checks (``""`` for the claim itself);
    ``controls`` holds the outcomes of the inline controls judged on the same
    computation (``{name: {"verdict": ..., "margin": ...}}``); ``sharpness`` the
    per-instance sharp brackets (``{param: {...}}``); ``same_sides`` counts
    comparisons whose two sides are the same Python object (a tautology).
    """

    claim_id: str
    instance_id: str
    verdict: Verdict
    tier: str
    tier_name: str = ""
    prec: int | None = None
    lhs: str | None = None
    rhs: str | None = None
    margin: str | None = None
    margin_float: float | None = None
    relation: str | None = None
    label: str = ""
    n_comparisons: int = 0
    message: str = ""
    runtime: float = 0.0
    params: dict = field(default_factory=dict)
    instance: dict = field(default_factory=dict)
    witness: dict | None = None
    witness_path: str | None = None
    fit: dict | None = None
    info: dict = field(default_factory=dict)
    escalations: int = 0
    code_version: str = ""
    provenance: str = ""
    exact_margin: str | None = None
    paper: dict = field(default_factory=dict)
    control: str = ""
    controls: dict = field(default_factory=dict)
    sharpness: dict = field(default_factory=dict)
    same_sides: int = 0

    def __post_init__(self):
        self.verdict = Verdict(self.verdict)

    @property
    def rigorous(self) -> bool:
        return self.tier_name in ("exact", "certified")

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["verdict"] = self.verdict.value
        return d

    @classmethod
    def from_dict(cls, d: Mapping) -> "CheckResult":
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def __repr__(self) -> str:
        parts = [f"verdict={self.verdict.value!r}"]
        if self.fit:
            parts.append(f"exponent={self.fit.get('exponent'):.4g}")
        else:
            parts += [f"lhs={self.lhs!r}", f"rhs={self.rhs!r}", f"margin={self.margin!r}"]
        parts.append(f"tier={self.tier!r}")
        return f"CheckResult({', '.join(parts)})"


@dataclass
class ClaimSummary:
    """The verdict of one claim over all its results (worst verdict wins; ``weak`` if a control survived)."""

    claim_id: str
    verdict: Verdict
    provenance: str
    n_results: int
    counts: dict
    worst: CheckResult | None
    results: list
    note: str = ""
    nondefault: bool = False
    controls: list = field(default_factory=list)

    @property
    def is_failure(self) -> bool:
        """Does this summary fail a run?  Errors always; refutations only of derived-and-exact claims
        at their default parameters (a refutation at parameters the user gave is an answer, not a bug)."""
        if self.verdict is Verdict.ERROR:
            return True
        return self.verdict is Verdict.REFUTED and self.provenance == Provenance.DERIVED.value and not self.nondefault


CONTROL_REFUTED = ("refuted", "fails-approx", "inconsistent")


def control_status(claim: "Claim", results: Sequence[CheckResult], extra: Mapping | None = None) -> list[dict]:
    """The outcome of every control of ``claim`` over a run's results (claim and control results).

    A control is refuted as expected when it is refuted on at least one
    instance.  ``extra`` maps a control name to ``(note, survives)``: a note
    (e.g. the value a "past sharp" control moves the constant to) and whether
    the control survives without results (no value could refute it).  A
    control without results otherwise is ``not run`` (``run --no-controls``).
    Each entry: ``name``, ``doc``, ``generic``, ``refuted``, ``status``
    (``refuted``/``survived``/``error``/``not run``), ``instance``, ``margin``,
    ``params``, ``note``.
    """
    extra = dict(extra or {})
    out = []
    for ctl in claim.all_controls():
        note, survives = extra.get(ctl.name, ("", False))
        e = {"name": ctl.name, "doc": ctl.doc, "generic": ctl.generic, "refuted": False, "status": "not run",
             "instance": None, "margin": None, "params": None, "note": note}
        if ctl.inline:
            rows = [(r, r.controls.get(ctl.name)) for r in results if not r.control and r.controls.get(ctl.name)]
        else:
            rows = [(r, {"verdict": r.verdict.value, "margin": r.exact_margin or r.margin, "message": r.message})
                    for r in results if r.control == ctl.name]
        if rows:
            hit = [(r, d) for r, d in rows if d.get("verdict") in CONTROL_REFUTED]
            errs = [(r, d) for r, d in rows if d.get("verdict") == Verdict.ERROR.value]
            if hit:
                r, d = hit[0]
                e.update(refuted=True, status="refuted", instance=r.instance_id, margin=d.get("margin"))
                if ctl.control_params_shown():
                    e["params"] = dict(r.params)
            elif errs:
                r, d = errs[0]
                e.update(status="error", instance=r.instance_id, note=(e["note"] + "; " if e["note"] else "")
                         + str(d.get("message", ""))[:200])
            else:
                e.update(status="survived", instance=rows[0][0].instance_id)
                if not ctl.inline:
                    e["params"] = dict(rows[0][0].params)
        elif survives:
            e["status"] = "survived"
        out.append(e)
    return out


def summarize(claim_id: str, provenance: str, results: Sequence[CheckResult], controls: Sequence[Mapping] | None = None,
              scope_covered: bool = True, scope_text: str = "", nondefault: bool = False) -> ClaimSummary:
    """Aggregate results: errors > refuted > ... > weak > proved; worst margin among the decisive.

    ``controls`` (from :func:`control_status`) turn a ``proved``/``consistent``
    verdict into ``weak`` when one of them was not refuted; so does a declared
    scope the instances do not cover, or a comparison of an object with itself.

    >>> r = [CheckResult("X", "a", "proved", "exact", margin_float=0.5),
    ...      CheckResult("X", "b", "proved", "exact", margin_float=0.25)]
    >>> s = summarize("X", "derived-and-exact", r)
    >>> s.verdict.value, s.worst.instance_id
    ('proved', 'b')
    >>> summarize("X", "derived-and-exact", r, [{"name": "C past sharp", "refuted": False, "status": "survived",
    ...           "note": ""}]).note
    'weak: control not refuted: C past sharp'
    """
    provenance = Provenance.parse(provenance).value
    results = [r for r in results if not r.control]
    counts: dict = {}
    for r in results:
        counts[r.verdict.value] = counts.get(r.verdict.value, 0) + 1
    plain = [r for r in results if r.verdict is not Verdict.NO_COUNTEREXAMPLE] or list(results)
    if not results:
        return ClaimSummary(claim_id, Verdict.UNDECIDED, provenance, 0, counts, None, [], "no results",
                            nondefault, list(controls or []))
    verdict = min((r.verdict for r in plain), key=_SEVERITY.index)
    same = [r for r in plain if r.verdict is verdict]
    with_margin = [r for r in same if r.margin_float is not None and not math.isnan(r.margin_float)]
    worst = min(with_margin, key=lambda r: r.margin_float) if with_margin else same[0]
    note = ""
    if verdict is Verdict.REFUTED:
        note = {
            Provenance.RECONSTRUCTED.value: "refuted: the reconstruction may be wrong (not a failure of the run)",
            Provenance.STATED.value: "refuted: check how the abstract's statement was encoded",
            Provenance.DERIVED.value: "refuted: a derived-and-exact claim failed (bug in the code or the derivation)",
        }[provenance]
        if nondefault:
            note = "refuted at the given parameters (not the claim's defaults; not a failure of the run)"
    elif verdict is Verdict.UNDECIDED:
        note = "the enclosures overlap the bound even at the highest precision tried"
    elif verdict in (Verdict.HOLDS_APPROX, Verdict.FAILS_APPROX):
        note = "approximate tier: not a proof; rerun with --tier exact or certified"
    elif verdict in (Verdict.PROVED, Verdict.CONSISTENT):
        why = []
        alive = [c for c in (controls or []) if not c.get("refuted") and c.get("status") != "not run"]
        idle = [c for c in (controls or []) if c.get("status") == "not run"]
        if idle:
            note = f"{len(idle)} control(s) not run: " + ", ".join(c["name"] for c in idle)
        if alive:
            why.append("control not refuted: " + "; ".join(
                c["name"] + (f" ({c['note']})" if c.get("note") else "") + (" [error]" if c.get("status") == "error" else "")
                for c in alive))
        if not scope_covered:
            why.append(f"scope not covered: {scope_text}")
        tauto = sum(r.same_sides for r in results)
        if tauto:
            why.append(f"{tauto} comparison(s) compare an object with itself")
        if why:
            verdict, note = Verdict.WEAK, "weak: " + "; ".join(why) + (f"; {note}" if note else "")
    return ClaimSummary(claim_id, verdict, provenance, len(results), counts, worst, list(results), note,
                        nondefault, list(controls or []))
