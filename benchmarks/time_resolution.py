"""Time resolution: kg.timex against dateparser.search_dates, side by side.

Prints, for the expression table (tests/data/timex_cases.tsv) and for the
sample corpus (data/articles, gold below checked by hand against each
article): exact-interval accuracy for both, throughput (sentences/s and
articles/s) measured in the same run, every dateparser miss of the table
sorted into a short taxonomy, and the headline facts of the corpus.

Scoring is strict and the same for both systems: a row counts when the
system reports a value at the expected span (overlap) whose start and end
are exactly the expected ones; a trap counts when nothing is reported; a
duration counts when no date is reported over it (ours must also give the
right length).  dateparser returns one datetime per match, so it can only
ever be right on day-precision rows.

Run: ``python benchmarks/time_resolution.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dateparser.search  # noqa: E402

from kg.records import TimeValue  # noqa: E402
from kg.timex import deadline_from, find_times, resolve  # noqa: E402

TABLE = ROOT / "tests" / "data" / "timex_cases.tsv"
ARTICLES = ROOT / "data" / "articles"
SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")

# Hand-checked values for the sample corpus: (file, expression, occurrence, start, end, category).
# start = end = "" marks a duration (not a date).  Read each article to check.
CORPUS_GOLD = """
istanbul-talks-2025-07.txt|this week|1|2025-07-21|2025-07-27|relative
istanbul-talks-2025-07.txt|Wednesday|1|2025-07-23|2025-07-23|weekday
istanbul-talks-2025-07.txt|between July 23 and 24|1|2025-07-23|2025-07-24|range
istanbul-talks-2025-07.txt|May|1|2025-05-01|2025-05-31|month
istanbul-talks-2025-07.txt|June|1|2025-06-01|2025-06-30|month
istanbul-talks-2025-07.txt|early June|1|2025-06-01|2025-06-10|part
istanbul-talks-2025-07.txt|50-day|1|||duration
2025-05-16-dolmabahce-talks.html|Friday|1|2025-05-16|2025-05-16|weekday
2025-05-16-dolmabahce-talks.html|the day before|1|2025-05-15|2025-05-15|anaphoric
2025-05-16-istanbul-first-round.txt|Friday|1|2025-05-16|2025-05-16|weekday
2025-05-16-istanbul-first-round.txt|since the spring of 2022|1|2022-03-01||open
2025-05-16-istanbul-first-round.txt|2022|2|2022-01-01|2022-12-31|year
2025-05-16-istanbul-first-round.txt|Thursday|1|2025-05-15|2025-05-15|weekday
2025-05-23-25-prisoner-exchange.json|Friday|1|2025-05-23|2025-05-23|weekday
2025-05-23-25-prisoner-exchange.json|last week|1|2025-05-12|2025-05-18|relative
2025-05-23-25-prisoner-exchange.json|May 16|1|2025-05-16|2025-05-16|absolute
2025-05-23-25-prisoner-exchange.json|Saturday|1|2025-05-24|2025-05-24|weekday
2025-05-23-25-prisoner-exchange.json|Sunday|1|2025-05-25|2025-05-25|weekday
2025-05-23-25-prisoner-exchange.json|May 23-25|1|2025-05-23|2025-05-25|range
2025-05-23-25-prisoner-exchange.json|three-day|1|||duration
2025-06-02-second-round.txt|Monday|1|2025-06-02|2025-06-02|weekday
2025-06-02-second-round.txt|two or three days|1|||duration
2025-06-02-second-round.txt|30 days|1|||duration
2025-06-02-second-round.txt|May 16|1|2025-05-16|2025-05-16|absolute
2025-06-02-second-round.txt|May 25|1|2025-05-25|2025-05-25|absolute
2025-06-03-memoranda-analysis.json|Monday|1|2025-06-02|2025-06-02|weekday
2025-06-03-memoranda-analysis.json|June 2|1|2025-06-02|2025-06-02|absolute
2025-06-03-memoranda-analysis.json|Tuesday|1|2025-06-03|2025-06-03|weekday
2025-06-03-memoranda-analysis.json|May|1|2025-05-01|2025-05-31|month
2025-06-03-memoranda-analysis.json|three days|1|||duration
2025-06-03-memoranda-analysis.json|Monday|2|2025-06-02|2025-06-02|weekday
2025-07-14-trump-50-day-ultimatum.json|Monday|1|2025-07-14|2025-07-14|weekday
2025-07-14-trump-50-day-ultimatum.json|50 days|1|||duration
2025-07-14-trump-50-day-ultimatum.json|early September|1|2025-09-01|2025-09-10|part
2025-07-14-trump-50-day-ultimatum.json|around September 2|1|2025-09-02|2025-09-02|absolute
2025-07-14-trump-50-day-ultimatum.json|the same day|1|2025-07-14|2025-07-14|anaphoric
2025-07-14-trump-50-day-ultimatum.json|January|1|2025-01-01|2025-01-31|month
2025-07-14-trump-50-day-ultimatum.json|June 2|1|2025-06-02|2025-06-02|absolute
2025-07-15-19-updates.jsonl|Tuesday|1|2025-07-15|2025-07-15|weekday
2025-07-15-19-updates.jsonl|Monday|1|2025-07-14|2025-07-14|weekday
2025-07-15-19-updates.jsonl|Thursday|1|2025-07-17|2025-07-17|weekday
2025-07-15-19-updates.jsonl|the same day|1|2025-07-17|2025-07-17|anaphoric
2025-07-15-19-updates.jsonl|Saturday|1|2025-07-19|2025-07-19|weekday
2025-07-15-19-updates.jsonl|next week|1|2025-07-21|2025-07-27|relative
2025-07-22-third-round-announced.txt|Tuesday|1|2025-07-22|2025-07-22|weekday
2025-07-22-third-round-announced.txt|this week|1|2025-07-21|2025-07-27|relative
2025-07-22-third-round-announced.txt|Wednesday, July 23|1|2025-07-23|2025-07-23|absolute
2025-07-22-third-round-announced.txt|Monday|1|2025-07-21|2025-07-21|weekday
2025-07-22-third-round-announced.txt|Wednesday|1|2025-07-23|2025-07-23|weekday
2025-07-22-third-round-announced.txt|at the weekend|1|2025-07-19|2025-07-20|relative
2025-07-22-third-round-announced.txt|Thursday, July 24|1|2025-07-24|2025-07-24|absolute
2025-07-22-third-round-announced.txt|50 days|1|||duration
2025-07-23-third-round-flash.txt|Wednesday evening|1|2025-07-23|2025-07-23|weekday
2025-07-23-third-round.html|Wednesday|1|2025-07-23|2025-07-23|weekday
2025-07-23-third-round.html|before the end of August|1||2025-08-31|open
2025-07-23-third-round.html|May 16|1|2025-05-16|2025-05-16|absolute
2025-07-23-third-round.html|June 2|1|2025-06-02|2025-06-02|absolute
2025-07-24-istanbul-analysis.txt|Wednesday|1|2025-07-23|2025-07-23|weekday
2025-07-24-istanbul-analysis.txt|Thursday|1|2025-07-24|2025-07-24|weekday
2025-07-24-istanbul-analysis.txt|early June|1|2025-06-01|2025-06-10|part
2025-07-24-istanbul-analysis.txt|July 14|1|2025-07-14|2025-07-14|absolute
2025-07-24-istanbul-analysis.txt|between May 23 and May 25|1|2025-05-23|2025-05-25|range
2025-07-24-istanbul-analysis.txt|Monday|1|2025-07-21|2025-07-21|weekday
2025-07-24-istanbul-analysis.txt|Wednesday|3|2025-07-23|2025-07-23|weekday
2025-07-24-istanbul-analysis.txt|Tuesday|2|2025-07-22|2025-07-22|weekday
2025-07-24-istanbul-analysis.txt|Wednesday|4|2025-07-23|2025-07-23|weekday
2025-07-28-trump-shortens-deadline.txt|Monday|1|2025-07-28|2025-07-28|weekday
2025-07-28-trump-shortens-deadline.txt|10 or 12 days|1|||duration
2025-07-28-trump-shortens-deadline.txt|about 10 or 12 days from today|1|2025-08-07|2025-08-09|relative
2025-07-28-trump-shortens-deadline.txt|July 14|1|2025-07-14|2025-07-14|absolute
2025-07-28-trump-shortens-deadline.txt|July 23|1|2025-07-23|2025-07-23|absolute
2025-07-29-ten-day-deadline.json|Tuesday|1|2025-07-29|2025-07-29|weekday
2025-07-29-ten-day-deadline.json|ten days from today|1|2025-08-08|2025-08-08|relative
2025-07-29-ten-day-deadline.json|August 8|1|2025-08-08|2025-08-08|absolute
2025-07-29-ten-day-deadline.json|A day earlier|1|2025-07-28|2025-07-28|anaphoric
2025-07-29-ten-day-deadline.json|around September 2|1|2025-09-02|2025-09-02|absolute
2025-07-29-ten-day-deadline.json|July 23|1|2025-07-23|2025-07-23|absolute
2025-08-07-summit-agreed-in-principle.json|in the coming days|1|2025-08-08||open
2025-08-07-summit-agreed-in-principle.json|Thursday|1|2025-08-07|2025-08-07|weekday
2025-08-07-summit-agreed-in-principle.json|Wednesday|1|2025-08-06|2025-08-06|weekday
2025-08-07-summit-agreed-in-principle.json|the same day|1|2025-08-06|2025-08-06|anaphoric
2025-08-07-summit-agreed-in-principle.json|July 14|1|2025-07-14|2025-07-14|absolute
2025-08-07-summit-agreed-in-principle.json|July 29|1|2025-07-29|2025-07-29|absolute
"""


@dataclass(frozen=True)
class Case:
    text: str
    reference: date
    span: tuple[int, int] | None        # where the expression is in text; None for "no time here"
    start: date | None
    end: date | None
    kind: str                           # date | range | duration | none
    duration: tuple[int, int] | None
    category: str
    label: str


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def table_cases() -> list[Case]:
    cases = []
    with TABLE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            expr = row["expression"]
            span = None
            if expr:
                at = row["sentence"].index(expr)
                span = (at, at + len(expr))
            duration = None
            if row["kind"] == "duration":
                lo, _, hi = row["duration"].partition("-")
                duration = (int(lo), int(hi or lo))
            cases.append(Case(row["sentence"], date.fromisoformat(row["reference"]), span, _day(row["start"]),
                              _day(row["end"]), row["kind"] or "none", duration, row["category"].split("-")[0],
                              expr or row["sentence"]))
    return cases


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def ours_correct(case: Case, values: tuple[TimeValue, ...]) -> bool:
    if case.span is None:
        return not values
    hits = [v for v in values if (v.start_char, v.end_char) == case.span] or \
           [v for v in values if _overlaps((v.start_char, v.end_char), case.span)]
    if not hits:
        return False
    tv = hits[0]
    if case.kind == "duration":
        return tv.kind == "duration" and tv.duration_days == case.duration
    return (tv.start, tv.end) == (case.start, case.end)


def _dp_spans(text: str, found: list[tuple[str, datetime]] | None) -> list[tuple[tuple[int, int], date]]:
    """Locate search_dates' substrings in the text, left to right."""
    spans, cursor = [], 0
    for phrase, value in found or []:
        at = text.find(phrase, cursor)
        if at < 0:
            at = text.find(phrase)
        if at < 0:
            continue
        spans.append(((at, at + len(phrase)), value.date()))
        cursor = at + len(phrase)
    return spans


