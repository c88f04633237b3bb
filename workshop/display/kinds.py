"""Per vote kind: what its items are called, its columns, and one group's cell.

Add a kind here when it is added to ``workshop/voting``; until then it reads through
:data:`GENERIC` (numbers only, never a dict printed as it is). tests/test_rendering.py
renders every page and export for every kind and fails on a raw representation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .numbers import decimal, percent, share, whole

Cell = Callable[[dict, dict], str]  # (item, activity) -> text


@dataclass(frozen=True)
class Column:
    header: object  # a lazy string
    value: Cell
    numeric: bool = True


@dataclass(frozen=True)
class KindView:
    """How one vote kind's results read on a page."""

    kind: str
    label: object
    item_header: object = _l("Statement")
    ranked: bool = True  # a rank column (brainstorms have none)
    columns: tuple[Column, ...] = ()
    # One stakeholder group's value (``item["by_group"][group]``) as lines of text;
    # None: no per-group columns (a brainstorm shows its author's group instead).
    group_cell: Callable[[object], list[str]] | None = None
    consensus: bool = False
    notes: tuple[object, ...] = field(default_factory=tuple)

    def count_text(self, n: int) -> str:
        if self.item_header == OPTION:
            return _("%(n)s options", n=n)
        return _("%(n)s statements", n=n)

    def group_lines(self, value: object) -> list[str]:
        return (self.group_cell or generic_cell)(value)


OPTION = _l("Option")

LEVELS = {
    "consensus": _l("Consensus"),
    "mixed": _l("Mixed"),
    "divisive": _l("Divisive"),
    "insufficient": _l("Not enough answers"),
}


def level_label(level: str | None) -> str:
    """A consensus level in the reader's language ('' for none)."""
    if not level:
        return ""
    label = LEVELS.get(level)
    return str(label) if label is not None else _("Unknown")


def _dash(lines: list[str]) -> list[str]:
    return lines or ["–"]


def points_cell(value: object) -> list[str]:
    if isinstance(value, Mapping):
        return generic_cell(value)
    return [whole(value or 0)]


def agree_cell(value: object) -> list[str]:
    if not isinstance(value, Mapping):
        return generic_cell(value)
    agree, disagree, passed = (int(value.get(k) or 0) for k in ("agree", "disagree", "pass"))
    answered = agree + disagree + passed
    if not answered:
        return ["–"]
    return [
        _("Agree %(n)s (%(share)s)", n=whole(agree), share=percent(agree, answered)),
        _("Disagree %(n)s", n=whole(disagree)),
        _("Pass %(n)s", n=whole(passed)),
    ]


def rating_cell(value: object) -> list[str]:
    if not isinstance(value, Mapping):
        return generic_cell(value)
    if not value.get("count"):
        return ["–"]
    return [_("%(mean)s from %(n)s", mean=decimal(value.get("mean")), n=whole(value["count"]))]


def generic_cell(value: object) -> list[str]:
    """A value of a kind without its own view: numbers only, in words people read."""
    if isinstance(value, Mapping):
        if "agree" in value:
            return agree_cell(value)
        if "mean" in value:
            return rating_cell(value)
        if "score" in value:
            return [whole(value["score"])]
        numbers = [v for v in value.values() if isinstance(v, int | float)]
        return [whole(sum(numbers))] if numbers else ["–"]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [whole(value)]
    return ["–"]


def _agree_total(key: str) -> Cell:
    def cell(item: dict, activity: dict) -> str:
        answered = sum(int(item.get(k) or 0) for k in ("agree", "disagree", "pass"))
        n = int(item.get(key) or 0)
        return f"{whole(n)} ({percent(n, answered)})" if answered else whole(n)

    return cell


def _consensus(item: dict, activity: dict) -> str:
    return " · ".join(consensus_lines(item))


def consensus_lines(item: dict) -> list[str]:
    """The consensus level, then the agreement of the least agreeing group."""
    consensus = item.get("consensus") or {}
    lines = [level_label(consensus.get("level"))]
    lowest = consensus.get("min_group_agreement")
    if lowest is not None:
        lines.append(_("lowest group %(share)s", share=share(lowest)))
    return lines


def _score(item: dict, activity: dict) -> str:
    return whole(item.get("score"))


def _poll_share(item: dict, activity: dict) -> str:
    return percent(item.get("score") or 0, activity.get("ballots") or 0)


def _mean(item: dict, activity: dict) -> str:
    return decimal(item.get("mean")) if item.get("count") else "–"


def _median(item: dict, activity: dict) -> str:
    return decimal(item.get("median")) if item.get("count") else "–"


def _count(item: dict, activity: dict) -> str:
    return whole(item.get("count") or 0)


KIND_VIEWS: dict[str, KindView] = {
    "brainstorm": KindView("brainstorm", _l("Brainstorm"), ranked=False),
    "dot_vote": KindView(
        "dot_vote",
        _l("Dot vote"),
        columns=(Column(_l("Dots"), _score),),
        group_cell=points_cell,
    ),
    "rank": KindView(
        "rank",
        _l("Ranking"),
        columns=(Column(_l("Points"), _score),),
        group_cell=points_cell,
        notes=(_l("Points: the first place gets the most points (Borda count)."),),
    ),
    "agree": KindView(
        "agree",
        _l("Agree or disagree"),
        columns=(
            Column(_l("Agree"), _agree_total("agree")),
            Column(_l("Disagree"), _agree_total("disagree")),
            Column(_l("Pass"), _agree_total("pass")),
        ),
        group_cell=agree_cell,
        consensus=True,
    ),
    "rating": KindView(
        "rating",
        _l("Rating"),
        columns=(
            Column(_l("Mean (1–5)"), _mean),
            Column(_l("Median"), _median),
            Column(_l("Answers"), _count),
        ),
        group_cell=rating_cell,
        notes=(_l("Each group: mean importance from the number of people who rated."),),
    ),
    "poll": KindView(
        "poll",
        _l("Poll"),
        item_header=OPTION,
        columns=(Column(_l("Votes"), _score), Column(_l("Share of ballots"), _poll_share)),
        group_cell=points_cell,
    ),
}

# Their tables are templates/facilitator/_priority_result.html (workshop/priorities).
for _kind, _label in (
    ("matrix", _l("Impact × feasibility matrix")),
    ("points", _l("Points allocation")),
    ("budget", _l("Budget allocation")),
):
    KIND_VIEWS[_kind] = KindView(
        _kind,
        _label,
        columns=(Column(_l("Score"), lambda i, a: whole(i.get("score"))),),
        group_cell=lambda value: generic_cell(value),
    )

GENERIC = KindView("", _l("Vote"), columns=(Column(_l("Score"), _score),), group_cell=generic_cell)

CONSENSUS_COLUMN = Column(_l("Consensus"), _consensus, numeric=False)


def view_for(kind: str | None) -> KindView:
    """The view of ``kind``; a kind without its own reads generically."""
    return KIND_VIEWS.get(kind or "", GENERIC)


def kind_label(kind: str | None) -> str:
    return str(view_for(kind).label)
