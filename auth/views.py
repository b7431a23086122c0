"""``/connexion`` and ``/deconnexion``: a server-rendered Flask blueprint, outside Dash."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app.extensions import engine
from auth import journal, limitation
from auth.accounts import end_sessions
from auth.forms import CsrfOnlyForm, LoginForm
from auth.identity import authenticate
from auth.models import User

bp = Blueprint("auth", __name__, template_folder="templates")

GENERIC_ERROR = "Identifiant ou mot de passe incorrect."
EXPIRED_FORM = "Le formulaire a expiré. Veuillez réessayer."
ACCOUNT_WAIT = "Trop de tentatives de connexion pour ce compte. Réessayez dans {delai}."


def safe_next(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path of this site, else ``default`` (no open redirect).

    Browsers read ``\\`` as ``/`` and drop tabs and newlines, so ``/\\evil.test`` or
    ``/\\t/evil.test`` would become ``//evil.test``: both are refused as well. Any number of
    leading slashes is a host to a browser (``///evil.test`` too, although ``urlsplit`` sees an
    empty netloc there), so the raw text must not start with ``//``.
    """
    if not target or "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default
    if target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return default
    return target


def home_of(user) -> str:
    """Where a login lands without ``next``: an administrator who sees no data by any
    organisation starts on the accounts page, everyone else on the dashboard."""
    if getattr(user, "est_admin", False) and not getattr(user, "organisations", ()):
        return "/admin/comptes"
    return "/"


def logout_csrf_token() -> str:
    """The CSRF token a logout form (e.g. in the Dash header) posts as ``csrf_token``."""
    return generate_csrf()


@bp.route("/connexion", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        if current_user.is_authenticated:
            return redirect(safe_next(form.next.data))
        return render_template("auth_login.html", form=form, error=None)

    if not form.validate_on_submit():
        expired = bool(form.csrf_token.errors) if hasattr(form, "csrf_token") else False
        error = EXPIRED_FORM if expired else GENERIC_ERROR
        return render_template("auth_login.html", form=form, error=error), 400 if expired else 200

    email = (form.email.data or "").strip().lower()
    attendre = limitation.attente(email)
    if attendre:  # the password is not even checked while the account waits
        journal.enregistrer(engine(), "connexion_bloquee", journal.acteur_requete(email))
        form.password.data = ""
        message = ACCOUNT_WAIT.format(delai=limitation.en_clair(attendre))
        return render_template("auth_login.html", form=form, error=message), 429
    user = authenticate(engine(), email, form.password.data)
    if user is None:
        echecs = limitation.echec(email)
        journal.enregistrer(
            engine(),
            "connexion_echouee",
            journal.acteur_requete(email),
            details={"echecs_consecutifs": echecs},
        )
        form.password.data = ""
        return render_template("auth_login.html", form=form, error=GENERIC_ERROR), 200
    limitation.succes(email)
    target = safe_next(form.next.data)
    if target == "/":  # the dashboard by default (the guard sends anonymous visitors with next=/)
        target = home_of(user)
    session.clear()  # nothing from before the login survives it
    login_user(user)
    session.permanent = True
    # The CSRF secret goes into the cookie the login sets. Were it created later, by the page's
    # first request, a parallel Dash request still carrying the login cookie could write that
    # cookie back last, and the logout form's token would no longer match the session.
    # (The login form cached the pre-login token in ``g``: drop it so a new secret is made.)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    generate_csrf()
    journal.enregistrer(engine(), "connexion", journal.acteur_requete())
    journal.purger(engine(), int(current_app.config.get("JOURNAL_RETENTION_JOURS", 365)))
    return redirect(target)


@bp.post("/deconnexion")
def logout() -> Response:
    if not CsrfOnlyForm().validate_on_submit():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        # An expired or missing token: ask once more, with a fresh one, rather than a bare 400.
        page = render_template(
            "auth_logout_confirm.html", csrf_token=generate_csrf(), title="Se déconnecter"
        )
        return Response(page, status=400, mimetype="text/html")
    if current_user.is_authenticated:
        journal.enregistrer(engine(), "deconnexion", journal.acteur_requete())
        # a copy of the cookie taken before logout must not outlive it
        with Session(engine()) as db, db.begin():
            user = db.get(User, current_user.id)
            if user is not None:
                end_sessions(user)
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté.", "success")
    return redirect(url_for("auth.login"))
