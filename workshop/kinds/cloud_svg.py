"""The word cloud as a server-drawn SVG: sized by how many attendees sent a word, coloured
by the stakeholder group that sent it most (a legend names the colours; every word also has
its ``data-group``; the pages list each word's counts per group in text, so colour is never
the only cue). Sizes go in steps (:data:`LEVELS`), so most votes do not change the drawing
and the cached SVG is sent again.

Thai glyphs are never cut: widths are estimated generously (combining vowels and tone
marks take no width, every other character up to 0.62 em, plus padding), each word's box
is 1.7 em high for the marks above and below the line, nothing is clipped
(``overflow="visible"``) and a word that does not fit is drawn smaller or left out, never
squeezed. No style attribute and no script (the app's CSP); text is escaped.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from ..charts import FONT, _attr, _text

WIDTH, HEIGHT = 1600, 900
MAX_WORDS = 60
MIN_SIZE, MAX_SIZE = 40, 140
# Okabe–Ito hues, darkened where needed for contrast on white.
PALETTE = ("#0072B2", "#B84A00", "#007A5A", "#A4467E", "#8A5A00", "#2F6B8F", "#161616")


def colour(group: str, groups: Sequence[str]) -> str:
    index = list(groups).index(group) if group in groups else len(groups)
    return PALETTE[index % len(PALETTE)]


def text_width(text: str, size: float) -> float:
    """A generous estimate of the drawn width of ``text`` at ``size`` px."""
    em = 0.0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
            continue  # Thai upper and lower vowels and tone marks sit on the consonant
        if ch.isspace():
            em += 0.32
        elif "\u0e00" <= ch <= "\u0e7f":
            em += 0.62
        elif ch.isupper() or ch.isdigit():
            em += 0.68
        else:
            em += 0.58
    return (em + 0.4) * size


LEVELS = 8  # sizes are in steps: most new votes leave the drawing (and its cache) as it was


def level(count: int, top: int) -> int:
    """A word's size step, 1 .. LEVELS, from its share of the most used word's count."""
    return max(1, math.ceil(LEVELS * count / max(top, 1)))


def _size(step: int, low: int, high: int) -> float:
    if high == low:
        return (MIN_SIZE + MAX_SIZE) / 2
    return MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((step - low) / (high - low))


def layout(items: Sequence[dict]) -> list[tuple[dict, float, float, float]]:
    """``(item, x, y, size)`` of the words that fit, biggest first, on an Archimedean
    spiral from the centre; boxes never overlap and stay inside the drawing."""
    words = list(items[:MAX_WORDS])
    if not words:
        return []
    steps = [w["level"] for w in words]
    low, high = min(steps), max(steps)
    sizes = [_size(w["level"], low, high) for w in words]
    # Shrink everything together until the words' boxes cover at most a third of the drawing.
    area = sum(text_width(w["word"], s) * 1.7 * s for w, s in zip(words, sizes, strict=True))
    factor = min(1.0, math.sqrt(WIDTH * HEIGHT / 3 / area))
    placed = _Boxes()
    out = []
    start = 0.0  # smaller words start further out: the centre is taken
    for item, size in zip(words, sizes, strict=True):
        size = max(size * factor, 14.0)
        for _attempt in range(4):
            spot = _place(item["word"], size, placed, start)
            if spot is not None:
                x, y, box, step = spot
                start = step * 0.7
                placed.add(box)
                out.append((item, x, y, size))
                break
            size *= 0.8
    return out


class _Boxes:
    """Placed boxes, bucketed in 80 px cells so a test looks at its neighbours only."""

    CELL = 200

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple]] = {}

    def _keys(self, box: tuple) -> list[tuple[int, int]]:
        c = self.CELL
        return [
            (i, j)
            for i in range(int(box[0] // c), int(box[2] // c) + 1)
            for j in range(int(box[1] // c), int(box[3] // c) + 1)
        ]

    def add(self, box: tuple) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def hits(self, box: tuple) -> bool:
        cells = self.cells
        return any(_overlap(box, other) for key in self._keys(box) for other in cells.get(key, ()))


def _place(
    word: str, size: float, placed: _Boxes, step: float
) -> tuple[float, float, tuple, float] | None:
    w, h = text_width(word, size), 1.7 * size
    if w > WIDTH - 20:
        return None
    while 4.0 * step < 580:  # past that the spiral is outside the drawing
        radius = 4.0 * step
        x = WIDTH / 2 + radius * math.cos(step) * 1.6  # wider than high, like the screen
        y = HEIGHT / 2 + radius * math.sin(step)
        box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        inside = box[0] >= 10 and box[1] >= 10 and box[2] <= WIDTH - 10 and box[3] <= HEIGHT - 10
        if inside and not placed.hits(box):
            return x, y, box, step
        step += min(0.35, 12.0 / max(radius, 1.0))  # about 12 px along the spiral
    return None


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def cloud_svg(items: Sequence[dict], groups: Sequence[str], label: str = "") -> str:
    """The SVG of the cloud of ``items`` (``word``, ``count``, ``top_group``, ``word_key``;
    most used first). Drawn again only when a word comes or goes, changes its size step or
    its colour: counts are not in the drawing (the pages list them as text)."""
    top = items[0]["count"] if items else 1
    signature = tuple(
        (i["word_key"], i["word"], level(i["count"], top), i.get("top_group"))
        for i in items[:MAX_WORDS]
    )
    return _cloud_svg(signature, tuple(groups), label)


@lru_cache(maxsize=64)
def _cloud_svg(signature: tuple, groups: tuple, label: str) -> str:
    keys = ("word_key", "word", "level", "top_group")
    items = [dict(zip(keys, s, strict=True)) for s in signature]
    drawn = layout(items)
    summary = ", ".join(item["word"] for item, *_ in drawn[:20])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="wordcloud-svg" role="img" overflow="visible" '
        f'aria-label="{_attr((label + ": " if label else "") + summary)}" '
        f'font-family="{_attr(FONT)}">'
    ]
    for item, x, y, size in drawn:
        group = item.get("top_group")
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}" text-anchor="middle" '
            f'dominant-baseline="central" font-weight="600" fill="{colour(group, groups)}" '
            f'data-key="{item["word_key"]}" data-group="{_attr(group)}" lang="th">'
            f"{_text(item['word'])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(groups: Sequence[str]) -> list[dict]:
    """``{"group", "colour"}`` of every group, for the legend beside the cloud (the page
    names the groups in its language)."""
    return [{"group": g, "colour": colour(g, groups)} for g in groups]
