"""Tab "Détail de la consommation annuelle (en ETP)": one row per AF × year, sorted by gap."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd

from callbacks import context, detail
from etp.filters import Filtres
from etp.scope import Scope
from layouts import detail_annuel, ids

TAB_ID = "detail-annuel"


def donnees(scope: Scope, filtres: Filtres) -> pd.DataFrame:
    df = context.annuels(scope, filtres)
    return detail.avec_structure(df) if not df.empty else df


def reponse(etat: dict[str, Any] | None, page_current=0, page_size=25, sort_by=None, fq=""):
    return detail.reponse(
        donnees,
        detail_annuel.COLONNES,
        etat,
        page_current,
        page_size,
        sort_by if sort_by is not None else detail_annuel.TRI_DEFAUT,
        fq,
    )


def register(app: dash.Dash) -> None:
    detail.register_table(
        app,
        TAB_ID,
        ids.DETAIL_ANNUEL_TABLE,
        ids.DETAIL_ANNUEL_RESUME,
        donnees,
        detail_annuel.COLONNES,
    )
