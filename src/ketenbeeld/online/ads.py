"""Reading advertisement files (JSONL, CSV or Parquet, the "Advertisement" format of DESIGN.md).

Every record becomes an :class:`Ad` with its identifiers normalised (phones as
E.164, e-mail in lower case, handles as ``platform:name``), found in the contact
fields and in the title and text. A record that cannot be used (no ``ad_id`` or
``text``, a date that is not ISO 8601, an ``ad_id`` used twice with other content)
is a *problem*, named by file, line and field, never by its value; a value that is
merely unreadable (a phone number that is not one, a price in words) is a *notice*:
the ad is kept, the raw value stays in ``extra``.

A ``.parquet`` file has one column per field (the same names as the CSV header) and
one row per ad; rows are numbered from 1. Its values are taken as JSONL values
would be (a null is an absent field; a timestamp or date becomes its ISO 8601
text), so the same ads read from JSONL and from Parquet are the same :class:`Ad`
objects. pyarrow is imported only when a Parquet file is read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from ketenbeeld.errors import Problem
from ketenbeeld.online._gc import paused_gc
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
from ketenbeeld.parquet import arrow, is_parquet

__all__ = ["KNOWN_FIELDS", "Ad", "ReadResult", "parse_record", "read_ad_files"]

KNOWN_FIELDS = (
    "ad_id",
    "posted_at",
    "site",
    "city",
    "phone",
    "email",
    "handle",
    "title",
    "text",
    "age",
    "price",
)
_MAX_ID = 200


@dataclass(frozen=True)
class Ad:
    """One advertisement, normalised.

    Attributes:
        ad_id: the source's id of the ad.
        content_sha256: SHA-256 of the record as read (canonical JSON): re-reading
            the same record gives the same digest, so ingesting twice changes nothing.
        phones / emails / handles: normalised identifiers from the contact fields
            and the title and text, in order of appearance.
        extra: fields outside the format, and raw values that could not be read.
    """

    ad_id: str
    content_sha256: str
    posted_at: datetime | None
    site: str | None
    city: str | None
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    handles: tuple[str, ...]
    title: str | None
    text: str
    age: int | None
    price: float | None
    extra: dict[str, Any]


@dataclass
class ReadResult:
    """Ads read from files, and what was wrong.

    Attributes:
        ads: usable ads, in file order, each ``ad_id`` once.
        problems: unusable records (file, line, field, reason), and unusable files.
        file_problems: the files that cannot be read at all (also in ``problems``).
        notices: unreadable values of kept ads.
        skipped_locations: ``(source, location)`` of every unusable record.
        n_records: records read.
        digests: SHA-256 of each file, in order.
    """

    ads: list[Ad] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    skipped_locations: list[tuple[str, str]] = field(default_factory=list)
    n_records: int = 0
    digests: list[str] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _posted_at(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved out of range
        return None
    return moment


def _merge(*groups: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))


def parse_record(
    raw: Mapping[str, Any], source: str, location: str
) -> tuple[Ad | None, list[Problem], list[Problem]]:
    """One record as an :class:`Ad`, or ``None`` with the problems that make it unusable."""
    problems: list[Problem] = []
    notices: list[Problem] = []
    raw_id, raw_text = raw.get("ad_id"), raw.get("text")
    # A list, an object or true is no id or text (str() would make one of it).
    scalar_id = isinstance(raw_id, str | int) and not isinstance(raw_id, bool)
    ad_id = _text(raw_id) if scalar_id else None
    if ad_id is None:
        problems.append(Problem(source, location, "ad_id", "is required"))
    elif len(ad_id) > _MAX_ID:
        problems.append(Problem(source, location, "ad_id", f"is longer than {_MAX_ID} characters"))
    text = _text(raw_text) if isinstance(raw_text, str) else None
    if text is None:
        problems.append(Problem(source, location, "text", "is required (the ad's text)"))
    posted_raw = _text(raw.get("posted_at"))
    posted_at = _posted_at(posted_raw) if posted_raw else None
    if posted_raw and posted_at is None:
        problems.append(
            Problem(source, location, "posted_at", "must be ISO 8601, e.g. 2026-03-01T14:30:00")
        )
    for name in ("site", "city"):
        value = _text(raw.get(name))
        if value is not None and len(value) > _MAX_ID:
            problems.append(Problem(source, location, name, f"is longer than {_MAX_ID} characters"))
    for name in ("ad_id", "title", "text", "site", "city"):
        if "\x00" in str(raw.get(name) or ""):
            problems.append(Problem(source, location, name, "holds a NUL character: remove it"))
    if problems or ad_id is None or text is None:
        return None, problems, notices
    extra = {k: v for k, v in raw.items() if k not in KNOWN_FIELDS and v not in (None, "")}
    title = _text(raw.get("title"))
    body = f"{title or ''}\n{text}"

    def field_values(name: str, normalise: Any) -> list[str]:
        value = _text(raw.get(name))
        if value is None:
            return []
        parts = [p for p in value.replace(";", ",").replace("|", ",").split(",") if p.strip()]
        found = []
        for part in parts:
            normalised = normalise(part)
            if normalised is None:
                notices.append(
                    Problem(source, location, name, f"is not a readable {name}; kept as written")
                )
                extra[f"{name}_raw"] = value
            else:
                found.append(normalised)
        return found

    # A WhatsApp link in the handle field ("wa.me/316...") is a phone number.
    whatsapp = find_phones(str(raw.get("handle") or ""))

    def handle_or_whatsapp(part: str) -> str | None:
        return normalise_handle(part) or ("whatsapp" if find_phones(part) else None)

    phones = _merge(field_values("phone", normalise_phone), whatsapp, find_phones(body))
    emails = _merge(field_values("email", normalise_email), find_emails(body))
    handles_field = field_values("handle", handle_or_whatsapp)
    handles = _merge([h for h in handles_field if h != "whatsapp"], find_handles(body))
    age_raw, price_raw = _text(raw.get("age")), _text(raw.get("price"))
    age = parse_age(age_raw) if age_raw else None
    if age_raw and age is None:
        notices.append(
            Problem(source, location, "age", "is not an age from 16 to 99; kept as written")
        )
        extra["age_raw"] = age_raw
    price = parse_price(price_raw) if price_raw else None
    if price_raw and price is None:
        notices.append(
            Problem(source, location, "price", "is not a price in euros; kept as written")
        )
        extra["price_raw"] = price_raw
    canonical = json.dumps(
        {k: v for k, v in raw.items() if v not in (None, "")},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    try:
        encoded = canonical.encode("utf-8")
    except UnicodeEncodeError:
        # A JSON escape such as "\ud800" gives a string that is not Unicode text.
        message = "holds text with an unpaired surrogate (a \\ud800-\\udfff escape)"
        return None, [Problem(source, location, "", message)], notices
    ad = Ad(
        ad_id=ad_id,
        content_sha256=hashlib.sha256(encoded).hexdigest(),
        posted_at=posted_at,
        site=_text(raw.get("site")),
        city=_text(raw.get("city")),
        phones=phones,
        emails=emails,
        handles=handles,
        title=title,
        text=text,
        age=age,
        price=price,
        extra=extra,
    )
    return ad, problems, notices


_LINE_END = re.compile(r"\r\n|\r|\n")


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (Python reads them; databases refuse them).
    raise ValueError(f"{name} is not a JSON number")


# Reasons that make a whole file unusable (its other records are not read).
_FILE_REASONS = (
    "the header lacks",
    "cannot be read as CSV",
    "is not a Parquet file",
    "the columns lack",
    "the column ",
    "cannot be read as Parquet",
)
_PARQUET_BATCH = 8_192


def _csv_records(data: str) -> Iterator[tuple[str, Mapping[str, Any] | None, str]]:
    # Strict: an unclosed quote would otherwise swallow the rest of the file into
    # one cell, and a cell over the csv module's limit raises; both end the file.
    reader = csv.DictReader(io.StringIO(data, newline=""), strict=True)
    number = 1
    try:
        header = reader.fieldnames or []
        missing = [name for name in ("ad_id", "text") if name not in header]
        if missing:
            yield "row 1", None, f"the header lacks {', '.join(missing)}"
            return
        for number, row in enumerate(reader, start=2):
            if None in row:
                yield f"row {number}", None, "has more cells than the header"
                continue
            yield f"row {number}", row, ""
    except csv.Error:
        yield (
            f"row {number + 1}",
            None,
            "cannot be read as CSV (a quote is not closed, or a cell is too long)",
        )


def _records(path: Path, data: str) -> Iterator[tuple[str, Mapping[str, Any] | None, str]]:
    """``(location, record or None, reason)`` for every record of a file."""
    if path.suffix.lower() == ".csv":
        yield from _csv_records(data)
        return
    # Lines end at "\n", "\r\n" or "\r" only: a JSON string may hold U+2028, U+0085
    # and the like raw (scraped text often does), which str.splitlines() would take
    # for line ends.
    for number, line in enumerate(_LINE_END.split(data), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            yield f"line {number}", None, f"is not valid JSON ({exc.msg})"
            continue
        except (ValueError, RecursionError):
            yield (
                f"line {number}",
                None,
                "is not valid JSON (NaN, Infinity, a number too long or nesting too deep)",
            )
            continue
        if not isinstance(record, dict):
            yield f"line {number}", None, "must be a JSON object with ad_id and text"
            continue
        yield f"line {number}", record, ""


class _NotJson(ValueError):
    """A Parquet value JSON cannot hold (NaN or Infinity)."""


def _json_value(value: Any) -> Any:
    """A Parquet value as the JSON value of the same ad in JSONL."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _NotJson
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        number = float(value)
        if not math.isfinite(number):
            raise _NotJson
        return number
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    return value


