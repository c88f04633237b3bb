"""One printed ballot keyed at several desks at once, against a real server: exactly one
counts, the others are refused with 409, nothing answers 500."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

DESKS = 6


def test_the_same_ballot_keyed_at_once_counts_once(live_server):
    code = live_server.api("POST", "/workshops", json={"title": "เวทีประชาคม"}).json()["code"]
    brainstorm = live_server.api(
        "POST", f"/workshops/{code}/activities", json={"kind": "brainstorm", "prompt": "Ideas?"}
    ).json()["id"]
    vote = live_server.api(
        "POST",
        f"/workshops/{code}/activities",
        json={"kind": "dot_vote", "prompt": "Vote", "source_activity_id": brainstorm},
    ).json()["id"]
    live_server.api("POST", f"/workshops/{code}/activities/{brainstorm}/state",
                    json={"state": "open"})  # fmt: skip
    author = live_server.api("POST", f"/workshops/{code}/participants", token="",
                             json={"group": "residents"}).json()["token"]  # fmt: skip
    body = {"activity_id": brainstorm, "text": "ตลาด", "client_id": "c1"}
    idea = live_server.api("POST", f"/workshops/{code}/statements", token=author, json=body)
    page = live_server.api("GET", f"/workshops/{code}/activities/{vote}/paper-ballots.html?count=1")
    (ballot,) = re.findall(r'<p class="code">(\d{4}-\d{2})</p>', page.text)
    barrier = threading.Barrier(DESKS)
    keyed = {
        "activity_id": vote,
        "ballot_code": ballot,
        "group": "residents",
        "dots": {str(idea.json()["id"]): 1},
    }

    def desk(_: int) -> int:
        barrier.wait()
        return live_server.api("POST", f"/workshops/{code}/paper-ballots", json=keyed).status_code

    with ThreadPoolExecutor(DESKS) as pool:
        statuses = sorted(pool.map(desk, range(DESKS)))
    assert statuses.count(201) == 1 and statuses.count(409) == DESKS - 1, statuses
    results = live_server.api("GET", f"/workshops/{code}/results").json()
    activity = next(a for a in results["activities"] if a["id"] == vote)
    assert activity["ballots"] == 1 and activity["items"][0]["score"] == 1
