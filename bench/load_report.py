"""bench/load.py's report: the figures as a Markdown table, the targets met or not, and
the generated blocks of docs/performance.md's "Load: 2,000 phones" section."""

from __future__ import annotations

import os
import platform
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SECTION = "## Load: 2,000 phones"
INTRO = "# Performance\n\nMeasured figures of Workshop's heavy paths, and how to reproduce them.\n"
# The targets of docs/performance.md.
TARGETS = {
    "clients": 2000,
    "rate": 1000,
    "duration": 30,
    "ack_p99_ms": 250,
    "projector_p99_ms": 300,
    "rss_kb_per_attendee": 100,
    "throughput_ratio": 0.7,
}


def machine() -> str:
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return (
        f"{cpu}, nproc {os.cpu_count()}, {mem_kb / 1024 / 1024:.0f} GiB RAM, "
        f"Python {platform.python_version()}, Linux {platform.release()}"
    )


ROWS = [
    ("connected attendees", "connected", "{:.0f}"),
    ("connect: all (s)", "connect_wall_s", "{:.1f}"),
    ("connect p50 / p99 (ms)", ("connect_p50_ms", "connect_p99_ms"), "{:.0f}"),
    ("ballots acked in the rate phase", "rate_acked", "{:.0f}"),
    ("achieved rate (ballots/s)", "rate_achieved", "{:.0f}"),
    ("ack p50 / p99 (ms)", ("ack_p50_ms", "ack_p99_ms"), "{:.0f}"),
    ("ballot-to-projector p50 / p99 (ms)", ("projector_p50_ms", "projector_p99_ms"), "{:.0f}"),
    ("ballots never on the projector", "never_shown", "{:.0f}"),
    ("max throughput, saturated (ballots/s)", "saturate_per_s", "{:.0f}"),
    ("lost / doubled", ("lost", "doubled"), "{:.0f}"),
    ("server RSS per attendee (KB)", "rss_kb_per_attendee", "{:.0f}"),
    (
        "server RSS idle / connected / after (MB)",
        ("rss_idle_kb", "rss_connected_kb", "rss_after_kb"),
        "{:.0f}",
    ),
    ("server CPU, rate phase (cores)", "server_cpu_rate", "{:.2f}"),
    ("generator CPU, rate phase (cores)", "generator_cpu_rate", "{:.2f}"),
    ("generator loop lag p99 (ms)", "loop_lag_p99_ms", "{:.0f}"),
]


def cell(figures: dict | None, key, fmt: str) -> str:
    if figures is None:
        return ""
    keys = key if isinstance(key, tuple) else (key,)
    values = []
    for k in keys:
        value = figures.get(k)
        if value is None:
            return "n/a"
        if k.startswith("rss_") and k.endswith("_kb"):
            value = value / 1024
        values.append(fmt.format(value))
    return " / ".join(values)


def ratio(ours: dict, base: dict | None, key: str) -> str:
    if not base or not base.get(key) or ours.get(key) is None:
        return ""
    return f"{ours[key] / base[key]:.2f}"


def verdicts(ours: dict, base: dict | None, args) -> list[tuple[str, str, bool | None]]:
    full = args.clients >= TARGETS["clients"] and args.rate >= TARGETS["rate"]
    throughput = None
    if base and base.get("saturate_per_s"):
        throughput = ours.get("saturate_per_s", 0) / base["saturate_per_s"]
    rate_ok = ours["rate_achieved"] >= 0.98 * args.rate and args.duration >= TARGETS["duration"]
    exact = ours["lost"] == 0 and ours["doubled"] == 0 and ours["unknown"] == 0
    return [
        (
            "2,000 connected attendees",
            f"{ours['connected']} connected",
            ours["connected"] >= TARGETS["clients"] if full else None,
        ),
        (
            "1,000 ballots/s for 30 s, 0 lost, 0 doubled",
            f"{ours['rate_achieved']:.0f}/s for {args.duration:.0f} s, "
            f"{ours['lost']} lost, {ours['doubled']} doubled, {ours['unknown']} never acked",
            (rate_ok and exact) if full else (False if not exact else None),
        ),
        ("ack p99 ≤ 250 ms", f"{ours['ack_p99_ms']:.0f} ms", ours["ack_p99_ms"] <= 250),
        (
            "ballot-to-projector p99 ≤ 300 ms",
            f"{ours['projector_p99_ms']:.0f} ms",
            ours["projector_p99_ms"] <= 300 and ours["never_shown"] == 0,
        ),
        (
            "≤ 100 KB RSS per attendee",
            f"{ours['rss_kb_per_attendee']:.0f} KB",
            ours["rss_kb_per_attendee"] <= 100,
        ),
        (
            "throughput ≥ 0.7 of baseline",
            f"{throughput:.2f}" if throughput is not None else "not measured",
            None if throughput is None else throughput >= TARGETS["throughput_ratio"],
        ),
    ]


