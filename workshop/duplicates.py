"""Suggested duplicate statements: Jaccard similarity of their word sets, Thai-aware.

Thai is written without spaces between words, so a statement's words come from
PyThaiNLP's ``newmm`` dictionary tokenizer. Spaces between two Thai characters are
removed first: Thai writers put spaces between phrases, not words, and
"สวนสาธารณะ ริมน้ำ" must read like "สวนสาธารณะริมน้ำ". Polite particles and
other function words (PyThaiNLP's Thai stop words, a small English set) are
dropped, so "... ค่ะ" or "please ..." does not change a statement's words.

Pairs are found with an exact *prefix filter* (Bayardo et al., "Scaling up all
pairs similarity search", WWW 2007) instead of comparing all n²/2 pairs:

* Every statement's tokens are ordered by how many statements use them, rarest
  first. If J(x, y) >= t then |x ∩ y| >= ceil(t·|x|), and the first
  ``|x| - ceil(t·|x|) + 1`` tokens of x (its prefix) and the prefix of y share at
  least one token. Only prefix tokens go into the inverted index, and only
  statements met there are compared.
* Statements are visited by size; y is only a candidate for x if
  |y| >= t·|x|, since J(x, y) <= |y| / |x|.

This is how very common words ("เมือง", "city") are skipped safely: they sit at
the end of each ordering, so they only enter the index for statements made
mostly of common words, where they are needed. Simply dropping tokens found in
more than 20% of statements would be faster still but would lose real pairs
("สร้างเมือง" / "เมืองสร้าง..."), so it is not done: the result is exactly the set
of pairs with Jaccard >= threshold.

Pure Python, no Flask or SQLAlchemy: callers pass ``(id, text)`` pairs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pythainlp.corpus import thai_stopwords, thai_words
from pythainlp.tokenize import word_tokenize

__all__ = ["Suggestion", "normalise", "suggest_duplicates", "tokens"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Thai stop words that change what a proposal asks for (negation, direction, size, time):
# PyThaiNLP lists them, but "เปิดตลาด" and "ปิดตลาด" are not duplicates.
THAI_KEEP = _words(
    "ไม่ ไม่ใช่ ห้าม เพิ่ม ลด ใหม่ เก่า เปิด ปิด สูง ต่ำ ใหญ่ เล็ก ใกล้ ไกล เร็ว ช้า "
    "วัน กลางวัน กลางคืน ต้น ปลาย ก่อน หลัง"
)
# Polite particles and fillers that PyThaiNLP's list lacks.
THAI_EXTRA_STOP = _words("นะคะ นะครับ ค่า ฮะ ครับผม คร้าบ")
# Function words only: "no", "not", "more", "less" change a proposal and stay words.
ENGLISH_STOP = _words(
    """a an the and or but of to in on at for with by from into onto about as
    is are was were be been being am it its this that these those there here
    we our ours us you your i me my they their them he she his her
    do does did should would could can will shall must may might
    please also very just so than then too etc"""
)
_THAI_CHAR = "\u0e00-\u0e7f"
_SPACE_BETWEEN_THAI = re.compile(rf"(?<=[{_THAI_CHAR}])\s+(?=[{_THAI_CHAR}])")
_THAI = re.compile(rf"[{_THAI_CHAR}]")
_THAI_MARKS = re.compile("[\u0e2f\u0e46]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_LATIN_WORD = re.compile(r"[^\W_]+")
_EPSILON = 1e-9


@dataclass(frozen=True)
class Suggestion:
    """Statements ``a`` < ``b`` may say the same thing; ``score`` is their Jaccard similarity."""

    a: int
    b: int
    score: float


@lru_cache(maxsize=1)
def _thai_stop() -> frozenset[str]:
    return frozenset((thai_stopwords() - THAI_KEEP) | THAI_EXTRA_STOP)


@lru_cache(maxsize=1)
def _thai_dictionary() -> frozenset[str]:
    return frozenset(thai_words())


def normalise(text: str) -> str:
    """NFC, case-folded, spaces collapsed, and no spaces between Thai characters."""
    text = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return _SPACE_BETWEEN_THAI.sub("", text)


def _keep(word: str) -> bool:
    if not any(ch.isalnum() for ch in word):
        return False
    if len(word) == 1:  # a stray consonant, a digit, a Latin letter: rarely a word
        return bool(_THAI.match(word)) and word in _thai_dictionary() and word not in _thai_stop()
    if _THAI.search(word):
        return word not in _thai_stop()
    return word not in ENGLISH_STOP


@lru_cache(maxsize=8192)
def tokens(text: str) -> frozenset[str]:
    """The content words of a statement (Thai words from ``newmm``, Latin words lower-cased)."""
    words: list[str] = []
    # ๆ repeats the word before it and ฯ abbreviates: "เด็กๆ" is เด็ก, "กรุงเทพฯ" is กรุงเทพ.
    # Thai digits are digits: "๒๕๗๐" is "2570".
    text = _THAI_MARKS.sub(" ", normalise(text)).translate(_THAI_DIGITS)
    for token in word_tokenize(text, engine="newmm", keep_whitespace=False):
        if _THAI.search(token):
            words.append(token.strip())
        else:  # "bike-lanes," -> bike, lanes; punctuation-only tokens vanish
            words.extend(_LATIN_WORD.findall(token))
    return frozenset(w for w in words if w and _keep(w))


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    shared = len(x & y)
    return shared / (len(x) + len(y) - shared)


def suggest_duplicates(
    statements: Iterable[tuple[int, str]], threshold: float = 0.5, limit: int = 200
) -> list[Suggestion]:
    """Pairs whose word sets have a Jaccard similarity of at least ``threshold`` (0 < t <= 1).

    Statements whose normalised texts are identical always pair with score 1.0, even
    when they have no content words ("ค่ะ" twice); otherwise a statement without
    content words matches nothing. Sorted by score (highest first), then by ids;
    at most ``limit`` pairs.
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be greater than 0 and at most 1")
    texts = dict(statements)
    found: dict[tuple[int, int], float] = {}

    # Literal duplicates (after normalise), whatever their words.
    same_text: dict[str, list[int]] = defaultdict(list)
    for ident, text in texts.items():
        key = normalise(text)
        if key:
            same_text[key].append(ident)
    for idents in same_text.values():
        idents.sort()
        for i, a in enumerate(idents):
            for b in idents[i + 1 :]:
                found[(a, b)] = 1.0

    words = {ident: tokens(text) for ident, text in texts.items()}
    words = {ident: ws for ident, ws in words.items() if ws}
    frequency = Counter(w for ws in words.values() for w in ws)
    rank = {w: i for i, (w, _) in enumerate(sorted(frequency.items(), key=lambda f: (f[1], f[0])))}
    index: dict[str, list[int]] = defaultdict(list)
    for x in sorted(words, key=lambda ident: (len(words[ident]), ident)):
        x_words = words[x]
        size = len(x_words)
        ordered = sorted(x_words, key=rank.__getitem__)
        prefix = ordered[: size - math.ceil(threshold * size - _EPSILON) + 1]
        min_size = threshold * size - _EPSILON
        candidates: set[int] = set()
        for w in prefix:
            candidates.update(y for y in index[w] if len(words[y]) >= min_size)
        for y in candidates:
            score = _jaccard(x_words, words[y])
            if score >= threshold:
                found[(x, y) if x < y else (y, x)] = round(score, 3)
        for w in prefix:
            index[w].append(x)

    pairs = [Suggestion(a, b, score) for (a, b), score in found.items()]
    pairs.sort(key=lambda s: (-s.score, s.a, s.b))
    return pairs[: max(limit, 0)]
