"""The vote writer alone: CPU per vote of ``commit_votes`` in batches (not a test).

What the group-commit writer (workshop/live/vote_queue.py) costs per vote, without sockets:
builds, in a temporary SQLite database migrated like production (WAL, synchronous=FULL),
a workshop with a brainstorm of 20 statements, an open dot vote and N participants, then
commits batches of dot votes shaped like bench/load.py's (each phone changes its ballot,
5 dots, at most 3 on a statement) and times them. Every participant has a ballot before
the timing starts, and ``--history`` earlier writes fill the ``vote_write`` table as a
long session would. Prints CPU and wall microseconds per vote.

    .venv/bin/python bench/vote_writer.py                       # batches of 100
    .venv/bin/python bench/vote_writer.py --batch 12            # as at 1,000 ballots/s
    .venv/bin/python bench/vote_writer.py --repeat 7            # median and min of 7 runs

The load generator (bench/load.py) measures the whole server; this isolates the part
that changes with the storage of ballots.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

STATEMENTS = 20


def run_once(participants: int, batch: int, batches: int, history: int, seed: int) -> float:
    """One fresh database; returns CPU seconds per vote over the timed batches."""
    from datetime import date

    from flask_migrate import upgrade
    from load import MAX_WEIGHT, ballot_of_weight
    from sqlalchemy import insert, select

    from workshop import create_app
    from workshop.config import TestConfig
    from workshop.extensions import db
    from workshop.live.vote_queue import commit_votes
    from workshop.models import Facilitator, Participant, Statement
    from workshop.services.ballots import VoteRequest
    from workshop.services.errors import ServiceError
    from workshop.services.workshops import ActivitySpec, add_activity, create_workshop

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="bench-writer-") as folder:
        config = TestConfig(f"sqlite:///{folder}/writer.sqlite3")
        config.RATE_VOTES = 0  # as bench/load.py runs the server
        app = create_app(config)
        with app.app_context():
            upgrade()
            facilitator = Facilitator(email="bench@example.org", password_hash="x")
            db.session.add(facilitator)
            workshop = create_workshop(facilitator, "Writer bench", "lampang", None, date.today())
            ideas = add_activity(workshop, ActivitySpec(kind="brainstorm", prompt="Ideas"))
            db.session.flush()
            db.session.execute(
                insert(Statement.__table__),
                [
                    {"workshop_id": workshop.id, "activity_id": ideas.id, "text": f"idea {n}"}
                    for n in range(STATEMENTS)
                ],
            )
            vote = add_activity(
                workshop,
                ActivitySpec(kind="dot_vote", prompt="Vote", source_activity_id=ideas.id),
            )
            vote.state = "open"
            db.session.execute(
                insert(Participant.__table__),
                [
                    {"workshop_id": workshop.id, "group": "residents", "token_hash": f"{n:064x}"}
                    for n in range(participants)
                ],
            )
            db.session.commit()
            statement_ids = sorted(
                db.session.scalars(select(Statement.id).where(Statement.activity_id == ideas.id))
            )
            people = [
                tuple(row) for row in db.session.execute(select(Participant.id, Participant.group))
            ]
            workshop_id, vote_id = workshop.id, vote.id
            db.session.remove()

            weights = dict.fromkeys((p for p, _ in people), 0)
            writes = 0

            def next_batch(size: int) -> list[VoteRequest]:
                nonlocal writes
                requests = []
                for pid, group in rng.sample(people, size):
                    weights[pid] = weights[pid] % MAX_WEIGHT + 1
                    dots = ballot_of_weight(weights[pid], rng)
                    writes += 1
                    payload = {
                        "activity_id": vote_id,
                        "client_id": f"load-{pid}-{writes}",
                        "dots": {str(statement_ids[i - 1]): n for i, n in dots.items()},
                    }
                    requests.append(VoteRequest(pid, workshop_id, group, payload))
                return requests

            def commit(requests: list[VoteRequest]) -> None:
                outcomes = commit_votes(requests)
                db.session.remove()
                refused = [o for o in outcomes if isinstance(o, ServiceError)]
                if refused:
                    raise RuntimeError(f"refused: {refused[:3]}")

            for start in range(0, participants, 500):  # a ballot for everyone
                commit(next_batch(min(500, participants - start)))
            for _ in range(history // 500):
                commit(next_batch(min(500, participants)))
            timed = [next_batch(batch) for _ in range(batches)]
            cpu = time.process_time()
            for requests in timed:
                commit(requests)
            return (time.process_time() - cpu) / (batch * batches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100, help="votes per transaction")
    parser.add_argument("--batches", type=int, default=100, help="timed transactions")
    parser.add_argument("--history", type=int, default=30000, help="earlier vote writes")
    parser.add_argument("--repeat", type=int, default=1, help="fresh runs; median and min")
    args = parser.parse_args()
    os.environ.setdefault("WORKSHOP_INSTANCE_DIR", tempfile.mkdtemp(prefix="bench-writer-"))
    figures = [
        1e6 * run_once(args.participants, args.batch, args.batches, args.history, seed)
        for seed in range(args.repeat)
    ]
    print(
        f"vote writer, batches of {args.batch}, {args.participants} participants, "
        f"{args.history} earlier writes: CPU per vote median {statistics.median(figures):.1f} us, "
        f"min {min(figures):.1f} us over {len(figures)} run(s): "
        + ", ".join(f"{f:.1f}" for f in figures)
    )


if __name__ == "__main__":
    main()
