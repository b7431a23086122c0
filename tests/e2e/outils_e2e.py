"""Helpers of the browser tests: the demo's constants, chromium's path and the login form.

Fixtures (server, browser) live in tests/e2e/conftest.py.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

#: Password of every demo account.
PASSWORD = "mot-de-passe-e2e-123"
#: Fixed reference date of the demo: years 2024-2026, data up to October 2026.
TODAY = "2026-11-05"
#: Structures of the shared demo: quick to generate, still data for every role (the demo puts
#: its first two structures in département 35, so a DDETS 35 always has data).
STRUCTURES = 40
TIMEOUT_MS = 90_000


def chromium() -> str:
    """Path of Debian's chromium; skips the test without it (fails under REQUIRE_BROWSER=1)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)")
    pytest.skip("chromium absent: browser tests skipped (apt-get install chromium)")


def connecter(navigateur, base: str, email: str, attendre: str):
    """A new page (in its own context: cookies apart, downloads accepted) logged in as
    ``email`` through the real login form; waits for ``attendre`` on the dashboard. Closing the
    page closes its context."""
    page = navigateur.new_page(
        viewport={"width": 1400, "height": 1000}, locale="fr-FR", accept_downloads=True
    )
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base + "/")
    assert "/connexion" in page.url  # anonymous: redirected to the login page
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(attendre)
    return page


def telecharger(page, menu: str, label: str):
    """Open the dropdown ``#menu``, click its item ``label``; returns the Playwright download."""
    page.click(f"#{menu} button.dropdown-toggle")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.locator(f"#{menu} .dropdown-item", has_text=label).click()
    return info.value


def classeur(download) -> openpyxl.Workbook:
    """The downloaded Excel file, opened."""
    return openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
