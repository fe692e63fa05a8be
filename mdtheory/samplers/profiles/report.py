"""Comparison of profiles: exact TV, KL and model evaluations in one table, and TV sweeps over steps."""

from __future__ import annotations

import math
from dataclasses import dataclass


from ...laws import Law
from ...masked_scores import MaskedEstimator
from ._base import _float, get, names


@dataclass
class ComparisonReport:
    """Exact TV and KL to the data law of several profiles, with their model evaluations.

    ``rows`` are dicts with ``profile, steps, nfe, tv, kl, leftover, off_support, tier, seconds,
    result`` (tier scalars, ``math.inf`` for an infinite KL; ``tier`` the :class:`~mdtheory.tiers.Tier`
    of the run).  :meth:`markdown` and :meth:`latex`
    render them; every number names its tier.

    >>> from mdtheory.distributions import copy_pairs
    >>> rep = compare(copy_pairs(2, 2), 2, ["llada.random"], kl=False)
    >>> rep.table()[1][:4]
    ['llada.random', '2', '2', '0 (exact)']
    """

    law_name: str
    rows: list

    def _fmt(self, row, key):
        v = row[key]
        t = row["tier"]
        if v is math.inf:
            return "∞"
        if key == "nfe" and not isinstance(v, int):
            return f"E={_float(v):.4g}"
        if isinstance(v, (int, str)):
            return str(v)
        if t.is_exact:
            return f"{t.to_float(v):.6g} (exact)" if key == "tv" else f"{_float(v):.6g}"
        return f"{t.to_float(v):.6g}"

    def table(self) -> list[list[str]]:
        head = ["profile", "steps", "NFE", "TV", "KL(data‖out)", "leftover masks", "off-support", "tier", "s"]
        body = []
        for r in self.rows:
            body.append([r["profile"], str(r["steps"]), self._fmt(r, "nfe"), self._fmt(r, "tv"),
                         "—" if r["kl"] is None else "∞" if r["kl"] is math.inf else f"{_float(r['kl']):.6g}",
                         f"{_float(r['leftover']):.3g}", f"{_float(r['off_support']):.3g}", r["tier"].describe(),
                         f"{r['seconds']:.2f}"])
        return [head] + body

    def markdown(self) -> str:
        """Markdown table (TV exact values shown as floats with their tier)."""
        rows = self.table()
        out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(out)

    def latex(self) -> str:
        """LaTeX booktabs table."""
        rows = self.table()
        esc = lambda s: s.replace("_", r"\_").replace("‖", r"\|").replace("∞", r"$\infty$")  # noqa: E731
        lines = [r"\begin{tabular}{l" + "r" * (len(rows[0]) - 1) + "}", r"\toprule",
                 " & ".join(esc(c) for c in rows[0]) + r" \\", r"\midrule"]
        lines += [" & ".join(esc(c) for c in r) + r" \\" for r in rows[1:]]
        lines += [r"\bottomrule", r"\end{tabular}"]
        return "\n".join(lines)


def compare(law: Law, steps: int, profiles=None, estimator: MaskedEstimator | None = None, *,
            law_name: str = "data", kl: bool = True, prec: int = 128, options: dict | None = None) -> ComparisonReport:
    """Run every profile (default: all) on ``law`` with ``steps`` and tabulate TV, KL and NFE.

    Masked profiles run in the law's tier (exact rationals for exact laws);
    ``campbell.tau_leaping`` runs in the certified tier at ``prec`` bits (with an ``estimator`` it
    is left out of the default list; asked for by name it raises, as it takes the exact denoiser
    only).  ``options`` maps a profile name to its option overrides.

    >>> from mdtheory.distributions import copy_pairs
    >>> rep = compare(copy_pairs(2, 2), 4, ["dream.origin", "bd3lm.fhs"], kl=False)
    >>> [(r["profile"], r["nfe"], r["tv"]) for r in rep.rows]
    [('dream.origin', 4, 1000003/8000000), ('bd3lm.fhs', 2, 0)]
    """
    names_ = names() if profiles is None else list(profiles)
    rows = []
    for nm in names_:
        p = get(nm)
        if estimator is not None and nm == "campbell.tau_leaping" and profiles is None:  # exact denoiser only
            continue
        kw = dict((options or {}).get(nm, {}))
        if nm == "campbell.tau_leaping":
            kw.setdefault("prec", prec)
        res = p.run(law, steps, estimator, **kw)
        with res.tier.active():
            tvv = res.tv()
            klv = res.kl(prec=prec) if kl else None
        rows.append({"profile": nm, "steps": steps, "nfe": res.info["nfe"], "tv": tvv, "kl": klv,
                     "leftover": res.leftover_mask_mass, "off_support": res.off_support_mass,
                     "tier": res.tier, "seconds": res.info["seconds"],
                     "result": res})
    return ComparisonReport(law_name, rows)


def sweep(law: Law, steps_list, profiles=None, estimator: MaskedEstimator | None = None, *, prec: int = 64) -> dict:
    """Exact TV and NFE of each profile for every number of steps: ``{name: [(steps, nfe, tv), ...]}``.

    ``tv`` is a tier scalar (exact rational, or a certified ball for τ-leaping); ``nfe`` an int
    or the exact expected value (``mdlm.ddpm_cache``).

    >>> from mdtheory.distributions import copy_pairs
    >>> s = sweep(copy_pairs(2, 2), [1, 2], ["bd3lm.fhs", "llada.random"])
    >>> [(n, nfe, str(v)) for n, nfe, v in s["llada.random"]]    # N = 1 reveals the pair at once
    [(1, 1, '1/2'), (2, 2, '0')]
    """
    out: dict = {}
    for nm in (names() if profiles is None else list(profiles)):
        if estimator is not None and nm == "campbell.tau_leaping" and profiles is None:  # exact denoiser only
            continue
        kw = {"prec": prec} if nm == "campbell.tau_leaping" else {}
        rows = []
        for N in steps_list:
            r = get(nm).run(law, N, estimator, **kw)
            with r.tier.active():
                rows.append((int(N), r.info["nfe"], r.tv()))
        out[nm] = rows
    return out
