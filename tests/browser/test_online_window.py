"""A phone at home votes in the online window, in Chromium; after it the server refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import make_workshop, open_activity, results

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def _window(live_server, code: str, activity_id: int, delta: timedelta) -> None:
    until = (datetime.now(UTC) + delta).isoformat()
    response = live_server.api(
        "PATCH", f"/workshops/{code}/activities/{activity_id}", json={"online_until": until}
    )
    assert response.status_code == 200, response.text


def test_phone_at_home_votes_online_until_the_window_closes(live_server, new_context, shot):
    from playwright.sync_api import expect

    room = make_workshop(live_server)
    code, vote = room["code"], room["vote"]
    open_activity(live_server, code, room["brainstorm"])
    author = live_server.api("POST", f"/workshops/{code}/participants", token="",
                             json={"group": "academia"}).json()["token"]  # fmt: skip
    body = {"activity_id": room["brainstorm"], "text": "สวนสาธารณะริมน้ำ", "client_id": "c1"}
    idea = live_server.api("POST", f"/workshops/{code}/statements", token=author, json=body)
    idea_id = idea.json()["id"]
    open_activity(live_server, code, vote)
    live_server.api("POST", f"/workshops/{code}/activities/{vote}/state", json={"state": "closed"})
    join_url = live_server.api("GET", f"/workshops/{code}").json()["join_url"]

    phone = new_context(locale="th-TH").new_page()
    phone.goto(join_url)  # the poster's QR link, from home
    phone.locator('input[name="group"][value="residents"]').check()
    phone.locator('main button[type="submit"]').click()
    phone.wait_for_selector("#room")
    expect(phone.locator("#room")).to_have_attribute("data-connection", "online")
    expect(phone.locator("#vote-form")).to_have_count(0)  # closed in the room, no window yet

    _window(live_server, code, vote, timedelta(hours=1))  # the phone follows live
    expect(phone.locator("#vote-form")).to_be_visible()
    plus = phone.locator(f'.ballot-item[data-id="{idea_id}"] button.plus')
    plus.click()
    plus.click()
    phone.locator('#vote-form button[type="submit"]').click()
    expect(phone.locator("#write-status")).to_have_attribute("data-state", "ok")
    shot(phone, "phone-online-vote")
    activity = next(a for a in results(live_server, code)["activities"] if a["id"] == vote)
    assert activity["ballots_by_channel"]["online"] == 1
    assert activity["items"][0]["channel_points"]["online"] == 2

    _window(live_server, code, vote, -timedelta(seconds=1))  # closed: the server refuses
    payload = {"activity_id": vote, "client_id": "late", "dots": {str(idea_id): 3}}
    late = live_server.api("POST", f"/workshops/{code}/votes", token=author, json=payload)
    assert late.status_code == 409 and late.json()["error"]["code"] == "online_closed"
    expect(phone.locator("#vote-form")).to_have_count(0)
    activity = next(a for a in results(live_server, code)["activities"] if a["id"] == vote)
    assert activity["items"][0]["score"] == 2
