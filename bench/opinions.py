"""Benchmark of the opinion map's recomputation (workshop/voting/opinions.py).

For rooms of 60 x 30, 2,000 x 200 and 5,000 x 500 (participants x statements), builds a
vote matrix with three planted camps that cut across the stakeholder groups (12 % noise,
20 % of the answers skipped), then times ``opinion_map`` on one core (BLAS limited to one
thread), best of ``--repeat`` runs, and its parts: the PCA projection, k-means with the
silhouette for k = 2..5, and everything else (counts, representative statements,
bridging). Checks the planted camps are found (adjusted Rand index) and writes the figures
to docs/performance.md under "## Opinion map".

    .venv/bin/python bench/opinions.py              # updates docs/performance.md
    .venv/bin/python bench/opinions.py --no-write   # prints only
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # one core, as the server's background task has

import argparse  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SECTION = "## Opinion map"
SIZES = ((60, 30), (2000, 200), (5000, 500))


def planted(n: int, m: int, seed: int = 1) -> tuple:
    from workshop.voting.opinions import VoteMatrix

    rng = np.random.default_rng(seed)
    profiles = rng.choice([-1.0, 1.0], size=(3, m))
    truth = rng.integers(3, size=n)
    values = profiles[truth].copy()
    noisy = rng.random((n, m)) < 0.12
    values[noisy] = rng.choice([-1.0, 0.0, 1.0], size=int(noisy.sum()))
    values[rng.random((n, m)) < 0.2] = np.nan
    groups = ("residents", "local_government", "private_sector", "academia", "civil_society")
    declared = {i: groups[i % len(groups)] for i in range(n)}
    return VoteMatrix(tuple(range(n)), tuple(range(m)), values), truth, declared


def best_of(repeat: int, job) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(n: int, m: int, repeat: int) -> dict:
    from workshop.voting import opinions as op

    matrix, truth, declared = planted(n, m)
    stability = op.KStability()
    result = op.opinion_map(matrix, declared, stability=stability)
    labels = [result.membership[p] for p in matrix.participants]
    total = best_of(repeat, lambda: op.opinion_map(matrix, declared, stability=stability))
    usable = matrix.values  # every row has enough answers here
    order = op.canonical_order(usable)
    projection = best_of(repeat, lambda: op.project(usable[order]))
    points = op.project(usable[order])
    clustering = best_of(repeat, lambda: op.clusterings(points))
    return {
        "size": f"{n:,} x {m}",
        "k": result.k,
        "ari": op.adjusted_rand_index(truth, labels),
        "total": total * 1000,
        "projection": projection * 1000,
        "clustering": clustering * 1000,
        "rest": max(total - projection - clustering, 0.0) * 1000,
    }


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
        f"{cpu}, nproc {usable} (the benchmark uses one core: BLAS limited to one thread), "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.system()} {platform.release()}"
    )


def write_section(text: str) -> None:
    """Replace (or append) this benchmark's section of docs/performance.md."""
    current = PERFORMANCE_MD.read_text()
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text.rstrip() + "\n\n", current).rstrip() + "\n"
    else:
        updated = current.rstrip() + "\n\n" + text.rstrip() + "\n"
    PERFORMANCE_MD.write_text(updated)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="do not update performance.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    rows = []
    for n, m in SIZES:
        row = measure(n, m, args.repeat)
        rows.append(row)
        print(
            f"{row['size']:>12}: {row['total']:8.1f} ms (projection {row['projection']:.1f}, "
            f"k-means + silhouette {row['clustering']:.1f}, rest {row['rest']:.1f}); "
            f"k={row['k']}, ARI {row['ari']:.3f}"
        )
    load_after = os.getloadavg()[0]
    table = "\n".join(
        f"| {r['size']} | {r['total']:.1f} | {r['projection']:.1f} | {r['clustering']:.1f} | "
        f"{r['rest']:.1f} | {r['k']} | {r['ari']:.3f} |"
        for r in rows
    )
    text = f"""{SECTION}

`bench/opinions.py` times one recomputation of an agree activity's opinion map
(`opinion_map` of workshop/voting/opinions.py: PCA, k-means for k = 2..5 with silhouette,
representative and bridging statements) on matrices with three planted camps across the
stakeholder groups (12 % noise, 20 % of answers skipped). Best of {args.repeat} runs, one
core. The server recomputes at most once per `WORKSHOP_OPINIONS_INTERVAL` (3 s) while an
agree activity is open, in a native thread off the event loop, and only when ballots changed.

| size | total ms | PCA ms | k-means + silhouette ms | rest ms | k | ARI |
|---|---:|---:|---:|---:|---:|---:|
{table}

Past 200 statements the two leading components come from a seeded subspace iteration (an
exact eigendecomposition of 500 x 500 alone took about 0.5 s); past 2,000 participants the
silhouette is measured on 2,000 evenly spaced points against every point.

Machine: {machine()}; load average {load_before:.1f} before the timings, {load_after:.1f}
after them. Measured {date.today().isoformat()}.

Reproduce: `.venv/bin/python bench/opinions.py` (add `--no-write` to leave this file alone).
"""
    if not args.no_write:
        write_section(text)
        print(f"wrote {PERFORMANCE_MD.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
