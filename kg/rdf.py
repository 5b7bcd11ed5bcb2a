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

import gc
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from itertools import groupby
from json.encoder import encode_basestring as _json_string  # what json.dumps writes for a str
from operator import itemgetter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS, DefinedNamespace
from rdflib.term import Node
from rdflib.util import from_n3

from kg.atomic import write_text_atomic
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

Quad = tuple[Node, Node, Node, URIRef | None]   # rdflib terms; graph None = default graph
# The same quad as N-Triples terms ('<iri>', '"text"@en', '"2026-03-11"^^<…#date>'): what the
# writers work on.  At a million triples, creating and hashing rdflib terms costs several times
# more than writing the files, so rdflib terms are only made for in-memory graphs.
NtQuad = tuple[str, str, str, str | None]
_Triple = tuple[str, str, str]


class _Terms:
    """The IRIs of one namespace as N-Triples terms: ``_Terms(SEM).Event == "<…/sem/Event>"``."""

    def __init__(self, ns: str, closed: Iterable[str] | None = None) -> None:
        self._ns = str(ns)
        self._closed = frozenset(closed) if closed is not None else None

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or (self._closed is not None and name not in self._closed):
            raise AttributeError(f"{name!r} is not a term of <{self._ns}>")
        term = f"<{self._ns}{name}>"
        setattr(self, name, term)   # later look-ups are plain attribute reads
        return term


_rdf, _rdfs, _owl, _skos = _Terms(RDF), _Terms(RDFS), _Terms(OWL), _Terms(SKOS)
_dct, _prov, _schema, _sem = _Terms(DCTERMS), _Terms(PROV), _Terms(SCHEMA), _Terms(SEM)
_time, _nif = _Terms(TIME), _Terms(NIF)
_kg = _Terms(KG._NS, closed=KG.__annotations__)   # closed, like KG: an unknown term raises

_XSD_STRING, _XSD_INTEGER = str(XSD.string), str(XSD.integer)
_LINK_PROPERTIES = {name: f"<{iri}>" for name, iri in LINK_PROPERTIES.items()}
_ACTOR_CLASSES = {kind: f"<{iri}>" for kind, iri in ACTOR_CLASSES.items()}

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')


def _escape(text: str) -> str:
    """A string's body as written in N-Triples and Turtle (the same escapes, and all valid JSON)."""
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text)


