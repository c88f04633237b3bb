"""Commands of the ``workshop`` CLI (``db`` comes from Flask-Migrate)."""

from __future__ import annotations

import os
import secrets
import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .extensions import db
from .models import Facilitator, Workshop

DEMO_EMAIL = "demo@workshop.local"


def _require_current_schema() -> None:
    """Refuse to work on a database that ``workshop db upgrade`` has not brought up to date
    (instead of failing later with a traceback about a missing table or column)."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current != heads:
        found = f"at revision {', '.join(sorted(current))}" if current else "never migrated"
        raise click.ClickException(
            f"the database is not up to date ({found}; this version needs revision "
            f"{', '.join(sorted(heads))}): run `workshop db upgrade` first"
        )


def _write_private(path: Path, content: str) -> None:
    """Write a file only its owner may read, never readable by others even for a moment."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(content)
    path.chmod(0o600)  # a file that already existed keeps its old mode otherwise


def _facilitator(email: str) -> Facilitator:
    facilitator = db.session.scalar(select(Facilitator).where(Facilitator.email == email.lower()))
    if facilitator is None:
        raise click.ClickException(f"no facilitator {email}")
    return facilitator


@click.group("facilitator", help="Manage facilitator accounts.")
def facilitator_group() -> None:
    pass


@facilitator_group.command("create")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_facilitator(email: str, password_stdin: bool) -> None:
    """Create a facilitator who logs in with EMAIL."""
    _require_current_schema()
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise click.ClickException("EMAIL must be an e-mail address")
    if db.session.scalar(select(Facilitator).where(Facilitator.email == email)):
        raise click.ClickException(f"{email} already exists")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    facilitator = Facilitator(email=email)
    facilitator.set_password(password)
    db.session.add(facilitator)
    db.session.commit()
    click.echo(f"created facilitator {email}")


@facilitator_group.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def change_password(email: str, password_stdin: bool) -> None:
    """Set a new password for EMAIL; every browser logged in as EMAIL is logged out."""
    from .services.accounts import change_password as set_new_password
    from .services.errors import ServiceError

    _require_current_schema()
    facilitator = _facilitator(email)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        ended = set_new_password(facilitator, password)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"password changed for {facilitator.email}; {ended} login session(s) ended")


@click.group("token", help="Bearer tokens for the facilitator API.")
def token_group() -> None:
    pass


@token_group.command("create")
@click.argument("email")
@with_appcontext
def create_token(email: str) -> None:
    """Print a new API token for EMAIL (the last word of the output)."""
    from .auth import create_api_token

    _require_current_schema()
    token = create_api_token(_facilitator(email))
    db.session.commit()
    click.echo(f"token for {email.lower()}: {token}")


@token_group.command("list")
@click.argument("email")
@with_appcontext
def list_tokens(email: str) -> None:
    """List EMAIL's API tokens: id and creation time (the tokens themselves are not kept)."""
    from .services.accounts import tokens

    _require_current_schema()
    facilitator = _facilitator(email)
    found = tokens(facilitator)
    if not found:
        click.echo(f"no API tokens for {facilitator.email}")
    for token in found:
        created = token.created_at.strftime("%Y-%m-%d %H:%M UTC")
        click.echo(f"{token.id}\tcreated {created}")


@token_group.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_token(token_id: int) -> None:
    """Revoke the API token with this id (from `workshop token list`): it stops working."""
    from .services.accounts import revoke_token as revoke
    from .services.errors import ServiceError

    _require_current_schema()
    try:
        token = revoke(token_id)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    email = token.facilitator.email
    db.session.commit()
    click.echo(f"revoked token {token_id} of {email}")


@click.group("workshop", help="Create workshops.")
def workshop_group() -> None:
    pass


