"""Logging out must end the session for good: the session is a signed cookie kept by the
browser, so a copy of it taken before "Se déconnecter" (shared computer, proxy log, stolen
cookie) used to stay valid for the whole session lifetime. Logout now renews the account's
session token, which every cookie of that account carries."""

from __future__ import annotations

from auth.scope import describe_current_user
from auth.views import logout_csrf_token


def _email(client) -> str | None:
    with client:
        client.get("/connexion")
        return describe_current_user()["email"]


def test_cookie_copied_before_logout_is_refused_after(app, client, make_user, login):
    app.server.add_url_rule("/jeton-rejeu", "jeton_rejeu", logout_csrf_token)
    make_user("a@siae.test", "siae", structures=[101])
    login(client, "a@siae.test")
    copie = client.get_cookie("session").value
    assert _email(client) == "a@siae.test"

    token = client.get("/jeton-rejeu").text
    assert client.post("/deconnexion", data={"csrf_token": token}).status_code == 302

    client.set_cookie("session", copie)
    assert _email(client) is None
    assert client.get("/_dash-layout").status_code == 401


def test_logging_in_again_after_logout_works(app, client, make_user, login):
    app.server.add_url_rule("/jeton-rejeu2", "jeton_rejeu2", logout_csrf_token)
    make_user("a@siae.test", "siae", structures=[101])
    login(client, "a@siae.test")
    client.post("/deconnexion", data={"csrf_token": client.get("/jeton-rejeu2").text})
    login(client, "a@siae.test")
    assert _email(client) == "a@siae.test"
