"""Running claims: plan the tasks, reuse stored results, compute the rest (serially or in a pool).

A *task* is one claim on one instance (or one counterexample search) with its
parameters and tier request.  :func:`run_tasks` looks every task up in the
:class:`~proofs_check.store.Store`, computes the missing ones — in this
process or in a pool of ``jobs`` worker processes, with identical results — and
commits each result as soon as it is finished, so Ctrl-C or a crash loses at
most the results in flight.  Refutations get their witness written to a JSON
file (atomically) that ``proofs-check replay`` re-checks.

>>> from proofs_check.registry import default_registry
>>> reg = default_registry()
>>> tasks = plan(reg.select(["FD-M2"]), size="small")
>>> len(tasks) > 0, tasks[0].claim_id, tasks[0].tier
(True, 'FD-M2', 'exact')
>>> results = run_tasks(tasks, store=None)
>>> {r.verdict.value for r in results}
{'proved'}
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .claim import SIZES, CheckResult, Claim, ParamError, ProofsCheckError, canonical_json
from .evaluate import code_version, evaluate, result_key
from .executors import WorkerLost, available_cores, open_executor
from .registry import default_registry
from ._io import atomic_write

__all__ = ["Task", "plan", "plan_controls", "parse_param_args", "run_tasks", "run_claims", "default_jobs",
           "Interrupted"]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run; ``done`` results were saved."""

    def __init__(self, done: int, total: int):
        super().__init__(f"interrupted after {done} of {total} results")
        self.done, self.total = done, total


@dataclass
class Task:
    position: int
    claim_id: str
    params: dict  # JSON form
    instance: dict
    tier: str
    prec: int | None
    max_prec: int | None
    key: str
    search: dict | None = None  # {'seed':..., 'budget':...} for a counterexample search
    extra_modules: tuple = field(default=())
    plan_error: str | None = None  # the instance generator failed: the task reports this error
    control: str | None = None  # a (non-inline) control of the claim instead of the claim itself

    @property
    def tier_request(self) -> str:
        return f"{self.tier}:{self.prec}:{self.max_prec}" + (f":search{canonical_json(self.search)}" if self.search else "")


def parse_param_args(items: Sequence[str]) -> tuple[dict, dict]:
    """``['C=2', 'SR-T1.kappa=1/4']`` → ``({'C': '2'}, {'SR-T1': {'kappa': '1/4'}})``.

    >>> parse_param_args(["C=2", "FD-E1.j=2"])
    ({'C': '2'}, {'FD-E1': {'j': '2'}})
    >>> parse_param_args(["C"])
    Traceback (most recent call last):
    ...
    proofs_check.claim.ParamError: --param expects NAME=VALUE or CLAIM.NAME=VALUE, got 'C'
    """
    glob: dict = {}
    per: dict = {}
    for it in items:
        if "=" not in it or not it.split("=", 1)[0].strip():
            raise ParamError(f"--param expects NAME=VALUE or CLAIM.NAME=VALUE, got {it!r}")
        k, v = (s.strip() for s in it.split("=", 1))
        if "." in k:
            cid, name = k.rsplit(".", 1)
            per.setdefault(cid, {})[name] = v
        else:
            glob[k] = v
    return glob, per


def _claim_params(claims: Sequence[Claim], params: Mapping | None, per_claim: Mapping | None,
                  search: bool = False) -> dict:
    params, per_claim = dict(params or {}), dict(per_claim or {})
    known = {p.name for c in claims for p in c.params}
    for k in params:
        if k not in known:
            have = ", ".join(sorted(known)) or "none"
            raise ParamError(f"no selected claim has a parameter {k!r} (parameters: {have}); see `proofs-check show ID`")
    ids = {c.id for c in claims}
    for cid in per_claim:
        if cid not in ids:
            raise ParamError(f"--param for claim {cid!r}, which is not selected in this run")
    out = {}
    for c in claims:
        mine = {k: v for k, v in params.items()
                if any(p.name == k and (search or not p.search_only) for p in c.params)}
        mine.update(per_claim.get(c.id, {}))
        try:
            out[c.id] = c.parse_params(mine)
        except ParamError as e:
            raise ParamError(f"{c.id}: {e}") from None
        if not search:
            used = [k for k in per_claim.get(c.id, {}) if c.param(k).search_only]
            if used:
                raise ParamError(f"{c.id}: parameter {used[0]!r} is used only by --search (no instance of a plain run "
                                 f"sees it); add --search or drop --param {used[0]}")
    if not search:
        unused = [k for k in params if all(c.param(k).search_only for c in claims if any(p.name == k for p in c.params))]
        if unused:
            raise ParamError(f"parameter {unused[0]!r} is used only by --search in the selected claims; "
                             "add --search or drop it")
    return out


