"""Downloads as promised: images of key-figure cards and tables, table files that follow the
on-screen column filters and sort, "Tout télécharger" for the open tab or the whole dashboard,
file names that name the selection; and forged requests get nothing out of the scope.

World: tests/exports/conftest.py (EI Exemple and Atelier Rennais in 35, Chantier Occitan in 31).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from outils_exports import classeur, contenu, tous_les_textes
from PIL import Image

from callbacks import context, export_sources, exports
from callbacks.bornes import MAX_FILTRE, MAX_TRIS, RequeteInvalide
from callbacks.export_sources import TableauEcran
from etp import queries
from etp.exports import PERIMETRE_SHEET, Colonne, ExportSheet, selection_slug, structure_slug
from etp.filters import Filtres
from etp.formatting import fmt_date
from etp.scope import Scope
from layouts import detail_annuel, detail_mensuel, ids

DETAIL_ANNUEL = detail_annuel.VUE.carte_id
DETAIL_MENSUEL = detail_mensuel.VUE.carte_id
SIAE_2022 = {"annee": 2022, "structure": 1}
OCCITANIE = ("Chantier Occitan", "ACI031220002", "98765432100022")
PNG = b"\x89PNG\r\n\x1a\n"


def lignes(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def notes(wb) -> dict:
    return {r[0]: r[1] for r in wb[PERIMETRE_SHEET].iter_rows(values_only=True) if r[0]}


def titre_colonne(vue, key: str) -> str:
    return next(c.titre for c in vue.colonnes if c.key == key)


def _dessin(card: str, etat: dict, ecrans: dict | None = None):
    """The image of ``card`` as the download draws it, for the request's user."""
    filtres = context.parse_filtres(etat)
    scope = context.scope()
    sheets = export_sources.feuilles_carte(card, context.engine(), scope, filtres, ecrans)
    remarques = exports._remarques([card], ecrans or {}, seul=True)
    contexte = exports.perimetre(scope, filtres, sheets, remarques=remarques)
    return exports.dessin(sheets[0], card, contexte, remarques)


# --- images of key-figure cards and tables -------------------------------------------------------


def test_kpi_card_image_has_title_scope_filters_date_and_values(users, en_tant_que):
    with en_tant_que(users["siae"]):
        data = exports.fichier(ids.MENSUEL_KPIS, "image", SIAE_2022)
        textes = _dessin(ids.MENSUEL_KPIS, SIAE_2022).lus()
    assert re.fullmatch(
        r"suivi-etp_chiffres-cles-mensuels_2022_ei-exemple_\d{4}-\d\d-\d\d\.png", data["filename"]
    )
    assert data["type"] == "image/png"
    image = Image.open(io.BytesIO(contenu(data)))
    assert image.format == "PNG" and image.width >= 960 and image.height > 300
    assert textes[0] == "Chiffres clés 2022 (en ETP)"
    assert "Périmètre : SIAE EI Exemple · Données à jour au 12/10/2022" in textes
    assert "Année : 2022 · Dénomination structure : EI Exemple - 12345678900011" in textes
    # the worked example: conventioned 28, realised average (5 + 10 + 20 + 20 + 20 + 28) / 6
    assert "Effectif mensuel conventionné" in textes
    i = textes.index("Effectif mensuel réalisé moyen")
    assert "28,00" in textes and "17,17" in textes[i:]
    assert "août 2022" in textes  # last validated month
    # the extraction date is Paris's (from 23:00 UTC in winter it is already tomorrow there)
    aujourd_hui = datetime.now(ZoneInfo("Europe/Paris")).date()
    assert f"Source : Suivi ETP, extrait le {fmt_date(aujourd_hui)}" in textes


