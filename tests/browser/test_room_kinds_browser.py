"""Word cloud, Q&A and map in real Chromium: 360 px phones (Thai, English, no JavaScript)
answer, the projector follows live, the results API matches what was entered."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser.conftest import PHONE, PROJECTOR, join, open_activity, results

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def api_ok(live_server, method: str, path: str, status: int = 200, **kwargs) -> dict:
    response = live_server.api(method, path, **kwargs)
    assert response.status_code == status, response.text
    return response.json()


def room(live_server, **activity) -> tuple[str, int]:
    code = api_ok(live_server, "POST", "/workshops", status=201, json={"title": "เวทีทดลอง"})["code"]
    ident = api_ok(live_server, "POST", f"/workshops/{code}/activities", status=201, json=activity)[
        "id"
    ]
    return code, ident


def activity_results(live_server, code: str, activity_id: int) -> dict:
    return next(a for a in results(live_server, code)["activities"] if a["id"] == activity_id)


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{width}px wide on a {PHONE['width']}px phone"


def phones(new_context, base, code):
    from playwright.sync_api import expect

    thai = new_context(locale="th-TH").new_page()
    english = new_context(locale="en-US").new_page()
    nojs = new_context(locale="th-TH", java_script_enabled=False).new_page()
    join(thai, base, code, "residents")
    join(english, base, code, "academia")
    join(nojs, base, code, "local_government")
    for phone in (thai, english):
        expect(phone.locator("#room")).to_have_attribute("data-connection", "online")
    return thai, english, nojs


def projector_page(new_context, base, code):
    from playwright.sync_api import expect

    page = new_context(viewport=PROJECTOR, locale="th-TH").new_page()
    page.goto(f"{base}/present/{code}")
    expect(page.locator("#join-code")).to_have_text(code)
    return page


def saved(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#write-status")).to_have_attribute("data-state", "ok")


def test_wordcloud_phones_and_live_cloud(live_server, new_context, shot):
    from playwright.sync_api import expect

    base = live_server.url
    code, cloud = room(live_server, kind="wordcloud", prompt="เมืองของเราในหนึ่งคำ")
    projector = projector_page(new_context, base, code)
    thai, english, nojs = phones(new_context, base, code)
    open_activity(live_server, code, cloud)
    expect(thai.locator("#vote-form.wordcloud-form")).to_be_visible()
    thai.locator("#word-1").fill("สวน สาธารณะครับ")
    thai.locator("#word-2").fill("ตลาดน้ำยามเย็นริมแม่น้ำวัง")
    fits(thai)
    shot(thai, "phone-th-wordcloud", full_page=True)
    thai.locator('#vote-form button[type="submit"]').click()
    saved(thai)
    expect(english.locator("#vote-form.wordcloud-form")).to_be_visible()
    english.locator("#word-1").fill("สวนสาธารณะ!")
    english.locator("#word-2").fill("Bike lanes")
    english.locator('#vote-form button[type="submit"]').click()
    saved(english)
    nojs.reload()
    nojs.locator("#word-1").fill("สวนสาธารณะ")
    nojs.locator('#vote-form button[type="submit"]').click()
    expect(nojs.locator(".flash-success")).to_be_visible()
    expect(nojs.locator("#word-1")).to_have_value("สวนสาธารณะ")
    fits(nojs)
    # The projector draws the live cloud; the biggest word is the one sent three times.
    words = projector.locator("#wordcloud svg text")
    expect(words).to_have_count(3)
    expect(projector.locator("#ballot-count")).to_contain_text("3")
    sizes = {
        t: float(s)
        for t, s in words.evaluate_all(
            "els => els.map(e => [e.lastChild.textContent, e.getAttribute('font-size')])"
        )
    }
    assert max(sizes, key=sizes.get) == "สวนสาธารณะ"
    # Thai glyphs never cut: every word's drawn box (real font) lies inside the drawing.
    boxes = words.evaluate_all(
        "els => els.map(e => { const b = e.getBBox();"
        " return [b.x, b.y, b.x + b.width, b.y + b.height]; })"
    )
    for left, top, right, bottom in boxes:
        assert left >= 0 and top >= 0 and right <= 1600 and bottom <= 900, boxes
    shot(projector, "projector-wordcloud")
    items = activity_results(live_server, code, cloud)["items"]
    assert {i["word"]: i["count"] for i in items} == {
        "สวนสาธารณะ": 3,
        "ตลาดน้ำยามเย็นริมแม่น้ำวัง": 1,
        "bike lanes": 1,
    }
    assert items[0]["by_group"]["local_government"] == 1


def test_qa_ask_upvote_and_the_queue(live_server, new_context, shot):
    from playwright.sync_api import expect

    base = live_server.url
    code, qa = room(live_server, kind="qa", prompt="คำถามถึงนายกเทศมนตรี")
    projector = projector_page(new_context, base, code)
    thai, english, nojs = phones(new_context, base, code)
    open_activity(live_server, code, qa)
    expect(thai.locator("#vote-form.qa-form")).to_be_visible()
    thai.locator("#text").fill("งบประมาณสวนสาธารณะมาจากไหน")
    thai.locator('#statement-form button[type="submit"]').click()
    question = english.locator(".qa-item", has_text="งบประมาณสวนสาธารณะมาจากไหน")
    expect(question).to_be_visible()  # live, without a reload
    question.locator("button.upvote").click()
    expect(question.locator("button.upvote")).to_have_attribute("aria-pressed", "true")
    saved(english)
    nojs.reload()
    nojs.locator(".qa-item button.upvote").click()
    expect(nojs.locator(".qa-item button.upvote")).to_have_attribute("aria-pressed", "true")
    fits(english)
    fits(nojs)
    shot(english, "phone-en-qa", full_page=True)
    queue = projector.locator("#qa-queue li").first
    expect(queue).to_contain_text("2")
    expect(queue).to_contain_text("งบประมาณสวนสาธารณะมาจากไหน")
    # Withdraw on the English phone.
    question.locator("button.upvote").click()
    expect(question.locator("button.upvote")).to_have_attribute("aria-pressed", "false")
    saved(english)
    item = activity_results(live_server, code, qa)["items"][0]
    assert item["votes"] == 1 and item["by_group"]["local_government"] == 1
    api_ok(
        live_server,
        "PATCH",
        f"/workshops/{code}/statements/{item['statement_id']}",
        json={"qa_state": "current"},
    )
    expect(projector.locator("#qa-queue li.is-current")).to_be_visible()
    expect(thai.locator(".qa-item.is-current")).to_be_visible()
    shot(projector, "projector-qa")


def map_png() -> bytes:
    image = Image.new("RGB", (800, 600), (230, 236, 220))
    for x in range(0, 800, 50):
        for y in range(600):
            image.putpixel((x, y), (120, 120, 120))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_map_pins_on_phones_and_projector(live_server, new_context, shot):
    from playwright.sync_api import expect

    base = live_server.url
    code, activity = room(
        live_server, kind="map", prompt="ปักหมุดปัญหาและโอกาส", categories=["ปัญหา", "โอกาส"]
    )
    upload = live_server.api(
        "POST",
        f"/workshops/{code}/activities/{activity}/image",
        files={"file": ("lampang.png", map_png(), "image/png")},
    )
    assert upload.status_code == 201, upload.text
    projector = projector_page(new_context, base, code)
    thai, english, nojs = phones(new_context, base, code)
    open_activity(live_server, code, activity)
    image = thai.locator("#map-frame .map-image")
    expect(image).to_be_visible()
    thai.locator('.category-pills input[value="โอกาส"]').check(force=True)
    thai.locator("#pin-note").fill("ริมแม่น้ำวัง")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.5})
    expect(thai.locator("#map-pins .pin")).to_have_count(1)
    expect(thai.locator("#my-pins li")).to_contain_text("ริมแม่น้ำวัง")
    fits(thai)
    shot(thai, "phone-th-map", full_page=True)
    thai.locator('#vote-form button[type="submit"]').click()
    saved(thai)
    # English: two pins, then one removed.
    image = english.locator("#map-frame .map-image")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
    image.click(position={"x": box["width"] * 0.1, "y": box["height"] * 0.9})
    expect(english.locator("#map-pins .pin")).to_have_count(2)
    english.locator("#my-pins button[data-remove='1']").click()
    expect(english.locator("#map-pins .pin")).to_have_count(1)
    english.locator('#vote-form button[type="submit"]').click()
    saved(english)
    # No JavaScript: tap the image button.
    nojs.reload()
    nojs.locator("input.map-click").click(position={"x": 160, "y": 120})
    expect(nojs.locator(".flash-success")).to_be_visible()
    expect(nojs.locator("#my-pins li")).to_have_count(1)
    fits(nojs)
    expect(projector.locator("#map-overlay .dot")).to_have_count(3)
    expect(projector.locator("#map-legend")).to_contain_text("ปัญหา: 2")
    shot(projector, "projector-map")
    pins = api_ok(live_server, "GET", f"/workshops/{code}/activities/{activity}/pins")["pins"]
    by_group = {p["group"]: p for p in pins}
    assert (
        by_group["residents"]["category"] == "โอกาส" and by_group["residents"]["note"] == "ริมแม่น้ำวัง"
    )
    assert by_group["residents"]["x"] == pytest.approx(0.25, abs=0.02)
    assert by_group["academia"]["x"] == pytest.approx(0.75, abs=0.02)
    assert by_group["local_government"]["x"] == pytest.approx(0.5, abs=0.02)
    assert by_group["local_government"]["y"] == pytest.approx(0.5, abs=0.02)
