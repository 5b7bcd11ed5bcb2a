"""The corpus as linked data: RDF dataset, deterministic Turtle / TriG / JSON-LD.

The model (documented in ``docs/model.md``) reuses standard vocabularies:
SEM for events, actors, places and roles; OWL-Time for intervals; PROV-O
and NIF for provenance down to the sentence; SKOS for the event-type
scheme; schema.org for articles; ``owl:sameAs`` to Wikidata.  Our own
namespace :class:`KG` (``data/ontology.ttl``) only adds what none of them
covers: modality, precision, conflicting claims, quantities, ordinals and
the process links between events.

Each article gets a named graph holding what it says (the article, its
sentences, which events derive from them, its conflicting claims); the
default graph holds the resolved events, actors, places and the scheme.
``graph.ttl`` is the union of both, ``graph.trig`` keeps them apart.

IRIs are derived from record ids (themselves derived from content), never
from counters, so re-running the pipeline yields the same IRIs.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, DefinedNamespace
from rdflib.term import Node

from kg.ids import make_id
from kg.records import Actor, Claim, Corpus, Event, Place, Source
from kg.resources import data_file, load_toml

BASE = "https://w3id.org/kg-timeline/"
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
TIME = Namespace("http://www.w3.org/2006/time#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
EDTF = URIRef("http://id.loc.gov/datatypes/edtf/EDTF")

EVENT = Namespace(BASE + "event/")
ACTOR = Namespace(BASE + "actor/")
PLACE = Namespace(BASE + "place/")
ARTICLE = Namespace(BASE + "article/")
PROCESS = Namespace(BASE + "process/")
ROLE_TYPE = Namespace(BASE + "role-type/")
GRAPH = Namespace(BASE + "graph/")
ROLE_SCHEME = URIRef(BASE + "role-type")


class KG(DefinedNamespace):
    """Our own terms, each defined with a label and a comment in ``data/ontology.ttl``."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Claim: URIRef        # one article's report of an event's time, kept when reports disagree
    Quantity: URIRef     # a counted amount attached to an event
    Process: URIRef      # a series of related events (a negotiation track)
    EventLink: URIRef    # a dated, typed edge between two events
    # datatypes for skos:notation
    cameoCode: URIRef
    ploverCode: URIRef
    # properties
    modality: URIRef
    precision: URIRef
    timeText: URIRef
    edtf: URIRef
    ordinal: URIRef
    resolutionNote: URIRef
    hasClaim: URIRef
    hasQuantity: URIRef
    quantityKind: URIRef
    sentenceIndex: URIRef
    linkSource: URIRef
    linkTarget: URIRef
    relation: URIRef
    linkKind: URIRef
    next: URIRef
    revises: URIRef
    deadlineOf: URIRef
    followsUp: URIRef
    relatedTo: URIRef


# Link.type values with a dedicated property; others become kg:relatedTo.
LINK_PROPERTIES: dict[str, URIRef] = {
    "next": KG.next,
    "revises": KG.revises,
    "deadline_of": KG.deadlineOf,
    "follows_up": KG.followsUp,
}

ACTOR_CLASSES: dict[str, URIRef] = {
    "person": SCHEMA.Person,
    "organization": SCHEMA.Organization,
    "country": SCHEMA.Country,
    "media": SCHEMA.NewsMediaOrganization,
}

# Prefixes bound in every output, in the order they are written.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "sem": str(SEM),
    "time": str(TIME),
    "nif": str(NIF),
    "wd": str(WD),
    "kg": str(KG._NS),
    "event": str(EVENT),
    "actor": str(ACTOR),
    "place": str(PLACE),
    "article": str(ARTICLE),
    "process": str(PROCESS),
    "roletype": str(ROLE_TYPE),
    "graph": str(GRAPH),
}

Quad = tuple[Node, Node, Node, URIRef | None]   # graph None = default graph


# --------------------------------------------------------------------------- IRIs

