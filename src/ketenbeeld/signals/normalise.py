"""Dutch normalisation of identifiers before they are encoded.

Two organisations write the same person differently ("Zoë van der Berg" and
"ZOE BERG, V.D."); linkage only works if both sides reduce what they wrote to the
same canonical form first. Every function here is pure and deterministic: the same
text gives the same result on every machine, which the encodings depend on.

The rules, in short:

- case and diacritics are folded (``"Zoë"`` -> ``"zoe"``), punctuation and runs of
  spaces are collapsed;
- nicknames are *not* expanded ("Hans" stays "hans", not "johannes"): a nickname
  table would make different people agree, and the q-gram similarity already
  keeps part of the agreement between "Wim" and "Willem";
- initials are recognised: a first name of initials only ("J.P.") becomes its first
  initial, and initials in front of a surname ("V. Jansen") are dropped;
- a surname is split into its tussenvoegsel (prefix) and core, whichever way it was
  written; merged forms ("Vanderberg") are deliberately not split (see
  :func:`split_surname`);
- dates, postcodes, house numbers, gender and the BSN are parsed and checked, and
  give ``None`` when they cannot be a valid value.

Functions return ``""`` or ``None`` for "no usable value"; they never raise on
bad input and never log it (it is personal data).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

__all__ = [
    "NORMALISERS",
    "PREFIXES",
    "Normaliser",
    "fold",
    "normalise_bsn",
    "normalise_digits",
    "normalise_first_name",
    "normalise_gender",
    "normalise_house_number",
    "normalise_name",
    "normalise_postcode",
    "normalise_text",
    "parse_date",
    "passes_elfproef",
    "split_surname",
]

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_SPECIAL_LETTERS = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile(r"[’‘`´ʼ′]")

#: Known tussenvoegsels (Dutch surname prefixes) and common foreign particles, in
#: their canonical written form. Multi-word prefixes are matched before their parts.
PREFIXES: tuple[str, ...] = tuple(
    (
        "van|de|der|den|het|'t|ter|ten|te|van de|van der|van den|van het|van 't|van ter|"
        "van ten|in|in 't|in de|in den|in het|op|op de|op den|op het|op 't|op ten|uit|uit de|"
        "uit den|uit het|uit 't|aan|aan de|aan den|aan het|bij|bij de|onder|onder de|over|"
        "over de|voor|voor de|voor den|tot|la|le|les|l'|du|d'|da|di|do|dos|das|del|della|des|"
        "von|von der|zu|zur|"
    )
    .strip("|")
    .split("|")
)

# Prefix keys are word tuples without apostrophes, so "'t", "t" and "’t" all match.
_PREFIX_KEYS: dict[tuple[str, ...], str] = {
    tuple(word.replace("'", "") for word in prefix.split()): prefix for prefix in PREFIXES
}
_LONGEST_PREFIX = max(len(key) for key in _PREFIX_KEYS)
# "vd", "v.d.", "v/d", "v. d." abbreviate van der/van den/van de; we read them as
# "van der" (the q-grams of the prefix field keep most of the agreement with the others).
_VD = re.compile(r"(?<![a-z'])v\s*[./]?\s*d\b\.?")
_INITIALS = re.compile(r"(?:[a-z]\.)+")
_PLAIN_TEXT = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_NOT_LETTERS = re.compile(r"[^a-z]+")
_NOT_DIGITS = re.compile(r"[^0-9]")
_ELISION = re.compile(r"([dl])'([a-z].*)")


def fold(text: str) -> str:
    """Lowercase and strip diacritics, keeping everything else.

    Example:
        >>> fold("Zoë Çelik-Ångström")
        'zoe celik-angstrom'
    """
    if text.isascii():  # the common case, and 20x faster
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_SPECIAL_LETTERS)
    return "".join(char for char in text if not unicodedata.combining(char))


def normalise_text(text: str) -> str:
    """Generic text: folded, apostrophes dropped, other punctuation a space, spaces collapsed.

    Example:
        >>> normalise_text("  's-Hertogenbosch ")
        's hertogenbosch'
        >>> normalise_text("Den   Haag")
        'den haag'
    """
    if _PLAIN_TEXT.fullmatch(text):  # already normal: the common case in clean files
        return text
    text = _APOSTROPHES.sub("", fold(text)).replace("'", "")
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def normalise_name(text: str) -> str:
    """A name as letters only: folded, without spaces, hyphens or punctuation.

    Example:
        >>> normalise_name("Anne-Marie")
        'annemarie'
        >>> normalise_name("O'Brien")
        'obrien'
    """
    if text.isascii() and text.isalpha() and text.islower():
        return text
    return _NOT_LETTERS.sub("", fold(text))


def normalise_first_name(text: str) -> str:
    """A first name as letters only; initials-only input gives its first initial.

    Single-letter words after a name ("Jan P.") are dropped. Nicknames are not
    expanded. A first name of initials only is reduced to one letter, which the
    q-gram tokeniser encodes as the start of a name (so "J." agrees in part with
    "Jan" and not at all with "Piet").

    Example:
        >>> normalise_first_name("Zoë")
        'zoe'
        >>> normalise_first_name("J.P.")
        'j'
        >>> normalise_first_name("Jan-Peter")
        'janpeter'
        >>> normalise_first_name("Jan P.")
        'jan'
    """
    words: list[str] = re.findall(r"[a-z]+", _APOSTROPHES.sub("", fold(text)).replace("'", ""))
    if not words:
        return ""
    if all(len(word) == 1 for word in words):
        return words[0]
    return "".join(word for word in words if len(word) > 1)


def _surname_words(text: str) -> list[str]:
    text = _APOSTROPHES.sub("'", fold(text))
    text = _VD.sub(" van der ", text)
    words: list[str] = []
    for word in text.split():
        elision = _ELISION.fullmatch(word)
        if elision and f"{elision.group(1)}'" in PREFIXES:
            words.extend([f"{elision.group(1)}'", elision.group(2)])
        else:
            words.append(word)
    return words


def _key(word: str) -> str:
    return word.replace("'", "").strip(".")


def _take_prefix(words: list[str]) -> tuple[list[str], list[str]]:
    """Split leading prefix words off ``words``, keeping at least one core word."""
    prefix: list[str] = []
    rest = list(words)
    while len(rest) > 1:
        for size in range(min(_LONGEST_PREFIX, len(rest) - 1), 0, -1):
            canonical = _PREFIX_KEYS.get(tuple(_key(word) for word in rest[:size]))
            if canonical is not None and not any(_INITIALS.fullmatch(w) for w in rest[:size]):
                prefix.append(canonical)
                rest = rest[size:]
                break
        else:
            break
    return prefix, rest


def _is_prefix_only(words: list[str]) -> bool:
    taken, rest = _take_prefix([*words, "x"])
    return bool(taken) and rest == ["x"]


def split_surname(surname: str, prefix: str = "") -> tuple[str, str]:
    """Split a surname into ``(tussenvoegsel, core)``, both normalised.

    The tussenvoegsel may be written in front ("van der Berg"), after a comma
    ("Berg, van der"), abbreviated ("v.d. Berg", "vd Berg"), in its own column
    (``prefix="van der"``, ``surname="Berg"``) or in any case. Initials in front
    ("V. Jansen") are dropped: "V." is an initial, not "van". The core keeps letters
    only ("Jansen-de Vries" -> ``"jansendevries"``).

    Merged forms such as "Vanderberg" are *not* split: many ordinary surnames begin
    with the letters of a prefix (Dekker, Terpstra, Vermeulen, Hetzel, Dennis), and
    some families write the merged form on purpose; splitting on letters would break
    those names for everyone. The q-grams of "vanderberg" and "berg" still share
    part of their similarity.

    Example:
        >>> split_surname("Jansen, van")
        ('van', 'jansen')
        >>> split_surname("Van Der Berg")
        ('van der', 'berg')
        >>> split_surname("Berg", prefix="v.d.")
        ('van der', 'berg')
        >>> split_surname("V. Jansen")
        ('', 'jansen')
        >>> split_surname("Vanderberg")
        ('', 'vanderberg')
    """
    head, _, tail = surname.partition(",")
    words = _surname_words(head)
    tail_words = _surname_words(tail)
    if tail_words and _is_prefix_only(tail_words):
        words = tail_words + words
    given = _surname_words(prefix)
    if given:
        own, _ = _take_prefix(words)
        if [_key(w) for w in " ".join(own).split()] != [_key(w) for w in given]:
            words = given + words
    while len(words) > 1 and _INITIALS.fullmatch(words[0]):
        words = words[1:]
    taken, core = _take_prefix(words)
    core_text = normalise_name(" ".join(core))
    if not core_text:
        # Only a prefix was written (e.g. "van"): it is the name we have.
        return "", normalise_name(" ".join(words))
    return " ".join(taken), core_text


_DATE_YMD = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_DATE_DMY = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_FIRST_YEAR, _LAST_YEAR = 1800, 2199


def parse_date(text: str) -> date | None:
    """Parse a date of birth written ISO, Dutch day-first, or compact ``YYYYMMDD``.

    Accepted: ``2004-03-12``, ``2004/03/12``, ``12-03-2004``, ``12/03/2004``,
    ``12.03.2004``, ``20040312`` (FEBRL), with or without leading zeros. A date
    written day first is always read as day-month-year (the Dutch order); a
    day/month swap is not guessed here but absorbed by the date tokeniser. Two-digit
    years, month names and impossible dates (31-02) give ``None``; so do years
    outside 1800-2199.

    Example:
        >>> parse_date("12-3-2004")
        datetime.date(2004, 3, 12)
        >>> parse_date("2004/03/12")
        datetime.date(2004, 3, 12)
        >>> parse_date("31-02-2004") is None
        True
    """
    text = text.strip()
    if match := _DATE_YMD.fullmatch(text):
        year, month, day = match.group(1), match.group(3), match.group(4)
    elif match := _DATE_DMY.fullmatch(text):
        day, month, year = match.group(1), match.group(3), match.group(4)
    elif match := _DATE_COMPACT.fullmatch(text):
        year, month, day = match.groups()
    else:
        return None
    if not _FIRST_YEAR <= int(year) <= _LAST_YEAR:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


_POSTCODE = re.compile(r"[1-9][0-9]{3}[A-Z]{2}")


def normalise_postcode(text: str) -> str | None:
    """A Dutch postcode as ``1234AB``, or ``None`` if it cannot be one.

    Four digits (the first not 0) and two letters; SA, SD and SS are never issued.

    Example:
        >>> normalise_postcode(" 1234 ab")
        '1234AB'
        >>> normalise_postcode("0123AB") is None
        True
        >>> normalise_postcode("1234 SS") is None
        True
    """
    code = re.sub(r"[\s\-]+", "", fold(text)).upper()
    if not _POSTCODE.fullmatch(code) or code[4:] in ("SA", "SD", "SS"):
        return None
    return code


_HOUSE_NUMBER = re.compile(r"0*([1-9][0-9]{0,5})([a-z0-9 .\-/]*)")


def normalise_house_number(text: str) -> str | None:
    """A house number with its addition: letters appended, numbers after a hyphen.

    Example:
        >>> [normalise_house_number(t) for t in ("12", "12a", "12 A", "12-2", "12 / 2")]
        ['12', '12a', '12a', '12-2', '12-2']
        >>> normalise_house_number("hoog") is None
        True
    """
    match = _HOUSE_NUMBER.fullmatch(fold(text).strip())
    if match is None:
        return None
    parts = re.findall(r"[a-z]+|[0-9]+", match.group(2))
    if len(parts) > 3:
        return None
    out = match.group(1)
    for part in parts:
        out += part if part.isalpha() else f"-{part}"
    return out if len(out) <= 16 else None


_GENDERS = {
    **dict.fromkeys(("m", "man", "male", "mannelijk", "jongen", "boy"), "m"),
    **dict.fromkeys(("v", "vrouw", "vrouwelijk", "female", "f", "meisje", "girl"), "f"),
    **dict.fromkeys(("x", "other", "anders", "overig", "nonbinair", "nonbinary"), "x"),
}


def normalise_gender(text: str) -> str | None:
    """Gender as ``'m'``, ``'f'`` or ``'x'``; ``None`` for anything else (also "onbekend").

    Example:
        >>> [normalise_gender(t) for t in ("M", "vrouw", "Meisje", "x", "?")]
        ['m', 'f', 'f', 'x', None]
    """
    return _GENDERS.get(re.sub(r"[^a-z]", "", fold(text)))


def normalise_digits(text: str) -> str:
    """Only the digits of ``text`` (for numbers written with spaces or dots).

    Example:
        >>> normalise_digits("123 45.6")
        '123456'
    """
    if text.isascii() and text.isdigit():
        return text
    return _NOT_DIGITS.sub("", text)


_ELFPROEF_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def passes_elfproef(digits: str) -> bool:
    """Whether nine digits pass the BSN 11-proef (and are not all zeros).

    Example:
        >>> passes_elfproef("111222333"), passes_elfproef("111222334")
        (True, False)
    """
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit() or digits == "0" * 9:
        return False
    # On the ASCII codes (digit + 48), all in C: sum(code * weight) - 48 * sum(weights).
    codes = digits.encode("ascii")
    total: int = sum(map(operator.mul, codes, _ELFPROEF_WEIGHTS)) - 48 * 44
    return (total - (codes[8] - 48)) % 11 == 0


def normalise_bsn(text: str) -> str | None:
    """A BSN as nine digits, or ``None`` if it is not one.

    Spaces, dots and hyphens are ignored; eight digits get a leading zero (a
    spreadsheet dropped it); the result must pass the 11-proef.

    Example:
        >>> normalise_bsn("1112.22.333")
        '111222333'
        >>> normalise_bsn("12345672")
        '012345672'
        >>> normalise_bsn("111222334") is None
        True
    """
    digits = text if text.isdigit() else re.sub(r"[\s.\-]", "", text)
    if not digits.isascii() or not digits.isdigit():
        return None
    if len(digits) == 8:
        digits = "0" + digits
    return digits if passes_elfproef(digits) else None


@dataclass(frozen=True)
class Normaliser:
    """A named normaliser a linkage schema can use for a field.

    Attributes:
        name: the name used in schema files.
        function: maps the field's column values to the normalised value; ``""``
            means "no value" and ``None`` means "a value was written but is invalid".
            It is only called when at least one column is non-blank.
        invalid: what is wrong when ``function`` gives ``None``, for error messages.
        produces_date: whether the result is an ISO date (``date`` tokeniser, ``.year`` salt).
    """

    name: str
    function: Callable[[Sequence[str]], str | None]
    invalid: str
    produces_date: bool = False


def _over_columns(function: Callable[[str], str | None], values: Sequence[str]) -> str | None:
    # Module-level (not a lambda) so that normalisers, and so schemas, can be pickled.
    return function(" ".join(values)) or None


def _joined(values: Sequence[str]) -> str:
    return " ".join(values)


@lru_cache(maxsize=1 << 14)
def _split_cached(surname: str, prefix: str) -> tuple[str, str]:
    # The surname_core and surname_prefix fields split the same columns.
    return split_surname(surname, prefix)


def _surname_parts(values: Sequence[str]) -> tuple[str, str]:
    # One column: the full surname. Two columns: [tussenvoegsel, surname].
    if len(values) >= 2:
        return _split_cached(values[-1], " ".join(values[:-1]))
    return _split_cached(values[0] if values else "", "")


def _surname_core(values: Sequence[str]) -> str | None:
    return _surname_parts(values)[1] or None


def _surname_prefix(values: Sequence[str]) -> str | None:
    return _surname_parts(values)[0]


def _date(values: Sequence[str]) -> str | None:
    parsed = parse_date(_joined(values))
    return parsed.isoformat() if parsed else None


#: Normalisers by the name a schema file uses.
NORMALISERS: dict[str, Normaliser] = {
    n.name: n
    for n in (
        Normaliser("text", partial(_over_columns, normalise_text), "has no letters"),
        Normaliser("name", partial(_over_columns, normalise_name), "has no letters"),
        Normaliser("first_name", partial(_over_columns, normalise_first_name), "has no letters"),
        Normaliser("surname_core", _surname_core, "has no letters"),
        Normaliser("surname_prefix", _surname_prefix, "has no letters"),
        Normaliser(
            "date", _date, "is not a date: use YYYY-MM-DD or DD-MM-YYYY", produces_date=True
        ),
        Normaliser(
            "postcode",
            partial(_over_columns, normalise_postcode),
            "is not a Dutch postcode: use 4 digits and 2 letters, e.g. 1234 AB",
        ),
        Normaliser(
            "house_number",
            partial(_over_columns, normalise_house_number),
            "is not a house number: use a number with an optional addition, e.g. 12a or 12-2",
        ),
        Normaliser(
            "gender",
            partial(_over_columns, normalise_gender),
            "is not a gender: use m, v or x (or man, vrouw, jongen, meisje, anders)",
        ),
        Normaliser("digits", partial(_over_columns, normalise_digits), "has no digits"),
    )
}
