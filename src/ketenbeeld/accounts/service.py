"""Accounts of the web application: users, roles, login with rate limiting, sessions.

Roles decide which parts of the application a user may open; the organisation
decides whose data (a professional sees only the signals and matches of their own
organisation's node). The permission table is here, in one place, and the web
pages and the JSON API both ask it (see :func:`may`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from ketenbeeld.accounts.models import LoginAttempt, User, WebSession
from ketenbeeld.errors import AuthError, ConflictError, InputError, NotFoundError
from ketenbeeld.storage import append_audit_event, session_scope

__all__ = [
    "DEMO_PASSWORD",
    "LOCKOUT_ATTEMPTS",
    "LOCKOUT_WINDOW",
    "MODULES",
    "ORGANISATION_BOUND",
    "ROLES",
    "SESSION_LIFETIME",
    "Account",
    "LoggedIn",
    "TooManyAttempts",
    "create_user",
    "end_session",
    "list_users",
    "log_in",
    "may",
    "session_account",
    "set_disabled",
    "set_password",
    "users_with_demo_password",
]

ROLES = ("beheerder", "onderzoeker", "analist", "professional")
"""The roles of the issue: administrator, researcher, analyst, professional."""

MODULES: dict[str, frozenset[str]] = {
    "beheerder": frozenset({"beheer"}),
    "onderzoeker": frozenset({"onderzoek"}),
    "analist": frozenset({"online", "onderzoek"}),
    "professional": frozenset({"signalen"}),
}
"""Which parts of the application each role may open (least privilege: an
administrator manages accounts and the audit log, not case content)."""

ORGANISATION_BOUND = frozenset({"signalen", "beheer"})
"""Modules only for accounts of the installation's own organisation: its clients'
identities, signals and matches (processed under its own legal basis), and its
accounts and audit log. An account of another organisation (a guest, such as a
researcher given access to the case dataset) has the rest of its role."""

LOCKOUT_ATTEMPTS = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)
MIN_PASSWORD_LENGTH = 12
DEMO_PASSWORD = "ketenbeeld-demo"  # noqa: S105 - published on purpose, demo mode only
"""The password of every demo login (printed by ``ketenbeeld demo``). Outside the
demo it is refused as a new password, and ``ketenbeeld serve`` refuses to start
while an active account still has it."""
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")

PASSWORD_HASHING: dict[str, int] = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
"""argon2id at RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes), as
argon2-cffi's default: about 0.25 s a hash on a 2-core server."""
_hasher = PasswordHasher(
    time_cost=PASSWORD_HASHING["time_cost"],
    memory_cost=PASSWORD_HASHING["memory_cost"],
    parallelism=PASSWORD_HASHING["parallelism"],
)
# Verifying against this when the user does not exist makes an unknown name take
# as long as a wrong password, so timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class TooManyAttempts(AuthError):
    """Too many failed logins for this name or from this address; wait and retry."""

    def __init__(self, minutes: int) -> None:
        super().__init__(
            f"too many failed login attempts; try again in {minutes} minutes",
            hint="ask an administrator if you have forgotten your password",
        )
        self.minutes = minutes


@dataclass(frozen=True)
class Account:
    """A user as the application sees them (no password hash)."""

    id: int
    username: str
    display_name: str
    organisation: str
    role: str
    created_at: datetime
    disabled: bool

    @property
    def modules(self) -> frozenset[str]:
        return MODULES.get(self.role, frozenset())


@dataclass(frozen=True)
class LoggedIn:
    """A new session: the cookie token (give it to the browser only) and its CSRF token."""

    account: Account
    token: str
    csrf_token: str
    expires_at: datetime


def may(account: Account, module: str, *, installation: str) -> bool:
    """Whether ``account`` may open ``module`` (``onderzoek``, ``signalen``, ...) in
    the installation of the organisation ``installation``."""
    if account.disabled or module not in account.modules:
        return False
    return module not in ORGANISATION_BOUND or account.organisation == installation


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _account(user: User) -> Account:
    return Account(
        user.id,
        user.username,
        user.display_name,
        user.organisation,
        user.role,
        user.created_at,
        user.disabled,
    )


def _check_password(password: str, *, demo: bool = False) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if password == DEMO_PASSWORD and not demo:
        raise InputError("that password is the demo's published password; choose another")


