"""Training the sentence model (kg/train.py, `kg train`) on the small annotated folder tests/data/training/."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from kg.cli import main
from kg.extract.learned import model_to_json, read_model
from kg.train import Example, read_examples, train

TRAINING = Path(__file__).parent / "data" / "training"


def test_every_sentence_is_an_example_labelled_with_the_events_placed_in_it() -> None:
    warnings: list[str] = []
    examples = list(read_examples(TRAINING, warnings.append))
    labelled = [(e.article, sorted(e.types)) for e in examples if e.types]
    assert labelled == [("a1.txt", ["PrisonerExchange"]), ("a2.txt", ["PrisonerExchange"]),
                        ("a3.txt", ["PrisonerExchange"])]
    assert len(examples) == 9            # three body sentences an article (the headline is no sentence)
    # an annotated sentence the article does not have is reported, naming the file and the event, never dropped silently
    assert len(warnings) == 1 and "a2.txt" in warnings[0] and "'bridge'" in warnings[0]


def test_a_folder_without_annotations_is_an_error_saying_what_it_needs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"annotations\.json: cannot read the annotations .*tests/gold/README\.md"):
        list(read_examples(tmp_path))


def test_the_trained_model_reads_the_told_event_in_a_sentence_of_other_names() -> None:
    model = train(list(read_examples(TRAINING)), threshold=0.6, anchor_weight=0.3)
    [proposal] = model.propose("Tarvonia and Quessel bartered 12 captives on Friday.", [])
    assert (proposal.type, proposal.word) == ("PrisonerExchange", "bartered")
    assert model.propose("The market was quiet on Friday.", []) == []


def test_a_word_only_one_article_has_is_not_learnt() -> None:
    model = train(list(read_examples(TRAINING)))
    assert model.known("bartered") and model.known("river")      # in two and three articles
    assert not model.known("harvest") and not model.known("schools")   # in one
    # names never: the places and states of the training articles are masks
    assert not any(name in model.weights for name in ("norvia", "pellaria", "morvel", "osterby"))


def test_training_twice_writes_the_same_bytes() -> None:
    examples = list(read_examples(TRAINING))
    assert model_to_json(train(examples)) == model_to_json(train(examples))


def test_training_on_no_labelled_sentence_is_an_error() -> None:
    with pytest.raises(ValueError, match="no sentence reports an event"):
        train([Example("a.txt", "The river rose.", (), frozenset())])


def test_kg_train_writes_a_model_the_extractor_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.json"
    assert main(["train", str(TRAINING), "--out", str(out), "--threshold", "0.7"]) == 0
    model = read_model(out)
    assert model.types == ("PrisonerExchange",) and model.threshold == 0.7
    captured = capsys.readouterr()
    assert "Wrote" in captured.out and "1 event types" in captured.out
    assert "'bridge'" in captured.err       # the warning reaches the user


def test_kg_train_refuses_a_threshold_that_is_no_probability(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", str(TRAINING), "--out", str(tmp_path / "m.json"), "--threshold", "1.5"]) == 1
    assert "threshold 1.5 is no probability" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()


def test_kg_train_without_scikit_learn_says_at_once_how_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "sklearn.feature_extraction", None)    # (an import of it now fails)
    assert main(["train", str(TRAINING), "--out", str(tmp_path / "m.json")]) == 1
    err = capsys.readouterr().err
    assert "training needs scikit-learn: pip install '.[train]'" in err
    assert "'bridge'" not in err          # said before any article was read
    assert not (tmp_path / "m.json").exists()


def test_kg_train_on_a_folder_of_no_annotations_fails_clearly(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(TRAINING, folder)
    (folder / "annotations.json").write_text(json.dumps({"articles": {}}), encoding="utf-8")
    assert main(["train", str(folder), "--out", str(tmp_path / "m.json")]) == 1
    assert "nothing to learn from" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()
