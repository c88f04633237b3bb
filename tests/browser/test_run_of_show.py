"""The facilitator's run-of-show and moderation controls, seen live on a phone and the projector."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PROJECTOR, join, make_workshop, open_activity

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def control(live_server, code: str, activity_id: int, action: str, body: dict) -> None:
    response = live_server.api(
        "POST", f"/workshops/{code}/activities/{activity_id}/{action}", json=body
    )
    assert response.status_code == 200, response.text


def moderate(live_server, code: str, statement_id: int, **changes) -> None:
    path = f"/workshops/{code}/statements/{statement_id}"
    response = live_server.api("PATCH", path, json=changes)
    assert response.status_code == 200, response.text


def test_controls_show_live_on_phone_and_projector(live_server, new_context, shot):
    from playwright.sync_api import expect

    room = make_workshop(live_server)
    code = room["code"]
    open_activity(live_server, code, room["brainstorm"])
    projector = new_context(viewport=PROJECTOR).new_page()
    projector.goto(f"{live_server.url}/present/{code}")
    phone = new_context(locale="en-US").new_page()
    join(phone, live_server.url, code)
    expect(phone.locator("#room")).to_have_attribute("data-connection", "online")
    expect(projector.locator("#presence-total")).to_have_text("1")

    texts = ["Night market by the river", "More shade trees", "Free Wi-Fi in parks"]
    for text in texts:
        phone.locator("#text").fill(text)
        phone.locator('#statement-form button[type="submit"]').click()
        expect(phone.locator("#statements li", has_text=text)).to_have_count(1)
    expect(projector.locator("#wall li")).to_have_count(3)
    cards = projector.locator("#wall li")
    ids = [int(i) for i in cards.evaluate_all("els => els.map(e => e.dataset.id)")][::-1]

    # Moderation: hide one, pin one, reword one; both screens follow without a reload.
    moderate(live_server, code, ids[0], hidden=True)
    expect(projector.locator("#wall li")).to_have_count(2)
    expect(phone.locator("#statements li")).to_have_count(2)
    moderate(live_server, code, ids[1], pinned=True)
    expect(projector.locator("#wall li").first).to_have_class("is-pinned")
    expect(projector.locator("#wall li").first).to_have_text(texts[1])
    moderate(live_server, code, ids[2], text="Free Wi-Fi in every park")
    expect(projector.locator("#wall li", has_text="every park")).to_have_count(1)
    expect(phone.locator("#statements li", has_text="every park")).to_have_count(1)

    # Pause submissions: the phone cannot send, the projector says so.
    control(live_server, code, room["brainstorm"], "lock", {"locked": True})
    expect(phone.locator(".paused")).to_be_visible()
    expect(phone.locator('#statement-form button[type="submit"]')).to_be_disabled()
    expect(projector.locator(".state-note")).to_be_visible()
    control(live_server, code, room["brainstorm"], "lock", {"locked": False})
    expect(phone.locator('#statement-form button[type="submit"]')).to_be_enabled()

    # A countdown shows on both screens.
    control(live_server, code, room["brainstorm"], "timer", {"seconds": 120})
    clock = re.compile(r"^[12]:[0-5]\d$")
    expect(phone.locator("#countdown")).to_have_text(clock)
    expect(projector.locator("#countdown")).to_have_text(clock)
    expect(projector.locator("#presence-total")).to_have_text("1")
    shot(projector, "projector-countdown-pinned")

    # The vote: results hidden on the projector, then revealed on the phones.
    open_activity(live_server, code, room["vote"])
    expect(phone.locator("#countdown")).to_be_hidden()
    expect(phone.locator(".ballot-item")).to_have_count(2)
    phone.locator(f'.ballot-item[data-id="{ids[1]}"] button.plus').click()
    phone.locator('#vote-form button[type="submit"]').click()
    expect(phone.locator("#write-status")).to_have_attribute("data-state", "ok")
    expect(projector.locator(f'#chart li[data-id="{ids[1]}"] .bar-value')).to_have_text("1")

    control(live_server, code, room["vote"], "projector", {"show_results": False})
    expect(projector.locator(".results-hidden")).to_be_visible()
    expect(projector.locator("#chart")).to_have_count(0)
    control(live_server, code, room["vote"], "projector", {"show_results": True})
    expect(projector.locator(f'#chart li[data-id="{ids[1]}"] .bar-value')).to_have_text("1")

    expect(phone.locator("#results")).to_be_empty()
    control(live_server, code, room["vote"], "reveal", {"revealed": True})
    expect(phone.locator(f'#results li[data-id="{ids[1]}"] .bar-value')).to_have_text("1")
    # The phone keeps its ballot while showing the results.
    expect(phone.locator(f'.ballot-item[data-id="{ids[1]}"] .dot-number')).to_have_text("1")
    shot(phone, "phone-results-revealed", full_page=True)
