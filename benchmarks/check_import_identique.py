"""Same database contents after importing the same files with another version of the code.

    .venv/bin/python benchmarks/check_import_identique.py --reference DIR --database-url URL
                                                          STEP [STEP ...]

``DIR`` is a source tree of the reference version (``git archive <commit> | tar -x -C DIR``);
each ``STEP`` is a comma-separated list of paths imported by one ``import_paths`` call, in the
order given. Each version imports the steps into a fresh database of its own (a SQLite file
under ``--workdir``, or a private schema of the PostgreSQL database ``URL``), in its own
process (``PYTHONPATH``: the reference tree, then this one); then the row count and a SHA-256
of every row (ordered by primary key) of ``etat_mensuel``, ``emi_contrat``, ``brsa_mensuel``
and ``import_log`` (without ``importe_le``, the clock) are compared. Prints one line per table
and ``IDENTIQUE`` or ``DIFFERENT``; exits 1 when they differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

TABLES = {
    "etat_mensuel": (
        "SELECT af_id, annee, mois, heures, etat, nb_salaries, nb_lignes, etats_discordants, "
        "derniere_creation, import_id FROM etat_mensuel ORDER BY af_id, annee, mois"
    ),
    "emi_contrat": (
        "SELECT af_id, annee, mois, pph_id, ctr_id, milliheures FROM emi_contrat "
        "ORDER BY af_id, annee, mois, pph_id, ctr_id"
    ),
    "brsa_mensuel": (
        "SELECT af_id, annee, mois, nb_salaries, heures FROM brsa_mensuel "
        "ORDER BY af_id, annee, mois"
    ),
    "import_log": (
        "SELECT id, fichier, vue, checksum, statut, lignes_lues, lignes_gardees, "
        "lignes_rejetees, motifs, date_donnees, message FROM import_log ORDER BY id"
    ),
}


def child(url: str, steps: list[list[str]]) -> dict:
    """Import ``steps`` into ``url`` (this process's ``etp``), then digest the tables."""
    from sqlalchemy import text

    import etp
    from etp.db import init_db, make_engine
    from etp.fluxiae import FluxIAEError, import_paths

    engine = make_engine(url)
    init_db(engine)
    seconds = []
    for step in steps:
        start = time.perf_counter()
        try:
            import_paths(engine, step)
        except FluxIAEError as error:
            print(f"refusé : {error}", file=sys.stderr)
        seconds.append(round(time.perf_counter() - start, 1))
    digests = {}
    with engine.connect() as conn:
        for table, sql in TABLES.items():
            digest, count = hashlib.sha256(), 0
            for row in conn.execute(text(sql)).yield_per(100_000):
                digest.update(repr(tuple(row)).encode())
                count += 1
            digests[table] = (count, digest.hexdigest())
    engine.dispose()
    return {"etp": etp.__file__, "seconds": seconds, "tables": digests}


def _run(source: Path, url: str, steps: list[list[str]]) -> dict:
    env = {**os.environ, "PYTHONPATH": f"{source}{os.pathsep}{ROOT}"}
    done = subprocess.run(
        [sys.executable, __file__, "--child", url, json.dumps(steps)],
        capture_output=True,
        text=True,
        env=env,
        cwd=source,
        check=False,
    )
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"échec de l'import ({source})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path)
    parser.add_argument("--database-url", default="sqlite")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", default=None)
    parser.add_argument("steps", nargs="+")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, json.loads(args.steps[0])), default=str))
        return 0
    if args.reference is None:
        parser.error("--reference est obligatoire")
    steps = [step.split(",") for step in args.steps]
    results = {}
    for label, source in (("référence", args.reference.resolve()), ("ce code", ROOT)):
        if args.database_url == "sqlite":
            with tempfile.TemporaryDirectory(dir=args.workdir) as directory:
                results[label] = _run(source, f"sqlite:///{directory}/check.db", steps)
        else:
            sys.path.insert(0, str(HERE))
            from run_all import private_database

            with private_database(args.database_url) as url:
                results[label] = _run(source, url, steps)
        print(f"{label} ({results[label]['etp']}) : imports {results[label]['seconds']} s")
    reference, nouveau = results["référence"]["tables"], results["ce code"]["tables"]
    for table in TABLES:
        same = "=" if reference[table] == nouveau[table] else "≠"
        print(f"{table}: {reference[table][0]:,} lignes {same} {nouveau[table][0]:,} lignes")
    identical = reference == nouveau
    print("IDENTIQUE" if identical else "DIFFERENT")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
