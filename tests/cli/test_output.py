"""Colour and the split between stdout (data) and stderr (status)."""

from __future__ import annotations

import pytest

from tests.cli.helpers import assert_json_document, assert_one_line_error

ESC = "\x1b["


@pytest.fixture(autouse=True)
def a_task(zik):
    zik("task", "add", "Call the dentist", "-p", "high")


def test_no_colour_when_piped(zik):
    result = zik("today")
    assert result.code == 0
    assert ESC not in result.out and ESC not in result.err


def test_zik_color_always(zik, monkeypatch):
    monkeypatch.setenv("ZIK_COLOR", "always")
    assert ESC in zik("today").out


def test_color_setting_in_the_config_file(zik):
    assert zik("config", "set", "color", "always").code == 0
    assert ESC in zik("today").out
    assert ESC in zik("task", "list").out


@pytest.mark.parametrize(
    ("env", "args"),
    [
        ({"NO_COLOR": "1"}, []),
        ({"ZIK_COLOR": "never"}, []),
        ({"TERM": "dumb"}, []),
        ({}, ["--no-color"]),
    ],
)
def test_colour_can_be_turned_off_over_the_file(zik, monkeypatch, env, args):
    zik("config", "set", "color", "always")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert ESC not in zik(*args, "today").out


def test_json_is_never_coloured(zik, monkeypatch):
    monkeypatch.setenv("ZIK_COLOR", "always")
    data = assert_json_document(zik("--json", "today"))
    assert data["total"] == 1


def test_coloured_error_is_still_one_line(zik, monkeypatch):
    monkeypatch.setenv("ZIK_COLOR", "always")
    line = assert_one_line_error(zik("task", "done", "deadbeef"), 3)
    assert "deadbeef" in line


def test_status_lines_go_to_stderr_and_data_to_stdout(zik):
    result = zik("task", "list")
    assert "Call the dentist" in result.out
    assert result.err == ""
    done = zik("task", "done", zik("--json", "task", "list").data[0]["taskId"][:8])
    assert done.out == ""
    assert "Completed task" in done.err


def test_progress_prints_one_status_line_per_step_when_not_a_terminal():
    import io as stdio

    from zik.cli.io import IO

    err = stdio.StringIO()
    io = IO(out=stdio.StringIO(), err=err)
    with io.progress() as progress:
        progress.step("Planning the roadmap…")
        progress.step("Planning today's tasks…")
    assert err.getvalue() == "Planning the roadmap…\nPlanning today's tasks…\n"


def test_progress_is_silent_in_json_mode():
    import io as stdio

    from zik.cli.io import IO

    err = stdio.StringIO()
    io = IO(json_mode=True, out=stdio.StringIO(), err=err)
    with io.progress() as progress:
        progress.step("Planning the roadmap…")
    assert err.getvalue() == ""
