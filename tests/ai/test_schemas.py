"""What the model writes is plain text by the time it is stored (issue 18): names on one line,
no control characters or bidi overrides, whatever the reply held."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from zik.ai.schemas import MilestonePlan, TaskPlan
from zik.text import BLOCK, LINE


def test_a_task_name_with_breaks_and_controls_becomes_one_plain_line():
    plan = TaskPlan(
        taskName="Run 5 km\nthen \x1b]52;c;ZWNobw==\x07stretch \u202e",
        description="Warm up.\n\x9b31mThen go.",
        estimatedMinutes=30,
    )
    assert plan.taskName == "Run 5 km then ]52;c;ZWNobw==stretch"
    assert LINE.search(plan.taskName) is None
    assert plan.description == "Warm up.\n31mThen go." and BLOCK.search(plan.description) is None


def test_a_milestone_title_of_nothing_but_controls_is_refused_for_the_repair_round():
    with pytest.raises(ValidationError, match="one line of plain text"):
        MilestonePlan(title="\x1b\x07", description="d", durationInDays=3)
