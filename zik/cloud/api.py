"""The `api` remote: the backend's 17 REST routes (reference/backend-contract.md §3, §10.1).

The API carries less than the tables behind it, and this remote says so rather than guessing:

- goals: all their fields are written (POST /goals takes only the name, so a PUT follows), but
  GET /goals returns only *active* goals, so a goal paused, completed or deleted elsewhere is
  not seen here;
- tasks: written in full except the fields the API has no room for (milestoneId, estimates,
  times); GET /tasks returns only tasks due *today in UTC*, and POST /tasks returns no id, so a
  new task is posted as due today, its id learnt from GET /tasks, and its day set by PUT;
- milestones and the last 10 chat messages can be read, not written (POST /chat asks the AI);
- routines have no routes at all; the profile has GET/POST/PUT.

`zik sync --json` lists these under `limits` (and the first under `notPulled`).
"""

from __future__ import annotations

import functools
from typing import Any

from zik.cloud.http import ATTEMPTS, Answer, Client
from zik.cloud.items import (
    CHAT,
    MILESTONE,
    PROFILE,
    QUEST,
    TASK,
    Kind,
    profile_names,
    read_all,
)
from zik.cloud.remote import Delete, Deletion, Known, Op, Pulled, Pushed, Write
from zik.errors import TemporaryError, ZikError

Wire = dict[str, Any]

