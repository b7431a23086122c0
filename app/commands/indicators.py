"""``suivi-etp indicators``: the ETP indicators per AF for the data team (and for checks).

National scope: the data team sees every AF; the options only narrow. Values are checked here so
that a typo gives a clear French message and exit code 2 rather than an empty result. The table
format rounds through :mod:`etp.formatting`; JSON and CSV keep every number unrounded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import click
import pandas as pd
from sqlalchemy import Engine, inspect

from app.commands.selection import ErreurOption, erreur, filtres_de, options_selection
from etp import formatting as fmt
from etp import queries
from etp.aggregation import agreger
from etp.catalogue import indicateur
from etp.db import default_database_url, make_engine
from etp.filters import Filtres
from etp.scope import Scope

FORMATS = ("table", "json", "csv")


def parse_format(value: str) -> str:
    if value not in FORMATS:
        raise ErreurOption(f"format inconnu « {value} » : {', '.join(FORMATS)}.")
    return value


# --------------------------------------------------------------------------- output


#: (column, header, kind) of the table; a header ``cle:<key>`` takes the title and display
#: kind of that catalogue figure, so the CLI never re-lists a figure's name.
_SPEC: Sequence[tuple[str, str, str | None]] = (
    ("numero_annexe_financiere", "Annexe financière", "texte"),
    ("structure_denomination", "Structure", "texte"),
    ("type_structure", "Type", "texte"),
    ("departement", "Dép.", "texte"),
    ("nb_mois_conventionnes", "Mois conv.", "nombre"),
    ("etp_mensuel_conventionne", "cle:af.etp_mensuel_conventionne", None),
    ("etp_annuel_conventionne", "cle:af.etp_annuel_conventionne", None),
    ("nb_mois_valides", "Mois validés", "nombre"),
    ("etp_mensuel_realise_moyen", "cle:af.etp_mensuel_realise_moyen", None),
    ("etp_annuel_realise", "cle:af.etp_annuel_realise", None),
    ("taux_realisation_annuel", "cle:af.taux_realisation_annuel", None),
    ("statut_consommation", "cle:statut_consommation", "statut"),
    ("ecart_etp_mensuel", "cle:ecart.etp", "ecart"),
    ("projection_etp_annuel", "cle:af.projection_etp_annuel", None),
    ("taux_projection_annuel", "cle:projection.taux", None),
    ("montant_annuel_conventionne", "cle:conventionne.montant", None),
    ("montant_annuel_projete", "cle:projection.montant", None),
)
_KINDS = {"etp": "etp", "pct": "pct", "euros": "euros", "int": "nombre", "text": "texte"}


def _colonne(colonne: str, entete: str, kind: str | None) -> tuple[str, str, str]:
    if not entete.startswith("cle:"):
        return colonne, entete, kind or "texte"
    ind = indicateur(entete.removeprefix("cle:"))
    return colonne, ind.titre, kind or _KINDS[ind.kind]


_TABLE: Sequence[tuple[str, str, str]] = tuple(_colonne(*spec) for spec in _SPEC)


def _cellule(value: object, kind: str) -> str:
    if kind == "texte":
        return fmt.VIDE if value is None or pd.isna(value) else str(value)
    if kind == "statut":
        return fmt.libelle_statut(None if pd.isna(value) else value)
    if value is None or pd.isna(value):
        return fmt.VIDE
    return {
        "nombre": fmt.fmt_nombre,
        "etp": fmt.fmt_etp,
        "pct": fmt.fmt_pct,
        "ecart": fmt.fmt_ecart,
        "euros": lambda v: fmt.fmt_euros(v, 0),
    }[kind](float(value))


def render_table(annuel: pd.DataFrame) -> str:
    """The annual frame as aligned text, French numbers, with a total line."""
    lignes = [[h for _, h, _ in _TABLE]]
    for _, row in annuel.iterrows():
        lignes.append([_cellule(row[col], kind) for col, _, kind in _TABLE])
    if len(annuel) > 1:
        total = agreger(annuel, []).iloc[0]
        ligne_total = []
        for col, _, kind in _TABLE:
            if col == "numero_annexe_financiere":
                ligne_total.append(f"Total ({len(annuel)} AF)")
            elif col in total.index and kind != "texte" and col != "nb_mois_conventionnes":
                ligne_total.append(_cellule(total[col], kind))
            else:
                ligne_total.append("")
        lignes.append(ligne_total)
    largeurs = [max(len(ligne[i]) for ligne in lignes) for i in range(len(_TABLE))]
    texte = []
    for n, ligne in enumerate(lignes):
        cellules = [
            c.ljust(w) if kind in ("texte", "statut") or n == 0 else c.rjust(w)
            for c, w, (_, _, kind) in zip(ligne, largeurs, _TABLE, strict=True)
        ]
        texte.append("  ".join(cellules).rstrip())
        if n == 0 or (n == len(lignes) - 2 and len(annuel) > 1):
            texte.append("  ".join("-" * w for w in largeurs))
    return "\n".join(texte)


def _entete(engine: Engine, annuel: pd.DataFrame, annee: int) -> str:
    quand = queries.date_donnees(engine)
    parties = [f"Année {annee}"]
    parties.append(f"données au {fmt.fmt_date(quand)}" if quand else "aucun état mensuel importé")
    if not annuel.empty and isinstance(annuel["as_of"].iloc[0], str):
        a, m = (int(x) for x in annuel["as_of"].iloc[0].split("-"))
        parties.append(f"mois validés comptés jusqu'à {fmt.fmt_mois(a, m)}")
    return " — ".join(parties)


# --------------------------------------------------------------------------- command


@click.command("indicators", help="Indicateurs ETP par annexe financière (périmètre national).")
@options_selection
@click.option("--format", "format_", default="table", show_default=True, help="table, json, csv.")
def indicators(format_: str, **selection: str | None) -> None:
    database_url = selection.pop("database_url", None)
    try:
        filtres = filtres_de(**selection)
        format_ = parse_format(format_)
    except ErreurOption as exc:
        erreur(str(exc))
    engine = make_engine(database_url or default_database_url())
    try:
        _afficher(engine, filtres, format_)
    finally:
        engine.dispose()


def _afficher(engine: Engine, filtres: Filtres, format_: str) -> None:
    if not inspect(engine).has_table("annexe_financiere"):
        erreur("base de données non initialisée : lancez « suivi-etp init-db ».", code=1)
    scope = Scope.everything()
    if format_ == "json":
        donnees = queries.indicateurs_json(engine, scope, filtres)
        click.echo(json.dumps(donnees, ensure_ascii=False, indent=2))
        return
    annuel = queries.indicateurs_annuels(engine, scope, filtres)
    if format_ == "csv":
        click.echo(annuel.to_csv(index=False), nl=False)
        return
    click.echo(_entete(engine, annuel, filtres.annee))
    if annuel.empty:
        click.echo("Aucune annexe financière comptée pour ces critères.")
        return
    click.echo(render_table(annuel))
