"""The ``kg`` command: a thin layer over the Python API (see ``kg --help``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

EXIT_USAGE = 2


def _fail(message: str) -> int:
    print(f"kg: error: {message}", file=sys.stderr)
    return 1


def cmd_build(args: argparse.Namespace) -> int:
    from kg.api import KnowledgeGraph
    from kg.pipeline import build_with_stats

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        return _fail(f"no such file or folder: {', '.join(missing)}")
    show_progress = not args.quiet and sys.stderr.isatty()

    def progress(done: int, skipped: int) -> None:
        if show_progress:
            print(f"\r  processed {done} articles, skipped {skipped}", end="", file=sys.stderr, flush=True)

    corpus, seconds = build_with_stats(args.paths, workers=args.workers, progress=progress)
    if show_progress:
        print(file=sys.stderr)
    if not corpus.articles:
        for skip in corpus.skipped:
            print(f"  skipped {skip.origin}: {skip.reason}", file=sys.stderr)
        return _fail(f"no article could be read under {', '.join(args.paths)} "
                     "(expected .txt, .json, .jsonl or .html files)")
    graph = KnowledgeGraph(corpus)
    written = graph.save(args.out)
    edges = graph.nx.number_of_edges()
    types = Counter(e.type for e in corpus.events)
    print(f"Read {len(corpus.articles)} articles, skipped {len(corpus.skipped)}.")
    for skip in corpus.skipped:
        print(f"  skipped {skip.origin}: {skip.reason}")
    print(f"Found {len(corpus.events)} events "
          f"({', '.join(f'{n} {t}' for t, n in types.most_common())}), "
          f"{len(corpus.actors)} actors, {edges} edges, {len(corpus.processes)} processes.")
    if corpus.unplaced_mentions:
        print(f"{corpus.unplaced_mentions} undated mentions of past events matched no dated event "
              "and were left out (background references; see README, 'How events are merged').")
    conflicts = sum(1 for e in corpus.events if e.claims)
    if conflicts:
        print(f"{conflicts} events have conflicting reports (see 'claims' in events.json).")
    print(f"Wrote {', '.join(str(p) for p in written.values())}")
    print(f"Took {seconds:.2f} s.")
    return 0


def _parse_bindings(pairs: list[str]) -> dict[str, str]:
    bindings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--bind {pair!r}: write it as NAME=VALUE, e.g. --bind actorName='Jane Roe'")
        bindings[name.strip().lstrip("?")] = value
    return bindings


def cmd_query(args: argparse.Namespace) -> int:
    from kg.query import format_results, load_query, run_query, shipped_queries

    if args.list:
        from kg.query import query_description

        for name, text in sorted(shipped_queries().items()):
            print(f"{name:28} {query_description(text)}")
        return 0
    if not args.query:
        return _fail("give a query: a .rq file, the name of a shipped query (see `kg query --list`), "
                     "or the SPARQL text itself")
    graph = Path(args.graph)
    if not graph.exists():
        return _fail(f"{graph} not found: run `kg build data/articles --out {graph.parent}` first, "
                     "or point --graph at a .ttl, .trig or .jsonld file")
    try:
        text = load_query(args.query)
        bindings = _parse_bindings(args.bind)
        result = run_query(graph, text, bindings)
    except (ValueError, SyntaxError, FileNotFoundError) as exc:
        return _fail(str(exc))
    print(format_results(result, args.format))
    return 0


def cmd_time(args: argparse.Namespace) -> int:
    from kg.timex import find_times, resolve, time_to_dict

    try:
        value = resolve(args.expression, reference=args.ref)
        values = [value] if value is not None else list(find_times(args.expression, args.ref))
    except ValueError as exc:
        return _fail(f"{exc} (give --ref as YYYY-MM-DD or a full ISO timestamp)")
    if not values:
        print(json.dumps(None))
        return 1
    payload = time_to_dict(values[0]) if len(values) == 1 else [time_to_dict(v) for v in values]
    print(json.dumps(payload, indent=2, ensure_ascii=False))
    return 0


def cmd_view(args: argparse.Namespace) -> int:
    from kg.view import open_in_browser, write_html

    out = Path(args.out)
    page = out / "timeline.html" if out.is_dir() else out
    if not page.exists():
        events = out / "events.json"
        if not events.exists():
            return _fail(f"{out} has no timeline.html or events.json: run `kg build <articles> --out {out}` first")
        write_html(json.loads(events.read_text(encoding="utf-8")), page)
    print(page.resolve().as_uri())
    if not args.no_open:
        open_in_browser(page)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.validate import validate

    target = Path(args.out)
    if not target.exists():
        return _fail(f"{target} not found: run `kg build <articles> --out {target}` first")
    conforms, lines = validate(target)
    for line in lines:
        print(line)
    print("The graph conforms to data/shapes.ttl." if conforms else "The graph does NOT conform (see above).")
    return 0 if conforms else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.serve import ServeError, serve

    try:
        return serve(Path(args.out), host=args.host, port=args.port, timeout_s=args.timeout,
                     location=args.location, announce=print) or 0
    except (ServeError, OSError) as exc:
        return _fail(str(exc))


def cmd_push(args: argparse.Namespace) -> int:
    from kg.serve import ServeError, push

    try:
        counts = push(Path(args.out), args.store, user=args.user, password=args.password, token=args.token,
                      default_graph=args.default_graph)
    except (ServeError, OSError, ValueError) as exc:
        return _fail(str(exc))
    print(f"Pushed {len(counts)} graphs ({sum(counts.values())} triples) to {args.store}")
    for graph, triples in sorted(counts.items()):
        print(f"  {graph}: {triples} triples")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", description="Turn news articles into an event timeline knowledge graph.",
        epilog="Quick start: kg build data/articles --out out/ && kg query talk_rounds --graph out/graph.ttl")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="read articles and write graph.ttl, graph.trig, graph.jsonld, "
                                     "events.json and timeline.html",
                       description="Read every .txt, .json, .jsonl and .html article under PATHS, extract and "
                                   "merge events, and write the graph, events.json and the viewer to --out.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: one per core; 1 runs in this process)")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("query", help="run a SPARQL query on a built graph",
                       description="Run a SPARQL query (a .rq file, a shipped query name, or inline text) "
                                   "and print the rows.")
    p.add_argument("query", nargs="?", help="file.rq, shipped query name (e.g. talk_rounds), or SPARQL text")
    p.add_argument("--graph", default="out/graph.ttl", help="graph file (.ttl/.trig/.jsonld; default out/graph.ttl)")
    p.add_argument("--format", choices=("table", "csv", "json", "sparql-json"), default="table")
    p.add_argument("--bind", action="append", default=[], metavar="NAME=VALUE",
                   help="value for a query variable, added as a VALUES clause (repeatable)")
    p.add_argument("--list", action="store_true", help="list the shipped queries and what they answer")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("time", help="resolve a temporal expression against a reference date",
                       description="Print the normalised value (start, end, precision, EDTF) as JSON.")
    p.add_argument("expression", help='e.g. "between July 23 and 24"')
    p.add_argument("--ref", required=True, help="reference date or timestamp, e.g. 2024-03-01 or 2024-03-01T09:00:00Z")
    p.set_defaults(func=cmd_time)

    p = sub.add_parser("view", help="open the timeline viewer of a built graph",
                       description="Open OUT/timeline.html (rebuilt from events.json if missing) in a browser.")
    p.add_argument("out", nargs="?", default="out", help="output folder of `kg build` (default: out)")
    p.add_argument("--no-open", action="store_true", help="only print the page's file:// address")
    p.set_defaults(func=cmd_view)

    p = sub.add_parser("validate", help="check a built graph against the SHACL shapes",
                       description="Run pySHACL with data/shapes.ttl and print violations readably.")
    p.add_argument("out", nargs="?", default="out", help="output folder or graph file (default: out)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("serve", help="serve a built graph as a read-only SPARQL endpoint",
                       description="Start the Oxigraph server, read-only, on 127.0.0.1 by default.")
    p.add_argument("out", nargs="?", default="out", help="output folder of `kg build` (default: out)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    p.add_argument("--timeout", type=int, default=30, help="query timeout in seconds (default 30)")
    p.add_argument("--location", help="keep the Oxigraph database in this folder (default: a temporary one)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("push", help="load a built graph into a SPARQL Graph Store, one named graph per article",
                       description="PUT each article's named graph (and the merged graph) to a SPARQL 1.1 "
                                   "Graph Store Protocol endpoint, replacing earlier pushes.")
    p.add_argument("out", nargs="?", default="out", help="output folder of `kg build` (default: out)")
    p.add_argument("--store", required=True, help="Graph Store endpoint URL, e.g. http://127.0.0.1:7878/store")
    p.add_argument("--user", help="user name for HTTP basic authentication")
    p.add_argument("--password", help="password for HTTP basic authentication")
    p.add_argument("--token", help="bearer token")
    p.add_argument("--default-graph", help="also PUT the merged graph as this named graph (IRI)")
    p.set_defaults(func=cmd_push)
    return parser


def _version() -> str:
    from kg import __version__

    return f"kg {__version__}"


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `kg query ... | head`: the reader left; that is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
