"""spaCy's blank English pipeline, one per process, whose vocabulary and tokenizer the annotator and the trigger
lexicon share: the annotator reads an article with it, and the trigger lexicon then matches each sentence's tokens
in the annotator's doc (``Reading``); it reads a sentence again only when its tokens there may not be those of the
sentence alone, and then each word's lexeme is made already and its words are in the tokenizer's cache."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.attrs import IS_ALPHA, IS_LOWER, IS_PUNCT, IS_STOP, IS_TITLE, IS_UPPER, LANG, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span


# The lexical attributes the project reads of a word (the phrase matchers' LOWER, kg.annotate's token records), and
# its language: the only ones the vocabulary computes for a word it meets for the first time.
READ_ATTRIBUTES = frozenset({LANG, LOWER, IS_ALPHA, IS_LOWER, IS_TITLE, IS_UPPER, IS_PUNCT, IS_STOP})
# How many runs of non-space characters the tokenizer keeps the split of (spaCy keeps 10,000, fewer than a few
# hundred articles hold; each costs some tens of bytes).
TOKENIZER_CACHE = 200_000


@cache
def blank_english() -> Language:
    """The process's blank English pipeline (no components: those who add any build their own over its vocabulary
    and tokenizer).  Its vocabulary computes only ``READ_ATTRIBUTES`` of a new word: spaCy would also compute its
    norm, shape, prefix, suffix, like_num, like_url ..., about half the cost of reading an article's new words, and
    the project reads none of them (a token's other lexical attributes read as empty or False: add one to
    ``READ_ATTRIBUTES`` before reading it)."""
    nlp = spacy.blank("en")
    nlp.vocab.lex_attr_getters = {attribute: getter for attribute, getter in nlp.vocab.lex_attr_getters.items()
                                  if attribute in READ_ATTRIBUTES}
    nlp.tokenizer.max_cache_size = max(nlp.tokenizer.max_cache_size, TOKENIZER_CACHE)
    return nlp


@dataclass(frozen=True)
class Reading:
    """An article as the annotator's pipeline read it: the doc of the headline and text, the doc's text, where the
    article's text starts in it, and each token's character offset.  The extractor takes each sentence's words from
    it instead of tokenizing the sentence again."""
    doc: Doc
    text: str
    offset: int
    starts: list[int]

    def words(self, start: int, text: str) -> Span | None:
        """The doc's tokens of ``text``, a sentence at ``start`` in the article's text, when they are the tokens the
        tokenizer makes of ``text`` alone; else None.  They are when ``text`` is there in the doc and starts and ends
        a run of non-space characters: the tokenizer cuts the text at whitespace first and reads each run by
        itself."""
        at = self.offset + start
        end = at + len(text)
        if not text or text[0].isspace() or text[-1].isspace() or self.text[at:end] != text \
                or (at > 0 and not self.text[at - 1].isspace()) \
                or (end < len(self.text) and not self.text[end].isspace()):
            return None
        first = bisect_left(self.starts, at)
        if first == len(self.starts) or self.starts[first] != at:
            return None
        return self.doc[first:bisect_left(self.starts, end)]
