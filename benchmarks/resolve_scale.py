"""How the resolve stage scales: merging N synthetic articles' mentions, blocked by type and time,
next to the number of comparisons an all-pairs merge would need.

    python benchmarks/resolve_scale.py [--sizes 1000 10000 50000]

Each synthetic article reports 6 mentions (talk rounds, exchanges, statements, undated background
and month-level reports) of events spread over five years between 40 pairs of parties, so the
mix of day-level, coarse and undated reports resembles real news.
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from datetime import date, timedelta

from kg.records import Article, ArticleResult, EventMention, Participant, Source, TimeValue
from kg.resolve import Resolver

START = date(2020, 1, 1)


def _time(start: date, end: date | None = None, precision: str = "day") -> TimeValue:
    end = end or start
    return TimeValue(text="t", start_char=0, end_char=1, start=start, end=end, precision=precision,
                     edtf=start.isoformat())


def synthetic_results(n_articles: int, seed: int = 0) -> list[ArticleResult]:
    rng = random.Random(seed)
    countries = [f"country-{i}" for i in range(20)]
    pairs = [tuple(rng.sample(countries, 2)) for _ in range(40)]
    rounds = [(rng.choice(pairs), START + timedelta(days=rng.randrange(5 * 365))) for _ in range(n_articles // 8 + 1)]
    results = []
    for i in range(n_articles):
        (a, b), day = rng.choice(rounds)
        published = day + timedelta(days=rng.randrange(3))
        parties = (Participant(a, a, "party"), Participant(b, b, "party"))
        speaker = (Participant(f"person-{rng.randrange(500)}", "p", "speaker"),)
        article = Article(id=f"a{i}", origin=f"a{i}", title="t", text="", published=published,
                          reference_date=published)

        def mention(index: int, event_type: str, time: TimeValue | None, participants: tuple) -> EventMention:
            source = Source(article=article.id, sentence=f"s{index}", sentence_index=index, published=published,
                            reference_date=published)
            return EventMention(type=event_type, trigger="t", source=source, time=time, participants=participants)

        month = day.replace(day=1)
        month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        mentions = (
            mention(0, "TalkRound", _time(day), parties),
            mention(1, "TalkRound", _time(month, month_end, "month"), parties),
            mention(2, "TalkRound", None, parties),
            mention(3, "PrisonerExchange", _time(day + timedelta(days=rng.randrange(1, 20))), parties),
            mention(4, "Statement", _time(published), speaker),
            mention(5, "PrisonerExchange", None, parties),
        )
        results.append(ArticleResult(article=article, mentions=mentions, actors=()))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 50000])
    args = parser.parse_args()
    print(f"{'articles':>9} {'mentions':>9} {'events':>8} {'resolve s':>10} {'ms/article':>11} "
          f"{'peak MB':>8} {'all-pairs comparisons':>22}")
    for size in args.sizes:
        results = synthetic_results(size)
        mentions = sum(len(r.mentions) for r in results)
        tracemalloc.start()
        started = time.perf_counter()
        corpus = Resolver().resolve(results)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(f"{size:>9,} {mentions:>9,} {len(corpus.events):>8,} {seconds:>10.2f} "
              f"{1000 * seconds / size:>11.2f} {peak:>8.0f} {mentions * (mentions - 1) // 2:>22,}")


if __name__ == "__main__":
    main()
