"""The actor and place gazetteers (``data/gazetteer/*.csv``), loaded once per process.

The gazetteer is a help, not a limit: the annotate stage also finds people by
title patterns.  Countries carry their demonyms ("Norlandic") and metonyms
(the capital, "Norburg"), which stand for the country's government when they
act (see ``docs/actors.md`` in the README's "Actors" section).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cache

from kg.records import Actor, Place
from kg.resources import KnowledgeError, data_file


@dataclass(frozen=True)
class Gazetteer:
    actors: dict[str, Actor]
    places: dict[str, Place]
    place_country: dict[str, str] = field(default_factory=dict)
    place_kind: dict[str, str] = field(default_factory=dict)     # city | venue | region
    place_city: dict[str, str] = field(default_factory=dict)     # venue -> the city it stands in
    # Surface form as written -> ("actor" | "demonym" | "metonym", actor id)
    actor_surfaces: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Surface form as written -> place id.  A capital is in both maps; annotate decides by context.
    place_surfaces: dict[str, str] = field(default_factory=dict)

    def actor_by_name(self, name: str) -> Actor | None:
        """The actor a full name or alias denotes, if the gazetteer knows it.

        >>> Gazetteer({}, {}).actor_by_name("Nobody") is None
        True
        """
        hit = self.actor_surfaces.get(name)
        return self.actors.get(hit[1]) if hit else None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _rows(name: str) -> list[dict[str, str]]:
    path = data_file("gazetteer", name)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for number, row in enumerate(rows, start=2):
        if not row.get("id") or not row.get("name"):
            raise KnowledgeError(f"{path}, line {number}: every row needs an id and a name; fix the row")
    return rows


def initials(name: str) -> str:
    """The capitals an organisation's name is shortened to ("the CLA" for the Corvo Liberation Army).

    >>> initials("Corvo Liberation Army"), initials("Front for the Liberation of Vesta")
    ('CLA', 'FLV')
    """
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def _initialled(actor: Actor) -> tuple[str, ...]:
    """A person's name with the given names as initials, as some outlets write it ("A. Morales").

    >>> _initialled(Actor(id="ana-morales", name="Ana Morales", kind="person"))
    ('A. Morales',)
    """
    parts = actor.name.split()
    if actor.kind != "person" or len(parts) < 2 or not all(p[:1].isupper() for p in parts):
        return ()
    return (" ".join(f"{p[0]}." for p in parts[:-1]) + f" {parts[-1]}",)


@cache
def load_gazetteer() -> Gazetteer:
    """Read ``actors.csv`` and ``places.csv`` once per process."""
    actors: dict[str, Actor] = {}
    actor_surfaces: dict[str, tuple[str, str]] = {}
    for row in _rows("actors.csv"):
        aliases = _split(row.get("aliases"))
        actor = Actor(id=row["id"], name=row["name"], kind=row.get("kind") or "organization",
                      aliases=aliases, wikidata=row.get("wikidata") or None, title=row.get("title") or None,
                      affiliation=row.get("affiliation") or None)
        actors[actor.id] = actor
        for surface in (actor.name, *aliases, *_initialled(actor)):
            actor_surfaces.setdefault(surface, ("actor", actor.id))
        for demonym in _split(row.get("demonyms")):
            actor_surfaces.setdefault(demonym, ("demonym", actor.id))
        for metonym in _split(row.get("metonyms")):
            actor_surfaces.setdefault(metonym, ("metonym", actor.id))
    places: dict[str, Place] = {}
    place_country: dict[str, str] = {}
    place_surfaces: dict[str, str] = {}
    place_kind: dict[str, str] = {}
    place_city: dict[str, str] = {}
    for row in _rows("places.csv"):
        place = Place(id=row["id"], name=row["name"], wikidata=row.get("wikidata") or None)
        places[place.id] = place
        if row.get("country"):
            place_country[place.id] = row["country"]
        place_kind[place.id] = row.get("kind") or "city"
        if row.get("city"):
            place_city[place.id] = row["city"]
        for surface in (place.name, *_split(row.get("aliases"))):
            place_surfaces.setdefault(surface, place.id)
    return Gazetteer(actors=actors, places=places, place_country=place_country, place_kind=place_kind,
                     place_city=place_city, actor_surfaces=actor_surfaces, place_surfaces=place_surfaces)
