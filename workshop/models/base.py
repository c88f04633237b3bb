"""Helpers shared by the models: time, tokens, JSON values."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime
from typing import Any


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a leaked database leaks no token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_join_token() -> str:
    """The secret of a workshop's QR code: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


def as_json(value: Any) -> Any:
    """Dates and datetimes as ISO strings for JSON payloads."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
