"""Double-ballot and double-statement races, on SQLite and on PostgreSQL.

The same phone may send the same write twice at once (a resend racing its
original after a reconnect, two tabs, several server processes). Whatever the
interleaving: one ballot row per (activity, participant), every acknowledged
``client_id`` recorded once, the final ballot equal to one of the ballots sent
(never a mix), one statement per ``client_id``, and never a 500.

Two kinds of concurrency:
- threads posting with ``requests`` to a real ``workshop serve`` process;
- processes (``multiprocessing``, spawn), each with its own app and connection
  pool on the same database, posting through the Flask test client.

PostgreSQL: a database of its own per run (``CREATE DATABASE``), dropped after.
When PostgreSQL is unreachable the PostgreSQL cases skip with the reason, or fail
when ``WORKSHOP_REQUIRE_SERVICES=1``.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import uuid
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BACKENDS = ["sqlite", "postgresql"]
THREADS = 8
PROCESSES = 4
ROUNDS = 3
WAIT = 60  # seconds: a bound on every wait, never a performance threshold


# --- databases -----------------------------------------------------------------------------


def _postgres_or_skip() -> None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            pass
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        reason = f"PostgreSQL unreachable at {PG_ADMIN_URL}: {error}"
        if os.environ.get("WORKSHOP_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (WORKSHOP_REQUIRE_SERVICES=1)")
        warnings.warn(f"SKIPPING PostgreSQL race tests: {reason}", stacklevel=2)
        pytest.skip(reason)


def create_postgres_database() -> tuple[str, str]:
    """A new empty database; returns (name, SQLAlchemy URL)."""
    import psycopg

    name = f"workshop_race_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'race.sqlite3'}"
        return
    _postgres_or_skip()
    name, url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(name)


# --- what a race must leave behind -----------------------------------------------------------


def check_ballot_outcome(
    engine: Engine,
    activity_id: int,
    participant_id: int,
    sent: dict[str, list[dict]],
    acks: list[tuple[str, int, dict]],
) -> None:
    """``sent``: client_id -> the dots sent with it; ``acks``: (client_id, status, body)."""
    from workshop.models import Ballot, VoteWrite, decode_entries

    statuses = [status for _, status, _ in acks]
    assert all(status == 200 for status in statuses), acks
    with engine.connect() as connection:
        ballots = connection.execute(
            select(Ballot.client_id, Ballot.entries_json).where(
                Ballot.activity_id == activity_id, Ballot.participant_id == participant_id
            )
        ).all()
        assert len(ballots) == 1, ballots
        ballot_client_id, stored = ballots[0]
        entries = {str(key): value for key, value in decode_entries(stored).items()}
        writes = dict(
            connection.execute(
                select(VoteWrite.client_id, func.count())
                .where(VoteWrite.participant_id == participant_id)
                .group_by(VoteWrite.client_id)
            ).all()
        )
    acked = {client_id for client_id, status, _ in acks if status == 200}
    assert {c: writes.get(c) for c in acked} == dict.fromkeys(acked, 1)
    assert set(writes) <= set(sent)  # nothing recorded that was not sent
    # The final ballot is one of the ballots sent, whole, and it is the one its client_id sent.
    assert ballot_client_id in sent
    assert entries in sent[ballot_client_id], (entries, ballot_client_id, sent)
    # Each acknowledgement shows a whole ballot as sent with its client_id (a resend is
    # answered with the participant's current ballot, which may be a later one).
    for _, _, body in acks:
        assert body["client_id"] in sent and body["dots"] in sent[body["client_id"]], body


def check_statement_outcome(
    engine: Engine, participant_id: int, client_id: str, acks: list[tuple[int, dict]]
) -> None:
    from workshop.models import Statement

    assert all(status in (200, 201) for status, _ in acks), acks
    assert sum(status == 201 for status, _ in acks) == 1, acks
    assert len({body["id"] for _, body in acks}) == 1
    with engine.connect() as connection:
        count = connection.scalar(
            select(func.count()).where(
                Statement.participant_id == participant_id, Statement.client_id == client_id
            )
        )
    assert count == 1


# --- a room to race in -----------------------------------------------------------------------


def build_room(post, get) -> dict:
    """A workshop with 3 statements and an open dot vote (5 dots, 3 per statement).

    ``post(path, json, token)`` / ``get(path, token)`` call the API with the facilitator's
    token when ``token`` is None; they return (status, body).
    """
    status, workshop = post("/workshops", {"title": "Race"}, None)
    assert status == 201, workshop
    code = workshop["code"]
    status, brainstorm = post(
        f"/workshops/{code}/activities", {"kind": "brainstorm", "prompt": "Ideas"}, None
    )
    assert status == 201
    post(f"/workshops/{code}/activities/{brainstorm['id']}/state", {"state": "open"}, None)
    status, author = post(f"/workshops/{code}/participants", {"group": "residents"}, "")
    assert status == 201
    statements = []
    for n, text in enumerate(("river park", "night market", "bike lanes")):
        status, body = post(
            f"/workshops/{code}/statements",
            {"activity_id": brainstorm["id"], "text": text, "client_id": f"s{n}"},
            author["token"],
        )
        assert status == 201, body
        statements.append(body["id"])
    status, vote = post(
        f"/workshops/{code}/activities",
        {"kind": "dot_vote", "prompt": "Vote", "source_activity_id": brainstorm["id"]},
        None,
    )
    assert status == 201
    post(f"/workshops/{code}/activities/{vote['id']}/state", {"state": "open"}, None)
    # A second workshop whose brainstorm stays open, for statement races.
    status, wall = post("/workshops", {"title": "Race wall"}, None)
    status, wall_brainstorm = post(
        f"/workshops/{wall['code']}/activities", {"kind": "brainstorm", "prompt": "Ideas"}, None
    )
    post(
        f"/workshops/{wall['code']}/activities/{wall_brainstorm['id']}/state",
        {"state": "open"},
        None,
    )
    return {
        "code": code,
        "vote": vote["id"],
        "statements": statements,
        "wall": wall["code"],
        "brainstorm": wall_brainstorm["id"],
    }


def ballots_to_send(statements: list[int], count: int) -> list[dict]:
    """``count`` different valid dot ballots (5 dots, at most 3 per statement)."""
    a, b, c = (str(s) for s in statements)
    shapes = [
        {a: 3, b: 2},
        {b: 3, c: 2},
        {a: 1, b: 1, c: 3},
        {c: 3, a: 2},
        {a: 2, b: 2, c: 1},
        {b: 1},
        {a: 3},
        {c: 1, b: 3},
    ]
    return [shapes[n % len(shapes)] for n in range(count)]


def new_participant(post, code: str, group: str = "residents") -> tuple[str, int]:
    status, body = post(f"/workshops/{code}/participants", {"group": group}, "")
    assert status == 201
    return body["token"], body["participant_id"]


# --- threads against a real server -----------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def race_server(request, tmp_path_factory) -> Iterator:
    from tests.live_server import LiveServer

    folder = tmp_path_factory.mktemp(f"race-{request.param}")
    urls = _database_url(request.param, folder)
    url = next(urls)
    server = LiveServer(
        folder,
        env_extra={"WORKSHOP_DATABASE_URL": url, "WORKSHOP_RATE_VOTES": "1000"},
    )
    server.prepare()
    server.start()
    engine = create_engine(url)
    try:
        yield server, engine
    finally:
        server.stop()
        engine.dispose()
        urls.close()


def _live_calls(server):
    def post(path, json, token):
        response = server.api("POST", path, token=token, json=json)
        return response.status_code, response.json()

    def get(path, token):
        response = server.api("GET", path, token=token)
        return response.status_code, response.json()

    return post, get


def _together(jobs: list) -> list:
    """Run the jobs in threads released at the same moment; their results in order."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait(timeout=WAIT)
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return [f.result(timeout=WAIT) for f in [pool.submit(run, job) for job in jobs]]


