"""The per-AF tables of the "Synthèse financeur" and "Cofinancement CD" tabs are paginated on
the server: a page holds at most ``page_size`` rows, the pages follow the order of the frame
``etp.pilotage.charger`` / ``etp.cofinancement.charger`` compute (read here straight from
``etp``, not through the callbacks), forged page numbers and sizes are bounded, a forged filter
store never widens the scope, and the tabs' content callbacks no longer carry per-AF rows.

Data: the funders' scenario of tests/pilotage/donnees_pilotage.py (six AFs, départements 54, 57
and 35) and the co-financing case of tests/cas_cofinancement.py (AFs in 54 and 976)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from cas_cofinancement import tous_les_fichiers
from outils_dash import dash_post

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pilotage"))

from donnees_pilotage import ecrire

from callbacks import cofinancement, financeurs, tables
from etp import cofinancement as etp_cofinancement
from etp import pilotage as etp_pilotage
from etp.filters import Filtres
from etp.fluxiae import import_paths
from etp.pilotage import colonnes as col
from etp.scope import Scope
from layouts import cofinancement as vue_cofinancement
from layouts import financeurs as vue_financeurs
from layouts import ids

ETAT = {"annee": 2022}
#: The scope each test account has, written here rather than read from the session.
SCOPES = {
    "dgefp": Scope.everything(),
    "ddets": Scope.of_departements(["54"]),
    "cd": Scope.of_departements(["54"]),
}
NUMERO = "numero_annexe_financiere"
TOUS_LES_STATUTS = list(col.STATUTS)
#: Forged page numbers and sizes: huge, negative, lists, text, booleans, objects.
FORGES = [
    (2**31, 2**31),
    (10**6, 10**6),
    (10**12, 10**9),
    (-5, -5),
    ([1], [3]),
    ("abc", "abc"),
    ("1", "2"),
    (True, True),
    ({"a": 1}, None),
    (None, 10**40),
]

# --- data ---------------------------------------------------------------------------------------


@pytest.fixture
def financeurs_comptes(engine, make_user) -> dict:
    ecrire(engine)
    return {
        "ddets": make_user("ddets54@test.fr", "ddets", departement="54"),
        "dgefp": make_user("dgefp@test.fr", "dgefp"),
        "_engine": engine,
    }


@pytest.fixture
def cofinancement_comptes(engine, tmp_path, make_user) -> dict:
    import_paths(engine, list(tous_les_fichiers(tmp_path / "f").values()))
    return {
        "cd": make_user("cd54@test.fr", "cd", departement="54"),
        "ddets": make_user("ddets54@test.fr", "ddets", departement="54"),
        "dgefp": make_user("dgefp@test.fr", "dgefp"),
        "_engine": engine,
    }


def _pilotage(engine, scope: Scope) -> etp_pilotage.DonneesPilotage:
    return etp_pilotage.charger(engine, scope, Filtres(annee=2022))


def _cofinancement(engine, scope: Scope) -> etp_cofinancement.DonneesCofinancement:
    return etp_cofinancement.charger(engine, scope, Filtres(annee=2022))


#: Each per-AF table of the funders' tab -> its rows, in order, read from ``etp.pilotage``.
ATTENDU_FINANCEURS: dict[str, Callable[[etp_pilotage.DonneesPilotage], pd.DataFrame]] = {
    vue_financeurs.COURTES_TABLE: lambda d: d.afs_courtes(),
    vue_financeurs.PROJECTION_TABLE: lambda d: d.projections[
        d.projections["methodes_divergent"].astype(bool)
    ],
    vue_financeurs.N1_TABLE: lambda d: d.comparaison_n1.afs,
    vue_financeurs.RETARDS_TABLE: lambda d: d.afs_en_retard(),
}
#: The same for the co-financing tab: the État / CD table reads by département, then AF number.
ATTENDU_COFINANCEMENT: dict[
    str, Callable[[etp_cofinancement.DonneesCofinancement], pd.DataFrame]
] = {
    vue_cofinancement.REPARTITION_TABLE: lambda d: d.par_af.sort_values(
        ["departement", NUMERO], kind="stable"
    ),
    vue_cofinancement.SOUS_CIBLE_TABLE: lambda d: d.afs_sous_cible(),
}


def _numeros(rows: list[dict[str, str]]) -> list[str]:
    return [r[NUMERO] for r in rows]


def _toutes_les_pages(reponse: Callable, taille: int) -> list[list[dict[str, str]]]:
    """Every page of a table, walking from the first one with the page count it answers."""
    data, page_count, current = reponse(0, taille)
    assert current == 0
    pages = [data]
    for numero in range(1, page_count):
        data, count, current = reponse(numero, taille)
        assert (count, current) == (page_count, numero)
        pages.append(data)
    return pages


def _verifier_pages(reponse: Callable, attendus: list[str], taille: int) -> None:
    pages = _toutes_les_pages(reponse, taille)
    assert all(len(p) <= taille for p in pages)
    assert [n for p in pages for n in _numeros(p)] == attendus
    if len(attendus) > taille:  # page 2 holds the next rows, in the frame's order
        assert _numeros(pages[1]) == attendus[taille : 2 * taille]


# --- pages in the frame's order -----------------------------------------------------------------


@pytest.mark.parametrize("taille", [1, 2, 15])
@pytest.mark.parametrize("role", ["dgefp", "ddets"])
def test_financeurs_pages_dans_l_ordre_du_calcul(financeurs_comptes, en_tant_que, role, taille):
    user = financeurs_comptes[role]
    d = _pilotage(financeurs_comptes["_engine"], SCOPES[role])
    nb_lignes = 0
    with en_tant_que(user):
        for table_id, attendu in ATTENDU_FINANCEURS.items():
            attendus = attendu(d)[NUMERO].tolist()
            nb_lignes += len(attendus)
            table = financeurs.TABLES[table_id]
            _verifier_pages(lambda p, s, t=table: t.reponse(ETAT, p, s), attendus, taille)
        attendus = d.structures_a_suivre(statuts=TOUS_LES_STATUTS, tri="etp")[NUMERO].tolist()
        assert len(attendus) >= 3  # several pages at sizes 1 and 2
        _verifier_pages(
            lambda p, s: financeurs.suivi(ETAT, TOUS_LES_STATUTS, "etp", p, s)[:3],
            attendus,
            taille,
        )
    assert nb_lignes >= 6


@pytest.mark.parametrize("taille", [1, 2])
@pytest.mark.parametrize("role", ["dgefp", "cd"])
def test_cofinancement_pages_dans_l_ordre_du_calcul(
    cofinancement_comptes, en_tant_que, role, taille
):
    user = cofinancement_comptes[role]
    d = _cofinancement(cofinancement_comptes["_engine"], SCOPES[role])
    with en_tant_que(user):
        for table_id, attendu in ATTENDU_COFINANCEMENT.items():
            attendus = attendu(d)[NUMERO].tolist()
            table = cofinancement.TABLES[table_id]
            _verifier_pages(lambda p, s, t=table: t.reponse(ETAT, p, s), attendus, taille)
    assert len(ATTENDU_COFINANCEMENT[vue_cofinancement.REPARTITION_TABLE](d)) >= 2


def test_cellules_en_francais_comme_l_ecran(financeurs_comptes, en_tant_que):
    """A page's cells are the screen's French formatting (``layouts.financeurs.lignes``) of
    the same rows of the frame."""
    user = financeurs_comptes["dgefp"]
    d = _pilotage(financeurs_comptes["_engine"], SCOPES["dgefp"])
    with en_tant_que(user):
        data, _, _ = financeurs.TABLES[vue_financeurs.N1_TABLE].reponse(ETAT, 1, 2)
    attendu = vue_financeurs.lignes(d.comparaison_n1.afs.iloc[2:4], vue_financeurs.COLONNES_N1)
    assert data == attendu and len(data) == 2


# --- forged page numbers and sizes ----------------------------------------------------------------


@pytest.mark.parametrize(("page_current", "page_size"), FORGES)
def test_pages_forgees_bornees(financeurs_comptes, en_tant_que, page_current, page_size):
    user = financeurs_comptes["dgefp"]
    d = _pilotage(financeurs_comptes["_engine"], SCOPES["dgefp"])
    tous = d.comparaison_n1.afs[NUMERO].tolist()
    with en_tant_que(user):
        data, page_count, current = financeurs.TABLES[vue_financeurs.N1_TABLE].reponse(
            ETAT, page_current, page_size
        )
        suivi, suivi_count, suivi_current, _ = financeurs.suivi(
            ETAT, TOUS_LES_STATUTS, "etp", page_current, page_size
        )
    for rows, count, page in ((data, page_count, current), (suivi, suivi_count, suivi_current)):
        assert 0 <= page < count
        assert 1 <= len(rows) <= tables.MAX_PAGE_CARTE
        assert set(_numeros(rows)) <= set(tous)


def test_taille_de_page_bornee_sur_une_grande_selection():
    """``tables.tranche`` on a frame larger than the bound: a forged size gives at most
    ``MAX_PAGE_CARTE`` rows, the last page beyond the end, the first before the start."""
    frame = pd.DataFrame({"n": range(1000)})
    t = tables.tranche(frame, 0, 10**9, 15, tables.MAX_PAGE_CARTE)
    assert len(t.lignes) == tables.MAX_PAGE_CARTE
    t = tables.tranche(frame, 10**12, 7, 15, tables.MAX_PAGE_CARTE)
    assert (t.page_current, t.page_count) == (142, 143)
    assert t.lignes["n"].tolist() == list(range(994, 1000))
    t = tables.tranche(frame, -3, "x", 15, tables.MAX_PAGE_CARTE)
    assert t.page_current == 0 and t.lignes["n"].tolist() == list(range(15))


def _contenu(tab: str, etat) -> dict:
    return {(ids.selection_onglet(tab), "data"): {"etat": etat}}


def _page(table_id: str, page_current, page_size) -> dict:
    return {(table_id, "page_current"): page_current, (table_id, "page_size"): page_size}


def _naturel(value) -> bool:
    """What a DataTable can send as a page number or size (app/requetes_dash.py lets only
    these through: anything else is a malformed request, 400, like the detail tables)."""
    return value is None or (type(value) is int and 0 <= value <= 2**31)


@pytest.mark.parametrize(("page_current", "page_size"), FORGES)
def test_post_pages_forgees(app, financeurs_comptes, login, page_current, page_size):
    client = app.server.test_client()
    assert login(client, "dgefp@test.fr").status_code == 302
    attendu = 200 if _naturel(page_current) and _naturel(page_size) else 400
    for table_id in [*financeurs.TABLES, vue_financeurs.SUIVI_TABLE]:
        inputs = {
            **_contenu(financeurs.TAB_ID, ETAT),
            **_page(table_id, page_current, page_size),
            (vue_financeurs.SUIVI_STATUTS, "value"): TOUS_LES_STATUTS,
            (vue_financeurs.SUIVI_TRI, "value"): "etp",
        }
        reponse = dash_post(client, app, table_id, inputs)
        assert reponse.status_code == attendu, table_id
        if attendu == 200:
            data = reponse.get_json()["response"][table_id]["data"]
            assert 1 <= len(data) <= tables.MAX_PAGE_CARTE


# --- the scope --------------------------------------------------------------------------------

HORS_54_FINANCEURS = ("AI057200003", "Charlie", "57 - Moselle", "ACI035220006", "Foxtrot")
HORS_54_COFINANCEMENT = ("ACI976220001", "CHANTIER DE MAMOUDZOU", "CD MAYOTTE", "976 - Mayotte")
ETATS_FORGES = [
    ETAT,
    {"annee": 2022, "departement": "57"},
    {"annee": 2022, "departement": "976"},
    {"annee": 2022, "region": "44"},
    {"annee": 2022, "structure": 103},
    {"annee": 2022, "structure": 113},
    {"annee": 2022, "af": "AI057200003"},
    {"annee": 2022, "af": "ACI976220001"},
    {"annee": 2022, "structure": "113 OR 1=1"},
]


@pytest.mark.parametrize("etat", ETATS_FORGES)
def test_post_filtres_forges_financeurs(app, financeurs_comptes, login, etat):
    client = app.server.test_client()
    assert login(client, "ddets54@test.fr").status_code == 302
    texte = ""
    for table_id in [*financeurs.TABLES, vue_financeurs.SUIVI_TABLE]:
        inputs = {
            **_contenu(financeurs.TAB_ID, etat),
            **_page(table_id, 0, 100),
            (vue_financeurs.SUIVI_STATUTS, "value"): TOUS_LES_STATUTS,
            (vue_financeurs.SUIVI_TRI, "value"): "etp",
        }
        reponse = dash_post(client, app, table_id, inputs)
        assert reponse.status_code == 200
        texte += reponse.get_data(as_text=True)
    for hors in HORS_54_FINANCEURS:
        assert hors not in texte
    if etat == ETAT:  # own scope: the département's AFs are there
        assert "EI054210001" in texte and "ETTI054220004" in texte


@pytest.mark.parametrize("compte", ["cd54@test.fr", "ddets54@test.fr"])
@pytest.mark.parametrize("etat", ETATS_FORGES)
def test_post_filtres_forges_cofinancement(app, cofinancement_comptes, login, compte, etat):
    client = app.server.test_client()
    assert login(client, compte).status_code == 302
    texte = ""
    for table_id in cofinancement.TABLES:
        inputs = {**_contenu(cofinancement.TAB_ID, etat), **_page(table_id, 0, 100)}
        reponse = dash_post(client, app, table_id, inputs)
        assert reponse.status_code == 200
        texte += reponse.get_data(as_text=True)
    for hors in HORS_54_COFINANCEMENT:
        assert hors not in texte
    if etat == ETAT:
        assert "ACI054220001" in texte and "ACI054220002" in texte


# --- the content callbacks carry no per-AF row ----------------------------------------------------


def _tables(obj) -> list[dict]:
    """Every DataTable's props in a Dash JSON answer."""
    out = []
    if isinstance(obj, dict):
        if obj.get("type") == "DataTable":
            out.append(obj["props"])
        for value in obj.values():
            out.extend(_tables(value))
    elif isinstance(obj, list):
        for value in obj:
            out.extend(_tables(value))
    return out


