"""Read stage: find article files and turn each into ``RawDocument`` records.

Supported inputs: ``.txt`` scraped pages, ``.json`` (one object, a list of
objects, or ``{"articles": [...]}``), ``.jsonl`` (one object per line),
``.html`` / ``.htm`` pages, RSS and Atom feeds (``.xml``, ``.rss``, ``.atom``, or a ``.txt`` holding one: each item
an article), and ``-`` for JSONL records on standard input.

One bad input never stops a run: every file yields at least one record and
every JSON / JSONL record exactly one, either a ``RawDocument`` or a
``SkippedDocument`` whose reason names the problem and how to fix it.

- Encodings: UTF-8 (with or without a byte-order mark; UTF-16/32 with one).
  Other text is decoded with the encoding ``charset_normalizer`` finds most
  plausible (cp1252/latin-1, cp1251, ...), logged at INFO on ``kg.read``;
  when nothing fits the file is skipped.  JSONL is decoded line by line, so
  a bad byte costs at most its own line.
- Binary files (NUL bytes, known magic numbers, mostly control bytes in the
  first 8 KB) are skipped without reading the rest.
- Size: at most ``MAX_TEXT_CHARS`` characters of text are kept per article
  (the rest is dropped; a news article is far shorter).  A ``.txt`` file is
  read only up to 4 bytes per kept character; an HTML page is read as a
  stream that drops ``<script>``/``<style>`` bodies and comments, and only the
  first ``MAX_MARKUP_BYTES`` of what remains are parsed.  A JSONL line longer
  than ``MAX_LINE_BYTES`` and a ``.json`` file larger than ``MAX_JSON_BYTES``
  are skipped (use JSONL for big feeds: it is read as a stream).
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import os
import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Any

from kg.records import RawDocument, SkippedDocument

SUFFIXES = {".txt": "txt", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".html": "html", ".htm": "html",
            ".xml": "feed", ".rss": "feed", ".atom": "feed"}
# Record keys accepted for each field, in order of preference.
# (the field names of common scrapers and of schema.org's NewsArticle; a summary is the text only when there is no other)
TEXT_KEYS = ("text", "content", "body", "article", "maintext", "articleBody", "article_body", "body_text", "full_text",
             "fulltext", "story", "body_html", "content_html", "html", "description", "summary")
DATE_KEYS = ("published", "publishedAt", "published_at", "date", "datePublished", "pubDate", "time", "date_publish",
             "publish_date", "publishDate", "pub_date", "date_published", "published_time", "datetime", "dateCreated",
             "created_at", "createdAt", "timestamp", "dateModified", "date_modify", "updated", "updated_at", "modified")
# Keys that wrap one article's fields ({"article": {...}}) or a feed's list of articles ({"items": [...]}).
RECORD_KEYS = ("article", "data", "item", "story", "document", "post", "result")
# Keys of an object holding an article's metadata apart from its text ({"text": ..., "meta": {"published": ...}}).
META_KEYS = ("meta", "metadata")
LIST_KEYS = ("articles", "items", "data", "results", "documents", "posts", "entries", "hits")
# Markup in a text field ("<p>Talks opened ...</p>"): the field is an HTML fragment.
_HTML_FIELD = re.compile(r"</?(?:p|div|br|span|a|h[1-6]|li|em|strong)\b[^>]*>", re.IGNORECASE)
TITLE_KEYS = ("title", "headline")
URL_KEYS = ("url", "link", "href")
SOURCE_KEYS = ("source", "outlet", "publisher", "site")

STDIN = "-"                             # the path that means "JSONL records on standard input"
MAX_TEXT_CHARS = 1_000_000              # text kept per article; long news pieces are ~50,000
MAX_FIELD_CHARS = 4_000                 # title, date, URL, source: anything longer is not metadata
MAX_MARKUP_BYTES = 3_000_000            # HTML parsed per page once scripts are gone; BeautifulSoup does ~1 MB/s
MAX_LINE_BYTES = 16 * 2**20             # one JSONL record
MAX_JSON_BYTES = 256 * 2**20            # a .json file is parsed whole, so its size is bounded
_MAX_TXT_BYTES = 4 * MAX_TEXT_CHARS     # UTF-8 needs at most 4 bytes a character
_SNIFF_BYTES = 8192                     # how much of a file the binary check looks at
_CHUNK = 2**20

ReadResult = RawDocument | SkippedDocument

_log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------
# Finding inputs
# ---------------------------------------------------------------------------


def find_article_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Article files under ``paths`` (files or directories), sorted for deterministic output."""
    for path in map(Path, paths):
        yield from (p for p in _expand(path) if isinstance(p, Path))


