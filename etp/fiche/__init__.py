"""A structure's page ("fiche structure"): access rule, figures, charts and the PDF."""

from etp.fiche.acces import notes_visibles, partie_financeur, structure_visible
from etp.fiche.donnees import AnneeFiche, Fiche, Identite, annees_fiche, charger_fiche

__all__ = [
    "AnneeFiche",
    "Fiche",
    "Identite",
    "annees_fiche",
    "charger_fiche",
    "notes_visibles",
    "partie_financeur",
    "structure_visible",
]
