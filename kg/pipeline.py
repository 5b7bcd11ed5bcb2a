"""The per-article pipeline: read -> clean -> annotate -> extract, in worker processes.

Articles are read as a stream and handed to a pool of worker processes in a
bounded number of chunks; only the small per-article results come back, so
memory grows with the number of events, not with the text read.  ``run``
adds the last stage (resolve, once over all articles) for in-memory use;
``kg.workspace`` adds the build state that makes ``kg add`` possible.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from kg.records import Actor, ArticleResult, Corpus, RawDocument, SkippedDocument
from kg.resources import KnowledgeError

PER_ARTICLE_STAGES = ("clean", "annotate", "extract")
Result = ArticleResult | SkippedDocument
Progress = Callable[[int, int], None]   # (inputs done, of which skipped)
# Looks up an earlier run's result by content hash (None when the document is new or changed).
Cache = Callable[[str], Result | None]


@dataclass(frozen=True)
class Processed:
    """One input document and what the per-article stages made of it."""

    key: str             # the document's identity across runs: its URL, else where it was read from
    content_hash: str    # changes whenever the document's text or metadata changes
    origin: str
    result: Result
    encoded: bytes | None = None   # the result in the build state's form, made by the worker (see ``encoder``)


def document_key(raw: RawDocument) -> tuple[str, str]:
    """``(key, content_hash)`` of a raw document: a re-scraped page keeps its key, not its hash.

    >>> key, digest = document_key(RawDocument("a.txt", "txt", "Text", url="https://x.org/1"))
    >>> key, len(digest)
    ('https://x.org/1', 40)
    """
    content = "\x1f".join(str(part) for part in (raw.format, raw.title, raw.published, raw.url, raw.source,
                                                  raw.text))
    return raw.url or raw.origin, hashlib.sha1(content.encode("utf-8", "surrogatepass")).hexdigest()


def skipped_key(skip: SkippedDocument) -> tuple[str, str]:
    """``(key, content_hash)`` of an input the reader could not use (two empty files are two inputs)."""
    content = f"{skip.origin}\x1f{skip.reason}".encode("utf-8", "surrogatepass")
    return skip.origin, "skipped-" + hashlib.sha1(content).hexdigest()


def relocated(result: Result, origin: str) -> Result:
    """A stored result as if made from the input at ``origin``: the same content may have been read from
    another file before (a renamed file, a copy)."""
    if isinstance(result, SkippedDocument):
        return result if result.origin == origin else replace(result, origin=origin)
    if result.article.origin == origin:
        return result
    return replace(result, article=replace(result.article, origin=origin), mentions=tuple(
        replace(m, source=replace(m.source, origin=origin)) for m in result.mentions))


def process_document(raw: RawDocument, timings: Counter[str] | None = None) -> Result:
    """Clean, annotate and extract one document; any failure becomes a skip record naming the cause."""
    from kg.annotate import annotate
    from kg.clean import clean_document
    from kg.extract import extract

    clock = time.perf_counter()
    timings = timings if timings is not None else Counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] += now - clock
        clock = now

    try:
        article = clean_document(raw)
        lap("clean")
        if isinstance(article, SkippedDocument):
            return article
        annotated = annotate(article)
        lap("annotate")
        mentions = tuple(extract(annotated))
    except KnowledgeError:
        raise    # a broken lexicon or gazetteer is no article's fault: the run stops with its message
    except Exception as exc:  # one bad article must never stop the run
        return SkippedDocument(raw.origin, f"failed while processing ({type(exc).__name__}: {exc}); "
                                           "please report it with this file attached", failed=True)
    actors: dict[str, Actor] = {}
    for sentence in annotated.sentences:
        for entity in sentence.entities:
            if entity.kind != "place" and entity.key not in actors:
                actors[entity.key] = Actor(id=entity.key, name=entity.name, kind=entity.kind,
                                           wikidata=entity.wikidata, title=entity.title,
                                           affiliation=entity.affiliation)
    lap("extract")
    return ArticleResult(article=article, mentions=mentions, actors=tuple(actors.values()))


def process_chunk(chunk: list[RawDocument]) -> tuple[list[Result], Counter[str]]:
    """Per-article work on a chunk of documents, with the seconds spent in each stage."""
    timings: Counter[str] = Counter()
    return [process_document(raw, timings) for raw in chunk], timings


Encoder = Callable[[Result], bytes]
Done = tuple[list[Result], Counter[str], list[bytes] | None]


def _process_and_encode(chunk: list[RawDocument], encoder: Encoder | None) -> Done:
    # Encoding for storage happens in the workers, so the parent process stays free to feed them.
    results, timings = process_chunk(chunk)
    return results, timings, [encoder(r) for r in results] if encoder else None


def _chunks(items: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    chunk: list[RawDocument] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _crash_reason(exc: BaseException) -> str:
    return (f"the worker process died while processing this article ({type(exc).__name__}); "
            "it was left out, the rest of the run went on: please report it with this file attached")


def _isolate(chunk: list[RawDocument], encoder: Encoder | None) -> Done:
    """After a worker crash, rerun a chunk one article per fresh process to find the one that kills it."""
    results: list[Result] = []
    timings: Counter[str] = Counter()
    for raw in chunk:
        with ProcessPoolExecutor(max_workers=1) as pool:
            try:
                done, spent, _ = pool.submit(_process_and_encode, [raw], None).result()
            except BrokenProcessPool as exc:
                done, spent = [SkippedDocument(raw.origin, _crash_reason(exc), failed=True)], Counter()
        results.extend(done)
        timings.update(spent)
    return results, timings, [encoder(r) for r in results] if encoder else None


def _process_here(chunks: Iterator[list[RawDocument]], encoder: Encoder | None) -> Iterator[Done]:
    """Chunks processed in this process, in order.  Once the first chunk has loaded the annotator and extractor, what
    is alive is frozen until the run ends (``gc.freeze``): the cyclic collector's full collections then leave out the
    lexicons, gazetteer and spaCy vocabulary, which live as long as the process (about 2% of a run's time).  A
    caller that froze objects itself keeps them frozen: the run then freezes nothing.  Until the run ends, the
    collector also waits for ``_YOUNG_THRESHOLD`` new objects instead of 700 before it looks for cycles: reading an
    article makes hundreds of thousands of short-lived objects, and each young collection also pushes the results
    kept so far on towards full collections (on 300 articles the collector took about 6% of the run, now 2%)."""
    frozen = False
    try:
        with _patient_collector():
            for chunk in chunks:
                yield _process_and_encode(chunk, encoder)
                if not frozen and gc.get_freeze_count() == 0:
                    gc.freeze()
                    frozen = True
    finally:
        if frozen:
            gc.unfreeze()


# How many objects the cyclic collector lets be made before it looks for cycles among them, while this process
# reads articles or resolves events (Python's default is 700).
_YOUNG_THRESHOLD = 20000


@contextmanager
def _patient_collector() -> Iterator[None]:
    """Within the block, the cyclic collector waits for ``_YOUNG_THRESHOLD`` new objects (the process's own
    thresholds are back after it)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], _YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _process_in_pool(chunks: Iterator[list[RawDocument]], workers: int, encoder: Encoder | None) -> Iterator[Done]:
    """Chunks processed by ``workers`` processes, yielded in input order, with a bounded number in flight."""
    pool = ProcessPoolExecutor(max_workers=workers)
    pending: deque[tuple[list[RawDocument], Future[Done]]] = deque()

    def submit(chunk: list[RawDocument]) -> Future[Done]:
        try:
            return pool.submit(_process_and_encode, chunk, encoder)
        except BrokenProcessPool as exc:   # a worker died meanwhile: next_done() recovers, in order
            failed: Future[Done] = Future()
            failed.set_exception(exc)
            return failed

    def next_done() -> Done:
        nonlocal pool, pending
        chunk, future = pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            # Every chunk in flight is lost with the pool: find the culprit, then start a new pool.
            pool.shutdown(wait=False, cancel_futures=True)
            done = _isolate(chunk, encoder)
            pool = ProcessPoolExecutor(max_workers=workers)
            pending = deque((c, submit(c)) for c, _ in pending)
            return done

    try:
        for chunk in chunks:
            pending.append((chunk, submit(chunk)))
            if len(pending) >= 2 * workers:
                yield next_done()
        while pending:
            yield next_done()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def process_documents(items: Iterable[RawDocument | SkippedDocument], *, workers: int | None = None,
                      cache: Cache | None = None, timings: Counter[str] | None = None,
                      progress: Progress | None = None, encoder: Encoder | None = None,
                      chunk_size: int = 16) -> Iterator[Processed]:
    """Run the per-article stages over a stream of read documents, in worker processes.

    Every input comes out exactly once, as a ``Processed`` record, in input order.  A document whose
    content hash ``cache`` knows is not processed again (a resumed or incremental build); ``encoder``
    (a module-level function) turns each new result into bytes in the worker, into ``Processed.encoded``.
    ``workers=1`` runs in this process (notebooks, debugging); ``None`` uses one process per core.
    """
    timings = timings if timings is not None else Counter()
    counts = Counter[str]()

    def report(item: Processed) -> Processed:
        counts["done"] += 1
        counts["skipped"] += isinstance(item.result, SkippedDocument)
        if progress:
            progress(counts["done"], counts["skipped"])
        return item

    ready: deque[Processed] = deque()

    def to_process() -> Iterator[RawDocument]:
        # Skips and cache hits are passed straight through; they wait in ``ready`` to keep input order.
        for item in items:
            if isinstance(item, SkippedDocument):
                ready.append(Processed(*skipped_key(item), item.origin, item))
                continue
            key, digest = document_key(item)
            known = cache(digest) if cache else None
            if known is not None:
                ready.append(Processed(key, digest, item.origin, relocated(known, item.origin)))
                continue
            ready.append(Processed(key, digest, item.origin, item))  # type: ignore[arg-type]  # filled below
            yield item

    def drain_until_raw() -> Iterator[Processed]:
        while ready and not isinstance(ready[0].result, RawDocument):
            yield report(ready.popleft())

    workers = workers or os.cpu_count() or 1
    chunks = _chunks(to_process(), chunk_size)
    done_chunks = _process_here(chunks, encoder) if workers <= 1 else _process_in_pool(chunks, workers, encoder)
    for results, spent, encoded in done_chunks:
        timings.update(spent)
        for number, result in enumerate(results):
            yield from drain_until_raw()
            placeholder = ready.popleft()
            yield report(Processed(placeholder.key, placeholder.content_hash, placeholder.origin, result,
                                   encoded[number] if encoded else None))
        yield from drain_until_raw()
    yield from drain_until_raw()