def test_contenu_financeurs_sans_lignes_par_annexe(app, financeurs_comptes, login):
    client = app.server.test_client()
    assert login(client, "dgefp@test.fr").status_code == 302
    reponse = dash_post(client, app, vue_financeurs.HAUT, _contenu(financeurs.TAB_ID, ETAT))
    assert reponse.status_code == 200
    d = _pilotage(financeurs_comptes["_engine"], SCOPES["dgefp"])
    numeros = d.annuel[NUMERO].tolist()
    assert len(numeros) >= 5
    texte = reponse.get_data(as_text=True)
    for numero in numeros:
        assert numero not in texte
    par_id = {t["id"]: t for t in _tables(json.loads(texte))}
    for table_id in financeurs.TABLES:
        assert par_id[table_id]["page_action"] == "custom" and par_id[table_id]["data"] == []
    # the one table sent whole: one row per département (four here, 101 at most in France)
    groupes = par_id[f"{vue_financeurs.REPARTITION_TABLE}-table"]
    assert len(groupes["data"]) == d.annuel[col.DEPARTEMENT].nunique()


def test_contenu_cofinancement_sans_lignes_par_annexe(app, cofinancement_comptes, login):
    client = app.server.test_client()
    assert login(client, "dgefp@test.fr").status_code == 302
    reponse = dash_post(
        client, app, vue_cofinancement.CONTENU, _contenu(cofinancement.TAB_ID, ETAT)
    )
    assert reponse.status_code == 200
    d = _cofinancement(cofinancement_comptes["_engine"], SCOPES["dgefp"])
    numeros = d.par_af[NUMERO].tolist()
    assert len(numeros) >= 3
    texte = reponse.get_data(as_text=True)
    for numero in numeros:
        assert numero not in texte
    par_id = {t["id"]: t for t in _tables(json.loads(texte))}
    for table_id in cofinancement.TABLES:
        assert par_id[table_id]["page_action"] == "custom" and par_id[table_id]["data"] == []
    assert f"{len(numeros)} annexes." in texte  # the row count, said in French