def _seg(key: str) -> str:
    """Percent-encode an id for use as one IRI path segment."""
    return quote(key, safe="-_.~")


def event_iri(event_id: str) -> URIRef:
    """The stable IRI of an event.

    >>> str(event_iri("event-1"))
    'https://w3id.org/kg-timeline/event/event-1'
    """
    return EVENT[_seg(event_id)]


def actor_iri(actor_id: str) -> URIRef:
    return ACTOR[_seg(actor_id)]


def place_iri(place_id: str) -> URIRef:
    return PLACE[_seg(place_id)]


def article_iri(article_id: str) -> URIRef:
    return ARTICLE[_seg(article_id)]


def graph_iri(article_id: str) -> URIRef:
    """The named graph holding what one article says."""
    return GRAPH[_seg(article_id)]


def sentence_iri(article_id: str, index: int) -> URIRef:
    return URIRef(f"{article_iri(article_id)}/sentence/{index}")


def wikidata_iri(qid: str) -> URIRef:
    """Accept ``Q123`` or a full entity IRI.

    >>> str(wikidata_iri("Q212"))
    'http://www.wikidata.org/entity/Q212'
    """
    return URIRef(qid) if qid.startswith("http") else WD[qid.strip()]


@cache
def scheme() -> dict[str, Any]:
    """The event-type scheme, with its namespace and scheme IRI."""
    data = load_toml("event_types.toml")
    ns = data["scheme"]["namespace"]
    return {"namespace": ns, "iri": URIRef(ns.rstrip("/#")), "label": data["scheme"]["label"],
            "types": data["types"]}


def type_iri(name: str) -> URIRef:
    return URIRef(scheme()["namespace"] + _seg(name))


def role_type_iri(role: str) -> URIRef:
    return ROLE_TYPE[_seg(role)]


# --------------------------------------------------------------------------- quads

def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _number(value: int | float) -> Literal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"quantity must be a number, got {value!r}")
    if isinstance(value, int) or float(value).is_integer():
        return Literal(str(int(value)), datatype=XSD.integer)
    # decimal, not double: "1.5" prisoners should read back as written
    return Literal(str(Decimal(str(value))), datatype=XSD.decimal)


def _timestamps(node: URIRef, start: date | None, end: date | None, precision: str) -> Iterator[tuple]:
    """SEM time stamps: exact begin/end for day-precise times, bounds always.

    A time known to the month only says the event began no earlier than the
    first and ended no later than the last day of it; only a day-precise time
    (or an interval of exact days) gets ``hasBeginTimeStamp``/``hasEndTimeStamp``.
    """
    if start is not None:
        yield node, SEM.hasEarliestBeginTimeStamp, _date(start)
    if end is not None:
        yield node, SEM.hasLatestEndTimeStamp, _date(end)
    if precision in ("day", "interval"):
        if start is not None:
            yield node, SEM.hasBeginTimeStamp, _date(start)
        if end is not None:
            yield node, SEM.hasEndTimeStamp, _date(end)


def _time(node: URIRef, start: date | None, end: date | None, precision: str,
          text: str, edtf: str | None) -> Iterator[tuple]:
    """An OWL-Time interval at ``<node>/time`` with its precision and original words."""
    t = URIRef(f"{node}/time")
    yield node, TIME.hasTime, t
    yield t, RDF.type, TIME.ProperInterval
    yield t, KG.precision, Literal(precision)
    if text:
        yield t, KG.timeText, Literal(text)
    if edtf:
        yield t, KG.edtf, Literal(edtf, datatype=EDTF)
    for prop, value, suffix in ((TIME.hasBeginning, start, "begin"), (TIME.hasEnd, end, "end")):
        if value is not None:
            instant = URIRef(f"{t}/{suffix}")
            yield t, prop, instant
            yield instant, RDF.type, TIME.Instant
            yield instant, TIME.inXSDDate, _date(value)


