"""A fake Amazon Bedrock runtime: a real HTTP server on 127.0.0.1 that speaks Converse/ConverseStream.

Why a server and not `botocore.stub.Stubber`: the Stubber cannot script ConverseStream, and it skips the
real response parsers. Here boto3 reaches the fake through `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, exactly as
it reaches AWS, so everything real runs: SigV4 signing, retries, the RestJSON parser, error mapping via
`x-amzn-ErrorType`, and the event-stream decoder over a chunked body that arrives piece by piece. The
same server works for in-process tests and for `zik` run as a subprocess (see shared/reference/deps.md §4).

Scripting is a FIFO queue: every request pops the next scripted response, whatever its operation, so a
retry test scripts one response per attempt. `fake.always.<reply>(...)` sets a fallback for an empty
queue; without one the server answers HTTP 500 "fake bedrock: no scripted response".
`fake.always.respond(fn)` makes the fallback a callback instead: `fn(recorded, reply)` reads the
request and scripts its one answer on `reply` (any `Script` method), for runs too long to script
(bench/simulate.py answers with tests/fakes/coach_model.py).

    def test_plan(fake_bedrock):
        fake_bedrock.reply_tool("submit_plan", {"milestones": []})
        fake_bedrock.stream([*text_events("Hello"), stop(), metadata()])
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.fakes import eventstream
from tests.fakes.server import QuietServer

FAKE_ACCESS_KEY = "AKIDFAKEFAKEFAKE"
FAKE_SECRET = "fake-secret-never-stored"  # tests assert this value never lands on disk

NO_SCRIPT_MESSAGE = "fake bedrock: no scripted response"
_ERROR_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.bedrock/"
_PATH = re.compile(r"^/model/(?P<model>[^/]+)/(?P<op>converse|converse-stream)$")
_OPERATIONS = {"converse": "Converse", "converse-stream": "ConverseStream"}
_DEFAULT_MESSAGES = {
    "ThrottlingException": "Too many requests, please wait before trying again.",
    "AccessDeniedException": "You don't have access to the model with the specified model ID.",
    "ServiceUnavailableException": "Service is unavailable. Try your request again.",
    "InternalServerException": "The server encountered an internal error.",
}
_tool_ids = itertools.count(1)


@dataclass
class Recorded:
    """One request the server received, so tests can assert what zik actually sent."""

    operation: str  # "Converse" or "ConverseStream" ("Unknown" for any other path)
    model_id: str  # URL-unquoted, e.g. "global.anthropic.claude-haiku-4-5-20251001-v1:0"
    body: dict[str, Any]
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


@dataclass(frozen=True)
class Delay:
    """A stream item that makes the server sleep before writing the next item."""

    seconds: float


StreamItem = bytes | Delay


@dataclass
class _Reply:
    status: int
    headers: dict[str, str]
    body: bytes = b""
    items: list[StreamItem] | None = None  # set for a chunked event stream
    chunk_size: int | None = None  # split each stream item into pieces of this many bytes


# --- stream item builders -----------------------------------------------------------------------


def usage(
    input_tokens: int = 100, output_tokens: int = 50, cache_read: int = 0, cache_write: int = 0
) -> dict[str, int]:
    """Bedrock's `usage` object (camelCase, totalTokens = input + output)."""
    return {
        "inputTokens": input_tokens,
        "outputTokens": output_tokens,
        "totalTokens": input_tokens + output_tokens,
        "cacheReadInputTokens": cache_read,
        "cacheWriteInputTokens": cache_write,
    }


def message_start(role: str = "assistant") -> bytes:
    """`messageStart`; `text_events` includes it, a tool-only stream needs it explicitly."""
    return eventstream.event("messageStart", {"role": role})


