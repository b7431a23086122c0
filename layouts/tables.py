"""Detail tables: column specs and a server-paginated ``dash_table.DataTable``.

Sorting, filtering and pagination run on the server (``*_action="custom"``) on the unrounded
values; only the rows of the page travel to the browser, formatted in French.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from dash import dash_table

Kind = Literal["text", "etp", "ecart", "pct", "euros", "int", "mois", "etat", "statut"]
NUMERIQUES: frozenset[str] = frozenset({"etp", "ecart", "pct", "euros", "int"})
TAILLE_PAGE = 25


@dataclass(frozen=True)
class Colonne:
    """One column: the DataFrame key, the French title shown, how to format and filter it."""

    key: str
    titre: str
    kind: Kind = "text"

    @property
    def numerique(self) -> bool:
        return self.kind in NUMERIQUES


def detail_table(
    table_id: str,
    colonnes: Sequence[Colonne],
    sort_by: Sequence[dict[str, str]] = (),
    page_size: int = TAILLE_PAGE,
) -> dash_table.DataTable:
    """A sortable, filterable table whose data comes page by page from a callback."""
    return dash_table.DataTable(
        id=table_id,
        columns=[{"name": c.titre, "id": c.key, "type": "text"} for c in colonnes],
        data=[],
        page_action="custom",
        page_current=0,
        page_size=page_size,
        page_count=0,
        sort_action="custom",
        sort_mode="single",
        sort_by=list(sort_by),
        filter_action="custom",
        filter_query="",
        filter_options={"case": "insensitive", "placeholder_text": "Filtrer…"},
        style_table={"overflowX": "auto"},
        style_cell={
            "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "textAlign": "left",
            "fontSize": "0.85rem",
            "padding": "4px 8px",
            "whiteSpace": "normal",
            "height": "auto",
            "minWidth": "80px",
            "maxWidth": "260px",
        },
        style_cell_conditional=[
            {"if": {"column_id": c.key}, "textAlign": "right"} for c in colonnes if c.numerique
        ],
        style_header={"fontWeight": "600", "backgroundColor": "#f1f3f5", "color": "#212529"},
        style_data_conditional=[
            {
                "if": {"filter_query": '{statut_consommation} contains "Sur"'},
                "backgroundColor": "#fdecea",
            },
            {
                "if": {"filter_query": '{statut_consommation} contains "Sous"'},
                "backgroundColor": "#fff8e1",
            },
            {
                "if": {"filter_query": '{etat} = "Non saisi"', "column_id": "etat"},
                "color": "#6c757d",
            },
        ],
        css=[{"selector": ".dash-spreadsheet-menu", "rule": "display: none"}],
    )
