"""Errors raised by services; the edges turn them into JSON, flashes or acks."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


class BadRequest(ServiceError):
    status = 400
    code = "bad_request"


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class Invalid(ServiceError):
    status = 422
    code = "invalid"


class RateLimited(ServiceError):
    """Too many requests: the message says what to do; ``retry_after`` is in seconds."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, code: str | None = None, retry_after: int = 60) -> None:
        super().__init__(message, code)
        self.retry_after = retry_after

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["error"]["retry_after"] = self.retry_after
        return data


class Busy(ServiceError):
    """The server or its database is busy for a moment: send the same write again
    (same ``client_id``) after ``retry_after`` seconds; nothing was stored."""

    status = 503
    code = "busy"

    def __init__(self, message: str, code: str | None = None, retry_after: int = 2) -> None:
        super().__init__(message, code)
        self.retry_after = retry_after

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["error"]["retry_after"] = self.retry_after
        return data
