"""The rule extractor: runs the passes of this package over an article, sentence by sentence."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from typing import Any, Protocol

from kg.extract.knowledge import Knowledge
from kg.extract.modality import UNPLACED, clause_span, is_governed, is_negated, is_topic, modality_of
from kg.extract.participants import (after_preposition, attribution_of, cue_roles, is_locative, ordinal_of,
                                     participants_of, quantities_of)
from kg.extract.scheme import ACTOR_KINDS
from kg.extract.sentence import Trigger, cue_before, shift
from kg.extract.timing import (assign_times, claims_of, consecutive_days, date_cue, join_spans, last_day, line_heading,
                               new_date, own_time, plan_window, reference_time, year_before)
from kg.extract.triggers import TriggerLexicon, find_triggers, promote, speakers_of
from kg.records import (AnnotatedArticle, AnnotatedSentence, EntityMention, EventMention, Participant, Sentence, Source,
                        TimeValue)

# How far from the trigger its place may be ("talks ... at Lancaster House in London").
PLACE_WINDOW = 70
# How long before the report an event may lie and still date what the article reports next without a time of its own.
RECENT = timedelta(days=92)
# How far from an occasion noun ("a state dinner ... that evening") a time may stand and still be that occasion's.
OCCASION_WINDOW = 50
_SourceFactory = Callable[[Sentence, "Trigger"], Source]
# Headings and questions do not report events.
_REPORTING_SENTENCE = re.compile(r"[.!…\"”’)]\s*[“‘\"']?\s*$")
# A time naming a day: a day number or a weekday ("until Friday", "by March 20"), not "until June".
_DAY_WRITTEN = re.compile(r"\d|day\b", re.IGNORECASE)
# "has offered", "have now agreed": the present perfect.
_PERFECT = re.compile(r"\b(has|have)\s+(\w+ly\s+|now\s+|also\s+|just\s+|once again\s+|again\s+|already\s+)*$")
# A line that only separates sections ("-----", "* * *", "###"): a digest's items, each of its own process
_SEPARATOR = re.compile(r"[\W_]{3,}")
# A quotation mark: a negation before it belongs to the quotation, not to the reporting verb after it.
_QUOTES = re.compile("[\"“”‘’']")


class Extractor(Protocol):
    def extract(self, annotated: AnnotatedArticle) -> list[EventMention]: ...


class RuleExtractor:
    """Event mentions from trigger words and the sentence around them."""

    def __init__(self) -> None:
        self.knowledge = Knowledge.load()
        self.lexicon = TriggerLexicon(self.knowledge.types)

    def extract(self, annotated: AnnotatedArticle) -> list[EventMention]:
        """Every event mention of every sentence of the article, in text order."""
        kb = self.knowledge
        mentions: list[EventMention] = []
        article = annotated.article
        third = self._third_parties(annotated)
        annotated = self._generic_sides(annotated, third)
        make_source = _source_factory(annotated)
        kinds = {e.key: e.kind for s in annotated.sentences for e in s.entities}
        affiliations = {e.key: e.affiliation for s in annotated.sentences for e in s.entities if e.affiliation}
        pair = self._article_pair(annotated, third)
        sections = self._section_pairs(annotated, pair, third)
        last_time: dict[str, TimeValue] = {}
        last_by_word: dict[tuple[str, str], TimeValue] = {}   # (type, first letters of its trigger)
        latest_time: dict[str, TimeValue] = {}                # the most recent dated event of each type
        sides_at: dict[int, tuple[Participant, ...]] = {}     # the sides of the event each kept time dates
        heading: TimeValue | None = None     # the date that opens the current line of a chronology
        line_end = -1
        for sentence in annotated.sentences:
            # (a sentence that opens with a date of its own starts a new entry, even on the same line)
            own_heading = line_heading(sentence)
            if own_heading is not None or sentence.sentence.start > line_end:
                heading = own_heading
                line_end = article.text.find("\n", sentence.sentence.start)
                line_end = len(article.text) if line_end < 0 else line_end
            # "Hamas freed three hostages ... The next exchange is expected on February 15": the sentences just
            # before give an anaphoric trigger the words its type requires
            index = annotated.sentences.index(sentence)
            if index in sections:
                pair = sections[index]
            context = " ".join(s.sentence.text for s in annotated.sentences[max(0, index - 3):index]).lower()
            # (a later sentence of the entry with a time of its own, "On the second day ...", counts from that)
            line_date = heading if own_heading is not None or not any(
                t.kind != "duration" and t.start for t in sentence.times) else None
            found = self.extract_sentence(sentence, article.reference_date, make_source, context,
                                          sides=frozenset(p.actor for p in pair), third=third, heading=line_date)
            # "X said after the session on Saturday": a meeting dated in the sentence itself comes first
            own = {m.type: m.time for m in found if m.time is not None and m.time.text and m.modality == "occurred"}
            for mention in found:
                mention = self._collective_parties(mention, pair)
                mention = self._other_side(mention, pair, affiliations, kinds)
                if mention.time is None and mention.modality in ("occurred", "denied"):
                    mention = replace(mention, time=self._occasion_time(mention, annotated.sentences[:index]))
                if mention.time is None and mention.modality in ("occurred", "denied"):
                    # "The delegations agreed on an exchange": made at the meeting the article last dated ("but no
                    # ceasefire": refused there).
                    dated_by, word, salient = self._dated_by(mention)
                    # ("said after the signing": the last event signed, before any other agreement)
                    earlier = [own[t] for t in dated_by if t in own] or \
                        [last_by_word[t, word] for t in dated_by if (t, word) in last_by_word] or \
                        [last_time[t] for t in dated_by if t in last_time]
                    # ("takes effect immediately" with no agreement dated before: the meeting, as for any other)
                    earlier = earlier or [last_time[t] for t in kb.types[mention.type].dated_by if t in last_time]
                    if salient and not any(t in own for t in dated_by):
                        # "Speaking at the signing, ...": the article's own signing, its latest, not an earlier
                        # one its background named last
                        earlier = [latest_time[t] for t in dated_by if t in latest_time] or earlier
                    if earlier:
                        occasion = max(earlier, key=lambda t: (t.start, t.start_char) if salient else t.start_char)
                        previous = occasion
                        # "Neither delegation was ready to sign a truce" after a round of several days: refused when
                        # the round ended without it, its last day
                        if mention.modality == "denied" and kb.types[mention.type].denied_at_end:
                            previous = last_day(occasion)
                        mention = replace(mention, time=replace(previous, anchor="previous"))
                        mention = self._parties_of_occasion(mention, sides_at.get(id(occasion), ()))
                if mention.time is None and kb.types[mention.type].default_time == "reference":
                    mention = replace(mention, time=reference_time(article.reference_date, mention))
                # (a background event long before the report, "who also led the 2022 delegation", dates nothing else)
                # (only a time of its own: an inherited one dates nothing further)
                if mention.time is not None and mention.time.start is not None and mention.time.text \
                        and mention.time.anchor != "previous" and mention.modality == "occurred" \
                        and (mention.time.end or mention.time.start) >= article.reference_date - RECENT:
                    last_time[mention.type] = mention.time
                    last_by_word[mention.type, mention.trigger.lower()[:4]] = mention.time
                    if mention.time.start <= article.reference_date and (
                            mention.type not in latest_time or latest_time[mention.type].start < mention.time.start):
                        latest_time[mention.type] = mention.time
                parties = [p for p in mention.participants if p.role == "party" and kinds.get(p.actor) != "person"]
                if len(parties) >= 2:
                    pair = tuple(parties[:2])    # "the two sides" now means these two
                    if mention.time is not None:
                        sides_at[id(mention.time)] = tuple(parties)
                mentions.append(mention)
        return self._announced(join_spans(kb, mentions))

    def _parties_of_occasion(self, mention: EventMention, sides: tuple[Participant, ...]) -> EventMention:
        """"The delegations met on Monday. There was no agreement on a truce": an event between sides that names
        fewer than two and is dated by the occasion just reported was made (or refused) by that occasion's sides."""
        kb = self.knowledge
        if not sides or "country" not in kb.types[mention.type].party_kinds:
            return mention
        named = {p.actor for p in mention.participants}
        if sum(p.role == "party" for p in mention.participants) >= 2 or not named <= {p.actor for p in sides}:
            return mention
        added = tuple(replace(p, role="party") for p in sides if p.actor not in named)
        return replace(mention, participants=mention.participants + added) if added else mention

    def _occasion_time(self, mention: EventMention, earlier: Sequence[AnnotatedSentence]) -> TimeValue | None:
        """"Speaking at the dinner, X said": the day given to that occasion in the sentence that last named it ("hosted
        a state dinner for his guest that evening": close to the noun, no comma between); None when none did."""
        kb = self.knowledge
        source = mention.source
        if source.char_end is None or source.char_start is None or source.sentence_start is None \
                or not kb.types[mention.type].dated_by:
            return None
        around = (source.sentence[:source.char_start - source.sentence_start] + " | "
                  + source.sentence[source.char_end - source.sentence_start:][:60]).lower()
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

    def _dated_by(self, mention: EventMention) -> tuple[tuple[str, ...], str, bool]:
        """The types whose last dated event dates this undated one: those the words after its trigger name
        ("said after the signing": an agreement), else all its type's dated_by; the first letters of the word
        that names it ("sign"), to prefer an event of that word; and whether an opening phrase names the
        occasion ("Speaking at the signing, Vask said"), which is then the article's latest of those types."""
        kb = self.knowledge
        dated_by = kb.types[mention.type].dated_by
        source = mention.source
        if source.char_end is None or source.char_start is None or source.sentence_start is None:
            return dated_by, "", False
        after = source.sentence[source.char_end - source.sentence_start:][:60].lower()
        # "The ceasefire takes effect immediately": on the day it was agreed, not at the meeting named last
        event_type = kb.types[mention.type]
        if event_type.immediate_dated_by and any(p.search(after) for p in event_type.immediate):
            return event_type.immediate_dated_by, "", False
        opening = source.sentence[:source.char_start - source.sentence_start].lower()
        salient = any(p.search(opening) for p in kb.cues.speaking_at)
        if salient:
            after = opening + " " + after
        named = [(t, m.group()) for t in dated_by for p in kb.cues.said_at_types.get(t, ()) if (m := p.search(after))]
        if not named:
            return dated_by, "", salient
        return tuple(dict.fromkeys(t for t, _ in named)), named[0][1][:4], salient

    def _announced(self, mentions: list[EventMention]) -> list[EventMention]:
        """A speaker's official announcement is the statement of that day: no second event for the same speech
        (types whose ``replaces`` names the other)."""
        kb = self.knowledge
        said: set[tuple[str, str, Any]] = set()
        for mention in mentions:
            for replaced in kb.types[mention.type].replaces:
                said |= {(replaced, p.actor, mention.time and mention.time.start) for p in mention.participants
                         if p.role == kb.types[mention.type].subject_role}
        if not said:
            return mentions
        return [m for m in mentions if not any((m.type, p.actor, m.time and m.time.start) in said
                                               for p in m.participants if p.role == kb.types[m.type].subject_role)]

    def _third_parties(self, annotated: AnnotatedArticle) -> dict[str, str]:
        """States and bodies the article shows mediating or hosting ("Vesta, which mediates", "hosted by Vesta",
        "talks hosted by Vestan Foreign Minister Ana Morales"): no side of the process, unless some sentence
        coordinates them with an actor that is not one of them ("between Norland and Vesta").  Each with the role
        the article first gives it."""
        kb = self.knowledge
        marked: dict[str, str] = {}
        for sentence in annotated.sentences:
            text, base = sentence.sentence.text, sentence.sentence.start
            for entity in sentence.entities:
                if entity.kind not in ACTOR_KINDS:
                    continue
                local = shift(entity, base)
                if after_preposition(text, local.start):
                    continue
                role = next((r for r in cue_roles(kb, text, local) if r in ("mediator", "host")), None)
                if role is None:
                    continue
                if entity.kind != "person":
                    marked.setdefault(entity.key, role)
                elif entity.affiliation:
                    marked.setdefault(entity.affiliation, role)
        if not marked:
            return {}
        coordinated: set[str] = set()
        for sentence in annotated.sentences:
            text, base = sentence.sentence.text, sentence.sentence.start
            actors = [e for e in sentence.entities if e.kind in ("country", "organization")]
            for a, b in zip(actors, actors[1:]):
                if (a.key in marked) != (b.key in marked) and a.key != b.key \
                        and any(p.fullmatch(text[a.end - base:b.start - base]) for p in kb.cues.side_coordination):
                    coordinated |= {a.key, b.key}
        return {key: role for key, role in marked.items() if key not in coordinated}

    def _generic_sides(self, annotated: AnnotatedArticle, third: dict[str, str]) -> AnnotatedArticle:
        """"The government", "the rebels", "the movement": generic references to the article's sides.  When the
        article names exactly one armed group as an actor (not counting mediators, hosts, states' own bodies and
        places), "the rebels" and the like are that group (only where the head fits its name: "the committee"
        for a "... Committee"); when it also names exactly one state, or exactly one whose government it names
        ("the Vestan government", "the government of Vesta"), "the government" is that state."""
        kb = self.knowledge
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
                    if any(p.search(text[entity.end - base:entity.end - base + 16]) for p in kb.cues.governed_after) \
                            or any(p.search(text[max(0, entity.start - base - 16):entity.start - base])
                                   for p in kb.cues.governed_before):
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
                        or any(p.search(text[match.end():match.end() + 12]) for p in kb.cues.generic_not_before) \
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

    def _article_pair(self, annotated: AnnotatedArticle,
                      third: dict[str, str] | None = None) -> tuple[Participant, ...]:
        """The two countries or organisations the article names most: who "the two sides" are before any
        sentence has named both (not a state or body that mediates or hosts)."""
        kb = self.knowledge
        third = third or {}
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        for sentence in annotated.sentences:
            text, base = sentence.sentence.text, sentence.sentence.start
            for entity in sentence.entities:
                if entity.key in third:
                    continue
                # (a ministry or council of a country is not a side: its country is; nor is a known body that is
                # no side of a conflict, the Red Cross or the United Nations; nor the country talks are held in)
                if is_locative(kb, text, entity.start - base, entity.end - base):
                    continue
                if entity.kind == "country" or (entity.kind == "organization" and not entity.affiliation
                                                and kb.may_be_side(entity.key)):
                    counts[entity.key] = counts.get(entity.key, 0) + 1
                    names.setdefault(entity.key, entity.name)
        top = sorted(counts, key=lambda k: -counts[k])[:2]
        return tuple(Participant(actor=k, name=names[k], role="party") for k in top) if len(top) == 2 else ()

    def _section_pairs(self, annotated: AnnotatedArticle, pair: tuple[Participant, ...],
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
            own = self._article_pair(replace(annotated, sentences=section), third) if named != sides else ()
            found[start] = own or (pair if named else ())
        return found

    def _collective_parties(self, mention: EventMention, pair: tuple[Participant, ...]) -> EventMention:
        """"The two sides agreed ...", "talks are due to start on Monday": an event between parties that names
        none (or one) of them is between the two sides the article is about."""
        kb = self.knowledge
        event_type = kb.types[mention.type]
        if pair and event_type.party_kinds == ("person",) and not any(p.role == "party" for p in mention.participants) \
                and any(p.search(mention.source.sentence.lower()) for p in kb.cues.leader_nouns):
            # "a meeting of the presidents", "the two leaders met": the heads of the two sides
            heads = [kb.heads[p.actor] for p in pair if p.actor in kb.heads]
            if len(heads) == 2:
                return replace(mention, participants=mention.participants + tuple(
                    Participant(actor=h.id, name=h.name, role="party") for h in heads))
        if not pair or "country" not in event_type.party_kinds:
            return mention
        roles = {p.actor: p.role for p in mention.participants}
        if sum(role == "party" for role in roles.values()) >= 2:
            return mention
        # With no time of its own a mention is background that resolve places by its parties: guess none.
        unnamed = mention.time is not None and not any(role in ("party", "delegation_head") for role in roles.values())
        if not unnamed and not any(p.search(mention.source.sentence) for p in kb.cues.collective):
            return mention
        added = tuple(p for p in pair if p.actor not in roles)
        return replace(mention, participants=mention.participants + added) if added else mention

    def _other_side(self, mention: EventMention, pair: tuple[Participant, ...],
                    affiliations: dict[str, str], kinds: dict[str, str]) -> EventMention:
        """"The Front offered a truce", "Norland proposed another round": a proposal by one of the article's two sides
        (or by one of its people) that names no target is made to the other side; one by a third party ("Tarsova
        offered its good offices") to both sides."""
        kb = self.knowledge
        event_type = kb.types[mention.type]
        if len(pair) != 2 or event_type.object_role != "target" or event_type.subject_role != "proposer":
            return mention
        roles = {p.actor: p.role for p in mention.participants}
        if "target" in roles.values():
            return mention
        sides = [p.actor for p in pair]
        by = {affiliations.get(a, a) if a not in sides else a
              for a, role in roles.items() if role == event_type.subject_role}
        # (a person of no known side may be either side's negotiator: "its chief negotiator, X, put forward ...")
        unplaced = any(role == event_type.subject_role and kinds.get(a) == "person" and a not in affiliations
                       for a, role in roles.items())
        if by and not unplaced and not by & set(sides) and not any(a in roles for a in sides):
            return replace(mention, participants=mention.participants + tuple(replace(p, role="target") for p in pair))
        if len(by) != 1 or not by <= set(sides):
            return mention
        other = next(p for p in pair if p.actor not in by)
        if other.actor in roles:
            return mention
        return replace(mention, participants=mention.participants + (replace(other, role="target"),))

    def extract_sentence(self, annotated: AnnotatedSentence, reference: date,
                         make_source: _SourceFactory | None = None, context: str = "",
                         sides: frozenset[str] = frozenset(),
                         third: dict[str, str] | None = None, heading: TimeValue | None = None) -> list[EventMention]:
        """Event mentions of one annotated sentence (offsets of entities/times are article offsets); ``sides``
        are the actors the article is mostly about, ``third`` those it shows mediating or hosting; ``heading`` is
        the date opening the chronology line the sentence is in, which dates an event with no time of its own."""
        kb = self.knowledge
        sentence = annotated.sentence
        text = sentence.text
        base = sentence.start
        lowered = _mask(text.lower(), annotated.times, base)
        entities = [shift(e, base) for e in annotated.entities]
        times = [t for t in annotated.times]
        all_triggers = find_triggers(kb, self.lexicon, text, text.lower(), entities, [t.start_char - base for t in times], context) \
            if _REPORTING_SENTENCE.search(text) else []
        if not all_triggers:
            return []
        all_triggers = [t for t in promote(kb, all_triggers, entities, lowered)
                        if not (t.unrequired and t.type.requires)]
        if not all_triggers:
            return []
        if make_source is None:
            def make_source(s: Sentence, t: Trigger) -> Source:
                return Source(article="", sentence=s.text, sentence_index=s.index)
        # "a day later than planned" compares, it dates nothing
        times = [t for t in times if not any(p.search(lowered[t.end_char - base:]) for p in kb.cues.comparisons)]
        times = [new_date(kb, t, lowered, base) for t in times]
        # "a ceasefire starting April 1": an open time from a day is that day, the event's start
        times = [replace(t, end=t.start, precision="day", edtf=t.start.isoformat(), kind="date", modifier=None)
                 if t.precision == "open" and t.start and t.end is None
                 and any(p.search(t.text.lower()) for p in kb.cues.open_starts) else t for t in times]
        dated = [t for t in times if t.kind != "duration" and t.precision != "open" and t.start]
        durations = [t for t in times if t.kind == "duration" and t.duration_days]
        # "a meeting of the presidents before the end of August": a plan's window runs from the day after the report
        # (not for deadlines and ultimatums, whose "by March 20" is the date itself)
        windows = [plan_window(t, reference) for t in times if t.precision == "open" and t.start is None
                   and t.end and t.end > reference and t.modifier == "BEFORE"
                   and any(p.search(t.text.lower()) for p in kb.cues.plan_windows)]
        # "has until Monday", "by March 20": for a deadline (and only for one) the end of an open time is its date
        # (only a day written as such: "until June" is no day of June 30)
        limits = [replace(t, start=t.end, precision="day", edtf=t.end.isoformat(), modifier=None, kind="date")
                  for t in times if t.precision == "open" and t.start is None and t.end and t.modifier == "BEFORE"
                  and _DAY_WRITTEN.search(t.text) and not any(p.search(t.text.lower()) for p in kb.cues.plan_windows)]
        owner = assign_times(kb, all_triggers, sorted(dated + windows + limits, key=lambda t: t.start_char), base,
                                   lowered, reference)
        for window in windows:
            if id(window) in owner and (owner[id(window)].type.duration_sets or owner[id(window)].type.time_excludes
                                        or owner[id(window)].type.time_cues or owner[id(window)].type.default_time):
                del owner[id(window)]
        for limit in limits:
            if id(limit) in owner and owner[id(limit)].type.duration_sets != "time":
                del owner[id(limit)]
        limits = [t for t in limits if id(t) in owner]
        dated = sorted(dated + windows + limits, key=lambda t: t.start_char)
        owners = {id(trigger) for trigger in owner.values()}
        same_type: dict[str, list[Trigger]] = {}
        for t in all_triggers:
            same_type.setdefault(t.type.name, []).append(t)
        # Per type, each trigger that owns a time reports an event ("rounds in May and June ... the third
        # round on Wednesday" are two); with none, the first trigger speaks for the sentence.
        triggers = sorted((t for group in same_type.values() for t in speakers_of(kb, group, owners, lowered)),
                          key=lambda t: t.start)
        mentions: list[EventMention] = []
        origins: list[Trigger] = []    # the trigger of each mention
        framing: set[int] = set()     # mentions from a background trigger ("under the ceasefire")
        people = {e.key for e in entities if e.kind == "person"}
        # a sentence that calls something off and gives no new date ("the summit planned for Friday was called off")
        no_new_date = not any(date_cue(kb.cues.new_date, lowered, t, base) for t in dated)
        cancelling = no_new_date and any(t.type.fixed_modality == "cancelled" for t in all_triggers)
        for trigger in triggers:
            event_type = trigger.type
            # "if it does not agree within 50 days": the negation is the condition's, not the ultimatum's
            negated = trigger.text.lower() not in event_type.condition_triggers and is_negated(kb, lowered, trigger)
            if negated and event_type.fixed_modality:
                # '"We will not sign," X told ...': a negation inside the quotation is not the reporting verb's
                near = lowered[max(0, trigger.start - 16):trigger.start]
                negated = not _QUOTES.search(near) and any(p.search(near) for p in kb.cues.negation)
            # "did not speak to reporters" is no statement; "did not agree on a truce" reports a truce denied.
            if (negated and event_type.fixed_modality) or cue_before(kb.cues.hypothetical, lowered, trigger):
                continue
            modality = event_type.fixed_modality or event_type.trigger_modality.get(trigger.text.lower()) or (
                "denied" if negated else modality_of(kb, lowered, trigger, event_type.ignore_modalities, all_triggers))
            participants = participants_of(kb, text, entities, trigger, sides, third)
            if not set(event_type.required_roles) <= {p.role for p in participants} and not (
                    trigger.text.lower() in event_type.roleless_triggers
                    and any(p.search(lowered[max(0, trigger.start - 30):trigger.start]) for p in event_type.roleless_context)):
                continue
            clause_start, clause_end = clause_span(kb, lowered, trigger)
            my_times = claims_of(kb, lowered, [t for t in dated if owner.get(id(t)) is trigger], trigger, base)
            if event_type.fixed_modality == "cancelled" and no_new_date:
                # "The meeting, planned for Monday, was called off on Friday": with no new date, a cancellation is
                # dated by the plan it gives up (shared with the event planned), not by the day it was called off.
                my_times = [t for t in dated if date_cue(kb.cues.old_date, lowered, t, base)][:1] or my_times
            if event_type.multi_day:
                my_times = consecutive_days(my_times, text, lowered, base, kb.cues.coordination)
            # "the 2015 accord, which Vask abandoned in 2018": a year written before the noun is its own; a time of
            # another year elsewhere in the sentence is not
            year = year_before(kb, text, trigger, base)
            if not my_times or (year and not any(t.start and t.end and t.start.year <= year[0].start.year <= t.end.year
                                                 for t in my_times)):
                my_times = year
            # "options for a ceasefire", "talks on an exchange": with no time of its own, a noun that is the
            # topic of something else is not an event (a denied one is: "without agreeing on a truce").
            # (Only events between sides: "work on new sanctions" is the threat itself.)
            if not my_times and not negated and is_topic(kb, lowered, trigger):
                continue
            # "We did not break the truce", "did not extend the ceasefire": the negation is the verb's, acting on an
            # event in place; no new one was refused.
            if negated and cue_before(event_type.object_of, lowered, trigger):
                continue
            # "June 30: the final deadline lapses ...": in a chronology line, an event with no time of its own
            # happened on the line's date
            # (what a report dated in the sentence says has happened is the report's: see ``perfect`` below)
            said = next((t for t in dated if (o := owner.get(id(t))) is not None and o.type.default_time
                         == "reference" and o.end <= trigger.start and t.text), None)
            # ("30 May - truce due to expire": a date its type refuses after the trigger, "expires", is not its own)
            from_heading = not my_times and heading is not None and not negated and said is None \
                and not cue_before(kb.cues.background, lowered, trigger) \
                and not any(p.search(lowered[trigger.end:clause_end]) for p in event_type.time_excludes)
            if from_heading:
                my_times = [heading]
            # "... may take place between May 3 and 4 at Lancaster House": a place may follow the time.
            anchors = [trigger] + [Trigger(event_type, t.text, t.start_char - base, t.end_char - base)
                                   for t in my_times]
            places = tuple(dict.fromkeys((e.key, e.name) for e in entities if e.kind == "place" and (
                (clause_start <= e.start < clause_end and _span_distance(trigger, e) <= PLACE_WINDOW)
                or any(_span_distance(a, e) <= PLACE_WINDOW // 2 for a in anchors[1:]))))
            quantities = quantities_of(kb, text.lower(), event_type, trigger)
            # An ordinal elsewhere in the sentence qualifies this trigger only if no other trigger owns a time.
            group = same_type[event_type.name]
            speakers = [g for g in group if id(g) in owners]
            candidates = [trigger] + ([g for g in group if g is not trigger and id(g) not in owners]
                                      if len(speakers) <= 1 else [])
            ordinal = next((o for t in candidates if (o := ordinal_of(kb, lowered, t))), None) \
                if event_type.name == "TalkRound" else None
            duration = _nearest(durations, trigger.start + base)
            if not my_times and event_type.default_time is None \
                    and (cue_before(kb.cues.past_reference, lowered, trigger)
                         or cue_before(kb.cues.future_reference, lowered, trigger)):
                continue
            claims: list[TimeValue | None] = list(my_times) or [None]
            perfect = not my_times and modality == "occurred" \
                and _PERFECT.search(lowered[max(0, trigger.start - 30):trigger.start])
            if perfect and any(t.kind == "range" and any(p.search(t.text.lower()) for p in kb.cues.tally)
                               for t in times):
                continue    # "Since May 16 the sides have freed thousands": a running total, not one event
            if perfect:
                # "Norburg has offered a new round": a present perfect with no date reports something just done
                # (by the day it is reported: "on Friday Vask announces that the sides have agreed ...").
                # (borrowed, so with no text of its own: like the report's date, it dates nothing further)
                claims = [replace(said, text="", anchor="previous") if said else TimeValue(
                    text="", start_char=base, end_char=base, start=reference, end=reference, precision="day",
                    edtf=reference.isoformat(), anchor="reference", anchor_date=reference)]
            for time in claims:
                if not from_heading:
                    time = own_time(event_type, time, duration, trigger, base, reference, lowered)
                if modality == "cancelled" and not event_type.fixed_modality and time and time.text \
                        and (date_cue(kb.cues.new_date, lowered, time, base) or (
                            event_type.time_cues and time.start_char - base >= trigger.end
                            and cue_before(kb.cancelling, lowered, trigger))):
                    # "postponed to October 2": planned for its new date; "pushed back his deadline for Vesta to
                    # withdraw ... to June 23": the deadline a verb moved runs out on the date after it
                    modality = "occurred"
                elif not event_type.fixed_modality and time and time.text and cancelling \
                        and date_cue(kb.cues.old_date, lowered, time, base):
                    modality = "cancelled"   # "the summit planned for Friday was called off": no new date
                # "said at the opening ceremony", "told reporters after the meeting": dated by that meeting
                # (the article's last dated one), else by the report
                at_event = time is None and event_type.dated_by and (
                    any(p.search(lowered[trigger.end:trigger.end + 40]) for p in kb.cues.said_at)
                    or any(p.search(lowered[:trigger.start]) for p in kb.cues.speaking_at))
                if time is None and event_type.default_time == "reference" and not at_event:
                    time = TimeValue(text="", start_char=base, end_char=base, start=reference, end=reference,
                                     precision="day", edtf=reference.isoformat(), anchor="reference",
                                     anchor_date=reference)
                position = (time.start_char - base) if time and time.text else trigger.start
                attribution = attribution_of(kb, text, entities, position, participants)
                mention_modality = modality
                if mention_modality == "occurred" and not event_type.fixed_modality and time and time.start \
                        and time.start > reference:
                    mention_modality = "scheduled"
                if mention_modality not in ("occurred", "cancelled") and not event_type.fixed_modality and time \
                        and time.text and (time.end or time.start) < reference:
                    # "agreed on July 23 to swap prisoners": a past date is the agreeing, not the swap.
                    time = None
                if time is None and mention_modality in UNPLACED and event_type.party_kinds \
                        and (is_governed(kb, lowered, trigger)) and not any(p.actor in people for p in participants):
                    continue
                if cue_before(kb.cues.background, lowered, trigger):
                    framing.add(len(mentions))
                mentions.append(EventMention(
                    type=event_type.name, trigger=text[trigger.start:trigger.end], source=make_source(sentence, trigger),
                    time=time, modality=mention_modality, participants=participants, places=places,
                    quantities=quantities, attribution=attribution, ordinal=ordinal))
                origins.append(trigger)
        # "ended the round on Tuesday without agreeing on a truce, but handed each other the bodies": an event
        # with no time of its own that happened (or was denied) is dated by the dated event before it.
        for i, mention in enumerate(mentions):
            event_type = kb.types[mention.type]
            if mention.time is None and not event_type.fixed_modality and i not in framing \
                    and mention.modality in ("occurred", "denied"):
                # (not from an aside: "Vasko, appointed minister this week, put forward ...")
                before = [m for m, t in zip(mentions[:i], origins) if m.time and m.time.text
                          and m.modality == "occurred" and not kb.types[m.type].fixed_modality
                          and not (cue_before(kb.cues.apposition, lowered, t)
                                   and "," in lowered[t.end:origins[i].start])]
                if before:
                    time = before[-1].time
                    # "the round, held from 9 to 13 May, ended with an agreement": the outcome is the meeting's last day
                    if cue_before(event_type.outcome_of, lowered, origins[i]):
                        time = last_day(time)
                    mentions[i] = replace(mention, time=replace(time, anchor="previous"))
        # "Vask said on Monday he was cutting his deadline": with no time of its own, the change is dated by the
        # report of it (its reporting verb's time, else the article's date)
        for i, mention in enumerate(mentions):
            trigger = origins[i]
            if mention.time is None and mention.modality == "occurred" \
                    and trigger.text.lower() in kb.types[mention.type].reported_triggers:
                said = next((m.time for m, t in zip(mentions, origins) if t.type.default_time == "reference"
                             and t.end <= trigger.start and m.time is not None), None)
                mentions[i] = replace(mention, time=said or TimeValue(
                    text="", start_char=base, end_char=base, start=reference, end=reference, precision="day",
                    edtf=reference.isoformat(), anchor="reference", anchor_date=reference))
        # "the arrangements agreed at the second round on June 2": an event with no time of its own made at a
        # dated meeting named right after it takes that meeting's time.
        for i, mention in enumerate(mentions):
            event_type = kb.types[mention.type]
            if mention.time is None and mention.modality == "occurred" and event_type.dated_by:
                trigger = origins[i]
                for later, at in zip(mentions, origins):
                    if later.type not in event_type.dated_by or not (later.time and later.time.text):
                        continue
                    if at.start > trigger.end and any(p.search(lowered[trigger.end:at.start])
                                                      for p in kb.cues.made_at):
                        mentions[i] = replace(mention, time=replace(later.time, anchor="previous"))
                        break
        # "suspended its part in the talks on Thursday": a cancellation with no time of its own is dated by the
        # event it calls off (the one in its sentence that carries its modality).
        for i, mention in enumerate(mentions):
            fixed = kb.types[mention.type].fixed_modality
            if mention.time is None and fixed and fixed != "occurred":
                called_off = next((m.time for m in mentions if m is not mention and m.modality == fixed and m.time), None)
                if called_off is not None:
                    mentions[i] = replace(mention, time=called_off)
        # "suspended its participation in the talks on Wednesday": what a cancellation reported in the sentence
        # calls off is its object, not a second event (the cancellation carries its date).
        if any(kb.types[m.type].fixed_modality == "cancelled" for m in mentions):
            kept = [(m, t) for m, t in zip(mentions, origins) if m.modality != "cancelled"
                    or kb.types[m.type].fixed_modality == "cancelled" or t.text.lower() in t.type.trigger_modality]
            mentions, origins = [m for m, _ in kept], [t for _, t in kept]
        return self._one_speech(mentions)

    def _one_speech(self, mentions: list[EventMention]) -> list[EventMention]:
        """"On Saturday X said ... and accused Y of ...": one speaker's reports in one sentence are one speech; a
        later one with no time of its own adds nothing (types dated by their report)."""
        kb = self.knowledge
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


@cache
def _generic_pattern(heads: tuple[str, ...]) -> re.Pattern[str]:
    """"the government", "The rebels": a definite generic reference, its head in lower case."""
    return re.compile(r"\b[Tt]he\s+(" + "|".join(map(re.escape, heads)) + r")\b")


def _source_factory(annotated: AnnotatedArticle) -> _SourceFactory:
    article = annotated.article

    def make(sentence: Sentence, trigger: Trigger) -> Source:
        return Source(article=article.id, sentence=sentence.text, sentence_index=sentence.index, url=article.url,
                      published=article.published, title=article.title,
                      char_start=sentence.start + trigger.start, char_end=sentence.start + trigger.end,
                      trigger=sentence.text[trigger.start:trigger.end], origin=article.origin, reference_date=article.reference_date,
                      sentence_start=sentence.start)
    return make


def _mask(lowered: str, times: Sequence[TimeValue], base: int) -> str:
    """Blank out time expressions so cue words inside them ("May 23": not the verb "may") never match."""
    chars = list(lowered)
    for time in times:
        for i in range(max(0, time.start_char - base), min(len(chars), time.end_char - base)):
            if chars[i].isalpha():
                chars[i] = "x"
    return "".join(chars)


def _span_distance(trigger: Trigger, mention: EntityMention) -> int:
    return max(trigger.start - mention.end, mention.start - trigger.end, 0)


def _nearest(times: list[TimeValue], position: int) -> TimeValue | None:
    return min(times, key=lambda t: abs(t.start_char - position)) if times else None


@cache
def get_extractor() -> RuleExtractor:
    """The process's rule extractor (matchers built once)."""
    return RuleExtractor()


def extract(annotated: AnnotatedArticle) -> list[EventMention]:
    """Event mentions of one annotated article."""
    return get_extractor().extract(annotated)