def _iri_or_literal(url: str) -> Node:
    """``schema:url`` as an IRI when it is one, else an ``xsd:anyURI`` literal."""
    if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
        return URIRef(url)
    return Literal(url, datatype=XSD.anyURI)


def _scheme_quads(used_roles: Iterable[str]) -> Iterator[tuple]:
    """The event-type scheme and the role-type scheme as SKOS.

    Types outside the scheme are not declared, so validation flags events using them.
    """
    s = scheme()
    yield s["iri"], RDF.type, SKOS.ConceptScheme
    yield s["iri"], SKOS.prefLabel, Literal(s["label"], lang="en")
    roles: set[str] = set(used_roles)
    for name, spec in s["types"].items():
        c = type_iri(name)
        yield c, RDF.type, SKOS.Concept
        yield c, RDF.type, SEM.EventType
        yield c, SKOS.inScheme, s["iri"]
        yield c, SKOS.topConceptOf, s["iri"]
        yield c, SKOS.prefLabel, Literal(spec["label"], lang="en")
        if spec.get("definition"):
            yield c, SKOS.definition, Literal(spec["definition"], lang="en")
        if spec.get("cameo"):
            yield c, SKOS.notation, Literal(spec["cameo"], datatype=KG.cameoCode)
        if spec.get("plover"):
            yield c, SKOS.notation, Literal(spec["plover"], datatype=KG.ploverCode)
        roles.update(spec.get("roles", ()))
    yield ROLE_SCHEME, RDF.type, SKOS.ConceptScheme
    yield ROLE_SCHEME, SKOS.prefLabel, Literal("Roles of participants in events", lang="en")
    for role in sorted(roles):
        r = role_type_iri(role)
        yield r, RDF.type, SKOS.Concept
        yield r, RDF.type, SEM.RoleType
        yield r, SKOS.inScheme, ROLE_SCHEME
        yield r, SKOS.prefLabel, Literal(role.replace("_", " "), lang="en")


def _actor_quads(actor: Actor, known_actors: set[str]) -> Iterator[tuple]:
    a = actor_iri(actor.id)
    yield a, RDF.type, SEM.Actor
    if actor.kind in ACTOR_CLASSES:
        yield a, RDF.type, ACTOR_CLASSES[actor.kind]
    yield a, RDFS.label, Literal(actor.name)
    for alias in actor.aliases:
        if alias != actor.name:
            yield a, SKOS.altLabel, Literal(alias)
    if actor.wikidata:
        yield a, OWL.sameAs, wikidata_iri(actor.wikidata)
    if actor.title:
        yield a, SCHEMA.jobTitle, Literal(actor.title)
    if actor.affiliation:
        # an affiliation naming a known actor becomes an edge, else stays text
        if actor.affiliation in known_actors:
            yield a, SCHEMA.affiliation, actor_iri(actor.affiliation)
        else:
            yield a, SCHEMA.affiliation, Literal(actor.affiliation)


def _place_quads(place: Place) -> Iterator[tuple]:
    p = place_iri(place.id)
    yield p, RDF.type, SEM.Place
    yield p, RDF.type, SCHEMA.Place
    yield p, RDFS.label, Literal(place.name)
    if place.wikidata:
        yield p, OWL.sameAs, wikidata_iri(place.wikidata)


def _source_quads(subject: URIRef, source: Source) -> Iterator[tuple]:
    """PROV derivation of ``subject`` from an article and its sentence (NIF offsets)."""
    art = article_iri(source.article)
    sent = sentence_iri(source.article, source.sentence_index)
    yield subject, PROV.wasDerivedFrom, art
    yield subject, PROV.wasDerivedFrom, sent
    yield sent, RDF.type, NIF.Sentence
    yield sent, RDF.type, PROV.Entity
    yield sent, NIF.anchorOf, Literal(source.sentence)
    yield sent, NIF.referenceContext, art
    yield sent, KG.sentenceIndex, Literal(str(source.sentence_index), datatype=XSD.integer)
    if source.sentence_start is not None:  # the sentence's span in the article's cleaned text
        yield sent, NIF.beginIndex, Literal(str(source.sentence_start), datatype=XSD.integer)
        yield sent, NIF.endIndex, Literal(str(source.sentence_start + len(source.sentence)), datatype=XSD.integer)


