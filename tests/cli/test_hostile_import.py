"""Random import files (issue 18): zik json and Taskwarrior exports with impossible dates and
times, unknown zones, fractions and huge numbers, missing optional fields, control characters,
lone surrogates and bytes that are not UTF-8. Each import is taken whole or refused whole (exit
1, nothing changed); either way every later command still works, zik's own export of the result
imports back, and no output is anything a strict UTF-8 terminal cannot print."""

from __future__ import annotations

import json
import os
import sys
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.helpers import dump
from zik.core import workspace


def _mostly(good: st.SearchStrategy, bad: st.SearchStrategy) -> st.SearchStrategy:
    """A value that is usually one zik takes, one time in 25 one it must refuse (so that a
    file with a dozen fields is taken about as often as it is refused)."""
    return st.integers(0, 24).flatmap(
        lambda n: bad if n == 13 else good
    )  # (not a bound: drawn too often)


# Text zik takes from a file as it is (and shows safely), and text it refuses.
TEXT = _mostly(
    st.one_of(
        st.sampled_from(["Run 5 km", "日本語", "x" * 200, "Pay \x1b]0;pwned\x07\x1b]52;c;eA==\x07",
                         "a\x9b31mb", "\u202eevil", "two\nlines", "nul\x00", "tab\there"]),
        st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20).filter(
            str.strip
        ),
    ),
    st.sampled_from(["", " ", "x" * 201, "caf\udce9"]),
)  # fmt: skip
WORD = _mostly(st.sampled_from(["home", "日本語", "a\x1bb"]), st.sampled_from(["has space", ""]))
STAMP = _mostly(
    st.sampled_from(["2026-11-24T08:00:00.000Z", "2026-11-25T10:00:00Z",
                     "2026-11-25T09:59:59.123456Z"]),
    st.sampled_from(["2026-13-45T99:99:99.000Z", "0001-01-01T00:00:00.000Z", "yesterday"]),
)  # fmt: skip
DAY = _mostly(
    st.sampled_from(["2026-11-25", "2026-11-26", "2026-10-01"]),
    st.sampled_from(["2026-02-30", "next spring", "0001-01-01"]),
)
NUMBER = _mostly(st.sampled_from([1, 30, 0, 1440]), st.sampled_from([-5, 10**12, 1.5, "30", True]))


def _some(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.just(...), strategy)  # ...: the field is left out


def _object(draw, fields: dict) -> dict:
    return {k: v for k, v in ((k, draw(s)) for k, s in fields.items()) if v is not ...}


@st.composite
def zik_file(draw) -> bytes:
    goal = str(uuid.uuid4())
    quest = _object(draw, {
        "goalId": st.just(goal), "goalName": TEXT, "description": _some(TEXT),
        "targetDate": _some(DAY),
        "status": _mostly(st.sampled_from(["active", "paused"]), st.just("done")),
        "roadmapStatus": _some(_mostly(st.sampled_from(["none", "ready"]), st.just("bogus"))),
        "createdAt": STAMP, "updatedAt": STAMP,
    })  # fmt: skip
    tasks = [
        _object(
            draw,
            {
                "taskId": st.just(str(uuid.uuid4())),
                "taskName": TEXT,
                "description": _some(TEXT),
                "dueDate": DAY,
                "priority": _some(_mostly(st.sampled_from(["low", "high"]), st.just("urgent"))),
                "status": _mostly(st.sampled_from(["pending", "completed"]), st.just("done")),
                "goalId": _some(_mostly(st.just(goal), st.just(str(uuid.uuid4())))),
                "estimatedMinutes": _some(NUMBER),
                "tags": _some(st.lists(WORD, max_size=3)),
                "createdAt": STAMP,
                "updatedAt": STAMP,
                "completedAt": _some(STAMP),
            },
        )  # fmt: skip
        for _ in range(draw(st.integers(1, 3)))
    ]
    profile = _object(draw, {
        "name": _some(TEXT),
        "timezone": _mostly(st.sampled_from(["UTC", "Asia/Tokyo"]), st.just("Mars/Olympus")),
        "dailyTime": _mostly(st.just("06:00"), st.just("7am")),
        "dailyCapacity": _mostly(st.just(90), st.just(-5)),
        "createdAt": STAMP, "updatedAt": STAMP,
    })  # fmt: skip
    document = {"format": "zik", "version": 1, "quests": [quest], "tasks": tasks}
    if draw(st.booleans()):
        document["profile"] = profile
    return _encoded(draw, document)


ODD = st.one_of(TEXT, st.integers(-5, 10**6), st.just(None), st.just([]), st.just({"a": 1}))
TW_DATE = _mostly(
    st.sampled_from(["20261126T180000Z", "20261125T230000Z", "99991229T230000Z"]),
    st.just("00010101T000000Z"),
)


