"""Tab "Effectif mensuel (en ETP)": filters -> scope -> etp -> key figures and charts."""

from __future__ import annotations

from typing import Any

import dash

from callbacks import effectifs
from etp import synthese
from etp.formatting import fmt_ecart, fmt_etp, fmt_mois, fmt_pct, libelle_statut
from layouts import ids, mensuel
from layouts.components import annexes_validees
from layouts.tables import fmt_pct_signe

TAB_ID = "mensuel"


def chiffres(c: synthese.ChiffresMensuels, annee: int) -> mensuel.ChiffresMensuels:
    """The key figures of ``etp.synthese`` in French (the export writes the same values)."""
    if c.dernier_mois_valide is None:
        dernier_mois = "Aucun mois validé"
    else:
        dernier_mois = fmt_mois(annee, c.dernier_mois_valide)
        if c.nb_af_valides_dernier_mois < c.nb_af_dernier_mois:
            dernier_mois += (
                f" ({annexes_validees(c.nb_af_valides_dernier_mois, c.nb_af_dernier_mois)} ; "
                f"conventionné de ces annexes : {fmt_etp(c.etp_mensuel_conventionne_dernier_mois)})"
            )
    ecart = (
        f"Écart : {fmt_ecart(c.ecart_etp)} ETP ({fmt_pct_signe(c.ecart_pct)})"
        if c.ecart_etp is not None and c.ecart_pct is not None
        else "Écart : –"
    )
    return mensuel.ChiffresMensuels(
        conventionne=fmt_etp(c.etp_mensuel_conventionne),
        dernier_realise=fmt_etp(c.etp_mensuel_realise_dernier_mois),
        dernier_mois=dernier_mois,
        moyen=fmt_etp(c.etp_mensuel_realise_moyen),
        taux_moyen=f"{fmt_pct(c.taux_moyen)} du conventionné",
        statut=libelle_statut(c.statut),
        statut_code=c.statut,
        ecart=ecart,
    )


def vue(tb: synthese.TableauDeBord) -> list:
    """The tab's content for a selection's figures."""
    chiffres_fr = chiffres(tb.chiffres_mensuels(), tb.annee)
    return mensuel.contenu(chiffres_fr, tb.serie, tb.annee, tb.notes())


def contenu(etat: dict[str, Any] | None) -> list:
    """The tab's content for the filter store ``etat`` and the request user's scope."""
    return effectifs.contenu(etat, vue)


def register(app: dash.Dash) -> None:
    effectifs.register(app, TAB_ID, ids.MENSUEL_CONTENU, contenu)
