"""Login throttling: per account, a growing delay after a few failures (failures only, reset
by a success, unknown e-mails alike); per address, only failures count."""

from __future__ import annotations

import itertools

import pytest

from app import create_app
from auth import limitation
from auth.testing import TEST_PASSWORD

BLOQUE = "Trop de tentatives de connexion pour ce compte"


def test_the_delay_grows_with_each_failure_up_to_a_ceiling():
    attentes = [limitation.delai(n) for n in range(1, 14)]
    seuil = limitation.ECHECS_AVANT_DELAI
    assert attentes[: seuil - 1] == [0] * (seuil - 1)
    croissantes = attentes[seuil - 1 :]
    assert croissantes[0] > 0
    assert all(b >= a for a, b in itertools.pairwise(croissantes))
    assert croissantes[1] > croissantes[0]
    assert croissantes[-1] == limitation.DELAI_MAX


@pytest.fixture
def horloge(monkeypatch):
    """A controllable ``time.time`` for the throttling module."""
    maintenant = [1_000_000.0]
    monkeypatch.setattr(limitation.time, "time", lambda: maintenant[0])
    return maintenant


@pytest.mark.parametrize("email", ["u@x.test", "inconnu@x.test"])
def test_an_account_waits_after_repeated_failures(client, make_user, login, horloge, email):
    make_user("u@x.test", "dgefp")
    seuil = limitation.ECHECS_AVANT_DELAI
    for _ in range(seuil):
        assert login(client, email, "mauvais-mot-de-passe").status_code == 200
    # now even the right password is not checked
    response = login(client, email, TEST_PASSWORD)
    assert response.status_code == 429 and BLOQUE in response.text
    horloge[0] += limitation.delai(seuil) + 1
    if email == "u@x.test":
        assert login(client, email, TEST_PASSWORD).status_code == 302
    else:
        assert login(client, email, TEST_PASSWORD).status_code == 200  # merely unknown


def test_the_next_failure_waits_longer_and_a_success_resets(client, make_user, login, horloge):
    make_user("u@x.test", "dgefp")
    seuil = limitation.ECHECS_AVANT_DELAI
    for _ in range(seuil):
        login(client, "u@x.test", "mauvais-mot-de-passe")
    horloge[0] += limitation.delai(seuil) + 1
    assert login(client, "u@x.test", "mauvais-mot-de-passe").status_code == 200
    horloge[0] += limitation.delai(seuil) + 1  # enough after the 1st delay, not the 2nd
    assert login(client, "u@x.test", TEST_PASSWORD).status_code == 429
    horloge[0] += limitation.delai(seuil + 1)
    assert login(client, "u@x.test", TEST_PASSWORD).status_code == 302
    # the success forgot the failures: a new failure does not lock the account
    fresh = client.application.test_client()
    assert login(fresh, "u@x.test", "mauvais-mot-de-passe").status_code == 200
    assert login(fresh, "u@x.test", TEST_PASSWORD).status_code == 302


def test_successful_logins_do_not_count_against_the_address(db_url, tmp_path, make_user, login):
    """More colleagues behind one address log in within a minute than the per-address limit
    allows attempts: it counts failures only."""
    app = create_app(
        {
            "DATABASE_URL": db_url,
            "SECRET_KEY": "x",
            "INSTANCE_DIR": str(tmp_path),
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    for i in range(5):
        make_user(f"c{i}@x.test", "dgefp")
        assert login(app.server.test_client(), f"c{i}@x.test").status_code == 302
    codes = [
        login(app.server.test_client(), f"x{i}@x.test", "mauvais").status_code for i in range(4)
    ]
    assert codes == [200] * 3 + [429]
