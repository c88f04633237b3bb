"""JSON Schemas of the API's responses, for the OpenAPI document."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "retry_after": {
                    "type": "integer",
                    "description": "429 and 503 (busy): seconds to wait before sending again",
                },
            },
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
            "enum": ["brainstorm", "dot_vote", "rank", "agree", "rating", "poll"]
            + ["matrix", "points", "budget"],
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
        "x_label": {"type": "string", "description": "matrix: first axis (default ผลกระทบ)"},
        "y_label": {"type": "string", "description": "matrix: second axis (default ความเป็นไปได้)"},
        "x_label_en": {"type": "string"},
        "y_label_en": {"type": "string"},
        "points": {"type": "integer", "description": "points: what each participant spreads"},
        "budget": {"type": "integer", "description": "budget: baht to share"},
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
        "join_url": {
            "type": "string",
            "description": "QR link /j/<code>?t=<join token>; joins even after the short "
            "code is closed",
        },
        "short_code_open": {
            "type": "boolean",
            "description": "false: typing the short code no longer joins; the QR link does",
        },
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
        "cost": {"type": "integer", "description": "baht, for budget votes (only when set)"},
    },
}

INT_MAP = {"type": "object", "additionalProperties": {"type": "integer"}}
BALLOT = {
    "type": "object",
    "description": "The participant's ballot in the shape of its kind: dots (dot_vote), "
    "ranking (rank), answers (agree), ratings (rating), choices (poll), placements "
    "(matrix), points (points) or selection (budget).",
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
        "placements": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["x", "y"],
                "properties": {
                    "x": {"type": "integer", "minimum": 1, "maximum": 5},
                    "y": {"type": "integer", "minimum": 1, "maximum": 5},
                },
            },
        },
        "points": {**INT_MAP, "description": "sums to exactly the activity's points"},
        "selection": {
            "type": "array",
            "items": {"type": "integer"},
            "description": "total cost at most the activity's budget",
        },
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
            "for rating {mean, median, spread, count}; for matrix {x_mean, y_mean, count}",
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
        "x_mean": {"type": ["number", "null"], "description": "matrix"},
        "y_mean": {"type": ["number", "null"], "description": "matrix"},
        "x_spread": {"type": ["number", "null"], "description": "matrix"},
        "y_spread": {"type": ["number", "null"], "description": "matrix"},
        "quadrant": {
            "enum": ["quick_wins", "major_projects", "fill_ins", "thankless", None],
            "description": "matrix: high x and y, high x, high y, neither (midpoint 3 is high)",
        },
        "points": {"type": "integer", "description": "points: total"},
        "mean_points": {"type": "number", "description": "points: total / ballots"},
        "mean_by_group": {"type": "object", "description": "points: per group"},
        "votes": {"type": "integer", "description": "budget"},
        "cost": {"type": ["integer", "null"], "description": "budget: baht"},
        "funded": {
            "type": "boolean",
            "description": "budget: in order of votes, each that still fits the budget (CONSUL)",
        },
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

_SHARE = {"type": "number", "minimum": 0, "maximum": 1}

OPINIONS = {
    "type": "object",
    "description": "Opinion groups of an agree activity (docs/opinion-groups.md). Dots carry "
    "no participant id; groups smaller than the minimum are left out (their dots: group null).",
    "required": ["computed_at", "participants_in_map", "k", "groups", "bridging", "uncertain"],
    "properties": {
        "activity_id": {"type": "integer"},
        "computed_at": {"type": "string"},
        "participants_in_map": {"type": "integer"},
        "k": {"type": "integer", "minimum": 0, "maximum": 5},
        "reason": {
            "description": "why there are no groups (only then present)",
            "enum": [
                "too_few_participants",
                "too_few_statements",
                "no_variation",
                "groups_too_small",
                "not_an_agree_activity",
            ],
        },
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "size", "by_stakeholder_group", "representative"],
                "properties": {
                    "id": {"type": "integer"},
                    "size": {"type": "integer"},
                    "by_stakeholder_group": {
                        "type": "object",
                        "additionalProperties": {"type": "integer"},
                    },
                    "representative": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": [
                                "statement_id",
                                "direction",
                                "agree_share",
                                "rest_agree_share",
                                "z",
                            ],
                            "properties": {
                                "statement_id": {"type": "integer"},
                                "direction": {"enum": ["agree", "disagree"]},
                                "agree_share": _SHARE,
                                "rest_agree_share": _SHARE,
                                "z": {"type": "number"},
                            },
                        },
                    },
                },
            },
        },
        "bridging": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["statement_id", "consensus", "by_opinion_group"],
                "properties": {
                    "statement_id": {"type": "integer"},
                    "consensus": _SHARE,
                    "by_opinion_group": {"type": "object", "additionalProperties": _SHARE},
                },
            },
        },
        "uncertain": {"type": "array", "items": {"type": "integer"}},
        "points": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["x", "y", "group"],
                "additionalProperties": False,
                "properties": {
                    "x": {"type": "number"},
                    "y": {"type": "number"},
                    "group": {"type": ["integer", "null"]},
                },
            },
        },
    },
}
