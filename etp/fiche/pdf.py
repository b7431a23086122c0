"""The "fiche de dialogue de gestion" as an A4 PDF, built on the server with ReportLab.

Same content as the page, from the same values (:mod:`etp.fiche.presentation` for the tables,
:mod:`etp.fiche.graphiques` for the charts): identity, data date, annual figures per year, the
monthly chart over three years, the AFs with their versions and states, the fill rate and late
declarations of the latest year, the definitions used, and the field notes only when the caller
passes them (a funder who ticked « inclure les notes »).

Text is set in DejaVu Sans (shipped with matplotlib): the PDF core fonts lack the narrow
no-break space that French number formatting uses as thousands separator.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from etp.fiche import graphiques, presentation
from etp.fiche.donnees import Fiche
from etp.formatting import fmt_date
from etp.notes import Note

#: Share of the page width of each column of the AF table (number ... aid per ETP).
PARTS_ANNEXES = (0.125, 0.075, 0.09, 0.095, 0.06, 0.135, 0.135, 0.145, 0.14)
POLICE = "DejaVuSans"
POLICE_GRAS = "DejaVuSans-Bold"


def _polices() -> None:
    if POLICE in pdfmetrics.getRegisteredFontNames():
        return
    dossier = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(POLICE, str(dossier / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(POLICE_GRAS, str(dossier / "DejaVuSans-Bold.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=POLICE, fontSize=8.5, leading=11, alignment=TA_LEFT)
    return {
        "base": base,
        "petit": ParagraphStyle("petit", parent=base, fontSize=7.5, leading=9.5),
        "titre": ParagraphStyle(
            "titre", parent=base, fontName=POLICE_GRAS, fontSize=15, leading=19,
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=POLICE_GRAS, fontSize=11, leading=14, spaceBefore=8,
            spaceAfter=4,
        ),
        "gras": ParagraphStyle("gras", parent=base, fontName=POLICE_GRAS),
        "entete": ParagraphStyle("entete", parent=base, fontName=POLICE_GRAS, fontSize=7.5,
                                 leading=9.5),
    }  # fmt: skip


def _p(texte: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(texte).replace("\n", "<br/>"), style)


def _table(
    tableau: presentation.Tableau, styles: dict[str, ParagraphStyle], largeurs=None
) -> Table:
    entete = [_p(t, styles["entete"]) for t in tableau.entetes]
    lignes = [[_p(c, styles["petit"]) for c in ligne] for ligne in tableau.lignes]
    t = Table([entete, *lignes], colWidths=largeurs, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#adb5bd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return t


def _image(png: bytes, largeur: float) -> Image:
    img = Image(io.BytesIO(png))
    ratio = img.imageHeight / img.imageWidth
    img.drawWidth, img.drawHeight = largeur, largeur * ratio
    return img


def fiche_pdf(
    fiche: Fiche,
    definitions: Sequence[tuple[str, str]],
    notes: Sequence[Note] | None = None,
    genere_le: datetime | None = None,
    lecteur: str = "",
) -> bytes:
    """The A4 document. ``notes`` is ``None`` when they are not to be printed (always so for
    a reader who may not see them); an empty list prints « aucune note »."""
    _polices()
    s = _styles()
    genere_le = genere_le or datetime.now()
    tampon = io.BytesIO()
    i = fiche.identite
    doc = SimpleDocTemplate(
        tampon,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=f"Fiche de dialogue de gestion - {i.denomination}",
        author="Suivi ETP",
        subject=f"SIRET {i.siret or 'non renseigné'}",
    )
    largeur = doc.width
    date = fmt_date(fiche.date_donnees) if fiche.date_donnees else "aucune donnée importée"
    histoire: list = [
        _p("Fiche de dialogue de gestion", s["h2"]),
        _p(i.denomination, s["titre"]),
        Spacer(1, 4),
        _p(
            f"Données à jour au {date} · document édité le {fmt_date(genere_le)}"
            + (f" par {lecteur}" if lecteur else ""),
            s["petit"],
        ),
        Spacer(1, 6),
    ]
    ident = Table(
        [[_p(k, s["gras"]), _p(v, s["base"])] for k, v in presentation.identite(fiche)],
        colWidths=[5 * cm, largeur - 5 * cm],
    )
    ident.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    histoire.append(ident)

    histoire.append(_p("Chiffres annuels", s["h2"]))
    chiffres = presentation.chiffres_annuels(fiche)
    n = len(chiffres.entetes) - 1
    histoire.append(
        _table(chiffres, s, [6.5 * cm] + [(largeur - 6.5 * cm) / max(n, 1)] * n),
    )
    histoire.append(
        _p(
            "Année précédente à la même date, à périmètre égal : pour chaque numéro d'annexe, "
            "les mêmes mois dans les deux années (validés cette année jusqu'au mois pris en "
            "compte, et validés l'an dernier).",
            s["petit"],
        )
    )
    histoire.append(
        KeepTogether(
            [
                _p("Effectif mensuel conventionné et réalisé (en ETP), sur trois ans", s["h2"]),
                _image(graphiques.en_png(graphiques.graphique_mensuel(fiche)), largeur),
                _p(
                    "Un mois non validé n'a pas de barre : seuls les mois validés comptent.",
                    s["petit"],
                ),
                _p("Effectif annuel (en ETP)", s["h2"]),
                _image(graphiques.en_png(graphiques.graphique_annuel(fiche)), largeur),
            ]
        )
    )
    histoire.append(_p("Annexes financières et versions", s["h2"]))
    afs = presentation.annexes(fiche)
    histoire.append(
        _table(afs, s, [largeur * f for f in PARTS_ANNEXES])
        if not afs.vide
        else _p("Aucune annexe sur ces années.", s["base"])
    )
    if fiche.annees:
        derniere = fiche.annees[-1]
        histoire.append(_p(f"Remplissage des états mensuels {derniere.annee}", s["h2"]))
        rempl = presentation.remplissage(derniere)
        histoire.append(
            _table(rempl, s)
            if not rempl.vide
            else _p("Aucun mois conventionné cette année jusqu'au mois des données.", s["base"])
        )
        histoire.append(_p(f"Déclarations en retard {derniere.annee}", s["h2"]))
        ret = presentation.retards(derniere)
        histoire.append(
            _table(ret, s)
            if not ret.vide
            else _p("Aucune annexe en retard de deux mois ou plus.", s["base"])
        )
    if notes is not None:
        histoire.append(_p("Notes de terrain", s["h2"]))
        if not notes:
            histoire.append(_p("Aucune note de terrain sur cette structure.", s["base"]))
        for note in notes:
            entete = (
                f"{fmt_date(note.date_note)} · {note.categorie_libelle} · {note.auteur_nom} "
                f"({note.organisation})" + (" · modifiée" if note.modifiee else "")
            )
            histoire.append(KeepTogether([_p(entete, s["gras"]), _p(note.texte, s["base"])]))
            histoire.append(Spacer(1, 4))
    histoire.append(_p("Définitions utilisées", s["h2"]))
    for titre, texte in definitions:
        histoire.append(_p(titre, s["gras"]))
        histoire.append(_p(texte, s["petit"]))

    def pied(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(POLICE, 7)
        canvas.drawString(
            document.leftMargin,
            0.8 * cm,
            f"Suivi ETP · {i.denomination} · SIRET {i.siret or 'non renseigné'}",
        )
        canvas.drawRightString(
            document.leftMargin + document.width, 0.8 * cm, f"page {document.page}"
        )
        canvas.restoreState()

    doc.build(histoire, onFirstPage=pied, onLaterPages=pied)
    return tampon.getvalue()
