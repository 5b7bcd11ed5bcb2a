"""The ``kg`` command: a thin layer over the Python API (see ``kg --help``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from kg.workspace import BuildReport

EXIT_USAGE = 2


def _fail(message: str) -> int:
    print(f"kg: error: {message}", file=sys.stderr)
    return 1


class ProgressLine:
    """Articles done, rate and time left: redrawn in place on a terminal, a log line every 10 s otherwise."""

    def __init__(self, total: int | None, stream: TextIO = sys.stderr, interval: float = 10.0) -> None:
        self.total, self.stream, self.interval = total, stream, interval
        self.tty = stream.isatty()
        self.started = self.last = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, skipped: int) -> None:
        now = time.monotonic()
        if now - self.last < (0.2 if self.tty else self.interval):
            return
        self.last = now
        rate = done / max(now - self.started, 1e-9)
        of = f"/{self.total:,}" if self.total else ""
        left = ""
        if self.total and rate > 0 and self.total > done:
            left = f", about {_duration((self.total - done) / rate)} left"
        line = f"{done:,}{of} inputs done ({skipped:,} skipped), {rate:,.1f}/s{left}"
        if self.tty:
            print(f"\r  {line}\x1b[K", end="", file=self.stream, flush=True)
            self.drawn = True
        else:
            print(f"kg: {line}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.drawn:
            print(file=self.stream)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def _check_inputs(paths: list[str]) -> str | None:
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing:
        return f"no such file or folder: {', '.join(missing)}"
    if paths.count("-") and len(paths) > 1:
        return "'-' (JSONL on standard input) cannot be combined with other inputs"
    return None


def _summarise(report: "BuildReport", verb: str) -> None:
    corpus = report.corpus
    types = Counter(e.type for e in corpus.events)
    changes = ", ".join(f"{n:,} {what}" for what, n in (("added", report.added), ("replaced", report.replaced),
                                                       ("unchanged", report.unchanged), ("removed", report.removed))
                        if n)
    if verb == "Read":
        print(f"Read {len(corpus.articles)} articles, skipped {len(corpus.skipped)}.")
    else:
        print(f"{changes or 'Nothing added or removed'}; the build now has {len(corpus.articles)} articles, "
              f"{len(corpus.skipped)} inputs skipped.")
    if report.reused:
        print(f"Reused the stored results of {report.reused} unchanged inputs (build state in {report.out}).")
    for skip in corpus.skipped:
        print(f"  skipped {skip.origin}: {skip.reason}")
    print(f"Found {len(corpus.events)} events "
          f"({', '.join(f'{n} {t}' for t, n in types.most_common())}), "
          f"{len(corpus.actors)} actors, {len(corpus.links)} links, {len(corpus.processes)} processes.")
    if corpus.unplaced_mentions:
        print(f"{corpus.unplaced_mentions} undated mentions (past events that matched no dated event, plans with "
              "no date) were left out: nothing places them on the timeline (see README, 'How events are merged').")
    if corpus.unattributed_mentions:
        print(f"{corpus.unattributed_mentions} mentions of events that name no actor were left out: an event of nobody "
              "joins no process and cannot be told from another that day (see README, 'How events are merged').")
    conflicts = sum(1 for e in corpus.events if e.claims)
    if conflicts:
        print(f"{conflicts} {'event has' if conflicts == 1 else 'events have'} conflicting reports (see 'claims' in "
              "events.json).")
    if report.written:
        print(f"Wrote {', '.join(str(p) for p in report.written.values())}")
    else:
        print("Nothing changed; the outputs were left as they were.")
    stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.stage_seconds.items() if seconds)
    print(f"Took {report.seconds:.2f} s" + (f" ({stages}; per-article stages summed over workers)." if stages
                                             else "."))


def cmd_build(args: argparse.Namespace) -> int:
    from kg.workspace import build

    return _update(args, lambda progress: build(args.paths, args.out, workers=args.jobs, progress=progress,
                                                cluster=args.cluster), "Read")


def cmd_add(args: argparse.Namespace) -> int:
    from kg.workspace import add

    return _update(args, lambda progress: add(args.out, args.paths, workers=args.jobs, progress=progress,
                                              cluster=args.cluster), "Changed")


def _update(args: argparse.Namespace, run: Callable[[ProgressLine | None], BuildReport], verb: str) -> int:
    """What `kg build` and `kg add` share: input checks, the progress line, errors, the summary."""
    from kg.pipeline import count_inputs
    from kg.store import StateError
    from kg.workspace import NothingToBuild

    problem = _check_inputs(args.paths)
    if problem:
        return _fail(problem)
    # On a cluster the workers read the inputs: the client does not scan them to count.
    progress = ProgressLine(None if args.cluster else count_inputs(args.paths)) if not args.quiet else None
    try:
        report = run(progress)
    except NothingToBuild as exc:
        for skip in exc.skipped:
            print(f"  skipped {skip.origin}: {skip.reason}", file=sys.stderr)
        return _fail(f"no article could be read under {', '.join(args.paths)} (expected .txt, .json, .jsonl or "
                     f".html files, or JSONL on standard input with '-'); {args.out} was left as it was")
    except (StateError, ValueError, OSError) as exc:
        return _fail(str(exc))
    finally:
        if progress:
            progress.close()
    _summarise(report, verb)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from kg.store import StateError
    from kg.workspace import remove

    try:
        report = remove(args.out, args.articles)
    except (StateError, KeyError, OSError) as exc:
        return _fail(str(exc.args[0]) if isinstance(exc, KeyError) else str(exc))
    _summarise(report, "Changed")
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


def cmd_train(args: argparse.Namespace) -> int:
    from kg.atomic import write_text_atomic
    from kg.extract.learned import model_to_json
    from kg.train import estimators, read_examples, train, training_summary

    try:
        estimators()    # (before the articles are read: say at once what is missing)
    except RuntimeError as exc:
        return _fail(str(exc))
    examples = []
    for folder in args.folders:
        try:
            examples.extend(read_examples(folder, warn=lambda message: print(f"kg: warning: {message}",
                                                                             file=sys.stderr)))
        except ValueError as exc:
            return _fail(str(exc))
    if not any(e.types for e in examples):
        return _fail("no annotated event was found in any sentence: nothing to learn from")
    print(f"Training on {training_summary(examples)} ...", file=sys.stderr)
    try:
        model = train(examples, regularisation=args.regularisation, threshold=args.threshold,
                      anchor_weight=args.anchor_weight, trained_on=", ".join(args.folders))
    except ValueError as exc:
        return _fail(str(exc))
    path = write_text_atomic(args.out, model_to_json(model))
    print(f"Wrote {path}: {len(model.types)} event types, {len(model.weights):,} features, "
          f"threshold {model.threshold}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", description="Turn news articles into an event timeline knowledge graph.",
        epilog="Quick start: kg build data/articles --out out/ && kg query talk_rounds --graph out/graph.ttl")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build", help="read articles and write graph.ttl, graph.trig, graph.jsonld, "
                                     "events.json and timeline.html",
                       description="Read every .txt, .json, .jsonl and .html article and RSS/Atom feed (.xml, "
                                   ".rss, .atom) under PATHS (or JSONL records on standard input with '-'), "
                                   "extract and merge events, and write the "
                                   "graph, events.json, the viewer and the build state to --out. Results already "
                                   "in OUT's build state (an interrupted run, unchanged articles) are reused.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders, or - for JSONL on stdin")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    _engine_options(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("add", help="add articles to an existing build without rebuilding",
                       description="Process only the new or changed articles under PATHS and rewrite OUT's "
                                   "outputs: new mentions merge into existing events, a changed article (same "
                                   "URL or path) replaces its earlier version, an unchanged one changes nothing.")
    p.add_argument("out", help="output folder of an earlier `kg build`")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders, or - for JSONL on stdin")
    _engine_options(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("remove", help="take articles out of an existing build",
                       description="Remove articles' claims from OUT and rewrite its outputs; events left "
                                   "without a source disappear.")
    p.add_argument("out", help="output folder of an earlier `kg build`")
    p.add_argument("articles", nargs="+", metavar="ARTICLE_ID",
                   help="article id from events.json (article-…), the article's URL, or the path it was read from")
    p.set_defaults(func=cmd_remove)

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

    p = sub.add_parser("train", help="train the sentence model that proposes triggers the lexicon lacks",
                       description="Read annotated articles (a folder with an annotations.json, as in "
                                   "tests/gold/README.md), fit one logistic regression per event type on each "
                                   "sentence's words (names, numbers and dates masked) and write the model. "
                                   "Needs scikit-learn: pip install '.[train]'. In a source checkout the extractor "
                                   "reads data/models/sentence_types.json (an installed package reads the model it "
                                   "was built with: reinstall after training).")
    p.add_argument("folders", nargs="+", metavar="FOLDER", help="folders of annotated articles")
    p.add_argument("--out", default="data/models/sentence_types.json",
                   help="model file to write (default: data/models/sentence_types.json)")
    p.add_argument("--threshold", type=float, default=0.9,
                   help="probability from which a type is proposed (default 0.9)")
    p.add_argument("--anchor-weight", type=float, default=1.0,
                   help="least weight of the word a proposed trigger stands on (default 1.0)")
    p.add_argument("--regularisation", type=float, default=1.0,
                   help="scikit-learn's C: smaller gives smoother weights (default 1.0)")
    p.set_defaults(func=cmd_train)
    return parser


def _engine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="worker processes (default: one per core; 1 runs in this process)")
    p.add_argument("--cluster", metavar="dask://HOST:PORT",
                   help="run the per-article work and the merging on a Dask cluster instead of local processes")
    p.add_argument("--quiet", action="store_true", help="no progress line")


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
