"""Float fast paths of the mode products against the dense references (scipy ``expm``/``expm_multiply``).

Each structure the fast path reads off a kernel (diagonal plus rank one, circulant → FFT,
generic → batched BLAS) is exercised on a process that produces it, and compared with
the marginal computed from the full generator by scipy.
"""

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse.linalg as spla

import mdtheory._modeprod as modeprod
from mdtheory import Law, ProductSpace, generators
from mdtheory._modeprod import DiagonalPlusRankOne, float_mode_products, mode_product
from mdtheory.propagate import coordinate_kernels, forward
from mdtheory.tiers import get_tier

F = get_tier("float")


def _random_law(space, seed):
    w = np.random.default_rng(seed).random(space.size).reshape(space.shape)
    return Law(space, w / w.sum(), tier="float")


def _expm_multiply(law, gen, tau):
    return spla.expm_multiply(gen.sparse().T.tocsr() * tau, law.flat)


def _per_axis_reference(x, kernels):
    """Dense per-axis contraction with ``np.tensordot`` (independent of the fast path)."""
    out = x
    for k, K in enumerate(kernels):
        if K is None:
            continue
        out = np.moveaxis(np.tensordot(out, K, axes=([k], [0])), -1, k)
    return out


PROCESSES = {
    "masking (D·I + 1·cᵀ, one live column)": lambda: generators.masking(2, 5),
    "masking m=3": lambda: generators.masking(3, 4),
    "uniform (D·I + c·J)": lambda: generators.uniform(4, 4),
    "random walk m=2, asymmetric rates (2×2: rank-one form)": lambda: generators.random_walk(2, 6, 1, 3),
    "random walk m=3 symmetric (rank-one form)": lambda: generators.random_walk(3, 5, 1, 1),
    "random walk m=4 asymmetric (generic: BLAS)": lambda: generators.random_walk(4, 4, 1, 2),
    "random walk m=5 symmetric (generic: BLAS)": lambda: generators.random_walk(5, 4, 1, 1),
    "random walk m=9 (circulant: FFT)": lambda: generators.random_walk(9, 3, 1, 1),
    "random walk m=8, asymmetric (circulant: FFT)": lambda: generators.random_walk(8, 3, 2, 1),
}


@pytest.mark.parametrize("rotate", [True, False], ids=["rotating-BLAS", "in-place"])
@pytest.mark.parametrize("name", list(PROCESSES))
def test_forward_float_fast_path_matches_expm_multiply(name, rotate, monkeypatch):
    monkeypatch.setattr(modeprod, "ROTATE", rotate)
    gen = PROCESSES[name]()
    law = _random_law(gen.space, seed=len(name))
    for tau in (0.05, 0.7, 3.0):
        fast = forward(law, gen, tau=tau, tier="float").flat
        ref = _expm_multiply(law, gen, tau)
        assert np.max(np.abs(fast - ref)) < 1e-12, (name, tau)
        assert abs(fast.sum() - 1) < 1e-12


def test_forward_float_fast_path_matches_dense_expm():
    gen = generators.random_walk(3, 3, 1, 2)  # asymmetric m=3: generic path
    law = _random_law(gen.space, seed=3)
    fast = forward(law, gen, tau=0.9, tier="float").flat
    ref = law.flat @ scipy.linalg.expm(gen.dense("float") * 0.9)
    assert np.max(np.abs(fast - ref)) < 1e-13


def test_masking_from_data_law_matches_expm_multiply():
    gen = generators.masking(3, 4)
    w = np.random.default_rng(1).random(3**4)
    law = Law(ProductSpace(3, 4), w / w.sum(), tier="float")
    fast = forward(law, gen, alpha=0.3, tier="float")
    ref = _expm_multiply(law.to_masked(), gen, -np.log(0.3))
    assert np.max(np.abs(fast.flat - ref)) < 1e-13


