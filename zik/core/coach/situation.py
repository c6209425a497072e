"""The person's situation as data, for the offline coach (Bedrock reads it as text: chat.context).

The offline coach matches a message's words to these names, so the tasks are the ones a person
talks about: today's (done ones too, so "I did my run" can say it is already ticked off), the
overdue ones, and the open ones of the coming week; the quests are the active and paused ones.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

from zik.core import clock, profile, quests, tasks
from zik.core import today as today_view
from zik.models import Task, short_id

WEEK_TASKS = 40  # open tasks of the coming week the coach is told about
TALKED_ABOUT = ("active", "paused")  # quests a message can name (completed ones: no longer)


def facts(conn: sqlite3.Connection) -> dict[str, Any]:
    me = profile.load(conn)
    today = clock.local_today(me.timezone)
    summaries = [s for s in quests.summaries(conn, "all") if s.quest.status in TALKED_ABOUT]
    names = {s.quest.goal_id: s.quest.goal_name for s in summaries}
    view = today_view.view(conn)
    seen: set[str] = set()
    listed: list[dict[str, Any]] = []

    def add(task: Task, when: str) -> None:
        if task.task_id not in seen:
            seen.add(task.task_id)
            listed.append(_task(task, when, names))

    for task in view.tasks:
        add(task, "today")
    for task in view.overdue:
        add(task, "overdue")
    week = tasks.list_tasks(conn, today=today + timedelta(days=1), due="week", limit=WEEK_TASKS)
    for task in week.tasks:
        add(task, "upcoming")
    return {
        "today": today.isoformat(),
        "name": me.name,
        "quests": [_quest(s) for s in summaries],
        "tasks": listed,
    }


def _quest(s: quests.QuestSummary) -> dict[str, Any]:
    health = s.health
    return {
        "id": short_id(s.quest.goal_id),
        "name": s.quest.goal_name,
        "status": s.quest.status,
        "target": s.quest.target_date,
        "progress": round(s.progress * 100),
        "milestone": s.active_milestone.title if s.active_milestone else None,
        "health": health.label if health else None,
        "suggestion": health.suggestion if health else None,
    }


def _task(task: Task, when: str, quest_names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": short_id(task.task_id),
        "name": task.task_name,
        "due": task.due_date,
        "status": task.shown_status,
        "priority": task.priority,
        "minutes": task.estimated_minutes,
        "questId": task.goal_id and short_id(task.goal_id),
        "questName": quest_names.get(task.goal_id or ""),
        "routine": bool(task.recurrence_rule_id),
        "when": when,
    }