FIELDS: dict[str, tuple[str, ...]] = {
    "quest": (
        "goalId", "goalName", "description", "targetDate", "category", "status",
        "roadmapStatus", "updatedAt",
    ),
    "task": (
        "taskId", "taskName", "description", "dueDate", "priority", "status", "goalId",
        "milestoneId", "updatedAt",
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
READ_ONLY = {"task": ("milestoneId",)}  # set by the backend's coach; POST and PUT ignore it
# What the API cannot carry, each way (reference/backend-contract.md §3): `zik sync` says it
# once per device, `zik cloud status` whenever asked, `--json` every time.
GAPS = {  # not pulled
    "quest": "GET /goals returns only active goals: those paused, completed or deleted elsewhere"
    " are not seen here",
    "task": "GET /tasks returns only tasks due today (UTC): those due other days made elsewhere"
    " arrive on their day",
    "chat": "GET /chat-history returns only the last 10 messages",
    "routine": "the API has no routes for routines",
}
NOT_PUSHED = {
    "task": "the API has no fields for a task's estimate, tags and start, completion or skip"
    " times: they stay here",
    "milestone": "the API cannot write milestones: those made or changed here stay here",
    "chat": "the API stores messages only by asking its AI: those written here stay here",
    "routine": "the API has no routes for routines: they stay here",
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
        self.not_pushed = dict(NOT_PUSHED)
        self.roadmaps: dict[str, str] = {}  # (milestones are not written through the API)
        self._goal_ids: set[str] = set()
        self._task_ids: set[str] = set()
        self._has_profile = False

    @property
    def server_time(self) -> str | None:
        return self.http.server_time

    def fields(self, kind: Kind) -> tuple[str, ...]:
        return FIELDS.get(kind.entity, ())

    def writable(self, kind: Kind) -> bool:
        return kind.entity in WRITABLE

    def read_only(self, kind: Kind) -> tuple[str, ...]:
        return READ_ONLY.get(kind.entity, ())

    def covers(self, kind: Kind, record: Wire) -> bool:
        if kind is TASK:
            return record.get("dueDate") == self.today
        return kind is PROFILE

    # -- reading ---------------------------------------------------------------------------

    def pull(self, quest_ids: set[str], known: Known | None = None) -> Pulled:
        """Everything GET /goals, /tasks, /profile and the milestone listings return (the
        API has no cheaper way to tell what changed, so `known` is not used)."""
        self.http.server_time = None  # (this pull's: a remote may serve many syncs)
        pulled = Pulled(gaps=self.gaps, posted_due=self.today)
        goals = self._data("GET", "/goals")["goals"]
        read = functools.partial(_read, pulled=pulled)
        pulled.records["quest"] = read(QUEST, goals)
        self._goal_ids = set(pulled.records["quest"])
        milestones: dict[str, Wire] = {}
        for goal_id in sorted(self._goal_ids):
            found = self._data("GET", f"/goals/{goal_id}/milestones")["milestones"]
            milestones.update(read(MILESTONE, found))
        pulled.records["milestone"] = milestones
        pulled.records["task"] = read(TASK, self._data("GET", "/tasks")["tasks"])
        self._task_ids = set(pulled.records["task"])
        pulled.records["chat"] = read(CHAT, self._data("GET", "/chat-history")["messages"])
        answer = self.http.call("GET", "/profile")
        self._has_profile = answer.ok
        if answer.ok:
            pulled.records["profile"] = read(PROFILE, [answer.data["profile"]])
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
        """Apply the writes in order; after one fails, the rest wait (marked with the error),
        so that what did go through is recorded before the error is reported."""
        self._new_ids: dict[str, str] = {}  # local id -> the id POST /goals gave it
        done: list[Pushed] = []
        for op in ops:
            if isinstance(op, Write) and op.record.get("goalId") in self._new_ids:
                op.record = {**op.record, "goalId": self._new_ids[op.record["goalId"]]}
            try:
                pushed = self._apply(op)
            except ZikError as e:
                rest = len(ops) - len(done) - 1
                return (
                    done + [Pushed(False, error=e)] + [Pushed(False, error=e, unsent=True)] * rest
                )
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
        if previous is not None:
            changes = _changes(record, previous, _GOAL_FIELDS)
            if changes and not self._update(f"/goals/{record['goalId']}", changes):
                return Pushed(False, gone=True)
            return Pushed(True)
        new_id = self._create_goal(record["goalName"])
        made = {**record, "goalId": new_id, "status": "active", "roadmapStatus": "none"}
        made.update(description=None, targetDate=None, category=None)
        changes = _changes(record, made, _GOAL_FIELDS)
        try:
            if changes:
                self._update(f"/goals/{new_id}", changes)
        except TemporaryError:  # made, but not filled in: the next sync sends the rest
            return Pushed(True, new_id=new_id, stored=made)
        return Pushed(True, new_id=new_id)

    def _create_goal(self, name: str) -> str:
        """POST /goals. When its answer is lost the goal may have been made all the same: it is
        looked for before the next try, so a dropped connection never makes two."""
        problem: ZikError | None = None
        for attempt in range(ATTEMPTS):
            try:
                answer = self.http.call("POST", "/goals", {"goalName": name}, retry=False)
            except TemporaryError as e:
                problem = e
            else:
                if not answer.ok:
                    raise _refused("POST", "/goals", answer)
                goal_id = answer.data["message"]["goalId"]
                self._goal_ids.add(goal_id)
                return goal_id
            made = [
                g["goalId"]
                for g in self._data("GET", "/goals")["goals"]
                if g.get("goalName") == name.strip() and g["goalId"] not in self._goal_ids
            ]
            if made:
                self._goal_ids.add(made[0])
                return made[0]
            self.http.backoff(attempt)
        assert problem is not None
        raise problem

    def _write_task(self, op: Write) -> Pushed:
        record, previous = op.record, op.previous
        if previous is None:
            return self._create_task(record)
        changes = _changes(record, previous, _TASK_FIELDS)
        if changes and not self._update(f"/tasks/{record['taskId']}", changes):
            return Pushed(False, gone=True)
        return Pushed(True)

    def _create_task(self, record: Wire) -> Pushed:
        """POST /tasks, which answers without the new id (§3.2), and lists only tasks due today
        (§3.1): so the task is posted as due today, found in GET /tasks (which also tells
        whether a POST whose answer was lost went through), and given its own day, priority
        and status by the next round's PUT, once its id is recorded here. (A sync killed
        between that PUT and the record would leave a task nothing here could find again.)"""
        body = {"title": record["taskName"], "dueDate": self.today}
        if record.get("goalId"):
            body["epicId"] = record["goalId"]
        if record.get("description"):
            body["description"] = record["description"]
        # what POST keeps: the rest of the record follows by PUT
        posted = {**record, "dueDate": self.today, "priority": "medium", "status": "pending"}
        problem: ZikError | None = None
        for attempt in range(ATTEMPTS):
            try:
                answer = self.http.call("POST", "/tasks", body, retry=False)
            except TemporaryError as e:
                answer, problem = None, e
            if answer is not None and not answer.ok:
                raise _refused("POST", "/tasks", answer)
            try:
                found = self._find_task(posted)
            except TemporaryError:
                if answer is None:
                    raise
                return Pushed(True, id_unknown=True, stored=posted)
            if found:
                return Pushed(True, new_id=found, stored={**posted, "taskId": found})
            if answer is not None:  # made, yet not listed: adopted by a later sync
                return Pushed(True, id_unknown=True, stored=posted)
            self.http.backoff(attempt)
        assert problem is not None
        raise problem

    def _find_task(self, posted: Wire) -> str | None:
        """The id of the task just posted (due today, so listed): one not known before."""
        for task in self._data("GET", "/tasks")["tasks"]:
            if task.get("taskName") == posted["taskName"].strip() and (
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
            names = profile_names(self.email, record.get("displayName"))
            names["lastName"] = names["lastName"] or names["firstName"]  # required there
            created = self.http.call("POST", "/profile", {**body, **names})
            if not created.ok:  # e.g. the backend's missing username index (§3.11)
                why = f"the backend could not create it ({created.error})"
                return Pushed(False, refused=why)  # not there: never recorded as pushed
            self._has_profile = True
        else:
            self._data("PUT", "/profile", body)
        if record.get("onboardingCompleted"):
            self._data("PUT", "/profile/onboarding/complete")
        return Pushed(True)

    # -- account deletion ------------------------------------------------------------------

    def delete_account(self, known: dict[str, set[str]]) -> Deletion:
        """Everything the API can reach: the goals and tasks it lists and those synced from
        here, the chat, then DELETE /profile (deployed, it removes the profile item and the
        Cognito user, nothing else: §7.7). What it cannot reach is said, counted where it can
        be: milestones (no route deletes them), routines (no routes), tasks due other days and
        goals not active that were never synced here (GET lists neither)."""
        done = Deletion()
        goals = {g["goalId"] for g in self._data("GET", "/goals")["goals"]} | known.get(
            "quest", set()
        )
        tasks = {t["taskId"] for t in self._data("GET", "/tasks")["tasks"]} | known.get(
            "task", set()
        )
        milestones = sum(
            len(self._data("GET", f"/goals/{goal_id}/milestones").get("milestones") or [])
            for goal_id in sorted(goals)
        )
        done.deleted["task"] = sum(
            self.http.call("DELETE", f"/tasks/{task_id}").ok for task_id in sorted(tasks)
        )
        done.deleted["quest"] = sum(
            self.http.call("DELETE", f"/goals/{goal_id}").ok for goal_id in sorted(goals)
        )
        done.deleted["chat"] = self._data("DELETE", "/chat-history").get("deletedMessages", 0)
        profile = self.http.call("DELETE", "/profile")
        if profile.ok:
            done.deleted["profile"] = 1
        elif profile.status != 404:  # (404: there was no profile to delete)
            raise _refused("DELETE", "/profile", profile)
        if milestones:
            done.left["milestone"] = (
                f"{milestones} milestone(s): the API cannot delete milestones (the dynamodb"
                " remote can)"
            )
        done.left["task"] = (
            "any task due on another day that was made elsewhere and never synced here: the"
            " API lists only today's"
        )
        done.left["quest"] = (
            "any goal paused or completed elsewhere and never synced here: the API lists only"
            " active ones"
        )
        done.left["routine"] = "any routine made in the app: the API has no routes for them"
        return done


def _read(kind: Kind, items: list[dict[str, Any]], pulled: Pulled) -> dict[str, Wire]:
    return read_all(kind, items, pulled.skipped, pulled.notes)


def _changes(record: Wire, previous: Wire, names: tuple[str, ...]) -> Wire:
    return {name: record.get(name) for name in names if record.get(name) != previous.get(name)}


def _refused(method: str, path: str, answer: Answer) -> ZikError:
    return ZikError(f"the Zik API refused {method} {path}: {answer.error} ({answer.status})")
