"""The application factory."""

from __future__ import annotations

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

    from . import db_pragmas
    from .extensions import babel, csrf, db, login_manager, migrate, socketio

    db_pragmas.install()
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "workshop" / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "facilitator.login"
    login_manager.session_protection = "strong"
    babel.init_app(app, locale_selector=select_locale)
    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config.get("MESSAGE_QUEUE"),
        cors_allowed_origins=app.config.get("CORS_ORIGINS") or None,
        max_http_buffer_size=16 * 1024,
        ping_interval=20,
        ping_timeout=20,
    )

    from . import tallies

    tallies.init_app(app)

    from . import auth  # noqa: F401  (registers the login user loader)
    from .api import bp as api_bp
    from .views.attendee import bp as attendee_bp
    from .views.cities import bp as cities_bp
    from .views.common import register_common
    from .views.facilitator import bp as facilitator_bp
    from .views.moderation import bp as moderation_bp
    from .views.planner import bp as planner_bp
    from .views.presenter import bp as presenter_bp

    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)
    app.register_blueprint(attendee_bp)
    app.register_blueprint(cities_bp)
    app.register_blueprint(facilitator_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(planner_bp)
    app.register_blueprint(presenter_bp)
    register_common(app)

    from . import realtime

    realtime.register(socketio)

    from .cli import register_cli

    register_cli(app)
    return app
