"""Opinion groups in the DOCX, XLSX, Markdown and HTML exports, through the export endpoint.

A room of two planted camps that cut across the stakeholder groups (tests/test_opinions_api.py):
each document carries both groups, their representative statements and what unites the room,
and nothing that identifies a person.
"""

from __future__ import annotations

import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.test_opinions_api import _answer, _open_agree, _two_camps

FORMATS = ("docx", "xlsx", "md", "html")


def _camp_room(api, room, texts: list[str]) -> dict:
    """Ideas 0-3 split the camps one way, 4-6 the other; everyone agrees with idea 7."""
    code = room["code"]
    author = api.join(code, "academia")
    ideas = [
        api.statement(code, author, room["brainstorm"], text, f"s{i}").json["id"]
        for i, text in enumerate(texts)
    ]
    agree = _open_agree(api, room)
    names = _two_camps(api, room, ideas, agree)
    report = json.loads(api.get(f"/workshops/{code}/export?format=json").get_data(as_text=True))
    opinions = next(a for a in report["activities"] if a["id"] == agree)["opinions"]
    assert opinions["k"] == 2  # the planted camps are found (tests/test_opinions*.py)
    return {"code": code, "ideas": ideas, "agree": agree, "names": names, "opinions": opinions}


@pytest.fixture
def camps(api, room) -> dict:
    return _camp_room(api, room, [f"idea {i}" for i in range(8)])


def _export(api, code: str, fmt: str) -> bytes:
    response = api.get(f"/workshops/{code}/export?format={fmt}")
    assert response.status_code == 200, response.data[:300]
    return response.data


def _docx_text(body: bytes) -> str:
    """Paragraphs and table rows in document order."""
    lines = []
    for block in Document(io.BytesIO(body)).iter_inner_content():
        if hasattr(block, "rows"):
            lines += [" | ".join(cell.text for cell in row.cells) for row in block.rows]
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _sheet_rows(body: bytes, name: str) -> list[tuple]:
    book = load_workbook(io.BytesIO(body))
    return [tuple(row) for row in book[name].iter_rows(values_only=True)]


def _text(api, code: str, fmt: str) -> str:
    body = _export(api, code, fmt)
    if fmt == "docx":
        return _docx_text(body)
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(body))
        return "\n".join(
            "\n".join(
                [sheet.title]
                + [
                    " | ".join("" if v is None else str(v) for v in row)
                    for row in sheet.iter_rows(values_only=True)
                ]
            )
            for sheet in book.worksheets
        )
    return body.decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_document_has_the_groups_their_statements_and_no_person(api, camps, fmt):
    text = _text(api, camps["code"], fmt)
    assert "กลุ่มความคิดเห็น" in text and "Opinion groups" in text  # Thai first, English too
    assert "กลุ่ม A / Group A" in text and "กลุ่ม B / Group B" in text
    assert "กลุ่ม C / Group C" not in text
    assert "สิ่งที่ทั้งห้องเห็นพ้องกัน" in text and "What unites the room" in text
    assert "ข้อเสนอที่เป็นตัวแทนของแต่ละกลุ่ม" in text
    representative = text.split("ข้อเสนอที่เป็นตัวแทนของแต่ละกลุ่ม", 1)[1]
    representative = representative.split("สิ่งที่ทั้งห้องเห็นพ้องกัน", 1)[0]
    for i in range(5):  # the dividing ideas set the camps apart (five a group at most)
        assert f"idea {i}" in representative
    assert "idea 7" not in representative  # everyone agrees with it: it divides no one
    assert not any(name in text for name in camps["names"])
    assert "Somchai" not in text


@pytest.mark.parametrize("fmt", ("md", "html"))
def test_the_text_documents_list_the_bridging_statement_first(api, camps, fmt):
    text = _text(api, camps["code"], fmt)
    unites = text.split("What unites the room", 1)[1]
    others = [unites.index(f"idea {i}") for i in range(7) if f"idea {i}" in unites]
    assert others and unites.index("idea 7") < min(others)


