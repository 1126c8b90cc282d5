"""Tables of the online part: advertisements as ingested, and the ingests themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ketenbeeld.storage.models import Base

__all__ = ["AdRecord", "ClusterMember", "ClusterStatus", "IngestBatch", "SketchRecord"]


class IngestBatch(Base):
    """One ``online ingest`` run: its counts and the SHA-256 of each input file."""

    __tablename__ = "online_ingests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime())
    n_files: Mapped[int] = mapped_column(Integer)
    n_new: Mapped[int] = mapped_column(Integer)
    n_updated: Mapped[int] = mapped_column(Integer)
    n_unchanged: Mapped[int] = mapped_column(Integer)
    n_skipped: Mapped[int] = mapped_column(Integer)
    file_digests: Mapped[list[str]] = mapped_column(JSON)


class AdRecord(Base):
    """One advertisement with its normalised identifiers (``extra`` keeps unknown fields)."""

    __tablename__ = "online_ads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ad_id: Mapped[str] = mapped_column(String(200), unique=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True, index=True)
    site: Mapped[str | None] = mapped_column(String(200), nullable=True)
    city: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phones: Mapped[list[str]] = mapped_column(JSON)
    emails: Mapped[list[str]] = mapped_column(JSON)
    handles: Mapped[list[str]] = mapped_column(JSON)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    price: Mapped[float | None] = mapped_column(Float, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)
    ingest_id: Mapped[int] = mapped_column(ForeignKey("online_ingests.id"))


class ClusterMember(Base):
    """The cluster of a stored ad, as the last ``online cluster`` run found it."""

    __tablename__ = "online_clusters"

    ad_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    cluster_id: Mapped[str] = mapped_column(String(200), index=True)


class ClusterStatus(Base):
    """One status change of a cluster by an analyst; the newest row is the status."""

    __tablename__ = "online_cluster_status"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cluster_id: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime())


class SketchRecord(Base):
    """An ad's stored sketch: made once per content and clustering settings, then reused."""

    __tablename__ = "online_sketches"

    ad_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    params: Mapped[str] = mapped_column(String(60))
    shingles: Mapped[bytes] = mapped_column(LargeBinary())
    body: Mapped[bytes] = mapped_column(LargeBinary())
    signature: Mapped[bytes] = mapped_column(LargeBinary())
