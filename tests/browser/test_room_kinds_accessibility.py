"""axe-core (WCAG 2.2 A/AA) on the word cloud, Q&A and map pages, in Thai and English: the
phone with answers sent, the projector live, the facilitator's panel and results."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PROJECTOR, join, login, open_activity
from tests.browser.test_accessibility import violations
from tests.browser.test_room_kinds_browser import api_ok, map_png

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

GEOREF = {"top_left": {"lat": 18.3, "lon": 99.48}, "bottom_right": {"lat": 18.26, "lon": 99.53}}


def kinds_room(live_server) -> tuple[str, dict[str, int]]:
    code = api_ok(live_server, "POST", "/workshops", status=201, json={"title": "เวทีทดลอง"})["code"]
    ids = {}
    for kind, prompt, extra in [
        ("wordcloud", "เมืองของเราในหนึ่งคำ", {}),
        ("qa", "คำถามถึงนายกเทศมนตรี", {}),
        ("map", "ปัญหาอยู่ตรงไหน?", {"georef": GEOREF}),
    ]:
        body = {"kind": kind, "prompt": prompt, **extra}
        ids[kind] = api_ok(
            live_server, "POST", f"/workshops/{code}/activities", status=201, json=body
        )["id"]
    api_ok(
        live_server,
        "POST",
        f"/workshops/{code}/activities/{ids['map']}/image",
        status=201,
        files={"file": ("lampang.png", map_png(), "image/png")},
    )
    return code, ids


@pytest.mark.parametrize("locale", ["th-TH", "en-US"])
def test_room_kind_pages_have_no_axe_violations(live_server, new_context, locale):
    from playwright.sync_api import expect

    base = live_server.url
    code, ids = kinds_room(live_server)
    lang = locale[:2]
    phone = new_context(locale=locale).new_page()
    join(phone, base, code)
    expect(phone.locator("#room")).to_have_attribute("data-connection", "online")
    # The plain page (no JavaScript): the app's scripts are not loaded, axe still runs.
    plain_context = new_context(locale=locale)
    plain_context.route("**/*.js", lambda route: route.abort())
    plain = plain_context.new_page()
    join(plain, base, code, "academia")
    projector = new_context(locale=locale, viewport=PROJECTOR).new_page()
    projector.goto(f"{base}/present/{code}?lang={lang}")
    expect(projector.locator("#join-code")).to_have_text(code)
    tablet = new_context(locale=locale, viewport={"width": 1024, "height": 768}).new_page()
    login(tablet, live_server)
    found: dict[str, list[str]] = {}

    def facilitator(kind: str) -> None:
        for name, path in [("panel", ""), ("results", "/results")]:
            tablet.goto(f"{base}/facilitator/w/{code}{path}?lang={lang}")
            if name == "panel" and kind == "map":  # the georeference fields, add and edit
                tablet.select_option("#add-form select[name=kind]", "map")
                expect(tablet.locator("#georef_north-new")).to_be_visible()
                tablet.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                expect(tablet.locator(f"#georef_north-{ids['map']}")).to_have_value("18.3")
            found[f"{kind} {name}"] = violations(tablet)

    open_activity(live_server, code, ids["wordcloud"])
    expect(phone.locator("#vote-form.wordcloud-form")).to_be_visible()
    found["wordcloud phone"] = violations(phone)
    phone.locator("#word-1").fill("สวนสาธารณะ")
    phone.locator('#vote-form button[type="submit"]').click()
    expect(phone.locator("#write-status")).to_have_attribute("data-state", "ok")
    found["wordcloud phone, sent"] = violations(phone)
    expect(projector.locator("#wordcloud svg text")).to_have_count(1)
    found["wordcloud projector"] = violations(projector)
    plain.reload()
    expect(plain.locator("#word-1")).to_be_visible()
    found["wordcloud phone without JavaScript"] = violations(plain)
    facilitator("wordcloud")

    open_activity(live_server, code, ids["qa"])
    expect(phone.locator("#vote-form.qa-form")).to_be_visible()
    phone.locator("#text").fill("งบประมาณสวนสาธารณะมาจากไหน")
    phone.locator('#statement-form button[type="submit"]').click()
    expect(phone.locator(".qa-item")).to_have_count(1)
    found["qa phone"] = violations(phone)
    expect(projector.locator("#qa-queue li")).to_have_count(1)
    found["qa projector"] = violations(projector)
    plain.reload()
    expect(plain.locator(".qa-item")).to_be_visible()
    found["qa phone without JavaScript"] = violations(plain)
    facilitator("qa")

    open_activity(live_server, code, ids["map"])
    image = phone.locator("#map-frame .map-image")
    expect(image).to_be_visible()
    found["map phone"] = violations(phone)
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.5})
    expect(phone.locator("#map-pins .pin")).to_have_count(1)
    found["map phone, a pin"] = violations(phone)
    phone.locator('#vote-form button[type="submit"]').click()
    expect(phone.locator("#write-status")).to_have_attribute("data-state", "ok")
    expect(projector.locator("#map-overlay .dot")).to_have_count(1)
    found["map projector"] = violations(projector)
    plain.reload()
    expect(plain.locator("input.map-click")).to_be_visible()
    found["map phone without JavaScript"] = violations(plain)
    facilitator("map")

    problems = {page: v for page, v in found.items() if v}
    assert not problems, "\n".join(f"{page}: {v}" for page, v in problems.items())
