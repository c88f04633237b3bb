"""matrix, points and budget in real browsers: a Thai phone at 360 px, an English phone and a
phone without JavaScript answer; the projector (opened once, never reloaded) follows live.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import PROJECTOR, join, open_activity
from tests.browser.test_accessibility import violations
from tests.browser.test_vote_kinds_browser import (
    IDEAS,
    activity_results,
    api_ok,
    assert_fits,
    assert_tap_targets,
    join_api,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def make_room(live_server) -> dict:
    code = api_ok(
        live_server, "POST", "/workshops", status=201, json={"title": "เวทีประชาคม งบประมาณเมือง"}
    )["code"]

    def activity(**body) -> int:
        path = f"/workshops/{code}/activities"
        return api_ok(live_server, "POST", path, status=201, json=body)["id"]

    brainstorm = activity(kind="brainstorm", prompt="โครงการที่อยากให้มี?")
    open_activity(live_server, code, brainstorm)
    author = join_api(live_server, code, "civil_society")
    ids = [
        api_ok(
            live_server,
            "POST",
            f"/workshops/{code}/statements",
            status=201,
            token=author,
            json={"activity_id": brainstorm, "text": text, "client_id": f"idea-{n}"},
        )["id"]
        for n, text in enumerate(IDEAS)
    ]
    for statement_id, cost in zip(ids, (600, 500, 300), strict=True):
        api_ok(
            live_server,
            "PATCH",
            f"/workshops/{code}/statements/{statement_id}",
            json={"cost": cost},
        )
    source = {"source_activity_id": brainstorm}
    return {
        "code": code,
        "ids": ids,
        "matrix": activity(kind="matrix", prompt="ผลกระทบและความเป็นไปได้", **source),
        "points": activity(kind="points", prompt="แบ่งคะแนน", points=10, **source),
        "budget": activity(kind="budget", prompt="งบประมาณ 1,000 บาท", budget=1000, **source),
    }


def test_matrix_points_budget_on_phones_and_projector(live_server, new_context, shot):
    from playwright.sync_api import expect

    base = live_server.url
    room = make_room(live_server)
    code = room["code"]
    s0, s1, s2 = room["ids"]

    projector = new_context(viewport=PROJECTOR, locale="en-US").new_page()
    projector.goto(f"{base}/present/{code}?lang=en")
    expect(projector.locator("#join-code")).to_have_text(code)
    projector.evaluate("window.__noReload = true")

    thai = new_context(locale="th-TH").new_page()
    english = new_context(locale="en-US").new_page()
    nojs = new_context(locale="th-TH", java_script_enabled=False).new_page()
    join(thai, base, code, "residents")
    join(english, base, code, "academia")
    join(nojs, base, code, "local_government")
    english.goto(f"{base}/j/{code}?lang=en")
    for phone in (thai, english):
        expect(phone.locator("#room")).to_have_attribute("data-connection", "online")

    def saved(page) -> None:
        expect(page.locator("#write-status")).to_have_attribute("data-state", "ok")

    def open_for_all(activity_id: int, form_class: str) -> None:
        open_activity(live_server, code, activity_id)
        for phone in (thai, english):
            expect(phone.locator(f"#vote-form.{form_class}")).to_be_visible()
        nojs.reload()
        expect(nojs.locator(f"#vote-form.{form_class}")).to_be_visible()

    def submit(page) -> None:
        page.locator('#vote-form button[type="submit"]').click()

    # ---------- matrix: two 1–5 scales per idea ----------
    open_for_all(room["matrix"], "matrix-form")

    def place(page, statement_id: int, axis: str, value: int) -> None:
        page.locator(f'input[name="{axis}-{statement_id}"][value="{value}"]').check()

    expect(thai.locator(".matrix-item").first).to_contain_text("ผลกระทบ")
    place(thai, s0, "x", 5)
    expect(thai.locator("#budget")).to_contain_text("เลือกคะแนนให้ครบทั้งสองด้าน")
    place(thai, s0, "y", 4)
    expect(thai.locator("#budget")).to_have_text("ให้คะแนนแล้ว 1 จาก 3")
    assert_tap_targets(thai, ".matrix-item .pill")
    assert_fits(thai, "matrix")
    shot(thai, "phone-th-matrix", full_page=True)
    assert not violations(thai), violations(thai)
    submit(thai)
    saved(thai)
    expect(english.locator(".matrix-item").first).to_contain_text("Impact")
    place(english, s0, "x", 3)
    place(english, s0, "y", 2)
    place(english, s1, "x", 1)
    place(english, s1, "y", 5)
    submit(english)
    saved(english)
    nojs.locator(f'select[name="x-{s0}"]').select_option("4")
    nojs.locator(f'select[name="y-{s0}"]').select_option("4")
    assert_fits(nojs, "matrix without JavaScript")
    shot(nojs, "phone-nojs-matrix", full_page=True)
    submit(nojs)
    expect(nojs.locator(".flash-success")).to_be_visible()
    expect(nojs.locator(f'select[name="x-{s0}"]')).to_have_value("4")

    # s0: x (5+3+4)/3 = 4, y (4+2+4)/3 = 3.33: quick win; s1: x 1, y 5: fill-in.
    legend = projector.locator(".matrix-legend li")
    expect(projector.locator(f'.matrix-point[data-id="{s0}"]')).to_have_count(1)
    expect(projector.locator(f'.matrix-legend li[data-id="{s0}"]')).to_contain_text("Quick wins")
    expect(projector.locator(f'.matrix-legend li[data-id="{s1}"]')).to_contain_text("Fill-ins")
    expect(legend).to_have_count(3)
    expect(projector.locator(".quadrant-name")).to_have_text(
        ["Fill-ins", "Quick wins", "Thankless tasks", "Major projects"]
    )
    projector.get_by_role("button", name="Residents").click()
    expect(projector.locator(f'.matrix-legend li[data-id="{s1}"]')).to_contain_text("–")
    expect(projector.locator(".matrix-point")).to_have_count(1)
    shot(projector, "projector-matrix-residents")
    projector.get_by_role("button", name="All groups").click()
    expect(projector.locator(".matrix-point")).to_have_count(2)
    shot(projector, "projector-matrix")
    assert not violations(projector), violations(projector)
    matrix = {
        i["statement_id"]: i for i in activity_results(live_server, code, room["matrix"])["items"]
    }
    assert matrix[s0]["x_mean"] == 4.0 and matrix[s0]["quadrant"] == "quick_wins"
    assert matrix[s0]["by_group"]["residents"] == {"x_mean": 5.0, "y_mean": 4.0, "count": 1}

    # ---------- points: exactly 10; the phone refuses to send until none is left ----------
    open_for_all(room["points"], "points-form")
    button = thai.locator('#vote-form button[type="submit"]')
    thai.locator(f"#points-{s0}").fill("7")
    expect(thai.locator("#budget")).to_have_text("คะแนนคงเหลือ: 3")
    expect(button).to_be_disabled()
    thai.locator(f"#points-{s1}").fill("5")
    expect(thai.locator("#budget")).to_have_text("เกินมา 2 คะแนน")
    expect(button).to_be_disabled()
    thai.locator(f"#points-{s1}").fill("3")
    expect(thai.locator("#budget")).to_have_text("คะแนนคงเหลือ: 0")
    expect(button).to_be_enabled()
    assert_fits(thai, "points")
    shot(thai, "phone-th-points", full_page=True)
    assert not violations(thai), violations(thai)
    submit(thai)
    saved(thai)
    english.locator(f"#points-{s2}").fill("10")
    submit(english)
    saved(english)
    nojs.locator(f"#points-{s0}").fill("5")
    nojs.locator(f"#points-{s1}").fill("5")
    submit(nojs)
    expect(nojs.locator(".flash-success")).to_be_visible()

    def bar_value(statement_id: int):
        return projector.locator(f'#chart li[data-id="{statement_id}"] .bar-value')

    expect(bar_value(s0)).to_have_text("12")
    expect(bar_value(s2)).to_have_text("10")
    expect(bar_value(s1)).to_have_text("8")
    shot(projector, "projector-points")
    points = {
        i["statement_id"]: i for i in activity_results(live_server, code, room["points"])["items"]
    }
    assert points[s0]["mean_points"] == 4.0 and points[s0]["by_group"]["residents"] == 7

    # ---------- budget: 1,000 baht; s0 600, s1 500, s2 300 ----------
    open_for_all(room["budget"], "budget-form")

    def pick(page, statement_id: int):
        return page.locator(f'input[name="select"][value="{statement_id}"]')

    pick(thai, s0).check()
    expect(thai.locator("#budget")).to_contain_text("400")
    expect(pick(thai, s1)).to_be_disabled()  # 500 no longer fits
    expect(pick(thai, s2)).to_be_enabled()
    pick(thai, s2).check()
    expect(thai.locator("#budget")).to_contain_text("100")
    assert_fits(thai, "budget")
    shot(thai, "phone-th-budget", full_page=True)
    assert not violations(thai), violations(thai)
    submit(thai)
    saved(thai)
    pick(english, s1).check()
    pick(english, s2).check()
    submit(english)
    saved(english)
    pick(nojs, s0).check()
    submit(nojs)
    expect(nojs.locator(".flash-success")).to_be_visible()

    # Votes: s0 2, s2 2, s1 1. Funded in order of votes: s0 (600), s2 (300); s1 does not fit.
    rows = projector.locator("#chart li.bar-row")
    expect(rows).to_have_count(3)
    expect(projector.locator("#chart li.is-funded")).to_have_count(2)
    expect(projector.locator(f'#chart li.is-funded[data-id="{s0}"]')).to_have_count(1)
    expect(projector.locator(f'#chart li.is-funded[data-id="{s2}"]')).to_have_count(1)
    expect(projector.locator("#chart li.funded-line + li.bar-row")).to_have_attribute(
        "data-id", str(s1)
    )
    expect(projector.locator("#funded-note")).to_contain_text("900")
    shot(projector, "projector-budget")
    assert not violations(projector), violations(projector)
    assert not violations(english), violations(english)
    budget = {
        i["statement_id"]: i for i in activity_results(live_server, code, room["budget"])["items"]
    }
    assert [budget[s]["funded"] for s in (s0, s1, s2)] == [True, False, True]
    assert budget[s0]["by_group"]["local_government"] == 1

    # Revealed to phones: the Thai phone lists the funded projects, live.
    api_ok(
        live_server,
        "POST",
        f"/workshops/{code}/activities/{room['budget']}/reveal",
        json={"revealed": True},
    )
    expect(thai.locator(".priority-result.is-funded")).to_have_count(2)
    expect(thai.locator(f'.priority-result[data-id="{s0}"]')).to_contain_text("ได้รับงบประมาณ")
    shot(thai, "phone-th-budget-results", full_page=True)
