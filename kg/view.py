"""The offline timeline viewer: one self-contained HTML page per graph.

The page is our template (``viz/template.html``) with the vendored
vis-timeline and vis-network builds, our CSS and script inlined, and the
``events.json`` contract dict embedded as a ``<script type="application/json">``
block that the script reads with ``JSON.parse``.  Nothing is fetched at run
time: a Content-Security-Policy meta tag forbids every request and allows only
the page's own inline scripts (by hash), so injected markup could not run even
if it reached the DOM (the script only ever uses ``textContent``).

The network's nodes, edges and options are built with pyvis, but rendered by
our template, not pyvis's (which loads Bootstrap from a CDN, writes ``lib/``
and puts popup titles in with ``innerHTML``).

>>> html = render_html({"events": [], "actors": [], "articles": [], "links": [], "processes": []})
>>> html.startswith("<!DOCTYPE html>")
True
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import math
import os
import re
import webbrowser
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.atomic import write_text_atomic
from kg.resources import load_toml, viz_file

# Node positions are computed here, so the page draws the network at once
# with physics off: a force layout up to this many nodes, above it a layout
# by date (a force layout of thousands of nodes takes seconds anywhere).
SPRING_MAX_NODES = 400

VENDOR_SCRIPTS = (
    ("vendor", "vis-timeline", "vis-timeline-graph2d.min.js"),
    ("vendor", "vis-network", "vis-network.min.js"),
)
PAGE_SCRIPT = ("viewer.js",)
PAGE_STYLE = ("viewer.css",)
TEMPLATE = ("template.html",)

_MARKER = re.compile(r"<!--KG:([A-Z_]+)-->")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=\S*\s*$", re.MULTILINE)
# Characters that could end the JSON block early or confuse an HTML/JS parser.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def script_json(obj: Any) -> str:
    """JSON text safe to embed inside a ``<script type="application/json">`` element.

    >>> script_json({"t": "</script><img src=x>"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def _asset(parts: tuple[str, ...]) -> str:
    try:
        return viz_file(*parts).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"viewer asset {'/'.join(parts)} is missing: reinstall the package") from exc


def _inline_script(code: str) -> str:
    # A literal "</script" inside vendored code would end the element early.
    return _SOURCE_MAP.sub("", code).replace("</script", "<\\/script")


def _csp_hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _content_security_policy(scripts: list[str]) -> str:
    """Allow only our inline scripts (by hash); forbid every request."""
    hashes = " ".join(_csp_hash(code) for code in scripts)
    return ("default-src 'none'; "
            f"script-src {hashes}; "
            # The vis builds inject their stylesheets as <style> elements.
            "style-src 'unsafe-inline'; "
            "img-src data:; font-src data:; connect-src 'none'; "
            "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'")


# --------------------------------------------------------------------------- view model

def type_legend(data: dict) -> list[dict]:
    """Event types for the legend: the scheme's types in its order, then any unknown ones."""
    scheme = load_toml("event_types.toml").get("types", {})
    counts: dict[str, int] = defaultdict(int)
    for event in data.get("events", []):
        counts[event.get("type") or "Unknown"] += 1
    names = list(scheme) + sorted(t for t in counts if t not in scheme)
    return [{"name": name, "label": scheme.get(name, {}).get("label", name),
             "definition": scheme.get(name, {}).get("definition", ""),
             "color": index, "count": counts.get(name, 0)}
            for index, name in enumerate(names)]


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _stable_fraction(text: str) -> float:
    """A deterministic number in [0, 1) from text, for layout jitter."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) / 0x100000000


def _positions(data: dict, types: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Node positions for big graphs: events by date along x, in bands by type;
    each actor above, at the mean x of its events."""
    events = data.get("events", [])
    days = [d for d in (_day(e.get("start")) for e in events) if d]
    first = min(days).toordinal() if days else 0
    span = max(1, (max(days).toordinal() - first) if days else 1)
    width = max(2000.0, math.sqrt(len(events)) * 120)
    band = 90.0
    pos: dict[str, tuple[float, float]] = {}
    actor_xs: dict[str, list[float]] = defaultdict(list)
    for event in events:
        day = _day(event.get("start"))
        # Undated events sit in a column right of the axis.
        x = ((day.toordinal() - first) / span * width) if day else width * 1.08
        jitter = _stable_fraction(event["id"])
        y = types.get(event.get("type"), 0) * band + jitter * band * 0.8
        pos["e:" + event["id"]] = (round(x, 1), round(y, 1))
        for actor in event.get("actors", []):
            actor_xs[actor["id"]].append(x)
    for actor_id, xs in actor_xs.items():
        jitter = _stable_fraction(actor_id)
        pos["a:" + actor_id] = (round(sum(xs) / len(xs) + (jitter - 0.5) * 60, 1),
                                round(-band * (1.5 + jitter * 6), 1))
    return pos


def _spring_positions(events: list[dict]) -> dict[str, tuple[float, float]]:
    """A seeded force layout of the actor-event graph (same input, same picture)."""
    graph = nx.Graph()
    for event in events:
        graph.add_node("e:" + event["id"])
        for actor in event.get("actors", []):
            if actor.get("id"):
                graph.add_edge("e:" + event["id"], "a:" + actor["id"])
    if not graph:
        return {}
    scale = 60.0 * math.sqrt(graph.number_of_nodes()) + 100
    layout = nx.spring_layout(graph, seed=7, k=1.6 / math.sqrt(graph.number_of_nodes()), iterations=80)
    return {node: (round(float(x) * scale, 1), round(float(y) * scale, 1)) for node, (x, y) in layout.items()}


class _NodeIds(list):
    """pyvis keeps node ids in a list and looks one up for every node and edge it adds: quadratic
    at 100,000 nodes.  The same list, with a set answering ``in``."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[str] = set()

    def append(self, node_id: str) -> None:
        super().append(node_id)
        self._members.add(node_id)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._members


def build_network(data: dict, legend: list[dict]) -> dict:
    """vis-network nodes, edges and options for actors and events, built with pyvis.

    Node ids are ``e:<event id>`` and ``a:<actor id>`` so the two kinds never
    collide; event nodes are in group ``t<colour index>`` and actor nodes in
    ``actor-<kind>``, so the page colours them from its light/dark palette.
    """
    events = data.get("events", [])
    actors = {a["id"]: a for a in data.get("actors", []) if a.get("id")}
    types = {t["name"]: t["color"] for t in legend}
    used_actors: dict[str, dict] = {}
    for event in events:
        for actor in event.get("actors", []):
            if actor.get("id"):
                used_actors.setdefault(actor["id"], {**actor, **actors.get(actor["id"], {})})
    n_nodes = len(events) + len(used_actors)
    pos = _spring_positions(events) if n_nodes <= SPRING_MAX_NODES else _positions(data, types)
    physics = False
    # directed=True: pyvis then skips its quadratic duplicate-edge scan.
    net = Network(directed=True, cdn_resources="in_line")
    net.node_ids = _NodeIds()
    for event in events:
        nid = "e:" + event["id"]
        extra = {"x": pos[nid][0], "y": pos[nid][1]} if nid in pos else {}
        net.add_node(nid, label=str(event.get("label") or event["id"])[:60], shape="dot", size=10,
                     group="t%d" % types.get(event.get("type"), 0),
                     title=f"{event.get('label') or ''}\n{event.get('start') or 'no date'}", **extra)
    for actor_id, actor in used_actors.items():
        nid = "a:" + actor_id
        extra = {"x": pos[nid][0], "y": pos[nid][1]} if nid in pos else {}
        net.add_node(nid, label=str(actor.get("name") or actor_id), shape="square", size=9,
                     group="actor-" + str(actor.get("kind") or "organization"),
                     title=str(actor.get("name") or actor_id), **extra)
    seen: set[tuple[str, str]] = set()
    for event in events:
        for actor in event.get("actors", []):
            key = ("a:" + actor["id"], "e:" + event["id"])
            if actor.get("id") and key not in seen:
                seen.add(key)
                net.add_edge(key[0], key[1], title=str(actor.get("role") or "participant"),
                             role=str(actor.get("role") or ""))
    event_ids = {e["id"] for e in events}
    for link in data.get("links", []):
        if link.get("source") in event_ids and link.get("target") in event_ids:
            net.add_edge("e:" + link["source"], "e:" + link["target"], title=str(link.get("type") or ""),
                         dashes=True, arrows="to", link=str(link.get("type") or ""))
    net.set_options(json.dumps({
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": physics and n_nodes <= 100},
        "physics": {"enabled": physics, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -4000, "springLength": 110},
                    "stabilization": {"enabled": physics, "iterations": 250, "fit": True}},
        "interaction": {"hover": not physics or n_nodes < 200, "tooltipDelay": 250,
                        "hideEdgesOnDrag": not physics, "hideEdgesOnZoom": not physics,
                        "multiselect": False, "keyboard": False},
        "edges": {"smooth": False, "width": 1, "selectionWidth": 2,
                  "arrows": {"to": {"enabled": False}}},
        "nodes": {"font": {"size": 12}, "borderWidth": 1},
    }))
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    # pyvis gives every edge of a directed network an arrow; only links between events have a
    # direction worth drawing (role edges would cost the canvas an arrow head each for nothing).
    for edge in edges:
        if "link" not in edge:
            edge.pop("arrows", None)
    return {"nodes": nodes, "edges": edges, "options": json.loads(options), "physics": physics}


def view_model(data: dict) -> dict:
    """The dict the page reads: the contract data plus legend and network."""
    legend = type_legend(data)
    return {
        "events": data.get("events", []),
        "actors": data.get("actors", []),
        "articles": data.get("articles", []),
        "links": data.get("links", []),
        "processes": data.get("processes", []),
        "view": {"types": legend, "network": build_network(data, legend)},
    }


# --------------------------------------------------------------------------- page

def render_html(data: dict, title: str = "Event timeline") -> str:
    """The viewer page for ``data`` (the ``events.json`` dict) as one HTML string."""
    scripts = [_inline_script(_asset(p)) for p in VENDOR_SCRIPTS] + [_inline_script(_asset(PAGE_SCRIPT))]
    parts = {
        # The attribute is double-quoted and the policy's single quotes must stay readable.
        "CSP": html_lib.escape(_content_security_policy(scripts), quote=False).replace('"', "&quot;"),
        "TITLE": html_lib.escape(title),
        "STYLE": _asset(PAGE_STYLE).replace("</style", "<\\/style"),
        "DATA": script_json(view_model(data)),
        "SCRIPTS": "\n".join(f"<script>{code}</script>" for code in scripts),
    }
    # One pass, so text put in (the data) is never scanned for markers again.
    return _MARKER.sub(lambda m: parts[m.group(1)], _asset(TEMPLATE))


def write_html(data: dict, path: str | os.PathLike[str]) -> Path:
    """Write the viewer page to ``path`` atomically (temp file + rename) and return it."""
    return write_text_atomic(path, render_html(data))


def iframe_html(data: dict, height: int = 720) -> str:
    """The page wrapped in an ``<iframe srcdoc>``, for notebooks.

    Putting the page straight into a notebook's DOM would mix its ids and
    styles with the notebook's; an iframe keeps it whole.
    """
    page = html_lib.escape(render_html(data), quote=True)
    return (f'<iframe srcdoc="{page}" style="width:100%;height:{int(height)}px;border:0" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>')


def open_in_browser(path: str | os.PathLike[str]) -> None:
    """Open a viewer page (or ``<dir>/timeline.html`` for a build folder) in the default browser."""
    target = Path(path)
    if target.is_dir():
        target = target / "timeline.html"
    if not target.is_file():
        raise FileNotFoundError(f"{target} does not exist: run `kg build` first")
    webbrowser.open(target.resolve().as_uri())
