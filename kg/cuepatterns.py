"""Cue lists as the rules ask them: does any pattern of the list find a match in a few words?

The rules' cues are compiled case-insensitively.  Python's regex engine skips ahead to a pattern's first letters,
and tries its alternatives' first letters before trying them, only when they are case-sensitive: a
case-insensitive pattern is tried in full at every position of the text.  So each list keeps, besides its patterns,
one pattern joining them (``(?:a)|(?:b)``: one scan instead of one per pattern) and, when it finds the same there,
that pattern compiled case-sensitively, which ``search_any``, ``match_any`` and ``fullmatch_any`` ask of the lower
case of a text of ASCII and typographic punctuation (whose lower case keeps every offset: ``readable``); ``each_for``
gives the patterns themselves case-sensitively for such text in lower case, for callers that need their matches.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property, lru_cache
from typing import Any

# (the regex engine's parser and compiler are CPython's private modules: should a later Python move or change them,
# ``without_case`` gives None and every cue list is asked as written, case-insensitively: slower, never different)
try:
    if sys.version_info >= (3, 11):
        from re import _compiler as _sre_compile, _constants as _sre_constants, _parser as _sre_parse
    else:  # pragma: no cover - the same modules under their old names
        import sre_compile as _sre_compile
        import sre_constants as _sre_constants
        import sre_parse as _sre_parse
except ImportError:  # pragma: no cover
    _sre_compile = _sre_constants = _sre_parse = None

# A backreference or a group-conditional counts groups from the pattern's own start: joined after other patterns,
# it would count wrong.
_GROUP_NUMBERED = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")
# The characters besides ASCII that a text ``without_case`` forms read may hold: typographic punctuation and the
# no-break space, which have no case (their lower case is themselves).
_PUNCTUATION = "\u2019\u2018\u201c\u201d\u2014\u2013\u2026\u00b7\u2022\u00ab\u00bb\u00a0"
_ALPHABET = "".join(chr(c) for c in range(128)) + _PUNCTUATION
_UNREADABLE = re.compile(f"[^\\x00-\\x7f{_PUNCTUATION}]")
_C: Any = _sre_constants
_ONE_CHARACTER = (_C.LITERAL, _C.NOT_LITERAL, _C.IN, _C.ANY) if _C else ()
_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", _C.MAX_REPEAT)) if _C else ()


class Patterns(tuple[re.Pattern[str], ...]):
    """A cue list's compiled patterns (a tuple, as read everywhere) with the forms ``search_any``, ``match_any``,
    ``fullmatch_any`` and ``each_for`` ask instead: ``joined``, one pattern that matches where any of them does
    (None when they cannot be joined); ``cased``, that pattern compiled case-sensitively when it finds in the lower
    case of a ``readable`` text what ``joined`` finds in the text (``without_case``; else None).  (Made with the list,
    when the lexicons load: a process pays for them before its first article, not during its run.)"""

    joined: re.Pattern[str] | None
    cased: re.Pattern[str] | None
    _hash: int

    def __new__(cls, patterns: Iterable[re.Pattern[str]]) -> Patterns:
        self = super().__new__(cls, patterns)
        self.joined = _joined(self)
        self.cased = without_case(self.joined) if self.joined is not None else None
        # A tuple's hash asks each compiled pattern's, which hashes the pattern's whole compiled code each time; the
        # rules' memos key on cue lists ("cue_before") tens of thousands of times an article set: the same value, kept.
        self._hash = tuple.__hash__(self)
        return self

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[Patterns], tuple[tuple[re.Pattern[str], ...]]]:
        return Patterns, (tuple(self),)

    @cached_property
    def each_cased(self) -> tuple[re.Pattern[str], ...]:
        """Each pattern compiled case-sensitively where it finds the same in ``readable`` lower-case text, else as
        it is.  (Made when first asked for: only a few lists are read for their matches.)"""
        return tuple(without_case(p) or p for p in self)

    def _for(self, text: str) -> tuple[re.Pattern[str] | None, str]:
        """The joined pattern to ask and the text to ask it of: the case-sensitive one of the text's lower case when
        it finds the same there (``without_case``)."""
        if self.cased is not None and readable(text):
            return self.cased, text.lower()
        return self.joined, text


def search_any(patterns: Sequence[re.Pattern[str]], text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
    """``any(p.search(text, pos, endpos) for p in patterns)``, in one scan when ``patterns`` are ``Patterns``.

    >>> cues = Patterns(re.compile(p, re.IGNORECASE) for p in (r"\\bwill\\b", r"\\bplanned\\b"))
    >>> search_any(cues, "the talks planned for may"), search_any(cues, "The talks Will resume"), search_any(cues, "no")
    (True, True, False)
    """
    return _ask(re.Pattern.search, patterns, text, pos, endpos)


def match_any(patterns: Sequence[re.Pattern[str]], text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
    """``any(p.match(text, pos, endpos) for p in patterns)``, in one try when ``patterns`` are ``Patterns``."""
    return _ask(re.Pattern.match, patterns, text, pos, endpos)


def fullmatch_any(patterns: Sequence[re.Pattern[str]], text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
    """``any(p.fullmatch(text, pos, endpos) for p in patterns)``, in one try when ``patterns`` are ``Patterns``."""
    return _ask(re.Pattern.fullmatch, patterns, text, pos, endpos)


def _ask(how: Callable[[re.Pattern[str], str, int, int], re.Match[str] | None], patterns: Sequence[re.Pattern[str]],
         text: str, pos: int, endpos: int) -> bool:
    """Whether ``how`` (a pattern's search, match or fullmatch) finds anything with any of ``patterns``: with their
    joined form, read case-sensitively in the text's lower case where that finds the same, when they are
    ``Patterns``; else with each in turn."""
    if isinstance(patterns, Patterns):
        joined, read = patterns._for(text)
        if joined is not None:
            return how(joined, read, pos, endpos) is not None
    return any(how(p, text, pos, endpos) is not None for p in patterns)


def each_for(patterns: Sequence[re.Pattern[str]], text: str) -> Sequence[re.Pattern[str]]:
    """The patterns to ask one by one of ``text`` for their matches: case-sensitive ones where they find the same,
    when the text is ``readable`` and in lower case (the matches are then of ``text`` itself: their spans, groups and
    ``string`` are the same; only ``Match.re`` differs).

    >>> cues = Patterns([re.compile(r"\\bon (\\w+)", re.IGNORECASE)])
    >>> [p.search("met on friday").group(1) for p in each_for(cues, "met on friday")]
    ['friday']
    """
    if isinstance(patterns, Patterns) and text.islower() and readable(text):
        return patterns.each_cased
    return patterns


def _joined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern that matches where any of ``patterns`` does (the alternatives of a regex are tried in turn at each
    position, so it finds a match at the first position where any of them does); None when they cannot be joined:
    different flags, a backreference, a verbose pattern (whose comment would hide the closing parenthesis) or a flag
    written inside one of them."""
    if not patterns:
        return None
    if len(patterns) == 1:
        return patterns[0]
    flags = patterns[0].flags
    if flags & re.VERBOSE or any(p.flags != flags or _GROUP_NUMBERED.search(p.pattern) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags)
    except re.error:    # e.g. a pattern opening with a global flag ("(?i)..."), which must stay at the start
        return None


def without_case(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` with no part of it case-insensitive any more, when in the lower case of any ``readable`` text it
    finds exactly what ``pattern`` finds in that text (same spans: lower-casing such text keeps every offset); else
    None (a pattern with nothing case-insensitive in it, or one with a case-sensitive part or that asks for a capital).

    Only the steps that read one character depend on the case flag (word boundaries, lookarounds and repeats do
    not), so it is enough that each such step takes a character read as in ``pattern`` exactly when it takes its
    lower case read case-sensitively; each is compiled both ways and tried on every character readable text holds.

    >>> bool(without_case(re.compile(r"\\b(will|would)\\s+[a-z]+", re.IGNORECASE)).flags & re.IGNORECASE)
    False
    >>> without_case(re.compile(r"\\b[A-Z]\\w+", re.IGNORECASE)) is None
    True
    >>> without_case(re.compile(r"(?<![A-Za-z])(?i:may|june)(?![A-Za-z])")).search("since june").span()
    (6, 10)
    """
    flags = pattern.flags
    if flags & (re.LOCALE | re.VERBOSE) or _sre_parse is None:
        return None
    try:
        # (parsed without the flag, which the parser does not read: the compiler reads the steps with it or not)
        parsed = _sre_parse.parse(pattern.pattern, flags & ~re.IGNORECASE)
        insensitive = bool((flags | parsed.state.flags) & re.IGNORECASE)     # (also a pattern opening with "(?i)")
        parsed.state.flags &= ~re.IGNORECASE
        uncased: list[bool] = [insensitive]
        if not _case_free(parsed, flags & ~re.IGNORECASE, insensitive, uncased) or not any(uncased):
            return None
        return _sre_compile.compile(parsed, flags & ~re.IGNORECASE)
    except Exception:  # a private module changed (see the imports): asked as written  # pragma: no cover
        return None


def readable(text: str) -> bool:
    """Whether ``without_case`` forms may read the text's lower case: it holds ASCII and typographic punctuation
    only, whose lower case has the same length and offsets.

    >>> readable("Talks resumed — “at last”"), readable("Škoda")
    (True, False)
    """
    return text.isascii() or _UNREADABLE.search(text) is None


def _case_free(steps: Any, flags: int, insensitive: bool, uncased: list[bool]) -> bool:
    """Whether each one-character step of ``steps`` takes the same readable characters read as in the pattern
    (case-insensitively when ``insensitive``) as it takes of their lower case read case-sensitively.  A group of its
    own that sets the case flag ("(?i:...)") is read case-sensitively after this (its flag cleared: ``uncased``
    notes it).  Anything not known here counts as different."""
    for index, (op, av) in enumerate(list(steps)):
        if op in _ONE_CHARACTER:
            if not _same_both_ways(op, av, flags, insensitive):
                return False
        elif op is _C.SUBPATTERN:
            group, add_flags, del_flags, inner = av
            if add_flags & re.IGNORECASE:
                steps[index] = (op, (group, add_flags & ~re.IGNORECASE, del_flags, inner))
                uncased.append(True)
            inner_insensitive = bool(add_flags & re.IGNORECASE) or (insensitive and not del_flags & re.IGNORECASE)
            if not _case_free(inner, flags, inner_insensitive, uncased):
                return False
        elif op is _C.BRANCH:
            if not all(_case_free(alternative, flags, insensitive, uncased) for alternative in av[1]):
                return False
        elif op in _REPEATS:
            if not _case_free(av[2], flags, insensitive, uncased):
                return False
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            if not _case_free(av[1], flags, insensitive, uncased):
                return False
        elif op is getattr(_C, "ATOMIC_GROUP", None):
            if not _case_free(av, flags, insensitive, uncased):
                return False
        elif op not in (_C.AT, _C.CATEGORY):
            return False    # (a backreference among them: compared by case in one compilation, not the other)
    return True


def _same_both_ways(op: Any, av: Any, flags: int, insensitive: bool) -> bool:
    """One step takes a character of ``_ALPHABET``, read with ``flags`` (and the case flag when ``insensitive``),
    exactly when it takes its lower case read with ``flags``."""
    if op is _C.LITERAL and av < 128 and not 65 <= av <= 90:
        return True     # (most steps: a small letter, a space or a sign, which only its own case pairs take)
    return _same_both_ways_frozen(op, _frozen(av), flags, insensitive)


# (the cue lists repeat the same steps thousands of times: each is compiled and tried once)
@lru_cache(maxsize=None)
def _same_both_ways_frozen(op: Any, av: Any, flags: int, insensitive: bool) -> bool:
    taken = set(_takes(op, av, flags | re.IGNORECASE if insensitive else flags))
    lowered = set(_takes(op, av, flags))
    return taken == {c for c in _ALPHABET if c.lower() in lowered}


def _takes(op: Any, av: Any, flags: int) -> list[str]:
    """The characters of ``_ALPHABET`` one step takes (each step reads exactly one character)."""
    step = _sre_compile.compile(_sre_parse.SubPattern(_sre_parse.State(), [(op, av)]), flags)
    return step.findall(_ALPHABET)


def _frozen(av: Any) -> Any:
    """A step's argument with its lists made tuples (hashable; the regex compiler reads both alike)."""
    return tuple(_frozen(x) for x in av) if isinstance(av, (list, tuple)) else av
