"""What Taskwarrior's `task export` prints (2.6/3.x: a JSON array, one task per line)."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta

PROJECTS = ("Home", "Home.Garden", "Work", "Health")


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def tasks(n: int, seed: int = 8) -> list[dict]:
    """n tasks in the shapes `task export` writes: all statuses, projects, tags, annotations,
    priorities, due dates or none, started tasks, a recurring template with its instances."""
    rng = random.Random(seed)
    start = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    made = []
    for i in range(n):
        entry = start + timedelta(hours=3 * i)
        task: dict = {
            "id": i + 1,
            "description": f"Task number {i} " + rng.choice(["call", "write", "fix", "plan"]),
            "entry": stamp(entry),
            "modified": stamp(entry + timedelta(hours=1)),
            "status": rng.choice(["pending"] * 5 + ["completed"] * 3 + ["waiting", "deleted"]),
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "urgency": round(rng.random() * 10, 4),
        }
        if rng.random() < 0.8:
            task["project"] = rng.choice(PROJECTS)
        if rng.random() < 0.7:
            task["due"] = stamp(entry + timedelta(days=rng.randint(0, 60), hours=8))
        if rng.random() < 0.6:
            task["priority"] = rng.choice("HML")
        if rng.random() < 0.5:
            task["tags"] = rng.sample(["next", "phone", "errand", "deep"], rng.randint(1, 2))
        if rng.random() < 0.2:
            task["annotations"] = [
                {"entry": stamp(entry + timedelta(hours=2)), "description": "left a message"}
            ]
        if task["status"] in ("completed", "deleted"):
            task["end"] = stamp(entry + timedelta(days=2))
            task.pop("id")
            task["id"] = 0
        elif rng.random() < 0.1:
            task["start"] = stamp(entry + timedelta(hours=5))
        if task["status"] == "waiting":
            task["wait"] = stamp(entry + timedelta(days=3))
        made.append(task)
    made.append(
        {
            "id": 0,
            "description": "Water the plants",
            "entry": stamp(start),
            "modified": stamp(start),
            "status": "recurring",
            "recur": "weekly",
            "due": stamp(start + timedelta(days=1)),
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        }
    )
    return made


def export(items: list[dict]) -> str:
    """The text of `task export`: one task per line inside brackets."""
    return "[\n" + ",\n".join(json.dumps(t) for t in items) + "\n]\n"
