"""The build state in ``OUT/state.sqlite``: what ``kg add`` and ``kg remove`` work from.

Format (version ``FORMAT_VERSION``, kept in the ``meta`` table):

- ``meta(key, value)``: ``format_version``, ``kg_version``.
- ``documents(key, content_hash, origin)``: the inputs the outputs in OUT were
  built from.  ``key`` is a document's identity across runs (its URL, else the
  path and record number it was read from); ``content_hash`` is the SHA-1 of
  its text and metadata.  Replaced in one transaction after the outputs are
  written, so it always describes complete outputs.
- ``results(content_hash, kind, article_id, body)``: what the per-article
  stages made of each document, ``kind`` ``article`` (``body`` is an
  ``ArticleResult``) or ``skipped`` (a ``SkippedDocument``), as zlib-compressed
  JSON in the form of ``kg.codec``.  Written as soon as each document is
  processed, so a killed run's work is reused by the next run.

Resolution is not stored: it is recomputed from the stored results, so an
incremental build equals a build from scratch by construction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import orjson

from kg.codec import decode, encode
from kg.pipeline import Processed, Result, relocated
from kg.records import ArticleResult, SkippedDocument
from kg.resources import data_file

FORMAT_VERSION = 1
# The run-time knowledge that shapes per-article results.
KNOWLEDGE = ("event_types.toml", "lexicons", "gazetteer")
STATE_FILE = "state.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, content_hash TEXT NOT NULL, origin TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (content_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, article_id TEXT,
                                    body BLOB NOT NULL);
"""


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """SHA-1 of the package's code and run-time data: stored results are reused only by the same pipeline."""
    digest = hashlib.sha1()

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            name = f"{prefix}/{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, name)
            elif child.name.endswith((".py", ".toml", ".csv")):
                digest.update(name.encode() + b"\0" + child.read_bytes())

    walk(resources.files("kg"), "kg")
    for part in KNOWLEDGE:   # in a source checkout they live outside the package
        node = data_file(part)
        if node.is_dir():
            walk(node, part)
        else:
            digest.update(part.encode() + b"\0" + node.read_bytes())
    return digest.hexdigest()


class StateError(Exception):
    """The build state cannot be used (missing, or written by an incompatible version)."""


