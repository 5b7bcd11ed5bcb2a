"""Resolve stage: one node per real event, conflicts kept, deadlines computed, order-independent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.records import Actor, Article, ArticleResult, EventMention, Participant, Source, TimeValue
from kg.resolve import Resolver


def _time(start: str, end: str | None = None, precision: str = "day", text: str = "x") -> TimeValue:
    s, e = date.fromisoformat(start), date.fromisoformat(end or start)
    return TimeValue(text=text, start_char=0, end_char=len(text), start=s, end=e, precision=precision,
                     edtf=f"{s}/{e}" if s != e else str(s))


def _result(article_id: str, published: str, *mentions: tuple) -> ArticleResult:
    day = date.fromisoformat(published)
    article = Article(id=article_id, origin=f"{article_id}.txt", title=article_id, text="", published=day,
                      reference_date=day)
    built = []
    for index, (event_type, time, extra) in enumerate(mentions):
        source = Source(article=article_id, sentence=f"{article_id} sentence {index}", sentence_index=index,
                        published=day, reference_date=day)
        built.append(EventMention(type=event_type, trigger="t", source=source, time=time, **extra))
    return ArticleResult(article=article, mentions=tuple(built), actors=())


PARTIES = {"participants": (Participant("alpha", "Alpha", "party"), Participant("beta", "Beta", "party"))}


def test_three_rounds_stay_three_and_a_month_joins_its_round() -> None:
    corpus = Resolver().resolve([
        _result("a1", "2030-03-10", ("TalkRound", _time("2030-03-10"), PARTIES)),
        _result("a2", "2030-04-02", ("TalkRound", _time("2030-04-02"), PARTIES)),
        _result("a3", "2030-05-20", ("TalkRound", _time("2030-05-20"), PARTIES),
                ("TalkRound", _time("2030-03-01", "2030-03-31", "month", "in March"), PARTIES)),
    ])
    rounds = [e for e in corpus.events if e.type == "TalkRound"]
    assert [(e.start, len(e.sources)) for e in rounds] == [
        (date(2030, 3, 10), 2), (date(2030, 4, 2), 1), (date(2030, 5, 20), 1)]
    # the month-precision report ("in March") is a source of the March 10 round, not an event of its own
    assert rounds[0].precision == "day"


def test_a_month_never_bridges_two_rounds() -> None:
    corpus = Resolver().resolve([
        _result("a1", "2030-03-05", ("TalkRound", _time("2030-03-05"), PARTIES)),
        _result("a2", "2030-03-25", ("TalkRound", _time("2030-03-25"), PARTIES)),
        _result("a3", "2030-04-10", ("TalkRound", _time("2030-03-01", "2030-03-31", "month", "March"), PARTIES)),
    ])
    assert sorted(e.start for e in corpus.events) == [date(2030, 3, 5), date(2030, 3, 25)]


def test_a_meeting_of_two_days_stays_apart_from_a_meeting_the_day_after() -> None:
    """"The delegations met on June 25 and 26 ... the leaders met on June 27": two meetings held, one reported as a span
    of days; a plan for June 27 from an earlier article joins the day it names, and does not bridge the span to it."""
    held = dict(PARTIES, modality="occurred")
    corpus = Resolver().resolve([
        _result("a1", "2030-06-28", ("TalkRound", _time("2030-06-25", "2030-06-26", "interval", "June 25-26"), held),
                ("TalkRound", _time("2030-06-27"), held)),
        _result("a2", "2030-06-19", ("TalkRound", _time("2030-06-27"), dict(PARTIES, modality="scheduled"))),
    ])
    assert sorted((e.start, e.end, len(e.sources)) for e in corpus.events) == [
        (date(2030, 6, 25), date(2030, 6, 26), 1), (date(2030, 6, 27), date(2030, 6, 27), 2)]
    # trap: a day inside the span is that meeting
    corpus = Resolver().resolve([
        _result("a1", "2030-06-28", ("TalkRound", _time("2030-06-25", "2030-06-26", "interval", "June 25-26"), held)),
        _result("a2", "2030-06-27", ("TalkRound", _time("2030-06-26"), held)),
    ])
    assert len(corpus.events) == 1


def test_ordinals_keep_rounds_apart() -> None:
    corpus = Resolver().resolve([
        _result("a1", "2030-03-10", ("TalkRound", _time("2030-03-10"), {**PARTIES, "ordinal": 2})),
        _result("a2", "2030-03-11", ("TalkRound", _time("2030-03-11"), {**PARTIES, "ordinal": 3,
                                                                         "modality": "scheduled"})),
    ])
    assert len(corpus.events) == 2


def test_conflicting_day_reports_are_kept_as_claims() -> None:
    corpus = Resolver().resolve([
        _result("a1", "2030-07-22", ("TalkRound", _time("2030-07-24", text="Thursday"),
                                     {**PARTIES, "modality": "scheduled", "attribution": "agency"})),
        _result("a2", "2030-07-23", ("TalkRound", _time("2030-07-23", text="Wednesday"), PARTIES)),
    ])
    (event,) = corpus.events
    assert {(c.start, c.attribution) for c in event.claims} == {(date(2030, 7, 24), "agency"),
                                                                (date(2030, 7, 23), None)}
    # the report of what happened wins over the earlier schedule, and the note says why
    assert event.start == date(2030, 7, 23) and event.modality == "occurred"
    assert "occurred" in event.resolution_note


def test_conflicting_numbers_are_noted() -> None:
    corpus = Resolver().resolve([
        _result("a1", "2030-07-23", ("PrisonerExchange", _time("2030-07-23"),
                                     {**PARTIES, "quantities": (("prisoners_per_side", 1000),)})),
        _result("a2", "2030-07-24", ("PrisonerExchange", _time("2030-07-23"),
                                     {**PARTIES, "quantities": (("prisoners_per_side", 1200),)})),
    ])
    (event,) = corpus.events
    assert dict(event.quantities) == {"prisoners_per_side": 1200}
    assert "1000, 1200" in event.resolution_note


def test_ultimatum_gets_a_deadline_and_a_later_cut_revises_it() -> None:
    issuer = {"participants": (Participant("ruler", "Ruler", "issuer"), Participant("foe", "Foe", "target"))}
    corpus = Resolver().resolve([
        _result("a1", "2030-01-10", ("Ultimatum", _time("2030-01-10"), {**issuer, "quantities": (("days", 50),)})),
        _result("a2", "2030-01-20", ("Ultimatum", _time("2030-01-12"), {**issuer, "quantities": (("days", 50),)})),
        _result("a3", "2030-02-01", ("Deadline", _time("2030-02-11"), issuer)),
    ])
    ultimatums = [e for e in corpus.events if e.type == "Ultimatum"]
    deadlines = sorted((e for e in corpus.events if e.type == "Deadline"), key=lambda e: e.start)
    assert len(ultimatums) == 1 and ultimatums[0].start == date(2030, 1, 10)  # one ultimatum, two reports
    assert [d.start for d in deadlines] == [date(2030, 2, 11), date(2030, 1, 10) + timedelta(days=50)]
    links = {(link.type, link.source, link.target) for link in corpus.links}
    assert ("revises", deadlines[0].id, deadlines[1].id) in links
    assert ("deadline_of", deadlines[1].id, ultimatums[0].id) in links


def test_a_deadline_is_of_the_ultimatum_that_runs_out_on_it_before_one_a_days_slack_allows() -> None:
    """12 days from March 2 and 10 days from March 3 are March 14 and March 13: each deadline is the deadline of the
    ultimatum whose count ends on it, though the other's ends within a day of it."""
    def cut(day: str, days: int) -> tuple:
        return ("Ultimatum", _time(day), {"participants": (Participant("ruler", "Ruler", "issuer"),
                                                           Participant("foe", "Foe", "target")),
                                          "quantities": (("days", days),)})
    corpus = Resolver().resolve([_result("a1", "2030-03-02", cut("2030-03-02", 12)),
                                 _result("a2", "2030-03-03", cut("2030-03-03", 10))])
    ultimatum = {e.start: e.id for e in corpus.events if e.type == "Ultimatum"}
    deadline = {e.start: e.id for e in corpus.events if e.type == "Deadline"}
    links = {(link.source, link.target) for link in corpus.links if link.type == "deadline_of"}
    assert (deadline[date(2030, 3, 14)], ultimatum[date(2030, 3, 2)]) in links
    assert (deadline[date(2030, 3, 13)], ultimatum[date(2030, 3, 3)]) in links


def test_an_ultimatum_counted_in_hours_is_one_across_reports_a_day_apart() -> None:
    """'gave the rebels 48 hours' on Monday in one piece and on Tuesday in another: one ultimatum; 72 hours is another."""
    issuer = {"participants": (Participant("ruler", "Ruler", "issuer"),)}
    corpus = Resolver().resolve([
        _result("a1", "2030-01-10", ("Ultimatum", _time("2030-01-09"), {**issuer, "quantities": (("hours", 48),)})),
        _result("a2", "2030-01-11", ("Ultimatum", _time("2030-01-10"), {**issuer, "quantities": (("hours", 48),)})),
        _result("a3", "2030-01-12", ("Ultimatum", _time("2030-01-11"), {**issuer, "quantities": (("days", 48),)})),
    ])
    ultimatums = sorted((e for e in corpus.events if e.type == "Ultimatum"), key=lambda e: e.start)
    assert [len(e.sources) for e in ultimatums] == [2, 1]


