"""Logging out works from any page the user still has open.

The dashboard fires several requests at once after the login; each answer sets the session
cookie again (permanent session). When the CSRF secret was only created by the page's first
request, a parallel request carrying the login cookie could write that cookie back last, and
"Se déconnecter" answered a bare "Bad Request" (seen in CI, in chromium)."""

from __future__ import annotations

import re

from auth.views import logout_csrf_token


def test_logout_token_survives_a_request_that_writes_the_login_cookie_back(
    app, client, make_user, login
):
    app.server.add_url_rule("/jeton-course", "jeton_course", logout_csrf_token)
    make_user("a@siae.test", "siae", structures=[101])
    login(client, "a@siae.test")
    cookie_de_connexion = client.get_cookie("session").value

    token = client.get("/jeton-course").text  # the page renders its logout form
    client.set_cookie("session", cookie_de_connexion)  # a parallel request answers last

    response = client.post("/deconnexion", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/connexion")


def test_stale_token_asks_to_confirm_with_a_fresh_one(app, client, make_user, login):
    make_user("a@siae.test", "siae", structures=[101])
    login(client, "a@siae.test")

    refus = client.post("/deconnexion", data={"csrf_token": "périmé"})
    assert refus.status_code == 400
    assert "Confirmez la déconnexion" in refus.text
    frais = re.search(r'name="csrf_token" value="([^"]+)"', refus.text).group(1)

    response = client.post("/deconnexion", data={"csrf_token": frais})
    assert response.status_code == 302
    assert response.headers["Location"].split("?")[0].endswith("/connexion")
    assert client.get("/_dash-layout").status_code == 401


def test_anonymous_logout_goes_to_the_login_page(client):
    response = client.post("/deconnexion", data={})
    assert response.status_code == 302
    assert response.headers["Location"].split("?")[0].endswith("/connexion")
