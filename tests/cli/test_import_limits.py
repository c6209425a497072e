"""`zik import` holds records to the limits the CLI holds typed text to (issue 18): a zik file
that breaks them is refused whole and names the field; a Taskwarrior export, which has no such
limits, is fitted to them and says what was cut."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import assert_one_line_error, dump
from zik.core import workspace

TASK = {
    "taskId": "11111111-1111-4111-8111-111111111111",
    "taskName": "Pay rent",
    "dueDate": "2026-11-25",
    "priority": "medium",
    "status": "pending",
    "createdAt": "2026-11-25T09:00:00.000Z",
    "updatedAt": "2026-11-25T09:00:00.000Z",
}


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"taskName": "x" * 5000}, "field taskName: "),
        ({"description": "words " * 2_000_000}, "field description: "),
        ({"tags": ["has space"]}, "is not a tag (one word)"),
        ({"tags": [f"t{n}" for n in range(21)]}, "has more than 20 tags"),
        ({"dueDate": "2026-02-30"}, "field dueDate"),
        ({"updatedAt": "2026-11-25T99:99:99.000Z"}, "field updatedAt"),
        ({"createdAt": "0001-01-01T00:00:00.000Z"}, "field createdAt"),
        ({"estimatedMinutes": 100000}, "is not between 0 and 1440"),
        ({"taskName": "caf\udce9"}, "is not valid UTF-8 text"),
    ],
    ids=["long-title", "10MB-description", "tag-with-space", "21-tags", "feb-30", "hour-99",
         "year-1", "minutes", "lone-surrogate"],
)  # fmt: skip
def test_a_zik_file_past_the_cli_limits_is_refused_whole(zik, zik_home, change, said):
    zik("task", "add", "Already here")
    before = dump(workspace.db())
    path = zik_home / "in.json"
    good = {**TASK, "taskId": "22222222-2222-4222-8222-222222222222", "taskName": "Fine"}
    document = {"format": "zik", "version": 1, "tasks": [good, {**TASK, **change}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    line = assert_one_line_error(zik("import", str(path)), 1)
    assert "tasks[1]" in line and said in line, line
    assert len(line) < 400  # the message names the field; it does not print the 10 MB
    assert dump(workspace.db()) == before


def test_a_taskwarrior_export_is_fitted_to_the_limits_and_says_what_was_cut(zik, zik_home):
    zik_home.mkdir(parents=True)
    path = zik_home / "tw.json"
    entry = {
        "uuid": "33333333-3333-4333-8333-333333333333",
        "description": "Read the manual",
        "status": "pending",
        "entry": "20261120T090000Z",
        "tags": ["has space", "ok"],
        "annotations": [{"entry": "20261120T090000Z", "description": "n" * 6000}],
    }
    path.write_text(json.dumps([entry]), encoding="utf-8")
    result = zik("import", str(path))
    assert result.code == 0, result
    assert "notes were cut from 6,027 to 5,000 characters" in result.err
    assert "read as ['has-space', 'ok']" in result.err
    again = zik("--json", "import", str(path)).data  # idempotent, fitted the same way
    assert again["added"] == {} and again["unchanged"] == 1 and len(again["notes"]) == 2
    (task,) = zik("--json", "task", "list", "--tag", "has-space").data
    assert len(task["description"]) == 5000
    assert zik("task", "edit", task["taskId"][:8], "--untag", "has-space").code == 0
