"""A trained sentence model that joins the rules: it proposes a trigger where the lexicon found none of a type.

The model is a logistic regression per event type over a sentence's words and word pairs, trained on annotated
articles (``kg train``) and shipped as data (``data/models/sentence_types.json``).  Names, numbers and dates never
become features: an actor or place the annotator found is its kind (``<person>``), a time is ``<time>``, a number
``<num>`` and any other capitalised word ``<cap>``, so what the model learns is how events are *told* ("the
two sides traded captives"), not who took part.  When a type's probability reaches the model's threshold and the
rules found no trigger of that type in the sentence, the word that weighs most for the type becomes its trigger,
and the rules read the event's time, participants and modality around it as for any other trigger.

>>> model = SentenceModel(("PrisonerExchange",), (-1.0,), {"swapped": {"PrisonerExchange": 2.5},
...                        "captives": {"PrisonerExchange": 1.0}}, threshold=0.9, anchor_weight=1.0)
>>> model.propose("Officials of Norland said on Monday they swapped 40 captives.", [(13, 20, "country")])
[Proposal(type='PrisonerExchange', word='swapped', start=41, end=48, probability=0.9241418199787566)]
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from kg.records import AnnotatedSentence
from kg.resources import data_file

MODEL_FILE = ("models", "sentence_types.json")
FORMAT = "kg-sentence-model/1"

# A word, a number, or a mask written into the text as a NUL and its kind (no cleaned text holds a NUL).
_WORD = re.compile(r"\x00[a-z]+|[^\W\d_](?:[\w'’-]*\w)?|\d[\d,.]*\d|\d")
# A word as the model reads one written in lower case, its apostrophes straight ("didn't", "power-sharing").
_PLAIN_WORD = re.compile(r"[^\W\d_](?:[\w'-]*\w)?")


def common_words(text: str) -> list[str]:
    """Every word of the text as the model reads a word written in lower case, whatever case the text gives it.

    >>> common_words("Talks didn’t resume in 2026; power-sharing")
    ['talks', "didn't", 'resume', 'in', 'power-sharing']
    """
    return _PLAIN_WORD.findall(text.lower().replace("’", "'"))


def sentence_words(text: str, masks: Sequence[tuple[int, int, str]],
                   known: Callable[[str], bool] = lambda word: True) -> list[str]:
    """The sentence's words as the model reads them: each masked span (``(start, end, kind)``, sentence offsets)
    is one ``<kind>``, a number ``<num>``, a capitalised word ``<cap>`` unless it opens the sentence and ``known``
    takes its lower case for a common word ("Talks resumed").

    >>> sentence_words("Officials of Norland said on Monday they swapped 40 captives.",
    ...                [(13, 20, "country"), (29, 35, "time")])
    ['officials', 'of', '<country>', 'said', 'on', '<time>', 'they', 'swapped', '<num>', 'captives']
    """
    pieces: list[str] = []
    done = 0
    for start, end, kind in sorted(masks):
        if start >= done:
            pieces += (text[done:start], f" \x00{kind} ")
        done = max(done, end)
    pieces.append(text[done:])
    words: list[str] = []
    for word in _WORD.findall("".join(pieces)):
        if word.islower() and word[0] != "\x00":     # (most words: read as written)
            words.append(word.replace("’", "'") if "’" in word else word)
            continue
        first = word[0]
        if first == "\x00":
            words.append(f"<{word[1:]}>")
        elif first.isdigit():
            words.append("<num>")
        elif first.isupper() or word.isupper():
            lower = word.lower()
            words.append(lower if not words and word[1:].islower() and known(lower) else "<cap>")
        else:
            words.append(word.lower().replace("’", "'"))
    return words


def masks_of(sentence: AnnotatedSentence) -> tuple[tuple[int, int, str], ...]:
    """The spans a sentence model does not read word by word: actors and places by kind, times as ``time``
    (sentence offsets)."""
    base = sentence.sentence.start
    return tuple([(e.start - base, e.end - base, e.kind) for e in sentence.entities]
                 + [(t.start_char - base, t.end_char - base, "time") for t in sentence.times])


def features_of(words: Sequence[str]) -> list[str]:
    """Words and neighbouring pairs of words (pairs written ``a|b``).

    >>> features_of(["talks", "resumed"])
    ['talks', 'resumed', 'talks|resumed']
    """
    return [*words, *(f"{a}|{b}" for a, b in zip(words, words[1:]))]


@dataclass(frozen=True, slots=True)
class Proposal:
    """A type the model reads in a sentence, with the word that weighs most for it (sentence offsets)."""
    type: str
    word: str
    start: int
    end: int
    probability: float


@dataclass(frozen=True, eq=False)
class SentenceModel:
    """Per event type, an intercept and a weight per feature; a type is proposed from ``threshold`` up."""
    types: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, Mapping[str, float]]   # feature -> type -> weight (zero weights left out)
    threshold: float
    anchor_weight: float = 0.0      # the least weight of a word that anchors a proposed trigger
    trained_on: str = ""

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold {self.threshold} is no probability: give one between 0 and 1, such as 0.9")

    def known(self, word: str) -> bool:
        return word in self.weights

    def anchor_words(self, refused: Mapping[str, Iterable[str]] | None = None) -> frozenset[str]:
        """The words a proposal can stand on: words weighing more than the anchor weight for a type (that ``refused``
        does not list for that type).  A sentence whose ``common_words`` hold none of them proposes nothing.

        >>> SentenceModel(("Ceasefire",), (-2.0,), {"truce": {"Ceasefire": 4.0}, "held": {"Ceasefire": 0.5}},
        ...               0.5, anchor_weight=1.0).anchor_words()
        frozenset({'truce'})
        """
        refused = refused or {}
        return frozenset(word for word, weights in self.weights.items() if _PLAIN_WORD.fullmatch(word) and any(
            w > self.anchor_weight and word not in refused.get(t, ()) for t, w in weights.items()))

    @cached_property
    def _matrix(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """The weights as a feature-by-type matrix, with each feature's row (summing rows is the hot path)."""
        rows = {feature: row for row, feature in enumerate(self.weights)}
        columns = {event_type: column for column, event_type in enumerate(self.types)}
        matrix = np.zeros((len(rows), len(self.types)))
        for feature, weights in self.weights.items():
            for event_type, weight in weights.items():
                matrix[rows[feature], columns[event_type]] = weight
        return rows, matrix, np.asarray(self.intercepts)

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        """Each type's probability for a sentence with these features (each feature counts once).

        >>> model = SentenceModel(("Ceasefire",), (-2.0,), {"truce": {"Ceasefire": 4.0}}, 0.5)
        >>> round(model.probabilities(["truce", "held", "truce"])["Ceasefire"], 3)
        0.881
        """
        return dict(zip(self.types, (1.0 / (1.0 + np.exp(-self._scores(features)))).tolist()))

    def _scores(self, features: Iterable[str]) -> np.ndarray:
        """Each type's log-odds for a sentence with these features."""
        rows, matrix, intercepts = self._matrix
        present = [row for row in map(rows.get, set(features)) if row is not None]
        return intercepts + np.add.reduce(matrix.take(present, axis=0), axis=0)

    def propose(self, text: str, masks: Sequence[tuple[int, int, str]], skip: Iterable[str] = (),
                taken: Sequence[tuple[int, int]] = ()) -> list[Proposal]:
        """The types of the sentence at or above the threshold, except those in ``skip``, each anchored on its
        heaviest word outside the ``taken`` spans (a word, never a mask); in text order.

        >>> model = SentenceModel(("Ceasefire",), (-2.0,), {"truce": {"Ceasefire": 4.0}}, 0.5)
        >>> model.propose("The truce held.", [])
        [Proposal(type='Ceasefire', word='truce', start=4, end=9, probability=0.8807970779778823)]
        """
        scores = self._scores(features_of(sentence_words(text, masks, self.known)))
        # (compared as log-odds: most sentences propose nothing, and need no probabilities)
        skip = set(skip)
        passing = [t for c in np.flatnonzero(scores >= self._cut).tolist() if (t := self.types[c]) not in skip]
        if not passing:
            return []
        anchors = self._anchors(text, masks, taken)
        proposals = []
        for event_type in passing:
            weight, _, start, end = max(((self.weights.get(feature, {}).get(event_type, 0.0), -start, start, end)
                                         for feature, start, end in anchors), default=(0.0, 0, 0, 0))
            if weight > self.anchor_weight:
                score = float(scores[self.types.index(event_type)])
                proposals.append(Proposal(event_type, text[start:end], start, end, 1.0 / (1.0 + math.exp(-score))))
        return sorted(proposals, key=lambda p: p.start)

    @cached_property
    def _cut(self) -> float:
        """The threshold as log-odds."""
        return math.log(self.threshold / (1.0 - self.threshold))

    def _anchors(self, text: str, masks: Sequence[tuple[int, int, str]],
                 taken: Sequence[tuple[int, int]]) -> list[tuple[str, int, int]]:
        """The words a proposed trigger may stand on, as the model reads them, with their spans: every word
        outside the masks and the ``taken`` spans that the model reads as itself (no name, number or mask)."""
        blocked = [(start, end) for start, end, _ in masks] + list(taken)
        anchors = []
        for index, match in enumerate(_WORD.finditer(text)):
            start, end = match.span()
            word = match.group()
            if any(s < end and start < e for s, e in blocked):
                continue
            lower = word.lower().replace("’", "'")
            if word[0].islower() or (index == 0 and word[0].isupper() and word[1:].islower() and self.known(lower)):
                anchors.append((lower, start, end))
        return anchors


