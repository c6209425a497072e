"""The three-way merge of one record: the last synced version, the local one, the remote one.

Pure functions over wire dicts (cloud/items.py) and per-field edit stamps (cloud/stamps.py), so
the rules can be read and tested alone:

- a field changed on one side only takes that side's value; a field set back to its synced
  value is still changed (here: it was edited since the sync; there: its stamp is newer than
  the base's);
- a field changed on both sides to different values goes to the later edit by the fields'
  stamps (the remote on a tie), and the loser is returned as a conflict that says why;
- a field changed here while the remote item was written later by a writer that does not say
  which fields it changed (the app) keeps the edit made here, and the possible loss there is a
  conflict marked uncertain: that write may have set this field back to its old value (the app
  setting a task in progress, then pending again), or may not have touched it;
- a record deleted on one side and untouched on the other is deleted; deleted here and edited
  there, the delete is weighed against the stamps of the remote's edits: a later edit (a
  reopen, an undo, even back to the synced values) keeps the record and the delete is the
  conflict; a remote delete wins (the backend keeps no tombstones, so its time is unknown)
  and the local edits are kept as conflicts;
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
    why: str = ""  # which edit was kept and why, for the person reading it
    certain: bool = True  # False: the other side may not have edited it at all (see merge)


@dataclass
class Merge:
    """The agreed record (None: deleted), and where it must be written; `stamps`: when each
    of its fields got its value (kept with the base, and written there with it)."""

    merged: Wire | None
    write_local: bool
    write_remote: bool
    conflicts: list[Conflict] = field(default_factory=list)
    stamps: dict[str, str] = field(default_factory=dict)


@dataclass
class Edits:
    """When each field got its value, on each side.

    `base`: the stamp of each field's value in the base (the edit that won it, here or there);
    `local`: the fields edited here since the base, with when, even those set back;
    `remote`: the stamps the remote item vouches for (cloud/stamps.py; empty: it says nothing,
    and a field differing from the base was changed at the item's `updatedAt`);
    `foreign`: when a writer that does not say what it changed last wrote the remote item, if
    that was after the base.
    """

    base: dict[str, str] = field(default_factory=dict)
    local: dict[str, str] = field(default_factory=dict)
    remote: dict[str, str] = field(default_factory=dict)
    foreign: str | None = None
    kept_there: bool = False  # the remote keeps stamps: an edit set back is written there too


def merge(
    base: Wire | None,
    local: Wire | None,
    remote: Wire | None,
    *,
    local_deleted_at: str | None = None,
    deleted: Wire | None = None,
    edits: Edits | None = None,
) -> Merge:
    """Merge one record. `local` is None when it is deleted (or never existed) here;
    `local_deleted_at` says when it was deleted, if it was, and `deleted` what it held then."""
    edits = edits or Edits()
    if local is None and remote is None:
        return Merge(None, False, False)
    if base is None:
        if remote is None:
            return Merge(local, False, True, stamps=_all(local, edits.local, local))
        if local is None:
            if local_deleted_at is not None and local_deleted_at >= remote["updatedAt"]:
                return Merge(None, False, True)  # created there, deleted here since
            if deleted is not None:  # (given only with local_deleted_at)
                # made on both sides under one id (a routine's task, a planned day's), then
                # deleted here: the same record, so deleted there too, unless it was
                # changed there (then it stays, and the delete is a conflict)
                if _made_alike(deleted, remote):
                    return Merge(None, False, True)
                why = (
                    f"it was made here and deleted {_when(local_deleted_at)}; it was made"
                    f" there too, with other values, {_when(remote['updatedAt'])}"
                )
                conflict = Conflict("deleted", remote, "deleted", "remote", why)
                stamps = _all(remote, edits.remote, remote)
                return Merge(remote, True, False, [conflict], stamps)
            return Merge(remote, True, False, stamps=_all(remote, edits.remote, remote))
        return _fields({}, local, remote, edits)
    if local is None:
        if remote is None:
            return Merge(None, False, False)
        edited = {name: _there(name, base, remote, edits) for name in _names(base, remote)}
        edited = {name: at for name, at in edited.items() if at is not None}
        latest = max([*edited.values(), edits.foreign or ""])
        if not latest:
            return Merge(None, False, True)
        if local_deleted_at is not None and local_deleted_at >= latest:
            lost = [
                Conflict(f, "deleted", remote.get(f), "local", _why_deleted_later(local_deleted_at, at))
                for f, at in sorted(edited.items())
            ]  # fmt: skip
            return Merge(None, False, True, lost)
        why = (
            f"it was changed there {_when(latest)}, after it was deleted here"
            f" {_when(local_deleted_at)}"
            if local_deleted_at
            else "it was changed there since the last sync"
        )
        stamps = {**edits.base, **edited}
        return Merge(
            remote, True, False, [Conflict("deleted", remote, "deleted", "remote", why)], stamps
        )
    if remote is None:
        if same(local, base):
            return Merge(None, True, False)
        why = "it was deleted there (a delete there wins: the backend keeps no time for it)"
        lost = [Conflict(f, "deleted", local.get(f), "remote", why) for f in changed(base, local)]
        return Merge(None, True, False, lost)
    return _fields(base, local, remote, edits)


def _names(a: Wire, b: Wire) -> list[str]:
    return [name for name in sorted(set(a) | set(b)) if name not in _META]


def _all(record: Wire, stamps: dict[str, str], version: Wire) -> dict[str, str]:
    return {name: stamps.get(name) or version["updatedAt"] for name in _names(record, record)}


def _there(name: str, base: Wire, remote: Wire, edits: Edits) -> str | None:
    """When the field was changed there since the base (None: it was not, as far as the
    remote says): a different value was changed at its stamp (or the item's `updatedAt`); the
    same value was changed if its stamp is newer than the base's (set back)."""
    stamp = edits.remote.get(name)
    if base.get(name) != remote.get(name):
        return stamp or remote["updatedAt"]
    if stamp is not None and name in edits.base and stamp > edits.base[name]:
        return stamp
    return None


def _fields(base: Wire, local: Wire, remote: Wire, edits: Edits) -> Merge:
    merged: Wire = {}
    stamps: dict[str, str] = {}
    conflicts: list[Conflict] = []
    for name in _names(local, remote):
        ours, theirs, was = local.get(name), remote.get(name), base.get(name)
        here = edits.local.get(name) or (local["updatedAt"] if ours != was else None)
        if base:
            there = _there(name, base, remote, edits)
        else:
            there = edits.remote.get(name) or remote["updatedAt"]
        if base == {} and here is None:
            here = local["updatedAt"]  # made on both sides: every field is an edit
        if ours == theirs:
            merged[name] = ours
            stamps[name] = (
                max(here or "", there or "") or edits.base.get(name) or remote["updatedAt"]
            )
        elif there is None:
            merged[name], stamps[name] = ours, here or edits.base.get(name, local["updatedAt"])
            if here is not None and edits.foreign and edits.foreign > here:
                why = (
                    f"kept the edit made here {_when(here)}; the item was written there later"
                    f" ({_when(edits.foreign)}) by a writer that does not say which fields it"
                    " changed, and it may have set this one back"
                )
                conflicts.append(Conflict(name, ours, theirs, "local", why, certain=False))
        elif here is None:
            older = edits.base.get(name, "")
            if name in edits.remote and older > there:  # an older edit, synced late by zik
                merged[name], stamps[name] = ours, older
                why = (
                    f"the value there was edited {_when(there)}, before the one here {_when(older)}"
                )
                conflicts.append(Conflict(name, ours, theirs, "local", why))
            else:
                merged[name], stamps[name] = theirs, there
        elif here > there:
            merged[name], stamps[name] = ours, here
            conflicts.append(Conflict(name, ours, theirs, "local", _why_later(here, there, "here")))
        else:
            merged[name], stamps[name] = theirs, there
            conflicts.append(
                Conflict(name, theirs, ours, "remote", _why_later(there, here, "there"))
            )
    if "createdAt" in merged and base == {}:
        # made on both sides (a routine's task, a planned day): the first creation, taken
        # before the version is chosen, so that a write of it carries a new one
        merged["createdAt"] = min(local["createdAt"], remote["createdAt"])
        conflicts = [c for c in conflicts if c.field != "createdAt"]
    # a field set back here is still written there (with its stamp), if the remote keeps
    # stamps: else another device's older edit of it would win
    set_back = edits.kept_there and any(
        stamps.get(name, "") > edits.remote.get(name, "") for name in edits.local
    )
    if same(merged, remote) and not set_back:
        merged["updatedAt"] = remote["updatedAt"]
    else:
        # a write there carries a version later than the one it replaces, so that another
        # device's write, conditional on the version both pulled, fails and merges again
        # instead of overwriting this one (an older edit merged with a newer remote one used
        # to be written with the remote's stamp)
        merged["updatedAt"] = max(local["updatedAt"], after(remote["updatedAt"]))
    # `updatedAt` alone is no reason to write: the api remote stamps its own on every write
    write_remote = set_back or not same(merged, remote)
    return Merge(merged, not same(merged, local), write_remote, conflicts, stamps)


def _when(stamp: str | None) -> str:
    """`at 2026-03-01 10:04:05 UTC` (stamps are UTC, by the server's clock where a device
    could tell how far its own was from it: cloud/stamps.py)."""
    return f"at {stamp[:19].replace('T', ' ')} UTC" if stamp else "at an unknown time"


def _why_later(kept: str, lost: str, side: str) -> str:
    other = "there" if side == "here" else "here"
    return (
        f"both sides changed it; the later edit was kept: {side} {_when(kept)}, {other}"
        f" {_when(lost)}"
    )


def _why_deleted_later(deleted: str, edited: str) -> str:
    return f"it was deleted here {_when(deleted)}, after this edit there {_when(edited)}"


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


def _made_alike(a: Wire, b: Wire) -> bool:
    """Equal apart from when each was made and stamped."""
    return same({**a, "createdAt": None}, {**b, "createdAt": None})


def same(a: Wire, b: Wire) -> bool:
    """Equal apart from `updatedAt`."""
    return {k: v for k, v in a.items() if k not in _META} == {
        k: v for k, v in b.items() if k not in _META
    }


def changed(base: Wire, now: Wire) -> list[str]:
    """The fields (but `updatedAt`) whose values differ."""
    return [k for k in sorted(set(base) | set(now)) if k not in _META and base.get(k) != now.get(k)]
