"""Extract stage: typed event mentions from annotated sentences.

The extractor is one stage behind a small interface: anything with an
``extract(annotated: AnnotatedArticle) -> list[EventMention]`` method can
replace or join ``RuleExtractor``.  A trained sentence model joins it already
(``learned``): it proposes triggers the lexicon lacks, and the rules read
their arguments.

``RuleExtractor`` reads everything it knows from data: triggers, required
context words and argument roles per type from ``data/event_types.toml``;
modality, negation, role, attribution, quantity and ordinal cues from
``data/lexicons/extraction.toml``.  Arguments come from the sentence's
structure around the trigger (cue words next to a mention, the nearest actor
before / after the trigger), never from a list of names.

The package, one concern a module (each imports only those above it):

- ``scheme``: the event-type scheme and the cue lexicon, loaded from data;
- ``knowledge``: both, with what the gazetteer says of actors, in one frozen record;
- ``sentence``: a trigger's span and the word tests around it that the rules share;
- ``modality``: clauses, negation, modality, quotations, topic nouns;
- ``participants``: participants and roles, attribution, quantities, ordinals;
- ``triggers``: finding, promoting and pairing triggers, and which of them report events;
- ``timing``: the time each event owns, postponements, claims, windows, spans;
- ``article``: article-level passes (third parties, generic sides, the two sides, occasions, announcements);
- ``learned``: the trained sentence model (features, the model file, proposals; trained by ``kg.train``);
- ``rules``: ``RuleExtractor``, which runs them.
"""

from kg.extract.rules import Extractor, RuleExtractor, extract, get_extractor
from kg.extract.scheme import EventType, load_event_types

__all__ = ["EventType", "Extractor", "RuleExtractor", "extract", "get_extractor", "load_event_types"]
