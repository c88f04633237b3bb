"""A planner builds a process plan in Chromium on a 1024 px tablet: creates the process,
adds a meeting, places a goal, a strategy and a project in the tree, freezes a version,
compares it with the working plan and publishes the process page."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login
from tests.browser.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
TABLET = {"width": 1024, "height": 768}


def _add(page, section: str, text: str, under: str | None = None) -> None:
    form = page.locator("#add-item form")
    form.locator('select[name="section"]').select_option(section)
    if under:
        form.locator('select[name="parent_id"]').select_option(label=under)
    form.locator("textarea").fill(text)
    form.locator('button[type="submit"]').click()
    page.wait_for_load_state()


def test_a_planner_builds_and_versions_the_plan_tree(live_server, new_context, shot):
    from playwright.sync_api import expect

    page = new_context(viewport=TABLET, locale="th-TH").new_page()
    login(page, live_server)
    page.goto(f"{live_server.url}/facilitator/processes")
    found = {"processes": violations(page)}
    page.locator("#p-title").fill("แผนพัฒนาเมืองลำปางยั่งยืน")
    page.locator("#p-city").select_option("lampang")
    page.locator('input[name="start_year_be"]').fill("2570")
    page.locator('input[name="end_year_be"]').fill("2579")
    page.get_by_role("button", name="สร้างกระบวนการ").click()
    expect(page.locator("h1")).to_contain_text("แผนพัฒนาเมืองลำปางยั่งยืน")
    pid = int(re.search(r"/processes/(\d+)", page.url).group(1))

    page.locator("#meetings summary").click()
    page.locator('input[name="title"]').fill("เวทีวิสัยทัศน์และเป้าหมาย")
    page.locator('input[name="purpose"]').fill("ร่วมกำหนดเป้าหมาย")
    page.get_by_role("button", name="เพิ่มเวทีนี้").click()
    expect(page.locator("[data-meeting]")).to_contain_text("เวทีวิสัยทัศน์และเป้าหมาย")

    _add(page, "goals", "อากาศสะอาดสำหรับทุกคน")
    _add(page, "strategies", "ขนส่งสาธารณะสีเขียว", under="อากาศสะอาดสำหรับทุกคน")
    _add(page, "projects", "รถเมล์ไฟฟ้ารอบเมือง", under="ขนส่งสาธารณะสีเขียว")
    project = page.locator(".plan-item.project").first
    expect(project.locator("textarea")).to_have_value("รถเมล์ไฟฟ้ารอบเมือง")
    project.locator('input[name="budget"]').fill("12,000,000")
    project.locator('input[name="owner_agency"]').fill("เทศบาลนครลำปาง")
    project.get_by_role("button", name="บันทึก").first.click()
    expect(page.locator("#flashes")).to_contain_text("บันทึกแล้ว")
    plan = live_server.api("GET", f"/processes/{pid}/plan").json()
    placed = plan["goals"][0]["strategies"][0]["projects"][0]
    assert (placed["budget"], placed["owner_agency"]) == (12_000_000, "เทศบาลนครลำปาง")

    bad = page.locator(".plan-item.project").first
    bad.locator('input[name="start_year"]').fill("2600")  # outside 2570-2579
    bad.get_by_role("button", name="บันทึก").first.click()
    expect(page.locator("body")).to_contain_text("ไม่ได้บันทึก")
    assert live_server.api("GET", f"/processes/{pid}/plan").json() == plan

    versions = page.locator("#versions form")
    versions.locator('select[name="status"]').select_option("consultation")
    versions.locator('input[name="note"]').fill("ส่งเข้าเวทีประชาคม")
    versions.get_by_role("button").click()
    expect(page.locator("[data-plan-status]")).to_have_text("อยู่ระหว่างรับฟังความคิดเห็น")
    _add(page, "goals", "มรดกวัฒนธรรมมีชีวิต")
    shot(page, "process-editor-tablet", full_page=True)
    found["editor"] = violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= TABLET["width"], f"the editor scrolls sideways at 1024 px ({width} px)"

    page.locator('[data-version="1"] a').click()
    expect(page.locator('[data-diff="added"]')).to_contain_text("มรดกวัฒนธรรมมีชีวิต")
    expect(page.locator('[data-diff="added"]')).not_to_contain_text("อากาศสะอาดสำหรับทุกคน")
    found["diff"] = violations(page)

    page.goto(f"{live_server.url}/facilitator/processes/{pid}")
    page.get_by_role("button", name="เผยแพร่หน้ากระบวนการ").click()
    public = new_context(viewport=TABLET, locale="th-TH").new_page()
    public.goto(f"{live_server.url}/cities/lampang/process/{pid}")
    expect(public.locator("main")).to_contain_text("รถเมล์ไฟฟ้ารอบเมือง")
    expect(public.locator("main")).to_contain_text("เวทีวิสัยทัศน์และเป้าหมาย")
    found["process page"] = violations(public)
    problems = {name: v for name, v in found.items() if v}
    assert not problems, "\n".join(f"{name}: {v}" for name, v in problems.items())
