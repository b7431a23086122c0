"""``/admin/comptes``: admins only, CSRF on every form, the actions really change accounts."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from auth import accounts
from auth.identity import authenticate, load_by_email
from auth.scope import scope_for_user
from auth.testing import csrf_token_in

PW = "un-mot-de-passe-solide"


@pytest.fixture
def admin_client(client, make_user, login):
    make_user("admin@x.test", admin=True)
    login(client, "admin@x.test")
    return client


def _token(client) -> str:
    page = client.get("/admin/comptes")
    assert page.status_code == 200
    return csrf_token_in(page.text)


def _user_id(engine, email: str) -> int:
    return load_by_email(engine, email).id


@pytest.mark.parametrize("role", ["siae", "ddets", "dgefp"])
def test_admin_pages_are_forbidden_to_non_admins(client, make_user, login, role):
    make_user("u@x.test", role, structures=[1], departement="35")
    login(client, "u@x.test")
    assert client.get("/admin/comptes").status_code == 403
    response = client.post("/admin/comptes", data={"email": "n@x.test", "password": PW})
    assert response.status_code == 403


def test_admin_lists_accounts_with_their_organisations(admin_client, make_user):
    make_user("ddets@x.test", "ddets", departement="35")
    page = admin_client.get("/admin/comptes").text
    assert "ddets@x.test" in page and "DDETS 35 - Ille-et-Vilaine" in page
    assert '<html lang="fr">' in page


def test_admin_creates_an_account_with_an_organisation(admin_client, engine):
    data = {
        "csrf_token": _token(admin_client),
        "email": "Nouveau@X.test",
        "nom": "Nouveau",
        "password": PW,
        "role": "dreets",
        "region": "Occitanie",
    }
    response = admin_client.post("/admin/comptes", data=data)
    assert response.status_code == 302
    user = load_by_email(engine, "nouveau@x.test")
    assert scope_for_user(user).label == "DREETS Occitanie"
    assert authenticate(engine, "nouveau@x.test", PW) is not None


def test_admin_create_reports_errors_in_french(admin_client, engine):
    token = _token(admin_client)
    data = {"csrf_token": token, "email": "n@x.test", "password": PW, "role": "cd"}
    refused = admin_client.post("/admin/comptes", data=data)
    assert refused.status_code == 422
    assert "Département inconnu" in refused.text
    assert load_by_email(engine, "n@x.test") is None
    data = {"csrf_token": token, "email": "n@x.test", "password": "court"}
    refused = admin_client.post("/admin/comptes", data=data)
    assert refused.status_code == 422
    assert "12 caractères" in refused.text
    assert load_by_email(engine, "n@x.test") is None


def test_every_admin_form_requires_the_csrf_token(admin_client, make_user, engine):
    make_user("u@x.test", "dgefp")
    uid = _user_id(engine, "u@x.test")
    posts = [
        ("/admin/comptes", {"email": "n@x.test", "password": PW}),
        (f"/admin/comptes/{uid}/desactiver", {}),
        (f"/admin/comptes/{uid}/activer", {}),
        (f"/admin/comptes/{uid}/mot-de-passe", {"password": PW}),
        (f"/admin/comptes/{uid}/adhesions", {"role": "dgefp"}),
        (f"/admin/comptes/{uid}/adhesions/1/retirer", {}),
    ]
    for path, data in posts:
        assert admin_client.post(path, data=data).status_code == 400, path
    assert load_by_email(engine, "n@x.test") is None
    assert load_by_email(engine, "u@x.test").actif


def test_admin_disables_enables_and_resets(admin_client, make_user, login, engine):
    make_user("u@x.test", "dgefp")
    uid = _user_id(engine, "u@x.test")
    token = _token(admin_client)
    admin_client.post(f"/admin/comptes/{uid}/desactiver", data={"csrf_token": token})
    assert not load_by_email(engine, "u@x.test").actif
    admin_client.post(f"/admin/comptes/{uid}/activer", data={"csrf_token": token})
    assert load_by_email(engine, "u@x.test").actif
    new = "un-tout-nouveau-mot-de-passe"
    admin_client.post(
        f"/admin/comptes/{uid}/mot-de-passe", data={"csrf_token": token, "password": new}
    )
    assert authenticate(engine, "u@x.test", new) is not None


def test_admin_cannot_disable_itself(admin_client, engine):
    uid = _user_id(engine, "admin@x.test")
    admin_client.post(f"/admin/comptes/{uid}/desactiver", data={"csrf_token": _token(admin_client)})
    assert load_by_email(engine, "admin@x.test").actif


def test_admin_changes_memberships(admin_client, make_user, engine):
    make_user("u@x.test", "ddets", departement="35")
    uid = _user_id(engine, "u@x.test")
    token = _token(admin_client)
    admin_client.post(
        f"/admin/comptes/{uid}/adhesions",
        data={"csrf_token": token, "role": "cd", "departement": "31"},
    )
    assert scope_for_user(load_by_email(engine, "u@x.test")).departements == {"35", "31"}
    with Session(engine) as session:
        user = accounts.require_user(session, "u@x.test")
        ddets = next(m.organisation_id for m in user.memberships if m.organisation.kind == "ddets")
    admin_client.post(f"/admin/comptes/{uid}/adhesions/{ddets}/retirer", data={"csrf_token": token})
    assert scope_for_user(load_by_email(engine, "u@x.test")).departements == {"31"}
