"""Numbers and ages in Dutch case summaries, each with its exact span in the text.

Numbers are written in digits (``17``, ``1.500``) or in Dutch words from 0 to 9999,
together or apart (``drieëntwintig``, ``tweeduizendnegentien``, ``twee honderd``).
:func:`parse_number` reads one such number; :func:`find_numbers` finds every number in
a text; :func:`find_ages` finds the phrases that state a person's age (``de toen
16-jarige``, ``zeventien jaar oud``, ``Dylan K. (22)``) and leaves durations (``16
jaar cel``, ``twee jaar lang``) alone. Finding is done with compiled regular
expressions only, so a summary of a few thousand characters takes well under a
millisecond.

Two words are numerals only in some uses, and are reported only then:

- ``een`` is mostly the article (``een vriendin``): it is reported only when the
  next word is a unit of time or a count (``dag``, ``dagen``, ``week``, ``weken``,
  ``maand``, ``maanden``, ``jaar``, ``keer``). ``één`` with accents is always a
  numeral.
- ``acht`` is also a verb (``de rechtbank acht bewezen``, ``in acht nemen``): it is
  not reported when the next word is one that follows the verb (``het``,
  ``bewezen``, ``dat``, ``genomen``, ...).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "SMALL_NUMBER_PATTERN",
    "AgeMention",
    "NumberMention",
    "age_on",
    "find_ages",
    "find_numbers",
    "parse_number",
]

logger = logging.getLogger(__name__)

_UNIT_WORDS = r"(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)"
_TEEN_WORDS = r"(?:tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien)"
_TENS_WORDS = r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)"
# Order matters: the compound forms come first, so "eenentwintig" is not read as "een".
_BELOW_100 = rf"(?:{_UNIT_WORDS}(?:en|ën){_TENS_WORDS}|{_TENS_WORDS}|{_TEEN_WORDS}|{_UNIT_WORDS})"
_BELOW_1000 = rf"(?:(?:{_BELOW_100}\s?)?honderd(?:\s?{_BELOW_100})?|{_BELOW_100})"
_BELOW_10000 = rf"(?:(?:{_UNIT_WORDS}\s?)?duizend(?:\s?{_BELOW_1000})?|{_BELOW_1000})"

#: Regular-expression source (no groups) of a number from 0 to 999 in digits or from 1
#: to 99 in Dutch words: the counts in phrases such as ``drie dagen later``. Use it
#: inside a larger pattern compiled with :data:`re.IGNORECASE`; read the matched text
#: with :func:`parse_number`.
SMALL_NUMBER_PATTERN = rf"(?:\d{{1,3}}|{_BELOW_100})"

# The text is lowercased first (see _lower): patterns that start with a digit or a
# literal are scanned for quickly by Python's regex engine; a number word is found by
# its first three letters, then read whole.
_DIGIT_NUMBER_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?!\w)")
_WORD_START_RE = re.compile(
    r"een|één|twe|twi|twa|dri|vie|vij|zes|zev|ach|neg|tie|elf|der|vee|tac|hon|dui|nul"
)
_WORD_NUMBER_RE = re.compile(rf"(?:nul|{_BELOW_10000})\b")
_DIGITS_RE = re.compile(r"\d+|\d{1,3}(?:\.\d{3})+")
_NEXT_WORD_RE = re.compile(r"\s+(\w+)")
_MAX_DIGITS = 100

_UNIT_VALUES = {
    word: value
    for value, word in enumerate(
        ("een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"), start=1
    )
}
_TEEN_VALUES = {
    word: value
    for value, word in enumerate(
        ("tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien",
         "achttien", "negentien"),
        start=10,
    )
}  # fmt: skip
_TENS_VALUES = {
    word: value * 10
    for value, word in enumerate(
        ("twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"),
        start=2,
    )
}
_SIMPLE_VALUES = _UNIT_VALUES | _TEEN_VALUES | _TENS_VALUES

# "een" is a numeral only before these words (see the module docstring).
_EEN_UNITS = frozenset({"dag", "dagen", "week", "weken", "maand", "maanden", "jaar", "keer"})
# Words after which "acht" is the verb "achten", not the number 8.
_ACHT_VERB_NEXT = frozenset(
    {
        "aannemelijk", "bewezen", "dat", "de", "deze", "dit", "genomen", "geslagen",
        "haar", "hem", "hen", "het", "hij", "hun", "mogelijk", "nam", "namen", "neemt",
        "nemen", "niet", "onvoldoende", "slaan", "sloeg", "te", "voldoende", "wettig",
        "zich", "zij", "ze",
    }
)  # fmt: skip


def _fold(text: str) -> str:
    """Lower case without diacritics: ``Drieëntwintig`` -> ``drieentwintig``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _below_100(word: str) -> int | None:
    if word in _SIMPLE_VALUES:
        return _SIMPLE_VALUES[word]
    for tens_word, tens in _TENS_VALUES.items():
        if word.endswith(tens_word):
            head = word[: -len(tens_word)]
            if head.endswith("en") and head[:-2] in _UNIT_VALUES:
                return tens + _UNIT_VALUES[head[:-2]]
    return None


