"""Identifiers derived from content, so IRIs are stable across runs.

>>> slugify("Çankaya Köşkü")
'cankaya-kosku'
>>> make_id("event", "TalkRound", "2025-01-02") == make_id("event", "TalkRound", "2025-01-02")
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII slug of ``text`` (accents folded, punctuation to dashes)."""
    folded = unicodedata.normalize("NFKD", text.replace("ı", "i")).encode("ascii", "ignore").decode()
    return _NON_WORD.sub("-", folded.lower()).strip("-") or "x"


def make_id(prefix: str, *parts: object) -> str:
    """``prefix-<12 hex>`` from the parts' text, like followthemoney's make_entity_id."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:12]}"
