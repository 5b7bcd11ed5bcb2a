"""How the whole build scales: a synthetic news corpus of N articles, built with ``kg.workspace.build``.

    python benchmarks/scale.py [--sizes 1000 10000 100000] [--jobs N] [--workdir DIR] [--seed S]
                               [--errors K] [--keep]

The corpus is generated here, deterministically from ``--seed``: many invented negotiation
processes between real countries (``data/gazetteer/actors.csv``, kind country) meeting in real
cities (``data/gazetteer/places.csv``), with invented people (names from small syllable lists, with
titles such as "Foreign Minister", "chief negotiator", "spokesman") and invented numbers.  Each
process goes through episodes spread over 2024-2026: talk rounds with ordinals, prisoner
exchanges, ultimatums with N-day deadlines, statements, agreements, proposals.  Each article is
published 0-3 days after the events it reports, reports 1-4 of one episode's events in varied
wording (absolute dates, weekdays, "yesterday"), with background sentences, and keeps the gold:
the real-event ids it reports.  Every real event is reported by several articles, so merging is
exercised.

Each size is built in a fresh Python process (``kg.workspace.build(files, out, workers=--jobs)``,
default one worker per core).  Printed per size: articles per second (wall, whole build), per core
and per CPU second of the process tree (the last is robust to other load on a shared machine); peak
memory of the build's process tree (psutil, polled every 0.2 s: the sum of PSS, which shares the
pages the forked workers share, and the sum of RSS, which counts them once per process); seconds
in each stage (``BuildReport.stage_seconds``; clean, annotate and extract are summed over the worker
processes); and how many nodes each real event became: ours (the events of ``OUT/events.json``,
matched to the gold through their sources' ``origin`` and their type) against the baseline of one
node per report (GDELT-style feeds, no merging: the number of articles reporting each real event).
Also: real events missed, output events holding two or more real events, output events dated more
than a day off their real event, output events of a type their articles do not report, a table per
event type, and the time per article at each size relative to the smallest (linearity).
``--errors K`` prints K examples of each kind of error.

Targets (issue "At scale and under faults"): >= 50 articles/s per core, peak memory <= 2 GB at 100k,
stage times close to linear, <= 1.05 nodes per real event.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import sys
import subprocess
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "data" / "gazetteer"
FIRST_DAY, LAST_DAY = date(2024, 1, 1), date(2026, 12, 31)
RECORDS_PER_FILE = 10_000
STAGES = ("read", "clean", "annotate", "extract", "resolve", "write")

# ---------------------------------------------------------------------------------------------------------
# The world: real countries and cities, invented people.

# Countries whose bare name reads badly in running text ("the United States"), that are also common
# words or first names ("Jordan", "Georgia"), or that are not states in negotiations.
_SKIP_COUNTRIES = {"united-states", "united-kingdom", "united-arab-emirates", "netherlands", "philippines",
                   "czech-republic", "dr-congo", "vatican-city", "jordan", "georgia"}
# City names that are also first names or words.
_SKIP_CITIES = {"sofia", "santiago", "lima", "victoria", "vatican-city", "juba"}

_FIRST_A = ["Ar", "Be", "Ca", "Da", "Ele", "Fa", "Ga", "Ha", "Ila", "Jo", "Ka", "Le", "Mi", "No", "Ora", "Pa",
            "Ra", "Sa", "Ta", "Ve", "Za", "Lu", "Ti", "Bo"]
_FIRST_B = ["ran", "lin", "mira", "tos", "nia", "vel", "dor", "sha", "kon", "ren", "lia", "mon", "bel", "dris"]
_LAST_A = ["Bal", "Cor", "Dun", "Fer", "Gal", "Hor", "Kes", "Lom", "Mar", "Nol", "Ost", "Per", "Quin", "Rov",
           "Sar", "Tol", "Ulm", "Var", "Wen", "Zor", "Brav", "Drem", "Grel", "Tusk"]
_LAST_B = ["a", "e", "i", "o", "u", "", "an", "el"]
_LAST_C = ["vic", "dan", "berg", "ski", "net", "ova", "ard", "ez", "ani", "ulin", "sen", "kov", "ides", "ayev"]

_TITLES = {"fm": "Foreign Minister", "deputy": "Deputy Foreign Minister", "negotiator": "chief negotiator",
           "spokesman": "foreign ministry spokesman", "envoy": "special envoy"}
_AGENCIES = ["Meridian Press", "Northline News", "Caspian Dispatch", "Harbor Wire", "Atlas Newswire",
             "Continental Report", "Global Ledger", "Eastern Courier"]
_AGENCY_SHORT = {"Meridian Press": "MP", "Northline News": "NLN", "Caspian Dispatch": "CD", "Harbor Wire": "HW",
                 "Atlas Newswire": "Atlas", "Continental Report": "CR", "Global Ledger": "GL",
                 "Eastern Courier": "EC"}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    demonym: str
    capital: str | None


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    country: Country


def _load_world() -> tuple[list[Country], dict[str, list[str]], list[str]]:
    """Countries (with a demonym), cities by country id, and every usable city."""
    cities: dict[str, list[str]] = defaultdict(list)
    with (GAZETTEER / "places.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "city" and row["id"] not in _SKIP_CITIES and row["name"].isascii() \
                    and "," not in row["name"]:
                cities[row["country"]].append(row["name"])
    countries = []
    with (GAZETTEER / "actors.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] != "country" or row["id"] in _SKIP_COUNTRIES:
                continue
            demonyms = [d for d in row["demonyms"].split("|") if d and not d.endswith(("'s", "'"))]
            if not demonyms:
                continue
            capital = next(iter(cities.get(row["id"], [])), None)
            countries.append(Country(row["id"], row["name"], demonyms[0], capital))
    every_city = sorted({c for names in cities.values() for c in names})
    return countries, dict(cities), every_city


# ---------------------------------------------------------------------------------------------------------
# Gold: real events, grouped in episodes of a process.

@dataclass
class RealEvent:
    id: int
    type: str
    day: date
    parties: tuple[Country, Country]
    city: str | None = None
    ordinal: int | None = None
    number: int | None = None            # prisoners per side, days of an ultimatum, points of a plan
    speaker: Person | None = None
    topic: str | None = None
    deadline: RealEvent | None = None    # an ultimatum's deadline (a real event of its own)


@dataclass
class Process:
    parties: tuple[Country, Country]
    mediator: Country
    venues: list[str]
    people: dict[tuple[int, str], Person]   # (side 0/1, role) -> person
    rounds: int = 0


@dataclass
class Episode:
    process: Process
    events: list[RealEvent] = field(default_factory=list)


_TOPICS = ["border demarcation", "grain transit", "water sharing", "humanitarian corridors",
           "the reopening of border crossings", "the return of displaced families", "rail links",
           "energy supplies", "the exchange of detainees' lists", "mine clearance"]
_DEAL_KINDS = ["border demarcation", "grain transit", "water-sharing", "rail transit", "energy", "mine-clearance"]


class Generator:
    """Deterministic synthetic news: ``articles(n)`` yields (record, gold events reported)."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.countries, self.cities, self.every_city = _load_world()
        self.used_names: set[str] = set()
        self.next_id = 0
        self.events: list[RealEvent] = []
        # the two parties' ids -> days (ordinals) of their events: two episodes of one pair of countries are
        # never within a week of each other (their events would be indistinguishable in text)
        self.taken: dict[frozenset[str], set[int]] = defaultdict(set)

    # -- the world ----------------------------------------------------------------------------------------
    def person(self, country: Country, role: str) -> Person:
        rng = self.rng
        while True:
            first = rng.choice(_FIRST_A) + rng.choice(_FIRST_B)
            last = rng.choice(_LAST_A) + rng.choice(_LAST_B) + rng.choice(_LAST_C)
            name = f"{first} {last}"
            if name not in self.used_names and last.lower() not in {c.name.lower() for c in self.countries}:
                self.used_names.add(name)
                return Person(name, _TITLES[role], country)

    def process(self) -> Process:
        rng = self.rng
        a, b, mediator = rng.sample(self.countries, 3)
        venues = list(self.cities.get(mediator.id, [])) or rng.sample(self.every_city, 2)
        people = {(side, role): self.person(country, role)
                  for side, country in enumerate((a, b)) for role in _TITLES}
        return Process((a, b), mediator, venues, people)

    def _event(self, process: Process, kind: str, day: date, **values) -> RealEvent:
        parties = values.pop("parties", process.parties)
        event = RealEvent(self.next_id, kind, day, parties, **values)
        self.next_id += 1
        self.events.append(event)
        return event

    def _free(self, process: Process, days: list[date]) -> bool:
        pair = frozenset(c.id for c in process.parties)
        return not any(abs(d.toordinal() - t) < 8 for d in days for t in self.taken[pair])

    def episode(self, process: Process, start: date) -> Episode:
        """One episode: 1-4 real events within three days, of one process."""
        rng = self.rng
        episode = Episode(process)
        kind = rng.choices(["round", "exchange", "ultimatum", "proposal"], weights=[5, 3, 1, 2])[0]
        side = rng.randrange(2)
        a, b = process.parties if side == 0 else process.parties[::-1]
        speaker = process.people[(rng.randrange(2), rng.choice(["fm", "spokesman", "negotiator", "deputy"]))]
        if kind == "round":
            process.rounds += 1
            episode.events.append(self._event(process, "TalkRound", start, city=rng.choice(process.venues),
                                              ordinal=process.rounds))
            if rng.random() < 0.5:
                episode.events.append(self._event(process, "Agreement", start, city=episode.events[0].city,
                                                  topic=rng.choice(_DEAL_KINDS)))
            if rng.random() < 0.5:
                episode.events.append(self._event(process, "Statement", start, speaker=speaker,
                                                  topic=rng.choice(_STATEMENT_CLAUSES)))
            if rng.random() < 0.3:
                episode.events.append(self._event(process, "PrisonerExchange", start + timedelta(rng.randint(1, 2)),
                                                  number=rng.randrange(20, 400, 5)))
        elif kind == "exchange":
            episode.events.append(self._event(process, "PrisonerExchange", start, number=rng.randrange(10, 1300, 5)))
            if rng.random() < 0.5:
                episode.events.append(self._event(process, "Statement", start + timedelta(rng.randint(0, 1)),
                                                  speaker=speaker, topic=rng.choice(_STATEMENT_CLAUSES)))
        elif kind == "ultimatum":
            days = rng.choice([7, 10, 12, 14, 20, 21, 30, 45, 50, 60, 90])
            ultimatum = self._event(process, "Ultimatum", start, number=days, parties=(a, b))  # issuer first
            ultimatum.deadline = RealEvent(self.next_id, "Deadline", start + timedelta(days), (a, b), number=days)
            self.next_id += 1
            self.events.append(ultimatum.deadline)
            episode.events.append(ultimatum)
            if rng.random() < 0.6:
                reply = process.people[(1 - side, rng.choice(["fm", "spokesman"]))]
                episode.events.append(self._event(process, "Statement", start + timedelta(rng.randint(0, 1)),
                                                  speaker=reply, topic=rng.choice(_STATEMENT_CLAUSES)))
        else:
            episode.events.append(self._event(process, "Proposal", start, number=rng.randint(3, 20),
                                              topic=rng.choice(_TOPICS), parties=(a, b)))  # proposer first
            if rng.random() < 0.5:
                episode.events.append(self._event(process, "Statement", start, speaker=speaker,
                                                  topic=rng.choice(_STATEMENT_CLAUSES)))
        days = [e.day for e in episode.events]
        pair = frozenset(c.id for c in process.parties)
        self.taken[pair].update(d.toordinal() for d in days)
        return episode

    # -- articles -----------------------------------------------------------------------------------------
    def articles(self, n: int):
        """Yield ``n`` (record, [RealEvent reported]) pairs, episode by episode."""
        rng = self.rng
        made = 0
        span = (LAST_DAY - FIRST_DAY).days - 120
        while made < n:
            process = self.process()
            day = FIRST_DAY + timedelta(rng.randrange(span))
            for _ in range(rng.randint(3, 7)):
                day += timedelta(rng.randint(9, 70))
                if day > LAST_DAY - timedelta(5):
                    break
                if not self._free(process, [day + timedelta(k) for k in range(3)]):
                    continue
                episode = self.episode(process, day)
                for _ in range(rng.randint(3, 10)):
                    if made >= n:
                        return
                    reported = [e for e in episode.events if rng.random() < 0.6] or [rng.choice(episode.events)]
                    first, last = min(e.day for e in reported), max(e.day for e in reported)
                    published = last + timedelta(rng.randint(0, max(0, 3 - (last - first).days)))
                    yield self.article(made, episode, reported, published), reported
                    made += 1

    def article(self, number: int, episode: Episode, reported: list[RealEvent], published: date) -> dict:
        rng = self.rng
        process = episode.process
        a, b = process.parties
        agency = rng.choice(_AGENCIES)
        main = reported[0]
        paragraphs = [self.sentence(event, published, process) for event in reported]
        for position, event in reversed(list(enumerate(reported))):   # an undated follow-up sentence
            if event.type in _FOLLOW_UP and rng.random() < 0.5:
                paragraphs.insert(position + 1, rng.choice(_FOLLOW_UP[event.type]).format(
                    dA=a.demonym, dB=b.demonym, M=process.mediator.name, h=rng.randint(2, 9),
                    B=event.parties[1].name))
        if main.type == "TalkRound" and rng.random() < 0.5:
            heads = [process.people[(s, rng.choice(["fm", "negotiator"]))] for s in (0, 1)]
            paragraphs.insert(1, f"The {heads[0].country.demonym} delegation was led by {heads[0].title} "
                                 f"{heads[0].name}, and the {heads[1].country.demonym} side by {heads[1].title} "
                                 f"{heads[1].name}.")
        if main.type == "Ultimatum" and rng.random() < 0.4:
            due = main.deadline.day  # type: ignore[union-attr]
            whose = rng.choice(["The", f"{main.parties[0].name}'s"])   # the issuer's, or no owner
            paragraphs.insert(1, f"{whose} deadline expires on {_MONTHS[due.month - 1]} {due.day}"
                                 f"{', ' + str(due.year) if due.year != published.year else ''}.")
        context = dict(A=a.name, B=b.name, dA=a.demonym, dB=b.demonym, capA=a.capital or a.name,
                       capB=b.capital or b.name, M=process.mediator.name, pct=rng.randint(2, 40),
                       k=rng.randint(2, 90), year0=published.year - rng.randint(1, 6),
                       month0=_MONTHS[(published.month - 2) % 12], month1=_MONTHS[published.month % 12])
        background = [line.format(**context) for line in rng.sample(_BACKGROUND, rng.randint(8, 16))]
        while background:   # paragraphs of one or two sentences, after the lead
            take = rng.randint(1, 2)
            paragraphs.insert(rng.randint(1, len(paragraphs)), " ".join(background[:take]))
            background = background[take:]
        if rng.random() < 0.7:    # a dateline: "CITY, Month D (Agency) -"
            place = rng.choice([c for c in (main.city, a.capital, b.capital) if c] or [process.venues[0]])
            month = _MONTHS[published.month - 1]
            month = month if len(month) <= 5 or rng.random() < 0.5 else month[:3] + "."
            paragraphs[0] = f"{place.upper()}, {month} {published.day} ({_AGENCY_SHORT[agency]}) – {paragraphs[0]}"
        hour, minute = rng.randrange(5, 23), rng.randrange(60)
        return {
            "title": self.headline(main, process),
            "text": "\n\n".join(paragraphs),
            "published": f"{published.isoformat()}T{hour:02d}:{minute:02d}:00Z",
            "url": f"https://{agency.lower().replace(' ', '')}.example/{published:%Y/%m/%d}/story-{number}",
            "source": agency,
        }

    def when(self, day: date, published: date) -> str:
        """How the article says the day: "on March 4", "on Tuesday", "yesterday", "today"."""
        rng = self.rng
        delta = (published - day).days
        choices = ["absolute", "absolute", "weekday"]
        if delta == 1:
            choices.append("yesterday")
        if delta == 0:
            choices.append("today")
        how = rng.choice(choices)
        if how == "absolute":
            text = rng.choice(["on {m} {d}", "on {m} {d}", "on {d} {m}", "on {m} {d}, {y}"]).format(
                m=_MONTHS[day.month - 1], d=day.day, y=day.year)
        elif how == "weekday":
            text = f"on {_WEEKDAYS[day.weekday()]}"
        else:
            text = how
        return text

    def sentence(self, event: RealEvent, published: date, process: Process) -> str:
        rng = self.rng
        a, b = event.parties
        template = rng.choice(_TEMPLATES[event.type])
        when = self.when(event.day, published)
        values = dict(A=a.name, B=b.name, dA=a.demonym, dB=b.demonym, M=process.mediator.name, when=when,
                      When=when[0].upper() + when[1:], city=event.city, n=event.number,
                      ord=_ORDINALS[(event.ordinal or 1) - 1], topic=event.topic)
        if event.type == "TalkRound":
            head = process.people[(0, rng.choice(["fm", "negotiator"]))]
            values.update(head=f"{head.title} {head.name}")
        if event.type == "Statement":
            speaker = event.speaker
            assert speaker is not None
            values.update(speaker=speaker.name, title=speaker.title, Title=speaker.title[0].upper() +
                          speaker.title[1:], dS=speaker.country.demonym, clause=event.topic,
                          Clause=event.topic[0].upper() + event.topic[1:])  # type: ignore[index]
        return template.format(**values)

    def headline(self, event: RealEvent, process: Process) -> str:
        a, b = event.parties
        return {
            "TalkRound": f"{a.name} and {b.name} hold {_ORDINALS[(event.ordinal or 1) - 1]} round of talks in "
                         f"{event.city}",
            "PrisonerExchange": f"{a.name} and {b.name} swap {event.number} prisoners each",
            "Ultimatum": f"{a.name} gives {b.name} {event.number} days",
            "Proposal": f"{a.name} puts forward {event.number}-point plan",
            "Agreement": f"{a.name} and {b.name} sign {event.topic} deal",
            "Statement": f"{event.speaker.name if event.speaker else a.name} speaks on {b.name}",
        }.get(event.type, f"{a.name} and {b.name}")


