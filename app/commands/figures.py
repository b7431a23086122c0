"""``suivi-etp figures``: every figure of every card of the dashboard for one selection.

The values are :func:`etp.figures.figures` (the functions the screens and exports call),
unrounded, keyed by the catalogue keys (:mod:`etp.catalogue`). National scope by default (the
data team); ``--as-user EMAIL`` applies that account's scope, exactly as the dashboard does, so
"what does the DREETS see?" has one answer. ``--format table`` prints the catalogue titles and
French numbers (rounded at display only); ``json`` keeps every number unrounded.
"""

from __future__ import annotations

import click

from app.commands.selection import executer, options_selection
from etp import formatting as fmt
from etp.catalogue import CATALOGUE
from etp.figures import aplatir, figures


def texte(valeur: object, kind: str) -> str:
    """A value in French, by the catalogue's display kind."""
    if valeur is None:
        return fmt.VIDE
    if kind == "etp":
        return fmt.fmt_etp(valeur)  # type: ignore[arg-type]
    if kind == "pct":
        return fmt.fmt_pct(valeur)  # type: ignore[arg-type]
    if kind == "euros":
        return fmt.fmt_euros(valeur, 0)  # type: ignore[arg-type]
    if kind == "int":
        return fmt.fmt_nombre(valeur)  # type: ignore[arg-type]
    if kind == "mois":
        return fmt.nom_mois(int(valeur))  # type: ignore[call-overload]
    if kind == "liste":
        return ", ".join(fmt.nom_mois(int(m)) for m in valeur)  # type: ignore[attr-defined]
    return str(valeur)


def render_table(donnees: dict) -> str:
    """One line per catalogue figure of the selection: title, value in French, key."""
    plat = aplatir(donnees)
    lignes = []
    for cle, ind in CATALOGUE.items():
        if cle not in plat or (isinstance(plat[cle], list) and ind.kind != "liste"):
            continue
        lignes.append((ind.titre, texte(plat[cle], ind.kind), cle))
    largeur = max((len(t) for t, _, _ in lignes), default=0)
    courtes = [v for _, v, _ in lignes if len(v) <= 40]  # a sentence goes on its own line
    valeurs = max((len(v) for v in courtes), default=0)
    return "\n".join(
        f"{t.ljust(largeur)}  {v.rjust(valeurs)}  {c}"
        if len(v) <= 40
        else f"{t.ljust(largeur)}  {c}\n  {v}"
        for t, v, c in lignes
    )


@click.command(
    "figures", help="Chiffres de toutes les cartes du tableau de bord pour une sélection."
)
@options_selection
@click.option("--as-user", "as_user", help="Périmètre de ce compte (défaut : national).")
@click.option("--format", "format_", default="json", show_default=True, help="json, table.")
def figures_command(as_user: str | None, format_: str, **selection: str | None) -> None:
    executer(selection, as_user, format_, figures, lambda _f, _s, donnees: render_table(donnees))
