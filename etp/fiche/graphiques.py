"""The structure page's two charts, drawn once with matplotlib from the page's own data: SVG
for the screen, PNG for the PDF (no browser, no kaleido).

- :func:`graphique_mensuel`: the three years' monthly conventioned ETP (a step line) and
  realised ETP of validated months (bars) on one time axis; a month not validated has no bar.
- :func:`graphique_annuel`: per year, annual conventioned, realised and projected ETP (the
  catalogue's ``conventionne.etp_annuel``, ``realise.etp_annuel``, ``projection.etp_annuel``).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display: the charts are files

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from etp import catalogue
from etp.fiche.donnees import Fiche
from etp.formatting import fmt_etp

BLEU = "#2b6cb0"
GRIS = "#4a5568"
ORANGE = "#c05621"
MOIS_COURTS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip
matplotlib.rcParams["svg.hashsalt"] = "suivi-etp"  # stable SVG ids
matplotlib.rcParams["font.family"] = "DejaVu Sans"


def _axe_etp(ax) -> None:
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_etp(v, 0)))
    ax.set_ylabel("ETP")
    ax.grid(axis="y", color="#e2e8f0")
    ax.set_axisbelow(True)
    for cote in ("top", "right"):
        ax.spines[cote].set_visible(False)


def graphique_mensuel(fiche: Fiche) -> Figure:
    serie = fiche.serie()
    fig = Figure(figsize=(10, 3.6), dpi=100)
    ax = fig.subplots()
    if serie.empty:
        ax.text(0.5, 0.5, "Aucune annexe conventionnée sur ces années", ha="center")
        ax.set_axis_off()
        return fig
    x = list(range(len(serie)))
    realise = pd.to_numeric(serie["etp_mensuel_realise"], errors="coerce")
    ax.bar(x, realise.fillna(0.0), width=0.7, color=BLEU, label="Réalisé (mois validés)")
    ax.step(
        x,
        serie["etp_mensuel_conventionne"].fillna(0.0),
        where="mid",
        color=ORANGE,
        linewidth=2,
        label="Conventionné",
    )
    etiquettes = [
        f"{MOIS_COURTS[m - 1]}\n{a}" if m == 1 else MOIS_COURTS[m - 1]
        for a, m in zip(serie["annee"], serie["mois"], strict=True)
    ]
    pas = 3
    ax.set_xticks(x[::pas], etiquettes[::pas], fontsize=8)
    for i, m in enumerate(serie["mois"]):
        if m == 1 and i:
            ax.axvline(i - 0.5, color="#a0aec0", linewidth=0.8, linestyle="--")
    _axe_etp(ax)
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=2)
    fig.tight_layout()
    return fig


def graphique_annuel(fiche: Fiche) -> Figure:
    fig = Figure(figsize=(10, 3.2), dpi=100)
    ax = fig.subplots()
    annees = [a for a in fiche.annees if not a.vide]
    if not annees:
        ax.text(0.5, 0.5, "Aucune annexe conventionnée sur ces années", ha="center")
        ax.set_axis_off()
        return fig
    series = (
        ("Conventionné", "conventionne.etp_annuel", ORANGE),
        ("Réalisé", "realise.etp_annuel", BLEU),
        (catalogue.titre("projection.etp_annuel"), "projection.etp_annuel", GRIS),
    )
    largeur = 0.26
    for i, (libelle, cle, couleur) in enumerate(series):
        valeurs = [a.figures.get(cle) or 0.0 for a in annees]
        pos = [k + (i - 1) * largeur for k in range(len(annees))]
        barres = ax.bar(pos, valeurs, width=largeur, color=couleur, label=libelle)
        ax.bar_label(barres, labels=[fmt_etp(v) for v in valeurs], fontsize=7, padding=2)
    ax.set_xticks(range(len(annees)), [str(a.annee) for a in annees])
    _axe_etp(ax)
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=3, bbox_to_anchor=(0, 1.15))
    fig.tight_layout()
    return fig


def en_svg(fig: Figure) -> bytes:
    tampon = io.BytesIO()
    fig.savefig(tampon, format="svg", metadata={"Date": None})
    return tampon.getvalue()


def en_png(fig: Figure, dpi: int = 150) -> bytes:
    tampon = io.BytesIO()
    fig.savefig(tampon, format="png", dpi=dpi)
    return tampon.getvalue()
