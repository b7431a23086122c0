"""Dash callbacks, registered per app (no module-level ``@dash.callback``: plotly/dash#3024).

Adding a tab: one line in ``layouts/tabs.py`` and its module in ``MODULES`` here.
"""

from __future__ import annotations

import dash

from callbacks import (
    annuel,
    cofinancement,
    detail_annuel,
    detail_mensuel,
    exports,
    filters,
    financeurs,
    mensuel,
    onglets,
    page,
    prechargement,
)

MODULES = [
    page,
    filters,
    onglets,
    mensuel,
    detail_mensuel,
    annuel,
    detail_annuel,
    financeurs,
    cofinancement,
    exports,
]


def register(app: dash.Dash) -> None:
    """Attach every callback of the dashboard to ``app``."""
    for module in MODULES:
        module.register(app)
    prechargement.register(app.server)
