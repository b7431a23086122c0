"""The figures on screen, to the cent, for every demo account: each tab's key cards, the
monthly chart's conventioned series and fill-rate counts, the detail tables' rows and the
funders' totals, compared with values recomputed in ``calculs_demo`` from the demo database
(plain SQL and the guide's definitions, never the functions that feed the screen).

Not asserted here while their definitions are being reworked (issue 9): the N−1 comparison,
the year-end projection, the partly validated months of the monthly chart and the "dernier
mois validé" card. Adding a card is one :class:`calculs_demo.Carte` line in a list below.
"""

from __future__ import annotations

import pytest
from calculs_demo import (
    LIBELLES_ETATS,
    MOIS,
    PERIMETRES,
    Carte,
    Filtres,
    Selection,
    au_centime_pres,
    libelle_statut,
    lire_annexes,
    nb_annexes,
    nombre,
)
from outils_e2e import connecter

pytestmark = pytest.mark.e2e

EUROS = r"^(\d[\d\s]*)\s*€"

CARTES_MENSUEL = [
    Carte("#mensuel-kpis-conventionne-valeur", "etp", lambda s: s.mensuel_conventionne),
    Carte("#mensuel-kpis-moyen-valeur", "etp", lambda s: s.moyen),
    Carte("#mensuel-kpis-moyen .kpi-detail", "pct", lambda s: s.taux_moyen, r"^(.*%)"),
    Carte("#mensuel-kpis-statut-valeur", "texte", lambda s: libelle_statut(s.statut)),
    Carte("#mensuel-kpis-statut .kpi-detail", "etp", lambda s: s.ecart, r"Écart : (\S+) ETP"),
]
CARTES_ANNUEL = [
    Carte("#annuel-kpis-conventionne-valeur", "etp", lambda s: s.annuel_conventionne),
    Carte("#annuel-kpis-realise-valeur", "etp", lambda s: s.annuel_realise),
    Carte("#annuel-kpis-taux-valeur", "pct", lambda s: s.taux_realisation),
    Carte("#annuel-kpis-montants", "euros", lambda s: s.montant_conventionne, r"([\d\s]+)€ conv"),
    Carte("#annuel-kpis-montants", "euros", lambda s: s.montant_realise, r"([\d\s]+)€ réalisés"),
]


def _par_statut(code: str | None, suffixe: str) -> list[Carte]:
    tuile = f"#financeurs-synthese-{suffixe}"
    return [
        Carte(f"{tuile}-valeur", "texte", lambda s: nb_annexes(len(s.par_statut(code)))),
        Carte(
            f"{tuile} .kpi-detail",
            "etp",
            lambda s: sum(a.annuel_conventionne for a in s.par_statut(code)),
            r"^(\S+) ETP",
        ),
    ]


CARTES_FINANCEURS = [
    Carte("#financeurs-synthese-enveloppe-valeur", "etp", lambda s: s.annuel_conventionne),
    Carte(
        "#financeurs-synthese-enveloppe .kpi-detail",
        "euros",
        lambda s: s.montant_conventionne,
        EUROS,
    ),
    Carte(
        "#financeurs-synthese-enveloppe .kpi-detail",
        "texte",
        lambda s: nb_annexes(len(s.annexes)),
        r"· (.*)$",
    ),
    Carte("#financeurs-synthese-consomme-valeur", "etp", lambda s: s.annuel_realise),
    Carte("#financeurs-synthese-consomme .kpi-detail", "euros", lambda s: s.montant_realise, EUROS),
    Carte(
        "#financeurs-synthese-consomme .kpi-detail",
        "pct",
        lambda s: s.taux_realisation,
        r"· (.*%)",
    ),
    *_par_statut("sur-consommation", "sur"),
    *_par_statut("sous-consommation", "sous"),
    *_par_statut("conforme", "conforme"),
    *_par_statut(None, "sans"),
]

