"""Clean stage: junk lines, header date, dateline and the reference date."""

from __future__ import annotations

from datetime import date

import pytest

from kg.clean import clean_document, is_junk, parse_published
from kg.records import Article, RawDocument, SkippedDocument

SCRAPED = """Sunday, July 27, 2025
spot_imgspot_img

LATEST

Related Posts

Envoys Meet Again in Geneva

GENEVA, July 23 — Delegations of the two sides met on Wednesday for a third round.

Share this:
Facebook
The talks lasted two hours.

Popular Articles"""


def test_scraped_page_is_cleaned() -> None:
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=SCRAPED))
    assert isinstance(article, Article)
    assert article.title == "Envoys Meet Again in Geneva"
    assert article.published == date(2025, 7, 27)
    # the dateline date beats the publication date; its year comes from the publication date
    assert article.reference_date == date(2025, 7, 23)
    assert article.dateline_place == "Geneva"
    assert article.text == "Delegations of the two sides met on Wednesday for a third round.\n\nThe talks lasted two hours."
    assert "spot_img" not in article.text and "Share" not in article.text



def test_a_markdown_link_reads_as_its_text_and_an_image_as_nothing() -> None:
    """A page saved as Markdown: "[said on Monday](https://...)" is the words it links, "![map](...)" nothing.
    (trap) Brackets that link nowhere ("[Translated from Vestan]", "(see [1])") are the text's own."""
    page = ("Published: 2031-06-10\n\nTalks resume\n\n"
            "Foreign Minister Ana Morales [said on Monday](https://example.org/news/2031/06/09) that the sides would meet "
            "again. ![A map of the border](/images/map.png)\n\n[Translated from Vestan] The talks (see [1]) resumed.")
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=page))
    assert isinstance(article, Article)
    assert "Ana Morales said on Monday that the sides would meet again." in article.text
    assert "example.org" not in article.text and "map" not in article.text
    assert "[Translated from Vestan] The talks (see [1]) resumed." in article.text


def test_html_character_references_left_in_a_text_are_read() -> None:
    """A scraped text or a JSON field that kept a page's "&amp;", "&#8217;" and "&nbsp;": the characters they stand
    for, so that "talks&nbsp;resumed" is two words.  (trap) A page's text, already read by its parser, is not read a
    second time: a page that shows "&lt;b&gt;" keeps it."""
    body = "Peru &amp; Chile&#8217;s talks&nbsp;resumed in Lima on Monday, the ministry said."
    for fmt in ("txt", "json"):
        article = clean_document(RawDocument(origin=f"x.{fmt}", format=fmt, text=body, published="2031-06-10",
                                             title="Talks"))
        assert isinstance(article, Article)
        assert article.text == "Peru & Chile\u2019s talks resumed in Lima on Monday, the ministry said."
    page = clean_document(RawDocument(origin="x.html", format="html", published="2031-06-10", title="Talks",
                                      text="Type &lt;b&gt; for bold, the ministry said of its site on Monday."))
    assert isinstance(page, Article) and "&lt;b&gt;" in page.text

def test_invisible_characters_inside_words_are_dropped() -> None:
    """A soft hyphen ("nego-tiations" with U+00AD), a zero-width space, a word joiner and a byte order mark hide the
    word they stand in; they go.  (trap) A zero-width joiner, which shapes a script's letters, stays."""
    body = ("Peru and Chile held nego\u00adtiations in Lima on Mon\u200bday\u2060, the \ufeffministry said. "
            "Its note was signed \u0645\u200d.")
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=body, published="2031-06-10",
                                         title="Talks"))
    assert isinstance(article, Article)
    assert article.text.startswith("Peru and Chile held negotiations in Lima on Monday, the ministry said.")
    assert "\u200d" in article.text


def test_dateline_year_nearest_to_publication() -> None:
    raw = RawDocument(origin="x.json", format="json", text="KABUL, Dec. 30 — Envoys met on Tuesday in the city.",
                      published="2026-01-02")
    article = clean_document(raw)
    assert isinstance(article, Article)
    assert article.reference_date == date(2025, 12, 30)


def test_published_line_in_wire_copy() -> None:
    text = "Ceasefire talks open\nPublished: Saturday 12 November 2022\n\nNAIROBI — Commanders met on Saturday to discuss it."
    article = clean_document(RawDocument(origin="w.txt", format="txt", text=text))
    assert isinstance(article, Article)
    assert article.published == date(2022, 11, 12) and article.reference_date == date(2022, 11, 12)


