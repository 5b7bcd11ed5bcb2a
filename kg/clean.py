"""Clean stage: drop web junk, find the title, publication date and dateline.

The reference date of an article is its dateline date when there is one,
else its publication date; a dateline's year comes from the publication
date (the year that puts the dateline nearest to it).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, reduce

import dateparser

from kg.ids import make_id
from kg.records import Article, RawDocument, SkippedDocument
from kg.resources import load_toml
from kg.timex import find_times

_SENTENCE_END = re.compile(r"[.!?…\"”’)]$")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\b")
# A date in a page's address, year first: ".../2026/08/04/slug", "...-2026-08-04.html".
_URL_DATE = re.compile(r"(?<!\d)(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?!\d)")
# (a time of day may follow, with its zone or place: "23.07.2026, 21:47 (Lenby time)", "04.03.2026 10:45 GMT+3"; a
# space may follow each dot: "4. 6. 2026 09:05")
_DOTTED = re.compile(r"^\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:[\sT,|·•–—-]+\d{1,2}[:.]\d{2}(?::\d{2})?"
                     r"(?:\s*\(?[A-Za-z][\w+ ]{0,20}\)?)?)?\s*$")
_STRIP = " \t\u00a0:|•·-–—"
# A list item: "• 24 March — the sides meet", "- Talks resume", "▪ ...".
_LIST_ITEM = re.compile(r"^[•·▪◦‣*]\s|^[-–—]\s+\S"
                     # (an item of a chronology with no bullet opens with its day or days and a dash or colon: "May 16 —
                     # ...", "16 May 2025: ...", "Aug. 6 - ...", "March 28-29 — ...")
                     r"|^(\d{1,2}([-–]\d{1,2})?\s+[A-Z][a-z]{2,8}\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(st|nd|rd|th)?([-–]\d{1,2})?)"
                     r"(,?\s+\d{4})?\s*([—–]|\s-|:)\s"
                     # (or with a few words of time and a long dash: "Late July – ...", "The following week — ...")
                     r"|^[A-Z][\w'’.-]*(\s+[\w'’.-]+){0,3}\s[—–]\s+\S")
# A fact box's line: a figure, a dash and what it counts ("1,000 - prisoners freed by each side on 23-25 May").
_FIGURE_ITEM = re.compile(r"^([a-z]+\s+){0,2}\d[\d,.]*%?(\s*(/|or|to|[-–])\s*\d[\d,.]*%?)*(\s+[a-z]+)?\s[-–—]\s+\S")
# No text wrapped to a width writes a line longer than this: a block with one is a paragraph on each line.
_WRAP_WIDTH = 160


@dataclass(frozen=True)
class _Lexicon:
    lines: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]
    dateline: re.Pattern[str]
    numeric_dateline: re.Pattern[str]    # "Lenby/Tarsova, 03.11.2031 (LPA) — "
    published_line: re.Pattern[str]      # "Published: Saturday 12 November 2022"
    byline: re.Pattern[str]              # "By Ana Morales | 24 July 2026, 09:10"
    time_notes: tuple[re.Pattern[str], ...]     # "All times Lenby (CEST)"
    date_languages: tuple[str, ...]      # dateparser's codes of the languages a date line may name its month in


@cache
def _lexicon() -> _Lexicon:
    data = load_toml("lexicons", "cleaning.toml")
    return _Lexicon(
        lines=frozenset(line.lower() for line in data["lines"]),
        patterns=tuple(re.compile(p, re.IGNORECASE) for p in data["patterns"]),
        dateline=re.compile(data["dateline"]),
        numeric_dateline=re.compile(data["numeric_dateline"]),
        published_line=re.compile(data["published_line"]),
        byline=re.compile(data["byline"]),
        time_notes=tuple(re.compile(p) for p in data["time_notes"]),
        date_languages=tuple(data["date_languages"]),
    )


def is_junk(line: str) -> bool:
    """True for navigation, share buttons and other page furniture.

    >>> is_junk("spot_imgspot_img"), is_junk("Share this:"), is_junk("Talks resumed on Monday.")
    (True, True, False)
    """
    lex = _lexicon()
    stripped = line.strip(_STRIP)
    if not stripped:
        return False
    return stripped.lower() in lex.lines or any(p.match(stripped) for p in lex.patterns)


def parse_published(value: str | None) -> date | None:
    """Parse a publication date written in any common form.

    >>> parse_published("2026-03-15T08:30:00Z"), parse_published("25.03.2026"), parse_published("March 3, 2026")
    (datetime.date(2026, 3, 15), datetime.date(2026, 3, 25), datetime.date(2026, 3, 3))
    >>> parse_published("04.03.2026 10:45")      # day.month.year, with a time of day
    datetime.date(2026, 3, 4)
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    dotted = _DOTTED.match(value)
    if dotted:  # dotted numeric dates are day.month.year wherever they are written
        day, month, year = map(int, dotted.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    worded = _worded_date(value)
    if worded is not None:
        return worded
    slashed = _SLASHED_STAMP.fullmatch(value)
    if slashed:
        return _slashed_date(*map(int, slashed.groups(default="0")))
    # Anything else (unusual orders, other separators): dateparser, 100x slower than the paths above.
    # (never a date relative to the machine's clock: "41 min" on a podcast page, "2 hours ago", are no day of the
    # article's, and a run must not depend on the day it is made)
    parsed = dateparser.parse(value, languages=["en"], settings=_DATEPARSER_SETTINGS)
    if parsed is None and _WORDED_SHAPE.match(value):
        # ("24 Haziran 2026 Çarşamba, 09:10": an English edition's date line in its own language; asked only of a day,
        # a word and a year, since guessing among languages costs a thousand times more than naming them)
        parsed = dateparser.parse(value, languages=list(_lexicon().date_languages), settings=_DATEPARSER_SETTINGS)
    return parsed.date() if parsed else None


_DATEPARSER_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first",
                        "PARSERS": ["timestamp", "custom-formats", "absolute-time"]}
