"""Graph stage: the resolved corpus as a networkx ``MultiDiGraph`` with dated edges.

Node ids are prefixed by kind so actors, places and events never collide:
``event:<id>``, ``actor:<id>``, ``place:<id>``, ``article:<id>``, ``process:<id>``.
Every participation edge (actor -> event) carries the role and the event's
date; event -> event edges carry the link type (next, revises, deadline_of).
"""

from __future__ import annotations

import networkx as nx

from kg.records import Corpus


def node_id(kind: str, key: str) -> str:
    """The node id of a record in the networkx graph.

    >>> node_id("actor", "norland")
    'actor:norland'
    """
    return f"{kind}:{key}"


def corpus_to_nx(corpus: Corpus) -> nx.MultiDiGraph:
    """Build the networkx view of a corpus."""
    graph = nx.MultiDiGraph()
    for actor in corpus.actors:
        graph.add_node(node_id("actor", actor.id), kind="actor", label=actor.name, actor_kind=actor.kind,
                       wikidata=actor.wikidata, title=actor.title)
    for article in corpus.articles:
        graph.add_node(node_id("article", article.id), kind="article", label=article.title, url=article.url,
                       published=article.published)
    for event in corpus.events:
        event_node = node_id("event", event.id)
        graph.add_node(event_node, kind="event", label=event.label, type=event.type, start=event.start,
                       end=event.end, precision=event.precision, modality=event.modality,
                       conflict=bool(event.claims))
        for participant in event.participants:
            actor_node = node_id("actor", participant.actor)
            if actor_node not in graph:
                graph.add_node(actor_node, kind="actor", label=participant.name)
            graph.add_edge(actor_node, event_node, key=participant.role, role=participant.role,
                           start=event.start, end=event.end)
        for place in event.places:
            place_node = node_id("place", place.id)
            graph.add_node(place_node, kind="place", label=place.name, wikidata=place.wikidata)
            graph.add_edge(event_node, place_node, key="place", role="place", start=event.start, end=event.end)
        for article_id in dict.fromkeys(s.article for s in event.sources):
            graph.add_edge(event_node, node_id("article", article_id), key="source", role="source",
                           start=event.start, end=event.end)
    for link in corpus.links:
        graph.add_edge(node_id("event", link.source), node_id("event", link.target), key=link.type,
                       role=link.type, start=link.date, end=link.date)
    for process in corpus.processes:
        process_node = node_id("process", process.id)
        graph.add_node(process_node, kind="process", label=process.label)
        for event_id in process.events:
            graph.add_edge(process_node, node_id("event", event_id), key="has_event", role="has_event")
    return graph
