"""Tables of the web application's accounts: users, sessions and login attempts.

Passwords are stored only as argon2 hashes, session tokens only as SHA-256 digests
(a copy of the database does not let anyone log in), and a login attempt records a
digest of the user name typed, not the name itself: people sometimes type their
password in the name field.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ketenbeeld.storage.models import Base

__all__ = ["LoginAttempt", "User", "WebSession"]


class User(Base):
    """A person who logs in to the web application, in one organisation, with one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # Made with the demo's published password (``ketenbeeld serve`` refuses to start
    # until it is changed); see accounts.service.DEMO_PASSWORD.
    default_password: Mapped[bool] = mapped_column(Boolean, default=False)


class WebSession(Base):
    """A logged-in browser: the digest of its cookie token and its CSRF token."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    expires_at: Mapped[datetime] = mapped_column(DateTime())


class LoginAttempt(Base):
    """One login attempt, kept for rate limiting (digest of the name typed, no password)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username_sha256: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
