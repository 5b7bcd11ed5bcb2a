"""JSON form of the pipeline's records, for the build state (``kg/store.py``) and cluster transfers.

``encode`` turns a frozen record into plain JSON values (dates as ISO strings,
tuples as lists, records as objects with their field names); ``decode`` reads
that back into the same record, guided by the record's type hints, so the two
are inverses:

>>> from datetime import date
>>> from kg.records import Participant, Link
>>> link = Link("event-a", "event-b", "next", date(2030, 5, 14))
>>> encode(link)
{'source': 'event-a', 'target': 'event-b', 'type': 'next', 'date': '2030-05-14'}
>>> decode(Link, encode(link)) == link
True
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, Union

T = TypeVar("T")


def encode(value: Any) -> Any:
    """Plain JSON values for a record (or a tuple / list of them)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode(kind: type[T], data: Any) -> T:
    """The record of type ``kind`` that ``encode`` turned into ``data``."""
    return _decoder(kind)(data)


def _identity(data: Any) -> Any:
    return data


@cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A decoding function per type, built once: decoding 100,000 articles must not re-inspect hints."""
    origin = typing.get_origin(kind)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(options) > 1:
            return _identity             # int | float: JSON already gives the right number
        inner = _decoder(options[0])
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            if item is _identity:
                return tuple
            return lambda data: tuple(item(v) for v in data)
        parts = tuple(_decoder(a) for a in args)
        return lambda data: tuple(part(v) for part, v in zip(parts, data))
    if dataclasses.is_dataclass(kind):
        fields = [(name, _decoder(hint)) for name, hint in typing.get_type_hints(kind).items()]
        plain = {name for name, fn in fields if fn is _identity}
        convert = [(name, fn) for name, fn in fields if fn is not _identity]

        def record(data: dict[str, Any]) -> Any:
            values = {name: data[name] for name in plain if name in data}
            for name, fn in convert:
                if name in data:
                    values[name] = fn(data[name])
            return kind(**values)
        return record
    if kind is date:
        return date.fromisoformat
    return _identity
