"""RDF export: model shape, stable IRIs, deterministic Turtle, round trips, SHACL.

The corpus below is built by hand and mirrors the 2025 Istanbul case: three
talk rounds with heads of delegation and places, an ultimatum with a
deadline and a revised deadline, a prisoner exchange with numbers per side,
and a round whose date two sources report differently.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, SKOS

from kg.rdf import (
    KG, NIF, SEM, TIME, actor_iri, corpus_quads, corpus_to_dataset, event_iri, graph_iri, jsonld_text,
    merged_graph, read_rdf, sentence_iri, trig_text, turtle_text, type_iri, write_rdf,
)
from kg.records import Actor, Article, Claim, Corpus, Event, Link, Participant, Place, Process, Source
from kg.validate import validate

A1 = "art-istanbul-round3"
A2 = "art-ultimatum-cut"
A3 = "art-exchange-may"

S_ROUND3 = ("Ukrainian President Volodymyr Zelensky announced that the meeting is scheduled for Wednesday, "
            "although Russian and Turkish sources have offered conflicting dates, suggesting it may occur "
            "between July 23 and 24 at the Çırağan Palace in Istanbul.")
S_HEADS = ("Zelensky has appointed Secretary of the National Security and Defense Council, Rustem Umerov, "
           "to lead Kyiv’s delegation — the same official who headed previous negotiations in May and June.")
S_ULT = "Trump on July 14 gave Putin 50 days to agree to a ceasefire, until September 2."
S_CUT = "On July 28 Trump cut the deadline to 10 or 12 days, setting August 8."
S_SWAP = "Between May 23 and 25 Russia and Ukraine exchanged 1,000 prisoners each."


def src(article: str, index: int, sentence: str, start: int) -> Source:
    return Source(article=article, sentence=sentence, sentence_index=index,
                  sentence_start=start)


def part(actor: str, name: str, role: str) -> Participant:
    return Participant(actor=actor, name=name, role=role)


UMEROV = part("rustem-umerov", "Rustem Umerov", "delegation_head")
MEDINSKY = part("vladimir-medinsky", "Vladimir Medinsky", "delegation_head")
UA = part("ukraine", "Ukraine", "party")
RU = part("russia", "Russia", "party")
TR = part("turkey", "Turkey", "host")
TRUMP_ISSUER = part("donald-trump", "Donald Trump", "issuer")
PUTIN_TARGET = part("vladimir-putin", "Vladimir Putin", "target")
DOLMABAHCE = Place("dolmabahce-palace", "Dolmabahçe Palace")
CIRAGAN = Place("ciragan-palace", "Çırağan Palace", wikidata="Q1057143")


def istanbul_corpus() -> Corpus:
    """The hand-built Istanbul corpus shared by the RDF, query and server tests."""
    heads_src = src(A1, 2, S_HEADS, 900)
    round3_src = src(A1, 1, S_ROUND3, 400)
    articles = (
        Article(id=A1, origin="a1.txt", title="Ukraine and Russia Set for Another Round of Talks in Istanbul",
                text="", published=date(2025, 7, 22), reference_date=date(2025, 7, 22),
                url="https://example.org/news/istanbul-round-3", source="Example News"),
        Article(id=A2, origin="a2.txt", title="Trump cuts Putin deadline to 10-12 days", text="",
                published=date(2025, 7, 29), reference_date=date(2025, 7, 29)),
        Article(id=A3, origin="a3.txt", title="Largest prisoner swap of the war", text="",
                published=date(2025, 5, 26), reference_date=date(2025, 5, 26)),
    )
    actors = (
        Actor("rustem-umerov", "Rustem Umerov", "person", aliases=("Umerov",), affiliation="ukraine",
              title="Secretary of the National Security and Defense Council"),
        Actor("vladimir-medinsky", "Vladimir Medinsky", "person", aliases=("Medinsky",), affiliation="russia"),
        Actor("volodymyr-zelensky", "Volodymyr Zelensky", "person", aliases=("Zelensky", "Zelenskyy"),
              wikidata="Q3874799"),
        Actor("donald-trump", "Donald Trump", "person", aliases=("Trump",), wikidata="Q22686"),
        Actor("vladimir-putin", "Vladimir Putin", "person", aliases=("Putin",), wikidata="Q7747"),
        Actor("ukraine", "Ukraine", "country", aliases=("Kyiv",), wikidata="Q212"),
        Actor("russia", "Russia", "country", aliases=("Moscow", "the Kremlin"), wikidata="Q159"),
        Actor("turkey", "Turkey", "country", aliases=("Türkiye",), wikidata="Q43"),
    )
    rounds_parts = (UMEROV, MEDINSKY, UA, RU, TR)
    events = (
        Event(id="ev-round-1", type="TalkRound", label="First round of Istanbul talks",
              start=date(2025, 5, 16), end=date(2025, 5, 16), precision="day", time_text="May 16",
              modality="occurred", participants=rounds_parts, places=(DOLMABAHCE,), quantities=(),
              sources=(heads_src,), ordinal=1, process="istanbul-talks-2025", edtf="2025-05-16"),
        Event(id="ev-round-2", type="TalkRound", label="Second round of Istanbul talks",
              start=date(2025, 6, 2), end=date(2025, 6, 2), precision="day", time_text="June 2",
              modality="occurred", participants=rounds_parts, places=(CIRAGAN,), quantities=(),
              sources=(heads_src,), ordinal=2, process="istanbul-talks-2025", edtf="2025-06-02"),
        Event(id="ev-round-3", type="TalkRound", label="Third round of Istanbul talks",
              start=date(2025, 7, 23), end=date(2025, 7, 23), precision="day", time_text="Wednesday",
              modality="scheduled", participants=rounds_parts, places=(CIRAGAN,), quantities=(),
              sources=(round3_src, heads_src), ordinal=3, process="istanbul-talks-2025", edtf="2025-07-23",
              claims=(
                  Claim(date(2025, 7, 23), date(2025, 7, 23), "day", "Wednesday", "volodymyr-zelensky",
                        round3_src),
                  Claim(date(2025, 7, 23), date(2025, 7, 24), "interval", "between July 23 and 24", "russia",
                        round3_src),
              ),
              resolution_note="the head of state's announced day is preferred over unnamed sources"),
        Event(id="ev-ultimatum", type="Ultimatum", label="Trump's 50-day ultimatum to Putin",
              start=date(2025, 7, 14), end=date(2025, 7, 14), precision="day", time_text="July 14",
              modality="occurred", participants=(TRUMP_ISSUER, PUTIN_TARGET), places=(), quantities=(),
              sources=(src(A2, 0, S_ULT, 0),)),
        Event(id="ev-deadline-50", type="Deadline", label="50-day deadline", start=date(2025, 9, 2),
              end=date(2025, 9, 2), precision="day", time_text="September 2", modality="threatened",
              participants=(TRUMP_ISSUER, PUTIN_TARGET), places=(), quantities=(),
              sources=(src(A2, 0, S_ULT, 0),)),
        Event(id="ev-deadline-cut", type="Deadline", label="Shortened deadline", start=date(2025, 8, 8),
              end=date(2025, 8, 8), precision="day", time_text="August 8", modality="threatened",
              participants=(TRUMP_ISSUER, PUTIN_TARGET), places=(), quantities=(),
              sources=(src(A2, 1, S_CUT, 80),)),
        Event(id="ev-swap-may", type="PrisonerExchange", label="1000-for-1000 prisoner exchange",
              start=date(2025, 5, 23), end=date(2025, 5, 25), precision="interval",
              time_text="between May 23 and 25", modality="occurred", participants=(UA, RU), places=(),
              quantities=(("prisoners_per_side", 1000), ("prisoners_total", 2000)),
              sources=(src(A3, 0, S_SWAP, 0),), process="istanbul-talks-2025"),
    )
    links = (
        Link("ev-round-1", "ev-round-2", "next"),
        Link("ev-round-2", "ev-round-3", "next"),
        Link("ev-deadline-50", "ev-ultimatum", "deadline_of", date(2025, 7, 14)),
        Link("ev-deadline-cut", "ev-deadline-50", "revises", date(2025, 7, 28)),
        Link("ev-deadline-cut", "ev-ultimatum", "deadline_of", date(2025, 7, 28)),
    )
    processes = (Process("istanbul-talks-2025", "Istanbul talks 2025",
                         ("ev-round-1", "ev-round-2", "ev-round-3", "ev-swap-may")),)
    return Corpus(articles=articles, events=events, actors=actors, links=links, processes=processes)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return istanbul_corpus()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Path:
    d = tmp_path_factory.mktemp("rdf")
    write_rdf(corpus, d)
    return d


def triples_of(g: Graph) -> set[tuple]:
    """Triples with ``"x"^^xsd:string`` read as ``"x"`` (the same RDF 1.1 literal; oxrdflib types it)."""
    def norm(o):
        return Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o
    return {(s, p, norm(o)) for s, p, o in g.triples((None, None, None))}


# --------------------------------------------------------------------------- model


def test_event_model_uses_sem_owl_time_and_prov(corpus: Corpus) -> None:
    g = corpus_to_dataset(corpus)
    ev = event_iri("ev-round-3")
    assert (ev, RDF.type, SEM.Event) in g
    assert (ev, SEM.eventType, type_iri("TalkRound")) in g
    assert (ev, SEM.hasBeginTimeStamp, Literal("2025-07-23", datatype=XSD.date)) in g
    interval = g.value(ev, TIME.hasTime)
    assert g.value(interval, KG.precision) == Literal("day")
    assert g.value(interval, KG.timeText) == Literal("Wednesday")
    begin = g.value(interval, TIME.hasBeginning)
    assert g.value(begin, TIME.inXSDDate) == Literal("2025-07-23", datatype=XSD.date)
    # sources: the article and the sentence, with offsets
    sent = sentence_iri(A1, 1)
    assert (ev, PROV.wasDerivedFrom, sent) in g
    assert g.value(sent, NIF.beginIndex).toPython() == 400
    assert g.value(sent, NIF.endIndex).toPython() == 400 + len(S_ROUND3)
    assert str(g.value(sent, NIF.anchorOf)) == S_ROUND3


def test_roles_are_dated_sem_roles(corpus: Corpus) -> None:
    g = corpus_to_dataset(corpus)
    ev = event_iri("ev-round-2")
    heads = []
    for role in g.objects(ev, SEM.hasActor):
        assert (role, RDF.type, SEM.Role) in g
        assert g.value(role, SEM.hasBeginTimeStamp) == Literal("2025-06-02", datatype=XSD.date)
        if g.value(role, SEM.roleType).endswith("/delegation_head"):
            heads.append(g.value(g.value(role, RDF.value), RDFS.label))
    assert sorted(map(str, heads)) == ["Rustem Umerov", "Vladimir Medinsky"]


def test_uncertain_time_has_bounds_but_no_exact_stamp() -> None:
    ev = Event(id="ev-june", type="TalkRound", label="talks in June", start=date(2025, 6, 1),
               end=date(2025, 6, 30), precision="month", time_text="in June", modality="occurred",
               participants=(), places=(), quantities=(), sources=(src("a", 0, "x", 0),))
    g = corpus_to_dataset(Corpus(articles=(), events=(ev,), actors=()))
    e = event_iri("ev-june")
    assert g.value(e, SEM.hasEarliestBeginTimeStamp) == Literal("2025-06-01", datatype=XSD.date)
    assert g.value(e, SEM.hasLatestEndTimeStamp) == Literal("2025-06-30", datatype=XSD.date)
    assert g.value(e, SEM.hasBeginTimeStamp) is None


def test_actors_link_to_wikidata_and_scheme_has_codes(corpus: Corpus) -> None:
    g = corpus_to_dataset(corpus)
    assert (actor_iri("vladimir-putin"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q7747")) in g
    assert (actor_iri("rustem-umerov"), SKOS.altLabel, Literal("Umerov")) in g
    notations = set(g.objects(type_iri("TalkRound"), SKOS.notation))
    assert notations == {Literal("046", datatype=KG.cameoCode), Literal("CONSULT", datatype=KG.ploverCode)}
    assert (type_iri("Deadline"), SKOS.prefLabel, Literal("deadline", lang="en")) in g


def test_each_article_has_its_own_named_graph(corpus: Corpus) -> None:
    ds = corpus_to_dataset(corpus)
    names = {c.identifier for c in ds.graphs() if isinstance(c.identifier, URIRef)
             and str(c.identifier).startswith("https://w3id.org/kg-timeline/graph/")}
    assert names == {graph_iri(A1), graph_iri(A2), graph_iri(A3)}
    a2 = ds.graph(graph_iri(A2))
    # the ultimatum article's graph says where the deadlines come from, nothing about round 3
    assert (event_iri("ev-deadline-cut"), PROV.wasDerivedFrom, sentence_iri(A2, 1)) in a2
    assert not list(a2.triples((event_iri("ev-round-3"), None, None)))
    # the round-3 claims live in the graph of the article that made them
    a1 = ds.graph(graph_iri(A1))
    assert len(list(a1.objects(event_iri("ev-round-3"), KG.hasClaim))) == 2


def test_iris_are_derived_from_content(corpus: Corpus) -> None:
    assert corpus_quads(corpus) == corpus_quads(istanbul_corpus())
    claim_iris = {str(s) for s, p, o, g in corpus_quads(corpus) if p == KG.hasClaim for s in [o]}
    assert all(i.startswith(str(event_iri("ev-round-3")) + "/claim/claim-") for i in claim_iris)


# --------------------------------------------------------------------------- files


def test_write_rdf_writes_three_files_deterministically(tmp_path: Path, corpus: Corpus) -> None:
    first = write_rdf(corpus, tmp_path / "one")
    second = write_rdf(corpus, tmp_path / "two")
    assert set(first) == {"turtle", "trig", "jsonld"}
    for key in first:
        assert first[key].read_bytes() == second[key].read_bytes(), key
    ttl = first["turtle"].read_text(encoding="utf-8")
    assert ttl.startswith("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n")
    assert "@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> ." in ttl
    # no temporary files left behind by the atomic writes
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["graph.jsonld", "graph.trig", "graph.ttl"]


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_turtle_round_trip(out: Path, corpus: Corpus, store: str) -> None:
    expected = {(s, p, o) for s, p, o, _ in corpus_quads(corpus)}
    g = read_rdf(out / "graph.ttl", store=store)
    assert triples_of(g) == expected
    assert triples_of(read_rdf(out, store=store)) == expected   # a directory means its graph.ttl


def test_trig_round_trip_keeps_named_graphs(out: Path, corpus: Corpus) -> None:
    ds = read_rdf(out / "graph.trig", store="memory")
    assert isinstance(ds, Dataset)
    quads = {(s, p, o, getattr(c, "identifier", c)) for s, p, o, c in ds.quads((None, None, None, None))}
    got = {q for q in quads if "/graph/" in str(q[3])}
    expected = {(s, p, o, g) for s, p, o, g in corpus_quads(corpus) if g is not None}
    assert got == expected


def test_jsonld_uses_plain_keys_and_round_trips(out: Path, corpus: Corpus) -> None:
    doc = json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))
    nodes = {n["id"]: n for n in doc["@graph"]}
    r3 = nodes["event:ev-round-3"]
    assert r3["label"] == "Third round of Istanbul talks"
    assert r3["start"] == "2025-07-23"
    assert r3["eventType"] == "https://w3id.org/kg-timeline/type/TalkRound"
    assert len(r3["actors"]) == 5
    assert r3["places"] == ["place:ciragan-palace"]
    assert nodes["https://w3id.org/kg-timeline/event/ev-swap-may/quantity/prisoners_per_side"]["value"] == 1000
    expected = {(s, p, o) for s, p, o, _ in corpus_quads(corpus)}
    assert triples_of(read_rdf(out / "graph.jsonld")) == expected


def test_fast_writer_and_rdflib_terms_give_the_same_graph(out: Path, corpus: Corpus) -> None:
    """The files are written from N-Triples strings; the API's graphs are built from rdflib terms."""
    written = Graph().parse(out / "graph.ttl", format="turtle")
    assert isomorphic(written, merged_graph(corpus))
    # rdflib's own serializer of the rdflib-term graph reads back as the same graph
    assert isomorphic(Graph().parse(data=merged_graph(corpus).serialize(format="turtle"), format="turtle"),
                      written)
    # named graphs, one by one
    trig = Dataset().parse(out / "graph.trig", format="trig")
    expected = corpus_to_dataset(corpus)
    names = {c.identifier for c in expected.graphs() if "/graph/" in str(c.identifier)}
    assert names == {c.identifier for c in trig.graphs() if "/graph/" in str(c.identifier)}
    for name in names:
        assert isomorphic(trig.graph(name), expected.graph(name)), name
    # the writers given rdflib-term quads (as kg.api does) write the same bytes
    quads = corpus_quads(corpus)
    for text, file in ((turtle_text(quads), "graph.ttl"), (trig_text(quads), "graph.trig"),
                       (jsonld_text(quads), "graph.jsonld")):
        assert text == (out / file).read_text(encoding="utf-8"), file


