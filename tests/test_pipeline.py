"""End to end: the facts the foundation issue names, on the seed, the corpus and another process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.records import Event


def _rounds(graph: kg.KnowledgeGraph) -> list[Event]:
    """The rounds held in Istanbul in 2025 (not the envoy's talks in Moscow in August)."""
    return [e for e in graph.timeline() if e.type == "TalkRound" and e.modality == "occurred"
            and e.precision == "day" and e.start and e.start.year == 2025 and "istanbul" in {p.id for p in e.places}]


def _roles(event: Event) -> dict[str, str]:
    return {p.actor: p.role for p in event.participants}


# -- the seed article alone ----------------------------------------------------------
def test_seed_third_round(seed_graph: kg.KnowledgeGraph) -> None:
    july = [e for e in seed_graph.events(type="TalkRound") if e.start == date(2025, 7, 23)]
    assert july, [(e.start, e.time_text) for e in seed_graph.events(type="TalkRound")]
    event = july[0]
    assert {p.id for p in event.places} >= {"istanbul", "ciragan-palace"}
    roles = _roles(event)
    assert roles.get("rustem-umerov") == "delegation_head"
    assert roles.get("vladimir-medinsky") == "delegation_head"
    assert {"russia", "ukraine"} <= {a for a, r in roles.items() if r == "party"}


def test_seed_conflicting_dates_kept_with_attribution(seed_graph: kg.KnowledgeGraph) -> None:
    (event,) = [e for e in seed_graph.events(type="TalkRound") if e.start == date(2025, 7, 23)]
    claims = {(c.start, c.end): c for c in event.claims}
    assert (date(2025, 7, 23), date(2025, 7, 23)) in claims          # "Wednesday" (Zelensky)
    assert (date(2025, 7, 23), date(2025, 7, 24)) in claims          # "between July 23 and 24"
    assert claims[(date(2025, 7, 23), date(2025, 7, 23))].attribution == "volodymyr-zelensky"
    assert claims[(date(2025, 7, 23), date(2025, 7, 24))].attribution in ("russia", "turkey")


def test_seed_earlier_rounds_in_may_and_june(seed_graph: kg.KnowledgeGraph) -> None:
    months = {(e.start, e.end, e.precision) for e in seed_graph.events(type="TalkRound")}
    assert (date(2025, 5, 1), date(2025, 5, 31), "month") in months
    june = [m for m in months if m[0] and m[0].month == 6]
    assert june and all(p in ("month", "interval") for _, _, p in june)   # "May and June", "early June"


def test_seed_ultimatum_proposed_meeting_statement_exchanges(seed_graph: kg.KnowledgeGraph) -> None:
    (ultimatum,) = seed_graph.events(type="Ultimatum")
    assert _roles(ultimatum).get("donald-trump") == "issuer"
    assert _roles(ultimatum).get("vladimir-putin") == "target"
    assert dict(ultimatum.quantities)["days"] == 50
    meetings = seed_graph.events(type="LeadersMeeting")
    assert any({"volodymyr-zelensky", "vladimir-putin"} <= set(_roles(e)) and e.modality == "proposed"
               for e in meetings)
    statements = seed_graph.events(type="Statement")
    assert any(_roles(e).get("dmitry-peskov") == "speaker" for e in statements)
    # "further exchanges of prisoners" are on the agenda with no date: counted, not placed on the timeline
    assert not seed_graph.events(type="PrisonerExchange") and seed_graph.corpus.unplaced_mentions >= 1


def test_seed_actor_canonicalisation(seed_graph: kg.KnowledgeGraph) -> None:
    ids = {a.id for a in seed_graph.corpus.actors}
    assert "volodymyr-zelensky" in ids and "zelensky" not in ids
    zelensky = next(a for a in seed_graph.corpus.actors if a.id == "volodymyr-zelensky")
    assert zelensky.wikidata == "Q3874799"


# -- the bundled corpus --------------------------------------------------------------
def test_three_rounds_in_order(corpus_graph: kg.KnowledgeGraph) -> None:
    rounds = _rounds(corpus_graph)
    assert [e.start for e in rounds] == [date(2025, 5, 16), date(2025, 6, 2), date(2025, 7, 23)]
    assert [e.ordinal for e in rounds] == [1, 2, 3]
    # events of the process are linked in time order
    links = {(link.source, link.target) for link in corpus_graph.corpus.links if link.type == "next"}
    assert (rounds[0].id, rounds[1].id) in links and (rounds[1].id, rounds[2].id) in links


def test_same_event_from_several_articles_is_one_node(corpus_graph: kg.KnowledgeGraph) -> None:
    third = _rounds(corpus_graph)[2]
    assert len({s.article for s in third.sources}) >= 4


def test_ultimatum_deadline_and_its_cut(corpus_graph: kg.KnowledgeGraph) -> None:
    (ultimatum,) = [e for e in corpus_graph.events(type="Ultimatum") if e.start == date(2025, 7, 14)]
    assert _roles(ultimatum).get("donald-trump") == "issuer"
    deadlines = {e.start: e for e in corpus_graph.events(type="Deadline")}
    assert date(2025, 9, 2) in deadlines and date(2025, 8, 8) in deadlines
    links = {(link.type, link.source, link.target) for link in corpus_graph.corpus.links}
    assert ("deadline_of", deadlines[date(2025, 9, 2)].id, ultimatum.id) in links
    # the cut to "10 or 12 days" of July 28 is an ultimatum of its own, whose deadline the one of August 8 revises in
    # turn
    (cut,) = [e for e in corpus_graph.events(type="Ultimatum") if e.start == date(2025, 7, 28)]
    assert dict(cut.quantities).get("days") == 12 and _roles(cut).get("russia") == "target"
    assert ("deadline_of", deadlines[date(2025, 8, 9)].id, cut.id) in links
    assert ("revises", deadlines[date(2025, 8, 9)].id, deadlines[date(2025, 9, 2)].id) in links
    assert ("revises", deadlines[date(2025, 8, 8)].id, deadlines[date(2025, 8, 9)].id) in links


def test_dated_role_edges(corpus_graph: kg.KnowledgeGraph) -> None:
    third = _rounds(corpus_graph)[2]
    edges = corpus_graph.nx.get_edge_data("actor:rustem-umerov", f"event:{third.id}")
    assert edges["delegation_head"]["start"] == date(2025, 7, 23)


def test_api_filters(corpus_graph: kg.KnowledgeGraph) -> None:
    events = corpus_graph.events(type="TalkRound", actor="Umerov", between=("2025-05-01", "2025-08-01"))
    assert {e.start for e in events} >= {date(2025, 6, 2), date(2025, 7, 23)}
    frame = corpus_graph.to_dataframe()
    assert len(frame) == len(corpus_graph.corpus.events) and "label" in frame.columns


def test_build_writes_every_output_and_load_reads_it(built_out: Path, corpus_graph: kg.KnowledgeGraph) -> None:
    for name in ("graph.ttl", "graph.jsonld", "events.json", "timeline.html"):
        assert (built_out / name).stat().st_size > 0
    assert not [p for p in built_out.iterdir() if p.name.startswith(".")]  # no temporary files left behind
    again = kg.load(built_out)
    assert again.corpus.events == corpus_graph.corpus.events


def test_bad_article_never_stops_the_run(tmp_path: Path) -> None:
    seed = Path(__file__).parent.parent / "data" / "articles" / "istanbul-talks-2025-07.txt"
    (tmp_path / "good.txt").write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "nodate.txt").write_text("Envoys met to talk.", encoding="utf-8")
    graph = kg.build(tmp_path)
    assert len(graph.corpus.articles) == 1 and graph.corpus.events
    assert {Path(s.origin).name for s in graph.corpus.skipped} == {"broken.json", "nodate.txt"}