def test_an_extension_moves_the_deadline_it_extends_not_the_day_it_was_made() -> None:
    """'gave the Front 10 days' on March 2 (deadline March 12), 'extended the deadline by 7 days' on March 11: the new
    deadline is March 19, seven days after the one extended, not March 18 (the extending day plus seven)."""
    issuer = {"participants": (Participant("ruler", "Ruler", "issuer"), Participant("foe", "Foe", "target"))}
    corpus = Resolver().resolve([
        _result("a1", "2030-03-02", ("Ultimatum", _time("2030-03-02"), {**issuer, "quantities": (("days", 10),)})),
        _result("a2", "2030-03-11", ("Ultimatum", _time("2030-03-11"),
                                     {**issuer, "quantities": (("extension_days", 7),)})),
    ])
    ultimatums = sorted((e for e in corpus.events if e.type == "Ultimatum"), key=lambda e: e.start)
    deadlines = sorted(e.start for e in corpus.events if e.type == "Deadline")
    assert [u.start for u in ultimatums] == [date(2030, 3, 2), date(2030, 3, 11)]   # two acts, not merged
    assert deadlines == [date(2030, 3, 12), date(2030, 3, 19)]


def test_an_extension_in_hours_with_its_new_day_reported_joins_that_report() -> None:
    """'prolonged it by 48 hours' (deadline March 12 becomes March 14) and a report that it runs out on March 14: one
    deadline, with both articles as its sources."""
    issuer = {"participants": (Participant("ruler", "Ruler", "issuer"),)}
    corpus = Resolver().resolve([
        _result("a1", "2030-03-02", ("Ultimatum", _time("2030-03-02"), {**issuer, "quantities": (("days", 10),)})),
        _result("a2", "2030-03-12", ("Ultimatum", _time("2030-03-12"),
                                     {**issuer, "quantities": (("extension_hours", 48),)})),
        _result("a3", "2030-03-13", ("Deadline", _time("2030-03-14"), issuer)),
    ])
    deadlines = sorted((e for e in corpus.events if e.type == "Deadline"), key=lambda e: e.start)
    assert [d.start for d in deadlines] == [date(2030, 3, 12), date(2030, 3, 14)]
    assert {s.article for s in deadlines[1].sources} == {"a2", "a3"}


def test_an_extension_moves_the_first_deadline_still_running_not_a_later_one_of_its_issuer() -> None:
    """'extended by five days the deadline' (the limit of March 12, which the article names without its issuer) and
    'the new deadline expires on March 17': the limit extended is March 12, so the new one is the March 17 reported,
    not March 22."""
    ruler, foe = Participant("ruler", "Ruler", "issuer"), Participant("foe", "Foe", "target")
    corpus = Resolver().resolve([_result(
        "a1", "2030-03-11",
        ("Ultimatum", _time("2030-03-11"), {"participants": (ruler,), "quantities": (("extension_days", 5),)}),
        ("Deadline", _time("2030-03-17"), {"participants": (ruler,)}),
        ("Deadline", _time("2030-03-12"), {"participants": (foe,)}))])
    assert sorted(e.start for e in corpus.events if e.type == "Deadline") == [date(2030, 3, 12), date(2030, 3, 17)]


def test_an_extension_of_no_known_deadline_derives_none() -> None:
    """Trap: 'extended the deadline by seven days' with no deadline of its issuer known sets no date at all (counting
    from the day of extending would invent one)."""
    corpus = Resolver().resolve([
        _result("a1", "2030-03-11", ("Ultimatum", _time("2030-03-11"),
                                     {"participants": (Participant("ruler", "Ruler", "issuer"),),
                                      "quantities": (("extension_days", 7),)})),
    ])
    assert [e.type for e in corpus.events] == ["Ultimatum"]


def test_statements_by_different_speakers_stay_apart() -> None:
    corpus = Resolver().resolve([_result("a1", "2030-01-10",
        ("Statement", _time("2030-01-10"), {"participants": (Participant("p1", "P1", "speaker"),)}),
        ("Statement", _time("2030-01-10"), {"participants": (Participant("p2", "P2", "speaker"),)}))])
    assert len(corpus.events) == 2


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(4)), st.lists(st.integers(0, 40), min_size=4, max_size=4))
def test_result_does_not_depend_on_input_order(order: list[int], offsets: list[int]) -> None:
    results = [_result(f"a{i}", str(date(2030, 1, 1) + timedelta(days=offsets[i])),
                       ("TalkRound", _time(str(date(2030, 1, 1) + timedelta(days=offsets[i]))), PARTIES))
               for i in range(4)]
    first = Resolver().resolve(results)
    second = Resolver().resolve([results[i] for i in order])
    assert first.events == second.events and first.links == second.links
    # and every event has at least one source, with start <= end
    assert all(e.sources and (e.start is None or e.start <= e.end) for e in first.events)


def test_an_undated_mention_joins_only_a_recent_event() -> None:
    """A shared actor is not enough: an undated report in 2032 is not background to a 2030 agreement."""
    corpus = Resolver().resolve([
        _result("a1", "2030-03-10", ("Agreement", _time("2030-03-10"), PARTIES)),
        _result("a2", "2030-04-02", ("Agreement", None, PARTIES)),
        _result("a3", "2032-06-01", ("Agreement", None, PARTIES)),
    ])
    (agreement,) = corpus.events
    # the undated April 2030 report joins the March agreement; the 2032 one is left out, counted
    assert {s.article for s in agreement.sources} == {"a1", "a2"}
    assert corpus.unplaced_mentions == 1


def test_an_undated_report_is_not_background_to_a_later_event() -> None:
    """An undated threat reported in May is not the threat made in July, whoever it shares."""
    corpus = Resolver().resolve([
        _result("a1", "2030-05-17", ("SanctionThreat", None, PARTIES)),
        _result("a2", "2030-07-14", ("SanctionThreat", _time("2030-07-14"), PARTIES)),
    ])
    (threat,) = corpus.events
    assert {s.article for s in threat.sources} == {"a2"} and corpus.unplaced_mentions == 1


def test_undated_reports_do_not_chain_into_one_event() -> None:
    """Undated agreements in three articles that match no dated one stay apart (and are left out); undated
    proposals stay one event only when they name the same proposer."""
    corpus = Resolver().resolve([
        _result("a1", "2030-03-10", ("Agreement", None, PARTIES)),
        _result("a2", "2030-03-12", ("Agreement", None, PARTIES)),
        _result("a3", "2030-03-14", ("Proposal", None, {"participants": (Participant("alpha", "Alpha", "proposer"),)})),
        _result("a4", "2030-03-15", ("Proposal", None, {"participants": (Participant("alpha", "Alpha", "proposer"),)})),
        _result("a5", "2030-03-16", ("Proposal", None, {"participants": (Participant("beta", "Beta", "proposer"),)})),
    ])
    assert not [e for e in corpus.events if e.type == "Agreement"] and corpus.unplaced_mentions == 2
    proposals = sorted(sorted(s.article for s in e.sources) for e in corpus.events if e.type == "Proposal")
    assert proposals == [["a3", "a4"], ["a5"]]


def test_an_undated_report_with_a_number_joins_only_an_event_with_that_number() -> None:
    """'The exchange of 390 for 390' is not the exchange of 1,000 a week before."""
    corpus = Resolver().resolve([
        _result("a1", "2030-05-23", ("PrisonerExchange", _time("2030-05-23"),
                                     {**PARTIES, "quantities": (("prisoners_per_side", 1000),)})),
        _result("a2", "2030-05-30", ("PrisonerExchange", None, {**PARTIES, "quantities": (("prisoners_per_side", 390),)})),
        _result("a3", "2030-05-31", ("PrisonerExchange", None, {**PARTIES, "quantities": (("prisoners_per_side", 1000),)})),
    ])
    (exchange,) = corpus.events
    assert {s.article for s in exchange.sources} == {"a1", "a3"}


@pytest.mark.parametrize("evidence", [{"quantities": (("prisoners_per_side", 1200),)},
                                      {"places": (("lenby", "Lenby"),)}], ids=["figure", "place"])
def test_an_undated_report_with_a_figure_or_a_place_joins_the_event_that_gives_it_not_a_nearer_one(
        evidence: dict) -> None:
    """'The two sides agreed to swap 1,200 prisoners each' (or 'agreed in Lenby to ...') in an August piece is July's
    agreement of 1,200 (reached in Lenby), not a later agreement of the same sides that gives no figure (names no
    place); a report that gives neither joins the nearest."""
    reported = {**PARTIES, **evidence}
    corpus = Resolver().resolve([
        _result("a1", "2030-07-23", ("Agreement", _time("2030-07-23"), reported)),
        _result("a2", "2030-08-06", ("Agreement", _time("2030-08-06"), PARTIES)),
        _result("a3", "2030-08-09", ("Agreement", None, reported)),
        _result("a4", "2030-08-10", ("Agreement", None, PARTIES)),
    ])
    by_day = {e.start: {s.article for s in e.sources} for e in corpus.events}
    assert by_day == {date(2030, 7, 23): {"a1", "a3"}, date(2030, 8, 6): {"a2", "a4"}}


