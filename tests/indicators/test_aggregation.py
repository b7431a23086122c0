"""etp.aggregation: sums, ratios of sums, averages summed, the monthly series."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etp.aggregation import COLONNES_AGREGAT, COLONNES_SERIE, agreger, serie_mensuelle
from etp.filters import Filtres
from etp.indicators import AFInputs, EtatMois, indicateurs_annee
from etp.queries import indicateurs_annuels, indicateurs_mensuels
from etp.scope import Scope


def _ligne(af_id, dep, type_structure, structure_id, af: AFInputs, etats, annee=2022, as_of=None):
    """An annual row like etp.queries builds (only the columns the aggregation reads)."""
    ind = indicateurs_annee(af, etats, annee, as_of)
    return {
        "id_annexe_financiere": af_id,
        "structure_id": structure_id,
        "departement": dep,
        "departement_libelle": f"{dep} - X",
        "region": "53",
        "region_libelle": "Bretagne",
        "type_structure": type_structure,
        **{
            k: getattr(ind, k)
            for k in (
                "etp_mensuel_conventionne",
                "etp_annuel_conventionne",
                "etp_mensuel_realise_moyen",
                "etp_annuel_realise",
                "ecart_etp_mensuel",
                "projection_etp_annuel",
                "montant_annuel_conventionne",
                "montant_annuel_realise",
                "montant_annuel_projete",
                "statut_consommation",
            )
        },
    }


def _frame(lignes):
    df = pd.DataFrame(lignes)
    for c in df.columns:
        if c.startswith(("etp_", "ecart", "projection", "montant")):
            df[c] = df[c].astype("float64")
    return df


def test_group_rules_by_hand():
    h = 1505.0
    a = AFInputs(date(2022, 1, 1), date(2022, 12, 31), 10.0, h, 1000.0)
    b = AFInputs(date(2022, 7, 1), date(2022, 12, 31), 4.0, h, 1000.0)
    c = AFInputs(date(2022, 1, 1), date(2022, 12, 31), 6.0, h, 1000.0)  # nothing validated
    etp = lambda x: EtatMois("VALIDE", x * h / 12)  # noqa: E731
    df = _frame(
        [
            _ligne(1, "35", "EI", 1, a, {1: etp(12), 2: etp(10)}, as_of=(2022, 12)),
            _ligne(2, "35", "EI", 2, b, {7: etp(2)}, as_of=(2022, 12)),
            _ligne(3, "29", "ACI", 3, c, {}, as_of=(2022, 12)),
        ]
    )
    nat = agreger(df, [])
    assert list(nat.columns) == list(COLONNES_AGREGAT)
    row = nat.iloc[0]
    assert row["nb_af"] == 3 and row["nb_structures"] == 3
    assert row["etp_mensuel_conventionne"] == pytest.approx(20)
    assert row["etp_annuel_conventionne"] == pytest.approx(10 + 2 + 6)
    assert row["etp_mensuel_realise_moyen"] == pytest.approx(11 + 2)  # sum of averages
    assert row["etp_annuel_realise"] == pytest.approx(22 / 12 + 2 / 12)
    assert row["taux_realisation_annuel"] == pytest.approx((24 / 12) / 18)  # ratio of sums
    # the gap ignores C of the AF with nothing validated: (11 - 10) + (2 - 4)
    assert row["ecart_etp_mensuel"] == pytest.approx(-1)
    assert row["ecart_pct"] == pytest.approx(-1 / 14)
    assert row["statut_consommation"] == "sous-consommation"
    # One "Projection fin d'année": a's and b's linear projections, c (nothing validated) at
    # its envelope 6 (issue 9). a: 22/12 + 11 × 10/12; b: 2/12 + 2 × 5/12.
    assert row["projection_etp_annuel"] == pytest.approx(22 / 12 + 110 / 12 + 2 / 12 + 10 / 12 + 6)
    assert row["nb_af_sans_mois_valide"] == 1 and row["etp_sans_mois_valide"] == pytest.approx(6)
    assert row["montant_annuel_projete"] == pytest.approx(row["projection_etp_annuel"] * 1000)
    assert (row["nb_sur_consommation"], row["nb_sous_consommation"], row["nb_conforme"]) == (
        1,
        1,
        0,
    )
    par_dep = agreger(df, ["departement"])
    assert par_dep["departement"].tolist() == ["29", "35"]
    assert par_dep["departement_libelle"].tolist() == ["29 - X", "35 - X"]
    d29 = par_dep.iloc[0]
    assert d29["nb_af"] == 1 and pd.isna(d29["etp_mensuel_realise_moyen"])
    assert pd.isna(d29["statut_consommation"]) and pd.isna(d29["ecart_pct"])
    assert d29["taux_realisation_annuel"] == 0


def test_empty_input():
    vide = pd.DataFrame(
        columns=["structure_id", "statut_consommation", "etp_mensuel_realise_moyen"]
    )
    nat = agreger(vide, [])
    assert len(nat) == 1 and nat.iloc[0]["nb_af"] == 0
    assert pd.isna(nat.iloc[0]["etp_annuel_conventionne"])
    assert agreger(vide, ["departement"]).empty


params_af = st.tuples(
    st.sampled_from(["35", "29", "31"]),
    st.sampled_from(["EI", "ACI", "AI"]),
    st.integers(1, 4),
    st.dates(date(2021, 6, 1), date(2022, 12, 31)),
    st.integers(0, 400),
    st.floats(0, 60, allow_nan=False),
    st.dictionaries(
        st.integers(1, 12),
        st.builds(EtatMois, st.sampled_from(["VALIDE", "SAISI"]), st.floats(0, 9000)),
    ),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(params_af, min_size=1, max_size=12))
def test_aggregates_equal_the_sum_of_their_parts(params):
    lignes = []
    for i, (dep, typ, sid, debut, jours, c, etats) in enumerate(params):
        fin = date.fromordinal(debut.toordinal() + jours)
        lignes.append(_ligne(i, dep, typ, sid, AFInputs(debut, fin, c, 1505.0, 900.0), etats))
    df = _frame([ligne for ligne in lignes if ligne["etp_annuel_conventionne"] is not None])
    nat = agreger(df, []).iloc[0]
    for par in (
        ["departement"],
        ["type_structure"],
        ["structure_id"],
        ["departement", "type_structure"],
    ):
        groupes = agreger(df, par)
        assert groupes["nb_af"].sum() == nat["nb_af"] == len(df)
        for col in ("etp_annuel_conventionne", "etp_annuel_realise", "montant_annuel_conventionne"):
            assert groupes[col].sum() == pytest.approx(nat[col])
            assert nat[col] == pytest.approx(df[col].sum())
        for col in ("etp_mensuel_realise_moyen", "ecart_etp_mensuel"):
            assert groupes[col].sum() == pytest.approx(df[col].sum())
        # the projection of a group: each AF's own, an AF without validated month at its
        # envelope (issue 9: one "Projection fin d'année")
        retenue = df["projection_etp_annuel"].fillna(df["etp_annuel_conventionne"])
        assert groupes["projection_etp_annuel"].sum() == pytest.approx(retenue.sum())
        assert nat["projection_etp_annuel"] == pytest.approx(retenue.sum())
        attendu = groupes["etp_annuel_realise"] / groupes["etp_annuel_conventionne"]
        attendu = attendu.where(groupes["etp_annuel_conventionne"] != 0)
        pd.testing.assert_series_equal(
            groupes["taux_realisation_annuel"], attendu, check_names=False
        )


def test_serie_mensuelle_from_database(engine, donnees):
    donnees.exemple()
    autre = donnees.af(numero="EI035220009", debut=date(2022, 1, 1), c=2.0)
    donnees.etats(autre, 2022, {1: ("VALIDE", 1505.0 / 12), 3: ("DEBLOQUE", 9.0)})
    mensuel = indicateurs_mensuels(engine, Scope.everything(), Filtres(annee=2022))
    serie = serie_mensuelle(mensuel)
    assert list(serie.columns) == list(COLONNES_SERIE)
    assert serie["mois"].tolist() == list(range(1, 13))
    janvier, mars, septembre = serie.iloc[0], serie.iloc[2], serie.iloc[8]
    assert janvier["nb_af_conventionnees"] == 1 and janvier["nb_valide"] == 1
    assert janvier["etp_mensuel_conventionne"] == pytest.approx(2)
    assert janvier["etp_mensuel_realise"] == pytest.approx(1)
    assert janvier["taux_realisation_mensuel"] == pytest.approx(0.5)
    assert mars["nb_af_conventionnees"] == 2
    assert (mars["nb_valide"], mars["nb_debloque"]) == (1, 1)
    assert mars["etp_mensuel_conventionne"] == pytest.approx(30)
    assert mars["etp_mensuel_conventionne_valide"] == pytest.approx(28)
    assert mars["etp_mensuel_realise"] == pytest.approx(5)
    assert (septembre["nb_saisi"], septembre["nb_non_saisi"]) == (1, 1)
    assert pd.isna(septembre["etp_mensuel_realise"])
    comptes = [
        "nb_valide",
        "nb_debloque",
        "nb_saisi",
        "nb_brouillon",
        "nb_non_saisi",
        "nb_autre_etat",
    ]
    assert (serie[comptes].sum(axis=1) == serie["nb_af_conventionnees"]).all()
    # the series agrees with the annual figures: Σ monthly realised / 12 = Σ annual realised
    annuel = indicateurs_annuels(engine, Scope.everything(), Filtres(annee=2022))
    assert serie["etp_mensuel_realise"].sum() / 12 == pytest.approx(
        annuel["etp_annuel_realise"].sum()
    )
    assert serie_mensuelle(mensuel.iloc[0:0])["nb_af_conventionnees"].sum() == 0
