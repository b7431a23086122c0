"""The national benchmark of ``make bench`` (see ``run_all.py``): files, databases, server."""

from __future__ import annotations

import os
import platform
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from run_all import ROOT, private_database, run

BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results.md"
FIGURES = (
    "import_ratio",
    "import_rss_mb",
    "callback_p95_ms",
    "callback_ratio",
    "first_chart_s",
    "max_response_kb",
)
TARGETS = {
    "import_ratio": 2,
    "import_rss_mb": 400,
    "callback_p95_ms": 250,
    "callback_ratio": 3,
    "first_chart_s": 1.5,
    "max_response_kb": 150,
}


@dataclass
class Mesures:
    database: str
    figures: dict[str, float] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)
    load: str | None = None


def _field(pattern: str, output: str) -> float | None:
    match = re.search(pattern + r"=([\d.]+)", output)
    return float(match.group(1)) if match else None


def ensure_files(directory: Path) -> Path:
    """The national files in ``directory`` (generated once: it takes minutes)."""
    stamp = directory / ".complete"
    if stamp.exists():
        print(f"fichiers nationaux : {directory} (déjà générés le {stamp.read_text().strip()})")
        return directory
    from etp.demo.national import config_echelle, generate_national

    print(f"génération des fichiers nationaux dans {directory} (plusieurs minutes)…", flush=True)
    start = time.perf_counter()
    generate_national(config_echelle("national", today=date.today()), directory)
    stamp.write_text(f"{datetime.now():%Y-%m-%d %H:%M}, en {time.perf_counter() - start:.0f} s")
    return directory


