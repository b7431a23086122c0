"""``make bench``: the national benchmark on SQLite and PostgreSQL, ending with one BENCH line.

    .venv/bin/python benchmarks/run_all.py [--files DIR] [--postgresql-url URL] [--no-load]
    .venv/bin/python benchmarks/run_all.py --modeste [--rows 100000] [--afs 2000] [--repeat 3]
                                           [--database-url URL] [--exports-queries]

National (default): the files of ``suivi-etp demo --scale national`` (generated once into
``--files``, default ``instance/bench-national``, then reused), and for each database (a
temporary SQLite file; PostgreSQL in a private schema when ``--postgresql-url`` or
``TEST_DATABASE_URL`` is set):

1. ``bench_national_import.py``: EMI import time against a bare ``pandas.read_csv``, peak RSS;
2. ``suivi-etp run`` (gunicorn, Redis db ``--redis-url``, emptied before each step) on that
   database; ``bench_callbacks.py`` opens every tab as DGEFP with an empty cache (server time
   and size of every callback); ``bench_first_chart.py``: login -> first chart in chromium;
3. the bare SQL aggregate of the national monthly figures, for ``callback_ratio``;
4. once (PostgreSQL when there, the production setup): ``bench_load.py``, 50 users for 60 s
   replaying the recorded callbacks.

Each figure is printed as measured; ``benchmarks/results.md`` gets them all, and the last line
printed is ``BENCH import_ratio=… import_rss_mb=… callback_p95_ms=… callback_ratio=…
first_chart_s=… max_response_kb=…`` with, for each figure, the worse of the two databases.

``--modeste`` runs the older modest-size benchmarks instead (import of a synthetic file,
indicator reads, exports) and prints a table of size-independent ratios. Each benchmark runs in
its own process (so its peak RSS is its own), one after the other (the machine's cores are
shared). A benchmark that fails, or whose output can no longer be read, makes the exit status 1.

Figures are wall-clock times on whatever else the machine is doing: compare runs on the same
machine, and prefer the CPU column of the indicators when the load varies.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NUMBER = r"([\d][\d,]*(?:\.\d+)?)"


@dataclass(frozen=True)
class Ratio:
    """One line of the summary: what was measured, its size-independent figure and unit."""

    benchmark: str
    mesure: str
    valeur: float | None
    unite: str


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _search(pattern: str, output: str) -> re.Match[str] | None:
    return re.search(pattern, output, flags=re.MULTILINE)


def ratios_import(output: str) -> list[Ratio]:
    """From ``bench_import.py``: rows read per second of import, and peak memory."""
    speed = _search(rf"^import: {NUMBER} s, {NUMBER} rows/s", output)
    rss = re.findall(rf"^peak RSS: {NUMBER} MB", output, flags=re.MULTILINE)
    return [
        Ratio(
            "import",
            "lignes EtatMensuelIndiv / s",
            _number(speed[2]) if speed else None,
            "lignes/s",
        ),
        Ratio("import", "mémoire maximale (processus)", _number(rss[-1]) if rss else None, "Mo"),
    ]


def ratios_indicateurs(output: str, afs: int) -> list[Ratio]:
    """From ``bench_indicators.py``: median wall time of each read, per 1,000 AFs."""
    ratios = []
    line = re.compile(rf"^(?P<label>\S.*?)\s+médiane\s+{NUMBER} ms\s+min\s+{NUMBER} ms\s+CPU")
    for raw in output.splitlines():
        match = line.match(raw)
        if match and "(national)" in match["label"]:
            per_thousand = _number(match[2]) / (afs / 1000)
            ratios.append(Ratio("indicateurs", match["label"], per_thousand, "ms / 1 000 AF"))
    return ratios or [Ratio("indicateurs", "lectures nationales", None, "ms / 1 000 AF")]


def ratios_exports(output: str) -> list[Ratio]:
    """From ``bench_exports.py``: seconds per 10,000 rows for xlsx and csv (and, with
    ``--queries``, for the whole server path: etp query + xlsx)."""
    size = _search(rf"^rows: {NUMBER} × {NUMBER} columns", output)
    xlsx = _search(rf"^xlsx: {NUMBER} s", output)
    csv = _search(rf"^csv:\s+{NUMBER} s", output)

    def per(match: re.Match[str] | None) -> float | None:
        return _number(match[1]) / (_number(size[1]) / 10_000) if match and size else None

    ratios = [
        Ratio("exports", "xlsx (feuille + Périmètre)", per(xlsx), "s / 10 000 lignes"),
        Ratio("exports", "csv (;, virgule décimale, BOM)", per(csv), "s / 10 000 lignes"),
    ]
    detail = _search(rf"^national detail \(SQLite\): {NUMBER} rows", output)
    query = _search(rf"^\s+etp query \+ sheet: {NUMBER} s", output)
    if detail and query:
        ratios.append(
            Ratio(
                "exports",
                "requête etp + feuille (SQLite)",
                _number(query[1]) / (_number(detail[1]) / 10_000),
                "s / 10 000 lignes",
            )
        )
    return ratios


def run(script: str, args: list[str]) -> tuple[str, int, float]:
    """Run one benchmark script, echoing its output; returns (output, exit code, seconds)."""
    command = [sys.executable, str(HERE / script), *args]
    print(f"\n=== {script} {' '.join(args)}", flush=True)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    print(done.stdout, end="", flush=True)
    if done.returncode != 0:
        print(done.stderr, end="", file=sys.stderr, flush=True)
    print(f"--- {script}: {elapsed:.1f} s (code {done.returncode})", flush=True)
    return done.stdout, done.returncode, elapsed


@contextmanager
def private_database(url: str | None) -> Iterator[str | None]:
    """``url`` itself for SQLite (or None: each benchmark makes a temporary file); for
    PostgreSQL, the URL of a private schema dropped afterwards, so the import benchmark
    neither writes into nor is skewed by the tables of the database's ``public`` schema."""
    if not url or not url.startswith(("postgres://", "postgresql")):
        yield url
        return
    from sqlalchemy import text

    from etp.db import make_engine, normalize_url

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield normalize_url(url) + sep + "options=" + quote(f"-csearch_path={schema}")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def format_table(ratios: list[Ratio]) -> str:
    """The summary as an aligned text table; an unreadable figure shows as ``n/d``."""
    rows = [("benchmark", "mesure", "valeur", "unité")]
    for r in ratios:
        valeur = "n/d" if r.valeur is None else f"{r.valeur:,.2f}".replace(",", " ")
        rows.append((r.benchmark, r.mesure, valeur, r.unite))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [row[2].rjust(widths[2]), row[3].ljust(widths[3])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modeste", action="store_true", help="the older modest benchmarks")
    parser.add_argument("--files", type=Path, default=ROOT / "instance" / "bench-national")
    parser.add_argument("--postgresql-url", default=None)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--rows", type=int, default=100_000, help="import: lines of the file")
    parser.add_argument("--afs", type=int, default=2_000, help="indicators: number of AFs")
    parser.add_argument("--repeat", type=int, default=3, help="indicators: runs per read")
    parser.add_argument("--database-url", default=None, help="import and indicators database")
    parser.add_argument(
        "--exports-queries", action="store_true", help="exports: also time etp query + xlsx"
    )
    args = parser.parse_args(argv)
    if not args.modeste:
        from national import run_national

        return run_national(args)
    db = ["--database-url", args.database_url] if args.database_url else []  # own schema

    ratios: list[Ratio] = []
    failed: list[str] = []
    with private_database(args.database_url) as import_url:
        import_db = ["--database-url", import_url] if import_url else []
        output, code, _ = run("bench_import.py", ["--rows", str(args.rows), *import_db])
    ratios += ratios_import(output)
    failed += ["bench_import.py"] if code else []
    indic_args = ["--afs", str(args.afs), "--repeat", str(args.repeat), *db]
    output, code, _ = run("bench_indicators.py", indic_args)
    ratios += ratios_indicateurs(output, args.afs)
    failed += ["bench_indicators.py"] if code else []
    output, code, _ = run("bench_exports.py", ["--queries"] if args.exports_queries else [])
    ratios += ratios_exports(output)
    failed += ["bench_exports.py"] if code else []

    print("\n=== Résumé (ratios indépendants de la taille)")
    print(format_table(ratios))
    unreadable = [f"{r.benchmark}: {r.mesure}" for r in ratios if r.valeur is None]
    if failed or unreadable:
        print(
            f"\nÉchecs : {', '.join(failed) or '-'} ; illisibles : {', '.join(unreadable) or '-'}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
