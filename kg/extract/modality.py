"""Modality and negation: the clause around a trigger, the cues that make its event denied, planned,
possible ..., and whether a trigger noun is only the topic or object of another word."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from kg.cuepatterns import each_for, match_any, search_any
from kg.extract.knowledge import Knowledge
from kg.extract.sentence import Trigger, cue_before, verbal

# How far (characters) a cue may sit from the trigger and still govern it.
CUE_WINDOW = 90
# How far before the trigger a negated subject ("Neither delegation, she added, was ready to sign ...") may stand.
SUBJECT_NEGATION_WINDOW = 90
# A noun or verb governed by a plan, expectation, demand or threat word before it ("agreed to hand over
# bodies", "called for a ceasefire", "agreed to a truce") is the object of the event that governs it (the
# agreement, the demand): with no time of its own it is not an event of its own.  Only events between sides:
# "has appointed X to lead the delegation" is an appointment made.  A plan that names its people ("X will
# lead the delegation", "a Smith-Jones meeting") tells who takes part in an event reported elsewhere: kept.
# (A proposal's content stays: the proposing is reported by it.)
UNPLACED = ("scheduled", "expected", "demanded", "threatened")


def is_topic(kb: Knowledge, lowered: str, trigger: Trigger) -> bool:
    """A noun of an event between sides that is the topic of another word ("options for a ceasefire", "a truce would
    be discussed")."""
    return bool(trigger.type.party_kinds) and not verbal(trigger.text) \
        and (cue_before(kb.cues.topic, lowered, trigger) or cue_before(kb.cues.topic_verbs, lowered, trigger)
             or match_any(kb.cues.topic_passives, lowered, trigger.end)
             or cue_before(trigger.type.object_of, lowered, trigger) or is_extended(lowered, trigger))


def is_extended(lowered: str, trigger: Trigger) -> bool:
    """The trigger noun is the subject of a verb that acts on an existing event of its type ("the truce was
    extended", "the ceasefire has been breached"): the event is that verb's object, not a new one."""
    return search_any(trigger.type.subject_of, lowered[trigger.end:trigger.end + 70])


def clause_span(kb: Knowledge, lowered: str, trigger: Trigger) -> tuple[int, int]:
    start, end = 0, len(lowered)
    for break_start, break_end in _clause_breaks(kb, lowered):
        if break_end <= trigger.start:
            start = max(start, break_end)
        elif break_start >= trigger.end:
            end = min(end, break_start)
    return start, end


# Every trigger of a sentence asks for its clause: the sentence's breaks are found once.
@lru_cache(maxsize=256)
def _clause_breaks(kb: Knowledge, lowered: str) -> tuple[tuple[int, int], ...]:
    return tuple(match.span() for pattern in each_for(kb.cues.clause_breaks, lowered)
                 for match in pattern.finditer(lowered))


def is_negated(kb: Knowledge, lowered: str, trigger: Trigger) -> bool:
    # "a large prisoner swap but no truce": the negation after "but" is the truce's, not the swap's.
    start, end = clause_span(kb, lowered, trigger)
    left = lowered[max(start, trigger.start - 40):trigger.end]
    right = lowered[trigger.start:min(end, trigger.end + 15)]
    # "Neither delegation, she added, was ready to sign a formal ceasefire": a negated subject reaches further
    subject = lowered[max(start, trigger.start - SUBJECT_NEGATION_WINDOW):trigger.start]
    return search_any(kb.cues.negation, left) or search_any(kb.cues.negation_after, right) \
        or search_any(kb.cues.negation_subject, subject) \
        or search_any(kb.cues.unlikely_after, lowered[trigger.end:end]) or is_unheld(kb, lowered, trigger)


def is_unheld(kb: Knowledge, lowered: str, trigger: Trigger) -> bool:
    """The trigger noun's own verb says the event did not happen ("the round planned for 6 December never took
    place")."""
    # (a word of negation after the trigger first: it is cheap, and each unheld pattern holds one)
    return search_any(kb.cues.negation_after, lowered, trigger.end) \
        and search_any(kb.cues.unheld_after, lowered[trigger.end:])


def is_governed(kb: Knowledge, lowered: str, trigger: Trigger) -> bool:
    """A plan, expectation, demand or threat cue before the trigger in its clause ("agreed to a truce")."""
    start, _ = clause_span(kb, lowered, trigger)
    left = lowered[max(start, trigger.start - CUE_WINDOW):trigger.start]
    return any(search_any(patterns, left) for modality, patterns in kb.cues.modality if modality in UNPLACED)


def modality_of(kb: Knowledge, lowered: str, trigger: Trigger, ignore: tuple[str, ...] = (),
                others: Sequence[Trigger] = ()) -> str:
    """The first modality whose cue stands near the trigger in its clause (the trigger itself excluded:
    a proposal that was made occurred).  A cue right before another trigger qualifies that one ("discussed
    a possible exchange at the meeting on Thursday": the exchange is possible, the meeting happened)."""
    start, end = clause_span(kb, lowered, trigger)
    # "agreement on an exchange, which was carried out on June 3": the noun's own clause says it happened
    if not verbal(trigger.text) and match_any(kb.cues.realized_after, lowered, trigger.end):
        return "occurred"
    offset = max(start, trigger.start - CUE_WINDOW)
    # "signed a declaration pledging to protect civilians, and on May 20 they put their names to a truce": a cue in a
    # clause coordinated before the trigger's own is that clause's ("agreed to a truce, and to an exchange": not when
    # the clause goes on with the cue's complement)
    offset = max([offset] + [m.end() for p in each_for(kb.cues.coordinate_breaks, lowered)
                             for m in p.finditer(lowered, offset, trigger.start)
                             if not match_any(kb.cues.continued_complements, lowered[m.end():trigger.start])])
    left = lowered[offset:trigger.start]
    for other in others:
        if offset <= other.start < trigger.start:
            # blank the modifier qualifying the other trigger ("a possible exchange")
            before = left[:other.start - offset]
            head = next((m for p in each_for(kb.cues.modifiers, before) if (m := p.search(before))), None)
            if head is not None:
                left = before[:head.start()] + " " * (len(before) - head.start()) + left[other.start - offset:]
    for other in others:
        # "the Framework Agreement on the Bangsamoro, signed on October 15, 2012": a noun of the trigger's own type
        # names the event, its "agreement on" plans nothing of it
        if other.type is trigger.type and not verbal(other.text) and offset <= other.start and other.end <= trigger.start:
            left = left[:other.start - offset] + " " * (other.end - other.start) + left[other.end - offset:]
            # "the deadline for Vesta to agree to a ceasefire expired": what the noun demands is no plan of the verb's
            if match_any(trigger.type.demand_openers, lowered[other.end:trigger.start]):
                left = left[:other.end - offset] + " " * (trigger.start - other.end)
    # "agreed that each side would free ...": after a past-tense verb the cues belong to its complement; a
    # cue at or after another type's trigger is that one's ("the ultimatum ... would have expired").
    # ("The round was called off": a passive calling-off of the trigger is its own modality, not another event's)
    stop = min([end, trigger.end + 60] + [o.start for o in others if o.start >= trigger.end and o.type is not trigger.type
                                          and not (o.type.fixed_modality not in (None, "occurred") and any(
                                              p.search(lowered[trigger.end:o.start]) for p in kb.cues.passive))])
    # "ended their talks on Wednesday, and the crossing will reopen on March 20": a coordinated clause of its own after
    # the trigger holds its own cues (not one going on with the trigger's complement: "talks, and a truce to follow")
    stop = min([stop] + [m.start() for p in each_for(kb.cues.coordinate_breaks, lowered)
                         for m in p.finditer(lowered, trigger.end, stop)
                         if not match_any(kb.cues.continued_complements, lowered[m.end():stop])][:1])
    # "talks ended on Thursday, with both sides agreeing to a ceasefire": a cue right before a later trigger, in
    # a phrase of its own after a comma, governs that one
    for other in others:
        if trigger.end <= other.start <= stop and other.type is not trigger.type:
            window_start = max(trigger.end, other.start - 30)
            window = lowered[window_start:other.start]
            for _, patterns in kb.cues.modality:
                for pattern in patterns:
                    found = pattern.search(window)
                    if found and "," in lowered[trigger.end:window_start + found.start()]:
                        stop = min(stop, window_start + found.start())
    # "signed a peace deal on Friday, pledging to ...": the object of a verb of its own type reads as the verb.
    object_of_verb = any(o.type is trigger.type and verbal(o.text) and 0 <= trigger.start - o.end <= 25
                         and len(lowered[o.end:trigger.start].split()) <= 3 for o in others)
    reads_right = not (verbal(trigger.text) or object_of_verb)
    right = lowered[trigger.end:stop] if reads_right else ""
    demand = next((m for p in trigger.type.demand_openers if (m := p.match(lowered, trigger.end, end))), None) \
        if reads_right else None
    if demand is not None:
        # ("the deadline for Vesta to agree to a ceasefire will now run out": the demand, then the verb's own
        # auxiliaries, read up to the next trigger)
        verb = next((m for p in kb.cues.verb_auxiliaries if (m := p.search(lowered, demand.end(), end))), None)
        right = "" if verb is None else lowered[verb.start():min(
            [end, verb.start() + 60] + [o.start for o in others if o.start >= verb.end()])]
    # "proposed a truce at the round on July 23": the round is the occasion of what was done there, not its object
    # (a round still to come is planned by its own date: "will propose a truce at the round on July 30")
    occasion = None if verbal(trigger.text) else next(
        (m for p in each_for(kb.cues.made_at, left) if (m := p.search(left))), None)
    if occasion is not None:
        left = left[occasion.start():]
    # ("went ahead on Monday as planned": the plan was met, it plans nothing)
    left, right = blanked(kb.cues.as_planned, left), blanked(kb.cues.as_planned, right)
    for modality, patterns in kb.cues.modality:
        if modality in ignore:
            continue
        if search_any(patterns, left) or search_any(patterns, right):
            return modality
    return "occurred"


def blanked(patterns: Sequence[re.Pattern[str]], text: str) -> str:
    """``text`` with what ``patterns`` match replaced by spaces (offsets kept).

    >>> blanked([re.compile(r"as planned")], "went ahead as planned on Monday")
    'went ahead            on Monday'
    """
    for pattern in each_for(patterns, text):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the quotations of a sentence (straight or curly double quotes); a quotation the sentence splitter
    opened in the sentence before runs from the start.

    >>> quoted_spans('"Today we chose peace," he said, and "no more".')
    [(0, 23), (37, 46)]
    >>> quoted_spans('Today we chose peace," he said.')
    [(0, 22)]
    """
    spans, opened = [], None
    for match in re.finditer(r'["\u201c\u201d]', text):
        at, mark = match.start(), match.group()
        before = text[at - 1] if at else " "
        closing = mark == "\u201d" or (mark == '"' and not before.isspace() and at > 0)
        if opened is None and not closing:
            opened = at
        elif closing:
            spans.append((0 if opened is None else opened, match.end()))
            opened = None
    return spans