def _article_quads(article_id: str, title: str | None, published: date | None,
                   url: str | None, publisher: str | None) -> Iterator[tuple]:
    art = article_iri(article_id)
    yield art, RDF.type, SCHEMA.NewsArticle
    yield art, RDF.type, PROV.Entity
    if title:
        yield art, SCHEMA.headline, Literal(title)
    if published is not None:
        yield art, SCHEMA.datePublished, _date(published)
    if url:
        yield art, SCHEMA.url, _iri_or_literal(url)
    if publisher:
        yield art, SCHEMA.publisher, Literal(publisher)


def _claim_quads(ev: URIRef, claim: Claim) -> Iterator[tuple]:
    src = claim.source
    key = make_id("claim", src.article, src.sentence_index, claim.start, claim.end,
                  claim.time_text, claim.attribution)
    c = URIRef(f"{ev}/claim/{key}")
    yield ev, KG.hasClaim, c
    yield c, RDF.type, KG.Claim
    yield c, RDF.type, PROV.Entity
    if claim.attribution:
        yield c, PROV.wasAttributedTo, actor_iri(claim.attribution)
    yield from _timestamps(c, claim.start, claim.end, claim.precision)
    yield from _time(c, claim.start, claim.end, claim.precision, claim.time_text, None)
    yield from _source_quads(c, src)


def _event_quads(event: Event) -> Iterator[tuple]:
    """Default-graph triples of one resolved event (sources go to article graphs)."""
    ev = event_iri(event.id)
    yield ev, RDF.type, SEM.Event
    yield ev, RDFS.label, Literal(event.label)
    yield ev, SEM.eventType, type_iri(event.type)
    yield ev, KG.modality, Literal(event.modality)
    yield from _timestamps(ev, event.start, event.end, event.precision)
    yield from _time(ev, event.start, event.end, event.precision, event.time_text, event.edtf)
    for part in event.participants:
        # SEM role pattern: the event points at a role node whose rdf:value is
        # the actor; the node carries the event's time so the edge is dated.
        r = URIRef(f"{ev}/role/{_seg(part.role)}/{_seg(part.actor)}")
        yield ev, SEM.hasActor, r
        yield r, RDF.type, SEM.Role
        yield r, RDF.value, actor_iri(part.actor)
        yield r, SEM.roleType, role_type_iri(part.role)
        yield from _timestamps(r, event.start, event.end, event.precision)
    for place in event.places:
        yield ev, SEM.hasPlace, place_iri(place.id)
    for kind, value in event.quantities:
        q = URIRef(f"{ev}/quantity/{_seg(kind)}")
        yield ev, KG.hasQuantity, q
        yield q, RDF.type, KG.Quantity
        yield q, KG.quantityKind, Literal(kind)
        yield q, RDF.value, _number(value)
    if event.ordinal is not None:
        yield ev, KG.ordinal, Literal(str(event.ordinal), datatype=XSD.integer)
    if event.resolution_note:
        yield ev, KG.resolutionNote, Literal(event.resolution_note)
    if event.process:
        yield ev, DCTERMS.isPartOf, PROCESS[_seg(event.process)]


