"""rank, agree, rating and poll through the HTTP API and Socket.IO."""

from __future__ import annotations

import pytest

from tests.conftest import events


@pytest.fixture
def ideas(api, room):
    """Three statements in the open brainstorm; returns their ids."""
    author = api.join(room["code"], "academia")
    return [
        api.statement(room["code"], author, room["brainstorm"], text, f"s{i}").json["id"]
        for i, text in enumerate(["park", "bus", "market"])
    ]


def open_activity(api, room, **body):
    activity = api.activity(room["code"], **body)
    api.open(room["code"], activity["id"])
    return activity


def cast(api, room, token, activity_id, client_id, **fields):
    return api.post(
        f"/workshops/{room['code']}/votes",
        {"activity_id": activity_id, "client_id": client_id, **fields},
        token=token,
    )


def results_of(api, room, activity_id):
    results = api.get(f"/workshops/{room['code']}/results").json
    return next(a for a in results["activities"] if a["id"] == activity_id)


def test_rank_borda_and_replacement(api, room, ideas):
    park, bus, market = ideas
    rank = open_activity(
        api, room, kind="rank", prompt="Order", source_activity_id=room["brainstorm"]
    )
    assert rank["top_k"] == 3 and rank["source_activity_id"] == room["brainstorm"]
    a = api.join(room["code"], "residents")
    b = api.join(room["code"], "private_sector")
    assert cast(api, room, a, rank["id"], "1", ranking=[bus, park]).status_code == 200
    assert cast(api, room, b, rank["id"], "1", ranking=[park, market, bus]).json["ranking"] == [
        park,
        market,
        bus,
    ]
    items = results_of(api, room, rank["id"])["items"]
    assert [(i["statement_id"], i["score"]) for i in items] == [(park, 5), (bus, 4), (market, 2)]
    assert items[0]["by_group"]["residents"] == 2 and items[0]["by_group"]["private_sector"] == 3
    # A new ranking replaces the earlier one.
    cast(api, room, a, rank["id"], "2", ranking=[market])
    items = results_of(api, room, rank["id"])["items"]
    assert {i["statement_id"]: i["score"] for i in items} == {park: 3, market: 5, bus: 1}


@pytest.mark.parametrize(
    ("ranking", "code"),
    [
        ("REPEAT", "repeated_statement"),
        ("FOUR", "too_many_ranked"),
        ([999999], "unknown_statement"),
        (["x"], "invalid_ballot"),
        ("notalist", "invalid_ballot"),
    ],
)
def test_bad_rankings_leave_the_ballot(api, room, ideas, ranking, code):
    park, bus, market = ideas
    rank = open_activity(api, room, kind="rank", prompt="Order", top_k=2)
    token = api.join(room["code"])
    assert cast(api, room, token, rank["id"], "ok", ranking=[bus]).status_code == 200
    bad = (
        {"REPEAT": [park, park], "FOUR": [park, bus, market]}.get(ranking, ranking)
        if isinstance(ranking, str)
        else ranking
    )
    response = cast(api, room, token, rank["id"], "bad", ranking=bad)
    assert response.status_code == 422 and response.json["error"]["code"] == code
    state = api.get(f"/workshops/{room['code']}/state", token=token).json
    assert state["my_ballot"]["ranking"] == [bus]


def test_agree_answers_are_per_statement_and_changeable(api, room, ideas):
    park, bus, _ = ideas
    agree = open_activity(api, room, kind="agree", prompt="Agree?")
    token = api.join(room["code"], "residents")
    assert cast(api, room, token, agree["id"], "1", statement_id=park, value=1).status_code == 200
    assert cast(api, room, token, agree["id"], "2", statement_id=bus, value=-1).json["answers"] == {
        str(park): 1,
        str(bus): -1,
    }
    assert cast(api, room, token, agree["id"], "3", statement_id=park, value=0).json["answers"] == {
        str(park): 0,
        str(bus): -1,
    }
    for fields, code in [
        ({"statement_id": park, "value": 2}, "invalid_value"),
        ({"statement_id": park, "value": True}, "invalid_ballot"),
        ({"statement_id": 999999, "value": 1}, "unknown_statement"),
        ({"value": 1}, "invalid_ballot"),
    ]:
        response = cast(api, room, token, agree["id"], f"bad{fields}", **fields)
        assert response.status_code == 422 and response.json["error"]["code"] == code
    state = api.get(f"/workshops/{room['code']}/state", token=token).json
    assert state["my_ballot"]["answers"] == {str(park): 0, str(bus): -1}


