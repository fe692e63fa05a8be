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
    "canonical_json",
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
    ``NO_COUNTEREXAMPLE`` is what a search that found nothing reports.
    """

    PROVED = "proved"
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
class Param:
    """A parameter of a claim: name, default, kind, one-line meaning.

    ``kind`` is ``rational`` (read exactly: ``'1/3'``, ``0.25``), ``int``,
    ``real`` (a float, for fit tolerances), ``str`` or ``bool``.

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

    def __post_init__(self):
        if self.kind not in _PARAM_KINDS:
            raise ClaimError(f"parameter {self.name}: kind must be one of {', '.join(_PARAM_KINDS)}, got {self.kind!r}")

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

    def __post_init__(self):
        object.__setattr__(self, "provenance", Provenance.parse(self.provenance))
        object.__setattr__(self, "params", tuple(self.params))
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
    ``witness`` is the replayable JSON dict of a refutation.
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
    """The verdict of one claim over all its results (worst verdict wins)."""

    claim_id: str
    verdict: Verdict
    provenance: str
    n_results: int
    counts: dict
    worst: CheckResult | None
    results: list
    note: str = ""

    @property
    def is_failure(self) -> bool:
        """Does this summary fail a run?  Errors always; refutations only of derived-and-exact claims."""
        if self.verdict is Verdict.ERROR:
            return True
        return self.verdict is Verdict.REFUTED and self.provenance == Provenance.DERIVED.value


def summarize(claim_id: str, provenance: str, results: Sequence[CheckResult]) -> ClaimSummary:
    """Aggregate results: errors > refuted > ... > proved; worst margin among the decisive.

    >>> r = [CheckResult("X", "a", "proved", "exact", margin_float=0.5),
    ...      CheckResult("X", "b", "proved", "exact", margin_float=0.25)]
    >>> s = summarize("X", "derived-and-exact", r)
    >>> s.verdict.value, s.worst.instance_id
    ('proved', 'b')
    """
    provenance = Provenance.parse(provenance).value
    counts: dict = {}
    for r in results:
        counts[r.verdict.value] = counts.get(r.verdict.value, 0) + 1
    plain = [r for r in results if r.verdict is not Verdict.NO_COUNTEREXAMPLE] or list(results)
    if not results:
        return ClaimSummary(claim_id, Verdict.UNDECIDED, provenance, 0, counts, None, [], "no results")
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
    elif verdict is Verdict.UNDECIDED:
        note = "the enclosures overlap the bound even at the highest precision tried"
    elif verdict in (Verdict.HOLDS_APPROX, Verdict.FAILS_APPROX):
        note = "approximate tier: not a proof; rerun with --tier exact or certified"
    return ClaimSummary(claim_id, verdict, provenance, len(results), counts, worst, list(results), note)
