"""Running one hook as a process that cannot take zik down with it.

A hook is the user's program, but it runs inside every write zik makes, so its cost is bounded:
its output (stdout and stderr together) is copied to zik's stderr up to `LIMIT` bytes and the
rest is read and dropped, so a hook that floods cannot fill a disk or a terminal; and at the
timeout everything it started is killed — its process group, and any process that left the group
or the session (`setsid`) or was orphaned, found by a marker in its environment, which every
descendant inherits. When the hook itself ends, what it left running in the background stays
(a notification, say); only the timeout kills.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import time
from contextlib import suppress

LIMIT = 64 * 1024
MARKER = "ZIK_HOOK_RUN"
_CHUNK = 65536


class Ran:
    """How a hook run ended: its exit status (None when it was killed at the timeout), and how
    many bytes of its output were dropped past the limit."""

    def __init__(self, returncode: int | None, dropped: int):
        self.returncode, self.dropped = returncode, dropped


def run(path: str, data: bytes, env: dict[str, str], timeout: float, out: int | None) -> Ran:
    """Run `path` with `data` on stdin; copy its output to the file descriptor `out` (or
    nowhere). Raises OSError when it cannot start."""
    marker = os.urandom(8).hex()
    proc = subprocess.Popen(
        [path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=os.path.dirname(path),
        env={**env, MARKER: marker},
        start_new_session=True,  # its own session and group: a terminal's Ctrl-C is zik's
    )
    deadline = time.monotonic() + timeout
    try:
        dropped = _pump(proc, data, out, deadline)
        proc.wait(timeout=max(deadline - time.monotonic(), 0))
    except subprocess.TimeoutExpired:
        kill(proc, marker)
        return Ran(None, 0)
    except BaseException:  # Ctrl-C: leave nothing running behind zik
        kill(proc, marker)
        raise
    finally:
        for pipe in (proc.stdin, proc.stdout):
            with suppress(OSError):
                pipe.close()  # type: ignore[union-attr]
    return Ran(proc.returncode, dropped)


def _pump(proc: subprocess.Popen, data: bytes, out: int | None, deadline: float) -> int:
    """Feed stdin and copy output until the output ends, or the hook has ended and nothing
    more is waiting (its background children may hold the pipe open for ever), or the deadline
    passes; returns how many bytes were dropped past LIMIT."""
    stdin, stdout = proc.stdin, proc.stdout
    assert stdin is not None and stdout is not None
    os.set_blocking(stdin.fileno(), False)
    os.set_blocking(stdout.fileno(), False)
    pending = memoryview(data)
    kept = dropped = 0
    with selectors.DefaultSelector() as selector:
        selector.register(stdout, selectors.EVENT_READ)
        if pending:
            selector.register(stdin, selectors.EVENT_WRITE)
        else:
            stdin.close()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(proc.args, 0)
            ready = selector.select(min(left, 0.1))
            if not ready and proc.poll() is not None:
                return dropped
            for key, _ in ready:
                if key.fileobj is stdin:
                    try:
                        pending = pending[os.write(stdin.fileno(), pending[:_CHUNK]) :]
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:
                        pending = pending[:0]  # it does not read stdin: fine
                    if not pending:
                        selector.unregister(stdin)
                        stdin.close()
                    continue
                try:
                    chunk = os.read(stdout.fileno(), _CHUNK)
                except BlockingIOError:
                    continue
                if not chunk:
                    return dropped
                room = max(LIMIT - kept, 0)
                if room and out is not None:
                    _write_all(out, chunk[:room])
                kept += min(room, len(chunk))
                dropped += len(chunk) - min(room, len(chunk))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    with suppress(OSError):  # zik's stderr went away: the hook's output has nowhere to go
        while view:
            view = view[os.write(fd, view) :]


def kill(proc: subprocess.Popen, marker: str) -> None:
    """Kill the hook's process group and every process carrying its marker, then reap it."""
    with suppress(OSError):  # the group is gone already
        os.killpg(proc.pid, signal.SIGKILL)
    for _ in range(3):  # a process may fork while the others die: look again
        found = _marked(marker)
        if not found:
            break
        for pid in found:
            with suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    proc.wait()


def _marked(marker: str) -> list[int]:
    """The processes whose environment carries `MARKER=marker` (Linux /proc; elsewhere the
    process group kill is all there is)."""
    needle = f"{MARKER}={marker}".encode()
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []
    found = []
    for pid in pids:
        if pid == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    found.append(pid)
        except OSError:
            continue
    return found
