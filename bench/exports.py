"""Benchmark of the report and its export formats on a very large workshop.

Builds, in a temporary SQLite database migrated like production, a workshop of
2,000 participants, 10,000 statements and 100,000 ballots (bulk inserts through
SQLAlchemy Core), drafts its plan, then times every format end to end (best of 3):
``export_report``, what ``GET .../export?format=`` runs, i.e. the report data
(``build_report``) and then the renderer. ``build_report`` alone is timed too, as
the share every format pays. Writes the figures to docs/performance.md under
"## Exports".

    .venv/bin/python bench/exports.py            # full size, updates docs/performance.md
    .venv/bin/python bench/exports.py --small    # 1/10 of the size, prints only
    .venv/bin/python bench/exports.py --profile report # cProfile of build_report
    .venv/bin/python bench/exports.py --profile docx   # cProfile of one renderer
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import random
import re
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SECTION = "## Exports"
INTRO = "Measured figures of Workshop's heavy paths, and how to reproduce them."
FORMATS = ("json", "csv", "md", "html", "xlsx", "docx")
GROUPS = [
    "central_government",
    "local_government",
    "private_sector",
    "academia",
    "civil_society",
    "residents",
]
GROUP_WEIGHTS = [1, 3, 2, 2, 3, 9]
# Brainstorms: (plan section, horizon, share of the statements).
BRAINSTORMS = [
    ("vision", None, 0.10),
    ("goals", None, 0.15),
    ("strategies", None, 0.15),
    ("projects", "short", 0.20),
    ("projects", "medium", 0.20),
    ("projects", "long", 0.20),
]
VOTE_KINDS = ["dot_vote", "dot_vote", "rank", "agree", "rating"]
WORDS = " ".join(
    [
        "เมือง สีเขียว แม่น้ำ ทางเดิน ร่มเงา รถเมล์ กลางคืน ตลาด วัฒนธรรม ผู้สูงอายุ เด็ก โรงเรียน",
        "สวนสาธารณะ จักรยาน น้ำท่วม ขยะ พลังงาน แสงอาทิตย์ ท่องเที่ยว ชุมชน อาหาร ปลอดภัย",
        "clean air night bus river walk smart city heritage bike lanes market hall",
    ]
).split(" ")
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "<script>x</script>", "[a](b)"]


def _text(rng: random.Random, n: int) -> str:
    if n % 97 == 0:
        return HOSTILE[n % len(HOSTILE)]
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))


def _skewed(rng: random.Random, ids: list[int], k: int) -> list[int]:
    """k distinct ids, popular ones (the start of the list) far more often."""
    chosen: dict[int, None] = {}
    while len(chosen) < min(k, len(ids)):
        chosen[ids[int(len(ids) * rng.random() ** 3)]] = None
    return list(chosen)


def build(
    participants: int,
    statements: int,
    ballots: int,
    seed: int = 7,
    facilitator=None,
    title: str = "Lampang Sustainable Future City 2026",
    draft: bool = True,
) -> int:
    """Fill the current app's database; returns the workshop id.

    Called again on the same database (``bench/planning.py`` builds several meetings), the
    bulk-inserted rows' ids continue after the existing ones; pass the same ``facilitator``.
    """
    from sqlalchemy import func, insert, select

    from workshop.extensions import db
    from workshop.models import (
        AuditEntry,
        Ballot,
        Facilitator,
        Participant,
        Statement,
        StatementEdit,
        encode_entries,
    )
    from workshop.planning.workshop_plan import draft_plan
    from workshop.services.workshops import ActivitySpec, add_activity, create_workshop

    rng = random.Random(seed)
    now = datetime(2026, 11, 26, 9, 0, 0)
    if facilitator is None:
        facilitator = Facilitator(email="bench@example.org", password_hash="x")
        db.session.add(facilitator)
    workshop = create_workshop(facilitator, title, "lampang", None, date(2026, 11, 26))
    pid0, sid0, bid0 = (
        db.session.scalar(select(func.coalesce(func.max(t.c.id), 0)))
        for t in (Participant.__table__, Statement.__table__, Ballot.__table__)
    )
    brainstorms = []
    for section, horizon, _share in BRAINSTORMS:
        prompt = f"ข้อเสนอสำหรับ {section}" + (f" ({horizon})" if horizon else "")
        spec = ActivitySpec(kind="brainstorm", prompt=prompt, plan_section=section, horizon=horizon)
        brainstorms.append(add_activity(workshop, spec))
    per_activity = max(1, ballots // participants)  # every participant votes in every vote
    votes = []
    for n in range(per_activity):
        source = brainstorms[n % len(brainstorms)]
        kind = VOTE_KINDS[n % len(VOTE_KINDS)]
        spec = ActivitySpec(
            kind=kind, prompt=f"{kind} {n + 1}: {source.prompt}", source_activity_id=source.id
        )
        votes.append(add_activity(workshop, spec))
    for activity in workshop.activities:
        activity.state = "closed"
    db.session.flush()

    people = [
        {
            "id": pid0 + n + 1,
            "workshop_id": workshop.id,
            "group": rng.choices(GROUPS, GROUP_WEIGHTS)[0],
            "name": None,
            "token_hash": f"{pid0 + n:064x}",
            "created_at": now,
        }
        for n in range(participants)
    ]
    db.session.execute(insert(Participant.__table__), people)

    rows, by_brainstorm, sid = [], {b.id: [] for b in brainstorms}, sid0
    for brainstorm, (_s, _h, share) in zip(brainstorms, BRAINSTORMS, strict=True):
        for _ in range(int(statements * share)):
            sid += 1
            rows.append(
                {
                    "id": sid,
                    "workshop_id": workshop.id,
                    "activity_id": brainstorm.id,
                    "participant_id": pid0 + rng.randint(1, participants),
                    "text": _text(rng, sid),
                    "client_id": f"s{sid}",
                    "hidden": sid % 101 == 0,
                    "pending": False,
                    "pinned": sid % 499 == 0,
                    "merged_into_id": None,
                    "merged_at": None,
                    "created_at": now + timedelta(seconds=sid),
                }
            )
            by_brainstorm[brainstorm.id].append(sid)
    for row in rows[5::103]:  # duplicates merged into the statement before them
        if (
            row["id"] > sid0 + 1
            and not row["hidden"]
            and rows[row["id"] - sid0 - 2]["activity_id"] == row["activity_id"]
        ):
            row["merged_into_id"], row["merged_at"] = row["id"] - 1, now
    db.session.execute(insert(Statement.__table__), rows)
    db.session.execute(
        insert(StatementEdit.__table__),
        [
            {
                "statement_id": r["id"],
                "old_text": r["text"] + " (เดิม)",
                "new_text": r["text"],
                "facilitator_id": facilitator.id,
                "at": now,
            }
            for r in rows[::211]
        ],
    )

    ballot_rows, bid = [], bid0
    for vote in votes:
        ids = [
            i
            for i in by_brainstorm[vote.source_activity_id]
            if rows[i - sid0 - 1]["merged_into_id"] is None and not rows[i - sid0 - 1]["hidden"]
        ]
        for person in range(pid0 + 1, pid0 + participants + 1):
            bid += 1
            if vote.kind == "dot_vote":
                picks, values = _skewed(rng, ids, 3), [2, 2, 1]
            elif vote.kind == "rank":
                picks, values = _skewed(rng, ids, 3), [1, 2, 3]
            elif vote.kind == "agree":
                picks = _skewed(rng, ids, 5)
                values = [rng.choice((1, 1, 1, -1, 0)) for _ in picks]
            else:
                picks = _skewed(rng, ids, 4)
                values = [rng.randint(1, 5) for _ in picks]
            ballot_rows.append(
                {
                    "id": bid,
                    "activity_id": vote.id,
                    "participant_id": person,
                    "client_id": f"b{bid}",
                    "created_at": now,
                    "updated_at": now,
                    "entries": encode_entries(dict(zip(picks, values, strict=False))),
                }
            )
    db.session.execute(insert(Ballot.__table__), ballot_rows)
    db.session.execute(
        insert(AuditEntry.__table__),
        [
            {
                "workshop_id": workshop.id,
                "at": now + timedelta(seconds=n),
                "facilitator_id": facilitator.id,
                "action": ("open", "close", "hide", "edit")[n % 4],
                "target_type": "activity",
                "target_id": n % 50 + 1,
                "details": {"n": n},
            }
            for n in range(500)
        ],
    )
    db.session.commit()
    if draft:
        draft_plan(workshop)
        db.session.commit()
    return workshop.id


def best_of(repeat: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def reference_loops() -> tuple[float, float]:
    """CPU seconds of two fixed pure-Python loops, to compare machines (and one machine's days).

    Adding 10 million numbers barely touches memory; building 2 million small dicts
    (collector paused, as in the exports) is bound by memory much like the exports are.
    """
    start = time.process_time()
    total = 0
    for n in range(10_000_000):
        total += n
    adding = time.process_time() - start
    gc.disable()
    try:
        start = time.process_time()
        rows = [{"id": n, "items": [n]} for n in range(2_000_000)]
        building = time.process_time() - start
        del rows
    finally:
        gc.enable()
    return adding, building


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores visible (an export uses one), "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def write_section(text: str) -> None:
    """Replace (or append) the "## Exports" section of docs/performance.md."""
    if PERFORMANCE_MD.exists():
        current = PERFORMANCE_MD.read_text()
    else:
        current = f"# Performance\n\n{INTRO}\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text.rstrip() + "\n\n", current).rstrip() + "\n"
    else:
        updated = current.rstrip() + "\n\n" + text.rstrip() + "\n"
    PERFORMANCE_MD.write_text(updated)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=10000)
    parser.add_argument("--ballots", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="1/10 of the size; prints only")
    parser.add_argument("--no-write", action="store_true", help="do not update performance.md")
    parser.add_argument("--profile", choices=[*FORMATS, "report"], help="cProfile one step")
    args = parser.parse_args()
    if args.small:
        args.participants, args.statements, args.ballots = 200, 1000, 10000
        args.no_write = True

    os.environ.setdefault("WORKSHOP_INSTANCE_DIR", tempfile.mkdtemp(prefix="bench-exports-"))
    from flask_migrate import upgrade

    from workshop import create_app
    from workshop.config import TestConfig
    from workshop.exports import render
    from workshop.extensions import db
    from workshop.models import Workshop
    from workshop.services.report import build_report, collector_paused, export_report

    with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
        app = create_app(TestConfig(f"sqlite:///{folder}/bench.sqlite3"))
        with app.app_context():
            upgrade()
        with app.test_request_context("/"):
            start = time.perf_counter()
            workshop_id = build(args.participants, args.statements, args.ballots)
            setup = time.perf_counter() - start
            print(f"built the workshop in {setup:.1f} s", flush=True)
            load_before = load_average()

            def workshop() -> Workshop:
                db.session.expire_all()  # every run reads the database again
                return db.session.get(Workshop, workshop_id)

            def report() -> dict:
                # As inside export_report: the collector is paused while building.
                with collector_paused():
                    return build_report(workshop())

            if args.profile == "report":
                cProfile.runctx("report()", globals(), locals(), sort="cumulative")
                return
            seconds, data = best_of(args.repeat, report)
            plan_items = 1 + sum(
                len(data["plan"][s]) for s in ("alternatives", "goals", "strategies", "projects")
            )
            counts = (
                f"{data['participation']['participants']['total']:,} participants, "
                f"{len(data['statements']):,} statements, "
                f"{data['participation']['ballots']:,} ballots, "
                f"{len(data['activities'])} activities, "
                f"{sum(len(a['items']) for a in data['activities']):,} result rows, "
                f"{plan_items:,} plan items"
            )
            print(counts)
            print(f"build_report: {seconds:.2f} s", flush=True)
            if args.profile:
                profiler = cProfile.Profile()
                with collector_paused():
                    profiler.runcall(render, data, args.profile)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
                return
            report_seconds = seconds
            del data
            results = []
            for fmt in FORMATS:
                # End to end, as the export route runs it: report data, then the renderer.
                seconds, export = best_of(
                    args.repeat, lambda fmt=fmt: export_report(workshop(), fmt)
                )
                results.append((fmt, seconds, len(export.body)))
                print(
                    f"{fmt}: {seconds:.2f} s end to end, {len(export.body) / 1e6:.1f} MB",
                    flush=True,
                )
                del export
            load_after = load_average()
            references = [reference_loops() for _ in range(3)]
            adding, building = (min(r[i] for r in references) for i in (0, 1))
            db.session.remove()
            db.engine.dispose()

    lines = [
        SECTION,
        "",
        f"`bench/exports.py` builds, in a temporary SQLite database migrated like production, a "
        f"workshop of {counts}. Then it times every export format end to end, best of "
        f"{args.repeat}: `export_report`, which is what `GET /api/v1/workshops/<code>/export` "
        f"runs (the report data from the database, then the renderer). Target: under 5 s per "
        f"format on one core.",
        "",
        "| format | end to end, seconds | output |",
        "|---|---:|---:|",
    ]
    for name, seconds, size in results:
        lines.append(f"| {name} | {seconds:.2f} | {size / 1e6:.1f} MB |")
    lines += [
        "",
        f"The report data alone (`build_report`, part of every figure above): "
        f"{report_seconds:.2f} s.",
        "",
        f"Machine: {machine()}; load average {load_before} before the timings, {load_after} "
        f"after them. Reference loops, to compare runs on other days or machines: 10 million "
        f"Python additions {adding:.2f} s, 2 million small dicts built {building:.2f} s. "
        f"Measured {date.today().isoformat()}.",
        "",
        "Reproduce: `.venv/bin/python bench/exports.py` (add `--no-write` to leave this file "
        "alone, `--profile report` for a cProfile of `build_report`, `--profile docx` for one "
        "renderer).",
        "",
        "How the time is kept down: `build_report` takes the results of all activities from "
        "three grouped queries of plain rows (`workshop/services/report_data.py`: the "
        "statements, every ballot with its voter's group, ballot counts) instead of four "
        "or five queries and ORM objects per activity, and `export_report` pauses the cyclic "
        "garbage collector, which otherwise rescans the millions of new objects again and "
        "again. JSON is written without indentation, the form Python's C encoder handles. XLSX "
        "lets openpyxl (write-only mode) build the workbook, its styles and header rows, and "
        "writes the data rows as raw `<row>` XML spliced into each sheet (openpyxl's per-cell "
        "path took 7.9 s for these 1.8 million cells when it was measured, 2026-11-26) and "
        "compresses at zlib level 3 (level 6 took 0.7 s of it, for 15 % fewer bytes); DOCX "
        "writes each table's rows as XML text that lxml parses once, instead of python-docx's "
        "cell API or an lxml call per element (under cProfile, 2.0 s → 0.9 s for the 18,000 "
        "rows here); "
        "Markdown, HTML and CSV are lists of strings joined once, and Markdown and HTML escape "
        "each distinct statement text and cell once per export (the same 10,000 texts come "
        "back in every activity's results).",
        "",
        "These are wall-clock figures of one host. The reference loops say how fast it was: "
        "the same code on a host whose loops take twice as long takes about twice as long. "
        "On 2026-11-27 one such host (loops 0.38 s and 0.66 s, busy) measured 6.3–9.5 s per "
        "format with the code before the DOCX/XLSX/Markdown/HTML changes above.",
    ]
    slow = [name for name, seconds, _ in results if seconds > 5]
    if slow:
        lines += [
            "",
            f"Over the 5 s target: {', '.join(slow)}. Profile a step with "
            f"`--profile report` (or a format name).",
        ]
    print()
    print("\n".join(lines))
    if not args.no_write:
        write_section("\n".join(lines))
        print(f"\nwritten to {PERFORMANCE_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
