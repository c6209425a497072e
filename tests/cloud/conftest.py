"""Devices for the sync tests: each its own ZIK_HOME, signed in to the same moto backend."""

from __future__ import annotations

import io as stdio
import sys
from pathlib import Path

import pytest

from tests.fakes.moto import EMAIL, PASSWORD
from zik.cli import io as io_module
from zik.core import workspace


class Device:
    """One machine running zik: `device("task", "add", "x")` runs a command in its ZIK_HOME."""

    def __init__(self, home: Path, zik, monkeypatch: pytest.MonkeyPatch):
        self.home, self._zik, self._monkeypatch = home, zik, monkeypatch

    def use(self) -> None:
        self._monkeypatch.setenv("ZIK_HOME", str(self.home))
        workspace.close()
        io_module._current = None

    def __call__(self, *args: str, stdin: str = ""):
        self.use()
        self._monkeypatch.setattr(sys, "stdin", stdio.StringIO(stdin))
        return self._zik(*args)

    def ok(self, *args: str, stdin: str = ""):
        result = self(*args, stdin=stdin)
        assert result.code == 0, result
        return result

    def db(self):
        self.use()
        return workspace.db()

    def sign_in(self, setup_args: list[str], email: str = EMAIL, password: str = PASSWORD):
        self.ok("cloud", "setup", *setup_args)
        self.ok("cloud", "login", "--email", email, stdin=password + "\n")
        return self


@pytest.fixture
def devices(zik, zik_home: Path, monkeypatch: pytest.MonkeyPatch):
    """devices(n) -> n Devices, the first in the test's own ZIK_HOME."""

    def make(n: int) -> list[Device]:
        homes = [zik_home] + [zik_home.parent / f"device{i}" for i in range(2, n + 1)]
        return [Device(home, zik, monkeypatch) for home in homes]

    return make
