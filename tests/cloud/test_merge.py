"""The three-way merge of one record (cloud/merge.py), on its own."""

from __future__ import annotations

from zik.cloud import merge


def _task(created: str, updated: str, **fields) -> dict:
    return {
        "taskId": "t1",
        "taskName": "Stretch",
        "createdAt": created,
        "updatedAt": updated,
        **fields,
    }


def test_a_record_made_on_both_sides_keeps_the_first_creation_under_a_new_version():
    """Two devices make the same routine task (one id); the one that syncs second holds the
    earlier creation. Its write must carry a version newer than the one there: written
    under the old version, the first device's listing saw nothing new and kept its own
    createdAt for good."""
    here = _task("2026-11-25T10:00:00.001Z", "2026-11-25T10:00:00.001Z")
    there = _task("2026-11-25T10:00:00.002Z", "2026-11-25T10:00:00.002Z")
    result = merge.merge(None, here, there)
    assert result.merged is not None
    assert result.merged["createdAt"] == "2026-11-25T10:00:00.001Z"
    assert result.write_remote and not result.write_local
    assert result.merged["updatedAt"] > there["updatedAt"]
    assert result.conflicts == []
