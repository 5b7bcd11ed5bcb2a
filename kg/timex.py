"""Time stage: find temporal expressions in news text and normalise them.

Public entry points::

    find_times(text, reference, *, publication=None) -> tuple[TimeValue, ...]
    resolve(expression, reference, *, tense=None) -> TimeValue | None
    deadline_from(issued, duration) -> TimeValue
    time_to_dict(tv) -> dict
    find_dateline(text, publication) -> TimeValue | None
    parse_reference(value) -> date

>>> tv = resolve("early June", reference="2026-08-12")
>>> (tv.start.isoformat(), tv.end.isoformat(), tv.precision, tv.edtf, tv.modifier)
('2026-06-01', '2026-06-10', 'interval', '2026-06-01/2026-06-10', 'START')
>>> [t.text for t in find_times("Talks may occur between March 11 and 12, not in 24 to 48 hours.", "2026-03-10")]
['between March 11 and 12']

How it works: the words of ``data/lexicons/time.toml`` and the grammar of
``data/lexicons/time_grammar.toml`` (one pattern per kind of expression) are
compiled once into one combined regular expression (alternations built as
tries).  Instead of trying it at every character, the scan finds anchor
words (digits, months, weekdays, "week", "ago", "today" ...) and tries the
pattern only at the few word starts just before each anchor; each
alternative has a handler that turns the words into dates.
``dateparser.parse`` (memoised) is only used for numeric dates whose field
order needs a decision ("03/17/2026"); written month-day forms are parsed
with the month lexicon.  About 1 ms per 200-word article, 10-15x
``dateparser.search_dates`` (benchmarks/time_resolution.py).

Conventions (the tests check them):

* ``start``/``end`` are inclusive.  A date without a year takes the year that
  puts it nearest the reference date; the clause's tense shifts that choice
  by a penalty for a candidate on the wrong side: 200 days in a past clause
  (a past-tense "January 20" read in late July is January of the same year,
  a past-tense "end of November" read in July last November), 120 in a
  future one.
* Weekdays: the tense cue nearest the expression in its clause (then its
  sentence) decides: future (will, is set to, scheduled for, planned ...) ->
  the first such day on or after the reference; past or no cue -> the last
  one on or before it.  Reported future ("said on Monday it would be held on
  Wednesday") counts from the date of the saying.  "last"/"next" are strict;
  "this" = the same ISO week.
* Parts: early = days 1-10, mid = 11-20, late/end = 21-last day, precision
  ``interval``, modifier START/MID/END.  Year parts are four-month blocks.
* Weeks are ISO weeks (Monday-Sunday), precision ``week``.
* Seasons are northern-hemisphere meteorological seasons (spring = Mar-May),
  EDTF season codes 21-24; quarters use EDTF level-2 codes 33-36.
* Open intervals: precision ``open``, the unknown bound is ``None``, EDTF uses
  ``..``: "in the coming days" (reference 2026-03-11) -> start 2026-03-12,
  end None, "2026-03-12/..", modifier AFTER; "since 2022" -> "2022/..";
  "by the end of August" -> end 2026-08-31, start None, "../2026-08-31",
  modifier BEFORE.  So a deadline written "by X"/"until X" is ``tv.end``.
* Durations: kind ``duration``, start/end None, ``duration_days=(lo, hi)``
  (a month counts 28-31 days), precision ``interval``, EDTF is the ISO-8601
  duration ("P50D") or "" for a range of durations; the span is the number
  and unit only ("30-day", "8 or 9 days").  "in N days" is a date after the
  reference only when the clause is future and carries no deadline cue
  (ultimatum, if, unless ...), or in ``resolve``; otherwise a duration.
  Hours-scale durations ("24 to 48 hours", "40 minutes") are consumed and
  produce no value at all.  ``deadline_from`` turns a duration into a date.
* Relative periods: "two weeks ago" = the ISO week containing reference-14
  (months/years likewise give the whole month/year); "three days ago" is a
  day, and so is "it is three days since" (what follows "since").  "the past
  week" = reference-7 .. reference.  "over the weekend" is
  the last Saturday-Sunday in a past clause, the next one otherwise.
* Prefixes change the value and stay in the span: "by/until X" -> open
  interval ending with X, "before X" -> ending the day before X ("before the
  end of August" = by August 31), "since/from X" -> starting with X, "after X"
  -> starting the day after X, "around/about X" -> modifier APPROX, EDTF "~".
  Plain prepositions ("in", "on", "at") are left out of the span.  A
  possessive ("after Monday's round") keeps the bare day.
* Anaphoric expressions ("a day earlier", "the following day", "ten days
  later", "day 61" = start + 60) anchor on the last day- or interval-precision
  value found earlier in the same text (anchor ``previous``), skipping values
  after the reference, and values of plans, when the clause is past tense (a
  deadline just mentioned is not what "a day earlier he had said" counts
  from); with none, on the reference.  An ordinal day ("on the second day") counts from the first day of the span
  just named; "minutes/hours later", "shortly afterwards" are that event's day.  A count restated as a written
  date ("a week earlier, on May 17") gives way to the date.  "Monday the 9th": the nearest month whose 9th is a
  Monday; "the last Thursday of August", "the second Monday in May": that weekday of the month.
* When ``publication`` is given and the text starts with a dateline
  ("GENEVA, March 11 —"), expressions after the dateline anchor on its date.
"""

from __future__ import annotations

import bisect
import re
from calendar import monthrange
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from kg.cuepatterns import readable, without_case
from kg.records import TimeValue
from kg.resources import KnowledgeError, check_names, load_toml

__all__ = ["find_times", "resolve", "deadline_from", "time_to_dict", "find_dateline", "parse_reference"]

# How far the clause's tense moves a year-less date's year choice: a past clause more (a reported past event does not
# lie ahead: "suspended it at the end of November", written in July, is last November) than a future one.
_PAST_PENALTY_DAYS = 200
_FUTURE_PENALTY_DAYS = 120
_TENSE_SLACK = timedelta(days=7)
# A date written without its year is read near the reference unless the story is this far (a year and a half) away
# from it: a history, whose yearless days are the story's.
_STORY_DAYS = 548
# ... and nearer the reference, a sentence's own full date still sets the year of a yearless day that follows it within
# this many days: the next step of what the sentence tells ("opened on March 9, 2043, and closed on March 17").
_SEQUENCE_DAYS = 31
# Units a count back by which names a whole period, not a day ("three weeks ago" is that week; "a decade ago" a year).
_PERIOD_UNITS = ("week", "month", "year", "decade")
# How many words, "in" among them and no comma, may open a sentence before the month or year it happens in ("It was
# in 2031 that")
_FRAME_WORDS = 3

