"""The admin designates an SIAE's structure as users know it (SIRET, « NOM - SIRET », name),
a refused form keeps what was typed, and an administrator without organisation lands on the
accounts page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from auth import accounts
from auth.identity import load_by_email
from auth.scope import scope_for_user
from auth.testing import csrf_token_in
from etp.schema import Structure

PW = "un-mot-de-passe-solide"


@pytest.fixture
def structures(engine):
    with Session(engine) as session, session.begin():
        session.add_all(
            [
                Structure(id=1001, siret="12345678900011", denomination="Potager de la Vilaine"),
                Structure(id=1002, siret="98765432100022", denomination="Entraide Emploi"),
                Structure(id=1003, siret="55555555500033", denomination="Entraide Emploi"),
            ]
        )


@pytest.fixture
def admin_client(client, make_user, login):
    make_user("admin@x.test", admin=True)
    login(client, "admin@x.test")
    return client


def _create(client, **fields):
    token = csrf_token_in(client.get("/admin/comptes").text)
    data = {"csrf_token": token, "password": PW, "role": "siae", **fields}
    return client.post("/admin/comptes", data=data)


@pytest.mark.parametrize(
    "saisie",
    [
        "12345678900011",
        "123 456 789 00011",
        "Potager de la Vilaine - 12345678900011",
        "potager de la vilaine",
        "1001",
    ],
)
def test_structure_by_siret_label_name_or_id(admin_client, engine, structures, saisie):
    response = _create(admin_client, email="siae@x.test", structures=saisie)
    assert response.status_code == 302, response.text
    assert scope_for_user(load_by_email(engine, "siae@x.test")).structure_ids == {1001}


def test_two_structures_separated_by_commas(engine, structures):
    with Session(engine) as session:
        ids = accounts.structure_ids_from_text(session, "12345678900011, 98765432100022")
    assert ids == {1001, 1002}


def test_ambiguous_name_asks_for_the_siret_and_keeps_the_form(admin_client, engine, structures):
    response = _create(
        admin_client, email="nouvel@x.test", nom="Nouvel Utilisateur", structures="Entraide Emploi"
    )
    assert response.status_code == 422
    assert "précisez le SIRET" in response.text
    assert "98765432100022" in response.text and "55555555500033" in response.text
    # what was typed is still there, except the password
    assert 'value="nouvel@x.test"' in response.text
    assert 'value="Nouvel Utilisateur"' in response.text
    assert 'value="Entraide Emploi"' in response.text
    assert '<option value="siae" selected>' in response.text
    assert PW not in response.text
    assert load_by_email(engine, "nouvel@x.test") is None


def test_unknown_siret_is_named(admin_client, engine, structures):
    response = _create(admin_client, email="x@x.test", structures="11111111111111")
    assert response.status_code == 422
    assert "SIRET 11111111111111" in response.text
    assert load_by_email(engine, "x@x.test") is None


def test_the_page_offers_imported_structures(admin_client, structures):
    page = admin_client.get("/admin/comptes").text
    assert '<option value="Potager de la Vilaine - 12345678900011">' in page
    assert 'list="structures-importees"' in page


def test_admin_without_organisation_lands_on_accounts(client, make_user, login):
    make_user("admin@x.test", admin=True)
    response = login(client, "admin@x.test", next="/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/comptes")


def test_agent_lands_on_the_dashboard(client, make_user, login):
    make_user("ddets@x.test", "ddets", departement="35")
    response = login(client, "ddets@x.test", next="/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
