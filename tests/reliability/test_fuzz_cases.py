"""Property-based tests of the coded-case importer and the codebook loader on bad input.

Every input format the importer accepts (``.json``, ``.jsonl``/``.ndjson``, ``.csv``,
``.xlsx``) is written from generated, valid coded cases; the tests then mutate one
field, break the file (truncated, not UTF-8, a byte-order mark, other line ends, huge
numbers, NaN, deep nesting) or feed random bytes, and check that

- the importer returns the cases or raises :class:`ValidationFailed`, nothing else;
- every problem names the file, and a mutated field is named;
- a planted personal value (a name, a BSN-like number) never appears in an error;
- valid cases read back equal in every format (write, then read, gives the same);
- a failed import leaves the database as it was, and whatever is read can be stored
  and loaded again unchanged (SQLite and PostgreSQL).

Examples are derandomized (the same on every run and in CI); see ``fuzz()``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ketenbeeld.cases.codebook import Codebook, load_codebook
from ketenbeeld.cases.importer import read_case_files
from ketenbeeld.cases.model import CodedCase, cohort_fingerprint
from ketenbeeld.cases.store import count_cases, import_cases, load_cases
from ketenbeeld.cases.validate import check_value, parse_partial_date, validate_case
from ketenbeeld.cli import app
from ketenbeeld.errors import ConfigError, ValidationFailed
from ketenbeeld.storage import verify_audit_log

from .fuzzing import fuzz, mutated_tree

CODEBOOK = load_codebook()
SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".xlsx")
# Names and BSN-like numbers planted in bad fields: they must never be echoed.
PLANTED_NAMES = (
    "Jolanda Quist-Vermeulen",
    "Mehmet Yıldırım",
    "Zoë van der Berg",
    "Priscilla de Wit",
)
NULL_TOKENS = ("", "NA", "null", "onbekend", "unknown", "?", "n/a", "None")


# --- valid coded cases ---------------------------------------------------------------

_ALNUM = "ABCXYZabcxyz0123456789"
# Case ids and person ids: a letter or digit, then letters, digits and . _ - (the
# codebook's pattern); st.text is much faster than st.from_regex.
ids = st.builds(
    str.__add__, st.text(_ALNUM, min_size=1, max_size=1), st.text(_ALNUM + "._-", max_size=11)
)
labels = st.text(
    alphabet=st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=40
).filter(lambda text: text.strip().lower() not in {t.lower() for t in NULL_TOKENS})
days = st.dates(min_value=date(1995, 1, 1), max_value=date(2030, 12, 31))


def _enum(name: str, entity: str) -> st.SearchStrategy[Any]:
    var = CODEBOOK.entities[entity].variable(name)
    assert var is not None
    return st.none() | st.sampled_from(var.values)


def _subset(name: str, entity: str) -> st.SearchStrategy[Any]:
    var = CODEBOOK.entities[entity].variable(name)
    assert var is not None
    return st.none() | st.lists(st.sampled_from(var.values), max_size=3)


def _partial(day: date, precision: str) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]


@st.composite
def perpetrators(draw: st.DrawFn, pid: str) -> dict[str, Any]:
    has_addiction = draw(st.none() | st.booleans())
    return {
        "pid": pid,
        "label": draw(st.none() | labels),
        "age_at_start": draw(st.none() | st.integers(12, 99)),
        "gender": draw(_enum("gender", "perpetrator")),
        "role": draw(_enum("role", "perpetrator")),
        "has_diploma": draw(st.none() | st.booleans()),
        "has_debts": draw(st.none() | st.booleans()),
        "has_addiction": has_addiction,
        "addiction_types": None
        if has_addiction is False
        else draw(_subset("addiction_types", "perpetrator")),
        "known_to_police_before": draw(st.none() | st.booleans()),
        "prior_convictions": draw(st.none() | st.integers(0, 200)),
        "sentence_months": draw(st.none() | st.integers(0, 600)),
        "sentence_type": draw(_enum("sentence_type", "perpetrator")),
    }


@st.composite
def victims(draw: st.DrawFn, vid: str, pids: list[str]) -> dict[str, Any]:
    platform_var = CODEBOOK.victim.variable("first_contact_platform")
    assert platform_var is not None
    platform = draw(st.none() | st.sampled_from(platform_var.values))
    channel = (
        draw(_enum("first_contact_channel", "victim"))
        if platform is None
        else draw(st.sampled_from([None, platform_var.value_attrs[platform]["channel"]]))
    )
    contact = draw(st.none() | days)
    forced = None
    if contact is not None and draw(st.booleans()):
        forced = contact + timedelta(days=draw(st.integers(0, 3650) | st.integers(3651, 9000)))
    precisions = st.sampled_from(["day", "month", "year"])
    contact_text = _partial(contact, draw(precisions)) if contact else None
    forced_text = _partial(forced, draw(precisions)) if forced else None
    if contact and forced and (forced - contact).days > 3650 and len(contact_text or "") == 10:
        forced_text = _partial(forced, "month")  # two exact days: at most 3650 apart
    exact = contact_text and forced_text and len(contact_text) == len(forced_text) == 10
    return {
        "vid": vid,
        "label": draw(st.none() | labels),
        "age_at_start": draw(st.none() | st.integers(8, 99)),
        "gender": draw(_enum("gender", "victim")),
        "living_situation": draw(_enum("living_situation", "victim")),
        "knew_perpetrator_before": draw(st.none() | st.booleans()),
        "first_contact_channel": channel,
        "first_contact_platform": platform,
        "first_contact_date": contact_text,
        "first_forced_date": forced_text,
        "recruitment_days": None if exact else draw(st.none() | st.integers(0, 3650)),
        "contact_after_exploitation": draw(st.none() | st.booleans()),
        "perpetrators": draw(st.lists(st.sampled_from(pids), unique=True)) if pids else [],
    }


@st.composite
def documents(draw: st.DrawFn, case_id: str) -> dict[str, Any]:
    n_perpetrators = draw(st.integers(0, 3))
    pids = [f"P{index}" for index in range(1, n_perpetrators + 1)]
    start = draw(st.none() | st.integers(1990, 2100))
    return {
        "codebook_version": "1",
        "case": {
            "case_id": case_id,
            "year_start": start,
            "police_unit": draw(_enum("police_unit", "case")),
            "conviction_year": None
            if start is None
            else draw(st.none() | st.integers(start, 2100)),
            "exploitation_settings": draw(_subset("exploitation_settings", "case")),
            "synthetic": draw(st.none() | st.booleans()),
        },
        "perpetrators": [draw(perpetrators(pid)) for pid in pids],
        "victims": [
            draw(victims(f"V{index}", pids)) for index in range(1, draw(st.integers(0, 3)) + 1)
        ],
    }


@st.composite
def cohorts(draw: st.DrawFn, max_cases: int = 3) -> list[dict[str, Any]]:
    case_ids = draw(st.lists(ids, min_size=1, max_size=max_cases, unique_by=str.lower))
    return [draw(documents(case_id)) for case_id in case_ids]


def validated(document: dict[str, Any]) -> CodedCase:
    case, problems = validate_case(document, CODEBOOK, source="generated", location="")
    assert problems == [], [str(p) for p in problems]
    assert case is not None
    return case


# --- writing the formats --------------------------------------------------------------

# The perpetrator variable `role` (main, recruiter, ...) has no column: the tabular
# layout's required `role` column (perpetrator/victim/case) takes its name.
TABULAR_PERSON_COLUMNS = sorted(
    ({v.name for v in CODEBOOK.perpetrator.variables} | {v.name for v in CODEBOOK.victim.variables})
    - {"pid", "vid", "role"}
)
CASE_COLUMNS = [f"case.{v.name}" for v in CODEBOOK.case.variables if v.name != "case_id"]


def _cell(value: Any, style: int) -> Any:
    """A document value as a spreadsheet cell (several spellings of the same value)."""
    if value is None:
        return NULL_TOKENS[style % len(NULL_TOKENS)]
    if isinstance(value, bool):
        return [("true", "false"), ("ja", "nee"), ("1", "0"), ("Yes", "No")][style % 4][
            0 if value else 1
        ]
    if isinstance(value, list):
        return (";" if style % 2 else ", ").join(value)
    return value


def tabular_rows(docs: list[dict[str, Any]], style: int) -> list[list[Any]]:
    header = ["case_id", "role", "person_id", *CASE_COLUMNS, *TABULAR_PERSON_COLUMNS]
    rows: list[list[Any]] = [header]
    roles = (("perpetrator", "victim"), ("dader", "slachtoffer"), ("DADER", "Victim"))
    perpetrator_word, victim_word = roles[style % len(roles)]
    for doc in docs:
        case_cells = [_cell(doc["case"].get(c.removeprefix("case.")), style) for c in CASE_COLUMNS]
        people = [(perpetrator_word, p, "pid") for p in doc["perpetrators"]] + [
            (victim_word, v, "vid") for v in doc["victims"]
        ]
        if not people:
            rows.append([doc["case"]["case_id"], "case", "", *case_cells])
        for number, (role, person, key) in enumerate(people):
            # Case variables on the first row only, or repeated on every row.
            cells = case_cells if number == 0 or style % 3 == 0 else [""] * len(case_cells)
            person_cells = [
                _cell(person[c], style) if c in person else "" for c in TABULAR_PERSON_COLUMNS
            ]
            rows.append([doc["case"]["case_id"], role, person[key], *cells, *person_cells])
    return rows


def write_csv(
    path: Path, rows: list[list[Any]], *, delimiter: str, newline: str, bom: bool
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerows([[str(cell) for cell in row] for row in rows])
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))


def write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    workbook.save(path)


formats = st.sampled_from(SUFFIXES)
layouts = st.fixed_dictionaries(
    {
        "style": st.integers(0, 11),
        "delimiter": st.sampled_from([",", ";", "\t"]),
        "newline": st.sampled_from(["\n", "\r\n", "\r"]),
        "bom": st.booleans(),
        "ascii": st.booleans(),
    }
)


def write_cases(path: Path, docs: list[dict[str, Any]], layout: dict[str, Any]) -> Path:
    """Write documents in the format of ``path``'s suffix."""
    suffix = path.suffix
    if suffix in (".csv", ".xlsx"):
        rows = tabular_rows(docs, layout["style"])
        if suffix == ".csv":
            write_csv(
                path,
                rows,
                delimiter=layout["delimiter"],
                newline=layout["newline"],
                bom=layout["bom"],
            )
        else:
            write_xlsx(path, rows)
        return path
    if suffix == ".json":
        payload = docs[0] if len(docs) == 1 and layout["style"] % 2 else docs
        text = json.dumps(payload, ensure_ascii=layout["ascii"], indent=layout["style"] % 3 or None)
    else:
        lines = [json.dumps(doc, ensure_ascii=layout["ascii"]) for doc in docs]
        text = layout["newline"].join(lines) + layout["newline"]
    path.write_bytes(("\ufeff" if layout["bom"] else "").encode() + text.encode("utf-8"))
    return path


