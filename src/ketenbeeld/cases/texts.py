"""Versioned Dutch and English texts: the words of the statistics and of the report.

The words that go with the results are versioned data files in ``cases/data``: the
labels and definitions of the statistics (``statistics-<version>.yaml``, see
:func:`ketenbeeld.cases.stats.load_statistics_texts`) and the texts of the report and
its plots (``report-text-<version>.yaml``, see :func:`load_report_text`). Both are read
by :func:`load_texts`, which validates a whole file at once and reports every problem.
Every result and report names the versions of the texts it was made with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any, TypeAlias

import yaml

from ketenbeeld.cases.survival import TREND_NOTE_CODES
from ketenbeeld.errors import ConfigError, Problem

__all__ = [
    "REPORT_TEXT_VERSION",
    "TEXT_LANGUAGES",
    "TextSchema",
    "VersionedTexts",
    "load_report_text",
    "load_texts",
    "parse_report_text",
    "parse_texts",
]

#: The languages of every text.
TEXT_LANGUAGES = ("nl", "en")

#: What a texts file holds: per section, the keys the code uses and the fields of each
#: entry (a row's ``label`` and ``definition``); no fields: each entry is one text.
TextSchema: TypeAlias = Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]


@dataclass(frozen=True)
class VersionedTexts:
    """Dutch and English texts from a validated, versioned data file.

    Attributes:
        source: the file name, e.g. ``statistics-1.yaml``.
        version: the file's version, named by every result and report made with it.
        entries: per section, key and field, the texts ``{"nl": ..., "en": ...}``; an
            entry that is one text has the single field ``text``.
    """

    source: str
    version: str
    entries: dict[str, dict[str, dict[str, dict[str, str]]]]

    def pair(self, section: str, key: str, field: str = "text") -> dict[str, str]:
        """A copy of the Dutch and English text of ``field`` of one entry."""
        return dict(self.entries[section][key][field])

    def language(self, section: str, lang: str) -> dict[str, str]:
        """The one-text entries of ``section`` in ``lang`` (``nl`` or ``en``), by key."""
        return {key: fields["text"][lang] for key, fields in self.entries[section].items()}


def _placeholders(text: str) -> set[str] | None:
    """The ``{names}`` in ``text``, or ``None`` when a brace is not a placeholder."""
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def _pair(raw: Any, where: str, name: str, problems: list[Problem], src: str) -> dict[str, str]:
    if not isinstance(raw, dict):
        why = "is missing" if raw is None else "must be a mapping"
        problems.append(Problem(src, where, name, f"{why}: it needs an nl and an en text"))
        return dict.fromkeys(TEXT_LANGUAGES, "")
    names: list[set[str] | None] = []
    for lang in TEXT_LANGUAGES:
        text, path = raw.get(lang), f"{name}.{lang}" if name else lang
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(src, where, path, "needs a non-empty text"))
        elif (found := _placeholders(text)) is None:
            problems.append(Problem(src, where, path, "has a { or } that is no placeholder"))
        else:
            names.append(found)
    if len(names) == 2 and names[0] != names[1]:
        problems.append(Problem(src, where, name, "nl and en use different {placeholders}"))
    return {lang: str(raw.get(lang) or "") for lang in TEXT_LANGUAGES}


def _duplicate_keys(node: yaml.Node | None, src: str) -> list[Problem]:
    """Keys given twice in one mapping, which a YAML parser silently drops."""
    problems: list[Problem] = []
    stack, seen = [node], set()
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys = [key.value for key, _ in current.value]
            problems.extend(
                Problem(src, f"line {key.start_mark.line + 1}", str(key.value), "is given twice")
                for index, (key, _) in enumerate(current.value)
                if key.value in keys[:index]
            )
            stack.extend(value for _, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return problems


def parse_texts(
    text: str, source: str, schema: TextSchema, *, version: str, what: str
) -> VersionedTexts:
    """Validate a versioned texts file given as YAML text; report every problem at once.

    The file has ``version: "<version>"`` and, per section of ``schema``, a mapping with
    exactly the schema's keys; each entry's fields (or, without fields, the entry) give
    a non-empty Dutch (``nl``) and English (``en``) text with the same
    ``{placeholders}``. No key may be given twice.

    Args:
        text: the YAML text.
        source: the file name, for the messages.
        schema: the sections, keys and fields the code uses.
        version: the version the file must have.
        what: what the file is, for the message, e.g. ``the report texts``.

    Returns:
        The validated texts.

    Raises:
        ConfigError: the file is not valid YAML, or invalid; the message lists every
            problem.
    """
    try:
        problems = _duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader), source)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{source}{line}: not valid YAML") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: {what} must be a mapping with a version and sections")
    if raw.get("version") != version:
        problems.append(Problem(source, "", "version", f'must be "{version}"'))
    problems.extend(
        Problem(source, "", str(key), f"is not a section ({', '.join(schema)})")
        for key in raw
        if key != "version" and key not in schema
    )
    entries: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    for section, (keys, fields) in schema.items():
        given = raw.get(section)
        if not isinstance(given, dict):
            problems.append(Problem(source, "", section, "must be a mapping of entries"))
            continue
        problems.extend(
            Problem(source, section, str(key), "is not an id this Ketenbeeld uses")
            for key in given
            if key not in keys
        )
        parsed = entries.setdefault(section, {})
        for key in keys:
            entry, where = given.get(key), f"{section} {key}"
            if entry is None:
                problems.append(Problem(source, section, key, "is missing"))
            elif not fields:
                parsed[key] = {"text": _pair(entry, where, "", problems, source)}
            elif not isinstance(entry, dict):
                listing = ", ".join(fields)
                problems.append(Problem(source, where, "", f"must be a mapping of {listing}"))
            else:
                parsed[key] = {f: _pair(entry.get(f), where, f, problems, source) for f in fields}
    if problems:
        listing = "\n".join(f"  - {problem}" for problem in problems)
        raise ConfigError(
            f"{what} have {len(problems)} problem(s):\n{listing}",
            hint=f"restore {source} from the Ketenbeeld release",
        )
    return VersionedTexts(source=source, version=version, entries=entries)


def load_texts(kind: str, version: str, schema: TextSchema, *, what: str) -> VersionedTexts:
    """Read and validate the built-in texts file ``cases/data/<kind>-<version>.yaml``.

    Callers cache the result; nothing is read at import time.

    Raises:
        ConfigError: there is no such file, or it is invalid (see :func:`parse_texts`).
    """
    name = f"{kind}-{version}.yaml"
    resource = resources.files("ketenbeeld.cases").joinpath("data").joinpath(name)
    if not resource.is_file():
        raise ConfigError(f"{what} version {version} does not exist (no {name})")
    return parse_texts(resource.read_text("utf-8"), name, schema, version=version, what=what)


# ------------------------------------------------------------------------ report texts

#: Version of the built-in report texts, ``data/report-text-<version>.yaml``.
REPORT_TEXT_VERSION = "1"

# The keys of the report texts that the code reads: section `report` by report.py and
# templates/report.html, `plots` by plots.py, `trend_notes` (one per note code) by the
# report.
_REPORT_KEYS = """
    title subtitle summary summary_cohort summary_median summary_median_ci summary_no_median
    summary_no_recruitment summary_median_suppressed summary_suppressed cases_1 cases_n
    perpetrators_1 perpetrators_n victims_1 victims_n headline headline_intro col_label
    col_numerator col_denominator col_unknown col_percentage population_perpetrators
    population_victims suppressed suppressed_short not_applicable no_rows recruitment
    recruitment_intro median median_ci median_not_reached not_estimable n_analysis events
    censored excluded curve_truncated curve_withheld trend hazard_ratio hr_ci p_value trend_n
    trend_events trend_meaning trend_shorter trend_longer trend_unclear trend_point_shorter
    trend_point_longer trend_not_estimable summary_trend col_year col_year_n col_year_events
    col_year_median comparisons comparisons_intro col_comparison col_group col_yes col_no col_or
    col_p outcome no_comparisons methods definitions variables m_denominators_h m_denominators
    m_missing_h m_missing m_wilson_h m_wilson m_km_h m_km m_cox_h m_cox m_fisher_h m_fisher
    m_suppression_h m_suppression m_no_suppression privacy_h privacy provenance codebook_version
    codebook_title statistics_version report_text_version n_cases n_perpetrators n_victims
    fingerprint software generated_at min_cell json_note
