"""The `dynamodb` remote: the backend's own tables, read and written with the user's AWS
credentials (self-hosted deployments, DESIGN.md §8).

Items are exactly what the backend's Lambdas read (reference/backend-contract.md §4): camelCase
attributes, `userId` partition keys, milestones keyed by `epicId` + `sequence` (a number), chat
messages keyed by `timestamp` with a `ttl` 30 days on. Every write is conditional on the item's
`updatedAt` being the one last pulled (or on the item not existing), so an edit made meanwhile
elsewhere is never overwritten. Throttling, 5xx and dropped connections are retried with
backoff by botocore's standard retry mode.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from zik import config
from zik.cloud import listing, stamps
from zik.cloud.items import (
    CHAT,
    KINDS,
    MILESTONE,
    PROFILE,
    QUEST,
    TASK,
    Kind,
    profile_names,
    read_all,
)
from zik.cloud.remote import Delete, Deletion, Known, Op, Pulled, Pushed, Write
from zik.cloud.stamps import Stamped
from zik.errors import AccessError, TemporaryError, UsageError, ZikError

Wire = dict[str, Any]
TTL_DAYS = 30  # the backend's chatHistoryRetentionDays
TRANSACTION_SIZE = 25  # writes per TransactWriteItems (DynamoDB allows 100 and 4 MB)
TRANSACTION_LIMIT = 100  # one quest's milestone keys go in one transaction, up to this
KEYS = {  # each table's key attributes (§4.1)
    "goals": ("userId", "goalId"),
    "tasks": ("userId", "taskId"),
    "users": ("userId",),
    "routines": ("userId", "recurrenceRuleId"),
    "chat": ("userId", "timestamp"),
    "milestones": ("epicId", "sequence"),
}


class DynamoRemote:
    name = "dynamodb"

    def __init__(self, user_id: str, email: str, display_name: str | None = None):
        import botocore.session
        from botocore.config import Config

        self.user_id, self.email, self.display_name = user_id, email, display_name
        self.tables = {k.table: str(config.get(f"cloud.tables.{k.table}")) for k in KINDS}
        missing = [name for name, physical in self.tables.items() if not physical]
        if missing:
            raise UsageError(
                f"the dynamodb remote needs the backend's table names (missing: {', '.join(missing)})",
                hint="zik cloud setup --stack NAME, or --table goals=NAME …",
            )
        self.region = config.aws_region(str(config.get("cloud.region")) or None)
        # botocore itself: boto3 adds nothing used here but ~0.2 s of imports (s3transfer)
        self.session = botocore.session.Session()
        self.client = self.session.create_client(
            "dynamodb",
            region_name=self.region,
            config=Config(retries={"mode": "standard", "max_attempts": 6}, connect_timeout=5),
        )
        listing.parse_pages_in_c(self.client)
        self._profile_raw: Wire = {}
        # each pulled quest's milestone keys: sequence -> (milestoneId, updatedAt) there
        self._goals: dict[str, str | None] = {}  # each goal there, with its milestone marker
        self.roadmaps: dict[str, str] = {}  # the marker each milestone write set, by quest
        self.server_time: str | None = None  # the `Date` of its first answer (stamps.py)
        self._slots: dict[str, dict[int, tuple[str | None, str | None]]] = {}

    # -- what it holds: everything --------------------------------------------------------

    def fields(self, kind: Kind) -> tuple[str, ...]:
        return tuple(f.wire for f in kind.fields)

    def writable(self, kind: Kind) -> bool:
        return True

    def read_only(self, kind: Kind) -> tuple[str, ...]:
        return ()

    def covers(self, kind: Kind, record: Wire) -> bool:
        return True

    # -- reading ---------------------------------------------------------------------------

    def _query(self, table: str, key: str, value: str) -> list[Wire]:
        return listing.query(self._call, self.tables[table], key, value)

    def pull(self, quest_ids: set[str], known: Known | None = None) -> Pulled:
        """Every record of the user; given what is `known`, goals and tasks at their known
        version are only listed and quests whose milestones nothing moved are not read
        (cloud/listing.py)."""
        self.server_time = None  # (this pull's: a remote may serve many syncs)
        pulled = Pulled(stamps={})
        moved: set[str] = set()  # quests whose milestones may have been written there
        for kind in KINDS:
            if kind is MILESTONE:
                continue
            if kind is PROFILE:
                got = self._call(
                    "get_item",
                    TableName=self.tables["users"],
                    Key={"userId": {"S": self.user_id}},
                    ConsistentRead=True,
                )
                items = [self._decode(got["Item"])] if "Item" in got else []
                self._profile_raw = items[0] if items else {}
            elif kind in (QUEST, TASK) and known is not None:
                versions = known.versions.get(kind.entity, {})
                extra = (listing.MARKER,) if kind is QUEST else ()
                items, same, listed = listing.changed(
                    self._call, self.tables[kind.table], KEYS[kind.table], self.user_id,
                    versions, extra,
                )  # fmt: skip
                pulled.unchanged[kind.entity] = same
                if kind is QUEST:
                    self._goals = {key: item.get(listing.MARKER) for key, item in listed.items()}
                    moved |= set(versions) - same  # changed, new or gone there
                    moved |= {
                        key
                        for key, marker in self._goals.items()
                        if known.roadmaps.get(key, "?") != (marker or "")
                    }
                else:
                    moved |= {str(item.get("goalId")) for item in items}  # (progression)
            else:
                items = self._query(kind.table, "userId", self.user_id)
                if kind is QUEST:
                    self._goals = {item["goalId"]: item.get(listing.MARKER) for item in items}
            pulled.records[kind.entity] = read_all(kind, items, pulled.skipped, pulled.notes)
            pulled.stamps[kind.entity] = _stamps_of(kind, items, pulled.records[kind.entity])
        quest_ids = quest_ids | set(self._goals)
        if known is not None:
            pulled.unread = quest_ids - moved - known.pending
            quest_ids -= pulled.unread
        milestones: dict[str, Wire] = {}
        self._slots = {}
        for quest_id in sorted(quest_ids):
            pulled.roadmaps[quest_id] = self._goals.get(quest_id) or ""
            mine = [
                item
                for item in self._query("milestones", "epicId", quest_id)
                if item.get("userId") in (None, self.user_id)
            ]  # milestones are not partitioned by user
            self._slots[quest_id] = {
                item["sequence"]: (item.get("milestoneId"), item.get("updatedAt"))
                for item in mine
                if isinstance(item.get("sequence"), int)
            }
            mine, twice = _once(mine)
            pulled.repair |= {("milestone", key) for key in twice}
            read = read_all(MILESTONE, mine, pulled.skipped, pulled.notes)
            slots = self._slots[quest_id].items()
            if unreadable := {seq for seq, (ident, _) in slots if ident not in read}:
                pulled.taken[quest_id] = unreadable
            milestones.update(read)
            pulled.stamps.setdefault("milestone", {}).update(_stamps_of(MILESTONE, mine, read))
        pulled.records["milestone"] = milestones
        return pulled

    # -- writing ---------------------------------------------------------------------------

    def apply(self, ops: list[Op]) -> list[Pushed]:
        """Apply the writes: in transactions of up to 100 (the only way DynamoDB batches
        conditional writes), one by one where a record changes key. After a failure the rest
        wait, marked with the error."""
        done: list[Pushed | None] = [None] * len(ops)
        batch: list[int] = []
        keys: set[str] = set()
        roadmaps: dict[str, list[int]] = {}
        sent: list[int] = []  # the writes of the request under way
        try:
            for i, op in enumerate(ops):
                if op.kind is MILESTONE:
                    roadmaps.setdefault(op.record["epicId"], []).append(i)
                    continue
                key = repr(self._key(op.kind, op.record))
                if key in keys:
                    sent = [i]
                    done[i] = Pushed(self._apply(op))
                    continue
                batch.append(i)
                keys.add(key)
                if len(batch) == TRANSACTION_SIZE:
                    sent = list(batch)
                    self._transact(ops, batch, done)
                    batch, keys = [], set()
            sent = list(batch)
            self._transact(ops, batch, done)
            goals = {op.record["goalId"]: isinstance(op, Write) for op in ops if op.kind is QUEST}
            for quest_id, members in sorted(roadmaps.items()):
                sent = members
                alive = goals.get(quest_id, quest_id in self._goals)  # (after the writes above)
                ok = self._reposition(quest_id, [ops[i] for i in members], alive)
                for i in members:
                    done[i] = Pushed(ok)
        except ZikError as e:
            return [p or Pushed(False, error=e, unsent=i not in sent) for i, p in enumerate(done)]
        return [p or Pushed(False) for p in done]

    def _reposition(self, quest_id: str, ops: list[Op], alive: bool) -> bool:
        """Write one quest's milestone changes as one transaction over the keys they touch.

        The table's key is (epicId, sequence), so a move or a renumbering changes keys: each
        key ends with the milestone meant for it (a put) or with none (a delete), each
        conditional on the item there now being the one pulled (or on there being none). A
        swap is two puts over each other's items; nothing is ever left at two keys. Stale
        (False) if anything there changed since the pull. The goal item, if there, gets a
        new milestone marker in the same transaction, for other devices (cloud/listing.py).
        """
        slots = self._slots.get(quest_id, {})
        mine = {op.record["milestoneId"] for op in ops}
        wanted: dict[int, Wire] = {}
        for op in ops:
            if isinstance(op, Write):
                if op.record["sequence"] in wanted:
                    return False  # two at one number: the engine settles positions first
                wanted[op.record["sequence"]] = op
        vacated = {seq for seq, (ident, _) in slots.items() if ident in mine} - set(wanted)
        actions: list[dict[str, Any]] = []
        for seq in sorted(set(wanted) | vacated):
            condition = self._holding(slots.get(seq), mine)
            if seq in wanted:
                actions.append(
                    {"Put": {**condition, "TableName": self.tables["milestones"],
                             "Item": self._item(MILESTONE, wanted[seq].record, wanted[seq].stamps)}}
                )  # fmt: skip
            else:
                key = {"epicId": {"S": quest_id}, "sequence": {"N": str(seq)}}
                actions.append(
                    {"Delete": {**condition, "TableName": self.tables["milestones"], "Key": key}}
                )
        marker = uuid.uuid4().hex
        if alive and actions:
            actions.append(
                {"Update": {
                    "TableName": self.tables["goals"],
                    "Key": {"userId": {"S": self.user_id}, "goalId": {"S": quest_id}},
                    "UpdateExpression": "SET #r = :r",
                    "ConditionExpression": "attribute_exists(#g)",
                    "ExpressionAttributeNames": {"#r": listing.MARKER, "#g": "goalId"},
                    "ExpressionAttributeValues": {":r": {"S": marker}},
                }}
            )  # fmt: skip
        if not self._all_or_none(actions):
            return False
        if alive and actions:
            self.roadmaps[quest_id] = marker
        return True

    @staticmethod
    def _holding(slot: tuple[str | None, str | None] | None, mine: set[str]) -> dict[str, Any]:
        """The condition for changing a milestone key: it holds what was pulled there (one
        of the milestones being written), or nothing; any other occupant makes it fail."""
        if slot is None or slot[0] not in mine or slot[1] is None:
            return {
                "ConditionExpression": "attribute_not_exists(#k)",
                "ExpressionAttributeNames": {"#k": "epicId"},
            }
        return {
            "ConditionExpression": "#m = :m AND #u = :u",
            "ExpressionAttributeNames": {"#m": "milestoneId", "#u": "updatedAt"},
            "ExpressionAttributeValues": {":m": {"S": slot[0]}, ":u": {"S": slot[1]}},
        }

    def _all_or_none(self, actions: list[dict[str, Any]]) -> bool:
        """Run the actions as one transaction (DynamoDB takes up to 100); False if a
        condition failed, and then none of them was applied."""
        import botocore.exceptions as boto_errors

        try:
            for first in range(0, len(actions), TRANSACTION_LIMIT):
                chunk = actions[first : first + TRANSACTION_LIMIT]
                if len(chunk) == 1:
                    ((verb, args),) = chunk[0].items()
                    self._call("put_item" if verb == "Put" else "delete_item", **args)
                else:
                    self._call("transact_write_items", TransactItems=chunk)
        except boto_errors.ClientError:
            return False  # (only condition failures reach here; _call translates the rest)
        return True

    def _transact(self, ops: list[Op], batch: list[int], done: list[Pushed | None]) -> None:
        """One transaction; a write whose condition failed is stale, and the others (cancelled
        with it) go again without it."""
        import botocore.exceptions as boto_errors

        while batch:
            actions = [self._action(ops[i]) for i in batch]
            try:
                if len(actions) == 1:
                    ((kind, args),) = actions[0].items()
                    self._call("put_item" if kind == "Put" else "delete_item", **args)
                else:
                    self._call("transact_write_items", TransactItems=actions)
            except boto_errors.ClientError as e:
                reasons = e.response.get("CancellationReasons") or []
                if len(reasons) != len(batch):  # one write alone: its condition failed
                    for i in batch:
                        done[i] = Pushed(False)
                    return
                stale = [i for i, r in zip(batch, reasons, strict=True) if r.get("Code") != "None"]
                for i in stale:
                    done[i] = Pushed(False)
                batch = [i for i in batch if i not in stale]
                continue
            for i in batch:
                done[i] = Pushed(True)
                if ops[i].kind is PROFILE and isinstance(ops[i], Write):
                    self._profile_raw = self._decode(actions[batch.index(i)]["Put"]["Item"])
            return

    def _action(self, op: Op) -> dict[str, Any]:
        if isinstance(op, Delete):
            return {"Delete": self._delete_args(op.kind, op.record, op.expected)}
        return {"Put": self._put_args(op.kind, op.record, op.expected, op.stamps)}

    def _apply(self, op: Op) -> bool:
        """One write on its own (a second write to a key already in the transaction)."""
        import botocore.exceptions as boto_errors

        try:
            if isinstance(op, Delete):
                self._call("delete_item", **self._delete_args(op.kind, op.record, op.expected))
                return True
            self._put(op.kind, op.record, op.expected, op.stamps)
            return True
        except boto_errors.ClientError as e:
            code = e.response.get("Error", {}).get("Code", "")
            if code in ("ConditionalCheckFailedException", "TransactionCanceledException"):
                return False
            raise _translate(e) from None

    def _key(self, kind: Kind, record: Wire) -> dict[str, Any]:
        item = self._item(kind, record)
        return {name: item[name] for name in KEYS[kind.table]}

    def _item(
        self, kind: Kind, record: Wire, edits: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """The DynamoDB item (typed) for a wire record, with `userId`, the backend's extras
        and, given `edits`, each field's edit stamp (cloud/stamps.py)."""
        plain: Wire = {"userId": self.user_id}
        preferences: Wire = {}
        for name, value in record.items():
            if name.startswith("preferences."):
                preferences[name.split(".", 1)[1]] = value
            elif value is not None:
                plain[name] = value
        if kind is PROFILE:
            raw = self._profile_raw
            plain["preferences"] = {
                **(raw.get("preferences") or {}),
                **{k: v for k, v in preferences.items() if v is not None},
            }
            names = profile_names(self.email, self.display_name)
            plain.setdefault("email", raw.get("email") or self.email)
            for name in ("username", "firstName", "lastName"):
                plain[name] = raw.get(name) or names[name]
            for extra in ("avatarUrl", "lastLoginAt"):
                if raw.get(extra) is not None:
                    plain[extra] = raw[extra]
        if kind is CHAT:
            sent = datetime.fromisoformat(str(record["timestamp"]).replace("Z", "+00:00"))
            plain["ttl"] = int((sent + timedelta(days=TTL_DAYS)).timestamp())
        if edits is not None and kind is not CHAT:
            plain[stamps.ATTRIBUTE] = stamps.encode(record, edits)
        return {k: listing.typed(v) for k, v in plain.items()}

    def _put_args(
        self, kind: Kind, record: Wire, expected: str | None, edits: dict[str, str]
    ) -> dict[str, Any]:
        """A PutItem conditional on the item's `updatedAt` (or on there being no item)."""
        args: dict[str, Any] = {
            "TableName": self.tables[kind.table],
            "Item": self._item(kind, record, edits),
        }
        if expected is None:
            args["ConditionExpression"] = "attribute_not_exists(#k)"
            args["ExpressionAttributeNames"] = {"#k": KEYS[kind.table][0]}
        else:
            args["ConditionExpression"] = "#u = :u"
            args["ExpressionAttributeNames"] = {"#u": "updatedAt"}
            args["ExpressionAttributeValues"] = {":u": {"S": expected}}
        return args

    def _put(self, kind: Kind, record: Wire, expected: str | None, edits: dict[str, str]) -> None:
        args = self._put_args(kind, record, expected, edits)
        self._call("put_item", **args)
        if kind is PROFILE:
            self._profile_raw = self._decode(args["Item"])

    def _delete_args(self, kind: Kind, record: Wire, expected: str | None) -> dict[str, Any]:
        args: dict[str, Any] = {
            "TableName": self.tables[kind.table],
            "Key": self._key(kind, record),
        }
        if expected is not None and kind is not CHAT:
            args["ConditionExpression"] = "#u = :u"
            args["ExpressionAttributeNames"] = {"#u": "updatedAt"}
            args["ExpressionAttributeValues"] = {":u": {"S": expected}}
        return args

    # -- account deletion ------------------------------------------------------------------

    gaps: dict[str, str] = {}
    not_pushed: dict[str, str] = {}

    def delete_account(self, known: dict[str, set[str]]) -> Deletion:
        """Every item of the user in every table (the backend's own cascade misses most,
        reference §7.7), then the Cognito user, with the same AWS credentials: whoever may
        write the backend's tables directly administers its user pool too."""
        removed = Deletion(self._delete_items(), user_deleted=True)
        pool_id = str(config.get("cloud.user_pool_id"))
        try:
            self.session.create_client("cognito-idp", region_name=self.region).admin_delete_user(
                UserPoolId=pool_id, Username=self.user_id
            )
        except Exception as e:
            raise _translate(e, "Cognito") from None
        return removed

    def _delete_items(self) -> dict[str, int]:
        removed: dict[str, int] = {}
        entities = {"tasks": "task", "routines": "routine", "chat": "chat", "goals": "quest"}
        goal_ids = [g["goalId"] for g in self._query("goals", "userId", self.user_id)]
        for table in ("tasks", "routines", "chat", "goals"):
            keys = [
                {name: listing.typed(item[name]) for name in KEYS[table]}
                for item in self._query(table, "userId", self.user_id)
            ]
            removed[entities[table]] = self._batch_delete(table, keys)
        keys = []
        seen: set[tuple[str, int]] = set()
        for goal_id in goal_ids:
            for item in self._query("milestones", "epicId", goal_id):
                seen.add((item["epicId"], item["sequence"]))
        args: dict[str, Any] = {  # orphans whose goal is already gone carry the userId too
            "TableName": self.tables["milestones"],
            "FilterExpression": "userId = :u",
            "ExpressionAttributeValues": {":u": {"S": self.user_id}},
        }
        while True:
            page = self._call("scan", **args)
            for item in page.get("Items", []):
                decoded = self._decode(item)
                seen.add((decoded["epicId"], decoded["sequence"]))
            if "LastEvaluatedKey" not in page:
                break
            args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        keys = [{"epicId": {"S": e}, "sequence": {"N": str(s)}} for e, s in sorted(seen)]
        removed["milestone"] = self._batch_delete("milestones", keys)
        got = self._call(
            "get_item", TableName=self.tables["users"], Key={"userId": {"S": self.user_id}}
        )
        if "Item" in got:
            self._call(
                "delete_item", TableName=self.tables["users"], Key={"userId": {"S": self.user_id}}
            )
            removed["profile"] = 1
        return removed

    def _batch_delete(self, table: str, keys: list[dict[str, Any]]) -> int:
        for start in range(0, len(keys), 25):
            requests = {
                self.tables[table]: [
                    {"DeleteRequest": {"Key": k}} for k in keys[start : start + 25]
                ]
            }
            while requests:
                result = self._call("batch_write_item", RequestItems=requests)
                requests = result.get("UnprocessedItems") or {}
        return len(keys)

    # -- plumbing --------------------------------------------------------------------------

    def _decode(self, item: dict[str, Any]) -> Wire:
        return listing.decode(item)

    def _call(self, operation: str, **args: Any) -> dict[str, Any]:
        import botocore.exceptions as boto_errors

        try:
            answer = getattr(self.client, operation)(**args)
            headers = answer.get("ResponseMetadata", {}).get("HTTPHeaders", {})
            self.server_time = self.server_time or stamps.http_date(headers.get("date"))
            return answer
        except boto_errors.ClientError as e:
            code = e.response.get("Error", {}).get("Code", "")
            if code in ("ConditionalCheckFailedException", "TransactionCanceledException"):
                raise
            raise _translate(e) from None
        except boto_errors.BotoCoreError as e:
            raise _translate(e) from None


