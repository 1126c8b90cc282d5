"""Evaluation of assisted coding against a gold set of coded cases.

Gold and predicted documents (the "Coded case" format of DESIGN.md) are matched by
``case.case_id``. Within a case, persons are aligned per role (perpetrators with
perpetrators, victims with victims) by best agreement rather than by list order, so
a prediction that lists the same people in another order is not penalised. Every
coded variable is then scored per field as in information extraction: a predicted
non-null value equal to the gold value is a true positive; a predicted non-null
value that is wrong (gold null or different) is a false positive; a gold non-null
value that the prediction misses or gets wrong is a false negative. A wrong value
therefore counts once as a false positive and once as a false negative.

Example:
    >>> gold = [{"case": {"case_id": "G-1", "year_start": 2019}}]
    >>> predicted = [{"case": {"case_id": "G-1", "year_start": 2018}}]
    >>> result = evaluate(gold, predicted)
    >>> (result.fields["case.year_start"].fp, result.fields["case.year_start"].fn)
    (1, 1)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from ketenbeeld.errors import InputError

__all__ = ["Evaluation", "FieldScore", "evaluate", "format_table", "read_documents"]

logger = logging.getLogger(__name__)

# Keys that identify records or mark test data; they are not coded facts.
_NOT_SCORED = frozenset({"pid", "vid", "case_id", "synthetic", "label"})
_ROLES = (("perpetrators", "pid"), ("victims", "vid"))
# Label similarity only breaks ties: it stays below the weight of one agreeing value.
_LABEL_WEIGHT = 0.5
_UNMATCHED = "\x00unmatched:"


@dataclass(frozen=True)
class FieldScore:
    """Counts and scores for one field (or for all fields together).

    Precision, recall and F1 are ``None`` when undefined (nothing predicted, nothing
    in the gold, or both).
    """

    field: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


@dataclass(frozen=True)
class Evaluation:
    """The result of :func:`evaluate`.

    Attributes:
        fields: per field (``"victims.first_contact_date"``), its :class:`FieldScore`,
            sorted by field name.
        overall: micro-averaged counts over all fields.
        predicted_values: predicted non-null values in scored cases.
        wrong_values: of those, the ones that are wrong (gold null or different).
        label_correct / label_total: gold persons with a label whose aligned predicted
            person carries the same label (case- and whitespace-insensitive).
        n_cases: gold cases evaluated.
        missing_case_ids: gold cases without a prediction (all their values missed).
        unknown_case_ids: predicted cases whose case_id is not in the gold (not scored).
    """

    fields: dict[str, FieldScore]
    overall: FieldScore
    predicted_values: int
    wrong_values: int
    label_correct: int
    label_total: int
    n_cases: int
    missing_case_ids: tuple[str, ...] = ()
    unknown_case_ids: tuple[str, ...] = ()

    @property
    def wrong_nonnull_share(self) -> float | None:
        """Share of predicted non-null values that are wrong; ``None`` if none predicted."""
        return self.wrong_values / self.predicted_values if self.predicted_values else None

    @property
    def label_accuracy(self) -> float | None:
        """Share of gold labels reproduced on the aligned person; ``None`` if no labels."""
        return self.label_correct / self.label_total if self.label_total else None


@dataclass
class _Counts:
    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    label_correct: int = 0
    label_total: int = 0

    def add(self, name: str, gold: Any, predicted: Any) -> None:
        self.names.add(name)
        if gold is not None and predicted is not None and _equal(gold, predicted):
            self.tp[name] = self.tp.get(name, 0) + 1
            return
        if predicted is not None:
            self.fp[name] = self.fp.get(name, 0) + 1
        if gold is not None:
            self.fn[name] = self.fn.get(name, 0) + 1


def _normal(value: Any) -> Any:
    """Null for absent values and empty lists; lists become sets."""
    if value is None:
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(str(item) for item in value) or None
    return value


def _equal(gold: Any, predicted: Any) -> bool:
    # ``True == 1`` in Python; a boolean only equals a boolean.
    if isinstance(gold, bool) != isinstance(predicted, bool):
        return False
    return bool(gold == predicted)


def _label_key(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).casefold()
    return text or None


def _case_id(document: Mapping[str, Any], what: str, index: int) -> str:
    case = document.get("case") if isinstance(document, Mapping) else None
    case_id = case.get("case_id") if isinstance(case, Mapping) else None
    if not isinstance(case_id, str | int) or isinstance(case_id, bool) or str(case_id) == "":
        raise InputError(
            f"{what} document {index} has no case.case_id",
            hint="every coded case needs case.case_id to be matched",
        )
    return str(case_id)


def _index(documents: Sequence[Mapping[str, Any]], what: str) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for index, document in enumerate(documents, start=1):
        case_id = _case_id(document, what, index)
        if case_id in out:
            raise InputError(
                f"{what} document {index} repeats a case_id of an earlier document",
                hint="give each case one document",
            )
        out[case_id] = document
    return out


def _persons(document: Mapping[str, Any] | None, role: str) -> list[Mapping[str, Any]]:
    if document is None:
        return []
    people = document.get(role)
    if not isinstance(people, list):
        return []
    return [p for p in people if isinstance(p, Mapping)]


def _fields(people: Sequence[Mapping[str, Any]]) -> set[str]:
    return {name for person in people for name in person if name not in _NOT_SCORED}


def _agreement(
    gold: Mapping[str, Any], predicted: Mapping[str, Any], names: set[str], pid_map: dict[str, str]
) -> float:
    agree = 0
    for name in names:
        g = _value(gold, name, None)
        p = _value(predicted, name, pid_map)
        if g is not None and p is not None and _equal(g, p):
            agree += 1
    g_label, p_label = _label_key(gold.get("label")), _label_key(predicted.get("label"))
    similarity = 0.0
    if g_label and p_label:
        similarity = SequenceMatcher(None, g_label, p_label).ratio()
    return agree + _LABEL_WEIGHT * similarity


def _value(person: Mapping[str, Any], name: str, pid_map: dict[str, str] | None) -> Any:
    """The person's value of ``name``; predicted perpetrator ids mapped to gold ids."""
    raw = person.get(name)
    if name == "perpetrators" and pid_map is not None and isinstance(raw, list):
        raw = [pid_map.get(str(pid), f"{_UNMATCHED}{pid}") for pid in raw]
    return _normal(raw)


