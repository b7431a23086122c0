"""Tab "Synthèse financeur": filters -> server scope -> ``etp.pilotage`` -> cards.

The scope always comes from the session (``context.scope()``); the filter store and the status
checklist are browser input, parsed defensively, and can only narrow what ``etp.pilotage``
reads inside that scope. The loaded data is memoized per (scope, filters), after authorization.

The per-AF tables (structures à suivre, short AFs, projections, N−1, late AFs) are paginated
on the server: the content callback draws them empty and one callback per table sends the rows
of the page shown, recomputed from the same cached read. Only the per-group table of the
synthèse (at most one row per département) travels whole with the cards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
import pandas as pd
from dash import Input, Output
from sqlalchemy import Engine

from callbacks import context, tables
from callbacks.detail import SELECTIONS, TableParPage, page_demandee, tables_par_page
from etp import pilotage
from etp.exports import Colonne, ExportSheet
from etp.filters import Filtres
from etp.formatting import fmt_nombre
from etp.pilotage import colonnes as col
from etp.scope import Scope
from layouts import components
from layouts import financeurs as vue
from layouts.tables import kind_export

TAB_ID = "financeurs"
STATUTS_VALIDES = frozenset(col.STATUTS)


def donnees(scope: Scope, filtres: Filtres) -> pilotage.DonneesPilotage:
    """The funders' data of an already-resolved scope, memoized under a scope-bearing key."""
    return context.pilotage(scope, filtres)


def _avec_groupe(df: pd.DataFrame, cle: str) -> pd.DataFrame:
    return df.rename(columns={cle: "groupe"})


def territoire(scope: Scope, d: pilotage.DonneesPilotage) -> tuple[str, str] | None:
    """How to break the synthèse down, or ``None`` for an SIAE (its own structures only)."""
    if not context.show_territoire(scope):
        return None
    if d.annuel[col.DEPARTEMENT].nunique() > 1:
        return col.DEPARTEMENT_LIBELLE, "département"
    return col.TYPE, "type de structure"


def contenu(etat: dict[str, Any] | None) -> tuple[list, list]:
    """(top cards, bottom cards) for the request user's scope."""
    filtres = context.filtres_ou_none(etat)
    if filtres is None:
        return [components.invite_annee("la synthèse", context.scope().is_empty())], []
    scope = context.scope()
    ouvrir(scope, filtres)
    return rendu(scope, filtres)


def ouvrir(scope: Scope, filtres: Filtres) -> None:
    """The tab as it opens first, computed once across workers (``context.onglet``): its
    cards, « Structures à suivre » with the default statuses and ranking, and the rows of
    each per-AF table. Each of the tab's callbacks calls it before reading its own view."""
    context.onglet(TAB_ID, scope, filtres, lambda: _tout_calculer(scope, filtres))


def _tout_calculer(scope: Scope, filtres: Filtres) -> None:
    rendu(scope, filtres)
    lignes_suivi(scope, filtres, list(vue.SUIVI_STATUTS_DEFAUT), vue.SUIVI_TRI_DEFAUT)
    for table in TABLES.values():
        table.calculer_lignes(scope, filtres)


def rendu(scope: Scope, filtres: Filtres) -> tuple[list, list]:
    """The cards for a scope already resolved (the callback, the login's preload), rendered
    once per scope, filters and data version (``context.vue``)."""
    return context.vue("financeurs", scope, filtres, lambda: _cartes(scope, filtres))


def _cartes(scope: Scope, filtres: Filtres) -> tuple[list, list]:
    """The cards of the funders' data of ``scope`` and ``filtres``, computed (:func:`rendu`
    memoizes them)."""
    return cartes(scope, donnees(scope, filtres))


def cartes(scope: Scope, d: pilotage.DonneesPilotage) -> tuple[list, list]:
    """(top cards, bottom cards) of the funders' data ``d`` read for ``scope``."""
    if d.annuel.empty:
        return [components.empty_state()], []
    total = d.synthese().iloc[0].to_dict()
    repartition = par_groupe = None
    libelle = ""
    decoupage = territoire(scope, d)
    if decoupage is not None:
        cle, libelle = decoupage
        repartition = _avec_groupe(d.repartition_statuts([cle]), cle)
        par_groupe = _avec_groupe(d.synthese([cle]), cle)
    haut = vue.cartes_synthese(d.annee, d.as_of, total, repartition, par_groupe, libelle)
    bas = [
        vue.carte_courtes(d.courtes(), d.afs_courtes()),
        vue.carte_projection(d.projections_totales(), d.projections),
        vue.carte_n1(d.annee, d.comparaison_n1),
        *vue.cartes_remplissage(d.annee, d.remplissage(), d.afs_en_retard()),
    ]
    return haut, bas


