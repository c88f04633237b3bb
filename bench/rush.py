"""Doors-open rush (issue 18, point 3): a benchmark, not a test.

Starts ``workshop serve`` (as bench/load.py does: temporary SQLite, per-participant rate
limits off) and bench/baseline_relay.py side by side, each with a workshop whose dot vote is
open (the relay's is implicit) and a projector connected. Then, on one server while the
other is idle:

1. **rush**: ``--clients`` new phones arrive as a Poisson process over ``--window``
   seconds (the arrival times are ``--clients`` uniform points of the window, sorted: a
   Poisson arrival with that many events). Each phone joins over HTTP
   (``POST /api/v1/workshops/<code>/participants``, the relay's ``POST /join``) and then
   connects over Socket.IO (WebSocket) with its token, as a phone that scanned the QR code.
   Measured per phone: join latency (the HTTP answer), connect latency (from the start of
   the connection to the namespace's ``connect``) and the first ``state`` (ours sends it
   on connect; the relay has none).
2. **wake-up**: every phone disconnects, then all connect again in a Poisson arrival over
   the same window (a hall of phones waking up): connect latency alone.

Server CPU (``/proc/<pid>/stat``) is read around each phase: CPU per arrival (join +
connect) and CPU per connect (the wake-up). Refused joins or connects are counted.

    .venv/bin/python bench/rush.py                    # 2,000 phones in 20 s
    .venv/bin/python bench/rush.py --clients 200 --window 5 --no-write
    .venv/bin/python bench/rush.py --skip-baseline --profile /tmp/rush.txt
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (  # noqa: E402
    GROUPS,
    BaselineTarget,
    WorkshopTarget,
    cpu_seconds,
    own_cpu_seconds,
    percentile,
    raise_open_files,
    rss_kb,
    run_loop,
    start_profiler,
    stop_profiler,
    summarise_profile,
)
from load_report import machine  # noqa: E402
from restart import load_average, write_section  # noqa: E402

SECTION = "## Doors-open rush"


def arrivals(count: int, window: float, seed: int) -> list[float]:
    """``count`` arrival times of a Poisson process over ``window`` seconds."""
    rng = random.Random(seed)
    return sorted(rng.uniform(0, window) for _ in range(count))


class Phone:
    def __init__(self, index: int, http: aiohttp.ClientSession) -> None:
        self.index = index
        self.http = http
        self.token = ""
        self.client: socketio.AsyncClient | None = None
        self.state_at: float | None = None

    def _client(self) -> socketio.AsyncClient:
        client = socketio.AsyncClient(
            reconnection=False, handle_sigint=False, http_session=self.http, request_timeout=30
        )

        @client.on("state")
        async def state(_data=None) -> None:
            if self.state_at is None:
                self.state_at = time.monotonic()

        return client

    async def join(self, target, code: str) -> float:
        start = time.monotonic()
        if target.name == "baseline":
            url, body = f"{target.url}/join", {}
        else:
            url = f"{target.url}/api/v1/workshops/{code}/participants"
            body = {"group": GROUPS[self.index % len(GROUPS)]}
        async with self.http.post(url, json=body) as response:
            data = await response.json()
            if response.status != 201:
                raise RuntimeError(f"join {response.status}: {data}")
        self.token = data["token"]
        return time.monotonic() - start

    async def connect(self, target, code: str) -> tuple[float, float | None]:
        self.client = self._client()
        self.state_at = None
        start = time.monotonic()
        await self.client.connect(
            target.url,
            auth={"workshop": code, "token": self.token},
            transports=["websocket"],
            wait_timeout=60,
        )
        connected = time.monotonic()
        if target.name != "baseline":
            deadline = connected + 30
            while self.state_at is None and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
        state = None if self.state_at is None else self.state_at - start
        return connected - start, state


async def phase(target, code: str, phones: list[Phone], args, join: bool) -> dict:
    """One arrival of every phone over the window; join (HTTP) first when ``join``."""
    times = arrivals(len(phones), args.window, seed=1 if join else 2)
    joins: list[float] = []
    connects: list[float] = []
    states: list[float] = []
    refused: Counter = Counter()
    lag: list[float] = []

    async def arrive(phone: Phone, at: float, t0: float) -> None:
        await asyncio.sleep(max(0.0, t0 + at - time.monotonic()))
        lag.append(time.monotonic() - (t0 + at))
        try:
            if join:
                joins.append(await phone.join(target, code))
            took, state = await phone.connect(target, code)
            connects.append(took)
            if state is not None:
                states.append(state)
        except Exception as error:  # noqa: BLE001 - counted, not raised
            refused[type(error).__name__ + ": " + str(error)[:80]] += 1

    name = "rush" if join else "wakeup"
    profiler = start_profiler(args, target, name, args.window + 5)
    cpu0, gen0, t0 = cpu_seconds(target.pid), own_cpu_seconds(), time.monotonic()
    load = load_average()
    await asyncio.gather(*(arrive(p, at, t0) for p, at in zip(phones, times, strict=True)))
    wall = time.monotonic() - t0
    cpu, gen = cpu_seconds(target.pid) - cpu0, own_cpu_seconds() - gen0
    stop_profiler(profiler)
    ms = lambda values, p: None if not values else 1000 * percentile(values, p)  # noqa: E731
    return {
        "phase": name,
        "phones": len(phones),
        "wall_s": wall,
        "load": load,
        "join_p50_ms": ms(joins, 50),
        "join_p99_ms": ms(joins, 99),
        "join_max_ms": ms(joins, 100),
        "connect_p50_ms": ms(connects, 50),
        "connect_p99_ms": ms(connects, 99),
        "connect_max_ms": ms(connects, 100),
        "state_p99_ms": ms(states, 99),
        "connected": len(connects),
        "refused": dict(refused),
        "server_cpu_s": cpu,
        "server_cpu_per_phone_ms": 1000 * cpu / max(1, len(connects)),
        "generator_cpu_s": gen,
        "arrival_lag_p99_ms": ms(lag, 99),
        "rss_kb": rss_kb(target.pid),
    }


async def disconnect_all(phones: list[Phone]) -> None:
    await asyncio.gather(
        *(p.client.disconnect() for p in phones if p.client is not None), return_exceptions=True
    )
    await asyncio.sleep(2)  # let the server see every close


async def measure_target(target, args) -> dict:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        room = await target.setup(http)
        projector = socketio.AsyncClient(handle_sigint=False, http_session=http)
        await projector.connect(
            target.url,
            auth={"workshop": room.code, "role": "presenter"},
            transports=["websocket"],
            wait_timeout=30,
        )
        await asyncio.sleep(1)
        phones = [Phone(n, http) for n in range(args.clients)]
        figures = {"rss_idle_kb": rss_kb(target.pid)}
        figures["rush"] = await phase(target, room.code, phones, args, join=True)
        await asyncio.sleep(2)
        figures["rss_connected_kb"] = rss_kb(target.pid)
        await disconnect_all(phones)
        figures["wakeup"] = await phase(target, room.code, phones, args, join=False)
        await disconnect_all(phones)
        await projector.disconnect()
    return figures


async def run(args) -> dict:
    targets = [WorkshopTarget(20)]
    if not args.skip_baseline:
        targets.append(BaselineTarget(0, in_order=True))
    results: dict = {"load_start": load_average()}
    started = []
    try:
        for target in targets:
            await asyncio.to_thread(target.start)
            started.append(target)
        for target in targets:
            results[target.name] = await measure_target(target, args)
            print(f"{target.name}: {results[target.name]}", file=sys.stderr)
    except BaseException:
        for target in started:
            print(f"--- {target.name} log ---\n{target.log()}", file=sys.stderr)
        raise
    finally:
        for target in started:
            target.stop()
            target.cleanup()
    results["load_end"] = load_average()
    return results


def _f(value, fmt: str = "{:.0f}") -> str:
    return "-" if value is None else fmt.format(value)


def report(results: dict, args, command: str) -> str:
    ours, base = results["workshop"], results.get("baseline")
    lines = [
        f"Command: `{command}`; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        f"Machine: {machine()}; load average (1/5/15 min) {results['load_start']} at the "
        f"start, {results['load_end']} at the end (the generator shares the 2 cores).",
        "",
        f"{args.clients} phones arriving as a Poisson process over {args.window:.0f} s; "
        "the relay is bench/baseline_relay.py `--in-order` (a bare python-socketio server, "
        "its join a dict entry).",
        "",
        "| figure | workshop | relay | ratio |",
        "|---|---:|---:|---:|",
    ]
    rows = [
        ("rush", "join p50 / p99 / max (ms)", ("join_p50_ms", "join_p99_ms", "join_max_ms")),
        (
            "rush",
            "connect p50 / p99 / max (ms)",
            ("connect_p50_ms", "connect_p99_ms", "connect_max_ms"),
        ),
        ("rush", "first state p99 (ms)", ("state_p99_ms",)),
        ("rush", "phones connected / refused", ("connected", "refused")),
        ("rush", "server CPU per phone, join + connect (ms)", ("server_cpu_per_phone_ms",)),
        (
            "wakeup",
            "wake-up: connect p50 / p99 / max (ms)",
            ("connect_p50_ms", "connect_p99_ms", "connect_max_ms"),
        ),
        ("wakeup", "wake-up: server CPU per connect (ms)", ("server_cpu_per_phone_ms",)),
        ("wakeup", "wake-up: phones connected / refused", ("connected", "refused")),
    ]
    for phase_name, label, keys in rows:
        cells = []
        for figures in (ours, base):
            if figures is None:
                cells.append("-")
                continue
            values = []
            for key in keys:
                value = figures[phase_name][key]
                if key == "refused":
                    values.append(str(sum(value.values())))
                elif isinstance(value, float):
                    values.append(_f(value, "{:.1f}" if "cpu" in key else "{:.0f}"))
                else:
                    values.append(_f(value))
            cells.append(" / ".join(values))
        ratio = ""
        if base is not None and "cpu" in keys[0]:
            ratio = f"{ours[phase_name][keys[0]] / max(1e-9, base[phase_name][keys[0]]):.2f}"
        lines.append(f"| {label} | {cells[0]} | {cells[1]} | {ratio} |")
    lines += [
        "",
        f"- load average at the start of each phase: ours {ours['rush']['load']} (rush), "
        f"{ours['wakeup']['load']} (wake-up)"
        + (f"; relay {base['rush']['load']}, {base['wakeup']['load']}" if base else ""),
        f"- server RSS idle / after the rush (MB): ours {ours['rss_idle_kb'] // 1024} / "
        f"{ours['rss_connected_kb'] // 1024}"
        + (
            f"; relay {base['rss_idle_kb'] // 1024} / {base['rss_connected_kb'] // 1024}"
            if base
            else ""
        ),
        f"- generator: CPU {ours['rush']['generator_cpu_s']:.1f} s in our rush, arrival lag "
        f"p99 {_f(ours['rush']['arrival_lag_p99_ms'])} ms (how late a phone started)",
    ]
    for figures, name in ((ours, "ours"), (base, "relay")):
        for phase_name in ("rush", "wakeup"):
            if figures and figures[phase_name]["refused"]:
                lines.append(f"- refused ({name}, {phase_name}): {figures[phase_name]['refused']}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--window", type=float, default=20.0, help="seconds of arrivals")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md")
    parser.add_argument("--profile", help="py-spy raw profile of our server, to this file")
    parser.add_argument("--profile-phase", choices=["rush", "wakeup"], default="rush")
    args = parser.parse_args()
    raise_open_files(2 * args.clients + 1024)
    results = run_loop(run(args))
    command = ("bench/rush.py " + " ".join(sys.argv[1:])).strip()
    block = report(results, args, command)
    print(block)
    if args.profile and Path(args.profile).exists():
        print(summarise_profile(args.profile))
    if not args.no_write:
        write_section(block, "<!-- rush.py: begin -->", "<!-- rush.py: end -->", SECTION)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
