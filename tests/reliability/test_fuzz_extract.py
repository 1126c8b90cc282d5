"""Property-based tests of the Dutch text parsers on arbitrary and near-valid text.

``find_dates``, ``parse_number``/``find_numbers``/``find_ages``, ``cases extract``
(:func:`extract_case`, :func:`extract_files`), ``cases deidentify`` and the reader of
``cases evaluate`` get the sentences of the synthetic example summaries cut up,
recombined and mutated (case, digits, unicode, line ends), plus random text. They must
not crash, every span they report must be the exact substring at its offsets, and
what they read must read back (a date or number written out is found with its value).

Examples are derandomized (the same on every run and in CI); see ``fuzz()``.
"""

from __future__ import annotations

import itertools
import json
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.deidentify import KIND_LABELS, Deidentifier, deidentify_file
from ketenbeeld.cases.extract import extract_case, extract_files
from ketenbeeld.cases.extract.dates import find_dates
from ketenbeeld.cases.extract.evaluate import evaluate, read_documents
from ketenbeeld.cases.extract.numbers import find_ages, find_numbers, parse_number
from ketenbeeld.cases.validate import parse_partial_date, validate_case
from ketenbeeld.errors import InputError, ValidationFailed

from .fuzzing import fuzz

CODEBOOK = load_codebook()
DATA = Path(__file__).parents[1] / "data" / "extract"
SENTENCES = sorted(
    {
        sentence.strip()
        for path in sorted(DATA.glob("*.txt"))
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", path.read_text("utf-8"))
        if sentence.strip()
    }
)
MONTHS = re.findall(
    r"\S+",
    "januari februari maart april mei juni juli augustus september oktober november december",
)
SHORT_MONTHS = re.findall(r"\S+", "jan. feb. mrt. apr. mei jun. jul. aug. sept. okt. nov. dec.")
WORDS = [
    *re.findall(
        r"\S+",
        "op in rond omstreeks eind begin medio half sinds vanaf tot en met later eerder daarna "
        "dagen dag week weken de volgende dezelfde toen jaar oud -jarige jarige leeftijd van was "
        "een één twee drie tien zestien zeventien twintig honderd duizend acht nul verdachte "
        "slachtoffer snapchat instagram geboren geb. BSN 06-12345678 ( ) , . ; : - / 2019 03 31",
    ),
    *MONTHS,
]


# --- text ------------------------------------------------------------------------------

odd_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]) | st.sampled_from("İıſK\u2028\r\n\t ")
)


@st.composite
def summaries(draw: st.DrawFn) -> str:
    """Sentences of the example summaries and date/number words, cut up and mutated."""
    parts = draw(
        st.lists(
            st.sampled_from(SENTENCES) | st.sampled_from(WORDS) | odd_text.map(lambda t: t[:20]),
            max_size=12,
        )
    )
    text = draw(st.sampled_from([" ", "\n", "\r\n", "", ". "])).join(parts)
    how = draw(st.sampled_from(["as-is", "upper", "digits", "cut", "insert"]))
    if how == "upper":
        text = text.upper()
    elif how == "digits":
        text = re.sub(r"\d", lambda m: draw(st.sampled_from("0123456789٣")), text)
    elif how == "cut" and text:
        start = draw(st.integers(0, len(text)))
        text = text[start : start + draw(st.integers(0, len(text)))]
    elif how == "insert":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(odd_text) + text[at:]
    return text


def assert_spans(text: str, spans: list[Any]) -> None:
    """Each span is the exact substring at its offsets; spans are in text order."""
    previous_start = -1
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
        assert span.start >= previous_start
        previous_start = span.start


# --- dates -----------------------------------------------------------------------------


@fuzz(60)
@given(text=summaries(), reference=st.none() | st.dates())
@example(text="drie dagen later", reference=date.max)  # timedelta past date.max
@example(text="İstanbul 3 maart 2019 en İ. twee dagen later", reference=None)  # İ lengthens
def test_dates_are_exact_substrings_with_real_values(text: str, reference: date | None) -> None:
    found = find_dates(text, reference=reference)
    assert_spans(text, found)
    for left, right in itertools.pairwise(found):
        assert left.end <= right.start  # no overlaps
    for mention in found:
        if mention.value is None:
            assert mention.precision is None
            continue
        assert parse_partial_date(mention.value) is not None
        assert {4: "year", 7: "month", 10: "day"}[len(mention.value)] == mention.precision
        assert mention.exact_offset is False or mention.relative_days is not None


