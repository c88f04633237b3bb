"""Joins committed in batches (workshop/live/join_queue.py) on a real gevent server: a hall joining
at once gets one participant each, every token works, nothing half-stored; a bad join is
refused alone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from workshop.live.join_queue import JoinQueue


def test_a_hall_joining_at_once_gets_one_participant_each(live_server):
    api = live_server.api
    code = api("POST", "/workshops", json={"title": "Doors open"}).json()["code"]
    url = f"{live_server.url}/api/v1/workshops/{code}/participants"
    groups = ["residents", "academia", "nope", "private_sector"] * 20  # past the pool (15)

    def join(group: str) -> requests.Response:
        return requests.post(url, json={"group": group}, timeout=30)

    with ThreadPoolExecutor(max_workers=80) as pool:
        answers = list(pool.map(join, groups))
    refused = [a for a, g in zip(answers, groups, strict=True) if g == "nope"]
    joined = [a for a, g in zip(answers, groups, strict=True) if g != "nope"]
    assert all(
        a.status_code == 422 and a.json()["error"]["code"] == "invalid_group" for a in refused
    )
    assert all(a.status_code == 201 for a in joined), [a.text for a in joined]
    ids = [a.json()["participant_id"] for a in joined]
    assert len(set(ids)) == len(joined) == 60
    for answer in joined:
        body = answer.json()
        state = api("GET", f"/workshops/{code}/state", token=body["token"]).json()
        assert state["me"]["participant_id"] == body["participant_id"]
        assert state["me"]["group"] == body["group"]
    counts = api("GET", f"/workshops/{code}/results").json()["participants"]
    assert counts["total"] == 60 and counts["by_group"]["academia"] == 20


def test_a_closed_queue_answers_busy_and_stores_nothing(app, api, room):
    queue: JoinQueue = app.extensions["workshop_join_queue"]
    queue.close()
    response = api.post(f"/workshops/{room['code']}/participants", {"group": "residents"}, token="")
    assert response.status_code == 503 and response.json["error"]["code"] == "busy"
    assert api.get(f"/workshops/{room['code']}/results").json["participants"]["total"] == 0
    # A bad join is still told what is wrong, not busy.
    response = api.post(f"/workshops/{room['code']}/participants", {"group": "nope"}, token="")
    assert response.status_code == 422
