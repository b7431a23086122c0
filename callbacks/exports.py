"""The "Télécharger les résultats" menus and "Tout télécharger": files built on the server.

One pattern-matching callback per format answers every card's Excel, CSV and image items: it
resolves the scope from the session, parses the filter store like the cards do, re-runs the
card's ``etp`` call (``callbacks.export_sources``) and sends the bytes to the card's
``dcc.Download``. A detail table's file holds the rows its on-screen column filters and sort
select (the DataTable's ``filter_query`` / ``sort_by``, parsed and bounded like the screen's
pages), and its "Périmètre" sheet says so. The image of a key-figure card or a table is drawn
here (``etp.exports.image``); a chart's image is drawn in the browser from the chart itself by
a clientside function (``assets/export_image.js``). The browser sends only which item was
clicked, the filter values and the tables' filters: a forged card id or format gets nothing,
forged filter values only narrow the scope. File names name the selection:
``suivi-etp_effectif-annuel_2026_espaces-verts-saint-malo_2026-12-01.xlsx``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from callbacks.export_sources import TableauEcran
from etp import queries
from etp.exports import (
    ExportSheet,
    Perimetre,
    export_filename,
    scope_slug,
    selection_slug,
    to_csv,
    to_xlsx,
)
from etp.exports import image as images
from etp.filters import Filtres
from etp.scope import Scope
from layouts import ids

PARIS = ZoneInfo("Europe/Paris")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv;charset=utf-8",
    "image": "image/png",
}
#: The file extension of each format of the menus ("image" is a PNG drawn on the server).
EXTENSIONS = {"xlsx": "xlsx", "csv": "csv", "image": "png"}
APPLICATION = "Suivi ETP"
SANS_STRUCTURE = pd.DataFrame(
    columns=["structure_id", "structure_denomination", "siret", "numero_annexe_financiere"]
)
FORMATS_SERVEUR = ("xlsx", "csv", "image")


def _version() -> str:
    try:
        return metadata.version("suivi-etp")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return ""


def _scope_label(scope: Scope) -> str:
    label = describe_current_user().get("scope_label") if has_request_context() else None
    return label or scope.label or "Aucun périmètre"


def _annuel_selection(scope: Scope, filtres: Filtres) -> pd.DataFrame:
    """The selection's AFs, read only when a structure or an AF is chosen (to name them):
    the tabs' own cached, scoped read."""
    if filtres.structure_id is None and not filtres.numero_af:
        return SANS_STRUCTURE
    return context.annuels(scope, filtres)


def perimetre(
    scope: Scope,
    filtres: Filtres,
    sheets: list[ExportSheet],
    now: datetime | None = None,
    remarques: Sequence[tuple[str, str]] = (),
) -> Perimetre:
    """The "Périmètre" context of a download made now by the request's user."""
    engine = context.engine()
    # names are taken from the scoped result only: a forged id or number is not echoed
    annuel = _annuel_selection(scope, filtres)
    return Perimetre(
        filtres=export_sources.libelles_filtres(filtres, annuel),
        perimetre_utilisateur=_scope_label(scope),
        date_donnees=queries.date_donnees(engine),
        extraction=now or datetime.now(UTC),
        application=APPLICATION,
        version=_version(),
        remarques=tuple(remarques),
    )


def selection(scope: Scope, filtres: Filtres) -> str:
    """The selection as a file name says it (``espaces-verts-saint-malo``, ``aci-35-ille-et-
    vilaine``), or the user's scope (``ddets-35``) when only the year is chosen."""
    annuel = _annuel_selection(scope, filtres)
    annee = (
        context.annuels(scope, Filtres(annee=filtres.annee))
        if filtres.structure_id is not None and not filtres.numero_af
        else SANS_STRUCTURE
    )
    parties = export_sources.parties_selection(filtres, annuel, annee)
    return selection_slug(parties, scope_slug(_scope_label(scope)))


def nom_fichier(slug: str, scope: Scope, filtres: Filtres, ext: str, now: datetime) -> str:
    """``suivi-etp_effectif-annuel_2026_espaces-verts-saint-malo_2026-12-01.xlsx`` (the card,
    the year, the selection, the day in Paris)."""
    jour = now.astimezone(PARIS).date()
    return export_filename(slug, filtres.annee, selection(scope, filtres), jour, ext)