def corpus_quads(corpus: Corpus) -> list[Quad]:
    """All quads of the corpus, deduplicated, in a deterministic order.

    The fourth element is the named graph (an article's graph) or ``None``
    for the default graph.
    """
    out: dict[Quad, None] = {}   # insertion-ordered set

    def add(triples: Iterable[tuple], g: URIRef | None = None) -> None:
        for s, p, o in triples:
            out[(s, p, o, g)] = None

    known_actors = {a.id for a in corpus.actors}
    used_roles: set[str] = set()
    for actor in corpus.actors:
        add(_actor_quads(actor, known_actors))
    places: dict[str, Place] = {}
    for event in corpus.events:
        add(_event_quads(event))
        used_roles.update(p.role for p in event.participants)
        for part in event.participants:
            if part.actor not in known_actors:
                # keep the graph self-contained: an actor seen only as a participant
                add(_actor_quads(Actor(id=part.actor, name=part.name, kind=""), known_actors))
                known_actors.add(part.actor)
        for place in event.places:
            places.setdefault(place.id, place)
        ev = event_iri(event.id)
        for src in event.sources:
            add(_source_quads(ev, src), graph_iri(src.article))
        for claim in event.claims:
            add(_claim_quads(ev, claim), graph_iri(claim.source.article))
    for place in places.values():
        add(_place_quads(place))
    add(_scheme_quads(used_roles))

    # articles: the corpus record wins; sources fill in articles not listed
    seen_articles: set[str] = set()
    for art in corpus.articles:
        seen_articles.add(art.id)
        add(_article_quads(art.id, art.title, art.published, art.url, art.source), graph_iri(art.id))
    for event in corpus.events:
        for src in (*event.sources, *(c.source for c in event.claims)):
            if src.article not in seen_articles:
                seen_articles.add(src.article)
                add(_article_quads(src.article, src.title, src.published, src.url, None),
                    graph_iri(src.article))

    for link in corpus.links:
        s, t = event_iri(link.source), event_iri(link.target)
        prop = LINK_PROPERTIES.get(link.type, KG.relatedTo)
        node = URIRef(f"{s}/link/{_seg(link.type)}/{_seg(link.target)}")
        triples = [(s, prop, t), (node, RDF.type, KG.EventLink), (node, KG.linkSource, s),
                   (node, KG.linkTarget, t), (node, KG.relation, prop), (node, KG.linkKind, Literal(link.type))]
        if link.date is not None:
            triples.append((node, DCTERMS.date, _date(link.date)))
        add(triples)
    for proc in corpus.processes:
        pi = PROCESS[_seg(proc.id)]
        add([(pi, RDF.type, KG.Process), (pi, RDFS.label, Literal(proc.label))])
        add((event_iri(e), DCTERMS.isPartOf, pi) for e in proc.events)
    for event in corpus.events:
        if event.process and event.process not in {p.id for p in corpus.processes}:
            add([(PROCESS[_seg(event.process)], RDF.type, KG.Process)])
    return list(out)


def _bind(g: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)


def corpus_to_dataset(corpus: Corpus) -> Dataset:
    """The corpus as an rdflib Dataset: one named graph per article plus the default graph.

    The dataset's default view is the union (``default_union=True``), so
    ``ds.query(...)`` sees the merged graph.
    """
    ds = Dataset(default_union=True)
    _bind(ds)
    default = ds.default_graph
    graphs: dict[URIRef, Graph] = {}
    batch = []
    for s, p, o, g in corpus_quads(corpus):
        if g is None:
            ctx = default
        else:
            ctx = graphs.get(g)
            if ctx is None:
                ctx = graphs[g] = ds.graph(g)
        batch.append((s, p, o, ctx))
    ds.addN(batch)
    return ds


def merged_graph(corpus: Corpus) -> Graph:
    """The union of all graphs as one in-memory rdflib Graph (what ``graph.ttl`` holds)."""
    g = Graph()
    _bind(g)
    for s, p, o, _ in corpus_quads(corpus):
        g.add((s, p, o))
    return g


# --------------------------------------------------------------------------- writers

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')
_BARE_INTEGER = re.compile(r"[+-]?[0-9]+")


def _escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text)


_RDF_TYPE = RDF.type   # looked up once: DefinedNamespace attribute access is slow in hot loops