def test_an_ultimatum_nobody_names_the_issuer_of_is_left_out_and_a_reported_deadline_takes_the_computed_one() -> None:
    issuer = {"participants": (Participant("alpha", "Alpha", "issuer"), Participant("beta", "Beta", "target")),
              "quantities": (("days", 10),)}
    corpus = Resolver().resolve([
        _result("a1", "2030-01-10", ("Ultimatum", _time("2030-01-10"), issuer)),
        _result("a2", "2030-01-11", ("Deadline", _time("2030-01-20"), {"modality": "scheduled"}),
                ("Ultimatum", _time("2030-01-02"), {})),
    ])
    assert [e.type for e in corpus.events] == ["Ultimatum", "Deadline"]
    deadline = corpus.events[1]
    # one deadline: the one reported on the computed day, with the ultimatum's issuer and reports
    assert deadline.start == date(2030, 1, 20) and {p.actor for p in deadline.participants} == {"alpha", "beta"}
    assert {s.article for s in deadline.sources} == {"a1", "a2"}
    assert corpus.unplaced_mentions == 1


def test_an_undated_report_does_not_make_a_later_event_happened() -> None:
    """'The deadline' mentioned undated on Aug 1 does not make the Aug 8 deadline one that has passed."""
    corpus = Resolver().resolve([
        _result("a1", "2030-08-01", ("Deadline", None, {"participants": (Participant("alpha", "Alpha", "issuer"),)}),
                ("Deadline", _time("2030-08-08"), {"modality": "scheduled",
                                                   "participants": (Participant("alpha", "Alpha", "issuer"),)})),
    ])
    (deadline,) = corpus.events
    assert deadline.modality == "scheduled" and len(deadline.sources) == 2


def test_an_undated_report_of_what_happened_does_not_join_a_later_proposal_in_its_article() -> None:
    """'Kyiv suggested meeting again before the end of June ... The second round lasted an hour': the round reported
    (undated) is not the meeting only proposed for later; it joins the round held the day before."""
    corpus = Resolver().resolve([
        _result("a1", "2030-06-03",
                ("TalkRound", _time("2030-06-02"), PARTIES),
                ("TalkRound", _time("2030-06-04", "2030-06-30", "interval", "before the end of June"),
                 {**PARTIES, "modality": "proposed"}),
                ("TalkRound", None, PARTIES)),
    ])
    by_start = {e.start: e for e in corpus.events if e.type == "TalkRound"}
    assert len(by_start[date(2030, 6, 2)].sources) == 2
    assert len(by_start[date(2030, 6, 4)].sources) == 1


def test_an_articles_undated_news_is_not_a_round_it_recalls_from_weeks_before() -> None:
    """'The third round brought no progress ... The first round, on May 16, ...' in a July piece: the undated news
    is not May's round (it is left out, having no other home); a round the day before is its news (the trap)."""
    corpus = Resolver().resolve([
        _result("a1", "2030-07-24", ("TalkRound", None, PARTIES), ("TalkRound", _time("2030-05-16"), PARTIES)),
    ])
    (recalled,) = corpus.events
    assert [s.sentence_index for s in recalled.sources] == [1] and corpus.unplaced_mentions == 1
    corpus = Resolver().resolve([
        _result("a1", "2030-07-24", ("TalkRound", None, PARTIES), ("TalkRound", _time("2030-07-23"), PARTIES)),
    ])
    (news,) = corpus.events
    assert len(news.sources) == 2 and corpus.unplaced_mentions == 0


def test_a_deadline_without_issuer_is_the_deadline_of_its_articles_ultimatum() -> None:
    """'Alpha gave Beta 10 days ... The deadline expires on January 20': that deadline is Alpha's, not the one
    Gamma set for the same day in another article."""
    def ultimatum(issuer: str, target: str, days: int) -> dict:
        return {"participants": (Participant(issuer, issuer.title(), "issuer"),
                                 Participant(target, target.title(), "target")), "quantities": (("days", days),)}

    corpus = Resolver().resolve([
        _result("a1", "2030-01-10", ("Ultimatum", _time("2030-01-10"), ultimatum("alpha", "beta", 10)),
                ("Deadline", _time("2030-01-20"), {"modality": "scheduled"})),
        _result("a2", "2030-01-15", ("Ultimatum", _time("2030-01-15"), ultimatum("gamma", "delta", 5)),
                ("Deadline", _time("2030-01-20"), {"modality": "scheduled"})),
    ])
    deadlines = sorted((sorted({s.article for s in e.sources}), sorted(p.actor for p in e.participants))
                       for e in corpus.events if e.type == "Deadline")
    assert deadlines == [(["a1"], ["alpha", "beta"]), (["a2"], ["delta", "gamma"])]


def test_a_report_without_a_figure_does_not_bridge_two_same_day_exchanges() -> None:
    """Mexico swaps 40 each with Bahrain and 330 each with Ethiopia the same day: a report of the Ethiopia-Mexico
    exchange that gives no figure joins that exchange, and the two stay apart."""
    def exchange(a: str, b: str, *number: int) -> dict:
        return {"participants": (Participant(a, a.title(), "party"), Participant(b, b.title(), "party")),
                "quantities": tuple(("prisoners_per_side", n) for n in number)}

    corpus = Resolver().resolve([
        _result("a1", "2030-09-20", ("PrisonerExchange", _time("2030-09-20"), exchange("mexico", "bahrain", 40))),
        _result("a2", "2030-09-20", ("PrisonerExchange", _time("2030-09-20"), exchange("ethiopia", "mexico"))),
        _result("a3", "2030-09-21", ("PrisonerExchange", _time("2030-09-20"), exchange("ethiopia", "mexico", 330))),
    ])
    exchanges = sorted(sorted({s.article for s in e.sources}) for e in corpus.events)
    assert exchanges == [["a1"], ["a2", "a3"]]


def test_an_undated_plan_and_an_undated_past_report_in_one_article_stay_apart() -> None:
    """'talks will focus on further exchanges' and 'the only results so far were exchanges': a plan and the past;
    an undated plan places nothing on the timeline (counted, left out), but its proposer's proposal is kept."""
    proposer = {"participants": (Participant("alpha", "Alpha", "proposer"),)}
    corpus = Resolver().resolve([
        _result("a1", "2030-03-10", ("PrisonerExchange", None, {"modality": "proposed"}),
                ("PrisonerExchange", None, {"modality": "occurred"}),
                ("Proposal", None, proposer)),
        _result("a2", "2030-03-12", ("PrisonerExchange", _time("2030-03-12"), {**PARTIES, "modality": "proposed"})),
    ])
    assert [e.type for e in corpus.events] == ["PrisonerExchange", "Proposal"]
    assert [len(e.sources) for e in corpus.events] == [1, 1]    # the undated plan did not join the dated one
    assert corpus.unplaced_mentions == 2
    meeting = Resolver().resolve([_result("a1", "2030-03-10", ("LeadersMeeting", None, {**PARTIES, "modality": "proposed"}))])
    assert [e.modality for e in meeting.events] == ["proposed"]    # who would meet whom: kept


def _sides(*names: str, role: str = "party") -> dict:
    return {"participants": tuple(Participant(n, n.title(), role) for n in names)}


def test_a_one_sided_report_does_not_bridge_two_meetings_of_other_sides() -> None:
    """Norland-Vesta talks and an Ostmark-Borealia meeting the same day: a report naming only Ostmark is not
    Norland and Vesta's talks, so it cannot chain the two meetings into one."""
    corpus = Resolver().resolve([
        _result("a1", "2030-07-28", ("TalkRound", _time("2030-07-28", "2030-07-29", "interval"),
                                     _sides("norland", "vesta"))),
        _result("a2", "2030-07-28", ("TalkRound", _time("2030-07-29"), {**_sides("ostmark"), "modality": "scheduled"})),
        _result("a3", "2030-07-29", ("TalkRound", _time("2030-07-29"), _sides("ostmark", "borealia"))),
    ])
    assert sorted(sorted({s.article for s in e.sources}) for e in corpus.events) == [["a1"], ["a2", "a3"]]


def test_a_host_taken_for_a_side_stays_in_its_articles_meeting() -> None:
    """'Ostmark hosted the talks' next to the Norland-Vesta round in one article is that round."""
    corpus = Resolver().resolve([
        _result("a1", "2030-05-16", ("TalkRound", _time("2030-05-16"), _sides("norland", "vesta")),
                ("TalkRound", _time("2030-05-16"), _sides("ostmark"))),
    ])
    (event,) = corpus.events
    assert {p.actor for p in event.participants} == {"norland", "vesta", "ostmark"}


