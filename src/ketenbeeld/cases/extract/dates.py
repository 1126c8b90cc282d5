"""Dates in Dutch case summaries: absolute and relative, only as precise as the text.

:func:`find_dates` finds every date mention with its exact span and reads it as a
partial ISO date (``2019-03-03``, ``2020-04``, ``2018``) that is never more precise
than the text: ``maart 2019`` stays ``2019-03``, ``eind 2018`` stays ``2018`` and is
flagged approximate. Relative mentions (``drie dagen later``, ``de volgende dag``,
``na ongeveer een week``) carry their offset in days and whether that offset is
exact; an exact offset is resolved to a date when the moment it counts from is an
exact day (see :func:`find_dates` for the rule). A date that does not exist (``31
februari 2019``) is no mention at all.

Everything is compiled regular expressions and a Dutch month table; ``dateparser``
is not used, because it misses the vague forms and costs about a millisecond a call.
"""

from __future__ import annotations

import logging
import re
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal, TypeAlias

from ketenbeeld.cases.extract.numbers import SMALL_NUMBER_PATTERN, parse_number

__all__ = ["DateMention", "Precision", "days_between", "find_dates"]

logger = logging.getLogger(__name__)

#: How precise a date value is.
Precision: TypeAlias = Literal["day", "month", "year"]


