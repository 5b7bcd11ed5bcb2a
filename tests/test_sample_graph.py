"""The sample corpus's graph as linked data: it conforms to the shapes and the shipped queries
answer the foundation issue's questions with the values a reader of the articles expects."""

from __future__ import annotations

from pathlib import Path

from kg.query import load_query, run_query
from kg.validate import validate


def test_sample_graph_conforms(built_out: Path) -> None:
    conforms, lines = validate(built_out)
    assert conforms, "\n".join(lines)


def test_talk_rounds_query(built_out: Path) -> None:
    rows = run_query(built_out / "graph.ttl", load_query("talk_rounds")).as_dicts()
    heads = {(r["start"], r["head"]) for r in rows if r["start"] and r["start"].startswith("2025")}
    assert ("2025-06-02", "Rustem Umerov") in heads and ("2025-06-02", "Vladimir Medinsky") in heads
    assert ("2025-07-23", "Rustem Umerov") in heads and ("2025-07-23", "Vladimir Medinsky") in heads
    dated = [r["start"] for r in rows if r["start"] and r["ordinal"]]
    assert dated == sorted(dated) and {"2025-05-16", "2025-06-02", "2025-07-23"} <= set(dated)


def test_ultimatums_query(built_out: Path) -> None:
    rows = run_query(built_out / "graph.ttl", load_query("ultimatums")).as_dicts()
    trump = [r for r in rows if r["issued"] == "2025-07-14"]
    # (each cut revises the deadline before it: "10 or 12 days" on July 28, ten days on July 29)
    assert {r["deadlineDate"] for r in trump} == {"2025-09-02", "2025-08-09", "2025-08-08"}
    previous = {r["deadlineDate"]: r["previousDate"] for r in trump}
    assert previous["2025-08-09"] == "2025-09-02" and previous["2025-08-08"] == "2025-08-09"


def test_actor_events_query_with_binding(built_out: Path) -> None:
    rows = run_query(built_out / "graph.ttl", load_query("actor_events"), {"actorName": "Umerov"}).as_dicts()
    assert rows and all(r["name"] == "Rustem Umerov" for r in rows)
    starts = [r["start"] for r in rows if r["start"]]
    assert starts == sorted(starts)


def test_conflicting_reports_query(built_out: Path) -> None:
    rows = run_query(built_out / "graph.ttl", load_query("conflicting_reports")).as_dicts()
    claims = {(r["claimStart"], r["claimEnd"]) for r in rows}
    assert ("2025-07-24", "2025-07-24") in claims   # the date Russian agencies gave for the third round


def test_prisoner_exchanges_query(built_out: Path) -> None:
    rows = run_query(built_out / "graph.ttl", load_query("prisoner_exchanges")).as_dicts()
    stages = {r["start"] for r in rows if r["start"] and "2025-05-23" <= r["start"] <= "2025-05-25"}
    assert stages, rows        # the 1,000-for-1,000 exchange was carried out over May 23-25
    assert all(r["parties"] and "Russia" in r["parties"] and "Ukraine" in r["parties"]
               for r in rows if r["start"] in stages)


def test_event_sources_query(built_out: Path, corpus_graph) -> None:
    third = next(e for e in corpus_graph.events(type="TalkRound") if str(e.start) == "2025-07-23")
    iri = f"https://w3id.org/kg-timeline/event/{third.id}"
    rows = run_query(built_out / "graph.ttl", load_query("event_sources"), {"event": iri}).as_dicts()
    assert len({r["article"] for r in rows}) == len({s.article for s in third.sources})
    assert all(r["sentence"] and r["headline"] for r in rows)


def test_events_in_window_query(built_out: Path) -> None:
    rows = run_query(built_out / "graph.ttl", load_query("events_in_window"),
                     {"from": "2025-07-22", "to": "2025-07-24"}).as_dicts()
    assert any(r["type"] == "talk round" and r["start"] == "2025-07-23" for r in rows)
    assert all(r["start"] <= "2025-07-24" and r["end"] >= "2025-07-22" for r in rows)


def test_co_participation_query(built_out: Path) -> None:
    rows = run_query(built_out / "graph.ttl", load_query("co_participation")).as_dicts()
    assert {rows[0]["aName"], rows[0]["bName"]} == {"Russia", "Ukraine"}   # the two sides of every round
