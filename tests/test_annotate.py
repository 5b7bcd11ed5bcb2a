"""Annotate stage: sentences, gazetteer and pattern entities, within-article reference."""

from __future__ import annotations

from datetime import date

from kg.annotate import annotate
from kg.records import Article


def _article(text: str) -> Article:
    return Article(id="a", origin="t", title="t", text=text, published=date(2024, 3, 2),
                   reference_date=date(2024, 3, 2))


def _entities(text: str) -> list[tuple[str, str, str]]:
    annotated = annotate(_article(text))
    return [(e.text, e.key, e.kind) for s in annotated.sentences for e in s.entities]


def test_person_found_by_title_pattern_without_gazetteer() -> None:
    annotated = annotate(_article("Brazilian Foreign Minister Ana Morales met envoys. Morales said the talks went well."))
    people = [e for s in annotated.sentences for e in s.entities if e.kind == "person"]
    assert {e.key for e in people} == {"ana-morales"}
    first = people[0]
    assert first.title == "Foreign Minister" and first.affiliation == "brazil"
    # the later surname mention attaches to the same actor
    assert [e.text for e in people] == ["Ana Morales", "Morales"]


def test_people_found_by_military_and_international_titles() -> None:
    text = ("Field Marshal Tomas Erlend signed for the army. High Representative Ilse Marrow said the talks must go on. "
            "Director General Pavel Oru called his counterpart.")
    people = {e.key: e.title for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"}
    assert people == {"tomas-erlend": "Field Marshal", "ilse-marrow": "High Representative",
                      "pavel-oru": "Director General"}


def test_spokesperson_and_pronoun() -> None:
    text = "Ministry spokesperson Lena Kovacs briefed reporters. She said a round was possible."
    ents = _entities(text)
    assert ("Lena Kovacs", "lena-kovacs", "person") in ents
    assert ("She", "lena-kovacs", "person") in ents


def test_a_pronoun_skips_people_named_as_objects() -> None:
    text = ("Ministry spokesperson Lena Kovacs briefed reporters. Asked about a meeting between President Aurel Vask "
            "and Prime Minister Ilse Marrow, she said it could come later.")
    assert ("she", "lena-kovacs", "person") in _entities(text)


def test_name_before_reporting_verb_and_appositive() -> None:
    ents = _entities("Tomas Brandt, the head of the observer mission, told reporters the vote was calm.")
    assert ("Tomas Brandt", "tomas-brandt", "person") in ents


def test_capital_is_place_after_preposition_and_government_otherwise() -> None:
    ents = _entities("Officials met in Kyiv on Monday. Kyiv rejected the offer.")
    assert ("Kyiv", "kyiv", "place") in ents
    assert ("Kyiv", "ukraine", "country") in ents


def test_demonym_before_government_noun_is_the_country() -> None:
    ents = _entities("The Armenian delegation arrived, and Armenian children sang.")
    assert [e for e in ents if e[0] == "Armenian"] == [("Armenian", "armenia", "country")]


def test_unknown_venue_and_city() -> None:
    ents = _entities("The envoys met at the Villa Borsig in the city of Almaty.")
    kinds = {text: kind for text, _, kind in ents}
    assert kinds.get("Villa Borsig") == "place" and kinds.get("Almaty") == "place"


def test_sentences_do_not_run_across_headings() -> None:
    annotated = annotate(_article("Talks Resume\n\nThe delegations met on Friday. They agreed to meet again."))
    assert [s.sentence.text for s in annotated.sentences] == [
        "Talks Resume", "The delegations met on Friday.", "They agreed to meet again."]
    for s in annotated.sentences:
        assert annotated.article.text[s.sentence.start:s.sentence.end] == s.sentence.text


def test_unknown_state_and_organisation_by_their_form() -> None:
    text = ("Envoys of the Republic of Norland and the Vesta Hills Authority met in Corvo. "
            "The Norlandic delegation said Vesta Hills had agreed, while the Harbour Contact Group stayed silent. "
            "A Norland spokesman spoke in Norland.")
    ents = _entities(text)
    assert ("Republic of Norland", "norland", "country") in ents
    assert ("Vesta Hills Authority", "vesta-hills-authority", "organization") in ents
    assert ("Harbour Contact Group", "harbour-contact-group", "organization") in ents
    # later short forms and the demonym before a government noun are the same actors
    assert ("Norlandic", "norland", "country") in ents
    assert ("Vesta Hills", "vesta-hills-authority", "organization") in ents
    # ... but a short form after a place preposition is a place, as for known countries
    assert ents[-2:] == [("Norland", "norland", "country"), ("Norland", "norland", "place")]


def test_known_country_before_a_head_noun_is_an_affiliated_body() -> None:
    annotated = annotate(_article("The Armenian Army and the Russia Council met on Monday."))
    bodies = {e.text: e for s in annotated.sentences for e in s.entities if e.kind == "organization"}
    assert bodies["Russia Council"].affiliation == "russia"


def test_decade_is_not_the_year_it_starts_with() -> None:
    # "the late 1980s" names a decade: no time is read out of the middle of the word.
    article = _article("The two sides signed a truce in the late 1980s and met again on 3 June 2024.")
    times = [t.text for s in annotate(article).sentences for t in s.times]
    assert times == ["3 June 2024"]


def test_names_with_particles_and_hyphens() -> None:
    """'Majed al-Ansari', 'Mohammed bin Abdulrahman Al Thani', 'Ursula von der Leyen': one person each."""
    from datetime import date

    from kg.annotate import annotate
    from kg.records import Article

    text = ("Foreign ministry spokesman Majed al-Ansari said on Monday that talks continued. "
            "Prime Minister Mohammed bin Abdulrahman Al Thani said the gaps had narrowed. "
            "Commission President Ursula von der Leyen said the deal was historic.")
    day = date(2024, 6, 11)
    annotated = annotate(Article(id="t", origin="t", title="t", text=text, published=day, reference_date=day))
    people = {e.key for s in annotated.sentences for e in s.entities if e.kind == "person"}
    assert {"majed-al-ansari", "mohammed-bin-abdulrahman-al-thani", "ursula-von-der-leyen"} <= people
