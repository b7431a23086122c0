"""Plotly figure builders: pure functions from the series of ``etp.synthese`` to a figure.

The monthly series (``etp.synthese.serie_mensuelle``) has one row per month (``mois`` 1..12),
all unrounded: ``etp_mensuel_conventionne``, ``etp_mensuel_conventionne_valide`` and
``etp_mensuel_realise`` (the AFs validated that month; realised NaN when none),
``taux_realisation_mensuel`` (like for like), ``nb_af_valides``, ``nb_af_conventionnees``,
``a_venir``, ``etat`` (the month's state in words) and one count per state in ``ETATS``.
The cumulative chart takes ``etp.synthese.cumul_annuel``. Numbers reach the screen
formatted by Plotly with the French locale (``separators=", "``), never rounded here.

The server does not know the screen width: on a phone, ``assets/graphiques-telephone.js``
relabels the month axis (every other month, upright) and drops the rate axis title.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from etp.formatting import fmt_annexes_validees, fmt_pct

ETATS: tuple[tuple[str, str, str], ...] = (
    # column, label, colour
    ("nb_valide", "Validé", "#1b7a3a"),
    ("nb_debloque", "Débloqué", "#b35c00"),
    ("nb_saisi", "Saisi", "#2f6db5"),
    ("nb_brouillon", "Brouillon", "#8a8f98"),
    ("nb_non_saisi", "Non saisi", "#d0d4da"),
)
COULEUR_CONVENTIONNE = "#9db4d6"
COULEUR_REALISE = "#1f4e8c"
COULEUR_TAUX = "#c2410c"
COULEUR_NON_VALIDE = "#b8bec8"
HOVER_ETP = "%{y:.2f} ETP"
MOIS_COURTS = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
]  # fmt: skip


#: Whether each chart is checked against Plotly's schema when it is handed over
#: (:meth:`Chart.to_plotly_json`): off when serving, on in the tests (tests/conftest.py), so
#: that a misspelt property fails there.
VALIDER = False

#: Layout settings of Plotly's default template that draw nothing on a chart of bars and lines
#: on cartesian axes (maps, polar and 3D scenes, colour scales).
_HORS_CARTESIEN = frozenset({"geo", "polar", "scene", "ternary", "coloraxis", "colorscale"})


def _template() -> dict[str, Any]:
    """Plotly's default template ("plotly", the look every chart had when built with
    ``plotly.graph_objects``), kept to what bars and lines use: 1.2 KB instead of the 7 KB
    that each chart of a response carried."""
    complet = pio.templates["plotly"].to_plotly_json()
    return {
        "data": {trace: complet["data"][trace] for trace in ("bar", "scatter")},
        "layout": {k: v for k, v in complet["layout"].items() if k not in _HORS_CARTESIEN},
    }


TEMPLATE: dict[str, Any] = _template()


def _fusionner(cible: dict[str, Any], ajouts: dict[str, Any]) -> dict[str, Any]:
    """``ajouts`` merged into ``cible`` the way Plotly's ``update_layout`` does: a dict into
    the dict already there, key by key; ``None`` unsets; any other value replaces."""
    for cle, valeur in ajouts.items():
        if valeur is None:
            cible.pop(cle, None)
        elif isinstance(valeur, dict):
            dedans = cible.get(cle)
            cible[cle] = _fusionner(dict(dedans) if isinstance(dedans, dict) else {}, valeur)
        else:
            cible[cle] = valeur
    return cible


class Chart:
    """A Plotly figure built as the plain data Dash sends (``{"data": [...], "layout":
    {...}}``), with the calls of ``plotly.graph_objects.Figure`` the charts use.

    ``graph_objects`` turns every trace and layout property into an object, even unvalidated:
    25-35 ms a chart on a national tab, for properties that are fixed in this code. Here a
    trace is a dict; :data:`VALIDER` has Plotly check the result in the tests."""

    def __init__(self) -> None:
        self.data: list[dict[str, Any]] = []
        self.layout: dict[str, Any] = {"template": TEMPLATE}

    def add_bar(self, **trace: Any) -> Chart:
        self.data.append({"type": "bar", **trace})
        return self

    def add_scatter(self, **trace: Any) -> Chart:
        self.data.append({"type": "scatter", **trace})
        return self

    def update_layout(self, **proprietes: Any) -> Chart:
        _fusionner(self.layout, proprietes)
        return self

    def update_yaxes(self, **proprietes: Any) -> Chart:
        """``proprietes`` on every y axis of the layout (``yaxis``, ``yaxis2``…)."""
        axes = [cle for cle in self.layout if cle.startswith("yaxis")] or ["yaxis"]
        for axe in axes:
            self.update_layout(**{axe: proprietes})
        return self

    def to_plotly_json(self) -> dict[str, Any]:
        """The figure as ``dcc.Graph`` takes it (checked by Plotly when :data:`VALIDER`)."""
        figure = {"data": self.data, "layout": self.layout}
        if VALIDER:
            go.Figure(figure)  # raises ValueError on a property Plotly does not know
        return figure


def _layout(fig: Chart, titre_y: str) -> Chart:
    fig.update_layout(
        separators=", ",
        # a narrow right margin: on a phone every pixel goes to the bars (the monthly chart,
        # with its rate axis on the right, widens it again)
        margin={"l": 50, "r": 15, "t": 30, "b": 40},
        legend={"orientation": "h", "y": -0.15},
        hovermode="x unified",
        plot_bgcolor="white",
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
        # separatethousands: "1 000", not "1000" (Plotly groups only from 5 digits by default)
        yaxis={
            "title": {"text": titre_y},
            "gridcolor": "#e5e7eb",
            "rangemode": "tozero",
            "separatethousands": True,
        },
        height=380,
    )
    return fig


def axe_pourcentages(valeurs: list[float | None], pas: float = 0.25) -> dict:
    """Ticks of a percentage axis written the French way ("125 %", not "125%"): Plotly's
    d3 "%" format has no space and its locale cannot add one, so the ticks are listed here,
    every ``pas`` from 0 to just above the largest value (at least 100 %); the step doubles
    while that would make more than 8 intervals (an outlier at 400 % stays readable)."""
    haut = max([1.0, *[v for v in valeurs if v is not None]])
    nb = math.ceil(haut / pas - 1e-9)
    while nb > 8:
        pas *= 2
        nb = math.ceil(haut / pas - 1e-9)
    ticks = [round(i * pas, 6) for i in range(nb + 1)]
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [fmt_pct(t) for t in ticks]}


def textes_pourcentages(valeurs: list[float | None]) -> list[str]:
    """Hover texts of percentages, French style ("112 %"); an empty text for a gap."""
    return ["" if v is None else fmt_pct(v) for v in valeurs]


def _labels(serie: pd.DataFrame) -> list[str]:
    return [MOIS_COURTS[int(m) - 1] for m in serie["mois"]]


def _none_if_nan(values: pd.Series) -> list[float | None]:
    """Plotly leaves a gap for ``None``: a month without data is never drawn as 0."""
    out: list[float | None] = []
    for v in values:
        out.append(None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v))
    return out


def couverture(valides: int, total: int) -> str:
    """What a month's bars cover: "3 annexes sur 9 validées", "Aucune annexe validée"."""
    if total == 0:
        return "Non conventionné"
    if valides == 0:
        return "Aucune annexe validée"
    if valides == total:
        return "Toutes les annexes validées" if total > 1 else "Annexe validée"
    return fmt_annexes_validees(valides, total)


