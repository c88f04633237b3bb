"""Real-browser tests: Playwright's sync API driving Debian's Chromium.

Playwright's own browser download cannot work here, so the tests launch
``/usr/bin/chromium`` (or ``WORKSHOP_CHROMIUM``). When it is missing or cannot start,
the tests are skipped with a loud reason, or fail when ``WORKSHOP_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import require_env

CHROMIUM = os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1280, "height": 720}
TIMEOUT_MS = 20_000  # generous: auto-waiting assertions return as soon as they pass

_skip_reasons: list[str] = []


def _browser_unavailable(reason: str) -> None:
    if require_env("WORKSHOP_REQUIRE_BROWSER"):
        pytest.fail(f"WORKSHOP_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}")
    message = (
        f"BROWSER TESTS SKIPPED: {reason}. "
        "Install Debian's chromium (/usr/bin/chromium) and Playwright for Python; "
        "set WORKSHOP_REQUIRE_BROWSER=1 to make this a failure."
    )
    _skip_reasons.append(message)
    pytest.skip(message)


def pytest_terminal_summary(terminalreporter) -> None:
    if _skip_reasons:
        terminalreporter.section("browser tests skipped", sep="!", red=True, bold=True)
        terminalreporter.line(_skip_reasons[0], red=True, bold=True)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        _browser_unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError as error:
        _browser_unavailable(f"Playwright for Python is not installed ({error})")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:  # any launch problem means "no browser here"
        playwright.stop()
        _browser_unavailable(f"Playwright cannot launch {CHROMIUM}: {error}")
    expect.set_options(timeout=TIMEOUT_MS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def new_context(browser) -> Iterator[Callable]:
    """Factory of browser contexts (closed at the end of the test).

    Every page fails the test on a JavaScript error or a CSP violation.
    """
    made = []
    problems: list[str] = []

    def make(**options):
        options.setdefault("viewport", PHONE)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)

        def watch(page) -> None:
            page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
            page.on(
                "console",
                lambda msg: (
                    problems.append(f"{page.url}: {msg.text}")
                    if msg.type == "error" and "Content Security Policy" in msg.text
                    else None
                ),
            )

        context.on("page", watch)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    assert not problems, "JavaScript errors or CSP violations:\n" + "\n".join(problems)


@pytest.fixture
def shot() -> Callable:
    """Save a screenshot under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, full_page: bool = False) -> Path:
        path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


def make_workshop(live_server, title: str = "เวทีประชาคม อนาคตเมืองลำปาง 2570") -> dict:
    """A workshop with a brainstorm and a dot vote on it (both not started)."""
    response = live_server.api("POST", "/workshops", json={"title": title})
    assert response.status_code == 201, response.text
    code = response.json()["code"]
    brainstorm = live_server.api(
        "POST",
        f"/workshops/{code}/activities",
        json={"kind": "brainstorm", "prompt": "อยากให้เมืองของเรามีอะไรเพิ่มขึ้นในอีก 10 ปี?"},
    ).json()
    vote = live_server.api(
        "POST",
        f"/workshops/{code}/activities",
        json={
            "kind": "dot_vote",
            "prompt": "เลือกความคิดที่สำคัญที่สุด",
            "source_activity_id": brainstorm["id"],
            "dots": 5,
            "max_per_item": 3,
        },
    ).json()
    return {"code": code, "brainstorm": brainstorm["id"], "vote": vote["id"]}


def open_activity(live_server, code: str, activity_id: int) -> None:
    response = live_server.api(
        "POST", f"/workshops/{code}/activities/{activity_id}/state", json={"state": "open"}
    )
    assert response.status_code == 200, response.text


def results(live_server, code: str) -> dict:
    response = live_server.api("GET", f"/workshops/{code}/results")
    assert response.status_code == 200, response.text
    return response.json()


def join(page, base_url: str, code: str, group: str = "residents", name: str = "") -> None:
    """Join through the plain join form (works with and without JavaScript)."""
    page.goto(f"{base_url}/j/{code}")
    page.locator(f'input[name="group"][value="{group}"]').check()
    if name:
        page.locator('input[name="name"]').fill(name)
    page.locator('main button[type="submit"]').click()
    page.wait_for_selector("#room")


def login(page, live_server) -> None:
    page.goto(f"{live_server.url}/facilitator/login")
    page.locator('input[name="email"]').fill(live_server.email)
    page.locator('input[name="password"]').fill(live_server.password)
    page.locator('main button[type="submit"]').click()
    page.wait_for_url(re.compile(r".*/facilitator/?$"))
