"""Validation of coded cases against the codebook.

:func:`validate_case` checks one case document and returns every problem found,
each naming the source, the record, the field and what is allowed, never the
offending value. Values implied by other values are filled in (the channel of a
known platform, ``recruitment_days`` from two exact dates) so the statistics see
them; contradictions are problems.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from ketenbeeld.cases.codebook import Codebook, Entity, Variable
from ketenbeeld.cases.model import CodedCase
from ketenbeeld.errors import Problem

__all__ = ["check_value", "parse_partial_date", "validate_case"]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TOP_LEVEL = ("codebook_version", "case", "perpetrators", "victims", "evidence", "review")
_REVIEW_ACTIONS = ("accepted", "corrected")


@lru_cache(maxsize=65536)
def parse_partial_date(value: str) -> tuple[int, int | None, int | None] | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``None`` if not a real date.

    Example:
        >>> parse_partial_date("2020-04")
        (2020, 4, None)
    """
    match = _DATE_RE.match(value)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return year, month, day


def _before(later: Any, earlier: Any) -> bool:
    """True when partial date ``later`` is certainly before ``earlier``.

    Dates are compared at the precision both have: 2019-01 is before 2019-03, but
    2019-03 is not before 2019-03-15.
    """
    if not (isinstance(later, str) and isinstance(earlier, str)):
        return False
    a, b = parse_partial_date(later), parse_partial_date(earlier)
    if a is None or b is None:
        return False
    for part_a, part_b in zip(a, b, strict=True):
        if part_a is None or part_b is None:
            return False
        if part_a != part_b:
            return part_a < part_b
    return False


def _exact(value: Any) -> date | None:
    if isinstance(value, str):
        parsed = parse_partial_date(value)
        if parsed and parsed[2] is not None:
            return date(parsed[0], parsed[1] or 1, parsed[2])
    return None


def check_value(var: Variable, raw: Any) -> tuple[Any, str | None]:
    """Check one value against its variable.

    Returns:
        ``(value, None)`` with the value normalised (``None`` for null), or
        ``(None, message)`` saying what is allowed, without the value itself.

    Example:
        >>> from ketenbeeld.cases.codebook import load_codebook
        >>> check_value(load_codebook().victim.variable("gender"), "girl")[1]
        'is not an allowed value: must be one of male, female, other'
    """
    if raw is None:
        return None, (f"is required: {var.allowed()}" if var.required else None)
    kind = var.type
    if kind == "boolean":
        if raw is True or raw is False:
            return raw, None
    elif kind == "integer":
        number: int | None = None
        if type(raw) is int:
            number = raw
        elif isinstance(raw, float) and raw.is_integer():
            number = int(raw)
        if number is not None:
            assert var.minimum is not None and var.maximum is not None
            if var.minimum <= number <= var.maximum:
                return number, None
            return None, f"is out of range: must be {var.allowed()}"
    elif kind == "string":
        if isinstance(raw, str | int) and not isinstance(raw, bool):
            text = str(raw).strip()
            if var.max_length is not None and len(text) > var.max_length:
                return None, f"is too long: {var.allowed()}"
            if var.pattern and not _compiled(var.pattern).fullmatch(text):
                return None, f"is not allowed: must be {var.allowed()}"
            if var.required and not text:
                return None, f"is required: {var.allowed()}"
            return text or None, None
    elif kind == "date":
        if isinstance(raw, str) and parse_partial_date(raw.strip()):
            return raw.strip(), None
        return None, f"is not a valid date: must be {var.allowed()}"
    elif kind == "enum":
        if isinstance(raw, str) and raw in var.values:
            return raw, None
        return None, f"is not an allowed value: must be {var.allowed()}"
    elif kind in ("enum_list", "ref_list"):
        if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
            if kind == "enum_list" and any(item not in var.values for item in raw):
                return None, f"has a value that is not allowed: must be {var.allowed()}"
            # Keep codebook order and drop repeats so equal sets compare equal.
            order = var.values if kind == "enum_list" else tuple(dict.fromkeys(raw))
            return [item for item in order if item in raw], None
        return None, f"must be {var.allowed()}"
    return None, f"has the wrong type: must be {var.allowed()}"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class _Checker:
    def __init__(
        self,
        codebook: Codebook,
        source: str,
        location: str,
        person_locations: Mapping[tuple[str, str], str],
    ) -> None:
        self.codebook = codebook
        self.source = source
        self.location = location
        self.person_locations = person_locations
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str, location: str | None = None) -> None:
        self.problems.append(Problem(self.source, location or self.location, field, message))

    def record(self, entity: Entity, raw: Any, prefix: str, location: str) -> dict[str, Any] | None:
        if not isinstance(raw, Mapping):
            self.problem(prefix, f"must be an object with the {entity.name} variables", location)
            return None
        known = entity.names
        for name in raw:
            if name not in known:
                self.problem(
                    f"{prefix}.{name}" if prefix else str(name),
                    f"is not a {entity.name} variable of codebook version {self.codebook.version}",
                    location,
                )
        out: dict[str, Any] = {}
        for var in entity.variables:
            value, error = check_value(var, raw.get(var.name))
            if error is not None:
                self.problem(f"{prefix}.{var.name}" if prefix else var.name, error, location)
            out[var.name] = value
        return out

    def persons(self, entity: Entity, raw: Any) -> list[dict[str, Any]]:
        list_name = entity.list_name or entity.name
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(list_name, f"must be a list of {entity.name} objects")
            return []
        people: list[dict[str, Any]] = []
        seen: set[str] = set()
        for index, item in enumerate(raw, start=1):
            key = item.get(entity.key) if isinstance(item, Mapping) else None
            key_var = entity.variable(entity.key)
            key_ok = (
                isinstance(key, str)
                and key_var is not None
                and re.fullmatch(key_var.pattern or r"\S+", key) is not None
            )
            prefix = f"{list_name}.{key}" if key_ok else f"{list_name}[{index}]"
            location = self.person_locations.get((entity.name, str(key)), self.location)
            record = self.record(entity, item, prefix, location)
            if record is None:
                continue
            person_key = record.get(entity.key)
            if person_key is not None and person_key in seen:
                self.problem(
                    f"{prefix}.{entity.key}",
                    f"is used by more than one {entity.name}: each needs its own id",
                    location,
                )
            if person_key is not None:
                seen.add(person_key)
            people.append(record)
        return people