_STATEMENT_CLAUSES = ["his country remained ready for dialogue", "the humanitarian situation was getting worse",
                      "there would be no concessions on territory", "progress was slow but real",
                      "the other side was not serious about peace", "much work remained to be done",
                      "the government would keep its commitments", "the next weeks would be decisive"]

# Sentence templates per real-event type. {when} is "on March 4", "on Tuesday", "yesterday" or "today".
_TEMPLATES: dict[str, list[str]] = {
    "TalkRound": [
        "Delegations from {A} and {B} held a {ord} round of talks in {city} {when}.",
        "The {ord} round of negotiations between {A} and {B} took place in {city} {when}, with the {dA} "
        "delegation led by {head}.",
        "{A} and {B} met in {city} {when} for a {ord} round of direct talks mediated by {M}.",
        "Negotiators from {A} and {B} sat down in {city} {when} for their {ord} round of talks, hosted by {M}.",
        "{dA} and {dB} negotiators met in {city} {when}, the {ord} round of talks between the two countries.",
    ],
    "PrisonerExchange": [
        "{A} and {B} exchanged {n} prisoners of war each {when}, in a swap mediated by {M}.",
        "{A} and {B} freed {n} captives each in a prisoner swap {when}.",
        "{A} and {B} carried out a prisoner exchange {when}, swapping {n} prisoners each, officials on both sides "
        "said.",
        "{When}, {A} and {B} swapped {n} prisoners per side in an exchange brokered by {M}.",
    ],
    "Ultimatum": [
        "{A} {when} gave {B} {n} days to agree to a settlement or face consequences.",
        "{A} issued a {n}-day ultimatum to {B} {when} over the disputed border area.",
        "{When}, {A} gave {B} a {n}-day deadline to withdraw its forces from the border zone.",
    ],
    "Agreement": [
        "{A} and {B} signed a {topic} agreement in {city} {when}.",
        "{When}, {A} and {B} signed a {topic} deal in {city}.",
        "The two sides struck a {topic} deal in {city} {when}, officials from {A} and {B} said.",
    ],
    "Proposal": [
        "{A} proposed a {n}-point peace plan to {B} {when}.",
        "{A} {when} put forward a draft memorandum on {topic}, which {B} said it would study.",
        "{When}, {A} offered {B} a new proposal on {topic}.",
    ],
    "Statement": [
        "{dS} {title} {speaker} said {when} that {clause}.",
        "{Clause}, {dS} {title} {speaker} told reporters {when}.",
        "In a statement {when}, {dS} {title} {speaker} said that {clause}.",
        "{dS} {title} {speaker} stressed {when} that {clause}.",
    ],
}

