"""Login, CSRF, cookies, roles and the one error shape of the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ketenbeeld.accounts import LOCKOUT_ATTEMPTS, User
from ketenbeeld.storage import session_scope
from ketenbeeld.web import WebContext, create_app

from .conftest import PASSWORD, csrf_of, logged_in, login


def test_anonymous_pages_redirect_to_login_and_come_back(web):
    client = TestClient(web)
    response = client.get("/onderzoek/statistiek?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/onderzoek/statistiek%3Fx%3D1"
    token = csrf_of(client.get("/login?next=/onderzoek/statistiek").text)
    answer = client.post(
        "/login",
        data={
            "username": "onderzoeker",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/onderzoek/statistiek",
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/onderzoek/statistiek"


def test_the_session_cookie_is_httponly_and_samesite(db):
    from .conftest import add_users

    add_users(db.engine, "Org")
    app = create_app(WebContext(db.engine, "Org", secure_cookies=True))
    client = TestClient(app, base_url="https://testserver")
    cookie = login(client, "analist").headers["set-cookie"]
    assert "kb_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie


def test_login_without_the_csrf_token_is_refused(web):
    client = TestClient(web)
    client.get("/login")
    response = client.post("/login", data={"username": "analist", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert "kb_session" not in client.cookies


def test_a_form_with_a_wrong_csrf_token_changes_nothing(web, db):
    client = logged_in(web, "beheerder")
    response = client.post(
        "/beheer/gebruikers",
        data={
            "username": "mallory",
            "password": PASSWORD,
            "role": "beheerder",
            "csrf_token": "forged",
        },
    )
    assert response.status_code == 403
    with session_scope(db.engine) as session:
        names = set(session.execute(select(User.username)).scalars())
    assert "mallory" not in names


def test_the_login_token_of_another_browser_does_not_pass_the_csrf_check(web):
    first, second = TestClient(web), TestClient(web)
    token = csrf_of(first.get("/login").text)
    second.get("/login")
    response = second.post(
        "/login", data={"username": "analist", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 403


def test_wrong_password_then_lockout_in_the_page(web):
    client = TestClient(web)
    for _ in range(LOCKOUT_ATTEMPTS):
        answer = login(client, "analist", "wrong password!")
        assert answer.status_code == 401
        assert "De gebruikersnaam of het wachtwoord klopt niet." in answer.text
    locked = login(client, "analist", PASSWORD)
    assert locked.status_code == 429
    assert "Probeer het over 15 minuten opnieuw." in locked.text


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        ("onderzoeker", "/onderzoek", "/online"),
        ("analist", "/online", "/beheer"),
        ("beheerder", "/beheer", "/onderzoek"),
        ("professional", "/", "/onderzoek/statistiek"),
    ],
)
def test_each_role_opens_its_parts_only(web, role, allowed, refused):
    client = logged_in(web, role)
    assert client.get(allowed).status_code == 200
    answer = client.get(refused)
    assert answer.status_code == 403
    assert "Uw rol geeft geen toegang tot dit onderdeel." in answer.text


def test_the_api_uses_the_same_roles_and_one_error_shape(web):
    client = logged_in(web, "onderzoeker")
    assert client.get("/api/v1/me").json()["modules"] == ["onderzoek"]
    refused = client.get("/api/v1/online/queue")
    assert refused.status_code == 403
    assert refused.json() == {
        "error": {
            "code": "forbidden",
            "message": "the role onderzoeker has no access to online",
            "problems": [],
            "hint": None,
        }
    }
    anonymous = TestClient(web).get("/api/v1/cases")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "unauthorized"


def test_logout_ends_the_session(web):
    client = logged_in(web, "analist")
    token = csrf_of(client.get("/").text)
    old_cookie = client.cookies.get("kb_session")
    answer = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert answer.headers["location"] == "/login?out=1"
    again = TestClient(web)
    again.cookies.set("kb_session", old_cookie)
    assert again.get("/api/v1/me").status_code == 401


def test_no_open_redirect_after_login_or_language_switch(web):
    client = TestClient(web)
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={
            "username": "analist",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"
    switched = client.get("/taal/en?next=https://evil.example/", follow_redirects=False)
    assert switched.headers["location"] == "/"


def test_english_switch_and_security_headers(web):
    client = logged_in(web, "analist")
    client.get("/taal/en?next=/", follow_redirects=False)
    page = client.get("/")
    assert '<html lang="en">' in page.text
    assert "Welcome, analist" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_a_beheerder_creates_a_user_and_sees_bad_input_explained(web, db):
    client = logged_in(web, "beheerder")
    token = csrf_of(client.get("/beheer").text)
    short = client.post(
        "/beheer/gebruikers",
        data={"username": "nina", "password": "short", "role": "analist", "csrf_token": token},
    )
    assert short.status_code == 422
    assert "the password must be at least 12 characters" in short.text
    made = client.post(
        "/beheer/gebruikers",
        data={"username": "nina", "password": PASSWORD, "role": "analist", "csrf_token": token},
    )
    assert made.status_code == 200
    assert "Gebruiker nina is aangemaakt." in made.text
    with session_scope(db.engine) as session:
        count = session.execute(select(func.count()).select_from(User)).scalar_one()
        nina = session.execute(select(User).where(User.username == "nina")).scalar_one()
        organisation = nina.organisation
    assert count == 5
    assert organisation == "Jeugdzorg Oost"
    audit = client.get("/beheer/audit")
    assert "Het auditlog is intact" in audit.text
    assert "user.create" in audit.text
