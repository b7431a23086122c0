"""Tab "Effectif annuel (en ETP)": filters -> scope -> etp -> key figures, cumulative chart."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd

from callbacks import effectifs
from etp import synthese
from etp.formatting import fmt_etp, fmt_euros, fmt_pct
from etp.selection import Totaux
from layouts import annuel, ids
from layouts.components import nb_annexes

TAB_ID = "annuel"


def chiffres(t: Totaux, dernier_mois: int | None, cumul: pd.DataFrame) -> annuel.ChiffresAnnuels:
    """The selection's totals (``etp.selection``) in French, and the raw values the chart
    draws; ``dernier_mois`` is the last month with a validated AF."""
    projection_detail = (
        f"{fmt_pct(t.taux_projection_annuel)} du conventionné annuel"
        if t.taux_projection_annuel is not None
        else "Projection impossible"
    )
    if t.nb_af_sans_mois_valide:
        projection_detail += (
            f" ; dont {nb_annexes(t.nb_af_sans_mois_valide)} sans mois validé, "
            f"comptée{'s' if t.nb_af_sans_mois_valide >= 2 else ''} à "
            f"{'leur' if t.nb_af_sans_mois_valide >= 2 else 'son'} enveloppe "
            f"({fmt_etp(t.etp_sans_mois_valide)} ETP)"
        )
    montants = (
        f"Aide au poste : {fmt_euros(t.montant_annuel_conventionne, 0)} conventionnés, "
        f"{fmt_euros(t.montant_annuel_realise, 0)} réalisés, "
        f"{fmt_euros(t.montant_annuel_projete, 0)} projetés en fin d'année."
    )
    return annuel.ChiffresAnnuels(
        conventionne=fmt_etp(t.etp_annuel_conventionne),
        realise=fmt_etp(t.etp_annuel_realise),
        taux=fmt_pct(t.taux_realisation_annuel),
        projection=fmt_etp(t.projection_etp_annuel),
        projection_detail=projection_detail,
        montants=montants,
        enveloppe=t.etp_annuel_conventionne,
        projection_valeur=t.projection_etp_annuel,
        dernier_mois=dernier_mois,
        cumul=cumul,
    )


def vue(tb: synthese.TableauDeBord) -> list:
    """The tab's content for a selection's figures."""
    vue = chiffres(tb.totaux, tb.dernier_mois_realise(), tb.cumul())
    return annuel.contenu(vue, tb.annee, tb.notes())


def contenu(etat: dict[str, Any] | None) -> list:
    """The tab's content for the filter store ``etat`` and the request user's scope."""
    return effectifs.contenu(etat, vue)


def register(app: dash.Dash) -> None:
    effectifs.register(app, TAB_ID, ids.ANNUEL_CONTENU, contenu)
