"""Run SPARQL over the graph (through Oxigraph) and format the results.

Queries run on the merged view: a TriG dataset is queried with its default
graph as the union of all graphs.  rdflib stays the API for graphs, but the
evaluation goes through Oxigraph (``pyoxigraph``), which is one to two
orders of magnitude faster than rdflib's engine on large graphs; pass
``engine="rdflib"`` to use rdflib's own engine instead.

Values for variables (``bindings``) are written into the query as an inline
``VALUES`` block at the start of the outermost ``WHERE`` group, so FILTERs
in the query see them.  How a value is written:

* ``<iri>`` or ``http(s)://...`` / ``urn:...`` -> an IRI;
* ``2030-05-14`` -> an ``xsd:date``; ``42`` -> an ``xsd:integer``;
* a value starting with ``"`` -> taken as a SPARQL literal as written
  (``"Roe"@en``, ``"5"^^xsd:decimal``);
* anything else -> a plain string literal (``Roe`` -> ``"Roe"``).

>>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"o": "Roe"})
'SELECT ?x WHERE { VALUES ?o { "Roe" } ?x ?p ?o }'
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal as TypingLiteral

import pyoxigraph as ox
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf import PREFIXES, rdf_format, resolve_graph_path

Format = TypingLiteral["table", "csv", "json", "sparql-json"]
FORMATS: tuple[str, ...] = ("table", "csv", "json", "sparql-json")

_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
               "nquads": ox.RdfFormat.N_QUADS, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


@dataclass
class QueryResult:
    """The outcome of a query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE.

    ``rows`` hold rdflib terms (``None`` where a variable is unbound); they are
    converted from Oxigraph's terms on first use only, because building rdflib
    literals costs more than the query itself on large results.  Formatting
    and :meth:`as_dicts` work without that conversion.
    """

    kind: str                                  # SELECT | ASK | CONSTRUCT
    vars: list[str] = field(default_factory=list)
    raw: list[tuple[Any, ...]] = field(default_factory=list, repr=False)   # Oxigraph or rdflib terms
    boolean: bool | None = None
    graph: Graph | None = None
    _rows: list[tuple[Node | None, ...]] | None = field(default=None, repr=False)

    @property
    def rows(self) -> list[tuple[Node | None, ...]]:
        if self._rows is None:
            self._rows = [tuple(_from_ox(t) for t in row) for row in self.raw]
        return self._rows

    def __len__(self) -> int:
        return len(self.raw)

    def as_dicts(self) -> list[dict[str, str | None]]:
        """Rows as ``{var: lexical form or IRI}``, ``None`` for unbound."""
        return [{v: (None if t is None else _parts(t)[1]) for v, t in zip(self.vars, row)} for row in self.raw]

    def column(self, var: str) -> list[str | None]:
        i = self.vars.index(var)
        return [None if row[i] is None else _parts(row[i])[1] for row in self.raw]


# --------------------------------------------------------------------------- query files

def _queries_root() -> Traversable:
    inside = files("kg") / "_queries"
    if inside.is_dir():
        return inside
    return files("kg").parent / "queries"  # type: ignore[attr-defined]


def shipped_queries() -> dict[str, str]:
    """The ready queries by name (``talk_rounds`` ...), from ``queries/*.rq``."""
    root = _queries_root()
    return {Path(f.name).stem: f.read_text(encoding="utf-8")
            for f in sorted(root.iterdir(), key=lambda f: f.name) if f.name.endswith(".rq")}


def load_query(name_or_path: str) -> str:
    """Query text from a file path, a shipped query name, or the text itself.

    >>> load_query("ASK { ?s ?p ?o }")
    'ASK { ?s ?p ?o }'
    """
    if "{" in name_or_path:
        return name_or_path
    p = Path(name_or_path)
    if p.is_file():
        return p.read_text(encoding="utf-8")
    shipped = shipped_queries()
    if p.stem in shipped and not p.is_absolute():
        return shipped[p.stem]
    raise FileNotFoundError(f"{name_or_path}: not a query file nor one of the shipped queries "
                            f"({', '.join(shipped)})")


def query_description(text: str) -> str:
    """The header comment of a query file, as one paragraph."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(x for x in lines if x)


# --------------------------------------------------------------------------- bindings

_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def sparql_term(value: str) -> str:
    """A command-line value as a SPARQL term (rules in the module docstring).

    >>> sparql_term("Roe"), sparql_term("2030-05-14"), sparql_term("https://x.org/a")
    ('"Roe"', '"2030-05-14"^^<http://www.w3.org/2001/XMLSchema#date>', '<https://x.org/a>')
    """
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        return v
    if re.fullmatch(r"(https?|urn):[^\s<>\"{}|\\^`]+", v):
        return f"<{v}>"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return f'"{v}"^^<{XSD.date}>'
    if re.fullmatch(r"[+-]?\d+", v):
        return f'"{v}"^^<{XSD.integer}>'
    if v.startswith('"'):
        return v
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _code_positions(query: str) -> list[int]:
    """Indices of characters outside comments, strings and IRIs."""
    out: list[int] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            while i < n and query[i] != "\n":
                i += 1
            continue
        if c in "\"'":
            long = query.startswith(c * 3, i)
            end_seq = c * 3 if long else c
            i += len(end_seq)
            while i < n and not query.startswith(end_seq, i):
                i += 2 if query[i] == "\\" else 1
            i += len(end_seq)
            continue
        if c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", query[i:]):
            i = query.index(">", i) + 1   # an IRI, not a less-than
            continue
        out.append(i)
        i += 1
    return out


def with_values(query: str, bindings: dict[str, str] | None) -> str:
    """Insert ``VALUES`` for ``bindings`` at the start of the outermost WHERE group."""
    if not bindings:
        return query
    for name in bindings:
        if not _VAR.fullmatch(name.lstrip("?$")):
            raise ValueError(f"--bind {name}=...: not a SPARQL variable name")
    block = " ".join(f"VALUES ?{name.lstrip('?$')} {{ {sparql_term(value)} }}" for name, value in bindings.items())
    code = _code_positions(query)
    text = "".join(query[i] for i in code).upper()
    where = re.search(r"\bWHERE\b", text)
    start = where.end() if where else 0
    brace = text.find("{", start)
    if brace < 0:
        raise ValueError("cannot bind variables: the query has no WHERE group")
    pos = code[brace]
    return f"{query[:pos + 1]} {block}{query[pos + 1:]}"


# --------------------------------------------------------------------------- terms

def _parts(term: Any) -> tuple[str, str, str | None, str | None]:
    """(kind, value, language, datatype IRI) of an Oxigraph or rdflib term; kind is uri|bnode|literal."""
    if isinstance(term, (ox.NamedNode, URIRef)):
        return "uri", str(term.value if isinstance(term, ox.NamedNode) else term), None, None
    if isinstance(term, (ox.BlankNode, BNode)):
        return "bnode", str(term.value if isinstance(term, ox.BlankNode) else term), None, None
    if isinstance(term, ox.Literal):
        lang = term.language
        dt = None if lang else term.datatype.value
        return "literal", term.value, lang, (None if dt == _XSD_STRING else dt)
    if isinstance(term, Literal):
        return "literal", str(term), term.language, (str(term.datatype) if term.datatype else None)
    raise TypeError(f"unsupported term {term!r}")


_XSD_STRING = str(XSD.string)


def _from_ox(term: Any) -> Node | None:
    if term is None or isinstance(term, Node):
        return term
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


def _to_ox(term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


# --------------------------------------------------------------------------- stores

def load_store(path: str | os.PathLike[str]) -> ox.Store:
    """A file (or a directory's ``graph.ttl``) in an in-memory Oxigraph store."""
    p = resolve_graph_path(path)
    store = ox.Store()
    # bulk_load skips per-quad transactions: the fast path for a fresh store
    store.bulk_load(path=str(p), format=_OX_FORMATS[rdf_format(p)])
    return store


def _store_from_graph(graph: Graph) -> ox.Store:
    store = ox.Store()
    if isinstance(graph, Dataset):
        quads = []
        for s, p, o, g in graph.quads((None, None, None, None)):
            gid = getattr(g, "identifier", g)
            name = ox.DefaultGraph() if gid is None or str(gid).startswith("urn:x-rdflib:default") \
                else _to_ox(gid)
            quads.append(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), name))
        store.extend(quads)
    else:
        store.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in graph)
    return store


def _oxigraph_inner(graph: Graph) -> ox.Store | None:
    inner = getattr(graph.store, "_inner", None)
    return inner if isinstance(inner, ox.Store) else None


def _run_ox(store: ox.Store, query: str, default_graph: Node | None = None) -> QueryResult:
    """Evaluate with Oxigraph on the union of all graphs, or on one graph when given."""
    scope: dict[str, Any] = ({"default_graph": _to_ox(default_graph)} if default_graph is not None
                             else {"use_default_graph_as_union": True})
    result = store.query(query, prefixes=PREFIXES, **scope)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        width = range(len(names))
        return QueryResult("SELECT", vars=names, raw=[tuple(sol[i] for i in width) for sol in result])
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    for t in result:
        g.add((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)))
    return QueryResult("CONSTRUCT", graph=g)


def _run_rdflib(graph: Graph, query: str) -> QueryResult:
    if isinstance(graph, Dataset):
        graph.default_union = True
    res = graph.query(query, initNs=PREFIXES)
    if res.type == "ASK":
        return QueryResult("ASK", boolean=bool(res.askAnswer))
    if res.type == "SELECT":
        names = [str(v) for v in res.vars]
        rows = [tuple(row.get(v) if hasattr(row, "get") else row[i] for i, v in enumerate(res.vars))
                for row in res]
        return QueryResult("SELECT", vars=names, raw=rows)
    return QueryResult("CONSTRUCT", graph=res.graph)


def run_query(graph_or_path: Graph | ox.Store | str | os.PathLike[str], query_text: str,
              bindings: dict[str, str] | None = None, engine: str = "oxigraph") -> QueryResult:
    """Run a SPARQL query on a graph, a dataset, an Oxigraph store or a file/directory.

    The merged view is queried (default graph = union of all graphs).  The
    query is passed to Oxigraph as a string, never pre-parsed (pre-parsed
    queries would fall back to rdflib's engine).

    >>> from rdflib import Graph, URIRef, Literal
    >>> g = Graph().add((URIRef("urn:a"), URIRef("urn:name"), Literal("Roe")))
    >>> r = run_query(g, "SELECT ?s WHERE { ?s <urn:name> ?n }", {"n": "morales"})
    >>> len(r), run_query(g, "SELECT ?s WHERE { ?s <urn:name> ?n }", {"n": "Roe"}).as_dicts()
    (0, [{'s': 'urn:a'}])
    """
    query = with_values(query_text, bindings)
    if engine not in ("oxigraph", "rdflib"):
        raise ValueError(f"unknown engine {engine!r}: use oxigraph or rdflib")
    if isinstance(graph_or_path, ox.Store):
        return _run_ox(graph_or_path, query)
    if isinstance(graph_or_path, (str, os.PathLike)):
        if engine == "rdflib":
            from kg.rdf import read_rdf
            return _run_rdflib(read_rdf(graph_or_path, store="memory"), query)
        return _run_ox(load_store(graph_or_path), query)
    if engine == "rdflib":
        return _run_rdflib(graph_or_path, query)
    inner = _oxigraph_inner(graph_or_path)
    if inner is not None:
        if isinstance(graph_or_path, Dataset):
            return _run_ox(inner, query)
        # an oxrdflib Graph lives in a named graph of its store
        return _run_ox(inner, query, default_graph=graph_or_path.identifier)
    return _run_ox(_store_from_graph(graph_or_path), query)


# --------------------------------------------------------------------------- formatting

@cache
def _shortener() -> list[tuple[str, str]]:
    return sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def _display(term: Any) -> str:
    """Readable cell text: prefixed IRIs, literals by their lexical form."""
    if term is None:
        return ""
    kind, value, _, _ = _parts(term)
    if kind == "uri":
        for ns, prefix in _shortener():
            if value.startswith(ns) and "/" not in value[len(ns):]:
                return f"{prefix}:{value[len(ns):]}"
    return value


_INTEGER_TYPES = {str(XSD.integer), str(XSD.int), str(XSD.long), str(XSD.nonNegativeInteger)}


def _json_value(term: Any) -> Any:
    if term is None:
        return None
    kind, value, _, dt = _parts(term)
    if kind == "literal" and dt in _INTEGER_TYPES:
        try:
            return int(value)
        except ValueError:
            return value
    if kind == "literal" and dt == str(XSD.boolean):
        return value in ("true", "1")
    return value


def _sparql_json_term(term: Any) -> dict[str, str]:
    kind, value, lang, dt = _parts(term)
    out = {"type": kind, "value": value}
    if lang:
        out["xml:lang"] = lang
    elif dt:
        out["datatype"] = dt
    return out


def format_results(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as ``table``, ``csv``, ``json`` (rows as objects) or ``sparql-json``.

    CONSTRUCT/DESCRIBE results are written as Turtle whatever ``fmt`` is.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if result.kind == "CONSTRUCT":
        assert result.graph is not None
        return result.graph.serialize(format="turtle")
    if result.kind == "ASK":
        if fmt == "sparql-json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        if fmt == "json":
            return json.dumps(result.boolean) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")   # SPARQL 1.1 CSV results use CRLF
        writer.writerow(result.vars)
        for row in result.raw:
            writer.writerow(["" if t is None else _parts(t)[1] for t in row])
        return buf.getvalue()
    if fmt == "json":
        return json.dumps([{v: _json_value(t) for v, t in zip(result.vars, row)} for row in result.raw],
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "sparql-json":
        doc = {"head": {"vars": result.vars},
               "results": {"bindings": [{v: _sparql_json_term(t) for v, t in zip(result.vars, row) if t is not None}
                                        for row in result.raw]}}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    cells = [[_display(t) for t in row] for row in result.raw]
    widths = [max([len(v)] + [min(len(r[i]), 60) for r in cells]) for i, v in enumerate(result.vars)]

    def line(values: list[str]) -> str:
        return " | ".join((v if len(v) <= 60 else v[:57] + "...").ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(result.vars), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"
