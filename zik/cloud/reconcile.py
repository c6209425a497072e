"""What each record needs in one sync round: its three versions merged, and the rules that
look across records (cloud/sync.py runs the rounds and makes the writes).

For every record pending here, known from an earlier sync, or present remotely, the base (the
version both sides last agreed on), the local and the remote version are merged (cloud/merge.py),
then the rules no single record can decide are applied: a milestone's number taken twice is
settled (cloud/positions.py), a milestone whose quest is gone goes too, a routine's task made here
for a day deleted elsewhere is not pushed back to life, a create whose answer never came is not
sent again silently, status and completion time agree.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from zik.cloud import listing, positions
from zik.cloud import merge as merging
from zik.cloud import stamps as stamping
from zik.cloud.items import (
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
from zik.cloud.remote import Known, Pulled, Remote
from zik.store import sync as state

Wire = dict[str, Any]


ID_UNKNOWN = "__idUnknown"  # in a base: pushed, but the remote has not said under which id


EDITED = "__edited"  # in a base: when each field got its value ({field: stamp}, cloud/stamps.py)


@dataclass
class Plan:
    """One record's merge and the writes it needs."""

    kind: Kind
    key: str
    local: Wire | None
    remote: Wire | None
    result: merging.Merge
    edited: dict[str, str] = field(default_factory=dict)  # stamps, kept in the base (EDITED)
    base: Wire | None = None

    def needed(self, queued: set[tuple[str, str]]) -> bool:
        """Whether anything is to be written, or the record is to leave the outbox."""
        result = self.result
        changed = result.write_local or result.write_remote or result.merged != self.base
        return changed or (self.kind.entity, self.key) in queued


def in_doubt(conn: sqlite3.Connection) -> set[str]:
    """Creates sent there whose answer never came (a sync cut off, or killed, mid-write): they
    may be there, or may have arrived and been deleted since."""
    return set(json.loads(state.state(conn, "in_doubt") or "[]"))


def set_in_doubt(conn: sqlite3.Connection, refs: set[str]) -> None:
    state.set_state(conn, "in_doubt", json.dumps(sorted(refs)))


def skippable(conn: sqlite3.Connection, now: str) -> Known | None:
    """What a remote may skip this round (cloud/listing.py): the version of every goal and
    task both sides last agreed on (one still at it there is the base, even if changed here),
    the milestone marker of each quest last read, and the quests whose milestones changed
    here. None (read everything) before the first sync and once a day."""
    last = state.state(conn, "full_read")
    if last is None or _hours_between(last, now) >= listing.FULL_READ_HOURS:
        return None
    queued = state.pending(conn)
    versions = {
        entity: {
            key: version
            for key, version in state.base_values(conn, entity, "updatedAt").items()
            if isinstance(version, str)
        }
        for entity in ("quest", "task")
    }
    for key, unknown in state.base_values(conn, "task", ID_UNKNOWN).items():
        if unknown:  # (the api's, waiting for their id: never skipped)
            versions["task"].pop(key, None)
    pending = {key for entity, key in queued if entity == "quest"}
    if milestones := {key for entity, key in queued if entity == "milestone"}:
        marks = ",".join("?" * len(milestones))
        pending |= {
            row[0]
            for row in conn.execute(
                f"SELECT goal_id FROM milestones WHERE milestone_id IN ({marks})",
                sorted(milestones),
            )
        }
        pending |= {
            quest
            for key, quest in state.base_values(conn, "milestone", "epicId").items()
            if key in milestones
        }
    roadmaps = json.loads(state.state(conn, "roadmaps") or "{}")
    return Known(versions, roadmaps, pending)


def _hours_between(earlier: str, later: str) -> float:
    from datetime import datetime

    def parse(stamp: str) -> datetime:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))

    return abs((parse(later) - parse(earlier)).total_seconds()) / 3600


def local_wire(conn: sqlite3.Connection, kind: Kind, key: str) -> tuple[Wire | None, str | None]:
    """A record's wire form here (None if deleted or absent) and when it was deleted."""
    wire, deleted = row_wire(conn, kind, key)
    return (None, deleted) if deleted else (wire, None)


def row_wire(conn: sqlite3.Connection, kind: Kind, key: str) -> tuple[Wire | None, str | None]:
    """A record's wire form here, deleted or not (None if absent), and when it was deleted."""
    row = conn.execute(f"SELECT * FROM {kind.record.TABLE} WHERE {kind.record.PK} = ?", (key,))
    found = row.fetchone()
    if found is None:
        return None, None
    record = kind.record.from_row(found)
    return kind.to_wire(record), getattr(record, "deleted_at", None) or None


