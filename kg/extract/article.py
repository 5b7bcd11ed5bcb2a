"""Article-level passes: third parties and generic references to the sides, the article's (and each
section's) two sides, parties and dates of occasions, announcements and one speech per speaker."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any

from kg.annotate import after_turn_label
from kg.cuepatterns import fullmatch_any, search_any
from kg.extract.knowledge import Knowledge
from kg.extract.participants import THIRD_PARTY_ROLES, after_preposition, cue_roles, is_locative
from kg.extract.scheme import ACTOR_KINDS
from kg.extract.sentence import CUE_BEFORE_REACH, shift
from kg.timex import deadline_from
from kg.records import AnnotatedArticle, AnnotatedSentence, EntityMention, EventMention, Participant, TimeValue

# How far from an occasion noun ("a state dinner ... that evening") a time may stand and still be that occasion's.
OCCASION_WINDOW = 50
# A line that only separates sections ("-----", "* * *", "###"): a digest's items, each of its own process
_SEPARATOR = re.compile(r"[\W_]{3,}")
# Only punctuation from a reporting verb to the end of its sentence ("The round opens on May 12, he said.").
_SENTENCE_END = re.compile(r"\W*")
# How many sentences back a speech may be that a pronoun speaker goes on with.
SPEECH_REACH = 2


def parties_of_occasion(kb: Knowledge, mention: EventMention, sides: tuple[Participant, ...]) -> EventMention:
    """"The delegations met on Monday. There was no agreement on a truce": an event between sides that names
    fewer than two and is dated by the occasion just reported was made (or refused) by that occasion's sides."""
    if not sides or "country" not in kb.types[mention.type].party_kinds:
        return mention
    named = {p.actor for p in mention.participants}
    if sum(p.role == "party" for p in mention.participants) >= 2 or not named <= {p.actor for p in sides}:
        return mention
    added = tuple(replace(p, role="party") for p in sides if p.actor not in named)
    return replace(mention, participants=mention.participants + added) if added else mention


# How much of the sentence after a trigger names the occasion of a speech ("said after the signing").
AFTER_TRIGGER_CHARS = 60


def around_trigger(mention: EventMention) -> tuple[str, str] | None:
    """The text of a mention's sentence before its trigger and the ``AFTER_TRIGGER_CHARS`` after it, as written;
    None when its source has no offsets."""
    source = mention.source
    if source.char_end is None or source.char_start is None or source.sentence_start is None:
        return None
    return (source.sentence[:source.char_start - source.sentence_start],
            source.sentence[source.char_end - source.sentence_start:][:AFTER_TRIGGER_CHARS])


def occasion_time(kb: Knowledge, mention: EventMention, earlier: Sequence[AnnotatedSentence]) -> TimeValue | None:
    """"Speaking at the dinner, X said": the day given to that occasion in the sentence that last named it ("hosted
    a state dinner for his guest that evening": close to the noun, no comma between); None when none did."""
    context = around_trigger(mention)
    if context is None or not kb.types[mention.type].dated_by:
        return None
    around = (context[0] + " | " + context[1]).lower()
    named = next((m.group(1) for p in kb.cues.occasions if (m := p.search(around))), None)
    if named is None:
        return None
    noun = re.compile(rf"\b{re.escape(named)}\b")
    for sentence in reversed(earlier[-6:]):
        text = sentence.sentence.text.lower()
        m = noun.search(text)
        if m is None:
            continue
        base = sentence.sentence.start
        days = [t for t in sentence.times if t.kind != "duration" and t.precision == "day" and t.start
                and abs(t.start_char - base - m.start()) <= OCCASION_WINDOW
                and "," not in text[min(m.end(), t.end_char - base):max(m.start(), t.start_char - base)]]
        return replace(min(days, key=lambda t: abs(t.start_char - base - m.start())), anchor="previous") \
            if days else None
    return None


