"""Database models, one module per concern; import them from here."""

from ..channels.models import HelperToken, PaperCount  # noqa: E402
from ..planning.models import (  # noqa: E402  (after .core: the models refer to each other)
    PLAN_ITEM_SECTIONS,
    PLAN_STATUSES,
    Plan,
    PlanIndicator,
    PlanIndicatorValue,
    PlanItem,
    PlanningProcess,
    PlanVersion,
)
from ..tracking.models import (
    PROJECT_STATUSES,
    Indicator,
    IndicatorValue,
    Milestone,
    ProjectUpdate,
    TrackedProject,
)
from .accounts import AccountEvent, LoginSession
from .ballots import Ballot, VoteWrite, decode_entries, encode_entries
from .base import as_json, hash_token, new_token, utcnow
from .core import (
    ACTIVITY_KINDS,
    ACTIVITY_STATES,
    STATEMENT_VOTE_KINDS,
    Activity,
    ApiToken,
    AuditEntry,
    City,
    CoFacilitator,
    Facilitator,
    Participant,
    Statement,
    StatementEdit,
    Workshop,
)
from .room_kinds import CloudWord, MapPin

__all__ = [
    "ACTIVITY_KINDS",
    "ACTIVITY_STATES",
    "PLAN_ITEM_SECTIONS",
    "PROJECT_STATUSES",
    "STATEMENT_VOTE_KINDS",
    "AccountEvent",
    "Activity",
    "ApiToken",
    "AuditEntry",
    "Ballot",
    "City",
    "CloudWord",
    "CoFacilitator",
    "Facilitator",
    "HelperToken",
    "Indicator",
    "IndicatorValue",
    "LoginSession",
    "MapPin",
    "Milestone",
    "PaperCount",
    "Participant",
    "PLAN_STATUSES",
    "Plan",
    "PlanIndicator",
    "PlanIndicatorValue",
    "PlanItem",
    "PlanVersion",
    "PlanningProcess",
    "ProjectUpdate",
    "Statement",
    "StatementEdit",
    "TrackedProject",
    "VoteWrite",
    "Workshop",
    "as_json",
    "decode_entries",
    "encode_entries",
    "hash_token",
    "new_token",
    "utcnow",
]
