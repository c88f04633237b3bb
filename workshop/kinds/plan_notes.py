"""Lines under a plan item in the report exports (md, html, docx, ...): what a word cloud,
a Q&A or a map said of it (``evidence["room"]``, workshop/kinds/plan_evidence.py)."""

from __future__ import annotations

from collections.abc import Callable

LABELS: dict[str, tuple[str, str]] = {
    "room_words": ("คำที่ใช้มากที่สุด", "Most used words"),
    "room_questions": ("คำถามจากที่ประชุม", "Questions from the floor"),
    "room_answered": ("ตอบแล้ว", "answered"),
    "room_votes": ("เสียง", "votes"),
    "room_pins": ("หมุดบนแผนที่", "Map pins"),
}
NOTE_WORDS, NOTE_QUESTIONS = 8, 5


def room_notes(evidence: dict, label: Callable[[str], str]) -> list[str]:
    notes = []
    for entry in evidence.get("room") or []:
        if entry.get("words"):
            words = ", ".join(f"{w['word']} {w['count']}" for w in entry["words"][:NOTE_WORDS])
            notes.append(f"{label('room_words')}: {words}")
        if entry.get("questions"):
            parts = []
            for q in entry["questions"][:NOTE_QUESTIONS]:
                state = f", {label('room_answered')}" if q["qa_state"] == "answered" else ""
                parts.append(f"{q['text']} ({q['votes']} {label('room_votes')}{state})")
            notes.append(f"{label('room_questions')}: {'; '.join(parts)}")
        if entry.get("locations"):
            parts = []
            for category, place in entry["locations"].items():
                where = f" @ {place['lat']:.5f}, {place['lon']:.5f}" if "lat" in place else ""
                parts.append(f"{category} {place['count']}{where}")
            notes.append(f"{label('room_pins')}: {'; '.join(parts)}")
    return notes


def room_lines(entry: dict) -> list[str]:
    """The same, on the pages (in the reader's language): one ``room:...`` evidence entry."""
    from flask_babel import gettext as _

    lines = []
    if entry.get("words"):
        words = ", ".join(f"{w['word']} {w['count']}" for w in entry["words"][:NOTE_WORDS])
        lines.append(_("Most used words: %(words)s", words=words))
    if entry.get("questions"):
        parts = []
        for q in entry["questions"][:NOTE_QUESTIONS]:
            part = f"{q['text']} ({_('%(n)s votes', n=q['votes'])}"
            part += f", {_('Answered')})" if q["qa_state"] == "answered" else ")"
            parts.append(part)
        lines.append(_("Questions from the floor: %(questions)s", questions="; ".join(parts)))
    if entry.get("locations"):
        parts = []
        for category, place in entry["locations"].items():
            where = f" @ {place['lat']:.5f}, {place['lon']:.5f}" if "lat" in place else ""
            parts.append(f"{category} {place['count']}{where}")
        lines.append(_("Map pins: %(pins)s", pins="; ".join(parts)))
    return lines
