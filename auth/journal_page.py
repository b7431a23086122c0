"""``/admin/journal``: the audit log for administrators, filtered by action, account and
dates, paginated, and downloadable as CSV with the same filters (``/admin/journal.csv``).

The query string is read defensively (unknown action, unreadable date, huge page: ignored or
bounded), like every other input of the application.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd
from flask import Response, render_template, request

from app.extensions import engine
from auth import journal
from etp.chiffres import que_des_chiffres
from etp.exports import Colonne, to_csv
from etp.formatting import fmt_compte

PAR_PAGE = 100
MAX_PAGE = 10_000
MAX_EXPORT = 100_000
COLONNES = (
    Colonne("horodatage", "Date et heure", "text"),
    Colonne("action", "Action", "text"),
    Colonne("acteur", "Par", "text"),
    Colonne("cible", "Compte concerné", "text"),
    Colonne("adresse", "Adresse IP", "text"),
    Colonne("details", "Détails", "text"),
)


def _date(texte: Any) -> date | None:
    if not isinstance(texte, str) or len(texte) > 10:
        return None
    try:
        return date.fromisoformat(texte)
    except ValueError:
        return None


def filtre_demande(args: Any) -> journal.FiltreJournal:
    """The filter of the query string (``action``, ``compte``, ``du``, ``au``)."""
    action = args.get("action") or None
    compte = (args.get("compte") or "").strip()[:254] or None
    return journal.FiltreJournal(
        action=action if action in journal.ACTIONS else None,
        compte=compte,
        du=_date(args.get("du")),
        au=_date(args.get("au")),
    )


def _page(args: Any) -> int:
    texte = args.get("page") or "1"
    return min(max(int(texte), 1), MAX_PAGE) if que_des_chiffres(texte) and len(texte) < 6 else 1


def _horodatage(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M:%S")


def lignes(evenements: list) -> list[dict[str, str]]:
    """What the page and the CSV show of each line."""
    return [
        {
            "horodatage": _horodatage(e.horodatage),
            "action": journal.ACTIONS.get(e.action, e.action),
            "code": e.action,
            "acteur": e.acteur_email or "",
            "cible": e.cible or "",
            "adresse": e.adresse or "",
            "details": journal.resume(e),
        }
        for e in evenements
    ]


def page() -> str:
    filtre = filtre_demande(request.args)
    numero = _page(request.args)
    evenements, total = journal.lire(
        engine(), filtre, limite=PAR_PAGE, decalage=(numero - 1) * PAR_PAGE
    )
    return render_template(
        "auth_journal.html",
        lignes=lignes(evenements),
        total=total,
        total_texte=fmt_compte(total, "ligne"),
        numero=numero,
        pages=max(1, math.ceil(total / PAR_PAGE)),
        filtre=filtre,
        actions=journal.ACTIONS,
        args={k: v for k, v in request.args.items() if k != "page"},
    )


def export_csv() -> Response:
    filtre = filtre_demande(request.args)
    evenements, _ = journal.lire(engine(), filtre, limite=MAX_EXPORT)
    frame = pd.DataFrame(lignes(evenements), columns=[c.key for c in COLONNES])
    contenu = to_csv(frame, COLONNES)
    nom = f"suivi-etp_journal_{date.today().isoformat()}.csv"
    return Response(
        contenu,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{nom}"'},
    )
