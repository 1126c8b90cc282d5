"""Phone numbers in a text exactly as phonenumbers' ``PhoneNumberMatcher`` finds them,
with the verification of each candidate cached.

The matcher (leniency ``VALID``) scans a text with one regular expression and parses
and verifies every candidate it finds; the verification is most of its time. Whether
a candidate is a number, and which, depends only on the candidate, the character
before it and the three after it: the matcher rejects a number with a letter or a
currency sign on either side, and a time-stamp-like candidate followed by
``:[0-5]\\d``. The same numbers come back in many ads, so :func:`matched_numbers`
runs the matcher's own scan and calls the matcher's own verification only for a
candidate not seen before in that context. A candidate of digits with spaces, dots
or hyphens (most of them) parses as its digits do and none of the matcher's date,
page or bracket checks applies to it, so a valid one is settled by
:func:`parsed_number` of its digits, which ``normalise_phone`` shares. The result is
the matcher's (``tests/online/test_phones.py`` compares the two).

The matcher gives up after 65,535 failed tries in one text; where the remaining tries
could run out within one candidate, the plain matcher runs instead.
"""

from __future__ import annotations

import functools
import re

import phonenumbers
from phonenumbers import phonenumbermatcher, phonenumberutil

__all__ = ["matched_numbers", "parsed_number"]

# The matcher's own patterns (private to phonenumbers; the tests pin the behaviour).
_PATTERN = phonenumbermatcher._PATTERN
_SECOND_NUMBER_START = phonenumberutil._SECOND_NUMBER_START_PATTERN
# A match of _PATTERN starts with a digit, a "+" or an opening bracket; searching
# from the first of these gives the same match, found faster.
_START = re.compile(r"[\d(\[\uFF08\uFF3B+\uFF0B]")
_INNER_PATTERNS = len(phonenumbermatcher._INNER_MATCHES)
_MAX_TRIES = 65_535
_MAX_VERDICTS = 1 << 19
_E164 = phonenumbers.PhoneNumberFormat.E164
_MATCHER = phonenumbers.PhoneNumberMatcher
# Digits with spaces, dots or hyphens between them (ASCII only), maybe after a "+".
_SIMPLE = re.compile(r"\+?[0-9](?:[0-9 .\-]*[0-9])?")
_NOT_DIGIT = re.compile(r"[^0-9]")
_LONGEST_INPUT = 250  # phonenumbers' longest input

# (candidate, character before, three characters after, region) ->
# (end of the number from the candidate's start, the number as E.164 or None, tries used)
_Key = tuple[str, str, str, str]
_Verdict = tuple[int, str | None, int]
_verdicts: dict[_Key, _Verdict] = {}


def _plain(text: str, region: str, shortest: int) -> list[str]:
    """The numbers ``PhoneNumberMatcher`` finds, as E.164, in order (with repeats)."""
    matcher = phonenumbers.PhoneNumberMatcher(text, region, min_candidate_length=shortest)
    return [phonenumbers.format_number(match.number, _E164) for match in matcher]


def _verify(text: str, region: str, candidate: str, start: int) -> _Verdict:
    """The matcher's verdict on one candidate at ``start`` of ``text``, with the tries it used."""
    matcher = phonenumbers.PhoneNumberMatcher(text, region)
    before = matcher._max_tries
    match = matcher._extract_match(candidate, start)
    used = before - matcher._max_tries
    if match is None:
        return 0, None, used
    return match.end - start, phonenumbers.format_number(match.number, _E164), used


@functools.lru_cache(maxsize=1 << 19)
def parsed_number(number: str, region: str) -> tuple[str | None, bool]:
    """``phonenumbers.parse(number, region)`` as E.164 when it is a valid number (else
    ``None``), and whether the national prefix is written where the region requires it
    (the matcher's last check); cached, as the same number comes back in many ads.

    Example:
        >>> parsed_number("0612345678", "NL"), parsed_number("612345678", "NL")
        (('+31612345678', True), ('+31612345678', False))
    """
    try:
        parsed = phonenumbers.parse(number, region, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None, False
    if not phonenumbers.is_valid_number(parsed):
        return None, False
    present = phonenumbermatcher._is_national_prefix_present_if_required(parsed)
    return phonenumbers.format_number(parsed, _E164), bool(present)


@functools.cache
def _rejects_neighbour(char: str) -> bool:
    """Whether a number next to ``char`` is no number for the matcher (a Latin letter,
    ``%`` or a currency sign)."""
    return bool(_MATCHER._is_invalid_punctuation_symbol(char) or _MATCHER._is_latin_letter(char))


def _simple_verdict(text: str, region: str, candidate: str, start: int) -> _Verdict | None:
    """The verdict on a candidate of digits and ``" .-"`` that is a valid number as a
    whole, else ``None`` (it may be no number, or hold one: the matcher decides).

    Such a candidate parses as its digits do (with its ``+``), and none of the matcher's
    checks for dates, page numbers, brackets or extensions applies to it; what is left
    is the character on either side and the number's validity.
    """
    if len(candidate) > _LONGEST_INPUT or not _SIMPLE.fullmatch(candidate):
        return None
    if phonenumbermatcher._TIME_STAMPS.search(candidate):
        return None
    digits = _NOT_DIGIT.sub("", candidate)
    end = start + len(candidate)
    if len(digits) < 3 or (end < len(text) and _rejects_neighbour(text[end])):
        return None
    plus = candidate[0] == "+"
    if start > 0 and not plus and _rejects_neighbour(text[start - 1]):
        return None
    number, prefix_present = parsed_number("+" + digits if plus else digits, region)
    if number is None or not prefix_present:
        return None
    return len(candidate), number, 0


def _verdict(text: str, region: str, candidate: str, start: int) -> _Verdict:
    simple = _simple_verdict(text, region, candidate, start)
    if simple is not None:
        return simple
    end = start + len(candidate)
    key = (candidate, text[start - 1 : start], text[end : end + 3], region)
    found = _verdicts.get(key)
    if found is None:
        found = _verify(text, region, candidate, start)
        if len(_verdicts) >= _MAX_VERDICTS:
            _verdicts.clear()
        _verdicts[key] = found
    return found


def _search(text: str, index: int) -> re.Match[str] | None:
    """``_PATTERN.search(text, index)``."""
    start = _START.search(text, index)
    return None if start is None else _PATTERN.search(text, start.start())


def matched_numbers(text: str, region: str, shortest: int) -> list[str]:
    """The numbers ``PhoneNumberMatcher(text, region, min_candidate_length=shortest)``
    finds, as E.164, in order (with repeats).

    Example:
        >>> matched_numbers("Bel 06-12345678 of +31 6 8765 4321", "NL", 5)
        ['+31612345678', '+31687654321']
    """
    numbers: list[str] = []
    tries = _MAX_TRIES
    match = _search(text, 0)
    while tries > 0 and match is not None:
        start = match.start()
        candidate = match.group()
        second = _SECOND_NUMBER_START.search(candidate)
        if second:
            candidate = candidate[: second.start()]
        index = start + len(candidate)
        if len(candidate) >= shortest:
            # One candidate makes at most this many tries (its inner matches).
            if tries <= _INNER_PATTERNS * (len(candidate) + 1) + 1:
                return _plain(text, region, shortest)
            length, number, used = _verdict(text, region, candidate, start)
            tries -= used
            if number is not None:
                numbers.append(number)
                index = start + length
            else:
                tries -= 1
        match = _search(text, index)
    return numbers
