"""Paths that look public but land on Dash's page route (``/<path:path>``) served the
application shell to anonymous visitors: ``/assets/`` (the prefix is public for static files)
and ``/favicon.ico`` (there is no such file route; Dash's is ``/_favicon.ico``). Deny by default
means a public-looking path is public only when it reaches a public endpoint."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/assets/", "/assets", "/favicon.ico", "/assets/rien/"])
def test_public_looking_paths_on_the_page_route_redirect_to_login(client, path):
    response = client.get(path)
    assert response.status_code in (302, 404)
    assert "_dash-config" not in response.get_data(as_text=True)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/connexion?next=")


def test_real_static_files_and_dash_favicon_stay_public(client):
    assert client.get("/assets/vendor/bootstrap.min.css").status_code == 200
    assert client.get("/_favicon.ico").status_code == 200
    assert client.get("/sante").status_code == 200
