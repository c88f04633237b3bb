"""Workshop: live public participation meetings.

Kept free of imports so that ``workshop serve`` can monkey-patch for gevent
before Flask, SQLAlchemy or the standard library's sockets are loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: object | None = None) -> Flask:
    """Build the Flask app; ``config`` is a config object or mapping (default: environment)."""
    from .app import build_app

    return build_app(config)