def when_time(kb: Knowledge, mention: EventMention, annotated: AnnotatedSentence) -> TimeValue | None:
    """"The sides have not met since July 23, when they agreed to swap 120 prisoners": an event a clause opening
    right after a time tells (``when_clauses``) happened at that time; None when no such time stands before it."""
    source = mention.source
    if source.char_start is None or source.sentence_start is None:
        return None
    text, base = annotated.sentence.text.lower(), annotated.sentence.start
    trigger = source.char_start - source.sentence_start
    for time in annotated.times:
        end = time.end_char - base
        if time.kind == "duration" or end > trigger or not fullmatch_any(kb.cues.when_clauses, text, end, trigger):
            continue
        # ("since July 23, when ...", "until Friday, when ...": the day the open span starts or ends at)
        day = time.start if time.modifier == "AFTER" else time.end if time.modifier == "BEFORE" else None
        if time.names_day(day):     # (a day, not a month or a year)
            time = replace(time, start=day, end=day, precision="day", modifier=None, kind="date",
                           edtf=day.isoformat())
        if time.start is not None and time.end is not None:
            return replace(time, anchor="previous")
    return None


def counted_from_event(kb: Knowledge, mention: EventMention, annotated: AnnotatedSentence,
                       last_time: dict[str, TimeValue], last_by_word: dict[tuple[str, str], TimeValue],
                       sides_at: dict[int, tuple[Participant, ...]], sides: tuple[Participant, ...],
                       reference: date) -> EventMention:
    """"to be completed within ten days of the signing": a time limit counted from the event the article last
    dated of those its type's ``counted_from`` names (by the words right after the count: the type, and the word of
    its trigger when the pattern names one, "sign") runs out that many days after that event; the event's two sides
    (else the article's) are its targets when it names none."""
    event_type = kb.types[mention.type]
    if not event_type.counted_from:
        return mention
    text, base = annotated.sentence.text.lower(), annotated.sentence.start
    for duration in annotated.times:
        if duration.kind != "duration" or duration.duration_days is None:
            continue
        after = text[duration.end_char - base:duration.end_char - base + 60]
        for type_name, patterns in event_type.counted_from.items():
            named = next((m for p in patterns if (m := p.search(after))), None)
            if named is None:
                continue
            word = named.groupdict().get("word")
            counted_from = last_by_word.get((type_name, word[:4])) if word else last_time.get(type_name)
            if counted_from is None or counted_from.start is None:
                return mention      # (counted from the report, as any count: the signing is today's news)
            time = deadline_from(counted_from.end or counted_from.start, duration)
            if counted_from.precision != "day" and counted_from.end and time.end:
                # (from a signing "in June": some day of the month the count of days after it spans)
                first = deadline_from(counted_from.start, duration).start
                time = replace(time, start=first, precision="interval", kind="range",
                               edtf=f"{first.isoformat()}/{time.end.isoformat()}")
            modality = mention.modality
            if modality in ("occurred", "scheduled") and time.start is not None:
                modality = "scheduled" if time.start > reference else "occurred"
            targets = () if any(p.role == event_type.object_role for p in mention.participants) else tuple(
                replace(p, role=event_type.object_role) for p in sides_at.get(id(counted_from), sides)
                if p.actor not in {q.actor for q in mention.participants})
            return replace(mention, time=time, modality=modality, participants=mention.participants + targets)
    return mention


def dated_by_of(kb: Knowledge, mention: EventMention) -> tuple[tuple[str, ...], str, bool]:
    """The types whose last dated event dates this undated one: those the words after its trigger name
    ("said after the signing": an agreement), else all its type's dated_by; the first letters of the word
    that names it ("sign"), to prefer an event of that word; and whether the occasion is named, by an opening phrase
    ("Speaking at the signing, Vask said") or after the trigger ("said at the ceremony"): it is then the article's
    latest of those types, not an earlier one its background named last."""
    dated_by = kb.types[mention.type].dated_by
    context = around_trigger(mention)
    if context is None:
        return dated_by, "", False
    before, after = context[0], context[1].lower()
    # "The ceasefire takes effect immediately": on the day it was agreed, not at the meeting named last
    event_type = kb.types[mention.type]
    if event_type.immediate_dated_by and search_any(event_type.immediate, after):
        return event_type.immediate_dated_by, "", False
    # ("LENZ: At the signing, Vask said": a transcript's turn label is no part of the phrase opening the sentence)
    opening = after_turn_label(before).lower()
    salient = search_any(kb.cues.speaking_at, opening)
    if salient:
        after = opening + " " + after
    named = [(t, m.group()) for t in dated_by for p in kb.cues.said_at_types.get(t, ()) if (m := p.search(after))]
    if not named:
        return dated_by, "", salient
    return tuple(dict.fromkeys(t for t, _ in named)), named[0][1][:4], True


