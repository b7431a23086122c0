"""``suivi-etp cofinancement``: the État / CD split and the bRSA target of a selection.

The ``cofinancement`` object printed here is the one ``suivi-etp figures`` is to carry under the
same key (issue 15): ``{montant_cd, part_cd, etp_annuel_conventionne_cd,
etp_annuel_conventionne_etat, serie: 12 × {mois, brsa_cible, nb_salaries_brsa,
etp_realise_brsa}}`` plus a few more keys. National scope, or the scope of ``--as-user``.
"""

from __future__ import annotations

import json

import click
from sqlalchemy import inspect

from app.commands.figures import scope_de
from app.commands.indicators import (
    ErreurOption,
    _erreur,
    parse_af,
    parse_annee,
    parse_as_of,
    parse_departement,
    parse_region,
    parse_structure,
    parse_type,
)
from etp import cofinancement
from etp import formatting as fmt
from etp.db import default_database_url, make_engine
from etp.filters import Filtres
from etp.scope import Scope

FORMATS = ("json", "table")


def _table(annee: int, scope: Scope, objet: dict) -> str:
    lignes = [
        f"Cofinancement CD {annee} — {scope.label or 'national'}",
        f"Annexes cofinancées : {fmt.fmt_nombre(objet['nb_af'])} "
        f"(dont {fmt.fmt_nombre(objet['nb_af_sous_cible'])} sous la cible bRSA)",
        f"Montant CD : {fmt.fmt_euros(objet['montant_cd'])} sur "
        f"{fmt.fmt_euros(objet['montant_total'])} ({fmt.fmt_pct(objet['part_cd'], 2)})",
        f"ETP annuels conventionnés : CD {fmt.fmt_etp(objet['etp_annuel_conventionne_cd'])}, "
        f"État {fmt.fmt_etp(objet['etp_annuel_conventionne_etat'])}",
        "Mois       cible bRSA   salariés bRSA   ETP bRSA",
    ]
    for m in objet["serie"]:
        valide = m["nb_salaries_brsa"] is not None
        salaries = fmt.fmt_nombre(m["nb_salaries_brsa"]) if valide else "non validé"
        etp = fmt.fmt_etp(m["etp_realise_brsa"]) if valide else "–"
        lignes.append(
            f"{fmt.nom_mois(m['mois']):<10} {fmt.fmt_etp(m['brsa_cible']):>10}   "
            f"{salaries:>13}   {etp:>8}"
        )
    return "\n".join(lignes)


@click.command(
    "cofinancement",
    help="Cofinancement des conseils départementaux : part État / CD et cible bRSA.",
)
@click.option("--annee", help="Année civile (obligatoire), par exemple 2026.")
@click.option("--af", "numero_af", help="Numéro d'annexe financière.")
@click.option("--structure", help="Identifiant ASP de la structure.")
@click.option("--departement", help="Département du conventionnement (35, 2A, 971…).")
@click.option("--region", help="Région du conventionnement : code (53) ou nom (Bretagne).")
@click.option("--type", "type_structure", help="Type de structure : EI, ACI, AI, ETTI, EITI.")
@click.option("--as-of", "as_of", help="Mois de référence AAAA-MM (défaut : date des données).")
@click.option("--as-user", "as_user", help="Périmètre de ce compte (défaut : national).")
@click.option("--format", "format_", default="json", show_default=True, help="json, table.")
@click.option("--database-url", envvar="DATABASE_URL", default=None, help="URL SQLAlchemy.")
def cofinancement_cmd(
    annee: str | None,
    numero_af: str | None,
    structure: str | None,
    departement: str | None,
    region: str | None,
    type_structure: str | None,
    as_of: str | None,
    as_user: str | None,
    format_: str,
    database_url: str | None,
) -> None:
    try:
        filtres = Filtres(
            annee=parse_annee(annee),
            numero_af=parse_af(numero_af),
            structure_id=parse_structure(structure),
            type_structure=parse_type(type_structure),
            region=parse_region(region),
            departement=parse_departement(departement),
            as_of=parse_as_of(as_of),
        )
        if format_ not in FORMATS:
            raise ErreurOption(f"format inconnu « {format_} » : {', '.join(FORMATS)}.")
    except ErreurOption as exc:
        _erreur(str(exc))
        return
    engine = make_engine(database_url or default_database_url())
    try:
        if not inspect(engine).has_table("annexe_financiere"):
            _erreur("base de données non initialisée : lancez « suivi-etp init-db ».", code=1)
        try:
            scope = scope_de(engine, as_user)
        except ErreurOption as exc:
            _erreur(str(exc))
            return
        objet = cofinancement.figures(engine, scope, filtres)
        if format_ == "json":
            sortie = {"annee": filtres.annee, "perimetre": scope.label, "cofinancement": objet}
            click.echo(json.dumps(sortie, ensure_ascii=False, indent=2))
        else:
            click.echo(_table(filtres.annee, scope, objet))
    finally:
        engine.dispose()