def test_docx_tables_give_sizes_make_up_and_shares(api, camps):
    document = Document(io.BytesIO(_export(api, camps["code"], "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "กลุ่มความคิดเห็น / Opinion groups" in headings
    overview = next(t for t in document.tables if t.rows[0].cells[1].text == "จำนวนคน / People")
    sizes = [int(row.cells[1].text) for row in overview.rows[1:]]
    assert sorted(sizes) == [6, 6]  # 12 people, two camps of 6
    assert [row.cells[2].text for row in overview.rows[1:]] == ["50%", "50%"]
    makeup = overview.rows[1].cells[3].text
    assert makeup.count("(33%)") == 3  # each camp: two of each of three stakeholder groups
    representative = next(
        t for t in document.tables if "ทิศทาง / Direction" in [c.text for c in t.rows[0].cells]
    )
    directions = {row.cells[3].text for row in representative.rows[1:]}
    assert directions == {"เห็นด้วย / Agree", "ไม่เห็นด้วย / Disagree"}


def test_xlsx_sheets_hold_the_groups_and_every_statement_as_numbers(api, camps):
    body = _export(api, camps["code"], "xlsx")
    groups = _sheet_rows(body, "Opinion groups")
    header, rows = groups[0], groups[1:]
    assert len(rows) == 2 and all(row[0] == camps["agree"] for row in rows)
    assert sorted(row[header.index("จำนวนคน / People")] for row in rows) == [6, 6]
    assert [row[header.index("สัดส่วนของแผนที่ / Share of the map")] for row in rows] == [0.5, 0.5]
    statements = _sheet_rows(body, "Opinion statements")
    header, rows = statements[0], statements[1:]
    part = header.index("ส่วน / Part")
    bridging = [r for r in rows if r[part] == "สิ่งที่ทั้งห้องเห็นพ้องกัน / What unites the room"]
    assert len(bridging) == 8  # every statement, the first few only in the documents
    statement_id = header.index("รหัสข้อเสนอ / Statement ID")
    assert bridging[0][statement_id] == camps["ideas"][7]
    consensus = header.index("เห็นพ้องข้ามกลุ่ม / Agreement across groups")
    assert bridging[0][consensus] == camps["opinions"]["bridging"][0]["consensus"]
    representative = [r for r in rows if r[part].startswith("ข้อเสนอที่เป็นตัวแทน")]
    expected = sum(len(g["representative"]) for g in camps["opinions"]["groups"])
    assert len(representative) == expected > 0
    in_group = header.index("เห็นด้วยในกลุ่ม / Agree in the group")
    assert all(isinstance(r[in_group], float) and 0 <= r[in_group] <= 1 for r in representative)
    headers = " ".join(str(h) for h in (*groups[0], *statements[0])).lower()
    assert "participant id" not in headers and "name" not in headers


def test_an_agree_activity_with_too_few_people_says_so_in_every_document(api, room):
    code = room["code"]
    author = api.join(code, "academia")
    ideas = [
        api.statement(code, author, room["brainstorm"], f"idea {i}", f"s{i}").json["id"]
        for i in range(3)
    ]
    agree = _open_agree(api, room)
    _answer(api, room, api.join(code, "residents"), agree, {s: 1 for s in ideas})
    for fmt in FORMATS:
        text = _text(api, code, fmt)
        assert "ผู้ตอบยังน้อยเกินไปสำหรับแผนที่กลุ่มความคิดเห็น" in text, fmt
        assert "Too few participants for an opinion map" in text, fmt
        assert "กลุ่ม A / Group A" not in text, fmt


def test_a_room_without_agree_activities_has_no_opinion_section(api, room):
    for fmt in FORMATS:
        assert "Opinion group" not in _text(api, room["code"], fmt), fmt
    book = load_workbook(io.BytesIO(_export(api, room["code"], "xlsx")))
    assert "Opinion groups" not in book.sheetnames


def test_every_reason_for_no_map_has_its_own_line():
    from workshop.api.openapi_schemas import OPINIONS
    from workshop.exports.opinion_sections import reason_line

    reasons = set(OPINIONS["properties"]["reason"]["enum"]) - {"not_an_agree_activity"}
    lines = {reason_line({"reason": r}) for r in reasons}
    assert len(lines) == len(reasons)  # one line each, none the generic fallback
    assert reason_line({}) not in lines
    assert all(" / " in line for line in lines)  # Thai, then English


def test_statements_in_the_opinion_sections_stay_plain_text(api, room):
    texts = [
        '=HYPERLINK("http://x","y")',
        "<b>bold</b>",
        "**star**",
        *(f"idea {i}" for i in range(3, 8)),
    ]
    found = _camp_room(api, room, texts)
    body = _export(api, found["code"], "xlsx")
    book = load_workbook(io.BytesIO(body))
    cells = [c for row in book["Opinion statements"].iter_rows() for c in row]
    formula = [c for c in cells if c.value == texts[0]]
    assert formula and all(c.data_type == "s" for c in formula)  # text, never a formula
    html = _export(api, found["code"], "html").decode()
    section = html.split('class="opinion-groups"', 1)[1]
    assert "<b>bold</b>" not in section and "&lt;b&gt;bold&lt;/b&gt;" in section
    markdown = _export(api, found["code"], "md").decode()
    section = markdown.split("#### ", 1)[1]
    assert "**star**" not in section and "\\*\\*star\\*\\*" in section
