"""The in-app guides: « Guide SIAE » and « Guide DDETS / DREETS / CD ».

How to read each tab and the two use cases of the product step by step, with screenshots of the
demo (``tools/screenshots.py`` writes them to ``assets/captures/``) and, for every figure a tab
shows, its title and definition read from the indicator catalogue (:mod:`etp.catalogue`): the
guides never restate a definition of their own. Server-rendered, printable, for any logged-in
user.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template

from etp.catalogue import CATALOGUE, Indicateur

bp = Blueprint("guides", __name__, url_prefix="/guides", template_folder="templates")


@dataclass(frozen=True)
class Guide:
    slug: str
    titre: str
    public: str
    ecrans: tuple[str, ...]  # catalogue screens whose figures the guide defines


GUIDES: dict[str, Guide] = {
    g.slug: g
    for g in (
        Guide(
            "siae",
            "Guide SIAE",
            "directions et équipes des structures d'insertion",
            ("Effectif mensuel", "Effectif annuel"),
        ),
        Guide(
            "financeurs",
            "Guide DDETS / DREETS / CD",
            "agents des DDETS, DREETS, conseils départementaux et de la DGEFP",
            ("Effectif mensuel", "Effectif annuel", "Synthèse financeur"),
        ),
    )
}


def definitions(guide: Guide) -> list[tuple[str, list[Indicateur]]]:
    """Per screen of the guide, the catalogue entries shown there (catalogue order)."""
    return [(ecran, [i for i in CATALOGUE.values() if ecran in i.ecrans]) for ecran in guide.ecrans]


@bp.get("/")
def index() -> str:
    return render_template("guides_index.html", guides=list(GUIDES.values()))


@bp.get("/<slug>")
def guide(slug: str) -> str:
    choisi = GUIDES.get(slug)
    if choisi is None:
        abort(404)
    return render_template(
        f"guide_{choisi.slug}.html", guide=choisi, definitions=definitions(choisi)
    )