def _expand(path: Path) -> Iterator[Path | SkippedDocument]:
    """``path`` itself, or the article files under it in sorted order, walked as a stream.

    Hidden files and folders are left out; a folder that cannot be listed
    becomes a skip record instead of an error.
    """
    if not path.is_dir():
        yield path
        return
    # One sorted listing per folder (not one for the whole tree), in the
    # order sorted(Path) gives: part by part.
    stack: list[Iterator[os.DirEntry[str]]] = []
    problem = _push_listing(stack, path)
    if problem:
        yield problem
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                problem = _push_listing(stack, Path(entry.path))
                if problem:
                    yield problem
            elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in SUFFIXES:
                yield Path(entry.path)
        except OSError:  # vanished or unreadable entry: nothing to read there
            continue


def _push_listing(stack: list[Iterator[os.DirEntry[str]]], folder: Path) -> SkippedDocument | None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        return SkippedDocument(str(folder), f"cannot list folder ({exc.strerror or exc}): check its permissions")
    stack.append(iter(entries))
    return None


def iter_documents(paths: str | Path | Iterable[str | Path]) -> Iterator[ReadResult]:
    """Stream every article found under ``paths`` as raw documents (or skip records).

    ``"-"`` reads JSONL records from standard input.  No exception escapes for
    any file content: an unexpected error becomes a skip record marked ``failed``
    (our fault, not the input's).

    >>> next(iter_documents("no/such/dir")).reason
    'no such file or directory'
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    stdin_read = False
    for given in paths:
        if str(given) == STDIN:
            if stdin_read:
                yield SkippedDocument("<stdin>", "standard input given twice: it is read once")
            else:
                stdin_read = True
                yield from _guarded("<stdin>", _read_stdin())
            continue
        for found in _expand(Path(given)):
            if isinstance(found, SkippedDocument):
                yield found
            else:
                yield from _guarded(str(found), _read_path(found))


def _guarded(origin: str, results: Iterator[ReadResult]) -> Iterator[ReadResult]:
    """``results``, with any unexpected error turned into a skip record for ``origin``."""
    try:
        yield from results
    except Exception as exc:  # noqa: BLE001 - one bad input must never stop a run
        yield SkippedDocument(origin, f"failed to read ({type(exc).__name__}: {_short(str(exc))}); "
                                      "the run went on without it - please report the file", failed=True)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


# ---------------------------------------------------------------------------
# Bytes: binary check and decoding
# ---------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_MAGIC = ((b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
          (b"%PDF", "PDF document"), (b"PK\x03\x04", "zip archive or Office document"),
          (b"\x1f\x8b", "gzip archive"), (b"BZh", "bzip2 archive"), (b"\xfd7zXZ", "xz archive"),
          (b"7z\xbc\xaf", "7z archive"), (b"Rar!", "RAR archive"), (b"\x7fELF", "program"),
          (b"SQLite format 3", "SQLite database"), (b"\xd0\xcf\x11\xe0", "old Office document"))
# Control bytes that never occur in text (tab, newlines, form feed and ESC do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
# Encodings worth guessing, most common first: ties between equally plausible
# ones go to the earlier (cp1252 before cp1250 for Western text).
_CANDIDATES = ("cp1252", "cp1251", "cp1250", "koi8_r", "cp1253", "cp1254", "cp1257", "cp1256", "cp1255",
               "iso8859_15", "latin_1", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "cp874", "cp1258")
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _binary_reason(head: bytes) -> str | None:
    """Why the first bytes of a file show it is not text, or None."""
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    fix = "not an article; remove it or convert it to .txt, .html or .jsonl"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({kind}): {fix}"
    if b"\x00" in head:
        return (f"binary file (NUL bytes in the first {_SNIFF_BYTES // 1024} KB): not an article; remove it, "
                "or re-save it as UTF-8 if it is UTF-16 text")
    if len(head.translate(None, _CONTROL_BYTES)) < 0.9 * len(head):
        return f"binary file (mostly control bytes): {fix}"
    return None


def _decode(data: bytes, *, cut: bool = False, declared: str | None = None) -> tuple[str, str] | None:
    """``data`` as text and the encoding used, or None when no encoding fits.

    ``cut`` says the bytes were cut off (a character may be split at the end);
    ``declared`` is an encoding the document names itself (HTML ``<meta charset>``).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, "replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if cut and exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            try:
                return data[:exc.start].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
    # Mostly UTF-8 with a few stray bytes: replacing those beats reading every
    # accented letter as two wrong ones.
    loose = data.decode("utf-8", "replace")
    bad = loose.count("\ufffd")
    good = len(loose) - len(loose.encode("ascii", "ignore")) - bad
    if good >= 4 * bad:
        return loose, "utf-8 (bad bytes replaced)"
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    encoding = _guess_encoding(data)
    if encoding is None:
        return None
    return data.decode(encoding, "replace"), encoding