def test_awkward_text_and_numbers_round_trip(tmp_path: Path, corpus: Corpus) -> None:
    """Quotes, backslashes, control and non-BMP characters, decimals: escaped by hand, read back intact."""
    text = 'He said "no" \\ then\nleft\t\x01\x7f é 😀 <b> \\u0041'
    ev = replace(corpus.events[0], id="ev odd/é", label=text, resolution_note=text, time_text="",
                 quantities=(("ratio", 1.5), ("tiny", 1e-07), ("whole", 3.0)),
                 sources=(Source(article="art odd", sentence=text, sentence_index=0, sentence_start=0,
                                 url="not a url"),))
    odd = replace(corpus, events=(*corpus.events, ev),
                  actors=(*corpus.actors, Actor("x y", text, "media", aliases=(text,), affiliation="Some Org")))
    write_rdf(odd, tmp_path)
    expected = {(s, p, o) for s, p, o, _ in corpus_quads(odd)}
    assert (event_iri("ev odd/é"), RDFS.label, Literal(text)) in expected
    values = {str(o) for s, p, o in expected if p == RDF.value and isinstance(o, Literal)}
    assert {"1.5", "0.0000001", "3"} <= values
    for store in ("oxigraph", "memory"):
        assert triples_of(read_rdf(tmp_path / "graph.ttl", store=store)) == expected, store
    assert triples_of(read_rdf(tmp_path / "graph.jsonld")) == expected


