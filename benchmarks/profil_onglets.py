"""Server time of every tab's callbacks for one account, in-process, with an empty cache.

    .venv/bin/python benchmarks/profil_onglets.py --database-url sqlite:///instance/suivi_etp.db \
        [--email dgefp@demo.test] [--annee 2026] [--repeat 2] [--profile]

Not a test: it prints, per tab, the time of the first call (every read computed) and of the
next ones (served by the cache), and the size of the JSON Dash would send. ``--profile`` adds
the 15 functions with the most cumulative time of each first call (cProfile). The browser-side
figures (first chart drawn, bytes received) are ``bench_callbacks.py`` and
``bench_first_chart.py``: this script isolates the server's share of them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import time
from collections.abc import Callable
from typing import Any

import plotly
from flask_login import login_user

from app import create_app
from auth.identity import load_by_email
from callbacks import (
    annuel,
    cofinancement,
    demarrage,
    detail_annuel,
    detail_mensuel,
    filters,
    financeurs,
    mensuel,
)


def _taille_ko(valeur: Any) -> float:
    return len(json.dumps(valeur, cls=plotly.utils.PlotlyJSONEncoder).encode()) / 1024


def _onglets(etat: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    return {
        "filtres": lambda: filters.synchroniser(f"?annee={etat['annee']}", None, None, *[""] * 6),
        "mensuel": lambda: mensuel.contenu(etat),
        "detail_mensuel": lambda: detail_mensuel.TABLEAU.reponse(etat),
        "annuel": lambda: annuel.contenu(etat),
        "detail_annuel": lambda: detail_annuel.TABLEAU.reponse(etat),
        "financeurs": lambda: financeurs.contenu(etat),
        "financeurs_suivi": lambda: financeurs.suivi(
            etat, ["sur-consommation", "sous-consommation"], "etp"
        ),
        **{
            f"financeurs_{table_id}": lambda t=table: t.reponse(etat)
            for table_id, table in financeurs.TABLES.items()
        },
        "cofinancement": lambda: cofinancement.contenu(etat),
        **{
            f"cofinancement_{table_id}": lambda t=table: t.reponse(etat)
            for table_id, table in cofinancement.TABLES.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--email", default="dgefp@demo.test")
    parser.add_argument("--annee", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--froid", action="store_true", help="without the worker's warm-up (callbacks.demarrage)"
    )
    parser.add_argument("--tri", default="cumulative", help="cProfile order (e.g. tottime)")
    options = parser.parse_args()
    app = create_app(
        {"DATABASE_URL": options.database_url, "CACHE_TYPE": "SimpleCache", "TESTING": True}
    )
    server = app.server
    if not options.froid:
        demarrage.rendre_une_fois()  # as each gunicorn worker does at boot (app.wsgi)
    with server.test_request_context("/"):
        from app.extensions import engine
        from etp.queries import as_of_par_defaut

        compte = load_by_email(engine(), options.email)
        if compte is None:
            raise SystemExit(f"compte inconnu : {options.email}")
        login_user(compte)
        annee = options.annee or as_of_par_defaut(engine())[0]
        etat = {"annee": annee}
        print(f"{options.email}, année {annee}, {options.database_url.split('://')[0]}")
        for nom, appel in _onglets(etat).items():
            profil = cProfile.Profile() if options.profile else None
            debut = time.perf_counter()
            if profil:
                profil.enable()
            resultat = appel()
            if profil:
                profil.disable()
            premier = (time.perf_counter() - debut) * 1000
            suivants = []
            for _ in range(options.repeat):
                debut = time.perf_counter()
                appel()
                suivants.append((time.perf_counter() - debut) * 1000)
            print(
                f"{nom}: first {premier:,.0f} ms, cached {min(suivants, default=0):,.0f} ms, "
                f"response {_taille_ko(resultat):,.1f} KB"
            )
            if profil:
                sortie = io.StringIO()
                pstats.Stats(profil, stream=sortie).sort_stats(options.tri).print_stats(15)
                print(sortie.getvalue())


if __name__ == "__main__":
    main()
