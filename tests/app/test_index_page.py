"""The page skeleton Dash serves: no Babel polyfill (app.DashSansPolyfill), everything else."""

from __future__ import annotations

import re

from app import POLYFILL


def test_la_page_ne_charge_pas_le_polyfill_mais_charge_react(client, make_user, login):
    make_user("ddets@test.fr", "ddets", departement="35")
    login(client, "ddets@test.fr")
    page = client.get("/").text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert not [s for s in scripts if "polyfill" in s]
    noms = [s.rsplit("/", 1)[-1] for s in scripts]
    assert any(n.startswith("react@") for n in noms)
    assert any(n.startswith("react-dom@") for n in noms)
    assert any(n.startswith("dash_renderer") for n in noms)  # the renderer comes last
    assert noms.index(next(n for n in noms if n.startswith("react@"))) == 0


def test_le_motif_ne_retire_que_le_polyfill():
    scripts = (
        '<script src="/_dash-component-suites/dash/deps/polyfill@7.v4m1.min.js"></script>\n'
        '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>'
    )
    assert POLYFILL.sub("", scripts) == (
        '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>'
    )
