"""cloud/stamps.py: the edit stamps zik keeps on each item, read back whatever the cloud holds."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from zik.cloud import stamps
from zik.cloud.items import is_stamp

T1, T2, T3 = "2026-11-25T10:01:00.000Z", "2026-11-25T10:02:00.000Z", "2026-11-25T10:03:00.000Z"
RECORD = {"taskId": "t1", "taskName": "Water the plants", "status": "pending", "updatedAt": T2}


def test_an_item_as_zik_wrote_it_vouches_for_every_field():
    attribute = stamps.encode(RECORD, {"taskName": T1})
    said = stamps.decode(attribute, RECORD)
    assert said.fields == {"taskId": T2, "taskName": T1, "status": T2}
    assert said.foreign is None


def test_a_later_writer_that_keeps_the_attribute_is_foreign_and_its_changes_unvouched():
    attribute = stamps.encode(RECORD, {"taskName": T1})
    after_app = {**RECORD, "status": "in-progress", "updatedAt": T3}  # a Lambda's SET
    said = stamps.decode(attribute, after_app)
    assert said.fields == {"taskId": T2, "taskName": T1}  # status: changed, stamp unknown
    assert said.foreign == T3
    set_back = {**RECORD, "updatedAt": T3}  # in progress, then pending again
    assert stamps.decode(attribute, set_back).foreign == T3  # (the merge's possible conflict)


def test_an_item_without_the_attribute_is_a_foreign_write():
    said = stamps.decode(None, RECORD)
    assert (said.fields, said.foreign) == ({}, T2)


def test_the_clock_stamps_an_edit_after_a_sync_no_earlier_than_what_it_saw():
    clock = stamps.clock("2026-11-25T08:01:00.000Z", [T2], None)  # a clock 2 h behind
    assert stamps.floor(clock, "2026-11-25T08:05:00.000Z") == "2026-11-25T10:02:00.001Z"
    assert stamps.floor(clock, "2026-11-25T07:00:00.000Z") == "2026-11-25T07:00:00.000Z"  # before
    assert stamps.floor(clock, "2026-11-25T11:00:00.000Z") == "2026-11-25T11:00:00.000Z"
    assert stamps.floor(None, T1) == T1
    later = stamps.clock("2026-11-25T08:30:00.000Z", [T1], clock)
    assert json.loads(later)["seen"] == T2  # never goes back


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
attributes = st.one_of(
    st.text(max_size=200),
    json_values.map(json.dumps),
    st.fixed_dictionaries(
        {"v": st.text(max_size=30), "f": st.dictionaries(st.text(max_size=10), json_values)}
    ).map(json.dumps),
    st.integers(),
    st.none(),
    st.just("[" * 100_000),  # deeper than json can nest
)


@given(attributes, st.dictionaries(st.text(max_size=10), json_values, max_size=5))
def test_whatever_the_cloud_holds_in_the_attribute_is_read_without_error(attribute, wire):
    said = stamps.decode(attribute, {**wire, "updatedAt": T2})
    assert all(is_stamp(stamp) for stamp in said.fields.values())  # (shown in conflict lines)
    assert said.foreign in (None, T2)


def test_the_clock_offset_is_whole_seconds_as_the_date_it_comes_from():
    """A `Date` is the server's time cut to the second: 2 h behind reads as 7200 s, not
    7199.95 s (which moved every edit made here 50 ms earlier than it was)."""
    assert stamps.skew("2026-11-25T12:00:00.000Z", "2026-11-25T10:00:00.050Z") == 7200.0
    assert stamps.skew("2026-11-25T08:00:00.000Z", "2026-11-25T10:00:00.050Z") == -7200.0
    assert stamps.skew("2026-11-25T10:00:00.000Z", "2026-11-25T10:00:00.950Z") == 0.0
    assert stamps.skew("2026-11-26T10:00:05.000Z", "2026-11-25T10:00:00.000Z") == 0.0  # a day+
