"""Benchmark of a whole planning process: five large meetings feeding one living plan.

Builds, in a temporary SQLite database migrated like production, a planning process of
``--workshops`` meetings (default 5), each of 2,000 participants, 10,000 statements and
100,000 ballots (the generator of ``bench/exports.py``), drafts the first meetings into the
process plan, then times (best of ``--repeat``):

- drafting the last meeting into a plan the others already fed (``merge_workshop``, what
  ``POST /api/v1/workshops/<code>/plan/draft`` runs), rolled back after each run so every
  run merges into the same plan;
- ``GET /api/v1/processes/<id>/plan`` through the test client (the whole request);
- ``GET /api/v1/processes/<id>/export?format=docx`` and ``xlsx`` (and json).

Targets (issue 14): draft < 5 s, plan GET < 300 ms, DOCX and XLSX < 10 s each. Writes the
figures to docs/performance.md under "## Planning process".

    .venv/bin/python bench/planning.py            # full size, updates docs/performance.md
    .venv/bin/python bench/planning.py --small    # 1/10 of the size, prints only
    .venv/bin/python bench/planning.py --profile draft|plan|docx|xlsx
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from exports import best_of, build, load_average, machine, write_section  # noqa: E402

SECTION = "## Planning process"
TARGETS = {"draft": 5.0, "plan": 0.3, "docx": 10.0, "xlsx": 10.0, "json": None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workshops", type=int, default=5)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--statements", type=int, default=10000)
    parser.add_argument("--ballots", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="1/10 of the size; prints only")
    parser.add_argument("--no-write", action="store_true", help="do not update performance.md")
    parser.add_argument("--profile", choices=sorted(TARGETS), help="cProfile one step")
    args = parser.parse_args()
    if args.small:
        args.participants, args.statements, args.ballots = 200, 1000, 10000
        args.no_write = True

    os.environ.setdefault("WORKSHOP_INSTANCE_DIR", tempfile.mkdtemp(prefix="bench-planning-"))
    from flask_migrate import upgrade

    from workshop import create_app
    from workshop.auth import create_api_token
    from workshop.config import TestConfig
    from workshop.extensions import db
    from workshop.models import Facilitator, PlanningProcess, Workshop
    from workshop.planning.drafting import merge_workshop
    from workshop.planning.processes import add_workshop, create_process

    with tempfile.TemporaryDirectory(prefix="bench-planning-") as folder:
        app = create_app(TestConfig(f"sqlite:///{folder}/bench.sqlite3"))
        with app.app_context():
            upgrade()
        with app.test_request_context("/"):
            start = time.perf_counter()
            facilitator = Facilitator(email="bench@example.org", password_hash="x")
            db.session.add(facilitator)
            db.session.flush()
            process = create_process(
                facilitator, "แผนเมืองลำปางยั่งยืน 2570–2579", "lampang", 2570, 2579
            )
            codes = []
            for n in range(args.workshops):
                workshop_id = build(
                    args.participants,
                    args.statements,
                    args.ballots,
                    seed=7 + n,
                    facilitator=facilitator,
                    title=f"ลำปาง เวทีที่ {n + 1}",
                    draft=False,
                )
                workshop = db.session.get(Workshop, workshop_id)
                add_workshop(process, workshop, facilitator, purpose=f"เวทีที่ {n + 1}")
                if n < args.workshops - 1:
                    merge_workshop(workshop)
                db.session.commit()
                codes.append(workshop.code)
                print(f"built meeting {n + 1} ({time.perf_counter() - start:.0f} s)", flush=True)
            process_id = process.id
            last_id = workshop_id
            db.session.expire_all()
            plan = db.session.get(PlanningProcess, process_id).plan
            items_before = len(plan.items)
            load_before = load_average()

            def draft():
                db.session.expire_all()
                merged = merge_workshop(db.session.get(Workshop, last_id))
                count = len(merged.items)
                db.session.rollback()  # every run merges into the same plan
                return count

            if args.profile == "draft":
                cProfile.runctx("draft()", globals(), locals(), sort="cumulative")
                return
            draft_seconds, items_after = best_of(args.repeat, draft)
            print(f"draft: {draft_seconds:.2f} s ({items_before} → {items_after} items)")
            # Keep the merge for the reads, as a real planner would see it.
            merge_workshop(db.session.get(Workshop, last_id))
            db.session.commit()

            token = create_api_token(db.session.get(Facilitator, facilitator.id))
            db.session.commit()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        base = f"/api/v1/processes/{process_id}"

        def get(path: str) -> bytes:
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.status_code, response.data[:300])
            return response.data

        timings: list[tuple[str, float, int]] = []
        steps = [("plan", f"{base}/plan")] + [
            (fmt, f"{base}/export?format={fmt}") for fmt in ("json", "xlsx", "docx")
        ]
        for name, path in steps:
            if args.profile == name:
                cProfile.runctx("get(path)", globals(), locals(), sort="cumulative")
                return
            seconds, body = best_of(args.repeat, lambda path=path: get(path))
            timings.append((name, seconds, len(body)))
            print(f"{name}: {seconds:.3f} s, {len(body) / 1e6:.2f} MB", flush=True)
        load_after = load_average()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    size = (
        f"{args.workshops} meetings of {args.participants:,} participants, "
        f"{args.statements:,} statements and {args.ballots:,} ballots each"
    )
    lines = [
        SECTION,
        "",
        f"`bench/planning.py` builds a planning process of {size} (SQLite, migrated like "
        f"production; the generator of `bench/exports.py`). The first "
        f"{args.workshops - 1} are drafted into the process plan ({items_before:,} items); "
        f"then it times, best of {args.repeat}, drafting the last one into it "
        f"(`merge_workshop`, {items_after:,} items after) and, through the test client, the "
        f"requests a planner makes.",
        "",
        "| step | seconds | target | output |",
        "|---|---:|---:|---:|",
        f"| draft the 5th meeting into the plan | {draft_seconds:.2f} | < 5 | |",
    ]
    for name, seconds, length in timings:
        target = TARGETS[name]
        label = "GET .../plan" if name == "plan" else f"GET .../export?format={name}"
        lines.append(
            f"| {label} | {seconds:.3f} | {'< ' + str(target) if target else ''} | "
            f"{length / 1e6:.2f} MB |"
        )
    lines += [
        "",
        f"Machine: {machine()}; load average {load_before} before the timings, {load_after} "
        f"after. Measured {date.today().isoformat()}.",
        "",
        "Reproduce: `.venv/bin/python bench/planning.py` (`--small` for a tenth of the size, "
        "`--profile draft|plan|json|xlsx|docx` for a cProfile of one step).",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    main()
