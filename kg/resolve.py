"""Resolve stage: canonical actors, one event per real event, processes and dated links.

Merging rules (documented in the README, "How events are merged"):

1. Within an article, mentions of one type merge when their times are
   compatible; an undated mention joins the nearest dated mention of its type
   before it (else after it, if not dated more than ``LEAD_RECALL_DAYS`` before
   the article) in the same article, never a plan dated after the article if it
   reports what happened.  Two plans of one article on
   different days are two events unless two voices give them (a conflict).
2. Across articles, candidates are blocked by event type and swept in time
   order, so no event is compared with events far from it in time.  Two
   clusters merge when their intervals overlap (a day-level report may sit
   up to ``SCHEDULE_SLACK_DAYS`` away from another when one of them is only
   scheduled or expected and they share a side, doer or delegation head's
   side, or an ordinal), their ordinals ("third round") agree (those of
   their dated reports, when they have any: an undated report sits in its
   cluster only by where it stands in its article), their cities
   agree, their parties (with the sides they stand for) are not disjoint in a
   role both name (unless each names one party the other's article names:
   the two halves of one exchange), and something ties them to one process: a
   side or doer of one named in the other's article, a person both articles
   name, or a place both give (type and time alone are no evidence).  An
   undated report its article kept apart from that article's dated events
   never joins them through reports of other articles.  A
   numbered event never reported as held joins the event of that number in its
   process up to ``RESCHEDULE_DAYS`` later: it was put off.
3. Day-level clusters merge first; a coarse one ("in May", "early June")
   then joins the single best day-level cluster it contains, so a month
   never bridges two distinct rounds.  Before that, a report spanning a few
   days of a multi-day type takes in the single-day reports inside it (its
   stages), and the event is dated by that span.
4. Reports that disagree at day level ("Wednesday" vs. "between July 23 and
   24"; 1,000 vs. 1,200 prisoners) are kept as claims with their sources and
   attribution; the event's value prefers a day to a coarser span, then
   reports of what occurred over schedules (and among schedules the latest
   report), then the most precise, then the most reported, then the report
   written closest to the date it gives.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from heapq import heappop, heappush
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from kg.extract import load_event_types
from kg.extract.participants import DURATIONS, EXTENSIONS
from kg.gazetteer import Gazetteer, initials, load_gazetteer
from kg.ids import make_id
from kg.records import (Actor, ArticleResult, Claim, Corpus, Event, EventMention, Link, Participant, Place,
                        Process, SkippedDocument, TimeValue)

SCHEDULE_SLACK_DAYS = 2
# How far from its report an event may be for an undated mention of it to join it.
BACKGROUND_DAYS = 180
# Reports of one ultimatum (same issuer and length) may date it this many days apart ("Monday" vs. "Tuesday").
IDENTITY_SLACK_DAYS = 7
# How long before its report an event dated only later in an article may be what the article's undated opening
# reports (a next-week piece may still lead with it).
LEAD_RECALL_DAYS = 7
# A numbered event still only planned ("the third round, set for May 4") may be put off by this many days and stay
# the same event when a later report gives its new day ("the third round will now take place on May 18").
RESCHEDULE_DAYS = 31
# A claim spanning at most this many days is "day level": such claims can conflict with each other.
DAY_LEVEL_SPAN = 3
PROCESS_FAMILIES = {
    "TalkRound": "talks", "LeadersMeeting": "talks",
    "Ultimatum": "ultimatum", "Deadline": "ultimatum", "SanctionThreat": "ultimatum",
    "PrisonerExchange": "exchanges", "BodiesReturn": "exchanges",
}
# Roles that make an undated event worth keeping: it says who did what to whom.
IDENTIFYING_ROLES = ("issuer", "appointee", "proposer")
# Who acts alone in an event: two statements by different speakers are two events.
AGENT_ROLES = ("speaker", "appointee", "proposer")
# The roles of the sides an event is between or aimed at.
SIDE_ROLES = ("party", "issuer", "target")
# Who an event is of: a report naming any of them names its side (or doer).
WHOSE_ROLES = SIDE_ROLES + AGENT_ROLES + ("delegation_head",)
MAIN_ROLES = ("party", "delegation_head", "issuer", "target", "speaker", "appointee", "proposer")
# Modalities that look ahead: a report of one is about something still to come when it is written.  A report that
# something was called off or did not happen looks back, like one of what happened.
PLAN_MODALITIES = ("scheduled", "expected", "proposed", "demanded", "threatened")
# An initial standing for a given name ("A.", "J.-P.").
_INITIAL = re.compile(r"[A-Z]\.(?:-[A-Z]\.)?")


class _Unset:
    """"Not computed yet"; pickles to itself, so clusters can be merged in other processes (kg.cluster)."""

    def __reduce__(self) -> str:
        return "_UNSET"


_UNSET = _Unset()
BlockMapper = Callable[..., Iterable[list["_Cluster"]]]


@dataclass
class _Cluster:
    type: str
    mentions: list[EventMention] = field(default_factory=list)
    staged: bool = False         # holds the stages of one event on several days (``Resolver._join_stages``)
    # who the articles of its reports name anywhere (actors and the sides they stand for): its process's context
    context: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()     # the people among them
    # the side each actor of its reports stands for, where known (Norland's foreign minister: Norland)
    stands_for: dict[str, str] = field(default_factory=dict)
    _interval: object = field(default=_UNSET, repr=False, compare=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def dated(self) -> list[EventMention]:
        return [m for m in self.mentions if m.time is not None and m.time.start is not None]

    def add(self, mentions: Iterable[EventMention]) -> None:
        self.mentions.extend(mentions)
        self._interval = _UNSET
        self._memo.clear()

    def absorb(self, other: _Cluster) -> None:
        """Take in the reports of a cluster from other articles, and what those articles name (and its stages: a
        cluster holding stages keeps them as stages whichever side of a merge it is on)."""
        self.add(other.mentions)
        self.staged = self.staged or other.staged
        self.context |= other.context
        self.people |= other.people
        if other.stands_for.keys() - self.stands_for.keys():
            self.stands_for = {**other.stands_for, **self.stands_for}   # a new map: clusters of one article share one

    def _remember(self, name: str, compute: Callable[[], Any]) -> Any:
        # The sweep asks each open cluster the same questions for every newcomer: answer once per content.
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    def interval(self) -> tuple[date, date] | None:
        """The most precise reported span (cached: the sweep asks for it many times per cluster)."""
        if self._interval is _UNSET:
            spans = [(m.time.start, m.time.end or m.time.start) for m in self.dated]  # type: ignore[union-attr]
            self._interval = min(spans, key=lambda s: (s[1] - s[0], s)) if spans else None
        return self._interval  # type: ignore[return-value]

    def is_day_level(self) -> bool:
        span = self.interval()
        return span is not None and (span[1] - span[0]).days < DAY_LEVEL_SPAN

    def ordinals(self) -> set[int]:
        return self._remember("ordinals", lambda: {m.ordinal for m in self.mentions if m.ordinal})

    def topics(self) -> set[str]:
        """What its reports say it is of (a proposal of a meeting, of a truce ...)."""
        return self._remember("topics", lambda: {m.topic for m in self.mentions if m.topic})

    def dated_ordinals(self) -> set[int]:
        """The ordinals its dated reports give (all its reports' when none is dated): an undated report is in its
        cluster only by where it stands in its article ("no date is set for a fourth round", after a round held on
        Wednesday), so across articles its number does not tell the event apart from others of its day."""
        def compute() -> set[int]:
            return {m.ordinal for m in self.dated if m.ordinal} if self.dated else self.ordinals()
        return self._remember("dated_ordinals", compute)

    def agents(self) -> set[str]:
        return self._remember("agents", lambda: {p.actor for m in self.mentions for p in m.participants
                                                 if p.role in AGENT_ROLES})

    def parties(self) -> set[str]:
        return self._remember("parties", lambda: {p.actor for m in self.mentions for p in m.participants
                                                  if p.role in SIDE_ROLES})

    def core_parties(self) -> set[str]:
        """The parties that at least a third of its reports naming any party name (a summit of Morales and Vask that a
        few reports also tie to Stenmark, who was not there, is still Morales and Vask's)."""
        def compute() -> set[str]:
            named = [{p.actor for p in m.participants if p.role in SIDE_ROLES} for m in self.mentions]
            named = [n for n in named if n]
            counts = Counter(a for n in named for a in n)
            return {a for a, c in counts.items() if 3 * c >= len(named)}
        return self._remember("core_parties", compute)

    def party_sides(self) -> set[str]:
        """Its parties, with the side each stands for: "Norland" and "Norland's foreign ministry" are not disjoint."""
        return self._remember("party_sides", lambda: self.parties() | {
            self.stands_for[a] for a in self.parties() if a in self.stands_for})

    def named_sides(self) -> set[str]:
        """Whose event it is: its sides, doers and delegation heads, with the side each stands for (a report naming
        only Norland's negotiator names Norland)."""
        def compute() -> set[str]:
            named = {p.actor for m in self.mentions for p in m.participants if p.role in WHOSE_ROLES}
            return named | {self.stands_for[a] for a in named if a in self.stands_for}
        return self._remember("named_sides", compute)

    def as_sides(self, actors: set[str]) -> set[str]:
        """Each actor replaced by the side it stands for (Norland's negotiator is Norland)."""
        return {self.stands_for.get(actor, actor) for actor in actors}

    def side_roles(self) -> set[str]:
        return self._remember("side_roles", lambda: {p.role for m in self.mentions for p in m.participants
                                                     if p.role in SIDE_ROLES})

    def main_actors(self) -> set[str]:
        return self._remember("main_actors", lambda: {p.actor for m in self.mentions for p in m.participants
                                                      if p.role in MAIN_ROLES})

    def articles(self) -> set[str]:
        return self._remember("articles", lambda: {m.source.article for m in self.mentions})

    def places(self) -> set[str]:
        return self._remember("places", lambda: {key for m in self.mentions for key, _ in m.places})

    def figures(self) -> set[tuple[str, int | float]]:
        """The counts its reports give, as (quantity, value) pairs."""
        return self._remember("figures", lambda: {q for m in self.mentions for q in m.quantities})

    def identified(self) -> bool:
        return self._remember("identified", lambda: any(p.role in IDENTIFYING_ROLES for m in self.mentions
                                                        for p in m.participants))

    def first_report(self) -> date | None:
        def earliest() -> date | None:
            dates = [m.source.reference_date or m.source.published for m in self.mentions
                     if m.source.reference_date or m.source.published]
            return min(dates) if dates else None
        return self._remember("first_report", earliest)

    def tentative(self) -> bool:
        """Only planned, proposed, expected ... never reported as having happened."""
        return self._remember("tentative", lambda: all(m.modality != "occurred" for m in self.mentions))

    def planned(self) -> bool:
        """Only ever reported as something to come (scheduled, expected, proposed ...), never as called off,
        denied or happened."""
        return self._remember("planned", lambda: all(m.modality in PLAN_MODALITIES for m in self.mentions))


def _spans_overlap(a: tuple[date, date], b: tuple[date, date], slack: int = 0) -> bool:
    return a[0] - timedelta(days=slack) <= b[1] and b[0] - timedelta(days=slack) <= a[1]


class Resolver:
    """Turns every article's mentions into canonical actors, merged events, processes and links."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_gazetteer()
        self.types = load_event_types()

    # -- public -------------------------------------------------------------
    def resolve(self, results: Iterable[ArticleResult], skipped: Sequence[SkippedDocument] = (),
                map_blocks: BlockMapper = map) -> Corpus:
        """Merge every article's mentions into events, processes and links.

        Cross-article merging runs once per block (an event type) through ``map_blocks``, which has the
        signature of the builtin ``map``; a cluster engine passes its own to merge blocks in parallel.
        """
        results = sorted(results, key=lambda r: (r.article.published or r.article.reference_date, r.article.id))
        articles = tuple(r.article for r in results)
        actors = self._actors(results)
        alias = self._actor_aliases(actors)
        clusters: list[_Cluster] = []
        for result in results:
            mentions = [_no_own_side_target(self._canonical(m, alias), actors) for m in result.mentions]
            context = self._context(result, mentions, actors, alias)
            people = frozenset(a for a in context if a in actors and actors[a].kind == "person")
            stands_for = self._stands_for(mentions, actors)
            for cluster in self._within_article(mentions):
                cluster.context, cluster.people, cluster.stands_for = context, people, stands_for
                clusters.append(cluster)
        merged = self._across_articles(clusters, map_blocks)
        # An undated report is background to an event reported elsewhere; when it matched none it is counted,
        # not made an event, nor is an undated denial or an undated plan naming no two sides ("talks will focus
        # on further exchanges" places nothing on a timeline, nor one only said to be set or expected). Undated events
        # that say who did what to whom are kept (an ultimatum with its issuer, a proposal with its proposer, a
        # meeting proposed between X and Y).
        placed: list[_Cluster] = []
        unplaced = 0
        for cluster in merged:
            # the doer (the type's first required role) must be named by some report: "the original ultimatum,
            # issued on March 3" that joined no report naming its issuer is left out
            required = self.types[cluster.type].required_roles[:1] if cluster.type in self.types else ()
            if not set(required) <= {p.role for m in cluster.mentions for p in m.participants}:
                unplaced += len(cluster.mentions)
            elif cluster.interval() is not None or cluster.identified() or (
                    cluster.tentative() and len(cluster.parties()) >= 2
                    and any(m.modality not in ("denied", "scheduled", "expected") for m in cluster.mentions)):
                placed.append(cluster)
            else:
                unplaced += len(cluster.mentions)
        events = [self._event(c, actors) for c in placed]
        events = self._deadlines_of(events)
        # An event no report ties to any actor (no side, doer, speaker or target: "the truce took effect at noon" in a
        # piece whose sides were not recognised) is counted, not kept: an event of nobody joins no process and cannot
        # be told from another of its type that day.  (Counted after the deadlines are derived: a deadline whose
        # reports name no one takes the issuer and target of the ultimatum it is computed from.)
        unattributed = sum(len(e.sources) for e in events if not e.participants)
        events = [e for e in events if e.participants]
        events = _unique_ids(sorted(events, key=_event_order))
        processes, links = self._processes(events)
        by_process = {e: p.id for p in processes for e in p.events}
        events = [replace(e, process=by_process.get(e.id)) for e in events]
        used = {p.actor for e in events for p in e.participants} | \
               {c.attribution for e in events for c in e.claims if c.attribution}
        final_actors = tuple(sorted((a for a in actors.values() if a.id in used), key=lambda a: a.id))
        return Corpus(articles=articles, events=tuple(events), actors=final_actors, links=tuple(links),
                      processes=tuple(processes), skipped=tuple(skipped), unplaced_mentions=unplaced,
                      unattributed_mentions=unattributed)

    # -- actors -------------------------------------------------------------
    def _actors(self, results: Sequence[ArticleResult]) -> dict[str, Actor]:
        actors: dict[str, Actor] = {}
        for result in results:
            for actor in result.actors:
                known = self.gazetteer.actors.get(actor.id)
                if known is not None:
                    actors[actor.id] = known
                    continue
                current = actors.get(actor.id)
                if current is None:
                    actors[actor.id] = actor
                else:  # keep the richest description seen
                    actors[actor.id] = replace(current, title=current.title or actor.title,
                                               affiliation=current.affiliation or actor.affiliation)
        return actors

    @staticmethod
    def _actor_aliases(actors: dict[str, Actor]) -> dict[str, str]:
        """A bare surname ("Mirzoyan") seen in an article without the full name joins the full name, and so does a
        surname after initials ("A. Mirzoyan") the full name's first name starts with; so do an organisation's
        initials ("the CLA") seen without its name, when one organisation of the corpus has them."""
        by_surname: dict[str, set[str]] = defaultdict(set)
        by_initials: dict[str, set[str]] = defaultdict(set)
        for actor in actors.values():
            parts = actor.name.split()
            if actor.kind == "person" and len(parts) >= 2:
                by_surname[parts[-1].lower()].add(actor.id)
            elif actor.kind == "organization" and len(parts) >= 3:
                by_initials[initials(actor.name)].add(actor.id)
        alias: dict[str, str] = {}
        for actor in actors.values():
            parts = actor.name.split()
            if actor.kind == "person" and len(parts) == 1:
                targets = by_surname.get(actor.name.lower(), set())
            elif actor.kind == "person" and _initialled(parts):
                targets = {t for t in by_surname.get(parts[-1].lower(), set())
                           if not _initialled(actors[t].name.split()) and actors[t].name[0] == parts[0][0]}
            elif actor.kind == "organization" and actor.name.isupper() and actor.name.isalpha():
                targets = by_initials.get(actor.name, set())
            else:
                continue
            if len(targets) == 1:
                alias[actor.id] = next(iter(targets))
        return alias

    def _context(self, result: ArticleResult, mentions: list[EventMention], actors: dict[str, Actor],
                 alias: dict[str, str]) -> frozenset[str]:
        """Every actor an article names, with the side each stands for (Norland's foreign minister: Norland); empty
        (unknown) when the article's actors were not given."""
        if not result.actors:
            return frozenset()
        named = {alias.get(a.id, a.id) for a in result.actors} | {p.actor for m in mentions for p in m.participants}
        return frozenset(named | {side for actor in named if (side := self._affiliation(actor, actors))})

    def _stands_for(self, mentions: list[EventMention], actors: dict[str, Actor]) -> dict[str, str]:
        """The side each actor of an article's reports stands for, where the gazetteer or the article says."""
        return {actor: side for actor in {p.actor for m in mentions for p in m.participants}
                if (side := self._affiliation(actor, actors)) and side != actor}

    def _affiliation(self, actor: str, actors: dict[str, Actor]) -> str | None:
        """Whose side an actor is on, per the gazetteer, else the article's actors (None when neither says)."""
        known = self.gazetteer.actors.get(actor) or actors.get(actor)
        return known.affiliation if known is not None else None

    @staticmethod
    def _canonical(mention: EventMention, alias: dict[str, str]) -> EventMention:
        if not alias:
            return mention
        participants = tuple(dict.fromkeys(
            replace(p, actor=alias.get(p.actor, p.actor)) for p in mention.participants))
        attribution = alias.get(mention.attribution, mention.attribution) if mention.attribution else None
        return replace(mention, participants=participants, attribution=attribution)

    # -- deadlines ----------------------------------------------------------
    def _deadlines_of(self, events: list[Event]) -> list[Event]:
        """An ultimatum of N days issued on a known day has a deadline: a dated event of its own.  An extension by N
        days ("extended the deadline by seven days") moves the deadline it extends: the new one is N days after it.
        A coarser report of that deadline ("early September") is sharpened to the computed day."""
        result = list(events)
        # Deadlines by start day, so each ultimatum looks only at those that can contain its due day.
        starts = sorted((d.start, i) for i, d in enumerate(result) if d.type == "Deadline" and d.start)
        longest = max(((d.end or d.start) - d.start for d in result if d.type == "Deadline" and d.start),
                      default=timedelta(0))

        def containing(due: date) -> Iterator[int]:
            low = bisect_left(starts, (due - longest, -1))
            high = bisect_right(starts, (due, len(result)))
            return iter(sorted(i for _, i in starts[low:high]))

        def settle(ultimatum: Event, due: date, length: tuple[str, int], time_text: str, note: str) -> None:
            issuers = {p.actor for p in ultimatum.participants if p.role == "issuer"}
            # a deadline reported on that day is this one when it names this issuer or no issuer at all ("the
            # original ultimatum would have expired on September 2")
            reported = next((i for i in containing(due) if (d := result[i]).start <= due <= (d.end or d.start)
                             and (issuers & {p.actor for p in d.participants}
                                  or not any(p.role == "issuer" for p in d.participants))), None)
            if reported is not None:
                # the reports of the ultimatum are reports of its deadline too
                old = result[reported]
                named = {p.actor for p in old.participants}
                old = replace(old, sources=tuple(dict.fromkeys(old.sources + ultimatum.sources)),
                              participants=old.participants + tuple(
                                  p for p in ultimatum.participants if p.role in ("issuer", "target")
                                  and p.actor not in named))
                if old.precision != "day":
                    starts.remove((old.start, reported))
                    insort(starts, (due, reported))
                    old = replace(old, start=due, end=due, precision="day", edtf=due.isoformat(),
                                  resolution_note="; ".join(filter(None, (old.resolution_note, note))))
                result[reported] = old
                return
            participants = tuple(p for p in ultimatum.participants if p.role in ("issuer", "target"))
            result.append(Event(
                id=make_id("event", "Deadline", due, ultimatum.id), type="Deadline",
                label=self._label("Deadline", participants, (), None), start=due, end=due, precision="day",
                time_text=time_text, modality="scheduled", participants=participants, places=(),
                quantities=(length,), sources=ultimatum.sources, edtf=due.isoformat(), resolution_note=note))
            insort(starts, (due, len(result) - 1))

        extensions: list[tuple[Event, int]] = []
        for ultimatum in events:
            if ultimatum.type != "Ultimatum" or ultimatum.start is None or ultimatum.precision != "day":
                continue
            quantities = dict(ultimatum.quantities)
            if (added := _in_days(quantities, *EXTENSIONS)) is not None:
                extensions.append((ultimatum, added))
            elif (days := _in_days(quantities, *DURATIONS)) is not None:
                settle(ultimatum, ultimatum.start + timedelta(days=days), ("days", days),
                       f"{days} days from {ultimatum.start.isoformat()}",
                       f"computed: the ultimatum's issue date {ultimatum.start.isoformat()} plus {days} days")
        # in time order, so an extension of an extended deadline finds the deadline the first one made
        for extension, added in sorted(extensions, key=lambda pair: pair[0].start or date.min):
            extended = self._extended_deadline(extension, result)
            if extended is not None and extended.start is not None:
                settle(extension, extended.start + timedelta(days=added), ("extension_days", added),
                       f"{added} days after {extended.start.isoformat()}",
                       f"computed: the deadline of {extended.start.isoformat()} extended by {added} days")
        return result

    @staticmethod
    def _extended_deadline(extension: Event, deadlines: list[Event]) -> Event | None:
        """The deadline an extension moves: of the deadlines of its issuer, its target or its article, the first still
        running the day before the extension or later (the new limit is later than the one it extends), other than a
        new limit written after the extension in its own sentence ("extended it by seven days, to March 19"); None
        when no deadline of it is known."""
        assert extension.start is not None
        told_at = {(s.article, s.sentence_index): s.char_start or 0 for s in extension.sources}
        actors = {(p.role, p.actor) for p in extension.participants if p.role in ("issuer", "target")}
        articles = {s.article for s in extension.sources}

        def after_extension(deadline: Event) -> bool:
            return any((s.article, s.sentence_index) in told_at and (s.char_start or 0) > told_at[
                (s.article, s.sentence_index)] for s in deadline.sources)

        def related(deadline: Event) -> bool:
            return bool(actors & {(p.role, p.actor) for p in deadline.participants}
                        or articles & {s.article for s in deadline.sources})

        return min((d for d in deadlines if d.type == "Deadline" and d.precision == "day" and d.start
                    and d.start >= extension.start - timedelta(days=1) and related(d) and not after_extension(d)),
                   key=lambda d: (d.start, d.id), default=None)

    # -- merging ------------------------------------------------------------
    def _within_article(self, mentions: list[EventMention]) -> list[_Cluster]:
        mentions = _deadline_issuers(mentions)
        by_type: dict[str, list[EventMention]] = defaultdict(list)
        for mention in mentions:
            by_type[mention.type].append(mention)
        clusters: list[_Cluster] = []
        for event_type, group in by_type.items():
            timed: list[_Cluster] = []
            undated: list[EventMention] = []
            for mention in group:
                if mention.time is None or mention.time.start is None:
                    undated.append(mention)
                    continue
                target = next((c for c in timed if self._compatible(c, _Cluster(event_type, [mention]), across=False)),
                              None)
                if target is None:
                    timed.append(_Cluster(event_type, [mention]))
                else:
                    target.add([mention])
            identity = self.types[event_type].identity if event_type in self.types else ()
            for mention in undated:
                position = mention.source.sentence_index
                alone = _Cluster(event_type, [mention])
                # an undated report that says which one it is (issuer and length) joins only that one
                key = _identity_key(alone, identity) if identity else None
                # a report of something that happened is not a later one only proposed ("the second round lasted
                # an hour" is not the meeting suggested "before the end of June"), nor one only set for a day after the
                # article was written ("the round opened on Monday" is not the next round, due on May 4) unless its
                # type is reported before it comes (a deadline ahead is one scheduled)
                reported = mention.source.reference_date or mention.source.published
                ahead = event_type in self.types and self.types[event_type].reported_ahead
                plans = ("proposed", "expected", "demanded") if ahead else PLAN_MODALITIES
                # nor, when it gives a figure, one reported with another ("the sides agreed to swap 75 each"
                # after a paragraph on the earlier swap of 40); two undated reports, one of a plan and one of the
                # past, are two events
                fits = [c for c in timed if self._compatible(c, alone, across=False)
                        and (key is None or _identity_key(c, identity) == key) and _numbers_agree(c, alone)
                        and (c.interval() is not None or c.tentative() == alone.tentative())
                        and not (mention.modality == "occurred" and reported is not None
                                 and all(m.modality in plans for m in c.mentions)
                                 and (c.interval() or (date.min,))[0] > reported)
                        and not _called_off_only(c, mention) and not _denial_of_the_done(c, alone)]
                before = [c for c in fits if min(m.source.sentence_index for m in c.mentions) <= position]
                # (what an article reports before any date is its news, not an event it later recalls from weeks
                # before it: "the third round brought no progress ... the first two rounds, on May 16 and June 2")
                after = [c for c in fits if reported is None or c.interval() is None
                         or c.interval()[1] >= reported - timedelta(days=LEAD_RECALL_DAYS)]
                home = (before or after or [None])[-1 if before else 0]
                if home is None:
                    timed.append(_Cluster(event_type, [mention]))
                else:
                    home.add([mention])
            clusters.extend(timed)
        return clusters

    def _compatible(self, a: _Cluster, b: _Cluster, across: bool = True) -> bool:
        """Could two clusters report one event?  ``across``: they come from different articles (then an undated
        cluster is not an event holding reports of its own article: that article kept it apart from them, and a
        report from elsewhere must not bridge the two)."""
        if across and (a.interval() is None or b.interval() is None) and a.articles() & b.articles():
            return False
        return self._agree_but_time(a, b, across) and self._times_agree(a, b, across)

    def _agree_but_time(self, a: _Cluster, b: _Cluster, across: bool = True) -> bool:
        """Nothing but their times could tell two clusters apart: ordinals, topics, cities, doers, sides, numbers."""
        ordinals = (a.dated_ordinals(), b.dated_ordinals()) if across else (a.ordinals(), b.ordinals())
        if _apart(*ordinals) or _apart(a.topics(), b.topics()):
            return False
        placeless = a.type in self.types and self.types[a.type].placeless
        # (a venue stands for its city: the Lenby palace is in Lenby, and not in Tarsova)
        cities = [{self.gazetteer.place_city.get(p, p) for p in c.places()
                   if self.gazetteer.place_kind.get(p) == "city" or p in self.gazetteer.place_city} for c in (a, b)]
        if (not placeless and _apart(*cities)) or _apart(a.agents(), b.agents()):
            return False
        if _extension_and_limit(a, b):
            return False
        parties_a, parties_b = a.parties(), b.parties()
        shared_side = bool(a.party_sides() & b.party_sides())
        if len(parties_a) >= 2 and len(parties_b) >= 2 and not shared_side:
            return False
        # Leaders' meetings are told apart by who meets: two that each bring together two sides or more and share
        # only one are two meetings (Morales with Vask, Stenmark with Vask), however close their days.
        if self.types[a.type].party_kinds == ("person",) and _one_side_shared(a, b):
            return False
        # Across articles, disjoint sides are two events once one names both sides (Norland and Vesta) and the
        # other names anyone (Ostmark): a one-sided report would otherwise bridge two same-day meetings.  Within
        # an article a host taken for a side ("Ostmark hosted the talks") is still the article's one meeting.
        # Sides named in different roles do not tell two reports apart: one names only who threatened (Vesta),
        # the other only whom (Norland).
        if across and parties_a and parties_b and not shared_side and a.side_roles() & b.side_roles() \
                and not _other_halves(a, b):
            return False
        # Across articles, reports are one event only on positive evidence that they belong to one process
        # (``_shares_evidence``): a report naming no side of its own ("the talks ended on Tuesday") is otherwise
        # compatible with every event of its type that day or month.  (Clusters built without their articles'
        # actors, context unknown, are not judged.)
        if across and a.context and b.context and not _shares_evidence(a, b):
            return False
        # Two reports that each name exactly two sides, not the same two, and give different numbers are two
        # events (115 prisoners between A and B, 390 between A and C, the same day); a host taken for a side
        # must not split one event, so the sides alone do not decide.
        return not (len(parties_a) == 2 == len(parties_b) and parties_a != parties_b and not _numbers_agree(a, b))

    @staticmethod
    def _times_agree(a: _Cluster, b: _Cluster, across: bool = True) -> bool:
        span_a, span_b = a.interval(), b.interval()
        # A plan reported on day P cannot be an event that was over before P (a report that it was called off or
        # did not happen can: "the round set for 14 September 2026 was postponed", written on 30 September).
        for plan, other in ((a, span_b), (b, span_a)):
            reported = plan.first_report()
            if other is not None and reported and plan.planned() and other[1] < reported - timedelta(days=1):
                return False
        if span_a is None or span_b is None:
            return True
        if _spans_overlap(span_a, span_b):
            return True
        # Within one article, two plans on different days are two events (two stages, two meetings) unless two
        # voices give them ("the agency said Thursday; officials insisted on Wednesday"): a conflict, kept as claims.
        # (Clusters of other articles holding reports of one article are held to that article's word.)
        one_article = not across or bool(a.articles() & b.articles())
        if one_article and a.tentative() and b.tentative() and not _two_voices(a, b):
            return False
        # a plan may slip a day or two, but only a report naming one of its sides (or who did it, or whose
        # delegation it is), or giving its ordinal, is known to be that plan: a report naming no one is matched on
        # its own day only
        if not ((a.tentative() or b.tentative()) and a.is_day_level() and b.is_day_level()
                and _spans_overlap(span_a, span_b, SCHEDULE_SLACK_DAYS)):
            return False
        if a.ordinals() & b.ordinals():
            return True
        # (and the sides of one are among the other's: Norland and Vesta's summit set for Friday is not the call
        # Norland held with Ostmark and Tarsova on Wednesday)
        sides_a, sides_b = a.as_sides(a.named_sides()), b.as_sides(b.named_sides())
        return bool(a.named_sides() & b.named_sides()) and (sides_a <= sides_b or sides_b <= sides_a)

    def _sides(self, cluster: _Cluster) -> set[str]:
        """The sides a cluster's parties stand for: a body or leader the gazetteer places in a country (Norland's
        security council, Norland's president) is Norland's side, not a side of its own."""
        def compute() -> set[str]:
            sides = set()
            for actor in cluster.parties():
                known = self.gazetteer.actors.get(actor)
                sides.add(known.affiliation if known is not None and known.affiliation else actor)
            return sides
        return cluster._remember("sides", compute)

    def _across_articles(self, clusters: list[_Cluster], map_blocks: BlockMapper = map) -> list[_Cluster]:
        by_type: dict[str, list[_Cluster]] = defaultdict(list)
        for cluster in clusters:
            by_type[cluster.type].append(cluster)
        types = sorted(by_type)
        merged: list[_Cluster] = []
        for block in map_blocks(self.merge_block, types, [by_type[t] for t in types]):
            merged.extend(block)
        return merged

    def merge_block(self, event_type: str, group: list[_Cluster]) -> list[_Cluster]:
        """Merge the clusters of one event type across articles (a pure function of its block)."""
        group = self._merge_identical(event_type, group)
        fine = self._join_stages(event_type, sorted((c for c in group if c.is_day_level()), key=lambda c: c.interval()))
        coarse = [c for c in group if c.interval() is not None and not c.is_day_level()]
        undated = [c for c in group if c.interval() is None]
        # Reports that give a figure ("115 prisoners each") merge first; one that gives none then joins the best
        # of them, the one sharing most actors, so it never bridges two same-day exchanges of one country with two
        # others (as a month never bridges two rounds).
        # A report of a few days ("held on June 25 and 26") joins the best single day it fits once the single days
        # have merged, as a coarse report does: swept first, it would be the home of days on either side of it.
        spans = [c for c in fine if c.interval()[0] != c.interval()[1]]  # type: ignore[index]
        days = [c for c in fine if c.interval()[0] == c.interval()[1]] if spans else fine  # type: ignore[index]
        figured = [c for c in days if c.figures()]
        bare = [c for c in days if not c.figures()] if figured else []
        result = self._sweep(figured if bare else days)
        # Candidates are fetched from a time index, never by scanning every event of the type.
        dated = _TimeIndex(result, key=lambda c: c.interval()[0])  # type: ignore[index]
        reach = timedelta(days=DAY_LEVEL_SPAN + SCHEDULE_SLACK_DAYS)
        self._join_best(bare, dated, result, reach)
        self._join_best(spans, dated, result, reach)
        # Coarse reports join the best day-level event they are compatible with, never bridge two.
        self._join_best(coarse, dated, result, reach)
        # a numbered plan that was put off joins the report of its new day
        put_off = self._join_put_off(result)
        if len(put_off) < len(result):
            result = put_off
            dated = _TimeIndex(result, key=lambda c: c.interval()[0])  # type: ignore[index]
        background = timedelta(days=BACKGROUND_DAYS) + reach
        # undated clusters left on their own, indexed by who did them (only those can be twins)
        by_doer: dict[str, _TimeIndex] = {}
        for cluster in undated:
            reported = cluster.first_report()
            # Two undated reports are one event only when they name who did it (the same issuer, proposer or
            # appointee) and agree on its numbers: "the agreement" in two pieces is not evidence of one
            # agreement, and background mentions must not chain into one node.
            doers = _doers(cluster)
            twins: list[_Cluster] = []
            for doer in sorted(doers):
                index = by_doer.get(doer)
                if index is None:
                    continue
                found = index.between(reported - background, reported + background) if reported else index.all()
                twins.extend(c for c in found if c.interval() is None and c not in twins
                             and _numbers_agree(c, cluster))
            near = dated.between(reported - background, reported + background) if reported else \
                [c for c in result if c.interval() is not None]
            home = self._best_home(near + twins, cluster, require_shared_actor=True)
            if home is None:
                result.append(cluster)   # stays undated: counted, not made an event
                for doer in doers:
                    by_doer.setdefault(doer, _TimeIndex([], key=lambda c: c.first_report() or date.min)).add(cluster)
            else:
                home.absorb(cluster)
        return result

    def _join_stages(self, event_type: str, fine: list[_Cluster]) -> list[_Cluster]:
        """A report spanning a few days ("in three stages between 3 and 5 November 2026") of an event that can last
        several days is one event with the reports of its single days inside that span (each day's stage, each
        with its own figure), when they could all be one event but for their days.  ``fine`` is sorted by interval
        and stays so."""
        if event_type not in self.types or not self.types[event_type].multi_day:
            return fine
        index = _TimeIndex(fine, key=lambda c: c.interval()[0])  # type: ignore[index]
        absorbed: set[int] = set()
        grown: set[int] = set()    # spans that took in their stages: no stage of another span
        for span in fine:
            start, end = span.interval()  # type: ignore[misc]
            if start == end or id(span) in absorbed:
                continue
            stages: list[_Cluster] = []
            for day in index.between(start, end):
                first, last = day.interval()  # type: ignore[misc]
                if day is span or id(day) in absorbed or id(day) in grown or first != last \
                        or not self._compatible(span, day):
                    continue
                # stages on other days are one event only when nothing tells them apart, their two sides least of all
                if all(self._agree_but_time(stage, day) and self._same_sides(stage, day) for stage in stages):
                    stages.append(day)
            if len({stage.interval() for stage in stages}) < 2:
                continue   # a single day joins the best event it fits, as any report does
            for stage in stages:
                span.absorb(stage)
                absorbed.add(id(stage))
            grown.add(id(span))
            span.staged = True
        if not absorbed:
            return fine
        return sorted((c for c in fine if id(c) not in absorbed), key=lambda c: c.interval())

    def _join_put_off(self, clusters: list[_Cluster]) -> list[_Cluster]:
        """A numbered event never reported as held ("the third round, set for May 4") and a report of the event of that
        number in its process up to ``RESCHEDULE_DAYS`` later ("the third round will now take place on May 18", or
        "the third round opened on May 18") are one event, put off: a process has one third round.  A day only
        proposed is not a plan put off but a proposal not taken up, another event.  Unnumbered
        plans on other days stay apart (a second exchange a month after the first is another exchange), as do
        events whose numbers differ.  Day-level clusters only, blocked by their number and looked up in time."""
        by_ordinal: dict[int, list[_Cluster]] = defaultdict(list)
        for cluster in clusters:
            if cluster.is_day_level() and len(cluster.ordinals()) == 1:
                by_ordinal[next(iter(cluster.ordinals()))].append(cluster)
        gone: set[int] = set()
        for group in by_ordinal.values():
            group.sort(key=lambda c: c.interval())
            for position, plan in enumerate(group):
                # a day most reports give as only proposed ("Norland proposed holding the third round on June 20")
                # and then let pass was not taken up: the round held later is not that plan put off
                if not plan.tentative() or id(plan) in gone or \
                        2 * sum(m.modality == "proposed" for m in plan.mentions) > len(plan.mentions):
                    continue
                start = plan.interval()[0]  # type: ignore[index]
                for later in group[position + 1:]:
                    if later.interval()[0] > start + timedelta(days=RESCHEDULE_DAYS):  # type: ignore[index]
                        break
                    # the same process: nothing but the day tells them apart, and they share a side; and the new day
                    # is given by a report of that number (not by an unnumbered one a month report of it joined)
                    if id(later) not in gone and later.interval()[0] > plan.interval()[1] \
                            and self._agree_but_time(plan, later) and plan.named_sides() & later.named_sides() \
                            and any(m.ordinal in plan.ordinals() and m.time is not None and m.time.start is not None
                                    and (m.time.start, m.time.end or m.time.start) == later.interval()
                                    for m in later.mentions):
                        later.absorb(plan)
                        gone.add(id(plan))
                        break
        return [c for c in clusters if id(c) not in gone] if gone else clusters

    def _same_sides(self, a: _Cluster, b: _Cluster) -> bool:
        """Not two pairs of sides (Norland and Vesta, Norland and Ostmark): one names fewer than two, or the sides
        of one are among those of the other (a host taken for a third side)."""
        sides_a, sides_b = self._sides(a), self._sides(b)
        return len(sides_a) < 2 or len(sides_b) < 2 or sides_a <= sides_b or sides_b <= sides_a

    def _join_best(self, clusters: list[_Cluster], dated: _TimeIndex, result: list[_Cluster],
                   reach: timedelta) -> None:
        """Each cluster, in time order, joins the best compatible event of ``dated`` within ``reach``; those
        that find none are swept among themselves and become events of their own (added to both)."""
        alone: list[_Cluster] = []
        for cluster in sorted(clusters, key=lambda c: c.interval()):
            start, end = cluster.interval()  # type: ignore[misc]
            home = self._best_home(dated.between(start - reach, end + reach), cluster)
            if home is None:
                alone.append(cluster)
            else:
                home.absorb(cluster)
        for cluster in self._sweep(alone):
            result.append(cluster)
            dated.add(cluster)

    def _merge_identical(self, event_type: str, clusters: list[_Cluster]) -> list[_Cluster]:
        """Clusters whose identity (e.g. issuer, target, days) is fully stated and equal are one event."""
        identity = self.types[event_type].identity if event_type in self.types else ()
        if not identity:
            return clusters
        merged: dict[tuple, list[_Cluster]] = defaultdict(list)
        rest: list[_Cluster] = []
        for cluster in clusters:
            key = _identity_key(cluster, identity)
            if key is None:
                rest.append(cluster)
                continue
            # The same issuer may give the same 30 days twice, years apart, or to someone else.
            home = next((c for c in merged[key] if self._same_identity(c, cluster)), None)
            if home is None:
                merged[key].append(cluster)
            else:
                home.absorb(cluster)
        return [c for group in merged.values() for c in group] + rest

    def _same_identity(self, a: _Cluster, b: _Cluster) -> bool:
        """Clusters of equal identity are one event unless their dates tell them apart."""
        span_a, span_b = a.interval(), b.interval()
        return span_a is None or span_b is None or _spans_overlap(span_a, span_b, IDENTITY_SLACK_DAYS)

    def _sweep(self, ordered: list[_Cluster]) -> list[_Cluster]:
        """Merge clusters sorted by start, comparing each only with clusters still open in time whose
        actors could match (the first compatible one, in the order they opened, is the home)."""
        slack = timedelta(days=SCHEDULE_SLACK_DAYS)
        still_open = _OpenClusters()
        closed: list[_Cluster] = []
        for cluster in ordered:
            closed.extend(still_open.close_ending_before(cluster.interval()[0] - slack))  # type: ignore[index]
            home = next((c for c in still_open.candidates(cluster) if self._compatible(c, cluster)), None)
            if home is None:
                still_open.add(cluster)
            else:
                home.absorb(cluster)
                still_open.changed(home)
        return closed + still_open.remaining()

    def _best_home(self, candidates: list[_Cluster], cluster: _Cluster,
                   require_shared_actor: bool = False) -> _Cluster | None:
        """The compatible cluster sharing the most: ordinal, then actors, then size."""
        actors = {p.actor for m in cluster.mentions for p in m.participants if p.role in MAIN_ROLES}
        ordinals = cluster.ordinals()

        def score(c: _Cluster) -> tuple:
            shared = len(actors & {p.actor for m in c.mentions for p in m.participants})
            return (bool(ordinals & c.ordinals()), shared, len(c.mentions),
                    -(c.interval() or (date.min,))[0].toordinal())

        reported = cluster.first_report()
        if not require_shared_actor or reported is None:
            fits = [c for c in candidates if self._compatible(c, cluster)]
            if require_shared_actor:
                fits = [c for c in fits if score(c)[0] or score(c)[1]]
            return max(fits, key=score) if fits else None
        # An undated mention is background to something recent, not to an event years from its report, and to
        # the latest such event before its report rather than the most reported one: "the two sides agreed to
        # ..." in a June piece is June's agreement, not one reported more often in May.
        past = not cluster.tentative()
        # ... unless events of its type are reported before they come ("the deadline" in a piece written before it)
        ahead = cluster.type in self.types and self.types[cluster.type].reported_ahead

        def distance(c: _Cluster) -> int:
            span = c.interval()
            return abs((span[0] - reported).days) if span else BACKGROUND_DAYS

        def possible(c: _Cluster) -> bool:
            span = c.interval()
            # a report of something that happened is not background to an event that began after the report,
            # nor to one only ever proposed or demanded (a suggestion is not known to have come about)
            if past and not ahead and span is not None and span[0] > reported + timedelta(days=1):
                return False
            if past and all(m.modality in ("proposed", "demanded") for m in c.mentions):
                return False
            if any(_called_off_only(c, m) for m in cluster.mentions):
                return False
            if _denial_of_the_done(c, cluster):
                return False
            # an undated report naming both sides (Norland and Vesta) is not background to an event of other
            # sides (Norland and Ostmark): without a date, the sides are all that identifies it
            parties, theirs = self._sides(cluster), self._sides(c)
            if len(parties) >= 2 and len(theirs) >= 2 and parties - theirs and theirs - parties:
                return False
            # an undated report that gives a number ("the exchange of 390 for 390") is not an event of others
            return _numbers_agree(c, cluster)

        # ("the sides agreed to swap 1,200 prisoners each", "agreed in Lenby": the agreement of that figure, or reached
        # at that place, not a later one that gives none)
        figures, places = cluster.figures(), cluster.places()

        def recency(c: _Cluster) -> tuple:
            span = c.interval()
            right_side = span is not None and ((span[0] <= reported) if past else (span[1] >= reported))
            return (score(c)[0], bool(score(c)[1]), bool(figures & c.figures()), bool(places & c.places()), right_side,
                    -distance(c))

        # Nearest first: the first fit that shares an actor, matches the ordinal (when there is one) and lies on
        # the right side of the report cannot be beaten by a farther one, so the scan stops there.
        best, best_key = None, None
        for candidate in sorted(candidates, key=distance):
            if distance(candidate) > BACKGROUND_DAYS:
                break
            if not possible(candidate) or not self._compatible(candidate, cluster):
                continue
            key = recency(candidate)
            if not (key[0] or key[1]):
                continue
            if best_key is None or key > best_key:
                best, best_key = candidate, key
                if key[:5] == (bool(ordinals), True, bool(figures), bool(places), True):
                    break
        return best

    # -- building events ----------------------------------------------------
    def _event(self, cluster: _Cluster, actors: dict[str, Actor]) -> Event:
        mentions = sorted(cluster.mentions, key=lambda m: (m.source.published or date.min, m.source.article,
                                                           m.source.sentence_index))
        claims, chosen, note = self._time(mentions, staged=cluster.staged)
        # an undated report cannot say that an event dated after it has happened ("the deadline" in a piece
        # written before it runs out)
        occurred = sum(m.modality == "occurred" and (
            chosen is None or chosen.start is None or (m.time is not None and m.time.start is not None)
            or (m.source.reference_date or m.source.published or date.max) >= chosen.start) for m in mentions)
        # (nor, when no report can, do such reports outvote the plans; reports that it did not happen, made of the
        # same past day, do: "the summit ended without a ceasefire" twenty times against one "truce" read wrongly)
        denied = sum(m.modality == "denied" for m in mentions)
        modality = "occurred" if occurred and occurred >= denied else _most_common(
            [m.modality for m in mentions[::-1] if m.modality != "occurred"] or [m.modality for m in mentions[::-1]])
        participants = self._participants(mentions, actors)
        places = self._places(mentions)
        quantities, quantity_note = _quantities(mentions)
        ordinal = next((m.ordinal for m in mentions if m.ordinal), None)
        start = chosen.start if chosen else None
        end = (chosen.end or chosen.start) if chosen else None
        notes = "; ".join(n for n in (note, quantity_note) if n) or None
        event_type = cluster.type
        label = self._label(event_type, participants, places, ordinal)
        key_actors = sorted(p.actor for p in participants if p.role in MAIN_ROLES)[:4]
        return Event(
            id=make_id("event", event_type, start, end, *key_actors, ordinal or ""),
            type=event_type, label=label, start=start, end=end,
            precision=_event_precision(chosen), time_text=chosen.text if chosen else "",
            modality=modality, participants=participants, places=places, quantities=quantities,
            sources=tuple(dict.fromkeys(m.source for m in mentions)), claims=claims,
            resolution_note=notes, ordinal=ordinal, edtf=chosen.edtf if chosen else None)

    @staticmethod
    def _time(mentions: list[EventMention], staged: bool = False
              ) -> tuple[tuple[Claim, ...], TimeValue | None, str | None]:
        dated = [m for m in mentions if m.time is not None and m.time.start is not None]
        if not dated:
            return (), None, None
        if staged:
            # its days are its stages, not conflicting reports: the event runs from the first to the last
            ends = {id(m): (m.time.start, m.time.end or m.time.start) for m in dated}  # type: ignore[union-attr]
            daily = [ends[id(m)] for m in dated if (ends[id(m)][1] - ends[id(m)][0]).days < DAY_LEVEL_SPAN]
            whole = (min(s for s, _ in daily), max(e for _, e in daily)) if daily else None
            spans = [m for m in dated if ends[id(m)] == whole]
            if spans:
                best = min(spans, key=lambda m: (m.modality != "occurred", m.source.published or date.max))
                days = ", ".join(sorted({s.isoformat() for s, e in daily if s == e}))
                return (), best.time, (f"carried out in stages on {days}; dated by the report spanning them "
                                       f"({best.source.title or best.source.article})")

        def rank(m: EventMention) -> tuple:
            t = m.time
            span = ((t.end or t.start) - t.start).days  # type: ignore[union-attr,operator]
            reported = sum(1 for o in dated if (o.time.start, o.time.end) == (t.start, t.end))  # type: ignore[union-attr]
            reported_on = m.source.reference_date or m.source.published or t.start
            # a report written close to the event dates it best ("Wednesday" in a same-day dispatch)
            distance = abs((reported_on - t.start).days)  # type: ignore[operator]
            # a day beats a month whatever each report says happened: "early June" (it happened) and "June 5"
            # (it was set for then) date one event, and the day is the one it had.  Among plans the latest report
            # holds: "set for May 4", then "put off to May 18"
            planned = m.modality != "occurred"
            return (span >= DAY_LEVEL_SPAN, planned, -reported_on.toordinal() if planned else 0, span, -reported,
                    distance, -reported_on.toordinal())

        best = min(dated, key=rank)
        values: dict[tuple, EventMention] = {}
        for m in dated:
            t = m.time
            if ((t.end or t.start) - t.start).days < DAY_LEVEL_SPAN:  # type: ignore[union-attr,operator]
                values.setdefault((t.start, t.end), m)  # type: ignore[union-attr]
        if len(values) < 2:
            return (), best.time, None
        claims = tuple(Claim(start=m.time.start, end=m.time.end, precision=m.time.precision,  # type: ignore[union-attr]
                             time_text=m.time.text, attribution=m.attribution, source=m.source)  # type: ignore[union-attr]
                       for m in values.values())
        reason = ("a report of the event having occurred" if best.modality == "occurred" and
                  any(m.modality != "occurred" for m in dated) else "the most precise and most reported value, from the report closest to the event")
        note = (f"{len(claims)} conflicting reports of the date; chose {best.time.text or best.time.edtf!r} "  # type: ignore[union-attr]
                f"({best.source.title or best.source.article}): {reason}")
        return claims, best.time, note

    def _participants(self, mentions: list[EventMention], actors: dict[str, Actor]) -> tuple[Participant, ...]:
        """Every actor with its most specific role; within a role, the most reported first."""
        roles: dict[str, str] = {}
        support: dict[str, int] = defaultdict(int)
        for mention in mentions:
            for p in mention.participants:
                support[p.actor] += 1
                # a specific role ("delegation_head") beats the generic "party"
                if roles.get(p.actor) in (None, "party"):
                    roles[p.actor] = p.role

        def order(item: tuple[str, str]) -> tuple:
            key, role = item
            return (MAIN_ROLES.index(role) if role in MAIN_ROLES else 99, -support[key], key)

        return tuple(Participant(actor=key, name=(actors[key].name if key in actors else key), role=role)
                     for key, role in sorted(roles.items(), key=order))

    def _places(self, mentions: list[EventMention]) -> tuple[Place, ...]:
        seen: dict[str, Place] = {}
        for mention in mentions:
            for key, name in mention.places:
                seen.setdefault(key, self.gazetteer.places.get(key) or Place(id=key, name=name))
        return tuple(sorted(seen.values(), key=lambda p: (self.gazetteer.place_kind.get(p.id) != "venue", p.id)))

    def _label(self, event_type: str, participants: tuple[Participant, ...], places: tuple[Place, ...],
               ordinal: int | None) -> str:
        label = self.types[event_type].label if event_type in self.types else event_type
        label = label[0].upper() + label[1:]
        if ordinal:
            label = f"{_ORDINAL_WORDS.get(ordinal, str(ordinal))} {label.lower()}"
        by_role: dict[str, list[str]] = defaultdict(list)
        for p in participants:
            by_role[p.role].append(p.name)
        if by_role.get("issuer") and by_role.get("target"):
            label += f" by {by_role['issuer'][0]} to {by_role['target'][0]}"
        elif by_role.get("issuer"):
            label += f" by {by_role['issuer'][0]}"
        elif by_role.get("speaker"):
            label += f" by {by_role['speaker'][0]}"
        elif by_role.get("appointee"):
            label += f": {by_role['appointee'][0]}"
        cities = [p.name for p in places if self.gazetteer.place_kind.get(p.id) != "venue"] or \
                 [p.name for p in places]
        if cities and event_type not in ("Statement", "Announcement"):
            label += f" in {cities[0]}"
        parties = by_role.get("party", [])   # most reported first
        if parties:
            label += f" ({', '.join(sorted(parties[:3]))})"
        return label

    # -- processes ----------------------------------------------------------
    def _processes(self, events: list[Event]) -> tuple[list[Process], list[Link]]:
        groups: dict[tuple, list[Event]] = defaultdict(list)
        for event in events:
            family = PROCESS_FAMILIES.get(event.type)
            if family is None or event.start is None:
                continue
            if family == "ultimatum":
                # the most reported issuer and target name the process
                issuers = [p.actor for p in event.participants if p.role == "issuer"][:1]
                targets = [p.actor for p in event.participants if p.role == "target"][:1]
                if not issuers:
                    continue
                key = (family, tuple(issuers), tuple(targets))
            else:
                # the two most reported parties name the process (a mediator mentioned once does not split it)
                parties = tuple(sorted([p.actor for p in event.participants if p.role == "party"][:2]))
                if len(parties) < 2:
                    continue
                key = (family, parties)
            groups[key].append(event)
        processes: list[Process] = []
        links: list[Link] = []
        for key, members in sorted(groups.items()):
            if len(members) < 2:
                continue
            members.sort(key=_event_order)
            names = {p.actor: p.name for e in members for p in e.participants}
            family = key[0]
            if family == "ultimatum":
                label = f"Ultimatum of {', '.join(names[a] for a in key[1])}" + (
                    f" to {', '.join(names[a] for a in key[2])}" if key[2] else "")
            else:
                label = f"{'Talks' if family == 'talks' else 'Exchanges'} between " + \
                        " and ".join(names[a] for a in key[1])
            process = Process(id=make_id("process", *map(str, key)), label=label,
                              events=tuple(e.id for e in members))
            processes.append(process)
            for earlier, later in zip(members, members[1:]):
                links.append(Link(source=earlier.id, target=later.id, type="next", date=later.start))
            links.extend(_ultimatum_links(members))
        return processes, links


class _OpenClusters:
    """The clusters a sweep still holds open, indexed so a newcomer meets only possible matches.

    ``_compatible`` rejects two clusters of different articles whose agents are disjoint, or whose parties (and the
    sides they stand for) are disjoint in a role both name, unless each names one party the other's article names;
    so a newcomer with agents only meets clusters sharing one or having none, and one with parties only clusters
    sharing one (or its side), having none, naming them in other roles only or naming as their one party one its
    article names.  Clusters close when their end (plus slack) is before the newcomer's start: a heap by end,
    refreshed when a merge moves an end.
    """

    def __init__(self) -> None:
        self._members: dict[int, _Cluster] = {}     # opening order -> cluster
        self._order: dict[int, int] = {}             # id(cluster) -> opening order
        self._ends: list[tuple[date, int]] = []      # heap of (end, opening order); stale entries skipped
        self._by_agent: dict[str, set[int]] = defaultdict(set)
        self._by_party: dict[str, set[int]] = defaultdict(set)     # by party and the side it stands for
        self._single_party: dict[str, set[int]] = defaultdict(set)  # members naming one party, by that party
        self._no_agents: set[int] = set()
        self._no_parties: set[int] = set()
        self._by_side_roles: dict[frozenset[str], set[int]] = defaultdict(set)   # a handful of keys
        self._indexed: dict[int, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
        self._count = 0

    def add(self, cluster: _Cluster) -> None:
        number = self._count
        self._count += 1
        self._members[number] = cluster
        self._order[id(cluster)] = number
        self._index(number, cluster)

    def changed(self, cluster: _Cluster) -> None:
        """A member took in more mentions: its actors and end may have moved."""
        self._index(self._order[id(cluster)], cluster)

    def _index(self, number: int, cluster: _Cluster) -> None:
        agents, parties = frozenset(cluster.agents()), frozenset(cluster.party_sides())
        roles = frozenset(cluster.side_roles())
        single = frozenset(cluster.parties()) if len(cluster.parties()) == 1 else frozenset()
        self._unindex(number)
        self._indexed[number] = (agents, parties, roles, single)
        self._by_side_roles[roles].add(number)
        for actor in agents:
            self._by_agent[actor].add(number)
        for actor in parties:
            self._by_party[actor].add(number)
        for actor in single:
            self._single_party[actor].add(number)
        if not agents:
            self._no_agents.add(number)
        if not parties:
            self._no_parties.add(number)
        heappush(self._ends, (cluster.interval()[1], number))  # type: ignore[index]

    def _unindex(self, number: int) -> None:
        agents, parties, roles, single = self._indexed.pop(number, ((), (), frozenset(), ()))
        self._by_side_roles[roles].discard(number)
        for actor in agents:
            self._by_agent[actor].discard(number)
        for actor in parties:
            self._by_party[actor].discard(number)
        for actor in single:
            self._single_party[actor].discard(number)
        self._no_agents.discard(number)
        self._no_parties.discard(number)

    def close_ending_before(self, limit: date) -> list[_Cluster]:
        """Remove and return, in opening order, the members that end before ``limit``."""
        gone: list[tuple[int, _Cluster]] = []
        while self._ends and self._ends[0][0] < limit:
            end, number = heappop(self._ends)
            cluster = self._members.get(number)
            if cluster is not None and cluster.interval()[1] == end:  # type: ignore[index]
                gone.append((number, cluster))
                del self._members[number], self._order[id(cluster)]
                self._unindex(number)
        return [cluster for _, cluster in sorted(gone, key=lambda item: item[0])]

    def candidates(self, cluster: _Cluster) -> list[_Cluster]:
        """The open members that could be compatible with ``cluster``, in opening order."""
        numbers: set[int] | None = None
        agents, parties = cluster.agents(), cluster.parties()
        # (``union`` makes a new set: the index's own sets are not copied first)
        if agents:
            numbers = self._no_agents.union(*(self._by_agent.get(a, ()) for a in agents))
        if parties:
            roles = cluster.side_roles()
            fitting = self._no_parties.union(*(self._by_party.get(a, ()) for a in cluster.party_sides()), *(
                members for named, members in self._by_side_roles.items() if not named & roles))
            if len(parties) == 1 and roles == {"party"}:   # the other half of one event (``_other_halves``)
                fitting.update(*(self._single_party.get(a, ()) for a in cluster.context))
            numbers = fitting if numbers is None else numbers & fitting
        if numbers is None:
            return list(self._members.values())
        return [self._members[n] for n in sorted(numbers)]

    def remaining(self) -> list[_Cluster]:
        return list(self._members.values())


class _TimeIndex:
    """Clusters kept sorted by a date, to fetch the ones within a range without scanning them all."""

    def __init__(self, clusters: list[_Cluster], key: Callable[[_Cluster], date]) -> None:
        self._key = key
        self._items = sorted(clusters, key=key)
        self._keys = [key(c) for c in self._items]

    def add(self, cluster: _Cluster) -> None:
        position = bisect_right(self._keys, self._key(cluster))
        self._keys.insert(position, self._key(cluster))
        self._items.insert(position, cluster)

    def all(self) -> list[_Cluster]:
        return list(self._items)

    def between(self, low: date, high: date) -> list[_Cluster]:
        return self._items[bisect_left(self._keys, low):bisect_right(self._keys, high)]


def _in_days(quantities: dict[str, int | float], days: str, hours: str) -> int | None:
    """A length given in days or hours, in whole days ("48 hours to free the crew" runs out two days later).

    >>> _in_days({"hours": 36}, "days", "hours"), _in_days({"days": 7}, "days", "hours"), _in_days({}, "days", "hours")
    (2, 7, None)
    """
    if quantities.get(days):
        return int(quantities[days])
    return -(-int(quantities[hours]) // 24) if quantities.get(hours) else None


def _deadline_issuers(mentions: list[EventMention]) -> list[EventMention]:
    """"The deadline expires on May 5" in an article about an ultimatum is that ultimatum's deadline: like a
    pronoun, a dated deadline that names no issuer takes the issuer and target of the nearest ultimatum of its
    article that names one (the nearest before it, else the nearest after it)."""
    ultimatums = sorted((m for m in mentions if m.type == "Ultimatum" and any(p.role == "issuer" for p in m.participants)),
                        key=lambda m: m.source.sentence_index)
    if not ultimatums:
        return mentions
    result = []
    for mention in mentions:
        # (a dated one only: an undated "hours before the deadline" is background, not made an event by this)
        if mention.type == "Deadline" and mention.time is not None and mention.time.start is not None \
                and not any(p.role == "issuer" for p in mention.participants):
            position = mention.source.sentence_index
            before = [u for u in ultimatums if u.source.sentence_index <= position]
            after = [u for u in ultimatums if u.source.sentence_index > position]
            nearest = before[-1] if before else after[0]
            sides = tuple(p for p in nearest.participants if p.role in ("issuer", "target"))
            named = {p.actor for p in mention.participants}
            # a deadline naming someone the ultimatum does not is not that ultimatum's
            if named <= {p.actor for p in sides}:
                mention = replace(mention, participants=tuple(
                    p for p in mention.participants if p.actor not in {s.actor for s in sides}) + sides)
        result.append(mention)
    return result


def _no_own_side_target(mention: EventMention, actors: dict[str, Actor]) -> EventMention:
    """The target of a proposal, threat or ultimatum is the other side: one who stands for the doer's own side
    ("Norland proposed a meeting of President Ana Morales and ..." with Morales, Norland's president, taken for the
    target) is not, and is dropped, so that it never tells two reports of one proposal apart.  (Between two
    people of one country, "President Ana Morales gave opposition leader Teo Brannick 48 hours", both are kept: the
    target is someone the doer is not.)"""
    doers = {p.actor for p in mention.participants if p.role in ("issuer", "proposer")}
    if not doers or not any(p.role == "target" for p in mention.participants):
        return mention
    kept = tuple(p for p in mention.participants if p.role != "target" or not (
        p.actor in doers or (p.actor in actors and actors[p.actor].affiliation in doers)))
    return mention if len(kept) == len(mention.participants) else replace(mention, participants=kept)


def _numbers_agree(a: _Cluster, b: _Cluster) -> bool:
    """No count both give differs entirely (one report may give 1,000 and another 1,200: one value shared
    is enough)."""
    numbers_a: dict[str, set] = defaultdict(set)
    numbers_b: dict[str, set] = defaultdict(set)
    for cluster, numbers in ((a, numbers_a), (b, numbers_b)):
        for mention in cluster.mentions:
            for key, value in mention.quantities:
                numbers[key].add(value)
    return all(numbers_a[k] & numbers_b[k] for k in set(numbers_a) & set(numbers_b))


def _initialled(parts: list[str]) -> bool:
    """A person's name written with initials before the surname ("A. Mirzoyan", "J.-P. Dufour")."""
    return len(parts) >= 2 and all(_INITIAL.fullmatch(part) for part in parts[:-1])


def _one_side_shared(a: _Cluster, b: _Cluster) -> bool:
    """Both clusters name two or more sides (among the parties most of their reports name; a person counts as the side
    they stand for) and they share exactly one."""
    sides_a, sides_b = a.as_sides(a.core_parties()), b.as_sides(b.core_parties())
    return len(sides_a) >= 2 and len(sides_b) >= 2 and len(sides_a & sides_b) == 1


def _extension_and_limit(a: _Cluster, b: _Cluster) -> bool:
    """One gives only what an extension adds, the other only a limit's length ("extended it by five days", "gave
    Vesta 72 hours"): the extending and the limit it extends, two acts."""
    def gives(cluster: _Cluster) -> tuple[bool, bool]:
        keys = {key for mention in cluster.mentions for key, _ in mention.quantities}
        return bool(keys & set(EXTENSIONS)), bool(keys & set(DURATIONS))
    (extends_a, limits_a), (extends_b, limits_b) = gives(a), gives(b)
    return (extends_a and not limits_a and limits_b and not extends_b) \
        or (extends_b and not limits_b and limits_a and not extends_a)


def _shares_evidence(a: _Cluster, b: _Cluster) -> bool:
    """Something specific ties two reports of different articles together: a side of one that the other's article
    names (so any actor both name), a person both articles name, or a place both give.  Type and time alone do
    not: "the talks" in March in a piece on Norland and Vesta are not the talks of Ostmark and Tarsova that month,
    nor is "the first round" (an ordinal tells rounds apart only within one process)."""
    return bool(a.main_actors() & b.context or b.main_actors() & a.context or a.places() & b.places()
                or a.people & b.people)


def _other_halves(a: _Cluster, b: _Cluster) -> bool:
    """Each names one side only (as a party), and each article names the side the other report gives: "Vesta freed
    40 detainees" and "Norland released 45" may be the two halves of one exchange between Norland and Vesta (not when
    one article never names Vesta)."""
    parties_a, parties_b = a.parties(), b.parties()
    # (between sides only: two issuers are two ultimatums)
    return len(parties_a) == 1 == len(parties_b) and a.side_roles() == {"party"} == b.side_roles() \
        and bool(a.context and b.context) and parties_a <= b.context and parties_b <= a.context


def _two_voices(a: _Cluster, b: _Cluster) -> bool:
    """Each cluster is attributed to someone, and not to the same ones."""
    return _apart(*({m.attribution for m in c.mentions if m.attribution} for c in (a, b)))


def _apart(these: set[Any], those: set[Any]) -> bool:
    """Both sets name something and share nothing: two ordinals, topics, cities, doers or voices that tell two
    clusters apart (a cluster naming none is told apart by nothing)."""
    return bool(these and those and not these & those)


def _called_off_only(cluster: _Cluster, mention: EventMention) -> bool:
    """An undated report that something happened is not an event every report calls off or denies ('it would
    have expired on May 5' is a superseded date, not the deadline now running)."""
    return mention.modality == "occurred" and all(m.modality in ("cancelled", "denied") for m in cluster.mentions)


def _denial_of_the_done(cluster: _Cluster, undated: _Cluster) -> bool:
    """An undated report that something did not happen ("it ran out without the threatened offensive") is background
    to an event reported as not having happened or called off, never to one only ever reported otherwise."""
    return all(m.modality == "denied" for m in undated.mentions) and \
        not any(m.modality in ("denied", "cancelled") for m in cluster.mentions)


def _doers(cluster: _Cluster) -> set[str]:
    """Who did it: the issuer, proposer or appointee the reports name."""
    return {p.actor for m in cluster.mentions for p in m.participants if p.role in IDENTIFYING_ROLES}


def _identity_key(cluster: _Cluster, identity: tuple[str, ...]) -> tuple | None:
    """The values of each identity part (a role or a quantity; "days|hours": either), or None if one is unknown."""
    values = []
    for part in identity:
        names = part.split("|")
        found = sorted({p.actor for m in cluster.mentions for p in m.participants if p.role in names} |
                       {f"{k}={v}" for m in cluster.mentions for k, v in m.quantities if k in names})
        if not found:
            return None
        values.append(tuple(found))
    return tuple(values)


def _ultimatum_links(members: list[Event]) -> list[Link]:
    """Each deadline is the deadline of the ultimatum whose length runs out on it (30 days from March 2: April 1,
    even after a later ultimatum replaced it; one that runs out on the day itself before one a day's slack allows:
    12 days from March 2 and 10 days from March 3 are March 14 and March 13), else of the latest ultimatum before
    it; a later-reported deadline revises it."""
    links: list[Link] = []
    ultimatums = [e for e in members if e.type == "Ultimatum"]
    deadlines = [e for e in members if e.type == "Deadline"]
    for deadline in deadlines:
        issued = [u for u in ultimatums if u.start and deadline.start and u.start <= deadline.start]
        counted = [u for u in issued if u.start and deadline.start and _runs_out_on(u, deadline.start)]
        exact = [u for u in counted if u.start and deadline.start and _runs_out_on(u, deadline.start, slack=0)]
        if issued:
            links.append(Link(source=deadline.id, target=(exact or counted or issued)[-1].id, type="deadline_of",
                              date=deadline.start))
    by_report = sorted(deadlines, key=lambda e: min((s.published or date.max) for s in e.sources))
    for earlier, later in zip(by_report, by_report[1:]):
        links.append(Link(source=later.id, target=earlier.id, type="revises", date=later.start))
    return links


def _runs_out_on(ultimatum: Event, day: date, slack: int = 1) -> bool:
    """The ultimatum's length in days (or hours), counted from the day it was issued, ends on ``day`` (by default
    with a day's slack: "ten days from Tuesday" is read both ways)."""
    assert ultimatum.start is not None
    lengths = dict(ultimatum.quantities)
    days = lengths.get("days") or (lengths["hours"] / 24 if lengths.get("hours") else None)
    return days is not None and abs((day - ultimatum.start).days - days) <= slack


_ORDINAL_WORDS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", 6: "Sixth"}


def _event_order(event: Event) -> tuple:
    return (event.start or date.max, event.end or date.max, event.type, event.id)


def _event_precision(time: TimeValue | None) -> str:
    if time is None:
        return "unknown"
    if time.precision in ("season", "open"):
        return "interval"
    return time.precision


def _most_common(values: list[str]) -> str:
    return max(dict.fromkeys(values), key=values.count)


def _quantities(mentions: list[EventMention]) -> tuple[tuple[tuple[str, int | float], ...], str | None]:
    """Later reports win a disagreement about a number; the disagreement is noted."""
    seen: dict[str, list[tuple[int | float, EventMention]]] = defaultdict(list)
    for mention in mentions:
        for key, value in mention.quantities:
            seen[key].append((value, mention))
    chosen: dict[str, int | float] = {}
    notes: list[str] = []
    for key, values in seen.items():
        latest = max(values, key=lambda v: (v[1].source.published or date.min))
        chosen[key] = latest[0]
        distinct = sorted({v for v, _ in values})
        if len(distinct) > 1:
            notes.append(f"{key}: reports say {', '.join(map(str, distinct))}; chose {latest[0]} "
                         f"from the latest report ({latest[1].source.title or latest[1].source.article})")
    return tuple(sorted(chosen.items())), "; ".join(notes) or None


def _unique_ids(events: list[Event]) -> list[Event]:
    """Content ids can collide for look-alike events; the first source's sentence disambiguates, stably, and where
    one sentence reports two look-alike events ("offered to return the bodies and proposed short truces"), the place
    of its trigger too."""
    def first_source(event: Event, place: bool) -> tuple[str, int] | tuple[str, int, int]:
        return min((s.article, s.sentence_index, s.char_start or 0) if place else (s.article, s.sentence_index)
                   for s in event.sources)

    for place in (False, True):
        counts = Counter(event.id for event in events)
        events = [replace(event, id=make_id("event", event.id, *first_source(event, place)))
                  if counts[event.id] > 1 else event for event in events]
    return events
