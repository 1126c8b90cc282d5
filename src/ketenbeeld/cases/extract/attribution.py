"""Who a finding is about: the persons of each sentence, their gender, attribution.

A finding belongs to a person of the kind its variable is about (debts to a
perpetrator, living situation to a victim): the person of that kind named last
before it in its sentence (else the first named after it); when its sentence names
nobody of that kind, the person a subject pronoun before it points to (``hij``: the
man, ``zij``: the woman or girl, named most recently); else the person of the section
it is in ("Achtergrond verdachte"); else the only person of that kind. Otherwise it
is left out: a fact attributed to the wrong person is worse than none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ketenbeeld.cases.extract.names import find_names
from ketenbeeld.cases.extract.persons import Mention, Person
from ketenbeeld.cases.extract.text import Sentence

__all__ = ["PRONOUN", "Case", "Value", "attribute", "genders", "section_persons"]

PRONOUN = re.compile(r"\b(?P<word>hij|zij|ze)\b", re.IGNORECASE)
_CLAUSE_PRONOUN = re.compile(
    r"\b(?:dat|omdat|toen|nadat|waarna|en|maar)\s+(?P<word>hij|zij|ze)\b", re.IGNORECASE
)
_MALE_NOUN = re.compile(
    r"\b(?:\d+-jarige|de|een)\s+(?:man|jongen|jongeman|vader)\b|\baangever\b", re.I
)
_FEMALE_NOUN = re.compile(
    r"\b(?:\d+-jarige|de|een)\s+(?:vrouw|meisje|jonge vrouw|moeder)\b|\baangeefster\b", re.I
)


@dataclass
class Value:
    """The candidate values of one variable of one person, with their evidence."""

    votes: dict[Any, list[tuple[int, int]]] = field(default_factory=dict)
    blocked: bool = False

    def add(self, value: Any, start: int, end: int) -> None:
        self.votes.setdefault(value, []).append((start, end))


@dataclass
class Case:
    text: str
    sentences: list[Sentence]
    persons: list[Person]
    mentions: list[list[Mention]]
    section_person: list[int | None]
    genders: list[tuple[str, int, int] | None] = field(default_factory=list)
    values: dict[tuple[int, str], Value] = field(default_factory=dict)

    def value(self, person: int, variable: str) -> Value:
        return self.values.setdefault((person, variable), Value())


def section_persons(sentences: Sequence[Sentence], persons: Sequence[Person]) -> list[int | None]:
    """Per sentence, the person its section is about (None when not one person)."""
    result: list[int | None] = []
    for sentence in sentences:
        heading = sentence.heading.lower()
        owner: int | None = None
        by_section = [
            i for i, p in enumerate(persons) if p.section and p.section == sentence.heading
        ]
        if len(by_section) == 1:
            owner = by_section[0]
        else:
            named = [i for i, p in enumerate(persons) if _names_in(p, sentence.heading)]
            if len(named) == 1:
                owner = named[0]
            elif re.search(r"\b(?:verdachte|dader)\b", heading):
                of_role = [i for i, p in enumerate(persons) if p.role == "perpetrator"]
                owner = of_role[0] if len(of_role) == 1 else None
            elif re.search(r"\b(?:slachtoffer|aangeefster|aangever)\b", heading):
                of_role = [i for i, p in enumerate(persons) if p.role == "victim"]
                owner = of_role[0] if len(of_role) == 1 else None
        result.append(owner)
    return result


def _names_in(person: Person, heading: str) -> bool:
    lowered = heading.lower()
    return any(
        re.search(rf"(?<!\w){re.escape(alias.lower())}(?!\w)", lowered) for alias in person.aliases
    ) or any(person.called(name) for _, _, name in find_names(heading))


def genders(case: Case) -> list[tuple[str, int, int] | None]:
    """Each person's gender, with the word it rests on.

    Votes: a noun next to the only name in a sentence ("de 19-jarige man", "het
    meisje", "aangeefster"); a subject pronoun after a name with no other name in
    between ("Samira verklaarde dat zij ..."); a sentence that opens with a subject
    pronoun votes for the first person named in the sentence before it (the subject,
    usually). A gender needs more than twice the votes of the other.
    """
    votes: list[Counter[str]] = [Counter() for _ in case.persons]
    first_word: list[dict[str, tuple[int, int]]] = [{} for _ in case.persons]

    def vote(person: int, gender: str, weight: int, start: int, end: int) -> None:
        votes[person][gender] += weight
        first_word[person].setdefault(gender, (start, end))

    previous: int | None = None  # first person named in the previous sentence
    for index, sentence in enumerate(case.sentences):
        if sentence.is_heading:
            previous = None
            continue
        mentions = case.mentions[index]
        mentioned = {m.person for m in mentions}
        opening = PRONOUN.match(sentence.text)
        if opening and previous is not None:
            gender = "male" if opening.group("word").lower() == "hij" else "female"
            vote(previous, gender, 2, sentence.start, sentence.start + opening.end())
        if mentions and mentions[0].start - sentence.start <= 40:
            # "Samira verklaarde dat zij ...": the subject, then a clause about it.
            stop = mentions[1].start if len(mentions) > 1 else sentence.end
            between = _CLAUSE_PRONOUN.search(case.text, mentions[0].end, stop)
            if between:
                gender = "male" if between.group("word").lower() == "hij" else "female"
                vote(mentions[0].person, gender, 1, between.start("word"), between.end("word"))
        for mention in mentions:
            if len(mentioned) == 1:
                window_start = max(sentence.start, mention.start - 30)
                window = case.text[window_start : min(sentence.end, mention.end + 30)]
                for pattern, gender in ((_FEMALE_NOUN, "female"), (_MALE_NOUN, "male")):
                    noun = pattern.search(window)
                    if noun:
                        at = window_start + noun.start()
                        vote(mention.person, gender, 2, at, window_start + noun.end())
        if mentions:
            previous = mentions[0].person
    genders: list[tuple[str, int, int] | None] = []
    for person, counter in enumerate(votes):
        ranked = counter.most_common()
        if ranked and (len(ranked) == 1 or ranked[0][1] > 2 * ranked[1][1]):
            gender = ranked[0][0]
            genders.append((gender, *first_word[person][gender]))
        else:
            genders.append(None)
    return genders


def attribute(case: Case, index: int, position: int, kind: str) -> int | None:
    """The person a finding at ``position`` in sentence ``index`` is about (see module doc)."""

    def fits(person: int) -> bool:
        return kind == "any" or case.persons[person].role == kind

    mentions = [m for m in case.mentions[index] if fits(m.person)]
    if mentions:
        before = [m for m in mentions if m.start <= position]
        return (before[-1] if before else mentions[0]).person
    sentence = case.sentences[index]
    pronouns = [
        m
        for m in PRONOUN.finditer(case.text, sentence.start, position)
        if m.start() >= sentence.start
    ]
    if pronouns:
        gender = "male" if pronouns[-1].group("word").lower() == "hij" else "female"
        fallback: int | None = None
        for earlier in range(index, max(-1, index - 6), -1):
            for mention in reversed(case.mentions[earlier]):
                if not fits(mention.person):
                    continue
                known = case.genders[mention.person]
                if known is not None and known[0] == gender:
                    return mention.person
                if known is None and fallback is None:
                    fallback = mention.person
        if fallback is not None:
            return fallback
    owner = case.section_person[index]
    if owner is not None and fits(owner):
        return owner
    of_kind = [i for i in range(len(case.persons)) if fits(i)]
    return of_kind[0] if len(of_kind) == 1 else None
