"""Every card's Excel and CSV download, called as the logged-in user: the file holds the card's
``etp`` figures unrounded, the Périmètre sheet says what and for whom, and forged requests get
nothing out of the user's scope."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from outils_exports import classeur, contenu, tous_les_textes

from callbacks import export_sources, exports
from etp import queries
from etp.exports import PERIMETRE_SHEET
from etp.filters import Filtres
from etp.scope import Scope
from layouts import ids

# The dashboard's own cards (the funders' cards are tested in tests/pilotage and below, the
# co-financing cards, on a world with co-financed AFs, in tests/callbacks/test_dash_cofinancement).
CARTES = [
    c
    for c, spec in export_sources.SOURCES.items()
    if spec.onglet not in ("financeurs", "cofinancement")
]
DETAIL_ANNUEL = ids.DETAIL_ANNUEL_TABLE + "-carte"
DETAIL_MENSUEL = ids.DETAIL_MENSUEL_TABLE + "-carte"
SIAE_2022 = {"annee": 2022, "structure": 1}
# What belongs to structure 2 (Occitanie) only.
OCCITANIE = ("Chantier Occitan", "ACI031220002", "98765432100022")
REALISE = "Effectif mensuel réalisé (ETP)"  # the monthly detail column (catalogue title)


def lignes(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize("card", CARTES)
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "image"])
def test_every_card_downloads(users, en_tant_que, card, fmt):
    with en_tant_que(users["siae"]):
        data = exports.fichier(card, fmt, SIAE_2022)
    slug = export_sources.SOURCES[card].slug
    ext = "png" if fmt == "image" else fmt
    # the file names the selected structure, not the user's scope ("siae-ei-exemple")
    assert re.fullmatch(
        rf"suivi-etp_{slug}_2022_ei-exemple_\d{{4}}-\d\d-\d\d\.{ext}", data["filename"]
    )
    if fmt == "image":
        assert contenu(data)[:8] == b"\x89PNG\r\n\x1a\n"
    elif fmt == "xlsx":
        wb = classeur(data)
        assert wb.sheetnames[-1] == PERIMETRE_SHEET and len(wb.sheetnames) == 2
        assert wb.worksheets[0].max_row >= 2  # a header and at least one row of figures
    else:
        raw = contenu(data)
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
        assert len(rows) >= 2


def test_worked_example_unrounded(users, en_tant_que):
    with en_tant_que(users["siae"]):
        mensuel = classeur(exports.fichier(ids.MENSUEL_KPIS, "xlsx", SIAE_2022))
        annuel = classeur(exports.fichier(ids.ANNUEL_KPIS, "xlsx", SIAE_2022))
    m = lignes(mensuel.worksheets[0])[0]
    assert m["Effectif mensuel conventionné"] == 28
    assert m["Effectif mensuel réalisé moyen"] == (5 + 10 + 20 + 20 + 20 + 28) / 6
    assert m["Effectif mensuel réalisé (dernier mois validé)"] == pytest.approx(28, abs=1e-12)
    assert m["Dernier mois validé"].date() == date(2022, 8, 1)
    assert m["Consommation"] == "Sous-consommation"
    a = lignes(annuel.worksheets[0])[0]
    assert a["Effectif annuel conventionné"] == 28 * 10 / 12
    assert a["Effectif annuel réalisé"] == pytest.approx(103 / 12, abs=1e-12)
    assert a["% de réalisation"] == pytest.approx((103 / 12) / (28 * 10 / 12), abs=1e-12)
    assert annuel.worksheets[0]["D2"].number_format == "0 %"


def test_detail_annuel_matches_the_etp_frame(users, en_tant_que, engine):
    ddets = Scope.of_departements(["35"])
    attendu = queries.indicateurs_annuels(engine, ddets, Filtres(annee=2022))
    with en_tant_que(users["ddets"]):
        wb = classeur(exports.fichier(DETAIL_ANNUEL, "xlsx", {"annee": 2022}))
    rows = lignes(wb["Détail annuel"])
    assert len(rows) == len(attendu) == 2
    par_numero = {r["Numéro d'annexe financière"]: r for r in rows}
    for _, af in attendu.iterrows():
        row = par_numero[af["numero_annexe_financiere"]]
        for key, titre in [
            ("etp_annuel_conventionne", "Effectif annuel conventionné (ETP)"),
            ("etp_annuel_realise", "Effectif annuel réalisé (ETP)"),
            ("etp_mensuel_realise_moyen", "Effectif mensuel réalisé moyen (ETP)"),
            ("taux_realisation_annuel", "% de réalisation"),
            ("montant_annuel_conventionne", "Aide au poste conventionnée (€)"),
        ]:
            assert row[titre] == af[key], titre  # exact: nothing rounded on the way
    # sorted by gap like the screen: the under-consuming EI first
    assert rows[0]["Structure"] == "EI Exemple - 12345678900011"
    assert rows[0]["Consommation"] == "Sous-consommation"
    ws = wb["Détail annuel"]
    titres = [c.value for c in ws[1]]
    assert titres[:4] == ["Numéro d'annexe financière", "Structure", "Type", "Département"]
    assert (
        ws.cell(2, titres.index("Aide au poste conventionnée (€)") + 1).number_format == '#,##0 "€"'
    )
    notes = {r[0]: r[1] for r in wb[PERIMETRE_SHEET].iter_rows(values_only=True) if r[0]}
    assert notes["Filtres du tableau"] == "aucun : toutes les lignes des filtres ci-dessus"
    assert notes["Tri"] == "Écart mensuel (ETP), croissant"  # the screen's default


def test_detail_mensuel_csv_matches_the_etp_frame(users, en_tant_que, engine):
    attendu = queries.indicateurs_mensuels(engine, Scope.of_structures([1]), Filtres(annee=2022))
    attendu = attendu[attendu["conventionne"]].sort_values("mois")
    with en_tant_que(users["siae"]):
        raw = contenu(exports.fichier(DETAIL_MENSUEL, "csv", SIAE_2022))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r["Mois"] for r in rows] == [
        f"{m} 2022"
        for m in (
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        )
    ]
    for row, (_, af) in zip(rows, attendu.iterrows(), strict=True):
        if af["valide"]:
            assert float(row[REALISE].replace(",", ".")) == af["etp_mensuel_realise"]
        else:
            assert row[REALISE] == ""  # not validated: no number, never 0
    assert rows[6]["État"] == "Saisi" and rows[7]["État"] == "Brouillon"
    assert rows[8]["État"] == "Non saisi"


def test_perimetre_sheet(users, en_tant_que):
    with en_tant_que(users["siae"]):
        wb = classeur(exports.fichier(ids.MENSUEL_GRAPHIQUE, "xlsx", SIAE_2022))
    lines = {r[0]: r[1] for r in wb[PERIMETRE_SHEET].iter_rows(values_only=True) if r[0]}
    assert lines["Périmètre de l'utilisateur"] == "SIAE EI Exemple"
    assert lines["Année"] == "2022"
    assert lines["Dénomination structure"] == "EI Exemple - 12345678900011"
    assert lines["Données à jour au"].date() == date(2022, 10, 12)
    assert lines["Application"].startswith("Suivi ETP")
    assert lines["Onglet « Effectif mensuel »"].startswith("Effectif mensuel conventionné")
    assert "Filtres du tableau" not in lines  # that note is for the paginated tables only


def test_tout_telecharger_one_sheet_per_card(users, en_tant_que):
    with en_tant_que(users["ddets"]):
        data = exports.tout("mensuel", {"annee": 2022})
        annuel = exports.tout("annuel", {"annee": 2022})
    wb = classeur(data)
    assert wb.sheetnames == [
        "Chiffres clés mensuels",
        "Effectif mensuel",
        "Remplissage",
        PERIMETRE_SHEET,
    ]
    assert data["filename"].startswith("suivi-etp_effectif-mensuel-complet_2022_ddets-35_")
    serie = lignes(wb["Effectif mensuel"])
    assert len(serie) == 12
    assert serie[0]["Effectif mensuel conventionné (en ETP)"] == 6  # January: Atelier Rennais
    assert serie[2]["Effectif mensuel conventionné (en ETP)"] == 34  # + EI Exemple from March
    assert classeur(annuel).sheetnames == ["Chiffres clés annuels", "Cumul annuel", PERIMETRE_SHEET]


FORGES = [
    {"annee": 2022, "structure": 2},
    {"annee": 2022, "af": "ACI031220002"},
    {"annee": 2022, "departement": "31"},
    {"annee": 2022, "region": "76", "departement": "31", "structure": 2, "type": "ACI"},
]


@pytest.mark.parametrize("etat", FORGES)
@pytest.mark.parametrize("card", [DETAIL_ANNUEL, DETAIL_MENSUEL, ids.MENSUEL_GRAPHIQUE])
def test_forged_filters_get_nothing_out_of_scope(users, en_tant_que, etat, card):
    for user in ("siae", "ddets"):
        with en_tant_que(users[user]):
            wb = classeur(exports.fichier(card, "xlsx", etat))
            raw = contenu(exports.fichier(card, "csv", etat)).decode("utf-8-sig")
        texte = tous_les_textes(wb)
        for secret in OCCITANIE:
            assert secret not in texte and secret not in raw
        assert "41.5" not in raw and "41,5" not in raw and "43,25" not in raw
        if card != ids.MENSUEL_GRAPHIQUE:
            assert wb.worksheets[0].max_row == 1  # the header only


def test_positive_control_dgefp_sees_occitanie(users, en_tant_que):
    with en_tant_que(users["dgefp"]):
        wb = classeur(exports.fichier(DETAIL_ANNUEL, "xlsx", {"annee": 2022, "structure": 2}))
    assert "Chantier Occitan" in tous_les_textes(wb)
    assert [r["Effectif mensuel conventionné (ETP)"] for r in lignes(wb["Détail annuel"])] == [41.5]


def test_forged_card_format_or_filters_serve_nothing(users, en_tant_que):
    with en_tant_que(users["siae"]):
        assert exports.fichier("inconnue", "xlsx", SIAE_2022) is None
        assert exports.fichier({"$ne": 1}, "xlsx", SIAE_2022) is None
        assert exports.fichier(ids.MENSUEL_KPIS, "exe", SIAE_2022) is None
        assert exports.fichier(ids.MENSUEL_KPIS, "xlsx", {"annee": "2022 OR 1=1"}) is None
        assert exports.tout("../admin", {"annee": 2022}) is None


def test_user_without_scope_gets_empty_files(users, en_tant_que):
    with en_tant_que(users["vide"]):
        wb = classeur(exports.fichier(DETAIL_ANNUEL, "xlsx", {"annee": 2022}))
    assert wb.worksheets[0].max_row == 1
    assert "Aucun périmètre" in tous_les_textes(wb)


# --- through HTTP, as a browser (or a forger) would call it ---------------------------------------


def _post_export(client, app, card: str, fmt: str, etat, tableaux: dict | None = None):
    """A hand-built POST of a menu item click, as the browser (or a forger) sends it."""
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
            *etats_tableaux(tableaux),
        ],
    }
    return client.post("/_dash-update-component", json=payload)


def etats_tableaux(tableaux: dict | None = None) -> list[dict]:
    """The detail tables' ``filter_query`` and ``sort_by`` States, as the page sends them
    (``tableaux``: card id -> (filter_query, sort_by); the page's defaults otherwise)."""
    out = []
    for card, t in export_sources.TABLEAUX.items():
        fq, tri = (tableaux or {}).get(card, ("", list(t.vue.tri_defaut)))
        out += [
            {"id": t.vue.table_id, "property": "filter_query", "value": fq},
            {"id": t.vue.table_id, "property": "sort_by", "value": tri},
        ]
    return out


def _download(response) -> dict:
    assert response.status_code == 200, response.text[:300]
    body = response.get_json()["response"]
    return next(iter(body.values()))["data"]


def test_http_export_own_scope_and_forged(app, client, login, users):
    anonyme = _post_export(client, app, DETAIL_ANNUEL, "xlsx", {"annee": 2022})
    assert anonyme.status_code in (401, 403)
    login(client, "siae@test.fr")
    own = classeur(_download(_post_export(client, app, DETAIL_ANNUEL, "xlsx", SIAE_2022)))
    assert [r["Numéro d'annexe financière"] for r in lignes(own["Détail annuel"])] == [
        "EI035220001"
    ]
    for etat in FORGES:
        response = _post_export(client, app, DETAIL_ANNUEL, "xlsx", etat)
        wb = classeur(_download(response))
        texte = tous_les_textes(wb)
        assert all(secret not in texte for secret in OCCITANIE)
        csv_data = _download(_post_export(client, app, DETAIL_MENSUEL, "csv", etat))
        assert all(s not in contenu(csv_data).decode("utf-8-sig") for s in OCCITANIE)


def test_funders_cards_are_downloadable(users, en_tant_que):
    from callbacks import financeurs

    assert set(financeurs.EXPORTS) <= set(export_sources.SOURCES)
    with en_tant_que(users["ddets"]):
        wb = classeur(exports.tout(financeurs.TAB_ID, {"annee": 2022}))
    assert wb.sheetnames[-1] == PERIMETRE_SHEET
    assert len(wb.sheetnames) == len(set(wb.sheetnames))
    assert not any(name.endswith("(2)") for name in wb.sheetnames)  # no sheet twice
    assert all(secret not in tous_les_textes(wb) for secret in OCCITANIE)
