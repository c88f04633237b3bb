"""Channels over Socket.IO: the online window through the same `vote` event, and the live
tally (paper, stickers, helpers, phones, a ballot moving from the room to online) equal to
a recount from the database."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.conftest import events

FIELDS = ("statement_id", "score", "by_group", "by_channel", "channel_points")


def _iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


def _items(activity: dict) -> list[dict]:
    return sorted(({k: i[k] for k in FIELDS} for i in activity["items"]), key=str)


def test_live_tally_of_every_channel_equals_the_recount(api, room, sio_client, client):
    code, vote = room["code"], room["vote"]
    author = api.join(code, "academia")
    ids = []
    for n, text in enumerate(["สวนสาธารณะ", "รถเมล์", "ตลาด"]):
        made = api.statement(code, author, room["brainstorm"], text, f"s{n}")
        ids.append(made.json["id"])
    api.open(code, vote)
    facilitator = sio_client({"workshop": code, "role": "facilitator", "token": api.token})
    phones = [api.join(code, g) for g in ("residents", "residents", "academia")]
    sockets = [sio_client({"workshop": code, "token": t}) for t in phones]

    def cast(index: int, dots: dict, client_id: str) -> dict:
        payload = {"activity_id": vote, "client_id": client_id, "dots": dots}
        return sockets[index].emit("vote", payload, callback=True)

    assert cast(0, {str(ids[0]): 3}, "a")["ok"]
    assert cast(1, {str(ids[1]): 2, str(ids[2]): 1}, "b")["ok"]
    # Paper, a sticker sheet and an assisted attendee, while the vote is open.
    page = client.get(
        f"/api/v1/workshops/{code}/activities/{vote}/paper-ballots.html?count=2",
        headers=api.headers(),
    )
    paper = re.findall(r'<p class="code">(\d{4}-\d{2})</p>', page.text)
    body = {"activity_id": vote, "ballot_code": paper[0], "group": "academia"}
    assert api.post(f"/workshops/{code}/paper-ballots", {**body, "dots": {str(ids[2]): 3}})
    sheet = {"activity_id": vote, "group": "residents", "counts": {str(ids[0]): 7}}
    assert api.post(f"/workshops/{code}/paper-counts", sheet).status_code == 201
    helper = api.post(f"/workshops/{code}/helpers", {}).json["token"]
    assisted = api.post(
        f"/workshops/{code}/participants", {"assisted": True, "group": "residents"}, token=helper
    ).json["token"]
    helped = sio_client({"workshop": code, "token": assisted})
    ack = helped.emit("vote", {"activity_id": vote, "client_id": "h", "dots": {str(ids[1]): 1}},
                      callback=True)  # fmt: skip
    assert ack["ok"], ack
    # The room closes; the vote stays open online for an hour.
    api.post(f"/workshops/{code}/activities/{vote}/state", {"state": "closed"})
    closed = cast(2, {str(ids[0]): 1}, "c0")
    assert closed["ok"] is False and closed["error"]["code"] == "activity_closed"
    window = api.client.patch(
        f"/api/v1/workshops/{code}/activities/{vote}",
        json={"online_until": _iso(timedelta(hours=1))},
        headers=api.headers(),
    )
    assert window.status_code == 200
    assert cast(2, {str(ids[0]): 1, str(ids[2]): 2}, "c1")["ok"]  # a new ballot, online
    assert cast(0, {str(ids[1]): 3}, "a2")["ok"]  # a room ballot changed online
    facilitator.get_received()
    late_paper = {**body, "ballot_code": paper[1], "dots": {str(ids[1]): 1}}
    assert api.post(f"/workshops/{code}/paper-ballots", late_paper).status_code == 201
    live = events(facilitator, "tally")
    assert live, "the facilitator gets a tally after each change"
    recount = next(
        a for a in api.get(f"/workshops/{code}/results").json["activities"] if a["id"] == vote
    )
    assert _items(live[-1]) == _items(recount)
    assert recount["ballots_by_channel"] == {
        "room": 1,
        "paper": 2,
        "assisted": 1,
        "online": 2,
        "paper_aggregate": 1,
    }
    points = {i["statement_id"]: i["channel_points"] for i in recount["items"]}
    assert points[ids[0]]["paper_aggregate"] == 7 and points[ids[0]]["online"] == 1
    assert points[ids[1]] == {**points[ids[1]], "room": 2, "online": 3, "assisted": 1, "paper": 1}
    # The window ends: the server refuses, whatever the phone thinks.
    api.client.patch(
        f"/api/v1/workshops/{code}/activities/{vote}",
        json={"online_until": _iso(-timedelta(minutes=1))},
        headers=api.headers(),
    )
    late = cast(2, {str(ids[1]): 1}, "c2")
    assert late["ok"] is False and late["error"]["code"] == "online_closed"