@pytest.mark.parametrize("alpha", [0.0, 1e-5, 0.5, 1.0])
def test_masking_extreme_alpha(alpha):
    """Tiny diagonal shifts are applied directly (not factored out); α = 0 masks everything."""
    gen = generators.masking(2, 6)
    law = _random_law(gen.space, seed=7)
    ks = coordinate_kernels(gen, "float", alpha=alpha)
    fast = float_mode_products(law.probs, ks)
    ref = _per_axis_reference(law.probs, ks)
    assert np.max(np.abs(fast - ref)) < 1e-14
    if alpha == 0.0:
        assert fast.reshape(-1)[-1] == pytest.approx(1.0)


def test_scale_flush_keeps_values(monkeypatch):
    """The pending product of diagonal shifts is applied early when it gets small (no underflow)."""
    monkeypatch.setattr(modeprod, "_FLUSH_SCALE_BELOW", 0.1)
    monkeypatch.setattr(modeprod, "ROTATE", False)
    gen = generators.uniform(3, 6)
    law = _random_law(gen.space, seed=2)
    ks = coordinate_kernels(gen, "float", alpha=0.2)
    assert DiagonalPlusRankOne.of(ks[0]).D == pytest.approx(0.2)
    fast = float_mode_products(law.probs, ks)
    assert np.max(np.abs(fast - _per_axis_reference(law.probs, ks))) < 1e-14


def test_mixed_and_skipped_kernels_do_not_touch_the_input(monkeypatch):
    monkeypatch.setattr(modeprod, "FFT_MIN_SIZE", 8)
    rng = np.random.default_rng(5)
    x = rng.random((3, 4, 9, 2))
    keep = x.copy()
    K0 = rng.random((3, 3))  # generic
    K2 = coordinate_kernels(generators.random_walk(9, 1, 1, 1), "float", tau=0.4)[0]  # circulant, with others
    K3 = np.array([[0.3, 0.7], [0.6, 0.4]])  # 2×2: rank-one form
    ks = [K0, None, K2, K3]
    fast = float_mode_products(x, ks)
    assert np.array_equal(x, keep)
    assert np.max(np.abs(fast - _per_axis_reference(x, ks))) < 1e-13
    assert np.array_equal(float_mode_products(x, [None] * 4), x)


@pytest.mark.parametrize("m, rates", [(9, (1, 1)), (8, (2, 1))])
def test_fft_path_matches_expm_multiply(m, rates, monkeypatch):
    monkeypatch.setattr(modeprod, "FFT_MIN_SIZE", 8)  # the FFT path at a testable size
    gen = generators.random_walk(m, 3, *rates)
    law = _random_law(gen.space, seed=m)
    for tau in (0.05, 0.7, 3.0):
        fast = forward(law, gen, tau=tau, tier="float").flat
        assert np.max(np.abs(fast - _expm_multiply(law, gen, tau))) < 1e-12


def test_fft_path_with_skipped_axes(monkeypatch):
    monkeypatch.setattr(modeprod, "FFT_MIN_SIZE", 8)
    K = coordinate_kernels(generators.random_walk(8, 1, 2, 1), "float", tau=0.3)[0]
    x = np.random.default_rng(0).random((8, 8, 8))
    for ks in ([K, None, K], [None, None, K], [K, K, None]):
        fast = float_mode_products(x, ks)
        assert np.max(np.abs(fast - _per_axis_reference(x, ks))) < 1e-13


def test_structure_detection():
    a = 0.37
    mask = np.array([[a, 0, 1 - a], [0, a, 1 - a], [0, 0, 1.0]])
    f = DiagonalPlusRankOne.of(mask)
    assert f.D == pytest.approx(a) and list(f.c) == pytest.approx([0, 0, 1 - a])
    assert DiagonalPlusRankOne.of(np.array([[0.5, 0.3, 0.2], [0.1, 0.5, 0.4], [0.3, 0.3, 0.4]])) is None
    assert modeprod._circulant_symbol(mask) is None
    circ = np.array([[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.3, 0.2, 0.5]])
    assert list(modeprod._circulant_symbol(circ)) == [0.5, 0.3, 0.2]


