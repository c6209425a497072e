"""The `api` remote: the backend's 17 REST routes (reference/backend-contract.md §3, §10.1).

The API carries less than the tables behind it, and this remote says so rather than guessing:

- goals: all their fields are written (POST /goals takes only the name, so a PUT follows), but
  GET /goals returns only *active* goals, so a goal paused, completed or deleted elsewhere is
  not seen here;
- tasks: written in full except the fields the API has no room for (milestoneId, estimates,
  times); GET /tasks returns only tasks due *today in UTC*, and POST /tasks returns no id, so a
  task's id is learnt from GET /tasks, today or on its due day;
- milestones and the last 10 chat messages can be read, not written (POST /chat asks the AI);
- routines have no routes at all; the profile has GET/POST/PUT.

`zik sync --json` lists these gaps under `notPulled`.
"""

from __future__ import annotations

from typing import Any

from zik.cloud.http import Answer, Client
from zik.cloud.items import CHAT, MILESTONE, PROFILE, QUEST, TASK, Kind
from zik.cloud.remote import Delete, Op, Pulled, Pushed, Write
from zik.errors import ZikError

Wire = dict[str, Any]

FIELDS: dict[str, tuple[str, ...]] = {
    "quest": (
        "goalId", "goalName", "description", "targetDate", "category", "status",
        "roadmapStatus", "updatedAt",
    ),
    "task": (
        "taskId", "taskName", "description", "dueDate", "priority", "status", "goalId",
        "updatedAt",
    ),
    "milestone": (
        "milestoneId", "epicId", "sequence", "title", "description", "status",
        "durationInDays", "updatedAt",
    ),
    "chat": ("messageId", "timestamp", "role", "content"),
    "profile": (
        "displayName", "preferences.timezone", "preferences.questCategories",
        "preferences.zikDailyTime", "preferences.zikDailyCapacity", "onboardingCompleted",
        "updatedAt",
    ),
}  # fmt: skip
WRITABLE = ("quest", "task", "profile")
GAPS = {
    "quest": "GET /goals returns only active goals: paused, completed or deleted ones elsewhere"
    " are not seen",
    "task": "GET /tasks returns only tasks due today (UTC); others are pushed, not pulled",
    "milestone": "the API can read milestones, not write them",
    "chat": "the API returns the last 10 messages and cannot store messages without the AI",
    "routine": "the API has no routes for routines",
}
_GOAL_FIELDS = ("goalName", "description", "targetDate", "category", "status", "roadmapStatus")
_TASK_FIELDS = ("taskName", "description", "dueDate", "priority", "status", "goalId")


