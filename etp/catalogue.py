"""The indicator catalogue: every figure the product shows, declared once.

One :class:`Indicateur` per figure: its key (the dotted key of ``suivi-etp figures``), its
French title (the label on screen and in files), its unit, its display kind (the ``kind`` of
:mod:`etp.formatting` and :class:`etp.exports.Colonne`), one sentence that defines it, and the
one function that computes it (a dotted path, so that this module imports nothing). Screens,
exports, the (i) help texts, the CLI and ``docs/definitions.md`` read titles, formats and
definitions from here: adding an entry is the only step for a figure to appear in the help and
the docs (a test regenerates the docs table and compares).

Keys: ``af.*`` are the figures of one AF × year (``etp.indicators``); the others are figures of
a selection of AFs (:mod:`etp.selection`), nested in ``suivi-etp figures`` by their dots
(``serie.*`` and ``n1.afs.*`` are the fields of each element of those lists).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from etp.regles import RETARD_ALERTE, SEUIL_ECART_METHODES

KINDS: tuple[str, ...] = ("etp", "pct", "euros", "int", "text", "mois", "date", "liste")


@dataclass(frozen=True)
class Indicateur:
    """One figure: ``cle`` (dotted), ``titre`` (French, as on screen), ``unite`` (``ETP``,
    ``%``, ``€``, ``annexes``, ``mois`` or ``""``), ``kind`` (display kind), ``definition``
    (one or two French sentences, shown behind the (i)) and ``fonction`` (``module.name`` of
    the function computing it). ``ecrans`` lists where it is shown (for the docs)."""

    cle: str
    titre: str
    unite: str
    kind: str
    definition: str
    fonction: str
    ecrans: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind inconnu pour {self.cle!r}: {self.kind!r}")

    def calcul(self) -> Callable[..., Any]:
        """The computing function itself (imported on demand)."""
        module, _, nom = self.fonction.rpartition(".")
        return getattr(importlib.import_module(module), nom)


# Screens, as named in the tab bar and the CLI.
MENSUEL = "Effectif mensuel"
ANNUEL = "Effectif annuel"
DETAIL_MENSUEL = "Détail de la consommation mensuelle"
DETAIL_ANNUEL = "Détail de la consommation annuelle"
FINANCEUR = "Synthèse financeur"
COFINANCEMENT = "Cofinancement CD"
FICHE = "Fiche structure"
CLI = "suivi-etp figures"
SIMULATION = "Simulation (bourse aux postes)"
DEMANDE = "Ma demande d'ajustement"
CLI_AF = "suivi-etp indicators"

_SEL = "etp.selection"
_COFI = "etp.cofinancement"

PROJECTION_METHODE = (
    "Projection fin d'année = effectif annuel réalisé + effectif mensuel réalisé moyen × mois "
    "conventionnés pas encore validés / 12, annexe par annexe ; une annexe sans aucun mois "
    "validé est comptée à son effectif annuel conventionné (hypothèse neutre), et le nombre de "
    "ces annexes est affiché."
)

_ENTREES: tuple[Indicateur, ...] = (
    # ------------------------------------------------------------------ selection: totals
    Indicateur(
        "nb_af",
        "Annexes financières",
        "annexes",
        "int",
        "Nombre d'annexes financières comptées ayant au moins un mois conventionné dans l'année, "
        "dans le périmètre de l'utilisateur et les filtres.",
        f"{_SEL}.totaux",
        (MENSUEL, ANNUEL, FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "conventionne.etp_mensuel",
        "Effectif mensuel conventionné",
        "ETP",
        "etp",
        "Nombre d'ETP inscrit sur l'annexe financière (af_etp_postes_insertion), pour chaque mois "
        "couvert au moins un jour par sa période ; pour un ensemble d'annexes, la somme.",
        f"{_SEL}.totaux",
        (MENSUEL, CLI, FICHE),
    ),
    Indicateur(
        "conventionne.etp_annuel",
        "Effectif annuel conventionné",
        "ETP",
        "etp",
        "Effectif mensuel conventionné × nombre de mois conventionnés dans l'année / 12, sommé "
        "sur les annexes : l'enveloppe annuelle, celle que suit l'aide au poste.",
        f"{_SEL}.totaux",
        (ANNUEL, FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "conventionne.montant",
        "Aide au poste conventionnée",
        "€",
        "euros",
        "Effectif annuel conventionné × aide au poste annuelle par ETP de chaque annexe, sommé.",
        f"{_SEL}.totaux",
        (ANNUEL, FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "realise.etp_mensuel_moyen",
        "Effectif mensuel réalisé moyen",
        "ETP",
        "etp",
        "Moyenne des effectifs mensuels réalisés sur les mois de l'année à la fois conventionnés "
        "et validés, jusqu'à la date des données. Pour un ensemble d'annexes : somme des "
        "moyennes des annexes qui ont un mois validé.",
        f"{_SEL}.totaux",
        (MENSUEL, CLI, FICHE),
    ),
    Indicateur(
        "realise.conventionne_compare",
        "Effectif mensuel conventionné des annexes ayant un mois validé",
        "ETP",
        "etp",
        "Somme des effectifs mensuels conventionnés des seules annexes qui ont un mois validé : "
        "ce à quoi la moyenne, l'écart et le statut sont comparés (une annexe sans mois validé "
        "ne dit rien de la consommation).",
        f"{_SEL}.totaux",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "realise.taux_moyen",
        "Réalisé moyen / conventionné",
        "%",
        "pct",
        "Effectif mensuel réalisé moyen / effectif mensuel conventionné des annexes ayant un "
        "mois validé.",
        f"{_SEL}.totaux",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "realise.etp_annuel",
        "Effectif annuel réalisé",
        "ETP",
        "etp",
        "Somme des effectifs mensuels réalisés des mois conventionnés et validés de l'année / 12 "
        "(0 tant qu'aucun mois n'est validé).",
        f"{_SEL}.totaux",
        (ANNUEL, FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "realise.taux",
        "% de réalisation",
        "%",
        "pct",
        "Effectif annuel réalisé / effectif annuel conventionné ; pour un ensemble d'annexes, "
        "rapport des sommes.",
        f"{_SEL}.totaux",
        (ANNUEL, FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "realise.montant",
        "Aide au poste réalisée",
        "€",
        "euros",
        "Effectif annuel réalisé × aide au poste par ETP de chaque annexe, sommé.",
        f"{_SEL}.totaux",
        (ANNUEL, FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "statut_consommation",
        "Consommation",
        "",
        "text",
        "Sur-consommation quand l'effectif mensuel réalisé moyen dépasse l'effectif mensuel "
        "conventionné, sous-consommation quand il est inférieur, conforme quand ils sont égaux "
        "(valeurs tronquées à 2 décimales) ; pour un ensemble, la somme des moyennes face au "
        "conventionné des annexes ayant un mois validé. Les ETP réalisés au-delà du "
        "conventionnement ne sont pas financés.",
        f"{_SEL}.totaux",
        (MENSUEL, DETAIL_ANNUEL, CLI, FICHE),
    ),
    Indicateur(
        "ecart.etp",
        "Écart (ETP)",
        "ETP",
        "etp",
        "Effectif mensuel réalisé moyen − effectif mensuel conventionné, sommé sur les annexes "
        "ayant un mois validé.",
        f"{_SEL}.totaux",
        (MENSUEL, CLI, FICHE),
    ),
    Indicateur(
        "ecart.pct",
        "Écart (%)",
        "%",
        "pct",
        "Écart en ETP / effectif mensuel conventionné des annexes ayant un mois validé.",
        f"{_SEL}.totaux",
        (MENSUEL, CLI),
    ),
    # ------------------------------------------------------------------ projection
    Indicateur(
        "projection.etp_annuel",
        "Projection fin d'année",
        "ETP",
        "etp",
        PROJECTION_METHODE + " La même valeur sur tous les écrans, fichiers et en ligne de "
        "commande.",
        f"{_SEL}.projection_fin_annee",
        (ANNUEL, FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "projection.taux",
        "Projection / conventionné annuel",
        "%",
        "pct",
        "Projection fin d'année / effectif annuel conventionné.",
        f"{_SEL}.projection_fin_annee",
        (ANNUEL, FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "projection.montant",
        "Aide au poste projetée",
        "€",
        "euros",
        "Projection fin d'année × aide au poste par ETP, annexe par annexe, sommée.",
        f"{_SEL}.projection_fin_annee",
        (ANNUEL, FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "projection.methode",
        "Méthode de la projection",
        "",
        "text",
        "La méthode de la projection fin d'année, en toutes lettres.",
        f"{_SEL}.projection_fin_annee",
        (CLI,),
    ),
    Indicateur(
        "projection.nb_af_sans_mois_valide",
        "Annexes sans mois validé (comptées à leur enveloppe)",
        "annexes",
        "int",
        "Annexes de la sélection sans aucun mois validé : la projection les compte à leur "
        "effectif annuel conventionné.",
        f"{_SEL}.projection_fin_annee",
        (ANNUEL, FINANCEUR, CLI),
    ),
    Indicateur(
        "projection.etp_sans_mois_valide",
        "Enveloppe des annexes sans mois validé",
        "ETP",
        "etp",
        "Effectif annuel conventionné des annexes sans mois validé, compté tel quel dans la "
        "projection.",
        f"{_SEL}.projection_fin_annee",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "projection_saisonniere.etp_annuel",
        "Projection saisonnière",
        "ETP",
        "etp",
        "Autre méthode, montrée à côté de la projection fin d'année et jamais sous son nom : "
        "pour une annexe dont le même numéro existait l'an dernier avec ses mois validés, les "
        "mois restants suivent le profil de l'an dernier multiplié par le rapport réalisé cette "
        "année / réalisé l'an dernier sur les mêmes mois ; sommée sur ces annexes seulement. "
        f"Annexes signalées quand les deux méthodes diffèrent de plus de "
        f"{SEUIL_ECART_METHODES:.0%}.".replace("%", "\u00a0%"),
        "etp.pilotage.projection.projections_totales",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "projection_saisonniere.nb_af",
        "Annexes ayant une projection saisonnière",
        "annexes",
        "int",
        "Annexes pour lesquelles la projection saisonnière est calculable.",
        "etp.pilotage.projection.projections_totales",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "projection_saisonniere.etp_annuel_memes_af",
        "Projection fin d'année des mêmes annexes",
        "ETP",
        "etp",
        "Projection fin d'année des seules annexes qui ont une projection saisonnière, pour "
        "comparer les deux méthodes sur les mêmes annexes.",
        "etp.pilotage.projection.projections_totales",
        (FINANCEUR, CLI),
    ),
    # ------------------------------------------------------------------ last validated month
    Indicateur(
        "dernier_mois_valide.mois",
        "Dernier mois validé",
        "mois",
        "mois",
        "Dernier mois, jusqu'à la date des données, validé par les annexes portant la majorité "
        "(plus de la moitié) de l'effectif mensuel conventionné du mois : une annexe en retard "
        "seule ne le fige pas. À défaut, le dernier mois où au moins une annexe est validée.",
        f"{_SEL}.dernier_mois_valide",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "dernier_mois_valide.etp_realise",
        "Effectif mensuel réalisé (dernier mois validé)",
        "ETP",
        "etp",
        "Dernier mois validé : le dernier mois, jusqu'à la date des données, validé par les "
        "annexes portant plus de la moitié de l'effectif mensuel conventionné du mois, pour "
        "qu'une annexe en retard seule ne le fige pas. Son effectif réalisé est celui des "
        "annexes validées ce mois-là, comparé à leur propre conventionné ; le nombre d'annexes "
        "couvertes est affiché (« 7 annexes sur 9 validées »).",
        f"{_SEL}.dernier_mois_valide",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "dernier_mois_valide.etp_conventionne",
        "Conventionné des annexes validées (dernier mois validé)",
        "ETP",
        "etp",
        "Effectif mensuel conventionné des seules annexes validées ce mois-là : ce à quoi le "
        "réalisé du mois se compare.",
        f"{_SEL}.dernier_mois_valide",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "dernier_mois_valide.nb_af_valides",
        "Annexes validées (dernier mois validé)",
        "annexes",
        "int",
        "Annexes conventionnées dont l'état mensuel du dernier mois validé est validé.",
        f"{_SEL}.dernier_mois_valide",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "dernier_mois_valide.nb_af",
        "Annexes conventionnées (dernier mois validé)",
        "annexes",
        "int",
        "Annexes conventionnées le dernier mois validé.",
        f"{_SEL}.dernier_mois_valide",
        (MENSUEL, CLI),
    ),
    # ------------------------------------------------------------------ monthly series
    Indicateur(
        "serie.mois",
        "Mois",
        "mois",
        "mois",
        "Mois de l'année (1 à 12).",
        f"{_SEL}.serie_mensuelle",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "serie.nb_af",
        "Annexes financières conventionnées",
        "annexes",
        "int",
        "Annexes conventionnées ce mois-là.",
        f"{_SEL}.serie_mensuelle",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "serie.nb_af_valides",
        "Annexes validées",
        "annexes",
        "int",
        "Annexes conventionnées dont l'état mensuel du mois est validé (jusqu'à la date des "
        "données) : « 3 annexes sur 9 validées ».",
        f"{_SEL}.serie_mensuelle",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "serie.etp_conventionne",
        "Effectif mensuel conventionné",
        "ETP",
        "etp",
        "Somme des effectifs mensuels conventionnés des annexes conventionnées ce mois-là.",
        f"{_SEL}.serie_mensuelle",
        (MENSUEL, CLI, FICHE),
    ),
    Indicateur(
        "serie.etp_conventionne_valide",
        "Conventionné des annexes validées",
        "ETP",
        "etp",
        "Somme des effectifs mensuels conventionnés des seules annexes validées ce mois-là : "
        "un mois en partie validé compare le réalisé de ces annexes à leur propre conventionné.",
        f"{_SEL}.serie_mensuelle",
        (MENSUEL, CLI),
    ),
    Indicateur(
        "serie.etp_realise",
        "Effectif mensuel réalisé (annexes validées)",
        "ETP",
        "etp",
        "Somme des effectifs mensuels réalisés des annexes validées ce mois-là ; vide quand "
        "aucune ne l'est (un mois non validé ne vaut pas zéro).",
        f"{_SEL}.serie_mensuelle",
        (MENSUEL, CLI, FICHE),
    ),
    Indicateur(
        "serie.taux_realisation",
        "Taux de réalisation mensuel",
        "%",
        "pct",
        "Effectif mensuel réalisé / conventionné des mêmes annexes validées (à périmètre "
        "identique : un retard de déclaration ne se lit ni en sous- ni en sur-consommation).",
        f"{_SEL}.serie_mensuelle",
        (MENSUEL, CLI),
    ),
    # ------------------------------------------------------------------ N−1 like for like
    Indicateur(
        "n1.mois_compares",
        "Mois comparés",
        "mois",
        "liste",
        "Mois comparés avec l'an dernier : pour chaque numéro d'annexe, les mois validés cette "
        "année jusqu'au mois des données qui l'étaient aussi l'an dernier ; la liste réunit ceux "
        "de toutes les annexes comparées.",
        f"{_SEL}.comparaison_n1",
        (FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "n1.nb_af_comparees",
        "Annexes comparées",
        "annexes",
        "int",
        "Numéros d'annexe ayant au moins un mois comparable dans les deux années.",
        f"{_SEL}.comparaison_n1",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "n1.nb_af_exclues",
        "Annexes laissées de côté",
        "annexes",
        "int",
        "Numéros d'annexe de cette année sans aucun mois comparable (nouvelle annexe, ou aucun "
        "mois validé dans les deux années).",
        f"{_SEL}.comparaison_n1",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "n1.realise_n",
        "Réalisé N sur les mois comparés",
        "ETP",
        "etp",
        "Somme, sur les annexes comparées, des effectifs mensuels réalisés de cette année sur "
        "leurs mois comparés / 12.",
        f"{_SEL}.comparaison_n1",
        (FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "n1.realise_n1",
        "Réalisé N−1 sur les mêmes mois",
        "ETP",
        "etp",
        "La même somme pour l'an dernier, sur les mêmes mois des mêmes numéros d'annexe.",
        f"{_SEL}.comparaison_n1",
        (FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "n1.evolution_etp",
        "Évolution (ETP)",
        "ETP",
        "etp",
        "Réalisé N − réalisé N−1 sur les mêmes mois : 0 pour une annexe dont l'effectif n'a pas "
        "changé, quels que soient ses retards de déclaration.",
        f"{_SEL}.comparaison_n1",
        (FINANCEUR, CLI, FICHE),
    ),
    Indicateur(
        "n1.evolution_pct",
        "Évolution (%)",
        "%",
        "pct",
        "Évolution en ETP / réalisé N−1 sur les mêmes mois.",
        f"{_SEL}.comparaison_n1",
        (FINANCEUR, CLI, FICHE),
    ),
    # ------------------------------------------------------------------ AFs < 12 months
    Indicateur(
        "courtes.nb_af",
        "Annexes de moins de 12 mois",
        "annexes",
        "int",
        "Annexes conventionnées moins de 12 mois dans l'année.",
        f"{_SEL}.courtes",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "courtes.etp_mensuel_conventionne",
        "Mensuel conventionné des annexes courtes",
        "ETP",
        "etp",
        "Somme des effectifs mensuels conventionnés (la voilure) des annexes de moins de 12 mois.",
        f"{_SEL}.courtes",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "courtes.etp_annuel_conventionne",
        "Annuel conventionné des annexes courtes",
        "ETP",
        "etp",
        "Somme de leurs effectifs annuels conventionnés (C × d / 12), que suit l'aide.",
        f"{_SEL}.courtes",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "courtes.montant",
        "Aide au poste conventionnée des annexes courtes",
        "€",
        "euros",
        "Effectif annuel conventionné × aide au poste des annexes de moins de 12 mois, sommé.",
        f"{_SEL}.courtes",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "courtes.difference_etp",
        "Différence mensuel − annuel (ETP)",
        "ETP",
        "etp",
        "C − C × d / 12 sommé sur les annexes de moins de 12 mois.",
        f"{_SEL}.courtes",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "courtes.difference_euros",
        "Différence mensuel − annuel (€)",
        "€",
        "euros",
        "La différence en ETP × aide au poste, sommée.",
        f"{_SEL}.courtes",
        (FINANCEUR, CLI),
    ),
    # ------------------------------------------------------------------ funders' synthesis
    Indicateur(
        "financeur.ecart_projection_etp",
        "Écart projeté",
        "ETP",
        "etp",
        "Projection fin d'année − effectif annuel conventionné (0 pour une annexe sans mois "
        "validé, comptée à son enveloppe).",
        "etp.pilotage.synthese.synthese",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "financeur.credits_non_consommes",
        "Crédits non consommés projetés",
        "€",
        "euros",
        "Enveloppe en euros − aide due, min(projection, enveloppe) × aide au poste par annexe "
        "(les ETP au-delà du conventionné ne sont pas financés).",
        "etp.pilotage.synthese.synthese",
        (FINANCEUR, CLI),
    ),
    Indicateur(
        "financeur.nb_af_en_retard",
        f"Annexes en retard de {RETARD_ALERTE} mois ou plus",
        "annexes",
        "int",
        f"Annexes dont au moins {RETARD_ALERTE} mois conventionnés, avant le mois des données, "
        "suivent le dernier mois validé.",
        "etp.pilotage.remplissage.afs_en_retard",
        (FINANCEUR, CLI),
    ),
    # ------------------------------------------------------------------ bourse aux postes
    Indicateur(
        "bourse.etp_annuel_conventionne_apres",
        "Effectif annuel conventionné après ajustement",
        "ETP",
        "etp",
        "C × mois conventionnés / 12 + ajustement (ETP mensuels) × mois conventionnés de "
        "l'annexe restant dans l'année à partir du mois choisi / 12.",
        "etp.bourse.effet",
        (SIMULATION, DEMANDE),
    ),
    Indicateur(
        "bourse.delta_euros",
        "Variation de l'aide au poste",
        "€",
        "euros",
        "Variation de l'effectif annuel conventionné × aide au poste annuelle par ETP de "
        "l'annexe elle-même.",
        "etp.bourse.effet",
        (SIMULATION, DEMANDE),
    ),
    Indicateur(
        "bourse.taux_projete_apres",
        "Taux projeté après ajustement",
        "%",
        "pct",
        "Projection fin d'année de l'annexe / effectif annuel conventionné après ajustement "
        "(une annexe sans mois validé reste comptée à son enveloppe, donc à 100 %).",
        "etp.bourse.effet",
        (SIMULATION,),
    ),
    Indicateur(
        "bourse.statut_projete_apres",
        "Statut projeté après ajustement",
        "",
        "text",
        "Projection fin d'année comparée à l'effectif annuel conventionné après ajustement, "
        "tous deux tronqués à 2 décimales : sur-consommation, conforme ou sous-consommation.",
        "etp.bourse.effet",
        (SIMULATION,),
    ),
    Indicateur(
        "bourse.suggestion_etp",
        "Ajustement suggéré",
        "ETP",
        "etp",
        "(Projection fin d'année − effectif annuel conventionné) × 12 / mois conventionnés "
        "restants après le mois des données, tronqué au centième, jamais sous −C : rend un "
        "surplus projeté, demande un besoin projeté ; aucun sans mois validé.",
        "etp.bourse.suggestion",
        (SIMULATION,),
    ),
    Indicateur(
        "bourse.solde_euros",
        "Solde du scénario",
        "€",
        "euros",
        "Somme des variations d'aide au poste des annexes ajustées : le scénario reste dans "
        "l'enveloppe quand ce solde n'est pas positif.",
        "etp.bourse.bilan",
        (SIMULATION,),
    ),
    Indicateur(
        "bourse.enveloppe_euros_apres",
        "Enveloppe après ajustements",
        "€",
        "euros",
        "Aide au poste conventionnée du périmètre + solde du scénario.",
        "etp.bourse.bilan",
        (SIMULATION,),
    ),
    # ------------------------------------------------------------------ one structure's page
    Indicateur(
        "remplissage.part_valide",
        "Taux de remplissage des états mensuels",
        "%",
        "pct",
        "Pour chaque mois jusqu'au mois des données : part des annexes conventionnées ce mois-là "
        "dont l'état mensuel est validé (les autres sont débloquées, saisies, en brouillon ou "
        "non saisies).",
        "etp.pilotage.remplissage.remplissage",
        (FICHE, CLI),
    ),
    Indicateur(
        "retard.mois_en_retard",
        "Retard de déclaration",
        "mois",
        "int",
        f"Pour une annexe en retard de {RETARD_ALERTE} mois ou plus : nombre de mois "
        "conventionnés de l'année, avant le mois des données, qui suivent son dernier mois "
        "validé.",
        "etp.pilotage.remplissage.afs_en_retard",
        (FICHE, CLI),
    ),
    # ------------------------------------------------------------------ one AF × year
    Indicateur(
        "af.etp_mensuel_conventionne",
        "Effectif mensuel conventionné",
        "ETP",
        "etp",
        "af_etp_postes_insertion pour chaque mois couvert au moins un jour par la période de "
        "l'annexe, 0 les autres mois.",
        "etp.indicators.indicateurs_annee",
        (DETAIL_MENSUEL, DETAIL_ANNUEL, CLI_AF),
    ),
    Indicateur(
        "af.etp_mensuel_realise",
        "Effectif mensuel réalisé",
        "ETP",
        "etp",
        "Pour un mois validé : heures travaillées × 12 / heures d'un ETP annuel (1 820 ACI, "
        "1 607 AI et ETTI, 1 505 EI et EITI) ; un mois non validé affiche son état, jamais un "
        "chiffre.",
        "etp.indicators.indicateurs_annee",
        (DETAIL_MENSUEL, CLI_AF),
    ),
    Indicateur(
        "af.taux_realisation_mensuel",
        "Taux de réalisation mensuel",
        "%",
        "pct",
        "Effectif mensuel réalisé / effectif mensuel conventionné, sur les mois validés.",
        "etp.indicators.indicateurs_annee",
        (DETAIL_MENSUEL,),
    ),
    Indicateur(
        "af.etp_mensuel_realise_moyen",
        "Effectif mensuel réalisé moyen",
        "ETP",
        "etp",
        "Moyenne des effectifs mensuels réalisés des mois conventionnés et validés, jusqu'à la "
        "date des données.",
        "etp.indicators.indicateurs_annee",
        (DETAIL_ANNUEL, CLI_AF),
    ),
    Indicateur(
        "af.etp_annuel_conventionne",
        "Effectif annuel conventionné",
        "ETP",
        "etp",
        "C × mois conventionnés dans l'année / 12.",
        "etp.indicators.indicateurs_annee",
        (DETAIL_ANNUEL, CLI_AF),
    ),
    Indicateur(
        "af.etp_annuel_realise",
        "Effectif annuel réalisé",
        "ETP",
        "etp",
        "Somme des effectifs mensuels réalisés des mois conventionnés et validés / 12.",
        "etp.indicators.indicateurs_annee",
        (DETAIL_ANNUEL, CLI_AF),
    ),
    Indicateur(
        "af.taux_realisation_annuel",
        "% de réalisation",
        "%",
        "pct",
        "Effectif annuel réalisé / effectif annuel conventionné.",
        "etp.indicators.indicateurs_annee",
        (DETAIL_ANNUEL, CLI_AF),
    ),
    Indicateur(
        "af.projection_etp_annuel",
        "Projection fin d'année",
        "ETP",
        "etp",
        "Effectif annuel réalisé + effectif mensuel réalisé moyen × mois conventionnés pas "
        "encore validés / 12 ; sans mois validé, vide ici et comptée à son enveloppe dans la "
        "projection d'un ensemble d'annexes.",
        "etp.indicators.indicateurs_annee",
        (DETAIL_ANNUEL, FINANCEUR, CLI_AF),
    ),
)

# ---------------------------------------------------------------------- co-financing (issue 15)
_CD = (COFINANCEMENT, CLI)
_COFINANCEMENT: tuple[Indicateur, ...] = (
    Indicateur(
        "cofinancement.nb_af",
        "Annexes cofinancées",
        "annexes",
        "int",
        "Annexes financières comptées de l'année dont un conseil départemental cofinance une "
        "part (af_mt_cofinance > 0), dans le périmètre de l'utilisateur et les filtres.",
        f"{_COFI}.totaux",
        _CD,
    ),
    Indicateur(
        "cofinancement.montant_total",
        "Aide totale des annexes cofinancées",
        "€",
        "euros",
        "Somme des montants totaux annuels des annexes cofinancées (af_montant_total_annuel) ; "
        "une annexe à cheval sur deux années est partagée entre elles au prorata de ses mois "
        "conventionnés.",
        f"{_COFI}.totaux",
        _CD,
    ),
    Indicateur(
        "cofinancement.montant_cd",
        "Part du conseil départemental",
        "€",
        "euros",
        "Somme des cofinancements des conseils départementaux (af_mt_cofinance), au prorata "
        "des mois conventionnés de l'année pour une annexe à cheval sur deux années.",
        f"{_COFI}.totaux",
        _CD,
    ),
    Indicateur(
        "cofinancement.montant_etat",
        "Part de l'État",
        "€",
        "euros",
        "Aide totale des annexes cofinancées moins la part du conseil départemental.",
        f"{_COFI}.totaux",
        _CD,
    ),
    Indicateur(
        "cofinancement.part_cd",
        "Part CD",
        "%",
        "pct",
        "Part du conseil départemental / aide totale : pour une annexe, af_mt_cofinance / "
        "af_montant_total_annuel (0 si le total est nul) ; pour un ensemble, rapport des sommes.",
        f"{_COFI}.part_cd",
        _CD,
    ),
    Indicateur(
        "cofinancement.etp_annuel_conventionne",
        "Effectif annuel conventionné des annexes cofinancées",
        "ETP",
        "etp",
        "Effectif mensuel conventionné × mois conventionnés dans l'année / 12, sommé sur les "
        "annexes cofinancées.",
        f"{_COFI}.totaux",
        _CD,
    ),
    Indicateur(
        "cofinancement.etp_annuel_conventionne_cd",
        "ETP annuels cofinancés par le CD",
        "ETP",
        "etp",
        "Effectif mensuel conventionné × part CD × mois conventionnés dans l'année / 12, sommé.",
        f"{_COFI}.totaux",
        _CD,
    ),
    Indicateur(
        "cofinancement.etp_annuel_conventionne_etat",
        "ETP annuels financés par l'État",
        "ETP",
        "etp",
        "Effectif mensuel conventionné × (1 − part CD) × mois conventionnés dans l'année / 12, "
        "sommé : le reste de l'effectif annuel conventionné.",
        f"{_COFI}.totaux",
        _CD,
    ),
    Indicateur(
        "cofinancement.etp_annuel_realise_brsa",
        "Effectif annuel réalisé bRSA",
        "ETP",
        "etp",
        "Somme, sur les mois conventionnés et validés, des ETP des salariés bRSA (heures × 12 / "
        "heures d'un ETP annuel) / 12.",
        f"{_COFI}.totaux",
        _CD,
    ),
    Indicateur(
        "cofinancement.nb_af_sous_cible",
        "Annexes sous la cible bRSA",
        "annexes",
        "int",
        "Annexes dont les salariés bRSA, additionnés sur les mois conventionnés et validés, "
        "restent sous la somme des cibles de ces mêmes mois.",
        f"{_COFI}.totaux",
        _CD,
    ),
    Indicateur(
        "cofinancement.serie.mois",
        "Mois",
        "mois",
        "mois",
        "Mois de l'année (1 à 12).",
        f"{_COFI}.serie",
        _CD,
    ),
    Indicateur(
        "cofinancement.serie.nb_af",
        "Annexes cofinancées conventionnées",
        "annexes",
        "int",
        "Annexes cofinancées dont la période couvre au moins un jour du mois.",
        f"{_COFI}.serie",
        _CD,
    ),
    Indicateur(
        "cofinancement.serie.nb_af_valides",
        "Annexes cofinancées validées",
        "annexes",
        "int",
        "Annexes cofinancées conventionnées dont l'état mensuel du mois est validé (jusqu'au "
        "mois de référence).",
        f"{_COFI}.serie",
        _CD,
    ),
    Indicateur(
        "cofinancement.serie.brsa_cible",
        "Cible bRSA",
        "",
        "etp",
        "Somme, sur les annexes conventionnées du mois, de af_mt_cofinance / nombre de mois "
        "conventionnés de l'annexe / montant mensuel du RSA pris en charge par le département "
        "(MT_ME_RSA) de ce mois ; aucune cible hors des mois de l'annexe.",
        f"{_COFI}.serie",
        _CD,
    ),
    Indicateur(
        "cofinancement.serie.brsa_cible_valide",
        "Cible bRSA des annexes validées",
        "",
        "etp",
        "La cible bRSA des seules annexes validées ce mois-là : ce à quoi se comparent les "
        "salariés bRSA (null si aucune annexe n'est validée).",
        f"{_COFI}.serie",
        _CD,
    ),
    Indicateur(
        "cofinancement.serie.nb_salaries_brsa",
        "Salariés bRSA",
        "",
        "int",
        "Salariés d'un contrat « RSA majoré » ou « RSA non majoré » (contrat_salarie_rsa OUI-M "
        "ou OUI-NM) ayant travaillé au moins 1 heure dans le mois, dans les annexes validées ce "
        "mois-là (null si aucune ne l'est).",
        f"{_COFI}.serie",
        _CD,
    ),
    Indicateur(
        "cofinancement.serie.etp_realise_brsa",
        "ETP réalisés bRSA",
        "ETP",
        "etp",
        "Heures de ces salariés bRSA × 12 / heures d'un ETP annuel, dans les annexes validées ce "
        "mois-là (null si aucune ne l'est).",
        f"{_COFI}.serie",
        _CD,
    ),
)

CATALOGUE: dict[str, Indicateur] = {i.cle: i for i in (*_ENTREES, *_COFINANCEMENT)}
if len(CATALOGUE) != len(_ENTREES) + len(
    _COFINANCEMENT
):  # pragma: no cover - a duplicate key is a coding error
    raise RuntimeError("clé en double dans le catalogue des indicateurs")


def indicateur(cle: str) -> Indicateur:
    """The catalogue entry of ``cle`` (``KeyError`` naming the key when unknown)."""
    try:
        return CATALOGUE[cle]
    except KeyError:
        raise KeyError(f"indicateur inconnu du catalogue : {cle!r}") from None


def titre(cle: str) -> str:
    return indicateur(cle).titre


def entete(cle: str) -> str:
    """The title of ``cle`` as a table or file column header: with its unit when it is ETP or
    euros ("Effectif annuel conventionné (ETP)"), unless the title already names it."""
    i = indicateur(cle)
    unite = f"({i.unite})" if i.unite in ("ETP", "€") else ""
    return f"{i.titre} {unite}" if unite and not i.titre.endswith(unite) else i.titre


def aide(cle: str) -> tuple[str, str]:
    """(title, definition) of ``cle``, as the (i) of a card shows them."""
    i = indicateur(cle)
    return i.titre, i.definition


def table_markdown(entrees: Iterable[Indicateur] | None = None) -> str:
    """The table "libellé à l'écran → clé du catalogue → fonction" of ``docs/definitions.md``."""
    lignes = [
        "| libellé à l'écran | clé du catalogue | unité | fonction | où | définition |",
        "|---|---|---|---|---|---|",
    ]
    for i in entrees if entrees is not None else CATALOGUE.values():
        ou = ", ".join(i.ecrans)
        unite = i.unite or "–"
        definition = i.definition.replace("|", "\\|")
        lignes.append(f"| {i.titre} | `{i.cle}` | {unite} | `{i.fonction}` | {ou} | {definition} |")
    return "\n".join(lignes) + "\n"


DEBUT_TABLE = "<!-- table générée depuis etp/catalogue.py : ne pas modifier à la main -->"
FIN_TABLE = "<!-- fin de la table générée -->"


def avec_table(texte: str) -> str:
    """``texte`` (docs/definitions.md) with the generated table between its two markers."""
    debut = texte.index(DEBUT_TABLE) + len(DEBUT_TABLE)
    fin = texte.index(FIN_TABLE)
    return texte[:debut] + "\n" + table_markdown() + texte[fin:]


if __name__ == "__main__":  # python -m etp.catalogue docs/definitions.md
    import sys
    from pathlib import Path

    chemin = Path(sys.argv[1])
    chemin.write_text(avec_table(chemin.read_text(encoding="utf-8")), encoding="utf-8")
