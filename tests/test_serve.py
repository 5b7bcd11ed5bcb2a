"""The SPARQL endpoint (Oxigraph server) and Graph Store Protocol push, end to end.

Starts real ``oxigraph`` servers on free local ports, queries them with
SPARQLWrapper, and stops them.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph

pytest.importorskip("SPARQLWrapper")
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper  # noqa: E402
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException  # noqa: E402

from kg.query import shipped_queries  # noqa: E402
from kg.rdf import graph_iri, write_rdf  # noqa: E402
from kg.serve import ServeError, free_port, graphs_of, push, start_server  # noqa: E402
from test_rdf import A2, istanbul_corpus  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("oxigraph") is None, reason="oxigraph server not installed")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("serve")
    write_rdf(istanbul_corpus(), d)
    return d


@pytest.fixture(scope="module")
def server(out: Path):
    with start_server(out, port=free_port(), timeout_s=1) as srv:
        yield srv
    assert srv.process.poll() is not None   # stopped on leaving the block


def raw(url: str, query: str, accept: str) -> tuple[str, str]:
    """POST a query with an Accept header; return (content type, body)."""
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=data, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.headers["Content-Type"], resp.read().decode("utf-8")


def test_binds_to_localhost(server) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert server.read_only


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_talk_rounds_over_http(server, method: str) -> None:
    sw = SPARQLWrapper(server.query_url)
    if method == "POST":
        sw.setMethod(POST)
    sw.setQuery(shipped_queries()["talk_rounds"])
    sw.setReturnFormat(JSON)
    bindings = sw.query().convert()["results"]["bindings"]
    got = [(b["ordinal"]["value"], b["start"]["value"], b["head"]["value"]) for b in bindings]
    assert got == [("1", "2025-05-16", "Rustem Umerov"), ("1", "2025-05-16", "Vladimir Medinsky"),
                   ("2", "2025-06-02", "Rustem Umerov"), ("2", "2025-06-02", "Vladimir Medinsky"),
                   ("3", "2025-07-23", "Rustem Umerov"), ("3", "2025-07-23", "Vladimir Medinsky")]
    assert bindings[0]["start"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"


def test_union_default_graph_sees_article_claims(server) -> None:
    sw = SPARQLWrapper(server.query_url)
    sw.setQuery(shipped_queries()["conflicting_reports"])
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert [r["claimText"]["value"] for r in rows] == ["Wednesday", "between July 23 and 24"]
    # ... and the article graphs stay addressable: who said what
    sw.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c a <https://w3id.org/kg-timeline/ontology#Claim> } }")
    graphs = [b["g"]["value"] for b in sw.query().convert()["results"]["bindings"]]
    assert graphs == [str(graph_iri("art-istanbul-round3"))]


@pytest.mark.parametrize("fmt, accept, expected", [
    (JSON, "application/sparql-results+json", "application/sparql-results+json"),
    (XML, "application/sparql-results+xml", "application/sparql-results+xml"),
    (CSV, "text/csv", "text/csv"),
    (TSV, "text/tab-separated-values", "text/tab-separated-values"),
])
def test_result_formats_by_content_negotiation(server, fmt: str, accept: str, expected: str) -> None:
    query = "SELECT ?label WHERE { ?e a sem:Event ; rdfs:label ?label } ORDER BY ?label"
    prefixed = ("PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + query)
    ctype, body = raw(server.query_url, prefixed, accept)
    assert ctype.split(";")[0] == expected
    assert "Shortened deadline" in body
    sw = SPARQLWrapper(server.query_url)
    sw.setQuery(prefixed)
    sw.setReturnFormat(fmt)
    assert sw.query().info()["content-type"].split(";")[0] == expected


def test_csv_rows(server) -> None:
    q = ("SELECT ?d WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> \"Shortened deadline\" ; "
         "<http://semanticweb.cs.vu.nl/2009/11/sem/hasBeginTimeStamp> ?d }")
    _, body = raw(server.query_url, q, "text/csv")
    assert body.splitlines() == ["d", "2025-08-08"]


@pytest.mark.parametrize("fmt, expected", [(TURTLE, "text/turtle"), (JSONLD, "application/ld+json")])
def test_construct_as_turtle_or_jsonld(server, fmt: str, expected: str) -> None:
    sw = SPARQLWrapper(server.query_url)
    sw.setQuery("DESCRIBE <https://w3id.org/kg-timeline/actor/vladimir-putin>")
    sw.setReturnFormat(fmt)
    res = sw.query()
    assert res.info()["content-type"].split(";")[0] == expected
    body = res.response.read()
    g = Graph().parse(data=body, format="turtle" if fmt == TURTLE else "json-ld")
    names = {str(o) for o in g.objects(None, None)}
    assert "Vladimir Putin" in names and "http://www.wikidata.org/entity/Q7747" in names


def test_update_is_refused(server) -> None:
    sw = SPARQLWrapper(server.query_url, updateEndpoint=server.update_url)
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)) as err:
        sw.query()
    assert "read-only" in str(err.value) or "403" in str(err.value)
    # and the graph store is not writable either
    req = urllib.request.Request(f"{server.store_url}?default", data=b"<urn:a> <urn:b> <urn:c> .",
                                 method="PUT", headers={"Content-Type": "text/turtle"})
    with pytest.raises(urllib.error.HTTPError) as http:
        urllib.request.urlopen(req, timeout=10)
    assert http.value.code == 403


def test_timeout_cancels_a_runaway_query_with_a_message(server) -> None:
    # a triple cross product streams rows far longer than the server's 1 s timeout
    runaway = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    _, body = raw(server.query_url, runaway, "text/csv")
    assert "The SPARQL operation has been cancelled" in body


def test_port_in_use_is_reported(server) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    with pytest.raises(ServeError, match="port"):
        start_server(server.location.parent / "none", port=port, read_only=False, wait_s=10)


# --------------------------------------------------------------------------- push


def count(sw_url: str, query: str) -> int:
    sw = SPARQLWrapper(sw_url)
    sw.setQuery(query)
    sw.setReturnFormat(JSON)
    return int(sw.query().convert()["results"]["bindings"][0]["n"]["value"])


def test_push_one_graph_per_article_and_replace_on_repush(out: Path, tmp_path: Path) -> None:
    local = graphs_of(out)
    with start_server(None, port=free_port(), read_only=False) as store:
        sent = push(out, store.store_url)
        assert sent == {("default" if g is None else g): len(t) for g, t in local.items()}
        assert set(sent) == {"default", str(graph_iri("art-istanbul-round3")), str(graph_iri(A2)),
                             str(graph_iri("art-exchange-may"))}
        a2 = str(graph_iri(A2))
        in_a2 = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{a2}> {{ ?s ?p ?o }} }}"
        assert count(store.query_url, in_a2) == sent[a2]

        # re-ingest the ultimatum article with a new headline: its graph is replaced, not added to
        corpus = istanbul_corpus()
        arts = tuple(replace(a, title="Trump shortens deadline for Putin") if a.id == A2 else a
                     for a in corpus.articles)
        second = tmp_path / "second"
        write_rdf(replace(corpus, articles=arts), second)
        push(second, store.store_url)
        headline = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a <https://schema.org/headline> ?h } "
                    "FILTER(CONTAINS(?h, \"%s\")) }")
        assert count(store.query_url, headline % "shortens") == 1
        assert count(store.query_url, headline % "cuts Putin deadline") == 0
        assert count(store.query_url, in_a2) == sent[a2]


def test_push_to_a_named_default_graph(out: Path) -> None:
    with start_server(None, port=free_port(), read_only=False) as store:
        sent = push(out, store.store_url, default_graph="https://w3id.org/kg-timeline/graph/resolved")
        assert "default" not in sent
        n = count(store.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert n == 0   # nothing in the store's own default graph
        resolved = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/kg-timeline/graph/resolved> "
                    "{ ?s ?p ?o } }")
        assert count(store.query_url, resolved) == sent["https://w3id.org/kg-timeline/graph/resolved"]


def test_push_reports_an_unreachable_store(out: Path) -> None:
    with pytest.raises(ServeError, match="cannot reach"):
        push(out, f"http://127.0.0.1:{free_port()}/store", timeout=5)


def test_served_results_match_local_query(server, out: Path) -> None:
    from kg.query import run_query
    local = run_query(out, shipped_queries()["ultimatums"]).as_dicts()
    sw = SPARQLWrapper(server.query_url)
    sw.setQuery(shipped_queries()["ultimatums"])
    sw.setReturnFormat(JSON)
    remote = [{v: b.get(v, {}).get("value") for v in local[0]} for b in sw.query().convert()["results"]["bindings"]]
    assert remote == local
    assert json.dumps(remote)  # plain values, serialisable
