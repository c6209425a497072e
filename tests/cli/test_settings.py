"""`zik init`, `zik profile` and `zik config`."""

from __future__ import annotations

import tomllib

from tests.cli.helpers import assert_one_line_error


def test_config_set_rejects_an_unknown_provider(zik, zik_home):
    line = assert_one_line_error(zik("config", "set", "ai.provider", "nonsense"), 2)
    assert "nonsense" in line and "offline" in line
    assert not (zik_home / "config.toml").exists()
    assert zik("config", "get", "ai.provider").out == "auto\n"


def test_config_set_then_get(zik, zik_home):
    result = zik("config", "set", "ai.provider", "offline")
    assert result.code == 0
    assert "ai.provider = offline" in result.err
    got = zik("config", "get", "ai.provider")
    assert got.code == 0 and got.out == "offline\n"
    assert zik("--json", "config", "get", "ai.provider").data == {
        "key": "ai.provider",
        "value": "offline",
        "origin": "file",
    }
    with open(zik_home / "config.toml", "rb") as f:
        assert tomllib.load(f) == {"ai": {"provider": "offline"}}


def test_config_types(zik):
    assert zik("--json", "config", "set", "hooks.enabled", "off").data["value"] is False
    assert zik("--json", "config", "set", "chat.retention_days", "30").data["value"] == 30
    assert_one_line_error(zik("config", "set", "chat.retention_days", "a month"), 2)
    assert_one_line_error(zik("config", "set", "hooks.enabled", "perhaps"), 2)
    assert zik("config", "get", "chat.retention_days").out == "30\n"


def test_environment_beats_the_file(zik, monkeypatch):
    zik("config", "set", "ai.provider", "offline")
    monkeypatch.setenv("ZIK_AI_PROVIDER", "bedrock")
    data = zik("--json", "config", "get", "ai.provider").data
    assert (data["value"], data["origin"]) == ("bedrock", "env")
    monkeypatch.setenv("ZIK_MODEL", "my-model")
    assert zik("config", "get", "ai.model").out == "my-model\n"


def test_unset_returns_to_the_default(zik):
    zik("config", "set", "ai.provider", "offline")
    data = zik("--json", "config", "unset", "ai.provider").data
    assert data == {"key": "ai.provider", "value": "auto", "origin": "default"}
    assert zik("config", "get", "ai.provider").out == "auto\n"


def test_config_list(zik):
    zik("config", "set", "ai.provider", "offline")
    result = zik("config", "list")
    assert result.code == 0
    [provider] = [line for line in result.out.splitlines() if line.startswith("ai.provider")]
    assert "offline" in provider and provider.rstrip().endswith("file")
    [model] = [line for line in result.out.splitlines() if line.startswith("ai.model")]
    assert model.rstrip().endswith("default")


def test_config_path(zik, zik_home):
    result = zik("config", "path")
    assert result.code == 0
    assert result.out == f"{zik_home / 'config.toml'}\n"
    assert zik("--json", "config", "path").data == {
        "config": str(zik_home / "config.toml"),
        "database": str(zik_home / "zik.db"),
    }


def test_bare_config_prints_help(zik):
    result = zik("config")
    assert result.code == 2
    assert "Usage" in result.out + result.err


def test_profile_defaults_before_init(zik):
    data = zik("--json", "profile").data
    assert data["timezone"] == "UTC"  # the system's zone (TZ=UTC in the tests)
    assert (data["dailyTime"], data["dailyCapacity"]) == ("06:00", 90)
    assert data["onboardingCompleted"] is False
    out = zik("profile").out
    assert "run zik init" in out


def test_init_with_flags(zik):
    result = zik(
        "init",
        "--name",
        "Ada",
        "--timezone",
        "Europe/London",
        "--daily-time",
        "7:05",
        "--capacity",
        "45",
        "--focus",
        "health,  languages,",
    )
    assert result.code == 0
    assert "Saved profile (Europe/London, daily at 07:05, 45 min a day)" in result.err
    data = zik("--json", "profile").data
    assert data["name"] == "Ada"
    assert data["dailyTime"] == "07:05"
    assert data["focusAreas"] == ["health", "languages"]
    assert data["onboardingCompleted"] is True
    out = zik("profile").out
    assert "Ada" in out and "45 minutes" in out and "health, languages" in out


def test_init_keeps_fields_it_was_not_given(zik):
    zik("init", "--name", "Ada", "--capacity", "45")
    zik("init", "--timezone", "Asia/Tokyo")
    data = zik("--json", "profile").data
    assert (data["name"], data["dailyCapacity"], data["timezone"]) == ("Ada", 45, "Asia/Tokyo")


def test_profile_set(zik):
    assert zik("profile", "set", "daily-capacity", "120").code == 0
    assert zik("profile", "set", "timezone", "America/New_York").code == 0
    data = zik("--json", "profile").data
    assert (data["dailyCapacity"], data["timezone"]) == (120, "America/New_York")
    assert_one_line_error(zik("profile", "set", "daily_capacity", "2"), 2)
    assert zik("--json", "profile").data["dailyCapacity"] == 120


def test_profile_changes_are_not_undo_steps(zik):
    task = zik("--json", "task", "add", "x").data["taskId"]
    zik("profile", "set", "timezone", "Asia/Tokyo")
    assert zik("--json", "undo").data["undone"].startswith("task add")
    assert zik("--json", "profile").data["timezone"] == "Asia/Tokyo"
    assert zik("task", "done", task[:8]).code == 3
