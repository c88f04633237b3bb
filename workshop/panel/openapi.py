"""Agenda editing in the OpenAPI document (see workshop/api/openapi.py)."""

from __future__ import annotations

ACTIVITY = {"$ref": "#/components/schemas/Activity"}
F = "facilitator"

OPERATIONS = [
    (
        "patch",
        "/workshops/{code}/activities/{activity_id}",
        'Edit an activity: prompt, English prompt (prompt_translations.en, "" removes it), '
        "minutes (null removes them), a map's georef (null removes it); a field left out is kept",
        "ActivityUpdate",
        ("200", ACTIVITY),
        F,
    ),
    (
        "delete",
        "/workshops/{code}/activities/{activity_id}",
        "Delete an activity nobody has used (409 when live, voted on, written in, or the "
        "source of another vote)",
        None,
        ("204", {"type": "object"}),
        F,
    ),
    (
        "put",
        "/workshops/{code}/activities/order",
        "Reorder the agenda: every activity id once; a vote stays after its brainstorm",
        "ActivityOrder",
        ("200", {"type": "object"}),
        F,
    ),
]
