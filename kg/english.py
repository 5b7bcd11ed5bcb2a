"""spaCy's blank English pipeline, one per process, whose vocabulary and tokenizer the annotator and the trigger
lexicon share: the annotator reads an article with it, and the trigger lexicon then reads each of its sentences
again, so each word's lexeme is made once and the sentences' words are already in the tokenizer's cache (reading a
sentence costs about half)."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language


@cache
def blank_english() -> Language:
    """The process's blank English pipeline (no components: those who add any build their own over its vocabulary
    and tokenizer)."""
    return spacy.blank("en")
