"""Timings of the indicator reads on a synthetic national table (5,000 AFs × 12 months).

Not a test: it prints figures. Usage::

    .venv/bin/python benchmarks/bench_indicators.py [--afs 5000] [--database-url URL] [--repeat 3]

Without ``--database-url`` it builds a temporary SQLite file. With a PostgreSQL URL it creates
a private schema and drops it at the end. Rows are inserted with bulk Core inserts (the importer
has its own benchmark); what is measured is the read path the dashboard uses.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, insert, text

from etp.aggregation import agreger, serie_mensuelle
from etp.db import init_db, make_engine, normalize_url
from etp.filters import Filtres
from etp.queries import (
    indicateurs_annuels,
    indicateurs_json,
    indicateurs_mensuels,
    options_filtres,
)
from etp.referentiel import departements, region_of
from etp.schema import AnnexeFinanciere, EtatMensuel, Structure
from etp.scope import Scope

ANNEE = 2022
TYPES = (("ACI", 1820.0, 21_407.0), ("AI", 1607.0, 1_427.0), ("EI", 1505.0, 11_318.0))
TYPES += (("ETTI", 1607.0, 4_466.0), ("EITI", 1505.0, 5_000.0))


def remplir(engine: Engine, nb_afs: int, seed: int = 1) -> None:
    """Structures, AFs (a tenth of them shorter than 12 months, a tenth across years) and the
    monthly states of the year, the last two months late."""
    rng = random.Random(seed)
    deps = [c for c, (_, reg) in departements().items() if reg]
    structures, afs, etats = [], [], []
    for i in range(1, nb_afs + 1):
        sid = i // 2 + 1
        if i % 2 == 0 or i == 1:
            structures.append(
                {"id": sid, "denomination": f"Structure {sid}", "siret": f"{sid:014d}"}
            )
        typ, h, aide = TYPES[i % len(TYPES)]
        dep = deps[i % len(deps)]
        debut, fin = date(ANNEE, 1, 1), date(ANNEE, 12, 31)
        if i % 10 == 3:
            debut = date(ANNEE, 4, 1)
        elif i % 10 == 7:
            debut, fin = date(ANNEE - 1, 7, 1), date(ANNEE, 6, 30)
        c = round(rng.uniform(2, 40), 2)
        afs.append(
            {
                "id": i,
                "id_avenant_modification": i * 10,
                "numero": f"{typ}{dep.zfill(3)}{ANNEE % 100}{i:04d}",
                "numero_avenant_renouvellement": 0,
                "numero_avenant_modification": 0,
                "structure_id": sid,
                "mesure_code": f"{typ}_DC",
                "type_structure": typ,
                "milieu_penitentiaire": False,
                "etat": "VALIDE",
                "compte": True,
                "date_debut": debut,
                "date_fin": fin,
                "annee_debut": debut.year,
                "annee_fin": fin.year,
                "etp_postes_insertion": c,
                "duree_heure_annuel_etp": h,
                "montant_unitaire_annuel": aide,
                "departement_code": dep,
                "region_code": region_of(dep),
            }
        )
        for mois in range(1, 13):
            if date(ANNEE, mois, 28) < debut or date(ANNEE, mois, 1) > fin:
                continue
            etat = "VALIDE" if mois <= 10 else rng.choice(["SAISI", "BROUILLON", None])
            if etat is None:
                continue
            etats.append(
                {
                    "af_id": i,
                    "annee": ANNEE,
                    "mois": mois,
                    "heures": c * rng.uniform(0.6, 1.2) * h / 12,
                    "etat": etat,
                    "nb_salaries": int(c * 1.5),
                    "nb_lignes": int(c * 1.5),
                    "etats_discordants": False,
                    "derniere_creation": datetime(ANNEE, 12, 10),
                }
            )
    with engine.begin() as conn:
        conn.execute(insert(Structure), structures)
        conn.execute(insert(AnnexeFinanciere), afs)
        for k in range(0, len(etats), 10_000):
            conn.execute(insert(EtatMensuel), etats[k : k + 10_000])
    print(f"données : {len(structures)} structures, {len(afs)} AF, {len(etats)} états mensuels")


def chrono(libelle: str, fn: Callable[[], object], repeat: int) -> object:
    durees, cpu, resultat = [], [], None
    for _ in range(repeat):
        debut, debut_cpu = time.perf_counter(), time.process_time()
        resultat = fn()
        durees.append(time.perf_counter() - debut)
        cpu.append(time.process_time() - debut_cpu)
    taille = len(resultat) if hasattr(resultat, "__len__") else ""
    print(
        f"{libelle:<40} médiane {statistics.median(durees) * 1000:7.1f} ms"
        f"  min {min(durees) * 1000:7.1f} ms  CPU {statistics.median(cpu) * 1000:7.1f} ms"
        f"  lignes={taille}"
    )
    return resultat


def mesurer(engine: Engine, repeat: int) -> None:
    national, filtres = Scope.everything(), Filtres(annee=ANNEE)
    bretagne = Scope.of_region("53")
    annuel = chrono(
        "indicateurs_annuels (national)",
        lambda: indicateurs_annuels(engine, national, filtres),
        repeat,
    )
    mensuel = chrono(
        "indicateurs_mensuels (national)",
        lambda: indicateurs_mensuels(engine, national, filtres),
        repeat,
    )
    chrono(
        "indicateurs_json (national)", lambda: indicateurs_json(engine, national, filtres), repeat
    )
    chrono(
        "indicateurs_annuels (région Bretagne)",
        lambda: indicateurs_annuels(engine, bretagne, filtres),
        repeat,
    )
    chrono("agreger(annuel, ['departement'])", lambda: agreger(annuel, ["departement"]), repeat)
    chrono("agreger(annuel, [])", lambda: agreger(annuel, []), repeat)
    chrono("serie_mensuelle(mensuel)", lambda: serie_mensuelle(mensuel), repeat)
    chrono("options_filtres (national)", lambda: options_filtres(engine, national, filtres), repeat)


def main() -> None:
    """Wall times depend on the machine's load; the CPU time of this process is steadier."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--afs", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    if args.database_url and args.database_url.startswith(("postgres://", "postgresql")):
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = make_engine(args.database_url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in args.database_url else "?"
        url = normalize_url(args.database_url) + sep + "options=" + quote(f"-csearch_path={schema}")
        try:
            engine = make_engine(url)
            init_db(engine)
            remplir(engine, args.afs)
            mesurer(engine, args.repeat)
            engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        init_db(engine)
        remplir(engine, args.afs)
        mesurer(engine, args.repeat)
        engine.dispose()


if __name__ == "__main__":
    main()
