"""The coach's tools: their pydantic input schemas, turned into Converse tool specs.

What each tool does lives in `core/coach/tools.py`; here is only what the model sees and what
its input must look like. An input that fails validation goes back to the model as a tool error.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from zik.ai.structured import tool_spec

Priority = Literal["low", "medium", "high"]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class GetOverview(_Input):
    """Active quests with their active milestone and progress, and today's and overdue tasks."""


class ListTasks(_Input):
    """Tasks by due date: today, tomorrow, overdue, week, all, or a YYYY-MM-DD date."""

    due: str = "today"
    status: Literal["open", "pending", "in-progress", "completed", "all"] = "open"
    quest_id: str | None = Field(None, description="A quest id (short ids work).")


class AddTask(_Input):
    """Add a task for the person (with a quest, it joins the quest's active milestone)."""

    title: str = Field(min_length=1, max_length=200)
    due: str | None = Field(None, description="YYYY-MM-DD, today, tomorrow, +3d, a weekday.")
    priority: Priority = "medium"
    quest_id: str | None = None
    description: str | None = None


class UpdateTask(_Input):
    """Change a task's title, due date, priority or description."""

    task_id: str
    title: str | None = None
    due: str | None = None
    priority: Priority | None = None
    description: str | None = None


class TaskIds(_Input):
    task_ids: list[str] = Field(min_length=1, max_length=50)


class CompleteTasks(TaskIds):
    """Mark tasks done (this can complete a milestone and move the roadmap on)."""


class ReopenTasks(TaskIds):
    """Mark done tasks as not done again."""


class DeleteTasks(TaskIds):
    """Delete tasks. The person is asked to confirm."""


class CreateQuest(_Input):
    """Create a quest (a long-term goal) and plan its roadmap and today's tasks."""

    title: str = Field(min_length=1, max_length=200)
    description: str | None = None
    target: str | None = Field(None, description="Target date: YYYY-MM-DD, +16w, …")
    category: str | None = None


class UpdateQuest(_Input):
    """Rename a quest, change its description or target date, or pause, resume or finish it."""

    quest_id: str
    title: str | None = None
    description: str | None = None
    target: str | None = None
    status: Literal["active", "paused", "completed"] | None = None


class DeleteQuest(_Input):
    """Delete a quest with its roadmap, tasks and routines. The person is asked to confirm."""

    quest_id: str


class AddRoutine(_Input):
    """Add a routine: a task made on matching days."""

    title: str = Field(min_length=1, max_length=200)
    every: Literal["daily", "weekdays", "weekends", "weekly"]
    on: str | None = Field(None, description="For weekly: days such as mon,wed,fri.")
    quest_id: str | None = None


class ListRoutines(_Input):
    """List the person's routines, active and paused, with their ids and schedules."""


class UpdateRoutine(_Input):
    """Pause a routine (its tasks stop being made) or resume a paused one."""

    routine_id: str
    status: Literal["active", "paused"]


class DeleteRoutine(_Input):
    """Delete a routine. The person is asked to confirm."""

    routine_id: str


class UndoLastChange(_Input):
    """Undo the newest change (the same as `zik undo`): only when the person asks for it."""


TOOLS: dict[str, type[_Input]] = {
    "get_overview": GetOverview,
    "list_tasks": ListTasks,
    "add_task": AddTask,
    "update_task": UpdateTask,
    "complete_tasks": CompleteTasks,
    "reopen_tasks": ReopenTasks,
    "delete_tasks": DeleteTasks,
    "create_quest": CreateQuest,
    "update_quest": UpdateQuest,
    "delete_quest": DeleteQuest,
    "add_routine": AddRoutine,
    "list_routines": ListRoutines,
    "update_routine": UpdateRoutine,
    "delete_routine": DeleteRoutine,
    "undo_last_change": UndoLastChange,
}


def specs() -> list[dict]:
    """The Converse tool specs, in a fixed order (so the prompt cache can hold them)."""
    return [
        tool_spec(name, (model.__doc__ or name).strip(), model) for name, model in TOOLS.items()
    ]


def parse(name: str, raw: object) -> tuple[BaseModel | None, str | None]:
    """A tool call's validated input, or what is wrong with it (said back to the model)."""
    model = TOOLS.get(name)
    if model is None:
        return None, f"unknown tool {name!r}; tools: {', '.join(TOOLS)}"
    if raw is None:
        return None, "the input was not valid JSON"
    try:
        return model.model_validate(raw if isinstance(raw, dict) else {}), None
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc'])) or 'input'}: {err['msg']}" for err in e.errors()
        )
        return None, f"invalid input: {problems}"