def ecrans_tableaux(valeurs: Sequence[Any]) -> dict[str, TableauEcran]:
    """The detail tables' on-screen filters and sort from the callbacks' States: one
    ``(filter_query, sort_by)`` pair per table of ``export_sources.TABLEAUX``, in order. Values
    missing from a (forged) request leave that table at its default."""
    out = {}
    for n, card in enumerate(export_sources.TABLEAUX):
        paire = list(valeurs[2 * n : 2 * n + 2])
        if len(paire) == 2:
            out[card] = TableauEcran(filter_query=paire[0], sort_by=paire[1])
    return out


def _remarques(
    cards: Sequence[str], ecrans: Mapping[str, TableauEcran], seul: bool
) -> list[tuple[str, str]]:
    return [
        ligne
        for card in cards
        if card in export_sources.TABLEAUX
        for ligne in export_sources.TABLEAUX[card].remarques(ecrans.get(card), seul)
    ]


def fichier(
    card_id: Any, fmt: Any, etat: Any, ecrans: Mapping[str, TableauEcran] | None = None
) -> dict[str, Any] | None:
    """The ``dcc.Download`` data of one card in one format, or ``None`` when nothing may be
    served (unknown card or format, invalid filters). ``ecrans`` are the detail tables'
    on-screen filters and sort. Plain function: tests call it inside a logged-in request
    context."""
    if not isinstance(card_id, str) or card_id not in export_sources.SOURCES:
        return None
    filtres = context.filtres_ou_none(etat)
    if not isinstance(fmt, str) or fmt not in MIME or filtres is None:
        return None
    ecrans = ecrans or {}
    scope = context.scope()
    carte = export_sources.SOURCES[card_id]
    sheets = export_sources.feuilles_carte(card_id, context.engine(), scope, filtres, ecrans)
    remarques = _remarques([card_id], ecrans, seul=True)
    return _envoyer(sheets, carte.slug, scope, filtres, fmt, remarques, card_id)


def dessin(
    sheet: ExportSheet, card_id: str | None, contexte: Perimetre, remarques: Sequence[tuple]
) -> images.Dessin:
    """The image of a key-figure card (tiles) or of a table, captioned like the charts'."""
    legende = images.legende_depuis(
        sheet.titre,
        contexte.perimetre_utilisateur,
        contexte.filtres,
        contexte.date_donnees,
        contexte.extraction.astimezone(PARIS),
        [f"{label} : {texte}" for label, texte in remarques],
    )
    if card_id in export_sources.CARTES_CHIFFRES and len(sheet.frame) <= 1:
        return images.dessin_chiffres(sheet, legende)
    return images.dessin_tableau(sheet, legende)


def _envoyer(
    sheets: list[ExportSheet],
    slug: str,
    scope: Scope,
    filtres: Filtres,
    fmt: str,
    remarques: Sequence[tuple[str, str]] = (),
    card_id: str | None = None,
) -> dict[str, Any]:
    """The download of ``sheets``: a workbook with its Périmètre sheet, the first sheet as
    CSV or as an image; named after the card, the year, the selection and today."""
    now = datetime.now(UTC)
    if fmt == "xlsx":
        content = to_xlsx(sheets, perimetre(scope, filtres, sheets, now, remarques))
    elif fmt == "image":
        contexte = perimetre(scope, filtres, sheets, now)
        content = dessin(sheets[0], card_id, contexte, remarques).png()
    else:
        content = to_csv(sheets[0].frame, sheets[0].colonnes)
    name = nom_fichier(slug, scope, filtres, EXTENSIONS[fmt], now)
    if has_request_context():  # who downloaded what, with which filters (audit log)
        journal.enregistrer(
            context.engine(),
            "export",
            journal.acteur_requete(),
            details={
                "carte": slug,
                "format": EXTENSIONS[fmt],
                "filtres": {k: v for k, v in filtres.__dict__.items() if v is not None},
                **({"tableaux": dict(remarques)} if remarques else {}),
                "fichier": name,
            },
        )
    return dcc.send_bytes(content, name, type=MIME[fmt])


#: "Tout télécharger": the open tab, or the whole dashboard (every tab).
PORTEE_ONGLET = "onglet"
PORTEE_TABLEAU_DE_BORD = "tableau-de-bord"


