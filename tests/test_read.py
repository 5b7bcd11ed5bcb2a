"""Read stage: every input format, and bad input skipped with a reason naming the file."""

from __future__ import annotations

import io
import json
import logging
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.read
from kg.read import MAX_TEXT_CHARS, find_article_files, iter_documents
from kg.records import RawDocument, SkippedDocument

MB = 2**20


def _by_name(folder: Path) -> dict[str, RawDocument | SkippedDocument]:
    return {Path(d.origin).name: d for d in iter_documents(folder)}


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
    assert docs[1].origin == f"{path}#2"
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


def test_a_page_saved_under_a_txt_name_is_read_as_the_page_it_is(tmp_path: Path) -> None:
    page = """<!DOCTYPE html>
<html lang="en"><head><meta property="og:title" content="Talks resume">
<meta property="article:published_time" content="2026-06-02T09:00:00+03:00"></head>
<body><nav><p>Home | World</p></nav><article><p>TARSOVA, June 2 — Envoys met.</p><p>They spoke.</p></article>
</body></html>"""
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    (doc,) = iter_documents(tmp_path / "page.txt")
    assert doc.format == "html" and doc.published.startswith("2026-06-02")
    assert doc.text == "TARSOVA, June 2 — Envoys met.\n\nThey spoke."
    # (a text that only mentions a tag is still text)
    (tmp_path / "note.txt").write_text("Published: 2026-06-02\n\nThe <html> tag opens a page.", encoding="utf-8")
    (note,) = iter_documents(tmp_path / "note.txt")
    assert note.format == "txt" and note.text.startswith("Published:")


def test_a_markdown_exports_front_matter_gives_title_date_and_address(tmp_path: Path) -> None:
    """'---' / 'title: ...' / 'date: ...' / '---' opening a text file is its metadata, not its text (a list under
    'tags:' is skipped).  (trap) A rule of dashes further down, or a block with a line that is no field, is text."""
    (tmp_path / "timeline.txt").write_text(
        '---\ntitle: "Peru and Chile: a timeline"\ndate: 2031-06-20\nurl: https://example.org/timeline\n'
        'tags:\n  - peru\nlayout: timeline\n---\n\n- 4 May — First round in Lima.\n', encoding="utf-8")
    (doc,) = iter_documents(tmp_path / "timeline.txt")
    assert (doc.title, doc.published, doc.url) == ("Peru and Chile: a timeline", "2031-06-20",
                                                   "https://example.org/timeline")
    assert doc.text.strip() == "- 4 May — First round in Lima."
    (tmp_path / "rule.txt").write_text("Published: 2031-06-20\n\nTalks resumed.\n---\ntitle: not a field\n---\n",
                                       encoding="utf-8")
    (rule,) = iter_documents(tmp_path / "rule.txt")
    assert rule.title is None and "title: not a field" in rule.text
    (tmp_path / "prose.txt").write_text("---\nTalks resumed in Lima on Monday.\n---\n\nPublished: 2031-06-20\n",
                                        encoding="utf-8")
    (prose,) = iter_documents(tmp_path / "prose.txt")
    assert prose.text.startswith("---\nTalks resumed")


