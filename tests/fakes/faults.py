"""A fault-injecting HTTP proxy for the cloud-sync tests: a real server on 127.0.0.1 between zik and
one of its backends (moto's DynamoDB, or the REST double), relaying every request unless its plan
says to break it.

Why a proxy and not a mocked client: boto3 and urllib go through their real code paths (SigV4,
retries, botocore's error parsing, urllib's exceptions), and a write that "fails" after reaching
the server really happened on the server. Point zik at `proxy.url` instead of the real endpoint
(for DynamoDB: `AWS_ENDPOINT_URL_DYNAMODB`).

Faults (`FAULTS`), chosen per request by the plan:

- "drop": read the request, close the socket without an answer; nothing is forwarded.
- "drop_after": forward the request (the write happens), then close without relaying the answer.
- "error500": answer 500 without forwarding (DynamoDB: `InternalServerError`).
- "throttle": answer without forwarding; DynamoDB: 400 `ThrottlingException`, REST: 429.
- "slow": wait `proxy.slow_seconds` (default 0.3), then forward normally.

`meanwhile(callback, match=...)` runs the callback once, just before the first matching request
is forwarded, while its client waits: another device's whole sync between this one's pull and
its writes, the interleaving of two syncs at the same time.

The plan: scripted faults first, one per matching request ("pass" lets one through), then the
seeded random mode if one is set, else pass. `only(match)` (or `match=` on `script`/`randomly`)
limits faults to some requests; the others pass without consuming the plan.

    def test_sync_survives_a_lost_write(backend, fault_proxy, monkeypatch):
        proxy = fault_proxy(backend.cognito.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", proxy.url)
        proxy.script("drop_after", match=faults.writes)
        ...
        assert proxy.operations().count("PutItem") == 2
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import random
import socket
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import pytest

from tests.fakes.server import QuietServer

PASS = "pass"
FAULTS = ("drop", "drop_after", "error500", "throttle", "slow")
DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810."
DYNAMODB_ERROR_NAMESPACE = "com.amazonaws.dynamodb.v20120810"
DYNAMODB_WRITES = frozenset(
    {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
)
REST_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Headers that belong to one connection (RFC 9110 §7.6.1), plus the ones the proxy recomputes.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "expect",
        "host",
        "content-length",
    }
)
_NO_BODY_STATUSES = frozenset({204, 304})


@dataclass(frozen=True)
class Request:
    """What the proxy knows about one incoming request; match predicates receive this."""

    method: str
    path: str  # path and query, as the client sent it
    operation: str | None  # the X-Amz-Target suffix ("PutItem"), None for REST requests
    table: str | None  # TableName, or the only table a batch/transaction touches
    tables: tuple[str, ...]  # every table named in the body, in order, without repeats
    dynamodb: bool  # X-Amz-Target starts with DynamoDB_20120810.
    body: bytes = field(repr=False)


Match = Callable[[Request], bool] | str | Iterable[str] | None


def writes(request: Request) -> bool:
    """A match for writes: DynamoDB write operations, or REST POST/PUT/PATCH/DELETE."""
    if request.operation is not None:
        return request.operation in DYNAMODB_WRITES
    return request.method in REST_WRITES


def _always(request: Request) -> bool:
    return True


def _as_predicate(match: Match) -> Callable[[Request], bool]:
    """None matches everything; strings are operation names; a callable is used as it is."""
    if match is None:
        return _always
    if callable(match):
        return match
    names = frozenset([match] if isinstance(match, str) else match)
    return lambda request: request.operation in names


# --- reading requests -----------------------------------------------------------------------------


def _read_chunked(rfile: BinaryIO) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int(rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while rfile.readline() not in (b"\r\n", b"\n", b""):  # skip trailers
                pass
            return b"".join(parts)
        parts.append(rfile.read(size))
        rfile.readline()  # the CRLF after each chunk


def _read_body(headers: Message, rfile: BinaryIO) -> bytes | None:
    """The request body, or None when the request has none (no Content-Length, not chunked)."""
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        return _read_chunked(rfile)
    length = headers.get("Content-Length")
    if length is None:
        return None
    return rfile.read(int(length))


def _tables_in(body: dict[str, Any]) -> tuple[str, ...]:
    """Table names in a DynamoDB request: TableName, batch RequestItems, transaction items."""
    names: list[str] = []
    if isinstance(body.get("TableName"), str):
        names.append(body["TableName"])
    if isinstance(body.get("RequestItems"), dict):
        names.extend(body["RequestItems"])
    for item in body.get("TransactItems") or []:
        for action in item.values() if isinstance(item, dict) else []:
            if isinstance(action, dict) and isinstance(action.get("TableName"), str):
                names.append(action["TableName"])
    return tuple(dict.fromkeys(names))


def _json_object(raw: bytes | None) -> dict[str, Any]:
    try:
        parsed = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def describe(method: str, path: str, headers: Message, body: bytes | None) -> Request:
    """Classify a request: its DynamoDB operation and tables (if any)."""
    target = headers.get("X-Amz-Target") or ""
    operation = target.rsplit(".", 1)[-1] if target else None
    payload = _json_object(body) if operation else {}
    tables = _tables_in(payload)
    table = payload.get("TableName")
    if not isinstance(table, str):
        table = tables[0] if len(tables) == 1 else None
    return Request(
        method=method,
        path=path,
        operation=operation,
        table=table,
        tables=tables,
        dynamodb=target.startswith(DYNAMODB_TARGET_PREFIX),
        body=body or b"",
    )


# --- replies --------------------------------------------------------------------------------------


_JSON = ("Content-Type", "application/json")


@dataclass
class _Reply:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes = b""


def _json_reply(status: int, payload: dict[str, Any], headers: list[tuple[str, str]]) -> _Reply:
    reason = http.client.responses.get(status, "")
    return _Reply(status, reason, headers, json.dumps(payload).encode("utf-8"))


def _aws_error(request: Request, status: int, code: str, message: str) -> _Reply:
    """An error as DynamoDB sends it; botocore reads the code after the `#` of `__type`."""
    error_type = f"{DYNAMODB_ERROR_NAMESPACE}#{code}" if request.dynamodb else code
    headers = [
        ("Content-Type", "application/x-amz-json-1.0"),
        ("x-amzn-RequestId", str(uuid.uuid4())),
    ]
    if code == "ThrottlingException":
        headers.append(("x-amzn-ErrorType", code))
    return _json_reply(status, {"__type": error_type, "message": message}, headers)


def aws_reply(status: int, payload: dict[str, Any]) -> _Reply:
    """An answer as the AWS JSON protocols send it (an error: {"__type": code, "message"})."""
    headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "proxy")]
    return _json_reply(status, payload, headers)


def fault_reply(fault: str, request: Request) -> _Reply:
    """The answer for "error500" or "throttle", shaped for DynamoDB or for REST."""
    aws = request.operation is not None
    if fault == "error500":
        if aws:
            return _aws_error(request, 500, "InternalServerError", "Internal server error")
        return _json_reply(500, {"message": "Internal Server Error"}, [_JSON])
    if fault == "throttle":
        if aws:
            message = "Rate of requests exceeds the allowed throughput."
            return _aws_error(request, 400, "ThrottlingException", message)
        return _json_reply(429, {"message": "Too Many Requests"}, [_JSON])
    raise ValueError(f"{fault!r} is not answered by the proxy")


def _bad_gateway(request: Request, error: Exception) -> _Reply:
    message = f"fault proxy: target unreachable: {error}"
    if request.operation is not None:
        return _aws_error(request, 502, "BadGateway", message)
    return _json_reply(502, {"message": message}, [_JSON])


# --- the plan -------------------------------------------------------------------------------------


def _check(kinds: Iterable[str], allowed: tuple[str, ...]) -> tuple[str, ...]:
    kinds = tuple(kinds)
    unknown = [kind for kind in kinds if kind not in allowed]
    if unknown:
        raise ValueError(f"unknown fault(s) {unknown}; choose from {', '.join(allowed)}")
    return kinds


class _Plan:
    """Which fault the next request gets. Not thread-safe by itself: the proxy holds its lock."""

    def __init__(self) -> None:
        self.queue: deque[str] = deque()
        self.match: Callable[[Request], bool] = _always
        self.rng: random.Random | None = None
        self.rate = 0.0
        self.kinds: tuple[str, ...] = ()

    def next_fault(self, request: Request) -> str | None:
        if not self.match(request):
            return None
        if self.queue:
            chosen = self.queue.popleft()
            return None if chosen == PASS else chosen
        if self.rng is not None:
            roll = self.rng.random()  # drawn for every matching request: same seed, same sequence
            return self.rng.choice(self.kinds) if roll < self.rate else None
        return None


# --- the proxy ------------------------------------------------------------------------------------


class FaultProxy:
    """Relays HTTP to `target_url`, injecting faults; read `log` afterwards."""

    def __init__(self, target_url: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(target_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"FaultProxy relays plain http only, not {target_url!r}")
        self.target_url = target_url
        self._target_host = parts.hostname
        self._target_port = parts.port or 80
        self._target_netloc = parts.netloc
        self._target_base = parts.path.rstrip("/")
        self.timeout = timeout  # for each forwarded request
        self.slow_seconds = 0.3
        self._lock = threading.Lock()
        self._plan = _Plan()
        self._log: list[dict[str, Any]] = []
        self._meanwhile: list[tuple[Callable[[Request], bool], Callable[[], None]]] = []
        self._answers: dict[str, Callable[[dict[str, Any]], _Reply]] = {}
        self._server_clock: Callable[[], datetime] | None = None
        self._connections: set[socket.socket] = set()
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # shutdown() waits up to one poll; keep teardown fast
            name="fault-proxy",
            daemon=True,
        )
        self._thread.start()

    # --- planning ---

    def script(self, *faults: str, match: Match = None) -> FaultProxy:
        """Queue faults (or "pass"), one per matching request; after the queue, pass."""
        queued = _check(faults, (*FAULTS, PASS))
        with self._lock:
            self._plan.queue.extend(queued)
        if match is not None:
            self.only(match)
        return self

    def randomly(
        self,
        rate: float = 0.2,
        seed: int = 0,
        kinds: Iterable[str] = FAULTS,
        *,
        match: Match = None,
    ) -> FaultProxy:
        """Fault each matching request with probability `rate`, kind drawn from `kinds`;
        reproducible for a given seed and order of requests."""
        chosen = _check(kinds, FAULTS)
        if not chosen or not 0 <= rate <= 1:
            raise ValueError("randomly() needs 0 <= rate <= 1 and at least one kind")
        with self._lock:
            self._plan.rng = random.Random(seed)
            self._plan.rate = rate
            self._plan.kinds = chosen
        if match is not None:
            self.only(match)
        return self

    def only(self, match: Match) -> FaultProxy:
        """Fault only requests that match: a predicate on `Request` (e.g. `writes`), an operation
        name or a collection of them; None matches every request again."""
        predicate = _as_predicate(match)
        with self._lock:
            self._plan.match = predicate
        return self

    def meanwhile(self, callback: Callable[[], None], *, match: Match = None) -> FaultProxy:
        """Run `callback` once, before the first request that matches is forwarded (callbacks
        queue: each matching request runs the next one)."""
        with self._lock:
            self._meanwhile.append((_as_predicate(match), callback))
        return self

    def answer(self, operation: str, reply: Callable[[dict[str, Any]], _Reply]) -> FaultProxy:
        """Answer an operation here rather than forward it: what the target lacks (moto has no
        Cognito DeleteUser). `reply` gets the request's JSON body (see `aws_reply`)."""
        with self._lock:
            self._answers[operation] = reply
        return self

    def clock(self, now: Callable[[], datetime]) -> FaultProxy:
        """Answer with this `Date` (the server's clock as a client sees it), so that a test
        can set how far each device's clock is from the server's."""
        self._server_clock = now
        return self

    def _run_meanwhile(self, request: Request) -> None:
        """The first callback waiting for this request, if any (one per request)."""
        with self._lock:
            due = next((hook for hook in self._meanwhile if hook[0](request)), None)
            if due is not None:
                self._meanwhile.remove(due)
        if due is not None:
            due[1]()

    def calm(self) -> None:
        """Forget the script, the random mode, the match and the callbacks not yet run: every
        request passes."""
        with self._lock:
            self._plan = _Plan()
            self._meanwhile.clear()

    @property
    def pending(self) -> int:
        """How many scripted entries have not been used yet."""
        with self._lock:
            return len(self._plan.queue)

    def _choose(self, request: Request) -> str | None:
        with self._lock:
            return self._plan.next_fault(request)

    # --- the log ---

    @property
    def log(self) -> list[dict[str, Any]]:
        """A snapshot of the request log, oldest first. Each entry: method, path, operation,
        table, tables, status (what the client got; None when dropped), fault (None when passed)
        and forwarded (whether the target received the request)."""
        with self._lock:
            return [dict(entry) for entry in self._log]

    def operations(self) -> list[str | None]:
        """Operations the target received and answered (passed, slow, or drop_after)."""
        return [entry["operation"] for entry in self.log if entry["forwarded"]]

    def faults(self) -> list[str | None]:
        """The fault of each logged request (None for those that passed)."""
        return [entry["fault"] for entry in self.log]

    def clear(self) -> None:
        """Empty the log (the plan stays)."""
        with self._lock:
            self._log.clear()

    def _record(
        self, request: Request, status: int | None, fault: str | None, forwarded: bool
    ) -> None:
        entry = {
            "method": request.method,
            "path": request.path,
            "operation": request.operation,
            "table": request.table,
            "tables": list(request.tables),
            "status": status,
            "fault": fault,
            "forwarded": forwarded,
        }
        with self._lock:
            self._log.append(entry)

    # --- forwarding ---

    def _pause(self) -> None:
        self._closing.wait(self.slow_seconds)  # close() cuts the wait short

    def _forward(self, method: str, path: str, headers: Message, body: bytes | None) -> _Reply:
        """Send the request to the target and read the whole answer (raises OSError)."""
        conn = http.client.HTTPConnection(
            self._target_host, self._target_port, timeout=self.timeout
        )
        try:
            conn.putrequest(
                method, self._target_base + path, skip_host=True, skip_accept_encoding=True
            )
            for name, value in _upstream_headers(headers, self._target_netloc, body):
                conn.putheader(name, value)
            conn.endheaders(body)
            response = conn.getresponse()
            data = response.read()
            headers = _relayed(response, method)
            if self._server_clock is not None:
                date = email.utils.format_datetime(self._server_clock(), usegmt=True)
                headers = [(k, v) for k, v in headers if k.lower() != "date"] + [("Date", date)]
            return _Reply(response.status, response.reason, headers, data)
        finally:
            conn.close()

    # --- lifecycle ---

    def close(self) -> None:
        """Stop serving, wake slow requests and cut open connections."""
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _upstream_headers(headers: Message, netloc: str, body: bytes | None) -> list[tuple[str, str]]:
    kept = [(name, value) for name, value in headers.items() if name.lower() not in _HOP_BY_HOP]
    kept += [("Host", netloc), ("Connection", "close")]
    if body is not None:
        kept.append(("Content-Length", str(len(body))))
    return kept


