"""The sync engine: pull, merge each record three ways, write locally, push with conditions.

One round:
1. pull every record of the user from the remote, and check every item before changing anything;
2. for each record that is pending here (outbox), known from an earlier sync (base), or present
   remotely, merge base/local/remote (cloud/merge.py);
3. in one local transaction: write the merged records, record conflicts, and move the base of
   every record that needs no push;
4. push the rest, each write conditional on the remote version pulled; a write that succeeded
   moves that record's base, a stale one (changed remotely meanwhile) waits for the next round.

The base moves only once both sides hold the merged record, so a sync cut off anywhere (a
dropped connection, a kill) is simply resumed by the next: it merges the same three versions
again and converges.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from zik.cloud import merge as merging
from zik.cloud.items import CHAT, KINDS, PROFILE, Kind
from zik.cloud.remote import Delete, Op, Pulled, Remote, Write
from zik.models import Record
from zik.store import events, records
from zik.store import sync as state
from zik.store.db import atomic

Wire = dict[str, Any]
ROUNDS = 4  # pull-merge-push rounds before giving up on records that keep changing remotely


@dataclass
class Plan:
    """One record's merge and the writes it needs."""

    kind: Kind
    key: str
    local: Wire | None
    remote: Wire | None
    result: merging.Merge


@dataclass
class Report:
    remote: str
    dry_run: bool = False
    pulled: dict[str, int] = field(default_factory=dict)  # records changed here, by entity
    pushed: dict[str, int] = field(default_factory=dict)  # records written there, by entity
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    stale: int = 0  # writes still refused after every round (retried by the next sync)
    gaps: dict[str, str] = field(default_factory=dict)
    rounds: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "remote": self.remote,
            "dryRun": self.dry_run,
            "pulled": self.pulled,
            "pushed": self.pushed,
            "conflicts": self.conflicts,
            "stale": self.stale,
            "notPulled": self.gaps,
            "rounds": self.rounds,
        }


def run(conn: sqlite3.Connection, remote: Remote, user_id: str, now: str, *, dry_run=False):
    """Sync until both sides agree (or ROUNDS rounds); returns what moved each way."""
    if state.state(conn, "user") not in (None, user_id):
        with atomic(conn):
            state.forget_all(conn)  # another account: everything here is new to it
    report = Report(remote.name, dry_run)
    for _ in range(ROUNDS):
        report.rounds += 1
        full = state.state(conn, "last_sync") is None
        pulled = remote.pull(_quest_ids(conn))
        report.gaps = pulled.gaps
        plans = _plan(conn, pulled, full)
        if dry_run:
            _count(report, plans)
            return report
        pushes = _apply_locally(conn, plans, now, report)
        ops = [op for _, op in pushes]
        done = remote.apply(ops) if ops else []
        with atomic(conn):
            for (plan, _op), ok in zip(pushes, done, strict=True):
                if ok:
                    _settle(conn, plan)
                    name = plan.kind.entity
                    report.pushed[name] = report.pushed.get(name, 0) + 1
            state.set_state(conn, "user", user_id)
            state.set_state(conn, "remote", remote.name)
            if all(done):
                state.set_state(conn, "last_sync", now)
        report.stale = done.count(False)
        if not report.stale:
            break
    return report


def _quest_ids(conn: sqlite3.Connection) -> set[str]:
    """Quests whose milestones to pull: those alive here, and those synced before (a quest
    deleted here still needs its milestones deleted there)."""
    alive = {r[0] for r in conn.execute("SELECT goal_id FROM quests WHERE deleted_at IS NULL")}
    return alive | {k for (e, k) in state.bases(conn) if e == "quest"}


def _local(conn: sqlite3.Connection, kind: Kind, key: str) -> tuple[Wire | None, str | None]:
    """A record's wire form here (None if deleted or absent) and when it was deleted."""
    row = conn.execute(f"SELECT * FROM {kind.record.TABLE} WHERE {kind.record.PK} = ?", (key,))
    found = row.fetchone()
    if found is None:
        return None, None
    record = kind.record.from_row(found)
    deleted = getattr(record, "deleted_at", None)
    if deleted:
        return None, deleted
    return kind.to_wire(record), None


def _plan(conn: sqlite3.Connection, pulled: Pulled, full: bool) -> list[Plan]:
    bases = state.bases(conn)
    queued = state.pending(conn)
    plans: list[Plan] = []
    for kind in KINDS:
        theirs = pulled.records.get(kind.entity, {})
        keys = set(theirs) | {k for (e, k) in bases if e == kind.entity}
        keys |= {k for (e, k) in queued if e == kind.entity}
        if full:
            table, pk = kind.record.TABLE, kind.record.PK
            keys |= {str(r[0]) for r in conn.execute(f"SELECT {pk} FROM {table}")}
        for key in sorted(keys):
            base = bases.get((kind.entity, key))
            local, deleted_at = _local(conn, kind, key)
            remote = theirs.get(key)
            if remote is None and base is not None and not pulled.covers(kind, base):
                remote = base  # the remote cannot show it: take it as unchanged there
            if kind is CHAT:
                result = merging.merge_message(base, local, remote)
            else:
                result = merging.merge(base, local, remote, local_deleted_at=deleted_at)
            if result.write_local or result.write_remote or result.merged != base:
                plans.append(Plan(kind, key, local, remote, result))
    return plans


def _count(report: Report, plans: list[Plan]) -> None:
    for plan in plans:
        name = plan.kind.entity
        if plan.result.write_local:
            report.pulled[name] = report.pulled.get(name, 0) + 1
        if plan.result.write_remote:
            report.pushed[name] = report.pushed.get(name, 0) + 1
        report.conflicts += [_conflict_json(plan, c) for c in plan.result.conflicts]