# A second, undated sentence about the event just reported: it must join that event, not make a new one.
_FOLLOW_UP: dict[str, list[str]] = {
    "TalkRound": ["The talks lasted about {h} hours, according to a source close to the {dA} delegation.",
                  "Both delegations described the talks as constructive."],
    "PrisonerExchange": ["The exchange was mediated by {M}.",
                         "Most of the freed prisoners were taken to hospitals for medical checks."],
    "Agreement": ["The agreement still has to be ratified by both parliaments."],
    "Ultimatum": ["{B} called the ultimatum unacceptable."],
    "Proposal": ["The proposal includes a phased withdrawal of forces from the border districts."],
}

# Background: context a wire story carries around the news (no event of the types reported), so that
# articles have the length of real ones (about 2,000 characters) and the annotator sees places, numbers
# and dates that belong to no event.  Two mention earlier talks without a date: those must not become events.
_BACKGROUND = [
    "Relations between {A} and {B} have been strained for decades.",
    "Fighting along the border has displaced tens of thousands of people since {year0}.",
    "Previous talks between the two countries produced few results.",
    "Earlier rounds ended without a joint communique.",
    "Analysts in {capA} describe the process as fragile and say much depends on domestic politics.",
    "Both governments face pressure at home to show results before the elections.",
    "The {dB} economy has been hit hard by the closure of trade routes, and inflation reached {pct} percent "
    "in {month0}.",
    "Diplomats say the gap between the two positions remains wide on the status of the border districts.",
    "Officials in {capB} declined to give details.",
    "Humanitarian agencies estimate that {k},000 people in the border districts still lack clean water.",
    "Parliament in {capA} is due to debate the defence budget in {month1}.",
    "Opposition parties in {A} have criticised the government's approach, calling it too soft.",
    "Trade between {A} and {B} fell by {pct} percent last year, according to official figures.",
    "The border has been closed to civilian traffic since {month0} {year0}.",
    "{M}, which has acted as an intermediary, has urged both sides to show restraint.",
    "Independent observers have not been able to verify claims by either side about losses on the ground.",
    "Residents of border villages say they want guarantees of their safety before they return home.",
    "The foreign ministry in {capB} summoned the {dA} ambassador last month over what it called provocations.",
    "Winter is expected to complicate the delivery of aid to the region.",
    "The conflict has cost both economies billions of dollars, according to estimates by independent "
    "economists.",
    "Markets in {capA} rose {pct} percent on the news, while the {dB} currency was little changed.",
    "Nationalist groups in {capB} staged a small protest outside government buildings.",
    "Church leaders and civic groups in both countries have called for calm.",
    "Aid convoys reached the border area last week for the first time since {month0}.",
]