def test_an_undated_report_of_two_sides_is_not_background_to_an_event_of_other_sides() -> None:
    """Ostmark brokered a Norland-Vesta agreement; 'Ostmark and Borealia agreed ...', undated, days later, is not
    that agreement though it shares Ostmark.  'Norland and Vesta agreed ...', undated, is."""
    corpus = Resolver().resolve([
        _result("a1", "2030-05-10", ("Agreement", _time("2030-05-10"), _sides("norland", "vesta", "ostmark"))),
        _result("a2", "2030-05-12", ("Agreement", None, _sides("ostmark", "borealia"))),
        _result("a3", "2030-05-13", ("Agreement", None, _sides("vesta", "norland"))),
    ])
    (agreement,) = corpus.events
    assert {s.article for s in agreement.sources} == {"a1", "a3"} and corpus.unplaced_mentions == 1


def test_an_undated_report_with_a_number_does_not_join_its_articles_event_of_another_number() -> None:
    """A review: 'The sides agreed to swap 75 each. ... They first met in May and agreed a 40-for-40 swap.'  The
    undated 75 is not the May agreement; it is the July one reported elsewhere."""
    def swap(number: int) -> dict:
        return {**PARTIES, "quantities": (("prisoners_per_side", number),)}

    corpus = Resolver().resolve([
        _result("a1", "2030-07-23", ("Agreement", _time("2030-07-23"), swap(75))),
        _result("a2", "2030-07-27", ("Agreement", None, swap(75)), ("Agreement", _time("2030-05-16"), swap(40))),
    ])
    assert sorted((e.start, sorted({s.article for s in e.sources})) for e in corpus.events) == [
        (date(2030, 5, 16), ["a2"]), (date(2030, 7, 23), ["a1", "a2"])]


def test_a_body_of_a_side_is_that_side_when_telling_events_apart() -> None:
    """Norland's security council named as a party is Norland's side: an undated 'Norland's council and Vesta
    agreed ...' is background to the Norland-Vesta agreement, not an agreement of other sides."""
    from kg.gazetteer import Gazetteer
    from kg.records import Actor

    gazetteer = Gazetteer(actors={"norland-council": Actor(id="norland-council", name="Norland Council",
                                                           kind="organization", affiliation="norland")}, places={})
    corpus = Resolver(gazetteer).resolve([
        _result("a1", "2030-07-23", ("Agreement", _time("2030-07-23"), _sides("norland", "vesta"))),
        _result("a2", "2030-07-27", ("Agreement", None, _sides("norland-council", "vesta"))),
    ])
    (agreement,) = corpus.events
    assert {s.article for s in agreement.sources} == {"a1", "a2"}


def test_cities_tell_two_rounds_apart_but_not_two_reports_of_one_deadline() -> None:
    """Norland and Vesta's talks in Lenby and in Tarsova on one day are two rounds; Vask's deadline for Vesta,
    reported from Lenby by one article and from Tarsova by another, is one deadline: a limit has no place of its own."""
    from kg.gazetteer import Gazetteer
    from kg.records import Place

    cities = {"lenby": Place("lenby", "Lenby"), "tarsova": Place("tarsova", "Tarsova")}
    gazetteer = Gazetteer(actors={}, places=cities, place_kind={"lenby": "city", "tarsova": "city"})
    limit = {"participants": (Participant("aurel-vask", "Aurel Vask", "issuer"), Participant("vesta", "Vesta", "target"))}
    for event_type, extra, events in (("TalkRound", PARTIES, 2), ("Deadline", limit, 1)):
        corpus = Resolver(gazetteer).resolve([
            _result("a1", "2030-07-20", (event_type, _time("2030-07-25"), {**extra, "places": (("lenby", "Lenby"),)})),
            _result("a2", "2030-07-21", (event_type, _time("2030-07-25"), {**extra, "places": (("tarsova", "Tarsova"),)})),
        ])
        assert len(corpus.events) == events, event_type


def test_an_undated_report_of_what_happened_is_not_background_to_a_mere_proposal() -> None:
    """'He led the delegation at the previous meeting' (undated, July) is the round held on June 2, not the
    meeting Vesta only suggested for late June, however near that suggestion lies."""
    corpus = Resolver().resolve([
        _result("a1", "2030-06-02", ("TalkRound", _time("2030-06-02"), PARTIES)),
        _result("a2", "2030-06-03", ("TalkRound", _time("2030-06-20", "2030-06-30", "interval", "late June"),
                                     {**PARTIES, "modality": "proposed"})),
        _result("a3", "2030-07-20", ("TalkRound", None, PARTIES)),
    ])
    by_start = {e.start: sorted({s.article for s in e.sources}) for e in corpus.events}
    assert by_start == {date(2030, 6, 2): ["a1", "a3"], date(2030, 6, 20): ["a2"]}


def test_an_undated_report_of_a_running_deadline_is_not_the_superseded_one() -> None:
    """'Vesta has until Friday to comply ... Had the first timetable stood, it would have expired on October
    2': the deadline now running is not the called-off October one."""
    issuer = (Participant("alpha", "Alpha", "issuer"),)
    corpus = Resolver().resolve([
        _result("a1", "2030-07-30", ("Deadline", None, {"participants": issuer}),
                ("Deadline", _time("2030-10-02"), {"participants": issuer, "modality": "cancelled"})),
    ])
    superseded = next(e for e in corpus.events if e.start == date(2030, 10, 2))
    assert [s.sentence_index for s in superseded.sources] == [1] and superseded.modality == "cancelled"
    # nor, in another article, is an undated 'the talks ended' background to talks every report calls off
    corpus = Resolver().resolve([
        _result("a1", "2030-07-01", ("TalkRound", _time("2030-07-01"), {**PARTIES, "modality": "cancelled"})),
        _result("a2", "2030-07-05", ("TalkRound", None, PARTIES)),
    ])
    (called_off,) = corpus.events
    assert {s.article for s in called_off.sources} == {"a1"} and corpus.unplaced_mentions == 1


def test_a_call_off_reported_after_the_called_off_date_is_that_call_off() -> None:
    """'The round set for March 29 was postponed', written on March 24 and again on April 15: one cancellation.
    A report that something was called off looks back; only a plan cannot be an event over before its report."""
    called_off = {**_sides("norland", "vesta"), "modality": "cancelled"}
    corpus = Resolver().resolve([
        _result("a1", "2026-03-24", ("Cancellation", _time("2026-03-29"), called_off)),
        _result("a2", "2026-04-15", ("Cancellation", _time("2026-03-29"), called_off)),
    ])
    (cancellation,) = corpus.events
    assert {s.article for s in cancellation.sources} == {"a1", "a2"}


def test_an_undated_denial_is_not_background_to_an_event_reported_as_done() -> None:
    """'The ultimatum ran out without the threatened sanctions' (undated, a week later) is no report of the
    sanctions Norland did threaten on September 1, in another article or in its own."""
    threat = _sides("vesta", role="target")
    corpus = Resolver().resolve([
        _result("a1", "2026-09-01", ("SanctionThreat", _time("2026-09-01"), threat)),
        _result("a2", "2026-09-09", ("SanctionThreat", None, {**threat, "modality": "denied"})),
    ])
    (done,) = [e for e in corpus.events if e.start]
    assert {s.article for s in done.sources} == {"a1"}
    corpus = Resolver().resolve([
        _result("a1", "2026-09-09", ("SanctionThreat", _time("2026-08-31", "2026-09-06", "week"), threat),
                ("SanctionThreat", None, {**threat, "modality": "denied"})),
    ])
    (done,) = [e for e in corpus.events if e.start]
    assert [s.sentence_index for s in done.sources] == [0]


def test_proposals_of_different_things_stay_apart() -> None:
    """At one round Norland proposed a new meeting and, separately, a three-day truce: two proposals of one day by one
    side, each reported by two articles."""
    def proposal(topic: str | None, proposer: str) -> dict:
        return {"participants": (Participant(proposer, proposer.title(), "proposer"),), "topic": topic}

    corpus = Resolver().resolve([
        _result("a1", "2026-03-02", ("Proposal", _time("2026-03-02"), proposal("meeting", "norland")),
                ("Proposal", _time("2026-03-02"), proposal("ceasefire", "norland"))),
        _result("a2", "2026-03-03", ("Proposal", _time("2026-03-02"), proposal("ceasefire", "norland")),
                ("Proposal", _time("2026-03-02"), proposal("meeting", "norland"))),
    ])
    assert sorted(sorted((s.article, s.sentence_index) for s in e.sources) for e in corpus.events) == [
        [("a1", 0), ("a2", 1)], [("a1", 1), ("a2", 0)]]


