"""Time stage: the expression table, traps, anaphora, deadlines and properties."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.timex import deadline_from, find_dateline, find_times, parse_reference, resolve, time_to_dict

TABLE = Path(__file__).parent / "data" / "timex_cases.tsv"


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def test_table_is_big_and_covers_every_case() -> None:
    assert len(ROWS) >= 150
    categories = {row["category"].split("-")[0] for row in ROWS}
    assert {"absolute", "weekday", "relative", "anaphoric", "month", "part", "season", "range", "duration",
            "deadline", "open", "trap", "year", "quarter", "dateline"} <= categories
    # not only the 2025 Istanbul story
    assert {row["reference"][:4] for row in ROWS} >= {"2023", "2024", "2025"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{i + 2}:{r['expression'] or 'none'}" for i, r in enumerate(ROWS)])
def test_table_row(row: dict[str, str]) -> None:
    values = find_times(row["sentence"], row["reference"])
    if not row["expression"]:
        assert values == (), f"expected no time in {row['sentence']!r}, got {[v.text for v in values]}"
        return
    matches = [v for v in values if v.text == row["expression"]]
    assert matches, f"{row['expression']!r} not found; found {[v.text for v in values]}"
    tv = matches[0]
    assert row["sentence"][tv.start_char:tv.end_char] == tv.text
    if row["kind"]:
        assert tv.kind == row["kind"]
    if row["kind"] == "duration":
        lo, _, hi = row["duration"].partition("-")
        assert tv.duration_days == (int(lo), int(hi or lo))
        assert tv.start is None and tv.end is None
        return
    assert (tv.start, tv.end) == (_day(row["start"]), _day(row["end"]))
    assert tv.precision == row["precision"]


# -- traps --------------------------------------------------------------------------------------


def test_may_the_verb_is_not_a_month() -> None:
    values = find_times("Talks may occur in May, and May 16 may be remembered.", "2025-07-23")
    assert [(v.text, v.start) for v in values] == [("May", date(2025, 5, 1)), ("May 16", date(2025, 5, 16))]


def test_hours_and_counts_are_not_dates() -> None:
    text = "Within 24 to 48 hours, 1,000 prisoners and 2,000 troops moved; the meeting lasted 40 minutes."
    assert find_times(text, "2025-07-23") == ()


def test_ultimatum_alone_is_a_duration_not_a_date() -> None:
    (tv,) = find_times("Trump issued a 50-day ultimatum.", "2025-07-14")
    assert (tv.kind, tv.start, tv.end, tv.duration_days, tv.edtf) == ("duration", None, None, (50, 50), "P50D")


def test_search_dates_failure_modes_are_handled() -> None:
    """The cases dateparser.search_dates gets wrong on news text."""
    text = "We said it may occur between July 23 and 24, in May and June, in early June, within 40 minutes."
    got = {v.text: (v.start, v.end) for v in find_times(text, "2025-07-22")}
    assert got == {
        "between July 23 and 24": (date(2025, 7, 23), date(2025, 7, 24)),
        "May": (date(2025, 5, 1), date(2025, 5, 31)),
        "June": (date(2025, 6, 1), date(2025, 6, 30)),
        "early June": (date(2025, 6, 1), date(2025, 6, 10)),
    }


# -- anchors ------------------------------------------------------------------------------------


def test_anaphoric_chain_follows_the_events() -> None:
    text = ("The first round was held on May 16. Three days later, Putin and Trump spoke. "
            "A week later, the exchange began. The following day, more prisoners came home.")
    values = find_times(text, "2025-06-01")
    assert [(v.text, v.start, v.anchor) for v in values] == [
        ("May 16", date(2025, 5, 16), "reference"),
        ("Three days later", date(2025, 5, 19), "previous"),
        ("A week later", date(2025, 5, 26), "previous"),
        ("The following day", date(2025, 5, 27), "previous"),
    ]
    assert values[1].anchor_date == date(2025, 5, 16)


def test_a_count_restated_as_a_date_gives_way_to_the_date() -> None:
    text = "The talks opened on May 4. A week earlier, on April 20, Vask had met Morales. The next day he left."
    values = find_times(text, "2026-05-12")
    assert [(v.text, v.start) for v in values] == [
        ("May 4", date(2026, 5, 4)), ("April 20", date(2026, 4, 20)), ("The next day", date(2026, 4, 21))]
    # (trap: a date that is not in apposition stays beside the count)
    values = find_times("The talks opened on May 4. A week earlier Vask had met Morales; on April 2 he left.",
                        "2026-05-12")
    assert [v.text for v in values] == ["May 4", "A week earlier", "April 2"]


def test_a_count_restated_as_a_date_of_the_storys_year_gives_way_to_the_date() -> None:
    # (a day without its year, placed in the year of the story told: written too, so the written day wins)
    text = "The accord was signed on 27 November 2031. Ten days later, on December 7, the envoys met again."
    values = find_times(text, "2041-11-27")
    assert [(v.text, v.start) for v in values] == [("27 November 2031", date(2031, 11, 27)),
                                                   ("December 7", date(2031, 12, 7))]


def test_an_ordinal_day_before_a_noun_is_no_date() -> None:
    values = find_times("The sides met on Monday, the 18th round of talks, and on the 20th of May.", "2026-05-20")
    assert [v.text for v in values] == ["Monday", "the 20th of May"]


def test_hours_after_an_event_not_dated_are_no_date() -> None:
    assert find_times("Two hours after the vote in Vesta, Vask spoke.", "2026-05-12") == ()


def test_anaphor_in_past_clause_skips_future_deadline() -> None:
    text = "On Tuesday Trump set a new deadline of August 8. A day earlier he had said he would cut it."
    earlier = find_times(text, "2025-07-29")[-1]
    assert (earlier.text, earlier.start, earlier.anchor_date) == ("A day earlier", date(2025, 7, 28), date(2025, 7, 29))


def test_dateline_beats_publication() -> None:
    text = "ISTANBUL, July 23 — Zelensky said the meeting is scheduled for Wednesday; it ended last week's doubts."
    published = date(2025, 7, 27)
    dl = find_dateline(text, published)
    assert dl is not None and dl.start == date(2025, 7, 23) and text[dl.start_char:dl.end_char] == "July 23"
    values = {v.text: v for v in find_times(text, published, publication=published)}
    assert values["Wednesday"].start == date(2025, 7, 23)
    assert (values["last week"].start, values["last week"].end) == (date(2025, 7, 14), date(2025, 7, 20))
    # without the publication hint the caller's reference is used as given
    assert {v.text: v.start for v in find_times(text, published)}["Wednesday"] == date(2025, 7, 30)


def test_weekday_direction_comes_from_the_clause() -> None:
    text = "Peskov said on Monday that the talks will take place on Thursday."
    got = [(v.text, v.start) for v in find_times(text, "2025-07-23")]
    assert got == [("Monday", date(2025, 7, 21)), ("Thursday", date(2025, 7, 24))]


# -- deadlines ----------------------------------------------------------------------------------


def test_deadline_from_fifty_days() -> None:
    duration = resolve("within 50 days", "2025-07-14")
    assert duration is not None and duration.kind == "duration"
    dl = deadline_from(date(2025, 7, 14), duration)
    assert (dl.start, dl.end, dl.precision, dl.edtf) == (date(2025, 9, 2), date(2025, 9, 2), "day", "2025-09-02")
    assert (dl.anchor, dl.anchor_date) == ("previous", date(2025, 7, 14))


def test_deadline_from_ten_or_twelve_days() -> None:
    dl = deadline_from(date(2025, 7, 29), resolve("10 or 12 days", "2025-07-29"))
    assert (dl.start, dl.end, dl.precision, dl.kind) == (date(2025, 8, 8), date(2025, 8, 10), "interval", "range")
    assert dl.edtf == "2025-08-08/2025-08-10"


def test_deadline_from_rejects_non_durations() -> None:
    with pytest.raises(ValueError):
        deadline_from(date(2025, 7, 14), resolve("July 23", "2025-07-14"))


# -- resolve / dict -----------------------------------------------------------------------------


def test_resolve_examples_from_the_issue() -> None:
    early = resolve("early June", reference="2025-07-23")
    assert (early.start, early.end, early.edtf, early.modifier) == (
        date(2025, 6, 1), date(2025, 6, 10), "2025-06-01/2025-06-10", "START")
    span = resolve("between July 23 and 24", "2025-07-22T10:00:00Z")
    assert span.edtf == "2025-07-23/2025-07-24" and span.kind == "range"
    assert resolve("around June", "2025-07-23").edtf == "2025-06~"
    assert resolve("nothing temporal here", "2025-07-23") is None


def test_open_intervals_use_edtf_double_dots() -> None:
    coming = resolve("in the coming days", "2025-07-23")
    assert (coming.start, coming.end, coming.precision, coming.edtf) == (date(2025, 7, 24), None, "open", "2025-07-24/..")
    since = resolve("since 2022", "2025-07-23")
    assert (since.start, since.end, since.edtf, since.modifier) == (date(2022, 1, 1), None, "2022/..", "AFTER")
    by = resolve("by the end of August", "2025-07-23")
    assert (by.start, by.end, by.edtf, by.modifier) == (None, date(2025, 8, 31), "../2025-08-31", "BEFORE")


def test_time_to_dict_is_json_ready() -> None:
    payload = time_to_dict(resolve("10 or 12 days from today", "2025-07-28"))
    assert json.loads(json.dumps(payload)) == payload
    assert (payload["start"], payload["end"], payload["kind"]) == ("2025-08-07", "2025-08-09", "range")


def test_reference_accepts_timestamps() -> None:
    assert parse_reference("2025-07-22T23:59:00+03:00") == date(2025, 7, 22)
    with pytest.raises(ValueError):
        parse_reference("not a date at all")


def test_spans_point_into_the_text_in_order() -> None:
    text = "On May 16 and June 2 the sides met; on July 23 they met again, ten days after Trump's 50-day ultimatum."
    values = find_times(text, "2025-07-24")
    assert [v.text for v in values] == ["May 16", "June 2", "July 23", "ten days", "50-day"]
    assert all(text[v.start_char:v.end_char] == v.text for v in values)
    assert [v.start_char for v in values] == sorted(v.start_char for v in values)


# -- properties ---------------------------------------------------------------------------------

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@settings(max_examples=150, deadline=None)
@given(ref=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
       month=st.integers(1, 12), day=st.integers(1, 28), style=st.sampled_from(["md", "dm", "mdth"]))
def test_yearless_dates_land_near_the_reference(ref: date, month: int, day: int, style: str) -> None:
    name = MONTHS[month - 1]
    written = {"md": f"{name} {day}", "dm": f"{day} {name}", "mdth": f"{name} {day}th"}[style]
    values = find_times(f"Talks on {written}.", ref)
    assert len(values) == 1
    tv = values[0]
    assert (tv.start.month, tv.start.day) == (month, day)
    assert abs((tv.start - ref).days) <= 184


@settings(max_examples=150, deadline=None)
@given(ref=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
       phrase=st.sampled_from(["early June", "mid-July", "late February", "this week", "next week", "last month",
                               "between July 23 and 24", "from December 30 to January 2", "in spring",
                               "last winter", "the following day", "three weeks ago", "on Wednesday",
                               "next Sunday", "earlier this month", "later this year", "the first half of June",
                               "10 or 12 days from today", "over three days from May 23", "since March"]))
def test_start_never_after_end(ref: date, phrase: str) -> None:
    tv = resolve(phrase, ref)
    assert tv is not None
    if tv.start is not None and tv.end is not None:
        assert tv.start <= tv.end
    if tv.precision == "day":
        assert tv.start == tv.end


@settings(max_examples=100, deadline=None)
@given(ref=st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31)),
       weekday=st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]))
def test_weekday_direction_property(ref: date, weekday: str) -> None:
    past = find_times(f"The delegations met on {weekday}.", ref)[0].start
    future = find_times(f"The delegations will meet on {weekday}.", ref)[0].start
    assert past.strftime("%A") == future.strftime("%A") == weekday
    assert timedelta(0) <= ref - past < timedelta(days=7)
    assert timedelta(0) <= future - ref < timedelta(days=7)


# -- robustness: nothing but a bad reference raises ---------------------------------------------

_TIME_WORDS = ["May", "June 2", "July 23", "between", "and", "to", "from", "early", "mid-", "late", "last", "next",
               "this", "the following", "week", "weeks", "month", "year", "ago", "later", "earlier", "day", "days",
               "within", "Monday", "since", "by the end of", "2025", "9999", "0", "00", "31", "29 February", "Q4",
               "spring", "winter", "-", "–", "/", ".", ",", "10 or 12", "first half of", "over", "weekend",
               "2024-02-30", "12/31/2025", "31.12.2025", "999999999", "in", "on", "of", "quarter", "1st", "32nd"]
_ANY_TEXT = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(_TIME_WORDS), max_size=12).map(" ".join))
_ANY_DAY = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


def _check_values(text: str, values: tuple) -> None:
    for tv in values:
        assert 0 <= tv.start_char <= tv.end_char <= len(text) and text[tv.start_char:tv.end_char] == tv.text
        if tv.start is not None and tv.end is not None:
            assert tv.start <= tv.end


@settings(max_examples=300, deadline=None)
@given(text=_ANY_TEXT, ref=_ANY_DAY, with_publication=st.booleans())
@example(text="the following 0 day", ref=date(2000, 1, 1), with_publication=False)  # once ended before it began
@example(text="between May", ref=date(9999, 1, 1), with_publication=False)  # once ran past year 9999
def test_find_times_never_raises_on_any_text(text: str, ref: date, with_publication: bool) -> None:
    _check_values(text, find_times(text, ref, publication=ref if with_publication else None))


@settings(max_examples=200, deadline=None)
@given(text=_ANY_TEXT, ref=_ANY_DAY, tense=st.sampled_from([None, "past", "future"]))
def test_resolve_never_raises_on_any_text(text: str, ref: date, tense: str | None) -> None:
    tv = resolve(text, reference=ref, tense=tense)
    if tv is not None:
        _check_values(text, (tv,))


@settings(max_examples=100, deadline=None)
@given(text=_ANY_TEXT, reference=st.one_of(st.text(max_size=30), st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True)))
def test_a_bad_reference_raises_only_value_error(text: str, reference: str) -> None:
    try:
        values = find_times(text, reference)
    except ValueError:
        return
    _check_values(text, values)


def test_count_from_an_event_with_no_day_dates_nothing() -> None:
    # "the day after the ultimatum" when the ultimatum was given no day: no date, not the day after the last date
    text = "Aurel Vask issued an ultimatum to Tarsova last month. Talks opened on May 4. The day after the ultimatum, " \
           "Ana Morales called him."
    values = find_times(text, "2026-05-20")
    assert [v.text for v in values] == ["last month", "May 4"]


def test_a_new_paragraph_leaves_a_flashback_for_the_main_line() -> None:
    text = "The talks in Vesta collapsed on Friday, March 13. Aurel Vask had first proposed a truce on March 2.\n\n" \
           "The next morning, Ana Morales left Tarsova."
    (*_, tv) = find_times(text, "2026-03-20")
    assert (tv.text, tv.start) == ("The next morning", date(2026, 3, 14))
    # (in the flashback's own paragraph the simple past goes on with it)
    (*_, tv) = find_times(text.replace("\n\n", " "), "2026-03-20")
    assert (tv.text, tv.start) == ("The next morning", date(2026, 3, 3))


def test_flashback_opening_its_own_paragraph_keeps_its_date() -> None:
    # a past perfect is passed over only back to the main line of its own paragraph
    text = "Talks ended in Vesta on March 13.\n\nAurel Vask had proposed a truce on March 2. The next morning, " \
           "Ana Morales called him."
    (*_, tv) = find_times(text, "2026-03-20")
    assert (tv.text, tv.start) == ("The next morning", date(2026, 3, 3))


def test_not_until_stays_an_open_range_otherwise() -> None:
    (tv,) = find_times("The ceasefire held until Monday.", "2026-06-10")
    assert tv.precision == "open" and tv.end == date(2026, 6, 8)


def test_every_kind_in_the_time_grammar_has_a_reader_and_every_reader_a_pattern() -> None:
    from kg.resources import load_toml
    from kg.timex import _HANDLERS

    kinds = [rule["name"] for rule in load_toml("lexicons", "time_grammar.toml")["patterns"]]
    assert len(kinds) == len(set(kinds))
    assert set(kinds) == set(_HANDLERS)


@pytest.mark.parametrize("regex, problem", [
    (r"day \d{1,4}", "braces twice"),            # a quantifier written with single braces
    (r"the {weekdays}", "names no word list"),   # a placeholder nobody fills
    (r"(?P<d>\d", "no valid regular expression"),
])
def test_a_broken_grammar_pattern_is_an_error_naming_the_file_and_pattern(regex: str, problem: str) -> None:
    from kg.timex import _grammar_rules

    with pytest.raises(ValueError, match=problem) as err:
        _grammar_rules([{"name": "dayn", "regex": regex}], {"wd": "Monday"}, known={"dayn": None})
    assert "time_grammar.toml" in str(err.value) and "'dayn'" in str(err.value)
    with pytest.raises(ValueError, match="has no reader"):
        _grammar_rules([{"name": "fortnight", "regex": "x"}], {}, known={"dayn": None})


def test_a_missing_or_unknown_context_pattern_is_named() -> None:
    from kg.timex import _context_patterns

    with pytest.raises(ValueError, match=r"\[context\]: missing not_until; unknown not_untill"):
        _context_patterns({"said_on": "x", "named_year": "x", "that_before": "x", "frame_before": "x", "subject_of": "x",
                           "not_untill": "x",
                           "apposition": "x", "weekday_apposition": "x", "counted_start": "x", "limit_before": "x",
                           "clock_zone": "x",
                           "moved_from": "x", "moved_after": "x", "span_opener": "x", "span_joiner": "x"})


def test_a_key_dates_box_of_a_history_reads_its_yearless_lines_in_the_story_year() -> None:
    text = "Key dates\n4 March 2031: the Lenby accord is signed.\n9 March: the first prisoners go home.\n" \
           "2 April: the monitors arrive."
    assert [(v.text, v.start) for v in find_times(text, "2044-06-01")][1:] == [
        ("9 March", date(2031, 3, 9)), ("2 April", date(2031, 4, 2))]
    # trap: in prose, a story a year from the report is the report's own time; a day near the report since resets it
    prose = "The Lenby accord was signed on 4 March 2043.\n\nThe first prisoners went home on 9 March."
    assert find_times(prose, "2044-06-01")[1].start == date(2044, 3, 9)
    text = "The accord was signed on 4 March 2031.\n\nOn Monday the two envoys met. Talks on 2 April went nowhere."
    assert find_times(text, "2044-06-01")[-1].start == date(2044, 4, 2)


def test_a_chronologys_yearless_line_continues_from_the_line_before() -> None:
    """However near the report: "August 31" under "August 13, 2030" in a piece of September 2031 is 2030's, and a
    list that runs on past December turns the year."""
    text = ("Key dates\nAugust 13, 2030 — the Lenby accord is announced.\nAugust 31 — talks open in Tarsova.\n"
            "December 10 — a fourth state joins.\nJanuary 4 — the monitors arrive.")
    assert [(v.text, v.start) for v in find_times(text, "2031-09-15")] == [
        ("August 13, 2030", date(2030, 8, 13)), ("August 31", date(2030, 8, 31)),
        ("December 10", date(2030, 12, 10)), ("January 4", date(2031, 1, 4))]
    # trap: a line of a month says too little: the days after it are read from the report, as before
    box = "Key dates\nJanuary 2079 - Interim arrangement agreed in Lenby\nJune 4 - The tribunal delivers its award"
    assert find_times(box, "2080-06-19")[-1].start == date(2080, 6, 4)
    # trap: the prose after the box is read from the report, as before
    prose = "Key dates\nAugust 13, 2030 — the Lenby accord is announced.\n\nThe monitors left Tarsova on August 31."
    assert find_times(prose, "2031-09-15")[-1].start == date(2031, 8, 31)


def test_a_history_moved_to_a_year_by_the_sentence_before_reads_its_yearless_days_there() -> None:
    """"... signed on June 27, 2040. ... The decisive stretch came at the end of 2039. ... on December 11 they signed":
    the sentence before placed the story in 2039, after its last day (2040's): December 11 is 2039's."""
    text = ("Chile and Peru signed the final accord in Lima on June 27, 2040. The decisive stretch came at the end "
            "of 2039. The two leaders met at the border, and on December 11 they signed a protocol.")
    assert find_times(text, "2043-06-27")[-1].start == date(2039, 12, 11)
    # trap: a year two sentences back has been left behind: the story's last day places the date, as before
    text = ("Chile and Peru signed the final accord in Lima on June 27, 2040. The decisive stretch came at the end "
            "of 2039. Few expected it. On December 11 the two leaders signed a protocol.")
    assert find_times(text, "2043-06-27")[-1].start == date(2040, 12, 11)
    # trap: nor does a year near the report move a history: it is the report's own time
    text = ("Chile and Peru signed the final accord in Lima on June 27, 2040. Talks resumed in 2043. "
            "On December 11 the two leaders signed a protocol.")
    assert find_times(text, "2043-06-27")[-1].start == date(2040, 12, 11)
