"""/avis for every logged-in user, /admin/avis for administrators only (NPS, answers, exports)."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest

from auth.testing import csrf_token_in
from etp import avis


@pytest.fixture
def ddets(client, make_user, login):
    make_user("ddets@x.test", "ddets", departement="35")
    login(client, "ddets@x.test")
    return client


def _envoyer(client, **champs):
    page = client.get("/avis?onglet=annuel&retour=/%3Fannee%3D2026")
    data = {"csrf_token": csrf_token_in(page.text), "onglet": "annuel", "retour": "/?annee=2026"}
    return client.post("/avis", data={**data, **champs})


def test_anonymous_is_sent_to_login(client):
    response = client.get("/avis")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert client.post("/avis", data={"note": "9"}).status_code == 302
    assert client.get("/admin/avis").status_code == 302


def test_form_names_the_tab_and_keeps_the_way_back(ddets):
    page = ddets.get("/avis?onglet=annuel&retour=/%3Fannee%3D2026").text
    assert "Envoyé depuis l'onglet « Effectif annuel (en ETP) »" in page
    assert 'href="/?annee=2026"' in page
    hostile = ddets.get("/avis?retour=//evil.test").text
    assert "evil.test" not in hostile


def test_answer_stored_with_role_and_without_email(ddets, engine):
    response = _envoyer(ddets, note="9", indicateur="oui", commentaire="La projection m'aide.")
    assert response.status_code == 200
    assert "Merci pour votre avis" in response.text
    assert 'href="/?annee=2026"' in response.text
    stored = avis.lister(engine)
    assert len(stored) == 1
    row = stored.iloc[0]
    assert (row["note"], row["roles"], row["onglet"]) == (9, "ddets", "annuel")
    assert bool(row["indicateur_utilise"]) is True
    assert pd.isna(row["email"])


def test_email_kept_only_when_asked(ddets, engine):
    _envoyer(ddets, note="3", recontact="y")
    assert avis.lister(engine)["email"].iloc[0] == "ddets@x.test"


@pytest.mark.parametrize("note", ["", "11", "-1", "dix"])
def test_invalid_note_refused_and_nothing_stored(ddets, engine, note):
    response = _envoyer(ddets, note=note, commentaire="gardé")
    assert response.status_code == 400
    assert "alert-danger" in response.text
    assert "gardé" in response.text  # what was typed stays
    assert avis.lister(engine).empty


def test_missing_csrf_refused(ddets, engine):
    response = ddets.post("/avis", data={"note": "9"})
    assert response.status_code == 400
    assert avis.lister(engine).empty


def test_admin_page_forbidden_to_agents(ddets):
    assert ddets.get("/admin/avis").status_code == 403
    assert ddets.get("/admin/avis/export.xlsx").status_code == 403


@pytest.fixture
def admin(app, make_user, login):
    make_user("admin@x.test", admin=True)
    client = app.server.test_client()
    login(client, "admin@x.test")
    return client


def test_admin_reads_nps_answers_and_exports(ddets, admin):
    for note in ("10", "9", "5"):
        _envoyer(ddets, note=note, commentaire=f"note {note}")
    page = admin.get("/admin/avis").text
    # 2 promoters, 1 detractor out of 3: (2 - 1) / 3 = +33 points
    assert re.search(r"fs-3 fw-semibold\">\+33<", page)
    assert "note 5" in page and "Effectif annuel (en ETP)" in page
    assert ">nan<" not in page
    xlsx = admin.get("/admin/avis/export.xlsx")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data))["Avis"]
    notes = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert notes == [5, 9, 10]
    csv = admin.get("/admin/avis/export.csv").data.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Date;Note (0 à 10)")
    assert admin.get("/admin/avis/export.pdf").status_code == 404


def test_empty_state_explains(admin):
    assert "Aucun avis pour l'instant" in admin.get("/admin/avis").text
