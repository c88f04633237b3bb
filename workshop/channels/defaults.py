"""Room defaults: results hidden until revealed, pre- or post-moderation.

``results_hidden_by_default``: every new activity (and every activity not opened yet when
the default is changed) starts with its results hidden on the projector; phones see results
only once revealed anyway. ``moderation``: ``pre`` holds new statements for approval
(``Workshop.premoderation``), ``post`` shows them at once.
"""

from __future__ import annotations

from ..models import Facilitator, Workshop
from ..services import audit
from ..services.errors import Invalid
from ..services.moderation import set_premoderation


def set_results_hidden(workshop: Workshop, hidden: bool, actor: Facilitator | None) -> None:
    workshop.results_hidden_by_default = hidden
    for activity in workshop.activities:
        if activity.state == "draft" and activity.opened_at is None:
            activity.projector_results = not hidden
    audit.record(workshop, actor, "results_default", "workshop", workshop.id, hidden=hidden)


def set_moderation(workshop: Workshop, mode: str, actor: Facilitator | None) -> None:
    if mode not in ("pre", "post"):
        raise Invalid("moderation is 'pre' or 'post'", "invalid_moderation")
    set_premoderation(workshop, mode == "pre", actor)


def moderation_mode(workshop: Workshop) -> str:
    return "pre" if workshop.premoderation else "post"
