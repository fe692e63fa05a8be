"""sweep(): grid order, records, the same table on every executor."""

from __future__ import annotations

from fractions import Fraction

import pytest

from proofs_check.claim import ProofsCheckError
from proofs_check.sweeps import grid_points, sweep


def euler_tv_copy_pairs(d, steps):
    """Exact TV of Euler on copy-pairs (a real exact computation, small)."""
    from mdtheory import distributions, samplers
    from mdtheory.schedules import LinearClock

    law = distributions.copy_pairs(2, d)
    out = samplers.euler(law, clock=LinearClock(), T=1, steps=steps, delta=0, tier="exact")
    return {"tv": Fraction(str(out.tv()))}


def test_grid_points_product_and_list():
    assert grid_points({"a": [1, 2], "b": [3, 4]}) == [{"a": 1, "b": 3}, {"a": 1, "b": 4}, {"a": 2, "b": 3},
                                                       {"a": 2, "b": 4}]
    assert grid_points([{"x": 1}, {"x": 0}]) == [{"x": 1}, {"x": 0}]
    with pytest.raises(ProofsCheckError):
        grid_points([1, 2])


def test_records_keep_grid_order_and_values():
    t = sweep(lambda k: k * k, {"k": [3, 1, 2]})
    assert t == [{"k": 3, "value": 9}, {"k": 1, "value": 1}, {"k": 2, "value": 4}]
    assert t.column("value") == [9, 1, 4]
    with pytest.raises(ProofsCheckError):
        sweep(lambda k: {"k": 0}, {"k": [1]})


def test_pool_gives_the_serial_table():
    grid = {"d": [2, 4], "steps": [2, 4]}
    serial = sweep(euler_tv_copy_pairs, grid)
    assert all(0 < r["tv"] < 1 for r in serial)
    assert sweep(euler_tv_copy_pairs, grid, jobs=2) == serial


@pytest.mark.slow
def test_local_cluster_gives_the_serial_table():
    pytest.importorskip("distributed")
    grid = {"d": [2, 4], "steps": [2, 4]}
    assert sweep(euler_tv_copy_pairs, grid, cluster="local:2") == sweep(euler_tv_copy_pairs, grid)
