"""The paper ballot entry desk, used by keyboard only in Chromium; the print page."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login, make_workshop, open_activity, results

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def test_entry_desk_by_keyboard(live_server, new_context, shot):
    from playwright.sync_api import expect

    room = make_workshop(live_server)
    code = room["code"]
    open_activity(live_server, code, room["brainstorm"])
    phone = live_server.api("POST", f"/workshops/{code}/participants", token="",
                            json={"group": "residents"}).json()["token"]  # fmt: skip
    ids = []
    for n, text in enumerate(["ตลาดนัดริมแม่น้ำวัง", "ต้นไม้ให้ร่มเงา", "รถรางรอบเมือง"]):
        body = {"activity_id": room["brainstorm"], "text": text, "client_id": f"c{n}"}
        made = live_server.api("POST", f"/workshops/{code}/statements", token=phone, json=body)
        ids.append(made.json()["id"])
    open_activity(live_server, code, room["vote"])
    live_server.api(
        "POST", f"/workshops/{code}/activities/{room['vote']}/state", json={"state": "closed"}
    )  # fmt: skip  (ballots come back after the vote)
    printed = live_server.api(
        "GET", f"/workshops/{code}/activities/{room['vote']}/paper-ballots.html?count=3"
    )
    assert printed.status_code == 200
    codes = list(dict.fromkeys(re.findall(r'<p class="code">(\d{4}-\d{2})</p>', printed.text)))
    assert len(codes) == 3

    page = new_context(locale="th-TH", viewport={"width": 1024, "height": 768}).new_page()
    login(page, live_server)
    # Printed: one A4 page per ballot.
    page.goto(
        f"{live_server.url}/api/v1/workshops/{code}/activities/{room['vote']}/paper-ballots.html?count=3"
    )
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 3
    page.goto(f"{live_server.url}/facilitator/w/{code}/paper/{room['vote']}")
    expect(page.locator("#ballot-code")).to_be_focused()
    count = page.locator("#keyed-count")
    expect(count).to_have_text("0")

    def key(ballot: str, group: str, marks: list[str]) -> None:
        page.keyboard.type(ballot)
        page.keyboard.press("Enter")
        page.keyboard.type(group)
        page.keyboard.press("Enter")
        for mark in marks:
            page.keyboard.type(mark)
            page.keyboard.press("Enter")

    # Ballot 1: residents (group 6), 2 dots on the first idea, 1 on the third.
    key(codes[0], "6", ["2", "", "1"])
    expect(count).to_have_text("1")
    expect(page.locator("#ballot-code")).to_be_focused()
    # Ballot 2: academia (group 4), saved early with Ctrl+Enter after the first mark.
    page.keyboard.type(codes[1])
    page.keyboard.press("Enter")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    page.keyboard.type("3")
    page.keyboard.press("Control+Enter")
    expect(count).to_have_text("2")
    expect(page.locator("#last-code")).to_have_text(codes[1])
    # The same ballot keyed again is refused; the count stays.
    key(codes[1], "4", ["1", "", ""])
    expect(page.locator("#entry-status")).to_have_attribute("data-state", "error")
    expect(count).to_have_text("2")
    shot(page, "paper-entry-refused")
    # Undo the last one (Ctrl+Z), key it again correctly.
    page.keyboard.press("Control+z")
    expect(count).to_have_text("1")
    expect(page.locator("#last-code")).to_have_text(codes[0])
    expect(page.locator("#ballot-code")).to_be_focused()
    expect(page.locator("#group-number")).to_have_value("")
    key(codes[1], "4", ["", "3", ""])
    expect(count).to_have_text("2")

    vote = next(a for a in results(live_server, code)["activities"] if a["id"] == room["vote"])
    score = {i["statement_id"]: i["score"] for i in vote["items"]}
    assert score == {ids[0]: 2, ids[1]: 3, ids[2]: 1}
    assert vote["ballots_by_channel"]["paper"] == 2
    by_channel = {i["statement_id"]: i["by_channel"]["paper"] for i in vote["items"]}
    assert set(by_channel.values()) == {1.0}


@pytest.mark.parametrize("locale", ["th-TH", "en-US"])
def test_channel_pages_have_no_axe_violations(live_server, new_context, shot, locale):
    from tests.browser.test_accessibility import violations

    room = make_workshop(live_server)
    code, vote = room["code"], room["vote"]
    open_activity(live_server, code, room["brainstorm"])
    lang = locale[:2]
    helper = live_server.api("POST", f"/workshops/{code}/helpers", json={}).json()
    tablet = new_context(locale=locale, viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, live_server)
    found: dict[str, list[str]] = {}
    for name, path in [
        ("entry", f"/facilitator/w/{code}/paper/{vote}"),
        ("print", f"/api/v1/workshops/{code}/activities/{vote}/paper-ballots.html?count=2"),
        ("poster", f"/facilitator/w/{code}/poster"),
    ]:
        tablet.goto(f"{live_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        found[name] = violations(tablet)
        shot(tablet, f"channels-{name}-{lang}", full_page=True)
    phone = new_context(locale=locale).new_page()
    phone.goto(helper["helper_url"].replace("?", f"?lang={lang}&"))
    phone.wait_for_selector('input[name="group"]')
    found["helper"] = violations(phone)
    shot(phone, f"channels-helper-{lang}")
    phone.locator('input[name="group"][value="residents"]').check()
    phone.locator('input[name="name"]').fill("ยายสมศรี")
    phone.locator('main button[type="submit"]').click()
    phone.wait_for_selector("#room")
    found["helper room"] = violations(phone)
    shot(phone, f"channels-helper-room-{lang}")
    assert phone.locator(".helper-mode").count() == 1
    problems = {page: v for page, v in found.items() if v}
    assert not problems, "\n".join(f"{page}: {v}" for page, v in problems.items())
