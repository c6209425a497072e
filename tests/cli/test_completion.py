"""Shell completion through Typer's own protocol: the environment a shell's completion script sets,
then `zik` run with no arguments (in this process through zik.cli.main.run, or as a process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from zik.cli.app import COMMANDS, wanted_commands
from zik.cli.main import run
from zik.core.changes import change_set
from zik.models import Milestone, Quest, Routine, Task

OPEN_SOON = "aaaa1111-0000-4000-8000-000000000001"
OPEN_LATER = "aaab2222-0000-4000-8000-000000000002"
DONE = "aaac3333-0000-4000-8000-000000000003"
OTHER = "bbbb4444-0000-4000-8000-000000000004"
GONE = "aaad5555-0000-4000-8000-000000000005"
QUEST = "cccc1111-0000-4000-8000-000000000001"
PAUSED_QUEST = "cccc2222-0000-4000-8000-000000000002"
DELETED_QUEST = "cccc3333-0000-4000-8000-000000000003"
MILESTONE = "milestone_dddd1111-0000-4000-8000-000000000001"
ROUTINE = "rule_eeee1111-0000-4000-8000-000000000001"


def shell_env(shell: str, line: str) -> dict[str, str]:
    """What Typer's completion script for `shell` puts in the environment for `line`."""
    env = {"_ZIK_COMPLETE": f"complete_{shell}"}
    if (
        shell == "bash"
    ):  # "${COMP_WORDS[*]}" under IFS=$'\n', and the index of the word at the cursor
        words = line.split() + ([""] if line.endswith(" ") else [])
        env |= {"COMP_WORDS": "\n".join(words), "COMP_CWORD": str(len(words) - 1)}
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return env


@pytest.fixture
def complete(capsys, monkeypatch):
    """complete("zsh", "zik task done ") -> stdout of the completion run (exit code checked)."""

    def invoke(shell: str, line: str) -> str:
        with monkeypatch.context() as m:
            for name, value in shell_env(shell, line).items():
                m.setenv(name, value)
            capsys.readouterr()
            with pytest.raises(SystemExit) as done:
                run([])
        out, err = capsys.readouterr()
        assert done.value.code == 0, err
        assert err == ""
        return out

    return invoke


def bash_values(out: str) -> list[str]:
    return out.splitlines()


def zsh_pairs(out: str) -> list[tuple[str, str]]:
    """("value", "help") pairs of the `_arguments '*: :(("v":"help" …))'` answer."""
    assert out.startswith("_arguments '*: :((") and out.rstrip().endswith("))'"), out
    body = out.rstrip()[len("_arguments '*: :((") : -len("))'")]
    pairs = []
    for line in body.splitlines():
        value, _, help_text = line.partition('":"')
        pairs.append((value.strip('"'), help_text.rstrip('"')))
    return pairs


@pytest.fixture
def world(conn):
    """Quests, a milestone, a routine and tasks with known ids and due dates."""
    with change_set(conn, "seed") as cs:
        cs.insert(Quest(goal_id=QUEST, goal_name="Run a half marathon"))
        cs.insert(Quest(goal_id=PAUSED_QUEST, goal_name="Learn Spanish", status="paused"))
        cs.insert(Quest(goal_id=DELETED_QUEST, goal_name="Old goal", deleted_at="2026-01-01"))
        cs.insert(Milestone(milestone_id=MILESTONE, goal_id=QUEST, sequence=1, title="Base: 5 km"))
        cs.insert(Routine(recurrence_rule_id=ROUTINE, title="Stretch", frequency="daily"))
        for key, name, due, status in (
            (DONE, "Buy shoes", "2026-11-30", "completed"),
            (OPEN_LATER, "Long run", "2026-11-28", "pending"),
            (OTHER, "Read a chapter", "2026-11-26", "pending"),
            (OPEN_SOON, "Easy run 5 km", "2026-11-25", "in-progress"),
            (GONE, "Deleted task", "2026-11-20", "pending"),
        ):
            cs.insert(Task(task_id=key, task_name=name, due_date=due, status=status))
        conn.execute("UPDATE tasks SET deleted_at = '2026-11-21' WHERE task_id = ?", (GONE,))
    return conn


# --- what the shells get --------------------------------------------------------------------------


def test_bash_lists_open_tasks_first_due_soonest_then_the_others(complete, world):
    values = bash_values(complete("bash", "zik task done "))
    assert values == ["aaaa1111", "bbbb4444", "aaab2222", "aaac3333"]


