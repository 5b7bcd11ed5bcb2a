"""Who takes part in an event and how: participants and their roles, the sentence's reporter (attribution),
quantities and ordinals."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from kg.cuepatterns import each_for, fullmatch_any, match_any, search_any
from kg.extract.knowledge import Knowledge
from kg.extract.scheme import ACTOR_KINDS, EventType
from kg.extract.sentence import CUE_BEFORE_REACH, Trigger
from kg.records import EntityMention, Participant
from kg.resources import load_toml
from kg.timex import count_value

# How far after the trigger its object may start.
OBJECT_WINDOW = 45
# How much text after a mention its role cues may span ("Aurel Vask, a Vestan diplomat whom the Secretary-General
# appointed in April": the appointing verb after an appositive).
ROLE_REACH_AFTER = 90
# How far after (and before) its trigger a proposal's topic may be named ("proposed that the delegations meet again
# in Tarsova"; "the Vestan ceasefire proposal").
TOPIC_WINDOW = 80
TOPIC_BEFORE = 25
# Only capitalised words (a title) between an inverted reporting verb and its speaker ("said Foreign Minister X").
_TITLE_GAP = re.compile(r"\s+(?:[A-Z][\w.'’-]*\s+){0,4}")
# The roles of a third party to a process (a mediator, a host): no side of it.
THIRD_PARTY_ROLES = frozenset({"host", "mediator"})
# Cue roles that participants_of may turn into "party" (a delegation's head, a signatory, a side hosting): looked for,
# with a type's own roles, when the type has parties (keep in step with the branches there that turn them).
_PARTY_CUES = frozenset({"delegation_head", "signatory", "host"})


def is_locative(kb: Knowledge, text: str, start: int, end: int) -> bool:
    """An actor named where something happens: "talks in Norland", a chronology's "May 4, 2026, Vesta:", or the
    country of a place, "talks in Lenby, Norland, under ..."."""
    return search_any(kb.cues.locative, text[max(0, start - 20):start]) \
        or (match_any(kb.cues.locative_after, text, end)
            and search_any(kb.cues.locative_after_date, text[max(0, start - 8):start])) \
        or (match_any(kb.cues.place_apposition_after, text, end)
            and search_any(kb.cues.place_apposition_before, text[max(0, start - 50):start]))


def participants_of(kb: Knowledge, text: str, entities: list[EntityMention], trigger: Trigger,
                    sides: frozenset[str] = frozenset(),
                    third: dict[str, str] | None = None) -> tuple[Participant, ...]:
    event_type = trigger.type
    third = third or {}
    actors = [e for e in entities if e.kind in ACTOR_KINDS]
    roles: dict[str, str] = {}
    names: dict[str, str] = {}
    # (only the cue roles this type can use: its own, and those that make a side a party)
    usable = frozenset(event_type.roles) | (_PARTY_CUES if "party" in event_type.roles else frozenset())
    for mention in actors:
        names.setdefault(mention.key, mention.name)
        if fullmatch_any(kb.cues.possessives, mention.text.lower()):
            continue
        for role in cue_roles(kb, text, mention, only=usable):
            if role == "delegation_head" and mention.kind != "person":
                if mention.affiliation:
                    continue    # "the secretary of X's security council led the delegation": not a side
                role = "party"
            if role == "signatory" and mention.kind != "person":
                role = "party"      # "Norland and the Front put their names to a truce": sides, not signers
            if role == event_type.object_role and mention.kind not in event_type.object_kinds:
                continue
            if role == "party" and mention.key in third and mention.key not in sides:
                continue    # "postponed by Vesta", where Vesta mediates: not a side
            if role == "host" and mention.key in sides and mention.kind != "person" and "party" in event_type.roles:
                role = "party"    # "Norland will host the next round": one of the two sides hosts, still a side
            if role in event_type.roles:
                roles.setdefault(mention.key, role)
                break
    for mention in actors:
        if mention.key in roles or is_reporter(kb, text, mention, trigger):
            continue
        if mention.kind == "country" and mention.key not in sides \
                and is_locative(kb, text, mention.start, mention.end):
            # "the agreement reached in Norland": where it happened, not who made it (unless the article is
            # about Norland: "a truce in Norland")
            if "host" in event_type.roles:
                roles[mention.key] = "host"
            continue
        # ("The NRF declared a truce": a body that declares or agrees to the event takes part in it)
        declares = "party" in event_type.roles and mention.kind == "organization" and not mention.affiliation \
            and mention.key not in third and kb.may_be_side(mention.key, mention.name) \
            and mention.end <= trigger.start \
            and fullmatch_any(kb.cues.party_verbs, text[mention.end:trigger.start])
        if _party_kind(kb, text, actors, mention, event_type) or declares:
            if mention.key in third and mention.key not in sides:
                # a state the article shows mediating or hosting is not a side of its events
                third_role = next((r for r in (third[mention.key], "mediator", "host") if r in event_type.roles), None)
                if third_role is not None:
                    roles[mention.key] = third_role
                continue
            roles[mention.key] = "party"
    if event_type.subject_role and event_type.subject_role not in roles.values():
        # A reporter ("Vask wrote that every new ultimatum ...") is the subject of the statement,
        # not of the event it talks about.
        # The speaker of a statement is whoever stands right before the reporting verb.
        # The actor right before the trigger verb is its subject even when the verb also reports
        # ("Norburg has suggested meeting again").
        subjects = [a for a in actors if a.kind in event_type.subject_kinds
                    and not (after_preposition(kb, text, _title_start(text, a)) and not kb.grammar.who.match(text, a.end))
                    and not possessor_after_preposition(kb, text, a, trigger)
                    and ((event_type.subject_role == "speaker")
                         == is_reporter(kb, text, a, trigger if event_type.subject_role != "speaker" else None)
                         or kb.grammar.auxiliaries.fullmatch(_after_complement(kb, text, a, trigger.start)) is not None
                         or (event_type.subject_role == "speaker" and _speaks_after(kb, text, a, trigger)))]
        subject = _nearest_side(subjects, trigger.start, before=True, exclude=roles)
        if event_type.subject_role == "speaker" and subject is not None and any(
                a.kind not in event_type.subject_kinds and subject.end <= a.start and a.end <= trigger.start
                and kb.grammar.auxiliaries.fullmatch(text[a.end:trigger.start]) and not after_preposition(kb, text, a.start)
                for a in actors):
            # "X wrote on social media that ..., while Vesta accused Norland of ...": the verb's subject is the
            # body right before it, which speaks for no named person; not X from an earlier clause (but "Vask of
            # the Front accused ...": a body after a preposition is no subject)
            subject = None
        if subject is None and event_type.subject_role == "speaker" \
                and search_any(kb.cues.inverted, text[:trigger.start]):
            # "The deal is fragile, said John Kirby": the speaker right after the verb
            subject = next((a for a in actors if a.kind in event_type.subject_kinds and a.start >= trigger.end
                            and _TITLE_GAP.fullmatch(text[trigger.end:a.start])), None)
        if subject is None and trigger.text.lower() in event_type.condition_triggers:
            # "Morales said that if Vesta did not free the crew by Friday, the truce would end": who states the
            # condition sets it
            subject = reporter_before(kb, text, [a for a in actors if a.kind in event_type.subject_kinds],
                                      trigger.start, exclude=roles)
        if subject is None and event_type.subject_role != "speaker":
            # "The Union warned that it would impose ...": a reporter speaking of itself is the subject
            subject = _nearest_side([a for a in actors if a.kind in event_type.subject_kinds and a.end <= trigger.start
                                     and is_reporter(kb, text, a) and any(
                                         p.search(text[a.end:trigger.start]) for p in kb.cues.self_reference)],
                                    trigger.start, before=True, exclude=roles)
        if subject is not None:
            roles[subject.key] = event_type.subject_role
    if event_type.subject_role and event_type.subject_role != "speaker":
        # "Norland and Vesta threatened sanctions": a subject coordinated with the one before it acts with it
        for doer in [a for a in actors if roles.get(a.key) == event_type.subject_role and a.end <= trigger.start]:
            for other in actors:
                if roles.get(other.key, "party") == "party" and other.kind in event_type.subject_kinds \
                        and other.end <= doer.start \
                        and fullmatch_any(kb.cues.side_coordination, text[other.end:doer.start]):
                    roles[other.key] = event_type.subject_role
    if event_type.object_role and event_type.object_role not in roles.values():
        # ("Vesta cut the deadline to 48 hours, Prime Minister Ana Morales said": the source of the sentence is no
        # target)
        # ("replaced her chief negotiator": a possessive pronoun is no object)
        objects = [a for a in actors if a.kind in event_type.object_kinds and a.start - trigger.end <= OBJECT_WINDOW
                   and not (a.start >= trigger.end and is_reporter(kb, text, a)) and not _possessive(kb, text, a)]
        obj = _nearest_side(objects, trigger.end, before=False, exclude=roles)
        if obj is not None:
            roles[obj.key] = event_type.object_role
    # A delegation head's country is a party to the talks even when the sentence names only the person.
    named_parties = any(mention.kind in event_type.party_kinds for mention in actors)
    if event_type.party_kinds:
        for mention in actors:
            # (a delegation head or a signatory acts for its side: "FARC leader X signed")
            leads = roles.get(mention.key) in ("delegation_head", "signatory")
            # "Armenian Foreign Minister X and Azerbaijani Foreign Minister Y met": with no country named
            # on its own, the ministers' countries are the parties.
            # (not a host's or mediator's country: "with Norland's Ana Morales as host"; nor that of a state the
            # article shows mediating or hosting: "Tarsova's envoy suggested the sides meet again in Lenby")
            stands_for = event_type.affiliations_as_parties and not named_parties and mention.kind == "person" \
                and mention.affiliation in kb.countries and not is_reporter(kb, text, mention, trigger) \
                and not (mention.affiliation in third and mention.affiliation not in sides) \
                and not cue_roles(kb, text, mention, only=THIRD_PARTY_ROLES)
            if mention.affiliation and (leads or stands_for):
                roles.setdefault(mention.affiliation, "party")
                names.setdefault(mention.affiliation, mention.affiliation)
            # (and so do the people, in the role the type gives them: "Vask and Ruiz agreed to a truce" is theirs too)
            if stands_for and event_type.affiliated_role and mention.affiliation in sides:
                roles.setdefault(mention.key, event_type.affiliated_role)
                names.setdefault(mention.key, mention.name)
    return tuple(Participant(actor=key, name=names.get(key, key), role=role) for key, role in roles.items())


def _after_complement(kb: Knowledge, text: str, mention: EntityMention, position: int) -> str:
    """The text from ``mention`` to ``position``, past a person's "of" complement ("Ana Morales of Norland offered":
    the verb is hers, not Norland's)."""
    gap = text[mention.end:position]
    past = _past_complement(kb, gap) if mention.kind == "person" else None
    return gap if past is None else past


