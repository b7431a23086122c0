"""``/structure/<id>``: one page per structure for the dialogue de gestion.

Every route resolves the scope from the session (``auth.scope.current_scope``) and asks ``etp``
whether it reaches the structure; an unknown id, a malformed one and one outside the scope get
the same 404 page. Notes are read and written through :mod:`etp.notes` with that scope, and
only by funders (``etp.fiche.notes_visibles``): an SIAE member sees its own page without them.
Forms carry a CSRF token (same check as the admin page). PDF downloads and note writes are
recorded in the audit log (``auth.journal``; the note's text is not copied there).
"""

from __future__ import annotations

import base64
from datetime import date, datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from app.extensions import engine
from auth import journal
from auth.scope import current_auteur, current_scope, describe_current_user
from etp import notes as notes_terrain
from etp.fiche import charger_fiche, notes_visibles, presentation, structure_visible
from etp.formatting import fmt_date
from layouts.definitions import DEFINITIONS

bp = Blueprint("fiches", __name__, template_folder="templates")

INTROUVABLE = (
    "Cette structure n'existe pas ou n'est pas dans votre périmètre. Vérifiez le lien, ou "
    "retournez au tableau de bord pour choisir une structure."
)


@bp.errorhandler(404)
def _introuvable(_exc) -> tuple[str, int]:
    return render_template("fiche_introuvable.html", message=INTROUVABLE), 404


def _definitions() -> list[tuple[str, str]]:
    return [DEFINITIONS[k] for k in presentation.DEFINITIONS_UTILISEES if k in DEFINITIONS]


def _data_uri_svg(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _check_csrf() -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        abort(400)


@bp.get("/structure/<structure_id>")
def page(structure_id: str) -> str:
    from etp.fiche import graphiques  # matplotlib: loaded on first use, not by every worker

    scope = current_scope()
    fiche = charger_fiche(engine(), scope, structure_id)
    if fiche is None:
        abort(404)
    financeur = notes_visibles(engine(), scope, fiche.identite.id)
    recherche = (request.args.get("q") or "").strip()[: notes_terrain.RECHERCHE_MAX]
    notes, historiques = [], {}
    if financeur:
        notes = notes_terrain.lister(engine(), scope, fiche.identite.id, recherche or None)
        historiques = {
            n.id: notes_terrain.historique(engine(), scope, n.id) for n in notes if n.modifiee
        }
    auteur = current_auteur()
    derniere = fiche.annees[-1] if fiche.annees else None
    return render_template(
        "fiche_structure.html",
        fiche=fiche,
        user=describe_current_user(),
        identite=presentation.identite(fiche),
        chiffres=presentation.chiffres_annuels(fiche),
        annexes=presentation.annexes(fiche),
        derniere=derniere,
        remplissage=presentation.remplissage(derniere) if derniere else None,
        retards=presentation.retards(derniere) if derniere else None,
        graphique_mensuel=_data_uri_svg(graphiques.en_svg(graphiques.graphique_mensuel(fiche))),
        graphique_annuel=_data_uri_svg(graphiques.en_svg(graphiques.graphique_annuel(fiche))),
        definitions=_definitions(),
        date_donnees=fmt_date(fiche.date_donnees) if fiche.date_donnees else None,
        financeur=financeur,
        notes=notes,
        historiques=historiques,
        recherche=recherche,
        auteur_id=auteur.id if auteur else None,
        categories=notes_terrain.CATEGORIES,
        aujourd_hui=date.today().isoformat(),
        csrf=generate_csrf(),
        fmt_date=fmt_date,
    )


@bp.get("/structure/<structure_id>/fiche.pdf")
def pdf(structure_id: str) -> Response:
    from etp.fiche.pdf import fiche_pdf  # ReportLab and matplotlib: loaded on first use

    scope = current_scope()
    fiche = charger_fiche(engine(), scope, structure_id)
    if fiche is None:
        abort(404)
    notes = None
    if request.args.get("notes") == "1" and notes_visibles(engine(), scope, fiche.identite.id):
        notes = notes_terrain.lister(engine(), scope, fiche.identite.id)
    user = describe_current_user()
    contenu = fiche_pdf(
        fiche, _definitions(), notes, genere_le=datetime.now(), lecteur=user.get("nom") or ""
    )
    nom = f"fiche-structure-{fiche.identite.id}-{date.today().isoformat()}.pdf"
    journal.enregistrer(
        engine(),
        "fiche_pdf",
        journal.acteur_requete(),
        cible=f"structure {fiche.identite.id}",
        details={"fichier": nom, "notes incluses": "oui" if notes is not None else "non"},
    )
    return Response(
        contenu,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{nom}"'},
    )


def _retour(structure_id: int, ancre: str = "notes") -> Response:
    return redirect(url_for("fiches.page", structure_id=structure_id, _anchor=ancre))


@bp.post("/structure/<structure_id>/notes")
def ajouter_note(structure_id: str) -> Response:
    _check_csrf()
    scope, auteur = current_scope(), current_auteur()
    if auteur is None or not notes_visibles(engine(), scope, structure_id):
        abort(404)
    try:
        note = notes_terrain.ajouter(
            engine(),
            scope,
            auteur,
            structure_id,
            request.form.get("date_note"),
            request.form.get("categorie"),
            request.form.get("texte"),
        )
    except notes_terrain.NoteIntrouvable:
        abort(404)
    except notes_terrain.NoteInvalide as exc:
        flash(str(exc), "error")
    else:
        journal.enregistrer(
            engine(),
            "note_ajoutee",
            journal.acteur_requete(),
            cible=f"structure {note.structure_id}",
            details={"note": note.id},
        )
        flash("Note enregistrée.", "success")
    return _retour(int(structure_id))


@bp.post("/structure/<structure_id>/notes/<note_id>")
def modifier_note(structure_id: str, note_id: str) -> Response:
    _check_csrf()
    scope, auteur = current_scope(), current_auteur()
    if auteur is None or not structure_visible(engine(), scope, structure_id):
        abort(404)
    try:
        note = notes_terrain.lire(engine(), scope, note_id)
        if str(note.structure_id) != str(int(structure_id)):
            abort(404)
        modifiee = notes_terrain.modifier(
            engine(),
            scope,
            auteur,
            note_id,
            request.form.get("date_note"),
            request.form.get("categorie"),
            request.form.get("texte"),
        )
    except notes_terrain.NoteIntrouvable:
        abort(404)
    except notes_terrain.NoteInvalide as exc:
        flash(str(exc), "error")
    else:
        journal.enregistrer(
            engine(),
            "note_modifiee",
            journal.acteur_requete(),
            cible=f"structure {modifiee.structure_id}",
            details={"note": modifiee.id, "version": modifiee.version},
        )
        flash("Note modifiée ; la version précédente est conservée dans l'historique.", "success")
    return _retour(int(structure_id), f"note-{int(note_id)}")