@st.composite
def taskwarrior_file(draw) -> bytes:
    """`task export` as Taskwarrior writes it, and as a hand edit or another tool may: recurring
    tasks and their instances, dependencies, UDAs, zik's own attributes with any value."""
    templates = [str(uuid.uuid4()) for _ in range(draw(st.integers(0, 2)))]
    entries = []
    for _ in range(draw(st.integers(1, 4))):
        entry = _object(
            draw,
            {
                "uuid": st.just(str(uuid.uuid4())),
                "description": _some(TEXT),
                "status": _mostly(
                    st.sampled_from(["pending", "completed", "waiting", "deleted"]), st.just("odd")
                ),
                "entry": _mostly(st.just("20261120T090000Z"), st.just("20261340T990000Z")),
                "modified": _some(st.just("20261121T090000Z")),
                "due": _some(TW_DATE),
                "scheduled": _some(TW_DATE),
                "wait": _some(TW_DATE),
                "until": _some(TW_DATE),
                "start": _some(st.just("20261120T100000Z")),
                "project": _some(TEXT),
                "tags": _some(st.lists(WORD, max_size=3)),
                "priority": _some(_mostly(st.sampled_from(["H", "M", "L", "U"]), st.just(7))),
                "depends": _some(st.lists(st.sampled_from(templates or ["x"]), max_size=2)),
                "parent": _some(st.sampled_from(templates or [str(uuid.uuid4())])),
                "imask": _some(st.integers(0, 3)),
                "estimate": _some(ODD),
                "zikquest": _some(ODD),
                "zikmilestone": _some(ODD),
                "zikroutine": _some(st.one_of(ODD, st.just("rule_x"))),
                "zikestimate": _some(ODD),
                "zikskipped": _some(st.one_of(ODD, st.just("20261122T090000Z"))),
                "annotations": _some(
                    st.lists(
                        st.fixed_dictionaries(
                            {
                                "entry": st.sampled_from(["20261120T090000Z", "20261121T100000Z"]),
                                "description": st.one_of(TEXT, st.just("n" * 6000)),
                            }
                        ),
                        max_size=2,
                    )
                ),
            },
        )
        entries.append(entry)
    for template in templates:
        entries.append(
            _object(
                draw,
                {
                    "uuid": st.just(template),
                    "description": TEXT,
                    "status": st.sampled_from(["recurring", "deleted"]),
                    "recur": st.sampled_from(["daily", "weekly", "weekdays", "monthly", "2d", ""]),
                    "entry": st.just("20261120T090000Z"),
                    "due": _some(TW_DATE),
                    "mask": _some(st.just("--")),
                    "zikdays": _some(st.one_of(ODD, st.just("0,3"), st.just("9,a"))),
                    "zikfrequency": _some(st.one_of(ODD, st.just("weekends"))),
                    "zikpaused": _some(ODD),
                },
            )
        )
    return _encoded(draw, draw(st.permutations(entries)))


def _encoded(draw, document) -> bytes:
    """The JSON, as a file may hold it: UTF-8, \\u escapes (lone surrogates too), or with a
    byte that is not UTF-8 somewhere."""
    raw = json.dumps(document, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 12)) == 7:
        cut = draw(st.integers(0, len(raw) - 1))
        raw = raw[:cut] + b"\xe9" + raw[cut:]
    return raw


LATER = (("today",), ("daily",), ("stats",), ("task", "list"), ("quest", "list"),
         ("search", "Run"), ("export", "-f", "md"), ("export", "-f", "ics"),
         ("export", "-f", "taskwarrior"), ("routine", "list"))  # fmt: skip


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=st.one_of(zik_file(), taskwarrior_file()))
def test_any_import_file_is_taken_or_refused_whole_and_every_later_command_works(
    zik, zik_home, raw
):
    zik("task", "add", "Buy milk")
    before = dump(workspace.db())
    path = zik_home / "in.json"
    path.write_bytes(raw)
    result = zik("import", str(path))
    assert result.code in (0, 1), result
    assert "Traceback" not in result.err and "unexpected" not in result.err, result
    if result.code == 1:
        assert dump(workspace.db()) == before
    if os.environ.get("FUZZ_SHOW"):  # FUZZ_SHOW=1 pytest -s: what each import did
        sys.__stdout__.write(f"{result.code} {(result.err.splitlines() or [''])[0][:150]}\n")
    for command in LATER:
        later = zik(*command)
        assert later.code == 0, (command, later)
        (later.out + later.err).encode("utf-8")
    own = zik_home / "own.json"
    assert zik("export", "-o", str(own)).code == 0
    assert zik("import", str(own)).code == 0
    # what zik writes for Taskwarrior it reads back, and a second time changes nothing
    tw = zik_home / "tw.json"
    tw.write_text(zik("export", "-f", "taskwarrior").out, encoding="utf-8")
    first = zik("import", str(tw))
    assert first.code == 0, first
    assert zik("--json", "import", str(tw)).data["added"] == {}
    for name in ("in.json", "own.json", "tw.json"):
        (zik_home / name).unlink()
    workspace.close()
    (zik_home / "zik.db").unlink()  # the next example starts from nothing
    for extra in ("zik.db-wal", "zik.db-shm"):
        (zik_home / extra).unlink(missing_ok=True)
