"""Detail tables: column specs and a server-paginated ``dash_table.DataTable``.

Sorting, filtering and pagination run on the server (``*_action="custom"``) on the unrounded
values; only the rows of the page travel to the browser, formatted in French.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from dash import dash_table, dcc, html

from etp.formatting import fmt_ecart, fmt_etp, fmt_euros, fmt_nombre, fmt_pct
from layouts import components

Kind = Literal[
    "text",
    "structure",
    "etp",
    "ecart",
    "pct",
    "ecart_pct",
    "euros",
    "int",
    "mois",
    "etat",
    "statut",
]
NUMERIQUES: frozenset[str] = frozenset({"etp", "ecart", "pct", "ecart_pct", "euros", "int"})
#: Kinds holding a fraction shown as a percentage (users filter them typing "37" for 37 %).
POURCENTAGES: frozenset[str] = frozenset({"pct", "ecart_pct"})
POLICE = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def fmt_pct_signe(value: Any) -> str:
    """A gap in percent, signed like the KPI cards ("+12 %", "-8 %"); no sign on a gap that
    shows as "0 %" (a "+0 %" reads as an overrun)."""
    if manquant(value):
        return fmt_pct(None)
    texte = fmt_pct(abs(value))
    if texte == fmt_pct(0):
        return texte
    return ("-" if value < 0 else "+") + texte


TAILLE_PAGE = 25

#: French display of the numeric kinds, shared by every table (detail and funders' tabs).
FORMATS_NOMBRES: dict[str, Callable[[Any], str]] = {
    "etp": fmt_etp,
    "ecart": fmt_ecart,
    "pct": fmt_pct,
    "ecart_pct": fmt_pct_signe,
    "euros": lambda v: fmt_euros(v, 0),
    "int": fmt_nombre,
}
STYLE_CELLULE: dict[str, str] = {
    "textAlign": "left",
    "fontSize": "0.85rem",
    "padding": "4px 8px",
    "whiteSpace": "normal",
    "height": "auto",
}
STYLE_ENTETE: dict[str, str] = {
    "fontWeight": "600",
    "backgroundColor": "#f1f3f5",
    "color": "#212529",
}


#: Inside a link text only inline markup matters: emphasis, code, brackets, raw HTML.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>~])")


def lien_structure(texte: str, structure_id: Any) -> str:
    """A DataTable markdown cell linking ``texte`` to the structure's page (``/structure/<id>``);
    the text alone when there is no id. Markdown characters of the name are escaped."""
    if manquant(structure_id):
        return texte
    echappe = _MARKDOWN.sub(r"\\\1", texte)
    return f"[{echappe}](/structure/{int(structure_id)})"


def colonne_dash(titre: str, key: str, kind: str) -> dict[str, str]:
    """A DataTable column; a structure's name is a markdown link to its page."""
    col = {"name": titre, "id": key}
    if kind == "structure":
        col["presentation"] = "markdown"
    return col


def manquant(v: Any) -> bool:
    """A cell without a value (None, NaN, pd.NA): shown as a dash, never as 0."""
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def a_droite(cles: Sequence[str]) -> list[dict[str, Any]]:
    """``style_cell_conditional`` aligning the numeric columns ``cles`` to the right."""
    return [{"if": {"column_id": k}, "textAlign": "right"} for k in cles]


#: How a spreadsheet writes a column shown on screen as each display kind (the screen's kinds of
#: ``Colonne`` and of the funders' and co-financing tables): gaps are ETP or euros, delays and
#: counts integers, statuses and labels text.
KIND_EXPORT: dict[str, str] = {
    "text": "text",
    "structure": "text",
    "etat": "text",
    "statut": "text",
    "bool": "text",
    "liste_mois": "text",
    "etp": "etp",
    "ecart": "etp",
    "nombre": "etp",
    "euros": "euros",
    "ecart_euros": "euros",
    "pct": "pct",
    "ecart_pct": "pct",
    "int": "int",
    "retard": "int",
    "mois": "mois",
    "mois_num": "mois",
}


def kind_export(kind: str, numerique: bool = False) -> str:
    """The export kind of a screen column (unknown kinds: ETP when numeric, else text)."""
    return KIND_EXPORT.get(kind, "etp" if numerique else "text")


@dataclass(frozen=True)
class Colonne:
    """One column: the DataFrame key, the French title shown, how to format and filter it."""

    key: str
    titre: str
    kind: Kind = "text"

    @property
    def numerique(self) -> bool:
        return self.kind in NUMERIQUES


def du_catalogue(key: str, cle: str, kind: Kind | None = None) -> Colonne:
    """A column showing the catalogue figure ``cle``: its title (with its unit, as in a table
    header: "Effectif annuel réalisé (ETP)") and, unless ``kind`` is given, its display kind."""
    from etp.catalogue import entete, indicateur

    return Colonne(key, entete(cle), kind or indicateur(cle).kind)  # type: ignore[arg-type]


def detail_table(
    table_id: str,
    colonnes: Sequence[Colonne],
    sort_by: Sequence[dict[str, str]] = (),
    page_size: int = TAILLE_PAGE,
) -> dash_table.DataTable:
    """A sortable, filterable table whose data comes page by page from a callback."""
    return dash_table.DataTable(
        id=table_id,
        columns=[{**colonne_dash(c.titre, c.key, c.kind), "type": "text"} for c in colonnes],
        markdown_options={"link_target": "_self"},
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
            "fontFamily": POLICE,
            **STYLE_CELLULE,
            "minWidth": "80px",
            "maxWidth": "260px",
        },
        style_cell_conditional=a_droite([c.key for c in colonnes if c.numerique])
        # "septembre 2026" on one line: a month split over two lines reads as two values
        + [
            {"if": {"column_id": c.key}, "whiteSpace": "nowrap"}
            for c in colonnes
            if c.kind == "mois"
        ],
        style_header=STYLE_ENTETE,
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


@dataclass(frozen=True)
class VueDetail:
    """A detail tab: one card holding the server-paginated table, its summary line and its
    download menu (card id ``<table_id>-carte``, the key of its export)."""

    contenu_id: str
    table_id: str
    resume_id: str
    libelle: str
    colonnes: tuple[Colonne, ...]
    tri_defaut: tuple[dict[str, str], ...]
    aide_key: str

    @property
    def carte_id(self) -> str:
        return self.table_id + "-carte"

    def layout(self) -> html.Div:
        """The table exists from the start: its paging/sorting/filtering props are callback
        inputs."""
        table = detail_table(self.table_id, self.colonnes, self.tri_defaut)
        return html.Div(
            components.table_card(
                self.carte_id,
                self.libelle,
                dcc.Loading(table, delay_show=300),
                self.aide_key,
                extra=html.Div(id=self.resume_id, className="mb-2"),
            ),
            className="pt-3",
            id=self.contenu_id,
        )