def _check_new_user(
    username: str, role: str, password: str, organisation: str, *, demo: bool
) -> None:
    if not _USERNAME.match(username):
        raise InputError(
            "the user name must be 2-63 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    if role not in ROLES:
        raise InputError(f"the role must be one of: {', '.join(ROLES)}")
    _check_password(password, demo=demo)
    if not organisation.strip():
        raise InputError("the organisation must not be empty")


def create_user(
    engine: Engine,
    *,
    username: str,
    password: str,
    role: str,
    organisation: str,
    display_name: str = "",
    actor: str,
    demo: bool = False,
) -> Account:
    """Create a user with an argon2 hash of ``password``.

    ``demo`` allows the demo's published password (:data:`DEMO_PASSWORD`) and marks
    the account as having it, so that it is not served outside the demo.

    Raises:
        InputError: the name, role, password or organisation is not allowed (says what is).
        ConflictError: the user name is taken.
    """
    username = username.strip().lower()
    _check_new_user(username, role, password, organisation, demo=demo)
    with session_scope(engine) as session:
        taken = session.execute(select(User.id).where(User.username == username)).first()
        if taken:
            raise ConflictError(f"the user name {username} is taken")
        user = User(
            username=username,
            display_name=display_name.strip() or username,
            organisation=organisation.strip(),
            role=role,
            password_hash=_hasher.hash(password),
            created_at=_now(),
            disabled=False,
            default_password=demo and password == DEMO_PASSWORD,
        )
        session.add(user)
        session.flush()
        append_audit_event(
            session,
            actor=actor,
            action="user.create",
            object_type="user",
            object_ref=username,
            details={"role": role, "organisation": user.organisation},
        )
        return _account(user)


def list_users(engine: Engine) -> list[Account]:
    """All users, by organisation and name."""
    with session_scope(engine) as session:
        users = session.execute(select(User).order_by(User.organisation, User.username)).scalars()
        return [_account(user) for user in users]


def set_disabled(engine: Engine, username: str, disabled: bool, *, actor: str) -> Account:
    """Disable (or enable again) a user; a disabled user's sessions end at once."""
    with session_scope(engine) as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            raise NotFoundError(f"there is no user {username}")
        user.disabled = disabled
        if disabled:
            session.execute(delete(WebSession).where(WebSession.user_id == user.id))
        append_audit_event(
            session,
            actor=actor,
            action="user.disable" if disabled else "user.enable",
            object_type="user",
            object_ref=username,
            details={},
        )
        return _account(user)


def set_password(engine: Engine, username: str, password: str, *, actor: str) -> Account:
    """Give a user a new password; the user's sessions end at once.

    Raises:
        InputError: the password is too short or is the demo's.
        NotFoundError: there is no such user.
    """
    _check_password(password)
    with session_scope(engine) as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            raise NotFoundError(f"there is no user {username}")
        user.password_hash = _hasher.hash(password)
        user.default_password = False
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
        append_audit_event(
            session,
            actor=actor,
            action="user.password",
            object_type="user",
            object_ref=username,
            details={},
        )
        return _account(user)


def users_with_demo_password(engine: Engine) -> list[str]:
    """Active users whose password is still the demo's published one."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(User.username)
            .where(User.default_password.is_(True), User.disabled.is_(False))
            .order_by(User.username)
        )
        return list(rows.scalars())


def _failures(engine: Engine, username_digest: str, client: str, now: datetime) -> int:
    since = now - LOCKOUT_WINDOW
    with session_scope(engine) as session:
        by_name = session.execute(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.username_sha256 == username_digest)
            .where(LoginAttempt.at >= since)
            .where(LoginAttempt.succeeded.is_(False))
        ).scalar_one()
        by_client = session.execute(
            select(func.count())
            .select_from(LoginAttempt)
            .where(LoginAttempt.client == client)
            .where(LoginAttempt.at >= since)
            .where(LoginAttempt.succeeded.is_(False))
        ).scalar_one()
    # An address may mistype more often than one name (several colleagues behind one
    # proxy), but not without bound.
    return max(int(by_name), int(by_client) // 4)


def log_in(engine: Engine, username: str, password: str, *, client: str) -> LoggedIn:
    """Check a name and password and start a session.

    After :data:`LOCKOUT_ATTEMPTS` failures for a name (or four times as many from
    one address) within :data:`LOCKOUT_WINDOW`, every attempt is refused until the
    window has passed, right password or not.

    Raises:
        TooManyAttempts: locked out for now.
        AuthError: unknown name, wrong password or disabled account (one message for all).
    """
    now = _now()
    name = username.strip().lower()
    name_digest = _digest(name)
    if _failures(engine, name_digest, client, now) >= LOCKOUT_ATTEMPTS:
        raise TooManyAttempts(int(LOCKOUT_WINDOW.total_seconds() // 60))
    with session_scope(engine) as session:
        user = session.execute(select(User).where(User.username == name)).scalar_one_or_none()
        try:
            _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
            ok = user is not None and not user.disabled
        except (VerificationError, InvalidHashError):
            ok = False
        session.add(LoginAttempt(username_sha256=name_digest, client=client, at=now, succeeded=ok))
        if not ok or user is None:
            append_audit_event(
                session,
                actor=f"web:{client}",
                action="user.login",
                object_type="user",
                object_ref=name_digest[:16],
                details={},
                result="denied",
                origin=client,
            )
            logged_in = None
        else:
            logged_in = _start_session(session, user, now, client)
    if logged_in is None:
        raise AuthError("the user name or password is not right")
    return logged_in


def _start_session(session: Session, user: User, now: datetime, client: str) -> LoggedIn:
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + SESSION_LIFETIME
    session.add(
        WebSession(
            token_sha256=_digest(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=expires,
        )
    )
    append_audit_event(
        session,
        actor=f"web:{user.username}",
        action="user.login",
        object_type="user",
        object_ref=user.username,
        details={},
        result="ok",
        origin=client,
    )
    return LoggedIn(_account(user), token, csrf, expires)


def session_account(engine: Engine, token: str) -> tuple[Account, str]:
    """The account and CSRF token of a live session cookie.

    Raises:
        AuthError: no such session, expired, or the user is disabled.
    """
    now = _now()
    with session_scope(engine) as session:
        row = session.execute(
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_sha256 == _digest(token))
        ).first()
        if row is None:
            raise AuthError("not logged in")
        web_session, user = row
        live = web_session.expires_at > now and not user.disabled
        if not live:
            session.delete(web_session)
        found = _account(user), web_session.csrf_token
    if not live:
        raise AuthError("the session has ended; log in again")
    return found


def end_session(engine: Engine, token: str, *, actor: str) -> None:
    """Log out: the session token stops working at once."""
    with session_scope(engine) as session:
        found = session.execute(
            select(WebSession).where(WebSession.token_sha256 == _digest(token))
        ).scalar_one_or_none()
        if found is not None:
            session.delete(found)
            append_audit_event(
                session,
                actor=actor,
                action="user.logout",
                object_type="user",
                object_ref=actor.removeprefix("web:"),
                details={},
            )