def _guess_encoding(data: bytes) -> str | None:
    import charset_normalizer  # imported here: UTF-8 inputs never need it

    matches = charset_normalizer.from_bytes(data, cp_isolation=list(_CANDIDATES))
    best = matches.best()
    if best is None:
        return None
    # Short texts often fit several code pages equally well: take the most common.
    tied = {name for match in matches
            if round(match.chaos, 3) == round(best.chaos, 3) and round(match.coherence, 3) == round(best.coherence, 3)
            for name in match.could_be_from_charset}
    known = [name for name in _CANDIDATES if name in tied]
    return known[0] if known else best.encoding


def _clean_chars(text: str) -> str:
    """Text without NUL and other control characters or lone surrogates, which break exports."""
    if not _BAD_CHARS.search(text):
        return text
    return _BAD_CHARS.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else
                          "\ufffd" if m.group() >= "\ud800" else "", text)


def _cap(text: str) -> str:
    """At most ``MAX_TEXT_CHARS`` characters, cut at a line break when one is near."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cut = text.rfind("\n", MAX_TEXT_CHARS // 2, MAX_TEXT_CHARS)
    return text[:cut].rstrip() if cut > 0 else text[:MAX_TEXT_CHARS]


_NOT_TEXT = "not UTF-8 text, and no other encoding fits: re-save it as UTF-8"


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


# The start of an HTML page, whatever the file is called (after a byte-order mark and blank lines).
_HTML_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)
# A feed's opening, after an XML declaration and comments: "<rss", "<feed" (Atom) or "<rdf:RDF" (RSS 1.0).
_FEED_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def _read_path(path: Path) -> Iterator[ReadResult]:
    origin = str(path)
    kind = SUFFIXES.get(path.suffix.lower())
    try:
        if not path.exists():
            yield SkippedDocument(origin, "no such file or directory")
            return
        if kind is None:
            yield SkippedDocument(origin, f"unsupported file type {path.suffix!r}: use .txt, .json, .jsonl, .html "
                                          "or an RSS/Atom feed (.xml, .rss, .atom)")
            return
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            if not head:
                yield SkippedDocument(origin, "empty file")
                return
            binary = _binary_reason(head)
            if binary:
                yield SkippedDocument(origin, binary)
                return
            if kind == "txt" and _HTML_START.match(head):
                kind = "html"    # a scraped page saved under a .txt name: read as the page it is, not as its markup
            elif kind == "txt" and _FEED_START.match(head):
                kind = "feed"    # a feed saved as text: its items are the articles, not its markup
            if kind == "jsonl":  # a feed can hold millions of records: read it line by line
                handle.seek(0)
                yield from _read_jsonl(origin, handle)
                return
            declared, cut = None, False
            if kind == "html":
                data, cut = _drop_scripts(chain([head], iter(lambda: handle.read(_CHUNK), b"")), MAX_MARKUP_BYTES)
                declared = _declared_charset(data[:4096])
            elif kind in ("json", "feed"):
                size = os.fstat(handle.fileno()).st_size
                if size > MAX_JSON_BYTES:
                    yield SkippedDocument(origin, f"too large for one {'.json file' if kind == 'json' else 'feed'} "
                                                  f"({size / 2**20:.0f} MB, the limit is {MAX_JSON_BYTES // 2**20} MB):"
                                                  " write one record per line as .jsonl, which is read as a stream")
                    return
                data = head + handle.read()
            else:
                data = head + handle.read(_MAX_TXT_BYTES - len(head))
                cut = bool(handle.read(1))
    except OSError as exc:
        yield SkippedDocument(origin, f"cannot read ({exc.strerror or exc}): check the file and its permissions")
        return
    decoded = _decode(data, cut=cut, declared=declared)
    del data  # the text is all that is needed from here on
    if decoded is None:
        yield SkippedDocument(origin, _NOT_TEXT)
        return
    text, encoding = decoded
    if not encoding.startswith("utf"):
        _log.info("%s: not UTF-8; read as %s", origin, encoding)
    if not text.strip():
        yield SkippedDocument(origin, "empty file (only whitespace)")
        return
    # Same line endings whatever the platform that wrote the file.
    text = _clean_chars(text.replace("\r\n", "\n").replace("\r", "\n"))
    yield from _READERS[kind](origin, text)


# A Markdown export's front matter (Jekyll, Hugo, Pandoc): a block of "key: value" lines fenced by "---", opening the
# file; only its one-line fields are read (a list under "tags:" is skipped)
_FRONT_MATTER = re.compile(r"---[ \t]*\n(?P<fields>(?:[^\n]*\n){0,40}?)---[ \t]*(?:\n|$)")
_FRONT_LINE = re.compile(r"[A-Za-z_][\w-]*[ \t]*:.*|[ \t]+\S.*|-[ \t]+\S.*")   # a field, or an item of a list field
_FRONT_FIELD = re.compile(r"(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]+(?P<value>\S.*)")


def _read_txt(origin: str, text: str) -> Iterator[ReadResult]:
    """A text file; a Markdown export's front matter ("---" / "title: ..." / "date: ..." / "---") gives its title,
    date and address, and is not part of its text."""
    front = _FRONT_MATTER.match(text)
    lines = front["fields"].split("\n") if front is not None else []
    if front is None or not all(_FRONT_LINE.fullmatch(line) for line in lines if line.strip()):
        yield RawDocument(origin=origin, format="txt", text=_cap(text))
        return
    fields = {m["key"]: m["value"].strip().strip("\"'") for line in lines
              if (m := _FRONT_FIELD.fullmatch(line.rstrip()))}
    yield RawDocument(origin=origin, format="txt", text=_cap(text[front.end():]), title=_first(fields, TITLE_KEYS),
                      published=_first(fields, DATE_KEYS), url=_first(fields, URL_KEYS),
                      source=_first(fields, SOURCE_KEYS))


def _read_json(origin: str, text: str) -> Iterator[ReadResult]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield SkippedDocument(origin, f"invalid JSON at line {exc.lineno} column {exc.colno}: {_json_problem(exc)}; "
                                      + _json_fix(exc, text))
        return
    except RecursionError:
        yield SkippedDocument(origin, "JSON nested too deeply to read: give each article as a flat object")
        return
    if isinstance(data, dict):
        data = next((data[key] for key in LIST_KEYS if isinstance(data.get(key), list)), data)
    records = data if isinstance(data, list) else [data]
    if not records:
        yield SkippedDocument(origin, "no articles: the JSON list is empty")
        return
    for number, record in enumerate(records, start=1):
        yield _from_record(f"{origin}#{number}", "json", record)


def _json_problem(exc: json.JSONDecodeError) -> str:
    return exc.msg.removesuffix(" starting at")  # the column is given already


def _looks_cut(exc: json.JSONDecodeError, text: str) -> bool:
    """The JSON ends before its value does: a file or line cut off."""
    return exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated")


def _json_fix(exc: json.JSONDecodeError, text: str) -> str:
    if exc.msg == "Extra data":
        return "if it holds one object per line, name it .jsonl"
    if _looks_cut(exc, text):
        return "the file looks cut off: export or download it again"
    return "fix the JSON at that place or export the file again"


# ---------------------------------------------------------------------------
# JSONL (files and standard input)
# ---------------------------------------------------------------------------


def _read_stdin() -> Iterator[ReadResult]:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stand-in for stdin (notebooks, tests): read its lines as UTF-8
        stream = _EncodedLines(sys.stdin)
    yield from _read_jsonl("<stdin>", stream)


class _EncodedLines:
    """``readline`` in bytes over a text stream."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def readline(self, limit: int = -1) -> bytes:
        return self._stream.readline(limit).encode("utf-8", "surrogateescape")