def test_a_date_line_under_a_masthead_dates_the_page() -> None:
    """A newsletter's or a ministry's page opens with a few heading lines before its date line."""
    brief = ("THE NORLAND COURIER\nWORLD IN BRIEF\nTuesday, 14 April 2026\nCompiled by the foreign desk.\n\n"
             "TARSOVA - Envoys of Norland and Vesta met on Monday for a second round.")
    article = clean_document(RawDocument(origin="b.txt", format="txt", text=brief))
    assert isinstance(article, Article) and article.published == date(2026, 4, 14)
    assert "2026" not in article.text
    statement = ("REPUBLIC OF VESTA\nMINISTRY OF FOREIGN AFFAIRS\nPress Department\n\nStatement No. 12/2026\n"
                 "Vesta City, 3 May 2026\n\nThe Ministry welcomes the second round of talks held on Friday.")
    article = clean_document(RawDocument(origin="s.txt", format="txt", text=statement))
    assert isinstance(article, Article) and article.published == date(2026, 5, 3)
    # the place, then a weekday or a month before the day
    for line in ("Vesta City, Sunday 3 May 2026", "Vesta City, May 3, 2026"):
        article = clean_document(RawDocument(origin="s.txt", format="txt", text=statement.replace(
            "Vesta City, 3 May 2026", line)))
        assert isinstance(article, Article) and article.published == date(2026, 5, 3), line


def test_a_labelled_date_line_dates_a_live_page() -> None:
    """A live page opens "LIVE — Monday 7 May 2029"; an updated one "Updated: 3 May 2026, 10:45"."""
    live = ("LIVE — Thursday 7 May 2026\nNorland–Vesta talks: day one\n\n09:05\nDelegations are arriving in "
            "Tarsova for the first round.")
    article = clean_document(RawDocument(origin="l.txt", format="txt", text=live))
    assert isinstance(article, Article) and article.published == date(2026, 5, 7)
    updated = "Updated: 3 May 2026, 10:45\nEnvoys Meet Again\n\nEnvoys of Norland and Vesta met on Sunday."
    article = clean_document(RawDocument(origin="u.txt", format="txt", text=updated))
    assert isinstance(article, Article) and article.published == date(2026, 5, 3)
    # a longer label, and a time zone after the time of day
    updated = ("Vesta Daily\nLast updated: Sunday 3 May 2026, 18:52 Vesta time\n\nEnvoys Meet Again\n\n"
               "Envoys of Norland and Vesta met on Sunday.")
    article = clean_document(RawDocument(origin="u.txt", format="txt", text=updated))
    assert isinstance(article, Article) and article.published == date(2026, 5, 3)
    # trap: a heading that holds a date among other words is no date line
    heading = "Talks end — 3 May 2026 is the date\nEnvoys of Norland and Vesta met on Sunday for a second round."
    assert isinstance(clean_document(RawDocument(origin="h.txt", format="txt", text=heading)), SkippedDocument)


def test_trap_a_date_line_after_the_body_has_begun_dates_nothing() -> None:
    text = ("Envoys Meet Again\nDelegations of Norland and Vesta met on Monday for a second round.\n"
            "Tuesday, 14 April 2026\nThe talks lasted two hours.")
    result = clean_document(RawDocument(origin="t.txt", format="txt", text=text))
    assert isinstance(result, SkippedDocument)


def test_no_date_at_all_is_skipped_with_a_fix() -> None:
    result = clean_document(RawDocument(origin="n.txt", format="txt", text="Officials met to talk about the border."))
    assert isinstance(result, SkippedDocument)
    assert "published" in result.reason


def test_parse_published_formats() -> None:
    assert parse_published("2025-07-15T08:30:00Z") == date(2025, 7, 15)
    assert parse_published("25.05.2025") == date(2025, 5, 25)
    assert parse_published("03.06.2025") == date(2025, 6, 3)  # dotted dates are day.month.year
    assert parse_published("June 3, 2025") == date(2025, 6, 3)
    assert parse_published("Mon, 21 Jul 2025 09:15:00 +0000") == date(2025, 7, 21)
    assert parse_published("soon") is None
    # a dotted date with its time of day and the zone or place the time is of
    assert parse_published("23.07.2026, 21:47 (Lenby hour)") == date(2026, 7, 23)
    assert parse_published("23.07.2026 the talks resumed") is None
    assert parse_published("24. 6. 2026 09:05") == date(2026, 6, 24)   # day.month.year, a space after each dot
    # traps: a time relative to the day the tool runs is no date of the article's
    assert parse_published("41 min") is None and parse_published("2 hours ago") is None


def test_junk_lines() -> None:
    assert is_junk("Related Posts") and is_junk("spot_imgspot_img") and is_junk("Subscribe to our newsletter")
    assert not is_junk("The delegations met in Istanbul.")
    assert not is_junk("Latest talks end without a deal.")
    # breadcrumbs and section banners are not headlines
    assert is_junk("Home | Analysis | Europe") and is_junk("News › World") and is_junk("Breaking News")
    assert not is_junk("Talks resume | The two sides met in Geneva on Monday after weeks of delay.")
    # a long section menu, and a consent banner that never says "cookie"
    assert is_junk("Home | Region | Nation | World | Money | Culture | Games | Weather | Notices")
    assert is_junk('Our partners and we keep and read information on your device. Press "Accept" to go on, '
                   'or "Manage settings" to choose. Accept | Manage settings')
    assert not is_junk("The two sides said they would manage the crossings jointly from Monday.")


