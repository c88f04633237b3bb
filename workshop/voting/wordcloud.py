"""Word cloud answers: raw text in, one counted term out; results from a running tally.

Each answer (1–40 characters) becomes one *term*: the text is NFC-normalised and
case-folded, segmented into words (PyThaiNLP ``newmm`` for Thai, as the duplicate
suggestions do, ``workshop/duplicates.py``), punctuation is dropped, polite particles
(ครับ ค่ะ คะ นะ จ้ะ ...) always, stop words too unless nothing else is left, and the words
are joined again: Thai words without a space, other words with one. So "สวน สาธารณะครับ",
"สวนสาธารณะ" and "สวนสาธารณะ!" are one term, as are "Bike lanes" and "bike-lanes".

A ballot is ``{term key: 1}``: a term counts once per attendee however often they send
it. The key is a stable 48-bit hash of the term (:func:`word_key`), so two phones sending
the same new word in the same moment agree on it without asking the database. No Flask,
no SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from pythainlp.tokenize import word_tokenize

from ..duplicates import ENGLISH_STOP, THAI_KEEP, normalise
from .ballots import BallotError
from .tally import Tally

MAX_ANSWER_LENGTH = 40
DEFAULT_MAX_WORDS = 3
MAX_WORDS_LIMIT = 10
# Particles that only make an answer polite: never a word of the cloud.
POLITE_PARTICLES = frozenset(
    [
        "ครับ",
        "ครับผม",
        "คร้าบ",
        "ค่ะ",
        "คะ",
        "ค่า",
        "ขา",
        "นะ",
        "นะคะ",
        "นะครับ",
        "จ้ะ",
        "จ้า",
        "จ๊ะ",
        "จ๋า",
        "ฮะ",
        "ค่ะๆ",
        "เจ้า",
        "จ้ะๆ",
        "ละ",
        "ล่ะ",
        "สิ",
        "ซิ",
    ]
)
_THAI = re.compile("[\u0e00-\u0e7f]")
_THAI_MARKS = re.compile("[\u0e2f\u0e46]")  # ฯ and ๆ
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_LATIN_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _thai_stop() -> frozenset[str]:
    from pythainlp.corpus import thai_stopwords

    return frozenset(thai_stopwords() - THAI_KEEP)


def _words(answer: str) -> list[str]:
    text = _THAI_MARKS.sub(" ", normalise(answer)).translate(_THAI_DIGITS)
    words: list[str] = []
    for token in word_tokenize(text, engine="newmm", keep_whitespace=False):
        token = token.strip()
        if _THAI.search(token):
            # Thai punctuation-free token; strip Latin punctuation stuck to it.
            words.extend(w for w in re.split(r"[^\w\u0e00-\u0e7f]+", token) if w)
        else:
            words.extend(_LATIN_WORD.findall(token))
    return [w for w in words if w not in POLITE_PARTICLES]


def _is_stop(word: str) -> bool:
    return word in _thai_stop() if _THAI.search(word) else word in ENGLISH_STOP


def _join(words: list[str]) -> str:
    out = ""
    for word in words:
        if out and not (_THAI.search(out[-1]) and _THAI.search(word[0])):
            out += " "
        out += word
    return out


@lru_cache(maxsize=8192)
def term(answer: str) -> str:
    """The counted form of one answer; "" when nothing but particles and punctuation is left."""
    words = _words(answer)
    content = [w for w in words if not _is_stop(w)]
    return _join(content or words)


def word_key(text: str) -> int:
    """A stable id of a term (48 bits: exact in JSON and JavaScript)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=6).digest(), "big")


def validate_words(raw: object, max_words: int) -> dict[int, str]:
    """``{key: term}`` of the answers in ``raw`` (a list of strings), or :class:`BallotError`.

    An empty list withdraws every answer. Answers giving the same term count once.
    """
    if not isinstance(raw, list):
        raise BallotError("invalid_ballot", "words must be a list of short answers")
    if len(raw) > max_words:
        raise BallotError("too_many_words", f"send at most {max_words} answers")
    found: dict[int, str] = {}
    for answer in raw:
        if not isinstance(answer, str):
            raise BallotError("invalid_ballot", "each answer must be text")
        answer = " ".join(answer.split())
        if not 1 <= len(answer) <= MAX_ANSWER_LENGTH:
            raise BallotError("invalid_word", f"each answer needs 1–{MAX_ANSWER_LENGTH} characters")
        counted = term(answer)
        if not counted:
            raise BallotError("empty_word", f"'{answer}' has no word left to count")
        found[word_key(counted)] = counted[:80]
    return found


def cloud_items(
    tally: Tally,
    texts: Mapping[int, str],
    groups: Iterable[str],
    hidden: Iterable[int] = (),
) -> list[dict]:
    """The cloud's words, most used first: ``{"word_key", "word", "count", "by_group",
    "top_group", "rank"}``; hidden words and words without a text are left out. The top
    group is the one using the word most (ties: the workshop's group order)."""
    order = list(groups)
    skip = set(hidden)
    rows = []
    for key, per_group in tally.counts.items():
        if key in skip or key not in texts:
            continue
        by_group = {g: sum(h.values()) for g, h in per_group.items() if sum(h.values())}
        count = sum(by_group.values())
        if not count:
            continue
        ranked_groups = sorted(
            by_group, key=lambda g: (-by_group[g], order.index(g) if g in order else len(order), g)
        )
        rows.append(
            {
                "word_key": key,
                "word": texts[key],
                "count": count,
                "by_group": {g: by_group.get(g, 0) for g in order}
                | {g: n for g, n in by_group.items() if g not in order},
                "top_group": ranked_groups[0],
            }
        )
    rows.sort(key=lambda r: (-r["count"], r["word"]))
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row["count"] != previous:
            rank, previous = position, row["count"]
        row["rank"] = rank
    return rows