def _literal(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    """An N-Triples literal (``datatype`` a bare IRI)."""
    body = f'"{_escape(text)}"'
    if lang:
        return f"{body}@{lang}"
    if datatype:
        return f"{body}^^<{datatype}>"
    return body


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building quads and files.

    They allocate millions of containers, none in a cycle, and each full
    collection traverses all of them: a third of the JSON-LD time at 1M triples.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _child(term: str, *segments: str) -> str:
    """``<base>`` -> ``<base/seg/…>``: the IRIs of an event's time, roles, claims hang below it."""
    return f"{term[:-1]}/{'/'.join(segments)}>"


# --------------------------------------------------------------------------- IRIs

@lru_cache(maxsize=1 << 16)   # ids repeat (actors, articles, roles); quote() is comparatively slow
def _seg(key: str) -> str:
    """Percent-encode an id for use as one IRI path segment."""
    return quote(key, safe="-_.~")


@lru_cache(maxsize=1 << 16)
def _in(ns: str, key: str) -> str:
    """The N-Triples IRI of ``key`` in a namespace of ours."""
    return f"<{ns}{_seg(key)}>"


def _event(event_id: str) -> str:
    return _in(EVENT, event_id)


def _actor(actor_id: str) -> str:
    return _in(ACTOR, actor_id)


def _place(place_id: str) -> str:
    return _in(PLACE, place_id)


def _article(article_id: str) -> str:
    return _in(ARTICLE, article_id)


def _graph(article_id: str) -> str:
    return _in(GRAPH, article_id)


def _process(process_id: str) -> str:
    return _in(PROCESS, process_id)


def _role_type(role: str) -> str:
    return _in(ROLE_TYPE, role)


def _type(name: str) -> str:
    return _in(scheme()["namespace"], name)


def _sentence(article_id: str, index: int) -> str:
    return _child(_article(article_id), "sentence", str(index))


def _wikidata(qid: str) -> str:
    return f"<{qid}>" if qid.startswith("http") else f"<{WD}{qid.strip()}>"


def event_iri(event_id: str) -> URIRef:
    """The stable IRI of an event.

    >>> str(event_iri("event-1"))
    'https://w3id.org/kg-timeline/event/event-1'
    """
    return URIRef(_event(event_id)[1:-1])


def actor_iri(actor_id: str) -> URIRef:
    return URIRef(_actor(actor_id)[1:-1])


def place_iri(place_id: str) -> URIRef:
    return URIRef(_place(place_id)[1:-1])


def article_iri(article_id: str) -> URIRef:
    return URIRef(_article(article_id)[1:-1])


def graph_iri(article_id: str) -> URIRef:
    """The named graph holding what one article says."""
    return URIRef(_graph(article_id)[1:-1])


def sentence_iri(article_id: str, index: int) -> URIRef:
    return URIRef(_sentence(article_id, index)[1:-1])


def wikidata_iri(qid: str) -> URIRef:
    """Accept ``Q123`` or a full entity IRI.

    >>> str(wikidata_iri("Q212"))
    'http://www.wikidata.org/entity/Q212'
    """
    return URIRef(_wikidata(qid)[1:-1])


@cache
def scheme() -> dict[str, Any]:
    """The event-type scheme, with its namespace and scheme IRI."""
    data = load_toml("event_types.toml")
    ns = data["scheme"]["namespace"]
    return {"namespace": ns, "iri": URIRef(ns.rstrip("/#")), "label": data["scheme"]["label"],
            "types": data["types"]}


def type_iri(name: str) -> URIRef:
    return URIRef(_type(name)[1:-1])


def role_type_iri(role: str) -> URIRef:
    return URIRef(_role_type(role)[1:-1])


# --------------------------------------------------------------------------- quads

@lru_cache(maxsize=1 << 14)   # a date is written for the event, its interval, instants and roles
def _date(value: date) -> str:
    return f'"{value.isoformat()}"^^<{XSD}date>'


def _integer(value: int) -> str:
    return f'"{value}"^^<{_XSD_INTEGER}>'


def _number(value: int | float) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"quantity must be a number, got {value!r}")
    if isinstance(value, int) or float(value).is_integer():
        return _integer(int(value))
    # decimal, not double: "1.5" prisoners should read back as written; "f" keeps 1e-07 a valid xsd:decimal
    return _literal(format(Decimal(str(value)), "f"), str(XSD.decimal))


def _timestamps(node: str, start: date | None, end: date | None, precision: str) -> Iterator[_Triple]:
    """SEM time stamps: exact begin/end for day-precise times, bounds always.

    A time known to the month only says the event began no earlier than the
    first and ended no later than the last day of it; only a day-precise time
    (or an interval of exact days) gets ``hasBeginTimeStamp``/``hasEndTimeStamp``.
    """
    if start is not None:
        yield node, _sem.hasEarliestBeginTimeStamp, _date(start)
    if end is not None:
        yield node, _sem.hasLatestEndTimeStamp, _date(end)
    if precision in ("day", "interval"):
        if start is not None:
            yield node, _sem.hasBeginTimeStamp, _date(start)
        if end is not None:
            yield node, _sem.hasEndTimeStamp, _date(end)


def _interval_quads(node: str, start: date | None, end: date | None, precision: str,
                    text: str, edtf: str | None) -> Iterator[_Triple]:
    """An OWL-Time interval at ``<node>/time`` with its precision and original words."""
    t = _child(node, "time")
    yield node, _time.hasTime, t
    yield t, _rdf.type, _time.ProperInterval
    yield t, _kg.precision, _literal(precision)
    if text:
        yield t, _kg.timeText, _literal(text)
    if edtf:
        yield t, _kg.edtf, _literal(edtf, str(EDTF))
    for prop, value, suffix in ((_time.hasBeginning, start, "begin"), (_time.hasEnd, end, "end")):
        if value is not None:
            instant = _child(t, suffix)
            yield t, prop, instant
            yield instant, _rdf.type, _time.Instant
            yield instant, _time.inXSDDate, _date(value)


def _iri_or_literal(url: str) -> str:
    """``schema:url`` as an IRI when it is one, else an ``xsd:anyURI`` literal."""
    if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
        return f"<{url}>"
    return _literal(url, str(XSD.anyURI))


