"""Facilitator accounts against a real ``workshop serve``: throttled logins, logout that
ends the session on the server, API tokens listed and revoked, co-facilitators on the live
panel (and off it when removed), cross-site checks on cookie writes, no-store answers.

Every wait is bounded and polls; nothing asserts on how long anything took.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
import requests

from tests.live_server import LiveServer
from tests.test_server_process import WAIT, Recorder, _ok, join, new_workshop, wait_until

pytestmark = pytest.mark.server

EVIL = "http://evil.example"
CO_EMAIL, CO_PASSWORD = "co@example.org", "co-password-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(
        tmp_path_factory.mktemp("accounts"),
        # A short first lock, so that the test can see it end (and double).
        env_extra={"WORKSHOP_LOGIN_LOCK": "1"},
    )
    server.prepare()
    server.run_cli("facilitator", "create", CO_EMAIL, "--password-stdin", stdin=CO_PASSWORD + "\n")
    server.start()
    yield server
    server.stop()


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, html[:300]
    return match.group(1)


def login(server: LiveServer, email: str, password: str, browser=None):
    """POST the login form; returns (browser session, response)."""
    browser = browser or requests.Session()
    page = browser.get(f"{server.url}/facilitator/login", timeout=WAIT)
    response = browser.post(
        f"{server.url}/facilitator/login",
        data={"csrf_token": csrf(page.text), "email": email, "password": password},
        allow_redirects=False,
        timeout=WAIT,
    )
    return browser, response


def logged_in(server: LiveServer, email: str, password: str) -> requests.Session:
    browser, response = login(server, email, password)
    assert response.status_code == 302, (response.status_code, response.text[:300])
    return browser


def post_form(server: LiveServer, browser: requests.Session, path: str) -> requests.Response:
    page = browser.get(f"{server.url}/facilitator/", timeout=WAIT)
    return browser.post(
        f"{server.url}{path}",
        data={"csrf_token": csrf(page.text)},
        allow_redirects=False,
        timeout=WAIT,
    )


def opens_dashboard(server: LiveServer, cookies: dict) -> bool:
    response = requests.get(
        f"{server.url}/facilitator/", cookies=cookies, allow_redirects=False, timeout=WAIT
    )
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def account_events(server: LiveServer, email: str) -> list[str]:
    connection = sqlite3.connect(server.instance_dir / "workshop.sqlite3")
    try:
        rows = connection.execute(
            "SELECT action FROM account_event WHERE email = ? ORDER BY id", (email,)
        ).fetchall()
    finally:
        connection.close()
    return [action for (action,) in rows]


# --- login throttling -------------------------------------------------------------------------


def test_failed_logins_are_throttled_per_account_and_never_block_joins(server):
    code, _, _ = new_workshop(server, "Throttle")
    statuses = [login(server, server.email, "wrong-password")[1].status_code for _ in range(10)]
    assert statuses == [401] * 9 + [429]
    # Locked: even the right password is refused, with Retry-After.
    _, refused = login(server, server.email, server.password)
    assert refused.status_code == 429
    first_lock = int(refused.headers["Retry-After"])
    assert first_lock >= 1
    # The hall behind the same address still joins, and other facilitators still log in.
    assert join(server, code, "residents")
    assert logged_in(server, CO_EMAIL, CO_PASSWORD)

    # Attempts during a lock are refused unchecked and uncounted; the first failure after
    # it locks again, for twice as long.
    def longer_lock():
        response = login(server, server.email, "wrong-password")[1]
        assert response.status_code == 429
        return int(response.headers["Retry-After"]) > first_lock

    wait_until(longer_lock, "a longer lock after one more failure", timeout=3 * WAIT)

    def accepted_login():
        response = login(server, server.email, server.password)[1]
        assert response.status_code in (302, 429)
        return response if response.status_code == 302 else None

    accepted = wait_until(accepted_login, "the lock to end", timeout=3 * WAIT)
    assert accepted.status_code == 302
    # A successful login forgot the failures: nine more are plain 401s again.
    statuses = [login(server, server.email, "wrong-password")[1].status_code for _ in range(9)]
    assert statuses == [401] * 9
    assert logged_in(server, server.email, server.password)
    events = account_events(server, server.email)
    assert events.count("login_locked") >= 2
    assert events.count("login_failed") >= 19
    assert "login" in events


# --- logout ends the session --------------------------------------------------------------------


def test_logout_ends_the_session_on_the_server(server):
    browser = logged_in(server, server.email, server.password)
    saved = dict(browser.cookies)
    assert opens_dashboard(server, saved)
    api = requests.get(f"{server.url}/api/v1/workshops", cookies=saved, timeout=WAIT)
    assert api.status_code == 200
    response = post_form(server, browser, "/facilitator/logout")
    assert response.status_code == 302
    # The cookie saved before the logout opens nothing any more.
    assert not opens_dashboard(server, saved)
    api = requests.get(f"{server.url}/api/v1/workshops", cookies=saved, timeout=WAIT)
    assert api.status_code == 401 and api.json()["error"]["code"] == "login_required"


def test_log_out_everywhere_and_a_password_change_end_every_session(server):
    tablet = logged_in(server, CO_EMAIL, CO_PASSWORD)
    laptop = logged_in(server, CO_EMAIL, CO_PASSWORD)
    tablet_cookies, laptop_cookies = dict(tablet.cookies), dict(laptop.cookies)
    assert opens_dashboard(server, tablet_cookies) and opens_dashboard(server, laptop_cookies)
    response = post_form(server, laptop, "/facilitator/logout-everywhere")
    assert response.status_code == 302
    assert not opens_dashboard(server, tablet_cookies)
    assert not opens_dashboard(server, laptop_cookies)

    phone = logged_in(server, CO_EMAIL, CO_PASSWORD)
    phone_cookies = dict(phone.cookies)
    assert opens_dashboard(server, phone_cookies)
    new_password = "a-new-password-2"
    output = server.run_cli(
        "facilitator", "password", CO_EMAIL, "--password-stdin", stdin=new_password + "\n"
    )
    assert "1 login session(s) ended" in output
    assert not opens_dashboard(server, phone_cookies)
    assert login(server, CO_EMAIL, CO_PASSWORD)[1].status_code == 401
    assert logged_in(server, CO_EMAIL, new_password)
    server.run_cli(
        "facilitator", "password", CO_EMAIL, "--password-stdin", stdin=CO_PASSWORD + "\n"
    )
    events = account_events(server, CO_EMAIL)
    assert {"logout_everywhere", "password_changed"} <= set(events)


def test_api_tokens_are_listed_and_revoked(server):
    token = server.run_cli("token", "create", CO_EMAIL).split()[-1]
    assert server.api("GET", "/workshops", token=token).status_code == 200
    listing = server.run_cli("token", "list", CO_EMAIL)
    ids = [int(line.split()[0]) for line in listing.splitlines() if line.strip()]
    assert ids, listing
    assert token not in listing  # only the hash is kept
    newest = max(ids)
    assert f"revoked token {newest}" in server.run_cli("token", "revoke", str(newest))
    refused = server.api("GET", "/workshops", token=token)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_token"
    assert str(newest) not in server.run_cli("token", "list", CO_EMAIL).split()
    with pytest.raises(RuntimeError, match="no API token"):
        server.run_cli("token", "revoke", str(newest))
    assert server.api("GET", "/workshops").status_code == 200  # the owner's token still works


# --- co-facilitators on the live panel ---------------------------------------------------------


def test_a_cofacilitator_runs_the_live_panel_until_removed(server):
    code, brainstorm, _ = new_workshop(server, "Co-facilitated")
    co_token = server.run_cli("token", "create", CO_EMAIL).split()[-1]
    auth = {"workshop": code, "role": "facilitator"}
    with pytest.raises(Exception):  # noqa: B017  (not invited yet: refused)
        Recorder(server.url, dict(auth, token=co_token))
    _ok(server.api("POST", f"/workshops/{code}/facilitators", json={"email": CO_EMAIL}), 201)

    owner = Recorder(server.url, dict(auth, token=server.token))
    co_panel = Recorder(server.url, dict(auth, token=co_token))
    # The co-facilitator's browser, logged in with the cookie, connects too.
    browser = logged_in(server, CO_EMAIL, CO_PASSWORD)
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    # (Same User-Agent: the login's session protection ties it to the browser.)
    headers = {"Cookie": cookie, "User-Agent": browser.headers["User-Agent"]}
    co_browser = Recorder(server.url, auth, headers=headers)
    try:
        for panel in (owner, co_panel, co_browser):
            panel.wait_for("state", lambda s: s["workshop"]["code"] == code)
        token = join(server, code, "academia")
        _ok(
            server.api(
                "POST",
                f"/workshops/{code}/statements",
                token=token,
                json={"activity_id": brainstorm, "text": "shade trees", "client_id": "c1"},
            ),
            201,
        )
        # Every facilitator socket gets what the owner gets.
        for panel in (owner, co_panel, co_browser):
            panel.wait_for("statement", lambda s: s["text"] == "shade trees")
            panel.wait_for("presence")

        removed = server.api("DELETE", f"/workshops/{code}/facilitators/{CO_EMAIL}")
        assert removed.status_code == 204, removed.text
        wait_until(
            lambda: not co_panel.client.connected and not co_browser.client.connected,
            "the removed co-facilitator's sockets to close",
        )
        assert owner.client.connected
        owner.barrier()
        with pytest.raises(Exception):  # noqa: B017
            Recorder(server.url, dict(auth, token=co_token))
        refused = server.api("GET", f"/workshops/{code}", token=co_token)
        assert refused.status_code == 403
        again = server.api("DELETE", f"/workshops/{code}/facilitators/{CO_EMAIL}")
        assert again.status_code == 404 and again.json()["error"]["code"] == "not_cofacilitator"
    finally:
        for panel in (owner, co_panel, co_browser):
            panel.close()


# --- cross-site writes and caching --------------------------------------------------------------


def test_cookie_writes_to_the_api_check_the_origin(server):
    browser = logged_in(server, server.email, server.password)
    url = f"{server.url}/api/v1/workshops"

    def titles() -> list[str]:
        return [w["title"] for w in _ok(server.api("GET", "/workshops"))["workshops"]]

    foreign = browser.post(url, json={"title": "Forged"}, headers={"Origin": EVIL}, timeout=WAIT)
    assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "csrf"
    null = browser.post(url, json={"title": "Forged"}, headers={"Origin": "null"}, timeout=WAIT)
    assert null.status_code == 403
    referred = browser.post(
        url, json={"title": "Forged"}, headers={"Referer": f"{EVIL}/page"}, timeout=WAIT
    )
    assert referred.status_code == 403
    assert "Forged" not in titles()

    own = browser.post(
        url, json={"title": "Own page"}, headers={"Origin": server.url}, timeout=WAIT
    )
    assert own.status_code == 201, own.text
    page = browser.get(f"{server.url}/facilitator/", timeout=WAIT)
    with_header = browser.post(
        url,
        json={"title": "With header"},
        headers={"Origin": EVIL, "X-CSRFToken": csrf(page.text)},
        timeout=WAIT,
    )
    assert with_header.status_code == 201
    # A bearer token carries nothing a foreign page could borrow: unaffected.
    bearer = server.api("POST", "/workshops", json={"title": "Bearer"}, headers={"Origin": EVIL})
    assert bearer.status_code == 201
    assert {"Own page", "With header", "Bearer"} <= set(titles())


def test_answers_carrying_a_token_are_not_stored(server):
    code, _, _ = new_workshop(server, "No store")
    detail = server.api("GET", f"/workshops/{code}")
    assert "t=" in detail.json()["join_url"]
    assert detail.headers["Cache-Control"] == "no-store"
    joined = server.api(
        "POST", f"/workshops/{code}/participants", token="", json={"group": "residents"}
    )
    assert joined.status_code == 201 and joined.headers["Cache-Control"] == "no-store"
    browser = logged_in(server, server.email, server.password)
    for path in (f"/facilitator/w/{code}", f"/present/{code}", detail.json()["join_url"]):
        url = path if path.startswith("http") else f"{server.url}{path}"
        response = browser.get(url, timeout=WAIT)
        assert response.status_code == 200, (path, response.status_code)
        assert response.headers["Cache-Control"] == "no-store", path
    health = requests.get(f"{server.url}/health", timeout=WAIT)
    assert "no-store" not in health.headers.get("Cache-Control", "")
