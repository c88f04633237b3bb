"""Word cloud, Q&A and map tallies: the live tally (ballots replaced one by one) gives the
same results as a recount of the final ballots, and the pure rules hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.voting import BallotError, Tally
from workshop.voting.pins import Pin, map_results, pack, pin_entries, unpack, validate_pins
from workshop.voting.qa import validate_upvote
from workshop.voting.wordcloud import cloud_items, validate_words, word_key

GROUPS = ["residents", "academia", "private_sector"]
WORDS = ["สวนสาธารณะ", "ตลาด", "ขยะ", "bike lanes", "น้ำท่วม"]
CATEGORIES = ["ปัญหา", "โอกาส", "โครงการ"]

participants = st.integers(min_value=0, max_value=7)
cloud_ballot = st.lists(st.sampled_from(WORDS), max_size=3)
pin = st.builds(
    Pin,
    st.integers(0, 20).map(lambda n: n / 20),
    st.integers(0, 20).map(lambda n: n / 20),
    st.sampled_from(CATEGORIES),
)


def replay(writes, entries_of):
    """The live tally after ``writes`` (participant, ballot) in order, and the final ballots."""
    live, current = Tally(), {}
    for who, ballot in writes:
        group = GROUPS[who % len(GROUPS)]
        new = entries_of(ballot)
        live.replace(group, current.get(who, (group, {}))[1], new)
        current[who] = (group, new)
    return live, Tally.from_ballots(current.values())


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(participants, cloud_ballot), max_size=40), st.sets(st.sampled_from(WORDS))
)
def test_cloud_live_equals_recount(writes, hidden_words):
    def entries(words):
        return {k: 1 for k in validate_words(words, 3)}

    live, recount = replay(writes, entries)
    texts = {word_key(w): w for w in WORDS}
    hidden = [word_key(w) for w in hidden_words]
    assert cloud_items(live, texts, GROUPS, hidden) == cloud_items(recount, texts, GROUPS, hidden)
    items = cloud_items(live, texts, GROUPS, hidden)
    assert all(i["count"] == sum(i["by_group"].values()) > 0 for i in items)
    assert not {i["word"] for i in items} & hidden_words


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(participants, st.lists(pin, max_size=3)), max_size=40))
def test_map_live_equals_recount(writes):
    live, recount = replay(writes, lambda pins: pin_entries(pins, CATEGORIES))
    assert map_results(live, CATEGORIES, GROUPS) == map_results(recount, CATEGORIES, GROUPS)
    result = map_results(live, CATEGORIES, GROUPS)
    assert result["total"] == sum(p["count"] for p in result["pins"])
    assert result["total"] == sum(sum(c.values()) for c in result["by_group"].values())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(participants, st.integers(1, 4), st.sampled_from([0, 1])), max_size=60))
def test_qa_upvotes_one_each_and_withdrawable(writes):
    live, ballots = Tally(), {}
    for who, question, value in writes:
        group = GROUPS[who % len(GROUPS)]
        old = ballots.get(who, {})
        new = validate_upvote(question, value, {1, 2, 3, 4}, old)
        live.replace(group, old, new)
        ballots[who] = new
    recount = Tally.from_ballots((GROUPS[w % 3], b) for w, b in ballots.items())
    assert live.snapshot() == recount.snapshot()
    for question in range(1, 5):
        votes = sum(sum(h.values()) for h in live.counts.get(question, {}).values())
        assert votes == sum(1 for b in ballots.values() if question in b)


@given(pin)
def test_pack_round_trip(p):
    assert unpack(pack(p, CATEGORIES), CATEGORIES) == (p.x, p.y, p.category)


@pytest.mark.parametrize(
    ("pins", "code"),
    [
        ([{"x": 1.2, "y": 0.5, "category": "ปัญหา"}], "pin_outside"),
        ([{"x": -0.1, "y": 0.5, "category": "ปัญหา"}], "pin_outside"),
        ([{"x": 0.5, "y": 0.5, "category": "ที่จอดรถ"}], "unknown_category"),
        ([{"x": 0.5, "y": 0.5, "category": "ปัญหา"}] * 4, "too_many_pins"),
        ([{"x": 0.5, "y": 0.5, "category": "ปัญหา", "note": "x" * 281}], "note_too_long"),
        ([{"x": True, "y": 0.5, "category": "ปัญหา"}], "invalid_pin"),
        ("here", "invalid_ballot"),
    ],
)
def test_broken_pins(pins, code):
    with pytest.raises(BallotError) as error:
        validate_pins(pins, 3, CATEGORIES)
    assert error.value.code == code


def test_upvote_rules():
    assert validate_upvote(1, 1, {1}, {}) == {1: 1}
    assert validate_upvote(1, 0, {1}, {1: 1}) == {}
    for value, code in [(2, "invalid_value"), (True, "invalid_ballot")]:
        with pytest.raises(BallotError) as error:
            validate_upvote(1, value, {1}, {})
        assert error.value.code == code
    with pytest.raises(BallotError) as error:
        validate_upvote(9, 1, {1}, {})
    assert error.value.code == "unknown_statement"
