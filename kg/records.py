"""Typed records exchanged between pipeline stages.

Data flows one way: ``RawDocument`` (read) -> ``Article`` (clean) ->
``AnnotatedArticle`` (annotate) -> ``EventMention`` (extract) ->
``Event`` / ``Actor`` (resolve) -> graph / exports.  Every record is a
frozen dataclass so stages stay pure functions of their inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.english import Reading

# Precision values a time value may carry (timex); events.json maps the
# finer ones (season, open) onto its own closed list.
TIME_PRECISIONS = ("day", "week", "month", "quarter", "season", "year", "interval", "open")
EVENT_PRECISIONS = ("day", "week", "month", "quarter", "year", "interval", "unknown")
MODALITIES = ("occurred", "scheduled", "proposed", "expected", "threatened",
              "demanded", "cancelled", "denied")


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One article as found on disk, before cleaning."""

    origin: str                 # file path, plus "#<n>" for the n-th record of a JSON(L) file
    format: str                 # txt | json | jsonl | html | feed
    text: str
    title: str | None = None
    published: str | None = None   # as written in the source; parsed by clean
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class SkippedDocument:
    """An input that could not be read, with a reason a person can act on."""

    origin: str
    reason: str
    failed: bool = False        # our failure (an exception, a crashed worker), not the input's: retried next run


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: body text without web junk, and its dates."""

    id: str
    origin: str
    title: str
    text: str
    published: date | None
    reference_date: date
    url: str | None = None
    source: str | None = None
    dateline_place: str | None = None
    dropped_lines: int = 0


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A temporal expression found in text and normalised against an anchor.

    ``start``/``end`` are inclusive; both are ``None`` for a bare duration.
    ``anchor`` says what it was resolved against: ``absolute`` (fully
    written), ``reference`` (the article's reference date), ``previous``
    (the time of the event just mentioned) or ``none``.
    """

    text: str
    start_char: int
    end_char: int
    start: date | None
    end: date | None
    precision: str               # one of TIME_PRECISIONS
    edtf: str
    anchor: str = "reference"
    anchor_date: date | None = None
    modifier: str | None = None  # START | MID | END | APPROX | BEFORE | AFTER
    kind: str = "date"           # date | range | duration
    duration_days: tuple[int, int] | None = None

    def names_day(self, day: date | None) -> bool:
        """Whether ``day`` is written as a whole day at one end of the value ("since May 4", not "since 2043").

        >>> since = TimeValue("since May 4", 0, 11, date(2043, 5, 4), None, "open", "2043-05-04/..")
        >>> since.names_day(date(2043, 5, 4)), since.names_day(date(2043, 5, 5))
        (True, False)
        """
        return day is not None and day.isoformat() in self.edtf.split("/")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int                   # character offsets into Article.text
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A span naming an actor or a place, resolved to a canonical key when known."""

    text: str
    start: int                   # character offsets into Article.text
    end: int
    kind: str                    # person | organization | country | media | place
    key: str                     # canonical id (gazetteer id or derived slug)
    name: str                    # canonical display name
    wikidata: str | None = None
    title: str | None = None     # "Foreign Minister", "spokesman" ... found by a title pattern (or the last one given)
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class AnnotatedSentence:
    sentence: Sentence
    entities: tuple[EntityMention, ...]
    times: tuple[TimeValue, ...]


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    article: Article
    sentences: tuple[AnnotatedSentence, ...]
    # how the annotator's spaCy pipeline read the article, which the extractor reads the sentences' words off (not
    # data: no part of the record's value; None for a record made otherwise)
    reading: Reading | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Participant:
    actor: str                   # canonical actor key
    name: str
    role: str                    # delegation_head, party, mediator, host, issuer, target, speaker, ...


@dataclass(frozen=True, slots=True)
class Source:
    article: str                 # article id
    sentence: str
    sentence_index: int
    url: str | None = None
    published: date | None = None
    title: str | None = None
    char_start: int | None = None   # the trigger's offsets in the article's cleaned text
    char_end: int | None = None
    trigger: str | None = None      # the words that signal the event, for highlighting
    origin: str | None = None       # the input file (and record number) the article came from
    reference_date: date | None = None  # the article's reference date (dateline, else publication)
    sentence_start: int | None = None   # the sentence's offset in the article's cleaned text


@dataclass(frozen=True, slots=True)
class EventMention:
    """One sentence's report of an event, before merging across articles."""

    type: str                    # concept name from the event-type scheme, e.g. TalkRound
    trigger: str
    source: Source
    time: TimeValue | None
    modality: str = "occurred"
    participants: tuple[Participant, ...] = ()
    places: tuple[tuple[str, str], ...] = ()          # (place key, display name)
    quantities: tuple[tuple[str, int | float], ...] = ()
    attribution: str | None = None                    # actor key of who reports / claims it
    ordinal: int | None = None                        # "the third round" -> 3
    topic: str | None = None                          # what a proposal is of: "a ceasefire" -> ceasefire


@dataclass(frozen=True, slots=True)
class Claim:
    """One report of an event's time, kept when reports disagree."""

    start: date | None
    end: date | None
    precision: str
    time_text: str
    attribution: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: str                    # person | organization | country | media
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    title: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A real-world event after merging all the mentions that report it."""

    id: str
    type: str
    label: str
    start: date | None
    end: date | None
    precision: str               # one of EVENT_PRECISIONS
    time_text: str
    modality: str
    participants: tuple[Participant, ...]
    places: tuple[Place, ...]
    quantities: tuple[tuple[str, int | float], ...]
    sources: tuple[Source, ...]
    claims: tuple[Claim, ...] = ()       # non-empty only when reports conflict
    resolution_note: str | None = None   # why the resolved time was chosen
    ordinal: int | None = None
    process: str | None = None           # process id
    edtf: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A dated edge between two events (next, revises, deadline_of ...)."""

    source: str
    target: str
    type: str
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Process:
    id: str
    label: str
    events: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything the resolve stage produces: what graph, exports and viewer consume."""

    articles: tuple[Article, ...]
    events: tuple[Event, ...]
    actors: tuple[Actor, ...]
    links: tuple[Link, ...] = ()
    processes: tuple[Process, ...] = ()
    skipped: tuple[SkippedDocument, ...] = ()
    unplaced_mentions: int = 0    # mentions with no time that matched no dated event: left out, counted
    unattributed_mentions: int = 0    # mentions of events no report ties to any actor: left out, counted


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """What the per-article stages (clean, annotate, extract) hand to resolve."""

    article: Article
    mentions: tuple[EventMention, ...]
    actors: tuple[Actor, ...]     # every actor the article mentions, with kind, title and affiliation
