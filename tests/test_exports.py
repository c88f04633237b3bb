"""Exports of a workshop report: DOCX, XLSX, CSV, JSON, Markdown and HTML.

Hostile statements go through the real HTTP API and come back out of every format as
plain text: no formula, markup, link or field code made from them is ever live.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop.exports import render
from workshop.exports.csv_export import render_csv
from workshop.exports.docx_export import FONT, render_docx
from workshop.exports.html_export import render_html
from workshop.exports.markdown_export import render_markdown
from workshop.exports.text import FORMULA_START, md_escape, one_line
from workshop.exports.xlsx_export import MAX_SHEET_NAME, _unique_sheet_name, render_xlsx

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "export-schema.json"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

THAI_VISION = "เมืองสีเขียวริมแม่น้ำวัง น่าอยู่สำหรับทุกคน"
THAI_PROJECT = "ปลูกต้นไม้ให้ร่มเงาริมทางเดิน"
HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tTAB",  # the API folds whitespace: arrives as "TAB"; raw tabs are tested below
    "<script>alert(1)</script>",
    "[link](http://x)",
    '{ HYPERLINK "x" }',
]
HIDDEN = "ข้อความที่ถูกซ่อน"
DUPLICATE = "เมืองสีเขียวริมน้ำ"
PLANNER_TEXT = "=cmd|' /C calc'!A0"
PLANNER_OWNER = "@เทศบาลนครลำปาง"
STEM = "lampang-2026-11-26"


def stored(text: str) -> str:
    """The text as the API stores it (whitespace folded)."""
    return " ".join(text.split())


@pytest.fixture
def exported(api):
    """Lampang, 26 Nov 2026: vision and short-term project brainstorms, votes, a draft plan."""
    code = api.workshop(title="Lampang 2026", city="lampang", date="2026-11-26")["code"]
    vision = api.activity(code, kind="brainstorm", prompt="วิสัยทัศน์ของเมือง?", plan_section="vision")
    projects = api.activity(
        code, kind="brainstorm", prompt="Projects?", plan_section="projects", horizon="short"
    )
    author = api.join(code, "academia")
    ids = {}
    api.open(code, vision["id"])
    for n, text in enumerate([THAI_VISION, *HOSTILE, HIDDEN, DUPLICATE]):
        response = api.statement(code, author, vision["id"], text, f"v{n}")
        assert response.status_code == 201, response.json
        ids[text] = response.json["id"]
    api.open(code, projects["id"])
    for n, text in enumerate([THAI_PROJECT, "=1+1", "night bus"]):
        ids[text] = api.statement(code, author, projects["id"], text, f"p{n}").json["id"]

    def patch(path: str, body: dict) -> None:
        response = api.client.patch(f"/api/v1{path}", json=body, headers=api.headers())
        assert response.status_code == 200, response.json

    patch(f"/workshops/{code}/statements/{ids['night bus']}", {"text": "night bus to campus"})
    patch(f"/workshops/{code}/statements/{ids[HIDDEN]}", {"hidden": True})
    merged = api.post(
        f"/workshops/{code}/statements/{ids[THAI_VISION]}/merge", {"from": [ids[DUPLICATE]]}
    )
    assert merged.status_code == 200, merged.json

    vote = api.activity(
        code, kind="dot_vote", prompt="Vote vision", source_activity_id=vision["id"]
    )
    api.open(code, vote["id"])
    for group, dots in (
        ("residents", {THAI_VISION: 3, HOSTILE[0]: 1}),
        ("local_government", {THAI_VISION: 2, HOSTILE[1]: 1}),
        ("private_sector", {HOSTILE[5]: 1, HOSTILE[6]: 1}),
    ):
        token = api.join(code, group)
        response = api.vote(code, token, vote["id"], {ids[t]: n for t, n in dots.items()}, "v")
        assert response.status_code == 200, response.json
    project_vote = api.activity(
        code, kind="dot_vote", prompt="Vote projects", source_activity_id=projects["id"]
    )
    api.open(code, project_vote["id"])
    token = api.join(code, "civil_society")
    api.vote(code, token, project_vote["id"], {ids[THAI_PROJECT]: 2, ids["=1+1"]: 1}, "p")
    agree = api.activity(code, kind="agree", prompt="Agree?", source_activity_id=vision["id"])
    api.open(code, agree["id"])
    for group in ("residents", "local_government"):
        for n in range(3):
            token = api.join(code, group)
            response = api.post(
                f"/workshops/{code}/votes",
                {
                    "activity_id": agree["id"],
                    "client_id": f"a{n}",
                    "statement_id": ids[THAI_VISION],
                    "value": 1,
                },
                token=token,
            )
            assert response.status_code == 200, response.json
    rating = api.activity(
        code, kind="rating", prompt="How important?", source_activity_id=projects["id"]
    )
    api.open(code, rating["id"])
    for n, value in enumerate((4, 5)):
        token = api.join(code, "residents")
        api.post(
            f"/workshops/{code}/votes",
            {
                "activity_id": rating["id"],
                "client_id": f"r{n}",
                "ratings": {str(ids[THAI_PROJECT]): value},
            },
            token=token,
        )
    assert api.post(f"/workshops/{code}/plan/draft").status_code == 201
    added = api.post(
        f"/workshops/{code}/plan/items",
        {"section": "strategies", "text": PLANNER_TEXT, "owner_agency": PLANNER_OWNER},
    )
    assert added.status_code == 201, added.json
    return {"code": code, "ids": ids}


def export(api, code: str, fmt: str):
    response = api.get(f"/workshops/{code}/export?format={fmt}")
    assert response.status_code == 200, response.data[:500]
    return response


def assert_attachment(response, extension: str) -> None:
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{STEM}.{extension}"' in disposition


# ---------------------------------------------------------------- JSON


def test_json_validates_against_the_schema(api, exported):
    jsonschema = pytest.importorskip("jsonschema")
    response = export(api, exported["code"], "json")
    assert response.mimetype == "application/json"
    assert_attachment(response, "json")
    report = response.json
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(report)
    assert report["version"] == schema["properties"]["version"]["const"]
    texts = {s["text"] for s in report["statements"]}
    assert {THAI_VISION, *map(stored, HOSTILE)} <= texts
    broken = dict(report, version=99)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_unknown_format_is_a_422_json_error(api, exported):
    response = api.get(f"/workshops/{exported['code']}/export?format=pdf")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid_format"


def test_exports_need_the_facilitator(api, exported):
    attendee = api.join(exported["code"], "residents")
    response = api.get(f"/workshops/{exported['code']}/export?format=csv", token=attendee)
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv", "json", "md", "html"])
def test_every_format_without_a_plan_or_votes(api, room, fmt):
    response = export(api, room["code"], fmt)
    assert response.data


# ---------------------------------------------------------------- DOCX


def _docx_xml(body: bytes, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read(name).decode()


def test_docx_has_headings_thai_fonts_and_plain_participant_text(api, exported):
    import docx

    response = export(api, exported["code"], "docx")
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert_attachment(response, "docx")
    document = docx.Document(io.BytesIO(response.data))

    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]
    heading1 = [t for s, t in headings if s == "Heading 1"]
    heading2 = [t for s, t in headings if s == "Heading 2"]
    for label in (
        "Participation",
        "Vision",
        "Goals",
        "Strategies",
        "Projects",
        "Appendix A: Every statement",
        "Appendix B: Facilitator audit log",
    ):
        assert any(label in t for t in heading1), (label, heading1)
    assert any("Short term (1–2 years)" in t for t in heading2)
    assert any("Medium term (3–5 years)" in t for t in heading2)
    assert any("Alternative visions" in t for t in heading2)
    assert ("Title", "Lampang 2026") in headings
    assert ("Intense Quote", THAI_VISION) in headings  # the vision, above its evidence

    text = "\n".join(p.text for p in document.paragraphs)
    assert "26 พฤศจิกายน 2569" in text and "26 November 2026" in text
    assert "เทศบาลนครลำปาง" in text

    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    lines = {line for c in cells for line in c.split("\n")}
    for expected in (THAI_VISION, THAI_PROJECT, *map(stored, HOSTILE), PLANNER_TEXT):
        assert expected in lines, expected
    assert any("Added by planner" in c for c in cells)
    assert any(PLANNER_OWNER in c for c in cells)  # owner agency under the item
    assert any("consensus (100%)" in c for c in cells)  # consensus level of the vision
    assert any("ประชาชน 3" in c and "องค์กรปกครองส่วนท้องถิ่น 2" in c for c in cells)
    assert any(c == "night bus to campus" for c in cells)
    assert any("original: night bus" in c for c in cells)  # the edit, in the appendix
    assert any(c == HIDDEN for c in cells)  # hidden statements are in the appendix
    assert any("hidden" in c for c in cells)
    assert any("merged into #" in c for c in cells)
    assert any(f"Merged duplicates: {DUPLICATE}" in c for c in cells)  # in the vision's row
    assert any(c == "รวมข้อเสนอที่ซ้ำกัน / Merged duplicates" for c in cells)  # the audit log

    # Every style in use names TH Sarabun New for complex script (Thai) text.
    used = {p.style.name: p.style for p in document.paragraphs}
    used |= {t.style.name: t.style for t in document.tables}
    used["Table Text"] = document.styles["Table Text"]
    assert {"Normal", "Title", "Heading 1", "Heading 2", "Table Grid"} <= set(used)
    for style in used.values():
        fonts = style.element.rPr.find(f"{W}rFonts")
        assert fonts.get(f"{W}cs") == FONT, style.name
        assert fonts.get(f"{W}ascii") == FONT and fonts.get(f"{W}eastAsia") == FONT
        assert not any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib)
    for name in ("Title", "Subtitle", "Intense Quote"):  # Thai is not set in italics
        assert not document.styles[name].font.italic, name
    styles_xml = _docx_xml(response.data, "word/styles.xml")
    assert re.search(r'<w:rPrDefault><w:rPr>.*?w:bidi="th-TH"', styles_xml)
    body = _docx_xml(response.data)
    thai_runs = re.findall(r"<w:r>(?:(?!</w:r>).)*?[\u0e00-\u0e7f](?:(?!</w:r>).)*?</w:r>", body)
    assert thai_runs and all('w:bidi="th-TH"' in run for run in thai_runs)
    for live in ("fldSimple", "instrText", "fldChar", "w:hyperlink", "<script"):
        assert live not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# ---------------------------------------------------------------- XLSX


def test_xlsx_sheets_numbers_and_no_formulas(api, exported):
    import openpyxl

    response = export(api, exported["code"], "xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert_attachment(response, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    names = workbook.sheetnames
    report = export(api, exported["code"], "json").json
    assert names[:2] == ["Participation", "Plan"] and names[-2:] == ["Statements", "Audit"]
    opinion_sheets = ["Opinion groups", "Opinion statements"]  # the agree activity's map
    assert names[-4:-2] == opinion_sheets
    assert len(names) == 4 + len(report["activities"]) + len(opinion_sheets)
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert len(name) <= MAX_SHEET_NAME and not set(name) & set("[]:*?/\\")

    strings = []
    for sheet in workbook:
        header = 3 if sheet.freeze_panes == "A3" else 2
        assert sheet.freeze_panes in ("A2", "A3"), sheet.title
        assert all(c.font.bold for c in sheet[header - 1] if c.value is not None), sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    strings.append(cell.value)
                    if cell.value.startswith(FORMULA_START):
                        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    for expected in (THAI_VISION, *map(stored, HOSTILE), PLANNER_TEXT, PLANNER_OWNER):
        assert expected in strings, expected

    participation = {r[1]: r[2] for r in workbook["Participation"].iter_rows(values_only=True)}
    assert participation["residents"] == 6 and isinstance(participation["residents"], int)
    vote_sheet = workbook[names[2 + 2]]  # "3 Vote vision"
    assert vote_sheet.title.startswith("3 ")
    rows = list(vote_sheet.iter_rows(min_row=3, values_only=True))
    first = rows[0]
    assert first[2] == THAI_VISION and first[4] == 5  # text, score as a number
    headers = next(vote_sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    residents = headers.index("ประชาชน")  # a column per stakeholder group
    assert first[residents] == 3
    agree = list(workbook[names[2 + 4]].iter_rows(min_row=3, max_row=3))[0]
    assert agree[9].value == 1.0 and agree[9].number_format == "0%"  # lowest group agreement
    rating = workbook[names[2 + 5]]
    row = next(rating.iter_rows(min_row=3, values_only=True))
    assert row[2] == THAI_PROJECT and row[4] == 4.5


def test_sheet_names_are_short_unique_and_clean():
    taken = {"participation", "plan", "statements", "audit"}
    names = [
        _unique_sheet_name(base, taken)
        for base in ["Plan", "a/b\\c[d]e:f*g?h", "x" * 50, "x" * 50, "'quoted'", "History", ""]
    ]
    assert names[0] == "Plan (2)"
    assert names[1] == "a b c d e f g h"
    assert names[2] == "x" * 31 and names[3] == "x" * 27 + " (2)"
    assert names[4] == "quoted" and names[5] == "History (2)" and names[6] == "Sheet"
    assert all(len(n) <= MAX_SHEET_NAME for n in names)


# ---------------------------------------------------------------- CSV


def test_csv_is_rfc4180_with_bom_and_neutralised_cells(api, exported):
    response = export(api, exported["code"], "csv")
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert_attachment(response, "csv")
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, rows = rows[0], rows[1:]
    assert header[:8] == [
        "activity_id",
        "activity_kind",
        "activity_prompt",
        "statement_id",
        "text",
        "group",
        "rank",
        "score",
    ]
    groups = [
        "central_government",
        "local_government",
        "private_sector",
        "academia",
        "civil_society",
        "residents",
    ]
    assert header[8:14] == [f"group_{g}" for g in groups]
    assert header[14:20] == ["agree", "disagree", "pass", "consensus_level", "mean", "median"]
    assert header[20:] == [
        "x_mean",
        "y_mean",
        "x_spread",
        "y_spread",
        "quadrant",
        "points",
        "mean_points",
        "votes",
        "cost",
        "funded",
    ]
    assert all(len(r) == len(header) for r in rows)
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    texts = [r[4] for r in rows]
    assert THAI_VISION in texts and "วิสัยทัศน์ของเมือง?" in [r[2] for r in rows]  # Thai round trip
    for hostile in map(stored, HOSTILE):
        expected = "'" + hostile if hostile.startswith(FORMULA_START) else hostile
        assert expected in texts, expected
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in text  # quotes doubled, field quoted

    column = {name: i for i, name in enumerate(header)}
    vote = next(r for r in rows if r[1] == "dot_vote" and r[4] == THAI_VISION)
    assert vote[column["score"]] == "5" and vote[column["group_residents"]] == "3"
    assert vote[column["agree"]] == "" and vote[column["mean"]] == ""
    agree = next(r for r in rows if r[1] == "agree" and r[4] == THAI_VISION)
    assert agree[column["agree"]] == "6" and agree[column["consensus_level"]] == "consensus"
    assert agree[column["group_residents"]] == "1.0"  # agreement share of the group
    rating = next(r for r in rows if r[1] == "rating" and r[4] == THAI_PROJECT)
    assert rating[column["mean"]] == "4.5" and rating[column["median"]] == "4.5"
    brainstorm = next(r for r in rows if r[1] == "brainstorm")
    assert brainstorm[column["rank"]] == "" and brainstorm[column["group"]] == "academia"


# ---------------------------------------------------------------- Markdown


def test_markdown_escapes_participant_text(api, exported):
    response = export(api, exported["code"], "md")
    assert response.mimetype == "text/markdown" and response.mimetype_params["charset"] == "utf-8"
    assert_attachment(response, "md")
    text = response.data.decode()
    for heading in (
        "## วิสัยทัศน์ / Vision",
        "### วิสัยทัศน์ทางเลือก / Alternative visions",
        "## เป้าหมาย / Goals",
        "## ยุทธศาสตร์ / Strategies",
        "## แผนงานและโครงการ / Projects",
        "### ระยะสั้น (1–2 ปี) / Short term (1–2 years)",
        "## ผลรายกิจกรรม / Results per activity",
    ):
        assert f"\n{heading}\n" in text, heading
    assert THAI_VISION in text and THAI_PROJECT in text
    assert "<script>" not in text and "](http" not in text and "http://" not in text
    assert r"\<script\>alert\(1\)\</script\>" in text
    assert r"\[link\]\(http\://x\)" in text
    assert r"| \+1 |" in text and r"| \-2 |" in text and r"\@SUM\(A1\)" in text
    assert r"\{ HYPERLINK \"x\" \}".replace('\\"', '"') in text
    # One results table per activity, each row with as many cells as its header.
    tables = re.findall(r"\n(\| .+ \|)\n(\|[-:|]+\|)\n((?:\|.*\|\n)+)", text)
    assert len(tables) >= 6
    for header, _, body in tables:
        cells = len(re.split(r"(?<!\\)\|", header))
        for line in body.strip().split("\n"):
            assert len(re.split(r"(?<!\\)\|", line)) == cells, line


@given(st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_markdown_escape_keeps_the_text_and_leaves_no_syntax(text):
    escaped = md_escape(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == one_line(text)
    # every Markdown-significant ASCII character is preceded by a backslash
    assert not re.search(r"(?<!\\)(?:\\\\)*[`*_\[\]<>#|~&:@!()]", escaped.replace("\\\\", ""))


# ---------------------------------------------------------------- HTML


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_a_printable_page_with_escaped_text(api, exported, client):
    response = export(api, exported["code"], "html")
    assert response.mimetype == "text/html" and response.mimetype_params["charset"] == "utf-8"
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    page = response.data.decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="th">' in page
    parser = _Tags()
    parser.feed(page)
    tags = {t for t, _ in parser.tags}
    assert not tags & {"script", "style", "a", "img", "iframe", "object", "embed", "form"}
    assert not any(
        "style" in attrs or any(k.startswith("on") for k in attrs) for _, attrs in parser.tags
    )
    sheets = [a["href"] for t, a in parser.tags if t == "link" and a.get("rel") == "stylesheet"]
    assert "/static/css/print-report.css" in sheets
    css = client.get("/static/css/print-report.css")
    assert css.status_code == 200 and b"@page" in css.data
    text = "".join(parser.text)
    for expected in (THAI_VISION, *map(stored, HOSTILE), PLANNER_TEXT):
        assert expected in text, expected
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert re.search(r'<td lang="th">' + re.escape(THAI_VISION) + "</td>", page)
    assert re.search(r'<blockquote class="vision" lang="th">', page)
    for heading in ("Vision", "Goals", "Strategies", "Projects", "Short term (1–2 years)"):
        assert re.search(rf"<h[23]>[^<]*{re.escape(heading)}[^<]*</h[23]>", page), heading


# ---------------------------------------------------------------- raw characters


@pytest.fixture
def raw_report(api, exported) -> dict:
    """The exported report with text the API would never store (tabs, CR, controls)."""
    report = export(api, exported["code"], "json").json
    raw = ["\tTAB", "\rCR", "a\x00b\x0bc", "#N/A", "=1+1\nnext", "-", "\uff1dSUM(A1)"]
    brainstorm = report["activities"][0]
    for statement, text in zip(report["statements"], raw, strict=False):
        statement["text"] = text
    for item, text in zip(brainstorm["items"], raw, strict=False):
        item["text"] = text
    report["plan"]["goals"] = [dict(report["plan"]["vision"], section="goals", text=raw[0])]
    report["workshop"]["group_labels"]["residents"] = "=evil()"
    return report


def test_raw_control_characters_and_formulas_stay_text(raw_report):
    import docx
    import openpyxl

    rows = list(csv.reader(io.StringIO(render_csv(raw_report).decode("utf-8-sig"), newline="")))
    texts = [r[4] for r in rows if r[1] == "brainstorm"]
    assert "'\tTAB" in texts and "'\rCR" in texts and "'=1+1\nnext" in texts
    assert "abc" in texts and "#N/A" in texts and "'-" in texts and "'\uff1dSUM(A1)" in texts

    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(raw_report)))
    cells = {c.value: c for s in workbook for r in s.iter_rows() for c in r if c.value}
    for value in ("\tTAB", "\rCR", "=1+1\nnext", "#N/A", "=evil()", "abc"):
        assert cells[value].data_type == "s", value
    assert cells["\tTAB"].quotePrefix and cells["=evil()"].quotePrefix

    body = _docx_xml(render_docx(raw_report))
    assert "<w:tab/><w:t>TAB</w:t>" in body and "<w:t>=1+1</w:t><w:br/><w:t>next</w:t>" in body
    assert "\x00" not in body and "\x0b" not in body
    docx.Document(io.BytesIO(render_docx(raw_report)))  # Word's XML stays well-formed

    markdown = render_markdown(raw_report).decode()
    assert r"\=1\+1 next" in markdown and "| TAB |" in markdown
    page = render_html(raw_report).decode()
    assert "\x00" not in page and "abc" in page


@given(text=st.text(min_size=1, max_size=40))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_comes_out_of_every_format_as_text(raw_report, text):
    import openpyxl

    report = json.loads(json.dumps(raw_report))
    report["activities"][0]["items"][0]["text"] = text
    report["statements"][0]["text"] = text
    for fmt in ("docx", "xlsx", "csv", "md", "html", "json"):
        assert render(report, fmt).body
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert all(c.data_type != "f" for s in workbook for r in s.iter_rows() for c in r)
    rows = list(csv.reader(io.StringIO(render_csv(report).decode("utf-8-sig"), newline="")))
    assert all(not cell.startswith(FORMULA_START) for row in rows for cell in row)
    parser = _Tags()
    parser.feed(render_html(report).decode())
    assert not {t for t, _ in parser.tags} & {"script", "style", "a", "img"}