def dp_verdict(case: Case, spans: list[tuple[tuple[int, int], date]]) -> tuple[bool, str]:
    """(correct, miss category) for dateparser on one case."""
    if case.span is None:
        return (not spans, "read a non-date as a date (trap)")
    hits = [d for s, d in spans if _overlaps(s, case.span)]
    if case.kind == "duration":
        return (not hits, "read a duration as a date")
    if not hits:
        if case.category == "anaphoric":
            return False, "not detected: anaphoric expression"
        if case.start is None or case.end is None:
            return False, "not detected: open interval"
        return False, f"not detected: {case.category}"
    day = hits[0]
    if case.start == case.end:
        if day == case.start:
            return True, ""
        if (day.month, day.day) == (case.start.month, case.start.day):
            return False, "wrong year for a year-less date"
        if case.category == "anaphoric":
            return False, "anaphora counted from the reference, not the previous event"
        if case.category.startswith("weekday"):
            return False, "weekday resolved in the wrong direction"
        return False, "wrong day"
    if case.start is None or case.end is None:
        return False, "open interval collapsed to one day"
    if case.category == "part":
        return False, "part of period (early/mid/late/end) dropped: one day"
    if case.category == "range":
        return False, "range collapsed to one day"
    return False, f"{case.category} granularity lost: one day instead of an interval"


