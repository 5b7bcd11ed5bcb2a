"""Annotate stage: sentences, actor and place mentions, and time expressions.

Sentences come from spaCy's rule-based sentencizer on a blank English
pipeline (no model download), with paragraph breaks as hard boundaries.
Entities come from the gazetteer (spaCy ``PhraseMatcher``) and from
patterns kept in ``data/lexicons/actors.toml``: a title before a name
("Foreign Minister Ana Morales"), a name before a reporting verb ("Jane Roe
said"), an appositive ("X, the head of Y").  Within an article, a later
surname ("Morales"), a title ("the foreign minister") or a pronoun ("he")
attaches to the person it refers back to.

Countries and their metonyms: a capital ("Norburg") after a place preposition
("in Norburg") or naming an event held or signed there ("the Norburg accord",
"the Norburg talks") is a place; anywhere else it stands for the country's
government, as does a demonym before a government noun ("the Norlandic
delegation").  Seats of power that act in their own name ("the Palace") are
organisations of their own, affiliated to their country (gazetteer rows).

States and armed groups no gazetteer knows are found by their form: "the
Republic of X", a demonym before a title or a government noun whose country
the article names ("Vestan President ...", "Vesta"), slots only a state
stands in ("X's delegation", "between X and Y", "the government of X"), and
organisation names before a head noun ("the Kell People's Army"); later short
names, initials and "the Front" refer back to them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, fields, replace
from functools import cache
from itertools import repeat
from typing import NamedTuple

import numpy
import spacy
from spacy.attrs import (IDX, IS_ALPHA, IS_LOWER, IS_PUNCT, IS_STOP, IS_TITLE, IS_UPPER, LOWER, ORTH, SENT_START,
                          SPACY)
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from kg.english import Reading, blank_english
from kg.gazetteer import Gazetteer, initials, load_gazetteer
from kg.ids import slugify
from kg.records import AnnotatedArticle, AnnotatedSentence, Article, EntityMention, Sentence
from kg.resources import check_names, load_toml
from kg.timex import find_times

# How many tokens back from the comma after an appositive its opening comma may stand ("Ana Ruiz, the Vestan diplomat
# who took over as mediator less than a fortnight ago, said").
APPOSITIVE_REACH = 25


# The sentence-final punctuation of spaCy's sentencizer, as the string ids a doc's ORTH array holds.
_SENTENCE_ENDS = frozenset(get_string_id(c) for c in Sentencizer.default_punct_chars)
# Punctuation that opens what follows it: after a sentence's end it starts the next sentence ('... a staged release.
# (The report ...)', '... he said. “We will ...'), where other punctuation ends the sentence before it.
_SENTENCE_OPENERS = frozenset(get_string_id(c) for c in "([{“‘«")


@Language.component("kg_sentences")
def _sentences(doc: Doc) -> Doc:
    """Sentence starts by spaCy's sentencizer rule (a sentence ends after its final punctuation and any punctuation
    right after it), and a line break ends a sentence too: headings and paragraphs never run together."""
    # (read and written in bulk, off the token arrays: each ``doc[i]`` or step of ``for token in doc`` makes a Token,
    # each ``token.text`` a new string, and each ``Token.is_sent_start = True`` first scans the whole doc for a parse)
    if not len(doc):
        return doc
    strings = doc.vocab.strings
    orths, puncts = doc.to_array([ORTH, IS_PUNCT]).T.tolist()
    starts = [-1] * len(orths)
    starts[0] = 1
    start, seen_end = 0, False
    for i, (orth, punct) in enumerate(zip(orths, puncts)):
        ends = orth in _SENTENCE_ENDS
        if seen_end and ((not punct and not ends) or orth in _SENTENCE_OPENERS):
            starts[start] = 1
            start, seen_end = i, False
        elif ends:
            seen_end = True
    starts[start] = 1
    breaking = {orth for orth in set(orths) if "\n" in strings[orth]}
    for i, orth in enumerate(orths[:-1]):
        if orth in breaking:
            starts[i + 1] = 1
    # (as spaCy's arrays hold them: -1, no start, wraps round in uint64)
    doc.from_array([SENT_START], numpy.asarray(starts, dtype=numpy.int64).view(numpy.uint64).reshape(-1, 1))
    return doc


@dataclass(frozen=True)
class _GrammarWords:
    """The grammar words read between names (``[grammar]`` in actors.toml), each set by what it does there."""
    definite: frozenset[str]
    indefinite: frozenset[str]
    possessive: frozenset[str]
    partitive: frozenset[str]
    of: frozenset[str]
    title_links: frozenset[str]
    coordinators: frozenset[str]
    between: frozenset[str]
    person_relative: frozenset[str]
    thing_relative: frozenset[str]
    name_inner_words: frozenset[str]
    alternatives: frozenset[str]


@dataclass(frozen=True)
class _ActorLexicon:
    titles: tuple[str, ...]
    honorifics: frozenset[str]
    report_verbs: frozenset[str]
    report_adverbs: frozenset[str]
    report_prefixes: tuple[str, ...]
    pronouns: frozenset[str]
    first_person: frozenset[str]
    oblique_before: frozenset[str]
    time_words: frozenset[str]           # month and weekday names (data/lexicons/time.toml)
    appositive_heads: tuple[str, ...]
    government_nouns: frozenset[str]
    not_name_words: frozenset[str]
    venue_words: frozenset[str]
    place_prepositions: frozenset[str]
    venue_named_nouns: frozenset[str]
    unknown_place_cues: tuple[str, ...]
    languages: frozenset[str]
    organisation_heads: frozenset[str]
    state_prefixes: tuple[str, ...]
    demonym_endings: tuple[str, ...]
    name_slots_before: frozenset[str]
    name_slots_after: frozenset[str]
    name_followers: tuple[re.Pattern[str], ...]
    name_slots_inverted: frozenset[str]
    not_person_words: frozenset[str]
    name_particles: frozenset[str]
    not_name_tails: frozenset[str]
    not_actor_acronyms: frozenset[str]
    region_nouns: frozenset[str]
    government_noun_modifiers: frozenset[str]
    demonym_stem_endings: tuple[str, ...]
    state_suffixes: frozenset[str]
    state_of_heads: tuple[str, ...]
    state_pair_verbs: frozenset[str]
    not_state_words: frozenset[str]
    name_possessives: frozenset[str]
    definite_org_heads: frozenset[str]
    organisation_appositives: frozenset[str]
    capital_nouns: frozenset[str]
    defined_terms: tuple[re.Pattern[str], ...]
    verb_markers: frozenset[str]
    exact_demonym_endings: tuple[str, ...]
    relative_words: frozenset[str]
    organisation_words: frozenset[str]
    grammar: _GrammarWords


@cache
def _actor_lexicon() -> _ActorLexicon:
    data = load_toml("lexicons", "actors.toml")
    return _ActorLexicon(
        titles=tuple(data["titles"]), honorifics=frozenset(data["honorifics"]),
        report_verbs=frozenset(data["report_verbs"]), report_adverbs=frozenset(data["report_adverbs"]),
        report_prefixes=tuple(data["report_prefixes"]), pronouns=frozenset(data["person_pronouns"]),
        first_person=frozenset(data["first_person_singular"]),
        oblique_before=frozenset(data["oblique_before"]),
        time_words=frozenset(word.lower() for key in ("months", "weekdays")
                             for word in load_toml("lexicons", "time.toml")[key]),
        appositive_heads=tuple(data["appositive_heads"]), government_nouns=frozenset(data["government_nouns"]),
        not_name_words=frozenset(data["not_name_words"]), venue_words=frozenset(data["venue_words"]),
        place_prepositions=frozenset(data["place_prepositions"]),
        venue_named_nouns=frozenset(data["venue_named_nouns"]),
        unknown_place_cues=tuple(data["unknown_place_cues"]), languages=frozenset(data["languages"]),
        organisation_heads=frozenset(data["organisation_heads"]), state_prefixes=tuple(data["state_prefixes"]),
        demonym_endings=tuple(data["demonym_endings"]),
        name_slots_before=frozenset(data["name_slots_before"]), name_slots_after=frozenset(data["name_slots_after"]),
        name_followers=tuple(re.compile(p, re.IGNORECASE) for p in data["name_followers"]),
        name_slots_inverted=frozenset(data.get("name_slots_inverted", ())),
        not_person_words=frozenset(data["not_person_words"]),
        name_particles=frozenset(p.lower() for p in data.get("name_particles", ())),
        not_name_tails=frozenset(data.get("not_name_tails", ())),
        not_actor_acronyms=frozenset(data.get("not_actor_acronyms", ())),
        region_nouns=frozenset(data.get("region_nouns", ())),
        government_noun_modifiers=frozenset(data["government_noun_modifiers"]),
        demonym_stem_endings=tuple(data["demonym_stem_endings"]), state_suffixes=frozenset(data["state_suffixes"]),
        state_of_heads=tuple(data["state_of_heads"]), state_pair_verbs=frozenset(data["state_pair_verbs"]),
        not_state_words=frozenset(data["not_state_words"]), name_possessives=frozenset(data["name_possessives"]),
        definite_org_heads=frozenset(data["definite_org_heads"]),
        organisation_appositives=frozenset(data["organisation_appositives"]),
        capital_nouns=frozenset(data["capital_nouns"]),
        defined_terms=tuple(re.compile(p) for p in data.get("defined_terms", ())),
        verb_markers=frozenset(data.get("verb_markers", ())),
        exact_demonym_endings=tuple(data.get("exact_demonym_endings", ())),
        relative_words=frozenset(data["relative_words"]), organisation_words=frozenset(data["organisation_words"]),
        grammar=_grammar_words(data.get("grammar", {})))


def _grammar_words(table: dict[str, list[str]]) -> _GrammarWords:
    check_names("data/lexicons/actors.toml [grammar]", table, (f.name for f in fields(_GrammarWords)),
                "kg.annotate._GrammarWords")
    return _GrammarWords(**{name: frozenset(words) for name, words in table.items()})


class Annotator:
    """Holds the spaCy pipeline and matchers; build one per process and reuse it."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_gazetteer()
        self.lexicon = _actor_lexicon()
        # (its own components, over the process's shared vocabulary and tokenizer: see kg.english)
        shared = blank_english()
        self.nlp = spacy.blank("en", vocab=shared.vocab)
        self.nlp.tokenizer = shared.tokenizer
        self.nlp.add_pipe("kg_sentences")
        self.names = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        surfaces = set(self.gazetteer.actor_surfaces) | set(self.gazetteer.place_surfaces)
        self.names.add("NAME", list(self.nlp.tokenizer.pipe(sorted(surfaces))))
        self.titles = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.titles.add("TITLE", list(self.nlp.tokenizer.pipe((*self.lexicon.titles, *self.lexicon.honorifics))))
        self.prefixes = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.prefixes.add("REPORT", list(self.nlp.tokenizer.pipe(self.lexicon.report_prefixes)))
        self.place_cues = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.place_cues.add("PLACE", list(self.nlp.tokenizer.pipe(self.lexicon.unknown_place_cues)))
        self.appositives = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.appositives.add("APPOS", list(self.nlp.tokenizer.pipe(self.lexicon.appositive_heads)))
        # single words of titles: never part of an untitled name ("Foreign Minister X" is a titled one)
        self.title_words = frozenset(w.lower() for title in self.lexicon.titles for w in title.split())
        self.single_titles = frozenset(t.lower() for t in self.lexicon.titles if " " not in t)
        # plural titles before coordinated names ("Foreign ministers X and Y", "Presidents X and Y"), each
        # with its singular
        self.plural_titles: dict[str, str] = {}
        for title in self.lexicon.titles:
            plural = _plural_title(title)
            if plural is not None:
                self.plural_titles.setdefault(plural.lower(), title)
        self.plurals = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.plurals.add("PLURAL", list(self.nlp.tokenizer.pipe(sorted(self.plural_titles))))
        self.plural_words = frozenset(w for plural in self.plural_titles for w in plural.split()) - self.title_words
        # each name of the gazetteer by its lower case, to give a line written in capitals its names back (not a
        # name whose lower case is a common word: "US" would make "join us" a country)
        self.cased_names = {name.lower(): name for name in sorted(surfaces) if name != name.lower()
                            and len(name.lower()) == len(name) and not self.nlp.vocab[name.lower()].is_stop}
        self.states = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.states.add("STATE", list(self.nlp.tokenizer.pipe(self.lexicon.state_prefixes)))
        self.state_of = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.state_of.add("OF", list(self.nlp.tokenizer.pipe(f"{head} of" for head in self.lexicon.state_of_heads)))

    # -- public -------------------------------------------------------------

    def readable_case(self, text: str) -> str:
        """The text with each line written in capitals (a ticker's, a wire alert's) in sentence case, the names the
        gazetteer knows given their own case back, so that its names read as names and its words as words; every
        offset stays where it was.  A transcript's speaker label opening the line keeps its capitals.

        >>> Annotator().readable_case("14:36 GMT  THE ROUND OPENS IN GENEVA: PERU AND CHILE AGREE TO SWAP PRISONERS")
        '14:36 gmt  The round opens in Geneva: Peru and Chile agree to swap prisoners'
        """
        if _LOWER_RUN.search(text) and not _SHOUTING.search(text):
            return text
        lines = text.split("\n")
        shouting = [_shouts(line) for line in lines]
        if not any(shouting):
            return text
        # (a word the rest of the article writes with a capital, and never in lower case, is a name there too: an
        # invented state's, a person's the gazetteer does not know)
        capitalised: dict[str, str] = {}
        common: set[str] = set()
        for line, shouts in zip(lines, shouting):
            for word in ([] if shouts else _LETTERS.findall(line)):
                if word.islower():
                    common.add(word)
                elif word[0].isupper() and not word.isupper():
                    capitalised.setdefault(word.lower(), word)
        names = {**{word: form for word, form in capitalised.items() if word not in common and len(form) == len(word)},
                 **self.cased_names}
        return "\n".join(self._sentence_case(line, names) if shouts else line for line, shouts in zip(lines, shouting))

    def _sentence_case(self, line: str, names: dict[str, str]) -> str:
        label = _TURN_LABEL.match(line)
        kept = label.end() if label else 0
        # (a letter whose lower case is longer, as "İ", stays as written: the offsets must not move)
        cased = list(line[:kept] + "".join(c.lower() if len(c.lower()) == 1 else c for c in line[kept:]))
        lowered = "".join(cased)
        words = [m.span() for m in _LETTERS.finditer(lowered, kept)]
        index = 0
        while index < len(words):
            for count in range(min(_NAME_WORDS, len(words) - index), 0, -1):
                start, end = words[index][0], words[index + count - 1][1]
                name = names.get(lowered[start:end])
                if name is not None:
                    cased[start:end] = name
                    index += count
                    break
            else:
                index += 1
        for opening in _OPENING.finditer(lowered):
            cased[opening.start(1)] = cased[opening.start(1)].upper()     # (a label's letters are capitals already)
        return "".join(cased)

    def annotate(self, article: Article) -> AnnotatedArticle:
        """Split ``article.text`` into sentences and attach entity and time mentions."""
        # The headline is read with the body, so that the names it gives help to read the body ("Norvia" in the
        # headline makes "the Norvian government" Norvia's); only the body's sentences and mentions are kept.
        head = f"{article.title}\n\n" if article.title and article.title.strip() else ""
        # (a line in capitals is read in sentence case, for its names; its sentences keep what was written)
        written = head + article.text
        doc = self.nlp(self.readable_case(written))
        entities = [replace(e, start=e.start - len(head), end=e.end - len(head))
                    for e in self._entities(doc) if e.start >= len(head)]
        # A time cut out of a longer word is not that time: "the late 1980s" is a decade, not late 1980.
        times = [t for t in find_times(article.text, article.reference_date, publication=article.published)
                 if not article.text[t.end_char:t.end_char + 1].isalnum()]
        sentences: list[AnnotatedSentence] = []
        ents = _titles_carried(sorted(entities, key=lambda e: e.start))
        ent_starts = [e.start for e in ents]
        time_starts = [t.start_char for t in times]   # find_times returns them in text order
        doc_text = _doc_text(doc)
        spans = ((start_char, end_char) for start_char, end_char in _sentence_spans(doc)
                 if doc_text[start_char:end_char].strip() and start_char >= len(head))
        for index, (start_char, end_char) in enumerate(spans):
            start, end = start_char - len(head), end_char - len(head)
            text = written[start_char:end_char].rstrip()
            sentences.append(AnnotatedSentence(
                Sentence(index, start, start + len(text), text),
                tuple(ents[bisect_left(ent_starts, start):bisect_left(ent_starts, end)]),
                tuple(times[bisect_left(time_starts, start):bisect_left(time_starts, end)])))
        reading = Reading(doc, doc_text, len(head), [t.idx for t in _tokens(doc)])
        return AnnotatedArticle(article, tuple(sentences), reading)

    # -- entity finding -----------------------------------------------------
    def _entities(self, doc: Doc) -> list[EntityMention]:
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        lex = self.lexicon
        candidates: list[tuple[Span, EntityMention]] = []
        for _, start, end in self.names(doc):
            span = doc[start:end]
            mention = self._gazetteer_mention(doc, span)
            if mention:
                candidates.append((span, mention))
        title_matches = self.titles(doc)
        title_at = len(candidates)     # titled people outrank equal spans found later ("President X said")
        titled: list[tuple[int, int, Span]] = []
        bodied: set[tuple[int, int]] = set()    # titles with their body between them and the name: the name alone is the span
        for _, start, end in title_matches:
            if start > 0 and tokens[start].is_lower and tokens[start - 1].lower_ in lex.verb_markers:
                continue    # "would judge Norland by its deeds", "to lead X": a verb, not a title
            name = self._name_after(doc, end)
            comma = end
            if name is None and end + 1 < len(doc) and tokens[end].lower_ in g.title_links:
                # "the chairman of the Vesta Hills People's Army, Ana Ruiz, signed": the title's body, then the name
                comma = next((i for i in range(end + 1, min(end + 12, len(doc)))
                              if tokens[i].text in (",", ".", ";", ":")), end)
                if tokens[comma].text != ",":
                    # "the President of the Republic Ana Morales gave": the body, then the name with no comma
                    reach = comma if comma > end else min(end + 12, len(doc))
                    name = next((doc[cut:run.end] for i in range(end + 1, reach) if self._is_name_token(tokens[i])
                                 and not self._is_name_token(tokens[i - 1])
                                 and (run := self._name_after(doc, i)) is not None
                                 and (cut := self._known_body_end(doc, run.start, run.end)) is not None), None)
                    if name is not None:
                        bodied.add((start, end))
            if name is None and comma + 1 < len(doc) and tokens[comma].text == ",":
                # "Its spokesman, Pell Auster, said": a title, then the name between commas
                name = self._name_after(doc, comma + 1)
                if name is not None and (name.end >= len(doc) or tokens[name.end].text != "," or len(name) < 2):
                    name = None
                if name is not None and comma > end:
                    bodied.add((start, end))    # (its title is the title alone: "the chairman" refers back)
            # ("Secretary General Ilse Marrow": the longer title's match names her, not "General Ilse Marrow")
            if name is not None and name[0].lower_ not in self.title_words:
                titled.append((start, end, name))
        plural_titled: list[tuple[int, int, list[Span]]] = []
        for _, start, end in self.plurals(doc):
            # "Foreign ministers X and Y met": each name holds the title
            names = self._names_coordinated(doc, end)
            if len(names) >= 2 and names[0][0].lower_ not in self.title_words:
                plural_titled.append((start, end, names))
        for _, start, end in self.appositives(doc):
            # "Jane Roe, the head of the delegation": name, comma, appositive head
            if start >= 2 and tokens[start - 1].text == ",":
                name = self._name_before(doc, start - 1)
                if name is not None:
                    # "X, the head of the mission" names a post; "X, who heads ..." a role, not a title.
                    head = doc[start:min(end + 4, len(doc))]
                    title = None if tokens[start].lower_ in g.person_relative else \
                        re.split(r"[,.;]|\s(?:as|in|at|since|and|to|for)\b", head.text)[0].removeprefix("the ").strip()
                    candidates.append((name, self._person(name, title, None)))
        for token in tokens:
            if token.lower_ in lex.report_verbs:
                # "Jane Roe finally announced": an adverb may stand between the name and its verb
                adverb = token.i > 0 and tokens[token.i - 1].lower_ in lex.report_adverbs
                end = token.i - 1 if adverb else token.i
                # ("Jane Roe, 51, said": her age set off by commas between them)
                if end >= 4 and tokens[end - 1].text == "," == tokens[end - 3].text \
                        and tokens[end - 2].text.isdigit() and len(tokens[end - 2].text) <= 3:
                    end -= 3
                name = self._name_before(doc, end)
                if name is not None and len(name) >= 2:
                    candidates.append((name, self._body(doc, name) or self._person(name, None, None)))
        for token in tokens[3:]:
            if tokens[token.i - 1].text == ",":
                # "Ana Ruiz, Vesta's chief negotiator, said"; "X and Y, the foreign ministers of ..., met"
                candidates.extend(self._appositive_speaker(doc, token.i))
        for _, start, end in self.prefixes(doc):
            name = self._name_after(doc, end)
            if name is not None and len(name) >= 2:
                candidates.append((name, self._person(name, None, None)))
        for token in tokens:
            if token.text in lex.venue_words:
                span = self._venue(doc, token.i)
                if span is not None:
                    candidates.append((span, EntityMention(span.text, span.start_char, span.end_char, "place",
                                                           slugify(span.text), span.text)))
        for _, start, end in self.place_cues(doc):
            name = self._name_after(doc, end)
            if name is not None and name.start > 0 and not any(t.is_sent_start for t in name) \
                    and name.text not in lex.languages:     # ("signed in English and Swahili")
                candidates.append((name, EntityMention(name.text, name.start_char, name.end_char, "place",
                                                       slugify(name.text), name.text)))
        speakers = self._lone_speakers(doc)
        candidates.extend(self._untitled_people(doc, {tokens[i].text for i in speakers}))
        # States no gazetteer knows are found once the people are: a person's surname is never a state.
        people = {w for _, m in candidates if m.kind == "person" for w in m.name.split()} \
            | {w for _, _, name in titled for w in name.text.split()}
        places = {m.name for _, m in candidates if m.kind == "place"}
        local, states = self._local_states(doc, {start for _, start, _ in title_matches}, titled, people, places)
        people_titled: list[tuple[Span, EntityMention]] = []
        for start, end, name in titled:
            affiliation, first = self._affiliation_before(doc, start, local)
            # The demonym or country before a title belongs to the person's description, not a party.
            title = doc[start:end].text
            if (start, end) in bodied:
                first = name.start
            people_titled.append((doc[first:name.end],
                                  self._person(name, None if title in lex.honorifics else title, affiliation)))
        for start, end, names in plural_titled:
            affiliation, first = self._affiliation_before(doc, start, local)
            if first > 0 and (tokens[first - 1].lower_ in g.coordinators or tokens[first - 1].text == ","):
                affiliation, first = None, start    # "Norlandic and Vestan foreign ministers X and Y"
            title = self.plural_titles[doc[start:end].text.lower()]
            for index, name in enumerate(names):
                people_titled.append((doc[first:name.end] if index == 0 else name,
                                      self._person(name, title, affiliation)))
        candidates[title_at:title_at] = people_titled
        candidates.extend(states)
        candidates.extend(self._capitals(doc, local, people))
        candidates.extend(self._unknown_actors(doc))
        candidates.extend(self._described_bodies(doc))
        chosen = _longest_non_overlapping(candidates)
        chosen += self._short_forms(doc, chosen, local)
        chosen = self._defined_terms(doc, chosen)
        return self._resolve_references(doc, chosen + self._acronyms(doc, chosen), speakers)

    def _defined_terms(self, doc: Doc, mentions: list[EntityMention]) -> list[EntityMention]:
        """'"the Applicant" means the Republic of Norland', 'the Republic of Vesta (hereinafter "the Respondent")':
        every use of a defined term is the actor it is defined as."""
        text = _doc_text(doc)
        terms: dict[str, EntityMention] = {}
        actors = sorted((m for m in mentions if m.kind in ("country", "organization", "person")), key=lambda m: m.start)
        for pattern in self.lexicon.defined_terms:
            for match in pattern.finditer(text):
                if "after" in pattern.groupindex:
                    target = next((m for m in actors if m.start >= match.end()
                                   and text[match.end():m.start] in ("", "the ", "The ")), None)
                else:
                    target = next((m for m in reversed(actors) if m.end <= match.start()
                                   and not text[m.end:match.start()].strip()), None)
                if target is not None and target.text != match.group("term"):
                    terms.setdefault(match.group("term"), target)
        if not terms:
            return mentions
        found = [m for m in mentions if m.text not in terms]
        taken = {i for m in found for i in range(m.start, m.end)}
        for term, target in terms.items():
            for match in re.finditer(rf"\b{re.escape(term)}\b", text):
                if match.start() in taken or not text[max(0, match.start() - 4):match.start()].lower().endswith("the "):
                    continue
                found.append(_refer(term, match.start(), target))
        return sorted(found, key=lambda m: m.start)

    def _local_states(self, doc: Doc, title_starts: set[int], titled: list[tuple[int, int, Span]],
                      people: set[str], places: set[str]
                      ) -> tuple[dict[str, tuple[str, str]], list[tuple[Span, EntityMention]]]:
        """States no gazetteer knows, found by slots only a state stands in: a demonym before a title or a
        government noun whose country the article names ("Vestan President ...", later "Vesta"), "X's
        delegation", "between X and Y", "X and Y signed", "the government of X", "X, which ...".

        Returns surface -> (key, name) for the states' names and demonyms, and the mentions found."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        lex, gaz = self.lexicon, self.gazetteer
        surfaces = gaz.actor_surfaces.keys() | gaz.place_surfaces.keys()
        # (a word the article also writes in lower case is a common word, not a name: "Then", "However")
        caps, mid_caps, lower = _word_sets(doc)
        local: dict[str, tuple[str, str]] = {}
        found: list[tuple[Span, EntityMention]] = []

        def known_tail(token: _Token) -> bool:
            # the last word of a name the gazetteer knows ("Lankan" of "Sri Lankan") is no state of its own
            return any(_span_text(doc, start, token.i + 1) in surfaces for start in range(max(0, token.i - 2), token.i))

        def proper(token: _Token, weak: bool = False) -> bool:
            text = token.text
            if not (token.is_title and token.is_alpha) or len(text) < 3 or text in surfaces \
                    or text in lex.not_name_words or text in lex.not_state_words or text in lex.not_person_words \
                    or text.lower() in self.title_words or text.lower() in lower or text in people \
                    or text in lex.organisation_heads or text in lex.venue_words or known_tail(token):
                return False
            # the tail of a longer name ("Ana Morales's") is no single name
            if token.i > 0 and self._is_name_token(tokens[token.i - 1]) and not tokens[token.i - 1].is_sent_start:
                return False
            # a place, or a sentence-initial word the article never writes mid-sentence, is too weak a state
            return not weak or (text not in places and (not token.is_sent_start or text in mid_caps))

        def add(span: Span, key: str, name: str) -> None:
            found.append((span, EntityMention(span.text, span.start_char, span.end_char, "country", key, name)))

        def state(token: _Token, weak: bool = False) -> None:
            if token.text in local or proper(token, weak):
                key, name = local.setdefault(token.text, (slugify(token.text), token.text))
                add(doc[token.i:token.i + 1], key, name)

        for _, start, end in self.states(doc):       # "the Republic of X": X is the state's short name
            name = self._state_name_after(doc, end)
            if name is not None and name.text not in surfaces:
                local.setdefault(name.text, (slugify(name.text), name.text))
        for token in tokens[:-1]:
            after = tokens[token.i + 1]
            suffix = after.text in lex.state_suffixes
            if token.text in surfaces or not token.is_title or not token.is_alpha or token.text.lower() in lower \
                    or not (suffix or token.i + 1 in title_starts or self._governs(doc, token.i + 1)) or known_tail(token):
                continue
            base = self._demonym_base(token.text, caps, people, lower)
            if base is not None:
                hit = gaz.actor_surfaces.get(base)
                known = gaz.actors[hit[1]] if hit and hit[0] == "actor" else None
                target = (known.id, known.name) if known is not None and known.kind == "country" \
                    else local.get(base, (slugify(base), base))
                local.setdefault(base, target)
                local[token.text] = target
                add(doc[token.i:token.i + 2] if suffix else doc[token.i:token.i + 1], *target)
                continue
            # With no "Vesta" in the article, "Vestan President X" and "the Vestan Republic" name no state: its
            # name (Vesta? Vestania?) would be a guess, and another article that names it would key it apart.
            # Only a demonym whose ending leaves the name itself ("the Brennali delegation", "Tolvinese
            # President X") names its state without the article writing it.
            stem = next((token.text[:-len(e)] for e in lex.exact_demonym_endings if token.text.endswith(e)), "")
            # (not a known group's member: "Houthi delegations" for the "Houthis")
            if len(stem) >= 4 and stem not in people and stem not in lex.not_state_words \
                    and token.text + "s" not in surfaces \
                    and token.text not in lex.not_state_words and stem.lower() not in lower:
                target = local.setdefault(stem, (slugify(stem), stem))
                local[token.text] = target
                add(doc[token.i:token.i + 2] if suffix else doc[token.i:token.i + 1], *target)
        endings = tuple(lex.demonym_endings)
        for word in sorted(caps):     # (sorted: the same states in the same order on every run)
            # "Brennalian shells ... Brennal never answered": a name the article also writes as its demonym, and
            # mid-sentence, is a state (not a known name, a place or a person's name word)
            if not word.endswith(endings) or word in local or word in surfaces or word.lower() in lower:
                continue
            base = self._demonym_base(word, caps, people, lower)
            if base is not None and base not in local and base in mid_caps and base not in surfaces \
                    and base not in places and base not in lex.not_person_words and base not in lex.organisation_heads:
                local[base] = (slugify(base), base)
        for token in tokens[:-2]:
            nxt, third = tokens[token.i + 1], tokens[token.i + 2]
            if nxt.text in ("'s", "’s") and (token.i + 2 in title_starts or self._governs(doc, token.i + 2)):
                state(token)                                    # "Vesta's delegation", "Vesta's chief negotiator"
            elif nxt.lower_ in g.coordinators and (token.i + 3 >= len(doc)
                                                   or not self._is_name_token(tokens[token.i + 3])):
                between = token.i > 0 and tokens[token.i - 1].lower_ in g.between
                paired = token.i + 3 < len(doc) and tokens[token.i + 3].lower_ in lex.state_pair_verbs
                if (between or paired) and proper(token, not between) and proper(third, not between):
                    state(token, not between)                   # "between Norland and Vesta", "Norland and
                    state(third, not between)                   # Vesta signed"
            elif nxt.text == "," and third.lower_ in g.thing_relative:
                state(token, weak=True)                         # "Vesta, which hosts the talks"
        heads_of = [end for _, _, end in self.state_of(doc)]
        heads_of += [name.end + 1 for _, _, name in titled if name.end < len(doc) and tokens[name.end].lower_ in g.of]
        for end in heads_of:                                    # "the government of X", "President Y of X"
            if end < len(doc) and (end + 1 == len(doc) or not self._is_name_token(tokens[end + 1])):
                state(tokens[end])
                # "the foreign ministers of X and Y": both are states
                if end + 2 < len(doc) and tokens[end + 1].lower_ in g.coordinators and tokens[end].text in local \
                        and (end + 3 == len(doc) or not self._is_name_token(tokens[end + 3])):
                    state(tokens[end + 2])
        return local, found

    def _capitals(self, doc: Doc, local: dict[str, tuple[str, str]],
                  people: set[str]) -> list[tuple[Span, EntityMention]]:
        """A city no gazetteer knows, introduced as a state's capital by an apposition ("Tarsova, the Vestan
        capital", "Tarsova, the capital of Vesta", "Tarsova, Vesta's capital", "the Vestan capital, Tarsova"),
        stands for that state wherever the article names it, except after a place preposition ("talks in
        Tarsova" stay in a place), as a known capital does.  The state joins ``local``."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        lex, gaz = self.lexicon, self.gazetteer
        if not any(t.lower_ in lex.capital_nouns for t in tokens):
            return []
        surfaces = gaz.actor_surfaces.keys() | gaz.place_surfaces.keys()
        caps, _, lower = _word_sets(doc)

        def known_state(name: str) -> tuple[str, str] | None:
            actor = gaz.actors[gaz.actor_surfaces[name][1]]
            return (actor.id, actor.name) if actor.kind == "country" else None

        def state_of(word: Token | _Token, demonym: bool) -> tuple[str, str] | None:
            text = word.text
            if not (word.is_title and word.is_alpha) or text in lex.not_name_words or text in lex.not_state_words:
                return None
            if text in gaz.actor_surfaces:
                return known_state(text)
            if text in local:
                return local[text]
            base = self._demonym_base(text, caps, people, lower) if demonym else text
            if base is None:
                return None
            if base in gaz.actor_surfaces:
                return known_state(base)
            return local.get(base, (slugify(base), base))

        def city(span: Span | None) -> Span | None:
            if span is None or len(span) > 3 or span.text in surfaces or span.text in people \
                    or any(t.text in lex.not_name_words or t.lower_ in self.title_words for t in span):
                return None
            return span

        cities: dict[str, tuple[str, str]] = {}
        placed: set[int] = set()    # cities whose apposition follows a place preposition: there, a place
        for token in tokens[2:-1]:
            if token.lower_ not in lex.capital_nouns:
                continue
            i = token.i
            found: tuple[Span | None, tuple[str, str] | None] = (None, None)
            if tokens[i - 2].lower_ in g.definite:                      # "the Vestan capital"
                target = state_of(tokens[i - 1], demonym=True)
                if i >= 4 and tokens[i - 3].text == ",":           # "Tarsova, the Vestan capital"
                    found = (city(self._name_before(doc, i - 3)), target)
                elif i + 2 < len(doc) and tokens[i + 1].text == ",":   # "the Vestan capital, Tarsova"
                    found = (city(self._name_after(doc, i + 2)), target)
                    if found[0] is not None and i >= 3 and tokens[i - 3].lower_ in lex.place_prepositions:
                        placed.add(found[0].start)                  # "met in the Vestan capital, Tarsova"
            elif tokens[i - 1].text in ("'s", "’s") and i >= 4 and tokens[i - 3].text == ",":
                found = (city(self._name_before(doc, i - 3)), state_of(tokens[i - 2], demonym=False))
            elif tokens[i - 1].lower_ in g.definite and i + 2 < len(doc) and tokens[i + 1].lower_ in g.of:
                owner = self._name_after(doc, i + 2)            # "the capital of Vesta"
                # (not "the capital of Norr province": a region, no state)
                region = owner is not None and owner.end < len(doc) and tokens[owner.end].lower_ in lex.region_nouns
                target = state_of(owner[0], demonym=False) if owner is not None and len(owner) == 1 and not region \
                    else None
                if i >= 3 and tokens[i - 2].text == ",":           # "Tarsova, the capital of Vesta"
                    found = (city(self._name_before(doc, i - 2)), target)
                elif owner is not None and owner.end + 1 < len(doc) and tokens[owner.end].text == ",":
                    found = (city(self._name_after(doc, owner.end + 1)), target)
                    if found[0] is not None and i >= 2 and tokens[i - 2].lower_ in lex.place_prepositions:
                        placed.add(found[0].start)                  # "met in the capital of Vesta, Tarsova"
            name, target = found
            if name is not None and target is not None and name.text != target[1]:
                cities.setdefault(name.text, target)
        if not cities:
            return []
        for key, name in cities.values():
            local.setdefault(name, (key, name))
        lengths = {name: len(self.nlp.tokenizer(name)) for name in cities}
        mentions: list[tuple[Span, EntityMention]] = []
        for token in tokens:
            for name, (key, state) in cities.items():
                if _span_text(doc, token.i, token.i + lengths[name]) != name:
                    continue
                span = doc[token.i:token.i + lengths[name]]
                if (token.i > 0 and tokens[token.i - 1].lower_ in lex.place_prepositions) \
                        or (span.end < len(doc) and self._is_name_token(tokens[span.end])) \
                        or (token.i > 0 and self._is_name_token(tokens[token.i - 1])):
                    continue
                if token.i in placed:
                    mentions.append((span, EntityMention(span.text, span.start_char, span.end_char, "place",
                                                         slugify(span.text), span.text)))
                    continue
                mentions.append((span, EntityMention(span.text, span.start_char, span.end_char, "country", key,
                                                     state)))
        return mentions

    def _demonym_base(self, word: str, caps: set[str], people: set[str], lower: set[str]) -> str | None:
        """The country's name a demonym comes from, when the article writes it ("Vestan" -> "Vesta")."""
        lex = self.lexicon
        for ending in sorted(lex.demonym_endings, key=len, reverse=True):
            stem = word[:-len(ending)]
            if not word.endswith(ending) or len(stem) < 3:
                continue
            for letters in lex.demonym_stem_endings:
                base = stem + letters
                if base != word and base in caps and len(base) >= 4 and base not in people \
                        and base.lower() not in lower and base not in lex.not_name_words \
                        and base not in lex.not_state_words:
                    return base
        return None

    def _governs(self, doc: Doc, index: int) -> bool:
        """A government noun at ``index``, perhaps after a modifier ("delegation", "foreign ministry")."""
        tokens = _tokens(doc)
        lex = self.lexicon
        if index >= len(doc):
            return False
        if tokens[index].lower_ in lex.government_nouns:
            return True
        return tokens[index].lower_ in lex.government_noun_modifiers and index + 1 < len(doc) \
            and tokens[index + 1].lower_ in lex.government_nouns

    def _unknown_actors(self, doc: Doc) -> list[tuple[Span, EntityMention]]:
        """States and organisations no gazetteer knows, named by their form: "the Republic of X" is a country,
        a capitalised name before a head noun ("X Coast Authority") an organisation."""
        tokens = _tokens(doc)
        found: list[tuple[Span, EntityMention]] = []
        lex = self.lexicon
        surfaces = self.gazetteer.actor_surfaces
        for _, start, end in self.states(doc):
            name = self._state_name_after(doc, end)
            if name is None or doc[start:end].text in surfaces or name.text in surfaces:
                continue
            span = doc[start:name.end]
            found.append((span, EntityMention(span.text, span.start_char, span.end_char, "country",
                                              slugify(name.text), span.text)))
        for token in tokens:
            if token.text not in self.lexicon.organisation_heads:
                continue
            start = token.i
            while start > 0 and token.i - start < 6:
                if self._is_name_token(tokens[start - 1]):
                    start -= 1
                # "the Highland People's Army": a collective noun's possessive stays inside the name
                elif start >= 2 and tokens[start - 1].text in ("'s", "’s") \
                        and tokens[start - 2].text in lex.name_possessives:
                    start -= 2
                else:
                    break
            span = doc[start:token.i + 1]
            if start == token.i:
                span = self._head_of(doc, token.i) or span
            if start == token.i and span.end == token.i + 1 or span.text in surfaces:
                continue
            # "the Norlandic Army", "Norland's Forces": a country's own body, not a side of its own.
            hit = surfaces.get(tokens[start].text)
            if hit is None and start >= 2 and tokens[start - 1].text in ("'s", "’s"):
                hit = surfaces.get(tokens[start - 2].text)    # "Armenia's Security Council"
            affiliation = hit[1] if hit else None
            found.append((span, EntityMention(span.text, span.start_char, span.end_char, "organization",
                                              _org_key(span.text), span.text, affiliation=affiliation)))
        found.extend(self._spelled_out(doc))
        return found

    def _head_of(self, doc: Doc, head: int) -> Span | None:
        """"the Compact of the Calder Hills", "the Community of San Telmo": a head noun right after "the" with
        "of" and a capitalised name after it names an organisation (not a state's "Union of" prefix)."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        if head == 0 or tokens[head - 1].lower_ not in g.definite or head + 2 >= len(doc) \
                or tokens[head + 1].lower_ not in g.of \
                or f"{tokens[head].text} of" in self.lexicon.state_prefixes:
            return None
        start = head + 3 if tokens[head + 2].lower_ in g.definite else head + 2
        name = self._name_after(doc, start) if start < len(doc) else None
        return doc[head:name.end] if name is not None else None

    def _spelled_out(self, doc: Doc) -> list[tuple[Span, EntityMention]]:
        """"the Union of the Northern Straits (UNS)": a name whose capitalised words' initials are the acronym in
        brackets after it is an organisation (not a state's own ministry or office)."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        found: list[tuple[Span, EntityMention]] = []
        surfaces = self.gazetteer.actor_surfaces
        for token in tokens[2:-1]:
            if not _ACRONYM.fullmatch(token.text) or tokens[token.i - 1].text != "(" or tokens[token.i + 1].text != ")":
                continue
            end = token.i - 1
            for start in range(end - 1, max(-1, end - 10), -1):
                word = tokens[start]
                if not (self._is_name_token(word) or word.lower_ in g.name_inner_words):
                    break
                span = doc[start:end]
                letters = "".join(t.text[0] for t in span if t.is_title)
                if _spells(letters, token.text) and self._is_name_token(tokens[start]):
                    if span.text not in surfaces and tokens[start].lower_ not in self.lexicon.government_nouns \
                            and not any(t.text in self.lexicon.state_suffixes for t in span):
                        found.append((span, EntityMention(span.text, span.start_char, span.end_char,
                                                          "organization", _org_key(span.text), span.text)))
                    break
        return found

    def _untitled_people(self, doc: Doc, speakers: set[str]) -> list[tuple[Span, EntityMention]]:
        """People named without a title, by the slot their two- or three-word name stands in: after "by",
        "between", "with"; before a meeting verb; coordinated with another person ("X and Y met"); or whose last
        word stands alone as a speaker elsewhere (``speakers``, the words of ``_lone_speakers``)."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        lex = self.lexicon
        surfaces = self.gazetteer.actor_surfaces.keys() | self.gazetteer.place_surfaces.keys()
        names: list[Span] = []
        i = 0
        while i < len(doc):
            name = self._name_after(doc, i) if self._is_name_token(tokens[i]) else None
            if name is None:
                i += 1
                continue
            i = name.end
            # "the Minister of Foreign Affairs of Norland Petro Kovalenko met ..."
            name = doc[self._person_start(doc, name.start, name.end):name.end]
            # a name is two or three words none of which a gazetteer, a title or an organisation uses (but a
            # given name may be a country's or a capital's: "Chad Morales", "Jordan Vask")
            given = 1 if self._given_name_state(name, surfaces) else 0
            if not 2 <= len(name) <= 3 or any(t.text in surfaces or t.lower_ in self.title_words
                                               or t.lower_ in lex.organisation_words or t.text in lex.organisation_heads
                                               or t.text in lex.venue_words or t.text in lex.not_person_words
                                               for t in name[given:]):
                continue
            names.append(name)
        people = {(n.start, n.end) for n in names}
        found: list[tuple[Span, EntityMention]] = []
        text = _doc_text(doc)
        for name in names:
            before = tokens[name.start - 1].lower_ if name.start > 0 else ""
            after = tokens[name.end].lower_ if name.end < len(doc) else ""
            # "X and Y met": each of two coordinated names is a person when the pair stands in a slot
            partner = next((n for n in names if (n.start == name.end + 1 or n.end == name.start - 1)
                            and n is not name and tokens[min(n.end, name.end)].lower_ in g.coordinators), None)
            slots = {before, after} | ({tokens[partner.start - 1].lower_ if partner.start else "",
                                        tokens[partner.end].lower_ if partner.end < len(doc) else ""}
                                       if partner is not None and (partner.start, partner.end) in people else set())
            inverted = before in lex.name_slots_inverted and name.start >= 2 \
                and tokens[name.start - 2].text in (",", '"', "\u201d", "\u2019", "'")
            followed = any(p.search(text[name.end_char:name.end_char + 40]) for p in lex.name_followers)
            if before in ("'s", "’s") and len(name) >= 2:
                # "with Norland's Ana Morales as host": a known country's person; the country is her description
                affiliation, first = self._affiliation_before(doc, name.start)
                if affiliation is not None and self.gazetteer.actors[affiliation].kind == "country":
                    found.append((doc[first:name.end], self._person(name, None, affiliation)))
                    continue
            # ("Ana Morales, a former envoy, ..." and later "Morales, left behind once more, told reporters")
            # (not "the President of Norland A. Vask informed": a country first is no given name there)
            lone = name[-1].text in speakers and not self._given_name_state(name, surfaces)
            if inverted or followed or lone or before in lex.name_slots_before \
                    or after in lex.name_slots_after \
                    or any(w in lex.name_slots_before | lex.name_slots_after for w in slots - g.coordinators):
                found.append((name, self._person(name, None, None)))
        return found

    def _lone_speakers(self, doc: Doc) -> set[int]:
        """The indices of single capitalised words right before a reporting verb, or before an appositive between
        commas and the verb ("Morales said", "Morales, left behind once more, told reporters"): surnames, when the
        article also writes a two- or three-word name that ends in one, or family names written first."""
        tokens = _tokens(doc)
        found: set[int] = set()
        for token in tokens[1:]:
            if token.lower_ not in self.lexicon.report_verbs:
                continue
            index = token.i - 1
            if tokens[index].text == ",":
                index = next((i for i in range(index - 1, max(0, index - 12), -1) if tokens[i].text == ","), 0) - 1
            if index >= 0 and self._is_name_token(tokens[index]) \
                    and (tokens[index].is_sent_start or not self._is_name_token(tokens[index - 1])):
                found.add(index)
        return found

    def _given_name_state(self, name: Span, surfaces: set[str]) -> bool:
        """"Chad Morales", "Sofia Vask": a one-word country name or capital first, then a name word no gazetteer
        knows, is a person's given name and surname, not the state; "Niger Delta" and "Benin City" are
        gazetteer names of their own."""
        if len(name) < 2 or any(name[:width].text in surfaces for width in (2, 3)):
            return False
        hit = self.gazetteer.actor_surfaces.get(name[0].text)
        return hit is not None and (hit[0] == "metonym" or (
            hit[0] == "actor" and self.gazetteer.actors[hit[1]].kind == "country"))

    def _acronyms(self, doc: Doc, mentions: list[EntityMention]) -> list[EntityMention]:
        """"The NRF declared a ceasefire": an acronym no gazetteer knows, after "the", that is no initials of a body
        the article names in full, is an organisation of its own."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        covered = {i for m in mentions for i in range(m.start, m.end)}
        surfaces = self.gazetteer.actor_surfaces
        return [EntityMention(token.text, token.idx, token.idx + len(token.text), "organization",
                              slugify(token.text), token.text)
                for token in tokens[1:] if _ACRONYM.fullmatch(token.text)
                and tokens[token.i - 1].lower_ in g.definite and not tokens[token.i - 1].is_upper
                and token.idx not in covered and token.text not in surfaces
                and token.text not in self.lexicon.not_actor_acronyms]

    def _short_forms(self, doc: Doc, mentions: list[EntityMention],
                     local: dict[str, tuple[str, str]] | None = None) -> list[EntityMention]:
        """Later (or earlier) short names of the states and organisations found by their form: "X" and its
        demonym before a government noun for "the Republic of X" (or any state in ``local``), "X Coast" for "the
        X Coast Authority", its initials ("XCA"), and "the Authority" (or "the authority", for the heads in
        ``definite_org_heads``) when the article names one such body."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        surfaces = self.gazetteer.actor_surfaces
        lex = self.lexicon
        short: dict[str, EntityMention] = {}
        acronyms: dict[str, EntityMention] = {}
        heads: dict[str, dict[str, EntityMention]] = {}
        for mention in mentions:
            if mention.key in self.gazetteer.actors or mention.kind not in ("country", "organization") \
                    or mention.affiliation:
                continue
            words = mention.text.split()
            if mention.kind == "country" and (link := next((f" {w} " for w in g.of if f" {w} " in mention.text),
                                                           None)) is not None:
                short.setdefault(mention.text.split(link, 1)[1], mention)
            elif mention.kind == "organization" and len(words) >= 2 and mention.text == mention.name:
                short.setdefault(mention.name, mention)
                if len(words) >= 3 and words[-1] in lex.organisation_heads and "'" not in mention.text:
                    short.setdefault(" ".join(words[:-1]), mention)
                letters = initials(mention.text)
                if len(letters) >= 3:
                    acronyms.setdefault(letters, mention)        # "(KHPA)", "the KHPA's envoy"
                    # ("the Liberation Front of Kessary (FLK)": its own language's order, given in brackets)
                    if (given := _BRACKETED.match(_doc_text(doc), mention.end)) and _spells(letters, given[1]):
                        acronyms.setdefault(given[1], mention)
                if words[-1] in lex.organisation_heads:
                    heads.setdefault(words[-1], {}).setdefault(mention.key, mention)
                elif words[0] in lex.organisation_heads and words[1:2] and words[1] in g.of:
                    heads.setdefault(words[0], {}).setdefault(mention.key, mention)    # "the Compact of X"
        demonyms: dict[str, EntityMention] = {}
        for surface, (key, name) in (local or {}).items():
            target = next((m for m in mentions if m.key == key and m.kind == "country"), None) \
                or EntityMention(name, 0, 0, "country", key, name)
            if surface == name:
                short.setdefault(name, target)
            else:
                demonyms[surface] = target
        if not (short or acronyms or heads or demonyms):
            return []
        covered = {i for m in mentions for i in range(m.start, m.end)}
        lengths = {name: len(self.nlp.tokenizer(name)) for name in short}      # "People's" is two tokens
        extra: list[EntityMention] = []
        for token in tokens:
            if token.idx in covered:
                continue
            following = tokens[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
            if token.text in acronyms and token.is_upper:
                extra.append(_refer(token.text, token.idx, acronyms[token.text]))
                continue
            if token.i > 0 and tokens[token.i - 1].lower_ in g.definite and following not in g.of \
                    and (token.text in heads or (token.is_lower and token.text in lex.definite_org_heads)):
                # "the Front", "the council": the one body of that head the article names
                bodies = list(heads.get(token.text.capitalize(), {}).values())
                if len(bodies) == 1 and not (token.i + 1 < len(doc) and self._is_name_token(tokens[token.i + 1])):
                    extra.append(_refer(token.text, token.idx, bodies[0]))
                continue
            if not token.is_title:
                continue
            if token.text in demonyms and self._governs(doc, token.i + 1):
                extra.append(_refer(token.text, token.idx, demonyms[token.text]))
                continue
            for name, target in short.items():
                parts = name.split()
                span_end = min(token.i + lengths[name], len(doc))
                if name not in surfaces and _span_text(doc, token.i, span_end) == name:
                    # "in X" stays a place, as gazetteer countries do after a place preposition
                    if token.i > 0 and tokens[token.i - 1].lower_ in lex.place_prepositions:
                        break
                    extra.append(_refer(name, token.idx, target))
                    break
                stem = parts[0][:-1] if parts[0].endswith(("a", "e", "o")) else parts[0]
                if len(parts) == 1 and target.kind == "country" and self._governs(doc, span_end) \
                        and any(token.text == stem + ending for ending in lex.demonym_endings):
                    extra.append(_refer(token.text, token.idx, target))
                    break
        return extra

    def _gazetteer_mention(self, doc: Doc, span: Span) -> EntityMention | None:
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        gaz, lex = self.gazetteer, self.lexicon
        surface = span.text
        before = tokens[span.start - 1].lower_ if span.start > 0 else ""
        place_id = gaz.place_surfaces.get(surface)
        actor_hit = gaz.actor_surfaces.get(surface)
        following = tokens[span.end].lower_ if span.end < len(doc) else ""
        if place_id and (actor_hit is None or before in lex.place_prepositions or following in lex.venue_named_nouns):
            place = gaz.places[place_id]
            return EntityMention(surface, span.start_char, span.end_char, "place", place.id, place.name,
                                 place.wikidata)
        if actor_hit is None:
            return None
        kind, actor_id = actor_hit
        actor = gaz.actors[actor_id]
        if kind == "demonym":
            # "Norlandic" alone before a noun that is not the government ("Norlandic children") names nobody.
            if following not in lex.government_nouns and following not in g.coordinators \
                    and following not in (",", "-", "–"):
                if not (span.end < len(doc) and tokens[span.end].is_title):
                    return None
        return EntityMention(surface, span.start_char, span.end_char, actor.kind, actor.id, actor.name,
                             actor.wikidata, actor.title, actor.affiliation)

    def _is_name_token(self, token) -> bool:
        if token.text in self.lexicon.not_name_words:
            return False
        return token.is_title and (token.is_alpha or "-" in token.text or "'" in token.text)

    def _name_after(self, doc: Doc, start: int) -> Span | None:
        tokens = _tokens(doc)
        end, words, joined = start, 0, False
        while end < len(doc) and words < (5 if joined else 4):
            if self._is_name_token(tokens[end]) or self._name_tail(doc, end) or (
                    _INITIAL.fullmatch(tokens[end].text) and end + 1 < len(doc)
                    and self._is_name_token(tokens[end + 1])):
                end += 1     # ("Foreign Minister A. Vask": an initial before a name word is part of the name)
                words += 1
            elif end > start and self._joins_name(doc, end):
                end += 1     # "Majed al-Ansari", "Mohammed bin Abdulrahman Al Thani", "Ursula von der Leyen"
                joined = True
            else:
                break
        while end > start and not (self._is_name_token(tokens[end - 1]) or self._name_tail(doc, end - 1)):
            end -= 1
        return doc[start:end] if end > start else None

    def _state_name_after(self, doc: Doc, start: int) -> Span | None:
        """The short name of a state after "the Republic of": a name the gazetteer knows ends it, whatever capitals
        follow ("the President of the Republic of Norland Petro Kovalenko": a person named after it)."""
        name = self._name_after(doc, start)
        if name is not None and (cut := self._known_body_end(doc, name.start, name.end)) is not None:
            return doc[name.start:cut]
        return name

    def _person_start(self, doc: Doc, start: int, end: int) -> int:
        """Where a person's name starts in the run of capitals ``doc[start:end]``: after a body written before it
        with no comma (``_known_body_end``), unless the run follows "the" (then it is a body's own name)."""
        tokens = _tokens(doc)
        if start > 0 and tokens[start - 1].lower_ in self.lexicon.grammar.definite:
            return start
        return self._known_body_end(doc, start, end) or start

    def _known_body_end(self, doc: Doc, start: int, end: int) -> int | None:
        """Where a person's name starts in a run of capitals that opens with the body a title belongs to, written
        without a comma as translated statements do ("the Minister of Foreign Affairs of Norland Petro Kovalenko said",
        "the President of the Republic Ana Morales"): after the longest opening the gazetteer knows as an actor,
        or a state's own word, when two words left could be a person's name; else None."""
        tokens = _tokens(doc)
        lex = self.lexicon
        if any(t.text in lex.organisation_heads or t.text in lex.not_person_words or t.text in lex.state_suffixes
               for t in tokens[end - 2:end]):
            return None     # ("Norland Wildlife Council": an organisation's name, not a person's)
        for cut in range(end - 2, start, -1):
            if doc[start:cut].text in self.gazetteer.actor_surfaces or (
                    cut - start == 1 and tokens[start].text in lex.state_suffixes):
                return cut
        return None

    def _name_tail(self, doc: Doc, index: int) -> bool:
        """The lower-case end of a hyphenated given name ("Min-jun", "Seo-yeon"), not a suffix ("Vask-led")."""
        tokens = _tokens(doc)
        token = tokens[index]
        return index >= 3 and tokens[index - 1].text == "-" and not tokens[index - 2].whitespace_ \
            and self._is_name_token(tokens[index - 3]) \
            and not tokens[index - 1].whitespace_ and token.is_lower and token.is_alpha and len(token.text) <= 5 \
            and token.text not in self.lexicon.not_name_tails and self._is_name_token(tokens[index - 2])

    def _joins_name(self, doc: Doc, index: int) -> bool:
        """A lower-case particle or a hyphen inside a name, with a name word after it."""
        tokens = _tokens(doc)
        token = tokens[index]
        inside = token.lower_ in self.lexicon.name_particles or (
            token.text == "-" and not tokens[index - 1].whitespace_ and not token.whitespace_)
        return inside and index + 1 < len(doc) and (self._is_name_token(tokens[index + 1])
                                                    or self._joins_name(doc, index + 1)
                                                    or self._name_tail(doc, index + 1))

    def _body(self, doc: Doc, name: Span) -> EntityMention | None:
        """"The Harbour Concord said": a capitalised name after "the" is an organisation, never a person."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        if name.start == 0 or tokens[name.start - 1].lower_ not in g.definite \
                or name.text in self.gazetteer.actor_surfaces \
                or any(t.lower_ in self.title_words for t in name):
            return None
        return EntityMention(name.text, name.start_char, name.end_char, "organization", _org_key(name.text), name.text)

    def _described_bodies(self, doc: Doc) -> list[tuple[Span, EntityMention]]:
        """"the Harbour Concord, a regional bloc of six states, ...": an organisation by its appositive."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        found: list[tuple[Span, EntityMention]] = []
        for token in tokens[1:-2]:
            if token.text != "," or tokens[token.i + 1].lower_ not in g.indefinite:
                continue
            for word in tokens[token.i + 2:min(token.i + 8, len(doc))]:
                if word.is_punct:
                    break
                if word.lower_ in self.lexicon.organisation_appositives:
                    name = self._name_before(doc, token.i)
                    body = self._body(doc, name) if name is not None and len(name) >= 2 else None
                    if body is not None:
                        found.append((name, body))
                    break
        return found

    def _appositive_speaker(self, doc: Doc, after: int) -> list[tuple[Span, EntityMention]]:
        """"Aurel Vask, a Front spokesman, said", "Ana Morales, the president, gave": a name, then an
        appositive with a title word between commas; "X and Y, the foreign ministers of ...," names both."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        if after < 4 or tokens[after - 1].text != ",":
            return []
        opening = next((i for i in range(after - 2, max(0, after - APPOSITIVE_REACH), -1) if tokens[i].text == ","),
                       None)
        if opening is None or opening < 1:
            return []
        words = doc[opening + 1:after - 1]
        # ("Ana Ruiz, the Vestan diplomat who took over as mediator a fortnight ago, said": the title ends where a
        # relative clause about her begins)
        words = words[:next((t.i - words.start for t in words if t.lower_ in self.lexicon.relative_words), len(words))]
        # "Ana Ruiz, the chief negotiator, said" or "Ana Ruiz, Vesta's chief negotiator, said"
        owned = len(words) >= 3 and words[0].is_title and words[1].text in ("'s", "’s")
        # ("Ana Ruiz, special envoy of the Council, said": a lower-case title with no article)
        bare = bool(words) and words[0].is_lower and words[0].lower_ in self.title_words and not words[0].is_stop
        # ("Ivo Stenmark, its chief negotiator, said", "Aurel Vask, one of the Front's leaders, said")
        partitive = len(words) >= 3 and words[0].lower_ in g.partitive and words[1].lower_ in g.of
        if not words or not (owned or bare or partitive or words[0].lower_ in g.indefinite | g.definite | g.possessive):
            return []
        plural = words[0].lower_ in g.definite and any(t.lower_ in self.plural_words for t in words)
        # ("Ivo Stenmark, a counsel for the family, said": any description will do before a reporting
        # verb; a capitalised name after "the" is a body's, not a person's)
        speaks = after < len(doc) and tokens[after].lower_ in self.lexicon.report_verbs
        titled = any(t.lower_ in self.title_words and not t.is_stop for t in words)
        if not plural and not speaks and not titled:
            return []
        name = self._name_before(doc, opening)
        if name is None or len(name) < 2 or (speaks and name.start > 0 and tokens[name.start - 1].lower_ in g.definite):
            return []
        if plural:
            # both names of "X and Y, the foreign ministers of ...": their titles are each one's singular
            first = self._name_before(doc, name.start - 1) \
                if name.start >= 3 and tokens[name.start - 1].lower_ in g.coordinators \
                else None
            if first is None or len(first) < 2:
                return []
            return [(first, self._person(first, None, None)), (name, self._person(name, None, None))]
        title = words[2:].text if owned else words.text if bare or " " not in words.text \
            else words.text.split(" ", 1)[1]
        return [(name, self._person(name, title if titled else None, None))]

    def _names_coordinated(self, doc: Doc, start: int) -> list[Span]:
        """The names of "X and Y", "X, Y and Z" from ``start`` (empty unless "and" joins the last two)."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        names: list[Span] = []
        index = start
        while index < len(doc):
            name = self._name_after(doc, index)
            if name is None:
                break
            names.append(name)
            index = name.end
            if index < len(doc) and tokens[index].text == "," and index + 1 < len(doc) \
                    and tokens[index + 1].lower_ in g.coordinators:
                index += 1
            if index >= len(doc) or (tokens[index].text != "," and tokens[index].lower_ not in g.coordinators):
                break
            if tokens[index].lower_ in g.coordinators:
                last = self._name_after(doc, index + 1)
                return names + [last] if last is not None else []
            index += 1
        return []

    def _name_before(self, doc: Doc, end: int) -> Span | None:
        tokens = _tokens(doc)
        start, words = end, 0
        while start > 0 and words < 3:
            if self._is_name_token(tokens[start - 1]):
                start -= 1
                words += 1
            elif start < end and start >= 2 and self._joins_name(doc, start - 1) \
                    and (self._is_name_token(tokens[start - 2]) or self._joins_name(doc, start - 2)):
                start -= 1     # "Abdel Fattah al-Burhan said"
            else:
                break
        while start < end and not self._is_name_token(tokens[start]):
            start += 1
        if start == end:
            return None
        start = self._person_start(doc, start, end)
        # A sentence-initial capital ("The", "Officials") is not a name part unless the whole span is a name.
        return doc[start:end]

    def _affiliation_before(self, doc: Doc, start: int,
                            local: dict[str, tuple[str, str]] | None = None) -> tuple[str | None, int]:
        """"Vestan Foreign Minister ...", "Norland's foreign minister ..." -> (country id, first token); ``local``
        holds the article's states no gazetteer knows, by name and demonym."""
        tokens = _tokens(doc)
        index = start - 1
        if index >= 0 and tokens[index].text in ("'s", "’s"):
            index -= 1
        if index < 0:
            return None, start
        for width in (3, 2, 1):  # "U.S.", "United States", "the European Union"
            if index - width + 1 < 0:
                continue
            surface = doc[index - width + 1:index + 1].text
            hit = self.gazetteer.actor_surfaces.get(surface)
            if hit:
                return hit[1], index - width + 1
        if local and tokens[index].text in local:
            return local[tokens[index].text][0], index
        return None, start

    def _venue(self, doc: Doc, head: int) -> Span | None:
        """"the Lancaster House" (names before the venue word) or "Villa Borsig" (a name after it)."""
        tokens = _tokens(doc)
        start = head
        while start > 0 and tokens[start - 1].is_title and tokens[start - 1].text not in self.lexicon.not_name_words:
            start -= 1
        if start < head:
            return doc[start:head + 1]
        after = self._name_after(doc, head + 1)
        return doc[head:after.end] if after is not None else None

    def _person(self, name: Span, title: str | None, affiliation: str | None) -> EntityMention:
        known = self.gazetteer.actor_by_name(name.text)
        if known is not None:
            return EntityMention(name.text, name.start_char, name.end_char, known.kind, known.id, known.name,
                                 known.wikidata, title or known.title, affiliation or known.affiliation)
        kind = "organization" if any(t.lower_ in self.lexicon.organisation_words for t in name) else "person"
        return EntityMention(name.text, name.start_char, name.end_char, kind, slugify(name.text), name.text,
                             None, title, affiliation)

    # -- within-article reference -------------------------------------------
    def _resolve_references(self, doc: Doc, mentions: list[EntityMention], speakers: set[int]) -> list[EntityMention]:
        """Attach surnames, "the <title>" and pronouns to the people introduced in the article (``speakers``: the
        token indices of ``_lone_speakers``)."""
        tokens = _tokens(doc)
        g = self.lexicon.grammar
        people = [m for m in mentions if m.kind == "person"]
        particles = self.lexicon.name_particles
        by_surname: dict[str, EntityMention] = {}
        for person in people:
            parts = person.name.split()
            if len(parts) >= 2:
                by_surname.setdefault(parts[-1], person)
                # ("Piet de Groenhof", "Ursula von der Leyen": the particles before the last word are the surname's)
                first = len(parts) - 1
                while first > 1 and parts[first - 1].lower() in particles:
                    first -= 1
                by_surname.setdefault(" ".join(parts[first:]), person)
        # A surname that opens with a particle ("al-Sadoun", "de Groenhof") is written with a capital to open a
        # sentence: either way it is the person's
        particled = {surname: person for surname, person in by_surname.items()
                     if len(pieces := re.split(r"[\s-]", surname, maxsplit=1)) == 2 and pieces[0].lower() in particles}
        for surname in list(particled):
            particled.setdefault(surname[0].swapcase() + surname[1:], particled[surname])
        by_surname.update({surname: person for surname, person in particled.items() if surname not in by_surname})
        # ("King Vasko ... Vasko said": a one-word name the article gave a title is that person again alone, unless a
        # fuller name ends in it)
        for person in people:
            if " " not in person.name and person.title and person.wikidata is None:
                by_surname.setdefault(person.name, person)
        # "President Vask" in a headline, "Ana Vask" in the text: the surname alone is the person the article
        # names in full (a gazetteer's person keeps its own id)
        mentions = [_refer(m.text, m.start, by_surname[m.name])
                    if m.kind == "person" and m.wikidata is None and m.name in by_surname
                    and by_surname[m.name].key != m.key else m for m in mentions]
        people = [m for m in mentions if m.kind == "person"]
        # "Lin said" after "Lin Haoran", "Park, speaking through an interpreter, said" after "Park Joon-ho": a name
        # whose family name comes first, alone as the speaker, is the person last named with it (only as a speaker: a
        # first word alone elsewhere may be anything); so is the middle word of a three-word name, a first family
        # name ("Ruiz said" after "Tomas Ruiz Ferrer")
        by_family_name: dict[str, list[EntityMention]] = {}
        full_names: dict[str, EntityMention] = {}
        for person in people:
            parts = person.name.split()
            if len(parts) >= 2:
                by_family_name.setdefault(parts[0], []).append(person)
                full_names.setdefault(person.name, person)
            if len(parts) == 3:
                by_family_name.setdefault(parts[1], []).append(person)
        known = self.gazetteer.actor_surfaces.keys() | self.gazetteer.place_surfaces.keys()
        speakers = {i for i in speakers if tokens[i].text not in known}
        covered = {i for m in mentions for i in range(m.start, m.end)}
        extra: list[EntityMention] = []
        particle_lengths = {surname: len(self.nlp.tokenizer(surname)) for surname in particled}
        for token in tokens:
            if token.idx in covered:
                continue
            if token.lower_ in particles:
                # ("al-Sadoun" is three tokens, the first in lower case)
                surname = next((surname for surname, length in particle_lengths.items()
                                if _span_text(doc, token.i, token.i + length) == surname), None)
                if surname is not None:
                    extra.append(_refer(surname, token.idx, particled[surname]))
                    covered.update(range(token.idx, token.idx + len(surname)))
                    continue
            if not token.is_title:
                continue
            # a name written in full again is that person, the whole name ("Lin Mei" again, not "Mei")
            again = next((doc[token.i:token.i + len(name.split())] for name in full_names
                          if name.startswith(token.text)
                          and _span_text(doc, token.i, token.i + len(name.split())) == name), None)
            if again is not None:
                extra.append(_refer(again.text, again.start_char, full_names[again.text]))
                covered.update(range(again.start_char, again.end_char))
                continue
            target = by_surname.get(token.text)
            if target is None and token.i in speakers and token.text in by_family_name:
                target = _last_before(by_family_name[token.text], token.idx) or by_family_name[token.text][0]
            if target is not None:
                extra.append(_refer(token.text, token.idx, target))
        # Pronouns and "the <title>" refer to the last person mentioned before them.
        text = _doc_text(doc)
        ordered = sorted(mentions + extra, key=lambda m: m.start)
        titled = [m for m in ordered if m.kind == "person" and m.title]
        named = [m for m in ordered if m.kind == "person"]
        # (the same for every pronoun: worked out once)
        subjects = [m for m in named if not self._oblique(text, m, named)]
        titled_subjects = [m for m in subjects if m.title]
        for token in tokens:
            if token.idx in covered:
                continue
            if token.lower_ in self.lexicon.pronouns:
                previous = _last_before(subjects, token.idx) or _last_before(named, token.idx)
                if previous is not None:
                    extra.append(_refer(token.text, token.idx, previous))
            elif token.lower_ in g.definite and token.i + 1 < len(doc):
                before = [m for m in titled if m.start < token.idx]
                referred = self._by_title(doc, token.i, before) or self._by_title_head(
                    doc, token.i, [m for m in titled_subjects if m.start < token.idx] or before, self.single_titles)
                if referred is not None:
                    span, title_person = referred
                    extra.append(_refer(span.text, span.start_char, title_person))
        extra += self._turn_speakers(doc, people, covered)
        return sorted(mentions + extra, key=lambda m: m.start)

    @staticmethod
    def _by_title(doc: Doc, at: int, titled: list[EntityMention]) -> tuple[Span, EntityMention] | None:
        """"the foreign ministry spokesman" after a person given that title: the last such person before token ``at``."""
        for title_person in reversed(titled):
            title_words = title_person.title.lower().split()
            if title_words and _span_text(doc, at + 1, at + 1 + len(title_words)).lower() == " ".join(title_words):
                return doc[at:at + 1 + len(title_words)], title_person
        return None

    @staticmethod
    def _by_title_head(doc: Doc, at: int, titled: list[EntityMention],
                       single_titles: frozenset[str] = frozenset()) -> tuple[Span, EntityMention] | None:
        """"the president" after a person titled "President of Vesta", "the minister" after one titled "Foreign
        Minister" (the title's last word, when it is a title of its own: not "the delegation"): the last such person
        before token ``at`` (callers pass only the people named as subjects, when there are any: after "Morales wrote
        to Vask, the President of Norland", "the president" is Morales).  Not "the president of the assembly": a head
        with a complement of its own is someone else."""
        tokens = _tokens(doc)
        for title_person in reversed(titled):
            title = title_person.title.lower()
            if " of " in title:
                head = title.split(" of ")[0].split()
            elif " " in title and title.split()[-1] in single_titles:
                head = title.split()[-1:]
            else:
                continue
            end = at + 1 + len(head)
            if _span_text(doc, at + 1, end).lower() == " ".join(head) \
                    and (end >= len(doc) or tokens[end].lower_ not in ("of", "'s", "’s", "-")):
                return doc[at:end], title_person
        return None

    def _turn_speakers(self, doc: Doc, people: list[EntityMention], covered: set[int]) -> list[EntityMention]:
        """In a transcript, "I" within a turn labelled with a person's name in capitals ("VASK: I can announce ...")
        is that person, introduced in full elsewhere in the article; a turn runs to the next label ("Q:")."""
        tokens = _tokens(doc)
        text = _doc_text(doc)
        labels = list(_TURN_LABEL.finditer(text))
        if not labels:
            return []
        by_label: dict[str, EntityMention] = {}
        for person in people:
            by_label.setdefault(person.name.upper(), person)
            by_label.setdefault(person.name.split()[-1].upper(), person)
        turns = [(label.end(), labels[i + 1].start() if i + 1 < len(labels) else len(text),
                  by_label.get(" ".join(label.group(1).split())))
                 for i, label in enumerate(labels)]
        found: list[EntityMention] = []
        for token in tokens:
            if token.idx in covered or token.text not in self.lexicon.first_person:
                continue
            speaker = next((who for start, end, who in turns if start <= token.idx < end), None)
            if speaker is not None:
                found.append(_refer(token.text, token.idx, speaker))
        return found


    def _oblique(self, text: str, mention: EntityMention, people: list[EntityMention]) -> bool:
        """A person named as the object of a phrase ("between X and Y", "talks with X"), or coordinated with one."""
        # (only the mention's own sentence: "... on Monday.\n\nFormer President X hosted" is no "on X"; the name's
        # first letter is kept for the split, whose sentence end looks ahead at a capital)
        before = _SENTENCE_END.split(text[max(0, mention.start - 60):mention.start + 1])[-1][:-1]
        words = before.split()
        # a title before the name ("President", "Prime Minister"), not a capitalised sentence opener ("Meeting X")
        # nor the end of an opening phrase ("Visiting Tarsova on Monday, President X ...")
        while words and words[-1][:1].isupper() and words[-1].lower() not in self.lexicon.oblique_before \
                and not words[-1].endswith(","):
            # ("On Monday President X said": the preposition opens a time, not a phrase of the name)
            if words.pop().lower() in self.lexicon.time_words:
                return False
        if not words:
            return False
        if words[-1].lower() in self.lexicon.oblique_before:
            return True
        if words[-1].lower() in self.lexicon.grammar.coordinators | self.lexicon.grammar.alternatives:
            at = mention.start - len(before) + _last_word_at(before, words[-1])
            partner = _last_before(people, at)
            return partner is not None and at - partner.end <= 2 and self._oblique(text, partner, people)
        return False


# A line written in capitals: at least this many letters, nearly all of them capitals ...
_SHOUT_LETTERS = 20
_SHOUT_SHARE = 0.9
# (a quick test first: a text with no such run of capitals and some lower case is left as it is)
_SHOUTING = re.compile(r"[A-Z]{3,}[^a-z\n]{12,}[A-Z]{3,}")
_LOWER_RUN = re.compile(r"[a-z]{3,}")
_LETTERS = re.compile(r"[^\W\d_]+")
# ... whose sentences open with a capital: at the line's start, after a stop, a colon or a dash, or after the wide
# gap between a ticker's time and its text
_OPENING = re.compile(r"(?:^|[.!?:;—–-]\s+|\s{2,})[\"“‘'(]*([^\W\d_])")
# The longest gazetteer name a line in capitals is searched for, in words.
_NAME_WORDS = 5


def _shouts(line: str) -> bool:
    """Whether a line is written in capitals: enough letters, nearly all capitals.

    >>> _shouts("PERU AND CHILE AGREE TO SWAP PRISONERS"), _shouts("Peru and Chile meet"), _shouts("UN | EU | AU")
    (True, False, False)
    """
    upper = sum(1 for c in line if c.isupper())
    lower = sum(1 for c in line if c.islower())
    return upper + lower >= _SHOUT_LETTERS and upper >= _SHOUT_SHARE * (upper + lower)


# A transcript turn's label at the start of a line: a name in capitals, or a questioner's "Q", then a colon.
_TURN_LABEL = re.compile(r"^([A-Z][A-Z'’.-]*(?:[ \t]+[A-Z][A-Z'’.-]*){0,3}):[ \t]", re.MULTILINE)


def after_turn_label(text: str) -> str:
    """``text`` without the transcript turn label that opens it, if any: what the speaker says.

    >>> after_turn_label("VASK: At the signing, Morales said ...")
    'At the signing, Morales said ...'
    """
    label = _TURN_LABEL.match(text)
    return text[label.end():] if label else text


# The end of a sentence, or a line break, inside the text before a mention.
_SENTENCE_END = re.compile(r"[.!?][\"”’')]?\s+(?=[\"“‘']?[A-Z])|\n")
# An acronym that may name a body ("NRF", "KLF"): two to six capitals.
_ACRONYM = re.compile(r"[A-Z]{2,6}")
# An acronym in brackets right after a name: "the Union of the Northern Straits (UNS)"
_BRACKETED = re.compile(r"\s*\(([A-Z]{2,6})\)")
# A first-name initial ("A." in "A. Vask").
_INITIAL = re.compile(r"[A-Z]\.")


def _spells(letters: str, acronym: str) -> bool:
    """Whether an acronym is made of a name's initials: in their order, or (three or more) in another, as a name
    translated from the language the acronym was made in ("the Liberation Front of Kessary (FLK)").

    >>> _spells("UNS", "UNS"), _spells("LFK", "FLK"), _spells("NL", "LN"), _spells("CMA", "CMV")
    (True, True, False, False)
    """
    return letters == acronym or (len(acronym) >= 3 and sorted(letters) == sorted(acronym))


def _doc_text(doc: Doc) -> str:
    """The doc's text, joined once per doc (spaCy joins the tokens again on every ``Doc.text``)."""
    if "text" not in doc.user_data:
        doc.user_data["text"] = "".join([t.text + t.whitespace_ for t in _tokens(doc)])
    return doc.user_data["text"]


def _span_text(doc: Doc, start: int, end: int) -> str:
    """``doc[start:end].text`` for ``0 <= start``, cut from the doc's text: a ``Span`` joins its tokens again."""
    tokens = _tokens(doc)
    end = min(end, len(tokens))
    if start >= end:
        return ""
    return _doc_text(doc)[tokens[start].idx:tokens[end - 1].idx + len(tokens[end - 1].text)]


def _sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """The character offsets of ``doc.sents``, read off the token records: a sentence starts at the first token
    and at each later one whose ``is_sent_start`` is True, and ends where the last token's text does."""
    tokens = _tokens(doc)
    starts = [0] + [t.i for t in tokens[1:] if t.is_sent_start] if tokens else []
    ends = starts[1:] + [len(tokens)]
    return [(tokens[start].idx, tokens[end - 1].idx + len(tokens[end - 1].text)) for start, end in zip(starts, ends)]


class _Token(NamedTuple):
    """What the annotator reads of a spaCy token, copied once per doc (``_tokens``)."""
    i: int
    idx: int
    text: str
    lower_: str
    whitespace_: str
    is_title: bool
    is_alpha: bool
    is_lower: bool
    is_upper: bool
    is_punct: bool
    is_stop: bool
    is_sent_start: bool | None


def _tokens(doc: Doc) -> list[_Token]:
    """The doc's tokens as plain records, made once per doc once its pipeline has run: spaCy makes a new ``Token``
    on every ``doc[i]`` and every step of ``for token in doc``, and decodes a new string on every ``text`` and
    ``lower_``, while the annotator reads each token dozens of times."""
    if "tokens" not in doc.user_data:
        # (read off the doc's arrays, a column at a time: a Token's properties are read one at a time, and each of its
        # strings decoded anew)
        array = doc.to_array(_TOKEN_ATTRS)
        orths, lowers, idxs, spaces = (array[:, k].tolist() for k in range(4))
        flags = [array[:, k].astype(bool).tolist() for k in range(4, 10)]     # is_title ... is_stop
        starts = [_SENT_STARTS.get(value, False) for value in array[:, 10].tolist()]
        strings = doc.vocab.strings
        words = {key: strings[key] for key in {*orths, *lowers}}
        doc.user_data["tokens"] = list(map(tuple.__new__, repeat(_Token), zip(
            range(len(orths)), idxs, map(words.__getitem__, orths), map(words.__getitem__, lowers),
            map(("", " ").__getitem__, spaces), *flags, starts)))
    return doc.user_data["tokens"]


# What ``_tokens`` reads of each token, in ``_Token``'s order; and ``Token.is_sent_start`` of each value that an
# array of SENT_START holds (-1, not a start, as a uint64: any other value).
_TOKEN_ATTRS = [ORTH, LOWER, IDX, SPACY, IS_TITLE, IS_ALPHA, IS_LOWER, IS_UPPER, IS_PUNCT, IS_STOP, SENT_START]
_SENT_STARTS = {0: None, 1: True}


def _word_sets(doc: Doc) -> tuple[set[str], set[str], set[str]]:
    """The doc's capitalised words, those of them that do not open a sentence or follow a quotation mark, colon,
    dash or bracket, and its lower-case words: read in one pass, once per doc."""
    if "word_sets" not in doc.user_data:
        tokens = _tokens(doc)
        caps: set[str] = set()
        mid_caps: set[str] = set()
        lower: set[str] = set()
        previous = ""
        for token in tokens:
            if token.is_title and token.is_alpha:
                caps.add(token.text)
                if not token.is_sent_start and previous not in ('"', "“", ":", "—", "–", "-", "("):
                    mid_caps.add(token.text)
            if token.is_lower:
                lower.add(token.text)
            previous = token.text
        doc.user_data["word_sets"] = (caps, mid_caps, lower)
    return doc.user_data["word_sets"]


def _plural_title(title: str) -> str | None:
    """"Foreign Minister" -> "Foreign Ministers", "spokesman" -> "spokesmen", "Secretary" -> "Secretaries";
    none for abbreviations and titles with "of" ("Minister of Defence")."""
    words = title.split()
    last = words[-1]
    if " of " in f" {title} " or last.endswith(".") or len(last) < 3:
        return None
    if last.lower().endswith("man"):
        last = last[:-3] + last[-3:-2] + "en"
    elif last[-1] == "y" and last[-2].lower() not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "sh", "ch", "x")):
        last += "es"
    else:
        last += "s"
    return " ".join(words[:-1] + [last])


def _last_word_at(text: str, word: str) -> int:
    """Where the last occurrence of a whole word starts in ``text``."""
    found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    return found[-1] if found else len(text)


def _org_key(name: str) -> str:
    """An organisation's key: "the Highland People's Army" is highland-peoples-army, not highland-people-s-army."""
    return slugify(re.sub(r"['’](?=s\b)", "", name))


def _refer(text: str, start: int, target: EntityMention) -> EntityMention:
    return EntityMention(text, start, start + len(text), target.kind, target.key, target.name, target.wikidata,
                         target.title, target.affiliation)


def _titles_carried(mentions: list[EntityMention]) -> list[EntityMention]:
    """A person named again without a title ("President Ana Morales ... Ana Morales and Ivo Stenmark met") keeps the
    title the article last gave them (a later one replaces it: a minister who becomes council secretary).

    >>> from kg.records import EntityMention
    >>> first = EntityMention("President Ana Morales", 0, 21, "person", "ana-morales", "Ana Morales", title="President")
    >>> again = EntityMention("Ana Morales", 40, 51, "person", "ana-morales", "Ana Morales")
    >>> [m.title for m in _titles_carried([first, again])]
    ['President', 'President']
    """
    last: dict[str, str] = {}
    carried = []
    for mention in mentions:      # (in text order)
        if mention.kind == "person" and mention.title:
            last[mention.key] = mention.title
        elif mention.kind == "person" and mention.key in last:
            mention = replace(mention, title=last[mention.key])
        carried.append(mention)
    return carried


def _last_before(mentions: list[EntityMention], offset: int) -> EntityMention | None:
    previous = [m for m in mentions if m.end <= offset]
    return previous[-1] if previous else None


def _longest_non_overlapping(candidates: list[tuple[Span, EntityMention]]) -> list[EntityMention]:
    """Keep the longest span where candidates overlap (spaCy's filter_spans rule)."""
    ordered = sorted(candidates, key=lambda c: (-(c[0].end - c[0].start), c[0].start))
    taken: set[int] = set()
    kept: list[EntityMention] = []
    for span, mention in ordered:
        if any(i in taken for i in range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


@cache
def get_annotator() -> Annotator:
    """The process's annotator (built on first use: spaCy and the matchers load once)."""
    return Annotator()


def annotate(article: Article) -> AnnotatedArticle:
    """Annotate one article with the process's shared annotator."""
    return get_annotator().annotate(article)
