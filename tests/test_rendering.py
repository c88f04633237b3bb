"""Every page and export, for a workshop with every vote kind, reads as words and numbers.

Issue 20: results pages printed Python dicts (``{'agree': 1, ...}``), raw kind keys
(``dot_vote``) and UTC times. This renders every facilitator, presenter, attendee and
city page and every export (text taken out of DOCX and XLSX) for the workshop of
tests/full_workshop.py (every kind in ``VOTE_KINDS``, ballots from four groups, a plan
adopted and tracked) and fails on any raw representation.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from tests.conftest import Api, make_facilitator
from tests.full_workshop import KIND_NAMES, build
from tests.test_pages import join_by_form, login

# What never belongs in a page a person reads, nor in an export cell or heading.
RAW = ["{'", "':", "None", "UTC", "[{", "}]", "<built-in", "object at 0x"]
# Vote kind keys and internal field names; machine formats (CSV columns, JSON) keep them.
RAW_KEYS = [
    *(k for k in KIND_NAMES if "_" in k),
    "added_by_planner",
    "statement_id",
    "min_group_agreement",
    "vote_kind",
    "by_group",
    "insufficient",
    "central_government",
    "local_government",
    "private_sector",
    "civil_society",
]
LANGUAGES = ["th", "en"]


class _Visible(HTMLParser):
    """The text a person sees (and hears: alt, title, aria-label), without scripts."""

    SKIP = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label", "placeholder") and value:
                self.parts.append(value)
            if name == "value" and value and dict(attrs).get("type") in ("submit", "button"):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def docx_text(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        xml = "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("word/") and name.endswith(".xml")
        )
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def xlsx_sheets(body: bytes) -> dict[str, str]:
    """Each sheet's cells as one text."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return {
        sheet.title: " | ".join(
            str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None
        )
        for sheet in book
    }


def xlsx_text(body: bytes) -> str:
    return " | ".join(xlsx_sheets(body).values())


def problems(text: str, raw_keys: bool = True) -> list[str]:
    found = [marker for marker in RAW if marker in text]
    if raw_keys:
        found += [key for key in RAW_KEYS if re.search(rf"\b{re.escape(key)}\b", text)]
    return found


def context(text: str, marker: str) -> str:
    at = text.find(marker)
    return text[max(0, at - 80) : at + 80]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[dict]:
    """The full workshop, built once for this module in its own database."""
    import shutil

    from workshop import create_app
    from workshop.config import TestConfig
    from workshop.extensions import db

    source = tmp_path_factory.getbasetemp() / "rendering.sqlite3"
    from flask_migrate import upgrade

    app = create_app(TestConfig(f"sqlite:///{source}"))
    with app.app_context():
        upgrade()
    token = make_facilitator(app)
    client = app.test_client()
    api = Api(client, token)
    info = build(app, api)
    login(client)
    yield {"app": app, "client": client, "api": api, **info}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(source.parent / "unused", ignore_errors=True)


def facilitator_pages(world: dict) -> list[str]:
    code, project = world["code"], world["projects"][0]
    return [
        "/facilitator/",
        f"/facilitator/w/{code}",
        f"/facilitator/w/{code}/results",
        f"/facilitator/w/{code}/plan",
        f"/facilitator/w/{code}/moderate",
        f"/facilitator/w/{code}/team",
        f"/facilitator/w/{code}/handout",
        f"/facilitator/projects/{project}",
        f"/facilitator/projects/{project}/milestones-indicators",
        f"/facilitator/plans/{world['plan_id']}/import",
        *process_pages(world),
    ]


def process_pages(world: dict) -> list[str]:
    """The planning process the workshop's plan belongs to (its editor and its page)."""
    process = world.get("process_id")
    if not process:
        return []
    return [
        "/facilitator/processes",
        f"/facilitator/processes/{process}",
        f"/cities/lampang/process/{process}",
    ]


def public_pages(world: dict) -> list[str]:
    code, project = world["code"], world["projects"][0]
    return [
        f"/present/{code}",
        f"/present/{code}?view=opinions",
        "/cities",
        "/cities/lampang",
        f"/cities/lampang/projects/{project}",
        "/j",
    ]


def pages(world: dict) -> list[str]:
    return facilitator_pages(world) + public_pages(world)