_PLAIN = {"style": 0, "delimiter": ",", "newline": "\n", "bom": False, "ascii": True}


def read(*paths: Path) -> list[CodedCase]:
    return [case for f in read_case_files(list(paths), CODEBOOK) for case in f.cases]


def tabular_view(case: CodedCase) -> CodedCase:
    """What a one-row-per-person file can hold: no evidence, no review, no perpetrator
    role, and an empty list is an empty cell (null)."""

    def cells(record: dict[str, Any]) -> dict[str, Any]:
        return {key: None if value == [] else value for key, value in record.items()}

    perpetrators = tuple(cells(p) | {"role": None} for p in case.perpetrators)
    victims = tuple(cells(v) for v in case.victims)
    return CodedCase(case.codebook_version, cells(case.case), perpetrators, victims)


# --- round trip ------------------------------------------------------------------------


@fuzz(15)
@given(docs=cohorts(), suffix=formats, layout=layouts)
@example(  # a label with U+2028 in JSONL written with ensure_ascii=False (was split there)
    docs=[
        {
            "case": {"case_id": "X1"},
            "perpetrators": [{"pid": "P1", "label": "Dylan\u2028K."}],
            "victims": [],
        }
    ],
    suffix=".jsonl",
    layout={"style": 0, "delimiter": ",", "newline": "\n", "bom": False, "ascii": False},
)
@example(  # a CSV with old Mac line ends ("\r" only) was refused by the csv module
    docs=[{"case": {"case_id": "X1", "year_start": 2019}, "perpetrators": [], "victims": []}],
    suffix=".csv",
    layout={"style": 1, "delimiter": ";", "newline": "\r", "bom": True, "ascii": True},
)
def test_valid_cases_read_back_the_same_in_every_format(
    tmp_path: Path, docs: list[dict[str, Any]], suffix: str, layout: dict[str, Any]
) -> None:
    expected = [validated(doc) for doc in docs]
    path = write_cases(tmp_path / f"cases{suffix}", docs, layout)
    got = read(path)
    if suffix in (".csv", ".xlsx"):
        expected = [tabular_view(case) for case in expected]
    assert [c.case_id for c in got] == [c.case_id for c in expected]
    assert got == expected
    assert cohort_fingerprint(got) == cohort_fingerprint(expected)