def select_articles(processed: Iterable[Processed]) -> tuple[list[ArticleResult], list[SkippedDocument]]:
    """The articles to resolve and the inputs left out, independent of input order.

    Two inputs that are the same article (same URL or same text) keep the one whose key sorts first;
    the other is reported as a duplicate.
    """
    results: list[ArticleResult] = []
    skipped: list[SkippedDocument] = []
    kept: dict[str, str] = {}
    for item in sorted(processed, key=lambda p: (p.key, p.origin)):
        if isinstance(item.result, SkippedDocument):
            skipped.append(item.result)
        elif item.result.article.id in kept:
            skipped.append(SkippedDocument(item.origin, f"duplicate of {kept[item.result.article.id]} "
                                                        "(same URL or text)"))
        else:
            kept[item.result.article.id] = item.origin
            results.append(item.result)
    return results, sorted(skipped, key=lambda s: (s.origin, s.reason))


def resolve(results: list[ArticleResult], skipped: list[SkippedDocument], timings: Counter[str] | None = None,
            map_blocks: Callable = map) -> Corpus:
    """The resolve stage, timed."""
    from kg.resolve import Resolver

    started = time.perf_counter()
    # (merging makes short-lived objects by the hundred thousand too: see _process_here)
    with _patient_collector():
        corpus = Resolver().resolve(results, skipped, map_blocks=map_blocks)
    if timings is not None:
        timings["resolve"] += time.perf_counter() - started
    return corpus


