"""Channels through the API: paper ballots, assisted entry, sticker counts, the online
window, room defaults; and the channel tally against a recount (hypothesis)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.voting import ChannelTally, ScoringRules, item_channels

GROUPS = ["residents", "academia"]


def _iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


def _codes(client, code: str, activity_id: int, token: str, count: int = 5) -> list[str]:
    page = client.get(
        f"/api/v1/workshops/{code}/activities/{activity_id}/paper-ballots.html?count={count}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert page.status_code == 200
    return list(dict.fromkeys(re.findall(r'<p class="code">(\d{4}-\d{2})</p>', page.text)))


def _statements(api, room, texts):
    token = api.join(room["code"], "residents")
    ids = []
    for n, text in enumerate(texts):
        response = api.statement(room["code"], token, room["brainstorm"], text, f"s{n}")
        ids.append(response.json["id"])
    return ids


def _vote_item(api, code, activity_id, statement_id):
    results = api.get(f"/workshops/{code}/results").json
    activity = next(a for a in results["activities"] if a["id"] == activity_id)
    return activity, next(i for i in activity["items"] if i["statement_id"] == statement_id)


def test_paper_ballot_counts_like_a_phone_and_is_keyed_once(api, room, client):
    code = room["code"]
    first, second = _statements(api, room, ["Bus lanes", "Trees on Tha Kraw road"])
    api.open(code, room["vote"])
    phone = api.join(code, "residents")
    assert api.vote(code, phone, room["vote"], {first: 2, second: 1}, "v1").status_code == 200
    codes = _codes(client, code, room["vote"], api.token)
    assert len(codes) == 5
    path = f"/workshops/{code}/paper-ballots"
    body = {"activity_id": room["vote"], "ballot_code": codes[0], "group": "academia"}
    keyed = api.post(path, {**body, "dots": {str(first): 3}})
    assert keyed.status_code == 201, keyed.json
    assert keyed.json["channel"] == "paper"
    again = api.post(path, {**body, "dots": {str(second): 1}})
    assert again.status_code == 409
    assert again.json["error"]["code"] == "ballot_code_used"

    activity, item = _vote_item(api, code, room["vote"], first)
    assert item["score"] == 5
    assert item["by_group"]["academia"] == 3 and item["by_group"]["residents"] == 2
    assert item["by_channel"]["paper"] == 0.6 and item["by_channel"]["room"] == 0.4
    assert item["channel_points"]["paper"] == 3
    assert activity["ballots"] == 2
    assert activity["ballots_by_channel"]["paper"] == 1
    assert activity["ballots_by_channel"]["room"] == 1
    # A paper ballot is not a person present.
    presence = api.get(f"/workshops/{code}/results").json["participants"]
    assert presence["by_group"]["academia"] == 0


def test_invalid_paper_ballots_store_nothing(api, room, client):
    code = room["code"]
    (first,) = _statements(api, room, ["Bus lanes"])
    codes = _codes(client, code, room["vote"], api.token)
    path = f"/workshops/{code}/paper-ballots"
    base = {"activity_id": room["vote"], "group": "residents"}
    wrong_check = codes[0][:-2] + ("00" if codes[0][-2:] != "00" else "01")
    for body, status in [
        ({**base, "ballot_code": wrong_check, "dots": {str(first): 1}}, 422),
        ({**base, "ballot_code": "hello", "dots": {str(first): 1}}, 422),
        ({**base, "ballot_code": codes[0], "dots": {str(first): 9}}, 422),  # over max per item
        ({**base, "ballot_code": codes[0], "dots": {"999999": 1}}, 422),
        ({**base, "ballot_code": codes[0], "group": "aliens", "dots": {str(first): 1}}, 422),
        ({**base, "ballot_code": codes[0]}, 422),
        ({**base, "ballot_code": codes[0], "activity_id": room["brainstorm"]}, 422),
    ]:
        response = api.post(path, body)
        assert response.status_code == status, (body, response.json)
        assert set(response.json["error"]) >= {"code", "message"}
    activity, item = _vote_item(api, code, room["vote"], first)
    assert item["score"] == 0 and activity["ballots"] == 0
    listed = api.get(f"{path}?activity_id={room['vote']}").json
    assert listed["count"] == 0
    # The code is still free, and an attendee may not key paper ballots.
    ok = api.post(path, {**base, "ballot_code": codes[0], "dots": {str(first): 1}})
    assert ok.status_code == 201
    phone = api.join(code)
    refused = api.post(path, {**base, "ballot_code": codes[1], "dots": {}}, token=phone)
    assert refused.status_code == 403


def test_undo_last_paper_ballot(api, room, client):
    code = room["code"]
    (first,) = _statements(api, room, ["Bus lanes"])
    codes = _codes(client, code, room["vote"], api.token)
    path = f"/workshops/{code}/paper-ballots"
    body = {"activity_id": room["vote"], "ballot_code": codes[2], "group": "residents"}
    assert api.post(path, {**body, "dots": {str(first): 2}}).status_code == 201
    undone = api.client.delete(
        f"/api/v1{path}/{codes[2]}?activity_id={room['vote']}", headers=api.headers()
    )
    assert undone.status_code == 200
    _, item = _vote_item(api, code, room["vote"], first)
    assert item["score"] == 0
    assert api.post(path, {**body, "dots": {str(first): 1}}).status_code == 201


def test_paper_and_phone_equal_an_independent_recount(api, room, client):
    """Mixed phone and paper ballots of an agree vote: the live tally, the results and a
    count by hand of what was sent agree."""
    code = room["code"]
    ids = _statements(api, room, ["Bus lanes", "Trees", "Night market"])
    agree = api.activity(code, kind="agree", prompt="Agree?", source_activity_id=room["brainstorm"])
    api.open(code, agree["id"])
    codes = _codes(client, code, agree["id"], api.token, count=6)
    sent = []  # (group, channel, answers)
    pattern = [1, -1, 0, 1, 1, -1]
    for n in range(6):
        group = GROUPS[n % 2]
        answers = {ids[k]: pattern[(n + k) % 6] for k in range(3)}
        if n % 3 == 0:
            body = {
                "activity_id": agree["id"],
                "ballot_code": codes[n],
                "group": group,
                "answers": {str(k): v for k, v in answers.items()},
            }
            assert api.post(f"/workshops/{code}/paper-ballots", body).status_code == 201
            sent.append((group, "paper", answers))
        else:
            token = api.join(code, group)
            body = {"activity_id": agree["id"], "client_id": f"a{n}", "answers": answers}
            assert api.post(f"/workshops/{code}/votes", body, token=token).status_code == 200
            sent.append((group, "room", answers))
    results = api.get(f"/workshops/{code}/results").json
    activity = next(a for a in results["activities"] if a["id"] == agree["id"])
    for item in activity["items"]:
        sid = item["statement_id"]
        agree_n = sum(1 for _, _, a in sent if a[sid] == 1)
        disagree_n = sum(1 for _, _, a in sent if a[sid] == -1)
        assert (item["agree"], item["disagree"]) == (agree_n, disagree_n)
        for group in GROUPS:
            by_hand = sum(1 for g, _, a in sent if g == group and a[sid] == 1)
            assert item["by_group"][group]["agree"] == by_hand
        assert item["channel_points"]["paper"] == sum(1 for _, c, _ in sent if c == "paper")
    assert activity["ballots_by_channel"]["paper"] == 2
    assert activity["ballots_by_channel"]["room"] == 4


def test_online_window_takes_ballots_until_its_end(api, room):
    code = room["code"]
    (first,) = _statements(api, room, ["Bus lanes"])
    api.open(code, room["vote"])
    phone = api.join(code)
    assert api.vote(code, phone, room["vote"], {first: 1}, "room-1").status_code == 200
    api.post(f"/workshops/{code}/activities/{room['vote']}/state", {"state": "closed"})
    late = api.join(code)
    closed = api.vote(code, late, room["vote"], {first: 2}, "late-1")
    assert closed.status_code == 409
    path = f"/workshops/{code}/activities/{room['vote']}"
    opened = api.client.patch(
        f"/api/v1{path}", json={"online_until": _iso(timedelta(hours=2))}, headers=api.headers()
    )
    assert opened.status_code == 200 and opened.json["online_open"] is True
    state = api.get(f"/workshops/{code}/state", token=late).json
    assert state["current_activity"]["id"] == room["vote"]
    assert state["current_activity"]["state"] == "open"
    assert api.vote(code, late, room["vote"], {first: 2}, "late-2").status_code == 200
    _, item = _vote_item(api, code, room["vote"], first)
    assert item["channel_points"] == {**item["channel_points"], "online": 2, "room": 1}
    # After the window: refused by the server, nothing changes.
    ended = api.client.patch(
        f"/api/v1{path}", json={"online_until": _iso(-timedelta(seconds=1))}, headers=api.headers()
    )
    assert ended.status_code == 200 and ended.json["online_open"] is False
    after = api.vote(code, late, room["vote"], {first: 3}, "late-3")
    assert after.status_code == 409
    assert after.json["error"]["code"] == "online_closed"
    _, item = _vote_item(api, code, room["vote"], first)
    assert item["score"] == 3
    bad = api.client.patch(f"/api/v1{path}", json={"online_until": "soon"}, headers=api.headers())
    assert bad.status_code == 422


def test_helper_registers_assisted_attendees(api, room):
    code = room["code"]
    (first,) = _statements(api, room, ["Bus lanes"])
    api.open(code, room["vote"])
    helper = api.post(f"/workshops/{code}/helpers", {"label": "desk 1"})
    assert helper.status_code == 201 and "/helper" in helper.json["helper_url"]
    body = {"assisted": True, "group": "academia", "name": "ยายสมศรี"}
    refused = api.post(f"/workshops/{code}/participants", body, token="")
    assert refused.status_code == 401
    joined = api.post(f"/workshops/{code}/participants", body, token=helper.json["token"])
    assert joined.status_code == 201 and joined.json["assisted"] is True
    vote = api.vote(code, joined.json["token"], room["vote"], {first: 2}, "h1")
    assert vote.status_code == 200
    activity, item = _vote_item(api, code, room["vote"], first)
    assert item["channel_points"]["assisted"] == 2 and item["by_channel"]["assisted"] == 1.0
    assert activity["ballots_by_channel"]["assisted"] == 1


def test_sticker_counts_add_dots_but_no_ballots(api, room):
    code = room["code"]
    first, second = _statements(api, room, ["Bus lanes", "Trees"])
    before = api.get(f"/workshops/{code}/results").json["participants"]["total"]
    path = f"/workshops/{code}/paper-counts"
    body = {"activity_id": room["vote"], "group": "residents", "counts": {str(first): 14}}
    sheet = api.post(path, {**body, "counts": {str(first): 14, str(second): 0}})
    assert sheet.status_code == 201 and sheet.json["channel"] == "paper_aggregate"
    activity, item = _vote_item(api, code, room["vote"], first)
    assert item["score"] == 14 and item["by_channel"]["paper_aggregate"] == 1.0
    assert activity["ballots"] == 0 and activity["ballots_by_channel"]["paper_aggregate"] == 1
    assert api.get(f"/workshops/{code}/results").json["participants"]["total"] == before
    agree = api.activity(code, kind="agree", prompt="Agree?", source_activity_id=room["brainstorm"])
    for bad in [
        {**body, "activity_id": agree["id"]},
        {**body, "counts": {str(first): -1}},
        {**body, "counts": {"12345": 1}},
        {**body, "counts": {str(first): 0}},
        {**body, "group": "aliens"},
    ]:
        assert api.post(path, bad).status_code == 422, bad
    _, item = _vote_item(api, code, room["vote"], first)
    assert item["score"] == 14


def test_room_defaults(api):
    workshop = api.workshop(results_hidden_by_default=True, moderation="pre")
    assert workshop["results_hidden_by_default"] is True and workshop["moderation"] == "pre"
    code = workshop["code"]
    brainstorm = api.activity(code, kind="brainstorm", prompt="Ideas?")
    vote = api.activity(code, kind="dot_vote", prompt="Vote", source_activity_id=brainstorm["id"])
    assert vote["projector_results"] is False and vote["results_revealed"] is False
    api.open(code, brainstorm["id"])
    phone = api.join(code)
    pending = api.statement(code, phone, brainstorm["id"], "My phone is 081", "c1")
    assert pending.status_code == 201
    assert api.get(f"/workshops/{code}/state", token=phone).json["statements"] == []
    changed = api.client.patch(
        f"/api/v1/workshops/{code}",
        json={"results_hidden_by_default": False, "moderation": "post"},
        headers=api.headers(),
    )
    assert changed.status_code == 200 and changed.json["moderation"] == "post"
    shown = next(a for a in changed.json["activities"] if a["id"] == vote["id"])
    assert shown["projector_results"] is True
    bad = api.client.patch(
        f"/api/v1/workshops/{code}", json={"moderation": "later"}, headers=api.headers()
    )
    assert bad.status_code == 422


def test_entry_and_print_pages_need_a_facilitator(api, room, client):
    page = client.get(
        f"/api/v1/workshops/{room['code']}/activities/{room['vote']}/paper-ballots.html"
    )
    assert page.status_code == 401
    codes = _codes(client, room["code"], room["vote"], api.token, count=3)
    assert len(codes) == 3
    assert client.get(f"/facilitator/w/{room['code']}/paper/{room['vote']}").status_code == 302


ENTRIES = st.dictionaries(st.integers(1, 4), st.integers(1, 3), max_size=4)
CHANNEL = st.sampled_from(["room", "paper", "assisted", "online", "paper_aggregate"])
WRITE = st.tuples(st.integers(0, 5), st.sampled_from(GROUPS), CHANNEL, ENTRIES)


@settings(max_examples=150, deadline=None)
@given(st.lists(WRITE, max_size=40))
def test_channel_tally_live_equals_recount(writes):
    """Ballots replaced in any order, moving between channels: the running tally equals a
    recount of the final ballots, in total and per channel, and shares add up."""
    live = ChannelTally()
    ballots: dict[int, tuple[str, str, dict]] = {}
    for person, group, channel, entries in writes:
        group = ballots[person][0] if person in ballots else group
        old_channel, old = (
            (ballots[person][1], ballots[person][2])
            if person in ballots
            else (
                channel,
                {},
            )
        )
        live.replace(group, old, entries, channel, old_channel)
        ballots[person] = (group, channel, entries)
    recount = ChannelTally.from_channel_ballots(ballots.values())
    assert live.snapshot() == recount.snapshot()
    names = set(live.channels) | set(recount.channels)
    for name in names:
        assert live.channel(name).snapshot() == recount.channel(name).snapshot()
    rules = ScoringRules(kind="dot_vote", groups=GROUPS)
    for item in range(1, 5):
        shares, parts = item_channels(live, item, rules)
        total = sum(entries.get(item, 0) for _, _, entries in ballots.values())
        assert sum(parts.values()) == total
        if total:
            assert abs(sum(shares.values()) - 1) < 0.001


def test_results_page_plan_and_exports_say_of_which_on_paper(api, room, client, app):
    from tests.test_pages import login

    code = room["code"]
    goals = api.activity(code, kind="brainstorm", prompt="Goals?", plan_section="goals")
    vote = api.activity(code, kind="dot_vote", prompt="Vote", source_activity_id=goals["id"])
    api.open(code, goals["id"])
    room = {**room, "brainstorm": goals["id"], "vote": vote["id"]}
    first, second = _statements(api, room, ["Bus lanes", "Trees"])
    api.open(code, room["vote"])
    phone = api.join(code)
    assert api.vote(code, phone, room["vote"], {first: 2}, "v1").status_code == 200
    codes = _codes(client, code, room["vote"], api.token)
    for ballot in codes[:3]:
        body = {"activity_id": room["vote"], "ballot_code": ballot, "group": "academia"}
        assert api.post(f"/workshops/{code}/paper-ballots", {**body, "dots": {str(first): 1}})
    markdown = api.get(f"/workshops/{code}/export?format=md").get_data(as_text=True)
    assert "of which 3 on paper" in markdown and "บัตรกระดาษ 3" in markdown
    html = api.get(f"/workshops/{code}/export?format=html").get_data(as_text=True)
    assert "of which 3 on paper" in html
    login(client)
    page = client.get(f"/facilitator/w/{code}/results?lang=en").get_data(as_text=True)
    assert "4 ballots (of which 3 on paper)" in page
    assert "1 ballots" in page or "0 ballots" in page  # the room's other vote: no note
    thai = client.get(f"/facilitator/w/{code}/results?lang=th").get_data(as_text=True)
    assert "ในจำนวนนี้ บัตรกระดาษ 3" in thai
    drafted = api.post(f"/workshops/{code}/plan/draft", {})
    assert drafted.status_code in (200, 201), drafted.json
    plan_page = client.get(f"/facilitator/w/{code}/plan?lang=en").get_data(as_text=True)
    assert "(of which 3 on paper)" in plan_page


def test_poster_and_line_share_links(api, room, client):
    from urllib.parse import unquote

    from tests.test_pages import login

    code = room["code"]
    api.client.patch(
        f"/api/v1/workshops/{code}/activities/{room['vote']}",
        json={"online_until": _iso(timedelta(days=3))},
        headers=api.headers(),
    )
    join_url = api.get(f"/workshops/{code}").json["join_url"]
    assert "?t=" in join_url
    login(client)
    poster = client.get(f"/facilitator/w/{code}/poster?lang=en").get_data(as_text=True)
    assert "<svg" in poster and code in poster and "Vote online until" in poster
    share = re.search(r'href="(https://line\.me/R/share\?text=[^"]+)"', poster)
    assert share and join_url in unquote(share.group(1).replace("&amp;", "&"))
    # Nothing is loaded from another host: the LINE link is a plain link.
    assert not re.search(r'(src|href)="https?://(?!line\.me/R/share)', poster.replace(join_url, ""))
    panel = client.get(f"/facilitator/w/{code}").get_data(as_text=True)
    assert "https://line.me/R/share?text=" in panel and f"/facilitator/w/{code}/poster" in panel
    city = client.get("/cities/lampang").get_data(as_text=True)
    assert "https://line.me/R/share?text=" in city


def test_panel_opens_and_ends_the_online_window(api, room, client):
    from tests.test_pages import csrf, login

    code, vote = room["code"], room["vote"]
    login(client)
    panel = client.get(f"/facilitator/w/{code}?lang=th")
    assert f"/facilitator/w/{code}/online/{vote}" in panel.get_data(as_text=True)
    url = f"/facilitator/w/{code}/online/{vote}"
    refused = client.post(url, data={"csrf_token": csrf(panel.data), "value": "400"})
    assert refused.status_code == 302
    activity = next(a for a in api.get(f"/workshops/{code}").json["activities"] if a["id"] == vote)
    assert activity["online_until"] is None
    client.post(url, data={"csrf_token": csrf(panel.data), "value": "7"})
    activity = next(a for a in api.get(f"/workshops/{code}").json["activities"] if a["id"] == vote)
    until = datetime.fromisoformat(activity["online_until"]).replace(tzinfo=UTC)
    assert timedelta(days=6, hours=23) < until - datetime.now(UTC) <= timedelta(days=7)
    page = client.get(f"/facilitator/w/{code}?lang=th").get_data(as_text=True)
    assert "เปิดลงคะแนนออนไลน์ถึง" in page and str(until.year + 543) in page
    client.post(url, data={"csrf_token": csrf(panel.data), "value": "0"})
    activity = next(a for a in api.get(f"/workshops/{code}").json["activities"] if a["id"] == vote)
    assert activity["online_until"] is None and activity["online_open"] is False
