"""Shared building blocks of the tabs: cards with help and download menu, empty state, notes.

Pure functions returning Dash components; no database access. Every card has a stable id
(``card_id``) and a header holding its (i) help and its "Télécharger les résultats" menu, whose
callbacks belong to the exports module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from etp.formatting import fmt_annexes_validees, fmt_nombre
from layouts import definitions, ids

# A chart's image ("png") is drawn in the browser from the chart; a key-figure card's or a
# table's ("image") on the server (callbacks.exports): both are "Image (.png)".
FORMATS_TABLE: tuple[str, ...] = ("xlsx", "csv", "image")
FORMATS_GRAPHIQUE: tuple[str, ...] = ("xlsx", "csv", "png")
FORMAT_LIBELLES = {
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV (.csv)",
    "png": "Image (.png)",
    "image": "Image (.png)",
}
VIDE_TITRE = "Aucune donnée pour ce périmètre"


def nb_annexes(n: int) -> str:
    """A count of AFs with French agreement: "0 annexe", "1 annexe", "2 annexes" (French puts
    0 and 1 in the singular)."""
    return f"{fmt_nombre(n)} annexe" + ("s" if abs(n) >= 2 else "")


annexes_validees = fmt_annexes_validees


def help_popover(card_id: str, aide_key: str) -> html.Span:
    """An (i) button opening the definition of ``aide_key``; reachable with the keyboard."""
    titre, texte = definitions.DEFINITIONS[aide_key]
    return html.Span(
        [
            html.Button(
                "i",
                id=ids.aide_id(card_id),
                type="button",
                className="btn btn-sm btn-outline-secondary rounded-circle aide-bouton",
                **{"aria-label": f"Définition : {titre}"},
            ),
            dbc.Popover(
                [dbc.PopoverHeader(titre), dbc.PopoverBody(texte)],
                target=ids.aide_id(card_id),
                trigger="legacy",
                # above the (i): the value it explains sits below it (a tile) or beside it
                # (a card's title). Never flipped below, over that value: a definition cut at
                # the top of the screen is scrolled into view (assets/aide-definitions.js).
                placement="top",
                flip=False,
            ),
        ],
        className="ms-1",
    )


def download_menu(
    card_id: str, formats: Sequence[str] = FORMATS_TABLE, titre: str | None = None
) -> html.Div:
    """The "Télécharger les résultats" menu of a card plus its ``dcc.Download``. With
    ``titre``, a screen reader hears which card ("Télécharger les résultats : Remplissage…"):
    every card has the same visible button.

    Item ids are ``{"type": "export", "card": card_id, "format": fmt}``; the exports module
    registers one pattern-matching callback for all of them.
    """
    return html.Div(
        [
            dbc.DropdownMenu(
                [
                    dbc.DropdownMenuItem(
                        FORMAT_LIBELLES.get(fmt, fmt), id=ids.export_item_id(card_id, fmt)
                    )
                    for fmt in formats
                ],
                label=[
                    "Télécharger les résultats",
                    *([html.Span(f" : {titre}", className="visually-hidden")] if titre else []),
                ],
                id=f"{card_id}-telecharger",
                size="sm",
                color="light",
                align_end=True,
                class_name="telecharger",
            ),
            dcc.Download(id=ids.download_id(card_id)),
        ],
        className="d-inline-block",
    )


def menu_tout_telecharger() -> list[Any]:
    """ "Tout télécharger": the open tab or the whole dashboard, one Excel workbook with a
    sheet per card and the "Périmètre" sheet; plus the selection's name for chart images."""
    return [
        dbc.DropdownMenu(
            [
                dbc.DropdownMenuItem(
                    "Un classeur Excel : une feuille par carte et le périmètre", header=True
                ),
                dbc.DropdownMenuItem("Onglet affiché (Excel)", id=ids.EXPORT_TOUT_ONGLET),
                dbc.DropdownMenuItem(
                    "Tout le tableau de bord (Excel)", id=ids.EXPORT_TOUT_TABLEAU_DE_BORD
                ),
            ],
            label="Tout télécharger",
            id=ids.EXPORT_TOUT,
            size="sm",
            color="light",
            align_end=True,
            class_name="telecharger",
        ),
        dcc.Download(id=ids.EXPORT_TOUT_DOWNLOAD),
        html.Span(id=ids.EXPORT_SELECTION, className="d-none"),
    ]


def card_header(
    card_id: str, titre: str, aide_key: str | None, formats: Sequence[str] | None
) -> dbc.CardHeader:
    """Title, (i) and download menu on one line."""
    left = [html.H2(titre, className="h6 mb-0 d-inline")]
    if aide_key:
        left.append(help_popover(card_id, aide_key))
    right = [download_menu(card_id, formats, titre)] if formats else []
    return dbc.CardHeader(
        html.Div(
            [html.Div(left, className="d-flex align-items-center"), html.Div(right)],
            className="d-flex justify-content-between align-items-center gap-2 flex-wrap",
        )
    )


