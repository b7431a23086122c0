"""Import speed and memory on a synthetic EtatMensuelIndiv file (prints figures, asserts nothing).

    .venv/bin/python benchmarks/bench_import.py [--rows 300000] [--gzip] [--database-url URL]

The file is written with the real writer into a temporary directory (one AF per ~150 rows,
12 months, a few duplicate ``emi_dsm_id``), then imported into a temporary SQLite database
(or ``--database-url``). Peak RSS comes from ``resource.getrusage`` (kilobytes on Linux).
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from etp.db import init_db, make_engine
from etp.fluxiae import import_paths, write_vue

ETATS = ("VALIDE",) * 17 + ("SAISI", "DEBLOQUE", "BROUILLON")


def synthetic_rows(n: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    nb_afs = max(1, n // 150)
    for dsm in range(1, n + 1):
        af = rng.randrange(nb_afs)
        mois = rng.randint(1, 12)
        yield {
            "emi_date_creation": datetime(2023, mois, rng.randint(1, 28), 10, 0, 0),
            "emi_afi_id": 100_000 + af,
            "emi_sme_mois": mois,
            "emi_sme_annee": 2023,
            "emi_esm_etat_code": rng.choice(ETATS),
            "emi_pph_id": 1_000_000 + af * 20 + rng.randrange(20),
            "emi_ctr_id": 5_000_000 + dsm,
            "emi_nb_heures_travail": round(rng.uniform(10, 151.67), 2),
            "emi_mt_salaire_brut": round(rng.uniform(200, 1800), 2),
            "emi_dsm_id": dsm if dsm % 1000 else dsm - 1,  # a duplicate every 1000 rows
        }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--gzip", action="store_true", help="write the file gzip-compressed")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        start = time.perf_counter()
        path = write_vue(
            directory,
            "EtatMensuelIndiv",
            synthetic_rows(args.rows),
            compression="gzip" if args.gzip else None,
            extract_date=datetime(2024, 1, 15, 6, 0, 0),
        )
        written = time.perf_counter() - start
        print(f"file: {path.name}, {path.stat().st_size / 1e6:.1f} MB, written in {written:.1f} s")
        print(f"peak RSS after writing: {peak_rss_mb():.0f} MB")

        url = args.database_url or f"sqlite:///{directory / 'bench.db'}"
        engine = make_engine(url)
        init_db(engine)
        start = time.perf_counter()
        report = import_paths(engine, [path])
        elapsed = time.perf_counter() - start
        file = report.files[0]
        print(f"database: {engine.dialect.name}")
        print(
            f"rows read {file.rows_read}, kept {file.rows_kept}, skipped {dict(file.skipped)}, "
            f"anomalies {dict(file.anomalies)}"
        )
        print(f"import: {elapsed:.1f} s, {file.rows_read / elapsed:,.0f} rows/s")
        print(f"peak RSS: {peak_rss_mb():.0f} MB")
        engine.dispose()


if __name__ == "__main__":
    main()
