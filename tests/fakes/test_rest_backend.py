"""Prove the REST backend double behaves like the deployed Zik API (backend-contract.md §1-§4, §7.5):
real HTTP through urllib, real Cognito tokens from moto, data in the moto DynamoDB tables."""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from datetime import date
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer
from botocore.exceptions import ClientError
from joserfc import jwt
from joserfc.jwk import RSAKey
from moto.utilities.utils import load_resource

from tests.fakes.moto import Backend, Cognito
from tests.fakes.rest_backend import RestBackend, rest_backend  # noqa: F401

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TODAY = "2026-11-25"
UNAUTHORIZED = {"message": "Unauthorized"}


def login(cognito: Cognito, email: str = "ada@example.com") -> dict[str, str]:
    result = cognito.idp.initiate_auth(
        AuthFlow="USER_PASSWORD_AUTH",
        ClientId=cognito.client_id,
        AuthParameters={"USERNAME": email, "PASSWORD": cognito.password},
    )
    return result["AuthenticationResult"]


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def call(
    url: str,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = None,
    authorization: str | None = None,
) -> tuple[int, Any]:
    """One request; returns (status, parsed JSON body)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if authorization is not None:
        request.add_header("Authorization", authorization)
    elif token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Api:
    """Calls the double as the signed-in user ada@example.com."""

    def __init__(self, url: str, tokens: dict[str, str]):
        self.url = url
        self.token = tokens["AccessToken"]
        self.id_token = tokens["IdToken"]
        self.user_id = claims_of(self.token)["sub"]

    def __call__(self, method: str, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        kw.setdefault("token", self.token)
        return call(self.url, method, path, body, **kw)

    def data(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = self(method, path, body)
        assert status == 200, answer
        assert answer["success"] is True
        return answer["data"]


@pytest.fixture
def api(rest_backend: RestBackend, cognito: Cognito) -> Api:  # noqa: F811
    return Api(rest_backend.url, login(cognito))


def seed(backend: Backend, table: str, item: dict[str, Any]) -> None:
    to = TypeSerializer()
    backend.ddb.put_item(
        TableName=backend.tables[table], Item={k: to.serialize(v) for k, v in item.items()}
    )


def failure(status: int, answer: dict[str, Any], code: int, message: str) -> None:
    assert (status, answer["success"], answer["error"]) == (code, False, message)


def only_task_id(api: Api) -> str:
    (task,) = api.data("GET", "/tasks")["tasks"]
    return task["taskId"]


# --- fixture, envelope, gateway -----------------------------------------------------------------


def test_fixture_envelope_and_request_log(api: Api, rest_backend: RestBackend) -> None:  # noqa: F811
    assert re.match(r"^http://127\.0\.0\.1:\d+$", rest_backend.url)
    assert rest_backend.today == date(2026, 11, 25)  # pinned by the fixture
    status, answer = api("GET", "/tasks?date=2026-11-25")
    assert status == 200
    assert list(answer) == ["success", "data", "timestamp", "requestId"]
    assert answer["data"] == {"tasks": [], "count": 0}
    assert ISO.match(answer["timestamp"]) and answer["timestamp"].startswith(TODAY)
    assert rest_backend.requests == [{"method": "GET", "path": "/tasks", "status": 200}]


def test_gateway_401_for_bad_tokens_and_404_for_unknown_routes(
    api: Api,
    rest_backend: RestBackend,  # noqa: F811
) -> None:
    moto_key = RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))
    forged_key = RSAKey.generate_key(2048, parameters={"kid": "dummy"})
    claims = claims_of(api.token)
    header = {"alg": "RS256", "kid": "dummy"}

    def signed(key: RSAKey, **changes: Any) -> str:
        return "Bearer " + jwt.encode(header, {**claims, **changes}, key)

    assert api("GET", "/tasks", authorization=signed(moto_key))[0] == 200  # the control
    for authorization in (
        None,
        "Bearer not-a-jwt",
        "Bearer ",
        signed(moto_key, exp=int(time.time()) - 5),
        signed(forged_key),
        signed(moto_key, client_id="another-app-client"),
        signed(moto_key, iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"),
    ):
        assert call(api.url, "GET", "/tasks", authorization=authorization) == (401, UNAUTHORIZED)
    for method, path in (
        ("GET", "/nope"),
        ("PATCH", "/tasks"),
        ("GET", "/tasks/x"),
        ("GET", "/tasks/"),
    ):
        assert call(api.url, method, path) == (404, {"message": "Not Found"})  # before any auth
    assert [r["status"] for r in rest_backend.requests] == [200] + [401] * 7 + [404] * 4


def test_lambdas_accept_only_access_tokens_after_bearer(api: Api) -> None:
    for path in ("/tasks", "/goals"):
        status, answer = api("GET", path, token=api.id_token)
        failure(status, answer, 500, "Internal server error")
        assert "requestId" in answer
    status, answer = api("GET", "/chat-history", token=api.id_token)
    failure(status, answer, 500, "Internal server error")
    assert "requestId" not in answer
    status, answer = api("GET", "/profile", token=api.id_token)
    failure(status, answer, 401, "Invalid or expired token")
    assert UUID4.match(answer["requestId"])
    failure(
        *api("POST", "/chat", {"message": "hi"}, token=api.id_token),
        401,
        "Invalid or expired token",
    )
    # a raw token (no `Bearer `) passes the gateway; the Lambdas insist on the literal prefix
    status, answer = api("GET", "/goals", authorization=api.token)
    failure(status, answer, 401, "Missing or invalid authorization header")
    status, answer = api("POST", "/chat", {"message": "hi"}, authorization=api.token)
    failure(status, answer, 401, "Missing or invalid Authorization header")


# --- tasks ----------------------------------------------------------------------------------------


def test_create_task_returns_no_id_and_stores_the_contract_item(api: Api, backend: Backend) -> None:
    body = {"title": "  Run 5k ", "epicId": " g-1 ", "description": " easy ", "priority": "high"}
    status, answer = api("POST", "/tasks", body)
    assert status == 200 and answer["data"] == {
        "message": "✅ Daily Quest created: '  Run 5k '! 📅"
    }
    assert answer["requestId"]
    (task,) = backend.items("tasks")
    assert UUID4.match(task.pop("taskId"))
    assert ISO.match(task["createdAt"]) and task.pop("createdAt") == task.pop("updatedAt")
    assert task == {
        "userId": api.user_id,
        "taskName": "Run 5k",
        "dueDate": TODAY,
        "priority": "medium",
        "status": "pending",
        "goalId": "g-1",
        "description": "easy",
    }


def test_get_tasks_reads_only_the_lambdas_utc_today(api: Api, rest_backend: RestBackend) -> None:  # noqa: F811
    api.data("POST", "/tasks", {"title": "today"})
    api.data("POST", "/tasks", {"title": "tomorrow", "dueDate": "2026-11-26"})
    assert [t["taskName"] for t in api.data("GET", "/tasks")["tasks"]] == ["today"]
    assert api.data("GET", "/tasks?date=2026-11-26") == {"tasks": [], "count": 0}
    failure(*api("GET", "/tasks?date=26-11-2026"), 400, "Invalid date format. Expected YYYY-MM-DD")
    rest_backend.today = date(2026, 11, 26)
    assert [t["taskName"] for t in api.data("GET", "/tasks")["tasks"]] == ["tomorrow"]


def test_create_task_validation_gives_400_only_for_a_missing_title(api: Api) -> None:
    failure(*api("POST", "/tasks", {"dueDate": TODAY}), 400, "Title is required")
    for body in (
        {"title": "x" * 201},
        {"title": "   "},
        {"title": "ok", "dueDate": "2026-13-01"},
        {"title": "ok", "dueDate": "2026-11-32"},
        {"title": "ok", "epicId": "   "},  # (an empty goalId: DynamoDB refuses it)
        b"{not json",
    ):
        failure(*api("POST", "/tasks", body), 500, "Failed to create task")
    api.data("POST", "/tasks", {"title": "JS rolls it over", "dueDate": "2025-02-30"})


def test_update_and_delete_task(api: Api, backend: Backend) -> None:
    api.data("POST", "/tasks", {"title": "Stretch"})
    task_id = only_task_id(api)
    data = api.data("PUT", f"/tasks/{task_id}", {"status": "in-progress", "priority": "urgent"})
    assert data == {"message": "✅ Quest updated: 'Stretch'! 🔄"}
    (task,) = backend.items("tasks")
    assert (task["status"], task["priority"]) == ("in-progress", "urgent")  # priority unchecked
    failure(*api("PUT", f"/tasks/{task_id}", {}), 400, "No update fields provided")
    for path, body in (
        (f"/tasks/{task_id}", {"title": "renamed"}),
        (f"/tasks/{task_id}", {"status": "done"}),
        (f"/tasks/{task_id}", {"dueDate": "2026/11/30"}),
        (f"/tasks/{uuid.uuid4()}", {"status": "completed"}),
    ):
        failure(*api("PUT", path, body), 500, "Failed to update task")
    assert api.data("DELETE", f"/tasks/{task_id}") == {"message": "✅ Quest deleted: 'Stretch'! 🗑️"}
    assert backend.items("tasks") == []
    failure(*api("DELETE", f"/tasks/{task_id}"), 500, "Failed to delete task")


# --- goals and milestones ---------------------------------------------------------------------------


def test_goals_lifecycle_and_active_only_listing(api: Api, backend: Backend) -> None:
    status, answer = api("POST", "/goals", {"goalName": " Learn guitar ", "category": "music"})
    goal_id = answer["data"]["message"]["goalId"]
    assert status == 200 and answer["requestId"] and UUID4.match(goal_id)
    assert answer["data"] == {
        "message": {"message": "✅ Epic Quest created: ' Learn guitar '! 🎯", "goalId": goal_id}
    }
    (stored,) = backend.items("goals")
    assert {k: v for k, v in stored.items() if not k.endswith("At")} == {
        "userId": api.user_id,
        "goalId": goal_id,
        "goalName": "Learn guitar",
        "status": "active",
        "roadmapStatus": "none",
    }
    status, answer = api("GET", "/goals")
    assert answer["data"] == {"goals": [stored], "count": 1} and "requestId" not in answer
    changes = {"status": "paused", "targetDate": 42, "description": "x" * 300}
    assert api.data("PUT", f"/goals/{goal_id}", changes) == {
        "message": "✅ Quest updated: 'Learn guitar'! 🔄"
    }
    assert api.data("GET", "/goals") == {"goals": [], "count": 0}  # paused: never listed again
    assert backend.items("goals")[0]["targetDate"] == 42
    assert api.data("DELETE", f"/goals/{goal_id}") == {
        "message": "✅ Quest deleted: 'Learn guitar'! 🗑️"
    }
    failure(*api("DELETE", f"/goals/{goal_id}"), 500, "Failed to delete goal")


def test_goal_validation_mostly_gives_500(api: Api) -> None:
    failure(*api("POST", "/goals", {"name": "x"}), 400, "goalName is required")
    failure(*api("POST", "/goals", {"goalName": "x" * 201}), 500, "Failed to create goal")
    goal_id = api.data("POST", "/goals", {"goalName": "Read"})["message"]["goalId"]
    failure(*api("PUT", f"/goals/{goal_id}", {}), 400, "No update fields provided")
    for path, body in (
        (f"/goals/{goal_id}", {"status": "archived"}),
        (f"/goals/{goal_id}", {"roadmapStatus": "failed"}),
        (f"/goals/{goal_id}", {"priority": "high"}),
        (f"/goals/{uuid.uuid4()}", {"status": "paused"}),
    ):
        status, answer = api("PUT", path, body)
        failure(status, answer, 500, "Failed to update goal")
        assert answer["requestId"]


def test_milestones_are_sorted_and_readable_by_any_user(
    api: Api, backend: Backend, cognito: Cognito
) -> None:
    for sequence in (2, 3, 1):
        seed(backend, "milestones", milestone("g-1", sequence, api.user_id))
    status, answer = api("GET", "/goals/g-1/milestones")
    assert "requestId" not in answer
    assert [m["sequence"] for m in answer["data"]["milestones"]] == [1, 2, 3]
    assert answer["data"]["count"] == 3
    cognito.add_user("grace@example.com")
    grace = login(cognito, "grace@example.com")["AccessToken"]
    assert (
        api("GET", "/goals/g-1/milestones", token=grace)[1]["data"]["count"] == 3
    )  # no IDOR check
    assert api.data("GET", "/goals/unknown/milestones") == {"milestones": [], "count": 0}


# --- milestone progression (§7.5) -----------------------------------------------------------------


def milestone(goal_id: str, sequence: int, user_id: str) -> dict[str, Any]:
    return {
        "epicId": goal_id,
        "sequence": sequence,
        "milestoneId": f"milestone_{sequence}",
        "userId": user_id,
        "title": f"Week {sequence}",
        "status": "active" if sequence == 1 else "locked",
        "durationInDays": 7,
        "createdAt": "2026-11-20T08:00:00.000Z",
        "updatedAt": "2026-11-20T08:00:00.000Z",
    }


def seed_roadmap(backend: Backend, user_id: str) -> None:
    """Goal g-1 with milestones 1 (active) and 2 (locked); tasks t1, t2 in 1 and t3 in 2."""
    seed(
        backend,
        "goals",
        {"userId": user_id, "goalId": "g-1", "goalName": "Run", "status": "active"},
    )
    for sequence in (1, 2):
        seed(backend, "milestones", milestone("g-1", sequence, user_id))
    for task_id, sequence in (("t1", 1), ("t2", 1), ("t3", 2)):
        task = {"userId": user_id, "taskId": task_id, "taskName": task_id, "dueDate": TODAY}
        task |= {"status": "pending", "goalId": "g-1", "milestoneId": f"milestone_{sequence}"}
        seed(backend, "tasks", task)


def statuses(backend: Backend) -> dict[int, str]:
    return {int(m["sequence"]): m["status"] for m in backend.items("milestones")}


def test_with_the_sequence_placeholders_a_milestones_last_task_advances_the_roadmap(
    backend: Backend, cognito: Cognito
) -> None:
    with RestBackend(backend, progression=True) as fake:
        api = Api(fake.url, login(cognito))
        seed_roadmap(backend, api.user_id)
        api.data("PUT", "/tasks/t1", {"status": "completed"})
        assert statuses(backend) == {1: "active", 2: "locked"}
        api.data("PUT", "/tasks/t2", {"status": "completed"})
        assert statuses(backend) == {1: "completed", 2: "active"}
        assert fake.coach_invocations == [{"epicId": "g-1", "sequence": 2, "userId": api.user_id}]
        assert len(backend.items("tasks")) == 3  # no AI: the coach's tasks are not generated
        api.data("PUT", "/tasks/t3", {"status": "completed"})
        assert statuses(backend) == {1: "completed", 2: "completed"}
        assert backend.items("goals")[0]["status"] == "completed"
        assert api.data("GET", "/goals")["count"] == 0


def test_as_deployed_completing_a_milestones_last_task_advances_nothing(
    api: Api,
    backend: Backend,
    rest_backend: RestBackend,  # noqa: F811
) -> None:
    seed_roadmap(backend, api.user_id)
    for task_id in ("t1", "t2"):
        api.data("PUT", f"/tasks/{task_id}", {"status": "completed"})
    assert statuses(backend) == {1: "active", 2: "locked"}
    assert rest_backend.coach_invocations == []


# --- profile --------------------------------------------------------------------------------------

PROFILE = {"username": "ada_l", "firstName": " Ada ", "lastName": "Lovelace"}


def test_profile_creation_needs_the_gsis_the_cdk_never_creates(
    api: Api,
    backend: Backend,
    rest_backend: RestBackend,  # noqa: F811
) -> None:
    status, answer = api("GET", "/profile")
    failure(status, answer, 404, "Profile not found")
    assert UUID4.match(answer["requestId"])
    failure(*api("POST", "/profile", PROFILE), 500, "Database operation failed")
    assert backend.items("users") == []
    rest_backend.add_profile_indexes()
    failure(*api("POST", "/profile", {**PROFILE, "lastName": ""}), 400, "Last name is required")
    failure(
        *api("POST", "/profile", {**PROFILE, "firstName": "  "}),
        400,
        "First name is required and cannot be empty",
    )
    failure(
        *api("POST", "/profile", {**PROFILE, "username": "a-b"}),
        400,
        "Username must be 3-30 characters and contain only letters, numbers, and underscores",
    )
    failure(*api("POST", "/profile", b"nope"), 400, "Invalid or missing request body")
    body = {
        **PROFILE,
        "email": "evil@example.com",
        "preferences": {"notifications": {"push": False}},
    }
    data = api.data("POST", "/profile", body)
    profile = data["profile"]
    assert data["message"] == "Profile created successfully"
    assert profile["email"] == "ada@example.com" and profile["firstName"] == "Ada"
    assert profile["onboardingCompleted"] is False and "lastLoginAt" not in profile
    assert profile["preferences"]["notifications"] == {
        "email": True,
        "push": False,
        "dailyReminders": True,
        "weeklyDigest": True,
    }
    assert profile["preferences"]["timezone"] == "UTC"
    assert backend.items("users") == [profile]
    failure(*api("POST", "/profile", PROFILE), 400, "Username is already taken")
    failure(
        *api("POST", "/profile", {**PROFILE, "username": "other"}),
        400,
        "Email is already registered",
    )


def test_profile_update_onboarding_and_last_login(
    api: Api,
    backend: Backend,
    rest_backend: RestBackend,  # noqa: F811
) -> None:
    failure(*api("PUT", "/profile", {"firstName": "A"}), 400, "User profile not found")
    failure(*api("PUT", "/profile/onboarding/complete"), 400, "User profile not found")
    rest_backend.add_profile_indexes()
    api.data("POST", "/profile", {**PROFILE, "displayName": "Countess"})
    assert ISO.match(api.data("GET", "/profile")["profile"]["lastLoginAt"])
    changes = {
        "email": "evil@example.com",
        "displayName": "",
        "avatarUrl": "https://example.com/a.png",
        "preferences": {"privacySettings": {"publicProfile": True}, "theme": "dark"},
        "unknown": 1,
    }
    data = api.data("PUT", "/profile", changes)
    profile = data["profile"]
    assert data["message"] == "Profile updated successfully"
    assert profile["email"] == "ada@example.com" and profile["displayName"] is None
    assert profile["preferences"]["privacySettings"] == {
        "shareProgress": False,
        "publicProfile": True,
    }
    assert profile["preferences"]["theme"] == "dark" and "unknown" not in profile
    failure(*api("PUT", "/profile", {}), 400, "Request body cannot be empty.")
    failure(
        *api("PUT", "/profile", {"lastName": "x" * 51}),
        400,
        "Last name cannot exceed 50 characters",
    )
    assert api.data("PUT", "/profile/onboarding/complete") == {
        "message": "Onboarding completed successfully"
    }
    assert backend.items("users")[0]["onboardingCompleted"] is True


def test_delete_profile_removes_only_the_user_row_and_cognito_user(
    api: Api, backend: Backend, cognito: Cognito
) -> None:
    seed(backend, "users", {"userId": api.user_id, "username": "ada_l", "email": "ada@example.com"})
    api.data("POST", "/goals", {"goalName": "Orphan"})
    api.data("POST", "/chat", {"message": "hello"})
    assert api.data("DELETE", "/profile") == {
        "message": "User account and all associated data have been permanently deleted"
    }
    assert backend.items("users") == []
    assert len(backend.items("goals")) == 1 and len(backend.items("chat")) == 2  # orphans
    with pytest.raises(ClientError, match="UserNotFoundException"):
        cognito.idp.admin_get_user(UserPoolId=cognito.pool_id, Username=api.user_id)
    failure(*api("DELETE", "/profile"), 404, "User profile not found")  # the token still works


# --- chat -----------------------------------------------------------------------------------------


def test_chat_stores_both_messages_and_keeps_the_newest_ten(
    api: Api,
    backend: Backend,
    rest_backend: RestBackend,  # noqa: F811
) -> None:
    status, answer = api("POST", "/chat", {"message": "plan <b>my</b> week"})
    assert status == 200 and UUID4.match(answer["requestId"])
    assert answer["data"] == {"response": "Zik (test double) heard you: plan my week"}
    user, assistant = sorted(backend.items("chat"), key=lambda m: m["timestamp"])
    assert set(user) == {"userId", "timestamp", "messageId", "role", "content", "ttl"}
    assert (user["role"], user["content"]) == ("user", "plan <b>my</b> week")
    assert assistant["role"] == "assistant" and UUID4.match(assistant["messageId"])
    assert ISO.match(user["timestamp"]) and user["userId"] == api.user_id
    thirty_days = rest_backend.now().timestamp() + 30 * 86400
    assert abs(int(user["ttl"]) - thirty_days) < 5
    for n in range(5):
        api.data("POST", "/chat", {"message": f"message {n}"})
    assert len(backend.items("chat")) == 10
    status, answer = api("GET", "/chat-history")
    messages = answer["data"]["messages"]
    assert "requestId" not in answer and answer["data"]["count"] == 10
    assert [m["content"] for m in messages[:2]] == [
        "message 0",
        "Zik (test double) heard you: message 0",
    ]
    assert messages[-1]["role"] == "assistant"
    assert api.data("DELETE", "/chat-history") == {
        "deletedMessages": 10,
        "message": "All chat history cleared",
    }
    assert api.data("GET", "/chat-history") == {"messages": [], "count": 0}


def test_chat_validation_and_ai_failure(
    api: Api,
    backend: Backend,
    rest_backend: RestBackend,  # noqa: F811
) -> None:
    failure(*api("POST", "/chat", b"{oops"), 400, "Invalid JSON in request body")
    for body in (None, {"message": ""}, {"message": 5}, {"text": "hi"}):
        failure(*api("POST", "/chat", body), 400, "Missing or invalid message field")
    too_long = {"message": "x" * 5001}
    failure(
        *api("POST", "/chat", too_long), 400, "Message too long. Maximum 5000 characters allowed."
    )

    def bedrock_down(message: str) -> str:
        raise RuntimeError("ThrottlingException")

    rest_backend.chat_reply = bedrock_down
    failure(
        *api("POST", "/chat", {"message": "hi"}),
        503,
        "AI service temporarily unavailable. Please try again later.",
    )
    assert backend.items("chat") == []