def search_dates(text: str, ref: date) -> list[tuple[str, datetime]] | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dateparser.search.search_dates(
            text, languages=["en"], settings={"RELATIVE_BASE": datetime(ref.year, ref.month, ref.day)})


def run_table(repeat: int) -> None:
    cases = table_cases()
    print(f"== Expression table: {len(cases)} rows ({TABLE.relative_to(ROOT)})")
    # ours
    t0 = time.process_time()
    for _ in range(repeat):
        ours = [find_times(c.text, c.reference) for c in cases]
    ours_time = (time.process_time() - t0) / repeat
    ours_ok = [ours_correct(c, v) for c, v in zip(cases, ours)]
    # dateparser (one pass: it is slow)
    search_dates("warm up on 1 May 2020", date(2020, 1, 1))
    t0 = time.process_time()
    dp = [search_dates(c.text, c.reference) for c in cases]
    dp_time = time.process_time() - t0
    verdicts = [dp_verdict(c, _dp_spans(c.text, found)) for c, found in zip(cases, dp)]
    dp_ok = [ok for ok, _ in verdicts]
    n = len(cases)
    print(f"{'':24}{'kg.timex':>12}{'search_dates':>16}")
    print(f"{'exact-interval accuracy':24}{sum(ours_ok) / n:>11.1%}{sum(dp_ok) / n:>16.1%}"
          f"   ({sum(ours_ok)}/{n} vs {sum(dp_ok)}/{n})")
    print(f"{'sentences / s':24}{n / ours_time:>12,.0f}{n / dp_time:>16,.0f}   "
          f"(speed-up x{dp_time / ours_time:,.0f})")
    by_cat: dict[str, list[int]] = {}
    for c, a, b in zip(cases, ours_ok, dp_ok):
        by_cat.setdefault(c.category, [0, 0, 0])
        by_cat[c.category][0] += 1
        by_cat[c.category][1] += a
        by_cat[c.category][2] += b
    print("per category (rows: ours / dateparser correct):")
    for cat, (total, a, b) in sorted(by_cat.items()):
        print(f"  {cat:12} {total:3}: {a:3} / {b:3}")
    misses = [(c, reason) for c, (ok, reason) in zip(cases, verdicts) if not ok]
    print(f"dateparser misses: {len(misses)}, by cause:")
    for reason, count in Counter(r for _, r in misses).most_common():
        examples = [c.label for c, r in misses if r == reason][:3]
        print(f"  {count:3}  {reason}   e.g. {'; '.join(repr(e[:40]) for e in examples)}")
    spurious = sum(1 for c, found in zip(cases, dp) for s, _ in _dp_spans(c.text, found)
                   if c.span is None or not _overlaps(s, c.span))
    print(f"  (plus {spurious} spurious dateparser dates outside the expected expressions, e.g. 'may', 'We')")
    own = [c for c, ok in zip(cases, ours_ok) if not ok]
    print(f"kg.timex misses: {len(own)}" + "".join(f"\n  - {c.label!r} in {c.text!r}" for c in own))