"""
_PLOT_KEYS = """
    no_data suppressed no_denominator perpetrators victims percent_axis proportions_title
    days_axis share_axis km_title ci_band km_curve median median_ci median_not_reached truncated
    trend_title year_axis median_axis hr hr_no_ci hr_missing size_note not_reached_marker
    desc_proportions desc_km desc_trend
"""
_REPORT_WHAT = "the report texts"


def _report_schema() -> TextSchema:
    return {
        "report": (tuple(_REPORT_KEYS.split()), ()),
        "plots": (tuple(_PLOT_KEYS.split()), ()),
        "trend_notes": (TREND_NOTE_CODES, ()),
    }


def parse_report_text(text: str, source: str = "report-text.yaml") -> VersionedTexts:
    """Validate report texts given as YAML text; report every problem at once.

    Each section (``report``, ``plots``, ``trend_notes``) must have exactly the keys the
    code uses, each with a Dutch (``nl``) and an English (``en``) text that use the same
    ``{placeholders}``.

    Raises:
        ConfigError: the texts are invalid; the message lists every problem.
    """
    return parse_texts(
        text, source, _report_schema(), version=REPORT_TEXT_VERSION, what=_REPORT_WHAT
    )


@cache
def load_report_text() -> VersionedTexts:
    """The built-in texts of the report and its plots, validated on first use, cached.

    Raises:
        ConfigError: the built-in file is invalid.

    Example:
        >>> load_report_text().language("plots", "en")["no_data"]
        'No data'
    """
    return load_texts("report-text", REPORT_TEXT_VERSION, _report_schema(), what=_REPORT_WHAT)
