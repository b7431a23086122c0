"""Browser test of the downloads: click "Télécharger les résultats" on a chart card and receive
an .xlsx, a .csv and a .png; then "Tout télécharger", open tab.

Playwright drives Debian's chromium against a real server on demo data (fixtures in
tests/e2e/conftest.py). Skipped when chromium is absent, unless ``REQUIRE_BROWSER=1`` (CI).
Never ``playwright install``: no network.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from outils_e2e import TIMEOUT_MS, classeur, connecter, telecharger

pytestmark = pytest.mark.e2e

CARTE = "mensuel-graphique"


@pytest.fixture
def page_ddets(navigateur, serveur):
    """The DDETS 35 demo account, logged in on the monthly tab: a page of its own per test, so
    that no test depends on a menu or a download left by another."""
    page = connecter(navigateur, serveur, "ddets@demo.test", attendre=f"#{CARTE}-graph .main-svg")
    yield page
    page.close()


NOM = re.compile(r"suivi-etp_[a-z0-9-]+_20\d\d_ddets-35_20\d\d-\d\d-\d\d\.(xlsx|csv|png)")


def test_chart_card_downloads_xlsx_csv_png(page_ddets):
    xlsx = telecharger(page_ddets, f"{CARTE}-telecharger", "Excel (.xlsx)")
    assert NOM.fullmatch(xlsx.suggested_filename), xlsx.suggested_filename
    wb = classeur(xlsx)
    assert wb.sheetnames == ["Effectif mensuel", "Périmètre"]
    assert wb["Effectif mensuel"].max_row == 13  # header + 12 months
    perimetre = {r[0]: r[1] for r in wb["Périmètre"].iter_rows(values_only=True) if r[0]}
    assert perimetre["Périmètre de l'utilisateur"].startswith("DDETS 35")

    csv_dl = telecharger(page_ddets, f"{CARTE}-telecharger", "CSV (.csv)")
    assert NOM.fullmatch(csv_dl.suggested_filename), csv_dl.suggested_filename
    raw = Path(csv_dl.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfMois;")

    png = telecharger(page_ddets, f"{CARTE}-telecharger", "Image (.png)")
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
    dl = telecharger(page_ddets, "export-tout", "Onglet affiché")
    assert dl.suggested_filename.startswith("suivi-etp_effectif-mensuel-complet_")
    wb = classeur(dl)
    assert wb.sheetnames == [
        "Chiffres clés mensuels",
        "Effectif mensuel",
        "Remplissage",
        "Périmètre",
    ]