def _read_jsonl(origin: str, stream: Any, first_line: int = 1, whole: bool = True) -> Iterator[ReadResult]:
    """One record per non-blank line of ``stream`` (a binary stream), without reading it all.

    ``first_line`` numbers the first line; ``whole=False`` says the stream is part of a file
    (``read_jsonl_range``), so having no records is no problem of the file.
    """
    number, records = first_line - 1, 0
    guessed: str | None = None   # the encoding guessed for an earlier line of this file
    try:
        while True:
            raw = stream.readline(MAX_LINE_BYTES + 1)
            if not raw:
                break
            number += 1
            if number == 1:
                if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    yield SkippedDocument(origin, "UTF-16 or UTF-32 text: re-save the JSONL file as UTF-8")
                    return
                raw = raw.removeprefix(codecs.BOM_UTF8)
            where = f"{origin}#{number}"
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line without keeping it
                    raw = stream.readline(_CHUNK)
                records += 1
                yield SkippedDocument(where, f"line {number} is longer than {MAX_LINE_BYTES // 2**20} MB: "
                                             "not one article; split the record")
                continue
            if not raw.strip():
                continue
            records += 1
            text, guessed = _decode_line(raw, guessed)
            if text is None:
                yield SkippedDocument(where, f"line {number} is not UTF-8 text, and no other encoding fits: "
                                             "re-save the file as UTF-8")
                continue
            yield _parse_line(where, number, text)
    except OSError as exc:
        yield SkippedDocument(origin, f"cannot read after line {number} ({exc.strerror or exc}); "
                                      "the records before were read")
        return
    if not records and whole:
        yield SkippedDocument(origin, "no records: only blank lines" if number else
                              "nothing on standard input" if origin == "<stdin>" else "empty file")


def _decode_line(raw: bytes, guessed: str | None) -> tuple[str | None, str | None]:
    """One line as text (UTF-8, else this file's earlier guess, else a new guess) and the guess to keep."""
    try:
        return raw.decode("utf-8"), guessed
    except UnicodeDecodeError:
        pass
    if guessed:
        try:
            return raw.decode(guessed), guessed
        except UnicodeDecodeError:
            pass
    decoded = _decode(raw)
    if decoded is None:
        return None, guessed
    text, encoding = decoded
    if not encoding.startswith("utf"):
        _log.info("JSONL line not UTF-8; read as %s", encoding)
        guessed = encoding
    return text, guessed


