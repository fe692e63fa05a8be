"""Data laws on ``Z_m^d`` (= ``[m]^d``, symbols ``0..m-1``), in any number tier.

Every constructor takes ``tier=`` (default ``'exact'``; a name or a tier object
such as ``get_tier('certified', prec=256)``) and returns a
:class:`~mdtheory.laws.Law` on :class:`~mdtheory.spaces.ProductSpace`.  The
law is built with the tier's own arithmetic (one code path): parameters are read
exactly (``0.1`` means ``1/10``, ``"1/3"`` means 1/3), so the exact law is the
law the other tiers approximate.

================================ ======================================================
constructor                      law
================================ ======================================================
``product(marginals)``           independent coordinates
``copy(m, d)``                   all tokens equal, uniform symbol
``copy_pairs(m, d)``             ``d/2`` independent equal pairs ``(0,1), (2,3), …``
``parity(d)``                    uniform over even-weight binary strings
``sum_mod(m, d, r)``             uniform over ``x`` with ``Σ x_i ≡ r (mod m)``
``markov_chain(init, P, d)``     Markov chain ``init(x_0) Π P[x_i, x_{i+1}]``
``binary_symmetric_markov``      uniform start, flip probability ``ε``
``mds_code(q, n, k)``            uniform codeword of Reed–Solomon ``[n, k]_q``, ``q`` prime
``linear_code(G)``               uniform codeword of the binary code spanned by ``G``
``dirichlet(m, d, alpha, seed)`` random law, rational (see its docstring)
``mixture(laws, weights)``       convex combination
``ising(graph, J, h)``           Gibbs law of the Ising model on a networkx graph
``potts(graph, q, J, h)``        Gibbs law of the Potts model
================================ ======================================================

>>> from mdtheory.distributions import copy, parity, product
>>> copy(3, 2).prob((1, 1)), parity(3).prob((1, 1, 0)), parity(3).prob((1, 0, 0))
(1/3, 1/4, 0)
>>> float(product([["1/2", "1/2"], ["1/3", "2/3"]], tier="float").prob((0, 1)))
0.3333333333333333
>>> copy(1, 3)
Traceback (most recent call last):
...
mdtheory.distributions.DistributionError: copy needs an alphabet of m >= 2 symbols, got m=1
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np

from .law_structure import BlockProduct, Exchangeable, declare  # structure records (issue 20)
from .laws import Law
from .spaces import ProductSpace
from .tiers import MdtheoryError, NotExactError, Tier, TierError, get_tier

__all__ = [
    "DistributionError",
    "product",
    "copy",
    "copy_pairs",
    "parity",
    "sum_mod",
    "markov_chain",
    "binary_symmetric_markov",
    "mds_code",
    "linear_code",
    "dirichlet",
    "mixture",
    "ising",
    "potts",
    "uniform",
]


class DistributionError(MdtheoryError):
    """Invalid arguments for a data-law constructor.

    >>> product([["1/2", "1/4"]])
    Traceback (most recent call last):
    ...
    mdtheory.distributions.DistributionError: product: marginals[0] sums to 3/4, not 1; normalise it
    """


# ---------------------------------------------------------------------------------------------
# argument checks
# ---------------------------------------------------------------------------------------------
def _int(x, name: str, lo: int, who: str) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise DistributionError(f"{who} needs an integer {name}, got {x!r}")
    if int(x) < lo:
        what = "an alphabet of m >= 2 symbols" if name == "m" and lo == 2 else f"{name} >= {lo}"
        raise DistributionError(f"{who} needs {what}, got {name}={x}")
    return int(x)


def _tier(tier) -> Tier:
    return get_tier(tier)


def _prob_vector(v, t: Tier, name: str, who: str, length: int | None = None) -> np.ndarray:
    try:
        arr = t.array(np.asarray(v, dtype=object).reshape(-1) if not isinstance(v, np.ndarray) else v.reshape(-1))
    except (TierError, TypeError, ValueError) as e:
        raise DistributionError(f"{who}: cannot read {name} as probabilities ({e})") from None
    if length is not None and arr.size != length:
        raise DistributionError(f"{who}: {name} has {arr.size} entries, expected {length}")
    _check_stochastic(arr, t, name, who)
    return arr


def _check_stochastic(arr: np.ndarray, t: Tier, name: str, who: str) -> None:
    with t.active():
        for v in arr.reshape(-1):
            if t.compare(v, t.zero) == -1:
                raise DistributionError(f"{who}: {name} has the negative entry {t.format(v)}; probabilities must be >= 0")
        total = t.total(arr)
        c = t.compare(total, t.one)
        ok = c == 0 or (c is None and getattr(total, "contains", lambda _: False)(1))
        if not t.rigorous:  # approximate tiers: up to rounding
            ok = abs(t.to_float(total) - 1.0) <= 1e-9
        if not ok:
            raise DistributionError(f"{who}: {name} sums to {t.format(total)}, not 1; normalise it")


def _prob_scalar(x, t: Tier, name: str, who: str):
    try:
        v = t.scalar(x)
    except (TierError, TypeError, ValueError) as e:
        raise DistributionError(f"{who}: cannot read {name}={x!r} as a number ({e})") from None
    if t.compare(v, t.zero) == -1 or t.compare(v, t.one) == 1:
        raise DistributionError(f"{who}: {name}={x!r} is not a probability in [0, 1]")
    return v


def _law(m: int, d: int, arr: np.ndarray, t: Tier) -> Law:
    return Law(ProductSpace(m, d), arr, t, validate=False)


def _uniform_on(m: int, d: int, mask: np.ndarray, t: Tier) -> Law:
    """Uniform law on the states where the boolean array ``mask`` is True (exact count)."""
    n = int(np.count_nonzero(mask))
    with t.active():
        arr = t.zeros(mask.shape)
        if t.dtype is object:
            arr[mask] = t.one / t.scalar(n)
        else:
            arr[mask] = 1.0 / n
    return _law(m, d, arr, t)


def _check_size(m: int, d: int, t: Tier) -> None:
    ProductSpace(m, d).check_fits(t, copies=2)


# ---------------------------------------------------------------------------------------------
# constructors
# ---------------------------------------------------------------------------------------------
def uniform(m: int, d: int, *, tier="exact") -> Law:
    """The uniform law on ``Z_m^d``.

    >>> uniform(2, 3).prob((0, 1, 1))
    1/8
    """
    m, d = _int(m, "m", 2, "uniform"), _int(d, "d", 1, "uniform")
    return declare(Law.uniform(ProductSpace(m, d), tier), Exchangeable(m, d))


def product(marginals: Sequence[Sequence[Any]], *, tier="exact") -> Law:
    """Independent coordinates: ``P(x) = Π_i marginals[i][x_i]``.

    ``marginals`` is a list of ``d`` probability vectors of the same length ``m``.

    >>> p = product([["1/2", "1/2"], ["1/4", "3/4"]])
    >>> p.prob((1, 1)), p.space
    (3/8, ProductSpace(m=2, d=2))
    >>> product([[1, 0], [0.5, 0.25]])
    Traceback (most recent call last):
    ...
    mdtheory.distributions.DistributionError: product: marginals[1] sums to 3/4, not 1; normalise it
    """
    t = _tier(tier)
    try:
        vecs = [list(v) for v in marginals]
    except TypeError:
        raise DistributionError("product needs a list of probability vectors, one per coordinate") from None
    if not vecs:
        raise DistributionError("product needs at least one marginal (d >= 1)")
    m = len(vecs[0])
    if m < 2 or any(len(v) != m for v in vecs):
        raise DistributionError(
            f"product needs d marginals of the same length m >= 2, got lengths {[len(v) for v in vecs]}"
        )
    _check_size(m, len(vecs), t)
    arrs = [_prob_vector(v, t, f"marginals[{i}]", "product", m) for i, v in enumerate(vecs)]
    with t.active():
        out = arrs[0]
        for a in arrs[1:]:
            out = np.multiply.outer(out, a)
    law = _law(m, len(arrs), out, t)
    if all(all(x == y for x, y in zip(a.tolist(), arrs[0].tolist())) for a in arrs[1:]):
        return declare(law, Exchangeable(m, len(arrs)))
    return declare(law, BlockProduct.of([_law(m, 1, a, t) for a in arrs]))


def copy(m: int, d: int, *, tier="exact") -> Law:
    """All ``d`` tokens equal to one uniform symbol: ``P(x) = 1/m`` on the diagonal.

    >>> copy(2, 3).support()
    [(0, 0, 0), (1, 1, 1)]
    """
    m, d = _int(m, "m", 2, "copy"), _int(d, "d", 1, "copy")
    t = _tier(tier)
    _check_size(m, d, t)
    idx = np.indices((m,) * d)
    return declare(_uniform_on(m, d, np.all(idx == idx[0], axis=0), t), Exchangeable(m, d))


def copy_pairs(m: int, d: int, *, tier="exact") -> Law:
    """``d/2`` independent pairs ``(x_0 = x_1), (x_2 = x_3), …``, each a uniform symbol.

    >>> copy_pairs(2, 4).prob((1, 1, 0, 0)), copy_pairs(2, 4).prob((1, 0, 0, 0))
    (1/4, 0)
    >>> copy_pairs(2, 3)
    Traceback (most recent call last):
    ...
    mdtheory.distributions.DistributionError: copy_pairs needs an even d (d/2 pairs), got d=3
    """
    m, d = _int(m, "m", 2, "copy_pairs"), _int(d, "d", 2, "copy_pairs")
    if d % 2:
        raise DistributionError(f"copy_pairs needs an even d (d/2 pairs), got d={d}")
    t = _tier(tier)
    _check_size(m, d, t)
    idx = np.indices((m,) * d)
    ok = np.all(idx[0::2] == idx[1::2], axis=0)
    return declare(_uniform_on(m, d, ok, t), BlockProduct.of([copy(m, 2, tier=t)] * (d // 2)))


def sum_mod(m: int, d: int, r: int = 0, *, tier="exact") -> Law:
    """Uniform over ``x ∈ Z_m^d`` with ``x_0 + … + x_{d-1} ≡ r (mod m)`` (``m^{d-1}`` states).

    >>> sum_mod(3, 2, 1).support()
    [(0, 1), (1, 0), (2, 2)]
    """
    m, d = _int(m, "m", 2, "sum_mod"), _int(d, "d", 1, "sum_mod")
    if isinstance(r, bool) or not isinstance(r, (int, np.integer)):
        raise DistributionError(f"sum_mod needs an integer residue r, got {r!r}")
    t = _tier(tier)
    _check_size(m, d, t)
    idx = np.indices((m,) * d)
    return declare(_uniform_on(m, d, idx.sum(axis=0) % m == int(r) % m, t), Exchangeable(m, d))


def parity(d: int, *, odd: bool = False, tier="exact") -> Law:
    """Uniform over binary strings of even weight (``odd=True``: odd weight); ``sum_mod(2, d, r)``.

    >>> parity(2).support(), parity(2, odd=True).support()
    ([(0, 0), (1, 1)], [(0, 1), (1, 0)])
    """
    d = _int(d, "d", 1, "parity")
    return sum_mod(2, d, 1 if odd else 0, tier=tier)


def markov_chain(initial: Sequence[Any], transition: Any, d: int, *, tier="exact") -> Law:
    """Markov chain ``P(x) = initial[x_0]·Π_i transition[x_i, x_{i+1}]`` of length ``d``.

    ``transition`` is an ``m×m`` row-stochastic matrix.

    >>> p = markov_chain(["1/2", "1/2"], [["3/4", "1/4"], ["1/4", "3/4"]], 3)
    >>> p.prob((0, 0, 1))
    3/32
    >>> markov_chain([1, 0], [[1, 0], [1, 1]], 2)
    Traceback (most recent call last):
    ...
    mdtheory.distributions.DistributionError: markov_chain: transition row 1 sums to 2, not 1; normalise it
    """
    d = _int(d, "d", 1, "markov_chain")
    t = _tier(tier)
    init = list(initial)
    m = len(init)
    if m < 2:
        raise DistributionError(f"markov_chain needs an initial law on m >= 2 symbols, got {m} entries")
    P = np.asarray(transition, dtype=object)
    if P.shape != (m, m):
        raise DistributionError(f"markov_chain: transition has shape {P.shape}, expected ({m}, {m}) to match initial")
    _check_size(m, d, t)
    a0 = _prob_vector(init, t, "initial", "markov_chain", m)
    rows = [_prob_vector(P[i], t, f"transition row {i}", "markov_chain", m) for i in range(m)]
    trans = np.stack(rows)
    with t.active():
        out = a0
        for _ in range(d - 1):
            out = out[..., :, None] * trans  # broadcast: (..., x_i) × (x_i, x_{i+1})
    return _law(m, d, out, t)


def binary_symmetric_markov(d: int, flip: Any, *, tier="exact") -> Law:
    """Binary chain with uniform start, each step flips with probability ``flip``.

    >>> binary_symmetric_markov(2, "1/10").prob((0, 1))
    1/20
    >>> binary_symmetric_markov(3, 1.5)
    Traceback (most recent call last):
    ...
    mdtheory.distributions.DistributionError: binary_symmetric_markov: flip=1.5 is not a probability in [0, 1]
    """
    t = _tier(tier)
    e = _prob_scalar(flip, t, "flip", "binary_symmetric_markov")
    with t.active():
        stay = t.one - e
        half = t.one / t.scalar(2)
    return markov_chain([half, half], [[stay, e], [e, stay]], d, tier=t)


def _is_prime(q: int) -> bool:
    return q >= 2 and all(q % p for p in range(2, math.isqrt(q) + 1))


def mds_code(q: int, n: int, k: int, *, points: Sequence[int] | None = None, tier="exact") -> Law:
    """Uniform codeword of the Reed–Solomon code ``[n, k]_q`` over the prime field ``GF(q)``.

    Codewords are ``(f(a_1), …, f(a_n))`` for the ``q^k`` polynomials ``f`` of
    degree ``< k`` over ``GF(q)``, at distinct evaluation points
    ``points`` (default ``0, 1, …, n-1``; so ``n <= q``).  The law lives on
    ``Z_q^n`` and is uniform on ``q^k`` codewords.  MDS: any ``k`` coordinates
    are uniform and independent and determine the rest, so
    ``g(i) = log q`` for ``i < k`` and ``0`` after, ``TC = (n-k) log q``,
    ``DTC = k log q``.

    >>> c = mds_code(3, 3, 2)
    >>> len(c.support()), c.prob((1, 2, 0))     # f(x) = 1 + x
    (9, 1/9)
    >>> mds_code(4, 3, 2)
    Traceback (most recent call last):
    ...
    mdtheory.distributions.DistributionError: mds_code needs a prime q (GF(q) as integers mod q), got q=4
    """
    q = _int(q, "q", 2, "mds_code")
    n = _int(n, "n", 1, "mds_code")
    k = _int(k, "k", 1, "mds_code")
    if not _is_prime(q):
        raise DistributionError(f"mds_code needs a prime q (GF(q) as integers mod q), got q={q}")
    if k > n:
        raise DistributionError(f"mds_code needs k <= n (k message symbols, n code symbols), got k={k}, n={n}")
    pts = list(range(n)) if points is None else [int(a) % q for a in points]
    if points is None and n > q:
        raise DistributionError(f"mds_code needs n <= q distinct evaluation points in GF({q}), got n={n}")
    if len(pts) != n or len(set(pts)) != n:
        raise DistributionError(f"mds_code needs {n} distinct evaluation points mod {q}, got {list(points)}")
    t = _tier(tier)
    _check_size(q, n, t)
    # generator matrix V[j, i] = a_i^j (Vandermonde, k x n); codeword = message @ V mod q
    V = np.array([[pow(a, j, q) for a in pts] for j in range(k)], dtype=np.int64)
    msgs = np.indices((q,) * k).reshape(k, -1).T
    words = (msgs @ V) % q
    mask = np.zeros((q,) * n, dtype=bool)
    mask[tuple(words.T)] = True
    if np.count_nonzero(mask) != q**k:  # pragma: no cover - impossible for distinct points
        raise DistributionError("the evaluation map is not injective; use distinct evaluation points")
    return _uniform_on(q, n, mask, t)


def linear_code(generator: Any, *, tier="exact") -> Law:
    """Uniform codeword of the binary linear code spanned by the rows of ``generator`` (k×n over GF(2)).

    A uniform message ``u ∈ GF(2)^k`` gives codeword ``u·G mod 2``; a
    rank-deficient ``G`` still gives the uniform law on its row space (each
    codeword is hit ``2^{k - rank}`` times).

    >>> hamming = [[1,0,0,0,1,1,0],[0,1,0,0,1,0,1],[0,0,1,0,0,1,1],[0,0,0,1,1,1,1]]
    >>> c = linear_code(hamming)
    >>> len(c.support()), c.space
    (16, ProductSpace(m=2, d=7))
    >>> linear_code([[1, 2]])
    Traceback (most recent call last):
    ...
    mdtheory.distributions.DistributionError: linear_code needs a 0/1 generator matrix over GF(2), got entries [0, 1, 2]
    """
    try:
        G = np.asarray(generator, dtype=np.int64)
    except (TypeError, ValueError):
        raise DistributionError("linear_code needs a k×n integer matrix of 0s and 1s") from None
    if G.ndim == 1:
        G = G[None, :]
    if G.ndim != 2 or G.shape[0] < 1 or G.shape[1] < 1:
        raise DistributionError(f"linear_code needs a k×n matrix with k, n >= 1, got shape {G.shape}")
    vals = sorted(set(np.unique(G).tolist()) | {0, 1})
    if vals != [0, 1]:
        raise DistributionError(f"linear_code needs a 0/1 generator matrix over GF(2), got entries {vals}")
    k, n = G.shape
    t = _tier(tier)
    _check_size(2, n, t)
    if k > 30:
        raise DistributionError(f"linear_code enumerates 2^k messages; k={k} is too many (reduce G to a basis)")
    msgs = np.indices((2,) * k).reshape(k, -1).T
    words = (msgs @ G) % 2
    mask = np.zeros((2,) * n, dtype=bool)
    mask[tuple(words.T)] = True
    return _uniform_on(2, n, mask, t)


def dirichlet(m: int, d: int, alpha: Any = 1, seed: int | None = 0, *, denominator: int = 2**20, tier="exact") -> Law:
    """A random law on ``Z_m^d`` from a symmetric Dirichlet(``alpha``), made rational.

    Draws ``w ~ Dirichlet(alpha, …, alpha)`` over the ``m^d`` states with
    ``numpy.random.default_rng(seed)``, rounds to integer counts
    ``c_x = round(w_x · denominator)`` and returns ``P(x) = c_x / Σ_y c_y`` —
    an exact rational law, **the same law in every tier** (the float tier only
    rounds ``c_x / Σ c_y``).  States with ``c_x = 0`` have probability exactly 0,
    so small ``alpha`` gives laws with zeros.  If every count rounds to 0 the
    largest weight gets count 1.

    >>> p = dirichlet(2, 3, alpha="1/2", seed=1)
    >>> p.total(), p.tier.name
    (1, 'exact')
    >>> float(p.prob((0, 0, 0))) == float(dirichlet(2, 3, alpha=0.5, seed=1, tier="float").prob((0, 0, 0)))
    True
    """
    m, d = _int(m, "m", 2, "dirichlet"), _int(d, "d", 1, "dirichlet")
    denominator = _int(denominator, "denominator", 1, "dirichlet")
    try:
        a = float(Fraction(str(alpha)) if isinstance(alpha, str) else alpha)
    except (TypeError, ValueError):
        raise DistributionError(f"dirichlet needs a positive number alpha, got {alpha!r}") from None
    if not a > 0 or not math.isfinite(a):
        raise DistributionError(f"dirichlet needs alpha > 0, got alpha={alpha!r}")
    t = _tier(tier)
    _check_size(m, d, t)
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(np.full(m**d, a))
    counts = np.rint(w * denominator).astype(np.int64)
    if counts.sum() == 0:
        counts[int(np.argmax(w))] = 1
    total = int(counts.sum())
    with t.active():
        if t.dtype is object:
            tot = t.scalar(total)
            cache: dict[int, Any] = {}
            arr = np.empty(counts.size, dtype=object)
            for i, c in enumerate(counts.tolist()):
                if c not in cache:
                    cache[c] = t.scalar(c) / tot
                arr[i] = cache[c]
        else:
            arr = counts / float(total)
    return _law(m, d, arr.reshape((m,) * d), t)


def mixture(laws: Sequence[Law], weights: Sequence[Any] | None = None, *, tier=None) -> Law:
    """Convex combination ``Σ_k w_k·laws[k]`` (default: equal weights).

    All laws must live on the same space.  The tier is ``tier`` or, if not
    given, the tier of the laws (which must then agree).

    >>> p = mixture([copy(2, 2), parity(2, odd=True)], ["1/4", "3/4"])
    >>> p.prob((0, 0)), p.prob((0, 1))
    (1/8, 3/8)
    >>> mixture([copy(2, 2), copy(2, 3)])
    Traceback (most recent call last):
    ...
    mdtheory.distributions.DistributionError: mixture needs laws on one space, got ProductSpace(m=2, d=2) and ProductSpace(m=2, d=3)
    """
    laws = list(laws)
    if not laws or not all(isinstance(p, Law) for p in laws):
        raise DistributionError("mixture needs a non-empty list of Law objects")
    for p in laws[1:]:
        if p.space != laws[0].space:
            raise DistributionError(f"mixture needs laws on one space, got {laws[0].space!r} and {p.space!r}")
    if tier is None:
        names = {p.tier for p in laws}
        if len(names) > 1:
            raise DistributionError(
                f"mixture got laws in different tiers ({', '.join(sorted(x.describe() for x in names))}); pass tier="
            )
        t = laws[0].tier
    else:
        t = _tier(tier)
    laws = [p.to_tier(t) for p in laws]
    if weights is None:
        with t.active():
            w = [t.one / t.scalar(len(laws))] * len(laws)
    else:
        w = list(_prob_vector(list(weights), t, "weights", "mixture", len(laws)))
    with t.active():
        out = laws[0].probs * w[0]
        for p, wk in zip(laws[1:], w[1:]):
            out = out + p.probs * wk
    return Law(laws[0].space, out, t, validate=False)


# ---------------------------------------------------------------------------------------------
# Gibbs laws on graphs
# ---------------------------------------------------------------------------------------------
def _per_item(value, items, name: str, who: str) -> dict:
    if isinstance(value, Mapping):
        out = {}
        for it in items:
            key = it if it in value else (tuple(reversed(it)) if isinstance(it, tuple) and tuple(reversed(it)) in value else None)
            out[it] = value[key] if key is not None else None
        missing = [it for it, v in out.items() if v is None]
        if missing:
            raise DistributionError(f"{who}: {name} has no value for {missing[0]!r}; give one per edge/node or a scalar")
        return out
    return {it: value for it in items}


def _gibbs(graph, q: int, edge_factor, node_factor, t: Tier, who: str) -> Law:
    """``P(x) ∝ Π_{uv} edge_factor[uv][x_u, x_v] · Π_v node_factor[v][x_v]`` (factors: tier arrays)."""
    nodes = list(graph.nodes)
    pos = {v: i for i, v in enumerate(nodes)}
    d = len(nodes)
    _check_size(q, d, t)
    with t.active():
        arr = t.ones((q,) * d)
        for (u, v), F in edge_factor.items():
            i, j = pos[u], pos[v]
            if i == j:
                raise DistributionError(f"{who}: the graph has a self-loop at {u!r}; remove it")
            shape = [1] * d
            if i < j:
                shape[i], shape[j] = q, q
                arr = arr * F.reshape(shape)
            else:
                shape[j], shape[i] = q, q
                arr = arr * F.T.reshape(shape)
        for v, f in node_factor.items():
            shape = [1] * d
            shape[pos[v]] = q
            arr = arr * f.reshape(shape)
        Z = t.total(arr)
        if t.is_float and not (np.isfinite(Z) and Z > 0 and np.isfinite(arr).all()):
            raise DistributionError(
                f"{who}: the Boltzmann weights overflow float64 (couplings or fields too large for exp); "
                "use tier='certified' or smaller couplings"
            )
        arr = arr / Z
    return _law(q, d, arr, t)


def _graph(graph, who: str):
    if not hasattr(graph, "nodes") or not hasattr(graph, "edges"):
        raise DistributionError(f"{who} needs a networkx graph, got {type(graph).__name__}")
    if graph.number_of_nodes() < 1:
        raise DistributionError(f"{who} needs a graph with at least one node")
    if graph.is_directed() or graph.is_multigraph():
        raise DistributionError(f"{who} needs a simple undirected networkx Graph; convert with nx.Graph(g)")
    return graph


def _need_exp(t: Tier, values, who: str):
    if t.is_exact and any(t.compare(t.scalar(v), t.zero) != 0 for v in values):
        raise NotExactError(
            f"{who}: Boltzmann weights exp(J·…) are irrational, so the exact tier cannot represent them; "
            "use tier='certified', or pass weights=True with rational Boltzmann weights"
        )


def ising(graph, coupling: Any = 1, field: Any = None, *, weights: bool = False, tier="exact") -> Law:
    """Ising model on a networkx graph; coordinate ``i`` is the ``i``-th node of ``graph.nodes``.

    With ``σ = 2x - 1 ∈ {-1, +1}`` (symbol 1 is spin up):

    * ``weights=False``: ``P(x) ∝ exp(Σ_{uv∈E} J_uv σ_u σ_v + Σ_v h_v σ_v)``
      (``coupling = J``, ``field = h``, default 0; scalars or dicts per edge / node).  Needs
      ``exp``, so in the exact tier only ``J = h = 0`` is allowed; otherwise
      :class:`~mdtheory.tiers.NotExactError` names the certified tier.
    * ``weights=True``: rational Boltzmann weights, exact in every tier:
      ``P(x) ∝ Π_{uv} w_uv^{[x_u = x_v]} · Π_v λ_v^{x_v}`` (``coupling = w > 0``,
      ``field = λ > 0``, default field 1).  This is the same law as the first form
      with ``w = e^{2J}``, ``λ = e^{2h}``.

    >>> import networkx as nx
    >>> p = ising(nx.path_graph(2), coupling=3, field=1, weights=True)
    >>> p.prob((0, 0)), p.prob((0, 1))
    (3/8, 1/8)
    >>> ising(nx.path_graph(2), coupling="1/2")
    Traceback (most recent call last):
    ...
    mdtheory.tiers.NotExactError: ising: Boltzmann weights exp(J·…) are irrational, so the exact tier cannot represent them; use tier='certified', or pass weights=True with rational Boltzmann weights
    """
    g = _graph(graph, "ising")
    t = _tier(tier)
    edges = list(g.edges)
    nodes = list(g.nodes)
    if field is None:
        field = 1 if weights else 0
    J = _per_item(coupling, edges, "coupling", "ising")
    h = _per_item(field, nodes, "field", "ising")
    with t.active():
        if weights:
            ef = {e: _pos_weight(J[e], t, "coupling", "ising") for e in edges}
            nf = {v: _pos_weight(h[v], t, "field", "ising") for v in nodes}
            E = {e: t.array([[w, t.one], [t.one, w]]) for e, w in ef.items()}
            N = {v: t.array([t.one, lam]) for v, lam in nf.items()}
        else:
            _need_exp(t, list(J.values()) + list(h.values()), "ising")
            E, N = {}, {}
            for e in edges:
                j = t.scalar(J[e])
                a, b = t.exp(j), t.exp(-j)
                E[e] = t.array([[a, b], [b, a]])
            for v in nodes:
                hv = t.scalar(h[v])
                N[v] = t.array([t.exp(-hv), t.exp(hv)])
    return _gibbs(g, 2, E, N, t, "ising")


def _pos_weight(w, t: Tier, name: str, who: str):
    try:
        v = t.scalar(w)
    except (TierError, TypeError, ValueError) as e:
        raise DistributionError(f"{who}: cannot read {name} weight {w!r} ({e})") from None
    if t.compare(v, t.zero) != 1:
        raise DistributionError(f"{who}: {name} weight {w!r} must be > 0 with weights=True (it is e^(2J) or e^(2h))")
    return v


def potts(graph, q: int, coupling: Any = 1, field: Any = None, *, weights: bool = False, tier="exact") -> Law:
    """``q``-state Potts model on a networkx graph (symbols ``0..q-1``, coordinate ``i`` = ``i``-th node).

    * ``weights=False``: ``P(x) ∝ exp(Σ_{uv} J_uv·[x_u = x_v] + Σ_v h_v[x_v])``;
      ``field`` is ``None`` or a length-``q`` vector (or a dict node → vector).
      Exact tier only for ``J = h = 0``.
    * ``weights=True``: ``P(x) ∝ Π_{uv} w_uv^{[x_u = x_v]} · Π_v λ_v[x_v]``
      with rational ``w = e^J > 0`` and vertex weights ``λ = e^h > 0``.

    ``ising(G, J, h) == potts(G, 2, 2J, (-h, h))``.

    >>> import networkx as nx
    >>> p = potts(nx.complete_graph(3), 3, coupling=2, weights=True)
    >>> p.prob((0, 0, 0)), p.prob((0, 1, 2))   # weights 8 and 1; Z = 3·8 + 18·2 + 6·1
    (4/33, 1/66)
    """
    g = _graph(graph, "potts")
    q = _int(q, "q", 2, "potts")
    t = _tier(tier)
    edges, nodes = list(g.edges), list(g.nodes)
    J = _per_item(coupling, edges, "coupling", "potts")
    if field is None:
        field = [1] * q if weights else [0] * q
    if isinstance(field, Mapping):
        h = _per_item(field, nodes, "field", "potts")
    else:
        h = {v: field for v in nodes}
    for v, vec in h.items():
        if len(list(vec)) != q:
            raise DistributionError(f"potts: field at node {v!r} has {len(list(vec))} entries, expected q={q}")
    with t.active():
        if weights:
            E = {}
            for e in edges:
                w = _pos_weight(J[e], t, "coupling", "potts")
                E[e] = t.array(np.where(np.eye(q, dtype=bool), w, t.one))
            N = {v: t.array([_pos_weight(x, t, "field", "potts") for x in h[v]]) for v in nodes}
        else:
            _need_exp(t, list(J.values()) + [x for vec in h.values() for x in vec], "potts")
            E = {}
            for e in edges:
                ew = t.exp(t.scalar(J[e]))
                E[e] = t.array(np.where(np.eye(q, dtype=bool), ew, t.one))
            N = {v: t.array([t.exp(t.scalar(x)) for x in h[v]]) for v in nodes}
    return _gibbs(g, q, E, N, t, "potts")
