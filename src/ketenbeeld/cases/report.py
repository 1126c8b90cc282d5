"""The reproducible research report: one self-contained HTML file, optionally a PDF.

:func:`render_report_html` turns a :class:`~ketenbeeld.cases.results.CaseStatistics`
into one HTML document with inline CSS and inline SVG plots, no external resources,
Dutch by default and English on request. The same statistics and generation time give
byte-identical HTML. The numbers are also embedded as JSON
(``<script type="application/json" id="ketenbeeld-stats">``) and every table cell
carries ``data-row-id`` / ``data-field`` attributes, so the rendered values can be
checked against the statistics by a program.

:func:`write_report` writes the HTML (and a PDF made by WeasyPrint from the same HTML
string) atomically: a crash never leaves half a report behind.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

import ketenbeeld
from ketenbeeld.cases.codebook import Codebook, load_codebook
from ketenbeeld.cases.plots import (
    check_lang,
    format_decimal,
    format_p,
    proportions_svg,
    recruitment_curve_svg,
    trend_svg,
)
from ketenbeeld.cases.results import CaseStatistics, Comparison, ProportionRow, TrendResult
from ketenbeeld.errors import ConfigError, InputError

__all__ = ["ReportPaths", "render_report_html", "write_report"]

# Every user-facing string of the report, per language. Placeholders use str.format.
_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Daders en werving bij binnenlandse seksuele uitbuiting",
        "subtitle": "Onderzoeksrapport op basis van gecodeerde opsporingsonderzoeken (Ketenbeeld)",
        "summary": "Samenvatting",
        "summary_cohort": "Dit rapport beschrijft {cases} met {perpetrators} en {victims} "
        "(codeboek versie {version}).",
        "summary_median": "De helft van de slachtoffers werd binnen {median} dagen na het "
        "eerste contact tot sekswerk gedwongen (Kaplan-Meier-mediaan{ci}, n = {n}).",
        "summary_median_ci": "; 95%-BI {low}–{high}",
        "summary_no_median": "Minder dan de helft van de slachtoffers werd in de gevolgde "
        "periode aantoonbaar tot sekswerk gedwongen: de mediane wervingsperiode is niet "
        "bereikt (n = {n}).",
        "summary_no_recruitment": "Er zijn geen slachtoffers met een bekende of gecensureerde "
        "wervingsperiode.",
        "summary_suppressed": "{count} van de {total} kerncijfers zijn onderdrukt omdat ze op "
        "minder dan {min_cell} personen berusten.",
        "cases_1": "1 zaak",
        "cases_n": "{n} zaken",
        "perpetrators_1": "1 dader",
        "perpetrators_n": "{n} daders",
        "victims_1": "1 slachtoffer",
        "victims_n": "{n} slachtoffers",
        "headline": "Kerncijfers",
        "headline_intro": "Percentages berusten op de personen bij wie het dossier het kenmerk "
        "vaststelt; onbekende waarden staan apart.",
        "col_label": "Kenmerk",
        "col_numerator": "Teller",
        "col_denominator": "Noemer",
        "col_unknown": "Onbekend",
        "col_percentage": "Percentage (95%-BI)",
        "population_perpetrators": "Daders",
        "population_victims": "Slachtoffers",
        "suppressed": "onderdrukt (< {n})",
        "suppressed_short": "onderdrukt",
        "not_applicable": "n.v.t. (noemer 0)",
        "no_rows": "Er zijn geen kerncijfers: het cohort bevat geen personen.",
        "recruitment": "Wervingsperiode",
        "recruitment_intro": "Dagen van het eerste contact tot het eerste gedwongen "
        "sekswerk. De curve toont het aandeel slachtoffers dat na zoveel dagen nog niet tot "
        "sekswerk is gedwongen.",
        "median": "Mediaan (dagen)",
        "median_ci": "95%-BI van de mediaan",
        "median_not_reached": "niet bereikt",
        "not_estimable": "niet te schatten",
        "n_analysis": "Slachtoffers in de analyse (n)",
        "events": "Met bekende wervingsperiode",
        "censored": "Gecensureerd",
        "excluded": "Uitgesloten (geen periode en geen censureringsdatum)",
        "trend": "Trend over de jaren",
        "hazard_ratio": "Hazard ratio per jaar",
        "hr_ci": "95%-BI",
        "p_value": "p-waarde",
        "trend_n": "Slachtoffers in het model (n)",
        "trend_events": "Gebeurtenissen",
        "trend_meaning": "Een hazard ratio boven 1 betekent dat slachtoffers uit latere jaren "
        "sneller tot sekswerk worden gedwongen: de wervingsperiode wordt korter.",
        "trend_shorter": "Het interval ligt boven 1: de wervingsperiode wordt korter.",
        "trend_longer": "Het interval ligt onder 1: de wervingsperiode wordt langer.",
        "trend_unclear": "Het interval bevat 1: de gegevens tonen geen duidelijke trend.",
        "trend_point_shorter": "De puntschatting wijst op een kortere wervingsperiode; "
        "zonder interval is dat onzeker.",
        "trend_point_longer": "De puntschatting wijst op een langere wervingsperiode; "
        "zonder interval is dat onzeker.",
        "trend_not_estimable": "De trend kon niet worden geschat.",
        "summary_trend": "Trend: hazard ratio per jaar {hr} (95%-BI {low}–{high}, {p}). {meaning}",
        "col_year": "Jaar van eerste contact",
        "col_year_n": "n",
        "col_year_events": "Gebeurtenissen",
        "col_year_median": "Mediaan (dagen)",
        "comparisons": "Groepsvergelijkingen",
        "comparisons_intro": "2×2-tabellen met odds ratio en de exacte toets van Fisher "
        "(tweezijdig).",
        "col_comparison": "Vergelijking",
        "col_group": "Groep",
        "col_yes": "Met uitkomst",
        "col_no": "Zonder uitkomst",
        "col_or": "Odds ratio",
        "col_p": "p (Fisher)",
        "outcome": "uitkomst",
        "no_comparisons": "Er zijn geen groepsvergelijkingen.",
        "methods": "Methode",
        "definitions": "Definities van de kerncijfers",
        "variables": "Variabelen uit het codeboek",
        "m_denominators_h": "Noemers en onbekende waarden",
        "m_denominators": "Een percentage is het aantal personen met het kenmerk gedeeld door "
        "het aantal personen bij wie het dossier het kenmerk vaststelt. Onbekende waarden "
        "worden niet in de noemer meegeteld en apart gerapporteerd (kolom ‘Onbekend’). "
        "‘Onbekend’ betekent dat het dossier het niet vaststelt, nooit ‘nee’.",
        "m_missing_h": "Ontbrekende gegevens",
        "m_missing": "Er wordt niets geïmputeerd. De percentages gaan ervan uit dat de "
        "onbekende gevallen niet systematisch verschillen van de bekende; leggen dossiers "
        "een kenmerk vaker vast als het aanwezig is, dan overschat het percentage. Vergelijk "
        "daarom altijd de kolom ‘Onbekend’ met de noemer.",
        "m_wilson_h": "Betrouwbaarheidsintervallen",
        "m_wilson": "De 95%-betrouwbaarheidsintervallen van percentages zijn Wilson-score-"
        "intervallen. Die blijven ook bij kleine aantallen en bij percentages dicht bij 0% "
        "of 100% binnen 0–100%.",
        "m_km_h": "Wervingsperiode (Kaplan-Meier)",
        "m_km": "De wervingsperiode is het aantal dagen van het eerste contact tot het eerste "
        "gedwongen sekswerk, alleen als het dossier dat op de dag vaststelt. Stelt het dossier "
        "de datum van het eerste gedwongen sekswerk niet vast, maar volgt het het slachtoffer "
        "tot een exacte datum (followed_until_date), dan is de periode op die datum "
        "gecensureerd: we weten alleen dat ze langer was. De Kaplan-Meier-schatter gebruikt "
        "beide; de mediaan is de eerste dag waarop het aandeel nog niet gedwongen 50% of "
        "minder is. Slachtoffers zonder periode en zonder censureringsdatum vallen buiten de "
        "analyse en worden als ‘uitgesloten’ geteld.",
        "m_cox_h": "Trend (Cox)",
        "m_cox": "De trend is geschat met een Cox-proportionele-hazardsmodel met het jaar van "
        "eerste contact als doorlopende verklarende variabele. De hazard ratio per jaar heeft "
        "een Wald-95%-betrouwbaarheidsinterval en een tweezijdige Wald-toets op ‘geen trend’. "
        "Een hazard ratio boven 1 betekent dat de wervingsperiode korter wordt.",
        "m_fisher_h": "Groepsvergelijkingen",
        "m_fisher": "Groepen worden vergeleken in 2×2-tabellen met de odds ratio van de "
        "steekproef en de tweezijdige exacte toets van Fisher. De p-waarden zijn niet "
        "gecorrigeerd voor meervoudig toetsen.",
        "m_suppression_h": "Onderdrukking van kleine aantallen",
        "m_suppression": "Een kerncijfer wordt onderdrukt als de teller of het complement "
        "(noemer min teller) tussen 1 en {max} ligt (min_cell = {min_cell}); een "
        "groepsvergelijking als een van haar cellen dat doet. Onderdrukte cijfers staan ook "
        "niet in de figuren.",
        "m_no_suppression": "Er is geen onderdrukking van kleine aantallen toegepast "
        "(min_cell = {min_cell}). Deel dit rapport daarom niet buiten de onderzoeksgroep.",
        "privacy_h": "Groepen, geen individuen",
        "privacy": "Dit rapport beschrijft groepen. Het is geen basis om individuen te "
        "beoordelen of te voorspellen of iemand strafbare feiten zal plegen (AI-verordening, "
        "art. 5, lid 1, onder d); de cijfers voeden nooit een score over een persoon.",
        "provenance": "Herkomst",
        "codebook_version": "Codeboekversie",
        "codebook_title": "Codeboek",
        "n_cases": "Zaken",
        "n_perpetrators": "Daders",
        "n_victims": "Slachtoffers",
        "fingerprint": "SHA-256-vingerafdruk van de invoer (canonieke JSON)",
        "software": "Software",
        "generated_at": "Gemaakt op (UTC)",
        "min_cell": "Drempel kleine aantallen (min_cell)",
        "json_note": "De cijfers staan ook machineleesbaar als JSON in dit bestand "
        "(element ‘ketenbeeld-stats’).",
    },
    "en": {
        "title": "Perpetrators and recruitment in domestic sexual exploitation",
        "subtitle": "Research report based on coded criminal investigations (Ketenbeeld)",
        "summary": "Summary",
        "summary_cohort": "This report describes {cases} with {perpetrators} and {victims} "
        "(codebook version {version}).",
        "summary_median": "Half of the victims were forced into sex work within {median} days "
        "of first contact (Kaplan-Meier median{ci}, n = {n}).",
        "summary_median_ci": "; 95% CI {low}–{high}",
        "summary_no_median": "Fewer than half of the victims were shown to be forced into sex "
        "work in the period followed: the median recruitment period is not reached (n = {n}).",
        "summary_no_recruitment": "No victim has a known or censored recruitment period.",
        "summary_suppressed": "{count} of the {total} headline figures are suppressed because "
        "they rest on fewer than {min_cell} persons.",
        "cases_1": "1 case",
        "cases_n": "{n} cases",
        "perpetrators_1": "1 perpetrator",
        "perpetrators_n": "{n} perpetrators",
        "victims_1": "1 victim",
        "victims_n": "{n} victims",
        "headline": "Headline figures",
        "headline_intro": "Percentages rest on the persons for whom the file settles the "
        "trait; unknown values are shown separately.",
        "col_label": "Trait",
        "col_numerator": "Numerator",
        "col_denominator": "Denominator",
        "col_unknown": "Unknown",
        "col_percentage": "Percentage (95% CI)",
        "population_perpetrators": "Perpetrators",
        "population_victims": "Victims",
        "suppressed": "suppressed (< {n})",
        "suppressed_short": "suppressed",
        "not_applicable": "n/a (denominator 0)",
        "no_rows": "There are no headline figures: the cohort has no persons.",
        "recruitment": "Recruitment period",
        "recruitment_intro": "Days from first contact to the first forced sex work. The curve "
        "shows the share of victims not yet forced into sex work after so many days.",
        "median": "Median (days)",
        "median_ci": "95% CI of the median",
        "median_not_reached": "not reached",
        "not_estimable": "not estimable",
        "n_analysis": "Victims in the analysis (n)",
        "events": "With a known recruitment period",
        "censored": "Censored",
        "excluded": "Excluded (no period and no censoring date)",
        "trend": "Trend over the years",
        "hazard_ratio": "Hazard ratio per year",
        "hr_ci": "95% CI",
        "p_value": "p-value",
        "trend_n": "Victims in the model (n)",
        "trend_events": "Events",
        "trend_meaning": "A hazard ratio above 1 means that victims from later years are forced "
        "into sex work sooner: the recruitment period is getting shorter.",
        "trend_shorter": "The interval lies above 1: the recruitment period is getting shorter.",
        "trend_longer": "The interval lies below 1: the recruitment period is getting longer.",
        "trend_unclear": "The interval contains 1: the data show no clear trend.",
        "trend_point_shorter": "The point estimate suggests a shorter recruitment period; "
        "without an interval this is uncertain.",
        "trend_point_longer": "The point estimate suggests a longer recruitment period; "
        "without an interval this is uncertain.",
        "trend_not_estimable": "The trend could not be estimated.",
        "summary_trend": "Trend: hazard ratio per year {hr} (95% CI {low}–{high}, {p}). {meaning}",
        "col_year": "Year of first contact",
        "col_year_n": "n",
        "col_year_events": "Events",
        "col_year_median": "Median (days)",
        "comparisons": "Group comparisons",
        "comparisons_intro": "2×2 tables with odds ratio and Fisher's exact test (two-sided).",
        "col_comparison": "Comparison",
        "col_group": "Group",
        "col_yes": "With outcome",
        "col_no": "Without outcome",
        "col_or": "Odds ratio",
        "col_p": "p (Fisher)",
        "outcome": "outcome",
        "no_comparisons": "There are no group comparisons.",
        "methods": "Methods",
        "definitions": "Definitions of the headline figures",
        "variables": "Codebook variables",
        "m_denominators_h": "Denominators and unknown values",
        "m_denominators": "A percentage is the number of persons with the trait divided by the "
        "number of persons for whom the file settles the trait. Unknown values are excluded "
        "from the denominator and reported separately (column ‘Unknown’). ‘Unknown’ means the "
        "file does not settle it, never ‘no’.",
        "m_missing_h": "Missing data",
        "m_missing": "Nothing is imputed. The percentages assume that the unknown cases do not "
        "differ systematically from the known ones; if files record a trait more often when "
        "it is present, the percentage overestimates it. Always compare the ‘Unknown’ column "
        "with the denominator.",
        "m_wilson_h": "Confidence intervals",
        "m_wilson": "The 95% confidence intervals of percentages are Wilson score intervals. "
        "They stay within 0–100% even for small numbers and percentages close to 0% or 100%.",
        "m_km_h": "Recruitment period (Kaplan-Meier)",
        "m_km": "The recruitment period is the number of days from first contact to the first "
        "forced sex work, only when the file settles it to the day. When the file does not "
        "date the first forced sex work but follows the victim up to an exact date "
        "(followed_until_date), the period is censored at that date: we only know it was "
        "longer. The Kaplan-Meier estimator uses both; the median is the first day on which "
        "the share not yet forced is 50% or less. Victims with neither a period nor a "
        "censoring date are left out of the analysis and counted as ‘excluded’.",
        "m_cox_h": "Trend (Cox)",
        "m_cox": "The trend is estimated with a Cox proportional hazards model with the year "
        "of first contact as a continuous covariate. The hazard ratio per year has a Wald 95% "
        "confidence interval and a two-sided Wald test of ‘no trend’. A hazard ratio above 1 "
        "means the recruitment period is getting shorter.",
        "m_fisher_h": "Group comparisons",
        "m_fisher": "Groups are compared in 2×2 tables with the sample odds ratio and the "
        "two-sided Fisher exact test. The p-values are not corrected for multiple testing.",
        "m_suppression_h": "Suppression of small numbers",
        "m_suppression": "A headline figure is suppressed when its numerator or its complement "
        "(denominator minus numerator) lies between 1 and {max} (min_cell = {min_cell}); a "
        "group comparison when any of its cells does. Suppressed figures are also left out of "
        "the plots.",
        "m_no_suppression": "No suppression of small numbers was applied "
        "(min_cell = {min_cell}). Do not share this report outside the research group.",
        "privacy_h": "Groups, not individuals",
        "privacy": "This report describes groups. It is not a basis for judging individuals or "
        "predicting whether someone will commit offences (EU AI Act, art. 5(1)(d)); the "
        "figures never feed a score about a person.",
        "provenance": "Provenance",
        "codebook_version": "Codebook version",
        "codebook_title": "Codebook",
        "n_cases": "Cases",
        "n_perpetrators": "Perpetrators",
        "n_victims": "Victims",
        "fingerprint": "SHA-256 fingerprint of the input (canonical JSON)",
        "software": "Software",
        "generated_at": "Generated at (UTC)",
        "min_cell": "Small-cell threshold (min_cell)",
        "json_note": "The figures are also embedded in this file as machine-readable JSON "
        "(element ‘ketenbeeld-stats’).",
    },
}

_DASH = "—"


@dataclass(frozen=True)
class ReportPaths:
    """Where :func:`write_report` wrote the report."""

    html: Path
    pdf: Path | None = None


@cache
def _environment() -> Environment:
    """The Jinja2 environment, built on first use (never at import time)."""
    return Environment(
        loader=PackageLoader("ketenbeeld.cases", "templates"),
        autoescape=select_autoescape(),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _utc_iso(moment: datetime | None) -> str:
    """ISO 8601 in UTC to the second, e.g. ``2024-05-01T12:00:00Z``; naive means UTC."""
    if moment is None:
        moment = datetime.now(UTC)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _days(value: float | None, lang: str, missing: str) -> str:
    if value is None:
        return missing
    return format_decimal(value, 0 if float(value).is_integer() else 1, lang)


def _percentage(row: ProportionRow, text: dict[str, str], min_cell: int, lang: str) -> str:
    if row.suppressed:
        return text["suppressed"].format(n=min_cell)
    if row.proportion is None:
        return text["not_applicable"]
    result = f"{format_decimal(row.proportion * 100, 1, lang)}%"
    if row.ci_low is not None and row.ci_high is not None:
        low = format_decimal(row.ci_low * 100, 1, lang)
        high = format_decimal(row.ci_high * 100, 1, lang)
        result += f" ({low}–{high})"
    return result


def _count(text: dict[str, str], key: str, n: int) -> str:
    return text[f"{key}_1"] if n == 1 else text[f"{key}_n"].format(n=n)


def _row_variables(codebook: Codebook | None, row_id: str, lang: str) -> list[str]:
    """The codebook variables a headline row uses, as ``label (name)``."""
    if codebook is None:
        return []
    return [
        f"{variable.label[lang]} ({entity.name}.{variable.name})"
        for entity in codebook.entities.values()
        for variable in entity.variables
        if row_id in variable.used_by
    ]


def _row_groups(
    stats: CaseStatistics, text: dict[str, str], lang: str, codebook: Codebook | None
) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for row in stats.rows:
        if not groups or groups[-1]["population"] != row.population:
            label = text.get(f"population_{row.population}", row.population)
            groups.append({"population": row.population, "label": label, "rows": []})
        groups[-1]["rows"].append(
            {
                "id": row.id,
                "label": row.label.get(lang, row.id),
                "numerator": _DASH if row.numerator is None else str(row.numerator),
                "denominator": str(row.denominator),
                "unknown": str(row.unknown),
                "percentage": _percentage(row, text, stats.min_cell, lang),
                "suppressed": row.suppressed,
                "definition": row.definition.get(lang, ""),
                "variables": _row_variables(codebook, row.id, lang),
            }
        )
    return groups


def _trend_meaning(trend: TrendResult, text: dict[str, str]) -> str:
    hr = trend.hazard_ratio_per_year
    if hr is None:
        return text["trend_not_estimable"]
    if trend.ci_low is not None and trend.ci_high is not None:
        if trend.ci_low > 1:
            return text["trend_shorter"]
        if trend.ci_high < 1:
            return text["trend_longer"]
        return text["trend_unclear"]
    if hr == 1:
        return text["trend_unclear"]
    return text["trend_point_shorter"] if hr > 1 else text["trend_point_longer"]


def _trend_view(
    trend: TrendResult, text: dict[str, str], lang: str, min_cell: int
) -> dict[str, Any]:
    def number(value: float | None) -> str:
        return text["not_estimable"] if value is None else format_decimal(value, 2, lang)

    ci = (
        f"{format_decimal(trend.ci_low, 2, lang)}–{format_decimal(trend.ci_high, 2, lang)}"
        if trend.ci_low is not None and trend.ci_high is not None
        else text["not_estimable"]
    )
    return {
        "estimable": trend.hazard_ratio_per_year is not None,
        "hazard_ratio": number(trend.hazard_ratio_per_year),
        "ci": ci,
        "p_value": text["not_estimable"]
        if trend.p_value is None
        else format_p(trend.p_value, lang),
        "n": str(trend.n),
        "events": str(trend.events),
        "meaning": _trend_meaning(trend, text),
        "note": trend.note,
        "years": [
            {
                "year": str(year.year),
                "n": str(year.n),
                "events": str(year.events),
                # survival.py withholds the median of a year with fewer than min_cell victims
                "median": (
                    text["suppressed"].format(n=min_cell)
                    if year.median is None and year.n < min_cell
                    else _days(year.median, lang, text["median_not_reached"])
                ),
            }
            for year in trend.per_year
        ],
    }


def _comparison_view(
    comparison: Comparison, text: dict[str, str], lang: str, min_cell: int
) -> dict[str, Any]:
    hidden = text["suppressed"].format(n=min_cell)

    def cell(value: int | None) -> str:
        return text["suppressed_short"] if value is None else str(value)

    (a_yes, a_no), (b_yes, b_no) = comparison.table
    return {
        "id": comparison.id,
        "label": comparison.label.get(lang, comparison.id),
        "outcome": comparison.outcome.get(lang, ""),
        "group_a": comparison.group_a.get(lang, ""),
        "group_b": comparison.group_b.get(lang, ""),
        "a_yes": cell(a_yes),
        "a_no": cell(a_no),
        "b_yes": cell(b_yes),
        "b_no": cell(b_no),
        "odds_ratio": (
            hidden
            if comparison.suppressed
            else text["not_estimable"]
            if comparison.odds_ratio is None
            else format_decimal(comparison.odds_ratio, 2, lang)
        ),
        "p_value": (
            hidden
            if comparison.suppressed
            else text["not_estimable"]
            if comparison.p_value is None
            else format_p(comparison.p_value, lang)
        ),
        "suppressed": comparison.suppressed,
    }


def _summary(stats: CaseStatistics, text: dict[str, str], lang: str) -> list[str]:
    lines = [
        text["summary_cohort"].format(
            cases=_count(text, "cases", stats.n_cases),
            perpetrators=_count(text, "perpetrators", stats.n_perpetrators),
            victims=_count(text, "victims", stats.n_victims),
            version=stats.codebook_version or _DASH,
        )
    ]
    rec = stats.recruitment
    if rec.n == 0:
        lines.append(text["summary_no_recruitment"])
    elif rec.median is None:
        lines.append(text["summary_no_median"].format(n=rec.n))
    else:
        ci = ""
        if rec.ci_low is not None and rec.ci_high is not None:
            ci = text["summary_median_ci"].format(
                low=_days(rec.ci_low, lang, _DASH), high=_days(rec.ci_high, lang, _DASH)
            )
        median = _days(rec.median, lang, _DASH)
        lines.append(text["summary_median"].format(median=median, ci=ci, n=rec.n))
    trend = stats.trend
    if (
        trend.hazard_ratio_per_year is not None
        and trend.ci_low is not None
        and trend.ci_high is not None
        and trend.p_value is not None
    ):
        lines.append(
            text["summary_trend"].format(
                hr=format_decimal(trend.hazard_ratio_per_year, 2, lang),
                low=format_decimal(trend.ci_low, 2, lang),
                high=format_decimal(trend.ci_high, 2, lang),
                p=format_p(trend.p_value, lang),
                meaning=_trend_meaning(trend, text),
            )
        )
    suppressed = sum(1 for row in stats.rows if row.suppressed)
    if suppressed:
        lines.append(
            text["summary_suppressed"].format(
                count=suppressed, total=len(stats.rows), min_cell=stats.min_cell
            )
        )
    return lines


def _stats_json(stats: CaseStatistics) -> Markup:
    """``stats.to_json()`` as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where their ``\\u`` escapes
    mean the same, so ``</script>`` in a label cannot end the element.
    """
    text = json.dumps(stats.to_json(), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above for the script context


def _resolve_codebook(stats: CaseStatistics, codebook: Codebook | None) -> Codebook | None:
    if codebook is not None:
        if codebook.version != stats.codebook_version:
            raise ConfigError(
                "the codebook given for the report is not the one the statistics were made with",
                hint=f"use codebook version {stats.codebook_version or '(none)'}",
            )
        return codebook
    if not stats.codebook_version:
        return None
    try:
        return load_codebook(stats.codebook_version)
    except ConfigError:  # an external codebook: the report then names only its version
        return None


def render_report_html(
    stats: CaseStatistics,
    *,
    lang: str = "nl",
    generated_at: datetime | None = None,
    codebook: Codebook | None = None,
) -> str:
    """Render the research report as one self-contained HTML document.

    The document has no external resources (CSS inline, plots as inline SVG), is
    Dutch by default, and is byte-identical for equal ``stats``, ``lang`` and
    ``generated_at``. It embeds ``stats.to_json()`` in
    ``<script type="application/json" id="ketenbeeld-stats">``.

    Args:
        stats: the statistics to report.
        lang: ``nl`` (default) or ``en``.
        generated_at: the generation time shown in the provenance (UTC; a naive
            datetime is taken as UTC); now when ``None``.
        codebook: the codebook the statistics were made with, for the variable
            names in the methods; the built-in codebook of ``stats.codebook_version``
            when ``None``.

    Returns:
        The HTML text.

    Raises:
        InputError: ``lang`` is not supported.
        ConfigError: ``codebook`` has another version than the statistics.

    Example:
        >>> html = render_report_html(stats, lang="en")  # doctest: +SKIP
        >>> 'id="ketenbeeld-stats"' in html  # doctest: +SKIP
        True
    """
    text = _TEXT[check_lang(lang)]
    codebook = _resolve_codebook(stats, codebook)
    min_cell = stats.min_cell
    rec = stats.recruitment
    context: dict[str, Any] = {
        "lang": lang,
        "t": text,
        "summary": _summary(stats, text, lang),
        "groups": _row_groups(stats, text, lang, codebook),
        "recruitment": {
            "median": _days(rec.median, lang, text["median_not_reached"]),
            "median_ci": (
                f"{_days(rec.ci_low, lang, _DASH)}–{_days(rec.ci_high, lang, _DASH)}"
                if rec.ci_low is not None and rec.ci_high is not None
                else text["not_estimable"]
            ),
            "n": str(rec.n),
            "events": str(rec.events),
            "censored": str(rec.censored),
            "excluded": str(rec.excluded),
        },
        "trend": _trend_view(stats.trend, text, lang, min_cell),
        "comparisons": [_comparison_view(c, text, lang, min_cell) for c in stats.comparisons],
        "suppression": (
            text["m_suppression"].format(max=min_cell - 1, min_cell=min_cell)
            if min_cell > 1
            else text["m_no_suppression"].format(min_cell=min_cell)
        ),
        "provenance": {
            "codebook_version": stats.codebook_version or _DASH,
            "codebook_title": codebook.title[lang] if codebook is not None else "",
            "n_cases": str(stats.n_cases),
            "n_perpetrators": str(stats.n_perpetrators),
            "n_victims": str(stats.n_victims),
            "fingerprint": stats.fingerprint,
            "software": f"Ketenbeeld {ketenbeeld.__version__}",
            "version": ketenbeeld.__version__,
            "generated_at": _utc_iso(generated_at),
            "min_cell": str(min_cell),
        },
        "plots": {
            "proportions": Markup(proportions_svg(stats.rows, lang=lang, min_cell=min_cell)),  # noqa: S704 - our own SVG, text escaped by matplotlib
            "recruitment": Markup(recruitment_curve_svg(rec, lang=lang)),  # noqa: S704
            "trend": Markup(trend_svg(stats.trend, lang=lang, min_cell=min_cell)),  # noqa: S704
        },
        "stats_json": _stats_json(stats),
    }
    return _environment().get_template("report.html").render(context)


@contextmanager
def _atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only on success."""
    folder = path.parent
    if not folder.is_dir():
        raise InputError(
            f"cannot write {path.name}: the folder {folder} does not exist",
            hint="create the folder first or choose another output path",
        )
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _write_text(path: Path, content: str) -> None:
    with (
        _atomic_target(path) as temporary,
        temporary.open("w", encoding="utf-8", newline="\n") as stream,
    ):
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint URL fetcher that fetches nothing: the report is self-contained."""
    raise ValueError("the report must not load external resources")


def _write_pdf(path: Path, html: str) -> None:
    import weasyprint  # slow to import: only when a PDF is asked for

    # WeasyPrint warns about SVG presentation attributes it ignores and about font
    # subsetting; neither changes the PDF, and users should not see them per report.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    fetcher: Callable[..., dict[str, Any]] = _refuse_fetch
    with _atomic_target(path) as temporary:
        weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(temporary)


def write_report(
    stats: CaseStatistics,
    out_html: Path,
    *,
    pdf: Path | None = None,
    lang: str = "nl",
    generated_at: datetime | None = None,
    codebook: Codebook | None = None,
) -> ReportPaths:
    """Write the report as HTML and, if ``pdf`` is given, as PDF from the same HTML.

    Both files are written atomically (a temporary file in the same folder, then
    ``os.replace``), so an interrupted run leaves the old file or none, never half a
    report. The PDF is made by WeasyPrint, which is imported only here.

    Args:
        stats: the statistics to report.
        out_html: where to write the HTML file.
        pdf: where to write the PDF, or ``None`` for no PDF.
        lang: ``nl`` (default) or ``en``.
        generated_at: the generation time shown in the report; now when ``None``.
        codebook: see :func:`render_report_html`.

    Returns:
        The paths written.

    Raises:
        InputError: an output folder does not exist or ``lang`` is not supported.

    Example:
        >>> write_report(stats, Path("rapport.html"), pdf=Path("rapport.pdf"))  # doctest: +SKIP
        ReportPaths(html=PosixPath('rapport.html'), pdf=PosixPath('rapport.pdf'))
    """
    html = render_report_html(stats, lang=lang, generated_at=generated_at, codebook=codebook)
    _write_text(out_html, html)
    if pdf is not None:
        _write_pdf(pdf, html)
    return ReportPaths(html=out_html, pdf=pdf)
