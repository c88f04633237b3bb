"""`workshop serve` prints the join link with its token, as the control panel builds it."""

from __future__ import annotations

import re

import requests

from tests.live_server import LiveServer


def test_serve_prints_the_join_link_with_its_token(tmp_path):
    server = LiveServer(tmp_path)
    server.prepare()
    server.run_cli("demo")
    server.start()
    try:
        match = re.search(r"Attendees join:\s+(\S+)", server.log())
        assert match, server.log()
        link = match.group(1)
        found = re.fullmatch(r"(http://[^/]+)/j/([A-Z0-9]+)\?t=([\w-]{16,})", link)
        assert found, link
        code = found.group(2)
        # The link joins even once the short code is closed: the token is the QR's.
        session = requests.Session()
        page = session.get(f"{server.url}/j/{code}?t={found.group(3)}", timeout=10)
        assert page.status_code == 200 and 'name="group"' in page.text
    finally:
        server.stop()