@workshop_group.command("create")
@click.option("--title", required=True)
@click.option(
    "--template", "template_name", default=None, help="A file name in sessions/ without .toml."
)
@click.option("--city", default=None)
@click.option("--facilitator", "email", default=DEMO_EMAIL, show_default=True)
@with_appcontext
def create_workshop_command(
    title: str, template_name: str | None, city: str | None, email: str
) -> None:
    """Create a workshop, optionally with the activities of an agenda template."""
    from .agenda import TemplateError, apply_template, load_template
    from .services.errors import ServiceError
    from .services.workshops import create_workshop

    _require_current_schema()
    try:
        workshop = create_workshop(_facilitator(email), title, city)
        if template_name:
            apply_template(workshop, load_template(template_name))
        db.session.commit()
    except FileNotFoundError:
        raise click.ClickException(f"no template sessions/{template_name}.toml") from None
    except (TemplateError, ServiceError) as error:
        raise click.ClickException(str(getattr(error, "message", error))) from None
    click.echo(f"created workshop {workshop.code}: {workshop.title}")


def _demo_file() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "demo-credentials.txt"


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Create the demo facilitator and workshop from sessions/sfc-city-plan.toml if none exist."""
    from .agenda import apply_template, load_template
    from .services.workshops import create_workshop

    _require_current_schema()
    facilitator = db.session.scalar(select(Facilitator).where(Facilitator.email == DEMO_EMAIL))
    if facilitator is None:
        password = secrets.token_urlsafe(9)
        facilitator = Facilitator(email=DEMO_EMAIL)
        facilitator.set_password(password)
        db.session.add(facilitator)
        db.session.flush()
        _write_private(_demo_file(), f"{DEMO_EMAIL}\n{password}\n")
        click.echo(f"created demo facilitator {DEMO_EMAIL}")
    if db.session.scalar(select(Workshop.id).limit(1)) is None:
        template = load_template("sfc-city-plan")
        workshop = create_workshop(facilitator, template.title, "lampang", held_on=date.today())
        apply_template(workshop, template)
        click.echo(f"created demo workshop {workshop.code}")
    db.session.commit()


@click.command("serve")
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", type=int, default=None, help="Default: WORKSHOP_PORT or 5000.")
@with_appcontext
def serve(host: str, port: int | None) -> None:
    """Serve the app (Flask-SocketIO on gevent, one process)."""
    from .extensions import socketio

    _require_current_schema()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    port = port or app.config["PORT"]
    app.config["PORT"] = port
    _print_banner(port)
    db.session.remove()
    from .gc_tuning import tune_for_server

    tune_for_server()
    if app.config["SOCKETIO_ASYNC_MODE"] == "gevent":
        from .live.shutdown import install

        install(app)
    socketio.run(
        app, host=host, port=port, log_output=False, use_reloader=False, allow_unsafe_werkzeug=True
    )


def _print_banner(port: int) -> None:
    from .netinfo import lan_base_url
    from .qr import qr_terminal

    base = current_app.config.get("PUBLIC_URL") or lan_base_url(port)
    click.echo(f"\nWorkshop is running (async mode: {current_app.config['SOCKETIO_ASYNC_MODE']}).")
    click.echo(f"  Facilitator login: {base}/facilitator/login")
    demo_file = _demo_file()
    if demo_file.exists():
        email, password = demo_file.read_text().split()[:2]
        click.echo(f"  Demo credentials:  {email} / {password}")
    workshop = db.session.scalar(select(Workshop).order_by(Workshop.id.desc()).limit(1))
    if workshop is not None:
        # As the panel's link and QR: with the join token, so it keeps joining after the
        # facilitator closes the short code.
        join = f"{base}/j/{workshop.code}"
        if workshop.join_token:
            join = f"{join}?t={workshop.join_token}"
        click.echo(f"  Attendees join:    {join}")
        click.echo(f"                     (code {workshop.code}, or type it at {base}/j)")
        click.echo(f"  Projector:         {base}/present/{workshop.code}\n")
        click.echo(qr_terminal(join))
