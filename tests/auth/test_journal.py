"""The audit log and its "Journal" page: a DDETS login, its export with card, filters and
format, an administrator's self-grant, failed logins, account changes and imports are
recorded; administrators read, filter and download them; others get 403; old lines go."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner

from app.cli import main
from auth import journal
from auth.identity import load_by_email
from auth.testing import csrf_token_in
from callbacks import export_sources
from layouts import ids


def _post_export(client, app, card: str, fmt: str, etat):
    """A menu item click of the dashboard, as the browser sends it."""
    item = ids.export_item_id(card, fmt)
    pattern = json.dumps(
        {"card": ["MATCH"], "format": fmt, "type": "export"}, separators=(",", ":")
    )
    key = next(k for k, spec in app.callback_map.items() if spec["inputs"][0]["id"] == pattern)
    payload = {
        "output": key,
        "outputs": {"id": ids.download_id(card), "property": "data"},
        "inputs": [{"id": item, "property": "n_clicks", "value": 1}],
        "changedPropIds": [json.dumps(item, sort_keys=True, separators=(",", ":")) + ".n_clicks"],
        "state": [
            {"id": ids.FILTRES_ETAT, "property": "data", "value": etat},
            # the detail tables' on-screen filters and sort, sent with every export click
            *[
                {"id": t.vue.table_id, "property": prop, "value": None}
                for t in export_sources.TABLEAUX.values()
                for prop in ("filter_query", "sort_by")
            ],
        ],
    }
    return client.post("/_dash-update-component", json=payload)


@pytest.fixture
def admin(app, make_user, login):
    make_user("admin@x.test", admin=True)
    client = app.server.test_client()
    assert login(client, "admin@x.test").status_code == 302
    return client


def _csv(client, query: str = "") -> list[dict[str, str]]:
    response = client.get("/admin/journal.csv" + query)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    texte = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(texte, newline=""), delimiter=";"))


@pytest.fixture
def monde(engine):
    """Three structures (tests/builders.py), two of them in the DDETS 35's département."""
    from builders import Donnees

    Donnees(engine).trois_structures(af_ids=(1000, 1002, 1003), af_2021_id=1001)


def test_the_journal_shows_a_login_an_export_and_a_self_grant(app, monde, make_user, login, admin):
    make_user("ddets@x.test", "ddets", departement="35")
    ddets = app.server.test_client()
    assert login(ddets, "ddets@x.test").status_code == 302
    response = _post_export(ddets, app, ids.MENSUEL_KPIS, "xlsx", {"annee": 2022})
    assert response.status_code == 200 and "content" in response.text

    # the administrator adds a DGEFP organisation to their own account
    moi = load_by_email(app_engine(app), "admin@x.test")
    token = csrf_token_in(admin.get("/admin/comptes").text)
    response = admin.post(
        f"/admin/comptes/{moi.id}/adhesions", data={"csrf_token": token, "role": "dgefp"}
    )
    assert response.status_code == 302

    page = admin.get("/admin/journal")
    assert page.status_code == 200
    texte = page.get_data(as_text=True)
    assert "Connexion" in texte and "ddets@x.test" in texte
    assert "Téléchargement" in texte and "xlsx" in texte
    assert "Organisation ajoutée à son propre compte" in texte and "DGEFP" in texte

    lignes = _csv(admin)
    par_action = {}
    for ligne in lignes:
        par_action.setdefault(ligne["Action"], []).append(ligne)
    assert any(lg["Par"] == "ddets@x.test" for lg in par_action["Connexion"])
    (export,) = par_action["Téléchargement"]
    assert export["Par"] == "ddets@x.test"
    assert "format : xlsx" in export["Détails"] and "annee = 2022" in export["Détails"]
    slug = export_sources.SOURCES[ids.MENSUEL_KPIS].slug
    assert f"carte : {slug}" in export["Détails"], export["Détails"]
    (grant,) = par_action["Organisation ajoutée à son propre compte"]
    assert grant["Par"] == grant["Compte concerné"] == "admin@x.test"

    # filters: by action, by account, by date
    seuls = _csv(admin, "?action=export")
    assert [lg["Action"] for lg in seuls] == ["Téléchargement"]
    assert {lg["Par"] for lg in _csv(admin, "?compte=DDETS@")} == {"ddets@x.test"}
    demain = (datetime.now() + timedelta(days=1)).date().isoformat()
    assert _csv(admin, f"?du={demain}") == []
    assert "Aucune ligne" in admin.get(f"/admin/journal?du={demain}").get_data(as_text=True)


