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
again and converges. What each record needs in a round is decided in cloud/reconcile.py.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from zik.cloud import merge as merging
from zik.cloud import stamps as stamping
from zik.cloud.items import BY_ENTITY, CHAT, PROFILE, Kind
from zik.cloud.reconcile import (
    EDITED,
    ID_UNKNOWN,
    Plan,
    in_doubt,
    local_wire,
    plan_records,
    set_in_doubt,
    skippable,
)
from zik.cloud.remote import Delete, Op, Pulled, Pushed, Remote, Write
from zik.models import Record
from zik.store import events, records
from zik.store import sync as state
from zik.store.db import atomic

Wire = dict[str, Any]
ROUNDS = 4  # pull-merge-push rounds before giving up on records that keep changing remotely
STALE = "changed there again before each write"  # why a write is still refused after ROUNDS


@dataclass
class Report:
    remote: str
    dry_run: bool = False
    pulled: dict[str, int] = field(default_factory=dict)  # records changed here, by entity
    pushed: dict[str, int] = field(default_factory=dict)  # records written there, by entity
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    stale: int = 0  # writes still refused after every round (retried by the next sync)
    refused: dict[str, str] = field(default_factory=dict)  # entity -> why the remote would not
    skipped: dict[str, dict[str, str]] = field(default_factory=dict)  # unreadable items there
    notes: list[str] = field(default_factory=list)  # remote values read as the nearest zik holds
    gaps: dict[str, str] = field(default_factory=dict)  # not pulled, by entity: why
    not_pushed: dict[str, str] = field(default_factory=dict)  # cannot be pushed, by entity: why
    here_only: dict[str, int] = field(default_factory=dict)  # records here that stay here
    first_limits: bool = False  # the remote's limits were not yet said on this device
    rounds: int = 0
    clock_offset: int = 0  # seconds this device's clock is behind the server's (< 0: ahead)
    # writes still refused after the last round, with why: the outbox cannot drain (yet)
    stuck: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "remote": self.remote,
            "dryRun": self.dry_run,
            "pulled": self.pulled,
            "pushed": self.pushed,
            "conflicts": self.conflicts,
            "stale": self.stale,
            "notPushed": self.refused,
            "skipped": [
                {"entity": entity, "id": key, "why": why}
                for entity, found in self.skipped.items()
                for key, why in found.items()
            ],
            "adjusted": self.notes,
            "notPulled": self.gaps,
            "limits": {"pull": self.gaps, "push": self.not_pushed, "hereOnly": self.here_only},
            "rounds": self.rounds,
            "stuck": self.stuck,
            "clockOffset": self.clock_offset,
        }


