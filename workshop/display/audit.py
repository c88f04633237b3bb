"""Audit log lines as people read them: ``ซ่อนข้อเสนอ #16``, never ``hide · statement #16``.

One table, Thai and English, used by the moderation page (the reader's language) and
by the exports (both languages, ``ไทย / English``).
"""

from __future__ import annotations

from collections.abc import Mapping

ACTIONS: dict[str, tuple[str, str]] = {
    "add_activity": ("เพิ่มกิจกรรม", "Added an activity"),
    "open": ("เปิดกิจกรรม", "Opened an activity"),
    "close": ("ปิดกิจกรรม", "Closed an activity"),
    "reveal": ("แสดงผลบนโทรศัพท์", "Showed results on phones"),
    "unreveal": ("ซ่อนผลจากโทรศัพท์", "Hid results from phones"),
    "projector_show": ("แสดงผลบนจอโปรเจกเตอร์", "Showed results on the projector"),
    "projector_hide": ("ซ่อนผลบนจอโปรเจกเตอร์", "Hid results on the projector"),
    "lock": ("หยุดรับคำตอบชั่วคราว", "Paused submissions"),
    "unlock": ("รับคำตอบต่อ", "Resumed submissions"),
    "timer": ("ตั้งเวลานับถอยหลัง", "Set the countdown"),
    "hide": ("ซ่อนข้อเสนอ", "Hid a statement"),
    "unhide": ("แสดงข้อเสนออีกครั้ง", "Showed a statement again"),
    "edit": ("แก้ไขข้อเสนอ", "Edited a statement"),
    "approve": ("อนุมัติข้อเสนอ", "Approved a statement"),
    "pin": ("ปักหมุดข้อเสนอ", "Pinned a statement"),
    "unpin": ("เลิกปักหมุดข้อเสนอ", "Unpinned a statement"),
    "merge": ("รวมข้อเสนอที่ซ้ำกัน", "Merged duplicates"),
    "unmerge": ("ยกเลิกการรวมข้อเสนอ", "Undid a merge"),
    "premoderation_on": ("เปิดการตรวจก่อนแสดง", "Turned pre-moderation on"),
    "premoderation_off": ("ปิดการตรวจก่อนแสดง", "Turned pre-moderation off"),
    "short_code_open": ("เปิดรหัสเข้าร่วม", "Opened the short code"),
    "short_code_closed": ("ปิดรหัสเข้าร่วม", "Closed the short code"),
    "remove_cofacilitator": ("นำผู้ดำเนินการร่วมออก", "Removed a co-facilitator"),
}
TARGETS: dict[str, tuple[str, str]] = {
    "activity": ("กิจกรรม", "activity"),
    "statement": ("ข้อเสนอ", "statement"),
    "workshop": ("เวที", "workshop"),
    "facilitator": ("ผู้ดำเนินการ", "facilitator"),
}
DETAILS: dict[str, tuple[str, str]] = {
    "kind": ("ประเภท", "kind"),
    "seconds": ("วินาที", "seconds"),
    "merged": ("รวม", "merged"),
    "restored": ("แยกคืน", "restored"),
    "email": ("อีเมล", "e-mail"),
    "old_text": ("ข้อความเดิม", "old text"),
    "new_text": ("ข้อความใหม่", "new text"),
}
UNKNOWN = ("การดำเนินการอื่น", "Other action")


def _pick(pair: tuple[str, str], language: str) -> str:
    if language == "both":
        return f"{pair[0]} / {pair[1]}"
    return pair[0] if language.startswith("th") else pair[1]


def action_text(action: str | None, language: str = "th") -> str:
    return _pick(ACTIONS.get(action or "", UNKNOWN), language)


def target_text(target: Mapping | None, language: str = "th") -> str:
    """``ข้อเสนอ #16``; '' for none."""
    if not target or not target.get("type"):
        return ""
    kind = TARGETS.get(target["type"])
    name = _pick(kind, language) if kind else _pick(UNKNOWN, language)
    return f"{name} #{target['id']}" if target.get("id") is not None else name


def _value(key: str, value: object, language: str) -> str:
    if key == "kind":
        from .kinds import KIND_VIEWS

        view = KIND_VIEWS.get(str(value))
        if view is not None:
            return _kind_name(str(value), language)
    if isinstance(value, list | tuple):
        return ", ".join(f"#{v}" if isinstance(v, int) else str(v) for v in value)
    if value is None:
        return "–"
    return " ".join(str(value).split())


def _kind_name(kind: str, language: str) -> str:
    from ..exports.text import LABELS

    pair = LABELS.get(f"kind_{kind}")
    return _pick(pair, language) if pair else kind


def details_text(details: Mapping | None, language: str = "th") -> str:
    """``ประเภท: ลงคะแนนแบบติดจุด; วินาที: 300`` (participant text kept as plain text)."""
    if not details:
        return ""
    parts = []
    for key in sorted(details):
        label = DETAILS.get(key)
        name = _pick(label, language) if label else _pick(UNKNOWN, language)
        parts.append(f"{name}: {_value(key, details[key], language)}")
    return "; ".join(parts)


def audit_line(entry: Mapping, language: str = "th") -> str:
    """``ซ่อนข้อเสนอ · ข้อเสนอ #16``: what the moderation page lists."""
    parts = [action_text(entry.get("action"), language)]
    target = target_text(entry.get("target"), language)
    if target:
        parts.append(target)
    return " · ".join(parts)
