"""The planning process's operations in the OpenAPI document (see workshop/api/openapi.py)."""

from __future__ import annotations

OBJECT = {"type": "object"}
F = "facilitator"

PLAN = {
    "type": "object",
    "required": ["version", "status", "goals", "evidence"],
    "properties": {
        "version": {"type": "integer"},
        "status": {"enum": ["draft", "consultation", "adopted"]},
        "revision": {"type": "integer"},
        "vision": {"type": ["object", "null"]},
        "alternatives": {"type": "array"},
        "goals": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "text", "indicators", "strategies", "evidence"],
                "properties": {
                    "strategies": {
                        "type": "array",
                        "items": {"type": "object", "required": ["id", "text", "projects"]},
                    }
                },
            },
        },
        "unplaced": {"type": "object"},
        "evidence": {"type": "object"},
    },
}

OPERATIONS = [
    ("get", "/processes", "List the planning processes I run", None, ("200", OBJECT), F),
    (
        "post",
        "/processes",
        "Create a city's planning process (years in the Buddhist Era)",
        "ProcessCreate",
        ("201", OBJECT),
        F,
    ),
    (
        "get",
        "/processes/{process_id}",
        "The process: its meetings in order (participants per group), plan, versions; "
        "public once published",
        None,
        ("200", OBJECT),
        F,
    ),
    ("patch", "/processes/{process_id}", "Rename, publish", "ProcessUpdate", ("200", OBJECT), F),
    (
        "post",
        "/processes/{process_id}/workshops",
        "Add a meeting: an existing workshop ({code}) or a new one (the body of POST /workshops)",
        "ProcessWorkshopAdd",
        ("201", OBJECT),
        F,
    ),
    (
        "get",
        "/processes/{process_id}/plan",
        "The living plan: vision, goals > strategies > projects, evidence per item",
        None,
        ("200", PLAN),
        F,
    ),
    (
        "post",
        "/processes/{process_id}/plan/items",
        "Add an item to the tree",
        "PlanTreeItemCreate",
        ("201", OBJECT),
        F,
    ),
    (
        "patch",
        "/processes/{process_id}/plan/items/{item_id}",
        "Edit or move an item (409 plan_changed when base_revision is old)",
        "PlanTreeItemUpdate",
        ("200", OBJECT),
        F,
    ),
    (
        "delete",
        "/processes/{process_id}/plan/items/{item_id}",
        "Delete an item (its children wait unplaced)",
        None,
        ("204", OBJECT),
        F,
    ),
    (
        "post",
        "/processes/{process_id}/plan/status",
        "Move the plan to draft, consultation or adopted; freezes a numbered version",
        "PlanStatusChange",
        ("200", PLAN),
        F,
    ),
    (
        "get",
        "/processes/{process_id}/plan/versions",
        "The frozen versions",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "get",
        "/processes/{process_id}/plan/versions/{number}",
        "One frozen version (or 'current')",
        None,
        ("200", PLAN),
        F,
    ),
    (
        "get",
        "/processes/{process_id}/plan/versions/{a}/diff/{b}",
        "Compare two versions ('current' for the working plan): added, removed, changed, moved",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "post",
        "/processes/{process_id}/plan/adopt",
        "Adopt the plan: freeze a version and track the tree's projects",
        None,
        ("201", OBJECT),
        F,
    ),
    (
        "post",
        "/processes/{process_id}/plan/indicators/{indicator_id}/values",
        "Record a measured value of a goal's indicator",
        "IndicatorValueCreate",
        ("201", OBJECT),
        F,
    ),
    (
        "get",
        "/processes/{process_id}/export",
        "Export the process plan (?format=docx|xlsx|json, &diff=a..b)",
        None,
        ("200", OBJECT),
        F,
    ),
    # one workshop's own plan (workshop/planning/workshop_api.py)
    (
        "post",
        "/workshops/{code}/plan/draft",
        "Build (201) or rebuild (200) the draft plan; "
        "409 when planners edited it unless overwrite is true",
        "PlanDraft",
        ("200", OBJECT),
        F,
    ),
    (
        "get",
        "/workshops/{code}/plan",
        "The draft plan: vision, alternatives, goals, strategies, projects",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "post",
        "/workshops/{code}/plan/items",
        "Add a planner's own item",
        "PlanItemCreate",
        ("201", OBJECT),
        F,
    ),
    (
        "patch",
        "/workshops/{code}/plan/items/{item_id}",
        "Reword, move, reorder, set owner and indicator",
        "PlanItemUpdate",
        ("200", OBJECT),
        F,
    ),
    (
        "delete",
        "/workshops/{code}/plan/items/{item_id}",
        "Remove an item",
        None,
        ("204", OBJECT),
        F,
    ),
    (
        "post",
        "/workshops/{code}/plan/adopt",
        "Adopt the plan: its projects become tracked",
        None,
        ("201", OBJECT),
        F,
    ),
]