def kpi_tile(tile_id: str, titre: str, valeur: str, aide_key: str, detail: Any = None) -> dbc.Col:
    """One key figure (already formatted in French by ``etp.formatting``)."""
    body = [
        html.Div(
            [html.Span(titre, className="kpi-titre"), help_popover(tile_id, aide_key)],
            className="d-flex align-items-start justify-content-between",
        ),
        html.P(valeur, className="kpi-valeur mb-0", id=f"{tile_id}-valeur"),
    ]
    if detail is not None:
        body.append(html.Div(detail, className="kpi-detail small text-body-secondary"))
    return dbc.Col(html.Div(body, className="kpi h-100", id=tile_id), xs=12, sm=6, xl=3)


def kpi_tiles(card_id: str, tuiles: Sequence[tuple[Any, ...]]) -> list[dbc.Col]:
    """The tiles of a key-figure card from ``(suffix, titre, valeur, aide_key[, detail])``;
    each tile's id is ``<card_id>-<suffix>``."""
    return [kpi_tile(f"{card_id}-{suffixe}", *reste) for suffixe, *reste in tuiles]


def kpi_card(card_id: str, titre: str, tiles: Sequence[dbc.Col]) -> dbc.Card:
    """A card of key figures with one download menu for all of them."""
    return dbc.Card(
        [
            card_header(card_id, titre, None, FORMATS_TABLE),
            dbc.CardBody(dbc.Row(list(tiles), className="g-3")),
        ],
        id=card_id,
        className="mb-3",
    )


def graph_config(filename: str) -> dict[str, Any]:
    """Plotly config: French locale, no Plotly logo, meaningful PNG file name."""
    return {
        "locale": "fr",
        "displaylogo": False,
        # sendChartToCloud ("Share chart...", untranslated) would upload scoped data to Plotly
        # Cloud: never offered.
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendChartToCloud"],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def chart_card(
    card_id: str,
    titre: str,
    figure: Any,
    aide_key: str,
    notes: Sequence[str] = (),
    filename: str | None = None,
) -> dbc.Card:
    """A chart with its title, (i), download menu (xlsx, csv, png) and notes."""
    return dbc.Card(
        [
            card_header(card_id, titre, aide_key, FORMATS_GRAPHIQUE),
            dbc.CardBody(
                [
                    dcc.Graph(
                        id=ids.graph_id(card_id),
                        # a plain dict: the rendered tab is memoized (callbacks.context.vue),
                        # and unpickling a go.Figure re-validates it (50 ms for a chart)
                        figure=figure.to_plotly_json()
                        if hasattr(figure, "to_plotly_json")
                        else figure,
                        config=graph_config(filename or f"suivi-etp_{card_id}"),
                        className="graphique",
                    ),
                    notes_block(notes),
                ]
            ),
        ],
        id=card_id,
        className="mb-3",
    )


def table_card(card_id: str, titre: str, table: Any, aide_key: str, extra: Any = None) -> dbc.Card:
    """A detail table with its title, (i), download menu and an optional summary line."""
    body = [extra, table] if extra is not None else [table]
    return dbc.Card(
        [card_header(card_id, titre, aide_key, FORMATS_TABLE), dbc.CardBody(body)],
        id=card_id,
        className="mb-3",
    )


def onglet(contenu_id: str) -> html.Div:
    """A tab's static skeleton: its content is filled by the tab's callback (``contenu_id``)."""
    return html.Div(
        dcc.Loading(html.Div(id=contenu_id), type="circle", delay_show=300),
        className="pt-3",
    )


SANS_PERIMETRE = (
    "Votre compte n'est rattaché à aucune organisation : aucune donnée à afficher. Demandez à "
    "un administrateur de Suivi ETP de le rattacher à votre SIAE, DDETS, DREETS, conseil "
    "départemental ou à la DGEFP."
)


def empty_state(raison: str | None = None, titre: str = VIDE_TITRE) -> dbc.Alert:
    """Shown instead of figures when the filters select nothing, saying why."""
    texte = raison or (
        "Aucune annexe financière comptabilisée ne correspond aux filtres choisis dans votre "
        "périmètre. Essayez une autre année ou retirez un filtre."
    )
    return dbc.Alert(
        [html.H2(titre, className="h5"), html.P(texte, className="mb-0")],
        color="secondary",
        className="etat-vide",
    )


def invite_annee(objet: str, perimetre_vide: bool) -> dbc.Alert:
    """Shown while no year is chosen. A user without scope has no year to choose: they are told
    why and whom to ask, not sent to an empty year list."""
    if perimetre_vide:  # the page's banner says whom to ask (SANS_PERIMETRE)
        return empty_state(
            "Aucune année à choisir : votre compte n'est rattaché à aucune organisation."
        )
    return empty_state(
        f"Choisissez une année dans les filtres pour afficher {objet}.", "Choisissez une année"
    )


def notes_block(notes: Sequence[str]) -> html.Div:
    """Caveats about the selection (short AFs, months not yet validated)."""
    if not notes:
        return html.Div()
    return html.Div(
        html.Ul([html.Li(n) for n in notes], className="mb-0 small"),
        className="notes text-body-secondary mt-2",
        role="note",
    )
