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

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from zik.cloud import merge as merging
from zik.cloud import positions
from zik.cloud.items import (
    BY_ENTITY,
    CHAT,
    KINDS,
    MILESTONE,
    PROFILE,
    PROFILE_DEFAULTS,
    QUEST,
    ROUTINE,
    TASK,
    Kind,
)
from zik.cloud.remote import Delete, Op, Pulled, Pushed, Remote, Write
from zik.models import Record
from zik.store import events, records
from zik.store import sync as state
from zik.store.db import atomic

Wire = dict[str, Any]
ROUNDS = 4  # pull-merge-push rounds before giving up on records that keep changing remotely
ID_UNKNOWN = "__idUnknown"  # in a base: pushed, but the remote has not said under which id
EDITED = "__edited"  # in a base: when each field was last edited here ({field: updatedAt})
STALE = "changed there again before each write"  # why a write is still refused after ROUNDS


@dataclass
class Plan:
    """One record's merge and the writes it needs."""

    kind: Kind
    key: str
    local: Wire | None
    remote: Wire | None
    result: merging.Merge
    edited: dict[str, str] = field(default_factory=dict)  # kept in the base (see EDITED)
    base: Wire | None = None

    def needed(self, queued: set[tuple[str, str]]) -> bool:
        """Whether anything is to be written, or the record is to leave the outbox."""
        result = self.result
        changed = result.write_local or result.write_remote or result.merged != self.base
        return changed or (self.kind.entity, self.key) in queued


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
    gaps: dict[str, str] = field(default_factory=dict)
    rounds: int = 0
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
            "rounds": self.rounds,
            "stuck": self.stuck,
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
        report.skipped, report.notes = pulled.skipped, pulled.notes
        if not dry_run:
            _adopt(conn, pulled)
        plans = _plan(conn, remote, pulled, full, now)
        if dry_run:
            _count(report, plans)
            return report
        pushes = _apply_locally(conn, remote, plans, now, report)
        creates = {
            _ref(plan) for plan, op in pushes if isinstance(op, Write) and op.expected is None
        }
        if creates:  # until the remote answers, each may or may not be there
            with atomic(conn):
                _set_in_doubt(conn, _in_doubt(conn) | creates)
        done = remote.apply([op for _, op in pushes]) if pushes else []
        with atomic(conn):
            answered = {
                _ref(plan)
                for (plan, _op), p in zip(pushes, done, strict=True)
                if p.unsent or not p.error
            }
            if doubted := _in_doubt(conn) - answered:  # (those known there now are not in doubt)
                known = state.bases(conn)
                doubted = {r for r in doubted if tuple(r.split("/", 1)) not in known}
            _set_in_doubt(conn, doubted)
            for (plan, _op), pushed in zip(pushes, done, strict=True):
                if pushed.ok:
                    _pushed(conn, plan, pushed)
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
        for (plan, _op), pushed in zip(pushes, done, strict=True):
            if pushed.gone:
                _gone(conn, plan, now, report)
        if failed is not None:
            raise failed  # what went through is recorded; the next sync does the rest
        report.gaps = dict(remote.gaps)
        rekeyed = any(p.new_id for p in done)
        if not report.stale and not rekeyed:
            break
    return report


def _gone(conn: sqlite3.Connection, plan: Plan, now: str, report: Report) -> None:
    """The record was deleted remotely after the pull (seen only when writing it): the delete
    wins, as in the merge, and the local edits are kept as a conflict."""
    lost = merging.Conflict("deleted", "deleted", plan.result.merged, "remote")
    plan.result = merging.Merge(None, True, False, [lost])
    _apply_locally(conn, _NoRemote(), [plan], now, report)


class _NoRemote:
    """Stands in for the remote when only local writes are left to make."""

    gaps: dict[str, str] = {}

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


def _in_doubt(conn: sqlite3.Connection) -> set[str]:
    """Creates sent there whose answer never came (a sync cut off, or killed, mid-write): they
    may be there, or may have arrived and been deleted since."""
    return set(json.loads(state.state(conn, "in_doubt") or "[]"))


def _set_in_doubt(conn: sqlite3.Connection, refs: set[str]) -> None:
    state.set_state(conn, "in_doubt", json.dumps(sorted(refs)))


def _pulled_only(conn: sqlite3.Connection, plan: Plan) -> None:
    """The remote version was merged in here but the write back was refused (it changed there
    again): that version is now the common ancestor of both sides, so the next round does not
    take what came from it for an edit made here."""
    assert plan.remote is not None
    base = {**plan.remote, EDITED: plan.edited} if plan.edited else plan.remote
    state.set_base(conn, plan.kind.entity, plan.key, base)


