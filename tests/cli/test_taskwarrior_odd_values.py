"""One odd Taskwarrior value never refuses the whole file (issue 20): `due:someday`, a priority
from a `uda.priority.values` list, a Taskwarrior 3 task without a description. Each is read as
the nearest zik can hold and said in the import's summary; the rest of the file lands."""

from __future__ import annotations

import json

ENTRY = "20261120T090000Z"


def _task(n: int, **fields) -> dict:
    return {"uuid": f"{n:08d}-1111-4111-8111-111111111111", "status": "pending", "entry": ENTRY,
            "description": f"Task {n}", **fields}  # fmt: skip


def test_someday_a_custom_priority_and_no_description_are_read_and_said(zik, zik_home):
    zik_home.mkdir(parents=True)
    path = zik_home / "tw.json"
    exported = [
        _task(1, due="99991230T000000Z", scheduled="20261201T080000Z"),  # due:someday
        _task(2, priority="U"),  # uda.priority.values=H,M,L,U,
        {k: v for k, v in _task(3).items() if k != "description"},  # Taskwarrior 3.x allows it
        _task(4, description="   "),
        _task(5, priority="H", due="20261126T170000Z"),
    ]
    path.write_text(json.dumps(exported), encoding="utf-8")
    result = zik("--json", "import", str(path))
    assert result.code == 0, result
    notes = result.data["notes"]
    assert "task 1 (00000001): due '99991230T000000Z' (someday) read as no due date" in notes
    assert "task 2 (00000002): priority 'U' read as medium" in notes
    assert "task 3 (00000003): no description: named '(no description)'" in notes
    assert "task 4 (00000004): no description: named '(no description)'" in notes
    tasks = {t["taskId"][:8]: t for t in zik("--json", "task", "list", "--status", "all").data}
    assert len(tasks) == 5  # the whole file landed
    assert tasks["00000001"]["dueDate"] == "2026-12-01"  # scheduled, as when there is no due
    assert tasks["00000002"]["priority"] == "medium"
    assert tasks["00000003"]["taskName"] == "(no description)"
    assert (tasks["00000005"]["priority"], tasks["00000005"]["dueDate"]) == ("high", "2026-11-26")
