"""The steps both sync convergence tests run on two devices (test_sync_convergence.py through the
dynamodb remote, test_sync_api_convergence.py through the REST API): the step runner, the task
and quest edits they share, the faulty sync and the final syncs until nothing moves.

Each test's Scenario mixes in Steps and brings what differs: which record is the n-th (`_nth`),
how a step's changes are logged (`log`), its own steps, and the clock's pace between steps.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from hypothesis import event, note
from hypothesis import strategies as st

from tests.fakes.faults import writes
from zik.cloud import sync as engine
from zik.core import clock, quests, tasks
from zik.errors import TemporaryError
from zik.models import PRIORITIES, Record, Task

KILLS = ("before_push", "after_push")  # where a killed sync stops
START = datetime(2026, 11, 25, 10, tzinfo=UTC)
TODAY = date(2026, 11, 25)
MAX_FINAL_SYNCS = 8

Key = tuple[str, str]  # (entity, id)


class Killed(BaseException):
    """The process died mid-sync (SIGKILL): nothing after this point runs, no handler sees it."""


def killed_sync(remote: Any, sync: Any, where: str) -> bool:
    """Run `sync()` as a process killed at `where`: before it pushes anything, or right after
    the remote took its writes and before anything here recorded them; says if it was (a
    sync with nothing to push runs to its end)."""
    push = remote.apply

    def killed(ops):
        if where == "after_push":
            push(ops)
        raise Killed(where)

    remote.apply = killed
    try:
        sync()
    except Killed:
        return True
    finally:
        del remote.apply
    return False


@dataclass(frozen=True)
class Edit:
    """A step set a field of a record to a value (creating a record sets all its fields)."""

    device: str
    entity: str
    key: str
    field: str
    value: Any
    at: str


class Device(Protocol):
    name: str
    conn: sqlite3.Connection

    def sync(self, *, faulty: bool = False) -> engine.Report: ...

    def records(self) -> dict[Key, dict[str, Any]]: ...


def shared_steps(on, nth, word) -> list[st.SearchStrategy]:
    """The strategies of the steps below, in this order: each test puts them among its own (the
    order is part of the examples a derandomized test draws)."""
    return [
        st.tuples(st.just("rename_task"), on, nth, word),
        st.tuples(st.just("prioritise"), on, nth, st.sampled_from(PRIORITIES)),
        st.tuples(st.just("complete"), on, nth),
        st.tuples(st.just("reopen"), on, nth),
        st.tuples(st.just("delete_task"), on, nth),
        st.tuples(st.just("add_quest"), on, word),
    ]


class Steps:
    """Runs a test's steps: ("tick", seconds), ("sync", device, faults) or (step, device, *args)
    for a method of that name. The Scenario has `world` (with `monkeypatch` and the fault
    `proxy`), `devices` ("A" and "B") and `now`, and sets PACE: how far the clock moves before
    each step and each final sync."""

    PACE: timedelta
    world: Any
    devices: dict[str, Device]
    now: datetime

    def _advance(self, by: timedelta) -> None:
        self.now += by
        self.world.monkeypatch.setenv("ZIK_NOW", clock.iso(self.now))

    def run(self, step: tuple) -> None:
        name, *args = step
        self._advance(self.PACE)
        if name == "tick":
            self._advance(timedelta(seconds=args[0]))
        elif name == "sync":
            self.sync(self.devices[args[0]], args[1])
        else:
            device = self.devices[args[0]]
            before = device.records()
            getattr(self, name)(device, *args[1:])
            self.log(device, before)

    def log(self, device: Device, before: dict[Key, dict[str, Any]]) -> None:
        """Log what a step changed on the device (its records were `before`)."""
        raise NotImplementedError

    def _nth(self, device: Device, cls: type[Record], n: int) -> Any | None:
        """The n-th live record of that type on the device (cycling), None if there is none."""
        raise NotImplementedError

    # -- the steps

    def sync(self, device: Device, fault: tuple | None) -> None:
        if fault is None:
            device.sync()
            return
        rate, seed, kinds, only_writes = fault
        self.world.proxy.randomly(rate, seed, kinds, match=writes if only_writes else None)
        try:
            device.sync(faulty=True)
        except TemporaryError as e:
            self.cut_off(device, e)
        finally:
            self.world.proxy.calm()

    def overlapping(self, relay: Any, sync: Callable[[], Any], other: Callable[[], None]) -> None:
        """Run `sync` (one device's, through `relay`) with `other` (the other device's whole
        sync) run during its first write: its pull is then out of date, and its conditional
        writes meet the other's."""
        ran: list[bool] = []

        def meanwhile() -> None:  # (in the relay's thread)
            other()
            ran.append(True)  # (events are recorded in the test's thread only)

        relay.meanwhile(meanwhile, match=writes)
        try:
            sync()
        finally:
            relay.calm()
        if ran:
            event("two devices synced at once")

    def cut_off(self, device: Device, error: TemporaryError) -> None:
        """A sync through the faults failed: it stays as far as it got."""
        note(f"{device.name}'s sync was cut off: {error.message}")

    def rename_task(self, device: Device, n: int, title: str) -> None:
        if task := self._nth(device, Task, n):
            tasks.edit(device.conn, task.task_id, today=TODAY, title=title)

    def prioritise(self, device: Device, n: int, priority: str) -> None:
        if task := self._nth(device, Task, n):
            tasks.edit(device.conn, task.task_id, today=TODAY, priority=priority)

    def complete(self, device: Device, n: int) -> None:
        if task := self._nth(device, Task, n):
            tasks.complete(device.conn, [task.task_id])

    def reopen(self, device: Device, n: int) -> None:
        if task := self._nth(device, Task, n):
            tasks.reopen(device.conn, [task.task_id])

    def delete_task(self, device: Device, n: int) -> None:
        if task := self._nth(device, Task, n):
            tasks.remove(device.conn, [task.task_id])

    def add_quest(self, device: Device, title: str) -> None:
        quests.create(device.conn, title, today=TODAY)

    # -- the end

    def converge(self) -> None:
        """Faults off: sync A, B, A, … until one sync of each in a row moves nothing."""
        quiet_in_a_row = 0
        for n in range(MAX_FINAL_SYNCS):
            self._advance(self.PACE)
            report = self.devices["AB"[n % 2]].sync()
            moved = report.pulled or report.pushed or report.stale
            quiet_in_a_row = 0 if moved else quiet_in_a_row + 1
            if quiet_in_a_row == 2:
                return
        raise AssertionError(f"still syncing after {MAX_FINAL_SYNCS} syncs: {report.to_json()}")
