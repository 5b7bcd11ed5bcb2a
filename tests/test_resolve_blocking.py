"""Resolve at scale: the indexed sweep gives what comparing with every open cluster gives, and dense
corpora (many processes, many events a day) keep different events apart."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.records import Participant
from kg.resolve import SCHEDULE_SLACK_DAYS, Resolver, _Cluster
from tests.test_resolve import _result, _time


def _sides(*names: str, role: str = "party") -> tuple[Participant, ...]:
    return tuple(Participant(n, n.title(), role) for n in names)


def test_same_issuer_same_length_years_apart_are_two_ultimatums() -> None:
    def ultimatum(day: str, target: str) -> dict:
        return {"participants": _sides("ruritania", role="issuer") + _sides(target, role="target"),
                "quantities": (("days", 12),)}

    corpus = Resolver().resolve([
        _result("a1", "2030-03-07", ("Ultimatum", _time("2030-03-07"), ultimatum("2030-03-07", "freedonia"))),
        _result("a2", "2030-03-08", ("Ultimatum", _time("2030-03-07"), ultimatum("2030-03-07", "freedonia"))),
        _result("a3", "2032-09-13", ("Ultimatum", _time("2032-09-13"), ultimatum("2032-09-13", "sylvania"))),
    ])
    ultimatums = sorted((e.start, len(e.sources)) for e in corpus.events if e.type == "Ultimatum")
    assert ultimatums == [(date(2030, 3, 7), 2), (date(2032, 9, 13), 1)]
    deadlines = sorted(e.start for e in corpus.events if e.type == "Deadline")
    assert deadlines == [date(2030, 3, 19), date(2032, 9, 25)]


def test_same_day_exchanges_of_different_sides_and_numbers_stay_apart() -> None:
    def exchange(a: str, b: str, number: int) -> dict:
        return {"participants": _sides(a, b), "quantities": (("prisoners", number),)}

    corpus = Resolver().resolve([
        _result("a1", "2030-07-17", ("PrisonerExchange", _time("2030-07-17"), exchange("india", "sudan", 115))),
        _result("a2", "2030-07-17", ("PrisonerExchange", _time("2030-07-17"), exchange("chile", "sudan", 390))),
        # the same sides with another figure: one exchange, reported two ways
        _result("a3", "2030-07-18", ("PrisonerExchange", _time("2030-07-17"), exchange("chile", "sudan", 400))),
        # a host taken for a side, no figure: not enough to split
        _result("a4", "2030-07-18", ("PrisonerExchange", _time("2030-07-17"), {"participants": _sides("chile",
                                                                                                      "oman")})),
    ])
    exchanges = sorted(sorted({s.article for s in e.sources}) for e in corpus.events)
    # a4's sides are disjoint from a1's, so it can only be a2's exchange
    assert exchanges == [["a1"], ["a2", "a3", "a4"]]


def _naive_sweep(resolver: Resolver, ordered: list[_Cluster]) -> list[_Cluster]:
    """The sweep without its index: every newcomer meets every open cluster, in opening order."""
    open_clusters: list[_Cluster] = []
    closed: list[_Cluster] = []
    for cluster in ordered:
        start = cluster.interval()[0]
        still_open = []
        for candidate in open_clusters:
            end = candidate.interval()[1]
            (still_open if end + timedelta(days=SCHEDULE_SLACK_DAYS) >= start else closed).append(candidate)
        open_clusters = still_open
        home = next((c for c in open_clusters if resolver._compatible(c, cluster)), None)
        if home is None:
            open_clusters.append(cluster)
        else:
            home.add(cluster.mentions)
    return closed + open_clusters


ACTORS = ["a", "b", "c", "d"]
ROLES = ["party", "party", "speaker", "issuer", "target", "mediator"]
mention_specs = st.lists(st.tuples(
    st.integers(0, 20),                                  # start day
    st.integers(0, 3),                                   # length in days
    st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ROLES)), max_size=3),
    st.sampled_from(["occurred", "occurred", "scheduled"]),
), min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(mention_specs)
def test_indexed_sweep_equals_comparing_with_every_open_cluster(specs: list) -> None:
    resolver = Resolver()

    def clusters() -> list[_Cluster]:
        built = []
        for number, (day, length, people, modality) in enumerate(specs):
            start = date(2030, 1, 1) + timedelta(days=day)
            time = _time(start.isoformat(), (start + timedelta(days=length)).isoformat(),
                         "day" if length == 0 else "interval")
            participants = tuple(dict.fromkeys(Participant(a, a.upper(), r) for a, r in people))
            (mention,) = _result(f"n{number}", "2030-02-01",
                                 ("TalkRound", time, {"participants": participants, "modality": modality})).mentions
            built.append(_Cluster("TalkRound", [mention]))
        return sorted(built, key=lambda c: c.interval())

    def shape(result: list[_Cluster]) -> list[list[str]]:
        return [[m.source.article for m in c.mentions] for c in result]

    assert shape(resolver._sweep(clusters())) == shape(_naive_sweep(resolver, clusters()))
