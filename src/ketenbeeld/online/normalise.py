"""Normalising what advertisements give to contact a person: phones, e-mail, handles,
and the stated age and price.

Ads write the same number in many ways (``06-12345678``, ``+31 6 1234 5678``,
``O6-1234 5678`` with a letter O, ``nul zes 12 34 56 78``) to dodge simple search;
linking needs one form. Phone numbers become E.164 (``+31612345678``) with the
``phonenumbers`` library (Dutch numbers by default, foreign ones kept with their
country code); e-mail addresses become lower case with ``[at]``/``[dot]`` spelled
out; handles become ``platform:name`` (``snapchat:lisa_x``, ``telegram:lisa_x``,
``instagram:lisa.x``), and a WhatsApp link counts as its phone number.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ketenbeeld.online._phones import matched_numbers, parsed_number

__all__ = [
    "find_emails",
    "find_handles",
    "find_phones",
    "normalise_email",
    "normalise_handle",
    "normalise_phone",
    "parse_age",
    "parse_price",
]

DEFAULT_REGION = "NL"

_DIGIT_WORDS = {
    "nul": "0", "zero": "0", "oh": "0",
    "een": "1", "één": "1", "one": "1",
    "twee": "2", "two": "2",
    "drie": "3", "three": "3",
    "vier": "4", "four": "4",
    "vijf": "5", "five": "5",
    "zes": "6", "six": "6",
    "zeven": "7", "seven": "7",
    "acht": "8", "eight": "8",
    "negen": "9", "nine": "9",
}  # fmt: skip


def _word_pattern(words: list[str]) -> re.Pattern[str]:
    """A whole word of ``words`` (case aside), as ``\\b(word|...)\\b`` with ``re.I`` would find.

    The words are grouped by first letter, and a look-ahead for the possible first
    letters (non-ASCII ones included, as ``re.I`` folds some onto ASCII letters) lets
    the search skip the other word starts cheaply.
    """
    by_first: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        by_first.setdefault(word[0], []).append(re.escape(word[1:]))
    firsts = "".join(
        sorted({c for w in words for c in (w[0].lower(), w[0].upper()) if c.isascii()})
    )
    branches = "|".join(
        f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in by_first.items()
    )
    return re.compile(rf"\b(?=[{firsts}\x80-\U0010ffff])(?i:{branches})\b")


_WORD = _word_pattern(list(_DIGIT_WORDS))
# A letter O (or o) standing for a zero, or l/I for a one, next to digits: "O6", "06-l2".
# The letter comes first (so the search skips to the letters); the look-behinds then
# check the character before it, or that it starts the text.
_LOOKALIKE = re.compile(
    r"[oO](?:(?<=[\d\s.\-+/()][oO])(?=[\d\s.\-])|(?<![\s\S]{2})(?=\d))|[lI](?<=[\d.\-][lI])(?=\d)"
)
_PHONE_CHARS = re.compile(r"[^\d+]")
_SHORTEST_NUMBER = 5
_WHATSAPP = re.compile(r"wa\.me/\+?(\d{8,15})", re.I)


def _deobfuscate(text: str) -> str:
    """Digits written as words or look-alike letters, turned back into digits."""
    text = _WORD.sub(lambda m: _DIGIT_WORDS[m.group(0).lower()], text)
    return _LOOKALIKE.sub(lambda m: "0" if m.group(0) in "oO" else "1", text)


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """One phone number as E.164, or ``None`` when it is not a valid number.

    Example:
        >>> normalise_phone("O6-1234 5678")
        '+31612345678'
        >>> normalise_phone("nul zes 12 34 56 78")
        '+31612345678'
        >>> normalise_phone("12345") is None
        True
    """
    cleaned = _PHONE_CHARS.sub("", _deobfuscate(raw.strip()))
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if len(cleaned.lstrip("+")) < 8:
        return None
    return _e164(cleaned, region)


def _e164(cleaned: str, region: str) -> str | None:
    """A cleaned number (digits, maybe a leading ``+``) as E.164, or ``None`` when invalid."""
    return parsed_number(cleaned, region)[0]


def find_phones(text: str, region: str = DEFAULT_REGION) -> list[str]:
    """Every valid phone number written in a text, as E.164, in order, without repeats.

    Example:
        >>> find_phones("Bel 06-12345678 of app O6 8765 4321, niet 1234")
        ['+31612345678', '+31687654321']
    """
    found: dict[str, None] = {}
    prepared = _deobfuscate(text)
    # No valid number has fewer than 5 digits (Dutch 14xxx numbers; elsewhere more), so
    # shorter candidates (ages, prices, times) are not parsed. The matcher gives up after
    # 65,535 failed candidates; a text this short cannot have that many.
    shortest = _SHORTEST_NUMBER if len(prepared) <= 5_000 else 1
    for matched in matched_numbers(prepared, region, shortest):
        found.setdefault(matched)
    if "wa.me/" not in text.lower():  # the same case aside (no other character lowers to these)
        return list(found)
    for link in _WHATSAPP.finditer(text):
        number = normalise_phone("+" + link.group(1), region)
        if number:
            found.setdefault(number)
    return list(found)


_AT = re.compile(r"\s*(?:\[at\]|\(at\)|\{at\}|\bat\b|\bapenstaartje\b)\s*", re.I)
_DOT = re.compile(r"\s*(?:\[dot\]|\(dot\)|\{dot\}|\[punt\]|\(punt\)|\bdot\b|\bpunt\b)\s*", re.I)
_EMAIL = re.compile(r"^[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}$")
_EMAIL_IN_TEXT = re.compile(
    r"[A-Za-z0-9._%+\-]+\s*(?:@|\[at\]|\(at\)|\{at\})\s*[A-Za-z0-9\-]+"
    r"(?:\s*(?:\.|\[dot\]|\(dot\)|\{dot\}|\[punt\]|\(punt\))\s*[A-Za-z0-9\-]+)+",
    re.I,
)


def normalise_email(raw: str) -> str | None:
    """An e-mail address in lower case, with spelled-out ``at`` and ``dot`` resolved.

    Example:
        >>> normalise_email("Lisa.X [at] Mail [dot] NL")
        'lisa.x@mail.nl'
    """
    text = _DOT.sub(".", _AT.sub("@", raw.strip())).lower()
    text = re.sub(r"\s+", "", text)
    return text if _EMAIL.match(text) else None


def find_emails(text: str) -> list[str]:
    """Every e-mail address in a text, normalised, in order, without repeats."""
    found: dict[str, None] = {}
    if "@" not in text:
        # Without "@", an address needs a spelled-out "at" (cheaper to rule out first;
        # no character but "A" and "T" lowers to, or matches case aside, "a" or "t").
        lowered = text.lower()
        if not any(at in lowered for at in ("[at]", "(at)", "{at}")):
            return []
    for match in _EMAIL_IN_TEXT.finditer(text):
        email = normalise_email(match.group(0))
        if email:
            found.setdefault(email)
    return list(found)


_NAME = r"@?([A-Za-z0-9][A-Za-z0-9._\-]{2,29})"
# "snap me: lisa_x", "telegram via @lisa_x": a short word may stand between.
_FILLER = r"(?:\s+(?:me|mij|mee|op|via|on|at))?\s*[:=\-]?\s*"
_HANDLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("telegram", re.compile(r"(?:t\.me|telegram\.me)/" + _NAME, re.I)),
    ("instagram", re.compile(r"instagram\.com/" + _NAME, re.I)),
    ("snapchat", re.compile(r"snapchat\.com/add/" + _NAME, re.I)),
    ("snapchat", re.compile(r"\b(?:snapchat|snap|sc)\b" + _FILLER + _NAME, re.I)),
    ("telegram", re.compile(r"\b(?:telegram|tg)\b" + _FILLER + _NAME, re.I)),
    ("instagram", re.compile(r"\b(?:instagram|insta|ig)\b" + _FILLER + _NAME, re.I)),
)
# Per pattern, one that must match the lower-cased text for the pattern to match the
# text: its words, in lower case and without re.I (faster), with the same word bounds.
_HANDLE_HINTS = tuple(
    re.compile(hint)
    for hint in (
        r"t\.me/|telegram\.me/",
        r"instagram\.com/",
        r"snapchat\.com/add/",
        r"s(?<!\ws)(?:napchat|nap|c)\b",
        r"t(?<!\wt)(?:elegram|g)\b",
        r"i(?<!\wi)(?:nstagram|nsta|g)\b",
    )
)
# The characters other than A-Z that re.I matches to an ASCII letter (K for the Kelvin
# sign, ſ, ı, İ); İ is also the one character whose lower case is longer. A text
# without them lowers character by character, word characters staying word characters,
# so a pattern of ASCII words matches it (case aside) only where its lower-case form
# matches the lowered text.
_FOLDS_ONTO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
_PLATFORMS = {"snapchat", "telegram", "instagram", "whatsapp"}
_NOT_NAMES = {
    "app", "bel", "call", "via", "mij", "mee", "een", "het", "the", "and", "site", "ons",
    "naar", "voor", "met", "bij", "ook", "mail", "sms", "whatsapp", "please", "graag",
}  # fmt: skip


def normalise_handle(raw: str) -> str | None:
    """A handle as ``platform:name`` (lower case), from a field such as ``snap: Lisa_X``.

    A bare ``@name`` without a platform is kept as ``handle:name``.

    Example:
        >>> normalise_handle("t.me/Lisa_X")
        'telegram:lisa_x'
        >>> normalise_handle("insta @lisa.x")
        'instagram:lisa.x'
    """
    found = find_handles(raw)
    if found:
        return found[0]
    bare = re.fullmatch(r"\s*" + _NAME + r"\s*", raw)
    if bare and bare.group(1).lower() not in _NOT_NAMES:
        return f"handle:{bare.group(1).lower().rstrip('.')}"
    platform = re.fullmatch(r"\s*(\w+)\s*[:/]\s*" + _NAME + r"\s*", raw)
    # "handle:" too: the form this function gives a bare handle reads back as itself.
    if platform and platform.group(1).lower() in (*_PLATFORMS, "handle"):
        return f"{platform.group(1).lower()}:{platform.group(2).lower().rstrip('.')}"
    return None


def find_handles(text: str) -> list[str]:
    """Every Snapchat, Telegram or Instagram handle in a text, as ``platform:name``."""
    found: dict[str, None] = {}
    taken: list[tuple[int, int]] = []
    # A pattern cannot match without its words (case aside): the patterns that cannot
    # match are skipped rather than run.
    lowered = None if _FOLDS_ONTO_ASCII.search(text) else text.lower()
    for (platform, pattern), hint in zip(_HANDLE_PATTERNS, _HANDLE_HINTS, strict=True):
        if lowered is not None and not hint.search(lowered):
            continue
        for match in pattern.finditer(text):
            if any(
                start <= match.start() < stop or start <= match.start(1) < stop
                for start, stop in taken
            ):
                continue
            name = match.group(1).lower().rstrip(".-")
            if name in _NOT_NAMES or name.isdigit():
                continue
            taken.append((match.start(), match.end()))
            found.setdefault(f"{platform}:{name}")
    return list(found)


_AGE_WORDS = {
    "achttien": 18, "eighteen": 18, "negentien": 19, "nineteen": 19,
    "twintig": 20, "twenty": 20,
}  # fmt: skip


def parse_age(raw: str) -> int | None:
    """A stated age from 16 to 99 (``19``, ``19 jaar``, ``19 y/o``, ``negentien``), else ``None``.

    Ages under 16 are not plausible as written in an ad's age field and are treated
    as unreadable rather than guessed.
    """
    text = raw.strip().lower()
    if text in _AGE_WORDS:
        return _AGE_WORDS[text]
    match = re.fullmatch(r"(\d{2})\s*(?:jaar|jr\.?|j|years?|yrs?|y/?o)?\.?", text)
    if not match:
        return None
    age = int(match.group(1))
    return age if 16 <= age <= 99 else None


def parse_price(raw: str) -> float | None:
    """A price in euros (``€150``, ``150 euro``, ``150,-``, ``€ 1.500``, ``150.00``), else ``None``.

    Example:
        >>> parse_price("€ 1.500,-"), parse_price("150 euro"), parse_price("99,50")
        (1500.0, 150.0, 99.5)
    """
    text = re.sub(r"€|\beuros?\b|\beur\b|\bp/?u\b|per uur|/uur", " ", raw.strip().lower())
    text = re.sub(r"[,.]-$", "", text.strip()).strip()
    text = text.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")
    elif re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value > 100_000:
        return None
    # A positive value too small for a float (1e-400) would come out as 0.0.
    return float(value) or None
