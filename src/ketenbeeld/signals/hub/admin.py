"""Organisations and their API tokens (run by the hub's administrator from the CLI).

A token is 32 random bytes shown once; the hub stores only its SHA-256 (a token is
random and long, so a fast hash is enough: there is nothing to guess from it).
Tokens can be revoked; a revoked or unknown token gets the same answer.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ketenbeeld.errors import AuthError, InputError, NotFoundError
from ketenbeeld.signals.hub.models import HubOrganisation, HubToken
from ketenbeeld.signals.hub.service import Caller, Hub, utcnow
from ketenbeeld.signals.hub.vocabulary import ORG_KINDS, allowed
from ketenbeeld.storage import append_audit_event, session_scope

__all__ = [
    "Organisation",
    "authenticate",
    "create_organisation",
    "demo_token_holders",
    "issue_token",
    "list_organisations",
    "revoke_tokens",
]

TOKEN_PREFIX = "kbh_"  # noqa: S105 (a prefix, not a secret)
DEMO_LABEL = "demo"
_CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")


@dataclass(frozen=True)
class Organisation:
    """A chain partner known to the hub."""

    code: str
    name: str
    kind: str
    created_at: datetime
    active_tokens: int


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _org(session: Session, code: str) -> HubOrganisation:
    org = session.execute(select(HubOrganisation).where(HubOrganisation.code == code)).scalar()
    if org is None:
        raise NotFoundError(f"no organisation {code}", hint="see `ketenbeeld hub org list`")
    return org


def _new_token(session: Session, org: HubOrganisation, label: str, actor: str) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(HubToken(org_id=org.id, token_hash=_hash(token), label=label, created_at=utcnow()))
    append_audit_event(
        session,
        actor=actor,
        action="hub.token.issue",
        object_type="organisation",
        object_ref=org.code,
        details={"label": label},
    )
    return token


def create_organisation(
    engine: Engine,
    code: str,
    name: str,
    kind: str,
    *,
    actor: str = "cli:hub-admin",
    demo: bool = False,
) -> str:
    """Add an organisation and issue its first API token (returned, shown once).

    ``demo`` labels the token as the demo's (its token files lie in the demo folder):
    ``ketenbeeld hub serve`` refuses to start while such a token is active.

    Raises:
        InputError: the code or kind is not allowed, or the code is taken.
    """
    if not _CODE.fullmatch(code):
        raise InputError(
            "the organisation code must be 2-63 lowercase letters, digits or '-'",
            hint="e.g. jeugdzorg-oost",
        )
    if kind not in ORG_KINDS:
        raise InputError(f"the organisation kind must be {allowed(ORG_KINDS)}")
    if not name.strip():
        raise InputError("the organisation needs a name")
    with session_scope(engine) as session:
        taken = session.execute(select(HubOrganisation.id).where(HubOrganisation.code == code))
        if taken.first() is not None:
            raise InputError(f"organisation {code} exists already")
        org = HubOrganisation(code=code, name=name.strip(), kind=kind, created_at=utcnow())
        session.add(org)
        session.flush()
        append_audit_event(
            session,
            actor=actor,
            action="hub.organisation.create",
            object_type="organisation",
            object_ref=code,
            details={"kind": kind},
        )
        return _new_token(session, org, DEMO_LABEL if demo else "initial", actor)


def issue_token(engine: Engine, code: str, label: str, *, actor: str = "cli:hub-admin") -> str:
    """Issue another token for an organisation (e.g. to rotate); returned, shown once.

    Raises:
        InputError: the label is the demo's (reserved).
        NotFoundError: there is no such organisation.
    """
    if label.strip().lower() == DEMO_LABEL:
        raise InputError(f"the token label {DEMO_LABEL} is reserved for the demo's tokens")
    with session_scope(engine) as session:
        return _new_token(session, _org(session, code), label, actor)


def revoke_tokens(engine: Engine, code: str, *, actor: str = "cli:hub-admin") -> int:
    """Revoke every active token of an organisation; return how many."""
    with session_scope(engine) as session:
        org = _org(session, code)
        tokens = session.execute(
            select(HubToken).where(HubToken.org_id == org.id, HubToken.revoked_at.is_(None))
        ).scalars()
        count = 0
        for token in tokens:
            token.revoked_at = utcnow()
            count += 1
        append_audit_event(
            session,
            actor=actor,
            action="hub.token.revoke",
            object_type="organisation",
            object_ref=code,
            details={"count": count},
        )
        return count


def list_organisations(engine: Engine) -> list[Organisation]:
    """Every organisation with its number of active tokens."""
    with session_scope(engine) as session:
        orgs = session.execute(select(HubOrganisation).order_by(HubOrganisation.code)).scalars()
        result = []
        for org in orgs:
            active = session.execute(
                select(HubToken.id).where(HubToken.org_id == org.id, HubToken.revoked_at.is_(None))
            ).all()
            result.append(Organisation(org.code, org.name, org.kind, org.created_at, len(active)))
        return result


def authenticate(hub: Hub, token: str | None, origin: str) -> Caller:
    """The organisation a bearer token belongs to; a refusal is audited.

    Raises:
        AuthError: no token, an unknown token or a revoked one (the same message).
    """
    if token:
        with session_scope(hub.engine) as session:
            row = session.execute(
                select(HubOrganisation.id, HubOrganisation.code)
                .join(HubToken, HubToken.org_id == HubOrganisation.id)
                .where(HubToken.token_hash == _hash(token), HubToken.revoked_at.is_(None))
            ).first()
        if row is not None:
            return Caller(row.id, row.code, origin)
    error = AuthError(
        "a valid API token is required", hint="send it as 'Authorization: Bearer <token>'"
    )
    hub.audit_refusal("unknown", origin, "hub.authenticate", "token", "", error)
    raise error


def demo_token_holders(engine: Engine) -> list[str]:
    """Codes of the organisations that still hold an active token made by the demo."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(HubOrganisation.code)
            .join(HubToken, HubToken.org_id == HubOrganisation.id)
            .where(HubToken.label == DEMO_LABEL, HubToken.revoked_at.is_(None))
            .distinct()
            .order_by(HubOrganisation.code)
        )
        return list(rows.scalars())
