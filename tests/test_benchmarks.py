"""The benchmarks' scorer (benchmarks/extraction.py, used by benchmarks/agreement.py): an annotation agrees fully
with itself, and a mention that differs in date or actors is matched only when that condition is relaxed."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import agreement
        import extraction
        yield extraction, agreement
    finally:
        sys.path.remove(str(BENCHMARKS))


def _mention(bench_module, **changes):
    base = bench_module.Mention(
        file="fictional-wire-2026-03-02.txt", event="norland-vesta-round-2", type="TalkRound",
        start=date(2026, 3, 2), end=date(2026, 3, 2), precision="day", modality="occurred",
        participants=[{"name": "Norland", "role": "party", "canonical": "norland"},
                      {"name": "Vesta", "role": "party", "canonical": "vesta"}],
        sentences=["Norland and Vesta held a second round of talks in Osterby on Monday."])
    return replace(base, **changes)


def test_an_annotation_agrees_fully_with_itself(bench) -> None:
    extraction, agreement = bench
    gold = [_mention(extraction),
            _mention(extraction, file="fictional-brief-2026-03-03.txt", sentences=["The round on Monday ended."]),
            _mention(extraction, event="vesta-statement", type="Statement",
                     participants=[{"name": "Ana Morales", "role": "speaker", "canonical": "ana-morales"}],
                     sentences=["Ana Morales said the round had been useful."])]
    result = extraction.score(gold, agreement.as_system(gold))
    assert result["overall"][2] == 1.0
    assert result["merge"][:3] == (1.0, 1.0, 1.0) and result["merge"][3] == 1
    assert result["role_accuracy"] == result["modality_accuracy"] == 1.0


@pytest.mark.parametrize(("change", "matched_when_relaxed"), [
    ({"start": date(2026, 3, 3), "end": date(2026, 3, 3)}, "type + participants"),
    ({"participants": [{"name": "Tarsova", "role": "party", "canonical": "tarsova"}]}, "type + date"),
])
def test_a_wrong_date_or_wrong_actors_are_matched_only_when_relaxed(bench, change, matched_when_relaxed) -> None:
    extraction, agreement = bench
    gold = [_mention(extraction)]
    other = agreement.as_system([_mention(extraction, **change)])
    result = extraction.score(gold, other)
    assert result["overall"][2] == 0.0
    assert result["relaxed"][matched_when_relaxed][2] == 1.0
    still_strict = ({"type + participants", "type + date"} - {matched_when_relaxed}).pop()
    assert result["relaxed"][still_strict][2] == 0.0
    assert result["relaxed"]["type only"][2] == 1.0
    assert extraction.score(gold, agreement.as_system([_mention(extraction, type="Agreement")]))[
        "relaxed"]["type only"][2] == 0.0