def said_after(kb: Knowledge, mention: EventMention) -> bool:
    """Whether the words right after a speech's trigger (or the phrase opening its sentence) put it after its occasion
    ("said after the round", "told reporters afterwards", "After the talks, X said"): ``said_after`` cues."""
    context = around_trigger(mention)
    return context is not None and (search_any(kb.cues.said_after, context[1].lower())
                                    or search_any(kb.cues.said_after, context[0].lower()))


def ended_with(kb: Knowledge, mention: EventMention) -> bool:
    """Whether the mention is the outcome of a meeting told before it ("It ended with an agreement to open a
    hotline"): its type's ``outcome_of`` cues right before its trigger."""
    context = around_trigger(mention)
    return context is not None and search_any(kb.types[mention.type].outcome_of,
                                              context[0][-CUE_BEFORE_REACH:].lower())


def announced(kb: Knowledge, mentions: list[EventMention]) -> list[EventMention]:
    """A speaker's official announcement is the statement of that day: no second event for the same speech
    (types whose ``replaces`` names the other)."""
    said: set[tuple[str, str, Any]] = set()
    for mention in mentions:
        for replaced in kb.types[mention.type].replaces:
            said |= {(replaced, p.actor, mention.time and mention.time.start) for p in mention.participants
                     if p.role == kb.types[mention.type].subject_role}
    if not said:
        return mentions
    return [m for m in mentions if not any((m.type, p.actor, m.time and m.time.start) in said
                                           for p in m.participants if p.role == kb.types[m.type].subject_role)]


def third_parties(kb: Knowledge, annotated: AnnotatedArticle) -> dict[str, str]:
    """States and bodies the article shows mediating or hosting ("Vesta, which mediates", "hosted by Vesta",
    "talks hosted by Vestan Foreign Minister Ana Morales"): no side of the process, unless some sentence
    coordinates them with an actor that is not one of them ("between Norland and Vesta").  Each with the role
    the article first gives it."""
    marked: dict[str, str] = {}
    for sentence in annotated.sentences:
        text, base = sentence.sentence.text, sentence.sentence.start
        for entity in sentence.entities:
            if entity.kind not in ACTOR_KINDS:
                continue
            local = shift(entity, base)
            # ("talks with Vesta, which hosted ...": the clause may be about the talks; but "brokered by Vesta",
            # "hosted by Vesta": the cue before the name ends in its own preposition; "with Vesta as mediator": a
            # role given with "as" right after the name is its own)
            after = not after_preposition(kb, text, local.start) \
                or kb.grammar.role_as.match(text[local.end:local.end + 80]) is not None
            role = next(iter(cue_roles(kb, text, local, after_cues=after, only=THIRD_PARTY_ROLES)), None)
            if role is None:
                continue
            if entity.kind != "person":
                marked.setdefault(entity.key, role)
            elif entity.affiliation:
                marked.setdefault(entity.affiliation, role)
            else:
                # ("Foreign Minister X hosted the two delegations": a person of no named state mediates herself)
                marked.setdefault(entity.key, role)
    if not marked:
        return {}
    coordinated: set[str] = set()
    for sentence in annotated.sentences:
        text, base = sentence.sentence.text, sentence.sentence.start
        actors = [e for e in sentence.entities if e.kind in ("country", "organization")]
        for a, b in zip(actors, actors[1:]):
            if (a.key in marked) != (b.key in marked) and a.key != b.key \
                    and fullmatch_any(kb.cues.side_coordination, text[a.end - base:b.start - base]):
                coordinated |= {a.key, b.key}
    return {key: role for key, role in marked.items() if key not in coordinated}