def test_a_wiki_pages_footnotes_are_junk() -> None:
    # a reference list's entries name other pages' headlines, which report nothing of this page's own
    assert is_junk('^ "Talks in Lima slip to Friday". The Lenby Post. 2 May 2043.')
    assert is_junk('3. ^ a b "Chile and Peru sign a truce". Retrieved 4 May 2043.')
    # (trap: a numbered line or a caret that opens no quoted title is text)
    assert not is_junk('3. Chile and Peru signed a truce, the "first step" to peace, on May 4.')
    assert not is_junk("^ Talks resumed in Lima on Monday.")


def test_a_labelled_date_line_whose_time_names_what_it_is_of_dates_the_page() -> None:
    text = ("NORLAND RADIO | Evening News\nTranscript: Thursday 23 July 2026, 18:10 bulletin\n\n"
            "PRESENTER: The delegations of Norland and Vesta met in Tarsova last night.")
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text))
    assert not isinstance(article, SkippedDocument) and article.published == date(2026, 7, 23)


@pytest.mark.parametrize("line", ["Broadcast date: Saturday 16 May 2026, 13:00 to 13:30 (first segment)",
                                  "Air date: 16 May 2026", "Aired: Saturday, May 16, 2026 at 7 pm"])
def test_a_transcripts_broadcast_date_line_dates_it(line: str) -> None:
    text = (f"NORLAND RADIO | Weekend Briefing\n{line}\nPresenter: Ilse Pellwyn.\n\n"
            "PRESENTER: The delegations of Norland and Vesta met in Tarsova on Friday.")
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text))
    assert isinstance(article, Article) and article.published == date(2026, 5, 16), line
    assert line not in article.text


def test_trap_a_broadcast_mentioned_in_the_body_dates_nothing() -> None:
    text = ("Envoys Meet Again\nBroadcast on state radio, the address was short.\n\n"
            "The delegations of Norland and Vesta met in Tarsova on Friday.")
    assert isinstance(clean_document(RawDocument(origin="b.txt", format="txt", text=text)), SkippedDocument)


def test_a_date_line_under_a_menu_and_a_consent_banner_dates_the_page() -> None:
    text = ("THE VESTA EVENING POST\nSkip to content\n"
            "Home | Region | Nation | World | Money | Culture | Games | Weather\n"
            'Our partners and we keep and read information on your device to show you adverts and to measure our '
            'audience. Press "Accept" to go on, or "Manage settings" to choose. Accept | Manage settings\nLATEST\n'
            "Last updated: Saturday 16 May 2026, 09:20 BST\n\n"
            "No deal in Tarsova\n\nThe ministers of Norland and Vesta met in Tarsova on Friday.")
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text))
    assert not isinstance(article, SkippedDocument) and article.published == date(2026, 5, 16)


BODY = "\n\nThe ministers of Norland and Vesta met in Tarsova on Friday and agreed to meet again."


@pytest.mark.parametrize(("head", "day"), [
    # a podcast's release line, its length after a dot
    ("THE LENBY HOUR\nEpisode 9: Back to the table\nReleased: Wednesday, March 4, 2026 · 41 min", date(2026, 3, 4)),
    # an update stamp with no colon under a masthead, a section path and a headline
    ("VESTA DAILY\nWorld | Europe\nWhat to know about the Tarsova talks\nUpdated Tue 3 Mar 2026 06.15 GMT",
     date(2026, 3, 3)),
    # a labelled date followed by short notes on the page, under its title
    ("CHANNEL WATCH\nLenby digest, Tuesday, 3 March 2026. Sent at nine in the evening. Times are local.",
     date(2026, 3, 3)),
    # a page header converted from print, its columns apart
    ("[Converted from PDF, page 9]\n\nVESTA HOUSE OF DELEGATES          QUESTIONS          Thursday 5 March 2026"
     "          page 9", date(2026, 3, 5)),
])
def test_date_lines_of_podcasts_updates_digests_and_print_pages(head: str, day: date) -> None:
    article = clean_document(RawDocument(origin="p.txt", format="txt", text=head + BODY))
    assert not isinstance(article, SkippedDocument) and article.published == day


@pytest.mark.parametrize("head", [
    # a labelled date opening a sentence of the body: what follows it is no short note
    "Tarsova talks\nLenby digest, Tuesday, 3 March 2026. The ministers of Norland and Vesta met in Tarsova on Friday "
    "and agreed to meet again next month.",
    # the same print header with its gaps closed up: a heading that runs into the date
    "[Converted from PDF, page 9]\n\nVESTA HOUSE OF DELEGATES QUESTIONS Thursday 5 March 2026 page 9",
])
def test_trap_a_labelled_date_before_a_body_sentence_or_a_run_on_heading_dates_no_page(head: str) -> None:
    assert isinstance(clean_document(RawDocument(origin="p.txt", format="txt", text=head + BODY)), SkippedDocument)


