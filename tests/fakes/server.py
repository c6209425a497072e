"""The HTTP server class under every fake (Bedrock, the REST backend, the fault proxy)."""

from __future__ import annotations

import sys
import traceback
from http.server import ThreadingHTTPServer
from typing import Any


class QuietServer(ThreadingHTTPServer):
    """A threaded test server whose errors never land in a test's captured stderr.

    socketserver prints a handler's exception to `sys.stderr`, which in a test is the output
    being checked: a client going away mid-reply (zik stops reading a stream at an error event,
    and under load the server may still be writing) would read as zik's own output. Such
    disconnects are normal and dropped; any other error goes to the real stderr.
    """

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        traceback.print_exc(file=sys.__stderr__)
