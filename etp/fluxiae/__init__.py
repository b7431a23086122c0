"""fluxIAE files: the importer (``import_paths``) and a writer of real-format files."""

from etp.fluxiae.columns import (
    ANNEXE_FINANCIERE_COLUMNS,
    COLUMNS,
    ETAT_MENSUEL_INDIV_COLUMNS,
    STRUCTURE_COLUMNS,
    VUE_ANNEXE_FINANCIERE,
    VUE_ETAT_MENSUEL_INDIV,
    VUE_STRUCTURE,
)
from etp.fluxiae.writer import file_name, render_vue, write_vue

__all__ = [
    "ANNEXE_FINANCIERE_COLUMNS",
    "COLUMNS",
    "ETAT_MENSUEL_INDIV_COLUMNS",
    "STRUCTURE_COLUMNS",
    "VUE_ANNEXE_FINANCIERE",
    "VUE_ETAT_MENSUEL_INDIV",
    "VUE_STRUCTURE",
    "file_name",
    "render_vue",
    "write_vue",
]
