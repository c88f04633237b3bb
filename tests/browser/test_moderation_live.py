"""The moderation page is live over Socket.IO and merges any two statements (issue 20 point 7).

A 1024 px tablet in Chromium; statements come from API participants while the page is open.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, open_activity
from tests.browser.test_vote_kinds_browser import api_ok, join_api

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def write(live_server, code: str, token: str, activity: int, text: str, client_id: str) -> int:
    return api_ok(
        live_server,
        "POST",
        f"/workshops/{code}/statements",
        status=201,
        token=token,
        json={"activity_id": activity, "text": text, "client_id": client_id},
    )["id"]


def test_new_statements_appear_live_and_any_two_merge(live_server, new_context, shot):
    from playwright.sync_api import expect

    code = api_ok(live_server, "POST", "/workshops", status=201, json={"title": "เวทีประชาคม"})[
        "code"
    ]
    path = f"/workshops/{code}/activities"
    brainstorm = api_ok(
        live_server, "POST", path, status=201, json={"kind": "brainstorm", "prompt": "ไอเดีย"}
    )["id"]
    open_activity(live_server, code, brainstorm)
    author = join_api(live_server, code, "residents")
    thai = write(live_server, code, author, brainstorm, "รถเมล์กลางคืนไปมหาวิทยาลัย", "a")

    page = new_context(viewport={"width": 1024, "height": 768}, locale="en-US").new_page()
    login(page, live_server)
    page.goto(f"{live_server.url}/facilitator/w/{code}/moderate?lang=en")
    page.evaluate("window.__noReload = true")
    expect(page.locator(f"#s{thai}")).to_be_visible()
    # Nothing was merged into it: no undo button.
    expect(page.locator(f"#s{thai} form[action$='/unmerge']")).to_have_count(0)

    english = write(live_server, code, author, brainstorm, "Night bus to the university", "b")
    expect(page.locator(f"#s{english}")).to_contain_text("Night bus")
    other = write(live_server, code, author, brainstorm, "Shade trees on the market street", "c")
    expect(page.locator(f"#s{other}")).to_be_visible()

    # Pre-moderation on (another screen): a new statement shows as waiting, live.
    response = live_server.api("PATCH", f"/workshops/{code}", json={"premoderation": True})
    assert response.status_code == 200, response.text
    pending = write(live_server, code, author, brainstorm, "โทร 081-234-5678 หาผม", "d")
    expect(page.locator(f"#s{pending}")).to_have_class("statement is-pending")
    assert page.evaluate("window.__noReload === true")

    # Manual merge of an English and a Thai statement (never suggested as a pair).
    page.locator(f"#merge-target-{brainstorm}").select_option(str(thai))
    page.locator(f"#merge-source-{brainstorm}").select_option(str(english))
    page.locator("[data-merge-form] button[type=submit]").click()
    expect(page.locator(".flashes")).to_contain_text(f"#{english}")
    expect(page.locator(f"#s{english}")).to_have_class("statement is-merged")
    expect(page.locator(f"#s{thai} form[action$='/unmerge']")).to_have_count(1)
    shown = live_server.api("GET", f"/workshops/{code}/statements/{english}").json()
    assert shown["merged_into"] == thai
    shot(page, "moderation-live-merged")

    # The same statement twice is refused, and nothing changes.
    page.locator(f"#merge-target-{brainstorm}").select_option(str(other))
    page.locator(f"#merge-source-{brainstorm}").select_option(str(other))
    page.locator("[data-merge-form] button[type=submit]").click()
    expect(page.locator(".flashes")).to_contain_text("two different")
    assert (
        live_server.api("GET", f"/workshops/{code}/statements/{other}").json()["merged_into"]
        is None
    )
