"""Calls to the backend's REST API: the bearer token, the envelope, retries.

Every answer from a Lambda is `{"success": true, "data": …}` or `{"success": false, "error": …}`
(reference/backend-contract.md §1.2); API Gateway's own answers are `{"message": …}` (§1.3).
Throttling (429), gateway failures (500 without an envelope, 502–504) and dropped connections are
retried with exponential backoff; a 401 refreshes the access token once.
"""

from __future__ import annotations

import http.client
import json
import random
import time
import urllib.error
import urllib.request
from typing import Any

from zik.cloud import auth
from zik.errors import AccessError, TemporaryError

ATTEMPTS = 4
TIMEOUT = 20  # seconds per request (the backend's Lambdas time out after 10)
_TRANSIENT_STATUS = (429, 500, 502, 503, 504)


class Answer:
    """One HTTP answer: its status and, for a Lambda's envelope, success and data or error."""

    def __init__(self, status: int, body: Any):
        self.status = status
        self.body = body if isinstance(body, dict) else {}
        self.enveloped = "success" in self.body
        self.ok = status == 200 and self.body.get("success") is True
        self.data = self.body.get("data")
        self.error = str(self.body.get("error") or self.body.get("message") or f"HTTP {status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: urllib would send the Authorization header to wherever it
    points. The 3xx comes back as the answer, and the call fails with it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Client:
    """An HTTP client for one signed-in user."""

    def __init__(self, base_url: str):
        auth.check_url(base_url)
        self.base_url = base_url.rstrip("/")
        self._session = auth.current()
        self.sleep = time.sleep
        self.server_time: str | None = None  # the `Date` of the first answer (cloud/stamps.py)

    def call(self, method: str, path: str, body: Any = None, *, retry: bool = True) -> Answer:
        """One route, with retries for transient failures (only when `retry`: a POST that
        may have landed is checked by its caller instead)."""
        refreshed = False
        for attempt in range(ATTEMPTS):
            try:
                answer = self._send(method, path, body)
            except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
                if not retry or attempt == ATTEMPTS - 1:
                    raise TemporaryError(
                        f"cannot reach the Zik API ({_reason(e)})",
                        hint="check the network, then sync again",
                    ) from None
                self.backoff(attempt)
                continue
            if answer.status == 401 and not refreshed:
                self._session = auth.current(force_refresh=True)
                refreshed = True
                continue
            if answer.status == 401:
                raise AccessError("the Zik API refused the sign-in", hint="zik cloud login")
            transient = answer.status in _TRANSIENT_STATUS and not answer.enveloped
            if answer.status == 503 and answer.enveloped:
                transient = True  # the chat Lambda's "AI service temporarily unavailable"
            if transient and retry and attempt < ATTEMPTS - 1:
                self.backoff(attempt)
                continue
            if transient:
                raise TemporaryError(
                    f"the Zik API is not answering ({answer.status} {answer.error})",
                    hint="sync again in a minute",
                )
            return answer
        raise AssertionError("unreachable")

    def _send(self, method: str, path: str, body: Any) -> Answer:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self._session.access_token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with _OPENER.open(request, timeout=TIMEOUT) as response:
                self._dated(response.headers.get("Date"))
                return Answer(response.status, _json(response.read()))
        except urllib.error.HTTPError as e:
            self._dated(e.headers.get("Date") if e.headers else None)
            return Answer(e.code, _json(e.read()))

    def _dated(self, value: str | None) -> None:
        from zik.cloud import stamps

        self.server_time = self.server_time or stamps.http_date(value)

    def backoff(self, attempt: int) -> None:
        self.sleep(min(4.0, 0.2 * 2**attempt) * (0.5 + random.random() / 2))


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {}


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return str(reason) or type(error).__name__
