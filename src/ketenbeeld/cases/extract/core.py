"""From a Dutch case summary to a coded case with evidence.

The steps: sentences and sections (:mod:`.text`), the persons (:mod:`.persons`),
the phrases of the rules with their negation and uncertainty (:mod:`.rules`), the
dates and ages (:mod:`.dates`, :mod:`.numbers`); then every finding is attributed to
a person and turned into a codebook value with the substring that supports it.

**Attribution** (:mod:`.attribution`): each finding goes to the person of the right
kind that its sentence, a pronoun or its section points to, or to none. **Events**
(:mod:`.events`): first contact, first forced work and ages.

**Values.** A plainly stated phrase gives its value; a negated one the opposite of a
yes/no value and nothing for others; an uncertain one nothing. When the text states
both a value and its opposite for one person (conflicting statements), the variable
stays null: unknown, and the evidence of both is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from ketenbeeld.cases.extract.attribution import (
    Case,
    Value,
    attribute,
    genders,
    section_persons,
)
from ketenbeeld.cases.extract.dates import find_dates
from ketenbeeld.cases.extract.events import Dated, ages_of, contact_and_forced, recruitment_days
from ketenbeeld.cases.extract.numbers import find_ages
from ketenbeeld.cases.extract.persons import find_persons, mentions_in
from ketenbeeld.cases.extract.rules import (
    RULES_VERSION,
    Finding,
    Presence,
    Rules,
    find_phrases,
    load_rules,
)
from ketenbeeld.cases.extract.text import split_sentences

__all__ = ["extract_case"]

_DIPLOMA_NO = re.compile(
    r"\b(?:geen|zonder)\s+(?:startkwalificatie|diploma)\b"
    r"|\b(?:vmbo|mbo|havo|vwo|opleiding|school)[\w-]*\s+(?:\w+\s+){0,3}?(?:niet|nooit)\s+"
    r"(?:afgerond|afgemaakt|gehaald|behaald)\b"
    r"|\b(?:niet|nooit)\s+(?:afgerond|afgemaakt)\b"
    r"|\b(?:voortijdig|vroegtijdig)\s+schoolverlater\b"
    r"|\balleen\s+(?:een\s+|het\s+)?vmbo(?:-diploma)?\b"
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
    section_person = section_persons(sentences, persons)
    mentions = [
        mentions_in(sentence, persons, section_person[index])
        for index, sentence in enumerate(sentences)
    ]
    case = Case(text, sentences, persons, mentions, section_person)
    case.genders = genders(case)
    findings = find_phrases(text, sentences, rules_version)
    dates = find_dates(text, reference=reference)
    _facts(case, findings, rules_version)
    _education(case)
    contact, forced = contact_and_forced(case, dates, rules_version)
    ages = ages_of(case, find_ages(text), dates, forced, contact)
    return _document(case, case_id, contact, forced, ages)


def _pattern_findings(case: Case, rules: Rules) -> list[Finding]:
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


def _facts(case: Case, findings: Sequence[Finding], version: str) -> None:
    rules = load_rules(version)
    concepts = rules.concepts
    for finding in [*findings, *_pattern_findings(case, rules)]:
        concept = concepts.get(finding.concept)
        if concept is None:
            continue
        person = attribute(case, finding.sentence, finding.start, concept.kind)
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


def _addiction(case: Case, rules: Rules, finding: Finding, value: Any, person: int) -> None:
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


def _education(case: Case) -> None:
    for index, sentence in enumerate(case.sentences):
        if sentence.is_heading:
            continue
        for pattern, value in ((_DIPLOMA_NO, False), (_DIPLOMA_YES, True)):
            for match in pattern.finditer(sentence.text):
                start, end = sentence.start + match.start(), sentence.start + match.end()
                if value and _DIPLOMA_NO.search(sentence.text, match.start(), match.end() + 20):
                    continue
                person = attribute(case, index, start, "perpetrator")
                if person is not None:
                    case.value(person, "has_diploma").add(value, start, end)


def _settled(slot: Value) -> tuple[Any, list[tuple[int, int]]] | None:
    if len(slot.votes) != 1:
        return None  # nothing, or conflicting statements
    ((value, spans),) = slot.votes.items()
    return value, spans


def _document(
    case: Case,
    case_id: str,
    contact: dict[int, dict[str, Any]],
    forced: dict[int, Dated],
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
                days = recruitment_days(found.get("date"), dated)
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


def _perpetrators_of(case: Case, victim: int, ids: dict[int, str]) -> list[str]:
    together: set[int] = set()
    for mentions in case.mentions:
        people = {m.person for m in mentions}
        if victim in people:
            together |= {p for p in people if case.persons[p].role == "perpetrator"}
    if not together:
        together = {i for i, p in enumerate(case.persons) if p.role == "perpetrator"}
    return [ids[p] for p in sorted(together)]