@fuzz(10)
@given(docs=cohorts(max_cases=2))
def test_an_imported_case_reads_back_from_its_own_export(
    tmp_path: Path, docs: list[dict[str, Any]]
) -> None:
    """to_document() of a read case is itself a valid file with the same cases."""
    first = read(write_cases(tmp_path / "a.jsonl", docs, _PLAIN))
    again = read(write_cases(tmp_path / "b.json", [c.to_document() for c in first], _PLAIN))
    assert again == first


# --- one field mutated, with a planted personal value ---------------------------------

planted = st.sampled_from(PLANTED_NAMES) | st.integers(100_000_000, 999_999_999).map(str)

# Fields where a planted text is not allowed, per entity (JSON and tabular alike).
_TYPED = {
    "case": ["case_id", "year_start", "police_unit", "conviction_year", "synthetic"],
    "perpetrator": ["pid", "age_at_start", "gender", "has_debts", "prior_convictions"],
    "victim": [
        "vid",
        "age_at_start",
        "living_situation",
        "first_contact_date",
        "recruitment_days",
        "knew_perpetrator_before",
    ],
}
# Wrong JSON types and values (never valid where they are put below).
wrong_json = st.sampled_from(
    [[], {}, [1, 2], {"a": 1}, 10**30, -(10**30), 1.5, -1, True, "Priscilla de Wit"]
)
not_json_numbers = st.sampled_from(
    [float("nan"), float("inf"), -float("inf"), [float("nan")], {"x": float("inf")}]
)
placements = st.sampled_from(
    [
        *("case.year_start", "case.police_unit", "case.conviction_year", "case.synthetic"),
        *("perpetrators", "victims", "evidence", "evidence.extra", "review"),
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[list[dict[str, Any]], str, str, Any]:
    """A cohort with one field of one record set to a bad value: (docs, field, entity, value)."""
    docs = draw(cohorts(max_cases=2))
    doc = draw(st.sampled_from(docs))
    choices = ["case"] + (["perpetrator"] if doc["perpetrators"] else [])
    choices += ["victim"] if doc["victims"] else []
    entity = draw(st.sampled_from(choices))
    field = draw(st.sampled_from(_TYPED[entity]))
    # Nine digits are a valid id: an id gets a name (with a space, never valid).
    value = draw(st.sampled_from(PLANTED_NAMES) if field in ("case_id", "pid", "vid") else planted)
    if entity == "case":
        record = doc["case"]
    elif entity == "perpetrator":
        record = draw(st.sampled_from(doc["perpetrators"]))
    else:
        record = draw(st.sampled_from(doc["victims"]))
    record[field] = value
    return docs, field, entity, value


def assert_clean(error: ValidationFailed, name: str, secret: str) -> None:
    """Every problem names the file; the secret is nowhere in what the user sees."""
    assert error.problems, "a ValidationFailed must list its problems"
    shown = [str(error), error.hint or "", *(str(p) for p in error.problems)]
    for problem in error.problems:
        assert problem.source == name
        assert problem.message
    for text in shown:
        assert secret not in text, "a planted personal value was echoed"


@fuzz(20)
@given(case=mutated(), suffix=formats, layout=layouts)
@example(  # a BSN-like number as the person id of a CSV row
    case=(
        [
            {
                "case": {"case_id": "X1"},
                "perpetrators": [{"pid": "111222333 Jansen"}],
                "victims": [],
            }
        ],
        "pid",
        "perpetrator",
        "111222333 Jansen",
    ),
    suffix=".csv",
    layout=_PLAIN,
)
def test_a_bad_field_is_named_and_its_value_never_shown(
    tmp_path: Path, case: tuple[list[dict[str, Any]], str, str, Any], suffix: str, layout: Any
) -> None:
    docs, field, _, secret = case
    path = write_cases(tmp_path / f"bad{suffix}", docs, layout)
    with pytest.raises(ValidationFailed) as info:
        read(path)
    assert_clean(info.value, path.name, secret)
    assert str(info.value).endswith("nothing was imported")
    fields = [p.field for p in info.value.problems]
    assert any(field in f for f in fields), (field, fields)
    # The location says where: a record, line or row.
    assert all(p.location for p in info.value.problems if p.field)


@fuzz(15)
@given(docs=cohorts(max_cases=2), where=placements, bad=wrong_json, odd=not_json_numbers)
@example(  # NaN in an evidence entry: was read fine, then refused by PostgreSQL's json type
    docs=[{"case": {"case_id": "X1"}, "perpetrators": [], "victims": []}],
    where="evidence.extra",
    bad=[],
    odd=float("nan"),
)
def test_wrong_json_types_are_problems_not_crashes(
    tmp_path: Path, docs: list[dict[str, Any]], where: str, bad: Any, odd: Any
) -> None:
    doc = docs[0]
    container, _, key = where.partition(".")
    if container == "case":
        doc["case"][key] = "Priscilla de Wit" if key == "synthetic" and bad is True else bad
    elif where == "evidence.extra":
        doc["evidence"] = [{"path": "case.case_id", "text": "x", "start": 0, "end": 1, "n": odd}]
    else:
        doc[container] = [bad] if isinstance(bad, list | dict | str) else bad
    path = tmp_path / "typed.json"
    path.write_text(json.dumps(docs, allow_nan=True), encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read(path)
    assert_clean(info.value, path.name, secret="Priscilla de Wit")
    # Without NaN in the file (the validator's own check, as for documents from the web).
    if where == "evidence.extra":
        _, problems = validate_case(doc, CODEBOOK, source="web", location="")
        assert [p.field for p in problems] == ["evidence[1]"]


# --- broken files ---------------------------------------------------------------------


@st.composite
def broken_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid file of any format, then broken in one way."""
    suffix = draw(formats)
    docs = draw(cohorts(max_cases=2))
    buffer = _serialise(docs, suffix, draw(layouts))
    how = draw(
        st.sampled_from(
            ["truncate", "flip", "insert", "not-utf8", "nul", "empty", "bom-only", "nan", "huge"]
        )
    )
    if how == "truncate":
        buffer = buffer[: draw(st.integers(0, max(0, len(buffer) - 1)))]
    elif how == "flip" and buffer:
        at = draw(st.integers(0, len(buffer) - 1))
        buffer = buffer[:at] + bytes([buffer[at] ^ draw(st.integers(1, 255))]) + buffer[at + 1 :]
    elif how == "insert":
        at = draw(st.integers(0, len(buffer)))
        buffer = buffer[:at] + draw(st.binary(min_size=1, max_size=8)) + buffer[at:]
    elif how == "not-utf8":
        buffer = buffer + b"\xff\xfe\xc3"
    elif how == "nul":
        buffer = buffer.replace(b",", b"\x00,", 1)
    elif how == "empty":
        buffer = b""
    elif how == "bom-only":
        buffer = b"\xef\xbb\xbf\r\n"
    elif how == "nan":
        buffer = buffer.replace(b"2", b"NaN", 1)
    elif how == "huge":
        buffer = buffer.replace(b"1", b"1" * 5000, 1)
    return suffix, buffer


def _serialise(docs: list[dict[str, Any]], suffix: str, layout: dict[str, Any]) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return write_cases(Path(folder) / f"x{suffix}", docs, layout).read_bytes()


@fuzz(20)
@given(file=broken_files())
@example(file=(".json", b"[" * 100_000))  # RecursionError escaped
@example(file=(".json", b'{"case": {"case_id": "X1", "year_start": ' + b"9" * 5000 + b"}}"))
@example(file=(".csv", b"case_id,role,person_id,label\nX1,dader,P1," + b"a" * 200_000))
@example(file=(".csv", b"case_id," + b"a" * 200_000))  # a header cell over the csv limit
@example(file=(".xlsx", b"PK\x03\x04" + b"\x00" * 40))
@example(file=(".ndjson", b'{"case": {"case_id": "X1"}, "evidence": [Infinity]}\n'))
def test_broken_files_give_problems_not_crashes(tmp_path: Path, file: tuple[str, bytes]) -> None:
    suffix, content = file
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(content)
    try:
        cases = read(path)
    except ValidationFailed as error:
        assert_clean(error, path.name, secret="Jolanda")
    else:
        assert all(isinstance(case, CodedCase) for case in cases)


@fuzz(20)
@given(content=st.binary(max_size=300), suffix=formats)
def test_random_bytes_give_problems_not_crashes(
    tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(content)
    try:
        read(path)
    except ValidationFailed as error:
        assert all(problem.source == path.name for problem in error.problems)


# A zip that openpyxl opens as far as its XML: a damaged workbook part.
def _damaged_workbook(tmp_path: Path, garbage: bytes) -> bytes:
    import zipfile

    good = tmp_path / "good.xlsx"
    write_xlsx(good, [["case_id", "role", "person_id"], ["X1", "case", ""]])
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith(("sheet1.xml", "workbook.xml", "styles.xml")):
                data = data[: len(data) // 2] + garbage
            target.writestr(item, data)
    return out.getvalue()


@fuzz(5)
@given(garbage=st.binary(max_size=20))
@example(garbage=b"<not xml")  # xml ParseError escaped openpyxl
def test_a_damaged_workbook_is_a_problem(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(_damaged_workbook(tmp_path, garbage))
    with pytest.raises(ValidationFailed) as info:
        read(path)
    assert [p.source for p in info.value.problems] == ["damaged.xlsx"]


# --- the database: all or nothing -----------------------------------------------------


def _state(engine: Any) -> tuple[int, str, Any]:
    return count_cases(engine), cohort_fingerprint(load_cases(engine)), verify_audit_log(engine)


@fuzz(8)
@given(good=cohorts(max_cases=2), bad=mutated(), suffix=formats)
def test_a_failed_import_writes_nothing(
    engine: Any, tmp_path: Path, good: list[dict[str, Any]], bad: Any, suffix: str
) -> None:
    before = _state(engine)
    docs, _, _, secret = bad
    for doc in docs:  # distinct ids from the good file: only the bad field fails
        doc["case"]["case_id"] = f"{doc['case']['case_id']}-bad"[:100]
    good_path = write_cases(tmp_path / "good.jsonl", good, _PLAIN)
    bad_path = write_cases(tmp_path / f"bad{suffix}", docs, _PLAIN)
    with pytest.raises(ValidationFailed) as info:
        import_cases(engine, read_case_files([good_path, bad_path], CODEBOOK), actor="fuzz")
    assert_clean_any(info.value, secret)
    assert _state(engine) == before


def assert_clean_any(error: ValidationFailed, secret: str) -> None:
    for text in [str(error), error.hint or "", *(str(p) for p in error.problems)]:
        assert secret not in text


@fuzz(8)
@given(docs=cohorts(max_cases=3), suffix=formats, layout=layouts)
@example(  # NUL and non-BMP characters in a label: stored and loaded unchanged
    docs=[
        {
            "case": {"case_id": "X1"},
            "perpetrators": [{"pid": "P1", "label": "A\u0000B 😀"}],
            "victims": [],
        }
    ],
    suffix=".json",
    layout=_PLAIN,
)
def test_what_is_read_can_be_stored_and_loaded_unchanged(
    engine: Any, tmp_path: Path, docs: list[dict[str, Any]], suffix: str, layout: Any
) -> None:
    path = write_cases(tmp_path / f"in{suffix}", docs, layout)
    files = read_case_files([path], CODEBOOK)
    read_back = [case for f in files for case in f.cases]
    import_cases(engine, files, actor="fuzz")
    stored = {case.case_id: case for case in load_cases(engine)}
    for case in read_back:
        assert stored[case.case_id] == case
        assert stored[case.case_id].sha256() == case.sha256()
    assert verify_audit_log(engine).ok


@fuzz(3)
@given(bad=mutated(), suffix=formats)
def test_the_cli_says_where_exits_2_and_writes_nothing(
    db: Any, tmp_path: Path, bad: Any, suffix: str
) -> None:
    docs, _, _, secret = bad
    path = write_cases(tmp_path / f"bad{suffix}", docs, _PLAIN)
    before = _state(db.engine)
    result = CliRunner().invoke(app, ["--database-url", db.url, "cases", "import", str(path)])
    assert result.exit_code == 2, result.output
    assert f"bad{suffix}" in result.output
    assert "nothing was imported" in result.output
    assert secret not in result.output
    assert "Traceback" not in result.output
    assert _state(db.engine) == before


# --- codebook files -------------------------------------------------------------------

_BUILTIN_CODEBOOK = yaml.safe_load(
    (Path(__file__).parents[2] / "src/ketenbeeld/cases/data/codebook-1.yaml").read_text("utf-8")
)
# Three variables per entity (the key first): the same structure, read much faster.
for _entity in _BUILTIN_CODEBOOK["entities"].values():
    _entity["variables"] = _entity["variables"][:3]
junk = st.sampled_from(
    [None, 5, -1, "", "x", "(", "[a-", True, 1.5, [], {}, [1], {"a": 1}, "a{99999999999}"]
)


@st.composite
def yaml_files(draw: st.DrawFn, tree: Any) -> bytes:
    text = yaml.safe_dump(draw(mutated_tree(tree, junk)), allow_unicode=True, sort_keys=False)
    data = text.encode("utf-8")
    how = draw(st.sampled_from(["as-is", "truncate", "bytes", "crlf", "bom", "date", "tab"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    elif how == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif how == "bom":
        data = b"\xef\xbb\xbf" + data
    elif how == "date":
        data = data.replace(b"version: '1'", b"version: 2019-02-30", 1) + b"x: 2019-02-30\n"
    elif how == "tab":
        data = data.replace(b"  ", b"\t", 1)
    return data


@fuzz(20)
@given(data=yaml_files(_BUILTIN_CODEBOOK))
@example(data=b"version: '9'\nentities:\n  case:\n    variables: 5\n")
@example(data=b"version: \xff\n")
@example(data=b"version: 2019-02-30\n")
@example(data=b"[" * 600)  # RecursionError escaped PyYAML
@example(
    data=b"version: '9'\nentities:\n  case:\n    variables: [{name: a, type: string, "
    b"pattern: 5, max_length: x, description: d, label: {nl: a, en: b}}]\n"
)
def test_codebook_files_load_or_say_what_is_wrong(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_bytes(data)
    try:
        book = load_codebook(path)
    except ConfigError as error:
        assert "codebook" in str(error)
        return
    assert isinstance(book, Codebook)
    # A codebook that loads validates any document without crashing.
    case, problems = validate_case(
        {"case": {"case_id": "X1"}, "perpetrators": [{"pid": "P1", "label": "x" * 300}]},
        book,
        source="x.json",
        location="record 1",
    )
    assert case is not None or problems


# --- cells and values -------------------------------------------------------------------


@fuzz(60)
@given(text=st.text(max_size=30) | st.sampled_from(["１２", "1_000", " 12 ", "١٢", "9" * 5000]))
def test_any_cell_text_converts_or_says_what_is_allowed(text: str) -> None:
    from ketenbeeld.cases.importer import convert_text

    for entity in CODEBOOK.entities.values():
        for var in entity.variables:
            value, error = convert_text(var, text)
            if error is not None:
                # The message says what is allowed; it is the same whatever was written.
                assert value is None
                assert error == convert_text(var, "Priscilla de Wit")[1]
                continue
            checked, problem = check_value(var, value)
            if problem is not None:
                assert checked is None
                assert problem == check_value(var, ["Priscilla de Wit"])[1] or problem.startswith(
                    (
                        *("is out of range", "is too long", "is not allowed", "is not an allowed"),
                        *("is required", "has a value that is not allowed"),
                    )
                )


@fuzz(40)
@given(contact=days, forced=days)
@example(contact=date(2000, 1, 1), forced=date(2019, 1, 1))  # derived 6940 days: out of range
def test_derived_recruitment_days_stay_in_the_codebook_range(contact: date, forced: date) -> None:
    victim = {"vid": "V1", "first_contact_date": str(contact), "first_forced_date": str(forced)}
    case, problems = validate_case(
        {"case": {"case_id": "X1"}, "victims": [victim]}, CODEBOOK, source="x.json", location=""
    )
    if case is None:
        assert [p.field for p in problems] == ["victims.V1.first_forced_date"]
        assert not 0 <= (forced - contact).days <= 3650
        return
    days_var = CODEBOOK.victim.variable("recruitment_days")
    assert days_var is not None
    assert case.victims[0]["recruitment_days"] == (forced - contact).days
    assert check_value(days_var, case.victims[0]["recruitment_days"])[1] is None


@fuzz(60)
@given(text=st.text(alphabet="0123456789-T:/ ", max_size=12) | st.dates().map(date.isoformat))
def test_partial_dates_are_real_or_none(text: str) -> None:
    parsed = parse_partial_date(text)
    if parsed is None:
        return
    year, month, day = parsed
    assert date(year, month or 1, day or 1).isoformat().startswith(text)


@fuzz(30)
@given(day=st.dates())
def test_partial_dates_round_trip(day: date) -> None:
    iso = day.isoformat()
    if len(iso) == 10:  # years before 1000 are written with four digits too
        assert parse_partial_date(iso) == (day.year, day.month, day.day)
        assert parse_partial_date(iso[:7]) == (day.year, day.month, None)
        assert parse_partial_date(iso[:4]) == (day.year, None, None)


def test_the_planted_values_are_not_in_any_codebook_message() -> None:
    """Guard for the tests above: no fixed message holds a planted value by itself."""
    texts = [v.allowed() for e in CODEBOOK.entities.values() for v in e.variables]
    assert texts
    for secret in PLANTED_NAMES:
        assert all(secret not in text for text in texts)
