"""Request bodies of the JSON API, validated with pydantic."""

from __future__ import annotations

from datetime import date as Date
from typing import Any, Literal, TypeVar

from flask import request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from ..services.errors import BadRequest, Invalid


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ConsensusRules(Body):
    threshold: float | None = None
    min_group_members: StrictInt | None = None


class WorkshopCreate(Body):
    title: StrictStr | None = Field(default=None, max_length=200)
    template: StrictStr | None = Field(default=None, max_length=100)
    premoderation: StrictBool | None = None
    city: StrictStr | None = Field(default=None, max_length=120)
    groups: list[StrictStr] | None = None
    date: Date | None = None
    consensus: ConsensusRules | None = None
    # Room defaults (workshop/channels/defaults.py).
    results_hidden_by_default: StrictBool | None = None
    moderation: Literal["pre", "post"] | None = None


class WorkshopUpdate(Body):
    consensus: ConsensusRules | None = None
    premoderation: StrictBool | None = None
    short_code_open: StrictBool | None = None
    results_hidden_by_default: StrictBool | None = None
    moderation: Literal["pre", "post"] | None = None


class ActivityCreate(Body):
    kind: StrictStr
    prompt: StrictStr = Field(max_length=500)
    prompt_translations: dict[StrictStr, StrictStr] | None = None
    source_activity_id: StrictInt | None = None
    dots: StrictInt | None = None
    max_per_item: StrictInt | None = None
    top_k: StrictInt | None = None
    options: list[StrictStr] | None = Field(default=None, max_length=50)
    multiple: StrictBool | None = None
    plan_section: StrictStr | None = None
    horizon: StrictStr | None = None
    minutes: StrictInt | None = None
    plan_parent_id: StrictInt | None = None
    # wordcloud: max_words; map: max_pins, categories, georef (workshop/kinds/settings.py)
    max_words: StrictInt | None = None
    max_pins: StrictInt | None = None
    categories: list[StrictStr] | None = Field(default=None, max_length=20)
    georef: dict[StrictStr, Any] | None = None
    # Carried-forward statements: {"plan_items": {"process_id", "section"?, "parent_id"?}}
    # or {"activity_id", "top"} (checked by workshop.planning.carry).
    source: dict[StrictStr, Any] | None = None
    # Priority kinds (checked by workshop.priorities.fields).
    x_label: StrictStr | None = None
    y_label: StrictStr | None = None
    x_label_en: StrictStr | None = None
    y_label_en: StrictStr | None = None
    points: StrictInt | None = None
    budget: StrictInt | None = None
    items: list[dict[StrictStr, Any]] | None = Field(default=None, max_length=50)


class ActivityState(Body):
    state: Literal["open", "closed"]


class ActivityReveal(Body):
    revealed: StrictBool


class ActivityProjector(Body):
    show_results: StrictBool


class ActivityLock(Body):
    locked: StrictBool


class ActivityTimer(Body):
    seconds: StrictInt | None


class Advance(Body):
    direction: Literal["next", "previous"]


class CoFacilitatorAdd(Body):
    email: StrictStr = Field(max_length=254)


class StatementPatch(Body):
    hidden: StrictBool | None = None
    text: StrictStr | None = Field(default=None, max_length=2000)
    pinned: StrictBool | None = None
    approved: StrictBool | None = None
    cost: StrictInt | None = None  # baht, for budget votes; null clears it
    qa_state: Literal["open", "current", "answered"] | None = None  # a qa activity's question


class StatementMerge(Body):
    sources: list[StrictInt] = Field(alias="from", min_length=1, max_length=200)


class ParticipantCreate(Body):
    group: StrictStr
    name: StrictStr | None = Field(default=None, max_length=80)
    # The QR code's token (``t`` of the join URL): needed once the short code is closed.
    join_token: StrictStr | None = Field(default=None, max_length=100)
    # Registered by a helper (bearer: a helper token) for an attendee without a phone.
    assisted: StrictBool | None = None


class StatementCreate(Body):
    activity_id: StrictInt
    text: StrictStr = Field(max_length=2000)
    client_id: StrictStr = Field(min_length=1, max_length=64)


class VoteCast(Body):
    """Common fields; the kind's own field is checked by the voting rules."""

    activity_id: StrictInt
    client_id: StrictStr = Field(min_length=1, max_length=64)
    dots: Any = None
    ranking: Any = None
    statement_id: Any = None
    value: Any = None
    answers: Any = None
    ratings: Any = None
    choices: Any = None
    placements: Any = None  # matrix
    points: Any = None  # points
    selection: Any = None  # budget
    words: Any = None  # wordcloud
    pins: Any = None  # map

    def payload(self) -> dict:
        return self.model_dump(exclude_unset=True)


M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M]) -> M:
    """The JSON body as ``model``; 400 for a body that is not a JSON object, 422 for bad fields."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object (Content-Type: application/json)")
    return validate(model, data)


def validate(model: type[M], data: dict) -> M:
    """``data`` as ``model``; 422 naming the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise Invalid(f"{where}: {first['msg']}", "invalid_field") from None


class OwnDotsChange(Body):
    allowed: StrictBool


class PlanDraft(Body):
    overwrite: StrictBool = False
    # For a phase of a process: how many of each brainstorm's best become new items.
    top: StrictInt | None = Field(default=None, ge=1, le=1000)


class PlanItemCreate(Body):
    section: StrictStr
    text: StrictStr = Field(max_length=1000)
    horizon: StrictStr | None = None
    owner_agency: StrictStr | None = Field(default=None, max_length=200)
    indicator: StrictStr | None = Field(default=None, max_length=300)


