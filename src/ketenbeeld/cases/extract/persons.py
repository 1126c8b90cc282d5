"""Who is who in a case summary: perpetrators, victims, their names and mentions.

Rules, in the order they are tried:

* **Role sections.** A heading with a role word ("Verdachte 1", "Slachtoffer",
  "Aangeefster: Samira B.") opens a section about one person: the first new name in
  the heading or in the section's first sentence is that person, with that role.
* **Role words before or after a name** in running text: "verdachte Dylan K.",
  "slachtoffer Samira", "aangeefster Lisa", "Kevin de V. (medeverdachte)",
  "Dylan K., de hoofdverdachte".
* **Names** are capitalised words, optionally joined by a tussenvoegsel ("Kevin de
  V.", "Sanne van der Berg") or followed by an initial ("Dylan K."); capitalised
  words that are not names (sentence openers, months, platforms, institutions) are
  listed in :data:`NOT_NAMES`. A person is found again by the name as first
  written, by the first name alone, by the first name with the surname's initial
  ("Dylan K." for "Dylan Koster") and by a "hierna: ..." alias.
* **Role nouns** ("de verdachte", "verdachte", "het slachtoffer", "aangeefster")
  refer to the only person of that role, or to the person of the current section.

A person's label is the name as first written in the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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

#: Capitalised words that start no name.
NOT_NAMES = frozenset(
    [
        "de",
        "het",
        "een",
        "hij",
        "zij",
        "ze",
        "haar",
        "zijn",
        "hem",
        "hen",
        "ik",
        "wij",
        "we",
        "u",
        "dit",
        "dat",
        "deze",
        "die",
        "er",
        "daar",
        "toen",
        "op",
        "in",
        "na",
        "bij",
        "van",
        "voor",
        "met",
        "uit",
        "aan",
        "om",
        "over",
        "tot",
        "door",
        "tegen",
        "volgens",
        "sinds",
        "vanaf",
        "tijdens",
        "nadat",
        "omdat",
        "toen",
        "terwijl",
        "ook",
        "ook",
        "nog",
        "wel",
        "niet",
        "geen",
        "en",
        "of",
        "maar",
        "want",
        "dus",
        "daarna",
        "later",
        "eerder",
        "verder",
        "tevens",
        "hierna",
        "hierop",
        "bovendien",
        "samenvatting",
        "onderzoek",
        "achtergrond",
        "werving",
        "verdachte",
        "verdachten",
        "hoofdverdachte",
        "medeverdachte",
        "slachtoffer",
        "slachtoffers",
        "aangeefster",
        "aangever",
        "benadeelde",
        "dader",
        "daders",
        "politie",
        "justitie",
        "om",
        "openbaar",
        "ministerie",
        "rechtbank",
        "jeugdzorg",
        "veilig",
        "thuis",
        "reclassering",
        "ggz",
        "cjib",
        "snapchat",
        "instagram",
        "tiktok",
        "telegram",
        "whatsapp",
        "facebook",
        "messenger",
        "tinder",
        "badoo",
        "bumble",
        "discord",
        "twitter",
        "youtube",
        "google",
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "nederland",
        "proces-verbaal",
        "pv",
        "tgo",
        "mensenhandel",
        "uitbuiting",
        "na",
        "tijdens",
        "ten",
        "hotel",
        "station",
    ]
)

_WORD = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
_PREFIX = r"(?:van der|van den|van de|van 't|van|de|der|den|ter|ten|te|el|al|'t)"
_NAME = re.compile(
    rf"(?<![\w.\[-])(?P<first>{_WORD})"
    rf"(?P<rest>(?:\s+{_PREFIX})?\s+(?:{_WORD}|[A-Z]\.)(?:\s+{_WORD})?)?"
)
_PLACEHOLDER = re.compile(r"\[PERSOON-\d+\]")
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


@dataclass(frozen=True)
class Mention:
    """A mention of a person in the text (a name, alias or role noun)."""

    person: int
    start: int
    end: int


def _aliases(name: str) -> set[str]:
    if _PLACEHOLDER.fullmatch(name):
        return {name}
    words = name.split()
    aliases = {name}
    if len(words) >= 2:
        aliases.add(words[0])
        surname = words[-1]
        aliases.add(f"{words[0]} {surname[0]}.")
        if not surname.endswith("."):
            prefix = " ".join(words[1:-1])
            aliases.add(f"{words[0]} {prefix + ' ' if prefix else ''}{surname[0]}.".strip())
    return aliases


def _names(text: str) -> list[tuple[int, int, str]]:
    """Candidate names in a piece of text: (start, end, name), in text order.

    A de-identification placeholder ("[PERSOON-2]") is a name too, so a
    de-identified summary gives the same persons.
    """
    found = [(m.start(), m.end(), m.group()) for m in _PLACEHOLDER.finditer(text)]
    for match in _NAME.finditer(text):
        first = match.group("first")
        if first.lower() in NOT_NAMES:
            continue
        name = match.group(0)
        # Trailing capitalised words that are not names ("Dylan K. Hij") are cut off.
        words = name.split()
        while len(words) > 1 and words[-1].lower() in NOT_NAMES:
            words.pop()
        name = " ".join(words)
        found.append((match.start(), match.start() + len(name), name))
    return sorted(found)


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
        return None

    def add(role: str, name: str, start: int, section: str = "") -> int:
        persons.append(Person(role, name, start, _aliases(name), section))
        return len(persons) - 1

    section_role: str | None = None
    section_open = False
    for sentence in sentences:
        if sentence.is_heading:
            section_role = _role_in(sentence.text)
            section_open = section_role is not None
            # "Verdachte 1: Dylan K." names the person in the heading itself.
            for start, _, name in _names(sentence.text):
                if known(name) is None and section_role is not None:
                    add(section_role, name, sentence.start + start, sentence.text)
                    section_open = False
                    break
            continue
        names = _names(sentence.text)
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
                persons[owner].aliases |= _aliases(alias) | {alias}
    _persons_by_deeds(sentences, persons, known)
    persons.sort(key=lambda person: person.label_start)
    return persons


def _persons_by_deeds(
    sentences: Sequence[Sentence], persons: list[Person], known: Callable[[str], int | None]
) -> None:
    """Add the full names no role word introduced, by what the text says they did.

    A summary without headings or role words ("Op 9 oktober raakte Milou H. via
    Snapchat bekend met Tim V.") still shows who is who: a victim is the subject of
    being made to work, of living somewhere, of an age "toen"; a perpetrator of
    recruiting, transporting, advertising, taking the money, of debts, diplomas and
    police records. Each sentence whose first unknown full name is its subject votes
    for that name; a name gets the role with more votes (a tie: no person).
    """
    votes: dict[str, list[int]] = {}
    first_seen: dict[str, int] = {}
    for sentence in sentences:
        if sentence.is_heading:
            continue
        candidates = [
            (start, name)
            for start, _, name in _names(sentence.text)
            if len(name.split()) >= 2 and not _PLACEHOLDER.fullmatch(name)
        ]
        for start, name in candidates:
            first_seen.setdefault(name, sentence.start + start)
        if not candidates:
            continue
        start, name = candidates[0]
        if known(name) is not None:
            continue
        # The sentence's deeds are its first full name's (its subject, usually; the
        # verb may come first: "Op 13 oktober moest Milou H. ...").
        rest = sentence.text
        score = votes.setdefault(name, [0, 0])
        score[0] += len(_VICTIM_DEEDS.findall(rest))
        score[1] += len(_PERPETRATOR_DEEDS.findall(rest))
    for name in sorted(votes, key=lambda n: first_seen.get(n, 0)):
        victim, perpetrator = votes[name]
        if victim == perpetrator or known(name) is not None:
            continue
        role = "victim" if victim > perpetrator else "perpetrator"
        persons.append(Person(role, name, first_seen[name], _aliases(name)))


_VICTIM_DEEDS = re.compile(
    r"\bmoest\b[^.;]{0,60}?\b(?:werken|klanten|seks)\b|\bwerd\b[^.;]{0,30}?\buitgebuit\b"
    r"|\b(?:woonde|verbleef|sliep|studeerde|zat in)\b|\bwas toen\b|\bjaar oud\b"
    r"|\bkende\b[^.;]{0,30}?\bniet\b|\braakte\b[^.;]{0,60}?\bbekend met\b"
    r"|\bdeed aangifte\b|\baangifte\b|\bslachtoffer\b|\bliep weg\b|\bweggelopen\b",
    re.IGNORECASE,
)
_PERPETRATOR_DEEDS = re.compile(
    r"\b(?:verdachte|plaatste|ontving het geld|hield het geld|nam het geld|bracht haar"
    r"|haalde haar|nam hij haar|nam haar mee|stuurde haar|bood haar|bood aan|stelde haar voor"
    r"|dwong|regelde|is gehoord|werd aangehouden|is aangehouden|veroordeeld|strafblad"
    r"|schulden|betalingsachterstand|diploma|opleiding|verklaarde dat hij)\b",
    re.IGNORECASE,
)


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
