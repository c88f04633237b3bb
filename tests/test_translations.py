"""Thai first: every user-facing string of the code and templates has a Thai translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("workshop/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_thai_catalogue_is_complete():
    with (ROOT / "workshop/translations/th/LC_MESSAGES/messages.po").open("rb") as source:
        catalogue = read_po(source, locale="th")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(source_messages() - translated)
    assert not missing, f"{len(missing)} strings have no Thai translation: {missing[:20]}"