# A day, a word for its month and a year, either way round, after a word for the weekday or none ("Mittwoch, 24. Juni
# 2026", "24 Haziran 2026", "junio 24, 2026")
_WORDED_SHAPE = re.compile(r"^(?:[^\W\d_]+\.?,?\s+)?(?:\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:de\s+)?"
                           r"|[^\W\d_]{3,}\.?\s+\d{1,2},?\s+)\d{4}\b")


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                          "nov", "dec"), start=1)}
# "March 21, 2026 9:15 PM", "Sunday, March 29, 2026", "Tue, 17 Mar 2026 08:30:00 +0000", "3 March 2026".
_MONTH_FIRST = re.compile(r"^(?:[A-Za-z]+,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DAY_FIRST = re.compile(r"^(?:[A-Za-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def _worded_date(value: str) -> date | None:
    """A date with the month in words, the common case of feeds and page headers (no dateparser needed)."""
    match = _MONTH_FIRST.match(value)
    if match:
        month_word, day, year = match.groups()
    else:
        match = _DAY_FIRST.match(value)
        if not match:
            return None
        day, month_word, year = match.groups()
    month = _MONTHS.get(month_word[:3].lower())
    if month is None or (len(month_word) > 3 and not _is_month_name(month_word)):
        return None
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


# "19/01/1974 10:30", "4/5/2012": a slashed numeric date, with a time of day or none (the common case of feeds that
# dateparser used to read, at a thousandth of its cost)
_SLASHED_STAMP = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?: ([0-9]{1,2}):([0-9]{2}))?")


def _slashed_date(first: int, second: int, year: int, hour: int, minute: int) -> date | None:
    """The date dateparser reads a slashed date as: month first when that is a date, else day first (a time of day
    that is none makes it none)."""
    if hour > 23 or minute > 59:
        return None
    for month, day in ((first, second), (second, first)):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def _is_month_name(word: str) -> bool:
    return any(full.startswith(word.lower().rstrip(".")) for full in (
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "sept"))


# The place a statement was issued in, before its date ("Vesta City, 3 May 2026").
# ("Vesta City, 3 May 2026", "Vesta City, Thursday 5 May 2026", "Vesta City, May 5, 2026")
_PLACE_BEFORE = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3},\s+(?=\d|[A-Z][a-z]+,?\s+\d)")
# A release's number before its date, in columns or after a comma ("No: 57        9 May 2031", "Statement No. 41, ...").
_ISSUE_NUMBER = re.compile(r"^(?:[^\W\d_][\w.]*\s+){0,3}?(?:No|Nr|Number|Ref)(?:\.\s*:?|:)\s*[\w/-]*\d[\w/-]*,?\s+"
                           r"(?=\S)")
# A short label before a page's date line ("LIVE — Monday 7 May 2029", "Updated: 3 May 2026", "Broadcast transcript,
# Thursday, 24 March 2026").
_LABEL_BEFORE = re.compile(r"^[^\W\d][\w ]{0,24}?\s*[—–|:,·•-]\s*(?=\w)")
# A byline before it, up to the last separator ("Ana Morales, Lenby correspondent · 12 March 2026").
_BYLINE_BEFORE = re.compile(r"^.{1,60}[|·•—–]\s*(?=[^|·•—–]{6,40}$)")
# ... whose date is all that follows it (its year last, or a time of day after it)
# (and its zone or what the time is of: "10:45 GMT", "18:52 Vesta time", "07:40 segment")
# (or the span a broadcast took: "Monday 26 May 2026, 06:00-06:08")
_DATE_END = re.compile(r"\b\d{4}(\s*[,|·•–—-]?\s*\d{1,2}[:.]\d{2}(\s*[AaPp]\.?[Mm]\.?)?"
                       r"(\s*([–—-]|to)\s*\d{1,2}[:.]\d{2})?(\s+\(?[A-Za-z]{1,12}(\s+time)?\)?)?)?$")
# Wide gaps between the columns of a page converted from print: read as field breaks in a date line.
_COLUMNS = re.compile(r"[ \t]{3,}|\t")
# Characters a page puts inside words without showing them: a soft hyphen, a zero-width space, a word joiner, a byte
# order mark (not the joiners that shape a script's letters)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
# An HTML character reference left in a text ("&amp;", "&#8217;", "&nbsp;")
_CHARACTER_REFERENCE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A Markdown link or image, as a page saved as Markdown writes it: "[said on Monday](https://...)" reads "said on
# Monday"; an image ("![map](...)") reads nothing
_MARKDOWN_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\((?:https?://|/|www\.)[^)\s]*\)")
# The bars and dots between a page's fields: "Published 2026/06/04 | 41 min | Season 3".
_FIELD_BREAK = re.compile(r"\s+[|·•]\s+")
# ... and the dashes after a date that opens the line: "Friday, June 5, 2026 — last updated 09:45 (Lenby time)" (not
# before it: "Talks end — 3 May 2026 is the date" is a heading).
_DASH_BREAK = re.compile(r"\s+[—–-]\s+")
# (each field after such a dash a note of a few words, at most this many)
_NOTE_WORDS = 6
# (and the tagline a dash parts from the date ending the line, at most this many words)
_TAGLINE_WORDS = 10
# The sentence breaks between the short notes after a date line's date ("Sent at nine. Times are local.").
_NOTE_BREAK = re.compile(r"(?<=[.!?])\s+")
# A weekday in any language before a numeric date: "Perşembe 24.07.2026 - 09:14", "Mi. 24.6.2026".
_WORD_BEFORE_NUMBERS = re.compile(r"^[^\W\d_]{2,15}\.?,?\s+(?=\d{1,2}[./]\s?\d{1,2}[./]\s?\d{4}\b)")
# A line wholly in brackets is an editor's note on the page (a translator's, an archive's), not its body.
_EDITORS_NOTE = re.compile(r"^\[[^\]]*\]$|^\([^)]*\)$")
# How many heading lines (masthead, section, department) may stand above a page's date line.
_MASTHEAD_LINES = 6
# How far down, and above which first long paragraph, a page with no date line is searched for its issuing line.
_TOP_LINES = 8
_BODY_WORDS = 25
_COMMA = re.compile(r",\s+")


def _header_date(line: str) -> date | None:
    """A standalone date line such as "Sunday, March 29, 2026" at the top of a scraped page."""
    stripped = line.strip(_STRIP)
    # a date in one of a line's fields: "29/07/2026 21:40 · 10 posts · 4 min read", "Long Read | World | Thursday 28
    # February 2026 | 12 min read", unless a field after it says what happened ("16 May 2026 | First round in Lenby"
    # opens a chronology)
    fields = _FIELD_BREAK.split(stripped)
    found: tuple[int, date] | None = None
    if len(fields) > 1:
        found = next(((i, day) for i, f in enumerate(fields) if _YEAR.search(f) and (day := _field_date(f))), None)
    elif len(dashed := _DASH_BREAK.split(stripped)) > 1 and _YEAR.search(dashed[0]) \
            and all(len(f.split()) <= _NOTE_WORDS for f in dashed[1:]) and (day := parse_published(dashed[0])):
        # (only a few words after it: "Lenby, 12 June 2026 — The president has ..." opens a statement's body)
        fields, found = dashed, (0, day)
    elif len(dashed) > 1 and len(" ".join(dashed[:-1]).split()) <= _TAGLINE_WORDS and _YEAR.search(dashed[-1]) \
            and _DATE_END.search(dashed[-1]) and (day := parse_published(dashed[-1])):
        # ("Your Wednesday digest from the north — 24 June 2026": a newsletter's tagline, then the date ending the line)
        fields, found = dashed, (len(dashed) - 1, day)
    if found is not None:
        # (after another field the date is the page's, whatever follows: a byline's "By Ana Morales | 24.06.2026 | The
        # Lenby Review", a masthead's "THE LENBY REVIEW | Monday, 3 May 2032 | Ten years on")
        placed = found[0] > 0
        return None if not placed and any(len(f.split()) >= 3 and not any(c.isdigit() for c in f)
                                          and not any(p.match(f) for p in _lexicon().time_notes)
                                          for f in fields[found[0] + 1:]) else found[1]
    # (a statement's "Vesta City, 3 May 2026": the place it was issued in, then the date; a live page's "LIVE —
    # Monday 7 May 2029" or "Last updated: Sunday 3 May 2026, 18:52 Vesta time": a label, then the date)
    labelled = _LABEL_BEFORE.sub("", stripped, count=1)
    if not _YEAR.search(stripped):
        return None
    opening, _, notes = stripped.partition(". ")
    if notes and all(len(note.split()) <= _NOTE_WORDS + 2 for note in _NOTE_BREAK.split(notes)):
        # ("Lenby digest, Tuesday, 3 March 2026. Sent at nine in the evening. Times are local.": a labelled date, then
        # short notes on the page)
        label_gone = _LABEL_BEFORE.sub("", opening, count=1)
        day = parse_published(label_gone) if label_gone != opening and len(label_gone) <= 40 \
            and _DATE_END.search(label_gone) else None
        if day is not None:
            return day
    if len(labelled) > 40 or _SENTENCE_END.search(stripped.rstrip(".")):
        return None
    signed = _BYLINE_BEFORE.sub("", stripped, count=1)
    return parse_published(stripped) or _date_after(_PLACE_BEFORE, stripped) or _date_after(_ISSUE_NUMBER, stripped) \
        or (parse_published(labelled) if labelled != stripped and _DATE_END.search(labelled) else None) \
        or (parse_published(signed) if signed != stripped and _DATE_END.search(signed) else None)


def _date_after(prefix: re.Pattern[str], value: str) -> date | None:
    """The date ``value`` gives once ``prefix`` is taken off its start; None when there is no such prefix (the value
    itself has been read: a second read could only fail again, through dateparser, at a hundred times the cost)."""
    rest = prefix.sub("", value, count=1)
    return parse_published(rest) if rest != value else None


def _field_date(field: str) -> date | None:
    """The date one field of a date line gives, a weekday in any language before it ("Perşembe 24.07.2026") or a
    label ("Region | Published Wednesday 24 June 2026 at 08:45 | Updated 13:10")."""
    stamp = _lexicon().published_line.match(field)
    return parse_published(field) or _date_after(_WORD_BEFORE_NUMBERS, field) \
        or (_stamped_date(stamp.group("date")) if stamp else None)


def _stamped_date(value: str) -> date | None:
    """The date a "Published: ..." line gives: all it says, else the first of its fields ("Published 2026/06/04 | 41
    min | Season 3"), read only when there are fields (a value that fails is not read twice)."""
    fields = _FIELD_BREAK.split(value)
    return parse_published(value) or (parse_published(fields[0]) if len(fields) > 1 else None)


def _issued_line(lines: list[str]) -> tuple[int, date] | None:
    """The last resort of a page with no date line: one of its top lines that says where, by whom or under what
    number it was issued and ends in its full date ("Statement issued at the palace, Thursday 27 October 2026", a
    ministry's "No: 148, 02.06.2026", under a notice that is a sentence); its index and date.  A line that is only a
    date ("Tuesday, 14 April 2026") is not one: met below a headline and a sentence, it opens a chronology.
    """
    top = [(index, line) for index, line in enumerate(lines) if line][:_TOP_LINES]
    for index, line in top:
        if len(line.split()) > _BODY_WORDS:
            return None
        if len(line) > 90 or not _YEAR.search(line) or not _DATE_END.search(line):
            continue
        for comma in _COMMA.finditer(line):
            day = parse_published(line[comma.end():])
            if day is not None:
                return None if parse_published(line) else (index, day)
    return None


def _readable(raw: RawDocument) -> str:
    """The raw text as its words read: no characters hidden inside words ("nego\u00adtiations", "Mon\u200bday"), HTML
    character references left in a scraped text or a JSON field read ("Chile&#8217;s talks&nbsp;resumed"; a page's
    parser has read a page's own), a Markdown link as its text and an image as nothing."""
    text = _INVISIBLE.sub("", raw.text)
    if raw.format not in ("html", "feed") and _CHARACTER_REFERENCE.search(text):
        text = html.unescape(text)
    return _MARKDOWN_LINK.sub(lambda m: "" if m[1] else m[2], text)


def clean_document(raw: RawDocument) -> Article | SkippedDocument:
    """Turn a raw document into an ``Article`` (or a skip record saying what is missing)."""
    lines = _readable(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    published_line = _lexicon().published_line
    published = parse_published(raw.published)
    title = raw.title.strip() if raw.title else None
    kept: list[str] = []
    dropped = 0
    for line in lines:
        text = " ".join(line.split())
        if not text:
            if kept and kept[-1]:
                kept.append("")
            continue
        stamp = published_line.match(text)
        header = _stamped_date(stamp.group("date")) if stamp else None
        above = [k for k in kept if k]
        # a bare date line above or below the headline; with no date yet, also under a masthead of a few
        # heading lines ("THE DAILY DISPATCH / WORLD IN BRIEF / Wednesday, 21 March 2035", a ministry's
        # "Statement No. 41 / Velgrad, 10 March 2035"; a headline may ask a question) and editor's notes
        # ("[Translated from Vestan by ...]"), never once the body has begun
        if header is None and (len(above) <= 1 or (published is None and len(above) <= _MASTHEAD_LINES
                                                   and all(_is_heading(k.removesuffix("?")) or _EDITORS_NOTE.match(k)
                                                           for k in above))):
            # (a page header converted from columns keeps its gaps: "HOUSE OF DELEGATES      QUESTIONS      Thursday 4
            # June 2026      page 9", whose fields they part)
            header = _header_date(text) or (_header_date(columns) if (columns := _COLUMNS.sub(" | ", line.strip()))
                                            != line.strip() else None)
        elif header is None and _lexicon().byline.match(text) \
                and all(_is_heading(k) or _EDITORS_NOTE.match(k) for k in above):
            # (a dated byline among a scraped page's heading lines, below its headline and a section label or two: had
            # it stayed, the account of the body would start on the report's day, "By ... | 24 July 2026, 09:10")
            header = _header_date(text)
        if header:
            published = published or header
            dropped += 1
            continue
        if is_junk(text):
            dropped += 1
            continue
        kept.append(text)
    if published is None:
        issued = _issued_line(kept)
        if issued is not None:
            published = issued[1]
            del kept[issued[0]]
            dropped += 1
    paragraphs = [p for p in "\n".join(kept).split("\n\n") if p.strip()]
    # (a page saved with one paragraph a line and no blank line between them: each line its own paragraph)
    paragraphs = [q for p in paragraphs for q in (p.split("\n") if _unwrapped(p) else [_join_lines(p)])]
    # A section label in capitals ("AFRICA", "WORLD NEWS") above a scraped page's headline is no headline.
    while not title and len(paragraphs) > 2 and _is_section_label(paragraphs[0]) and _is_heading(paragraphs[1]):
        paragraphs.pop(0)
        dropped += 1
    # A scraped page's headline is the first short line without sentence punctuation before the body.
    if paragraphs and not title and _is_heading(paragraphs[0]) and len(paragraphs) > 1:
        title = paragraphs.pop(0)
    elif paragraphs and title and paragraphs[0].strip() == title:
        paragraphs.pop(0)
    dateline_place, dateline_date = None, None
    for index, paragraph in enumerate(paragraphs[:3]):
        match = _lexicon().dateline.match(paragraph) or _lexicon().numeric_dateline.match(paragraph)
        if match:
            dateline_place = match.group("place").strip(" ,").title()
            if match.group("date") and match.group("year"):
                # (a wire whose dateline is its only date line: "LENBY, Aug. 19, 2026 (Tarsova Wire) -")
                dateline_date = parse_published(f"{match.group('date')} {match.group('year')}")
                published = published or dateline_date
            elif match.group("date") and published:
                # The dateline has no year: it takes the one that puts it nearest the publication date.
                values = find_times(match.group("date"), published)
                dateline_date = values[0].start if values and values[0].precision == "day" else None
            paragraphs[index] = paragraph[match.end():]
            break
    published = _read_as_the_text_does(raw.published, published, "\n".join(paragraphs), raw.url)
    reference = dateline_date or published
    if reference is None:
        return SkippedDocument(raw.origin, "no publication date: add a 'published' field (JSON), a "
                               "<meta property=\"article:published_time\"> (HTML) or a date line at the top (text)")
    body = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    if len(body.split()) < 5:
        return SkippedDocument(raw.origin, "no article body left after removing page furniture")
    identity = raw.url or body
    return Article(
        id=make_id("article", identity),
        origin=raw.origin,
        title=title or body.split("\n")[0][:90],
        text=body,
        published=published,
        reference_date=reference,
        url=raw.url,
        source=raw.source,
        dateline_place=dateline_place,
        dropped_lines=dropped,
    )


def _read_as_the_text_does(value: str | None, parsed: date | None, text: str, url: str | None = None) -> date | None:
    """A slashed date that reads both ways ("04/03/2026": April 3 or 4 March) takes the reading the page's address
    gives, year first (".../2026/03/04/..."); else the one whose month the article names more often with a day, else
    the one nearer the months it names at all; with no such evidence, the parser's reading stands.

    >>> _read_as_the_text_does("04/03/2026", date(2026, 4, 3), "The talks on April 2", "https://x.example/2026/03/04/t")
    datetime.date(2026, 3, 4)

    >>> _read_as_the_text_does("04/03/2026", date(2026, 4, 3), "The talks on March 2 ... on 3 March")
    datetime.date(2026, 3, 4)
    >>> _read_as_the_text_does("04/03/2026", date(2026, 4, 3), "The talks on April 2")
    datetime.date(2026, 4, 3)
    >>> _read_as_the_text_does("09/08/2026 14:10", date(2026, 9, 8), "Monitors reached Corvo on Aug. 7.")
    datetime.date(2026, 8, 9)
    """
    match = _SLASHED.match(value or "")
    if parsed is None or match is None:
        return parsed
    first, second, year = map(int, match.groups())
    if first == second or first > 12 or second > 12:
        return parsed
    readings = [date(year, first, second), date(year, second, first)]   # month first, day first
    addressed = [d for m in _URL_DATE.finditer(url or "") for d in readings
                 if (int(m.group(1)), int(m.group(2)), int(m.group(3))) == (d.year, d.month, d.day)]
    if addressed:
        return addressed[0]
    names = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december")
    lowered = text.lower()
    # (a month next to a day number, written out or cut short: "August 7", "Aug. 7", "7 Sept."; "may" alone is
    # mostly the verb)
    spelled = [rf"(?:{name}|{name[:3]}\.?|sept\.?)" if name == "september" else rf"(?:{name}|{name[:3]}\.?)"
               for name in names]
    counts = [len(re.findall(rf"\b{spelled[d.month - 1]}\s+\d|\d\s+{spelled[d.month - 1]}(?!\w)", lowered))
              for d in readings]
    if counts[0] == counts[1]:
        # no day names either month: the months the text names at all ("the accord of March", "due in May")
        # are mostly those around the day it was written (a capital "May", since "may" is mostly the verb)
        named = [i for i, name in enumerate(names, start=1)
                 for _ in re.finditer(rf"\b{name.capitalize()}\b", text)]
        counts = [sum(min((m - d.month) % 12, (d.month - m) % 12) <= 1 for m in named) for d in readings]
    if counts[0] == counts[1]:
        return parsed
    return readings[0] if counts[0] > counts[1] else readings[1]


def _is_section_label(paragraph: str) -> bool:
    """A page section's name in capitals, of a few words ("AFRICA", "WORLD NEWS")."""
    return "\n" not in paragraph and len(paragraph.split()) <= 3 and paragraph.isupper()


def _is_heading(paragraph: str) -> bool:
    return "\n" not in paragraph and len(paragraph.split()) <= 25 and not _SENTENCE_END.search(paragraph)


# A line ending in a word's first syllables and a hyphen ("Tar-", "pro-"), the rest on the next line.
_BROKEN_WORD = re.compile(r"[^\W\d_]-$")


def _join_lines(paragraph: str) -> str:
    """Join a paragraph's wrapped lines into one, except where a line is a heading or a list item of its own
    (a "key dates" box: each item is one sentence, whatever punctuation it lacks)."""
    rows = paragraph.split("\n")
    # (two items at least: a wrapped line of prose may open with a dash)
    if sum(_is_item(row) for row in rows) < 2:
        return paragraph if _looks_like_lines(paragraph) else reduce(_unwrap, rows)
    out: list[str] = []
    for row in rows:
        if out and not _is_item(row):
            out[-1] = _unwrap(out[-1], row)
        else:
            out.append(row)
    return "\n".join(out)


def _unwrap(line: str, following: str) -> str:
    """Two wrapped lines as one: a word the break split with a hyphen is whole again (a typesetter's hyphen, not the
    writer's), else the lines are joined by a space.

    >>> _unwrap("met three times in Tar-", "sova on Monday"), _unwrap("the Lenby-", "Tarsova line")
    ('met three times in Tarsova on Monday', 'the Lenby- Tarsova line')
    """
    if _BROKEN_WORD.search(line) and following[:1].islower():
        return line[:-1] + following
    return line + " " + following


def _is_item(row: str) -> bool:
    return bool(_LIST_ITEM.match(row) or _FIGURE_ITEM.match(row))


def is_figure_item(line: str) -> bool:
    """Whether a line is a fact box's figure and what it counts, which reports as a sentence does, full stop or not.

    >>> is_figure_item("1,000 - prisoners freed by each side on 23-25 May")
    True
    >>> is_figure_item("under 2 hours - length of the first round")
    True
    >>> is_figure_item("Talks - the view from Lenby")
    False
    """
    return _FIGURE_ITEM.match(line) is not None


def _unwrapped(block: str) -> bool:
    """A block of several lines one of which is longer than any wrapped text writes: each line is a paragraph.

    >>> _unwrapped("Talks opened on Monday.\\n" + "The two sides agreed to meet again. " * 6)
    True
    >>> _unwrapped("Talks opened on Monday in Lenby and\\nended on Tuesday.")
    False
    """
    rows = block.split("\n")
    return len(rows) > 1 and any(len(row) > _WRAP_WIDTH for row in rows)


def _looks_like_lines(paragraph: str) -> bool:
    """Keep line breaks when a block is a list of headings rather than wrapped prose."""
    rows = paragraph.split("\n")
    return len(rows) > 1 and all(_is_heading(row) for row in rows)
