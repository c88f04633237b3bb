"""Issue 17 point 7: a Thai page shows no English, beyond a short explicit allow-list.

Every page of tests/test_rendering.py (facilitator, presenter, attendee with each vote
kind current, city pages) is rendered in Thai (``?lang=th``, as the language switch does)
for a workshop whose own words are all Thai, and its visible text (alt, title,
aria-label and placeholder included) is searched for Latin-script words. Text a page marks
as another language on purpose (``lang="en"``: the English name of a city beside the
Thai one, the switch to English) is not Thai text and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from tests.conftest import Api, make_facilitator
from tests.full_workshop import KIND_NAMES, THAI_STATEMENTS, build
from tests.test_pages import join_by_form, login
from tests.test_rendering import facilitator_pages, public_pages

# Words that stay as they are in Thai text. Each says why.
ALLOWED = {
    "QR",  # คิวอาร์โค้ด is also used, but "QR" is what is printed on the code itself
    "Wi",  # Wi-Fi (split at the hyphen)
    "Fi",
    "DOCX",  # file formats of the download links
    "XLSX",
    "CSV",
    "JSON",
    "MD",
    "HTML",
    "PDF",
    "A4",  # paper size
    "Sarabun",  # the font's name
    "Borda",  # the counting method's name, in brackets after its Thai description
    "ID",  # a ballot or project id
    "UTF",  # UTF-8, the file encoding
    "API",  # where an update came from: the programmers' interface
    "Word",  # product names of the report formats: "Word (DOCX)", "Excel (XLSX)"
    "Excel",
    "Page",  # the keys "Page Up" / "Page Down", as printed on keyboards and clickers
    "Up",
    "Down",
}
URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|/[\w/.-]+")
CODE = re.compile(r"\b[A-Z0-9]{6}\b")  # join codes
WORD = re.compile(r"[A-Za-z][A-Za-z']+")


class _ThaiText(HTMLParser):
    """Visible text outside scripts and outside elements marked lang="en"."""

    # <code>: literal identifiers a person types as they are (an import file's column
    # names), not words of the page.
    SKIP = {"script", "style", "template", "code"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        other_language = (attributes.get("lang") or "th").split("-")[0] not in ("th", "")
        skip = tag in self.SKIP or other_language
        if not skip and not self._hidden():
            for name in ("alt", "title", "aria-label", "placeholder"):
                if attributes.get(name):
                    self.parts.append(attributes[name])
            if attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.parts.append(attributes["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        while self.stack:
            opened, _ = self.stack.pop()
            if opened == tag:
                break

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def english_words(html: str) -> list[str]:
    parser = _ThaiText()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = CODE.sub(" ", URL.sub(" ", text))
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED})


@pytest.fixture(scope="module")
def thai_world(tmp_path_factory) -> Iterator[dict]:
    from flask_migrate import upgrade

    from workshop import create_app
    from workshop.config import TestConfig
    from workshop.extensions import db

    path = tmp_path_factory.mktemp("thai") / "thai.sqlite3"
    app = create_app(TestConfig(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
    token = make_facilitator(app)
    client = app.test_client()
    api = Api(client, token)
    info = build(app, api, statements=THAI_STATEMENTS)
    login(client)
    client.get("/facilitator/?lang=th")
    yield {"app": app, "client": client, "api": api, **info}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def thai(client, path: str) -> str:
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}lang=th")
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_english_words_are_found():
    """The check itself: an English flash in a Thai page is caught, lang="en" is not."""
    page = '<p>ข้อความ</p><div role="alert">nothing is merged into this statement</div>'
    assert english_words(page) == ["into", "is", "merged", "nothing", "statement", "this"]
    assert english_words('<span lang="en">Lampang City Municipality</span> QR ABC123') == []
    assert english_words('<img alt="Join code"><a href="/cities">เมือง</a>') == ["Join", "code"]


def test_every_thai_page_is_in_thai(thai_world):
    client = thai_world["client"]
    found = {}
    for path in facilitator_pages(thai_world) + public_pages(thai_world):
        words = english_words(thai(client, path))
        if words:
            found[path] = words
    assert not found, "\n".join(f"{p}: {w}" for p, w in found.items())


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_the_thai_phone_and_projector_with_each_kind(thai_world, kind):
    api, code = thai_world["api"], thai_world["code"]
    base = f"/workshops/{code}/activities/{thai_world['activities'][kind]}"
    assert api.post(f"{base}/state", {"state": "open"}).status_code == 200
    api.post(f"{base}/reveal", {"revealed": True})
    api.post(f"{base}/projector", {"show_results": True})
    phone = thai_world["app"].test_client()
    phone.get("/j?lang=th")
    assert join_by_form(phone, code, "academia").status_code == 302
    found = {}
    for path, who in ((f"/j/{code}", phone), (f"/present/{code}", thai_world["client"])):
        words = english_words(thai(who, path))
        if words:
            found[path] = words
    api.post(f"{base}/state", {"state": "closed"})
    assert not found, (kind, found)


def test_flash_messages_are_in_thai(thai_world):
    """A refusal flashed on a Thai page: the service's English message never shows."""
    client, code = thai_world["client"], thai_world["code"]
    page = thai(client, f"/facilitator/w/{code}/plan")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        f"/facilitator/w/{code}/plan/adopt", data={"csrf_token": token}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "แผนนี้รับรองแล้ว" in html and not english_words(html)


def test_login_and_error_pages_are_in_thai(thai_world):
    visitor = thai_world["app"].test_client()
    visitor.get("/j?lang=th")
    found = {}
    for path, status in (
        ("/facilitator/login", 200),
        ("/j/NOPE99", 404),
        ("/j?code=ZZZZZZ", 404),
        ("/cities/atlantis", 404),
    ):
        response = visitor.get(path)
        assert response.status_code == status, path
        words = english_words(response.get_data(as_text=True))
        if words:
            found[path] = words
    assert not found, found