def _parse_line(where: str, number: int, text: str) -> ReadResult:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        fix = ("the line looks cut off: export it again" if _looks_cut(exc, text)
               else "each line must be one JSON object")
        return SkippedDocument(where, f"invalid JSON on line {number} (column {exc.colno}): "
                                      f"{_json_problem(exc)}; {fix}")
    except RecursionError:
        return SkippedDocument(where, f"JSON on line {number} is nested too deeply to read: "
                                      "give each article as a flat object")
    return _from_record(where, "jsonl", record)


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


def _value(value: Any) -> str | None:
    """A field value as text: strings and numbers as they are, a list of strings joined as paragraphs."""
    if isinstance(value, dict):  # e.g. {"source": {"name": "Reuters"}}
        value = value.get("name") or value.get("title")
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        value = "\n\n".join(value)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = _clean_chars(str(value))
    return text if text.strip() else None


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = _value(record.get(key))
        if value is not None:
            return value[:MAX_FIELD_CHARS]
    return None


def _unwrapped(record: dict[str, Any], depth: int = 3) -> dict[str, Any]:
    """The fields of an article wrapped in another object ({"article": {"title": ..., "text": ...}, "published": ...}):
    the inner object's, with the outer one's for what it lacks."""
    if depth == 0 or any(isinstance(record.get(key), (str, list)) for key in TEXT_KEYS):
        return record
    inner = next((record[key] for key in RECORD_KEYS if isinstance(record.get(key), dict)), None)
    if inner is None:
        return record
    outer = {k: v for k, v in record.items() if k not in RECORD_KEYS}
    return _unwrapped({**outer, **inner}, depth - 1)


def _markup_read(origin: str, text: str) -> str:
    """A field's text, its HTML markup, if it holds any, read as a page's (paragraphs kept, tags gone)."""
    if not _HTML_FIELD.search(text):
        return text
    page = next(_read_html(origin, text), None)
    return page.text if isinstance(page, RawDocument) else text


def _from_record(origin: str, kind: str, record: Any) -> ReadResult:
    if not isinstance(record, dict):
        return SkippedDocument(origin, f"expected a JSON object per article, found {type(record).__name__}")
    try:
        record = _unwrapped(record)
        text = next((v for v in (_value(record.get(key)) for key in TEXT_KEYS) if v is not None), None)
        if text is None:
            return SkippedDocument(origin, f"no article text: give it under one of the keys {', '.join(TEXT_KEYS)}")
        text = _markup_read(origin, text)
        meta = next((record[key] for key in META_KEYS if isinstance(record.get(key), dict)), {})
        return RawDocument(origin=origin, format=kind, text=_cap(text),
                           title=_first(record, TITLE_KEYS) or _first(meta, TITLE_KEYS),
                           published=_first(record, DATE_KEYS) or _first(meta, DATE_KEYS),
                           url=_first(record, URL_KEYS) or _first(meta, URL_KEYS),
                           source=_first(record, SOURCE_KEYS) or _first(meta, SOURCE_KEYS))
    except Exception as exc:  # noqa: BLE001 - a strange record costs only itself
        return SkippedDocument(origin, f"failed to read the record ({type(exc).__name__}: {_short(str(exc))}); "
                                      "please report the file", failed=True)


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

_META_DATE = ("article:published_time", "og:published_time", "datePublished", "pubdate", "publishdate",
              "publish-date", "publish_date", "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date",
              "dcterms.issued", "sailthru.date", "parsely-pub-date")
_META_TITLE = ("og:title", "twitter:title", "headline", "dc.title")
_META_URL = ("og:url",)
_META_SOURCE = ("og:site_name", "application-name")
_BOILERPLATE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")
# Elements whose text BeautifulSoup's get_text leaves out: template content and ruby annotations.
_HIDDEN_TEXT = ("template", "rt", "rp")
_DROP_OPEN = re.compile(rb"<(script|style)(?=[\s/>])|<!--", re.IGNORECASE)
_DROP_CLOSE = {b"script": re.compile(rb"</script\s*>", re.IGNORECASE),
               b"style": re.compile(rb"</style\s*>", re.IGNORECASE), None: re.compile(rb"-->")}