class ApiRemote:
    name = "api"

    def __init__(
        self, settings: Any, user_id: str, email: str, display_name: str | None, today: str
    ):
        if not settings.api_url:
            from zik.errors import UsageError

            raise UsageError(
                "the api remote needs the backend's API URL",
                hint="zik cloud setup --api-url https://….execute-api….amazonaws.com",
            )
        self.http = Client(settings.api_url)
        self.user_id, self.email, self.display_name = user_id, email, display_name
        self.today = today  # the UTC date the task routes revolve around
        self.gaps = dict(GAPS)
        self._goal_ids: set[str] = set()
        self._task_ids: set[str] = set()
        self._has_profile = False

    def fields(self, kind: Kind) -> tuple[str, ...]:
        return FIELDS.get(kind.entity, ())

    def writable(self, kind: Kind) -> bool:
        return kind.entity in WRITABLE

    def covers(self, kind: Kind, record: Wire) -> bool:
        if kind is TASK:
            return record.get("dueDate") == self.today
        return kind is PROFILE

    # -- reading ---------------------------------------------------------------------------

    def pull(self, quest_ids: set[str]) -> Pulled:
        pulled = Pulled(gaps=self.gaps)
        goals = self._data("GET", "/goals")["goals"]
        pulled.records["quest"] = _read(QUEST, goals)
        self._goal_ids = set(pulled.records["quest"])
        milestones: dict[str, Wire] = {}
        for goal_id in sorted(self._goal_ids):
            found = self._data("GET", f"/goals/{goal_id}/milestones")["milestones"]
            milestones.update(_read(MILESTONE, found))
        pulled.records["milestone"] = milestones
        pulled.records["task"] = _read(TASK, self._data("GET", "/tasks")["tasks"])
        self._task_ids = set(pulled.records["task"])
        pulled.records["chat"] = _read(CHAT, self._data("GET", "/chat-history")["messages"])
        answer = self.http.call("GET", "/profile")
        self._has_profile = answer.ok
        if answer.ok:
            pulled.records["profile"] = _read(PROFILE, [answer.data["profile"]])
        elif answer.status != 404:
            raise _refused("GET", "/profile", answer)
        return pulled

    def _data(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        answer = self.http.call(method, path, body)
        if not answer.ok:
            raise _refused(method, path, answer)
        return answer.data or {}

    # -- writing ---------------------------------------------------------------------------

    def apply(self, ops: list[Op]) -> list[Pushed]:
        self._new_ids: dict[str, str] = {}  # local id -> the id POST /goals gave it
        done = []
        for op in ops:
            if isinstance(op, Write) and op.record.get("goalId") in self._new_ids:
                op.record = {**op.record, "goalId": self._new_ids[op.record["goalId"]]}
            pushed = self._apply(op)
            if pushed.new_id and op.kind is QUEST:
                self._new_ids[op.record["goalId"]] = pushed.new_id
            done.append(pushed)
        return done

    def _apply(self, op: Op) -> Pushed:
        if isinstance(op, Delete):
            return self._delete(op)
        if op.kind is QUEST:
            return self._write_goal(op)
        if op.kind is TASK:
            return self._write_task(op)
        return self._write_profile(op)

    def _delete(self, op: Delete) -> Pushed:
        path = {QUEST: "/goals/", TASK: "/tasks/"}[op.kind] + op.record[op.kind.id_attr]
        answer = self.http.call("DELETE", path)
        # a 500 here means it is already gone (the Lambdas map "not found" to 500, §1.7)
        if not answer.ok and answer.status != 500:
            raise _refused("DELETE", path, answer)
        return Pushed(True)

    def _write_goal(self, op: Write) -> Pushed:
        record, previous = op.record, op.previous
        new_id = None
        if previous is None:
            new_id = self._create_goal(record["goalName"])
            previous = {"goalName": record["goalName"], "status": "active", "roadmapStatus": "none"}
        goal_id = new_id or record["goalId"]
        changes = _changes(record, previous, _GOAL_FIELDS)
        if changes and not self._update(f"/goals/{goal_id}", changes):
            return Pushed(False, gone=True)
        return Pushed(True, new_id=new_id)

    def _create_goal(self, name: str) -> str:
        """POST /goals; when the answer is lost, the goal may still have been made: look for it
        before trying again, so a dropped connection never makes two."""
        for _ in range(2):
            try:
                answer = self.http.call("POST", "/goals", {"goalName": name}, retry=False)
            except ZikError:
                answer = None
            if answer is not None and answer.ok:
                goal_id = answer.data["message"]["goalId"]
                self._goal_ids.add(goal_id)
                return goal_id
            if answer is not None and answer.enveloped:
                raise _refused("POST", "/goals", answer)
            made = [
                g["goalId"]
                for g in self._data("GET", "/goals")["goals"]
                if g.get("goalName") == name.strip() and g["goalId"] not in self._goal_ids
            ]
            if made:
                self._goal_ids.add(made[0])
                return made[0]
        raise _refused("POST", "/goals", answer or Answer(0, {}))

    def _write_task(self, op: Write) -> Pushed:
        record, previous = op.record, op.previous
        if previous is None:
            return self._create_task(record)
        changes = _changes(record, previous, _TASK_FIELDS)
        if changes and not self._update(f"/tasks/{record['taskId']}", changes):
            return Pushed(False, gone=True)
        return Pushed(True)

    def _create_task(self, record: Wire) -> Pushed:
        body = {"title": record["taskName"], "dueDate": record["dueDate"]}
        if record.get("goalId"):
            body["epicId"] = record["goalId"]
        if record.get("description"):
            body["description"] = record["description"]
        found = None
        for _ in range(2):
            try:
                answer = self.http.call("POST", "/tasks", body, retry=False)
            except ZikError:
                answer = None
            if answer is not None and answer.enveloped and not answer.ok:
                raise _refused("POST", "/tasks", answer)
            found = self._find_task(record)
            if (answer is not None and answer.ok) or found:
                break
            if record["dueDate"] != self.today and answer is None:
                # it cannot be looked up before its day: better a rare duplicate than a loss
                continue
        if found is None:
            # created, but the API keeps the id to itself until the task's day (§3.2)
            stored = {**record, "priority": "medium", "status": "pending"}
            return Pushed(True, id_unknown=True, stored=stored)
        # POST ignores priority and status: set them now that the id is known
        defaults = {"priority": "medium", "status": "pending"}
        changes = _changes(record, {**record, **defaults}, ("priority", "status"))
        if changes:
            self._update(f"/tasks/{found}", changes)
        return Pushed(True, new_id=found)

    def _find_task(self, record: Wire) -> str | None:
        """The id of the task just posted: only tasks due today can be listed (§3.1)."""
        if record["dueDate"] != self.today:
            return None
        for task in self._data("GET", "/tasks")["tasks"]:
            if task.get("taskName") == record["taskName"].strip() and (
                task["taskId"] not in self._task_ids
            ):
                self._task_ids.add(task["taskId"])
                return task["taskId"]
        return None

    def _update(self, path: str, changes: Wire) -> bool:
        """PUT some fields; False when the record is gone there (500, §1.7)."""
        answer = self.http.call("PUT", path, changes)
        if answer.ok:
            return True
        if answer.status == 500:
            return False
        raise _refused("PUT", path, answer)

    def _write_profile(self, op: Write) -> Pushed:
        record = op.record
        preferences = {
            name.split(".", 1)[1]: value
            for name, value in record.items()
            if name.startswith("preferences.") and value is not None
        }
        body: Wire = {"preferences": preferences}
        if record.get("displayName"):
            body["displayName"] = record["displayName"]
        if not self._has_profile:
            local_part = self.email.split("@", 1)[0]
            names = (record.get("displayName") or local_part).split(" ", 1)
            username = "".join(c if c.isalnum() or c == "_" else "_" for c in local_part)[:30]
            created = self.http.call(
                "POST",
                "/profile",
                {
                    **body,
                    "username": username.ljust(3, "_"),
                    "firstName": names[0],
                    "lastName": names[1] if len(names) > 1 else names[0],
                },
            )
            if not created.ok:  # e.g. the backend's missing username index (§3.11)
                self.gaps["profile"] = f"the backend could not create the profile: {created.error}"
                return Pushed(True, stored=record)
            self._has_profile = True
        else:
            self._data("PUT", "/profile", body)
        if record.get("onboardingCompleted"):
            self._data("PUT", "/profile/onboarding/complete")
        return Pushed(True)

    # -- account deletion ------------------------------------------------------------------

    def delete_account(self, known: dict[str, set[str]]) -> int:
        """Everything the API can reach (the goals and tasks it lists, and those synced from
        here), then DELETE /profile, which removes the Cognito user but, deployed, nothing
        else (§7.7). The API cannot delete milestones or routines: use the dynamodb remote."""
        removed = 0
        goals = {g["goalId"] for g in self._data("GET", "/goals")["goals"]} | known.get(
            "quest", set()
        )
        tasks = {t["taskId"] for t in self._data("GET", "/tasks")["tasks"]} | known.get(
            "task", set()
        )
        for task_id in sorted(tasks):
            removed += self.http.call("DELETE", f"/tasks/{task_id}").ok
        for goal_id in sorted(goals):
            removed += self.http.call("DELETE", f"/goals/{goal_id}").ok
        removed += self._data("DELETE", "/chat-history").get("deletedMessages", 0)
        self._data("DELETE", "/profile")
        return removed + 1


def _read(kind: Kind, items: list[dict[str, Any]]) -> dict[str, Wire]:
    records = (kind.read(item) for item in items)
    return {kind.key_of(record): record for record in records}


def _changes(record: Wire, previous: Wire, names: tuple[str, ...]) -> Wire:
    return {name: record.get(name) for name in names if record.get(name) != previous.get(name)}


def _refused(method: str, path: str, answer: Answer) -> ZikError:
    return ZikError(f"the Zik API refused {method} {path}: {answer.error} ({answer.status})")
