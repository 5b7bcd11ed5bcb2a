"""Times of events: which trigger owns each time of a sentence, postponements, further claims, a deadline's
own date, plan windows, multi-day spans and chronology headings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from kg.cuepatterns import each_for, fullmatch_any, match_any, search_any
from kg.extract.knowledge import Knowledge
from kg.extract.modality import UNPLACED, blanked, is_extended, is_topic, quoted_spans
from kg.extract.scheme import EventType
from kg.extract.sentence import CUE_BEFORE_REACH, Trigger, cue_before, distance, opens_for, verbal
from kg.records import AnnotatedSentence, EventMention, TimeValue
from kg.timex import count_value, deadline_from, find_times

# How far back from a time a reporting cue may start; further for a report's place with an appositive ("told reporters in
# Tarsova, the Vestan capital, on Tuesday").
REPORT_REACH = 40
# How far before a date its cue may start ("postponed the second round of talks with Vesta to March 20").
DATE_CUE_REACH = 80
PLACE_REACH = 70
# How far before a time the verb that opens or closes a multi-day event may stand ("opened in Tarsova on Wednesday").
SPAN_CUE_REACH = 60
# How many days after the day a multi-day event opened a day that closes it may fall (a round, a summit, a staged swap).
SPAN_DAYS = 4
# The precisions of a list of times all said of one trigger ("on May 16, June 2 and July 23", "in October, December and
# January").
LISTED_PRECISIONS = ("day", "month")
# A comma and nothing else: a participle right after a noun ("the ultimatum, announced on Tuesday").
_COMMA = re.compile(r"\s*,\s*")
# "In a speech on Monday, President X gave Vesta ten days": the opening phrase closed by a comma, then the subject of
# the verb that phrase sets the scene of (no comma, no verb or clause of its own in the subject: "In a speech on Monday,
# the minister recalled that X had given Vesta ten days" dates the recalling)
_SUBJECT_AFTER_OPENING = re.compile(r"\s*,\s*(?:(?!\b(?:that|who|which|whose|when|while|after|before|because|had|has"
                                    r"|have|was|were|is|are|said|says|told|recalled)\b)[^,;:()\"“”]){1,80}?\s*")
_POSSESSIVE = re.compile(r"['’]s\s")
# What follows the date that opens a line of a chronology: an optional place, then a colon or a spaced dash
# ("June 30: the deadline lapses", "April 2, Vesta: ...", "March 18 - The ceasefire takes effect")
# (or the day alone, as a digest heads each day's paragraph: "TUESDAY. Vask said in Lenby that ...")
# (a day set in bold or italics, "- **16 May** — ...", as a Markdown page writes its chronology's days)
_HEADING_TAIL = re.compile(r"(?:\*{1,2}|_{1,2})?(?:,\s*[A-Z][^,:\n]{0,40})?\s*(?:(?::|\s[-–—]+)(?:\*{1,2}|_{1,2})?\s|\.$)")
_BULLET = re.compile(r"\s*(?:[-*•·]\s+)?(?:\*{1,2}|_{1,2})?")
# What may stand around the day of a liveblog's time stamp on a line of its own ("SAT 14 MAR · 09:05", "14:05 GMT —
# Tuesday 3 March"): a clock time, a zone, a weekday, separators.
_STAMP_REST = re.compile(r"[\s·•|,:–—-]*(?:\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?m\.?|[A-Z]{2,4}|[A-Z][a-z]+ time))?)?"
                         r"[\s·•|,:–—-]*(?:[A-Za-z]{3,9}\.?)?[\s·•|,:–—-]*", re.IGNORECASE)
# A day's number: a date written out, though its year came from elsewhere ("October 22").
_DAY_NUMBER = re.compile(r"\d")
# Between a subject and its verb: an auxiliary or an adverb or two ("the delegations had already agreed")
_SUBJECT_GAP = re.compile(r"\s+([a-z]+\s+){0,2}")
# A digest's section heading around its day ("3. FRIDAY: TARSOVA", "WEDNESDAY — TALKS RESUME"): the section's
# number before it, a title in capitals after it.
_SECTION_NUMBER = re.compile(r"\s*(?:\d{1,2}[.)]\s*)?")
_SECTION_TITLE = re.compile(r"\s*(?::|\s[-–—]+)\s*[^a-z.!?;]{1,50}")


def line_heading(annotated: AnnotatedSentence) -> TimeValue | None:
    """The day (or span) a sentence opens with as the head of a chronology line ("June 30: the deadline
    lapses", "March 14-15 - First round in Vesta."): what the line reports happened then.  A day counted from the
    last one is none ("The next day: ..."), but a day whose year the lines before gave is ("October 22 — ...")."""
    sentence = annotated.sentence
    lead = _BULLET.match(sentence.text)
    first = min(annotated.times, key=lambda t: t.start_char, default=None)
    if first is None or lead is None or first.start_char - sentence.start != lead.end() or first.start is None \
            or first.end is None or first.kind == "duration" \
            or (first.anchor == "previous" and not _DAY_NUMBER.search(first.text)) \
            or (first.end - first.start).days > 31:
        return None
    if not _HEADING_TAIL.match(sentence.text, first.end_char - sentence.start):
        return None
    return first


def stamp_heading(annotated: AnnotatedSentence, text: str) -> TimeValue | None:
    """The day of a time stamp standing alone on its line ("SAT 14 MAR · 09:05"), as a liveblog heads each post,
    or of a digest's numbered section heading ("3. FRIDAY: TARSOVA"): the post on the line after it reports what
    happened that day."""
    sentence = annotated.sentence
    if len(annotated.times) != 1 or not text.startswith("\n", sentence.end):
        return None
    stamp = annotated.times[0]
    if stamp.start is None or stamp.end is None or stamp.kind == "duration" or stamp.precision != "day":
        return None
    before = sentence.text[:stamp.start_char - sentence.start]
    after = sentence.text[stamp.end_char - sentence.start:]
    if _STAMP_REST.fullmatch(before) and _STAMP_REST.fullmatch(after):
        return stamp
    return stamp if _SECTION_NUMBER.fullmatch(before) and (_STAMP_REST.fullmatch(after)
                                                         or _SECTION_TITLE.fullmatch(after)) else None


def date_line(kb: Knowledge, annotated: AnnotatedSentence) -> bool:
    """Whether the sentence is a page's date line, its dates and the words around them of the kind
    ``date_lines`` lists ("Thursday 24 July 2044 06:12 BST · Updated 08:47 BST"): when the page was written.

    (A sentence without a date is none.)"""
    sentence = annotated.sentence
    if not annotated.times:
        return False
    rest, at = [], sentence.start
    for time in sorted(annotated.times, key=lambda t: t.start_char):
        rest.append(sentence.text[at - sentence.start:time.start_char - sentence.start])
        at = max(at, time.end_char)
    rest.append(sentence.text[at - sentence.start:])
    return fullmatch_any(kb.cues.date_lines, " ".join(rest))


def closed_by_clause(kb: Knowledge, mention: EventMention, found: Sequence[EventMention]) -> EventMention:
    """"Vesta and Norland agreed on Thursday to a truce, ending a round of talks that had opened on Monday": a meeting
    named after closing words (``[spans] closing``), dated by the day it opened, ended on the day of the clause those
    words close (a day of another mention of its sentence, written before it, up to four days later)."""
    time, source = mention.time, mention.source
    if not kb.types[mention.type].multi_day or mention.modality != "occurred" or time is None or not time.text \
            or time.precision != "day" or time.start is None or source.char_start is None:
        return mention
    sentence = source.sentence.lower()
    base = source.sentence_start or 0
    if not _span_cue(kb.cues.span_start, sentence, time.start_char - base) \
            or not search_any(kb.cues.span_closing, sentence[:source.char_start - base]):
        return mention
    closed = next((m.time for m in reversed(found) if m is not mention and m.time is not None and m.time.text
                   and m.time.precision == "day" and m.time.start is not None
                   and m.time.end_char <= source.char_start), None)
    if closed is None or not 0 < (closed.start - time.start).days <= SPAN_DAYS:
        return mention
    return replace(mention, time=_as_span(time, time.start, closed.start))


def _as_span(time: TimeValue, first: date, last: date) -> TimeValue:
    """The time as a span of days from ``first`` to ``last``."""
    return replace(time, start=first, end=last, precision="interval", edtf=f"{first.isoformat()}/{last.isoformat()}")


def join_spans(kb: Knowledge, mentions: list[EventMention]) -> list[EventMention]:
    """Multi-day events reported with both ends: "talks that opened on Wednesday" and "ended on Thursday", or
    "ended on Thursday after two days of negotiations", are one event from Wednesday to Thursday (and what the meeting
    refused, dated by its opening day, moves to that last day: ``_refused_at_end``)."""
    starts: dict[tuple[str, str], list[int]] = {}
    ends: dict[tuple[str, str], list[tuple[int, int | None]]] = {}
    for i, mention in enumerate(mentions):
        time = mention.time
        if not kb.types[mention.type].multi_day or mention.modality != "occurred" or time is None \
                or not time.text or time.precision != "day" or time.start is None:
            continue
        sentence = mention.source.sentence.lower()
        at = time.start_char - (mention.source.sentence_start or 0)
        # ("agreed on Thursday ..., at the end of four days of talks": the talks named after the closing words ended
        # on the day they are dated by)
        opening = sentence[:mention.source.char_start - (mention.source.sentence_start or 0)] \
            if mention.source.char_start is not None else ""
        if _span_cue(kb.cues.span_start, sentence, at):
            starts.setdefault((mention.type, mention.source.article), []).append(i)
        elif _span_cue(kb.cues.span_end, sentence, at) or search_any(kb.cues.span_closing, opening):
            days = next((m for p in kb.cues.span_days if (m := p.search(sentence))), None)
            count = None if days is None else count_value(days.group(1))
            ends.setdefault((mention.type, mention.source.article), []).append((i, count))
    spans: dict[int, tuple[date, date]] = {}
    for key, found in ends.items():
        for i, count in found:
            last = mentions[i].time.start
            first = next((mentions[j].time.start for j in starts.get(key, ())
                          if 0 < (last - mentions[j].time.start).days <= SPAN_DAYS), None)
            if first is None and count and 1 < count <= 7:
                first = last - timedelta(days=count - 1)
            if first is None:
                continue
            spans[i] = (first, last)
            spans.update({j: (first, last) for j in starts.get(key, ()) if mentions[j].time.start == first})
    for i, (first, last) in spans.items():
        mentions[i] = replace(mentions[i], time=_as_span(mentions[i].time, first, last))
    return _refused_at_end(kb, mentions, spans)


def _refused_at_end(kb: Knowledge, mentions: list[EventMention],
                    spans: dict[int, tuple[date, date]]) -> list[EventMention]:
    """"The round opened on Monday. It did not produce a ceasefire.", in an article that says the round ran to Wednesday:
    what a meeting refused, dated by the day the meeting opened (``denied_at_end`` types), was refused on the last day
    of the span the article's reports of that meeting join into."""
    opened = {(mentions[i].type, mentions[i].source.article, first): last for i, (first, last) in spans.items()}
    if not opened:
        return mentions
    for i, mention in enumerate(mentions):
        time, event_type = mention.time, kb.types[mention.type]
        if mention.modality != "denied" or not event_type.denied_at_end or time is None or time.anchor != "previous" \
                or time.start is None or time.end != time.start:
            continue
        last = next((opened[t, mention.source.article, time.start] for t in event_type.dated_by
                     if (t, mention.source.article, time.start) in opened), None)
        if last is not None and last > time.start:
            mentions[i] = replace(mention, time=replace(time, start=last, end=last, edtf=last.isoformat()))
    return mentions


# Modalities whose cue makes what follows it a plan of the verb's ("proposed a ceasefire", "demanded talks").
PLANNING = ("proposed", *UNPLACED)


def _trigger_before_in_clause(kb: Knowledge, lowered: str, triggers: list[Trigger], position: int) -> bool:
    """Whether a trigger stands before ``position`` in the coordinated clause holding it, which opens after the last
    coordinate break before it (", and the next day she told reporters ..."), else at the sentence's start."""
    before = [t.start for t in triggers if t.start < position]
    return bool(before) and max(before) >= max(
        (m.end() for p in kb.cues.coordinate_breaks for m in p.finditer(lowered, 0, position)), default=0)


def assign_times(kb: Knowledge, triggers: list[Trigger], times: list[TimeValue], base: int,
                 lowered: str, reference: date | None = None) -> dict[int, Trigger]:
    """Each dated expression belongs to the nearest trigger (ties go to the earlier trigger); a
    background trigger ("agreed at the first round") owns only a time attached right to it."""
    background = {id(t) for t in triggers if cue_before(kb.cues.background, lowered, t)}
    # (the verb of a clause inside such a phrase owns the times after it: "since the two countries signed the treaty
    # in 2036"; not one before: "on Friday, 24 to 48 hours after the two sides signed")
    clause_verbs = {id(t) for t in triggers if id(t) in background and _opens_clause(kb, lowered, t, triggers)}
    # "the round ended on Friday with an agreement": the outcome of a meeting leaves the time to the meeting (and
    # takes it from the meeting when it has none of its own)
    # (not even a time right after it: "ended without agreement on Sunday")
    outcomes = {id(t) for t in triggers if cue_before(t.type.outcome_of, lowered, t)
                and any(o is not t and o.type.name in t.type.dated_by and o.end <= t.start for o in triggers)}
    # "talks on a ceasefire in Geneva on Friday": a topic noun owns no time of the sentence, only one its
    # own clause gives it ("a truce that takes effect on Sunday").
    # (only the topic of another trigger: "flew to Tarsova on Thursday for talks" owns its Thursday)
    topics = {id(t) for t in triggers if is_topic(kb, lowered, t)
              and any(o is not t and 0 <= t.start - o.end <= 20 for o in triggers)}
    # "discussed a ceasefire on Monday", "rejected a truce on Tuesday": the time is the verb's
    topics |= {id(t) for t in triggers if t.type.party_kinds and not verbal(t.text)
               and (cue_before(kb.cues.topic_verbs, lowered, t) or cue_before(t.type.object_of, lowered, t))}
    # "cut the ultimatum to ten days on Tuesday": a noun that a verb of its own type acts on gives the verb the time
    # (the verb's event is the one reported; the noun names the event it changes)
    # (a noun of a type between sides is a topic by the rule before already)
    topics |= {id(t) for t in triggers if not t.type.party_kinds and not verbal(t.text)
               and any(o.type is t.type and 0 <= t.start - o.end <= 40 for o in triggers)
               and cue_before(t.type.object_of, lowered, t) and not match_any(kb.cues.own_clause_after, lowered, t.end)}
    # "the talks are extended by a week": the subject of an extension gives its time to the extending
    topics |= {id(t) for t in triggers if t.type.party_kinds and not verbal(t.text) and is_extended(lowered, t)}
    # "the exchange agreed at ...": a participle right after another trigger modifies it.
    # (not a finite passive: "the truce was extended on May 29"; nor the verb of a noun naming who negotiates with a
    # time of its clause after it: "the delegation signed the accord on Thursday")
    background |= {id(t) for t in triggers if t.text.lower().endswith("ed") and " " not in t.text
                   and any(0 <= t.start - o.end <= 1 and not (o.text.lower() in o.type.agent_triggers and any(
                       time.start_char - base >= t.end and "," not in lowered[t.end:time.start_char - base]
                       for time in times)) for o in triggers)}
    # Reporting events ("X said") are dated by the report; they own a time only when nothing else can.
    reporting = {id(t) for t in triggers if t.type.default_time == "reference"}
    if len(reporting) < len(triggers):
        background |= reporting
    owner: dict[int, Trigger] = {}
    # "proposed today's round last Wednesday": a noun a time names in the possessive owns no other time
    # (not an occasion: "said after Monday's session", "spoke at Friday's talks")
    possessed = {id(time): t for t in triggers for time in times if not verbal(t.text)
                 and _POSSESSIVE.fullmatch(lowered, time.end_char - base, t.start)
                 and not search_any(kb.cues.possessive_occasions, lowered, 0, time.start_char - base)}
    named_alone = {id(t) for t in possessed.values()}
    planning = [patterns for modality, patterns in kb.cues.modality if modality in PLANNING]
    quotes = quoted_spans(lowered)
    first_listed = _listed_days(kb, times, lowered, base)
    for time in times:
        position = time.start_char - base
        # (a later day of a list of days goes where the list's first day went)
        listed = first_listed.get(id(time))
        if listed is not None and id(listed) in owner:
            owner[id(time)] = owner[id(listed)]
            continue
        # "a ceasefire, agreed on June 23, took effect on August 29": a time right after "took effect" is the
        # day the trigger noun before it took effect, whatever stands between them
        effect = _effect(triggers, lowered, position)
        if effect is not None:
            owner[id(time)] = effect
            continue
        # "treat the January ceasefire as void", "the May 16 talks": a time between a determiner and a trigger noun
        # names that noun, and dates nothing else (not even when the noun reports no event of its own)
        # ("proposed today's round last Wednesday", "Monday's talks": a time in the possessive names its noun alone)
        named = possessed.get(id(time)) or next(
            (t for t in triggers if 0 <= t.start - (time.end_char - base) <= 1 and not verbal(t.text)), None)
        if named is not None and (id(time) in possessed or any(
                p.search(lowered[max(0, position - 12):position]) for p in kb.cues.naming_determiners)):
            owner[id(time)] = named
            continue
        # '"Today we chose peace," X said': a time inside a quotation dates only what the quotation says
        quote = next(((a, b) for a, b in quotes if a <= position < b), None)
        if quote is not None and not any(quote[0] <= t.start < quote[1] for t in triggers):
            continue
        window = max(0, position - REPORT_REACH)
        far = max(0, position - PLACE_REACH)
        # (a day after the article's is no report's: "announced the new round on April 17" plans the round)
        near, farther = lowered[window:position], lowered[far:position]
        reports = [(window + m.start(), window + m.end()) for p in each_for(kb.cues.report_times, near)
                   if (m := p.search(near))] \
            + [(far + m.start(), far + m.end()) for p in each_for(kb.cues.report_places, farther)
               if (m := p.search(farther))] \
            if reference is None or time.start is None or time.start <= reference else []
        if reports:
            # "reported on Tuesday that the talks will be held on Thursday": Tuesday dates the report only
            # ("accused Vask on Monday of ...": the reporting verb in the cue).
            eligible = [t for t in triggers if id(t) in reporting and (_attached(kb, lowered, t, position) or any(
                start <= t.start < end for start, end in reports))]
            # "the ultimatum, announced on Tuesday, ...": a participle right after a trigger noun dates that noun
            eligible = eligible or [t for t in triggers if id(t) not in reporting and any(
                _COMMA.fullmatch(lowered[t.end:start]) for start, _ in reports)]
            if not eligible:
                # "gave Vesta until May 31 to withdraw, warning in a televised address on Sunday that ...": a participle
                # of speech closing a clause dates the act that clause reports (its first verb trigger)
                cue = min(start for start, _ in reports)
                eligible = [t for t in triggers if id(t) not in background and verbal(t.text) and t.end <= cue
                            and search_any(kb.cues.speech_participles, lowered[t.end:position])
                            and not search_any(kb.cues.clause_breaks, lowered[t.end:cue])][:1]
            if not eligible:
                # "In a statement on Sunday, the ministry said ...": the report is named before its verb
                eligible = [t for t in triggers if id(t) in reporting and t.start >= position][:1]
            if not eligible:
                # "Vask called the deal a mistake in a statement on Sunday": ... or after it
                eligible = [t for t in triggers if id(t) in reporting and t.end <= position][-1:]
            if not eligible:
                # "Vask proposed talks in a televised address on Sunday": with no reporting verb, the medium is that
                # of the act its clause reports (or the act the cue's own verb is: "Vask spoke to Morales by phone on
                # Sunday"); "X, writing on social media on Sunday, offered to mediate": of the act right after the aside
                cue = min(start for start, _ in reports)
                end = time.end_char - base
                eligible = [t for t in triggers if id(t) not in background and verbal(t.text) and t.start <= cue
                            and not search_any(kb.cues.clause_breaks, lowered[t.end:cue])
                            and not any(t.end <= o.start_char - base < cue for o in times)][-1:] \
                    or [t for t in triggers if id(t) not in background and verbal(t.text)
                        and _COMMA.fullmatch(lowered[end:t.start])] \
                    or [t for t in triggers if id(t) not in background and verbal(t.text) and t.start >= end
                        and not any(o.start < position for o in triggers)
                        and _SUBJECT_AFTER_OPENING.fullmatch(lowered[end:t.start])][:1]
        elif not _trigger_before_in_clause(kb, lowered, triggers, position) and (fronted := [
                t for t in triggers if id(t) in reporting and t.start >= time.end_char - base and not any(
                    time.end_char - base <= o.start < t.start and id(o) not in background for o in triggers)][:1]):
            # "On Saturday, X, who heads the team, said ...": a time opening the sentence (or a coordinated clause:
            # "..., and the next day she told reporters that ...") before its reporting verb, with no event of its own
            # in between, dates the report ("On the eve of the talks, X said": the talks inside the time are no event
            # between them)
            eligible = fronted
        else:
            eligible = [t for t in triggers if id(t) not in outcomes
                        and (id(t) not in background or (_attached(kb, lowered, t, position)
                                                         and not _reference_point(kb, lowered, t, position))
                             or (id(t) in clause_verbs and position >= t.end))]
            # ("On Saturday, X, who heads the delegation, said": with only background triggers besides, the
            # report owns the time)
            eligible = eligible or [t for t in triggers if id(t) in reporting]
            # "The president said more exchanges were expected over the weekend": a time in what was said is not the
            # saying's
            eligible = [t for t in eligible if id(t) not in reporting or position < t.start
                        or _attached(kb, lowered, t, position)]
        eligible = [t for t in eligible if id(t) not in named_alone]
        # "the accord was announced in Tarsova on January 15": a report in the passive of the event noun right before
        # it, with no reporter named ("by X"), reports the event made public that day: the time is the noun's
        eligible = [t for t in eligible if not (id(t) in reporting and t.end <= position and any(
            o.end <= t.start and id(o) not in reporting and not verbal(o.text)
            and fullmatch_any(kb.cues.passive_report, lowered[o.end:t.start]) for o in eligible)
            and not kb.grammar.passive_by.search(lowered[t.end:position]))]
        # a deadline owns no date before its trigger unless counted from the report ("ten days from today"),
        # written right before it ("the March 20 deadline", "Tuesday's 6 p.m. deadline") or opening the sentence
        # that says it ran out ("On June 30 the final deadline lapses")
        eligible = [t for t in eligible if not (t.type.time_cues and position < t.start and not any(
            p.search(time.text.lower()) for p in t.type.counted_times)
            and not _names_noun(t, lowered, time, base)
            and not _runs_out_from(kb, t, lowered, time, base))]
        # "the two delegations agreed to prolong the truce to 30 May": a noun naming who negotiates, as the subject of
        # a verb of another event, owns no time after that verb (the time is the verb's or its object's)
        eligible = [t for t in eligible if not (t.text.lower() in t.type.agent_triggers and position >= t.end and any(
            o.type is not t.type and verbal(o.text) and t.end <= o.start < position for o in triggers))]
        # nor an ultimatum a date joined to it by "expires", "runs out" (the deadline's)
        eligible = [t for t in eligible if not (t.type.time_excludes and search_any(t.type.time_excludes, _joining(
            kb, lowered[min(t.start, position):max(t.end, position)], position < t.start)))]
        # "Vesta has ten days from today": a trigger inside a time is named by it; the time it counts to is a
        # deadline's, not the ultimatum's
        eligible = [t for t in eligible if t.type.duration_sets == "time"
                    or not position <= t.start < time.end_char - base]
        eligible = [t for t in eligible if id(t) not in topics or (
            position >= t.end and search_any(kb.cues.topic_times, lowered[t.end:position]))]
        # "Norland proposed a ceasefire on May 25", told later: a past day after a plan's noun is the verb's that plans
        # it, right before the noun (the proposing), not the plan's
        if reference is not None and time.end is not None and time.end < reference and time.precision == "day" \
                and time.kind != "range":
            planned_by = {id(t) for t in eligible if not verbal(t.text) and t.end <= position and any(
                verbal(o.text) and 0 <= t.start - o.end <= 20
                and any(search_any(patterns, lowered[o.start:t.start]) for patterns in planning) for o in eligible)}
            eligible = [t for t in eligible if id(t) not in planned_by]
        # "... produced a swap but no truce, and on Saturday both sides were ...": a time belongs to its own
        # coordinated clause; with no trigger there it dates nothing
        eligible = [t for t in eligible if not search_any(
            kb.cues.coordinate_breaks, lowered[min(t.end, position):max(t.start, time.end_char - base)])]
        # "Morales, who flew in on Tuesday, told reporters ...": not the report's time after the clause closes, nor
        # that of a trigger before the clause opens ("Vesta's team was led by Vask, who became minister last week")
        relative = next((m for p in kb.cues.relative_time if (m := p.search(lowered[:position]))), None)
        if relative is not None:
            eligible = [t for t in eligible if not (id(t) in reporting and t.start > position
                                                    and "," in lowered[position:t.start])
                        and not t.end <= relative.start()]
        # "during the third round of talks, which ran in Lenby from June 8 to June 10": a time in a relative clause
        # about an event noun right before it is that noun's, when the clause names no event of its own before it
        clause = next((m for p in kb.cues.antecedent_times if (m := p.search(lowered[:position]))), None)
        if clause is not None and not any(clause.start() < t.start < position for t in triggers):
            antecedent = [t for t in triggers if not verbal(t.text) and t.end <= clause.start()
                          and not lowered[t.end:clause.start()].strip()]
            eligible = antecedent or eligible
        # "Vasko, appointed minister this week, put forward ...": a time between commas belongs to a trigger there
        end = time.end_char - base
        same_segment = [t for t in eligible if "," not in lowered[min(t.end, position):max(t.start, end)]]
        if same_segment and len(same_segment) < len(eligible):
            eligible = same_segment
        # "Last Saturday the ministers, meeting in Arusha, threatened sanctions": a time opening the sentence is its
        # main verb's, not a participle's set off by commas before that verb
        if not any(t.start < position for t in triggers):
            # (not when the verb after it opens a relative clause: "On May 2, X and Y agreed on a commission, which met
            # on May 9" dates the agreeing)
            asides = {id(u) for u in eligible for v in eligible if u.end <= v.start and verbal(v.text.split()[0])
                      and "," in lowered[end:u.start] and "," in lowered[u.end:v.start]
                      and not _RELATIVE_ASIDE.search(lowered, u.end, v.start)}
            eligible = [t for t in eligible if id(t) not in asides] or eligible
        # "had until March 31": of two types' triggers on the same words, the one that counts only before a date
        # (the deadline's) owns it
        eligible = [t for t in eligible if not any(o.type is not t.type and (o.start, o.end) == (t.start, t.end)
                                                   and o.text.lower() in o.type.dated_triggers for o in eligible)]
        # "announced before dawn on March 9 that a deal had been reached": not an event of the "that" clause; the
        # verb before it, a report too, owns the time
        if opens_complement(kb, lowered, end):
            eligible = [t for t in eligible if t.end <= position] or [
                t for t in triggers if t.end <= position and verbal(t.text)
                and not search_any(kb.cues.clause_breaks, lowered[t.end:position])][-1:]
        # "envoys meeting in the Lenby town hall on Friday agreed on an exchange": the time after a trigger's place is
        # that trigger's (the nearer exchange is what the meeting agreed on)
        # (not the act at an event: "agreed at the first round on May 16")
        placed = [t for t in eligible if t.end <= position
                  and search_any(kb.cues.placed_times, lowered[t.end:position])
                  and not any(t.end <= o.start < position for o in triggers)]
        if placed:
            eligible = placed
        if eligible:
            nearest = min(eligible, key=lambda t: (distance(t, position), t.start))
            # "met Z on Friday and signed": a time before "and <verb>" belongs to the verb before it (the
            # verb after it, with no time of its own, takes it from the event before it).
            if nearest.start >= end and search_any(kb.cues.coordinated, lowered[end:nearest.start]):
                earlier = [t for t in eligible if t.end <= position and not any(
                    t.end <= o.start_char - base < position for o in times if o is not time)]
                if earlier:
                    nearest = max(earlier, key=lambda t: t.end)
            owner[id(time)] = nearest
    return _postponed(kb, triggers, times, base, lowered, owner)


def _listed_days(kb: Knowledge, times: list[TimeValue], lowered: str, base: int) -> dict[int, TimeValue]:
    """"The rounds on May 16, June 2 and July 23", "in October, December and January": each later day (or month) of a
    list of three of one precision or more (by ``id``), with
    the list's first day, whose trigger the whole list belongs to, however near another trigger after it stands.
    (Not a day of a coordinated clause of its own: "began on May 2, and on May 5 and May 6 the sides ...".)"""
    first_listed: dict[int, TimeValue] = {}
    run: list[TimeValue] = []
    for time in [*times, None]:
        joint = lowered[run[-1].end_char - base:time.start_char - base] if time is not None and run else ""
        if joint and time.precision == run[0].precision and search_any(kb.cues.coordination, joint) \
                and not search_any(kb.cues.coordinate_breaks, joint):
            run.append(time)
            continue
        if len(run) >= 3:
            first_listed.update((id(item), run[0]) for item in run[1:])
        run = [time] if time is not None and time.precision in LISTED_PRECISIONS else []
    return first_listed


def _effect(triggers: list[Trigger], lowered: str, position: int) -> Trigger | None:
    """The trigger noun whose taking effect a time right after an effect verb dates ("the truce, agreed on
    May 20, took effect on May 22"): the last one before the verb with no other trigger noun in between."""
    for trigger in reversed([t for t in triggers if t.end <= position]):
        if verbal(trigger.text):
            continue     # a participle between ("agreed in Tarsova on May 20") is no subject
        cue = next((m for p in trigger.type.effect_times if (m := p.search(lowered[trigger.end:position]))), None)
        return trigger if cue is not None else None
    return None


def _postponed(kb: Knowledge, triggers: list[Trigger], times: list[TimeValue], base: int, lowered: str,
               owner: dict[int, Trigger]) -> dict[int, Trigger]:
    """"Planned for May 4, postponed to May 9": the old date is the cancellation's, the new one the event's,
    whichever trigger stands nearer."""
    cancels = [t for t in triggers if t.type.fixed_modality == "cancelled"]
    others = [t for t in triggers if t.type.fixed_modality is None]
    if not cancels:
        return owner
    olds = {id(t) for t in times if date_cue(kb.cues.old_date, lowered, t, base)}
    news = {id(t) for t in times if date_cue(kb.cues.new_date, lowered, t, base)}
    # Without a new date ("the summit planned for Friday was called off on Tuesday") nothing moves, but the old
    # date is the event planned before it ("the meeting, planned for Monday, will not go ahead"); the cancellation
    # shares it when it has no time of its own.
    if not news and not any(t.text.lower() in t.type.dated_triggers for t in cancels):
        for time in times:
            position = time.start_char - base
            planned = [t for t in others if t.end <= position]
            if id(time) in olds and owner.get(id(time)) in cancels and planned:
                owner[id(time)] = max(planned, key=lambda t: t.end)
        return owner
    for time in times:
        position = time.start_char - base
        if id(time) in olds:
            owner[id(time)] = min(cancels, key=lambda t: (distance(t, position), t.start))
        elif others and (id(time) in news or (id(time) in owner and owner[id(time)].type.default_time is None)):
            # (a report's time, "the ministry said late on Tuesday", stays the report's)
            owner[id(time)] = min(others, key=lambda t: (distance(t, position), t.start))
    return owner


def year_before(kb: Knowledge, text: str, trigger: Trigger, base: int) -> list[TimeValue]:
    """"the 2020 truce": a year right before a trigger noun is the event's own time."""
    for pattern in kb.cues.year_before:
        match = pattern.search(text[max(0, trigger.start - 30):trigger.start])
        if match:
            year = int(match.group(1))
            start = trigger.start - (min(trigger.start, 30) - match.start(1))
            return [TimeValue(text=match.group(1), start_char=base + start, end_char=base + start + 4,
                              start=date(year, 1, 1), end=date(year, 12, 31), precision="year",
                              edtf=str(year), anchor="absolute")]
    return []


def plan_window(time: TimeValue, reference: date) -> TimeValue:
    """An open "before the end of August" in a report of a plan: from the day after the report to its end."""
    start = reference + timedelta(days=1)
    assert time.end is not None
    return replace(time, start=start, precision="interval", edtf=f"{start.isoformat()}/{time.end.isoformat()}",
                   kind="range")


def new_date(kb: Knowledge, time: TimeValue, lowered: str, base: int) -> TimeValue:
    """"Postponed until May 12": the open range up to the new date is that date."""
    if time.precision == "open" and time.end and time.text.lower().startswith(("until", "till")) \
            and date_cue(kb.cues.new_date, lowered, time, base):
        return replace(time, start=time.end, precision="day", edtf=time.end.isoformat(), modifier=None,
                       kind="date")
    return time


def opens_complement(kb: Knowledge, lowered: str, at: int) -> bool:
    """A "that" clause opens at ``at`` (right after a time: "announced on March 9 that ...")."""
    return search_any(kb.cues.complement_opens, lowered[at:at + 12])


def date_cue(patterns: tuple[re.Pattern[str], ...], lowered: str, time: TimeValue, base: int) -> bool:
    position = time.start_char - base
    return search_any(patterns, lowered[max(0, position - DATE_CUE_REACH):position])


def _attached(kb: Knowledge, lowered: str, trigger: Trigger, position: int) -> bool:
    if position < trigger.end:
        return False
    return search_any(kb.cues.attached, lowered[trigger.end:position])


def _opens_clause(kb: Knowledge, lowered: str, trigger: Trigger, triggers: Sequence[Trigger]) -> bool:
    """A verb a background cue stands before is no part of the phrase but the verb of a clause the phrase's noun is
    the subject of ("since the two countries signed the treaty in 2036"), unless the noun is an event the verb's
    participle describes ("the third stage of the exchange agreed at the meeting") or the verb stands right after
    the determiner ("since the signed text reached Lima")."""
    return verbal(trigger.text) and not cue_before(kb.cues.naming_determiners, lowered, trigger) \
        and not any(0 <= trigger.start - other.end <= 1 for other in triggers if other is not trigger)


def _reference_point(kb: Knowledge, lowered: str, trigger: Trigger, position: int) -> bool:
    """"After the second round, on June 11, Vesta received ...": an event named as the point the main clause is
    counted from does not own a time set off after it by a comma (that is the main clause's)."""
    # (not one its own relative clause gives it: "since the first round, which was held on 3 November")
    return kb.grammar.set_off.fullmatch(lowered[trigger.end:position]) is not None \
        and cue_before(kb.cues.reference_points, lowered, trigger)


# The precisions of a period that frames the days written inside it ("In 2044 ... on April 11").
FRAMES = ("year", "quarter", "season", "month")


def claims_of(kb: Knowledge, lowered: str, times: list[TimeValue], trigger: Trigger, base: int) -> list[TimeValue]:
    """The trigger's own time, plus further reports of it (after a reporting cue, or coordinated), or further
    times it happened again ("and again on August 2")."""
    # "In 2044 their envoys met for the first time in Montreux on April 11": of a period and a day inside it that the
    # trigger both owns, the day is the time it happened (the period frames it)
    # (not a span of days: "scheduled for Wednesday ... may occur between July 23 and 24" are two claims)
    times = [t for t in times if t.precision not in FRAMES or not any(
        o.precision == "day" and o.start and t.start and t.end and t.start <= o.start <= t.end for o in times)] or times
    if len(times) <= 1:
        return times
    if (span := _opened_and_ended(kb, lowered, times, trigger, base)) is not None:
        return [span]
    ordered = sorted(times, key=lambda t: distance(trigger, t.start_char - base))
    first = ordered[0]
    kept = [first]
    for other in ordered[1:]:
        # (joined to the kept time next to it: "on 16 May, on 2 June and on 23 July" is a chain of three)
        neighbour = min(kept, key=lambda t: abs(t.start_char - other.start_char))
        a, b = sorted((neighbour, other), key=lambda t: t.start_char)
        between = lowered[a.end_char - base:b.start_char - base]
        # ("on Friday week, March 11": one day written twice, in apposition, is one claim)
        if (other.start, other.end) == (neighbour.start, neighbour.end) and _COMMA.fullmatch(between):
            continue
        # (a day refining a period kept is kept, and the period dropped below: "met twice this year, in Lenby on May 16
        # and June 2" are two days, not a year)
        if search_any(kb.cues.claim_separators, between) or \
                search_any(kb.cues.coordination, between) or search_any(kb.cues.repetition, between) or \
                _refines(kb, a, b, between):
            kept.append(other)
    # "at the end of March, on the 28th": a day within the period just named refines it, no second claim
    kept = [t for t in kept if not any(
        o is not t and _refines(kb, t, o, lowered[t.end_char - base:o.start_char - base]) for o in kept)]
    return sorted(kept, key=lambda t: t.start_char)


def _refines(kb: Knowledge, period: TimeValue, day: TimeValue, between: str) -> bool:
    """Whether ``day``, written after ``period`` with ``between`` between them, is a day within it that refines it
    ("at the end of March, on the 28th", "this year, in Lenby on May 16")."""
    return day.precision == "day" and period.precision != "day" and bool(day.start and period.start and period.end) \
        and period.start <= day.start <= period.end and kb.grammar.refines.fullmatch(between) is not None


def _opened_and_ended(kb: Knowledge, lowered: str, times: list[TimeValue], trigger: Trigger,
                      base: int) -> TimeValue | None:
    """"The round opened on Monday and closed on Tuesday with a water accord": a multi-day event whose trigger owns
    the day it opened and the day it ended, up to four days later, is one span from the first to the last (as
    ``join_spans`` joins the two ends reported by two mentions)."""
    if not trigger.type.multi_day:
        return None
    days = [t for t in times if t.precision == "day" and t.start is not None]
    first = next((t for t in days if _span_cue(kb.cues.span_start, lowered, t.start_char - base)), None)
    last = next((t for t in days if _span_cue(kb.cues.span_end, lowered, t.start_char - base)), None)
    if first is None or last is None or not 0 < (last.start - first.start).days <= SPAN_DAYS:
        return None
    return replace(_as_span(first, first.start, last.start), end_char=last.end_char, text=f"{first.text} to {last.text}")


def _span_cue(cues: tuple[re.Pattern[str], ...], lowered: str, at: int) -> bool:
    """One of a span's opening or closing cues (``[spans]`` start or end) stands before the time at ``at``."""
    return search_any(cues, lowered[max(0, at - SPAN_CUE_REACH):at])


def _names_noun(trigger: Trigger, lowered: str, time: TimeValue, base: int) -> bool:
    """A time before a trigger noun that is its own: written right before it ("Tuesday's 6 p.m. deadline"), or named
    as it by a verb of setting ("Vask had fixed midnight on Thursday as the deadline"); the type's ``noun_times``,
    ``setting_verbs`` and ``set_as``."""
    event_type = trigger.type
    start, end = time.start_char - base, time.end_char - base
    between = lowered[end:trigger.start]
    return fullmatch_any(event_type.noun_times, between) or (
        end <= trigger.start and fullmatch_any(event_type.set_as, between)
        and search_any(event_type.setting_verbs, lowered[max(0, start - 30):start]))


def _runs_out_from(kb: Knowledge, trigger: Trigger, lowered: str, time: TimeValue, base: int) -> bool:
    """"On June 30 the final deadline lapses": a time opening the sentence dates a trigger that counts only with a
    date ("lapses"), or the noun right before one ("deadline")."""
    dated = trigger.type.dated_triggers
    return bool(dated) and opens_for(kb, lowered, time.start_char - base, time.end_char - base, trigger.start) and (
        trigger.text.lower() in dated or any(lowered.startswith(" " + word, trigger.end) for word in dated))


def own_time(kb: Knowledge, event_type: EventType, time: TimeValue | None, duration: TimeValue | None,
             trigger: Trigger, base: int, reference: date, lowered: str) -> TimeValue | None:
    """The event's own time: for a deadline, the date it runs out, never the day it was set."""
    if time is not None and event_type.time_excludes:
        a, b = sorted((trigger.start, time.start_char - base))
        # (the day it took effect is its own: "breaching it within hours of its taking effect on Saturday")
        effect = a == trigger.start and search_any(event_type.effect_times, lowered[a:b])
        if not effect and search_any(event_type.time_excludes, _joining(kb, lowered[a:b], a != trigger.start)):
            return None          # "the ultimatum, which runs out on September 2": not its own date
    if event_type.duration_sets != "time":
        return time
    if time is not None and search_any(event_type.counted_times, time.text.lower()):
        return time              # "ten days from today", counted from the report
    if time is not None and time.end_char - base <= trigger.start \
            and _names_noun(trigger, lowered, time, base):
        return time              # "Tuesday's 6 p.m. deadline", "fixed midnight on Thursday as the deadline"
    if time is not None and _runs_out_from(kb, trigger, lowered, time, base):
        return time              # "On June 30 the final deadline lapses"
    if time is not None and names_day_of(kb, lowered, time, base, trigger):
        return time              # "on August 14, the day Vesta's deadline expired"
    if time is not None and time.start_char - base >= trigger.start:
        between = lowered[trigger.end:time.start_char - base]
        if time.start_char - base < trigger.end:
            return time          # "has until Monday": the time shares its first word with the trigger
        # "would have expired on September 2", "ran out last Thursday": a date right after a verb trigger
        # (or a trigger that counts only before a date) is its own
        if not event_type.time_cues or search_any(event_type.time_cues, between) \
                or ((verbal(trigger.text) or trigger.text.lower() in event_type.dated_triggers)
                    and kb.grammar.date_next.fullmatch(between)) \
                or (fullmatch_any(event_type.placed_at, between)
                    and search_any(event_type.placing_verbs, lowered[max(0, trigger.start - 40):trigger.start])):
            return time          # "a deadline of March 20", "runs out on April 2", "puts the deadline on Friday"
    # "a new deadline of ten days": counted from the article's date. A duration before the
    # trigger ("the 30-day deadline") names an existing deadline, not a new one; one an extension adds ("extended
    # the deadline by seven days") counts from the limit it extends, which resolving finds.
    if duration is not None and duration.start_char - base >= trigger.start \
            and not date_cue(kb.cues.extension_amount, lowered, duration, base):
        return deadline_from(reference, duration)
    return None


def _joining(kb: Knowledge, between: str, time_first: bool) -> str:
    """The text joining a time to a trigger, as ``time_excludes`` reads it: from a day before the trigger, without an
    aside of the scene ("On Thursday, with that deadline hours from running out, X moved it back": the aside says
    nothing of the day)."""
    return blanked(kb.cues.scene_asides, between) if time_first else between


def names_day_of(kb: Knowledge, lowered: str, time: TimeValue, base: int, trigger: Trigger) -> bool:
    """Whether a clause between ``time`` and the trigger after it names the time's day by the trigger's event ("met in
    Lenby on August 14, the day Vesta's deadline expired", "Sunday was the day Norland's truce expired")."""
    return time.end_char - base <= trigger.start \
        and fullmatch_any(kb.cues.same_day, lowered, time.end_char - base, trigger.start)


def consecutive_days(times: list[TimeValue], text: str, lowered: str, base: int,
                     coordination: tuple[re.Pattern[str], ...]) -> list[TimeValue]:
    r""""On June 9 and 10", "on Friday and Saturday": coordinated days in a row are one event's span.

    >>> d = lambda day, at: TimeValue(text="x", start_char=at, end_char=at + len(str(day)), start=date(2026, 6, day),
    ...                               end=date(2026, 6, day), precision="day", edtf="")
    >>> [(t.start.day, t.end.day, t.text) for t in consecutive_days(
    ...     [d(9, 3), d(10, 9)], "on 9 and 10", "on x and x", 0, (re.compile(r"^\W*and\W*$"),))]
    [(9, 10, '9 and 10')]
    """
    if len(times) < 2 or any(t.precision != "day" or t.start is None for t in times):
        return times
    ordered = sorted(times, key=lambda t: t.start_char)
    for a, b in zip(ordered, ordered[1:]):
        if (b.start - a.end).days != 1 or not any(
                p.search(lowered[a.end_char - base:b.start_char - base]) for p in coordination):
            return times
    first, last = ordered[0], ordered[-1]
    return [replace(first, end=last.end, end_char=last.end_char, edtf=f"{first.start}/{last.end}",
                    text=text[first.start_char - base:last.end_char - base])]


# An open relative clause before a time: the time is said of someone or something named before it.
_RELATIVE_ASIDE = re.compile(r",\s+(who|whose|which)\b[^,;]*$")
# How many days before the report the day an account has reached may lie for an undated speech to be of that day
# (a next-day piece, or a Sunday review of the week, on talks "on Tuesday"; not a background date).
RECENT_ACCOUNT_DAYS = 5


def account_day(annotated: AnnotatedSentence, current: TimeValue | None, reference: date) -> TimeValue | None:
    """The day the account has reached after this sentence: its last time not after the report (a day; any other
    time, a month or a year of background, leaves no day); a sentence without one keeps the day before it.  Once
    the account has reached the report's own day it stays there (a same-day report: what is said is said today)."""
    if current is not None and current.start == reference:
        return current
    # (an aside on someone's past, "Vask, who was named minister last Friday, ...", is no step of the account)
    text, offset = annotated.sentence.text, annotated.sentence.start
    past = [t for t in annotated.times if t.kind != "duration" and (t.start or t.end) is not None
            and (t.start or t.end) <= reference and not _RELATIVE_ASIDE.search(text, 0, t.start_char - offset)]
    if any(t.precision == "day" and t.start == reference for t in past):
        return next(t for t in past if t.precision == "day" and t.start == reference)
    if not past:
        return current
    last = max(past, key=lambda t: t.start_char)
    if last.precision == "day":
        return last
    # ("the third round since May", "the second meeting this year": a span that holds the day reached is no move
    # away from it)
    if current is not None and current.start is not None and (last.start or current.start) <= current.start \
            <= (last.end or reference):
        return current
    return None


def spoken_at_day(kb: Knowledge, found: Sequence[EventMention], day: TimeValue | None,
                  reference: date) -> TimeValue | None:
    """The day a speech of this sentence was dated by its recent occasion ("Vask told the audience that ...": at the
    signing reported on Tuesday): the account is back at that day (``account_day``), from background or from the
    report's own day, not from a later day it has told of ("On Wednesday the mediators flew home")."""
    occasion = next((m.time for m in found if kb.types[m.type].default_time == "reference" and m.time is not None
                     and m.time.anchor == "previous" and m.time.start_char < (m.source.sentence_start or 0)
                     and m.time.precision == "day" and m.time.start is not None
                     and 0 < (reference - m.time.start).days <= RECENT_ACCOUNT_DAYS), None)
    if occasion is None or day is not None and day.start is not None and occasion.start < day.start < reference:
        return day
    return occasion


def _quoted(annotated: AnnotatedSentence, time: TimeValue) -> bool:
    """Whether the time stands inside a quotation of its sentence: what was said, not when ("said the war \"should have
    ended three weeks ago\"")."""
    at = time.start_char - annotated.sentence.start
    return any(start <= at < end for start, end in quoted_spans(annotated.sentence.text))


def told_that_day(kb: Knowledge, mention: EventMention, day: TimeValue | None, reference: date,
                  annotated: AnnotatedSentence, others: Sequence[EventMention] = ()) -> EventMention:
    """"Talks ended on Tuesday without a truce. ... Vask told reporters that ...", in Wednesday's paper: a speech
    reported in a past tense, dated only by the report, was made on the recent day the account had reached (a
    report that has reached its own day keeps it; so do "Vask says", a sentence with a time none of its ``others``
    (the sentence's other mentions) takes, and an entry of a live page stamped with its hour).  A threat the speech
    makes ("told reporters that Norland would impose tariffs"), dated by the same report, was made that day too."""
    time = mention.time
    event_type = kb.types[mention.type]
    # (the speech of the sentence that a promise is dated by, whose tense decides for both: "Vask says Norland will")
    speech: EventMention | None = None
    if event_type.default_time == "reference":
        speech = mention
    elif event_type.promised:
        speech = next((m for m in others if kb.types[m.type].default_time == "reference"), None)
    # (a time the sentence gives another of its events is not the speech's own: "told reporters after the meeting
    # that Vesta had proposed a summit before the end of August")
    taken = {m.time.start_char for m in others if m is not mention and m.time is not None and m.time.text}
    if day is None or day.start is None or time is None or time.text or time.anchor != "reference" \
            or speech is None or not 0 < (reference - day.start).days <= RECENT_ACCOUNT_DAYS \
            or search_any(kb.cues.present_reports, speech.trigger) \
            or any(t.kind != "duration" and t.start_char not in taken and not _quoted(annotated, t)
                   and not (t.start is not None and t.start > reference) for t in annotated.times) \
            or search_any(kb.cues.clock_stamps, annotated.sentence.text):
        return mention
    return replace(mention, time=replace(time, start=day.start, end=day.start, edtf=day.start.isoformat(),
                                         anchor="previous", anchor_date=day.start))


def report_day(reference: date, base: int) -> TimeValue:
    """The article's reference date as an event time with no text of its own, placed at offset ``base``
    (what was said is dated by the report)."""
    return TimeValue(text="", start_char=base, end_char=base, start=reference, end=reference, precision="day",
                     edtf=reference.isoformat(), anchor="reference", anchor_date=reference)


def reference_time(reference: date, mention: EventMention) -> TimeValue:
    """The article's reference date as the time of ``mention``, placed at its sentence."""
    return report_day(reference, mention.source.sentence_start or 0)


def last_day(time: TimeValue) -> TimeValue:
    """The last day of a span of several days ("from 9 to 13 May": May 13); any other time as it is."""
    if time.precision in ("day", "interval") and time.start and time.end and time.end > time.start:
        return replace(time, start=time.end, precision="day", edtf=time.end.isoformat(), kind="date")
    return time


def date_from_neighbours(kb: Knowledge, mentions: list[EventMention], origins: list[Trigger], framing: set[int],
                         lowered: str, base: int, reference: date,
                         times: Sequence[TimeValue]) -> list[EventMention]:
    """Dates for the mentions of one sentence that have no time of their own, from the other mentions of the
    sentence (``origins`` holds each mention's trigger; ``framing`` the indexes of mentions from a background
    trigger, which date nothing; ``times``, the sentence's dated expressions)."""
    mentions = list(mentions)
    # "freed on Monday, two days before the deadline ran out": a limit counted back from, with no day of its own (the
    # count's span may hold the trigger), runs out that count after the day the sentence gave before the count
    for i, mention in enumerate(mentions):
        own, trigger = mention.time, origins[i]
        if own is None or not own.text or own.start_char - base <= trigger.start < own.end_char - base:
            limit = _counted_back(kb, mention, trigger, times, base, reference)
            if limit is not None:
                mentions[i] = replace(mention, time=limit)
    # "the arrangements agreed at the second round on March 3": an event with no time of its own made at a
    # dated meeting named right after it takes that meeting's time (before a dated event before it could: "the
    # handover agreed at the first round on April 20 ran from May 4 to May 6" was agreed on April 20).
    for i, mention in enumerate(mentions):
        event_type = kb.types[mention.type]
        if mention.time is None and mention.modality == "occurred" and event_type.dated_by:
            trigger = origins[i]
            for later, at in zip(mentions, origins):
                if later.type not in event_type.dated_by or not (later.time and later.time.text):
                    continue
                if at.start > trigger.end and match_any(kb.cues.made_at, lowered[trigger.end:at.start].lstrip()):
                    mentions[i] = replace(mention, time=replace(later.time, anchor="previous"))
                    break
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
            # "a swap the two delegations had agreed in Lenby nine days ago": a noun naming who negotiates met on the
            # day of what it did, the verb it is the subject of, not on the day of an event before it
            trigger = origins[i]
            agent = trigger.text.lower() in event_type.agent_triggers
            acted = next((m for m, t in zip(mentions[i + 1:], origins[i + 1:])
                          if verbal(t.text) and _SUBJECT_GAP.fullmatch(lowered, trigger.end, t.start)
                          and m.time and m.time.text), None) if agent else None
            if acted is None and agent:
                # "negotiators needed barely an hour at the town hall on Wednesday to agree on ...": who negotiates met on
                # the day their own clause gives, before any other event of the sentence
                # (not the object of an act before it: "confirmed its delegation on Monday")
                acted = next((m for m, t in zip(mentions, origins) if m is not mention and m.time and m.time.text
                              and m.time.precision == "day" and m.modality == "occurred" and t.start >= trigger.end
                              and trigger.end <= m.time.start_char - base
                              and not any(trigger.end <= o.start < m.time.start_char - base for o in origins)
                              and not search_any(kb.cues.clause_breaks, lowered[trigger.end:m.time.start_char - base])),
                             None)
            outcome = cue_before(event_type.outcome_of, lowered, trigger)
            # "opened on January 24 and ended on February 2 with a deal": the outcome is on the day written in the
            # meeting's ending
            ending = _ending_day(event_type, lowered, trigger, times, base) if outcome else None
            if acted is not None:
                mentions[i] = replace(mention, time=replace(acted.time, anchor="previous"))
            elif ending is not None:
                mentions[i] = replace(mention, time=ending)
            elif before:
                time = before[-1].time
                # "the round, held from 9 to 13 May, ended with an agreement": the outcome is the meeting's last day
                # (and so is what was refused there: "met on 9 and 10 May, but no agreement was reached on the levy")
                at_end = outcome or (mention.modality == "denied" and event_type.denied_at_end)
                mentions[i] = replace(mention, time=replace(last_day(time) if at_end else time, anchor="previous"))
    # "Ivo Stenmark has been sworn in as minister": with no time in the sentence, a present perfect is the news of
    # the report's day
    if not any(m.time for m in mentions):
        for i, mention in enumerate(mentions):
            if mention.modality == "occurred" and i not in framing and not kb.types[mention.type].fixed_modality \
                    and cue_before(kb.cues.perfect_news, lowered, origins[i]):
                mentions[i] = replace(mention, time=report_day(reference, base))
    # "Vask said on Monday he was cutting his deadline", "Vesta gave the Front 48 hours, Vask said on Monday": with
    # no time of its own, the change is dated by the report of it (its reporting verb's time, before it or in an
    # attribution after it, else the article's date)
    for i, mention in enumerate(mentions):
        trigger = origins[i]
        said_only = trigger.text.lower() in kb.types[mention.type].said_triggers
        if mention.time is None and mention.modality == "occurred" \
                and (trigger.text.lower() in kb.types[mention.type].reported_triggers or said_only):
            said = next((m.time for m, t in zip(mentions, origins) if t.type.default_time == "reference"
                         and t.end <= trigger.start and m.time is not None), None) or \
                next((m.time for m, t in zip(mentions, origins) if t.type.default_time == "reference"
                      and t.start >= trigger.end and m.time is not None and "," in lowered[trigger.end:t.start]),
                     None)
            if said is None and said_only:
                continue    # ("Vask gave Vesta 30 days ..." in a later piece: background, not issued that day)
            mentions[i] = replace(mention, time=said or report_day(reference, base))
    # "suspended its part in the talks on Thursday": a cancellation with no time of its own is dated by the
    # event it calls off (the one in its sentence that carries its modality).
    for i, mention in enumerate(mentions):
        fixed = kb.types[mention.type].fixed_modality
        if mention.time is None and fixed and fixed != "occurred":
            called_off = next((m.time for m in mentions if m is not mention and m.modality == fixed and m.time), None)
            if called_off is not None:
                mentions[i] = replace(mention, time=called_off)
    return mentions


def _counted_back(kb: Knowledge, mention: EventMention, trigger: Trigger, times: Sequence[TimeValue],
                  base: int, reference: date) -> TimeValue | None:
    """The day a limit runs out that the words before its trigger count back from (``counted_back``: "two days
    before the deadline"): that many days after the last day the sentence gave before the count; None without both."""
    # (read in the sentence as written: its times are blanked in ``lowered``, and the count may be one)
    text = mention.source.sentence
    count = next((m for p in kb.types[mention.type].counted_back if (m := p.search(text, 0, trigger.start))), None)
    # ("two days before the Friday deadline": a limit with a day of its own, which the count's span may have taken)
    if count is None or any(count.start("count") < t.start_char - base < trigger.start for t in times) \
            or find_times(text[count.end("unit"):trigger.start], reference):
        return None
    number = count_value(count["count"])
    day = next((t for t in reversed(times) if t.precision == "day" and t.kind == "date" and t.start is not None
                and t.start == t.end and t.end_char - base <= count.start()), None)
    if number is None or day is None or day.start is None:
        return None
    reached = day.start + timedelta(days=number if count["unit"].startswith("day") else 0)
    return replace(day, start=reached, end=reached, edtf=reached.isoformat(), anchor="previous", anchor_date=day.start)


def _ending_day(event_type: EventType, lowered: str, trigger: Trigger, times: Sequence[TimeValue],
                base: int) -> TimeValue | None:
    """The day written in the words that end a meeting right before its outcome ("opened on January 24 and ended on
    February 2 with a deal": February 2), if any."""
    low = max(0, trigger.start - CUE_BEFORE_REACH)
    window = lowered[low:trigger.start]
    cue = next((m for p in event_type.outcome_of if (m := p.search(window))), None)
    if cue is None:
        return None
    return next((t for t in reversed(times) if t.precision == "day" and t.start is not None and t.kind == "date"
                 and low + cue.start() <= t.start_char - base and t.end_char - base <= trigger.start), None)
