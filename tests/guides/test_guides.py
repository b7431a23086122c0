"""The in-app guides: for logged-in users, linked from the help window, definitions read from
the indicator catalogue."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from app.guides import GUIDES, definitions
from etp.catalogue import CATALOGUE
from layouts import shell

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def siae(client, make_user, login):
    make_user("siae@x.test", "siae", structures=[1001])
    login(client, "siae@x.test")
    return client


def test_guides_need_a_login(client):
    for path in ("/guides/", "/guides/siae", "/guides/financeurs"):
        response = client.get(path)
        assert response.status_code == 302 and "/connexion" in response.headers["Location"]


@pytest.mark.parametrize("slug", list(GUIDES))
def test_each_guide_defines_its_screens_figures_from_the_catalogue(siae, slug):
    page = html.unescape(siae.get(f"/guides/{slug}").text)
    attendues = [i for _ecran, entrees in definitions(GUIDES[slug]) for i in entrees]
    assert attendues, "a guide without any definition"
    for indicateur in attendues:
        assert indicateur.titre in page
        assert indicateur.definition in page
    assert '<html lang="fr">' in page


def test_financeurs_guide_covers_the_funders_tab():
    ecrans = {e for e, entrees in definitions(GUIDES["financeurs"]) if entrees}
    assert "Synthèse financeur" in ecrans
    assert any("Synthèse financeur" in i.ecrans for i in CATALOGUE.values())


def test_unknown_guide_is_404(siae):
    assert siae.get("/guides/inconnu").status_code == 404


@pytest.mark.parametrize("slug", list(GUIDES))
def test_screenshots_of_the_guides_exist(siae, slug):
    page = siae.get(f"/guides/{slug}").text
    images = [part.split('"')[0] for part in page.split('src="/assets/captures/')[1:]]
    assert images
    for name in images:
        assert (ROOT / "assets" / "captures" / name).is_file(), name


def test_help_window_links_both_guides():
    rendu = str(shell.aide_modal().to_plotly_json())
    assert "/guides/siae" in rendu and "/guides/financeurs" in rendu
