"""The cluster engine: the build's stages on a Dask cluster (``kg build --cluster dask://HOST:PORT``).

The client (the machine running ``kg build``) only lists the inputs and cuts
them into partitions: up to ``FILES_PER_PARTITION`` files, or a byte range of
``PARTITION_BYTES`` of a big JSONL file.  It never reads article text: each
partition is a task that reads its files (or its lines) on a worker and runs
the per-article stages there; only the per-article results come back, a
bounded number of partitions at a time.  Cross-article merging then runs one
task per block (event type) through ``DaskEngine.map_blocks``.  The results
are the ones a single machine gives (``tests/test_cluster.py`` checks it
byte for byte).

Every worker needs ``kg`` installed (the same version as the client) and must
see the inputs at the same path as the client: a shared filesystem, or an
object store mounted at the same place.

>>> parse_address("dask://10.0.0.5:8786"), parse_address("local:4")
('tcp://10.0.0.5:8786', 'local:4')

Python use::

    from kg.workspace import build
    build(["/shared/feeds"], "out", cluster="dask://10.0.0.5:8786")
"""

from __future__ import annotations

import logging
import operator
import os
import re
import time
import weakref
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.pipeline import (Cache, Processed, Progress, _crash_reason, document_key, process_chunk, relocated,
                         skipped_key)
from kg.records import RawDocument, SkippedDocument

FILES_PER_PARTITION = 64          # files read and processed by one task
PARTITION_BYTES = 8 * 2**20       # bytes of input per task: a bigger JSONL file is split into byte ranges
CONNECT_TIMEOUT = 10.0            # seconds to reach the scheduler and find a worker
DEFAULT_PORT = 8786

_INSTALL = "pip install 'kg-timeline[cluster]'"
_HOW = ("give --cluster dask://HOST:PORT (a running Dask scheduler, e.g. dask://10.0.0.5:8786), "
        "or local / local:N to start N worker processes on this machine")


class ClusterError(ValueError):
    """The cluster address cannot be used: a bad form, Dask missing, no scheduler or no workers there."""


# -- partitions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilesPart:
    """Whole files, read by one task: ``(path to read, origin as the user gave it, seen by the client)``."""

    files: tuple[tuple[str, str, bool], ...]


@dataclass(frozen=True)
class RangePart:
    """The lines of a JSONL file that start in bytes ``[start, end)``; ``index`` counts the file's ranges."""

    path: str
    origin: str
    start: int
    end: int
    index: int
    last: bool


Part = FilesPart | RangePart


def plan_partitions(paths: Iterable[str | Path], files_per_partition: int = FILES_PER_PARTITION,
                    partition_bytes: int = PARTITION_BYTES, spread: int = 1) -> Iterator[Part | SkippedDocument]:
    """Cut the inputs into partitions in input order, from file names and sizes only (no text is read).

    A JSONL file larger than ``partition_bytes`` becomes byte ranges of that size, read by different
    workers; other files are grouped ``files_per_partition`` (or ``partition_bytes``) at a time.  The
    listing is read ahead by ``spread`` partitions, so that a few files still make ``spread``
    partitions (one per worker thread) instead of one.  A folder that cannot be listed comes out as
    its skip record, in its place.
    """
    from kg.read import SUFFIXES, _expand

    spread = max(spread, 1)
    buffer: deque[tuple[tuple[str, str, bool], int]] = deque()
    buffered = 0

    def full() -> Iterator[FilesPart]:
        nonlocal buffered
        while len(buffer) >= files_per_partition * spread or buffered >= partition_bytes * spread:
            files, size = [], 0
            while buffer and len(files) < files_per_partition and (size < partition_bytes or not files):
                entry, nbytes = buffer.popleft()
                if files and size + nbytes > partition_bytes:
                    buffer.appendleft((entry, nbytes))
                    break
                files.append(entry)
                size += nbytes
            buffered -= size
            yield FilesPart(tuple(files))

    def rest() -> Iterator[FilesPart]:
        nonlocal buffered
        count = min(spread, len(buffer))
        for index in range(count):
            take = len(buffer) // (count - index)
            yield FilesPart(tuple(buffer.popleft()[0] for _ in range(take)))
        buffered = 0

    for path in (found for given in paths for found in _expand(Path(given))):
        if isinstance(path, SkippedDocument):   # a folder that cannot be listed
            yield from rest()
            yield path
            continue
        try:
            size, seen = (path.stat().st_size, True) if path.is_file() else (0, False)
        except OSError:
            size, seen = 0, False
        entry = (str(path.absolute()), str(path), seen)
        if SUFFIXES.get(path.suffix.lower()) == "jsonl" and size > partition_bytes:
            yield from rest()
            starts = range(0, size, partition_bytes)
            for index, start in enumerate(starts):
                yield RangePart(entry[0], entry[1], start, min(start + partition_bytes, size), index,
                                last=index == len(starts) - 1)
            continue
        buffer.append((entry, size))
        buffered += size
        yield from full()
    yield from rest()


