"""etp.queries on both databases: rows written through the models, scope and filters in SQL."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from etp.filters import Filtres
from etp.queries import (
    CLES_JSON,
    COLONNES_ANNUELLES,
    COLONNES_MENSUELLES,
    annees_disponibles,
    date_donnees,
    indicateurs,
    indicateurs_annuels,
    indicateurs_json,
    indicateurs_mensuels,
    options_filtres,
)
from etp.scope import Scope

TOUT = Scope.everything()


def test_worked_example(engine, donnees):
    donnees.exemple()
    df = indicateurs_annuels(engine, TOUT, Filtres(annee=2022))
    assert list(df.columns) == list(COLONNES_ANNUELLES)
    assert len(df) == 1
    row = df.iloc[0]
    assert row["as_of"] == "2022-10"  # month of the data date
    assert row["nb_mois_conventionnes"] == 10 and row["nb_mois_valides"] == 6
    assert round(row["etp_mensuel_realise_moyen"], 2) == 17.17
    assert round(row["etp_annuel_conventionne"], 2) == 23.33
    assert round(row["etp_annuel_realise"], 2) == 8.58
    assert round(row["taux_realisation_annuel"], 2) == 0.37
    assert row["statut_consommation"] == "sous-consommation"
    assert round(row["projection_etp_annuel"], 2) == 14.31
    assert round(row["taux_projection_annuel"], 2) == 0.61
    assert row["departement_libelle"] == "35 - Ille-et-Vilaine"
    assert row["region_libelle"] == "Bretagne"
    assert row["structure_denomination"] == "EI 1" and row["siret"] == "12345678900011"
    assert row["dernier_mois_valide"] == 8
    assert row["version"] == "A0M1"


def test_worked_example_json(engine, donnees):
    donnees.exemple()
    (objet,) = indicateurs_json(engine, TOUT, Filtres(annee=2022))
    assert list(objet) == [*CLES_JSON, "mois"]
    assert objet["date_debut"] == "2022-03-01" and objet["date_fin"] == "2022-12-31"
    assert objet["etp_mensuel_realise_moyen"] == pytest.approx(103 / 6)
    assert len(objet["mois"]) == 12
    assert objet["mois"][0] == {
        "mois": 1,
        "conventionne": False,
        "etp_mensuel_conventionne": 0.0,
        "etat": None,
        "heures": None,
        "etp_mensuel_realise": None,
    }
    assert objet["mois"][8]["etat"] == "SAISI" and objet["mois"][8]["etp_mensuel_realise"] is None
    assert objet["mois"][5]["etp_mensuel_realise"] == pytest.approx(20)
    json.dumps(objet)  # serialisable as is


def test_mensuel(engine, donnees):
    donnees.exemple()
    df = indicateurs_mensuels(engine, TOUT, Filtres(annee=2022))
    assert list(df.columns) == list(COLONNES_MENSUELLES)
    assert len(df) == 12
    assert df["conventionne"].sum() == 10
    assert df["etp_mensuel_realise"].notna().sum() == 6
    assert df["etp_mensuel_realise"].sum() == pytest.approx(103)
    sept = df[df["mois"] == 9].iloc[0]
    assert sept["etat"] == "SAISI"
    assert pd_isna(sept["etp_mensuel_realise"])
    nov = df[df["mois"] == 11].iloc[0]
    assert nov["etat"] is None or pd_isna(nov["etat"])


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_as_of_filter(engine, donnees):
    donnees.exemple()
    df = indicateurs_annuels(engine, TOUT, Filtres(annee=2022, as_of=(2022, 6)))
    assert df.iloc[0]["nb_mois_valides"] == 4
    assert df.iloc[0]["as_of"] == "2022-06"
    assert df.iloc[0]["etp_mensuel_realise_moyen"] == pytest.approx(55 / 4)


def test_cross_year_af_in_both_years(engine, donnees):
    af = donnees.af(debut=date(2022, 7, 1), fin=date(2023, 6, 30), c=12.0, h=1820.0)
    donnees.etats(af, 2022, {12: ("VALIDE", 1820.0)})
    donnees.etats(af, 2023, {1: ("VALIDE", 910.0), 2: ("SAISI", 10.0)})
    y22 = indicateurs_annuels(engine, TOUT, Filtres(annee=2022)).iloc[0]
    y23 = indicateurs_annuels(engine, TOUT, Filtres(annee=2023)).iloc[0]
    assert y22["nb_mois_conventionnes"] == 6 and y23["nb_mois_conventionnes"] == 6
    assert y22["etp_annuel_conventionne"] == pytest.approx(6)
    assert y22["etp_annuel_realise"] == pytest.approx(1)  # 12 ETP in December / 12
    assert y23["etp_annuel_realise"] == pytest.approx(0.5)  # only 2023 rows count in 2023
    assert y23["nb_mois_valides"] == 1
    assert indicateurs_annuels(engine, TOUT, Filtres(annee=2024)).empty
    assert annees_disponibles(engine, TOUT) == [2022, 2023]


def test_uncounted_af_is_ignored(engine, donnees):
    donnees.af(compte=False, etat="HISTORISE")
    assert indicateurs_annuels(engine, TOUT, Filtres(annee=2022)).empty
    assert annees_disponibles(engine, TOUT) == []


def test_empty_scope_gives_empty_frames_with_columns(engine, donnees):
    donnees.exemple()
    vide = Scope.nothing()
    annuel = indicateurs_annuels(engine, vide, Filtres(annee=2022))
    mensuel = indicateurs_mensuels(engine, vide, Filtres(annee=2022))
    assert annuel.empty and list(annuel.columns) == list(COLONNES_ANNUELLES)
    assert mensuel.empty and list(mensuel.columns) == list(COLONNES_MENSUELLES)
    assert indicateurs_json(engine, vide, Filtres(annee=2022)) == []
    assert annees_disponibles(engine, vide) == []
    assert all(v == [] for v in options_filtres(engine, vide, Filtres(annee=2022)).values())


def _trois_departements(donnees):
    donnees.structure(1, "Rennes EI", "11111111100011")
    donnees.structure(2, "Brest ACI", "22222222200022")
    donnees.structure(3, "Toulouse AI", "33333333300033")
    a = donnees.af(numero="EI035220001", structure_id=1, departement="35")
    b = donnees.af(numero="ACI029220002", structure_id=2, departement="29", type_structure="ACI")
    c = donnees.af(numero="AI031220003", structure_id=3, departement="31", type_structure="AI")
    for af in (a, b, c):
        donnees.etats(af, 2022, {1: ("VALIDE", 1505.0)})
    return a, b, c


def test_departement_scope_excludes_others(engine, donnees):
    a, _, _ = _trois_departements(donnees)
    scope = Scope.of_departements(["35"])
    df = indicateurs_annuels(engine, scope, Filtres(annee=2022))
    assert df["id_annexe_financiere"].tolist() == [a]
    mensuel = indicateurs_mensuels(engine, scope, Filtres(annee=2022))
    assert set(mensuel["departement"]) == {"35"}


def test_one_read_gives_both_frames_as_the_separate_reads(engine, donnees):
    _trois_departements(donnees)
    af = donnees.af(debut=date(2022, 3, 1), fin=date(2022, 9, 30), departement="35")
    donnees.etats(af, 2022, {3: ("VALIDE", 700.0), 4: ("SAISI", 20.0)})
    for scope in (TOUT, Scope.of_departements(["35"]), Scope.nothing()):
        for filtres in (Filtres(annee=2022), Filtres(annee=2022, as_of=(2022, 3))):
            annuel, mensuel = indicateurs(engine, scope, filtres)
            pd.testing.assert_frame_equal(annuel, indicateurs_annuels(engine, scope, filtres))
            pd.testing.assert_frame_equal(mensuel, indicateurs_mensuels(engine, scope, filtres))
    annuel, mensuel = indicateurs(engine, Scope.of_departements(["35"]), Filtres(annee=2022))
    assert len(annuel) == 2 and len(mensuel) == 24
    assert set(mensuel["departement"]) == {"35"}


def test_region_scope(engine, donnees):
    a, b, _ = _trois_departements(donnees)
    df = indicateurs_annuels(engine, Scope.of_region("53"), Filtres(annee=2022))
    assert sorted(df["id_annexe_financiere"]) == sorted([a, b])
    assert sorted(df["departement"]) == ["29", "35"]


def test_filters_cannot_widen(engine, donnees):
    _trois_departements(donnees)
    scope = Scope.of_departements(["35"])
    for filtres in (
        Filtres(annee=2022, departement="31"),
        Filtres(annee=2022, region="76"),
        Filtres(annee=2022, structure_id=3),
        Filtres(annee=2022, numero_af="AI031220003"),
        Filtres(annee=2022, type_structure="AI"),
    ):
        assert indicateurs_annuels(engine, scope, filtres).empty
        assert indicateurs_json(engine, scope, filtres) == []
        assert indicateurs_mensuels(engine, scope, filtres).empty
        options = options_filtres(engine, scope, filtres)
        assert all(v != 3 for v, _ in options["structures"])
        assert all(v != "31" for v, _ in options["departements"])
    structure_scope = Scope.of_structures([1])
    assert indicateurs_annuels(engine, structure_scope, Filtres(annee=2022, structure_id=2)).empty


def test_filters_narrow(engine, donnees):
    a, b, c = _trois_departements(donnees)
    assert (
        indicateurs_annuels(engine, TOUT, Filtres(annee=2022))["id_annexe_financiere"].nunique()
        == 3
    )
    for filtres, attendu in (
        (Filtres(annee=2022, region="53"), {a, b}),
        (Filtres(annee=2022, departement="31"), {c}),
        (Filtres(annee=2022, type_structure="ACI"), {b}),
        (Filtres(annee=2022, numero_af="ei035220001"), {a}),
        (Filtres(annee=2022, structure_id=2), {b}),
    ):
        assert set(indicateurs_annuels(engine, TOUT, filtres)["id_annexe_financiere"]) == attendu


def test_options_filtres_cascade(engine, donnees):
    _trois_departements(donnees)
    toutes = options_filtres(engine, TOUT, Filtres(annee=2022))
    assert toutes["regions"] == [("53", "Bretagne"), ("76", "Occitanie")]
    assert [v for v, _ in toutes["departements"]] == ["29", "31", "35"]
    assert ("29", "29 - Finistère") in toutes["departements"]
    assert (2, "Brest ACI - 22222222200022") in toutes["structures"]
    assert [v for v, _ in toutes["types"]] == ["ACI", "AI", "EI"]
    bretagne = options_filtres(engine, TOUT, Filtres(annee=2022, region="53"))
    assert bretagne["regions"] == toutes["regions"]  # the région list itself is not narrowed
    assert [v for v, _ in bretagne["departements"]] == ["29", "35"]
    assert {v for v, _ in bretagne["structures"]} == {1, 2}
    finistere = options_filtres(engine, TOUT, Filtres(annee=2022, departement="29"))
    assert [v for v, _ in finistere["structures"]] == [2]
    structure = options_filtres(engine, TOUT, Filtres(annee=2022, structure_id=1))
    assert structure["numeros_af"] == [("EI035220001", "EI035220001")]
    assert options_filtres(engine, TOUT, Filtres(annee=2019))["departements"] == []


def test_date_donnees(engine, donnees):
    assert date_donnees(engine) is None
    donnees.exemple()
    assert date_donnees(engine).date() == date(2022, 10, 12)


def test_each_row_equals_the_pure_reference(engine, donnees):
    """SQL selection + array form give, AF by AF, what indicateurs_annee gives on the same rows
    (ids inserted out of order, so a wrong id -> row mapping would show)."""
    import random

    from etp.indicators import AFInputs, EtatMois, indicateurs_annee

    rng = random.Random(7)
    entrees = {}
    for af_id in rng.sample(range(10, 200), 25):
        debut = date(2022, rng.randint(1, 12), rng.randint(1, 28))
        if af_id % 3 == 0:
            debut = date(2021, rng.randint(1, 12), 1)
        fin = date(2022 + (af_id % 4 == 0), rng.randint(1, 12), 28)
        if fin < debut:
            debut, fin = fin, debut
        c, h = round(rng.uniform(1, 30), 2), rng.choice([1505.0, 1607.0, 1820.0])
        dep = rng.choice(["35", "29", "31", "2A", "971"])
        donnees.af(
            id=af_id,
            numero=f"EI0{dep}22{af_id:04d}",
            debut=debut,
            fin=fin,
            c=c,
            h=h,
            departement=dep,
        )
        mois = {
            m: (rng.choice(["VALIDE", "VALIDE", "SAISI", "BROUILLON"]), rng.uniform(0, 6000))
            for m in rng.sample(range(1, 13), rng.randint(0, 12))
        }
        if mois:
            donnees.etats(af_id, 2022, mois)
        entrees[af_id] = (AFInputs(debut, fin, c, h, 10_000.0), mois)
    filtres = Filtres(annee=2022, as_of=(2022, 9))
    annuel = indicateurs_annuels(engine, TOUT, filtres)
    mensuel = indicateurs_mensuels(engine, TOUT, filtres)
    attendus = {
        af_id: indicateurs_annee(
            entree, {m: EtatMois(e, hr, 3) for m, (e, hr) in mois.items()}, 2022, (2022, 9)
        )
        for af_id, (entree, mois) in entrees.items()
    }
    attendus = {k: v for k, v in attendus.items() if v.nb_mois_conventionnes}
    assert sorted(annuel["id_annexe_financiere"]) == sorted(attendus)
    for _, row in annuel.iterrows():
        ref = attendus[row["id_annexe_financiere"]]
        assert row["nb_mois_valides"] == ref.nb_mois_valides
        assert row["etp_annuel_realise"] == pytest.approx(ref.etp_annuel_realise)
        assert row["statut_consommation"] == ref.statut_consommation
        if ref.etp_mensuel_realise_moyen is None:
            assert pd_isna(row["etp_mensuel_realise_moyen"])
        else:
            assert row["etp_mensuel_realise_moyen"] == pytest.approx(ref.etp_mensuel_realise_moyen)
    for _, row in mensuel.iterrows():
        ref = attendus[row["id_annexe_financiere"]].mois[row["mois"] - 1]
        assert row["conventionne"] == ref.conventionne
        assert (None if pd_isna(row["etat"]) else row["etat"]) == ref.etat
        if ref.etp_mensuel_realise is None:
            assert pd_isna(row["etp_mensuel_realise"])
        else:
            assert row["etp_mensuel_realise"] == pytest.approx(ref.etp_mensuel_realise)
