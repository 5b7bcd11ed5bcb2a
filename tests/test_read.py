"""Read stage: every input format, and bad input skipped with a reason naming the file."""

from __future__ import annotations

import json
from pathlib import Path

from kg.read import iter_documents
from kg.records import RawDocument, SkippedDocument


def test_json_keys_and_array(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([
        {"title": "A", "content": "Body one.", "publishedAt": "2025-06-03T10:00:00Z", "url": "u1",
         "source": {"name": "Wire"}},
        {"headline": "B", "body": "Body two.", "date": "June 3, 2025"},
    ]), encoding="utf-8")
    docs = list(iter_documents(path))
    assert [d.title for d in docs] == ["A", "B"]
    assert docs[0].text == "Body one." and docs[0].published == "2025-06-03T10:00:00Z"
    assert docs[0].source == "Wire" and docs[1].published == "June 3, 2025"
    assert docs[1].origin.endswith("feed.json#2")


def test_jsonl_bad_line_is_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"title": "ok", "text": "Fine text."}\n{broken\n{"title": "no text"}\n', encoding="utf-8")
    docs = list(iter_documents(path))
    assert isinstance(docs[0], RawDocument)
    assert isinstance(docs[1], SkippedDocument) and "line 2" in docs[1].reason
    assert isinstance(docs[2], SkippedDocument) and "no article text" in docs[2].reason


def test_html_meta_and_main_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("""<html><head><meta property="og:title" content="Talks resume">
<meta property="article:published_time" content="2025-06-02T09:00:00+03:00"></head>
<body><nav><p>Home | World</p></nav><article><p>GENEVA, June 2 — Envoys met.</p><p>They spoke.</p></article>
<footer><p>Subscribe</p></footer></body></html>""", encoding="utf-8")
    (doc,) = iter_documents(path)
    assert doc.title == "Talks resume" and doc.published.startswith("2025-06-02")
    assert doc.text == "GENEVA, June 2 — Envoys met.\n\nThey spoke."


def test_unreadable_inputs_name_the_problem(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 talks".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    reasons = {Path(d.origin).name: d.reason for d in iter_documents(tmp_path)}
    assert "invalid JSON at line 1" in reasons["bad.json"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert reasons["empty.txt"] == "empty file"


def test_files_are_read_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c.txt"):
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    assert [Path(d.origin).name for d in iter_documents(tmp_path)] == ["a.txt", "b.txt", "c.txt"]
