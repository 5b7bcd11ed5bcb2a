"""Shared fixtures: graphs built once per test session from the bundled articles."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "istanbul-talks-2025-07.txt"
ARTICLES = ROOT / "data" / "articles"
OTHER_PROCESS = ROOT / "tests" / "fixtures" / "other_process"


@pytest.fixture(scope="session")
def seed_graph() -> kg.KnowledgeGraph:
    return kg.build(SEED)


@pytest.fixture(scope="session")
def corpus_graph() -> kg.KnowledgeGraph:
    return kg.build(ARTICLES)


@pytest.fixture(scope="session")
def other_graph() -> kg.KnowledgeGraph:
    return kg.build(sorted(p for p in OTHER_PROCESS.iterdir() if p.suffix in (".txt", ".json")
                           and p.name != "expected.json"))


@pytest.fixture(scope="session")
def built_out(tmp_path_factory: pytest.TempPathFactory, corpus_graph: kg.KnowledgeGraph) -> Path:
    out = tmp_path_factory.mktemp("out")
    corpus_graph.save(out)
    return out
