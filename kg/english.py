"""spaCy's blank English pipeline, one per process, whose vocabulary and tokenizer the annotator and the trigger
lexicon share: the annotator reads an article with it, and the trigger lexicon then matches each sentence's tokens
in the annotator's doc (``Reading``); it reads a sentence again only when its tokens there may not be those of the
sentence alone, and then each word's lexeme is made already and its words are in the tokenizer's cache."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span


@cache
def blank_english() -> Language:
    """The process's blank English pipeline (no components: those who add any build their own over its vocabulary
    and tokenizer)."""
    return spacy.blank("en")


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
