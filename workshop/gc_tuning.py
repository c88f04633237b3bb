"""Garbage-collector settings for a long-running server process.

A process holding 2,000 phone connections keeps hundreds of thousands of
long-lived objects. With CPython's default thresholds a full collection walks
them all every few thousand allocations, and under gevent that pause stops
every connection at once (tail latency of acknowledgements). At start-up, the
objects that live as long as the process (modules, the app, its routes) are
moved out of the collector's sight (``gc.freeze``) and young collections run
less often. Reference counting still frees almost everything at once; only
cycles wait longer.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def tune_for_server() -> None:
    """Call once, after the app is built and before serving."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
