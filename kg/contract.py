"""``events.json``: the machine-readable contract other tools read (writer and reader).

``corpus_to_dict`` and ``corpus_from_dict`` are inverses (a round-trip test
holds them to it), like networkx's ``node_link_data`` / ``node_link_graph``.
Keep the keys stable: add, never rename.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from kg.atomic import write_text_atomic
from kg.records import (Actor, Article, Claim, Corpus, Event, Link, Participant, Place, Process, SkippedDocument,
                        Source)

SCHEMA_VERSION = 1


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _source_dict(source: Source) -> dict[str, Any]:
    return {"article": source.article, "title": source.title, "url": source.url,
            "published": _iso(source.published), "sentence": source.sentence,
            "sentence_index": source.sentence_index, "trigger": source.trigger,
            "char_start": source.char_start, "char_end": source.char_end, "origin": source.origin,
            "reference_date": _iso(source.reference_date), "sentence_start": source.sentence_start}


def _source(data: dict[str, Any]) -> Source:
    return Source(article=data["article"], sentence=data["sentence"], sentence_index=data["sentence_index"],
                  url=data.get("url"), published=_day(data.get("published")), title=data.get("title"),
                  char_start=data.get("char_start"), char_end=data.get("char_end"), trigger=data.get("trigger"),
                  origin=data.get("origin"), reference_date=_day(data.get("reference_date")),
                  sentence_start=data.get("sentence_start"))


def corpus_to_dict(corpus: Corpus) -> dict[str, Any]:
    """The ``events.json`` document for a corpus (JSON-ready: dates as ISO strings)."""
    actors = {a.id: a for a in corpus.actors}
    events = []
    for event in corpus.events:
        events.append({
            "id": event.id, "type": event.type, "label": event.label,
            "start": _iso(event.start), "end": _iso(event.end), "precision": event.precision,
            "time_text": event.time_text, "edtf": event.edtf, "modality": event.modality,
            "actors": [{"id": p.actor, "name": p.name, "role": p.role,
                        "wikidata": actors[p.actor].wikidata if p.actor in actors else None}
                       for p in event.participants],
            "places": [{"id": p.id, "name": p.name, "wikidata": p.wikidata} for p in event.places],
            "quantities": dict(event.quantities),
            "sources": [_source_dict(s) for s in event.sources],
            "claims": [{"start": _iso(c.start), "end": _iso(c.end), "precision": c.precision,
                        "time_text": c.time_text,
                        "attribution": ({"id": c.attribution,
                                         "name": actors[c.attribution].name if c.attribution in actors
                                         else c.attribution} if c.attribution else None),
                        "source": _source_dict(c.source)} for c in event.claims],
            "conflict": bool(event.claims) or bool(event.resolution_note and "reports say" in event.resolution_note),
            "resolution_note": event.resolution_note, "process": event.process, "ordinal": event.ordinal,
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "events": events,
        "actors": [{"id": a.id, "name": a.name, "kind": a.kind, "aliases": list(a.aliases), "wikidata": a.wikidata,
                    "title": a.title, "affiliation": a.affiliation} for a in corpus.actors],
        "articles": [{"id": a.id, "title": a.title, "url": a.url, "published": _iso(a.published),
                      "reference_date": _iso(a.reference_date), "source": a.source, "origin": a.origin,
                      "dateline_place": a.dateline_place} for a in corpus.articles],
        "links": [{"source": link.source, "target": link.target, "type": link.type, "date": _iso(link.date)}
                  for link in corpus.links],
        "processes": [{"id": p.id, "label": p.label, "events": list(p.events)} for p in corpus.processes],
        "skipped": [{"origin": s.origin, "reason": s.reason} for s in corpus.skipped],
    }


def corpus_from_dict(data: dict[str, Any], texts: dict[str, str] | None = None) -> Corpus:
    """Rebuild a ``Corpus`` from an ``events.json`` document (article texts are not in it)."""
    texts = texts or {}
    events = tuple(
        Event(id=e["id"], type=e["type"], label=e["label"], start=_day(e["start"]), end=_day(e["end"]),
              precision=e["precision"], time_text=e.get("time_text") or "", modality=e["modality"],
              participants=tuple(Participant(actor=a["id"], name=a["name"], role=a["role"]) for a in e["actors"]),
              places=tuple(Place(id=p["id"], name=p["name"], wikidata=p.get("wikidata")) for p in e["places"]),
              quantities=tuple(sorted(e.get("quantities", {}).items())),
              sources=tuple(_source(s) for s in e["sources"]),
              claims=tuple(Claim(start=_day(c["start"]), end=_day(c["end"]), precision=c["precision"],
                                 time_text=c["time_text"],
                                 attribution=c["attribution"]["id"] if c.get("attribution") else None,
                                 source=_source(c["source"])) for c in e.get("claims", [])),
              resolution_note=e.get("resolution_note"), ordinal=e.get("ordinal"), process=e.get("process"),
              edtf=e.get("edtf"))
        for e in data["events"])
    actors = tuple(Actor(id=a["id"], name=a["name"], kind=a["kind"], aliases=tuple(a.get("aliases", [])),
                         wikidata=a.get("wikidata"), title=a.get("title"), affiliation=a.get("affiliation"))
                   for a in data["actors"])
    articles = tuple(Article(id=a["id"], origin=a.get("origin") or "", title=a["title"], text=texts.get(a["id"], ""),
                             published=_day(a["published"]), reference_date=_day(a["reference_date"]),  # type: ignore[arg-type]
                             url=a.get("url"), source=a.get("source"), dateline_place=a.get("dateline_place"))
                     for a in data["articles"])
    links = tuple(Link(source=link["source"], target=link["target"], type=link["type"], date=_day(link.get("date")))
                  for link in data.get("links", []))
    processes = tuple(Process(id=p["id"], label=p["label"], events=tuple(p["events"]))
                      for p in data.get("processes", []))
    skipped = tuple(SkippedDocument(origin=s["origin"], reason=s["reason"]) for s in data.get("skipped", []))
    return Corpus(articles=articles, events=events, actors=actors, links=links, processes=processes, skipped=skipped)


def write_events_json(corpus: Corpus, path: str | Path) -> Path:
    """Write ``events.json`` atomically (sorted keys, so output is deterministic).  orjson writes what
    ``json.dumps(..., ensure_ascii=False, indent=2, sort_keys=True)`` writes, several times faster."""
    text = orjson.dumps(corpus_to_dict(corpus), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
    return write_text_atomic(Path(path), text + "\n")


def read_events_json(path: str | Path) -> Corpus:
    """Read an ``events.json`` written by ``write_events_json``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} not found: run `kg build <articles> --out {path.parent}` first") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON (line {exc.lineno}): rebuild it with `kg build`") from None
    if not isinstance(data, dict) or "events" not in data:
        raise ValueError(f"{path} is not an events.json file (no 'events' key)")
    return corpus_from_dict(data)
