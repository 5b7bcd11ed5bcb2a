"""Annotate stage: sentences, actor and place mentions, and time expressions.

Sentences come from spaCy's rule-based sentencizer on a blank English
pipeline (no model download), with paragraph breaks as hard boundaries.
Entities come from the gazetteer (spaCy ``PhraseMatcher``) and from
patterns kept in ``data/lexicons/actors.toml``: a title before a name
("Foreign Minister Ana Morales"), a name before a reporting verb ("Jane Roe
said"), an appositive ("X, the head of Y").  Within an article, a later
surname ("Morales"), a title ("the foreign minister") or a pronoun ("he")
attaches to the person it refers back to.

Countries and their metonyms: a capital ("Kyiv") after a place preposition
("in Kyiv") is a place; anywhere else it stands for the country's
government, as does a demonym before a government noun ("the Ukrainian
delegation").  "The Kremlin", "the White House" are organisations of their
own, affiliated to their country (gazetteer rows).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer, load_gazetteer
from kg.ids import slugify
from kg.records import AnnotatedArticle, AnnotatedSentence, Article, EntityMention, Sentence
from kg.resources import load_toml
from kg.timex import find_times

_ORG_WORDS = {"ministry", "agency", "council", "office", "service", "news", "committee", "army", "forces",
              "party", "bank", "union", "organization", "organisation", "group", "front", "movement",
              "institute", "commission", "court", "parliament", "assembly", "government", "department"}


@Language.component("kg_paragraph_breaks")
def _paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headings and paragraphs never run together."""
    for token in doc[:-1]:
        if "\n" in token.text or token.text.endswith("\n"):
            doc[token.i + 1].is_sent_start = True
    return doc


@dataclass(frozen=True)
class _ActorLexicon:
    titles: tuple[str, ...]
    report_verbs: frozenset[str]
    report_prefixes: tuple[str, ...]
    pronouns: frozenset[str]
    oblique_before: frozenset[str]
    appositive_heads: tuple[str, ...]
    government_nouns: frozenset[str]
    not_name_words: frozenset[str]
    venue_words: frozenset[str]
    place_prepositions: frozenset[str]
    unknown_place_cues: tuple[str, ...]
    organisation_heads: frozenset[str]
    state_prefixes: tuple[str, ...]
    demonym_endings: tuple[str, ...]
    name_slots_before: frozenset[str]
    name_slots_after: frozenset[str]
    name_followers: tuple[re.Pattern[str], ...]
    name_slots_inverted: frozenset[str]
    not_person_words: frozenset[str]
    name_particles: frozenset[str]


@cache
def _actor_lexicon() -> _ActorLexicon:
    data = load_toml("lexicons", "actors.toml")
    return _ActorLexicon(
        titles=tuple(data["titles"]), report_verbs=frozenset(data["report_verbs"]),
        report_prefixes=tuple(data["report_prefixes"]), pronouns=frozenset(data["person_pronouns"]),
        oblique_before=frozenset(data["oblique_before"]),
        appositive_heads=tuple(data["appositive_heads"]), government_nouns=frozenset(data["government_nouns"]),
        not_name_words=frozenset(data["not_name_words"]), venue_words=frozenset(data["venue_words"]),
        place_prepositions=frozenset(data["place_prepositions"]),
        unknown_place_cues=tuple(data["unknown_place_cues"]),
        organisation_heads=frozenset(data["organisation_heads"]), state_prefixes=tuple(data["state_prefixes"]),
        demonym_endings=tuple(data["demonym_endings"]),
        name_slots_before=frozenset(data["name_slots_before"]), name_slots_after=frozenset(data["name_slots_after"]),
        name_followers=tuple(re.compile(p, re.IGNORECASE) for p in data["name_followers"]),
        name_slots_inverted=frozenset(data.get("name_slots_inverted", ())),
        not_person_words=frozenset(data["not_person_words"]),
        name_particles=frozenset(p.lower() for p in data.get("name_particles", ())))