def test_table_image_shows_the_rows_on_screen(users, en_tant_que, engine):
    attendu = queries.indicateurs_annuels(engine, Scope.of_departements(["35"]), Filtres(2022))
    sous = attendu[attendu["statut_consommation"] == "sous-consommation"]
    ecrans = {DETAIL_ANNUEL: TableauEcran('{statut_consommation} icontains "sous"', [])}
    with en_tant_que(users["ddets"]):
        data = exports.fichier(DETAIL_ANNUEL, "image", {"annee": 2022}, ecrans)
        textes = _dessin(DETAIL_ANNUEL, {"annee": 2022}, ecrans).lus()
    assert contenu(data)[:8] == PNG
    assert data["filename"].endswith(".png") and "_2022_ddets-35_" in data["filename"]
    assert "Filtres du tableau : Consommation contient « sous »" in textes
    assert "Tri : aucun" in textes
    n = len(sous)
    assert n >= 1
    assert f"{n} ligne" + ("s" if n >= 2 else "") in textes
    for numero in attendu["numero_annexe_financiere"]:
        assert (numero in textes) == (numero in set(sous["numero_annexe_financiere"]))


def test_long_table_image_is_cut_and_says_so(users, en_tant_que):
    from etp.exports.image import dessin_tableau, legende_depuis

    frame = pd.DataFrame({"n": range(120)})
    sheet = ExportSheet("T", "Tableau", frame, (Colonne("n", "N", "int"),))
    legende = legende_depuis("Tableau", "DGEFP", [("Année", "2026")], None, pd.Timestamp.now())
    textes = dessin_tableau(sheet, legende, max_lignes=50).lus()
    assert "50 premières lignes sur 120 : le fichier Excel ou CSV les contient toutes." in textes
    assert "49" in textes and "50" not in textes
    assert "Date des données inconnue" in " ".join(textes)


# --- table downloads follow the on-screen filters and sort ----------------------------------------


def test_annual_table_file_follows_filter_and_sort(users, en_tant_que, engine):
    attendu = queries.indicateurs_annuels(engine, Scope.of_departements(["35"]), Filtres(2022))
    tri = [{"column_id": "etp_annuel_conventionne", "direction": "desc"}]
    ecrans = {DETAIL_ANNUEL: TableauEcran("", tri)}
    with en_tant_que(users["ddets"]):
        wb = classeur(exports.fichier(DETAIL_ANNUEL, "xlsx", {"annee": 2022}, ecrans))
    titre = titre_colonne(detail_annuel.VUE, "etp_annuel_conventionne")
    rows = lignes(wb["Détail annuel"])
    assert [r[titre] for r in rows] == sorted(attendu["etp_annuel_conventionne"], reverse=True)
    assert notes(wb)["Tri"] == f"{titre}, décroissant"
    assert notes(wb)["Filtres du tableau"] == "aucun : toutes les lignes des filtres ci-dessus"


def test_monthly_table_file_and_csv_follow_a_numeric_filter(users, en_tant_que, engine):
    mensuel = queries.indicateurs_mensuels(engine, Scope.of_structures([1]), Filtres(2022))
    mensuel = mensuel[mensuel["conventionne"]]
    gardes = mensuel[mensuel["etp_mensuel_realise"] > 15].sort_values("mois")
    assert len(gardes) == 4  # 20, 20, 20 and 28 in the worked example
    realise = titre_colonne(detail_mensuel.VUE, "etp_mensuel_realise")
    fq = "{etp_mensuel_realise} > 15"
    ecrans = {DETAIL_MENSUEL: TableauEcran(fq, [{"column_id": "mois", "direction": "asc"}])}
    with en_tant_que(users["siae"]):
        wb = classeur(exports.fichier(DETAIL_MENSUEL, "xlsx", SIAE_2022, ecrans))
        raw = contenu(exports.fichier(DETAIL_MENSUEL, "csv", SIAE_2022, ecrans))
    rows = lignes(wb["Détail mensuel"])
    assert [r[realise] for r in rows] == list(gardes["etp_mensuel_realise"])  # unrounded
    csv_rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(csv_rows) == len(gardes)
    assert notes(wb)["Filtres du tableau"] == f"{realise} > « 15 »"
    assert notes(wb)["Tri"] == "Mois, croissant"