def _flush(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


@contextmanager
def server(url: str, redis_url: str, port: int):
    """``suivi-etp run`` (gunicorn) on ``url`` with Redis; stopped at the end."""
    env = os.environ | {"DATABASE_URL": url, "REDIS_URL": redis_url}
    log = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [str(BIN / "suivi-etp"), "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                with urllib.request.urlopen(base + "/connexion", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"le serveur ne répond pas (journal : {log.name})")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def bare_sql_ms(url: str, repeat: int = 5) -> float:
    """Median time of the bare SQL aggregate of the national monthly figures (every AF of the
    year before the latest, the selection whose tabs give ``callback_p95_ms``, per month:
    conventioned ETP, realised hours, validated AF-months)."""
    import statistics

    from sqlalchemy import text

    from etp.db import make_engine

    engine = make_engine(url)
    sql = text(
        """
        SELECT em.mois, SUM(em.heures * 12.0 / af.duree_heure_annuel_etp),
               SUM(af.etp_postes_insertion), COUNT(*)
        FROM etat_mensuel em JOIN annexe_financiere af ON af.id = em.af_id
        WHERE af.compte AND em.annee = :annee AND em.etat = 'VALIDE'
        GROUP BY em.mois
        """
    )
    times = []
    with engine.connect() as conn:
        # bench_callbacks' second pass opens the year before the latest
        annee = conn.execute(text("SELECT MAX(annee) - 1 FROM etat_mensuel")).scalar_one()
        for _ in range(repeat):
            start = time.perf_counter()
            conn.execute(sql, {"annee": annee}).all()
            times.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    return statistics.median(times)


def measure(
    name: str,
    url: str,
    files: Path,
    redis_url: str,
    port: int,
    load: bool,
    users: int,
    seconds: float,
) -> Mesures:
    mesures = Mesures(name)
    password = "Bench-" + secrets.token_urlsafe(12)
    output, code, _ = run(
        "bench_national_import.py",
        ["--files", str(files), "--database-url", url, "--password", password],
    )
    if code:
        raise RuntimeError("bench_national_import.py a échoué")
    mesures.figures["import_ratio"] = _field("import_ratio", output)
    mesures.figures["import_rss_mb"] = _field("import_rss_mb", output)
    mesures.details += [line for line in output.splitlines() if line]
    sql_ms = bare_sql_ms(url)
    mesures.details.append(
        f"bare SQL aggregate (national, the year before the latest, per month): {sql_ms:.0f} ms"
    )
    print(mesures.details[-1])
    requests_file = Path(tempfile.mkdtemp()) / "callbacks.json"
    with server(url, redis_url, port) as base:
        login = ["--base", base, "--email", "dgefp@demo.test", "--password", password]
        _flush(redis_url)
        output, code, _ = run("bench_callbacks.py", [*login, "--save-requests", str(requests_file)])
        if code:
            raise RuntimeError("bench_callbacks.py a échoué")
        p95 = _field("callback_p95_ms", output)
        mesures.figures["callback_p95_ms"] = p95
        mesures.figures["callback_ratio"] = p95 / sql_ms if p95 is not None and sql_ms else None
        mesures.figures["max_response_kb"] = _field("max_response_kb", output)
        mesures.details += [line for line in output.splitlines() if line]
        _flush(redis_url)
        repeat = os.environ.get("BENCH_FIRST_CHART_REPEAT", "3")
        output, code, _ = run("bench_first_chart.py", [*login, "--repeat", repeat])
        if code:
            raise RuntimeError("bench_first_chart.py a échoué")
        mesures.figures["first_chart_s"] = _field("first_chart_s", output)
        mesures.details += [line for line in output.splitlines() if line]
        if load:
            _flush(redis_url)
            output, code, _ = run(
                "bench_load.py",
                [*login, "--requests", str(requests_file), "--users", str(users),
                 "--seconds", str(seconds)],
            )  # fmt: skip
            if code:
                raise RuntimeError("bench_load.py a échoué")
            mesures.load = "\n".join(line for line in output.splitlines() if line)
    return mesures


def _value(value: float | None) -> str:
    return "n/d" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def write_results(all_mesures: list[Mesures], files: Path, bench_line: str) -> None:
    lines = [
        "# Mesures de performance (échelle nationale)",
        "",
        f"Mesuré le {datetime.now():%d/%m/%Y à %H:%M} par `make bench` "
        f"(`benchmarks/run_all.py`), sur {platform.node()} : {os.cpu_count()} cœurs "
        "partagés avec d'autres sessions (la charge de la machine varie pendant la mesure : "
        "les temps sont des temps réels, pas des temps CPU isolés).",
        f"Données : `suivi-etp demo --scale national` ({files}).",
        "",
        "| chiffre | cible | " + " | ".join(m.database for m in all_mesures) + " |",
        "|---|---|" + "---|" * len(all_mesures),
    ]
    for key in FIGURES:
        values = " | ".join(_value(m.figures.get(key)) for m in all_mesures)
        lines.append(f"| {key} | ≤ {TARGETS[key]} | {values} |")
    lines += ["", "```", bench_line, "```", ""]
    for m in all_mesures:
        lines += [f"## {m.database}", "", "```", *m.details, "```", ""]
        if m.load:
            lines += [
                f"### Test de charge ({m.database}, gunicorn + Redis)",
                "",
                "```",
                m.load,
                "```",
                "",
            ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"résultats écrits dans {RESULTS.relative_to(ROOT)}")


def _bench_line(all_mesures: list[Mesures]) -> tuple[str, bool]:
    """The BENCH line (the worse database for each figure) and whether every figure is there."""
    worst = {}
    for key in FIGURES:
        values = [m.figures.get(key) for m in all_mesures]
        worst[key] = None if None in values else max(values)
    line = "BENCH " + " ".join(f"{k}={_value(worst[k])}" for k in FIGURES)
    return line, None not in worst.values()


def run_national(args) -> int:
    files = ensure_files(args.files)
    redis_url = args.redis_url or os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/7"
    pg = args.postgresql_url or os.environ.get("TEST_DATABASE_URL")
    load = {"users": args.load_users, "seconds": args.load_seconds}
    all_mesures: list[Mesures] = []
    with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'national.db'}"
        sqlite_load = not pg and not args.no_load
        all_mesures.append(
            measure("SQLite", sqlite_url, files, redis_url, args.port, sqlite_load, **load)
        )
    write_results(all_mesures, files, _bench_line(all_mesures)[0])  # kept if PostgreSQL fails
    if pg:
        with private_database(pg) as pg_url:
            all_mesures.append(
                measure("PostgreSQL", pg_url, files, redis_url, args.port, not args.no_load, **load)
            )
    else:
        print("PostgreSQL : pas d'URL (--postgresql-url ou TEST_DATABASE_URL), non mesuré")
    print("\n=== Résumé")
    for m in all_mesures:
        print(f"{m.database}: " + " ".join(f"{k}={_value(m.figures.get(k))}" for k in FIGURES))
        if m.load:
            print(m.load.splitlines()[-1])
    bench_line, complete = _bench_line(all_mesures)
    write_results(all_mesures, files, bench_line)
    print(bench_line)
    return 0 if complete else 1