def figure_mensuelle(serie: pd.DataFrame, annee: int) -> Chart:
    """Per month, the realised ETP of the AFs validated that month beside the conventioned ETP
    of those same AFs (solid); the conventioned ETP of the AFs not validated yet is a hatched
    segment stacked on the *conventioned* bar (labelled with its state), so nothing above the
    conventioned line ever reads as consumption. The rate line is like for like; the hover says
    how many AFs the month covers ("3 annexes sur 9 validées")."""
    x = _labels(serie)
    textes_couverture = [
        couverture(int(v), int(n))
        for v, n in zip(serie["nb_af_valides"], serie["nb_af_conventionnees"], strict=True)
    ]
    valide = serie["etp_mensuel_conventionne_valide"].where(serie["nb_af_valides"] > 0)
    fig = Chart()
    fig.add_bar(
        x=x,
        y=_none_if_nan(valide),
        name="Conventionné (annexes validées)",
        marker={"color": COULEUR_CONVENTIONNE},
        offsetgroup="conventionne",
        customdata=textes_couverture,
        hovertemplate=HOVER_ETP + " (%{customdata})",
    )
    fig.add_bar(
        x=x,
        y=_none_if_nan(serie["etp_mensuel_realise"]),
        name="Réalisé (annexes validées)",
        marker={"color": COULEUR_REALISE},
        offsetgroup="realise",
        hovertemplate=HOVER_ETP,
    )
    reste = serie["etp_mensuel_conventionne"] - serie["etp_mensuel_conventionne_valide"]
    reste = reste.where(reste > 0)
    fig.add_bar(
        x=x,
        y=_none_if_nan(reste),
        base=[float(b) for b in serie["etp_mensuel_conventionne_valide"]],
        name="Conventionné (annexes non validées)",
        marker={
            "color": "rgba(0,0,0,0)",
            "line": {"color": COULEUR_NON_VALIDE, "width": 1},
            "pattern": {"shape": "/", "fgcolor": COULEUR_NON_VALIDE, "solidity": 0.4},
        },
        offsetgroup="conventionne",
        customdata=list(serie["etat"]),
        hovertemplate=HOVER_ETP + " non validés : %{customdata}",
        text=[
            e if nv and n == 1 else ""  # one AF: its state; several: see the hover
            for e, nv, n in zip(
                serie["etat"], reste.notna(), serie["nb_af_conventionnees"], strict=True
            )
        ],
        textposition="inside",
        insidetextanchor="start",
        textangle=-90,
        textfont={"color": "#374151", "size": 11},
    )
    taux = _none_if_nan(serie["taux_realisation_mensuel"])
    fig.add_scatter(
        x=x,
        y=taux,
        name="Taux de réalisation",
        yaxis="y2",
        mode="lines+markers",
        line={"color": COULEUR_TAUX, "width": 2},
        connectgaps=False,
        customdata=[
            f"{t} ({c})" if t else ""
            for t, c in zip(textes_pourcentages(taux), textes_couverture, strict=True)
        ],
        hovertemplate="%{customdata}",
    )
    _layout(fig, "ETP")
    fig.update_layout(
        barmode="group",
        margin={"r": 60},
        yaxis2={
            "title": {"text": "Taux de réalisation"},
            "overlaying": "y",
            "side": "right",
            **axe_pourcentages(taux),
            "rangemode": "tozero",
            "showgrid": False,
        },
        meta={"annee": annee},
    )
    return fig


