"""Read stage: find article files and turn each into ``RawDocument`` records.

Supported inputs: ``.txt`` scraped pages, ``.json`` (one object, a list of
objects, or ``{"articles": [...]}``), ``.jsonl`` (one object per line) and
``.html`` / ``.htm`` pages.  A file that cannot be read yields a
``SkippedDocument`` with the reason, so one bad input never stops a run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.records import RawDocument, SkippedDocument

SUFFIXES = {".txt": "txt", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".html": "html", ".htm": "html"}
# Record keys accepted for each field, in order of preference.
TEXT_KEYS = ("text", "content", "body", "article", "maintext")
DATE_KEYS = ("published", "publishedAt", "published_at", "date", "datePublished", "pubDate", "time")
TITLE_KEYS = ("title", "headline")
URL_KEYS = ("url", "link", "href")
SOURCE_KEYS = ("source", "outlet", "publisher", "site")

ReadResult = RawDocument | SkippedDocument


def find_article_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Article files under ``paths`` (files or directories), sorted for deterministic output."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in SUFFIXES
                              and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            yield path


def iter_documents(paths: str | Path | Iterable[str | Path]) -> Iterator[ReadResult]:
    """Stream every article found under ``paths`` as raw documents (or skip records).

    >>> next(iter_documents("no/such/dir")).reason
    'no such file or directory'
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for path in find_article_files(paths):
        if not path.exists():
            yield SkippedDocument(str(path), "no such file or directory")
            continue
        kind = SUFFIXES.get(path.suffix.lower())
        if kind is None:
            yield SkippedDocument(str(path), f"unsupported file type {path.suffix!r}: use .txt, .json, .jsonl or .html")
            continue
        if kind == "jsonl":  # a feed can hold millions of records: read it line by line
            yield from _stream_jsonl(path)
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            yield SkippedDocument(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start}): re-save it as UTF-8")
            continue
        except OSError as exc:
            yield SkippedDocument(str(path), f"cannot read: {exc.strerror}")
            continue
        yield from _READERS[kind](str(path), text)


def _read_txt(origin: str, text: str) -> Iterator[ReadResult]:
    if not text.strip():
        yield SkippedDocument(origin, "empty file")
        return
    yield RawDocument(origin=origin, format="txt", text=text)


def _read_json(origin: str, text: str) -> Iterator[ReadResult]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield SkippedDocument(origin, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    records = data if isinstance(data, list) else [data]
    for number, record in enumerate(records, start=1):
        yield _from_record(f"{origin}#{number}", "json", record)


def _stream_jsonl(path: Path) -> Iterator[ReadResult]:
    origin = str(path)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield SkippedDocument(f"{origin}#{number}", f"invalid JSON on line {number}: {exc.msg}")
                    continue
                yield _from_record(f"{origin}#{number}", "jsonl", record)
    except UnicodeDecodeError as exc:
        yield SkippedDocument(origin, f"not UTF-8 text ({exc.reason}): re-save it as UTF-8; "
                                      "records before the bad byte were read")
    except OSError as exc:
        yield SkippedDocument(origin, f"cannot read: {exc.strerror}")


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, dict):  # e.g. {"source": {"name": "Reuters"}}
            value = value.get("name") or value.get("title")
        if value not in (None, ""):
            return str(value)
    return None


def _from_record(origin: str, kind: str, record: Any) -> ReadResult:
    if not isinstance(record, dict):
        return SkippedDocument(origin, f"expected a JSON object per article, found {type(record).__name__}")
    text = _first(record, TEXT_KEYS)
    if not text or not text.strip():
        return SkippedDocument(origin, f"no article text: give it under one of the keys {', '.join(TEXT_KEYS)}")
    return RawDocument(origin=origin, format=kind, text=text, title=_first(record, TITLE_KEYS),
                       published=_first(record, DATE_KEYS), url=_first(record, URL_KEYS),
                       source=_first(record, SOURCE_KEYS))


_META_DATE = ("article:published_time", "og:published_time", "datePublished", "pubdate", "publishdate",
              "date", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date")
_META_TITLE = ("og:title", "twitter:title", "headline", "dc.title")
_META_URL = ("og:url",)
_META_SOURCE = ("og:site_name", "application-name")
_BOILERPLATE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")


def _read_html(origin: str, text: str) -> Iterator[ReadResult]:
    from bs4 import BeautifulSoup  # imported here: only HTML inputs pay for it

    soup = BeautifulSoup(text, "lxml")
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        if key and tag.get("content") and key not in meta:
            meta[key] = tag["content"].strip()
    time_tag = soup.find("time", attrs={"datetime": True})
    published = next((meta[k.lower()] for k in _META_DATE if k.lower() in meta), None) or (
        time_tag["datetime"] if time_tag else None)
    title = next((meta[k] for k in _META_TITLE if k in meta), None) or (
        soup.title.get_text(strip=True) if soup.title else None)
    canonical = soup.find("link", rel="canonical")
    url = next((meta[k] for k in _META_URL if k in meta), None) or (canonical.get("href") if canonical else None)
    source = next((meta[k] for k in _META_SOURCE if k in meta), None)
    for tag in soup(_BOILERPLATE):
        tag.decompose()
    body = soup.find("article") or soup.find("main") or soup.body or soup
    blocks = [el.get_text(" ", strip=True) for el in body.find_all(["p", "h1", "h2", "h3", "li", "blockquote"])]
    # Keep paragraphs one per line so the clean stage sees datelines and junk lines as lines.
    main = "\n\n".join(b for b in blocks if b)
    if not main.strip():
        main = body.get_text("\n", strip=True)
    if not main.strip():
        yield SkippedDocument(origin, "HTML page has no text in <article>, <main> or <body>")
        return
    yield RawDocument(origin=origin, format="html", text=main, title=title, published=published,
                      url=url, source=source)


_READERS = {"txt": _read_txt, "json": _read_json, "html": _read_html}
