"""The events of a victim's recruitment: first contact, first forced work, ages.

The first sentence about a victim that matches a first-contact pattern of the rules
and names a channel or a date settles the first contact; the first sentence about a
victim that matches a first-forced pattern and has a date (not a date of birth)
settles that date. An age is read as written next to a name, or computed from a date
of birth and the start (the victim's first forced work; a perpetrator's earliest
recruitment or forced work) when it is the same on every day the start can be.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ketenbeeld.cases.extract.attribution import Case, attribute
from ketenbeeld.cases.extract.dates import DateMention, days_between
from ketenbeeld.cases.extract.numbers import AgeMention, age_on
from ketenbeeld.cases.extract.rules import Rules, load_rules
from ketenbeeld.cases.extract.text import Sentence

__all__ = ["Dated", "ages_of", "contact_and_forced", "recruitment_days"]

_AGES = (12, 99)  # the codebook's range of age_at_start
_MAX_DAYS = 3650  # and of recruitment_days
_BORN = re.compile(r"\bgeboren\s+(?:op\s+)?|\bgeb\.\s*|\bgeboortedatum\s*:?\s*", re.IGNORECASE)
_BORN_BEFORE = re.compile(r"(?:\bgeboren(?:\s+op)?|\bgeb\.|\bgeboortedatum\s*:?)\s*$", re.I)


@dataclass(frozen=True)
class Dated:
    value: str
    start: int
    end: int
    mention: DateMention


def contact_and_forced(
    case: Case, dates: Sequence[DateMention], version: str
) -> tuple[dict[int, dict[str, Any]], dict[int, Dated]]:
    """Per victim: first contact (channel, platform, date) and the first forced date.

    The first sentence about a victim that matches a first-contact pattern and
    names a channel or a date settles the first contact; the first sentence about a
    victim that matches a first-forced pattern and has a date settles that date.
    """
    rules = load_rules(version)
    contact: dict[int, dict[str, Any]] = {}
    forced: dict[int, Dated] = {}
    for index, sentence in enumerate(case.sentences):
        if sentence.is_heading:
            continue
        cue = _first_match(rules.contact_patterns, sentence.text)
        if cue is not None:
            victim = attribute(case, index, sentence.start + cue.start(), "victim")
            if victim is not None and victim not in contact:
                found = _contact(case, rules, dates, sentence)
                if found:
                    contact[victim] = found
        cue = _first_match(rules.forced_patterns, sentence.text)
        if cue is not None:
            victim = attribute(case, index, sentence.start + cue.start(), "victim")
            dated = _date_in(dates, sentence, case.text)
            if victim is not None and victim not in forced and dated is not None:
                forced[victim] = dated
    return contact, forced


def _first_match(patterns: Sequence[re.Pattern[str]], text: str) -> re.Match[str] | None:
    found = [match for pattern in patterns if (match := pattern.search(text))]
    return min(found, key=lambda match: match.start()) if found else None


def _date_in(dates: Sequence[DateMention], sentence: Sentence, text: str) -> Dated | None:
    """The first date in a sentence that is not a date of birth."""
    for mention in dates:
        if sentence.start <= mention.start < sentence.end and mention.value:
            before = text[max(sentence.start, mention.start - 20) : mention.start]
            if _BORN_BEFORE.search(before):
                continue
            return Dated(mention.value, mention.start, mention.end, mention)
    return None


def _contact(
    case: Case, rules: Rules, dates: Sequence[DateMention], sentence: Sentence
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    channels = [
        ("online", value, match)
        for value, patterns in rules.platforms.items()
        if (match := _first_match(patterns, sentence.text))
    ] + [
        ("offline", value, match)
        for value, patterns in rules.offline.items()
        if (match := _first_match(patterns, sentence.text))
    ]
    if channels:
        # A named platform or setting wins over a generic word ("online"), then the
        # first one in the sentence.
        channel, value, match = min(
            channels, key=lambda item: (item[1] == "other_online", item[2].start())
        )
        start, end = sentence.start + match.start(), sentence.start + match.end()
        found["channel"] = (channel, start, end)
        found["platform"] = (value, start, end)
    dated = _date_in(dates, sentence, case.text)
    if dated is not None:
        found["date"] = dated
    return found


def ages_of(
    case: Case,
    ages: Sequence[AgeMention],
    dates: Sequence[DateMention],
    forced: dict[int, Dated],
    contact: dict[int, dict[str, Any]],
) -> dict[int, tuple[int, int, int]]:
    """Per person: (age at start, evidence start, evidence end)."""
    result: dict[int, tuple[int, int, int]] = {}
    for age in ages:
        index = _sentence_index(case, age.start)
        if index is None:
            continue
        if not _AGES[0] <= age.age <= _AGES[1]:
            continue  # outside the codebook's range: a misreading, not an age at start
        # "Chantal (18) en Naomi (16)": a bracketed age is the name's before it.
        prefer = "before" if age.text.startswith("(") else "after"
        person = _nearest(case, index, age.start, age.end, prefer=prefer)
        if person is not None and person not in result:
            result[person] = (age.age, age.start, age.end)
    # From a date of birth and the start: the victim's first forced date; a
    # perpetrator's the earliest forced date of the case.
    # A perpetrator's offence begins at the earliest recruitment or forced work.
    earliest = min(
        [d.value for d in forced.values()]
        + [c["date"].value for c in contact.values() if "date" in c],
        key=lambda value: (value + "-99")[:10],
        default=None,
    )
    for match in _BORN.finditer(case.text):
        birth = next(
            (d for d in dates if d.start >= match.end() and d.start - match.end() <= 2), None
        )
        if birth is None or birth.value is None or len(birth.value) != 10:
            continue
        index = _sentence_index(case, match.start())
        if index is None:
            continue
        # "Samira B., geboren op ...": the person named just before; else just after.
        person = _nearest(case, index, match.start(), birth.end, window=120, prefer="before")
        if person is None or person in result:
            continue
        start_day = forced[person].value if person in forced else None
        if case.persons[person].role == "perpetrator":
            start_day = earliest
        years = _age_at(date.fromisoformat(birth.value), start_day)
        if years is not None and _AGES[0] <= years <= _AGES[1]:
            result[person] = (years, birth.start, birth.end)
    return result


def _age_at(birth: date, start: str | None) -> int | None:
    """The age on a partial date, when it is the same on every day that date can be."""
    if start is None or len(start) < 7:
        return None
    year, month = int(start[:4]), int(start[5:7])
    if len(start) == 10:
        days = [date.fromisoformat(start)]
    else:
        last = calendar.monthrange(year, month)[1]
        days = [date(year, month, 1), date(year, month, last)]
    if days[0] < birth:
        return None  # the start would be before the birth: a misreading
    ages = {age_on(birth, day) for day in days}
    return ages.pop() if len(ages) == 1 else None


def _sentence_index(case: Case, position: int) -> int | None:
    for index, sentence in enumerate(case.sentences):
        if sentence.start <= position < sentence.end:
            return index
    return None


def _nearest(
    case: Case, index: int, start: int, end: int, window: int = 25, prefer: str = "after"
) -> int | None:
    """The person named right after (or before, as preferred) a phrase, else the
    other side, else by attribution."""
    mentions = case.mentions[index]
    after = [m.person for m in mentions if 0 <= m.start - end <= window]
    before = [m.person for m in reversed(mentions) if 0 <= start - m.end <= window]
    for found in (after, before) if prefer == "after" else (before, after):
        if found:
            return found[0]
    return attribute(case, index, start, "any")


def recruitment_days(contact: Dated | None, forced: Dated) -> int | None:
    if contact is not None:
        days = days_between(contact.value, forced.value)
        if days is not None and 0 <= days <= _MAX_DAYS:
            return days
    mention = forced.mention
    if mention.relative_days is not None and mention.exact_offset and contact is not None:
        return mention.relative_days
    return None
