"""Accounts of the web application: users per organisation with roles, sessions."""

from ketenbeeld.accounts.models import LoginAttempt, User, WebSession
from ketenbeeld.accounts.service import (
    LOCKOUT_ATTEMPTS,
    LOCKOUT_WINDOW,
    MODULES,
    ROLES,
    SESSION_LIFETIME,
    Account,
    LoggedIn,
    TooManyAttempts,
    create_user,
    end_session,
    list_users,
    log_in,
    may,
    session_account,
    set_disabled,
)

__all__ = [
    "LOCKOUT_ATTEMPTS",
    "LOCKOUT_WINDOW",
    "MODULES",
    "ROLES",
    "SESSION_LIFETIME",
    "Account",
    "LoggedIn",
    "LoginAttempt",
    "TooManyAttempts",
    "User",
    "WebSession",
    "create_user",
    "end_session",
    "list_users",
    "log_in",
    "may",
    "session_account",
    "set_disabled",
]
