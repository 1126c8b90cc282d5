"""Who is who in a case summary: perpetrators, victims, their names and mentions.

Rules, in the order they are tried:

* **Role sections.** A heading with a role word ("Verdachte 1", "Slachtoffer",
  "Aangeefster: Samira B.") opens a section about one person: the first new name in
  the heading or in the section's first sentence is that person, with that role.
* **Role words before or after a name** in running text: "verdachte Dylan K.",
  "slachtoffer Samira", "aangeefster Lisa", "Kevin de V. (medeverdachte)",
  "Dylan K., de hoofdverdachte".
* **Names** (:mod:`.names`): capitalised words, a tussenvoegsel, an initial ("Dylan
  K."), or an initial alone after a role word ("verdachte J."). A person is found
  again by the name as first written, the first name, the first name with the
  surname's initial and a "hierna: ..." alias; a heading may name it by surname or
  initial ("Persoon verdachte Bosman").
* **Deeds** (:mod:`.roles`): a name no role word introduced is a perpetrator or a
  victim by what the text says it did (advertising, forcing, debts; being made to
  work, living somewhere), or no person at all (a mother, a housemate).
* **Role nouns** ("de verdachte", "verdachte", "het slachtoffer", "aangeefster")
  refer to the only person of that role, or to the person of the current section.

A person's label is the name as first written in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ketenbeeld.cases.extract.names import aliases, find_names, surname_of
from ketenbeeld.cases.extract.roles import Known, roles_by_deeds
from ketenbeeld.cases.extract.text import Sentence

__all__ = ["Mention", "Person", "find_persons", "mentions_in"]

PERPETRATOR_WORDS = (
    "hoofdverdachte",
    "medeverdachte",
    "verdachte",
    "dader",
    "mededader",
    "pooier",
    "ronselaar",
    "loverboy",
)
VICTIM_WORDS = ("slachtoffer", "aangeefster", "aangever", "benadeelde")
_ROLE_OF = {word: "perpetrator" for word in PERPETRATOR_WORDS} | {
    word: "victim" for word in VICTIM_WORDS
}

_HIERNA = re.compile(r"\(?\s*hierna\s*:?\s*(?P<alias>[^)\n.,;]+?\.?)\s*[),.;]", re.IGNORECASE)
_ROLE_WORDS = "|".join(sorted(_ROLE_OF, key=len, reverse=True))
_LINK_WORDS = (
    r"(?:is|was|zijn|haar|de|het|toen|\d+-jarige|vriendin|vriend|partner|neef|broer|zus|nicht)"
)
_ROLE_BEFORE = re.compile(
    rf"\b(?P<role>{_ROLE_WORDS})(?:\s+\d)?\s*[:,]?(?:\s+{_LINK_WORDS}){{0,3}}\s*$",
    re.IGNORECASE,
)
_ROLE_AFTER = re.compile(
    rf"^\s*(?:\(\s*(?:\d+\s*,\s*)?(?:de\s+|het\s+)?(?P<role1>{_ROLE_WORDS})\b"
    rf"|,\s*(?:de\s+|het\s+)(?:\w+\s+){{0,2}}?(?P<role2>{_ROLE_WORDS})\b)",
    re.IGNORECASE,
)
_ROLE_NOUN = re.compile(
    r"\b(?:de\s+|het\s+)?(?P<noun>hoofdverdachte|medeverdachte|verdachte|slachtoffer|"
    r"aangeefster|aangever)\b",
    re.IGNORECASE,
)


@dataclass
class Person:
    """One perpetrator or victim.

    Attributes:
        role: ``perpetrator`` or ``victim``.
        label: the name as first written.
        label_start: offset of the label's first occurrence.
        aliases: the names it is found by.
        section: heading of the section about this person ("" when none).
    """

    role: str
    label: str
    label_start: int
    aliases: set[str] = field(default_factory=set)
    section: str = ""

    def called(self, name: str) -> bool:
        """Whether ``name`` is this person's name, surname or initial (in a heading:
        "Persoon verdachte Bosman", "Persoon verdachte E.")."""
        if name in self.aliases or name == surname_of(self.label):
            return True
        words = self.label.split()
        return len(name) == 2 and name.endswith(".") and len(words) >= 2 and words[-1][0] == name[0]


@dataclass(frozen=True)
class Mention:
    """A mention of a person in the text (a name, alias or role noun)."""

    person: int
    start: int
    end: int


def _role_in(heading: str) -> str | None:
    lowered = heading.lower()
    for word, role in _ROLE_OF.items():
        if re.search(rf"\b{word}\b", lowered):
            return role
    return None


def find_persons(text: str, sentences: Sequence[Sentence]) -> list[Person]:
    """The perpetrators and victims of a case summary, in order of first appearance."""
    persons: list[Person] = []

    def known(name: str) -> int | None:
        for index, person in enumerate(persons):
            if name in person.aliases:
                return index
        called = [index for index, person in enumerate(persons) if person.called(name)]
        return called[0] if len(called) == 1 else None

    def add(role: str, name: str, start: int, section: str = "") -> int:
        persons.append(Person(role, name, start, aliases(name), section))
        return len(persons) - 1

    section_role: str | None = None
    section_open = False
    for sentence in sentences:
        if sentence.is_heading:
            section_role = _role_in(sentence.text)
            section_open = section_role is not None
            # "Verdachte 1: Dylan K." names the person in the heading itself.
            for start, _, name in find_names(sentence.text):
                if known(name) is None and section_role is not None:
                    add(section_role, name, sentence.start + start, sentence.text)
                    section_open = False
                    break
            continue
        names = find_names(sentence.text)
        if section_open and section_role is not None and names:
            start, _, name = names[0]
            if known(name) is None:
                add(section_role, name, sentence.start + start, sentence.heading)
            section_open = False
        for start, end, name in names:
            if known(name) is not None:
                continue
            before = sentence.text[max(0, start - 40) : start]
            after = sentence.text[end : end + 60]
            role_match = _ROLE_BEFORE.search(before)
            role = _ROLE_OF[role_match.group("role").lower()] if role_match else None
            if role is None:
                after_match = _ROLE_AFTER.search(after)
                if after_match:
                    word = (after_match.group("role1") or after_match.group("role2")).lower()
                    role = _ROLE_OF[word]
            if role is not None:
                add(role, name, sentence.start + start)
        for match in _HIERNA.finditer(sentence.text):
            alias = match.group("alias").strip()
            owner = _owner_before(persons, sentence.start + match.start())
            if owner is not None and alias:
                persons[owner].aliases |= aliases(alias) | {alias}
    known_ones = [Known(person.aliases, person.role) for person in persons]
    for role, name, start in roles_by_deeds(text, sentences, known_ones):
        if known(name) is None:
            add(role, name, start)
    _merge_heading_names(persons)
    _relabel(text, persons)
    persons.sort(key=lambda person: person.label_start)
    return persons


def _merge_heading_names(persons: list[Person]) -> None:
    """Drop a person a heading named by another person's surname or initial only.

    "Persoon verdachte Bosman" is about Sharon Bosman, found later in the text; the
    heading is kept as her section.
    """
    for person in list(persons):
        if not person.section or len(person.label.split()) != 1:
            continue
        others = [p for p in persons if p is not person and p.called(person.label)]
        if len(others) == 1 and others[0].role == person.role:
            persons.remove(person)
            others[0].section = others[0].section or person.section


def _relabel(text: str, persons: Sequence[Person]) -> None:
    """A person known by an initial whose fuller name is written before it ("Tarik
    E." in the text, "Persoon verdachte E." as a heading) takes that name as label."""
    for person in persons:
        if len(person.label) > 2:
            continue
        for alias in sorted(person.aliases, key=len, reverse=True):
            found = re.search(rf"(?<![\w.]){re.escape(alias)}(?!\w)", text)
            if len(alias) > 2 and found and found.start() < person.label_start:
                person.label, person.label_start = alias, found.start()
                break


def _owner_before(persons: Sequence[Person], position: int) -> int | None:
    """The person whose label starts last before ``position`` (within 200 characters)."""
    best: int | None = None
    for index, person in enumerate(persons):
        near = person.label_start <= position and position - person.label_start <= 200
        if near and (best is None or person.label_start > persons[best].label_start):
            best = index
    return best


def mentions_in(
    sentence: Sentence, persons: Sequence[Person], section_person: int | None
) -> list[Mention]:
    """Mentions of known persons in one sentence, in text order (longest alias first)."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    pairs = sorted(
        ((alias, index) for index, person in enumerate(persons) for alias in person.aliases),
        key=lambda pair: -len(pair[0]),
    )
    for alias, index in pairs:
        pattern = rf"(?<![\w.]){re.escape(alias)}(?![\w])"
        for match in re.finditer(pattern, sentence.text):
            span = (match.start(), match.end())
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            found.append(Mention(index, sentence.start + span[0], sentence.start + span[1]))
    for match in _ROLE_NOUN.finditer(sentence.text):
        role = _ROLE_OF[match.group("noun").lower()]
        span = (match.start(), match.end())
        if any(a < span[1] and span[0] < b for a, b in taken):
            continue
        of_role = [i for i, person in enumerate(persons) if person.role == role]
        target: int | None = None
        if section_person is not None and persons[section_person].role == role:
            target = section_person
        elif len(of_role) == 1:
            target = of_role[0]
        if target is not None:
            found.append(Mention(target, sentence.start + span[0], sentence.start + span[1]))
    found.sort(key=lambda mention: mention.start)
    return found
