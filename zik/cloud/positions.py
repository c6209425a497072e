"""Milestone positions: a milestone is its `milestoneId`; its `sequence` is only where it stands.

The backend keys a milestone item by (`epicId`, `sequence`), so two devices that each add a
milestone to one quest give both the same number, and a number is all the table can tell apart.
zik keeps `milestoneId` as the identity and settles a contested number after each merge, the
same way on every device: the milestone that already holds the number remotely keeps it (every
device sees the same remote), else the one created first (then the smaller id); the others move
to the next free numbers after the last one, in that same order. No edit is lost by this: a
new milestone only takes another place at the end of the roadmap.
"""

from __future__ import annotations

from typing import Any

Wire = dict[str, Any]


def settle(
    merged: dict[str, Wire],
    there: dict[str, Wire | None],
    taken: dict[str, set[int]] | None = None,
) -> set[str]:
    """Give every milestone of each quest its own sequence, changing `merged` in place
    (milestoneId -> merged record; `there`: the remote version of each, if any; `taken`: the
    numbers held there by items zik cannot read, by quest); returns the ids whose sequence
    changed."""
    by_quest: dict[str, list[Wire]] = {}
    for record in merged.values():
        by_quest.setdefault(record["epicId"], []).append(record)
    moved: set[str] = set()
    for quest_id, roadmap in by_quest.items():
        moved |= _settle_one(roadmap, there, (taken or {}).get(quest_id, set()))
    return moved


def _settle_one(roadmap: list[Wire], there: dict[str, Wire | None], held: set[int]) -> set[str]:
    def claim(record: Wire) -> tuple[bool, str, str]:
        remote = there.get(record["milestoneId"])
        holds = remote is not None and remote.get("sequence") == record["sequence"]
        return (not holds, record.get("createdAt") or "", record["milestoneId"])

    taken: dict[int, Wire | None] = dict.fromkeys(held)  # (an unreadable item holds it)
    displaced: list[Wire] = []
    for record in sorted(roadmap, key=lambda r: (r["sequence"], claim(r))):
        if record["sequence"] in taken:
            displaced.append(record)
        else:
            taken[record["sequence"]] = record
    free = max(taken, default=0) + 1
    for record in sorted(displaced, key=claim):
        record["sequence"] = free
        free += 1
    return {record["milestoneId"] for record in displaced}