def report(ours: dict, base: dict | None, args, command: str) -> str:
    lines = [
        f"Command: `{command}`  ",
        f"Machine: {machine()}. Measured {date.today().isoformat()}.  ",
        f"Load: {args.clients} phones, {args.rate:.0f} ballots/s for {args.duration:.0f} s, "
        f"then {args.inflight} phones back to back for {args.saturate:.0f} s "
        f"in {max(args.rounds, 1)} rounds"
        + (" taking turns with the baseline" if base else "")
        + "; server and load generator on the same machine.",
        "",
        "| figure | workshop | baseline relay | ratio |",
        "|---|---:|---:|---:|",
    ]
    for label, key, fmt in ROWS:
        first = key[0] if isinstance(key, tuple) else key
        lines.append(
            f"| {label} | {cell(ours, key, fmt)} | {cell(base, key, fmt)} "
            f"| {ratio(ours, base, first) if not isinstance(key, tuple) else ''} |"
        )
    extra = []
    if ours.get("errors"):
        extra.append(f"refused writes: {ours['errors']}")
    if ours.get("connect_failures"):
        extra.append(f"connect failures: {ours['connect_failures']}")
    if ours.get("unknown"):
        extra.append(f"writes never acknowledged (outcome unknown to the phone): {ours['unknown']}")
    if ours.get("projector_dropped"):
        extra.append(
            f"projector disconnected (s after the rate phase began, reason): "
            f"{ours['projector_dropped']}"
        )
    if ours.get("failed_checks"):
        extra.append(f"phones whose `sync` check failed: {ours['failed_checks']}")
    if ours.get("disconnects"):
        extra.append(
            f"disconnects during the run: {ours['disconnects']} "
            f"(reasons: {ours.get('disconnect_reasons')})"
        )
    if ours.get("saturate_rounds"):
        rounds = ours["saturate_rounds"]
        text = ", ".join(f"{r:.0f}" for r in rounds)
        if base and base.get("saturate_rounds"):
            text = ", ".join(
                f"{o:.0f} / {b:.0f} = {o / b:.2f}"
                for o, b in zip(rounds, base["saturate_rounds"], strict=False)
            )
        extra.append(f"saturated ballots/s by round (ours / baseline): {text}")
    if base and "idle_cpu_while_other" in ours:
        extra.append(
            "CPU of the idle server while the other one is saturated (cores): ours "
            f"{ours['idle_cpu_while_other']:.3f}, baseline {base['idle_cpu_while_other']:.3f}"
        )
    extra.append(
        f"projector's last tally equals the stored ballots: {ours['projector_final_ok']}; "
        f"GET /results dots over/under: {ours['dots_over']}/{ours['dots_under']}; "
        f"ballot rows {ours['ballot_rows']} for {ours['voters']} voters; "
        f"{ours['synced']} phones' `sync` checked; {ours['tallies']} tallies received"
    )
    lines += ["", *[f"- {e}" for e in extra], "", "| target | measured | met |", "|---|---|---|"]
    for target, measured, met in verdicts(ours, base, args):
        mark = "n/a (smaller run)" if met is None else ("yes" if met else "**no**")
        if met is None and measured == "not measured":
            mark = "n/a"
        lines.append(f"| {target} | {measured} | {mark} |")
    return "\n".join(lines) + "\n"


def write_section(block: str, mode: str) -> None:
    """Replace this mode's generated block inside "## Load: 2,000 phones", keep the rest."""
    begin, end = f"<!-- load.py {mode}: begin -->", f"<!-- load.py {mode}: end -->"
    generated = f"{begin}\n{block}{end}\n"
    text = PERFORMANCE_MD.read_text() if PERFORMANCE_MD.exists() else INTRO
    if SECTION not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n"
    head, _, rest = text.partition(SECTION)
    nxt = rest.find("\n## ")
    body, tail = (rest, "") if nxt < 0 else (rest[: nxt + 1], rest[nxt + 1 :])
    if begin in body and end in body:
        before, _, after = body.partition(begin)
        _, _, after = after.partition(end)
        body = before + generated.rstrip("\n") + after
    else:
        title = {
            "full": "### Full scale",
            "quick": "### Quick run (`--quick`)",
            "matrix-full": "### Matrix (`--kind matrix`), full scale",
            "matrix-quick": "### Matrix (`--kind matrix --quick`)",
        }.get(mode, f"### {mode}")
        body = body.rstrip("\n") + f"\n\n{title}\n\n{generated}"
    PERFORMANCE_MD.write_text(
        head + SECTION + body.rstrip("\n") + "\n" + ("\n" + tail if tail else "")
    )
