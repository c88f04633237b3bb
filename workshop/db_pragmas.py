"""SQLite settings for a durable, concurrent single-file database.

WAL lets readers go on while one writer commits; ``synchronous=FULL`` makes an
acknowledged commit survive a power cut; the busy timeout makes a second writer
wait instead of failing with "database is locked".
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

_installed = False


def _on_connect(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    module = type(dbapi_connection).__module__
    if "sqlite" not in module:
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def install() -> None:
    """Register the connect hook once for every engine."""
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _on_connect)
        _installed = True