def _split(text: str, pieces: int | None, chunk: int | None) -> list[str]:
    if pieces is not None and chunk is not None:
        raise ValueError("give pieces= or chunk=, not both")
    if pieces is not None:
        if pieces < 1:
            raise ValueError("pieces must be >= 1")
        chunk = max(1, -(-len(text) // pieces))  # ceiling division
    chunk = chunk or 5
    return [text[i : i + chunk] for i in range(0, len(text), chunk)] or [""]


def text_events(
    text: str,
    *,
    pieces: int | None = None,
    chunk: int | None = None,
    index: int = 0,
    start: bool = True,
) -> list[StreamItem]:
    """messageStart (unless start=False), text deltas for block `index`, contentBlockStop.

    `pieces=N` splits the text into N near-equal deltas, `chunk=K` into K-character deltas (default 5).
    Like Bedrock, a text block gets no contentBlockStart.
    """
    items: list[StreamItem] = [message_start()] if start else []
    for piece in _split(text, pieces, chunk):
        delta = {"contentBlockIndex": index, "delta": {"text": piece}}
        items.append(eventstream.event("contentBlockDelta", delta))
    items.append(eventstream.event("contentBlockStop", {"contentBlockIndex": index}))
    return items


def tool_events(
    name: str,
    input_json: str | dict[str, Any],
    *,
    index: int = 1,
    piece: int = 8,
    tool_use_id: str | None = None,
) -> list[StreamItem]:
    """contentBlockStart(toolUse), the input JSON in `piece`-character deltas, contentBlockStop.

    `input_json` is sent verbatim when it is a string, so tests can stream malformed JSON.
    """
    raw = input_json if isinstance(input_json, str) else json.dumps(input_json)
    tool_use = {"toolUseId": tool_use_id or _new_tool_use_id(), "name": name}
    items: list[StreamItem] = [
        eventstream.event(
            "contentBlockStart", {"contentBlockIndex": index, "start": {"toolUse": tool_use}}
        )
    ]
    for i in range(0, len(raw), piece):
        delta = {"contentBlockIndex": index, "delta": {"toolUse": {"input": raw[i : i + piece]}}}
        items.append(eventstream.event("contentBlockDelta", delta))
    items.append(eventstream.event("contentBlockStop", {"contentBlockIndex": index}))
    return items


def stop(stop_reason: str = "end_turn") -> bytes:
    """`messageStop` with the stop reason (end_turn, tool_use, max_tokens, ...)."""
    return eventstream.event("messageStop", {"stopReason": stop_reason})


def metadata(
    input_tokens: int = 100,
    output_tokens: int = 50,
    cache_read: int = 0,
    cache_write: int = 0,
    latency_ms: int = 420,
) -> bytes:
    """The final `metadata` event carrying usage and latency."""
    payload = {
        "usage": usage(input_tokens, output_tokens, cache_read, cache_write),
        "metrics": {"latencyMs": latency_ms},
    }
    return eventstream.event("metadata", payload)


def delay(seconds: float) -> Delay:
    """Pause the stream here, to prove the client sees earlier events before later ones exist."""
    return Delay(seconds)


def stream_exception(exception_type: str, message: str = "fake in-stream error") -> bytes:
    """An in-stream exception, e.g. throttlingException or modelStreamErrorException."""
    return eventstream.exception(exception_type, message)


def _new_tool_use_id() -> str:
    return f"tooluse_fake{next(_tool_ids):04d}"


def _flatten(items: Iterable[StreamItem | Iterable[StreamItem]]) -> list[StreamItem]:
    flat: list[StreamItem] = []
    for item in items:
        if isinstance(item, bytes | Delay):
            flat.append(item)
        else:
            flat.extend(item)
    return flat


# --- scripting ------------------------------------------------------------------------------------


def _json_reply(
    status: int, payload: dict[str, Any], extra: dict[str, str] | None = None
) -> _Reply:
    headers = {"Content-Type": "application/json", **(extra or {})}
    return _Reply(status, headers, json.dumps(payload).encode("utf-8"))


def _converse_body(
    content: list[dict[str, Any]], stop_reason: str, usage_: dict[str, int] | None, latency_ms: int
) -> dict[str, Any]:
    merged = {**usage(), **(usage_ or {})}
    if usage_ and "totalTokens" not in usage_:
        merged["totalTokens"] = merged["inputTokens"] + merged["outputTokens"]
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": stop_reason,
        "usage": merged,
        "metrics": {"latencyMs": latency_ms},
    }


def _error_reply(status: int, error_type: str, message: str | None) -> _Reply:
    text = message if message is not None else _DEFAULT_MESSAGES.get(error_type, error_type)
    return _json_reply(
        status, {"message": text}, {"x-amzn-ErrorType": f"{error_type}:{_ERROR_NAMESPACE}"}
    )


class Script:
    """The ways to describe one response; subclasses decide where it goes (queue or fallback)."""

    def _add(self, reply: _Reply) -> None:
        raise NotImplementedError

    def reply_text(
        self,
        text: str,
        *,
        usage: dict[str, int] | None = None,
        stop_reason: str = "end_turn",
        latency_ms: int = 420,
    ) -> None:
        """A Converse reply with one text block. `usage` overrides keys of the default usage."""
        body = _converse_body([{"text": text}], stop_reason, usage, latency_ms)
        self._add(_json_reply(200, body))

    def reply_tool(
        self,
        name: str,
        input: dict[str, Any],
        *,
        text: str | None = None,
        usage: dict[str, int] | None = None,
        stop_reason: str = "tool_use",
        tool_use_id: str | None = None,
        latency_ms: int = 420,
    ) -> None:
        """A Converse reply with (optional text, then) a toolUse block; `input` may be any shape."""
        content: list[dict[str, Any]] = [{"text": text}] if text is not None else []
        tool = {"toolUseId": tool_use_id or _new_tool_use_id(), "name": name, "input": input}
        content.append({"toolUse": tool})
        self._add(_json_reply(200, _converse_body(content, stop_reason, usage, latency_ms)))

    def reply_tools(
        self, calls: list[tuple[str, dict[str, Any]]], *, stop_reason: str = "tool_use"
    ) -> None:
        """A Converse reply with several toolUse blocks (a model may call one tool twice)."""
        content = [
            {"toolUse": {"toolUseId": _new_tool_use_id(), "name": name, "input": input}}
            for name, input in calls
        ]
        self._add(_json_reply(200, _converse_body(content, stop_reason, None, 420)))

    def error(self, status: int, error_type: str, message: str | None = None) -> None:
        """An HTTP error as AWS sends it: `x-amzn-ErrorType` header and a JSON `message` body."""
        self._add(_error_reply(status, error_type, message))

    def stream(
        self, items: Iterable[StreamItem | Iterable[StreamItem]], *, chunk_size: int | None = None
    ) -> None:
        """A ConverseStream reply: each item is written and flushed as its own HTTP chunk.

        Items may be nested lists (e.g. `[text_events("hi"), stop(), metadata()]`). With
        `chunk_size`, each message is split over several chunks to exercise reassembly.
        """
        headers = {"Content-Type": "application/vnd.amazon.eventstream"}
        self._add(_Reply(200, headers, items=_flatten(items), chunk_size=chunk_size))


Responder = Callable[[Recorded, Script], None]


class _One(Script):
    """Collects the one reply a responder scripts for one request."""

    def __init__(self) -> None:
        self.reply: _Reply | None = None

    def _add(self, reply: _Reply) -> None:
        self.reply = reply


class _Always(Script):
    """`fake.always.error(429, "ThrottlingException")`: the answer whenever the queue is empty."""

    def __init__(self, fake: FakeBedrock):
        self._fake = fake

    def _add(self, reply: _Reply) -> None:
        with self._fake._lock:
            self._fake._default, self._fake._responder = reply, None

    def respond(self, responder: Responder) -> None:
        """Answer every unscripted request by calling `responder(recorded, reply)`.

        A callback, not a fixed reply, so a long run can be answered from what each request
        says. It runs on the server thread, outside the lock; if it raises or scripts nothing,
        that request gets HTTP 500 with the reason (so a bug in it fails loudly, not silently).
        """
        with self._fake._lock:
            self._fake._default, self._fake._responder = None, responder

    def clear(self) -> None:
        """Go back to answering 500 "no scripted response" when the queue is empty."""
        with self._fake._lock:
            self._fake._default, self._fake._responder = None, None


class FakeBedrock(Script):
    """The server. Script replies with the `Script` methods; read `requests` afterwards."""

    def __init__(self, *, tls: Path | None = None) -> None:
        """With `tls` (a folder), the server speaks HTTPS with a certificate made there for
        127.0.0.1 (`self.ca_bundle`): botocore sends a Bedrock API key only over HTTPS."""
        self._lock = threading.Lock()
        self._queue: deque[_Reply] = deque()
        self._default: _Reply | None = None
        self._responder: Responder | None = None
        self._connections: set[socket.socket] = set()
        self.requests: list[Recorded] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.ca_bundle: str | None = None
        if tls is not None:
            self.ca_bundle = _serve_tls(self._server, tls)
            self.url = f"https://{host}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},  # shutdown() waits up to one poll; keep teardown fast
            name="fake-bedrock",
            daemon=True,
        )
        self._thread.start()

    @property
    def always(self) -> _Always:
        """Set (or `.clear()`) the fallback response used when the queue is empty."""
        return _Always(self)

    @property
    def pending(self) -> int:
        """How many scripted responses have not been used yet."""
        with self._lock:
            return len(self._queue)

    def _add(self, reply: _Reply) -> None:
        with self._lock:
            self._queue.append(reply)

    def _take(self, record: Recorded) -> _Reply | None:
        with self._lock:
            self.requests.append(record)
            if self._queue:
                return self._queue.popleft()
            responder = self._responder
            if responder is None:
                return self._default
        one = _One()
        try:
            responder(record, one)
        except Exception as e:  # a broken responder is the test's bug: say so in the reply
            return _error_reply(500, "InternalServerException", f"fake bedrock responder: {e!r}")
        if one.reply is None:
            return _error_reply(500, "InternalServerException", "fake bedrock: responder gave none")
        return one.reply

    def close(self) -> None:
        """Stop serving and drop open keep-alive connections so no handler thread lingers."""
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeBedrock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- HTTP plumbing --------------------------------------------------------------------------------


