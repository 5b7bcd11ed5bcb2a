"""The cluster engine on a local Dask cluster of two worker processes: the same outputs as one machine."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed: "
                                                        "pip install 'kg-timeline[cluster]' to run the cluster tests")

import dask  # noqa: E402  (after the skip)

import kg  # noqa: E402

import kg.cluster  # noqa: E402
from kg.cli import main  # noqa: E402
from kg.cluster import ClusterError, FilesPart, RangePart, connect, plan_partitions, run_part  # noqa: E402
from kg.read import iter_documents  # noqa: E402
from kg.records import ArticleResult, RawDocument  # noqa: E402
from kg.workspace import BuildReport, build  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
OUTPUTS = ("events.json", "graph.ttl", "graph.trig", "graph.jsonld", "timeline.html")
POISON = "KILL-THE-WORKER"


@pytest.fixture(scope="module")
def address() -> Iterator[str]:
    """``dask://127.0.0.1:PORT`` of one local cluster for the module: two single-threaded worker processes."""
    # A worker killed once fails its task at once (the crash test); nothing else kills workers.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=logging.CRITICAL)
    try:
        yield cluster.scheduler_address.replace("tcp://", "dask://")
    finally:
        cluster.close()


def _same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs between {a} and {b}"


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("one-machine")
    build(ARTICLES, out, workers=1)
    return out


def test_cluster_build_is_identical_to_one_machine(address: str, reference: Path, tmp_path: Path) -> None:
    report = build(ARTICLES, tmp_path, cluster=address)
    _same_outputs(reference, tmp_path)
    assert report.stage_seconds.get("read") and report.stage_seconds.get("annotate")


def test_cluster_build_reuses_the_stored_results(address: str, reference: Path, tmp_path: Path) -> None:
    """A second run (after a kill, or with a few new files) processes only what the state lacks."""
    import shutil

    shutil.copytree(reference, tmp_path / "out")   # built on one machine: the same results serve here
    report = build(ARTICLES, tmp_path / "out", cluster=address)
    assert report.reused == report.unchanged == len(report.corpus.articles) and not report.stage_seconds.get("annotate")
    _same_outputs(reference, tmp_path / "out")


