"""Annotate stage: sentences, gazetteer and pattern entities, within-article reference."""

from __future__ import annotations

from datetime import date

import pytest

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


def test_an_honorific_introduces_a_person_but_is_no_title() -> None:
    text = ("The Minister of Foreign Affairs, Mr Aurel Vask, declared today that the round was over. "
            "Ms Morales presented a proposal. Dr. Tomas Erlend said the swap went well.")
    people = {e.key: e.title for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"}
    assert people == {"aurel-vask": None, "morales": None, "tomas-erlend": None}


def test_spokesperson_and_pronoun() -> None:
    text = "Ministry spokesperson Lena Kovacs briefed reporters. She said a round was possible."
    ents = _entities(text)
    assert ("Lena Kovacs", "lena-kovacs", "person") in ents
    assert ("She", "lena-kovacs", "person") in ents


def test_the_head_of_a_title_refers_back_to_its_subject() -> None:
    """"the president" after "Ana Morales, the President of Vesta": the one named as a subject, though a president
    named as an object stands nearer; not "the president of the assembly", someone else."""
    text = ("Ana Morales, the President of Vesta, wrote to Aurel Vask, the President of Norland, on Monday. "
            "The president gave Norland 50 days to withdraw. The president of the assembly said nothing.")
    referred = [(e.text, e.key) for e in annotate(_article(text)).sentences[1].entities if e.kind == "person"]
    assert referred == [("The president", "ana-morales")]
    assert [e.key for e in annotate(_article(text)).sentences[2].entities if e.kind == "person"] == []


def test_a_name_opening_a_sentence_is_its_subject_whatever_ended_the_last() -> None:
    """"... on Monday. Vask asked ...": the "on" of the sentence before does not make Vask its object, so "he" after
    it is Vask."""
    text = ("Lena Kovacs, the Foreign Minister of Vesta, met Aurel Vask in Lenby on Monday. Vask asked for a truce. "
            "He said the front was quiet.")
    assert ("He", "aurel-vask", "person") in _entities(text)


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


def test_a_capital_after_from_is_its_state_not_a_place() -> None:
    """"under pressure from Lima", "a delegation from Santiago": where someone comes from names who acts, not where
    the event is (a place is "in", "at", "near", "outside" or "to" it)."""
    ents = _entities("The talks took place under pressure from Lima. A delegation from Santiago arrived in La Paz.")
    assert ("Lima", "peru", "country") in ents and ("Lima", "lima", "place") not in ents
    assert ("Santiago", "chile", "country") in ents and ("Santiago", "santiago", "place") not in ents
    assert ("La Paz", "la-paz", "place") in ents


def test_a_capital_naming_an_accord_or_talks_is_where_they_were_held() -> None:
    """"the Asunción accord", "the Asunción talks": the city names where the event was signed or held, it is not its
    state acting; before any other word it still stands for the state."""
    ents = _entities("Both sides still stand by the Asunción accord of 2013. The Asunción talks resume on Monday. "
                     "Asunción rejected the accord.")
    assert [e for e in ents if e[0] == "Asunción"] == [("Asunción", "asuncion", "place"),
                                                         ("Asunción", "asuncion", "place"),
                                                         ("Asunción", "paraguay", "country")]


def test_demonym_before_government_noun_is_the_country() -> None:
    ents = _entities("The Armenian delegation arrived, and Armenian children sang.")
    assert [e for e in ents if e[0] == "Armenian"] == [("Armenian", "armenia", "country")]


def test_unknown_venue_and_city() -> None:
    ents = _entities("The envoys met at the Villa Borsig in the city of Almaty.")
    kinds = {text: kind for text, _, kind in ents}
    assert kinds.get("Villa Borsig") == "place" and kinds.get("Almaty") == "place"


def test_a_language_after_in_is_no_place_but_a_town_there_is() -> None:
    ents = _entities("The envoys signed the text in English and Swahili, then flew home in Osterby.")
    places = {text for text, _, kind in ents if kind == "place"}
    assert places == {"Osterby"}


def test_sentences_do_not_run_across_headings() -> None:
    annotated = annotate(_article("Talks Resume\n\nThe delegations met on Friday. They agreed to meet again."))
    assert [s.sentence.text for s in annotated.sentences] == [
        "Talks Resume", "The delegations met on Friday.", "They agreed to meet again."]
    for s in annotated.sentences:
        assert annotated.article.text[s.sentence.start:s.sentence.end] == s.sentence.text


@pytest.mark.parametrize("text, sentences", [
    ("The sides agreed on a swap. (The report concerns an invented process.)",
     ["The sides agreed on a swap.", "(The report concerns an invented process.)"]),
    ("Vask spoke last. \u201cWe will return,\u201d she said.",
     ["Vask spoke last.", "\u201cWe will return,\u201d she said."]),
    # (what closes a sentence stays with it: a closing quotation mark or bracket)
    ("He called it \u201cthe end.\u201d Talks resume on Monday.",
     ["He called it \u201cthe end.\u201d", "Talks resume on Monday."]),
    ("The round ended (after two days.) Vask left.", ["The round ended (after two days.)", "Vask left."]),
])
def test_an_opening_bracket_or_quotation_mark_after_a_sentence_starts_the_next(text: str,
                                                                              sentences: list[str]) -> None:
    annotated = annotate(_article(text))
    assert [s.sentence.text for s in annotated.sentences] == sentences


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


def test_a_head_noun_before_of_and_a_name_is_an_organisation() -> None:
    """"the Compact of the Calder Hills": a head noun after "the" with "of" and a capitalised name names a body, and
    "the Compact" is it later; not a state prefix ("the Union of ...") nor a head before a lower-case word."""
    text = ("The Compact of the Calder Hills threatened on Tuesday to freeze the assets of both sides. "
            "The Compact's envoy said so. The Commission of inquiry met on Monday. "
            "Talks were brokered by the Community of San Telmo.")
    ents = _entities(text)
    assert ("Compact of the Calder Hills", "compact-of-the-calder-hills", "organization") in ents
    assert ("Compact", "compact-of-the-calder-hills", "organization") in ents
    assert ("Community of San Telmo", "community-of-san-telmo", "organization") in ents
    assert not any(text.startswith("Commission") for text, _, _ in ents)
    ents = _entities("The Union of the Inner Seas said on Monday that talks would resume.")
    assert not any(text == "Union of the Inner Seas" and kind == "organization" for text, _, kind in ents)


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


def test_a_surname_opening_with_a_particle_is_the_person_again() -> None:
    """"al-Haddan gave Chile 30 days", "Al-Haddan said", "De Lerbeke replied": the surname with its particle, in
    either case, is the person named in full before it."""
    text = ("President Samir al-Haddan of Peru arrived on Monday with Foreign Minister Joost de Lerbeke. "
            "On May 8 al-Haddan gave Chile 30 days to withdraw. Al-Haddan said the term stands. "
            "De Lerbeke said nothing. Its leaders hid in al-Qaeda's old camps.")
    people = [(e.text, e.key) for e in _mentions(text) if e.kind == "person"]
    assert ("al-Haddan", "samir-al-haddan") in people and ("Al-Haddan", "samir-al-haddan") in people
    assert ("De Lerbeke", "joost-de-lerbeke") in people
    # trap: the particle before another name is no one's
    assert [text for text, key in people if key == "samir-al-haddan"] == ["Samir al-Haddan", "al-Haddan", "Al-Haddan"]


# -- states and armed groups no gazetteer knows -------------------------------------------------------------
def _mentions(text: str) -> list:
    return [e for s in annotate(_article(text)).sentences for e in s.entities]


def test_a_name_the_article_also_writes_as_its_demonym_is_a_state() -> None:
    """"Brennalian shells ... Brennal never answered": a name written mid-sentence and as its demonym is a state
    wherever it stands; not a person's name word, nor a name written only at the start of sentences."""
    text = ("What did Brennal announce on Saturday? Brennalian shells landed on Dremm overnight. "
            "Either Brennal settled something with the Front, or it did not. Brennal never answered it.")
    ents = [(e.text, e.key, e.kind) for e in _mentions(text)]
    assert ents.count(("Brennal", "brennal", "country")) == 3
    # traps: a surname with an adjective of its own, a word only ever opening a sentence
    text = ("President Ivo Marl spoke on Monday. The Marlian reforms were popular, said Ivo Marl. "
            "Corrin opened its port. Corrinian fishermen were glad.")
    kinds = {(e.text, e.kind) for e in _mentions(text)}
    assert ("Marl", "country") not in kinds and ("Corrin", "country") not in kinds


def test_demonym_before_a_title_names_the_country_the_article_names() -> None:
    text = ("Vestan President Ivo Marl arrived on Monday. The Vestan delegation asked for a recess. "
            "Vesta has long rejected the plan.")
    ents = _mentions(text)
    marl = next(e for e in ents if e.key == "ivo-marl")
    assert marl.affiliation == "vesta"
    assert ("Vestan", "vesta", "country") in [(e.text, e.key, e.kind) for e in ents]
    assert ("Vesta", "vesta", "country") in [(e.text, e.key, e.kind) for e in ents]


def test_a_demonym_whose_country_is_never_named_invents_no_state() -> None:
    ents = _mentions("Ostmarkish President Lena Kurz spoke. Then President Ivo Marl replied.")
    assert not [e for e in ents if e.kind == "country"]
    assert {e.key: e.affiliation for e in ents if e.kind == "person"} == {"lena-kurz": None, "ivo-marl": None}


def test_possessive_before_a_government_noun_or_title_is_a_state_but_not_a_person() -> None:
    text = ("Foreign Minister Ana Morales arrived. Morales's delegation stayed in the hotel, while "
            "Norland's chief negotiator Petr Hal met the press. Today's delegation was smaller.")
    ents = _mentions(text)
    countries = {(e.text, e.key) for e in ents if e.kind == "country"}
    assert countries == {("Norland", "norland")}
    assert next(e for e in ents if e.key == "petr-hal").affiliation == "norland"


def test_between_two_single_names_are_states_not_people_or_known_places() -> None:
    text = ("Talks between Norland and Vesta resumed on Monday, and a meeting between Ana Morales and Ilse Marrow "
            "followed. Flights between Geneva and Corvo were cut.")
    ents = _mentions(text)
    assert {e.key for e in ents if e.kind == "country"} == {"norland", "vesta"}
    assert {"ana-morales", "ilse-marrow"} <= {e.key for e in ents if e.kind == "person"}


def test_coordinated_names_before_a_pact_verb_are_states_unless_only_ever_sentence_initial() -> None:
    # a sentence-initial name counts when the article also writes it mid-sentence ("hosted by Norland")
    ents = _mentions("Norland and Vesta signed a truce in talks hosted by Norland. Delegates and Observers met in Corvo.")
    assert {e.key for e in ents if e.kind == "country"} == {"norland", "vesta"}


def test_government_of_and_which_slots_name_states() -> None:
    text = ("Negotiators for the government of Norland met in Corvo. President Ivo Marl of Dorland said talks "
            "would go on. The offer came from Vesta, which hosts the talks; Corvo, which lies on the coast, is calm.")
    ents = _mentions(text)
    assert {e.key for e in ents if e.kind == "country"} == {"norland", "dorland", "vesta"}


def test_organisation_with_a_possessive_inside_and_its_later_short_forms() -> None:
    text = ("The Kell Valley People's Army (KVPA) and the Harbour Liberation Front met on Monday. "
            "The Front said the KVPA's envoy would attend. The Inland Lakes Council mediated, and the council "
            "said it was hopeful.")
    ents = [(e.text, e.key, e.kind) for e in _mentions(text)]
    assert ("Kell Valley People's Army", "kell-valley-peoples-army", "organization") in ents
    assert [t for t, k, _ in ents if k == "kell-valley-peoples-army"] == ["Kell Valley People's Army", "KVPA", "KVPA"]
    assert ("Front", "harbour-liberation-front", "organization") in ents
    assert ("council", "inland-lakes-council", "organization") in ents
    # any other possessor owns the body; and "the council" with two councils named refers to neither
    ents = [(e.text, e.key) for e in _mentions("Norland's Security Council and the Inland Lakes Council met. "
                                                "The council said nothing.")]
    assert ("Security Council", "security-council") in ents and not [t for t, _ in ents if t == "council"]


def test_a_name_after_the_is_an_organisation_not_a_person() -> None:
    text = ("The Northern Concord says it will wait. The Harbour Pact, a regional bloc of six states, threatened "
            "sanctions.")
    kinds = {e.text: e.kind for e in _mentions(text)}
    assert kinds == {"Northern Concord": "organization", "Harbour Pact": "organization"}


def test_speaker_in_an_appositive_with_a_possessive_title() -> None:
    ents = _mentions("Ivo Marl, Vesta's chief negotiator, told reporters the plan was fair.")
    assert ("Ivo Marl", "person") in [(e.text, e.kind) for e in ents]


def test_a_grand_duchy_is_a_state_and_its_short_name_refers_to_it() -> None:
    text = "Talks were mediated by the Grand Duchy of Ostmark in March. Ostmark's envoy presented a plan."
    assert ("Grand Duchy of Ostmark", "ostmark", "country") in _entities(text)


def test_a_two_word_title_wins_over_a_name_starting_with_a_title_word() -> None:
    people = {e.name: e.title for s in annotate(_article("Vask spoke with the alliance's Secretary General Ilse Marrow.")).sentences
              for e in s.entities if e.kind == "person"}
    assert people.get("Ilse Marrow") == "Secretary General" and "General Ilse Marrow" not in people


def test_a_title_then_the_name_between_commas() -> None:
    people = {e.key: e.title for s in annotate(_article("Its spokesman, Pell Auster, said the handover was over.")).sentences
              for e in s.entities if e.kind == "person"}
    assert people == {"pell-auster": "spokesman"}


def test_an_initial_before_a_titled_name_is_part_of_it_and_a_sentence_adverb_is_not() -> None:
    """Translated copy writes 'Foreign Minister A. Vask'; a later 'Vask' (after 'Later') is the same person."""
    keys = [(e.text, e.key) for e in (m for s in annotate(_article(
        "Foreign Minister A. Vask said on Monday that the talks were useful. Later Vask said more.")).sentences
        for m in s.entities) if e.kind == "person"]
    assert keys == [("A. Vask", "a-vask"), ("Vask", "a-vask")]


def test_minister_of_a_portfolio_is_a_title() -> None:
    text = "The delegation will be led by Deputy Minister of Foreign Affairs Tomas Brek and Minister of Defence Ilse Marrow."
    people = {e.key: e.title for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"}
    assert people == {"tomas-brek": "Deputy Minister of Foreign Affairs", "ilse-marrow": "Minister of Defence"}


def test_a_capital_introduced_by_an_apposition_stands_for_its_state_unless_it_is_a_place() -> None:
    text = ("Tarsova, the Vestan capital, rejected the offer on Monday. Vesta has asked for more time. "
            "Envoys met in Tarsova on Tuesday, and Tarsova turned the plan down. "
            "Korvik, the capital of Norland, agreed. The Ostrian capital, Lemsa, stayed silent.")
    ents = [(e.text, e.key, e.kind) for e in _mentions(text)]
    assert [(k, kind) for t, k, kind in ents if t == "Tarsova"] == [
        ("vesta", "country"), ("tarsova", "place"), ("vesta", "country")]
    assert ("Korvik", "norland", "country") in ents
    # a demonym whose country the article never names makes no state of its capital
    assert not [e for e in ents if e[0] == "Lemsa" and e[2] == "country"]


def test_a_hyphenated_given_name_keeps_its_lower_case_end_but_a_compound_does_not() -> None:
    people = {e.key for s in annotate(_article(
        "President Park Min-jun met a Vask-led team on Monday. Park Min-jun said the talks went well.")).sentences
        for e in s.entities if e.kind == "person"}
    assert people == {"park-min-jun"}


def test_an_unknown_acronym_after_the_is_an_organisation_unless_it_abbreviates_a_named_body() -> None:
    found = {(e.text, e.key, e.kind) for e in (m for s in annotate(_article(
        "The NRF declared a truce on Monday. The Harbour Basin Community (HBC) welcomed it, and the HBC sent monitors. "
        "The GDP figures were poor.")).sentences for m in s.entities)}
    assert ("NRF", "nrf", "organization") in found
    assert ("HBC", "harbour-basin-community", "organization") in found
    assert not any(text == "GDP" for text, _, _ in found)


def test_review_traps_all_capitals_a_province_capital_and_a_compound_name_make_no_actor() -> None:
    found = _entities("UPDATE: THE TALKS BETWEEN NORLAND AND VESTA ENDED. Tarsova, the capital of Velm province, "
                      "was calm. Tarsova rejected the offer. They met Tarsova-armed groups.")
    assert not any(kind in ("country", "organization", "person") for _, _, kind in found), found


# -- the gazetteer's countries and bodies: names that are also given names, words or parts of longer names --------------

def test_a_country_or_capital_as_a_given_name_is_a_person_but_alone_it_is_the_country() -> None:
    ents = _entities("Talks between Chad Morales and Ana Ruiz resumed. Sofia Vask met the envoy.")
    assert ("Chad Morales", "chad-morales", "person") in ents and ("Ana Ruiz", "ana-ruiz", "person") in ents
    assert ("Sofia Vask", "sofia-vask", "person") in ents
    assert not any(kind == "country" for _, _, kind in ents), ents
    assert ("Chad Morales", "chad-morales", "person") in _entities("Chad Morales, the envoy, said the talks would resume.")
    assert _entities("Chad and Sudan signed a border accord on Monday.") == [
        ("Chad", "chad", "country"), ("Sudan", "sudan", "country")]
    # trap: a longer gazetteer name that starts with a country's is no person ("Niger Delta" is a region)
    assert _entities("Talks with Niger Delta militants resumed.") == [("Niger Delta", "niger-delta", "place")]


def test_look_alike_countries_and_names_inside_longer_names_keep_apart() -> None:
    keys = [key for _, key, _ in _entities(
        "Dominica and the Dominican Republic signed, as did Niger and Nigeria. Congo-Brazzaville, Congo, "
        "Guinea-Bissau, Equatorial Guinea, Papua New Guinea and Guinea met on the Gulf of Guinea. "
        "Officials from New Mexico, Northern Ireland and Benin City came.")]
    assert keys == ["dominica", "dominican-republic", "niger", "nigeria", "republic-of-the-congo", "dr-congo",
                    "guinea-bissau", "equatorial-guinea", "papua-new-guinea", "guinea", "gulf-of-guinea",
                    "new-mexico", "northern-ireland", "benin-city"]


def test_the_last_word_of_a_known_demonym_is_no_state_of_its_own() -> None:
    # "Lankan" before a title, with "Lanka" written in "Sri Lanka", must not found a state "Lanka"
    assert _entities("Ana Morales met a Sri Lankan leader on Monday. Vesta later held games with Sri Lanka.") == [
        ("Ana Morales", "ana-morales", "person"), ("Sri Lanka", "sri-lanka", "country")]
    # trap: an unknown demonym before a title still founds its state when the article names it
    assert ("Brennal", "brennal", "country") in _entities(
        "Brennalan President Aurel Vask arrived on Monday. Brennal and Vesta then signed.")


def test_a_capital_that_is_a_common_word_or_name_stands_for_nothing_but_an_unambiguous_one_does() -> None:
    assert _entities("Male voters backed the deal. Victoria Morales said it was close.") == [
        ("Victoria Morales", "victoria-morales", "person")]
    assert ("Malé", "male", "place") in _entities("The talks were held in Malé.")
    assert _entities("N'Djamena rejected the proposal. Envoys met in N'Djamena.") == [
        ("N'Djamena", "chad", "country"), ("N'Djamena", "ndjamena", "place")]
    assert ("Chadian", "chad", "country") in _entities("The Chadian delegation arrived.")
    # a city-state is its own capital: a place after a place preposition, the state elsewhere
    assert _entities("Envoys met in Singapore. Singapore mediated.") == [
        ("Singapore", "singapore", "place"), ("Singapore", "singapore", "country")]


def test_intergovernmental_bodies_are_one_actor_each() -> None:
    ents = _entities("The U.N. Security Council and ECOWAS threatened sanctions; the African Union mediated.")
    assert ents == [("U.N. Security Council", "united-nations-security-council", "organization"),
                    ("ECOWAS", "economic-community-of-west-african-states", "organization"),
                    ("the African Union", "african-union", "organization")]


def test_a_plural_title_before_coordinated_names_titles_each() -> None:
    text = ("Foreign ministers Ana Morales and Aurel Vask met in Tarsova on May 4. "
            "Presidents Otto Brandt, Lena Vasko and Ivo Marr signed the accord.")
    people = {e.key: e.title for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"}
    assert people == {"ana-morales": "Foreign Minister", "aurel-vask": "Foreign Minister", "otto-brandt": "President",
                      "lena-vasko": "President", "ivo-marr": "President"}
    # trap: a plural title before one name gives it no title; before no name it introduces nobody
    text = "Foreign ministers Ana Morales met. The presidents of Norland agreed."
    people = [e for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"]
    assert [(e.key, e.title) for e in people] == [("ana-morales", None)]


def test_a_titled_appositive_names_a_person_before_any_verb() -> None:
    text = ("Runa Halvik, Vesta's special envoy, walked the corridor. Oda Brenner, the president, gave "
            "Norland a week. Lina Sorel and Renko Dovic, the foreign ministers of Norland and Vesta, sat down.")
    ents = _entities(text)
    for person in ("runa-halvik", "oda-brenner", "lina-sorel", "renko-dovic"):
        assert any(key == person and kind == "person" for _, key, kind in ents), person
    assert ("Norland", "norland", "country") in ents and ("Vesta", "vesta", "country") in ents
    # traps: an appositive without a title word, or a lone word before it, names no person
    ents = _entities("Port Anselm, the largest city, was calm. On Monday, the envoy, arrived late.")
    assert not [e for e in ents if e[2] == "person"]


def test_a_capital_introduced_after_a_place_preposition_is_there_a_place() -> None:
    text = ("The delegations of Norland and Vesta met in the Tamberian capital, Lisk, on May 9. Tamberia urged calm. "
            "Lisk said the talks went well.")
    ents = _entities(text)
    assert ("Norland", "norland", "country") in ents and ("Vesta", "vesta", "country") in ents
    assert [(t, k) for t, k, kind in ents if t == "Lisk"] == [("Lisk", "lisk"), ("Lisk", "tamberia")]
    # trap: the same apposition as a subject stands for the state
    ents = _entities("The Tamberian capital, Lisk, urged calm. Tamberia hosts the talks.")
    assert ("Lisk", "tamberia", "country") in ents


def test_a_title_with_its_body_before_the_name_between_commas() -> None:
    text = ("The chairman of the Vesta Hills People's Army, Ruslan Dovic, signed the accord. "
            "Amara Lisk, special envoy of the Northern Straits Council, a regional bloc, mediated. "
            "On Friday Omar al-Senn, an assistant commander-in-chief of the army, had warned. "
            "The chairman said later that the truce would hold.")
    people = [(e.text, e.key, e.title) for s in annotate(_article(text)).sentences for e in s.entities
              if e.kind == "person"]
    assert people == [("Ruslan Dovic", "ruslan-dovic", "chairman"),
                      ("Amara Lisk", "amara-lisk", "special envoy of the Northern Straits Council"),
                      ("Omar al-Senn", "omar-al-senn", "assistant commander-in-chief of the army"),
                      ("The chairman", "ruslan-dovic", "chairman")]
    assert ("Vesta Hills People's Army", "vesta-hills-peoples-army", "organization") in _entities(text)
    # traps: "Secretary of State X said" keeps its longer title; a sentence-level clause is no body
    people = {e.key: e.title for s in annotate(_article(
        "The relief will be reversed, Secretary of State Ana Vask said in a statement, adding more. "
        "The head of the army, in a rare move, resigned.")).sentences for e in s.entities if e.kind == "person"}
    assert people == {"ana-vask": "Secretary of State"}


def test_a_leader_is_a_title_and_a_lone_surname_is_the_person_named_in_full() -> None:
    text = ("President Korran extends deadline\nThe President of the Republic, Ilse Korran, extended the deadline. "
            "The rebels' long-time leader Tomas Brandt signed in 2014. Brandt died in 2018.")
    people = [(e.text, e.key) for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"]
    assert people == [("Korran", "ilse-korran"), ("The President", "ilse-korran"),
                      ("Ilse Korran", "ilse-korran"), ("Tomas Brandt", "tomas-brandt"),
                      ("Brandt", "tomas-brandt")]
    # trap: a person the gazetteer knows keeps its own id, whoever shares the surname
    people = {e.text: e.key for s in annotate(_article("President Putin spoke. Later Ana Putin said no.")).sentences
              for e in s.entities if e.kind == "person"}
    assert people["President Putin"] == "vladimir-putin"


def test_a_one_word_name_given_a_title_is_that_person_again_alone() -> None:
    text = "King Vasko of Norland signed the accord on Tuesday. At the signing, Vasko said the war was over."
    people = [(e.text, e.key) for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"]
    assert people == [("Vasko", "vasko"), ("Vasko", "vasko")]


def test_a_defined_term_is_the_actor_it_is_defined_as() -> None:
    text = ('In this Annex, "the Claimant" means the Republic of Norland. The Kingdom of Vesta (hereinafter "the '
            'Defendant") denies it. On 2 May 2026 the Claimant released six soldiers of the Defendant\'s army.')
    ents = [(t, k) for t, k, kind in _entities(text) if kind == "country"]
    assert ("Claimant", "norland") in ents and ("Defendant", "vesta") in ents
    assert ("Defendant", "vesta") == ents[-1] and ("Claimant", "norland") == ents[-2]
    # trap: a term defined as something that is no actor ('the Protocol ("the Kell Protocol")') maps nothing
    text = ('On 11 May 2026 the Parties signed a Protocol on Detained Persons ("the Kell Protocol"). '
            'The Kell Protocol was breached.')
    assert not [e for e in _entities(text) if e[0] == "Kell Protocol" and e[2] != "organization"]


def test_a_name_spelled_out_before_its_acronym_is_an_organisation() -> None:
    text = ("The truce holds under the auspices of the Union of the Vardic Seas (UVS). "
            "The UVS warned on Tuesday that it would impose an arms embargo.")
    assert [(t, k) for t, k, kind in _entities(text) if kind == "organization"] == \
        [("Union of the Vardic Seas", "union-of-the-vardic-seas"), ("UVS", "union-of-the-vardic-seas"),
         ("UVS", "union-of-the-vardic-seas")]
    # traps: a state's own ministry, or letters that are not the name's initials, make no body
    ents = _entities("The Ministry of Foreign Affairs (MFA) said so. The Office of the Envoy (XYZ) agreed.")
    assert not [e for e in ents if e[2] == "organization"]


def test_an_acronym_of_another_languages_word_order_still_spells_out_its_name() -> None:
    """"the Liberation Front of Kessary (FLK)": the initials in the order of the language the acronym was made in are
    the name's too, and the acronym refers to it later; not two letters, nor letters that are not the initials."""
    text = ("The government signed the accord with the Liberation Front of Kessary (FLK) on Tuesday. "
            "The FLK said it would hand over its weapons.")
    assert [(t, k) for t, k, kind in _entities(text) if kind == "organization"] == \
        [("Liberation Front of Kessary", "liberation-front-of-kessary"), ("FLK", "liberation-front-of-kessary"),
         ("FLK", "liberation-front-of-kessary")]
    # traps: letters that are not the name's initials in any order, and two letters swapped, make no body
    ents = _entities("The Office of the Northern Envoy (ENX) said so. The Pellam Watch (WP) agreed.")
    assert not [e for e in ents if e[2] == "organization"]


def test_a_known_countrys_possessive_before_a_two_word_name_introduces_its_person() -> None:
    people = [(e.text, e.key, e.affiliation) for s in annotate(_article(
        "The talks ended with Turkey's Lale Demir as host.")).sentences for e in s.entities]
    assert people == [("Lale Demir", "lale-demir", "turkey")]
    # traps: a body or a place after the possessive, or an unknown owner, is no person
    ents = _entities("Turkey's Black Sea coast is calm. Russia's Central Bank acted. Vesta's Ana Morales spoke.")
    assert not [e for e in ents if e[2] == "person"]


def test_a_name_whose_surname_alone_speaks_later_is_a_person() -> None:
    text = ("The deal freed Ana Brik but not Paul Wheeler, a former sailor held since 2018. "
            "Wheeler, left behind once more, told reporters he was angry.")
    people = [(e.text, e.key) for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"]
    assert people == [("Paul Wheeler", "paul-wheeler"), ("Wheeler", "paul-wheeler"), ("he", "paul-wheeler")]
    # traps: plural nouns before the verb, or a body's name, make nobody a person
    text = ("Officials said the Vellin Liberation Front had agreed. Analysts told reporters the Front said no. "
            "The deal freed Ana Brik.")
    assert not [e for e in _entities(text) if e[2] == "person"]
    # trap: a country before a known person's initialled name is no given name of a new one
    ents = _entities("The President of Colombia G. Petro informed that the parties agreed.")
    assert [(t, k) for t, k, kind in ents if kind == "person"] == [("G. Petro", "gustavo-petro")]


def test_a_family_name_written_first_speaks_alone_for_the_person_named_with_it() -> None:
    people = [(t, k) for t, k, kind in _entities("The talks were led by Lin Haoran. Lin said the gap was narrow.")
              if kind == "person"]
    assert people == [("Lin Haoran", "lin-haoran"), ("Lin", "lin-haoran")]
    # of two people named with it, the one named last before it; a full name written again is the whole name
    text = "The talks were led by Lin Haoran and Lin Mei. On Friday Lin Mei flew home. Lin said the gap was narrow."
    assert [(t, k) for t, k, kind in _entities(text) if kind == "person"][2:] == [("Lin Mei", "lin-mei"),
                                                                                   ("Lin", "lin-mei")]
    # traps: the first word alone but not speaking, or a word the gazetteer knows (a country), is not the person
    assert [t for t, _, kind in _entities("The talks were led by Lin Haoran. Lin was calm.") if kind == "person"] == \
        ["Lin Haoran"]
    assert ("Jordan", "jordan", "country") in _entities("The talks were led by Jordan Vask. Jordan said no.")


def test_gazetteer_rows_are_consistent() -> None:
    """Every place's country is a known actor, Wikidata ids are Q-numbers used once, and no surface names two
    actors (the first row would win silently)."""
    import csv
    import re
    from collections import defaultdict

    from kg.resources import data_file

    def rows(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(data_file("gazetteer", name).read_text(encoding="utf-8").splitlines()))

    actors, places = rows("actors.csv"), rows("places.csv")
    ids = {row["id"] for row in actors}
    assert all(row["country"] in ids for row in places if row["country"])
    qids = [row["wikidata"] for row in actors + places if row["wikidata"]]
    assert all(re.fullmatch(r"Q[1-9]\d*", q) for q in qids) and len(qids) == len(set(qids))
    named: dict[str, set[str]] = defaultdict(set)
    for row in actors:
        for column in ("name", "aliases", "demonyms", "metonyms"):
            for surface in filter(None, row[column].split("|")):
                named[surface].add(row["id"])
    assert not {surface: owners for surface, owners in named.items() if len(owners) > 1}
    assert sum(row["kind"] == "country" for row in actors) >= 197    # UN members and observers, Kosovo, Taiwan


def test_brussels_as_an_actor_is_the_european_union_and_in_brussels_is_the_city() -> None:
    ents = _entities("Brussels warned Vesta on Monday. Talks between Norland and Vesta in Brussels ended.")
    assert ("Brussels", "european-union", "organization") in ents
    assert ("Brussels", "brussels", "place") in ents
    assert all(key != "belgium" for _, key, _ in ents)


def test_a_compact_or_forum_of_states_is_an_organisation_not_a_state() -> None:
    # "X's secretary-general" is a slot only a state or body stands in; a "Compact" is a body, not a state
    assert _entities("The Northern Shelf Compact met on Monday. Later the Compact's secretary-general, "
                     "Aurel Vask, spoke.") == [
        ("Northern Shelf Compact", "northern-shelf-compact", "organization"),
        ("Compact", "northern-shelf-compact", "organization"), ("Aurel Vask", "aurel-vask", "person")]
    # trap: with no body named, "the Compact's secretary-general" founds no state either
    assert _entities("Later the Compact's secretary-general, Aurel Vask, spoke.") == [
        ("Aurel Vask", "aurel-vask", "person")]


def test_a_continent_is_a_region_not_the_state_one_of_its_words_names() -> None:
    # "America" alone is the United States; "South America" is a continent, and names no party
    found = _entities("The accord ended South America's longest war, America's envoy said.")
    assert ("South America", "south-america", "place") in found
    assert [key for _, key, kind in found if kind == "country"] == ["united-states"]


def test_the_headline_is_read_with_the_body_but_gives_no_sentence() -> None:
    body = "The Norvian government and the Hill Front signed a truce in Tarsova on Monday. The truce holds."
    titled = annotate(Article(id="a", origin="t", title="Norvia and the Hill Front agree to a truce", text=body,
                              published=date(2026, 3, 2), reference_date=date(2026, 3, 2)))
    # the headline names the state whose demonym the body uses; offsets stay those of the body
    norvian = [e for s in titled.sentences for e in s.entities if e.key == "norvia"]
    assert [(e.text, body[e.start:e.end]) for e in norvian] == [("Norvian", "Norvian")]
    assert [s.sentence.text for s in titled.sentences] == [
        "The Norvian government and the Hill Front signed a truce in Tarsova on Monday.", "The truce holds."]
    assert titled.sentences[0].sentence.start == 0
    # without the headline the demonym names no state the article writes
    untitled = annotate(_article(body))
    assert "norvia" not in {e.key for s in untitled.sentences for e in s.entities}


def test_first_person_in_a_labelled_transcript_turn_is_the_labelled_speaker() -> None:
    text = ("Press briefing by the ministry spokesperson, Ana Morales, Tarsova\n\n"
            "MORALES: Good afternoon. I can announce that the round will open on Friday.\n\n"
            "Q: I wonder whether Norland agrees?\n\n"
            "MORALES: It does, as far as I know.")
    ents = _entities(text)
    assert ents.count(("I", "ana-morales", "person")) == 2
    # (the questioner's "I" is nobody the article names)
    assert len([e for e in ents if e[0] == "I"]) == 2


def test_a_turn_label_naming_nobody_in_the_article_gives_no_speaker() -> None:
    text = ("Ministry spokesperson Ana Morales opened the briefing.\n\n"
            "VASK: I can confirm the round will open on Friday.")
    assert not [e for e in _entities(text) if e[0] == "I"]


def test_the_grammar_words_table_must_name_every_role_and_only_those() -> None:
    """A [grammar] table of actors.toml lacking a role, or with a misspelt one, stops the run naming both."""
    from kg.annotate import _grammar_words
    from kg.resources import load_toml

    table = dict(load_toml("lexicons", "actors.toml")["grammar"])
    assert "the" in _grammar_words(table).definite
    table["coordinator"] = table.pop("coordinators")
    with pytest.raises(ValueError, match=r"actors.toml \[grammar\]: missing coordinators; unknown coordinator"):
        _grammar_words(table)


def test_a_title_with_its_body_and_no_comma_names_the_person_after_the_body() -> None:
    # translated statements write "the Minister of Foreign Affairs of X Y said" with no comma before the name
    said = _entities("The Minister of Foreign Affairs of Brazil Ana Morales said the talks would resume.")
    assert ("Brazil", "brazil", "country") in said and ("Ana Morales", "ana-morales", "person") in said
    met = _entities("The Minister of Foreign Affairs of Chile Aurel Vask met the envoy.")
    assert ("Chile", "chile", "country") in met and ("Aurel Vask", "aurel-vask", "person") in met
    signed = _entities("The President of the Republic of Chile Lin Haoran signed the decree.")
    assert ("lin-haoran", "person") in {(key, kind) for _, key, kind in signed}
    assert ("chile", "country") in {(key, kind) for _, key, kind in signed}
    gave = _entities("On 9 June the President of the Republic Ana Morales gave the rebels five days to answer.")
    assert gave == [("Ana Morales", "ana-morales", "person")]


def test_a_known_name_opening_a_persons_or_a_bodys_name_stays_in_it() -> None:
    # two words are no body and a name; after "the" the run is a body's name
    assert _entities("Israel Katz said the talks would resume.") == [("Israel Katz", "israel-katz", "person")]
    assert _entities("The Kenya Wildlife Service said the park was closed.") == [
        ("Kenya Wildlife Service", "kenya-wildlife-service", "organization")]


def test_a_description_between_commas_before_a_reporting_verb_makes_the_name_a_person() -> None:
    assert _entities("Ivo Stenmark, a lawyer for the family, said the talks had failed.") == [
        ("Ivo Stenmark", "ivo-stenmark", "person")]
    # (a capitalised name after "the" stays a body's)
    assert _entities("The Harbour Concord, the body that runs the port, said it would close.") == [
        ("Harbour Concord", "harbour-concord", "organization")]


@pytest.mark.parametrize("opening", ["When", "Although", "Once", "Since", "If", "As"])
def test_a_clause_opening_a_sentence_is_no_part_of_the_name_after_it(opening: str) -> None:
    text = f"{opening} Ivo Stenmark agreed on Monday, Vesta refused. Stenmark said nothing."
    people = [(t, k) for t, k, kind in _entities(text) if kind == "person"]
    assert people == [("Ivo Stenmark", "ivo-stenmark"), ("Stenmark", "ivo-stenmark")]
    # trap: a two-word name with no opening word before it is still the whole name
    people = [(t, k) for t, k, kind in _entities("Teo Ivo Stenmark agreed. Stenmark said nothing.") if kind == "person"]
    assert ("Teo Ivo Stenmark", "teo-ivo-stenmark") in people


@pytest.mark.parametrize("adverb", ["Instead", "Still", "Finally", "Nevertheless", "Overnight"])
def test_a_sentence_adverb_before_a_name_is_no_part_of_it(adverb: str) -> None:
    text = f"{adverb} Ivo Stenmark signed the protocol on Monday. Stenmark said nothing."
    people = [(t, k) for t, k, kind in _entities(text) if kind == "person"]
    assert people == [("Ivo Stenmark", "ivo-stenmark"), ("Stenmark", "ivo-stenmark")]


@pytest.mark.parametrize("head", ["Resistance", "Brigade", "Guard", "Command"])
def test_an_armed_groups_head_noun_ends_an_organisations_name(head: str) -> None:
    # "Norland and the Vesta Hills Resistance met" had made a person of the group, or dropped it
    found = _entities(f"Talks between Norland and the Vesta Hills {head} resumed in Lenby on Monday.")
    assert (f"Vesta Hills {head}", f"vesta-hills-{head.lower()}", "organization") in found
    # trap: the head noun alone, in lower case, names no body
    assert not [e for e in _entities(f"The {head.lower()} said it would wait.") if e[2] == "organization"]



def test_a_person_named_again_without_a_title_keeps_the_one_given() -> None:
    text = ("President Ana Morales of Norland arrived in Lenby on Thursday. Vestan President Ivo Stenmark flew in "
            "that evening. Ana Morales and Ivo Stenmark met on Friday, and Aurel Vask met them both.")
    titles = [(e.text, e.title) for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"]
    assert ("Ana Morales", "President") in titles[2:] and ("Ivo Stenmark", "President") in titles[2:]
    # trap: a person the article never titles stays untitled
    assert [t for name, t in titles if name == "Aurel Vask"] in ([], [None])


def test_a_line_in_capitals_is_read_in_sentence_case_for_its_names_and_keeps_what_was_written() -> None:
    """A ticker's line in capitals: the gazetteer's names (Chile, Lima) and a name the article writes with a capital
    elsewhere (Morales) are found; its sentences keep the capitals the page wrote."""
    text = "Foreign Minister Ana Morales of Peru arrived on Monday.\n\n14:36 GMT  MORALES AND CHILE'S ENVOY MEET IN LIMA"
    annotated = annotate(_article(text))
    last = annotated.sentences[-1]
    assert [(e.text, e.key, e.kind) for e in last.entities] == [
        ("Morales", "ana-morales", "person"), ("Chile", "chile", "country"), ("Lima", "lima", "place")]
    assert last.sentence.text == "14:36 GMT  MORALES AND CHILE'S ENVOY MEET IN LIMA"


def test_trap_capitals_that_are_no_line_in_capitals_stay_and_a_name_that_is_a_common_word_is_not_given_back() -> None:
    from kg.annotate import get_annotator

    annotator = get_annotator()
    # (a line of mixed case, short lines of capitals: as written)
    for text in ("Peru and CHILE met in LIMA.", "UN | EU | AU", "TUESDAY: TALKS"):
        assert annotator.readable_case(text) == text
    # ("US" lowered is "us": no country is made of "join us"; every offset stays where it was)
    line = "MORALES: THE PRESIDENT ASKED PERU TO JOIN US IN LIMA"
    cased = annotator.readable_case(line)
    assert cased == "MORALES: The president asked Peru to join us in Lima" and len(cased) == len(line)


def test_a_councillor_is_a_title_not_part_of_the_name() -> None:
    text = "Federal Councillor Lina Ostrav hosted the leaders. Councillor Aurel Vask said the talks were useful."
    people = {e.key: e.title for s in annotate(_article(text)).sentences for e in s.entities if e.kind == "person"}
    assert people == {"lina-ostrav": "Federal Councillor", "aurel-vask": "Councillor"}


@pytest.mark.parametrize("text, name, title", [
    ("Ivo Marl, its chief negotiator, told reporters the plan was fair.", "Ivo Marl", "chief negotiator"),
    ("Ivo Marl, his Vestan counterpart, said the talks were over.", "Ivo Marl", None),
    ("Ivo Marl, one of the Front's leaders, said the plan was fair.", "Ivo Marl", None),
    ("Ivo Marl, speaking the same day in Lenby, said the plan was fair.", "Ivo Marl", None),
    ("Norland named its ambassador in Lenby, Piet Dekker, as special envoy.", "Piet Dekker", "ambassador"),
    ("The envoy to Vesta, Ivo Marl, said the talks were over.", "Ivo Marl", "envoy"),
])
def test_a_speaker_set_off_by_a_possessive_or_partitive_appositive_a_participle_or_a_title_of_a_place(
        text: str, name: str, title: str | None) -> None:
    people = {e.name: e.title for e in _mentions(text) if e.kind == "person"}
    assert name in people and people[name] == title


def test_an_appositive_that_is_no_speaker_s_names_no_person() -> None:
    # traps: a possessive or partitive appositive with no title and no speech after it, and a participle other than
    # one of speech
    for text in ("Port Anselm, its largest city, was calm.", "Port Anselm, one of the largest ports, was calm.",
                 "Port Anselm, lying on the coast, was calm.",
                 "Many in Port Anselm, worried about the strikes, said nothing would change."):
        assert not [e for e in _mentions(text) if e.kind == "person"], text


@pytest.mark.parametrize("text, reference, person", [
    ("Foreign Minister Piet Dekker flew to Lenby on Monday. On Tuesday the minister told reporters that Norland "
     "would sign.", "the minister", "piet-dekker"),
    ("Ivo Marl, Vesta's chief negotiator, told reporters the plan was fair. The negotiator left on Monday.",
     "The negotiator", "ivo-marl"),
])
def test_the_last_word_of_a_title_refers_back_to_its_person(text: str, reference: str, person: str) -> None:
    assert (reference, person) in [(e.text, e.key) for e in _mentions(text)]


def test_the_last_word_of_a_title_that_is_no_title_of_its_own_refers_to_no_one() -> None:
    # trap: "member" ends her description ("a Vestan delegation member") but is no title by itself
    ents = _mentions("Lina Sorel, a Vestan delegation member, said the talks went well. The member left on Monday.")
    assert not [e for e in ents if e.text == "The member"]