def get(client, path: str, lang: str):
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}lang={lang}")
    assert response.status_code == 200, (path, response.status_code)
    return response


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_reads_as_words_and_numbers(world, lang):
    client = world["client"]
    failures = {}
    for path in pages(world):
        text = visible_text(get(client, path, lang).get_data(as_text=True))
        found = problems(text)
        if found:
            failures[path] = [(m, context(text, m)) for m in found]
    assert not failures, failures


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KIND_NAMES)
def test_the_phone_shows_every_kind_and_its_results(world, kind, lang):
    """Each activity current in turn, results revealed: the attendee's room page."""
    api, code = world["api"], world["code"]
    activity = world["activities"][kind]
    base = f"/workshops/{code}/activities/{activity}"
    assert api.post(f"{base}/state", {"state": "open"}).status_code == 200
    assert api.post(f"{base}/reveal", {"revealed": True}).status_code == 200
    assert api.post(f"{base}/projector", {"show_results": True}).status_code == 200
    phone = world["app"].test_client()
    assert join_by_form(phone, code, "academia").status_code == 302
    for path, who in ((f"/j/{code}", phone), (f"/present/{code}", world["client"])):
        text = visible_text(get(who, path, lang).get_data(as_text=True))
        found = problems(text)
        assert not found, (kind, path, [(m, context(text, m)) for m in found])
    api.post(f"{base}/state", {"state": "closed"})


def test_results_page_labels_each_kind(world):
    """Each kind with its own columns: poll options, agree counts, rating means."""
    html = get(world["client"], f"/facilitator/w/{world['code']}/results", "en").get_data(
        as_text=True
    )
    sections = {
        m.group(1): m.group(2)
        for m in re.finditer(r'data-kind="(\w+)">(.*?)</section>', html, flags=re.S)
    }
    assert set(sections) == set(KIND_NAMES)
    poll, agree, rating = sections["poll"], sections["agree"], sections["rating"]
    assert ">Option<" in poll and "Share of ballots" in poll and "%" in poll
    assert ">Agree<" in agree and ">Consensus<" in agree and "Agree " in visible_text(agree)
    assert re.search(r">\d\.\d<", rating), "means with one decimal"
    brainstorm = visible_text(sections["brainstorm"])
    assert "Rank" not in brainstorm and "Score" not in brainstorm
    for kind, section in sections.items():
        assert "table-wrap" in section or kind == "brainstorm" or "Nothing yet" in section


def test_thai_results_translate_the_consensus_level(world):
    html = get(world["client"], f"/facilitator/w/{world['code']}/results", "th").get_data(
        as_text=True
    )
    text = visible_text(html)
    assert "ความเห็น" in text or "ฉันทามติ" in text
    for english in ("mixed", "divisive", "insufficient", "consensus"):
        assert not re.search(rf"\b{english}\b", text), english


EXPORTS = {
    "md": lambda body: body.decode(),
    "html": lambda body: visible_text(body.decode()),
    "docx": docx_text,
    "xlsx": xlsx_text,
    # Machine formats: their columns and keys are the documented schema, but values
    # never carry a Python representation nor a UTC time.
    "csv": lambda body: body.decode("utf-8-sig"),
    "json": lambda body: body.decode(),
}
MACHINE = {"csv", "json"}


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_every_export_reads_as_words_and_numbers(world, fmt):
    response = world["api"].get(f"/workshops/{world['code']}/export?format={fmt}")
    assert response.status_code == 200, response.data[:200]
    text = EXPORTS[fmt](response.data)
    if fmt == "xlsx":
        # The Plan sheet is for reading; the others also keep id and key columns
        # (group keys, statement ids) for analysis, but no kind key nor raw value.
        sheets = xlsx_sheets(response.data)
        found = {"Plan": problems(sheets.pop("Plan"))}
        for name, cells in sheets.items():
            found[name] = [m for m in problems(cells) if m in RAW or m in KIND_NAMES]
        assert not any(found.values()), found
        return
    if fmt in MACHINE:
        found = [m for m in ("{'", "':", "UTC", "object at 0x") if m in text]
    else:
        found = problems(text)
    assert not found, [(m, context(text, m)) for m in found]


def test_city_reports_read_as_words_and_numbers(world):
    client = world["client"]
    for path, extract in (
        ("/cities/lampang/report.docx", docx_text),
        ("/cities/lampang/report.xlsx", xlsx_text),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        text = extract(response.data)
        found = problems(text)
        assert not found, (path, [(m, context(text, m)) for m in found])


def test_docx_gives_the_workshop_time_zone_and_agenda_order(world):
    text = docx_text(world["api"].get(f"/workshops/{world['code']}/export?format=docx").data)
    assert "Asia/Bangkok" in text and "UTC" not in text
    assert re.search(r"\d{1,2} \S+ 25\d\d \d\d:\d\d", text), "Thai date and local time"
