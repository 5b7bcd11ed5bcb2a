"""Find the run-time knowledge files (scheme, lexicons, gazetteers) and viewer assets.

In a wheel they live inside the package (``kg/_data``, ``kg/_viz``); in a
source checkout they are the repository's own ``data/`` and ``viz/``.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any


def _root(packaged: str, checkout: str) -> Traversable:
    inside = files("kg") / packaged
    if inside.is_dir():
        return inside
    return files("kg").parent / checkout  # type: ignore[attr-defined]


def data_file(*parts: str) -> Traversable:
    """A file under the knowledge directory, e.g. ``data_file("lexicons", "junk.toml")``."""
    return _root("_data", "data").joinpath(*parts)


def viz_file(*parts: str) -> Traversable:
    """A file under the viewer assets directory."""
    return _root("_viz", "viz").joinpath(*parts)


class KnowledgeError(ValueError):
    """A knowledge file (the lexicons, scheme and gazetteers under ``data/``) that cannot be used: the run stops,
    since no article is to blame for it."""


def check_names(table: str, given: Iterable[str], wanted: Iterable[str], reader: str) -> None:
    """A knowledge table must give exactly the names its reader has a field for: a missing name, or an unknown one
    (a typo, a name no code reads), is an error naming the table, both lists and how to fix them.

    >>> check_names("x.toml [t]", ["a", "c"], ["a", "b"], "kg.T")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.resources.KnowledgeError: x.toml [t]: missing b; unknown c: give each field of kg.T ...
    """
    given, wanted = set(given), set(wanted)
    missing, unknown = sorted(wanted - given), sorted(given - wanted)
    if missing or unknown:
        raise KnowledgeError(f"{table}: missing {', '.join(missing) or 'none'}; "
                             f"unknown {', '.join(unknown) or 'none'}: give each field of {reader} an entry there, "
                             "and check the spelling of the others")


@cache
def load_toml(*parts: str) -> dict[str, Any]:
    """Parse a TOML knowledge file once per process."""
    path = data_file(*parts)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"knowledge file {path} is missing: reinstall the package") from exc
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{path}: invalid TOML ({exc}); fix the file and run again") from exc
