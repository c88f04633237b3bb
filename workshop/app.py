"""The application factory."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, request

from .config import PROJECT_ROOT, Config


def select_locale() -> str:
    """``?lang=`` (remembered in a cookie), else the browser's language, else Thai."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang") or request.cookies.get("lang")
    if wanted in languages:
        return wanted
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, as browsers send it in the Origin header."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def socket_origins(app: Flask) -> Callable[[str, dict], bool] | None:
    """Who may open a Socket.IO connection: never ``*``.

    Without ``WORKSHOP_CORS_ORIGINS``: None, i.e. Engine.IO's own check (same origin only).
    With it: a check admitting the listed origins *and* the app's own origins (the page's
    host, ``WORKSHOP_PUBLIC_URL``), since a list given to Engine.IO would replace its
    same-origin rule and lock out the app's own pages.
    """
    listed = {_origin(o) for o in app.config.get("CORS_ORIGINS") or [] if o.strip() != "*"}
    if any(o.strip() == "*" for o in app.config.get("CORS_ORIGINS") or []):
        app.logger.warning("WORKSHOP_CORS_ORIGINS: '*' is ignored; list the origins instead")
    listed.discard("")
    if not listed:
        return None
    if app.config.get("PUBLIC_URL"):
        listed.add(_origin(app.config["PUBLIC_URL"]))

    def allowed(origin: str | None, environ: dict | None = None) -> bool:
        if not origin:
            return False
        origin = origin.lower()
        return origin in listed or origin in _same_origins(environ or {})

    return allowed


def _same_origins(environ: dict) -> set[str]:
    """The origins Engine.IO itself treats as same-origin for this request."""
    scheme, host = environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST")
    if not (scheme and host):
        return set()
    origins = {f"{scheme}://{host}".lower()}
    if "HTTP_X_FORWARDED_PROTO" in environ or "HTTP_X_FORWARDED_HOST" in environ:
        proto = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip()
        forwarded = environ.get("HTTP_X_FORWARDED_HOST", host).split(",")[0].strip()
        origins.add(f"{proto}://{forwarded}".lower())
    return origins


def build_app(config: object | None = None) -> Flask:
    """Build the app. ``config`` is a config object or mapping; default from the environment."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    if config is None:
        config = Config()
    if isinstance(config, dict):
        app.config.from_mapping(Config().__dict__)
        app.config.from_mapping(config)
    else:
        app.config.from_object(config)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "workshop" / "translations")
    )

    from . import db_busy, db_pragmas
    from .live import queue_resync, room_cache

    db_busy.configure_engine(app.config)
    from .extensions import babel, csrf, db, login_manager, migrate, socketio

    db_pragmas.install()
    room_cache.install()
    db.init_app(app)
    _close_databases_at_exit(app)
    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "workshop" / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "facilitator.login"
    login_manager.session_protection = "strong"
    babel.init_app(app, locale_selector=select_locale)
    # With Redis: a manager that comes back quickly after a Redis restart and refreshes
    # the screens (workshop/live/queue_resync.py); other queues as Flask-SocketIO makes them.
    manager = queue_resync.manager_for(app)
    queue_options = (
        {"client_manager": manager}
        if manager is not None
        else {
            "message_queue": app.config.get("MESSAGE_QUEUE"),
            "channel": app.config.get("MESSAGE_QUEUE_CHANNEL") or "flask-socketio",
        }
    )
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        **queue_options,
        cors_allowed_origins=socket_origins(app),
        max_http_buffer_size=app.config.get("SOCKETIO_MAX_MESSAGE", 16 * 1024),
        ping_interval=20,
        ping_timeout=20,
        # A phone's events run one after another in the greenlet that reads its socket,
        # instead of a new greenlet each: in order per phone, and about a tenth less CPU
        # per ballot in a hall voting at once (docs/performance.md).
        async_handlers=False,
    )

    if app.config.get("TRUSTED_PROXIES"):
        # Behind nginx: the phone's address (rate limits) and https from X-Forwarded-*.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from . import login_throttle, ratelimit
    from .live import join_queue, tallies, vote_queue
    from .services import opinions

    login_throttle.init_app(app)
    tallies.init_app(app)
    opinions.init_app(app)
    vote_queue.init_app(app)
    join_queue.init_app(app)
    ratelimit.init_app(app)

    from . import display

    display.init_app(app)

    from . import auth  # noqa: F401  (registers the login user loader)
    from .api import bp as api_bp
    from .channels.views import bp as channels_bp
    from .panel.views import bp as panel_bp
    from .planning.editor import bp as process_editor_bp
    from .planning.views import bp as planning_bp
    from .planning.workshop_views import bp as planner_bp
    from .tracking.views import bp as cities_bp
    from .views.attendee import bp as attendee_bp
    from .views.common import register_common
    from .views.facilitator import bp as facilitator_bp
    from .views.moderation import bp as moderation_bp
    from .views.presenter import bp as presenter_bp
    from .views.team import bp as team_bp

    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)
    app.register_blueprint(attendee_bp)
    app.register_blueprint(channels_bp)
    app.register_blueprint(cities_bp)
    app.register_blueprint(facilitator_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(planner_bp)
    app.register_blueprint(panel_bp)
    app.register_blueprint(planning_bp)
    app.register_blueprint(process_editor_bp)
    app.register_blueprint(presenter_bp)
    app.register_blueprint(team_bp)
    from .priorities.views import bp as priorities_bp

    app.register_blueprint(priorities_bp)
    from .kinds import panel as room_kinds_panel
    from .kinds.routes import bp as room_kinds_bp

    app.register_blueprint(room_kinds_bp)  # map images, the panel's word/pin/question forms
    app.jinja_env.globals["room_kind_panel_data"] = room_kinds_panel.panel_data
    register_common(app)

    from .live import realtime

    realtime.register(socketio, app)

    from .cli import register_cli

    register_cli(app)
    return app


def _close_databases_at_exit(app: Flask) -> None:
    """Close the pooled database connections when the process exits. On SQLite the last
    connection to close writes the WAL back into the database file: left to the garbage
    collector, a command such as ``workshop db upgrade`` could exit with its work only in
    ``workshop.sqlite3-wal`` (complete and safe, but a copy of the database file alone
    would miss it)."""
    import atexit
    import weakref

    from .extensions import db

    ref = weakref.ref(app)

    def close() -> None:
        target = ref()
        if target is None:
            return
        with target.app_context():
            for engine in db.engines.values():
                engine.dispose()

    atexit.register(close)