def tout(
    onglet: Any,
    etat: Any,
    ecrans: Mapping[str, TableauEcran] | None = None,
    portee: str = PORTEE_ONGLET,
) -> dict[str, Any] | None:
    """One workbook, one sheet per card, plus Périmètre: every card of the tab ``onglet``, or
    (``portee="tableau-de-bord"``) every card of every tab, ``onglet`` then unused."""
    filtres = context.filtres_ou_none(etat)
    if filtres is None or portee not in (PORTEE_ONGLET, PORTEE_TABLEAU_DE_BORD):
        return None
    if portee == PORTEE_TABLEAU_DE_BORD:
        onglets = list(export_sources.ONGLETS_SLUGS)
        slug = export_sources.TABLEAU_DE_BORD_SLUG
    # browser input: a JSON list or object is unhashable and must not raise a server error
    elif isinstance(onglet, str) and onglet in export_sources.ONGLETS_SLUGS:
        onglets = [onglet]
        slug = export_sources.ONGLETS_SLUGS[onglet]
    else:
        return None
    ecrans = ecrans or {}
    scope = context.scope()
    engine = context.engine()
    sheets: list[ExportSheet] = []
    cards: list[str] = []
    vus: set[tuple[str, str]] = set()
    for nom_onglet in onglets:
        for card_id in export_sources.cartes_de_l_onglet(nom_onglet):
            cards.append(card_id)
            for sheet in export_sources.feuilles_carte(card_id, engine, scope, filtres, ecrans):
                if (sheet.nom, sheet.titre) not in vus:  # a chart and its table share one sheet
                    vus.add((sheet.nom, sheet.titre))
                    sheets.append(sheet)
    seul = sum(card in export_sources.TABLEAUX for card in cards) <= 1
    return _envoyer(sheets, slug, scope, filtres, "xlsx", _remarques(cards, ecrans, seul))


def telecharger(n_clicks: int | None, etat: Any, *tableaux: Any) -> Any:
    """Dash entry point of an Excel, CSV or image item: which card and format come from the
    id of the clicked item; ``tableaux`` are the detail tables' ``filter_query`` and
    ``sort_by``. A chart's PNG is handled in the browser."""
    declencheur = context.declencheur()
    if not n_clicks or not isinstance(declencheur, dict):
        return no_update
    data = fichier(
        declencheur.get("card"), declencheur.get("format"), etat, ecrans_tableaux(tableaux)
    )
    return data if data is not None else no_update


def telecharger_tout(
    n_onglet: int | None, n_tableau: int | None, etat: Any, onglet: Any, *tableaux: Any
) -> Any:
    """Dash entry point of "Tout télécharger": the open tab or the whole dashboard."""
    declencheur = context.declencheur()
    if declencheur == ids.EXPORT_TOUT_TABLEAU_DE_BORD and n_tableau:
        portee = PORTEE_TABLEAU_DE_BORD
    elif declencheur == ids.EXPORT_TOUT_ONGLET and n_onglet:
        portee = PORTEE_ONGLET
    else:
        return no_update
    data = tout(onglet, etat, ecrans_tableaux(tableaux), portee)
    return data if data is not None else no_update


def selection_affichee(etat: Any) -> str:
    """The selection's part of a chart image's file name, for ``assets/export_image.js``
    (empty until a year is chosen: the script then names the user's scope)."""
    filtres = context.filtres_ou_none(etat)
    return "" if filtres is None else selection(context.scope(), filtres)


def _etats_tableaux() -> list[State]:
    return [
        State(t.vue.table_id, prop)
        for t in export_sources.TABLEAUX.values()
        for prop in ("filter_query", "sort_by")
    ]


def register(app: dash.Dash) -> None:
    for fmt in FORMATS_SERVEUR:
        app.callback(
            Output(ids.download_id(MATCH), "data", allow_duplicate=True),
            Input(ids.export_item_id(MATCH, fmt), "n_clicks"),
            State(ids.FILTRES_ETAT, "data"),
            *_etats_tableaux(),
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
        Input(ids.EXPORT_TOUT_ONGLET, "n_clicks"),
        Input(ids.EXPORT_TOUT_TABLEAU_DE_BORD, "n_clicks"),
        State(ids.FILTRES_ETAT, "data"),
        State(ids.ONGLETS, "active_tab"),
        *_etats_tableaux(),
        prevent_initial_call=True,
    )(telecharger_tout)
    app.callback(
        Output(ids.EXPORT_SELECTION, "children"),
        Input(ids.FILTRES_ETAT, "data"),
    )(selection_affichee)
