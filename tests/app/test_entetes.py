"""Security headers on every response, anonymous or logged in, page, API, asset or error."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.commands.serve import SansVersion

COMMUNS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
ANONYMES = ["/connexion", "/sante", "/", "/_dash-layout", "/assets/style.css", "/pas-de-page"]
CONNECTES = ["/", "/_dash-layout", "/_dash-dependencies", "/admin/comptes", "/assets/style.css"]


def _verifier(response) -> None:
    for nom, valeur in COMMUNS.items():
        assert response.headers.get(nom) == valeur, (response.request.path, nom)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]*)", csp).group(1).split()
    assert script_src[0] == "'self'"
    assert all(s.startswith("'sha256-") for s in script_src[1:]) and len(script_src) > 1
    assert "unsafe" not in " ".join(script_src)


def test_every_anonymous_response_has_the_headers(client):
    for path in ANONYMES:
        response = client.get(path)
        _verifier(response)
        assert "no-store" not in response.headers.get("Cache-Control", ""), path
        assert "Strict-Transport-Security" not in response.headers


def test_logged_in_responses_are_not_stored_but_static_files_may_be(app, client, make_user, login):
    make_user("admin@test.fr", "dgefp", admin=True)
    assert login(client, "admin@test.fr").status_code == 302
    for path in CONNECTES:
        response = client.get(path)
        assert response.status_code == 200, path
        _verifier(response)
        stored = "no-store" in response.headers.get("Cache-Control", "")
        assert stored == (not path.startswith("/assets/")), path


def test_the_page_scripts_are_the_hashed_ones(app, client, make_user, login):
    """Each inline script Dash writes in the page has its hash in the policy."""
    import base64
    import hashlib

    make_user("ddets@test.fr", "ddets", departement="35")
    login(client, "ddets@test.fr")
    response = client.get("/")
    html = response.get_data(as_text=True)
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S
    )
    assert inline  # Dash's renderer bootstrap at least
    csp = response.headers["Content-Security-Policy"]
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


@pytest.mark.parametrize("secure", [True, False])
def test_hsts_when_cookies_are_https_only(db_url, tmp_path, secure):
    app = create_app(
        {
            "DATABASE_URL": db_url,
            "SECRET_KEY": "x",
            "INSTANCE_DIR": str(tmp_path),
            "SESSION_COOKIE_SECURE": secure,
        }
    )
    response = app.server.test_client().get("/connexion")
    hsts = response.headers.get("Strict-Transport-Security")
    assert (hsts == "max-age=31536000; includeSubDomains") if secure else hsts is None


def test_the_development_server_shows_no_version():
    handler = SansVersion.__new__(SansVersion)
    assert not re.search(r"\d", handler.version_string())
