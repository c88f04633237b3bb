"""The ``workshop`` command.

``main`` monkey-patches for gevent before anything else is imported when the
command is ``serve``; every other command runs on plain threads.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        os.environ["WORKSHOP_ASYNC_MODE"] = os.environ.get("WORKSHOP_ASYNC_MODE", "gevent")
        if os.environ["WORKSHOP_ASYNC_MODE"] == "gevent":
            from gevent import monkey

            monkey.patch_all()
    from flask.cli import FlaskGroup

    from . import create_app

    cli = FlaskGroup(
        name="workshop",
        create_app=lambda: create_app(),
        add_default_commands=False,
        load_dotenv=False,
        set_debug_flag=False,
        help="Workshop: live public participation meetings.",
    )
    cli.main(prog_name="workshop")


def register_cli(app) -> None:
    from .commands import demo, facilitator_group, serve, token_group, workshop_group

    for command in (serve, facilitator_group, token_group, workshop_group, demo):
        app.cli.add_command(command)