_LINKED_DATA = re.compile(rb"ld\+json", re.IGNORECASE)     # <script type="application/ld+json">
_TAIL = 64              # bytes kept between chunks: a tag may straddle two
_MAX_TAG = 65536        # an opening tag longer than this is not one
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _drop_scripts(chunks: Iterable[bytes], limit: int) -> tuple[bytes, bool]:
    """The markup in ``chunks`` without script/style bodies and comments, at most ``limit`` bytes.

    Works on bytes as they stream in, so a page of megabytes of scripts costs
    no memory; the flag says whether the markup was cut at ``limit``.
    """
    kept = bytearray()
    buf = b""
    closer: re.Pattern[bytes] | None = None     # the end of what is being dropped
    for chunk in chain(chunks, [b""]):
        final = not chunk
        buf += chunk
        pos = 0
        while True:
            if closer is not None:
                end = closer.search(buf, pos)
                if end is None:
                    pos = len(buf) if final else max(pos, len(buf) - _TAIL)
                    break
                closer, pos = None, end.end()
                continue
            start = _DROP_OPEN.search(buf, pos)
            if start is None:
                stop = len(buf) if final else max(pos, len(buf) - _TAIL)
                kept += buf[pos:stop]
                pos = stop
                break
            kept += buf[pos:start.start()]
            if start.group(1) is None:              # a comment
                closer, pos = _DROP_CLOSE[None], start.end()
                continue
            gt = buf.find(b">", start.end(), start.end() + _MAX_TAG)
            if gt < 0 and not final and len(buf) - start.start() < _MAX_TAG:
                pos = start.start()                 # the tag goes on in the next chunk
                break
            if gt < 0:                              # no end to the tag: keep it as it is
                kept += start.group()
                pos = start.end()
                continue
            if _LINKED_DATA.search(buf, start.end(), gt):
                kept += buf[start.start():gt + 1]   # a page's linked data (its date, headline) is kept to be read
                pos = gt + 1
                continue
            closer, pos = _DROP_CLOSE[start.group(1).lower()], gt + 1
        buf = buf[pos:]
        if len(kept) >= limit:
            return bytes(kept[:limit]), True
        if final:
            return bytes(kept), False
    return bytes(kept), False  # not reached: the final empty chunk returns


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # Markup readable as ASCII is never UTF-16/32, whatever it says.
    return None if name.startswith(("utf-16", "utf-32")) else name


def _read_html(origin: str, text: str) -> Iterator[ReadResult]:
    """Title, date, URL, site and main text of an HTML page.

    Parsed with lxml directly (tens of times faster than BeautifulSoup, which
    matters when pages are read one after another); the text is the one
    BeautifulSoup's ``get_text`` gives, and pages lxml cannot build a whole
    tree for (nesting deeper than libxml2's limit) go through BeautifulSoup.
    """
    from lxml import etree  # imported here: only HTML inputs pay for it

    parser = etree.HTMLParser(encoding="utf-8", huge_tree=True)
    root = etree.fromstring(text.encode("utf-8"), parser)
    if root is None or any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        yield from _read_html_soup(origin, text)
        return
    meta: dict[str, str] = {}
    for tag in root.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = (tag.get("content") or "").strip()
        if key and content and key not in meta:
            meta[key] = content[:MAX_FIELD_CHARS]
    linked = _linked_data((el.get("type") or "", el.text or "") for el in root.iter("script"))
    time_tag = next((el for el in root.iter("time") if el.get("datetime") is not None), None)
    marked = next((el for el in root.iter() if isinstance(el.tag, str) and el.get("itemprop") == "datePublished"
                   and not _hidden(el)), None)
    # (an element's own text only, when it holds no other element: "<time>12 March 2026</time>")
    bare_time = next((el for el in root.iter("time") if len(el) == 0 and (el.text or "").strip() and not _hidden(el)),
                     None)
    published = _page_date(meta, linked, (
        _attr(time_tag, "datetime"), _attr(marked, "content"), _attr(marked, "datetime"),
        marked.text if marked is not None and len(marked) == 0 else None,
        bare_time.text if bare_time is not None else None))
    title_tag = next(root.iter("title"), None)
    if title_tag is not None and _hidden(title_tag):
        title_tag = None
    title = next((meta[k] for k in _META_TITLE if k in meta), None) or linked.get("headline") or (
        "".join(_strings(title_tag))[:MAX_FIELD_CHARS] or None if title_tag is not None else None)
    canonical = next((el for el in root.iter("link") if "canonical" in (el.get("rel") or "").split()), None)
    url = next((meta[k] for k in _META_URL if k in meta), None) or _attr(canonical, "href")
    source = next((meta[k] for k in _META_SOURCE if k in meta), None)
    _replace_with_comments(etree, root.iter(*_BOILERPLATE))
    body = next(root.iter("article"), None)
    for fallback in ("main", "body"):
        body = body if body is not None else next(root.iter(fallback), None)
    body = root if body is None else body
    if _hidden(body):
        body = etree.Element("body")  # all its text is hidden
    _replace_with_comments(etree, body.iter(*_HIDDEN_TEXT))
    blocks = [" ".join(_strings(el)) for el in body.iter("p", "h1", "h2", "h3", "li", "blockquote") if el is not body]
    # Keep paragraphs one per line so the clean stage sees datelines and junk lines as lines.
    main = "\n\n".join(b for b in blocks if b)
    if not main.strip():
        main = "\n".join(_strings(body))
    if not main.strip():
        yield SkippedDocument(origin, "HTML page has no text in <article>, <main> or <body>")
        return
    yield RawDocument(origin=origin, format="html", text=_cap(main), title=title, published=published,
                      url=url, source=source)


