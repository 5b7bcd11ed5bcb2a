"""The sentence model that joins the rules (kg/extract/learned.py): features, the model file, proposals, and the
triggers it gives the rules."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.annotate import annotate
from kg.extract.learned import (SentenceModel, features_of, masks_of, model_from_json, model_to_json, read_model,
                                sentence_words, shipped_model)
from kg.extract.rules import RuleExtractor
from kg.records import Article

# A model that reads an exchange in "bartered ... captives" (a verb the trigger lexicon does not list).
BARTER = SentenceModel(("PrisonerExchange", "Statement"), (-1.0, -3.0),
                       {"bartered": {"PrisonerExchange": 3.0}, "captives": {"PrisonerExchange": 1.0},
                        "<num>": {"PrisonerExchange": 0.5}, "said": {"Statement": 1.0}, "the": {}},
                       threshold=0.9, anchor_weight=1.0)


def _annotated(text: str, day: date = date(2026, 3, 11)):
    return annotate(Article(id="t", origin="t", title="t", text=text, published=day, reference_date=day))


# ------------------------------------------------------------------ features
def test_names_numbers_and_times_are_masked() -> None:
    text = "Aurel Vask said on Monday that Brennal freed 14 hostages."
    assert sentence_words(text, [(0, 10, "person"), (19, 25, "time")]) == [
        "<person>", "said", "on", "<time>", "that", "<cap>", "freed", "<num>", "hostages"]
    # a mask is one word however many it covers, and a mask inside another is no second one
    assert sentence_words(text, [(0, 10, "person"), (6, 10, "person")])[:2] == ["<person>", "said"]


def test_a_capitalised_opening_word_is_read_as_common_only_when_known() -> None:
    known = {"talks"}.__contains__
    assert sentence_words("Talks resumed.", [], known)[0] == "talks"
    assert sentence_words("Morvel resumed.", [], known)[0] == "<cap>"
    # (not the opening word: a capitalised word inside the sentence is a name)
    assert sentence_words("Then Talks resumed.", [], known)[1] == "<cap>"


_LOWER = st.from_regex(r"[a-z]{1,8}", fullmatch=True)
_NAME = st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True)


@given(st.lists(st.one_of(_LOWER, _NAME, st.integers(0, 5000).map(str)), min_size=1, max_size=25))
def test_no_name_or_number_ever_becomes_a_feature(words: list[str]) -> None:
    """Whatever the sentence, its features are masks and words it writes in lower case (or its opening word)."""
    text = " ".join(words)
    read = sentence_words(text, [], known=lambda word: True)
    lower_words = {w for w in words if w.islower()} | {words[0].lower()}
    for word in read:
        assert word in {"<cap>", "<num>"} or word in lower_words, word
    assert all(not re.search(r"[A-Z0-9]", f) for f in features_of(read))


def test_masks_of_a_sentence_are_its_entities_and_times_in_sentence_offsets() -> None:
    annotated = _annotated("Officials met on Sunday. Tarvonia and Quessel bartered 40 captives on Monday, "
                           "the Tarvonian ministry said.")
    sentence = annotated.sentences[-1]
    text = sentence.sentence.text
    spans = {text[start:end]: kind for start, end, kind in masks_of(sentence)}
    assert spans.get("Tarvonia") == "country"
    assert spans.get("Monday") == "time"
    assert sentence.sentence.start > 0    # (the second sentence: offsets are its own, not the article's)


# ------------------------------------------------------------------ the model file
def test_model_file_round_trip_and_same_bytes() -> None:
    text = model_to_json(BARTER)
    again = model_from_json(text)
    assert again.types == BARTER.types and again.intercepts == BARTER.intercepts
    assert again.threshold == BARTER.threshold and again.anchor_weight == BARTER.anchor_weight
    assert again.weights == BARTER.weights
    # (a feature with no weight is kept: it tells the model which opening words are common)
    assert again.known("the")
    assert model_to_json(again) == text


def test_a_file_that_is_no_model_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text('{"format": "something-else/1"}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"model\.json: not a sentence model .*kg train"):
        read_model(path)
    path.write_text(model_to_json(BARTER).replace('"PrisonerExchange":3.0', '"Truce":3.0'), encoding="utf-8")
    with pytest.raises(ValueError, match="Truce"):
        read_model(path)
    path.write_text(model_to_json(BARTER).replace('"threshold":0.9', '"threshold":1.0'), encoding="utf-8")
    with pytest.raises(ValueError, match="threshold 1.0 is no probability"):
        read_model(path)


def test_the_shipped_model_reads_and_names_only_scheme_types() -> None:
    from kg.extract.knowledge import Knowledge

    model = shipped_model()
    assert model is not None
    assert set(model.types) <= set(Knowledge.load().types)
    assert 0.5 <= model.threshold < 1


# ------------------------------------------------------------------ proposals
def test_a_type_is_proposed_from_the_threshold_on_its_heaviest_word() -> None:
    [proposal] = BARTER.propose("Both sides bartered 40 captives.", [])
    assert (proposal.type, proposal.word, proposal.start) == ("PrisonerExchange", "bartered", 11)
    # sigmoid(-1 + 3 + 1 + 0.5)
    assert proposal.probability == pytest.approx(0.9707, abs=1e-4)
    # under the threshold (no count, no captives): nothing
    assert BARTER.propose("Both sides bartered.", []) == []


def test_no_proposal_for_a_type_the_rules_found_or_on_a_taken_word() -> None:
    text = "Both sides bartered 40 captives."
    assert BARTER.propose(text, [], skip={"PrisonerExchange"}) == []
    # "bartered" is another trigger's word: the next heaviest, "captives" (1.0), is not above the anchor weight
    assert BARTER.propose(text, [], taken=[(11, 19)]) == []
    lighter = SentenceModel(BARTER.types, BARTER.intercepts, BARTER.weights, 0.9, anchor_weight=0.5)
    assert [p.word for p in lighter.propose(text, [], taken=[(11, 19)])] == ["captives"]


def test_a_trigger_stands_on_a_word_the_model_reads_as_itself() -> None:
    model = SentenceModel(("Ceasefire",), (-1.0,), {"truce": {"Ceasefire": 4.0}}, 0.9, anchor_weight=1.0)
    # the opening word, capitalised, is a word the model knows
    assert [(p.word, p.start) for p in model.propose("Truce holds along the river.", [])] == [("Truce", 0)]
    # a masked word ("the Truce Commission" found as an organisation) is no anchor, though the model reads "truce"
    text = "The Truce Commission said a truce holds."
    assert [(p.word, p.start) for p in model.propose(text, [(4, 20, "organization")])] == [("truce", 28)]
    assert model.propose("The Truce Commission met.", [(4, 20, "organization")]) == []


# ------------------------------------------------------------------ joined with the rules
def test_a_proposed_trigger_gets_its_time_parties_and_count_from_the_rules() -> None:
    annotated = _annotated("Tarvonia and Quessel bartered 40 captives on Monday at the Osterby crossing, "
                           "the Tarvonian defence ministry said.")
    assert RuleExtractor(None).extract(annotated) == []
    [mention] = RuleExtractor(BARTER).extract(annotated)
    assert (mention.type, mention.trigger, mention.modality) == ("PrisonerExchange", "bartered", "occurred")
    assert mention.time is not None and mention.time.start == date(2026, 3, 9)   # the Monday before
    assert ("tarvonia", "party") in {(p.actor, p.role) for p in mention.participants}
    assert dict(mention.quantities) == {"prisoners_total": 40}


def test_a_proposed_trigger_keeps_the_rules_modality() -> None:
    """The rules' negation and future cues act on a proposed trigger as on any other (the traps)."""
    denied = RuleExtractor(BARTER).extract(_annotated("Tarvonia and Quessel have not bartered 40 captives."))
    assert [m.modality for m in denied] == ["denied"]
    [planned] = RuleExtractor(BARTER).extract(
        _annotated("Forty captives are to be bartered by Tarvonia and Quessel on Friday, the Tarvonian ministry said."))
    assert (planned.modality, planned.time and planned.time.start) == ("scheduled", date(2026, 3, 13))
    # a counterfactual is no event, whoever proposed its trigger
    assert RuleExtractor(BARTER).extract(_annotated(
        "Tarvonia and Quessel could have bartered 40 captives on Friday, the Tarvonian ministry said.")) == []
