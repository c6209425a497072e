"""A test double of the Zik cloud backend's REST API: a real HTTP server on 127.0.0.1.

It plays API Gateway (HTTP API, JWT authorizer) plus the five Lambdas behind the 17 routes of
shared/reference/backend-contract.md §3, and keeps its data in the moto DynamoDB tables of the
`backend` fixture (tests/fakes/moto.py), with the items shaped exactly as contract §4. Tokens are
real Cognito tokens from moto: the "gateway" checks them against moto's JWKS.

It deliberately reproduces the deployed backend's behaviour, quirks included:

- the envelope `{success, data|error, timestamp, requestId?}` (§1.2) and which Lambda adds which
  `requestId` (the gateway's id, a fresh UUID, or none);
- gateway answers `{"message": "Unauthorized"}` (401) and `{"message": "Not Found"}` (404); both
  ID and access tokens pass the gateway, and a raw token without `Bearer ` passes it too;
- the Lambdas accept only access tokens: an ID token gets 500 from tasks/goals/chat-history and 401
  from profile/chat (§1.7, §2.4); a header without the literal `Bearer ` prefix gets 401;
- validation and not-found failures of tasks and goals are 500 with the route's message (§1.7);
- `POST /tasks` returns no taskId, `POST /goals` nests `{message: {message, goalId}}`;
- `GET /tasks` reads only the Lambdas' UTC today (`.today`), whatever `?date=` asks for;
- `GET /goals` lists only active goals; milestones have no ownership check;
- `POST /profile` (and a username change) needs the `username-index`/`email-index` GSIs that the
  CDK never creates: 500 "Database operation failed" until `add_profile_indexes()` is called;
- `DELETE /profile` removes only the Users row and the Cognito user (§7.7 actual behaviour);
- chat history is trimmed to the newest 10 messages, items carry a `ttl` 30 days ahead;
- completing a milestone's last task advances nothing, as deployed (§9: `updateMilestone` uses
  the reserved word `sequence` without a placeholder, and the error is swallowed);
  `RestBackend(backend, progression=True)` plays the handlers with `#seq` placeholders: the
  roadmap advances (§7.5 steps 1-5) but no coach tasks are generated, the would-be Coach
  invocations are recorded in `.coach_invocations` instead;
- `POST /tasks` with a whitespace-only `epicId` fails (500 "Failed to create task": the trimmed
  empty `goalId` is refused by DynamoDB, as it is an index key).

`POST /chat` cannot call Bedrock: its reply is `chat_reply(message)` (a canned echo by default);
a `chat_reply` that raises plays a Bedrock failure (503, nothing saved).

    def test_pull(rest_backend, access_token):
        rest_backend.today = date(2026, 11, 26)
        ...  # point zik at rest_backend.url
        assert rest_backend.requests[-1] == {"method": "GET", "path": "/tasks", "status": 200}
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import socket
import string
import threading
import traceback
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from email.message import Message
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from tests.fakes.moto import Backend
from tests.fakes.server import QuietServer

PINNED_TODAY = date(2026, 11, 25)  # the suite's ZIK_NOW is 2026-11-25T10:00:00Z

MAX_TITLE = 200
MAX_CHAT_MESSAGE = 5000
CHAT_KEEP = 10
CHAT_TTL = timedelta(days=30)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_USERNAME = re.compile(r"^[a-zA-Z0-9_]{3,30}$")
_MILESTONES_PATH = re.compile(r"^/goals/[A-Za-z0-9_-]+/milestones$")
_ANGLE_TAGS = re.compile(r"<[^>]*>")

TASK_FIELDS = {"taskName", "description", "dueDate", "priority", "status", "goalId", "updatedAt"}
TASK_STATUSES = {"pending", "in-progress", "completed"}
GOAL_FIELDS = {
    "goalName",
    "description",
    "targetDate",
    "category",
    "status",
    "roadmapStatus",
    "updatedAt",
}
GOAL_STATUSES = {"active", "completed", "paused"}
ROADMAP_STATUSES = {"none", "generating", "ready"}
PROTECTED_PROFILE_FIELDS = ("userId", "email", "onboardingCompleted", "createdAt", "lastLoginAt")


def default_preferences() -> dict[str, Any]:
    """UserPreferences as `POST /profile` stores them before merging what was sent (§4.5)."""
    return {
        "theme": "system",
        "notifications": {
            "email": True,
            "push": True,
            "dailyReminders": True,
            "weeklyDigest": True,
        },
        "timezone": "UTC",
        "language": "en",
        "questCategories": [],
        "privacySettings": {"shareProgress": False, "publicProfile": False},
    }


def echo_reply(message: str) -> str:
    """The default stand-in for the AI coach: short, and it shows what it was told."""
    return f"Zik (test double) heard you: {message}"


# --- small helpers ------------------------------------------------------------------------------


class Reject(Exception):
    """A Lambda's deliberate error answer: its HTTP status and the envelope's `error`."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class Invalid(Exception):
    """A validation failure inside a Lambda; the route decides what status it becomes."""


def iso(moment: datetime) -> str:
    """ISO-8601 UTC with milliseconds and Z, like JavaScript's `toISOString()`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness: empty lists and objects are truthy, unlike in Python."""
    return value not in (None, False, 0, "") if not isinstance(value, list | dict) else True


