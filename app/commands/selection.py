"""What the commands printing figures share: the selection flags (the dashboard's filters),
parsed into one :class:`etp.filters.Filtres`, the scope of ``--as-user``, and the run of a scoped
command (database initialised, scope resolved, JSON unrounded or a French table).

``suivi-etp indicators``, ``figures`` and ``cofinancement`` take the same flags with the same
meaning because they come from here.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click
from sqlalchemy import Engine, inspect

from etp.chiffres import que_des_chiffres
from etp.db import default_database_url, make_engine
from etp.filters import Filtres
from etp.referentiel import TYPES_STRUCTURE, normalize_departement, regions, resolve_region
from etp.scope import Scope

FORMATS = ("json", "table")


class ErreurOption(Exception):
    """A bad option value: its message is shown to the user as is."""


_AS_OF = re.compile(r"^(\d{4})-(\d{2})$")
_NUMERO_AF = re.compile(r"^[A-Z]{2,5}[0-9A-Z]{3}\d{2}\d+$")


def parse_annee(value: str | None) -> int:
    if value is None:
        raise ErreurOption("l'option --annee est obligatoire (par exemple --annee 2022).")
    if not que_des_chiffres(value.strip()) or not 2000 <= int(value) <= 2100:
        raise ErreurOption(f"année invalide « {value} » : attendu une année comme 2022.")
    return int(value)


def parse_as_of(value: str | None) -> tuple[int, int] | None:
    """``YYYY-MM`` -> (year, month)."""
    if value is None:
        return None
    match = _AS_OF.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ErreurOption(f"mois de référence invalide « {value} » : format attendu AAAA-MM.")
    return int(match.group(1)), int(match.group(2))


def parse_region(value: str | None) -> str | None:
    if value is None:
        return None
    code = resolve_region(value)
    if code is None:
        connues = ", ".join(f"{c} ({lib})" for c, lib in sorted(regions().items()))
        raise ErreurOption(f"région inconnue « {value} ». Régions : {connues}.")
    return code


def parse_departement(value: str | None) -> str | None:
    if value is None:
        return None
    code = normalize_departement(value)
    if code is None:
        raise ErreurOption(f"département inconnu « {value} » (par exemple 35, 2A, 971).")
    return code


def parse_type(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if code not in TYPES_STRUCTURE:
        raise ErreurOption(f"type de structure inconnu « {value} » : {', '.join(TYPES_STRUCTURE)}.")
    return code


def parse_structure(value: str | None) -> int | None:
    if value is None:
        return None
    if not que_des_chiffres(value.strip()):
        raise ErreurOption(f"identifiant ASP de structure invalide « {value} » : un nombre.")
    return int(value)


def parse_af(value: str | None) -> str | None:
    if value is None:
        return None
    numero = value.strip().upper()
    if not _NUMERO_AF.match(numero):
        raise ErreurOption(
            f"numéro d'annexe financière invalide « {value} » (par exemple ACI054180019)."
        )
    return numero


_OPTIONS = (
    click.option("--annee", help="Année civile (obligatoire), par exemple 2026."),
    click.option("--af", "numero_af", help="Numéro d'annexe financière, ex. ACI054180019."),
    click.option("--structure", help="Identifiant ASP de la structure."),
    click.option("--departement", help="Département du conventionnement (35, 2A, 971…)."),
    click.option("--region", help="Région du conventionnement : code (53) ou nom (Bretagne)."),
    click.option("--type", "type_structure", help="Type de structure : EI, ACI, AI, ETTI, EITI."),
    click.option("--as-of", "as_of", help="Mois de référence AAAA-MM (défaut : date des données)."),
    click.option("--database-url", envvar="DATABASE_URL", default=None, help="URL SQLAlchemy."),
)


def options_selection(commande: Callable[..., Any]) -> Callable[..., Any]:
    """Add the selection flags (``annee``, ``numero_af``, ``structure``, ``departement``,
    ``region``, ``type_structure``, ``as_of``, ``database_url``) to a click command."""
    for option in reversed(_OPTIONS):
        commande = option(commande)
    return commande


def filtres_de(
    annee: str | None,
    numero_af: str | None,
    structure: str | None,
    departement: str | None,
    region: str | None,
    type_structure: str | None,
    as_of: str | None,
) -> Filtres:
    """The flags as a :class:`Filtres`; :class:`ErreurOption` names the first wrong one."""
    return Filtres(
        annee=parse_annee(annee),
        numero_af=parse_af(numero_af),
        structure_id=parse_structure(structure),
        type_structure=parse_type(type_structure),
        region=parse_region(region),
        departement=parse_departement(departement),
        as_of=parse_as_of(as_of),
    )


def erreur(message: str, code: int = 2) -> NoReturn:
    """A French message on stderr and the exit code (2: the arguments, 1: the database)."""
    click.echo(f"Erreur : {message}", err=True)
    sys.exit(code)


def scope_de(engine: Engine, email: str | None) -> Scope:
    """National without ``--as-user``; else that account's scope (its organisations)."""
    if email is None:
        return Scope.everything()
    import auth.models  # noqa: F401  (account tables on the metadata)
    from auth.identity import load_by_email
    from auth.scope import scope_for_user

    user = load_by_email(engine, email)
    if user is None:
        raise ErreurOption(f"compte inconnu « {email} ».")
    return scope_for_user(user)


def executer(
    selection: dict[str, str | None],
    as_user: str | None,
    format_: str,
    calcul: Callable[[Engine, Scope, Filtres], dict],
    tableau: Callable[[Filtres, Scope, dict], str],
) -> None:
    """Run a scoped figures command: ``selection`` holds the flags of
    :func:`options_selection`; ``calcul`` gives the JSON object, ``tableau`` its French table."""
    database_url = selection.pop("database_url", None)
    try:
        filtres = filtres_de(**selection)
        if format_ not in FORMATS:
            raise ErreurOption(f"format inconnu « {format_} » : {', '.join(FORMATS)}.")
    except ErreurOption as exc:
        erreur(str(exc))
    engine = make_engine(database_url or default_database_url())
    try:
        if not inspect(engine).has_table("annexe_financiere"):
            erreur("base de données non initialisée : lancez « suivi-etp init-db ».", code=1)
        try:
            scope = scope_de(engine, as_user)
        except ErreurOption as exc:
            erreur(str(exc))
        objet = calcul(engine, scope, filtres)
        if format_ == "json":
            click.echo(json.dumps(objet, ensure_ascii=False, indent=2))
        else:
            click.echo(tableau(filtres, scope, objet))
    finally:
        engine.dispose()