@fuzz(60)
@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    form=st.sampled_from(["long", "dash", "slash", "iso", "month", "short"]),
    before=st.sampled_from(["", "Op ", "op ", "Het was ", "(", "\n"]),
    after=st.sampled_from(["", ".", " zag zij hem.", ",", ")"]),
)
def test_a_written_date_is_read_back(day: date, form: str, before: str, after: str) -> None:
    month = MONTHS[day.month - 1]
    written, value = {
        "long": (f"{day.day} {month} {day.year}", day.isoformat()),
        "dash": (f"{day.day:02d}-{day.month:02d}-{day.year}", day.isoformat()),
        "slash": (f"{day.day}/{day.month}/{day.year}", day.isoformat()),
        "iso": (day.isoformat(), day.isoformat()),
        "month": (f"in {month} {day.year}", day.isoformat()[:7]),
        "short": (f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}", day.isoformat()),
    }[form]
    text = f"{before}{written}{after}"
    found = find_dates(text)
    assert [m.value for m in found] == [value], (text, found)
    assert written.endswith(found[0].text)


# --- numbers and ages ------------------------------------------------------------------

_UNITS = ["", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_TEENS = re.findall(
    r"\S+", "tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien"
)
_TENS = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig"]
_TENS.append("negentig")


def dutch(number: int, space: str = "") -> str:
    """A number from 0 to 9999 in Dutch words (``drieëntwintig``, ``tweeduizendnegentien``)."""
    if number == 0:
        return "nul"

    def below_100(n: int) -> str:
        if n < 10:
            return _UNITS[n]
        if n < 20:
            return _TEENS[n - 10]
        unit = _UNITS[n % 10]
        if not unit:
            return _TENS[n // 10]
        return f"{unit}{'ën' if unit.endswith('e') else 'en'}{_TENS[n // 10]}"

    def below_1000(n: int) -> str:
        hundreds, rest = divmod(n, 100)
        if not hundreds:
            return below_100(rest)
        head = "" if hundreds == 1 else _UNITS[hundreds] + space
        return f"{head}honderd{space if rest else ''}{below_100(rest)}"

    thousands, rest = divmod(number, 1000)
    if not thousands:
        return below_1000(rest)
    head = "" if thousands == 1 else _UNITS[thousands] + space
    return f"{head}duizend{space if rest else ''}{below_1000(rest)}"


@fuzz(100)
@given(number=st.integers(0, 9999), space=st.sampled_from(["", " "]), upper=st.booleans())
@example(number=23, space="", upper=False)  # drieëntwintig
@example(number=2019, space="", upper=True)
def test_number_words_read_back(number: int, space: str, upper: bool) -> None:
    words = dutch(number, space)
    assert parse_number(words.upper() if upper else words) == number
    assert parse_number(f"{number:,}".replace(",", ".")) == number
    found = find_numbers(f"Het waren er {words} of {number}.")
    assert number in [m.value for m in found]


@fuzz(40)
@given(text=summaries())
@example(text="Het bedrag was " + "9" * 5000 + " euro.")  # int() of 5000 digits: ValueError
@example(text="1" * 4301)
def test_numbers_and_ages_are_exact_substrings(text: str) -> None:
    numbers = find_numbers(text)
    assert_spans(text, numbers)
    assert all(isinstance(m.value, int) and m.value >= 0 for m in numbers)
    ages = find_ages(text)
    assert_spans(text, ages)
    assert all(0 < m.age <= 110 for m in ages)


@fuzz(60)
@given(text=odd_text)
def test_parse_number_reads_one_number_or_none(text: str) -> None:
    value = parse_number(text)
    assert value is None or (isinstance(value, int) and value >= 0)


# --- cases extract ---------------------------------------------------------------------


@fuzz(10)
@given(text=summaries())
@example(text="Verdachte Dylan K. (22) en slachtoffer Sanne (16). " + "9" * 5000)
def test_extraction_gives_a_valid_case_with_exact_evidence(text: str) -> None:
    document = extract_case(text, case_id="FUZZ-1")
    case, problems = validate_case(document, CODEBOOK, source="fuzz.txt", location="")
    assert problems == [], [str(p) for p in problems]
    assert case is not None and case.case_id == "FUZZ-1"
    for item in document["evidence"]:
        assert 0 <= item["start"] <= item["end"] <= len(text)
        assert text[item["start"] : item["end"]] == item["text"]


@fuzz(12)
@given(
    content=summaries().map(lambda t: t.encode("utf-8"))
    | st.binary(max_size=60)
    | st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe Jolanda", b"   \r\n"]),
    name=st.sampled_from(["zaak 1.txt", "ZAAK-2019 (oost).txt", "é.txt", ".txt"]),
)
def test_extract_files_writes_every_case_or_nothing(
    tmp_path: Path, content: bytes, name: str
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # tmp_path is shared by the examples
    source = folder / name
    source.write_bytes(content)
    out = folder / "out"
    try:
        written = extract_files([source], out)
    except ValidationFailed as error:
        assert [p.source for p in error.problems] == [name]
        assert "Jolanda" not in str(error) + "".join(str(p) for p in error.problems)
        assert not out.exists() or not any(out.iterdir())
        return
    (target,) = written
    document = json.loads(target.read_text("utf-8"))
    case, problems = validate_case(document, CODEBOOK, source=target.name, location="")
    assert problems == [] and case is not None


# --- cases evaluate --------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=4,
)


@st.composite
def coded_like(draw: st.DrawFn, case_id: str) -> dict[str, Any]:
    """Documents shaped like coded cases, with values of any JSON type."""
    person = st.dictionaries(
        st.sampled_from(["pid", "vid", "label", "gender", "age_at_start", "perpetrators"]),
        json_values,
    )
    return {
        "case": {"case_id": case_id, "year_start": draw(json_values)},
        "perpetrators": draw(st.lists(person, max_size=3) | json_values),
        "victims": draw(st.lists(person, max_size=3)),
    }


@fuzz(10)
@given(data=st.data())
def test_evaluate_scores_any_documents_without_crashing(data: st.DataObject) -> None:
    ids = data.draw(st.lists(st.sampled_from(["A", "B", "C"]), unique=True, max_size=3))
    gold = [data.draw(coded_like(case_id)) for case_id in ids]
    predicted = [data.draw(coded_like(case_id)) for case_id in ids[::-1]]
    result = evaluate(gold, predicted)
    assert result.n_cases == len(gold)
    assert result.overall.tp == sum(score.tp for score in result.fields.values())
    assert result.predicted_values == result.overall.tp + result.overall.fp
    # A document scored against itself is right everywhere (perpetrator references
    # aside: two equal perpetrators may be aligned crosswise).
    for document in gold:
        for role in ("perpetrators", "victims"):
            for person in document[role] if isinstance(document[role], list) else []:
                if isinstance(person, dict):
                    person.pop("perpetrators", None)
    same = evaluate(gold, gold)
    assert (same.overall.fp, same.overall.fn) == (0, 0)


@fuzz(12)
@given(
    content=st.sampled_from(
        [b"[" * 100_000, b'{"case": {"case_id": 1' + b"0" * 5000 + b"}}", b"\xff", b"", b"[]"]
    )
    | st.binary(max_size=40)
)
@example(content=b"[" * 100_000)  # RecursionError escaped
@example(content=b'{"n": ' + b"9" * 5000 + b"}")  # ValueError (int digits limit) escaped
def test_evaluate_reads_any_folder_or_says_which_file(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "gold"
    folder.mkdir(exist_ok=True)
    (folder / "case-1.json").write_bytes(content)
    try:
        documents = read_documents(folder)
    except InputError as error:
        assert str(error).startswith("case-1.json")
        return
    assert len(documents) == 1 and isinstance(documents[0], dict)


# --- cases deidentify ------------------------------------------------------------------

PLANTED = {
    "bsn": "BSN 123456782",
    "email": "j.quist@example.nl",
    "phone": "06-12345678",
    "iban": "NL91 ABNA 0417 1643 00",
}


@fuzz(20)
@given(text=summaries(), planted=st.lists(st.sampled_from(sorted(PLANTED)), max_size=3))
@example(text="Dylan K. (22)\r\nbelde.", planted=["phone"])
def test_deidentify_replaces_exact_spans_and_planted_numbers(
    deidentifier: Deidentifier, text: str, planted: list[str]
) -> None:
    for kind in planted:
        text = f"{text} Zie {PLANTED[kind]} hier.\n"
    result = deidentifier.deidentify(text)
    pieces, position = [], 0
    for item in result.replacements:
        assert position <= item.start < item.end <= len(text)
        assert re.fullmatch(rf"\[{KIND_LABELS[item.kind]}-\d+\]", item.placeholder)
        pieces += [text[position : item.start], item.placeholder]
        position = item.end
    assert "".join([*pieces, text[position:]]) == result.text
    for kind in planted:
        secret = PLANTED[kind].removeprefix("BSN ")
        assert secret not in result.text, kind
    assert result.text.count("\n") == text.count("\n")
    assert result.text.count("\r\n") == text.count("\r\n")


@fuzz(6)
@given(content=st.binary(max_size=40) | st.sampled_from([b"\xff\xfeJolanda Quist", b""]))
@example(content=b"Jolanda Quist \xc3\x28 woont hier")
def test_deidentify_file_refuses_bad_bytes_without_showing_them(
    deidentifier: Deidentifier, tmp_path: Path, content: bytes
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # tmp_path is shared by the examples
    source = folder / "zaak.txt"
    source.write_bytes(content)
    out = folder / "out"
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        with pytest.raises(ValidationFailed) as info:
            deidentify_file(source, out, deidentifier)
        shown = str(info.value) + "".join(str(p) for p in info.value.problems)
        assert "zaak.txt" in shown and "Jolanda" not in shown
        assert not (out / "zaak.txt").exists()
        return
    target = deidentify_file(source, out, deidentifier)
    assert target.read_bytes().decode("utf-8") == deidentifier.deidentify(text).text
