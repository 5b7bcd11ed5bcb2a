"""RDF benchmark: load, memory, exports and every shipped query, rdflib vs our Oxigraph backend.

Builds synthetic corpora of realistic shape (talk rounds with delegation
heads and places, ultimatums with deadlines and revisions, prisoner
exchanges with numbers, statements; several sources per event, some
conflicting claims) at about 10k, 100k and 1M triples, writes them with
``kg.rdf.write_rdf``, and measures in separate processes (so peak memory
is per backend):

* export: building the quads as N-Triples strings (what the writers use; the
  rdflib column: as rdflib terms, what ``corpus_to_dataset`` / ``merged_graph``
  use), Turtle, TriG and JSON-LD writing (ours), and rdflib's own Turtle /
  JSON-LD serializers for comparison;
* load: parsing ``graph.ttl`` (rdflib's parser into its memory store, vs
  Oxigraph's into an in-memory ``pyoxigraph.Store``) and peak RSS;
* each query in ``queries/`` (with typical bindings), once, and three lookups,
  each run ``--repeat`` times: the median is shown, with the slowest run.

Run:  nice python benchmarks/rdf.py [--sizes 10000,100000,1000000] [--rdflib-max 100000] [--budget 600] [--repeat 7]

rdflib is slow at 1M triples (minutes per query), so by default it only
runs up to ``--rdflib-max`` triples; a backend process that exceeds
``--budget`` seconds is stopped and its missing figures shown as ``>budget``.
Prints one table per size; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.records import Actor, Article, Claim, Corpus, Event, Link, Participant, Place, Process, Source  # noqa: E402

TRIPLES_PER_EVENT = 66    # measured on the synthetic shape (with actors, articles, scheme); sizes the corpora
LOOKUPS = {
    "lookup: event by IRI": "SELECT ?p ?o WHERE {{ <{event}> ?p ?o }}",
    "lookup: actor by name": 'SELECT ?a WHERE {{ ?a <http://www.w3.org/2000/01/rdf-schema#label> "{actor}" }}',
    "lookup: sources of event": None,   # event_sources.rq bound to one event
}


def synthetic_corpus(n_events: int, seed: int = 7) -> Corpus:
    """A corpus shaped like the real one, scaled to ``n_events`` events."""
    rng = random.Random(seed)
    n_actors = max(20, n_events // 5)
    n_places = max(5, n_events // 50)
    n_articles = max(3, n_events // 3)
    actors = tuple(Actor(id=f"actor-{i}", name=f"Actor {i}", kind=rng.choice(["person", "person", "country",
                                                                              "organization"]),
                         aliases=(f"A{i}",), wikidata=f"Q{1000 + i}" if i % 3 == 0 else None,
                         affiliation=f"actor-{rng.randrange(n_actors)}" if i % 2 else None)
                   for i in range(n_actors))
    places = [Place(id=f"place-{i}", name=f"Place {i}", wikidata=f"Q{90000 + i}" if i % 2 else None)
              for i in range(n_places)]
    day0 = date(2015, 1, 1)
    articles = tuple(Article(id=f"art-{i}", origin=f"a{i}.txt", title=f"Headline number {i}", text="",
                             published=day0 + timedelta(days=i % 3650), reference_date=day0,
                             url=f"https://example.org/news/{i}") for i in range(n_articles))

    def sources(k: int) -> tuple[Source, ...]:
        out = []
        for _ in range(k):
            a = rng.randrange(n_articles)
            idx = rng.randrange(40)
            text = f"Sentence {idx} of article {a} reports the event in some detail, as news does."
            out.append(Source(article=f"art-{a}", sentence=text, sentence_index=idx, char_start=idx * 120,
                              char_end=idx * 120 + len(text)))
        return tuple(out)

    def parts(roles: list[str]) -> tuple[Participant, ...]:
        chosen = rng.sample(range(n_actors), len(roles))
        return tuple(Participant(actor=f"actor-{a}", name=f"Actor {a}", role=r) for a, r in zip(chosen, roles))

    events: list[Event] = []
    links: list[Link] = []
    processes: list[Process] = []
    i = 0
    while len(events) < n_events:
        start = day0 + timedelta(days=rng.randrange(3650))
        proc = f"proc-{i}"
        members = []
        kind = i % 4
        if kind == 0:      # a negotiation track: three rounds, an exchange
            for r in range(3):
                d = start + timedelta(days=20 * r)
                eid = f"ev-{i}-round-{r}"
                claims = ()
                srcs = sources(2)
                if rng.random() < 0.1:
                    claims = (Claim(d, d, "day", "Wednesday", f"actor-{rng.randrange(n_actors)}", srcs[0]),
                              Claim(d, d + timedelta(days=1), "interval", "between two days", None, srcs[1]))
                events.append(Event(id=eid, type="TalkRound", label=f"Round {r + 1} of track {i}", start=d, end=d,
                                    precision="day", time_text=d.isoformat(), modality="occurred",
                                    participants=parts(["delegation_head", "delegation_head", "party", "party",
                                                        "host"]),
                                    places=(rng.choice(places),), quantities=(), sources=srcs, claims=claims,
                                    ordinal=r + 1, process=proc, edtf=d.isoformat()))
                members.append(eid)
                if r:
                    links.append(Link(f"ev-{i}-round-{r - 1}", eid, "next", d))
            d = start + timedelta(days=45)
            eid = f"ev-{i}-swap"
            events.append(Event(id=eid, type="PrisonerExchange", label=f"Exchange of track {i}", start=d,
                                end=d + timedelta(days=2), precision="interval", time_text="over three days",
                                modality="occurred", participants=parts(["party", "party", "mediator"]),
                                places=(), quantities=(("prisoners_per_side", rng.randrange(10, 1000)),),
                                sources=sources(2), process=proc))
            members.append(eid)
        elif kind == 1:    # an ultimatum, its deadline, a revised deadline
            issuer_target = parts(["issuer", "target"])
            u, d1, d2 = f"ev-{i}-ult", f"ev-{i}-dl", f"ev-{i}-dl2"
            for eid, typ, when, label in ((u, "Ultimatum", start, "Ultimatum"),
                                          (d1, "Deadline", start + timedelta(days=50), "Deadline"),
                                          (d2, "Deadline", start + timedelta(days=25), "Revised deadline")):
                events.append(Event(id=eid, type=typ, label=f"{label} {i}", start=when, end=when, precision="day",
                                    time_text=when.isoformat(), modality="occurred", participants=issuer_target,
                                    places=(), quantities=(), sources=sources(1)))
            links += [Link(d1, u, "deadline_of", start), Link(d2, d1, "revises", start + timedelta(days=14)),
                      Link(d2, u, "deadline_of", start + timedelta(days=14))]
        else:              # statements and proposals, month precision for some
            month = rng.random() < 0.3
            end = (start.replace(day=28) if month else start)
            events.append(Event(id=f"ev-{i}-stmt", type=rng.choice(["Statement", "Proposal", "Announcement"]),
                                label=f"Statement {i}", start=start.replace(day=1) if month else start, end=end,
                                precision="month" if month else "day", time_text="in the month" if month else "today",
                                modality="occurred", participants=parts(["speaker"]), places=(), quantities=(),
                                sources=sources(1)))
        if members:
            processes.append(Process(proc, f"Track {i}", tuple(members)))
        i += 1
    return Corpus(articles=articles, events=tuple(events[:n_events]), actors=actors, links=tuple(links),
                  processes=tuple(processes))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # Linux: KiB


def _emit(key: str, value: object) -> None:
    """One figure per line on stdout, so a stopped process still reports what it measured."""
    sys.stdout.write(json.dumps({key: value}) + "\n")
    sys.stdout.flush()


def _queries(probe: dict[str, str]) -> dict[str, tuple[str, dict[str, str] | None]]:
    from kg.query import shipped_queries
    binds = {"actor_events": {"actorName": probe["actor"]}, "co_participation": {"actorName": probe["actor"]},
             "events_in_window": {"from": probe["from"], "to": probe["to"]}}
    out = {f"query: {name}": (text, binds.get(name)) for name, text in shipped_queries().items()}
    out["query: co_participation (all pairs)"] = (shipped_queries()["co_participation"], None)
    for name, tpl in LOOKUPS.items():
        out[name] = ((shipped_queries()["event_sources"], {"event": probe["event"]}) if tpl is None
                     else (tpl.format(**probe), None))
    return out


def worker_export(n_events: int, out_dir: Path) -> None:
    from kg.rdf import _atomic_write, corpus_nt_quads, corpus_quads, jsonld_text, trig_text, turtle_text
    corpus = synthetic_corpus(n_events)
    t = time.perf_counter()
    quads = corpus_nt_quads(corpus)
    _emit("export: build quads", time.perf_counter() - t)
    _emit("triples", len({(s, p, o) for s, p, o, _ in quads}))
    for name, fn, file in (("turtle", turtle_text, "graph.ttl"), ("trig", trig_text, "graph.trig"),
                           ("json-ld", jsonld_text, "graph.jsonld")):
        t = time.perf_counter()
        _atomic_write(out_dir / file, fn(quads))
        _emit(f"export: {name}", time.perf_counter() - t)
    _emit("peak MB (export)", _peak_mb())   # before the rdflib terms below, which the writers do not need
    del quads
    t = time.perf_counter()
    corpus_quads(corpus)
    _emit("export: build quads (rdflib terms)", time.perf_counter() - t)


def worker_backend(backend: str, ttl: Path, probe: dict[str, str], exports: bool, repeat: int) -> None:
    from kg.query import load_store, run_query
    t = time.perf_counter()
    if backend == "rdflib":
        from rdflib import Graph
        graph: object = Graph().parse(str(ttl), format="turtle")
    else:
        graph = load_store(ttl)
    _emit("load graph.ttl", time.perf_counter() - t)
    _emit("peak MB (load)", _peak_mb())
    engine = "rdflib" if backend == "rdflib" else "oxigraph"
    for name, (text, binds) in _queries(probe).items():
        runs = []
        for _ in range(repeat if name.startswith("lookup") else 1):   # lookups are quick: take a median
            # free the previous result outside the timing: dropping 50k rows of terms takes ~100 ms at 1M
            result = None
            t = time.perf_counter()
            result = run_query(graph, text, binds, engine=engine)
            runs.append(time.perf_counter() - t)
        _emit(name, statistics.median(runs))
        if len(runs) > 1:
            _emit(f"slowest: {name}", max(runs))
        _emit(f"rows: {name}", len(result))   # len() does not convert rows to rdflib terms
    if exports and backend == "rdflib":
        for fmt in ("turtle", "json-ld"):
            t = time.perf_counter()
            graph.serialize(format=fmt)   # type: ignore[attr-defined]
            _emit(f"export: {fmt}", time.perf_counter() - t)
    _emit("peak MB", _peak_mb())


def _run(args: list[str], budget: float) -> dict[str, object]:
    figures: dict[str, object] = {}
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + budget
    try:
        assert proc.stdout is not None
        while True:
            line = proc.stdout.readline()
            if not line:
                break
            figures.update(json.loads(line))
            if time.monotonic() > deadline:
                proc.kill()
                figures["stopped"] = True
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    return figures


def _fmt(v: object, key: str) -> str:
    if v is None:
        return ">budget"
    if key.startswith("peak"):
        return f"{float(v):.0f} MB"          # type: ignore[arg-type]
    if key.startswith(("query", "lookup")) and float(v) < 1:   # type: ignore[arg-type]
        return f"{float(v) * 1000:.{2 if float(v) < 0.01 else 1}f} ms"   # type: ignore[arg-type]
    return f"{float(v):.2f} s"               # type: ignore[arg-type]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="target triple counts, comma-separated")
    ap.add_argument("--rdflib-max", type=int, default=100_000, help="largest size rdflib is run at")
    ap.add_argument("--budget", type=float, default=600, help="seconds per backend process before it is stopped")
    ap.add_argument("--repeat", type=int, default=7, help="runs of each lookup (the median is shown)")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        kind = args.worker[0]
        if kind == "export":
            worker_export(int(args.worker[1]), Path(args.worker[2]))
        else:
            worker_backend(kind, Path(args.worker[1]), json.loads(args.worker[2]), args.worker[3] == "1",
                           int(args.worker[4]))
        return

    for size in (int(s) for s in args.sizes.split(",")):
        n_events = max(10, size // TRIPLES_PER_EVENT)
        with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
            export = _run(["--worker", "export", str(n_events), tmp], args.budget)
            ttl = Path(tmp) / "graph.ttl"
            probe = {"actor": "Actor 7", "event": "https://w3id.org/kg-timeline/event/ev-0-round-1",
                     "from": "2019-01-01", "to": "2019-01-31"}
            repeat = str(args.repeat)
            ours = _run(["--worker", "oxigraph", str(ttl), json.dumps(probe), "0", repeat], args.budget)
            base = (_run(["--worker", "rdflib", str(ttl), json.dumps(probe), "1", repeat], args.budget)
                    if size <= args.rdflib_max else {})
            triples = export.get("triples", "?")
            size_mb = ttl.stat().st_size / 1e6 if ttl.exists() else 0
            print(f"\n== {triples} triples ({n_events} events; graph.ttl {size_mb:.0f} MB)")
            print(f"{'measure':44} {'rdflib':>12} {'ours':>12}")
            keys = ["load graph.ttl", "peak MB (load)", "peak MB"] + \
                   [k for k in ours if k.startswith(("query", "lookup"))] + \
                   ["export: build quads", "export: turtle", "export: trig", "export: json-ld", "peak MB (export)"]
            for key in keys:
                from_export = key.startswith("export") or key == "peak MB (export)"
                right = _fmt((export if from_export else ours).get(key), key)
                if key == "export: build quads":   # rdflib terms are built in the export process, at every size
                    left = _fmt(export.get("export: build quads (rdflib terms)"), key)
                else:
                    rdflib_has = not from_export or key in ("export: turtle", "export: json-ld")
                    left = _fmt(base.get(key), key) if base and rdflib_has else "-"
                rows = ours.get(f"rows: {key}")
                suffix = f"  ({rows} rows)" if rows is not None else ""
                if f"slowest: {key}" in ours:
                    suffix += f"  (median of {args.repeat}; slowest {_fmt(ours[f'slowest: {key}'], key)})"
                print(f"{key:44} {left:>12} {right:>12}{suffix}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