def statuts_choisis(valeurs: Any) -> list[str]:
    """The checked statuses, keeping known values only (browser input)."""
    if not isinstance(valeurs, list):
        return []
    return [v for v in valeurs if isinstance(v, str) and v in STATUTS_VALIDES]


def suivi(
    etat: dict[str, Any] | None,
    statuts: Any,
    tri: Any,
    page_current: Any = 0,
    page_size: Any = vue.LIGNES_PAR_PAGE,
) -> tuple[list[dict[str, str]], int, int, str]:
    """One page of "Structures à suivre" (rows, page count, current page) and a summary line."""
    filtres = context.filtres_ou_none(etat)
    if filtres is None:
        return [], 0, 0, "Choisissez une année."
    choisis = statuts_choisis(statuts)
    if not choisis:
        return [], 0, 0, "Cochez au moins un statut de consommation."
    tri = "euros" if tri == "euros" else "etp"
    scope = context.scope()
    ouvrir(scope, filtres)
    t = lignes_suivi(scope, filtres, choisis, tri)
    alertes = int(t["alerte_retard"].sum()) if not t.empty else 0
    resume = (
        f"{components.nb_annexes(len(t))}, par écart projeté absolu décroissant "
        f"({'en euros' if tri == 'euros' else 'en ETP'}) ; {fmt_nombre(alertes)} en retard de "
        f"déclaration (projection moins fiable)."
    )
    page_current = page_demandee(page_current, {*SELECTIONS, vue.SUIVI_STATUTS, vue.SUIVI_TRI})
    p = tables.tranche(t, page_current, page_size, vue.LIGNES_PAR_PAGE, tables.MAX_PAGE_CARTE)
    # the identity columns travel too (not shown): each row keeps its AF number as a key
    data = vue.lignes(p.lignes, [*vue.COLONNES_SUIVI_ECRAN, *vue.IDENT])
    return data, p.page_count, p.page_current, resume


def lignes_suivi(scope: Scope, filtres: Filtres, statuts: list[str], tri: str) -> pd.DataFrame:
    """The ranked rows of « Structures à suivre » for known ``statuts`` and ``tri`` (checked
    by the caller), memoized per scope, filters, statuses and ranking: turning a page reads
    them back."""
    return context.vue(
        f"suivi:{','.join(sorted(statuts))}:{tri}",
        scope,
        filtres,
        lambda: donnees(scope, filtres).structures_a_suivre(statuts=statuts, tri=tri),
    )


#: The per-AF tables of the cards under "Structures à suivre", each paginated on the server.
TABLES: dict[str, TableParPage] = tables_par_page(
    TAB_ID,
    donnees,
    vue.lignes,
    vue.LIGNES_PAR_PAGE,
    [
        (vue.COURTES_TABLE, vue.COLONNES_COURTES, lambda d: d.afs_courtes()),
        (vue.PROJECTION_TABLE, vue.COLONNES_PROJECTION, lambda d: vue.divergentes(d.projections)),
        (vue.N1_TABLE, vue.COLONNES_N1, lambda d: d.comparaison_n1.afs),
        (vue.RETARDS_TABLE, vue.COLONNES_RETARDS, lambda d: d.afs_en_retard()),
    ],
    prealable=ouvrir,
)


def register(app: dash.Dash) -> None:
    app.callback(
        Output(vue.HAUT, "children"),
        Output(vue.BAS, "children"),
        context.selection_onglet(TAB_ID),
        prevent_initial_call=context.PAS_AU_CHARGEMENT,
    )(context.pour_onglet(contenu))
    app.callback(
        Output(vue.SUIVI_TABLE, "data"),
        Output(vue.SUIVI_TABLE, "page_count"),
        Output(vue.SUIVI_TABLE, "page_current"),
        Output(vue.SUIVI_RESUME, "children"),
        context.selection_onglet(TAB_ID),
        Input(vue.SUIVI_STATUTS, "value"),
        Input(vue.SUIVI_TRI, "value"),
        Input(vue.SUIVI_TABLE, "page_current"),
        Input(vue.SUIVI_TABLE, "page_size"),
        prevent_initial_call=context.PAS_AU_CHARGEMENT,
    )(context.pour_onglet(suivi))
    for t in TABLES.values():
        t.register(app)


# --------------------------------------------------------------------------- exports
# Card id -> (file slug, source(engine, scope, filtres) -> sheets), for callbacks/export_sources.py
# to merge into its table. Each source re-runs ``etp.pilotage.charger`` with the server-side
# scope, so a file holds the card's numbers, unrounded. "Structures à suivre" is exported with
# every status (the checklist is a view on the screen only).