# -- a JSONL feed split into byte ranges, with bad inputs ------------------------------------------------
@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 records in one JSONL file (the sample articles and a re-post of the first), an invalid
    line, a blank line, an empty file, a broken .json file and the feed again in UTF-16."""
    folder = tmp_path_factory.mktemp("feed")
    documents = [d for d in iter_documents(ARTICLES) if isinstance(d, RawDocument)]
    records = [{k: v for k, v in asdict(d).items() if k not in ("origin", "format") and v is not None}
               for d in documents]
    records.append({**records[0], "title": "Re-posted"})   # the same URL: a duplicate
    lines = [json.dumps(r, ensure_ascii=False) for r in records[:20]]
    lines[7:7] = ['{"title": "cut off', ""]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Split into ranges too: only the first can tell the file is unreadable; the others must be dropped.
    (folder / "utf16.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-16")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "broken.json").write_text('{"text": "no end"', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def feed_builds(address: str, feed: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[BuildReport, BuildReport, list[object]]:
    size = (feed / "feed.jsonl").stat().st_size
    one = build(feed, tmp_path_factory.mktemp("feed-one"), workers=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kg.cluster, "PARTITION_BYTES", size // 4)
        parts = list(plan_partitions([feed], partition_bytes=size // 4))
        on_cluster = build(feed, tmp_path_factory.mktemp("feed-cluster"), cluster=address)
    return one, on_cluster, parts


def test_jsonl_split_into_ranges_gives_the_same_graph(feed_builds: tuple[BuildReport, BuildReport, list[object]]
                                                      ) -> None:
    one, on_cluster, parts = feed_builds
    assert sum(isinstance(p, RangePart) and p.path.endswith("feed.jsonl") for p in parts) >= 3
    assert len(one.corpus.articles) == 19   # the re-post is a duplicate
    _same_outputs(one.out, on_cluster.out)


def test_bad_inputs_are_skipped_as_on_one_machine(feed: Path,
                                                  feed_builds: tuple[BuildReport, BuildReport, list[object]]
                                                  ) -> None:
    one, on_cluster, _ = feed_builds
    assert on_cluster.corpus.skipped == one.corpus.skipped
    reasons = {s.origin: s.reason for s in on_cluster.corpus.skipped}
    assert reasons[f"{feed / 'feed.jsonl'}#8"].startswith("invalid JSON on line 8")
    assert reasons[str(feed / "empty.txt")] == "empty file"
    assert reasons[str(feed / "broken.json")].startswith("invalid JSON")
    assert reasons[f"{feed / 'feed.jsonl'}#22"].startswith("duplicate of")
    assert [s.reason for s in on_cluster.corpus.skipped if "utf16" in s.origin] == [
        "UTF-16 or UTF-32 text: re-save the JSONL file as UTF-8"]


# -- the command line ------------------------------------------------------------------------------------
def test_cli_build_on_cluster(address: str, reference: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)   # relative input paths stay relative in the outputs, as on one machine
    assert main(["build", "data/articles", "--out", str(tmp_path), "--cluster", address, "--quiet"]) == 0
    assert "Read 19 articles" in capsys.readouterr().out
    events = json.loads((tmp_path / "events.json").read_text(encoding="utf-8"))
    assert "data/articles/istanbul-talks-2025-07.txt" in json.dumps(events)
    assert str(ROOT) not in json.dumps(events)


@pytest.mark.parametrize("bad", ["dask://127.0.0.1:1", "http://127.0.0.1:8786"])
def test_bad_address_is_a_clear_error(bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.cluster, "CONNECT_TIMEOUT", 1.0)
    assert main(["build", str(ARTICLES), "--out", str(tmp_path), "--cluster", bad, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert bad in err and ("`dask scheduler`" in err or "dask://HOST:PORT" in err), err


def test_dask_missing_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)   # import distributed now fails
    with pytest.raises(ClusterError, match=r"dask://x:1.*pip install 'kg-timeline\[cluster\]'"):
        connect("dask://x:1")


def test_an_input_the_workers_cannot_see_is_a_clear_error(tmp_path: Path) -> None:
    seen_by_the_client_only = FilesPart(((str(tmp_path / "gone.txt"), "feeds/gone.txt", True),))
    with pytest.raises(FileNotFoundError, match="feeds/gone.txt is on the machine running kg build.*same path"):
        run_part(seen_by_the_client_only)


def test_workers_with_another_kg_are_refused(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg, "__version__", "0.0.0-other")   # as if this machine ran another release
    with pytest.raises(ClusterError, match=r"2 of the 2 workers .* kg 0\.0\.0-other.* same kg-timeline"):
        connect(address)


def test_standard_input_is_refused(address: str) -> None:
    with connect(address) as engine, pytest.raises(ValueError, match="standard input"):
        engine.process(["-"])


# -- faults ----------------------------------------------------------------------------------------------
class _Poison(distributed.WorkerPlugin):
    """Makes a worker process die on an article containing POISON (applied again to restarted workers)."""

    def setup(self, worker: object) -> None:
        import kg.pipeline

        real = kg.pipeline.process_document
        if getattr(real, "poisoned", False):
            return

        def process_document(raw, timings=None):  # type: ignore[no-untyped-def]
            if POISON in raw.text:
                os._exit(1)
            return real(raw, timings)

        process_document.poisoned = True  # type: ignore[attr-defined]
        kg.pipeline.process_document = process_document


def test_an_article_that_kills_its_worker_is_left_out(address: str, tmp_path: Path) -> None:
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    for name, text in (("a", "Ukraine and Russia held talks in Istanbul on Tuesday."), ("b", f"Talks. {POISON}"),
                       ("c", "Peskov said on Wednesday that the talks had been useful.")):
        (tmp_path / f"{name}.json").write_text(json.dumps({"text": text, "published": "2025-07-01"}))
    with connect(address) as engine:
        engine.client.register_plugin(_Poison(), name="poison")
        try:
            processed = {p.origin: p for p in engine.process(sorted(tmp_path.iterdir()))}
        finally:
            engine.client.unregister_worker_plugin("poison")
            engine.client.wait_for_workers(2, timeout=30)
    crashed = processed[f"{tmp_path / 'b.json'}#1"]
    assert crashed.result.failed and "worker process died" in crashed.result.reason
    assert crashed.key == crashed.origin and not crashed.content_hash.startswith("skipped-")
    assert isinstance(processed[f"{tmp_path / 'a.json'}#1"].result, ArticleResult)
    assert isinstance(processed[f"{tmp_path / 'c.json'}#1"].result, ArticleResult)