def test_a_slashed_date_that_reads_both_ways_follows_the_months_the_text_names() -> None:
    """'04/03/2026' is April 3 in a US feed and 4 March elsewhere: the article's own dates decide."""
    text = "The delegations met in Geneva on March 2 and will meet again on 14 March. The talks were useful."
    march = clean_document(RawDocument(origin="a.json", format="json", text=text, published="04/03/2026"))
    assert march.published == date(2026, 3, 4)
    april = clean_document(RawDocument(origin="b.json", format="json", text=text.replace("March", "April"), published="04/03/2026"))
    assert april.published == date(2026, 4, 3)
    unsure = clean_document(RawDocument(origin="c.json", format="json", text="The talks were useful and may resume.",
                                        published="04/03/2026"))
    assert unsure.published == date(2026, 4, 3)    # no evidence: the parser's month-first reading


def test_a_slashed_date_that_reads_both_ways_follows_the_date_in_the_pages_address() -> None:
    """The address's year-first date outweighs the months the text names ('.../2026/03/04/...' is 4 March)."""
    text = "The delegations met in Geneva on April 2 and will meet again on 14 April."
    for url, day in (("https://news.example/2026/03/04/talks", date(2026, 3, 4)),
                     ("https://news.example/talks-2026-04-03.html", date(2026, 4, 3)),
                     # traps: an address with no date, or with another day, leaves the text to decide
                     ("https://news.example/talks", date(2026, 4, 3)),
                     ("https://news.example/2026/05/01/talks", date(2026, 4, 3))):
        article = clean_document(RawDocument(origin="a.json", format="json", text=text, published="04/03/2026", url=url))
        assert article.published == day, url


def test_a_slashed_date_that_reads_both_ways_follows_months_cut_short_too() -> None:
    """'09/08/2026': September 8 or 9 August; a text dating the monitors' arrival 'Aug. 7' was written in August. A word that
    only opens like a month ('5 junior aides') names none."""
    text = "Monitors from Lenby reached Corvo on Aug. 7 and began counting the guns on both banks."
    august = clean_document(RawDocument(origin="a.json", format="json", text=text, published="09/08/2026 14:10"))
    assert august.published == date(2026, 8, 9)
    aides = "Lenby freed 5 junior aides of the Vestan envoy on Friday, and the talks may resume."
    assert clean_document(RawDocument(origin="b.json", format="json", text=aides,
                                      published="03/06/2026")).published == date(2026, 3, 6)


def test_a_slashed_date_with_no_dated_month_follows_the_months_the_text_names_around_it() -> None:
    """'06/04/2026': June 4 or 6 April; a text naming what was signed in March and is due in May was written in
    April."""
    text = ("The ministers of Norland and Vesta met in Tarsova on Thursday to carry out what they signed in March. "
            "The next step is due in May.")
    april = clean_document(RawDocument(origin="a.json", format="json", text=text, published="06/04/2026"))
    assert april.published == date(2026, 4, 6)
    summer = text.replace("March", "July").replace("May", "August")
    assert clean_document(RawDocument(origin="b.json", format="json", text=summer,
                                      published="06/04/2026")).published == date(2026, 6, 4)


@pytest.mark.parametrize(("box", "kept"), [
    # bullets, one item wrapped onto a second line
    ("• 6 April — 60 detainees freed by each side at Osterby, the first of two\nstages\n"
     "• 24 April — Ana Morales gives the Front ten days to leave the road",
     "• 6 April — 60 detainees freed by each side at Osterby, the first of two stages\n"
     "• 24 April — Ana Morales gives the Front ten days to leave the road"),
    # no bullets: each item opens with its day or days and a dash or colon
    ("March 28-29 — First round in Lenby ends without agreement\n16 April: Vesta offers to mediate, as \"a\n"
     "neighbour\"\nMay 2 — Second round opens",
     "March 28-29 — First round in Lenby ends without agreement\n16 April: Vesta offers to mediate, as \"a neighbour\"\n"
     "May 2 — Second round opens"),
    # an item dated by a month, a part of one or a few words of time, after items dated by a day
    ("14 April – First round in Lenby.\nLate April – Vesta offers to mediate.\n2 May – Second round opens.\n"
     "May 2026 — The sides meet in Tarsova.\nThe following week – The sides swap 40 prisoners.",
     "14 April – First round in Lenby.\nLate April – Vesta offers to mediate.\n2 May – Second round opens.\n"
     "May 2026 — The sides meet in Tarsova.\nThe following week – The sides swap 40 prisoners."),
    # a fact box's figures, each with a dash and what it counts, among its days
    ("2 May - Second round opens in Lenby\n1,000 - prisoners freed by each side on 23-25 May\nunder 2 hours - length "
     "of the first round\n10 or 12 - days the mediator asked for\n24-48 - hours of pauses\n9 June - Third round opens",
     "2 May - Second round opens in Lenby\n1,000 - prisoners freed by each side on 23-25 May\nunder 2 hours - length "
     "of the first round\n10 or 12 - days the mediator asked for\n24-48 - hours of pauses\n9 June - Third round opens"),
    # (an item's wrapped line that opens with a number, no dash after it, is part of the item)
    ("May 2 — The second round opens; the sides free\n40 prisoners each in the evening\n9 June — Third round opens",
     "May 2 — The second round opens; the sides free 40 prisoners each in the evening\n9 June — Third round opens")])
