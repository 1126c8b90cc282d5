"""The audit chain detects changed, deleted and reordered events."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ketenbeeld.storage import append_audit_event, session_scope, verify_audit_log


def _three_events(engine):
    with session_scope(engine) as session:
        for number in range(3):
            append_audit_event(
                session,
                actor="cli:tester",
                action="cases.import",
                object_type="import",
                object_ref=str(number + 1),
                details={"n_cases": number},
            )


def test_intact_chain_verifies(engine):
    _three_events(engine)
    result = verify_audit_log(engine)
    assert (result.ok, result.n_events, result.first_bad_id) == (True, 3, None)


def test_empty_log_verifies(engine):
    assert verify_audit_log(engine).ok


def test_changed_details_are_detected(engine):
    _three_events(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'cli:someone' WHERE id = 2"))
    result = verify_audit_log(engine)
    assert (result.ok, result.first_bad_id, result.reason) == (False, 2, "content was changed")


def test_deleted_event_is_detected(engine):
    _three_events(engine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = 2"))
    result = verify_audit_log(engine)
    assert result.ok is False
    assert result.first_bad_id == 3
    assert "deleted" in result.reason


def test_reordered_events_are_detected(engine):
    _three_events(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET id = 100 WHERE id = 1"))
        connection.execute(text("UPDATE audit_log SET id = 1 WHERE id = 3"))
        connection.execute(text("UPDATE audit_log SET id = 3 WHERE id = 100"))
    result = verify_audit_log(engine)
    assert (result.ok, result.first_bad_id) == (False, 1)


@pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_chain_verifies_whatever_the_postgresql_time_zone(db):
    # A naive time in a timestamptz column is read as the server's local time: on a
    # server outside UTC every event came back shifted and failed verification.
    from ketenbeeld.storage import make_engine

    def in_zone(zone: str):
        return make_engine(f"{db.url}%20-ctimezone%3D{zone}", migrate=False)

    amsterdam, tokyo = in_zone("Europe/Amsterdam"), in_zone("Asia/Tokyo")
    try:
        _three_events(amsterdam)
        with amsterdam.connect() as connection:
            assert connection.execute(text("SHOW timezone")).scalar() == "Europe/Amsterdam"
        assert verify_audit_log(amsterdam).ok
        assert verify_audit_log(tokyo).ok
        assert verify_audit_log(db.engine).ok
    finally:
        amsterdam.dispose()
        tokyo.dispose()
