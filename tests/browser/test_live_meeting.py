"""A whole meeting in real browsers: facilitator tablet, projector, three phones.

Phones: Thai locale, English locale, and one without JavaScript (plain forms).
Everything on the projector and the panel must update live, without reloads.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (
    PROJECTOR,
    join,
    login,
    make_workshop,
    results,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# The panel marks the open, current activity (after the page reloads from the form post).
OPEN_CURRENT = re.compile(r"(?=.*\bstate-open\b)(?=.*\bcurrent\b)")

IDEAS = {
    "th": "ห้องสมุดชุมชนที่เปิดถึงสามทุ่ม และมีมุมอ่านหนังสือสำหรับเด็กเล็ก",
    "en": "Shaded bicycle lanes along the river",
    "nojs": "ตลาดนัดสินค้าเกษตรอินทรีย์ทุกวันเสาร์",
}


def test_meeting_updates_every_screen_live(live_server, new_context, shot):
    from playwright.sync_api import expect

    base = live_server.url
    room = make_workshop(live_server)
    code = room["code"]

    # The facilitator tablet, logged in through the form.
    tablet = new_context(viewport={"width": 1024, "height": 768}, locale="en-US").new_page()
    login(tablet, live_server)
    tablet.goto(f"{base}/facilitator/w/{code}")
    expect(tablet.locator("#presence-total")).to_have_text("0")

    # The projector, opened once and never reloaded.
    projector = new_context(viewport=PROJECTOR, locale="th-TH").new_page()
    projector.goto(f"{base}/present/{code}")
    expect(projector.locator("#join-code")).to_have_text(code)
    projector.evaluate("window.__noReload = true")

    # Three phones join (pick a group, submit).
    thai = new_context(locale="th-TH").new_page()
    english = new_context(locale="en-US").new_page()
    nojs = new_context(locale="th-TH", java_script_enabled=False).new_page()
    join(thai, base, code, "residents")
    shot(thai, "phone-th-waiting")
    join(english, base, code, "academia", "Malee")
    join(nojs, base, code, "residents")
    for phone in (thai, english):
        expect(phone.locator("#room")).to_have_attribute("data-connection", "online")

    # The panel counts them live: three joined, two phones online (the no-JS one has no socket).
    expect(tablet.locator("#presence-total")).to_have_text("3")
    expect(tablet.locator("#presence-online")).to_have_text("2")
    residents = tablet.locator('[data-presence] [data-group="residents"] [data-count]')
    expect(residents).to_have_text("2")
    expect(projector.locator("#presence-total")).to_have_text("3")
    expect(projector.locator('[data-group="academia"] [data-count]')).to_have_text("1")
    shot(tablet, "facilitator-panel")

    # The facilitator opens the brainstorm with the panel's Open button.
    tablet.locator(f'[data-activity="{room["brainstorm"]}"] form[action$="/state"] button').click()
    expect(tablet.locator(f'[data-activity="{room["brainstorm"]}"]')).to_have_class(OPEN_CURRENT)

    # JS phones switch to the brainstorm by themselves; the no-JS phone reloads.
    for phone in (thai, english):
        expect(phone.locator("#statement-form")).to_be_visible()
    expect(projector.locator("#wall")).to_be_attached()
    nojs.reload()

    thai.locator("#text").fill(IDEAS["th"])
    thai.locator('#statement-form button[type="submit"]').click()
    expect(thai.locator("#write-status")).to_have_attribute("data-state", "ok")
    english.locator("#text").fill(IDEAS["en"])
    english.locator('#statement-form button[type="submit"]').click()
    expect(english.locator("#write-status")).to_have_attribute("data-state", "ok")
    nojs.locator('textarea[name="text"]').fill(IDEAS["nojs"])
    nojs.locator('#statement-form button[type="submit"]').click()
    expect(nojs.locator(".flash-success")).to_be_visible()
    expect(nojs.locator("#statements li", has_text=IDEAS["nojs"])).to_have_count(1)

    # The projector shows all three, newest first, without a reload.
    wall = projector.locator("#wall li")
    expect(wall).to_have_text([IDEAS["nojs"], IDEAS["en"], IDEAS["th"]])
    # Each JS phone sees every idea once, also the ones of others.
    for phone in (thai, english):
        expect(phone.locator("#statements li")).to_have_text(
            [IDEAS["nojs"], IDEAS["en"], IDEAS["th"]]
        )
        expect(phone.locator("#statement-count")).to_have_text("3")
    shot(thai, "phone-th-brainstorm", full_page=True)
    shot(projector, "projector-wall")

    ids = {
        item["text"]: item["statement_id"]
        for item in results(live_server, code)["activities"][0]["items"]
    }
    th, en, nj = ids[IDEAS["th"]], ids[IDEAS["en"]], ids[IDEAS["nojs"]]

    # The dot vote, again from the panel.
    tablet.locator(f'[data-activity="{room["vote"]}"] form[action$="/state"] button').click()
    expect(tablet.locator(f'[data-activity="{room["vote"]}"]')).to_have_class(OPEN_CURRENT)
    for phone in (thai, english):
        expect(phone.locator("#vote-form")).to_be_visible()
        expect(phone.locator("#budget")).to_contain_text("5")
    expect(projector.locator("#chart li")).to_have_count(3)
    nojs.reload()

    def plus(page, statement_id: int, times: int) -> None:
        button = page.locator(f'.ballot-item[data-id="{statement_id}"] button.plus')
        for _ in range(times):
            button.click()

    # Thai phone: 3 on its own idea (the cap: + is then disabled), 2 on the English one.
    plus(thai, th, 3)
    expect(thai.locator(f'.ballot-item[data-id="{th}"] button.plus')).to_be_disabled()
    plus(thai, en, 2)
    expect(thai.locator(f'.ballot-item[data-id="{th}"] .dot-number')).to_have_text("3")
    # Every dot is placed: no + is enabled any more.
    expect(thai.locator("button.plus:enabled")).to_have_count(0)
    thai.locator(f'.ballot-item[data-id="{en}"] button.minus').click()
    expect(thai.locator(f'.ballot-item[data-id="{en}"] .dot-number')).to_have_text("1")
    shot(thai, "phone-th-ballot", full_page=True)
    thai.locator('#vote-form button[type="submit"]').click()
    expect(thai.locator("#write-status")).to_have_attribute("data-state", "ok")

    # English phone: 2 on the no-JS idea, 1 on its own.
    plus(english, nj, 2)
    plus(english, en, 1)
    english.locator('#vote-form button[type="submit"]').click()
    expect(english.locator("#write-status")).to_have_attribute("data-state", "ok")

    # No-JS phone: number inputs and the plain form.
    nojs.locator(f'input[name="dots-{nj}"]').fill("3")
    nojs.locator(f'input[name="dots-{th}"]').fill("1")
    shot(nojs, "phone-nojs-ballot", full_page=True)
    nojs.locator('#vote-form button[type="submit"]').click()
    expect(nojs.locator(".flash-success")).to_be_visible()
    expect(nojs.locator(f'input[name="dots-{nj}"]')).to_have_value("3")

    # Totals: th 3+1 = 4, en 1+1 = 2, nojs 2+3 = 5; sorted, with the numbers shown.
    def value(statement_id: int):
        return projector.locator(f'#chart li[data-id="{statement_id}"] .bar-value')

    expect(value(nj)).to_have_text("5")
    expect(value(th)).to_have_text("4")
    expect(value(en)).to_have_text("2")
    expect(projector.locator("#chart li .bar-label")).to_have_text(
        [IDEAS["nojs"], IDEAS["th"], IDEAS["en"]]
    )
    expect(projector.locator("#ballot-count")).to_contain_text("3")
    # The top bar is full width, the others relative to it.
    widths = projector.locator("#chart .bar-fill").evaluate_all(
        "els => els.map(e => e.style.width)"
    )
    assert widths == ["100%", "80%", "40%"]
    shot(projector, "projector-chart")

    # The panel shows the ballots live too.
    expect(tablet.locator(f'[data-activity="{room["vote"]}"] [data-ballots]')).to_contain_text("3")

    # A phone changes its vote: the projector follows.
    english.locator(f'.ballot-item[data-id="{nj}"] button.minus').click()
    english.locator(f'.ballot-item[data-id="{th}"] button.plus').click()
    english.locator('#vote-form button[type="submit"]').click()
    expect(value(th)).to_have_text("5")
    expect(value(nj)).to_have_text("4")

    # The projector was never reloaded.
    assert projector.evaluate("window.__noReload") is True
    final = results(live_server, code)["activities"][1]
    assert {i["statement_id"]: i["score"] for i in final["items"]} == {nj: 4, th: 5, en: 2}