def test_forged_table_states_are_bounded_or_ignored(users, en_tant_que, engine):
    tous = len(queries.indicateurs_annuels(engine, Scope.of_departements(["35"]), Filtres(2022)))
    with en_tant_que(users["ddets"]):
        for fq, tri in [
            (["{a} > 1"], {"column_id": "x"}),
            ({"$ne": 1}, "desc"),
            ("{inconnue} > 1 && {structure} contains Occitan", [{"column_id": 1}]),
        ]:
            ecrans = {DETAIL_ANNUEL: TableauEcran(fq, tri)}
            wb = classeur(exports.fichier(DETAIL_ANNUEL, "xlsx", {"annee": 2022}, ecrans))
            assert len(lignes(wb["Détail annuel"])) == (0 if "Occitan" in str(fq) else tous)
            assert all(s not in tous_les_textes(wb) for s in OCCITANIE)
        with pytest.raises(RequeteInvalide):
            exports.fichier(
                DETAIL_ANNUEL,
                "xlsx",
                {"annee": 2022},
                {DETAIL_ANNUEL: TableauEcran("{" * (MAX_FILTRE + 1), None)},
            )
        with pytest.raises(RequeteInvalide):
            exports.fichier(
                DETAIL_ANNUEL,
                "image",
                {"annee": 2022},
                {DETAIL_ANNUEL: TableauEcran("", [{"column_id": "x"}] * (MAX_TRIS + 1))},
            )


# --- "Tout télécharger": the open tab or the whole dashboard --------------------------------------


def test_whole_dashboard_has_every_tab_and_the_table_filters(users, en_tant_que):
    ecrans = {DETAIL_ANNUEL: TableauEcran('{statut_consommation} icontains "sous"', None)}
    with en_tant_que(users["ddets"]):
        data = exports.tout("mensuel", {"annee": 2022}, ecrans, exports.PORTEE_TABLEAU_DE_BORD)
        par_onglet = {
            o: classeur(exports.tout(o, {"annee": 2022}, ecrans)).sheetnames[:-1]
            for o in export_sources.ONGLETS_SLUGS
        }
        onglet = exports.tout("detail-annuel", {"annee": 2022}, ecrans, exports.PORTEE_ONGLET)
    assert data["filename"].startswith("suivi-etp_tableau-de-bord-complet_2022_ddets-35_")
    wb = classeur(data)
    assert wb.sheetnames[-1] == PERIMETRE_SHEET
    # every tab's sheets, in tab order (a name met twice gets a suffix)
    assert len(wb.sheetnames) - 1 == sum(len(v) for v in par_onglet.values())
    for noms in par_onglet.values():
        assert all(n in wb.sheetnames or f"{n} (2)" in wb.sheetnames for n in noms)
    for noms in (["Chiffres clés mensuels", "Détail mensuel"], ["Détail annuel", "Synthèse"]):
        assert all(n in wb.sheetnames for n in noms)
    lus = notes(wb)
    assert lus["Filtres du tableau « Détail annuel »"] == "Consommation contient « sous »"
    assert lus["Filtres du tableau « Détail mensuel »"].startswith("aucun")
    sous = [r["Consommation"] for r in lignes(wb["Détail annuel"])]
    assert sous and set(sous) == {"Sous-consommation"}
    assert all(s not in tous_les_textes(wb) for s in OCCITANIE)
    # the open tab alone
    seul = classeur(onglet)
    assert seul.sheetnames == ["Détail annuel", PERIMETRE_SHEET]
    assert notes(seul)["Filtres du tableau"] == "Consommation contient « sous »"


