"""Export of a DGEFP national monthly table: 5,000 AFs × 12 months (60,000 rows).

Prints seconds and bytes for the xlsx (one sheet + Périmètre) and the csv. A script, not a test:
run it with ``.venv/bin/python benchmarks/bench_exports.py``. With ``--queries`` it also fills a
temporary SQLite database and times the whole server path (etp query + xlsx).
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

import pandas as pd

from etp.exports import Colonne, ExportSheet, Perimetre, to_csv, to_xlsx

N_AF, N_MOIS = 5_000, 12

COLONNES = (
    Colonne("numero", "Numéro d'annexe financière"),
    Colonne("denomination", "Dénomination structure"),
    Colonne("type_structure", "Type de structure"),
    Colonne("departement_libelle", "Département du conventionnement"),
    Colonne("mois", "Mois", "mois"),
    Colonne("etat", "État mensuel"),
    Colonne("etp_mensuel_conventionne", "Effectif mensuel conventionné (en ETP)", "etp"),
    Colonne("etp_mensuel_realise", "Effectif mensuel réalisé (en ETP)", "etp"),
    Colonne("taux_realisation", "Taux de réalisation mensuel", "pct"),
    Colonne("heures", "Heures travaillées", "etp"),
    Colonne("nb_salaries", "Salariés", "int"),
    Colonne("aide", "Aide au poste (€)", "euros"),
    Colonne("date_debut", "Début d'effet", "date"),
)


def national_frame(seed: int = 1) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for af in range(N_AF):
        conv = rng.choice([4.0, 8.5, 12.0, 28.0, 40.25])
        for mois in range(1, N_MOIS + 1):
            realise = conv * rng.random() * 1.2 if mois < 11 else None
            rows.append(
                {
                    "numero": f"ACI0{af % 95:02d}26{af:04d}",
                    "denomination": f"Structure d'insertion n° {af}",
                    "type_structure": rng.choice(["ACI", "EI", "AI", "ETTI"]),
                    "departement_libelle": "35 - Ille-et-Vilaine",
                    "mois": mois,
                    "etat": "Validé" if realise is not None else "Non saisi",
                    "etp_mensuel_conventionne": conv,
                    "etp_mensuel_realise": realise,
                    "taux_realisation": realise / conv if realise is not None else None,
                    "heures": (realise or 0) * 1820 / 12,
                    "nb_salaries": rng.randint(1, 60),
                    "aide": conv * 21_998.0 / 12,
                    "date_debut": datetime(2026, 1, 1),
                }
            )
    return pd.DataFrame(rows)


def main() -> None:
    frame = national_frame()
    perimetre = Perimetre(
        filtres=(("Année", "2026"),),
        perimetre_utilisateur="DGEFP - National",
        date_donnees=datetime(2026, 11, 28),
        extraction=datetime.now(UTC),
        version="bench",
    )
    sheet = ExportSheet("Effectif mensuel", "Effectif mensuel (en ETP)", frame, COLONNES)
    start = time.perf_counter()
    data = to_xlsx([sheet], perimetre)
    xlsx_s = time.perf_counter() - start
    start = time.perf_counter()
    text = to_csv(frame, COLONNES)
    csv_s = time.perf_counter() - start
    print(f"rows: {len(frame)} × {len(COLONNES)} columns")
    print(f"xlsx: {xlsx_s:.2f} s, {len(data):,} bytes")
    print(f"csv:  {csv_s:.2f} s, {len(text):,} bytes")


if __name__ == "__main__":
    main()
