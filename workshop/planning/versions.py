"""The plan's life: draft -> in consultation -> adopted, each change a frozen version.

A version is a snapshot of the whole tree (with its evidence) at the moment of the
change, numbered 1, 2, ... Any two versions, or a version and the working plan
(``current``), can be compared: what was added, removed, reworded and moved.
"""

from __future__ import annotations

from ..extensions import db
from ..models import Facilitator, Plan, PlanVersion
from ..services.errors import Conflict, Invalid, NotFound
from .serialize import plan_dict

TRANSITIONS = {
    "draft": ("consultation", "adopted"),
    "consultation": ("draft", "adopted"),
    "adopted": ("draft",),
}
COMPARED_FIELDS = (
    "text",
    "horizon",
    "owner_agency",
    "partner_agencies",
    "budget",
    "funding_source",
    "start_year",
    "end_year",
    "indicators",
    "evidence",
)


def _note(note: object) -> str | None:
    if note is None:
        return None
    if not isinstance(note, str) or len(note) > 2000:
        raise Invalid("note is text of at most 2000 characters", "invalid_note")
    return note.strip() or None


def check_transition(plan: Plan, status: object) -> str:
    if status not in TRANSITIONS:
        raise Invalid(f"status must be one of {', '.join(TRANSITIONS)}", "invalid_status")
    if status == plan.status:
        if status == "adopted":
            raise Conflict("this plan is already adopted", "already_adopted")
        raise Conflict(f"the plan is already {status}", "same_status")
    if status not in TRANSITIONS[plan.status]:
        raise Conflict(f"a plan goes from {plan.status} to {' or '.join(TRANSITIONS[plan.status])}")
    return status  # type: ignore[return-value]


def freeze(plan: Plan, status: str, note: object, actor: Facilitator | None) -> PlanVersion:
    """Move the plan to ``status`` and freeze the tree as the next numbered version."""
    note = _note(note)
    plan.status = status
    plan.version += 1
    version = PlanVersion(
        number=plan.version,
        status=status,
        note=note,
        facilitator_id=actor.id if actor else None,
        snapshot=plan_dict(plan),
    )
    plan.versions.append(version)
    db.session.flush()
    return version


def get_version(plan: Plan, number: object) -> dict:
    """A frozen version's snapshot; ``current`` is the working plan."""
    if number == "current":
        return plan_dict(plan)
    try:
        wanted = int(number)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound("no such plan version", "version_not_found") from None
    for version in plan.versions:
        if version.number == wanted:
            return version.snapshot
    raise NotFound(f"no plan version {number}", "version_not_found")


def flatten(snapshot: dict) -> dict[int, dict]:
    """Every item of a plan snapshot by id, with the path it stands at."""
    items: dict[int, dict] = {}

    def add(item: dict | None, parent: int | None) -> None:
        if item is None:
            return
        flat = {k: v for k, v in item.items() if k not in ("strategies", "projects")}
        flat["parent_id"] = parent
        items[item["id"]] = flat
        for child in item.get("strategies", []) + item.get("projects", []):
            add(child, item["id"])

    add(snapshot.get("vision"), None)
    for item in snapshot.get("alternatives", []):
        add(item, None)
    for item in snapshot.get("goals", []):
        add(item, None)
    unplaced = snapshot.get("unplaced", {})
    for item in unplaced.get("strategies", []) + unplaced.get("projects", []):
        add(item, None)
    return items


def diff(old: dict, new: dict) -> dict:
    """What changed from ``old`` to ``new`` (two plan snapshots)."""
    before, after = flatten(old), flatten(new)
    added = [after[i] for i in after if i not in before]
    removed = [before[i] for i in before if i not in after]
    changed, moved = [], []
    for ident in sorted(set(before) & set(after)):
        a, b = before[ident], after[ident]
        fields = {
            f: {"from": a.get(f), "to": b.get(f)} for f in COMPARED_FIELDS if a.get(f) != b.get(f)
        }
        if fields:
            changed.append({"id": ident, "item": b, "changes": fields})
        if (a["section"], a["parent_id"]) != (b["section"], b["parent_id"]):
            moved.append(
                {
                    "id": ident,
                    "item": b,
                    "from": {"section": a["section"], "parent_id": a["parent_id"]},
                    "to": {"section": b["section"], "parent_id": b["parent_id"]},
                }
            )
    return {
        "from": old.get("version"),
        "to": new.get("version"),
        "added": added,
        "removed": removed,
        "changed": changed,
        "moved": moved,
    }