# -- tasks (run on the workers) ------------------------------------------------------------------------

Documents = list[RawDocument | SkippedDocument]


def _relabel(item: RawDocument | SkippedDocument, read_as: str, origin: str) -> RawDocument | SkippedDocument:
    """The record with the origin the client's path gives (the worker read it by its absolute path)."""
    if read_as == origin or not (item.origin == read_as or item.origin.startswith(read_as + "#")):
        return item
    return replace(item, origin=origin + item.origin[len(read_as):])


def _not_visible(origin: str) -> FileNotFoundError:
    import socket

    return FileNotFoundError(
        f"{origin} is on the machine running kg build but not on the Dask worker {socket.gethostname()}: "
        "every worker must see the inputs at the same path (a shared filesystem, or an object store mounted "
        "at the same place)")


def read_part(part: Part, first_line: int = 1) -> tuple[Documents, float]:
    """The raw documents of a partition, read where this runs, and the seconds it took."""
    from kg.read import iter_documents, read_jsonl_range

    started = time.perf_counter()
    documents: Documents = []
    if isinstance(part, RangePart):
        if not os.path.exists(part.path):
            raise _not_visible(part.origin)
        documents.extend(_relabel(d, part.path, part.origin)
                         for d in read_jsonl_range(part.path, part.start, part.end, first_line))
    else:
        for path, origin, seen in part.files:
            if seen and not os.path.exists(path):
                raise _not_visible(origin)
            documents.extend(_relabel(d, path, origin) for d in iter_documents([path]))
    return documents, time.perf_counter() - started


def _run(documents: Documents, timings: Counter[str], known: Collection[str] = ()) -> list[Processed]:
    """Process the documents whose content hash is not in ``known``; a known one comes back with no result
    (``result=None``), for the client to take from its build state."""
    from kg.store import encode_result

    keyed = [(d, skipped_key(d) if isinstance(d, SkippedDocument) else document_key(d)) for d in documents]
    raws = [d for d, (_, digest) in keyed if isinstance(d, RawDocument) and digest not in known]
    results, spent = process_chunk(raws)
    timings.update(spent)
    done = iter(results)
    processed = []
    for document, (key, digest) in keyed:
        if isinstance(document, SkippedDocument):
            processed.append(Processed(key, digest, document.origin, document))
        elif digest in known:
            processed.append(Processed(key, digest, document.origin, None))  # type: ignore[arg-type]
        else:   # encoded for the build state here, so the client only stores the bytes
            result = next(done)
            processed.append(Processed(key, digest, document.origin, result, encode_result(result)))
    return processed


def run_part(part: Part, first_line: int = 1, known: Collection[str] = ()) -> tuple[list[Processed], Counter[str]]:
    """Read a partition and run the per-article stages on its documents not in ``known``: one task."""
    documents, seconds = read_part(part, first_line)
    timings: Counter[str] = Counter(read=seconds)
    return _run(documents, timings, known), timings


def count_part_lines(part: RangePart) -> int:
    """How many lines start in a byte range (the next range's first line number follows from it)."""
    from kg.read import count_jsonl_lines

    return count_jsonl_lines(part.path, part.start, part.end)


def _keys(read: tuple[Documents, float]) -> list[tuple[str, str, str]]:
    return [(*(skipped_key(d) if isinstance(d, SkippedDocument) else document_key(d)), d.origin)
            for d in read[0]]


def _run_one(read: tuple[Documents, float], index: int) -> tuple[list[Processed], Counter[str]]:
    timings: Counter[str] = Counter()
    return _run([read[0][index]], timings), timings


def _kg_version() -> str:
    from kg import __version__

    return __version__


# -- the engine ----------------------------------------------------------------------------------------


def parse_address(address: str) -> str:
    """The scheduler address Dask understands (``tcp://HOST:PORT``), or ``local:N`` / ``local``."""
    text = address.strip()
    if text == "local" or re.fullmatch(r"local:\d+", text):
        if text != "local" and int(text[6:]) < 1:
            raise ClusterError(f"--cluster {address!r}: local:N needs at least one worker (N >= 1)")
        return text
    match = re.fullmatch(r"(dask|tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+)(?::(\d+))?/?", text)
    if not match:
        raise ClusterError(f"--cluster {address!r} is not a Dask address: {_HOW}")
    scheme, host, port = match.groups()
    return f"{'tcp' if scheme == 'dask' else scheme}://{host}:{port or DEFAULT_PORT}"