def test_the_stages_of_an_exchange_a_report_spans_are_one_event() -> None:
    """40 each on May 4, 30 on May 5, 35 on May 6, and a review: 'the swap was carried out in three stages between
    May 4 and May 6'.  One exchange over three days, dated by that span; its days are no conflicting reports."""
    def swap(number: int | None = None) -> dict:
        return {**_sides("norland", "vesta"), "quantities": (("prisoners_per_side", number),) if number else ()}

    corpus = Resolver().resolve([
        _result("a1", "2026-05-04", ("PrisonerExchange", _time("2026-05-04"), swap(40))),
        _result("a2", "2026-05-06", ("PrisonerExchange", _time("2026-05-06"), swap(35)),
                ("PrisonerExchange", _time("2026-05-05"), swap(30))),
        _result("a3", "2026-06-01", ("PrisonerExchange", _time("2026-05-04", "2026-05-06", "interval"), swap())),
    ])
    (exchange,) = corpus.events
    assert {s.article for s in exchange.sources} == {"a1", "a2", "a3"}
    assert (exchange.start, exchange.end) == (date(2026, 5, 4), date(2026, 5, 6)) and not exchange.claims
    # a span naming one side only does not make one event of Norland's swaps with Vesta and with Ostmark
    corpus = Resolver().resolve([
        _result("a1", "2026-05-04", ("PrisonerExchange", _time("2026-05-04"), _sides("norland", "vesta"))),
        _result("a2", "2026-05-05", ("PrisonerExchange", _time("2026-05-05"), _sides("norland", "ostmark"))),
        _result("a3", "2026-06-01", ("PrisonerExchange", _time("2026-05-04", "2026-05-05", "interval"),
                                     _sides("norland"))),
    ])
    assert len([e for e in corpus.events if e.type == "PrisonerExchange"]) == 2


def test_a_cluster_of_stages_stays_staged_when_it_joins_another() -> None:
    """Whichever cluster a merge keeps, an event made of stages keeps its stage days out of the conflicting claims."""
    from kg.resolve import _Cluster
    for staged_first in (True, False):
        home, other = _Cluster("PrisonerExchange", staged=staged_first), _Cluster("PrisonerExchange",
                                                                                 staged=not staged_first)
        home.absorb(other)
        assert home.staged


def test_an_undated_report_of_a_deadline_is_background_to_the_one_still_to_come() -> None:
    """'Vesta has until Friday to comply, after Norland cut its deadline', undated, two days after Norland set the
    March 10 deadline: that deadline, still to come, though the report is not a plan; and no report of it passed."""
    sides = {"participants": (Participant("norland", "Norland", "issuer"), Participant("vesta", "Vesta", "target"))}
    corpus = Resolver().resolve([
        _result("a1", "2026-03-02", ("Deadline", _time("2026-03-10"), {**sides, "modality": "scheduled"})),
        _result("a2", "2026-03-04", ("Deadline", None, {"participants": sides["participants"][:1]})),
    ])
    (deadline,) = corpus.events
    assert {s.article for s in deadline.sources} == {"a1", "a2"} and deadline.modality == "scheduled"


def test_a_scheduled_day_dates_an_event_only_reported_as_happening_in_a_part_of_the_month() -> None:
    """'set for June 5' and, later, 'met in early June': one round, dated June 5 (it happened: occurred)."""
    corpus = Resolver().resolve([
        _result("a1", "2026-05-28", ("TalkRound", _time("2026-06-05", text="June 5"),
                                     {**PARTIES, "modality": "scheduled"})),
        _result("a2", "2026-07-01", ("TalkRound", _time("2026-06-01", "2026-06-10", "interval", "early June"),
                                     PARTIES)),
    ])
    (event,) = corpus.events
    assert (event.start, event.end, event.precision, event.modality) == (
        date(2026, 6, 5), date(2026, 6, 5), "day", "occurred")


def test_a_leader_of_the_proposers_own_side_is_no_target_that_splits_one_proposal() -> None:
    """'Norland proposed a meeting of President Ana Morales and ...' with Morales (Norland's president) taken for
    the target is the proposal another piece reports as made by Norland to Vesta."""
    morales = Actor(id="ana-morales", name="Ana Morales", kind="person", affiliation="norland")
    first = _result("a1", "2026-03-15", ("Proposal", _time("2026-03-14"), {"participants": (
        Participant("norland", "Norland", "proposer"), Participant("vesta", "Vesta", "target"))}))
    second = _result("a2", "2026-03-16", ("Proposal", _time("2026-03-14"), {"participants": (
        Participant("norland", "Norland", "proposer"), Participant("ana-morales", "Ana Morales", "target"))}))
    corpus = Resolver().resolve([first, replace(second, actors=(morales,))])
    (event,) = corpus.events
    assert {(p.actor, p.role) for p in event.participants} == {("norland", "proposer"), ("vesta", "target")}


def test_a_report_naming_only_the_issuer_and_one_naming_only_the_target_are_one_threat() -> None:
    """'Vesta threatened sanctions on Tuesday' and 'the threat of sanctions against Norland' made that day: one
    threat; a threat Ostmark issued the same day is another."""
    corpus = Resolver().resolve([
        _result("a1", "2026-09-01", ("SanctionThreat", _time("2026-09-01"),
                                     {"participants": (Participant("norland", "Norland", "target"),)})),
        _result("a2", "2026-09-02", ("SanctionThreat", _time("2026-09-01"),
                                     {"participants": (Participant("vesta", "Vesta", "issuer"),)})),
        _result("a3", "2026-09-02", ("SanctionThreat", _time("2026-09-01"),
                                     {"participants": (Participant("ostmark", "Ostmark", "issuer"),)})),
    ])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["a1", "a2"], ["a3"]]


def test_a_plan_naming_no_one_is_not_matched_days_away_from_its_own_day() -> None:
    """A ceasefire offered for Thursday by a report naming no side is not the truce Norland and Vesta held on
    Monday and Tuesday (joining nothing, it names no one and is left out, counted); a plan naming Norland a day off
    is still the one that slipped."""
    offer = {"modality": "proposed"}
    corpus = Resolver().resolve([
        _result("a1", "2026-03-11", ("Ceasefire", _time("2026-03-09", "2026-03-10", "interval"), PARTIES)),
        _result("a2", "2026-03-12", ("Ceasefire", _time("2026-03-12"), offer)),
        _result("a3", "2026-03-05", ("Ceasefire", _time("2026-03-11"), {
            **offer, "participants": (Participant("alpha", "Alpha", "party"),)})),
    ])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["a1", "a3"]]
    assert corpus.unattributed_mentions == 1


def test_an_undated_schedule_between_two_sides_places_nothing_but_a_proposal_is_kept() -> None:
    """'the truce Norland and Vesta are to observe' with no day is a plan nothing places on the timeline (counted,
    left out); 'Norland proposed a truce with Vesta' says who wants what, and is kept."""
    corpus = Resolver().resolve([
        _result("a1", "2026-05-04", ("Ceasefire", None, {**PARTIES, "modality": "scheduled"})),
        _result("a2", "2026-05-20", ("Ceasefire", None, {**PARTIES, "modality": "proposed"})),
    ])
    assert [e.modality for e in corpus.events] == ["proposed"] and corpus.unplaced_mentions == 1


def test_a_target_of_the_doers_country_is_kept_when_the_doer_is_a_person() -> None:
    """'President Ana Morales gave opposition leader Teo Brannick 48 hours': both are Norlanders, and Brannick is the
    target all the same (only a target standing for the doer itself is dropped)."""
    people = (Actor(id="ana-morales", name="Ana Morales", kind="person", affiliation="norland"),
              Actor(id="teo-brannick", name="Teo Brannick", kind="person", affiliation="norland"))
    result = _result("a1", "2026-02-02", ("Ultimatum", _time("2026-02-02"), {"participants": (
        Participant("ana-morales", "Ana Morales", "issuer"), Participant("teo-brannick", "Teo Brannick", "target")),
        "quantities": (("hours", 48),)}))
    corpus = Resolver().resolve([replace(result, actors=people)])
    (ultimatum,) = [e for e in corpus.events if e.type == "Ultimatum"]
    assert ("teo-brannick", "target") in {(p.actor, p.role) for p in ultimatum.participants}


def test_an_undated_cancellation_between_two_sides_is_kept() -> None:
    """'Norland called off the planned talks with Vesta': who called off what is said, though not when."""
    corpus = Resolver().resolve([
        _result("a1", "2026-05-04", ("Cancellation", None, {**PARTIES, "modality": "cancelled"})),
    ])
    assert [e.type for e in corpus.events] == ["Cancellation"] and corpus.unplaced_mentions == 0


def _naming(result: ArticleResult, *actors: str | Actor) -> ArticleResult:
    """The result with the actors its article names anywhere (countries, unless given as an Actor)."""
    return replace(result, actors=tuple(a if isinstance(a, Actor) else Actor(id=a, name=a.title(), kind="country")
                                        for a in actors))


def test_a_month_report_naming_no_side_joins_only_an_event_of_its_articles_sides() -> None:
    """'The talks in March achieved little' in a piece on Norland and Vesta is Norland and Vesta's round of March 18,
    not the earlier round Ostmark and Tarsova held that month: the month and the type alone are no evidence."""
    corpus = Resolver().resolve([
        _naming(_result("a1", "2026-03-12", ("TalkRound", _time("2026-03-10"), _sides("ostmark", "tarsova"))),
                "ostmark", "tarsova"),
        _naming(_result("a2", "2026-03-20", ("TalkRound", _time("2026-03-18"), _sides("norland", "vesta"))),
                "norland", "vesta"),
        _naming(_result("a3", "2026-04-02", ("TalkRound", _time("2026-03-01", "2026-03-31", "month", "in March"), {})),
                "norland", "vesta"),
    ])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["a1"], ["a2", "a3"]]


