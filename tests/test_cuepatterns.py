"""The joined and case-sensitive cue forms answer exactly as the cue lists' patterns asked one by one."""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cuepatterns import Patterns, each_for, fullmatch_any, match_any, readable, search_any, without_case
from kg.extract.scheme import load_cues, load_event_types


def _cue_lists() -> list[Patterns]:
    found: list[Patterns] = []

    def walk(value: Any) -> None:
        if isinstance(value, Patterns):
            if value:
                found.append(value)
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    cues = load_cues()
    for f in fields(cues):
        walk(getattr(cues, f.name))
    for event_type in load_event_types().values():
        for f in fields(event_type):
            walk(getattr(event_type, f.name))
    return found


CUE_LISTS = _cue_lists()
# Words the cues are made of, in every case, with the punctuation and non-ASCII letters news text holds.
_WORDS = sorted({w for cues in CUE_LISTS for p in cues for w in re.findall(r"[a-z]{2,}", p.pattern)})
_SIGNS = list(" ,.;:'\"-’‘“”—–…·•«»\u00a0x0123456789\nİıſKéÉ")
_PIECES = st.one_of(st.sampled_from(_WORDS), st.sampled_from(_WORDS).map(str.upper),
                    st.sampled_from(_WORDS).map(str.title), st.sampled_from(_SIGNS))
_TEXTS = st.lists(_PIECES, max_size=14).map(" ".join)


def test_every_cue_list_is_joined_and_read_without_case() -> None:
    """(what the speed-up rests on: a list left out is only slower)"""
    assert CUE_LISTS
    assert sum(cues.joined is not None for cues in CUE_LISTS) >= 0.95 * len(CUE_LISTS)
    assert sum(cues.cased is not None for cues in CUE_LISTS) >= 0.9 * len(CUE_LISTS)


@settings(max_examples=300, deadline=None)
@given(text=_TEXTS, data=st.data())
def test_search_any_and_match_any_answer_as_each_pattern(text: str, data: st.DataObject) -> None:
    cues = data.draw(st.sampled_from(CUE_LISTS))
    pos = data.draw(st.integers(0, len(text)))
    assert search_any(cues, text) == any(p.search(text) for p in cues)
    assert search_any(cues, text, pos) == any(p.search(text, pos) for p in cues)
    assert match_any(cues, text, pos) == any(p.match(text, pos) for p in cues)
    assert fullmatch_any(cues, text, pos) == any(p.fullmatch(text, pos) for p in cues)
    assert [m.span() for p in each_for(cues, text.lower()) for m in p.finditer(text.lower())] \
        == [m.span() for p in cues for m in p.finditer(text.lower())]


@pytest.mark.parametrize(("pattern", "kept"), [
    (r"\b(will|would)\s+[a-z]+", True),
    (r"[A-Z]\w+", False),                 # a capital asked for: case-insensitively it takes any letter
    (r"\b(?-i:Front)\b", False),          # a case-sensitive part
    (r"(a)\1", False),                    # a backreference
    (r"\bkelvin\b", True),
])
def test_without_case(pattern: str, kept: bool) -> None:
    assert (without_case(re.compile(pattern, re.IGNORECASE)) is not None) == kept


def test_a_joined_list_keeps_its_hash_and_pickles() -> None:
    import pickle

    cues = CUE_LISTS[0]
    assert hash(cues) == hash(tuple(cues)) and cues == tuple(cues)
    again = pickle.loads(pickle.dumps(cues))
    assert again == cues and isinstance(again, Patterns) and (again.joined is None) == (cues.joined is None)


def _time_texts() -> st.SearchStrategy[str]:
    from kg.timex import _lexicon

    words = sorted(_lexicon().anchors) + ["would", "will", "was to", "had", "said", "signed", "agreed", "held"]
    pieces = st.one_of(st.sampled_from(words), st.sampled_from(words).map(str.upper),
                       st.sampled_from(words).map(str.title), _PIECES)
    return st.lists(pieces, max_size=14).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(text=_time_texts())
def test_the_time_scan_reads_lower_case_anchors_and_tense_cues_alike(text: str) -> None:
    from kg.timex import _lexicon

    lex = _lexicon()
    assert lex.anchor_cased is not None and lex.cue_cased is not None
    if readable(text):
        assert [m.start() for m in lex.anchor_cased.finditer(text.lower())] == \
            [m.start() for m in lex.anchor_re.finditer(text)]
        assert [(m.span(), m.lastgroup, m.group().lower()) for m in lex.cue_cased.finditer(text.lower())] == \
            [(m.span(), m.lastgroup, m.group().lower()) for m in lex.cue.finditer(text)]


def test_without_the_private_regex_modules_the_cues_are_asked_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a later Python move its regex parser, no case-sensitive form is made and the joined patterns answer."""
    import kg.cuepatterns

    monkeypatch.setattr(kg.cuepatterns, "_sre_parse", None)
    assert without_case(re.compile(r"\bwill\b", re.IGNORECASE)) is None
    cues = Patterns(re.compile(p, re.IGNORECASE) for p in (r"\bwill\b", r"\bplanned\b"))
    assert cues.cased is None and search_any(cues, "The talks Will resume") and not search_any(cues, "no")
