"""The result store: SQLite (stdlib), keyed by claim, parameters, instance, tier and code version.

Every finished result is committed in its own transaction together with a row
in ``computations`` (one per evaluation actually performed) and a link to the
current run, so a killed run loses at most the results in flight and a rerun
recomputes nothing that finished.  ``error`` results are kept for the report
but recomputed on the next run.

Several runs may share one store: a task is *claimed* (``claims`` table) before it is computed, so two
runs never compute the same task; a run that finds a task claimed by another live process waits for that
result instead, and takes the task over if its owner died.  Runs record their process; a run left
``running`` by a killed process is marked ``stopped`` when the next run starts.

Location: ``--store PATH``, else ``$PROOFS_CHECK_STORE``, else
``./.proofs_check/results.sqlite``.

>>> import tempfile, os
>>> from proofs_check.claim import CheckResult
>>> with tempfile.TemporaryDirectory() as d:
...     st = Store(os.path.join(d, "r.sqlite"))
...     run = st.start_run(["run", "--all"])
...     st.put("k1", CheckResult("X-1", "i", "proved", "exact", margin_float=0.5), run, tier_request="exact")
...     st.get("k1").verdict.value, st.computation_count("k1"), len(st.run_results(st.last_run_id()))
('proved', 1, 1)
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from typing import Iterable

from .claim import CheckResult, Verdict, canonical_json

__all__ = ["Store", "StoreError", "default_store_path", "ENV_STORE"]

ENV_STORE = "PROOFS_CHECK_STORE"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results(
    key TEXT PRIMARY KEY,
    claim_id TEXT NOT NULL,
    params TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    tier_request TEXT NOT NULL,
    code_version TEXT NOT NULL,
    verdict TEXT NOT NULL,
    payload TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS computations(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    run_id INTEGER,
    claim_id TEXT NOT NULL,
    instance_id TEXT NOT NULL,
    finished REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started REAL NOT NULL,
    finished REAL,
    argv TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running'
);
CREATE TABLE IF NOT EXISTS claims(
    key TEXT PRIMARY KEY,
    run_id INTEGER,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    claimed REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS run_results(
    run_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY(run_id, key)
);
"""


class StoreError(ValueError):
    """The store cannot be opened, read or written."""


def _dead(pid, host) -> bool:
    """Whether process ``pid`` on ``host`` has ended (a process on another host is presumed alive)."""
    if pid is None:
        return True  # a run recorded before runs had a pid
    if host is not None and host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{int(pid)}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie has ended
    except OSError:
        return False


def default_store_path() -> str:
    return os.environ.get(ENV_STORE) or os.path.join(os.getcwd(), ".proofs_check", "results.sqlite")


