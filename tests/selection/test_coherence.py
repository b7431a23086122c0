"""One truth per figure (issue 9): on the demo data, for random selections and roles, every
figure shown on the cards, written in their exports and printed by ``suivi-etp figures`` is the
same value.

Cards are compared through their French text (the screen rounds, only there); exports and
``figures`` through their unrounded values.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callbacks import annuel, export_sources, financeurs, mensuel
from callbacks.context import parse_filtres
from etp import queries
from etp.demo.loader import load_demo
from etp.demo.model import DemoConfig
from etp.figures import figures
from etp.formatting import fmt_etp, fmt_mois, fmt_pct, libelle_statut
from etp.scope import Scope
from layouts import financeurs as vue_financeurs
from layouts import ids

DEMO = DemoConfig(seed=11, today=date(2026, 11, 20), structures=24)
ROLES = ("siae", "ddets", "cd", "dreets", "dgefp")


@pytest.fixture
def demo(engine, make_user) -> dict[str, Any]:
    """The demo data (imported for real) and one account per role, each organisation taken
    from the data so that every role sees something."""
    load_demo(engine, DEMO)
    tout = Scope.everything()
    annees = queries.annees_disponibles(engine, tout)
    annuel = queries.indicateurs_annuels(engine, tout, parse_filtres({"annee": annees[-1]}))
    dep = annuel["departement"].value_counts().idxmax()  # the largest groups of the data
    region = annuel["region"].value_counts().idxmax()
    structures = [int(s) for s in annuel["structure_id"].value_counts().index[:2]]
    return {
        "annees": annees[-2:],
        "users": {
            "siae": make_user("siae@demo.test", "siae", structures=structures),
            "ddets": make_user("ddets@demo.test", "ddets", departement=dep),
            "cd": make_user("cd@demo.test", "cd", departement=dep),
            "dreets": make_user("dreets@demo.test", "dreets", region=region),
            "dgefp": make_user("dgefp@demo.test", "dgefp"),
        },
    }


def _props(component: Any) -> dict:
    return (
        component.to_plotly_json().get("props", {}) if hasattr(component, "to_plotly_json") else {}
    )


def _par_id(component: Any, cible: str) -> Any:
    """The component with id ``cible`` in a tree (or None)."""
    if isinstance(component, list | tuple):
        for c in component:
            trouve = _par_id(c, cible)
            if trouve is not None:
                return trouve
        return None
    props = _props(component)
    if props.get("id") == cible:
        return component
    return _par_id(props.get("children"), cible) if props else None


def _valeur(contenu: Any, tile_id: str) -> str:
    """The French text of a key-figure tile."""
    p = _props(_par_id(contenu, f"{tile_id}-valeur"))
    children = p.get("children")
    if hasattr(children, "to_plotly_json"):
        children = _props(children).get("children")
    return str(children)


def _une_ligne(sheets) -> dict[str, Any]:
    (sheet,) = sheets
    assert len(sheet.frame) == 1
    return sheet.frame.iloc[0].to_dict()


def _egal(a: Any, b: Any) -> bool:
    if a is None or (isinstance(a, float) and a != a):
        return b is None or (isinstance(b, float) and b != b)
    return b is not None and abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_cards_exports_and_figures_agree(engine, app, en_tant_que, demo, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    user = demo["users"][role]
    from auth.scope import scope_for_user

    scope = scope_for_user(user)
    annee = data.draw(st.sampled_from(demo["annees"]), label="annee")
    options = queries.options_filtres(engine, scope, parse_filtres({"annee": annee}))
    etat: dict[str, Any] = {"annee": annee}
    for cle, liste in (
        ("type", "types"),
        ("departement", "departements"),
        ("structure", "structures"),
    ):
        choix = [None, *[v for v, _ in options[liste]]]
        valeur = data.draw(st.sampled_from(choix), label=cle)
        if valeur is not None:
            etat[cle] = valeur
    filtres = parse_filtres(etat)
    f = figures(engine, scope, filtres)
    if f["nb_af"] == 0:
        return

    # --- exports: the same unrounded values
    m = _une_ligne(export_sources.chiffres_mensuels(engine, scope, filtres))
    assert _egal(m["etp_mensuel_conventionne"], f["conventionne"]["etp_mensuel"])
    assert _egal(m["etp_mensuel_realise_moyen"], f["realise"]["etp_mensuel_moyen"])
    assert _egal(m["taux_moyen"], f["realise"]["taux_moyen"])
    assert m["statut"] == libelle_statut(f["statut_consommation"])
    d = f["dernier_mois_valide"]
    if d is not None:
        assert m["dernier_mois_valide"] == date(annee, d["mois"], 1)
        assert _egal(m["etp_mensuel_realise_dernier_mois"], d["etp_realise"])
        assert m["nb_af_valides_dernier_mois"] == d["nb_af_valides"]
    a = _une_ligne(export_sources.chiffres_annuels(engine, scope, filtres))
    assert _egal(a["etp_annuel_conventionne"], f["conventionne"]["etp_annuel"])
    assert _egal(a["etp_annuel_realise"], f["realise"]["etp_annuel"])
    assert _egal(a["taux_realisation_annuel"], f["realise"]["taux"])
    assert _egal(a["projection_etp_annuel"], f["projection"]["etp_annuel"])
    assert _egal(a["montant_annuel_projete"], f["projection"]["montant"])
    _slug, source = financeurs.EXPORTS[vue_financeurs.SYNTHESE]
    s = _une_ligne(source(engine, scope, filtres))
    assert _egal(s["enveloppe_etp"], f["conventionne"]["etp_annuel"])
    assert _egal(s["realise_etp"], f["realise"]["etp_annuel"])
    assert _egal(s["projection_etp"], f["projection"]["etp_annuel"])
    (serie,) = export_sources.serie_mensuelle(engine, scope, filtres)
    for ligne, objet in zip(serie.frame.to_dict("records"), f["serie"], strict=True):
        assert _egal(ligne["etp_mensuel_realise"], objet["etp_realise"])
        assert _egal(ligne["taux_realisation_mensuel"], objet["taux_realisation"])
        assert ligne["nb_af_valides"] == objet["nb_af_valides"]

    # --- cards: the same values, formatted at the edge
    with en_tant_que(user):
        cm = mensuel.contenu(etat)
        ca = annuel.contenu(etat)
        haut, _bas = financeurs.contenu(etat)
    assert _valeur(cm, f"{ids.MENSUEL_KPIS}-conventionne") == fmt_etp(
        f["conventionne"]["etp_mensuel"]
    )
    assert _valeur(cm, f"{ids.MENSUEL_KPIS}-moyen") == fmt_etp(f["realise"]["etp_mensuel_moyen"])
    if d is not None:
        assert _valeur(cm, f"{ids.MENSUEL_KPIS}-dernier") == fmt_etp(d["etp_realise"])
        assert fmt_mois(annee, d["mois"]) in str(_par_id(cm, f"{ids.MENSUEL_KPIS}-dernier"))
    assert _valeur(ca, f"{ids.ANNUEL_KPIS}-conventionne") == fmt_etp(
        f["conventionne"]["etp_annuel"]
    )
    assert _valeur(ca, f"{ids.ANNUEL_KPIS}-realise") == fmt_etp(f["realise"]["etp_annuel"])
    assert _valeur(ca, f"{ids.ANNUEL_KPIS}-taux") == fmt_pct(f["realise"]["taux"])
    projection = fmt_etp(f["projection"]["etp_annuel"])
    assert _valeur(ca, f"{ids.ANNUEL_KPIS}-projection") == projection
    # the funders' tile shows the same "Projection fin d'année"
    assert _valeur(haut, f"{vue_financeurs.SYNTHESE}-projection") == f"{projection} ETP"
    assert _valeur(haut, f"{vue_financeurs.SYNTHESE}-enveloppe") == (
        f"{fmt_etp(f['conventionne']['etp_annuel'])} ETP"
    )
