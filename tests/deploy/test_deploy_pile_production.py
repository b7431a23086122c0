"""A smoke walk of the production stack as a whole, in chromium: gunicorn with several workers,
PostgreSQL (a private schema of ``TEST_DATABASE_URL``), Redis (``TEST_REDIS_URL``: cache and
login counter), the demo loaded by ``suivi-etp demo``, the real login form, every tab for two
roles, one export, a logout.

The figures checked on the way (annual conventioned and realised) are recomputed from the
PostgreSQL database by ``calculs_demo``, so the walk also proves that the PostgreSQL stack
shows the same numbers as the definitions. CI (``REQUIRE_POSTGRES``, ``REQUIRE_REDIS``,
``REQUIRE_BROWSER``) turns any missing piece into a failure; locally it is skipped without
them (``make test-fast`` leaves it out: marker ``deploy``).
"""

from __future__ import annotations

import io
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from calculs_demo import PERIMETRES, Filtres, Selection, au_centime_pres, lire_annexes
from outils_gunicorn import BIN, ROOT, Server, environment, gunicorn, stop
from sqlalchemy import create_engine, text

from etp.db import normalize_url

pytestmark = [pytest.mark.deploy, pytest.mark.browser]

PASSWORD = "mot-de-passe-pile-0"
TODAY = "2026-11-05"
TIMEOUT_MS = 90_000
ONGLETS = [
    ("Effectif mensuel (en ETP)", "#mensuel-kpis-moyen-valeur"),
    ("Détail de la consommation mensuelle (en ETP)", "#detail-mensuel-table td"),
    ("Effectif annuel (en ETP)", "#annuel-kpis-realise-valeur"),
    ("Détail de la consommation annuelle (en ETP)", "#detail-annuel-table td"),
    ("Synthèse financeur", "#financeurs-synthese-enveloppe-valeur"),
]


def _requis(variable: str, message: str) -> None:
    if os.environ.get(variable) == "1":
        pytest.fail(f"{variable}=1 but {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def postgresql_prive() -> Iterator[str]:
    """The URL of a private schema of the PostgreSQL test database, dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        _requis("REQUIRE_POSTGRES", "TEST_DATABASE_URL is not set")
    schema = f"pile_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield normalize_url(url) + sep + "options=" + quote(f"-csearch_path={schema}")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def pile(tmp_path_factory, postgresql_prive, redis_url_module) -> Iterator[Server]:
    """gunicorn (3 workers) on the demo in PostgreSQL, with Redis."""
    tmp: Path = tmp_path_factory.mktemp("pile")
    env = environment(tmp, redis_url_module, postgresql_prive)
    demo = ["demo", "--structures", "12", "--password", PASSWORD, "--today", TODAY]
    subprocess.run(
        [str(BIN / "suivi-etp"), *demo],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    server = gunicorn(tmp, env, workers=3)
    try:
        yield server
    finally:
        stop(server.process)


def _connexion(chromium, base: str, email: str):
    page = chromium.new_page(
        viewport={"width": 1400, "height": 1000}, locale="fr-FR", accept_downloads=True
    )
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base + "/")
    assert "/connexion" in page.url
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#mensuel-kpis-moyen-valeur")
    return page


def _menu(page, menu: str, libelle: str) -> None:
    """Open a card's download menu and click ``libelle``; opened again if a re-render of the
    tab closed it in between (bounded)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    item = page.locator(f"{menu} .dropdown-item", has_text=libelle)
    for _ in range(3):
        page.click(f"{menu} button.dropdown-toggle")
        try:
            item.wait_for(state="visible", timeout=10_000)
            # closed again between the two (a CI run waited 90 s on a hidden item): reopen
            item.click(timeout=10_000)
        except PlaywrightTimeout:
            continue
        return
    pytest.fail(f"the menu {menu} did not open")


def _deconnexion(page, base: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()
    assert "/connexion" in page.url, (page.url, page.inner_text("body")[:300])
    assert "Vous êtes déconnecté" in page.inner_text("body")
    page.goto(base + "/")  # the session is over: back to the login form
    assert "/connexion" in page.url


def _parcours(page, selection: Selection, financeur: bool) -> None:
    """Every tab of the role renders (an SIAE has no funders' tab); the annual figures are the
    recomputed ones."""
    page.get_by_role("tab", name=ONGLETS[0][0]).wait_for()  # the tab row is drawn
    synthese = page.get_by_role("tab", name="Synthèse financeur")
    if not financeur:
        assert synthese.count() == 0
    for nom, attendre in ONGLETS:
        if nom == "Synthèse financeur" and not financeur:
            continue
        page.get_by_role("tab", name=nom).click()
        page.wait_for_selector(attendre)
        if nom == "Effectif annuel (en ETP)":
            conv = page.inner_text("#annuel-kpis-conventionne-valeur")
            realise = page.inner_text("#annuel-kpis-realise-valeur")
            assert au_centime_pres(conv, selection.annuel_conventionne), conv
            assert au_centime_pres(realise, selection.annuel_realise), realise
    assert "Traceback" not in page.inner_text("body")


def _selection(page, engine, email: str) -> Selection:
    def valeur(nom: str) -> str:
        return page.evaluate(f"() => document.getElementById('filtres-{nom}')?.value ?? ''")

    filtres = Filtres(annee=int(valeur("annee")), structure=valeur("structure"))
    return Selection.de(lire_annexes(engine, filtres.annee), PERIMETRES[email], filtres)


def test_two_roles_walk_every_tab_export_and_log_out(pile, chromium_session, postgresql_prive):
    chromium = chromium_session
    engine = create_engine(postgresql_prive)
    try:
        for email in ("siae@demo.test", "dgefp@demo.test"):
            page = _connexion(chromium, pile.base, email)
            selection = _selection(page, engine, email)
            assert selection.annexes
            _parcours(page, selection, financeur=email != "siae@demo.test")
            if email == "dgefp@demo.test":
                page.get_by_role("tab", name="Effectif annuel (en ETP)").click()
                page.wait_for_selector("#annuel-cumul-graph .main-svg")
                page.wait_for_load_state("networkidle")  # the tab's callbacks have answered
                with page.expect_download(timeout=TIMEOUT_MS) as info:
                    _menu(page, "#annuel-cumul-telecharger", "Excel")
                wb = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
                assert wb.sheetnames[-1] == "Périmètre" and wb.worksheets[0].max_row == 13
            _deconnexion(page, pile.base)
            page.close()
    finally:
        engine.dispose()
    # several workers served the walk, and every one of its requests succeeded
    served = pile.access()
    assert len({pid for pid, _, _ in served}) >= 2, "one worker served the whole walk"
    assert not [r for r in served if r[2] >= 500], [r for r in served if r[2] >= 500]
    # the dashboard's reads were cached in Redis (shared by the workers), not per process
    import redis

    with redis.Redis.from_url(os.environ["TEST_REDIS_URL"], socket_timeout=5) as client:
        assert client.keys("suivi-etp:cache:*")
