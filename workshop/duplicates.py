"""Suggested duplicate statements by word overlap (Thai words from PyThaiNLP's tokenizer)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from pythainlp.tokenize import word_tokenize


@dataclass(frozen=True)
class Suggestion:
    a: int
    b: int
    score: float


@lru_cache(maxsize=4096)
def tokens(text: str) -> frozenset[str]:
    text = unicodedata.normalize("NFC", text).lower()
    words = word_tokenize(text, engine="newmm", keep_whitespace=False)
    return frozenset(w for w in words if any(ch.isalnum() for ch in w) and len(w) > 1)


def suggest_duplicates(
    statements: Iterable[tuple[int, str]], threshold: float = 0.5, limit: int = 200
) -> list[Suggestion]:
    """Pairs whose word sets have a Jaccard similarity of at least ``threshold``."""
    words = {ident: tokens(text) for ident, text in statements}
    index: dict[str, list[int]] = defaultdict(list)
    for ident, ws in words.items():
        for w in ws:
            index[w].append(ident)
    candidates: set[tuple[int, int]] = set()
    for ids in index.values():
        candidates.update(combinations(sorted(ids), 2))
    found = []
    for a, b in candidates:
        union = len(words[a] | words[b])
        score = len(words[a] & words[b]) / union if union else 0.0
        if score >= threshold:
            found.append(Suggestion(a, b, round(score, 3)))
    found.sort(key=lambda s: (-s.score, s.a, s.b))
    return found[:limit]
