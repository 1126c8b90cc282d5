"""The codebook: versioned definition of every coded variable.

The codebook is data (``cases/data/codebook-<version>.yaml``). It is validated as a
whole when loaded, and every problem in it is reported at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ketenbeeld.errors import ConfigError, Problem

__all__ = [
    "CURRENT_CODEBOOK_VERSION",
    "Codebook",
    "Entity",
    "Variable",
    "load_codebook",
]

CURRENT_CODEBOOK_VERSION = "1"
ENTITY_NAMES = ("case", "perpetrator", "victim")
VARIABLE_TYPES = ("string", "integer", "boolean", "date", "enum", "enum_list", "ref_list")


@dataclass(frozen=True)
class Variable:
    """One coded variable.

    Attributes:
        name: field name in the coded-case format.
        type: one of ``string, integer, boolean, date, enum, enum_list, ref_list``.
        label: Dutch and English label, keyed ``nl`` and ``en``.
        description: what the variable means, in English.
        required: whether a record must give a (non-null) value.
        values: allowed values of an enum or enum_list, in codebook order.
        value_labels: per value, the Dutch and English label.
        value_attrs: per value, extra attributes (e.g. ``channel`` of a platform).
        minimum / maximum: bounds of an integer.
        pattern: regular expression a string must match in full.
        pattern_help: the pattern in words, for error messages.
        max_length: longest allowed string.
        ref: for ``ref_list``, the entity whose keys the items must name.
        used_by: the statistics that use this variable.
    """

    name: str
    type: str
    label: dict[str, str]
    description: str
    required: bool = False
    values: tuple[str, ...] = ()
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    value_attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    pattern_help: str | None = None
    max_length: int | None = None
    ref: str | None = None
    used_by: tuple[str, ...] = ()

    def allowed(self) -> str:
        """What values are allowed, in words (for error messages)."""
        if self.type in ("enum", "enum_list"):
            prefix = "one of" if self.type == "enum" else "a list of"
            return f"{prefix} {', '.join(self.values)}"
        if self.type == "integer":
            return f"a whole number from {self.minimum} to {self.maximum}"
        if self.type == "boolean":
            return "true, false or null"
        if self.type == "date":
            return "an ISO date YYYY-MM-DD, YYYY-MM or YYYY"
        if self.type == "ref_list":
            return f"a list of {self.ref} ids of the same case"
        if self.pattern:
            return self.pattern_help or "text matching the codebook's pattern"
        return f"text of at most {self.max_length} characters"


@dataclass(frozen=True)
class Entity:
    """A kind of coded record: the case itself, a perpetrator or a victim."""

    name: str
    label: dict[str, str]
    key: str
    list_name: str | None
    variables: tuple[Variable, ...]

    _by_name: dict[str, Variable] = field(init=False, repr=False, compare=False)
    _names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Validation looks variables up by name for every field of every record.
        object.__setattr__(self, "_by_name", {v.name: v for v in self.variables})
        object.__setattr__(self, "_names", frozenset(self._by_name))

    @property
    def names(self) -> frozenset[str]:
        """The names of this entity's variables."""
        return self._names

    def variable(self, name: str) -> Variable | None:
        """The variable called ``name``, or ``None``."""
        return self._by_name.get(name)


@dataclass(frozen=True)
class Codebook:
    """A loaded, validated codebook."""

    version: str
    title: dict[str, str]
    entities: dict[str, Entity]
    source: str

    @property
    def case(self) -> Entity:
        return self.entities["case"]

    @property
    def perpetrator(self) -> Entity:
        return self.entities["perpetrator"]

    @property
    def victim(self) -> Entity:
        return self.entities["victim"]


def _labels(raw: Any, where: str, problems: list[Problem], source: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(lang), str) and raw.get(lang) for lang in ("nl", "en")
    ):
        problems.append(
            Problem(source, where, "label", "needs a Dutch (nl) and English (en) label")
        )
        return {"nl": "", "en": ""}
    return {"nl": str(raw["nl"]), "en": str(raw["en"])}


def _parse_variable(raw: Any, where: str, problems: list[Problem], source: str) -> Variable | None:
    if not isinstance(raw, dict):
        problems.append(Problem(source, where, "", "a variable must be a mapping"))
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        problems.append(Problem(source, where, "name", "needs a snake_case name"))
        return None
    where = f"{where} ({name})"
    vtype = raw.get("type")
    if vtype not in VARIABLE_TYPES:
        problems.append(
            Problem(source, where, "type", f"must be one of {', '.join(VARIABLE_TYPES)}")
        )
        return None
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.append(Problem(source, where, "description", "needs a description"))
    values: list[str] = []
    value_labels: dict[str, dict[str, str]] = {}
    value_attrs: dict[str, dict[str, str]] = {}
    if vtype in ("enum", "enum_list"):
        raw_values = raw.get("values")
        if not isinstance(raw_values, list) or not raw_values:
            problems.append(Problem(source, where, "values", "an enum needs a list of values"))
        else:
            for item in raw_values:
                if not isinstance(item, dict) or not isinstance(item.get("value"), str):
                    problems.append(Problem(source, where, "values", "each value needs `value`"))
                    continue
                value = item["value"]
                if value in values:
                    problems.append(
                        Problem(source, where, "values", f"value {value} is listed twice")
                    )
                values.append(value)
                value_labels[value] = _labels(item, f"{where} value {value}", problems, source)
                value_attrs[value] = {
                    k: str(v) for k, v in item.items() if k not in ("value", "nl", "en")
                }
    minimum = raw.get("min")
    maximum = raw.get("max")
    if vtype == "integer" and not (isinstance(minimum, int) and isinstance(maximum, int)):
        problems.append(Problem(source, where, "min/max", "an integer needs whole-number bounds"))
    pattern = raw.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError, OverflowError, RecursionError):
            problems.append(Problem(source, where, "pattern", "is not a valid regular expression"))
            pattern = None
    max_length = raw.get("max_length", 200 if vtype == "string" else None)
    if max_length is not None and (
        not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 0
    ):
        problems.append(Problem(source, where, "max_length", "must be a whole number"))
        max_length = None
    ref = raw.get("ref")
    if vtype == "ref_list" and ref not in ENTITY_NAMES:
        problems.append(
            Problem(source, where, "ref", f"must name one of {', '.join(ENTITY_NAMES)}")
        )
    used_by = raw.get("used_by", [])
    if not isinstance(used_by, list):
        problems.append(Problem(source, where, "used_by", "must be a list of statistic ids"))
        used_by = []
    return Variable(
        name=name,
        type=vtype,
        label=_labels(raw.get("label"), where, problems, source),
        description=str(description or ""),
        required=bool(raw.get("required", False)),
        values=tuple(values),
        value_labels=value_labels,
        value_attrs=value_attrs,
        minimum=minimum if isinstance(minimum, int) else None,
        maximum=maximum if isinstance(maximum, int) else None,
        pattern=pattern,
        pattern_help=str(raw["pattern_help"]) if raw.get("pattern_help") else None,
        max_length=max_length,
        ref=ref,
        used_by=tuple(str(u) for u in used_by),
    )


def parse_codebook(raw: Any, source: str) -> Codebook:
    """Validate a codebook given as parsed YAML; raise one error listing every problem.

    Raises:
        ConfigError: the codebook is invalid; the message lists every problem.
    """
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: a codebook must be a mapping with version and entities")
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        problems.append(Problem(source, "", "version", "needs a version string"))
    entities: dict[str, Entity] = {}
    raw_entities = raw.get("entities") or {}
    for entity_name in ENTITY_NAMES:
        raw_entity = raw_entities.get(entity_name) if isinstance(raw_entities, dict) else None
        if not isinstance(raw_entity, dict):
            problems.append(Problem(source, f"entity {entity_name}", "", "is missing"))
            continue
        variables: list[Variable] = []
        raw_variables = raw_entity.get("variables") or []
        if not isinstance(raw_variables, list):
            problems.append(Problem(source, f"entity {entity_name}", "variables", "must be a list"))
            raw_variables = []
        for index, raw_var in enumerate(raw_variables, start=1):
            parsed = _parse_variable(
                raw_var, f"entity {entity_name} variable {index}", problems, source
            )
            if parsed is None:
                continue
            if any(v.name == parsed.name for v in variables):
                problems.append(
                    Problem(source, f"entity {entity_name}", parsed.name, "is defined twice")
                )
            variables.append(parsed)
        key = raw_entity.get("key")
        if not any(v.name == key and v.required for v in variables):
            problems.append(
                Problem(source, f"entity {entity_name}", "key", "must name a required variable")
            )
        entities[entity_name] = Entity(
            name=entity_name,
            label=_labels(raw_entity.get("label"), f"entity {entity_name}", problems, source),
            key=str(key),
            list_name=str(raw_entity["list"]) if raw_entity.get("list") else None,
            variables=tuple(variables),
        )
    title = _labels(raw.get("title"), "title", problems, source)
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise ConfigError(f"the codebook has {len(problems)} problem(s):\n{listing}")
    return Codebook(version=str(version), title=title, entities=entities, source=source)


@cache
def _builtin(version: str) -> Codebook:
    name = f"codebook-{version}.yaml"
    resource = resources.files("ketenbeeld.cases").joinpath("data").joinpath(name)
    if not resource.is_file():
        raise ConfigError(
            f"codebook version {version} is unknown",
            hint=f"this Ketenbeeld knows version {CURRENT_CODEBOOK_VERSION}",
        )
    return parse_codebook(yaml.safe_load(resource.read_text("utf-8")), name)


def load_codebook(version_or_path: str | Path = CURRENT_CODEBOOK_VERSION) -> Codebook:
    """Load a built-in codebook by version (``"1"``) or a codebook file by path.

    Example:
        >>> load_codebook().version
        '1'
    """
    if isinstance(version_or_path, Path) or str(version_or_path).endswith((".yaml", ".yml")):
        path = Path(version_or_path)
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read codebook {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ConfigError(
                f"cannot read codebook {path}: not UTF-8 text", hint="save the file as UTF-8"
            ) from None
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark is not None else ""
            raise ConfigError(f"codebook {path}{line}: not valid YAML") from None
        except (ValueError, RecursionError):
            # PyYAML raises these for an impossible date (2019-02-30), a bad !!int or
            # !!float, or nesting too deep.
            raise ConfigError(
                f"codebook {path}: not valid YAML (an impossible date or number, or "
                "nesting too deep)"
            ) from None
        return parse_codebook(raw, path.name)
    return _builtin(str(version_or_path))
