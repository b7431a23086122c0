"""What the downloads hold, cell by cell, against figures derived by hand from the known data
of ``tests/builders.py`` (the three structures of ``tests/exports/conftest.py``, year 2022, data
up to October 2022), never from the ``etp`` functions that fill the files:

1. ``EI Exemple`` (35), the guide's worked example: C 28 from March to December (10 months),
   aid 10 000 €/ETP; validated March-August at 5, 10, 20, 20, 20, 28 ETP; September entered
   (SAISI), October a draft (BROUILLON), nothing after.
2. ``Chantier Occitan`` (31): ACI, C 41.5 all year, aid 22 000 €; January-August at 43.25 ETP.
3. ``Atelier Rennais`` (35): ACI, C 6 all year, aid 22 000 €; January-August at 6 ETP.

Not checked here while their definitions are reworked (issue 9): the projection and N−1
columns, the "dernier mois validé" figures.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from outils_exports import classeur

from callbacks import exports
from layouts import ids

TOUT_2022 = {"annee": 2022}
EXACT = {"rel": 1e-12, "abs": 1e-9}

# --- the data, as written in tests/builders.py ---------------------------------------------
EXEMPLE = {3: 5.0, 4: 10.0, 5: 20.0, 6: 20.0, 7: 20.0, 8: 28.0}
C_EXEMPLE, C_OCCITAN, C_RENNAIS = 28.0, 41.5, 6.0
AIDE_EI, AIDE_ACI = 10_000.0, 22_000.0
REALISE_OCCITAN, REALISE_RENNAIS = 43.25, 6.0  # every month from January to August

# --- derived by hand -------------------------------------------------------------------------
ANNUEL_CONV = {"EI Exemple": 28 * 10 / 12, "Chantier Occitan": 41.5, "Atelier Rennais": 6.0}
ANNUEL_REALISE = {
    "EI Exemple": 103 / 12,  # 5 + 10 + 20 + 20 + 20 + 28 = 103
    "Chantier Occitan": 43.25 * 8 / 12,
    "Atelier Rennais": 6.0 * 8 / 12,
}
AIDE = {"EI Exemple": AIDE_EI, "Chantier Occitan": AIDE_ACI, "Atelier Rennais": AIDE_ACI}
ENVELOPPE = sum(ANNUEL_CONV.values())  # 23.33 + 41.5 + 6 = 70.83
CONSOMME = sum(ANNUEL_REALISE.values())  # 8.58 + 28.83 + 4 = 41.42
ENVELOPPE_EUROS = sum(ANNUEL_CONV[s] * AIDE[s] for s in AIDE)  # 233 333.33 + 913 000 + 132 000


def _feuille(user, en_tant_que, card: str) -> list[dict]:
    with en_tant_que(user):
        wb = classeur(exports.fichier(card, "xlsx", TOUT_2022))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_cumulative_chart_file(users, en_tant_que):
    rows = _feuille(users["dgefp"], en_tant_que, ids.ANNUEL_CUMUL)
    assert [r["Mois"] for r in rows] == [datetime(2022, m, 1) for m in range(1, 13)]
    # conventioned pace: the two ACIs from January, the EI from March, each C / 12 a month
    rythme = [(C_OCCITAN + C_RENNAIS) / 12 * m for m in (1, 2)]
    rythme += [(C_OCCITAN + C_RENNAIS) / 12 * m + C_EXEMPLE / 12 * (m - 2) for m in range(3, 13)]
    # realised: both ACIs every month to August, the EI's validated months from March
    realise = [(REALISE_OCCITAN + REALISE_RENNAIS) / 12 * m for m in (1, 2)]
    realise += [
        (REALISE_OCCITAN + REALISE_RENNAIS) / 12 * m
        + sum(v for k, v in EXEMPLE.items() if k <= m) / 12
        for m in range(3, 9)
    ]
    for row, pace in zip(rows, rythme, strict=True):
        assert row["Enveloppe annuelle conventionnée (en ETP)"] == pytest.approx(ENVELOPPE, **EXACT)
        assert row["Rythme conventionné, cumul (en ETP)"] == pytest.approx(pace, **EXACT)
    assert rows[11]["Rythme conventionné, cumul (en ETP)"] == pytest.approx(ENVELOPPE, **EXACT)
    assert [r["Réalisé cumulé, mois validés (en ETP)"] for r in rows[:8]] == pytest.approx(
        realise, **EXACT
    )
    assert realise[-1] == pytest.approx(CONSOMME, **EXACT)
    # nothing validated after August: the curve stops there
    assert [r["Réalisé cumulé, mois validés (en ETP)"] for r in rows[8:]] == [None] * 4


# état per month: (conventioned, validé, débloqué, saisi, brouillon, non saisi)
REMPLISSAGE = {
    **dict.fromkeys((1, 2), (2, 2, 0, 0, 0, 0)),  # the EI starts in March
    **dict.fromkeys(range(3, 9), (3, 3, 0, 0, 0, 0)),
    9: (3, 0, 0, 1, 0, 2),  # EI entered, the ACIs sent nothing
    10: (3, 0, 0, 0, 1, 2),  # EI draft
    11: (3, 0, 0, 0, 0, 3),
    12: (3, 0, 0, 0, 0, 3),
}


def test_fill_rate_file(users, en_tant_que):
    rows = _feuille(users["dgefp"], en_tant_que, ids.MENSUEL_REMPLISSAGE)
    cols = ("Annexes financières conventionnées", "Validé", "Débloqué", "Saisi", "Brouillon")
    vus = {r["Mois"].month: tuple(r[c] for c in (*cols, "Non saisi")) for r in rows}
    assert vus == REMPLISSAGE


def test_funders_fill_rate_file_up_to_the_data_month(users, en_tant_que):
    rows = _feuille(users["dgefp"], en_tant_que, "financeurs-remplissage")
    mois = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
    ]
    assert [r["Mois"] for r in rows] == mois  # months after the data month (October) left out
    for m, row in enumerate(rows, start=1):
        total, *comptes = REMPLISSAGE[m]
        assert row["Annexes conventionnées"] == total
        etats = ("validé", "débloqué", "saisi", "brouillon", "non saisi")
        for etat, n in zip(etats, comptes, strict=True):
            assert row[f"Annexes ({etat})"] == n
            assert row[f"Part ({etat})"] == pytest.approx(n / total, **EXACT)
        assert row["Annexes (autre)"] == 0


def test_funders_summary_file(users, en_tant_que):
    (row,) = _feuille(users["dgefp"], en_tant_que, "financeurs-synthese")
    assert row["Annexes"] == 3
    assert row["Effectif annuel conventionné (ETP)"] == pytest.approx(ENVELOPPE, **EXACT)
    assert row["Aide au poste conventionnée (€)"] == pytest.approx(ENVELOPPE_EUROS, **EXACT)
    assert row["Effectif annuel réalisé (ETP)"] == pytest.approx(CONSOMME, **EXACT)
    assert row["% de réalisation"] == pytest.approx(CONSOMME / ENVELOPPE, **EXACT)
    # averages 17.17 < 28, 43.25 > 41.5, 6 = 6
    assert (row["Sur"], row["Sous"], row["Conformes"], row["Sans mois validé"]) == (1, 1, 1, 0)


@pytest.mark.parametrize("card", ["financeurs-repartition", "financeurs-repartition-table"])
def test_funders_breakdown_files(users, en_tant_que, card):
    rows = _feuille(users["dgefp"], en_tant_que, card)
    vus = {(r["Département"], r["Type"]): r for r in rows}
    attendus = {
        ("31 - Haute-Garonne", "ACI"): ("Chantier Occitan", (1, 0, 0)),
        ("35 - Ille-et-Vilaine", "ACI"): ("Atelier Rennais", (0, 0, 1)),
        ("35 - Ille-et-Vilaine", "EI"): ("EI Exemple", (0, 1, 0)),
    }
    assert set(vus) == set(attendus)
    for groupe, (structure, statuts) in attendus.items():
        r = vus[groupe]
        assert r["Annexes"] == 1
        assert r["Effectif annuel conventionné (ETP)"] == pytest.approx(
            ANNUEL_CONV[structure], **EXACT
        )
        assert r["Aide au poste conventionnée (€)"] == pytest.approx(
            ANNUEL_CONV[structure] * AIDE[structure], **EXACT
        )
        assert r["Effectif annuel réalisé (ETP)"] == pytest.approx(
            ANNUEL_REALISE[structure], **EXACT
        )
        assert r["% de réalisation"] == pytest.approx(
            ANNUEL_REALISE[structure] / ANNUEL_CONV[structure], **EXACT
        )
        assert (r["Sur"], r["Sous"], r["Conformes"], r["Sans mois validé"]) == (*statuts, 0)


def test_funders_follow_up_file(users, en_tant_que):
    rows = {r["Structure"]: r for r in _feuille(users["dgefp"], en_tant_que, "financeurs-suivi")}
    attendus = {
        # structure: (number, status, C, average, validated months)
        "EI Exemple": ("EI035220001", "Sous-consommation", C_EXEMPLE, 103 / 6, 6),
        "Chantier Occitan": ("ACI031220002", "Sur-consommation", C_OCCITAN, 43.25, 8),
        "Atelier Rennais": ("ACI035220003", "Conforme", C_RENNAIS, 6.0, 8),
    }
    assert set(rows) == set(attendus)
    for structure, (numero, statut, c, moyen, valides) in attendus.items():
        r = rows[structure]
        assert r["Numéro d'annexe financière"] == numero
        assert r["Consommation"] == statut
        assert r["Effectif mensuel conventionné (ETP)"] == c
        assert r["Effectif mensuel réalisé moyen (ETP)"] == pytest.approx(moyen, **EXACT)
        assert r["Écart mensuel (ETP)"] == pytest.approx(moyen - c, **EXACT)
        assert r["Effectif annuel conventionné (ETP)"] == pytest.approx(
            ANNUEL_CONV[structure], **EXACT
        )
        assert r["Mois validés"] == valides


def test_short_afs_file(users, en_tant_que):
    (row,) = _feuille(users["dgefp"], en_tant_que, "financeurs-courtes")  # only the EI
    assert row["Numéro d'annexe financière"] == "EI035220001"
    assert row["Mois conventionnés"] == 10
    assert row["Effectif mensuel conventionné (ETP)"] == C_EXEMPLE
    assert row["Effectif annuel conventionné (ETP)"] == pytest.approx(28 * 10 / 12, **EXACT)
    assert row["Différence mensuel − annuel (ETP)"] == pytest.approx(
        28 * 2 / 12, **EXACT
    )  # two months short
    assert row["Différence mensuel − annuel (€)"] == pytest.approx(28 * 2 / 12 * AIDE_EI, **EXACT)


def test_the_scope_narrows_the_funders_files(users, en_tant_que):
    """DDETS 35 sees the EI and the Rennes ACI only: the envelope is theirs."""
    (row,) = _feuille(users["ddets"], en_tant_que, "financeurs-synthese")
    assert row["Annexes"] == 2
    attendu = ANNUEL_CONV["EI Exemple"] + ANNUEL_CONV["Atelier Rennais"]
    assert row["Effectif annuel conventionné (ETP)"] == pytest.approx(attendu, **EXACT)
    assert row["Aide au poste conventionnée (€)"] == pytest.approx(
        ANNUEL_CONV["EI Exemple"] * AIDE_EI + 6.0 * AIDE_ACI, **EXACT
    )
