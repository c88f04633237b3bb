"""Database models, one module per concern; import them from here."""

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
from .plans import PLAN_ITEM_SECTIONS, Plan, PlanItem
from .tracking import (
    PROJECT_STATUSES,
    Indicator,
    IndicatorValue,
    Milestone,
    ProjectUpdate,
    TrackedProject,
)

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
    "CoFacilitator",
    "Facilitator",
    "Indicator",
    "IndicatorValue",
    "LoginSession",
    "Milestone",
    "Participant",
    "Plan",
    "PlanItem",
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