def encode_result(result: Result) -> bytes:
    """The stored form of a per-article result: ``encode``'s JSON, compressed.  orjson writes a record's fields,
    tuples and dates just as ``encode`` gives them, byte for byte, several times faster; a text it refuses (a lone
    surrogate from a badly decoded page) is written the slow way."""
    try:
        data = orjson.dumps(result)
    except orjson.JSONEncodeError:
        data = json.dumps(encode(result), ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return zlib.compress(data, 1)


def decode_result(kind: str, body: bytes) -> Result:
    """The per-article result ``encode_result`` stored."""
    raw = zlib.decompress(body)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:     # (a lone surrogate, written the slow way)
        data = json.loads(raw.decode("utf-8", "surrogatepass"))
    return decode(ArticleResult if kind == "article" else SkippedDocument, data)


def _kind(result: Result) -> str:
    if isinstance(result, ArticleResult):
        return "article"
    return "failed" if result.failed else "skipped"


class BuildState:
    """The state of one output folder.  Use as a context manager; writes are transactional."""

    def __init__(self, out: str | Path, *, create: bool) -> None:
        from kg import __version__

        self.path = Path(out) / STATE_FILE
        if not self.path.exists() and not create:
            raise StateError(f"{self.path.parent} has no build state ({STATE_FILE}): run "
                             f"`kg build <articles> --out {self.path.parent}` first")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")   # a killed run never corrupts the file
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        meta = dict(self._db.execute("SELECT key, value FROM meta"))
        if "format_version" not in meta:
            self._set_meta(format_version=str(FORMAT_VERSION), kg_version=__version__,
                           pipeline=pipeline_fingerprint())
        elif int(meta["format_version"]) != FORMAT_VERSION:
            self._db.close()
            raise StateError(f"{self.path} has state format {meta['format_version']}, this kg reads format "
                             f"{FORMAT_VERSION}: delete it and run `kg build <articles> --out {self.path.parent}`")
        elif meta.get("pipeline") != pipeline_fingerprint():
            # Results of another version of the code or the lexicons are not this pipeline's results.
            if not create:
                self._db.close()
                raise StateError(f"{self.path.parent} was built by another version of kg or of its data files: "
                                 f"run `kg build <articles> --out {self.path.parent}` again before adding")
            # The documents stay listed (with the old pipeline's name) until a build commits: a killed rebuild
            # must not leave a state that `kg add` would take for an empty build.
            self._db.execute("DELETE FROM results")

    def _set_meta(self, **values: str) -> None:
        self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(values.items()))

    def __enter__(self) -> BuildState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- per-article results --------------------------------------------------
    def cached(self, content_hash: str) -> Result | None:
        """The stored result for this content, if a run with this same pipeline processed it before.

        A document that made the pipeline fail (an exception, a crashed worker) is tried again.
        """
        row = self._db.execute("SELECT kind, body FROM results WHERE content_hash=? AND kind != 'failed'",
                               (content_hash,)).fetchone()
        return decode_result(*row) if row else None

    def known_hashes(self) -> set[str]:
        """Content hashes whose results ``cached`` would give (what a cluster build need not redo)."""
        return {digest for (digest,) in self._db.execute("SELECT content_hash FROM results WHERE kind != 'failed'")}

    def save_results(self, items: Iterable[Processed]) -> None:
        """Store freshly processed results (in one transaction)."""
        rows = [(p.content_hash, _kind(p.result),
                 None if isinstance(p.result, SkippedDocument) else p.result.article.id,
                 p.encoded or encode_result(p.result))
                for p in items]
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", rows)

    # -- the committed build ------------------------------------------------
    def documents(self) -> dict[str, tuple[str, str]]:
        """``key -> (content_hash, origin)`` of the inputs the current outputs were built from."""
        return {key: (digest, origin)
                for key, digest, origin in self._db.execute("SELECT key, content_hash, origin FROM documents")}

    def processed(self, documents: dict[str, tuple[str, str]]) -> Iterator[Processed]:
        """The stored results of ``documents``, one ``Processed`` each."""
        for key, (digest, origin) in sorted(documents.items()):
            row = self._db.execute("SELECT kind, body FROM results WHERE content_hash=?", (digest,)).fetchone()
            if row is None:
                raise StateError(f"{self.path} lost the result of {origin}: delete it and run `kg build` again")
            yield Processed(key, digest, origin, relocated(decode_result(*row), origin))

    def article_keys(self, needle: str) -> list[str]:
        """Keys of committed documents matching an article id, a URL/key or an origin path."""
        rows = self._db.execute(
            "SELECT d.key FROM documents d LEFT JOIN results r ON r.content_hash = d.content_hash "
            "WHERE d.key = ? OR d.origin = ? OR r.article_id = ?", (needle, needle, needle))
        return sorted(key for (key,) in rows)

    def writing(self) -> None:
        """Mark the outputs as being rewritten: until ``commit``, they may be a mix of old and new files."""
        self._set_meta(writing="1")

    @property
    def dirty(self) -> bool:
        """Whether a run was stopped while writing the outputs (they must be written again)."""
        row = self._db.execute("SELECT value FROM meta WHERE key='writing'").fetchone()
        return bool(row and row[0] == "1")

    def commit(self, documents: dict[str, tuple[str, str]]) -> None:
        """Record ``documents`` as the inputs of the outputs just written, by this pipeline; forget results
        nobody uses."""
        from kg import __version__

        with self._transaction():
            self._set_meta(writing="0", kg_version=__version__, pipeline=pipeline_fingerprint())
            self._db.execute("DELETE FROM documents")
            self._db.executemany("INSERT INTO documents VALUES (?, ?, ?)",
                                 [(k, d, o) for k, (d, o) in sorted(documents.items())])
            self._db.execute("DELETE FROM results WHERE content_hash NOT IN (SELECT content_hash FROM documents)")

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type | None, *rest: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
