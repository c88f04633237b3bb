"""axe-core (WCAG 2.2 A/AA rules) on every page type, in Chromium, in Thai and English.

axe-core is vendored as a test asset (tests/assets/axe.min.js, MPL-2.0) and injected
with page.evaluate, which the pages' Content-Security-Policy does not apply to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import PROJECTOR, join, login, make_workshop, open_activity

pytestmark = pytest.mark.browser

AXE = (Path(__file__).resolve().parents[1] / "assets" / "axe.min.js").read_text()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in result["violations"]
    ]


@pytest.mark.parametrize("locale", ["th-TH", "en-US"])
def test_pages_have_no_axe_violations(live_server, new_context, locale):
    from playwright.sync_api import expect

    room = make_workshop(live_server)
    code = room["code"]
    open_activity(live_server, code, room["brainstorm"])
    lang = locale[:2]
    phone = new_context(locale=locale).new_page()
    found: dict[str, list[str]] = {}
    phone.goto(f"{live_server.url}/j?lang={lang}")
    found["enter code"] = violations(phone)
    phone.goto(f"{live_server.url}/j/{code}")
    found["join form"] = violations(phone)
    join(phone, live_server.url, code)
    # Live from here on: the dot vote below reaches this page over the socket.
    expect(phone.locator("#room")).to_have_attribute("data-connection", "online")
    phone.locator("#text").fill("ทางเดินริมแม่น้ำวัง")
    phone.locator("#statement-form button[type=submit]").click()
    phone.wait_for_selector("#statements li")
    found["brainstorm"] = violations(phone)
    open_activity(live_server, code, room["vote"])
    phone.wait_for_selector(".ballot-item")
    found["dot vote"] = violations(phone)

    projector = new_context(locale=locale, viewport=PROJECTOR).new_page()
    projector.goto(f"{live_server.url}/present/{code}?lang={lang}")
    projector.wait_for_selector("#stage")
    found["projector"] = violations(projector)

    tablet = new_context(locale=locale, viewport={"width": 1024, "height": 768}).new_page()
    tablet.goto(f"{live_server.url}/facilitator/login?lang={lang}")
    found["login"] = violations(tablet)
    login(tablet, live_server)
    found["dashboard"] = violations(tablet)
    for name, path in [
        ("panel", ""),
        ("results", "/results"),
        ("moderation", "/moderate"),
        ("plan", "/plan"),
    ]:
        prefix = "/facilitator/w/" if name != "moderation" else "/facilitator/w/"
        tablet.goto(f"{live_server.url}{prefix}{code}{path}")
        found[name] = violations(tablet)
    problems = {page: v for page, v in found.items() if v}
    assert not problems, "\n".join(f"{page}: {v}" for page, v in problems.items())
