"""The event-type scheme (``data/event_types.toml``) and the extraction cue lexicon and sentence grammar
(``data/lexicons/extraction.toml``), each loaded once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from kg.cuepatterns import Patterns
from kg.resources import KnowledgeError, check_names, load_toml

ACTOR_KINDS = ("person", "organization", "country")
# The sections of data/lexicons/extraction.toml whose lists of patterns are cues named as the fields of ``Cues``; a
# key of [modality] that names no field is a modality.
_CUE_SECTIONS = ("modality", "attribution", "parties", "postponement")
_PATTERNS = "tuple[re.Pattern[str], ...]"


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    triggers: tuple[str, ...]
    priority: int
    requires: tuple[str, ...] = ()
    # (a list of one pattern, so that it is asked as the cues are: ``search_any``)
    requires_pattern: Patterns | None = None
    leader_triggers: tuple[str, ...] = ()
    party_kinds: tuple[str, ...] = ()
    subject_role: str | None = None
    object_role: str | None = None
    quantities: tuple[str, ...] = ()
    default_time: str | None = None
    duration_sets: str | None = None
    pair_triggers: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    object_kinds: tuple[str, ...] = ACTOR_KINDS
    fixed_modality: str | None = None
    required_roles: tuple[str, ...] = ()
    identity: tuple[str, ...] = ()
    ignore_modalities: tuple[str, ...] = ()
    time_cues: tuple[re.Pattern[str], ...] = ()
    time_excludes: tuple[re.Pattern[str], ...] = ()
    counted_times: tuple[re.Pattern[str], ...] = ()
    affiliations_as_parties: bool = False
    affiliated_role: str | None = None
    subject_kinds: tuple[str, ...] = ACTOR_KINDS
    dated_by: tuple[str, ...] = ()
    trigger_excludes: tuple[re.Pattern[str], ...] = ()
    promoted_from: tuple[str, ...] = ()
    promoted_triggers: tuple[str, ...] = ()
    dated_triggers: tuple[str, ...] = ()
    recap_triggers: tuple[str, ...] = ()
    noun_triggers: tuple[str, ...] = ()
    agent_triggers: tuple[str, ...] = ()
    kept_cancelled: bool = False
    trigger_contexts: dict[str, re.Pattern[str]] = field(default_factory=dict)
    fronted_contexts: tuple[str, ...] = ()
    contexts_before: dict[str, re.Pattern[str]] = field(default_factory=dict)
    trigger_subject_roles: dict[str, str] = field(default_factory=dict)
    shared_triggers: tuple[str, ...] = ()
    trigger_before: dict[str, re.Pattern[str]] = field(default_factory=dict)
    trigger_modality: dict[str, str] = field(default_factory=dict)
    predicates: tuple[re.Pattern[str], ...] = ()
    roleless_triggers: tuple[str, ...] = ()
    roleless_context: tuple[re.Pattern[str], ...] = ()
    continued_triggers: tuple[str, ...] = ()
    continues: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    multi_day: bool = False
    placeless: bool = False
    reported_ahead: bool = False
    dated_proposals: bool = False
    reported_after: bool = False
    anaphoric_triggers: tuple[str, ...] = ()
    reported_triggers: tuple[str, ...] = ()
    said_triggers: tuple[str, ...] = ()
    condition_triggers: tuple[str, ...] = ()
    object_of: tuple[re.Pattern[str], ...] = ()
    outcome_of: tuple[re.Pattern[str], ...] = ()
    promised: tuple[re.Pattern[str], ...] = ()
    denied_at_end: bool = False
    never_denied: bool = False
    immediate: tuple[re.Pattern[str], ...] = ()
    immediate_dated_by: tuple[str, ...] = ()
    counted_from: dict[str, Patterns] = field(default_factory=dict)
    subject_of: tuple[re.Pattern[str], ...] = ()
    effect_times: tuple[re.Pattern[str], ...] = ()
    pronoun_objects: tuple[re.Pattern[str], ...] = ()
    refers_to: tuple[str, ...] = ()
    pronoun_subjects: tuple[re.Pattern[str], ...] = ()
    noun_times: tuple[re.Pattern[str], ...] = ()
    counted_back: tuple[re.Pattern[str], ...] = ()
    setting_verbs: tuple[re.Pattern[str], ...] = ()
    set_as: tuple[re.Pattern[str], ...] = ()
    placing_verbs: tuple[re.Pattern[str], ...] = ()
    placed_at: tuple[re.Pattern[str], ...] = ()
    demand_openers: tuple[re.Pattern[str], ...] = ()
    topics: tuple[tuple[str, re.Pattern[str]], ...] = ()


@cache
def load_event_types() -> dict[str, EventType]:
    """The event-type scheme from ``data/event_types.toml``.

    >>> types = load_event_types()
    >>> "TalkRound" in types and types["TalkRound"].label
    'talk round'
    """
    types: dict[str, EventType] = {}
    for name, spec in load_toml("event_types.toml")["types"].items():
        types[name] = EventType(
            name=name, label=spec["label"], triggers=tuple(spec.get("triggers", ())),
            priority=int(spec.get("priority", 0)), requires=tuple(spec.get("requires", ())),
            requires_pattern=_compile([r"\b(?:" + "|".join(spec["requires"]) + ")"]) if spec.get("requires") else None,
            leader_triggers=_lowered(spec, "leader_triggers"),
            party_kinds=tuple(spec.get("party_kinds", ())), subject_role=spec.get("subject_role"),
            object_role=spec.get("object_role"), quantities=tuple(spec.get("quantities", ())),
            default_time=spec.get("default_time"), duration_sets=spec.get("duration_sets"),
            pair_triggers=tuple(spec.get("pair_triggers", ())), roles=tuple(spec.get("roles", ())),
            object_kinds=tuple(spec.get("object_kinds", ACTOR_KINDS)), fixed_modality=spec.get("fixed_modality"),
            required_roles=tuple(spec.get("required_roles", ())), identity=tuple(spec.get("identity", ())),
            ignore_modalities=tuple(spec.get("ignore_modalities", ())),
            time_cues=_compile(spec.get("time_cues", ())), time_excludes=_compile(spec.get("time_excludes", ())),
            counted_times=_compile(spec.get("counted_times", ())),
            affiliations_as_parties=bool(spec.get("affiliations_as_parties", False)),
            affiliated_role=spec.get("affiliated_role"),
            subject_kinds=tuple(spec.get("subject_kinds", ACTOR_KINDS)),
            dated_by=tuple(spec.get("dated_by", ())),
            trigger_excludes=_compile(spec.get("trigger_excludes", ())),
            promoted_from=tuple(spec.get("promoted_from", ())),
            promoted_triggers=tuple(spec.get("promoted_triggers", ())),
            dated_triggers=_lowered(spec, "dated_triggers"),
            recap_triggers=_lowered(spec, "recap_triggers"),
            noun_triggers=_lowered(spec, "noun_triggers"),
            agent_triggers=_lowered(spec, "agent_triggers"),
            kept_cancelled=bool(spec.get("kept_cancelled", False)),
            fronted_contexts=_lowered(spec, "fronted_contexts"),
            contexts_before=_patterns_by_trigger(name, spec, "contexts_before"),
            trigger_subject_roles={t.lower(): r for t, r in spec.get("trigger_subject_roles", {}).items()},
            shared_triggers=_lowered(spec, "shared_triggers"),
            predicates=_compile(spec.get("predicates", ())),
            roleless_triggers=_lowered(spec, "roleless_triggers"),
            roleless_context=_compile(spec.get("roleless_context", ())),
            continued_triggers=_lowered(spec, "continued_triggers"),
            continues=tuple(spec.get("continues", ())),
            replaces=tuple(spec.get("replaces", ())),
            multi_day=bool(spec.get("multi_day", False)),
            placeless=bool(spec.get("placeless", False)),
            reported_ahead=bool(spec.get("reported_ahead", False)),
            dated_proposals=bool(spec.get("dated_proposals", False)),
            reported_after=bool(spec.get("reported_after", False)),
            topics=tuple((name, re.compile(pattern, re.IGNORECASE))
                         for name, pattern in spec.get("topics", {}).items()),
            object_of=_compile(spec.get("object_of", ())),
            outcome_of=_compile(spec.get("outcome_of", ())),
            promised=_compile(spec.get("promised", ())),
            denied_at_end=bool(spec.get("denied_at_end", False)),
            never_denied=bool(spec.get("never_denied", False)),
            immediate=_compile(spec.get("immediate", ())),
            immediate_dated_by=tuple(spec.get("immediate_dated_by", ())),
            counted_from={name: _compile(patterns) for name, patterns in spec.get("counted_from", {}).items()},
            subject_of=_compile(spec.get("subject_of", ())),
            effect_times=_compile(spec.get("effect_times", ())),
            pronoun_objects=_compile(spec.get("pronoun_objects", ())),
            refers_to=tuple(spec.get("refers_to", ())),
            pronoun_subjects=_compile(spec.get("pronoun_subjects", ())),
            noun_times=_compile(spec.get("noun_times", ())),
            counted_back=_compile(spec.get("counted_back", ())),
            setting_verbs=_compile(spec.get("setting_verbs", ())),
            set_as=_compile(spec.get("set_as", ())),
            placing_verbs=_compile(spec.get("placing_verbs", ())),
            placed_at=_compile(spec.get("placed_at", ())),
            demand_openers=_compile(spec.get("demand_openers", ())),
            anaphoric_triggers=_lowered(spec, "anaphoric_triggers"),
            reported_triggers=_lowered(spec, "reported_triggers"),
            said_triggers=_lowered(spec, "said_triggers"),
            condition_triggers=_lowered(spec, "condition_triggers"),
            trigger_contexts=_patterns_by_trigger(name, spec, "trigger_contexts"),
            trigger_before=_patterns_by_trigger(name, spec, "trigger_before"),
            trigger_modality={t.lower(): m for t, m in spec.get("trigger_modality", {}).items()})
    return types


def _compile(patterns: Sequence[str]) -> Patterns:
    return Patterns(re.compile(p, re.IGNORECASE) for p in patterns)


def _exact(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern is not None else None


def _lowered(spec: dict[str, Any], key: str) -> tuple[str, ...]:
    """A list of trigger words of a type's entry, lower-cased as triggers are matched."""
    return tuple(t.lower() for t in spec.get(key, ()))