def test_parallel_build_equals_serial(corpus_graph: kg.KnowledgeGraph) -> None:
    parallel = kg.build(Path(__file__).parent.parent / "data" / "articles", workers=2)
    assert parallel.corpus.events == corpus_graph.corpus.events


# -- another process, with people in no gazetteer ---------------------------------------
def test_other_process_rounds_and_actors(other_graph: kg.KnowledgeGraph) -> None:
    expected = json.loads((Path(__file__).parent / "fixtures" / "other_process" / "expected.json")
                          .read_text(encoding="utf-8"))
    rounds = [e for e in other_graph.events(type="TalkRound") if e.modality == "occurred"]
    for gold in expected["talk_rounds"]:
        span = (date.fromisoformat(gold["date"]), date.fromisoformat(gold["end_date"]))
        match = [e for e in rounds if e.start and span[0] <= e.start <= span[1]
                 and gold["place"].lower() in {p.name.lower() for p in e.places}]
        assert match, f"round {gold['date']} in {gold['place']} not found: {[(e.start, e.label) for e in rounds]}"
        parties = {p.actor for p in match[0].participants if p.role == "party"}
        assert {h["country"] for h in gold["heads_of_delegation"]} <= parties
    people = {a.name: a for a in other_graph.corpus.actors if a.kind == "person"}
    for name in ("Ararat Mirzoyan", "Jeyhun Bayramov"):
        assert name in people and people[name].title == "Foreign Minister"


