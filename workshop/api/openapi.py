"""The OpenAPI 3.1 document of ``/api/v1``, request schemas taken from the pydantic models."""

from __future__ import annotations

from functools import lru_cache

from . import schemas

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}

GROUP_COUNTS = {
    "type": "object",
    "properties": {
        "total": {"type": "integer"},
        "by_group": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
}

ACTIVITY = {
    "type": "object",
    "required": ["id", "kind", "prompt", "state"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {
            "type": "string",
            "enum": ["brainstorm", "dot_vote", "rank", "agree", "rating", "poll"],
        },
        "prompt": {"type": "string"},
        "display_prompt": {"type": "string"},
        "prompt_translations": {"type": "object", "additionalProperties": {"type": "string"}},
        "state": {"type": "string", "enum": ["draft", "open", "closed"]},
        "position": {"type": "integer"},
        "results_revealed": {"type": "boolean"},
        "source_activity_id": {"type": ["integer", "null"]},
        "dots": {"type": "integer"},
        "max_per_item": {"type": "integer"},
        "top_k": {"type": "integer"},
        "multiple": {"type": "boolean"},
        "options": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "text": {"type": "string"}},
            },
        },
    },
}

WORKSHOP = {
    "type": "object",
    "required": ["code", "title", "groups", "join_url"],
    "properties": {
        "code": {"type": "string"},
        "title": {"type": "string"},
        "city": {"type": ["string", "null"]},
        "date": {"type": ["string", "null"], "format": "date"},
        "groups": {"type": "array", "items": {"type": "string"}},
        "group_labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "join_url": {"type": "string"},
        "current_activity_id": {"type": ["integer", "null"]},
        "activities": {"type": "array", "items": {"$ref": "#/components/schemas/Activity"}},
    },
}

STATEMENT = {
    "type": "object",
    "required": ["id", "activity_id", "text"],
    "properties": {
        "id": {"type": "integer"},
        "activity_id": {"type": "integer"},
        "text": {"type": "string"},
        "group": {"type": ["string", "null"]},
        "created_at": {"type": "string"},
    },
}

INT_MAP = {"type": "object", "additionalProperties": {"type": "integer"}}
BALLOT = {
    "type": "object",
    "description": "The participant's ballot in the shape of its kind: dots (dot_vote), "
    "ranking (rank), answers (agree), ratings (rating) or choices (poll).",
    "properties": {
        "activity_id": {"type": "integer"},
        "kind": {"type": "string"},
        "client_id": {"type": "string"},
        "updated_at": {"type": "string"},
        "dots": INT_MAP,
        "ranking": {"type": "array", "items": {"type": "integer"}},
        "answers": INT_MAP,
        "ratings": INT_MAP,
        "choices": {"type": "array", "items": {"type": "integer"}},
    },
}

RESULT_ITEM = {
    "type": "object",
    "required": ["statement_id", "text", "score", "by_group"],
    "properties": {
        "statement_id": {"type": "integer"},
        "text": {"type": "string"},
        "group": {"type": ["string", "null"]},
        "score": {"type": "number"},
        "rank": {"type": "integer"},
        "by_group": {
            "type": "object",
            "description": "score per group; for agree {agree, disagree, pass}; "
            "for rating {mean, median, spread, count}",
        },
        "agree": {"type": "integer"},
        "disagree": {"type": "integer"},
        "pass": {"type": "integer"},
        "consensus": {
            "type": "object",
            "properties": {
                "level": {"enum": ["consensus", "mixed", "divisive", "insufficient"]},
                "min_group_agreement": {"type": ["number", "null"]},
            },
        },
        "mean": {"type": ["number", "null"]},
        "median": {"type": ["number", "null"]},
        "spread": {"type": ["number", "null"]},
        "count": {"type": "integer"},
    },
}

RESULTS = {
    "type": "object",
    "required": ["participants", "activities"],
    "properties": {
        "workshop": {"$ref": "#/components/schemas/Workshop"},
        "participants": GROUP_COUNTS,
        "activities": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "kind": {"type": "string"},
                    "prompt": {"type": "string"},
                    "state": {"type": "string"},
                    "ballots": {"type": "integer"},
                    "items": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ResultItem"},
                    },
                },
            },
        },
    },
}

