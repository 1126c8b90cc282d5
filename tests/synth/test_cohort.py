"""Tests of the seeded synthetic cohort generator (ketenbeeld.synth.cohort)."""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.model import CodedCase
from ketenbeeld.cases.validate import validate_case
from ketenbeeld.errors import InputError
from ketenbeeld.synth import generate_cohort, generate_cohort_cases, write_cohort_jsonl

LARGE_N = 3000
LARGE_SEED = 1


@pytest.fixture(scope="module")
def large() -> list[dict[str, Any]]:
    return generate_cohort(LARGE_N, LARGE_SEED)


def _perpetrators(cases: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for c in cases for p in c["perpetrators"]]


def _victims(cases: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for c in cases for v in c["victims"]]


def _share(rows: list[dict[str, Any]], key: str, pred: Callable[[Any], bool]) -> float:
    """Share of rows meeting ``pred`` among those whose ``key`` is not null."""
    known = [row[key] for row in rows if row[key] is not None]
    assert known, f"no known values of {key}"
    return sum(1 for value in known if pred(value)) / len(known)


def _exact(text: str) -> date:
    return date.fromisoformat(text)


# --- determinism --------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_cohort_jsonl(generate_cohort(50, seed=42), first)
    write_cohort_jsonl(generate_cohort(50, seed=42), second)
    assert first.read_bytes() == second.read_bytes()


def test_different_seeds_give_different_cohorts() -> None:
    assert generate_cohort(50, seed=1) != generate_cohort(50, seed=2)


def test_zero_cases_gives_empty_list() -> None:
    assert generate_cohort(0, seed=1) == []


# --- validity -----------------------------------------------------------------------


def test_every_case_validates_and_is_already_canonical() -> None:
    codebook = load_codebook()
    cases = generate_cohort(200, seed=5)
    assert len(cases) == 200
    for index, raw in enumerate(cases, start=1):
        case, problems = validate_case(raw, codebook, source="test", location=f"record {index}")
        assert problems == []
        assert case is not None
        # Nothing is filled in or reordered by validation: the generator emits canonical form.
        assert case.to_document() == raw


def test_generate_cohort_cases_returns_validated_cases_in_order() -> None:
    raw = generate_cohort(30, seed=9, start_year=2016, end_year=2018)
    cases = generate_cohort_cases(30, seed=9, start_year=2016, end_year=2018)
    assert all(isinstance(c, CodedCase) for c in cases)
    assert [c.case_id for c in cases] == [r["case"]["case_id"] for r in raw]
    assert [c.to_document() for c in cases] == raw


def test_structure_and_consistency_rules(large: list[dict[str, Any]]) -> None:
    case_ids = [c["case"]["case_id"] for c in large]
    assert len(set(case_ids)) == len(case_ids)
    for c in large:
        case = c["case"]
        assert c["codebook_version"] == "1"
        assert 2015 <= case["year_start"] <= 2020
        assert case["conviction_year"] >= case["year_start"]
        assert 1 <= len(c["perpetrators"]) <= 3
        assert 1 <= len(c["victims"]) <= 4
        pids = [p["pid"] for p in c["perpetrators"]]
        linked = [pid for v in c["victims"] for pid in v["perpetrators"]]
        for p in c["perpetrators"]:
            # n_victims counts the victims that name this perpetrator, at least one.
            assert p["n_victims"] == linked.count(p["pid"]) >= 1
            if p["has_addiction"] is False:
                assert p["addiction_types"] == []
            if p["known_to_police_before"] is False:
                assert p["prior_convictions"] in (0, None)
        for v in c["victims"]:
            assert v["perpetrators"] and set(v["perpetrators"]) <= set(pids)
            assert v["age_at_start"] is None or 13 <= v["age_at_start"] <= 24
            if v["first_contact_date"] is not None:
                assert v["first_contact_date"].startswith(str(case["year_start"]))
            if v["followed_until_date"] is not None:
                # Censored: no forced date, followed from first contact on.
                assert v["first_forced_date"] is None
                assert v["recruitment_days"] is None
                assert _exact(v["followed_until_date"]) >= _exact(v["first_contact_date"])
            contact, forced = v["first_contact_date"], v["first_forced_date"]
            if forced is not None:
                # Convicted after the exploitation began, never before.
                assert int(forced[:4]) <= case["conviction_year"]
            if contact and forced and len(contact) == len(forced) == 10:
                assert v["recruitment_days"] == (_exact(forced) - _exact(contact)).days


def test_date_precision_mix(large: list[dict[str, Any]]) -> None:
    victims = _victims(large)
    censored = sum(1 for v in victims if v["followed_until_date"] is not None) / len(victims)
    month_only = [
        v for v in victims if v["first_contact_date"] and len(v["first_contact_date"]) == 7
    ]
    assert censored == pytest.approx(0.10, abs=0.02)
    assert len(month_only) / len(victims) == pytest.approx(0.12, abs=0.02)
    assert all(re.fullmatch(r"\d{4}-\d{2}", v["first_forced_date"]) for v in month_only)
    # Some month-precision victims still have the period stated ("drie dagen later").
    stated = sum(1 for v in month_only if v["recruitment_days"] is not None)
    assert 0 < stated < len(month_only)


def test_every_record_is_marked_synthetic(large: list[dict[str, Any]]) -> None:
    for c in large:
        assert c["case"]["synthetic"] is True
        assert re.fullmatch(r"SYN-\d{4}-\d{4}", c["case"]["case_id"])
        assert c["case"]["case_id"].startswith(f"SYN-{c['case']['year_start']}-")
        for p in c["perpetrators"]:
            assert re.fullmatch(r"Dader [A-C]\d+", p["label"])
        for v in c["victims"]:
            assert re.fullmatch(r"Slachtoffer [A-D]\d+", v["label"])