def _adopt(conn: sqlite3.Connection, pulled: Pulled) -> None:
    """Match records pushed without a known id (the api's POST /tasks) to the remote records
    that have since shown up, by name and date, and take on their ids."""
    bases = state.bases(conn)
    waiting = {
        key: base
        for (entity, key), base in bases.items()
        if entity == "task" and base.get(ID_UNKNOWN)
    }
    if not waiting:
        return
    known = {k for (e, k) in bases if e == "task"}
    with atomic(conn):
        for remote_id, record in pulled.records.get("task", {}).items():
            if remote_id in known:
                continue
            for key, base in list(waiting.items()):
                if (base["taskName"], base["dueDate"]) == (record["taskName"], record["dueDate"]):
                    state.rekey(conn, "task", key, remote_id)
                    state.set_base(
                        conn, "task", remote_id, {**base, "taskId": remote_id, ID_UNKNOWN: False}
                    )
                    del waiting[key]
                    break


def _quest_ids(conn: sqlite3.Connection) -> set[str]:
    """Quests whose milestones to pull: those alive here, and those synced before, or whose
    milestones were (a quest deleted here still needs its milestones deleted there)."""
    alive = {r[0] for r in conn.execute("SELECT goal_id FROM quests WHERE deleted_at IS NULL")}
    synced = state.bases(conn)
    return (
        alive
        | {k for (e, k) in synced if e == "quest"}
        | {base["epicId"] for (e, _), base in synced.items() if e == "milestone"}
    )


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


def _plan(
    conn: sqlite3.Connection, remote: Remote, pulled: Pulled, full: bool, now: str
) -> list[Plan]:
    expired = _chat_expired_before(now)
    bases = state.bases(conn)
    queued = state.pending(conn)
    plans: list[Plan] = []
    roadmaps: dict[str, Plan] = {}
    alive = "SELECT goal_id FROM quests WHERE deleted_at IS NULL"
    quests = {row[0]: True for row in conn.execute(alive)}  # alive after the merge?
    exdates: dict[str, set[str]] = {}  # each routine's days whose task was deleted
    doubted = _in_doubt(conn)
    for kind in KINDS:
        fields = remote.fields(kind)
        if not fields:
            continue

        def held(wire: Wire | None, fields=fields) -> Wire | None:
            """The part of a record this remote holds."""
            return None if wire is None else {name: wire.get(name) for name in fields}

        theirs = pulled.records.get(kind.entity, {})
        unreadable = pulled.skipped.get(kind.entity, {})
        keys = set(theirs) | {k for (e, k) in bases if e == kind.entity}
        keys |= {k for (e, k) in queued if e == kind.entity}
        if full:
            table, pk = kind.record.TABLE, kind.record.PK
            keys |= {str(r[0]) for r in conn.execute(f"SELECT {pk} FROM {table}")}
        for key in sorted(keys - set(unreadable)):  # an unreadable item: left alone
            base = bases.get((kind.entity, key))
            if base is not None and base.get(ID_UNKNOWN):
                continue  # waits until the remote shows it (see _adopt)
            local, deleted_at = _local(conn, kind, key)
            edited_at: dict[str, str] = (base or {}).get(EDITED, {})
            local, base = held(local), held(base)
            there = held(theirs.get(key))
            if there is None and base is not None and not remote.covers(kind, base):
                there = base  # the remote cannot show it: take it as unchanged there
            for name in remote.read_only(kind):
                if there is not None and there.get(name) is None and local is not None:
                    there[name] = local.get(name)  # not writable there: absence says nothing
            if kind is CHAT and there is None and base and base["timestamp"] < expired:
                there = base  # gone by the backend's TTL, not deleted: kept here
            if kind is PROFILE and there is None:
                base = None  # a profile is never deleted there: missing, it is made again
            elif kind is PROFILE and base is None and local is not None:
                # first meeting: what the backend filled in by default is no edit made there
                base = {name: PROFILE_DEFAULTS.get(name) for name in there}
                base["createdAt"] = there.get("createdAt")  # (the creation time here is kept)
            if kind is CHAT:
                result = merging.merge_message(base, local, there)
            else:
                edited = frozenset()
                if (kind.entity, key) in queued and base is not None:
                    columns = state.touched(conn, kind.entity, key)
                    edited = frozenset(f.wire for f in kind.fields if f.column in columns)
                result = merging.merge(
                    base, local, there, local_deleted_at=deleted_at, touched=edited,
                    edited_at=edited_at,
                )  # fmt: skip
                if local is not None:
                    edited_at = {**edited_at, **dict.fromkeys(edited, local["updatedAt"])}
                _consistent(result, local, there)
            if (kind.entity, key) in pulled.repair and result.merged is not None:
                result.write_remote = True  # found twice there: the write tidies it
            if kind is QUEST:
                quests[key] = result.merged is not None
            if kind is ROUTINE and result.merged is not None:
                exdates[key] = set(result.merged.get("exdates") or ())
            if kind is TASK and base is None and there is None and _exdated(local, exdates):
                result = merging.Merge(None, True, False)  # made here before its delete came
            doubt = f"{kind.entity}/{key}" in doubted and base is None and there is None
            doubt = doubt and kind is not PROFILE  # (a profile is made again: never deleted)
            if doubt and result.merged is not None:
                # it may have arrived and been deleted there since: sent again, not silently
                result.conflicts.append(
                    merging.Conflict("deleted", result.merged, "deleted", "local")
                )
            if kind is MILESTONE and result.merged and not quests.get(result.merged["epicId"]):
                result = _without_quest(base, local, there)
            plan = Plan(kind, key, local, there, result, edited_at, base)
            if kind is MILESTONE:
                roadmaps[key] = plan  # kept whatever happened: positions are settled below
            elif plan.needed(queued):
                plans.append(plan)
        if kind is MILESTONE:  # (before the tasks, which may point at them)
            plans += _positions(roadmaps, queued, pulled.taken)
    return plans