def connect(address: str, *, timeout: float | None = None) -> DaskEngine:
    """A ``DaskEngine`` on the scheduler at ``address`` (``dask://HOST:PORT`` or ``tcp://HOST:PORT``).

    ``local`` or ``local:N`` starts a cluster of N single-threaded worker processes on this machine
    (one per core for ``local``) and stops it on ``close()``: a way to try the cluster path.
    Raises ``ClusterError`` naming the address and the fix when it cannot be used.
    """
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError(f"--cluster {address}: Dask is not installed; install it with {_INSTALL} "
                           "(here and on every worker)") from exc
    target = parse_address(address)
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    cluster = None
    if target.startswith("local"):
        workers = int(target[6:]) if ":" in target else (os.cpu_count() or 1)
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=logging.ERROR)
        client = distributed.Client(cluster, set_as_default=False)
    else:
        try:
            client = distributed.Client(target, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach a Dask scheduler at {address} (tried {target} for {timeout:g} s): start one with "
                f"`dask scheduler` on that machine and workers with `dask worker {target}`, or check the host, "
                "the port and the firewall") from exc
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"the Dask scheduler at {address} has no workers: start some with "
                               f"`dask worker {target}` on each machine") from exc
        _check_versions(client, address)
    except BaseException:
        client.close()
        if cluster is not None:
            cluster.close()
        raise
    return DaskEngine(client, cluster)


def _check_versions(client: Any, address: str) -> None:
    from kg import __version__

    found = client.run(_kg_version, on_error="return")
    wrong = {worker: version for worker, version in found.items() if version != __version__}
    if wrong:
        worker, version = sorted(wrong.items())[0]
        what = f"kg {version}" if isinstance(version, str) else f"no working kg ({type(version).__name__}: {version})"
        raise ClusterError(f"{len(wrong)} of the {len(found)} workers of {address} cannot run this build: "
                           f"{worker} has {what}, this machine kg {__version__}. Install the same kg-timeline "
                           f"on every worker ({_INSTALL}) and restart them")


def _shut_down(client: Any, cluster: Any) -> None:
    client.close()
    if cluster is not None:
        cluster.close()