def _patterns_by_trigger(name: str, spec: dict[str, Any], key: str) -> dict[str, re.Pattern[str]]:
    """A table of a type's entry from trigger word (lower-cased) to the pattern that trigger needs.  One key may name
    several of the type's triggers that need the same pattern, separated by "|" ("ran out | runs out | expired"); a
    name that is none of them is an error (a misspelt key would check nothing).

    >>> spec = {"triggers": ["ran out", "Expired"], "after": {"ran out | expired": "x"}}
    >>> table = _patterns_by_trigger("Deadline", spec, "after")
    >>> sorted(table), table["ran out"] is table["expired"]
    (['expired', 'ran out'], True)
    """
    triggers = {t.lower() for t in spec.get("triggers", ())}
    table: dict[str, re.Pattern[str]] = {}
    for forms, pattern in spec.get(key, {}).items():
        compiled = re.compile(pattern, re.IGNORECASE)
        for form in (f.strip().lower() for f in forms.split("|")):
            if form not in triggers:
                raise KnowledgeError(f"data/event_types.toml: {key} of {name} names {form!r}, which is none of its "
                                     "triggers; add it to the triggers or correct the name")
            table[form] = compiled
    return table


@dataclass(frozen=True)
class Cues:
    """The cue lexicon (``data/lexicons/extraction.toml``).  A new cue is a field here and a list of the same name in
    one of the file's sections ``_CUE_SECTIONS``: ``load_cues`` finds it there."""
    modality: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    negation: tuple[re.Pattern[str], ...]
    hypothetical: tuple[re.Pattern[str], ...]
    undated_plans: tuple[re.Pattern[str], ...]
    conditional_after: tuple[re.Pattern[str], ...]
    claim_separators: tuple[re.Pattern[str], ...]
    background: tuple[re.Pattern[str], ...]
    attached: tuple[re.Pattern[str], ...]
    placed_times: tuple[re.Pattern[str], ...]
    reference_points: tuple[re.Pattern[str], ...]
    coordination: tuple[re.Pattern[str], ...]
    repetition: tuple[re.Pattern[str], ...]
    past_reference: tuple[re.Pattern[str], ...]
    clause_breaks: tuple[re.Pattern[str], ...]
    apposition: tuple[re.Pattern[str], ...]
    perfect_news: tuple[re.Pattern[str], ...]
    passive: tuple[re.Pattern[str], ...]
    coordinate_breaks: tuple[re.Pattern[str], ...]
    roles_before: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    roles_after: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    attribution_verbs: tuple[re.Pattern[str], ...]
    attribution_prefixes: tuple[re.Pattern[str], ...]
    quantities: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    ordinal: re.Pattern[str]
    ordinal_words: dict[str, int]
    collective: tuple[re.Pattern[str], ...]
    report_times: tuple[re.Pattern[str], ...]
    speech_participles: tuple[re.Pattern[str], ...]
    report_places: tuple[re.Pattern[str], ...]
    side_names: tuple[re.Pattern[str], ...]
    side_coordination: tuple[re.Pattern[str], ...]
    leader_titles: tuple[re.Pattern[str], ...]
    leader_nouns: tuple[re.Pattern[str], ...]
    leader_pronouns: tuple[re.Pattern[str], ...]
    plural_pronouns: tuple[re.Pattern[str], ...]
    speaker_subjects: tuple[re.Pattern[str], ...]
    meeting_openers: tuple[re.Pattern[str], ...]
    possessives: tuple[re.Pattern[str], ...]
    reciprocal: tuple[re.Pattern[str], ...]
    old_date: tuple[re.Pattern[str], ...]
    new_date: tuple[re.Pattern[str], ...]
    extension_amount: tuple[re.Pattern[str], ...]
    extension_object: tuple[re.Pattern[str], ...]
    same_day: tuple[re.Pattern[str], ...]
    topic: tuple[re.Pattern[str], ...]
    year_before: tuple[re.Pattern[str], ...]
    made_at: tuple[re.Pattern[str], ...]
    tally: tuple[re.Pattern[str], ...]
    topic_times: tuple[re.Pattern[str], ...]
    future_reference: tuple[re.Pattern[str], ...]
    coordinated: tuple[re.Pattern[str], ...]
    modifiers: tuple[re.Pattern[str], ...]
    said_at: tuple[re.Pattern[str], ...]
    said_after: tuple[re.Pattern[str], ...]
    referring_subject: tuple[re.Pattern[str], ...]
    scene_asides: tuple[re.Pattern[str], ...]
    approximate_counts: tuple[re.Pattern[str], ...]
    scene_openers: tuple[re.Pattern[str], ...]
    scene_clauses: tuple[re.Pattern[str], ...]
    locative: tuple[re.Pattern[str], ...]
    other_nouns_place: tuple[re.Pattern[str], ...]
    speech_place_after: tuple[re.Pattern[str], ...]
    speech_place_before: tuple[re.Pattern[str], ...]
    speech_place_inverted: tuple[re.Pattern[str], ...]
    counted_after: tuple[re.Pattern[str], ...]
    possessive_occasions: tuple[re.Pattern[str], ...]
    locative_after: tuple[re.Pattern[str], ...]
    locative_after_date: tuple[re.Pattern[str], ...]
    place_apposition_before: tuple[re.Pattern[str], ...]
    place_apposition_after: tuple[re.Pattern[str], ...]
    speaking_at: tuple[re.Pattern[str], ...]
    said_at_types: dict[str, tuple[re.Pattern[str], ...]]
    plan_windows: tuple[re.Pattern[str], ...]
    deadline_windows: tuple[re.Pattern[str], ...]
    open_starts: tuple[re.Pattern[str], ...]
    last_since: tuple[re.Pattern[str], ...]
    anaphora: tuple[re.Pattern[str], ...]
    measured_before: tuple[re.Pattern[str], ...]
    measured_after: tuple[re.Pattern[str], ...]
    generic_before: tuple[re.Pattern[str], ...]
    habitual_before: tuple[re.Pattern[str], ...]
    possessive_her: tuple[re.Pattern[str], ...]
    compound_after: tuple[re.Pattern[str], ...]
    preferred_quantities: dict[str, tuple[re.Pattern[str], ...]]
    comparisons: tuple[re.Pattern[str], ...]
    described_times: tuple[re.Pattern[str], ...]
    counted_occasions: tuple[re.Pattern[str], ...]
    ordinal_periods: tuple[re.Pattern[str], ...]
    ordinals_before: tuple[re.Pattern[str], ...]
    span_start: tuple[re.Pattern[str], ...]
    span_end: tuple[re.Pattern[str], ...]
    span_days: tuple[re.Pattern[str], ...]
    span_closing: tuple[re.Pattern[str], ...]
    negation_after: tuple[re.Pattern[str], ...]
    negation_subject: tuple[re.Pattern[str], ...]
    unlikely_after: tuple[re.Pattern[str], ...]
    unheld_after: tuple[re.Pattern[str], ...]
    realized_after: tuple[re.Pattern[str], ...]
    as_planned: tuple[re.Pattern[str], ...]
    topic_verbs: tuple[re.Pattern[str], ...]
    topic_passives: tuple[re.Pattern[str], ...]
    self_reference: tuple[re.Pattern[str], ...]
    party_verbs: tuple[re.Pattern[str], ...]
    event_verbs: tuple[re.Pattern[str], ...]
    inverted: tuple[re.Pattern[str], ...]
    generic_sides: dict[str, str]
    generic_not_before: tuple[re.Pattern[str], ...]
    generic_places: dict[str, re.Pattern[str]]
    armed_names: tuple[re.Pattern[str], ...]
    body_names: tuple[re.Pattern[str], ...]
    governed_after: tuple[re.Pattern[str], ...]
    governed_before: tuple[re.Pattern[str], ...]
    relative_time: tuple[re.Pattern[str], ...]
    own_clause_after: tuple[re.Pattern[str], ...]
    antecedent_times: tuple[re.Pattern[str], ...]
    complement_opens: tuple[re.Pattern[str], ...]
    naming_determiners: tuple[re.Pattern[str], ...]
    occasions: tuple[re.Pattern[str], ...]
    when_clauses: tuple[re.Pattern[str], ...]
    present_reports: tuple[re.Pattern[str], ...]
    clock_stamps: tuple[re.Pattern[str], ...]
    date_lines: tuple[re.Pattern[str], ...]
    live_stamps: tuple[re.Pattern[str], ...]
    alert_flags: tuple[re.Pattern[str], ...]
    pronoun_subject: tuple[re.Pattern[str], ...]
    passive_report: tuple[re.Pattern[str], ...]
    counted_from: tuple[re.Pattern[str], ...]
    coordinated_speech: tuple[re.Pattern[str], ...]
    coordinated_subject_before: tuple[re.Pattern[str], ...]
    reported_conditions: tuple[re.Pattern[str], ...]
    continued_complements: tuple[re.Pattern[str], ...]
    named_times: tuple[re.Pattern[str], ...]
    perfect: tuple[re.Pattern[str], ...]
    pluperfect: tuple[re.Pattern[str], ...]
    past_verbs: tuple[re.Pattern[str], ...]
    to_be: tuple[re.Pattern[str], ...]
    verb_auxiliaries: tuple[re.Pattern[str], ...]
    open_since: tuple[re.Pattern[str], ...]
    listed_adjectives: tuple[re.Pattern[str], ...]
    # (order, before, between, after): the side a person acts for (article.person_sides)
    person_sides: tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str], re.Pattern[str] | None], ...]
    pronoun_person_sides: tuple[re.Pattern[str], ...]
    person_side_roles: dict[str, str]