# -- every input is accounted for, whatever it holds ---------------------------------------------
_SUFFIXES = [".txt", ".json", ".jsonl", ".html"]
_DATED = "Published: 2031-03-05\n\nNegotiators from Chile and Peru met in Lima on Tuesday for talks.\n"
_contents = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.just(_DATED.encode()),
    st.lists(st.one_of(st.just('{"text": "Envoys met in Oslo on Monday.", "published": "2031-03-05"}'),
                       st.just('{"text": '), st.just(""), st.text(max_size=40)), max_size=5)
    .map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.tuples(st.sampled_from(_SUFFIXES), _contents), min_size=1, max_size=5))
def test_the_summary_accounts_for_every_input(tmp_path_factory: pytest.TempPathFactory,
                                              files: list[tuple[str, bytes]]) -> None:
    """Random and malformed files: nothing escapes, and articles + skipped = inputs read."""
    from kg.pipeline import process_documents, select_articles
    from kg.read import iter_documents

    folder = tmp_path_factory.mktemp("random")
    for number, (suffix, content) in enumerate(files):
        (folder / f"f{number}{suffix}").write_bytes(content)
    inputs = list(iter_documents(folder))
    processed = list(process_documents(inputs, workers=1))
    assert [p.origin for p in processed] == [d.origin for d in inputs]
    articles, skipped = select_articles(processed)
    assert len(articles) + len(skipped) == len(inputs) >= len(files)
    assert {Path(d.origin.split("#")[0]).name for d in inputs} == {f"f{n}{s}" for n, (s, _) in enumerate(files)}


def test_a_broken_knowledge_file_stops_the_run_with_its_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A lexicon that cannot be read is no article's fault: the build stops with the file's own message instead of
    skipping every article as failed (an article's own failure still only skips it)."""
    import kg.extract
    from kg.cli import main
    from kg.resources import KnowledgeError

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(
        "Published: 2026-05-04\n\nNorland and Vesta meet in Osterby\n\n"
        "Delegations of Norland and Vesta met in Osterby on Monday for a second round of talks.\n", encoding="utf-8")

    def broken(annotated: object) -> list[object]:
        raise KnowledgeError("data/lexicons/extraction.toml: invalid TOML (line 3); fix the file and run again")

    monkeypatch.setattr(kg.extract, "extract", broken)
    with pytest.raises(KnowledgeError, match="extraction.toml"):
        kg.build(tmp_path / "in")
    assert main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 1
    assert "kg: error: data/lexicons/extraction.toml: invalid TOML" in capsys.readouterr().err
    assert not (tmp_path / "out" / "events.json").exists()

    def failing(annotated: object) -> list[object]:
        raise RuntimeError("an article the rules cannot read")

    monkeypatch.setattr(kg.extract, "extract", failing)
    graph = kg.build(tmp_path / "in")
    assert [Path(s.origin).name for s in graph.corpus.skipped] == ["good.txt"]


def test_a_speech_in_a_scraped_next_day_page_with_a_dated_byline_is_the_accounts_day() -> None:
    """The byline's date is the page's, not a step of its account: "Vask told reporters ..." after "met on Tuesday"
    in Wednesday's page was said on Tuesday."""
    from kg.pipeline import process_document
    from kg.records import RawDocument

    text = ("THE LENBY POST\nHome | World | Region\nWednesday, June 24, 2026\nWORLD\n\nTalks resume in Lenby\n\n"
            "By Ana Morales | 24 June 2026, 09:10\n\n"
            "Norland and Vesta delegations met in Lenby on Tuesday evening for a second round of talks.\n\n"
            "Foreign Minister Aurel Vask told reporters that Norland had asked for a third round.")
    result = process_document(RawDocument(origin="x.txt", format="txt", text=text))
    [speech] = [m for m in result.mentions if m.type == "Statement"]
    assert speech.time is not None and speech.time.start == date(2026, 6, 23)