def _below_1000(word: str, *, large_head: bool) -> int | None:
    head, found, tail = word.partition("honderd")
    if not found:
        return _below_100(word)
    # "negentienhonderd" (1900) is fine on its own, not after "duizend".
    hundreds = 1 if not head else _below_100(head)
    if hundreds is None or (hundreds > 9 and not large_head):
        return None
    rest = 0 if not tail else _below_100(tail)
    return None if rest is None else hundreds * 100 + rest


def _words_value(word: str) -> int | None:
    if word == "nul":
        return 0
    head, found, tail = word.partition("duizend")
    if not found:
        return _below_1000(word, large_head=True)
    thousands = 1 if not head else _UNIT_VALUES.get(head)
    if thousands is None:
        return None
    rest = 0 if not tail else _below_1000(tail, large_head=False)
    return None if rest is None else thousands * 1000 + rest


def parse_number(text: str) -> int | None:
    """Read one whole number written in digits or in Dutch words.

    Digits may group thousands with dots (``1.500``). Words run from ``nul`` to 9999,
    written together or apart, in any case, with or without diacritics. A fraction
    (``anderhalf``, ``3,5``) or anything else is not a whole number.

    Args:
        text: the number alone, e.g. ``"drieëntwintig"``; surrounding spaces are ignored.

    Returns:
        The value, or ``None`` when ``text`` is not one whole number.

    Example:
        >>> [parse_number(t) for t in ["17", "1.500", "drieentwintig", "tweeduizendnegentien"]]
        [17, 1500, 23, 2019]
        >>> parse_number("anderhalf") is None
        True
    """
    stripped = text.strip()
    if _DIGITS_RE.fullmatch(stripped):
        digits = stripped.replace(".", "")
        # Longer than Python converts (4300 digits) is no number a summary means.
        return int(digits) if len(digits) <= _MAX_DIGITS else None
    word = "".join(_fold(stripped).split())
    if not word or not word.isalpha():
        return None
    return _words_value(word)


@dataclass(frozen=True)
class NumberMention:
    """A number in a text: ``text == source[start:end]`` reads as ``value``."""

    start: int
    end: int
    text: str
    value: int


def _next_word(text: str, end: int) -> str:
    match = _NEXT_WORD_RE.match(text, end)
    return _fold(match.group(1)) if match else ""


