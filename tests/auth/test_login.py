"""Login and logout through real HTTP requests: CSRF, generic errors, safe ``next``."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.models import User
from auth.scope import current_scope, describe_current_user
from auth.testing import TEST_PASSWORD, csrf_token_in
from auth.views import GENERIC_ERROR, logout_csrf_token, safe_next


def _logged_in_email(client) -> str | None:
    with client:
        client.get("/connexion")
        return describe_current_user()["email"]


def test_login_success_redirects_and_records_last_login(client, make_user, login, engine):
    make_user("Directrice@SIAE.test", "siae", structures=[101])
    response = login(client, "directrice@siae.test")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _logged_in_email(client) == "directrice@siae.test"
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.email == "directrice@siae.test"))
        assert user.derniere_connexion is not None


def test_session_cookie_is_httponly_lax_and_permanent(client, make_user, login):
    make_user("a@siae.test", "siae", structures=[101])
    response = login(client, "a@siae.test")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie


@pytest.mark.parametrize(
    ("email", "password"),
    [("a@siae.test", "mauvais-mot-de-passe"), ("inconnu@siae.test", TEST_PASSWORD)],
)
def test_wrong_credentials_give_the_same_generic_error(client, make_user, login, email, password):
    make_user("a@siae.test", "siae", structures=[101])
    response = login(client, email, password)
    assert response.status_code == 200
    assert GENERIC_ERROR in response.text
    assert _logged_in_email(client) is None


def test_disabled_user_cannot_log_in(client, make_user, login):
    make_user("parti@siae.test", "siae", structures=[101], actif=False)
    response = login(client, "parti@siae.test")
    assert GENERIC_ERROR in response.text
    assert _logged_in_email(client) is None


def test_missing_or_forged_csrf_token_is_refused(client, make_user):
    make_user("a@siae.test", "siae", structures=[101])
    for token in (None, "forged"):
        data = {"email": "a@siae.test", "password": TEST_PASSWORD}
        if token:
            data["csrf_token"] = token
        response = client.post("/connexion", data=data)
        assert response.status_code == 400
        assert _logged_in_email(client) is None


@pytest.mark.parametrize(
    "evil",
    [
        "//evil.test",
        "https://evil.test",
        "/\\evil.test",
        "\\\\evil.test",
        "/\t/evil.test",
        "javascript:alert(1)",
        "evil.test",
        "http:/evil.test",
    ],
)
def test_open_redirects_in_next_are_ignored(client, make_user, login, evil):
    make_user("a@siae.test", "siae", structures=[101])
    response = login(client, "a@siae.test", next=evil)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_local_next_is_followed(client, make_user, login):
    make_user("a@siae.test", "siae", structures=[101])
    response = login(client, "a@siae.test", next="/annuel?annee=2024")
    assert response.headers["Location"] == "/annuel?annee=2024"


def test_safe_next_keeps_only_local_paths():
    assert safe_next("/a/b?c=1#d") == "/a/b?c=1#d"
    assert safe_next(None) == "/"
    assert safe_next("//evil.test/x") == "/"
    assert safe_next("/%5Cevil.test") == "/%5Cevil.test"  # encoded: stays a local path


def test_logout_requires_post_with_csrf(app, client, make_user, login):
    # The Dash header renders the logout form with this token (per request, in the session).
    app.server.add_url_rule("/jeton", "jeton", logout_csrf_token)
    make_user("a@siae.test", "siae", structures=[101])
    login(client, "a@siae.test")
    client.get("/deconnexion")  # GET falls through to Dash's page: it must not log out
    assert client.post("/deconnexion").status_code == 400
    assert _logged_in_email(client) == "a@siae.test"
    token = client.get("/jeton").text
    response = client.post("/deconnexion", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/connexion"
    assert _logged_in_email(client) is None


def test_login_page_is_french_and_uses_local_bootstrap(client):
    page = client.get("/connexion").text
    assert '<html lang="fr">' in page
    assert "/assets/vendor/bootstrap.min.css" in page
    assert "Mot de passe" in page and csrf_token_in(page)


def test_disabled_while_logged_in_is_logged_out_at_next_request(client, make_user, login, engine):
    make_user("a@siae.test", "siae", structures=[101])
    login(client, "a@siae.test")
    assert _logged_in_email(client) == "a@siae.test"
    from auth import accounts

    with Session(engine) as session, session.begin():
        accounts.set_active(accounts.require_user(session, "a@siae.test"), False)
    assert _logged_in_email(client) is None
    with client:
        client.get("/connexion")
        assert current_scope().is_empty()
