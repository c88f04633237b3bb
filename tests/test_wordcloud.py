"""Word cloud activities through the HTTP API and Socket.IO: terms, limits, hiding, results."""

from __future__ import annotations

import pytest

from tests.conftest import events
from workshop.voting.wordcloud import term


def open_cloud(api, room, **fields):
    cloud = api.activity(room["code"], kind="wordcloud", prompt="One word for the city", **fields)
    api.open(room["code"], cloud["id"])
    return cloud


def send(api, room, token, activity_id, client_id, words):
    return api.post(
        f"/workshops/{room['code']}/votes",
        {"activity_id": activity_id, "client_id": client_id, "words": words},
        token=token,
    )


def cloud_of(api, room, activity_id):
    results = api.get(f"/workshops/{room['code']}/results").json
    return next(a for a in results["activities"] if a["id"] == activity_id)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("สวน สาธารณะครับ", "สวนสาธารณะ"),
        ("สวนสาธารณะ!!", "สวนสาธารณะค่ะ"),
        ("Bike  Lanes", "bike-lanes"),
        ("ตลาดน้ำ นะคะ", "ตลาดน้ำ"),
    ],
)
def test_spelling_variants_are_one_term(a, b):
    assert term(a) == term(b) != ""


def test_particles_alone_leave_nothing_and_stop_words_only_when_something_is_left():
    assert term("ครับ") == "" and term("!!! ค่ะ") == ""
    assert term("อยากได้สวนสาธารณะ") != term("อยาก")  # a stop word alone still counts
    assert term("ที่") == "ที่"


def test_words_counted_once_per_attendee_with_groups(api, room):
    cloud = open_cloud(api, room)
    assert cloud["max_words"] == 3
    a = api.join(room["code"], "residents")
    b = api.join(room["code"], "residents")
    c = api.join(room["code"], "academia")
    ack = send(api, room, a, cloud["id"], "1", ["สวน สาธารณะครับ", "สวนสาธารณะ", "ตลาด"])
    assert ack.status_code == 200 and ack.json["words"] == sorted(["สวนสาธารณะ", "ตลาด"])
    send(api, room, b, cloud["id"], "1", ["สวนสาธารณะ!"])
    send(api, room, c, cloud["id"], "1", ["ตลาด", "Bike lanes"])
    items = cloud_of(api, room, cloud["id"])["items"]
    by_word = {i["word"]: i for i in items}
    assert by_word["สวนสาธารณะ"]["count"] == 2
    assert by_word["สวนสาธารณะ"]["by_group"]["residents"] == 2
    assert by_word["สวนสาธารณะ"]["top_group"] == "residents"
    assert by_word["ตลาด"]["by_group"] == {**by_word["ตลาด"]["by_group"], "academia": 1}
    assert by_word["bike lanes"]["top_group"] == "academia"
    assert {i["word"] for i in items if i["rank"] == 1} == {"สวนสาธารณะ", "ตลาด"}
    assert items[-1] == {**items[-1], "word": "bike lanes", "rank": 3, "count": 1}
    svg = cloud_of(api, room, cloud["id"])["svg"]
    assert svg.startswith("<svg") and "สวนสาธารณะ" in svg and 'overflow="visible"' in svg
    # A new ballot replaces the old one; the state gives it back as sent.
    send(api, room, a, cloud["id"], "2", ["ตลาด"])
    by_word = {i["word"]: i for i in cloud_of(api, room, cloud["id"])["items"]}
    assert by_word["สวนสาธารณะ"]["count"] == 1 and by_word["ตลาด"]["count"] == 2
    state = api.get(f"/workshops/{room['code']}/state", token=a).json
    assert state["my_ballot"]["words"] == ["ตลาด"]


