"""From a Dutch case summary to a coded case with evidence.

The steps: sentences and sections (:mod:`.text`), the persons (:mod:`.persons`),
the phrases of the rules with their negation and uncertainty (:mod:`.rules`), the
dates and ages (:mod:`.dates`, :mod:`.numbers`); then every finding is attributed to
a person and turned into a codebook value with the substring that supports it.

**Attribution.** A finding belongs to a person of the kind its variable is about
(debts to a perpetrator, living situation to a victim): the person of that kind
named last before it in its sentence (else the first named after it); when its
sentence names nobody of that kind, the person a subject pronoun before it points to
(``hij``: the man, ``zij``: the woman or girl, named most recently); else the person
of the section it is in ("Achtergrond verdachte"); else the only person of that kind.
Otherwise it is left out: a fact attributed to the wrong person is worse than none.

**Values.** A plainly stated phrase gives its value; a negated one the opposite of a
yes/no value and nothing for others; an uncertain one nothing. When the text states
both a value and its opposite for one person (conflicting statements), the variable
stays null: unknown, and the evidence of both is dropped.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ketenbeeld.cases.extract.dates import DateMention, days_between, find_dates
from ketenbeeld.cases.extract.numbers import AgeMention, age_on, find_ages
from ketenbeeld.cases.extract.persons import Mention, Person, find_persons, mentions_in
from ketenbeeld.cases.extract.rules import (
    RULES_VERSION,
    Finding,
    Presence,
    Rules,
    find_phrases,
    load_rules,
)
from ketenbeeld.cases.extract.text import Sentence, split_sentences

__all__ = ["extract_case"]

_AGES = (12, 99)  # the codebook's range of age_at_start
_MAX_DAYS = 3650  # and of recruitment_days
_PRONOUN = re.compile(r"\b(?P<word>hij|zij|ze)\b", re.IGNORECASE)
_CLAUSE_PRONOUN = re.compile(
    r"\b(?:dat|omdat|toen|nadat|waarna|en|maar)\s+(?P<word>hij|zij|ze)\b", re.IGNORECASE
)
_MALE_NOUN = re.compile(
    r"\b(?:\d+-jarige|de|een)\s+(?:man|jongen|jongeman|vader)\b|\baangever\b", re.I
)
_FEMALE_NOUN = re.compile(
    r"\b(?:\d+-jarige|de|een)\s+(?:vrouw|meisje|jonge vrouw|moeder)\b|\baangeefster\b", re.I
)
_BORN = re.compile(r"\bgeboren\s+(?:op\s+)?|\bgeb\.\s*|\bgeboortedatum\s*:?\s*", re.IGNORECASE)
_BORN_BEFORE = re.compile(r"(?:\bgeboren(?:\s+op)?|\bgeb\.|\bgeboortedatum\s*:?)\s*$", re.I)
_DIPLOMA_NO = re.compile(
    r"\b(?:geen|zonder)\s+(?:startkwalificatie|diploma)\b"
    r"|\b(?:vmbo|mbo|havo|vwo|opleiding|school)[\w-]*\s+(?:\w+\s+){0,3}?(?:niet|nooit)\s+"
    r"(?:afgerond|afgemaakt|gehaald|behaald)\b"
    r"|\b(?:niet|nooit)\s+(?:afgerond|afgemaakt)\b"
    r"|\b(?:voortijdig|vroegtijdig)\s+schoolverlater\b"
    r"|\bstartkwalificatie\s+(?:\w+\s+){0,2}?niet\b",
    re.IGNORECASE,
)
_DIPLOMA_YES = re.compile(
    r"\b(?:havo|vwo|mbo[- ]?[234]|mbo-niveau\s+[234]|hbo|wo)[- ]?diploma\b"
    r"|\bdiploma\s+(?:voor\s+)?(?:havo|vwo|mbo[- ]?[234]|hbo)\b"
    r"|\b(?:havo|vwo|mbo[- ]?[234]|mbo-niveau\s+[234]|hbo)[\w-]*\s+(?:\w+\s+){0,3}?"
    r"(?:afgerond|behaald|gehaald|afgemaakt)\b"
    r"|\b(?:afgerond|behaald|gehaald)\b[^.;]{0,20}\b(?:havo|vwo|mbo[- ]?[234]|hbo)\b"
    r"|\bstartkwalificatie\s+(?:behaald|gehaald)\b|\bheeft\s+een\s+startkwalificatie\b",
    re.IGNORECASE,
)


@dataclass
class _Value:
    """The candidate values of one variable of one person, with their evidence."""

    votes: dict[Any, list[tuple[int, int]]] = field(default_factory=dict)
    blocked: bool = False

    def add(self, value: Any, start: int, end: int) -> None:
        self.votes.setdefault(value, []).append((start, end))


@dataclass
class _Case:
    text: str
    sentences: list[Sentence]
    persons: list[Person]
    mentions: list[list[Mention]]
    section_person: list[int | None]
    genders: list[tuple[str, int, int] | None] = field(default_factory=list)
    values: dict[tuple[int, str], _Value] = field(default_factory=dict)

    def value(self, person: int, variable: str) -> _Value:
        return self.values.setdefault((person, variable), _Value())


def extract_case(
    text: str, *, case_id: str, reference: date | None = None, rules_version: str = RULES_VERSION
) -> dict[str, Any]:
    """Extract a coded case (DESIGN.md "Coded case", codebook 1) from a case summary.

    Args:
        text: the summary (Dutch).
        case_id: the case id to give the document.
        reference: the date relative expressions count from when the text gives no
            exact date before them (e.g. the date of the report); usually ``None``.
        rules_version: the extraction rules to use.

    Returns:
        The document: ``case`` (``case_id``, ``year_start``), ``perpetrators`` and
        ``victims`` with every variable the rules can settle (null when the text does
        not), and ``evidence``: for every non-null value the exact substring of
        ``text`` and its offsets.
    """
    sentences = split_sentences(text)
    persons = find_persons(text, sentences)
    section_person = _section_persons(sentences, persons)
    mentions = [
        mentions_in(sentence, persons, section_person[index])
        for index, sentence in enumerate(sentences)
    ]
    case = _Case(text, sentences, persons, mentions, section_person)
    case.genders = _genders(case)
    findings = find_phrases(text, sentences, rules_version)
    dates = find_dates(text, reference=reference)
    _facts(case, findings, rules_version)
    _education(case)
    contact, forced = _contact_and_forced(case, dates, rules_version)
    ages = _ages(case, find_ages(text), dates, forced, contact)
    return _document(case, case_id, contact, forced, ages)


def _section_persons(sentences: Sequence[Sentence], persons: Sequence[Person]) -> list[int | None]:
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
            named = [i for i, p in enumerate(persons) if _names_in(p, heading)]
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
    return any(
        re.search(rf"(?<!\w){re.escape(alias.lower())}(?!\w)", heading) for alias in person.aliases
    )


def _genders(case: _Case) -> list[tuple[str, int, int] | None]:
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
        opening = _PRONOUN.match(sentence.text)
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


def _attribute(case: _Case, index: int, position: int, kind: str) -> int | None:
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
        for m in _PRONOUN.finditer(case.text, sentence.start, position)
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


def _pattern_findings(case: _Case, rules: Rules) -> list[Finding]:
    """Findings of the concepts' regular expressions (phrases whose words come apart).

    A pattern carries its own negation (a concept of the opposite value); a
    sentence with an uncertainty cue makes its findings uncertain.
    """
    findings: list[Finding] = []
    for index, sentence in enumerate(case.sentences):
        if sentence.is_heading:
            continue
        uncertain = rules.uncertain.search(sentence.text) is not None or any(
            pattern.search(sentence.text) for pattern in rules.no_information
        )
        for name, concept in rules.concepts.items():
            for pattern in concept.patterns:
                match = pattern.search(sentence.text)
                if match:
                    start, end = sentence.start + match.start(), sentence.start + match.end()
                    presence: Presence = "uncertain" if uncertain else "present"
                    findings.append(Finding(name, index, start, end, match.group(), presence))
                    break
    return findings


def _facts(case: _Case, findings: Sequence[Finding], version: str) -> None:
    rules = load_rules(version)
    concepts = rules.concepts
    for finding in [*findings, *_pattern_findings(case, rules)]:
        concept = concepts.get(finding.concept)
        if concept is None:
            continue
        person = _attribute(case, finding.sentence, finding.start, concept.kind)
        if person is None:
            continue
        if concept.only_negated and finding.presence != "absent":
            continue
        if concept.variable in ("has_addiction", "addiction_types"):
            _addiction(case, rules, finding, concept.value, person)
            continue
        if finding.presence == "uncertain":
            continue
        value = concept.value
        if finding.presence == "absent":
            if not isinstance(value, bool):
                continue
            value = not value
        case.value(person, concept.variable).add(value, finding.start, finding.end)


def _addiction(case: _Case, rules: Rules, finding: Finding, value: Any, person: int) -> None:
    """An addiction (and its kinds, from the substances named in its sentence)."""
    if finding.presence == "absent":
        case.value(person, "has_addiction").add(False, finding.start, finding.end)
        return
    if finding.presence != "present":
        return
    case.value(person, "has_addiction").add(True, finding.start, finding.end)
    kinds = [value] if isinstance(value, str) else []
    sentence = case.sentences[finding.sentence]
    for kind, pattern in rules.addiction_kinds.items():
        for match in pattern.finditer(sentence.text):
            kinds.append(kind)
            at = sentence.start + match.start()
            case.value(person, "addiction_types").add(kind, at, sentence.start + match.end())
            break
    if isinstance(value, str):
        case.value(person, "addiction_types").add(value, finding.start, finding.end)


def _education(case: _Case) -> None:
    for index, sentence in enumerate(case.sentences):
        if sentence.is_heading:
            continue
        for pattern, value in ((_DIPLOMA_NO, False), (_DIPLOMA_YES, True)):
            for match in pattern.finditer(sentence.text):
                start, end = sentence.start + match.start(), sentence.start + match.end()
                if value and _DIPLOMA_NO.search(sentence.text, match.start(), match.end() + 20):
                    continue
                person = _attribute(case, index, start, "perpetrator")
                if person is not None:
                    case.value(person, "has_diploma").add(value, start, end)


@dataclass(frozen=True)
class _Dated:
    value: str
    start: int
    end: int
    mention: DateMention


def _contact_and_forced(
    case: _Case, dates: Sequence[DateMention], version: str
) -> tuple[dict[int, dict[str, Any]], dict[int, _Dated]]:
    """Per victim: first contact (channel, platform, date) and the first forced date.

    The first sentence about a victim that matches a first-contact pattern and
    names a channel or a date settles the first contact; the first sentence about a
    victim that matches a first-forced pattern and has a date settles that date.
    """
    rules = load_rules(version)
    contact: dict[int, dict[str, Any]] = {}
    forced: dict[int, _Dated] = {}
    for index, sentence in enumerate(case.sentences):
        if sentence.is_heading:
            continue
        cue = _first_match(rules.contact_patterns, sentence.text)
        if cue is not None:
            victim = _attribute(case, index, sentence.start + cue.start(), "victim")
            if victim is not None and victim not in contact:
                found = _contact(case, rules, dates, sentence)
                if found:
                    contact[victim] = found
        cue = _first_match(rules.forced_patterns, sentence.text)
        if cue is not None:
            victim = _attribute(case, index, sentence.start + cue.start(), "victim")
            dated = _date_in(dates, sentence, case.text)
            if victim is not None and victim not in forced and dated is not None:
                forced[victim] = dated
    return contact, forced


def _first_match(patterns: Sequence[re.Pattern[str]], text: str) -> re.Match[str] | None:
    found = [match for pattern in patterns if (match := pattern.search(text))]
    return min(found, key=lambda match: match.start()) if found else None


def _date_in(dates: Sequence[DateMention], sentence: Sentence, text: str) -> _Dated | None:
    """The first date in a sentence that is not a date of birth."""
    for mention in dates:
        if sentence.start <= mention.start < sentence.end and mention.value:
            before = text[max(sentence.start, mention.start - 20) : mention.start]
            if _BORN_BEFORE.search(before):
                continue
            return _Dated(mention.value, mention.start, mention.end, mention)
    return None


def _contact(
    case: _Case, rules: Rules, dates: Sequence[DateMention], sentence: Sentence
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


def _ages(
    case: _Case,
    ages: Sequence[AgeMention],
    dates: Sequence[DateMention],
    forced: dict[int, _Dated],
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
        person = _nearest(case, index, age.start, age.end)
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
    ages = {age_on(birth, day) for day in days if day >= birth}
    return (
        ages.pop() if len(ages) == 1 and len(days) == len([d for d in days if d >= birth]) else None
    )


def _sentence_index(case: _Case, position: int) -> int | None:
    for index, sentence in enumerate(case.sentences):
        if sentence.start <= position < sentence.end:
            return index
    return None


def _nearest(
    case: _Case, index: int, start: int, end: int, window: int = 25, prefer: str = "after"
) -> int | None:
    """The person named right after (or before, as preferred) a phrase, else the
    other side, else by attribution."""
    mentions = case.mentions[index]
    after = [m.person for m in mentions if 0 <= m.start - end <= window]
    before = [m.person for m in reversed(mentions) if 0 <= start - m.end <= window]
    for found in (after, before) if prefer == "after" else (before, after):
        if found:
            return found[0]
    return _attribute(case, index, start, "any")


def _settled(slot: _Value) -> tuple[Any, list[tuple[int, int]]] | None:
    if len(slot.votes) != 1:
        return None  # nothing, or conflicting statements
    ((value, spans),) = slot.votes.items()
    return value, spans


def _document(
    case: _Case,
    case_id: str,
    contact: dict[int, dict[str, Any]],
    forced: dict[int, _Dated],
    ages: dict[int, tuple[int, int, int]],
) -> dict[str, Any]:
    evidence: list[dict[str, Any]] = []

    def cite(path: str, start: int, end: int) -> None:
        evidence.append({"path": path, "text": case.text[start:end], "start": start, "end": end})

    perpetrators: list[dict[str, Any]] = []
    victims: list[dict[str, Any]] = []
    ids: dict[int, str] = {}
    for index, person in enumerate(case.persons):
        if person.role == "perpetrator":
            ids[index] = f"P{sum(1 for p in perpetrators) + 1}"
            perpetrators.append({"pid": ids[index]})
        else:
            ids[index] = f"V{sum(1 for v in victims) + 1}"
            victims.append({"vid": ids[index]})
    records = {ids[i]: record for i, record in zip(ids, [*perpetrators, *victims], strict=False)}
    for record in [*perpetrators, *victims]:
        records[record.get("pid") or record["vid"]] = record
    for index, person in enumerate(case.persons):
        key = ids[index]
        group = "perpetrators" if person.role == "perpetrator" else "victims"
        record = records[key]
        record["label"] = person.label
        cite(f"{group}.{key}.label", person.label_start, person.label_start + len(person.label))
        gendered = case.genders[index]
        if gendered is not None:
            record["gender"] = gendered[0]
            cite(f"{group}.{key}.gender", gendered[1], gendered[2])
        if index in ages:
            age, start, end = ages[index]
            record["age_at_start"] = age
            cite(f"{group}.{key}.age_at_start", start, end)
        for (owner, variable), slot in case.values.items():
            if owner != index:
                continue
            if variable == "addiction_types":
                types = sorted(slot.votes)
                record[variable] = types
                for spans in slot.votes.values():
                    cite(f"{group}.{key}.{variable}", *spans[0])
                continue
            settled = _settled(slot)
            if settled is not None:
                record[variable] = settled[0]
                cite(f"{group}.{key}.{variable}", *settled[1][0])
        if person.role == "victim":
            found = contact.get(index, {})
            if "channel" in found:
                value, start, end = found["channel"]
                record["first_contact_channel"] = value
                cite(f"victims.{key}.first_contact_channel", start, end)
                value, start, end = found["platform"]
                record["first_contact_platform"] = value
                cite(f"victims.{key}.first_contact_platform", start, end)
            if "date" in found:
                dated = found["date"]
                record["first_contact_date"] = dated.value
                cite(f"victims.{key}.first_contact_date", dated.start, dated.end)
            if index in forced:
                dated = forced[index]
                record["first_forced_date"] = dated.value
                cite(f"victims.{key}.first_forced_date", dated.start, dated.end)
                days = _recruitment_days(found.get("date"), dated)
                if days is not None:
                    record["recruitment_days"] = days
                    cite(f"victims.{key}.recruitment_days", dated.start, dated.end)
            record["perpetrators"] = _perpetrators_of(case, index, ids)
    case_record: dict[str, Any] = {"case_id": case_id}
    years = [(int(d.value[:4]), d) for d in forced.values()]
    if years:
        year, dated = min(years, key=lambda item: item[0])
        case_record["year_start"] = year
        cite("case.year_start", dated.start, dated.end)
    return {
        "codebook_version": "1",
        "case": case_record,
        "perpetrators": perpetrators,
        "victims": victims,
        "evidence": evidence,
    }


def _recruitment_days(contact: _Dated | None, forced: _Dated) -> int | None:
    if contact is not None:
        days = days_between(contact.value, forced.value)
        if days is not None and 0 <= days <= _MAX_DAYS:
            return days
    mention = forced.mention
    if mention.relative_days is not None and mention.exact_offset and contact is not None:
        return mention.relative_days
    return None


def _perpetrators_of(case: _Case, victim: int, ids: dict[int, str]) -> list[str]:
    together: set[int] = set()
    for mentions in case.mentions:
        people = {m.person for m in mentions}
        if victim in people:
            together |= {p for p in people if case.persons[p].role == "perpetrator"}
    if not together:
        together = {i for i, p in enumerate(case.persons) if p.role == "perpetrator"}
    return [ids[p] for p in sorted(together)]