def js_length(text: str) -> int:
    """`string.length` in JavaScript counts UTF-16 code units (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def js_keys(value: Any) -> list[str]:
    """`Object.keys(value)`; null throws, as it does in Node."""
    if value is None:
        raise TypeError("Cannot convert undefined or null to object")
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, list | str):
        return [str(i) for i in range(len(value))]
    return []


def trimmed(value: Any) -> str:
    """`value.trim()`: anything but a string throws (a TypeError in Node)."""
    if not isinstance(value, str):
        raise TypeError("value.trim is not a function")
    return value.strip()


def js_date_ok(value: Any) -> bool:
    """The Lambdas' due-date check: the regex, then `new Date(value)` must not be Invalid Date.

    JavaScript accepts any day 01-31 in any month 01-12 (2025-02-30 rolls over to March)."""
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    month, day = int(value[5:7]), int(value[8:10])
    return 1 <= month <= 12 and 1 <= day <= 31


def parse_json(raw: bytes) -> Any:
    """`JSON.parse`: numbers with a fraction become Decimal (DynamoDB wants them so)."""

    def reject(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=reject)


def object_body(raw: bytes) -> Any:
    """`event.body ? JSON.parse(event.body) : {}` as the tasks and goals Lambdas read it."""
    return parse_json(raw) if raw else {}


def fields_of(body: Any) -> dict[str, Any]:
    """Destructuring `const {a} = body`: null throws, other non-objects have no fields."""
    if body is None:
        raise TypeError("Cannot destructure null")
    return body if isinstance(body, dict) else {}


def _plain(value: Any) -> Any:
    """DynamoDB values (Decimal, sets) as JSON values."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _gateway_request_id() -> str:
    """An id shaped like HTTP API's `requestContext.requestId`, e.g. `Kx3vXg2CIAMEb3Q=`."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(15)) + "="


def _is_condition_failure(error: Exception) -> bool:
    return (
        isinstance(error, ClientError)
        and error.response["Error"]["Code"] == "ConditionalCheckFailedException"
    )


# --- DynamoDB access ----------------------------------------------------------------------------


def _key_names(key: dict[str, Any], condition: str) -> dict[str, str]:
    """`#k_<attr>` placeholders for the key attributes a condition mentions (DynamoDB rejects
    unused ones)."""
    return {f"#k_{name}": name for name in key if f"#k_{name}" in condition}


def _key_values(key: dict[str, Any], condition: str) -> dict[str, Any]:
    return {f":k_{name}": value for name, value in key.items() if f":k_{name}" in condition}


class Tables:
    """The six tables through the low-level boto3 client, with plain Python values in and out."""

    def __init__(self, backend: Backend):
        self._ddb = backend.ddb
        self._names = backend.tables
        self._to = TypeSerializer()
        self._from = TypeDeserializer()

    def _item(self, plain: dict[str, Any]) -> dict[str, Any]:
        return {key: self._to.serialize(value) for key, value in plain.items()}

    def _plain(self, item: dict[str, Any]) -> dict[str, Any]:
        return {key: self._from.deserialize(value) for key, value in item.items()}

    def put(self, table: str, item: dict[str, Any], condition: str | None = None) -> None:
        extra = {"ConditionExpression": condition} if condition else {}
        self._ddb.put_item(TableName=self._names[table], Item=self._item(item), **extra)

    def get(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        found = self._ddb.get_item(TableName=self._names[table], Key=self._item(key))
        return self._plain(found["Item"]) if "Item" in found else None

    def query(
        self,
        table: str,
        condition: str,
        values: dict[str, Any],
        *,
        index: str | None = None,
        filter: str | None = None,
        names: dict[str, str] | None = None,
        forward: bool = True,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """One Query page, as the Lambdas do it (no pagination anywhere, §1.8)."""
        request: dict[str, Any] = {
            "TableName": self._names[table],
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": self._item(values),
            "ScanIndexForward": forward,
        }
        if index:
            request["IndexName"] = index
        if filter:
            request["FilterExpression"] = filter
        if names:
            request["ExpressionAttributeNames"] = names
        if limit:
            request["Limit"] = limit
        return [self._plain(item) for item in self._ddb.query(**request)["Items"]]

    def update(
        self, table: str, key: dict[str, Any], changes: dict[str, Any], condition: str
    ) -> dict[str, Any]:
        """`SET` each field of `changes` if `condition` holds (key attributes may be named in it
        as `#k_<name>`); returns the item after the update."""
        names = {f"#f{i}": name for i, name in enumerate(changes)}
        values = {f":v{i}": value for i, value in enumerate(changes.values())}
        names.update(_key_names(key, condition))
        values.update(_key_values(key, condition))
        sets = ", ".join(f"#f{i} = :v{i}" for i in range(len(changes)))
        result = self._ddb.update_item(
            TableName=self._names[table],
            Key=self._item(key),
            UpdateExpression=f"SET {sets}",
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=self._item(values),
            ReturnValues="ALL_NEW",
        )
        return self._plain(result["Attributes"])

    def delete(self, table: str, key: dict[str, Any], condition: str | None = None) -> None:
        extra: dict[str, Any] = {}
        if condition:
            extra = {"ConditionExpression": condition}
            if names := _key_names(key, condition):
                extra["ExpressionAttributeNames"] = names
            if values := _key_values(key, condition):
                extra["ExpressionAttributeValues"] = self._item(values)
        self._ddb.delete_item(TableName=self._names[table], Key=self._item(key), **extra)


# --- routing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lambda:
    """How one of the five Lambdas authenticates and reports failures (§1.2, §1.7, §2.4)."""

    name: str
    request_id: str  # "gateway" (the API Gateway id), "uuid" (fresh per request) or "none"
    header_message: str  # 401 when the header lacks the literal "Bearer " prefix
    token_status: int  # when the verifier rejects the token (e.g. an ID token)
    token_message: str
    db_failure: str | None = None  # a DynamoDB error; None: the route's own failure message
    other_failure: str | None = None  # any other error; None: the route's own failure message


_HEADER = "Missing or invalid authorization header"
_EXPIRED = "Invalid or expired token"
_INTERNAL = "Internal server error"
TASKS = Lambda("ManageQuests", "gateway", _HEADER, 500, _INTERNAL)
GOALS = Lambda("ManageGoals", "gateway", _HEADER, 500, _INTERNAL)
PROFILE = Lambda(
    "ManageProfile", "uuid", _HEADER, 401, _EXPIRED, "Database operation failed", _INTERNAL
)
CHAT = Lambda(
    "ChatHandler",
    "uuid",
    "Missing or invalid Authorization header",
    401,
    _EXPIRED,
    "Database operation failed. Please try again later.",
    "An unexpected error occurred. Please try again later.",
)
CHAT_HISTORY = Lambda(
    "ManageChatHistory", "none", _HEADER, 500, _INTERNAL, "Database operation failed", _INTERNAL
)


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Lambda
    action: str  # the RestBackend method that implements it
    failure: str = ""  # the route's 500 message (tasks and goals)
    ids_on_errors_only: bool = False  # GET /goals and its milestones omit requestId on success


def _route(
    method: str, path: str, handler: Lambda, action: str, failure: str = "", **kw: Any
) -> Route:
    pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$")
    return Route(method, pattern, handler, action, failure, **kw)


ROUTES = [
    _route("GET", "/tasks", TASKS, "get_tasks", "Failed to retrieve tasks"),
    _route("POST", "/tasks", TASKS, "create_task", "Failed to create task"),
    _route("PUT", "/tasks/{taskId}", TASKS, "update_task", "Failed to update task"),
    _route("DELETE", "/tasks/{taskId}", TASKS, "delete_task", "Failed to delete task"),
    _route(
        "GET", "/goals", GOALS, "get_goals", "Failed to retrieve goals", ids_on_errors_only=True
    ),
    _route("POST", "/goals", GOALS, "create_goal", "Failed to create goal"),
    _route("PUT", "/goals/{goalId}", GOALS, "update_goal", "Failed to update goal"),
    _route("DELETE", "/goals/{goalId}", GOALS, "delete_goal", "Failed to delete goal"),
    _route(
        "GET",
        "/goals/{goalId}/milestones",
        GOALS,
        "get_milestones",
        "Failed to retrieve milestones",
        ids_on_errors_only=True,
    ),
    _route("GET", "/profile", PROFILE, "get_profile"),
    _route("POST", "/profile", PROFILE, "create_profile"),
    _route("PUT", "/profile", PROFILE, "update_profile"),
    _route("PUT", "/profile/onboarding/complete", PROFILE, "complete_onboarding"),
    _route("DELETE", "/profile", PROFILE, "delete_profile", "Failed to delete user account"),
    _route("POST", "/chat", CHAT, "chat"),
    _route("GET", "/chat-history", CHAT_HISTORY, "get_chat_history"),
    _route("DELETE", "/chat-history", CHAT_HISTORY, "delete_chat_history"),
]


def _match(method: str, raw_path: str) -> tuple[Route, re.Match[str]] | None:
    """The HTTP API's route selection: exact method, `{param}` matches one path segment."""
    for route in ROUTES:
        match = route.pattern.match(raw_path) if route.method == method else None
        if match:
            return route, match
    return None


