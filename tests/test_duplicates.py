"""Duplicate suggestions: Thai-aware words and Jaccard similarity (workshop/duplicates.py)."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.duplicates import Suggestion, normalise, suggest_duplicates, tokens


def pairs(statements, threshold=0.5):
    return [(s.a, s.b) for s in suggest_duplicates(statements, threshold)]


# --- words ------------------------------------------------------------------------------


def test_thai_words_ignore_spacing_and_particles():
    assert tokens("สร้างสวนสาธารณะริมแม่น้ำวัง") == tokens("สร้าง สวนสาธารณะ ริมแม่น้ำวัง ค่ะ")
    assert "สวนสาธารณะ" in tokens("สร้างสวนสาธารณะริมแม่น้ำวัง")
    assert tokens("อยากให้มีรถเมล์ไฟฟ้านะคะ") == tokens("รถเมล์ไฟฟ้า ครับ")


def test_latin_words_are_lower_case_without_punctuation_or_stop_words():
    assert tokens("Clean the RIVER, please!") == {"clean", "river"}
    assert tokens("more bike-lanes") == {"more", "bike", "lanes"}


def test_punctuation_single_characters_and_particles_are_not_words():
    assert tokens("!!! ... ๆ ฯ a 5 ค่ะ") == frozenset()
    assert tokens("") == frozenset()


def test_negation_and_direction_stay_words():
    assert "ไม่" in tokens("ไม่เอาห้างใหญ่")
    assert tokens("เปิดตลาดกลางคืน") != tokens("ปิดตลาดกลางคืน")


def test_unicode_is_normalised():
    decomposed = "Cafe\u0301 by the river"
    assert tokens(decomposed) == tokens("Café by the river")
    assert normalise(decomposed) == normalise("CAFÉ  by the river")


def test_thai_repetition_mark_abbreviation_and_digits():
    assert tokens("เด็กๆ") == tokens("เด็ก ๆ") == tokens("เด็ก")
    assert tokens("กรุงเทพฯ") == tokens("กรุงเทพ")
    assert tokens("ปี ๒๕๗๐") == tokens("ปี 2570")


# --- pairs ------------------------------------------------------------------------------


def test_thai_pair_that_differs_in_spacing_and_particles():
    found = suggest_duplicates(
        [
            (1, "สร้างสวนสาธารณะริมแม่น้ำวัง"),
            (2, "รถเมล์ไฟฟ้ารอบเมือง"),
            (3, "สร้าง สวนสาธารณะ ริมแม่น้ำวัง ค่ะ"),
        ]
    )
    assert found == [Suggestion(1, 3, 1.0)]


def test_english_pair_that_differs_in_case_and_punctuation():
    found = suggest_duplicates(
        [(7, "Night market on Saturdays!"), (4, "night market on saturdays"), (9, "Solar roofs")]
    )
    assert found == [Suggestion(4, 7, 1.0)]


def test_unrelated_statements_are_not_suggested():
    statements = [
        (1, "สร้างสวนสาธารณะริมแม่น้ำวัง"),
        (2, "รถเมล์ไฟฟ้ารอบเมือง"),
        (3, "Solar panels on school roofs"),
        (4, "ตลาดนัดชุมชนทุกวันเสาร์"),
        (5, "Safer crossings near the hospital"),
    ]
    assert suggest_duplicates(statements) == []


def test_mixed_thai_and_english():
    found = suggest_duplicates(
        [(1, "ทางจักรยาน bike lanes รอบเมือง"), (2, "bike lanes ทางจักรยานรอบเมือง ครับ")]
    )
    assert found == [Suggestion(1, 2, 1.0)]


def test_threshold_is_respected():
    # {clean, river, walk} vs {clean, river}: 2 / 3.
    statements = [(1, "clean river walk"), (2, "clean river")]
    assert suggest_duplicates(statements, threshold=0.6) == [Suggestion(1, 2, 0.667)]
    assert suggest_duplicates(statements, threshold=0.7) == []
    # Exactly at the threshold counts: {a, b} vs {a, b, c, d} is 0.5.
    assert pairs([(1, "green trees"), (2, "green trees shade benches")], 0.5) == [(1, 2)]


def test_ordering_is_score_then_ids():
    statements = [
        (10, "clean river walk"),
        (3, "clean river"),
        (8, "night bus"),
        (2, "night bus"),
        (5, "clean river walk shade"),
    ]
    found = suggest_duplicates(statements, threshold=0.5)
    assert found == [
        Suggestion(2, 8, 1.0),
        Suggestion(5, 10, 0.75),
        Suggestion(3, 10, 0.667),
        Suggestion(3, 5, 0.5),
    ]
    assert suggest_duplicates(statements, threshold=0.5, limit=2) == found[:2]


def test_identical_texts_without_words_pair_but_empty_words_never_match():
    found = suggest_duplicates([(1, "ค่ะ"), (2, " ค่ะ "), (3, "ครับ"), (4, "!!!"), (5, "")])
    assert found == [Suggestion(1, 2, 1.0)]


def test_common_words_do_not_hide_real_pairs():
    """A pair whose shared words are all very common is still found (exact prefix filter)."""
    statements = [(i, f"city green {word}") for i, word in enumerate(WORDS * 3, start=10)]
    statements += [(1, "city green"), (2, "green city")]
    found = suggest_duplicates(statements, threshold=0.6, limit=10_000)
    assert Suggestion(1, 2, 1.0) in found
    assert Suggestion(1, 10, 0.667) in found


def test_bad_threshold_is_refused():
    with pytest.raises(ValueError):
        suggest_duplicates([(1, "x")], threshold=0)
    with pytest.raises(ValueError):
        suggest_duplicates([(1, "x")], threshold=1.5)


# --- properties -------------------------------------------------------------------------

WORDS = str.split(
    "สวนสาธารณะ ริมแม่น้ำ รถเมล์ ไฟฟ้า ทางเท้า ต้นไม้ ตลาด กลางคืน ขยะ น้ำท่วม โรงเรียน "
    "ผู้สูงอายุ จักรยาน แสงอาทิตย์ ชุมชน ค่ะ ครับ นะ ไม่ "
    "clean river bus bike market solar trees the please Night SAFE"
)
statement_text = st.lists(st.sampled_from(WORDS + [" ", ", ", "!"]), max_size=8).map("".join)
statement_lists = st.lists(statement_text, max_size=25).map(lambda texts: list(enumerate(texts)))
thresholds = st.sampled_from([0.1, 0.25, 0.5, 0.6, 2 / 3, 0.75, 0.9, 1.0])


def brute_force(statements, threshold):
    expected = {}
    for (a, x), (b, y) in combinations(statements, 2):
        key = (min(a, b), max(a, b))
        if normalise(x) and normalise(x) == normalise(y):
            expected[key] = 1.0
            continue
        wx, wy = tokens(x), tokens(y)
        if wx and wy and len(wx & wy) / len(wx | wy) >= threshold:
            expected[key] = round(len(wx & wy) / len(wx | wy), 3)
    return expected


@settings(max_examples=150, deadline=None)
@given(statement_lists, thresholds)
def test_same_pairs_as_comparing_every_pair(statements, threshold):
    found = suggest_duplicates(statements, threshold, limit=10_000)
    assert {(s.a, s.b): s.score for s in found} == brute_force(statements, threshold)


@settings(max_examples=150, deadline=None)
@given(statement_lists, thresholds)
def test_pairs_are_ordered_in_range_and_above_threshold(statements, threshold):
    found = suggest_duplicates(statements, threshold, limit=10_000)
    texts = dict(statements)
    for s in found:
        assert s.a < s.b and 0 <= s.score <= 1
        wa, wb = tokens(texts[s.a]), tokens(texts[s.b])
        exact = (
            1.0 if normalise(texts[s.a]) == normalise(texts[s.b]) else len(wa & wb) / len(wa | wb)
        )
        assert exact >= threshold
    assert found == sorted(found, key=lambda s: (-s.score, s.a, s.b))
    assert len({(s.a, s.b) for s in found}) == len(found)


@settings(max_examples=100, deadline=None)
@given(statement_text, statement_text)
def test_score_is_symmetric(x, y):
    forward = suggest_duplicates([(1, x), (2, y)], threshold=0.01)
    backward = suggest_duplicates([(1, y), (2, x)], threshold=0.01)
    assert [s.score for s in forward] == [s.score for s in backward]


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(lambda t: t.strip()))
def test_identical_text_scores_one(text):
    assert suggest_duplicates([(5, text), (3, text)], threshold=1.0) == [Suggestion(3, 5, 1.0)]
