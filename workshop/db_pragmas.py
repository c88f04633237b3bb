"""SQLite settings for a durable, concurrent single-file database.

WAL lets readers go on while one writer commits; ``synchronous=FULL`` makes an
acknowledged commit survive a power cut. A second writer does not wait inside
the driver (busy timeout 0, which under gevent would freeze the process): every
write transaction begins with ``BEGIN IMMEDIATE`` and ``workshop/db_busy.py``
retries that BEGIN cooperatively, then answers "busy".
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import db_busy

_installed = False

PRAGMAS = (
    "PRAGMA busy_timeout=0",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)


def _on_connect(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    module = type(dbapi_connection).__module__
    if "sqlite" not in module:
        return
    # The driver's implicit BEGIN before a write takes the write lock at once: a write
    # transaction can then only meet a busy database at its start, where retrying is safe.
    dbapi_connection.isolation_level = "IMMEDIATE"
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            db_busy.retry_while_locked(
                lambda pragma=pragma: cursor.execute(pragma),
                dbapi_connection,
                db_busy.DEFAULT_WAIT,
            )
    finally:
        cursor.close()


def install() -> None:
    """Register the connect hook once for every engine."""
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _on_connect)
        db_busy.install()
        _installed = True
