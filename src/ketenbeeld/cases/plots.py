"""Plots of the case statistics as inline SVG strings for the research report.

Every function returns an ``<svg>`` element (no XML declaration, no DOCTYPE, no
metadata) that embeds directly in HTML. The SVG is byte-identical for equal input:
matplotlib's clip-path hashes are salted with a fixed string, the date metadata is
dropped, and element ids carry a per-plot prefix so several plots can live in one
HTML page without id clashes. Text stays text (``svg.fonttype = none``), so the
labels are searchable and readable by assistive technology; every SVG has a
``<title>``, a ``<desc>`` and ``role="img"`` with an ``aria-label``.

Figures are built with :class:`matplotlib.figure.Figure` directly, never through
``pyplot``, so no global backend or figure registry is touched.

This module also holds what the plots share with the report: the language check and
the number formats. The user-facing texts are versioned data
(``data/report-text-<version>.yaml``, :func:`ketenbeeld.cases.texts.load_report_text`)
validated as a whole on first use.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from html import escape

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ketenbeeld.cases.results import CurvePoint, ProportionRow, RecruitmentSummary, TrendResult
from ketenbeeld.cases.texts import TEXT_LANGUAGES, load_report_text
from ketenbeeld.errors import InputError

__all__ = [
    "LANGUAGES",
    "check_lang",
    "format_days",
    "format_decimal",
    "format_p",
    "proportions_svg",
    "recruitment_curve_svg",
    "trend_svg",
]

#: The report languages: those of the versioned texts.
LANGUAGES = TEXT_LANGUAGES

_WIDTH_IN = 6.6  # fits the text width of A4 with 16 mm margins
_SALT = "ketenbeeld-report"
_COLORS = {"perpetrators": "#1f5f99", "victims": "#b3541e", "other": "#555555"}
_GREY = "#6b6b6b"


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported report language, else raise InputError."""
    if lang not in LANGUAGES:
        raise InputError(
            "the report language is not supported", hint=f"use one of {', '.join(LANGUAGES)}"
        )
    return lang


def _text(lang: str) -> dict[str, str]:
    return load_report_text().language("plots", check_lang(lang))


def format_decimal(value: float, decimals: int, lang: str) -> str:
    """Format a number with a fixed number of decimals: decimal comma in Dutch.

    Example:
        >>> format_decimal(72.04, 1, "nl"), format_decimal(72.04, 1, "en")
        ('72,0', '72.0')
    """
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if math.isnan(value):
        return "–"
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # no "-0.0"
    return text.replace(".", ",") if lang == "nl" else text


def format_p(p: float, lang: str) -> str:
    """Format a p-value: three decimals, or ``p < 0.001``.

    Example:
        >>> format_p(0.0712, "nl"), format_p(0.00002, "en")
        ('p = 0,071', 'p < 0.001')
    """
    if p < 0.001:
        return f"p < {format_decimal(0.001, 3, lang)}"
    return f"p = {format_decimal(p, 3, lang)}"


def format_days(value: float | None, lang: str, missing: str = "–") -> str:
    """Format days: a whole number when whole, else one decimal; ``missing`` for ``None``.

    Example:
        >>> format_days(14.0, "nl"), format_days(7.5, "nl"), format_days(None, "en", "n/a")
        ('14', '7,5', 'n/a')
    """
    if value is None:
        return missing
    return format_decimal(value, 0 if float(value).is_integer() else 1, lang)


def _rc_context() -> AbstractContextManager[None]:
    """matplotlib settings of every plot: text as text, fixed hash salt, small fonts."""
    return matplotlib.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": _SALT,
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans"],
            "font.size": 8.5,
            "axes.titlesize": 9.5,
            "axes.labelsize": 8.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.fontsize": 7.5,
            "legend.frameon": False,
        }
    )