def test_read_rdf_reports_missing_input(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="graph.ttl"):
        read_rdf(tmp_path)


# --------------------------------------------------------------------------- ontology


def test_every_own_term_is_defined_in_the_ontology() -> None:
    from kg.resources import data_file
    onto = Graph().parse(data=data_file("ontology.ttl").read_text(encoding="utf-8"), format="turtle")
    defined = {s for s in onto.subjects(RDFS.label, None) if str(s).startswith(str(KG._NS))}
    used = {KG[name] for name in KG.__annotations__}
    assert used == defined
    for term in used:
        assert onto.value(term, RDFS.comment) is not None, term


# --------------------------------------------------------------------------- SHACL


def test_sample_graph_conforms(corpus: Corpus) -> None:
    conforms, lines = validate(corpus_to_dataset(corpus))
    assert conforms, lines
    assert lines == []


def test_validate_reads_an_output_directory(out: Path) -> None:
    conforms, _ = validate(out)
    assert conforms


def test_broken_graph_is_caught_with_readable_messages(corpus: Corpus) -> None:
    events = []
    for ev in corpus.events:
        if ev.id == "ev-round-1":
            ev = replace(ev, sources=())                           # event without a source
        events.append(ev)
    links = tuple(lk for lk in corpus.links if lk.type != "deadline_of")  # ultimatum without deadline
    broken = Corpus(articles=corpus.articles, events=tuple(events), actors=corpus.actors, links=links,
                    processes=corpus.processes)
    conforms, lines = validate(corpus_to_dataset(broken))
    assert not conforms
    text = "\n".join(lines)
    assert len(lines) == 2, text
    assert any("First round of Istanbul talks" in ln and "source" in ln for ln in lines), text
    assert any("Trump's 50-day ultimatum to Putin" in ln and "deadline" in ln for ln in lines), text


def test_event_type_outside_scheme_and_non_date_caught(corpus: Corpus) -> None:
    g = corpus_to_dataset(corpus)
    ev = event_iri("ev-ultimatum")
    g.remove((ev, SEM.eventType, None))
    g.add((ev, SEM.eventType, type_iri("Invasion")))
    g.remove((ev, SEM.hasBeginTimeStamp, None))
    g.add((ev, SEM.hasBeginTimeStamp, Literal("14 July 2025")))
    conforms, lines = validate(g)
    assert not conforms
    text = "\n".join(lines)
    assert "event type" in text and "xsd:date" in text, text
