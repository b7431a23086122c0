"""``suivi-etp cofinancement``: the État / CD split and the bRSA target of a selection.

The ``cofinancement`` object printed here is the one ``suivi-etp figures`` is to carry under the
same key (issue 15): ``{montant_cd, part_cd, etp_annuel_conventionne_cd,
etp_annuel_conventionne_etat, serie: 12 × {mois, brsa_cible, nb_salaries_brsa,
etp_realise_brsa}}`` plus a few more keys. National scope, or the scope of ``--as-user``.
"""

from __future__ import annotations

import click
from sqlalchemy import Engine

from app.commands.selection import executer, options_selection
from etp import cofinancement
from etp import formatting as fmt
from etp.filters import Filtres
from etp.scope import Scope


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
@options_selection
@click.option("--as-user", "as_user", help="Périmètre de ce compte (défaut : national).")
@click.option("--format", "format_", default="json", show_default=True, help="json, table.")
def cofinancement_cmd(as_user: str | None, format_: str, **selection: str | None) -> None:
    executer(selection, as_user, format_, _objet, _tableau)


def _tableau(filtres: Filtres, scope: Scope, objet: dict) -> str:
    return _table(filtres.annee, scope, objet["cofinancement"])


def _objet(engine: Engine, scope: Scope, filtres: Filtres) -> dict:
    objet = cofinancement.figures(engine, scope, filtres)
    return {"annee": filtres.annee, "perimetre": scope.label, "cofinancement": objet}
