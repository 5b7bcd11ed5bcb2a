"""The rules' knowledge in one frozen record: the scheme, the cues and what the gazetteer says of actors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.scheme import Cues, EventType, Grammar, load_cues, load_event_types, load_grammar
from kg.gazetteer import load_gazetteer
from kg.records import Actor
from kg.resources import load_toml


# (compared and hashed by identity: loaded once, it keys the rules' memos of what a stretch of text says)
@dataclass(frozen=True, eq=False)
class Knowledge:
    """What the rules know besides the article, loaded once per extractor: the event-type scheme, the cue lexicon
    and what the gazetteer says of its actors.  The rules' functions take it as their first argument, ``kb``."""
    types: dict[str, EventType]
    cues: Cues
    grammar: Grammar
    # the cues of the "cancelled" modality
    cancelling: tuple[re.Pattern[str], ...]
    countries: frozenset[str]
    # Organisations whose name (or a known alias) says they are a side in a conflict ("... Liberation
    # Front", "Rapid Support Forces"), unlike a ministry, an alliance or a news agency.
    sides: frozenset[str]
    known: frozenset[str]
    # The head of state or government of each country, when the gazetteer knows exactly one: who "the two
    # presidents" of a process are.
    heads: dict[str, Actor]
    # The pronouns that stand for a person named before ("he", "she"; data/lexicons/actors.toml).
    person_pronouns: frozenset[str]

    @classmethod
    def load(cls) -> Knowledge:
        """The scheme (``data/event_types.toml``), the cues and grammar (``data/lexicons/extraction.toml``) and the
        gazetteer."""
        types = load_event_types()
        cues = load_cues()
        gazetteer = load_gazetteer()
        heads: dict[str, list[Actor]] = {}
        for actor in gazetteer.actors.values():
            if actor.kind == "person" and actor.affiliation and actor.title \
                    and any(p.search(actor.title.lower()) for p in cues.leader_titles):
                heads.setdefault(actor.affiliation, []).append(actor)
        presidents = {country: [a for a in found if a.title.lower().startswith("president")]
                      for country, found in heads.items()}
        return cls(
            types=types,
            cues=cues,
            grammar=load_grammar(),
            cancelling=next((p for name, p in cues.modality if name == "cancelled"), ()),
            countries=frozenset(a.id for a in gazetteer.actors.values() if a.kind == "country"),
            sides=frozenset(a.id for a in gazetteer.actors.values() if a.kind == "organization"
                            and not a.affiliation and any(p.search(n) for n in (a.name, *a.aliases)
                                                          for p in cues.side_names)),
            known=frozenset(gazetteer.actors),
            person_pronouns=frozenset(w.lower() for w in load_toml("lexicons", "actors.toml")["person_pronouns"]),
            heads={country: found[0] if len(found) == 1 else presidents[country][0] for country, found in heads.items()
                   if len(found) == 1 or len(presidents[country]) == 1})

    def may_be_side(self, key: str, name: str = "") -> bool:
        """A body that may be a side of a conflict: one known as a side, or one no gazetteer knows (not the Red
        Cross or the United Nations) whose name does not call it a body of states ("the Osterby Gulf Community")."""
        if key in self.sides:
            return True
        if key in self.known:
            return False
        return not any(p.search(name) for p in self.cues.body_names) \
            or any(p.search(name) for p in (*self.cues.side_names, *self.cues.armed_names))
