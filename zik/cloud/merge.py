"""The three-way merge of one record: the last synced version, the local one, the remote one.

Pure functions over wire dicts (cloud/items.py), so the rules can be read and tested alone:

- a field changed on one side only takes that side's value (a field edited here and back again
  counts as changed here: it is the newer edit);
- a field changed on both sides to different values goes to the side with the later
  `updatedAt` (the remote on a tie), and the loser is returned as a conflict to record;
- a record deleted on one side and untouched on the other is deleted; deleted on one side and
  edited on the other: a local delete is weighed against the remote edit's `updatedAt`; a remote
  delete wins (the backend keeps no tombstones, so its time is unknown) and the local edits are
  kept as conflicts;
- chat messages never change, so they merge as a union, except that a message deleted on one
  side (`zik chat clear`) is deleted on the other; one the remote cannot show (the api keeps
  10; DynamoDB expires them after 30 days) reaches the merge as unchanged there, so it stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Wire = dict[str, Any]
_META = ("updatedAt",)


@dataclass
class Conflict:
    field: str
    kept: Any
    lost: Any
    kept_side: str  # local | remote


@dataclass
class Merge:
    """The agreed record (None: deleted), and where it must be written."""

    merged: Wire | None
    write_local: bool
    write_remote: bool
    conflicts: list[Conflict] = field(default_factory=list)


def merge(
    base: Wire | None,
    local: Wire | None,
    remote: Wire | None,
    *,
    local_deleted_at: str | None = None,
    touched: frozenset[str] = frozenset(),
    edited_at: dict[str, str] | None = None,
) -> Merge:
    """Merge one record. `local` is None when it is deleted (or never existed) here;
    `local_deleted_at` says when it was deleted, if it was; `touched` names the fields edited
    here since the last sync, even those edited back to their synced value; `edited_at` says when
    fields were last edited here before that (an older edit made elsewhere loses to them)."""
    edited_at = edited_at or {}
    if local is None and remote is None:
        return Merge(None, False, False)
    if base is None:
        if remote is None:
            return Merge(local, False, True)
        if local is None:
            if local_deleted_at is not None and local_deleted_at >= remote["updatedAt"]:
                return Merge(None, False, True)  # created there, deleted here since
            return Merge(remote, True, False)
        return _fields({}, local, remote, touched, edited_at)
    if local is None:
        if remote is None:
            return Merge(None, False, False)
        if same(remote, base):
            return Merge(None, False, True)
        edited = changed(base, remote)
        if local_deleted_at is not None and local_deleted_at >= remote["updatedAt"]:
            lost = [Conflict(f, "deleted", remote.get(f), "local") for f in edited]
            return Merge(None, False, True, lost)
        return Merge(remote, True, False, [Conflict("deleted", remote, "deleted", "remote")])
    if remote is None:
        if same(local, base):
            return Merge(None, True, False)
        lost = [Conflict(f, "deleted", local.get(f), "remote") for f in changed(base, local)]
        return Merge(None, True, False, lost)
    return _fields(base, local, remote, touched, edited_at)


def _fields(
    base: Wire, local: Wire, remote: Wire, touched: frozenset[str], edited_at: dict[str, str]
) -> Merge:
    local_later = local["updatedAt"] > remote["updatedAt"]
    merged: Wire = {}
    conflicts: list[Conflict] = []
    for name in sorted(set(local) | set(remote)):
        if name in _META:
            continue
        ours, theirs, was = local.get(name), remote.get(name), base.get(name)
        if ours == theirs or theirs == was:
            merged[name] = ours
        elif ours == was and name not in touched:
            if edited_at.get(name, "") > remote["updatedAt"]:  # an older edit, synced late
                merged[name] = ours
                conflicts.append(Conflict(name, ours, theirs, "local"))
            else:
                merged[name] = theirs
        elif local_later:
            merged[name] = ours
            conflicts.append(Conflict(name, ours, theirs, "local"))
        else:
            merged[name] = theirs
            conflicts.append(Conflict(name, theirs, ours, "remote"))
    if same(merged, remote):
        merged["updatedAt"] = remote["updatedAt"]
    else:
        # a write there carries a version later than the one it replaces, so that another
        # device's write, conditional on the version both pulled, fails and merges again
        # instead of overwriting this one (an older edit merged with a newer remote one used
        # to be written with the remote's stamp)
        merged["updatedAt"] = max(local["updatedAt"], after(remote["updatedAt"]))
    if "createdAt" in merged and base == {}:  # created on both sides (e.g. a routine's task)
        merged["createdAt"] = min(local["createdAt"], remote["createdAt"])
        conflicts = [c for c in conflicts if c.field != "createdAt"]
    # `updatedAt` alone is no reason to write: the api remote stamps its own on every write
    return Merge(merged, not same(merged, local), not same(merged, remote), conflicts)


def merge_message(base: Wire | None, local: Wire | None, remote: Wire | None) -> Merge:
    """A chat message: a union, except that a message deleted on one side is deleted on the
    other."""
    if local is None:
        return (
            Merge(None, False, remote is not None and base is not None)
            if base
            else Merge(remote, remote is not None, False)
        )
    if remote is None:
        return Merge(None, True, False) if base is not None else Merge(local, False, True)
    return Merge(remote, remote != local, False)


def after(stamp: str) -> str:
    """The backend stamp one millisecond after `stamp` (YYYY-MM-DDTHH:MM:SS.mmmZ)."""
    from datetime import datetime, timedelta

    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(milliseconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def same(a: Wire, b: Wire) -> bool:
    """Equal apart from `updatedAt`."""
    return {k: v for k, v in a.items() if k not in _META} == {
        k: v for k, v in b.items() if k not in _META
    }


def changed(base: Wire, now: Wire) -> list[str]:
    """The fields (but `updatedAt`) whose values differ."""
    return [k for k in sorted(set(base) | set(now)) if k not in _META and base.get(k) != now.get(k)]
