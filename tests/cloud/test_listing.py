"""cloud/listing.py's own AttributeValue codec against boto3's, on random values."""

from __future__ import annotations

from decimal import Decimal

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from zik.cloud import listing

scalars = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
        st.sets(st.text(max_size=8), min_size=1, max_size=4),
    ),
    max_leaves=12,
)


def _plain(value):
    """boto3's reading of a value, as zik holds it (whole Decimals as int)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _sets_sorted(typed):
    """An AttributeValue with its sets' members in one order (a set has none)."""
    ((tag, inner),) = typed.items()
    if tag in ("SS", "NS"):
        return {tag: sorted(inner)}
    if tag == "L":
        return {tag: [_sets_sorted(v) for v in inner]}
    if tag == "M":
        return {tag: {k: _sets_sorted(v) for k, v in inner.items()}}
    return typed


@given(values)
def test_values_are_typed_and_read_as_boto3_types_and_reads_them(value):
    ours = listing.typed(value)
    theirs = TypeSerializer().serialize(value)
    assert _sets_sorted(ours) == _sets_sorted(theirs)
    assert listing.plain(ours) == _plain(TypeDeserializer().deserialize(theirs))


def test_fractions_stay_fractions():
    assert listing.plain(listing.typed(1.5)) == 1.5
    assert listing.plain({"N": "2.000"}) == 2 and isinstance(listing.plain({"N": "2"}), int)