STATE = {
    "type": "object",
    "required": ["workshop", "current_activity", "statements", "my_ballot"],
    "properties": {
        "workshop": {"$ref": "#/components/schemas/Workshop"},
        "current_activity": {
            "oneOf": [{"$ref": "#/components/schemas/Activity"}, {"type": "null"}]
        },
        "statements": {"type": "array", "items": {"$ref": "#/components/schemas/Statement"}},
        "my_ballot": {"oneOf": [{"$ref": "#/components/schemas/Ballot"}, {"type": "null"}]},
        "me": {"type": "object"},
    },
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict:
    return {str(s): {"$ref": "#/components/responses/Error"} for s in statuses}


def _body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def _op(
    summary: str,
    responses: dict,
    *,
    body: str | None = None,
    security: str | None = "facilitator",
    errors: tuple[int, ...] = (400, 401, 403, 404, 422),
) -> dict:
    operation: dict = {"summary": summary, "responses": {**responses, **_errors(*errors)}}
    if body:
        operation["requestBody"] = _body(body)
    if security == "none":
        operation["security"] = []
    elif security:
        operation["security"] = [{security: []}]
    return operation


CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
ACTIVITY_ID = {"name": "activity_id", "in": "path", "required": True, "schema": {"type": "integer"}}


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    bodies = {
        name: getattr(schemas, name).model_json_schema(ref_template="#/components/schemas/{model}")
        for name in (
            "WorkshopCreate",
            "WorkshopUpdate",
            "ActivityCreate",
            "ActivityState",
            "ActivityReveal",
            "ParticipantCreate",
            "StatementCreate",
            "VoteCast",
        )
    }
    attendee = "participant"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Workshop API",
            "version": "1",
            "description": "Live public participation meetings. Errors are "
            '{"error": {"code", "message"}}. Realtime events: docs/realtime.md.',
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {
                "facilitator": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "token from `workshop token create EMAIL`",
                },
                "participant": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "token returned on join (or the phone's cookie)",
                },
            },
            "responses": {"Error": _json(ERROR, "error")},
            "schemas": {
                "Error": ERROR,
                "Workshop": WORKSHOP,
                "Activity": ACTIVITY,
                "Statement": STATEMENT,
                "Ballot": BALLOT,
                "ResultItem": RESULT_ITEM,
                "Results": RESULTS,
                "State": STATE,
                **bodies,
            },
        },
        "paths": {
            "/api/v1/workshops": {
                "get": _op("List my workshops", {"200": _json({"type": "object"}, "workshops")}),
                "post": _op(
                    "Create a workshop",
                    {"201": _json(_ref("Workshop"), "created")},
                    body="WorkshopCreate",
                ),
            },
            "/api/v1/workshops/{code}": {
                "parameters": [CODE],
                "get": _op("Workshop with its activities", {"200": _json(_ref("Workshop"), "ok")}),
                "patch": _op(
                    "Change settings (consensus rules)",
                    {"200": _json(_ref("Workshop"), "ok")},
                    body="WorkshopUpdate",
                ),
            },
            "/api/v1/workshops/{code}/activities": {
                "parameters": [CODE],
                "post": _op(
                    "Add an activity",
                    {"201": _json(_ref("Activity"), "created")},
                    body="ActivityCreate",
                ),
            },
            "/api/v1/workshops/{code}/activities/{activity_id}/state": {
                "parameters": [CODE, ACTIVITY_ID],
                "post": _op(
                    "Open (making it current) or close an activity",
                    {"200": _json(_ref("Activity"), "ok")},
                    body="ActivityState",
                ),
            },
            "/api/v1/workshops/{code}/activities/{activity_id}/reveal": {
                "parameters": [CODE, ACTIVITY_ID],
                "post": _op(
                    "Show or hide the results on phones",
                    {"200": _json(_ref("Activity"), "ok")},
                    body="ActivityReveal",
                ),
            },
            "/api/v1/workshops/{code}/results": {
                "parameters": [CODE],
                "get": _op("Results, items ranked by score", {"200": _json(_ref("Results"), "ok")}),
            },
            "/api/v1/workshops/{code}/participants": {
                "parameters": [CODE],
                "post": _op(
                    "Join as a participant",
                    {
                        "201": _json(
                            {
                                "type": "object",
                                "properties": {
                                    "token": {"type": "string"},
                                    "participant_id": {"type": "integer"},
                                    "group": {"type": "string"},
                                },
                            },
                            "joined",
                        )
                    },
                    body="ParticipantCreate",
                    security="none",
                    errors=(400, 404, 422),
                ),
            },
            "/api/v1/workshops/{code}/state": {
                "parameters": [CODE],
                "get": _op(
                    "What this participant's phone shows",
                    {"200": _json(_ref("State"), "ok")},
                    security=attendee,
                    errors=(401, 404),
                ),
            },
            "/api/v1/workshops/{code}/statements": {
                "parameters": [CODE],
                "post": _op(
                    "Submit a statement (idempotent per client_id)",
                    {
                        "201": _json(_ref("Statement"), "created"),
                        "200": _json(_ref("Statement"), "repeat of an earlier client_id"),
                    },
                    body="StatementCreate",
                    security=attendee,
                    errors=(400, 401, 404, 409, 413, 422),
                ),
            },
            "/api/v1/workshops/{code}/votes": {
                "parameters": [CODE],
                "post": _op(
                    "Cast or replace a dot ballot",
                    {"200": _json(_ref("Ballot"), "stored")},
                    body="VoteCast",
                    security=attendee,
                    errors=(400, 401, 404, 409, 413, 422),
                ),
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI document"}},
                },
            },
        },
    }