def _victim_rules(check: _Checker, victim: dict[str, Any], pids: set[str], location: str) -> None:
    prefix = f"victims.{victim['vid']}"
    platform_var = check.codebook.victim.variable("first_contact_platform")
    platform = victim.get("first_contact_platform")
    if platform is not None and platform_var is not None:
        implied = platform_var.value_attrs.get(platform, {}).get("channel")
        channel = victim.get("first_contact_channel")
        if channel is None and implied is not None:
            victim["first_contact_channel"] = implied
        elif implied is not None and channel != implied:
            check.problem(
                f"{prefix}.first_contact_platform",
                f"does not fit first_contact_channel: this platform is {implied}",
                location,
            )
    contact = _exact(victim.get("first_contact_date"))
    forced = _exact(victim.get("first_forced_date"))
    days = victim.get("recruitment_days")
    if _before(victim.get("first_forced_date"), victim.get("first_contact_date")):
        check.problem(f"{prefix}.first_forced_date", "is before first_contact_date", location)
    elif contact and forced:
        days_var = check.codebook.victim.variable("recruitment_days")
        longest = days_var.maximum if days_var is not None else None
        if longest is not None and (forced - contact).days > longest:
            # The derived recruitment_days would be out of its range (and the case
            # could not be written back and read again).
            check.problem(
                f"{prefix}.first_forced_date",
                f"is more than {longest} days after first_contact_date: check both dates",
                location,
            )
        elif days is None:
            victim["recruitment_days"] = (forced - contact).days
        elif days != (forced - contact).days:
            check.problem(
                f"{prefix}.recruitment_days",
                "disagrees with first_contact_date and first_forced_date: it must equal "
                "the days between them",
                location,
            )
    followed = victim.get("followed_until_date")
    if followed is not None:
        if (
            victim.get("first_forced_date") is not None
            or victim.get("recruitment_days") is not None
        ):
            check.problem(
                f"{prefix}.followed_until_date",
                "is only for a victim whose first forced sex work is not dated",
                location,
            )
        elif _exact(followed) is None:
            check.problem(
                f"{prefix}.followed_until_date", "must be an exact date YYYY-MM-DD", location
            )
        elif _before(followed, victim.get("first_contact_date")):
            check.problem(f"{prefix}.followed_until_date", "is before first_contact_date", location)
    for pid in victim.get("perpetrators") or []:
        if pid not in pids:
            check.problem(
                f"{prefix}.perpetrators",
                "names a perpetrator id that is not in this case",
                location,
            )