class _TermWriter:
    """Turtle text of terms, with prefixed names where the local part allows it."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # every namespace ends in "/" or "#": split an IRI there and look the rest up
        self._ns = {ns: p for p, ns in prefixes.items()}
        self._cache: dict[Node, str] = {}
        self._iris: dict[str, str] = {}

    def iri(self, term: str) -> str:
        text = self._iris.get(term)
        if text is not None:
            return text
        iri = str(term)
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self._ns.get(iri[:cut])
        local = iri[cut:]
        if prefix is not None and _LOCAL.fullmatch(local):
            text = f"{prefix}:{local}"
        else:
            text = "<" + iri.replace(">", "%3E") + ">"
        if len(self._iris) < 2_000_000:
            self._iris[iri] = text
        return text

    def term(self, term: Node) -> str:
        cached = self._cache.get(term)
        if cached is not None:
            return cached
        if isinstance(term, URIRef):
            text = "a" if term == _RDF_TYPE else self.iri(term)
        elif isinstance(term, Literal):
            text = self.literal(term)
        elif isinstance(term, BNode):
            text = f"_:{term}"
        else:
            raise TypeError(f"cannot write {term!r} as Turtle")
        if isinstance(term, URIRef) or len(self._cache) < 200_000:
            self._cache[term] = text
        return text

    def literal(self, lit: Literal) -> str:
        lex = str(lit)
        if lit.datatype == XSD.integer and _BARE_INTEGER.fullmatch(lex):
            return lex
        body = f'"{_escape(lex)}"'
        if lit.language:
            return f"{body}@{lit.language}"
        if lit.datatype and lit.datatype != XSD.string:
            return f"{body}^^{self.iri(lit.datatype)}"
        return body


def _triples_block(triples: Iterable[tuple[Node, Node, Node]], w: _TermWriter, indent: str) -> Iterator[str]:
    """Turtle statements grouped by subject and predicate, every level sorted."""
    by_subject: dict[str, dict[tuple[int, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    term = w.term
    for s, p, o in triples:
        # rdf:type first, then predicates alphabetically by their written form
        pt = term(p)
        by_subject[term(s)][(0 if pt == "a" else 1, pt)].add(term(o))
    for subject in sorted(by_subject):
        preds = by_subject[subject]
        parts = [f"{pt} {', '.join(sorted(objs))}" for (_, pt), objs in sorted(preds.items())]
        sep = f" ;\n{indent}    "
        yield f"{indent}{subject} {sep.join(parts)} .\n"


def _prefix_lines() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


def turtle_text(quads: Iterable[Quad]) -> str:
    """Deterministic Turtle of the union of ``quads`` (graph names dropped)."""
    w = _TermWriter(PREFIXES)
    triples = {(s, p, o) for s, p, o, _ in quads}
    blocks = _triples_block(triples, w, "")
    return _prefix_lines() + "\n" + "\n".join(blocks)


def trig_text(quads: Iterable[Quad]) -> str:
    """Deterministic TriG: the default graph first, then each named graph by IRI."""
    w = _TermWriter(PREFIXES)
    graphs: dict[URIRef | None, set[tuple]] = defaultdict(set)
    for s, p, o, g in quads:
        graphs[g].add((s, p, o))
    out = [_prefix_lines(), "\n"]
    if graphs.get(None):
        out.append("{\n" + "\n".join(_triples_block(graphs[None], w, "    ")) + "}\n")
    for g in sorted((g for g in graphs if g is not None), key=str):
        out.append(f"\n{w.iri(g)} {{\n" + "\n".join(_triples_block(graphs[g], w, "    ")) + "}\n")
    return "".join(out)


@cache
def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context (``data/context.jsonld``), parsed."""
    return json.loads(data_file("context.jsonld").read_text(encoding="utf-8"))


