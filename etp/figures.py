"""Every figure of every card of the dashboard for one selection, as one JSON-able dict.

:func:`figures` is what ``suivi-etp figures`` prints: the values come from the functions of
:mod:`etp.selection` named in the catalogue (:mod:`etp.catalogue`), unrounded, nested by the
dots of their catalogue keys (``conventionne.etp_annuel`` is ``d["conventionne"]["etp_annuel"]``).
Lists (``serie``, ``n1.mois_compares``, ``n1.afs``, ``remplissage``, ``retard``) hold plain
values. A new figure is one
catalogue entry plus one line here; :func:`aplatir` gives back the dotted keys (the consistency
tests compare screens and exports with it).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from etp import cofinancement, selection
from etp.filters import Filtres
from etp.pilotage.projection import projections, projections_totales
from etp.pilotage.remplissage import afs_en_retard, remplissage
from etp.pilotage.synthese import synthese
from etp.regles import as_of_texte
from etp.scope import Scope


def _json(valeur: Any) -> Any:
    """Plain JSON values: ``None`` for NaN/NA, Python numbers, lists of plain values."""
    if valeur is None or valeur is pd.NA:
        return None
    if isinstance(valeur, list | tuple):
        return [_json(v) for v in valeur]
    if isinstance(valeur, np.bool_ | bool):
        return bool(valeur)
    if isinstance(valeur, np.integer):
        return int(valeur)
    if isinstance(valeur, float | np.floating):
        return None if math.isnan(valeur) else float(valeur)
    return valeur


def _objet(**valeurs: Any) -> dict[str, Any]:
    return {k: _json(v) for k, v in valeurs.items()}


#: Keys of each ``serie`` object -> columns of :func:`etp.selection.serie_mensuelle`.
SERIE = {
    "mois": "mois",
    "nb_af": "nb_af_conventionnees",
    "nb_af_valides": "nb_af_valides",
    "etp_conventionne": "etp_mensuel_conventionne",
    "etp_conventionne_valide": "etp_mensuel_conventionne_valide",
    "etp_realise": "etp_mensuel_realise",
    "taux_realisation": "taux_realisation_mensuel",
}
#: Keys of each ``n1.afs`` object (columns of :func:`etp.selection.comparaison_n1`).
N1_AF = (
    "numero_annexe_financiere",
    "structure_denomination",
    "comparee",
    "motif_exclusion",
    "mois_compares",
    "realise_n",
    "realise_n1",
    "evolution_etp",
    "evolution_pct",
)


def figures_de(s: selection.Selection) -> dict[str, Any]:
    """The figures of an already-loaded selection (see :func:`figures`)."""
    t = selection.totaux(s.annuel)
    p = selection.projection_fin_annee(s.annuel)
    serie = selection.serie_mensuelle(s.mensuel)
    dernier = selection.dernier_mois_valide(serie)
    n1 = selection.comparaison_n1(s.annuel, s.mensuel, s.realises_n1)
    c = selection.courtes(s.annuel)
    saison = projections_totales(projections(s.annuel, s.mensuel, s.realises_n1))
    fin = synthese(s.annuel)
    fin_ligne = fin.iloc[0] if len(fin) else None
    retard = afs_en_retard(s.mensuel, s.annuel, s.annee, s.as_of)
    return {
        "annee": s.annee,
        "as_of": as_of_texte(s.as_of),
        "nb_af": t.nb_af,
        "conventionne": _objet(
            etp_mensuel=t.etp_mensuel_conventionne,
            etp_annuel=t.etp_annuel_conventionne,
            montant=t.montant_annuel_conventionne,
        ),
        "realise": _objet(
            etp_mensuel_moyen=t.etp_mensuel_realise_moyen,
            conventionne_compare=t.conventionne_compare,
            taux_moyen=t.taux_moyen,
            etp_annuel=t.etp_annuel_realise,
            taux=t.taux_realisation_annuel,
            montant=t.montant_annuel_realise,
        ),
        "statut_consommation": t.statut,
        "ecart": _objet(etp=t.ecart_etp, pct=t.ecart_pct),
        "projection": _objet(
            etp_annuel=p.etp_annuel,
            taux=p.taux,
            montant=p.montant,
            methode=p.methode,
            nb_af_sans_mois_valide=p.nb_af_sans_mois_valide,
            etp_sans_mois_valide=p.etp_sans_mois_valide,
        ),
        "projection_saisonniere": _objet(
            etp_annuel=saison["projection_saisonniere_etp"],
            nb_af=saison["nb_af_saisonnieres"],
            etp_annuel_memes_af=saison["projection_memes_af_etp"],
        ),
        "dernier_mois_valide": None
        if dernier is None
        else _objet(
            mois=dernier.mois,
            etp_realise=dernier.etp_realise,
            etp_conventionne=dernier.etp_conventionne,
            nb_af_valides=dernier.nb_af_valides,
            nb_af=dernier.nb_af,
        ),
        "serie": [
            _objet(**{cle: ligne[colonne] for cle, colonne in SERIE.items()})
            for ligne in serie.to_dict("records")
        ],
        "n1": {
            **_objet(
                mois_compares=n1.mois_compares,
                nb_af_comparees=n1.nb_af_comparees,
                nb_af_exclues=n1.nb_af_exclues,
                realise_n=n1.realise_n,
                realise_n1=n1.realise_n1,
                evolution_etp=n1.evolution_etp,
                evolution_pct=n1.evolution_pct,
            ),
            "afs": [_objet(**{k: rec.get(k) for k in N1_AF}) for rec in n1.afs.to_dict("records")],
        },
        "courtes": _objet(
            nb_af=c.nb_af,
            etp_mensuel_conventionne=c.etp_mensuel_conventionne,
            etp_annuel_conventionne=c.etp_annuel_conventionne,
            montant=c.montant,
            difference_etp=c.difference_etp,
            difference_euros=c.difference_euros,
        ),
        # the structure page's per-month fill rate and late AFs (catalogue ``remplissage.*``
        # and ``retard.*`` are the fields of each element of these lists)
        "remplissage": [
            _objet(
                mois=r["mois"],
                nb_af=r["nb_af_conventionnees"],
                nb_af_valides=r["nb_valide"],
                part_valide=r["part_valide"],
            )
            for r in remplissage(s.mensuel, s.annee, s.as_of).to_dict("records")
        ],
        "retard": [
            _objet(
                numero_annexe_financiere=r["numero_annexe_financiere"],
                mois_en_retard=r["mois_en_retard"],
                premier_mois_manquant=r["premier_mois_manquant"],
            )
            for r in retard.to_dict("records")
        ],
        "financeur": _objet(
            ecart_projection_etp=None if fin_ligne is None else fin_ligne["ecart_projection_etp"],
            credits_non_consommes=None if fin_ligne is None else fin_ligne["credits_non_consommes"],
            nb_af_en_retard=len(retard),
        ),
    }


def figures(engine: Engine, scope: Scope, filtres: Filtres) -> dict[str, Any]:
    """Every figure of the dashboard's cards for ``scope`` and ``filtres``, unrounded, nested by
    catalogue key (``suivi-etp figures --format json``); ``cofinancement`` is the tab
    "Cofinancement CD" (its own read of the co-financed AFs, same scope and filters)."""
    d = figures_de(selection.charger(engine, scope, filtres))
    d["cofinancement"] = cofinancement.figures(engine, scope, filtres)
    return d


def aplatir(d: dict[str, Any], prefixe: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``; lists are kept as values."""
    out: dict[str, Any] = {}
    for cle, valeur in d.items():
        chemin = f"{prefixe}{cle}"
        if isinstance(valeur, dict):
            out.update(aplatir(valeur, f"{chemin}."))
        else:
            out[chemin] = valeur
    return out
