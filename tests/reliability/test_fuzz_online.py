"""Property-based tests of ``online ingest`` and the indicator lexicon on bad input.

Advertisement files (JSONL and CSV) are written from generated ads, then a field gets a
wrong JSON type or a planted personal value, or the file is broken (truncated, not
UTF-8, NaN, huge numbers, deep nesting, an unclosed quote, a cell too long, NUL). The
reader must never raise; an ingest stores every usable ad or raises
:class:`ValidationFailed` and writes nothing, on SQLite and PostgreSQL; problems and
notices name the file, line and field and never the value. Phone numbers, e-mail
addresses and handles normalise idempotently; lexicon files load or raise
:class:`ConfigError`.

Examples are derandomized (the same on every run and in CI); see ``fuzz()``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenbeeld.errors import ConfigError, Problem, ValidationFailed
from ketenbeeld.online.ads import parse_record, read_ad_files
from ketenbeeld.online.indicators import text_hits
from ketenbeeld.online.ingest import ingest_ads
from ketenbeeld.online.lexicon import Lexicon, fold, load_lexicon
from ketenbeeld.online.models import AdRecord
from ketenbeeld.online.normalise import (
    find_emails,
    find_handles,
    find_phones,
    normalise_email,
    normalise_handle,
    normalise_phone,
    parse_age,
    parse_price,
)

from .fuzzing import fuzz, mutated_tree

PLANTED = ("Jolanda Quist-Vermeulen", "Zoë van der Berg", "0612345670 Priscilla")
FIELDS = ("ad_id", "posted_at", "site", "city", "phone", "email", "handle", "title", "text")
FIELDS += ("age", "price")


# --- advertisements ---------------------------------------------------------------------

free_text = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40)


@st.composite
def ads(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(
        st.lists(st.text("abcxyz0123456789", min_size=1, max_size=10), unique=True, max_size=5)
    )
    return [
        {
            "ad_id": ad_id,
            "posted_at": draw(
                st.sampled_from(["", "2026-03-01T14:30:00", "2026-03-01T14:30:00Z", "2026-03-01"])
            ),
            "site": draw(st.sampled_from(["", "kinky.nl", "sexjobs"])),
            "city": draw(st.sampled_from(["", "Utrecht", "Den Haag", "'s-Hertogenbosch"])),
            "phone": draw(st.sampled_from(["", "06-12345678", "+31 6 8765 4321", "O6 1234 5678"])),
            "email": draw(st.sampled_from(["", "lisa.x@mail.nl", "lisa [at] mail [dot] nl"])),
            "handle": draw(st.sampled_from(["", "snap: lisa_x", "t.me/Lisa_X", "@lisa"])),
            "title": draw(st.sampled_from(["", "Nieuw in Utrecht", "Net 18!"]) | free_text),
            "text": draw(free_text.filter(str.strip)),
            "age": draw(st.sampled_from(["", "19", "19 jaar", "negentien", "15"])),
            "price": draw(st.sampled_from(["", "€150", "150 euro", "€ 1.500,-", "gratis"])),
        }
        for ad_id in ids
    ]


def jsonl(records: list[Any], ascii_only: bool = True, newline: str = "\n") -> bytes:
    lines = [json.dumps(r, ensure_ascii=ascii_only, allow_nan=True) for r in records]
    return (newline.join(lines) + newline).encode("utf-8")


def ads_csv(records: list[dict[str, Any]], newline: str = "\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FIELDS), lineterminator=newline)
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def scratch(tmp_path: Path, name: str, content: bytes) -> Path:
    """A new file per example (tmp_path is shared by all examples of a test)."""
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / name
    path.write_bytes(content)
    return path


def assert_clean(problems: list[Problem], names: set[str], secrets: tuple[str, ...]) -> None:
    for problem in problems:
        assert problem.source in names
        assert problem.message
        for secret in secrets:
            assert secret not in str(problem), "a personal value was echoed"


@fuzz(20)
@given(
    records=ads(),
    form=st.sampled_from(["jsonl", "jsonl-utf8", "csv", "crlf", "cr"]),
)
@example(  # U+2028 in an ad's text, written raw: was split into two broken lines
    records=[{"ad_id": "a1", "text": "Nieuw\u2028in de stad"}], form="jsonl-utf8"
)
def test_ads_read_back_as_written(tmp_path: Path, records: list[dict[str, Any]], form: str) -> None:
    newline = {"crlf": "\r\n", "cr": "\r"}.get(form, "\n")
    if form.startswith("jsonl") or form == "cr":
        content = jsonl(records, ascii_only=form == "jsonl", newline=newline)
        path = scratch(tmp_path, "ads.jsonl", content)
    else:
        path = scratch(tmp_path, "ads.csv", ads_csv(records, newline))
    result = read_ad_files([path])
    assert result.problems == []
    assert [ad.ad_id for ad in result.ads] == [r["ad_id"] for r in records]
    assert [ad.text for ad in result.ads] == [r["text"].strip() for r in records]
    for ad in result.ads:
        assert all(phone.startswith("+") and phone[1:].isdigit() for phone in ad.phones)
        assert ad.age is None or 16 <= ad.age <= 99
        assert ad.price is None or 0 < ad.price <= 100_000
    assert read_ad_files([path]).ads == result.ads  # the same digests again


# Where a bad value goes, and values that make a record unusable there.
_UNUSABLE = {
    "ad_id": [None, "", [], {"a": 1}, True, "x" * 201, "a\x00b"],
    "text": [None, "  ", [], {"t": "x"}, 5, True, "a\x00b"],
    "posted_at": ["Jolanda Quist-Vermeulen", "2026-13-01", "0001-01-01T00:00:00+01:00"],
    "city": ["x" * 201, "Utrecht\x00"],
    "site": ["x" * 201],
    "title": ["a\x00b"],
    "extra": [math.nan, math.inf, [math.nan]],
}


@fuzz(30)
@given(records=ads().filter(bool), field=st.sampled_from(sorted(_UNUSABLE)), data=st.data())
@example(  # a date that UTC moves before year 1 (OverflowError)
    records=[{"ad_id": "a1", "text": "hoi"}], field="posted_at", data=None
)
def test_an_unusable_record_is_named_and_nothing_else_breaks(
    tmp_path: Path, records: list[dict[str, Any]], field: str, data: Any
) -> None:
    index = 0 if data is None else data.draw(st.integers(0, len(records) - 1))
    value = _UNUSABLE[field][-1] if data is None else data.draw(st.sampled_from(_UNUSABLE[field]))
    records[index]["extra" if field == "extra" else field] = value
    path = scratch(tmp_path, "ads.jsonl", jsonl(records))
    result = read_ad_files([path])
    where = f"line {index + 1}"
    assert [p.location for p in result.problems] == [where]
    assert result.skipped_locations == [(path.name, where)]
    assert len(result.ads) == len(records) - 1
    assert_clean(result.problems + result.notices, {path.name}, PLANTED)


@fuzz(30)
@given(
    records=ads().filter(bool), field=st.sampled_from(["phone", "email", "handle", "age", "price"])
)
def test_an_unreadable_value_is_a_notice_without_the_value(
    tmp_path: Path, records: list[dict[str, Any]], field: str
) -> None:
    records[0][field] = "Jolanda Quist-Vermeulen"
    path = scratch(tmp_path, "ads.csv", ads_csv(records))
    result = read_ad_files([path])
    assert result.problems == []
    assert [p.location for p in result.notices if p.field == field].count("row 2") == 1
    assert_clean(result.notices, {path.name}, ("Jolanda",))
    first = result.ads[0]
    assert "Jolanda Quist-Vermeulen" in json.dumps(first.extra, ensure_ascii=False)  # kept


@st.composite
def broken_ad_files(draw: st.DrawFn) -> tuple[str, bytes]:
    records = draw(ads())
    name = draw(st.sampled_from(["ads.jsonl", "ads.csv", "ads.json"]))
    data = ads_csv(records) if name.endswith(".csv") else jsonl(records, draw(st.booleans()))
    how = draw(
        st.sampled_from(["truncate", "insert", "not-utf8", "nan", "huge", "deep", "quote", "long"])
    )
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
    elif how == "not-utf8":
        data += "Zoë".encode("latin-1")
    elif how == "nan":
        data += b'{"ad_id": "n", "text": "x", "extra": NaN}\n'
    elif how == "huge":
        data += b'{"ad_id": "h", "text": "x", "n": ' + b"9" * 5000 + b"}\n"
    elif how == "deep":
        data += b"[" * 100_000 + b"\n"
    elif how == "quote":
        data += b'z,,,,,,,,"Jolanda Quist\n'
    elif how == "long":
        data += b"l," + b"x" * 200_000 + b"\n"
    return name, data


@fuzz(30)
@given(file=broken_ad_files())
@example(file=("ads.csv", b"ad_id,text\na," + b"x" * 200_000 + b"\n"))  # csv field limit
@example(file=("ads.csv", b'ad_id,text\na,"unclosed\nb,Jolanda\n'))  # swallowed the rest
@example(file=("ads.jsonl", b'{"ad_id": "a", "text": "x", "n": ' + b"9" * 5000 + b"}\n"))
@example(file=("ads.jsonl", b"[" * 100_000))
@example(file=("ads.jsonl", b'{"ad_id": "a", "text": "x\\ud800"}\n'))  # surrogate: sha256 failed
def test_a_broken_ad_file_is_read_without_raising(tmp_path: Path, file: tuple[str, bytes]) -> None:
    name, content = file
    path = scratch(tmp_path, name, content)
    result = read_ad_files([path])
    assert_clean(result.problems + result.notices, {name}, ("Jolanda",))
    assert all(p in result.problems for p in result.file_problems)
    assert len({ad.ad_id for ad in result.ads}) == len(result.ads)
    for ad in result.ads:
        ad.text.encode("utf-8")  # storable text


def _stored(engine: Any) -> list[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.execute(select(AdRecord.ad_id, AdRecord.content_sha256)).all()
    return sorted((row.ad_id, row.content_sha256) for row in rows)


@fuzz(8)
@given(file=broken_ad_files(), good=ads())
@example(file=("ads.jsonl", b'{"ad_id": "a", "text": "x\\u0000y"}\n'), good=[])  # NUL: PG
@example(
    file=("ads.jsonl", json.dumps({"ad_id": "c", "text": "x", "city": "c" * 300}).encode()), good=[]
)
@example(file=("ads.jsonl", b'{"ad_id": "n", "text": "x", "extra": NaN}\n'), good=[])  # PG json
def test_ingest_stores_all_or_nothing_and_twice_is_once(
    engine: Any, tmp_path: Path, file: tuple[str, bytes], good: list[dict[str, Any]]
) -> None:
    name, content = file
    good_path = scratch(tmp_path, "good.jsonl", jsonl(good))
    bad_path = scratch(tmp_path, name, content)
    before = _stored(engine)
    read = read_ad_files([good_path, bad_path])
    if read.problems:
        with pytest.raises(ValidationFailed) as info:
            ingest_ads(engine, [good_path, bad_path])
        assert_clean(list(info.value.problems), {"good.jsonl", name}, ("Jolanda",))
        assert _stored(engine) == before
        return
    first = ingest_ads(engine, [good_path, bad_path])
    assert first.n_records == read.n_records
    again = ingest_ads(engine, [good_path, bad_path])
    assert (again.n_new, again.n_updated) == (0, 0)
    assert again.n_unchanged == len(read.ads)
    with Session(engine) as session:
        count = session.execute(select(func.count()).select_from(AdRecord)).scalar_one()
    assert count == len({*dict(before), *(ad.ad_id for ad in read.ads)})


# --- contacts, age and price ------------------------------------------------------------

contact_text = st.text(max_size=40) | st.sampled_from(
    [
        "06-12345678",
        "O6 1234 5678",
        "nul zes 12 34 56 78",
        "+31 6 8765 4321",
        "0031612345678",
        "wa.me/31612345678",
        "Lisa.X [at] Mail [dot] NL",
        "snap: Lisa_X",
        "insta @lisa.x",
        "t.me/Lisa_X",
        "@lisa",
        "@abc-",
        "whatsapp: abc",
        "İnsta lisa",
        "ſnap lisa_x",
    ]
)


@fuzz(120)
@given(text=contact_text)
@example(text="@lisa")  # gave handle:lisa, which did not normalise again
@example(text="@abc-")
def test_contacts_normalise_idempotently(text: str) -> None:
    phone = normalise_phone(text)
    if phone is not None:
        assert normalise_phone(phone) == phone
    email = normalise_email(text)
    if email is not None:
        assert normalise_email(email) == email
    handle = normalise_handle(text)
    if handle is not None:
        assert normalise_handle(handle) == handle
    for found in find_phones(text):
        assert normalise_phone(found) == found
    for found in find_emails(text):
        assert normalise_email(found) == found
    for found in find_handles(text):
        assert normalise_handle(found) == found


@fuzz(100)
@given(text=st.text(max_size=20) | st.sampled_from(["1e-400", "1E5", "NaN", "-5", "1_000", "٥٠"]))
@example(text="1e-400")  # a price of 0.0 slipped through "value > 0"
def test_age_and_price_are_in_range_or_none(text: str) -> None:
    age = parse_age(text)
    assert age is None or (isinstance(age, int) and 16 <= age <= 99)
    price = parse_price(text)
    assert price is None or (math.isfinite(price) and 0 < price <= 100_000)


# --- lexicon files ----------------------------------------------------------------------

_BUILTIN_LEXICON = yaml.safe_load(
    (Path(__file__).parents[2] / "src/ketenbeeld/online/data/indicators-1.yaml").read_text()
)
junk = st.sampled_from(
    [
        None,
        5,
        -1,
        0,
        "",
        "x",
        "(",
        "a{99999999999}",
        True,
        math.nan,
        math.inf,
        [],
        {},
        ["("],
        10**400,
    ]
)


@st.composite
def lexicon_files(draw: st.DrawFn) -> bytes:
    data = yaml.safe_dump(draw(mutated_tree(_BUILTIN_LEXICON, junk)), allow_unicode=True).encode()
    how = draw(st.sampled_from(["as-is", "truncate", "bytes", "date"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    elif how == "date":
        data += b"released: 2019-02-30\n"
    return data


@fuzz(30)
@given(data=lexicon_files())
@example(data=b"version: 1\ntext: [1, 2]\n")  # 'list' object has no attribute 'items'
@example(data=b"version: \xff\n")  # UnicodeDecodeError
@example(data=b"version: 1\nreleased: 2019-02-30\n")  # ValueError from PyYAML
@example(data=b"version: 1\ngroup:\n  burst: {min_ads: .nan, within_hours: .inf}\n")
@example(data=b"version: 1\ngroup:\n  burst: {min_ads: 1" + b"0" * 400 + b", within_hours: 1}\n")
@example(
    data=b"version: 1\ntext:\n  a:\n    label: {nl: a, en: b}\n    explanation: {nl: a, en: b}\n"
    b"    weight: 1\n    patterns: ['a{99999999999}', [x]]\n"
)
def test_lexicon_files_load_or_list_their_problems(tmp_path: Path, data: bytes) -> None:
    path = scratch(tmp_path, "lexicon.yaml", data)
    try:
        lexicon = load_lexicon(path)
    except ConfigError as error:
        assert "lexicon" in str(error)
        return
    assert isinstance(lexicon, Lexicon)
    for item in [*lexicon.text.values(), *lexicon.group.values()]:
        assert math.isfinite(item.weight) and item.weight >= 0
    for group in lexicon.group.values():
        assert all(math.isfinite(value) and value > 0 for value in group.params.values())
    ad, _, _ = parse_record({"ad_id": "a", "text": "Net 18, nieuw!"}, "x", "line 1")
    assert ad is not None
    for hit in text_hits(ad, lexicon):
        assert ad.text[hit.start : hit.end] == hit.evidence


@fuzz(100)
@given(text=st.text())
@example(text="İstanbul ǅ ẞ ﬁ")
def test_fold_keeps_every_offset(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded
