"""Tables shared by every domain: imports, coded cases and the audit log.

Coded cases are stored as one validated JSON document per investigation beside
indexed columns for the fields queries select on; the codebook (not the schema)
defines the variables, so a new codebook variable needs no migration.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["AuditEvent", "Base", "CaseRecord", "ImportBatch"]


class Base(DeclarativeBase):
    """Declarative base of all Ketenbeeld tables."""


class ImportBatch(Base):
    """One ``cases import`` invocation: all of its cases land together or not at all."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    n_files: Mapped[int] = mapped_column(Integer)
    n_cases: Mapped[int] = mapped_column(Integer)
    n_replaced: Mapped[int] = mapped_column(Integer)
    # SHA-256 of each input file, in the order given; no file contents.
    file_digests: Mapped[list[str]] = mapped_column(JSON)


class CaseRecord(Base):
    """One coded investigation (the "Coded case" document of DESIGN.md)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    year_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    codebook_version: Mapped[str] = mapped_column(String(20))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    n_perpetrators: Mapped[int] = mapped_column(Integer)
    n_victims: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)


class AuditEvent(Base):
    """One entry of the append-only, hash-chained audit log.

    ``hash`` is SHA-256 over the previous entry's hash and this entry's canonical
    content, so changing, deleting or reordering an entry breaks the chain.
    ``details`` holds counts and digests, never personal data. ``result`` says how
    it ended (``ok``, ``denied``, ``not_found``, ``invalid``) and ``origin`` where
    the request came from (``cli`` or the client address of an API call).
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str] = mapped_column(String(100))
    object_ref: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Added in revision 0002; NULL in events written before it (their hashes do not
    # cover these columns, so the chain of an older log still verifies).
    result: Mapped[str | None] = mapped_column(String(20), nullable=True)
    origin: Mapped[str | None] = mapped_column(String(100), nullable=True)
