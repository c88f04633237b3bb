"""Agenda templates: TOML files in ``sessions/`` that list a workshop's activities."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .config import PROJECT_ROOT
from .models import ACTIVITY_KINDS

SESSIONS_DIR = PROJECT_ROOT / "sessions"


class TemplateError(ValueError):
    """A template that cannot be used; the message names the file and the field."""


@dataclass
class PlannedActivity:
    key: str
    kind: str
    prompt: str
    prompt_translations: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    dots: int | None = None
    max_per_item: int | None = None
    minutes: int | None = None


@dataclass
class AgendaTemplate:
    name: str
    title: str
    title_translations: dict[str, str]
    activities: list[PlannedActivity]


def template_names() -> list[str]:
    return sorted(p.stem for p in SESSIONS_DIR.glob("*.toml"))


def load_template(name: str, folder: Path = SESSIONS_DIR) -> AgendaTemplate:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise FileNotFoundError(name)
    path = folder / f"{name}.toml"
    if not path.is_file():
        raise FileNotFoundError(name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"{path.name}: {error}") from None
    return parse_template(name, data, path.name)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TemplateError(f"{where}: must be a non-empty string")
    return value.strip()


def _optional_int(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TemplateError(f"{where}: must be a positive whole number")
    return value


def parse_template(name: str, data: dict, filename: str = "template") -> AgendaTemplate:
    meta = data.get("template", {})
    if not isinstance(meta, dict):
        raise TemplateError(f"{filename}: [template] must be a table")
    title = _text(meta.get("title_th") or meta.get("title"), f"{filename}: template.title_th")
    translations = {"en": meta["title_en"]} if isinstance(meta.get("title_en"), str) else {}
    raw_activities = data.get("activities")
    if not isinstance(raw_activities, list) or not raw_activities:
        raise TemplateError(f"{filename}: needs at least one [[activities]] entry")
    seen: dict[str, PlannedActivity] = {}
    activities: list[PlannedActivity] = []
    for index, raw in enumerate(raw_activities, start=1):
        where = f"{filename}: activities[{index}]"
        if not isinstance(raw, dict):
            raise TemplateError(f"{where}: must be a table")
        kind = raw.get("kind")
        if kind not in ACTIVITY_KINDS:
            raise TemplateError(f"{where}.kind: must be one of {', '.join(ACTIVITY_KINDS)}")
        key = raw.get("key") or f"activity-{index}"
        if not isinstance(key, str) or key in seen:
            raise TemplateError(f"{where}.key: must be a unique string")
        prompt = _text(raw.get("prompt_th") or raw.get("prompt"), f"{where}.prompt_th")
        planned = PlannedActivity(
            key=key,
            kind=kind,
            prompt=prompt,
            prompt_translations={"en": _text(raw["prompt_en"], f"{where}.prompt_en")}
            if "prompt_en" in raw
            else {},
            minutes=_optional_int(raw.get("minutes"), f"{where}.minutes"),
        )
        if kind == "dot_vote":
            source = raw.get("source")
            if source not in seen or seen[source].kind != "brainstorm":
                raise TemplateError(f"{where}.source: must name an earlier brainstorm's key")
            planned.source = source
            planned.dots = _optional_int(raw.get("dots"), f"{where}.dots")
            planned.max_per_item = _optional_int(raw.get("max_per_item"), f"{where}.max_per_item")
        seen[key] = planned
        activities.append(planned)
    return AgendaTemplate(name, title, translations, activities)


def apply_template(workshop, template: AgendaTemplate) -> None:
    """Add the template's activities to a workshop (services flush, the caller commits)."""
    from .services.workshops import ActivitySpec, add_activity

    created: dict[str, int] = {}
    for planned in template.activities:
        activity = add_activity(
            workshop,
            ActivitySpec(
                kind=planned.kind,
                prompt=planned.prompt,
                prompt_translations=planned.prompt_translations,
                source_activity_id=created.get(planned.source) if planned.source else None,
                dots=planned.dots,
                max_per_item=planned.max_per_item,
            ),
        )
        created[planned.key] = activity.id
