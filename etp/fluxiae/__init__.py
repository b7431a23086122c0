"""fluxIAE files: the importer (``import_paths``) and a writer of real-format files.

Importing::

    report = import_paths(engine, ["deliveries/fluxIAE_ITOU_2022.tar.gz"])

Writing (demo data, tests)::

    write_vue(tmp_dir, "EtatMensuelIndiv", rows, extract_date=datetime(2022, 3, 1))
"""

from etp.fluxiae.columns import (
    ANNEXE_FINANCIERE_COLUMNS,
    COLUMNS,
    CONTRAT_MISSION_COLUMNS,
    ETAT_MENSUEL_INDIV_COLUMNS,
    REF_MONTANT_IAE_COLUMNS,
    STRUCTURE_COLUMNS,
    VUE_ANNEXE_FINANCIERE,
    VUE_CONTRAT_MISSION,
    VUE_ETAT_MENSUEL_INDIV,
    VUE_REF_MONTANT_IAE,
    VUE_STRUCTURE,
)
from etp.fluxiae.errors import FluxIAEError
from etp.fluxiae.importer import import_paths
from etp.fluxiae.report import FileReport, ImportReport, Progress
from etp.fluxiae.writer import file_name, render_vue, write_vue

__all__ = [
    "ANNEXE_FINANCIERE_COLUMNS",
    "COLUMNS",
    "CONTRAT_MISSION_COLUMNS",
    "ETAT_MENSUEL_INDIV_COLUMNS",
    "REF_MONTANT_IAE_COLUMNS",
    "STRUCTURE_COLUMNS",
    "VUE_ANNEXE_FINANCIERE",
    "VUE_CONTRAT_MISSION",
    "VUE_ETAT_MENSUEL_INDIV",
    "VUE_REF_MONTANT_IAE",
    "VUE_STRUCTURE",
    "FileReport",
    "FluxIAEError",
    "ImportReport",
    "Progress",
    "file_name",
    "import_paths",
    "render_vue",
    "write_vue",
]