def test_a_list_of_items_keeps_its_line_breaks(box: str, kept: str) -> None:
    """A "key dates" box: each item is a line of its own (a sentence), though it has no final punctuation."""
    text = ("Tarsova, Wednesday, May 20, 2026\n\nThe talks between Norland and the Vesta Front resume on Monday.\n\n"
            f"KEY DATES\n{box}")
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text, published="2026-05-20"))
    assert isinstance(article, Article)
    assert article.text.endswith(f"KEY DATES\n{kept}")


def test_trap_a_wrapped_line_opening_with_a_dash_is_prose() -> None:
    text = ("Tarsova, Wednesday, May 20, 2026\n\nThe talks between Norland and the Vesta Front, which resume on\n"
            "— if the weather allows — Monday, are the third.")
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text, published="2026-05-20"))
    assert isinstance(article, Article)
    assert "\n" not in article.text


def test_a_word_a_line_break_split_with_a_hyphen_is_whole_again() -> None:
    """A printed page's typesetter breaks words ("Li-" / "ma"): the joined text names Lima and the exchange
    again; a hyphen before a capital ("Chile-" / "Peru") is the writer's own and stays."""
    text = ("Lima, 31 July 2043\n\nSince May the delegations have met three times in Li-\nma. That ex-\n"
            "change was carried out in three stages on the Chile-\nPeru border.")
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text, published="2043-07-31"))
    assert isinstance(article, Article)
    assert article.text == ("Since May the delegations have met three times in Lima. That exchange was carried out in "
                            "three stages on the Chile- Peru border.")


def test_consent_banners_paywall_prompts_and_story_links_are_junk() -> None:
    page = """Monday, 9 March 2026
Our pages use cookies for statistics and ads. Settings | OK
WORLD

Norland and Vesta sign a truce

Norland and Vesta signed a truce in Tarsova on Sunday.

Read more: Who is Ana Morales? The woman behind the talks

Cookie settings: please choose before reading on. [Allow] [Refuse]

The truce takes effect at midnight.

You have read 3 of 3 stories allowed this week. Subscribe for full access."""
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=page))
    assert isinstance(article, Article)
    # (the section label above the headline is neither the title nor text)
    assert article.title == "Norland and Vesta sign a truce"
    assert article.text == "Norland and Vesta signed a truce in Tarsova on Sunday.\n\nThe truce takes effect at midnight."
    # a sentence about related talks, or with a colon, is no link
    assert not is_junk("Related talks resumed on Monday in Tarsova.")
    assert not is_junk("The envoy said the talks were related: both sides met on Monday.")


def test_a_page_with_a_paragraph_on_each_line_keeps_them_apart_and_drops_its_player_and_links() -> None:
    lede = ("Norland and Vesta signed a truce in Tarsova on Sunday after three days of talks hosted by the "
            "Lenby government, the first agreement between the two sides since the war began.")
    page = f"""≡ Menu  THE TARSOVA HERALD  🔍
Monday, 9 March 2026
Get the app for offline reading ›
Norland and Vesta sign a truce
Tap to unmute
▶ 1:15
Continue reading below
{lede}
You have 3 free stories left this week. Subscribe from €2 ›
The truce takes effect at midnight, the Vestan foreign ministry said in a statement issued on Sunday evening in Tarsova."""
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=page))
    assert isinstance(article, Article)
    assert article.title == "Norland and Vesta sign a truce"
    assert article.text.split("\n\n") == [lede, "The truce takes effect at midnight, the Vestan foreign ministry said "
                                                "in a statement issued on Sunday evening in Tarsova."]
    # traps: prose wrapped to a width is still one paragraph; a sentence ending in an arrow is kept
    wrapped = "Tarsova, 9 March 2026\n\nNorland and Vesta signed a truce in Tarsova on\nSunday after three days of talks."
    assert "\n" not in clean_document(RawDocument(origin="x.txt", format="txt", text=wrapped)).text
    assert not is_junk("Prices rose from 40 to 60 over the year, as the chart shows: 40 → 60 and rising at a steady pace")


