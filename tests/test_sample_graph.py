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
    assert {r["deadlineDate"] for r in trump} == {"2025-09-02", "2025-08-08"}
    cut = next(r for r in trump if r["deadlineDate"] == "2025-08-08")
    assert cut["previousDate"] == "2025-09-02"


def test_actor_events_query_with_binding(built_out: Path) -> None:
    rows = run_query(built_out / "graph.ttl", load_query("actor_events"), {"actorName": "Umerov"}).as_dicts()
    assert rows and all(r["name"] == "Rustem Umerov" for r in rows)
    starts = [r["start"] for r in rows if r["start"]]
    assert starts == sorted(starts)


def test_conflicting_reports_query(built_out: Path) -> None:
    rows = run_query(built_out / "graph.ttl", load_query("conflicting_reports")).as_dicts()
    claims = {(r["claimStart"], r["claimEnd"]) for r in rows}
    assert ("2025-07-24", "2025-07-24") in claims   # the date Russian agencies gave for the third round