def _relayed(response: http.client.HTTPResponse, method: str) -> list[tuple[str, str]]:
    """The target's headers for the client: no hop-by-hop, a Content-Length that fits."""
    kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
    length = response.getheader("Content-Length")
    if method == "HEAD" or response.status in _NO_BODY_STATUSES:
        return kept + ([("Content-Length", length)] if length is not None else [])
    return kept  # the handler adds Content-Length for the body it writes


# --- HTTP plumbing --------------------------------------------------------------------------------


class _Server(QuietServer):
    request_queue_size = 64  # a burst of parallel clients must not wait on a full listen backlog
    proxy: FaultProxy


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # a client that connects and says nothing does not hold a thread forever
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.proxy._lock:
            self.server.proxy._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.proxy._lock:
            self.server.proxy._connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""

    def _relay(self) -> None:
        self.close_connection = True  # one request per connection: no keep-alive surprises
        proxy = self.server.proxy
        body = _read_body(self.headers, self.rfile)
        request = describe(self.command, self.path, self.headers, body)
        proxy._run_meanwhile(request)
        own = proxy._answers.get(request.operation or "")
        if own is not None:
            self._answer(proxy, request, own(_json_object(body)), None, forwarded=False)
            return
        fault = proxy._choose(request)
        if fault == "drop":
            proxy._record(request, None, fault, forwarded=False)
            return  # the server closes the socket: the client sees no response at all
        if fault in ("error500", "throttle"):
            self._answer(proxy, request, fault_reply(fault, request), fault, forwarded=False)
            return
        if fault == "slow":
            proxy._pause()
        try:
            reply = proxy._forward(self.command, self.path, self.headers, body)
        except (OSError, http.client.HTTPException) as error:
            self._answer(proxy, request, _bad_gateway(request, error), fault, forwarded=False)
            return
        if fault == "drop_after":
            proxy._record(request, None, fault, forwarded=True)
            return  # the target did the work; the client never hears of it
        self._answer(proxy, request, reply, fault, forwarded=True)

    def _answer(
        self, proxy: FaultProxy, request: Request, reply: _Reply, fault: str | None, forwarded: bool
    ) -> None:
        # Log first: once the client has its answer, the test may read the log at once.
        proxy._record(request, reply.status, fault, forwarded)
        self._send(reply)

    def _send(self, reply: _Reply) -> None:
        has_body = self.command != "HEAD" and reply.status not in _NO_BODY_STATUSES
        try:
            self.send_response_only(reply.status, reply.reason or None)
            for name, value in reply.headers:
                self.send_header(name, value)
            if has_body:
                self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if has_body:
                self.wfile.write(reply.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its read timeout); nothing to do

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _relay


# --- pytest fixture -------------------------------------------------------------------------------


@pytest.fixture
def fault_proxy() -> Iterator[Callable[[str], FaultProxy]]:
    """`fault_proxy(target_url)` starts a FaultProxy; every one is closed at teardown."""
    proxies: list[FaultProxy] = []

    def make(target_url: str) -> FaultProxy:
        proxy = FaultProxy(target_url)
        proxies.append(proxy)
        return proxy

    try:
        yield make
    finally:
        for proxy in proxies:
            proxy.close()
