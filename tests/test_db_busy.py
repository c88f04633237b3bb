"""A busy SQLite database: the cooperative retry, and which errors mean "busy"."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from workshop import db_busy, db_pragmas
from workshop.services.errors import Busy


class PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError("database table is locked"), True),
        (sqlite3.OperationalError("no such table: x"), False),
        (PgError("55P03"), True),  # lock_not_available (lock_timeout)
        (PgError("40P01"), True),  # deadlock_detected
        (PgError("40001"), True),  # serialization_failure
        (PgError("23505"), False),  # unique_violation
        (ValueError("database is locked"), False),
    ],
)
def test_which_errors_mean_busy(error, busy):
    assert db_busy.is_locked(error) is busy
    answer = db_busy.busy_error(error)
    assert (answer is not None) is busy
    if busy:
        assert isinstance(answer, Busy) and answer.status == 503
        assert answer.as_dict()["error"]["code"] == "busy"
        assert answer.as_dict()["error"]["retry_after"] >= 1


def _engine(path: Path, wait: float):
    db_pragmas.install()
    return create_engine(f"sqlite:///{path}", execution_options={"workshop_busy_wait": wait})


def _hold(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_a_write_waits_for_the_lock_and_goes_through_once_it_is_released(tmp_path: Path):
    path = tmp_path / "busy.sqlite3"
    engine = _engine(path, wait=30.0)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    holder = _hold(path)
    done = threading.Event()

    def write() -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    # Readers are not held up meanwhile (WAL), whatever the writer waits for.
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM t")).scalar() == 0
    assert not done.is_set()
    holder.execute("ROLLBACK")
    writer.join(timeout=30)
    assert done.is_set()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM t")).scalar() == 1
    holder.close()
    engine.dispose()


def test_past_the_wait_the_write_fails_as_busy_and_stores_nothing(tmp_path: Path):
    path = tmp_path / "busy.sqlite3"
    engine = _engine(path, wait=0.2)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    holder = _hold(path)
    try:
        with pytest.raises(OperationalError) as raised, engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
        assert db_busy.busy_error(raised.value) is not None
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM t")).scalar() == 0
    engine.dispose()
