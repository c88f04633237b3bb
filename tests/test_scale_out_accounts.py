"""Accounts and a busy database with two real `workshop serve` processes sharing
PostgreSQL and a Redis message queue: login throttling counted in Redis by both
processes, a logout through one process closing the panel connected to the other, and a
PostgreSQL lock held elsewhere answered "busy" (never a 500) while reads go on.

Needs PostgreSQL and Redis like tests/test_scale_out.py (skipped loudly without them,
failed when ``WORKSHOP_REQUIRE_SERVICES=1``).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.live_server import LiveServer
from tests.test_accounts_live import logged_in, login, opens_dashboard, post_form
from tests.test_scale_out import postgres_database, redis_url  # noqa: F401  (fixtures)
from tests.test_server_process import WAIT, Recorder, _ok, join, new_workshop, wait_until

pytestmark = pytest.mark.server

THROTTLED_EMAIL, THROTTLED_PASSWORD = "throttled@example.org", "throttled-password-1"


@pytest.fixture(scope="module")
def servers(tmp_path_factory, postgres_database: str, redis_url: str) -> Iterator:  # noqa: F811
    env = {
        "WORKSHOP_DATABASE_URL": postgres_database,
        "WORKSHOP_MESSAGE_QUEUE": redis_url,
        "WORKSHOP_MESSAGE_QUEUE_CHANNEL": f"workshop-test-{secrets.token_hex(6)}",
        "WORKSHOP_SECRET_KEY": "scale-out-accounts-secret",
        "WORKSHOP_DB_BUSY_TIMEOUT": "3",
    }
    root: Path = tmp_path_factory.mktemp("scale-out-accounts")
    a = LiveServer(root / "a", env_extra=dict(env))
    b = LiveServer(root / "b", env_extra=dict(env))
    (root / "b").mkdir()
    a.prepare()
    a.run_cli(
        "facilitator",
        "create",
        THROTTLED_EMAIL,
        "--password-stdin",
        stdin=THROTTLED_PASSWORD + "\n",
    )
    b.token = a.token
    started = []
    try:
        for server in (a, b):
            server.start()
            started.append(server)
        yield a, b
    finally:
        for server in started:
            server.stop()


def test_failed_logins_on_one_process_lock_the_account_on_the_other(servers):
    a, b = servers
    statuses = [login(a, THROTTLED_EMAIL, "wrong-password")[1].status_code for _ in range(10)]
    assert statuses == [401] * 9 + [429]
    refused = login(b, THROTTLED_EMAIL, THROTTLED_PASSWORD)[1]
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert logged_in(b, a.email, a.password)  # another account is not affected


def test_logout_through_one_process_closes_the_panel_on_the_other(servers):
    a, b = servers
    code, _, _ = new_workshop(a, "Two processes")
    browser = logged_in(a, a.email, a.password)
    cookies = dict(browser.cookies)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    headers = {"Cookie": cookie, "User-Agent": browser.headers["User-Agent"]}
    panel = Recorder(b.url, {"workshop": code, "role": "facilitator"}, headers=headers)
    api_panel = Recorder(b.url, {"workshop": code, "role": "facilitator", "token": a.token})
    try:
        panel.wait_for("state")
        assert opens_dashboard(b, cookies)
        assert post_form(a, browser, "/facilitator/logout").status_code == 302
        wait_until(lambda: not panel.client.connected, "the panel on B to close")
        assert not opens_dashboard(b, cookies)
        api_panel.barrier()  # the token's socket stays
    finally:
        panel.close()
        api_panel.close()


def test_a_postgresql_lock_held_elsewhere_answers_busy(servers, postgres_database: str):  # noqa: F811
    import psycopg

    a, _ = servers
    code, brainstorm, _ = new_workshop(a, "Locked table")
    token = join(a, code, "residents")
    conninfo = postgres_database.replace("postgresql+psycopg://", "postgresql://")
    holder = psycopg.connect(conninfo)
    try:
        holder.execute("LOCK TABLE statement IN ACCESS EXCLUSIVE MODE")
        result: dict = {}

        def write() -> None:
            result["response"] = a.api(
                "POST",
                f"/workshops/{code}/statements",
                token=token,
                json={"activity_id": brainstorm, "text": "under lock", "client_id": "pg1"},
                timeout=3 * WAIT,
            )

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        assert requests.get(f"{a.url}/health", timeout=WAIT).status_code == 200
        assert _ok(a.api("GET", f"/workshops/{code}"))["code"] == code
        writer.join(timeout=3 * WAIT)
        assert not writer.is_alive()
        response = result["response"]
        assert response.status_code == 503, response.text
        assert response.json()["error"]["code"] == "busy"
        assert int(response.headers["Retry-After"]) >= 1
    finally:
        holder.rollback()
        holder.close()
    again = a.api(
        "POST",
        f"/workshops/{code}/statements",
        token=token,
        json={"activity_id": brainstorm, "text": "under lock", "client_id": "pg1"},
    )
    assert again.status_code == 201, again.text
    resent = a.api(
        "POST",
        f"/workshops/{code}/statements",
        token=token,
        json={"activity_id": brainstorm, "text": "under lock", "client_id": "pg1"},
    )
    assert resent.status_code == 200 and resent.json()["id"] == again.json()["id"]