def run(conn: sqlite3.Connection, remote: Remote, user_id: str, now: str, *, dry_run=False):
    """Sync until both sides agree (or ROUNDS rounds); returns what moved each way."""
    if state.state(conn, "user") not in (None, user_id):
        with atomic(conn):
            state.forget_all(conn)  # another account: everything here is new to it
    report = Report(remote.name, dry_run)
    pulled_at: list[
        str
    ] = []  # the latest stamp each round pulled, for the hybrid clock (cloud/stamps.py)
    written: set[str] = set()  # the records pushed, by the key they end with
    for _ in range(ROUNDS):
        report.rounds += 1
        full = state.state(conn, "last_sync") is None
        skip = None if full else skippable(conn, now)
        pulled = remote.pull(_quest_ids(conn), skip)
        skew = stamping.skew(remote.server_time, now)  # (the first answer: close to `now`)
        report.clock_offset = round(skew)
        report.gaps = pulled.gaps
        report.skipped, report.notes = pulled.skipped, pulled.notes
        pulled_at += _stamps_seen(pulled)
        if not dry_run:
            _adopt(conn, pulled)
            _adopt_in_doubt(conn, pulled)
        plans = plan_records(conn, remote, pulled, full, now, skew)
        if dry_run:
            _count(report, plans)
            _limits(conn, remote, report)
            return report
        pushes = _apply_locally(conn, remote, plans, now, report)
        creates = {
            _ref(plan) for plan, op in pushes if isinstance(op, Write) and op.expected is None
        }
        if creates:  # until the remote answers, each may or may not be there
            with atomic(conn):
                set_in_doubt(conn, in_doubt(conn) | creates)
        done = remote.apply([op for _, op in pushes]) if pushes else []
        with atomic(conn):
            answered = {
                _ref(plan)
                for (plan, _op), p in zip(pushes, done, strict=True)
                if p.unsent or not p.error
            }
            if doubted := in_doubt(conn) - answered:  # (those known there now are not in doubt)
                synced = state.base_keys(conn)
                doubted = {r for r in doubted if tuple(r.split("/", 1)) not in synced}
            set_in_doubt(conn, doubted)
            for (plan, _op), pushed in zip(pushes, done, strict=True):
                if pushed.ok:
                    _pushed(conn, plan, pushed)
                    if _ref(plan) not in written:  # (once however many rounds wrote it)
                        written.add(_ref(plan))
                        name = plan.kind.entity
                        report.pushed[name] = report.pushed.get(name, 0) + 1
                elif plan.result.write_local and plan.remote is not None:
                    _pulled_only(conn, plan)
            state.set_state(conn, "user", user_id)
            state.set_state(conn, "skipped", json.dumps(report.to_json()["skipped"]))
            state.set_state(conn, "remote", remote.name)
            failed = next((p.error for p in done if p.error), None)
            stale = [
                {"entity": plan.kind.entity, "id": plan.key, "why": STALE}
                for (plan, _op), p in zip(pushes, done, strict=True)
                if not p.ok and not p.gone and not p.error and not p.refused
            ]
            report.stale = len(stale)
            report.stuck = stale  # (until a later round writes them)
            state.set_state(conn, "stuck", json.dumps(stale))
            for (plan, _op), pushed in zip(pushes, done, strict=True):
                if pushed.refused:
                    report.refused[plan.kind.entity] = pushed.refused
            if not report.stale and failed is None:
                state.set_state(conn, "last_sync", now)
                if skip is None:  # everything was read: the next day's syncs may skip
                    state.set_state(conn, "full_read", now)
            seen = json.loads(state.state(conn, "roadmaps") or "{}")
            seen |= pulled.roadmaps | remote.roadmaps  # (each quest's milestones read or written)
            state.set_state(conn, "roadmaps", json.dumps(seen, sort_keys=True))
        for (plan, _op), pushed in zip(pushes, done, strict=True):
            if pushed.gone:
                _gone(conn, plan, now, report)
        if failed is not None:
            raise failed  # what went through is recorded; the next sync does the rest
        report.gaps = dict(remote.gaps)
        rekeyed = any(p.new_id for p in done)
        if not report.stale and not rekeyed:
            break
    with atomic(conn):  # (after every round: an edit made before this sync keeps its time)
        at, before = stamping.shifted(now, skew), state.state(conn, "clock")
        state.set_state(conn, "clock", stamping.clock(at, pulled_at, before))
    _limits(conn, remote, report)
    return report


def _stamps_seen(pulled: Pulled) -> list[str]:
    """The latest stamp among the records pulled (the one the hybrid clock keeps)."""
    latest = ""
    for found in pulled.records.values():
        for record in found.values():
            latest = max(latest, str(record.get("updatedAt") or ""))
    for said in (pulled.stamps or {}).values():
        for stamped in said.values():
            latest = max([latest, *stamped.fields.values()])
    return [latest] if latest else []


def _limits(conn: sqlite3.Connection, remote: Remote, report: Report) -> None:
    """What this remote cannot carry, each way, with how many records here it leaves here;
    `first_limits` the first time this device syncs with it (or its limits changed)."""
    report.gaps, report.not_pushed = dict(remote.gaps), dict(remote.not_pushed)
    report.here_only = here_only(conn, report.not_pushed)
    said = json.dumps([remote.name, report.gaps, report.not_pushed], sort_keys=True)
    if (report.gaps or report.not_pushed) and state.state(conn, "limits_said") != said:
        report.first_limits = True
        if not report.dry_run:
            with atomic(conn):
                state.set_state(conn, "limits_said", said)


def here_only(conn: sqlite3.Connection, not_pushed: dict[str, str]) -> dict[str, int]:
    """How many records here a remote cannot take, by kind (a task itself is pushed: only
    some of its fields are not)."""
    return {
        entity: conn.execute(
            f"SELECT count(*) FROM {BY_ENTITY[entity].record.TABLE} WHERE deleted_at IS NULL"
        ).fetchone()[0]
        for entity in not_pushed
        if entity != "task"
    }


