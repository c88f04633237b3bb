"""The Alembic migrations: upgrade from nothing, downgrade to nothing, upgrade again, and the
models match the migrated schema exactly (autogenerate finds nothing to do), on SQLite and on
PostgreSQL."""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from workshop import create_app
from workshop.config import PROJECT_ROOT
from workshop.config import TestConfig as AppTestConfig
from workshop.extensions import db

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
# Stricter than autogenerate's defaults: server defaults must match too.
COMPARE_OPTS = {"compare_type": True, "compare_server_default": True}


def head_revision() -> str:
    return ScriptDirectory(str(PROJECT_ROOT / "workshop" / "migrations")).get_current_head()


def model_tables() -> set[str]:
    import workshop.models  # noqa: F401  (every model registered on db.metadata)

    return set(db.metadata.tables)


def schema_diff(connection) -> list:
    context = MigrationContext.configure(connection, opts=COMPARE_OPTS)
    return compare_metadata(context, db.metadata)


def tables(connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def current_revisions(connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def check_round_trip(url: str) -> None:
    """Upgrade, compare, downgrade to base, upgrade again, compare; on the database at ``url``."""
    app = create_app(AppTestConfig(url))
    expected = model_tables()
    assert len(expected) >= 15, expected  # the models really are loaded
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                assert tables(connection) == set()  # an empty database to start from
            upgrade()
            with db.engine.connect() as connection:
                assert tables(connection) == expected | {"alembic_version"}
                assert current_revisions(connection) == {head_revision()}
                assert schema_diff(connection) == []

            downgrade(revision="base")
            with db.engine.connect() as connection:
                # Alembic keeps its own (now empty) bookkeeping table; every other table is gone.
                assert tables(connection) <= {"alembic_version"}
                assert current_revisions(connection) == set()

            upgrade()
            with db.engine.connect() as connection:
                assert tables(connection) == expected | {"alembic_version"}
                assert current_revisions(connection) == {head_revision()}
                assert schema_diff(connection) == []
        finally:
            db.session.remove()
            db.engine.dispose()


def test_migrations_round_trip_on_sqlite(tmp_path: Path):
    database = tmp_path / "empty.sqlite3"
    check_round_trip(f"sqlite:///{database}")
    assert database.stat().st_size > 0


def test_the_migrations_form_one_line_of_history():
    script = ScriptDirectory(str(PROJECT_ROOT / "workshop" / "migrations"))
    assert len(script.get_heads()) == 1, script.get_heads()
    revisions = list(script.walk_revisions())  # newest first
    assert revisions[-1].revision == "0001" and revisions[-1].down_revision is None
    for newer, older in zip(revisions, revisions[1:], strict=False):
        assert newer.down_revision == older.revision
    for revision in revisions:
        assert revision.module.downgrade is not None


def test_compare_detects_a_drift(tmp_path: Path):
    """The check above can fail: a column missing from the database shows up in the diff."""
    app = create_app(AppTestConfig(f"sqlite:///{tmp_path / 'drift.sqlite3'}"))
    with app.app_context():
        try:
            upgrade()
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ALTER TABLE participant DROP COLUMN name")
            with db.engine.connect() as connection:
                diff = schema_diff(connection)
            assert [(d[0], d[2], d[3].name) for d in diff] == [
                ("add_column", "participant", "name")
            ]
        finally:
            db.session.remove()
            db.engine.dispose()


# --- PostgreSQL -----------------------------------------------------------------------------


def _postgres_or_skip() -> None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            pass
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        reason = f"PostgreSQL unreachable at {PG_ADMIN_URL}: {error}"
        if os.environ.get("WORKSHOP_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (WORKSHOP_REQUIRE_SERVICES=1)")
        warnings.warn(f"SKIPPING the PostgreSQL migration test: {reason}", stacklevel=2)
        pytest.skip(f"SKIPPED LOUDLY: {reason}")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty database with a unique name; dropped afterwards."""
    _postgres_or_skip()
    import psycopg

    name = f"workshop_migrations_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.format(name=name)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            left = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
        assert left is None, f"database {name} was not dropped"


def test_migrations_round_trip_on_postgresql(postgres_url: str):
    check_round_trip(postgres_url)


# --- data carried across 0007 (ballot entries into the ballot row) ------------------------------


def check_ballot_entries_carried(url: str) -> None:
    """Ballots cast at head survive a downgrade to 0006 (one ``ballot_entry`` row per
    statement) and the upgrade back (the entries in the ballot row), value for value."""
    from sqlalchemy import text

    from tests.conftest import Api, make_facilitator
    from workshop.models import Ballot

    app = create_app(AppTestConfig(url))
    with app.app_context():
        try:
            upgrade()
            api = Api(app.test_client(), make_facilitator(app))
            code = api.workshop()["code"]
            brainstorm = api.activity(code, kind="brainstorm", prompt="Ideas")["id"]
            api.open(code, brainstorm)
            author = api.join(code)
            ids = [
                api.statement(code, author, brainstorm, f"idea {n}", f"s{n}").json["id"]
                for n in range(3)
            ]
            vote = api.activity(code, kind="dot_vote", prompt="Vote", source_activity_id=brainstorm)
            api.open(code, vote["id"])
            cast = {
                api.join(code, group="academia"): {ids[0]: 2, ids[2]: 1},
                api.join(code): {ids[1]: 3},
            }
            for n, (token, dots) in enumerate(cast.items()):
                assert api.vote(code, token, vote["id"], dots, f"v{n}").status_code == 200
            before = {b.id: b.as_entries() for b in db.session.scalars(select(Ballot))}
            assert sorted(before.values(), key=len) == sorted(cast.values(), key=len)
            db.session.remove()

            downgrade(revision="0006")
            with db.engine.connect() as connection:
                rows = connection.execute(
                    text("SELECT ballot_id, statement_id, value FROM ballot_entry")
                ).all()
            assert sorted(map(tuple, rows)) == sorted(
                (ballot, statement, value)
                for ballot, entries in before.items()
                for statement, value in entries.items()
            )

            upgrade()
            after = {b.id: b.as_entries() for b in db.session.scalars(select(Ballot))}
            assert after == before
        finally:
            db.session.remove()
            db.engine.dispose()


def test_ballot_entries_carried_across_0007_on_sqlite(tmp_path: Path):
    check_ballot_entries_carried(f"sqlite:///{tmp_path / 'carried.sqlite3'}")


def test_ballot_entries_carried_across_0007_on_postgresql(postgres_url: str):
    check_ballot_entries_carried(postgres_url)
