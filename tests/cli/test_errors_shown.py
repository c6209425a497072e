"""Errors that used to hide their cause or break the contract (issue 18): each is now one line
with its documented exit code, and leaves the database as it was."""

from __future__ import annotations

from tests.cli.helpers import assert_json_document, assert_one_line_error, dump
from zik.core import workspace


def test_a_full_disk_says_so_and_changes_nothing(zik):
    zik("task", "add", "Buy milk")
    conn = workspace.db()
    before = dump(conn)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's SQLITE_FULL, as on a full disk
    result = zik("task", "add", "Write it all down", "--description", "words " * 800)
    line = assert_one_line_error(result, 1)
    assert line.startswith("zik: the disk is full: database or disk is full"), line
    assert "rollback" not in line
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert dump(conn) == before


def test_a_days_count_too_large_is_a_usage_error(zik):
    assert_one_line_error(zik("usage", "--days", "2147483648"), 2)


def test_a_pinned_clock_zik_cannot_use_is_a_usage_error_and_creates_nothing(
    zik, zik_home, monkeypatch
):
    for pinned in ("garbage", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
        monkeypatch.setenv("ZIK_NOW", pinned)
        line = assert_one_line_error(zik("today"), 2)
        assert f"ZIK_NOW={pinned!r}" in line
    assert not (zik_home / "zik.db").exists()


def test_daily_if_due_with_json_prints_one_document_when_there_is_nothing_to_do(zik):
    zik("init", "--name", "Ada", "--timezone", "UTC", "--daily-time", "23:00")
    assert assert_json_document(zik("--json", "daily", "--if-due")) == {"due": False}
    assert zik("daily", "--if-due").out == ""  # silent for cron's mail


def test_a_stored_profile_zik_cannot_use_falls_back_and_doctor_names_it(zik):
    """A profile written by an older zik or by hand: `today` used to exit 2 (a usage error the
    person never made) and cron's `daily --if-due` crash on int('7am'); doctor said nothing."""
    zik("init", "--name", "Ada", "--timezone", "Europe/Paris")
    conn = workspace.db()
    conn.execute(
        "UPDATE profile SET timezone = 'Mars/Olympus', daily_time = '7am', daily_capacity = -5"
    )
    for command in (("today",), ("daily", "--if-due"), ("daily",), ("stats",)):
        assert zik(*command).code == 0, command
    doctor = zik("--json", "doctor").data
    (line,) = [c for c in doctor["checks"] if c["name"] == "profile"]
    assert line["status"] == "fail"
    assert "timezone 'Mars/Olympus' cannot be used" in line["detail"]
    assert "daily_time '7am'" in line["detail"] and "daily_capacity -5" in line["detail"]
    assert zik("profile", "set", "timezone", "Asia/Tokyo").code == 0
    assert [c for c in zik("--json", "doctor").data["checks"] if c["name"] == "profile"] == []


def test_a_home_that_is_a_file_or_a_database_that_is_a_folder_is_one_clear_line(
    zik, tmp_path, monkeypatch
):
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    monkeypatch.setenv("ZIK_HOME", str(afile))
    line = assert_one_line_error(zik("today"), 1)
    assert "Not a directory" in line and "unexpected" not in line, line
    home = tmp_path / "home2"
    (home / "zik.db").mkdir(parents=True)
    monkeypatch.setenv("ZIK_HOME", str(home))
    workspace.close()
    line = assert_one_line_error(zik("task", "add", "x"), 1)
    assert "Is a directory" in line and "unexpected" not in line, line