@dataclass(frozen=True)
class DateMention:
    """One date mention: ``text == source[start:end]``.

    Attributes:
        start: offset of the first character in the source text.
        end: offset after the last character.
        text: the mention as written.
        value: partial ISO date as precise as the text (``2019-03-03``, ``2019-03``,
            ``2019``), or ``None`` when it cannot be settled (a relative mention with
            no exact day to count from or an inexact offset, a date without a year
            and no year in context).
        precision: ``"day"``, ``"month"`` or ``"year"`` for ``value``; ``None`` when
            ``value`` is ``None``.
        approximate: the text hedges (``begin april``, ``omstreeks``, ``ruim een
            week later``), or a relative date was counted from an approximate one.
        relative_days: for a relative mention, the offset in days (negative:
            before), the nominal one when approximate (``ruim een week`` -> 7), or
            ``None`` when not even nominal (``enkele dagen later``); ``None`` for an
            absolute mention.
        exact_offset: the relative offset is exact (``drie dagen later``); always
            ``False`` for an absolute mention.
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: Precision | None
    approximate: bool
    relative_days: int | None
    exact_offset: bool


@dataclass(frozen=True)
class _Found:
    """A mention before resolution; a relative one has ``relative`` set.

    An ``invalid`` one (``31 februari 2019``) takes part in the choice between
    overlapping mentions, so that ``februari 2019`` is not read from it, and is then
    dropped.
    """

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    relative: bool = False
    days: int | None = None
    exact: bool = False
    invalid: bool = False


_MONTH_NUMBERS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "febr": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_FULL_MONTHS = "|".join(list(_MONTH_NUMBERS)[:12])
# Longest first, so that "sept" is not read as "sep".
_SHORT_MONTHS = "|".join(sorted(list(_MONTH_NUMBERS)[12:], key=len, reverse=True))
# Any month name; an abbreviation may carry a dot ("3 mrt. 2019").
_MONTH = rf"(?P<month>{_FULL_MONTHS}|{_SHORT_MONTHS})(?:\.|\b)"
# Without a year an abbreviation needs its dot: "3 jan" may well be a person.
# (A flat list of literals: the regex engine then scans for it quickly.)
_MONTH_NO_YEAR = "(?P<month>{})".format(
    "|".join([rf"{name}\b" for name in _FULL_MONTHS.split("|")]
             + [rf"{name}\." for name in _SHORT_MONTHS.split("|")])
)  # fmt: skip
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_BARE_YEAR = r"(?:19[5-9]\d|20[0-4]\d)(?!\d)(?![.,]\d)"
# A year alone is taken as a date only in this range (the pattern above says the same).
_BARE_YEARS = (1950, 2049)
_NOT_AFTER_NUMBER = r"(?<![\w.,/-])"
# A hedge: "op of omstreeks 3 maart 2019", "rond 2018".
_APPROX = r"(?P<approx>(?:(?:op|in)\s+of\s+)?omstreeks|rond(?:om)?|ongeveer|circa|ca\.)\s+"
# A part of a month or a year: "begin april 2020", "het eind van 2018", "eind-2018".
_PART = (
    r"(?P<part>(?:(?:aan\s+)?het\s+)?(?:begin|eind|einde)\s+van"
    r"|begin|eind|einde|half|halverwege|medio|midden)(?:\s+|-)"
)
_SEASON = (
    r"(?P<season>(?:(?:de|het)\s+)?(?:(?:begin|eind|einde)\s+van\s+de\s+)?"
    r"(?:zomer|winter|lente|voorjaar|najaar|herfst|zomervakantie|kerstvakantie"
    r"|(?:eerste|tweede)\s+helft)(?:\s+van)?)\s+"
)
_RANGE_WORD = r"(?:en|tot(?:\s+en\s+met)?|t/m|-|–)"
_YEAR_CONTEXT = r"in|sinds|sedert|vanaf|tot(?:\s+en\s+met)?|t/m|(?:het\s+)?jaar"

_AFTER = r"later|daarna|erna|nadien|daarop"
_BEFORE = r"eerder|daarvoor|ervoor|tevoren|voordien"
_BEFORE_WORDS = frozenset(_BEFORE.split("|"))
_HEDGE = r"ongeveer|ruim|bijna|circa|ca\.|zo['’]n|pakweg|nog\s+geen|krap|minder\s+dan|meer\s+dan"
_VAGUE = r"enkele|een\s+paar|een\s+aantal|meerdere|verscheidene|wat"
_N = rf"(?P<n>{SMALL_NUMBER_PATTERN})"
_DAY_PARTS = frozenset({"ochtend", "morgen", "middag", "avond"})
_LEFT_WINDOW = 60

# The text is lowercased first (see _lower): the patterns then start with a digit or a
# literal, which Python's regex engine scans for quickly; optional words before a
# mention are read afterwards from a short window ending at the mention.
_DIGIT_RE = re.compile(r"(?<!\d)\d")
_DAY_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        # "2019-03-03"
        rf"{_NOT_AFTER_NUMBER}{_YEAR}-(?P<month_n>\d\d)-(?P<day>\d\d)(?!\d)",
        # "03-03-2019", "3/3/2019", "3.3.2019"
        rf"{_NOT_AFTER_NUMBER}(?P<day>\d\d?)(?P<sep>[-/.])(?P<month_n>\d\d?)(?P=sep){_YEAR}",
        # "3 maart 2019", "3 mrt. 2019"
        rf"{_NOT_AFTER_NUMBER}(?P<day>\d\d?)\s+{_MONTH}\s*{_YEAR}",
        # "3 maart": the year comes from context
        rf"{_NOT_AFTER_NUMBER}(?P<day>\d\d?)\s+{_MONTH_NO_YEAR}(?!\s*(?:19|20)\d\d)",
    )
)
_APPROX_LEFT_RE = re.compile(rf"(?<!\w){_APPROX}$")
_YEAR_RE = re.compile(r"(?<![\d.,/])(?P<year>(?:19|20)\d\d)(?!\d)(?![.,]\d)")
# What a year needs before it to be a date: a month, season, part, hedge or context.
_YEAR_LEFT_RE = re.compile(
    rf"(?<!\w)(?:(?:{_PART}|{_APPROX})?(?:{_MONTH}\s*)?|{_SEASON}"
    rf"|(?P<context>{_YEAR_CONTEXT})\s+"
    rf"|(?P<range>tussen|van|in|sinds|vanaf|periode)\s+{_BARE_YEAR}\s*{_RANGE_WORD}\s*"
    rf"|(?P<range_from>tussen|van)\s+)$"
)
_RANGE_RIGHT_RE = re.compile(rf"\s*{_RANGE_WORD}\s*{_BARE_YEAR}")
_MONTH_WORD_RE = re.compile(rf"{_MONTH_NO_YEAR}(?!\s*(?:19|20)\d\d)")
_MONTH_LEFT_RE = re.compile(
    r"(?<!\w)(?:(?P<context>in|sinds|vanaf|tot(?:\s+en\s+met)?|t/m)\s+"
    rf"|{_PART}|{_APPROX})$"
)
_UNIT_RE = re.compile(r"(?P<unit>dagen|dag|weken|week|ochtend|morgen|middag|avond)\b")
_UNIT_RIGHT_RE = re.compile(
    rf"(?:\s+of\s+(?P<of>{SMALL_NUMBER_PATTERN}))?(?:\s+(?P<dir>{_AFTER}|{_BEFORE})\b)?"
)
_UNIT_LEFT_RE = re.compile(
    r"(?<!\w)(?:(?P<next>de\s+volgende)"
    r"|(?P<same>(?:(?:op|nog|later\s+op)\s+)?(?:dezelfde|diezelfde|datzelfde)|later\s+die)"
    r"|(?P<the>de)"
    rf"|(?:(?P<na>na|binnen)\s+)?(?:(?P<hedge>{_HEDGE})\s+)?"
    rf"(?:(?P<fuzzy>een\s+(?:kleine|goede|ruime|dikke))|(?P<vague>{_VAGUE})|{_N}))\s+$"
)
_DAAGS_RE = re.compile(rf"daags\s+(?P<dir>{_AFTER}|{_BEFORE})\b")

# Words after a bare year that make it an amount: "vanaf 2000 euro".
_AMOUNT_WORDS = frozenset(
    {
        "berichten", "dagen", "euro", "eur", "gevallen", "gram", "gulden", "jaar", "jaren",
        "keer", "kilo", "kilometer", "km", "maanden", "meter", "minuten", "mensen",
        "personen", "seconden", "slachtoffers", "stuks", "uur", "weken",
    }
)  # fmt: skip
_NEXT_WORD_RE = re.compile(r"\s*([\w€]+)")


def _lower(text: str) -> str:
    """``text`` in lower case with every offset kept (a few letters lengthen in ``lower``)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum()


