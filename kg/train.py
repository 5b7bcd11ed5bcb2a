"""Training the sentence model (``kg train``) from annotated articles.

The annotations are the gold set's (``tests/gold/README.md``): a folder of articles with an ``annotations.json``
giving, per article, its events with their type and the words of the sentence that reports each.  Every sentence
of every article is an example; its labels are the types of the events reported in it.  The pipeline's own stages
read, clean and annotate the articles, so the model sees sentences and masks exactly as the extractor will.

scikit-learn fits the per-type logistic regressions; it is needed only here (``pip install '.[train]'``), never
to build a graph.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.extract.learned import SentenceModel, features_of, masks_of, sentence_words
from kg.records import SkippedDocument

# A word written in lower case somewhere in the training text is a common word when it opens a sentence.
_LOWER_WORD = re.compile(r"\b[a-z][a-z'-]*\b")


@dataclass(frozen=True, slots=True)
class Example:
    article: str                  # the article's file name
    text: str                     # the sentence
    masks: tuple[tuple[int, int, str], ...]
    types: frozenset[str]         # the types of the events the annotations place in it


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(str.maketrans("’‘“”—–\u00a0", "''\"\"-- "))
    return re.sub(r"\s+", " ", text).strip().lower()


def read_examples(folder: str | Path, warn: Callable[[str], None] = lambda message: None) -> Iterator[Example]:
    """Every sentence of the annotated articles in ``folder``, with the types the annotations place in it.
    An annotated sentence found in no sentence of its article is reported through ``warn`` and left out."""
    from kg.annotate import annotate
    from kg.clean import clean_document
    from kg.read import iter_documents

    folder = Path(folder)
    index = folder / "annotations.json"
    try:
        annotated_articles = json.loads(index.read_text(encoding="utf-8"))["articles"]
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"{index}: cannot read the annotations ({exc}); a training folder holds the articles "
                         "and an annotations.json as described in tests/gold/README.md") from exc
    for name, gold in sorted(annotated_articles.items()):
        raw = next(iter(iter_documents([folder / name])), None)
        article = clean_document(raw) if raw is not None and not isinstance(raw, SkippedDocument) else raw
        if article is None or isinstance(article, SkippedDocument):
            warn(f"{folder / name}: skipped ({article.reason if article else 'not found'})")
            continue
        sentences = annotate(article).sentences
        normal = [_normal(s.sentence.text) for s in sentences]
        types: list[set[str]] = [set() for _ in sentences]
        for event in gold.get("events", []):
            words = _normal(event.get("sentence") or "")
            where = next((i for i, text in enumerate(normal) if words and words in text), None)
            if where is None:
                warn(f"{folder / name}: the sentence of {event.get('event')!r} is in no sentence of the article")
                continue
            types[where].add(event["type"])
        for sentence, labels in zip(sentences, types):
            yield Example(name, sentence.sentence.text, masks_of(sentence), frozenset(labels))


def estimators() -> tuple[type, type]:
    """scikit-learn's vectoriser and logistic regression; an error saying how to install them when missing."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise RuntimeError("training needs scikit-learn: pip install '.[train]'") from exc
    return DictVectorizer, LogisticRegression


def train(examples: Sequence[Example], *, regularisation: float = 1.0, threshold: float = 0.9,
          anchor_weight: float = 1.0, min_articles: int = 2, trained_on: str = "") -> SentenceModel:
    """Fit one logistic regression per type on the examples' features.  A feature enters the model only when
    ``min_articles`` articles have it, so no one article's wording is learnt; ``regularisation`` is
    scikit-learn's ``C`` (smaller: smoother weights)."""
    DictVectorizer, LogisticRegression = estimators()
    types = tuple(sorted({t for e in examples for t in e.types}))
    if not types:
        raise ValueError("no sentence reports an event: check that the annotations' sentences are the articles' own")
    lower_words = {w for e in examples for w in _LOWER_WORD.findall(e.text)}
    rows = [features_of(sentence_words(e.text, e.masks, lower_words.__contains__)) for e in examples]
    articles_of: dict[str, set[str]] = {}
    for example, features in zip(examples, rows):
        for feature in features:
            articles_of.setdefault(feature, set()).add(example.article)
    vocabulary = {f for f, seen in articles_of.items() if len(seen) >= min_articles}
    # (a sentence's opening word is read as the model will read it: common when the model knows it)
    rows = [[f for f in features_of(sentence_words(e.text, e.masks, vocabulary.__contains__)) if f in vocabulary]
            for e in examples]
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform([dict.fromkeys(r, 1) for r in rows])
    names = vectorizer.get_feature_names_out()
    weights: dict[str, dict[str, float]] = {str(f): {} for f in names}
    intercepts = []
    for event_type in types:
        labels = [event_type in e.types for e in examples]
        fitted = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000).fit(matrix, labels)
        intercepts.append(float(fitted.intercept_[0]))
        for feature, weight in zip(names, fitted.coef_[0]):
            if round(weight, 5):
                weights[str(feature)][event_type] = float(weight)
    return SentenceModel(types, tuple(intercepts), weights, threshold, anchor_weight, trained_on)


def training_summary(examples: Iterable[Example]) -> str:
    """One line: how many articles, sentences and labelled sentences the model learns from."""
    examples = list(examples)
    labelled = sum(1 for e in examples if e.types)
    return (f"{len({e.article for e in examples})} articles, {len(examples)} sentences, "
            f"{labelled} of them reporting events")