def test_agree_consensus_per_group(api, room, ideas):
    park, bus, market = ideas
    agree = open_activity(api, room, kind="agree", prompt="Agree?")
    votes = {
        "local_government": [(1, 1, 1)] * 3,  # agrees with all three
        "residents": [(1, -1, 1), (1, -1, 0), (1, -1, -1)],
        "academia": [(1, 0, 1), (0, 0, 1)],  # two members only: does not qualify
    }
    for group, answers in votes.items():
        for n, triple in enumerate(answers):
            token = api.join(room["code"], group)
            for statement, value in zip(ideas, triple, strict=True):
                assert (
                    cast(
                        api,
                        room,
                        token,
                        agree["id"],
                        f"{n}{statement}",
                        statement_id=statement,
                        value=value,
                    ).status_code
                    == 200
                )
    result = results_of(api, room, agree["id"])
    by_id = {i["statement_id"]: i for i in result["items"]}
    assert by_id[park]["consensus"] == {"level": "consensus", "min_group_agreement": 1.0}
    assert by_id[bus]["consensus"]["level"] == "divisive"
    assert by_id[market]["consensus"] == {
        "level": "mixed",
        "min_group_agreement": pytest.approx(1 / 3, abs=1e-3),
    }
    assert by_id[bus]["by_group"]["residents"] == {"agree": 0, "disagree": 3, "pass": 0}
    assert (by_id[park]["agree"], by_id[park]["pass"]) == (7, 1)
    assert [i["statement_id"] for i in result["items"]] == [park, market, bus]
    # A stricter threshold changes the verdict, live, without new ballots.
    response = api.client.patch(
        f"/api/v1/workshops/{room['code']}",
        json={"consensus": {"threshold": 0.7, "min_group_members": 2}},
        headers=api.headers(),
    )
    assert response.status_code == 200
    result = results_of(api, room, agree["id"])
    park_item = next(i for i in result["items"] if i["statement_id"] == park)
    assert park_item["consensus"]["level"] == "mixed"  # academia now qualifies at 0.5


def test_rating_statistics(api, room, ideas):
    park, bus, _ = ideas
    rating = open_activity(api, room, kind="rating", prompt="How important?")
    for n, (p, b) in enumerate([(5, 1), (4, 2), (4, 3)]):
        token = api.join(room["code"], "residents")
        assert (
            cast(
                api, room, token, rating["id"], f"r{n}", ratings={str(park): p, str(bus): b}
            ).status_code
            == 200
        )
    items = results_of(api, room, rating["id"])["items"]
    top = items[0]
    assert top["statement_id"] == park and top["mean"] == pytest.approx(4.333, abs=1e-3)
    assert top["median"] == 4.0 and top["count"] == 3
    assert items[1]["statement_id"] == bus and items[1]["median"] == 2.0
    token = api.join(room["code"])
    response = cast(api, room, token, rating["id"], "bad", ratings={str(park): 6})
    assert response.status_code == 422