def plan(
    claims: Sequence[Claim],
    size: str = "small",
    tier: str | None = None,
    prec: int | None = None,
    max_prec: int | None = None,
    params: Mapping | None = None,
    per_claim: Mapping | None = None,
    search: dict | None = None,
    extra_modules: Sequence[str] = (),
) -> list[Task]:
    """The tasks of a run (instances of each claim, or one search per searchable claim)."""
    if tier is not None:
        from mdtheory.tiers import get_tier

        get_tier(tier)  # one-line error for an unknown tier
    if prec is not None and int(prec) < 16:
        raise ProofsCheckError(f"--prec must be at least 16 bits, got {prec}")
    if size not in SIZES:
        raise ProofsCheckError(f"unknown instance size {size!r}; choose one of {', '.join(SIZES)}")
    if search is not None and search.get("method") == "hypothesis":
        try:
            import hypothesis  # noqa: F401
        except ImportError:
            raise ProofsCheckError("--search-method hypothesis needs the hypothesis package: pip install hypothesis") from None
    all_params = _claim_params(claims, params, per_claim, search is not None)
    tasks: list[Task] = []
    for c in claims:
        p = all_params[c.id]
        t = tier or c.default_tier
        mp = max_prec or c.max_prec
        if search is not None:
            if c.family is None or c.kind == "rate":
                continue
            inst = {"name": f"search({search.get('method', 'hill')}, seed={search['seed']}, budget={search['budget']})"}
            key = result_key(c, p, dict(inst, search=search), f"{t}:{prec}:{mp}")
            tasks.append(Task(len(tasks), c.id, c.dump_params(p), inst, t, prec, mp, key, dict(search), tuple(extra_modules)))
            continue
        try:
            instances = c.make_instances(size, p)
            if not instances:
                raise ValueError(f"the instance generator gave no {size} instances")
        except Exception as e:  # one broken generator must not stop the other claims
            inst = {"name": "(instance generator)"}
            key = result_key(c, p, dict(inst, size=size), f"{t}:{prec}:{mp}")
            msg = f"{type(e).__name__}: {e}".splitlines()[0]
            tasks.append(Task(len(tasks), c.id, c.dump_params(p), inst, t, prec, mp, key, None,
                              tuple(extra_modules), plan_error=msg))
            continue
        for inst in instances:
            key = result_key(c, p, inst, f"{t}:{prec}:{mp}")
            tasks.append(Task(len(tasks), c.id, c.dump_params(p), inst, t, prec, mp, key, None, tuple(extra_modules)))
    return tasks


# -- workers -------------------------------------------------------------------------------------------
def _execute(task: Task, claims_by_id: Mapping | None = None) -> CheckResult:
    claim = (claims_by_id or {}).get(task.claim_id) or default_registry(task.extra_modules).get(task.claim_id)
    if task.plan_error is not None:
        return CheckResult(task.claim_id, task.instance["name"], "error", task.tier, tier_name=task.tier,
                           message=task.plan_error, params=dict(task.params), provenance=claim.provenance.value,
                           paper={"short": claim.paper.short, "arxiv": claim.paper.arxiv, "title": claim.paper.title},
                           code_version=code_version(claim))
    params = claim.parse_params(task.params)
    if task.search is not None:
        from .search import search

        return search(claim, params, task.tier, budget=int(task.search["budget"]), seed=int(task.search["seed"]),
                      prec=task.prec, max_prec=task.max_prec, method=task.search.get("method", "hill"))
    return evaluate(claim, task.instance, params, task.tier, task.prec, task.max_prec, control=task.control)


# -- progress ------------------------------------------------------------------------------------------------
class _Silent:
    """The display of a run nobody watches (see :class:`proofs_check.display.RunDisplay` for the real one)."""

    def result(self, r: CheckResult) -> None:
        pass

    def close(self) -> None:
        pass


# -- running -------------------------------------------------------------------------------------------------------
def _result_or_error(fut, task: Task) -> CheckResult:
    """The result of a finished future; a lost worker becomes an ``error`` result of that task."""
    try:
        return fut.result()
    except WorkerLost as e:
        claim = default_registry(task.extra_modules).get(task.claim_id)
        return CheckResult(task.claim_id, task.instance.get("name", "?"), "error", task.tier, tier_name=task.tier,
                           message=str(e), params=dict(task.params), provenance=claim.provenance.value,
                           paper={"short": claim.paper.short, "arxiv": claim.paper.arxiv, "title": claim.paper.title},
                           code_version=code_version(claim))