def _past_complement(kb: Knowledge, text: str) -> str | None:
    """What follows the "of" complement opening ``text`` (" said" of " of the Front said"), kept one space apart;
    None when no complement opens it."""
    complement = kb.grammar.of_complement.match(text)
    return None if complement is None else " " + text[complement.end():]


def _possessive(kb: Knowledge, text: str, mention: EntityMention) -> bool:
    """"his", "its", "their", and "her" before a noun ("her envoy", not "named her to the post")."""
    lowered = mention.text.lower()
    return fullmatch_any(kb.cues.possessives, lowered) \
        or (lowered == "her" and match_any(kb.cues.possessive_her, text[mention.end:mention.end + 30]))


def reporter_before(kb: Knowledge, text: str, actors: list[EntityMention], position: int,
                    exclude: dict[str, str] | None = None) -> EntityMention | None:
    """The actor whose reporting verb opens the clause at ``position``.

    >>> from kg.extract.knowledge import Knowledge
    >>> from kg.records import EntityMention
    >>> text = "Morales said on Monday that Vesta had until Friday to reply."
    >>> morales = EntityMention(text="Morales", start=0, end=7, kind="person", key="ana-morales", name="Ana Morales")
    >>> reporter_before(Knowledge.load(), text, [morales], text.index("Vesta")).name
    'Ana Morales'
    """
    return _nearest_side([a for a in actors if a.end <= position
                          and fullmatch_any(kb.cues.reported_conditions, text[a.end:position])],
                         position, before=True, exclude=exclude or {})


