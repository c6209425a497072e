"""Encode AWS event-stream messages, the binary framing ConverseStream uses on the wire.

The fake Bedrock server writes these bytes so that botocore's real event-stream decoder (CRC checks,
header parsing, JSON payloads) runs in tests, exactly as against AWS. Layout (big-endian), see
shared/reference/deps.md §4:

    [total_len u32][headers_len u32][crc32(prelude) u32][headers][payload][crc32(all previous) u32]

Each header is `[name_len u8][name][type u8 = 7 (string)][value_len u16][value]`.
"""

from __future__ import annotations

import binascii
import json
import struct
from typing import Any

_STRING = 7  # header value type: UTF-8 string with a u16 length
_PRELUDE = struct.Struct(">II")
_CRC = struct.Struct(">I")


def _crc32(data: bytes) -> int:
    return binascii.crc32(data) & 0xFFFFFFFF


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode("utf-8"), value.encode("utf-8")
    if len(raw_name) > 255 or len(raw_value) > 0xFFFF:
        raise ValueError(f"event-stream header too long: {name!r}")
    return (
        struct.pack(">B", len(raw_name))
        + raw_name
        + struct.pack(">BH", _STRING, len(raw_value))
        + raw_value
    )


def encode_message(headers: dict[str, str], payload: bytes) -> bytes:
    """Frame one message: prelude, its CRC, string headers, payload and the message CRC."""
    raw_headers = b"".join(_header(name, value) for name, value in headers.items())
    total_len = _PRELUDE.size + _CRC.size + len(raw_headers) + len(payload) + _CRC.size
    prelude = _PRELUDE.pack(total_len, len(raw_headers))
    message = prelude + _CRC.pack(_crc32(prelude)) + raw_headers + payload
    return message + _CRC.pack(_crc32(message))


def _json(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


def event(event_type: str, payload: dict[str, Any]) -> bytes:
    """A normal event such as `contentBlockDelta`; the payload is the JSON of the event member."""
    headers = {
        ":event-type": event_type,
        ":content-type": "application/json",
        ":message-type": "event",
    }
    return encode_message(headers, _json(payload))


def exception(exception_type: str, message: str) -> bytes:
    """An in-stream error such as `throttlingException`, which botocore raises while iterating."""
    headers = {
        ":exception-type": exception_type,
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    return encode_message(headers, _json({"message": message}))