def test_a_same_day_report_naming_no_side_is_not_another_process_event() -> None:
    """'The talks ended on Tuesday' in a piece about Norland is not the Ostmark-Tarsova round that Tuesday; the same
    words in a piece quoting Ostmark's foreign minister (a person standing for Ostmark) are that round (the first,
    joining nothing and naming no one, is left out, counted)."""
    minister = Actor(id="aurel-vask", name="Aurel Vask", kind="person", affiliation="ostmark")
    corpus = Resolver().resolve([
        _naming(_result("a1", "2026-05-05", ("TalkRound", _time("2026-05-05"), _sides("ostmark", "tarsova"))),
                "ostmark", "tarsova"),
        _naming(_result("a2", "2026-05-06", ("TalkRound", _time("2026-05-05"), {})), "norland"),
        _naming(_result("a3", "2026-05-06", ("TalkRound", _time("2026-05-05"), {})), minister),
    ])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["a1", "a3"]]
    assert corpus.unattributed_mentions == 1


def test_an_ordinal_alone_does_not_join_a_round_of_another_process() -> None:
    """'The first round ended a day later', undated and naming no side, in a piece on Norland and Vesta, is not
    background to Ostmark and Tarsova's first round (every process has one), only to Norland and Vesta's."""
    first = {"ordinal": 1}
    corpus = Resolver().resolve([
        _naming(_result("a1", "2026-02-10", ("TalkRound", _time("2026-02-09"), {**_sides("norland", "vesta"),
                                                                                **first})), "norland", "vesta"),
        _naming(_result("a2", "2026-03-21", ("TalkRound", _time("2026-03-20"), {**_sides("ostmark", "tarsova"),
                                                                                **first})), "ostmark", "tarsova"),
        _naming(_result("a3", "2026-04-02", ("TalkRound", None, first)), "norland", "vesta"),
    ])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["a1", "a3"], ["a2"]]


def test_a_person_both_articles_name_ties_a_report_naming_no_side_to_the_event() -> None:
    """Two pieces quoting the mediator Ana Morales (of no side the gazetteer knows): 'the round ended on Friday' in
    one is the Norland-Vesta round the other dates to that Friday, though it names no side."""
    morales = Actor(id="ana-morales", name="Ana Morales", kind="person")
    corpus = Resolver().resolve([
        _naming(_result("a1", "2026-06-12", ("TalkRound", _time("2026-06-12"), _sides("norland", "vesta"))),
                "norland", "vesta", morales),
        _naming(_result("a2", "2026-06-13", ("TalkRound", _time("2026-06-12"), {})), morales),
    ])
    assert [sorted(s.article for s in e.sources) for e in corpus.events] == [["a1", "a2"]]


def test_two_plans_of_one_article_on_different_days_stay_two_unless_two_voices_give_them() -> None:
    """'The first group will be freed on Friday ... a second on Saturday': one article's two plans on two days are
    two events.  'The agency said Thursday; officials insisted on Wednesday' is one plan reported two ways, kept as
    claims."""
    plan = {**PARTIES, "modality": "scheduled"}
    corpus = Resolver().resolve([
        _result("a1", "2026-06-01", ("PrisonerExchange", _time("2026-06-05"), plan),
                ("PrisonerExchange", _time("2026-06-06"), plan)),
    ])
    assert len(corpus.events) == 2
    corpus = Resolver().resolve([
        _result("a1", "2026-07-21", ("TalkRound", _time("2026-07-23"), {**plan, "attribution": "vesta-news-agency"}),
                ("TalkRound", _time("2026-07-22"), {**plan, "attribution": "norland"})),
    ])
    (event,) = corpus.events
    assert len(event.claims) == 2


def test_an_undated_report_of_what_happened_does_not_join_a_round_set_for_after_its_article() -> None:
    """'The third round is set for May 4 ... The talks went ahead despite the ultimatum' (written April 21): the
    talks that went ahead are not the round still to come.  A deadline is reported before it comes: 'the
    ultimatum runs out' next to 'Vesta has until Thursday' is that deadline."""
    corpus = Resolver().resolve([
        _result("a1", "2026-04-21",
                ("TalkRound", _time("2026-05-04"), {**PARTIES, "modality": "scheduled", "ordinal": 3}),
                ("TalkRound", None, PARTIES)),
    ])
    (plan,) = corpus.events
    assert plan.start == date(2026, 5, 4) and len(plan.sources) == 1 and corpus.unplaced_mentions == 1
    corpus = Resolver().resolve([
        _result("a1", "2026-04-21",
                ("Deadline", _time("2026-04-23"), {**_sides("vesta", role="issuer"), "modality": "scheduled"}),
                ("Deadline", None, {})),
    ])
    (deadline,) = corpus.events
    assert len(deadline.sources) == 2


def test_a_plan_a_day_off_is_known_by_its_delegation_head_or_its_ordinal() -> None:
    """'The third round will go ahead on Monday', said by Norland's negotiator Ana Morales (no side named), is the
    third round Norland and Vesta held on Monday and Tuesday, reported on Tuesday; so is a plan that names no one but
    gives the ordinal.  A plan naming no one and no ordinal a day off is not (it may be any meeting; joining nothing,
    it is left out, counted)."""
    morales = Actor(id="ana-morales", name="Ana Morales", kind="person", affiliation="norland")
    held = _naming(_result("a1", "2026-03-26", ("TalkRound", _time("2026-03-26"), {
        **_sides("norland", "vesta"), "ordinal": 3})), "norland", "vesta", morales)
    head = _naming(_result("a2", "2026-03-16", ("TalkRound", _time("2026-03-25"), {
        "participants": (Participant("ana-morales", "Ana Morales", "delegation_head"),), "modality": "scheduled"})),
        "norland", "vesta", morales)
    numbered = _naming(_result("a3", "2026-03-17", ("TalkRound", _time("2026-03-25"), {
        "modality": "scheduled", "ordinal": 3})), "norland", "vesta")
    bare = _naming(_result("a4", "2026-03-18", ("TalkRound", _time("2026-03-25"), {"modality": "scheduled"})),
                   "norland", "vesta")
    for plan in (head, numbered):
        assert [sorted(s.article for s in e.sources) for e in Resolver().resolve([held, plan]).events] == [
            sorted(["a1", plan.article.id])]
    apart = Resolver().resolve([held, bare])
    assert [sorted(s.article for s in e.sources) for e in apart.events] == [["a1"]]
    assert apart.unattributed_mentions == 1


def test_an_event_no_report_ties_to_any_actor_is_counted_not_kept() -> None:
    """'The truce took effect at noon' in a piece whose sides were not recognised is an event of nobody: left out and
    counted.  The same report beside one that names the sides is a source of their event."""
    alone = Resolver().resolve([_result("a1", "2030-03-10", ("Ceasefire", _time("2030-03-10"), {}))])
    assert not alone.events and alone.unattributed_mentions == 1 and alone.unplaced_mentions == 0
    # trap: a report naming no one that joins a named event is kept, as that event's source
    joined = Resolver().resolve([_result("a1", "2030-03-10", ("Ceasefire", _time("2030-03-10"), PARTIES),
                                         ("Ceasefire", _time("2030-03-10"), {}))])
    (truce,) = joined.events
    assert len(truce.sources) == 2 and joined.unattributed_mentions == 0


def test_the_two_halves_of_one_exchange_each_naming_one_side_are_one_event() -> None:
    """'Vesta freed 40 detainees on Tuesday' and 'Norland released 45 on Tuesday', each in a piece naming both
    sides: the two halves of one exchange, the counts kept as a disagreement.  The same day, a report naming only
    Ostmark, in a piece on Norland and Ostmark that mentions Vesta in passing, is another exchange: the Vesta piece
    never names Ostmark."""
    def freed(side: str, count: int) -> dict:
        return {**_sides(side), "quantities": (("prisoners_total", count),)}

    corpus = Resolver().resolve([
        _naming(_result("a1", "2026-09-15", ("PrisonerExchange", _time("2026-09-15"), freed("vesta", 40))),
                "vesta", "norland"),
        _naming(_result("a2", "2026-09-16", ("PrisonerExchange", _time("2026-09-15"), freed("norland", 45))),
                "norland", "vesta"),
        _naming(_result("a3", "2026-09-15", ("PrisonerExchange", _time("2026-09-15"), freed("ostmark", 12))),
                "norland", "ostmark", "vesta"),
    ])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["a1", "a2"], ["a3"]]


def test_two_issuers_are_two_threats_though_each_article_names_the_other() -> None:
    """'Norland threatened sanctions' and 'Vesta threatened sanctions' the same day are two threats: only sides of
    one event between them (parties) are its two halves."""
    corpus = Resolver().resolve([
        _naming(_result("a1", "2026-09-15", ("SanctionThreat", _time("2026-09-15"), _sides("norland", role="issuer"))),
                "vesta", "norland"),
        _naming(_result("a2", "2026-09-16", ("SanctionThreat", _time("2026-09-15"), _sides("vesta", role="issuer"))),
                "norland", "vesta"),
    ])
    assert len(corpus.events) == 2


