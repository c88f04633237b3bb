"""The OpenAPI 3.1 document of ``/api/v1``.

Request schemas come from the pydantic models in ``schemas.py``; response
schemas from ``openapi_schemas.py``. ``tests/test_api.py`` checks that every
API route of the app appears here, so the document cannot silently fall behind.
"""

from __future__ import annotations

from functools import lru_cache

from ..channels.openapi import OPERATIONS as CHANNEL_OPERATIONS
from ..kinds.openapi import OPERATIONS as ROOM_KIND_OPERATIONS
from ..panel.openapi import OPERATIONS as PANEL_OPERATIONS
from ..planning.openapi import OPERATIONS as PLANNING_OPERATIONS
from ..tracking.openapi import OPERATIONS as TRACKING_OPERATIONS
from . import schemas
from .openapi_schemas import (
    ACTIVITY,
    BALLOT,
    ERROR,
    OPINIONS,
    RESULT_ITEM,
    RESULTS,
    STATE,
    STATEMENT,
    WORKSHOP,
)

OBJECT = {"type": "object"}
F, P, PUBLIC = "facilitator", "participant", "none"

# method, path, summary, request body model, (status, response schema), security
OPERATIONS: list[tuple[str, str, str, str | None, tuple[str, dict], str]] = [
    ("get", "/workshops", "List the workshops I run", None, ("200", OBJECT), F),
    (
        "post",
        "/workshops",
        "Create a workshop (optionally from an agenda template)",
        "WorkshopCreate",
        ("201", {"$ref": "#/components/schemas/Workshop"}),
        F,
    ),
    (
        "get",
        "/workshops/{code}",
        "Workshop with its activities",
        None,
        ("200", {"$ref": "#/components/schemas/Workshop"}),
        F,
    ),
    (
        "patch",
        "/workshops/{code}",
        "Change settings: consensus rules, pre-moderation, close/open the short code, room "
        "defaults (results_hidden_by_default, moderation pre|post)",
        "WorkshopUpdate",
        ("200", {"$ref": "#/components/schemas/Workshop"}),
        F,
    ),
    (
        "post",
        "/workshops/{code}/facilitators",
        "Invite a co-facilitator (owner only)",
        "CoFacilitatorAdd",
        ("201", OBJECT),
        F,
    ),
    (
        "delete",
        "/workshops/{code}/facilitators/{email}",
        "Remove a co-facilitator (owner only): their live panels of this workshop close",
        None,
        ("204", OBJECT),
        F,
    ),
    (
        "post",
        "/workshops/{code}/activities",
        "Add an activity",
        "ActivityCreate",
        ("201", {"$ref": "#/components/schemas/Activity"}),
        F,
    ),
    (
        "post",
        "/workshops/{code}/activities/{activity_id}/state",
        "Open (making it current, closing any other) or close an activity",
        "ActivityState",
        ("200", {"$ref": "#/components/schemas/Activity"}),
        F,
    ),
    (
        "post",
        "/workshops/{code}/activities/{activity_id}/reveal",
        "Show or hide the results on phones",
        "ActivityReveal",
        ("200", {"$ref": "#/components/schemas/Activity"}),
        F,
    ),
    (
        "post",
        "/workshops/{code}/activities/{activity_id}/projector",
        "Show or hide the live results on the projector",
        "ActivityProjector",
        ("200", {"$ref": "#/components/schemas/Activity"}),
        F,
    ),
    (
        "post",
        "/workshops/{code}/activities/{activity_id}/lock",
        "Pause or resume submissions without closing",
        "ActivityLock",
        ("200", {"$ref": "#/components/schemas/Activity"}),
        F,
    ),
    (
        "post",
        "/workshops/{code}/activities/{activity_id}/timer",
        "Start (seconds) or stop (null) a countdown",
        "ActivityTimer",
        ("200", {"$ref": "#/components/schemas/Activity"}),
        F,
    ),
    (
        "post",
        "/workshops/{code}/advance",
        "Open the next or previous activity",
        "Advance",
        ("200", {"$ref": "#/components/schemas/Activity"}),
        F,
    ),
    (
        "get",
        "/workshops/{code}/results",
        "Results, items ranked, totals per group",
        None,
        ("200", {"$ref": "#/components/schemas/Results"}),
        F,
    ),
    (
        "get",
        "/workshops/{code}/activities/{activity_id}/opinions",
        "Opinion groups of an agree activity: PCA map, groups, bridging, uncertain statements",
        None,
        ("200", {"$ref": "#/components/schemas/Opinions"}),
        F,
    ),
    (
        "post",
        "/workshops/{code}/activities/{activity_id}/opinions/own-dots",
        "Let each phone see its own dot on the opinion map (or stop it)",
        "OwnDotsChange",
        ("200", OBJECT),
        F,
    ),
    (
        "get",
        "/workshops/{code}/activities/{activity_id}/opinions/mine",
        "The calling phone's own dot and opinion group, beside the room's anonymous dots "
        "(403 own_dot_not_shown until allowed)",
        None,
        ("200", OBJECT),
        P,
    ),
    ("get", "/workshops/{code}/audit", "Audit log: who did what when", None, ("200", OBJECT), F),
    (
        "get",
        "/workshops/{code}/statements",
        "Every statement with moderation flags (?activity_id=, ?status=pending)",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "get",
        "/workshops/{code}/statements/{statement_id}",
        "A statement with merged_from and its edit history",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "patch",
        "/workshops/{code}/statements/{statement_id}",
        "Hide/unhide, edit the text, pin, approve; set the cost (baht) for budget votes",
        "StatementPatch",
        ("200", OBJECT),
        F,
    ),
    (
        "post",
        "/workshops/{code}/statements/{statement_id}/merge",
        "Merge duplicates into this statement (their votes count here)",
        "StatementMerge",
        ("200", OBJECT),
        F,
    ),
    (
        "post",
        "/workshops/{code}/statements/{statement_id}/unmerge",
        "Restore every statement merged into this one",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "get",
        "/workshops/{code}/duplicates",
        "Suggested duplicate pairs with a similarity (?threshold=0.5, ?activity_id=)",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "get",
        "/workshops/{code}/export",
        "Export plan and results (?format=docx|xlsx|csv|json|md|html), or one map "
        "activity's pins as GeoJSON (?format=geojson&activity=<id>)",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "post",
        "/workshops/{code}/participants",
        "Join as a participant; with a helper token as bearer and assisted: true, a helper "
        "registers an attendee without a phone (workshop/channels/helpers.py)",
        "ParticipantCreate",
        ("201", OBJECT),
        PUBLIC,
    ),
    (
        "get",
        "/workshops/{code}/state",
        "What this participant's phone shows",
        None,
        ("200", {"$ref": "#/components/schemas/State"}),
        P,
    ),
    (
        "post",
        "/workshops/{code}/statements",
        "Submit a statement (a repeated client_id returns the first one with 200)",
        "StatementCreate",
        ("201", {"$ref": "#/components/schemas/Statement"}),
        P,
    ),
    (
        "post",
        "/workshops/{code}/votes",
        "Cast or replace a ballot (any vote kind)",
        "VoteCast",
        ("200", {"$ref": "#/components/schemas/Ballot"}),
        P,
    ),
    (
        "get",
        "/server/stats",
        "Counts of what this server process holds: connections, rooms, rate-limit buckets, "
        "queued votes, memory, open files (no names or data)",
        None,
        ("200", OBJECT),
        F,
    ),
    ("get", "/openapi.json", "This document", None, ("200", OBJECT), PUBLIC),
]

