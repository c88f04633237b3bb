"""The process on a page: ``/cities/<slug>/process/<id>`` (public once published)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..tracking.views import as_date
from . import adoption, processes
from .serialize import plan_dict
from .summary import process_dict

bp = Blueprint("planning", __name__)

PLAN_STATUS_NAMES = {
    "draft": _l("Draft"),
    "consultation": _l("In consultation"),
    "adopted": _l("Adopted"),
}


@bp.get("/cities/<slug>/process/<int:process_id>")
def process_page(slug: str, process_id: int):
    process = processes.get_process(process_id)
    if process.city is None or process.city.slug != slug:
        abort(404)
    if not process.published and not (
        current_user.is_authenticated and processes.may_manage(process, current_user)
    ):
        abort(404)  # an unpublished process does not exist for the public
    plan = processes.process_plan(process)
    return render_template(
        "planning/process.html",
        process=process,
        data=process_dict(process),
        plan=plan_dict(plan, adoption.rollup(plan)),
        plan_status_names=PLAN_STATUS_NAMES,
        as_date=as_date,
    )
