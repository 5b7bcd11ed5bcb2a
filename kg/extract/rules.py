"""The rule extractor: runs the passes of this package over an article, sentence by sentence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Protocol

from spacy.tokens import Span

from kg.annotate import after_turn_label
from kg.clean import is_figure_item
from kg.cuepatterns import fullmatch_any, match_any, search_any
from kg.extract.article import (acting_for, announced, article_heads, article_pair, collective_parties,
                                counted_from_event, dated_by_of, ended_with, generic_sides, occasion_time, one_speech,
                                other_side, parties_of_occasion, person_sides, said_after, section_pairs,
                                speech_continued, third_parties, when_time)
from kg.extract.knowledge import Knowledge
from kg.extract.learned import SentenceModel, common_words, masks_of, shipped_model
from kg.extract.modality import UNPLACED, clause_span, is_governed, is_negated, is_topic, modality_of
from kg.extract.participants import (ACTOR_KINDS, DURATIONS, EXTENSIONS, attribution_of, ordinal_of, participants_of,
                                     quantities_of, reporter_before, topic_of)
from kg.extract.scheme import EventType
from kg.extract.sentence import Trigger, cue_before, shift, verbal
from kg.extract.timing import (assign_times, claims_of, consecutive_days, date_cue, join_spans, last_day, line_heading,
                               names_day_of, new_date, opens_complement, own_time, plan_window, reference_time,
                               report_day, year_before, account_day, told_that_day, date_from_neighbours, date_line,
                               stamp_heading, spoken_at_day, closed_by_clause)
from kg.extract.triggers import (PREDICATE_WINDOW, TriggerLexicon, find_triggers, promote, pronoun_predicates,
                                 speakers_of)
from kg.records import (AnnotatedArticle, AnnotatedSentence, EntityMention, EventMention, Participant, Sentence, Source,
                        TimeValue)

# How far from the trigger its place may be ("talks ... at Lancaster House in London").
PLACE_WINDOW = 70
# How far before a time its "have not met" may stand ("the delegations of both countries have not met since June 7").
LAST_SINCE_REACH = 60
# How long before the report an event may lie and still date what the article reports next without a time of its own.
RECENT = timedelta(days=92)
# A list of days all this long before the report recounts the past ("first on May 16 and again on June 2").
RECOUNTED = timedelta(days=7)
_SourceFactory = Callable[[Sentence, "Trigger"], Source]


@dataclass(frozen=True)
class _SentenceView:
    """What the rules have read of one sentence once its triggers are found and its times owned: the per-trigger
    step (``_trigger_mentions``) reads it."""
    kb: Knowledge
    sentence: Sentence
    text: str
    base: int                            # the sentence's offset in the article
    plain: str                           # the text in lower case, its times kept
    lowered: str                         # the text in lower case, its times blanked
    entities: list[EntityMention]        # offsets relative to the sentence
    times: list[TimeValue]
    dated: list[TimeValue]
    durations: list[TimeValue]
    owner: dict[int, Trigger]            # id of a time -> the trigger that owns it
    owners: set[int]                     # ids of the triggers that own a time
    same_type: dict[str, list[Trigger]]  # the triggers of each type
    all_triggers: list[Trigger]
    reference: date
    heading: TimeValue | None
    sides: frozenset[str]
    third: dict[str, str] | None
    people: set[str]
    no_new_date: bool
    cancelling: bool
    make_source: _SourceFactory
    earlier: Sequence[EventMention]      # the article's mentions before the sentence
# Headings and questions do not report events.
_REPORTING_SENTENCE = re.compile(r"[.!…\"”’)]\s*[“‘\"']?\s*$")
# A quotation mark: a negation before it belongs to the quotation, not to the reporting verb after it.
_QUOTES = re.compile("[\"“”‘’']")
_NOT_SPACE = re.compile(r"\S")
# How far back a negation may stand before a plan it gives no date ("neither side has named a date for a second round").
_UNDATED_PLAN_REACH = 80
# Lines that are each an item of a list ("* ...", "- ...", "• ..."), one after the other.
_LIST_ITEMS = re.compile(r"[*•·▪-][ \t][^\n]*(?:\n[ \t]*[*•·▪-][ \t][^\n]*)*")


class Extractor(Protocol):
    def extract(self, annotated: AnnotatedArticle) -> list[EventMention]: ...


class RuleExtractor:
    """Event mentions from trigger words and the sentence around them."""

    def __init__(self, model: SentenceModel | None = None) -> None:
        self.knowledge = Knowledge.load()
        self.lexicon = TriggerLexicon(self.knowledge.types)
        self.proposer = _Proposer(self.knowledge, model) if model is not None else None

    def extract(self, annotated: AnnotatedArticle) -> list[EventMention]:
        """Every event mention of every sentence of the article, in text order."""
        kb = self.knowledge
        mentions: list[EventMention] = []
        article = annotated.article
        reading = annotated.reading
        third = third_parties(kb, annotated)
        annotated = generic_sides(kb, annotated, third)
        make_source = _source_factory(annotated)
        kinds = {e.key: e.kind for s in annotated.sentences for e in s.entities}
        affiliations = {e.key: e.affiliation for s in annotated.sentences for e in s.entities if e.affiliation}
        acts_for = person_sides(kb, annotated)
        # (the side a person acts for places them as a state of theirs does: a proposal of theirs is made to the other)
        affiliations = {**{key: side.actor for key, side in acts_for.items()}, **affiliations}
        pair = article_pair(kb, annotated, third)
        sections = section_pairs(kb, annotated, pair, third)
        heads = article_heads(kb, annotated)
        last_time: dict[str, TimeValue] = {}
        last_by_word: dict[tuple[str, str], TimeValue] = {}   # (type, first letters of its trigger)
        latest_time: dict[str, TimeValue] = {}                # the most recent dated event of each type
        latest_by_word: dict[tuple[str, str], TimeValue] = {}  # (type, first letters of its trigger)
        sides_at: dict[int, tuple[Participant, ...]] = {}     # the sides of the event each kept time dates
        heading: TimeValue | None = None     # the date that opens the current line of a chronology
        line_end = -1
        post_day: date | None = None          # the day a liveblog's post was written, until the post's end
        post_end = -1
        list_day: TimeValue | None = None     # the day heading the list of items the post is
        day: TimeValue | None = None          # the recent day the account has reached
        for index, sentence in enumerate(annotated.sentences):
            # (a sentence that opens with a date of its own starts a new entry, even on the same line)
            own_heading = line_heading(sentence)
            previous_end = line_end      # (where the line of the sentence before ends)
            if own_heading is not None or sentence.sentence.start > line_end:
                heading = own_heading
                line_end = article.text.find("\n", sentence.sentence.start)
                line_end = len(article.text) if line_end < 0 else line_end
            # a liveblog's time stamp on a line of its own: the day its post, on the line after it, was written
            if (stamp := stamp_heading(sentence, article.text)) is not None:
                post_day = stamp.start
                post = _NOT_SPACE.search(article.text, sentence.sentence.end)
                post_end = article.text.find("\n", post.start()) if post is not None else -1
                post_end = len(article.text) if post_end < 0 else post_end
                # a factbox's day heading over a list ("FRIDAY / * Vesta frees 40 fishermen. / * ..."): each
                # item happened on that day, as a chronology's line does
                # (a later stamp over a post of prose ends the list before it)
                items = _LIST_ITEMS.match(article.text, post.start()) if post is not None else None
                list_day = stamp if items is not None else None
                if items is not None:
                    post_end = items.end()
            elif sentence.sentence.start > post_end:
                post_day, list_day = None, None
            report_date = post_day or article.reference_date
            # a live page's entry that opens with its hour ("14:36 GMT  The round opens in Lenby"): what it reports
            # with no time of its own happened on the day the page (or the post) was written, as a chronology's line
            # on its day
            if own_heading is None and sentence.sentence.start > previous_end \
                    and (search_any(kb.cues.live_stamps, sentence.sentence.text)
                         or search_any(kb.cues.alert_flags, sentence.sentence.text)):
                heading = report_day(report_date, sentence.sentence.start)
            # "Hamas freed three hostages ... The next exchange is expected on February 15": the sentences just
            # before give an anaphoric trigger the words its type requires
            if index in sections:
                pair = sections[index]
            context = " ".join(s.sentence.text for s in annotated.sentences[max(0, index - 3):index]).lower()
            # (a later sentence of the entry with a time of its own, "On the second day ...", counts from that)
            has_own_time = any(t.kind != "duration" and t.start for t in sentence.times)
            line_date = heading if own_heading is not None or not has_own_time else None
            if line_date is None and list_day is not None and not has_own_time:
                line_date = list_day     # (reset above once the sentence is past the list)
            words = reading.words(sentence.sentence.start, sentence.sentence.text) if reading is not None else None
            found = self.extract_sentence(sentence, report_date, make_source, context,
                                          sides=frozenset(p.actor for p in pair), third=third, heading=line_date,
                                          earlier=mentions, words=words)
            # "X said after the session on Saturday": a meeting dated in the sentence itself comes first
            own = {m.type: m.time for m in found if m.time is not None and m.time.text and m.modality == "occurred"
                   and m.time.precision not in ("year", "quarter")}
            # "They first met on May 12 and again on June 9": a sentence that lists several past days of one type
            # recounts them; it dates nothing reported after it ("opened on Monday and resumed on Tuesday" tells the
            # news)
            listed: dict[str, set[date]] = defaultdict(set)
            for m in found:
                if m.time is not None and m.time.text and m.time.precision == "day" and m.time.start:
                    listed[m.type].add(m.time.start)
            recounted = {t for t, days in listed.items()
                         if len(days) > 1 and max(days) < article.reference_date - RECOUNTED}
            first = len(mentions)    # (where this sentence's mentions start)
            for mention in found:
                mention = acting_for(kb, mention, acts_for, third)
                mention = collective_parties(kb, mention, pair, heads)
                mention = other_side(kb, mention, pair, affiliations, kinds, third)
                # ("within ten days of the signing": counted from the signing the article reported)
                mention = counted_from_event(kb, mention, sentence, last_time, last_by_word, sides_at, pair,
                                             article.reference_date)
                mention = closed_by_clause(kb, mention, found)
                if mention.time is None and mention.modality in ("occurred", "denied"):
                    mention = replace(mention, time=when_time(kb, mention, sentence)
                                      or occasion_time(kb, mention, annotated.sentences[:index]))
                if mention.time is None and mention.modality in ("occurred", "denied"):
                    # "The delegations agreed on an exchange": made at the meeting the article last dated ("but no
                    # ceasefire": refused there).
                    dated_by, word, salient = dated_by_of(kb, mention)
                    # ("said after the signing": the last event signed, before any other agreement)
                    earlier = [own[t] for t in dated_by if t in own] or \
                        [last_by_word[t, word] for t in dated_by if (t, word) in last_by_word] or \
                        [last_time[t] for t in dated_by if t in last_time]
                    # ("takes effect immediately" with no agreement dated before: the meeting, as for any other)
                    earlier = earlier or [last_time[t] for t in kb.types[mention.type].dated_by if t in last_time]
                    if salient and not any(t in own for t in dated_by):
                        # "Speaking at the signing, ...": the article's own signing, its latest, not an earlier
                        # one its background named last
                        # (of the word that names it: "after the signing" is no later agreement "agreed" on)
                        earlier = [latest_by_word[t, word] for t in dated_by if (t, word) in latest_by_word] or \
                            [latest_time[t] for t in dated_by if t in latest_time] or earlier
                    if earlier:
                        occasion = max(earlier, key=lambda t: (t.start, t.start_char) if salient else t.start_char)
                        previous = occasion
                        # "Neither delegation was ready to sign a truce" after a round of several days: refused when
                        # the round ended without it, its last day ("told reporters after the round", "said
                        # afterwards": said when it was over, too)
                        # (and so is what the round ended with: "It ended with an agreement to open a hotline")
                        if (mention.modality == "denied" and kb.types[mention.type].denied_at_end) \
                                or said_after(kb, mention) or ended_with(kb, mention):
                            previous = last_day(occasion)
                        mention = replace(mention, time=replace(previous, anchor="previous"))
                        mention = parties_of_occasion(kb, mention, sides_at.get(id(occasion), ()))
                if mention.time is None and kb.types[mention.type].default_time == "reference":
                    mention = replace(mention, time=reference_time(report_date, mention))
                mention = told_that_day(kb, mention, day, report_date, sentence, found)
                mention = speech_continued(kb, mention, mentions, sentence)
                mention = _pronoun_referent(kb, mention, mentions, article.text)
                # (a background event long before the report, "who also led the 2022 delegation", dates nothing else)
                # (only a time of its own sentence: one inherited from an earlier sentence dates nothing further, and
                # a day borrowed from another event of its sentence is no latest occasion)
                # (nor one a recap names in passing: "the first round was held in January, and the second on April 28")
                if mention.time is not None and mention.time.start is not None and mention.time.text \
                        and (mention.time.anchor != "previous" or _in_sentence(mention.time, sentence)) \
                        and mention.modality == "occurred" \
                        and (mention.time.end or mention.time.start) >= article.reference_date - RECENT \
                        and mention.trigger.lower() not in kb.types[mention.type].recap_triggers \
                        and mention.type not in recounted and mention.time.precision not in ("year", "quarter"):
                    by_word = (mention.type, mention.trigger.lower()[:4])
                    last_time[mention.type] = mention.time
                    last_by_word[by_word] = mention.time
                    if mention.time.start <= article.reference_date and mention.time.anchor != "previous":
                        for latest, key in ((latest_time, mention.type), (latest_by_word, by_word)):
                            if key not in latest or latest[key].start < mention.time.start:
                                latest[key] = mention.time
                parties = [p for p in mention.participants if p.role == "party" and kinds.get(p.actor) != "person"]
                if len(parties) == 2:
                    # "the two sides" now means these two (not two of the many an overview lists)
                    pair = tuple(parties)
                    if mention.time is not None:
                        sides_at[id(mention.time)] = tuple(parties)
                mentions.append(mention)
            # (a chronology line's or a digest line's own day, "TUESDAY. Vask said ...", dates that line only; a
            # section heading on a line of its own, "3. FRIDAY: TARSOVA", leads the account into its section)
            # (the page's date line over its account, "Thursday 24 July 06:12 BST", is no step of it: a report of
            # Wednesday's talks has not reached Thursday)
            if (own_heading is None or stamp is not None) \
                    and not (day is None and (stamp is not None or date_line(kb, sentence))):
                day = account_day(sentence, day, article.reference_date)
                # ("Vask told the audience that ...": at the signing reported on Tuesday, and so is what is said next)
                day = spoken_at_day(kb, mentions[first:], day, article.reference_date)
        return announced(kb, join_spans(kb, mentions))

    def extract_sentence(self, annotated: AnnotatedSentence, reference: date,
                         make_source: _SourceFactory | None = None, context: str = "",
                         sides: frozenset[str] = frozenset(),
                         third: dict[str, str] | None = None, heading: TimeValue | None = None,
                         earlier: Sequence[EventMention] = (), words: Span | None = None) -> list[EventMention]:
        """Event mentions of one annotated sentence (offsets of entities/times are article offsets); ``sides``
        are the actors the article is mostly about, ``third`` those it shows mediating or hosting; ``heading`` is
        the date opening the chronology line the sentence is in, which dates an event with no time of its own;
        ``earlier`` the article's mentions before it, which a trigger may refer back to ("the first exchange");
        ``words`` the sentence's tokens in the article's doc, if they are those of the sentence alone."""
        kb = self.knowledge
        sentence = annotated.sentence
        text = sentence.text
        base = sentence.start
        plain = text.lower()
        lowered = _mask(plain, annotated.times, base)
        entities = [shift(e, base) for e in annotated.entities]
        times = [t for t in annotated.times]
        # (a line of a chronology reports what happened on the day it opens with, punctuated or not: "6 April — 60
        # detainees freed by each side")
        reporting = _REPORTING_SENTENCE.search(text) is not None or heading is not None or is_figure_item(text)
        all_triggers = find_triggers(kb, self.lexicon, text, plain, entities,
                                     [t.start_char - base for t in times], context,
                                     [t.end_char - base for t in times], earlier, words) if reporting else []
        if reporting and self.proposer is not None:
            all_triggers = sorted(all_triggers + self.proposer.triggers(annotated, all_triggers), key=lambda t: t.start)
        if not all_triggers:
            return []
        all_triggers = [t for t in promote(kb, all_triggers, entities, lowered, context)
                        if not (t.unrequired and t.type.requires)]
        lowered = _listed_adjectives(kb, lowered, all_triggers)
        # "three days before the truce began": a count from an event names an earlier one, it reports none here
        # (the eve of a summit is no day of it, but the summit may still be told of: "on the eve of the summit, X
        # called it off")
        all_triggers = [t for t in all_triggers if not any(
            v.anchor == "previous" and v.start_char - base <= t.start < v.end_char - base
            and search_any(kb.cues.counted_from, v.text) for v in times)]
        if not all_triggers:
            return []
        if make_source is None:
            def make_source(s: Sentence, t: Trigger) -> Source:
                return Source(article="", sentence=s.text, sentence_index=s.index)
        times, dated, durations, owner = _owned_times(kb, times, all_triggers, lowered, base, reference, earlier)
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
        view = _SentenceView(kb=kb, sentence=sentence, text=text, base=base, plain=plain, lowered=lowered,
                             entities=entities, times=times, dated=dated, durations=durations, owner=owner,
                             owners=owners, same_type=same_type, all_triggers=all_triggers, reference=reference,
                             heading=heading, sides=sides, third=third, people=people, no_new_date=no_new_date,
                             cancelling=cancelling, make_source=make_source, earlier=earlier)
        for trigger in triggers:
            for mention, frames in _trigger_mentions(view, trigger):
                if frames:
                    framing.add(len(mentions))
                mentions.append(mention)
                origins.append(trigger)
        mentions = [_counted_in_list(m, earlier) for m in mentions]
        mentions = date_from_neighbours(kb, mentions, origins, framing, lowered, base, reference, dated)
        # "have not held talks since June 7": not since, but on that day they were held
        mentions = [replace(m, modality="occurred") if m.modality == "denied" and m.time is not None and m.time.text
                    and _last_since(kb, lowered, m.time.start_char - base) else m for m in mentions]
        # "suspended its participation in the talks on Wednesday": what a cancellation reported in the sentence
        # calls off is its object, not a second event (the cancellation carries its date) -- unless its type is
        # reported as an event of its own when called off ("the summit planned for Monday will not go ahead").
        if any(kb.types[m.type].fixed_modality == "cancelled" for m in mentions):
            kept = [(m, t) for m, t in zip(mentions, origins) if m.modality != "cancelled"
                    or kb.types[m.type].fixed_modality == "cancelled" or t.text.lower() in t.type.trigger_modality
                    or kb.types[m.type].kept_cancelled]
            mentions, origins = [m for m, _ in kept], [t for _, t in kept]
        return one_speech(kb, mentions)


class _Proposer:
    """The sentence model as the rules take it: triggers it proposes for types the lexicon found none of, on words
    the scheme does not already judge for that type.  A word of a type's triggers that the lexicon turned down (the
    "next exchange" after an exchange of views), or a pronoun's predicate ("It took effect" with no truce before),
    was weighed by the rules, and their verdict stands."""

    def __init__(self, kb: Knowledge, model: SentenceModel) -> None:
        self.kb, self.model = kb, model
        self.trigger_words = {name: frozenset(word for trigger in t.triggers for word in trigger.lower().split())
                              for name, t in kb.types.items()}
        # (a sentence with none of the words a kept proposal can stand on is not scored: the same result, faster)
        self.anchor_words = model.anchor_words(self.trigger_words)

    def triggers(self, annotated: AnnotatedSentence, found: list[Trigger]) -> list[Trigger]:
        text = annotated.sentence.text
        if self.anchor_words.isdisjoint(common_words(text)):
            return []
        lowered = text.lower()
        triggers = []
        for proposal in self.model.propose(text, masks_of(annotated), {t.type.name for t in found},
                                           [(t.start, t.end) for t in found]):
            event_type = self.kb.types.get(proposal.type)
            if event_type is None or proposal.word.lower() in self.trigger_words[event_type.name] or any(
                    start <= proposal.start < end for start, end in pronoun_predicates(self.kb, event_type, lowered)):
                continue
            triggers.append(Trigger(event_type, proposal.word, proposal.start, proposal.end))
        return triggers


def _owned_times(kb: Knowledge, times: list[TimeValue], all_triggers: list[Trigger], lowered: str, base: int,
                 reference: date, earlier: Sequence[EventMention] = ()
                 ) -> tuple[list[TimeValue], list[TimeValue], list[TimeValue], dict[int, Trigger]]:
    """A sentence's times as its triggers may own them (comparisons dropped, open starts made days, plan windows and
    deadline limits derived), with who owns which: (times, dated times, durations, time id -> owning trigger)."""
    # "a day later than planned" compares, it dates nothing; "soldiers killed in March" dates no event of the sentence,
    # nor does "for the third time this year" (a period the count runs over; "for the first time on Monday" is a day),
    # nor "this year" in "the third round of direct talks this year"
    times = [t for t in times if not search_any(kb.cues.comparisons, lowered[t.end_char - base:])
             and not search_any(kb.cues.described_times, lowered[max(0, t.start_char - base - 80):t.start_char - base])
             and not (t.precision != "day" and search_any(kb.cues.counted_occasions,
                                                         lowered[max(0, t.start_char - base - 30):t.start_char - base]))
             and not (fullmatch_any(kb.cues.ordinal_periods, t.text.lower())
                      and search_any(kb.cues.ordinals_before,
                                     lowered[max(0, t.start_char - base - 60):t.start_char - base]))]
    times = [new_date(kb, t, lowered, base) for t in times]
    # "a ceasefire starting April 1": an open time from a day is that day, the event's start ("a truce in force
    # since 15 February": a day written as such after a trigger noun's cue of taking effect, the day it took effect)
    times = [replace(t, end=t.start, precision="day", edtf=t.start.isoformat(), kind="date", modifier=None)
             if t.precision == "open" and t.start and t.end is None
             and (search_any(kb.cues.open_starts, t.text.lower())
                  or (t.names_day(t.start)     # (a day: "since 2019" names a year)
                      and _last_since(kb, lowered, t.start_char - base))
                  or (kb.grammar.day_written.search(t.text) is not None and _in_effect_since(kb, all_triggers, lowered, t, base)))
             else t for t in times]
    dated = [t for t in times if t.kind != "duration" and t.precision != "open" and t.start]
    durations = [t for t in times if t.kind == "duration" and t.duration_days]
    # "a meeting of the presidents before the end of August": a plan's window runs from the day after the report
    # (not for deadlines and ultimatums, whose "by March 20" is the date itself)
    windows = [plan_window(t, reference) for t in times if t.precision == "open" and t.start is None
               and t.end and t.end > reference and t.modifier == "BEFORE"
               and search_any(kb.cues.plan_windows, t.text.lower())]
    # "the Front has until the end of the month to ...", "is required to agree by the end of June": for a deadline
    # the window is the limit itself (no day of it is)
    windows += [plan_window(t, reference) for t in times if t.precision == "open" and t.start is None
                and t.end and t.end > reference and t.modifier == "BEFORE"
                and not search_any(kb.cues.plan_windows, t.text.lower())
                and search_any(kb.cues.deadline_windows, t.text.lower())]
    # "has until Monday", "by March 20": for a deadline (and only for one) the end of an open time is its date
    # (only a day written as such: "until June" is no day of June 30)
    limits = [replace(t, start=t.end, precision="day", edtf=t.end.isoformat(), modifier=None, kind="date")
              for t in times if t.precision == "open" and t.start is None and t.end and t.modifier == "BEFORE"
              and kb.grammar.day_written.search(t.text) and not search_any(kb.cues.plan_windows, t.text.lower())]
    # "on Friday, two days after the sides agreed to ...": the event of a clause a count of days after a day
    # is that many days before it (the first trigger of the clause owns it)
    counted = _counted_back(kb, dated, durations, all_triggers, lowered, base, earlier)
    owner = assign_times(kb, all_triggers, sorted(dated + windows + limits, key=lambda t: t.start_char), base,
                         lowered, reference)
    owner.update({id(time): trigger for time, trigger in counted})
    dated += [time for time, _ in counted]
    for window in windows:
        if id(window) not in owner or (owner[id(window)].type.duration_sets == "time"
                                       and search_any(kb.cues.deadline_windows, window.text.lower())):
            continue
        if owner[id(window)].type.duration_sets or owner[id(window)].type.time_excludes \
                or owner[id(window)].type.time_cues or owner[id(window)].type.default_time \
                or not search_any(kb.cues.plan_windows, window.text.lower()):
            del owner[id(window)]
    for limit in limits:
        if id(limit) in owner and owner[id(limit)].type.duration_sets != "time":
            del owner[id(limit)]
    limits = [t for t in limits if id(t) in owner]
    dated = sorted(dated + windows + limits, key=lambda t: t.start_char)
    return times, dated, durations, owner


def _counted_back(kb: Knowledge, dated: list[TimeValue], durations: list[TimeValue], triggers: list[Trigger],
                  lowered: str, base: int, earlier: Sequence[EventMention] = ()) -> list[tuple[TimeValue, Trigger]]:
    """"Talks broke off on Friday, two days after the sides agreed to extend the truce": the day of the clause after
    a count of days, counted back from the nearest day written before the count (else, for "The talks came nine days
    after ...", from the day the article last gave an event of the noun's type), with the clause's first trigger."""
    counted = []
    for duration in durations:
        end = duration.end_char - base
        days = [t for t in dated if t.precision == "day" and t.start and t.end_char <= duration.start_char]
        if not days:
            days = _referred_day(kb, triggers, lowered, duration.start_char - base, earlier)
        # (an exact count: "24 to 48 hours after", "a little over a week after" give no day)
        if not days or duration.duration_days is None or len(set(duration.duration_days)) > 1 \
                or not 0 < duration.duration_days[0] <= 31 \
                or search_any(kb.cues.approximate_counts, lowered[max(0, duration.start_char - base - 30):
                                                                  duration.start_char - base]):
            continue
        clause = next((t for t in triggers if t.start > end
                       and match_any(kb.cues.counted_after, lowered, end, t.start)), None)
        # (a clause that dates itself keeps its day: "three days after they signed it on Monday")
        stop = re.search(r"[,;:.]", lowered[clause.end:]) if clause is not None else None
        clause_end = clause.end + stop.start() if stop else len(lowered)
        if clause is None or any(duration.end_char <= t.start_char and t.start_char - base < clause_end for t in dated):
            continue
        day = days[-1].start - timedelta(days=duration.duration_days[0])
        counted.append((replace(duration, start=day, end=day, precision="day", edtf=day.isoformat(), kind="date",
                                duration_days=None, anchor="previous"), clause))
    return counted


def _referred_day(kb: Knowledge, triggers: list[Trigger], lowered: str, position: int,
                  earlier: Sequence[EventMention]) -> list[TimeValue]:
    """The day of the event the trigger noun last before ``position`` refers back to ("The talks came nine days
    after"): the latest day, not after the report, the article gave an event of its type by a day of its own (the
    article's news, not a first round its background named last); none unless the noun opens the sentence after a
    determiner."""
    noun = next((t for t in reversed(triggers) if t.end <= position), None)
    if noun is None or verbal(noun.text) or not fullmatch_any(kb.cues.referring_subject, lowered[:noun.start]):
        return []
    days = [m.time for m in earlier if m.type == noun.type.name and m.time is not None and m.time.text
            and m.time.precision == "day" and m.time.start and m.time.start <= (m.source.reference_date or date.max)]
    return [max(days, key=lambda t: t.start)] if days else []


@dataclass(frozen=True)
class _Reading:
    """What one trigger reports before its times are claimed: its modality and participants, and what else the
    sentence says of it."""
    modality: str
    negated: bool
    acted_on: bool              # a negation acting on an event in place ("did not meet the deadline")
    participants: tuple[Participant, ...]
    frames: bool                # a background trigger that only frames the sentence ("under the ceasefire")


@dataclass(frozen=True)
class _Claims:
    """The times one trigger claims, each an event mention (``None``: undated), and where they came from."""
    times: list[TimeValue | None]
    own: list[TimeValue]        # the times of its own (or of its year, or of its chronology line)
    year: list[TimeValue]       # a year written before the noun ("the 2015 accord")
    from_heading: bool          # dated by the chronology line it stands in


def _trigger_mentions(view: _SentenceView, trigger: Trigger) -> list[tuple[EventMention, bool]]:
    """The mentions one trigger of a sentence reports (one per time it claims), each with whether it only frames
    the sentence ("under the ceasefire": a background trigger)."""
    # "on the eve of the talks", "two days after the signing": a trigger inside a time counted from it names an event
    # reported before, not one of its own (one opening its time, "until Sunday", is its own)
    if any(t.anchor == "previous" and t.start_char - view.base < trigger.start < t.end_char - view.base
           for t in view.times):
        return []
    reading = _read_trigger(view, trigger)
    claims = _claimed_times(view, trigger, reading) if reading is not None else None
    if reading is None or claims is None:
        return []
    kb, text, base, entities, lowered = view.kb, view.text, view.base, view.entities, view.lowered
    event_type = trigger.type
    clause_start, clause_end = clause_span(kb, lowered, trigger)
    # "... may take place between May 3 and 4 at Lancaster House": a place may follow the time.
    anchors = [trigger] + [Trigger(event_type, t.text, t.start_char - base, t.end_char - base) for t in claims.own]
    places = tuple(dict.fromkeys((e.key, e.name) for e in entities if e.kind == "place" and (
        (clause_start <= e.start < clause_end and _span_distance(trigger, e) <= PLACE_WINDOW)
        or any(_span_distance(a, e) <= PLACE_WINDOW // 2 for a in anchors[1:]))
        and not (e.start >= trigger.end
                 and search_any(kb.cues.other_nouns_place, lowered, trigger.end, e.start))
        and not _speech_place(kb, lowered, trigger, e)))
    quantities = quantities_of(kb, view.plain, event_type, trigger,
                               [(t.start_char - base, t.end_char - base) for t in view.times if t.kind != "duration"])
    if set(EXTENSIONS) & set(event_type.quantities):
        quantities = _with_extension(view, trigger, quantities, clause_end)
    # An ordinal elsewhere in the clause qualifies this trigger only if no other trigger owns a time: "no date
    # has been set for a fourth round" after "; that session ..." names another round.
    group = view.same_type[event_type.name]
    speakers = [g for g in group if id(g) in view.owners]
    candidates = [trigger] + ([g for g in group if g is not trigger and id(g) not in view.owners
                               and clause_start <= g.start < clause_end]
                              if len(speakers) <= 1 else [])
    ordinal = next((o for t in candidates if (o := ordinal_of(kb, lowered, t))), None) \
        if event_type.name == "TalkRound" else None
    # (read with its times kept: a pause is told by its length, "a pause of two to three days")
    topic = topic_of(event_type, view.plain, trigger, (clause_start, clause_end)) if event_type.topics else None
    found: list[tuple[EventMention, bool]] = []
    modality = reading.modality
    for time in claims.times:
        time, modality = _dated_modality(view, trigger, claims, time, modality)
        placed = _placed(view, trigger, reading, claims, time, modality)
        if placed is None:
            continue
        time, mention_modality, position = placed
        found.append((EventMention(
            type=event_type.name, trigger=text[trigger.start:trigger.end],
            source=view.make_source(view.sentence, trigger), time=time, modality=mention_modality,
            participants=reading.participants, places=places, quantities=quantities,
            attribution=attribution_of(kb, text, entities, position, reading.participants), ordinal=ordinal,
            topic=topic),
            reading.frames))
    return found


def _read_trigger(view: _SentenceView, trigger: Trigger) -> _Reading | None:
    """The trigger's modality and participants; None when it reports nothing (a negated statement, a
    hypothetical, an event lacking the roles its type requires)."""
    kb, lowered, entities = view.kb, view.lowered, view.entities
    event_type = trigger.type
    # "if it does not agree within 30 days": the negation is the condition's, not the ultimatum's
    negated = trigger.text.lower() not in event_type.condition_triggers and is_negated(kb, lowered, trigger)
    # "did not meet the Friday deadline": the negation is the verb's; without a time of its own ("did not mention
    # the deadline") the mention reports nothing
    # "The delegations did not agree on a truce": likewise the verb of who negotiates; no meeting denied, and with no
    # time of its own none reported
    acted_on = negated and (event_type.never_denied or trigger.text.lower() in event_type.agent_triggers)
    negated = negated and not acted_on
    if negated and event_type.fixed_modality:
        # '"We will not sign," X told ...': a negation inside the quotation is not the reporting verb's
        near = lowered[max(0, trigger.start - 16):trigger.start]
        negated = not _QUOTES.search(near) and search_any(kb.cues.negation, near)
    # "did not speak to reporters" is no statement; "did not agree on a truce" reports a truce denied.
    if (negated and event_type.fixed_modality) or cue_before(kb.cues.hypothetical, lowered, trigger) \
            or cue_before(kb.cues.undated_plans, lowered, trigger, reach=_UNDATED_PLAN_REACH) \
            or (not event_type.fixed_modality and match_any(kb.cues.conditional_after, lowered, trigger.end)):
        return None
    modality = event_type.fixed_modality or event_type.trigger_modality.get(trigger.text.lower()) or (
        "denied" if negated else modality_of(kb, lowered, trigger, event_type.ignore_modalities, view.all_triggers))
    participants = participants_of(kb, view.text, entities, trigger, view.sides, view.third)
    if (role := event_type.trigger_subject_roles.get(trigger.text.lower())) is not None:
        # "Norlandic forces must leave within 60 days": the subject is the one the limit binds
        bound = max((e for e in entities if e.end <= trigger.start and e.kind in ACTOR_KINDS),
                    key=lambda e: e.start, default=None)
        # ("Kemmet said that the Front had until ...": the nearest actor reports the limit, binds no one; not "X, who
        # moved ... to head the council, said": a report after the trigger)
        if bound is None or not match_any(kb.cues.reported_conditions, view.text, bound.end, trigger.start):
            before = {e.key for e in entities if e.end <= trigger.start}
            participants = tuple(replace(p, role=role) if p.role == event_type.subject_role and p.actor in before
                                 else p for p in participants)
            # "Morales said on Monday that Vesta had until Friday to ...": who reports the limit set it
            reporter = reporter_before(kb, view.text, [e for e in entities if e.kind in event_type.subject_kinds],
                                       bound.start) if bound is not None else None
            # (not "Morales said she had until Friday to decide": her own time)
            if reporter is not None and reporter.key != bound.key:
                participants = tuple(p for p in participants if p.actor not in (reporter.key, bound.key)) + (
                    Participant(actor=reporter.key, name=reporter.name, role=event_type.subject_role),
                    Participant(actor=bound.key, name=bound.name, role=role))
    if trigger.text.lower() in event_type.continued_triggers \
            and not {event_type.subject_role, event_type.object_role} <= {p.role for p in participants}:
        participants = _continued_roles(view, trigger, participants)
    if not set(event_type.required_roles) <= {p.role for p in participants} and not (
            trigger.text.lower() in event_type.roleless_triggers
            and search_any(event_type.roleless_context, lowered[max(0, trigger.start - 30):trigger.start])):
        return None
    return _Reading(modality, negated, acted_on, participants, cue_before(kb.cues.background, lowered, trigger))


def _claimed_times(view: _SentenceView, trigger: Trigger, reading: _Reading) -> _Claims | None:
    """The times the trigger claims, one mention each; None when, undated, it reports no event (a topic, a
    running total, an event acted on, one placed in the past or future with no time)."""
    kb, lowered, base, dated, owner = view.kb, view.lowered, view.base, view.dated, view.owner
    event_type = trigger.type
    negated, modality = reading.negated, reading.modality
    _, clause_end = clause_span(kb, lowered, trigger)
    my_times = claims_of(kb, lowered, [t for t in dated if owner.get(id(t)) is trigger], trigger, base)
    if event_type.fixed_modality == "cancelled" and view.no_new_date:
        # "The meeting, planned for Monday, was called off on Friday": with no new date, a cancellation is
        # dated by the plan it gives up (shared with the event planned), not by the day it was called off.
        my_times = [t for t in dated if date_cue(kb.cues.old_date, lowered, t, base)][:1] or my_times
    if event_type.multi_day:
        my_times = consecutive_days(my_times, view.text, lowered, base, kb.cues.coordination)
    if not my_times:
        # "met in Lenby on August 14, the day Vesta's deadline expired", "Sunday was the day Norland's truce expired":
        # a clause that names the day of a time before it happened on that day
        my_times = [t for t in dated if t.kind != "duration" and t.start is not None
                    and names_day_of(kb, lowered, t, base, trigger)][-1:]
    # "the 2015 accord, which Vask abandoned in 2018": a year written before the noun is its own; a time of
    # another year elsewhere in the sentence is not
    year = year_before(kb, view.text, trigger, base)
    if not my_times or (year and not any(t.start and t.end and t.start.year <= year[0].start.year <= t.end.year
                                         for t in my_times)):
        my_times = year
    if reading.acted_on and not my_times:
        return None
    # "options for a ceasefire", "talks on an exchange": with no time of its own, a noun that is the
    # topic of something else is not an event (a denied one is: "without agreeing on a truce").
    # (Only events between sides: "work on new sanctions" is the threat itself.  Of any type, a noun a verb acts on
    # in place: "extended the deadline by seven days" sets no deadline of its own; resolving derives the new one.)
    if not my_times and not negated and (is_topic(kb, lowered, trigger) or (
            not verbal(trigger.text) and cue_before(event_type.object_of, lowered, trigger))):
        return None
    # "We did not break the truce", "did not extend the ceasefire": the negation is the verb's, acting on an
    # event in place; no new one was refused.
    if negated and cue_before(event_type.object_of, lowered, trigger):
        return None
    # "June 30: the final deadline lapses ...": in a chronology line, an event with no time of its own
    # happened on the line's date
    # (what a report dated in the sentence says has happened is the report's: see ``perfect`` below)
    said = next((t for t in dated if (o := owner.get(id(t))) is not None and o.type.default_time
                 == "reference" and o.end <= trigger.start and t.text), None)
    # ("30 May - truce due to expire": a date its type refuses after the trigger, "expires", is not its own)
    from_heading = not my_times and view.heading is not None and not negated and said is None \
        and not cue_before(kb.cues.background, lowered, trigger) \
        and not search_any(event_type.time_excludes, lowered[trigger.end:clause_end])
    if from_heading:
        my_times = [view.heading]
    if not my_times and event_type.default_time is None \
            and (cue_before(kb.cues.past_reference, lowered, trigger)
                 or cue_before(kb.cues.future_reference, lowered, trigger)):
        return None
    claims: list[TimeValue | None] = list(my_times) or [None]
    # ("X said on Saturday that both forces had agreed to stop attacks": a past perfect with no date of its own is
    # dated, as the present perfect is, by the report that tells it)
    # ("has handed over the remains of 11 soldiers": the tense of a noun trigger is its verb's)
    verb = _verb_start(event_type, lowered, trigger)
    perfect = not my_times and modality == "occurred" \
        and (search_any(kb.cues.perfect, lowered[max(0, verb - 30):verb])
             or (said is not None and search_any(kb.cues.pluperfect, lowered[max(0, verb - 30):verb])))
    if perfect and any(t.kind == "range" and search_any(kb.cues.tally, t.text.lower())
                       for t in view.times):
        return None    # "Since May 16 the sides have freed thousands": a running total, not one event
    # "The sides agreed to extend the truce, the envoy announced on Thursday": told before the report that
    # follows it, after a comma, the event is dated by that report
    reported = next((t for t in dated if (o := owner.get(id(t))) is not None and t.text
                     and o.type.default_time == "reference" and o.start >= trigger.end
                     and "," in lowered[trigger.end:o.start]), None) \
        if not my_times and not perfect and modality == "occurred" and event_type.reported_after else None
    if reported is not None:
        claims = [replace(reported, text="", anchor="previous")]
    elif not my_times and not perfect and said is not None and modality == "occurred" and (
            trigger.text.lower() in event_type.reported_triggers
            or trigger.text.lower() in event_type.said_triggers
            or cue_before(event_type.promised, lowered, trigger)):
        # "The ministry warned on Sunday that Norland would halt imports ...", "warned on Monday that Vesta would
        # impose sanctions": a threat with no time of its own is dated by the reporting verb before it, even one
        # whose speaker makes no statement (a ministry)
        claims = [replace(said, text="", anchor="previous")]
    elif not my_times and not perfect and said is None and modality == "occurred" \
            and cue_before(event_type.promised, lowered, trigger):
        # "Vask's warning on Friday that Vesta would freeze its accounts": a measure promised in a that-clause is
        # threatened on the day heading the clause that no verb owns; "Vask said Vesta would impose tariffs", with
        # no such day, when it is reported
        heading = next((t for t in reversed(dated) if owner.get(id(t)) is None and t.end_char - base <= trigger.start
                        and opens_complement(kb, lowered, t.end_char - base)), None)
        # "On March 3 Vask gives Vesta ten days, and says that otherwise he will impose tariffs": a measure promised
        # with no report dated is threatened with the act of its sentence it backs (an event its type is dated by)
        backed = next((t for t in reversed(dated) if (o := owner.get(id(t))) is not None and t.text
                       and o.type.name in event_type.dated_by and o.end <= trigger.start), None)
        if heading is not None:
            claims = [replace(heading, text="", anchor="previous")]
        elif backed is not None:
            claims = [replace(backed, text="", anchor="previous")]
        elif any(t.type.default_time == "reference" and t.end <= trigger.start for t in view.all_triggers):
            claims = [report_day(view.reference, base)]
    if perfect:
        # "Norburg has offered a new round": a present perfect with no date reports something just done
        # (by the day it is reported: "on Friday Vask announces that the sides have agreed ...").
        # (borrowed, so with no text of its own: like the report's date, it dates nothing further)
        claims = [replace(said, text="", anchor="previous") if said else report_day(view.reference, base)]
    return _Claims(claims, my_times, year, from_heading)


def _dated_modality(view: _SentenceView, trigger: Trigger, claims: _Claims, time: TimeValue | None,
                    modality: str) -> tuple[TimeValue | None, str]:
    """A claimed time as the event's own (a duration counted from it, ...), and the trigger's modality as that time
    changes it for this claim and the ones after it: a postponement's new date is planned; a plan called off with
    no new date is cancelled."""
    kb, lowered, base = view.kb, view.lowered, view.base
    event_type = trigger.type
    if not claims.from_heading:
        time = own_time(kb, event_type, time, _nearest(view.durations, trigger.start + base), trigger, base,
                        view.reference, lowered)
    if modality == "cancelled" and not event_type.fixed_modality and time and time.text \
            and (date_cue(kb.cues.new_date, lowered, time, base) or (
                event_type.time_cues and time.start_char - base >= trigger.end
                and cue_before(kb.cancelling, lowered, trigger))):
        # "postponed to October 2": planned for its new date; "pushed back his deadline for Vesta to
        # withdraw ... to June 23": the deadline a verb moved runs out on the date after it
        modality = "occurred"
    elif not event_type.fixed_modality and time and time.text and view.cancelling \
            and date_cue(kb.cues.old_date, lowered, time, base):
        modality = "cancelled"   # "the summit planned for Friday was called off": no new date
    return time, modality


def _last_since(kb: Knowledge, lowered: str, at: int) -> bool:
    """Whether the time at ``at`` (its "since" included) follows a denied meeting it dates the last of ("have not
    met since June 7")."""
    return search_any(kb.cues.last_since, lowered[max(0, at - LAST_SINCE_REACH):at])


def _counted_in_list(mention: EventMention, earlier: Sequence[EventMention]) -> EventMention:
    """"Their delegations have met three times, on March 4, April 19 and June 7. ... At the third round they agreed to
    ...": an event counted by its ordinal, with no time of its own, is the one of that rank among the days a sentence
    of the article listed for its type (the latest such list with as many days)."""
    if mention.time is not None or mention.modality != "occurred" or not mention.ordinal:
        return mention
    listed: dict[int, dict[date, TimeValue]] = defaultdict(dict)
    for other in earlier:
        if other.type == mention.type and other.modality == "occurred" and other.time is not None \
                and other.time.text and other.time.precision == "day" and other.time.start is not None:
            listed[other.source.sentence_index].setdefault(other.time.start, other.time)
    lists = [days for days in listed.values() if len(days) >= max(2, mention.ordinal)]
    if not lists:
        return mention
    days = lists[-1]
    time = days[sorted(days)[mention.ordinal - 1]]
    return replace(mention, time=replace(time, anchor="previous"))


def _continued_roles(view: _SentenceView, trigger: Trigger,
                     participants: tuple[Participant, ...]) -> tuple[Participant, ...]:
    """"Vesta gave the Front 72 hours ... The term was prolonged by 72 hours on Sunday", "Vask would cut the 40-day
    deadline": a change that does not name who made it, or whom it binds, takes them from what it changes, the
    article's last mention of a type it ``continues`` (by the same subject, when it names one).  The participants
    unchanged when the article has none before it."""
    event_type = trigger.type
    roles = (event_type.subject_role, event_type.object_role)
    doers = {p.actor for p in participants if p.role == event_type.subject_role}
    last = next((m for m in reversed(view.earlier) if m.type in event_type.continues
                 and (subjects := {p.actor for p in m.participants if p.role == event_type.subject_role})
                 and (not doers or doers & subjects)), None)
    if last is None:
        return participants
    named = {p.actor for p in participants}
    held = {p.role for p in participants}
    return participants + tuple(p for p in last.participants
                                if p.role in roles and p.role not in held and p.actor not in named)


def _in_sentence(time: TimeValue, annotated: AnnotatedSentence) -> bool:
    """Whether a time is written in the sentence itself (a time a mention shares with another of its sentence, "agreed
    on Wednesday ..., but their third round broke up", is the sentence's own, not inherited from an earlier one)."""
    sentence = annotated.sentence
    return sentence.start <= time.start_char < sentence.end


def _speech_place(kb: Knowledge, lowered: str, trigger: Trigger, place: EntityMention) -> bool:
    """The place is where someone spoke, before what they said that holds the trigger ("told reporters in Tarsova
    that the sides had agreed to hold a summit") or after it ("the talks ended on Monday, the envoy said in Lenby")."""
    if not search_any(kb.cues.speech_place_before, lowered, max(0, place.start - 60), place.start):
        return False
    if place.end <= trigger.start:
        return search_any(kb.cues.speech_place_after, lowered[place.end:trigger.start])
    return search_any(kb.cues.speech_place_inverted, lowered, trigger.end, place.start)


def _placed(view: _SentenceView, trigger: Trigger, reading: _Reading, claims: _Claims, time: TimeValue | None,
            modality: str) -> tuple[TimeValue | None, str, int] | None:
    """One claim's time and modality as the mention gives them (a past verb's later date is what was agreed, a
    future date makes a plan, a past date of a plan is the agreeing), with where its attribution is looked for
    (its written time, else the trigger); None when the claim reports no event."""
    kb, lowered, base, reference = view.kb, view.lowered, view.base, view.reference
    event_type = trigger.type
    # "said at the opening ceremony", "told reporters after the meeting": dated by that meeting
    # (the article's last dated one), else by the report
    at_event = time is None and event_type.dated_by and (
        search_any(kb.cues.said_at, lowered[trigger.end:trigger.end + 40])
        or search_any(kb.cues.speaking_at, lowered[_turn_start(view):trigger.start]))
    scene = None
    if time is None and event_type.default_time == "reference" and not at_event:
        # ("Speaking at a farmers' meeting on Tuesday, he warned": a day set in the scene of the speech, which is
        # no place to look for who claims it)
        scene = _scene_time(view, trigger)
        time = replace(scene, anchor="previous") if scene is not None else report_day(reference, base)
    position = (time.start_char - base) if time and time.text and scene is None else trigger.start
    if modality == "occurred" and not event_type.fixed_modality and time and time.text \
            and time.start and time.start > reference and time.start_char - base >= trigger.end \
            and search_any(kb.cues.past_verbs, trigger.text.lower()) \
            and not search_any(kb.cues.to_be, lowered[:trigger.start]):
        # "signed an agreement in Tarsova to hold an election in the second half of 2027": a verb in
        # the past tense did not happen on a later day; the time is what was agreed, not the agreeing
        time = None
    if modality == "occurred" and not event_type.fixed_modality and time and time.start \
            and time.start > reference:
        modality = "scheduled"
    if modality in UNPLACED and time and time.text and (time.end or time.start) < reference \
            and _named_by_time(kb, lowered, trigger, time, claims.year, base):
        # "would fully accept the peace agreement of December 2000", "wants to revive the 2019 accord": a
        # past date written as part of the noun's name is its own; the plan is the verb's
        modality = "occurred"
    if modality not in ("occurred", "cancelled", "denied") and not event_type.fixed_modality and time \
            and time.text and (time.end or time.start) < reference \
            and time.kind != "range":
        # "agreed on July 23 to swap prisoners": a past date is the agreeing, not the swap (a denied event keeps
        # it: "did not agree on a ceasefire on Monday", "the round planned for 6 December never took place"; a span
        # written from one day to another is the plan's window, past or not: "suggested a round between June 20 and
        # 30", not a period the proposing fell in: "floated another meeting over the weekend")
        time = None
    if time is None and modality in UNPLACED and event_type.party_kinds \
            and is_governed(kb, lowered, trigger) and not any(p.actor in view.people for p in reading.participants):
        return None
    if time is None and modality in ("proposed", "demanded") and event_type.dated_proposals:
        return None    # "Vesta proposed short humanitarian pauses", "demanded a truce": the proposing is the event
    return time, modality, position


def _scene_time(view: _SentenceView, trigger: Trigger) -> TimeValue | None:
    """The past day of the scene a speech with no time of its own was made in: a day in a phrase opening its sentence
    ("On Friday, in Lenby, where he was meeting Y, X said"; "Standing beside Y at the resort where they met on
    Monday, X said"; "When X led the delegation out on April 11, she said") or in the clause the speech closes
    ("left the hall on Saturday after X told the conference that"); not a day inside a clause about the speaker ("X,
    who led the talks on 5 March, said"), nor before an attribution that ends the sentence ("The talks on Monday
    failed, X said.").  The nearest such day before the speech decides: an earlier one sets another scene."""
    kb, lowered, base = view.kb, view.lowered, view.base
    if not lowered[trigger.end:].strip(" .,;:!?\"”’'"):
        return None
    for time in sorted(view.dated, key=lambda t: -t.start_char):
        at, end = time.start_char - base, time.end_char - base
        if end > trigger.start or time.precision != "day" or time.kind != "date" or time.start is None \
                or time.start > view.reference or search_any(kb.cues.relative_time, lowered[:at]):
            continue
        if search_any(kb.cues.scene_openers, lowered[_turn_start(view):at]) \
                or search_any(kb.cues.scene_clauses, lowered[end:trigger.start]):
            return time
        return None
    return None


def _turn_start(view: _SentenceView) -> int:
    """Where the sentence's own words start: after a transcript's turn label ("LENZ: On Friday, Vask said"), else 0."""
    return len(view.text) - len(after_turn_label(view.text))


def _verb_start(event_type: EventType, lowered: str, trigger: Trigger) -> int:
    """Where the verb of a trigger starts: for a noun naming what is handed over ("the remains of"), its predicate
    nearest before it ("has handed over the remains of"); else the trigger itself."""
    if trigger.text.lower() not in event_type.noun_triggers:
        return trigger.start
    low = max(0, trigger.start - PREDICATE_WINDOW)
    starts = [m.start() for p in event_type.predicates for m in p.finditer(lowered, low, trigger.start)]
    return max(starts, default=trigger.start)


def _pronoun_referent(kb: Knowledge, mention: EventMention, earlier: list[EventMention], text: str) -> EventMention:
    """"The summit nearly did not happen. On May 24 Vask called it off": what a trigger with a pronoun object acts on
    is the event named last before it (in its sentence or the two before), and a cancellation is dated by the event
    called off, not by the day of the calling off; that event's own time, else the last one of its type."""
    event_type = kb.types[mention.type]
    start = mention.source.char_start
    if not event_type.pronoun_objects or start is None \
            or not match_any(event_type.pronoun_objects, text[start:start + 40]):
        return mention
    if mention.time is not None and mention.time.text and any(
            p.search(text[max(0, mention.time.start_char - 40):mention.time.start_char].lower())
            for p in kb.cues.old_date):
        return mention     # "originally due to open on March 11, but the mediators pushed it back": dated already
    index = mention.source.sentence_index
    named = [m for m in earlier if m.type in event_type.refers_to and index - 2 <= m.source.sentence_index <= index]
    if not named:
        return mention
    referent = named[-1]
    own = [m.time for m in earlier if m.type == referent.type and m.time is not None and m.time.text
           and m.time.anchor != "previous"]
    # (an undated event named in an earlier sentence, "The summit nearly did not happen", is the last of its type)
    time = referent.time if referent.time is not None and referent.time.text else \
        (own[-1] if own and referent.source.sentence_index < index else None)
    if time is None:
        return mention
    return replace(mention, time=replace(time, anchor="previous"))


def _named_by_time(kb: Knowledge, lowered: str, trigger: Trigger, time: TimeValue, year: list[TimeValue],
                   base: int) -> bool:
    """A time written as part of a trigger noun's name: after it ("the accord of 12 May", ``named_times``) or as the
    year before it ("the 2019 accord")."""
    if verbal(trigger.text):
        return False
    start = time.start_char - base
    if start >= trigger.end:
        return fullmatch_any(kb.cues.named_times, lowered[trigger.end:start])
    return any(y.start_char == time.start_char for y in year)


def _source_factory(annotated: AnnotatedArticle) -> _SourceFactory:
    article = annotated.article

    def make(sentence: Sentence, trigger: Trigger) -> Source:
        return Source(article=article.id, sentence=sentence.text, sentence_index=sentence.index, url=article.url,
                      published=article.published, title=article.title,
                      char_start=sentence.start + trigger.start, char_end=sentence.start + trigger.end,
                      trigger=sentence.text[trigger.start:trigger.end], origin=article.origin, reference_date=article.reference_date,
                      sentence_start=sentence.start)
    return make


def _in_effect_since(kb: Knowledge, triggers: Sequence[Trigger], lowered: str, time: TimeValue, base: int) -> bool:
    """"The truce, in force since 15 February": an open time after "since" that follows a cue of taking effect
    (the type's effect_times) of a trigger noun before it."""
    position = time.start_char - base
    return search_any(kb.cues.open_since, time.text.lower()) and any(
        trigger.end <= position and not verbal(trigger.text)
        and search_any(trigger.type.effect_times, lowered[trigger.end:position]) for trigger in triggers)


def _listed_adjectives(kb: Knowledge, lowered: str, triggers: Sequence[Trigger]) -> str:
    """"signed a permanent, nationwide ceasefire": a comma between adjectives before a trigger noun is no clause
    break; blanked (same length) so that the noun stays the verb's object and the time after it the verb's."""
    for trigger in triggers:
        if not trigger.type.party_kinds or verbal(trigger.text):
            continue     # ("Speaking at the ceremony, Vask said": a verb after the comma)
        for pattern in kb.cues.listed_adjectives:
            if (m := pattern.search(lowered[:trigger.start])) is not None:
                lowered = lowered[:m.start("comma")] + " " + lowered[m.end("comma"):]
    return lowered


def _mask(lowered: str, times: Sequence[TimeValue], base: int) -> str:
    """Blank out time expressions so cue words inside them ("May 23": not the verb "may") never match, nor a dash
    inside one a clause break ("on 29 – 30 April": one time, no clause opening at its dash)."""
    chars = list(lowered)
    for time in times:
        for i in range(max(0, time.start_char - base), min(len(chars), time.end_char - base)):
            if chars[i].isalpha():
                chars[i] = "x"
            elif chars[i] in "–—":
                chars[i] = "-"
    return "".join(chars)


def _span_distance(trigger: Trigger, mention: EntityMention) -> int:
    return max(trigger.start - mention.end, mention.start - trigger.end, 0)


def _with_extension(view: _SentenceView, trigger: Trigger, quantities: tuple[tuple[str, int], ...],
                    clause_end: int) -> tuple[tuple[str, int], ...]:
    """The quantities with the days an extension adds ("extended the deadline by seven days"): a length of whole days
    after the trigger in its clause, right after an extension cue (``extension_amount``), with no other trigger of the
    type between ("gave Vesta 72 hours, and on Friday extended the deadline by five days": the giving adds nothing),
    but for the limit it extends ("extended the ultimatum by five days").
    An extension has no length of its own: the sentence's other lengths are not its."""
    others = [t.start for t in view.same_type[trigger.type.name] if t is not trigger and t.start >= trigger.end
              and not fullmatch_any(view.kb.cues.extension_object, view.lowered, trigger.end, t.start)]
    reach = min(others, default=clause_end)
    added = next((t for t in view.durations if trigger.end <= t.start_char - view.base < reach
                  and t.duration_days is not None and t.duration_days[0] == t.duration_days[1]
                  and date_cue(view.kb.cues.extension_amount, view.lowered, t, view.base)), None)
    # (hours are no length the time grammar reads: their pattern is a quantity's, looked for in the same reach)
    hours = next((int(m.group(1)) for key, patterns in view.kb.cues.quantities if key == "extension_hours"
                  for p in patterns if (m := p.search(view.lowered, trigger.end, reach))), None)
    if hours is not None:
        extension = ("extension_hours", hours)
    elif added is not None:
        extension = ("extension_days", added.duration_days[0])  # type: ignore[index]
    else:
        return quantities
    return tuple(sorted((*((key, value) for key, value in quantities if key not in DURATIONS), extension)))


def _nearest(times: list[TimeValue], position: int) -> TimeValue | None:
    return min(times, key=lambda t: abs(t.start_char - position)) if times else None


@cache
def get_extractor() -> RuleExtractor:
    """The process's rule extractor (matchers built once), joined by the shipped sentence model."""
    return RuleExtractor(shipped_model())


def extract(annotated: AnnotatedArticle) -> list[EventMention]:
    """Event mentions of one annotated article."""
    return get_extractor().extract(annotated)