def write_corpus(size: int, seed: int, folder: Path) -> tuple[list[Path], dict[str, list[RealEvent]], Generator]:
    """Write ``size`` articles as JSONL files of at most 10k records; gold: origin -> real events reported."""
    folder.mkdir(parents=True, exist_ok=True)
    generator = Generator(seed)
    gold: dict[str, list[RealEvent]] = {}
    files: list[Path] = []
    handle = None
    for index, (record, reported) in enumerate(generator.articles(size)):
        if index % RECORDS_PER_FILE == 0:
            if handle:
                handle.close()
            files.append(folder / f"articles-{index // RECORDS_PER_FILE:03d}.jsonl")
            handle = files[-1].open("w", encoding="utf-8")
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        # The reader names a JSONL record "<path>#<line>"; a Deadline is reported with its ultimatum.
        reported_all = reported + [e.deadline for e in reported if e.deadline]
        gold[f"{files[-1]}#{index % RECORDS_PER_FILE + 1}"] = reported_all
    if handle:
        handle.close()
    return files, gold, generator


# ---------------------------------------------------------------------------------------------------------
# Measuring.

class PeakMemory:
    """Peaks of the summed RSS and PSS of this process and all its descendants, polled every ``interval`` s.

    RSS counts a page shared by several processes (the workers are forked) once per process, so its sum is
    an upper bound; PSS divides each shared page among its sharers, so its sum is what the tree occupies.
    """

    def __init__(self, interval: float = 0.2) -> None:
        import psutil

        self.interval = interval
        self.process = psutil.Process()
        self.rss = self.pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        rss = pss = 0
        for proc in [self.process] + self.process.children(recursive=True):
            try:
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


