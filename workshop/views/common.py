"""App-wide hooks: JSON errors under /api, security headers, language cookie, template helpers."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from ..caching import wants_no_store
from ..dates import format_date
from ..db_busy import busy_error
from ..display.errors import error_text
from ..extensions import db
from ..groups import group_label
from ..qr import qr_svg
from ..services.errors import Busy, RateLimited, ServiceError

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register_common(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        db.session.rollback()
        headers = {}
        if isinstance(error, RateLimited | Busy):
            headers["Retry-After"] = str(error.retry_after)
        if _wants_json():
            return jsonify(error.as_dict()), error.status, headers
        message = error_text(error)  # the reader's language, not the API's English
        if isinstance(error, Busy):
            message = _("The server is busy for a moment. Wait a few seconds and send it again.")
        return (
            render_template(
                "error.html", message=message, status=error.status, retry=isinstance(error, Busy)
            ),
            error.status,
            headers,
        )

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        if _wants_json():
            return jsonify({"error": {"code": "csrf", "message": error.description}}), 400
        # Flask-WTF's English sentence, in the reader's language (its Thai is in messages.po)
        message = get_translations().ugettext(str(error.description))
        return render_template("error.html", message=message, status=400, retry=True), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        status = error.code or 500
        if _wants_json():
            code = (error.name or "error").lower().replace(" ", "_")
            return jsonify({"error": {"code": code, "message": error.description}}), status
        return render_template("error.html", message=error.description, status=status), status

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        """The one place a busy or locked database becomes 503 "busy" (workshop/db_busy.py)."""
        busy = busy_error(error)
        if busy is None:
            return unexpected(error)
        app.logger.warning("database busy: %s %s answered 503", request.method, request.path)
        return service_error(busy)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        if _wants_json():
            return jsonify({"error": {"code": "server_error", "message": "unexpected error"}}), 500
        return render_template("error.html", message="unexpected error", status=500), 500

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if wants_no_store() or "t" in request.args or request.blueprint == "attendee":
            # A join token or participant token in the answer (or in the address): the
            # phone pages are personal too.
            response.headers["Cache-Control"] = "no-store"
        lang = request.args.get("lang")
        if lang in app.config["LANGUAGES"]:
            response.set_cookie(
                "lang",
                lang,
                max_age=60 * 60 * 24 * 365,
                samesite="Lax",
                secure=app.config["SESSION_COOKIE_SECURE"],
            )
        return response

    @app.template_filter("local_date")
    def local_date(value):
        return format_date(value, str(get_locale() or "th"))

    @app.context_processor
    def template_helpers():
        return {
            "current_locale": str(get_locale() or "th"),
            "group_label": group_label,
            "qr_svg": lambda data: Markup(qr_svg(data)),
        }

    @app.get("/health")
    def health():
        return jsonify({"ok": True})
