"""Shared fixtures: a migrated SQLite file per test, API helpers, Socket.IO test clients."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Everything the app keeps on disk goes to a temporary folder, never to instance/.
_INSTANCE = Path(tempfile.mkdtemp(prefix="workshop-tests-"))
os.environ["WORKSHOP_INSTANCE_DIR"] = str(_INSTANCE)
os.environ.pop("WORKSHOP_DATABASE_URL", None)
os.environ.pop("WORKSHOP_MESSAGE_QUEUE", None)

from flask_migrate import upgrade  # noqa: E402

from workshop import create_app  # noqa: E402
from workshop.config import TestConfig  # noqa: E402
from workshop.extensions import db, socketio  # noqa: E402


def _compile_catalogues() -> None:
    """Compile the .po files when the .mo files are missing or older (plain `pytest` runs)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "workshop" / "translations"
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


_compile_catalogues()

FACILITATOR_EMAIL = "facilitator@example.org"
FACILITATOR_PASSWORD = "correct horse battery"


def require_env(name: str) -> bool:
    return os.environ.get(name) == "1"


@pytest.fixture(scope="session")
def migrated_db_file() -> Path:
    """Run the migrations once into a template database file."""
    path = _INSTANCE / "template.sqlite3"
    app = create_app(TestConfig(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, migrated_db_file: Path) -> Path:
    path = tmp_path / "workshop.sqlite3"
    shutil.copy(migrated_db_file, path)
    return path


@pytest.fixture
def app(db_path: Path):
    app = create_app(TestConfig(f"sqlite:///{db_path}"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def make_facilitator(
    app, email: str = FACILITATOR_EMAIL, password: str = FACILITATOR_PASSWORD
) -> str:
    """Create a facilitator; returns a bearer token for it."""
    from workshop.auth import create_api_token
    from workshop.models import Facilitator

    with app.app_context():
        facilitator = Facilitator(email=email)
        facilitator.set_password(password)
        db.session.add(facilitator)
        db.session.flush()
        token = create_api_token(facilitator)
        db.session.commit()
    return token


class Api:
    """Small helper around the JSON API of one app."""

    def __init__(self, client, token: str) -> None:
        self.client = client
        self.token = token

    def headers(self, token: str | None = None) -> dict:
        token = token if token is not None else self.token
        return {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, token: str | None = None):
        return self.client.get(f"/api/v1{path}", headers=self.headers(token))

    def post(self, path: str, json=None, token: str | None = None, **kwargs):
        return self.client.post(f"/api/v1{path}", json=json, headers=self.headers(token), **kwargs)

    def workshop(self, **body) -> dict:
        body.setdefault("title", "Lampang future city")
        response = self.post("/workshops", body)
        assert response.status_code == 201, response.json
        return response.json

    def activity(self, code: str, **body) -> dict:
        response = self.post(f"/workshops/{code}/activities", body)
        assert response.status_code == 201, response.json
        return response.json

    def open(self, code: str, activity_id: int):
        response = self.post(f"/workshops/{code}/activities/{activity_id}/state", {"state": "open"})
        assert response.status_code == 200, response.json
        return response.json

    def join(self, code: str, group: str = "residents", name: str | None = None) -> str:
        body = {"group": group} if name is None else {"group": group, "name": name}
        response = self.post(f"/workshops/{code}/participants", body, token="")
        assert response.status_code == 201, response.json
        return response.json["token"]

    def statement(self, code: str, token: str, activity_id: int, text: str, client_id: str):
        return self.post(
            f"/workshops/{code}/statements",
            {"activity_id": activity_id, "text": text, "client_id": client_id},
            token=token,
        )

    def vote(self, code: str, token: str, activity_id: int, dots: dict, client_id: str):
        return self.post(
            f"/workshops/{code}/votes",
            {
                "activity_id": activity_id,
                "dots": {str(k): v for k, v in dots.items()},
                "client_id": client_id,
            },
            token=token,
        )


@pytest.fixture
def facilitator_token(app) -> str:
    return make_facilitator(app)


@pytest.fixture
def api(client, facilitator_token) -> Api:
    return Api(client, facilitator_token)


@pytest.fixture
def room(api) -> dict:
    """A workshop with a brainstorm (open) and a dot vote on it (draft)."""
    workshop = api.workshop(city="lampang")
    code = workshop["code"]
    brainstorm = api.activity(code, kind="brainstorm", prompt="What do you love about the city?")
    vote = api.activity(code, kind="dot_vote", prompt="Vote", source_activity_id=brainstorm["id"])
    api.open(code, brainstorm["id"])
    return {"code": code, "brainstorm": brainstorm["id"], "vote": vote["id"]}


@pytest.fixture
def sio_client(app, client) -> Iterator:
    """Factory of Flask-SocketIO test clients; all disconnected at the end."""
    made = []

    def connect(auth: dict, flask_client=None):
        test_client = socketio.test_client(app, flask_test_client=flask_client or client, auth=auth)
        made.append(test_client)
        return test_client

    yield connect
    for test_client in made:
        if test_client.is_connected():
            test_client.disconnect()


def events(test_client, name: str) -> list:
    """Payloads of the ``name`` events received so far. Empties the client's whole queue."""
    return [e["args"][0] for e in test_client.get_received() if e["name"] == name]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator:
    """A real gevent server process, shared by the tests of one module."""
    from tests.live_server import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("live"))
    server.prepare()
    server.start()
    yield server
    server.stop()
