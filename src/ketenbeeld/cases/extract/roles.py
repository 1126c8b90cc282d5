"""Perpetrators and victims that no role word introduces, found by what they did.

A summary without headings or role words ("Jayden (19) kwam via Instagram in
contact met Noa. ... Op 20 februari moest Noa voor het eerst klanten ontvangen.
Jayden plaatste de advertenties.") still shows who is who. Each clause (a sentence,
or a part of it between semicolons) has a subject: the first name in it that no
preposition governs ("Via Fleur leerde Dennis ...": Dennis) and that is no
possessive ("Demi's moeder"), or, when a subject pronoun comes first, the person it
points to (``hij``/``zij``/``ze``: the last subject of that gender, a plural
``zij moesten`` none; ``ik``: the speaker of "Mijn naam is ..."). The clause's deeds
vote for its subject: being made to work, living somewhere, running away, reporting
→ victim; advertising, taking the money, forcing, transporting, debts, diplomas and
police records → perpetrator. A name gets the role with more votes; a tie or no
votes gives no person (bystanders such as a mother or a housemate). A name joined by
"en" to a name of a known role ("Chantal (18) en Naomi (16)") and without votes of
its own shares that role.

A single capitalised word counts as a name only when it also occurs inside a
sentence (not only as its first word) and never in lower case ("Via", "Daar").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ketenbeeld.cases.extract.names import PLACEHOLDER, aliases, find_names
from ketenbeeld.cases.extract.text import Sentence

__all__ = ["Known", "roles_by_deeds"]

_VICTIM_DEEDS = re.compile(
    r"\bmoesten?\b[^.;]{0,60}?\b(?:werken|klanten|klant|seks)\b"
    r"|\bwerd\b[^.;]{0,40}?\b(?:uitgebuit|te werk gesteld)\b|\b(?:eerste|een)\s+klant\b"
    r"|\b(?:woonde|verbleef|sliep)\b|\bkende\b[^.;]{0,30}?\bniet\b"
    r"|\braakte\b[^.;]{0,60}?\bbekend met\b|\baangifte\b"
    r"|\bliep\b[^.;]{0,30}?\bweg\b|\bweggelopen\b|\bontsnap",
    re.IGNORECASE,
)
_PERPETRATOR_DEEDS = re.compile(
    r"\b(?:plaatste|ontving het geld|hield het geld|nam het geld|bracht haar|haalde haar"
    r"|nam hij haar|nam haar mee|stuurde haar|bood haar|bood aan|stelde\s+(?:haar\s+)?voor"
    r"|beloofde|introduceerde|dreigde|sloeg|huurde|beheerde|onderhield|bepaalde|bracht de"
    r"|dwong|regelde|is gehoord|werd aangehouden|is aangehouden|veroordeeld|strafblad"
    r"|schulden|betalingsachterstand|financiële problemen|onder bewind|verslaafd|verslaving"
    r"|gokverslaving|diploma|opleiding|havo|vwo|verklaarde dat hij|documentatie"
    r"|bekend bij de politie|bij de politie bekend"
    r"|in aanraking met (?:de )?(?:politie|justitie))\b",
    re.IGNORECASE,
)
_GOVERNED = re.compile(
    r"\b(?:via|met|van|bij|aan|voor|door|naar|uit|in|op|tegen|zonder|over|dan|als|tot|na|om"
    r"|kende|leerde|rechtbank|politiebureau|gemeente|hof|parket|regio|eenheid)\s*$",
    re.IGNORECASE,
)
_SPEAKER = re.compile(r"\b(?:mijn naam is|ik ben|ik heet)\s*$", re.IGNORECASE)
_SUBJECT_PRONOUN = re.compile(r"(?<![\w-])(?P<word>hij|zij|ze|ik)(?![\w-])", re.IGNORECASE)
_PLURAL_VERB = re.compile(
    r"^\s*(?:moesten|waren|hadden|woonden|werden|kregen|gingen|kenden|verklaarden|zijn)\b"
    r"|\b(?:moesten|waren|hadden|woonden|werden|kregen|gingen|kenden|verklaarden)\s*$",
    re.IGNORECASE,
)
_COORDINATED = re.compile(r"^\s*(?:\(\d+\)\s*)?en\s+$")
_CLAUSE_END = re.compile(r"[;:]")


@dataclass
class Known:
    """A person already found (by a role word): the names it is found by."""

    aliases: set[str]
    role: str


@dataclass
class _Entity:
    name: str
    start: int
    aliases: set[str]
    role: str | None = None  # known role, or None for a candidate
    votes: list[int] = field(default_factory=lambda: [0, 0])  # victim, perpetrator
    gender: str | None = None


def roles_by_deeds(
    text: str, sentences: Sequence[Sentence], known: Sequence[Known]
) -> list[tuple[str, str, int]]:
    """New persons, as (role, name as first written, offset), in text order.

    ``known`` are the persons found already; a full name that spells out a known
    person's initial ("verdachte R." ... "Rudi Schaap") becomes an alias of it.
    """
    entities = [_Entity("", -1, k.aliases, k.role) for k in known]
    inner = _inner_words(text, sentences)
    speaker: _Entity | None = None
    last: list[_Entity] = []  # subjects, most recent last
    for sentence in sentences:
        if sentence.is_heading:
            continue
        for begin, end in _clauses(sentence.text):
            clause = sentence.text[begin:end]
            references: list[tuple[int, _Entity | None, str]] = []
            for start, stop, name in find_names(clause):
                entity = _entity(entities, name, sentence.start + begin + start, text, inner)
                if entity is None:
                    continue
                if _SPEAKER.search(clause[:start]):
                    speaker = entity
                governed = _GOVERNED.search(clause[max(0, start - 20) : start])
                if governed or clause[stop : stop + 2] in ("'s", "’s"):
                    continue
                references.append((start, entity, ""))
            for match in _SUBJECT_PRONOUN.finditer(clause):
                if not _PLURAL_VERB.search(clause[max(0, match.start() - 20) : match.start()]) and (
                    not _PLURAL_VERB.match(clause[match.end() :])
                ):
                    references.append((match.start(), None, match.group("word").lower()))
            subject = _subject(sorted(references, key=lambda r: r[0]), last, speaker)
            if subject is None:
                continue
            if subject in last:
                last.remove(subject)
            last.append(subject)
            if subject.role is None:
                subject.votes[0] += len(_VICTIM_DEEDS.findall(clause))
                subject.votes[1] += len(_PERPETRATOR_DEEDS.findall(clause))
    _coordinated(text, sentences, entities)
    found = []
    for entity in entities:
        victim, perpetrator = entity.votes
        if entity.role is None and victim != perpetrator:
            role = "victim" if victim > perpetrator else "perpetrator"
            found.append((role, entity.name, entity.start))
    return sorted(found, key=lambda item: item[2])


def _clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.end() for m in _CLAUSE_END.finditer(sentence)), len(sentence)]
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def _inner_words(text: str, sentences: Sequence[Sentence]) -> set[str]:
    """Capitalised words that occur other than as the first word of a sentence, and
    never in lower case."""
    lowered = set(re.findall(r"(?<![\w-])[a-zà-ÿ]+(?![\w-])", text))
    words: set[str] = set()
    for sentence in sentences:
        if sentence.is_heading:
            continue
        for match in re.finditer(r"(?<=[\s(,])[A-ZÀ-Ý][\w-]*", sentence.text):
            if match.group().lower() not in lowered:
                words.add(match.group())
    return words


def _entity(
    entities: list[_Entity], name: str, start: int, text: str, inner: set[str]
) -> _Entity | None:
    for entity in entities:
        if name in entity.aliases:
            return entity
    words = name.split()
    initial_of = [
        e
        for e in entities
        if e.role is not None
        and any(len(a) == 2 and a.endswith(".") for a in e.aliases)
        and len(words) >= 2
        and any(f"{w[0]}." in e.aliases for w in (words[0], words[-1]))
    ]
    if len(initial_of) == 1:
        initial_of[0].aliases |= aliases(name)
        return initial_of[0]
    placeholder = PLACEHOLDER.fullmatch(name) is not None
    if not placeholder and len(words) == 1 and (words[0] not in inner or text.count(words[0]) < 2):
        return None
    if not placeholder and len(words) == 1 and len(name) <= 2:
        return None  # a lone initial without a role word
    entity = _Entity(name, start, aliases(name))
    entities.append(entity)
    return entity


def _subject(
    references: list[tuple[int, _Entity | None, str]],
    last: list[_Entity],
    speaker: _Entity | None,
) -> _Entity | None:
    if not references:
        return None
    _, entity, pronoun = references[0]
    if entity is not None:
        return entity
    if pronoun == "ik":
        return speaker
    gender = "male" if pronoun == "hij" else "female"
    for earlier in reversed(last):
        if earlier.gender in (None, gender):
            earlier.gender = gender
            return earlier
    return None


def _coordinated(text: str, sentences: Sequence[Sentence], entities: list[_Entity]) -> None:
    """A name without votes joined by "en" to a name of a known role shares it."""

    def role(entity: _Entity) -> str | None:
        if entity.role is not None:
            return entity.role
        victim, perpetrator = entity.votes
        if victim == perpetrator:
            return None
        return "victim" if victim > perpetrator else "perpetrator"

    for sentence in sentences:
        names = find_names(sentence.text)
        for (_, end, left), (start, _, right) in pairwise(names):
            if not _COORDINATED.match(sentence.text[end:start]) or _GOVERNED.search(
                sentence.text[max(0, end - len(left) - 20) : end - len(left)]
            ):
                continue
            pair = [next((e for e in entities if n in e.aliases), None) for n in (left, right)]
            first, second = pair
            if first is None or second is None:
                continue
            for one, other in ((first, second), (second, first)):
                shared = role(other)
                if one.role is None and one.votes == [0, 0] and shared is not None:
                    one.votes = [1, 0] if shared == "victim" else [0, 1]
