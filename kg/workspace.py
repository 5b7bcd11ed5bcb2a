"""Builds that live in an output folder: ``build``, ``add`` and ``remove``.

The per-article results are kept in ``OUT/state.sqlite`` (see ``kg.store``),
so a later ``add`` processes only new or changed articles, a killed run's work
is reused by the next one, and ``remove`` needs no input files.  Resolution
is always recomputed over every stored result, which is what makes building
A then adding B give exactly the graph of building A and B at once.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.pipeline import (Processed, Progress, Result, process_documents, resolve, select_articles, skipped_key,
                         timed_read)
from kg.records import ArticleResult, Corpus, SkippedDocument
from kg.store import BuildState, encode_result

_SAVE_EVERY = 256   # processed results written to the state per transaction


@dataclass(frozen=True)
class BuildReport:
    """What a build, add or remove did, for the CLI summary and the benchmarks."""

    out: Path
    corpus: Corpus
    written: dict[str, Path]
    added: int = 0          # documents that were not in the build before
    replaced: int = 0       # documents whose content changed
    unchanged: int = 0      # documents given again with the same content
    removed: int = 0        # documents taken out
    reused: int = 0         # results taken from the state instead of processed again
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


def build(paths: str | Path | Iterable[str | Path], out: str | Path, *, workers: int | None = None,
          progress: Progress | None = None, cluster: str | None = None) -> BuildReport:
    """Build OUT from exactly the articles under ``paths`` (reusing any stored result of the same content)."""
    return _update(out, paths, keep_existing=False, workers=workers, progress=progress, cluster=cluster,
                   create=True)


def add(out: str | Path, paths: str | Path | Iterable[str | Path], *, workers: int | None = None,
        progress: Progress | None = None, cluster: str | None = None) -> BuildReport:
    """Add the articles under ``paths`` to the build in OUT; a changed article replaces its earlier version."""
    return _update(out, paths, keep_existing=True, workers=workers, progress=progress, cluster=cluster)


def remove(out: str | Path, articles: Iterable[str]) -> BuildReport:
    """Take articles (by article id, URL or input path) out of the build in OUT.

    Raises ``KeyError`` naming the first that is not in the build.
    """
    started = time.perf_counter()
    timings: Counter[str] = Counter()
    with BuildState(out, create=False) as state:
        documents = state.documents()
        doomed: set[str] = set()
        for needle in articles:
            keys = state.article_keys(needle)
            if not keys:
                raise KeyError(f"{needle!r} is not in the build in {out}: give an article id from events.json "
                               "(e.g. article-0123456789ab), its URL or the path it was read from")
            doomed.update(keys)
        kept = {k: v for k, v in documents.items() if k not in doomed}
        processed = list(state.processed(kept))
        corpus, written = _finish(state, out, processed, kept, timings)
    return BuildReport(Path(out), corpus, written, removed=len(doomed), seconds=time.perf_counter() - started,
                       stage_seconds=dict(timings))


def _update(out: str | Path, paths: str | Path | Iterable[str | Path], *, keep_existing: bool,
            workers: int | None, progress: Progress | None, cluster: str | None,
            create: bool = False) -> BuildReport:
    started = time.perf_counter()
    timings: Counter[str] = Counter()
    with BuildState(out, create=create) as state:
        before = state.documents()
        counts: Counter[str] = Counter()
        fresh: dict[str, Processed] = {}
        map_blocks: Callable = map
        reused: set[str] = set()

        def reuse(digest: str) -> Result | None:
            found = state.cached(digest)
            if found is not None:
                reused.add(digest)
            return found

        engine = None
        try:
            if cluster:
                from kg.cluster import connect

                engine = connect(cluster)
                stream = engine.process(paths, timings=timings, progress=progress, cache=reuse,
                                        known=state.known_hashes())
                map_blocks = engine.map_blocks
            else:
                stream = process_documents(timed_read(paths, timings), workers=workers, cache=reuse,
                                           timings=timings, progress=progress, encoder=encode_result)
            losers: list[tuple[str, Processed]] = []
            for item in _saved(stream, state, reused):
                current = fresh.get(item.key)
                if current is not None:   # two inputs with one URL: the path sorting first is the article
                    item, loser = sorted((current, item), key=lambda p: p.origin)
                    losers.append((item.key, loser))
                fresh[item.key] = item
            duplicates = _duplicates(losers, fresh)
            state.save_results(duplicates)
            fresh.update((d.key, d) for d in duplicates)
            for key, item in fresh.items():
                old = before.get(key)
                counts["added" if old is None else "unchanged" if old[0] == item.content_hash else "replaced"] += 1
            if not keep_existing and not any(isinstance(p.result, ArticleResult) for p in fresh.values()):
                raise NothingToBuild([p.result for p in fresh.values()])   # keep the earlier build as it is
            documents = dict(before) if keep_existing else {}
            documents.update({k: (p.content_hash, p.origin) for k, p in fresh.items()})
            if keep_existing and documents == before and not state.dirty:
                corpus, written = None, {}
            else:
                stored = {k: v for k, v in documents.items() if k not in fresh}
                processed = list(state.processed(stored)) + list(fresh.values())
                fresh.clear()
                corpus, written = _finish(state, out, processed, documents, timings, map_blocks)
        finally:
            if engine is not None:
                engine.close()
    removed = 0 if keep_existing else len(set(before) - set(documents))
    if corpus is None:   # nothing changed: the outputs on disk are already right
        from kg.contract import read_events_json

        corpus = read_events_json(Path(out) / "events.json")
    return BuildReport(Path(out), corpus, written, added=counts["added"], replaced=counts["replaced"],
                       unchanged=counts["unchanged"], removed=removed, reused=len(reused),
                       seconds=time.perf_counter() - started, stage_seconds=dict(timings))


class NothingToBuild(ValueError):
    """No input could be read as an article: the earlier outputs were left as they were."""

    def __init__(self, skipped: list[Result]) -> None:
        super().__init__("no input could be read as an article")
        self.skipped = skipped


def _duplicates(losers: list[tuple[str, Processed]], kept: dict[str, Processed]) -> list[Processed]:
    """Skip records for inputs that lost to another input with the same URL (stored as their own results)."""
    records = []
    for key, loser in losers:
        skip = SkippedDocument(loser.origin, f"duplicate of {kept[key].origin} (same URL)")
        records.append(Processed(*skipped_key(skip), loser.origin, skip))
    return records


def _saved(stream: Iterable[Processed], state: BuildState, reused: set[str]) -> Iterator[Processed]:
    """Pass processed documents through, storing new results in batches as they come."""
    batch: list[Processed] = []
    for item in stream:
        if item.content_hash not in reused:
            batch.append(item)
            if len(batch) >= _SAVE_EVERY:
                state.save_results(batch)
                batch = []
        yield replace(item, encoded=None)   # stored: the bytes need not stay in memory
    state.save_results(batch)


def _finish(state: BuildState, out: str | Path, processed: list[Processed], documents: dict[str, tuple[str, str]],
            timings: Counter[str], map_blocks: Callable = map) -> tuple[Corpus, dict[str, Path]]:
    """Resolve, write every output atomically, then record the build's documents in the state.

    ``processed`` is emptied once resolved, so the per-article results are freed before the writing.
    """
    from kg.api import KnowledgeGraph

    results, skipped = select_articles(processed)
    processed.clear()   # the caller's list: per-article results are not needed once resolved (memory at 100k)
    corpus = resolve(results, skipped, timings=timings, map_blocks=map_blocks)
    del results
    started = time.perf_counter()
    state.writing()
    written = KnowledgeGraph(corpus).save(out)
    timings["write"] += time.perf_counter() - started
    state.commit(documents)
    return corpus, written