@contextmanager
def _figure(height_in: float) -> Iterator[Figure]:
    with _rc_context():
        yield Figure(figsize=(_WIDTH_IN, height_in), layout="constrained")


def _svg(fig: Figure, *, title: str, description: str, id_prefix: str) -> str:
    """Serialise ``fig`` to an embeddable, reproducible, accessible ``<svg>`` element."""
    buffer = io.StringIO()
    with _rc_context():
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and DOCTYPE
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))

    def prefix(match: re.Match[str]) -> str:
        name = match.group(2)
        return f"{match.group(1)}{id_prefix}-{name}" if name in ids else match.group(0)

    svg = re.sub(r'(\bid="|href="#|url\(#)([^")]+)', prefix, svg)
    label = escape(title, quote=True)
    svg = re.sub(
        r"<svg ([^>]*)>",
        lambda m: (
            f'<svg {m.group(1)} class="kb-plot" role="img" aria-label="{label}">'
            f"\n <title>{escape(title)}</title>\n <desc>{escape(description)}</desc>"
        ),
        svg,
        count=1,
    )
    return svg.strip() + "\n"


def _no_data(title: str, lang: str, id_prefix: str) -> str:
    with _figure(1.2) as fig:
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_title(title, loc="left")
        no_data = _text(lang)["no_data"]
        ax.text(0.5, 0.45, no_data, ha="center", va="center", color=_GREY, fontsize=10)
        return _svg(fig, title=title, description=no_data, id_prefix=id_prefix)


def proportions_svg(
    rows: Sequence[ProportionRow],
    *,
    lang: str = "nl",
    min_cell: int = 0,
    id_prefix: str = "kb-proportions",
) -> str:
    """The headline table as a dot-and-whisker chart of percentages with Wilson CIs.

    Args:
        rows: the headline rows, drawn top to bottom in this order.
        lang: ``nl`` or ``en`` for all labels.
        min_cell: the suppression threshold, shown as "suppressed (< N)".
        id_prefix: prefix of every element id in the SVG (unique per page).

    Returns:
        An ``<svg>`` element; suppressed rows carry the text "onderdrukt"/"suppressed",
        and an empty ``rows`` gives a "no data" figure.

    Example:
        >>> proportions_svg([], lang="en").startswith("<svg")
        True
    """
    text = _text(lang)
    title = text["proportions_title"]
    if not rows:
        return _no_data(title, lang, id_prefix)
    with _figure(0.9 + 0.34 * len(rows)) as fig:
        ax = fig.add_subplot()
        positions = list(range(len(rows)))[::-1]
        seen: set[str] = set()
        for y, row in zip(positions, rows, strict=True):
            color = _COLORS.get(row.population, _COLORS["other"])
            if row.suppressed:
                ax.text(
                    1,
                    y,
                    text["suppressed"].format(n=min_cell),
                    va="center",
                    color=_GREY,
                    style="italic",
                )
                continue
            if row.proportion is None:
                ax.text(1, y, text["no_denominator"], va="center", color=_GREY, style="italic")
                continue
            legend = text.get(row.population) if row.population not in seen else None
            seen.add(row.population)
            if row.ci_low is not None and row.ci_high is not None:
                ax.hlines(y, row.ci_low * 100, row.ci_high * 100, color=color, linewidth=1.6)
            ax.plot(row.proportion * 100, y, "o", color=color, markersize=5, label=legend)
        labels = [
            # no-break spaces keep "(n = 25)" together when the label wraps
            "\n".join(
                textwrap.wrap(
                    f"{row.label.get(lang, row.id)} (n\u00a0=\u00a0{row.denominator})", 46
                )
            )
            for row in rows
        ]
        ax.set_yticks(positions, labels)
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(text["percent_axis"])
        if seen:
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(seen))
        description = text["desc_proportions"].format(n=len(rows))
        return _svg(fig, title=title, description=description, id_prefix=id_prefix)


