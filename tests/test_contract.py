"""events.json: the writer and the reader are inverses; output is deterministic and atomic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg
from kg.contract import corpus_from_dict, corpus_to_dict, read_events_json, write_events_json


def test_round_trip_through_events_json(corpus_graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    path = write_events_json(corpus_graph.corpus, tmp_path / "events.json")
    again = read_events_json(path)
    original = corpus_graph.corpus
    assert again.events == original.events
    assert again.actors == original.actors
    assert again.links == original.links and again.processes == original.processes
    assert [a.id for a in again.articles] == [a.id for a in original.articles]


def test_output_is_byte_identical_across_runs(corpus_graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    first = write_events_json(corpus_graph.corpus, tmp_path / "a.json").read_bytes()
    rebuilt = kg.build(Path(__file__).parent.parent / "data" / "articles")
    second = write_events_json(rebuilt.corpus, tmp_path / "b.json").read_bytes()
    assert first == second


def test_contract_keys(corpus_graph: kg.KnowledgeGraph) -> None:
    data = corpus_to_dict(corpus_graph.corpus)
    event = data["events"][0]
    assert {"id", "type", "label", "start", "end", "precision", "time_text", "modality", "actors", "places",
            "quantities", "sources"} <= set(event)
    assert {"article", "url", "published", "sentence"} <= set(event["sources"][0])
    assert {"id", "name", "kind", "aliases", "wikidata"} <= set(data["actors"][0])
    assert {"id", "title", "url", "published", "reference_date"} <= set(data["articles"][0])
    assert all(e["precision"] in ("day", "week", "month", "quarter", "year", "interval", "unknown")
               for e in data["events"])
    json.dumps(data)  # JSON-ready


def test_reader_explains_bad_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="kg build"):
        read_events_json(tmp_path / "missing.json")
    (tmp_path / "x.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="not an events.json"):
        read_events_json(tmp_path / "x.json")


def test_from_dict_accepts_minimal_document() -> None:
    corpus = corpus_from_dict({"events": [], "actors": [], "articles": []})
    assert corpus.events == () and corpus.links == ()