def _party_kind(kb: Knowledge, text: str, actors: list[EntityMention], mention: EntityMention,
                event_type: EventType) -> bool:
    """Countries are parties; so is an organisation that is a side of the conflict: known as one, or
    coordinated with a country ("Israel and Hamas", "between Norland and the Coast Authority")."""
    if mention.kind in event_type.party_kinds:
        return True
    if mention.kind != "organization" or "country" not in event_type.party_kinds or mention.affiliation:
        return False
    # an organisation no gazetteer knows is a side when its name says so ("the Northern Coast Authority")
    if mention.key in kb.sides or (mention.key not in kb.known
                                   and search_any(kb.cues.side_names, mention.name)):
        return True
    for other in actors:
        if other.kind != "country" and other.key not in kb.sides:
            continue
        a, b = sorted((mention, other), key=lambda e: e.start)
        if fullmatch_any(kb.cues.side_coordination, text[a.end:b.start]):
            return True
    return False


def cue_roles(kb: Knowledge, text: str, mention: EntityMention, *, after_cues: bool = True,
              only: frozenset[str] | None = None) -> list[str]:
    """Roles the words right around a mention give it ("led by X", "X, who heads ..."); with ``after_cues``
    False only the words before it; with ``only``, only those roles are looked for (in the same order)."""
    found = _roles_in(kb, text[max(0, mention.start - 100):mention.start], False, only)
    if after_cues:
        found += _roles_in(kb, text[mention.end:mention.end + ROLE_REACH_AFTER], True, only)
    return found