def _curve_points(curve: Sequence[CurvePoint]) -> list[CurvePoint]:
    points = sorted(curve, key=lambda p: p.days)
    if not points or points[0].days > 0:
        points.insert(0, CurvePoint(days=0.0, survival=1.0, ci_low=1.0, ci_high=1.0))
    return points


def recruitment_curve_svg(
    recruitment: RecruitmentSummary,
    *,
    lang: str = "nl",
    max_days: float = 180,
    id_prefix: str = "kb-recruitment",
) -> str:
    """The Kaplan-Meier curve of the recruitment period with its 95% band and median.

    The curve shows the share of victims not yet forced into sex work against days
    since first contact. The x axis ends at ``max_days`` (with a note saying so) when
    the curve runs longer, so the first weeks, where most events happen, stay readable.

    Args:
        recruitment: the Kaplan-Meier summary with its curve.
        lang: ``nl`` or ``en``.
        max_days: longest x axis in days.
        id_prefix: prefix of every element id in the SVG.

    Returns:
        An ``<svg>`` element; a "no data" figure when there is no curve.

    Example:
        >>> from ketenbeeld.cases.results import RecruitmentSummary
        >>> empty = RecruitmentSummary(None, None, None, n=0, censored=0, events=0, excluded=0)
        >>> "Geen gegevens" in recruitment_curve_svg(empty)
        True
    """
    text = _text(lang)
    title = text["km_title"]
    if recruitment.n == 0 or not recruitment.curve:
        return _no_data(title, lang, id_prefix)
    points = _curve_points(recruitment.curve)
    days = [p.days for p in points]
    last = days[-1]
    with _figure(3.0) as fig:
        ax = fig.add_subplot()
        ax.fill_between(
            days,
            [p.ci_low * 100 for p in points],
            [p.ci_high * 100 for p in points],
            step="post",
            color=_COLORS["victims"],
            alpha=0.18,
            linewidth=0,
            label=text["ci_band"],
        )
        ax.step(
            days,
            [p.survival * 100 for p in points],
            where="post",
            color=_COLORS["victims"],
            linewidth=1.6,
            label=text["km_curve"],
        )
        right = max(last * 1.05, 7.0)
        truncated = right > max_days
        right = min(right, max_days)
        ax.set_xlim(0, right)
        ax.set_ylim(0, 102)
        if recruitment.median is not None:
            median = recruitment.median
            if recruitment.ci_low is not None and recruitment.ci_high is not None:
                label = text["median_ci"].format(
                    days=format_days(median, lang),
                    low=format_days(recruitment.ci_low, lang),
                    high=format_days(recruitment.ci_high, lang),
                )
            else:
                label = text["median"].format(days=format_days(median, lang))
            ax.plot([0, median], [50, 50], linestyle="--", color=_GREY, linewidth=0.9)
            ax.plot([median, median], [0, 50], linestyle="--", color=_GREY, linewidth=0.9)
            ax.annotate(
                label,
                xy=(min(median, right), 50),
                xytext=(6, 6),
                textcoords="offset points",
                color="#222222",
            )
        else:
            label = text["median_not_reached"]
            ax.text(0.98, 0.95, label, transform=ax.transAxes, ha="right", color=_GREY)
        if truncated:
            ax.text(
                1.0,
                -0.22,
                text["truncated"].format(
                    max=format_days(max_days, lang), last=format_days(last, lang)
                ),
                transform=ax.transAxes,
                ha="right",
                va="top",
                color=_GREY,
                fontsize=7.5,
            )
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(text["days_axis"])
        ax.set_ylabel(text["share_axis"])
        ax.grid(color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.88))
        description = text["desc_km"].format(n=recruitment.n, median=label)
        return _svg(fig, title=title, description=description, id_prefix=id_prefix)


