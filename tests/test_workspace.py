"""Builds kept in an output folder: kg add / kg remove, the build state, resuming, determinism."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import workspace
from kg.contract import read_events_json
from kg.read import iter_documents
from kg.store import STATE_FILE, BuildState, StateError

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
GOLD = ROOT / "tests" / "gold"
OUTPUTS = ("events.json", "graph.ttl", "graph.trig", "graph.jsonld", "timeline.html")


def _inputs() -> list[Path]:
    return sorted(p for p in ARTICLES.iterdir() if p.suffix in (".txt", ".json", ".jsonl", ".html"))


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full")
    workspace.build(_inputs(), out, workers=1)
    return out


def test_build_then_add_equals_building_everything_at_once(tmp_path: Path, full_build: Path) -> None:
    files = _inputs()
    first, second = files[::2], files[1::2]
    report = workspace.build(first, tmp_path, workers=1)
    assert report.added == sum(1 for _ in iter_documents(first)) and report.reused == 0
    report = workspace.add(tmp_path, second, workers=1)
    assert report.added > 0 and report.unchanged == 0 and report.reused == 0
    assert _outputs(tmp_path) == _outputs(full_build)


def test_adding_an_article_already_present_changes_nothing(tmp_path: Path, full_build: Path) -> None:
    shutil.copytree(full_build, tmp_path, dirs_exist_ok=True)
    before = {name: (tmp_path / name).stat().st_mtime_ns for name in OUTPUTS}
    report = workspace.add(tmp_path, [ARTICLES / "istanbul-talks-2025-07.txt"], workers=1)
    assert not report.changed and report.unchanged == 1 and report.written == {}
    assert {name: (tmp_path / name).stat().st_mtime_ns for name in OUTPUTS} == before
    assert report.corpus.events == read_events_json(full_build / "events.json").events


def _record(url: str, text: str) -> dict[str, str]:
    return {"url": url, "published": "2031-03-05", "title": "Talks", "text": text}


def test_a_changed_version_replaces_only_that_articles_claims(tmp_path: Path) -> None:
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    first = _record("https://example.org/a", "Negotiators from Chile and Peru met in Lima on Tuesday for a first "
                                             "round of talks on the maritime border.")
    other = _record("https://example.org/b", "Chile and Peru carried out a prisoner exchange in Arica on Monday, "
                                             "swapping 40 prisoners each.")
    feed.write_text("\n".join(json.dumps(r) for r in (first, other)) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    built = workspace.build([feed], out, workers=1)
    exchange = [e for e in built.corpus.events if e.type == "PrisonerExchange"]
    assert len(exchange) == 1 and any(e.type == "TalkRound" for e in built.corpus.events)

    assert [str(e.start) for e in built.corpus.events if e.type == "TalkRound"] == ["2031-03-04"]  # Tuesday
    update = tmp_path / "update.jsonl"   # the same URL, re-scraped: the round is now a plan for March 12
    changed = _record("https://example.org/a", "Negotiators from Chile and Peru will meet in Lima on March 12 "
                                               "for a first round of talks on the maritime border.")
    update.write_text(json.dumps(changed) + "\n", encoding="utf-8")
    report = workspace.add(out, [update], workers=1)
    assert (report.added, report.replaced, report.unchanged) == (0, 1, 0)
    assert len(report.corpus.articles) == 2
    rounds = [e for e in report.corpus.events if e.type == "TalkRound"]
    assert [str(e.start) for e in rounds] == ["2031-03-12"] and rounds[0].modality == "scheduled"
    assert [e for e in report.corpus.events if e.type == "PrisonerExchange"] == exchange


def test_remove_takes_out_an_articles_claims(tmp_path: Path, full_build: Path) -> None:
    shutil.copytree(full_build, tmp_path / "out")
    out = tmp_path / "out"
    seed = next(a for a in read_events_json(out / "events.json").articles if a.origin.endswith("07.txt"))
    report = workspace.remove(out, [seed.id])
    assert report.removed == 1 and seed.id not in {a.id for a in report.corpus.articles}
    assert all(s.article != seed.id for e in report.corpus.events for s in e.sources)
    alone = tmp_path / "alone"
    workspace.build([p for p in _inputs() if p.name != "istanbul-talks-2025-07.txt"], alone, workers=1)
    assert _outputs(out) == _outputs(alone)
    with pytest.raises(KeyError, match="not in the build"):
        workspace.remove(out, [seed.id])


def test_the_state_carries_a_format_version(tmp_path: Path, full_build: Path) -> None:
    shutil.copytree(full_build, tmp_path, dirs_exist_ok=True)
    with sqlite3.connect(tmp_path / STATE_FILE) as db:
        assert db.execute("SELECT value FROM meta WHERE key='format_version'").fetchone() == ("1",)
        db.execute("UPDATE meta SET value='99' WHERE key='format_version'")
    with pytest.raises(StateError, match="format 99"):
        workspace.add(tmp_path, [ARTICLES / "istanbul-talks-2025-07.txt"])
    with pytest.raises(StateError, match="kg build"):
        BuildState(tmp_path / "nowhere", create=False)


def test_results_of_another_pipeline_are_not_reused(tmp_path: Path, full_build: Path) -> None:
    shutil.copytree(full_build, tmp_path, dirs_exist_ok=True)
    with sqlite3.connect(tmp_path / STATE_FILE) as db:
        db.execute("UPDATE meta SET value='older' WHERE key='pipeline'")
    with pytest.raises(StateError, match="another version"):
        workspace.add(tmp_path, [ARTICLES / "istanbul-talks-2025-07.txt"])
    report = workspace.build(_inputs(), tmp_path, workers=1)
    assert report.reused == 0 and _outputs(tmp_path) == _outputs(full_build)


def test_every_input_is_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES / "istanbul-talks-2025-07.txt", folder / "seed.txt")
    shutil.copy(ARTICLES / "istanbul-talks-2025-07.txt", folder / "copy.txt")   # same text: the name sorting first is kept
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "broken.json").write_text('{"text": ', encoding="utf-8")
    (folder / "feed.jsonl").write_text('{"text": "x"}\nnot json\n', encoding="utf-8")
    report = workspace.build([folder], tmp_path / "out", workers=1)
    assert len(report.corpus.articles) == 1
    reasons = {Path(s.origin).name: s.reason for s in report.corpus.skipped}
    assert set(reasons) == {"seed.txt", "empty.txt", "broken.json", "feed.jsonl#1", "feed.jsonl#2"}
    assert "duplicate of" in reasons["seed.txt"] and "copy.txt" in reasons["seed.txt"]


def _crash_on_marker(raw, timings=None):  # type: ignore[no-untyped-def]
    if "KILL-THE-WORKER" in raw.text:
        os._exit(3)
    return _real_process_document(raw, timings)


_real_process_document = None


def test_a_worker_crash_loses_one_article_not_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.pipeline

    global _real_process_document
    _real_process_document = kg.pipeline.process_document
    # Worker processes are forked from this one, so they run the patched function.
    monkeypatch.setattr(kg.pipeline, "process_document", _crash_on_marker)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("2025-06-02-second-round.txt", "istanbul-talks-2025-07.txt"):
        shutil.copy(ARTICLES / name, folder / name)
    (folder / "poison.json").write_text(json.dumps(_record("https://example.org/p", "KILL-THE-WORKER. Envoys "
                                                           "met in Oslo on Monday for talks.")), encoding="utf-8")
    report = workspace.build([folder], tmp_path / "out", workers=2)
    assert len(report.corpus.articles) == 2
    (skip,) = report.corpus.skipped
    assert skip.origin.endswith("poison.json#1") and "worker process died" in skip.reason and skip.failed
    # A crash is our failure, not the article's: the next run tries it again.
    with BuildState(tmp_path / "out", create=False) as state:
        assert state.cached(next(d for k, (d, o) in state.documents().items() if "poison" in o)) is None


def _kg(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=300)


def test_outputs_are_identical_whatever_jobs_hash_seed_or_input_order(tmp_path: Path, full_build: Path) -> None:
    files = [str(p) for p in _inputs()]
    runs = {"jobs2-seed1": (files, "2", "1"), "jobs1-seed2-reversed": (files[::-1], "1", "2")}
    for name, (paths, jobs, seed) in runs.items():
        result = _kg("build", *paths, "--out", str(tmp_path / name), "--jobs", jobs, "--quiet",
                     env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        assert _outputs(tmp_path / name) == _outputs(full_build), name


def test_a_killed_build_leaves_complete_outputs_and_the_next_run_finishes(tmp_path: Path,
                                                                          full_build: Path) -> None:
    out = tmp_path / "out"
    workspace.build([ARTICLES / "istanbul-talks-2025-07.txt"], out, workers=1)   # the previous outputs
    previous = _outputs(out)
    paths = [str(p) for p in _inputs()] + [str(GOLD / "tune")]
    started = time.monotonic()
    assert _kg("build", *paths, "--out", str(tmp_path / "timing"), "--jobs", "1", "--quiet").returncode == 0
    duration = time.monotonic() - started
    for fraction in (0.3, 0.6, 0.85, 0.95):
        process = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", *paths, "--out", str(out),
                                    "--jobs", "1", "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = _outputs(out)
        for name in OUTPUTS:   # each file is either the previous one or the new one, never half of one
            assert now[name] in (previous[name], (tmp_path / "timing" / name).read_bytes()), (fraction, name)
        json.loads(now["events.json"])
    result = _kg("build", *paths, "--out", str(out), "--jobs", "1")
    assert result.returncode == 0 and "Reused the stored results" in result.stdout
    assert _outputs(out) == _outputs(tmp_path / "timing")
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_build_then_add_equals_one_build_on_a_synthetic_corpus(tmp_path: Path) -> None:
    """Many invented processes at once (benchmarks/scale.py's generator): incremental = from scratch,
    and adding the second half in two steps, in the other order, changes nothing either."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from scale import Generator
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    records = [record for record, _ in Generator(seed=3).articles(160)]
    halves = {"a.jsonl": records[::2], "b1.jsonl": records[1::4], "b2.jsonl": records[3::4]}
    for name, part in halves.items():
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
    workspace.build([tmp_path / "a.jsonl"], tmp_path / "step", workers=1)
    workspace.add(tmp_path / "step", [tmp_path / "b2.jsonl"], workers=1)
    report = workspace.add(tmp_path / "step", [tmp_path / "b1.jsonl"], workers=1)
    assert report.added == len(halves["b1.jsonl"]) and len(report.corpus.events) > 40
    workspace.build([tmp_path / n for n in halves], tmp_path / "once", workers=1)
    assert _outputs(tmp_path / "step") == _outputs(tmp_path / "once")


def test_a_renamed_file_is_named_by_its_new_path(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLES / "2025-06-02-second-round.txt", folder / "before.txt")
    (folder / "e1.txt").write_text("", encoding="utf-8")
    (folder / "e2.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    workspace.build([folder], out, workers=1)
    (folder / "before.txt").rename(folder / "after.txt")
    report = workspace.build([folder], out, workers=1)
    assert report.reused == 1   # the same content: not processed again, but named by where it is now
    origins = {s.origin for e in report.corpus.events for s in e.sources}
    assert origins == {str(folder / "after.txt")}
    assert {Path(a.origin).name for a in report.corpus.articles} == {"after.txt"}
    assert sorted(Path(s.origin).name for s in report.corpus.skipped) == ["e1.txt", "e2.txt"]
    report = workspace.add(out, [ARTICLES / "istanbul-talks-2025-07.txt"], workers=1)
    assert sorted(Path(s.origin).name for s in report.corpus.skipped) == ["e1.txt", "e2.txt"]


def test_two_inputs_with_one_url_give_the_same_build_in_any_order(tmp_path: Path) -> None:
    record = _record("https://example.org/same", "Chile and Peru carried out a prisoner exchange in Arica on "
                                                 "Monday, swapping 40 prisoners each.")
    for name, text in (("a.json", record["text"]), ("b.json", record["text"] + " More were freed later.")):
        (tmp_path / name).write_text(json.dumps({**record, "text": text}), encoding="utf-8")
    first = workspace.build([tmp_path / "a.json", tmp_path / "b.json"], tmp_path / "ab", workers=1)
    workspace.build([tmp_path / "b.json", tmp_path / "a.json"], tmp_path / "ba", workers=1)
    assert _outputs(tmp_path / "ab") == _outputs(tmp_path / "ba")
    (skip,) = first.corpus.skipped
    assert skip.origin.endswith("b.json#1") and "duplicate of" in skip.reason and "a.json" in skip.reason


def test_a_killed_rebuild_after_an_upgrade_does_not_let_add_drop_the_build(tmp_path: Path, full_build: Path) -> None:
    shutil.copytree(full_build, tmp_path, dirs_exist_ok=True)
    with sqlite3.connect(tmp_path / STATE_FILE) as db:
        db.execute("UPDATE meta SET value='older' WHERE key='pipeline'")
    BuildState(tmp_path, create=True).close()   # a `kg build` that was killed right after opening the state
    with pytest.raises(StateError, match="another version"):
        workspace.add(tmp_path, [ARTICLES / "istanbul-talks-2025-07.txt"])


def test_outputs_left_half_written_are_rewritten_by_the_next_add(tmp_path: Path, full_build: Path) -> None:
    shutil.copytree(full_build, tmp_path, dirs_exist_ok=True)
    with BuildState(tmp_path, create=False) as state:
        state.writing()                       # as if a run was killed between two output files
    (tmp_path / "graph.ttl").write_text("# stale\n", encoding="utf-8")
    report = workspace.add(tmp_path, [ARTICLES / "istanbul-talks-2025-07.txt"], workers=1)
    assert report.written and _outputs(tmp_path) == _outputs(full_build)
    with BuildState(tmp_path, create=False) as state:
        assert not state.dirty


def test_a_build_that_reads_no_article_keeps_the_earlier_build(tmp_path: Path, full_build: Path) -> None:
    shutil.copytree(full_build, tmp_path / "out")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(workspace.NothingToBuild) as caught:
        workspace.build([tmp_path / "bad"], tmp_path / "out", workers=1)
    assert [Path(s.origin).name for s in caught.value.skipped] == ["empty.txt"]
    assert _outputs(tmp_path / "out") == _outputs(full_build)
    assert len(workspace.add(tmp_path / "out", [ARTICLES / "istanbul-talks-2025-07.txt"]).corpus.articles) > 1


def test_a_temporary_left_by_a_killed_write_is_removed_by_the_next_write(tmp_path: Path) -> None:
    from kg.atomic import write_text_atomic
    stale = tmp_path / ".events.json.abc123.tmp"     # what SIGKILL in the middle of a write leaves behind
    stale.write_text('{"events": [', encoding="utf-8")
    other = tmp_path / ".graph.ttl.def456.tmp"         # another file's temporary is not this write's business
    other.write_text("@prefix", encoding="utf-8")
    write_text_atomic(tmp_path / "events.json", '{"events": []}\n')
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.ttl.def456.tmp", "events.json"]


# ------------------------------------------------------------------ the stored form of a result
def test_a_stored_result_is_the_codecs_json_and_reads_back_equal() -> None:
    """The build state holds ``encode``'s JSON of each result (written by orjson: the same bytes as json's)."""
    import zlib

    from kg.codec import encode
    from kg.pipeline import process_document
    from kg.records import RawDocument
    from kg.store import decode_result, encode_result

    text = ("Norland and Vesta talks end\n\nLENBY, May 12 — Delegations of Norland and Vesta met in Lenby on "
            "Tuesday and agreed to exchange 40 prisoners each, Foreign Minister Ana Morales said.")
    result = process_document(RawDocument(origin="x.txt", format="txt", text=text, published="2026-05-12"))
    assert result.mentions, "the article reports events"
    body = encode_result(result)
    assert zlib.decompress(body) == json.dumps(encode(result), ensure_ascii=False,
                                               separators=(",", ":")).encode("utf-8")
    assert decode_result("article", body) == result


def test_a_result_with_a_lone_surrogate_is_stored_and_read_back() -> None:
    """orjson refuses a lone surrogate (a badly decoded file name, say): such a result is written the slow way."""
    from kg.records import SkippedDocument
    from kg.store import decode_result, encode_result

    skipped = SkippedDocument(origin="feeds/caf\udce9.txt", reason="no article body left")
    assert decode_result("skipped", encode_result(skipped)) == skipped
