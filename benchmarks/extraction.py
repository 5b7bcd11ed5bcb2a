"""Extraction benchmark: the kg pipeline against the hand-annotated gold set.

    python benchmarks/extraction.py                # test split (the default)
    python benchmarks/extraction.py --split tune   # the split you may tune on
    python benchmarks/extraction.py --json out.json   # also write the figures
    python benchmarks/extraction.py --throughput 300  # also time a one-core build of 300 unique copies

The pipeline is run through its public API (``kg.build(paths).to_dict()``, the
events.json contract) on the article files of ``tests/gold/<split>/`` (the
``annotations.json`` file is never given to it).  Side by side, in the same
run, a GDELT-style baseline implemented below: one event per sentence with a
trigger from ``data/event_types.toml``, the date from ``dateparser`` (else the
article date), actors = gazetteer names in the sentence, no merging.

Scoring (see tests/gold/README.md for the annotation scheme)
------------------------------------------------------------
Unit: the *mention*, i.e. one (article, real event) pair.  A gold mention is
one entry in annotations.json; a system mention is one (system event, article)
pair from the event's ``sources`` (several sources of one event in the same
article count once).  Matching is done inside each article, one-to-one
(maximum matching), and a gold and a system mention are compatible when

* the event type is equal;
* the dates agree: a gold event dated to a single day needs exactly that start
  (and end, when the system gives one); a gold span of days or a coarser
  precision (week, month, interval, ...) needs the system interval to overlap
  it; gold precision ``unknown`` (no date given by the article) accepts any date;
* the main participants overlap: if the gold event has participants with role
  party / issuer / target / delegation_head, at least one of them must be among
  the system event's actors (any role; roles are scored separately).  An actor
  matches by canonical id (the slug after the last ``/`` or ``:`` of the system
  id) or case-insensitively by name / alias.

Then: precision / recall / F1 per type and overall; role accuracy and modality
accuracy over the matched pairs; actor canonicalisation accuracy (each gold
participant mention of a matched event is aligned to a system actor id; it is
right when its id is the one most mentions of the same gold canonical actor
get, and that id is not the majority id of another canonical actor); pairwise
cross-article merge precision / recall / F1 (pairs of gold mentions from
different articles with the same gold event id, versus pairs aligned to the
same system event; a gold mention is aligned to its matched system event, else
to a system event of the same article whose source sentence contains the gold
sentence substring); throughput of the whole ``kg.build`` call.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
import tempfile
import time
import tomllib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
MAIN_ROLES = {"party", "issuer", "target", "delegation_head"}
ARTICLE_SUFFIXES = {".txt", ".json", ".jsonl", ".html", ".htm", ".xml", ".rss", ".atom"}


# ----------------------------------------------------------------- helpers
def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def norm_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                                         "\u2014": "-", "\u2013": "-", "\u00a0": " "}))
    return re.sub(r"\s+", " ", text).strip().lower()


def to_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    match = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if not match:
        return None
    return date(int(match[1]), int(match[2]), int(match[3] or 1))


def file_key(origin: str | None) -> str | None:
    """Gold file name for a system ``origin`` (path, maybe with ``#n``)."""
    if not origin:
        return None
    return Path(str(origin).split("#", 1)[0]).name


def actor_key(actor_id: str | None) -> str:
    if not actor_id:
        return ""
    return slug(re.split(r"[/:#]", str(actor_id))[-1])


# ------------------------------------------------------------ data classes
@dataclass
class Mention:
    file: str
    event: str              # gold event id, or system event id
    type: str
    start: date | None
    end: date | None
    precision: str
    modality: str
    participants: list[dict[str, Any]]   # gold: name/role/canonical; system: id/name/role/names
    sentences: list[str] = field(default_factory=list)
    quantities: dict[str, Any] = field(default_factory=dict)


def load_gold(split_dir: Path) -> tuple[list[Path], list[Mention]]:
    files = sorted(p for p in split_dir.iterdir()
                   if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and p.name != "annotations.json")
    mentions = read_annotations(split_dir / "annotations.json")
    missing = {m.file for m in mentions} - {p.name for p in files}
    if missing:
        sys.exit(f"annotations.json names files that are not in {split_dir}: {sorted(missing)}")
    return files, mentions


def read_annotations(path: Path) -> list[Mention]:
    """The mentions of an annotations.json file (tests/gold/README.md), in its order."""
    annotations = json.loads(path.read_text(encoding="utf-8"))["articles"]
    mentions = []
    for name, article in annotations.items():
        for ev in article["events"]:
            mentions.append(Mention(
                file=name, event=ev["event"], type=ev["type"], start=to_date(ev.get("start")),
                end=to_date(ev.get("end")) or to_date(ev.get("start")), precision=ev.get("precision", "day"),
                modality=ev.get("modality", "occurred"), participants=ev.get("participants", []),
                sentences=[ev.get("sentence", "")], quantities=ev.get("quantities", {})))
    return mentions


def system_mentions(result: dict[str, Any]) -> list[Mention]:
    """Explode an events.json dict into (event, article) mentions."""
    actors = {a.get("id"): a for a in result.get("actors", [])}
    origin_of = {a.get("id"): a.get("origin") for a in result.get("articles", [])}
    out = []
    for ev in result.get("events", []):
        participants = []
        for a in ev.get("actors", []):
            table = actors.get(a.get("id"), {})
            names = {norm_text(n) for n in [a.get("name"), table.get("name"), *(table.get("aliases") or [])] if n}
            participants.append({"id": a.get("id"), "name": a.get("name"), "role": a.get("role"), "names": names})
        by_file: dict[str, list[str]] = defaultdict(list)
        for src in ev.get("sources", []):
            key = file_key(src.get("origin") or origin_of.get(src.get("article")))
            if key:
                by_file[key].append(src.get("sentence") or "")
        start = to_date(ev.get("start"))
        for key, sentences in by_file.items():
            out.append(Mention(file=key, event=str(ev.get("id")), type=ev.get("type", ""), start=start,
                               end=to_date(ev.get("end")) or start, precision=ev.get("precision") or "day",
                               modality=ev.get("modality") or "occurred", participants=participants,
                               sentences=sentences, quantities=ev.get("quantities") or {}))
    return out


# ----------------------------------------------------------------- matching
def same_actor(gold_p: dict[str, Any], sys_p: dict[str, Any]) -> bool:
    canonical = slug(gold_p.get("canonical") or gold_p.get("name", ""))
    if canonical and canonical == actor_key(sys_p.get("id")):
        return True
    if slug(gold_p.get("name", "")) == actor_key(sys_p.get("id")):
        return True
    names = sys_p.get("names") or set()
    return norm_text(gold_p.get("name", "")) in names or canonical in {slug(n) for n in names}


def dates_agree(g: Mention, s: Mention) -> bool:
    if g.precision == "unknown" or g.start is None:
        return True
    if s.start is None:
        return False
    s_end = s.end or s.start
    if g.precision == "day" and g.start == g.end:
        return s.start == g.start and s_end == g.start
    return s.start <= g.end and g.start <= s_end


def participants_agree(g: Mention, s: Mention) -> bool:
    main = [p for p in g.participants if p.get("role") in MAIN_ROLES]
    if not main:
        return True
    return any(same_actor(p, q) for p in main for q in s.participants)


def sentence_hit(g: Mention, s: Mention) -> bool:
    needle = norm_text(g.sentences[0])
    return bool(needle) and any(needle in norm_text(x) or norm_text(x) in needle
                                for x in s.sentences if len(norm_text(x)) > 20)


def match(gold: list[Mention], system: list[Mention], *, dates: bool = True,
          participants: bool = True) -> list[tuple[int, int]]:
    """One-to-one matching per article (maximum cardinality, then best fit); ``dates=False`` or
    ``participants=False`` relaxes that condition (how many errors are the date's, how many the actors')."""
    import networkx as nx

    pairs = []
    by_file: dict[str, list[int]] = defaultdict(list)
    for j, s in enumerate(system):
        by_file[s.file].append(j)
    # (one graph per article: mentions of different articles never match, and the matching's cost grows with the
    # cube of a graph's size)
    graphs: dict[str, nx.Graph] = defaultdict(nx.Graph)
    for i, g in enumerate(gold):
        for j in by_file.get(g.file, []):
            s = system[j]
            if s.type == g.type and (not dates or dates_agree(g, s)) \
                    and (not participants or participants_agree(g, s)):
                weight = 1.0 + 0.5 * sentence_hit(g, s) + 0.1 * (s.start == g.start)
                graphs[g.file].add_edge(("g", i), ("s", j), weight=weight)
    for graph in graphs.values():
        for a, b in nx.max_weight_matching(graph, maxcardinality=True):
            if a[0] == "s":
                a, b = b, a
            pairs.append((a[1], b[1]))
    return sorted(pairs)


def prf(tp: int, n_sys: int, n_gold: int) -> tuple[float | None, float | None, float | None]:
    p = tp / n_sys if n_sys else None
    r = tp / n_gold if n_gold else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return p, r, f


def score(gold: list[Mention], system: list[Mention]) -> dict[str, Any]:
    pairs = match(gold, system)
    g2s = dict(pairs)
    out: dict[str, Any] = {}
    types = sorted({g.type for g in gold} | {s.type for s in system})
    per_type = {}
    for t in types:
        tp = sum(1 for i, _ in pairs if gold[i].type == t)
        per_type[t] = (*prf(tp, sum(s.type == t for s in system), sum(g.type == t for g in gold)),
                       sum(g.type == t for g in gold), sum(s.type == t for s in system))
    out["per_type"] = per_type
    out["overall"] = prf(len(pairs), len(system), len(gold))
    out["relaxed"] = {"type + participants": prf(len(match(gold, system, dates=False)), len(system), len(gold)),
                      "type + date": prf(len(match(gold, system, participants=False)), len(system), len(gold)),
                      "type only": prf(len(match(gold, system, dates=False, participants=False)), len(system),
                                       len(gold))}
    out["counts"] = {"gold": len(gold), "system": len(system), "matched": len(pairs)}

    # roles, modality, actor alignment over matched pairs
    role_ok = role_n = found = total_p = 0
    modality_ok = 0
    aligned: list[tuple[str, str]] = []     # (gold canonical, system actor id)
    for i, j in pairs:
        g, s = gold[i], system[j]
        modality_ok += g.modality == s.modality
        for p in g.participants:
            total_p += 1
            hits = [q for q in s.participants if same_actor(p, q)]
            if not hits:
                # not found by name: a same-role actor of the system event, if unique, is its alignment
                same_role = [q for q in s.participants if q.get("role") == p.get("role")]
                if len(same_role) == 1 and not any(same_actor(x, same_role[0]) for x in g.participants if x is not p):
                    aligned.append((p["canonical"], str(same_role[0].get("id"))))
                continue
            found += 1
            hit = next((q for q in hits if q.get("role") == p.get("role")), hits[0])
            role_n += 1
            role_ok += hit.get("role") == p.get("role")
            aligned.append((p["canonical"], str(hit.get("id"))))
    out["role_accuracy"] = role_ok / role_n if role_n else None
    out["participant_recall"] = found / total_p if total_p else None
    out["modality_accuracy"] = modality_ok / len(pairs) if pairs else None
    out["actor_accuracy"], out["actor_mentions"] = actor_accuracy(aligned)

    # cross-article merging
    system_of = align_events(gold, system, g2s)
    gold_pairs, sys_pairs = set(), set()
    for a, b in combinations(range(len(gold)), 2):
        if gold[a].file == gold[b].file:
            continue
        if gold[a].event == gold[b].event:
            gold_pairs.add((a, b))
        if system_of[a] is not None and system_of[a] == system_of[b]:
            sys_pairs.add((a, b))
    out["merge"] = (*prf(len(gold_pairs & sys_pairs), len(sys_pairs), len(gold_pairs)),
                    len(gold_pairs), len(sys_pairs))
    out["aligned_mentions"] = sum(v is not None for v in system_of.values())
    return out


def align_events(gold: list[Mention], system: list[Mention], g2s: dict[int, int]) -> dict[int, str | None]:
    """The system event each gold mention is aligned to: its match, else one of its sentence in its article."""
    system_of: dict[int, str | None] = {}
    by_file: dict[str, list[Mention]] = defaultdict(list)
    for s in system:
        by_file[s.file].append(s)
    for i, g in enumerate(gold):
        if i in g2s:
            system_of[i] = system[g2s[i]].event
            continue
        candidates = [s for s in by_file.get(g.file, []) if sentence_hit(g, s)]
        candidates.sort(key=lambda s: s.type != g.type)
        system_of[i] = candidates[0].event if candidates else None
    return system_of


def actor_accuracy(aligned: list[tuple[str, str]]) -> tuple[float | None, int]:
    if not aligned:
        return None, 0
    by_canonical: dict[str, Counter] = defaultdict(Counter)
    by_system: dict[str, Counter] = defaultdict(Counter)
    for canonical, sys_id in aligned:
        by_canonical[canonical][sys_id] += 1
        by_system[sys_id][canonical] += 1
    majority = {c: counts.most_common(1)[0][0] for c, counts in by_canonical.items()}
    owner = {s: counts.most_common(1)[0][0] for s, counts in by_system.items()}
    ok = sum(1 for c, s in aligned if majority[c] == s and owner[s] == c)
    return ok / len(aligned), len(aligned)


# ------------------------------------------------------------------ system
def run_system(files: list[Path]) -> tuple[dict[str, Any] | None, float, str]:
    try:
        import kg
        build = kg.build
    except Exception as exc:  # noqa: BLE001 - report any import problem, keep the baseline running
        return None, 0.0, f"kg.build unavailable: {exc!r}"
    t0 = time.perf_counter()
    try:
        graph = build([str(p) for p in files])
    except TypeError:
        # build() takes a single path: give it a directory with the articles only
        tmp = Path(tempfile.mkdtemp(prefix="kg-gold-"))
        for p in files:
            shutil.copy2(p, tmp / p.name)
        t0 = time.perf_counter()
        graph = build(str(tmp))
    elapsed = time.perf_counter() - t0
    return graph.to_dict(), elapsed, ""


# ---------------------------------------------------------------- baseline
_DATELINE_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _article_date(path: Path) -> tuple[str, date]:
    import dateparser

    raw = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        record = json.loads(raw)
        parsed = dateparser.parse(str(record.get("published", "")), languages=["en"])
        return record.get("text", ""), (parsed.date() if parsed else date.today())
    for line in raw.splitlines()[:5]:
        line = re.sub(r"^(published|posted|updated)[:\s]*", "", line.strip(), flags=re.I)
        if line and len(line) < 60:
            parsed = dateparser.parse(line, languages=["en"], settings={"DATE_ORDER": "DMY"})
            if parsed:
                return raw, parsed.date()
    return raw, date.today()


def _sentences(text: str) -> list[str]:
    out = []
    for para in re.split(r"\n\s*\n|\n", text):
        para = para.strip()
        if len(para) < 25:
            continue
        out.extend(s.strip() for s in re.split(r"(?<=[.!?\"])\s+(?=[A-Z\"(])", para) if s.strip())
    return out


def _load_gazetteer() -> list[tuple[re.Pattern[str], str, str]]:
    path = ROOT / "data" / "gazetteer" / "actors.csv"
    entries = []
    if not path.exists():
        return entries
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = {row.get("name", "")}
            for column in ("aliases", "demonyms", "metonyms"):
                names.update(n for n in (row.get(column) or "").split("|"))
            for n in names:
                n = n.strip()
                if len(n) >= 3:
                    entries.append((re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)"), row["id"], row["name"]))
    return entries


def run_baseline(files: list[Path]) -> tuple[dict[str, Any], float]:
    from dateparser.search import search_dates

    scheme = tomllib.loads((ROOT / "data" / "event_types.toml").read_text(encoding="utf-8"))["types"]
    triggers = []
    for type_name, spec in scheme.items():
        for trig in spec.get("triggers", []):
            triggers.append((re.compile(r"(?<!\w)" + re.escape(trig) + r"(?!\w)", re.I), type_name,
                             (spec.get("roles") or ["party"])[0]))
    gazetteer = _load_gazetteer()
    t0 = time.perf_counter()
    events, articles, n = [], [], 0
    for path in files:
        text, article_date = _article_date(path)
        articles.append({"id": path.name, "origin": str(path), "published": article_date.isoformat()})
        base = datetime(article_date.year, article_date.month, article_date.day)
        for sentence in _sentences(text):
            hits = [(m.start(), -len(m.group()), t, role) for rx, t, role in triggers for m in [rx.search(sentence)] if m]
            if not hits:
                continue
            _, _, type_name, role = min(hits)
            found = search_dates(sentence, languages=["en"], settings={"RELATIVE_BASE": base}) or []
            day = found[0][1].date() if found else article_date
            actors, seen = [], set()
            for rx, actor_id, name in gazetteer:
                if actor_id not in seen and rx.search(sentence):
                    seen.add(actor_id)
                    actors.append({"id": actor_id, "name": name, "role": role})
            n += 1
            events.append({"id": f"b{n}", "type": type_name, "start": day.isoformat(), "end": day.isoformat(),
                           "precision": "day", "modality": "occurred", "actors": actors, "quantities": {},
                           "sources": [{"article": path.name, "origin": str(path), "sentence": sentence}]})
    elapsed = time.perf_counter() - t0
    actor_table = {}
    for _, actor_id, name in gazetteer:
        actor_table.setdefault(actor_id, {"id": actor_id, "name": name, "aliases": []})
    return {"events": events, "actors": list(actor_table.values()), "articles": articles}, elapsed


# --------------------------------------------------------------- throughput
def unique_copies(sources: list[Path], count: int, target: Path) -> list[Path]:
    """``count`` article files made unique (a closing line and the URL changed), so no copy is dropped as a
    duplicate: throughput is measured on distinct articles."""
    files: list[Path] = []
    n = 0
    while len(files) < count:
        for path in sources:
            if len(files) >= count:
                break
            n += 1
            tag = f"copy {n}"
            text = path.read_text(encoding="utf-8-sig")
            if path.suffix == ".json":
                data = json.loads(text)
                for i, record in enumerate(data if isinstance(data, list) else [data]):
                    record["url"] = f"https://copies.example/{n}/{i}"
                    record["text"] = f"{record.get('text', '')}\n\nFiled as {tag}."
                text = json.dumps(data)
            elif path.suffix == ".jsonl":
                records = [json.loads(line) for line in text.splitlines() if line.strip()]
                for i, record in enumerate(records):
                    record["url"] = f"https://copies.example/{n}/{i}"
                    record["text"] = f"{record.get('text', '')}\n\nFiled as {tag}."
                text = "\n".join(json.dumps(r) for r in records)
            elif path.suffix in (".html", ".htm"):
                text = text.replace("</p>", f"</p><p>Filed as {tag}.</p>", 1)
            else:
                text = f"{text}\n\nFiled as {tag}.\n"
            copy = target / f"{n:04d}-{path.name}"
            copy.write_text(text, encoding="utf-8")
            files.append(copy)
    return files


def throughput(count: int) -> dict[str, tuple[int, float]]:
    """Whole-build articles/s on one core over ``count`` unique copies of the tune split and the sample
    articles (never the test split), start-up (imports, spaCy, matchers) excluded; the baseline alongside."""
    import kg
    from kg.pipeline import run

    sources = sorted(p for d in (GOLD / "tune", ROOT / "data" / "articles") for p in d.iterdir()
                     if p.suffix.lower() in ARTICLE_SUFFIXES and p.name != "annotations.json")
    with tempfile.TemporaryDirectory(prefix="kg-throughput-") as tmp:
        files = unique_copies(sources, count, Path(tmp))
        kg.build([str(files[0])], workers=1)          # warm up: load spaCy, gazetteer, matchers
        t0 = time.perf_counter()
        corpus = run([str(p) for p in files], workers=1)
        ours = (len(corpus.articles), time.perf_counter() - t0)
        # the baseline reads one article per file: give it the single-record files
        single = [p for p in files if p.suffix != ".jsonl"
                  and not (p.suffix == ".json" and p.read_text(encoding="utf-8").lstrip().startswith("["))]
        run_baseline(single[:1])
        baseline, elapsed = run_baseline(single)
    return {"kg pipeline": ours, "GDELT-style baseline": (len(baseline["articles"]), elapsed)}


# ------------------------------------------------------------------- report
def _show(m: Mention) -> str:
    when = "?" if m.start is None else (str(m.start) if m.end in (None, m.start) else f"{m.start}..{m.end}")
    who = ", ".join(f"{p.get('name')}:{p.get('role')}" for p in m.participants)
    return f"{m.type:<16} {when:<22} {m.modality:<10} [{who}] «{(m.sentences[0] if m.sentences else '')[:90]}»"


def error_listing(gold: list[Mention], system: list[Mention]) -> str:
    pairs = match(gold, system)
    hit_g, hit_s = {i for i, _ in pairs}, {j for _, j in pairs}
    lines = []
    for name in sorted({g.file for g in gold}):
        misses = [g for i, g in enumerate(gold) if g.file == name and i not in hit_g]
        extras = [s for j, s in enumerate(system) if s.file == name and j not in hit_s]
        if misses or extras:
            lines.append(f"== {name}")
            lines += [f"  MISS {_show(g)}" for g in misses]
            lines += [f"  FP   {_show(s)}" for s in extras]
    # merging: a real event reported in several articles split over system events, and system events that join
    # mentions of several real events
    system_of = align_events(gold, system, dict(pairs))
    by_gold: dict[str, dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_system: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for i, g in enumerate(gold):
        by_gold[g.event][system_of[i]].append(g.file)
        if system_of[i] is not None:
            by_system[system_of[i]][g.event].append(g.file)
    for event, split in sorted(by_gold.items()):
        if len({f for files in split.values() for f in files}) > 1 and len(split) > 1:
            lines.append(f"SPLIT {event}: " + " | ".join(
                f"{(sid or 'unaligned').rsplit('/', 1)[-1][:24]} <- {', '.join(sorted(files))}" for sid, files in split.items()))
    for sid, events in sorted(by_system.items()):
        if len(events) > 1 and len({f for files in events.values() for f in files}) > 1:
            lines.append(f"JOINED {sid.rsplit('/', 1)[-1][:24]}: " + " | ".join(
                f"{event} <- {', '.join(sorted(files))}" for event, files in events.items()))
    return "\n".join(lines) + "\n"


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:5.2f}"


def report(split: str, n_articles: int, results: dict[str, dict[str, Any] | None], timings: dict[str, float],
           notes: list[str], title: str = "Extraction benchmark") -> str:
    names = list(results)
    lines = [f"{title}, split '{split}': {n_articles} articles", ""]
    for note in notes:
        lines.append(f"NOTE: {note}")
    header = f"{'type':<17}{'gold':>5} | " + " | ".join(f"{n:^27}" for n in names)
    sub = f"{'':<17}{'':>5} | " + " | ".join(f"{'P':>5} {'R':>5} {'F1':>5} {'n_sys':>6}  " for _ in names)
    lines += [header, sub, "-" * len(sub)]
    types = sorted({t for r in results.values() if r for t in r["per_type"]})
    gold_n = {t: next((r["per_type"][t][3] for r in results.values() if r and t in r["per_type"]), 0) for t in types}
    for t in types:
        cells = []
        for n in names:
            r = results[n]
            if r is None:
                cells.append(f"{'n/a':^27}")
                continue
            p, rec, f, _, n_sys = r["per_type"].get(t, (None, None, None, gold_n[t], 0))
            cells.append(f"{fmt(p)} {fmt(rec)} {fmt(f)} {n_sys:>6}  ")
        lines.append(f"{t:<17}{gold_n[t]:>5} | " + " | ".join(cells))
    lines.append("-" * len(sub))
    cells = []
    for n in names:
        r = results[n]
        cells.append(f"{'n/a':^27}" if r is None else
                     f"{fmt(r['overall'][0])} {fmt(r['overall'][1])} {fmt(r['overall'][2])} {r['counts']['system']:>6}  ")
    total_gold = next((r["counts"]["gold"] for r in results.values() if r), 0)
    lines.append(f"{'OVERALL':<17}{total_gold:>5} | " + " | ".join(cells))
    lines.append("")
    rows = [
        ("matched mentions", lambda r: f"{r['counts']['matched']}"),
        *((f"F1, {name}", lambda r, name=name: fmt(r["relaxed"][name][2]))
          for name in ("type + date", "type + participants", "type only")),
        ("role accuracy (matched)", lambda r: fmt(r["role_accuracy"])),
        ("participant recall (matched)", lambda r: fmt(r["participant_recall"])),
        ("modality accuracy (matched)", lambda r: fmt(r["modality_accuracy"])),
        ("actor canonicalisation acc.", lambda r: f"{fmt(r['actor_accuracy'])} (n={r['actor_mentions']})"),
        ("merge pairwise P", lambda r: fmt(r["merge"][0])),
        ("merge pairwise R", lambda r: fmt(r["merge"][1])),
        ("merge pairwise F1", lambda r: fmt(r["merge"][2])),
        ("merge pairs gold / system", lambda r: f"{r['merge'][3]} / {r['merge'][4]}"),
        ("gold mentions aligned", lambda r: f"{r['aligned_mentions']}"),
    ]
    lines.append(f"{'measure':<30} | " + " | ".join(f"{n:^20}" for n in names))
    lines.append("-" * (33 + 23 * len(names)))
    for label, get in rows:
        lines.append(f"{label:<30} | " + " | ".join(f"{'n/a' if results[n] is None else get(results[n]):^20}" for n in names))
    tput = []
    for n in names:
        t = timings.get(n)
        tput.append(f"{'n/a':^20}" if not t else f"{n_articles / t:8.2f} art/s ({t:.1f}s)".center(20))
    lines.append(f"{'throughput (one process)':<30} | " + " | ".join(tput))
    return "\n".join(lines)


def write_figures(path: Path, split: str, n_articles: int, results: dict[str, dict[str, Any] | None],
                  timings: dict[str, float], notes: list[str]) -> None:
    """The figures a run printed, as JSON (``--json``)."""
    path.write_text(json.dumps({"split": split, "articles": n_articles, "results": results, "seconds": timings,
                                "notes": notes}, indent=1, default=str), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "test"), default="test")
    parser.add_argument("--gold-dir", type=Path, default=GOLD, help="directory holding the tune/ and test/ splits")
    parser.add_argument("--no-baseline", action="store_true", help="score the pipeline only")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--events", type=Path, help="score this events.json instead of running kg.build")
    parser.add_argument("--errors", action="store_true",
                        help="list the pipeline's missed gold mentions and unmatched system mentions (use on tune only)")
    parser.add_argument("--throughput", type=int, metavar="N", default=0,
                        help="also time a one-core build of N unique article copies (e.g. 300)")
    args = parser.parse_args(argv)

    files, gold = load_gold(args.gold_dir / args.split)
    results: dict[str, dict[str, Any] | None] = {}
    timings: dict[str, float] = {}
    notes: list[str] = []
    if args.events:
        system, elapsed, problem = json.loads(args.events.read_text(encoding="utf-8")), 0.0, ""
    else:
        system, elapsed, problem = run_system(files)
    if system is None:
        notes.append(problem)
        results["kg pipeline"] = None
    else:
        sys_mentions = system_mentions(system)
        results["kg pipeline"] = score(gold, sys_mentions)
        if args.errors:
            print(error_listing(gold, sys_mentions))
        timings["kg pipeline"] = elapsed
        seen = {file_key(a.get("origin")) for a in system.get("articles", [])}
        unread = sorted({p.name for p in files} - seen) if system.get("articles") else []
        if unread:
            notes.append(f"pipeline produced no article record for: {', '.join(unread)}")
    if not args.no_baseline:
        baseline, b_elapsed = run_baseline(files)
        results["GDELT-style baseline"] = score(gold, system_mentions(baseline))
        timings["GDELT-style baseline"] = b_elapsed
    print(report(args.split, len(files), results, timings, notes))
    if args.throughput:
        speeds = throughput(args.throughput)
        print(f"{'throughput, one core, unique':<30} | " + " | ".join(
            f"{n / t:8.1f} art/s ({n} in {t:.1f}s)".center(20) for n, t in speeds.values())
            + "   (" + ", ".join(speeds) + "; start-up excluded)")
    if args.json:
        write_figures(args.json, args.split, len(files), results, timings, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
