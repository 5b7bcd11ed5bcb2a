"""The Python API for notebooks: ``kg.build``, ``kg.load`` and ``KnowledgeGraph``.

The CLI is a thin layer over the same functions.

>>> import kg
>>> g = kg.KnowledgeGraph(kg.api.Corpus((), (), ()))
>>> g.timeline()
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.contract import corpus_to_dict, read_events_json, write_events_json
from kg.records import Corpus, Event

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    import rdflib

class KnowledgeGraph:
    """A built event timeline graph: query it, export it, view it."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def __repr__(self) -> str:
        c = self.corpus
        return (f"<KnowledgeGraph: {len(c.events)} events, {len(c.actors)} actors, "
                f"{len(c.articles)} articles, {len(c.skipped)} skipped>")

    # -- looking things up --------------------------------------------------
    def events(self, type: str | None = None, actor: str | None = None,
               between: tuple[str | date, str | date] | None = None, modality: str | None = None) -> list[Event]:
        """Events filtered by type, actor (id, name or alias, case-insensitive) and a date window.

        An event is in the window ``between=(start, end)`` when its interval overlaps it.
        """
        matches = []
        wanted_actor = self._actor_ids(actor) if actor else None
        window = tuple(date.fromisoformat(str(d)) for d in between) if between else None
        for event in self.timeline():
            if type and event.type.lower() != type.lower():
                continue
            if modality and event.modality != modality:
                continue
            if wanted_actor is not None and not wanted_actor & {p.actor for p in event.participants}:
                continue
            if window:
                if event.start is None or event.start > window[1] or (event.end or event.start) < window[0]:
                    continue
            matches.append(event)
        return matches

    def _actor_ids(self, needle: str) -> set[str]:
        needle = needle.lower()
        ids = set()
        for actor in self.corpus.actors:
            names = [actor.id, actor.name, *actor.aliases]
            if any(needle == n.lower() or needle in n.lower().split() for n in names):
                ids.add(actor.id)
        return ids

    def timeline(self) -> list[Event]:
        """Events in time order (undated events last)."""
        return sorted(self.corpus.events, key=lambda e: (e.start or date.max, e.end or date.max, e.type, e.id))

    # -- views --------------------------------------------------------------
    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx ``MultiDiGraph`` (actors, events, places, articles; dated edges)."""
        from kg.graph import corpus_to_nx

        return corpus_to_nx(self.corpus)

    @cached_property
    def rdf(self) -> rdflib.Graph:
        """The merged RDF graph (rdflib)."""
        from kg.rdf import merged_graph

        return merged_graph(self.corpus)

    def sparql(self, query: str, bindings: dict[str, str] | None = None) -> Any:
        """Run a SPARQL query on the graph; returns rows (see ``kg.query.run_query``)."""
        from kg.query import run_query

        return run_query(self.rdf, query, bindings)

    def to_dict(self) -> dict[str, Any]:
        """The ``events.json`` document."""
        return corpus_to_dict(self.corpus)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per event: dates, type, label, modality, actors with roles, places, source count."""
        import pandas as pd

        rows = [{
            "id": e.id, "type": e.type, "label": e.label, "start": e.start, "end": e.end,
            "precision": e.precision, "time_text": e.time_text, "modality": e.modality,
            "actors": "; ".join(f"{p.name} ({p.role})" for p in e.participants),
            "places": "; ".join(p.name for p in e.places),
            "quantities": dict(e.quantities) or None, "sources": len(e.sources), "conflict": bool(e.claims),
        } for e in self.timeline()]
        return pd.DataFrame(rows, columns=["id", "type", "label", "start", "end", "precision", "time_text",
                                           "modality", "actors", "places", "quantities", "sources", "conflict"])

    def _repr_html_(self) -> str:
        """Jupyter shows the interactive viewer (in an iframe, so its styles stay its own)."""
        from kg.view import iframe_html

        return iframe_html(self.to_dict())

    # -- writing ------------------------------------------------------------
    def to_rdf(self, path: str | Path) -> Path:
        """Write the graph as Turtle (``.ttl``), TriG (``.trig``) or JSON-LD (``.jsonld``), by suffix."""
        from kg.atomic import write_text_atomic
        from kg.rdf import corpus_nt_quads, jsonld_text, trig_text, turtle_text

        path = Path(path)
        writers = {".ttl": turtle_text, ".trig": trig_text, ".jsonld": jsonld_text}
        if path.suffix not in writers:
            raise ValueError(f"{path}: unknown RDF format {path.suffix!r}; use .ttl, .trig or .jsonld")
        return write_text_atomic(path, writers[path.suffix](corpus_nt_quads(self.corpus)))

    def to_html(self, path: str | Path) -> Path:
        """Write the offline timeline viewer."""
        from kg.view import write_html

        return write_html(self.to_dict(), path)

    def to_json(self, path: str | Path) -> Path:
        """Write ``events.json``."""
        return write_events_json(self.corpus, path)

    def save(self, out_dir: str | Path) -> dict[str, Path]:
        """Write every output (RDF, events.json, viewer) into ``out_dir``."""
        from kg.rdf import write_rdf

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = dict(write_rdf(self.corpus, out))
        written["events.json"] = self.to_json(out / "events.json")
        written["timeline.html"] = self.to_html(out / "timeline.html")
        return written


def build(paths: str | Path | Iterable[str | Path], *, workers: int | None = 1,
          out: str | Path | None = None) -> KnowledgeGraph:
    """Build the graph from article files or folders (``workers=None``: one process per core).

    With ``out``, the outputs and the build state are written there, as ``kg build --out`` does,
    so that ``add`` and ``remove`` can follow.
    """
    if out is not None:
        from kg.workspace import build as build_in

        return KnowledgeGraph(build_in(paths, out, workers=workers).corpus)
    from kg.pipeline import run

    return KnowledgeGraph(run(paths, workers=workers))


def add(out: str | Path, paths: str | Path | Iterable[str | Path], *, workers: int | None = 1) -> KnowledgeGraph:
    """Add articles to the build in ``out`` (see ``kg add``) and return the updated graph."""
    from kg.workspace import add as add_to

    return KnowledgeGraph(add_to(out, paths, workers=workers).corpus)


def remove(out: str | Path, articles: Iterable[str]) -> KnowledgeGraph:
    """Take articles (id, URL or input path) out of the build in ``out`` (see ``kg remove``)."""
    from kg.workspace import remove as remove_from

    return KnowledgeGraph(remove_from(out, articles).corpus)


def load(path: str | Path) -> KnowledgeGraph:
    """Load a graph written by ``kg build`` (the output folder, or its ``events.json``)."""
    path = Path(path)
    return KnowledgeGraph(read_events_json(path / "events.json" if path.is_dir() else path))