def _page_date(meta: dict[str, str], linked: dict[str, str], elements: Iterable[str | None]) -> str | None:
    """The date a page gives its readers: a meta tag's, schema.org's datePublished in its linked data, else the first
    of ``elements`` (a <time> tag's datetime, an element marked datePublished, a <time> tag's text)."""
    found = next((meta[k.lower()] for k in _META_DATE if k.lower() in meta), None) or linked.get("datePublished")
    return found or next((v.strip()[:MAX_FIELD_CHARS] for v in elements if v and v.strip()), None)


def _linked_data(scripts: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The headline and dates of the article a page describes in its schema.org linked data
    (``<script type="application/ld+json">``, given as (type, text) pairs), as text; empty when it has none or it
    cannot be read."""
    found: dict[str, str] = {}
    for kind, text in scripts:
        if "ld+json" not in kind.lower() or not text.strip():
            continue
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            continue     # broken linked data costs only itself: the page is read without it
        items = data if isinstance(data, list) else [data]
        items = [g for item in items if isinstance(item, dict) for g in (item.get("@graph") or [item])]
        for item in items:
            if not isinstance(item, dict) or not any(k in item for k in ("datePublished", "headline")):
                continue
            for key in ("datePublished", "dateCreated", "headline"):
                value = _value(item.get(key))
                if value is not None and key not in found:
                    found[key] = value[:MAX_FIELD_CHARS]
    if "datePublished" not in found and "dateCreated" in found:
        found["datePublished"] = found["dateCreated"]
    return found


def _replace_with_comments(etree: Any, elements: Iterable[Any]) -> None:
    """Take ``elements`` out of their tree, leaving the text that follows each in place.

    An empty comment stands in for each, so the text after it stays a separate
    piece, as after BeautifulSoup's ``decompose`` ("Hello<button/>world" reads "Hello world").
    """
    for element in list(elements):
        parent = element.getparent()
        if parent is not None:
            placeholder = etree.Comment("")
            placeholder.tail = element.tail
            parent.replace(element, placeholder)


def _strings(element: Any) -> Iterator[str]:
    """The non-blank text pieces under ``element``, stripped (comments left out)."""
    return (piece for piece in (s.strip() for s in element.itertext()) if piece)


def _read_html_soup(origin: str, text: str) -> Iterator[ReadResult]:
    """``_read_html`` through BeautifulSoup, for pages too deeply nested for lxml's tree."""
    from bs4 import BeautifulSoup  # imported here: only HTML inputs pay for it

    with warnings.catch_warnings():  # "looks like a file name / XML": read it as HTML anyway
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(text, "lxml")
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = tag.get("content")
        if key and isinstance(content, str) and content.strip() and key not in meta:
            meta[key] = content.strip()[:MAX_FIELD_CHARS]
    linked = _linked_data((str(el.get("type") or ""), el.get_text()) for el in soup.find_all("script"))
    time_tag = soup.find("time", attrs={"datetime": True})
    marked = soup.find(attrs={"itemprop": "datePublished"})
    bare_time = next((el for el in soup.find_all("time") if _own_text(el)), None)
    published = _page_date(meta, linked, (
        _attr(time_tag, "datetime"), _attr(marked, "content"), _attr(marked, "datetime"),
        _own_text(marked) if marked is not None else None, _own_text(bare_time) if bare_time is not None else None))
    title = next((meta[k] for k in _META_TITLE if k in meta), None) or linked.get("headline") or (
        soup.title.get_text(strip=True)[:MAX_FIELD_CHARS] or None if soup.title else None)
    canonical = soup.find("link", rel="canonical")
    url = next((meta[k] for k in _META_URL if k in meta), None) or _attr(canonical, "href")
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
    yield RawDocument(origin=origin, format="html", text=_cap(main), title=title, published=published,
                      url=url, source=source)


def _hidden(element: Any) -> bool:
    """An lxml element inside one whose text is never shown (a template, a ruby annotation)."""
    return any(a.tag in _HIDDEN_TEXT for a in element.iterancestors())


def _own_text(tag: Any) -> str | None:
    """A BeautifulSoup element's text when it holds nothing else (no element, no comment), as lxml's ``text``."""
    from bs4 import NavigableString

    if len(tag.contents) == 1 and type(tag.contents[0]) is NavigableString and tag.contents[0].strip():
        return str(tag.contents[0])
    return None


def _attr(tag: Any, name: str) -> str | None:
    """A tag's attribute as text (None when missing or empty)."""
    value = tag.get(name) if tag is not None else None
    if isinstance(value, list):  # multi-valued attributes come as lists
        value = " ".join(value)
    return value.strip()[:MAX_FIELD_CHARS] or None if isinstance(value, str) else None


# ---------------------------------------------------------------------------
# RSS and Atom feeds
# ---------------------------------------------------------------------------


def _read_feed(origin: str, text: str) -> Iterator[ReadResult]:
    """Each item (RSS) or entry (Atom) of a feed as an article: its title, link, date, text (HTML read as a page's)
    and the feed's title as its source.  Parsed by feedparser, which knows the feed formats' many dialects."""
    import feedparser  # imported here: only feed inputs pay for it

    # (given as a stream: a string or bytes feedparser would take for a URL or a file name to open, were the text
    # one; the text is decoded already, so its declared encoding no longer holds)
    feed = feedparser.parse(io.BytesIO(text.encode("utf-8")),
                            response_headers={"content-type": "application/xml; charset=utf-8"})
    if not feed.entries:
        problem = f" ({_short(str(feed.bozo_exception))})" if feed.get("bozo") else ""
        yield SkippedDocument(origin, f"no <item> or <entry> in the feed{problem}: check that the file is a whole "
                                      "RSS or Atom document")
        return
    source = _value(feed.feed.get("title"))
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{origin}#{number}"
        body = next((c.get("value") for c in entry.get("content", ()) if c.get("value")), None) \
            or entry.get("summary") or ""
        body = _clean_chars(_markup_read(where, body))
        if not body.strip():
            yield SkippedDocument(where, "the feed item has no text (no <description>, <content> or <summary>)")
            continue
        yield RawDocument(origin=where, format="feed", text=_cap(body), title=_value(entry.get("title")),
                          published=_value(entry.get("published") or entry.get("updated") or entry.get("created")),
                          url=_value(entry.get("link")), source=source)


_READERS = {"txt": _read_txt, "json": _read_json, "html": _read_html, "feed": _read_feed}


# ---------------------------------------------------------------------------
# Byte ranges of a JSONL file (the cluster engine splits a big feed among workers)
# ---------------------------------------------------------------------------


class _LineRange:
    """``readline`` over the lines of a binary file that start at a byte offset in ``[start, end)``."""

    def __init__(self, handle: IO[bytes], start: int, end: int) -> None:
        self._handle, self._end = handle, end
        self._position = start
        self._within = False      # in the middle of a line (a readline stopped at its limit)
        handle.seek(max(start - 1, 0))
        if start > 0:             # the line that began before ``start`` is the range before's
            self._position = start - 1
            while True:
                piece = handle.readline(_CHUNK)
                self._position += len(piece)
                if not piece or piece.endswith(b"\n"):
                    break

    def readline(self, limit: int = -1) -> bytes:
        if not self._within and self._position >= self._end:
            return b""
        line = self._handle.readline(limit)
        self._position += len(line)
        self._within = bool(line) and not line.endswith(b"\n")
        return line


def count_jsonl_lines(path: str | Path, start: int, end: int) -> int:
    """How many lines of ``path`` start at a byte offset in ``[start, end)`` (``end`` at most the file size).

    Summed over the ranges before one, it gives the number of that range's first line.

    >>> import os, tempfile
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as f:
    ...     _ = f.write(b'{"a": 1}\\n{"a": 2}\\n{"a": 3}\\n')
    >>> [count_jsonl_lines(f.name, s, e) for s, e in ((0, 10), (10, 20), (20, 27))]
    [2, 1, 0]
    >>> os.unlink(f.name)
    """
    if end <= start:
        return 0
    count = 1 if start == 0 else 0
    with open(path, "rb") as handle:
        handle.seek(max(start - 1, 0))
        left = end - 1 - max(start - 1, 0)
        while left > 0:
            block = handle.read(min(left, _CHUNK))
            if not block:
                break
            count += block.count(b"\n")
            left -= len(block)
    return count


def read_jsonl_range(path: str | Path, start: int, end: int, first_line: int = 1) -> Iterator[ReadResult]:
    """The records on the lines of a JSONL file that start in bytes ``[start, end)``, as ``iter_documents``
    reads them (origins ``path#line``); ``first_line`` is the number of the first of those lines.

    Ranges that cover a file read each line exactly once, so several workers can read one big feed.
    A file-level skip (origin ``path``, no ``#``) means the file cannot be read past it.  Unlike a
    whole-file read, a file with no records at all gets no skip record, and an encoding guessed for a
    non-UTF-8 line is not carried into the next range.
    """
    origin = str(path)

    def records() -> Iterator[ReadResult]:
        try:
            with open(path, "rb") as handle:
                if start == 0:
                    binary = _binary_reason(handle.read(_SNIFF_BYTES))
                    if binary:
                        yield SkippedDocument(origin, binary)
                        return
                stream = _LineRange(handle, start, end)
                yield from _read_jsonl(origin, stream, first_line, whole=False)
        except OSError as exc:
            yield SkippedDocument(origin, f"cannot read ({exc.strerror or exc}): check the file and its permissions")

    yield from _guarded(origin, records())
