"""Accounts: argon2 hashes, validation messages, lockout, sessions, disabling."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from ketenbeeld.accounts import (
    LOCKOUT_ATTEMPTS,
    LoginAttempt,
    TooManyAttempts,
    User,
    WebSession,
    create_user,
    end_session,
    log_in,
    may,
    session_account,
    set_disabled,
)
from ketenbeeld.errors import AuthError, ConflictError, InputError
from ketenbeeld.storage import session_scope, verify_audit_log

PASSWORD = "correct horse battery"


def make(db, username="rita", role="onderzoeker", password=PASSWORD):
    return create_user(
        db.engine,
        username=username,
        password=password,
        role=role,
        organisation="Jeugdzorg Oost",
        actor="test",
    )


def test_the_password_is_stored_only_as_an_argon2_hash(db):
    account = make(db)
    with session_scope(db.engine) as session:
        stored = session.execute(select(User.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert account.modules == frozenset({"onderzoek"})
    assert verify_audit_log(db.engine).ok


def test_production_hashing_is_argon2id_at_the_recommended_cost():
    # The suite hashes cheaply (tests/conftest.py); this is what the product uses.
    from argon2 import PasswordHasher

    from ketenbeeld.accounts.service import PASSWORD_HASHING

    assert PASSWORD_HASHING == {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}
    made = PasswordHasher(**PASSWORD_HASHING).hash(PASSWORD)
    assert made.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


@pytest.mark.parametrize(
    ("username", "role", "password", "message"),
    [
        ("R", "onderzoeker", PASSWORD, "the user name must be 2-63 characters"),
        ("rita", "superuser", PASSWORD, "the role must be one of: beheerder, onderzoeker"),
        ("rita", "onderzoeker", "short", "the password must be at least 12 characters"),
    ],
)
def test_a_bad_new_user_is_refused_with_what_is_allowed(db, username, role, password, message):
    with pytest.raises(InputError) as caught:
        make(db, username=username, role=role, password=password)
    assert caught.value.message.startswith(message)
    with session_scope(db.engine) as session:
        assert session.execute(select(func.count()).select_from(User)).scalar_one() == 0


def test_a_taken_user_name_is_a_conflict(db):
    make(db)
    with pytest.raises(ConflictError, match="the user name rita is taken"):
        make(db, username="Rita")


def test_login_starts_a_session_that_names_the_account(db):
    make(db)
    logged_in = log_in(db.engine, " Rita ", PASSWORD, client="10.0.0.1")
    account, csrf = session_account(db.engine, logged_in.token)
    assert (account.username, account.organisation, csrf) == (
        "rita",
        "Jeugdzorg Oost",
        logged_in.csrf_token,
    )
    with session_scope(db.engine) as session:
        digest = session.execute(select(WebSession.token_sha256)).scalar_one()
    assert digest != logged_in.token and len(digest) == 64


def test_unknown_user_and_wrong_password_get_the_same_answer(db):
    make(db)
    with pytest.raises(AuthError) as unknown:
        log_in(db.engine, "nobody", PASSWORD, client="c")
    with pytest.raises(AuthError) as wrong:
        log_in(db.engine, "rita", "wrong password!", client="c")
    assert unknown.value.message == wrong.value.message == "the user name or password is not right"


def test_after_five_failures_even_the_right_password_is_refused(db):
    make(db)
    for _ in range(LOCKOUT_ATTEMPTS):
        with pytest.raises(AuthError):
            log_in(db.engine, "rita", "wrong password!", client="10.0.0.9")
    with pytest.raises(TooManyAttempts, match="try again in 15 minutes"):
        log_in(db.engine, "rita", PASSWORD, client="10.0.0.10")
    with session_scope(db.engine) as session:
        names = set(session.execute(select(LoginAttempt.username_sha256)).scalars())
    assert names and "rita" not in names  # a digest of the name typed, never the name


def test_failures_older_than_the_window_no_longer_count(db):
    make(db)
    for _ in range(LOCKOUT_ATTEMPTS):
        with pytest.raises(AuthError):
            log_in(db.engine, "rita", "wrong password!", client="c")
    with session_scope(db.engine) as session:
        session.execute(update(LoginAttempt).values(at=datetime(2020, 1, 1)))
    assert log_in(db.engine, "rita", PASSWORD, client="c").account.username == "rita"


def test_an_expired_session_is_refused_and_removed(db):
    make(db)
    logged_in = log_in(db.engine, "rita", PASSWORD, client="c")
    with session_scope(db.engine) as session:
        session.execute(update(WebSession).values(expires_at=datetime.now() - timedelta(hours=10)))
    with pytest.raises(AuthError, match="the session has ended"):
        session_account(db.engine, logged_in.token)
    with session_scope(db.engine) as session:
        assert session.execute(select(func.count()).select_from(WebSession)).scalar_one() == 0


def test_logout_and_disabling_end_sessions(db):
    make(db)
    make(db, username="bram", role="analist")
    first = log_in(db.engine, "rita", PASSWORD, client="c")
    end_session(db.engine, first.token, actor="web:rita")
    with pytest.raises(AuthError, match="not logged in"):
        session_account(db.engine, first.token)
    second = log_in(db.engine, "bram", PASSWORD, client="c")
    disabled = set_disabled(db.engine, "bram", True, actor="test")
    assert not may(disabled, "online", installation="Jeugdzorg Oost")
    with pytest.raises(AuthError):
        session_account(db.engine, second.token)
    with pytest.raises(AuthError):
        log_in(db.engine, "bram", PASSWORD, client="c")


def test_a_new_password_replaces_the_old_ends_sessions_and_clears_the_demo_mark(db):
    from ketenbeeld.accounts import DEMO_PASSWORD, set_password, users_with_demo_password

    create_user(
        db.engine,
        username="demo-user",
        password=DEMO_PASSWORD,
        role="analist",
        organisation="werkruimte",
        actor="demo",
        demo=True,
    )
    make(db)
    assert users_with_demo_password(db.engine) == ["demo-user"]
    session = log_in(db.engine, "demo-user", DEMO_PASSWORD, client="c")

    set_password(db.engine, "demo-user", "another long password", actor="cli:beheer")
    assert users_with_demo_password(db.engine) == []
    with pytest.raises(AuthError):
        session_account(db.engine, session.token)
    with pytest.raises(AuthError):
        log_in(db.engine, "demo-user", DEMO_PASSWORD, client="c")
    assert log_in(db.engine, "demo-user", "another long password", client="c").token
    with session_scope(db.engine) as s:
        marked = s.execute(select(User.default_password).where(User.username == "demo-user"))
        assert marked.scalar() is False
    assert verify_audit_log(db.engine).ok


def test_a_disabled_account_with_the_demo_password_does_not_block_serving(db):
    from ketenbeeld.accounts import DEMO_PASSWORD, set_password, users_with_demo_password

    create_user(
        db.engine,
        username="demo-user",
        password=DEMO_PASSWORD,
        role="analist",
        organisation="werkruimte",
        actor="demo",
        demo=True,
    )
    set_disabled(db.engine, "demo-user", True, actor="test")
    assert users_with_demo_password(db.engine) == []
    with pytest.raises(InputError, match="at least 12 characters"):
        set_password(db.engine, "demo-user", "short", actor="test")


def test_signals_and_administration_are_for_the_installations_own_organisation(db):
    professional = make(db, username="pia", role="professional")
    admin = make(db, username="bea", role="beheerder")
    analyst = make(db, username="ali", role="analist")
    # In the installation of its own organisation: what the role gives.
    assert may(professional, "signalen", installation="Jeugdzorg Oost")
    assert may(admin, "beheer", installation="Jeugdzorg Oost")
    # A guest account of another organisation: the same role, not these modules.
    assert not may(professional, "signalen", installation="Politie Oost")
    assert not may(admin, "beheer", installation="Politie Oost")
    assert may(analyst, "online", installation="Politie Oost")
    assert may(analyst, "onderzoek", installation="Politie Oost")
    assert not may(analyst, "signalen", installation="Jeugdzorg Oost")
