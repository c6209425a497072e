"""The REST client never hands the access token to anyone but the API it was set up with."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from zik.cloud import http
from zik.errors import UsageError


class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []
    target = ""

    def do_GET(self):  # noqa: N802
        type(self).seen.append(
            {"path": self.path, **{k.lower(): v for k, v in self.headers.items()}}
        )
        if self.target:
            self.send_response(302)
            self.send_header("Location", self.target + self.path)
        else:
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"success": true, "data": {}}')

    def log_message(self, *args):
        pass


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _Session:
    access_token = "secret-access-token"


def test_a_redirect_is_not_followed_with_the_token(monkeypatch):
    class Elsewhere(_Recorder):
        seen: list[dict[str, str]] = []

    class Api(_Recorder):
        seen: list[dict[str, str]] = []

    other, other_url = serve(Elsewhere)
    Api.target = other_url
    api, api_url = serve(Api)
    try:
        monkeypatch.setattr(http.auth, "current", lambda force_refresh=False: _Session())
        answer = http.Client(api_url).call("GET", "/goals")
        assert answer.status == 302 and not answer.ok
        assert Api.seen[0]["authorization"] == "Bearer secret-access-token"
        assert Elsewhere.seen == []  # never reached, so never given the token
    finally:
        api.shutdown()
        other.shutdown()


@pytest.mark.parametrize(
    "url", ["http://api.example.com/prod", "ftp://api.example.com", "https://", "api.example.com"]
)
def test_an_api_url_that_is_not_https_is_refused(url):
    with pytest.raises(UsageError):
        http.auth.check_url(url)


@pytest.mark.parametrize(
    "url", ["https://abc.execute-api.eu-west-1.amazonaws.com/prod", "http://127.0.0.1:8080"]
)
def test_https_and_plain_http_to_this_machine_are_accepted(url):
    http.auth.check_url(url)


def test_cloud_setup_refuses_a_plain_http_api_url_and_changes_nothing(zik, zik_home):
    result = zik(
        "cloud", "setup", "--user-pool-id", "eu-west-1_AbC123", "--client-id", "abc",
        "--api-url", "http://api.example.com/prod",
    )  # fmt: skip
    assert result.code == 2, result
    assert "https" in result.err
    assert (
        not (zik_home / "config.toml").exists()
        or "user_pool_id" not in (zik_home / "config.toml").read_text()
    )