def test_tout_rejects_forged_scope_or_tab(users, en_tant_que):
    with en_tant_que(users["ddets"]):
        assert exports.tout("mensuel", {"annee": 2022}, None, "tout-le-serveur") is None
        assert exports.tout(["mensuel"], {"annee": 2022}) is None
        assert exports.tout("mensuel", {"annee": "x"}, None, exports.PORTEE_TABLEAU_DE_BORD) is None


# --- file names name the selection ----------------------------------------------------------------


def test_structure_slug_and_selection_slug():
    assert structure_slug("Espaces verts (Saint-Malo)", "12345678900011") == (
        "espaces-verts-saint-malo"
    )
    assert structure_slug("Espaces verts", "12345678900011", homonymes=True) == (
        "espaces-verts-12345678900011"
    )
    long = "Association intercommunale pour l'insertion par l'activité économique du pays"
    cut = structure_slug(long, "12345678900011")
    assert cut.endswith("-12345678900011") and len(cut) <= 40 + 15
    assert structure_slug("???", "12345678900011") == "12345678900011"
    assert selection_slug([], "ddets-35") == "ddets-35"
    assert selection_slug(["ACI", "35 - Ille-et-Vilaine"], "x") == "aci-35-ille-et-vilaine"
    assert len(selection_slug(["mot " * 60], "x")) <= 72