class _JsonLdCompactor:
    """Compacts triples with our flat context: plain keys, coerced values.

    Only what the context defines is used (term -> IRI, ``@type`` or
    ``@language`` coercion, ``@container: @set``), which is all a flat
    context can express; values no term fits are written in expanded form
    so nothing is lost.
    """

    def __init__(self, context: dict[str, Any]) -> None:
        ctx = context["@context"]
        self.prefixes: dict[str, str] = {}
        # predicate IRI -> [(term, @type coercion, @language, is_set)]
        self.terms: dict[str, list[tuple[str, str | None, str | None, bool]]] = defaultdict(list)
        for term, spec in ctx.items():
            if term.startswith("@"):
                continue
            if isinstance(spec, str):
                if spec.startswith("@"):
                    continue  # keyword alias such as "id": "@id"
                if spec.endswith(("/", "#")):
                    self.prefixes[term] = spec
                else:
                    self.terms[self.expand(spec, ctx)].append((term, None, None, False))
                continue
            coerce = spec.get("@type")
            if coerce and coerce != "@id":
                coerce = self.expand(coerce, ctx)
            self.terms[self.expand(spec["@id"], ctx)].append(
                (term, coerce, spec.get("@language"), spec.get("@container") == "@set"))
        self._iri_writer = _TermWriter(self.prefixes)
        self.id_key = next((t for t, s in ctx.items() if s == "@id"), "@id")
        self.type_key = next((t for t, s in ctx.items() if s == "@type"), "@type")

    @staticmethod
    def expand(value: str, ctx: dict[str, Any]) -> str:
        if ":" in value:
            prefix, local = value.split(":", 1)
            ns = ctx.get(prefix)
            if isinstance(ns, str) and not local.startswith("//"):
                return ns + local
        return value

    def compact_iri(self, iri: str) -> str:
        text = self._iri_writer.iri(iri)
        return text[1:-1] if text[0] == "<" else text

    def pick(self, p: str, o: Node) -> tuple[str, Any, bool]:
        """The key, value and set-ness for one (predicate, object)."""
        candidates = self.terms.get(p, ())
        for term, coerce, lang, is_set in candidates:
            if isinstance(o, URIRef):
                if coerce == "@id":
                    return term, self.compact_iri(o), is_set
                continue
            if not isinstance(o, Literal):
                break
            if lang is not None:
                if o.language == lang:
                    return term, str(o), is_set
            elif coerce is not None:
                if coerce != "@id" and str(o.datatype) == coerce:
                    return term, str(o), is_set
            elif o.language is None and o.datatype in (None, XSD.string):
                return term, str(o), is_set
            elif o.datatype == XSD.integer and _BARE_INTEGER.fullmatch(str(o)) and str(o) == str(int(o)):
                return term, int(o), is_set   # a JSON number expands to xsd:integer
        # no term fits: a plain (uncoerced) term if there is one, else the compact IRI
        plain = [c for c in candidates if c[1] is None and c[2] is None]
        key, is_set = (plain[0][0], plain[0][3]) if plain else (self.compact_iri(p), False)
        if isinstance(o, URIRef):
            return key, {"@id": self.compact_iri(o)}, is_set
        if not isinstance(o, Literal):
            raise TypeError(f"cannot write {o!r} as JSON-LD")
        if o.language:
            return key, {"@value": str(o), "@language": o.language}, is_set
        if o.datatype and o.datatype != XSD.string:
            return key, {"@value": str(o), "@type": self.compact_iri(o.datatype)}, is_set
        return key, str(o), is_set


