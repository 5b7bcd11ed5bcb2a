"""The annotated gold set (tests/gold/): its annotations are well formed, so the extraction benchmark scores what the
annotators meant.  New batches are checked here before they are merged (see tests/gold/README.md).  The second
annotation (tests/gold/second/, of test articles, for benchmarks/agreement.py) is checked the same way."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kg.extract import load_event_types
from kg.read import iter_documents
from kg.records import RawDocument

GOLD = Path(__file__).parent / "gold"
SPLITS = ("tune", "test")
# where each annotation's articles are
ARTICLES = {"tune": "tune", "test": "test", "second": "test"}
PRECISIONS = {"day", "week", "month", "quarter", "year", "interval", "unknown"}
MODALITIES = {"occurred", "scheduled", "proposed", "expected", "denied", "cancelled"}


def _norm(text: str) -> str:
    """Whitespace and typographic quotes as the benchmark's alignment treats them."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def _article_text(path: Path) -> str:
    if path.suffix == ".xml":    # a feed: its items' titles and texts, as the reader gives them
        return "\n".join(f"{d.title}\n{d.text}" for d in iter_documents(path) if isinstance(d, RawDocument))
    if path.suffix == ".json":
        record = json.loads(path.read_text(encoding="utf-8"))
        return f"{record['title']}\n{record['text']}"
    return path.read_text(encoding="utf-8")


def _annotations(split: str) -> dict[str, dict]:
    return json.loads((GOLD / split / "annotations.json").read_text(encoding="utf-8"))["articles"]


@pytest.mark.parametrize("split", SPLITS)
def test_every_annotated_article_is_a_file_and_every_file_is_annotated(split: str) -> None:
    files = {p.name for p in (GOLD / split).iterdir()
             if p.suffix in (".txt", ".json", ".html", ".xml") and p.name != "annotations.json"}
    assert set(_annotations(split)) == files


def test_the_second_annotation_covers_test_articles_only() -> None:
    second = _annotations("second")
    assert len(second) >= 20 and set(second) <= set(_annotations("test"))
    assert all(second[name]["reference_date"] == _annotations("test")[name]["reference_date"] for name in second)


@pytest.mark.parametrize("split", (*SPLITS, "second"))
def test_every_mention_is_well_formed_and_quotes_its_article(split: str) -> None:
    types = load_event_types()
    known_roles = {role for t in types.values() for role in t.roles} | {"delegation_head"}
    problems = []
    for name, article in _annotations(split).items():
        text = _norm(_article_text(GOLD / ARTICLES[split] / name))
        date.fromisoformat(article["reference_date"])
        for event in article["events"]:
            where = f"{split}/{name}: {event.get('event')}"
            if event["type"] not in types:
                problems.append(f"{where}: unknown type {event['type']!r}")
            if event.get("precision", "day") not in PRECISIONS or event.get("modality", "occurred") not in MODALITIES:
                problems.append(f"{where}: precision or modality out of the scheme")
            if (event.get("start") is None) != (event.get("precision") == "unknown"):
                problems.append(f"{where}: a start date is missing exactly when the precision is 'unknown'")
            for key in ("start", "end"):
                if event.get(key) is not None:
                    date.fromisoformat(event[key])
            if any(p["role"] not in known_roles or not p.get("canonical") for p in event.get("participants", [])):
                problems.append(f"{where}: a participant with a role no type has, or without a canonical id")
            if len(event["sentence"]) < 15 or _norm(event["sentence"]) not in text:
                problems.append(f"{where}: the sentence is not a verbatim part of the article")
    assert not problems, "\n".join(problems)


def test_one_real_event_has_one_type_across_both_splits() -> None:
    """The same event id in two articles (or splits) is the same real event: the merge gold."""
    types: dict[str, set[str]] = {}
    for split in SPLITS:
        for article in _annotations(split).values():
            for event in article["events"]:
                types.setdefault(event["event"], set()).add(event["type"])
    assert {event: kinds for event, kinds in types.items() if len(kinds) > 1} == {}