def _gone(conn: sqlite3.Connection, plan: Plan, now: str, report: Report) -> None:
    """The record was deleted remotely after the pull (seen only when writing it): the delete
    wins, as in the merge, and the local edits are kept as a conflict."""
    lost = merging.Conflict("deleted", "deleted", plan.result.merged, "remote")
    plan.result = merging.Merge(None, True, False, [lost])
    _apply_locally(conn, _NoRemote(), [plan], now, report)


class _NoRemote:
    """Stands in for the remote when only local writes are left to make."""

    gaps: dict[str, str] = {}
    not_pushed: dict[str, str] = {}

    def fields(self, kind: Kind) -> tuple[str, ...]:
        return tuple(f.wire for f in kind.fields)

    def writable(self, kind: Kind) -> bool:
        return False

    def read_only(self, kind: Kind) -> tuple[str, ...]:
        return ()


def _pushed(conn: sqlite3.Connection, plan: Plan, pushed: Pushed) -> None:
    """A write went through: the record may have a new id, or one still unknown."""
    if pushed.new_id and pushed.new_id != plan.key:
        state.rekey(conn, plan.kind.entity, plan.key, pushed.new_id)
        plan.key = pushed.new_id
        if plan.result.merged is not None:
            plan.result.merged[plan.kind.id_attr] = pushed.new_id
    _settle(conn, plan)
    if pushed.stored is not None:
        state.set_base(conn, plan.kind.entity, plan.key, pushed.stored)
    if pushed.id_unknown and plan.result.merged is not None:
        stored = pushed.stored or plan.result.merged
        state.set_base(conn, plan.kind.entity, plan.key, {**stored, ID_UNKNOWN: True})


def _ref(plan: Plan) -> str:
    return f"{plan.kind.entity}/{plan.key}"


def _pulled_only(conn: sqlite3.Connection, plan: Plan) -> None:
    """The remote version was merged in here but the write back was refused (it changed there
    again): that version is now the common ancestor of both sides, so the next round does not
    take what came from it for an edit made here."""
    assert plan.remote is not None
    base = {**plan.remote, EDITED: plan.edited} if plan.edited else plan.remote
    state.set_base(conn, plan.kind.entity, plan.key, base)


# what tells the record the remote made of a create from here (under its own id) from others
ALIKE = {"quest": ("goalName",), "task": ("taskName", "dueDate")}


def _alike(entity: str, a: Wire, b: Wire) -> bool:
    return all(a[name] == b[name] for name in ALIKE[entity])


def _adopt(conn: sqlite3.Connection, pulled: Pulled) -> None:
    """Match records pushed without a known id (the api's POST /tasks) to the remote records
    that have since shown up, by name and date, and take on their ids."""
    unknown = state.base_values(conn, "task", ID_UNKNOWN)
    waiting = {key: state.base(conn, "task", key) or {} for key, flag in unknown.items() if flag}
    if not waiting:
        return
    known = set(unknown)
    with atomic(conn):
        for remote_id, record in pulled.records.get("task", {}).items():
            if remote_id in known:
                continue
            for key, base in list(waiting.items()):
                if _alike("task", base, record):
                    state.rekey(conn, "task", key, remote_id)
                    state.set_base(
                        conn, "task", remote_id, {**base, "taskId": remote_id, ID_UNKNOWN: False}
                    )
                    del waiting[key]
                    break


