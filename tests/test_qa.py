"""Q&A activities: questions are statements of the qa activity, upvotes are ballots."""

from __future__ import annotations

from tests.conftest import events


def open_qa(api, room):
    qa = api.activity(room["code"], kind="qa", prompt="Questions for the mayor")
    api.open(room["code"], qa["id"])
    return qa


def upvote(api, room, token, activity_id, client_id, statement_id, value=1):
    return api.post(
        f"/workshops/{room['code']}/votes",
        {
            "activity_id": activity_id,
            "client_id": client_id,
            "statement_id": statement_id,
            "value": value,
        },
        token=token,
    )


def qa_results(api, room, activity_id):
    results = api.get(f"/workshops/{room['code']}/results").json
    return next(a for a in results["activities"] if a["id"] == activity_id)


def patch(api, room, statement_id, **body):
    return api.client.patch(
        f"/api/v1/workshops/{room['code']}/statements/{statement_id}",
        json=body,
        headers=api.headers(),
    )


def test_questions_upvotes_states_and_groups(api, room, sio_client):
    qa = open_qa(api, room)
    asker = api.join(room["code"], "residents", name="Somchai")
    q1 = api.statement(room["code"], asker, qa["id"], "งบประมาณมาจากไหน", "q1").json
    q2 = api.statement(room["code"], asker, qa["id"], "When does the bus start?", "q2").json
    assert q1["qa_state"] == "open"
    a = api.join(room["code"], "academia")
    b = api.join(room["code"], "residents")
    assert upvote(api, room, a, qa["id"], "1", q2["id"]).json["upvotes"] == [q2["id"]]
    assert upvote(api, room, b, qa["id"], "1", q2["id"]).status_code == 200
    assert upvote(api, room, b, qa["id"], "2", q1["id"]).json["upvotes"] == [q1["id"], q2["id"]]
    # One vote each: again changes nothing; 0 withdraws.
    again = upvote(api, room, a, qa["id"], "3", q2["id"])
    assert again.status_code == 200 and again.json["upvotes"] == [q2["id"]]
    items = qa_results(api, room, qa["id"])["items"]
    assert [(i["statement_id"], i["votes"]) for i in items] == [(q2["id"], 2), (q1["id"], 1)]
    assert items[0]["by_group"]["academia"] == 1 and items[0]["by_group"]["residents"] == 1
    assert upvote(api, room, b, qa["id"], "4", q2["id"], 0).json["upvotes"] == [q1["id"]]
    items = qa_results(api, room, qa["id"])["items"]
    assert {i["statement_id"]: i["votes"] for i in items} == {q1["id"]: 1, q2["id"]: 1}
    # The facilitator marks the queue; one question is current at a time.
    presenter = sio_client({"workshop": room["code"], "role": "presenter"})
    assert patch(api, room, q1["id"], qa_state="current").status_code == 200
    assert patch(api, room, q2["id"], qa_state="current").json["id"] == q2["id"]
    states = {i["statement_id"]: i["qa_state"] for i in qa_results(api, room, qa["id"])["items"]}
    assert states == {q1["id"]: "open", q2["id"]: "current"}
    patch(api, room, q2["id"], qa_state="answered")
    items = qa_results(api, room, qa["id"])["items"]
    assert items[-1]["statement_id"] == q2["id"] and items[-1]["qa_state"] == "answered"
    tally = events(presenter, "tally")[-1]
    assert tally["kind"] == "qa" and tally["items"][-1]["qa_state"] == "answered"
    # Anonymous to the room: the name never reaches the projector or phones.
    assert "Somchai" not in str(tally) and "Somchai" not in str(events(presenter, "statements"))
    # The facilitator knows who asked.
    detail = api.get(f"/workshops/{room['code']}/statements/{q1['id']}").json
    assert detail["group"] == "residents"
    audit = [e["action"] for e in api.get(f"/workshops/{room['code']}/audit").json["entries"]]
    assert audit.count("qa_state") == 3


def test_broken_upvotes_and_states(api, room):
    token = api.join(room["code"])
    idea = api.statement(room["code"], token, room["brainstorm"], "park", "s").json
    qa = open_qa(api, room)
    q = api.statement(room["code"], token, qa["id"], "Why?", "q").json
    for fields, code in [
        ({"statement_id": q["id"], "value": 2}, "invalid_value"),
        ({"statement_id": 99999, "value": 1}, "unknown_statement"),
        ({"value": 1}, "invalid_ballot"),
        ({"statement_id": q["id"], "value": True}, "invalid_ballot"),
    ]:
        response = api.post(
            f"/workshops/{room['code']}/votes",
            {"activity_id": qa["id"], "client_id": str(fields), **fields},
            token=token,
        )
        assert response.status_code == 422 and response.json["error"]["code"] == code
    assert api.get(f"/workshops/{room['code']}/state", token=token).json["my_ballot"] is None
    assert patch(api, room, q["id"], qa_state="later").status_code == 422
    response = patch(api, room, idea["id"], qa_state="current", hidden=True)
    assert response.status_code == 422 and response.json["error"]["code"] == "not_a_question"
    assert api.get(f"/workshops/{room['code']}/statements/{idea['id']}").json["hidden"] is False


def test_premoderation_and_hiding(api, room):
    qa = open_qa(api, room)
    api.client.patch(
        f"/api/v1/workshops/{room['code']}", json={"premoderation": True}, headers=api.headers()
    )
    token = api.join(room["code"])
    q = api.statement(room["code"], token, qa["id"], "Pending?", "q").json
    state = api.get(f"/workshops/{room['code']}/state", token=token).json
    assert state["statements"] == []
    assert upvote(api, room, token, qa["id"], "1", q["id"]).json["error"]["code"] == (
        "unknown_statement"
    )
    patch(api, room, q["id"], approved=True)
    assert upvote(api, room, token, qa["id"], "2", q["id"]).status_code == 200
    patch(api, room, q["id"], hidden=True)
    assert qa_results(api, room, qa["id"])["items"] == []


def test_socket_upvote_idempotent(api, room, sio_client):
    qa = open_qa(api, room)
    token = api.join(room["code"], "academia")
    phone = sio_client({"workshop": room["code"], "token": token})
    ack = phone.emit(
        "submit", {"activity_id": qa["id"], "text": "ถามหน่อย", "client_id": "s1"}, callback=True
    )
    assert ack["ok"]
    question = ack["statement"]["id"]
    payload = {"activity_id": qa["id"], "client_id": "v1", "statement_id": question, "value": 1}
    first = phone.emit("vote", payload, callback=True)
    assert first["ok"] and first["changed"] and first["ballot"]["upvotes"] == [question]
    assert phone.emit("vote", payload, callback=True)["changed"] is False
    bad = phone.emit("vote", {**payload, "client_id": "v2", "value": 5}, callback=True)
    assert bad["ok"] is False and bad["error"]["code"] == "invalid_value"
