"""Load generator for map activities: N real Socket.IO phones dropping pins at a set rate
(not a test). The map counterpart of bench/load.py, without its baseline relay.

Starts ``workshop serve`` (tests/live_server.py: a temporary SQLite instance, the
per-participant rate limits off), creates a map activity with an uploaded image, joins N
participants over HTTP, connects them and one projector, then for ``--duration`` seconds
sends ``--rate`` map ballots per second in all (1 to 3 pins with a category and sometimes
a note; one write in flight per phone, as the phone's UI does). Measures the ack latency
and, on the projector, the tallies received and their size. Then checks every phone's
last acknowledged pins against the stored pins (``GET .../pins``) and the results'
``by_category``: pins lost or doubled.

    .venv/bin/python bench/map_load.py            # 2,000 phones, 1,000 ballots/s, 30 s
    .venv/bin/python bench/map_load.py --quick    # 200 phones, 200/s, 5 s
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import LiveServer  # noqa: E402

CATEGORIES = ["ปัญหา", "โอกาส", "โครงการ"]
GROUPS = ["central_government", "local_government", "private_sector", "academia",
          "civil_society", "residents"]  # fmt: skip
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- map_load.py: begin -->", "<!-- map_load.py: end -->"


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (230, 236, 220)).save(buffer, "PNG")
    return buffer.getvalue()


def pins(rng: random.Random) -> list[dict]:
    out = []
    for _ in range(rng.randint(1, 3)):
        pin = {"x": round(rng.random(), 4), "y": round(rng.random(), 4),
               "category": rng.choice(CATEGORIES)}  # fmt: skip
        if rng.random() < 0.3:
            pin["note"] = "น้ำท่วมขังทุกหน้าฝน ซอย " + str(rng.randint(1, 99))
        out.append(pin)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


async def main(args) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="workshop-map-load-"))
    server = LiveServer(
        folder,
        env_extra={
            "WORKSHOP_RATE_VOTES": "0",
            "WORKSHOP_RATE_STATEMENTS": "0",
            "WORKSHOP_DATABASE_URL": f"sqlite:///{folder / 'load.sqlite3'}",
        },
    )
    server.prepare()
    server.start()
    try:
        return await run(server, args)
    finally:
        server.stop()


async def run(server, args) -> dict:
    api = f"{server.url}/api/v1"
    auth = {"Authorization": f"Bearer {server.token}"}
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def post(path, body, headers=None):
            async with http.post(f"{api}{path}", json=body, headers=headers or {}) as r:
                data = await r.json()
                assert r.status < 300, (path, r.status, data)
                return data

        code = (await post("/workshops", {"title": "Map load"}, auth))["code"]
        body = {"kind": "map", "prompt": "Where?", "categories": CATEGORIES}
        activity = (await post(f"/workshops/{code}/activities", body, auth))["id"]
        form = aiohttp.FormData()
        form.add_field("file", png(), filename="map.png", content_type="image/png")
        async with http.post(f"{api}/workshops/{code}/activities/{activity}/image",
                             data=form, headers=auth) as r:  # fmt: skip
            assert r.status == 201, await r.text()
        await post(f"/workshops/{code}/activities/{activity}/state", {"state": "open"}, auth)
        limit = asyncio.Semaphore(16)

        async def join(n):
            async with limit:
                data = await post(f"/workshops/{code}/participants", {"group": GROUPS[n % 6]})
                return data["token"]

        tokens = await asyncio.gather(*(join(n) for n in range(args.clients)))
        phones = [socketio.AsyncClient(reconnection=False, http_session=http) for _ in tokens]
        connect = asyncio.Semaphore(50)

        async def connect_one(phone, token):
            async with connect:
                await phone.connect(server.url, auth={"workshop": code, "token": token},
                                    transports=["websocket"], wait_timeout=60)  # fmt: skip

        await asyncio.gather(*(connect_one(p, t) for p, t in zip(phones, tokens, strict=True)))
        projector = socketio.AsyncClient(reconnection=False, http_session=http)
        tallies: list[tuple[float, int]] = []

        @projector.on("tally")
        async def on_tally(payload):
            tallies.append((time.monotonic(), len(json.dumps(payload))))

        await projector.connect(server.url, auth={"workshop": code, "role": "presenter"},
                                transports=["websocket"])  # fmt: skip
        latencies: list[float] = []
        errors: Counter = Counter()
        acked: dict[int, list[dict]] = {}
        busy = [False] * len(phones)
        rngs = [random.Random(n) for n in range(len(phones))]
        writes = [0] * len(phones)

        async def vote(n):
            busy[n] = True
            writes[n] += 1
            ballot = pins(rngs[n])
            payload = {"activity_id": activity, "client_id": f"m{n}-{writes[n]}", "pins": ballot}
            sent = time.monotonic()
            try:
                ack = await phones[n].call("vote", payload, timeout=30)
            except Exception as error:  # noqa: BLE001 - counted, the run goes on
                errors[type(error).__name__] += 1
                busy[n] = False
                return
            latencies.append(time.monotonic() - sent)
            if ack.get("ok"):
                acked[n] = ballot
            else:
                errors[ack["error"]["code"]] += 1
            busy[n] = False

        start = time.monotonic()
        tasks, sent_count, skipped = [], 0, 0
        cpu0 = os.times()
        while (now := time.monotonic()) - start < args.duration:
            due = int((now - start) * args.rate)
            while sent_count < due:
                n = sent_count % len(phones)
                sent_count += 1
                if busy[n]:
                    skipped += 1
                    continue
                tasks.append(asyncio.ensure_future(vote(n)))
            await asyncio.sleep(0.002)
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - start
        cpu1 = os.times()
        await asyncio.sleep(1.0)
        async with http.get(f"{api}/workshops/{code}/activities/{activity}/pins",
                            headers=auth) as r:  # fmt: skip
            stored = (await r.json())["pins"]
        async with http.get(f"{api}/workshops/{code}/results", headers=auth) as r:
            result = next(a for a in (await r.json())["activities"] if a["id"] == activity)
        expected = Counter(p["category"] for ballot in acked.values() for p in ballot)
        stored_counts = Counter(p["category"] for p in stored)
        for phone in phones:
            await phone.disconnect()
        await projector.disconnect()
        during = [size for at, size in tallies if start <= at <= start + elapsed]
        return {
            "clients": args.clients,
            "rate": args.rate,
            "duration": round(elapsed, 1),
            "acked": len(latencies) - sum(errors.values()),
            "acked_per_s": round((len(latencies) - sum(errors.values())) / elapsed, 1),
            "skipped_busy_phone": skipped,
            "errors": dict(errors),
            "ack_ms": {p: round(percentile(latencies, p) * 1000, 1) for p in (50, 95, 99)},
            "max_ack_ms": round(max(latencies, default=0) * 1000, 1),
            "tallies_per_s": round(len(during) / elapsed, 1),
            "tally_kb_p50": round(percentile(during, 50) / 1024, 1),
            "pins_expected": sum(expected.values()),
            "pins_stored": len(stored),
            "lost_or_doubled": sum((expected - stored_counts).values())
            + sum((stored_counts - expected).values()),
            "by_category_matches": result["by_category"] == {c: expected[c] for c in CATEGORIES},
            "generator_cpu_s": round((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system), 1),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "cores": os.cpu_count(),
        }


def write(figures: dict, command: str) -> None:
    lines = [
        BEGIN,
        f"`{command}` — {figures['cores']} cores shared with other work, load average "
        f"{', '.join(map(str, figures['load_average']))} at the end.",
        "",
        "| phones | target rate | acked ballots/s | ack p50 / p95 / p99 (ms) | max ack (ms) "
        "| errors | projector tallies/s (size p50) | pins acked / stored | lost or doubled |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {figures['clients']} | {figures['rate']:g}/s | {figures['acked_per_s']} "
        f"| {figures['ack_ms'][50]} / {figures['ack_ms'][95]} / {figures['ack_ms'][99]} "
        f"| {figures['max_ack_ms']} | {figures['errors'] or 0} "
        f"| {figures['tallies_per_s']} ({figures['tally_kb_p50']} KB) "
        f"| {figures['pins_expected']} / {figures['pins_stored']} | {figures['lost_or_doubled']} |",
        "",
        f"Phones still waiting for their previous ack when their turn came (not sent): "
        f"{figures['skipped_busy_phone']}. Results by_category equal to the acked pins: "
        f"{figures['by_category_matches']}. Generator CPU: {figures['generator_cpu_s']} s.",
        END,
    ]
    block = "\n".join(lines) + "\n"
    text = PERFORMANCE_MD.read_text()
    section = "## Map pins: phones dropping pins"
    if BEGIN in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END + "\n")
        text = head + block + tail
    else:
        text = text.rstrip("\n") + f"\n\n{section}\n\n{block}"
    PERFORMANCE_MD.write_text(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int)
    parser.add_argument("--rate", type=float)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    args.clients = args.clients or (200 if args.quick else 2000)
    args.rate = args.rate or (200 if args.quick else 1000)
    args.duration = args.duration or (5 if args.quick else 30)
    figures = asyncio.run(main(args))
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if not args.no_write:
        write(figures, ".venv/bin/python bench/" + " ".join(["map_load.py", *sys.argv[1:]]))