def _exdated(local: Wire | None, exdates: dict[str, set[str]]) -> bool:
    """A routine's task made here (by `zik today`) for a day whose task was deleted on
    another device, before that delete was pulled: never pushed back to life."""
    rule = local and local.get("recurrenceRuleId")
    return bool(rule) and local["dueDate"] in exdates.get(rule, ())  # type: ignore[index]


def _without_quest(base: Wire | None, local: Wire | None, there: Wire | None) -> merging.Merge:
    """A milestone whose quest is gone (deleted on one side while the other added or edited
    it, or left by the backend, which deletes no milestones with their goal) goes too, here
    and there; what was edited on it since the last sync is kept as conflicts."""
    edited = local if local is not None and local != base else None
    lost = [
        merging.Conflict(name, "deleted", edited.get(name), "remote")
        for name in merging.changed(base or {}, edited)
        if name not in ("milestoneId", "epicId", "createdAt")
    ] if edited is not None else []  # fmt: skip
    return merging.Merge(None, local is not None, there is not None, lost)


def _positions(
    roadmaps: dict[str, Plan], queued: set[tuple[str, str]], taken: dict[str, set[int]]
) -> list[Plan]:
    """Every milestone of a quest at its own sequence (cloud/positions.py): a number taken
    twice, by adds on two devices, moves the later one to the end, here and there."""
    for plan in roadmaps.values():  # (a merge may hand back the local or remote dict itself)
        if plan.result.merged is not None:
            plan.result.merged = dict(plan.result.merged)
    merged = {key: plan.result.merged for key, plan in roadmaps.items() if plan.result.merged}
    there = {key: plan.remote for key, plan in roadmaps.items()}
    for key in positions.settle(merged, there, taken):
        plan = roadmaps[key]
        result = plan.result
        assert result.merged is not None
        result.write_local = plan.local is None or not merging.same(result.merged, plan.local)
        result.write_remote = plan.remote is None or not merging.same(result.merged, plan.remote)
    return [plan for plan in roadmaps.values() if plan.needed(queued)]


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
                after, _ = _local(conn, plan.kind, plan.key)
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
    return Write(plan.kind, plan.result.merged, expected, plan.remote)


CHAT_TTL_DAYS = 29  # the backend expires messages after 30 days; a day's margin for clocks


def _chat_expired_before(now: str) -> str:
    """Chat keys (timestamps) older than this may have expired remotely rather than been
    deleted: their absence there says nothing."""
    from datetime import datetime, timedelta

    moment = datetime.fromisoformat(now.replace("Z", "+00:00")) - timedelta(days=CHAT_TTL_DAYS)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _consistent(result: merging.Merge, local: Wire | None, there: Wire | None) -> None:
    """Status and completion time agree after a merge: a remote reopen against a local
    completion used to leave `pending` with `completedAt` set (each field merged alone)."""
    merged = result.merged
    if merged is None or "completedAt" not in merged or "status" not in merged:
        return
    if merged["status"] != "completed" and merged["completedAt"] is not None:
        merged["completedAt"] = None
    elif merged["status"] == "completed" and merged["completedAt"] is None:
        merged["completedAt"] = merged.get("updatedAt")
    else:
        return
    if local is None or any(merged.get(k) != local.get(k) for k in merged if k != "updatedAt"):
        result.write_local = True
    if there is not None and any(merged.get(k) != there.get(k) for k in there):
        result.write_remote = True


def _settle(conn: sqlite3.Connection, plan: Plan) -> None:
    """Both sides now hold the merged record: it becomes the base, and leaves the outbox
    unless it was changed here again meanwhile."""
    merged = plan.result.merged
    remembered = {**merged, EDITED: plan.edited} if merged and plan.edited else merged
    state.set_base(conn, plan.kind.entity, plan.key, remembered)
    now_here, _ = _local(conn, plan.kind, plan.key)
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