def _roles_in(kb: Knowledge, text: str, after: bool, only: frozenset[str] | None) -> list[str]:
    """The roles (of ``only``, if given) whose cues find a match in ``text``, the words before a mention (or, with
    ``after``, after it), in the cues' order."""
    hits = _role_hits(kb, text, after)
    found = []
    for role, patterns in kb.cues.roles_after if after else kb.cues.roles_before:
        if only is not None and role not in only:
            continue
        if role not in hits:
            hits[role] = search_any(patterns, text)
        if hits[role]:
            found.append(role)
    return found


# Each trigger of a sentence asks for the roles around each of its actors, and the article's third parties are
# looked for around every actor: what a role's cues find in a stretch of text is looked for once, when a caller
# first asks for that role (a caller names only the roles it can use, so the cues of the others need not run).
@lru_cache(maxsize=4096)
def _role_hits(kb: Knowledge, text: str, after: bool) -> dict[str, bool]:
    """The memo, filled by ``_roles_in``, of whether each role's cues (before or ``after`` a mention) find a match in
    ``text``."""
    return {}


def is_reporter(kb: Knowledge, text: str, mention: EntityMention, trigger: Trigger | None = None) -> bool:
    """"Roe said ...", "according to the envoy Roe": the source of the sentence, not a party to its event.
    A verb that both reports and acts ("declared", "announced", "offered") whose object is the trigger makes
    the actor the event's subject ("Armenia and Azerbaijan declared a ceasefire")."""
    if trigger is not None and mention.end <= trigger.start and any(
            p.fullmatch(text[mention.end:trigger.start]) for p in kb.cues.event_verbs):
        return False
    # "X, who had met Y on Tuesday, said ...": the speaker is the subject of the relative clause's verb
    if trigger is not None and mention.end <= trigger.start \
            and kb.grammar.who_clause.fullmatch(text[mention.end:trigger.start]):
        return False
    # (long enough for an appositive: "X, who has sponsored a bill on sanctions against ..., said")
    return _reports_around(kb, text[max(0, mention.start - 100):mention.start], text[mention.end:mention.end + 140],
                           mention.kind == "person")


# Each trigger of a sentence asks it of each of its actors: the patterns run once per stretch of text.
@lru_cache(maxsize=4096)
def _reports_around(kb: Knowledge, before: str, after: str, person: bool) -> bool:
    afters = [after]
    if kb.grammar.appositive_open.search(before) and after.lstrip().startswith(","):
        afters.append(after.lstrip()[1:])    # "The head of the delegation, Jane Roe, said
    if person and (past := _past_complement(kb, after)) is not None:
        afters.append(past)    # "The President of Vesta stated", "Vask of the Front said"
    return any(search_any(kb.cues.attribution_verbs, a) for a in afters) or \
        search_any(kb.cues.attribution_prefixes, before[-45:])