class Annotator:
    """Holds the spaCy pipeline and matchers; build one per process and reuse it."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_gazetteer()
        self.lexicon = _actor_lexicon()
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("sentencizer")
        self.nlp.add_pipe("kg_paragraph_breaks", after="sentencizer")
        self.names = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        surfaces = set(self.gazetteer.actor_surfaces) | set(self.gazetteer.place_surfaces)
        self.names.add("NAME", list(self.nlp.tokenizer.pipe(sorted(surfaces))))
        self.titles = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.titles.add("TITLE", list(self.nlp.tokenizer.pipe(self.lexicon.titles)))
        self.prefixes = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.prefixes.add("REPORT", list(self.nlp.tokenizer.pipe(self.lexicon.report_prefixes)))
        self.place_cues = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.place_cues.add("PLACE", list(self.nlp.tokenizer.pipe(self.lexicon.unknown_place_cues)))
        self.appositives = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.appositives.add("APPOS", list(self.nlp.tokenizer.pipe(self.lexicon.appositive_heads)))
        # single words of titles: never part of an untitled name ("Foreign Minister X" is a titled one)
        self.title_words = frozenset(w.lower() for title in self.lexicon.titles for w in title.split())
        self.states = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.states.add("STATE", list(self.nlp.tokenizer.pipe(self.lexicon.state_prefixes)))

    # -- public -------------------------------------------------------------
    def annotate(self, article: Article) -> AnnotatedArticle:
        """Split ``article.text`` into sentences and attach entity and time mentions."""
        doc = self.nlp(article.text)
        entities = self._entities(doc)
        # A time cut out of a longer word is not that time: "the late 1980s" is a decade, not late 1980.
        times = [t for t in find_times(article.text, article.reference_date, publication=article.published)
                 if not article.text[t.end_char:t.end_char + 1].isalnum()]
        sentences: list[AnnotatedSentence] = []
        ents = sorted(entities, key=lambda e: e.start)
        ent_starts = [e.start for e in ents]
        time_starts = [t.start_char for t in times]   # find_times returns them in text order
        for index, sent in enumerate(s for s in doc.sents if s.text.strip()):
            start, end = sent.start_char, sent.end_char
            text = sent.text.rstrip()
            sentences.append(AnnotatedSentence(
                Sentence(index, start, start + len(text), text),
                tuple(ents[bisect_left(ent_starts, start):bisect_left(ent_starts, end)]),
                tuple(times[bisect_left(time_starts, start):bisect_left(time_starts, end)])))
        return AnnotatedArticle(article, tuple(sentences))

    # -- entity finding -----------------------------------------------------
    def _entities(self, doc: Doc) -> list[EntityMention]:
        lex = self.lexicon
        candidates: list[tuple[Span, EntityMention]] = []
        for _, start, end in self.names(doc):
            span = doc[start:end]
            mention = self._gazetteer_mention(doc, span)
            if mention:
                candidates.append((span, mention))
        for _, start, end in self.titles(doc):
            name = self._name_after(doc, end)
            if name is None:
                continue
            title_span = doc[start:end]
            affiliation, first = self._affiliation_before(doc, start)
            # The demonym or country before a title belongs to the person's description, not a party.
            candidates.append((doc[first:name.end], self._person(name, title_span.text, affiliation)))
        for _, start, end in self.appositives(doc):
            # "Jane Roe, the head of the delegation": name, comma, appositive head
            if start >= 2 and doc[start - 1].text == ",":
                name = self._name_before(doc, start - 1)
                if name is not None:
                    # "X, the head of the mission" names a post; "X, who heads ..." a role, not a title.
                    head = doc[start:min(end + 4, len(doc))]
                    title = None if doc[start].lower_ == "who" else \
                        re.split(r"[,.;]|\s(?:as|in|at|since|and|to|for)\b", head.text)[0].removeprefix("the ").strip()
                    candidates.append((name, self._person(name, title, None)))
        for token in doc:
            if token.lower_ in lex.report_verbs:
                name = self._name_before(doc, token.i)
                if name is not None and len(name) >= 2:
                    candidates.append((name, self._person(name, None, None)))
                found = self._appositive_speaker(doc, token.i)
                if found is not None:
                    candidates.append(found)
        for _, start, end in self.prefixes(doc):
            name = self._name_after(doc, end)
            if name is not None and len(name) >= 2:
                candidates.append((name, self._person(name, None, None)))
        for token in doc:
            if token.text in lex.venue_words:
                span = self._venue(doc, token.i)
                if span is not None:
                    candidates.append((span, EntityMention(span.text, span.start_char, span.end_char, "place",
                                                           slugify(span.text), span.text)))
        for _, start, end in self.place_cues(doc):
            name = self._name_after(doc, end)
            if name is not None and name.start > 0 and not any(t.is_sent_start for t in name):
                candidates.append((name, EntityMention(name.text, name.start_char, name.end_char, "place",
                                                       slugify(name.text), name.text)))
        candidates.extend(self._unknown_actors(doc))
        candidates.extend(self._untitled_people(doc))
        chosen = _longest_non_overlapping(candidates)
        return self._resolve_references(doc, chosen + self._short_forms(doc, chosen))

    def _unknown_actors(self, doc: Doc) -> list[tuple[Span, EntityMention]]:
        """States and organisations no gazetteer knows, named by their form: "the Republic of X" is a country,
        a capitalised name before a head noun ("X Coast Authority") an organisation."""
        found: list[tuple[Span, EntityMention]] = []
        surfaces = self.gazetteer.actor_surfaces
        for _, start, end in self.states(doc):
            name = self._name_after(doc, end)
            if name is None or doc[start:end].text in surfaces or name.text in surfaces:
                continue
            span = doc[start:name.end]
            found.append((span, EntityMention(span.text, span.start_char, span.end_char, "country",
                                              slugify(name.text), span.text)))
        for token in doc:
            if token.text not in self.lexicon.organisation_heads:
                continue
            start = token.i
            while start > 0 and token.i - start < 5 and self._is_name_token(doc[start - 1]):
                start -= 1
            span = doc[start:token.i + 1]
            if start == token.i or span.text in surfaces:
                continue
            # "the Sudanese Army", "Russia's Forces": a country's own body, not a side of its own.
            hit = surfaces.get(doc[start].text)
            if hit is None and start >= 2 and doc[start - 1].text in ("'s", "’s"):
                hit = surfaces.get(doc[start - 2].text)    # "Armenia's Security Council"
            affiliation = hit[1] if hit else None
            found.append((span, EntityMention(span.text, span.start_char, span.end_char, "organization",
                                              slugify(span.text), span.text, affiliation=affiliation)))
        return found

    def _untitled_people(self, doc: Doc) -> list[tuple[Span, EntityMention]]:
        """People named without a title, by the slot their two- or three-word name stands in: after "by",
        "between", "with"; before a meeting verb; coordinated with another person ("X and Y met")."""
        lex = self.lexicon
        surfaces = self.gazetteer.actor_surfaces.keys() | self.gazetteer.place_surfaces.keys()
        names: list[Span] = []
        i = 0
        while i < len(doc):
            name = self._name_after(doc, i) if self._is_name_token(doc[i]) else None
            if name is None:
                i += 1
                continue
            i = name.end
            # a name is two or three words none of which a gazetteer, a title or an organisation uses
            if not 2 <= len(name) <= 3 or any(t.text in surfaces or t.lower_ in self.title_words
                                               or t.lower_ in _ORG_WORDS or t.text in lex.organisation_heads
                                               or t.text in lex.venue_words or t.text in lex.not_person_words
                                               for t in name):
                continue
            names.append(name)
        people = {(n.start, n.end) for n in names}
        found: list[tuple[Span, EntityMention]] = []
        for name in names:
            before = doc[name.start - 1].lower_ if name.start > 0 else ""
            after = doc[name.end].lower_ if name.end < len(doc) else ""
            # "X and Y met": each of two coordinated names is a person when the pair stands in a slot
            partner = next((n for n in names if (n.start == name.end + 1 or n.end == name.start - 1)
                            and n is not name and doc[min(n.end, name.end)].lower_ in ("and", "&")), None)
            slots = {before, after} | ({doc[partner.start - 1].lower_ if partner.start else "",
                                        doc[partner.end].lower_ if partner.end < len(doc) else ""}
                                       if partner is not None and (partner.start, partner.end) in people else set())
            inverted = before in lex.name_slots_inverted and name.start >= 2 \
                and doc[name.start - 2].text in (",", '"', "\u201d", "\u2019", "'")
            followed = any(p.search(doc.text[name.end_char:name.end_char + 40]) for p in lex.name_followers)
            if inverted or followed or before in lex.name_slots_before or after in lex.name_slots_after \
                    or any(w in lex.name_slots_before | lex.name_slots_after for w in slots - {"and", "&"}):
                found.append((name, self._person(name, None, None)))
        return found

    def _short_forms(self, doc: Doc, mentions: list[EntityMention]) -> list[EntityMention]:
        """Later (or earlier) short names of the states and organisations found by their form: "X" and its
        demonym before a government noun for "the Republic of X", "X Coast" for "the X Coast Authority"."""
        surfaces = self.gazetteer.actor_surfaces
        short: dict[str, EntityMention] = {}
        for mention in mentions:
            if mention.key in self.gazetteer.actors or mention.kind not in ("country", "organization") \
                    or mention.affiliation:
                continue
            words = mention.text.split()
            if mention.kind == "country" and " of " in mention.text:
                short.setdefault(mention.text.split(" of ", 1)[1], mention)
            elif len(words) >= 3 and words[-1] in self.lexicon.organisation_heads:
                short.setdefault(" ".join(words[:-1]), mention)
        if not short:
            return []
        covered = {i for m in mentions for i in range(m.start, m.end)}
        lex = self.lexicon
        extra: list[EntityMention] = []
        for token in doc:
            if token.idx in covered or not token.is_title:
                continue
            for name, target in short.items():
                parts = name.split()
                span = doc[token.i:token.i + len(parts)]
                following = doc[span.end].lower_ if span.end < len(doc) else ""
                if span.text == name and span.text not in surfaces:
                    # "in X" stays a place, as gazetteer countries do after a place preposition
                    if token.i > 0 and doc[token.i - 1].lower_ in lex.place_prepositions:
                        break
                    extra.append(_refer(span.text, span.start_char, target))
                    break
                stem = parts[0][:-1] if parts[0].endswith(("a", "e", "o")) else parts[0]
                if len(parts) == 1 and target.kind == "country" and following in lex.government_nouns \
                        and any(token.text == stem + ending for ending in lex.demonym_endings):
                    extra.append(_refer(token.text, token.idx, target))
                    break
        return extra

    def _gazetteer_mention(self, doc: Doc, span: Span) -> EntityMention | None:
        gaz, lex = self.gazetteer, self.lexicon
        surface = span.text
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        place_id = gaz.place_surfaces.get(surface)
        actor_hit = gaz.actor_surfaces.get(surface)
        if place_id and (actor_hit is None or before in lex.place_prepositions):
            place = gaz.places[place_id]
            return EntityMention(surface, span.start_char, span.end_char, "place", place.id, place.name,
                                 place.wikidata)
        if actor_hit is None:
            return None
        kind, actor_id = actor_hit
        actor = gaz.actors[actor_id]
        if kind == "demonym":
            following = doc[span.end].lower_ if span.end < len(doc) else ""
            # "Ukrainian" alone before a noun that is not the government ("Ukrainian children") names nobody.
            if following not in lex.government_nouns and following not in ("and", ",", "-", "–"):
                if not (span.end < len(doc) and doc[span.end].is_title):
                    return None
        return EntityMention(surface, span.start_char, span.end_char, actor.kind, actor.id, actor.name,
                             actor.wikidata, actor.title, actor.affiliation)

    def _is_name_token(self, token) -> bool:
        if token.text in self.lexicon.not_name_words:
            return False
        return token.is_title and (token.is_alpha or "-" in token.text or "'" in token.text)

    def _name_after(self, doc: Doc, start: int) -> Span | None:
        end, words, joined = start, 0, False
        while end < len(doc) and words < (5 if joined else 4):
            if self._is_name_token(doc[end]):
                end += 1
                words += 1
            elif end > start and self._joins_name(doc, end):
                end += 1     # "Majed al-Ansari", "Mohammed bin Abdulrahman Al Thani", "Ursula von der Leyen"
                joined = True
            else:
                break
        while end > start and not self._is_name_token(doc[end - 1]):
            end -= 1
        return doc[start:end] if end > start else None

    def _joins_name(self, doc: Doc, index: int) -> bool:
        """A lower-case particle or a hyphen inside a name, with a name word after it."""
        token = doc[index]
        inside = token.lower_ in self.lexicon.name_particles or (
            token.text == "-" and not doc[index - 1].whitespace_ and not token.whitespace_)
        return inside and index + 1 < len(doc) and (self._is_name_token(doc[index + 1]) or self._joins_name(doc, index + 1))

    def _appositive_speaker(self, doc: Doc, verb: int) -> tuple[Span, EntityMention] | None:
        """"Getachew Reda, a TPLF spokesman, said": a name, then an appositive with a title word between commas,
        right before a reporting verb."""
        if verb < 4 or doc[verb - 1].text != ",":
            return None
        opening = next((i for i in range(verb - 2, max(0, verb - 12), -1) if doc[i].text == ","), None)
        if opening is None or opening < 1:
            return None
        words = doc[opening + 1:verb - 1]
        if not words or words[0].lower_ not in ("a", "an", "the") \
                or not any(t.lower_ in self.title_words for t in words):
            return None
        name = self._name_before(doc, opening)
        if name is None or len(name) < 2:
            return None
        title = words.text.split(" ", 1)[1] if " " in words.text else words.text
        return name, self._person(name, title, None)

    def _name_before(self, doc: Doc, end: int) -> Span | None:
        start, words = end, 0
        while start > 0 and words < 3:
            if self._is_name_token(doc[start - 1]):
                start -= 1
                words += 1
            elif start < end and start >= 2 and self._joins_name(doc, start - 1) \
                    and (self._is_name_token(doc[start - 2]) or self._joins_name(doc, start - 2)):
                start -= 1     # "Abdel Fattah al-Burhan said"
            else:
                break
        while start < end and not self._is_name_token(doc[start]):
            start += 1
        if start == end:
            return None
        # A sentence-initial capital ("The", "Officials") is not a name part unless the whole span is a name.
        return doc[start:end]

    def _affiliation_before(self, doc: Doc, start: int) -> tuple[str | None, int]:
        """"Turkish Foreign Minister ...", "Ukraine's foreign minister ..." -> (country id, first token)."""
        index = start - 1
        if index >= 0 and doc[index].text in ("'s", "’s"):
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
        return None, start

    def _venue(self, doc: Doc, head: int) -> Span | None:
        """"the Lancaster House" (names before the venue word) or "Villa Borsig" (a name after it)."""
        start = head
        while start > 0 and doc[start - 1].is_title and doc[start - 1].text not in self.lexicon.not_name_words:
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
        kind = "organization" if any(t.lower_ in _ORG_WORDS for t in name) else "person"
        return EntityMention(name.text, name.start_char, name.end_char, kind, slugify(name.text), name.text,
                             None, title, affiliation)

    # -- within-article reference -------------------------------------------
    def _resolve_references(self, doc: Doc, mentions: list[EntityMention]) -> list[EntityMention]:
        """Attach surnames, "the <title>" and pronouns to the people introduced in the article."""
        people = [m for m in mentions if m.kind == "person"]
        by_surname: dict[str, EntityMention] = {}
        for person in people:
            parts = person.name.split()
            if len(parts) >= 2:
                by_surname.setdefault(parts[-1], person)
        covered = {i for m in mentions for i in range(m.start, m.end)}
        extra: list[EntityMention] = []
        for token in doc:
            if token.idx in covered:
                continue
            target = by_surname.get(token.text) if token.is_title else None
            if target is not None:
                extra.append(_refer(token.text, token.idx, target))
        # Pronouns and "the <title>" refer to the last person mentioned before them.
        ordered = sorted(mentions + extra, key=lambda m: m.start)
        titled = [m for m in ordered if m.kind == "person" and m.title]
        for token in doc:
            if token.idx in covered:
                continue
            if token.lower_ in self.lexicon.pronouns:
                named = [m for m in ordered if m.kind == "person"]
                previous = _last_before([m for m in named if not self._oblique(doc, m, named)], token.idx) \
                    or _last_before(named, token.idx)
                if previous is not None:
                    extra.append(_refer(token.text, token.idx, previous))
            elif token.lower_ == "the" and token.i + 1 < len(doc):
                for title_person in reversed([m for m in titled if m.start < token.idx]):
                    title_words = title_person.title.lower().split()
                    tail = doc[token.i + 1: token.i + 1 + len(title_words)].text.lower()
                    if title_words and tail == " ".join(title_words):
                        span = doc[token.i: token.i + 1 + len(title_words)]
                        extra.append(_refer(span.text, span.start_char, title_person))
                        break
        return sorted(mentions + extra, key=lambda m: m.start)


    def _oblique(self, doc: Doc, mention: EntityMention, people: list[EntityMention]) -> bool:
        """A person named as the object of a phrase ("between X and Y", "talks with X"), or coordinated with one."""
        before = doc.text[max(0, mention.start - 60):mention.start]
        words = before.split()
        while words and words[-1][:1].isupper():    # a title before the name ("President", "Prime Minister")
            words.pop()
        if not words:
            return False
        if words[-1].lower() in self.lexicon.oblique_before:
            return True
        if words[-1].lower() in ("and", "or"):
            at = mention.start - len(before) + _last_word_at(before, words[-1])
            partner = _last_before(people, at)
            return partner is not None and at - partner.end <= 2 and self._oblique(doc, partner, people)
        return False


def _last_word_at(text: str, word: str) -> int:
    """Where the last occurrence of a whole word starts in ``text``."""
    found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
    return found[-1] if found else len(text)


def _refer(text: str, start: int, target: EntityMention) -> EntityMention:
    return EntityMention(text, start, start + len(text), target.kind, target.key, target.name, target.wikidata,
                         target.title, target.affiliation)


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
