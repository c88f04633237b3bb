"""The results page of a workshop with every vote kind, in Chromium on a 1024 px tablet.

Nothing is clipped: the page itself never scrolls sideways, a table wider than its
card scrolls inside its own region, and its last column can be scrolled into view.
axe-core stays clean on the results and access pages.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.browser.test_accessibility import violations
from tests.full_workshop import KIND_NAMES, build

TABLET = {"width": 1024, "height": 768}


class _Reply:
    """A requests response read as the Flask test client's (``.json`` an attribute)."""

    def __init__(self, response) -> None:
        self.status_code = response.status_code
        self.json = response.json() if response.content else None


class LiveApi:
    """The subset of tests.conftest.Api that tests/full_workshop.py uses, over HTTP."""

    def __init__(self, live_server) -> None:
        self.server = live_server
        self.client = self

    def headers(self, token: str | None = None) -> dict:
        token = self.server.token if token is None else token
        return {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, token: str | None = None) -> _Reply:
        return _Reply(self.server.api("GET", path, token=token))

    def post(self, path: str, json=None, token: str | None = None) -> _Reply:
        return _Reply(self.server.api("POST", path, token=token, json=json))

    def patch(self, url: str, json=None, headers=None) -> _Reply:  # as client.patch
        return _Reply(self.server.api("PATCH", url.removeprefix("/api/v1"), json=json))

    def workshop(self, **body) -> dict:
        reply = self.post("/workshops", body)
        assert reply.status_code == 201, reply.json
        return reply.json

    def activity(self, code: str, **body) -> dict:
        reply = self.post(f"/workshops/{code}/activities", body)
        assert reply.status_code == 201, reply.json
        return reply.json

    def open(self, code: str, activity_id: int) -> dict:
        reply = self.post(f"/workshops/{code}/activities/{activity_id}/state", {"state": "open"})
        assert reply.status_code == 200, reply.json
        return reply.json

    def join(self, code: str, group: str = "residents") -> str:
        reply = self.post(f"/workshops/{code}/participants", {"group": group}, token="")
        assert reply.status_code == 201, reply.json
        return reply.json["token"]

    def statement(self, code: str, token: str, activity_id: int, text: str, client_id: str):
        body = {"activity_id": activity_id, "text": text, "client_id": client_id}
        return self.post(f"/workshops/{code}/statements", body, token=token)


FITS = """() => {
  const page = document.documentElement;
  const tables = [...document.querySelectorAll('.table-wrap')].map(wrap => {
    const style = getComputedStyle(wrap);
    const table = wrap.querySelector('table');
    const section = wrap.closest('section');
    return {
      kind: section ? section.dataset.kind : null,
      overflows: wrap.scrollWidth > wrap.clientWidth + 1,
      scrolls: ['auto', 'scroll'].includes(style.overflowX),
      cardRight: section ? section.getBoundingClientRect().right : 0,
      tableWidth: table ? table.scrollWidth : 0,
    };
  });
  return {pageWidth: page.scrollWidth, viewport: window.innerWidth, tables};
}"""


def test_results_fit_a_1024_px_tablet(live_server, new_context, shot):
    api = LiveApi(live_server)
    world = build(None, api)
    tablet = new_context(viewport=TABLET, locale="th-TH").new_page()
    login(tablet, live_server)
    tablet.goto(f"{live_server.url}/facilitator/w/{world['code']}/results?lang=th")
    kinds = tablet.eval_on_selector_all("section[data-kind]", "s => s.map(e => e.dataset.kind)")
    assert sorted(kinds) == sorted(KIND_NAMES)
    measured = tablet.evaluate(FITS)
    shot(tablet, "results-1024", full_page=True)
    assert measured["pageWidth"] <= measured["viewport"], measured  # no sideways page scroll
    for table in measured["tables"]:
        assert table["cardRight"] <= measured["viewport"], table
        assert not table["overflows"] or table["scrolls"], table  # wide: scrolls in its region
    # The last column of the widest table (agree: counts, consensus, four groups) is
    # reachable: scrolled to the end, its header is inside the viewport.
    wrap = tablet.locator('section[data-kind="agree"] .table-wrap')
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    last = wrap.locator("thead th").last
    last.scroll_into_view_if_needed()
    box = last.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= TABLET["width"] + 1
    found = {"results": violations(tablet)}
    tablet.goto(f"{live_server.url}/facilitator/w/{world['code']}/team?lang=th")
    found["team"] = violations(tablet)
    tablet.goto(f"{live_server.url}/facilitator/w/{world['code']}/plan?lang=th")
    found["adopted plan"] = violations(tablet)
    problems = {page: v for page, v in found.items() if v}
    assert not problems, problems


@pytest.mark.parametrize("width", [768])
def test_results_fit_a_small_tablet(live_server, new_context, width):
    api = LiveApi(live_server)
    world = build(None, api)
    tablet = new_context(viewport={"width": width, "height": 1024}).new_page()
    login(tablet, live_server)
    tablet.goto(f"{live_server.url}/facilitator/w/{world['code']}/results")
    measured = tablet.evaluate(FITS)
    assert measured["pageWidth"] <= measured["viewport"], measured
    for table in measured["tables"]:
        assert not table["overflows"] or table["scrolls"], table
