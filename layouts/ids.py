"""Every Dash component id of the dashboard, in one place (``<tab>-<component>``).

Callbacks, tests and the exports engineer's pattern-matching callbacks all refer to these
constants, so renaming a component is a one-line change here.
"""

from __future__ import annotations

# Page, routing and shell
URL = "page-url"
#: « Donner votre avis » link (its href carries the open tab and the view to come back to).
AVIS_LIEN = "shell-avis"
PAGE = "page-contenu"
SHELL_AIDE_OUVRIR = "shell-aide-ouvrir"
SHELL_AIDE_FERMER = "shell-aide-fermer"
SHELL_AIDE_MODAL = "shell-aide-modal"
# The browser tab's title (document.title) for the active tab, set in the browser
TITRE_PAGE = "page-titre"

# Filter bar (shared by all tabs)
FILTRES_ANNEE = "filtres-annee"
FILTRES_STRUCTURE = "filtres-structure"
FILTRES_FICHE_LIEN = "filtres-fiche-structure"
FILTRES_AF = "filtres-af"
# Search fields under the structure and AF selects (territorial users only): they ask the
# server for the matching options (callbacks.filters), so a select never holds all of France.
FILTRES_STRUCTURE_RECHERCHE = "filtres-structure-recherche"
FILTRES_AF_RECHERCHE = "filtres-af-recherche"
FILTRES_TYPE = "filtres-type"
FILTRES_REGION = "filtres-region"
FILTRES_DEPARTEMENT = "filtres-departement"
FILTRES_MESSAGE = "filtres-message"
FILTRES_REINITIALISER = "filtres-reinitialiser"
# The validated filter values ({"annee": 2022, "structure": 12, ...}). Data callbacks read it,
# then re-check it against the scope on the server: it is written by the browser.
FILTRES_ETAT = "filtres-etat"

# "Tout télécharger": a menu offering the open tab or the whole dashboard in one workbook
# (callbacks.exports)
EXPORT_TOUT = "export-tout"
EXPORT_TOUT_ONGLET = "export-tout-onglet"
EXPORT_TOUT_TABLEAU_DE_BORD = "export-tout-tableau-de-bord"
EXPORT_TOUT_DOWNLOAD = "export-tout-download"
# The selection as a file name says it, read by assets/export_image.js to name chart images
EXPORT_SELECTION = "export-selection"

# Tabs
ONGLETS = "onglets"


def selection_onglet(tab_id: str) -> str:
    """The store of the selection a tab shows (``{"etat": <filter store>}``): the browser
    writes it only while the tab is open, and only when the filters differ from the ones the
    tab last drew (callbacks.onglets); the tab's callbacks take it as their input."""
    return f"selection-{tab_id}"


# Tab "Effectif mensuel (en ETP)"
MENSUEL_CONTENU = "mensuel-contenu"
MENSUEL_KPIS = "mensuel-kpis"
MENSUEL_GRAPHIQUE = "mensuel-graphique"
MENSUEL_REMPLISSAGE = "mensuel-remplissage"

# Tab "Détail de la consommation mensuelle (en ETP)"
DETAIL_MENSUEL_CONTENU = "detail-mensuel-contenu"
DETAIL_MENSUEL_TABLE = "detail-mensuel-table"
DETAIL_MENSUEL_RESUME = "detail-mensuel-resume"

# Tab "Effectif annuel (en ETP)"
ANNUEL_CONTENU = "annuel-contenu"
ANNUEL_KPIS = "annuel-kpis"
ANNUEL_CUMUL = "annuel-cumul"

# Tab "Détail de la consommation annuelle (en ETP)"
DETAIL_ANNUEL_CONTENU = "detail-annuel-contenu"
DETAIL_ANNUEL_TABLE = "detail-annuel-table"
DETAIL_ANNUEL_RESUME = "detail-annuel-resume"


def graph_id(card_id: str) -> str:
    """The ``dcc.Graph`` inside a chart card (the PNG export targets it)."""
    return f"{card_id}-graph"


def export_item_id(card_id: str, fmt: str) -> dict[str, str]:
    """Pattern-matching id of one item of a card's "Télécharger les résultats" menu."""
    return {"type": "export", "card": card_id, "format": fmt}


def download_id(card_id: str) -> dict[str, str]:
    """Pattern-matching id of a card's ``dcc.Download``."""
    return {"type": "download", "card": card_id}


def aide_id(card_id: str) -> str:
    """The (i) button of a card, target of its help popover."""
    return f"{card_id}-aide"
