"""Name and address tables of the synthetic population, and draws shared by its modules.

The tables are data (``synth/data/dutch_names.yaml``), loaded once on first use and
checked up front, reporting every problem at once. SYNTHETIC DATA ONLY.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import yaml

from ketenbeeld.errors import ConfigError, InputError, Problem

__all__ = ["NameTables", "check_whole", "draw_addresses", "load_name_tables", "weights", "zipf"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_POSTCODE_LETTERS: Final = "ABCDEGHJKLMNPRSTVWXZ"  # F, I, O, Q, U and Y are not used
_POSTCODE_PAIRS: Final = tuple(
    a + b
    for a in _POSTCODE_LETTERS
    for b in _POSTCODE_LETTERS
    if a + b not in ("SA", "SD", "SS")  # not used in Dutch postcodes
)


@dataclass(frozen=True)
class NameTables:
    """The checked tables of ``dutch_names.yaml``, ready for drawing."""

    first_names: Mapping[str, tuple[str, ...]]  # "m" and "v", most common first
    nicknames: Mapping[str, tuple[str, ...]]
    surnames: tuple[tuple[str, str], ...]  # (prefix, core), most common first
    starts: tuple[str, ...]
    middles: tuple[str, ...]
    ends: tuple[str, ...]  # place-like endings first
    n_place_ends: int
    abbreviations: Mapping[str, tuple[str, ...]]  # prefix -> abbreviations
    cities: tuple[str, ...]
    city_weights: tuple[float, ...]
    city_areas: tuple[tuple[int, ...], ...]
    aliases: Mapping[str, tuple[str, ...]]


def _strings(raw: Any, where: str, problems: list[Problem]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw) or not raw:
        problems.append(Problem("dutch_names.yaml", "", where, "must be a list of texts"))
        return ()
    return tuple(raw)


def parse_name_tables(raw: Any) -> NameTables:
    """Check the name tables, reporting all problems at once."""
    problems: list[Problem] = []
    raw = raw if isinstance(raw, dict) else {}
    if raw.get("version") != 1:
        problems.append(Problem("dutch_names.yaml", "", "version", "must be 1"))
    first = raw.get("first_names") or {}
    names = {g: _strings(first.get(g), f"first_names.{g}", problems) for g in ("m", "v")}
    nick = raw.get("nicknames") or {}
    nicknames = {k: _strings(v, f"nicknames.{k}", problems) for k, v in nick.items()}
    prefix_raw = raw.get("prefixes") or {}
    abbreviations = {
        k: tuple(v or ()) for k, v in sorted(prefix_raw.items(), key=lambda kv: -len(kv[0]))
    }
    surnames: list[tuple[str, str]] = []
    for full in _strings(raw.get("surnames"), "surnames", problems):
        prefix = next((p for p in abbreviations if full.startswith(p + " ")), "")
        surnames.append((prefix, full[len(prefix) + 1 :] if prefix else full))
    parts = raw.get("surname_parts") or {}
    starts = _strings(parts.get("starts"), "surname_parts.starts", problems)
    middles = _strings(parts.get("middles"), "surname_parts.middles", problems)
    place = _strings(parts.get("ends_place"), "surname_parts.ends_place", problems)
    plain = _strings(parts.get("ends_plain"), "surname_parts.ends_plain", problems)
    cities: list[str] = []
    weights: list[float] = []
    areas: list[tuple[int, ...]] = []
    aliases: dict[str, tuple[str, ...]] = {}
    for index, city in enumerate(raw.get("cities") or []):
        try:
            cities.append(str(city["name"]))
            weights.append(float(city["weight"]))
            areas.append(tuple(a for lo, hi in city["postcodes"] for a in range(lo, hi + 1)))
            aliases[cities[-1]] = tuple(city.get("aliases", ()))
        except (KeyError, TypeError, ValueError):
            problems.append(Problem("dutch_names.yaml", f"city {index + 1}", "", "is malformed"))
    if not cities or len({a for c in areas for a in c}) != sum(map(len, areas)):
        problems.append(Problem("dutch_names.yaml", "", "cities", "missing, or areas overlap"))
    if problems:
        details = "; ".join(str(p) for p in problems)
        raise ConfigError(f"the synthetic name tables are invalid: {details}")
    return NameTables(
        first_names=names,
        nicknames=nicknames,
        surnames=tuple(surnames),
        starts=starts,
        middles=middles,
        ends=place + plain,
        n_place_ends=len(place),
        abbreviations=abbreviations,
        cities=tuple(cities),
        city_weights=tuple(weights),
        city_areas=tuple(areas),
        aliases=aliases,
    )


@cache
def load_name_tables() -> NameTables:
    """The packaged tables, read and checked once."""
    resource = resources.files("ketenbeeld.synth").joinpath("data", "dutch_names.yaml")
    try:
        return parse_name_tables(yaml.safe_load(resource.read_text("utf-8")))
    except yaml.YAMLError as exc:
        raise ConfigError("synth/data/dutch_names.yaml is not valid YAML") from exc


def zipf(size: int, exponent: float, offset: float) -> FloatArray:
    """Probabilities of ranks 1..size, proportional to ``1 / (rank + offset) ** exponent``."""
    return weights(1.0 / (np.arange(1, size + 1, dtype=np.float64) + offset) ** exponent)


def weights(values: Sequence[float] | FloatArray) -> FloatArray:
    """``values`` scaled to sum to 1."""
    p: FloatArray = np.asarray(values, dtype=np.float64)
    scaled: FloatArray = p / p.sum()
    return scaled


def draw_addresses(
    rng: np.random.Generator, t: NameTables, cities: IntArray
) -> list[tuple[str, str, str]]:
    """``(postcode, house_number, city)`` per city index: a random area and letters.

    House numbers are 1-450, skewed low; 8 % have a letter (``12a``), 5 % a floor or
    door number (``12-2``).
    """
    size = len(cities)
    pairs = _POSTCODE_PAIRS
    letters = rng.integers(0, len(pairs), size=size).tolist()
    area_u = rng.random(size).tolist()
    numbers = np.minimum(1 + np.floor(rng.exponential(40.0, size=size)), 450).astype(np.int64)
    addition_u = rng.random(size).tolist()
    out: list[tuple[str, str, str]] = []
    for c, pair, u, number, v in zip(
        cities.tolist(), letters, area_u, numbers.tolist(), addition_u, strict=True
    ):
        areas = t.city_areas[c]
        addition = "abcd"[int(v / 0.08 * 4)] if v < 0.08 else f"-{1 + int((v - 0.08) / 0.05 * 4)}"
        house = f"{number}{addition}" if v < 0.13 else str(number)
        out.append((f"{areas[int(u * len(areas))]} {pairs[pair]}", house, t.cities[c]))
    return out


def check_whole(name: str, value: object) -> None:
    """Raise :class:`InputError` unless ``value`` is an int of 0 or more (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{name} must be a whole number of 0 or more")