def jsonld_text(quads: Iterable[Quad], context: dict[str, Any] | None = None) -> str:
    """Deterministic JSON-LD of the union of ``quads``, compacted with our context inline.

    The context is embedded (not referenced by URL) so the file parses offline.
    """
    context = context or jsonld_context()
    c = _JsonLdCompactor(context)
    nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    sets: set[str] = set()
    for s, p, o in {(s, p, o) for s, p, o, _ in quads}:
        node = nodes[c.compact_iri(s)]
        if p == _RDF_TYPE and isinstance(o, URIRef):
            node[c.type_key].append(c.compact_iri(o))
            continue
        key, value, is_set = c.pick(str(p), o)
        node[key].append(value)
        if is_set:
            sets.add(key)
    graph = []
    for node_id in sorted(nodes):
        props = nodes[node_id]
        obj: dict[str, Any] = {c.id_key: node_id}
        for key in sorted(props, key=lambda k: (k != c.type_key, k)):
            values = props[key]
            if len(values) > 1:
                values = sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            obj[key] = values if (len(values) > 1 or key in sets or key == c.type_key) else values[0]
        graph.append(obj)
    # one node per line: readable, diff-friendly, and json's fast C encoder (indent= is pure Python)
    head = json.dumps({"@context": context["@context"]}, ensure_ascii=False, indent=1)
    body = ",\n".join(json.dumps(n, ensure_ascii=False) for n in graph)
    return head[:-2] + ',\n "@graph": [\n' + body + "\n ]\n}\n"


def _atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_rdf(corpus: Corpus, out_dir: Path) -> dict[str, Path]:
    """Write ``graph.ttl`` (merged), ``graph.trig`` (named graphs) and ``graph.jsonld``.

    Returns the paths by format name (``turtle``, ``trig``, ``jsonld``).
    The output depends only on the corpus: same input, same bytes.
    """
    out_dir = Path(out_dir)
    quads = corpus_quads(corpus)
    paths = {"turtle": out_dir / "graph.ttl", "trig": out_dir / "graph.trig", "jsonld": out_dir / "graph.jsonld"}
    _atomic_write(paths["turtle"], turtle_text(quads))
    _atomic_write(paths["trig"], trig_text(quads))
    _atomic_write(paths["jsonld"], jsonld_text(quads))
    return paths


# --------------------------------------------------------------------------- reading

_FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads",
            ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml"}
_DATASET_FORMATS = {"trig", "nquads"}


def resolve_graph_path(path: str | os.PathLike[str]) -> Path:
    """A file as given, or ``graph.ttl`` inside a directory."""
    p = Path(path)
    if p.is_dir():
        for name in ("graph.ttl", "graph.trig", "graph.jsonld"):
            if (p / name).is_file():
                return p / name
        raise FileNotFoundError(f"{p} holds no graph.ttl, graph.trig or graph.jsonld: run the pipeline first")
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such RDF file")
    return p


def rdf_format(path: Path) -> str:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF format (use .ttl, .trig, .nq, .nt or .jsonld)")
    return fmt


def read_rdf(path: str | os.PathLike[str], store: str = "oxigraph") -> Graph | Dataset:
    """Load a Turtle, TriG, N-Quads or JSON-LD file, or a directory's ``graph.ttl``.

    ``store="oxigraph"`` (default) parses with Oxigraph into an oxrdflib store
    (fast, compact; query it with string queries); ``store="memory"`` uses
    rdflib's own parser and in-memory store (what pyshacl wants).
    TriG/N-Quads give a :class:`Dataset` whose default view is the union.
    """
    p = resolve_graph_path(path)
    fmt = rdf_format(p)
    is_dataset = fmt in _DATASET_FORMATS
    use_ox = store == "oxigraph" and fmt != "json-ld"  # rdflib's JSON-LD parser knows our context features
    backend = "Oxigraph" if use_ox else "default"
    g: Graph = Dataset(store=backend, default_union=True) if is_dataset else Graph(store=backend)
    _bind(g)
    if use_ox:
        # bulk load (no per-quad transaction): several times faster into a fresh store
        g.parse(str(p), format={"turtle": "ox-turtle", "nt": "ox-nt", "trig": "ox-trig",
                                "nquads": "ox-nquads", "xml": "ox-xml"}[fmt], transactional=False)
    else:
        g.parse(str(p), format=fmt)
    return g
