"""« Donner votre avis »: the form every logged-in user can open (``/avis``) and what
administrators read of the answers (``/admin/avis``: NPS, its trend, the answers, exports).

Server-rendered pages like the login form: per-form CSRF, no Dash round trip, readable without
JavaScript. The answers go through :mod:`etp.avis`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.extensions import engine
from auth.views import safe_next
from etp import avis
from etp.exports import Colonne, ExportSheet, Perimetre, to_csv, to_xlsx
from layouts.tabs import TABS

bp = Blueprint("avis", __name__, template_folder="templates")

ONGLETS = {o.tab_id: o.label for o in TABS}


class AvisForm(FlaskForm):
    note = RadioField(
        "Quelle est la probabilité que vous recommandiez Suivi ETP à un collègue ?",
        choices=[str(n) for n in range(avis.NOTE_MIN, avis.NOTE_MAX + 1)],
        validators=[InputRequired("Choisissez une note entre 0 et 10.")],
    )
    indicateur = RadioField(
        "Avez-vous utilisé un des indicateurs ?",
        choices=["oui", "non"],
        validate_choice=False,
    )
    commentaire = TextAreaField(
        "Votre commentaire (facultatif)", validators=[Length(max=avis.COMMENTAIRE_MAX)]
    )
    recontact = BooleanField("Recontactez-moi (votre adresse e-mail sera conservée)")
    onglet = HiddenField()
    retour = HiddenField()


def _roles() -> tuple[str, ...]:
    kinds = tuple(org.kind for org in getattr(current_user, "organisations", ()) or ())
    if getattr(current_user, "est_admin", False):
        kinds += ("admin",)
    return kinds


@bp.route("/avis", methods=["GET", "POST"])
def formulaire() -> str | tuple[str, int]:
    form = AvisForm()
    if request.method == "GET":
        form.onglet.data = request.args.get("onglet", "")[: avis.ONGLET_MAX]
        form.retour.data = safe_next(request.args.get("retour"))
        return render_template("avis.html", form=form, onglets=ONGLETS, erreur=None)
    retour = safe_next(form.retour.data)
    form.retour.data = retour
    if not form.validate_on_submit():
        erreurs = [e for errs in form.errors.values() for e in errs]
        message = erreurs[0] if erreurs else "Le formulaire a expiré. Veuillez réessayer."
        if form.csrf_token.errors:
            message = "Le formulaire a expiré. Veuillez réessayer."
        return render_template("avis.html", form=form, onglets=ONGLETS, erreur=message), 400
    onglet = form.onglet.data if form.onglet.data in ONGLETS else None
    reponse = avis.Reponse(
        note=int(form.note.data),
        indicateur_utilise={"oui": True, "non": False}.get(form.indicateur.data or ""),
        commentaire=form.commentaire.data or "",
        onglet=onglet,
        roles=_roles(),
        email=current_user.email if form.recontact.data else None,
    )
    try:
        avis.enregistrer(engine(), reponse, datetime.now(UTC).replace(tzinfo=None))
    except avis.AvisInvalide as exc:
        return render_template("avis.html", form=form, onglets=ONGLETS, erreur=str(exc)), 400
    return render_template("avis_merci.html", retour=retour)


admin_bp = Blueprint("avis_admin", __name__, url_prefix="/admin", template_folder="templates")


@admin_bp.before_request
def _require_admin() -> None:
    if not (current_user.is_authenticated and current_user.est_admin):
        abort(403)


def _synthese(reponses) -> dict[str, object]:
    utilises = reponses["indicateur_utilise"].dropna()
    return {
        "nb": len(reponses),
        "nps": avis.nps(reponses["note"]),
        "part_indicateur": (float(utilises.astype(bool).mean()) if len(utilises) else None),
    }


@admin_bp.get("/avis")
def synthese() -> str:
    reponses = avis.lister(engine())
    lignes = reponses.astype(object).where(reponses.notna(), None)  # NaN would print as "nan"
    return render_template(
        "avis_admin.html",
        synthese=_synthese(reponses),
        tendance=avis.tendance(reponses).to_dict("records"),
        reponses=lignes.to_dict("records"),
        onglets=ONGLETS,
    )


COLONNES_EXPORT = (
    Colonne("date", "Date", "date"),
    Colonne("note", "Note (0 à 10)", "int"),
    Colonne("indicateur", "A utilisé un indicateur", "text"),
    Colonne("onglet", "Onglet", "text"),
    Colonne("roles", "Rôles", "text"),
    Colonne("commentaire", "Commentaire", "text"),
    Colonne("email", "E-mail (recontact demandé)", "text"),
)
COLONNES_TENDANCE = (
    Colonne("mois", "Mois", "mois"),
    Colonne("nb_reponses", "Nombre de réponses", "int"),
    Colonne("nps", "NPS (points)", "int"),
)


@admin_bp.get("/avis/export.<fmt>")
def export(fmt: str) -> Response:
    if fmt not in ("xlsx", "csv"):
        abort(404)
    reponses = avis.lister(engine())
    table = reponses.assign(
        indicateur=reponses["indicateur_utilise"].map({True: "oui", False: "non"}).fillna(""),
        onglet=reponses["onglet"].map(lambda o: ONGLETS.get(o, o or "")),
        commentaire=reponses["commentaire"].fillna(""),
        email=reponses["email"].fillna(""),
    )
    maintenant = datetime.now(UTC)
    nom = f"suivi-etp_avis_{maintenant:%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        contenu = to_csv(table, COLONNES_EXPORT)
        mime = "text/csv; charset=utf-8"
    else:
        perimetre = Perimetre(
            filtres=(),
            perimetre_utilisateur="Réponses au formulaire « Donner votre avis »",
            date_donnees=None,
            extraction=maintenant,
            version=current_app.config.get("VERSION", ""),
        )
        sheets = [
            ExportSheet("Avis", "Réponses « Donner votre avis »", table, COLONNES_EXPORT),
            ExportSheet(
                "Tendance", "NPS par mois (points)", avis.tendance(reponses), COLONNES_TENDANCE
            ),
        ]
        contenu = to_xlsx(sheets, perimetre)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        contenu,
        mimetype=mime,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(nom)}"},
    )