def _save_witness(r: CheckResult, witness_dir: str | None, key: str) -> None:
    if r.witness is None or witness_dir is None:
        return
    path = os.path.join(witness_dir, f"{r.claim_id}-{key[:10]}.json")
    atomic_write(path, json.dumps(r.witness, indent=2, sort_keys=True) + "\n")
    r.witness_path = path


def run_tasks(
    tasks: Sequence[Task],
    store=None,
    run_id: int | None = None,
    jobs: int = 1,
    witness_dir: str | None = None,
    recompute: bool = False,
    progress=None,
    executor=None,
    claims_by_id: Mapping | None = None,
) -> list[CheckResult]:
    """Compute (or fetch from ``store``) every task; results in task order.

    ``executor`` (from :func:`proofs_check.executors.open_executor`: a local pool or a Dask cluster) computes
    the tasks when given, and is left open; otherwise ``jobs > 1`` opens a local pool for this call.
    ``claims_by_id`` lets a serial run use claim objects that are not in the registry (workers always look
    claims up in the registry).  ``progress`` receives each result as it arrives (``.result(r)``) and
    ``.close()`` at the end, e.g. a :class:`proofs_check.display.RunDisplay`.  Raises :class:`Interrupted`
    on Ctrl-C after committing what finished.
    """
    results: list[CheckResult | None] = [None] * len(tasks)
    todo: list[Task] = []
    prog = progress or _Silent()
    for i, t in enumerate(tasks):
        cached = None if (store is None or recompute) else store.get(t.key)
        if cached is not None:
            results[i] = cached
            if run_id is not None:
                store.link(run_id, t.key, t.position)
            prog.result(cached)
        else:
            todo.append(t)
    index = {id(t): i for i, t in enumerate(tasks)}
    finished = 0
    deferred: list[Task] = []  # claimed by another live run on the same store: wait for its result

    def finish(t: Task, r: CheckResult) -> None:
        nonlocal finished
        _save_witness(r, witness_dir, t.key)
        if store is not None:
            store.put(t.key, r, run_id, t.tier_request, t.position)
        results[index[id(t)]] = r
        finished += 1
        prog.result(r)

    def take_stored(t: Task) -> None:
        nonlocal finished
        r = store.get(t.key)
        store.link(run_id, t.key, t.position) if run_id is not None else None
        results[index[id(t)]] = r
        finished += 1
        prog.result(r)

    def mine(t: Task) -> bool:
        """Claim ``t`` in the store; a task another run finished or is computing is not ours."""
        if store is None:
            return True
        state = store.claim(t.key, run_id, force=recompute)
        if state == "done":
            take_stored(t)
        elif state == "taken":
            deferred.append(t)
        return state == "mine"

    try:
        ex = executor
        if ex is None and len(todo) > 1:
            ex = open_executor(jobs, None, todo[0].extra_modules, len(todo))
        if ex is None or len(todo) <= 1:
            for t in todo:
                if mine(t):
                    finish(t, _execute(t, claims_by_id))
        else:
            try:
                futs = {ex.submit(_execute, t): t for t in todo if mine(t)}
                for f in cf.as_completed(futs):
                    finish(futs[f], _result_or_error(f, futs[f]))
            except BaseException:
                ex.close(kill=True)
                raise
            else:
                if executor is None:
                    ex.close()
        while deferred:  # another run is computing these: take its results, or the tasks if it died
            for t in list(deferred):
                deferred.remove(t)
                if mine(t):
                    finish(t, _execute(t, claims_by_id))
            if deferred:
                time.sleep(0.2)
    except KeyboardInterrupt:
        prog.close()
        if store is not None:
            store.release(t.key for t in todo)
        raise Interrupted(len(tasks) - len(todo) + finished, len(tasks)) from None
    prog.close()
    return [r for r in results if r is not None]


# -- controls --------------------------------------------------------------------------------------------------------
def default_jobs(n_tasks: int | None = None) -> int:
    """Worker processes when ``--jobs`` is not given: the available cores, at most one per task."""
    cores = available_cores()
    return max(1, min(cores, n_tasks if n_tasks is not None else cores))


