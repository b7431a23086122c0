"""Tab "Détail de la consommation mensuelle (en ETP)": one row per AF × conventioned month."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd

from callbacks import context, detail
from etp.filters import Filtres
from etp.scope import Scope
from layouts import detail_mensuel, ids

TAB_ID = "detail-mensuel"


def donnees(scope: Scope, filtres: Filtres) -> pd.DataFrame:
    """The AF × month rows of conventioned months (the same ``etp`` call as the charts)."""
    df = context.mensuels(scope, filtres)
    df = df[df["conventionne"]]
    return detail.avec_structure(df) if not df.empty else df


def reponse(etat: dict[str, Any] | None, page_current=0, page_size=25, sort_by=None, fq=""):
    return detail.reponse(
        donnees,
        detail_mensuel.COLONNES,
        etat,
        page_current,
        page_size,
        sort_by if sort_by is not None else detail_mensuel.TRI_DEFAUT,
        fq,
    )


def register(app: dash.Dash) -> None:
    detail.register_table(
        app,
        TAB_ID,
        ids.DETAIL_MENSUEL_TABLE,
        ids.DETAIL_MENSUEL_RESUME,
        donnees,
        detail_mensuel.COLONNES,
    )
