"""Turns at training: a bound on threads at once, FIFO hand-over, no barging, quanta.

Threads wait for each other by what the turns report (who holds, who waits), never by time. The
shares jobs get over a long run are measured in bench/load.py (each job's it/s and its slowest
10 s slice, 20 jobs at once).
"""

from __future__ import annotations

import threading
import time

import pytest

from backend.jobs.turns import Turn, Turns

WAIT = 10.0


def wait_for_waiting(turns: Turns, count: int) -> None:
    deadline = time.monotonic() + WAIT
    while turns.waiting < count:
        assert time.monotonic() < deadline, "threads did not queue up"
        time.sleep(0.001)


def test_at_most_slots_threads_hold_a_turn_at_once() -> None:
    turns = Turns(slots=2)
    lock, gate = threading.Lock(), threading.Event()
    holding, most = 0, 0

    def work() -> None:
        nonlocal holding, most
        for _ in range(50):
            turns.acquire()
            with lock:
                holding += 1
                most = max(most, holding)
            gate.wait(timeout=WAIT)  # the first two hold on until the others have queued
            with lock:
                holding -= 1
            turns.release()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    wait_for_waiting(turns, 6)  # two slots taken, six threads queued behind them
    with lock:
        assert holding == 2
    gate.set()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert most == 2 and holding == 0 and turns.waiting == 0


def test_a_release_hands_the_slot_to_the_oldest_waiter() -> None:
    turns = Turns(slots=1)
    turns.acquire()
    order: list[str] = []

    def wait_turn(name: str) -> None:
        turns.acquire()
        order.append(name)
        turns.release()

    threads = []
    for i, name in enumerate("abcd"):
        threads.append(threading.Thread(target=wait_turn, args=(name,)))
        threads[-1].start()
        wait_for_waiting(turns, i + 1)  # queued in this order
    turns.release()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert order == list("abcd")


def test_a_thread_that_goes_again_queues_behind_the_waiters() -> None:
    turns = Turns(slots=1)
    turns.acquire()
    got: list[str] = []
    other = threading.Thread(target=lambda: (turns.acquire(), got.append("other")))
    other.start()
    wait_for_waiting(turns, 1)
    turns.release()  # handed to the waiting thread, even though this one asks again at once
    again = threading.Thread(target=lambda: (turns.acquire(), got.append("again")))
    again.start()
    other.join(timeout=WAIT)
    assert got == ["other"]
    turns.release()  # the other thread's slot
    again.join(timeout=WAIT)
    assert got == ["other", "again"]
    turns.release()


def test_a_turn_ends_after_its_quantum_and_is_given_up_once() -> None:
    turns = Turns(slots=1, quantum=3600.0)  # an hour: not used up during this test
    turn = Turn(turns)
    turn.take()
    turn.take()  # already held: no second slot (which would block here)
    turn.end_if_due()
    assert turn.held  # the quantum is not used up yet
    turn.give_up()
    turn.give_up()  # nothing held: a no-op
    turns.acquire()  # the slot is free again
    turns.release()
    short = Turn(Turns(slots=1, quantum=0.01))
    short.take()
    time.sleep(0.02)  # sleeps at least this long: the quantum is used up, however busy the box
    short.end_if_due()
    assert not short.held
    short.turns.acquire()
    short.turns.release()


def test_a_used_up_quantum_hands_the_slot_round_robin() -> None:
    """Each thread, its quantum used up, goes behind the others: turns come a b c a b c …"""
    turns = Turns(slots=1, quantum=0.001)
    names, rounds = "abc", 4
    order: list[str] = []
    lock = threading.Lock()
    left = len(names)  # threads with turns still to take

    def work(name: str) -> None:
        nonlocal left
        turn = Turn(turns)
        for i in range(rounds):
            turn.take()
            order.append(name)
            last = i == rounds - 1
            with lock:
                left -= last
                others = left - (not last)
            wait_for_waiting(turns, others)  # the one before has queued again behind the rest
            time.sleep(0.002)  # at least the quantum
            turn.end_if_due()
        turn.give_up()

    turns.acquire()  # hold the slot until all three have queued, in this order
    threads = []
    for i, name in enumerate(names):
        threads.append(threading.Thread(target=work, args=(name,)))
        threads[-1].start()
        wait_for_waiting(turns, i + 1)
    turns.release()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert order == list(names * rounds)


@pytest.mark.parametrize(("slots", "quantum"), [(0, 0.002), (1, 0.0), (1, -1.0)])
def test_bad_arguments_are_refused(slots: int, quantum: float) -> None:
    with pytest.raises(ValueError):
        Turns(slots, quantum)


def test_a_release_without_an_acquire_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        Turns(slots=1).release()
