"""Map pins: raw client pins in, a ballot of packed pins out; results from a running tally.

A ballot is ``{slot: packed}``: slot 0 .. max_pins - 1, and ``packed`` holds the pin's
category (its index in the activity's categories) and its position on the image in steps
of 1/10,000 (:func:`pack`). Live tallies then count pins like any other ballot, per slot,
group and value. The note of a pin is not counted; it is stored beside the ballot.
No Flask, no SQLAlchemy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .ballots import BallotError
from .tally import Tally

SCALE = 10_000
DEFAULT_MAX_PINS = 3
MAX_PINS_LIMIT = 20
MAX_NOTE_LENGTH = 280
MAX_CATEGORIES = 8
_BITS = 14  # 2**14 > SCALE


@dataclass(frozen=True)
class Pin:
    x: float
    y: float
    category: str
    note: str | None = None


def _coordinate(value: object, name: str, index: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BallotError("invalid_pin", f"pin {index + 1}: {name} must be a number from 0 to 1")
    if not 0 <= value <= 1:
        raise BallotError("pin_outside", f"pin {index + 1}: {name} must be from 0 to 1")
    return round(float(value) * SCALE) / SCALE


def validate_pins(raw: object, max_pins: int, categories: Sequence[str]) -> list[Pin]:
    """The pins of a ballot, in order, or :class:`BallotError`. An empty list removes them."""
    if not isinstance(raw, list):
        raise BallotError("invalid_ballot", "pins must be a list of {x, y, category, note?}")
    if len(raw) > max_pins:
        raise BallotError("too_many_pins", f"drop at most {max_pins} pins")
    pins: list[Pin] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise BallotError("invalid_pin", f"pin {index + 1} must be an object")
        x = _coordinate(item.get("x"), "x", index)
        y = _coordinate(item.get("y"), "y", index)
        category = item.get("category")
        if not isinstance(category, str) or category not in categories:
            raise BallotError(
                "unknown_category",
                f"pin {index + 1}: category must be one of {', '.join(categories)}",
            )
        note = item.get("note")
        if note is not None:
            if not isinstance(note, str):
                raise BallotError("invalid_pin", f"pin {index + 1}: note must be text")
            note = " ".join(note.split()) or None
            if note and len(note) > MAX_NOTE_LENGTH:
                raise BallotError(
                    "note_too_long",
                    f"pin {index + 1}: a note is at most {MAX_NOTE_LENGTH} characters",
                )
        pins.append(Pin(x, y, category, note))
    return pins


def pack(pin: Pin, categories: Sequence[str]) -> int:
    index = list(categories).index(pin.category)
    return (index << (2 * _BITS)) | (round(pin.x * SCALE) << _BITS) | round(pin.y * SCALE)


def unpack(value: int, categories: Sequence[str]) -> tuple[float, float, str | None]:
    """``(x, y, category)``; the category is None if the activity no longer has it."""
    mask = (1 << _BITS) - 1
    index = value >> (2 * _BITS)
    category = categories[index] if 0 <= index < len(categories) else None
    return ((value >> _BITS) & mask) / SCALE, (value & mask) / SCALE, category


def pin_entries(pins: Iterable[Pin], categories: Sequence[str]) -> dict[int, int]:
    return {slot: pack(pin, categories) for slot, pin in enumerate(pins)}


def georeference(x: float, y: float, georef: Mapping | None) -> tuple[float, float] | None:
    """Latitude and longitude of an image position, from the image's two corners
    ``{"top_left": {"lat", "lon"}, "bottom_right": {"lat", "lon"}}`` (linear in between:
    right for a north-up city map)."""
    if not georef:
        return None
    top, bottom = georef["top_left"], georef["bottom_right"]
    lat = top["lat"] + y * (bottom["lat"] - top["lat"])
    lon = top["lon"] + x * (bottom["lon"] - top["lon"])
    return round(lat, 7), round(lon, 7)


def map_results(
    tally: Tally,
    categories: Sequence[str],
    groups: Iterable[str],
    hidden: Iterable[tuple[int, str, int]] = (),
    grid: tuple[int, int] = (24, 16),
) -> dict:
    """Every counted pin ``{"x", "y", "category", "group", "count"}`` (equal pins of one group
    together, in position order), with totals ``by_category``, ``by_group``
    (``{group: {category: n}}``) and ``density``: pins per cell of a ``grid`` over the image
    (``{"columns", "rows", "cells": [[column, row, n], ...]}``). ``hidden`` are
    ``(slot, group, packed)`` of pins the facilitator hid. One pass over the tally."""
    removed = Counter(hidden)
    order = list(groups)
    found: Counter[tuple[int, str]] = Counter()
    for slot, per_group in tally.counts.items():
        for group, histogram in per_group.items():
            for value, n in histogram.items():
                if removed:
                    n -= removed.get((slot, group, value), 0)
                if n > 0:
                    found[(value, group)] += n
    names = list(categories)
    by_category = dict.fromkeys(names, 0)
    by_group: dict[str, dict[str, int]] = {}
    columns, rows = grid
    cells: Counter[tuple[int, int]] = Counter()
    mask = (1 << _BITS) - 1
    pins = []
    for (value, group), n in sorted(found.items(), key=lambda kv: (kv[0][0] & mask, kv[0])):
        index = value >> (2 * _BITS)
        if not 0 <= index < len(names):
            continue
        category = names[index]
        xq, yq = (value >> _BITS) & mask, value & mask
        pins.append({"x": xq / SCALE, "y": yq / SCALE, "category": category, "group": group,
                     "count": n})  # fmt: skip
        by_category[category] += n
        counts = by_group.get(group)
        if counts is None:
            counts = by_group[group] = dict.fromkeys(names, 0)
        counts[category] += n
        cells[(min(xq * columns // SCALE, columns - 1), min(yq * rows // SCALE, rows - 1))] += n
    return {
        "pins": pins,
        "by_category": by_category,
        "by_group": {g: by_group.get(g) or dict.fromkeys(names, 0) for g in order}
        | {g: c for g, c in by_group.items() if g not in order},
        "total": sum(by_category.values()),
        "density": {
            "columns": columns,
            "rows": rows,
            "cells": [[c, r, n] for (c, r), n in sorted(cells.items())],
        },
    }