def test_zsh_shows_each_id_with_its_title(complete, world):
    pairs = zsh_pairs(complete("zsh", "zik task done "))
    assert pairs[0] == ("aaaa1111", "Easy run 5 km")
    assert ("aaac3333", "Buy shoes") in pairs
    assert "aaad5555" not in dict(pairs)  # deleted


def test_fish_shows_each_id_with_its_title(complete, world):
    lines = complete("fish", "zik task start aa").splitlines()
    assert lines == ["aaaa1111\tEasy run 5 km", "aaab2222\tLong run", "aaac3333\tBuy shoes"]


def test_a_prefix_keeps_only_the_ids_that_start_with_it(complete, world):
    assert bash_values(complete("bash", "zik task done aaa")) == [
        "aaaa1111",
        "aaab2222",
        "aaac3333",
    ]
    assert bash_values(complete("bash", "zik task done aaab")) == ["aaab2222"]
    assert bash_values(complete("bash", "zik task done bb")) == ["bbbb4444"]
    assert complete("bash", "zik task done ff") == "\n"  # nothing matches: no candidates
    assert complete("bash", "zik task done not-hex") == "\n"


def test_a_long_prefix_capitals_and_an_id_prefix_are_kept_as_typed(complete, world):
    assert bash_values(complete("bash", "zik task done aaab2222-00")) == ["aaab2222-00"]
    assert bash_values(complete("bash", "zik task done AAAB")) == ["AAAB2222"]
    assert bash_values(complete("bash", "zik milestone done milestone_d")) == ["milestone_dddd1111"]


def test_every_id_argument_completes_its_kind(complete, world):
    assert zsh_pairs(complete("zsh", "zik quest show ")) == [
        ("cccc1111", "Run a half marathon"),
        ("cccc2222", "Learn Spanish"),
    ]  # active first, deleted left out
    assert zsh_pairs(complete("zsh", "zik milestone done ")) == [("dddd1111", "Base\\\\: 5 km")]
    assert zsh_pairs(complete("zsh", "zik routine pause ")) == [("eeee1111", "Stretch")]
    assert bash_values(complete("bash", "zik task edit aaaa")) == ["aaaa1111"]
    assert bash_values(complete("bash", "zik milestone add c")) == ["cccc1111", "cccc2222"]


def test_quest_options_complete_quest_ids(complete, world):
    for line in (
        "zik task add Run --quest ",
        "zik task list -q ",
        "zik task edit aaaa1111 --quest ",
        "zik routine add Stretch --every daily --quest ",
    ):
        assert bash_values(complete("bash", line)) == ["cccc1111", "cccc2222"], line


def test_why_completes_any_record_labelled_with_its_kind(complete, world):
    pairs = dict(zsh_pairs(complete("zsh", "zik why ")))
    assert pairs["cccc1111"] == "quest · Run a half marathon"
    assert pairs["dddd1111"] == "milestone · Base\\\\: 5 km"
    assert pairs["eeee1111"] == "routine · Stretch"
    assert pairs["aaaa1111"] == "task · Easy run 5 km"


def test_titles_are_shown_as_typed_not_read_as_markup(complete, conn):
    with change_set(conn, "seed") as cs:
        cs.insert(Task(task_id=OPEN_SOON, task_name="[x] stretch [/] twice", due_date="2026-11-25"))
    assert zsh_pairs(complete("zsh", "zik task done ")) == [("aaaa1111", "[x] stretch [/] twice")]


def test_ids_sharing_their_first_eight_characters_are_shown_longer(complete, conn):
    with change_set(conn, "seed") as cs:
        for key in ("abcdef01-1111-4000-8000-000000000000", "abcdef01-2222-4000-8000-000000000000"):
            cs.insert(Task(task_id=key, task_name="Twin", due_date="2026-11-25"))
    assert sorted(bash_values(complete("bash", "zik task done "))) == [
        "abcdef01-1",
        "abcdef01-2",
    ]


def test_at_most_fifty_candidates(complete, conn):
    with change_set(conn, "seed") as cs:
        for n in range(60):
            cs.insert(Task(task_id=f"{n:08x}-0000-4000-8000-000000000000", task_name=f"T{n}",
                           due_date="2026-11-25"))  # fmt: skip
    assert len(bash_values(complete("bash", "zik task done "))) == 50


