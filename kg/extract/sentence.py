"""A trigger's place in its sentence and the small word tests around it that every rule shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.extract.scheme import EventType
from kg.records import EntityMention

# "rather than (on) May 4": a date right after a trigger (a clock time may stand between: "expired at midnight on
# 7 September").
DATE_NEXT = re.compile(r"\W*(?:(?:at|around|about|after|before)\s+(?:midnight|noon|\d{1,2}(?:[:.]\d\d)?(?:\s*[ap]\.?m\b\.?)?)\W+)?"
                       r"(?:on\s+|in\s+)?")
# "On June 30 the final deadline lapses", "24 March: the ultimatum runs out": a date that opens the sentence (a line of
# a chronology) dates a trigger that counts only with a date, when nothing but the trigger's subject stands between.
DATE_OPENING = re.compile(r"\W*(?:(?:late|early)\s+)?(?:on|by|at)?\s*", re.IGNORECASE)
# (a place may follow the date: "March 31, Tarsova: the target passes"; nothing of another clause: "On July 14 Vask set
# a deadline that expires in ten days" dates the setting)
OPENING_REACH = re.compile(r"(?![^.;]*\b(?:which|who|set|sets|after|before|when|said|says|until)\b)"
                           r"\W*(?:[\w'’ -]{1,30}?[,:—–-]\s*)?(?:the|this|that|its|his|her|their|[\w-]+['’]s)\s+"
                           r"(?:[\w'’-]+\s+){0,6}", re.IGNORECASE)


def opens_for(text: str, time_start: int, time_end: int, trigger_start: int) -> bool:
    """Whether the time opens the sentence and only the trigger's subject stands between it and the trigger."""
    return time_end <= trigger_start and DATE_OPENING.fullmatch(text[:time_start]) is not None \
        and OPENING_REACH.fullmatch(text[time_end:trigger_start]) is not None


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


def cue_before(patterns: tuple[re.Pattern[str], ...], lowered: str, trigger: Trigger) -> bool:
    """A cue ending right before the trigger (patterns are anchored with ``$``)."""
    return _ends_with_cue(patterns, lowered[max(0, trigger.start - 40):trigger.start])


# Rules ask it of the same few words for many triggers and cue lists: each pair is searched once.
@lru_cache(maxsize=8192)
def _ends_with_cue(patterns: tuple[re.Pattern[str], ...], left: str) -> bool:
    return any(p.search(left) for p in patterns)


def verbal(trigger: str) -> bool:
    """A past-tense trigger ("agreed", "met") is a verb, never a noun modifier; nor is one that ends with a preposition
    ("agree to swap prisoners") or with the noun or particle of a verb phrase ("took effect", "take place")."""
    last = trigger.lower().split()[-1]
    return last.endswith("ed") or last in ("met", "said", "held", "signed", "gave", "told", "to", "on") \
        or (" " in trigger and last in ("effect", "force", "hold", "place", "ahead"))


def distance(trigger: Trigger, position: int) -> int:
    if position < trigger.start:
        return trigger.start - position
    if position >= trigger.end:
        return position - trigger.end
    return 0