def _articles():
    try:
        from kg.clean import clean_document
        from kg.read import iter_documents
        from kg.records import Article
    except ImportError:      # read/clean not there: crude fallback, publication = file-name date
        return []
    out = []
    for raw in iter_documents(ARTICLES):
        article = clean_document(raw) if hasattr(raw, "text") else None
        if isinstance(article, Article):
            out.append(article)
    return out


def run_corpus(repeat: int) -> None:
    articles = _articles()
    if not articles:
        print("== Corpus: no articles could be read (kg.read / kg.clean missing?)")
        return
    n_sent = sum(len([s for s in SENTENCE.split(a.text) if s.strip()]) for a in articles)
    words = sum(len(a.text.split()) for a in articles)
    print(f"\n== Sample corpus: {len(articles)} articles, {n_sent} sentences, {words} words ({ARTICLES.relative_to(ROOT)})")
    t0 = time.process_time()
    for _ in range(repeat):
        ours = [find_times(a.text, a.reference_date, publication=a.published) for a in articles]
    ours_time = (time.process_time() - t0) / repeat
    t0 = time.process_time()
    dp = [search_dates(a.text, a.reference_date) for a in articles]
    dp_time = time.process_time() - t0

    by_file: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        by_file.setdefault(Path(a.origin.split("#")[0]).name, []).append(i)
    ours_ok = dp_ok = total = missing = 0
    reasons: Counter[str] = Counter()
    own_misses = []
    for line in CORPUS_GOLD.strip().splitlines():
        name, expr, occ, start, end, category = line.split("|")
        # the occurrence counts over all records of a multi-record file, in order
        hits = [(i, m.start()) for i in by_file.get(name, []) for m in re.finditer(re.escape(expr), articles[i].text)
                if _word_bounded(articles[i].text, m.start(), m.end())]
        if len(hits) < int(occ):
            missing += 1
            continue
        i, at = hits[int(occ) - 1]
        a = articles[i]
        kind = "duration" if not start and not end else "date"
        case = Case(a.text, a.reference_date, (at, at + len(expr)), _day(start), _day(end), kind, None,
                    category, expr)
        total += 1
        got = [v for v in ours[i] if _overlaps((v.start_char, v.end_char), case.span)]
        good = bool(got) and (got[0].kind == "duration" if kind == "duration" else (got[0].start, got[0].end) == (case.start, case.end))
        ours_ok += good
        if not good:
            own_misses.append(f"{name}: {expr!r} -> {[(g.text, g.start, g.end) for g in got]}")
        ok, reason = dp_verdict(case, _dp_spans(a.text, dp[i]))
        dp_ok += ok
        if not ok:
            reasons[reason] += 1
    print(f"{'':24}{'kg.timex':>12}{'search_dates':>16}")
    print(f"{'exact-interval accuracy':24}{ours_ok / total:>11.1%}{dp_ok / total:>16.1%}   "
          f"({ours_ok}/{total} vs {dp_ok}/{total} hand-checked expressions"
          + (f"; {missing} gold rows not found in the current corpus)" if missing else ")"))
    print(f"{'sentences / s':24}{n_sent / ours_time:>12,.0f}{n_sent / dp_time:>16,.0f}   "
          f"(speed-up x{dp_time / ours_time:,.0f})")
    print(f"{'articles / s':24}{len(articles) / ours_time:>12,.0f}{len(articles) / dp_time:>16,.1f}   "
          f"({1000 * ours_time / len(articles):.2f} ms vs {1000 * dp_time / len(articles):.1f} ms per article)")
    print("dateparser misses on the corpus, by cause:")
    for reason, count in reasons.most_common():
        print(f"  {count:3}  {reason}")
    if own_misses:
        print("kg.timex misses on the corpus:" + "".join(f"\n  - {m}" for m in own_misses))
    facts(articles, ours)


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not (after.isalnum() or after in "-")


