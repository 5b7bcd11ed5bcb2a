"""The shipped SPARQL queries, checked row by row on the hand-built Istanbul corpus.

Expected rows are written from the corpus in ``test_rdf.istanbul_corpus``
(its dates, names and links), not copied from query output.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.query import (
    format_results, load_query, query_description, run_query, shipped_queries, sparql_term, with_values,
)
from kg.rdf import corpus_to_dataset, write_rdf
from test_rdf import istanbul_corpus

EV = "https://w3id.org/kg-timeline/event/"
SHIPPED = ["actor_events", "co_participation", "conflicting_reports", "event_sources", "events_in_window",
           "prisoner_exchanges", "talk_rounds", "ultimatums"]


@pytest.fixture(scope="module")
def ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("q")
    return write_rdf(istanbul_corpus(), d)["turtle"]


def rows(ttl: Path, name: str, cols: list[str], bindings: dict[str, str] | None = None,
         engine: str = "oxigraph") -> list[tuple]:
    result = run_query(ttl, shipped_queries()[name], bindings, engine=engine)
    return [tuple(d[c] for c in cols) for d in result.as_dicts()]


def test_every_shipped_query_has_a_header_comment() -> None:
    queries = shipped_queries()
    assert sorted(queries) == SHIPPED
    for name, text in queries.items():
        assert len(query_description(text)) > 40, name


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_talk_rounds(ttl: Path, engine: str) -> None:
    got = rows(ttl, "talk_rounds", ["label", "ordinal", "start", "place", "head", "side"], engine=engine)
    assert got == [
        ("First round of Istanbul talks", "1", "2025-05-16", "Dolmabahçe Palace", "Rustem Umerov", "Ukraine"),
        ("First round of Istanbul talks", "1", "2025-05-16", "Dolmabahçe Palace", "Vladimir Medinsky", "Russia"),
        ("Second round of Istanbul talks", "2", "2025-06-02", "Çırağan Palace", "Rustem Umerov", "Ukraine"),
        ("Second round of Istanbul talks", "2", "2025-06-02", "Çırağan Palace", "Vladimir Medinsky", "Russia"),
        ("Third round of Istanbul talks", "3", "2025-07-23", "Çırağan Palace", "Rustem Umerov", "Ukraine"),
        ("Third round of Istanbul talks", "3", "2025-07-23", "Çırağan Palace", "Vladimir Medinsky", "Russia"),
    ]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ultimatums_show_the_deadline_change(ttl: Path, engine: str) -> None:
    got = rows(ttl, "ultimatums", ["issuer", "target", "issued", "deadline", "deadlineDate", "revises",
                                   "previousDate", "changedOn"], engine=engine)
    assert got == [
        ("Donald Trump", "Vladimir Putin", "2025-07-14", EV + "ev-deadline-50", "2025-09-02", None, None, None),
        ("Donald Trump", "Vladimir Putin", "2025-07-14", EV + "ev-deadline-cut", "2025-08-08",
         EV + "ev-deadline-50", "2025-09-02", "2025-07-28"),
    ]


def test_prisoner_exchanges_numbers_per_side(ttl: Path) -> None:
    result = run_query(ttl, shipped_queries()["prisoner_exchanges"])
    got = [(d["label"], d["start"], d["end"], d["quantity"], d["value"]) for d in result.as_dicts()]
    assert got == [
        ("1000-for-1000 prisoner exchange", "2025-05-23", "2025-05-25", "prisoners_per_side", "1000"),
        ("1000-for-1000 prisoner exchange", "2025-05-23", "2025-05-25", "prisoners_total", "2000"),
    ]
    # GROUP_CONCAT order is up to the engine: compare the parties as a set
    assert {frozenset(p.split("; ")) for p in result.column("parties")} == {frozenset({"Ukraine", "Russia"})}


@pytest.mark.parametrize("name", ["Umerov", "rustem umerov", "UMEROV"])
def test_actor_events_by_name_or_alias_any_case(ttl: Path, name: str) -> None:
    got = rows(ttl, "actor_events", ["name", "label", "role", "start"], {"actorName": name})
    assert got == [
        ("Rustem Umerov", "First round of Istanbul talks", "delegation head", "2025-05-16"),
        ("Rustem Umerov", "Second round of Istanbul talks", "delegation head", "2025-06-02"),
        ("Rustem Umerov", "Third round of Istanbul talks", "delegation head", "2025-07-23"),
    ]


def test_actor_events_of_a_country_in_time_order(ttl: Path) -> None:
    got = rows(ttl, "actor_events", ["label", "role", "start"], {"actorName": "the kremlin"})
    assert got == [
        ("First round of Istanbul talks", "party", "2025-05-16"),
        ("1000-for-1000 prisoner exchange", "party", "2025-05-23"),
        ("Second round of Istanbul talks", "party", "2025-06-02"),
        ("Third round of Istanbul talks", "party", "2025-07-23"),
    ]


def test_actor_events_unbound_lists_every_actor(ttl: Path) -> None:
    names = set(run_query(ttl, shipped_queries()["actor_events"]).column("name"))
    # Zelensky takes part in no event (he only makes a claim)
    assert names == {"Rustem Umerov", "Vladimir Medinsky", "Ukraine", "Russia", "Turkey", "Donald Trump",
                     "Vladimir Putin"}


def test_event_sources_of_one_event(ttl: Path) -> None:
    got = rows(ttl, "event_sources", ["article", "headline", "sentenceIndex", "charStart", "charEnd"],
               {"event": EV + "ev-round-3"})
    art = "https://w3id.org/kg-timeline/article/art-istanbul-round3"
    headline = "Ukraine and Russia Set for Another Round of Talks in Istanbul"
    from test_rdf import S_HEADS, S_ROUND3
    assert got == [
        (art, headline, "1", "400", str(400 + len(S_ROUND3))),
        (art, headline, "2", "900", str(900 + len(S_HEADS))),
    ]


def test_event_sources_cover_every_event(ttl: Path) -> None:
    events = set(run_query(ttl, shipped_queries()["event_sources"]).column("event"))
    assert events == {EV + e.id for e in istanbul_corpus().events}


def test_conflicting_reports(ttl: Path) -> None:
    got = rows(ttl, "conflicting_reports", ["label", "resolvedStart", "claimStart", "claimEnd", "claimPrecision",
                                            "claimText", "claimedBy"])
    assert got == [
        ("Third round of Istanbul talks", "2025-07-23", "2025-07-23", "2025-07-23", "day", "Wednesday",
         "Volodymyr Zelensky"),
        ("Third round of Istanbul talks", "2025-07-23", "2025-07-23", "2025-07-24", "interval",
         "between July 23 and 24", "Russia"),
    ]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_events_in_window(ttl: Path, engine: str) -> None:
    got = rows(ttl, "events_in_window", ["label", "start"], {"from": "2025-07-01", "to": "2025-08-31"},
               engine=engine)
    assert got == [
        ("Trump's 50-day ultimatum to Putin", "2025-07-14"),
        ("Third round of Istanbul talks", "2025-07-23"),
        ("Shortened deadline", "2025-08-08"),
    ]


def test_events_in_window_counts_overlap_and_open_ends(ttl: Path) -> None:
    # the exchange ran May 23-25: a window starting May 24 still overlaps it
    got = rows(ttl, "events_in_window", ["label"], {"from": "2025-05-24", "to": "2025-05-31"})
    assert got == [("1000-for-1000 prisoner exchange",)]
    later = rows(ttl, "events_in_window", ["label"], {"from": "2025-08-09"})
    assert later == [("50-day deadline",)]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_co_participation_of_one_actor(ttl: Path, engine: str) -> None:
    got = rows(ttl, "co_participation", ["aName", "bName", "events", "first", "last"], {"actorName": "Medinsky"},
               engine=engine)
    assert got == [
        ("Vladimir Medinsky", "Russia", "3", "2025-05-16", "2025-07-23"),
        ("Vladimir Medinsky", "Rustem Umerov", "3", "2025-05-16", "2025-07-23"),
        ("Vladimir Medinsky", "Turkey", "3", "2025-05-16", "2025-07-23"),
        ("Vladimir Medinsky", "Ukraine", "3", "2025-05-16", "2025-07-23"),
    ]


def test_co_participation_lists_each_pair_once(ttl: Path) -> None:
    result = run_query(ttl, shipped_queries()["co_participation"])
    pairs = [frozenset((d["aName"], d["bName"])) for d in result.as_dicts()]
    assert len(pairs) == len(set(pairs))
    top = result.as_dicts()[0]
    # Russia and Ukraine share the three rounds and the exchange
    assert {top["aName"], top["bName"]} == {"Russia", "Ukraine"} and top["events"] == "4"
    # 5 participants per round give 10 pairs; Trump-Putin share the ultimatum and its deadlines
    assert len(pairs) == 11


def test_queries_run_on_the_in_memory_dataset_too() -> None:
    ds = corpus_to_dataset(istanbul_corpus())
    result = run_query(ds, shipped_queries()["conflicting_reports"])
    # claims sit in the article's named graph: the union view finds them
    assert len(result) == 2


# --------------------------------------------------------------------------- bindings


def test_bindings_become_a_values_clause_inside_where() -> None:
    q = "SELECT ?e WHERE { ?e <urn:p> ?actorName }"
    assert with_values(q, {"actorName": "Umerov"}) == \
        'SELECT ?e WHERE { VALUES ?actorName { "Umerov" } ?e <urn:p> ?actorName }'


def test_values_go_after_the_where_keyword_not_into_comments_strings_or_templates() -> None:
    q = ('# a comment with a { brace\nCONSTRUCT { ?s <urn:says> "{x}" } '
         "WHERE { ?s <urn:p> ?o FILTER(?o != <urn:x{y>) }")
    out = with_values(q, {"o": "1"})
    assert out.endswith('WHERE { VALUES ?o { "1"^^<http://www.w3.org/2001/XMLSchema#integer> } '
                        "?s <urn:p> ?o FILTER(?o != <urn:x{y>) }")
    assert out.startswith('# a comment with a { brace\nCONSTRUCT { ?s <urn:says> "{x}" } ')


def test_values_when_where_is_omitted() -> None:
    assert with_values("ASK { ?s ?p ?o }", {"s": "urn:a"}) == "ASK { VALUES ?s { <urn:a> } ?s ?p ?o }"


@pytest.mark.parametrize("value, term", [
    ("Umerov", '"Umerov"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("https://w3id.org/kg-timeline/event/e1", "<https://w3id.org/kg-timeline/event/e1>"),
    ("<urn:x>", "<urn:x>"),
    ("2025-07-23", '"2025-07-23"^^<http://www.w3.org/2001/XMLSchema#date>'),
    ("3", '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ('"Istanbul"@en', '"Istanbul"@en'),
])
def test_how_values_are_bound(value: str, term: str) -> None:
    assert sparql_term(value) == term


def test_bad_variable_name_is_refused() -> None:
    with pytest.raises(ValueError, match="variable"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"a b": "x"})


def test_load_query_by_name_path_or_text(tmp_path: Path) -> None:
    assert load_query("talk_rounds") == shipped_queries()["talk_rounds"]
    assert load_query("queries/talk_rounds.rq") == shipped_queries()["talk_rounds"]
    f = tmp_path / "mine.rq"
    f.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert load_query(str(f)) == "ASK { ?s ?p ?o }"
    with pytest.raises(FileNotFoundError, match="talk_rounds"):
        load_query("no_such_query")


# --------------------------------------------------------------------------- formats


@pytest.fixture(scope="module")
def window(ttl: Path):
    return run_query(ttl, shipped_queries()["events_in_window"], {"from": "2025-08-01"})


def test_csv_output(window) -> None:
    table = list(csv.reader(io.StringIO(format_results(window, "csv"))))
    assert table[0] == ["event", "label", "type", "start", "end", "precision", "modality"]
    assert table[1] == [EV + "ev-deadline-cut", "Shortened deadline", "deadline", "2025-08-08", "2025-08-08",
                        "day", "threatened"]
    assert len(table) == 3


def test_json_output(window) -> None:
    data = json.loads(format_results(window, "json"))
    assert [d["label"] for d in data] == ["Shortened deadline", "50-day deadline"]
    assert data[1]["start"] == "2025-09-02"


def test_sparql_json_output(window) -> None:
    doc = json.loads(format_results(window, "sparql-json"))
    assert doc["head"]["vars"][:2] == ["event", "label"]
    first = doc["results"]["bindings"][0]
    assert first["event"] == {"type": "uri", "value": EV + "ev-deadline-cut"}
    assert first["start"] == {"type": "literal", "value": "2025-08-08",
                              "datatype": "http://www.w3.org/2001/XMLSchema#date"}
    assert first["label"] == {"type": "literal", "value": "Shortened deadline"}


def test_table_output(window) -> None:
    lines = format_results(window, "table").splitlines()
    assert lines[0].split(" | ")[0].strip() == "event"
    assert lines[2].startswith("event:ev-deadline-cut ")
    assert lines[-1] == "(2 rows)"


def test_ask_and_construct(ttl: Path) -> None:
    ask = run_query(ttl, "ASK { ?e sem:eventType <https://w3id.org/kg-timeline/type/Ultimatum> }")
    assert ask.boolean is True and format_results(ask, "json") == "true\n"
    built = run_query(ttl, "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a sem:Event ; rdfs:label ?l }")
    assert built.graph is not None and len(built.graph) == 7
    assert (URIRef(EV + "ev-round-1"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("First round of Istanbul talks")) in built.graph