def test_without_a_database_nothing_is_offered_and_nothing_is_created(complete, zik_home):
    assert not zik_home.exists()
    assert complete("bash", "zik task done ") == "\n"
    assert complete("zsh", "zik quest show ") == "_files\n"  # Typer's answer for no candidates
    assert complete("fish", "zik why ") == "\n"
    assert not zik_home.exists()


def test_a_broken_database_completes_nothing_without_a_traceback(complete, zik_home):
    zik_home.mkdir()
    (zik_home / "zik.db").write_text("not a database")
    assert complete("bash", "zik task done ") == "\n"
    assert (zik_home / "zik.db").read_text() == "not a database"


def test_top_level_command_names_complete(complete):
    assert set(bash_values(complete("bash", "zik "))) >= set(COMMANDS)
    assert bash_values(complete("bash", "zik ta")) == ["task"]
    assert "today" in dict(zsh_pairs(complete("zsh", "zik --json to")))


def test_group_subcommands_complete(complete):
    assert {"add", "done", "list"} <= set(bash_values(complete("bash", "zik task ")))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_calls_zik_back(shell, capsys, monkeypatch):
    monkeypatch.setenv("_ZIK_COMPLETE", f"source_{shell}")
    with pytest.raises(SystemExit):
        run([])
    script = capsys.readouterr().out
    assert f"_ZIK_COMPLETE=complete_{shell}" in script


# --- which commands a completion registers --------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "line", "wanted"),
    [
        ("bash", "zik task done ", (["task"], "done")),
        ("bash", "zik task done 3f", (["task"], "done")),
        ("bash", "zik task d", (["task"], None)),
        ("zsh", "zik task done ", (["task"], "done")),
        ("zsh", "zik --json quest show 3", (["quest"], "show")),
        ("fish", "zik why ", (["why"], None)),
        ("bash", "zik ", (list(COMMANDS), None)),
        ("bash", "zik ta", (list(COMMANDS), None)),
        ("zsh", "zik --json ", (list(COMMANDS), None)),
        ("zsh", "zik nosuch ", (list(COMMANDS), None)),
    ],
)
def test_a_completion_registers_only_the_group_it_completes(shell, line, wanted, monkeypatch):
    for name, value in shell_env(shell, line).items():
        monkeypatch.setenv(name, value)
    assert wanted_commands([]) == wanted


def test_powershell_reads_the_word_to_complete_apart(monkeypatch):
    monkeypatch.setenv("_ZIK_COMPLETE", "complete_powershell")
    monkeypatch.setenv("_TYPER_COMPLETE_ARGS", "zik task done 3f")
    monkeypatch.setenv("_TYPER_COMPLETE_WORD_TO_COMPLETE", "3f")
    assert wanted_commands([]) == (["task"], "done")


def test_a_garbled_bash_line_falls_back_to_every_command(monkeypatch):
    monkeypatch.setenv("_ZIK_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "zik\ntask")
    monkeypatch.setenv("COMP_CWORD", "x")
    assert wanted_commands([]) == (list(COMMANDS), None)


SCRIPT = """
import json, sys
from zik.cli.main import run
try:
    run([])
except SystemExit as e:
    code = e.code
loaded = sorted(m for m in sys.modules if m.startswith("zik.cli.") or m.split(".")[0] in
                ("boto3", "botocore", "pydantic", "sqlite_utils", "apscheduler", "rich"))
sys.__stderr__.write(json.dumps({"code": code, "loaded": loaded}))
"""


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completing_a_task_id_imports_only_the_task_module(shell, world):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env={**os.environ, **shell_env(shell, "zik task done aa")},
        timeout=60,
    )
    seen = json.loads(done.stderr)
    assert seen["code"] == 0
    assert "aaaa1111" in done.stdout
    assert "zik.cli.tasks" in seen["loaded"]
    for module in ("zik.cli.quests", "zik.cli.chat", "zik.cli.cloud", "zik.cli.milestones"):
        assert module not in seen["loaded"]
    assert [m for m in seen["loaded"] if not m.startswith("zik.")] == []  # nor rich, boto3, …


def test_completion_works_from_the_zik_process(zik_process, world):
    result = zik_process(env=shell_env("zsh", "zik task reopen aaac"))
    assert result.code == 0, result
    assert zsh_pairs(result.out) == [("aaac3333", "Buy shoes")]
