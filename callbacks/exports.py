"""The "Télécharger les résultats" menus: xlsx and csv built on the server, PNG in the browser.

One pattern-matching callback answers every card's Excel/CSV item: it resolves the scope from
the session, parses the filter store like the cards do, re-runs the card's ``etp`` call
(``callbacks.export_sources``) and sends the bytes to the card's ``dcc.Download``. The browser
sends only which item was clicked and the filter values; a forged card id or format gets
nothing, forged filter values only narrow the scope. The PNG item runs a clientside function
(``assets/export_image.js``) that draws title, unit, filters and data date into the image.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import metadata
from typing import Any
from zoneinfo import ZoneInfo

import dash
import pandas as pd
from dash import MATCH, ClientsideFunction, Input, Output, State, dcc, no_update
from flask import has_request_context

from auth import journal
from auth.scope import describe_current_user
from callbacks import context, export_sources
from etp import queries
from etp.exports import ExportSheet, Perimetre, export_filename, scope_slug, to_csv, to_xlsx
from etp.filters import Filtres
from etp.scope import Scope
from layouts import ids

PARIS = ZoneInfo("Europe/Paris")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv;charset=utf-8",
}
APPLICATION = "Suivi ETP"
SANS_STRUCTURE = pd.DataFrame(
    columns=["structure_id", "structure_denomination", "siret", "numero_annexe_financiere"]
)
FORMATS_SERVEUR = ("xlsx", "csv")


def _version() -> str:
    try:
        return metadata.version("suivi-etp")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return ""


def _scope_label(scope: Scope) -> str:
    label = describe_current_user().get("scope_label") if has_request_context() else None
    return label or scope.label or "Aucun périmètre"


TABLEAU_COMPLET = (
    "Tableaux détaillés",
    "toutes les lignes des filtres ci-dessus ; le filtre et le tri saisis dans l'en-tête "
    "du tableau à l'écran ne s'appliquent pas",
)


def perimetre(
    scope: Scope, filtres: Filtres, sheets: list[ExportSheet], now: datetime | None = None
) -> Perimetre:
    """The "Périmètre" context of a download made now by the request's user."""
    detail = any(s.nom in export_sources.FEUILLES_DETAIL for s in sheets)
    engine = context.engine()
    # names are taken from the scoped result only: a forged id or number is not echoed
    annuel = (
        queries.indicateurs_annuels(engine, scope, filtres)
        if filtres.structure_id is not None or filtres.numero_af
        else SANS_STRUCTURE
    )
    return Perimetre(
        filtres=export_sources.libelles_filtres(filtres, annuel),
        perimetre_utilisateur=_scope_label(scope),
        date_donnees=queries.date_donnees(engine),
        extraction=now or datetime.now(UTC),
        application=APPLICATION,
        version=_version(),
        remarques=(TABLEAU_COMPLET,) if detail else (),
    )


def nom_fichier(slug: str, scope: Scope, filtres: Filtres, ext: str, now: datetime) -> str:
    """``suivi-etp_effectif-mensuel_2026_ddets-35_2026-11-29.xlsx`` (date in Paris)."""
    jour = now.astimezone(PARIS).date()
    return export_filename(slug, filtres.annee, scope_slug(_scope_label(scope)), jour, ext)


def fichier(card_id: Any, fmt: Any, etat: Any) -> dict[str, Any] | None:
    """The ``dcc.Download`` data of one card in one format, or ``None`` when nothing may be
    served (unknown card or format, invalid filters). Plain function: tests call it inside a
    logged-in request context."""
    if not isinstance(card_id, str) or card_id not in export_sources.SOURCES:
        return None
    filtres = context.filtres_ou_none(etat)
    if not isinstance(fmt, str) or fmt not in MIME or filtres is None:
        return None
    scope = context.scope()
    carte = export_sources.SOURCES[card_id]
    sheets = carte.source(context.engine(), scope, filtres)
    return _envoyer(sheets, carte.slug, scope, filtres, fmt)


def _envoyer(
    sheets: list[ExportSheet], slug: str, scope: Scope, filtres: Filtres, fmt: str
) -> dict[str, Any]:
    """The download of ``sheets``: a workbook with its Périmètre sheet, or the first sheet as
    CSV; named after the card, the year, the user's scope and today."""
    now = datetime.now(UTC)
    if fmt == "xlsx":
        content = to_xlsx(sheets, perimetre(scope, filtres, sheets, now))
    else:
        content = to_csv(sheets[0].frame, sheets[0].colonnes)
    name = nom_fichier(slug, scope, filtres, fmt, now)
    if has_request_context():  # who downloaded what, with which filters (audit log)
        journal.enregistrer(
            context.engine(),
            "export",
            journal.acteur_requete(),
            details={
                "carte": slug,
                "format": fmt,
                "filtres": {k: v for k, v in filtres.__dict__.items() if v is not None},
                "fichier": name,
            },
        )
    return dcc.send_bytes(content, name, type=MIME[fmt])


def tout(onglet: Any, etat: Any) -> dict[str, Any] | None:
    """Every card of the tab ``onglet`` in one workbook, one sheet per card, plus Périmètre."""
    filtres = context.filtres_ou_none(etat)
    # browser input: a JSON list or object is unhashable and must not raise a server error
    if not isinstance(onglet, str) or onglet not in export_sources.ONGLETS_SLUGS or filtres is None:
        return None
    scope = context.scope()
    engine = context.engine()
    sheets: list[ExportSheet] = []
    vus: set[tuple[str, str]] = set()
    for card_id in export_sources.cartes_de_l_onglet(onglet):
        for sheet in export_sources.SOURCES[card_id].source(engine, scope, filtres):
            if (sheet.nom, sheet.titre) not in vus:  # a chart and its table share one sheet
                vus.add((sheet.nom, sheet.titre))
                sheets.append(sheet)
    return _envoyer(sheets, export_sources.ONGLETS_SLUGS[onglet], scope, filtres, "xlsx")


def telecharger(n_clicks: int | None, etat: Any) -> Any:
    """Dash entry point of an Excel or CSV item: which card and format come from the id of
    the clicked item; PNG is handled in the browser."""
    declencheur = context.declencheur()
    if not n_clicks or not isinstance(declencheur, dict):
        return no_update
    data = fichier(declencheur.get("card"), declencheur.get("format"), etat)
    return data if data is not None else no_update


def telecharger_tout(n_clicks: int | None, etat: Any, onglet: Any) -> Any:
    if not n_clicks:
        return no_update
    data = tout(onglet, etat)
    return data if data is not None else no_update


def register(app: dash.Dash) -> None:
    for fmt in FORMATS_SERVEUR:
        app.callback(
            Output(ids.download_id(MATCH), "data", allow_duplicate=True),
            Input(ids.export_item_id(MATCH, fmt), "n_clicks"),
            State(ids.FILTRES_ETAT, "data"),
            prevent_initial_call=True,
        )(telecharger)
    app.clientside_callback(
        ClientsideFunction(namespace="suiviEtpExports", function_name="png"),
        Output(ids.download_id(MATCH), "data", allow_duplicate=True),
        Input(ids.export_item_id(MATCH, "png"), "n_clicks"),
        prevent_initial_call=True,
    )
    app.callback(
        Output(ids.EXPORT_TOUT_DOWNLOAD, "data"),
        Input(ids.EXPORT_TOUT, "n_clicks"),
        State(ids.FILTRES_ETAT, "data"),
        State(ids.ONGLETS, "active_tab"),
        prevent_initial_call=True,
    )(telecharger_tout)
