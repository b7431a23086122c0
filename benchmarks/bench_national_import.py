"""Import of the national EtatMensuelIndiv file against a bare ``pandas.read_csv`` of it.

    .venv/bin/python benchmarks/bench_national_import.py --files DIR --database-url URL
                                                         [--password P]

``DIR`` holds the files of ``suivi-etp demo --scale national --keep-files DIR``. Each part runs
in its own process, so that its peak RSS is its own:

1. ``pandas.read_csv`` of the EMI file (``|``, every column, the C parser): the bare parse;
2. into the database (empty, initialised): Structure, AnnexeFinanciere, RefMontantIae and
   ContratMission imported untimed, then the EMI file imported and timed (wall and CPU), then
   the demo accounts created (``--password``) so that the server benchmarks can log in.

Prints ``bare read_csv: … s``, ``import: … s, … rows/s, CPU … s``, ``peak RSS: … MB`` and a
summary line ``IMPORT import_s=… read_csv_s=… import_ratio=… import_rss_mb=… rows=… cpu_ratio=…``
(``import_ratio``: wall times; ``cpu_ratio``: CPU times of the two processes, steadier on a
shared machine, but blind to the work of a PostgreSQL server).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def _emi(directory: Path) -> Path:
    found = sorted(directory.glob("fluxIAE_EtatMensuelIndiv_*"))
    if not found:
        raise SystemExit(f"pas de fichier EtatMensuelIndiv dans {directory}")
    return found[-1]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_read(path: Path) -> dict:
    import pandas as pd

    start, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, sep="|", skiprows=1, dtype=str, keep_default_na=False)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"seconds": elapsed, "cpu": cpu, "rows": len(frame), "rss_mb": _peak_rss_mb()}


def import_files(directory: Path, url: str, password: str | None) -> dict:
    import auth.demo  # noqa: F401  (its tables, the accounts', are created by init_db too)
    from etp.db import init_db, make_engine
    from etp.fluxiae import import_paths

    engine = make_engine(url)
    init_db(engine)
    emi = _emi(directory)
    others = [p for p in sorted(directory.iterdir()) if p != emi and p.name.startswith("fluxIAE_")]
    import_paths(engine, others)
    base_rss = _peak_rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    report = import_paths(engine, [emi])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    file = report.files[0]
    result = {
        "seconds": elapsed,
        "cpu": cpu,
        "rows": file.rows_read,
        "kept": file.rows_kept,
        "status": file.status,
        "skipped": dict(file.skipped),
        "rss_mb": _peak_rss_mb(),
        "rss_before_mb": base_rss,
        "database": engine.dialect.name,
    }
    if password:
        from auth.demo import create_demo_accounts
        from etp.demo import DEMO_SIAE_STRUCTURE_IDS

        create_demo_accounts(engine, password=password, siae_structure_ids=DEMO_SIAE_STRUCTURE_IDS)
    engine.dispose()
    return result


def _child(args: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"échec : {' '.join(args[:2])}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=Path, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--password", default=None, help="also create the demo accounts")
    parser.add_argument("--child", choices=["read", "import"], default=None)
    args = parser.parse_args()
    if args.child == "read":
        print(json.dumps(bare_read(_emi(args.files))))
        return
    if args.child == "import":
        print(json.dumps(import_files(args.files, args.database_url, args.password), default=str))
        return

    emi = _emi(args.files)
    print(f"file: {emi.name}, {emi.stat().st_size / 1e6:.0f} MB (compressed)")
    read = _child(["--child", "read", "--files", str(args.files), "--database-url", "-"])
    print(
        f"bare read_csv: {read['seconds']:.1f} s, CPU {read['cpu']:.1f} s, {read['rows']:,} rows, "
        f"peak RSS {read['rss_mb']:.0f} MB"
    )
    extra = ["--password", args.password] if args.password else []
    imp = _child(
        [
            "--child",
            "import",
            "--files",
            str(args.files),
            "--database-url",
            args.database_url,
            *extra,
        ]
    )
    print(f"database: {imp['database']}, status {imp['status']}, skipped {imp['skipped']}")
    print(
        f"import: {imp['seconds']:.1f} s, {imp['rows'] / imp['seconds']:,.0f} rows/s, "
        f"CPU {imp['cpu']:.1f} s"
    )
    print(f"peak RSS: {imp['rss_mb']:.0f} MB (before the EMI file: {imp['rss_before_mb']:.0f} MB)")
    print(
        f"IMPORT import_s={imp['seconds']:.1f} read_csv_s={read['seconds']:.1f} "
        f"import_ratio={imp['seconds'] / read['seconds']:.2f} import_rss_mb={imp['rss_mb']:.0f} "
        f"rows={imp['rows']} cpu_ratio={imp['cpu'] / read['cpu']:.2f}"
    )


if __name__ == "__main__":
    main()