def timed_read(paths: str | Path | Iterable[str | Path], timings: Counter[str]
               ) -> Iterator[RawDocument | SkippedDocument]:
    """The read stage as a stream, adding the time spent reading to ``timings['read']``."""
    from kg.read import iter_documents

    stream = iter(iter_documents(paths))
    while True:
        started = time.perf_counter()
        item = next(stream, None)
        timings["read"] += time.perf_counter() - started
        if item is None:
            return
        yield item


def run(paths: str | Path | Iterable[str | Path], *, workers: int | None = None,
        progress: Progress | None = None, timings: Counter[str] | None = None) -> Corpus:
    """Build the resolved corpus from every article under ``paths``, in memory (no build state)."""
    timings = timings if timings is not None else Counter()
    processed = process_documents(timed_read(paths, timings), workers=workers, timings=timings,
                                  progress=progress)
    return resolve(*select_articles(processed), timings=timings)


def count_inputs(paths: Iterable[str | Path]) -> int | None:
    """How many documents ``paths`` hold, for a progress estimate (``None`` when reading standard input).

    Counts files, and lines of JSONL files (a fast byte scan; blank lines make it an over-estimate).
    """
    from kg.read import SUFFIXES, find_article_files

    paths = list(paths)
    if any(str(p) == "-" for p in paths):
        return None
    total = 0
    for path in find_article_files(paths):
        if SUFFIXES.get(path.suffix.lower()) == "jsonl":
            try:
                with path.open("rb") as handle:
                    total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            except OSError:
                total += 1
        else:
            total += 1
    return total