@dataclass
class Accuracy:
    real_events: int = 0
    found: int = 0
    missed: int = 0
    nodes_per_found: float = 0.0
    baseline: float = 0.0         # reports (articles) per real event: one node per report, no merging
    unmatched: int = 0            # output events matching no real event
    over_merged: int = 0          # output events holding reports of two or more real events
    misdated: int = 0             # output events whose start is not within a day of their real event's day
    by_type: dict[str, tuple[int, ...]] = field(default_factory=dict)   # type -> (real, found, nodes, misdated, merged)
    unmatched_by_type: Counter = field(default_factory=Counter)
    missed_examples: list = field(default_factory=list)
    unmatched_examples: list = field(default_factory=list)
    split_examples: list = field(default_factory=list)
    merged_examples: list = field(default_factory=list)
    misdated_examples: list = field(default_factory=list)


def score(events, gold: dict[str, list[RealEvent]], examples: int = 0) -> Accuracy:
    """Match output events to real events through their sources.

    An article reports at most one real event of each type (its events come from one episode of one
    process), so a source (its ``origin``, the JSONL path and line) and the event's type name one real
    event.  An output event belongs to the real event most of its sources name; it "merged 2+" when its
    sources name several; it is "misdated" when its start is not within a day of the real event's day.
    """
    reports: Counter[int] = Counter()
    real: dict[int, RealEvent] = {}
    by_origin: dict[str, dict[str, int]] = {}
    for origin, reported in gold.items():
        by_origin[origin] = {event.type: event.id for event in reported}
        for event in reported:
            reports[event.id] += 1
            real[event.id] = event
    nodes: dict[int, list] = defaultdict(list)
    acc = Accuracy(real_events=len(real))
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])   # real, found, nodes, misdated, merged
    for event in events:
        votes = Counter(by_origin[s.origin][event.type] for s in event.sources
                        if event.type in by_origin.get(s.origin or "", {}))
        if not votes:
            acc.unmatched += 1
            acc.unmatched_by_type[event.type] += 1
            if len(acc.unmatched_examples) < examples:
                acc.unmatched_examples.append(event)
            continue
        main = real[votes.most_common(1)[0][0]]
        nodes[main.id].append(event)
        if len(votes) > 1:
            acc.over_merged += 1
            per_type[event.type][4] += 1
            if len(acc.merged_examples) < examples:
                acc.merged_examples.append((event, [real[i] for i in votes]))
        if event.start is None or not (event.start - timedelta(1) <= main.day <= (event.end or event.start)
                                       + timedelta(1)):
            acc.misdated += 1
            per_type[event.type][3] += 1
            if len(acc.misdated_examples) < examples:
                acc.misdated_examples.append((event, main))
    for event_id, event in real.items():
        counts = per_type[event.type]
        counts[0] += 1
        if nodes.get(event_id):
            counts[1] += 1
            counts[2] += len(nodes[event_id])
            if len(nodes[event_id]) > 1 and len(acc.split_examples) < examples:
                acc.split_examples.append((event, nodes[event_id]))
        elif len(acc.missed_examples) < examples:
            acc.missed_examples.append(event)
    acc.found = sum(1 for e in real if nodes.get(e))
    acc.missed = acc.real_events - acc.found
    acc.nodes_per_found = sum(len(n) for n in nodes.values()) / max(1, acc.found)
    acc.baseline = sum(reports.values()) / max(1, len(reports))
    acc.by_type = {t: tuple(v) for t, v in sorted(per_type.items())}  # type: ignore[misc]
    return acc