def generic_sides(kb: Knowledge, annotated: AnnotatedArticle, third: dict[str, str]) -> AnnotatedArticle:
    """"The government", "the rebels", "the movement": generic references to the article's sides.  When the
    article names exactly one armed group as an actor (not counting mediators, hosts, states' own bodies and
    places), "the rebels" and the like are that group (only where the head fits its name: "the committee"
    for a "... Committee"); when it also names exactly one state, or exactly one whose government it names
    ("the Vestan government", "the government of Vesta"), "the government" is that state."""
    heads = kb.cues.generic_sides
    if not heads:
        return annotated
    states: dict[str, EntityMention] = {}
    governed: set[str] = set()
    groups: dict[str, EntityMention] = {}
    bodies: set[str] = set()
    for sentence in annotated.sentences:
        text, base = sentence.sentence.text, sentence.sentence.start
        for entity in sentence.entities:
            if entity.key in third or entity.affiliation or entity.kind not in ("country", "organization") \
                    or is_locative(kb, text, entity.start - base, entity.end - base):
                continue
            if entity.kind == "country":
                states.setdefault(entity.key, entity)
                if search_any(kb.cues.governed_after, text[entity.end - base:entity.end - base + 16]) \
                        or search_any(kb.cues.governed_before,
                                      text[max(0, entity.start - base - 16):entity.start - base]):
                    governed.add(entity.key)
            elif entity.key in kb.sides or (entity.key not in kb.known and any(
                    p.search(entity.name) for p in (*kb.cues.side_names, *kb.cues.armed_names))):
                groups.setdefault(entity.key, entity)
            elif entity.key not in kb.known:
                bodies.add(entity.key)
    if not groups:
        return annotated
    group = next(iter(groups.values())) if len(groups) == 1 else None
    if len(states) > 1:
        states = {key: state for key, state in states.items() if key in governed}
    state = next(iter(states.values())) if len(states) == 1 else None
    found = _generic_pattern(tuple(heads))
    sentences: list[AnnotatedSentence] = []
    for sentence in annotated.sentences:
        text, base = sentence.sentence.text, sentence.sentence.start
        added: list[EntityMention] = []
        for match in found.finditer(text):
            head, start, end = match.group(1), base + match.start(), base + match.end()
            need = heads[head]
            target = state if need == "state" else group
            if target is None or any(e.start < end and start < e.end for e in sentence.entities) \
                    or search_any(kb.cues.generic_not_before, text[match.end():match.end() + 12]) \
                    or (head in kb.cues.generic_places
                        and kb.cues.generic_places[head].search(text[max(0, match.start() - 12):match.start()])) \
                    or (need == "" and bodies) \
                    or (need not in ("", "state")
                        and not re.search(rf"\b{re.escape(need)}\b", target.name.lower())):
                continue
            added.append(EntityMention(match.group(), start, end, target.kind, target.key, target.name,
                                       target.wikidata, target.title, target.affiliation))
        sentences.append(replace(sentence, entities=tuple(sorted(sentence.entities + tuple(added),
                                                                key=lambda e: e.start)))
                         if added else sentence)
    return replace(annotated, sentences=tuple(sentences))


def article_pair(kb: Knowledge, annotated: AnnotatedArticle,
                 third: dict[str, str] | None = None) -> tuple[Participant, ...]:
    """The two countries or organisations the article names most: who "the two sides" are before any
    sentence has named both (not a state or body that mediates or hosts).  An article that names only one
    ("the Front" facing "the government" of a state it never names) gives that one: "the round ended on
    Wednesday" is still the Front's."""
    third = third or {}
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    spoken_for: dict[str, int] = {}
    for sentence in annotated.sentences:
        text, base = sentence.sentence.text, sentence.sentence.start
        for entity in sentence.entities:
            if entity.kind == "person" and entity.affiliation and entity.affiliation not in third \
                    and entity.text.lower() not in kb.person_pronouns:
                spoken_for[entity.affiliation] = spoken_for.get(entity.affiliation, 0) + 1
            if entity.key in third:
                continue
            # (a ministry or council of a country is not a side: its country is; nor is a known body that is
            # no side of a conflict, the Red Cross or the United Nations; nor the country talks are held in)
            if is_locative(kb, text, entity.start - base, entity.end - base):
                continue
            if entity.kind == "country" or (entity.kind == "organization" and not entity.affiliation
                                            and kb.may_be_side(entity.key, entity.name)):
                counts[entity.key] = counts.get(entity.key, 0) + 1
                names.setdefault(entity.key, entity.name)
    # ("Tarvonian President Orla Hallan ... Hallan said": a state the article names once and then through its people
    # counts their mentions too)
    top = sorted(counts, key=lambda k: -(counts[k] + spoken_for.get(k, 0)))[:2]
    return tuple(Participant(actor=k, name=names[k], role="party") for k in top)


