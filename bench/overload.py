"""Under the limit, not past it (issue 18, point 7): a benchmark, not a test (the CI one is
tests/test_overload.py).

Starts ``workshop serve`` (bench/load.py's ``WorkshopTarget``) with the vote queue's depth
at ``--depth`` (``WORKSHOP_VOTE_QUEUE_DEPTH``), joins and connects ``--phones`` phones
(bench/soak.py's ``SoakPhone``: one write in flight, ``busy`` or no answer kept and resent
with the same client_id after the phone's jittered back-off, static/js/phone/retry.js), then

1. **saturate**: ``--inflight`` phones vote back to back for ``--saturate`` s: the saturated
   rate S (acknowledged ballots per second);
2. **overload**: new writes are started at ``--factor`` × S (3) for ``--overload`` s on
   phones with no write in hand (a phone never has two: what reaches the server is what
   the phones' back-off lets through, as in a hall);
3. **drop**: no new writes; the time until every write in hand is acknowledged and the
   queue is empty.

The server's RSS is sampled every 0.5 s throughout. Figures: the ``busy`` answer's p50/p99
(send to answer) and the acknowledged writes' during the overload, the busy share, RSS before
and at its peak, the backlog's clearing time, and from the database 0 lost / 0 doubled /
every phone's last acknowledged ballot the stored one.

With the default depth (4,000) a hall of up to 4,000 phones can never fill the queue (each
phone has one write in flight): the queue's bound is then the phones, and an overload
shows as a longer wait, not as ``busy``. ``--depth`` sets the bound below the hall's size to
measure the ``busy`` path.

    .venv/bin/python bench/overload.py                      # 1,000 phones, depth 200
    .venv/bin/python bench/overload.py --phones 200 --depth 50 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (  # noqa: E402
    WorkshopTarget,
    cpu_seconds,
    loop_lag,
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
from restart import check_stored, load_average, write_section  # noqa: E402
from soak import SoakPhone, drive  # noqa: E402

SECTION = "## Overload: 3× the saturated rate"


class Fixed:
    """A constant rate for ``soak.drive`` (which asks its pattern for ``rate()``)."""

    def __init__(self, rate: float) -> None:
        self.value = rate

    def rate(self) -> float:
        return self.value


async def sample_rss(pid: int, samples: list, stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append((time.monotonic(), rss_kb(pid)))
        await asyncio.sleep(0.5)


async def saturate(phones: list[SoakPhone], inflight: int, seconds: float) -> float:
    """Acknowledged ballots per second with ``inflight`` phones voting back to back."""
    stop_at = time.monotonic() + seconds
    done: list[float] = []

    async def worker(phone: SoakPhone) -> None:
        while time.monotonic() < stop_at:
            before = len(phone.acked)
            await phone.vote()
            if len(phone.acked) > before and time.monotonic() <= stop_at:
                done.append(time.monotonic())

    await asyncio.gather(*(worker(p) for p in phones[:inflight]))
    return len(done) / seconds


def window(pairs: list[tuple[float, float]], start: float, end: float) -> list[float]:
    return [answered - sent for sent, answered in pairs if start <= sent < end]


async def main_async(args) -> dict:
    raise_open_files(args.phones * 2 + 256)
    target = WorkshopTarget(args.phones)
    target.server.env_extra["WORKSHOP_VOTE_QUEUE_DEPTH"] = str(args.depth)
    target.start()
    figures: dict = {"phones": args.phones, "depth": args.depth, "load_start": load_average()}
    rss: list[tuple[float, int]] = []
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            headers = {"Authorization": f"Bearer {target.server.token}"}

            async def stats() -> dict:
                async with http.get(f"{target.url}/api/v1/server/stats", headers=headers) as r:
                    return await r.json()

            room = await target.setup(http)
            phones = [
                SoakPhone(n, t, room.code, room.activity_id, room.statement_ids)
                for n, t in enumerate(room.tokens)
            ]
            limit = asyncio.Semaphore(50)

            async def connect(phone: SoakPhone) -> None:
                async with limit:
                    await phone.connect(target.url)

            await asyncio.gather(*(connect(p) for p in phones))
            print(f"connected; load {load_average()}", file=sys.stderr, flush=True)
            stop_rss = asyncio.Event()
            sampler = asyncio.create_task(sample_rss(target.pid, rss, stop_rss))
            figures["rss_connected_kb"] = rss_kb(target.pid)

            figures["saturated"] = s = await saturate(phones, args.inflight, args.saturate)
            figures["load_saturated"] = load_average()
            print(f"saturated {s:.0f}/s; load {load_average()}", file=sys.stderr, flush=True)
            await asyncio.sleep(2)
            figures["rss_before_kb"] = rss_kb(target.pid)
            busy_before = (await stats())["vote_queue"]["busy"]

            rate = args.factor * s
            stop, tasks = asyncio.Event(), set()
            t_over = time.monotonic()
            cpu0, own0 = cpu_seconds(target.pid), own_cpu_seconds()
            args.profile_phase = "overload"
            profiler = start_profiler(args, target, "overload", args.overload)
            driver = asyncio.create_task(drive(phones, Fixed(rate), stop, tasks))
            lag: list[float] = []  # the generator's own event-loop lag, part of every latency
            lagging = asyncio.create_task(loop_lag(lag, stop))
            peak_queue = 0
            while time.monotonic() - t_over < args.overload:
                peak_queue = max(peak_queue, (await stats())["vote_queue"]["queued"])
                await asyncio.sleep(0.5)
            stop.set()
            t_drop = time.monotonic()
            figures["server_cores"] = (cpu_seconds(target.pid) - cpu0) / (t_drop - t_over)
            figures["generator_cores"] = (own_cpu_seconds() - own0) / (t_drop - t_over)
            stop_profiler(profiler)
            figures["started"] = await driver
            await lagging
            figures["lag_p50_ms"] = 1000 * (percentile(lag, 50) or 0)
            figures["lag_p99_ms"] = 1000 * (percentile(lag, 99) or 0)
            figures["demand"] = int(rate * (t_drop - t_over))
            figures["load_overload"] = load_average()
            in_hand = sum(1 for p in phones if p.busy)
            if tasks:
                await asyncio.wait(tasks, timeout=args.clear_wait)
            while (await stats())["vote_queue"]["queued"]:
                await asyncio.sleep(0.1)
            t_clear = time.monotonic()
            stop_rss.set()
            await sampler
            after = await stats()

            busy = [x for p in phones for x in window(p.busy_answers, t_over, t_drop)]
            oks = [x for p in phones for x in window(p.latencies, t_over, t_drop)]
            acked_in_overload = sum(
                1 for p in phones for _, a in p.latencies if t_over <= a < t_drop
            )
            figures.update(
                rate=rate,
                busy_answers=len(busy),
                busy_p50_ms=1000 * (percentile(busy, 50) or 0),
                busy_p99_ms=1000 * (percentile(busy, 99) or 0),
                busy_max_ms=1000 * max(busy, default=0),
                ok_answers=len(oks),
                ok_p50_ms=1000 * (percentile(oks, 50) or 0),
                ok_p99_ms=1000 * (percentile(oks, 99) or 0),
                acked_per_s=acked_in_overload / (t_drop - t_over),
                busy_counted=after["vote_queue"]["busy"] - busy_before,
                peak_queue=peak_queue,
                in_hand_at_drop=in_hand,
                clear_s=t_clear - t_drop,
                unfinished_writes=sum(1 for p in phones if p.busy),
                rss_peak_kb=max(k for t, k in rss if t >= t_over),
                rss_after_kb=rss_kb(target.pid),
                queue_after=after["vote_queue"],
                load_end=load_average(),
            )
            answers: Counter = Counter()
            for phone in phones:
                answers.update(phone.answers)
            figures["answers"] = dict(answers)
            figures["acked"] = sum(len(p.acked) for p in phones)
            pids = []
            for phone in phones:
                url = f"{target.url}/api/v1/workshops/{room.code}/state"
                bearer = {"Authorization": f"Bearer {phone.token}"}
                async with http.get(url, headers=bearer) as response:
                    pids.append((await response.json())["me"]["participant_id"])
            await asyncio.gather(*(p.stop() for p in phones), return_exceptions=True)
        database = target.folder / "load.sqlite3"
        figures.update(check_stored(database, room.activity_id, phones, pids))
    finally:
        target.stop()
        target.cleanup()
    return figures


def report(f: dict, args, command: str) -> str:
    mb = lambda kb: f"{kb / 1024:.1f} MB"  # noqa: E731
    return "\n".join(
        [
            f"Command: `{command}`; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (end).",
            f"Machine: {machine()}; load average (1/5/15 min) {f['load_start']} at the start, "
            f"{f['load_saturated']} after the saturation, {f['load_overload']} at the end of "
            f"the overload, {f['load_end']} at the end (the generator shares the cores).",
            "",
            f"{f['phones']} phones, vote queue depth {f['depth']}. Saturated ({args.inflight} "
            f"phones back to back, {args.saturate:g} s): **S = {f['saturated']:.0f} "
            f"ballots/s**. Overload: new writes started at {args.factor:g} × S = "
            f"{f['rate']:.0f}/s for {args.overload:g} s ({f['demand']} wanted, "
            f"{f['started']} started: a phone with a write in hand, or in its back-off, "
            f"starts no other).",
            "",
            "| during the overload | |",
            "|---|---:|",
            f"| `busy` answers | {f['busy_answers']} ({f['busy_counted']} counted by the server) |",
            f"| **`busy` answer p50 / p99 / max (send to answer)** | {f['busy_p50_ms']:.0f} / "
            f"**{f['busy_p99_ms']:.0f}** / {f['busy_max_ms']:.0f} ms (target p99 ≤ 100 ms) |",
            f"| acknowledged | {f['ok_answers']} sent in it, {f['acked_per_s']:.0f}/s |",
            f"| ack p50 / p99 | {f['ok_p50_ms']:.0f} / {f['ok_p99_ms']:.0f} ms |",
            f"| CPU, server / generator (cores) | {f['server_cores']:.2f} / "
            f"{f['generator_cores']:.2f} |",
            f"| the generator's event-loop lag p50 / p99 | {f['lag_p50_ms']:.0f} / "
            f"{f['lag_p99_ms']:.0f} ms |",
            f"| queue, highest sampled (depth {f['depth']}) | {f['peak_queue']} |",
            f"| RSS before / peak / after | {mb(f['rss_before_kb'])} / {mb(f['rss_peak_kb'])}"
            f" / {mb(f['rss_after_kb'])} (connected, idle: {mb(f['rss_connected_kb'])}) |",
            f"| writes in hand when the load dropped | {f['in_hand_at_drop']} |",
            f"| **backlog cleared** (every write in hand acknowledged, queue empty) | "
            f"**{f['clear_s']:.1f} s** after the drop |",
            "",
            f"Acknowledged ballots {f['acked']}; stored writes {f['stored_writes']}; **lost "
            f"{f['lost']}, doubled {f['doubled']}, phones whose stored ballot is not their "
            f"last acknowledged one {f['wrong_last']}**; writes unfinished "
            f"{f['unfinished_writes']}.",
            f"Answers seen by the phones (per attempt, whole run): {f['answers']}.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--depth", type=int, default=200, help="WORKSHOP_VOTE_QUEUE_DEPTH")
    parser.add_argument("--inflight", type=int, default=150, help="phones in the saturation")
    parser.add_argument("--saturate", type=float, default=10.0, help="seconds")
    parser.add_argument("--factor", type=float, default=3.0, help="overload: × saturated")
    parser.add_argument("--overload", type=float, default=30.0, help="seconds")
    parser.add_argument("--clear-wait", type=float, default=180.0)
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md")
    parser.add_argument("--profile", help="py-spy raw profile of the server's overload phase")
    args = parser.parse_args()
    figures = run_loop(main_async(args))
    if args.profile:
        print(summarise_profile(args.profile), file=sys.stderr)
    command = ("bench/overload.py " + " ".join(sys.argv[1:])).strip()
    block = report(figures, args, command)
    print(block)
    if not args.no_write:
        write_section(block, "<!-- overload.py: begin -->", "<!-- overload.py: end -->", SECTION)


if __name__ == "__main__":
    main()
