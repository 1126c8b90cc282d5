"""The node's table: the organisation's own signals, with the identity, never sent out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ketenbeeld.storage.models import Base

__all__ = ["NodeSignal"]


class NodeSignal(Base):
    """A signal this organisation registered: who it is about (local only) and its hub id."""

    __tablename__ = "node_signals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_ref: Mapped[str] = mapped_column(String(40), unique=True)
    hub_signal_id: Mapped[str] = mapped_column(String(40), unique=True)
    identity: Mapped[dict[str, Any]] = mapped_column(JSON)
    category: Mapped[str] = mapped_column(String(40))
    legal_basis: Mapped[str] = mapped_column(String(40))
    contact_ref: Mapped[str] = mapped_column(String(200))
    registered_at: Mapped[datetime] = mapped_column(DateTime())
    active_until: Mapped[datetime] = mapped_column(DateTime())
    keep_until: Mapped[datetime] = mapped_column(DateTime())