def _as_stream(reply: _Reply) -> _Reply:
    """A Converse reply as the ConverseStream events Bedrock sends for the same answer, so a
    test scripts an answer once whichever way zik asks for it."""
    payload = json.loads(reply.body)
    items: list[StreamItem] = [message_start()]
    for index, block in enumerate(payload["output"]["message"]["content"]):
        if "text" in block:
            items += text_events(block["text"], index=index, start=False)
        elif "toolUse" in block:
            use = block["toolUse"]
            items += tool_events(
                use["name"], use["input"], index=index, tool_use_id=use["toolUseId"]
            )
    used = payload.get("usage") or {}
    items += [
        stop(payload.get("stopReason", "end_turn")),
        metadata(
            used.get("inputTokens", 0),
            used.get("outputTokens", 0),
            used.get("cacheReadInputTokens", 0),
            used.get("cacheWriteInputTokens", 0),
            (payload.get("metrics") or {}).get("latencyMs", 0),
        ),
    ]
    return _Reply(200, {"Content-Type": "application/vnd.amazon.eventstream"}, items=items)


def _blank_text(body: dict[str, Any]) -> str | None:
    """Bedrock's refusal of a blank text block in the messages, or None."""
    for m, message in enumerate(body.get("messages") or []):
        for c, block in enumerate(message.get("content") or []):
            if "text" in block and not str(block["text"]).strip():
                return (
                    f"The text field in the ContentBlock object at messages.{m}.content.{c} is"
                    " blank. Add text to the text field, and try again."
                )
    return None


