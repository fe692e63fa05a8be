"""Where the tasks of a run are computed: this process, a local process pool, or a Dask cluster.

An *executor* here is anything with ``submit(fn, *args) -> concurrent.futures.Future`` and
``close(kill=False)``.  Three kinds, chosen by :func:`open_executor`:

* ``None`` (serial): ``jobs=1`` and no cluster — nothing is imported, the caller runs tasks in-process;
* :class:`LocalPool`: ``--jobs N`` — a :class:`concurrent.futures.ProcessPoolExecutor` whose workers
  ignore Ctrl-C (the parent handles it) and die with the parent (Linux ``PR_SET_PDEATHSIG``);
* :class:`DaskExecutor`: ``--cluster ADDRESS`` (a running scheduler, ``tcp://host:8786``) or
  ``--cluster local[:N]`` (a :class:`distributed.LocalCluster` of N single-threaded worker processes).
  Dask is an optional extra (``pip install -e ".[distributed]"``) imported only here.

Workers only compute: the caller (the client) writes each result to the store as it arrives, so resume,
``--recompute``, reports and witnesses behave the same whatever the executor.  A Dask worker that dies
(killed, out of memory) has its task retried once on another worker; if that dies too, the future raises
:class:`WorkerLost`, which the runner turns into an ``error`` result naming the worker loss.

>>> parse_cluster("local:3"), parse_cluster("local")[0], parse_cluster("tcp://127.0.0.1:8786")
(('local', 3), 'local', ('address', 'tcp://127.0.0.1:8786'))
>>> open_executor(jobs=1) is None
True
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import signal
import sys
from typing import Any, Callable, Sequence

from .claim import ProofsCheckError

__all__ = ["WorkerLost", "LocalPool", "DaskExecutor", "open_executor", "parse_cluster", "available_cores",
           "init_worker"]


class WorkerLost(RuntimeError):
    """A task's worker died (killed, out of memory), also on the retry."""


