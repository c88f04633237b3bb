"""Cross-site request checks for writes to the JSON API authenticated by a cookie.

Forms carry a CSRF token (Flask-WTF). JSON writes riding on the login or phone cookie
must come from the app's own origin (the page's host or ``WORKSHOP_PUBLIC_URL``, by the
``Origin`` header, else the ``Referer``) or carry a valid ``X-CSRFToken`` header.
Calls with a bearer token, or without any cookie, carry nothing a foreign page could
borrow and are not checked; a request with neither ``Origin`` nor ``Referer`` is not a
browser's cross-site request (browsers send ``Origin`` on every cross-origin POST).
"""

from __future__ import annotations

from flask import current_app, request
from flask_wtf.csrf import ValidationError, validate_csrf

from ..app import _origin, _same_origins
from ..auth import bearer_token
from ..services.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def allowed_origins() -> set[str]:
    origins = _same_origins(request.environ)
    public = current_app.config.get("PUBLIC_URL")
    if public:
        origins.add(_origin(public))
    return origins


def _csrf_header_valid() -> bool:
    token = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
    if not token:
        return False
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


def check_cookie_write() -> None:
    """Raise 403 ``csrf`` for a cookie-authenticated write from a foreign page."""
    if request.method in SAFE_METHODS or bearer_token():
        return
    if current_app.config.get("SESSION_COOKIE_NAME", "session") not in request.cookies:
        return
    origin = request.headers.get("Origin")
    if origin is None and request.referrer:
        origin = _origin(request.referrer) or "null"
    if origin is None or origin.lower() in allowed_origins():
        return
    if _csrf_header_valid():
        return
    raise Forbidden(
        "a write with the login cookie must come from this site's own pages "
        "(or send the X-CSRFToken header)",
        "csrf",
    )
