"""etp.synthese: the dashboard's key figures, series, cumul and notes, through the database.

The figures are checked against the guide's worked example (domain.md §4) and against groups
built so that each documented group rule changes the answer if it is not applied.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from builders import EXEMPLE_H

from etp import synthese
from etp.aggregation import serie_mensuelle as serie_brute
from etp.filters import Filtres
from etp.queries import indicateurs_annuels, indicateurs_mensuels
from etp.regles import as_of_du_cadre
from etp.scope import Scope

MOYENNE_EXEMPLE = (5 + 10 + 20 + 20 + 20 + 28) / 6


def _tableau(engine, annee: int = 2022) -> synthese.TableauDeBord:
    filtres = Filtres(annee=annee)
    annuel = indicateurs_annuels(engine, Scope.everything(), filtres)
    mensuel = indicateurs_mensuels(engine, Scope.everything(), filtres)
    return synthese.tableau_de_bord(annuel, mensuel, annee)


def _af_validee(donnees, numero: str, c: float, mois: dict[int, float], af_id: int) -> int:
    """An EI of 2022 (Jan–Dec, H 1505) whose months ``mois`` are validated at the given ETP."""
    donnees.structure(af_id, f"EI {af_id}")
    af = donnees.af(numero=numero, structure_id=af_id, c=c, id=af_id)
    donnees.etats(af, 2022, {m: ("VALIDE", etp * EXEMPLE_H / 12) for m, etp in mois.items()})
    return af


def test_worked_example_key_figures(engine, donnees):
    donnees.exemple()
    tb = _tableau(engine)
    m = tb.chiffres_mensuels()
    assert m.nb_af == 1 and m.etp_mensuel_conventionne == 28
    assert m.etp_mensuel_realise_moyen == pytest.approx(MOYENNE_EXEMPLE, abs=1e-12)
    assert m.dernier_mois_valide == 8
    assert m.etp_mensuel_realise_dernier_mois == pytest.approx(28, abs=1e-12)
    assert (m.nb_af_valides_dernier_mois, m.nb_af_dernier_mois) == (1, 1)
    assert m.taux_moyen == pytest.approx(MOYENNE_EXEMPLE / 28)
    assert m.statut == "sous-consommation"
    assert m.ecart_etp == pytest.approx(MOYENNE_EXEMPLE - 28)
    assert m.ecart_pct == pytest.approx((MOYENNE_EXEMPLE - 28) / 28)
    a = tb.totaux
    assert a.etp_annuel_conventionne == pytest.approx(28 * 10 / 12)
    assert a.etp_annuel_realise == pytest.approx(103 / 12)
    assert a.taux_realisation_annuel == pytest.approx(103 / (28 * 10))
    assert a.projection_etp_annuel == pytest.approx(103 / 12 + MOYENNE_EXEMPLE * 4 / 12)
    assert a.montant_annuel_conventionne == pytest.approx(28 * 10 / 12 * 10_000)
    assert tb.dernier_mois_realise() == 8


def test_worked_example_series_cumul_and_notes(engine, donnees):
    donnees.exemple()  # data date 12/10/2022: October is the as-of month
    tb = _tableau(engine)
    s = tb.serie.set_index("mois")
    assert list(tb.serie.columns) == list(synthese.COLONNES_SERIE)
    # the sums and counts are those of etp.aggregation, untouched
    mensuel = indicateurs_mensuels(engine, Scope.everything(), Filtres(annee=2022))
    pd.testing.assert_frame_equal(
        tb.serie[list(serie_brute(mensuel).columns)], serie_brute(mensuel)
    )
    assert s.loc[1, "etat"] == "Non conventionné" and s.loc[1, "nb_af_conventionnees"] == 0
    assert s.loc[3, "etat"] == "Validé" and s.loc[3, "etp_mensuel_conventionne_non_valide"] == 0
    assert s.loc[9, "etat"] == "Saisi" and s.loc[9, "etp_mensuel_conventionne_non_valide"] == 28
    assert s.loc[10, "etp_mensuel_conventionne_non_valide"] == 28 and not s.loc[10, "a_venir"]
    assert s.loc[11, "a_venir"] and s.loc[11, "etat"] == "À venir"
    assert s.loc[11, "etp_mensuel_conventionne_non_valide"] == 0  # à venir is not late
    cumul = tb.cumul().set_index("mois")
    assert cumul.loc[8, "cumul_realise"] == pytest.approx(103 / 12)
    assert math.isnan(cumul.loc[9, "cumul_realise"])  # the curve stops at the last validation
    assert cumul.loc[12, "cumul_conventionne"] == pytest.approx(tb.totaux.etp_annuel_conventionne)
    notes = tb.notes()
    assert len(notes) == 3
    assert notes[0].startswith("1 annexe sur 1 couvre moins de 12 mois en 2022")
    assert "septembre, octobre." in notes[1]
    assert notes[2] == (
        "Mois pris en compte jusqu'à octobre 2022 inclus (mois des données les plus récentes) ; "
        "seuls les mois validés comptent dans le réalisé."
    )


def test_last_validated_month_held_by_most_of_the_conventioned_etp(engine, donnees):
    """EI 1 (28 ETP) validates March–August, a second AF (10 ETP) January–July. August is
    validated by 28 of the 38 conventioned ETP: it is the group's "dernier mois validé" (issue
    9: one late AF does not freeze a group), with its realised ETP compared with the
    conventioned ETP of the AF validated that month, and "1 annexe sur 2"."""
    donnees.exemple()
    _af_validee(donnees, "EI035220002", 10.0, dict.fromkeys(range(1, 8), 10.0), af_id=2)
    tb = _tableau(engine)
    m = tb.chiffres_mensuels()
    assert m.dernier_mois_valide == 8
    assert m.etp_mensuel_realise_dernier_mois == pytest.approx(28)
    assert m.etp_mensuel_conventionne_dernier_mois == pytest.approx(28)
    assert (m.nb_af_valides_dernier_mois, m.nb_af_dernier_mois) == (1, 2)
    assert tb.dernier_mois_realise() == 8
    s = tb.serie.set_index("mois")
    assert s.loc[9, "etat"] == "2 non validée(s) : 1 saisi, 1 non saisi"


def test_group_status_ignores_afs_without_average(engine, donnees):
    """An AF with nothing validated adds to the conventioned level shown, not to what the
    average is compared with (else the group would read as under-consuming)."""
    _af_validee(donnees, "EI035220001", 10.0, {1: 10.0, 2: 10.0}, af_id=1)
    _af_validee(donnees, "EI035220002", 4.0, {1: 5.0}, af_id=2)
    _af_validee(donnees, "EI035220003", 50.0, {}, af_id=3)
    tb = _tableau(engine)
    t = tb.totaux
    assert t.nb_af == 3 and t.etp_mensuel_conventionne == pytest.approx(64)
    assert t.etp_mensuel_realise_moyen == pytest.approx(15)
    assert t.conventionne_compare == pytest.approx(14)
    assert t.statut == "sur-consommation"
    assert t.ecart_etp == pytest.approx(1) and t.ecart_pct == pytest.approx(1 / 14)
    m = tb.chiffres_mensuels()
    assert m.taux_moyen == pytest.approx(15 / 14)
    # no month has all three AFs validated: the latest month with a validated AF stands in
    assert m.dernier_mois_valide == 2
    assert (m.nb_af_valides_dernier_mois, m.nb_af_dernier_mois) == (1, 3)


def test_no_validated_month(engine, donnees):
    _af_validee(donnees, "EI035220001", 10.0, {}, af_id=1)
    tb = _tableau(engine)
    m, a = tb.chiffres_mensuels(), tb.totaux
    assert m.dernier_mois_valide is None and m.etp_mensuel_realise_dernier_mois is None
    assert m.etp_mensuel_realise_moyen is None and m.statut is None and m.taux_moyen is None
    assert a.etp_annuel_realise == 0 and a.taux_realisation_annuel == 0
    # nothing validated: the one "Projection fin d'année" counts the AF at its envelope
    assert a.projection_etp_annuel == pytest.approx(10) and a.nb_af_sans_mois_valide == 1
    assert tb.dernier_mois_realise() is None
    assert tb.cumul()["cumul_realise"].isna().all()


def test_as_of_of_a_frame():
    assert as_of_du_cadre(pd.DataFrame({"as_of": ["2022-10", "2022-10"]})) == (2022, 10)
    assert as_of_du_cadre(pd.DataFrame({"as_of": [None]})) is None
    assert as_of_du_cadre(pd.DataFrame()) is None


def test_cumul_is_pure_arithmetic_on_the_series():
    serie = pd.DataFrame(
        {
            "mois": range(1, 13),
            "etp_mensuel_conventionne": [12.0] * 12,
            "etp_mensuel_realise": [6.0, 12.0, 24.0] + [math.nan] * 9,
        }
    )
    cumul = synthese.cumul_annuel(serie, 2)
    assert cumul["cumul_conventionne"].tolist() == [float(m) for m in range(1, 13)]
    assert cumul["cumul_realise"].iloc[:2].tolist() == [0.5, 1.5]
    assert cumul["cumul_realise"].iloc[2:].isna().all()
    assert synthese.cumul_annuel(serie, None)["cumul_realise"].isna().all()