def _scheme_quads(used_roles: Iterable[str]) -> Iterator[_Triple]:
    """The event-type scheme and the role-type scheme as SKOS.

    Types outside the scheme are not declared, so validation flags events using them.
    """
    s = scheme()
    iri = f"<{s['iri']}>"
    yield iri, _rdf.type, _skos.ConceptScheme
    yield iri, _skos.prefLabel, _literal(s["label"], lang="en")
    roles: set[str] = set(used_roles)
    for name, spec in s["types"].items():
        c = _type(name)
        yield c, _rdf.type, _skos.Concept
        yield c, _rdf.type, _sem.EventType
        yield c, _skos.inScheme, iri
        yield c, _skos.topConceptOf, iri
        yield c, _skos.prefLabel, _literal(spec["label"], lang="en")
        if spec.get("definition"):
            yield c, _skos.definition, _literal(spec["definition"], lang="en")
        if spec.get("cameo"):
            yield c, _skos.notation, _literal(spec["cameo"], str(KG.cameoCode))
        if spec.get("plover"):
            yield c, _skos.notation, _literal(spec["plover"], str(KG.ploverCode))
        roles.update(spec.get("roles", ()))
    role_scheme = f"<{ROLE_SCHEME}>"
    yield role_scheme, _rdf.type, _skos.ConceptScheme
    yield role_scheme, _skos.prefLabel, _literal("Roles of participants in events", lang="en")
    for role in sorted(roles):
        r = _role_type(role)
        yield r, _rdf.type, _skos.Concept
        yield r, _rdf.type, _sem.RoleType
        yield r, _skos.inScheme, role_scheme
        yield r, _skos.prefLabel, _literal(role.replace("_", " "), lang="en")


def _actor_quads(actor: Actor, known_actors: set[str]) -> Iterator[_Triple]:
    a = _actor(actor.id)
    yield a, _rdf.type, _sem.Actor
    if actor.kind in _ACTOR_CLASSES:
        yield a, _rdf.type, _ACTOR_CLASSES[actor.kind]
    yield a, _rdfs.label, _literal(actor.name)
    for alias in actor.aliases:
        if alias != actor.name:
            yield a, _skos.altLabel, _literal(alias)
    if actor.wikidata:
        yield a, _owl.sameAs, _wikidata(actor.wikidata)
    if actor.title:
        yield a, _schema.jobTitle, _literal(actor.title)
    if actor.affiliation:
        # an affiliation naming a known actor becomes an edge, else stays text
        if actor.affiliation in known_actors:
            yield a, _schema.affiliation, _actor(actor.affiliation)
        else:
            yield a, _schema.affiliation, _literal(actor.affiliation)


def _place_quads(place: Place) -> Iterator[_Triple]:
    p = _place(place.id)
    yield p, _rdf.type, _sem.Place
    yield p, _rdf.type, _schema.Place
    yield p, _rdfs.label, _literal(place.name)
    if place.wikidata:
        yield p, _owl.sameAs, _wikidata(place.wikidata)


def _source_quads(subject: str, source: Source) -> Iterator[_Triple]:
    """PROV derivation of ``subject`` from an article and its sentence (NIF offsets)."""
    art = _article(source.article)
    sent = _sentence(source.article, source.sentence_index)
    yield subject, _prov.wasDerivedFrom, art
    yield subject, _prov.wasDerivedFrom, sent
    yield sent, _rdf.type, _nif.Sentence
    yield sent, _rdf.type, _prov.Entity
    yield sent, _nif.anchorOf, _literal(source.sentence)
    yield sent, _nif.referenceContext, art
    yield sent, _kg.sentenceIndex, _integer(source.sentence_index)
    if source.sentence_start is not None:  # the sentence's span in the article's cleaned text
        yield sent, _nif.beginIndex, _integer(source.sentence_start)
        yield sent, _nif.endIndex, _integer(source.sentence_start + len(source.sentence))


def _article_quads(article_id: str, title: str | None, published: date | None,
                   url: str | None, publisher: str | None) -> Iterator[_Triple]:
    art = _article(article_id)
    yield art, _rdf.type, _schema.NewsArticle
    yield art, _rdf.type, _prov.Entity
    if title:
        yield art, _schema.headline, _literal(title)
    if published is not None:
        yield art, _schema.datePublished, _date(published)
    if url:
        yield art, _schema.url, _iri_or_literal(url)
    if publisher:
        yield art, _schema.publisher, _literal(publisher)