ERROR_STATUSES = ("400", "401", "403", "404", "409", "413", "422", "429", "503")


OPERATIONS += PLANNING_OPERATIONS  # processes and a workshop's own plan
OPERATIONS += TRACKING_OPERATIONS  # cities, tracked projects (workshop/tracking/openapi.py)
OPERATIONS += ROOM_KIND_OPERATIONS  # word cloud, Q&A, map (workshop/kinds/openapi.py)
OPERATIONS += CHANNEL_OPERATIONS  # paper, assisted, online (workshop/channels/openapi.py)
OPERATIONS += PANEL_OPERATIONS


# Path parameters that are text: codes, slugs, and version numbers (which take "current").
TEXT_PARAMETERS = ("code", "slug", "email", "number", "a", "b", "word_key", "ballot_code")


def _parameters(path: str) -> list[dict]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return [
        {
            "name": n,
            "in": "path",
            "required": True,
            "schema": {"type": "string" if n in TEXT_PARAMETERS else "integer"},
        }
        for n in names
    ]


def _operation(summary: str, body: str | None, response: tuple[str, dict], security: str) -> dict:
    status, schema = response
    success: dict = {"description": "success"}
    if status != "204":
        success["content"] = {"application/json": {"schema": schema}}
    operation: dict = {
        "summary": summary,
        "responses": {
            status: success,
            **{s: {"$ref": "#/components/responses/Error"} for s in ERROR_STATUSES},
        },
        "security": [] if security == PUBLIC else [{security: []}],
    }
    if body:
        operation["requestBody"] = {
            "required": body not in ("PlanDraft",),
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        }
    return operation


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    paths: dict[str, dict] = {}
    bodies = sorted({op[3] for op in OPERATIONS if op[3]})
    for method, path, summary, body, response, security in OPERATIONS:
        entry = paths.setdefault(f"/api/v1{path}", {"parameters": _parameters(path)})
        entry[method] = _operation(summary, body, response, security)
    request_schemas = {}
    for name in bodies:
        schema = getattr(schemas, name).model_json_schema(
            ref_template="#/components/schemas/{model}", by_alias=True
        )
        request_schemas.update(schema.pop("$defs", {}))
        request_schemas[name] = schema
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Workshop API",
            "version": "1",
            "description": 'Live public participation meetings. Errors are {"error": {"code", '
            '"message"}}; bad input never gives a 500 nor changes anything. 429 (rate limited) '
            'and 503 (code "busy": the database is busy or unreachable for a moment, or the '
            "server is restarting; nothing was stored) "
            "carry retry_after seconds and a Retry-After header: send the same write again "
            "(same client_id). Writes authenticated by a cookie (not a bearer token) must come "
            "from the app's own origin (Origin header) or carry the X-CSRFToken header; "
            "otherwise 403 csrf. Answers carrying a join or participant token are "
            "Cache-Control: no-store. Realtime events: docs/realtime.md. "
            "Consensus: docs/consensus.md.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {
                F: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "token from `workshop token create EMAIL` (listed by "
                    "`workshop token list EMAIL`, revoked by `workshop token revoke ID`), "
                    "or the login cookie (ended by logout on the server)",
                },
                P: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "token returned on join, or the phone's cookie",
                },
            },
            "responses": {
                "Error": {
                    "description": "error",
                    "content": {"application/json": {"schema": ERROR}},
                },
            },
            "schemas": {
                "Error": ERROR,
                "Workshop": WORKSHOP,
                "Activity": ACTIVITY,
                "Statement": STATEMENT,
                "Ballot": BALLOT,
                "ResultItem": RESULT_ITEM,
                "Results": RESULTS,
                "Opinions": OPINIONS,
                "State": STATE,
                **request_schemas,
            },
        },
        "paths": paths,
    }