# ---------------------------------------------------------------------------
# Lexicon -> regular expressions
# ---------------------------------------------------------------------------


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` with shared prefixes factored out.

    Python's ``re`` tries alternation branches one by one; a trie fails at the
    first wrong character instead, which keeps the combined scan fast.
    Longer words win over their prefixes (greedy), spaces match any whitespace.

    >>> _trie(["may", "march", "mar"])
    '(?:ma(?:r(?:ch)?|y))'
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = []
        for ch in sorted((c for c in node if c), key=lambda c: -_depth(node[c])):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if "" in node:
            branches.append("")
        if len(branches) == 1:
            return branches[0]
        optional = branches[-1] == ""
        body = "|".join(b for b in branches if b)
        return f"(?:{body})?" if optional and body.count("|") == 0 and len(branches) == 2 else \
            f"(?:{body}{'|' if optional else ''})"

    return f"(?:{emit(tree)})"


def _depth(node: dict[str, Any]) -> int:
    return 1 + max((_depth(child) for child in node.values()), default=0) if node else 0


def _alt(words: Iterable[str], *, ci: bool = True, boundary: bool = True) -> str:
    """Alternation of phrases (as a trie); spaces match any whitespace."""
    core = _trie({w.lower() if ci else w for w in words})
    core = f"(?i:{core})" if ci else core
    if boundary:
        core = rf"(?<![\w-]){core}(?![a-z])" if ci else rf"(?<![\w-]){core}(?![A-Za-z])"
    return core


_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True)
class _Context:
    """The words around a time that change what it means (time_grammar.toml [context], where each is explained)."""
    said_on: re.Pattern[str]
    named_year: re.Pattern[str]
    that_before: re.Pattern[str]
    frame_before: re.Pattern[str]
    subject_of: re.Pattern[str]
    not_until: re.Pattern[str]
    moved_from: re.Pattern[str]
    moved_after: re.Pattern[str]
    apposition: re.Pattern[str]
    weekday_apposition: re.Pattern[str]
    counted_start: re.Pattern[str]
    span_opener: re.Pattern[str]
    span_joiner: re.Pattern[str]
    limit_before: re.Pattern[str]
    clock_zone: re.Pattern[str]


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    units: dict[str, tuple[int, int, str]]
    subday: frozenset[str]
    part_kind: dict[str, str]
    parts: dict[str, dict[str, tuple[int, int]]]
    part_mod: dict[str, str]
    seasons: dict[str, tuple[int, int, int]]
    quarters: dict[str, int]
    deictic: dict[str, int]
    anaphoric: dict[str, tuple[int, str, bool]]    # offset, unit, counted from the first day of a span
    determiners: dict[str, tuple[int, bool]]
    open_after: frozenset[str]
    prefix_kind: dict[str, str]
    future: re.Pattern[str]
    future_past: re.Pattern[str]
    relative_breaks: tuple[str, ...]
    past: re.Pattern[str]
    past_word: re.Pattern[str]
    not_past: frozenset[str]
    counterfactual: re.Pattern[str]     # "would have": a future-in-past cue that reports the past
    reporting: frozenset[str]
    fronted_phrase: re.Pattern[str]
    participle: re.Pattern[str]
    order_words: frozenset[str]
    order_after: re.Pattern[str]
    clause: re.Pattern[str]
    deadline: re.Pattern[str]
    master: re.Pattern[str]
    rules: dict[str, re.Pattern[str]]
    anchors: frozenset[str]
    anchor_re: re.Pattern[str]
    cue: re.Pattern[str]
    # ``anchor_re`` and ``cue`` with no case-insensitive part, read in the lower case of ``readable`` text (None when
    # they would not find the same there): Python's regex engine skips ahead only in case-sensitive patterns
    anchor_cased: re.Pattern[str] | None
    cue_cased: re.Pattern[str] | None
    starters: frozenset[str]
    window: int
    dateline: re.Pattern[str]
    flashback: re.Pattern[str]          # "had (first) offered": a past perfect steps back from the story
    event_kinds: dict[str, str]         # noun naming an earlier event -> its kind
    event_words: dict[str, re.Pattern[str]]   # kind -> words marking a sentence that reports one
    start_verbs: frozenset[str]         # "after it opened": counted from the first day of the event
    context: _Context


class _Grouped:
    """A fragment of the time grammar whose named groups carry a suffix, so that one pattern may hold it twice:
    ``{md[1a]}`` and ``{md[2a]}`` in a range give groups ``m_1a`` and ``m_2a``.

    >>> _Grouped("(?P<d_{g}>{digit})", {"digit": "[0-9]"})["2b"]
    '(?P<d_2b>[0-9])'
    """

    def __init__(self, template: str, placeholders: Mapping[str, object]) -> None:
        self.template = template
        self.placeholders = placeholders      # the grammar's placeholders, this fragment and its siblings among them

    def __getitem__(self, suffix: object) -> str:
        return self.template.replace("{g}", str(suffix)).format_map(self.placeholders)


def _context_patterns(context: dict[str, str]) -> _Context:
    """The [context] patterns of time_grammar.toml, one per field of ``_Context``; a missing or unknown one is an
    error naming the file."""
    check_names("data/lexicons/time_grammar.toml [context]", context, (f.name for f in fields(_Context)),
                "kg.timex._Context")
    return _Context(**{name: re.compile(regex) for name, regex in context.items()})


def _grammar_rules(patterns: list[dict[str, str]], placeholders: Mapping[str, object],
                   known: Mapping[str, object]) -> list[tuple[str, str]]:
    """Each pattern of time_grammar.toml as (kind, regex), its placeholders filled; a kind the code cannot read,
    a placeholder nobody fills or a regex that does not compile is an error naming the pattern.

    >>> _grammar_rules([{"name": "dayn", "regex": "day {n}"}], {"n": "[0-9]+"}, known={"dayn": None})
    [('dayn', 'day [0-9]+')]
    """
    where = "data/lexicons/time_grammar.toml"
    rules = []
    for rule in patterns:
        name = rule["name"]
        if name not in known:
            raise KnowledgeError(f"{where}: pattern {name!r} has no reader in kg/timex.py; "
                                 f"name it as one of {', '.join(sorted(known))}")
        try:
            regex = rule["regex"].format_map(placeholders)
            re.compile(regex)
        except (KeyError, IndexError, ValueError) as err:
            raise KnowledgeError(f"{where}: pattern {name!r} has a brace that names no word list or fragment "
                                 f"({err}); write a regex quantifier's braces twice ({{{{1,2}}}})") from None
        except re.error as err:
            raise KnowledgeError(f"{where}: pattern {name!r} is no valid regular expression ({err})") from None
        rules.append((name, regex))
    return rules


def _strings(node: Any) -> Iterable[str]:
    """Every key and string value of a parsed TOML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


@cache
def _lexicon() -> _Lexicon:
    data = load_toml("lexicons", "time.toml")
    months = {k: int(v) for k, v in data["months"].items()}
    ambiguous = set(data["ambiguous_months"])
    weekdays = {k: int(v) for k, v in data["weekdays"].items()}
    nums = data["numbers"]
    numbers: dict[str, int] = {}
    for table in ("units", "teens", "tens", "article"):
        numbers.update(nums[table])
    ordinals = dict(nums["ordinals"])
    units = {k: (v["days"][0], v["days"][1], v["shift"]) for k, v in data["units"].items() if k != "subday"}
    subday = frozenset(data["units"]["subday"])
    parts_data = data["parts"]
    part_kind = {_norm(k): v for k, v in parts_data["phrases"].items()}
    parts = {scope: {k: (int(v[0]), int(v[1])) for k, v in parts_data[scope].items()}
             for scope in ("month", "year", "week")}
    seasons = {k: (v["months"][0], v["months"][1], v["edtf"]) for k, v in data["seasons"].items()}
    prefix_kind: dict[str, str] = {}
    for kind in ("until", "before", "since", "after", "approx"):
        for phrase in data["prefixes"][kind]:
            prefix_kind[_norm(phrase)] = kind
    plain = data["prefixes"]["plain"]
    tense = data["tense"]

    full_names = {k for k, v in months.items() if k == max((n for n, w in months.items() if w == v), key=len)}

    def month_forms(keys: Iterable[str]) -> str:
        forms = []
        for key in keys:
            for form in (key.capitalize(), key.upper()):
                forms.append(form)
                if key not in full_names:
                    forms.append(form + ".")      # "Sept." but never "May." (a full stop)
        return rf"(?<![A-Za-z]){_trie(forms)}(?![A-Za-z])"

    mon = month_forms(months)
    mon_safe = month_forms(k for k in months if k not in ambiguous)
    wd = rf"(?<![A-Za-z]){_trie([f(k) for k in weekdays for f in (str.capitalize, str.upper)])}(?![A-Za-z])"
    numword = _alt([f"{t}-{u}" for t in nums["tens"] for u in nums["units"]]
                   + [f"{t} {u}" for t in nums["tens"] for u in nums["units"]]
                   + list(nums["tens"]) + list(nums["teens"]) + list(nums["units"]))
    num = rf"(?:(?<![\d,.])\d{{1,4}}(?![\d,]\d)(?!\d)|{numword})"
    num_a = rf"(?:{num}|{_alt(nums['article'])})"
    # Units may follow a hyphen ("a 30-day ultimatum"), so no left boundary.
    unit = _alt(units, boundary=False) + "(?![a-z])"
    sub = _alt(subday, boundary=False) + "(?![a-z])"
    anyunit = _alt(list(units) + list(subday), boundary=False) + "(?![a-z])"
    ordword = _alt(ordinals)
    ordword_day = _alt([word for word, value in ordinals.items() if value >= int(nums["bare_ordinal_days_from"])])
    pre_mod = _alt(prefix_kind)
    lic = _alt(plain + list(prefix_kind))
    part = _alt(part_kind, boundary=False)
    season = _alt(seasons)
    qword = _alt(data["quarters"]["words"])
    deictic = _alt(data["deictic"])
    anaphoric = _alt(data["anaphoric"])
    openp = _alt(data["open"]["after"] + data["open"]["before"])
    nouns = _alt(data["prefixes"]["month_nouns"])
    anchors_data = data["event_anchors"]
    event_kinds = {_norm(n): kind for kind, v in anchors_data["kinds"].items() for n in v["nouns"]}
    event_noun = _alt(event_kinds)
    event_verb = _alt(anchors_data["start_verbs"] + anchors_data["end_verbs"])
    grammar = load_toml("lexicons", "time_grammar.toml")
    placeholders: dict[str, object] = dict(
        mon=mon, mon_safe=mon_safe, wd=wd, num=num, num_a=num_a, unit=unit, sub=sub, anyunit=anyunit,
        ordword=ordword, ordword_day=ordword_day, pre_mod=pre_mod, lic=lic, part=part, season=season, qword=qword,
        deictic=deictic,
        anaphoric=anaphoric, openp=openp, nouns=nouns, event_noun=event_noun, event_verb=event_verb)
    placeholders.update(grammar["fragments"])
    grouped = {name: _Grouped(template, placeholders) for name, template in grammar["grouped"].items()}
    placeholders.update(grouped)
    rules = _grammar_rules(grammar["patterns"], placeholders, known=_HANDLERS)
    compiled = {name: re.compile(pat) for name, pat in rules}
    master = re.compile("|".join(f"(?P<{name}>{_GROUP.sub('(?:', pat)})" for name, pat in rules))

    def words(ws: Iterable[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(ws, key=len, reverse=True))

    future = re.compile(rf"(?i)(?<![\w']){'(?:' + words(tense['future']) + ')'}(?![\w])")
    future_past = re.compile(rf"(?i)(?<![\w']){'(?:' + words(tense['future_in_past']) + ')'}(?![\w])")
    past = re.compile(rf"(?i)(?<![\w']){'(?:' + words(tense['past']) + ')'}(?![\w])")
    past_word = re.compile(rf"(?i)\b[a-z]{{3,}}{tense['past_suffix']}\b")
    clause = re.compile("|".join(re.escape(b) for b in sorted(tense["clause_breaks"], key=len, reverse=True)))
    deadline = re.compile(rf"(?i)(?<![\w]){'(?:' + words(tense['deadline_cues']) + ')'}(?![\w])")
    dashes = "|".join(re.escape(d) for d in data["dateline"]["dashes"])
    dateline = re.compile(rf"^(?P<place>[A-ZÀ-Þ][A-ZÀ-ÞİĞŞÇÜÖ.'’ -]{{1,40}}?)(?:,\s*[A-Z][A-Za-z]+)?,\s*(?P<date>{_GROUP.sub('(?:', grouped['date1']['1'])})\s*(?:\([^)]{{1,40}}\)\s*)?(?:{dashes})",
                          re.MULTILINE)
    scan = data["scan"]
    vocabulary: set[str] = set(scan["extra_anchors"])
    phrase_lists: list[Iterable[str]] = [
        months, weekdays, units, subday, parts_data["phrases"], seasons,
        data["deictic"], data["anaphoric"], data["open"]["after"], data["open"]["before"]]
    for phrases in phrase_lists:
        for phrase in phrases:
            vocabulary.update(w for w in re.split(r"[^a-z]+", phrase.lower()) if w)
    # Number and ordinal words never stand alone: the unit or month after them is the anchor.
    anchors = frozenset(vocabulary - set(scan["function_words"]) - set(numbers) - set(ordinals))
    # (... save a day of the month written out where its phrase ends: "on the fourteenth, when ...")
    anchor_re = re.compile(rf"(?<![A-Za-z0-9])(?:{_alt(anchors, boundary=False)}(?![A-Za-z])|\d"
                           rf"|(?i:the\s+(?:{ordword_day}){grammar['fragments']['ordword_end']}))")
    cue = re.compile(rf"\b(?:(?P<future>{_trie(_norm(w) for w in tense['future'])})"
                     rf"|(?P<future_past>{_trie(_norm(w) for w in tense['future_in_past'])})"
                     rf"|(?P<past>{_trie(_norm(w) for w in tense['past'])})"
                     rf"|(?P<past_word>[a-z]+{tense['past_suffix']}))(?![\w'’])", re.IGNORECASE)
    return _Lexicon(
        anchors=anchors, window=int(scan["window_words"]),
        anchor_re=anchor_re, cue=cue, anchor_cased=without_case(anchor_re), cue_cased=without_case(cue),
        # A match can only start with a digit, a word written in the patterns or a word
        # of the lexicon lists that open expressions; never with a linking word.
        starters=frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", " ".join([master.pattern, *_strings(
            {k: data[k] for k in ("months", "weekdays", "numbers", "units", "parts", "seasons", "quarters",
                                  "deictic", "anaphoric", "open", "prefixes")})]))) - frozenset(scan["never_first"]),
        months=months, weekdays=weekdays, numbers=numbers, ordinals=ordinals, units=units, subday=subday,
        part_kind=part_kind, parts=parts, part_mod=dict(parts_data["modifier"]), seasons=seasons,
        quarters={_norm(k): int(v) for k, v in data["quarters"]["words"].items()},
        deictic={_norm(k): int(v) for k, v in data["deictic"].items()},
        anaphoric={_norm(k): (int(v["n"]), v["unit"], v.get("from") == "start") for k, v in data["anaphoric"].items()},
        determiners={_norm(k): (int(v["offset"]), bool(v.get("anchored", False)))
                     for k, v in data["determiners"].items()},
        open_after=frozenset(_norm(p) for p in data["open"]["after"]),
        prefix_kind=prefix_kind, future=future, future_past=future_past, past=past, past_word=past_word,
        not_past=frozenset(tense["not_past"]),
        counterfactual=re.compile(rf"(?i)(?:{words(tense.get('future_in_past_perfect', ()))})(?![\w'’])"),
        reporting=frozenset(tense["reporting"]),
        fronted_phrase=re.compile(r"\s*(?:" + "|".join(re.escape(w) for w in tense["fronted_phrases"]) + r")\b",
                                  re.IGNORECASE),
        relative_breaks=tuple(tense["relative_breaks"]),
        participle=re.compile(rf"(?i)(?:^|\W)(?:{words(tense['participle_after'])})\s+$"), clause=clause, deadline=deadline,
        order_words=frozenset(tense["order_words"]),
        order_after=re.compile(rf"(?i)(?:^|\W)(?:{words(tense['order_after'])})\s+$"),
        master=master, rules=compiled, dateline=dateline,
        flashback=re.compile(rf"(?i)(?<![\w'’])had\s+(?:(?:{words(tense['flashback_adverbs'])})\s+)?"
                             rf"(?:[a-z]{{3,}}{tense['past_suffix']}|{words(tense['past'] + tense['flashback_participles'])})"
                             r"(?![\w'’])"),
        event_kinds=event_kinds,
        event_words={kind: re.compile(rf"(?i)(?<![\w-])(?:{words(v['words'])})(?![\w-])")
                     for kind, v in anchors_data["kinds"].items()},
        start_verbs=frozenset(_norm(v) for v in anchors_data["start_verbs"]),
        context=_context_patterns(grammar["context"]),
    )


# ---------------------------------------------------------------------------
# Calendar helpers
# ---------------------------------------------------------------------------


def _last_day(year: int, month: int) -> int:
    return monthrange(year, month)[1]


def _add_months(d: date, n: int) -> date:
    total = d.year * 12 + d.month - 1 + n
    year, month = divmod(total, 12)
    return date(year, month + 1, min(d.day, _last_day(year, month + 1)))


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, _last_day(year, month))


def _season_bounds(year: int, first: int, last: int) -> tuple[date, date]:
    """Bounds of a season named for ``year``; winter runs into the next year."""
    end_year = year + 1 if last < first else year
    return date(year, first, 1), date(end_year, last, _last_day(end_year, last))


def _pick(candidates: list[tuple[date, date]], ref: date, bias: str | None) -> tuple[date, date]:
    """The candidate period nearest ``ref``; a tense contradiction costs _PAST_PENALTY_DAYS or _FUTURE_PENALTY_DAYS."""
    def score(period: tuple[date, date]) -> float:
        start, end = period
        if start <= ref <= end:
            distance = 0.0
        else:
            mid = start + (end - start) / 2
            distance = abs((mid - ref).days)
        if bias == "past" and start > ref + _TENSE_SLACK:
            distance += _PAST_PENALTY_DAYS
        elif bias == "future" and end < ref - _TENSE_SLACK:
            distance += _FUTURE_PENALTY_DAYS
        return distance
    return min(candidates, key=score)


def _month_day(month: int, day_: int, year: int | None, ref: date, bias: str | None) -> date | None:
    if year is not None:
        try:
            return date(year, month, day_)
        except ValueError:
            return None
    options = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = date(y, month, day_)
        except ValueError:
            continue
        options.append((d, d))
    return _pick(options, ref, bias)[0] if options else None


def _month_period(month: int, year: int | None, ref: date, bias: str | None, det: str | None = None) -> tuple[date, date]:
    if year is not None:
        return _month_bounds(year, month)
    options = [_month_bounds(y, month) for y in (ref.year - 1, ref.year, ref.year + 1)]
    if det in ("last", "next"):
        options = [_month_bounds(y, month) for y in range(ref.year - 2, ref.year + 3)]
    if det == "last":
        return max(o for o in options if o[1] < ref)
    if det == "next":
        return min(o for o in options if o[0] > ref)
    if det == "this":
        return _month_bounds(ref.year, month)
    return _pick(options, ref, bias)


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ".."


def _edtf(start: date, end: date, precision: str, approx: bool = False) -> str:
    mark = "~" if approx else ""
    if precision == "day" or start == end:
        return start.isoformat() + mark
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}{mark}"
    if precision == "year":
        return f"{start.year:04d}{mark}"
    return f"{start.isoformat()}{mark}/{end.isoformat()}{mark}"


# ---------------------------------------------------------------------------
# Reference dates
# ---------------------------------------------------------------------------

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def parse_reference(value: date | datetime | str) -> date:
    """A reference date from a date, datetime or string (ISO day or full timestamp).

    >>> parse_reference("2026-03-10T10:00:00Z"), parse_reference(datetime(2026, 3, 10, 23, 0))
    (datetime.date(2026, 3, 10), datetime.date(2026, 3, 10))
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _ISO_DAY.match(value)
    if match:
        return date(*map(int, match.groups()))
    parsed = _dateparser_parse(value.strip(), None)
    if parsed is None:
        raise ValueError(f"cannot read reference date {value!r}: use an ISO date such as 2026-03-11")
    return parsed


@lru_cache(maxsize=4096)
def _dateparser_parse(phrase: str, order: str | None) -> date | None:
    """``dateparser.parse`` on one core phrase, memoised (it costs ~1 ms a call)."""
    import dateparser  # imported lazily: most texts never need it

    settings: dict[str, Any] = {"REQUIRE_PARTS": ["day", "month", "year"]}
    if order:
        settings["DATE_ORDER"] = order
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


# ---------------------------------------------------------------------------
# Scanning
# ---------------------------------------------------------------------------

# What may follow a reporting verb that only attributes the sentence ("..., the spokesman said on Monday.", "...,
# X announced on Thursday, ending ..."): a few words to a comma or the end; a verb followed by a long clause
# introduces it ("X, speaking on Monday, said the talks would resume without preconditions").
_ATTRIBUTION_END = re.compile(r"[^,.;!?]{0,30}(?:[,.;!?]|\s*$)")
_CUE_RANK = {"future": 0, "future_past": 1, "past": 2, "past_word": 3}
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_THOUSANDS = re.compile(r"(?<=\d[,.])\d|\d+[,.]\d{3}(?!\d)")   # "1,000": a count, never a date
_WINDOW_CHARS = 90               # how far before an anchor word an expression may start
_MOVED_REACH = 30                # how far before "from" a verb of moving may stand
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
# Slashed numeric dates, day and month in either order.
_SLASHED = re.compile(r"(?<![\d./-])(\d{1,2})/(\d{1,2})/(?:19|20)\d\d(?!\d)")


@dataclass
class _Scan:
    """Per-call state of one ``find_times`` run (never shared between calls)."""

    text: str
    ref: date
    lex: _Lexicon
    default_tense: str = "past"
    standalone: bool = False
    found: list[TimeValue] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)
    cues: dict[int, list[tuple[int, int, str, str]]] = field(default_factory=dict)   # per sentence start
    slash_order: str = "MDY"     # how the text writes slashed dates whose fields could be either way
    in_line: bool = False        # within a chronology's line: ``ref`` is the date the line opens with
    chronology: date | None = None   # the day the last line of a chronology opened with
    framed: set[int] = field(default_factory=set)    # where the days a sentence's month or year placed start

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.breaks, pos)
        start = self.breaks[i - 1] if i else 0
        end = self.breaks[i] if i < len(self.breaks) else len(self.text)
        return start, end

    def tense(self, start: int, end: int, *, default: bool = True) -> str | None:
        """``future``, ``future_past`` (would, was to ...) or ``past`` for the clause around text[start:end].

        The cue nearest the expression wins, first within its clause, then
        within its sentence; with no cue at all, ``default_tense``.
        """
        s_start, s_end = self.sentence(start)
        sentence = self.text[s_start:s_end]
        cuts = [0] + [m.start() for m in self.lex.clause.finditer(sentence)] + [len(sentence)]
        rel_start, rel_end = start - s_start, end - s_start
        c_start = max(c for c in cuts if c <= rel_start)
        c_end = min((c for c in cuts if c >= rel_end), default=len(sentence))
        # A relative clause after the expression ("..., which Romania said it would study") has its own verb:
        # its tense is not the expression's.
        reach = c_end if any(sentence.startswith(r, c_end) for r in self.lex.relative_breaks) else len(sentence)
        for lo, hi in ((c_start, c_end), (0, reach)):
            verdict = self._nearest_cue(s_start, sentence, lo, hi, rel_start, rel_end)
            if verdict:
                return verdict
        return self.default_tense if default else None

    def _cue_hits(self, s_start: int, sentence: str) -> list[tuple[int, int, str, str]]:
        """Tense cues of one sentence (offsets relative to it), computed once per sentence."""
        hits = self.cues.get(s_start)
        if hits is None:
            lex = self.lex
            hits = []
            # (each hit's word is lower-cased anyway: the lower-case text's hits are the same)
            cues = lex.cue_cased.finditer(sentence.lower()) if lex.cue_cased is not None and readable(sentence) \
                else lex.cue.finditer(sentence)
            for m in cues:
                kind = m.lastgroup or "past"
                word = m.group().lower()
                if kind == "past_word" and (len(word) < 5 or word in lex.not_past):
                    continue
                if kind in ("past", "past_word") and lex.participle.search(sentence, max(0, m.start() - 12), m.start()):
                    continue     # "would be held": a participle, not a past event
                if kind == "past" and word in lex.order_words and lex.order_after.search(sentence, max(0, m.start() - 8),
                                                                                         m.start()):
                    continue     # "and the last of them on Thursday": a rank, not the past
                if kind == "future_past" and lex.counterfactual.match(sentence, m.start()):
                    kind = "past"    # "would have run out on Thursday": what did not happen, in the past
                hits.append((m.start(), m.end(), kind, word))
            self.cues[s_start] = hits
        return hits

    def _nearest_cue(self, s_start: int, sentence: str, lo: int, hi: int, at: int, until: int) -> str | None:
        best: tuple[int, int, str] | None = None
        # "On Monday, the spokesman announced ...": a time opening the sentence dates its reporting verb
        # ("In a statement on Wednesday, X said ...": likewise a time in an opening adverbial phrase)
        fronted = len(sentence[:at].split()) <= 2 or (
            "," not in sentence[:at] and self.lex.fronted_phrase.match(sentence) is not None)
        for start, end, kind, word in self._cue_hits(s_start, sentence):
            if word in self.lex.reporting and end <= at and self.lex.context.said_on.fullmatch(sentence, end, at):
                return "past"    # "which Vask said on Thursday would be held ...": the saying's day, before the report
            if start < lo or end > hi or at <= start < until:
                continue         # outside the clause, or inside the expression itself ("last", "next")
            if start >= until and word in self.lex.reporting and not fronted and _ATTRIBUTION_END.match(sentence, end):
                continue         # "..., the spokesman said": attribution, not the event's tense
            distance = at - end if end <= at else start - until
            key = (distance, _CUE_RANK[kind], "past" if kind == "past_word" else kind)
            if best is None or key < best:
                best = key
        return best[2] if best else None

    def story(self, at: int, end: int) -> tuple[date | None, date | None]:
        """Where a date written without its year (at ``at`` to ``end``) is placed when it is not near the reference,
        as ``(frame, day)``.  ``frame``: the start of the month or year a sentence of a history opens in ("In
        September 2033 a truce was signed on 14 September", "In 2031 the envoys met on November 30", in a piece of
        2044), when nothing dated comes between: the date takes its year.  Else ``day``, the day it is placed nearest:
        the day the chronology's line before opened with, when it opens the next line ("August 13, 2030 — ...", then
        "August 31 — ..." in a piece of September 2031); else the last day written before it, when that lies
        ``_STORY_DAYS`` or more from the reference (a history told from a full date: "on 4 March 2031 ... the envoys
        met again in Lenby on 9 March", in a piece of 2044).  Neither within a chronology's line, which is read from
        the date it opens with."""
        if self.in_line:
            return None, None
        last = self._story_value(at)
        if last is not None and last.precision != "day":
            return last.start, None
        if self.chronology is not None and _opens_line(self.text, at, end):
            return None, self.chronology
        return None, last.start if last is not None else None

    def _story_value(self, at: int) -> TimeValue | None:
        """The last day written before ``at``, or a month or year its sentence opens in, when it lies ``_STORY_DAYS``
        or more from the reference; or, after such a day, the year or month the sentence before moved the story to."""
        s_start, _ = self.sentence(at)
        # (a day its sentence's month or year placed is not the story's day: within the sentence the frame says more
        # ("In 2041 ... on March 6 and again on July 2"), and beyond it the text may be back in its own year)
        last = next((tv for tv in reversed(self.found) if tv.start_char < at and tv.start is not None
                     and tv.start_char not in self.framed
                     and (tv.precision == "day" or s_start <= tv.start_char and self._frames(tv, s_start))), None)
        # (counted in days, not calendar years: "December 1, 2018" is no history in a piece of January 2020, whose
        # "June 29" is 2019's; "October 8, 2022" is one in a piece of August 2024)
        if last is None or abs((last.start - self.ref).days) < _STORY_DAYS:  # type: ignore[operator]
            return None
        # ("The decisive stretch came at the end of 2031. ... on December 11 they signed": in a history, a year or a
        # month the sentence before placed the story in, after its last day, is where the story has moved)
        previous_start, _ = self.sentence(max(0, s_start - 1))
        moved = next((tv for tv in reversed(self.found) if tv.start_char < at), None)
        if moved is not None and moved is not last and moved.start_char >= max(previous_start, last.start_char) \
                and moved.anchor == "absolute" and moved.precision != "day" and moved.start is not None \
                and moved.end is not None and moved.start.year == moved.end.year \
                and abs((moved.start - self.ref).days) >= _STORY_DAYS:
            return moved
        return last

    def sentence_day(self, at: int) -> TimeValue | None:
        """The last full date (a day with its year written) of the sentence before ``at``, if nothing else dated
        stands between."""
        s_start, _ = self.sentence(at)
        last = next((tv for tv in reversed(self.found) if tv.start_char < at), None)
        return last if last is not None and last.start_char >= s_start and last.anchor == "absolute" \
            and last.precision == "day" and last.start is not None else None

    def _frames(self, tv: TimeValue, s_start: int) -> bool:
        """Whether ``tv`` is a month or a year (of its own, as written) that its sentence, opening with it, happens
        in: "In September 2033", "Back in 2031,", not "the accord of 2031" nor "Vask, appointed in June 2029, ..."."""
        return tv.anchor == "absolute" and tv.precision in ("month", "year") and tv.end is not None \
            and tv.start is not None and tv.start.year == tv.end.year \
            and len(opening := self.text[s_start:tv.start_char].split()) <= _FRAME_WORDS \
            and not any("," in word for word in opening) \
            and self.lex.context.frame_before.search(self.text, max(0, tv.start_char - 8), tv.start_char) is not None

    def deadline_cue(self, start: int) -> bool:
        s_start, s_end = self.sentence(start)
        return bool(self.lex.deadline.search(self.text, s_start, s_end))

    def anchor(self, later: bool, at: int | None = None, unit: str = "day") -> tuple[date, str]:
        """The date anaphora count from: the last event date (its end when counting forward), else the reference."""
        return self.counted_from(self.anchor_value(at, unit), later)

    def counted_from(self, value: TimeValue | None, later: bool) -> tuple[date, str]:
        """The date a count runs from, given the time it counts from (``anchor_value``), if any."""
        if value is None:
            return self.ref, "reference"
        return (value.end if later else value.start), "previous"  # type: ignore[return-value]

    def anchor_value(self, at: int | None = None, unit: str = "day") -> TimeValue | None:
        """The time anaphora count from: the last event time before ``at``, if any.

        In a past-tense clause ("A day earlier he had said ...") dates after
        the reference (deadlines, plans) are skipped: the text is counting
        from something that already happened.  A count of months or years may
        also count from a month ("in August 2026 ... the following month").
        """
        past = at is not None and self.tense(at, at + 1) == "past"
        # "... He had first offered to mediate on May 3.\n\nThe next morning, X told parliament ...": a date of a
        # flashback that a new paragraph has left is passed over for the main line's last date before it, within the
        # flashback's paragraph (a paragraph that opens the flashback with the only date of its own keeps it); not
        # when the count is in the flashback too, nor in the flashback's own paragraph ("had met X on April 20. The
        # next day he left" goes on with the flashback in the simple past)
        main_line = past and not self.flashback(at)  # type: ignore[arg-type]
        skipped: TimeValue | None = None
        for tv in reversed(self.found):
            if not _is_anchor(tv, unit) or (at is not None and tv.start_char >= at):
                continue
            if past and tv.start > self.ref:  # type: ignore[operator]
                continue
            # ("the release planned for May 15 was postponed. Later that day ...": not a plan's date either)
            if past and self.tense(tv.start_char, tv.end_char) in ("future", "future_past"):
                continue
            if skipped is not None and self.text.rfind("\n", tv.end_char, skipped.start_char) >= 0:
                break
            if main_line and self.text.find("\n", tv.end_char, at) >= 0 and self.flashback(tv.start_char):
                skipped = skipped or tv
                continue
            return tv
        return skipped

    def recent_days(self, at: int, count: int = 3) -> list[TimeValue]:
        """The last ``count`` single days named before ``at``, the latest first."""
        return list(islice((tv for tv in reversed(self.found) if tv.end_char <= at and tv.precision == "day"
                            and tv.start is not None and tv.start == tv.end), count))

    def flashback(self, at: int) -> bool:
        """Whether the clause around ``at`` is in the past perfect ("he had first offered to mediate on May 3")."""
        s_start, s_end = self.sentence(at)
        sentence = self.text[s_start:s_end]
        cuts = [0] + [m.start() for m in self.lex.clause.finditer(sentence)] + [len(sentence)]
        rel = at - s_start
        lo = max(c for c in cuts if c <= rel)
        hi = min((c for c in cuts if c > rel), default=len(sentence))
        found = self.lex.flashback.search(sentence, lo, hi)
        # (not the tense of reported speech: "X said that the threat had been lifted")
        return found is not None and not any(
            w.lower() in self.lex.reporting for w in re.findall(r"[A-Za-z]+", sentence[:found.start()]))

    def event_time(self, kind: str, at: int, later: bool) -> date | None:
        """The time of the nearest earlier report of an event of ``kind`` (a sentence before ``at`` holding one of
        the kind's words): its dated value nearest that word.  None when that sentence gives no day-scale time (an
        event with no day dates no count from it) or no such sentence precedes."""
        words = self.lex.event_words[kind]
        end = at
        while end > 0:
            s_start, s_end = self.sentence(end - 1)
            hits = list(words.finditer(self.text, s_start, min(end, s_end)))
            if hits:
                values = [tv for tv in self.found if s_start <= tv.start_char < min(at, s_end) and _is_anchor(tv)]
                if not values:
                    return None
                # (a time of the word's own clause, the first after the word, else the last before it: "the
                # deadline ... moved to June 9"; "A fortnight ago the ceasefire came into force; ... eight days later")
                word = hits[-1].start()
                cuts = [s_start] + [s_start + c.start() for c in self.lex.clause.finditer(self.text[s_start:s_end])]
                lo = max(c for c in cuts if c <= word)
                hi = min((c for c in cuts if c > word), default=s_end)
                values = [v for v in values if lo <= v.start_char < hi] or values
                tv = next((v for v in values if v.start_char > word), values[-1])
                return tv.end if later else tv.start
            end = s_start
        return None

    def period_before(self, at: int, *, anywhere: bool = False) -> date | None:
        """The start of the last closed value (of any precision up to a year) before ``at`` in its sentence or the
        one before (``anywhere``: earlier in the text): what "that month", "the same year" refer to."""
        s_start, _ = self.sentence(at)
        previous_start = 0 if anywhere else self.sentence(max(0, s_start - 1))[0]
        for tv in reversed(self.found):
            if tv.start_char < previous_start:
                break
            if tv.start_char < at and tv.kind != "duration" and tv.start is not None and tv.end is not None \
                    and (tv.end - tv.start).days <= 366:
                return tv.start
        return None

    def month_before(self, at: int) -> date | None:
        """The first day of the one month that a value right before ``at`` in its sentence (a month or a part of
        one, ending at most a comma and a few words earlier) spans."""
        s_start, _ = self.sentence(at)
        for tv in reversed(self.found):
            if tv.start_char < s_start or tv.end_char > at:
                continue
            if at - tv.end_char > 12 or tv.start is None or tv.end is None \
                    or (tv.start.year, tv.start.month) != (tv.end.year, tv.end.month) or tv.precision == "day":
                return None
            return tv.start.replace(day=1)
        return None

    def saying_date(self, at: int) -> date | None:
        """The last day-precision date earlier in the sentence of ``at`` (when reported speech was said)."""
        s_start, _ = self.sentence(at)
        for tv in reversed(self.found):
            if tv.start_char < s_start:
                break
            if tv.precision == "day" and tv.start is not None and tv.end_char <= at:
                return tv.start
        return None


def _tv(m: re.Match[str] | None, text: str, start_char: int, end_char: int, start: date | None, end: date | None,
        precision: str, *, anchor: str, anchor_date: date | None, modifier: str | None = None,
        kind: str = "date", duration: tuple[int, int] | None = None, edtf: str | None = None) -> TimeValue:
    if edtf is None:
        if start is None and end is None:
            edtf = ""
        elif start is None or end is None:
            edtf = f"{_iso(start)}/{_iso(end)}"
        else:
            edtf = _edtf(start, end, precision, modifier == "APPROX")
    return TimeValue(text=text[start_char:end_char], start_char=start_char, end_char=end_char,
                     start=start, end=end, precision=precision, edtf=edtf, anchor=anchor,
                     anchor_date=anchor_date, modifier=modifier, kind=kind, duration_days=duration)


def _of_named_year(scan: _Scan, text: str, values: list[TimeValue]) -> list[TimeValue]:
    """A day or month with no year of its own, followed by a year named by a determiner, falls in that year:
    "(of) that year" and "the following year" count from the last period before it (in its sentence or the one
    before: "the war of 2020, which ended with a truce in November of that year"), "last year" and "next year"
    from the report ("talks opened in July last year"); the year's words join the value.  So does a month after
    "that" ("signed in April 2020; a second accord followed that July")."""
    named = scan.lex.context.named_year.match(text, values[-1].end_char) if values else None
    if not values or not (named or (
            values[0].precision == "month" and not scan.lex.context.subject_of.match(text, values[0].end_char)
            and scan.lex.context.that_before.search(text, max(0, values[0].start_char - 12), values[0].start_char))):
        return values
    offset, anchored = (_det_offset(scan, named["det"]), _det_anchored(scan, named["det"])) if named else (0, True)
    # ("The Corvo accord was signed on 4 March 2029. Fighting stopped within days. Monitors arrived on 9 May that
    # year": a year named by a determiner is one the text gave before, however far back; the report's own year is no
    # antecedent of "that year")
    base = scan.period_before(values[0].start_char, anywhere=named is not None) if anchored else scan.ref
    result = []
    for tv in values:
        if base is None or tv.anchor != "reference" or tv.start is None or tv.end is None \
                or tv.precision not in ("day", "month") or tv.start.year != tv.end.year \
                or any(word in scan.lex.weekdays for word in re.findall(r"[a-z]+", tv.text.lower())):
            return values      # ("on Monday last year": a weekday already names its own week)
        try:
            start, end = tv.start.replace(year=base.year + offset), tv.end.replace(year=base.year + offset)
        except ValueError:      # February 29 of a year that has none
            return values
        result.append(replace(tv, start=start, end=end, edtf=_edtf(start, end, tv.precision, tv.modifier == "APPROX"),
                              anchor="previous" if anchored else "reference", anchor_date=base))
    if named:
        last = result[-1]
        result[-1] = replace(last, text=text[last.start_char:named.end()], end_char=named.end())
    return result


def _apply_prefix(tv: TimeValue, kind: str | None) -> TimeValue:
    """Turn a value into an open interval or an approximation after by/since/around ..."""
    if kind is None or tv.start is None or tv.end is None:
        return tv
    single = "/" not in tv.edtf
    if kind == "approx":
        return replace(tv, modifier="APPROX", edtf=_edtf(tv.start, tv.end, tv.precision, True))
    if kind in ("until", "before"):
        end = tv.end if kind == "until" else tv.start - timedelta(days=1)
        bound = tv.edtf if single and kind == "until" else end.isoformat()
        return replace(tv, start=None, end=end, precision="open", modifier="BEFORE", kind="range", edtf=f"../{bound}")
    start = tv.start if kind == "since" else tv.end + timedelta(days=1)
    bound = tv.edtf if single and kind == "since" else start.isoformat()
    return replace(tv, start=start, end=None, precision="open", modifier="AFTER", kind="range", edtf=f"{bound}/..")


def _with_prefix(scan: _Scan, m: re.Match[str], tv: TimeValue | None) -> TimeValue | None:
    """Apply the match's ``pre`` group: keep it in the span when it changes the value."""
    if tv is None:
        return None
    pre = m.groupdict().get("pre")
    kind = scan.lex.prefix_kind.get(_norm(pre)) if pre else None
    if kind is None or scan.text.startswith(("'s", "’s"), m.end()):
        return tv        # "after Monday's round": the prefix governs the round, not the day
    if kind == "before" and tv.modifier == "END":
        kind = "until"   # "before the end of August" = by August 31
    if kind == "until" and scan.lex.context.not_until.search(scan.text, max(0, m.start("pre") - 8), m.start("pre")):
        return tv        # "it was not until yesterday that they crossed": they crossed yesterday
    if kind == "since" and _moved_from(scan, m):
        return tv        # "moved from Monday, 5 August": the date given up, no span that starts there
    tv = replace(tv, text=scan.text[m.start("pre"):tv.end_char], start_char=m.start("pre"))
    return _apply_prefix(tv, kind)


def _moved_from(scan: _Scan, m: re.Match[str]) -> bool:
    """The match's "from" follows a verb of moving ("put back from 5 to 8 August")."""
    return (m["pre"] or "").lower() == "from" and _after_moving(scan.lex, scan.text, m.start("pre"))


def _after_moving(lex: _Lexicon, text: str, at: int) -> bool:
    """A verb of moving stands right before ``at`` ("moved from Monday, 5 August, ..."): what follows is the day given
    up, no start of a span."""
    return lex.context.moved_from.search(text, max(0, at - _MOVED_REACH), at) is not None


def _number(scan: _Scan, word: str | None) -> int | None:
    return None if word is None else _count(scan.lex.numbers, word)


def _count(numbers: dict[str, int], word: str) -> int | None:
    if word.isdigit():
        return int(word)
    total = 0
    for piece in re.split(r"[\s-]+", _norm(word)):
        if piece not in numbers:
            return numbers.get(_norm(word))
        total += numbers[piece]
    return total


def count_value(word: str) -> int | None:
    """The number a count is written with: digits, a number word of ``data/lexicons/time.toml`` ([numbers]) or a
    hyphenated compound of them; None for anything else.

    >>> count_value("twenty-one"), count_value("an"), count_value("12"), count_value("several")
    (21, 1, 12, None)
    """
    return _count(_lexicon().numbers, word)


def _parts_of(m: re.Match[str], key: str) -> dict[str, str]:
    """Components (m, d, y, o, w) of date number ``key`` from groups named like ``m_1a``."""
    found: dict[str, str] = {}
    for name, value in m.groupdict().items():
        if value is not None and "_" in name and name.split("_", 1)[1].startswith(key):
            found.setdefault(name.split("_", 1)[0], value)
    return found


def _month_number(scan: _Scan, word: str) -> int:
    return scan.lex.months[word.rstrip(".").lower()]


def _date_from_parts(scan: _Scan, parts: dict[str, str], bias: str | None, year: int | None = None,
                     near: date | None = None) -> date | None:
    """The day ``parts`` write; with no year, the one nearest ``near`` (by default the reference)."""
    if "m" not in parts:
        return None
    month = _month_number(scan, parts["m"])
    if "d" in parts:
        day_ = int(parts["d"])
    elif "o" in parts:
        day_ = scan.lex.ordinals[_norm(parts["o"])]
    else:
        return None
    y = int(parts["y"]) if "y" in parts else year
    return _month_day(month, day_, y, near or scan.ref, bias)


def _bias_for(scan: _Scan, m: re.Match[str], history: bool = False) -> str | None:
    """The way a yearless expression leans from the date it is placed near: "since" and "after" look back, and so
    does the past tense, except in a ``history`` (placed near the story's day), which is told in the past tense from
    its first line to its last: there the tense says the day is before the report, not before the story's day."""
    pre = m.groupdict().get("pre")
    kind = scan.lex.prefix_kind.get(_norm(pre)) if pre else None
    if kind in ("since", "after"):
        return "past"
    tense = scan.tense(m.start(), m.end(), default=False)   # no cue: plain nearest year
    if history and tense == "past":
        return None
    return "future" if tense == "future_past" else tense


# -- handlers: each returns the values for one match, [] to consume silently, None to reject --------

Handler = Callable[["_Scan", re.Match[str]], list[TimeValue] | None]


def _h_iso(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    try:
        d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    tv = _tv(m, scan.text, m.start("y"), m.end(), d, d, "day", anchor="absolute", anchor_date=None)
    return [_with_prefix(scan, m, tv)]


def _h_numeric(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    a, b = int(m["a"]), int(m["b"])
    core = scan.text[m.start("a"):m.end()]
    if m["sep"] == ".":
        order = "DMY"        # dotted numeric dates are day.month.year wherever they are written
    elif a > 12:
        order = "DMY"
    else:
        order = scan.slash_order
    if b > 12 and order == "DMY" or a > 12 and b > 12:
        return None
    d = _dateparser_parse(core, order)
    if d is None:
        return None
    tv = _tv(m, scan.text, m.start("a"), m.end(), d, d, "day", anchor="absolute", anchor_date=None)
    return [_with_prefix(scan, m, tv)]


# What may stand before a chronology line's date ("- ", "• ") and what follows it ("April 1995 — ...", "3 May 2026: ...").
_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:[-–—•·▪*][ \t]*)?$")
_LINE_DASH = re.compile(r"[ \t]*[-–—:][ \t]")


def _opens_line(text: str, start: int, end: int) -> bool:
    """Whether the expression at ``start``-``end`` opens a line of a chronology: at the line's start (after a bullet at
    most), a dash or colon after it."""
    return bool(_LINE_START.search(text, 0, start)) and _LINE_DASH.match(text, end) is not None


def _line_opening(text: str, value: TimeValue) -> tuple[date, int] | None:
    """A date with its year (or placed by the line before it) opening a line of a chronology ("- April 1995 — a truce
    in force since 8 January collapses"): the day the rest of the line is counted from (its first day), and where
    the line ends.

    >>> line = "- April 1995 — a truce in force since 8 January collapses"
    >>> _line_opening(line, find_times(line, "2026-01-01")[0])
    (datetime.date(1995, 4, 1), 57)
    """
    if value.anchor not in ("absolute", "previous") or value.start is None \
            or value.precision not in ("day", "month", "year") \
            or not _opens_line(text, value.start_char, value.end_char):
        return None
    end = text.find("\n", value.end_char)
    return value.start, len(text) if end < 0 else end


def _slash_order(text: str) -> str:
    """The order of a text's slashed dates: day first when one of them can only be read so ("20/06/2026") and none
    only month first, else month first, as in US copy.

    >>> _slash_order("Met on 20/06/2026; met again on 8/11/2026."), _slash_order("Met on 8/11/2026.")
    ('DMY', 'MDY')
    """
    if "/" not in text:
        return "MDY"
    fields = [(int(a), int(b)) for a, b in _SLASHED.findall(text)]
    day_first = any(a > 12 >= b for a, b in fields)
    month_first = any(b > 12 >= a for a, b in fields)
    return "DMY" if day_first and not month_first else "MDY"


def _h_numeric_dm(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    """"on 23.07": day and month (dotted dates are day first), the year the nearest one."""
    d = _month_day(int(m["m"]), int(m["d"]), None, scan.ref, _bias_for(scan, m))
    if d is None:
        return None
    tv = _tv(m, scan.text, m.start("d"), m.end(), d, d, "day", anchor="reference", anchor_date=scan.ref)
    return [_with_prefix(scan, m, tv)]


def _h_date(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    parts = _parts_of(m, "1")
    # ("on June 23 this year": the year named after it says which)
    yearless = "y" not in parts and not scan.lex.context.named_year.match(scan.text, m.end())
    frame, story = scan.story(m.start(), m.end()) if yearless else (None, None)
    # ("accepted the offer on 27 January 2031 ... On 22 June the envoys met again", in a piece of 2056, is 22 June 2031)
    bias = _bias_for(scan, m, history=story is not None)
    d = _date_from_parts(scan, parts, bias, year=frame.year if frame else None, near=story)
    if d is None:
        return None
    prior = scan.sentence_day(m.start()) if yearless and story is None and frame is None else None
    following = _date_from_parts(scan, parts, "future", near=prior.start) if prior and prior.start else None
    if prior is not None and following is not None and 0 <= (following - prior.start).days <= _SEQUENCE_DAYS:
        d, story = following, prior.start
    begin = m.start() if not m["pre"] else m.end("pre") + len(m.group()[m.end("pre") - m.start():]) - len(m.group()[m.end("pre") - m.start():].lstrip())
    anchor = "absolute" if "y" in parts else "reference" if story is None and frame is None else "previous"
    tv = _tv(m, scan.text, begin, m.end(), d, d, "day", anchor=anchor,
             anchor_date=None if anchor == "absolute" else story or frame or scan.ref)
    value = _with_prefix(scan, m, tv)
    if frame is not None:
        scan.framed.add(value.start_char)
    return [value]


def _h_span_from(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    n = _number(scan, m["n"])
    d = _date_from_parts(scan, _parts_of(m, "1"), _bias_for(scan, m))
    if d is None or not n:
        return None
    end = d + timedelta(days=n - 1)
    return [_tv(m, scan.text, m.start(), m.end(), d, end, "interval", anchor="absolute", anchor_date=None, kind="range")]


def _unit_days(scan: _Scan, word: str) -> tuple[int, int, str] | None:
    return scan.lex.units.get(word.lower())


def _shift(d: date, n: int, shift: str) -> date:
    if shift == "day":
        return d + timedelta(days=n)
    if shift == "week":
        return d + timedelta(weeks=n)
    if shift == "fortnight":
        return d + timedelta(weeks=2 * n)
    if shift == "month":
        return _add_months(d, n)
    return _add_months(d, (120 if shift == "decade" else 12) * n)


def _approx(m: re.Match[str], values: list[TimeValue]) -> list[TimeValue]:
    """Mark values APPROX when the match opens with "about"/"around"."""
    if not m.groupdict().get("pre"):
        return values
    return [_apply_prefix(tv, "approx") for tv in values]


def _h_offset(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    n1, n2 = _number(scan, m["n1"]), _number(scan, m["n2"])
    unit = _unit_days(scan, m["u"])
    if n1 is None or unit is None:
        return None
    sign = -1 if m["dir"].lower() == "before" else 1
    if m["deic"]:
        base = scan.ref + timedelta(days=scan.lex.deictic.get(m["deic"].lower(), 0))
        anchor, anchor_date = "reference", scan.ref
    else:
        parts = _parts_of(m, "1")
        base = _date_from_parts(scan, parts, _bias_for(scan, m))
        if base is None:
            return None
        anchor, anchor_date = ("absolute", None) if "y" in parts else ("reference", scan.ref)
    start = _shift(base, sign * n1, unit[2])
    end = _shift(base, sign * (n2 if n2 is not None else n1), unit[2])
    start, end = min(start, end), max(start, end)
    precision = "day" if start == end else "interval"
    return _approx(m, [_tv(m, scan.text, m.start(), m.end(), start, end, precision, anchor=anchor, anchor_date=anchor_date,
                kind="date" if start == end else "range")])


# A unit after the second number of "March 2 to 10": a count ("to 10 days", "to 8 or 9 days"), not a day.
_COUNT_AFTER = re.compile(r"\s*(?:or\s+\d+\s*)?(?:days?|hours?|weeks?|months?)\b", re.IGNORECASE)


def _first_date_span(m: re.Match[str]) -> tuple[int, int]:
    """Where the first date of a "range_dates" match stands ("March 3" of "on March 3 and April 9")."""
    start = m.start("pre") + len(m["pre"]) + 1 if m["pre"] else m.start()
    return start, max(m.end(g) for g, value in m.groupdict().items() if "_1" in g and value is not None)


def _h_range_dates(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    p1, p2 = _parts_of(m, "1"), _parts_of(m, "2")
    year3 = int(m["y_3"]) if m["y_3"] else None
    own_month1, own_month2 = "m" in p1, "m" in p2
    p1.setdefault("m", p2.get("m", ""))
    p2.setdefault("m", p1["m"])
    pre = (m["pre"] or "").lower()
    both_full = m["m_2a"] is not None or m["m_2d"] is not None
    joined = re.search(r"\s(?:and|or)\s", m.group(), re.IGNORECASE) is not None
    bias = _bias_for(scan, m)
    year = year3 if year3 is not None else (int(p2["y"]) if "y" in p2 and "y" not in p1 else None)
    d1 = _date_from_parts(scan, p1, bias, year)
    if d1 is None:
        return None
    d2 = _date_from_parts(scan, p2, bias, year if year is not None else d1.year)
    # ("March 2 to 8 or 9 days": the second number counts days, it ends no range)
    counted = not own_month2 and _COUNT_AFTER.match(scan.text, m.end()) is not None
    if d2 is not None and (counted or (d2 < d1 and not (own_month1 and own_month2))):
        # "July 14 to 10 August": no range of July (only the first date is one)
        if not own_month1:
            return None
        first_start, first_end = _first_date_span(m)
        return [_tv(m, scan.text, first_start, first_end, d1, d1, "day",
                    anchor="absolute" if "y" in p1 else "reference", anchor_date=None if "y" in p1 else scan.ref)]
    if d2 is not None and d2 < d1 and "y" not in p2 and year3 is None:
        d2 = _month_day(d2.month, d2.day, d1.year + 1, scan.ref, None)
    if d2 is None or d2 < d1 or (d2 - d1).days > 400:
        return None
    absolute = "y" in p1 or "y" in p2 or year3 is not None
    anchor, anchor_date = ("absolute", None) if absolute else ("reference", scan.ref)
    if (both_full and joined and pre != "between") or _moved_from(scan, m):
        # "May 16 and June 2": two dates, not a range (nor "moved from 5 to 8 August").
        first_start, first_end = _first_date_span(m)
        second_start = min(m.start(g) for g, value in m.groupdict().items() if "_2" in g and value is not None)
        the = m.group().lower().rfind("the ", 0, second_start - m.start())
        if the >= 0 and m.start() + the + 4 == second_start:
            second_start = m.start() + the
        end1 = d1 if "y" in p1 or year3 is None else d1
        return [
            _tv(m, scan.text, first_start, first_end, d1, end1, "day", anchor=anchor, anchor_date=anchor_date),
            _tv(m, scan.text, second_start, m.end(), d2, d2, "day", anchor=anchor, anchor_date=anchor_date),
        ]
    precision = "day" if d1 == d2 else "interval"
    return [_tv(m, scan.text, m.start(), m.end(), d1, d2, precision, anchor=anchor, anchor_date=anchor_date,
                kind="range")]


def _h_range_months(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    sep = m["sep"].strip().lower()
    pre = (m["pre"] or "").lower()
    if sep in ("and", "or") and pre != "between":
        return None
    m1, m2 = _month_number(scan, m["m1"]), _month_number(scan, m["m2"])
    y2 = int(m["y2"]) if m["y2"] else None
    y1 = int(m["y1"]) if m["y1"] else None
    if y1 is None and y2 is None and not pre and sep not in ("-", "–", "—"):
        return None
    bias = _bias_for(scan, m)
    if y1 is None and y2 is not None:
        y1 = y2 if m1 <= m2 else y2 - 1
    first = _month_period(m1, y1, scan.ref, bias)
    year2 = y2 if y2 is not None else (first[0].year if m2 >= m1 else first[0].year + 1)
    last = _month_bounds(year2, m2)
    if last[1] < first[0]:
        return None
    absolute = y1 is not None or y2 is not None
    return [_tv(m, scan.text, m.start(), m.end(), first[0], last[1], "interval",
                anchor="absolute" if absolute else "reference", anchor_date=None if absolute else scan.ref,
                kind="range")]


def _h_range_weekdays(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    """"ran from Tuesday to Thursday", "will meet between Monday and Wednesday": the first weekday as the tense
    places it (in the past, the span over by the report; else the next such day from it), the span running on to the
    second ("between" takes "and"; "from" a word or a dash of range)."""
    between = m["pre"].lower() == "between"
    if between != (m["sep"].strip().lower() == "and"):
        return None
    first, last = scan.lex.weekdays[m["w1"].lower()], scan.lex.weekdays[m["w2"].lower()]
    if first == last:
        return None
    past = scan.tense(m.start(), m.end()) in ("past", "future_past")
    if past:
        start = scan.ref - timedelta(days=(scan.ref.weekday() - first) % 7)
    else:
        start = scan.ref + timedelta(days=(first - scan.ref.weekday()) % 7)
    end = start + timedelta(days=(last - first) % 7)
    if past and end > scan.ref:
        # ("was held last week, from Monday to Wednesday", on a Monday: a span told in the past is over by the report)
        start, end = start - timedelta(days=7), end - timedelta(days=7)
    if _moved_from(scan, m):
        # ("postponed from Monday to Thursday": the day given up and the new one)
        return [_tv(m, scan.text, m.start("w1"), m.end("w1"), start, start, "day", anchor="reference",
                    anchor_date=scan.ref),
                _tv(m, scan.text, m.start("w2"), m.end("w2"), end, end, "day", anchor="reference", anchor_date=scan.ref)]
    return [_tv(m, scan.text, m.start(), m.end(), start, end, "interval", anchor="reference", anchor_date=scan.ref,
                kind="range")]


def _h_range_years(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    sep = m["sep"].strip().lower()
    if sep == "and" and (m["pre"] or "").lower() != "between":
        return None
    y1 = int(m["y1"])
    y2 = int(m["y2"]) if len(m["y2"]) == 4 else (y1 // 100) * 100 + int(m["y2"])
    if y2 <= y1 or y2 - y1 > 50:
        return None
    return [_tv(m, scan.text, m.start(), m.end(), date(y1, 1, 1), date(y2, 12, 31), "interval",
                anchor="absolute", anchor_date=None, kind="range", edtf=f"{y1}/{y2}")]


def _h_part(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    lex = scan.lex
    kind = lex.part_kind[_norm(m["part"])]
    modifier = lex.part_mod[kind]
    bias = _bias_for(scan, m)
    anchor, anchor_date = "reference", scan.ref
    base = scan.ref
    if _det_anchored(scan, m["tdet"]):
        # "in April ... late that month": the period of the time just mentioned, not the report's
        previous = scan.period_before(m.start())
        if previous is not None:
            base, anchor, anchor_date = previous, "previous", previous
    if m["tm"] or (m["tunit"] and m["tunit"].lower() == "month"):
        if m["tm"]:
            month = _month_number(scan, m["tm"])
            year = int(m["ty"]) if m["ty"] else None
            first, _ = _month_period(month, year, scan.ref, bias)
            if year is not None:
                anchor, anchor_date = "absolute", None
        else:                                   # "the end of the month", "early next month"
            first = _add_months(base.replace(day=1), _det_offset(scan, m["tdet"]))
        if kind not in lex.parts["month"]:
            return None
        lo, hi = lex.parts["month"][kind]
        last = _last_day(first.year, first.month)
        lo = last + lo + 1 if lo < 0 else lo
        start, end = first.replace(day=lo), first.replace(day=min(hi, last))
    elif m["tyear"] or (m["tunit"] and m["tunit"].lower() == "year"):
        if m["tyear"]:
            year = int(m["tyear"])
            anchor, anchor_date = "absolute", None
        else:
            year = base.year + _det_offset(scan, m["tdet"])
        if kind not in lex.parts["year"]:
            return None
        lo, hi = lex.parts["year"][kind]
        start, end = date(year, lo, 1), date(year, hi, _last_day(year, hi))
    else:
        if kind not in lex.parts["week"]:
            return None
        monday = _monday(base) + timedelta(weeks=_det_offset(scan, m["tdet"]))
        lo, hi = lex.parts["week"][kind]
        start, end = monday + timedelta(days=lo), monday + timedelta(days=hi)
    begin = m.start("part")
    tv = _tv(m, scan.text, begin, m.end(), start, end, "interval", anchor=anchor, anchor_date=anchor_date,
             modifier=modifier)
    return [_with_prefix(scan, m, tv)]


def _det_offset(scan: _Scan, det: str | None) -> int:
    """Periods from the base time a determiner moves ("next" 1, "the previous" -1, "this" 0)."""
    return scan.lex.determiners.get(_norm(det or ""), (0, False))[0]


def _det_anchored(scan: _Scan, det: str | None) -> bool:
    """Whether a determiner counts from the time just mentioned ("that", "the following"), not the report's date."""
    return scan.lex.determiners.get(_norm(det or ""), (0, False))[1]


def _h_within(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    unit = m["u"].lower()
    ref = scan.ref
    if unit == "week":
        first, last = _monday(ref), _monday(ref) + timedelta(days=6)
    elif unit == "month":
        first, last = _month_bounds(ref.year, ref.month)
    else:
        first, last = date(ref.year, 1, 1), date(ref.year, 12, 31)
    if m["w"].lower() == "earlier":
        start, end = first, max(first, ref - timedelta(days=1))
    else:
        start, end = min(last, ref + timedelta(days=1)), last
    return [_tv(m, scan.text, m.start(), m.end(), start, end, "interval", anchor="reference", anchor_date=ref)]


def _h_season(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    det = (m["det"] or "").lower()
    det_start = m.start("det") if m["det"] else -1
    if not det and _norm(m["pre"] or "") in ("last", "next", "this", "that"):
        det, det_start = _norm(m["pre"]), m.start("pre")   # "last summer": the licence is the determiner
    if not (m["pre"] or (det and det != "the") or m["part"] or m["y"]):
        return None
    first_m, last_m, code = scan.lex.seasons[m["s"].lower()]
    bias = "past" if det in ("last", "past") else "future" if det in ("next", "coming") else _bias_for(scan, m)
    if m["y"]:
        year = int(m["y"])
        start, end = _season_bounds(year, first_m, last_m)
        anchor, anchor_date = "absolute", None
    else:
        options = [_season_bounds(y, first_m, last_m) for y in range(scan.ref.year - 2, scan.ref.year + 2)]
        if det in ("last", "past"):
            start, end = max(o for o in options if o[1] < scan.ref)
        elif det in ("next", "coming"):
            start, end = min(o for o in options if o[0] > scan.ref)
        elif det == "this":
            start, end = _season_bounds(scan.ref.year if not (last_m < first_m and scan.ref.month <= last_m)
                                        else scan.ref.year - 1, first_m, last_m)
        elif (m["pre"] or "").lower() == "since":
            start, end = max(o for o in options if o[0] <= scan.ref)
        else:
            start, end = _pick(options, scan.ref, bias)
        anchor, anchor_date = "reference", scan.ref
    modifier = None
    precision = "season"
    edtf = f"{start.year:04d}-{code}"
    if m["part"]:
        kind = scan.lex.part_kind.get(_norm(m["part"]), "MID")
        modifier = scan.lex.part_mod.get(kind)
        months = [_add_months(start, i) for i in range(3)]
        pick = {"START": months[0], "MID": months[1], "END": months[2]}.get(modifier, months[1])
        start, end = _month_bounds(pick.year, pick.month)
        precision, edtf = "month", f"{start.year:04d}-{start.month:02d}"
    begin = det_start if det and det != "the" else (m.start("part") if m["part"] else m.start("s"))
    if m["pre"] and scan.lex.prefix_kind.get(_norm(m["pre"])) is None and m["det"] and det == "the":
        begin = m.start("s")
    tv = _tv(m, scan.text, begin, m.end(), start, end, precision, anchor=anchor, anchor_date=anchor_date,
             modifier=modifier, edtf=edtf)
    return [_with_prefix(scan, m, tv)]


def _h_quarter(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    if m["qq"]:
        q, year = int(m["qq"]), int(m["y2"])
        anchor, anchor_date = "absolute", None
    else:
        q = scan.lex.quarters[_norm(m["q"])]
        if m["y"]:
            year = int(m["y"])
            anchor, anchor_date = "absolute", None
        else:
            year = scan.ref.year + _det_offset(scan, m["det"])
            anchor, anchor_date = "reference", scan.ref
    first = 3 * (q - 1) + 1
    start, end = date(year, first, 1), date(year, first + 2, _last_day(year, first + 2))
    begin = m.start("qq") - 1 if m["qq"] else m.start("q")
    if not m["qq"]:
        the = scan.text.rfind("the", m.start(), m.start("q"))
        begin = the if the >= 0 and the >= m.start("q") - 4 else begin
    tv = _tv(m, scan.text, begin, m.end(), start, end, "quarter", anchor=anchor, anchor_date=anchor_date,
             edtf=f"{year:04d}-{32 + q}")
    return [_with_prefix(scan, m, tv)]


def _h_dom(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    """"on the 28th", "on the fourteenth, when ...": that day of the month the sentence just named, else of the
    month near the reference."""
    day_ = int(m["d"]) if m["d"] else scan.lex.ordinals[_norm(m["o"])]
    begin = m.start("pre") + len(m["pre"]) + 1
    month = scan.month_before(m.start())
    if month is not None:
        # "At the end of March, on the 28th, ...": the day of the month the sentence just named
        if day_ > _last_day(month.year, month.month):
            return None
        d = month.replace(day=day_)
        tv = _tv(m, scan.text, begin, m.end(), d, d, "day", anchor="previous", anchor_date=month)
        return [_with_prefix(scan, m, tv)]
    options = _days_in_months(scan.ref, day_, (-1, 0, 1))
    if not options:
        return None
    d = _pick(options, scan.ref, _bias_for(scan, m))[0]
    tv = _tv(m, scan.text, begin, m.end(), d, d, "day", anchor="reference", anchor_date=scan.ref)
    return [_with_prefix(scan, m, tv)]


def _days_in_months(ref: date, day_: int, shifts: Sequence[int]) -> list[tuple[date, date]]:
    """That day of the month ``shifts`` months from ``ref``'s, for each month that has it, as (start, end) options.

    >>> _days_in_months(date(2026, 3, 12), 31, (-1, 0, 1))
    [(datetime.date(2026, 3, 31), datetime.date(2026, 3, 31))]
    """
    options = []
    for k in shifts:
        first = _add_months(ref.replace(day=1), k)
        if day_ <= _last_day(first.year, first.month):
            options.append((first.replace(day=day_),) * 2)
    return options


def _h_dom_month(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    """"on the first of the month": that day of the report's month, or of the next when the clause looks ahead
    ("of last month", "of next month": of that one)."""
    day_ = int(m["d"]) if m["d"] else scan.lex.ordinals[_norm(m["o"])]
    which = m["which"].lower()
    shifts = (-1,) if which == "last" else (1,) if which == "next" else (0, 1)
    options = _days_in_months(scan.ref, day_, shifts)
    if not options:
        return None
    d = _pick(options, scan.ref, _bias_for(scan, m))[0]
    tv = _tv(m, scan.text, m.start("pre") + len(m["pre"]) + 1, m.end(), d, d, "day", anchor="reference",
             anchor_date=scan.ref)
    return [_with_prefix(scan, m, tv)]


def _h_month_year(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    month, year = _month_number(scan, m["m"]), int(m["y"])
    start, end = _month_bounds(year, month)
    tv = _tv(m, scan.text, m.start("m"), m.end(), start, end, "month", anchor="absolute", anchor_date=None)
    return [_with_prefix(scan, m, tv)]


def _h_month_list(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    pre = _norm(m["pre"])
    det = pre if pre in ("last", "next", "this") else None
    bias = "past" if pre in ("since", "after", "last") else _bias_for(scan, m)
    values: list[TimeValue] = []
    mon = re.compile(r"[A-Za-z]+\.?")
    for word in mon.finditer(m["ms"]):
        key = word.group().rstrip(".").lower()
        if key not in scan.lex.months:
            continue
        start, end = _month_period(scan.lex.months[key], None, scan.ref, bias, det)
        if pre == "since" and start > scan.ref:
            start, end = _month_bounds(start.year - 1, start.month)
        begin = m.start("ms") + word.start()
        if det and not values:
            begin = m.start("pre")
        tv = _tv(m, scan.text, begin, m.start("ms") + word.end(), start, end, "month",
                 anchor="reference", anchor_date=scan.ref)
        if not values:
            tv = _with_prefix(scan, m, tv)
        values.append(tv)
    return values or None


def _h_month_noun(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    group = "m" if m["m"] else "m2"
    start, end = _month_period(_month_number(scan, m[group]), None, scan.ref, _bias_for(scan, m))
    return [_tv(m, scan.text, m.start(group), m.end(group), start, end, "month", anchor="reference",
                anchor_date=scan.ref)]


def _h_year_ctx(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    year = int(m["y"])
    tv = _tv(m, scan.text, m.start("y"), m.end(), date(year, 1, 1), date(year, 12, 31), "year",
             anchor="absolute", anchor_date=None)
    return [_with_prefix(scan, m, tv)]


def _h_deictic(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    d = scan.ref + timedelta(days=scan.lex.deictic[_norm(m["w"])])
    tv = _tv(m, scan.text, m.start("w"), m.end(), d, d, "day", anchor="reference", anchor_date=scan.ref)
    return [_with_prefix(scan, m, tv)]


def _h_open(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    phrase = _norm(m["w"])
    one = timedelta(days=1)
    if phrase in scan.lex.open_after:
        start, end, mod = scan.ref + one, None, "AFTER"
    else:
        start, end, mod = None, scan.ref - one, "BEFORE"
    return [_tv(m, scan.text, m.start(), m.end(), start, end, "open", anchor="reference", anchor_date=scan.ref,
                modifier=mod, kind="range")]


def _h_weekend(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    phrase = _norm(m["w"])
    if phrase.startswith(("the following", "the previous")):
        base, anchor = scan.anchor(later="following" in phrase, at=m.start())
    else:
        base, anchor = scan.ref, "reference"
    saturday = _monday(base) + timedelta(days=5)
    if "last" in phrase or "past" in phrase or "previous" in phrase:
        saturday -= timedelta(weeks=1) if base.weekday() < 5 or "previous" in phrase else timedelta(0)
        if base.weekday() >= 5 and "last" in phrase:
            saturday -= timedelta(weeks=1)
    elif "next" in phrase or "following" in phrase:
        saturday += timedelta(weeks=1)
    elif phrase.startswith(("over", "at", "on", "during")) and base.weekday() < 5:
        if scan.tense(m.start(), m.end()) == "past":
            saturday -= timedelta(weeks=1)
    return [_tv(m, scan.text, m.start(), m.end(), saturday, saturday + timedelta(days=1), "interval",
                anchor=anchor, anchor_date=base)]


def _h_past_n(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    unit = _unit_days(scan, m["u"])
    n = _number(scan, m["n"])
    if unit is None:
        return []        # "the past 24 hours": not a calendar period
    if n is None or n < 1:
        return None      # "the following 0 days": no period at all
    det = m["det"].lower()
    begin = scan.text.rfind("the", m.start(), m.start("det"))
    if det == "following":
        base, anchor = scan.anchor(later=True, at=m.start())
        start, end = base + timedelta(days=1), _shift(base, n, unit[2])
    elif det in ("next", "coming"):
        base, anchor = scan.ref, "reference"
        start, end = base, _shift(base, n, unit[2])
    else:
        base, anchor = scan.ref, "reference"
        start, end = _shift(base, -n, unit[2]), base
    return [_tv(m, scan.text, begin, m.end(), start, end, "interval", anchor=anchor, anchor_date=base)]


def _period(d: date, unit: str) -> tuple[date, date, str]:
    if unit == "week":
        return _monday(d), _monday(d) + timedelta(days=6), "week"
    if unit == "month":
        s, e = _month_bounds(d.year, d.month)
        return s, e, "month"
    if unit in ("year", "decade"):    # (a decade back is told by its year: "a decade ago" is that year)
        return date(d.year, 1, 1), date(d.year, 12, 31), "year"
    return d, d, "day"


def _h_after_event(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    """"three days after the call", "the day after the ultimatum", "on the eve of the summit", "on the day of her
    appointment", "within hours of the final handover", "two days after it opened": counted from the named event's time
    (module docstring)."""
    shift = "day"
    if m["eve"]:
        n = -1
    elif m["within"] or m["dayof"]:
        n = 0
    elif m["u1"]:
        n = 1 if _norm(m["dir1"]) == "after" else -1
        shift = "week" if m["u1"].lower() == "week" else "day"
    else:
        count = _number(scan, m["n1"])
        if count is None:
            return None
        unit = _unit_days(scan, m["u"])
        if unit is None:      # hours and minutes: a day on per full 24 hours
            count = count // 24 if m["u"].lower().startswith(("hour", "hr")) else 0
        else:
            shift = unit[2]
        n = count if _norm(m["dir"]) == "after" else -count
    verb = _norm(m["verb"] or m["pverb"] or "")
    # counted back ("on the eve of the talks", "two days before the summit") from the day it began, forward from the
    # day it ended, unless a verb names which ("two days after it opened")
    later = verb not in scan.lex.start_verbs if verb else n >= 0
    if m["pverb"]:
        base, anchor = scan.anchor(later=later, at=m.start())
    else:
        found = scan.event_time(scan.lex.event_kinds[_norm(m["noun"])], m.start(), later)
        if found is None:
            return []         # the event named has no day here: the count dates nothing
        base, anchor = found, "previous"
    d = _shift(base, n, shift)
    # (a plain "on" stays out of the span, as for any date)
    begin = m.start() + (m[0].lower().index("the") if m["eve"] or m["dayof"] else 0)
    return [_tv(m, scan.text, begin, m.end(), d, d, "day", anchor=anchor, anchor_date=base)]


def _h_anaphor(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    n, unit, from_start = scan.lex.anaphoric[_norm(m["w"])]
    base, anchor = scan.anchor(later=n > 0 and not from_start, at=m.start(), unit=unit)
    shifted = _shift(base, n, unit)
    start, end, precision = _period(shifted, unit)
    return [_tv(m, scan.text, m.start(), m.end(), start, end, precision, anchor=anchor, anchor_date=base)]


def _h_relperiod(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    det = _norm(m["det"])
    unit = m["u"].lower()
    ref = scan.ref
    if det in ("the past",):
        start = _shift(ref, -1, unit)
        tv = _tv(m, scan.text, m.start("det"), m.end(), start, ref, "interval", anchor="reference", anchor_date=ref)
        return [_with_prefix(scan, m, tv)]
    if det in ("the coming",):
        tv = _tv(m, scan.text, m.start("det"), m.end(), ref, _shift(ref, 1, unit), "interval", anchor="reference",
                 anchor_date=ref)
        return [_with_prefix(scan, m, tv)]
    offset = _det_offset(scan, det)
    start, end, precision = _period(_shift(ref, offset, unit), unit)
    tv = _tv(m, scan.text, m.start("det"), m.end(), start, end, precision, anchor="reference", anchor_date=ref)
    return [_with_prefix(scan, m, tv)]


def _h_ago(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    unit = _unit_days(scan, m["u"])
    n1, n2 = _number(scan, m["n1"]), _number(scan, m["n2"])
    direction = _norm(m["dir"])
    if unit is None:
        if n1 is None or direction not in ("later", "earlier", "afterwards", "after that", "before that"):
            return []    # "two hours after the vote": below a day, counted from no date
        # "two hours later": the day of the event just named (a day on, or back, per full 24 hours)
        later = direction in ("later", "afterwards", "after that")
        base, anchor = scan.anchor(later=later, at=m.start())
        days = n1 // 24 if m["u"].lower().startswith(("hour", "hr")) else 0
        d = base + timedelta(days=days if later else -days)
        return [_tv(m, scan.text, m.start(), m.end(), d, d, "day", anchor=anchor, anchor_date=base)]
    if n1 is None:
        return None
    coarse: str | None = None      # the precision of a month or year counted from
    if direction in ("ago", "from now", "hence"):
        base, anchor = scan.ref, "reference"
    else:
        counted_from = scan.anchor_value(m.start(), unit[2])
        base, anchor = scan.counted_from(counted_from, later=direction not in ("earlier", "before", "before that"))
        # "the forum opened in July 2026 and collapsed a month later": a count of months from a month is a month
        if counted_from is not None and counted_from.precision in ("month", "year"):
            coarse = counted_from.precision
    sign = -1 if direction in ("ago", "earlier", "before", "before that") else 1
    a, b = _shift(base, sign * n1, unit[2]), _shift(base, sign * (n2 if n2 is not None else n1), unit[2])
    start, end = min(a, b), max(a, b)
    if start != end:
        return _approx(m, [_tv(m, scan.text, m.start(), m.end(), start, end, "interval", anchor=anchor, anchor_date=base,
                    kind="range")])
    if coarse is not None:
        start, end, precision = _period(start, coarse)
    elif direction == "ago" and m["today"] and _norm(m["today"]) != "today":
        start, end, precision = _period(start, _norm(m["today"]).split()[-1])    # "ten years ago this month"
    elif direction == "ago" and unit[2] in _PERIOD_UNITS and not m["today"]:
        start, end, precision = _period(start, unit[2])
    else:
        precision = "day"
    return _approx(m, [_tv(m, scan.text, m.start(), m.end(), start, end, precision, anchor=anchor, anchor_date=base)])


def _h_since_count(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    """"It is six days since the talks", "Three weeks have passed since ...": what follows happened that long before
    the report (a week, month or year back is that whole period, as with "ago"; hours date nothing)."""
    unit = _unit_days(scan, m["u"] or m["u2"])
    n = _number(scan, m["n1"] or m["n2"])
    if n is None:
        return None
    if unit is None:
        return []
    start = _shift(scan.ref, -n, unit[2])
    end, precision = start, "day"
    if unit[2] in _PERIOD_UNITS:
        start, end, precision = _period(start, unit[2])
    return [_tv(m, scan.text, m.start(), m.end(), start, end, precision, anchor="reference", anchor_date=scan.ref)]


def _h_dayn(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    n = int(m["n"])
    if n < 1:
        return None
    base, anchor = scan.anchor(later=False, at=m.start())
    d = base + timedelta(days=n - 1)
    return [_tv(m, scan.text, m.start(), m.end(), d, d, "day", anchor=anchor, anchor_date=base)]


def _nearest_weekday(day: date, weekday: int) -> date:
    """The day of that weekday (0 = Monday) nearest ``day``, at most three days either side.

    >>> _nearest_weekday(date(2026, 5, 13), 0)   # a Wednesday: the Monday two days before
    datetime.date(2026, 5, 11)
    """
    return day + timedelta(days=(weekday - day.weekday() + 3) % 7 - 3)


def _h_nth_weekday(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    """"the last Thursday of August", "on the second Monday in May": that weekday of the month (its year as a
    bare month's)."""
    target = scan.lex.weekdays[m["wd"].lower()]
    start, end = _month_period(_month_number(scan, m["m"]), int(m["y"]) if m["y"] else None, scan.ref,
                               _bias_for(scan, m))
    if m["nth"].lower() == "last":
        d = end - timedelta(days=(end.weekday() - target) % 7)
    else:
        n = {"first": 0, "second": 1, "third": 2, "fourth": 3}[m["nth"].lower()]
        d = start + timedelta(days=(target - start.weekday()) % 7 + 7 * n)
    # (a plain "on" stays out of the span, as for any date)
    begin = m.start("the") if m["pre"] and _norm(m["pre"]) == "on" else m.start()
    tv = _tv(m, scan.text, begin, m.end(), d, d, "day",
             anchor="absolute" if m["y"] else "reference", anchor_date=None if m["y"] else scan.ref)
    return [_with_prefix(scan, m, tv)]


# How many days ahead of the report a limit that "would have run out" on a weekday may lie (see _h_weekday)
COUNTERFACTUAL_AHEAD_DAYS = 2


def _h_weekday(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    target = scan.lex.weekdays[m["wd"].lower()]
    det = _norm(m["det"] or "")
    pre = _norm(m["pre"] or "")
    pre_kind = scan.lex.prefix_kind.get(pre)
    base, anchor = scan.ref, "reference"
    if det == "that" and not pre and not scan.text.startswith("That", m.start("det")):
        return None          # "said that Monday's round ...": a conjunction, not a determiner ("That Monday, ..." is one)
    if det == "the":
        if pre != "on":
            return None      # "the Monday deadline": a weekday that names nothing by itself
        # "it came into force on the Sunday": the Sunday of the days just named (with none, a plain weekday)
        base, anchor = scan.anchor(later=False, at=m.start())
        if anchor == "reference":
            det = ""
        else:
            d = _nearest_weekday(base, target)
            tv = _tv(m, scan.text, m.start("wd"), m.end(), d, d, "day", anchor=anchor, anchor_date=base)
            return [_with_prefix(scan, m, tv)]
    if (m["dn"] or m["dno"]) and not det:
        # "on Monday the 9th": the month near the reference whose 9th is a Monday (the tense breaks a tie)
        day_ = int(m["dn"]) if m["dn"] else scan.lex.ordinals[_norm(m["dno"])]
        options = [(d, d) for k in range(-12, 13) for first in (_add_months(scan.ref.replace(day=1), k),)
                   if day_ <= _last_day(first.year, first.month)
                   and (d := first.replace(day=day_)).weekday() == target]
        d = _pick(options, scan.ref, _bias_for(scan, m))[0]
        tv = _tv(m, scan.text, m.start("wd"), m.end(), d, d, "day", anchor=anchor, anchor_date=base)
        return [_with_prefix(scan, m, tv)]
    if m["wkon"] and not det:
        # "on Friday week": a week after the coming Friday (in a Friday's report, the coming one is next week's)
        d = scan.ref + timedelta(days=((target - scan.ref.weekday()) % 7 or 7) + 7)
        tv = _tv(m, scan.text, m.start("wd"), m.end(), d, d, "day", anchor=anchor, anchor_date=base)
        return [_with_prefix(scan, m, tv)]
    if m["wk"] and not det:
        # "on Wednesday of last week": that day of the week named, counted from the report's week
        d = _monday(scan.ref) + timedelta(days=7 * _det_offset(scan, m["wk"]) + target)
        tv = _tv(m, scan.text, m.start("wd"), m.end(), d, d, "day", anchor=anchor, anchor_date=base)
        return [_with_prefix(scan, m, tv)]
    offset, anchored = scan.lex.determiners.get(det, (0, False))
    if anchored:
        base, anchor = scan.anchor(later=offset >= 0, at=m.start())
    delta = (target - base.weekday()) % 7           # days forward to the next such day (0 = today)
    if offset < 0:
        d = base - timedelta(days=(base.weekday() - target) % 7 or 7)
    elif offset > 0:
        d = base + timedelta(days=delta or 7)
    elif det and anchored:
        # "that Monday": one of the last days named, if it was a Monday ("opened on July 13 and closed today. That
        # Monday, she ..."), else the Monday nearest the day just mentioned
        named = next((tv.start for tv in scan.recent_days(m.start()) if tv.start.weekday() == target), None)
        if named is not None:
            base = d = named
            anchor = "previous"
        else:
            d = _nearest_weekday(base, target)
    elif det:                                       # "this Monday": that day of the report's week
        d = _monday(base) + timedelta(days=target)
    else:
        tense = scan.tense(m.start(), m.end())
        if pre_kind in ("since", "after"):
            direction = "past"
        elif pre_kind in ("until", "before"):
            direction = "past" if tense == "past" else "future"
        else:
            direction = tense
        # (the sentence-wide deadline cue last: it is the costliest test)
        # ("..., warning that the group would otherwise face ...": a conditional after it is still a past setting)
        if direction in ("past", "future_past") and (pre_kind == "until" or scan.lex.context.limit_before.search(
                scan.text, max(0, m.start() - 50), m.start())) and scan.deadline_cue(m.start()):
            # "On Sunday she gave them until (midnight on) Thursday": a time limit runs out after the day it was set
            set_on = scan.saying_date(m.start())
            if set_on is not None:
                base, anchor, direction = set_on, "previous", "future"
                delta = (target - base.weekday()) % 7 or 7
            else:
                # "Norland gave Vesta until Friday" with no day of setting in the sentence: set at the latest on
                # the report's day, the limit still runs from there ("..., officials said on Monday")
                direction = "future"
        if direction == "past" and pre_kind is None and 0 < delta <= COUNTERFACTUAL_AHEAD_DAYS \
                and scan.lex.counterfactual.search(scan.text, scan.sentence(m.start())[0], m.start()) \
                and scan.deadline_cue(m.start()):
            # "the original deadline would have run out on Thursday", written on Tuesday: a limit set aside is
            # mostly set aside a day or two before it runs out, so a weekday just ahead is that day (what else
            # "could have" happened is past: "they could have signed on Friday")
            direction = "future"
        if direction in ("future", "future_past") and pre_kind is None \
                and scan.lex.context.moved_after.match(scan.text, m.end()):
            direction = "nearest"    # "It was due on Friday but was put back by two days": a plan given up
        if direction == "future_past":
            # "said on Monday that it would be held on Wednesday": the Wednesday after the saying.
            said = scan.saying_date(m.start())
            if said is not None:
                base, anchor = said, "previous"
                delta = (target - base.weekday()) % 7
            direction = "future"
        if direction == "nearest":
            d = _nearest_weekday(base, target)
        elif direction == "future":
            d = base + timedelta(days=delta)
        else:
            d = base - timedelta(days=(base.weekday() - target) % 7)
    begin = m.start("det") if m["det"] else m.start("wd")
    tv = _tv(m, scan.text, begin, m.end(), d, d, "day", anchor=anchor, anchor_date=base)
    return [_with_prefix(scan, m, tv)]


def _h_duration(scan: _Scan, m: re.Match[str]) -> list[TimeValue] | None:
    if m["u2"]:
        unit = _unit_days(scan, m["u2"])
        n1 = n2 = 1
        pre, begin = _norm(m["pre2"]), m.start("art2")
    else:
        word = m["u"].lower()
        if word in scan.lex.subday:
            return []    # hours-scale durations are consumed, never dates (module docstring)
        unit = _unit_days(scan, word)
        n1 = _number(scan, m["n1"])
        n2 = _number(scan, m["n2"]) if m["n2"] else n1
        pre, begin = _norm(m["pre"] or ""), m.start("n1")
    if unit is None or n1 is None or n2 is None or n2 < n1:
        return None
    lo, hi = n1 * unit[0], n2 * unit[1]
    if pre == "in" and (scan.standalone or (scan.tense(m.start(), m.end()) == "future"
                                            and not scan.deadline_cue(m.start()))):
        # "talks will resume in two weeks": a date after the reference, not a span.
        a, b = _shift(scan.ref, n1, unit[2]), _shift(scan.ref, n2, unit[2])
        if unit[2] == "month" and n1 == n2:
            s, e = _month_bounds(a.year, a.month)
            return [_tv(m, scan.text, m.start(), m.end(), s, e, "month", anchor="reference", anchor_date=scan.ref)]
        return [_tv(m, scan.text, m.start(), m.end(), a, b, "day" if a == b else "interval", anchor="reference",
                    anchor_date=scan.ref, kind="date" if a == b else "range")]
    # ("three months": a count of calendar months, P3M, so a deadline counted from a day falls on a day)
    edtf = f"P{lo}D" if lo == hi else f"P{n1}M" if unit[2] == "month" and n1 == n2 else ""
    return [_tv(m, scan.text, begin, m.end(), None, None, "interval", anchor="none", anchor_date=None,
                kind="duration", duration=(lo, hi), edtf=edtf)]


_HANDLERS: dict[str, Handler] = {
    "iso": _h_iso, "numeric": _h_numeric, "dom_month": _h_dom_month, "numeric_dm": _h_numeric_dm, "span_from": _h_span_from, "offset": _h_offset,
    "range_dates": _h_range_dates, "range_months": _h_range_months, "range_years": _h_range_years,
    "part": _h_part, "within": _h_within, "season": _h_season, "quarter": _h_quarter, "date": _h_date,
    "dom": _h_dom, "month_year": _h_month_year, "month_list": _h_month_list, "month_noun": _h_month_noun,
    "year_ctx": _h_year_ctx, "deictic": _h_deictic, "open": _h_open, "weekend": _h_weekend,
    "past_n": _h_past_n, "after_event": _h_after_event, "anaphor": _h_anaphor, "relperiod": _h_relperiod, "ago": _h_ago,
    "since_count": _h_since_count, "dayn": _h_dayn,
    "nth_weekday": _h_nth_weekday, "weekday": _h_weekday, "range_weekdays": _h_range_weekdays, "duration": _h_duration,
}


def _is_anchor(tv: TimeValue, unit: str = "day") -> bool:
    """Values that anaphora may count from: closed, day-scale, not durations (a count of months: also a month; of
    years: also a month or a year)."""
    if tv.kind == "duration" or tv.start is None or tv.end is None:
        return False
    if (tv.precision == "month" and unit in ("month", "year")) or (tv.precision == "year" and unit == "year"):
        return True
    return tv.precision in ("day", "interval") and (tv.end - tv.start).days <= 31


def _restates(text: str, previous: TimeValue, value: TimeValue, lex: _Lexicon) -> bool:
    """A day counted from the event before ("a week earlier") restated right after it, between commas, as a date
    with a day number ("on May 17"): the written date is the one meant, the count is approximate or from
    another event.  (A date placed in the story's year, "a decade ago today ... Ten days later, on December 7",
    is written too: it names its month.)"""
    return previous.anchor == "previous" and previous.precision == "day" and value.precision == "day" \
        and any(c.isdigit() for c in value.text) \
        and (value.anchor in ("absolute", "reference")
             or any(word.lower() in lex.months for word in re.findall(r"[A-Za-z]+", value.text))) \
        and lex.context.apposition.fullmatch(text, previous.end_char, value.start_char) is not None


def _restated_as_count(text: str, written: TimeValue, value: TimeValue, lex: _Lexicon) -> bool:
    """A written day followed right after, between commas, by a day counted from an event ("on Wednesday of last
    week, the third day of the talks"): the count restates the written day, which is the one meant."""
    return value.anchor == "previous" and value.precision == "day" and written.precision == "day" \
        and written.anchor in ("absolute", "reference") and written.kind != "duration" \
        and lex.context.apposition.fullmatch(text, written.end_char, value.start_char) is not None


def _counted_from_start(text: str, ordinal: TimeValue, opening: TimeValue, lex: _Lexicon) -> TimeValue | None:
    """An ordinal day of an event ("on the third day of the talks") whose opening day its sentence gives right after
    ("..., which opened on Monday"): counted from that day, not from the time before it.

    >>> [(t.text, t.start.isoformat()) for t in find_times(
    ...     "They agreed on Friday. It came on the third day of the talks, which opened on Monday.", "2027-03-13")]
    [('Friday', '2027-03-12'), ('the third day', '2027-03-10'), ('Monday', '2027-03-08')]
    """
    offset = _event_day_offset(lex, ordinal)
    if offset is None or opening.precision != "day" or opening.start is None or opening.kind == "duration" \
            or lex.context.counted_start.fullmatch(text, ordinal.end_char, opening.start_char) is None:
        return None
    day = opening.start + timedelta(days=offset)
    return replace(ordinal, start=day, end=day, edtf=day.isoformat(), anchor="previous", anchor_date=opening.start)


# The anchors of a day written out, whose year is given or the report's ("Thursday, Aug. 7")
_WRITTEN = ("absolute", "reference")


def _written_span(text: str, first: TimeValue, second: TimeValue, lex: _Lexicon) -> TimeValue | None:
    """Two written days (numeric dates, or days with their weekday, which no range pattern reads) joined as a span
    ("between 12.03.2027 and 14.03.2027", "from 2027-03-12 to 2027-03-14", "between Thursday, Aug. 7, and Saturday,
    Aug. 9"): one span from the first to the second, when the second comes after the first, within a year.

    >>> [(t.text, t.edtf) for t in find_times("It ran between 12.03.2027 and 14.03.2027.", "2027-03-20")]
    [('between 12.03.2027 and 14.03.2027', '2027-03-12/2027-03-14')]
    >>> [(t.text, t.edtf) for t in find_times("It falls between Thursday, Aug. 5, and Saturday, Aug. 7.", "2027-07-29")]
    [('between Thursday, Aug. 5, and Saturday, Aug. 7', '2027-08-05/2027-08-07')]
    """
    if first.anchor not in _WRITTEN or second.anchor not in _WRITTEN or second.precision != "day" \
            or first.start is None or second.start is None or first.end not in (None, first.start) \
            or not 0 < (second.start - first.start).days <= 366 \
            or lex.context.span_joiner.fullmatch(text, first.end_char, second.start_char) is None:
        return None
    opened = next((m for m in lex.context.span_opener.finditer(text, max(0, first.start_char - 12), first.start_char)
                   if m.end() == first.start_char), None)
    if opened is None and not lex.context.span_opener.match(first.text):
        return None
    start = opened.start() if opened is not None else first.start_char
    if _after_moving(lex, text, start):
        return None     # "moved from Monday, 5 August, to Thursday, 8 August": the day given up, then the new one
    return replace(first, text=text[start:second.end_char], start_char=start, end_char=second.end_char,
                   end=second.start, precision="interval", edtf=f"{first.start}/{second.start}", modifier=None,
                   kind="range")


def _weekday_apposition(text: str, counted: TimeValue, value: TimeValue, lex: _Lexicon) -> TimeValue | None:
    """A day counted from an event ("the next morning", "two days after the talks") followed right after by a bare
    weekday in apposition ("the next morning, a Monday:"): the weekday says which day was meant, the nearest such
    day to the count on the same side of the event (the count is loose; the weekday is what the writer saw)."""
    if counted.anchor != "previous" or counted.precision != "day" or counted.start is None \
            or counted.anchor_date is None or value.precision != "day" or value.start is None \
            or _norm(value.text) not in lex.weekdays or text.startswith(("'", "’"), value.end_char) \
            or not lex.context.weekday_apposition.fullmatch(text, counted.end_char, value.start_char):
        return None
    target = lex.weekdays[_norm(value.text)]
    d = _nearest_weekday(counted.start, target)
    side = (counted.start > counted.anchor_date) - (counted.start < counted.anchor_date)
    if side and (d > counted.anchor_date) - (d < counted.anchor_date) != side:
        d += timedelta(days=7 * side)
    return replace(counted, text=text[counted.start_char:value.end_char], end_char=value.end_char, start=d, end=d,
                   edtf=d.isoformat())


def _scan_text(text: str, ref: date, *, publication: date | None = None, default_tense: str = "past",
               standalone: bool = False) -> tuple[TimeValue, ...]:
    lex = _lexicon()
    # ("until 6 p.m. Osterby time on Sunday": a clock time's "p.m." before its zone ends no sentence)
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text)
              if not lex.context.clock_zone.match(text, max(0, m.start() - 4))]
    scan = _Scan(text=text, ref=ref, lex=lex, default_tense=default_tense, standalone=standalone,
                 slash_order=_slash_order(text), breaks=breaks)
    switch_at, dateline_ref = len(text) + 1, None
    if publication is not None:
        dl = find_dateline(text, publication)
        if dl is not None and dl.start is not None:
            switch_at, dateline_ref = dl.end_char, dl.start
    # Every expression starts within a few words before an anchor word (a digit,
    # a month, "week", "ago" ...): try the combined pattern only at those word
    # starts instead of at every character, which is what makes this fast.
    master, rules, starters, window = lex.master, lex.rules, lex.starters, lex.window
    done = tried = 0             # text covered by accepted matches; window starts already tried
    line_ref, line_end = None, -1    # the dated opening of the current chronology line, and where the line ends
    # (only where the anchors start is read: the lower-case text's are the same)
    anchors = lex.anchor_cased.finditer(text.lower()) if lex.anchor_cased is not None and readable(text) \
        else lex.anchor_re.finditer(text)
    for anchor in anchors:
        at = anchor.start()
        if at < done or _THOUSANDS.match(text, at):
            continue
        lo = max(done, tried, at - _WINDOW_CHARS)
        before = [m for m in _TOKEN.finditer(text, lo, at) if m.start() == 0 or not text[m.start() - 1].isalnum()]
        starts = [m.start() for m in before[-window:] if m.group()[0].isdigit() or m.group().lower() in starters]
        starts.append(at)
        tried = at + 1
        for start in starts:
            m = master.match(text, start)
            if m is None:
                continue
            if start >= switch_at and dateline_ref is not None:
                scan.ref = dateline_ref
            name = m.lastgroup or ""
            sub = rules[name].match(text, start)   # same pattern, so the same span; groups named
            report_ref = scan.ref
            scan.in_line = start < line_end and line_ref is not None
            if scan.in_line:
                scan.ref = line_ref                # within a chronology's line, counted from the date it opens with
            try:
                values = _HANDLERS[name](scan, sub) if sub is not None else None
            except (ValueError, OverflowError):    # a date past year 9999 (or before 1): no time here
                values = None
            scan.ref = report_ref
            if values is None:
                continue                           # not ours after all: a later start may be
            if values and scan.found and _restates(text, scan.found[-1], values[0], scan.lex):
                scan.found.pop()                   # "A week earlier, on May 17": the date written out wins
            if values and scan.found and _restated_as_count(text, scan.found[-1], values[0], lex):
                written = scan.found[-1]           # "on Wednesday, the third day of the talks": the written day wins
                values = [replace(values[0], start=written.start, end=written.end, edtf=written.edtf), *values[1:]]
            if values and scan.found and (counted := _counted_from_start(text, scan.found[-1], values[0], lex)):
                scan.found[-1] = counted           # "the third day of the talks, which opened on Monday"
            if values and scan.found and (fixed := _weekday_apposition(text, scan.found[-1], values[0], lex)):
                scan.found[-1] = fixed             # "the next morning, a Monday": the weekday sets the day
                values = values[1:]
            if values and scan.found and (span := _written_span(text, scan.found[-1], values[0], lex)) is not None:
                scan.found[-1] = span              # "between 12.03.2027 and 14.03.2027": one span
                values = values[1:]
            values = _of_named_year(scan, text, values)
            scan.found.extend(values)
            if values and (opened := _line_opening(text, values[0])) is not None:
                line_ref, line_end = opened
                # (a line of a month or a year spans too much to say which year the next day is in)
                scan.chronology = line_ref if values[0].precision == "day" else None
            done = max(m.end(), start + 1, values[-1].end_char if values else 0)
            break
    # "The second day of talks has ended", with no day before it nor an opening day after it to count from: an ordinal
    # day of an event names no date (counted from the report it would be the next day)
    return tuple(t for t in scan.found if not (t.anchor == "reference" and _event_day_offset(lex, t) is not None))


def _event_day_offset(lex: _Lexicon, time: TimeValue) -> int | None:
    """How many days after an event's first day an ordinal day of it falls ("the third day": 2); None for any other
    time."""
    counted = lex.anaphoric.get(_norm(time.text))
    return counted[0] if counted is not None and counted[2] and counted[1] == "day" else None


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def find_times(text: str, reference: date | datetime | str, *, publication: date | None = None) -> tuple[TimeValue, ...]:
    """Every temporal expression in ``text``, in text order, spans are offsets into ``text``.

    >>> [(t.text, t.start.isoformat()) for t in find_times("Talks were held on Wednesday.", "2026-03-12")]
    [('Wednesday', '2026-03-11')]
    """
    return _scan_text(text, parse_reference(reference), publication=publication)


def resolve(expression: str, reference: date | datetime | str, *, tense: str | None = None) -> TimeValue | None:
    """One expression on its own, e.g. for analysts and ``kg time``.

    Several values in one expression ("May and June") are merged into one
    interval.  ``tense`` ("past" | "future") decides bare weekdays when the
    expression has no tense cue of its own (default past).

    >>> resolve("between March 11 and 12", "2026-03-10T10:00:00Z").edtf
    '2026-03-11/2026-03-12'
    >>> resolve("8 or 9 days", "2026-03-10").duration_days
    (8, 9)
    """
    ref = parse_reference(reference)
    values = _scan_text(expression, ref, default_tense=tense or "past", standalone=True)
    values = tuple(v for v in values if v.text.strip())
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    dated = [v for v in values if v.start is not None and v.end is not None]
    if len(dated) != len(values):
        return values[0]
    start, end = min(v.start for v in dated), max(v.end for v in dated)  # type: ignore[type-var]
    anchor = "absolute" if all(v.anchor == "absolute" for v in dated) else values[0].anchor
    return TimeValue(text=expression[values[0].start_char:values[-1].end_char], start_char=values[0].start_char,
                     end_char=values[-1].end_char, start=start, end=end, precision="interval",
                     edtf=f"{start.isoformat()}/{end.isoformat()}", anchor=anchor,
                     anchor_date=None if anchor == "absolute" else ref, kind="range")


_MONTHS_COUNT = re.compile(r"P(\d+)M")


def deadline_from(issued: date, duration: TimeValue) -> TimeValue:
    """The deadline a duration sets when counted from its issue date.

    >>> dl = deadline_from(date(2026, 3, 2), resolve("50 days", "2026-03-02"))
    >>> (dl.start.isoformat(), dl.end.isoformat(), dl.precision, dl.anchor)
    ('2026-04-21', '2026-04-21', 'day', 'previous')
    >>> deadline_from(date(2026, 3, 10), resolve("8 or 9 days", "2026-03-10")).edtf
    '2026-03-18/2026-03-19'
    >>> deadline_from(date(2026, 10, 23), resolve("three months", "2026-10-23")).edtf
    '2027-01-23'
    """
    if duration.duration_days is None:
        raise ValueError(f"{duration.text!r} is not a duration with a length in days")
    lo, hi = duration.duration_days
    start, end = issued + timedelta(days=lo), issued + timedelta(days=hi)
    if (months := _MONTHS_COUNT.fullmatch(duration.edtf or "")) is not None:
        start = end = _add_months(issued, int(months.group(1)))      # "within three months of the signing"
    precision = "day" if start == end else "interval"
    return replace(duration, start=start, end=end, precision=precision, edtf=_edtf(start, end, precision),
                   anchor="previous", anchor_date=issued, kind="date" if start == end else "range")


def time_to_dict(tv: TimeValue) -> dict[str, Any]:
    """A JSON-ready dict (ISO dates) of one value.

    >>> time_to_dict(resolve("mid-July", "2026-08-12"))["end"]
    '2026-07-20'
    """
    return {
        "text": tv.text, "start_char": tv.start_char, "end_char": tv.end_char,
        "start": tv.start.isoformat() if tv.start else None, "end": tv.end.isoformat() if tv.end else None,
        "precision": tv.precision, "edtf": tv.edtf, "anchor": tv.anchor,
        "anchor_date": tv.anchor_date.isoformat() if tv.anchor_date else None,
        "modifier": tv.modifier, "kind": tv.kind,
        "duration_days": list(tv.duration_days) if tv.duration_days else None,
    }


def find_dateline(text: str, publication: date) -> TimeValue | None:
    """The dateline date at the head of ``text`` ("GENEVA, March 11 —"), its year taken nearest ``publication``.

    >>> find_dateline("GENEVA, March 11 — Talks resumed.", date(2026, 3, 13)).start
    datetime.date(2026, 3, 11)
    """
    lex = _lexicon()
    m = lex.dateline.search(text, 0, min(len(text), 600))
    if m is None:
        return None
    values = _scan_text(m["date"], publication)
    if not values or values[0].precision != "day":
        return None
    v = values[0]
    offset = m.start("date")
    return replace(v, start_char=v.start_char + offset, end_char=v.end_char + offset, anchor="reference",
                   anchor_date=publication)