@dataclass
class Call:
    """What a Lambda gets from the gateway: the caller, the path parameters, query and body."""

    user_id: str
    token: str  # the raw access token (the profile Lambda calls Cognito GetUser with it)
    raw_path: str
    params: dict[str, str]
    query: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    request_id: str = field(default_factory=_gateway_request_id)


# --- the server ---------------------------------------------------------------------------------


class RestBackend:
    """The fake API. `url` has no trailing slash; set `today` to move the Lambdas' UTC today."""

    def __init__(self, backend: Backend, *, progression: bool = False):
        self.backend = backend
        self.tables = Tables(backend)
        self.progression = progression
        self.today: date = datetime.now(UTC).date()
        self.chat_reply: Callable[[str], str] = echo_reply
        self.requests: list[dict[str, Any]] = []  # {"method", "path" (no query), "status"}
        self.coach_invocations: list[dict[str, Any]] = []  # {"epicId", "sequence", "userId"}
        self.errors: list[str] = []  # tracebacks of every failure that became a 500 (debugging)
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._last_chat_save: dict[str, datetime] = {}
        cognito = backend.cognito
        self._issuer = f"https://cognito-idp.{cognito.region}.amazonaws.com/{cognito.pool_id}"
        self._keys = KeySet.import_key_set(self._fetch_jwks())
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="fake-rest-backend",
            daemon=True,
        )
        self._thread.start()

    def _fetch_jwks(self) -> dict[str, Any]:
        cognito = self.backend.cognito
        address = f"{cognito.url}/{cognito.pool_id}/.well-known/jwks.json"
        with urllib.request.urlopen(address, timeout=10) as response:
            return json.loads(response.read())

    def close(self) -> None:
        """Stop serving and drop keep-alive connections so no handler thread lingers."""
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def __enter__(self) -> RestBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        """The Lambdas' clock: the real UTC time of day on `today` (so timestamps agree with it)."""
        return datetime.combine(self.today, datetime.now(UTC).timetz())

    def add_profile_indexes(self) -> None:
        """Create the Users GSIs `username-index` and `email-index` (KEYS_ONLY) that the CDK
        leaves commented out, as an operator would by hand; `POST /profile` works afterwards."""
        ddb, table = self.backend.ddb, self.backend.tables["users"]
        for index, attribute in (("username-index", "username"), ("email-index", "email")):
            ddb.update_table(
                TableName=table,
                AttributeDefinitions=[{"AttributeName": attribute, "AttributeType": "S"}],
                GlobalSecondaryIndexUpdates=[
                    {
                        "Create": {
                            "IndexName": index,
                            "KeySchema": [{"AttributeName": attribute, "KeyType": "HASH"}],
                            "Projection": {"ProjectionType": "KEYS_ONLY"},
                        }
                    }
                ],
            )

    # --- gateway ------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Message, body: bytes) -> Reply:
        """One request through the gateway and, if it gets that far, a Lambda."""
        raw_path, _, query_string = target.partition("?")
        found = _match(method, raw_path)
        if found is None:
            return Reply(404, {"message": "Not Found"})
        route, match = found
        header = headers.get("Authorization") or ""
        if self._gateway_claims(header) is None:
            return Reply(401, {"message": "Unauthorized"})
        gateway_id = _gateway_request_id()
        status, success, payload = self._invoke(route, match, raw_path, query_string, header, body)
        request_id = {"gateway": gateway_id, "uuid": str(uuid.uuid4()), "none": None}[
            route.handler.request_id
        ]
        if success and route.ids_on_errors_only:
            request_id = None
        return Reply(status, self._envelope(success, payload, request_id), gateway_id)

    def _gateway_claims(self, header: str | None) -> dict[str, Any] | None:
        """The HTTP-API JWT authorizer: the token, optionally after `Bearer `, must be signed by
        the pool, unexpired, from the pool's issuer, for the app client (`aud` or `client_id`)."""
        if not header:
            return None
        token = header.removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, self._keys, algorithms=["RS256"]).claims
        except (JoseError, ValueError, TypeError):
            return None
        audience = claims["aud"] if "aud" in claims else claims.get("client_id")
        audiences = audience if isinstance(audience, list) else [audience]
        expires = claims.get("exp")
        now = datetime.now(UTC).timestamp()
        if (
            claims.get("iss") != self._issuer
            or self.backend.cognito.client_id not in audiences
            or not isinstance(expires, int | float)
            or expires <= now
            or (isinstance(claims.get("nbf"), int | float) and claims["nbf"] > now)
        ):
            return None
        return claims

    def _lambda_user(self, header: str) -> str | None:
        """`aws-jwt-verify` as the Lambdas configure it: access tokens of the app client only."""
        claims = self._gateway_claims(header)
        if (
            claims is None
            or claims.get("token_use") != "access"
            or claims.get("client_id") != self.backend.cognito.client_id
            or not claims.get("sub")
        ):
            return None
        return str(claims["sub"])

    def _invoke(
        self,
        route: Route,
        match: re.Match[str],
        raw_path: str,
        query_string: str,
        header: str,
        body: bytes,
    ) -> tuple[int, bool, Any]:
        """Run the route's Lambda: (status, success, data or error message)."""
        lam = route.handler
        if not header.startswith("Bearer "):
            return 401, False, lam.header_message
        user_id = self._lambda_user(header)
        if user_id is None:
            return lam.token_status, False, lam.token_message
        query: dict[str, str] = {}
        for name, value in parse_qsl(query_string, keep_blank_values=True):
            query[name] = f"{query[name]},{value}" if name in query else value  # payload 2.0
        params = {name: unquote(value) for name, value in match.groupdict().items()}
        call = Call(user_id, header.removeprefix("Bearer "), raw_path, params, query, body)
        try:
            return 200, True, getattr(self, route.action)(call)
        except Reject as rejected:
            return rejected.status, False, rejected.message
        except Exception as error:  # the Lambda's catch-all: its 500 answer
            with self._lock:
                self.errors.append("".join(traceback.format_exception(error)))
            if isinstance(error, ClientError) and lam.db_failure:
                return 500, False, lam.db_failure
            return 500, False, lam.other_failure or route.failure

    def _envelope(self, success: bool, payload: Any, request_id: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {"success": success}
        body["data" if success else "error"] = payload
        body["timestamp"] = iso(self.now())
        if request_id:
            body["requestId"] = request_id
        return body

    def record(self, method: str, target: str, status: int) -> None:
        with self._lock:
            self.requests.append(
                {"method": method, "path": target.partition("?")[0], "status": status}
            )

    # --- ManageQuests: /tasks -----------------------------------------------------------------

    def get_tasks(self, call: Call) -> dict[str, Any]:
        """Only the GSI partition of UTC today is read; other dates filter it down to nothing."""
        wanted = call.query.get("date") or self.today.isoformat()
        if not _DATE.match(wanted):
            raise Reject(400, "Invalid date format. Expected YYYY-MM-DD")
        today = self.tables.query(
            "tasks",
            "userId = :u AND dueDate = :d",
            {":u": call.user_id, ":d": self.today.isoformat()},
            index="userId-dueDate-index",
        )
        tasks = [task for task in today if task.get("dueDate") == wanted]
        return {"tasks": tasks, "count": len(tasks)}

    def create_task(self, call: Call) -> dict[str, Any]:
        """Body `title`, `dueDate`, `epicId`, `description`; no id comes back."""
        body = fields_of(object_body(call.body))
        title = body.get("title")
        if not js_truthy(title):
            raise Reject(400, "Title is required")
        name = trimmed(title)
        if not name or js_length(title) > MAX_TITLE:
            raise Invalid("Title is required and cannot be empty, at most 200 characters")
        due = body.get("dueDate")
        if js_truthy(due) and not js_date_ok(due):
            raise Invalid("Invalid due date format. Use YYYY-MM-DD")
        now = iso(self.now())
        task: dict[str, Any] = {
            "userId": call.user_id,
            "taskId": str(uuid.uuid4()),
            "taskName": name,
            "dueDate": due if js_truthy(due) else self.today.isoformat(),
            "priority": "medium",
            "status": "pending",
            "createdAt": now,
            "updatedAt": now,
        }
        if js_truthy(body.get("epicId")):
            if not trimmed(body["epicId"]):  # (an empty index key: DynamoDB refuses the put)
                raise Invalid("One or more parameter values are not valid: empty goalId")
            task["goalId"] = trimmed(body["epicId"])
        if js_truthy(body.get("description")) and trimmed(body["description"]):
            task["description"] = trimmed(body["description"])
        self.tables.put("tasks", task)
        return {"message": f"✅ Daily Quest created: '{title}'! 📅"}

    def update_task(self, call: Call) -> dict[str, Any]:
        """A partial `SET`; completing a task may advance its roadmap (§7.5)."""
        body = object_body(call.body)
        if not js_keys(body):
            raise Reject(400, "No update fields provided")
        changes = self._checked_changes(body, TASK_FIELDS)
        if js_truthy(changes.get("status")) and changes["status"] not in TASK_STATUSES:
            raise Invalid(f"Invalid status: {changes['status']}")
        if js_truthy(changes.get("dueDate")) and not js_date_ok(changes["dueDate"]):
            raise Invalid("Invalid due date format. Use YYYY-MM-DD")
        changes["updatedAt"] = iso(self.now())
        key = {"userId": call.user_id, "taskId": call.params["taskId"]}
        task = self.tables.update("tasks", key, changes, "#k_userId = :k_userId")
        if changes.get("status") == "completed" and self.progression:
            self._progress(call.user_id, call.params["taskId"])
        return {"message": f"✅ Quest updated: '{task.get('taskName', 'undefined')}'! 🔄"}

    def delete_task(self, call: Call) -> dict[str, Any]:
        """Reads the name, then deletes; no roadmap re-check (§3.4)."""
        key = {"userId": call.user_id, "taskId": call.params["taskId"]}
        task = self.tables.get("tasks", key)
        if task is None:
            raise Invalid("Task not found")
        self.tables.delete("tasks", key, "#k_userId = :k_userId")
        return {"message": f"✅ Quest deleted: '{task.get('taskName', 'undefined')}'! 🗑️"}

    @staticmethod
    def _checked_changes(body: Any, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise Invalid("Invalid fields")  # a string or list has keys "0", "1", …
        unknown = sorted(set(body) - allowed)
        if unknown:
            raise Invalid(f"Invalid fields: {', '.join(unknown)}")
        return dict(body)

    # --- milestone progression (§7.5) ---------------------------------------------------------

    def _progress(self, user_id: str, task_id: str) -> None:
        """Steps 1-5 of §7.5; errors are swallowed, as the Lambda only logs them."""
        try:
            self._advance(user_id, task_id)
        except Exception:
            with self._lock:
                self.errors.append(traceback.format_exc())

    def _advance(self, user_id: str, task_id: str) -> None:
        task = self.tables.get("tasks", {"userId": user_id, "taskId": task_id}) or {}
        milestone_id, goal_id = task.get("milestoneId"), task.get("goalId")
        if not milestone_id or not goal_id:
            return
        siblings = self.tables.query(
            "tasks", "userId = :u", {":u": user_id, ":m": milestone_id}, filter="milestoneId = :m"
        )
        if any(t.get("status") in ("pending", "in-progress") for t in siblings):
            return
        milestones = self.tables.query("milestones", "epicId = :e", {":e": goal_id})
        current = next((m for m in milestones if m.get("milestoneId") == milestone_id), None)
        if current is None:
            return
        now = iso(self.now())
        self._set_milestone(goal_id, current["sequence"], "completed", now)
        following = self.tables.query(
            "milestones",
            "epicId = :e AND #s > :s",
            {":e": goal_id, ":s": current["sequence"]},
            names={"#s": "sequence"},
            limit=1,
        )
        if following:
            sequence = following[0]["sequence"]
            self._set_milestone(goal_id, sequence, "active", now)
            with self._lock:  # the Coach would now generate this milestone's tasks (not here)
                entry = {"epicId": goal_id, "sequence": _plain(sequence), "userId": user_id}
                self.coach_invocations.append(entry)
        else:
            key = {"userId": user_id, "goalId": goal_id}
            changes = {"status": "completed", "updatedAt": now}
            self.tables.update("goals", key, changes, "#k_userId = :k_userId")

    def _set_milestone(self, epic_id: str, sequence: Any, status: str, now: str) -> None:
        key = {"epicId": epic_id, "sequence": sequence}
        changes = {"status": status, "updatedAt": now}
        self.tables.update("milestones", key, changes, "attribute_exists(#k_epicId)")

    # --- ManageGoals: /goals ------------------------------------------------------------------

    def get_goals(self, call: Call) -> dict[str, Any]:
        """Active goals only (§3.5)."""
        goals = self.tables.query(
            "goals",
            "userId = :u",
            {":u": call.user_id, ":a": "active"},
            filter="#st = :a",
            names={"#st": "status"},
        )
        return {"goals": goals, "count": len(goals)}

    def create_goal(self, call: Call) -> dict[str, Any]:
        """Body `goalName` only; the answer nests `{message, goalId}` under `message`."""
        body = fields_of(object_body(call.body))
        goal_name = body.get("goalName")
        if not js_truthy(goal_name):
            raise Reject(400, "goalName is required")
        name = trimmed(goal_name)
        if not name or js_length(goal_name) > MAX_TITLE:
            raise Invalid("Title is required and cannot be empty, at most 200 characters")
        now = iso(self.now())
        goal = {
            "userId": call.user_id,
            "goalId": str(uuid.uuid4()),
            "goalName": name,
            "status": "active",
            "roadmapStatus": "none",
            "createdAt": now,
            "updatedAt": now,
        }
        self.tables.put("goals", goal)
        message = f"✅ Epic Quest created: '{goal_name}'! 🎯"
        return {"message": {"message": message, "goalId": goal["goalId"]}}

    def update_goal(self, call: Call) -> dict[str, Any]:
        """Only the two enums are validated; no side effects (§3.7)."""
        body = object_body(call.body)
        if not js_keys(body):
            raise Reject(400, "No update fields provided")
        changes = self._checked_changes(body, GOAL_FIELDS)
        if js_truthy(changes.get("status")) and changes["status"] not in GOAL_STATUSES:
            raise Invalid(f"Invalid status for epic: {changes['status']}")
        roadmap = changes.get("roadmapStatus")
        if js_truthy(roadmap) and roadmap not in ROADMAP_STATUSES:
            raise Invalid(f"Invalid roadmapStatus: {roadmap}")
        changes["updatedAt"] = iso(self.now())
        key = {"userId": call.user_id, "goalId": call.params["goalId"].strip()}
        goal = self.tables.update("goals", key, changes, "#k_userId = :k_userId")
        return {"message": f"✅ Quest updated: '{goal.get('goalName', 'undefined')}'! 🔄"}

    def delete_goal(self, call: Call) -> dict[str, Any]:
        """No cascade: milestones and tasks stay (§3.8)."""
        key = {"userId": call.user_id, "goalId": call.params["goalId"].strip()}
        goal = self.tables.get("goals", key)
        if goal is None:
            raise Invalid("Goal not found")
        self.tables.delete("goals", key, "#k_userId = :k_userId")
        return {"message": f"✅ Quest deleted: '{goal.get('goalName', 'undefined')}'! 🗑️"}

    def get_milestones(self, call: Call) -> dict[str, Any]:
        """By epicId, sequence ascending, for any caller (no ownership check, §3.9)."""
        if not _MILESTONES_PATH.match(call.raw_path):
            return self.get_goals(call)  # the Lambda's own path test fails: it lists goals
        milestones = self.tables.query("milestones", "epicId = :e", {":e": call.params["goalId"]})
        return {"milestones": milestones, "count": len(milestones)}

    # --- ManageProfile: /profile --------------------------------------------------------------

    def _touch_last_login(self, user_id: str) -> None:
        """Bump `lastLoginAt` if the profile exists; failures are ignored."""
        changes = {"lastLoginAt": iso(self.now())}
        with contextlib.suppress(ClientError):
            self.tables.update("users", {"userId": user_id}, changes, "attribute_exists(#k_userId)")

    def get_profile(self, call: Call) -> dict[str, Any]:
        self._touch_last_login(call.user_id)
        profile = self.tables.get("users", {"userId": call.user_id})
        if profile is None:
            raise Reject(404, "Profile not found")
        return {"profile": profile}

    def create_profile(self, call: Call) -> dict[str, Any]:
        """Validation in the order of §3.11; uniqueness goes through the (missing) GSIs."""
        body = self._profile_body(call.body)
        self._touch_last_login(call.user_id)  # runs before the profile exists: a no-op
        labels = {"username": "Username", "firstName": "First name", "lastName": "Last name"}
        for key, label in labels.items():
            if not js_truthy(body.get(key)):
                raise Reject(400, f"{label} is required")
        email = self._cognito_email(call.token)
        values = {key: trimmed(body[key]) for key in labels}
        for key, label in labels.items():
            if not values[key]:
                raise Reject(400, f"{label} is required and cannot be empty")
        username = self._username(values["username"])
        first = self._name(values["firstName"], "First name")
        last = self._name(values["lastName"], "Last name")
        display = self._display_name(body.get("displayName"))
        self._check_unique("username-index", "username", username, "Username is already taken")
        self._check_unique("email-index", "email", email, "Email is already registered")
        now = iso(self.now())
        preferences = body.get("preferences")
        profile: dict[str, Any] = {
            "userId": call.user_id,
            "email": email,
            "username": username,
            "firstName": first,
            "lastName": last,
            "preferences": merge_preferences(
                default_preferences(), preferences if isinstance(preferences, dict) else {}
            ),
            "onboardingCompleted": False,
            "createdAt": now,
            "updatedAt": now,
        }
        if display is not None:
            profile["displayName"] = display
        try:
            self.tables.put("users", profile, "attribute_not_exists(userId)")
        except ClientError as error:
            if _is_condition_failure(error):
                raise Reject(400, "User profile already exists") from error
            raise
        return {"message": "Profile created successfully", "profile": profile}

    def update_profile(self, call: Call) -> dict[str, Any]:
        """Partial update; protected fields dropped, preferences merged (§3.12)."""
        body = self._profile_body(call.body)
        if not body:
            raise Reject(400, "Request body cannot be empty.")
        for name in PROTECTED_PROFILE_FIELDS:
            if js_truthy(body.get(name)):
                del body[name]
        current = self.tables.get("users", {"userId": call.user_id})
        if current is None:
            raise Reject(400, "User profile not found")
        changes = self._profile_changes(body, current)
        now = iso(self.now())
        changes.update({"updatedAt": now, "lastLoginAt": now})
        profile = self.tables.update(
            "users", {"userId": call.user_id}, changes, "attribute_exists(#k_userId)"
        )
        return {"message": "Profile updated successfully", "profile": profile}

    def _profile_changes(self, body: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if "username" in body:
            changes["username"] = self._username(body["username"])
            if changes["username"] != current.get("username"):
                self._check_unique(
                    "username-index", "username", changes["username"], "Username is already taken"
                )
        if "firstName" in body:
            changes["firstName"] = self._name(body["firstName"], "First name")
        if "lastName" in body:
            changes["lastName"] = self._name(body["lastName"], "Last name")
        if "displayName" in body:
            changes["displayName"] = self._display_name(body["displayName"])
        if "avatarUrl" in body:
            changes["avatarUrl"] = body["avatarUrl"] if js_truthy(body["avatarUrl"]) else None
        if isinstance(body.get("preferences"), dict):
            base = current.get("preferences")
            changes["preferences"] = merge_preferences(
                base if isinstance(base, dict) else {}, body["preferences"]
            )
        return changes

    def complete_onboarding(self, call: Call) -> dict[str, Any]:
        now = iso(self.now())
        changes = {"onboardingCompleted": True, "updatedAt": now, "lastLoginAt": now}
        try:
            self.tables.update(
                "users", {"userId": call.user_id}, changes, "attribute_exists(#k_userId)"
            )
        except ClientError as error:
            if _is_condition_failure(error):
                raise Reject(400, "User profile not found") from error
            raise
        return {"message": "Onboarding completed successfully"}

    def delete_profile(self, call: Call) -> dict[str, Any]:
        """The deployed behaviour (§7.7): the Users row and the Cognito user go, nothing else."""
        if self.tables.get("users", {"userId": call.user_id}) is None:
            raise Reject(404, "User profile not found")
        try:
            self.tables.delete("users", {"userId": call.user_id})
        except ClientError as error:
            raise Reject(500, "Failed to delete user account") from error
        cognito = self.backend.cognito
        with contextlib.suppress(ClientError):  # AdminDeleteUser errors are swallowed
            cognito.idp.admin_delete_user(UserPoolId=cognito.pool_id, Username=call.user_id)
        return {"message": "User account and all associated data have been permanently deleted"}

    @staticmethod
    def _profile_body(raw: bytes) -> dict[str, Any]:
        try:
            body = parse_json(raw) if raw else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise Reject(400, "Invalid or missing request body")
        return body

    def _cognito_email(self, token: str) -> str:
        try:
            user = self.backend.cognito.idp.get_user(AccessToken=token)
        except ClientError as error:
            raise Reject(400, "Email is required") from error
        attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
        if not attributes.get("email"):
            raise Reject(400, "Email is required")
        return attributes["email"].strip().lower()

    @staticmethod
    def _username(value: Any) -> str:
        username = trimmed(value)
        if not username:
            raise Reject(400, "Username is required and cannot be empty")
        if not _USERNAME.match(username):
            raise Reject(
                400,
                "Username must be 3-30 characters and contain only letters, numbers, "
                "and underscores",
            )
        return username

    @staticmethod
    def _display_name(value: Any) -> str | None:
        """Optional, at most 100 characters; an empty value is stored as NULL."""
        if not js_truthy(value):
            return None
        display = trimmed(value)
        if js_length(display) > 100:
            raise Reject(400, "Display name cannot exceed 100 characters")
        return display

    @staticmethod
    def _name(value: Any, label: str) -> str:
        name = trimmed(value)
        if not name:
            raise Reject(400, f"{label} is required and cannot be empty")
        if js_length(name) > 50:
            raise Reject(400, f"{label} cannot exceed 50 characters")
        return name

    def _check_unique(self, index: str, attribute: str, value: str, taken: str) -> None:
        """A Query on a Users GSI; without the GSI DynamoDB fails and the Lambda answers 500."""
        found = self.tables.query("users", f"{attribute} = :v", {":v": value}, index=index)
        if found:
            raise Reject(400, taken)

    # --- ChatHandler: POST /chat --------------------------------------------------------------

    def chat(self, call: Call) -> dict[str, Any]:
        """Both messages saved (the user's only after the "model" answered), trimmed to 10."""
        try:
            body = parse_json(call.body) if call.body else {}
        except ValueError as error:
            raise Reject(400, "Invalid JSON in request body") from error
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, str) or not message:
            raise Reject(400, "Missing or invalid message field")
        if js_length(message) > MAX_CHAT_MESSAGE:
            raise Reject(400, "Message too long. Maximum 5000 characters allowed.")
        try:
            reply = _ANGLE_TAGS.sub("", self.chat_reply(message)).strip()
        except Exception as error:
            raise Reject(
                503, "AI service temporarily unavailable. Please try again later."
            ) from error
        self._save_message(call.user_id, "user", message)
        self._save_message(call.user_id, "assistant", reply)
        self._trim_chat(call.user_id, keep=CHAT_KEEP)
        return {"response": reply}

    def _save_message(self, user_id: str, role: str, content: str) -> None:
        """The timestamp is the sort key: keep a user's saves at least 1 ms apart, as Bedrock's
        latency does for the real Lambda (the double answers within the same millisecond)."""
        with self._lock:
            moment = self.now()
            last = self._last_chat_save.get(user_id)
            if last is not None and moment <= last:
                moment = last + timedelta(milliseconds=1)
            self._last_chat_save[user_id] = moment
        self.tables.put(
            "chat",
            {
                "userId": user_id,
                "timestamp": iso(moment),
                "messageId": str(uuid.uuid4()),
                "role": role,
                "content": content,
                "ttl": int((moment + CHAT_TTL).timestamp()),
            },
        )

    def _messages(self, user_id: str, *, newest: int | None = None) -> list[dict[str, Any]]:
        """Oldest first; with `newest`, only that many of the latest."""
        found = self.tables.query(
            "chat",
            "userId = :u",
            {":u": user_id},
            forward=newest is None,
            limit=newest,
        )
        return found if newest is None else list(reversed(found))

    def _trim_chat(self, user_id: str, keep: int) -> int:
        messages = self._messages(user_id)
        doomed = messages[: max(0, len(messages) - keep)]
        for message in doomed:
            self.tables.delete("chat", {"userId": user_id, "timestamp": message["timestamp"]})
        return len(doomed)

    # --- ManageChatHistory: /chat-history -----------------------------------------------------

    def get_chat_history(self, call: Call) -> dict[str, Any]:
        messages = self._messages(call.user_id, newest=CHAT_KEEP)
        return {"messages": messages, "count": len(messages)}

    def delete_chat_history(self, call: Call) -> dict[str, Any]:
        before = len(self._messages(call.user_id))
        self._trim_chat(call.user_id, keep=0)
        after = len(self._messages(call.user_id))
        return {"deletedMessages": before - after, "message": "All chat history cleared"}


def merge_preferences(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Shallow merge, one level deeper for `notifications` and `privacySettings` (§3.11)."""
    merged = {**base, **extra}
    for name in ("notifications", "privacySettings"):
        if isinstance(base.get(name), dict) and isinstance(extra.get(name), dict):
            merged[name] = {**base[name], **extra[name]}
    return merged


# --- HTTP plumbing ------------------------------------------------------------------------------


class _Server(QuietServer):
    fake: RestBackend


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.fake._lock:
            self.server.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.fake._lock:
            self.server.fake._connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _serve(self) -> None:
        fake = self.server.fake
        body = self._read_body()
        try:
            reply = fake.handle(self.command, self.path, self.headers, body)
        except Exception:  # a crash of the fake itself: API Gateway's own 500
            with fake._lock:
                fake.errors.append(traceback.format_exc())
            reply = Reply(500, {"message": "Internal Server Error"})
        fake.record(self.command, self.path, reply.status)
        payload = json.dumps(reply.body, ensure_ascii=False, default=_plain).encode("utf-8")
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("apigw-requestid", reply.request_id)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return b"".join(self._chunks())
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _chunks(self) -> Iterator[bytes]:
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailers, then the blank line
                    pass
                return
            yield self.rfile.read(size)
            self.rfile.readline()


# --- pytest fixture -----------------------------------------------------------------------------


@pytest.fixture
def rest_backend(backend: Backend) -> Iterator[RestBackend]:
    """A running RestBackend on the test's moto tables, its UTC today pinned to 2026-11-25."""
    fake = RestBackend(backend)
    fake.today = PINNED_TODAY
    try:
        yield fake
    finally:
        fake.close()