def _feuille(nom: str, titre: str, frame: pd.DataFrame, colonnes: list[vue.Col]) -> ExportSheet:
    """One sheet in the screen's columns; statuses and months written as the screen words."""
    out = frame.copy()
    specs = []
    for c in colonnes:
        if c.key not in out.columns:
            out[c.key] = None
        if c.kind == "statut":
            out[c.key] = [vue.FORMATS["statut"](v) for v in out[c.key]]
        elif c.kind == "mois":
            out[c.key] = [None if pd.isna(v) or int(v) == 0 else int(v) for v in out[c.key]]
        elif c.kind == "liste_mois":
            out[c.key] = [vue.FORMATS["liste_mois"](v) for v in out[c.key]]
        kind = kind_export(c.kind)
        specs.append(Colonne(c.key, c.titre, kind, 0 if kind == "euros" else None))  # type: ignore[arg-type]
    return ExportSheet(nom, titre, out[[c.key for c in colonnes]], tuple(specs))


Construire = Callable[[pilotage.DonneesPilotage], ExportSheet]


def _source(construire: Construire) -> Callable[[Engine, Scope, Filtres], list[ExportSheet]]:
    """An export source: ``etp.pilotage.charger`` with the server's scope, then one sheet."""

    def source(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
        return [construire(pilotage.charger(engine, scope, filtres))]

    return source


def _export(
    slug: str,
    nom: str,
    titre: Callable[[pilotage.DonneesPilotage], str],
    frame: Callable[[pilotage.DonneesPilotage], pd.DataFrame],
    colonnes: list[vue.Col],
) -> tuple[str, Callable[[Engine, Scope, Filtres], list[ExportSheet]]]:
    """(slug, source) of a card whose sheet is one ``DonneesPilotage`` frame."""
    return slug, _source(lambda d: _feuille(nom, titre(d), frame(d), colonnes))


def _synthese(d: pilotage.DonneesPilotage) -> ExportSheet:
    colonnes = [c for c in vue.COLONNES_REPARTITION if c.key != "groupe"]
    return _feuille("Synthèse", f"Synthèse territoire {d.annee}", d.synthese(), colonnes)


def _repartition(d: pilotage.DonneesPilotage) -> ExportSheet:
    df = d.synthese([col.DEPARTEMENT_LIBELLE, col.TYPE])
    colonnes = [
        vue.Col(col.DEPARTEMENT_LIBELLE, "Département"),
        vue.Col(col.TYPE, "Type"),
        *[c for c in vue.COLONNES_REPARTITION if c.key != "groupe"],
    ]
    return _feuille("Synthèse par groupe", f"Synthèse {d.annee} par groupe", df, colonnes)


EXPORTS: dict[str, tuple[str, Callable[[Engine, Scope, Filtres], list[ExportSheet]]]] = {
    vue.SYNTHESE: ("synthese-financeur", _source(_synthese)),
    vue.REPARTITION: ("synthese-par-statut", _source(_repartition)),
    vue.REPARTITION_TABLE: ("synthese-par-groupe", _source(_repartition)),
    vue.SUIVI: _export(
        "structures-a-suivre",
        "Structures à suivre",
        lambda d: f"Structures à suivre {d.annee}",
        lambda d: d.structures_a_suivre(statuts=list(col.STATUTS)),
        vue.COLONNES_SUIVI,
    ),
    vue.COURTES: _export(
        "annexes-moins-de-12-mois",
        "Annexes courtes",
        lambda d: f"Annexes de moins de 12 mois {d.annee}",
        lambda d: d.afs_courtes(),
        vue.COLONNES_COURTES,
    ),
    vue.PROJECTION: _export(
        "projection-fin-annee",
        "Projections",
        lambda d: f"Projection fin d'année et projection saisonnière {d.annee}",
        lambda d: d.projections,
        vue.COLONNES_PROJECTION,
    ),
    vue.N1: _export(
        "comparaison-n-1",
        "N et N-1",
        lambda d: f"{d.annee} et {d.annee - 1}, mêmes mois",
        lambda d: d.comparaison_n1.afs,
        vue.COLONNES_N1,
    ),
    vue.REMPLISSAGE: _export(
        "remplissage-financeur",
        "Remplissage financeurs",
        lambda d: f"Remplissage des états mensuels {d.annee}",
        lambda d: d.remplissage(),
        [
            vue.Col("mois", "Mois", "mois"),
            vue.Col("nb_af_conventionnees", "Annexes conventionnées", "int"),
            *[
                vue.Col(f"{p}_{n}", f"{t} ({lib})", k)
                for n, lib in (
                    ("valide", "validé"),
                    ("debloque", "débloqué"),
                    ("saisi", "saisi"),
                    ("brouillon", "brouillon"),
                    ("non_saisi", "non saisi"),
                    ("autre", "autre"),
                )
                for p, t, k in (("nb", "Annexes", "int"), ("part", "Part", "pct"))
            ],
        ],
    ),
    vue.RETARDS: _export(
        "annexes-en-retard",
        "Retards",
        lambda d: f"Annexes en retard de déclaration {d.annee}",
        lambda d: d.afs_en_retard(),
        vue.COLONNES_RETARDS,
    ),
}
