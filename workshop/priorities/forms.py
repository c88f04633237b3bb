"""The ballot field of a priority kind from the phone's plain HTML form (no JavaScript).

matrix: ``x-<id>`` and ``y-<id>`` selects (1–5, empty = not placed); points:
``points-<id>`` numbers; budget: ``select`` checkboxes with statement ids.
"""

from __future__ import annotations


def _number(value: str) -> object:
    value = value.strip()
    return int(value) if value.lstrip("-").isdigit() else value


def form_fields(kind: str, form) -> dict:
    if kind == "matrix":
        placements: dict[str, dict[str, object]] = {}
        for key, value in form.items():
            axis, _, ident = key.partition("-")
            if axis in ("x", "y") and ident and value.strip():
                placements.setdefault(ident, {})[axis] = _number(value)
        return {"placements": placements}
    if kind == "points":
        return {
            "points": {
                key[len("points-") :]: _number(value)
                for key, value in form.items()
                if key.startswith("points-") and value.strip()
            }
        }
    if kind == "budget":
        return {"selection": [_number(v) for v in form.getlist("select") if v.strip()]}
    return {}
