"""The shapes the planner and coach must return, as pydantic models.

Each model becomes a Converse tool whose use is forced (`ai/structured.py`); the reply is
validated here, and the validation errors are what the one repair round sends back. The offline
provider's output goes through the same validation. Field names are the backend's camelCase
(reference/backend-contract.md §6.6–6.7) plus `estimatedMinutes`.

Imported only by commands that call the AI: pydantic costs ~60 ms to import.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from zik.models import MAX_MILESTONE_DAYS, MAX_TITLE
from zik.text import BLOCK, safe

MIN_MILESTONES, MAX_MILESTONES = 3, 7
MAX_TASKS = 8


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def _one_line(value: str) -> str:
    """A name the model wrote is shown in tables and status lines: one line of plain text.
    Control characters and bidi overrides carry nothing a plan needs; they are dropped, and
    line breaks and tabs become spaces (a goal name synced in with them may be echoed back)."""
    if safe(value):
        return value
    cleaned = " ".join(BLOCK.sub("", value).split())
    if not cleaned:
        raise ValueError("must be one line of plain text")
    return cleaned


def _plain_block(value: str) -> str:
    return value if safe(value, block=True) else BLOCK.sub("", value)


class MilestonePlan(_Strict):
    title: str = Field(min_length=1, max_length=MAX_TITLE, description="Short, specific title.")
    description: str = Field(
        min_length=1,
        max_length=2000,
        description="What this milestone achieves and how the person will know it is done.",
    )
    durationInDays: int = Field(
        ge=1, le=MAX_MILESTONE_DAYS, description="Days this milestone takes."
    )

    _title = field_validator("title")(_one_line)
    _description = field_validator("description")(_plain_block)


class Roadmap(_Strict):
    """A quest's roadmap: 3–7 milestones in order, each building on the previous one."""

    milestones: list[MilestonePlan] = Field(min_length=1, max_length=MAX_MILESTONES)

    @field_validator("milestones")
    @classmethod
    def _count_and_titles(
        cls, milestones: list[MilestonePlan], info: ValidationInfo
    ) -> list[MilestonePlan]:
        # A replan keeps the completed milestones (`kept` in the context) and plans the rest:
        # together they make 3–7.
        kept = (info.context or {}).get("kept", 0)
        low, high = max(1, MIN_MILESTONES - kept), MAX_MILESTONES - kept
        if not low <= len(milestones) <= high:
            raise ValueError(f"give {low} to {high} milestones, not {len(milestones)}")
        titles = [m.title.casefold() for m in milestones]
        if len(set(titles)) != len(titles):
            raise ValueError("milestone titles must be distinct")
        return milestones


class TaskPlan(_Strict):
    taskName: str = Field(
        min_length=1, max_length=MAX_TITLE, description="A concrete action, starting with a verb."
    )
    description: str = Field(
        default="", max_length=2000, description="How to do it and what done looks like."
    )
    priority: Literal["low", "medium", "high"] = "medium"
    estimatedMinutes: int = Field(ge=5, le=480, description="Minutes the task takes.")

    _name = field_validator("taskName")(_one_line)
    _description = field_validator("description")(_plain_block)

    @field_validator("priority", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


class DayPlan(_Strict):
    """One day's tasks for the active milestone, fitting the person's daily capacity."""

    tasks: list[TaskPlan] = Field(min_length=1, max_length=MAX_TASKS)

    @model_validator(mode="after")
    def _fits_capacity(self, info: ValidationInfo) -> DayPlan:
        capacity = (info.context or {}).get("capacity_minutes")
        total = sum(t.estimatedMinutes for t in self.tasks)
        if capacity and total > capacity:
            raise ValueError(
                f"the tasks add up to {total} minutes but the person has {capacity} minutes a day"
            )
        names = [t.taskName.casefold() for t in self.tasks]
        if len(set(names)) != len(names):
            raise ValueError("task names must be distinct")
        return self
