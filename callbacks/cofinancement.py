"""Tab "Cofinancement CD": filters -> server scope -> ``etp.cofinancement`` -> cards.

The scope always comes from the session (``context.scope()``); the filter store is browser input,
parsed defensively, and can only narrow what ``etp.cofinancement.charger`` reads inside that
scope. The loaded data is memoized per (scope, filters), after authorization.

The per-AF tables (État / CD split, AFs under the bRSA target) are paginated on the server:
the content callback draws them empty, with their row count, and one callback per table sends
the rows of the page shown, recomputed from the same cached read. Only the monthly table (twelve
rows) travels whole with the cards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import dash
import pandas as pd
from dash import Output
from sqlalchemy import Engine

from callbacks import context
from callbacks.detail import TableParPage, tables_par_page
from etp import catalogue, cofinancement
from etp.exports import Colonne, ExportSheet
from etp.filters import Filtres
from etp.scope import Scope
from layouts import cofinancement as vue
from layouts import components
from layouts import financeurs as vue_financeurs
from layouts.tables import kind_export

TAB_ID = vue.TAB_ID


def donnees(scope: Scope, filtres: Filtres) -> cofinancement.DonneesCofinancement:
    """The co-financed AFs of an already-resolved scope, memoized under a scope-bearing key."""
    return context.cofinancement(scope, filtres)


def contenu(etat: dict[str, Any] | None) -> list:
    """The tab's cards for the request user's scope."""
    filtres = context.filtres_ou_none(etat)
    if filtres is None:
        return [components.invite_annee("le cofinancement", context.scope().is_empty())]
    scope = context.scope()
    ouvrir(scope, filtres)
    return rendu(scope, filtres)


def rendu(scope: Scope, filtres: Filtres) -> list:
    """The cards for a scope already resolved, rendered once per scope, filters and data
    version (``context.vue``)."""
    return context.vue("cofinancement", scope, filtres, lambda: _cartes(scope, filtres))


def ouvrir(scope: Scope, filtres: Filtres) -> None:
    """The tab's cards and the rows of its per-AF tables, computed once across workers
    (``context.onglet``); each of the tab's callbacks calls it before reading its view."""
    context.onglet(TAB_ID, scope, filtres, lambda: _tout_calculer(scope, filtres))


def _tout_calculer(scope: Scope, filtres: Filtres) -> None:
    rendu(scope, filtres)
    for table in TABLES.values():
        table.calculer_lignes(scope, filtres)


def _cartes(scope: Scope, filtres: Filtres) -> list:
    """The cards, computed (:func:`rendu` memoizes them)."""
    d = donnees(scope, filtres)
    if d.par_af.empty:
        return [
            components.empty_state(
                "Aucune annexe financière cofinancée par un conseil départemental ne correspond "
                "aux filtres choisis dans votre périmètre."
            )
        ]
    return vue.cartes(d.annee, d.as_of, d.totaux(), d.serie(), d.par_af, d.afs_sous_cible())


#: The tab's per-AF tables, each paginated on the server.
TABLES: dict[str, TableParPage] = tables_par_page(
    TAB_ID,
    donnees,
    vue.lignes,
    vue_financeurs.LIGNES_PAR_PAGE,  # drawn by layouts.financeurs.table, like the funders'
    [
        (vue.REPARTITION_TABLE, vue.COLONNES_REPARTITION, lambda d: vue.repartition(d.par_af)),
        (vue.SOUS_CIBLE_TABLE, vue.COLONNES_SOUS_CIBLE, lambda d: d.afs_sous_cible()),
    ],
    prealable=ouvrir,
)


def register(app: dash.Dash) -> None:
    app.callback(
        Output(vue.CONTENU, "children"),
        context.selection_onglet(TAB_ID),
        prevent_initial_call=context.PAS_AU_CHARGEMENT,
    )(context.pour_onglet(contenu))
    for t in TABLES.values():
        t.register(app)


# --------------------------------------------------------------------------- exports
# Card id -> (file slug, source(engine, scope, filtres) -> sheets), merged by
# callbacks/export_sources.py. Each source re-runs ``etp.cofinancement.charger`` with the
# server-side scope: the file holds the card's numbers, unrounded.


def _feuille(nom: str, titre: str, frame: pd.DataFrame, colonnes: Sequence[vue.Col]) -> ExportSheet:
    specs = tuple(
        Colonne(c.key, c.titre, kind_export(c.kind), 0 if c.kind == "euros" else None)  # type: ignore[arg-type]
        for c in colonnes
    )
    keys = [c.key for c in colonnes]
    out = frame.reindex(columns=keys) if len(frame) else pd.DataFrame(columns=keys)
    return ExportSheet(nom, titre, out, specs)


#: The selection's totals, titled by the catalogue (``cofinancement.*``).
COLONNES_SYNTHESE = [
    vue.Col(cle, catalogue.titre(f"cofinancement.{cle}"), kind)
    for cle, kind in (
        ("nb_af", "int"),
        ("nb_af_sous_cible", "int"),
        ("montant_total", "euros"),
        ("montant_cd", "euros"),
        ("montant_etat", "euros"),
        ("part_cd", "pct"),
        ("etp_annuel_conventionne", "etp"),
        ("etp_annuel_conventionne_cd", "etp"),
        ("etp_annuel_conventionne_etat", "etp"),
        ("etp_annuel_realise_brsa", "etp"),
    )
]

Construire = Callable[[cofinancement.DonneesCofinancement], ExportSheet]


def _source(construire: Construire) -> Callable[[Engine, Scope, Filtres], list[ExportSheet]]:
    def source(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
        return [construire(cofinancement.charger(engine, scope, filtres))]

    return source


def _synthese(d: cofinancement.DonneesCofinancement) -> ExportSheet:
    totaux = pd.DataFrame([d.totaux()]) if not d.par_af.empty else pd.DataFrame()
    return _feuille("Cofinancement", f"Cofinancement CD {d.annee}", totaux, COLONNES_SYNTHESE)


def _mois(d: cofinancement.DonneesCofinancement) -> ExportSheet:
    serie = d.serie() if not d.par_af.empty else pd.DataFrame()
    return _feuille(
        "Cible bRSA", f"Cible bRSA et salariés bRSA {d.annee}", serie, vue.COLONNES_MOIS
    )


EXPORTS: dict[str, tuple[str, Callable[[Engine, Scope, Filtres], list[ExportSheet]]]] = {
    vue.SYNTHESE: ("cofinancement-cd", _source(_synthese)),
    vue.BRSA: ("cible-brsa", _source(_mois)),
    vue.BRSA_TABLE: ("cible-brsa", _source(_mois)),
    vue.REPARTITION: (
        "repartition-etat-cd",
        _source(
            lambda d: _feuille(
                "Répartition État CD",
                f"Répartition État / CD par annexe {d.annee}",
                d.par_af,
                vue.COLONNES_REPARTITION,
            )
        ),
    ),
    vue.SOUS_CIBLE: (
        "annexes-sous-cible-brsa",
        _source(
            lambda d: _feuille(
                "Sous la cible",
                f"Annexes sous la cible bRSA {d.annee}",
                d.afs_sous_cible(),
                vue.COLONNES_SOUS_CIBLE,
            )
        ),
    ),
}
