"""Triggers: finding them in a sentence (phrase matcher, plurals, pair triggers), promoting a meeting of
leaders, and choosing the triggers that report events of their own."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.english import blank_english
from kg.cuepatterns import match_any, search_any
from kg.extract.knowledge import Knowledge
from kg.extract.modality import clause_span, quoted_spans
from kg.extract.participants import OBJECT_WINDOW, is_reporter, ordinal_of, topic_of
from kg.extract.scheme import EventType
from kg.extract.sentence import Trigger, opens_for, verbal
from kg.records import EntityMention, EventMention

# How far before and after a noun trigger ("the bodies of ...") the verb that makes it an event may stand (after it,
# past an apposition: "the remains of 23 soldiers, fourteen of them ..., will be exchanged").
PREDICATE_WINDOW = 50
PREDICATE_WINDOW_AFTER = 80
# How far before a meeting verb its pronoun subject may stand ("she would fly to Lenby to meet ...").
SUBJECT_WINDOW = 50


class TriggerLexicon:
    """Every type's triggers as one phrase matcher over spaCy's blank English tokenizer (built once per extractor;
    the tokenizer is the annotator's, see kg.english)."""

    def __init__(self, types: dict[str, EventType]) -> None:
        self.nlp = blank_english()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        # "prisoner swaps", "the two ceasefires": a trigger noun's plural is that trigger (lexicons list singulars)
        self.base_form: dict[str, str] = {}
        # (type, word) of the triggers that are verbs in the present ("proposes"): asked of every trigger found
        self.present_tense = frozenset((event_type.name, word.lower()) for event_type in types.values()
                                       for word in event_type.triggers if _present_tense(event_type, word))
        for event_type in types.values():
            plurals = {_plural(t): t for t in event_type.triggers if _plural(t) not in event_type.triggers}
            self.base_form.update({p.lower(): t for p, t in plurals.items() if p})
            self.matcher.add(event_type.name, list(self.nlp.tokenizer.pipe([*event_type.triggers, *filter(None, plurals)])))


def _promotable(kb: Knowledge, event_type: EventType, trigger: str) -> bool:
    """A trigger of ``event_type`` that another type takes over when leaders take part ("met")."""
    return any(event_type.name in t.promoted_from and trigger.lower() in t.promoted_triggers
               for t in kb.types.values())


def promote(kb: Knowledge, triggers: list[Trigger], entities: list[EntityMention], lowered: str,
            context: str = "") -> list[Trigger]:
    """"Sol and Vask met Morales for talks": a clause whose meeting verb has two heads of state or
    government taking part reports a leaders' meeting, and its talks nouns are that meeting (so are talks of "their" or
    "they" when ``context``, the sentences just before, names the two leaders: "The two leaders ... Their last talks")."""
    # (looked for only in a sentence with a plural pronoun: the cues are slow on three sentences)
    leaders_before = bool(context) and search_any(kb.cues.plural_pronouns, lowered) \
        and search_any(kb.cues.leader_nouns, context)
    # the speaker of the sentence ("Vask said he wanted talks with Morales") does not meet anyone in what he says
    # (a mention of him before he speaks may: "Vask and Morales met on Friday; afterwards Vask said ...")
    speaking: dict[str, int] = {}
    for e in entities:
        if is_reporter(kb, lowered, e):
            speaking[e.key] = min(e.start, speaking.get(e.key, e.start))
    speakers = {id(e) for e in entities if e.key in speaking and e.start >= speaking[e.key]}
    promoted: dict[tuple[int, int], EventType] = {}
    met: set[int] = set()     # leader triggers with their leaders ("the president hosted his counterpart")
    for trigger in triggers:
        if trigger.type.leader_triggers and trigger.text.lower() in trigger.type.leader_triggers:
            target = trigger.type
        else:
            target = next((t for t in kb.types.values() if trigger.type.name in t.promoted_from
                           and trigger.text.lower() in t.promoted_triggers), None)
        clause = clause_span(kb, lowered, trigger)
        # (any talks word of "their"/"they", not a noun naming who negotiates: "their delegations")
        pronoun = leaders_before and target is not trigger.type and trigger.text.lower() not in trigger.type.agent_triggers \
            and search_any(kb.cues.leader_pronouns,
                           f"{lowered[clause[0]:trigger.start]}|{lowered[trigger.end:clause[1]]}")
        if pronoun and target is None:
            target = next((t for t in kb.types.values() if trigger.type.name in t.promoted_from), None)
        # "Meeting X at his resort on July 28, he told reporters ...": a meeting opening the sentence, whose main clause's
        # subject takes part in it
        opener = _opening_meeting(kb, lowered, trigger)
        if opener is not None and target is None:
            target = next((t for t in kb.types.values() if trigger.type.name in t.promoted_from), None)
        if target is None:
            continue
        # who meets stands before the verb or right after it, not at the end of a long clause ("X, who met
        # the delegation on Friday, said ... a conversation between Morales and Vask")
        # ("talks between <title> X and <title> Y": both sides of "between" take part, however long their titles)
        # ("hosted <title> X and <title> Y": a leader verb's objects, likewise)
        reach = 2 * OBJECT_WINDOW if trigger.text.lower().endswith(" between") or target is trigger.type \
            else OBJECT_WINDOW
        start, end = clause[0], min(clause[1], trigger.end + reach)
        # "President X, who met Y on Tuesday, said ...": the person a relative clause opens after takes part in
        # it (even as the sentence's speaker)
        antecedent = {id(e) for e in entities if e.kind == "person" and e.end <= start
                      and kb.grammar.who.fullmatch(lowered[e.end:start])}
        # "Morales said she would speak by telephone with Vask on Monday": a pronoun subject right before the meeting
        # verb (or before a journey to it: "she would fly to Lenby to meet Vask") is the speaker, who then takes part
        # (not "said he wanted talks with Vask")
        own = search_any(kb.cues.speaker_subjects, lowered[max(start, trigger.start - SUBJECT_WINDOW):trigger.start])
        # ("after meeting Vask's envoy": the owner of who is met does not take part)
        leaders = {e.key for e in entities if e.kind == "person" and e.title and (
            (start <= e.start < end and (id(e) not in speakers or own) and not _POSSESSIVE.match(lowered, e.end))
            or id(e) in antecedent) and search_any(kb.cues.leader_titles, e.title.lower())}
        if opener is not None:
            # (the main clause's subject, a head of state or government, even as the sentence's speaker)
            subject = next((e for e in entities if e.kind == "person" and e.start >= opener and e.title
                            and search_any(kb.cues.leader_titles, e.title.lower())), None)
            leaders = leaders | ({subject.key} if subject is not None else set())
        # "X and Y met Morales": two people the article names without any title (as it names the best
        # known) who meet a head of state together are heads of state or government too.
        untitled = {e.key for e in entities if e.kind == "person" and not e.title and (
            (start <= e.start < trigger.start and id(e) not in speakers) or id(e) in antecedent)}
        # "the two leaders met", "the presidents will meet": heads of state named by a plural noun
        named = search_any(kb.cues.leader_nouns, lowered[start:trigger.start])
        # ("Vask and Ana Morales met": an untitled full name coordinated with a head of state, as news names
        # the best known, is another)
        paired = leaders and any(e.key in untitled and " " in e.name.strip() and any(
            o.key in leaders and re.fullmatch(r"\s+and\s+", lowered[min(e.end, o.end):max(e.start, o.start)])
            for o in entities) for e in entities)
        if len(leaders) >= 2 or (leaders and len(untitled) >= 2) or paired or named or pronoun:
            if target is trigger.type:
                met.add(id(trigger))
            # ("hosted X and Y for talks": the talks of the clause are that meeting too)
            promoted[clause] = target
    # a leader trigger ("hosted", "held a phone call") without two leaders taking part reports nothing
    triggers = [t for t in triggers if id(t) in met or t.text.lower() not in t.type.leader_triggers]
    if not promoted:
        return triggers
    result = []
    for trigger in triggers:
        target = promoted.get(clause_span(kb, lowered, trigger))
        result.append(replace(trigger, type=target) if target and trigger.type.name in target.promoted_from
                      else trigger)
    return result


def _opening_meeting(kb: Knowledge, lowered: str, trigger: Trigger) -> int | None:
    """"Meeting X at his resort on July 28, he told reporters ...", "During talks with X, Y cut ...": where the main
    clause starts (after the first comma past the meeting's object) when the trigger opens the sentence as a meeting;
    else None."""
    after = re.match(r"\s+\S+", lowered[trigger.end:])
    if after is None or not search_any(kb.cues.meeting_openers, lowered[:trigger.end] + after.group()):
        return None
    comma = lowered.find(",", trigger.end)
    return comma + 1 if comma >= 0 else None


# An owner's "'s" right after a name (timing.py's pattern also takes the space after it, to fullmatch up to a word)
_POSSESSIVE = re.compile(r"['\u2019]s\b")

# "The round will open on Monday, X told reporters after the session.": a reporting verb that ends its sentence
# reports what stands before it.
_FRONTED_END = re.compile(r"""[^.;:,"“”'‘’]{0,60}?[.!]?["”’']?\s*""")


def find_triggers(kb: Knowledge, lexicon: TriggerLexicon, text: str, lowered: str, entities: list[EntityMention],
                  time_starts: Sequence[int] = (), context: str = "", time_ends: Sequence[int] = (),
                  earlier: Sequence[EventMention] = (), words: Span | None = None) -> list[Trigger]:
    """Every non-overlapping trigger of the sentence, in text order (``context``: the sentences just before;
    ``earlier``: the article's mentions before it; ``words``: the sentence's tokens in the article's doc, if they
    are those of the sentence alone, which spares tokenizing it again)."""
    # (offsets in the article's doc are the sentence's once ``at``, the sentence's start there, is taken off)
    tokens: Doc | Span = lexicon.nlp.make_doc(text) if words is None else words
    doc, at = (tokens, 0) if words is None else (words.doc, words.start_char)
    found: list[Trigger] = []
    lacking: dict[str, bool] = {}    # per type, whether the sentence lacks the words it requires (asked once)
    for match_id, start, end in lexicon.matcher(tokens):
        event_type = kb.types[lexicon.nlp.vocab.strings[match_id]]
        first, last = doc[start].idx - at, doc[end - 1].idx - at + len(doc[end - 1])   # the trigger's characters
        written = text[first:last]
        word = lexicon.base_form.get(written.lower(), written)   # the lexicon's form: what the rules key on
        if event_type.name not in lacking:
            lacking[event_type.name] = event_type.requires_pattern is not None \
                and not search_any(event_type.requires_pattern, lowered)
        unrequired = lacking[event_type.name]
        # "the next exchange", "the latest swap": a trigger the article's previous sentences explain
        # (or an event of its type the article reported before, or one it named with that word and those words:
        # "an agreement on a truce and an exchange of detainees ... On Friday the first exchange took place")
        if unrequired and event_type.anaphoric_triggers and word.lower() in event_type.anaphoric_triggers \
                and search_any(kb.cues.anaphora, lowered[max(0, first - 30):first]) \
                and (search_any(event_type.requires_pattern, context) or _named_before(event_type, word, earlier)):
            unrequired = False
        if unrequired and not _promotable(kb, event_type, word):
            continue
        # ("until Friday": a date whose own text starts with the trigger counts too; so does one opening the sentence
        # before the trigger's subject: "On June 30 the deadline lapses")
        if word.lower() in event_type.dated_triggers and not any(
                first <= t < last or (t >= last and kb.grammar.date_next.fullmatch(text[last:t]))
                for t in time_starts) and not any(
                opens_for(kb, text, t, e, first) for t, e in zip(time_starts, time_ends)):
            continue
        # "the bodies of 1,212 people": what is handed over is an event only with the handing in reach
        if word.lower() in event_type.noun_triggers and not any(
                p.search(lowered[max(0, first - PREDICATE_WINDOW):last + PREDICATE_WINDOW_AFTER])
                for p in event_type.predicates):
            continue
        # "unless X agrees within 30 days": a conjunction is a trigger only before its demand
        after = event_type.trigger_contexts.get(word.lower())
        if after is not None and not after.search(text[last:last + 240]) and not (
                word.lower() in event_type.fronted_contexts and _FRONTED_END.fullmatch(text, last)
                and after.search(text[max(0, first - 240):first])) and not (
                (before_context := event_type.contexts_before.get(word.lower())) is not None
                and before_context.search(text[:first])):
            continue
        # "the truce was extended": a passive trigger counts only after the noun it is said of (which may stand before an
        # apposition: "the bodies of 31 soldiers, nineteen of them ..., were exchanged")
        before = event_type.trigger_before.get(word.lower())
        if before is not None and not before.search(text[max(0, first - 100):first]):
            continue
        # "sources suggested": a reporting use of a trigger word
        if search_any(event_type.trigger_excludes, lowered[max(0, first - 40):first]):
            continue
        # "spoke for Vesta at every session so far": events in general; "the weekly round-up": part of another word
        # ("after each signed": a verb's subject, not a noun's determiner)
        if (not verbal(written) and search_any(kb.cues.generic_before, lowered[max(0, first - 30):first])) \
                or match_any(kb.cues.compound_after, lowered, last):
            continue
        # "Vesta rarely cancels talks at short notice": a habit, told in the present, is no event
        if (event_type.name, word.lower()) in lexicon.present_tense \
                and search_any(kb.cues.habitual_before, lowered[max(0, first - 30):first]):
            continue
        # "..., the largest swap since the war began": a measure of an event named before, no event of its own
        if search_any(kb.cues.measured_before, lowered[max(0, first - 60):first]) \
                and match_any(kb.cues.measured_after, lowered, last):
            continue
        found.append(Trigger(event_type, word, first, last, unrequired))
    found.extend(_pair_triggers(kb, tokens, at, text, entities))
    found.extend(_pronoun_triggers(kb, lexicon, text, lowered, context))
    found.extend(_ordinal_triggers(kb, lexicon, text, lowered, context))
    # Longest trigger wins an overlap; then priority (unless one type shares the words: "had until" is an ultimatum's
    # and its deadline's).
    found.sort(key=lambda t: (-(t.end - t.start), -t.type.priority, t.start))
    kept: list[Trigger] = []
    for trigger in found:
        if any(trigger.start < k.end and k.start < trigger.end and not _shared(trigger, k) for k in kept):
            continue
        kept.append(trigger)
    kept.sort(key=lambda t: t.start)
    # A trigger noun right before another trigger noun only qualifies it: "ceasefire talks" are talks,
    # "an exchange deal" is an agreement ("exchange agreed" keeps both: the second is a verb, as is one that
    # counts only before a date: "the ultimatum ran out on Friday"; so is a phrase that opens with a verb: "pulled
    # out of talks").
    return [t for t, following in zip(kept, kept[1:] + [None])
            if following is None or following.start - t.end != 1 or text[t.end] != " "
            or t.type is following.type or verbal(t.text) or verbal(t.text.split()[0]) or verbal(following.text)
            or following.text.lower() in following.type.dated_triggers
            or (t.type.name, t.text.lower()) in lexicon.present_tense]


def _present_tense(event_type: EventType, word: str) -> bool:
    """"proposes", "announces": a one-word trigger in the third person whose past its type also lists is a verb, as
    a headline or a chronology line writes it ("Peru proposes direct talks"), never a modifier of the noun after it.

    >>> from kg.extract.knowledge import load_event_types
    >>> proposal = load_event_types()["Proposal"]
    >>> _present_tense(proposal, "proposes"), _present_tense(proposal, "proposals")
    (True, False)
    """
    word = word.lower()
    if " " in word or not word.endswith("s"):
        return False
    pasts = {word[:-1] + "d", word[:-1] + "ed"} | ({word[:-2] + "ed"} if word.endswith("es") else set())
    return any(past in event_type.triggers for past in pasts)


def _shared(a: Trigger, b: Trigger) -> bool:
    """Two types' triggers on the same words, one of which shares them."""
    return (a.start, a.end) == (b.start, b.end) and a.type is not b.type \
        and (a.text.lower() in a.type.shared_triggers or b.text.lower() in b.type.shared_triggers)


def _named_before(event_type: EventType, word: str, earlier: Sequence[EventMention]) -> bool:
    """An event of this type among the mentions before, or a sentence of one of them that names it by ``word``
    with the words the type requires."""
    word = word.lower()
    return any(m.type == event_type.name or (word in m.source.sentence.lower() and event_type.requires_pattern
                                             and search_any(event_type.requires_pattern, m.source.sentence))
               for m in earlier)


def pronoun_predicates(kb: Knowledge, event_type: EventType, lowered: str) -> list[tuple[int, int]]:
    """The spans of a type's pronoun predicates in a sentence ("it took effect": the words after the pronoun).

    >>> from kg.extract.knowledge import Knowledge
    >>> kb = Knowledge.load()
    >>> pronoun_predicates(kb, kb.types["Ceasefire"], "officials said it took effect on sunday.")
    [(18, 29)]
    """
    return [(pronoun.end() + m.start(), pronoun.end() + m.end())
            for pronoun, predicates in _pronoun_predicate_matches(kb, lowered)
            for name, m in predicates if name == event_type.name]


def _pronoun_predicate_matches(kb: Knowledge,
                               lowered: str) -> Iterator[tuple[re.Match[str], list[tuple[str, re.Match[str]]]]]:
    """Each event pronoun of a sentence ("it", "they") with the predicates right after it that fit event types (their
    ``pronoun_subjects``): (type name, match in the text after the pronoun), in the types' and patterns' order."""
    for pronoun in kb.grammar.event_pronoun.finditer(lowered):
        rest = lowered[pronoun.end():]
        yield pronoun, [(name, m) for name, t in kb.types.items() for p in t.pronoun_subjects if (m := p.match(rest))]


def _pronoun_triggers(kb: Knowledge, lexicon: TriggerLexicon, text: str, lowered: str, context: str) -> list[Trigger]:
    """"The truce was agreed on Friday. It took effect on Sunday": a pronoun subject whose predicate fits event types
    (their ``pronoun_subjects``) stands for the nearest event named before it, in its sentence or in ``context`` (the
    sentences before), when that event is of one of those types; the predicate is then a trigger of its type.  With
    no such event before it ("It was unclear ...", "It said ...", a pronoun opening the article) it is none."""
    found: list[Trigger] = []
    for pronoun, predicates in _pronoun_predicate_matches(kb, lowered):
        fitting = dict(predicates)
        if not fitting or not search_any(kb.cues.pronoun_subject, lowered[:pronoun.end()]):
            continue
        before = lexicon.nlp.make_doc(f"{context} {lowered[:pronoun.start()]}")
        named = [(end, lexicon.nlp.vocab.strings[match_id]) for match_id, _, end in lexicon.matcher(before)
                 if lexicon.nlp.vocab.strings[match_id] in fitting]
        if not named:
            continue
        name = max(named)[1]
        match = fitting[name]
        start, end = match.span("trigger") if "trigger" in match.re.groupindex and match.group("trigger") \
            else match.span()
        start, end = start + pronoun.end(), end + pronoun.end()
        found.append(Trigger(kb.types[name], text[start:end], start, end))
    return found


def _ordinal_triggers(kb: Knowledge, lexicon: TriggerLexicon, text: str, lowered: str,
                      context: str) -> list[Trigger]:
    """"The first round was held in June. The second, in Lenby on September 8, ended with a deal": an ordinal with no
    noun of its own stands for the event noun named last before it, in its sentence or in ``context``, when that
    noun is one of a count (a plural, or a noun after an ordinal or number); the ordinal is then a trigger of its type.
    With no such noun before it ("The first, she said, was the hardest") it is none."""
    found: list[Trigger] = []
    for ordinal in kb.grammar.ordinal_ellipsis.finditer(lowered):
        before = f"{context} {lowered[:ordinal.start('trigger')]}"
        tokens = lexicon.nlp.make_doc(before)
        named = [(tokens[end - 1].idx + len(tokens[end - 1]), tokens[start].idx, match_id)
                 for match_id, start, end in lexicon.matcher(tokens)]
        # (the last noun of an event, passing over nouns naming who negotiates: "the second meeting of the two
        # delegations. The first, ...")
        candidates = [(first, last, event_type) for last, first, event_type in sorted(
            ((last, first, kb.types[lexicon.nlp.vocab.strings[match_id]]) for last, first, match_id in named),
            key=lambda found: found[:2], reverse=True)
            if before[first:last].lower() not in event_type.agent_triggers]
        # (the noun counted, when an ordinal or a number names one: "The first round ended without agreement. At the
        # second, ..." is the second round; not past a noun the ordinal stands in apposition to, "Friday's delay, the
        # second in a week", nor past a verb of its sentence: "exchanged 84 prisoners each, the latest in a series")
        antecedent = candidates[0] if candidates else None
        if antecedent is not None and not kb.grammar.ordinal_apposed.fullmatch(before, antecedent[1]) and not (
                antecedent[0] >= len(before) - ordinal.start("trigger")
                and verbal(before[antecedent[0]:antecedent[1]])):
            antecedent = next((c for c in candidates
                               if kb.grammar.ordinal_antecedent.search(before, max(0, c[0] - 40), c[0])), antecedent)
        if antecedent is None:
            continue
        first, last, event_type = antecedent
        written = before[first:last]
        if verbal(written) or not (written.lower() in lexicon.base_form
                                   or kb.grammar.ordinal_antecedent.search(before, max(0, first - 40), first)):
            continue
        start, end = ordinal.span("trigger")
        found.append(Trigger(event_type, text[start:end], start, end))
    return found


def _pair_triggers(kb: Knowledge, tokens: Doc | Span, at: int, text: str,
                   entities: list[EntityMention]) -> list[Trigger]:
    """"a Smith-Jones meeting": two people joined right before a pair trigger (``tokens``: the sentence's, at ``at``
    in their doc)."""
    people = [e for e in entities if e.kind == "person"]
    if len(people) < 2:
        return []    # (most sentences: the pair needs two people, so their words need not be read)
    found: list[Trigger] = []
    words: list[tuple[str, int, int]] | None = None    # each token's lower case, start and end, read once
    for event_type in kb.types.values():
        if not event_type.pair_triggers:
            continue
        if words is None:
            words = [(token.lower_, token.idx - at, token.idx - at + len(token)) for token in tokens]
        for lower, start, end in words:
            if lower not in event_type.pair_triggers:
                continue
            before = [p for p in people if p.end <= start and start - p.end <= 2]
            if not before:
                continue
            second = before[-1]
            joined = [p for p in people if p.end <= second.start and second.start - p.end <= 5
                      and text[p.end:second.start].strip() in ("-", "–", "and", "&", "/")]
            if joined and joined[-1].key != second.key:
                found.append(Trigger(event_type, text[joined[-1].start:end], joined[-1].start, end))
    return found


def speakers_of(kb: Knowledge, group: list[Trigger], owners: set[int], lowered: str) -> list[Trigger]:
    """The triggers of one type that report events of their own: each that owns a time, and the first
    of each clause that has none ("appointed X to lead the delegation — who headed talks in May"), one outside a
    quotation before one inside it ('"We were told to go home," the spokesman said': the saying is the report's),
    and one of a type with topics whose topic its clause's speakers lack ("had offered to return the bodies and had
    proposed short truces": two proposals)."""
    timed = [t for t in group if id(t) in owners]
    timed_clauses = [(t, clause_span(kb, lowered, t)) for t in timed]
    speakers = list(timed)
    ordinals = {ordinal_of(kb, lowered, t) for t in timed}
    with_topics = bool(group[0].type.topics)
    in_clause: dict[tuple[int, int], list[Trigger]] = {}    # the clauses that have speakers, with them
    for t, clause in timed_clauses:
        in_clause.setdefault(clause, []).append(t)
    quotes = quoted_spans(lowered) if len(group) > 1 else []
    for trigger in sorted(group, key=lambda t: any(a <= t.start < b for a, b in quotes)):
        if id(trigger) in owners:
            continue
        clause = clause_span(kb, lowered, trigger)
        # "the third round ... since the first round in May": a round named by its own ordinal is one too
        ordinal = ordinal_of(kb, lowered, trigger)
        # "would cut the 50-day deadline she set two weeks ago to 12 days": a verb dated by its report acting on the
        # timed one after it is an act of its own
        acting = trigger.text.lower() in trigger.type.reported_triggers and any(
            t.start > trigger.end and timed_clause == clause for t, timed_clause in timed_clauses)
        new_topic = with_topics and clause in in_clause and _new_topic(lowered, trigger, clause, in_clause[clause])
        if clause not in in_clause or (ordinal is not None and ordinal not in ordinals) or acting or new_topic:
            ordinals.add(ordinal)
            in_clause.setdefault(clause, []).append(trigger)
            speakers.append(trigger)
    return speakers


def _new_topic(lowered: str, trigger: Trigger, clause: tuple[int, int], speakers: list[Trigger]) -> bool:
    """Whether the trigger is of a topic none of its clause's speakers is of (read only when the clause has one)."""
    topic = topic_of(trigger.type, lowered, trigger, clause)
    return topic is not None and all(topic_of(s.type, lowered, s, clause) != topic for s in speakers)


def _plural(trigger: str) -> str | None:
    """The plural of a trigger ending in a noun ("prisoner swap" -> "prisoner swaps"); None for verb forms.

    >>> _plural("prisoner swap"), _plural("truce"), _plural("exchanged"), _plural("talks")
    ('prisoner swaps', 'truces', None, None)
    """
    head = trigger.rsplit(" ", 1)[-1].lower()
    if not head.isalpha() or head.endswith(("ed", "ing", "s", "ly")) or len(head) < 3:
        return None
    if head.endswith(("x", "ch", "sh")):
        return trigger + "es"
    if head.endswith("y") and head[-2] not in "aeiou":
        return trigger[:-1] + "ies"
    return trigger + "s"
