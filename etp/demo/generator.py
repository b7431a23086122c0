"""Turn the demo population into real-format fluxIAE files (AnnexeFinanciere, Structure, EMI).

Files are written with :func:`etp.fluxiae.write_vue`, so they are exactly what the importer reads
in production. Same population -> byte-identical files: file names and DEB lines use the data
date, the EMI file is a gzip with a zero mtime, rows come in a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from etp.demo.model import (
    DEBLOQUE,
    VALIDE,
    AnnexeDemo,
    DemoConfig,
    FDIDemo,
    LigneEMI,
    Population,
    StructureDemo,
    _rng,
    build_population,
    montant_unitaire,
)
from etp.demo.places import numero_departement
from etp.fluxiae import (
    VUE_ANNEXE_FINANCIERE,
    VUE_CONTRAT_MISSION,
    VUE_ETAT_MENSUEL_INDIV,
    VUE_REF_MONTANT_IAE,
    VUE_STRUCTURE,
    write_vue,
)
from etp.referentiel import departements

#: ASP ids of the measure codes (ref_mesure_v2), of AF states and of EMI states.
MESURE_IDS = {
    "AI_DC": 1,
    "ACI_DC": 2,
    "EI_DC": 3,
    "ETTI_DC": 4,
    "FDI_DC": 5,
    "EI_MP": 6,
    "ACI_MP": 7,
    "EITI_DC": 8,
}
ETAT_AF_IDS = {
    "BROUILLON": 1,
    "SAISI": 2,
    "VALIDE": 3,
    "PROVISOIRE": 4,
    "HISTORISE": 8,
    "CLOTURE": 9,
}
ETAT_EMI_IDS = {"BROUILLON": 1, "SAISI": 2, "VALIDE": 3, "DEBLOQUE": 4}
DUREE_IDS = {1820.0: 11, 1607.0: 12, 1505.0: 13}
MOTIFS_SORTIE = {
    1: "FIN_CONTRAT",
    2: "EMBAUCHE_CDI_CDD",
    3: "FORMATION",
    4: "DEMISSION",
    5: "RUPTURE_ANTICIPEE",
}
_CATEGORIES = {
    "ACI": (9220, "9220"),
    "AI": (9220, "9220"),
    "EI": (5710, "5710"),
    "ETTI": (5710, "5710"),
    "EITI": (5499, "5499"),
}
_NAF = {"ACI": "8899B", "AI": "7830Z", "EI": "8121Z", "ETTI": "7820Z", "EITI": "5320Z"}
_VOIES = (
    ("RUE", "DE LA GARE"),
    ("AVENUE", "JEAN JAURES"),
    ("RUE", "DES ARTISANS"),
    ("BOULEVARD", "DE LA LIBERTE"),
    ("ZA", "DU MOULIN"),
    ("RUE", "VICTOR HUGO"),
    ("CHEMIN", "DES JARDINS"),
    ("PLACE", "DU MARCHE"),
)
#: Gross hourly wage used for ``emi_mt_salaire_brut`` (about the SMIC of 2024, +2 % a year).
_SALAIRE_HORAIRE_2024 = 11.65


def date_extraction(config: DemoConfig, seconds: int) -> datetime:
    """Extraction timestamps of the three files: the data date, a few seconds apart."""
    return datetime.combine(config.date_donnees.date(), time(7, 30)) + timedelta(seconds=seconds)


def structure_rows(population: Population) -> Iterator[dict[str, Any]]:
    """One ``fluxIAE_Structure`` row per structure; personal-data columns stay empty."""
    for s in population.structures:
        t = s.type_structure
        numero = 1 + (s.id * 7) % 60
        voie, nom_voie = _VOIES[s.id % len(_VOIES)]
        adresse = {
            "numero": str(numero),
            "type_voie": voie,
            "nom_voie": nom_voie,
            "cp": s.commune.code_postal,
            "commune": s.commune.nom.upper(),
            "code_insee": s.commune.code_insee,
        }
        row: dict[str, Any] = {
            "structure_date_creation": s.date_creation,
            "structure_date_modification": datetime(s.annee_numero, 11, 30),
            "structure_id_siae": s.id,
            "structure_siret_signature": s.siret,
            "structure_siret_actualise": s.siret,
            "structure_denomination": s.denomination,
            "structure_categorie_juridique_id": _CATEGORIES[t][0],
            "structure_categorie_juridique_code": _CATEGORIES[t][1],
            "structure_code_naf": "0113Z" if s.maraichage else _NAF[t],
        }
        for kind in ("admin", "gestion"):
            for key, value in adresse.items():
                row[f"structure_adresse_{kind}_{key}"] = value
        yield row


def _numero(departement: str) -> int:
    """A département as a number (Corsica's 2A and 2B as 201 and 202)."""
    return {"2A": 201, "2B": 202}.get(departement) or int(departement)


def _af_row(af: AnnexeDemo, version_index: int) -> dict[str, Any]:
    s = af.structure
    v = af.versions[version_index]
    t = s.type_structure
    d = af.nb_mois()
    montant_total = round(v.etp * af.montant_unitaire * d / 12, 2)
    cofinance = round(montant_total * s.cofinancement, 2) if s.cofinancement else 0.0
    dep_nom = departements()[s.departement][0]
    valide = v.etat in ("VALIDE", "PROVISOIRE", "CLOTURE", "HISTORISE")
    return {
        "af_id_structure": s.id,
        "af_numero_convention": (
            f"{numero_departement(s.departement)} 0101{s.annee_numero % 100:02d} {t} "
            f"{s.ordre_numero:05d}"
        ),
        "af_mesure_dispositif_id": MESURE_IDS[s.mesure],
        "af_mesure_dispositif_code": s.mesure,
        "af_numero_annexe_financiere": s.numero_af,
        "af_numero_avenant_renouvellement": af.renouvellement,
        "af_numero_avenant_modification": v.modification,
        "af_id_annexe_financiere": af.id,
        "af_id_avenant_modification": v.id_avenant,
        "af_date_depot_dde_financement": date(af.annee - 1, 11, 1 + s.id % 28),
        "af_etat_annexe_financiere_id": ETAT_AF_IDS[v.etat],
        "af_etat_annexe_financiere_code": v.etat,
        "af_indicateur_suspension": False,
        "af_indicateur_derogation": False,
        "af_date_debut_effet": af.debut,
        "af_date_fin_effet": af.fin,
        "af_etp_postes_insertion": v.etp,
        "af_duree_heure_annuel_etp_id": DUREE_IDS[af.heures_etp],
        "af_duree_heure_annuel_etp_code": "DUR_AN_ETP",
        "af_duree_heure_annuel_etp_valeur": af.heures_etp,
        "af_montant_unitaire_annuel_id": 40 + (af.annee % 100),
        "af_montant_unitaire_annuel_code": "MT_AN_ETP",
        "af_montant_unitaire_annuel_valeur": af.montant_unitaire,
        "af_montant_total_annuel": montant_total,
        "af_indic_cofinancement": bool(s.cofinancement),
        "af_mt_cofinance": cofinance,
        "af_id_financeur_id": 1000 + _numero(s.departement) if s.cofinancement else None,
        "af_id_financeur_code": f"CD {dep_nom.upper()}" if s.cofinancement else None,
        "af_indic_perimetre_milieu_penitentiaire": s.mesure.endswith("_MP"),
        "af_duree_collective_hebdo": "35:00",
        "af_date_etat_brouillon": v.date_etat - timedelta(days=20),
        "af_date_etat_saisie_termine": v.date_etat - timedelta(days=10),
        "af_date_etat_valide": v.date_etat if valide else None,
        "af_date_etat_cloture": date(af.annee + 1, 6, 30) if v.etat == "CLOTURE" else None,
        "af_date_signature": v.date_etat - timedelta(days=3) if valide else None,
        "af_date_reception_asp": v.date_etat - timedelta(days=1) if valide else None,
    }


def _fdi_row(f: FDIDemo) -> dict[str, Any]:
    s = f.structure
    return {
        "af_id_structure": s.id,
        "af_mesure_dispositif_id": MESURE_IDS["FDI_DC"],
        "af_mesure_dispositif_code": "FDI_DC",
        "af_numero_annexe_financiere": (
            f"FDI{numero_departement(s.departement)}{f.annee % 100:02d}{f.ordre:04d}"
        ),
        "af_numero_avenant_renouvellement": 0,
        "af_numero_avenant_modification": 0,
        "af_id_annexe_financiere": f.id,
        "af_id_avenant_modification": f.id * 10,
        "af_etat_annexe_financiere_id": ETAT_AF_IDS["VALIDE"],
        "af_etat_annexe_financiere_code": "VALIDE",
        "af_indicateur_suspension": False,
        "af_indicateur_derogation": False,
        "af_date_debut_effet": date(f.annee, 4, 1),
        "af_date_fin_effet": date(f.annee, 12, 31),
        "af_indic_cofinancement": False,
        "af_mt_total_aide": 15000.0 + 500 * (s.id % 20),
        "af_indic_perimetre_milieu_penitentiaire": False,
        "af_num_annexe_aci": f"{s.numero_af}A{f.annee - s.annee_numero}",
    }


def annexe_rows(population: Population) -> Iterator[dict[str, Any]]:
    """Every AF version (superseded ones included), a few exact duplicates, and FDI rows."""
    for af in population.annexes:
        for index, version in enumerate(af.versions):
            row = _af_row(af, index)
            yield row
            if version.id_avenant in population.doublons:
                yield dict(row)
    for f in population.fdi:
        yield _fdi_row(f)


def emi_row(ligne: LigneEMI, dsm_id: int) -> dict[str, Any]:
    af = ligne.af
    t = af.structure.type_structure
    salaire = round(ligne.heures * _SALAIRE_HORAIRE_2024 * 1.02 ** (ligne.annee - 2024), 2)
    eiti = t == "EITI"
    validee = ligne.etat in (VALIDE, DEBLOQUE)
    return {
        "emi_date_creation": ligne.creation,
        "emi_date_modification": ligne.validation or ligne.creation,
        "emi_afi_id": af.id,
        "emi_sme_mois": ligne.mois,
        "emi_sme_annee": ligne.annee,
        "emi_esm_etat_id": ETAT_EMI_IDS[ligne.etat],
        "emi_esm_etat_code": ligne.etat,
        "emi_sme_version": ligne.version,
        "emi_date_validation": ligne.validation if validee else None,
        "emi_pph_id": ligne.pph_id,
        "emi_ctr_id": ligne.ctr_id,
        "emi_nb_heures_travail": ligne.heures,
        "emi_nb_mission": ligne.nb_missions,
        "emi_nb_heures_facturees": ligne.heures if ligne.nb_missions else None,
        "emi_mt_salaire_brut": None if eiti else salaire,
        "emi_salarie_tjs_accomp": ligne.date_fin_reelle is None,
        "emi_part_etp": round(ligne.heures * 12 / af.heures_etp, 4),
        "emi_date_fin_reelle": ligne.date_fin_reelle,
        "emi_motif_sortie_id": ligne.motif_sortie,
        "emi_motif_sortie_code": MOTIFS_SORTIE.get(ligne.motif_sortie or 0),
        "emi_dsm_id": dsm_id,
        "emi_dsm_ca_reel": round(ligne.heures * 18.5, 2) if eiti else None,
        "emi_dsm_ca_lisse": round(ligne.heures * 18.0, 2) if eiti else None,
        "emi_dsm_rdv_phy": 1 if eiti else None,
        "emi_dsm_rdv_dis": 0 if eiti else None,
        "emi_dsm_acre": False if eiti else None,
    }


def emi_rows(population: Population) -> Iterator[dict[str, Any]]:
    """EMI rows in a fixed order (month, AF, person); ``emi_dsm_id`` is unique per row."""
    ordre = sorted(population.lignes, key=lambda li: (li.annee, li.mois, li.af.id, li.pph_id))
    for index, ligne in enumerate(ordre):
        yield emi_row(ligne, 30_000_001 + index)


#: The RSA for one person (April 2024) and the share a département pays per bRSA (MT_ME_RSA).
_RSA_AVRIL_2024 = 635.71
_PART_CD_RSA = 0.88


def _rsa(annee: int) -> float:
    """The RSA revalued each 1 April (about +2 % a year in the demo)."""
    return _RSA_AVRIL_2024 * 1.02 ** (annee - 2024)


def montant_rows(population: Population) -> Iterator[dict[str, Any]]:
    """``fluxIAE_RefMontantIae``: MT_ME_RSA changing each 1 April (so during every year), a
    Mayotte amount of its own (``code_dpt`` 976), and other amounts the import sets aside."""
    premiere, _, derniere = population.config.annees
    rme = 7000
    for annee in range(premiere - 1, derniere + 1):
        fin = None if annee == derniere else date(annee + 1, 3, 31)
        for dpt, part in ((None, 1.0), ("976", 0.5)):
            rme += 1
            yield {
                "rme_id": rme,
                "rmi_id": 31 if dpt is None else 32,
                "rmi_code": "MT_ME_RSA",
                "rmi_libelle": "Montant mensuel RSA pris en charge par le département",
                "rmi_valeur": round(_rsa(annee) * _PART_CD_RSA * part, 2),
                "rmi_date_debut_effet": date(annee, 4, 1),
                "rmi_date_fin_effet": fin,
                "code_dpt": dpt,
            }
    for annee in population.config.annees:
        for t in ("ACI", "EI"):
            rme += 1
            yield {
                "rme_id": rme,
                "rmi_id": 40 + (annee % 100),
                "rmi_code": f"MT_AN_ETP_{t}",
                "rmi_libelle": f"Montant annuel de l'aide au poste {t}",
                "rmi_valeur": montant_unitaire(t, annee),
                "rmi_date_debut_effet": date(annee, 1, 1),
                "rmi_date_fin_effet": date(annee, 12, 31),
                "code_dpt": None,
            }


def _situation_rsa(seed: int, ctr_id: int, s: StructureDemo) -> str | None:
    """RSA situation at contract entry: bRSA more often in co-financed ACIs; a few unstated."""
    u = _rng("rsa", seed, ctr_id).random()
    part = 0.5 if s.cofinancement else 0.3 if s.type_structure == "ACI" else 0.15
    if u < 0.03:
        return None
    if u < 0.03 + part * 0.3:
        return "OUI-M"
    if u < 0.03 + part:
        return "OUI-NM"
    return "NON"


def contrat_row(
    seed: int, ctr_id: int, pph_id: int, s: StructureDemo, annee: int, mois: int
) -> dict[str, Any]:
    """One ``fluxIAE_ContratMission`` row: a contract hired in the month of its first EMI row."""
    embauche = date(annee, mois, 1)
    return {
        "contrat_id_pph": pph_id,
        "contrat_id_ctr": ctr_id,
        "contrat_id_structure": s.id,
        "contrat_date_creation": datetime.combine(embauche, time(9)),
        "contrat_mesure_disp_code": s.mesure,
        "contrat_type_contrat": 1,
        "contrat_date_embauche": embauche,
        "contrat_salarie_rsa": _situation_rsa(seed, ctr_id, s),
        "contrat_salarie_rqth": False,
        "contrat_salarie_aah": False,
        "contrat_salarie_oeth": False,
        "contrat_salarie_ass": False,
        "contrat_salarie_is_zrr": False,
    }


def contrat_rows(population: Population) -> Iterator[dict[str, Any]]:
    """``fluxIAE_ContratMission``: one row per contract of the EMI rows (no personal data)."""
    premiers: dict[int, LigneEMI] = {}
    for ligne in population.lignes:
        connu = premiers.get(ligne.ctr_id)
        if connu is None or (ligne.annee, ligne.mois) < (connu.annee, connu.mois):
            premiers[ligne.ctr_id] = ligne
    for ctr_id in sorted(premiers):
        ligne = premiers[ctr_id]
        yield contrat_row(
            population.config.seed,
            ctr_id,
            ligne.pph_id,
            ligne.af.structure,
            ligne.annee,
            ligne.mois,
        )


def write_files(
    population: Population,
    directory: Path,
    emi: Iterable[Sequence[Any]] | None = None,
    contrats: Iterable[Sequence[Any]] | None = None,
) -> list[Path]:
    """Write the five vues into ``directory`` and return their paths (Structure, AF, EMI, then
    ContratMission and RefMontantIae). ``emi`` and ``contrats`` replace the population's own
    monthly and contract rows (the national scale streams its own, in the same columns)."""
    directory.mkdir(parents=True, exist_ok=True)
    config = population.config
    return [
        write_vue(
            directory,
            VUE_STRUCTURE,
            structure_rows(population),
            extract_date=date_extraction(config, 0),
        ),
        write_vue(
            directory,
            VUE_ANNEXE_FINANCIERE,
            annexe_rows(population),
            extract_date=date_extraction(config, 7),
        ),
        write_vue(
            directory,
            VUE_ETAT_MENSUEL_INDIV,
            emi_rows(population) if emi is None else emi,
            compression="gzip",
            extract_date=date_extraction(config, 19),
        ),
        write_vue(
            directory,
            VUE_CONTRAT_MISSION,
            contrat_rows(population) if contrats is None else contrats,
            compression="gzip",
            extract_date=date_extraction(config, 23),
        ),
        write_vue(
            directory,
            VUE_REF_MONTANT_IAE,
            montant_rows(population),
            extract_date=date_extraction(config, 29),
        ),
    ]


def generate_files(config: DemoConfig, directory: Path) -> tuple[Population, list[Path]]:
    """Build the population for ``config`` and write its fluxIAE files into ``directory``."""
    population = build_population(config)
    return population, write_files(population, directory)
