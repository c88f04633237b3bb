"""The login throttle's rules and its in-process counts (with a clock of our own)."""

from __future__ import annotations

import pytest

from workshop.login_throttle import LONGEST_LOCK, LoginThrottle, MemoryCounts, Rules


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (9, 0), (10, 60), (11, 120), (12, 240), (15, 1920), (16, LONGEST_LOCK), (99, 3600)],
)
def test_the_lock_starts_at_the_limit_and_doubles(failures, seconds):
    assert Rules(lock=60).lock_for(failures, 10) == seconds


def test_a_limit_of_zero_never_locks():
    assert Rules().lock_for(1000, 0) == 0


def throttle(clock: Clock, **rules) -> LoginThrottle:
    return LoginThrottle(Rules(**rules), MemoryCounts(clock=clock), shared=None)


def test_an_account_is_locked_after_its_failures_then_freed_by_time():
    clock = Clock()
    guard = throttle(clock, account_limit=3, address_limit=100, lock=10)
    assert [guard.failed("a@x", "1.1.1.1") for _ in range(3)] == [0, 0, 10]
    assert guard.retry_after("a@x", "1.1.1.1") == 10
    assert guard.retry_after("a@x", "2.2.2.2") == 10  # per account, from any address
    assert guard.retry_after("b@x", "1.1.1.1") == 0  # the address is under its own limit
    clock.now += 10.5
    assert guard.retry_after("a@x", "1.1.1.1") == 0
    assert guard.failed("a@x", "1.1.1.1") == 20  # one more failure: twice as long


def test_failures_are_forgotten_after_the_window_and_on_success():
    clock = Clock()
    guard = throttle(clock, account_limit=3, address_limit=100, window=60, lock=10)
    guard.failed("a@x", "1.1.1.1")
    guard.failed("a@x", "1.1.1.1")
    clock.now += 61
    assert guard.failed("a@x", "1.1.1.1") == 0  # the first two were forgotten
    guard.failed("a@x", "1.1.1.1")
    guard.succeeded("a@x", "1.1.1.1")
    assert guard.failed("a@x", "1.1.1.1") == 0


def test_an_address_trying_many_accounts_is_locked():
    clock = Clock()
    guard = throttle(clock, account_limit=10, address_limit=4, lock=30)
    locks = [guard.failed(f"user{n}@x", "9.9.9.9") for n in range(4)]
    assert locks == [0, 0, 0, 30]
    assert guard.retry_after("someone@x", "9.9.9.9") == 30
    assert guard.retry_after("someone@x", "8.8.8.8") == 0


def test_memory_stays_bounded():
    clock = Clock()
    counts = MemoryCounts(clock=clock, max_keys=100)
    for n in range(1000):
        counts.fail(f"k{n}", 60, lambda failures: 0)
    assert len(counts._entries) <= 100
