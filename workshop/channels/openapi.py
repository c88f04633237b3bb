"""The channels' operations in the OpenAPI document (see workshop/api/openapi.py)."""

from __future__ import annotations

OBJECT = {"type": "object"}
F = "facilitator"

OPERATIONS = [
    (
        "post",
        "/workshops/{code}/paper-ballots",
        "Key a returned paper ballot: counts like a phone ballot of its group, channel paper; "
        "a code keyed before: 409 ballot_code_used; a mistyped code (check digits): 422",
        "PaperBallotCreate",
        ("201", OBJECT),
        F,
    ),
    (
        "get",
        "/workshops/{code}/paper-ballots",
        "The paper ballots keyed for ?activity_id=, newest first, and their count",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "delete",
        "/workshops/{code}/paper-ballots/{ballot_code}",
        "Take a keyed paper ballot back out (?activity_id=): the entry page's undo",
        None,
        ("200", OBJECT),
        F,
    ),
    (
        "get",
        "/workshops/{code}/activities/{activity_id}/paper-ballots.html",
        "A4 paper ballots to print (HTML with print styles): ?count= sheets (default 20, at "
        "most 500) from serial ?start=; each with its code and a QR of it",
        None,
        ("200", {"type": "string", "description": "text/html"}),
        F,
    ),
    (
        "post",
        "/workshops/{code}/paper-counts",
        "A dot vote's sticker sheet of one group (channel paper_aggregate): adds to scores, "
        "never to ballots, participants or per-person statistics",
        "PaperCountCreate",
        ("201", OBJECT),
        F,
    ),
    (
        "post",
        "/workshops/{code}/helpers",
        "A helper token (shown once) and its helper-mode link: with it as bearer, POST "
        '/participants {"assisted": true, "group", "name"?} registers an attendee without a '
        "phone; their ballots count in the channel assisted",
        "HelperCreate",
        ("201", OBJECT),
        F,
    ),
    (
        "patch",
        "/workshops/{code}/activities/{activity_id}",
        "Open a vote online until a time (online_until, ISO 8601; null closes): not open in "
        "the room, it takes ballots through the same POST /votes and vote event (channel "
        "online); after it: 409 online_closed",
        "ActivityUpdate",
        ("200", {"$ref": "#/components/schemas/Activity"}),
        F,
    ),
]
