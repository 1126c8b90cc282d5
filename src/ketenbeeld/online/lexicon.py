"""The versioned indicator lexicon (``online/data/indicators-<version>.yaml``), validated whole.

Text indicators are phrase patterns; group indicators are parameters of rules over
the ads that share a contact. Every problem in a lexicon file is reported at once.
Matching runs on a *folded* copy of the text (lower case, accents removed, one
character for one character), so a hit's offsets point into the original text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from ketenbeeld.errors import ConfigError, Problem

__all__ = [
    "GROUP_RULES",
    "GroupIndicator",
    "Lexicon",
    "TextIndicator",
    "fold",
    "load_lexicon",
    "parse_lexicon",
]

GROUP_RULES: dict[str, tuple[str, ...]] = {
    "several_names": ("min_distinct",),
    "mobility": ("min_cities", "within_days"),
    "burst": ("min_ads", "within_hours"),
    "low_price": ("below_share_of_median", "min_city_ads"),
}
"""The group indicators the code computes, and the parameters each one needs."""


class _FoldTable(dict[int, str]):
    """``str.translate`` table built on demand: a character -> its lower-case base letter."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[:1] or char
        folded = base.lower()[:1] or char
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case without accents, of exactly the same length (offsets stay valid).

    Example:
        >>> fold("Zoë NIEUW in Düsseldorf")
        'zoe nieuw in dusseldorf'
    """
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD)


@dataclass(frozen=True)
class TextIndicator:
    """A phrase indicator: its labels, explanation, weight and compiled patterns."""

    name: str
    label: dict[str, str]
    explanation: dict[str, str]
    weight: float
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class GroupIndicator:
    """A rule over the ads sharing a contact, with its parameters."""

    name: str
    label: dict[str, str]
    explanation: dict[str, str]
    weight: float
    params: dict[str, float]


@dataclass(frozen=True)
class Lexicon:
    """A loaded lexicon: ``version``, text and group indicators by name."""

    version: str
    text: dict[str, TextIndicator]
    group: dict[str, GroupIndicator]

    def weight(self, name: str) -> float:
        """The weight of any indicator by name."""
        item = self.text.get(name) or self.group.get(name)
        if item is None:
            raise KeyError(name)
        return item.weight


def _texts(raw: Any, where: str, key: str, problems: list[Problem], source: str) -> dict[str, str]:
    if (
        not isinstance(raw, dict)
        or set(raw) != {"nl", "en"}
        or not all(isinstance(v, str) and v.strip() for v in raw.values())
    ):
        problems.append(Problem(source, where, key, "needs a Dutch (nl) and an English (en) text"))
        return {}
    return {str(k): str(v) for k, v in raw.items()}


def _number(raw: Any) -> TypeGuard[int | float]:
    """Whether ``raw`` is a finite number (not a bool, NaN or infinity)."""
    if not isinstance(raw, int | float) or isinstance(raw, bool):
        return False
    try:
        return math.isfinite(float(raw))
    except OverflowError:  # an integer of hundreds of digits
        return False


def _mapping(raw: Any, key: str, problems: list[Problem], source: str) -> dict[Any, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(source, "", key, "must be a mapping of indicator names"))
        return {}
    return raw


def _weight(raw: Any, where: str, problems: list[Problem], source: str) -> float:
    if not _number(raw) or raw < 0:
        problems.append(Problem(source, where, "weight", "must be a number of 0 or more"))
        return 0.0
    return float(raw)


def parse_lexicon(raw: Any, source: str) -> Lexicon:
    """Validate a lexicon given as parsed YAML; raise one error listing every problem."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a lexicon must be a mapping with version, text and group")
    problems: list[Problem] = []
    version = raw.get("version")
    if not isinstance(version, str | int) or isinstance(version, bool) or not str(version):
        problems.append(Problem(source, "", "version", 'is required, e.g. "1"'))
    text: dict[str, TextIndicator] = {}
    for name, item in _mapping(raw.get("text"), "text", problems, source).items():
        where = f"text.{name}"
        if not isinstance(item, dict):
            problems.append(Problem(source, where, "", "must be a mapping"))
            continue
        compiled = []
        patterns = item.get("patterns")
        if not isinstance(patterns, list) or not patterns:
            problems.append(Problem(source, where, "patterns", "must list one or more patterns"))
            patterns = []
        for number, pattern in enumerate(patterns, start=1):
            try:
                if not isinstance(pattern, str):
                    raise TypeError("a pattern must be text")
                compiled.append(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)"))
            except (re.error, TypeError, OverflowError, RecursionError):
                problems.append(
                    Problem(source, where, f"patterns[{number}]", "is not a regular expression")
                )
        text[str(name)] = TextIndicator(
            str(name),
            _texts(item.get("label"), where, "label", problems, source),
            _texts(item.get("explanation"), where, "explanation", problems, source),
            _weight(item.get("weight"), where, problems, source),
            tuple(compiled),
        )
    group: dict[str, GroupIndicator] = {}
    for name, item in _mapping(raw.get("group"), "group", problems, source).items():
        where = f"group.{name}"
        if name not in GROUP_RULES:
            problems.append(
                Problem(source, where, "", f"is not a known rule ({', '.join(GROUP_RULES)})")
            )
            continue
        if not isinstance(item, dict):
            problems.append(Problem(source, where, "", "must be a mapping"))
            continue
        params: dict[str, float] = {}
        for key in GROUP_RULES[name]:
            value = item.get(key)
            if not _number(value) or value <= 0:
                problems.append(Problem(source, where, key, "must be a number above 0"))
            else:
                params[key] = float(value)
        group[str(name)] = GroupIndicator(
            str(name),
            _texts(item.get("label"), where, "label", problems, source),
            _texts(item.get("explanation"), where, "explanation", problems, source),
            _weight(item.get("weight"), where, problems, source),
            params,
        )
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise ConfigError(f"the lexicon {source} has {len(problems)} problem(s):\n{listing}")
    return Lexicon(str(version), text, group)


@cache
def _builtin(version: str) -> Lexicon:
    name = f"indicators-{version}.yaml"
    try:
        data = resources.files("ketenbeeld.online").joinpath("data", name).read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"there is no built-in indicator lexicon version {version}") from None
    return parse_lexicon(yaml.safe_load(data), name)


def load_lexicon(version_or_path: str | Path = "1") -> Lexicon:
    """The built-in lexicon of a version (``"1"``) or a lexicon YAML file."""
    path = Path(version_or_path)
    if path.suffix in (".yaml", ".yml"):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"the lexicon file {path} does not exist") from None
        except (OSError, UnicodeDecodeError):
            raise ConfigError(f"the lexicon file {path} cannot be read as UTF-8 text") from None
        except (yaml.YAMLError, ValueError, RecursionError):
            # PyYAML raises ValueError for an impossible date (2019-02-30) or a bad
            # !!int, and RecursionError for nesting too deep.
            raise ConfigError(f"the lexicon file {path} is not valid YAML") from None
        return parse_lexicon(raw, path.name)
    return _builtin(str(version_or_path))