def _adopt_in_doubt(conn: sqlite3.Connection, pulled: Pulled) -> None:
    """A create sent to a remote that picks its own ids (the api), whose answer never came (a
    sync cut off or killed mid-write): the record it then shows with the same name (and day)
    under an id known nowhere here is that one. Taken on, not sent again as a second copy."""
    doubted = in_doubt(conn)
    if not doubted:
        return
    synced = state.base_keys(conn)
    left = set(doubted)
    with atomic(conn):
        for ref in sorted(doubted):
            entity, key = ref.split("/", 1)
            theirs = pulled.records.get(entity, {})
            if entity not in ALIKE or key in theirs or (entity, key) in synced:
                continue  # (there under its own id, as on dynamodb, or already settled)
            local, _ = local_wire(conn, BY_ENTITY[entity], key)
            if local is None:
                continue
            as_posted = [local]  # (a task may still be due where its POST put it: api.py)
            if entity == "task" and pulled.posted_due:
                as_posted.append({**local, "dueDate": pulled.posted_due})
            match = next(
                (
                    other
                    for other, wire in sorted(theirs.items())
                    if any(_alike(entity, wire, posted) for posted in as_posted)
                    and (entity, other) not in synced
                    and local_wire(conn, BY_ENTITY[entity], other) == (None, None)  # not here
                ),
                None,
            )
            if match:
                state.rekey(conn, entity, key, match)
                state.set_base(conn, entity, match, theirs[match])
                synced.add((entity, match))
                left.discard(ref)
        set_in_doubt(conn, left)


def _quest_ids(conn: sqlite3.Connection) -> set[str]:
    """Quests whose milestones to pull: those alive here, and those synced before, or whose
    milestones were (a quest deleted here still needs its milestones deleted there)."""
    alive = {r[0] for r in conn.execute("SELECT goal_id FROM quests WHERE deleted_at IS NULL")}
    synced = set(state.base_values(conn, "quest", "goalId"))
    return alive | synced | set(state.base_values(conn, "milestone", "epicId").values())


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
        "why": conflict.why,
        "certain": conflict.certain,
    }


def _apply_locally(
    conn: sqlite3.Connection, remote: Remote, plans: list[Plan], now: str, report: Report
) -> list[tuple[Plan, Op]]:
    """Write the merged records here in one transaction; return the pushes still to make."""
    pushes: list[tuple[Plan, Op]] = []
    with atomic(conn):
        for entity, key in state.pending(conn):
            if entity in BY_ENTITY and not remote.fields(BY_ENTITY[entity]):
                state.unqueue(conn, entity, key)  # a kind this remote does not hold
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
                after, _ = local_wire(conn, plan.kind, plan.key)
                if after is not None:
                    after = {name: after.get(name) for name in remote.fields(plan.kind)}
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
                    conflict.why,
                    conflict.certain,
                )
                report.conflicts.append(_conflict_json(plan, conflict))
            if result.write_remote and remote.writable(plan.kind):
                pushes.append((plan, _op(plan)))
            else:  # in sync, or a kind the remote only shows (it stays as it is here)
                _settle(conn, plan)
    return pushes


def _op(plan: Plan) -> Op:
    expected = plan.remote.get("updatedAt") if plan.remote else None
    if plan.kind is CHAT and plan.remote is not None:
        expected = plan.remote["timestamp"]
    if plan.result.merged is None:
        assert plan.remote is not None
        return Delete(plan.kind, plan.remote, expected)
    return Write(plan.kind, plan.result.merged, expected, plan.remote, plan.result.stamps)


def _settle(conn: sqlite3.Connection, plan: Plan) -> None:
    """Both sides now hold the merged record: it becomes the base, and leaves the outbox
    unless it was changed here again meanwhile."""
    merged = plan.result.merged
    remembered = {**merged, EDITED: plan.edited} if merged and plan.edited else merged
    state.set_base(conn, plan.kind.entity, plan.key, remembered)
    now_here, _ = local_wire(conn, plan.kind, plan.key)
    if merged is None or now_here is None:
        agreed = merged is None and now_here is None
    else:
        agreed = merging.same({name: now_here.get(name) for name in merged}, merged)
    if agreed:
        state.unqueue(conn, plan.kind.entity, plan.key)


def _write_local(conn: sqlite3.Connection, change_set: str, plan: Plan, now: str) -> None:
    kind, merged = plan.kind, plan.result.merged
    cls = kind.record
    row = conn.execute(f"SELECT * FROM {cls.TABLE} WHERE {cls.PK} = ?", (plan.key,)).fetchone()
    current = cls.from_row(row) if row is not None else None
    if merged is None:
        if current is None or kind is PROFILE:  # a profile is never deleted by a sync
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
        if not values.get("created_at") and hasattr(cls, "created_at"):
            # a remote that does not show createdAt (the api): the first time it was seen
            values["created_at"] = merged.get("updatedAt") or now
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
