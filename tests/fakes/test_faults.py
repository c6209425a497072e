"""Prove the fault proxy is faithful: real boto3 (against moto) and urllib see each fault the way
they would see it from a real network, and the proxy's log says what happened."""

from __future__ import annotations

import contextlib
import http.client
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError
from botocore.retries.standard import ExponentialBackoff

from tests.fakes import faults
from tests.fakes.faults import FaultProxy, writes
from tests.fakes.moto import DUMMY_ACCESS_KEY, DUMMY_SECRET, REGION, Backend, free_port

fault_proxy = faults.fault_proxy  # the fixture under test


_session: list[boto3.Session] = []  # one session for the module: new clients load no models


def dynamodb(url: str, *, read_timeout: float = 5, **retries: Any) -> Any:
    """A real client; by default one attempt per call, so each call is one request."""
    if not _session:
        _session.append(boto3.Session())
    return _session[0].client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=DUMMY_ACCESS_KEY,
        aws_secret_access_key=DUMMY_SECRET,
        config=Config(
            retries=retries or {"total_max_attempts": 1},
            read_timeout=read_timeout,
            connect_timeout=2,
        ),
    )


def task(task_id: str = "t1") -> dict[str, Any]:
    return {"userId": {"S": "u1"}, "taskId": {"S": task_id}, "taskName": {"S": "Run 5 km"}}


def key(task_id: str = "t1") -> dict[str, Any]:
    return {"userId": {"S": "u1"}, "taskId": {"S": task_id}}


@dataclass
class Moto:
    """Two fresh tables on the session's moto (cheaper than `backend`, which builds a user pool)."""

    url: str
    ddb: Any  # a direct client, past the proxy
    tasks: str
    goals: str

    def stored(self, task_id: str = "t1") -> bool:
        return "Item" in self.ddb.get_item(TableName=self.tasks, Key=key(task_id))


