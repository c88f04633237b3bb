"""JSON API under ``/api/v1``; described by ``/api/v1/openapi.json``."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _cross_site_check() -> None:
    from .origin import check_cookie_write

    check_cookie_write()


# Route modules attach their views to ``bp`` when imported.
from ..panel import api as _panel_api  # noqa: E402,F401  (agenda editing)
from ..planning import api as _planning_api  # noqa: E402,F401  (routes on bp)
from ..planning import workshop_api as _workshop_plan_api  # noqa: E402,F401
from . import (  # noqa: E402,F401
    attendee_routes,
    moderation_routes,
    opinion_routes,
    routes,
)

# isort: split
from ..channels import api as _channels_api  # noqa: E402,F401  (paper, helpers, online)
from ..tracking import api as tracking_api  # noqa: E402,F401  (cities and tracked projects)

# isort: split
from ..kinds import routes as _room_kind_routes  # noqa: E402,F401  (wordcloud, qa, map)