def _claim_results(claim_id: str, results: Sequence[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.claim_id == claim_id and not r.control]


def plan_controls(
    claims: Sequence[Claim],
    results: Sequence[CheckResult],
    stage: int = 1,
    tier: str | None = None,
    prec: int | None = None,
    max_prec: int | None = None,
    extra_modules: Sequence[str] = (),
    start: int = 0,
) -> list[Task]:
    """The control tasks of a run after its claim results (``stage`` 1) or after stage 1 (``stage`` 2).

    Stage 1 checks every non-inline control on one instance: for a hand-written
    control the claim's instance with the smallest margin, for a "past sharp"
    control the instance attaining the sharp value (at the value 10% past it).
    Stage 2 checks the controls that survived stage 1 on the remaining
    instances.  A "past sharp" control without a value to try (the claim
    never depends on the parameter) gets no task; it counts as surviving
    (:func:`proofs_check.sharpness.control_notes` says why).
    """
    from .sharpness import aggregate, past_sharp_value

    tasks: list[Task] = []
    for c in claims:
        mine = _claim_results(c.id, results)
        base = [r for r in mine if r.verdict.value not in ("error",) and r.instance.get("name") is not None]
        if not base:
            continue
        t = tier or c.default_tier
        mp = max_prec or c.max_prec
        sharp = {e["param"]: e for e in aggregate(c, mine)} if c.sharp else {}
        for ctl in c.all_controls():
            if ctl.inline:
                continue
            done = [r for r in results if r.claim_id == c.id and r.control == ctl.name]
            if stage == 2 and (not done or any(r.verdict.value in ("refuted", "fails-approx", "inconsistent")
                                               for r in done)):
                continue
            params = c.parse_params(base[0].params)
            if ctl.sharp is not None:
                entry = sharp.get(ctl.sharp, {})
                v, why = past_sharp_value(c, entry) if entry else (None, "no sharp bracket")
                if v is None:
                    continue
                params[ctl.sharp] = v
                first = [r for r in base if r.instance_id == entry.get("instance")] or base[:1]
            else:
                with_m = [r for r in base if r.margin_float is not None and r.margin_float == r.margin_float]
                first = [min(with_m, key=lambda r: r.margin_float)] if with_m else base[:1]
            if stage == 1:
                chosen = first
            else:
                seen = {r.instance_id for r in done}
                chosen = [r for r in base if r.instance_id not in seen]
            for r in chosen:
                inst = dict(r.instance)
                key = result_key(c, params, inst, f"{t}:{prec}:{mp}", control=ctl.name)
                tasks.append(Task(start + len(tasks), c.id, c.dump_params(params), inst, t, prec, mp, key, None,
                                  tuple(extra_modules), control=ctl.name))
    return tasks


def run_claims(
    claims: Sequence[Claim],
    size: str = "small",
    tier: str | None = None,
    prec: int | None = None,
    max_prec: int | None = None,
    params: Mapping | None = None,
    per_claim: Mapping | None = None,
    store=None,
    run_id: int | None = None,
    jobs: int | None = None,
    witness_dir: str | None = None,
    recompute: bool = False,
    progress=None,
    extra_modules: Sequence[str] = (),
    controls: bool = True,
    cluster: str | None = None,
    tasks: Sequence[Task] | None = None,
) -> list[CheckResult]:
    """Run claims and then their controls (two stages, see :func:`plan_controls`) on one executor.

    Returns the claim results, then the control results.  ``jobs=None`` uses :func:`default_jobs`;
    ``cluster`` (``'local:N'`` or a scheduler address) computes on Dask instead.  ``tasks`` are the
    claims' planned tasks when the caller has them already.
    """
    if tasks is None:
        tasks = plan(claims, size, tier, prec, max_prec, params, per_claim, None, extra_modules)
    jobs = default_jobs(len(tasks)) if jobs is None else int(jobs)
    prog = progress or _Silent()
    ex = open_executor(jobs, cluster, extra_modules, len(tasks))
    local = {c.id: c for c in claims}
    try:
        results = run_tasks(tasks, store, run_id, jobs, witness_dir, recompute, prog, executor=ex, claims_by_id=local)
        if controls:
            for stage in (1, 2):
                more = plan_controls(claims, results, stage, tier, prec, max_prec, extra_modules,
                                     start=len(tasks) + sum(1 for r in results if r.control))
                if not more:
                    continue
                if hasattr(prog, "expect"):
                    prog.expect(more)
                results += run_tasks(more, store, run_id, jobs, None, recompute, prog, executor=ex, claims_by_id=local)
    except BaseException:
        if ex is not None:
            ex.close(kill=True)
        raise
    if ex is not None:
        ex.close()
    return results
