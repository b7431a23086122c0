"""Screenshots of the product on the demo data, for the README and the in-app guides.

    .venv/bin/python tools/screenshots.py [--out assets/captures] [--today 2026-11-05]

Generates a fresh demo (fixed seed and date: the same pictures every time the product does not
change) in a temporary SQLite file, serves it with ``suivi-etp run``, logs in through the real
form with Debian's chromium and saves PNGs: each tab as ``ddets@demo.test`` at 1440×900, the
SIAE's monthly tab, and the phone view (390×844). Needs chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from app.cli import main; main()"]
PASSWORD = "Captures-ecran-demo-2026"
CHART_DRAWN = "#mensuel-graphique-graph .main-svg"
#: What shows that a tab's content is drawn (the selectors of the browser tests).
CONTENU = {
    "detail-mensuel": "#detail-mensuel-table td[data-dash-column='mois']",
    "annuel": "#annuel-kpis-realise-valeur",
    "detail-annuel": "#detail-annuel-table td[data-dash-column='statut_consommation']",
    "financeurs": "#financeurs-synthese-enveloppe-valeur",
}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]

#: (file name, account, tab id or None for the default tab, viewport)
CAPTURES: tuple[tuple[str, str, str | None, tuple[int, int]], ...] = (
    ("effectif-mensuel.png", "ddets@demo.test", None, (1440, 900)),
    ("detail-mensuel.png", "ddets@demo.test", "detail-mensuel", (1440, 900)),
    ("effectif-annuel.png", "ddets@demo.test", "annuel", (1440, 900)),
    ("detail-annuel.png", "ddets@demo.test", "detail-annuel", (1440, 900)),
    ("synthese-financeur.png", "dreets@demo.test", "financeurs", (1440, 900)),
    ("siae-effectif-mensuel.png", "siae@demo.test", None, (1440, 900)),
    ("telephone.png", "siae@demo.test", None, (390, 844)),
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("le serveur s'est arrêté au démarrage")
        try:
            with urllib.request.urlopen(base + "/sante", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("le serveur ne répond pas")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "assets" / "captures"))
    parser.add_argument("--today", default="2026-11-05")
    parser.add_argument("--structures", type=int, default=60)
    options = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        raise SystemExit("chromium absent (apt-get install chromium)")
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        env = {**os.environ, "DATABASE_URL": url, "SUIVI_ETP_INSTANCE": tmp, "SECRET_KEY": "x"}
        env.pop("REDIS_URL", None)
        demo = ["demo", "--password", PASSWORD, "--today", options.today]
        demo += ["--structures", str(options.structures)]
        subprocess.run([*CLI, *demo], env=env, check=True, capture_output=True, cwd=ROOT)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*CLI, "run", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(base, server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
                for name, email, onglet, (width, height) in CAPTURES:
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, locale="fr-FR"
                    )
                    page = context.new_page()
                    page.set_default_timeout(120_000)
                    page.goto(base + "/connexion")
                    page.fill("input[name=email]", email)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    try:
                        page.wait_for_selector(CHART_DRAWN, state="attached")
                    except Exception:
                        page.screenshot(path=str(out / f"erreur-{name}"))
                        raise
                    if onglet:
                        page.get_by_role("tab", name=_libelle(onglet)).click()
                        page.wait_for_load_state("networkidle")
                    # On a loaded machine networkidle comes before Dash's chained callbacks
                    # finish (the funders' tab was shot with its spinner, then empty): wait
                    # for the tab's content itself.
                    if onglet in CONTENU:
                        page.wait_for_selector(CONTENU[onglet], state="visible")
                    time.sleep(1.5)  # Plotly's transitions and the tables' last paint
                    page.screenshot(path=str(out / name))
                    print(out / name)
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


def _libelle(onglet: str) -> str:
    from layouts.tabs import TABS

    return next(o.label for o in TABS if o.tab_id == onglet)


if __name__ == "__main__":
    main()