@dataclass
class Row:
    size: int
    seconds: float
    generate_seconds: float
    peak_rss: int
    peak_pss: int
    stages: dict[str, float]
    accuracy: Accuracy
    events: int
    jobs: int
    chars: int
    cpu_seconds: float     # user + system CPU of this process and its (finished) worker processes


def _cpu_seconds() -> float:
    """CPU seconds used so far by this process and its children that have ended (the pool's workers do)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def build_and_measure(files: list[Path], out: Path, jobs: int) -> dict:
    """Build OUT from ``files`` in this process, measuring time, CPU and memory of the process tree."""
    from kg.workspace import build

    cpu_before = _cpu_seconds()
    with PeakMemory() as memory:
        report = build(files, out, workers=jobs)
    return {"seconds": report.seconds, "stages": dict(report.stage_seconds), "cpu": _cpu_seconds() - cpu_before,
            "rss": memory.rss, "pss": memory.pss}


def run_size(size: int, seed: int, jobs: int, workdir: Path, examples: int) -> Row:
    """Generate ``size`` articles, build them in a fresh Python process, score its events.json against the gold.

    The build runs in a process of its own so that neither the gold kept here nor an earlier size's build
    weighs on its memory (its workers are forked from it), just as with ``kg build``.
    """
    from kg.contract import read_events_json

    folder = workdir / f"corpus-{size}"
    out = workdir / f"out-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    files, gold, _generator = write_corpus(size, seed, folder)
    chars = sum(len(json.loads(line)["text"]) for path in files for line in path.open(encoding="utf-8"))
    generated = time.perf_counter() - started
    print(f"[{size:,}] generated {len(gold):,} articles in {len(files)} file(s) in {generated:.1f} s; building "
          f"with {jobs} worker(s) ...", file=sys.stderr, flush=True)
    measured = workdir / f"measured-{size}.json"
    subprocess.run([sys.executable, __file__, "--build-only", str(out), "--jobs", str(jobs), "--result",
                    str(measured), "--files", *map(str, files)], check=True)
    figures = json.loads(measured.read_text(encoding="utf-8"))
    events = read_events_json(out / "events.json").events
    accuracy = score(events, gold, examples)
    return Row(size, figures["seconds"], generated, figures["rss"], figures["pss"], figures["stages"], accuracy,
               len(events), jobs, chars, figures["cpu"])


def print_table(rows: list[Row]) -> None:
    header = (f"{'articles':>8} | {'art/s':>5} | {'/core':>5} | {'/CPU-s':>6} | {'peak PSS':>8} | "
              + " | ".join(f"{s:>8}" for s in STAGES)
              + f" | {'nodes/real event':>16} | {'missed':>11} | {'merged 2+':>9} | {'misdated':>8} | {'no real':>7}")
    print()
    print("art/s: articles per second of the whole build (wall); /core: that divided by min(jobs, cores); /CPU-s: "
          "articles per CPU second")
    print("  of the process tree (robust to other load on the machine); peak PSS: of the build's process tree "
          "(PSS counts shared pages once); stages in seconds")
    print("  (clean, annotate, extract: wall seconds inside the workers, summed over them)")
    print(header)
    print("-" * len(header))
    for row in rows:
        acc = row.accuracy
        cores = max(1, min(row.jobs, os.cpu_count() or 1))
        rate = row.size / row.seconds
        print(f"{row.size:>8,} | {rate:>5.0f} | {rate / cores:>5.0f} | {row.size / row.cpu_seconds:>6.0f} | "
              f"{row.peak_pss / 2**20:>5.0f} MB | "
              + " | ".join(f"{row.stages.get(s, 0.0):>8.1f}" for s in STAGES)
              + f" | {acc.nodes_per_found:>5.3f} vs {acc.baseline:>5.2f}"
              + f" | {acc.missed:>5,} ({100 * acc.missed / max(1, acc.real_events):>2.0f}%)"
              + f" | {acc.over_merged:>9,} | {acc.misdated:>8,} | {acc.unmatched:>7,}")
    print()
    print("nodes/real event: ours (output events per real event found) vs. the baseline of one node per report "
          "(GDELT-style, no merging:")
    print("  articles reporting each real event). missed: real events no output event holds; merged 2+: output "
          "events holding")
    print("  reports of two or more real events; misdated: output events not within a day of their real event "
          "(or undated);")
    print("  no real: output events of a type none of their articles reports.")
    base = rows[0]
    if len(rows) > 1:
        print()
        print("linearity: seconds per article relative to the smallest size (1.00 = linear; stages under 0.05 s "
              "there are left out)")
        for row in rows[1:]:
            parts = [f"total {row.seconds / row.size / (base.seconds / base.size):.2f}"]
            for stage in STAGES:
                small, big = base.stages.get(stage, 0.0), row.stages.get(stage, 0.0)
                if small >= 0.05:
                    parts.append(f"{stage} {big / row.size / (small / base.size):.2f}")
            print(f"  {row.size:>8,} vs {base.size:,}: " + ", ".join(parts))
    print()
    last = rows[-1]
    print(f"per type at {last.size:,} articles: real events, found, nodes per found, misdated, merged 2+")
    for kind, (real, found, nodes, misdated, merged) in last.accuracy.by_type.items():
        print(f"  {kind:<17} {real:>7,} {found:>7,} {nodes / max(1, found):>6.3f} {misdated:>7,} {merged:>7,}")
    if last.accuracy.unmatched_by_type:
        print("  no real event, by type: "
              + ", ".join(f"{t} {n:,}" for t, n in last.accuracy.unmatched_by_type.most_common()))
    print()
    for previous, row in zip([None] + rows[:-1], rows):
        marginal = "" if previous is None else (
            f", {(row.peak_pss - previous.peak_pss) / (row.size - previous.size) / 1024:.0f} kB per added article")
        print(f"[{row.size:,}] {row.chars / row.size:,.0f} characters per article, generated in "
              f"{row.generate_seconds:.1f} s; {row.events:,} output events; build {row.seconds:.1f} s with "
              f"{row.jobs} worker(s); peak PSS {row.peak_pss / 2**20:.0f} MB{marginal} (RSS summed: "
              f"{row.peak_rss / 2**20:.0f} MB)")


def print_examples(row: Row) -> None:
    acc = row.accuracy

    def sources(event) -> str:
        return "\n".join(f"      [{s.origin.rsplit('/', 1)[-1]}] {s.sentence}" for s in event.sources[:6])

    print("\nmissed real events:")
    for event in acc.missed_examples:
        print(f"  #{event.id} {event.type} {event.day} {event.parties[0].name}-{event.parties[1].name} "
              f"{event.city or ''} {event.number or ''} {event.speaker.name if event.speaker else ''}")
    print("\noutput events matching no real event:")
    for event in acc.unmatched_examples:
        print(f"  {event.type} {event.start}..{event.end} {event.label}\n{sources(event)}")
    print("\noutput events holding reports of several real events:")
    for event, reals in acc.merged_examples:
        print(f"  {event.type} {event.start}..{event.end} {event.label}: real "
              + "; ".join(f"#{r.id} {r.day} {r.parties[0].name}-{r.parties[1].name} {r.number or ''}" for r in reals)
              + f"\n{sources(event)}")
    print("\nmisdated output events:")
    for event, real in acc.misdated_examples:
        print(f"  {event.type} {event.start}..{event.end} {event.label} (real #{real.id}: {real.day})\n"
              f"{sources(event)}")
    print("\nreal events split into several nodes:")
    for real, nodes in acc.split_examples:
        print(f"  #{real.id} {real.type} {real.day}:")
        for node in nodes:
            print(f"    {node.start} {node.label} ({len(node.sources)} sources)\n{sources(node)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go (default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--errors", type=int, default=0, metavar="K",
                        help="print K examples of missed, unmatched and split events for each size")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    # The build of one size, run by the parent in a fresh process:
    parser.add_argument("--build-only", type=Path, metavar="OUT", help=argparse.SUPPRESS)
    parser.add_argument("--files", nargs="+", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        figures = build_and_measure(args.files, args.build_only, args.jobs)
        args.result.write_text(json.dumps(figures), encoding="utf-8")
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for size in sorted(args.sizes):
            rows.append(run_size(size, args.seed, args.jobs, workdir, args.errors))
            if args.errors:
                print_examples(rows[-1])
        print_table(rows)
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif rows:
            print(f"corpora and builds kept in {workdir}")


if __name__ == "__main__":
    main()