def section_pairs(kb: Knowledge, annotated: AnnotatedArticle, pair: tuple[Participant, ...],
                  third: dict[str, str]) -> dict[int, tuple[Participant, ...]]:
    """A digest's items, between separator lines, may each be of another process: an item that does not name
    both of the article's two sides has its own two if it names two, else the article's if it names one of
    them, else none.  Sentence index -> the pair "the two sides" means from there on."""
    starts = [i + 1 for i, s in enumerate(annotated.sentences) if _SEPARATOR.fullmatch(s.sentence.text.strip())]
    if not starts or not pair:
        return {}
    sides = {p.actor for p in pair}
    found: dict[int, tuple[Participant, ...]] = {}
    for start, end in zip([0] + starts, starts + [len(annotated.sentences)]):
        section = annotated.sentences[start:end]
        named = {e.key for s in section for e in s.entities} & sides
        own = article_pair(kb, replace(annotated, sentences=section), third) if named != sides else ()
        found[start] = own or (pair if named else ())
    return found


def article_heads(kb: Knowledge, annotated: AnnotatedArticle) -> dict[str, Participant]:
    """The head of state or government of each state, as the article names them ("Pellarian President Ana
    Morales"): its one leader of that state, or its one president when it names several leaders."""
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for sentence in annotated.sentences:
        for entity in sentence.entities:
            if entity.kind == "person" and entity.affiliation and entity.title \
                    and search_any(kb.cues.leader_titles, entity.title.lower()):
                found.setdefault(entity.affiliation, {}).setdefault(entity.key, (entity.name, entity.title.lower()))
    heads: dict[str, Participant] = {}
    for state, people in found.items():
        presidents = [key for key, (_, title) in people.items() if title.startswith("president")]
        key = next(iter(people)) if len(people) == 1 else presidents[0] if len(presidents) == 1 else None
        if key is not None:
            heads[state] = Participant(actor=key, name=people[key][0], role="party")
    return heads


def collective_parties(kb: Knowledge, mention: EventMention, pair: tuple[Participant, ...],
                       heads: dict[str, Participant] | None = None) -> EventMention:
    """"The two sides agreed ...", "talks are due to start on Monday": an event between parties that names
    neither of them (or one, with a collective word) is between the two sides the article is about.  "The two
    leaders met", "the summit was hosted by Vesta": a leaders' meeting that names none of them is between the heads
    of the two sides (the gazetteer's, else those the article names: ``heads``)."""
    event_type = kb.types[mention.type]
    if pair and event_type.party_kinds == ("person",) and not any(p.role == "party" for p in mention.participants) \
            and (search_any(kb.cues.leader_nouns, mention.source.sentence.lower())
                 or all(p.role in ("host", "mediator") for p in mention.participants)):
        # "a meeting of the presidents", "the two leaders met": the heads of the two sides
        heads = heads or {}
        leaders = [Participant(actor=kb.heads[p.actor].id, name=kb.heads[p.actor].name, role="party")
                   if p.actor in kb.heads else heads.get(p.actor) for p in pair]
        if all(leaders) and len(leaders) == 2:
            return replace(mention, participants=mention.participants + tuple(leaders))
    if not pair or "country" not in event_type.party_kinds:
        return mention
    roles = {p.actor: p.role for p in mention.participants}
    if sum(role == "party" for role in roles.values()) >= 2:
        return mention
    # With no time of its own a mention is background that resolve places by its parties: guess none.
    # ("Ostmark's envoy chaired talks that opened on Tuesday", "Deputy Foreign Minister X headed the talks": a party
    # or a head named that is none of the two sides leaves them unnamed)
    sides = {p.actor for p in pair}
    unnamed = mention.time is not None and not any(role == "party" and actor in sides for actor, role in roles.items())
    if not unnamed and not search_any(kb.cues.collective, mention.source.sentence):
        return mention
    if len(pair) == 1 and pair[0].name in mention.source.sentence:
        return mention      # the one side the article names, named here as no party ("Vesta's ministry said")
    added = tuple(p for p in pair if p.actor not in roles)
    return replace(mention, participants=mention.participants + added) if added else mention


