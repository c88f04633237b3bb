"""Stakeholder groups: the default six and their translated labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DEFAULT_GROUPS: dict[str, object] = {
    "central_government": _l("Central government"),
    "local_government": _l("Local government"),
    "private_sector": _l("Private sector"),
    "academia": _l("Academia"),
    "civil_society": _l("Civil society"),
    "residents": _l("Residents"),
}


def group_label(key: str) -> str:
    """The label to show for a group key; custom groups show as typed."""
    label = DEFAULT_GROUPS.get(key)
    return str(label) if label is not None else key


def group_labels(keys: list[str]) -> dict[str, str]:
    return {key: group_label(key) for key in keys}
