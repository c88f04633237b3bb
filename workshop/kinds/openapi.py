"""The word cloud, Q&A and map kinds in the OpenAPI document (see workshop/api/openapi.py):
their operations, and their fields added to the shared schemas."""

from __future__ import annotations

from ..api.openapi_schemas import ACTIVITY, BALLOT, RESULT_ITEM, STATEMENT

OBJECT = {"type": "object"}
F = "facilitator"
KINDS = ["wordcloud", "qa", "map"]
PIN = {
    "type": "object",
    "required": ["x", "y", "category"],
    "properties": {
        "x": {"type": "number", "minimum": 0, "maximum": 1, "description": "from the left"},
        "y": {"type": "number", "minimum": 0, "maximum": 1, "description": "from the top"},
        "category": {"type": "string"},
        "note": {"type": ["string", "null"], "maxLength": 280},
    },
}
IMAGE = {
    "type": "object",
    "required": ["image_url", "width", "height"],
    "properties": {
        "image_url": {"type": "string"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
    },
}

ACTIVITY["properties"]["kind"]["enum"] += [
    k for k in KINDS if k not in ACTIVITY["properties"]["kind"]["enum"]
]
ACTIVITY["properties"].update(
    max_words={"type": "integer", "description": "wordcloud: answers per participant (1–10)"},
    max_pins={"type": "integer", "description": "map: pins per participant (1–20)"},
    categories={"type": "array", "items": {"type": "string"}, "description": "map"},
    georef={
        "type": ["object", "null"],
        "description": "map: {top_left: {lat, lon}, bottom_right: {lat, lon}}",
    },
    image={
        "type": ["object", "null"],
        "description": "map: {url, width, height} once uploaded",
    },
)
STATEMENT["properties"]["qa_state"] = {
    "enum": ["open", "current", "answered"],
    "description": "questions of a qa activity only",
}
BALLOT["description"] += (
    " wordcloud: words (the counted terms); qa: upvotes (question ids); map: pins."
)
BALLOT["properties"].update(
    words={"type": "array", "items": {"type": "string"}},
    upvotes={"type": "array", "items": {"type": "integer"}},
    pins={"type": "array", "items": PIN},
)
RESULT_ITEM["properties"].update(
    word={"type": "string", "description": "wordcloud: the term (also text)"},
    word_key={"type": "integer", "description": "wordcloud: the term's id (also statement_id)"},
    top_group={"type": "string", "description": "wordcloud: the group using the word most"},
    votes={"type": "integer", "description": "qa: upvotes (also score)"},
    qa_state={"enum": ["open", "current", "answered"]},
)

# method, path, summary, request body model, (status, response schema), security
OPERATIONS = [
    (
        "post",
        "/workshops/{code}/activities/{activity_id}/image",
        "Upload a map activity's image (multipart/form-data, one file: PNG, JPEG or WebP, "
        "at most 10 MB); it is decoded, re-encoded without metadata and served by the app. "
        "Not an image, too big or a decompression bomb: 422",
        None,
        ("201", IMAGE),
        F,
    ),
    (
        "get",
        "/workshops/{code}/activities/{activity_id}/words",
        "Every word of a word cloud with its count and hidden flag",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "patch",
        "/workshops/{code}/activities/{activity_id}/words/{word_key}",
        "Hide or show a word of a word cloud (audit-logged)",
        "HiddenPatch",
        ("200", OBJECT),
        F,
    ),
    (
        "get",
        "/workshops/{code}/activities/{activity_id}/pins",
        "Every pin of a map, hidden ones too, with note, group and lat/lon",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "patch",
        "/workshops/{code}/activities/{activity_id}/pins/{pin_id}",
        "Hide or show a pin (audit-logged); a pin its author moves is shown again",
        "HiddenPatch",
        ("200", OBJECT),
        F,
    ),
]
