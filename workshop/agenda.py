"""Agenda templates: TOML files in ``sessions/`` that list a workshop's activities.

A template is checked completely when it is loaded, against the same rules as
``services.workshops.add_activity``, so applying it never fails half-way. A
broken template is refused with the file, the line and the field, e.g.::

    sfc-broken.toml line 23: activities[4].kind: must be one of brainstorm, dot_vote, ...

Activities are numbered from 1, in file order. tomllib reports no line numbers
for values, so the line is found in the raw text: the N-th ``[[activities]]``
header, then the ``field =`` line under it (the header itself when the field is
missing). TOML syntax errors carry their own line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .config import PROJECT_ROOT
from .models import ACTIVITY_KINDS, STATEMENT_VOTE_KINDS
from .models.core import PRIORITY_KINDS
from .priorities import agenda as priority_agenda
from .services.workshops import HORIZONS, MAX_OPTIONS, PLAN_SECTIONS, ActivitySpec, add_activity

SESSIONS_DIR = PROJECT_ROOT / "sessions"

# The limits of services.workshops.add_activity, checked before anything is added.
MAX_PROMPT = 500
MAX_OPTION = 200
MAX_MINUTES = 600
MAX_DOTS = 100
MAX_TOP_K = 20
LIMITS = {"minutes": MAX_MINUTES, "dots": MAX_DOTS, "max_per_item": MAX_DOTS, "top_k": MAX_TOP_K}

TOP_KEYS = ("template", "activities")
TEMPLATE_KEYS = ("title_th", "title_en", "title", "minutes")
ACTIVITY_KEYS = (
    "kind",
    "key",
    "prompt_th",
    "prompt_en",
    "prompt",
    "source",
    "dots",
    "max_per_item",
    "top_k",
    "options",
    "multiple",
    "plan_section",
    "horizon",
    "minutes",
    *priority_agenda.TEMPLATE_KEYS,
)
# Fields that only some kinds take (the others take every kind).
KIND_FIELDS = {
    "brainstorm": (),
    "dot_vote": ("source", "dots", "max_per_item"),
    "rank": ("source", "top_k"),
    "agree": ("source",),
    "rating": ("source",),
    "poll": ("options", "multiple"),
    **priority_agenda.TEMPLATE_KIND_FIELDS,
}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,79}")


class TemplateError(ValueError):
    """A template that cannot be used; the message names the file, the line and the field."""


@dataclass
class PlannedActivity:
    key: str
    kind: str
    prompt: str
    prompt_translations: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    dots: int | None = None
    max_per_item: int | None = None
    top_k: int | None = None
    options: list[str] | None = None
    multiple: bool | None = None
    plan_section: str | None = None
    horizon: str | None = None
    minutes: int | None = None
    line: int | None = None  # of its [[activities]] header
    priority: dict = field(default_factory=dict)  # matrix / points / budget ActivitySpec fields


@dataclass
class AgendaTemplate:
    name: str
    title: str
    title_translations: dict[str, str]
    activities: list[PlannedActivity]
    minutes: int | None = None  # the whole session, breaks included

    @property
    def activity_minutes(self) -> int:
        return sum(a.minutes or 0 for a in self.activities)


def template_names(folder: Path = SESSIONS_DIR) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.toml") if _NAME.fullmatch(p.stem))


def load_template(name: str, folder: Path = SESSIONS_DIR) -> AgendaTemplate:
    """The template ``sessions/<name>.toml``; FileNotFoundError for unknown or odd names."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise FileNotFoundError(name)
    folder = Path(folder).resolve()
    path = (folder / f"{name}.toml").resolve()
    if path.parent != folder or not path.is_file():
        raise FileNotFoundError(name)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateError(f"{path.name} line 1: the file must be UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(_syntax_message(path.name, text, error)) from None
    return parse_template(name, data, path.name, text)


def _syntax_message(filename: str, text: str, error: tomllib.TOMLDecodeError) -> str:
    message = str(error)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        line = int(found[1])
        detail = f"{message[: found.start()]} (column {found[2]})"
    else:
        line = max(1, len(text.splitlines()))
        detail = re.sub(r"\s*\(at end of document\)$", "", message)
    return f"{filename} line {line}: TOML syntax: {detail}"


class _Lines:
    """Line numbers of tables and ``key =`` lines in the raw TOML text."""

    _HEADER = re.compile(r"""\s*\[\[?\s*([\w.\-"' ]+?)\s*\]\]?\s*(#.*)?$""")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []  # (line index, table name)
        for number, line in enumerate(self.lines):
            if match := self._HEADER.match(line):
                self.headers.append((number, match[1].strip("'\"")))
        self._header_lines = {number for number, _ in self.headers}

    def _field(self, header: int, name: str) -> int | None:
        """The line (1-based) of ``name =`` in the table whose header is at index ``header``."""
        quoted = re.escape(name)
        pattern = re.compile(rf"""\s*(?:{quoted}|"{quoted}"|'{quoted}')\s*=""")
        for number in range(header + 1, len(self.lines)):
            if number in self._header_lines:
                break
            if pattern.match(self.lines[number]):
                return number + 1
        return None

    def top(self, name: str | None = None) -> int:
        if name is not None:
            end = self.headers[0][0] if self.headers else len(self.lines)
            for number in range(end):
                if re.match(rf"\s*\"?{re.escape(name)}\"?\s*=", self.lines[number]):
                    return number + 1
        return 1

    def table(self, table: str, name: str | None = None) -> int:
        for number, header in self.headers:
            if header == table:
                return (self._field(number, name) if name else None) or number + 1
        return self.top(table)

    def activity(self, index: int, name: str | None = None) -> int:
        """Line of field ``name`` of the ``index``-th (1-based) ``[[activities]]``."""
        found = [number for number, header in self.headers if header == "activities"]
        if index > len(found):
            return self.top("activities")
        header = found[index - 1]
        return (self._field(header, name) if name else None) or header + 1


class _Checker:
    def __init__(self, filename: str, text: str) -> None:
        self.filename = filename
        self.lines = _Lines(text)

    def fail(self, line: int, where: str, message: str) -> TemplateError:
        return TemplateError(f"{self.filename} line {line}: {where}: {message}")

    def activity_error(self, index: int, name: str, message: str) -> TemplateError:
        field_name = name.split("[", 1)[0]
        line = self.lines.activity(index, field_name)
        return self.fail(line, f"activities[{index}].{name}", message)


def _number(value: object, low: int, high: int) -> str | None:
    """Why ``value`` is not a whole number in [low, high], or None if it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number"
    if value < low:
        return "must be a positive whole number" if low == 1 else f"must be at least {low}"
    if value > high:
        return f"must be at most {high}"
    return None


def _one_of(values: tuple[str, ...]) -> str:
    return f"must be one of {', '.join(values)}"


def parse_template(
    name: str, data: dict, filename: str = "template", text: str = ""
) -> AgendaTemplate:
    """Check a parsed template completely; ``text`` (the raw file) gives the line numbers."""
    check = _Checker(filename, text)
    for key in data:
        if key not in TOP_KEYS:
            raise check.fail(
                check.lines.table(key),
                key,
                f"unknown table or key (expected {', '.join(TOP_KEYS)})",
            )
    meta = data.get("template", {})
    if not isinstance(meta, dict):
        raise check.fail(check.lines.top("template"), "template", "must be a [template] table")
    for key in meta:
        if key not in TEMPLATE_KEYS:
            raise check.fail(
                check.lines.table("template", key),
                f"template.{key}",
                f"unknown field (expected {', '.join(TEMPLATE_KEYS)})",
            )
    title_field = "title" if "title" in meta and "title_th" not in meta else "title_th"
    title = meta.get(title_field)
    if not isinstance(title, str) or not title.strip():
        raise check.fail(
            check.lines.table("template", title_field),
            f"template.{title_field}",
            "the template needs a title: a non-empty string",
        )
    translations = {}
    if "title_en" in meta:
        if not isinstance(meta["title_en"], str) or not meta["title_en"].strip():
            raise check.fail(
                check.lines.table("template", "title_en"),
                "template.title_en",
                "must be a non-empty string",
            )
        translations["en"] = meta["title_en"].strip()
    total = meta.get("minutes")
    if total is not None and (problem := _number(total, 1, 24 * 60)):
        raise check.fail(check.lines.table("template", "minutes"), "template.minutes", problem)

    raw_activities = data.get("activities")
    if not isinstance(raw_activities, list) or not raw_activities:
        raise check.fail(
            check.lines.top("activities"), "activities", "needs at least one [[activities]] entry"
        )
    seen: dict[str, PlannedActivity] = {}
    activities: list[PlannedActivity] = []
    for index, raw in enumerate(raw_activities, start=1):
        if not isinstance(raw, dict):
            raise check.fail(
                check.lines.activity(index),
                f"activities[{index}]",
                "must be an [[activities]] table",
            )
        later_keys = {
            a["key"]
            for a in raw_activities[index:]
            if isinstance(a, dict) and isinstance(a.get("key"), str)
        }
        planned = _parse_activity(check, index, raw, seen, later_keys)
        seen[planned.key] = planned
        activities.append(planned)
    return AgendaTemplate(name, title.strip(), translations, activities, total)


def _parse_activity(
    check: _Checker,
    index: int,
    raw: dict,
    seen: dict[str, PlannedActivity],
    later_keys: set[str],
) -> PlannedActivity:
    def error(name: str, message: str) -> TemplateError:
        return check.activity_error(index, name, message)

    for key in raw:
        if key not in ACTIVITY_KEYS:
            raise error(key, f"unknown field (expected one of {', '.join(ACTIVITY_KEYS)})")
    kind = raw.get("kind")
    if kind not in ACTIVITY_KINDS:
        raise error("kind", _one_of(ACTIVITY_KINDS))
    for key in raw:
        if any(key in fields for fields in KIND_FIELDS.values()) and key not in KIND_FIELDS[kind]:
            takers = [k for k, fields in KIND_FIELDS.items() if key in fields]
            raise error(key, f"a {kind} takes no {key}; {key} is for {', '.join(takers)}")

    key = raw.get("key", f"activity-{index}")
    if not isinstance(key, str) or not key.strip():
        raise error("key", "must be a non-empty string")
    if key in seen:
        raise error("key", f"'{key}' is already the key of an earlier activity")

    if "prompt" in raw and "prompt_th" in raw:
        raise error("prompt", "give prompt_th (and prompt_en), not prompt as well")
    prompt_field = "prompt" if "prompt" in raw else "prompt_th"
    prompt = _prompt(raw.get(prompt_field), lambda message: error(prompt_field, message))
    translations = {}
    if "prompt_en" in raw:
        translations["en"] = _prompt(raw["prompt_en"], lambda message: error("prompt_en", message))

    planned = PlannedActivity(
        key=key,
        kind=kind,
        prompt=prompt,
        prompt_translations=translations,
        line=check.lines.activity(index),
    )
    for name, high in LIMITS.items():
        if name in raw:
            if problem := _number(raw[name], 1, high):
                raise error(name, problem)
            setattr(planned, name, raw[name])

    source: PlannedActivity | None = None
    if kind in STATEMENT_VOTE_KINDS and priority_agenda.needs_source(kind, raw):
        source_key = raw.get("source")
        if source_key is None:
            raise error("source", "a vote needs source = the key of an earlier brainstorm")
        if not isinstance(source_key, str) or source_key not in seen:
            brainstorms = [k for k, a in seen.items() if a.kind == "brainstorm"]
            hint = (
                "it comes later: a vote follows its brainstorm"
                if isinstance(source_key, str) and source_key in later_keys
                else f"earlier brainstorms: {', '.join(brainstorms) or 'none'}"
            )
            raise error("source", f"'{source_key}' is not the key of an earlier activity ({hint})")
        source = seen[source_key]
        if source.kind != "brainstorm":
            raise error(
                "source", f"'{source_key}' is a {source.kind}: a vote's source must be a brainstorm"
            )
        planned.source = source_key
    if kind == "dot_vote":
        dots = planned.dots if planned.dots is not None else 5
        if planned.max_per_item is not None and planned.max_per_item > dots:
            raise error("max_per_item", f"must be at most dots ({dots})")
        if planned.max_per_item is None and dots < 3:
            planned.max_per_item = dots  # the default of 3 would exceed the dots
    if kind == "poll":
        planned.options = _options(raw.get("options"), error)
        if "multiple" in raw:
            if not isinstance(raw["multiple"], bool):
                raise error("multiple", "must be true or false")
            planned.multiple = raw["multiple"]
    if kind in PRIORITY_KINDS:
        planned.priority = priority_agenda.parse(kind, raw, error)

    if "plan_section" in raw:
        if raw["plan_section"] not in PLAN_SECTIONS:
            raise error("plan_section", _one_of(PLAN_SECTIONS))
        planned.plan_section = raw["plan_section"]
    if "horizon" in raw:
        if raw["horizon"] not in HORIZONS:
            raise error("horizon", _one_of(HORIZONS))
        section = planned.plan_section or (source.plan_section if source else None)
        if section != "projects":
            raise error(
                "horizon",
                'only projects have a horizon: set plan_section = "projects"'
                + (f" (this activity's plan_section is {section})" if section else ""),
            )
        planned.horizon = raw["horizon"]
    return planned


def _prompt(value: object, error) -> str:
    if value is None:
        raise error("every activity needs a prompt: a non-empty string")
    if not isinstance(value, str) or not value.strip():
        raise error("must be a non-empty string")
    if len(value.strip()) > MAX_PROMPT:
        raise error(f"is {len(value.strip())} characters, at most {MAX_PROMPT}")
    return value.strip()


def _options(value: object, error) -> list[str]:
    if value is None:
        raise error("options", f"a poll needs options = [...] with 2 to {MAX_OPTIONS} choices")
    if not isinstance(value, list):
        raise error("options", 'must be a list of strings, e.g. ["yes", "no"]')
    cleaned: list[str] = []
    for number, option in enumerate(value, start=1):
        text = " ".join(option.split()) if isinstance(option, str) else ""
        if not text or len(text) > MAX_OPTION:
            raise error(
                f"options[{number}]", f"each option is a string of 1 to {MAX_OPTION} characters"
            )
        if text in cleaned:
            raise error(f"options[{number}]", f"'{text}' is listed twice")
        cleaned.append(text)
    if not 2 <= len(cleaned) <= MAX_OPTIONS:
        raise error("options", f"a poll needs 2 to {MAX_OPTIONS} options, not {len(cleaned)}")
    return cleaned


def apply_template(workshop, template: AgendaTemplate) -> None:
    """Add the template's activities to a workshop (services flush, the caller commits)."""
    created: dict[str, int] = {}
    for planned in template.activities:
        activity = add_activity(
            workshop,
            ActivitySpec(
                kind=planned.kind,
                prompt=planned.prompt,
                prompt_translations=dict(planned.prompt_translations),
                source_activity_id=created[planned.source] if planned.source else None,
                dots=planned.dots,
                max_per_item=planned.max_per_item,
                top_k=planned.top_k,
                options=list(planned.options) if planned.options is not None else None,
                multiple=planned.multiple,
                plan_section=planned.plan_section,
                horizon=planned.horizon,
                minutes=planned.minutes,
                **planned.priority,
            ),
        )
        created[planned.key] = activity.id