def test_a_numbered_round_put_off_is_one_event_dated_by_its_new_day() -> None:
    """'The third round will be held on May 4' (April 21), then 'the third round, set for May 4, will now take place on
    May 18' (April 27): one third round, on May 18 (the later plan), with both days kept as claims.  Three numbered
    rounds stay three, and a plan without a number a fortnight before another stays apart (two exchanges a
    month apart are two)."""
    third = {**PARTIES, "modality": "scheduled", "ordinal": 3}
    corpus = Resolver().resolve([
        _result("a1", "2026-04-21", ("TalkRound", _time("2026-05-04"), third)),
        _result("a2", "2026-04-27", ("TalkRound", _time("2026-05-18"), third)),
    ])
    (event,) = corpus.events
    assert event.start == date(2026, 5, 18) and {c.start for c in event.claims} == {date(2026, 5, 4),
                                                                                    date(2026, 5, 18)}
    corpus = Resolver().resolve([
        _result("a1", "2026-04-21", ("TalkRound", _time("2026-04-06"), {**PARTIES, "ordinal": 1}),
                ("TalkRound", _time("2026-04-20"), {**PARTIES, "ordinal": 2}),
                ("TalkRound", _time("2026-05-04"), third)),
    ])
    assert len(corpus.events) == 3
    swap = {**PARTIES, "modality": "scheduled"}
    corpus = Resolver().resolve([
        _result("a1", "2026-04-21", ("PrisonerExchange", _time("2026-05-04"), swap)),
        _result("a2", "2026-04-27", ("PrisonerExchange", _time("2026-06-04"), swap)),
        _result("a3", "2026-04-28", ("PrisonerExchange", _time("2026-05-18"), swap)),
    ])
    assert len(corpus.events) == 3


def test_a_numbered_round_only_proposed_for_a_day_is_not_put_off() -> None:
    """'Norland proposed holding the third round on June 20' (two reports) and 'the third round opened on July 14':
    a proposal not taken up, not a plan put off, so two events.  (trap) A day most reports give as set ('the third
    round is set for June 20'), though one calls it proposed, is a plan, and the later round is that plan put off."""
    proposed = {**PARTIES, "modality": "proposed", "ordinal": 3}
    held = ("a3", "2026-07-15", ("TalkRound", _time("2026-07-14"), {**PARTIES, "ordinal": 3}))
    corpus = Resolver().resolve([
        _result("a1", "2026-06-03", ("TalkRound", _time("2026-06-20"), proposed)),
        _result("a2", "2026-06-04", ("TalkRound", _time("2026-06-20"), proposed)),
        _result(*held),
    ])
    assert sorted(e.start for e in corpus.events) == [date(2026, 6, 20), date(2026, 7, 14)]
    scheduled = {**proposed, "modality": "scheduled"}
    corpus = Resolver().resolve([
        _result("a1", "2026-06-03", ("TalkRound", _time("2026-06-20"), proposed)),
        _result("a2", "2026-06-04", ("TalkRound", _time("2026-06-20"), scheduled)),
        _result("a4", "2026-06-05", ("TalkRound", _time("2026-06-20"), scheduled)),
        _result(*held),
    ])
    (event,) = corpus.events
    assert event.start == date(2026, 7, 14)


def test_a_numbered_plan_is_put_off_only_to_a_day_its_number_is_given() -> None:
    """'The third round will be held on May 4' (April 21), then a review: 'The third round, in early May, ended without
    a text' and 'the leaders' meeting announced for May 8 never took place'.  The new day a plan is put off to must be
    given by a report of its number: the unnumbered meeting of May 8 is not the third round, so the plan keeps its day.
    (trap) 'The third round will now take place on May 8' is the plan put off."""
    third = {**PARTIES, "ordinal": 3}
    plan = ("a1", "2026-04-21", ("TalkRound", _time("2026-05-04"), {**third, "modality": "scheduled"}))
    corpus = Resolver().resolve([
        _result(*plan),
        _result("a2", "2026-06-01", ("TalkRound", _time("2026-05-01", "2026-05-10", "interval", "early May"), third),
                ("TalkRound", _time("2026-05-08"), {**PARTIES, "modality": "denied"})),
    ])
    assert date(2026, 5, 4) in {e.start for e in corpus.events}
    corpus = Resolver().resolve([
        _result(*plan),
        _result("a2", "2026-04-27", ("TalkRound", _time("2026-05-08"), {**third, "modality": "scheduled"})),
    ])
    (event,) = corpus.events
    assert event.start == date(2026, 5, 8)


def test_a_numbered_round_that_took_place_is_not_put_off() -> None:
    """'The third round was held on May 4' and a later 'third round' planned for May 18 between the same sides: the
    one that happened was not put off, so the two are not joined (one of the numbers is wrong, not the day)."""
    corpus = Resolver().resolve([
        _result("a1", "2026-05-05", ("TalkRound", _time("2026-05-04"), {**PARTIES, "ordinal": 3})),
        _result("a2", "2026-05-06", ("TalkRound", _time("2026-05-18"), {**PARTIES, "modality": "scheduled",
                                                                       "ordinal": 3})),
    ])
    assert len(corpus.events) == 2


def test_an_undated_report_its_article_kept_apart_is_not_joined_through_another_article() -> None:
    """'The truce was extended on June 2' and, in the same piece, 'the sides failed to agree on a further extension'
    (undated): two events in that article.  A report of June 2 elsewhere that also names a refusal must not bridge
    them; the undated refusal stays apart from the June 2 extension (and, with no date, places nothing)."""
    sides = _sides("norland", "vesta")
    corpus = Resolver().resolve([
        _result("a1", "2026-10-03", ("Agreement", _time("2026-06-02"), sides),
                ("Agreement", None, {**sides, "modality": "denied"})),
        _result("a2", "2026-06-02", ("Agreement", _time("2026-06-02"), sides),
                ("Agreement", _time("2026-06-02"), {**sides, "modality": "denied"})),
    ])
    (extension,) = [e for e in corpus.events if e.start]
    assert sorted((s.article, s.sentence_index) for s in extension.sources) == [("a1", 0), ("a2", 0), ("a2", 1)]
    assert corpus.unplaced_mentions == 1
    # (trap) dated reports of one article still meet through another: 'talks on Wednesday', the ministry said, and
    # 'on Thursday', an unnamed source said, are one round once a report of it held on Wednesday comes in
    corpus = Resolver().resolve([
        _result("a1", "2026-07-21", ("TalkRound", _time("2026-07-22"), {**PARTIES, "modality": "scheduled",
                                                                       "attribution": "ministry"}),
                ("TalkRound", _time("2026-07-23"), {**PARTIES, "modality": "scheduled"})),
        _result("a2", "2026-07-22", ("TalkRound", _time("2026-07-22"), PARTIES)),
    ])
    (round_,) = corpus.events
    assert len(round_.sources) == 3 and round_.start == date(2026, 7, 22)


def test_an_undated_number_does_not_keep_a_dated_event_apart_across_articles() -> None:
    """'The delegations met on July 23' then 'no date is set for a fourth round' (undated, read as a report of the
    round): the number is not the dated round's, so 'the third round, on July 23' elsewhere is that round.  A number
    a dated report gives still tells two same-day rounds apart."""
    corpus = Resolver().resolve([
        _result("a1", "2026-07-25", ("TalkRound", _time("2026-07-23"), PARTIES),
                ("TalkRound", None, {**PARTIES, "ordinal": 4})),
        _result("a2", "2026-07-24", ("TalkRound", _time("2026-07-23"), {**PARTIES, "ordinal": 3})),
    ])
    (event,) = corpus.events
    assert {s.article for s in event.sources} == {"a1", "a2"}
    corpus = Resolver().resolve([
        _result("a1", "2026-07-25", ("TalkRound", _time("2026-07-23"), {**PARTIES, "ordinal": 4})),
        _result("a2", "2026-07-24", ("TalkRound", _time("2026-07-23"), {**PARTIES, "ordinal": 3})),
    ])
    assert len(corpus.events) == 2


def test_a_plan_slips_only_to_a_report_of_its_own_sides() -> None:
    """Norland and Vesta's summit set for Friday is not the call Norland held with Ostmark and Tarsova on Wednesday
    (one side shared, two days apart); a report of Norland and Vesta meeting on Saturday is the summit, slipped a
    day."""
    plan = {**_sides("norland", "vesta"), "modality": "scheduled"}
    corpus = Resolver().resolve([
        _naming(_result("a1", "2026-03-09", ("LeadersMeeting", _time("2026-03-13"), plan)), "norland", "vesta"),
        _naming(_result("a2", "2026-03-12", ("LeadersMeeting", _time("2026-03-11"),
                                             _sides("norland", "ostmark", "tarsova"))), "norland", "ostmark", "tarsova"),
        _naming(_result("a3", "2026-03-15", ("LeadersMeeting", _time("2026-03-14"), _sides("norland", "vesta"))),
                "norland", "vesta"),
    ])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["a1", "a3"], ["a2"]]


