"""A workshop with every vote kind, ballots from several groups, a plan adopted and tracked.

Used by tests/test_rendering.py and tests/test_thai_pages.py. Data-driven: a vote kind
added to the app is covered by adding one :class:`KindSpec` to :data:`VOTE_KINDS`
(how to create the activity, and the ballots a few participants cast).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import Api

GROUPS = ("residents", "academia", "private_sector", "local_government")
STATEMENTS = ("สวนสาธารณะริมแม่น้ำวัง", "Bus to the hospital", "ตลาดนัดชุมชน", "Bike lanes")
THAI_STATEMENTS = ("สวนสาธารณะริมแม่น้ำวัง", "รถเมล์ไปโรงพยาบาล", "ตลาดนัดชุมชน", "ทางจักรยาน")
PEOPLE_PER_GROUP = 3  # at least the consensus minimum (3 members) in every group


@dataclass(frozen=True)
class KindSpec:
    """One vote kind: the activity's extra fields and the ballots person ``n`` casts.

    ``ballots(ids, n)`` gets the ids the activity votes on (statements, or a poll's
    options) and returns the bodies (without activity_id/client_id) person ``n`` posts.
    """

    kind: str
    ballots: Callable[[list[int], int], list[dict]]
    create: dict = field(default_factory=dict)
    on_statements: bool = True  # votes on the brainstorm's statements (else its own options)


def _dots(ids: list[int], n: int) -> list[dict]:
    return [{"dots": {str(ids[n % len(ids)]): 2, str(ids[(n + 1) % len(ids)]): 1}}]


def _rank(ids: list[int], n: int) -> list[dict]:
    return [{"ranking": [ids[(n + i) % len(ids)] for i in range(3)]}]


def _agree(ids: list[int], n: int) -> list[dict]:
    return [{"statement_id": sid, "value": (1, 1, -1, 0)[(n + i) % 4]} for i, sid in enumerate(ids)]


def _rating(ids: list[int], n: int) -> list[dict]:
    return [{"ratings": {str(sid): 1 + (n + 2 * i) % 5 for i, sid in enumerate(ids)}}]


def _poll(ids: list[int], n: int) -> list[dict]:
    return [{"choices": [ids[n % len(ids)]]}]


def _points(ids: list[int], n: int) -> list[dict]:
    return [{"points": {str(ids[n % len(ids)]): 7, str(ids[(n + 1) % len(ids)]): 3}}]


def _matrix(ids: list[int], n: int) -> list[dict]:
    return [
        {
            "placements": {
                str(sid): {"x": 1 + (n + i) % 5, "y": 1 + (2 * n + i) % 5}
                for i, sid in enumerate(ids[:3])
            }
        }
    ]


def _budget(ids: list[int], n: int) -> list[dict]:
    return [{"selection": [ids[n % len(ids)], ids[(n + 2) % len(ids)]]}]


VOTE_KINDS: list[KindSpec] = [
    KindSpec("dot_vote", _dots),
    KindSpec("rank", _rank),
    KindSpec("agree", _agree),
    KindSpec("rating", _rating),
    KindSpec(
        "poll",
        _poll,
        create={"options": ["วันจันทร์", "วันพุธ", "วันเสาร์"]},
        on_statements=False,
    ),
    KindSpec("points", _points, create={"points": 10}),
    KindSpec("matrix", _matrix),
    KindSpec("budget", _budget, create={"budget": 1000}),  # statements cost COST each
]
COST = 300
KIND_NAMES = ["brainstorm", *(spec.kind for spec in VOTE_KINDS)]


def build(app, api: Api, statements: tuple[str, ...] = STATEMENTS) -> dict:
    """Create it through the public API; returns codes, ids and tokens."""
    workshop = api.workshop(
        title="ลำปางเมืองน่าอยู่", city="lampang", date="2026-12-05", groups=list(GROUPS)
    )
    code = workshop["code"]
    brainstorm = api.activity(
        code,
        kind="brainstorm",
        prompt="โครงการที่อยากเห็น",
        plan_section="projects",
        horizon="short",
    )
    api.open(code, brainstorm["id"])
    author = api.join(code, "residents")
    ids = []
    for n, text in enumerate(statements):
        response = api.statement(code, author, brainstorm["id"], text, f"s{n}")
        assert response.status_code == 201, response.json
        ids.append(response.json["id"])
    for statement_id in ids:  # what the budget vote spends
        response = api.client.patch(
            f"/api/v1/workshops/{code}/statements/{statement_id}",
            json={"cost": COST},
            headers=api.headers(),
        )
        assert response.status_code == 200, response.json
    people = {g: [api.join(code, g) for _ in range(PEOPLE_PER_GROUP)] for g in GROUPS}
    activities = {"brainstorm": brainstorm["id"]}
    for spec in VOTE_KINDS:
        body = {"kind": spec.kind, "prompt": f"ลงคะแนนรอบที่ {len(activities)}", **spec.create}
        if spec.on_statements:
            body["source_activity_id"] = brainstorm["id"]
        activity = api.activity(code, **body)
        api.open(code, activity["id"])
        targets = ids if spec.on_statements else [o["id"] for o in activity["options"]]
        n = 0
        for tokens in people.values():
            for token in tokens:
                for k, fields in enumerate(spec.ballots(targets, n)):
                    response = api.post(
                        f"/workshops/{code}/votes",
                        {
                            "activity_id": activity["id"],
                            "client_id": f"{spec.kind}-{n}-{k}",
                            **fields,
                        },
                        token=token,
                    )
                    assert response.status_code == 200, (spec.kind, response.json)
                n += 1
        state = api.post(
            f"/workshops/{code}/activities/{activity['id']}/state", {"state": "closed"}
        )
        assert state.status_code == 200, state.json
        activities[spec.kind] = activity["id"]
    assert api.post(f"/workshops/{code}/plan/draft").status_code == 201
    plan = api.get(f"/workshops/{code}/plan").json
    first = plan["projects"][0]["id"]
    patched = api.client.patch(
        f"/api/v1/workshops/{code}/plan/items/{first}",
        json={"indicator": "จำนวนต้นไม้ที่ปลูก", "owner_agency": "กองช่าง"},
        headers=api.headers(),
    )
    assert patched.status_code == 200, patched.json
    adopted = api.post(f"/workshops/{code}/plan/adopt")
    assert adopted.status_code == 201, adopted.json
    projects = [p["id"] for p in adopted.json["projects"]]
    update = api.post(
        f"/projects/{projects[0]}/updates",
        {"status": "in_progress", "progress": 40, "note": "เริ่มแล้ว", "date": "2027-01-10"},
    )
    assert update.status_code == 201, update.json
    return {
        "process_id": plan.get("process_id"),
        "code": code,
        "activities": activities,
        "statements": ids,
        "projects": projects,
        "plan_id": adopted.json["plan_id"],
        "attendee": people["residents"][0],
    }
