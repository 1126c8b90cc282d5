"""Reviewing a proposed coding: accept or correct a value, keeping the trail.

A proposal from ``cases extract`` is a draft. The reviewer accepts a value or
corrects it; :func:`review_value` records either in the document's ``review`` list:
the path, what was proposed, the value kept, the evidence the proposal rested on,
who reviewed and when. The document itself then holds the value kept, so ``cases
import`` imports the reviewed coding, and validation checks that every review entry
agrees with it (an entry that says "corrected to X" while the coding holds Y is
refused). A corrected value loses the proposal's evidence in ``evidence`` (it no
longer supports the value) but keeps it in its review entry.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from ketenbeeld.errors import InputError

__all__ = ["review_value"]


def review_value(
    document: dict[str, Any],
    path: str,
    value: Any,
    *,
    by: str,
    at: datetime | None = None,
) -> dict[str, Any]:
    """A copy of ``document`` with the value at ``path`` reviewed.

    Args:
        document: a coded case (a proposal from ``cases extract``, or one already
            partly reviewed).
        path: the value's path, e.g. ``"victims.V1.first_contact_date"`` or
            ``"case.year_start"``.
        value: the value kept: equal to the proposal (accepted) or not (corrected;
            ``None`` for "the file does not settle it").
        by: who reviewed (a name or account).
        at: when; default now (UTC).

    Raises:
        InputError: the path names no person or variable of the document.

    Example:
        >>> doc = {"case": {"case_id": "X", "year_start": 2019}, "perpetrators": [],
        ...        "victims": [], "evidence": [{"path": "case.year_start",
        ...        "text": "8 maart 2019", "start": 10, "end": 22}]}
        >>> reviewed = review_value(doc, "case.year_start", 2018, by="onderzoeker-1",
        ...                         at=datetime(2026, 11, 29, 14, 5, tzinfo=UTC))
        >>> reviewed["case"]["year_start"], reviewed["evidence"]
        (2018, [])
        >>> entry = reviewed["review"][0]
        >>> entry["action"], entry["proposed"], entry["value"], entry["evidence"][0]["text"]
        ('corrected', 2019, 2018, '8 maart 2019')
    """
    result = copy.deepcopy(document)
    record, name = _locate(result, path)
    earlier = [item for item in result.get("review", []) if item["path"] == path]
    # A value reviewed before keeps its original proposal and evidence.
    proposed = earlier[-1]["proposed"] if earlier else record.get(name)
    action = "accepted" if _same(proposed, value) else "corrected"
    support = (
        earlier[-1]["evidence"]
        if earlier
        else [item for item in result.get("evidence", []) if item.get("path") == path]
    )
    entry: dict[str, Any] = {
        "path": path,
        "action": action,
        "proposed": proposed,
        "value": value,
        "evidence": support,
        "by": by,
        "at": (at or datetime.now(UTC)).isoformat(timespec="seconds"),
    }
    record[name] = value
    others = [item for item in result.get("evidence", []) if item.get("path") != path]
    result["evidence"] = others + (support if action == "accepted" else [])
    result["review"] = [item for item in result.get("review", []) if item["path"] != path]
    result["review"].append(entry)
    return result


def _same(one: Any, other: Any) -> bool:
    if isinstance(one, list) and isinstance(other, list):
        return sorted(one) == sorted(other)
    return bool(one == other and type(one) is type(other))


def _locate(document: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    parts = path.split(".")
    if len(parts) == 2 and parts[0] == "case":
        return document["case"], parts[1]
    if len(parts) == 3 and parts[0] in ("perpetrators", "victims"):
        key = "pid" if parts[0] == "perpetrators" else "vid"
        for person in document.get(parts[0], []):
            if person.get(key) == parts[1]:
                return person, parts[2]
    raise InputError(
        f"{path} names no value of this case",
        hint="use case.<variable>, perpetrators.<pid>.<variable> or victims.<vid>.<variable>",
    )
