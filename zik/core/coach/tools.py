"""What the coach's tools do: each one calls the same core function a command would.

Every change goes through the normal change sets, so each is one `zik undo` step and fires the
usual hooks. Deletions and bulk changes (more than BULK records) need the person's confirmation:
`confirm` asks on a terminal, and is refused when nobody can answer (no TTY and no --yes). A bad
tool name, invalid input or a refused action goes back to the model as a tool error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from zik.ai import chat_tools as specs
from zik.core import profile, quests, routines, tasks, undo
from zik.core import today as today_view
from zik.errors import ZikError
from zik.models import Task, short_id

BULK = 3


class ToolRun:
    """One tool call: its result for the model, and a one-line summary for the person."""

    def __init__(self, name: str, input: Any, *, ok: bool, result: Any, summary: str | None):
        self.name, self.input, self.ok, self.result, self.summary = name, input, ok, result, summary

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "input": self.input, "ok": self.ok, "summary": self.summary}


class Refused(ZikError):
    code = "refused"


def _task(t: Task) -> dict[str, Any]:
    return {
        "id": short_id(t.task_id),
        "name": t.task_name,
        "due": t.due_date,
        "status": t.shown_status,
        "priority": t.priority,
        "quest": t.goal_id and short_id(t.goal_id),
    }


class Executor:
    def __init__(self, conn: sqlite3.Connection, confirm: Callable[[str], bool]):
        self.conn, self.confirm = conn, confirm

    def run(self, name: str, raw: Any) -> ToolRun:
        args, problem = specs.parse(name, raw)
        if problem is not None:
            return ToolRun(name, raw, ok=False, result=problem, summary=None)
        try:
            result, summary = getattr(self, name)(args)
        except (ValueError, sqlite3.Error) as e:  # a busy database, a bad value: tell the model
            return ToolRun(name, raw, ok=False, result=f"failed: {e}", summary=None)
        except ZikError as e:
            return ToolRun(
                name,
                raw,
                ok=False,
                result=f"{e.message}" + (f" ({e.hint})" if e.hint else ""),
                summary=None,
            )
        return ToolRun(name, raw, ok=True, result=result, summary=summary)

    def _ask(self, question: str) -> None:
        if not self.confirm(question):
            raise Refused(
                "the person did not confirm this", hint="they can allow it with zik chat --yes"
            )

    @property
    def _today(self):
        return profile.local_today(self.conn)

    # --- reading -------------------------------------------------------------------------------

    def get_overview(self, args: specs.GetOverview) -> tuple[Any, None]:
        view = today_view.view(self.conn)
        return {
            "quests": [
                {
                    "id": short_id(s.quest.goal_id),
                    "name": s.quest.goal_name,
                    "target": s.quest.target_date,
                    "progressPercent": round(s.progress * 100),
                    "activeMilestone": s.active_milestone and s.active_milestone.title,
                }
                for s in quests.summaries(self.conn, "active")
            ],
            "today": [_task(t) for g in view.groups for t in g.tasks],
            "overdue": [_task(t) for t in view.overdue],
        }, None

    def list_tasks(self, args: specs.ListTasks) -> tuple[Any, None]:
        found = tasks.list_tasks(
            self.conn, today=self._today, due=args.due, status=args.status, quest_ref=args.quest_id
        )
        return {"tasks": [_task(t) for t in found.tasks], "total": found.total}, None

    # --- changing ------------------------------------------------------------------------------

    def add_task(self, args: specs.AddTask) -> tuple[Any, str]:
        task = tasks.add(
            self.conn,
            args.title,
            today=self._today,
            due=args.due,
            priority=args.priority,
            quest_ref=args.quest_id,
            description=args.description,
        )
        return _task(
            task
        ), f"Added task {short_id(task.task_id)}: {task.task_name} (due {task.due_date})"

    def update_task(self, args: specs.UpdateTask) -> tuple[Any, str]:
        task = tasks.edit(
            self.conn,
            args.task_id,
            today=self._today,
            title=args.title,
            due=args.due,
            priority=args.priority,
            description=args.description,
        )
        return _task(task), f"Updated task {short_id(task.task_id)}: {task.task_name}"

    def complete_tasks(self, args: specs.CompleteTasks) -> tuple[Any, str]:
        if len(args.task_ids) > BULK:
            self._ask(f"Complete {len(args.task_ids)} tasks?")
        outcome = tasks.complete(self.conn, args.task_ids)
        names = ", ".join(t.task_name for t in outcome.items)  # type: ignore[attr-defined]
        follow = [e.type for e in outcome.follow_ups()]
        return {"completed": [_task(t) for t in outcome.items], "alsoHappened": follow}, (  # type: ignore[arg-type]
            f"Completed: {names}"
        )

    def reopen_tasks(self, args: specs.ReopenTasks) -> tuple[Any, str]:
        if len(args.task_ids) > BULK:
            self._ask(f"Reopen {len(args.task_ids)} tasks?")
        outcome = tasks.reopen(self.conn, args.task_ids)
        names = ", ".join(t.task_name for t in outcome.items)  # type: ignore[attr-defined]
        return {"reopened": [_task(t) for t in outcome.items]}, f"Reopened: {names}"  # type: ignore[arg-type]

    def delete_tasks(self, args: specs.DeleteTasks) -> tuple[Any, str]:
        found = [tasks.find(self.conn, ref) for ref in args.task_ids]
        self._ask(f"Delete {len(found)} task(s): {', '.join(t.task_name for t in found)}?")
        tasks.remove(self.conn, args.task_ids)
        return {"deleted": [_task(t) for t in found]}, (
            f"Deleted: {', '.join(t.task_name for t in found)}"
        )

    def create_quest(self, args: specs.CreateQuest) -> tuple[Any, str]:
        from zik.core.plan import workflow

        outcome = workflow.create_and_plan(
            self.conn,
            args.title,
            description=args.description,
            target=args.target,
            category=args.category,
        )
        quest = outcome.quest
        return (
            {
                "id": short_id(quest.goal_id),
                "name": quest.goal_name,
                "roadmap": [m.title for m in outcome.milestones],
                "todaysTasks": [_task(t) for t in outcome.tasks],
            },
            f"Created quest {short_id(quest.goal_id)}: {quest.goal_name} ({len(outcome.milestones)} milestones)",
        )

    def update_quest(self, args: specs.UpdateQuest) -> tuple[Any, str]:
        quest = quests.find(self.conn, args.quest_id)
        if any(v is not None for v in (args.title, args.description, args.target)):
            quest = quests.edit(
                self.conn,
                args.quest_id,
                today=self._today,
                title=args.title,
                description=args.description,
                target=args.target,
            )
        if args.status is not None and args.status != quest.status:
            quest = quests.set_status(self.conn, args.quest_id, args.status)
        return {"id": short_id(quest.goal_id), "name": quest.goal_name, "status": quest.status}, (
            f"Updated quest {short_id(quest.goal_id)}: {quest.goal_name}"
        )

    def delete_quest(self, args: specs.DeleteQuest) -> tuple[Any, str]:
        quest = quests.find(self.conn, args.quest_id)
        self._ask(f"Delete the quest {quest.goal_name!r} with its roadmap, tasks and routines?")
        quests.remove(self.conn, args.quest_id)
        return {"deleted": short_id(quest.goal_id)}, f"Deleted quest: {quest.goal_name}"

    def add_routine(self, args: specs.AddRoutine) -> tuple[Any, str]:
        rule = routines.add(
            self.conn, args.title, every=args.every, on=args.on, quest_ref=args.quest_id
        )
        return {"id": short_id(rule.recurrence_rule_id), "title": rule.title}, (
            f"Added routine {short_id(rule.recurrence_rule_id)}: {rule.title} ({rule.frequency})"
        )

    def list_routines(self, args: specs.ListRoutines) -> tuple[Any, str | None]:
        found = [
            {
                "id": short_id(r.recurrence_rule_id),
                "title": r.title,
                "every": r.frequency,
                "days": [routines.DAY_NAMES[d % 7] for d in r.days_of_week or []],
                "status": r.status,
            }
            for r in routines.list_routines(self.conn)
        ]
        return {"routines": found}, None

    def update_routine(self, args: specs.UpdateRoutine) -> tuple[Any, str]:
        rule = routines.set_status(self.conn, args.routine_id, args.status)
        verb = "Paused" if rule.status == "paused" else "Resumed"
        return {"id": short_id(rule.recurrence_rule_id), "status": rule.status}, (
            f"{verb} routine: {rule.title}"
        )

    def delete_routine(self, args: specs.DeleteRoutine) -> tuple[Any, str]:
        rule = routines.find(self.conn, args.routine_id)
        self._ask(f"Delete the routine {rule.title!r}?")
        routines.remove(self.conn, args.routine_id)
        return {"deleted": short_id(rule.recurrence_rule_id)}, f"Deleted routine: {rule.title}"

    def undo_last_change(self, args: specs.UndoLastChange) -> tuple[Any, str]:
        result = undo.undo(self.conn)
        return {"undone": result.summary}, f"Undid: {result.summary}"