LIGNES = """sel => Array.from(document.querySelectorAll(sel + ' tbody tr'))
  .map(tr => Object.fromEntries(Array.from(tr.querySelectorAll('td[data-dash-column]'))
    .map(td => [td.dataset.dashColumn, td.innerText])))
  .filter(r => Object.keys(r).length)"""
TRACES_PRETES = """sel => { const g = document.querySelector(sel + ' .js-plotly-plot');
  return !!(g && g.data && g.data.length) }"""
TRACES = """sel => document.querySelector(sel + ' .js-plotly-plot').data
  .map(t => [t.name, Array.from(t.y, v => v === undefined ? null : v)])"""


def _filtres(page) -> Filtres:
    """The selection the page shows, read from its filter controls."""

    def valeur(nom: str) -> str:
        return page.evaluate(f"() => document.getElementById('filtres-{nom}')?.value ?? ''")

    return Filtres(
        annee=int(valeur("annee")),
        structure=valeur("structure"),
        af=valeur("af"),
        type_structure=valeur("type"),
        region=valeur("region"),
        departement=valeur("departement"),
    )


def _verifier(page, cartes: list[Carte], selection: Selection) -> list[str]:
    erreurs = []
    for carte in cartes:
        page.wait_for_selector(carte.selecteur, state="attached")
        texte = page.inner_text(carte.selecteur)
        message = carte.verifier(texte, selection)
        if message:
            erreurs.append(message)
    return erreurs


def _onglet(page, nom: str, attendre: str) -> None:
    page.get_by_role("tab", name=nom).click()
    page.wait_for_selector(attendre)


def _nombre_de_lignes(page, resume: str) -> int:
    texte = page.inner_text(resume)
    return int(texte.split(" ligne")[0].replace("\u202f", "").replace("\u00a0", ""))


def _graphiques_mensuels(page, sel: Selection) -> list[str]:
    erreurs = []
    page.wait_for_function(TRACES_PRETES, arg="#mensuel-graphique-graph")
    traces = dict(page.evaluate(TRACES, "#mensuel-graphique-graph"))
    # the conventioned bar is stacked: the validated AFs' part and the rest (hatched)
    valides = traces["Conventionné (annexes validées)"]
    reste = traces["Conventionné (annexes non validées)"]
    for m in range(1, 13):
        vu = (valides[m - 1] or 0.0) + (reste[m - 1] or 0.0)
        attendu = sel.conventionne_du_mois(m)
        if abs(vu - attendu) > 1e-9:
            erreurs.append(f"chart, conventionné {m}: {vu} != {attendu}")
    for m in sel.mois_entierement_valides():
        vu, attendu = traces["Réalisé (annexes validées)"][m - 1], sel.realise_du_mois(m)
        if vu is None or abs(vu - attendu) > 1e-9:
            erreurs.append(f"chart, réalisé {m}: {vu} != {attendu}")
    page.wait_for_function(TRACES_PRETES, arg="#mensuel-remplissage-graph")
    comptes = dict(page.evaluate(TRACES, "#mensuel-remplissage-graph"))
    for etat, libelle in LIBELLES_ETATS.items():
        if comptes[libelle] != sel.remplissage(etat):
            erreurs.append(f"fill rate {libelle}: {comptes[libelle]} != {sel.remplissage(etat)}")
    return erreurs


def _detail_mensuel(page, sel: Selection) -> list[str]:
    attendues = {
        (a.numero, f"{MOIS[m - 1]} {a.annee}"): (a, m)
        for a in sel.annexes
        for m in a.mois_conventionnes
    }
    erreurs = []
    total = _nombre_de_lignes(page, "#detail-mensuel-resume")
    if total != len(attendues):
        erreurs.append(f"monthly detail: {total} rows, expected {len(attendues)}")
    lignes = page.evaluate(LIGNES, "#detail-mensuel-table")
    assert lignes
    for ligne in lignes:
        a, m = attendues[(ligne["numero_annexe_financiere"], ligne["mois"])]
        realise = a.realise(m)
        controles = [
            ligne["structure"] == a.libelle_structure,
            ligne["etat"] == LIBELLES_ETATS.get(a.etat(m), a.etat(m)),
            au_centime_pres(ligne["heures"], a.heures(m), 0),
            au_centime_pres(ligne["etp_mensuel_realise"], realise),
            au_centime_pres(ligne["etp_mensuel_conventionne"], a.c),
            au_centime_pres(
                ligne["taux_realisation_mensuel"],
                None if realise is None else realise / a.c * 100,
                0,
            ),
        ]
        if not all(controles):
            erreurs.append(f"monthly detail row {ligne} (checks {controles})")
    return erreurs


