"""Server time and size of every Dash callback while a user opens each tab, in chromium.

    .venv/bin/python benchmarks/bench_callbacks.py --base http://127.0.0.1:8050 \
        --email dgefp@demo.test --password P [--save-requests requests.json]

Run it right after the server starts with an empty cache. Two passes, as the user:

1. **après connexion**: log in, then open each tab of the default selection. The login computes
   the first tab and the funders' tab of that selection in the background
   (``callbacks.prechargement``), so some of these answers are cache hits: what a user feels
   on arriving, not what a computation costs;
2. **nouvelle sélection**: choose the previous year in the filter bar (a selection nobody has
   opened: nothing is precomputed for it), then open each tab again. Every view is computed
   the first time it is asked for: this pass gives ``callback_p95_ms``, the figure the issue
   asks for (the first time a selection is seen).

For every ``/_dash-update-component`` response: server time = time to first byte
(``responseStart - requestStart`` of the browser's timing), size = decoded body. Prints one
line per tab and pass (callbacks, worst and median server time, largest response) and a summary
line ``CALLBACKS callback_p95_ms=… worst_tab=… login_p95_ms=… all_p95_ms=… max_response_kb=…
n=…`` where ``callback_p95_ms`` is the p95 of the callbacks of the worst tab of pass 2 and
``login_p95_ms`` the same for pass 1. ``--save-requests`` keeps the callback requests (JSON
bodies) for ``bench_load.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from layouts.ids import FILTRES_ANNEE
from layouts.tabs import TABS

CHART_DRAWN = ".js-plotly-plot .plot-container .main-svg .trace"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
CALLBACK = "/_dash-update-component"
APRES_CONNEXION = "après connexion"
NOUVELLE_SELECTION = "nouvelle sélection"


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _wait_quiet(page, pending: set, quiet_s: float = 0.8, timeout_s: float = 120) -> None:
    """Until no callback has been in flight for ``quiet_s`` seconds."""
    end = time.monotonic() + timeout_s
    calm_since = time.monotonic()
    while time.monotonic() < end:
        page.wait_for_timeout(100)
        if pending:
            calm_since = time.monotonic()
        elif time.monotonic() - calm_since >= quiet_s:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8050")
    parser.add_argument("--email", default="dgefp@demo.test")
    parser.add_argument("--password", required=True)
    parser.add_argument("--save-requests", type=Path, default=None)
    options = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        raise SystemExit("chromium absent (apt-get install chromium)")

    current = {"tab": TABS[0].label, "passe": APRES_CONNEXION}
    pending: set = set()
    records: list[dict] = []

    started_on: dict = {}  # request -> (pass, tab) when the browser sent it

    def on_request(request) -> None:
        if CALLBACK in request.url:
            pending.add(request)
            started_on[request] = (current["passe"], current["tab"])

    def on_finished(request) -> None:
        if CALLBACK not in request.url:
            return
        pending.discard(request)
        with contextlib.suppress(Exception):
            timing = request.timing
            response = request.response()
            body = response.body() if response else b""
            passe, tab = started_on.pop(request, (current["passe"], current["tab"]))
            records.append(
                {
                    "passe": passe,
                    "tab": tab,
                    "server_ms": timing["responseStart"] - timing["requestStart"],
                    "kb": len(body) / 1024,
                    "status": response.status if response else None,
                    "body": request.post_data,
                }
            )

    def on_failed(request) -> None:
        pending.discard(request)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(180_000)
        page.on("request", on_request)
        page.on("requestfinished", on_finished)
        page.on("requestfailed", on_failed)
        page.goto(options.base + "/connexion")
        page.fill("input[name=email]", options.email)
        page.fill("input[name=password]", options.password)
        page.click("button[type=submit]")
        page.wait_for_selector(CHART_DRAWN, state="attached")
        _wait_quiet(page, pending)
        _ouvrir_les_onglets(page, pending, current, TABS[1:])
        # pass 2: a year nobody has opened, from the last tab back to the first
        annees = page.eval_on_selector_all(
            f"#{FILTRES_ANNEE} option", "os => os.map(o => o.value).filter(v => v)"
        )
        choisie = page.input_value(f"#{FILTRES_ANNEE}")
        autre = next((a for a in annees if a < choisie), None)
        if autre is None:
            raise SystemExit(f"pas d'année avant {choisie} à choisir ({annees})")
        current.update(passe=NOUVELLE_SELECTION, tab=TABS[-1].label)
        page.select_option(f"#{FILTRES_ANNEE}", autre)
        _wait_quiet(page, pending)
        _ouvrir_les_onglets(page, pending, current, TABS[:-1])
        browser.close()

    resume: dict[str, tuple[str | None, float]] = {}
    for passe in (APRES_CONNEXION, NOUVELLE_SELECTION):
        print(f"-- {passe}")
        worst_tab, worst = None, -1.0
        for onglet in TABS:
            lignes = [r for r in records if r["passe"] == passe and r["tab"] == onglet.label]
            if not lignes:
                print(f"{onglet.label}: aucun callback")
                continue
            times = [r["server_ms"] for r in lignes]
            tab_p95 = p95(times)
            print(
                f"{onglet.label}: {len(times)} callbacks, p95 {tab_p95:.0f} ms, "
                f"max {max(times):.0f} ms, median {statistics.median(times):.0f} ms, "
                f"largest response {max(r['kb'] for r in lignes):.0f} KB"
            )
            if tab_p95 > worst:
                worst_tab, worst = onglet.label, tab_p95
        resume[passe] = (worst_tab, worst)
    errors = [r for r in records if r["status"] not in (200, 204)]
    biggest = max(records, key=lambda r: r["kb"])
    print(f"errors: {len(errors)}; largest response: {biggest['kb']:.0f} KB ({biggest['tab']})")
    if options.save_requests:
        bodies = [r["body"] for r in records if r["body"] and r["status"] == 200]
        options.save_requests.write_text(json.dumps(bodies), encoding="utf-8")
    worst_tab, worst = resume[NOUVELLE_SELECTION]
    print(
        f"CALLBACKS callback_p95_ms={worst:.0f} worst_tab={worst_tab!r} "
        f"login_p95_ms={resume[APRES_CONNEXION][1]:.0f} "
        f"all_p95_ms={p95([r['server_ms'] for r in records]):.0f} "
        f"max_response_kb={biggest['kb']:.0f} n={len(records)}"
    )


def _ouvrir_les_onglets(page, pending: set, current: dict, onglets) -> None:
    """Click each tab of ``onglets`` in turn, each time until no callback is in flight."""
    for onglet in onglets:
        current["tab"] = onglet.label
        page.get_by_role("tab", name=onglet.label).click()
        _wait_quiet(page, pending)


if __name__ == "__main__":
    main()