def test_leaders_meetings_sharing_only_one_leader_are_two_meetings() -> None:
    """A meeting of Ana Morales and Aurel Vask proposed for some day in August is not the meeting Ivo Stenmark will
    hold with Aurel Vask on August 15; a report adding a third leader to the same two is still their meeting."""
    def leaders(*people: str, modality: str = "scheduled") -> dict:
        return {"modality": modality, "participants": tuple(Participant(p, p, "party") for p in people)}
    corpus = Resolver().resolve([
        _result("a1", "2026-07-24", ("LeadersMeeting", _time("2026-07-25", "2026-08-31", "interval"),
                                     leaders("ana-morales", "aurel-vask", modality="proposed"))),
        _result("a2", "2026-08-09", ("LeadersMeeting", _time("2026-08-15"), leaders("ivo-stenmark", "aurel-vask"))),
        _result("a3", "2026-08-10", ("LeadersMeeting", _time("2026-08-15"),
                                     leaders("ivo-stenmark", "aurel-vask", "lin-haoran"))),
    ])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["a1"], ["a2", "a3"]]


def test_a_leader_few_reports_add_to_a_summit_does_not_make_it_their_meeting() -> None:
    """One report of four ties Ana Morales to Ivo Stenmark and Aurel Vask's summit on August 15: the summit is still
    theirs, so the meeting of Morales and Vask proposed for some day in August does not join it; named by half its
    reports, she would be one of its leaders."""
    def leaders(*people: str, modality: str = "occurred") -> dict:
        return {"modality": modality, "participants": tuple(Participant(p, p, "party") for p in people)}
    proposed = _result("p", "2026-07-24", ("LeadersMeeting", _time("2026-07-25", "2026-08-31", "interval"),
                                           leaders("ana-morales", "aurel-vask", modality="proposed")))
    summit = [_result(f"s{i}", "2026-08-16", ("LeadersMeeting", _time("2026-08-15"), leaders(*people)))
              for i, people in enumerate([("ivo-stenmark", "aurel-vask"), ("ivo-stenmark", "aurel-vask"),
                                          ("ivo-stenmark", "aurel-vask"), ("ivo-stenmark", "aurel-vask", "ana-morales")])]
    corpus = Resolver().resolve([proposed, *summit])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["p"], ["s0", "s1", "s2", "s3"]]
    corpus = Resolver().resolve([proposed, *summit[2:]])
    assert sorted(sorted(s.article for s in e.sources) for e in corpus.events) == [["p", "s2", "s3"]]


def test_reports_that_an_event_did_not_happen_outvote_fewer_that_it_did() -> None:
    """Three articles say a summit ended without a truce, one misread sentence says a truce: the event is denied; with
    as many reports each way, a report that it happened still wins."""
    denied = {**PARTIES, "modality": "denied"}
    reports = [_result(f"a{i}", "2030-08-16", ("Ceasefire", _time("2030-08-15"), denied)) for i in range(3)]
    corpus = Resolver().resolve([*reports, _result("b", "2030-08-16", ("Ceasefire", _time("2030-08-15"), PARTIES))])
    (event,) = corpus.events
    assert event.modality == "denied" and len(event.sources) == 4
    corpus = Resolver().resolve([reports[0], _result("b", "2030-08-16", ("Ceasefire", _time("2030-08-15"), PARTIES))])
    (event,) = corpus.events
    assert event.modality == "occurred"


def _with_actors(result: ArticleResult, *actors: Actor) -> ArticleResult:
    return replace(result, actors=actors)


def test_initials_seen_without_the_name_are_the_one_organisation_of_the_corpus_with_them() -> None:
    """"the FLV freed 20 soldiers" in a page that never spells the Front out is the Front another page names; with a
    second organisation of those initials in the corpus, nothing says which, and the initials stay an actor."""
    front = Actor("front-for-the-liberation-of-vesta", "Front for the Liberation of Vesta", "organization")
    bare = Actor("flv", "FLV", "organization")
    named = _with_actors(_result("a1", "2031-03-05", ("PrisonerExchange", _time("2031-03-04"), {"participants": (
        Participant(front.id, front.name, "party"),)})), front)
    initialled = _with_actors(_result("a2", "2031-03-06", ("Statement", _time("2031-03-06"), {"participants": (
        Participant(bare.id, bare.name, "speaker"),)})), bare)
    speakers = {p.actor for e in Resolver().resolve([named, initialled]).events if e.type == "Statement"
                for p in e.participants}
    assert speakers == {front.id}
    fishermen = Actor("fishermen-of-lower-vesta", "Fishermen of Lower Vesta", "organization")
    other = _with_actors(_result("a3", "2031-03-07", ("Statement", _time("2031-03-07"), {"participants": (
        Participant(fishermen.id, fishermen.name, "speaker"),)})), fishermen)
    speakers = {p.actor for e in Resolver().resolve([named, initialled, other]).events if e.type == "Statement"
                for p in e.participants}
    assert speakers == {bare.id, fishermen.id}


def test_a_surname_after_initials_is_the_one_person_of_that_surname_and_first_letter() -> None:
    """"A. Morales said ..." in a page that never spells her first name out is the Ana Morales another page names; a
    first name of another letter (Ines Morales) is someone else, and with two of the letter nothing says which."""
    def speaker(article: str, person: Actor) -> ArticleResult:
        return _with_actors(_result(article, "2031-03-06", ("Statement", _time("2031-03-06"), {"participants": (
            Participant(person.id, person.name, "speaker"),)})), person)
    ana, ines, amalia = (Actor(name.lower().replace(" ", "-"), name, "person")
                         for name in ("Ana Morales", "Ines Morales", "Amalia Morales"))
    initialled = Actor("a-morales", "A. Morales", "person")

    def speakers(*people: Actor) -> set[str]:
        results = [speaker(f"a{i}", person) for i, person in enumerate(people)]
        return {p.actor for e in Resolver().resolve(results).events for p in e.participants}
    assert speakers(ana, ines, initialled) == {ana.id, ines.id}
    assert speakers(ines, initialled) == {ines.id, initialled.id}
    assert speakers(ana, amalia, initialled) == {ana.id, amalia.id, initialled.id}


def test_a_venue_stands_for_its_city_when_cities_tell_rounds_apart() -> None:
    """A round reported at the Lenby palace is the round in Lenby that day, even when a line of the report also
    names Tarsova; and it is not the round held in Tarsova that day, which a venue of no known city could bridge."""
    from kg.gazetteer import Gazetteer
    from kg.records import Place

    places = {"lenby": Place("lenby", "Lenby"), "tarsova": Place("tarsova", "Tarsova"),
              "lenby-palace": Place("lenby-palace", "Lenby Palace")}
    gazetteer = Gazetteer(actors={}, places=places, place_city={"lenby-palace": "lenby"},
                          place_kind={"lenby": "city", "tarsova": "city", "lenby-palace": "venue"})
    palace = {**PARTIES, "places": (("lenby-palace", "Lenby Palace"), ("tarsova", "Tarsova"))}
    corpus = Resolver(gazetteer).resolve([
        _result("a1", "2030-07-26", ("TalkRound", _time("2030-07-25"), palace)),
        _result("a2", "2030-07-26", ("TalkRound", _time("2030-07-25"), {**PARTIES, "places": (("lenby", "Lenby"),)})),
    ])
    assert len(corpus.events) == 1
    corpus = Resolver(gazetteer).resolve([
        _result("a1", "2030-07-26", ("TalkRound", _time("2030-07-25"),
                                     {**PARTIES, "places": (("lenby-palace", "Lenby Palace"),)})),
        _result("a2", "2030-07-26", ("TalkRound", _time("2030-07-25"), {**PARTIES, "places": (("tarsova", "Tarsova"),)})),
    ])
    assert len(corpus.events) == 2


def test_two_look_alike_events_of_one_sentence_get_two_ids() -> None:
    """"Norland offered to return the bodies and proposed a three-day truce": two proposals of one day by one side,
    told in one sentence, are two events with two ids (their content is alike; where their triggers stand is not)."""
    day = date(2026, 3, 2)
    article = Article(id="a1", origin="a1.txt", title="a1", text="", published=day, reference_date=day)
    said = "Norland offered to return the bodies and proposed a three-day truce."
    proposals = tuple(EventMention(type="Proposal", trigger=trigger, time=_time("2026-03-02"),
                                   source=Source(article="a1", sentence=said, sentence_index=0, published=day,
                                                 reference_date=day, char_start=at, char_end=at + len(trigger)),
                                   participants=(Participant("norland", "Norland", "proposer"),), topic=topic)
                      for trigger, at, topic in (("offered", 8, "exchange"), ("proposed", 43, "ceasefire")))
    corpus = Resolver().resolve([ArticleResult(article=article, mentions=proposals, actors=())])
    assert len(corpus.events) == 2 and len({e.id for e in corpus.events}) == 2
