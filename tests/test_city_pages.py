"""City progress pages: public overview, city and project pages, facilitator updates,
bulk import, milestones and indicators, and the monitoring reports."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from tests.conftest import Api, make_facilitator
from tests.test_pages import csrf, login, text

XSS = "<script>alert(1)</script>"
VISION = "ลำปางเมืองน่าอยู่ริมแม่น้ำวัง"
GOAL = "อากาศสะอาดสำหรับทุกคน"
TREES = "ปลูกต้นไม้ให้ร่มเงา"
BUS = "night bus"
FORMULA = "=SUM(1,2) budget"
SVG_BLOCK = re.compile(r"<svg\b.*?</svg>", re.S)


@pytest.fixture
def city(api, app):
    """Lampang adopts a plan of four short-term projects; updates, a due date, an indicator."""
    code = api.workshop(title="Lampang plan", city="lampang", date="2026-11-26")["code"]
    vision = api.activity(code, kind="brainstorm", prompt="Vision?", plan_section="vision")
    goals = api.activity(code, kind="brainstorm", prompt="Goals?", plan_section="goals")
    projects = api.activity(
        code, kind="brainstorm", prompt="Projects", plan_section="projects", horizon="short"
    )
    author = api.join(code, "residents")
    ids = {}
    for activity, texts in ((vision, [VISION]), (goals, [GOAL]), (projects, [TREES, BUS, XSS])):
        api.open(code, activity["id"])
        for n, words in enumerate(texts):
            response = api.statement(code, author, activity["id"], words, f"s{activity['id']}-{n}")
            assert response.status_code == 201, response.json
            ids[words] = response.json["id"]
    response = api.statement(code, author, projects["id"], FORMULA, "formula")
    assert response.status_code == 201, response.json
    ids[FORMULA] = response.json["id"]
    vote = api.activity(
        code, kind="dot_vote", prompt="Vote projects", source_activity_id=projects["id"]
    )
    api.open(code, vote["id"])
    for group, dots in (
        ("residents", {TREES: 3, BUS: 1, XSS: 1}),
        ("academia", {TREES: 1, FORMULA: 1}),
    ):
        token = api.join(code, group)
        response = api.vote(code, token, vote["id"], {ids[t]: n for t, n in dots.items()}, "v")
        assert response.status_code in (200, 201), response.json
    assert api.post(f"/workshops/{code}/plan/draft").status_code == 201
    adopted = api.post(f"/workshops/{code}/plan/adopt")
    assert adopted.status_code == 201, adopted.json
    by_title = {p["title"]: p["id"] for p in adopted.json["projects"]}
    assert set(by_title) == {TREES, BUS, XSS, FORMULA}
    trees, bus = by_title[TREES], by_title[BUS]
    for body in (
        {"status": "in_progress", "progress": 20, "note": "ต้นไม้มาแล้ว", "date": "2027-01-10"},
        {"progress": 60, "note": "planted half", "date": "2027-03-01"},
    ):
        assert api.post(f"/projects/{trees}/updates", body).status_code == 201
    patched = api.client.patch(
        f"/api/v1/projects/{bus}", json={"due_date": "2020-01-01"}, headers=api.headers()
    )
    assert patched.status_code == 200, patched.json
    with app.app_context():
        from workshop.extensions import db
        from workshop.tracking import edits, operations

        project = operations.get_project(trees)
        indicator = edits.add_indicator(project, f"Trees {XSS}", "trees", 10, 50)
        edits.add_indicator_value(project, indicator.id, 12, "2027-01-10")
        edits.add_indicator_value(project, indicator.id, "30", "2027-03-01")
        edits.add_milestone(project, "Order the saplings", "2026-12-15")
        db.session.commit()
    return {
        "code": code,
        "plan_id": adopted.json["plan_id"],
        "ids": by_title,
        "trees": trees,
        "bus": bus,
        "xss": by_title[XSS],
    }


def svgs(html: str) -> list[ET.Element]:
    """Every inline SVG of a page, parsed as XML (so each one is well-formed)."""
    return [ET.fromstring(block) for block in SVG_BLOCK.findall(html)]


def assert_csp_clean(html: str) -> None:
    assert 'style="' not in html and "<style" not in html  # no inline styles (CSP)
    assert "<script" not in html  # no inline scripts, nothing injected


def assert_escaped(html: str) -> None:
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---------------------------------------------------------------- public pages


def test_overview_shows_every_pilot_city(client, city):
    page = client.get("/cities?lang=en")
    html = text(page)
    assert page.status_code == 200
    assert_csp_clean(html)
    assert "เทศบาลนครลำปาง" in html and "Lampang City Municipality" in html
    assert "/cities/lampang" in html and "/cities/nan" in html
    row = next(r for r in html.split("<tr") if 'href="/cities/lampang"' in r)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    # projects, 5 statuses, mean progress, overdue
    assert cells[0] == "4"
    assert cells[1:6] == ["3", "1", "0", "0", "0"]
    assert cells[6] == "15%"  # (60 + 0 + 0 + 0) / 4
    assert 'class="overdue-tag">1<' in cells[7]
    assert "1 March 2027" in row  # last update
    nan = next(r for r in html.split("<tr") if 'href="/cities/nan"' in r)
    assert "Town" in nan and "เมือง" in nan


def test_overview_in_thai_uses_buddhist_era(client, city):
    html = text(client.get("/cities?lang=th"))
    assert "1 มีนาคม 2570" in html


def test_city_page(client, city):
    page = client.get("/cities/lampang?lang=en")
    html = text(page)
    assert page.status_code == 200
    assert_csp_clean(html)
    assert_escaped(html)
    assert "เทศบาลนครลำปาง" in html
    assert VISION in html and GOAL in html
    assert "Short term" in html
    for title in (TREES, BUS, FORMULA):
        assert title in html
    for pid in city["ids"].values():
        assert f'href="/cities/lampang/projects/{pid}"' in html
    # The bus project is overdue (due 2020, not done): marked, in words and not by colour alone.
    card = re.search(rf'<li class="project-card([^"]*)" id="project-{city["bus"]}">', html)
    assert card and "is-overdue" in card.group(1)
    trees = re.search(rf'<li class="project-card([^"]*)" id="project-{city["trees"]}">', html)
    assert trees and "is-overdue" not in trees.group(1)
    assert "Overdue" in html and "Was due" in html
    assert "1 March 2027" in html  # last update of the trees project
    # Progress bars and the indicator chart are inline SVG, each well-formed XML.
    charts = svgs(html)
    labels = [svg.get("aria-label") for svg in charts]
    assert f"{TREES}: 60% done" in labels
    assert f"{XSS}: 0% done" in labels  # escaped in the page, the original once parsed
    indicator = next(svg for svg in charts if "indicator-svg" in svg.get("class"))
    assert indicator.get("aria-label").startswith(f"Trees {XSS} (trees): Baseline 10 trees")
    assert "30 trees" in indicator.get("aria-label")
    assert "/cities/lampang/report.docx" in html and "/cities/lampang/report.xlsx" in html


def test_city_without_projects(client):
    page = client.get("/cities/nan?lang=en")
    assert page.status_code == 200
    assert "has not adopted a plan yet" in text(page)


def test_unknown_city_and_project_are_404(client, city):
    for path in (
        "/cities/atlantis",
        "/cities/atlantis/report.docx",
        "/cities/atlantis/report.xlsx",
        "/cities/lampang/projects/999999",
        f"/cities/nan/projects/{city['trees']}",  # a Lampang project under another city
        "/cities/lampang/projects/abc",
    ):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "<html" in text(page)  # the HTML error page, not JSON


def test_project_page(client, city):
    page = client.get(f"/cities/lampang/projects/{city['trees']}?lang=en")
    html = text(page)
    assert page.status_code == 200
    assert_csp_clean(html)
    assert TREES in html and GOAL in html
    # Update history, newest first.
    assert html.index("planted half") < html.index("ต้นไม้มาแล้ว")
    assert html.index("1 March 2027") < html.index("10 January 2027")
    assert "In progress" in html and "progress 60%" in html
    assert "Order the saplings" in html and "15 December 2026" in html
    # Where it comes from: the statement and its author's group, support per group.
    assert "Lampang plan" in html
    assert f'<q lang="th">{TREES}</q> — Residents' in html
    support = html[html.index("Support per stakeholder group") :]
    assert "Residents" in support and "3 points" in support
    assert "Academia" in support and "1 point<" in support
    charts = svgs(html)
    assert any("indicator-svg" in svg.get("class") for svg in charts)
    assert "facilitator@example.org" not in html  # who updated is not public
    assert "Add a progress update" not in html  # not logged in


def test_xss_project_page_is_escaped(client, city):
    page = client.get(f"/cities/lampang/projects/{city['xss']}?lang=en")
    html = text(page)
    assert page.status_code == 200
    assert_escaped(html)
    assert_csp_clean(html)
    (bar,) = [svg for svg in svgs(html) if "progress-svg" in svg.get("class")]
    assert bar.get("aria-label") == f"{XSS}: 0% done"


# ---------------------------------------------------------------- facilitator: updates


def updates(api, project_id: int) -> list[dict]:
    return api.get(f"/projects/{project_id}").json["updates"]


def test_update_form_needs_login(client, api, city):
    path = f"/facilitator/projects/{city['bus']}"
    page = client.get(path)
    assert page.status_code in (302, 401) and "/facilitator/login" in page.location
    response = client.post(path, data={"progress": "50"})
    assert response.status_code in (302, 400, 401)
    assert updates(api, city["bus"]) == []


def test_update_form_refuses_facilitators_of_other_cities(app, client, api, city):
    outsider = Api(client, make_facilitator(app, "nan@example.org", "another long password"))
    outsider.workshop(title="Nan plan", city="nan")
    login(client, "nan@example.org", "another long password")
    path = f"/facilitator/projects/{city['bus']}"
    assert client.get(path).status_code == 403
    token = csrf(client.get("/facilitator/").data)
    response = client.post(path, data={"csrf_token": token, "progress": "50"})
    assert response.status_code == 403
    assert updates(api, city["bus"]) == []
    assert client.get(f"/facilitator/projects/{city['bus']}/milestones-indicators").status_code == (
        403
    )
    assert client.get(f"/facilitator/plans/{city['plan_id']}/import").status_code == 403


def test_update_form_adds_a_dated_update(client, api, city):
    login(client)
    path = f"/facilitator/projects/{city['bus']}"
    page = client.get(f"{path}?lang=en")
    html = text(page)
    assert page.status_code == 200 and BUS in html
    assert 'name="status"' in html and 'name="progress"' in html and 'name="date"' in html
    assert_csp_clean(html)
    # No CSRF token: refused.
    assert client.post(path, data={"status": "delayed"}).status_code == 400
    token = csrf(page.data)
    bad = client.post(
        f"{path}?lang=en", data={"csrf_token": token, "progress": "150", "date": "2027-04-01"}
    )
    assert bad.status_code == 422 and "progress must be" in text(bad)
    assert updates(api, city["bus"]) == []
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "status": "delayed",
            "progress": "35",
            "note": "รองบประมาณ",
            "date": "2027-04-01",
        },
    )
    assert response.status_code == 302
    project = api.get(f"/projects/{city['bus']}").json
    assert (project["status"], project["progress"]) == ("delayed", 35)
    (update,) = project["updates"]
    assert update["source"] == "form" and update["date"] == "2027-04-01"
    assert update["note"] == "รองบประมาณ" and update["by"] == "facilitator@example.org"
    follow = client.get(f"{path}?lang=en")
    assert "The update was saved." in text(follow) and "รองบประมาณ" in text(follow)
    # The public project page now offers the logged-in facilitator the forms.
    public = text(client.get(f"/cities/lampang/projects/{city['bus']}?lang=en"))
    assert "Add a progress update" in public and "รองบประมาณ" in public


def test_update_form_for_unknown_project_is_404(client, city):
    login(client)
    assert client.get("/facilitator/projects/999999").status_code == 404


# ---------------------------------------------------------------- facilitator: import


def upload(client, plan_id: int, body: bytes, filename: str, token: str | None = None):
    data = {"file": (io.BytesIO(body), filename)}
    if token:
        data["csrf_token"] = token
    return client.post(
        f"/facilitator/plans/{plan_id}/import?lang=en",
        data=data,
        content_type="multipart/form-data",
    )


def test_import_page_needs_a_city_facilitator(client, city):
    path = f"/facilitator/plans/{city['plan_id']}/import"
    page = client.get(path)
    assert page.status_code == 302 and "/facilitator/login" in page.location
    login(client)
    assert client.get("/facilitator/plans/999999/import").status_code == 404
    page = client.get(path)
    assert page.status_code == 200
    assert_csp_clean(text(page))
    assert upload(client, city["plan_id"], b"project_id\r\n", "u.csv").status_code == 400  # CSRF


def test_csv_import_lists_bad_rows_and_applies_nothing(client, api, city):
    login(client)
    token = csrf(client.get(f"/facilitator/plans/{city['plan_id']}/import").data)
    trees, bus = city["trees"], city["bus"]
    bad = (
        f"project_id,status,progress,note,date\r\n{trees},in_progress,70,ok,2027-05-01\r\n"
        f"{bus},flying,150,x,2027-05-01\r\n999999,done,100,,\r\n"
    ).encode()
    response = upload(client, city["plan_id"], bad, "updates.csv", token)
    html = text(response)
    assert response.status_code == 422
    assert "Nothing was applied." in html and "2 of 3 rows have errors" in html
    rows = re.findall(r'<tr class="row-bad">(.*?)</tr>', html, re.S)
    assert len(rows) == 2
    assert '<td class="num">3</td>' in rows[0] and "status must be one of" in rows[0]
    assert "progress must be a whole number" in rows[0]
    assert '<td class="num">4</td>' in rows[1] and "project 999999 is not in this plan" in rows[1]
    assert len(updates(api, trees)) == 2 and updates(api, bus) == []  # nothing applied

    # Wrong columns and an unreadable workbook: an error, nothing applied.
    response = upload(client, city["plan_id"], b"a,b\r\n1,2\r\n", "x.csv", token)
    assert response.status_code == 422 and "columns must be" in text(response)
    response = upload(client, city["plan_id"], b"PK not a workbook", "x.xlsx", token)
    assert response.status_code == 422 and "XLSX" in text(response)
    response = upload(client, city["plan_id"], b"", "empty.csv", token)
    assert response.status_code == 422

    # A good file, bigger than the app's 16 KB form limit: every row applied.
    long_note = "ความคืบหน้า" * 180  # 1,980 characters, under the 2,000 a note may have
    good = (
        "\ufeffproject_id,status,progress,note,date\r\n"
        f"{trees},in_progress,80,{long_note},2027-05-01\r\n"
        f"{bus},delayed,,รองบประมาณ,2027-05-02\r\n"
        f"{city['xss']},in_progress,5,{long_note},\r\n"
        f"{city['ids'][FORMULA]},in_progress,5,{long_note},\r\n"
    ).encode()
    assert len(good) > 16 * 1024
    response = upload(client, city["plan_id"], good, "updates.csv", token)
    assert response.status_code == 200, text(response)[:500]
    assert "4 updates were applied." in text(response)
    assert api.get(f"/projects/{trees}").json["progress"] == 80
    assert api.get(f"/projects/{bus}").json["status"] == "delayed"
    assert [u["source"] for u in updates(api, bus)] == ["import"]


def test_xlsx_import(client, api, city):
    from openpyxl import Workbook

    login(client)
    token = csrf(client.get(f"/facilitator/plans/{city['plan_id']}/import").data)
    book = Workbook()
    sheet = book.active
    sheet.append(["project_id", "status", "progress", "note", "date"])
    sheet.append([city["bus"], "done", 100, "เสร็จแล้ว", date(2027, 6, 30)])
    data = io.BytesIO()
    book.save(data)
    response = upload(client, city["plan_id"], data.getvalue(), "updates.xlsx", token)
    assert response.status_code == 200, text(response)[:500]
    project = api.get(f"/projects/{city['bus']}").json
    assert (project["status"], project["progress"]) == ("done", 100)
    assert project["updates"][0]["date"] == "2027-06-30"


# ---------------------------------------------------------------- milestones and indicators


def test_milestones_and_indicators_page(client, api, city):
    pid = city["bus"]
    path = f"/facilitator/projects/{pid}/milestones-indicators"
    assert client.get(path).status_code == 302  # login first
    login(client)
    page = client.get(f"{path}?lang=en")
    assert page.status_code == 200
    assert_csp_clean(text(page))
    token = csrf(page.data)
    base = f"/facilitator/projects/{pid}"
    # Without CSRF: refused.
    assert client.post(f"{base}/milestones", data={"title": "x"}).status_code == 400
    response = client.post(
        f"{base}/milestones",
        data={"csrf_token": token, "title": "Buy two buses", "due_date": "2027-09-01"},
    )
    assert response.status_code == 302
    bad = client.post(f"{base}/milestones", data={"csrf_token": token, "title": " "})
    assert bad.status_code == 302
    assert "title is required" in text(client.get(path))
    (milestone,) = api.get(f"/projects/{pid}").json["milestones"]
    assert milestone["title"] == "Buy two buses" and milestone["due_date"] == "2027-09-01"
    client.post(
        f"{base}/milestones/{milestone['id']}/done",
        data={"csrf_token": token, "value": "done", "done_on": "2027-08-20"},
    )
    assert api.get(f"/projects/{pid}").json["milestones"][0]["done_on"] == "2027-08-20"
    # Someone else's milestone is not found through this project.
    other = api.get(f"/projects/{city['trees']}").json["milestones"][0]["id"]
    client.post(f"{base}/milestones/{other}/done", data={"csrf_token": token, "value": "done"})
    assert api.get(f"/projects/{city['trees']}").json["milestones"][0]["done_on"] is None

    client.post(
        f"{base}/indicators",
        data={
            "csrf_token": token,
            "name": "Night riders",
            "unit": "riders/night",
            "baseline": "0",
            "target": "1,200",
        },
    )
    (indicator,) = api.get(f"/projects/{pid}").json["indicators"]
    assert (indicator["baseline"], indicator["target"]) == (0, 1200)
    client.post(f"{base}/indicators", data={"csrf_token": token, "name": "x", "target": "lots"})
    assert len(api.get(f"/projects/{pid}").json["indicators"]) == 1
    for value, when in (("350", "2027-07-01"), ("-3.5", "2027-08-01")):
        client.post(
            f"{base}/indicators/{indicator['id']}/values",
            data={"csrf_token": token, "value": value, "date": when},
        )
    client.post(
        f"{base}/indicators/{indicator['id']}/values",
        data={"csrf_token": token, "value": "", "date": "2027-09-01"},
    )
    values = api.get(f"/projects/{pid}").json["indicators"][0]["values"]
    assert values == [
        {"date": "2027-07-01", "value": 350.0},
        {"date": "2027-08-01", "value": -3.5},
    ]
    public = text(client.get(f"/cities/lampang/projects/{pid}?lang=en"))
    assert "Buy two buses" in public and "20 August 2027" in public
    chart = next(
        svg
        for svg in svgs(public)
        if (svg.get("aria-label") or "").startswith("Night riders (riders/night)")
    )
    assert "Target 1,200 riders/night" in "".join(chart.itertext())


def test_edit_services_validate(app, city):
    from workshop.services.errors import Invalid, NotFound
    from workshop.tracking import edits, operations

    with app.app_context():
        project = operations.get_project(city["bus"])
        with pytest.raises(Invalid) as error:
            edits.add_milestone(project, "", "someday")
        assert "title is required" in error.value.message and "due date" in error.value.message
        with pytest.raises(Invalid):
            edits.add_indicator(project, "x" * 301)
        with pytest.raises(Invalid):
            edits.add_indicator(project, "ok", baseline="nan")
        with pytest.raises(NotFound):
            edits.add_indicator_value(project, 999999, 1)
        with pytest.raises(NotFound):
            edits.set_milestone_done(project, "abc")
        milestone = edits.add_milestone(project, "  spaced   title ", None)
        assert milestone.title == "spaced title" and milestone.due_date is None
        done = edits.set_milestone_done(project, milestone.id)
        assert done.done_on == date.today()
        assert edits.set_milestone_done(project, milestone.id, done=False).done_on is None


# ---------------------------------------------------------------- monitoring reports


def test_docx_report(client, city):
    from docx import Document
    from docx.oxml.ns import qn

    response = client.get("/cities/lampang/report.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    today = date.today().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="lampang-monitoring-{today}.docx"'
    )
    document = Document(io.BytesIO(response.data))
    words = [p.text for p in document.paragraphs]
    words += [c.text for t in document.tables for row in t.rows for c in row.cells]
    body = "\n".join(words)
    for title in (TREES, BUS, XSS, FORMULA):
        assert title in body
    assert "เทศบาลนครลำปาง" in body and VISION in body
    assert "ต้นไม้มาแล้ว" in body and "Order the saplings" in body
    assert "facilitator@example.org" not in body
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:cs")) == "TH Sarabun New", name
        assert fonts.get(qn("w:ascii")) == "TH Sarabun New", name


def test_xlsx_report(client, city):
    from openpyxl import load_workbook

    response = client.get("/cities/lampang/report.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="lampang-monitoring-{date.today().isoformat()}.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Summary", "Projects", "Updates", "Milestones", "Indicators"]
    sheet = book["Projects"]
    header = [c.value for c in sheet[1]]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {TREES, BUS, XSS, FORMULA}
    progress = header.index("ความคืบหน้า (%) / Progress (%)")
    trees = rows[TREES]
    assert trees[progress].value == 60 and trees[progress].data_type == "n"
    assert trees[0].value == city["trees"] and trees[0].data_type == "n"
    overdue = header.index("เกินกำหนด / Overdue")
    assert rows[BUS][overdue].value is True and trees[overdue].value is False
    # Planner and participant text that looks like a formula stays text.
    formula = rows[FORMULA][1]
    assert formula.data_type == "s" and formula.value == FORMULA and formula.quotePrefix
    summary = {r[0].value: r[1].value for r in book["Summary"].iter_rows(min_row=2)}
    assert summary["จำนวนโครงการ / Projects"] == 4
    assert summary["ความคืบหน้าเฉลี่ย (%) / Mean progress (%)"] == 15
    assert summary["วิสัยทัศน์ / Vision"] == VISION
    updates_sheet = list(book["Updates"].iter_rows(min_row=2, values_only=True))
    assert [r[6] for r in updates_sheet] == ["planted half", "ต้นไม้มาแล้ว"]  # newest first
    values = list(book["Indicators"].iter_rows(min_row=2, values_only=True))
    assert [r[7] for r in values] == [12, 30]
    assert values[0][2] == f"Trees {XSS}"


def test_reports_of_a_city_without_projects(client):
    from docx import Document
    from openpyxl import load_workbook

    docx = client.get("/cities/nan/report.docx")
    assert docx.status_code == 200
    assert "No adopted projects yet" in "\n".join(
        p.text for p in Document(io.BytesIO(docx.data)).paragraphs
    )
    xlsx = client.get("/cities/nan/report.xlsx")
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.data))["Projects"].max_row == 1


def test_formula_cells_are_strings_in_render_city_xlsx():
    from openpyxl import load_workbook

    from workshop.tracking.reports_xlsx import render_city_xlsx

    risky = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
    projects = [
        {"id": n, "title": t, "status": "done", "progress": 100, "note": t, "updates": []}
        for n, t in enumerate(risky, start=1)
    ]
    summary = {"slug": "x", "name_th": "=ชื่อ", "name_en": "-x", "projects": 6, "by_status": {}}
    book = load_workbook(io.BytesIO(render_city_xlsx(summary, projects)))
    cells = [row[1] for row in book["Projects"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == risky
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert book["Summary"]["B1"].data_type == "s"


def test_facilitator_pages_of_a_project_without_a_city(client, api):
    code = api.workshop(title="No city")["code"]
    projects = api.activity(
        code, kind="brainstorm", prompt="Projects", plan_section="projects", horizon="long"
    )
    api.open(code, projects["id"])
    token = api.join(code, "residents")
    api.statement(code, token, projects["id"], "bike lanes", "b")
    api.post(f"/workshops/{code}/plan/draft")
    adopted = api.post(f"/workshops/{code}/plan/adopt").json
    (project,) = adopted["projects"]
    login(client)
    page = client.get(f"/facilitator/projects/{project['id']}?lang=en")
    assert page.status_code == 200 and "bike lanes" in text(page)
    assert client.get(
        f"/facilitator/projects/{project['id']}/milestones-indicators"
    ).status_code == (200)
    assert client.get(f"/facilitator/plans/{adopted['plan_id']}/import").status_code == 200