def _parquet_records(data: bytes, name: str) -> Iterator[tuple[str, Mapping[str, Any] | None, str]]:
    """``(location, record or None, reason)`` for every row of a Parquet file."""
    pa, pq = arrow(name)
    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, ValueError):
        yield "", None, "is not a Parquet file (or it is damaged)"
        return
    missing = [column for column in ("ad_id", "text") if column not in schema.names]
    if missing:
        yield "", None, f"the columns lack {', '.join(missing)}"
        return
    for column in schema:
        if (
            pa.types.is_binary(column.type)
            or pa.types.is_large_binary(column.type)
            or (pa.types.is_fixed_size_binary(column.type))
        ):
            yield "", None, f"the column {column.name} is binary; ads hold text, numbers and times"
            return
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH):
            for row in batch.to_pylist():
                number += 1
                try:
                    record = {key: _json_value(value) for key, value in row.items()}
                except _NotJson:
                    yield f"row {number}", None, "holds NaN or Infinity, which is not a number"
                    continue
                yield f"row {number}", record, ""
    except (pa.ArrowException, OSError, ValueError):
        yield f"row {number + 1}", None, "cannot be read as Parquet (the file is damaged)"


@paused_gc()
def read_ad_files(paths: list[Path]) -> ReadResult:
    """Read JSONL (``.jsonl``/``.json``), CSV (``.csv``) and Parquet (``.parquet``) ad files.

    Never raises for content: every problem is in the result.

    An ``ad_id`` repeated with the same content is read once; with other content the
    later record is a problem (which one is the ad?).
    """
    result = ReadResult()
    seen: dict[str, tuple[str, str, str]] = {}
    for path in paths:
        name = path.name
        parquet = is_parquet(path)
        try:
            raw_bytes = path.read_bytes()
            data = "" if parquet else raw_bytes.decode("utf-8-sig")
        except FileNotFoundError:
            result.file_problems.append(Problem(name, "", "", "does not exist"))
            continue
        except (OSError, UnicodeDecodeError):
            result.file_problems.append(Problem(name, "", "", "cannot be read as UTF-8 text"))
            continue
        result.digests.append(hashlib.sha256(raw_bytes).hexdigest())
        records = _parquet_records(raw_bytes, name) if parquet else _records(path, data)
        for location, record, reason in records:
            if record is None and reason.startswith(_FILE_REASONS):
                result.file_problems.append(Problem(name, location, "", reason))
                continue
            result.n_records += 1
            if record is None:
                result.problems.append(Problem(name, location, "", reason))
                result.skipped_locations.append((name, location))
                continue
            ad, problems, notices = parse_record(record, name, location)
            result.notices.extend(notices)
            if ad is not None and ad.ad_id in seen:
                first_name, first_location, digest = seen[ad.ad_id]
                if digest == ad.content_sha256:
                    continue
                problems.append(
                    Problem(
                        name,
                        location,
                        "ad_id",
                        f"is used by {first_name} {first_location} with other content",
                    )
                )
                ad = None
            if ad is None:
                result.problems.extend(problems)
                result.skipped_locations.append((name, location))
                continue
            seen[ad.ad_id] = (name, location, ad.content_sha256)
            result.ads.append(ad)
    result.problems[:0] = result.file_problems
    return result