@dataclass(frozen=True)
class Grammar:
    """The small patterns of sentence structure the rules read around actors, triggers and times (the ``[grammar]``
    section of ``data/lexicons/extraction.toml``, where each is explained).  Matched as written: case-sensitive
    unless the pattern opens with ``(?i)``."""
    who_clause: re.Pattern[str]
    who: re.Pattern[str]
    auxiliaries: re.Pattern[str]
    appositive_open: re.Pattern[str]
    of_complement: re.Pattern[str]
    oblique: re.Pattern[str]
    oblique_possessor: re.Pattern[str]
    possessive: re.Pattern[str]
    role_as: re.Pattern[str]
    date_next: re.Pattern[str]
    date_opening: re.Pattern[str]
    opening_reach: re.Pattern[str]
    refines: re.Pattern[str]
    set_off: re.Pattern[str]
    passive_by: re.Pattern[str]
    event_pronoun: re.Pattern[str]
    ordinal_ellipsis: re.Pattern[str]
    ordinal_antecedent: re.Pattern[str]
    ordinal_apposed: re.Pattern[str]
    day_written: re.Pattern[str]


@cache
def load_grammar() -> Grammar:
    """The ``[grammar]`` patterns of ``data/lexicons/extraction.toml``, one per field of ``Grammar``."""
    data: dict[str, str] = load_toml("lexicons", "extraction.toml").get("grammar", {})
    check_names("data/lexicons/extraction.toml [grammar]", data, (f.name for f in fields(Grammar)),
                "kg.extract.scheme.Grammar")
    return Grammar(**{f.name: re.compile(data[f.name]) for f in fields(Grammar)})


