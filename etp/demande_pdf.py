"""Bourse aux postes: an SIAE's adjustment request as a one-page A4 PDF built on the server,
for the structure to attach to its e-mail.

Same content as the printable page (``/bourse/demande/<id>/document``), from the same values:
the request, its effect on the AF (:func:`etp.bourse.effet`), the AF's own figures of the year
(:mod:`etp.selection`, titles from the catalogue) and the funder's answer. Fonts, styles and
paragraphs are the structure fiche's (:mod:`etp.fiche.pdf`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from etp.bourse import Effet
from etp.catalogue import titre
from etp.demandes import Demande
from etp.fiche.pdf import POLICE, _p, _polices, _styles
from etp.formatting import fmt_date, fmt_etp, fmt_euros, fmt_mois, fmt_pct
from etp.regles import AsOf


def _delta(valeur: float) -> str:
    return f"{valeur:+.2f}".replace(".", ",")


def _chiffres(chiffres: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The AF's figures as (title from the catalogue, formatted value) rows."""
    n1 = chiffres.get("n1")
    sans_mois = (
        " – sans mois validé : comptée à son enveloppe" if chiffres["sans_mois_valide"] else ""
    )
    lignes = [
        (
            titre("conventionne.etp_mensuel"),
            f"{fmt_etp(chiffres['etp_mensuel_conventionne'])} ETP",
        ),
        (
            titre("conventionne.etp_annuel"),
            f"{fmt_etp(chiffres['etp_annuel_conventionne'])} ETP "
            f"({fmt_euros(chiffres['montant_conventionne'], 0)})",
        ),
        (
            titre("realise.etp_mensuel_moyen"),
            f"{fmt_etp(chiffres['etp_mensuel_realise_moyen'])} ETP"
            if chiffres.get("etp_mensuel_realise_moyen") is not None
            else "aucun mois validé",
        ),
        (titre("realise.etp_annuel"), f"{fmt_etp(chiffres['etp_annuel_realise'])} ETP"),
        (
            titre("projection.etp_annuel"),
            f"{fmt_etp(chiffres['projection_etp'])} ETP ({fmt_pct(chiffres['projection_taux'])}, "
            f"{fmt_euros(chiffres['projection_montant'], 0)})" + sans_mois,
        ),
    ]
    if n1 is None:
        return [*lignes, ("Année précédente à la même date", "pas de comparaison possible")]
    return [
        *lignes,
        (titre("n1.realise_n"), f"{fmt_etp(n1.realise_n)} ETP"),
        (titre("n1.realise_n1"), f"{fmt_etp(n1.realise_n1)} ETP"),
        (titre("n1.evolution_pct"), fmt_pct(n1.evolution_pct)),
    ]


def demande_pdf(
    d: Demande,
    chiffres: Mapping[str, Any] | None,
    effet: Effet | None,
    as_of: AsOf | None,
    *,
    genere_le: datetime | None = None,
) -> bytes:
    """The request on one A4 page (a very long justification may flow onto a second)."""
    _polices()
    s = _styles()
    genere_le = genere_le or datetime.now()
    tampon = io.BytesIO()
    doc = SimpleDocTemplate(
        tampon,
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=f"Demande d'ajustement {d.numero} - {d.structure}",
        author="Suivi ETP",
        subject=f"Bourse aux postes {d.annee}",
    )
    largeur = doc.width
    histoire: list = [
        _p(f"Demande d'ajustement – bourse aux postes {d.annee}", s["titre"]),
        Spacer(1, 4),
        _p(f"{d.structure} – annexe financière {d.numero}", s["gras"]),
        _p(
            f"Demande envoyée le {fmt_date(d.cree_le)} par {d.auteur} – état : {d.etat_libelle}",
            s["base"],
        ),
        _p("Demande", s["h2"]),
        _p(
            f"{_delta(d.delta_etp)} ETP (effectif mensuel conventionné) à partir de "
            f"{fmt_mois(d.annee, d.mois)}.",
            s["base"],
        ),
    ]
    if effet is not None:
        histoire.append(
            _p(
                f"{titre('conventionne.etp_annuel')} : "
                f"{fmt_etp(effet.etp_annuel_conventionne_avant)} ETP ; "
                f"{titre('bourse.etp_annuel_conventionne_apres')} : "
                f"{fmt_etp(effet.etp_annuel_conventionne_apres)} ETP "
                f"({effet.nb_mois_restants} mois concernés) ; "
                f"{titre('bourse.delta_euros')} : {fmt_euros(effet.delta_euros, 0)} "
                f"({fmt_euros(effet.aide_par_etp, 0)} par ETP).",
                s["base"],
            )
        )
    histoire += [_p("Justification", s["h2"]), _p(d.justification, s["base"])]
    if chiffres:
        donnees = f" (données jusqu'à {fmt_mois(as_of[0], as_of[1])})" if as_of else ""
        histoire.append(_p(f"Nos chiffres {d.annee}{donnees}", s["h2"]))
        table = Table(
            [[_p(k, s["gras"]), _p(v, s["base"])] for k, v in _chiffres(chiffres)],
            colWidths=[7 * cm, largeur - 7 * cm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#adb5bd")),
                ]
            )
        )
        histoire.append(table)
    if d.repondu_le:
        histoire.append(_p("Réponse du financeur", s["h2"]))
        reponse = f"{d.etat_libelle.capitalize()} le {fmt_date(d.repondu_le)}"
        histoire.append(_p(reponse + (f" : {d.reponse}" if d.reponse else "."), s["base"]))
    histoire += [
        Spacer(1, 10),
        _p(
            "Chiffres calculés par Suivi ETP selon les définitions de l'application (Aide et "
            f"définitions) ; document édité le {fmt_date(genere_le)}.",
            s["petit"],
        ),
    ]

    def pied(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(POLICE, 7)
        canvas.drawString(
            document.leftMargin, 0.8 * cm, f"Suivi ETP · {d.structure} · annexe {d.numero}"
        )
        canvas.restoreState()

    doc.build(histoire, onFirstPage=pied, onLaterPages=pied)
    return tampon.getvalue()
