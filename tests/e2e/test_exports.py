"""Browser test of the downloads: click "Télécharger les résultats" on a chart card and receive
an .xlsx, a .csv and a .png; then "Tout télécharger (Excel)".

Playwright drives Debian's chromium against a real server on demo data. Skipped when chromium
is absent, unless ``REQUIRE_BROWSER=1`` (CI). Never ``playwright install``: no network.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-e2e-exports"
TODAY = "2026-11-05"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
TIMEOUT_MS = 90_000
CARTE = "mensuel-graphique"
DEMO = ("--structures", "30")  # small demo: quick to generate, still a DDETS 35 with data


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)")
    pytest.skip("chromium absent: browser tests skipped (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def serveur_exports(tmp_path_factory) -> Iterator[str]:
    """Small demo data in a fresh SQLite file, then ``suivi-etp run`` on a free port."""
    _chromium()
    tmp: Path = tmp_path_factory.mktemp("e2e-exports")
    url = f"sqlite:///{tmp / 'demo.db'}"
    env = {**os.environ, "DATABASE_URL": url, "SUIVI_ETP_INSTANCE": str(tmp), "SECRET_KEY": "e2e"}
    env.pop("REDIS_URL", None)
    cli = [sys.executable, "-c", "from app.cli import main; main()"]
    subprocess.run(
        [*cli, "demo", "--database-url", url, "--password", PASSWORD, "--today", TODAY, *DEMO],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    port = _free_port()
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed in the teardown
    proc = subprocess.Popen(
        [*cli, "run", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(base + "/sante", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the server did not start: " + (tmp / "server.log").read_text())
        time.sleep(0.5)
    yield base
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def page_ddets(serveur_exports):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, locale="fr-FR", accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(serveur_exports + "/")
        page.fill("input[name=email]", "ddets@demo.test")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector(f"#{CARTE}-graph .main-svg")
        yield page
        browser.close()


def _download(page, card: str, label: str):
    """Open the card's menu, click ``label`` and return the Playwright download."""
    page.click(f"#{card}-telecharger button.dropdown-toggle")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.locator(f"#{card}-telecharger .dropdown-item", has_text=label).click()
    return info.value


NOM = re.compile(r"suivi-etp_[a-z0-9-]+_20\d\d_ddets-35_20\d\d-\d\d-\d\d\.(xlsx|csv|png)")


def test_chart_card_downloads_xlsx_csv_png(page_ddets):
    xlsx = _download(page_ddets, CARTE, "Excel (.xlsx)")
    assert NOM.fullmatch(xlsx.suggested_filename), xlsx.suggested_filename
    wb = openpyxl.load_workbook(io.BytesIO(Path(xlsx.path()).read_bytes()))
    assert wb.sheetnames == ["Effectif mensuel", "Périmètre"]
    assert wb["Effectif mensuel"].max_row == 13  # header + 12 months
    perimetre = {r[0]: r[1] for r in wb["Périmètre"].iter_rows(values_only=True) if r[0]}
    assert perimetre["Périmètre de l'utilisateur"].startswith("DDETS 35")

    csv_dl = _download(page_ddets, CARTE, "CSV (.csv)")
    assert NOM.fullmatch(csv_dl.suggested_filename), csv_dl.suggested_filename
    raw = Path(csv_dl.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfMois;")

    png = _download(page_ddets, CARTE, "Image (.png)")
    assert NOM.fullmatch(png.suggested_filename), png.suggested_filename
    assert Path(png.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the chart on screen is left as it was (the image is drawn from an annotated copy)
    assert page_ddets.locator(f"#{CARTE}-graph .gtitle").count() == 0


def test_modebar_image_button_is_french_with_a_meaningful_name(page_ddets):
    page_ddets.hover(f"#{CARTE}-graph .main-svg")
    bouton = page_ddets.locator(f"#{CARTE}-graph .modebar-btn[data-title*='PNG']")
    assert bouton.get_attribute("data-title") == "Télécharger le graphique en PNG"
    for _ in range(2):  # twice: the scope and date are not appended again
        with page_ddets.expect_download(timeout=TIMEOUT_MS) as info:
            bouton.click()
        dl = info.value
        assert NOM.fullmatch(dl.suggested_filename), dl.suggested_filename
        assert Path(dl.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_tout_telecharger(page_ddets):
    with page_ddets.expect_download(timeout=TIMEOUT_MS) as info:
        page_ddets.click("#export-tout")
    dl = info.value
    assert dl.suggested_filename.startswith("suivi-etp_effectif-mensuel-complet_")
    wb = openpyxl.load_workbook(io.BytesIO(Path(dl.path()).read_bytes()))
    assert wb.sheetnames == [
        "Chiffres clés mensuels",
        "Effectif mensuel",
        "Remplissage",
        "Périmètre",
    ]
