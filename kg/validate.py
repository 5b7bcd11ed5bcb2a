"""Check the graph against the SHACL shapes in ``data/shapes.ttl``.

pyshacl runs on an rdflib in-memory graph (it is several times slower on
the Oxigraph store), so whatever is given is first copied into one.
"""

from __future__ import annotations

import os
from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.rdf import PREFIXES, read_rdf
from kg.resources import data_file

SH = Namespace("http://www.w3.org/ns/shacl#")


@cache
def shapes_text() -> str:
    return data_file("shapes.ttl").read_text(encoding="utf-8")


def _shapes() -> Graph:
    return Graph().parse(data=shapes_text(), format="turtle")


def _in_memory(graph_or_path: Graph | str | os.PathLike[str]) -> Graph:
    """The merged view as a plain in-memory Graph."""
    if isinstance(graph_or_path, (str, os.PathLike)):
        graph_or_path = read_rdf(graph_or_path, store="memory")
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    if isinstance(graph_or_path, Dataset):
        for s, p, o, _ in graph_or_path.quads((None, None, None, None)):
            g.add((s, p, o))
    elif type(graph_or_path.store).__name__ == "Memory" and not isinstance(graph_or_path, Dataset):
        return graph_or_path
    else:
        for triple in graph_or_path.triples((None, None, None)):
            g.add(triple)
    return g


def _short(g: Graph, term: Node | None) -> str:
    if term is None:
        return "?"
    if isinstance(term, URIRef):
        try:
            return g.namespace_manager.normalizeUri(term)
        except Exception:   # rdflib raises assorted errors on IRIs it cannot split
            return f"<{term}>"
    if isinstance(term, Literal):
        return repr(str(term)) if term.datatype is None else f"{str(term)!r}^^{_short(g, term.datatype)}"
    return str(term)


def _path(g: Graph, shapes: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    inverse = shapes.value(path, SH.inversePath) if not isinstance(path, URIRef) else None
    return f"^{_short(g, inverse)}" if inverse is not None else _short(g, path)


def validate(graph_or_path: Graph | str | os.PathLike[str]) -> tuple[bool, list[str]]:
    """Validate a graph, dataset, file or output directory; return (conforms, report lines).

    Each line reads ``Violation: <node> "<label>": <message> [<path>: <value>]``
    and the lines are sorted, so the report is stable.
    """
    data = _in_memory(graph_or_path)
    shapes = _shapes()
    conforms, report, _text = shacl_validate(data, shacl_graph=shapes, inference="none",
                                             advanced=False, allow_warnings=True)
    lines = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        severity = report.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        label = data.value(focus, RDFS.label) if focus is not None else None
        where = _short(data, focus) + (f' "{label}"' if label is not None else "")
        detail = _path(data, report, path)
        if value is not None and value != focus:
            detail = f"{detail}: {_short(data, value)}" if detail else _short(data, value)
        level = str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"
        text = messages[0] if messages else "constraint not met"
        lines.append(f"{level}: {where}: {text}" + (f" [{detail}]" if detail else ""))
    return bool(conforms), sorted(set(lines))