def _claim_quads(ev: str, claim: Claim) -> Iterator[_Triple]:
    src = claim.source
    key = make_id("claim", src.article, src.sentence_index, claim.start, claim.end,
                  claim.time_text, claim.attribution)
    c = _child(ev, "claim", key)
    yield ev, _kg.hasClaim, c
    yield c, _rdf.type, _kg.Claim
    yield c, _rdf.type, _prov.Entity
    if claim.attribution:
        yield c, _prov.wasAttributedTo, _actor(claim.attribution)
    yield from _timestamps(c, claim.start, claim.end, claim.precision)
    yield from _interval_quads(c, claim.start, claim.end, claim.precision, claim.time_text, None)
    yield from _source_quads(c, src)


def _event_quads(event: Event) -> Iterator[_Triple]:
    """Default-graph triples of one resolved event (sources go to article graphs)."""
    ev = _event(event.id)
    yield ev, _rdf.type, _sem.Event
    yield ev, _rdfs.label, _literal(event.label)
    yield ev, _sem.eventType, _type(event.type)
    yield ev, _kg.modality, _literal(event.modality)
    yield from _timestamps(ev, event.start, event.end, event.precision)
    yield from _interval_quads(ev, event.start, event.end, event.precision, event.time_text, event.edtf)
    for part in event.participants:
        # SEM role pattern: the event points at a role node whose rdf:value is
        # the actor; the node carries the event's time so the edge is dated.
        r = _child(ev, "role", _seg(part.role), _seg(part.actor))
        yield ev, _sem.hasActor, r
        yield r, _rdf.type, _sem.Role
        yield r, _rdf.value, _actor(part.actor)
        yield r, _sem.roleType, _role_type(part.role)
        yield from _timestamps(r, event.start, event.end, event.precision)
    for place in event.places:
        yield ev, _sem.hasPlace, _place(place.id)
    for kind, value in event.quantities:
        q = _child(ev, "quantity", _seg(kind))
        yield ev, _kg.hasQuantity, q
        yield q, _rdf.type, _kg.Quantity
        yield q, _kg.quantityKind, _literal(kind)
        yield q, _rdf.value, _number(value)
    if event.ordinal is not None:
        yield ev, _kg.ordinal, _integer(event.ordinal)
    if event.resolution_note:
        yield ev, _kg.resolutionNote, _literal(event.resolution_note)
    if event.process:
        yield ev, _dct.isPartOf, _process(event.process)


@_gc_paused()
def corpus_nt_quads(corpus: Corpus) -> list[NtQuad]:
    """All quads of the corpus as N-Triples terms, deduplicated, in a deterministic order.

    The fourth element is the named graph (an article's graph) or ``None``
    for the default graph.  This is what the writers use; :func:`corpus_quads`
    gives the same quads as rdflib terms.
    """
    out: dict[NtQuad, None] = {}   # insertion-ordered set

    def add(triples: Iterable[_Triple], g: str | None = None) -> None:
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
        ev = _event(event.id)
        for src in event.sources:
            add(_source_quads(ev, src), _graph(src.article))
        for claim in event.claims:
            add(_claim_quads(ev, claim), _graph(claim.source.article))
    for place in places.values():
        add(_place_quads(place))
    add(_scheme_quads(used_roles))

    # articles: the corpus record wins; sources fill in articles not listed
    seen_articles: set[str] = set()
    for art in corpus.articles:
        seen_articles.add(art.id)
        add(_article_quads(art.id, art.title, art.published, art.url, art.source), _graph(art.id))
    for event in corpus.events:
        for src in (*event.sources, *(c.source for c in event.claims)):
            if src.article not in seen_articles:
                seen_articles.add(src.article)
                add(_article_quads(src.article, src.title, src.published, src.url, None), _graph(src.article))

    for link in corpus.links:
        s, t = _event(link.source), _event(link.target)
        prop = _LINK_PROPERTIES.get(link.type, _kg.relatedTo)
        node = _child(s, "link", _seg(link.type), _seg(link.target))
        triples = [(s, prop, t), (node, _rdf.type, _kg.EventLink), (node, _kg.linkSource, s),
                   (node, _kg.linkTarget, t), (node, _kg.relation, prop), (node, _kg.linkKind, _literal(link.type))]
        if link.date is not None:
            triples.append((node, _dct.date, _date(link.date)))
        add(triples)
    process_ids = {p.id for p in corpus.processes}
    for proc in corpus.processes:
        pi = _process(proc.id)
        add([(pi, _rdf.type, _kg.Process), (pi, _rdfs.label, _literal(proc.label))])
        add((_event(e), _dct.isPartOf, pi) for e in proc.events)
    for event in corpus.events:
        if event.process and event.process not in process_ids:
            add([(_process(event.process), _rdf.type, _kg.Process)])
    return list(out)


