"""A second process holds SQLite's write lock under a real ``workshop serve``: how long
does ``GET /health`` take meanwhile, and what do writes get?

    .venv/bin/python bench/locked_db.py [--hold 12] [--writes 8]

Run from the root of a checkout: the server is that checkout's (``tests/live_server.py``),
so the same script measures another tree too (``cd OTHER && OTHER/.venv/bin/python
THIS/bench/locked_db.py``). Prints the figures; docs/performance.md keeps them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())

import requests  # noqa: E402

from tests.live_server import LiveServer  # noqa: E402

HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold", type=float, default=12.0, help="seconds the lock is held")
    parser.add_argument("--writes", type=int, default=8, help="statement writes sent at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder) / "instance", env_extra={"WORKSHOP_RATE_STATEMENTS": "0"})
        server.prepare()
        server.start()
        try:
            run(server, args.hold, args.writes)
        finally:
            server.stop()


def run(server: LiveServer, hold: float, writes: int) -> None:
    code = server.api("POST", "/workshops", json={"title": "Lock"}).json()["code"]
    activity = server.api(
        "POST", f"/workshops/{code}/activities", json={"kind": "brainstorm", "prompt": "?"}
    ).json()["id"]
    server.api("POST", f"/workshops/{code}/activities/{activity}/state", json={"state": "open"})
    token = server.api(
        "POST", f"/workshops/{code}/participants", token="", json={"group": "residents"}
    ).json()["token"]

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(server.instance_dir / "workshop.sqlite3"), str(hold)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    locked_at = time.monotonic()
    outcomes: list[tuple[int, float]] = []

    def write(n: int) -> None:
        start = time.monotonic()
        response = requests.post(
            f"{server.url}/api/v1/workshops/{code}/statements",
            headers={"Authorization": f"Bearer {token}"},
            json={"activity_id": activity, "text": f"idea {n}", "client_id": f"c{n}"},
            timeout=60,
        )
        outcomes.append((response.status_code, time.monotonic() - start))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writes)]
    for thread in threads:
        thread.start()
    health: list[float] = []
    while time.monotonic() - locked_at < hold - 0.5:
        start = time.monotonic()
        requests.get(f"{server.url}/health", timeout=60)
        health.append(time.monotonic() - start)
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    holder.wait()
    statuses: dict[int, int] = {}
    for status, _ in outcomes:
        statuses[status] = statuses.get(status, 0) + 1
    print(f"lock held {hold:.0f} s by another process; {writes} statement writes sent at once")
    print(
        f"GET /health while held: {len(health)} requests, median {statistics.median(health):.3f}"
        f" s, max {max(health):.3f} s"
    )
    answered = sorted(seconds for _, seconds in outcomes)
    print(f"writes: {statuses}; answered after {answered[0]:.1f}-{answered[-1]:.1f} s")
    print(f"load average: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