def test_unreadable_inputs_name_the_problem(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    reasons = {Path(d.origin).name: d.reason for d in iter_documents(tmp_path)}
    assert "invalid JSON at line 1" in reasons["bad.json"]
    assert reasons["empty.txt"] == "empty file (only whitespace)"


def test_files_are_read_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c.txt"):
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    assert [Path(d.origin).name for d in iter_documents(tmp_path)] == ["a.txt", "b.txt", "c.txt"]


def test_folder_walk_matches_sorted_paths_and_leaves_out_hidden(tmp_path: Path) -> None:
    for name in ("a/b.txt", "a.txt", "a-b.txt", "a/c/d.json", "B.html", ".hidden/x.txt", "a/.y.txt", "z.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    expected = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in kg.read.SUFFIXES
                      and not any(part.startswith(".") for part in p.relative_to(tmp_path).parts))
    assert list(find_article_files([tmp_path])) == expected
    assert [p.relative_to(tmp_path).as_posix() for p in expected] == ["B.html", "a/b.txt", "a/c/d.json",
                                                                       "a-b.txt", "a.txt"]


# -- encodings ----------------------------------------------------------------------------------


def test_cp1251_cyrillic_is_decoded(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "Переговоры в Стамбуле возобновятся в среду, сообщил Песков."
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    (tmp_path / "ru.json").write_bytes(json.dumps({"title": "Москва", "text": text}, ensure_ascii=False)
                                       .encode("cp1251"))
    with caplog.at_level(logging.INFO, logger="kg.read"):
        docs = _by_name(tmp_path)
    assert docs["ru.txt"].text == text
    assert (docs["ru.json#1"].title, docs["ru.json#1"].text) == ("Москва", text)
    assert "read as cp1251" in caplog.text and "ru.txt" in caplog.text


def test_latin1_western_text_is_guessed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "short.txt").write_bytes("caf\xe9 talks".encode("latin-1"))
    (tmp_path / "zurich.txt").write_bytes("Talks in Zürich resumed at the café on Monday.".encode("latin-1"))
    (tmp_path / "quotes.html").write_bytes("<p>The envoy said “talks” in Zürich went well — très bien.</p>"
                                           .encode("cp1252"))
    with caplog.at_level(logging.INFO, logger="kg.read"):
        docs = _by_name(tmp_path)
    assert docs["short.txt"].text == "café talks"
    assert docs["zurich.txt"].text == "Talks in Zürich resumed at the café on Monday."
    assert docs["quotes.html"].text == "The envoy said “talks” in Zürich went well — très bien."
    assert "read as cp1252" in caplog.text


def test_declared_html_charset_and_byte_order_marks(tmp_path: Path) -> None:
    (tmp_path / "koi8.html").write_bytes('<meta charset="koi8-r"><p>Переговоры продолжатся.</p>'.encode("koi8_r"))
    (tmp_path / "bom8.txt").write_bytes("\ufeffTalks in Zürich.".encode("utf-8"))
    (tmp_path / "bom16.txt").write_bytes("Talks in Zürich.".encode("utf-16"))
    docs = _by_name(tmp_path)
    assert docs["koi8.html"].text == "Переговоры продолжатся."
    assert docs["bom8.txt"].text == docs["bom16.txt"].text == "Talks in Zürich."


def test_mostly_utf8_keeps_utf8_with_the_stray_byte_replaced(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Zelensky — in Zürich, “talks” — ".encode("utf-8") + b"\xff ended.")
    assert _by_name(tmp_path)["a.txt"].text == "Zelensky — in Zürich, “talks” — \ufffd ended."


def test_text_that_fits_no_encoding_is_skipped_with_a_fix(tmp_path: Path) -> None:
    (tmp_path / "noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    doc = _by_name(tmp_path)["noise.txt"]
    assert isinstance(doc, SkippedDocument)
    assert doc.reason == "not UTF-8 text, and no other encoding fits: re-save it as UTF-8"


def test_jsonl_is_decoded_line_by_line(tmp_path: Path) -> None:
    """UTF-8 first for every line, then the encoding guessed for the file: a bad byte costs only its line."""
    path = tmp_path / "feed.jsonl"
    path.write_bytes("{\"text\": \"Переговоры в Стамбуле возобновятся.\"}\n".encode("cp1251")
                     + '{"text": "Песков said."}\n'.encode("utf-8")
                     + '{"text": "Москва."}\n'.encode("cp1251")
                     + b'\n{"text": "Last line."}\n')
    docs = list(iter_documents(path))
    assert [d.origin for d in docs] == [f"{path}#{n}" for n in (1, 2, 3, 5)]
    assert [d.text for d in docs] == ["Переговоры в Стамбуле возобновятся.", "Песков said.", "Москва.",
                                      "Last line."]
    (tmp_path / "noise.jsonl").write_bytes(b'{"text": "ok"}\n' + bytes(range(0x80, 0x100)) * 4 + b"\n")
    assert list(iter_documents(tmp_path / "noise.jsonl"))[1] == SkippedDocument(
        f"{tmp_path / 'noise.jsonl'}#2",
        "line 2 is not UTF-8 text, and no other encoding fits: re-save the file as UTF-8")
    (tmp_path / "west.jsonl").write_bytes(b'{"text": "Talks in Z\xfcrich at the caf\xe9."}\n{"text": "ok"}\n')
    assert [d.text for d in iter_documents(tmp_path / "west.jsonl")] == ["Talks in Zürich at the café.", "ok"]


# -- binary, empty, huge ------------------------------------------------------------------------


def test_binary_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (tmp_path / "archive.html").write_bytes(b"PK\x03\x04\x14\x00" + bytes(range(256)))
    (tmp_path / "nul.jsonl").write_bytes(b'{"text": "a"}\n\x00\x00\x00\n')
    (tmp_path / "controls.json").write_bytes(bytes(range(1, 9)) * 100)
    docs = _by_name(tmp_path)
    assert docs["photo.txt"].reason.startswith("binary file (PNG image): not an article; remove it")
    assert docs["archive.html"].reason.startswith("binary file (zip archive or Office document)")
    assert docs["nul.jsonl"].reason.startswith("binary file (NUL bytes in the first 8 KB)")
    assert docs["controls.json"].reason.startswith("binary file (mostly control bytes)")
    assert all(d.origin == str(tmp_path / name) for name, d in docs.items())


def test_empty_inputs_each_give_a_skip_record(tmp_path: Path) -> None:
    files = {"empty.txt": "", "blank.html": " \n\t\n", "empty.json": "", "list.json": "[]",
             "articles.json": '{"articles": []}', "blank.jsonl": "\n  \n\n", "empty.jsonl": ""}
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    docs = list(iter_documents(tmp_path))
    assert sorted(Path(d.origin).name for d in docs) == sorted(files)
    reasons = {Path(d.origin).name: d.reason for d in docs}
    assert reasons["empty.txt"] == reasons["empty.json"] == reasons["empty.jsonl"] == "empty file"
    assert reasons["blank.html"] == "empty file (only whitespace)"
    assert reasons["list.json"] == reasons["articles.json"] == "no articles: the JSON list is empty"
    assert reasons["blank.jsonl"] == "no records: only blank lines"


def test_fifty_megabyte_pages_are_capped_and_fast(tmp_path: Path) -> None:
    line = b"The delegations met again in Istanbul and agreed to exchange prisoners.\n"
    (tmp_path / "huge.txt").write_bytes(line * (50 * MB // len(line)))
    with (tmp_path / "scripts.html").open("wb") as handle:
        handle.write(b"<html><head><title>Talks</title><style>p { color: red }</style></head><body>")
        block = b"<script>var s = '<p>not this</p>'; if (a < b) { go(); }</script>\n<!-- <p>nor this</p> -->\n"
        handle.write(block * (24 * MB // len(block)))
        handle.write(b"<script>" + b"x = 1;\n" * (25 * MB // 7) + b"</script>")
        handle.write(b"<article><p>GENEVA, June 2 \xe2\x80\x94 The only paragraph.</p></article></body></html>")
    started = time.perf_counter()
    docs = _by_name(tmp_path)
    assert time.perf_counter() - started < 20  # a few seconds on one core; slack for a busy machine
    txt = docs["huge.txt"]
    assert MAX_TEXT_CHARS - len(line) < len(txt.text) <= MAX_TEXT_CHARS and txt.text.endswith("prisoners.")
    html = docs["scripts.html"]
    assert (html.title, html.text) == ("Talks", "GENEVA, June 2 — The only paragraph.")


def test_dense_html_is_cut_not_parsed_whole(tmp_path: Path) -> None:
    para = b"<div class='c'><p>A paragraph of a very long page, with <a href='#'>a link</a>.</p></div>\n"
    (tmp_path / "dense.html").write_bytes(b"<html><body>" + para * (20 * MB // len(para)))
    started = time.perf_counter()
    (doc,) = iter_documents(tmp_path / "dense.html")
    assert time.perf_counter() - started < 20
    paragraph = "A paragraph of a very long page, with a link ."  # get_text joins the pieces with spaces
    assert doc.text.startswith(f"{paragraph}\n\n") and doc.text.endswith(paragraph)
    assert len(doc.text) <= MAX_TEXT_CHARS


def test_oversized_jsonl_line_is_skipped_and_neighbours_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    with mock.patch.object(kg.read, "MAX_LINE_BYTES", MB):
        path.write_bytes(b'{"text": "first"}\n{"text": "' + b"x" * (3 * MB) + b'"}\n{"text": "last"}')
        docs = list(iter_documents(path))
    assert [d.origin for d in docs] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert docs[1].reason == "line 2 is longer than 1 MB: not one article; split the record"
    assert (docs[0].text, docs[2].text) == ("first", "last")


def test_long_record_text_is_capped(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"text": "word " * MAX_TEXT_CHARS, "title": "t" * 10**5}))
    (doc,) = iter_documents(tmp_path / "a.json")
    assert len(doc.text) == MAX_TEXT_CHARS and len(doc.title) == kg.read.MAX_FIELD_CHARS


# -- malformed JSON -----------------------------------------------------------------------------


def test_deeply_nested_json_is_skipped_not_a_recursion_error(tmp_path: Path) -> None:
    (tmp_path / "lists.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "objects.json").write_text('{"a":' * 100_000 + "1" + "}" * 100_000)
    (tmp_path / "feed.jsonl").write_text('{"text": "before"}\n' + '{"a":' * 100_000 + "1" + "}" * 100_000
                                         + '\n{"text": "after"}\n')
    (tmp_path / "field.json").write_text('{"text": ' + "[" * 500 + '"x"' + "]" * 500 + "}")
    docs = list(iter_documents(tmp_path))
    by_origin = {Path(d.origin).name: d for d in docs}
    for name in ("lists.json", "objects.json"):
        assert by_origin[name].reason == "JSON nested too deeply to read: give each article as a flat object"
    assert by_origin["feed.jsonl#2"].reason.startswith("JSON on line 2 is nested too deeply")
    assert (by_origin["feed.jsonl#1"].text, by_origin["feed.jsonl#3"].text) == ("before", "after")
    assert by_origin["field.json#1"].reason.startswith("no article text")


def test_truncated_and_misnamed_json_say_where_and_why(tmp_path: Path) -> None:
    (tmp_path / "cut.json").write_text('[{"text": "one"},\n {"text": "tw')
    (tmp_path / "lines.json").write_text('{"text": "one"}\n{"text": "two"}\n')
    (tmp_path / "cut.jsonl").write_text('{"text": "one"}\n{"text": "tw')
    docs = _by_name(tmp_path)
    assert docs["cut.json"].reason == ("invalid JSON at line 2 column 11: Unterminated string; "
                                       "the file looks cut off: export or download it again")
    assert docs["lines.json"].reason.startswith("invalid JSON at line 2 column 1: Extra data; if it holds one "
                                                "object per line, name it .jsonl")
    assert docs["cut.jsonl#1"].text == "one"
    assert docs["cut.jsonl#2"].reason == ("invalid JSON on line 2 (column 10): Unterminated string; "
                                             "the line looks cut off: export it again")


def test_control_characters_and_lone_surrogates_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"text": "Talks\\u0000 resumed \\ud800today.", "title": "T\\u0007"}\n')
    (doc,) = iter_documents(tmp_path / "a.jsonl")
    assert (doc.text, doc.title) == ("Talks resumed \ufffdtoday.", "T")
    doc.text.encode("utf-8")  # exports write UTF-8: this must not raise


def test_list_text_and_odd_field_types(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([
        {"text": ["First paragraph.", "Second."], "title": 7, "url": True},
        {"text": {"nested": "x"}, "content": "Fallback body."},
        "just a string",
    ]))
    docs = list(iter_documents(tmp_path / "a.json"))
    assert (docs[0].text, docs[0].title, docs[0].url) == ("First paragraph.\n\nSecond.", "7", None)
    assert docs[1].text == "Fallback body."
    assert docs[2].reason == "expected a JSON object per article, found str"


# -- standard input -----------------------------------------------------------------------------


def _stdin(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_stdin_is_read_as_jsonl_line_by_line() -> None:
    data = (b'{"title": "A", "text": "One."}\n\nnot json\n{"text": "Caf\xe9 in Z\xfcrich."}\n'
            b'{"text": "Last."}')
    with mock.patch("sys.stdin", _stdin(data)):
        docs = list(iter_documents("-"))
    assert [d.origin for d in docs] == ["<stdin>#1", "<stdin>#3", "<stdin>#4", "<stdin>#5"]
    assert docs[0].title == "A" and docs[0].format == "jsonl"
    assert docs[1].reason.startswith("invalid JSON on line 3")
    assert (docs[2].text, docs[3].text) == ("Café in Zürich.", "Last.")


def test_stdin_among_paths_empty_and_text_only(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A file.", encoding="utf-8")
    with mock.patch("sys.stdin", _stdin(b"")):
        docs = list(iter_documents([tmp_path / "a.txt", "-", "-"]))
    assert [(d.origin, getattr(d, "reason", None)) for d in docs] == [
        (str(tmp_path / "a.txt"), None), ("<stdin>", "nothing on standard input"),
        ("<stdin>", "standard input given twice: it is read once")]
    with mock.patch("sys.stdin", io.StringIO('{"text": "Привет."}\n')):  # no binary buffer
        (doc,) = iter_documents(["-"])
    assert (doc.origin, doc.text) == ("<stdin>#1", "Привет.")


def test_stdin_is_not_read_ahead() -> None:
    """Records come out while standard input is still open: a pipe is never read whole first."""
    lines = iter([b'{"text": "one"}\n', b'{"text": "two"}\n'])

    class Pipe:
        def readline(self, limit: int = -1) -> bytes:
            line = next(lines, None)
            if line is None:
                raise AssertionError("read past the record being asked for")
            return line

    stdin = mock.Mock(buffer=Pipe())
    with mock.patch("sys.stdin", stdin):
        docs = iter_documents("-")
        assert next(docs).text == "one" and next(docs).text == "two"


# -- nothing escapes ----------------------------------------------------------------------------


def test_unexpected_error_becomes_a_skip_record_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Second.", encoding="utf-8")
    real = kg.read._read_txt

    def flaky(origin: str, text: str) -> Iterator[RawDocument | SkippedDocument]:
        if origin.endswith("a.txt"):
            raise RuntimeError("boom")
        return real(origin, text)

    with mock.patch.dict(kg.read._READERS, {"txt": flaky}):
        docs = list(iter_documents(tmp_path))
    assert docs[0] == SkippedDocument(str(tmp_path / "a.txt"), "failed to read (RuntimeError: boom); the run "
                                                                "went on without it - please report the file",
                                      failed=True)
    assert docs[1].text == "Second."


def test_deeply_nested_html_is_still_read(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text("<p>Top.</p>" + "<div>" * 20_000 + "<p>Deep.</p>" + "</div>" * 20_000)
    (doc,) = iter_documents(tmp_path / "deep.html")
    assert doc.text == "Top.\n\nDeep."


# -- properties ---------------------------------------------------------------------------------

_TEXTISH = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
_ENCODINGS = st.sampled_from(["utf-8", "cp1251", "latin-1", "cp1252", "utf-16"])


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "replace")


_CONTENT = st.one_of(st.binary(max_size=600), st.builds(_encoded, _TEXTISH, _ENCODINGS))


def _read_file(name: str, data: bytes) -> tuple[Path, list[RawDocument | SkippedDocument]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return path, list(iter_documents(path))


@settings(max_examples=60, deadline=None)
@given(suffix=st.sampled_from([".txt", ".html"]), data=_CONTENT)
def test_any_bytes_give_exactly_one_record_for_a_page(suffix: str, data: bytes) -> None:
    path, docs = _read_file("page" + suffix, data)
    assert len(docs) == 1 and docs[0].origin == str(path)


_JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | _TEXTISH,
                            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                                st.sampled_from(["text", "title", "published", "url", "source", "articles", "x"]),
                                inner, max_size=4), max_leaves=12)


@st.composite
def _json_documents(draw: st.DrawFn) -> bytes:
    dumped = json.dumps(draw(_JSON_VALUES), ensure_ascii=draw(st.booleans()))
    cut = draw(st.integers(0, len(dumped)))
    return _encoded(dumped if draw(st.booleans()) else dumped[:cut], draw(_ENCODINGS))


@settings(max_examples=80, deadline=None)
@given(data=st.one_of(_json_documents(), _CONTENT))
def test_any_json_file_is_accounted_for(data: bytes) -> None:
    path, docs = _read_file("feed.json", data)
    assert docs
    if len(docs) > 1 or docs[0].origin != str(path):
        assert [d.origin for d in docs] == [f"{path}#{n}" for n in range(1, len(docs) + 1)]


# a line holds no newline byte (a UTF-16 document can: "\u010a" is b"\n\x01")
_LINES = st.lists(st.one_of(_json_documents().filter(lambda b: b"\n" not in b),
                            _CONTENT.map(lambda b: b.replace(b"\n", b" ")),
                            st.sampled_from([b"", b"  ", b"\r"])), max_size=8)


def _expected_origins(origin: str, lines: list[bytes]) -> list[str]:
    return [f"{origin}#{n}" for n, line in enumerate(lines, start=1) if line.strip()]


@settings(max_examples=80, deadline=None)
@given(lines=_LINES)
def test_any_jsonl_file_gives_one_record_per_line(lines: list[bytes]) -> None:
    path, docs = _read_file("feed.jsonl", b"\n".join(lines))
    expected = _expected_origins(str(path), lines)
    if len(docs) == 1 and docs[0].origin == str(path):
        assert not expected or docs[0].reason.startswith(("binary file", "UTF-16 or UTF-32"))
    else:
        assert [d.origin for d in docs] == expected


@settings(max_examples=60, deadline=None)
@given(lines=_LINES)
def test_any_stdin_gives_one_record_per_line(lines: list[bytes]) -> None:
    with mock.patch("sys.stdin", _stdin(b"\n".join(lines))):
        docs = list(iter_documents("-"))
    expected = _expected_origins("<stdin>", lines)
    if len(docs) == 1 and docs[0].origin == "<stdin>":
        assert not expected or docs[0].reason.startswith("UTF-16 or UTF-32")
    else:
        assert [d.origin for d in docs] == expected


_TAGS = ["p", "div", "article", "main", "li", "ul", "h1", "h2", "blockquote", "span", "b", "br", "script", "style",
         "template", "ruby", "rt", "button", "nav", "footer", "title", "time", "table", "td", "svg", "noscript"]
_HTML_TEXT = st.sampled_from(["Talks", " resumed ", "in Geneva.", "&amp;", "&nbsp;", "\n", "<!-- c -->", "",
                              "<?php x ?>", "é", "<", ">", "&"])


@st.composite
def _html_pages(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(_TAGS))
            attrs = draw(st.sampled_from(["", ' datetime="2025-06-02"', ' rel="canonical" href=" /a "',
                                          ' class="x"']))
            parts.append(f"<{tag}{attrs}>{draw(_html_pages(depth + 1))}" + ("" if draw(st.booleans()) and depth
                                                                            else f"</{tag}>"))
        else:
            parts.append(draw(_HTML_TEXT))
    if depth == 0 and draw(st.booleans()):
        parts.insert(0, draw(st.sampled_from(['<meta property="og:title" content=" T ">',
                                              '<meta name="date" content="2025-06-02">', '<link rel="canonical">',
                                              '<meta property="og:site_name" content="">'])))
    return "".join(parts)


@settings(max_examples=100, deadline=None)
@given(page=_html_pages())
def test_lxml_html_reader_reads_what_beautifulsoup_reads(page: str) -> None:
    assert list(kg.read._read_html("p.html", page)) == list(kg.read._read_html_soup("p.html", page))


def test_the_field_names_of_common_scrapers_and_wrapped_records_are_read(tmp_path: Path) -> None:
    body = "Norland and Vesta met in Lenby on Wednesday."
    records = {
        "scraper.json": {"title": "A", "maintext": body, "date_publish": "2026-03-12 10:00:00"},
        "schema.json": {"headline": "A", "articleBody": body, "datePublished": "2026-03-12"},
        "wrapped.json": {"article": {"title": "A", "text": body}, "published": "2026-03-12"},
        "meta.json": {"title": "A", "text": body, "meta": {"published": "2026-03-12"}},
        "feed.json": {"items": [{"title": "A", "text": body, "created_at": "2026-03-12"}]},
        "markup.json": {"title": "A", "body_html": f"<div><p>{body}</p><p>They meet again on Friday.</p></div>",
                        "published": "2026-03-12"},
    }
    for name, record in records.items():
        (tmp_path / name).write_text(json.dumps(record), encoding="utf-8")
    docs = _by_name(tmp_path)
    assert all(isinstance(d, RawDocument) for d in docs.values()), docs
    assert {d.published for d in docs.values()} == {"2026-03-12 10:00:00", "2026-03-12"}
    assert docs["markup.json#1"].text == f"{body}\n\nThey meet again on Friday."
    # a summary is the text only when there is no other; a record with neither says which keys it looked for
    (tmp_path / "summary.json").write_text(json.dumps({"title": "A", "text": body, "summary": "Short."}))
    (tmp_path / "none.json").write_text(json.dumps({"title": "A", "published": "2026-03-12"}))
    docs = _by_name(tmp_path)
    assert docs["summary.json#1"].text == body
    none = docs["none.json#1"]
    assert isinstance(none, SkippedDocument) and "articleBody" in none.reason


def test_an_html_pages_date_from_its_linked_data_a_marked_element_or_a_time_tags_text(tmp_path: Path) -> None:
    body = "<article><p>Norland and Vesta met in Lenby on Wednesday.</p></article>"
    ld = '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "Organization", ' \
         '"name": "Herald"}, {"@type": "NewsArticle", "headline": "Talks in Lenby", "datePublished": "2026-03-12"}]}' \
         '</script>'
    pages = {"ld.html": f"<html><head>{ld}</head><body>{body}</body></html>",
             "marked.html": f'<html><body><span itemprop="datePublished" content="2026-03-12">12 March</span>{body}'
                            "</body></html>",
             "time.html": f"<html><body><time>12 March 2026</time>{body}</body></html>",
             "broken.html": '<html><head><script type="application/ld+json">{"datePublished": </script></head>'
                            f"<body>{body}</body></html>"}
    for name, page in pages.items():
        (tmp_path / name).write_text(page, encoding="utf-8")
    docs = _by_name(tmp_path)
    assert docs["ld.html"].published == "2026-03-12" and docs["ld.html"].title == "Talks in Lenby"
    assert docs["marked.html"].published == "2026-03-12" and docs["time.html"].published == "12 March 2026"
    # trap: broken linked data costs only itself: the page is read, with no date from it
    assert isinstance(docs["broken.html"], RawDocument) and docs["broken.html"].published is None
    assert "Norland" in docs["broken.html"].text and "datePublished" not in docs["broken.html"].text


_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Lenby Wire - World</title><link>https://lenby.example/world</link>
<item><title>Norland and Vesta swap 40 detainees</title><link>https://lenby.example/world/swap</link>
<pubDate>Wed, 24 Jun 2026 15:20:00 GMT</pubDate>
<description><![CDATA[<p>Norland and Vesta exchanged 40 detainees on Wednesday.</p><p>Both sides said more would follow.</p>]]></description>
</item>
<item><title>Talks set for Lenby</title><pubDate>Thu, 25 Jun 2026 08:00:00 GMT</pubDate>
<description><![CDATA[The next round opens in Lenby on Monday.

Vesta's envoy confirmed the date.]]></description>
</item>
<item><title>An item with nothing in it</title></item>
</channel></rss>
"""


def test_each_item_of_an_rss_feed_is_an_article(tmp_path: Path) -> None:
    """Under .xml, or as a .txt a scraper saved: title, link, date, text (HTML as paragraphs), the feed's title as
    source; an item with no text is skipped with its number."""
    for name in ("world.xml", "world-feed.txt"):
        (tmp_path / name).write_text(_RSS, encoding="utf-8")
        docs = list(iter_documents(tmp_path / name))
        first, second, empty = docs
        assert isinstance(first, RawDocument) and first.origin.endswith(f"{name}#1") and first.format == "feed"
        assert first.title == "Norland and Vesta swap 40 detainees" and first.url == "https://lenby.example/world/swap"
        assert first.published == "Wed, 24 Jun 2026 15:20:00 GMT" and first.source == "Lenby Wire - World"
        assert first.text.split("\n\n") == ["Norland and Vesta exchanged 40 detainees on Wednesday.",
                                            "Both sides said more would follow."]
        assert isinstance(second, RawDocument) and second.text.split("\n\n") == [
            "The next round opens in Lenby on Monday.", "Vesta's envoy confirmed the date."]
        assert isinstance(empty, SkippedDocument) and empty.origin.endswith(f"{name}#3") and "no text" in empty.reason


def test_an_atom_feeds_entries_are_articles(tmp_path: Path) -> None:
    path = tmp_path / "desk.atom"
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Tarsova Desk</title>
<entry><title>Vesta names a new envoy</title><link href="https://tarsova.example/envoy"/>
<updated>2026-06-24T09:15:00Z</updated>
<content type="html">&lt;p&gt;Vesta named Aurel Vask its chief negotiator on Wednesday.&lt;/p&gt;</content></entry>
</feed>""", encoding="utf-8")
    (doc,) = iter_documents(path)
    assert isinstance(doc, RawDocument) and doc.title == "Vesta names a new envoy" and doc.source == "Tarsova Desk"
    assert doc.url == "https://tarsova.example/envoy" and doc.published == "2026-06-24T09:15:00Z"
    assert doc.text == "Vesta named Aurel Vask its chief negotiator on Wednesday."


def test_trap_a_feed_that_is_not_one_is_skipped_and_never_opens_what_it_names(tmp_path: Path) -> None:
    """A feed file holding only a path (or a URL) is no feed: feedparser is given a stream, never a name to open."""
    (tmp_path / "real.xml").write_text(_RSS, encoding="utf-8")
    (tmp_path / "pointer.xml").write_text(str(tmp_path / "real.xml"), encoding="utf-8")
    (tmp_path / "empty.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel>'
                                        "</rss>", encoding="utf-8")
    for name in ("pointer.xml", "empty.rss"):
        (doc,) = iter_documents(tmp_path / name)
        assert isinstance(doc, SkippedDocument) and "no <item> or <entry>" in doc.reason, name
    # (and a text that only mentions the tag is text)
    (tmp_path / "note.txt").write_text("The <rss> tag opens a feed.\n\nNorland and Vesta met.", encoding="utf-8")
    (doc,) = iter_documents(tmp_path / "note.txt")
    assert isinstance(doc, RawDocument) and doc.format == "txt"
