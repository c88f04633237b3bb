"""The phone after "save": the confirmation is in view, unsent text survives activity changes,
and a closed vote never claims it can still be changed (issue 20, point 4).

A 360×740 phone in Chromium; the ballots are long (twelve ideas), so the save bar is sticky
at the bottom of the screen and anything drawn below the form would be off-screen.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, join, open_activity
from tests.browser.test_vote_kinds_browser import api_ok, join_api

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

IDEAS = [f"ข้อเสนอที่ {n}: ทางเดินริมแม่น้ำวังที่มีร่มเงาตลอดสายและไฟส่องสว่าง" for n in range(1, 13)]


@pytest.fixture(scope="module")
def room(live_server) -> dict:
    code = api_ok(live_server, "POST", "/workshops", status=201, json={"title": "เวทีประชาคม"})[
        "code"
    ]

    def activity(**body) -> int:
        path = f"/workshops/{code}/activities"
        return api_ok(live_server, "POST", path, status=201, json=body)["id"]

    brainstorm = activity(kind="brainstorm", prompt="อยากให้เมืองของเรามีอะไร?")
    open_activity(live_server, code, brainstorm)
    author = join_api(live_server, code, "civil_society")
    for n, text in enumerate(IDEAS):
        api_ok(
            live_server,
            "POST",
            f"/workshops/{code}/statements",
            status=201,
            token=author,
            json={"activity_id": brainstorm, "text": text, "client_id": f"idea-{n}"},
        )
    source = {"source_activity_id": brainstorm}
    return {
        "code": code,
        "brainstorm": brainstorm,
        "dot_vote": activity(
            kind="dot_vote", prompt="เลือกความคิด", dots=5, max_per_item=3, **source
        ),
        "rank": activity(kind="rank", prompt="เรียงลำดับ", top_k=3, **source),
        "rating": activity(kind="rating", prompt="สำคัญแค่ไหน?", **source),
    }


def status_box(page) -> dict:
    return page.locator("#write-status").evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, height: r.height,"
        " inBar: !!e.closest('.vote-bar')}; }"
    )


def choose(page, kind: str) -> None:
    if kind == "dot_vote":
        page.locator(".ballot-item .plus").first.click()
    elif kind == "rank":
        page.locator("#rank-pool button").first.click()
    else:
        page.locator(".rating-item").first.locator(".pill").nth(3).click()


@pytest.mark.parametrize("kind", ["dot_vote", "rank", "rating"])
def test_saved_confirmation_is_inside_the_viewport(live_server, room, new_context, shot, kind):
    from playwright.sync_api import expect

    open_activity(live_server, room["code"], room[kind])
    page = new_context(viewport=PHONE, locale="th-TH").new_page()
    join(page, live_server.url, room["code"], "residents")
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    expect(page.locator("#vote-form .vote-bar button[type=submit]")).to_be_visible()
    choose(page, kind)
    page.locator("#vote-form .vote-bar button[type=submit]").click()
    expect(page.locator("#write-status")).to_have_attribute("data-state", "ok")
    box = status_box(page)
    shot(page, f"phone-saved-{kind}")
    assert box["inBar"], "the confirmation is not in the sticky save bar"
    assert box["height"] > 0
    assert box["top"] >= 0 and box["bottom"] <= PHONE["height"], (
        f"{kind}: confirmation at y {box['top']:.0f}–{box['bottom']:.0f} "
        f"in a {PHONE['height']} px viewport"
    )


def test_unsent_text_and_choices_come_back_with_their_activity(live_server, room, new_context):
    from playwright.sync_api import expect

    code = room["code"]
    open_activity(live_server, code, room["brainstorm"])
    page = new_context(viewport=PHONE, locale="en-US").new_page()
    join(page, live_server.url, code, "academia")
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    page.locator("#text").fill("ตลาดนัดกลางคืนริมน้ำ half written")

    open_activity(live_server, code, room["dot_vote"])
    expect(page.locator("#vote-form")).to_be_visible()
    assert page.locator("#text").count() == 0
    page.locator(".ballot-item .plus").nth(1).click()
    page.locator(".ballot-item .plus").nth(1).click()
    expect(page.locator("#write-status")).to_have_attribute("data-state", "dirty")

    open_activity(live_server, code, room["brainstorm"])
    expect(page.locator("#text")).to_have_value("ตลาดนัดกลางคืนริมน้ำ half written")

    open_activity(live_server, code, room["dot_vote"])
    expect(page.locator(".ballot-item").nth(1).locator(".dot-number")).to_have_text("2")
    expect(page.locator("#write-status")).to_have_attribute("data-state", "dirty")

    # Sent text is gone for good: it does not come back into the box.
    open_activity(live_server, code, room["brainstorm"])
    page.locator("#statement-form button[type=submit]").click()
    expect(page.locator("#text")).to_have_value("")
    open_activity(live_server, code, room["rating"])
    expect(page.locator("#vote-form")).to_be_visible()
    open_activity(live_server, code, room["brainstorm"])
    expect(page.locator("#statement-form")).to_be_visible()
    expect(page.locator("#text")).to_have_value("")


def test_a_closed_vote_does_not_say_it_can_still_change(live_server, room, new_context):
    from playwright.sync_api import expect

    code = room["code"]
    open_activity(live_server, code, room["rating"])
    page = new_context(viewport=PHONE, locale="en-US").new_page()
    join(page, live_server.url, code, "residents")
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    choose(page, "rating")
    page.locator("#vote-form .vote-bar button[type=submit]").click()
    expect(page.locator("#write-status")).to_contain_text("until the vote closes")
    response = live_server.api(
        "POST", f"/workshops/{code}/activities/{room['rating']}/state", json={"state": "closed"}
    )
    assert response.status_code == 200, response.text
    expect(page.locator("#activity")).to_contain_text("This activity is closed")
    expect(page.locator("#write-status")).to_have_text("Your vote is saved.")
    assert "until" not in page.locator("main").inner_text()
