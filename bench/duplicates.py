"""Benchmark of the duplicate suggestions (workshop/duplicates.py) on a large brainstorm.

Generates 1,000 realistic statements (about 70% Thai, 30% English or mixed, built
from word lists; about 10% are near-duplicates of an earlier one: other spacing,
a polite particle, other case or punctuation, one word more or less), then times
(best of 5):

* the tokenisation alone (PyThaiNLP ``newmm``, cache cleared before each run),
* ``suggest_duplicates`` from cold (tokenisation included, cache cleared),
* ``suggest_duplicates`` with the words already cached (the pairing alone),
* for comparison, Jaccard over every pair of the cached word sets,

checks that the index finds exactly the pairs of the all-pairs comparison, and
writes the figures to docs/performance.md under "## Duplicate suggestions".

    .venv/bin/python bench/duplicates.py              # updates docs/performance.md
    .venv/bin/python bench/duplicates.py --no-write   # prints only
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
from collections.abc import Callable
from datetime import date
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SECTION = "## Duplicate suggestions"
INTRO = "# Performance\n\nMeasured figures of Workshop's heavy paths, and how to reproduce them.\n"

THAI_ASK = ["อยากให้มี", "ควรสร้าง", "ขอให้เพิ่ม", "ปรับปรุง", "พัฒนา", "ต้องการ", "ช่วยดูแล", ""]
THAI_THING = [
    "สวนสาธารณะ",
    "ทางจักรยาน",
    "รถเมล์ไฟฟ้า",
    "ตลาดกลางคืน",
    "ไฟส่องสว่าง",
    "ทางเท้า",
    "ที่จอดรถ",
    "ห้องสมุดชุมชน",
    "ศูนย์ดูแลผู้สูงอายุ",
    "ระบบคัดแยกขยะ",
    "แผงโซลาร์เซลล์",
    "ต้นไม้ใหญ่",
    "ลานกีฬา",
    "พื้นที่สีเขียว",
    "ระบบระบายน้ำ",
    "ศูนย์เด็กเล็ก",
    "ถนนคนเดิน",
    "จุดชาร์จรถไฟฟ้า",
    "ท่าเรือ",
    "ศาลาพักผ่อน",
    "กล้องวงจรปิด",
    "โรงพยาบาล",
    "อินเทอร์เน็ตฟรี",
]
THAI_PLACE = [
    "ริมแม่น้ำวัง",
    "ใจกลางเมือง",
    "หน้าโรงเรียน",
    "ในชุมชน",
    "รอบสถานีรถไฟ",
    "ย่านตลาดเก่า",
    "ข้างวัด",
    "ริมถนนสายหลัก",
    "ในหมู่บ้าน",
    "ใกล้ตลาดสด",
    "",
]
THAI_WHY = [
    "สำหรับเด็กและผู้สูงอายุ",
    "เพื่อลดน้ำท่วม",
    "ให้ปลอดภัยตอนกลางคืน",
    "เพื่อการท่องเที่ยว",
    "เพื่อลดฝุ่นPM2.5",
    "ให้คนพิการใช้ได้",
    "เพื่อเศรษฐกิจชุมชน",
    "ลดค่าไฟ",
    "",
    "",
    "",
]
THAI_PARTICLE = ["", "", "", "ค่ะ", "ครับ", "นะคะ", "นะครับ"]
EN_ASK = ["more", "build", "better", "safe", "new", "cheaper", "free", "clean", "bigger"]
EN_THING = [
    "bike lanes",
    "night market",
    "electric buses",
    "street lights",
    "sidewalks",
    "parking",
    "public park",
    "solar panels",
    "shade trees",
    "waste sorting",
    "drainage",
    "library",
    "childcare centre",
    "walking street",
    "wifi",
    "river boats",
    "clinics",
    "CCTV cameras",
]
EN_PLACE = [
    "along the Wang river",
    "in the old town",
    "near schools",
    "around the station",
    "downtown",
    "in every community",
    "near the market",
    "",
]
EN_WHY = ["for kids", "for elderly people", "to cut flooding", "for tourists", "at night", "", ""]


def thai_statement(rng: random.Random) -> str:
    parts = [rng.choice(THAI_ASK), rng.choice(THAI_THING), rng.choice(THAI_PLACE)]
    parts += [rng.choice(THAI_WHY), rng.choice(THAI_PARTICLE)]
    joiner = " " if rng.random() < 0.3 else ""  # some people space their phrases
    return joiner.join(p for p in parts if p)


def english_statement(rng: random.Random) -> str:
    parts = [rng.choice(EN_ASK), rng.choice(EN_THING), rng.choice(EN_PLACE), rng.choice(EN_WHY)]
    text = " ".join(p for p in parts if p)
    if rng.random() < 0.3:  # mixed: an English idea with Thai words around it
        text = f"{rng.choice(THAI_THING)} {text} {rng.choice(THAI_PARTICLE)}".strip()
    return text[0].upper() + text[1:] + rng.choice(["", ".", "!", " please"])


def near_duplicate(rng: random.Random, text: str) -> str:
    """The same idea written by someone else."""
    change = rng.randrange(5)
    if change == 0:  # other spacing
        return re.sub(r"(สวนสาธารณะ|ทางจักรยาน|รถเมล์|ตลาด|ริม|ใน|เพื่อ|ให้)", r" \1 ", text).strip()
    if change == 1:  # a polite particle or "please"
        return text + rng.choice([" ค่ะ", " ครับ", "นะคะ", " please!"])
    if change == 2:  # case and punctuation
        return text.upper() + "!!" if rng.random() < 0.5 else text.lower().rstrip(".!") + "..."
    if change == 3:  # one word less
        words = text.split()
        return " ".join(words[:-1]) if len(words) > 2 else text.replace("ให้มี", "")
    return text + " " + rng.choice(["ด่วน", "urgently", "ทุกวัน", "every day"])  # one word more


def generate(count: int, seed: int = 20250601) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    texts: list[str] = []
    for _ in range(count):
        if texts and rng.random() < 0.10:
            texts.append(near_duplicate(rng, rng.choice(texts)))
        elif rng.random() < 0.7:
            texts.append(thai_statement(rng))
        else:
            texts.append(english_statement(rng))
    ids = rng.sample(range(1, count * 20), count)  # ids need not be dense or ordered
    return list(zip(ids, texts, strict=True))


def best_of(repeat: int, run: Callable[[], object], before: Callable[[], None] | None = None):
    best = float("inf")
    result = None
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def all_pairs(words: dict[int, frozenset[str]], threshold: float) -> set[tuple[int, int]]:
    found = set()
    for (a, x), (b, y) in combinations(words.items(), 2):
        if x and y and len(x & y) / len(x | y) >= threshold:
            found.add((min(a, b), max(a, b)))
    return found


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cpu}, nproc {usable} (the benchmark uses one core), "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def write_section(text: str) -> None:
    """Replace (or append) this benchmark's section of docs/performance.md."""
    current = PERFORMANCE_MD.read_text() if PERFORMANCE_MD.exists() else INTRO
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text.rstrip() + "\n\n", current).rstrip() + "\n"
    else:
        updated = current.rstrip() + "\n\n" + text.rstrip() + "\n"
    PERFORMANCE_MD.write_text(updated)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not update performance.md")
    args = parser.parse_args()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    start = time.perf_counter()
    from workshop.duplicates import suggest_duplicates, tokens

    tokens("เมืองน่าอยู่")  # loads the newmm dictionary and the stop words
    first = time.perf_counter() - start
    statements = generate(args.statements)
    print(f"import and first tokenisation (dictionary load): {first:.2f} s")

    def tokenise() -> dict[int, frozenset[str]]:
        return {ident: tokens(text) for ident, text in statements}

    def suggest():
        return suggest_duplicates(statements, args.threshold, limit=1_000_000)

    seconds_tokens, words = best_of(args.repeat, tokenise, tokens.cache_clear)
    seconds_cold, found = best_of(args.repeat, suggest, tokens.cache_clear)
    tokenise()
    seconds_warm, _ = best_of(args.repeat, suggest)
    seconds_all, expected = best_of(1, lambda: all_pairs(words, args.threshold))
    literal = {(s.a, s.b) for s in found if s.score == 1.0}
    assert {(s.a, s.b) for s in found} == expected | literal, "index and all pairs disagree"

    thai = sum(1 for _, text in statements if re.search("[\u0e00-\u0e7f]", text))
    average = sum(len(w) for w in words.values()) / len(words)
    pairs_note = (
        f"{len(statements):,} statements ({thai:,} with Thai), {average:.1f} words each on "
        f"average; {len(found):,} pairs at threshold {args.threshold}"
    )
    rows = [
        ("tokenisation alone (cache cleared)", seconds_tokens),
        ("`suggest_duplicates`, cold (tokenisation included)", seconds_cold),
        ("`suggest_duplicates`, words cached (pairing alone)", seconds_warm),
        ("for comparison: Jaccard of every pair, words cached (1 run)", seconds_all),
    ]
    print(pairs_note)
    for name, seconds in rows:
        print(f"{name}: {seconds * 1000:.1f} ms")

    lines = [
        SECTION,
        "",
        f"`bench/duplicates.py` generates {pairs_note}. Statements are built from Thai and "
        "English word lists; about 10% are near-duplicates of an earlier one (other spacing, "
        "a polite particle, other case or punctuation, one word more or less). Times are the "
        f"best of {args.repeat} runs; the benchmark also checks that the index finds exactly "
        "the pairs of the all-pairs comparison. The word lists are short, so random statements "
        "overlap far more than in a real room: the pairing figure is a pessimistic one.",
        "",
        "| step | ms |",
        "|---|---:|",
        *(f"| {name} | {seconds * 1000:.1f} |" for name, seconds in rows),
        "",
        f"Once per process, importing PyThaiNLP and loading the `newmm` dictionary and stop "
        f"words took {first:.2f} s before the first statement was tokenised.",
        "",
        "Tokenisation is most of the cost; `tokens()` keeps an LRU cache of 8,192 texts, so a "
        "moderation page reloaded during a brainstorm only tokenises the new statements. The "
        "pairing uses an inverted index with an exact prefix filter (rarest words first, size "
        'filter), so very common words such as เมือง or "city" are only indexed for '
        "statements made mostly of common words; see the docstring of `workshop/duplicates.py`.",
        "",
        f"Machine: {machine()}; load average {load:.1f} when the run started. "
        f"Measured {date.today().isoformat()}.",
        "",
        "Reproduce: `.venv/bin/python bench/duplicates.py` (add `--no-write` to leave this file "
        "alone, `--statements 5000` for a bigger room).",
    ]
    print()
    print("\n".join(lines))
    if not args.no_write:
        write_section("\n".join(lines))
        print(f"\nwrote {PERFORMANCE_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