def test_trap_prose_wrapped_before_a_day_with_no_dash_after_it_is_one_paragraph() -> None:
    text = "Tarsova, May 20, 2026\n\nThe two sides first met in Lenby on\nMay 16 after a week of contacts.\nThey met again."
    assert "\n" not in clean_document(RawDocument(origin="x.txt", format="txt", text=text, published="2026-05-20")).text


def test_a_date_line_under_a_search_box_or_after_a_label_and_a_comma_dates_the_page() -> None:
    page = "Tarsova Radio\nHome | Programmes | Archive\nSearch the archive...\n\nMonday, August 10, 2026\n\n" \
           "THE SIDE ROOM\n\nVesta and Norland met in Lenby on Friday to talk about the border."
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=page))
    assert isinstance(article, Article) and article.published == date(2026, 8, 10)
    page = "RADIO TARSOVA — MORNING DESK\nBroadcast transcript, Thursday, March 26, 2026\n\n" \
           "HOST: Vesta and Norland signed a truce in Lenby last night."
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=page))
    assert isinstance(article, Article) and article.published == date(2026, 3, 26)
    # traps: a search for something that is a sentence, and a dated sentence of the body, are kept as text
    assert not is_junk("Search teams found the missing crew on Monday...")
    assert clean_document(RawDocument(origin="x.txt", format="txt", text="Norland, Vesta\n\nTalks in Lenby, which "
                                      "opened on Thursday, March 26, 2026, ended.")).__class__ is SkippedDocument


def test_a_date_line_after_a_byline_or_with_its_time_after_a_bar_dates_the_page() -> None:
    body = "\n\nNorland and Vesta met in Lenby on Wednesday for a second round of talks on the border."
    for line in ("Ana Morales, Lenby correspondent · 12 March 2026", "Story by Ana Morales • 12 March 2026",
                 "12.03.2026 | 14:05"):
        article = clean_document(RawDocument(origin="x.txt", format="txt", text=f"Talks resume in Lenby\n{line}{body}"))
        assert isinstance(article, Article) and article.published == date(2026, 3, 12), line
    # trap: a byline with no date dates nothing
    article = clean_document(RawDocument(origin="x.txt", format="txt",
                                         text=f"Talks resume in Lenby\nStory by Ana Morales • Lenby desk{body}"))
    assert isinstance(article, SkippedDocument)


@pytest.mark.parametrize("lines", [
    "Tarsova Audio\nShows | Episodes | Sign in\n\nTHE SIDE ROOM\nEpisode 12 - An hour in Lenby\nPublished 2026/06/24 | 41 min",
    "Threadkeeper\nPaste a link to unroll...\nThread by Ana Morales, correspondent\n24/06/2026 21:40 · 10 posts · 4 min read",
    "Talks in Lenby\nPublished: 24. 6. 2026 09:05 | Updated: 24. 6. 2026 13:20",
    "LENBY PRESS AGENCY\nWednesday 24 June 2026 | 11:20 GMT | World\n\nURGENT",
    # the date in a later field, a weekday of another language before a numeric date, a broadcast's span of time,
    # a wiki page's last edit
    "THE LENBY REVIEW\nLong Read | World | Wednesday 24 June 2026 | 12 min read\nSubscribe | Sign in | Search",
    "LENBY GAZETESI | ENGLISH EDITION\nÇarşamba 24.06.2026 - 09:14 | Son güncelleme / Last update: 25.06.2026 - 11:02",
    "RADIO TARSOVA - NEWS AT SIX\nTranscript: Wednesday 24 June 2026, 06:00-06:08",
    # (a field of words before the date is a label, not what happened on it)
    "THE LENBY WEEKLY\nWorld desk digest | Wednesday, June 24, 2026\nForward to a friend | Unsubscribe",
    "Timeline of the Lenby talks\nFrom Tarsopedia, the free encyclopedia\nThis article documents a current event.\n"
    "This page was last edited on 24 June 2026, at 17:52 (UTC).",
    # (a field that is itself a labelled date)
    "THE LENBY HERALD\nRegion | Published Wednesday 24 June 2026 at 08:45 | Updated 13:10",
    # (a field that says how the page gives its times; a dash before the time of the last update; a labelled date
    # with fields too long for the label's reach, under a consent banner)
    "LENBY LIVE | World\nWednesday 24 June 2026 · All times Lenby (CEST) · Last update 19:05",
    "THE LENBY POST\nWednesday, June 24, 2026 — last updated 09:45 (Lenby time)",
    "THE LENBY POST\n\U0001F36A The Post and its 9 partners keep small files on this device to remember your settings, keep you "
    "signed in and measure readership across our sites. Continue? [Accept all] [Decline]\nAMP\nTalks resume\nBy Ana Morales\n"
    "Published June 24, 2026, 4:10 p.m. ET | Updated June 24, 2026, 7:35 p.m. ET",
    # (a byline before the date, the publication's name after it; a newsletter's tagline, a dash, then the date)
    "ANALYSIS\nThe Lenby track stalls\nBy Ana Morales | 24.06.2026, 08:15 | The Lenby Review",
    "THE TARSOVA BRIEF\nYour Wednesday digest from the north — 24 June 2026\nView in browser | Unsubscribe",
    # (a headline that asks a question above the byline; an English edition's date in its own language)
    "Ask the desk\nWhat did the Lenby round settle?\nBy Ana Morales | Wednesday 24 June 2026, 08:15 CET",
    "LENBY GAZETESI | English Edition\nDÜNYA / WORLD\nTalks resume in Lenby\n24 Haziran 2026 Çarşamba, 18:42",
    "LENBY ZEITUNG\nMittwoch, 24. Juni 2026",
    # (a masthead before the date, a note on the piece after it; fields parted by hyphens, as plain text writes dashes)
    "THE LENBY REVIEW | Wednesday, 24 June 2026 | Ten years on\nThe signing that never came: Tarsova, 24 June 2016",
    "WRITTEN QUESTIONS AND ANSWERS\nOfficial Report - Written Answers - Wednesday 24 June 2026\nDate tabled: 9 June 2026",
])
def test_a_date_in_one_of_a_lines_fields_or_after_a_label_dates_the_page(lines: str) -> None:
    text = lines + "\n\nNorland and Vesta met in Lenby on Wednesday for a second round of talks on the border."
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text))
    assert isinstance(article, Article) and article.published == date(2026, 6, 24)
    assert "Wednesday" in article.text and "Paste" not in article.text


