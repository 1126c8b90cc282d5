"""Names in a Dutch case summary: which capitalised words are names, and aliases.

Names are capitalised words, optionally joined by a tussenvoegsel ("Kevin de V.",
"Sanne van der Berg") or followed by an initial ("Dylan K."), or an initial alone
after a role word or an age ("verdachte J.", "de toen 17-jarige L."); capitalised
words that are not names (sentence openers, months, platforms, institutions) are
listed in :data:`NOT_NAMES`. A person is found again by the name as first written,
by the first name alone and by the first name with the surname's initial ("Dylan K."
for "Dylan Koster").
"""

from __future__ import annotations

import re

__all__ = ["NOT_NAMES", "PLACEHOLDER", "aliases", "find_names", "surname_of"]

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
        "persoon",
        "via",
        "daar",
        "beide",
        "beiden",
        "mijn",
        "wie",
        "pas",
        "eerste",
        "tweede",
        "derde",
    ]
)

_WORD = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
_PREFIX = r"(?:van der|van den|van de|van 't|van|de|der|den|ter|ten|te|el|al|'t)"
_NAME = re.compile(
    rf"(?<![\w.\[-])(?P<first>{_WORD})"
    rf"(?P<rest>(?:\s+{_PREFIX})?\s+(?:{_WORD}(?:\s+{_WORD})?|[A-Z]\.))?"
)
PLACEHOLDER = re.compile(r"\[PERSOON-\d+\]")
# A person known by an initial only: "verdachte J.", "de toen 17-jarige L.",
# "aangeefster, S.,". Only after a role word or an age, since a lone capital with a
# full stop is often something else.
_INITIAL = re.compile(
    r"\b(?i:verdachte|medeverdachte|hoofdverdachte|aangeefster|aangever|slachtoffer"
    r"|benadeelde|jarige)\s*,?\s+(?P<name>[A-Z]\.)(?![\w.])"
)


def aliases(name: str) -> set[str]:
    """The names a person called ``name`` is found by again (see module doc)."""
    if PLACEHOLDER.fullmatch(name):
        return {name}
    words = name.split()
    found = {name}
    if len(words) >= 2:
        found.add(words[0])
        surname = words[-1]
        found.add(f"{words[0]} {surname[0]}.")
        if not surname.endswith("."):
            prefix = " ".join(words[1:-1])
            found.add(f"{words[0]} {prefix + ' ' if prefix else ''}{surname[0]}.".strip())
    return found


def find_names(text: str) -> list[tuple[int, int, str]]:
    """Candidate names in a piece of text: (start, end, name), in text order.

    A de-identification placeholder ("[PERSOON-2]") is a name too, so a
    de-identified summary gives the same persons.
    """
    found = [(m.start(), m.end(), m.group()) for m in PLACEHOLDER.finditer(text)]
    position = 0
    while (match := _NAME.search(text, position)) is not None:
        first = match.group("first")
        position = match.end()
        if first.lower() in NOT_NAMES:
            position = match.end("first")  # "Via Fleur": the name may follow
            continue
        name = match.group(0)
        # Trailing capitalised words that are not names ("Dylan K. Hij") are cut off.
        words = name.split()
        while len(words) > 1 and words[-1].lower() in NOT_NAMES:
            words.pop()
        name = " ".join(words)
        found.append((match.start(), match.start() + len(name), name))
    for match in _INITIAL.finditer(text):
        found.append((match.start("name"), match.end("name"), match.group("name")))
    return sorted(found)


def surname_of(name: str) -> str | None:
    """The surname of a full name ("Bosman" of "Sharon Bosman"), if written out."""
    words = name.split()
    if len(words) < 2 or words[-1].endswith(".") or len(words[-1]) < 3:
        return None
    return words[-1]