class Store:
    """An SQLite file of results.  Only the process that owns the object writes to it."""

    def __init__(self, path: str | None = None, read_only: bool = False):
        self.path = os.path.abspath(path or default_store_path())
        self.read_only = read_only
        d = os.path.dirname(self.path)
        try:
            if read_only:
                if not os.path.exists(self.path):
                    raise StoreError(f"no results: no store at {self.path}; run `proofs-check run` first or pass --store PATH")
                self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30, isolation_level=None)
                self.conn.execute("SELECT COUNT(*) FROM runs").fetchone()
                return
            os.makedirs(d, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.conn.executescript(_SCHEMA)
            for col, decl in (("pid", "INTEGER"), ("host", "TEXT")):  # stores written before these columns
                if col not in {r[1] for r in self.conn.execute("PRAGMA table_info(runs)")}:
                    self.conn.execute(f"ALTER TABLE runs ADD COLUMN {col} {decl}")
            with self._tx() as c:  # a store we cannot write is refused now, not after the results are computed
                c.execute("INSERT OR REPLACE INTO claims(key, run_id, pid, host, claimed) VALUES('', NULL, 0, '', 0)")
                c.execute("DELETE FROM claims WHERE key=''")
        except StoreError:
            raise
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"cannot {'read' if read_only else 'write'} the result store {self.path}: {e}; "
                             "pass another --store PATH") from None

    # -- runs ----------------------------------------------------------------------------------
    def start_run(self, argv: Iterable[str]) -> int:
        """Record a new run of this process; runs left ``running`` by dead processes become ``stopped``."""
        with self._tx() as c:
            for rid, pid, host in c.execute("SELECT id, pid, host FROM runs WHERE status='running'").fetchall():
                if _dead(pid, host):
                    c.execute("UPDATE runs SET status='stopped' WHERE id=?", (rid,))
            c.execute("DELETE FROM claims WHERE run_id NOT IN (SELECT id FROM runs WHERE status='running')")
            cur = c.execute("INSERT INTO runs(started, argv, pid, host) VALUES(?, ?, ?, ?)",
                            (time.time(), json.dumps(list(argv)), os.getpid(), socket.gethostname()))
            return int(cur.lastrowid)

    # -- task claims (several runs on one store) ---------------------------------------------------------
    def claim(self, key: str, run_id: int | None, force: bool = False) -> str:
        """Claim a task before computing it: ``'mine'``, ``'done'`` (a result is stored; never with
        ``force``, as for ``--recompute``) or ``'taken'`` (another live process is computing it).  A claim
        of a dead process is taken over."""
        with self._tx() as c:
            row = None if force else c.execute("SELECT verdict FROM results WHERE key=?", (key,)).fetchone()
            if row is not None and row[0] != Verdict.ERROR.value:
                return "done"
            owner = c.execute("SELECT pid, host FROM claims WHERE key=?", (key,)).fetchone()
            if owner is not None and (owner[0], owner[1]) != (os.getpid(), socket.gethostname()) \
                    and not _dead(owner[0], owner[1]):
                return "taken"
            c.execute("INSERT OR REPLACE INTO claims(key, run_id, pid, host, claimed) VALUES(?,?,?,?,?)",
                      (key, run_id, os.getpid(), socket.gethostname(), time.time()))
            return "mine"

    def release(self, keys: Iterable[str]) -> None:
        """Drop this process's claims on ``keys`` (after an interruption: the tasks are free again)."""
        with self._tx() as c:
            c.executemany("DELETE FROM claims WHERE key=? AND pid=?", [(k, os.getpid()) for k in keys])

    def finish_run(self, run_id: int, status: str = "finished") -> None:
        with self._tx() as c:
            c.execute("UPDATE runs SET finished=?, status=? WHERE id=?", (time.time(), status, run_id))

    def last_run_id(self) -> int | None:
        row = self.conn.execute("SELECT id FROM runs WHERE EXISTS (SELECT 1 FROM run_results r WHERE r.run_id=runs.id) "
                                "ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else int(row[0])

    def run_info(self, run_id: int) -> dict:
        row = self.conn.execute("SELECT id, started, finished, argv, status FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise ValueError(f"no run {run_id} in {self.path}")
        return {"id": row[0], "started": row[1], "finished": row[2], "argv": json.loads(row[3]), "status": row[4]}

    # -- results -----------------------------------------------------------------------------------
    def get(self, key: str) -> CheckResult | None:
        """A stored result, or ``None`` (errors count as absent: they are recomputed)."""
        row = self.conn.execute("SELECT payload, verdict FROM results WHERE key=?", (key,)).fetchone()
        if row is None or row[1] == Verdict.ERROR.value:
            return None
        return CheckResult.from_dict(json.loads(row[0]))

    def put(self, key: str, result: CheckResult, run_id: int | None, tier_request: str = "",
            position: int = 0, computed: bool = True) -> None:
        """Store a result and link it to ``run_id`` (one transaction)."""
        payload = canonical_json(result.to_dict())
        with self._tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO results(key, claim_id, params, instance_id, tier_request, code_version, verdict,"
                " payload, created) VALUES(?,?,?,?,?,?,?,?,?)",
                (key, result.claim_id, canonical_json(result.params), result.instance_id, tier_request,
                 result.code_version, result.verdict.value, payload, time.time()),
            )
            if computed:
                c.execute("INSERT INTO computations(key, run_id, claim_id, instance_id, finished) VALUES(?,?,?,?,?)",
                          (key, run_id, result.claim_id, result.instance_id, time.time()))
            if run_id is not None:
                c.execute("INSERT OR REPLACE INTO run_results(run_id, key, position) VALUES(?,?,?)",
                          (run_id, key, position))
            c.execute("DELETE FROM claims WHERE key=?", (key,))

    def link(self, run_id: int, key: str, position: int = 0) -> None:
        """Attach an already stored result to a run (a cache hit)."""
        with self._tx() as c:
            c.execute("INSERT OR REPLACE INTO run_results(run_id, key, position) VALUES(?,?,?)", (run_id, key, position))

    def run_results(self, run_id: int | None) -> list[CheckResult]:
        if run_id is None:
            return []
        rows = self.conn.execute(
            "SELECT r.payload FROM run_results rr JOIN results r ON r.key = rr.key WHERE rr.run_id=? "
            "ORDER BY rr.position, r.claim_id, r.instance_id", (run_id,)).fetchall()
        return [CheckResult.from_dict(json.loads(r[0])) for r in rows]

    def computation_count(self, key: str | None = None) -> int:
        if key is None:
            return int(self.conn.execute("SELECT COUNT(*) FROM computations").fetchone()[0])
        return int(self.conn.execute("SELECT COUNT(*) FROM computations WHERE key=?", (key,)).fetchone()[0])

    def computations_by_key(self) -> dict:
        return {k: n for k, n in self.conn.execute("SELECT key, COUNT(*) FROM computations GROUP BY key")}

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    # -- transactions ------------------------------------------------------------------------------
    def _tx(self):
        return _Tx(self.conn)


class _Tx:
    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, et, ev, tb):
        if et is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
        return False
