"""The ``workshop`` console script, run as a subprocess on a temporary instance folder.

Only ``WORKSHOP_INSTANCE_DIR`` is set (no ``WORKSHOP_DATABASE_URL``, no ``WORKSHOP_SECRET_KEY``):
the database and the secret key must land in that folder.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from werkzeug.security import check_password_hash

from tests.live_server import free_port
from workshop.agenda import load_template
from workshop.config import PROJECT_ROOT

WORKSHOP = Path(sys.executable).parent / "workshop"
DEMO_EMAIL = "demo@workshop.local"
PASSWORD = "a long enough password"


def run(instance: Path, *args: str, stdin: str | None = None, **env_extra: str):
    """Run ``workshop ARGS`` from a folder outside the repository; returns the CompletedProcess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_")}
    env["WORKSHOP_INSTANCE_DIR"] = str(instance)
    env.update(env_extra)
    return subprocess.run(
        [str(WORKSHOP), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        cwd=instance.parent,
        timeout=120,
    )


def ok(instance: Path, *args: str, stdin: str | None = None) -> str:
    result = run(instance, *args, stdin=stdin)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def refused(instance: Path, *args: str, stdin: str | None = None) -> str:
    """Run a command that must fail cleanly: non-zero exit, one ``Error:`` line, no traceback."""
    result = run(instance, *args, stdin=stdin)
    assert result.returncode != 0, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    return result.stderr


def query(instance: Path, sql: str, **params) -> list:
    engine = create_engine(f"sqlite:///{instance / 'workshop.sqlite3'}")
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def head_revision() -> str:
    return ScriptDirectory(str(PROJECT_ROOT / "workshop" / "migrations")).get_current_head()


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory) -> Path:
    """``workshop db upgrade`` once; tests copy the resulting database file."""
    instance = tmp_path_factory.mktemp("cli-template") / "instance"
    ok(instance, "db", "upgrade")
    return instance / "workshop.sqlite3"


@pytest.fixture
def instance(tmp_path: Path, migrated_template: Path) -> Iterator[Path]:
    """An instance folder holding an up-to-date database (and no secret key yet)."""
    folder = tmp_path / "instance"
    folder.mkdir()
    shutil.copy(migrated_template, folder / "workshop.sqlite3")
    yield folder