def _speaks_after(kb: Knowledge, text: str, mention: EntityMention, trigger: Trigger) -> bool:
    """"Vask received the envoy at the palace and said ...": the subject of a clause that goes on to the reporting
    verb after "and" is its speaker."""
    return mention.end <= trigger.start \
        and fullmatch_any(kb.cues.coordinated_speech, text[mention.end:trigger.start]) \
        and search_any(kb.cues.coordinated_subject_before, text[:_title_start(text, mention)])


def attribution_of(kb: Knowledge, text: str, entities: list[EntityMention], position: int,
                   participants: tuple[Participant, ...]) -> str | None:
    """Who reports the claim: an actor before a reporting verb or after "according to", nearest first."""
    sources: list[tuple[bool, int, str]] = []
    for mention in entities:
        if mention.kind != "place" and is_reporter(kb, text, mention):
            # the reporter before the claim governs it ("X said ... Y"); one after is a fallback
            sources.append((mention.start > position, abs(mention.start - position), mention.key))
    if not sources:
        return None
    return min(sources)[2]


# The quantities that are lengths of time, not counts, and those that say what an extension adds to a time limit
# (read within the extending verb's reach, by the extractor, not as the sentence's nearest count).
DURATIONS = ("days", "hours")
EXTENSIONS = ("extension_days", "extension_hours")
# How far after a verb cutting a limit its new count may stand ("cut the 50-day deadline she set for Vesta on 14 July
# to 12 days": past the object and what qualifies it), within its clause
NEW_COUNT_WINDOW = 90
_CLAUSE_BREAK = re.compile(r"[,;:]")


def quantities_of(kb: Knowledge, lowered: str, event_type: EventType, trigger: Trigger,
                  dates: Sequence[tuple[int, int]] = ()) -> tuple[tuple[str, int], ...]:
    """Counts of the event: per key, the match nearest the trigger ("now has 10 days to reach a deal,
    after he shortened his 30-day deadline": the ultimatum is the 10 days).  A number inside one of the
    ``dates`` (sentence offsets) counts no people ("in May 2026 soldiers swapped prisoners")."""
    found: dict[str, int] = {}
    gaps: dict[str, int] = {}
    for key, patterns in kb.cues.quantities:
        if key not in event_type.quantities or key in EXTENSIONS:
            continue
        # "cutting his 30-day deadline to 8 or 9 days": the new count after "to" is the event's, when the trigger is
        # the verb that cuts or moves a limit (not "the 30-day deadline" it cuts), in its own clause ("was due to run
        # out on May 2, to 8 or 9 days": not that limit's)
        preferred = []
        if trigger.text.lower() in event_type.reported_triggers:
            preferred = [m for p in each_for(kb.cues.preferred_quantities.get(key, ()), lowered)
                         for m in p.finditer(lowered)
                         if 0 <= m.start() - trigger.end <= NEW_COUNT_WINDOW
                         and not _CLAUSE_BREAK.search(lowered, trigger.end, m.start())]
        # ("was cutting the 40-day window", no new count given: 40 is the length of the limit the verb cuts, not its
        # own; the noun "40-day window" keeps it)
        matches = preferred or [m for p in each_for(patterns, lowered) for m in p.finditer(lowered)
                                if m.start(1) < trigger.end or not search_any(
                                    event_type.object_of, lowered[max(0, m.start(1) - CUE_BEFORE_REACH):m.start(1)])]
        if key not in DURATIONS:     # (a length is a time itself: "72 hours from the signing")
            matches = [m for m in matches if not any(start <= m.start(1) < end for start, end in dates)]
        # (a length may be written in words: "a ten-day ultimatum", "gave Vesta seventy-two hours")
        counted = [(m, value) for m in matches if (value := _count(m.group(1))) is not None]
        if counted:
            match, found[key] = min(counted, key=lambda pair: max(trigger.start - pair[0].end(),
                                                                  pair[0].start() - trigger.end, 0))
            gaps[key] = 0 if preferred else max(trigger.start - match.end(), match.start() - trigger.end, 0)
    if "prisoners_per_side" in found:
        found.pop("prisoners_total", None)
    # "gave both sides 72 hours to recommit to the 21-day truce": a time limit has one length, the nearer count
    if all(key in found for key in DURATIONS):
        found.pop("days" if gaps["days"] > gaps["hours"] else "hours")
    return tuple(sorted(found.items()))