def other_side(kb: Knowledge, mention: EventMention, pair: tuple[Participant, ...], affiliations: dict[str, str],
               kinds: dict[str, str], third: dict[str, str] | None = None) -> EventMention:
    """"The Front offered a truce", "Norland proposed another round": a proposal by one of the article's two sides
    (or by one of its people) that names no target is made to the other side; one by a third party ("Tarsova
    offered its good offices", or a person ``third`` holds: "Stenmark, who hosted the two delegations, proposed")
    to both sides.  A third party's threat or ultimatum that names no target is aimed
    at both sides only when the sentence says so ("the council gave both sides 72 hours"); one side's is left
    alone (its issuer is too often a side's mediator or the wrong side to guess the other).  "The sides handed
    each other memoranda": both sides propose."""
    event_type = kb.types[mention.type]
    if len(pair) != 2 or event_type.object_role != "target" or event_type.subject_role is None:
        return mention
    sides = [p.actor for p in pair]
    if event_type.subject_role == "proposer" and search_any(kb.cues.reciprocal, mention.source.sentence):
        # "the sides handed each other memoranda": both sides propose, neither is the other's target
        others = tuple(p for p in mention.participants if p.actor not in sides)
        return replace(mention, participants=others + tuple(replace(p, role="proposer") for p in pair))
    roles = {p.actor: p.role for p in mention.participants}
    if event_type.subject_role == "proposer":
        # "Norland proposes a Morales-Stenmark meeting": Norland's own president, named in what is proposed, is no
        # one it proposes to
        proposers = {a for a, role in roles.items() if role == "proposer"}
        own = proposers | {affiliations[a] for a in proposers if a in affiliations}
        own_targets = {a for a, role in roles.items() if role == "target" and affiliations.get(a) in own}
        if own_targets:
            mention = replace(mention, participants=tuple(p for p in mention.participants
                                                          if p.actor not in own_targets))
            roles = {p.actor: p.role for p in mention.participants}
    if "target" in roles.values():
        return mention
    by = {affiliations.get(a, a) if a not in sides else a
          for a, role in roles.items() if role == event_type.subject_role}
    # (a person of no known side may be either side's negotiator: "its chief negotiator, X, put forward ...")
    unplaced = any(role == event_type.subject_role and kinds.get(a) == "person" and a not in affiliations
                   and a not in (third or {}) for a, role in roles.items())
    both = event_type.subject_role == "proposer" or search_any(kb.cues.collective, mention.source.sentence)
    if by and not unplaced and not by & set(sides) and not any(a in roles for a in sides):
        if not both:
            return mention
        return replace(mention, participants=mention.participants + tuple(replace(p, role="target") for p in pair))
    if len(by) != 1 or not by <= set(sides) or event_type.subject_role != "proposer":
        return mention
    other = next(p for p in pair if p.actor not in by)
    if other.actor in roles:
        return mention
    return replace(mention, participants=mention.participants + (replace(other, role="target"),))


def person_sides(kb: Knowledge, annotated: AnnotatedArticle) -> dict[str, Participant]:
    """"The Front's chief negotiator, Aurel Vask", "Vesta's delegation, led by Ana Morales": the side (a state or
    body) each person acts for, wherever the article says it (person key -> the side, as a participant with no role
    yet).  A person the article gives two sides gets none."""
    found: dict[str, Participant] = {}
    dropped: set[str] = set()

    def record(person: EntityMention, side: EntityMention) -> None:
        known = found.get(person.key)
        if known is not None and known.actor != side.key:
            dropped.add(person.key)
        found.setdefault(person.key, Participant(actor=side.key, name=side.name, role=""))

    opener: EntityMention | None = None       # the state or body the sentence before opened with
    for sentence in annotated.sentences:
        text, base = sentence.sentence.text, sentence.sentence.start
        entities = [e for e in sentence.entities if e.kind in ACTOR_KINDS]
        its, opener = opener, entities[0] if entities and entities[0].kind != "person" else None
        if not any(e.kind == "person" for e in entities):
            continue
        # "The Front accepted the offer. Its spokeswoman, Ana Morales, said ...": the side "its" stands for
        if its is not None and entities[0].kind == "person" \
                and search_any(kb.cues.pronoun_person_sides, text[:entities[0].start - base]):
            record(entities[0], its)
        for first, second in zip(entities, entities[1:]):
            for order, before, between, after in kb.cues.person_sides:
                person, side = (second, first) if order == "side-person" else (first, second)
                if person.kind != "person" or side.kind == "person" \
                        or not between.fullmatch(text[first.end - base:second.start - base]) \
                        or (before is not None and not before.search(text[:first.start - base])) \
                        or (after is not None and not after.match(text[second.end - base:second.end - base + 80])):
                    continue
                record(person, side)
                break
    return {key: side for key, side in found.items() if key not in dropped}


