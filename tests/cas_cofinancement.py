"""The hand-computed bRSA case (issue 15), written as real fluxIAE files.

Département 54 (ACI054…), year 2022, as of December 2022:

- MT_ME_RSA: 500 € until 31/03/2022, 520 € from 01/04/2022 (the amount changes mid-year);
  Mayotte (976) has its own 260 €; an aid amount row (MT_AN_ETP_ACI) is not used.
- AF 1000 ``ACI054220001``, whole 2022, C = 12,5, total 267 587,50 €, CD 60 000 €:
  January validated (bRSA: p1 100 h counted; p2 0 h and p4 0,5 h not counted; p5 two bRSA
  contracts of 0,6 h each, 1,2 h: counted; p3 NON, p6 contract unknown, p7 RSA not stated),
  February SAISI (not validated), April validated (p1 120 h), other months not entered.
- AF 2000 ``ACI054220002``, July–December 2022 (short: 6 months), C = 4, total 42 814 €,
  CD 12 480 €: July validated with 5 bRSA (80 h each), August with 4.
- AF 3000 ``ACI054220003``: not co-financed (never in the view).
- AF 4000 ``ACI976220001`` (Mayotte), whole 2022, CD 31 200 €: March validated, 1 bRSA (50 h).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from etp.fluxiae import write_vue

WHEN = datetime(2023, 1, 10, 6, 30, 0)
LATER = datetime(2023, 2, 10, 6, 30, 0)


def af(af_id: int, numero: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "af_id_structure": 112,
        "af_mesure_dispositif_code": "ACI_DC",
        "af_numero_annexe_financiere": numero,
        "af_numero_avenant_renouvellement": 0,
        "af_numero_avenant_modification": 0,
        "af_id_annexe_financiere": af_id,
        "af_id_avenant_modification": af_id * 10,
        "af_etat_annexe_financiere_code": "VALIDE",
        "af_date_debut_effet": date(2022, 1, 1),
        "af_date_fin_effet": date(2022, 12, 31),
        "af_etp_postes_insertion": 12.5,
        "af_duree_heure_annuel_etp_valeur": 1820.0,
        "af_montant_unitaire_annuel_valeur": 21407.0,
        "af_montant_total_annuel": 267587.5,
        "af_mt_cofinance": 0.0,
        "af_indic_cofinancement": False,
    }
    row.update(overrides)
    return row


def annexes() -> list[dict[str, Any]]:
    cd = {"af_indic_cofinancement": True, "af_id_financeur_code": "CD MEURTHE  MOSELLE"}
    return [
        af(1000, "ACI054220001", af_mt_cofinance=60000.0, **cd),
        af(
            2000,
            "ACI054220002",
            af_date_debut_effet=date(2022, 7, 1),
            af_etp_postes_insertion=4.0,
            af_montant_total_annuel=42814.0,
            af_mt_cofinance=12480.0,
            **cd,
        ),
        af(3000, "ACI054220003"),
        af(
            4000,
            "ACI976220001",
            af_id_structure=113,
            af_mt_cofinance=31200.0,
            af_indic_cofinancement=True,
            af_id_financeur_code="CD MAYOTTE",
        ),
    ]


def structures() -> list[dict[str, Any]]:
    return [
        {"structure_id_siae": 112, "structure_denomination": "CHANTIER DE LONGWY"},
        {"structure_id_siae": 113, "structure_denomination": "CHANTIER DE MAMOUDZOU"},
    ]


def montants() -> list[dict[str, Any]]:
    base = {"rmi_id": 31, "rmi_code": "MT_ME_RSA", "rmi_libelle": "Montant RSA"}
    return [
        {**base, "rme_id": 1, "rmi_valeur": 500.0, "rmi_date_debut_effet": date(2021, 1, 1),
         "rmi_date_fin_effet": date(2022, 3, 31)},
        {**base, "rme_id": 2, "rmi_valeur": 520.0, "rmi_date_debut_effet": date(2022, 4, 1)},
        {**base, "rme_id": 3, "rmi_valeur": 260.0, "rmi_date_debut_effet": date(2020, 1, 1),
         "code_dpt": "976"},
        {"rme_id": 4, "rmi_id": 12, "rmi_code": "MT_AN_ETP_ACI", "rmi_valeur": 21407.0,
         "rmi_date_debut_effet": date(2022, 1, 1), "rmi_date_fin_effet": date(2022, 12, 31)},
    ]  # fmt: skip


#: contract -> contrat_salarie_rsa (17 is absent from the file; 18 has no value)
CONTRATS = {
    11: "OUI-M", 12: "OUI-NM", 13: "NON", 14: "OUI-NM", 15: "OUI-M", 16: "OUI-M", 18: None,
    21: "OUI-M", 22: "OUI-M", 23: "OUI-M", 24: "OUI-M", 25: "OUI-NM", 31: "OUI-M",
}  # fmt: skip


def contrats() -> list[dict[str, Any]]:
    return [
        {"contrat_id_ctr": ctr, "contrat_id_pph": 100 + ctr, "contrat_salarie_rsa": rsa,
         "contrat_mesure_disp_code": "ACI_DC"}
        for ctr, rsa in CONTRATS.items()
    ]  # fmt: skip


def emi(
    dsm: int, af_id: int, mois: int, pph: int, ctr: int, heures: float, etat: str = "VALIDE"
) -> dict[str, Any]:
    return {
        "emi_date_creation": datetime(2022, mois, 28, 9, 0, 0),
        "emi_afi_id": af_id,
        "emi_sme_mois": mois,
        "emi_sme_annee": 2022,
        "emi_esm_etat_code": etat,
        "emi_pph_id": pph,
        "emi_ctr_id": ctr,
        "emi_nb_heures_travail": heures,
        "emi_dsm_id": dsm,
    }


def etats() -> list[dict[str, Any]]:
    rows = [
        emi(1, 1000, 1, 1, 11, 100.0),
        emi(2, 1000, 1, 2, 12, 0.0),
        emi(3, 1000, 1, 3, 13, 151.67),
        emi(4, 1000, 1, 4, 14, 0.5),
        emi(5, 1000, 1, 5, 15, 0.6),
        emi(6, 1000, 1, 5, 16, 0.6),
        emi(7, 1000, 1, 6, 17, 80.0),
        emi(8, 1000, 1, 7, 18, 70.0),
        emi(9, 1000, 2, 1, 11, 100.0, etat="SAISI"),
        emi(10, 1000, 4, 1, 11, 120.0),
        emi(30, 4000, 3, 30, 31, 50.0),
    ]
    rows += [emi(10 + k, 2000, 7, 10 + k, 20 + k, 80.0) for k in range(1, 6)]
    rows += [emi(20 + k, 2000, 8, 10 + k, 20 + k, 80.0) for k in range(1, 5)]
    return rows


def write(directory: Path, vue: str, rows: list[dict[str, Any]], when: datetime = WHEN, **kw):
    directory.mkdir(parents=True, exist_ok=True)
    return write_vue(directory, vue, rows, extract_date=when, **kw)


def tous_les_fichiers(directory: Path) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    return {
        "Structure": write(directory, "Structure", structures()),
        "AnnexeFinanciere": write(directory, "AnnexeFinanciere", annexes()),
        "RefMontantIae": write(directory, "RefMontantIae", montants()),
        "ContratMission": write(directory, "ContratMission", contrats()),
        "EtatMensuelIndiv": write(directory, "EtatMensuelIndiv", etats()),
    }