def test_a_month_in_another_language_is_read_only_in_a_dates_shape() -> None:
    assert parse_published("24 de junio de 2026") == date(2026, 6, 24)
    assert parse_published("24 juin 2026, 09:10") == date(2026, 6, 24)
    # traps: words around a year, and a day and a word that are no month, are no date in any language
    assert parse_published("Talks in 2026 end") is None
    assert parse_published("Chapter 3 Peace 2026") is None
    assert parse_published("Monday 24 Lenby 2026") is None


def test_a_page_dated_only_in_its_footer_takes_that_date() -> None:
    """"Updated 3 days ago" at the top dates nothing; "Originally published June 24, 2026, 6:40 a.m. EDT" under the
    copyright line does (and a sentence that says where a piece was first printed is kept as text)."""
    text = ("Lenby Daily\nHome | News | World\nUpdated 3 days ago\n\nTalks resume in Lenby\n\n"
            "Norland and Vesta met in Lenby on Wednesday for a second round of talks on the border.\n\n"
            "Originally published in the Tarsova Review, this account has been shortened.\n\n"
            "© 2026 Lenby Daily Media Ltd. All rights reserved.\n"
            "Originally published June 24, 2026, 6:40 a.m. EDT\nTerms | Privacy | Contact us")
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text))
    assert isinstance(article, Article) and article.published == date(2026, 6, 24)
    assert "Tarsova Review" in article.text and "6:40" not in article.text


@pytest.mark.parametrize("entry", ["4 June 2026 | First round in Lenby", "4 June 2026 — First round in Lenby",
                                   "4 June 2026 - First round in Lenby",
                                   "4 June 2026 · Times of the talks set in Lenby",
                                   "Talks in Lenby — 4 June 2026 was the first day"])
def test_trap_a_chronologys_first_line_is_no_field_of_a_date_line(entry: str) -> None:
    """(nor is a stamp relative to the reader's clock a date line: it is junk; a field about the times of something
    else is no note of the page's times)"""
    assert is_junk("Posted 2 hours ago") and not is_junk("Posted 14:05")
    text = f"Key dates of the Lenby talks\nPublished: 9 June 2026\n\n{entry}\n\nNorland and Vesta met again in Lenby on Monday."
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text))
    assert isinstance(article, Article) and article.published == date(2026, 6, 9)
    assert entry.split(maxsplit=4)[-1] in article.text


@pytest.mark.parametrize("top, day", [
    # a statement's masthead, then where it was issued and its date
    ("PRESIDENCY OF NORLAND — PRESS OFFICE\nStatement issued at Lenby Palace, Thursday 27 October 2026\n"
     "(Unofficial translation. The original text alone is authoritative.)", date(2026, 10, 27)),
    # a ministry's number and date under a notice that is a sentence
    ("VESTA REVIEW\nDOCUMENTS DESK - unofficial translation\nIn case of discrepancy the original text prevails.\n\n"
     "No: 148, 02.06.2026", date(2026, 6, 2)),
    # a briefing note's labelled date, in columns as a PDF export leaves them
    # a release's number and, in a column after it, its date
    ("MINISTRY OF FOREIGN AFFAIRS OF NORLAND\nNo: 57                                    2 June 2026", date(2026, 6, 2)),
    ("LENBY POLICY UNIT                      OFFICIAL\nBriefing Note BN-26/31\n"
     "Date of issue: 5 June 2026            Europe desk            Page 1 of 2", date(2026, 6, 5)),
])
def test_a_line_that_says_where_or_under_what_number_a_page_was_issued_dates_it(top: str, day: date) -> None:
    text = top + "\n\nThe second meeting of the delegations of Norland and Vesta was held today in Lenby."
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text))
    assert isinstance(article, Article) and article.published == day
    assert "148" not in article.text and "Page 1" not in article.text and "second meeting" in article.text


