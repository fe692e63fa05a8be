"""Plots of mdtheory results (matplotlib is optional: imported only when a plot is drawn).

The library core never imports matplotlib; notebooks and reports call these functions.

>>> from mdtheory import plotting
>>> plotting.plot_sweep.__name__
'plot_sweep'
"""

from __future__ import annotations

from flint import arb

from .tiers import MdtheoryError

__all__ = ["PlottingError", "plot_sweep"]


class PlottingError(MdtheoryError):
    """A plot that cannot be drawn (bad option, or matplotlib missing).

    >>> issubclass(PlottingError, ValueError)
    True
    """


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise PlottingError("plotting needs matplotlib; pip install matplotlib") from None
    return plt


def _float(v) -> float:
    """A number to plot: a ball's midpoint, an exact value rounded, ``math.inf`` kept."""
    return float(v.mid()) if isinstance(v, arb) else float(v)


def plot_sweep(data: dict, ax=None, *, x: str = "steps", floor: float = 1e-6, title: str = ""):
    """Log–log plot of the exact TV against steps (``x='steps'``) or model evaluations (``x='nfe'``).

    ``data`` is :func:`mdtheory.samplers.profiles.sweep`'s result.  Zeros are drawn at ``floor``;
    returns the matplotlib axes.

    >>> from mdtheory.distributions import copy_pairs
    >>> from mdtheory.samplers import profiles
    >>> ax = plot_sweep(profiles.sweep(copy_pairs(2, 2), [1, 2], ["llada.random"]))  # doctest: +SKIP
    >>> plot_sweep({}, x="time")
    Traceback (most recent call last):
    ...
    mdtheory.plotting.PlottingError: x='time'; use 'steps' or 'nfe'
    """

    if x not in ("steps", "nfe"):
        raise PlottingError(f"x={x!r}; use 'steps' or 'nfe'")
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for i, (nm, rows) in enumerate(data.items()):
        xs = [r[0] if x == "steps" else _float(r[1]) if not isinstance(r[1], int) else r[1] for r in rows]
        ys = [max(_float(r[2]), floor) for r in rows]
        adaptive = nm.startswith(("llada", "dream.maskgit", "dream.topk", "dream.entropy"))
        ax.loglog(xs, ys, marker="o", ms=3, ls="--" if adaptive else "-", label=nm,
                  color=plt.cm.tab20(i % 20))
    ax.set_xlabel("steps N" if x == "steps" else "model evaluations (NFE)")
    ax.set_ylabel(f"exact TV(data, output) (0 drawn at {floor:g})")
    if title:
        ax.set_title(title)
    return ax
