"""How results say where their ballots came from: "of which N on paper" (exports, pages).

Bilingual, Thai first, as the export labels are (workshop/exports/text.py).
"""

from __future__ import annotations

from collections.abc import Mapping

CHANNEL_LABELS: dict[str, tuple[str, str]] = {
    "paper": ("บัตรกระดาษ", "on paper"),
    "assisted": ("ลงโดยมีผู้ช่วย", "assisted"),
    "online": ("ออนไลน์", "online"),
    "paper_aggregate": ("แผ่นสติกเกอร์", "sticker sheets"),
}


def channel_note(by_channel: Mapping[str, int] | None, english: bool | None = None) -> str:
    """``"of which 3 on paper, 1 online"`` for the channels other than the room (empty when
    every ballot came from phones in the room). ``english``: None gives both languages."""
    parts = [
        (n, CHANNEL_LABELS[c]) for c, n in (by_channel or {}).items() if c in CHANNEL_LABELS and n
    ]
    if not parts:
        return ""
    thai = "ในจำนวนนี้ " + ", ".join(f"{label[0]} {n}" for n, label in parts)
    latin = "of which " + ", ".join(f"{n} {label[1]}" for n, label in parts)
    if english is None:
        return f"{thai} / {latin}"
    return latin if english else thai


def ballots_line(activity: Mapping) -> str:
    """``"บัตรลงคะแนน / Ballots: 12 (ในจำนวนนี้ บัตรกระดาษ 3 / of which 3 on paper)"``;
    empty for a brainstorm."""
    if activity.get("kind") == "brainstorm" or "ballots_by_channel" not in activity:
        return ""
    note = channel_note(activity.get("ballots_by_channel"))
    line = f"บัตรลงคะแนน / Ballots: {activity.get('ballots', 0)}"
    return f"{line} ({note})" if note else line
