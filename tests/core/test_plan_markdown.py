"""The Markdown plan (zik.core.exchange.plan_markdown): sections, checklists, notes, order, escaping
and no tombstones. How two real renderers read it: test_plan_markdown_render.py."""

import re
import uuid
from datetime import date

import pytest

from zik.core import milestones, quests, routines, tasks
from zik.core.changes import change_set
from zik.core.exchange import plan_markdown
from zik.models import Task

TODAY = date(2026, 11, 25)


def new_task(conn, name, **fields):
    task = Task(task_id=str(uuid.uuid4()), task_name=name, due_date=fields.pop("due", "2026-11-25"))
    with change_set(conn, "test") as cs:
        return cs.insert(task.replace(**fields))


def render(conn):
    return plan_markdown.render(conn, today="2026-11-25")


def section(text, heading):
    """The lines of one `## ` section (without its heading)."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return [line for line in lines[start:end] if line]


@pytest.fixture
def plan(conn, roadmap):
    """Three quests (one paused, one completed), loose tasks, routines, and deleted things."""
    main = roadmap("Base", "Build", "Race", tasks_each=2)
    quests.edit(
        conn,
        main.quest.goal_id,
        today=TODAY,
        target="2027-03-01",
        category="fitness",
        description="Finish in under 2 hours.\n# not a heading\n- not a list",
    )
    milestones.edit(conn, main.milestones[0].milestone_id, days=14, description="Easy runs only")
    tasks.complete(conn, [main.tasks[0][0].task_id])
    with change_set(conn, "test") as cs:
        cs.update(main.tasks[0][1], "task.updated", description="Slow pace.\n\n  - keep it easy ")
    tasks.start(conn, [main.tasks[0][1].task_id])
    tasks.remove(conn, [main.tasks[1][1].task_id])
    early = new_task(
        conn,
        "Buy shoes",
        due="2026-11-20",
        priority="high",
        goal_id=main.quest.goal_id,
        milestone_id=main.milestones[1].milestone_id,
        tags=["gear", "two words"],
    )
    unplanned = new_task(
        conn, "Register *now* [online]", goal_id=main.quest.goal_id, due="2027-01-10"
    )

    paused = quests.create(conn, "Learn Spanish", today=TODAY)
    new_task(conn, "Spanish lesson", goal_id=paused.goal_id, priority="low")
    quests.set_status(conn, paused.goal_id, "paused")
    finished = quests.create(conn, "Read a book", today=TODAY)
    quests.set_status(conn, finished.goal_id, "completed")

    new_task(conn, "Renew passport", due="2026-12-02")
    new_task(conn, "Call the bank", due="2026-11-24")
    gone = new_task(conn, "Deleted errand")
    tasks.remove(conn, [gone.task_id])
    doomed = quests.create(conn, "Learn Klingon", today=TODAY)
    milestones.add(conn, doomed.goal_id, "Klingon alphabet")
    new_task(conn, "Klingon lesson", goal_id=doomed.goal_id)
    quests.remove(conn, doomed.goal_id)
    dropped = milestones.add(conn, main.quest.goal_id, "Dropped milestone")
    milestones.remove(conn, dropped.milestone_id)

    routines.add(
        conn, "Morning stretch", every="weekdays", quest_ref=main.quest.goal_id, estimate=10
    )
    routines.add(conn, "Weekly review", every="weekly", on="sun,fri")
    rule = routines.add(conn, "Old habit", every="daily")
    routines.remove(conn, rule.recurrence_rule_id)
    return {"main": main, "early": early, "unplanned": unplanned, "text": render(conn)}


def test_sections_come_in_order_with_active_quests_first(plan):
    headings = [line for line in plan["text"].splitlines() if line.startswith("#")]
    assert headings == [
        "# zik plan — 2026-11-25",
        "## Run a half marathon",
        "### Roadmap",
        "### Other tasks",
        "## Learn Spanish",
        "### Tasks",
        "## Read a book",
        "## Tasks without a quest",
        "## Routines",
    ]
    assert plan["text"].endswith("\n") and not plan["text"].endswith("\n\n")


def test_a_quest_shows_its_facts_and_description(plan):
    lines = section(plan["text"], "## Run a half marathon")
    assert lines[0] == "Active · target 2027-03-01 · fitness · 1/7 tasks done · 0/3 milestones"
    # the description is quoted text: its '#' and '-' do not become a heading or a list
    assert lines[1:4] == ["> Finish in under 2 hours.", "> \\# not a heading", "> \\- not a list"]
    assert section(plan["text"], "## Learn Spanish")[0] == "Paused · 0/1 tasks done"
    assert section(plan["text"], "## Read a book") == ["Completed · no tasks yet"]


def test_the_roadmap_is_a_numbered_list_with_tasks_as_checklists(plan):
    lines = section(plan["text"], "## Run a half marathon")
    roadmap = lines[lines.index("### Roadmap") + 1 : lines.index("### Other tasks")]
    # nested four spaces in (what Python-Markdown needs), a task's notes four more, line by line
    assert roadmap == [
        "1. [ ] **Base** (active) — 14 days, 2026-11-25 → 2026-12-08, 1/2 tasks done",
        "    *Easy runs only*",
        "    - [x] 2026-11-25 Base step 1",
        "    - [ ] 2026-11-25 Base step 2 (in progress)",
        "        *Slow pace.*",
        "        *\\- keep it easy*",
        "2. [ ] Build — from 2026-12-09, 0/2 tasks done",
        "    - [ ] 2026-11-20 Buy shoes (high, overdue) #gear #two-words",
        "    - [ ] 2026-11-25 Build step 1",
        "3. [ ] Race — until 2027-03-01, 0/2 tasks done",
        "    - [ ] 2026-11-25 Race step 1",
        "    - [ ] 2026-11-25 Race step 2",
    ]
    others = lines[lines.index("### Other tasks") + 1 :]
    assert others == ["- [ ] 2027-01-10 Register \\*now\\* \\[online\\]"]


def test_completed_milestones_are_checked(conn, roadmap):
    plan = roadmap("First", "Second", tasks_each=1)
    milestones.complete(conn, plan.milestones[0].milestone_id)
    text = render(conn)
    assert "1. [x] First — 2026-11-25 → 2026-11-25, 0/1 tasks done" in text
    assert "2. [ ] **Second** (active) — from 2026-11-25, 0/1 tasks done" in text


def test_loose_tasks_and_routines_close_the_plan(plan):
    assert section(plan["text"], "## Tasks without a quest") == [
        "- [ ] 2026-11-24 Call the bank (overdue)",
        "- [ ] 2026-12-02 Renew passport",
    ]
    assert section(plan["text"], "## Routines") == [
        "- Morning stretch — weekdays · 10 min · for Run a half marathon",
        "- Weekly review — weekly on Sun, Fri",
    ]


def test_tombstones_are_never_shown(plan):
    text = plan["text"]
    for name in ("Build step 2", "Deleted errand", "Klingon", "Dropped milestone", "Old habit"):
        assert name not in text
    assert text.splitlines()[2] == "3 quests · 1/10 tasks done · 2 routines"


def test_the_plan_is_deterministic(conn, plan):
    assert render(conn) == plan["text"]


def test_an_empty_plan_says_so(conn):
    assert render(conn) == (
        "# zik plan — 2026-11-25\n\n0 quests · 0/0 tasks done · 0 routines\n\nNo quests yet.\n"
    )


def test_a_long_roadmap_lists_every_task_once_nested_under_its_milestone(conn, roadmap):
    titles = [f"Week {n}" for n in range(1, 13)]
    plan = roadmap(*titles, tasks_each=5)
    text = render(conn)
    task_lines = [line for line in text.splitlines() if re.match(r"^\s+- \[[ x]\] ", line)]
    assert len(task_lines) == 60
    for n, title in enumerate(titles, start=1):
        item = next(line for line in text.splitlines() if line.startswith(f"{n}. [ ] "))
        assert title in item
    # the 10th item's marker is 4 characters wide, as wide as the indent every checklist has
    week10 = text.splitlines().index(
        next(line for line in text.splitlines() if line.startswith("10. "))
    )
    assert text.splitlines()[week10 + 1] == "    - [ ] 2026-11-25 Week 10 step 1"
    assert text.splitlines()[week10 - 1].startswith("    - [ ] 2026-11-25 Week 9 step")
    assert len(plan.tasks) == 12


def test_a_loose_tasks_notes_are_under_it(conn):
    new_task(conn, "Call the bank", description="Ask about\tfees\n1. the card")
    assert section(render(conn), "## Tasks without a quest") == [
        "- [ ] 2026-11-25 Call the bank",
        "    *Ask about␉fees*",
        "    *1\\. the card*",
    ]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        # what starts a block anywhere, or a heading's closing sequence: escaped wherever it is
        ("# Fix bug #", "\\# Fix bug \\#"),
        ("> quote", "&gt; quote"),
        ("* x", "\\* x"),
        ("```", "\\`\\`\\`"),
        ("~~~ x ~~strike~~", "&#126;&#126;&#126; x &#126;&#126;strike&#126;&#126;"),
        ("| a | b |", "&#124; a &#124; b &#124;"),
        # what starts a block only at the start of a line: escaped at the start of every text
        ("- x - y", "\\- x - y"),
        ("+ x", "\\+ x"),
        ("--- x", "\\--- x"),
        ("=== x", "&#61;== x"),
        ("1. one 2. two", "1\\. one 2. two"),
        ("10) ten", "10\\) ten"),
        ("    indented", "indented"),
        # HTML, links, images, entities, emphasis, code: Python-Markdown honours no `\\<`
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("<http://x>", "&lt;http://x&gt;"),
        ("[a](javascript:alert(1))", "\\[a\\](javascript:alert(1))"),
        ("![x](y)", "!\\[x\\](y)"),
        ("&copy; AT&T", "&amp;copy; AT&amp;T"),
        ("*em* _u_ `c` a\\b", "\\*em\\* \\_u\\_ \\`c\\` a\\\\b"),
        # a control's stand-in (zik.text) holds `<` too
        ("right\u202eleft", "right&lt;U+202E&gt;left"),
    ],
)
def test_text_is_escaped_for_both_renderers(conn, typed, written):
    new_task(conn, typed)
    routines.add(conn, "R", every="daily")
    conn.execute("UPDATE routines SET title = ?", (typed,))  # as a sync could have written it
    lines = render(conn).splitlines()
    assert f"- [ ] 2026-11-25 {written}" in lines
    assert f"- {written} — daily" in lines