def _left(pattern: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
    """The words ``pattern`` reads right before ``start`` (its leftmost match)."""
    return pattern.search(text, max(0, start - _LEFT_WINDOW), start)


def _absolute(match: re.Match[str], start: int, end: int, *, approximate: bool = False) -> _Found:
    """A day, month or year; an impossible date is marked ``invalid``."""
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    month_name, month_digits = groups.get("month"), groups.get("month_n")
    month = (
        _MONTH_NUMBERS[month_name.rstrip(".")]
        if month_name
        else int(month_digits)
        if month_digits
        else None
    )
    day = int(groups["day"]) if groups.get("day") else None
    found = _Found(start, end, year, month, day, approximate=approximate)
    if month is not None and not 1 <= month <= 12:
        return replace(found, invalid=True)
    if day is not None and month is not None:
        # Without a year, allow 29 February; the year is checked on resolution.
        last = monthrange(year if year is not None else 2000, month)[1]
        if not 1 <= day <= last:
            return replace(found, invalid=True)
    return found


def _is_amount(text: str, end: int) -> bool:
    following = _NEXT_WORD_RE.match(text, end)
    return following is not None and following.group(1) in _AMOUNT_WORDS


def _days(low: str) -> list[_Found]:
    """Dates with a day in digits: ``3 maart 2019``, ``03-03-2019``, ``op 3 maart``."""
    found: list[_Found] = []
    position = 0
    while (digit := _DIGIT_RE.search(low, position)) is not None:
        position = digit.start() + 1
        for pattern in _DAY_PATTERNS:
            match = pattern.match(low, digit.start())
            if match is None:
                continue
            hedge = _left(_APPROX_LEFT_RE, low, match.start())
            start = hedge.start() if hedge else match.start()
            found.append(_absolute(match, start, match.end(), approximate=hedge is not None))
            position = match.end()
            break
    return found


def _years(low: str) -> list[_Found]:
    """Dates that end in a year: ``maart 2019``, ``eind 2018``, ``in 2018``, ..."""
    found: list[_Found] = []
    for match in _YEAR_RE.finditer(low):
        left = _left(_YEAR_LEFT_RE, low, match.start())
        if left is None:
            continue
        year = int(match.group("year"))
        if not (left.group("month") or _BARE_YEARS[0] <= year <= _BARE_YEARS[1]):
            continue
        context = left.group("context") or left.group("range") or left.group("range_from")
        if context:
            if _is_amount(low, match.end()):
                continue
            if left.group("range_from") and not _RANGE_RIGHT_RE.match(low, match.end()):
                continue
            found.append(_Found(match.start(), match.end(), year))
        elif left.group("month"):
            month = _MONTH_NUMBERS[left.group("month").rstrip(".")]
            approximate = bool(left.group("part") or left.group("approx"))
            found.append(_Found(left.start(), match.end(), year, month, approximate=approximate))
        elif left.group("season") or left.group("part") or left.group("approx"):
            found.append(_Found(left.start(), match.end(), year, approximate=True))
    return found


def _months(low: str) -> list[_Found]:
    """A month without a year after ``in``, ``sinds``, ... or a part or hedge."""
    found: list[_Found] = []
    for match in _MONTH_WORD_RE.finditer(low):
        if not _starts_word(low, match.start()):
            continue
        left = _left(_MONTH_LEFT_RE, low, match.start())
        if left is None:
            continue
        start = match.start() if left.group("context") else left.start()
        approximate = left.group("context") is None
        found.append(_absolute(match, start, match.end(), approximate=approximate))
    return found


def _relative(low: str) -> list[_Found]:
    """Relative mentions around a unit: ``drie dagen later``, ``de volgende dag``, ..."""
    found: list[_Found] = []
    for match in _UNIT_RE.finditer(low):
        if not _starts_word(low, match.start()):
            continue
        left = _left(_UNIT_LEFT_RE, low, match.start())
        if left is None:
            continue
        right = _UNIT_RIGHT_RE.match(low, match.end())
        assert right is not None  # every part of it is optional
        unit, direction, also = match.group("unit"), right.group("dir"), right.group("of")
        singular = unit in _DAY_PARTS or unit == "dag"
        days: int | None
        if left.group("next") or left.group("same") or left.group("the"):
            if not singular or also:
                continue
            if left.group("the"):
                if direction is None:
                    continue  # "de dag" alone
                days = -1 if direction in _BEFORE_WORDS else 1
            else:
                days = 1 if left.group("next") else 0
            found.append(_Found(left.start(), right.end(), relative=True, days=days, exact=True))
            continue
        if unit in _DAY_PARTS or (direction is None and left.group("na") is None):
            continue  # "drie dagen" alone is a duration, not a moment
        if also:
            count = parse_number(also) if left.group("n") in ("een", "één") else None
        elif left.group("n"):
            count = parse_number(left.group("n"))
        else:
            count = 1 if left.group("fuzzy") else None
        days = None
        if count is not None:
            days = count * (7 if unit.startswith("we") else 1)
            days = -days if direction in _BEFORE_WORDS else days
        exact = (
            not (also or left.group("hedge") or left.group("fuzzy") or left.group("vague"))
            and left.group("na") != "binnen"
        )
        found.append(
            _Found(
                left.start(), right.end(), approximate=not exact, relative=True, days=days,
                exact=exact,
            )
        )  # fmt: skip
    for match in _DAAGS_RE.finditer(low):
        if _starts_word(low, match.start()):
            days = -1 if match.group("dir") in _BEFORE_WORDS else 1
            found.append(_Found(match.start(), match.end(), relative=True, days=days, exact=True))
    return found


def _longest_first(found: list[_Found]) -> list[_Found]:
    """Non-overlapping mentions in text order; of overlapping ones the longest wins."""
    kept: list[_Found] = []
    for mention in sorted(found, key=lambda f: (f.start - f.end, f.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda f: f.start)


def _iso(year: int, month: int | None, day: int | None) -> tuple[str, Precision]:
    if month is None:
        return f"{year:04d}", "year"
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


def find_dates(text: str, *, reference: date | None = None) -> list[DateMention]:
    """Find every date mention in a text, absolute and relative.

    Absolute forms: ``3 maart 2019``, ``3 mrt. 2019``, ``03-03-2019``, ``3/3/2019``,
    ``2019-03-03`` (day); ``maart 2019`` (month); ``begin``/``eind``/``half``/
    ``medio april 2020`` (month, approximate); ``in 2018``, ``sinds 2018``, ``vanaf
    2018``, ``tussen 2017 en 2019`` (year); ``eind 2018``, ``voorjaar 2018``, ``in de
    zomer van 2018``, ``rond 2018`` (year, approximate); ``omstreeks 3 maart 2019``
    (day, approximate). A day or month without a year (``op 3 maart``, ``in maart``)
    takes the year of the last dated mention before it, else of ``reference``; when
    that would put it before the last dated mention (a new year, or a look back: the
    text does not say which) or no year is known, its value is ``None``.

    Relative forms: ``de volgende dag``, ``de dag erna``, ``een dag later`` (+1),
    ``drie dagen later``, ``na drie dagen`` (+3), ``een week later``, ``na een week``
    (+7), ``twee dagen eerder``, ``de dag ervoor`` (negative), ``dezelfde dag`` (0):
    exact offsets. ``na ongeveer een week``, ``ruim een week later``, ``een dag of
    drie later``, ``binnen een week`` (nominal days, approximate), ``enkele dagen
    later``, ``een paar dagen later`` (no days, approximate): inexact offsets.

    A relative mention counts from the moment the text is at: the mention just
    before it. Its value is that date plus the offset only when that mention has an
    exact day (an absolute day or a resolved relative mention) and the offset is
    exact; then it becomes the moment the next relative mention counts from. After a
    vaguer mention (``in april 2019``, ``enkele dagen later``) the moment is unknown
    and exact offsets stay unresolved (``value`` ``None``) until the next exact day:
    counting from an older day would give a wrong date. Before any mention,
    ``reference`` is that moment. An inexact offset never gets a value.

    Args:
        text: the summary.
        reference: the day relative mentions count from before any date in the text
            (and the year for dates without one), if known.

    Returns:
        The mentions in text order, non-overlapping (of overlapping ones the longest).

    Example:
        >>> found = find_dates("Op 3 maart 2019 zag zij hem. Drie dagen later eind april 2020.")
        >>> [(m.text, m.value, m.precision, m.approximate) for m in found]
        [('3 maart 2019', '2019-03-03', 'day', False), ('Drie dagen later', '2019-03-06', 'day', False), ('eind april 2020', '2020-04', 'month', True)]
    """  # noqa: E501
    low = _lower(text)
    found = _days(low) + _years(low) + _months(low) + _relative(low)

    mentions: list[DateMention] = []
    # The moment relative mentions count from, and whether it is approximate.
    anchor: tuple[date, bool] | None = (reference, False) if reference else None
    context_year = reference.year if reference else None
    # The last dated mention as (year, month, day) as far as known.
    context: tuple[int, ...] = ()
    for item in _longest_first(found):
        if item.invalid:
            continue
        value: str | None = None
        precision: Precision | None = None
        approximate = item.approximate
        if item.relative:
            moment: date | None = None
            if item.exact and item.days is not None and anchor is not None:
                try:
                    moment = anchor[0] + timedelta(days=item.days)
                except OverflowError:
                    moment = None
            if moment is not None and anchor is not None:
                approximate = anchor[1]
                value, precision = moment.isoformat(), "day"
                anchor, context = (moment, approximate), (moment.year, moment.month, moment.day)
                context_year = moment.year
            else:
                anchor = None
        else:
            year = item.year if item.year is not None else context_year
            parts = tuple(part for part in (item.month, item.day) if part is not None)
            if item.year is None and year is not None:
                shared = min(len(context), 1 + len(parts))
                if (year, *parts)[:shared] < context[:shared]:
                    year = None
            if (
                year is not None
                and item.day is not None
                and item.month is not None
                and item.day > monthrange(year, item.month)[1]
            ):
                year = None  # 29 February in a year without one
            anchor = None
            if year is not None:
                value, precision = _iso(year, item.month, item.day)
                context_year, context = year, (year, *parts)
                if item.month is not None and item.day is not None:
                    anchor = (date(year, item.month, item.day), approximate)
        mentions.append(
            DateMention(
                start=item.start,
                end=item.end,
                text=text[item.start : item.end],
                value=value,
                precision=precision,
                approximate=approximate,
                relative_days=item.days if item.relative else None,
                exact_offset=item.exact,
            )
        )
    return mentions


def days_between(first: str, second: str) -> int | None:
    """Days from one partial ISO date to another, only when both are exact days.

    Args:
        first: the earlier date, e.g. ``"2019-03-03"``.
        second: the later date; when it is earlier the result is negative.

    Returns:
        ``second - first`` in days, or ``None`` when either is not a valid day
        (``"2019-03"``, ``"2018"``, ``"2019-02-30"``).

    Example:
        >>> days_between("2019-03-03", "2019-03-08"), days_between("2019-03", "2019-03-08")
        (5, None)
    """
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(second)
    except ValueError:
        return None
    if len(first) != 10 or len(second) != 10:
        return None
    return (end - start).days