class DaskEngine:
    """Runs the per-article stages and the per-block merging as tasks of a Dask client."""

    def __init__(self, client: Any, cluster: Any = None, *, files_per_partition: int | None = None,
                 partition_bytes: int | None = None, in_flight: int | None = None) -> None:
        self.client = client
        # Closes the client (and a LocalCluster this engine started) on close(), or when the engine is
        # dropped without it (a build that failed half-way).
        self._close = weakref.finalize(self, _shut_down, client, cluster)
        self.files_per_partition = files_per_partition or FILES_PER_PARTITION
        self.partition_bytes = partition_bytes or PARTITION_BYTES
        self.in_flight = in_flight           # partitions submitted and not yet handed on; default 2 per thread

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the client, and stop the local cluster if this engine started one."""
        self._close()

    # -- per-article stages ---------------------------------------------------------------------------
    def process(self, paths: str | Path | Iterable[str | Path], *, timings: Counter[str] | None = None,
                progress: Progress | None = None, cache: Cache | None = None,
                known: Collection[str] = ()) -> Iterator[Processed]:
        """Every input under ``paths`` once, as a ``Processed`` record, in input order (like
        ``kg.pipeline.process_documents`` over ``kg.read.iter_documents``), computed on the workers.

        Stage seconds (summed over the workers) are added to ``timings``.  Standard input cannot be
        read by the workers: ``"-"`` raises ``ValueError``.
        """
        paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
        if any(str(p) == "-" for p in paths):
            raise ValueError("standard input ('-') cannot be read on a cluster: the workers read the inputs "
                             "themselves; save the records as a .jsonl file on storage every worker sees "
                             "and give its path")
        return self._stream(paths, timings if timings is not None else Counter(), progress, cache,
                            frozenset(known) if cache else frozenset())

    def _stream(self, paths: list[str | Path], timings: Counter[str], progress: Progress | None,
                cache: Cache | None, known: frozenset[str]) -> Iterator[Processed]:
        from distributed import as_completed

        client = self.client
        started = time.perf_counter()
        threads = max(1, sum(client.nthreads().values()))
        window = self.in_flight or 2 * threads
        parts = enumerate(plan_partitions(paths, self.files_per_partition, self.partition_bytes, threads))
        timings["read"] += time.perf_counter() - started
        pending: dict[Any, tuple[int, Part, Any]] = {}     # future -> (index, part, first line)
        finished: dict[int, tuple[Part, list[Processed]]] = {}
        next_line: dict[str, Any] = {}     # split JSONL file -> (future of) the first line of its next range
        stopped: set[str] = set()          # files whose reading stopped (a file-level skip)
        counts: Counter[str] = Counter()
        queue = as_completed(loop=client.loop)
        submitted = handed = 0
        # Every task skips the documents the client's state already has: one copy of their hashes per worker.
        # (scatter spreads a collection's items: wrap the set to send it whole)
        shared_known: Any = client.scatter([known], broadcast=True, hash=False)[0] if known else frozenset()

        def submit() -> bool:
            nonlocal submitted
            clock = time.perf_counter()
            index, part = next(parts, (None, None))
            timings["read"] += time.perf_counter() - clock
            if part is None:
                return False
            submitted += 1
            if isinstance(part, SkippedDocument):
                finished[index] = (part, [Processed(*skipped_key(part), part.origin, part)])
                return True
            first: Any = 1
            if isinstance(part, RangePart):
                first = 1 if part.index == 0 else next_line.pop(part.path)
                if not part.last:
                    lines = client.submit(count_part_lines, part, pure=False)
                    next_line[part.path] = client.submit(operator.add, first, lines, pure=False)
            future = client.submit(run_part, part, first, shared_known, pure=False)
            pending[future] = (index, part, first)
            queue.add(future)
            return True

        def hand_on() -> Iterator[Processed]:
            nonlocal handed
            while handed in finished:
                part, processed = finished.pop(handed)
                handed += 1
                if isinstance(part, RangePart):
                    if part.path in stopped:
                        continue   # the file could not be read past an earlier range
                    if processed and processed[-1].origin == part.origin:
                        stopped.add(part.path)
                for item in processed:
                    if item.result is None:   # processed by an earlier run: the client's state has it
                        item = replace(item, result=relocated(cache(item.content_hash), item.origin))  # type: ignore[misc,arg-type]
                    counts["done"] += 1
                    counts["skipped"] += isinstance(item.result, SkippedDocument)
                    if progress:
                        progress(counts["done"], counts["skipped"])
                    yield item

        exhausted = False
        try:
            while True:
                while not exhausted and submitted - handed < window:
                    exhausted = not submit()
                yield from hand_on()
                if not pending:
                    if exhausted:
                        return
                    continue
                future = next(queue)
                index, part, first = pending.pop(future)
                processed, spent = self._result(future, part, first)
                timings.update(spent)
                finished[index] = (part, processed)
        finally:
            client.cancel(list(pending) + list(next_line.values()))

    def _result(self, future: Any, part: Part, first: Any) -> tuple[list[Processed], Counter[str]]:
        """A partition's results; when it keeps killing workers, rerun it one document per task."""
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker:
            return self._isolate(part, first)

    def _isolate(self, part: Part, first: Any) -> tuple[list[Processed], Counter[str]]:
        from distributed import KilledWorker

        client = self.client
        read = client.submit(read_part, part, first, pure=False)
        try:
            keys = client.submit(_keys, read, pure=False).result()
        except KilledWorker:   # reading itself kills the worker: find the file, leave it out
            if isinstance(part, FilesPart) and len(part.files) > 1:
                processed: list[Processed] = []
                timings: Counter[str] = Counter()
                for entry in part.files:
                    done, spent = self._isolate(FilesPart((entry,)), 1)
                    processed.extend(done)
                    timings.update(spent)
                return processed, timings
            origin = part.origin if isinstance(part, RangePart) else part.files[0][1]
            skip = SkippedDocument(origin, "the worker process died while reading this file; it was left out, "
                                           "the rest of the run went on: please report it with the file attached",
                                   failed=True)
            return [Processed(*skipped_key(skip), origin, skip)], Counter()
        futures = client.map(_run_one, [read] * len(keys), range(len(keys)), pure=False)
        processed, timings = [], Counter()
        for index, ((key, digest, origin), future) in enumerate(zip(keys, futures)):
            try:
                done, spent = future.result()
            except KilledWorker:
                # Maybe it only waited on the worker another document killed: try it again, alone.
                try:
                    done, spent = client.submit(_run_one, read, index, pure=False).result()
                except KilledWorker as exc:
                    skip = SkippedDocument(origin, _crash_reason(exc), failed=True)
                    done, spent = [Processed(key, digest, origin, skip)], Counter()
            processed.extend(done)
            timings.update(spent)
        timings["read"] += client.submit(operator.itemgetter(1), read, pure=False).result()
        return processed, timings

    # -- per-block merging ----------------------------------------------------------------------------
    def map_blocks(self, fn: Callable[..., Any], *iterables: Iterable[Any]) -> list[Any]:
        """``list(map(fn, *iterables))``, each call a task on the cluster (used to merge blocks)."""
        columns = [list(items) for items in iterables]
        size = min(map(len, columns), default=0)
        if not size:
            return []
        columns = [column[:size] for column in columns]
        # Blocks go straight to the workers, not through the scheduler.
        scattered = [self.client.scatter(column, hash=False) for column in columns]
        return self.client.gather(self.client.map(fn, *scattered, pure=False))
