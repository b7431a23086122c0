"""``/admin/comptes``: the account page for admins (list, create, disable/enable, reset a
password, change memberships). Every form carries its own CSRF token; non-admins get 403."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf, validate_csrf
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response
from wtforms.validators import ValidationError

from app.extensions import engine
from auth import accounts, journal
from auth.forms import ROLE_CHOICES, CreateUserForm, MembershipForm, OrganisationFields
from auth.passwords import policy_error
from auth.roles import OrganisationRef

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
def _require_admin() -> None:
    if not (current_user.is_authenticated and current_user.est_admin):
        abort(403)


@bp.errorhandler(403)
def _forbidden(_exc) -> tuple[str, int]:
    return render_template(
        "auth_error.html",
        title="Accès refusé",
        message="Cette page est réservée aux administrateurs des comptes.",
    ), 403


def _organisation_ref(form: OrganisationFields, session: Session) -> OrganisationRef | None:
    """The organisation the form designates; None when no role is chosen. Structures are
    given by SIRET, « NOM - SIRET » (the dashboard's label), exact name or ASP id."""
    if not form.role.data:
        return None
    structures: frozenset[int] = frozenset()
    if (form.structures.data or "").strip():
        structures = accounts.structure_ids_from_text(session, form.structures.data)
    return accounts.resolve_organisation(
        form.role.data,
        structures=sorted(structures),
        departement=form.departement.data or None,
        region=form.region.data or None,
    )


def _back() -> Response:
    return redirect(url_for("admin.users"))


def _check_csrf(_form=None) -> None:
    """400 unless the POST carries a valid CSRF token (forms share the session's token)."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        abort(400)


def _page(saisie: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    """The accounts page; ``saisie`` refills the creation form after a refusal (everything but
    the password, which is never sent back to the browser)."""
    with Session(engine()) as session:
        rows = []
        for user in accounts.load_users(session):
            orgs = [m.organisation for m in user.memberships]
            rows.append((user, accounts.organisation_refs(session, orgs)))
        structures = [label for _id, label in accounts.structure_choices(session)]
    return render_template(
        "auth_admin.html",
        rows=rows,
        create_form=CreateUserForm(),
        csrf=generate_csrf(),
        role_choices=ROLE_CHOICES,
        structures=structures,
        saisie=saisie or {},
    ), status


def _refus(message: str) -> tuple[str, int]:
    """A refused creation: the message and the page with what was typed (422)."""
    flash(message, "error")
    saisie = {k: request.form.get(k, "")[:300] for k in _CHAMPS_CONSERVES}
    return _page(saisie, 422)


_CHAMPS_CONSERVES = ("email", "nom", "role", "structures", "departement", "region", "admin")


@bp.get("/comptes")
def users() -> tuple[str, int]:
    return _page()


@bp.post("/comptes")
def create_user() -> Response | tuple[str, int]:
    form = CreateUserForm()
    _check_csrf(form)
    if not form.validate():
        return _refus("Adresse e-mail et mot de passe sont obligatoires.")
    weak = policy_error(form.password.data, form.email.data)
    if weak:
        return _refus(weak)
    try:
        with Session(engine()) as session, session.begin():
            ref = _organisation_ref(form, session)
            user = accounts.create_user(
                session,
                form.email.data,
                form.password.data,
                nom=form.nom.data,
                admin=form.admin.data,
            )
            details: dict[str, object] = {"administrateur": bool(form.admin.data)}
            if ref is not None:
                org = accounts.find_or_create_organisation(session, ref)
                accounts.add_membership(session, user, org)
                details["organisation"] = accounts.organisation_refs(session, [org])[0].label
            email = user.email
            journal.ajouter(
                session, "compte_cree", journal.acteur_requete(), cible=email, details=details
            )
    except accounts.AccountError as exc:
        return _refus(str(exc))
    flash(f"Compte créé : {email}.", "success")
    return _back()


def _with_user(user_id: int, action, message: str, evenement: str) -> Response:
    """Apply ``action(session, user)`` to the account ``user_id`` and record ``evenement`` in
    the journal, in the same transaction; ``action`` may return details for the line."""
    try:
        with Session(engine()) as session, session.begin():
            from auth.models import User

            user = session.get(User, user_id)
            if user is None:
                abort(404)
            details = action(session, user)
            email = user.email
            journal.ajouter(
                session, evenement, journal.acteur_requete(), cible=email, details=details
            )
    except accounts.AccountError as exc:
        flash(str(exc), "error")
        return _back()
    flash(message.format(email=email), "success")
    return _back()


@bp.post("/comptes/<int:user_id>/desactiver")
def disable(user_id: int) -> Response:
    _check_csrf()
    if user_id == current_user.id:
        flash("Vous ne pouvez pas désactiver votre propre compte.", "error")
        return _back()
    return _with_user(
        user_id,
        lambda s, u: accounts.set_active(u, False),
        "Compte désactivé : {email}.",
        "compte_desactive",
    )


@bp.post("/comptes/<int:user_id>/activer")
def enable(user_id: int) -> Response:
    _check_csrf()
    return _with_user(
        user_id,
        lambda s, u: accounts.set_active(u, True),
        "Compte réactivé : {email}.",
        "compte_active",
    )


@bp.post("/comptes/<int:user_id>/mot-de-passe")
def reset_password(user_id: int) -> Response:
    from auth.forms import PasswordForm

    form = PasswordForm()
    _check_csrf(form)
    password = form.password.data or ""

    def action(session: Session, user) -> None:
        weak = policy_error(password, user.email)
        if weak:
            raise accounts.AccountError(weak)
        accounts.set_password(user, password)

    return _with_user(user_id, action, "Mot de passe changé : {email}.", "mot_de_passe_change")


@bp.post("/comptes/<int:user_id>/adhesions")
def add_membership(user_id: int) -> Response:
    form = MembershipForm()
    _check_csrf(form)

    def action(session: Session, user) -> dict[str, str]:
        ref = _organisation_ref(form, session)
        if ref is None:
            raise accounts.AccountError("Choisissez un rôle.")
        org = accounts.find_or_create_organisation(session, ref)
        accounts.add_membership(session, user, org)
        return {"organisation": accounts.organisation_refs(session, [org])[0].label}

    # an administrator granting themselves data access is recorded as such
    evenement = "auto_attribution" if user_id == current_user.id else "adhesion_ajoutee"
    return _with_user(user_id, action, "Organisation ajoutée : {email}.", evenement)


@bp.post("/comptes/<int:user_id>/adhesions/<int:organisation_id>/retirer")
def remove_membership(user_id: int, organisation_id: int) -> Response:
    _check_csrf()

    def action(session: Session, user) -> dict[str, str]:
        from auth.models import Organisation

        org = session.get(Organisation, organisation_id)
        label = accounts.organisation_refs(session, [org])[0].label if org else None
        accounts.remove_membership(session, user, organisation_id)
        return {"organisation": label or str(organisation_id)}

    return _with_user(user_id, action, "Organisation retirée : {email}.", "adhesion_retiree")


@bp.get("/journal")
def journal_page() -> str:
    from auth import journal_page as vue

    return vue.page()


@bp.get("/journal.csv")
def journal_csv() -> Response:
    from auth import journal_page as vue

    return vue.export_csv()
