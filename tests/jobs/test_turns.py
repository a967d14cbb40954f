"""Turns at training: a bound on threads at once, FIFO hand-over, no barging, quanta."""

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
    lock = threading.Lock()
    holding, most = 0, 0

    def work() -> None:
        nonlocal holding, most
        for _ in range(50):
            turns.acquire()
            with lock:
                holding += 1
                most = max(most, holding)
            time.sleep(0.0002)
            with lock:
                holding -= 1
            turns.release()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert most == 2 and holding == 0


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
    turns = Turns(slots=1, quantum=0.05)
    turn = Turn(turns)
    turn.take()
    turn.take()  # already held: no second slot (which would block here)
    turn.end_if_due()
    assert turn.held  # the quantum is not used up yet
    time.sleep(0.06)
    turn.end_if_due()
    assert not turn.held
    turn.give_up()  # nothing held: a no-op
    turns.acquire()  # the slot is free again
    turns.release()


def test_round_robin_gives_every_thread_its_share() -> None:
    turns = Turns(slots=1, quantum=0.001)
    counts = [0] * 6
    stop = threading.Event()

    def work(i: int) -> None:
        turn = Turn(turns)
        while not stop.is_set():
            turn.take()
            counts[i] += 1
            turn.end_if_due()
        turn.give_up()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(counts))]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert min(counts) > 0.2 * max(counts), counts


@pytest.mark.parametrize(("slots", "quantum"), [(0, 0.002), (1, 0.0), (1, -1.0)])
def test_bad_arguments_are_refused(slots: int, quantum: float) -> None:
    with pytest.raises(ValueError):
        Turns(slots, quantum)


def test_a_release_without_an_acquire_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        Turns(slots=1).release()
