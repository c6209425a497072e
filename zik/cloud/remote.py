"""The one interface both remotes (`dynamodb`, `api`) give the sync engine.

A remote pulls the user's records as wire dicts (cloud/items.py) and applies writes, each
conditional on what the engine last saw there, so a change made meanwhile by another device is
never overwritten blindly: such a write comes back `stale` and the engine pulls again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from zik.cloud.items import Kind

Wire = dict[str, Any]


@dataclass
class Pulled:
    """What a remote returned, by entity then id, and what it could not return."""

    records: dict[str, dict[str, Wire]] = field(default_factory=dict)
    # why some records could not be pulled (the api remote), by entity
    gaps: dict[str, str] = field(default_factory=dict)

    def covers(self, kind: Kind, wire: Wire) -> bool:
        """Whether the pull would have returned this record had it existed remotely (so its
        absence means it was deleted there)."""
        return kind.entity not in self.gaps


@dataclass
class Write:
    """Create or replace one record remotely. `expected` is the `updatedAt` the remote held
    when pulled (None: it must not exist yet)."""

    kind: Kind
    record: Wire
    expected: str | None
    previous: Wire | None = None  # the remote version pulled (None: there was none)


@dataclass
class Delete:
    kind: Kind
    record: Wire  # the remote version pulled
    expected: str | None


Op = Write | Delete


class Remote(Protocol):
    name: str

    def pull(self, quest_ids: set[str]) -> Pulled:
        """Every record of the user (milestones: those of these quests)."""
        ...

    def apply(self, ops: list[Op]) -> list[bool]:
        """Apply the writes; for each, True if done, False if stale (changed remotely since)."""
        ...

    def delete_account(self) -> int:
        """Remove every item of the user from every table, then the Cognito user; returns
        how many items went."""
        ...


def connect(user_id: str, email: str, display_name: str | None = None) -> Remote:
    """The remote chosen by `cloud.remote` (see auth.Settings)."""
    from zik.cloud import auth

    settings = auth.Settings().require()
    if settings.remote == "dynamodb":
        from zik.cloud.dynamodb import DynamoRemote

        return DynamoRemote(user_id, email, display_name)
    from zik.cloud.api import ApiRemote

    return ApiRemote(settings, display_name)
