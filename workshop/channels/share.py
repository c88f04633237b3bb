"""Sharing to LINE: a plain link to LINE's share page (no SDK, nothing loaded from outside).

``https://line.me/R/share?text=…`` opens LINE with the text (and the link in it) ready to
send to a chat or a group; the page itself loads nothing from LINE.
"""

from __future__ import annotations

from urllib.parse import quote

LINE_SHARE = "https://line.me/R/share?text="


def line_share_url(url: str, text: str = "") -> str:
    """The LINE share link of ``url``, after ``text`` (one message)."""
    message = f"{text.strip()} {url}".strip()
    return LINE_SHARE + quote(message, safe="")
