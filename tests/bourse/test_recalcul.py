"""The bourse aux postes recomputation on hand-computed cases (etp.bourse, pure)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from etp import bourse
from etp.bourse import Ajustement, AjustementInvalide

ANNEE = 2022
AS_OF = (2022, 8)  # August validated: September is the first month that may change


def _af(af_id, *, debut, fin, c, annuel, realise, projection, aide):
    return {
        "id_annexe_financiere": af_id,
        "numero_annexe_financiere": f"ACI035{af_id:06d}A0M0",
        "structure_id": 100 + af_id,
        "structure_denomination": f"Structure {af_id}",
        "date_debut": debut,
        "date_fin": fin,
        "etp_mensuel_conventionne": c,
        "etp_annuel_conventionne": annuel,
        "etp_annuel_realise": realise,
        "projection_etp_annuel": projection,
        "montant_unitaire_annuel": aide,
    }


@pytest.fixture
def annuel():
    return pd.DataFrame(
        [
            # 12 months, C = 10 -> 10 ETP a year at 10 000 € per ETP; projected 9
            _af(
                1,
                debut=date(2022, 1, 1),
                fin=date(2022, 12, 31),
                c=10.0,
                annuel=10.0,
                realise=6.0,
                projection=9.0,
                aide=10_000.0,
            ),
            # March to October: 8 months, C = 6 -> 4 ETP a year at 12 000 €; projected 5
            _af(
                2,
                debut=date(2022, 3, 1),
                fin=date(2022, 10, 31),
                c=6.0,
                annuel=4.0,
                realise=3.5,
                projection=5.0,
                aide=12_000.0,
            ),
            # no validated month: no projection of its own
            _af(
                3,
                debut=date(2022, 1, 1),
                fin=date(2022, 12, 31),
                c=3.0,
                annuel=3.0,
                realise=0.0,
                projection=float("nan"),
                aide=20_000.0,
            ),
        ]
    )


def test_change_from_september_counts_for_the_four_months_left(annuel):
    e = bourse.effet(annuel, Ajustement(1, 2.0, 9), ANNEE, AS_OF)
    assert e.nb_mois_restants == 4
    # 10 + 2 × 4 / 12 = 10.6666…
    assert e.etp_annuel_conventionne_apres == pytest.approx(10 + 8 / 12)
    assert e.delta_etp_annuel == pytest.approx(8 / 12)
    # euros at this AF's own aid: 8/12 × 10 000 = 6 666.67 €
    assert round(e.delta_euros, 2) == 6666.67
    assert round(e.montant_apres, 2) == 106666.67
    # projected 9: 90 % before, 9 / 10.6667 = 84.375 % after, under-consumption both times
    assert e.taux_projete_avant == pytest.approx(0.9)
    assert e.taux_projete_apres == pytest.approx(0.84375)
    assert e.statut_projete_apres == "sous-consommation"


def test_change_stops_at_the_af_end(annuel):
    # AF 2 ends in October: from September only Sept and Oct count (n = 2)
    e = bourse.effet(annuel, Ajustement(2, -1.5, 9), ANNEE, AS_OF)
    assert e.nb_mois_restants == 2
    assert e.etp_annuel_conventionne_apres == pytest.approx(4 - 0.25)
    assert e.delta_euros == pytest.approx(-3000.0)
    # projected 5 against 3.75: 133.33 %, over-consumption
    assert e.taux_projete_apres == pytest.approx(5 / 3.75)
    assert e.statut_projete_apres == "sur-consommation"


def test_af_without_validated_month_is_projected_at_its_new_envelope(annuel):
    e = bourse.effet(annuel, Ajustement(3, 1.2, 10), ANNEE, AS_OF)
    # 3 + 1.2 × 3 / 12 = 3.3, projected at that envelope: 100 %, conforme
    assert e.etp_annuel_conventionne_apres == pytest.approx(3.3)
    assert e.projection_etp == pytest.approx(3.3)
    assert e.taux_projete_apres == pytest.approx(1.0)
    assert e.statut_projete_apres == "conforme"
    assert e.delta_euros == pytest.approx(6000.0)


def test_balanced_in_euros_but_not_in_etp(annuel):
    effets, erreurs = bourse.effets(
        annuel, [Ajustement(1, 1.8, 9), Ajustement(2, -3.0, 9), Ajustement(3, 0, 9)], ANNEE, AS_OF
    )
    assert erreurs == []
    assert [e.af_id for e in effets] == [1, 2]  # a zero change is no change
    b = bourse.bilan(annuel, effets)
    # before: 10 + 4 + 3 = 17 ETP; 100 000 + 48 000 + 60 000 = 208 000 €
    assert b.enveloppe_etp_avant == pytest.approx(17.0)
    assert b.enveloppe_euros_avant == pytest.approx(208_000.0)
    # AF 1: +1.8 × 4 / 12 = +0.6 ETP = +6 000 €; AF 2: −3 × 2 / 12 = −0.5 ETP = −6 000 €
    assert b.etp_ajoutes == pytest.approx(0.6) and b.etp_retires == pytest.approx(0.5)
    assert b.euros_ajoutes == pytest.approx(6000.0) and b.euros_retires == pytest.approx(6000.0)
    assert b.solde_etp == pytest.approx(0.1)
    assert b.enveloppe_etp_apres == pytest.approx(17.1)
    assert b.solde_euros == pytest.approx(0.0, abs=1e-6)
    assert b.enveloppe_euros_apres == pytest.approx(208_000.0)
    assert b.dans_enveloppe is True


def test_over_the_envelope_is_said(annuel):
    effets, _ = bourse.effets(annuel, [Ajustement(1, 2.0, 9), Ajustement(2, -3.0, 9)], ANNEE, AS_OF)
    b = bourse.bilan(annuel, effets)
    # +6 666.67 − 6 000 = +666.67 €
    assert round(b.solde_euros, 2) == 666.67
    assert b.dans_enveloppe is False


def test_floor_at_what_is_already_realised(annuel):
    # AF 2 realised 3.5 of its 4: −3 from September leaves exactly 3.5, allowed
    bourse.valider(annuel, Ajustement(2, -3.0, 9), ANNEE, AS_OF)
    with pytest.raises(AjustementInvalide, match="déjà réalisé"):
        bourse.valider(annuel, Ajustement(2, -3.06, 9), ANNEE, AS_OF)


@pytest.mark.parametrize(
    ("ajustement", "message"),
    [
        (Ajustement(1, 1.0, 8), "déjà passé"),
        (Ajustement(1, 1.0, 1), "déjà passé"),
        (Ajustement(1, 1.0, 13), "entre janvier et décembre"),
        (Ajustement(99, 1.0, 9), "pas dans votre périmètre"),
        (Ajustement(2, 1.0, 11), "plus conventionnée"),
        (Ajustement(3, -3.5, 12), "négatif"),
        (Ajustement(1, float("nan"), 9), "nombre d'ETP"),
    ],
)
def test_refusals_in_french(annuel, ajustement, message):
    with pytest.raises(AjustementInvalide, match=message):
        bourse.valider(annuel, ajustement, ANNEE, AS_OF)


def test_refused_lines_are_reported_not_counted(annuel):
    effets, erreurs = bourse.effets(
        annuel,
        [Ajustement(1, 1.0, 9), Ajustement(99, 5.0, 9), Ajustement(1, 2.0, 10)],
        ANNEE,
        AS_OF,
    )
    assert [e.af_id for e in effets] == [1]
    assert len(erreurs) == 2 and "périmètre" in erreurs[0]


def test_year_over_has_no_month_left(annuel):
    with pytest.raises(AjustementInvalide, match="déjà passé"):
        bourse.valider(annuel, Ajustement(1, 1.0, 12), ANNEE, (2023, 2))
    assert bourse.suggestions(annuel, ANNEE, (2023, 2)) == {}


def test_suggestion_gives_back_the_surplus_and_asks_for_the_need(annuel):
    s = bourse.suggestions(annuel, ANNEE, AS_OF)
    # AF 1: projected 9 for 10 -> −1 × 12 / 4 months = −3 ETP from September
    assert s[1] == Ajustement(1, -3.0, 9)
    # AF 2: projected 5 for 4 -> +1 × 12 / 2 months = +6 ETP from September
    assert s[2] == Ajustement(2, 6.0, 9)
    # AF 3 has no validated month: no suggestion
    assert 3 not in s
    # applied, each envelope meets its projection
    effets, erreurs = bourse.effets(annuel, s.values(), ANNEE, AS_OF)
    assert erreurs == []
    assert [round(e.etp_annuel_conventionne_apres, 9) for e in effets] == [9.0, 5.0]


def test_suggestion_truncated_to_the_hundredth_and_floored_at_zero(annuel):
    ligne = annuel.iloc[0].copy()
    ligne["projection_etp_annuel"] = 10.1  # +0.1 × 12 / 4 = 0.3
    assert bourse.suggestion(ligne, ANNEE, (2022, 5)).delta_etp == 0.17  # 0.1 × 12 / 7 = 0.1714
    ligne["projection_etp_annuel"] = 6.5  # −3.5 × 12 / 1 = −42, but C is 10
    assert bourse.suggestion(ligne, ANNEE, (2022, 11)) == Ajustement(1, -10.0, 12)


def test_suggestion_starts_at_the_af_first_month_left():
    annuel = pd.DataFrame(
        [
            _af(
                4,
                debut=date(2022, 10, 1),
                fin=date(2023, 9, 30),
                c=4.0,
                annuel=1.0,
                realise=0.0,
                projection=0.5,
                aide=10_000.0,
            )
        ]
    )
    # from September on, its first conventioned month is October (3 months left)
    assert bourse.suggestion(annuel.iloc[0], ANNEE, AS_OF) == Ajustement(4, -2.0, 10)