def _lower(text: str) -> str:
    """``text`` in lower case with every offset kept (a few letters lengthen in ``lower``)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum()


def _number_words(low: str) -> list[tuple[int, int]]:
    """Spans of the number words in a lowercased text."""
    spans: list[tuple[int, int]] = []
    position = 0
    while (start := _WORD_START_RE.search(low, position)) is not None:
        position = start.end()
        if not _starts_word(low, start.start()):
            continue
        word = _WORD_NUMBER_RE.match(low, start.start())
        if word is not None:
            spans.append(word.span())
            position = word.end()
    return spans


def find_numbers(text: str) -> list[NumberMention]:
    """Find every whole number in a text, in digits or in Dutch words.

    Numbers inside dates and ages are found too (``3`` and ``2019`` in ``3-3-2019``);
    a decimal or a time (``3,5``, ``12.30``) is not a whole number and is skipped.
    ``een`` counts only before a unit word and ``acht`` not as a verb (see the module
    docstring).

    Args:
        text: the summary.

    Returns:
        The numbers in text order, each with its span.

    Example:
        >>> found = find_numbers("Een vriendin kwam twee keer, een week later 1.500 euro.")
        >>> [(m.text, m.value) for m in found]
        [('twee', 2), ('een', 1), ('1.500', 1500)]
    """
    low = _lower(text)
    mentions: list[NumberMention] = []
    for match in _DIGIT_NUMBER_RE.finditer(low):
        value = parse_number(match.group())
        if value is not None:
            mentions.append(NumberMention(match.start(), match.end(), match.group(), value))
    for start, end in _number_words(low):
        word = low[start:end]
        # Only the plain "een" is ambiguous; "één" is always the numeral.
        if word == "een" and _next_word(low, end) not in _EEN_UNITS:
            continue
        if word == "acht" and _next_word(low, end) in _ACHT_VERB_NEXT:
            continue
        value = parse_number(word)
        if value is not None:
            mentions.append(NumberMention(start, end, text[start:end], value))
    return sorted(mentions, key=lambda mention: mention.start)


@dataclass(frozen=True)
class AgeMention:
    """A stated age: ``text == source[start:end]`` is the phrase the age is read from."""

    start: int
    end: int
    text: str
    age: int


_AGE = rf"(?P<n>\d{{1,3}}|{_BELOW_100})"
_QUALIFIER = r"(?:nog\s+maar|nog|pas|net|slechts|ongeveer|bijna|toen|destijds|inmiddels|nu|al)"
_LEFT_WINDOW = 60

# "16-jarige", "de toen 16-jarige", "zestienjarige", "op 16-jarige leeftijd": found at
# "jarig", the words before it read from a window.
_JARIG_RE = re.compile(r"jarig(?:e|en)?\b")
_JARIG_LEFT_RE = re.compile(
    rf"(?<!\w)(?:(?P<op>op|vanaf|tot)\s+(?:(?:de|het|zijn|haar)\s+)?|(?:de|het|een)\s+)?"
    rf"(?:{_QUALIFIER}\s+)?{_AGE}\s?[-–‑]?\s?$"
)
_LEEFTIJD_RIGHT_RE = re.compile(r"\s+leeftijd\b")
# "zeventien jaar oud", "was 16 jaar": found at "jaar".
_JAAR_RE = re.compile(r"jaar\b")
_JAAR_LEFT_RE = re.compile(
    rf"(?<!\w)(?:(?P<verb>was|is|werd|wordt|ben|bent|waren|zijn)\s+)?(?:{_QUALIFIER}\s+)*"
    rf"{_AGE}\s+$"
)
_OUD_RIGHT_RE = re.compile(r"\s+oud\b")
# What may follow "was 16 jaar" when it is an age.
_AGE_TAIL_RE = re.compile(
    r"\s*(?:[.,;:!?)]|$|(?P<word>oud|toen|ten\s+tijde|op\s+(?:het|dat)\s+moment|bij|als"
    r"|tijdens|en)\b)"
)
# "toen zij 15 jaar was", "toen hij 15 was"
_TOEN_RE = re.compile(
    rf"toen\s+(?:(?:het|de)\s+)?[\w.]+\s+(?:{_QUALIFIER}\s+)?{_AGE}(?:\s+jaar)?(?:\s+oud)?"
    r"\s+was\b"
)
# "op de leeftijd van 15 jaar": found at "leeftijd".
_LEEFTIJD_RE = re.compile(rf"leeftijd\s+van\s+(?:{_QUALIFIER}\s+)?{_AGE}(?:\s+jaar(?:\s+oud)?)?\b")
_LEEFTIJD_LEFT_RE = re.compile(
    r"(?<!\w)(?:(?:op|vanaf)\s+)?(?:de\s+)?(?:(?:jonge|prille|jeugdige)\s+)?$"
)
# "Quincy, toen 22, ...", "Dennis was toen 23.", "S., destijds 19 jaar:"
_THEN_AGE_RE = re.compile(
    rf"(?:,\s*|\bwas\s+)(?P<then>toen|destijds)\s+{_AGE}(?:\s+jaar)?(?=\s*[,.;:)])"
)
# "een meisje van 15 (jaar)"
_PERSON_AGE_RE = re.compile(
    r"(?:meisje|jongen|vrouw|man|minderjarige|slachtoffer|dochter|zoon|kind|tiener|meid"
    rf"|puber|jongeman|jongedame)\s+van\s+(?:{_QUALIFIER}\s+)?{_AGE}"
    r"(?:\s+jaar(?:\s+oud)?)?\b"
)
# "Dylan K. (22)", "[PERSOON-1] (16 jaar)": on the text as written, for the capital.
_PAREN_AGE_RE = re.compile(r"\((?P<n>\d{1,3})(?:\s*(?:jaar|jr\.?))?\)", re.IGNORECASE)
_NAME_BEFORE_RE = re.compile(r"(?:(?<!\w)(?P<name>[A-Z][\w'.-]*)|\])\s*$")
# Capitalised words before "(n)" that are no name: legal references and the like.
_NOT_NAMES = frozenset({"Sr", "Sv", "Wetboek", "Strafrecht", "Strafvordering", "Artikel", "Lid"})
# Nouns after "16-jarige" that make it a duration ("een tweejarige opleiding").
_DURATION_NOUNS = frozenset(
    {
        "behandeling", "bestaan", "celstraf", "contract", "cursus", "detentie",
        "dienstverband", "gevangenisstraf", "huwelijk", "jeugddetentie", "jubileum",
        "looptijd", "maatregel", "onderzoek", "ondertoezichtstelling", "opleiding",
        "periode", "plaatsing", "proeftijd", "programma", "relatie", "samenwerking",
        "straf", "studie", "termijn", "traject", "verblijf", "vriendschap", "werkstraf",
    }
)  # fmt: skip
# Words after "van 15 (jaar)" that make it an amount or a duration, not an age.
_NOT_AFTER_AGE = _DURATION_NOUNS | {
    "cel", "dagen", "eerder", "euro", "geleden", "keer", "lang", "later", "maanden",
    "minuten", "procent", "uitbuiting", "uur", "weken",
}  # fmt: skip
_MAX_AGE = 110


def _read_age(match: re.Match[str]) -> int | None:
    age = parse_number(match.group("n"))
    return age if age is not None and 0 < age <= _MAX_AGE else None


def _left(pattern: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    """The words ``pattern`` reads right before ``start`` (its leftmost match)."""
    return pattern.search(text, max(0, start - _LEFT_WINDOW), start)


def _longest_first(spans: list[AgeMention]) -> list[AgeMention]:
    """Non-overlapping mentions in text order; of overlapping ones the longest wins."""
    kept: list[AgeMention] = []
    for mention in sorted(spans, key=lambda m: (m.start - m.end, m.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def _age_tail_ok(low: str, end: int) -> bool:
    tail = _AGE_TAIL_RE.match(low, end)
    if tail is None:
        return False
    if tail.group("word") == "en":
        # "was 2 jaar en 3 maanden ..." is a duration.
        following = _NEXT_WORD_RE.match(low, tail.end())
        return following is None or parse_number(following.group(1)) is None
    return True


def find_ages(text: str) -> list[AgeMention]:
    """Find the phrases that state a person's age.

    Read as ages: ``16-jarige``, ``de toen 16-jarige``, ``zestienjarige``, ``op
    16-jarige leeftijd``, ``op de leeftijd van 16 jaar``, ``zeventien jaar oud``,
    ``toen zij 15 jaar was``, ``toen hij 15 was``, ``, toen 22,`` and ``was
    destijds 19.``, ``was 16 jaar`` (only when a full
    stop, comma, ``oud``, ``toen``, ``en`` or the like follows), ``een meisje van 15``,
    and ``(16)`` or ``(16 jaar)`` right after a capitalised name or a
    ``[PLACEHOLDER]``. Not read as ages: durations such as ``16 jaar cel``, ``twee
    jaar lang``, ``werkstraf van 2 jaar``, ``een tweejarige opleiding``. Verbs such as
    ``was`` are context, not part of the span; articles and ``toen`` before
    ``-jarige`` are.

    Args:
        text: the summary.

    Returns:
        The ages in text order, non-overlapping (of overlapping phrases the longest).

    Example:
        >>> found = find_ages("De toen 16-jarige was zeventien jaar oud, niet 16 jaar cel.")
        >>> [(m.text, m.age) for m in found]
        [('De toen 16-jarige', 16), ('zeventien jaar oud', 17)]
    """
    low = _lower(text)
    found: list[AgeMention] = []

    def add(match: re.Match[str], start: int, end: int) -> None:
        age = _read_age(match)
        if age is not None:
            found.append(AgeMention(start, end, text[start:end], age))

    for match in _JARIG_RE.finditer(low):
        left = _left(_JARIG_LEFT_RE, low, match.start())
        if left is None:
            continue
        leeftijd = _LEEFTIJD_RIGHT_RE.match(low, match.end())
        if leeftijd is not None:
            add(left, left.start() if left.group("op") else left.start("n"), leeftijd.end())
        elif _next_word(low, match.end()) not in _DURATION_NOUNS:
            add(left, left.start() if not left.group("op") else left.start("n"), match.end())
    for match in _JAAR_RE.finditer(low):
        if not _starts_word(low, match.start()):
            continue
        left = _left(_JAAR_LEFT_RE, low, match.start())
        if left is None:
            continue
        oud = _OUD_RIGHT_RE.match(low, match.end())
        if oud is not None:
            add(left, left.start("n"), oud.end())
        elif left.group("verb") and _age_tail_ok(low, match.end()):
            add(left, left.start("n"), match.end())
    for match in _TOEN_RE.finditer(low):
        if _starts_word(low, match.start()):
            add(match, match.start(), match.end())
    for match in _LEEFTIJD_RE.finditer(low):
        left = _left(_LEEFTIJD_LEFT_RE, low, match.start())
        add(match, left.start() if left else match.start(), match.end())
    for match in _PERSON_AGE_RE.finditer(low):
        if _starts_word(low, match.start()) and _next_word(low, match.end()) not in _NOT_AFTER_AGE:
            add(match, match.start(), match.end())
    for match in _THEN_AGE_RE.finditer(low):
        add(match, match.start("then"), match.end())
    for match in _PAREN_AGE_RE.finditer(text):
        before = _NAME_BEFORE_RE.search(text, max(0, match.start() - _LEFT_WINDOW), match.start())
        if before is not None and before.group("name") not in _NOT_NAMES:
            add(match, match.start(), match.end())
    return _longest_first(found)


def age_on(birth: date, on: date) -> int:
    """A person's age on a day: the number of completed years since birth.

    Args:
        birth: the date of birth.
        on: the day of interest, not before ``birth``.

    Returns:
        The completed years (a birthday on ``on`` counts as completed).

    Raises:
        ValueError: when ``on`` is before ``birth``.

    Example:
        >>> age_on(date(2003, 3, 4), date(2019, 3, 3)), age_on(date(2003, 3, 3), date(2019, 3, 3))
        (15, 16)
    """
    if on < birth:
        raise ValueError("the day of interest is before the date of birth")
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - int(before_birthday)
