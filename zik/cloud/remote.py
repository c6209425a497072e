"""The one interface both remotes (`dynamodb`, `api`) give the sync engine.

A remote pulls the user's records as wire dicts (cloud/items.py) and applies writes, each
conditional on what the engine last saw there, so a change made meanwhile by another device is
never overwritten blindly: such a write comes back `stale` and the engine pulls again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from zik.cloud.items import Kind
from zik.cloud.stamps import Stamped
from zik.errors import ZikError

Wire = dict[str, Any]


@dataclass
class Pulled:
    """What a remote returned, by entity then id, and what it could not return."""

    records: dict[str, dict[str, Wire]] = field(default_factory=dict)
    # why some records could not be pulled (the api remote), by entity
    gaps: dict[str, str] = field(default_factory=dict)
    # items there that zik could not read, by entity then key: left alone on both sides
    skipped: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # values read as the nearest zik can hold
    # records found at more than one key there (a milestone at two sequences): to write again,
    # which tidies the others away
    repair: set[tuple[str, str]] = field(default_factory=set)
    # milestone numbers held there by items zik cannot read, by quest: taken all the same
    taken: dict[str, set[int]] = field(default_factory=dict)
    # records found there at the version of `Known.versions`, not fetched: the same as the
    # base, by entity (absent from `records`, and not deleted there)
    unchanged: dict[str, set[str]] = field(default_factory=dict)
    unread: set[str] = field(default_factory=set)  # quests whose milestones were not read
    roadmaps: dict[str, str] = field(default_factory=dict)  # marker seen, by quest read
    # what each item says of its fields' edits, by entity then id (cloud/stamps.py); None: a
    # remote that keeps no stamps (the api)
    stamps: dict[str, dict[str, Stamped]] | None = None
    # the day a new task is due there until a later write gives it its own (the api's UTC
    # today): a create whose answer never came may show up with it
    posted_due: str | None = None


@dataclass
class Deletion:
    """What an account deletion removed there, by entity, and what it could not, with why."""

    deleted: dict[str, int] = field(default_factory=dict)
    left: dict[str, str] = field(default_factory=dict)
    user_deleted: bool = False  # the Cognito user is gone for certain (else: DeleteUser next)


@dataclass
class Known:
    """What the engine already holds, so that a remote can skip what is proven unchanged
    (cloud/listing.py): a no-op sync of 10k tasks reads versions, not records."""

    versions: dict[str, dict[str, str]]  # entity -> key -> `updatedAt` of the base
    roadmaps: dict[str, str]  # quest -> the milestone marker seen when last read
    pending: set[str]  # quests with milestone changes here: read whatever the marker says


@dataclass
class Pushed:
    """What became of one write: done or stale; the id the remote gave a new record; or done
    with an id the remote would not say (the api's POST /tasks), to be matched later."""

    ok: bool
    new_id: str | None = None
    id_unknown: bool = False
    gone: bool = False  # the record no longer exists there (deleted elsewhere)
    stored: Wire | None = None  # what the remote holds, when it could not take all of it
    error: ZikError | None = None  # failed with this, or not tried after a write that did
    unsent: bool = False  # (with error) never sent: it cannot be there
    refused: str | None = None  # the remote will not take it (why): stays queued, said once


@dataclass
class Write:
    """Create or replace one record remotely. `expected` is the `updatedAt` the remote held
    when pulled (None: it must not exist yet)."""

    kind: Kind
    record: Wire
    expected: str | None
    previous: Wire | None = None  # the remote version pulled (None: there was none)
    stamps: dict[str, str] = field(default_factory=dict)  # each field's edit (cloud/stamps.py)


@dataclass
class Delete:
    kind: Kind
    record: Wire  # the remote version pulled
    expected: str | None


Op = Write | Delete


class Remote(Protocol):
    name: str

    def fields(self, kind: Kind) -> tuple[str, ...]:
        """The wire fields of this kind the remote holds (none: it does not hold the kind)."""
        ...

    def writable(self, kind: Kind) -> bool:
        """Whether records of this kind can be written there (else they are only pulled)."""
        ...

    def read_only(self, kind: Kind) -> tuple[str, ...]:
        """Fields the remote shows but cannot take: a value there is pulled, no value there
        means only that it could not be written, never that it was cleared."""
        ...

    def covers(self, kind: Kind, record: Wire) -> bool:
        """Whether a pull would have returned this record had it existed there, so that its
        absence means it was deleted there."""
        ...

    def pull(self, quest_ids: set[str], known: Known | None = None) -> Pulled:
        """Every record of the user it can return (milestones: those of these quests), or,
        given what is `known`, only those that may differ from it (the rest in `unchanged`
        and `unread`)."""
        ...

    def apply(self, ops: list[Op]) -> list[Pushed]:
        """Apply the writes, each conditional on the version pulled."""
        ...

    gaps: dict[str, str]  # what this remote cannot pull, by entity: why
    not_pushed: dict[str, str]  # what it cannot take from here, by entity: why
    roadmaps: dict[str, str]  # the milestone marker each write of a quest's milestones set
    server_time: str | None  # the server's clock: the `Date` of the latest pull's first answer

    def delete_account(self, known: dict[str, set[str]]) -> Deletion:
        """Remove every item of the user it can reach, and the Cognito user if it can; says
        what went and what it could not delete. `known`: the ids synced from here, by entity
        (for a remote that cannot list everything)."""
        ...