def figure_remplissage(serie: pd.DataFrame) -> Chart:
    """Stacked counts of conventioned AFs per monthly state, month by month."""
    x = _labels(serie)
    fig = Chart()
    for col, label, color in ETATS:
        fig.add_bar(
            x=x,
            y=[int(v) for v in serie[col]],
            name=label,
            marker={"color": color},
            hovertemplate=f"{label} : %{{y}}<extra></extra>",
        )
    _layout(fig, "Annexes financières")
    fig.update_layout(barmode="stack")
    total = int(serie[[c for c, _, _ in ETATS]].sum(axis=1).max()) if len(serie) else 0
    fig.update_yaxes(tickformat="d", dtick=1 if total <= 10 else None)
    return fig


def figure_cumul(
    cumul: pd.DataFrame, enveloppe: float, projection: float | None, dernier_mois: int | None
) -> Chart:
    """Annual ETP consumed, cumulated month by month (``etp.synthese.cumul_annuel``), against
    the conventioned envelope and the conventioned pace; a dotted line to the year-end
    projection."""
    x = _labels(cumul)
    cumul_real = cumul["cumul_realise"]
    fig = Chart()
    fig.add_scatter(
        x=x,
        y=[float(enveloppe)] * len(x),
        name="Enveloppe annuelle conventionnée",
        mode="lines",
        line={"color": "#6b7280", "dash": "dash"},
        hovertemplate=HOVER_ETP,
    )
    fig.add_scatter(
        x=x,
        y=[float(v) for v in cumul["cumul_conventionne"]],
        name="Rythme conventionné (cumul)",
        mode="lines",
        line={"color": COULEUR_CONVENTIONNE, "width": 2},
        hovertemplate=HOVER_ETP,
    )
    fig.add_scatter(
        x=x,
        y=_none_if_nan(cumul_real),
        name="Réalisé cumulé (mois validés)",
        mode="lines+markers",
        line={"color": COULEUR_REALISE, "width": 3},
        hovertemplate=HOVER_ETP,
    )
    if projection is not None and dernier_mois is not None and dernier_mois < 12:
        start = float(cumul_real[cumul["mois"] == dernier_mois].iloc[0])
        fig.add_scatter(
            x=[x[dernier_mois - 1], x[-1]],
            y=[start, float(projection)],
            name="Projection fin d'année",
            mode="lines+markers",
            line={"color": COULEUR_TAUX, "dash": "dot"},
            hovertemplate=HOVER_ETP,
        )
    _layout(fig, "ETP annuels cumulés")
    return fig
