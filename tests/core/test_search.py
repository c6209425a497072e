"""Search: ranking, word forms, kinds, tombstones and awkward input (zik.core.search)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zik.core import milestones, quests, search, tasks
from zik.core.changes import change_set
from zik.errors import UsageError
from zik.models import ChatMessage, Task
from zik.store import chat as chat_store

TODAY = date(2026, 11, 25)


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def add_task(conn, name: str, description: str | None = None, tags=()) -> Task:
    with change_set(conn, "test") as cs:
        return cs.insert(
            Task(
                task_id=str(uuid.uuid4()),
                task_name=name,
                description=description,
                due_date="2026-11-25",
                tags=list(tags),
            )
        )


def say(conn, content: str, role: str = "user", minute: int = 0) -> ChatMessage:
    stamp = f"2026-11-25T09:{minute:02d}:00.000Z"
    message = ChatMessage(
        message_id=str(uuid.uuid4()),
        timestamp=stamp,
        role=role,
        content=content,
        created_at=stamp,
        updated_at=stamp,
    )
    chat_store.add(conn, [message])
    return message


@pytest.fixture
def filler(conn):
    """Unrelated tasks, so that the words under test are rare (bm25 gives a word found in more
    than half of the rows next to no weight)."""
    for n in range(12):
        add_task(conn, f"Water the garden {n}", "the kitchen pots too")


def test_a_title_match_ranks_above_a_description_only_match(conn, filler):
    add_task(conn, "Buy shoes", "marathon marathon: shoes for the marathon, the marathon")
    add_task(conn, "Marathon pace run", "a long description " * 20)

    assert titles(search.search(conn, "marathon")) == ["Marathon pace run", "Buy shoes"]


def test_a_title_match_of_any_kind_ranks_above_description_matches(conn, filler):
    quests.create(conn, "Get fit", description="Finish a marathon in spring", today=TODAY)
    say(conn, "Should I run a marathon this year?")
    add_task(conn, "Register for the marathon")

    results = search.search(conn, "marathon")

    assert [(h.kind, h.matched_in) for h in results.hits] == [
        ("task", ["title"]),
        ("quest", ["description"]),
        ("chat", ["content"]),
    ]


def test_a_quest_among_few_is_not_buried_by_the_many_tasks(conn, filler):
    """In a table of one quest every word is "common" and its raw bm25 is next to zero; scaled
    within its kind, the quest ranks with the best tasks (and before them on a tie)."""
    quests.create(conn, "Run a half marathon", today=TODAY)
    add_task(conn, "Marathon pace run")
    add_task(conn, "Marathon shoes", "marathon marathon")
    add_task(conn, "Stretch after the marathon training session")

    results = search.search(conn, "marathon")

    assert titles(results) == [
        "Run a half marathon",
        "Marathon shoes",
        "Marathon pace run",
        "Stretch after the marathon training session",
    ]
    assert results.hits[0].bm25 > results.hits[1].bm25  # raw bm25 alone would put it last
    assert [h.score for h in results.hits][:2] == [1.0, 1.0]


def test_an_exact_word_ranks_above_a_longer_word_it_starts(conn, filler):
    add_task(conn, "Planner setup")
    add_task(conn, "Plan the week")

    assert titles(search.search(conn, "plan")) == ["Plan the week", "Planner setup"]


def test_prefixes_and_word_forms_match(conn, filler):
    add_task(conn, "Run a half marathon")
    add_task(conn, "Go running with Ana")
    add_task(conn, "Runs log")

    assert titles(search.search(conn, "marat")) == ["Run a half marathon"]
    assert set(titles(search.search(conn, "running"))) == {
        "Run a half marathon",
        "Go running with Ana",
        "Runs log",
    }
    assert titles(search.search(conn, "half marat")) == ["Run a half marathon"]
    assert titles(search.search(conn, "marathon half")) == ["Run a half marathon"]
    assert titles(search.search(conn, '"marathon half"')) == []  # a quoted phrase keeps its order
    assert titles(search.search(conn, "RUN ANA")) == ["Go running with Ana"]


def test_every_word_must_match(conn, filler):
    add_task(conn, "Stretch", "after every run")
    add_task(conn, "Run intervals")

    assert titles(search.search(conn, "run stretch")) == ["Stretch"]


def test_tags_are_searchable(conn, filler):
    add_task(conn, "Post the parcel", tags=["errand", "outdoors"])

    [hit] = search.search(conn, "errands").hits

    assert hit.title == "Post the parcel"
    assert hit.matched_in == ["tags"]
    assert hit.snippet == "tags: errand, outdoors"
    assert hit.snippet[slice(*hit.snippet_spans[0])] == "errand"


def test_hits_carry_their_context(conn, roadmap):
    planned = roadmap("Base mileage", "Taper", tasks_each=1)
    say(conn, "How long should the taper last?", role="assistant", minute=7)

    by_kind = {hit.kind: hit for hit in search.search(conn, "taper").hits}

    milestone, task, chat = by_kind["milestone"], by_kind["task"], by_kind["chat"]
    assert (milestone.title, milestone.quest_name) == ("Taper", "Run a half marathon")
    assert milestone.short_id == planned.milestones[1].milestone_id[len("milestone_") :][:8]
    assert milestone.status == "locked"
    assert (task.title, task.due_date, task.status) == ("Taper step 1", "2026-11-25", "pending")
    assert task.quest_id == planned.quest.goal_id
    assert chat.title == "zik, 2026-11-25 09:07"
    assert chat.timestamp == "2026-11-25T09:07:00.000Z" and chat.status is None
    assert chat.snippet[slice(*chat.snippet_spans[0])] == "taper"
    [quest] = search.search(conn, "half", kind="quest").hits
    assert (quest.status, quest.title_spans) == ("active", [(6, 10)])


def test_tombstoned_records_never_appear(conn, roadmap):
    planned = roadmap("Base mileage", "Long runs", tasks_each=2)
    loose = tasks.add(conn, "Mileage log", today=TODAY)
    assert len(search.search(conn, "mileage").hits) == 4  # milestone, its two tasks, the loose one

    tasks.remove(conn, [loose.task_id])
    milestones.remove(conn, planned.milestones[0].milestone_id)

    assert search.search(conn, "mileage").hits == []
    assert len(search.search(conn, "long runs").hits) == 3
    quests.remove(conn, planned.quest.goal_id)
    assert search.search(conn, "long").hits == []
    assert search.search(conn, "marathon").hits == []


def test_a_tombstoned_chat_message_never_appears(conn):
    message = say(conn, "Remind me about the dentist")
    conn.execute(
        "UPDATE chat_messages SET deleted_at = ? WHERE message_id = ?",
        ("2026-11-25T10:00:00.000Z", message.message_id),
    )

    assert search.search(conn, "dentist").hits == []


def test_an_edited_name_is_found_under_the_new_name_only(conn):
    task = tasks.add(conn, "Call the plumber", today=TODAY)

    tasks.edit(conn, task.task_id, today=TODAY, title="Email the electrician")

    assert search.search(conn, "plumber").hits == []
    [hit] = search.search(conn, "electrician").hits
    assert hit.id == task.task_id


def test_kind_limits_the_search(conn):
    quests.create(conn, "Learn Spanish", today=TODAY)
    add_task(conn, "Spanish flashcards")
    say(conn, "Spanish or Italian first?")

    assert [h.kind for h in search.search(conn, "spanish", kind="task").hits] == ["task"]
    assert [h.kind for h in search.search(conn, "spanish", kind="chat").hits] == ["chat"]
    assert search.search(conn, "spanish", kind="milestone").hits == []
    assert [h.kind for h in search.search(conn, "spanish", kind=" Quests").hits] == ["quest"]
    with pytest.raises(UsageError):
        search.search(conn, "spanish", kind="routine")


def test_limit_keeps_the_best_and_says_there_are_more(conn, filler):
    for n in range(5):
        add_task(conn, f"Read chapter {n}", "read it " * n)

    results = search.search(conn, "read", limit=2)

    assert len(results.hits) == 2 and results.more
    assert not search.search(conn, "read", limit=5).more
    with pytest.raises(UsageError):
        search.search(conn, "read", limit=0)


@pytest.mark.parametrize(
    "text",
    [
        '"run',
        "-run",
        "run-club",
        "run*",
        "AND",
        "run AND",
        "NOT run",
        "run OR",
        "(run",
        "run)",
        "NEAR(run club)",
        "title:run",
        "^run",
        "+run",
        "run'",
        "Ana's run",
        "[run]",
        "run;DROP TABLE tasks",
        "run\x00club",
    ],
)
def test_special_characters_are_plain_text(conn, filler, text):
    add_task(conn, "Run club AND more", "with Ana's NOT-so-slow group")

    results = search.search(conn, text)

    assert all(hit.title == "Run club AND more" for hit in results.hits)


def test_special_words_are_searched_for(conn, filler):
    add_task(conn, "Fish AND chips")
    add_task(conn, "Chips")

    assert titles(search.search(conn, "and")) == ["Fish AND chips"]
    assert titles(search.search(conn, "fish-and")) == ["Fish AND chips"]


@pytest.mark.parametrize("text", ["", "   ", "-", '""', "*", "- * ^ :", '"-"'])
def test_text_without_words_is_a_usage_error(conn, text):
    with pytest.raises(UsageError, match="nothing to search for"):
        search.search(conn, text)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30) | st.text(alphabet="run AND OR NOT\"*-():^+\x00'", max_size=20))
def test_no_text_breaks_the_query(conn, text):
    try:
        search.search(conn, text)
    except UsageError as e:
        assert "nothing to search for" in e.message


def test_unmark_turns_marks_into_spans():
    text, spans = search.unmark("  keep \x02heart\x03 rate\n\n\x02low\x03 ")

    assert text == "keep heart rate low"
    assert [text[s:e] for s, e in spans] == ["heart", "low"]


def test_results_as_json(conn, filler):
    task = add_task(conn, "Buy shoes", "for the marathon")

    [hit] = search.search(conn, "marathon").to_json()

    assert hit == {
        "kind": "task",
        "id": task.task_id,
        "shortId": task.task_id[:8],
        "title": "Buy shoes",
        "titleMatches": [],
        "snippet": "for the marathon",
        "snippetMatches": [[8, 16]],
        "matchedIn": ["description"],
        "status": "pending",
        "questId": None,
        "questName": None,
        "dueDate": "2026-11-25",
        "targetDate": None,
        "timestamp": None,
        "score": 1.0,
        "bm25": hit["bm25"],
    }
    assert hit["bm25"] < 0


def test_merge_scales_each_kind_and_tier_by_its_best():
    def rows(*pairs):
        return [{"row": n, "bm25": b, "in_title": t} for n, (b, t) in enumerate(pairs)]

    merged = search.merge(
        {
            "quest": rows((-0.001, True), (-0.0005, False)),  # a tiny table: tiny raw scores
            "task": rows((-4.0, True), (-3.0, True), (-2.0, False), (-0.5, False)),
            "chat": rows((-8.0, False)),
        }
    )

    assert [(r.kind, r.score) for r in merged] == [
        ("quest", 1.0),
        ("task", 1.0),
        ("task", 0.75),
        ("quest", 1.0),
        ("task", 1.0),
        ("chat", 1.0),
        ("task", 0.25),
    ]


def test_a_smaller_limit_gives_the_start_of_the_same_list(conn, roadmap):
    planned = roadmap("Hill repeats", "Long run", tasks_each=3)
    tasks.edit(conn, planned.tasks[0][0].task_id, today=TODAY, description="run the hills")
    quests.create(conn, "Run a marathon", description="long run on Sundays", today=TODAY)
    for n in range(4):
        say(conn, f"run number {n}" + " slowly" * n, minute=n)
        add_task(conn, f"Errand {n}", "after the run" + " and more" * n)

    everything = [(h.kind, h.id) for h in search.search(conn, "run", limit=100).hits]

    assert len(everything) > 12
    for limit in range(1, len(everything) + 1):
        assert [(h.kind, h.id) for h in search.search(conn, "run", limit=limit).hits] == (
            everything[:limit]
        )
