"""Rank, agree, rating and poll in real browsers: phones answer, the projector follows live.

Phones: Thai locale, English locale, and one without JavaScript (plain forms). The
projector is opened once and never reloaded. The results API must match what was entered.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import PHONE, PROJECTOR, join, open_activity, results

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

IDEAS = [
    "ทางเดินริมแม่น้ำวังที่มีร่มเงาตลอดสาย",
    "Night bus from the market to the university",
    "ตลาดนัดสินค้าเกษตรอินทรีย์ทุกวันเสาร์",
]
OPTIONS = ["วันเสาร์ช่วงเช้า", "Weekday evening", "Sunday afternoon"]


def api_ok(live_server, method: str, path: str, status: int = 200, **kwargs) -> dict:
    response = live_server.api(method, path, **kwargs)
    assert response.status_code == status, response.text
    return response.json()


def join_api(live_server, code: str, group: str) -> str:
    """A participant joined over the API (no browser); returns its bearer token."""
    path = f"/workshops/{code}/participants"
    return api_ok(live_server, "POST", path, status=201, json={"group": group})["token"]


def make_room(live_server, ideas: list[str], min_group_members: int = 1) -> dict:
    """A workshop with an open brainstorm holding ``ideas`` (written by an API participant),
    then rank (top 2), agree, rating and poll activities on it, none started."""
    workshop = api_ok(
        live_server,
        "POST",
        "/workshops",
        status=201,
        json={
            "title": "เวทีประชาคม ทางเลือกของเมือง",
            "consensus": {"threshold": 0.6, "min_group_members": min_group_members},
        },
    )
    code = workshop["code"]

    def activity(**body) -> int:
        return api_ok(live_server, "POST", f"/workshops/{code}/activities", status=201, json=body)[
            "id"
        ]

    brainstorm = activity(kind="brainstorm", prompt="อยากให้เมืองของเรามีอะไร?")
    open_activity(live_server, code, brainstorm)
    author = join_api(live_server, code, "civil_society")
    ids = [
        api_ok(
            live_server,
            "POST",
            f"/workshops/{code}/statements",
            status=201,
            token=author,
            json={"activity_id": brainstorm, "text": text, "client_id": f"idea-{n}"},
        )["id"]
        for n, text in enumerate(ideas)
    ]
    source = {"source_activity_id": brainstorm}
    return {
        "code": code,
        "ids": ids,
        "rank": activity(kind="rank", prompt="เรียงลำดับความสำคัญ", top_k=2, **source),
        "agree": activity(kind="agree", prompt="คุณเห็นด้วยหรือไม่?", **source),
        "rating": activity(kind="rating", prompt="สำคัญแค่ไหน?", **source),
        "poll": activity(kind="poll", prompt="ประชุมครั้งหน้าเมื่อไร?", options=OPTIONS),
    }


def activity_results(live_server, code: str, activity_id: int) -> dict:
    return next(a for a in results(live_server, code)["activities"] if a["id"] == activity_id)


def assert_fits(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width}px wide on a {PHONE['width']}px phone"


def assert_tap_targets(page, selector: str) -> None:
    sizes = page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => {"
        " const r = e.getBoundingClientRect(); return [r.width, r.height]; })"
    )
    assert sizes, f"no {selector} on the page"
    assert min(min(size) for size in sizes) >= 44, f"{selector} smaller than 44 px: {sizes}"


def test_every_vote_kind_on_three_phones_and_the_projector(live_server, new_context, shot):
    from playwright.sync_api import expect

    base = live_server.url
    room = make_room(live_server, IDEAS)
    code = room["code"]
    s0, s1, s2 = room["ids"]

    projector = new_context(viewport=PROJECTOR, locale="en-US").new_page()
    projector.goto(f"{base}/present/{code}?lang=en")
    expect(projector.locator("#join-code")).to_have_text(code)
    projector.evaluate("window.__noReload = true")

    thai = new_context(locale="th-TH").new_page()
    english = new_context(locale="en-US").new_page()
    nojs = new_context(locale="th-TH", java_script_enabled=False).new_page()
    join(thai, base, code, "residents")
    join(english, base, code, "academia", "Malee")
    join(nojs, base, code, "local_government")
    for phone in (thai, english):
        expect(phone.locator("#room")).to_have_attribute("data-connection", "online")

    def saved(page) -> None:
        expect(page.locator("#write-status")).to_have_attribute("data-state", "ok")

    def open_for_all(activity_id: int, form_class: str) -> None:
        open_activity(live_server, code, activity_id)
        for phone in (thai, english):
            expect(phone.locator(f"#vote-form.{form_class}")).to_be_visible()
        nojs.reload()
        expect(nojs.locator(f"#vote-form.{form_class}")).to_be_visible()

    def bar_value(statement_id: int):
        return projector.locator(f'#chart li[data-id="{statement_id}"] .bar-value')

    # ---------- rank: top 2, Borda (1st = 2 points, 2nd = 1) ----------
    open_for_all(room["rank"], "rank-form")

    def add(page, statement_id: int) -> None:
        page.locator(f'#rank-pool button[data-id="{statement_id}"]').click()

    def order(page):
        return page.locator("#rank-order .rank-item")

    # Thai: s0 then s2, then s2 moves up: [s2, s0]. The list is then full.
    add(thai, s0)
    add(thai, s2)
    expect(order(thai)).to_have_count(2)
    expect(thai.locator("#rank-pool button.rank-add:enabled")).to_have_count(0)
    expect(thai.locator("#rank-full")).to_be_visible()
    thai.locator(f'.rank-item[data-id="{s2}"] button.up').click()
    expect(order(thai).locator(".rank-text")).to_have_text([IDEAS[2], IDEAS[0]])
    expect(order(thai).first.locator("button.up")).to_be_disabled()
    expect(thai.locator("#write-status")).to_have_attribute("data-state", "dirty")
    assert_tap_targets(thai, "#rank-order button, #rank-pool button")
    assert_fits(thai, "rank")
    shot(thai, "phone-th-rank", full_page=True)
    thai.locator('#vote-form button[type="submit"]').click()
    saved(thai)

    # English: s1, s0, then s0 is removed and s2 added and moved up: [s2, s1].
    add(english, s1)
    add(english, s0)
    english.locator(f'.rank-item[data-id="{s0}"] button.remove').click()
    expect(english.locator(f'#rank-pool button[data-id="{s0}"]')).to_be_enabled()
    add(english, s2)
    english.locator(f'.rank-item[data-id="{s1}"] button.down').click()
    expect(order(english).locator(".rank-text")).to_have_text([IDEAS[2], IDEAS[1]])
    expect(english.locator("#budget")).to_have_text("Chosen: 2 of 2")
    english.locator('#vote-form button[type="submit"]').click()
    saved(english)

    # No JavaScript: one select per place: [s0, s1].
    nojs.locator('select[name="rank-1"]').select_option(str(s0))
    nojs.locator('select[name="rank-2"]').select_option(str(s1))
    assert_fits(nojs, "rank without JavaScript")
    shot(nojs, "phone-nojs-rank", full_page=True)
    nojs.locator('#vote-form button[type="submit"]').click()
    expect(nojs.locator(".flash-success")).to_be_visible()
    expect(nojs.locator('select[name="rank-1"]')).to_have_value(str(s0))
    expect(nojs.locator('select[name="rank-2"]')).to_have_value(str(s1))

    # s2: 2 + 2 = 4, s0: 1 + 2 = 3, s1: 1 + 1 = 2. Sorted bars with the points.
    expect(bar_value(s2)).to_have_text("4")
    expect(bar_value(s0)).to_have_text("3")
    expect(bar_value(s1)).to_have_text("2")
    expect(projector.locator("#chart li .bar-label")).to_have_text([IDEAS[2], IDEAS[0], IDEAS[1]])
    expect(projector.locator("#ballot-count")).to_contain_text("3")
    shot(projector, "projector-rank")
    rank = activity_results(live_server, code, room["rank"])
    assert {i["statement_id"]: i["score"] for i in rank["items"]} == {s2: 4, s0: 3, s1: 2}
    assert rank["items"][0]["by_group"]["residents"] == 2

    # A reload shows the saved order again (my_ballot).
    thai.reload()
    expect(order(thai).locator(".rank-text")).to_have_text([IDEAS[2], IDEAS[0]])

    # ---------- agree: one statement at a time; each answer is sent at once ----------
    open_for_all(room["agree"], "agree-form")
    progress = thai.locator("#agree-position")
    expect(progress).to_have_text(re.compile(r"^1\D+3$"))
    expect(thai.locator("#agree-one-text")).to_have_text(IDEAS[0])
    assert_tap_targets(thai, "#agree-one button.answer")
    assert_fits(thai, "agree")
    shot(thai, "phone-th-agree-one", full_page=True)

    def answer(page, value: str) -> None:
        page.locator(f'#agree-one button.answer[data-value="{value}"]').click()

    # Thai (residents) agrees with all three; the page moves on by itself.
    answer(thai, "1")
    expect(progress).to_have_text(re.compile(r"^2\D+3$"))
    expect(thai.locator("#agree-one-text")).to_have_text(IDEAS[1])
    answer(thai, "1")
    expect(thai.locator("#agree-one-text")).to_have_text(IDEAS[2])
    # Back one: the earlier answer shows as pressed.
    thai.locator("#agree-prev").click()
    expect(thai.locator('#agree-one button.answer[data-value="1"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    thai.locator("#agree-next").click()
    answer(thai, "1")
    expect(thai.locator("#agree-done")).to_be_visible()
    saved(thai)
    expect(thai.locator("#agree-answered")).to_contain_text("3")

    # English (academia): agree, disagree, pass; then checks the list view.
    answer(english, "1")
    answer(english, "-1")
    answer(english, "0")
    saved(english)
    english.locator("#agree-view").click()
    expect(english.locator("#agree-list")).to_be_visible()
    pressed = english.locator('#agree-list button.answer[aria-pressed="true"]')
    expect(pressed).to_have_text([re.compile("Agree"), re.compile("Disagree"), re.compile("Pass")])
    shot(english, "phone-en-agree-list", full_page=True)

    # No JavaScript (local government): radio groups and one submit: agree, pass, agree.
    for statement_id, value in ((s0, "1"), (s1, "0"), (s2, "1")):
        nojs.locator(f'input[name="agree-{statement_id}"][value="{value}"]').check()
    assert_fits(nojs, "agree without JavaScript")
    shot(nojs, "phone-nojs-agree", full_page=True)
    nojs.locator('#vote-form button[type="submit"]').click()
    expect(nojs.locator(".flash-success")).to_be_visible()
    expect(nojs.locator(f'input[name="agree-{s1}"][value="0"]')).to_be_checked()

    # s0: everyone agrees -> consensus; s2: academia passes -> mixed;
    # s1: residents agree, academia disagrees -> divisive. Sorted in that order.
    rows = projector.locator("#chart li.agree-row")
    expect(rows).to_have_count(3)
    expect(rows.locator(".agree-statement")).to_have_text([IDEAS[0], IDEAS[2], IDEAS[1]])
    expect(rows.locator(".consensus-badge")).to_have_text(["Consensus", "Mixed", "Divisive"])
    levels = rows.locator(".consensus-badge").evaluate_all("els => els.map(e => e.dataset.level)")
    assert levels == ["consensus", "mixed", "divisive"]
    expect(projector.locator("#agree-legend li")).to_have_text(["Agree", "Pass", "Disagree"])
    divisive = projector.locator(f'#chart li.agree-row[data-id="{s1}"]')
    groups = divisive.locator(".group-bar")
    expect(groups).to_have_count(3)
    expect(groups.locator(".group-name")).to_have_text(
        ["Local government", "Academia", "Residents"]
    )
    residents = divisive.locator('.group-bar[data-group="residents"]')
    expect(residents.locator(".seg-agree")).to_have_text("100%")
    expect(residents.locator(".group-n")).to_have_text("Answers: 1")
    academia = divisive.locator('.group-bar[data-group="academia"]')
    expect(academia.locator(".seg-disagree")).to_have_text("100%")
    expect(academia.locator(".stack-bar")).to_have_attribute(
        "aria-label", re.compile(r"Academia: Agree 0 \(0%\), Pass 0 \(0%\), Disagree 1 \(100%\)")
    )
    widths = academia.locator(".seg").evaluate_all("els => els.map(e => e.style.width)")
    assert widths == ["0%", "0%", "100%"]
    shot(projector, "projector-agree")

    agree = activity_results(live_server, code, room["agree"])
    by_id = {i["statement_id"]: i for i in agree["items"]}
    assert [i["statement_id"] for i in agree["items"]] == [s0, s2, s1]
    assert by_id[s0]["consensus"]["level"] == "consensus"
    assert by_id[s2]["consensus"]["level"] == "mixed"
    assert by_id[s1]["consensus"]["level"] == "divisive"
    assert by_id[s1]["by_group"]["residents"] == {"agree": 1, "disagree": 0, "pass": 0}
    assert by_id[s1]["by_group"]["academia"] == {"agree": 0, "disagree": 1, "pass": 0}
    assert by_id[s1]["by_group"]["local_government"] == {"agree": 0, "disagree": 0, "pass": 1}
    assert (by_id[s0]["agree"], by_id[s0]["disagree"], by_id[s0]["pass"]) == (3, 0, 0)
    assert agree["ballots"] == 3

    # Revealed: the phones list the verdicts too.
    api_ok(
        live_server,
        "POST",
        f"/workshops/{code}/activities/{room['agree']}/reveal",
        json={"revealed": True},
    )
    phone_results = english.locator("#results .agree-result")
    expect(phone_results).to_have_count(3)
    expect(phone_results.locator(".consensus-badge")).to_have_text(
        ["Consensus", "Mixed", "Divisive"]
    )
    expect(english.locator(f'#results .agree-result[data-id="{s1}"] .agree-counts')).to_have_text(
        "Agree 1 · Pass 1 · Disagree 1"
    )
    shot(english, "phone-en-agree-results", full_page=True)

    # ---------- rating: 1–5 per idea ----------
    open_for_all(room["rating"], "rating-form")

    def rate(page, statement_id: int, value: int) -> None:
        page.locator(f'input[name="rating-{statement_id}"][value="{value}"]').check()

    for statement_id, value in ((s0, 5), (s1, 3), (s2, 4)):
        rate(thai, statement_id, value)
    expect(thai.locator("#budget")).to_contain_text("3")
    assert_tap_targets(thai, ".rating-pills .pill")
    assert_fits(thai, "rating")
    shot(thai, "phone-th-rating", full_page=True)
    thai.locator('#vote-form button[type="submit"]').click()
    saved(thai)
    rate(english, s0, 4)
    rate(english, s1, 2)  # s2 left unrated
    english.locator('#vote-form button[type="submit"]').click()
    saved(english)
    for statement_id, value in ((s0, 3), (s1, 1), (s2, 5)):
        rate(nojs, statement_id, value)
    nojs.locator('#vote-form button[type="submit"]').click()
    expect(nojs.locator(".flash-success")).to_be_visible()
    expect(nojs.locator(f'input[name="rating-{s2}"][value="5"]')).to_be_checked()

    # Means: s2 (4 + 5) / 2 = 4.5, s0 (5 + 4 + 3) / 3 = 4.0, s1 (3 + 2 + 1) / 3 = 2.0.
    expect(bar_value(s2)).to_have_text("4.5")
    expect(bar_value(s0)).to_have_text("4.0")
    expect(bar_value(s1)).to_have_text("2.0")
    expect(projector.locator(f'#chart li[data-id="{s2}"] .bar-note')).to_have_text("Ratings: 2")
    expect(projector.locator("#chart li .bar-label")).to_have_text([IDEAS[2], IDEAS[0], IDEAS[1]])
    widths = projector.locator("#chart .bar-fill").evaluate_all(
        "els => els.map(e => e.style.width)"
    )
    assert widths == ["90%", "80%", "40%"]
    shot(projector, "projector-rating")
    rating = {
        i["statement_id"]: i for i in activity_results(live_server, code, room["rating"])["items"]
    }
    assert (rating[s2]["mean"], rating[s2]["count"]) == (4.5, 2)
    assert (rating[s0]["mean"], rating[s0]["median"], rating[s0]["count"]) == (4.0, 4.0, 3)
    assert rating[s1]["distribution"] == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0}

    # A reload keeps the ratings (my_ballot).
    english.reload()
    expect(english.locator(f'input[name="rating-{s0}"][value="4"]')).to_be_checked()
    expect(english.locator(f'input[name="rating-{s2}"]:checked')).to_have_count(0)

    # ---------- poll: one option ----------
    open_for_all(room["poll"], "poll-form")
    options = {
        i["text"]: i["statement_id"]
        for i in activity_results(live_server, code, room["poll"])["items"]
    }
    o0, o1, o2 = (options[text] for text in OPTIONS)

    def choose(page, option_id: int) -> None:
        page.locator(f'input[name="choice"][value="{option_id}"]').check()

    expect(thai.locator('input[name="choice"][type="radio"]')).to_have_count(3)
    choose(thai, o0)
    assert_fits(thai, "poll")
    shot(thai, "phone-th-poll", full_page=True)
    thai.locator('#vote-form button[type="submit"]').click()
    saved(thai)
    choose(english, o1)
    english.locator('#vote-form button[type="submit"]').click()
    saved(english)
    expect(bar_value(o1)).to_have_text("1")
    # English changes its mind: the ballot is replaced.
    choose(english, o2)
    english.locator('#vote-form button[type="submit"]').click()
    saved(english)
    choose(nojs, o0)
    nojs.locator('#vote-form button[type="submit"]').click()
    expect(nojs.locator(".flash-success")).to_be_visible()
    expect(nojs.locator(f'input[name="choice"][value="{o0}"]')).to_be_checked()

    expect(bar_value(o0)).to_have_text("2")
    expect(bar_value(o2)).to_have_text("1")
    expect(bar_value(o1)).to_have_text("0")
    expect(projector.locator("#chart li .bar-label")).to_have_text(
        [OPTIONS[0], OPTIONS[2], OPTIONS[1]]
    )
    shot(projector, "projector-poll")
    poll = activity_results(live_server, code, room["poll"])
    assert {i["statement_id"]: i["score"] for i in poll["items"]} == {o0: 2, o1: 0, o2: 1}

    # Revealed to phones: simple bars with the counts.
    api_ok(
        live_server,
        "POST",
        f"/workshops/{code}/activities/{room['poll']}/reveal",
        json={"revealed": True},
    )
    expect(thai.locator(f'#results li[data-id="{o0}"] .bar-value')).to_have_text("2")
    expect(thai.locator(f'input[name="choice"][value="{o0}"]')).to_be_checked()

    assert projector.evaluate("window.__noReload") is True


def test_projector_with_and_without_javascript_shows_the_same_charts(
    live_server, new_context, shot
):
    """Seven API voters in three groups; the live projector and the server-rendered fallback
    (no JavaScript, refreshed by a meta tag) show the same verdicts and numbers."""
    from playwright.sync_api import expect

    room = make_room(live_server, IDEAS, min_group_members=2)
    code = room["code"]
    s0, s1, s2 = room["ids"]
    # Answers to (s0, s1, s2) per voter.
    answers = {
        "residents": [(1, 1, -1), (1, 1, 0), (1, 0, 1)],
        "academia": [(1, -1, 0), (1, -1, 1)],
        "local_government": [(1, 0, 1), (1, 1, 1)],
    }
    voters = [
        (
            group,
            triple,
            join_api(live_server, code, group),
        )
        for group, triples in answers.items()
        for triple in triples
    ]

    def vote(token: str, activity_id: int, client_id: str, **fields) -> None:
        api_ok(
            live_server,
            "POST",
            f"/workshops/{code}/votes",
            token=token,
            json={"activity_id": activity_id, "client_id": client_id, **fields},
        )

    live = new_context(viewport=PROJECTOR, locale="en-US").new_page()
    live.goto(f"{live_server.url}/present/{code}")
    static = new_context(viewport=PROJECTOR, locale="en-US", java_script_enabled=False).new_page()

    open_activity(live_server, code, room["agree"])
    for n, (_, triple, token) in enumerate(voters):
        values = dict(zip((str(s0), str(s1), str(s2)), triple, strict=True))
        vote(token, room["agree"], f"agree-{n}", answers=values)
    static.goto(f"{live_server.url}/present/{code}")

    # s0: every group agrees -> consensus; s2: residents 1/3 -> mixed;
    # s1: residents agree 2/3, academia disagree 2/2 -> divisive.
    for page in (live, static):
        rows = page.locator("#chart li.agree-row")
        expect(rows.locator(".consensus-badge")).to_have_text(["Consensus", "Mixed", "Divisive"])
        expect(rows.locator(".agree-statement")).to_have_text([IDEAS[0], IDEAS[2], IDEAS[1]])
        residents = page.locator(f'li.agree-row[data-id="{s2}"] [data-group="residents"]')
        expect(residents.locator(".seg")).to_have_text(["33%", "33%", "33%"])
        expect(residents.locator(".group-n")).to_have_text("Answers: 3")
        mixed = page.locator(f'li.agree-row[data-id="{s1}"] [data-group="local_government"]')
        expect(mixed.locator(".seg")).to_have_text(["50%", "50%", ""])
        expect(page.locator(f'li.agree-row[data-id="{s1}"] .group-bar')).to_have_count(3)
    seg = static.locator(f'li.agree-row[data-id="{s1}"] [data-group="academia"] .seg-disagree')
    assert seg.get_attribute("data-pct") == "100"
    live_widths = live.locator(f'li.agree-row[data-id="{s1}"] [data-group="residents"] .seg')
    assert live_widths.evaluate_all("els => els.map(e => e.style.width)")[2] == "0%"
    shot(live, "projector-agree-groups")
    shot(static, "projector-nojs-agree")

    open_activity(live_server, code, room["rating"])
    vote(voters[0][2], room["rating"], "r1", ratings={str(s0): 4, str(s1): 2})
    vote(voters[3][2], room["rating"], "r2", ratings={str(s0): 5})
    static.reload()
    for page in (live, static):
        expect(page.locator(f'#chart li[data-id="{s0}"] .bar-value')).to_have_text("4.5")
        expect(page.locator(f'#chart li[data-id="{s0}"] .bar-note')).to_have_text("Ratings: 2")
        expect(page.locator(f'#chart li[data-id="{s1}"] .bar-value')).to_have_text("2.0")

    open_activity(live_server, code, room["rank"])
    vote(voters[0][2], room["rank"], "k1", ranking=[s1, s0])
    vote(voters[3][2], room["rank"], "k2", ranking=[s1])
    static.reload()
    for page in (live, static):
        expect(page.locator(f'#chart li[data-id="{s1}"] .bar-value')).to_have_text("4")
        expect(page.locator(f'#chart li[data-id="{s0}"] .bar-value')).to_have_text("1")
        expect(page.locator(".chart-note")).to_contain_text("Points")


def test_agree_answers_made_offline_are_sent_once_when_back(live_server, new_context, shot):
    from playwright.sync_api import expect

    ideas = [f"{text} (offline test)" for text in ("สวนสาธารณะ", "Bike lanes", "ห้องสมุด", "Wi-Fi")]
    room = make_room(live_server, ideas)
    code = room["code"]
    ids = room["ids"]
    open_activity(live_server, code, room["agree"])

    context = new_context(locale="th-TH")
    page = context.new_page()
    frames: list[tuple[int, str]] = []  # (websocket number, frame) for every vote sent
    sockets: list = []

    def watch(ws) -> None:
        number = len(sockets)
        sockets.append(ws)
        ws.on(
            "framesent",
            lambda payload: (
                frames.append((number, payload))
                if isinstance(payload, str) and '"vote"' in payload
                else None
            ),
        )

    page.on("websocket", watch)
    join(page, live_server.url, code, "residents")
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    status = page.locator("#write-status")
    position = page.locator("#agree-position")

    def answer(value: str) -> None:
        page.locator(f'#agree-one button.answer[data-value="{value}"]').click()

    def answers() -> dict[int, dict]:
        items = activity_results(live_server, code, room["agree"])["items"]
        return {i["statement_id"]: (i["agree"], i["disagree"], i["pass"]) for i in items}

    answer("1")
    expect(status).to_have_attribute("data-state", "ok")

    # Offline: the flow goes on; the two answers wait in localStorage.
    context.set_offline(True)
    expect(page.locator("#room")).to_have_attribute("data-connection", "offline")
    expect(position).to_have_text(re.compile(r"^2\D+4$"))
    answer("-1")
    expect(position).to_have_text(re.compile(r"^3\D+4$"))
    answer("0")
    expect(position).to_have_text(re.compile(r"^4\D+4$"))
    expect(status).to_have_attribute("data-state", "retry")
    stored = page.evaluate(
        f"localStorage.getItem('workshop:outbox:{code}:' + "
        "document.getElementById('room').dataset.participant)"
    )
    pending = json.loads(stored)
    assert [(e["payload"]["statement_id"], e["payload"]["value"]) for e in pending] == [
        (ids[1], -1),
        (ids[2], 0),
    ]
    # Going back shows the answer made offline as pressed.
    page.locator("#agree-prev").click()
    expect(page.locator('#agree-one button.answer[data-value="0"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    page.locator("#agree-next").click()
    shot(page, "phone-agree-offline-retry", full_page=True)
    assert answers()[ids[1]] == (0, 0, 0)
    online_from = len(sockets)

    context.set_offline(False)
    expect(status).to_have_attribute("data-state", "ok")
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    assert answers()[ids[1]] == (0, 1, 0)
    assert answers()[ids[2]] == (0, 0, 1)
    # Each waiting answer went out exactly once on the new connection.
    resent = [frame for number, frame in frames if number >= online_from]
    for entry in pending:
        sent = [frame for frame in resent if entry["payload"]["client_id"] in frame]
        assert len(sent) == 1, (entry, resent)
    assert (
        page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('workshop:outbox:')).length"
        )
        == 0
    )

    # The flow keeps working: the last answer, then every statement is answered.
    answer("1")
    expect(page.locator("#agree-done")).to_be_visible()
    expect(status).to_have_attribute("data-state", "ok")
    final = answers()
    assert final == {ids[0]: (1, 0, 0), ids[1]: (0, 1, 0), ids[2]: (0, 0, 1), ids[3]: (1, 0, 0)}
    assert activity_results(live_server, code, room["agree"])["ballots"] == 1

    # A reload sends nothing again and shows the answers from the server.
    sent_before = len(frames)
    page.reload()
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    expect(page.locator("#agree-done")).to_be_visible()
    page.locator("#agree-view").click()
    expect(page.locator('#agree-list button.answer[aria-pressed="true"]')).to_have_count(4)
    assert len(frames) == sent_before
    assert answers() == final


def test_choices_made_before_the_script_runs_are_kept(live_server, new_context):
    """On a slow phone the plain form shows before attendee.js runs: what was ticked in it
    survives the switch to the live page (ratings as not yet saved, agree answers sent)."""
    from playwright.sync_api import expect

    room = make_room(live_server, IDEAS)
    code = room["code"]
    s0, s1, _ = room["ids"]
    page = new_context(locale="en-US").new_page()
    join(page, live_server.url, code, "residents")
    held: list = []

    def hold(route) -> None:
        held.append(route)  # answered later by release_script()

    page.route(re.compile(r".*/static/js/attendee\.js.*"), hold)

    def reload_without_script() -> None:
        held.clear()
        page.reload(wait_until="commit")
        page.wait_for_selector("#vote-form")
        expect(page.locator("#agree-one, #budget")).to_have_count(0)  # still the plain form

    def release_script() -> None:
        for _ in range(100):  # the route handler records the request while Playwright waits
            if held:
                break
            page.wait_for_timeout(50)
        assert held, "attendee.js was not requested"
        held[0].continue_()

    open_activity(live_server, code, room["rating"])
    reload_without_script()
    page.locator(f'input[name="rating-{s1}"][value="4"]').check()
    release_script()
    expect(page.locator("#budget")).to_have_text("Rated: 1 of 3")
    expect(page.locator(f'input[name="rating-{s1}"][value="4"]')).to_be_checked()
    expect(page.locator("#write-status")).to_have_attribute("data-state", "dirty")
    # Until the socket first connects, Save posts the plain form (by design); on a busy host
    # that would reload the page with attendee.js still held here.
    expect(page.locator("#room")).to_have_attribute("data-connection", "online")
    page.locator('#vote-form button[type="submit"]').click()
    expect(page.locator("#write-status")).to_have_attribute("data-state", "ok")
    rating = activity_results(live_server, code, room["rating"])
    assert {i["statement_id"]: i["count"] for i in rating["items"]}[s1] == 1

    open_activity(live_server, code, room["agree"])
    reload_without_script()
    page.locator(f'input[name="agree-{s0}"][value="-1"]').check()
    release_script()
    expect(page.locator("#agree-one")).to_be_visible()
    expect(page.locator("#write-status")).to_have_attribute("data-state", "ok")
    expect(page.locator("#agree-answered")).to_have_text("1 answered")
    agree = activity_results(live_server, code, room["agree"])
    assert {i["statement_id"]: i["disagree"] for i in agree["items"]}[s0] == 1


@pytest.mark.parametrize("locale", ["th-TH", "en-US"])
def test_vote_kind_pages_have_no_axe_violations(live_server, new_context, locale):
    from tests.browser.test_accessibility import violations

    room = make_room(live_server, IDEAS)
    code = room["code"]
    s0, s1, s2 = room["ids"]
    voter = join_api(live_server, code, "academia")
    phone = new_context(locale=locale).new_page()
    plain = new_context(locale=locale).new_page()  # the server's forms: attendee.js blocked
    plain.route(re.compile(r".*/static/js/attendee\.js.*"), lambda route: route.abort())
    projector = new_context(locale=locale, viewport=PROJECTOR).new_page()
    join(phone, live_server.url, code)
    join(plain, live_server.url, code, "academia")
    projector.goto(f"{live_server.url}/present/{code}")
    ballots = {
        "rank": {"ranking": [s1, s0]},
        "agree": {"answers": {str(s0): 1, str(s1): -1, str(s2): 0}},
        "rating": {"ratings": {str(s0): 4}},
        "poll": None,
    }
    found: dict[str, list[str]] = {}
    for kind, ballot in ballots.items():
        open_activity(live_server, code, room[kind])
        if ballot:
            api_ok(
                live_server,
                "POST",
                f"/workshops/{code}/votes",
                token=voter,
                json={"activity_id": room[kind], "client_id": kind, **ballot},
            )
        api_ok(
            live_server,
            "POST",
            f"/workshops/{code}/activities/{room[kind]}/reveal",
            json={"revealed": True},
        )
        phone.wait_for_selector(f"#vote-form.{kind}-form")
        if kind == "rank":
            phone.locator("#rank-pool button").first.click()
        if ballot:
            phone.wait_for_selector("#results li")
        found[f"{kind} phone"] = violations(phone)
        if kind == "agree":
            phone.locator("#agree-view").click()
            found["agree phone list"] = violations(phone)
        plain.reload()
        found[f"{kind} plain form"] = violations(plain)
        if ballot:
            projector.wait_for_selector("#chart li")
        found[f"{kind} projector"] = violations(projector)
    problems = {page: v for page, v in found.items() if v}
    assert not problems, "\n".join(f"{page}: {v}" for page, v in problems.items())


def test_revealed_results_show_before_the_socket_connects(live_server, new_context):
    """attendee.js draws the results the page was served with; no need to wait for a tally."""
    from playwright.sync_api import expect

    room = make_room(live_server, IDEAS)
    code = room["code"]
    s0, s1, _ = room["ids"]
    voter = join_api(live_server, code, "academia")
    open_activity(live_server, code, room["rating"])
    api_ok(
        live_server,
        "POST",
        f"/workshops/{code}/votes",
        token=voter,
        json={"activity_id": room["rating"], "client_id": "r", "ratings": {str(s1): 5, str(s0): 2}},
    )
    api_ok(
        live_server,
        "POST",
        f"/workshops/{code}/activities/{room['rating']}/reveal",
        json={"revealed": True},
    )
    page = new_context(locale="en-US").new_page()
    # No socket at all: both transports refused (page.route does not see WebSockets).
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), lambda ws: ws.close())
    page.route(re.compile(r".*/socket\.io/\?.*"), lambda route: route.abort())
    join(page, live_server.url, code, "residents")
    expect(page.locator("#budget")).to_have_text("Rated: 0 of 3")  # the page attendee.js drew
    rows = page.locator("#results .bar-row")
    expect(rows).to_have_count(3)
    expect(page.locator("#results .bar-fill")).to_have_count(3)  # JS bars, not the server's
    expect(rows.first).to_have_attribute("data-id", str(s1))
    expect(rows.first.locator(".bar-value")).to_have_text("5.0")
    expect(page.locator("#room")).to_have_attribute("data-connection", "offline")  # never connected