def _perpetrator_rules(check: _Checker, person: dict[str, Any], location: str) -> None:
    if person.get("addiction_types") and person.get("has_addiction") is False:
        check.problem(
            f"perpetrators.{person['pid']}.addiction_types",
            "is given while has_addiction is false",
            location,
        )


def _evidence(check: _Checker, raw: Any, document: dict[str, Any]) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        check.problem("evidence", "must be a list of {path, text, start, end} objects")
        return []
    out: list[dict[str, Any]] = []
    for index, item in enumerate(raw, start=1):
        field = f"evidence[{index}]"
        if not isinstance(item, Mapping):
            check.problem(field, "must be an object with path, text, start and end")
            continue
        path, text_, start, end = (item.get(k) for k in ("path", "text", "start", "end"))
        ok = True
        if not isinstance(path, str) or not _resolves(path, document):
            check.problem(f"{field}.path", "must name a coded field, e.g. victims.V1.gender")
            ok = False
        if not isinstance(text_, str):
            check.problem(f"{field}.text", "must be the quoted text")
            ok = False
        if not (
            isinstance(start, int)
            and isinstance(end, int)
            and not isinstance(start, bool)
            and not isinstance(end, bool)
            and 0 <= start <= end
        ):
            check.problem(f"{field}.start", "start and end must be offsets with 0 <= start <= end")
            ok = False
        if ok and not _json_safe(item):
            check.problem(field, "must not hold NaN or Infinity (not JSON numbers)")
            ok = False
        if ok:
            out.append(dict(item))
    return out


