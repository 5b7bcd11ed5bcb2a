"""A trigger's place in its sentence and the small word tests around it that every rule shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.cuepatterns import search_any
from kg.extract.knowledge import Knowledge
from kg.extract.scheme import EventType
from kg.records import EntityMention


def opens_for(kb: Knowledge, text: str, time_start: int, time_end: int, trigger_start: int) -> bool:
    """Whether the time opens the sentence and only the trigger's subject stands between it and the trigger."""
    return time_end <= trigger_start and kb.grammar.date_opening.fullmatch(text[:time_start]) is not None \
        and kb.grammar.opening_reach.fullmatch(text[time_end:trigger_start]) is not None


@dataclass(frozen=True)
class Trigger:
    type: EventType
    text: str
    start: int      # offsets within the sentence
    end: int
    # lacks its type's required words: kept only if promoted to a type without them ("X and Y met Z")
    unrequired: bool = False


def shift(mention: EntityMention, base: int) -> EntityMention:
    """Entity offsets relative to the sentence (the extractor works on sentence text)."""
    return replace(mention, start=mention.start - base, end=mention.end - base)


# How far before a trigger a cue ending right before it is looked for.
CUE_BEFORE_REACH = 40


def cue_before(patterns: tuple[re.Pattern[str], ...], lowered: str, trigger: Trigger,
               reach: int = CUE_BEFORE_REACH) -> bool:
    """A cue ending right before the trigger, within ``reach`` characters (patterns are anchored with ``$``)."""
    return _ends_with_cue(patterns, lowered[max(0, trigger.start - reach):trigger.start])


# Rules ask it of the same few words for many triggers and cue lists: each pair is searched once.
@lru_cache(maxsize=8192)
def _ends_with_cue(patterns: tuple[re.Pattern[str], ...], left: str) -> bool:
    return search_any(patterns, left)


def verbal(trigger: str) -> bool:
    """A past-tense trigger ("agreed", "met") is a verb, never a noun modifier; nor is one that ends with a preposition
    ("agree to swap prisoners") or with the noun or particle of a verb phrase ("took effect", "take place", "meet
    again")."""
    last = trigger.lower().split()[-1]
    return last.endswith("ed") or last in ("met", "said", "held", "signed", "gave", "told", "to", "on") \
        or (" " in trigger and last in ("effect", "force", "hold", "place", "ahead", "again"))


def distance(trigger: Trigger, position: int) -> int:
    if position < trigger.start:
        return trigger.start - position
    if position >= trigger.end:
        return position - trigger.end
    return 0
