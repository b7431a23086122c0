"""Flask-WTF forms, each with its own CSRF token (no global CSRFProtect: it would also guard
Dash's ``/_dash-update-component``)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from auth.roles import ROLES

ROLE_CHOICES = [(kind, role.libelle) for kind, role in ROLES.items()]


class LoginForm(FlaskForm):
    email = StringField("Adresse e-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class CsrfOnlyForm(FlaskForm):
    """Logout, enable/disable, remove a membership: the action is the URL, only CSRF is read."""


class OrganisationFields(FlaskForm):
    role = StringField("Rôle")  # a kind of ROLES, checked by accounts.resolve_organisation
    structures = StringField("Structures ASP (identifiants séparés par des virgules)")
    departement = StringField("Département (ex. 35)")
    region = StringField("Région (code ou nom)")


class CreateUserForm(OrganisationFields):
    email = StringField("Adresse e-mail", validators=[DataRequired(), Length(max=254)])
    nom = StringField("Nom", validators=[Length(max=120)])
    password = PasswordField("Mot de passe", validators=[DataRequired(), Length(max=1024)])
    admin = BooleanField("Administrateur des comptes")


class PasswordForm(FlaskForm):
    password = PasswordField("Nouveau mot de passe", validators=[DataRequired(), Length(max=1024)])


class MembershipForm(OrganisationFields):
    pass
