"""A board paper as JSON and back, exactly: the frozen record of what an issued paper said.

The serialiser walks the BoardPaper dataclasses by their type hints, so a field added to the paper is kept
without changes here. Dates and times are ISO 8601 strings; tuples are lists; nested dataclasses are objects.
Reading back gives a paper equal (==) to the one written. A field missing from an older snapshot takes its
default if it has one; a field the paper no longer has is ignored. A number that is not finite (NaN, a limit that
too few points cannot set) is written as null and read back as NaN.

The checksum is SHA-256 over the canonical JSON (keys sorted, no spaces, UTF-8), so it does not depend on how a
database stores the JSON (PostgreSQL's jsonb reorders keys).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import json
import math
import types
import typing
from functools import cache
from typing import Any

from .board_paper import BoardPaper

# Bumped when the layout of the JSON changes in a way old snapshots need converting for.
SCHEMA_VERSION = 1


class SnapshotError(ValueError):
    """The JSON is not a board paper this version can read."""


def paper_to_data(paper: BoardPaper) -> dict[str, Any]:
    """The paper as JSON-safe data: {"schema": 1, "paper": {...}}."""
    return {"schema": SCHEMA_VERSION, "paper": _encode(paper)}


def paper_from_data(data: dict[str, Any]) -> BoardPaper:
    """The paper the data was made from (raises SnapshotError if it is not one)."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION or "paper" not in data:
        raise SnapshotError(f"Not a board paper snapshot of schema {SCHEMA_VERSION}.")
    return _decode(BoardPaper, data["paper"], "paper")


def snapshot_to_data(value: Any) -> dict[str, Any]:
    """Any paper made of dataclasses (the BAF paper too) as JSON-safe data, in the board paper's layout."""
    return {"schema": SCHEMA_VERSION, "paper": _encode(value)}


def snapshot_from_data(cls: type, data: dict[str, Any]) -> Any:
    """The paper of dataclass `cls` the data was made from (raises SnapshotError if it is not one)."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION or "paper" not in data:
        raise SnapshotError(f"Not a paper snapshot of schema {SCHEMA_VERSION}.")
    return _decode(cls, data["paper"], "paper")


def canonical_json(data: Any) -> bytes:
    """One byte sequence for one value: keys sorted, no spaces, UTF-8."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def checksum(data: Any) -> str:
    """SHA-256 of the canonical JSON, as 64 hex digits."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


# Writing ------------------------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _encode(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | str):
        return _plain(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None  # JSON has no NaN: a missing number is null
    raise SnapshotError(f"Cannot store a {type(value).__name__} in a board paper snapshot.")


def _plain(value: Any) -> Any:
    """Enum members (TextChoices) as their plain value, so the JSON holds only JSON types."""
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    if isinstance(value, int) and type(value) not in (int, bool):
        return int(value)
    return value


# Reading ------------------------------------------------------------------------------------------------------


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None:
            if type(None) in options:
                return None
            raise SnapshotError(f"{where}: missing value.")
        chosen = [option for option in options if option is not type(None)]
        if len(chosen) != 1:
            raise SnapshotError(f"{where}: cannot read a value of {hint}.")
        return _decode(chosen[0], value, where)
    if origin is tuple:
        args = typing.get_args(hint)
        _expect(value, list, where)
        if len(args) == 2 and args[1] is Ellipsis:
            # A chart's figures are read in one pass; anything odd is read again item by item.
            plain = _PLAIN_ITEMS.get(args[0])
            if plain is not None:
                try:
                    return tuple(map(plain, value))
                except _NotPlain:
                    pass
            return tuple(_decode(args[0], item, f"{where}[{i}]") for i, item in enumerate(value))
        if len(args) != len(value):
            raise SnapshotError(f"{where}: expected {len(args)} items.")
        return tuple(
            _decode(arg, item, f"{where}[{i}]") for i, (arg, item) in enumerate(zip(args, value, strict=True))
        )
    if origin is list:
        _expect(value, list, where)
        (arg,) = typing.get_args(hint)
        return [_decode(arg, item, f"{where}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        _expect(value, dict, where)
        _, arg = typing.get_args(hint)
        return {key: _decode(arg, item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        _expect(value, dict, where)
        hints = _hints(hint)
        kwargs = {}
        for f in dataclasses.fields(hint):
            if not f.init:
                continue
            if f.name in value:
                kwargs[f.name] = _decode(hints[f.name], value[f.name], f"{where}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SnapshotError(f"{where}: the snapshot has no {f.name}.")
        return hint(**kwargs)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):  # stored as its plain value (see _plain)
        try:
            return hint(value)
        except ValueError:
            raise SnapshotError(f"{where}: {value!r} is not a {hint.__name__}.") from None
    if hint is datetime.datetime:
        _expect(value, str, where)
        return datetime.datetime.fromisoformat(value)
    if hint is datetime.date:
        _expect(value, str, where)
        return datetime.date.fromisoformat(value)
    if hint is bool:
        _expect(value, bool, where)
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SnapshotError(f"{where}: expected a whole number.")
        return value
    if hint is float:
        if value is None:  # written from NaN (a limit too few points could set): read back as NaN
            return math.nan
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SnapshotError(f"{where}: expected a number.")
        return float(value)
    if hint is str:
        _expect(value, str, where)
        return value
    if hint is Any:
        return value
    raise SnapshotError(f"{where}: cannot read a value of {hint}.")


class _NotPlain(Exception):
    """An item the one-pass reading of a tuple does not take: `_decode` reads it, and says what is wrong."""


def _plain_float(value: Any) -> float:
    if type(value) is float:
        return value
    if type(value) is int:
        return float(value)
    if value is None:
        return math.nan
    raise _NotPlain


def _plain_optional_float(value: Any) -> float | None:
    return None if value is None else _plain_float(value)


def _plain_of(kind: type):
    def read(value: Any) -> Any:
        if type(value) is not kind:  # bool is not int here, as in _decode
            raise _NotPlain
        return value

    return read


# How `_decode` reads each item of a long tuple of plain values (a chart's figures, flags and codes), the same way
# it reads one, without building each item's place in the snapshot for an error that is not there: most of the
# 60-measure report's snapshot is such tuples (bench/ipr.py, ADR 0064).
_PLAIN_ITEMS: dict[Any, Any] = {
    float: _plain_float,
    float | None: _plain_optional_float,
    int: _plain_of(int),
    bool: _plain_of(bool),
    str: _plain_of(str),
}


def _expect(value: Any, kind: type, where: str) -> None:
    if not isinstance(value, kind):
        raise SnapshotError(f"{where}: expected {kind.__name__}, found {type(value).__name__}.")
