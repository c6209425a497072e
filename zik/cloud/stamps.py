"""Per-field edit stamps: when each field of a record got its value, so that a merge weighs
edits, not whole records.

A record's `updatedAt` says when it last changed, not which field changed: a field set back to
its synced value (the app sets a task in progress, then pending again; `zik undo`) looks
unchanged, and an older offline edit used to win over it silently. So every item zik writes to
DynamoDB carries one extension attribute, `zikEdits`, a JSON string:

    {"v": "<the updatedAt zik wrote>", "f": {"<field>": ["<stamp>", "<digest of the value>"]}}

Read back, a field's stamp holds while the item is still at the version zik wrote (`v`). After
another writer (the backend's Lambdas, which `SET` the fields they are given and keep the rest)
a field whose digest no longer matches was changed at the item's `updatedAt`; one whose digest
matches may still have been set back to the same value: that writer's time is kept as
`foreign`, and the merge records a possible conflict for a field edited here before it
(cloud/merge.py).

Stamps are ISO instants like the backend's (comparable as text), by the server's clock: each
sync measures how far this device's clock is from the server's (the `Date` of the remote's
answers) and moves the times of the edits made here by that much, so that two hours of skew
cannot make the earlier of two edits win. They come from a hybrid logical clock: an edit made
here after a sync is stamped no earlier than every stamp that sync saw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from zik.cloud.items import EDITS as ATTRIBUTE
from zik.cloud.items import is_stamp


@dataclass
class Stamped:
    """What a remote item says of its fields: each field's stamp (fields it cannot vouch for
    are absent), and when a writer that does not say what it changed last wrote the item."""

    fields: dict[str, str] = field(default_factory=dict)
    foreign: str | None = None


def digest(value: Any) -> str:
    """A short fingerprint of a wire value (enough to tell a changed field from an unchanged
    one; not a security boundary)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def encode(record: dict[str, Any], stamps: dict[str, str]) -> str:
    """The attribute for an item zik writes: the record's fields with their stamps (a field
    without one is stamped with the record's `updatedAt`)."""
    version = str(record.get("updatedAt") or "")
    fields = {
        name: [stamps.get(name) or version, digest(value)]
        for name, value in sorted(record.items())
        if name not in ("updatedAt", ATTRIBUTE)
    }
    return json.dumps({"v": version, "f": fields}, separators=(",", ":"))


def decode(attribute: Any, wire: dict[str, Any]) -> Stamped:
    """What an item read back says of its fields. No attribute (an item only the app wrote),
    or one zik cannot read: nothing vouched for, the item's whole write is foreign. (It comes
    from the cloud: whatever in it is not a stamp is ignored.)"""
    version = str(wire.get("updatedAt") or "")
    try:
        held = json.loads(attribute) if isinstance(attribute, str) else None
        stamps = held["f"] if isinstance(held, dict) and isinstance(held.get("f"), dict) else None
    except (ValueError, RecursionError):
        stamps = None
    if stamps is None:
        return Stamped({}, version or None)
    fields: dict[str, str] = {}
    for name, pair in stamps.items():
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            continue
        if not is_stamp(pair[0]):
            continue
        stamp, fingerprint = pair
        if name in wire and fingerprint == digest(wire[name]):
            fields[name] = stamp  # (a different value: changed since, at the item's version)
    foreign = None if held.get("v") == version else version or None
    return Stamped(fields, foreign)


SKEW_MIN_SECONDS = 2  # a `Date` has whole seconds, and the answer takes time to come back
SKEW_MAX_SECONDS = 86_400  # a clock a day off is a wrong date, not drift: not corrected


def skew(server: str | None, now: str) -> float:
    """Seconds to add to this device's times to have the server's (0: too small to tell, or
    too large to trust), from the server's `Date` and this device's time of the same answer."""
    if not server:
        return 0.0
    # A `Date` is the server's time cut to the second (half a second behind, on average): the
    # offset is only ever known to the second, so it is whole seconds.
    seconds = float(round((_parse(server) - _parse(now)).total_seconds() + 0.5))
    return seconds if SKEW_MIN_SECONDS <= abs(seconds) <= SKEW_MAX_SECONDS else 0.0


def shifted(stamp: str, seconds: float) -> str:
    """A time of this device as the server's clock has it."""
    if not seconds:
        return stamp
    from datetime import timedelta

    moment = _parse(stamp) + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def http_date(value: str | None) -> str | None:
    """An HTTP `Date` header as a stamp (None if there is none, or it cannot be read)."""
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _parse(stamp: str):
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def floor(clock: str | None, edited: str) -> str:
    """The stamp of an edit made here at `edited` (wall time): no earlier than just after the
    last stamp seen by the sync before it (`clock`: {"at": when, "seen": stamp}), so that
    causality survives a clock that runs behind. An edit older than that sync keeps its time."""
    if not clock:
        return edited
    from zik.cloud.merge import after

    held = json.loads(clock)
    if not held["seen"] or edited < held["at"] or edited > held["seen"]:
        return edited
    return after(held["seen"])


def clock(at: str, seen: list[str], before: str | None) -> str:
    """The clock to keep after a sync at `at` that saw these stamps."""
    last = json.loads(before)["seen"] if before else ""
    return json.dumps({"at": at, "seen": max([last, *seen])})