def available_cores() -> int:
    """The cores this process may use (affinity-aware).

    >>> available_cores() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parse_cluster(spec: str) -> tuple[str, Any]:
    """``'local'`` / ``'local:N'`` → ``('local', N)`` (N = available cores by default);
    ``'tcp://host:port'`` (or ``tls://``, ``ws://``, ``inproc://``) → ``('address', spec)``."""
    s = spec.strip()
    if s == "local" or s.startswith("local:"):
        n = s.partition(":")[2]
        if n and not (n.isdigit() and int(n) >= 1):
            raise ProofsCheckError(f"--cluster {spec!r}: the worker count after 'local:' must be a positive integer")
        return "local", int(n) if n else available_cores()
    if "://" in s and s.split("://", 1)[1]:
        return "address", s
    raise ProofsCheckError(f"--cluster {spec!r}: give 'local', 'local:N' or a scheduler address such as "
                           "tcp://127.0.0.1:8786")


# -- local process pool --------------------------------------------------------------------------------------
def _die_with_parent() -> None:
    """On Linux, ask the kernel to end this worker when its parent dies (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # no libc.so.6 (e.g. musl): keep the default behaviour
        pass


def init_worker(extra_modules: Sequence[str] = ()) -> None:
    """Set up a pool worker: ignore Ctrl-C (the parent handles it), die with the parent, load the claims."""
    from .registry import default_registry

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    default_registry(tuple(extra_modules))


class LocalPool:
    """``jobs`` worker processes on this machine (``--jobs N``)."""

    kind = "pool"

    def __init__(self, jobs: int, extra_modules: Sequence[str] = ()):
        self.workers = int(jobs)
        self._ex = cf.ProcessPoolExecutor(max_workers=self.workers, initializer=init_worker,
                                          initargs=(tuple(extra_modules),))

    def submit(self, fn: Callable, *args) -> cf.Future:
        return self._ex.submit(fn, *args)

    def close(self, kill: bool = False) -> None:
        if not kill:
            self._ex.shutdown(wait=True)
            return
        procs = list((getattr(self._ex, "_processes", None) or {}).values())
        self._ex.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            p.terminate()


# -- Dask ------------------------------------------------------------------------------------------------------
def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise ProofsCheckError("--cluster needs Dask: pip install -e \".[distributed]\"") from None
    return distributed


class DaskExecutor:
    """Tasks on a Dask cluster: a running scheduler (``address``) or a :class:`distributed.LocalCluster`.

    Each task is submitted with ``pure=False`` (never deduplicated).  If its worker dies, the scheduler
    reruns it on another worker; on a local cluster that happens once (``allowed-failures = 1``), on a
    running scheduler as often as its own ``distributed.scheduler.allowed-failures`` says (Dask's default
    is 3).  Then the future raises :class:`WorkerLost`.  ``close(kill=True)`` cancels what is outstanding.
    """

    kind = "dask"

    def __init__(self, spec: str, extra_modules: Sequence[str] = ()):
        distributed = _import_distributed()
        import dask

        how, arg = parse_cluster(spec)
        self._cluster = None
        self._futures: set = set()
        with dask.config.set({"distributed.scheduler.allowed-failures": 1, "logging.distributed": "error"}):
            if how == "local":
                self._cluster = distributed.LocalCluster(n_workers=arg, threads_per_worker=1, processes=True,
                                                         dashboard_address=None, silence_logs=40)
                self.client = distributed.Client(self._cluster, set_as_default=False)
            else:
                try:
                    self.client = distributed.Client(arg, timeout="20s", set_as_default=False)
                except OSError as e:
                    raise ProofsCheckError(f"--cluster {spec}: cannot reach the scheduler ({e}); start it with "
                                           "`dask scheduler` and workers with `dask worker ADDRESS`") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self._KilledWorker = getattr(distributed, "KilledWorker", None)
        if self._KilledWorker is None:  # older releases keep it in the scheduler module
            from distributed.scheduler import KilledWorker

            self._KilledWorker = KilledWorker
        self._limit = os.environ.get("MDTHEORY_MEMORY_LIMIT")

    def submit(self, fn: Callable, *args) -> cf.Future:
        fut = self.client.submit(_with_client_env, self._limit, fn, *args, pure=False)
        self._futures.add(fut)
        out: cf.Future = cf.Future()
        out.set_running_or_notify_cancel()

        def copy(f):
            self._futures.discard(f)
            if f.cancelled() or f.status == "cancelled":
                out.cancel() if not out.done() else None
                return
            try:
                out.set_result(f.result())
            except self._KilledWorker as e:
                out.set_exception(WorkerLost(f"the worker running this task died twice (killed or out of memory): {e}"))
            except BaseException as e:  # noqa: BLE001 - any worker-side exception goes to the caller
                out.set_exception(e)

        fut.add_done_callback(copy)
        return out

    def close(self, kill: bool = False) -> None:
        try:
            if kill and self._futures:
                self.client.cancel(list(self._futures), force=True)
            self.client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()


def _with_client_env(limit: str | None, fn: Callable, *args):
    """Run ``fn`` on a worker under the client's memory limit (``MDTHEORY_MEMORY_LIMIT``), so the size guard
    refuses on the cluster exactly what it would refuse on the client's machine."""
    old = os.environ.get("MDTHEORY_MEMORY_LIMIT")
    if limit is None:
        os.environ.pop("MDTHEORY_MEMORY_LIMIT", None)
    else:
        os.environ["MDTHEORY_MEMORY_LIMIT"] = limit
    try:
        return fn(*args)
    finally:
        if old is None:
            os.environ.pop("MDTHEORY_MEMORY_LIMIT", None)
        else:
            os.environ["MDTHEORY_MEMORY_LIMIT"] = old


def open_executor(jobs: int | None = 1, cluster: str | None = None, extra_modules: Sequence[str] = (),
                  n_tasks: int | None = None):
    """The executor for a run: ``None`` (serial), a :class:`LocalPool` or a :class:`DaskExecutor`.

    ``jobs`` is capped at the number of tasks and of available cores; ``cluster`` wins over ``jobs``.
    """
    if cluster:
        return DaskExecutor(cluster, extra_modules)
    jobs = 1 if jobs is None else int(jobs)
    jobs = min(jobs, available_cores(), n_tasks if n_tasks is not None else jobs)
    if jobs <= 1:
        return None
    return LocalPool(jobs, extra_modules)