def _jeton_de_la_page(noeud):
    """The logout form's CSRF token in the Dash layout (JSON)."""
    if isinstance(noeud, dict):
        props = noeud.get("props", {})
        if isinstance(props, dict) and props.get("name") == "csrf_token":
            return props["value"]
        return next((t for v in noeud.values() if (t := _jeton_de_la_page(v))), None)
    if isinstance(noeud, list):
        return next((t for v in noeud if (t := _jeton_de_la_page(v))), None)
    return None


def app_engine(app):
    from etp.db import get_engine

    return get_engine(app.server.config["DATABASE_URL"])


def test_failed_logins_logout_and_account_changes_are_recorded(
    app, make_user, login, admin, engine
):
    make_user("u@x.test", "dgefp")
    client = app.server.test_client()
    assert login(client, "u@x.test", "pas-le-bon-mot-de-passe").status_code == 200
    assert login(client, "=HYPERLINK(1)@x.test", "x").status_code == 200
    assert login(client, "u@x.test").status_code == 302
    token = _jeton_de_la_page(client.get("/_dash-layout").get_json())
    assert client.post("/deconnexion", data={"csrf_token": token}).status_code == 302

    victime = load_by_email(engine, "u@x.test")
    token = csrf_token_in(admin.get("/admin/comptes").text)
    admin.post(f"/admin/comptes/{victime.id}/desactiver", data={"csrf_token": token})
    admin.post(
        f"/admin/comptes/{victime.id}/adhesions",
        data={"csrf_token": token, "role": "ddets", "departement": "31"},
    )
    admin.post(
        "/admin/comptes",
        data={"csrf_token": token, "email": "n@x.test", "password": "un-mot-de-passe-solide"},
    )
    lignes = _csv(admin)
    vus = [(lg["Action"], lg["Par"], lg["Compte concerné"]) for lg in lignes]
    assert ("Échec de connexion", "u@x.test", "") in vus
    assert ("Déconnexion", "u@x.test", "") in vus
    assert ("Compte désactivé", "admin@x.test", "u@x.test") in vus
    assert ("Organisation ajoutée à un compte", "admin@x.test", "u@x.test") in vus
    assert ("Compte créé", "admin@x.test", "n@x.test") in vus
    # an e-mail typed as a spreadsheet formula stays text in the CSV
    assert ("Échec de connexion", "'=hyperlink(1)@x.test", "") in vus


@pytest.mark.parametrize("role", ["siae", "ddets", "dgefp"])
def test_the_journal_is_for_administrators_only(client, make_user, login, role):
    make_user("u@x.test", role, structures=[1], departement="35")
    login(client, "u@x.test")
    assert client.get("/admin/journal").status_code == 403
    assert client.get("/admin/journal.csv").status_code == 403


def test_odd_query_strings_are_ignored(admin):
    for query in ["?page=99999999999", "?du=hier&au=2024-13-45", "?action=<script>", "?page=-1"]:
        assert admin.get("/admin/journal" + query).status_code == 200


def test_cli_commands_are_recorded_with_their_operator(db_url, engine, tmp_path):
    runner = CliRunner()
    add = ["user", "add", "n@x.test", "--role", "dgefp", "--password", "un-mot-de-passe-solide"]
    assert runner.invoke(main, [*add, "--database-url", db_url]).exit_code == 0
    vide = tmp_path / "rien.csv"
    vide.write_text("pas un fichier fluxIAE\n", encoding="utf-8")
    runner.invoke(main, ["import", str(vide), "--database-url", db_url])
    lignes, _ = journal.lire(engine, journal.FiltreJournal())
    actions = {e.action: e for e in lignes}
    assert actions["compte_cree"].cible == "n@x.test"
    assert actions["compte_cree"].acteur_email.startswith("ligne de commande (")
    imp = journal.details(actions["import"])
    assert imp["chemins"] == [str(vide)] and imp["resultat"]


def test_old_lines_are_purged(engine):
    maintenant = datetime(2026, 6, 1, 12, 0)
    acteur = journal.Acteur(email="a@x.test")
    for jours in (400, 366, 10):
        journal.enregistrer(
            engine, "connexion", acteur, maintenant=maintenant - timedelta(days=jours)
        )
    assert journal.purger(engine, 365, maintenant=maintenant) == 2
    assert journal.lire(engine, journal.FiltreJournal())[1] == 1
    assert journal.purger(engine, 0, maintenant=maintenant) == 0  # 0 keeps everything