def _rdflib_terms() -> Callable[[str], Node]:
    """N-Triples term -> rdflib term, each distinct term parsed once."""
    made: dict[str, Node] = {}

    def term(text: str) -> Node:
        node = made.get(text)
        if node is None:
            # IRIs directly: from_n3 would read backslashes in them as escapes
            node = made[text] = URIRef(text[1:-1]) if text[0] == "<" else from_n3(text)
        return node
    return term


@_gc_paused()
def corpus_quads(corpus: Corpus) -> list[Quad]:
    """The quads of :func:`corpus_nt_quads` as rdflib terms, in the same order."""
    term = _rdflib_terms()
    return [(term(s), term(p), term(o), None if g is None else term(g))  # type: ignore[misc]
            for s, p, o, g in corpus_nt_quads(corpus)]


def _nt(term: Node) -> str:
    """An rdflib term as an N-Triples term (our escapes, so output does not depend on the input kind)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return _literal(str(term), term.datatype, term.language)
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"cannot write {term!r} as RDF")


def _as_nt(quads: Iterable[NtQuad] | Iterable[Quad]) -> Sequence[NtQuad]:
    """Quads as N-Triples terms: rdflib-term quads (``corpus_quads``, a caller's own) are converted.

    The quads are all of one kind, so the first one tells.
    """
    quads = quads if isinstance(quads, Sequence) else list(quads)
    if not quads or not isinstance(quads[0][0], Node):
        return quads   # type: ignore[return-value]
    made: dict[Node, str] = {}

    def nt(term: Node) -> str:
        text = made.get(term)
        if text is None:
            text = made[term] = _nt(term)
        return text
    return [(nt(s), nt(p), nt(o), None if g is None else nt(g)) for s, p, o, g in quads]


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
    graph = Graph()
    _bind(graph)
    graph.addN((s, p, o, graph) for s, p, o, _ in corpus_quads(corpus))
    return graph


# --------------------------------------------------------------------------- writers

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_BARE_INTEGER = re.compile(r"[+-]?[0-9]+")
_RDF_TYPE = _rdf.type
_TRIPLE = itemgetter(0, 1, 2)


class _TurtleTerms(dict[str, str]):
    """N-Triples term -> its Turtle text (``w[term]``), computed once per distinct term.

    A dict whose misses compute the text: the hits, most of the look-ups since
    IRIs and dates repeat, stay plain dict subscripts.
    """

    def __init__(self, prefixes: dict[str, str]) -> None:
        super().__init__()
        # every namespace ends in "/" or "#": split an IRI there and look the rest up
        self._ns = {ns: p for p, ns in prefixes.items()}

    def iri(self, iri: str) -> str:
        """A bare IRI as a prefixed name, else ``<iri>``."""
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self._ns.get(iri[:cut])
        local = iri[cut:]
        if prefix is not None and _LOCAL.fullmatch(local):
            return f"{prefix}:{local}"
        return "<" + iri.replace(">", "%3E") + ">"

    def __missing__(self, term: str) -> str:
        if term[0] == "<":
            text = self.iri(term[1:-1])
        elif term[-1] != ">":
            text = term   # a plain or language-tagged literal, or a blank node: Turtle writes it as is
        else:             # "lexical"^^<datatype>
            cut = term.rindex('"^^<') + 1
            datatype = term[cut + 3:-1]
            if datatype == _XSD_INTEGER and _BARE_INTEGER.fullmatch(term, 1, cut - 1):
                text = term[1:cut - 1]
            elif datatype == _XSD_STRING:
                text = term[:cut]
            else:
                text = f"{term[:cut]}^^{self.iri(datatype)}"
        self[term] = text
        return text


def _triples_block(triples: Collection[_Triple], w: _TurtleTerms, indent: str) -> Iterator[str]:
    """Turtle statements grouped by subject and predicate, every level sorted by written form."""
    # rdf:type sorts first as "" (written "a"), then predicates alphabetically
    preds = {p: "" if p == _RDF_TYPE else w[p] for p in set(map(itemgetter(1), triples))}
    # one sort of all written triples; the input's generation order is nearly sorted, so it is quick
    rows = sorted([(w[s], preds[p], w[o]) for s, p, o in triples])
    sep = f" ;\n{indent}    "
    pred, obj = itemgetter(1), itemgetter(2)
    for subject, statements in groupby(rows, itemgetter(0)):
        parts = [f"{pt or 'a'} {', '.join(map(obj, group))}" for pt, group in groupby(statements, pred)]
        yield f"{indent}{subject} {sep.join(parts)} .\n"


def _prefix_lines() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


@_gc_paused()
def turtle_text(quads: Iterable[NtQuad] | Iterable[Quad]) -> str:
    """Deterministic Turtle of the union of ``quads`` (graph names dropped)."""
    return "".join(turtle_chunks(quads))


def turtle_chunks(quads: Iterable[NtQuad] | Iterable[Quad]) -> Iterator[str]:
    """``turtle_text`` in pieces, for writing a big graph without holding its whole text."""
    # deduplicated in generation order: neighbouring triples share subjects, which keeps memory access local
    triples = dict.fromkeys(map(_TRIPLE, _as_nt(quads)))
    yield _prefix_lines()
    for block in _triples_block(triples, _TurtleTerms(PREFIXES), ""):
        yield "\n" + block


@_gc_paused()
def trig_text(quads: Iterable[NtQuad] | Iterable[Quad]) -> str:
    """Deterministic TriG: the default graph first, then each named graph by IRI."""
    return "".join(trig_chunks(quads))


def trig_chunks(quads: Iterable[NtQuad] | Iterable[Quad]) -> Iterator[str]:
    """``trig_text`` in pieces (one per graph)."""
    w = _TurtleTerms(PREFIXES)
    graphs: dict[str | None, dict[_Triple, None]] = defaultdict(dict)
    for s, p, o, g in _as_nt(quads):
        graphs[g][(s, p, o)] = None
    yield _prefix_lines() + "\n"
    if graphs.get(None):
        yield "{\n" + "\n".join(_triples_block(graphs[None], w, "    ")) + "}\n"
    for g in sorted((g for g in graphs if g is not None), key=lambda g: g[1:-1]):
        yield f"\n{w[g]} {{\n" + "\n".join(_triples_block(graphs.pop(g), w, "    ")) + "}\n"


@cache
def jsonld_context() -> dict[str, Any]:
    """The published JSON-LD context (``data/context.jsonld``), parsed."""
    return json.loads(data_file("context.jsonld").read_text(encoding="utf-8"))


class _CompactIds(dict[str, str]):
    """N-Triples IRI or blank node -> its compact JSON-LD id (``ids[term]``), computed once per term."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        super().__init__()
        self._turtle = _TurtleTerms(prefixes)

    def __missing__(self, term: str) -> str:
        text = term
        if term[0] == "<":
            text = self._turtle.iri(term[1:-1])
            text = text[1:-1] if text[0] == "<" else text
        self[term] = text
        return text


# How an object is written under a key: its compact id, {"@id": …}, the lexical form,
# a JSON number, {"@value", "@language"} or {"@value", "@type"}.
_Rule = tuple[str, str, bool]   # key, how, is_set


class _JsonLdCompactor:
    """Compacts triples with our flat context: plain keys, coerced values.

    Only what the context defines is used (term -> IRI, ``@type`` or
    ``@language`` coercion, ``@container: @set``), which is all a flat
    context can express; values no term fits are written in expanded form
    so nothing is lost.  Which key fits depends only on the predicate and
    the object's kind (IRI, language, datatype), so it is decided once per
    pair (see :meth:`rule`).
    """

    def __init__(self, context: dict[str, Any]) -> None:
        ctx = context["@context"]
        prefixes: dict[str, str] = {}
        # predicate IRI -> [(term, @type coercion, @language, is_set)]
        self.terms: dict[str, list[tuple[str, str | None, str | None, bool]]] = defaultdict(list)
        for term, spec in ctx.items():
            if term.startswith("@"):
                continue
            if isinstance(spec, str):
                if spec.startswith("@"):
                    continue  # keyword alias such as "id": "@id"
                if spec.endswith(("/", "#")):
                    prefixes[term] = spec
                else:
                    self.terms[self.expand(spec, ctx)].append((term, None, None, False))
                continue
            coerce = spec.get("@type")
            if coerce and coerce != "@id":
                coerce = self.expand(coerce, ctx)
            self.terms[self.expand(spec["@id"], ctx)].append(
                (term, coerce, spec.get("@language"), spec.get("@container") == "@set"))
        self.ids = _CompactIds(prefixes)
        self.id_key = next((t for t, s in ctx.items() if s == "@id"), "@id")
        self.type_key = next((t for t, s in ctx.items() if s == "@type"), "@type")
        # (predicate, object kind) -> rule; rdf:type IRIs go to the type key
        self.rules: dict[tuple[str, str], _Rule] = {(_RDF_TYPE, "<"): (self.type_key, "id", False)}

    @staticmethod
    def expand(value: str, ctx: dict[str, Any]) -> str:
        if ":" in value:
            prefix, local = value.split(":", 1)
            ns = ctx.get(prefix)
            if isinstance(ns, str) and not local.startswith("//"):
                return ns + local
        return value

    def rule(self, p: str, kind: str, integer: bool = True) -> _Rule:
        """How an object of ``kind`` (``<`` IRI, ``_`` blank node, else the literal's ``@lang`` /
        ``^^<datatype>`` suffix, ``""`` for a plain one) is written under predicate ``p``.

        ``integer=False`` for an ``xsd:integer`` whose lexical form is not canonical
        (it cannot become a JSON number).
        """
        candidates = self.terms.get(p[1:-1], ())
        lang = kind[1:] if kind.startswith("@") else None
        datatype = kind[3:-1] if kind.startswith("^^") else None
        for term, coerce, term_lang, is_set in candidates:
            if kind == "<":
                if coerce == "@id":
                    return term, "id", is_set
                continue
            if kind == "_":
                break
            if term_lang is not None:
                if lang == term_lang:
                    return term, "lexical", is_set
            elif coerce is not None:
                if coerce != "@id" and datatype == coerce:
                    return term, "lexical", is_set
            elif lang is None and datatype in (None, _XSD_STRING):
                return term, "lexical", is_set
            elif datatype == _XSD_INTEGER and integer:
                return term, "number", is_set   # a JSON number expands to xsd:integer
        # no term fits: a plain (uncoerced) term if there is one, else the compact IRI
        plain = [c for c in candidates if c[1] is None and c[2] is None]
        key, is_set = (plain[0][0], plain[0][3]) if plain else (self.ids[p], False)
        if kind in ("<", "_"):
            return key, "id-object", is_set
        if lang:
            return key, "language-object", is_set
        if datatype and datatype != _XSD_STRING:
            return key, "typed-object", is_set
        return key, "lexical", is_set

    def value(self, p: str, o: str, end: int, rule: _Rule) -> tuple[str, Any]:
        """The key and value of object ``o`` (a literal's closing quote at ``end``) by its rule."""
        key, how, _ = rule
        if how == "id":
            return key, self.ids[o]
        if how == "id-object":
            return key, {"@id": self.ids[o]}
        # N-Triples string escapes (as _escape writes them) are JSON's, so json decodes them
        lexical = json.loads(o[:end + 1]) if o.find("\\", 1, end) >= 0 else o[1:end]
        kind = o[end + 1:]
        if how == "number":
            if _BARE_INTEGER.fullmatch(lexical) and lexical == str(int(lexical)):
                return key, int(lexical)
            key, how, _ = self.rules.setdefault((p, "non-canonical" + kind), self.rule(p, kind, integer=False))
        if how == "lexical":
            return key, lexical
        if how == "language-object":
            return key, {"@value": lexical, "@language": kind[1:]}
        return key, {"@value": lexical, "@type": self.ids[kind[2:]]}


# one encoder each, reused: json.dumps with options builds a new encoder per call
_json_encode = json.JSONEncoder(ensure_ascii=False).encode
_json_encode_sorted = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _json_sort_key(value: Any) -> str:
    """A value's JSON text, the order values of one key are written in."""
    if type(value) is str:
        return _json_string(value)   # what json.dumps writes for a string, without the encoder
    return _json_encode_sorted(value)


@_gc_paused()
def jsonld_text(quads: Iterable[NtQuad] | Iterable[Quad], context: dict[str, Any] | None = None) -> str:
    """Deterministic JSON-LD of the union of ``quads``, compacted with our context inline.

    The context is embedded (not referenced by URL) so the file parses offline.
    """
    return "".join(jsonld_chunks(quads, context))


def jsonld_chunks(quads: Iterable[NtQuad] | Iterable[Quad], context: dict[str, Any] | None = None
                  ) -> Iterator[str]:
    """``jsonld_text`` in pieces (one per node)."""
    context = context or jsonld_context()
    c = _JsonLdCompactor(context)
    rules, ids = c.rules, c.ids
    # subject -> key -> its value, or the list of them once a key has several (most have one)
    nodes: dict[str, dict[str, Any]] = defaultdict(dict)
    # deduplicated in generation order: neighbouring triples share subjects, which keeps memory access local
    for s, p, o in dict.fromkeys(map(_TRIPLE, _as_nt(quads))):
        # the hot loop (a million triples): the common cases inline, the rest in c.value
        if o[0] == '"':
            end = o.rindex('"')
            kind = o[end + 1:]      # "" plain, "@lang", "^^<datatype>"
        else:
            end, kind = 0, o[0]     # "<" IRI, "_" blank node
        rule = rules.get((p, kind))
        if rule is None:
            rule = rules[(p, kind)] = c.rule(p, kind)
        how = rule[1]
        if how == "id":
            key, value = rule[0], ids[o]
        elif how == "lexical" and o.find("\\", 1, end) < 0:
            key, value = rule[0], o[1:end]
        else:
            key, value = c.value(p, o, end, rule)
        props = nodes[s]
        old = props.get(key)        # values are strings, numbers or dicts: never None, never a list
        if old is None:
            props[key] = value
        elif type(old) is list:
            old.append(value)
        else:
            props[key] = [old, value]
    always_list = {key for key, _, is_set in rules.values() if is_set} | {c.type_key}
    graph = []
    for node_id, s in sorted([(ids[s], s) for s in nodes]):
        props = nodes[s]
        obj: dict[str, Any] = {c.id_key: node_id}
        keys = sorted(props)
        if c.type_key in props:   # the type first, then keys alphabetically
            keys.remove(c.type_key)
            keys.insert(0, c.type_key)
        for key in keys:
            value = props[key]
            if type(value) is list:
                value.sort(key=_json_sort_key)
            elif key in always_list:
                value = [value]
            obj[key] = value
        graph.append(obj)
    # one node per line: readable, diff-friendly, and json's fast C encoder (indent= is pure Python)
    head = json.dumps({"@context": context["@context"]}, ensure_ascii=False, indent=1)
    yield head[:-2] + ',\n "@graph": [\n'
    for number, node in enumerate(graph):
        yield (",\n" if number else "") + _json_encode(node)
    yield "\n ]\n}\n"


def write_rdf(corpus: Corpus, out_dir: Path) -> dict[str, Path]:
    """Write ``graph.ttl`` (merged), ``graph.trig`` (named graphs) and ``graph.jsonld``.

    Returns the paths by format name (``turtle``, ``trig``, ``jsonld``).
    The output depends only on the corpus: same input, same bytes.
    """
    out_dir = Path(out_dir)
    quads = corpus_nt_quads(corpus)
    paths = {"turtle": out_dir / "graph.ttl", "trig": out_dir / "graph.trig", "jsonld": out_dir / "graph.jsonld"}
    # Written piece by piece: at 100,000 articles a whole file's text would double the peak memory.
    with _gc_paused():
        write_text_atomic(paths["turtle"], turtle_chunks(quads))
        write_text_atomic(paths["trig"], trig_chunks(quads))
        write_text_atomic(paths["jsonld"], jsonld_chunks(quads))
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