class PlanItemUpdate(Body):
    section: StrictStr | None = None
    horizon: StrictStr | None = None
    text: StrictStr | None = Field(default=None, max_length=1000)
    position: StrictInt | None = None
    owner_agency: StrictStr | None = Field(default=None, max_length=200)
    indicator: StrictStr | None = Field(default=None, max_length=300)


class ProjectUpdateCreate(Body):
    """Types are checked by the tracking service so every problem is reported at once."""

    status: Any = None
    progress: Any = None
    note: Any = None
    date: Any = None


class ProjectPatch(Body):
    owner_agency: StrictStr | None = Field(default=None, max_length=200)
    budget: float | None = Field(default=None, ge=0)
    start_date: Date | None = None
    due_date: Date | None = None


def json_object() -> dict:
    """The body as a JSON object, for services that check every field themselves."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object (Content-Type: application/json)")
    return data


class ProcessCreate(Body):
    title: StrictStr = Field(max_length=200)
    title_en: StrictStr | None = Field(default=None, max_length=200)
    city: StrictStr = Field(max_length=60)
    start_year_be: StrictInt
    end_year_be: StrictInt


class ProcessUpdate(Body):
    title: StrictStr | None = Field(default=None, max_length=200)
    title_en: StrictStr | None = Field(default=None, max_length=200)
    published: StrictBool | None = None


class PlanStatusChange(Body):
    status: StrictStr
    note: StrictStr | None = Field(default=None, max_length=2000)


class IndicatorValueCreate(Body):
    value: float
    date: Date
    note: StrictStr | None = Field(default=None, max_length=1000)


class IndicatorBody(Body):
    name: StrictStr = Field(max_length=300)
    unit: StrictStr | None = Field(default=None, max_length=40)
    baseline_value: float | None = None
    baseline_year: StrictInt | None = None
    target_value: float | None = None
    target_year: StrictInt | None = None


class PlanTreeItemCreate(Body):
    """A node of a process plan (documents the body; workshop.planning.tree checks it)."""

    section: Literal["vision", "alternatives", "goals", "strategies", "projects"]
    parent_id: StrictInt | None = None
    text: StrictStr = Field(max_length=1000)
    base_revision: StrictInt | None = None
    horizon: Literal["short", "medium", "long"] | None = None
    owner_agency: StrictStr | None = Field(default=None, max_length=200)
    partner_agencies: list[StrictStr] | None = None
    budget: float | None = Field(default=None, ge=0)
    funding_source: StrictStr | None = Field(default=None, max_length=200)
    start_year: StrictInt | None = None
    end_year: StrictInt | None = None
    indicators: list[IndicatorBody] | None = None


class PlanTreeItemUpdate(Body):
    section: Literal["vision", "alternatives", "goals", "strategies", "projects"] | None = None
    parent_id: StrictInt | None = None
    position: StrictInt | None = None
    text: StrictStr | None = Field(default=None, max_length=1000)
    base_revision: StrictInt | None = None
    horizon: Literal["short", "medium", "long"] | None = None
    owner_agency: StrictStr | None = Field(default=None, max_length=200)
    partner_agencies: list[StrictStr] | None = None
    budget: float | None = Field(default=None, ge=0)
    funding_source: StrictStr | None = Field(default=None, max_length=200)
    start_year: StrictInt | None = None
    end_year: StrictInt | None = None
    indicators: list[IndicatorBody] | None = None


class ProcessWorkshopAdd(Body):
    """An existing workshop by code, or the fields of WorkshopCreate for a new one."""

    code: StrictStr | None = None
    purpose: StrictStr | None = Field(default=None, max_length=1000)
    date: Date | None = None
    title: StrictStr | None = Field(default=None, max_length=200)
    template: StrictStr | None = None
    groups: list[StrictStr] | None = None


class HiddenPatch(Body):
    """Hide or show a word cloud's word or a map's pin."""

    hidden: StrictBool


# Bodies of workshop/channels/api.py (they document the bodies; the channel services check them).
class PaperBallotCreate(Body):
    """A keyed paper ballot: its printed code, the group ticked, and the kind's field as a
    phone sends it (dots, ranking, answers, ratings or choices)."""

    model_config = ConfigDict(extra="allow")
    activity_id: StrictInt
    ballot_code: StrictStr = Field(max_length=16, description="as printed: NNNN-CC")
    group: StrictStr
    dots: dict[StrictStr, StrictInt] | None = None
    ranking: list[StrictInt] | None = None
    answers: dict[StrictStr, StrictInt] | None = None
    ratings: dict[StrictStr, StrictInt] | None = None
    choices: list[StrictInt] | None = None


class PaperCountCreate(Body):
    """A dot vote's sticker sheet: per statement, the dots one group stuck on it."""

    activity_id: StrictInt
    group: StrictStr
    counts: dict[StrictStr, StrictInt]


class HelperCreate(Body):
    label: StrictStr | None = Field(default=None, max_length=80)


class ActivityUpdate(Body):
    """Agenda editing (workshop/panel/agenda.py) and the online window
    (workshop/channels/window.py); a field left out keeps its value."""

    prompt: StrictStr | None = Field(default=None, max_length=500)
    # {"en": "..."}; "" removes the English prompt
    prompt_translations: dict[Literal["en"], StrictStr] | None = None
    minutes: StrictInt | None = None  # null removes the suggested length
    online_until: StrictStr | None = Field(
        default=None, description="ISO 8601 time (UTC if no offset); null closes the window"
    )
    georef: dict[StrictStr, Any] | None = Field(
        default=None,
        description="map only: {top_left: {lat, lon}, bottom_right: {lat, lon}}; null removes it",
    )


class ActivityOrder(Body):
    order: list[StrictInt] = Field(max_length=200)