# --- marginals (targets from CONTEXT.md) ------------------------------------------


def test_case_level_marginals(large: list[dict[str, Any]]) -> None:
    assert len(_perpetrators(large)) / LARGE_N == pytest.approx(1.6, abs=0.05)
    assert len(_victims(large)) / LARGE_N == pytest.approx(1.8, abs=0.06)
    units = {c["case"]["police_unit"] for c in large}
    assert len(units - {None}) == 11
    webcam = sum(1 for c in large if "webcam" in (c["case"]["exploitation_settings"] or []))
    assert webcam / LARGE_N == pytest.approx(0.12 * 0.95, abs=0.02)


def test_perpetrator_marginals(large: list[dict[str, Any]]) -> None:
    perps = _perpetrators(large)
    ages = [p["age_at_start"] for p in perps if p["age_at_start"] is not None]
    assert _share(perps, "age_at_start", lambda a: 18 <= a <= 29) == pytest.approx(0.72, abs=0.03)
    assert statistics.mean(ages) == pytest.approx(26.4, abs=0.5)
    assert min(ages) >= 16 and max(ages) <= 45
    assert _share(perps, "gender", lambda g: g == "male") == pytest.approx(0.90, abs=0.03)
    assert _share(perps, "has_diploma", lambda d: not d) == pytest.approx(0.38, abs=0.03)
    assert _share(perps, "has_debts", bool) == pytest.approx(0.67, abs=0.03)
    assert _share(perps, "has_addiction", bool) == pytest.approx(0.60, abs=0.03)
    assert _share(perps, "known_to_police_before", bool) == pytest.approx(0.75, abs=0.03)
    assert _share(perps, "known_to_care_before", bool) == pytest.approx(0.68, abs=0.03)
    # Some values are left unsettled, as in real files (5-10 % per variable).
    assert 0.03 < sum(p["has_diploma"] is None for p in perps) / len(perps) < 0.15
    kinds = [t for p in perps for t in p["addiction_types"] or []]
    assert max(set(kinds), key=kinds.count) == "cannabis"


def test_victim_marginals(large: list[dict[str, Any]]) -> None:
    victims = _victims(large)
    in_care = {"care_institution", "homeless"}
    assert _share(victims, "age_at_start", lambda a: a < 18) == pytest.approx(0.5, abs=0.03)
    assert _share(victims, "gender", lambda g: g == "female") == pytest.approx(0.95, abs=0.03)
    assert _share(victims, "living_situation", in_care.__contains__) == pytest.approx(0.5, abs=0.03)
    assert _share(victims, "knew_perpetrator_before", lambda k: not k) == pytest.approx(
        1 / 3, abs=0.03
    )
    unknown = [v for v in victims if v["knew_perpetrator_before"] is False]
    assert _share(unknown, "first_contact_channel", lambda c: c == "online") == pytest.approx(
        0.8, abs=0.04
    )
    known = [v for v in victims if v["knew_perpetrator_before"] is True]
    assert _share(known, "first_contact_channel", lambda c: c == "offline") > 0.6
    assert _share(victims, "recruitment_days", lambda d: d <= 7) == pytest.approx(0.5, abs=0.04)
    assert _share(victims, "recruitment_days", lambda d: d <= 30) == pytest.approx(0.75, abs=0.04)
    assert max(v["recruitment_days"] or 0 for v in victims) <= 183
    assert _share(victims, "contact_after_exploitation", bool) == pytest.approx(1 / 3, abs=0.03)
    online = [
        v["first_contact_platform"] for v in victims if v["first_contact_channel"] == "online"
    ]
    top_two = sorted(set(online) - {None}, key=online.count, reverse=True)[:2]
    assert top_two == ["snapchat", "instagram"]


def test_recruitment_period_shrinks_over_the_years(large: list[dict[str, Any]]) -> None:
    def median_days(year: int) -> float:
        days = [
            v["recruitment_days"]
            for c in large
            if c["case"]["year_start"] == year
            for v in c["victims"]
            if v["recruitment_days"] is not None
        ]
        return float(statistics.median(days))

    # Seeded: about 10 days in 2015 and 5 in 2020; without the trend both are about 7.
    assert median_days(2020) <= median_days(2015) - 2


def test_single_year_range() -> None:
    cases = generate_cohort(20, seed=3, start_year=2019, end_year=2019)
    assert {c["case"]["year_start"] for c in cases} == {2019}


# --- writing ------------------------------------------------------------------------


def test_write_cohort_jsonl_one_sorted_object_per_line(tmp_path: Path) -> None:
    cases = generate_cohort(5, seed=11)
    target = tmp_path / "cohort.jsonl"
    assert write_cohort_jsonl(cases, target) == 5
    data = target.read_bytes()
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")
    lines = data.decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == cases
    for line in lines:
        assert line == json.dumps(
            json.loads(line), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )


def test_write_cohort_jsonl_accepts_coded_cases(tmp_path: Path) -> None:
    raw_file, coded_file = tmp_path / "raw.jsonl", tmp_path / "coded.jsonl"
    write_cohort_jsonl(generate_cohort(4, seed=2), raw_file)
    write_cohort_jsonl(generate_cohort_cases(4, seed=2), coded_file)
    assert raw_file.read_bytes() == coded_file.read_bytes()


# --- arguments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_cases", "seed", "start_year", "end_year"),
    [(-1, 1, 2015, 2020), (5, -1, 2015, 2020), (5, 1, 2021, 2020), (5, 1, 1980, 2020)],
)
def test_bad_arguments_raise_input_error(
    n_cases: int, seed: int, start_year: int, end_year: int
) -> None:
    with pytest.raises(InputError):
        generate_cohort(n_cases, seed, start_year=start_year, end_year=end_year)