def acting_for(kb: Knowledge, mention: EventMention, sides: dict[str, Participant],
               third: dict[str, str]) -> EventMention:
    """"The Front's chief negotiator, Aurel Vask, proposed a truce": the side of a person who proposes proposes too;
    that of a person who leads a delegation or signs is a party (not a state or body the article shows mediating or
    hosting)."""
    if not sides:
        return mention
    event_type = kb.types[mention.type]
    named = {p.actor for p in mention.participants}
    added: list[Participant] = []
    for participant in mention.participants:
        side = sides.get(participant.actor)
        role = kb.cues.person_side_roles.get(participant.role)
        if side is None or role not in event_type.roles or side.actor in named \
                or (role == "party" and side.actor in third):
            continue
        named.add(side.actor)
        added.append(replace(side, role=role))
    return replace(mention, participants=mention.participants + tuple(added)) if added else mention


def one_speech(kb: Knowledge, mentions: list[EventMention]) -> list[EventMention]:
    """"On Saturday X said ... and accused Y of ...": one speaker's reports in one sentence are one speech; a
    later one with no time of its own adds nothing (types dated by their report)."""
    seen: set[tuple[str, str]] = set()
    kept: list[EventMention] = []
    for mention in mentions:
        event_type = kb.types[mention.type]
        if event_type.default_time == "reference" and event_type.subject_role:
            subjects = {(mention.type, p.actor) for p in mention.participants if p.role == event_type.subject_role}
            if subjects and subjects <= seen and not (mention.time and mention.time.text):
                continue
            seen |= subjects
        kept.append(mention)
    return kept


def speech_continued(kb: Knowledge, mention: EventMention, earlier: Sequence[EventMention],
                     annotated: AnnotatedSentence) -> EventMention:
    """"X told reporters on Tuesday evening that the talks had failed. He said his government would sign nothing": a
    report whose sentence names its speaker only by a pronoun goes on with the speech that speaker was reported
    making in the sentences just before, and takes its time when it has none of its own (nor only one in the words
    it reports before it: "The next round opens on May 12, he said.")."""
    event_type = kb.types[mention.type]
    time = mention.time
    if time is None or event_type.default_time != "reference" or not event_type.subject_role:
        return mention
    speakers = {p.actor for p in mention.participants if p.role == event_type.subject_role}
    named = [e for e in annotated.entities if e.key in speakers]
    if not named or any(e.text.lower() not in kb.person_pronouns for e in named):
        return mention
    if time.text:
        sentence = annotated.sentence
        after = sentence.text[(mention.source.char_end or sentence.start) - sentence.start:]
        if time.end_char > min(e.start for e in named) or not _SENTENCE_END.fullmatch(after):
            return mention
    index = mention.source.sentence_index
    speech = next((m for m in reversed(earlier) if index - SPEECH_REACH <= m.source.sentence_index < index
                   and m.time is not None and kb.types[m.type].default_time == "reference"
                   and speakers & {p.actor for p in m.participants if p.role == kb.types[m.type].subject_role}), None)
    if speech is None or speech.time is None:
        return mention
    return replace(mention, time=replace(speech.time, anchor="previous"))


@cache
def _generic_pattern(heads: tuple[str, ...]) -> re.Pattern[str]:
    """"the government", "The rebels": a definite generic reference, its head in lower case."""
    return re.compile(r"\b[Tt]he\s+(" + "|".join(map(re.escape, heads)) + r")\b")
