"""The sync tables: every change lands in the outbox in its own transaction."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from zik.core import tasks
from zik.core.changes import change_set
from zik.models import ChatMessage, Task
from zik.store import chat
from zik.store import sync as state

TODAY = date(2026, 11, 25)


def test_a_change_is_queued_once_however_often_it_changes(conn):
    task = tasks.add(conn, "Run 5 km", today=TODAY)
    tasks.edit(conn, task.task_id, today=TODAY, title="Run 6 km")
    tasks.complete(conn, [task.task_id])
    assert state.pending(conn) == {("task", task.task_id)}


def test_a_rolled_back_change_is_not_queued(conn):
    with pytest.raises(RuntimeError), change_set(conn, "doomed") as cs:
        cs.insert(Task(task_id=str(uuid.uuid4()), task_name="Never saved", due_date="2026-11-25"))
        raise RuntimeError("boom")
    assert state.pending(conn) == set()


def test_chat_messages_saved_and_deleted_are_queued(conn):
    message = ChatMessage(
        message_id=str(uuid.uuid4()),
        timestamp="2026-11-25T10:00:00.000Z",
        role="user",
        content="hi",
        created_at="2026-11-25T10:00:00.000Z",
        updated_at="2026-11-25T10:00:00.000Z",
    )
    chat.add(conn, [message])
    assert state.pending(conn) == {("chat", message.message_id)}
    conn.execute("DELETE FROM sync_outbox")
    chat.clear(conn)
    assert state.pending(conn) == {("chat", message.message_id)}
