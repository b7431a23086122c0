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


def fill_database(url: str, seed: int = 2) -> None:
    """5,000 counted AFs of 2026 in 101 départements, 10 validated months each."""
    from sqlalchemy import insert

    from etp.db import get_engine, init_db
    from etp.referentiel import departements
    from etp.schema import AnnexeFinanciere, EtatMensuel, Structure

    rng = random.Random(seed)
    engine = get_engine(url)
    init_db(engine)
    deps = [(code, reg) for code, (_, reg) in departements().items() if reg][:101]
    structures, afs, etats = [], [], []
    for i in range(N_AF):
        dep, reg = deps[i % len(deps)]
        conv = rng.choice([4.0, 8.5, 12.0, 28.0, 40.25])
        structures.append({"id": i + 1, "denomination": f"Structure {i}", "siret": f"{i:014d}"})
        afs.append(
            {
                "id": i + 1,
                "id_avenant_modification": i + 1,
                "numero": f"ACI{dep:0>3}26{i:04d}",
                "numero_avenant_renouvellement": 0,
                "numero_avenant_modification": 0,
                "structure_id": i + 1,
                "mesure_code": "ACI_DC",
                "type_structure": "ACI",
                "milieu_penitentiaire": False,
                "etat": "VALIDE",
                "compte": True,
                "date_debut": datetime(2026, 1, 1).date(),
                "date_fin": datetime(2026, 12, 31).date(),
                "annee_debut": 2026,
                "annee_fin": 2026,
                "etp_postes_insertion": conv,
                "duree_heure_annuel_etp": 1820.0,
                "montant_unitaire_annuel": 21_998.0,
                "departement_code": dep,
                "region_code": reg,
            }
        )
        for mois in range(1, 11):
            etats.append(
                {
                    "af_id": i + 1,
                    "annee": 2026,
                    "mois": mois,
                    "heures": conv * rng.random() * 1.2 * 1820 / 12,
                    "etat": "VALIDE",
                    "nb_salaries": rng.randint(1, 60),
                    "nb_lignes": 1,
                    "etats_discordants": False,
                    "derniere_creation": datetime(2026, mois, 28),
                }
            )
    with engine.begin() as conn:
        conn.execute(insert(Structure), structures)
        conn.execute(insert(AnnexeFinanciere), afs)
        conn.execute(insert(EtatMensuel), etats)


def bench_queries() -> None:
    """The whole server path of the national monthly detail: etp query, sheet, xlsx."""
    import tempfile

    from callbacks.export_sources import detail_consommation_mensuelle
    from etp.db import get_engine
    from etp.filters import Filtres
    from etp.scope import Scope

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        fill_database(url)
        engine = get_engine(url)
        start = time.perf_counter()
        sheets = detail_consommation_mensuelle(engine, Scope.everything(), Filtres(annee=2026))
        query_s = time.perf_counter() - start
        perimetre = Perimetre((("Année", "2026"),), "DGEFP - national", None, datetime.now(UTC))
        start = time.perf_counter()
        data = to_xlsx(sheets, perimetre)
        xlsx_s = time.perf_counter() - start
        start = time.perf_counter()
        text = to_csv(sheets[0].frame, sheets[0].colonnes)
        csv_s = time.perf_counter() - start
        print(f"national detail (SQLite): {len(sheets[0].frame)} rows")
        print(f"  etp query + sheet: {query_s:.2f} s")
        print(f"  xlsx: {xlsx_s:.2f} s, {len(data):,} bytes")
        print(f"  csv:  {csv_s:.2f} s, {len(text):,} bytes")
        engine.dispose()


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
    import sys

    main()
    if "--queries" in sys.argv:
        bench_queries()