def _annuel(*structures: tuple[int, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        structures,
        columns=["structure_id", "structure_denomination", "siret", "numero_annexe_financiere"],
    )


def test_two_structures_with_the_same_name_never_share_a_file_name():
    annee = _annuel(
        (1, "Espaces Verts", "11111111100011", "ACI035260001"),
        (2, "Espaces verts", "22222222200022", "ACI035260002"),
        (3, "Jardins", "33333333300033", "ACI035260003"),
    )
    noms = {
        i: "-".join(
            export_sources.parties_selection(
                Filtres(2026, structure_id=i), annee[annee["structure_id"] == i], annee
            )
        )
        for i in (1, 2, 3)
    }
    assert noms == {
        1: "espaces-verts-11111111100011",
        2: "espaces-verts-22222222200022",
        3: "jardins",
    }
    af = export_sources.parties_selection(
        Filtres(2026, numero_af="aci035260002"), annee[annee["structure_id"] == 2], annee
    )
    assert af == ["espaces-verts", "ACI035260002"]
    # a forged id names nothing
    assert export_sources.parties_selection(Filtres(2026, structure_id=9), annee[:0], annee) == []


def test_file_names_name_the_selection(users, en_tant_que):
    with en_tant_que(users["ddets"]):
        structure = exports.fichier(ids.ANNUEL_CUMUL, "xlsx", {"annee": 2022, "structure": 3})
        territoire = exports.fichier(ids.ANNUEL_CUMUL, "csv", {"annee": 2022, "type": "EI"})
        forge = exports.fichier(ids.ANNUEL_CUMUL, "csv", {"annee": 2022, "structure": 2})
        graphique = exports.selection_affichee({"annee": 2022, "structure": 3})
    assert re.fullmatch(
        r"suivi-etp_effectif-annuel_2022_atelier-rennais_\d{4}-\d\d-\d\d\.xlsx",
        structure["filename"],
    )
    assert "_2022_ei_" in territoire["filename"]
    assert "occitan" not in forge["filename"] and "_2022_ddets-35_" in forge["filename"]
    assert graphique == "atelier-rennais"


# --- through HTTP, as a browser (or a forger) would call it ---------------------------------------


def _etats_tableaux(tableaux: dict | None = None) -> list[dict]:
    out = []
    for card, t in export_sources.TABLEAUX.items():
        fq, tri = (tableaux or {}).get(card, ("", list(t.vue.tri_defaut)))
        out += [
            {"id": t.vue.table_id, "property": "filter_query", "value": fq},
            {"id": t.vue.table_id, "property": "sort_by", "value": tri},
        ]
    return out


def _post_image(client, app, card: str, etat, tableaux=None):
    item = ids.export_item_id(card, "image")
    pattern = json.dumps(
        {"card": ["MATCH"], "format": "image", "type": "export"}, separators=(",", ":")
    )
    key = next(k for k, spec in app.callback_map.items() if spec["inputs"][0]["id"] == pattern)
    return client.post(
        "/_dash-update-component",
        json={
            "output": key,
            "outputs": {"id": ids.download_id(card), "property": "data"},
            "inputs": [{"id": item, "property": "n_clicks", "value": 1}],
            "changedPropIds": [
                json.dumps(item, sort_keys=True, separators=(",", ":")) + ".n_clicks"
            ],
            "state": [
                {"id": ids.FILTRES_ETAT, "property": "data", "value": etat},
                *_etats_tableaux(tableaux),
            ],
        },
    )


def _post_tout(client, app, declencheur: str, etat, onglet="mensuel", tableaux=None):
    key = next(k for k in app.callback_map if k.startswith(f"{ids.EXPORT_TOUT_DOWNLOAD}."))
    return client.post(
        "/_dash-update-component",
        json={
            "output": key,
            "outputs": {"id": ids.EXPORT_TOUT_DOWNLOAD, "property": "data"},
            "inputs": [
                {"id": ids.EXPORT_TOUT_ONGLET, "property": "n_clicks", "value": 1},
                {"id": ids.EXPORT_TOUT_TABLEAU_DE_BORD, "property": "n_clicks", "value": 1},
            ],
            "changedPropIds": [f"{declencheur}.n_clicks"],
            "state": [
                {"id": ids.FILTRES_ETAT, "property": "data", "value": etat},
                {"id": ids.ONGLETS, "property": "active_tab", "value": onglet},
                *_etats_tableaux(tableaux),
            ],
        },
    )


def _download(response) -> dict:
    assert response.status_code == 200, response.text[:300]
    return next(iter(response.get_json()["response"].values()))["data"]


FORGES = [
    {"annee": 2022, "structure": 2},
    {"annee": 2022, "af": "ACI031220002"},
    {"annee": 2022, "departement": "31"},
]


def test_http_images_and_tout_anonymous_own_scope_and_forged(app, client, login, users):
    assert _post_image(client, app, ids.MENSUEL_KPIS, SIAE_2022).status_code in (401, 403)
    anonyme = _post_tout(client, app, ids.EXPORT_TOUT_TABLEAU_DE_BORD, {"annee": 2022})
    assert anonyme.status_code in (401, 403)
    login(client, "siae@test.fr")
    own = _download(_post_image(client, app, ids.MENSUEL_KPIS, SIAE_2022))
    assert contenu(own)[:8] == PNG and "_ei-exemple_" in own["filename"]
    occitan = {DETAIL_ANNUEL: ('{structure} icontains "Occitan"', [])}
    for etat in FORGES:
        data = _download(_post_image(client, app, DETAIL_ANNUEL, etat, occitan))
        assert contenu(data)[:8] == PNG and "occitan" not in data["filename"]
        for declencheur in (ids.EXPORT_TOUT_ONGLET, ids.EXPORT_TOUT_TABLEAU_DE_BORD):
            wb = classeur(_download(_post_tout(client, app, declencheur, etat, tableaux=occitan)))
            assert all(s not in tous_les_textes(wb) for s in OCCITANIE)
            assert len(lignes(wb[wb.sheetnames[0]])) <= 1
    tout = _download(_post_tout(client, app, ids.EXPORT_TOUT_TABLEAU_DE_BORD, SIAE_2022))
    assert tout["filename"].startswith("suivi-etp_tableau-de-bord-complet_2022_ei-exemple_")
    onglet = _download(_post_tout(client, app, ids.EXPORT_TOUT_ONGLET, SIAE_2022, "annuel"))
    assert classeur(onglet).sheetnames == ["Chiffres clés annuels", "Cumul annuel", PERIMETRE_SHEET]