def plan_records(
    conn: sqlite3.Connection, remote: Remote, pulled: Pulled, full: bool, now: str, skew=0.0
) -> list[Plan]:
    """Every record's merge and writes this round; `skew`: seconds this device's clock is
    behind the server's, by which the times of the edits made here are moved (stamps.py)."""
    expired = _chat_expired_before(now)
    bases = state.base_keys(conn)
    queued = state.pending(conn)
    plans: list[Plan] = []
    roadmaps: dict[str, Plan] = {}
    alive = "SELECT goal_id FROM quests WHERE deleted_at IS NULL"
    quests = {row[0]: True for row in conn.execute(alive)}  # alive after the merge?
    exdates: dict[str, set[str]] = {}  # each routine's days whose task was deleted
    doubted = in_doubt(conn)
    clock = state.state(conn, "clock")  # (the hybrid clock: cloud/stamps.py)
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
        same = pulled.unchanged.get(kind.entity, set())  # as the base there: not fetched
        keys -= same  # (nothing to do, unless changed here: queued, added back below)
        if kind is MILESTONE and pulled.unread:  # nothing wrote their quest's milestones
            keys -= {
                key
                for key, quest in state.base_values(conn, "milestone", "epicId").items()
                if quest in pulled.unread
            }
        keys |= {k for (e, k) in queued if e == kind.entity}
        new_messages: list[merging.Merge] = []  # chat messages made here, not yet there
        if full:
            table, pk = kind.record.TABLE, kind.record.PK
            keys |= {str(r[0]) for r in conn.execute(f"SELECT {pk} FROM {table}")}
        for key in sorted(keys - set(unreadable)):  # an unreadable item: left alone
            base = state.base(conn, kind.entity, key)
            if base is not None and base.get(ID_UNKNOWN):
                continue  # waits until the remote shows it (see _adopt)
            local, deleted_at = row_wire(conn, kind, key)
            # what it held when it was deleted here by a person (a delete still to push; not
            # one a sync made, as for a routine's task whose day was taken off elsewhere)
            deleted = local if deleted_at and (kind.entity, key) in queued else None
            local = None if deleted_at else local
            edited_at: dict[str, str] = (base or {}).get(EDITED, {})
            version = (base or {}).get("updatedAt")
            local, base, deleted = held(local), held(base), held(deleted)
            there = held(theirs.get(key))
            if there is None and key in same:
                there = held(base)  # unchanged there since the last sync
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
                if base is None and there is None and result.merged is not None:
                    new_messages.append(result)
            else:
                edits = _edits(conn, kind, key, base, version, pulled, queued, clock, skew)
                edits.base = edited_at
                if deleted_at is not None:
                    deleted_at = stamping.floor(clock, stamping.shifted(deleted_at, skew))
                result = merging.merge(
                    base, local, there, local_deleted_at=deleted_at, deleted=deleted, edits=edits
                )
                edited_at = result.stamps
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
        if kind is CHAT:
            _retime(new_messages, theirs)
    return plans


def _edits(
    conn: sqlite3.Connection,
    kind: Kind,
    key: str,
    base: Wire | None,
    version: str | None,
    pulled: Pulled,
    queued: set[tuple[str, str]],
    clock: str | None,
    skew: float,
) -> merging.Edits:
    """When each field was edited on each side since the base (cloud/stamps.py): here, from
    the event log (through the hybrid clock); there, from what the item says."""
    edits = merging.Edits()
    if (kind.entity, key) in queued and base is not None:
        columns = state.touched(conn, kind.entity, key)
        edits.local = {
            f.wire: stamping.floor(clock, stamping.shifted(columns[f.column], skew))
            for f in kind.fields
            if f.column in columns
        }
    edits.kept_there = pulled.stamps is not None
    said = (pulled.stamps or {}).get(kind.entity, {}).get(key)
    if said is not None:
        edits.remote = said.fields
        if version is not None and said.foreign and said.foreign != version:
            edits.foreign = said.foreign  # written there since the base, fields unsaid
    return edits


def _exdated(local: Wire | None, exdates: dict[str, set[str]]) -> bool:
    """A routine's task made here (by `zik today`) for a day whose task was deleted on
    another device, before that delete was pulled: never pushed back to life."""
    rule = local and local.get("recurrenceRuleId")
    return bool(rule) and local["dueDate"] in exdates.get(rule, ())  # type: ignore[index]


QUEST_GONE = "its quest was deleted on one side while the milestone changed on the other"


def _without_quest(base: Wire | None, local: Wire | None, there: Wire | None) -> merging.Merge:
    """A milestone whose quest is gone (deleted on one side while the other added or edited
    it, or left by the backend, which deletes no milestones with their goal) goes too, here
    and there; what was edited on it since the last sync, on either side, is kept as
    conflicts (the deletion was kept over it)."""
    lost: list[merging.Conflict] = []
    for side, wire in (("remote", local), ("local", there)):  # (the side whose delete won)
        if wire is None or wire == base:
            continue
        lost += [
            merging.Conflict(name, "deleted", wire.get(name), side, why=QUEST_GONE)
            for name in merging.changed(base or {}, wire)
            if name not in ("milestoneId", "epicId", "createdAt")
        ]
    return merging.Merge(None, local is not None, there is not None, lost)


def _retime(new: list[merging.Merge], theirs: dict[str, Wire]) -> None:
    """The chat table is keyed by the message's time (the backend's key): a message made here
    at a millisecond another device's message already holds there moves on to the next free
    one, here too, with the ones made after it, in their order (else its write would fail
    for good, and it would never reach the others)."""
    taken = {wire["timestamp"] for wire in theirs.values()}
    last = ""
    for result in sorted(new, key=lambda r: r.merged["timestamp"]):  # type: ignore[index]
        message = result.merged
        assert message is not None
        stamp = message["timestamp"] if message["timestamp"] > last else merging.after(last)
        while stamp in taken:
            stamp = merging.after(stamp)
        if stamp != message["timestamp"]:
            result.merged = {**message, "timestamp": stamp}
            result.write_local = True
        last = stamp


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
    merged = result.merged = dict(merged)  # (the merge may hand back the local dict itself)
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
