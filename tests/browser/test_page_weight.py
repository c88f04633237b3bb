"""The join page with everything it loads stays within 250 KB (a slow 3G budget)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import join, make_workshop, open_activity

pytestmark = pytest.mark.browser
BUDGET = 250 * 1024


def test_join_and_room_pages_within_budget(live_server, new_context):
    room = make_workshop(live_server)
    open_activity(live_server, room["code"], room["brainstorm"])
    page = new_context(locale="th-TH").new_page()
    loaded: dict[str, int] = {}

    def record(response):
        try:
            loaded[response.url] = len(response.body())
        except Exception:  # noqa: BLE001 - redirects and websockets have no body
            loaded.setdefault(response.url, 0)

    page.on("response", record)
    page.goto(f"{live_server.url}/j/{room['code']}")
    page.wait_for_load_state("networkidle")
    join_page = sum(loaded.values())
    loaded.clear()
    join(page, live_server.url, room["code"])
    page.wait_for_load_state("networkidle")
    room_page = sum(loaded.values())
    assert all(url.startswith(live_server.url) for url in loaded), "everything is served by the app"
    assert join_page <= BUDGET, f"join page loads {join_page} bytes"
    assert room_page <= BUDGET, f"attendee page loads {room_page} bytes: {loaded}"
