"""Storage: engine/session factories, Alembic migrations and the audit log."""

from ketenbeeld.storage.audit import (
    AuditVerification,
    append_audit_event,
    latest_audit_id,
    recent_audit_events,
    verify_audit_log,
)
from ketenbeeld.storage.engine import make_engine, session_scope
from ketenbeeld.storage.migrate import current_revision, downgrade, head_revision, upgrade
from ketenbeeld.storage.models import AuditEvent, Base, CaseRecord, ImportBatch

__all__ = [
    "AuditEvent",
    "AuditVerification",
    "Base",
    "CaseRecord",
    "ImportBatch",
    "append_audit_event",
    "current_revision",
    "downgrade",
    "head_revision",
    "latest_audit_id",
    "make_engine",
    "recent_audit_events",
    "session_scope",
    "upgrade",
    "verify_audit_log",
]