@cache
def load_cues() -> Cues:
    """The cue lexicon: each field of ``Cues`` that is a list of patterns is the list of that name in one of the
    sections ``_CUE_SECTIONS``; the other fields are built from their own sections."""
    data: dict[str, Any] = load_toml("lexicons", "extraction.toml")
    modality, roles, spans = data["modality"], data["roles"], data["spans"]
    built: dict[str, Any] = dict(
        modality=tuple((name, _compile(patterns)) for name, patterns in modality.items()
                       if name not in Cues.__dataclass_fields__),
        roles_before=tuple((role, _compile(spec.get("before", ()))) for role, spec in roles.items()),
        roles_after=tuple((role, _compile(spec.get("after", ()))) for role, spec in roles.items()),
        attribution_verbs=_compile(data["attribution"]["verbs"]),
        attribution_prefixes=_compile(data["attribution"]["prefixes"]),
        quantities=tuple((key, _compile(patterns)) for key, patterns in data["quantities"].items()),
        preferred_quantities={key: _compile(patterns) for key, patterns in data.get("preferred_quantities", {}).items()},
        ordinal=re.compile(data["ordinals"]["pattern"], re.IGNORECASE),
        ordinal_words={k.lower(): int(v) for k, v in data["ordinals"]["words"].items()},
        said_at_types={name: _compile(patterns) for name, patterns in data["said_at_types"].items()},
        span_start=_compile(spans["start"]),
        span_end=_compile(spans["end"]),
        span_days=_compile(spans["days"]),
        span_closing=_compile(spans.get("closing", ())),
        generic_sides=dict(data["parties"].get("generic_sides", {})),
        generic_places={head: re.compile(p, re.IGNORECASE)
                        for head, p in data["parties"].get("generic_places", {}).items()},
        # (matched case-sensitively: "the Front's envoy" names a side, "the front's envoy" none)
        person_sides=tuple((spec["order"], _exact(spec.get("before")), re.compile(spec["between"]),
                            _exact(spec.get("after"))) for spec in data["parties"].get("person_sides", ())),
        person_side_roles=dict(data["parties"].get("person_side_roles", {})),
    )
    for cue in fields(Cues):
        if cue.name in built or cue.type != _PATTERNS:
            continue
        lists = [data[section][cue.name] for section in _CUE_SECTIONS if cue.name in data.get(section, {})]
        if len(lists) != 1:
            raise KnowledgeError(f"data/lexicons/extraction.toml: the cue list {cue.name!r} must be in exactly one "
                                 f"of the sections {', '.join(_CUE_SECTIONS)} (it is in {len(lists)}); an empty list "
                                 "will do")
        built[cue.name] = _compile(lists[0])
    return Cues(**built)
