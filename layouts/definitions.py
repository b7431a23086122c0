"""The definitions users read behind every (i) and in the help window.

Figures take their title and definition from the indicator catalogue (:mod:`etp.catalogue`):
a catalogue key is a valid help key, so a new catalogue entry has its (i) and its line in the
help window with nothing else to write. What is a card rather than a figure (a chart, a table)
is described in :data:`CARTES`.
"""

from __future__ import annotations

from etp.catalogue import CATALOGUE, PROJECTION_METHODE
from etp.pilotage import RETARD_ALERTE

#: Cards (charts, tables) that are not one figure of the catalogue.
CARTES: dict[str, tuple[str, str]] = {
    "remplissage": (
        "Remplissage des états mensuels",
        "Pour chaque mois, nombre d'annexes conventionnées dont l'état mensuel est "
        "Validé, Débloqué (rouvert pour correction), Saisi (signature en attente), "
        "Brouillon, ou non saisi.",
    ),
    "graphique_mensuel": (
        "Effectif mensuel conventionné et réalisé",
        "Pour chaque mois, l'effectif réalisé des annexes validées ce mois-là est comparé au "
        "conventionné de ces mêmes annexes (barre pleine) ; le conventionné des annexes pas "
        "encore validées est hachuré au-dessus de la barre du conventionné, jamais sur celle "
        "du réalisé. Ligne : taux de réalisation à périmètre identique (axe de droite). Le "
        "survol dit combien d'annexes sont validées (« 3 annexes sur 9 validées ») ; un mois "
        "non validé ne vaut pas zéro.",
    ),
    "cumul_annuel": (
        "Consommation annuelle cumulée",
        "Effectif annuel réalisé cumulé mois après mois (somme des effectifs mensuels réalisés "
        "validés / 12) comparé à l'enveloppe annuelle conventionnée, avec la projection fin "
        "d'année. " + PROJECTION_METHODE,
    ),
    "detail_mensuel": (
        "Détail de la consommation mensuelle",
        "Une ligne par annexe financière et par mois conventionné : état de l'état mensuel, "
        "heures, ETP réalisés (mois validés seulement), ETP conventionnés et taux.",
    ),
    "detail_annuel": (
        "Détail de la consommation annuelle",
        "Une ligne par annexe financière : effectifs mensuels et annuels conventionnés et "
        "réalisés, statut de consommation et écart, projection et montants (aide au poste). "
        "Trié par écart : les plus fortes sous-consommations d'abord.",
    ),
    # Tab "Synthèse financeur" (issue 6)
    "fin_synthese": (
        "Synthèse territoire",
        "Enveloppe : effectif annuel conventionné (C × mois conventionnés / 12) et, en euros, × "
        "l'aide au poste. Consommé : effectif annuel réalisé des mois validés. "
        + PROJECTION_METHODE
        + " Écart = projection − enveloppe. "
        "Les ETP au-delà du conventionné ne sont pas financés : les crédits non consommés sont "
        "l'enveloppe moins l'aide due, min(projection, enveloppe) × aide au poste.",
    ),
    "fin_repartition": (
        "Répartition par statut",
        "Enveloppe annuelle (en ETP) des annexes en sur-consommation, sous-consommation, "
        "conformes ou sans mois validé, par département ou par type de structure.",
    ),
    "fin_suivi": (
        "Structures à suivre",
        "Annexes classées par écart projeté absolu (projection fin d'année − effectif annuel "
        "conventionné), en ETP ou en euros ; le signe dit le sens. Retard : nombre de mois "
        "conventionnés, avant le mois des données, postérieurs au dernier mois validé ; alerte "
        f"à partir de {RETARD_ALERTE} mois (projection moins fiable).",
    ),
    "fin_courtes": (
        "Annexes de moins de 12 mois",
        "Pour une annexe conventionnée d mois dans l'année, l'effectif mensuel C (la voilure) "
        "dépasse l'effectif annuel C × d / 12 que suit l'aide : la différence C − C × d / 12, "
        "et × l'aide au poste en euros. Poids : part de ces différences dans l'enveloppe "
        "annuelle de la sélection.",
    ),
    "fin_projection": (
        "Projection fin d'année et projection saisonnière",
        PROJECTION_METHODE + " " + CATALOGUE["projection_saisonniere.etp_annuel"].definition,
    ),
    "fin_n1": (
        "Année précédente, mêmes mois",
        "Comparaison à périmètre identique, numéro d'annexe par numéro d'annexe (il est conservé "
        "d'une année sur l'autre) : pour chaque annexe, les mois validés cette année jusqu'au "
        "mois des données qui l'étaient aussi l'an dernier, et ces mêmes mois l'an dernier ; "
        "réalisé = somme des effectifs mensuels réalisés de ces mois / 12. Les totaux sont les "
        "sommes des annexes comparées ; une annexe nouvelle ou sans mois comparable est laissée "
        "de côté et comptée. Une annexe dont l'effectif n'a pas changé affiche une évolution "
        "nulle, quels que soient ses retards de déclaration.",
    ),
    "fin_remplissage": (
        "Remplissage des états mensuels",
        "Pour chaque mois jusqu'au mois des données, part des annexes conventionnées dont l'état "
        "mensuel est validé, débloqué, saisi, brouillon ou non saisi.",
    ),
    "fin_retards": (
        "Annexes en retard de déclaration",
        f"Annexes dont au moins {RETARD_ALERTE} mois conventionnés, avant le mois des données, "
        "suivent le dernier mois validé (aucun mois validé : tous les mois conventionnés passés).",
    ),
}

#: Every help key: the catalogue's figures, then the cards.
DEFINITIONS: dict[str, tuple[str, str]] = {
    **{cle: (i.titre, i.definition) for cle, i in CATALOGUE.items()},
    **CARTES,
}

AVERTISSEMENTS: tuple[str, ...] = (
    "Les deux derniers mois sont en général incomplets : les déclarations arrivent en retard.",
    "Seuls les mois validés comptent dans les effectifs réalisés.",
    "Une annexe de moins de 12 mois a un effectif annuel conventionné inférieur à son effectif "
    "mensuel conventionné : c'est l'annuel que suit l'aide au poste.",
    "Les ETP réalisés au-delà du conventionnement ne sont pas financés.",
)


def titre(key: str) -> str:
    return DEFINITIONS[key][0]