def _conflict_json(plan: Plan, conflict: merging.Conflict) -> dict[str, Any]:
    return {
        "entity": plan.kind.entity,
        "entityId": plan.key,
        "field": conflict.field,
        "kept": conflict.kept,
        "lost": conflict.lost,
        "keptSide": conflict.kept_side,
    }


def _apply_locally(
    conn: sqlite3.Connection, plans: list[Plan], now: str, report: Report
) -> list[tuple[Plan, Op]]:
    """Write the merged records here in one transaction; return the pushes still to make."""
    pushes: list[tuple[Plan, Op]] = []
    with atomic(conn):
        change_set = str(uuid.uuid4())
        wrote = False
        for plan in plans:
            result = plan.result
            if result.write_local:
                if not wrote:
                    events.insert_change_set(conn, change_set, now, "sync", undoable=False)
                    wrote = True
                _write_local(conn, change_set, plan, now)
                name = plan.kind.entity
                report.pulled[name] = report.pulled.get(name, 0) + 1
                # what the local tables made of it (defaults, orphaned links) is what to push
                after, _ = _local(conn, plan.kind, plan.key)
                if after is not None and result.merged is not None and after != result.merged:
                    result.merged = after
                    result.write_remote = after != plan.remote
            for conflict in result.conflicts:
                state.add_conflict(
                    conn,
                    now,
                    plan.kind.entity,
                    plan.key,
                    conflict.field,
                    conflict.kept,
                    conflict.lost,
                    conflict.kept_side,
                )
                report.conflicts.append(_conflict_json(plan, conflict))
            if result.write_remote:
                pushes.append((plan, _op(plan)))
            else:
                _settle(conn, plan)
    return pushes


def _op(plan: Plan) -> Op:
    expected = plan.remote.get("updatedAt") if plan.remote else None
    if plan.kind is CHAT and plan.remote is not None:
        expected = plan.remote["timestamp"]
    if plan.result.merged is None:
        assert plan.remote is not None
        return Delete(plan.kind, plan.remote, expected)
    return Write(plan.kind, plan.result.merged, expected, plan.remote)


def _settle(conn: sqlite3.Connection, plan: Plan) -> None:
    """Both sides now hold the merged record: it becomes the base, and leaves the outbox
    unless it was changed here again meanwhile."""
    merged = plan.result.merged
    state.set_base(conn, plan.kind.entity, plan.key, merged)
    now_here, _ = _local(conn, plan.kind, plan.key)
    if now_here == merged:
        state.unqueue(conn, plan.kind.entity, plan.key)


def _write_local(conn: sqlite3.Connection, change_set: str, plan: Plan, now: str) -> None:
    kind, merged = plan.kind, plan.result.merged
    cls = kind.record
    row = conn.execute(f"SELECT * FROM {cls.TABLE} WHERE {cls.PK} = ?", (plan.key,)).fetchone()
    current = cls.from_row(row) if row is not None else None
    if merged is None:
        if current is None:
            return
        if kind is CHAT:
            conn.execute("DELETE FROM chat_messages WHERE message_id = ?", (plan.key,))
            return
        if getattr(current, "deleted_at", None):
            return
        after = current.replace(deleted_at=now)
        records.update(conn, after)
        events.insert_event(
            conn, change_set, now, f"{kind.entity}.deleted", kind.entity, plan.key,
            current.to_row(), after.to_row(),
        )  # fmt: skip
        return
    columns = _columns(conn, kind, merged)
    if current is None:
        values = dict(columns)
        if kind is PROFILE:
            values = {k: v for k, v in values.items() if v is not None}
        else:
            values["source"] = "sync"
        record: Record = cls(**values)
        records.insert(conn, record)
        if kind is not CHAT:
            events.insert_event(
                conn, change_set, now, f"{kind.entity}.created", kind.entity, plan.key,
                None, record.to_row(),
            )  # fmt: skip
        return
    changes = {
        column: value
        for column, value in columns.items()
        if kind.to_wire(current.replace(**{column: value})) != kind.to_wire(current)
    }
    if getattr(current, "deleted_at", None):
        changes["deleted_at"] = None
    if kind is PROFILE:
        changes = {k: v for k, v in changes.items() if v is not None or k == "name"}
    after = current.replace(**changes)
    records.update(conn, after)
    if kind is not CHAT:
        events.insert_event(
            conn, change_set, now, f"{kind.entity}.synced", kind.entity, plan.key,
            current.to_row(), after.to_row(),
        )  # fmt: skip


def _columns(conn: sqlite3.Connection, kind: Kind, merged: Wire) -> dict[str, Any]:
    """Local column values for a merged record; links to records this device does not have
    (the backend keeps orphans, §9.21) are dropped rather than broken."""
    columns = kind.to_columns(merged)
    for column, table, pk in (
        ("goal_id", "quests", "goal_id"),
        ("milestone_id", "milestones", "milestone_id"),
        ("recurrence_rule_id", "routines", "recurrence_rule_id"),
    ):
        value = columns.get(column)
        if value and table != kind.record.TABLE:
            exists = conn.execute(f"SELECT 1 FROM {table} WHERE {pk} = ?", (value,)).fetchone()
            if exists is None and not (kind.entity == "milestone" and column == "goal_id"):
                columns[column] = None
    if kind is CHAT:
        columns["created_at"] = columns["updated_at"] = merged["timestamp"]
    return columns