def _serve_tls(server: Any, folder: Path) -> str:
    """Wrap the listening socket in TLS with a fresh self-signed certificate for 127.0.0.1;
    returns the certificate's path, for AWS_CA_BUNDLE."""
    import ssl
    import subprocess

    cert, key = folder / "fake-bedrock.pem", folder / "fake-bedrock.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return str(cert)


class _Server(QuietServer):
    fake: FakeBedrock


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked transfer encoding
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

    def do_POST(self) -> None:
        arrived = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {"__unparsed__": raw.decode("utf-8", "replace")}
        match = _PATH.match(urlsplit(self.path).path)
        operation = _OPERATIONS[match["op"]] if match else "Unknown"
        model_id = unquote(match["model"]) if match else ""
        record = Recorded(operation, model_id, body, dict(self.headers.items()), arrived)
        if match is None:
            with self.server.fake._lock:
                self.server.fake.requests.append(record)
            message = f"fake bedrock: unknown path {self.path}"
            self._send(_error_reply(404, "UnknownOperationException", message))
            return
        blank = _blank_text(body)
        if blank is not None:  # as Bedrock itself answers, before any model sees the request
            with self.server.fake._lock:
                self.server.fake.requests.append(record)
            self._send(_error_reply(400, "ValidationException", blank))
            return
        reply = self.server.fake._take(record)
        if reply is None:
            reply = _error_reply(500, "InternalServerException", NO_SCRIPT_MESSAGE)
        elif operation == "ConverseStream" and reply.status == 200 and reply.items is None:
            reply = _as_stream(reply)  # a reply scripted as Converse, asked for as a stream
        self._send(reply)

    def _send(self, reply: _Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.items is None:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            else:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._write_stream(reply.items, reply.chunk_size)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up mid-stream; nothing to do

    def _write_stream(self, items: list[StreamItem], chunk_size: int | None) -> None:
        for item in items:
            if isinstance(item, Delay):
                self.wfile.flush()
                time.sleep(item.seconds)
                continue
            step = chunk_size or len(item) or 1
            for i in range(0, len(item), step):
                self._write_chunk(item[i : i + step])
        self.wfile.write(b"0\r\n\r\n")

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()


# --- pytest fixture -------------------------------------------------------------------------------


def _environment(fake: FakeBedrock) -> dict[str, str]:
    env = {
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake.url,
        "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "ZIK_AI_MAX_ATTEMPTS": "2",
        # Hermetic: a developer's ~/.aws files must not change region, retries or credentials.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    if fake.ca_bundle:
        env["AWS_CA_BUNDLE"] = fake.ca_bundle
    return env


@pytest.fixture
def fake_bedrock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBedrock]:
    """A running FakeBedrock, with the environment pointing boto3 (and zik) at it."""
    with FakeBedrock() as fake:
        for name, value in _environment(fake).items():
            monkeypatch.setenv(name, value)
        yield fake


@pytest.fixture
def fake_bedrock_tls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeBedrock]:
    """The same over HTTPS (AWS_CA_BUNDLE trusts its certificate), as a Bedrock API key needs."""
    with FakeBedrock(tls=tmp_path) as fake:
        for name, value in _environment(fake).items():
            monkeypatch.setenv(name, value)
        yield fake
