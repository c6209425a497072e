"""A real `moto_server` for the Cognito user pool that `zik cloud` signs in to.

One server per test session (it starts in ~0.3 s); every test that asks for `cognito` gets a reset
server with a fresh user pool, an app client like the backend's (USER_PASSWORD_AUTH and
REFRESH_TOKEN_AUTH, no secret) and one confirmed user, ada@example.com / Secret123!. boto3 reaches
it through `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, so in-process calls and `zik` run as a
subprocess both use it (shared/reference/deps.md §3).

    def test_login(cognito, zik):
        zik("cloud", "setup", *cognito.setup_args())
        cognito.add_user("grace@example.com", confirmed=False)
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

EMAIL = "ada@example.com"
PASSWORD = "Secret123!"
REGION = "us-east-1"
# The test's own boto3 client signs with these; zik itself sends no credentials to Cognito.
DUMMY_ACCESS_KEY = "AKIDMOTOTESTKEY"
DUMMY_SECRET = "moto-dummy-secret-never-stored"


def free_port() -> int:
    """A port nothing listens on (at least right now): also useful as a "network down" endpoint."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _moto_server_binary() -> str:
    beside = Path(sys.executable).parent / "moto_server"
    found = str(beside) if beside.exists() else shutil.which("moto_server")
    if not found:
        pytest.skip("moto_server is not installed")
    return found


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when pytest dies, even by SIGKILL (Linux only), so
    a killed test run leaves no moto_server behind."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


