"""``next=///evil.test`` after login: ``urlsplit`` reads an empty netloc and the path
``/evil.test``, but a browser resolves ``///evil.test`` against an https page as the host
``evil.test`` (WHATWG "special authority ignore slashes"): an open redirect."""

from __future__ import annotations

import pytest

from auth.views import safe_next


@pytest.mark.parametrize("evil", ["///evil.test", "///evil.test/x?y=1", "/////evil.test"])
def test_three_or_more_leading_slashes_are_refused(evil):
    assert safe_next(evil) == "/"


@pytest.mark.parametrize("evil", ["///evil.test"])
def test_login_does_not_redirect_to_triple_slash(client, make_user, login, evil):
    make_user("a@siae.test", "siae", structures=[101])
    response = login(client, "a@siae.test", next=evil)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_local_paths_with_inner_double_slash_stay_local():
    assert safe_next("/annuel//x?annee=2024") == "/annuel//x?annee=2024"