def test_poll_single_and_multiple(api, room):
    poll = open_activity(
        api, room, kind="poll", prompt="Next meeting?", options=["Monday", "Wednesday", "Saturday"]
    )
    assert [o["text"] for o in poll["options"]] == ["Monday", "Wednesday", "Saturday"]
    monday, wednesday, saturday = (o["id"] for o in poll["options"])
    token = api.join(room["code"], "residents")
    assert cast(api, room, token, poll["id"], "1", choices=[saturday]).json["choices"] == [saturday]
    response = cast(api, room, token, poll["id"], "2", choices=[monday, wednesday])
    assert response.status_code == 422 and response.json["error"]["code"] == "too_many_choices"
    state = api.get(f"/workshops/{room['code']}/state", token=token).json
    assert [s["text"] for s in state["statements"]] == ["Monday", "Wednesday", "Saturday"]
    assert state["my_ballot"]["choices"] == [saturday]
    multi = open_activity(
        api, room, kind="poll", prompt="Which days?", options=["a", "b"], multiple=True
    )
    a, b = (o["id"] for o in multi["options"])
    assert cast(api, room, token, multi["id"], "3", choices=[a, b]).status_code == 200
    response = cast(api, room, token, multi["id"], "4", choices=[monday])
    assert response.json["error"]["code"] == "unknown_option"
    items = results_of(api, room, multi["id"])["items"]
    assert [(i["text"], i["score"]) for i in items] == [("a", 1), ("b", 1)]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "poll", "prompt": "x", "options": ["only one"]},
        {"kind": "poll", "prompt": "x", "options": ["a", "a"]},
        {"kind": "poll", "prompt": "x"},
        {"kind": "poll", "prompt": "x", "options": ["a", "b"], "source_activity_id": 1},
        {"kind": "rank", "prompt": "x", "top_k": 0},
        {"kind": "rank", "prompt": "x", "dots": 5},
        {"kind": "agree", "prompt": "x", "options": ["a", "b"]},
        {"kind": "rating", "prompt": "x", "top_k": 2},
    ],
)
def test_bad_new_kinds_are_refused(api, room, body):
    response = api.post(f"/workshops/{room['code']}/activities", body)
    assert response.status_code == 422, response.json


def test_wrong_field_for_kind_changes_nothing(api, room, ideas):
    rank = open_activity(api, room, kind="rank", prompt="Order")
    token = api.join(room["code"])
    response = cast(api, room, token, rank["id"], "x", dots={str(ideas[0]): 1})
    assert response.status_code == 422 and "ranking" in response.json["error"]["message"]
    assert api.get(f"/workshops/{room['code']}/state", token=token).json["my_ballot"] is None


def test_live_tally_over_socket_matches_results(api, room, ideas, sio_client):
    park, bus, market = ideas
    agree = open_activity(api, room, kind="agree", prompt="Agree?")
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    for group in ("residents", "local_government"):
        for n in range(3):
            phone = sio_client({"workshop": room["code"], "token": api.join(room["code"], group)})
            ack = phone.emit(
                "vote",
                {
                    "activity_id": agree["id"],
                    "client_id": f"{group}{n}",
                    "statement_id": park,
                    "value": 1,
                },
                callback=True,
            )
            assert ack["ok"] and ack["ballot"]["answers"] == {str(park): 1}
    tally = events(presenter, "tally")[-1]
    assert tally["kind"] == "agree"
    live = {i["statement_id"]: i for i in tally["items"]}
    assert live[park]["consensus"]["level"] == "consensus"
    assert live[bus]["consensus"]["level"] == "insufficient"
    stored = results_of(api, room, agree["id"])
    assert [i["statement_id"] for i in stored["items"]] == [
        i["statement_id"] for i in tally["items"]
    ]
    assert stored["items"][0]["by_group"] == tally["items"][0]["by_group"]


def test_live_tally_is_not_recounted(app, api, room, ideas, sio_client):
    """After the first snapshot the tally is updated per ballot, not rebuilt from the database."""
    from workshop.live import tallies

    park = ideas[0]
    vote = room["vote"]
    api.open(room["code"], vote)
    sio_client({"workshop": room["code"], "role": "presenter"})
    loads = []
    original = tallies.load_tally

    def counting(activity_id):
        loads.append(activity_id)
        return original(activity_id)

    tallies.load_tally = counting
    try:
        for n in range(5):
            token = api.join(room["code"])
            assert api.vote(room["code"], token, vote, {park: 1}, f"v{n}").status_code == 200
    finally:
        tallies.load_tally = original
    assert loads.count(vote) <= 1
    with app.app_context():
        live = tallies.live_tallies().get(vote)
        assert sum(live.counts[park]["residents"].values()) == 5