def test_db_upgrade_creates_the_database_in_the_instance_folder(tmp_path: Path):
    instance = tmp_path / "instance"  # does not exist yet
    result = run(instance, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    database = instance / "workshop.sqlite3"
    assert database.is_file()
    tables = {
        name for (name,) in query(instance, "SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"facilitator", "api_token", "workshop", "activity", "statement", "ballot"} <= tables
    assert query(instance, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    # The seeded pilot cities are there (data migrations ran too).
    assert query(instance, "SELECT COUNT(*) FROM city")[0][0] == 10

    # Running it again is harmless.
    ok(instance, "db", "upgrade")
    assert query(instance, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def test_commands_refuse_a_database_that_was_never_migrated(tmp_path: Path):
    instance = tmp_path / "instance"
    for args, stdin in (
        (("demo",), None),
        (("facilitator", "create", "a@example.org", "--password-stdin"), PASSWORD + "\n"),
        (("token", "create", "a@example.org"), None),
        (("workshop", "create", "--title", "X"), None),
        (("serve", "--host", "127.0.0.1", "--port", str(free_port())), None),
    ):
        message = refused(instance, *args, stdin=stdin)
        assert "workshop db upgrade" in message, (args, message)


def test_facilitator_create(instance: Path):
    out = ok(
        instance,
        "facilitator",
        "create",
        "Ann@Example.org",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert out.strip() == "created facilitator ann@example.org"
    assert PASSWORD not in out
    rows = query(instance, "SELECT email, password_hash FROM facilitator")
    assert len(rows) == 1 and rows[0][0] == "ann@example.org"
    assert PASSWORD not in rows[0][1]
    assert check_password_hash(rows[0][1], PASSWORD)
    assert not check_password_hash(rows[0][1], PASSWORD + "x")

    # The same address again (in another case) is refused, and nothing changes.
    message = refused(
        instance,
        "facilitator",
        "create",
        "ann@example.ORG",
        "--password-stdin",
        stdin="other-pass-1\n",
    )
    assert "ann@example.org already exists" in message
    assert query(instance, "SELECT email, password_hash FROM facilitator") == rows

    # A short password is refused with the rule, and no account is made.
    message = refused(
        instance, "facilitator", "create", "bob@example.org", "--password-stdin", stdin="short\n"
    )
    assert "at least 8 characters" in message
    message = refused(
        instance, "facilitator", "create", "bob@example.org", "--password-stdin", stdin=""
    )
    assert "at least 8 characters" in message
    message = refused(
        instance,
        "facilitator",
        "create",
        "not-an-address",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert "e-mail address" in message
    assert query(instance, "SELECT COUNT(*) FROM facilitator") == [(1,)]


def test_token_create_prints_a_working_bearer_token(instance: Path):
    from workshop import create_app
    from workshop.config import TestConfig
    from workshop.extensions import db

    ok(instance, "facilitator", "create", "ann@example.org", "--password-stdin", stdin=PASSWORD)
    out = ok(instance, "token", "create", "ANN@example.org")
    token = out.split()[-1]
    assert out.startswith("token for ann@example.org: ")
    assert len(token) >= 32 and token not in query(instance, "SELECT token_hash FROM api_token")[0]
    second = ok(instance, "token", "create", "ann@example.org").split()[-1]
    assert second != token

    app = create_app(TestConfig(f"sqlite:///{instance / 'workshop.sqlite3'}"))
    try:
        client = app.test_client()
        for bearer in (token, second):
            response = client.get(
                "/api/v1/workshops", headers={"Authorization": f"Bearer {bearer}"}
            )
            assert response.status_code == 200, response.json
            assert response.json == {"workshops": []}
        created = client.post(
            "/api/v1/workshops",
            json={"title": "Made with a CLI token"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert created.status_code == 201, created.json
        listed = client.get("/api/v1/workshops", headers={"Authorization": f"Bearer {second}"})
        assert [w["title"] for w in listed.json["workshops"]] == ["Made with a CLI token"]
        wrong = client.get("/api/v1/workshops", headers={"Authorization": f"Bearer {token}x"})
        assert wrong.status_code == 401
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_token_create_for_an_unknown_email_fails_cleanly(instance: Path):
    result = run(instance, "token", "create", "nobody@example.org")
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip() == "Error: no facilitator nobody@example.org"
    assert query(instance, "SELECT COUNT(*) FROM api_token") == [(0,)]


def _workshops(instance: Path) -> list[tuple]:
    return query(instance, "SELECT id, code, title, facilitator_id FROM workshop ORDER BY id")


def _activities(instance: Path, workshop_id: int) -> list[tuple]:
    return query(
        instance,
        "SELECT kind, prompt FROM activity WHERE workshop_id = :w ORDER BY position",
        w=workshop_id,
    )


def test_demo_creates_the_demo_facilitator_and_one_workshop_once(instance: Path):
    template = load_template("sfc-city-plan")
    out = ok(instance, "demo")
    workshops = _workshops(instance)
    assert len(workshops) == 1
    workshop_id, code, title, facilitator_id = workshops[0]
    assert f"created demo facilitator {DEMO_EMAIL}" in out
    assert f"created demo workshop {code}" in out
    assert title == template.title
    activities = _activities(instance, workshop_id)
    assert [kind for kind, _ in activities] == [a.kind for a in template.activities]
    assert [prompt for _, prompt in activities] == [a.prompt for a in template.activities]

    ((demo_id, password_hash),) = query(
        instance, "SELECT id, password_hash FROM facilitator WHERE email = :e", e=DEMO_EMAIL
    )
    assert demo_id == facilitator_id
    credentials = instance / "demo-credentials.txt"
    email, password = credentials.read_text().split()
    assert email == DEMO_EMAIL
    assert check_password_hash(password_hash, password)
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600

    # Again: nothing new, the same password.
    again = ok(instance, "demo")
    assert "created" not in again
    assert _workshops(instance) == workshops
    assert query(instance, "SELECT COUNT(*) FROM facilitator") == [(1,)]
    assert credentials.read_text().split() == [email, password]


def test_workshop_create_from_a_template(instance: Path):
    template = load_template("sfc-city-plan")
    ok(instance, "facilitator", "create", "ann@example.org", "--password-stdin", stdin=PASSWORD)
    out = ok(
        instance,
        "workshop",
        "create",
        "--template",
        "sfc-city-plan",
        "--title",
        "  Nan   town plan ",
        "--facilitator",
        "ann@example.org",
    )
    ((workshop_id, code, title, _),) = _workshops(instance)
    assert out.strip() == f"created workshop {code}: Nan town plan"
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    assert title == "Nan town plan"
    assert [k for k, _ in _activities(instance, workshop_id)] == [
        a.kind for a in template.activities
    ]

    # Without a template: no activities. The default facilitator is the demo one.
    refused(instance, "workshop", "create", "--title", "Nobody's")  # no demo facilitator yet
    ok(instance, "demo")  # creates no workshop: one exists already
    out = ok(instance, "workshop", "create", "--title", "Bare")
    bare = _workshops(instance)[-1]
    assert out.strip() == f"created workshop {bare[1]}: Bare"
    assert _activities(instance, bare[0]) == []
    assert len(_workshops(instance)) == 2


@pytest.mark.parametrize("name", ["no-such-template", "../sessions/sfc-city-plan"])
def test_workshop_create_with_an_unknown_template_fails_clearly(instance: Path, name: str):
    ok(instance, "demo")
    before = _workshops(instance)
    message = refused(instance, "workshop", "create", "--template", name, "--title", "X")
    assert message.strip() == f"Error: no template sessions/{name}.toml"
    assert _workshops(instance) == before  # nothing half-made


def test_workshop_create_for_an_unknown_facilitator_fails_clearly(instance: Path):
    message = refused(
        instance, "workshop", "create", "--title", "X", "--facilitator", "ghost@example.org"
    )
    assert message.strip() == "Error: no facilitator ghost@example.org"
    assert _workshops(instance) == []


def test_the_secret_key_is_generated_once_and_reused(tmp_path: Path, monkeypatch):
    from workshop.config import Config

    instance = tmp_path / "instance"
    ok(instance, "db", "upgrade")
    key_file = instance / "secret_key"
    key = key_file.read_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    ok(instance, "facilitator", "create", "ann@example.org", "--password-stdin", stdin=PASSWORD)
    ok(instance, "demo")
    assert key_file.read_text().strip() == key
    assert sorted(p.name for p in instance.iterdir()) == [
        "demo-credentials.txt",
        "secret_key",
        "workshop.sqlite3",
    ]

    # The app started on that folder signs with that key.
    monkeypatch.setenv("WORKSHOP_INSTANCE_DIR", str(instance))
    monkeypatch.delenv("WORKSHOP_SECRET_KEY", raising=False)
    secret = Config().SECRET_KEY
    assert secret == key
    # A key given in the environment wins, and no file is written for it.
    other = tmp_path / "other"
    result = run(other, "db", "upgrade", WORKSHOP_SECRET_KEY="from-the-environment")
    assert result.returncode == 0, result.stderr
    assert not (other / "secret_key").exists()
    monkeypatch.setenv("WORKSHOP_INSTANCE_DIR", str(other))
    monkeypatch.setenv("WORKSHOP_SECRET_KEY", "from-the-environment")
    secret = Config().SECRET_KEY
    assert secret == "from-the-environment"
