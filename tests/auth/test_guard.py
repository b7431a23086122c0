"""One guard, deny by default: anonymous pages redirect, Dash endpoints answer 401."""

from __future__ import annotations

import pytest

PAGES = ["/", "/annuel", "/mensuel?annee=2024", "/admin/comptes", "/une-page-future"]
DASH_ROUTES = [
    ("GET", "/_dash-layout"),
    ("GET", "/_dash-dependencies"),
    ("POST", "/_dash-update-component"),
    ("GET", "/_reload-hash"),
    ("GET", "/_dash-component-suites/dash/dcc/dash_core_components.js"),
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_pages_redirect_to_login_with_next(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")
    follow = client.get(response.headers["Location"])
    assert follow.status_code == 200 and "Se connecter" in follow.text


@pytest.mark.parametrize(("method", "path"), DASH_ROUTES)
def test_anonymous_dash_endpoints_get_401_json(client, method, path):
    response = client.open(path, method=method, json={})
    assert response.status_code == 401
    assert response.get_json() == {"erreur": "authentification requise"}


def test_public_paths_answer_anonymously(client):
    assert client.get("/sante").status_code == 200
    assert client.get("/connexion").status_code == 200
    assert client.get("/assets/vendor/bootstrap.min.css").status_code == 200


def test_a_new_route_is_protected_unless_whitelisted(app, client, make_user, login):
    app.server.add_url_rule("/nouvelle-route", "nouvelle", lambda: "secret")
    app.server.add_url_rule("/_nouvelle-api", "nouvelle_api", lambda: "secret")
    assert client.get("/nouvelle-route").status_code == 302
    assert client.get("/_nouvelle-api").status_code == 401
    make_user("a@x.test", "dgefp")
    login(client, "a@x.test")
    assert client.get("/nouvelle-route").text == "secret"


def test_logged_in_user_reaches_dash_endpoints(client, make_user, login):
    make_user("a@x.test", "dgefp")
    login(client, "a@x.test")
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/").status_code == 200


def test_reset_password_ends_open_sessions(client, make_user, login, engine):
    from sqlalchemy.orm import Session

    from auth import accounts

    make_user("a@x.test", "dgefp")
    login(client, "a@x.test")
    with Session(engine) as session, session.begin():
        accounts.set_password(accounts.require_user(session, "a@x.test"), "un-autre-mot-de-passe")
    assert client.get("/_dash-layout").status_code == 401
