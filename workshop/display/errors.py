"""Service errors as a facilitator reads them on a page, in their language.

Services raise English messages for the API (``{"error": {"code", "message"}}``); the
pages flash the translation of the error's code instead. A code missing here flashes a
translated general sentence on a Thai page (never the English API message), and the
API message as it is on an English one.
"""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..services.errors import ServiceError

MESSAGES = {
    "workshop_not_found": _l("No workshop has that code. Check the code on the screen."),
    "project_not_found": _l("That project does not exist."),
    "rate_limited": _l("Too many tries in a short time. Wait a moment, then try again."),
    "already_adopted": _l("This plan is already adopted."),
    "plan_not_found": _l("There is no draft plan yet: create the draft first."),
    "already_facilitator": _l("That facilitator already runs this workshop."),
    "unknown_facilitator": _l("No facilitator account has that e-mail."),
    "not_cofacilitator": _l("That facilitator is not a co-facilitator of this workshop."),
    "forbidden": _l("Only the workshop's owner can do that."),
    "not_merged": _l("Nothing is merged into this statement."),
    "already_merged": _l("That statement is already merged."),
    "invalid_merge": _l("These two statements cannot be merged."),
    "statement_not_found": _l("That statement no longer exists."),
    "activity_not_found": _l("That activity no longer exists."),
    "no_such_activity": _l("That activity no longer exists."),
    "invalid_timer": _l("Enter the countdown in whole minutes."),
    "invalid_state": _l("That activity cannot change to this state now."),
    "no_activities": _l("There is no activity in that direction."),
    "invalid_prompt": _l("Write the activity's prompt (at most 500 characters)."),
    "invalid_title": _l("Write a title (at most 200 characters)."),
    "invalid_groups": _l("Check the stakeholder groups."),
    "unknown_city": _l("Choose a municipality from the list."),
    "plan_edited": _l(
        "Planners have edited this plan. Press “Replace my edits” to redraft anyway."
    ),
    "invalid_field": _l("Check the fields of the item."),
    "invalid_section": _l("Choose a section from the list."),
    "invalid_horizon": _l("Choose a horizon from the list."),
    "invalid_georef": _l(
        "Give all four edges of the map in decimal degrees: the top edge north of the bottom "
        "edge, the left edge west of the right edge."
    ),
}


def error_text(error: ServiceError) -> str:
    """What to flash for ``error`` on a page."""
    known = MESSAGES.get(error.code)
    if known is not None:
        return str(known)
    if str(get_locale() or "th").startswith("th"):
        return _("That did not work. Check what you entered and try again.")
    return error.message