def _hr_text(trend: TrendResult, lang: str) -> str:
    text = _text(lang)
    if trend.hazard_ratio_per_year is None:
        return text["hr_missing"]
    hr = format_decimal(trend.hazard_ratio_per_year, 2, lang)
    if trend.ci_low is None or trend.ci_high is None or trend.p_value is None:
        return text["hr_no_ci"].format(hr=hr)
    return text["hr"].format(
        hr=hr,
        low=format_decimal(trend.ci_low, 2, lang),
        high=format_decimal(trend.ci_high, 2, lang),
        p=format_p(trend.p_value, lang),
    )


def trend_svg(
    trend: TrendResult, *, lang: str = "nl", min_cell: int = 0, id_prefix: str = "kb-trend"
) -> str:
    """The trend: Kaplan-Meier median per year of first contact, sized by n, with the HR.

    Years whose curve never reaches one half are drawn as open triangles at the top;
    suppressed years (fewer than ``min_cell`` victims, median withheld) are marked
    "suppressed (< min_cell)" at the bottom.

    Args:
        trend: the Cox trend result with its per-year summaries.
        lang: ``nl`` or ``en``.
        min_cell: the suppression threshold the statistics were computed with.
        id_prefix: prefix of every element id in the SVG.

    Returns:
        An ``<svg>`` element; a "no data" figure when there are no years.

    Example:
        >>> from ketenbeeld.cases.results import TrendResult
        >>> empty = TrendResult("cox_ph_year", None, None, None, None, n=0, events=0)
        >>> "No data" in trend_svg(empty, lang="en")
        True
    """
    text = _text(lang)
    title = text["trend_title"]
    years = [y for y in trend.per_year if y.n > 0]
    if not years:
        return _no_data(title, lang, id_prefix)
    hr_text = _hr_text(trend, lang)
    with _figure(2.9) as fig:
        ax = fig.add_subplot()
        max_n = max(y.n for y in years)
        known = [(y, y.median) for y in years if y.median is not None]
        top = max([median for _y, median in known] + [7.0]) * 1.25
        scale = 260.0 / max_n
        if known:
            ax.scatter(
                [y.year for y, _median in known],
                [median for _y, median in known],
                s=[30 + scale * y.n for y, _median in known],
                color=_COLORS["victims"],
                alpha=0.8,
                edgecolors="white",
                linewidths=0.8,
                zorder=3,
            )
        hidden = [y for y in years if y.suppressed]
        unknown = [y for y in years if y.median is None and not y.suppressed]
        if unknown:
            ax.scatter(
                [y.year for y in unknown],
                [top * 0.96] * len(unknown),
                s=[30 + scale * y.n for y in unknown],
                marker="^",
                facecolors="none",
                edgecolors=_GREY,
                zorder=3,
                clip_on=False,
                label=text["not_reached_marker"],
            )
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        for y in hidden:
            ax.text(
                y.year,
                top * 0.03,
                text["suppressed"].format(n=min_cell),
                ha="center",
                va="bottom",
                fontsize=7,
                color=_GREY,
                style="italic",
            )
        for y in years:
            if y in hidden:
                continue
            # above a point (the axis has 25% headroom), below a triangle at the top
            above = y.median is not None
            ax.annotate(
                f"n = {y.n}",
                xy=(y.year, y.median if y.median is not None else top * 0.96),
                xytext=(0, 11 if above else -11),
                textcoords="offset points",
                ha="center",
                va="bottom" if above else "top",
                fontsize=7,
                color=_GREY,
            )
        first, last = min(y.year for y in years), max(y.year for y in years)
        ax.set_xlim(first - 0.7, last + 0.7)
        ax.set_ylim(0, top)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}"))
        ax.set_xlabel(text["year_axis"])
        ax.set_ylabel(text["median_axis"])
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(f"{hr_text}; {text['size_note']}", loc="left", fontsize=8, color="#222222")
        description = text["desc_trend"].format(hr=hr_text)
        return _svg(fig, title=title, description=description, id_prefix=id_prefix)
