"""The tracking operations in the OpenAPI document (see workshop/api/openapi.py): public
city pages, tracked projects and their progress updates."""

from __future__ import annotations

OBJECT = {"type": "object"}
F, PUBLIC = "facilitator", "none"

OPERATIONS = [
    (
        "get",
        "/cities",
        "The cities with their progress summaries",
        None,
        ("200", {"type": "array"}),
        PUBLIC,
    ),
    ("get", "/cities/{slug}", "One city's summary and projects", None, ("200", OBJECT), PUBLIC),
    (
        "get",
        "/projects/{project_id}",
        "A tracked project with updates and source statements",
        None,
        ("200", OBJECT),
        PUBLIC,
    ),
    (
        "patch",
        "/projects/{project_id}",
        "Set owner, budget and dates (city facilitators)",
        "ProjectPatch",
        ("200", OBJECT),
        F,
    ),
    (
        "post",
        "/projects/{project_id}/updates",
        "Add a dated progress update (city facilitators)",
        "ProjectUpdateCreate",
        ("201", OBJECT),
        F,
    ),
    (
        "post",
        "/plans/{plan_id}/updates/import",
        "Bulk updates from a CSV body or XLSX file "
        "(project_id,status,progress,note[,date]); all rows or none",
        None,
        ("200", OBJECT),
        F,
    ),
]
