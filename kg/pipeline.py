"""The whole pipeline: read -> clean -> annotate -> extract (per article, in worker
processes) -> resolve (once, over all articles).

Articles are read as a stream and handed to a pool of worker processes in
chunks; only the small per-article results (``ArticleResult``) come back, so
memory grows with the number of events, not with the text read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from kg.records import Actor, ArticleResult, Corpus, RawDocument, SkippedDocument

Progress = Callable[[int, int], None]   # (articles done, articles skipped)


def process_document(raw: RawDocument) -> ArticleResult | SkippedDocument:
    """Clean, annotate and extract one document; any failure becomes a skip record naming the cause."""
    from kg.annotate import annotate
    from kg.clean import clean_document
    from kg.extract import extract

    try:
        article = clean_document(raw)
        if isinstance(article, SkippedDocument):
            return article
        annotated = annotate(article)
        mentions = tuple(extract(annotated))
    except Exception as exc:  # one bad article must never stop the run
        return SkippedDocument(raw.origin, f"failed while processing ({type(exc).__name__}: {exc}); "
                                           "please report it with this file attached")
    actors: dict[str, Actor] = {}
    for sentence in annotated.sentences:
        for entity in sentence.entities:
            if entity.kind != "place" and entity.key not in actors:
                actors[entity.key] = Actor(id=entity.key, name=entity.name, kind=entity.kind,
                                           wikidata=entity.wikidata, title=entity.title,
                                           affiliation=entity.affiliation)
    return ArticleResult(article=article, mentions=mentions, actors=tuple(actors.values()))


def _process_chunk(chunk: list[RawDocument]) -> list[ArticleResult | SkippedDocument]:
    return [process_document(raw) for raw in chunk]


def _chunks(items: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    chunk: list[RawDocument] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(paths: str | Path | Iterable[str | Path], *, workers: int | None = None,
        progress: Progress | None = None, chunk_size: int = 16) -> Corpus:
    """Build the resolved corpus from every article under ``paths``.

    ``workers=1`` runs in this process (notebooks, debugging); the default uses
    one worker process per core.
    """
    from kg.read import iter_documents
    from kg.resolve import Resolver

    results: list[ArticleResult] = []
    skipped: list[SkippedDocument] = []
    seen_articles: dict[str, str] = {}

    def collect(item: ArticleResult | SkippedDocument) -> None:
        if isinstance(item, SkippedDocument):
            skipped.append(item)
        elif item.article.id in seen_articles:
            skipped.append(SkippedDocument(item.article.origin,
                                           f"duplicate of {seen_articles[item.article.id]} (same URL or text)"))
        else:
            seen_articles[item.article.id] = item.article.origin
            results.append(item)
        if progress:
            progress(len(results), len(skipped))

    def documents() -> Iterator[RawDocument]:
        for item in iter_documents(paths):
            if isinstance(item, SkippedDocument):
                collect(item)
            else:
                yield item

    workers = workers or os.cpu_count() or 1
    chunks = _chunks(documents(), chunk_size)
    if workers <= 1:
        for chunk in chunks:
            for item in _process_chunk(chunk):
                collect(item)
    else:
        # Bounded number of chunks in flight: reading stays a stream, memory stays flat.
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending: deque[Future[list[ArticleResult | SkippedDocument]]] = deque()
            for chunk in chunks:
                pending.append(pool.submit(_process_chunk, chunk))
                if len(pending) >= 2 * workers:
                    for item in pending.popleft().result():
                        collect(item)
            while pending:
                for item in pending.popleft().result():
                    collect(item)
    return Resolver().resolve(results, skipped)


def build_with_stats(paths: str | Path | Iterable[str | Path], *, workers: int | None = None,
                     progress: Progress | None = None) -> tuple[Corpus, float]:
    """``run`` plus the wall time it took, for the CLI summary."""
    started = time.perf_counter()
    corpus = run(paths, workers=workers, progress=progress)
    return corpus, time.perf_counter() - started
