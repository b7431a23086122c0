"""PNG images of the key-figure cards and of the tables, drawn on the server with matplotlib.

A chart's PNG is drawn in the browser from the chart itself (``assets/export_image.js``); a
key-figure card or a table has no chart to copy, so its image is drawn here from the same
:class:`~etp.exports.columns.ExportSheet` as its Excel file, its values written the French way
(``etp.formatting``), under the same caption as the charts' images: card title, the user's
scope, the filters, the data date, and the extraction date. Nothing here reads the browser:
the sheet has been built on the server, within the user's scope.

Text is set in DejaVu Sans (shipped with matplotlib, it has every French character).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: the images are files

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

from etp.exports.columns import Colonne, ExportSheet
from etp.exports.values import as_date, as_int, as_mois, as_text, is_missing
from etp.formatting import (
    VIDE,
    fmt_date,
    fmt_etp,
    fmt_euros,
    fmt_mois,
    fmt_nombre,
    fmt_pct,
)

#: A table image shows at most this many rows; the caption says how many there are in all.
MAX_LIGNES = 50
DPI = 100
MARGE = 24
LARGEUR_MIN = 960
COLONNE_MAX = 260
LIGNE = 22
TUILES_PAR_LIGNE = 4
TUILE_L, TUILE_H = 260, 112
POLICE = "DejaVu Sans"
ENCRE, GRIS, BORD, FOND_ENTETE = "#1f2937", "#4b5563", "#d1d5db", "#f1f3f5"
NUMERIQUES = frozenset({"etp", "pct", "euros", "int"})


@dataclass(frozen=True)
class Legende:
    """What the image says about itself, in French, already formatted.

    ``filtres`` is the filter bar's choices (``"Année : 2026 · Type de structure : ACI"``),
    ``notes`` extra lines (the table's column filters and sort, the rows left out).
    """

    titre: str
    perimetre: str
    filtres: str
    date_donnees: str
    extraction: str
    notes: tuple[str, ...] = ()


def texte_cellule(colonne: Colonne, value: Any) -> str:
    """One value as the screen writes it (``17,17``, ``37 %``, ``1 234 €``, ``mars 2026``);
    a missing value is a dash, never 0."""
    if is_missing(value):
        return VIDE
    kind = colonne.kind
    if kind == "etp":
        return fmt_etp(float(value))
    if kind == "pct":
        return fmt_pct(float(value))
    if kind == "euros":
        return fmt_euros(float(value), 2 if colonne.decimales is None else colonne.decimales)
    if kind == "int":
        nombre = as_int(value)
        return fmt_nombre(nombre) if isinstance(nombre, int) else fmt_etp(nombre)
    if kind == "date":
        jour = as_date(value)
        return fmt_date(jour) if jour else VIDE
    if kind == "mois":
        mois = as_mois(value)
        if isinstance(mois, date):
            return fmt_mois(mois.year, mois.month)
        return mois or VIDE
    return as_text(value) or VIDE


class _Mesure:
    """Text widths in pixels, measured with the renderer that will draw them."""

    def __init__(self) -> None:
        self._renderer = FigureCanvasAgg(Figure(dpi=DPI)).get_renderer()
        self._cache: dict[tuple[str, float, str], float] = {}

    def largeur(self, texte: str, taille: float, graisse: str = "normal") -> float:
        cle = (texte, taille, graisse)
        if cle not in self._cache:
            prop = FontProperties(family=POLICE, size=taille, weight=graisse)
            w, _h, _d = self._renderer.get_text_width_height_descent(texte, prop, ismath=False)
            self._cache[cle] = w
        return self._cache[cle]

    def couper(self, texte: str, largeur: float, taille: float, graisse: str = "normal") -> str:
        """``texte`` shortened with "…" to fit ``largeur`` pixels."""
        if self.largeur(texte, taille, graisse) <= largeur:
            return texte
        bas, haut = 0, len(texte)
        while bas < haut:  # the longest prefix that fits with its ellipsis
            milieu = (bas + haut + 1) // 2
            if self.largeur(texte[:milieu] + "…", taille, graisse) <= largeur:
                bas = milieu
            else:
                haut = milieu - 1
        return texte[:bas].rstrip() + "…"

    def lignes(self, texte: str, largeur: float, taille: float, graisse: str = "normal") -> list:
        """``texte`` wrapped on words to lines of at most ``largeur`` pixels."""
        moyenne = max(self.largeur("ETP moyen écart", taille, graisse) / 15, 1.0)
        largeur_car = max(int(largeur / moyenne), 4)
        while True:
            lignes = textwrap.wrap(
                texte, largeur_car, break_on_hyphens=False, break_long_words=False
            ) or [""]
            if largeur_car <= 4 or all(self.largeur(x, taille, graisse) <= largeur for x in lignes):
                return lignes
            largeur_car -= 1


@dataclass
class Dessin:
    """Texts and boxes in pixels from the top-left corner, drawn once the height is known."""

    largeur: float
    textes: list[tuple[float, float, str, float, str, str, str]]
    boites: list[tuple[float, float, float, float, str, str]]
    hauteur: float = 0.0

    def lus(self) -> list[str]:
        """Every text of the image, top to bottom (what a reader sees; tests read it)."""
        return [t[2] for t in sorted(self.textes, key=lambda t: (t[1], t[0]))]

    def texte(
        self, x: float, y: float, s: str, taille: float, graisse="normal", couleur=ENCRE, ha="left"
    ) -> None:
        self.textes.append((x, y, s, taille, graisse, couleur, ha))

    def boite(self, x: float, y: float, w: float, h: float, fond: str, bord: str) -> None:
        self.boites.append((x, y, w, h, fond, bord))

    def png(self) -> bytes:
        hauteur = self.hauteur
        fig = Figure(figsize=(self.largeur / DPI, hauteur / DPI), dpi=DPI, facecolor="white")
        for x, y, w, h, fond, bord in self.boites:
            fig.add_artist(
                Rectangle(
                    (x / self.largeur, 1 - (y + h) / hauteur),
                    w / self.largeur,
                    h / hauteur,
                    transform=fig.transFigure,
                    facecolor=fond,
                    edgecolor=bord,
                    linewidth=0.8,
                )
            )
        for x, y, s, taille, graisse, couleur, ha in self.textes:
            fig.text(
                x / self.largeur,
                1 - y / hauteur,
                s,
                fontsize=taille,
                fontweight=graisse,
                color=couleur,
                ha=ha,
                va="top",
                family=POLICE,
            )
        buffer = io.BytesIO()
        FigureCanvasAgg(fig).print_png(buffer, metadata={"Software": None})
        return buffer.getvalue()


def _entete(dessin: Dessin, mesure: _Mesure, legende: Legende) -> float:
    """The caption above the content; returns the y where the content starts."""
    utile = dessin.largeur - 2 * MARGE
    y = MARGE
    for ligne in mesure.lignes(legende.titre, utile, 15, "bold"):
        dessin.texte(MARGE, y, ligne, 15, "bold")
        y += 24
    infos = [
        f"Périmètre : {legende.perimetre} · {legende.date_donnees}",
        legende.filtres or "Aucun filtre",
        *legende.notes,
    ]
    for info in infos:
        for ligne in mesure.lignes(info, utile, 10):
            dessin.texte(MARGE, y, ligne, 10, couleur=GRIS)
            y += 17
    return y + 10


def _pied(dessin: Dessin, y: float, legende: Legende) -> float:
    dessin.texte(
        dessin.largeur - MARGE,
        y + 8,
        f"Source : Suivi ETP, extrait le {legende.extraction}",
        9,
        couleur=GRIS,
        ha="right",
    )
    return y + 8 + 16 + MARGE


def png_chiffres(sheet: ExportSheet, legende: Legende) -> bytes:
    """A key-figure card's image: one tile per column of the sheet's first row."""
    return dessin_chiffres(sheet, legende).png()


def png_tableau(sheet: ExportSheet, legende: Legende, max_lignes: int = MAX_LIGNES) -> bytes:
    """A table's image: its header and its first ``max_lignes`` rows."""
    return dessin_tableau(sheet, legende, max_lignes).png()


def dessin_chiffres(sheet: ExportSheet, legende: Legende) -> Dessin:
    """A key-figure card: one tile per column of the sheet's first row (title, value)."""
    mesure = _Mesure()
    largeur = max(LARGEUR_MIN, 2 * MARGE + TUILES_PAR_LIGNE * TUILE_L + 3 * 12)
    dessin = Dessin(largeur, [], [])
    y0 = _entete(dessin, mesure, legende)
    ligne = sheet.frame.iloc[0] if len(sheet.frame) else None
    if ligne is None:
        dessin.texte(MARGE, y0, "Aucune donnée pour ce périmètre", 12, couleur=GRIS)
        dessin.hauteur = _pied(dessin, y0 + 24, legende)
        return dessin
    y = y0
    for i, colonne in enumerate(sheet.colonnes):
        rang, col = divmod(i, TUILES_PAR_LIGNE)
        x = MARGE + col * (TUILE_L + 12)
        y = y0 + rang * (TUILE_H + 12)
        dessin.boite(x, y, TUILE_L, TUILE_H, "white", BORD)
        titre = mesure.lignes(colonne.titre, TUILE_L - 20, 9.5)[:3]
        for k, morceau in enumerate(titre):
            dessin.texte(x + 10, y + 8 + 15 * k, morceau, 9.5, couleur=GRIS)
        valeur = mesure.couper(texte_cellule(colonne, ligne[colonne.key]), TUILE_L - 20, 17, "bold")
        dessin.texte(x + 10, y + TUILE_H - 38, valeur, 17, "bold")
    dessin.hauteur = _pied(dessin, y + TUILE_H + 4, legende)
    return dessin


def dessin_tableau(sheet: ExportSheet, legende: Legende, max_lignes: int = MAX_LIGNES) -> Dessin:
    """A table: its header and its first ``max_lignes`` rows as formatted on screen; when
    there are more, the caption says how many were left out (the Excel file has them all)."""
    mesure = _Mesure()
    colonnes = list(sheet.colonnes)
    frame = sheet.frame
    total = len(frame)
    montrees = frame.head(max_lignes)
    cellules = [
        [texte_cellule(c, v) for c, v in zip(colonnes, row, strict=True)]
        for row in montrees[[c.key for c in colonnes]].itertuples(index=False, name=None)
    ]
    largeurs = []
    for j, colonne in enumerate(colonnes):
        contenu = max((mesure.largeur(r[j], 9) for r in cellules), default=0.0)
        mot = max((mesure.largeur(m, 9, "bold") for m in colonne.titre.split()), default=0.0)
        largeurs.append(min(COLONNE_MAX, max(70.0, contenu, mot) + 14))
    largeur = max(LARGEUR_MIN, sum(largeurs) + 2 * MARGE)
    notes = list(legende.notes)
    if total > len(montrees):
        notes.append(
            f"{fmt_nombre(len(montrees))} premières lignes sur {fmt_nombre(total)} : "
            "le fichier Excel ou CSV les contient toutes."
        )
    else:
        notes.append(f"{fmt_nombre(total)} ligne" + ("s" if total >= 2 else ""))
    legende = Legende(
        legende.titre,
        legende.perimetre,
        legende.filtres,
        legende.date_donnees,
        legende.extraction,
        tuple(notes),
    )
    dessin = Dessin(largeur, [], [])
    y = _entete(dessin, mesure, legende)
    entetes = [
        mesure.lignes(c.titre, w - 12, 9, "bold")[:4]
        for c, w in zip(colonnes, largeurs, strict=True)
    ]
    haut_entete = 10 + 14 * max((len(e) for e in entetes), default=1)
    dessin.boite(MARGE, y, sum(largeurs), haut_entete, FOND_ENTETE, BORD)
    x = MARGE
    for colonne, w, lignes in zip(colonnes, largeurs, entetes, strict=True):
        for k, morceau in enumerate(lignes):
            if colonne.kind in NUMERIQUES:
                dessin.texte(x + w - 6, y + 5 + 14 * k, morceau, 9, "bold", ha="right")
            else:
                dessin.texte(x + 6, y + 5 + 14 * k, morceau, 9, "bold")
        x += w
    y += haut_entete
    for n, row in enumerate(cellules):
        if n % 2:
            dessin.boite(MARGE, y, sum(largeurs), LIGNE, "#f9fafb", "#f9fafb")
        x = MARGE
        for colonne, w, valeur in zip(colonnes, largeurs, row, strict=True):
            texte = mesure.couper(valeur, w - 12, 9)
            if colonne.kind in NUMERIQUES:
                dessin.texte(x + w - 6, y + 5, texte, 9, ha="right")
            else:
                dessin.texte(x + 6, y + 5, texte, 9)
            x += w
        y += LIGNE
    if not cellules:
        dessin.texte(MARGE, y + 6, "Aucune ligne", 10, couleur=GRIS)
        y += LIGNE
    dessin.hauteur = _pied(dessin, y, legende)
    return dessin


Rendu = Callable[[ExportSheet, Legende], bytes]


def legende_depuis(
    titre: str,
    perimetre: str,
    filtres: Sequence[tuple[str, str]],
    date_donnees: datetime | None,
    extraction: datetime,
    notes: Sequence[str] = (),
) -> Legende:
    """A caption from the "Périmètre" context (``extraction`` already in Paris time)."""
    jour = as_date(date_donnees) if date_donnees else None
    return Legende(
        titre=titre,
        perimetre=perimetre or "Aucun périmètre",
        filtres=" · ".join(f"{k} : {v}" for k, v in filtres),
        date_donnees=f"Données à jour au {fmt_date(jour)}" if jour else "Date des données inconnue",
        extraction=fmt_date(extraction.date()),
        notes=tuple(notes),
    )
