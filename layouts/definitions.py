"""The definitions users read behind every (i) and in the help window (domain.md §4).

Kept as data so that a card, the help modal and the exports can quote the same sentence.
"""

from __future__ import annotations

from etp.pilotage import RETARD_ALERTE, SEUIL_ECART_METHODES

DEFINITIONS: dict[str, tuple[str, str]] = {
    "etp_mensuel_conventionne": (
        "Effectif mensuel conventionné (en ETP)",
        "Nombre d'ETP inscrit sur l'annexe financière (af_etp_postes_insertion), pour chaque mois "
        "couvert au moins un jour par la période de l'annexe ; 0 les autres mois.",
    ),
    "etp_mensuel_realise": (
        "Effectif mensuel réalisé (en ETP)",
        "Pour un mois dont l'état mensuel est validé : somme des heures travaillées × 12 / nombre "
        "d'heures d'un ETP annuel (1 820 ACI, 1 607 AI et ETTI, 1 505 EI et EITI). Un mois non "
        "validé affiche son état, jamais un chiffre.",
    ),
    "etp_mensuel_realise_moyen": (
        "Effectif mensuel réalisé moyen (en ETP)",
        "Moyenne des effectifs mensuels réalisés sur les mois de l'année à la fois conventionnés "
        "et validés, jusqu'à la date des données. Pour un ensemble d'annexes : somme des moyennes.",
    ),
    "taux_realisation_mensuel": (
        "Taux de réalisation mensuel",
        "Effectif mensuel réalisé / effectif mensuel conventionné, sur les mois validés.",
    ),
    "statut_consommation": (
        "Consommation",
        "Sur-consommation quand l'effectif mensuel réalisé moyen dépasse l'effectif mensuel "
        "conventionné, sous-consommation quand il est inférieur, conforme quand ils sont égaux "
        "(valeurs tronquées à 2 décimales). L'écart est donné en ETP et en %. Les ETP réalisés "
        "au-delà du conventionnement ne sont pas financés.",
    ),
    "etp_annuel_conventionne": (
        "Effectif annuel conventionné (en ETP)",
        "Effectif mensuel conventionné × nombre de mois conventionnés dans l'année / 12. C'est "
        "le chiffre que suit l'aide au poste versée sur l'année.",
    ),
    "etp_annuel_realise": (
        "Effectif annuel réalisé (en ETP)",
        "Somme des effectifs mensuels réalisés des mois conventionnés et validés de l'année / 12.",
    ),
    "taux_realisation_annuel": (
        "% de réalisation (annuel)",
        "Effectif annuel réalisé / effectif annuel conventionné. Pour un ensemble d'annexes, "
        "rapport des sommes.",
    ),
    "projection_etp_annuel": (
        "Projection fin d'année (en ETP)",
        "Effectif annuel réalisé + effectif mensuel réalisé moyen × mois conventionnés pas encore "
        "validés / 12. Hypothèse : le rythme moyen observé se maintient jusqu'à la fin de l'année.",
    ),
    "remplissage": (
        "Remplissage des états mensuels",
        "Pour chaque mois, nombre d'annexes conventionnées dont l'état mensuel est "
        "Validé, Débloqué (rouvert pour correction), Saisi (signature en attente), "
        "Brouillon, ou non saisi.",
    ),
    "graphique_mensuel": (
        "Effectif mensuel conventionné et réalisé",
        "Barres : effectif conventionné et effectif réalisé par mois. Ligne : taux de "
        "réalisation (axe de droite). Les mois non validés sont grisés avec "
        "leur état : ils ne valent pas zéro.",
    ),
    "cumul_annuel": (
        "Consommation annuelle cumulée",
        "Effectif annuel réalisé cumulé mois après mois (somme des effectifs mensuels réalisés "
        "validés / 12) comparé à l'enveloppe annuelle conventionnée, avec la projection de fin "
        "d'année.",
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
        "l'aide au poste. Consommé : effectif annuel réalisé des mois validés. Projection : "
        "réalisé + effectif mensuel réalisé moyen × mois conventionnés pas encore validés / 12 ; "
        "une annexe sans mois validé est comptée à son enveloppe. Écart = projection − enveloppe. "
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
        "Projection fin d'année",
        "Linéaire : réalisé + moyenne mensuelle × mois conventionnés non validés / 12. "
        "Saisonnière (si la même annexe existait l'an dernier, avec ses mois validés) : les mois "
        "restants suivent le profil de l'an dernier, multiplié par le rapport réalisé cette "
        "année / réalisé l'an dernier sur les mêmes mois. Les deux sont affichées quand elles "
        f"diffèrent de plus de {SEUIL_ECART_METHODES:.0%}.".replace("%", " %"),
    ),
    "fin_n1": (
        "Année précédente à la même date",
        "Effectif annuel réalisé de l'an dernier avec les mois validés jusqu'au même mois, "
        "comparé à celui de cette année ; annexes rapprochées par numéro (conservé d'une année "
        "sur l'autre). Taux = réalisé / effectif annuel conventionné de l'année.",
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
    # Tab "Cofinancement CD" (issue 15)
    "cofi_repartition": (
        "Répartition État / conseil départemental",
        "Annexes dont le conseil départemental cofinance une part (af_mt_cofinance). Part CD = "
        "cofinancement / aide totale de l'annexe (af_montant_total_annuel). ETP annuels CD = "
        "effectif mensuel conventionné × part CD × mois conventionnés de l'année / 12 ; le reste "
        "est financé par l'État. Une annexe à cheval sur deux années partage ses montants entre "
        "elles au prorata de ses mois conventionnés.",
    ),
    "cofi_brsa": (
        "Cible bRSA et salariés bRSA",
        "Cible d'un mois conventionné = cofinancement CD / nombre de mois conventionnés de "
        "l'annexe / montant mensuel du RSA pris en charge par le département ce mois-là "
        "(MT_ME_RSA, 88 % du RSA). Salariés bRSA : salariés d'un contrat « RSA majoré » ou "
        "« RSA non majoré » ayant travaillé au moins 1 heure dans le mois ; leurs ETP = heures × "
        "12 / heures d'un ETP annuel. Seuls les mois validés comptent ; un mois où seule une "
        "partie des annexes est validée se compare à la cible de ces annexes.",
    ),
    "cofi_sous_cible": (
        "Annexes sous la cible bRSA",
        "Annexes dont les salariés bRSA, additionnés sur les mois conventionnés et validés, "
        "restent en dessous de la somme des cibles de ces mêmes mois ; les plus forts écarts "
        "mensuels moyens d'abord.",
    ),
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