def test_single_mode_product_float_is_a_matrix_product():
    rng = np.random.default_rng(4)
    x = rng.random((2, 3, 5))
    K = rng.random((3, 4))  # rectangular
    out = mode_product(x, K, 1, F)
    assert out.shape == (2, 4, 5)
    assert np.allclose(out, np.einsum("aib,ij->ajb", x, K))
    out = mode_product(x, rng.random((5, 2)), 2, F)
    assert out.shape == (2, 3, 2)


@pytest.mark.parametrize("make", [lambda: generators.masking(2, 10), lambda: generators.uniform(3, 10),
                                  lambda: generators.random_walk(2, 16, 1, 2), lambda: generators.random_walk(5, 7, 1, 1)],
                         ids=["masking", "uniform", "walk-m2", "walk-m5-generic"])
def test_tail_transpose_path_matches_expm_multiply(make, monkeypatch):
    """Large tensors apply their trailing axes after one transpose; both layouts agree with scipy."""
    monkeypatch.setattr(modeprod, "ROTATE", False)
    gen = make()
    law = _random_law(gen.space, seed=11)
    ks = coordinate_kernels(gen, "float", tau=0.6)
    assert modeprod._tail_start(law.probs.shape, ks) < gen.d  # the transposed path is taken
    fast = forward(law, gen, tau=0.6, tier="float").flat
    assert np.max(np.abs(fast - _expm_multiply(law, gen, 0.6))) < 1e-12
    monkeypatch.setattr(modeprod, "TAIL_TRANSPOSE", False)
    plain = forward(law, gen, tau=0.6, tier="float").flat
    assert np.max(np.abs(fast - plain)) < 1e-15


def test_rotating_path_mixed_sizes_against_tensordot_and_in_place(monkeypatch):
    """Kernels of sizes 4, 5, 6 (one BLAS product per axis, axes rotated) on a non-contiguous input."""
    rng = np.random.default_rng(11)
    ks = [rng.random((n, n)) for n in (4, 5, 6, 4)]
    x = rng.random((4, 6, 5, 4)).transpose(0, 2, 1, 3)  # a strided view: shape (4, 5, 6, 4)
    ref = _per_axis_reference(x, ks)
    fast = float_mode_products(x, ks)
    assert fast.shape == x.shape and np.max(np.abs(fast - ref)) < 1e-12 * np.max(np.abs(ref))
    again = float_mode_products(x, ks)  # borrowed buffers reused: same result, input untouched
    assert np.array_equal(fast, again) and np.max(np.abs(float_mode_products(x, ks) - ref)) < 1e-10
    monkeypatch.setattr(modeprod, "ROTATE", False)  # the in-place / batched path
    assert np.max(np.abs(float_mode_products(x, ks) - ref)) < 1e-12 * np.max(np.abs(ref))
    ks[2] = ks[2] + 0.01  # a perturbed kernel is seen
    assert np.max(np.abs(float_mode_products(x, ks) - fast)) > 1e-6


@pytest.mark.parametrize("sizes", [(3,) * 5, (2,) * 7, (3, 5, 2), (9,), (2, 2, 2, 3)])
def test_grouped_kernels_are_kronecker_products_of_consecutive_axes(sizes):
    rng = np.random.default_rng(len(sizes))
    ks = [rng.random((n, n)) for n in sizes]
    groups = modeprod._grouped(ks)
    assert all(G.shape[0] >= modeprod.ROTATE_MIN_SIZE for G in groups) or len(sizes) == 1
    assert int(np.prod([G.shape[0] for G in groups])) == int(np.prod(sizes))
    x = rng.random(sizes)
    ref = _per_axis_reference(x, ks)
    assert np.max(np.abs(float_mode_products(x, ks) - ref)) < 1e-12 * np.max(np.abs(ref))
