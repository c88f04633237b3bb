"""One phone at a time: reloads, flaky networks, narrow screens."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import join, make_workshop, open_activity, results

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def room(live_server) -> dict:
    room = make_workshop(live_server)
    open_activity(live_server, room["code"], room["brainstorm"])
    return room


def participants(live_server, code: str) -> int:
    return results(live_server, code)["participants"]["total"]


def test_reload_keeps_the_same_participant(live_server, room, new_context):
    from playwright.sync_api import expect

    page = new_context(locale="th-TH").new_page()
    before = participants(live_server, room["code"])
    join(page, live_server.url, room["code"], "civil_society", "Somchai")
    participant = page.locator("#room").get_attribute("data-participant")
    expect(page.locator("#statement-form")).to_be_visible()

    for _ in range(2):
        page.reload()
        expect(page.locator("#room")).to_have_attribute("data-participant", participant)
        expect(page.locator('input[name="group"]')).to_have_count(0)
        expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    # Typing the join address again also lands in the room, not on the join form.
    page.goto(f"{live_server.url}/j/{room['code']}")
    expect(page.locator("#room")).to_have_attribute("data-participant", participant)
    assert participants(live_server, room["code"]) == before + 1


def test_offline_write_is_kept_and_sent_once(live_server, room, new_context, shot):
    from playwright.sync_api import expect

    code = room["code"]
    text = "ลานกีฬากลางแจ้งสำหรับผู้สูงอายุ (sent while offline)"
    context = new_context(locale="th-TH")
    page = context.new_page()
    join(page, live_server.url, code, "residents")
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")

    context.set_offline(True)
    page.locator("#text").fill(text)
    page.locator('#statement-form button[type="submit"]').click()
    status = page.locator("#write-status")
    expect(status).to_have_attribute("data-state", "retry")
    expect(page.locator("#statements li.pending", has_text=text)).to_have_count(1)
    # The pending write is kept in localStorage, so closing the tab does not lose it.
    stored = page.evaluate(
        f"localStorage.getItem('workshop:outbox:{code}:' + "
        "document.getElementById('room').dataset.participant)"
    )
    assert stored and text in stored
    shot(page, "phone-offline-retry")
    assert not any(i["text"] == text for i in results(live_server, code)["activities"][0]["items"])

    context.set_offline(False)
    expect(status).to_have_attribute("data-state", "ok")
    expect(page.locator("#statements li", has_text=text)).to_have_count(1)
    expect(page.locator("#statements li.pending")).to_have_count(0)
    items = results(live_server, code)["activities"][0]["items"]
    assert [i["text"] for i in items].count(text) == 1
    assert (
        page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('workshop:outbox:')).length"
        )
        == 0
    )

    # A reload does not send it again either.
    page.reload()
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    expect(page.locator("#statements li", has_text=text)).to_have_count(1)
    items = results(live_server, code)["activities"][0]["items"]
    assert [i["text"] for i in items].count(text) == 1


@pytest.mark.parametrize("locale", ["th-TH", "en-US"])
def test_pages_fit_a_320px_phone(live_server, room, new_context, shot, locale):
    from playwright.sync_api import expect

    page = new_context(viewport={"width": 320, "height": 640}, locale=locale).new_page()

    def assert_no_horizontal_scroll(name: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{name} is {width}px wide at 320px"
        shot(page, f"phone-320-{name}-{locale}", full_page=True)

    page.goto(f"{live_server.url}/j")
    assert_no_horizontal_scroll("enter-code")
    page.goto(f"{live_server.url}/j/{room['code']}")
    expect(page.locator('input[name="group"]').first).to_be_visible()
    assert_no_horizontal_scroll("join")
    # Every radio button's label is a tap target of at least 44 px.
    heights = page.locator(".choice").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44

    join(page, live_server.url, room["code"], "private_sector")
    expect(page.locator("#statement-form")).to_be_visible()
    assert_no_horizontal_scroll("room")


def test_lost_acknowledgement_is_resent_with_the_same_client_id(live_server, room, new_context):
    """The server stored the idea but its answer never reached the phone: the phone keeps the
    write, also across a reload, and sends it again; the server's de-duplication keeps one."""
    from playwright.sync_api import expect

    code = room["code"]
    text = "ทางเท้าที่รถเข็นผ่านได้ทุกซอย (ack lost)"
    drop_acks = [True]

    def lose_acks(ws) -> None:
        server = ws.connect_to_server()
        ws.on_message(server.send)

        def to_page(message) -> None:
            # Socket.IO acknowledgements travel as "43<id>[...]" frames.
            if drop_acks[0] and isinstance(message, str) and message.startswith("43"):
                return
            ws.send(message)

        server.on_message(to_page)

    page = new_context(locale="th-TH").new_page()
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), lose_acks)
    join(page, live_server.url, code, "local_government")
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")

    page.locator("#text").fill(text)
    page.locator('#statement-form button[type="submit"]').click()
    expect(page.locator("#write-status")).to_have_attribute("data-state", "retry")

    def stored() -> int:
        items = results(live_server, code)["activities"][0]["items"]
        return [i["text"] for i in items].count(text)

    assert stored() == 1  # it did arrive; only the answer was lost
    drop_acks[0] = False
    page.reload()  # the write waits in localStorage and goes out again on connect
    expect(page.locator("#write-status")).to_have_attribute("data-state", "ok")
    expect(page.locator("#statements li", has_text=text)).to_have_count(1)
    expect(page.locator("#statements li.pending")).to_have_count(0)
    assert stored() == 1