@pytest.mark.parametrize(
    ("words", "code"),
    [
        (["a", "b", "c", "d"], "too_many_words"),
        (["x" * 41], "invalid_word"),
        ([""], "invalid_word"),
        (["ครับ"], "empty_word"),
        ([3], "invalid_ballot"),
        ("park", "invalid_ballot"),
    ],
)
def test_broken_rules_store_nothing(api, room, words, code):
    cloud = open_cloud(api, room)
    token = api.join(room["code"])
    assert send(api, room, token, cloud["id"], "ok", ["ตลาด"]).status_code == 200
    response = send(api, room, token, cloud["id"], "bad", words)
    assert response.status_code == 422 and response.json["error"]["code"] == code
    state = api.get(f"/workshops/{room['code']}/state", token=token).json
    assert state["my_ballot"]["words"] == ["ตลาด"]
    words_list = api.get(f"/workshops/{room['code']}/activities/{cloud['id']}/words").json
    assert [w["word"] for w in words_list["words"]] == ["ตลาด"]


def test_max_words_is_the_facilitators(api, room):
    cloud = open_cloud(api, room, max_words=1)
    token = api.join(room["code"])
    assert send(api, room, token, cloud["id"], "1", ["a1", "b2"]).status_code == 422
    bad = api.post(
        f"/workshops/{room['code']}/activities",
        {"kind": "wordcloud", "prompt": "x", "max_words": 0},
    )
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid_max_words"
    bad = api.post(
        f"/workshops/{room['code']}/activities", {"kind": "wordcloud", "prompt": "x", "max_pins": 2}
    )
    assert bad.status_code == 422


def test_hiding_a_word_is_audited_and_leaves_the_cloud(api, room):
    cloud = open_cloud(api, room)
    token = api.join(room["code"])
    send(api, room, token, cloud["id"], "1", ["ตลาด", "ขยะ"])
    words = api.get(f"/workshops/{room['code']}/activities/{cloud['id']}/words").json["words"]
    key = next(w["word_key"] for w in words if w["word"] == "ขยะ")
    response = api.client.patch(
        f"/api/v1/workshops/{room['code']}/activities/{cloud['id']}/words/{key}",
        json={"hidden": True},
        headers=api.headers(),
    )
    assert response.status_code == 200 and response.json["hidden"] is True
    result = cloud_of(api, room, cloud["id"])
    assert [i["word"] for i in result["items"]] == ["ตลาด"] and "ขยะ" not in result["svg"]
    audit = api.get(f"/workshops/{room['code']}/audit").json["entries"]
    assert audit[-1]["action"] == "hide_word" and audit[-1]["details"]["word"] == "ขยะ"
    # Attendees cannot hide words.
    response = api.client.patch(
        f"/api/v1/workshops/{room['code']}/activities/{cloud['id']}/words/{key}",
        json={"hidden": False},
        headers=api.headers(token),
    )
    assert response.status_code in (401, 403)


def test_socket_vote_is_idempotent(api, room, sio_client):
    cloud = open_cloud(api, room)
    token = api.join(room["code"], "academia")
    phone = sio_client({"workshop": room["code"], "token": token})
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    payload = {"activity_id": cloud["id"], "client_id": "c1", "words": ["ตลาดน้ำ"]}
    first = phone.emit("vote", payload, callback=True)
    assert first["ok"] and first["changed"] and first["ballot"]["words"] == ["ตลาดน้ำ"]
    again = phone.emit("vote", payload, callback=True)
    assert again["ok"] and not again["changed"] and again["ballot"]["words"] == ["ตลาดน้ำ"]
    bad = phone.emit(
        "vote", {"activity_id": cloud["id"], "client_id": "c2", "words": ["x"] * 9}, callback=True
    )
    assert bad == {"ok": False, "error": bad["error"]} and bad["error"]["code"] == "too_many_words"
    tallies = events(presenter, "tally")
    assert tallies and tallies[-1]["kind"] == "wordcloud"
    assert tallies[-1]["items"][0]["word"] == "ตลาดน้ำ"
