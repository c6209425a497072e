"""The Markdown plan as two real renderers read it (issue 20): CommonMark (markdown-it-py, raw HTML
on, as its preset has it) and Python-Markdown.

Every kind of text a person, an import or the AI writes (a quest's name, category and description,
a milestone's title and description, a task's name, notes and tag, a routine's title) is set to
hostile Markdown, straight in the store; the export is rendered and parsed back. The HTML must hold
exactly the elements zik's own layout makes, whatever the text (no heading, quote, list, rule,
table, code, link, image or raw tag from a title), and each text must come back as the text
content of its element, as typed (with zik.text's stand-ins for controls).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import date
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from zik.core import milestones, quests, routines
from zik.core.changes import change_set
from zik.core.exchange import plan_markdown
from zik.models import Task
from zik.store.db import atomic
from zik.text import visible

RENDERERS = {
    "commonmark": MarkdownIt("commonmark").render,
    "python-markdown": markdown.markdown,
}

# Each is written into every kind of text at once (and twice, on two lines, into each block of
# text): what used to become a heading, quote, list, rule, table, fence, code block, link, image,
# entity, emphasis or raw HTML.
HOSTILE = [
    "# heading",
    "### Fix bug #",
    "Fix bug #",
    "> quote",
    "1. one",
    "1) one",
    "10. ten",
    "- x",
    "+ x",
    "* x",
    "---",
    "***",
    "___",
    "===",
    "- - -",
    "| a | b |",
    "```",
    "~~~",
    "    indented",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<div>block</div>",
    "<!-- comment -->",
    "<http://x>",
    "<me@example.com>",
    "http://x",
    "[a](javascript:alert(1))",
    "![x](y)",
    "[a]: http://x",
    "[x]",
    "&copy; &amp; &#60; &#x3C;",
    "*em* **strong** _u_ __s__",
    "`code` ``two``",
    "~~strike~~",
    "a\\*b \\",
    "\\",
    "trailing two spaces  ",
    "Evil \x1b]0;pwned\x07 \u202eright-to-left",
    "{attr} :def",
]

# The fuzz: short texts over what Markdown gives a meaning to, letters and spaces, line breaks, and
# two controls (their stand-ins hold `<`).
ALPHABET = "#>*-+=|~`_[](){}!<>&;:/\\.0123456789 \n\taZ\x1b\u202e"
TEXT = st.text(alphabet=ALPHABET, min_size=1, max_size=24).filter(lambda s: name(s))


def name(text: str) -> str:
    """A name as the export shows it: on one line, spaces collapsed, controls as stand-ins."""
    return " ".join(visible(text, block=True).split())


def lines(text: str) -> list[str]:
    """The lines of a block of text as the export shows them (no blank ones)."""
    return [visible(line.strip()) for line in text.strip().splitlines() if line.strip()]


def paragraphs(text: str) -> int:
    """How many paragraphs a block of text is: runs of lines that are not blank."""
    filled = [bool(line.strip()) for line in text.strip().splitlines()]
    return sum(here and not before for here, before in zip(filled, [False, *filled], strict=False))


def squeeze(text: str) -> str:
    return " ".join(text.split())


class World:
    """One quest with a two-milestone roadmap (a task under each) and another task, a task of no
    quest, and a routine of the quest: every kind of text the export shows."""

    def __init__(self, conn):
        self.quest = quests.create(conn, "Quest", today=date(2026, 11, 25))
        self.milestones = [milestones.add(conn, self.quest.goal_id, t) for t in ("M1", "M2")]
        homes = [
            {"goal_id": self.quest.goal_id, "milestone_id": m.milestone_id} for m in self.milestones
        ] + [{"goal_id": self.quest.goal_id}, {}]
        with change_set(conn, "test") as cs:
            self.tasks = [
                cs.insert(
                    Task(
                        task_id=str(uuid.uuid4()), task_name=f"T{n}", due_date="2026-11-25", **home
                    )
                )
                for n, home in enumerate(homes)
            ]
        self.routine = routines.add(conn, "R", every="daily", quest_ref=self.quest.goal_id)


@pytest.fixture
def world(conn):
    return World(conn)


def paint(conn, world: World, texts: dict[str, str]) -> None:
    """Write the texts into the store as a sync or an import could have (no validation)."""
    with atomic(conn):
        conn.execute(
            "UPDATE quests SET goal_name = ?, category = ?, description = ? WHERE goal_id = ?",
            (texts["quest"], texts["category"], texts["quest notes"], world.quest.goal_id),
        )
        for n, m in enumerate(world.milestones):
            conn.execute(
                "UPDATE milestones SET title = ?, description = ? WHERE milestone_id = ?",
                (texts[f"milestone {n}"], texts[f"milestone {n} notes"], m.milestone_id),
            )
        for n, t in enumerate(world.tasks):
            conn.execute(
                "UPDATE tasks SET task_name = ?, description = ?, tags = ? WHERE task_id = ?",
                (
                    texts[f"task {n}"],
                    texts[f"task {n} notes"],
                    json.dumps([texts[f"task {n} tag"]]),
                    t.task_id,
                ),
            )
        conn.execute(
            "UPDATE routines SET title = ? WHERE recurrence_rule_id = ?",
            (texts["routine"], world.routine.recurrence_rule_id),
        )


NAMES = ["quest", "category", "milestone 0", "milestone 1", "routine"]
NAMES += [f"task {n}" for n in range(4)] + [f"task {n} tag" for n in range(4)]
BLOCKS = ["quest notes", "milestone 0 notes", "milestone 1 notes"]
BLOCKS += [f"task {n} notes" for n in range(4)]


# -- reading the HTML back ------------------------------------------------------------------------


class Node:
    def __init__(self, tag: str, parent: Node | None = None):
        self.tag, self.parent, self.children = tag, parent, []

    def text(self, skip: tuple[str, ...] = ()) -> str:
        """The text content, leaving out the elements named in `skip` (a nested list)."""
        return "".join(
            child if isinstance(child, str) else "" if child.tag in skip else child.text(skip)
            for child in self.children
        )

    def kids(self, tag: str) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and c.tag == tag]

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()


class Tree(HTMLParser):
    """HTML as a tree of elements; comments, declarations and processing instructions are kept
    as elements too (`!comment`, …), so raw HTML of any kind is counted."""

    VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "wbr"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("root")
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, self.node)
        self.node.children.append(node)
        if tag not in self.VOID:
            self.node = node

    def handle_startendtag(self, tag, attrs):
        self.node.children.append(Node(tag, self.node))

    def handle_endtag(self, tag):
        node = self.node
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)

    def handle_comment(self, data):
        self.node.children.append(Node("!comment", self.node))

    def handle_decl(self, decl):
        self.node.children.append(Node("!decl", self.node))

    def handle_pi(self, data):
        self.node.children.append(Node("?pi", self.node))

    def unknown_decl(self, data):
        self.node.children.append(Node("!decl", self.node))


def check(html: str, texts: dict[str, str]) -> None:
    """The HTML has zik's layout, element for element, and every text as its element's text."""
    root = Tree(html).root
    notes = [lines(texts[f"task {n} notes"]) for n in range(4)]
    # a milestone's description is shown on one line, like a name (when there is one)
    described = [
        [name(texts[f"milestone {n} notes"])] if texts[f"milestone {n} notes"].strip() else []
        for n in range(2)
    ]
    # the quest's description is a quote (when there is one), a paragraph in it for each of its own
    quote = [squeeze(" ".join(lines(texts["quest notes"])))] if lines(texts["quest notes"]) else []
    expected = Counter(
        h1=1,
        h2=3,  # the quest, the tasks without a quest, the routines
        h3=2,  # Roadmap, Other tasks
        p=2 + paragraphs(texts["quest notes"]),  # the counts, the quest's facts, the quote's
        blockquote=len(quote),
        ol=1,
        ul=5,  # a checklist under each milestone, other tasks, loose tasks, routines
        li=7,
        strong=1,  # the active milestone
        em=sum(map(len, described + notes)),  # milestone descriptions, each line of task notes
    )
    assert Counter(node.tag for node in root.walk()) == expected, html

    top = [c for c in root.children if isinstance(c, Node)]
    assert [c.tag for c in top] == [
        "h1", "p", "h2", "p", *["blockquote"] * len(quote), "h3", "ol", "h3", "ul", "h2", "ul",
        "h2", "ul",
    ], html  # fmt: skip
    h2 = root.kids("h2")
    assert h2[0].text() == name(texts["quest"]), html
    assert [h.text() for h in h2[1:]] == ["Tasks without a quest", "Routines"]
    facts = root.kids("p")[1].text()
    assert squeeze(facts) == (
        f"Active · {name(texts['category'])} · 0/3 tasks done · 0/2 milestones"
    ), html
    assert [squeeze(q.text()) for q in root.kids("blockquote")] == quote, html

    def task(li: Node, n: int) -> None:
        tag = texts[f"task {n} tag"]
        tag = "#" + "-".join(visible(tag, block=True).split()) if tag.strip() else ""
        line = f"[ ] 2026-11-25 {name(texts[f'task {n}'])} {tag}"
        assert squeeze(li.text()) == squeeze(" ".join([line, *notes[n]])), html
        assert [em.text() for em in li.kids("em")] == notes[n], html

    (roadmap,) = root.kids("ol")
    items = roadmap.kids("li")
    assert len(items) == 2
    for n, item in enumerate(items):
        title = name(texts[f"milestone {n}"])
        own = squeeze(item.text(skip=("ul",)))
        assert own.startswith(f"[ ] {title} (active) — " if n == 0 else f"[ ] {title} — "), html
        assert own.endswith(squeeze(" ".join(["0/1 tasks done", *described[n]]))), html
        if n == 0:
            assert [s.text() for s in item.kids("strong")] == [title], html
        assert [em.text() for em in item.kids("em")] == described[n], html
        (checklist,) = item.kids("ul")  # nested inside the milestone's item
        (planned,) = checklist.kids("li")
        task(planned, n)

    others, loose, routine_list = root.kids("ul")
    task(*others.kids("li"), 2)
    task(*loose.kids("li"), 3)
    (routine,) = routine_list.kids("li")
    assert squeeze(routine.text()) == squeeze(
        f"{name(texts['routine'])} — daily · for {name(texts['quest'])}"
    ), html


def hostile_texts(case: str) -> dict[str, str]:
    return {**{k: case for k in NAMES}, **{k: f"{case}\n{case}" for k in BLOCKS}}


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_text_in_every_kind_renders_as_text(conn, world, case, renderer):
    texts = hostile_texts(case)
    paint(conn, world, texts)
    check(RENDERERS[renderer](plan_markdown.render(conn, today="2026-11-25")), texts)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=st.fixed_dictionaries({k: TEXT for k in NAMES + BLOCKS}))
def test_fuzzed_text_renders_as_text_in_both_renderers(conn, world, drawn):
    paint(conn, world, drawn)
    text = plan_markdown.render(conn, today="2026-11-25")
    for render in RENDERERS.values():
        check(render(text), drawn)


@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_long_roadmap_nests_each_checklist_under_its_milestone(conn, roadmap, renderer):
    """Ten and more milestones: the marker widens to `10. `, and every checklist still nests."""
    plan = roadmap(*[f"Week {n}" for n in range(1, 13)], tasks_each=2)
    root = Tree(RENDERERS[renderer](plan_markdown.render(conn, today="2026-11-25"))).root
    (roadmap_list,) = root.kids("ol")
    items = roadmap_list.kids("li")
    assert len(items) == 12
    for n, item in enumerate(items, start=1):
        assert squeeze(item.text(skip=("ul",))).startswith(f"[ ] Week {n}")
        (checklist,) = item.kids("ul")
        assert [squeeze(li.text()) for li in checklist.kids("li")] == [
            f"[ ] 2026-11-25 Week {n} step 1",
            f"[ ] 2026-11-25 Week {n} step 2",
        ]
    assert len(plan.tasks) == 12


@pytest.mark.parametrize("renderer", RENDERERS)
def test_task_notes_show_under_their_task_line_by_line(conn, world, renderer):
    texts = {k: "plain" for k in NAMES} | {k: "" for k in BLOCKS}
    texts["task 0 notes"] = "Bring water.\n\n  Two bottles  \nand a *gel*"
    texts["task 3 notes"] = "Call before noon"
    paint(conn, world, texts)
    root = Tree(RENDERERS[renderer](plan_markdown.render(conn, today="2026-11-25"))).root
    first = root.kids("ol")[0].kids("li")[0].kids("ul")[0].kids("li")[0]
    assert [em.text() for em in first.kids("em")] == ["Bring water.", "Two bottles", "and a *gel*"]
    loose = root.kids("ul")[1].kids("li")[0]
    assert [em.text() for em in loose.kids("em")] == ["Call before noon"]
