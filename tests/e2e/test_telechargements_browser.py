"""Browser test of the downloads as promised: a key-figure card's image, a detail table filtered
in its header downloads the rows on screen (and says so), "Tout télécharger" offers the open tab
and the whole dashboard.

Playwright drives Debian's chromium against a real server on demo data (fixtures in
tests/e2e/conftest.py). Never ``playwright install``: no network.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from outils_e2e import classeur, connecter, telecharger
from PIL import Image

pytestmark = pytest.mark.e2e

TABLE = "detail-annuel-table"
CARTE = TABLE + "-carte"


@pytest.fixture
def page_ddets(navigateur, serveur):
    page = connecter(navigateur, serveur, "ddets@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    yield page
    page.close()


def _nombre(texte: str) -> int:
    return int(re.sub(r"\D", "", texte))


def test_kpi_card_image(page_ddets):
    dl = telecharger(page_ddets, "mensuel-kpis-telecharger", "Image (.png)")
    assert re.fullmatch(
        r"suivi-etp_chiffres-cles-mensuels_20\d\d_ddets-35_20\d\d-\d\d-\d\d\.png",
        dl.suggested_filename,
    ), dl.suggested_filename
    image = Image.open(io.BytesIO(Path(dl.path()).read_bytes()))
    assert image.format == "PNG" and image.width >= 960 and image.height >= 300
    # not a blank picture: the caption and the tiles are drawn in dark ink on white
    couleurs = image.convert("L").getcolors(maxcolors=1_000_000)
    assert sum(n for n, niveau in couleurs if niveau < 80) > 2_000


def test_filtered_table_downloads_the_rows_on_screen(page_ddets):
    page = page_ddets
    page.get_by_role("tab", name="Détail de la consommation annuelle (en ETP)").click()
    page.wait_for_selector(f"#{TABLE} td[data-dash-column='statut_consommation']")
    resume = page.locator("#detail-annuel-resume")
    total = _nombre(resume.inner_text().split("ligne")[0])
    filtre = page.locator(
        f"#{TABLE} th.dash-filter[data-dash-column='statut_consommation'] input[type=text]"
    )
    filtre.fill("sous")
    filtre.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#detail-annuel-resume').innerText.includes('après')"
    )
    texte = resume.inner_text()
    a_l_ecran = _nombre(texte.split("ligne")[0])
    assert 0 < a_l_ecran < total, texte
    assert _nombre(texte.split(" sur ")[1].split("après")[0]) == total

    xlsx = telecharger(page, CARTE + "-telecharger", "Excel (.xlsx)")
    wb = classeur(xlsx)
    ws = wb["Détail annuel"]
    rows = list(ws.iter_rows(values_only=True))
    consommation = rows[0].index("Consommation")
    assert len(rows) - 1 == a_l_ecran
    assert {r[consommation] for r in rows[1:]} == {"Sous-consommation"}
    perimetre = {r[0]: r[1] for r in wb["Périmètre"].iter_rows(values_only=True) if r[0]}
    assert perimetre["Filtres du tableau"] == "Consommation contient « sous »"
    assert perimetre["Tri"].endswith(", croissant")

    png = telecharger(page, CARTE + "-telecharger", "Image (.png)")
    assert png.suggested_filename.endswith(".png")
    assert Path(png.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # "Tout télécharger": the open tab, then the whole dashboard, both with the table's filter
    onglet = classeur(telecharger(page, "export-tout", "Onglet affiché (Excel)"))
    assert onglet.sheetnames == ["Détail annuel", "Périmètre"]
    assert onglet["Détail annuel"].max_row - 1 == a_l_ecran
    complet = telecharger(page, "export-tout", "Tout le tableau de bord (Excel)")
    assert complet.suggested_filename.startswith("suivi-etp_tableau-de-bord-complet_")
    tout = classeur(complet)
    for feuille in (
        "Chiffres clés mensuels",
        "Effectif mensuel",
        "Détail mensuel",
        "Détail annuel",
    ):
        assert feuille in tout.sheetnames
    assert tout.sheetnames[-1] == "Périmètre"
    assert tout["Détail annuel"].max_row - 1 == a_l_ecran