def _count(written: str) -> int | None:
    """A count written in digits (with thousands separators) or in words."""
    digits = re.sub(r"[,\s]", "", written)
    return int(digits) if digits.isdigit() else count_value(written)


def ordinal_of(kb: Knowledge, lowered: str, trigger: Trigger) -> int | None:
    """"the third round of talks": an ordinal qualifying the trigger itself, not another round nearby."""
    match = kb.cues.ordinal.search(lowered[max(0, trigger.start - 30):trigger.end + 12])
    return kb.cues.ordinal_words.get(match.group("ord")) if match else None


def topic_of(event_type: EventType, lowered: str, trigger: Trigger, clause: tuple[int, int]) -> str | None:
    """What the trigger's event is of, by its type's topics: the first named from the trigger on to its clause's end
    ("proposed holding the next round ..." -> meeting), else the last just before it ("a ceasefire proposal").

    >>> from kg.extract.scheme import load_event_types
    >>> proposal = load_event_types()["Proposal"]
    >>> text = "vesta proposed a three-day truce in the delta"
    >>> topic_of(proposal, text, Trigger(proposal, "proposed", 6, 14), (0, len(text)))
    'ceasefire'
    """
    after = lowered[trigger.start:min(clause[1], trigger.end + TOPIC_WINDOW)]
    found = [(m.start(), name) for name, pattern in event_type.topics if (m := pattern.search(after))]
    if found:
        return min(found)[1]
    before = lowered[max(clause[0], trigger.start - TOPIC_BEFORE):trigger.start]
    found = [(m.end(), name) for name, pattern in event_type.topics for m in pattern.finditer(before)]
    return max(found)[1] if found else None


@cache
def _title_owner() -> re.Pattern[str]:
    """The capitalised word naming a title's state or body right before it ("Norland's", "Norlandic"): not a
    month or weekday name (time lexicon) nor a capitalised sentence opener ("On", "The")."""
    time_words = load_toml("lexicons", "time.toml")
    openers = load_toml("lexicons", "extraction.toml")["title_owner"]["not_owners"]
    words = sorted({w.capitalize() for w in (*time_words["months"], *time_words["weekdays"], *openers)})
    excluded = "|".join(re.escape(w) for w in words)
    return re.compile(rf"\b(?!(?:{excluded})\b)[A-Z][\w.-]*(?:['’]s)?\s+$")


def _title_start(text: str, mention: EntityMention) -> int:
    """Where the mention's title phrase starts ("with Norlandic Foreign Minister Ana Morales": at "Norlandic"),
    else where the mention starts."""
    if not mention.title:
        return mention.start
    before = text[:mention.start].rstrip()
    if not before.endswith(mention.title):
        return mention.start
    at = len(before) - len(mention.title)
    owner = _title_owner().search(text, 0, at)
    return owner.start() if owner else at


def after_preposition(kb: Knowledge, text: str, start: int) -> bool:
    """A preposition right before ``start``: what stands there is an oblique argument ("against the Palace")."""
    return kb.grammar.oblique.search(text[max(0, start - 12):start]) is not None


def possessor_after_preposition(kb: Knowledge, text: str, mention: EntityMention, trigger: Trigger) -> bool:
    """An actor whose possessive follows a time preposition ("after Vask's visit ... Morales signed"): part of an
    oblique phrase, not the trigger's subject; unless the trigger is what it possesses ("after Vask's new offer")."""
    if kb.grammar.possessive.match(text, mention.end) is None:
        return False
    start = _title_start(text, mention)
    return kb.grammar.oblique_possessor.search(text[max(0, start - 14):start]) is not None \
        and len(text[mention.end:trigger.start].split()) > 2


def _nearest_side(actors: list[EntityMention], position: int, *, before: bool,
                  exclude: dict[str, str]) -> EntityMention | None:
    if before:
        candidates = [a for a in actors if a.end <= position and a.key not in exclude]
        return candidates[-1] if candidates else None
    candidates = [a for a in actors if a.start >= position and a.key not in exclude]
    return candidates[0] if candidates else None