@contextlib.contextmanager
def serve() -> Iterator[str]:
    """Run a `moto_server` on a free port of 127.0.0.1; yields its URL (bench/ uses it too)."""
    port = free_port()
    process = subprocess.Popen(
        [_moto_server_binary(), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {process.returncode} before serving")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"moto_server did not listen on {port} within 10 s"
                    ) from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A `moto_server` for the whole session; yields its URL."""
    with serve() as url:
        yield url


@dataclass
class Cognito:
    """The test's user pool on moto, and a boto3 client to look at it or change it."""

    url: str
    pool_id: str
    client_id: str
    idp: Any  # a boto3 cognito-idp client pointed at moto
    email: str = EMAIL
    password: str = PASSWORD
    region: str = REGION

    def setup_args(self) -> list[str]:
        """The options of `zik cloud setup` for this pool."""
        return ["--user-pool-id", self.pool_id, "--client-id", self.client_id]

    def add_user(self, email: str, password: str = PASSWORD, *, confirmed: bool = True) -> str:
        """Sign up a user (confirmed or not); returns its `sub`."""
        result = self.idp.sign_up(
            ClientId=self.client_id,
            Username=email,
            Password=password,
            UserAttributes=[{"Name": "email", "Value": email}],
        )
        if confirmed:
            self.idp.admin_confirm_sign_up(UserPoolId=self.pool_id, Username=email)
        return result["UserSub"]

    def add_unconfirmed_user(self, email: str, password: str = PASSWORD) -> str:
        return self.add_user(email, password, confirmed=False)

    def delete_user(self, body: dict[str, Any]) -> Any:
        """Cognito DeleteUser (the user deleting itself with its access token), which moto
        lacks: for a FaultProxy in front of this pool, `proxy.answer("DeleteUser", …)`."""
        import base64
        import json

        from botocore.exceptions import ClientError

        from tests.fakes.faults import aws_reply

        try:
            payload = str(body["AccessToken"]).split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            user = self.idp.get_user(AccessToken=body["AccessToken"])["Username"]
        except (KeyError, IndexError, ValueError):
            return aws_reply(400, {"__type": "NotAuthorizedException", "message": "Invalid token"})
        except ClientError as e:
            error = e.response["Error"]
            return aws_reply(400, {"__type": error["Code"], "message": error["Message"]})
        assert claims.get("token_use") in (None, "access")
        self.idp.admin_delete_user(UserPoolId=self.pool_id, Username=user)
        return aws_reply(200, {})


def _reset(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def new_pool(url: str) -> Cognito:
    """A fresh user pool + app client like the backend's on the moto at `url`, with
    ada@example.com confirmed."""
    import boto3

    idp = boto3.Session().client(
        "cognito-idp",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=DUMMY_ACCESS_KEY,
        aws_secret_access_key=DUMMY_SECRET,
    )
    pool_id = idp.create_user_pool(PoolName="zik-user-pool", UsernameAttributes=["email"])[
        "UserPool"
    ]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="zik-app-client",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    fake = Cognito(url=url, pool_id=pool_id, client_id=client_id, idp=idp)
    fake.add_user(EMAIL, PASSWORD)
    return fake


@pytest.fixture
def cognito(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Cognito:
    """A fresh user pool on the session's (reset) moto, and the environment pointing boto3
    (and zik) at it."""
    _reset(moto_server)
    fake = new_pool(moto_server)
    monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", moto_server)
    return fake


# The backend's six tables (reference/backend-contract.md §4.1): setting name -> physical name,
# key schema, and the one GSI the CDK really creates.
TABLES: dict[str, dict[str, Any]] = {
    "goals": {
        "name": "ZikBackendStack-GoalsTable-TEST",
        "keys": [("userId", "S"), ("goalId", "S")],
    },
    "tasks": {
        "name": "ZikBackendStack-TasksTable-TEST",
        "keys": [("userId", "S"), ("taskId", "S")],
        "gsi": ("userId-dueDate-index", [("userId", "S"), ("dueDate", "S")]),
    },
    "users": {"name": "ZikBackendStack-UsersTable-TEST", "keys": [("userId", "S")]},
    "routines": {
        "name": "ZikBackendStack-RecurrenceRulesTable-TEST",
        "keys": [("userId", "S"), ("recurrenceRuleId", "S")],
    },
    "chat": {
        "name": "ZikBackendStack-ChatMessagesTable-TEST",
        "keys": [("userId", "S"), ("timestamp", "S")],
    },
    "milestones": {
        "name": "ZikBackendStack-MilestonesTable-TEST",
        "keys": [("epicId", "S"), ("sequence", "N")],
    },
}


def _create_table(ddb: Any, spec: dict[str, Any]) -> None:
    attributes = dict(spec["keys"])
    schema = [
        {"AttributeName": name, "KeyType": kind}
        for (name, _), kind in zip(spec["keys"], ("HASH", "RANGE"), strict=False)
    ]
    extra: dict[str, Any] = {}
    if "gsi" in spec:
        index, keys = spec["gsi"]
        attributes.update(dict(keys))
        extra["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": keys[0][0], "KeyType": "HASH"},
                    {"AttributeName": keys[1][0], "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ]
    ddb.create_table(
        TableName=spec["name"],
        KeySchema=schema,
        AttributeDefinitions=[
            {"AttributeName": n, "AttributeType": t} for n, t in attributes.items()
        ],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )


@dataclass
class Backend:
    """The backend's Cognito pool and its six DynamoDB tables on moto."""

    cognito: Cognito
    ddb: Any  # a boto3 dynamodb client pointed at moto
    tables: dict[str, str]  # setting name (goals, tasks, …) -> physical table name

    def setup_args(self) -> list[str]:
        """`zik cloud setup` options for the dynamodb remote of this backend."""
        args = [*self.cognito.setup_args(), "--remote", "dynamodb"]
        for name, physical in self.tables.items():
            args += ["--table", f"{name}={physical}"]
        return args

    def items(self, table: str) -> list[dict[str, Any]]:
        """Every item of one table (plain Python values, numbers as int), through all pages."""
        from boto3.dynamodb.types import TypeDeserializer

        plain = TypeDeserializer()

        def python(value: Any) -> Any:
            if isinstance(value, Decimal):
                return int(value)
            if isinstance(value, list):
                return [python(v) for v in value]
            if isinstance(value, dict):
                return {k: python(v) for k, v in value.items()}
            return value

        return [
            {k: python(plain.deserialize(v)) for k, v in item.items()}
            for item in self.raw_items(table)
        ]

    def raw_items(self, table: str) -> list[dict[str, Any]]:
        """Every item of one table as DynamoDB types it ({"S": …}, {"N": …})."""
        found: list[dict[str, Any]] = []
        for page in self.ddb.get_paginator("scan").paginate(TableName=self.tables[table]):
            found += page["Items"]
        return found


def new_backend(cognito: Cognito) -> Backend:
    """The backend's six tables, created on the moto of `cognito`."""
    import boto3

    ddb = boto3.Session().client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=cognito.url,
        aws_access_key_id=DUMMY_ACCESS_KEY,
        aws_secret_access_key=DUMMY_SECRET,
    )
    for spec in TABLES.values():
        _create_table(ddb, spec)
    return Backend(cognito, ddb, {name: spec["name"] for name, spec in TABLES.items()})


# What a self-hosting user's environment holds for the dynamodb remote on this moto: dummy AWS
# credentials (for moto only, so the AI stays offline).
def backend_env(url: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": url,
        "AWS_ENDPOINT_URL_DYNAMODB": url,
        "AWS_ACCESS_KEY_ID": DUMMY_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET,
        "AWS_REGION": REGION,
        "ZIK_AI_PROVIDER": "offline",
    }


@pytest.fixture
def backend(cognito: Cognito, monkeypatch: pytest.MonkeyPatch) -> Backend:
    """The Zik backend's pool and tables on a fresh moto; boto3 (and zik) pointed at it, with
    dummy AWS credentials in the environment as a self-hosting user would have."""
    for name, value in backend_env(cognito.url).items():
        monkeypatch.setenv(name, value)
    return new_backend(cognito)