def _stamps_of(kind: Kind, items: list[Wire], read: dict[str, Wire]) -> dict[str, Stamped]:
    """What each item read says of when its fields were edited (cloud/stamps.py)."""
    if kind is CHAT:
        return {}
    found: dict[str, Stamped] = {}
    for item in items:
        key = "1" if kind is PROFILE else str(item.get(kind.id_attr))
        if key in read:
            found[key] = stamps.decode(item.get(stamps.ATTRIBUTE), read[key])
    return found


def _once(items: list[Wire]) -> tuple[list[Wire], set[str]]:
    """One item per milestoneId; returns them and the ids found at more than one key (a
    renumbering cut off by an older zik, or a hand edit). The kept copy is the latest written
    (then the lower sequence); the others go when the engine writes that milestone again."""
    best: dict[Any, Wire] = {}
    twice: set[str] = set()
    for item in items:
        ident = item.get("milestoneId")
        if not isinstance(ident, str):
            best[id(item)] = item  # unreadable: read_all says why
            continue
        held = best.get(ident)
        if held is not None:
            twice.add(ident)
            if (str(held.get("updatedAt")), -held["sequence"]) >= (
                str(item.get("updatedAt")),
                -item["sequence"],
            ):
                continue
        best[ident] = item
    return list(best.values()), twice


def _translate(error: Exception, service: str = "DynamoDB") -> ZikError:
    import botocore.exceptions as boto_errors

    if isinstance(error, ZikError):
        return error
    if isinstance(error, boto_errors.NoCredentialsError):
        return AccessError(
            "the dynamodb remote needs AWS credentials",
            hint="set AWS_PROFILE or AWS access keys, or use the api remote",
        )
    if isinstance(error, boto_errors.ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        message = error.response.get("Error", {}).get("Message", "")
        if code in ("AccessDeniedException", "UnrecognizedClientException", "ExpiredToken"):
            return AccessError(f"{service} refused access: {message or code}")
        if code == "ResourceNotFoundException":
            return UsageError(
                f"a backend table does not exist: {message}", hint="check zik cloud setup"
            )
        if "Throttl" in code or "ProvisionedThroughput" in code or code.startswith("Internal"):
            return TemporaryError(f"{service} is busy ({code})", hint="try again in a minute")
        return ZikError(f"{service} error {code}: {message}")
    return TemporaryError(
        f"cannot reach DynamoDB: {error}", hint="check the network, then sync again"
    )
