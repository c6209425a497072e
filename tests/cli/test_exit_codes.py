"""The exits that bad input cannot reach: busy database (75), Ctrl-C (130), an unexpected bug (1)."""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli.helpers import assert_json_error, assert_one_line_error, dump
from zik.store import db as db_module
from zik.store import records


def test_busy_database_is_temporary(zik, zik_home, monkeypatch):
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 1)  # give up at once instead of waiting 10 s
    assert zik("task", "add", "before").code == 0
    other = sqlite3.connect(zik_home / "zik.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        line = assert_one_line_error(zik("task", "add", "blocked"), 75)
        assert "busy" in line or "locked" in line
        error = assert_json_error(zik("--json", "task", "add", "blocked"), 75, "temporary")
        assert "try again" in error["message"]
        other.execute("ROLLBACK")
    finally:
        other.close()
    names = [t["taskName"] for t in zik("--json", "task", "list").data]
    assert names == ["before"]


def _interrupt_after_insert(monkeypatch):
    real_insert = records.insert

    def insert_then_interrupt(conn, record):
        real_insert(conn, record)
        raise KeyboardInterrupt

    monkeypatch.setattr(records, "insert", insert_then_interrupt)


def test_ctrl_c_mid_write_rolls_back(zik, conn, monkeypatch):
    zik("task", "add", "existing")
    before = dump(conn)
    _interrupt_after_insert(monkeypatch)
    line = assert_one_line_error(zik("task", "add", "half-written"), 130)
    assert "interrupted" in line
    assert dump(conn) == before


def test_ctrl_c_with_json(zik, conn, monkeypatch):
    zik("today")
    _interrupt_after_insert(monkeypatch)
    assert_json_error(zik("--json", "quest", "new", "Q", "--no-plan"), 130, "interrupted")


@pytest.mark.parametrize("json_flag", [False, True])
def test_unexpected_error_is_one_line_exit_1(zik, conn, monkeypatch, json_flag):
    zik("today")
    before = dump(conn)

    def broken(*args, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(records, "insert", broken)
    args = ["task", "add", "x"] + (["--json"] if json_flag else [])
    result = zik(*args)
    if json_flag:
        error = assert_json_error(result, 1, result.error["code"])
        assert "something broke" in error["message"]
        assert "--debug" in error["hint"]
    else:
        line = assert_one_line_error(result, 1)
        assert "RuntimeError" in line and "something broke" in line and "--debug" in line
    assert dump(conn) == before