def _json_safe(value: Any) -> bool:
    """Whether ``value`` has no NaN or infinite number anywhere (databases refuse them)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Mapping):
        return all(_json_safe(item) for item in value.values())
    if isinstance(value, list | tuple):
        return all(_json_safe(item) for item in value)
    return True


def _review(check: _Checker, raw: Any, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The review trail of an extracted case: per reviewed value, what was proposed,
    what was kept, by whom and when. Every entry must agree with the coding."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        check.problem("review", "must be a list of {path, action, proposed, value, by, at} objects")
        return []
    out: list[dict[str, Any]] = []
    for index, item in enumerate(raw, start=1):
        field = f"review[{index}]"
        if not isinstance(item, Mapping):
            check.problem(field, "must be an object with path, action, proposed, value, by and at")
            continue
        path, action, by, at = (item.get(k) for k in ("path", "action", "by", "at"))
        ok = True
        if not isinstance(path, str) or not _resolves(path, document):
            check.problem(f"{field}.path", "must name a coded field, e.g. victims.V1.gender")
            ok = False
        if action not in _REVIEW_ACTIONS:
            check.problem(f"{field}.action", f"must be one of {', '.join(_REVIEW_ACTIONS)}")
            ok = False
        if not isinstance(by, str) or not by.strip() or len(by) > 100:
            check.problem(f"{field}.by", "must name the reviewer (1 to 100 characters)")
            ok = False
        if not isinstance(at, str) or _timestamp(at) is None:
            check.problem(
                f"{field}.at",
                "must be a date and time with its zone, e.g. 2026-11-29T14:05:00+01:00",
            )
            ok = False
        if "proposed" not in item or "value" not in item:
            check.problem(field, "must give both the proposed value and the value kept")
            ok = False
        elif not _json_safe(item):
            check.problem(field, "must not hold NaN or Infinity (not JSON numbers)")
            ok = False
        if not ok:
            continue
        kept = _value_at(str(path), document)
        if _canonical(item["value"]) != _canonical(kept):
            check.problem(f"{field}.value", f"differs from the coded value of {path}")
            continue
        if action == "accepted" and _canonical(item["proposed"]) != _canonical(kept):
            check.problem(f"{field}.proposed", "differs from the value kept, so it was corrected")
            continue
        out.append(dict(item))
    return out


def _timestamp(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _canonical(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


def _value_at(path: str, document: dict[str, Any]) -> Any:
    parts = path.split(".")
    if parts[0] == "case":
        return document["case"].get(parts[1])
    key = "pid" if parts[0] == "perpetrators" else "vid"
    person = next(p for p in document[parts[0]] if p.get(key) == parts[1])
    return person.get(parts[2])


def _resolves(path: str, document: dict[str, Any]) -> bool:
    parts = path.split(".")
    if len(parts) == 2 and parts[0] == "case":
        return parts[1] in document["case"]
    if len(parts) == 3 and parts[0] in ("perpetrators", "victims"):
        key = "pid" if parts[0] == "perpetrators" else "vid"
        return any(p.get(key) == parts[1] and parts[2] in p for p in document[parts[0]])
    return False


def validate_case(
    raw: Any,
    codebook: Codebook,
    *,
    source: str,
    location: str,
    person_locations: Mapping[tuple[str, str], str] | None = None,
) -> tuple[CodedCase | None, list[Problem]]:
    """Validate one coded-case document against ``codebook``.

    Args:
        raw: the parsed document (dict with ``case``, ``perpetrators``, ``victims``, ...).
        codebook: the codebook to validate against.
        source: file name, used in problems.
        location: where the case is in the file, e.g. ``"line 3"``.
        person_locations: optional ``(entity, id) -> location`` for inputs with one
            row per person (CSV, XLSX), so problems name the person's own row.

    Returns:
        ``(case, [])`` when valid, else ``(None, problems)`` with every problem found.

    Example:
        >>> from ketenbeeld.cases.codebook import load_codebook
        >>> case, problems = validate_case(
        ...     {"case": {"case_id": "X-1"}}, load_codebook(), source="x.json", location="record 1")
        >>> (case.case_id, problems)
        ('X-1', [])
    """
    check = _Checker(codebook, source, location, person_locations or {})
    if not isinstance(raw, Mapping):
        check.problem("", "must be a JSON object with case, perpetrators and victims")
        return None, check.problems
    for name in raw:
        if name not in _TOP_LEVEL:
            check.problem(
                str(name), f"is not part of a coded case (allowed: {', '.join(_TOP_LEVEL)})"
            )
    version = raw.get("codebook_version", codebook.version)
    if str(version) != codebook.version:
        check.problem(
            "codebook_version",
            f"is not supported here: this import uses codebook version {codebook.version}",
        )
    case = check.record(codebook.case, raw.get("case"), "case", location)
    perpetrators = check.persons(codebook.perpetrator, raw.get("perpetrators"))
    victims = check.persons(codebook.victim, raw.get("victims"))
    pids = {p["pid"] for p in perpetrators if p.get("pid")}
    for person in perpetrators:
        if person.get("pid"):
            loc = check.person_locations.get(("perpetrator", person["pid"]), location)
            _perpetrator_rules(check, person, loc)
    for victim in victims:
        if victim.get("vid"):
            loc = check.person_locations.get(("victim", victim["vid"]), location)
            _victim_rules(check, victim, pids, loc)
    if case is None:
        return None, check.problems
    start, convicted = case.get("year_start"), case.get("conviction_year")
    if start is not None and convicted is not None and convicted < start:
        check.problem("case.conviction_year", "is before case.year_start")
    document = {"case": case, "perpetrators": perpetrators, "victims": victims}
    evidence = _evidence(check, raw.get("evidence"), document)
    review = _review(check, raw.get("review"), document)
    if check.problems:
        return None, check.problems
    coded = CodedCase(
        codebook_version=codebook.version,
        case=case,
        perpetrators=tuple(perpetrators),
        victims=tuple(victims),
        evidence=tuple(evidence),
        review=tuple(review),
    )
    try:
        coded.sha256()  # computed once here, kept for the import
    except UnicodeEncodeError:
        # A JSON escape such as "\ud800" gives a string that is not Unicode text; it
        # cannot be hashed or stored.
        check.problem("", "holds text with an unpaired surrogate (\\ud800-\\udfff escape)")
        return None, check.problems
    return coded, []
