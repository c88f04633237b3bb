"""``Cache-Control: no-store`` for answers that carry a secret: a workshop's QR join token
(join links, the projector, the panel, workshop JSON) or a participant token (joining).

Whatever builds such an answer calls :func:`no_store`; ``views/common.py`` then sets the
header, so neither the browser's cache nor a proxy keeps a copy.
"""

from __future__ import annotations

from flask import g, has_request_context


def no_store() -> None:
    """Mark this request's answer as not to be stored by any cache."""
    if has_request_context():
        g.no_store = True


def wants_no_store() -> bool:
    return bool(g.get("no_store"))