@pytest.mark.server
def test_threads_same_and_different_client_ids(race_server):
    server, engine = race_server
    post, get = _live_calls(server)
    room = build_room(post, get)
    ballots = ballots_to_send(room["statements"], THREADS)
    session = requests.Session()

    def vote(token, client_id, dots):
        def job():
            response = session.post(
                f"{server.url}/api/v1/workshops/{room['code']}/votes",
                json={"activity_id": room["vote"], "client_id": client_id, "dots": dots},
                headers={"Authorization": f"Bearer {token}"},
                timeout=WAIT,
            )
            return client_id, response.status_code, response.json()

        return job

    # 1. The same ballot with the same client_id from every thread (a resend storm).
    token, participant = new_participant(post, room["code"])
    acks = _together([vote(token, "same", ballots[0]) for _ in range(THREADS)])
    check_ballot_outcome(engine, room["vote"], participant, {"same": [ballots[0]]}, acks)
    assert sum(body["client_id"] == "same" for _, _, body in acks) == THREADS

    # 2. A different ballot with a different client_id from every thread (two tabs, etc.).
    token, participant = new_participant(post, room["code"])
    sent = {f"d{n}": [ballots[n]] for n in range(THREADS)}
    acks = _together([vote(token, c, d[0]) for c, d in sent.items()])
    check_ballot_outcome(engine, room["vote"], participant, sent, acks)

    # 3. Both at once, and one client_id reused with different ballots (a broken client).
    token, participant = new_participant(post, room["code"])
    jobs, sent = [], {"reused": ballots[:2]}
    for n in range(THREADS):
        if n % 2:
            jobs.append(vote(token, "reused", ballots[n % 2]))
        else:
            sent[f"m{n}"] = [ballots[n]]
            jobs.append(vote(token, f"m{n}", ballots[n]))
    acks = _together(jobs)
    check_ballot_outcome(engine, room["vote"], participant, sent, acks)

    # Statements: the same client_id from every thread is stored once.
    token, participant = new_participant(post, room["wall"])

    def submit():
        response = session.post(
            f"{server.url}/api/v1/workshops/{room['wall']}/statements",
            json={"activity_id": room["brainstorm"], "text": "shade trees", "client_id": "s"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=WAIT,
        )
        return response.status_code, response.json()

    check_statement_outcome(engine, participant, "s", _together([submit] * THREADS))
    assert requests.get(f"{server.url}/health", timeout=WAIT).ok
    assert "Traceback" not in server.log()


# --- processes, each with its own app, on one database --------------------------------------


def _process_worker(url: str, jobs: list, barrier, results) -> None:
    """One server process: its own app and pool; posts ``jobs`` once all are ready."""
    from workshop import create_app
    from workshop.config import TestConfig

    config = TestConfig(url)
    config.RATE_VOTES = 1000
    app = create_app(config)
    client = app.test_client()
    out = []
    barrier.wait(timeout=WAIT)
    for kind, code, token, client_id, payload in jobs:
        response = client.post(
            f"/api/v1/workshops/{code}/{'votes' if kind == 'vote' else 'statements'}",
            json={**payload, "client_id": client_id},
            headers={"Authorization": f"Bearer {token}"},
        )
        out.append((kind, client_id, response.status_code, response.get_json()))
    results.put(out)


@pytest.fixture(params=BACKENDS)
def shared_database(request, tmp_path) -> Iterator[tuple[str, object]]:
    """A migrated database and an app on it (for setting up the room)."""
    from flask_migrate import upgrade

    from tests.conftest import make_facilitator
    from workshop import create_app
    from workshop.config import TestConfig
    from workshop.extensions import db

    urls = _database_url(request.param, tmp_path)
    url = next(urls)
    app = create_app(TestConfig(url))
    with app.app_context():
        upgrade()
    token = make_facilitator(app)
    try:
        yield url, app, token
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        urls.close()


@pytest.mark.server
def test_processes_same_and_different_client_ids(shared_database):
    url, app, facilitator = shared_database
    client = app.test_client()

    def post(path, json, token):
        token = facilitator if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = client.post(f"/api/v1{path}", json=json, headers=headers)
        return response.status_code, response.get_json()

    room = build_room(post, None)
    code, wall = room["code"], room["wall"]
    token, participant = new_participant(post, code)
    author, author_id = new_participant(post, wall)
    ballots = ballots_to_send(room["statements"], PROCESSES)
    vote = {"activity_id": room["vote"]}
    statement = {"activity_id": room["brainstorm"], "text": "more shade"}
    sent: dict[str, list[dict]] = {"same": [ballots[0]]}
    per_process = []
    for n in range(PROCESSES):
        jobs = []
        for round_ in range(ROUNDS):
            ballot = ballots[(n + round_) % len(ballots)]
            sent[f"p{n}r{round_}"] = [ballot]
            jobs += [
                ("vote", code, token, "same", {**vote, "dots": ballots[0]}),
                ("statement", wall, author, "same-statement", statement),
                ("vote", code, token, f"p{n}r{round_}", {**vote, "dots": ballot}),
                # the resend after a reconnect
                ("vote", code, token, "same", {**vote, "dots": ballots[0]}),
            ]
        per_process.append(jobs)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    processes = [
        context.Process(
            target=_process_worker,
            args=(url, jobs, barrier, results),
        )
        for jobs in per_process
    ]
    for process in processes:
        process.start()
    try:
        outputs = [results.get(timeout=WAIT * 2) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=WAIT)
            if process.is_alive():
                process.kill()
    assert all(process.exitcode == 0 for process in processes)
    rows = [row for output in outputs for row in output]
    votes = [(c, status, body) for kind, c, status, body in rows if kind == "vote"]
    statements = [(status, body) for kind, _, status, body in rows if kind == "statement"]
    engine = create_engine(url)
    try:
        check_ballot_outcome(engine, room["vote"], participant, sent, votes)
        check_statement_outcome(engine, author_id, "same-statement", statements)
    finally:
        engine.dispose()
