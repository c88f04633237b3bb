"""The projector's opinion map in Chromium: it updates live as the room votes and shows
anonymous dots and group cards, never a participant's name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import PROJECTOR, make_workshop, open_activity

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

IDEAS = [f"ข้อเสนอที่ {i}: ถนนคนเดินย่านเมืองเก่า" for i in range(7)] + ["ปลูกต้นไม้ให้ร่มเงาริมแม่น้ำวัง"]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator:
    """A real gevent server whose opinion map recomputes at most once a second."""
    from tests.live_server import LiveServer

    server = LiveServer(
        tmp_path_factory.mktemp("live-opinions"), env_extra={"WORKSHOP_OPINIONS_INTERVAL": "1"}
    )
    server.prepare()
    server.start()
    yield server
    server.stop()


def _join(live_server, code: str, group: str, name: str) -> str:
    response = live_server.api(
        "POST", f"/workshops/{code}/participants", token="", json={"group": group, "name": name}
    )
    assert response.status_code == 201, response.text
    return response.json()["token"]


def _vote_as_camp(live_server, code, agree, ideas, sign, name, group) -> None:
    token = _join(live_server, code, group, name)
    answers = {s: (sign if i < 4 else -sign) for i, s in enumerate(ideas[:7])}
    answers[ideas[7]] = 1
    for n, (statement, value) in enumerate(answers.items()):
        response = live_server.api(
            "POST",
            f"/workshops/{code}/votes",
            token=token,
            json={
                "activity_id": agree,
                "client_id": f"c{n}",
                "statement_id": statement,
                "value": value,
            },
        )
        assert response.status_code == 200, response.text


def _agree_room(live_server) -> tuple[str, list[int], int]:
    """A workshop whose brainstorm holds IDEAS (by one author) and an open agree vote on it."""
    room = make_workshop(live_server)
    code = room["code"]
    open_activity(live_server, code, room["brainstorm"])
    author = _join(live_server, code, "academia", "ผู้เขียน")
    ideas = [
        live_server.api(
            "POST",
            f"/workshops/{code}/statements",
            token=author,
            json={"activity_id": room["brainstorm"], "text": text, "client_id": f"s{i}"},
        ).json()["id"]
        for i, text in enumerate(IDEAS)
    ]
    agree = live_server.api(
        "POST",
        f"/workshops/{code}/activities",
        json={"kind": "agree", "prompt": "เห็นด้วยหรือไม่?", "source_activity_id": room["brainstorm"]},
    ).json()["id"]
    open_activity(live_server, code, agree)
    return code, ideas, agree


def test_the_projector_draws_the_opinion_groups_live_without_names(live_server, new_context, shot):
    from playwright.sync_api import expect

    code, ideas, agree = _agree_room(live_server)

    projector = new_context(viewport=PROJECTOR, locale="th-TH").new_page()
    projector.goto(f"{live_server.url}/present/{code}?view=opinions")
    projector.evaluate("window.__noReload = true")

    groups = ("residents", "local_government", "private_sector")
    names = []
    for camp, sign in (("ก", 1), ("ข", -1)):
        for n in range(5):
            names.append(f"สมชาย{camp}{n} Somchai{camp}{n}")
            _vote_as_camp(live_server, code, agree, ideas, sign, names[-1], groups[n % 3])

    cards = projector.locator("#opinion-map .om-card")
    expect(cards).to_have_count(2)
    expect(projector.locator("#opinion-map svg.om-dots circle")).to_have_count(10)
    expect(projector.locator("#opinion-map .om-size")).to_have_text(["5 คน", "5 คน"])
    expect(projector.locator("#opinion-map .om-summary li").first).to_contain_text(IDEAS[7])
    expect(projector.locator("#chart")).to_be_hidden()  # the map takes the chart's place
    shot(projector, "projector-opinion-map")

    # Two more people join the first camp: the map follows, the page is not reloaded.
    for n in range(5, 7):
        names.append(f"สมชายก{n} Somchaik{n}")
        _vote_as_camp(live_server, code, agree, ideas, 1, names[-1], groups[n % 3])
    expect(projector.locator("#opinion-map svg.om-dots circle")).to_have_count(12)
    sizes = projector.locator("#opinion-map .om-size")
    expect(sizes.filter(has_text="7 คน")).to_have_count(1)
    expect(sizes.filter(has_text="5 คน")).to_have_count(1)
    assert projector.evaluate("window.__noReload") is True

    page = projector.content()
    assert not any(name in page for name in names)
    assert not any(name.split()[1] in page for name in names)
    assert "ผู้เขียน" not in page


def test_a_phone_sees_its_own_dot_only_when_allowed(live_server, new_context, shot):
    from playwright.sync_api import expect

    from tests.browser.conftest import join

    code, ideas, agree = _agree_room(live_server)
    groups = ("residents", "local_government", "private_sector")
    for camp, sign in (("ก", 1), ("ข", -1)):
        for n in range(5):
            _vote_as_camp(live_server, code, agree, ideas, sign, f"คน{camp}{n}", groups[n % 3])

    phone = new_context(locale="th-TH").new_page()
    join(phone, live_server.url, code, "civil_society")
    expect(phone.locator("#agree-one")).to_be_visible()
    for n in range(len(IDEAS)):  # one at a time: agree with each, as the first camp mostly does
        expect(phone.locator("#agree-position")).to_contain_text(f"{n + 1} ")
        phone.locator("#agree-one .answer-agree").click()
    expect(phone.locator("#agree-answered")).to_contain_text(str(len(IDEAS)))
    in_map = f"/workshops/{code}/activities/{agree}/opinions"
    for _ in range(100):  # until the phone's answers are stored (its queue sends them)
        if live_server.api("GET", in_map).json()["participants_in_map"] == 11:
            break
        phone.wait_for_timeout(200)
    expect(phone.locator("#own-dot")).to_have_count(0)  # not allowed: no panel at all
    response = live_server.api(
        "POST",
        f"/workshops/{code}/activities/{agree}/opinions/own-dots",
        json={"allowed": True},
    )
    assert response.status_code == 200, response.text
    panel = phone.locator("#own-dot")
    expect(panel).to_be_visible()  # the room's state reached the phone live
    panel.locator("summary").click()
    expect(panel).to_have_attribute("data-in-map", "yes")
    expect(panel.locator("circle.own")).to_have_count(1)
    expect(panel.locator("circle.dot")).to_have_count(12)  # 11 people + the ring's own dot
    expect(panel.locator(".own-dot-note")).to_contain_text("กลุ่มความคิดเห็น")
    assert "คนก" not in phone.content() and "ผู้เขียน" not in phone.content()
    shot(phone, "phone-own-dot")
