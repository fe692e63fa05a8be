"""CTMC generators on product spaces, as Kronecker sums of per-coordinate generators.

The forward processes of the papers move every coordinate independently, so the
generator on the product space is a *Kronecker sum*
``Q = Σ_k I ⊗ … ⊗ Q_k ⊗ … ⊗ I`` of small per-coordinate generators ``Q_k``.  A
:class:`KroneckerSum` keeps only the factors; the full matrix is built only on
request (:meth:`KroneckerSum.dense`, :meth:`KroneckerSum.sparse`) for reference
computations on small spaces.

Per-coordinate families (rates are exact rationals):

* :func:`random_walk` — ``x → x ± 1 mod m`` at rates ``(r₊, r₋)``; for ``m = 2``
  the two moves coincide and the bit flips at rate ``r₊ + r₋`` (not counted twice);
* :func:`uniform` — SEDD's uniform graph ``Q = (r/m)(J − mI)``;
* :func:`masking` — absorbing: ``v → mask`` at rate ``r``;
* :func:`biased_walk` — birth–death chain on ``N`` (up ``a``, down ``b``, no down
  move at 0), truncated at level ``L`` with an absorbing *overflow* level ``L+1``.

A time-inhomogeneous rate ``β(t)`` multiplies the whole generator; it is carried
by a clock (:mod:`mdtheory.schedules`) and enters only through ``τ = ∫β``.

>>> from mdtheory import generators
>>> g = generators.random_walk(m=3, d=2, rate_plus=1, rate_minus="1/2")
>>> g.space, g.factors[0].matrix("exact").tolist()
(ProductSpace(m=3, d=2), [[-3/2, 1, 1/2], [1/2, -3/2, 1], [1, 1/2, -3/2]])
>>> generators.random_walk(m=2, d=1, rate_plus=1, rate_minus=1).factors[0].matrix("exact").tolist()
[[-2, 2], [2, -2]]
>>> print(generators.masking(m=2, d=3).structure().describe())
Kronecker sum of 3 coordinates on MaskedSpace(m=2, d=3). Each coordinate (masking(m=2, rate=1)): 3 states, 3 communicating classes; closed: {2}; absorbing states: 2; transient: {0}, {1}; not irreducible. On the product space: 1 closed class(es) of size 1; 1 absorbing state(s); transient states: 26.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import networkx as nx
import numpy as np

from .spaces import MaskedSpace, ProductSpace, Space, TruncatedLattice, check_fits
from .tiers import MdtheoryError, Tier, as_fraction, get_tier

__all__ = [
    "CoordinateGenerator",
    "KroneckerSum",
    "GeneratorError",
    "StructureReport",
    "random_walk",
    "uniform",
    "masking",
    "biased_walk",
    "custom",
    "validate_generator",
    "structure_report",
]


class GeneratorError(MdtheoryError):
    """A matrix that is not a valid CTMC generator, or invalid rates.

    >>> random_walk(1, 2)
    Traceback (most recent call last):
    ...
    mdtheory.generators.GeneratorError: the alphabet size must be an integer m >= 2, got m=1
    """


def _rate(x: Any, what: str) -> Fraction:
    r = as_fraction(x)
    if r < 0:
        raise GeneratorError(f"{what} must be a non-negative rate, got {r}")
    return r


_MATRICES: dict = {}


def _coordinate_matrix(gen: "CoordinateGenerator", key: str, t: Tier) -> np.ndarray:
    """The generator matrix of ``gen`` in the tier described by ``key`` (built once per tier)."""
    hit = _MATRICES.get((gen, key))
    if hit is not None:
        return hit
    if len(_MATRICES) > 1024:
        _MATRICES.clear()
    rows = []
    for i, row in enumerate(gen.offdiag):
        out_rate = sum((v for j, v in enumerate(row) if j != i), Fraction(0))
        rows.append([(-out_rate if i == j else v) for j, v in enumerate(row)])
    with t.active():
        out = _MATRICES[(gen, key)] = t.array(rows)
    return out


@dataclass(frozen=True)
class CoordinateGenerator:
    """A generator on one coordinate alphabet ``{0..n-1}``, with exact rational rates.

    ``family`` names the closed form (if any) that :mod:`mdtheory.propagate` may use
    for the transition kernel; ``params`` holds the family's parameters.

    >>> f = random_walk(3, 1).factors[0]
    >>> f.family, f.n, f.matrix("exact").tolist()
    ('random_walk', 3, [[-1, 1/2, 1/2], [1/2, -1, 1/2], [1/2, 1/2, -1]])
    """

    family: str
    n: int
    offdiag: tuple[tuple[Fraction, ...], ...]
    params: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self):
        if len(self.offdiag) != self.n or any(len(r) != self.n for r in self.offdiag):
            raise GeneratorError(f"a {self.n}-state generator needs an {self.n}×{self.n} rate table")
        for i, row in enumerate(self.offdiag):
            for j, v in enumerate(row):
                if i != j and v < 0:
                    raise GeneratorError(f"rate {i}→{j} is {v} < 0; off-diagonal rates must be non-negative")

    @property
    def param(self) -> dict[str, Any]:
        return dict(self.params)

    def matrix(self, tier: "str | Tier" = "exact") -> np.ndarray:
        """The ``n×n`` generator (rows sum to zero) as an array of tier scalars (a fresh copy)."""
        t = get_tier(tier)
        return _coordinate_matrix(self, t.describe(), t).copy()

    def total_exit_rates(self) -> tuple[Fraction, ...]:
        return tuple(sum((v for j, v in enumerate(row) if j != i), Fraction(0)) for i, row in enumerate(self.offdiag))

    @property
    def alpha_parametrised(self) -> bool:
        """True when ``exp(τQ)`` is a polynomial in ``α = e^{−rate·τ}`` with rational coefficients."""
        return self.family in ("masking", "uniform")

    def label(self) -> str:
        ps = ", ".join(f"{k}={v}" for k, v in self.params)
        return f"{self.family}({ps})"

    def graph(self) -> nx.DiGraph:
        """Directed graph of positive rates."""
        G = nx.DiGraph()
        G.add_nodes_from(range(self.n))
        G.add_edges_from((i, j) for i, row in enumerate(self.offdiag) for j, v in enumerate(row) if i != j and v > 0)
        return G


@dataclass(frozen=True)
class KroneckerSum:
    """The generator ``Σ_k I⊗…⊗Q_k⊗…⊗I`` of independent coordinates on ``space``.

    Never materialised unless :meth:`dense` or :meth:`sparse` is called.

    >>> import numpy as np
    >>> g = random_walk(2, 2)
    >>> g.d, g.space, g.dense("exact").shape
    (2, ProductSpace(m=2, d=2), (4, 4))
    >>> g.apply(np.array([[1, 0], [0, 0]], dtype=object), "exact").tolist()   # p·Q for p = δ_(0,0); m = 2: flips at rate 1
    [[-2, 1], [1, 0]]
    """

    factors: tuple[CoordinateGenerator, ...]
    space: Space

    def __post_init__(self):
        if len(self.factors) != self.space.d:
            raise GeneratorError(f"{len(self.factors)} coordinate generators for a space with d={self.space.d}")
        for k, f in enumerate(self.factors):
            if f.n != self.space.radix:
                raise GeneratorError(f"coordinate {k} has {f.n} states but {self.space!r} has {self.space.radix}")

    @property
    def d(self) -> int:
        return self.space.d

    @property
    def alpha_parametrised(self) -> bool:
        return all(f.alpha_parametrised for f in self.factors) and len({f.param.get("rate") for f in self.factors}) == 1

    def dense(self, tier: "str | Tier" = "float") -> np.ndarray:
        """The full ``size×size`` generator (reference computations on small spaces only)."""
        t = get_tier(tier)
        check_fits(self.space.size**2, t.bytes_per_entry, f"the dense generator of {self.space!r}", copies=2)
        with t.active():
            if t.dtype is not object:
                return self.sparse().toarray()
            Q = t.zeros((self.space.size, self.space.size))
            for k, f in enumerate(self.factors):
                Q = Q + _kron_object(_eye(t, f.n ** k), _kron_object(f.matrix(t), _eye(t, f.n ** (self.d - k - 1))))
            return Q

    def sparse(self):
        """The full generator as a ``scipy.sparse`` CSR matrix of float64 (for scipy reference solvers)."""
        import scipy.sparse as sp

        check_fits(self.space.size * (1 + sum(f.n for f in self.factors)), 16, f"the sparse generator of {self.space!r}", 2)
        Q = None
        for k, f in enumerate(self.factors):
            term = sp.kron(
                sp.kron(sp.identity(f.n**k, format="csr"), sp.csr_matrix(f.matrix("float"))),
                sp.identity(f.n ** (self.d - k - 1), format="csr"),
                format="csr",
            )
            Q = term if Q is None else Q + term
        return Q.tocsr()

    def apply(self, tensor: np.ndarray, tier: "str | Tier" = "float", transpose: bool = True) -> np.ndarray:
        """``p ↦ pQ`` (``transpose=True``, forward equation) or ``f ↦ Qf``, by mode products."""
        from ._modeprod import mode_product

        t = get_tier(tier)
        with t.active():
            out = None
            for k, f in enumerate(self.factors):
                M = f.matrix(t)
                term = mode_product(tensor, M if transpose else M.T, k, t)
                out = term if out is None else out + term
            return out

    def validate(self) -> None:
        """Check every factor is a generator (they are by construction; kept for custom factors)."""
        for f in self.factors:
            validate_generator(f.matrix("exact"), "exact")

    def structure(self) -> "StructureReport":
        """Communicating classes, absorbing states and reachability, per coordinate and on the product."""
        reports = [structure_report(f.graph()) for f in self.factors]
        first = reports[0]
        same = all(f == self.factors[0] for f in self.factors)
        # product of independent coordinates: a product state is absorbing iff every coordinate is;
        # closed classes of the product are products of closed classes of the coordinates.
        n_closed = int(np.prod([len(r.closed_classes) for r in reports]))
        sizes = sorted({int(np.prod(c)) for c in _product_sizes([r.closed_classes for r in reports])})
        n_abs = int(np.prod([len(r.absorbing) for r in reports]))
        in_closed = int(np.prod([sum(len(c) for c in r.closed_classes) for r in reports]))
        n_transient = self.space.size - in_closed
        coord = (
            f"Each coordinate ({self.factors[0].label()}): {first.describe_short()}"
            if same
            else "; ".join(f"coordinate {k} ({f.label()}): {r.describe_short()}" for k, (f, r) in enumerate(zip(self.factors, reports)))
        )
        words = (
            f"Kronecker sum of {self.d} coordinates on {self.space!r}. {coord}. On the product space: "
            f"{n_closed} closed class(es) of size {', '.join(map(str, sizes))}; {n_abs} absorbing state(s); "
            f"transient states: {n_transient}."
        )
        irreducible = all(r.irreducible for r in reports)
        short = (
            f"{self.space.size} states on the product; {n_closed} closed class(es) of size "
            f"{', '.join(map(str, sizes))}; {n_abs} absorbing state(s); {n_transient} transient state(s); "
            + ("irreducible" if irreducible else "not irreducible")
        )
        return StructureReport(
            classes=None,
            closed_classes=None,
            absorbing=None,
            transient=None,
            irreducible=irreducible,
            text=words,
            per_coordinate=tuple(reports),
            summary=short,
        )


def _product_sizes(closed_per_coord):
    import itertools

    for combo in itertools.product(*closed_per_coord):
        yield [len(c) for c in combo]


def _eye(t: Tier, n: int) -> np.ndarray:
    e = t.zeros((n, n))
    for i in range(n):
        e[i, i] = t.one
    return e


def _kron_object(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.empty((a.shape[0] * b.shape[0], a.shape[1] * b.shape[1]), dtype=object)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[i * b.shape[0] : (i + 1) * b.shape[0], j * b.shape[1] : (j + 1) * b.shape[1]] = a[i, j] * b
    return out


# ---------------------------------------------------------------------------------------------
# families
# ---------------------------------------------------------------------------------------------


def _coordinate_random_walk(m: int, rp: Fraction, rm: Fraction) -> CoordinateGenerator:
    off = [[Fraction(0)] * m for _ in range(m)]
    for x in range(m):
        off[x][(x + 1) % m] += rp
        off[x][(x - 1) % m] += rm
    # m = 2: (x+1) % 2 == (x-1) % 2, so the flip rate is rp + rm, added once each — never doubled.
    return CoordinateGenerator("random_walk", m, tuple(map(tuple, off)), (("m", m), ("rate_plus", rp), ("rate_minus", rm)))


def random_walk(m: int, d: int, rate_plus: Any = "1/2", rate_minus: Any = "1/2") -> KroneckerSum:
    """Random walk ``x_i → x_i ± 1 (mod m)`` on ``Z_m^d`` at rates ``(rate_plus, rate_minus)``.

    For ``m = 2`` the moves ``±1`` coincide: the bit flips at rate ``rate_plus + rate_minus``.
    The invariant law is uniform; the per-coordinate spectral gap is
    ``(r₊ + r₋)(1 − cos(2π/m))``.

    >>> random_walk(3, 2).factors[0].matrix("exact").tolist()     # ±1 mod 3 at rate 1/2 each
    [[-1, 1/2, 1/2], [1/2, -1, 1/2], [1/2, 1/2, -1]]
    """
    m, d = _check_md(m, d)
    rp, rm = _rate(rate_plus, "rate_plus"), _rate(rate_minus, "rate_minus")
    if rp + rm == 0:
        raise GeneratorError("rate_plus + rate_minus must be positive; the walk would never move")
    f = _coordinate_random_walk(m, rp, rm)
    return KroneckerSum((f,) * d, ProductSpace(m, d))


def uniform(m: int, d: int, rate: Any = 1) -> KroneckerSum:
    """SEDD's uniform graph per coordinate: ``Q = (rate/m)(J − mI)``.

    Over a time with integrated rate ``τ`` a coordinate keeps its value with probability
    ``α + (1 − α)/m`` (``α = e^{−rate·τ}``) and otherwise moves uniformly.

    >>> uniform(3, 1).factors[0].matrix("exact").tolist()        # jump to a uniform symbol at rate 1
    [[-2/3, 1/3, 1/3], [1/3, -2/3, 1/3], [1/3, 1/3, -2/3]]
    """
    m, d = _check_md(m, d)
    r = _rate(rate, "rate")
    off = tuple(tuple(Fraction(0) if i == j else r / m for j in range(m)) for i in range(m))
    f = CoordinateGenerator("uniform", m, off, (("m", m), ("rate", r)))
    return KroneckerSum((f,) * d, ProductSpace(m, d))


def masking(m: int, d: int, rate: Any = 1) -> KroneckerSum:
    """Masking (absorbing) process on ``{0..m}^d``: each data symbol jumps to the mask ``m`` at ``rate``.

    Over integrated rate ``τ`` a token stays unmasked with probability ``α = e^{−rate·τ}``.

    >>> g = masking(2, 3)
    >>> g.space, g.factors[0].matrix("exact").tolist()           # symbol 2 is the absorbing mask
    (MaskedSpace(m=2, d=3), [[-1, 0, 1], [0, -1, 1], [0, 0, 0]])
    """
    m, d = _check_md(m, d)
    r = _rate(rate, "rate")
    if r == 0:
        raise GeneratorError("the masking rate must be positive")
    off = tuple(tuple(r if (j == m and i < m) else Fraction(0) for j in range(m + 1)) for i in range(m + 1))
    f = CoordinateGenerator("masking", m + 1, off, (("m", m), ("rate", r)))
    return KroneckerSum((f,) * d, MaskedSpace(m, d))


def biased_walk(L: int, d: int, up: Any = "1/2", down: Any = 1) -> KroneckerSum:
    """Birth–death walk on ``N^d`` (up ``a``, down ``b``, no down move at 0), truncated at ``L``.

    The level ``L+1`` is an absorbing *overflow* state: a coordinate at ``L`` that moves
    up lands there.  Its mass at time ``t`` is the probability that the untruncated walk
    exceeded ``L`` by time ``t``; hence for in-range states ``x`` the true marginal
    lies in ``[q_t(x), q_t(x) + overflow mass]``.

    >>> g = biased_walk(L=2, d=1, up=1, down=2)
    >>> g.space, g.factors[0].matrix("exact").tolist()           # level 3 = overflow (absorbing)
    (TruncatedLattice(L=2, d=1), [[-1, 1, 0, 0], [2, -3, 1, 0], [0, 2, -3, 1], [0, 0, 0, 0]])
    """
    if int(L) < 1:
        raise GeneratorError(f"the truncation level must be L >= 1, got L={L}")
    L = int(L)
    a, b = _rate(up, "up"), _rate(down, "down")
    n = L + 2
    off = [[Fraction(0)] * n for _ in range(n)]
    for x in range(L + 1):
        off[x][x + 1] = a
        if x >= 1:
            off[x][x - 1] = b
    f = CoordinateGenerator("biased_walk", n, tuple(map(tuple, off)), (("L", L), ("up", a), ("down", b)))
    return KroneckerSum((f,) * int(d), TruncatedLattice(L, int(d)))


def custom(matrix: Sequence[Sequence[Any]], d: int, space: Space | None = None, name: str = "custom") -> KroneckerSum:
    """A Kronecker sum of ``d`` copies of a user-given rational generator (validated).

    >>> g = custom([[-1, 1], ["1/2", "-1/2"]], d=2)
    >>> g.space, g.factors[1].matrix("exact").tolist()
    (ProductSpace(m=2, d=2), [[-1, 1], [1/2, -1/2]])
    """
    Q = [[as_fraction(v) for v in row] for row in matrix]
    n = len(Q)
    validate_generator(np.array(Q, dtype=object), "exact")
    off = tuple(tuple(Fraction(0) if i == j else Q[i][j] for j in range(n)) for i in range(n))
    f = CoordinateGenerator(name, n, off, (("n", n),))
    return KroneckerSum((f,) * int(d), space or ProductSpace(n, int(d)))


def _check_md(m, d) -> tuple[int, int]:
    if int(m) != m or int(m) < 2:
        raise GeneratorError(f"the alphabet size must be an integer m >= 2, got m={m}")
    if int(d) != d or int(d) < 1:
        raise GeneratorError(f"the number of coordinates must be an integer d >= 1, got d={d}")
    return int(m), int(d)


# ---------------------------------------------------------------------------------------------
# validation and structure
# ---------------------------------------------------------------------------------------------


def validate_generator(Q: Any, tier: "str | Tier" = "float", atol: float = 1e-12) -> None:
    """Raise :class:`GeneratorError` unless off-diagonals are ≥ 0 and every row sums to 0.

    Exact tier: exactly; float tier: within ``atol`` (scaled by the row's size).

    >>> validate_generator([[-1, 1], [0, 1]], "exact")
    Traceback (most recent call last):
    ...
    mdtheory.generators.GeneratorError: row 1 of the generator sums to 1, not 0; set the diagonal to minus the sum of the row's off-diagonal rates
    """
    t = get_tier(tier)
    A = t.array(np.asarray(Q, dtype=object) if not isinstance(Q, np.ndarray) else Q)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise GeneratorError(f"a generator must be a square matrix, got shape {A.shape}")
    n = A.shape[0]
    with t.active():
        for i in range(n):
            for j in range(n):
                if i != j and t.compare_approx(A[i, j], t.zero, atol) == -1:
                    raise GeneratorError(f"rate {i}→{j} is {t.format(A[i, j])} < 0; off-diagonal rates must be non-negative")
            s = t.total(A[i])
            scale = max(1.0, float(np.max(np.abs(t.to_float_array(A[i])))))
            ok = t.compare_approx(s, t.zero, atol * scale * n) in (0, None)
            if not ok:
                raise GeneratorError(
                    f"row {i} of the generator sums to {t.format(s)}, not 0; "
                    "set the diagonal to minus the sum of the row's off-diagonal rates"
                )


@dataclass(frozen=True)
class StructureReport:
    """Communicating-class structure of a generator's jump graph.

    For one coordinate (:func:`structure_report`) the class fields are set; for a Kronecker
    sum (:meth:`KroneckerSum.structure`) they are ``None`` (the product has too many states
    to list), ``per_coordinate`` holds the coordinates' reports and ``summary`` the product's.

    >>> from mdtheory import generators
    >>> r = generators.masking(2, 2).structure()
    >>> r.describe_short()
    '9 states on the product; 1 closed class(es) of size 1; 1 absorbing state(s); 8 transient state(s); not irreducible'
    >>> r.per_coordinate[0].describe_short()
    '3 states, 3 communicating classes; closed: {2}; absorbing states: 2; transient: {0}, {1}; not irreducible'
    """

    classes: tuple[frozenset, ...] | None
    closed_classes: tuple[frozenset, ...] | None
    absorbing: tuple | None
    transient: tuple[frozenset, ...] | None
    irreducible: bool
    text: str = ""
    per_coordinate: tuple["StructureReport", ...] = field(default=())
    summary: str = ""

    def describe_short(self) -> str:
        """One line: states, classes, closed and absorbing states, irreducibility."""
        if self.classes is None:
            return self.summary

        def fmt(c):
            return "{" + ", ".join(map(str, sorted(c))) + "}"

        n = sum(len(c) for c in self.classes)
        parts = [f"{n} states, {len(self.classes)} communicating class{'es' if len(self.classes) != 1 else ''}"]
        parts.append("closed: " + ", ".join(fmt(c) for c in self.closed_classes))
        if self.absorbing:
            parts.append("absorbing states: " + ", ".join(map(str, self.absorbing)))
        if self.transient:
            parts.append("transient: " + ", ".join(fmt(c) for c in self.transient))
        parts.append("irreducible" if self.irreducible else "not irreducible")
        return "; ".join(parts)

    def describe(self) -> str:
        """The structure in words."""
        return self.text or (self.describe_short() + ".")


def structure_report(Q_or_graph: Any) -> StructureReport:
    """Communicating classes, closed classes, absorbing states of a generator (matrix or jump graph).

    >>> structure_report([[-1, 1, 0], [1, -1, 0], [0, 1, -1]]).describe()
    '3 states, 2 communicating classes; closed: {0, 1}; transient: {2}; not irreducible.'
    """
    if isinstance(Q_or_graph, nx.DiGraph):
        G = Q_or_graph
    else:
        A = np.asarray(Q_or_graph, dtype=object)
        G = nx.DiGraph()
        G.add_nodes_from(range(A.shape[0]))
        G.add_edges_from((i, j) for i in range(A.shape[0]) for j in range(A.shape[1]) if i != j and A[i, j] > 0)
    sccs = [frozenset(c) for c in nx.strongly_connected_components(G)]
    sccs.sort(key=min)
    cond = nx.condensation(G, scc=sccs)
    closed = tuple(sccs[i] for i in cond.nodes if cond.out_degree(i) == 0)
    transient = tuple(sccs[i] for i in cond.nodes if cond.out_degree(i) > 0)
    absorbing = tuple(sorted(min(c) for c in closed if len(c) == 1))
    return StructureReport(
        classes=tuple(sccs),
        closed_classes=closed,
        absorbing=absorbing,
        transient=transient,
        irreducible=len(sccs) == 1,
    )


def reachable(generator: KroneckerSum, state) -> int:
    """Number of product states reachable from ``state`` (product of per-coordinate reachable sets)."""
    n = 1
    for f, s in zip(generator.factors, state):
        n *= len(nx.descendants(f.graph(), int(s))) + 1
    return n