def _align(
    gold: Sequence[Mapping[str, Any]],
    predicted: Sequence[Mapping[str, Any]],
    names: set[str],
    pid_map: dict[str, str],
) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) maximising agreement, ties by label."""
    if not gold or not predicted:
        return []
    scores = np.array(
        [[_agreement(g, p, names, pid_map) for p in predicted] for g in gold], dtype=float
    )
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True)]


def _score_case(
    counts: _Counts,
    gold: Mapping[str, Any],
    predicted: Mapping[str, Any] | None,
) -> None:
    gold_raw = gold.get("case")
    gold_case: Mapping[str, Any] = gold_raw if isinstance(gold_raw, Mapping) else {}
    pred_raw = predicted.get("case") if predicted is not None else None
    pred_case: Mapping[str, Any] = pred_raw if isinstance(pred_raw, Mapping) else {}
    for name in sorted((set(gold_case) | set(pred_case)) - _NOT_SCORED):
        counts.add(f"case.{name}", _normal(gold_case.get(name)), _normal(pred_case.get(name)))
    pid_map: dict[str, str] = {}
    for role, key in _ROLES:
        gold_people = _persons(gold, role)
        pred_people = _persons(predicted, role)
        names = _fields(gold_people) | _fields(pred_people)
        pairs = _align(gold_people, pred_people, names, pid_map)
        matched_gold = {g for g, _ in pairs}
        matched_pred = {p for _, p in pairs}
        if role == "perpetrators":
            pid_map = {str(pred_people[p].get(key)): str(gold_people[g].get(key)) for g, p in pairs}
        for g, p in pairs:
            for name in sorted(names):
                counts.add(
                    f"{role}.{name}",
                    _value(gold_people[g], name, None),
                    _value(pred_people[p], name, pid_map),
                )
        for g, person in enumerate(gold_people):
            if g not in matched_gold:
                for name in sorted(names):
                    counts.add(f"{role}.{name}", _value(person, name, None), None)
        for p, person in enumerate(pred_people):
            if p not in matched_pred:
                for name in sorted(names):
                    counts.add(f"{role}.{name}", None, _value(person, name, pid_map))
        partner = dict(pairs)
        for g, person in enumerate(gold_people):
            gold_label = _label_key(person.get("label"))
            if gold_label is None:
                continue
            counts.label_total += 1
            if g in partner and _label_key(pred_people[partner[g]].get("label")) == gold_label:
                counts.label_correct += 1


def evaluate(
    gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> Evaluation:
    """Score predicted coded cases against gold coded cases.

    Args:
        gold: gold documents in the "Coded case" format, each with ``case.case_id``.
        predicted: predicted documents in the same format.

    Returns:
        An :class:`Evaluation` with per-field and micro-averaged scores, the share of
        wrong predicted values, label accuracy and the unmatched case ids.

    Raises:
        InputError: a document has no ``case.case_id`` or repeats one.

    Example:
        >>> gold = [{"case": {"case_id": "G-1"},
        ...          "victims": [{"vid": "V1", "gender": "female", "age_at_start": 16}]}]
        >>> predicted = [{"case": {"case_id": "G-1"},
        ...               "victims": [{"vid": "V1", "gender": "female", "age_at_start": None}]}]
        >>> result = evaluate(gold, predicted)
        >>> (result.overall.tp, result.overall.fp, result.overall.fn)
        (1, 0, 1)
    """
    gold_by_id = _index(gold, "gold")
    predicted_by_id = _index(predicted, "predicted")
    counts = _Counts()
    for case_id, document in gold_by_id.items():
        _score_case(counts, document, predicted_by_id.get(case_id))
    missing = tuple(sorted(set(gold_by_id) - set(predicted_by_id)))
    unknown = tuple(sorted(set(predicted_by_id) - set(gold_by_id)))
    if unknown:
        logger.warning("%d predicted case(s) have no gold case and are not scored", len(unknown))
    fields = {
        name: FieldScore(
            name, counts.tp.get(name, 0), counts.fp.get(name, 0), counts.fn.get(name, 0)
        )
        for name in sorted(counts.names)
    }
    tp = sum(score.tp for score in fields.values())
    fp = sum(score.fp for score in fields.values())
    fn = sum(score.fn for score in fields.values())
    return Evaluation(
        fields=fields,
        overall=FieldScore("all fields (micro)", tp, fp, fn),
        predicted_values=tp + fp,
        wrong_values=fp,
        label_correct=counts.label_correct,
        label_total=counts.label_total,
        n_cases=len(gold_by_id),
        missing_case_ids=missing,
        unknown_case_ids=unknown,
    )


def read_documents(folder: Path) -> list[dict[str, Any]]:
    """Read every ``*.json`` file of ``folder`` (sorted by name) as one document.

    Raises:
        InputError: the folder does not exist, or a file is not valid JSON or not an
            object; the message names the file.

    Example:
        >>> read_documents(Path("tests/data/extract"))[0]["case"]["case_id"]  # doctest: +SKIP
        'GOLD-01'
    """
    if not folder.is_dir():
        raise InputError(
            f"{folder} is not a folder", hint="give a folder of coded-case .json files"
        )
    documents: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        try:
            raw = json.loads(path.read_text("utf-8"))
        except OSError as exc:
            raise InputError(f"cannot read {path.name}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise InputError(
                f"{path.name}: not UTF-8 text", hint="save the file as UTF-8"
            ) from None
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno})",
                hint="each file must hold one coded-case JSON object",
            ) from None
        except (ValueError, RecursionError):
            # A number too long to convert, or nesting too deep for the parser.
            raise InputError(
                f"{path.name}: not valid JSON (a number too long or nesting too deep)",
                hint="each file must hold one coded-case JSON object",
            ) from None
        if not isinstance(raw, dict):
            raise InputError(
                f"{path.name}: must be a JSON object (one coded case)",
                hint="put one case per file",
            )
        documents.append(raw)
    return documents


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_table(evaluation: Evaluation) -> str:
    """A plain-text table (field, tp, fp, fn, P, R, F1) with a summary below it.

    Example:
        >>> result = evaluate([{"case": {"case_id": "G-1", "year_start": 2019}}],
        ...                   [{"case": {"case_id": "G-1", "year_start": 2019}}])
        >>> print(format_table(result).splitlines()[2])
        case.year_start       1   0   0  1.00  1.00  1.00
    """
    rows = [*evaluation.fields.values(), evaluation.overall]
    width = max([len("field"), *(len(row.field) for row in rows)])
    header = f"{'field':<{width}}  {'tp':>3} {'fp':>3} {'fn':>3}  {'P':>4}  {'R':>4}  {'F1':>4}"
    lines = [header, "-" * len(header)]
    for row in rows:
        if row is evaluation.overall:
            lines.append("-" * len(header))
        lines.append(
            f"{row.field:<{width}}  {row.tp:>3} {row.fp:>3} {row.fn:>3}  "
            f"{_fmt(row.precision):>4}  {_fmt(row.recall):>4}  {_fmt(row.f1):>4}"
        )
    lines.append("")
    lines.append(f"cases: {evaluation.n_cases}")
    lines.append(
        f"wrong non-null share: {_fmt(evaluation.wrong_nonnull_share)} "
        f"({evaluation.wrong_values} of {evaluation.predicted_values} predicted values)"
    )
    lines.append(
        f"label accuracy: {_fmt(evaluation.label_accuracy)} "
        f"({evaluation.label_correct} of {evaluation.label_total})"
    )
    if evaluation.missing_case_ids:
        lines.append(f"gold cases without prediction: {', '.join(evaluation.missing_case_ids)}")
    if evaluation.unknown_case_ids:
        lines.append(
            f"predicted cases not in the gold (not scored): "
            f"{', '.join(evaluation.unknown_case_ids)}"
        )
    return "\n".join(lines)