def model_to_json(model: SentenceModel) -> str:
    """The model as the JSON text ``read_model`` reads (sorted, weights rounded: the same model, the same bytes)."""
    return json.dumps({
        "format": FORMAT, "trained_on": model.trained_on, "threshold": model.threshold,
        "anchor_weight": model.anchor_weight,
        "types": list(model.types), "intercepts": [round(b, 4) for b in model.intercepts],
        "weights": {f: {t: round(w, 4) for t, w in sorted(ws.items()) if round(w, 4)}
                    for f, ws in sorted(model.weights.items())},
    }, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def model_from_json(text: str, where: str = "the model") -> SentenceModel:
    """Read a model written by ``model_to_json``; a file of another kind is an error naming ``where``."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT!r}")
        types = tuple(data["types"])
        weights = {f: {t: float(w) for t, w in ws.items()} for f, ws in data["weights"].items()}
        unknown = {t for ws in weights.values() for t in ws} - set(types)
        if unknown or len(data["intercepts"]) != len(types):
            raise ValueError(f"weights for types it does not list: {sorted(unknown)}" if unknown
                             else "one intercept per type expected")
        return SentenceModel(types, tuple(float(b) for b in data["intercepts"]), weights,
                             float(data["threshold"]), float(data["anchor_weight"]), data.get("trained_on", ""))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{where}: not a sentence model ({exc}); write it again with `kg train`") from exc


def read_model(path: str | Path) -> SentenceModel:
    """A model file written by ``kg train``."""
    return model_from_json(Path(path).read_text(encoding="utf-8"), str(path))


@cache
def shipped_model() -> SentenceModel | None:
    """The model shipped with the package, or None when there is none (the rules then work alone)."""
    path = data_file(*MODEL_FILE)
    return read_model(path) if path.is_file() else None
