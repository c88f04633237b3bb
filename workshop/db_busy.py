"""A busy or locked database: wait without freezing the server, then answer "busy".

SQLite's own busy timeout waits inside the C driver, which under gevent stops the
whole process: with another process holding the write lock, every phone, the
projector and ``/health`` froze until the timeout. Instead:

- SQLite's busy timeout is 0 and every write transaction begins with
  ``BEGIN IMMEDIATE`` (the driver's implicit BEGIN before the first INSERT,
  UPDATE or DELETE), so the only place a write meets the lock is that BEGIN,
  where nothing has happened yet and trying again is safe.
- A statement refused with "database is locked" outside a transaction is tried
  again after a cooperative sleep (``time.sleep``, which gevent makes yield),
  until ``WORKSHOP_DB_BUSY_TIMEOUT`` seconds have passed. Readers meanwhile go on
  (WAL), and so does everything else the process serves.
- Past that wait, or on a PostgreSQL lock timeout, deadlock or serialization
  failure, :func:`busy_error` turns the driver's error into :class:`Busy`: HTTP
  answers 503 ``{"error": {"code": "busy", "retry_after"}}`` and Socket.IO acks
  ``{"ok": false, "error": {"code": "busy"}}``; phones send the write again with
  the same ``client_id``, so it is stored once.
"""

from __future__ import annotations

import sqlite3
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from .services.errors import Busy

DEFAULT_WAIT = 5.0  # seconds a write waits for the SQLite lock before "busy"
EXECUTION_OPTION = "workshop_busy_wait"
FIRST_PAUSE = 0.002
LONGEST_PAUSE = 0.05
# SQLSTATEs of PostgreSQL's "try again later": lock_not_available (lock_timeout),
# deadlock_detected, serialization_failure.
PG_BUSY_STATES = frozenset({"55P03", "40P01", "40001"})

_installed = False


def is_locked(error: BaseException) -> bool:
    """Whether a driver error means "the database is busy: try again later"."""
    if isinstance(error, DBAPIError):
        error = error.orig or error
    if isinstance(error, sqlite3.OperationalError):
        message = str(error).lower()
        return "database is locked" in message or "database table is locked" in message
    return getattr(error, "sqlstate", None) in PG_BUSY_STATES


def is_unreachable(error: BaseException) -> bool:
    """Whether a driver error means "the database server cannot be reached right now"
    (PostgreSQL restarting or cut off: a refused or dropped connection, SQLSTATE class 08,
    57P01-57P03). The answer is ``busy`` as for a lock: nothing was stored, send it again."""
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        error = error.orig or error
    if isinstance(error, sqlite3.Error):
        return False
    if type(error).__name__ != "OperationalError":
        return False
    state = getattr(error, "sqlstate", None)
    return state is None or state.startswith("08") or state in {"57P01", "57P02", "57P03"}


def busy_error(error: BaseException, retry_after: int = 2) -> Busy | None:
    """The :class:`Busy` answer for a database-busy (or unreachable) error, else None."""
    if not (is_locked(error) or is_unreachable(error)):
        return None
    return Busy(
        "the database is busy for a moment: send it again in a few seconds",
        retry_after=retry_after,
    )


def configure_engine(config: dict) -> None:
    """Put ``DB_BUSY_TIMEOUT`` into the engine options: the SQLite retry wait, and
    PostgreSQL's ``lock_timeout`` (a lock not granted in time fails, then "busy")."""
    wait = float(config.get("DB_BUSY_TIMEOUT", DEFAULT_WAIT))
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["execution_options"] = {
        **options.get("execution_options", {}),
        EXECUTION_OPTION: wait,
    }
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("options", f"-c lock_timeout={max(int(wait * 1000), 1)}")
        options["connect_args"] = connect_args
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def retry_while_locked(run, connection: sqlite3.Connection, wait: float) -> None:
    """Run ``run()``; while it fails with "database is locked" before any transaction of
    ``connection`` began (so nothing happened), sleep cooperatively and run it again,
    for at most ``wait`` seconds. Then the error goes up (and becomes "busy")."""
    deadline = None
    pause = FIRST_PAUSE
    while True:
        try:
            run()
            return
        except sqlite3.OperationalError as error:
            if connection.in_transaction or not is_locked(error):
                raise
            now = time.monotonic()
            if deadline is None:
                deadline = now + wait
            if now >= deadline:
                raise
            time.sleep(min(pause, deadline - now))  # gevent's sleep when serving: yields
            pause = min(pause * 2, LONGEST_PAUSE)


def _wait(context) -> float:
    options = getattr(context, "execution_options", None) or {}
    return float(options.get(EXECUTION_OPTION, DEFAULT_WAIT))


def _is_sqlite(cursor) -> bool:
    return isinstance(cursor, sqlite3.Cursor)


def _do_execute(cursor, statement, parameters, context) -> bool | None:
    if not _is_sqlite(cursor):
        return None
    retry_while_locked(
        lambda: cursor.execute(statement, parameters), cursor.connection, _wait(context)
    )
    return True


def _do_execute_no_params(cursor, statement, context) -> bool | None:
    if not _is_sqlite(cursor):
        return None
    retry_while_locked(lambda: cursor.execute(statement), cursor.connection, _wait(context))
    return True


def _do_executemany(cursor, statement, parameters, context) -> bool | None:
    if not _is_sqlite(cursor):
        return None
    retry_while_locked(
        lambda: cursor.executemany(statement, parameters), cursor.connection, _wait(context)
    )
    return True


def install() -> None:
    """Register the retrying executors once for every engine (SQLite connections only)."""
    global _installed
    if not _installed:
        event.listen(Engine, "do_execute", _do_execute)
        event.listen(Engine, "do_execute_no_params", _do_execute_no_params)
        event.listen(Engine, "do_executemany", _do_executemany)
        _installed = True