def test_trap_an_issuing_line_once_the_body_has_begun_dates_nothing() -> None:
    """A line below the first long paragraph is part of the story (a statement it quotes, then another)."""
    text = ("Envoys Meet Again\nDelegations of Norland and Vesta met on Monday for a second round of talks on the "
            "border, the water of the river and the release of the fishermen held since the winter, officials said.\n"
            "Statement issued at Lenby Palace, 14 April 2026\nThe talks lasted two hours.")
    assert isinstance(clean_document(RawDocument(origin="t.txt", format="txt", text=text)), SkippedDocument)


NOTE = ("Translated from Vestan by the Lenby Monitoring Service. Agency report on a statement of the foreign ministry "
        "of Vesta on the recall of its envoy, whose wording the translation follows closely.")


@pytest.mark.parametrize("note, day", [
    # an editor's note in brackets between a headline and a statement's place and date is no body
    (f"[{NOTE}]", date(2026, 6, 24)),
    (f"({NOTE})", date(2026, 6, 24)),
    # trap: the same words as a paragraph of the story have begun its body
    (NOTE, None),
])
def test_an_editors_note_above_a_date_line_leaves_it_a_date_line(note: str, day: date | None) -> None:
    text = f"Vesta recalls its envoy\n{note}\nTarsova, 24 June 2026\n\nThe ministry said its envoy would return."
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=text))
    assert (article.published if isinstance(article, Article) else None) == day


def test_trap_a_place_and_date_before_a_dash_and_a_sentence_open_the_body() -> None:
    text = ("Published: 12 June 2026\nLenby, 12 June 2026 — The President of Norland has presided this Tuesday over the "
            "signing of the accord that ends the conflict fought since 1998.\n\nThe delegations left on Wednesday.")
    article = clean_document(RawDocument(origin="s.txt", format="txt", text=text))
    assert isinstance(article, Article) and article.published == date(2026, 6, 12)
    assert "presided this Tuesday" in article.text


def test_a_translated_wires_numeric_dateline_dates_it() -> None:
    """"Lenby/Tarsova, 24.06.2026 (LPA) — ": a place in ordinary capitals, two of them joined by a slash, and a numeric
    date with its year."""
    text = "Envoys argue over the swap\n\nLenby/Tarsova, 24.06.2026 (LPA) — The sides blamed each other on Tuesday."
    article = clean_document(RawDocument(origin="w.txt", format="txt", text=text))
    assert isinstance(article, Article) and article.published == date(2026, 6, 24)
    assert article.dateline_place == "Lenby/Tarsova" and article.text.startswith("The sides blamed")
    # trap: with no year, nothing says which 24 June
    assert isinstance(clean_document(RawDocument(origin="w.txt", format="txt", text=text.replace(".2026", "."))),
                      SkippedDocument)


def test_a_datelines_own_year_dates_a_wire_with_no_other_date() -> None:
    text = "Envoys swap prisoners\n\nLENBY, Norland, Aug. 19, 2026 (Tarsova Wire) - The sides exchanged prisoners on Wednesday."
    article = clean_document(RawDocument(origin="w.txt", format="txt", text=text))
    assert isinstance(article, Article) and article.published == article.reference_date == date(2026, 8, 19)
    assert article.dateline_place == "Lenby" and article.text.startswith("The sides exchanged")
    # trap: with no year, nothing says which August 19
    yearless = clean_document(RawDocument(origin="w.txt", format="txt", text=text.replace(", 2026", "")))
    assert isinstance(yearless, SkippedDocument)


def test_a_dated_byline_among_a_pages_heading_lines_is_furniture_though_the_page_is_dated() -> None:
    """"By Ana Morales | 24 June 2026, 09:10" under a dated masthead, a menu, a section label and the headline is
    no line of the body (left there, its day would be the first the body's account reaches); once the body has
    begun, a line of that shape is the body's."""
    head = "THE LENBY POST\nHome | World | Region\nWednesday, June 24, 2026\nWORLD\n\nTalks resume in Lenby\n\n"
    byline = "By Ana Morales | 24 June 2026, 09:10"
    body = "Norland and Vesta met in Lenby on Tuesday for a second round of talks on the border."
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=f"{head}{byline}\n\n{body}"))
    assert isinstance(article, Article) and article.published == date(2026, 6, 24)
    assert byline not in article.text and article.text.endswith(body)
    # trap: after a sentence of the body, the same line is the body's
    article = clean_document(RawDocument(origin="x.txt", format="txt", text=f"{head}{body}\n\n{byline}"))
    assert isinstance(article, Article) and byline in article.text