def _detail_annuel(page, sel: Selection) -> list[str]:
    par_numero = {a.numero: a for a in sel.annexes}
    assert len(par_numero) == len(sel.annexes)  # one AF per number and year in the demo
    erreurs = []
    total = _nombre_de_lignes(page, "#detail-annuel-resume")
    if total != len(sel.annexes):
        erreurs.append(f"annual detail: {total} rows, expected {len(sel.annexes)}")
    lignes = page.evaluate(LIGNES, "#detail-annuel-table")
    assert lignes
    for ligne in lignes:
        a = par_numero[ligne["numero_annexe_financiere"]]
        ecart = None if a.moyen is None else a.moyen - a.c
        controles = [
            ligne["structure"] == a.libelle_structure,
            ligne["type_structure"] == a.type_structure,
            au_centime_pres(ligne["etp_mensuel_conventionne"], a.c),
            au_centime_pres(ligne["etp_annuel_conventionne"], a.annuel_conventionne),
            au_centime_pres(ligne["etp_annuel_realise"], a.annuel_realise),
            au_centime_pres(
                ligne["taux_realisation_annuel"], a.annuel_realise / a.annuel_conventionne * 100, 0
            ),
            au_centime_pres(ligne["etp_mensuel_realise_moyen"], a.moyen),
            ligne["statut_consommation"].endswith(libelle_statut(a.statut)),
            au_centime_pres(ligne["ecart_etp_mensuel"], ecart),
            nombre(ligne["nb_mois_conventionnes"]) == len(a.mois_conventionnes),
            nombre(ligne["nb_mois_valides"]) == len(a.mois_valides),
            au_centime_pres(
                ligne["montant_annuel_conventionne"], a.annuel_conventionne * a.aide, 0
            ),
            au_centime_pres(ligne["montant_annuel_realise"], a.annuel_realise * a.aide, 0),
        ]
        if not all(controles):
            erreurs.append(f"annual detail row {ligne} (checks {controles})")
    return erreurs


@pytest.mark.parametrize("email", list(PERIMETRES))
def test_every_tab_shows_the_recomputed_figures(navigateur, serveur, base_demo, email):
    page = connecter(navigateur, serveur, email, attendre="#mensuel-kpis-moyen-valeur")
    filtres = _filtres(page)
    sel = Selection.de(lire_annexes(base_demo, filtres.annee), PERIMETRES[email], filtres)
    assert sel.annexes, "the demo gives every role some AFs"
    erreurs = _verifier(page, CARTES_MENSUEL, sel) + _graphiques_mensuels(page, sel)

    _onglet(
        page,
        "Détail de la consommation mensuelle (en ETP)",
        "#detail-mensuel-table td[data-dash-column='mois']",
    )
    erreurs += _detail_mensuel(page, sel)

    _onglet(page, "Effectif annuel (en ETP)", "#annuel-kpis-realise-valeur")
    erreurs += _verifier(page, CARTES_ANNUEL, sel)

    _onglet(
        page,
        "Détail de la consommation annuelle (en ETP)",
        "#detail-annuel-table td[data-dash-column='statut_consommation']",
    )
    erreurs += _detail_annuel(page, sel)

    if email != "siae@demo.test":  # the funders' synthesis is not offered to an SIAE
        _onglet(page, "Synthèse financeur", "#financeurs-synthese-enveloppe-valeur")
        erreurs += _verifier(page, CARTES_FINANCEURS, sel)
    page.close()
    assert not erreurs, "\n".join(erreurs)