def _create(ddb: Any, name: str, sort_key: str) -> None:
    ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "userId", "KeyType": "HASH"},
            {"AttributeName": sort_key, "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "userId", "AttributeType": "S"},
            {"AttributeName": sort_key, "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


@pytest.fixture
def moto(moto_server: str) -> Moto:
    ddb = dynamodb(moto_server)
    suffix = uuid.uuid4().hex[:8]
    found = Moto(moto_server, ddb, f"faults-tasks-{suffix}", f"faults-goals-{suffix}")
    _create(ddb, found.tasks, "taskId")
    _create(ddb, found.goals, "goalId")
    return found


@pytest.fixture
def ddb_proxy(moto: Moto, fault_proxy: Any) -> FaultProxy:
    return fault_proxy(moto.url)


@pytest.fixture
def client(ddb_proxy: FaultProxy) -> Any:
    return dynamodb(ddb_proxy.url)


# --- a REST double ----------------------------------------------------------------------------------


class _RestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        self.server.received.append(
            {"method": self.command, "path": self.path, "host": self.headers["Host"], "body": body}
        )
        payload = json.dumps({"method": self.command, "path": self.path, "body": body}).encode()
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("Content-Type", "application/json")
        if self.path.startswith("/chunked"):
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in (payload[:5], payload[5:]):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve


class _RestServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


@pytest.fixture
def rest() -> Iterator[ThreadingHTTPServer]:
    """A tiny REST server that echoes each request as JSON and keeps them in `.received`."""
    server = _RestServer(("127.0.0.1", 0), _RestHandler)
    server.received = []  # type: ignore[attr-defined]
    server.url = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def rest_proxy(rest: Any, fault_proxy: Any) -> FaultProxy:
    return fault_proxy(rest.url)


def call(url: str, method: str = "GET", body: dict[str, Any] | None = None) -> Any:
    """One urllib request; returns (status, headers, parsed JSON body)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.headers, json.loads(response.read())


# --- DynamoDB through the proxy ---------------------------------------------------------------------


def test_put_and_get_pass_through(backend: Backend, fault_proxy: Any) -> None:
    proxy = fault_proxy(backend.cognito.url)
    client, table = dynamodb(proxy.url), backend.tables["tasks"]
    client.put_item(TableName=table, Item=task())
    assert client.get_item(TableName=table, Key=key())["Item"]["taskName"] == {"S": "Run 5 km"}
    assert backend.items("tasks") == [{"userId": "u1", "taskId": "t1", "taskName": "Run 5 km"}]
    assert proxy.operations() == ["PutItem", "GetItem"]
    assert proxy.log[0] == {
        "method": "POST",
        "path": "/",
        "operation": "PutItem",
        "table": table,
        "tables": [table],
        "status": 200,
        "fault": None,
        "forwarded": True,
    }


def test_drop_after_performs_the_write(backend: Backend, fault_proxy: Any) -> None:
    proxy = fault_proxy(backend.cognito.url).script("drop_after")
    with pytest.raises(ConnectionClosedError):
        dynamodb(proxy.url).put_item(TableName=backend.tables["tasks"], Item=task())
    assert len(backend.items("tasks")) == 1  # the client saw a failure, yet the item is there
    assert (proxy.log[0]["status"], proxy.log[0]["fault"]) == (None, "drop_after")
    assert proxy.operations() == ["PutItem"]


def test_throttle_is_a_throttling_exception(moto: Moto, ddb_proxy: FaultProxy, client: Any) -> None:
    ddb_proxy.script("throttle")
    with pytest.raises(ClientError) as caught:
        client.put_item(TableName=moto.tasks, Item=task())
    response = caught.value.response
    assert response["Error"]["Code"] == "ThrottlingException"
    assert response["Error"]["Message"] == "Rate of requests exceeds the allowed throughput."
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == "ThrottlingException"
    assert not moto.stored()
    assert ddb_proxy.log[0]["status"] == 400 and ddb_proxy.operations() == []


def test_error500_is_an_internal_server_error(
    moto: Moto, ddb_proxy: FaultProxy, client: Any
) -> None:
    ddb_proxy.script("error500")
    with pytest.raises(ClientError) as caught:
        client.put_item(TableName=moto.tasks, Item=task())
    assert caught.value.response["Error"]["Code"] == "InternalServerError"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert not moto.stored()


def test_drop_closes_without_forwarding(moto: Moto, ddb_proxy: FaultProxy, client: Any) -> None:
    ddb_proxy.script("drop")
    with pytest.raises(ConnectionClosedError):
        client.put_item(TableName=moto.tasks, Item=task())
    assert not moto.stored()
    entry = ddb_proxy.log[0]
    assert (entry["operation"], entry["table"], entry["status"]) == ("PutItem", moto.tasks, None)
    assert (entry["fault"], entry["forwarded"]) == ("drop", False)


def test_slow_delays_then_forwards(moto: Moto, ddb_proxy: FaultProxy, client: Any) -> None:
    ddb_proxy.slow_seconds = 0.1
    ddb_proxy.script("slow", "slow")
    started = time.monotonic()
    client.put_item(TableName=moto.tasks, Item=task())
    assert time.monotonic() - started >= 0.1
    impatient = dynamodb(ddb_proxy.url, read_timeout=0.03)
    with pytest.raises(ReadTimeoutError):
        impatient.put_item(TableName=moto.tasks, Item=task("t2"))
    deadline = time.monotonic() + 2
    while not moto.stored("t2") and time.monotonic() < deadline:
        time.sleep(0.02)  # the proxy still forwards after the client gave up
    assert moto.stored("t2")
    assert ddb_proxy.faults() == ["slow", "slow"]


def test_botocore_standard_retries_recover_from_every_error_fault(
    moto: Moto, ddb_proxy: FaultProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    delays: list[int] = []

    def no_wait(self: Any, context: Any) -> float:
        delays.append(context.attempt_number)
        return 0.0  # the real backoff is up to 1 s for a throttle: keep the test fast

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", no_wait)
    ddb_proxy.script("throttle", "error500", "drop")
    patient = dynamodb(ddb_proxy.url, mode="standard", total_max_attempts=4)
    patient.put_item(TableName=moto.tasks, Item=task())
    assert delays == [1, 2, 3]  # standard mode retried each fault
    assert ddb_proxy.faults() == ["throttle", "error500", "drop", None]
    assert ddb_proxy.operations() == ["PutItem"]
    assert moto.stored()


def test_log_lists_the_tables_of_a_batch_write(
    moto: Moto, ddb_proxy: FaultProxy, client: Any
) -> None:
    goal = {"userId": {"S": "u1"}, "goalId": {"S": "g1"}}
    client.batch_write_item(
        RequestItems={
            moto.tasks: [
                {"PutRequest": {"Item": task("t1")}},
                {"PutRequest": {"Item": task("t2")}},
            ],
            moto.goals: [{"PutRequest": {"Item": goal}}],
        }
    )
    client.batch_write_item(RequestItems={moto.tasks: [{"PutRequest": {"Item": task("t3")}}]})
    both, one = ddb_proxy.log
    assert both["operation"] == "BatchWriteItem"
    assert (both["table"], both["tables"]) == (None, [moto.tasks, moto.goals])
    assert (one["table"], one["tables"]) == (moto.tasks, [moto.tasks])  # one table: named


def test_script_is_consumed_in_order_then_passes(
    moto: Moto, ddb_proxy: FaultProxy, client: Any
) -> None:
    ddb_proxy.script("throttle", "pass", "error500")
    assert ddb_proxy.pending == 3
    outcomes = []
    for _ in range(4):
        try:
            client.describe_table(TableName=moto.tasks)
            outcomes.append("ok")
        except ClientError as error:
            outcomes.append(error.response["Error"]["Code"])
    assert outcomes == ["ThrottlingException", "ok", "InternalServerError", "ok"]
    assert ddb_proxy.pending == 0
    assert ddb_proxy.operations() == ["DescribeTable", "DescribeTable"]


def test_match_limits_faults_to_writes(moto: Moto, ddb_proxy: FaultProxy, client: Any) -> None:
    ddb_proxy.script("throttle", match=writes)
    client.get_item(TableName=moto.tasks, Key=key())
    assert ddb_proxy.pending == 1  # a read does not use up the script
    with pytest.raises(ClientError, match="ThrottlingException"):
        client.put_item(TableName=moto.tasks, Item=task())
    ddb_proxy.only({"GetItem"}).script("error500")
    client.put_item(TableName=moto.tasks, Item=task())
    with pytest.raises(ClientError, match="InternalServerError"):
        client.get_item(TableName=moto.tasks, Key=key())
    assert ddb_proxy.faults() == [None, "throttle", None, "error500"]


# --- REST through the proxy ------------------------------------------------------------------------


def test_rest_passes_method_path_query_body_and_fixes_host(
    rest: Any, rest_proxy: FaultProxy
) -> None:
    status, _, echoed = call(f"{rest_proxy.url}/tasks?since=2026-11-01", "POST", {"name": "run"})
    assert status == 201
    assert echoed == {
        "method": "POST",
        "path": "/tasks?since=2026-11-01",
        "body": '{"name": "run"}',
    }
    assert rest.received[0]["host"] == rest.url.removeprefix("http://")
    status, headers, echoed = call(f"{rest_proxy.url}/chunked")
    assert status == 200 and echoed["path"] == "/chunked"
    assert headers["Transfer-Encoding"] is None and int(headers["Content-Length"]) > 0
    assert [e["operation"] for e in rest_proxy.log] == [None, None]
    assert rest_proxy.operations() == [None, None]


@pytest.mark.parametrize(
    ("fault", "status", "message"),
    [("error500", 500, "Internal Server Error"), ("throttle", 429, "Too Many Requests")],
)
def test_rest_error_faults(
    rest: Any, rest_proxy: FaultProxy, fault: str, status: int, message: str
) -> None:
    rest_proxy.script(fault)
    with pytest.raises(urllib.error.HTTPError) as caught:
        call(f"{rest_proxy.url}/tasks", "POST", {})
    assert caught.value.code == status
    assert json.loads(caught.value.read()) == {"message": message}
    assert rest.received == []


def test_rest_drops(rest: Any, rest_proxy: FaultProxy) -> None:
    rest_proxy.script("drop", "drop_after")
    with pytest.raises(http.client.RemoteDisconnected):
        call(f"{rest_proxy.url}/tasks", "POST", {"n": 1})
    assert rest.received == []
    with pytest.raises(http.client.RemoteDisconnected):
        call(f"{rest_proxy.url}/tasks", "POST", {"n": 2})
    assert [r["body"] for r in rest.received] == ['{"n": 2}']  # drop_after reached the server
    assert [e["status"] for e in rest_proxy.log] == [None, None]


def test_random_mode_is_reproducible_with_a_seed(rest: Any, fault_proxy: Any) -> None:
    def run(seed: int) -> list[str | None]:
        proxy = fault_proxy(rest.url).randomly(rate=0.4, seed=seed, kinds=("throttle", "error500"))
        for n in range(15):
            with contextlib.suppress(urllib.error.HTTPError):
                call(f"{proxy.url}/tasks/{n}")
        return proxy.faults()

    first = run(7)
    assert first == run(7)
    assert first != run(8)
    assert {None, "throttle", "error500"} <= set(first)


def test_random_mode_respects_match(rest: Any, rest_proxy: FaultProxy) -> None:
    rest_proxy.randomly(rate=1.0, seed=1, kinds=("error500",), match=writes)
    assert call(f"{rest_proxy.url}/tasks")[0] == 200
    with pytest.raises(urllib.error.HTTPError):
        call(f"{rest_proxy.url}/tasks", "DELETE")
    rest_proxy.calm()
    assert call(f"{rest_proxy.url}/tasks", "DELETE")[0] == 200
    assert rest_proxy.faults() == [None, "error500", None]


def test_concurrent_requests_consume_the_script_exactly_once(
    rest: Any, rest_proxy: FaultProxy
) -> None:
    rest_proxy.script(*["error500"] * 8)
    codes: list[int] = []

    def one(n: int) -> None:
        try:
            codes.append(call(f"{rest_proxy.url}/tasks/{n}")[0])
        except urllib.error.HTTPError as error:
            codes.append(error.code)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert sorted(codes) == [200] * 8 + [500] * 8
    assert len(rest_proxy.log) == 16 and len(rest.received) == 8
    assert rest_proxy.faults().count("error500") == 8 and rest_proxy.pending == 0


# --- edges ------------------------------------------------------------------------------------------


def test_unreachable_target_answers_502(fault_proxy: Any) -> None:
    proxy = fault_proxy(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(urllib.error.HTTPError) as caught:
        call(f"{proxy.url}/tasks")
    assert caught.value.code == 502
    assert proxy.log[0]["status"] == 502 and proxy.operations() == []


def test_unknown_fault_names_are_refused(rest: Any, rest_proxy: FaultProxy) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        rest_proxy.script("explode")
    with pytest.raises(ValueError, match="unknown fault"):
        rest_proxy.randomly(kinds=("pass",))


def test_clear_empties_the_log_and_close_stops_serving(rest: Any) -> None:
    with FaultProxy(rest.url) as proxy:
        call(f"{proxy.url}/tasks")
        assert len(proxy.log) == 1
        proxy.clear()
        assert proxy.log == []
    with pytest.raises(urllib.error.URLError):
        call(f"{proxy.url}/tasks")
