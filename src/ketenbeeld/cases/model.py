"""The validated coded case and its canonical form."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CodedCase", "canonical_json", "cohort_fingerprint"]


@dataclass(frozen=True)
class CodedCase:
    """One validated investigation in the "Coded case" format of DESIGN.md.

    Every codebook variable is present in ``case``, each perpetrator and each victim;
    ``None`` means the file does not settle it. Build these with
    :func:`ketenbeeld.cases.validate.validate_case`, not by hand.
    """

    codebook_version: str
    case: dict[str, Any]
    perpetrators: tuple[dict[str, Any], ...]
    victims: tuple[dict[str, Any], ...]
    evidence: tuple[dict[str, Any], ...] = ()
    # Reviewed extractions: per value, what was proposed, what was kept, by whom, when.
    review: tuple[dict[str, Any], ...] = ()
    # SHA-256 of the canonical JSON, when already known (e.g. stored at import).
    digest: str | None = field(default=None, compare=False, repr=False)

    @property
    def case_id(self) -> str:
        return str(self.case["case_id"])

    def to_document(self) -> dict[str, Any]:
        """The case as a JSON-ready document (the public interchange format)."""
        return {
            "codebook_version": self.codebook_version,
            "case": dict(self.case),
            "perpetrators": [dict(p) for p in self.perpetrators],
            "victims": [dict(v) for v in self.victims],
            "evidence": [dict(e) for e in self.evidence],
        } | ({"review": [dict(r) for r in self.review]} if self.review else {})

    def sha256(self) -> str:
        """SHA-256 of the case's canonical JSON (computed once, then remembered)."""
        if self.digest is None:
            text = canonical_json(self.to_document())
            object.__setattr__(self, "digest", hashlib.sha256(text.encode("utf-8")).hexdigest())
        assert self.digest is not None
        return self.digest


def canonical_json(document: Any) -> str:
    """JSON with sorted keys, no spaces and UTF-8 text: equal data, equal string."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def cohort_fingerprint(cases: Iterable[CodedCase]) -> str:
    """SHA-256 over the cases' canonical-JSON digests, in ``case_id`` order.

    Each case's digest is the SHA-256 of its canonical JSON; the fingerprint hashes
    the lines ``<case_id> <digest>``. The same cohort gives the same fingerprint
    whatever the file format, the order of the records or the order of keys it was
    read from, and any change to any value of any case changes it.

    Example:
        >>> len(cohort_fingerprint([]))
        64
    """
    digest = hashlib.sha256()
    for case in sorted(cases, key=lambda c: c.case_id):
        digest.update(f"{case.case_id} {case.sha256()}\n".encode())
    return digest.hexdigest()
