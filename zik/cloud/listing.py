"""Reading the backend's tables at scale (the `dynamodb` remote): versions first, records only
where they may have changed, pages parsed in C.

A no-op sync of 500 quests and 10k tasks used to read every item in full (botocore's parser
walks each attribute in Python: ~90 µs an item) and query each quest's milestones (500
requests). Now:

- the goals and tasks are listed with their keys and `updatedAt` only, and only the items
  whose version differs from the base (or that are new, or pending here) are fetched whole,
  with BatchGetItem, or one more Query when that is cheaper;
- a quest's milestones are read only when something that writes them has moved: the goal item
  changed (the backend's milestone saver sets `roadmapStatus`), a task of the quest changed (a
  completion runs the backend's milestone progression), a zik device wrote them (it sets the
  goal's `zikRoadmap` marker in the same transaction), or they changed here. The app cannot
  write milestones any other way (reference/backend-contract.md §3, §7);
- Query and BatchGetItem pages are decoded by the json module, not botocore's shape walker.

Once a day a sync reads everything, whatever the versions say (`FULL_READ_HOURS`), so a writer
that breaks these rules (a hand edit that keeps `updatedAt`) is caught within a day.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from zik.cloud.items import ROADMAP_MARKER

Wire = dict[str, Any]
Call = Callable[..., dict[str, Any]]
MARKER = ROADMAP_MARKER  # on a goal item: changes with every milestone write zik makes
FULL_READ_HOURS = 24
BATCH_GET = 100  # keys per BatchGetItem (DynamoDB's limit)
FETCH_BY_QUERY = 300  # more changed items than this: one Query of the table costs less
_FAST = ("Query", "BatchGetItem")


def parse_pages_in_c(client: Any) -> None:
    """Have botocore hand Query and BatchGetItem answers over as the json module reads them.

    Their items are AttributeValue maps either way ({"S": …}, {"N": "1"}); botocore's parser
    only walks them in Python first. Errors (status ≥ 300) are left to botocore. Should the
    event ever stop firing, botocore parses as before: slower, not different.
    """

    def take_over(response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_):
        if response_dict.get("status_code") != 200 or not response_dict.get("body"):
            return
        customized_response_dict.update(json.loads(response_dict["body"]))
        response_dict["body"] = b"{}"

    for operation in _FAST:
        client.meta.events.register(f"before-parse.dynamodb.{operation}", take_over)


def plain(value: dict[str, Any]) -> Any:
    """One AttributeValue as Python: whole numbers int, others float (as zik holds them)."""
    ((tag, inner),) = value.items()
    if tag == "S":
        return inner
    if tag == "N":
        number = Decimal(inner)
        return int(number) if number == number.to_integral_value() else float(number)
    if tag == "BOOL":
        return bool(inner)
    if tag == "NULL":
        return None
    if tag == "M":
        return {k: plain(v) for k, v in inner.items()}
    if tag == "L":
        return [plain(v) for v in inner]
    if tag == "SS":
        return set(inner)
    if tag == "NS":
        return {plain({"N": n}) for n in inner}
    if tag == "B":
        return inner if isinstance(inner, bytes) else base64.b64decode(inner)
    if tag == "BS":
        return {v if isinstance(v, bytes) else base64.b64decode(v) for v in inner}
    raise ValueError(f"unknown DynamoDB type {tag}")


def typed(value: Any) -> dict[str, Any]:
    """A Python value as an AttributeValue (what boto3's TypeSerializer makes, without
    importing boto3)."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | float | Decimal):
        return {"N": str(Decimal(str(value)))}
    if value is None:
        return {"NULL": True}
    if isinstance(value, dict):
        return {"M": {str(k): typed(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [typed(v) for v in value]}
    if isinstance(value, bytes):
        return {"B": value}
    if isinstance(value, set | frozenset) and value:
        if all(isinstance(v, str) for v in value):
            return {"SS": sorted(value)}
        if all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in value):
            return {"NS": sorted(str(Decimal(str(v))) for v in value)}
    raise TypeError(f"no DynamoDB type for {value!r}")


def decode(item: dict[str, Any]) -> Wire:
    return {name: plain(value) for name, value in item.items()}


def query(call: Call, table: str, key: str, value: str, project: tuple[str, ...] = ()):
    """Every item of one partition (all pages); with `project`, only those attributes."""
    found: list[Wire] = []
    args: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "#k = :v",
        "ExpressionAttributeNames": {"#k": key},
        "ExpressionAttributeValues": {":v": {"S": value}},
    }
    if project:
        names = {f"#p{i}": name for i, name in enumerate(project)}
        args["ProjectionExpression"] = ", ".join(names)
        args["ExpressionAttributeNames"].update(names)
    while True:
        page = call("query", **args)
        found += [decode(item) for item in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            return found
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def fetch(call: Call, table: str, keys: list[dict[str, Any]]) -> list[Wire]:
    """The items at these keys (typed key maps) that exist, read consistently."""
    found: list[Wire] = []
    for first in range(0, len(keys), BATCH_GET):
        wanted: dict[str, Any] = {
            table: {"Keys": keys[first : first + BATCH_GET], "ConsistentRead": True}
        }
        while wanted:
            page = call("batch_get_item", RequestItems=wanted)
            found += [decode(item) for item in page.get("Responses", {}).get(table, [])]
            wanted = page.get("UnprocessedKeys") or {}
    return found


def changed(
    call: Call,
    table: str,
    keys: tuple[str, str],
    user_id: str,
    versions: dict[str, str],
    extra: tuple[str, ...] = (),
) -> tuple[list[Wire], set[str], dict[str, Wire]]:
    """The items of the user that may differ from `versions` (key -> updatedAt), whole; the
    keys found at exactly that version (not fetched); and the listing (key, updatedAt and
    `extra` attributes of every item)."""
    partition, sort = keys
    listed = {
        str(item.get(sort)): item
        for item in query(call, table, partition, user_id, (sort, "updatedAt", *extra))
    }
    same = {
        key
        for key, item in listed.items()
        if key in versions and item.get("updatedAt") == versions[key]
    }
    wanted = set(listed) - same
    if len(wanted) > FETCH_BY_QUERY:
        whole = [i for i in query(call, table, partition, user_id) if str(i.get(sort)) in wanted]
    else:
        typed = [{partition: {"S": user_id}, sort: {"S": key}} for key in sorted(wanted)]
        whole = fetch(call, table, typed)
    return whole, same, listed