def facts(articles, ours) -> None:
    """The headline dates a careful reader takes from the corpus."""
    print("headline facts:")
    seed = [(a, v) for a, v in zip(articles, ours) if "istanbul-talks-2025-07" in a.origin]
    if seed:
        a, values = seed[0]
        show = {v.text: v for v in values}
        third = show.get("between July 23 and 24")
        wed = show.get("Wednesday")
        print(f"  seed: third round 'Wednesday' -> {wed.start if wed else None}; "
              f"'between July 23 and 24' -> {third.edtf if third else None}; earlier rounds 'May'/'June'/'early June' -> "
              f"{[show[k].edtf for k in ('May', 'June', 'early June') if k in show]}")
    fifty = resolve("within 50 days", "2025-07-14")
    ten = resolve("ten days", "2025-07-29")
    print(f"  ultimatum: deadline_from(2025-07-14, '50 days') -> {deadline_from(date(2025, 7, 14), fifty).edtf}")
    print(f"  cut: deadline_from(2025-07-29, 'ten days') -> {deadline_from(date(2025, 7, 29), ten).edtf}; "
          f"'10 or 12 days' from 2025-07-29 -> {deadline_from(date(2025, 7, 29), resolve('10 or 12 days', '2025-07-29')).edtf}")
    for a, values in zip(articles, ours):
        for v in values:
            if v.text == "ten days from today":
                print(f"  {Path(a.origin).name}: 'ten days from today' -> {v.edtf}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timing repetitions for kg.timex (default 20)")
    args = parser.parse_args()
    t0 = time.process_time()
    find_times("warm-up: compile the lexicon on May 16", date(2025, 5, 16))
    print(f"lexicon compile + first call: {1000 * (time.process_time() - t0):.0f} ms (once per process)\n")
    run_table(args.repeat)
    run_corpus(args.repeat)


if __name__ == "__main__":
    main()
