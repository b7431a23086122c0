"""Bourse aux postes: « Ma demande d'ajustement » (SIAE) and « Simulation » (funders).

Server-rendered pages like ``/avis``: per-form CSRF, readable without JavaScript, every figure
from :mod:`etp.selection` / :mod:`etp.bourse` on the session's scope, every write through
:mod:`etp.demandes` / :mod:`etp.scenarios` with that scope. An SIAE reaches only the SIAE page,
a funder only the simulation; anything else answers 403, an unknown or foreign request or
scenario 404 (the two are not told apart).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pandas as pd
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.extensions import engine
from auth import journal
from auth.roles import union
from etp import bourse, demandes, queries, scenarios, selection
from etp.catalogue import titre
from etp.chiffres import que_des_chiffres
from etp.collation import cle_serie_fr
from etp.exports import Colonne, ExportSheet, Perimetre, du_catalogue, to_xlsx
from etp.filters import Filtres
from etp.formatting import (
    fmt_compte,
    fmt_date,
    fmt_etp,
    fmt_euros,
    fmt_mois,
    fmt_pct,
    libelle_statut,
    nom_mois,
)
from etp.regles import as_of_texte
from etp.scope import Scope

bp = Blueprint("bourse", __name__, url_prefix="/bourse", template_folder="templates")

SIAE = ("siae",)
FINANCEURS = ("ddets", "cd", "dreets", "dgefp")


class CsrfForm(FlaskForm):
    """Only the CSRF token: the fields of these pages are read from ``request.form``."""


# --------------------------------------------------------------------------- who and what


def _orgs(kinds: tuple[str, ...]) -> list[Any]:
    if not current_user.is_authenticated:
        return []
    return [o for o in current_user.organisations if o.kind in kinds]


def _scope(orgs: list[Any]) -> Scope:
    return union((o.scope for o in orgs), label=", ".join(o.label for o in orgs))


def _exiger(kinds: tuple[str, ...]) -> list[Any]:
    orgs = _orgs(kinds)
    if not orgs:
        abort(403)
    return orgs


def _maintenant() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _annee(scope: Scope) -> int:
    """The year asked for when the scope has it, else the data date's year (or the latest)."""
    annees = queries.annees_disponibles(engine(), scope)
    brut = request.values.get("annee", "")
    if que_des_chiffres(brut) and int(brut) in annees:
        return int(brut)
    as_of = queries.as_of_par_defaut(engine())
    if as_of and as_of[0] in annees:
        return as_of[0]
    return annees[-1] if annees else (as_of[0] if as_of else _maintenant().year)


def _selection(scope: Scope, annee: int) -> selection.Selection:
    return selection.charger(engine(), scope, Filtres(annee=annee))


def _nombre(brut: str | None) -> float | None:
    """A typed French or English decimal ("1,5", "-2", "+0.25"); ``None`` when not a number."""
    texte = (brut or "").strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
    if not texte:
        return None
    try:
        valeur = float(texte)
    except ValueError:
        return None
    return valeur if math.isfinite(valeur) else None


def _entier(brut: str | None) -> int | None:
    texte = (brut or "").strip()
    return int(texte) if que_des_chiffres(texte) else None


def _formats() -> dict[str, Any]:
    return {
        "fmt_etp": fmt_etp,
        "fmt_euros": lambda v: fmt_euros(v, 0),
        "fmt_pct": fmt_pct,
        "fmt_mois": fmt_mois,
        "fmt_date": fmt_date,
        "nom_mois": nom_mois,
        "libelle_statut": libelle_statut,
        "titre": titre,
        "fmt_compte": fmt_compte,
    }


def _journal(action: str, cible: str, **details: Any) -> None:
    """Who did what and when, in the audit log (``/admin/journal``)."""
    journal.enregistrer(engine(), action, journal.acteur_requete(), cible=cible, details=details)


def _valeur(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- SIAE


def _chiffres_af(s: selection.Selection, af_id: int) -> dict[str, Any] | None:
    """The AF's own figures, from etp.selection on the one-AF frame."""
    annuel = s.annuel[s.annuel["id_annexe_financiere"].astype(int) == af_id]
    if annuel.empty:
        return None
    ligne = annuel.iloc[0]
    numero = ligne["numero_annexe_financiere"]
    t = selection.totaux(annuel)
    p = selection.projection_fin_annee(annuel)
    mensuel = s.mensuel[s.mensuel["id_annexe_financiere"].astype(int) == af_id]
    n1 = selection.comparaison_n1(
        annuel,
        s.mensuel[s.mensuel["numero_annexe_financiere"] == numero],
        {numero: s.realises_n1[numero]} if numero in s.realises_n1 else {},
    )
    dernier = selection.dernier_mois_valide(selection.serie_mensuelle(mensuel))
    return {
        "af_id": af_id,
        "numero": numero,
        "structure": ligne["structure_denomination"],
        "periode": f"{fmt_date(ligne['date_debut'])} – {fmt_date(ligne['date_fin'])}",
        "etp_mensuel_conventionne": t.etp_mensuel_conventionne,
        "etp_annuel_conventionne": t.etp_annuel_conventionne,
        "montant_conventionne": t.montant_annuel_conventionne,
        "etp_mensuel_realise_moyen": t.etp_mensuel_realise_moyen,
        "statut": t.statut,
        "etp_annuel_realise": t.etp_annuel_realise,
        "projection_etp": p.etp_annuel,
        "projection_montant": p.montant,
        "projection_taux": p.taux,
        "sans_mois_valide": p.nb_af_sans_mois_valide > 0,
        "n1": n1 if n1.nb_af_comparees else None,
        "dernier_mois": dernier,
        "aide": _valeur(ligne["montant_unitaire_annuel"]),
    }


@bp.route("/demande", methods=["GET", "POST"])
def demande() -> str | tuple[str, int] | Response:
    orgs = _exiger(SIAE)
    scope = _scope(orgs)
    annee = _annee(scope)
    s = _selection(scope, annee)
    premier = bourse.premier_mois_modifiable(annee, s.as_of)
    afs = s.annuel.sort_values(
        ["structure_denomination", "numero_annexe_financiere"], key=cle_serie_fr, kind="stable"
    )
    choix = [
        (int(r.id_annexe_financiere), f"{r.numero_annexe_financiere} – {r.structure_denomination}")
        for r in afs.itertuples()
    ]
    form = CsrfForm()
    af_id = _entier(request.values.get("af")) or (choix[0][0] if choix else None)
    erreur = None
    saisie = {"delta": "", "mois": str(max(premier, 1)), "justification": ""}
    if request.method == "POST":
        saisie = {k: request.form.get(k, "") for k in saisie}
        if not form.validate_on_submit():
            erreur = "Le formulaire a expiré. Veuillez réessayer."
        else:
            delta = _nombre(saisie["delta"])
            mois = _entier(saisie["mois"])
            if af_id is None or delta is None or mois is None:
                erreur = "Indiquez l'annexe, un nombre d'ETP (ex. 2 ou -1,5) et un mois."
            else:
                try:
                    did = demandes.envoyer(
                        engine(),
                        scope,
                        s.annuel,
                        bourse.Ajustement(af_id, delta, mois),
                        saisie["justification"],
                        annee=annee,
                        as_of=s.as_of,
                        auteur=current_user.email,
                        quand=_maintenant(),
                    )
                except demandes.DemandeRefusee as exc:
                    erreur = str(exc)
                else:
                    _journal("demande_envoyee", f"demande {did}", af=af_id, etp=delta, mois=mois)
                    flash("Votre demande a été envoyée à vos financeurs.", "success")
                    return redirect(url_for("bourse.demande", annee=annee, af=af_id))
    chiffres = _chiffres_af(s, af_id) if af_id is not None else None
    page = render_template(
        "bourse_demande.html",
        form=form,
        annee=annee,
        annees=queries.annees_disponibles(engine(), scope),
        as_of=s.as_of,
        premier=premier,
        choix=choix,
        af_id=af_id,
        chiffres=chiffres,
        saisie=saisie,
        erreur=erreur,
        demandes=demandes.lister(engine(), scope),
        **_formats(),
    )
    return (page, 400) if erreur else page


def _document(demande_id: int) -> tuple[demandes.Demande, dict[str, Any] | None, Any, Any]:
    """The request (SIAE or funder of its scope), the AF's figures and the request's effect."""
    orgs = _orgs(SIAE) or _orgs(FINANCEURS)
    if not orgs:
        abort(403)
    scope = _scope(orgs)
    d = demandes.lire(engine(), scope, demande_id)
    if d is None:
        abort(404)
    s = _selection(scope, d.annee)
    chiffres = _chiffres_af(s, d.af_id)
    try:
        effet = bourse.effet(
            s.annuel,
            bourse.Ajustement(d.af_id, d.delta_etp, d.mois),
            d.annee,
            s.as_of,
            verifier=False,
        )
    except bourse.AjustementInvalide:
        effet = None
    return d, chiffres, effet, s.as_of


@bp.get("/demande/<int:demande_id>/document")
def document(demande_id: int) -> str:
    """The request as a one-page printable page, with the link to its PDF."""
    d, chiffres, effet, as_of = _document(demande_id)
    return render_template(
        "bourse_document.html", d=d, chiffres=chiffres, effet=effet, as_of=as_of, **_formats()
    )


@bp.get("/demande/<int:demande_id>/document.pdf")
def document_pdf(demande_id: int) -> Response:
    """The request as a one-page PDF made on the server, to attach to an e-mail."""
    from etp.demande_pdf import demande_pdf  # ReportLab: loaded on first use

    d, chiffres, effet, as_of = _document(demande_id)
    contenu = demande_pdf(d, chiffres, effet, as_of, genere_le=datetime.now())
    nom = f"demande-ajustement-{d.numero}-{d.id}.pdf"
    _journal("export", f"demande {d.id}", fichier=nom)
    return Response(
        contenu,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(nom)}"},
    )


# --------------------------------------------------------------------------- funders


#: Rows of the simulation table per page: a national scope has thousands of AFs a year.
PAR_PAGE = 50
#: « Afficher » choices of the simulation table.
VUES = {
    "toutes": "toutes les annexes",
    "modifiees": "les annexes ajustées",
    "demandes": "les annexes avec une demande en attente",
    "sous": "les annexes en sous-consommation projetée",
    "sur": "les annexes en sur-consommation projetée",
}


def _lire_autres(brut: str | None) -> dict[int, tuple[str, str]]:
    """The adjustments of the AFs not shown on the current page (hidden field ``autres``:
    ``af:delta:mois`` separated by ``;``), as typed values by AF id."""
    out: dict[int, tuple[str, str]] = {}
    for morceau in (brut or "").split(";")[:20000]:
        parties = morceau.split(":")
        if len(parties) == 3 and que_des_chiffres(parties[0].strip()):
            out[int(parties[0])] = (parties[1], parties[2])
    return out


def _ecrire_autres(lignes: list[bourse.Ajustement], affichees: set[int]) -> str:
    return ";".join(
        f"{a.af_id}:{a.delta_etp!r}:{a.mois}" for a in lignes if a.af_id not in affichees
    )


def _lignes_saisies(form: Any) -> tuple[list[bourse.Ajustement], list[str]]:
    """The adjustments of the form: those of the AFs not shown (``autres``), then those typed
    in the table (``delta_<af>``, ``mois_<af>``; an emptied field removes the AF's line).
    Unreadable values are reported; an AF id not in the scoped frame is kept so that
    validation refuses it."""
    saisies = _lire_autres(form.get("autres"))
    for cle, brut in form.items():
        if not cle.startswith("delta_"):
            continue
        af_id = _entier(cle.removeprefix("delta_"))
        if af_id is None:
            continue
        if brut.strip():
            saisies[af_id] = (brut, form.get(f"mois_{af_id}", ""))
        else:
            saisies.pop(af_id, None)
    lignes: list[bourse.Ajustement] = []
    erreurs: list[str] = []
    for af_id, (brut, brut_mois) in saisies.items():
        delta, mois = _nombre(brut), _entier(brut_mois)
        if delta is None or mois is None:
            erreurs.append(
                f"Ajustement illisible ({brut!r}) : indiquez un nombre d'ETP et un mois."
            )
            continue
        lignes.append(bourse.Ajustement(af_id, delta, mois))
    return lignes, erreurs


def _en_attente(scope: Scope, annee: int) -> list[demandes.Demande]:
    return demandes.lister(engine(), scope, annee=annee, etat=demandes.ENVOYEE)


def _annuel(scope: Scope, annee: int) -> tuple[pd.DataFrame, Any]:
    """The scope's annual frame of ``annee`` and its as-of month (all the simulation needs),
    memoized under a key carrying the scope and the data version (``callbacks.context``, as
    the dashboard's reads): a live recomputation does not read the database again."""
    from callbacks import context

    filtres = Filtres(annee=annee)
    annuel = context.annuels(scope, filtres)
    return annuel, selection.resoudre_as_of(engine(), filtres, annuel)


def cellules(e: bourse.Effet | None) -> dict[str, str]:
    """An AF's recomputed cells as displayed (the page and the live recomputation)."""
    if e is None:
        return {"apres": "", "delta_euros": "", "taux": "", "statut": ""}
    return {
        "apres": fmt_etp(e.etp_annuel_conventionne_apres),
        "delta_euros": fmt_euros(e.delta_euros, 0),
        "taux": fmt_pct(e.taux_projete_apres),
        "statut": libelle_statut(e.statut_projete_apres),
    }


def textes_bilan(b: bourse.Bilan) -> dict[str, str]:
    """The territory's balance as displayed (the page and the live recomputation)."""
    n = b.nb_af_modifiees
    return {
        "enveloppe_etp_avant": f"{fmt_etp(b.enveloppe_etp_avant)} ETP",
        "enveloppe_euros_avant": fmt_euros(b.enveloppe_euros_avant, 0),
        "mouvements_etp": f"+{fmt_etp(b.etp_ajoutes)} / −{fmt_etp(b.etp_retires)} ETP",
        "mouvements_euros": (
            f"+{fmt_euros(b.euros_ajoutes, 0)} / −{fmt_euros(b.euros_retires, 0)}"
        ),
        "enveloppe_etp_apres": f"{fmt_etp(b.enveloppe_etp_apres)} ETP",
        "enveloppe_euros_apres": fmt_euros(b.enveloppe_euros_apres, 0),
        "depassement": (
            "" if b.dans_enveloppe else f"dépassement de {fmt_euros(b.solde_euros, 0)}"
        ),
        "nb_af": (
            "aucune annexe modifiée"
            if n == 0
            else ("1 annexe modifiée" if n == 1 else f"{n} annexes modifiées")
        ),
    }


def _filtrer(
    table: pd.DataFrame, valeurs: Any, ajustees: set[int], attente: set[int]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The rows of the page asked for (search, département, view, page) and the filter state."""
    q = (valeurs.get("q") or "").strip()[:100]
    dep = (valeurs.get("dep") or "").strip()[:3]
    vue = valeurs.get("vue") if valeurs.get("vue") in VUES else "toutes"
    departements = sorted({str(d) for d in table["departement"].dropna()})
    garder = pd.Series(True, index=table.index)
    if q:
        texte = (
            table["numero_annexe_financiere"].astype(str)
            + " "
            + table["structure_denomination"].astype(str)
        )
        garder &= texte.str.contains(q, case=False, regex=False)
    if dep in departements:
        garder &= table["departement"].astype(str) == dep
    ids = table["id_annexe_financiere"].astype(int)
    ecart = table["ecart_projection_etp"].astype(float)
    if vue == "modifiees":
        garder &= ids.isin(ajustees)
    elif vue == "demandes":
        garder &= ids.isin(attente)
    elif vue == "sous":
        garder &= ecart < 0
    elif vue == "sur":
        garder &= ecart > 0
    vues = table[garder]
    nb_pages = max(1, -(-len(vues) // PAR_PAGE))
    page = _entier(valeurs.get("aller")) or _entier(valeurs.get("page")) or 1
    page = min(max(page, 1), nb_pages)
    etat = {
        "q": q,
        "dep": dep if dep in departements else "",
        "vue": vue,
        "page": page,
        "nb_pages": nb_pages,
        "nb_lignes": len(vues),
        "nb_total": len(table),
        "departements": departements,
    }
    return vues.iloc[(page - 1) * PAR_PAGE : page * PAR_PAGE], etat


def _simulation(
    orgs: list[Any],
    scope: Scope,
    annee: int,
    lignes: list[bourse.Ajustement],
    *,
    erreurs: list[str] | None = None,
    scenario: scenarios.ScenarioEnregistre | None = None,
    nom: str = "",
    statut: int = 200,
) -> tuple[str, int]:
    annuel, as_of = _annuel(scope, annee)
    effets, refus = bourse.effets(annuel, lignes, annee, as_of)
    bilan = bourse.bilan(annuel, effets)
    table = bourse.tableau(annuel, annee, as_of)
    saisies = {a.af_id: a for a in lignes}
    par_af = {e.af_id: e for e in effets}
    attente: dict[int, list[demandes.Demande]] = {}
    for d in _en_attente(scope, annee):
        attente.setdefault(d.af_id, []).append(d)
    vues, filtre = _filtrer(table, request.values, set(saisies), set(attente))
    affichees = {int(i) for i in vues["id_annexe_financiere"]}
    erreurs = [*(erreurs or []), *refus]
    proprietaire = scenario is None or (
        scenario.auteur == current_user.email and scenario.organisation_id in {o.id for o in orgs}
    )
    page = render_template(
        "bourse_simulation.html",
        form=CsrfForm(),
        annee=annee,
        annees=queries.annees_disponibles(engine(), scope),
        as_of=as_of,
        premier=bourse.premier_mois_modifiable(annee, as_of),
        lignes=vues.astype(object).where(vues.notna(), None).to_dict("records"),
        filtre=filtre,
        vues_possibles=VUES,
        autres=_ecrire_autres(lignes, affichees),
        saisies=saisies,
        cellules={af: cellules(par_af.get(af)) for af in affichees},
        bilan=bilan,
        textes_bilan=textes_bilan(bilan),
        erreurs=erreurs,
        attente=attente,
        demandes=demandes.lister(engine(), scope, annee=annee),
        scenarios=scenarios.lister(engine(), [o.id for o in orgs], annee=annee),
        scenario=scenario,
        proprietaire=proprietaire,
        nom=nom or (scenario.nom if scenario else ""),
        scope_label=scope.label,
        **_formats(),
    )
    return page, (400 if erreurs and statut == 200 else statut)


@bp.get("/simulation")
def simulation() -> tuple[str, int]:
    orgs = _exiger(FINANCEURS)
    scope = _scope(orgs)
    annee = _annee(scope)
    scenario = None
    sid = _entier(request.args.get("scenario"))
    if sid is not None:
        scenario = scenarios.ouvrir(engine(), [o.id for o in orgs], scope, sid)
        if scenario is None:
            abort(404)
        annee = scenario.annee
    lignes = list(scenario.lignes) if scenario else []
    page, _ = _simulation(orgs, scope, annee, lignes, scenario=scenario)
    return page, 200


@bp.post("/simulation/calcul")
def calcul() -> tuple[dict[str, Any], int]:
    """The live recomputation of the simulation page (assets/bourse-simulation.js posts the
    form as the agent types): each shown AF's recomputed cells, the territory's balance and
    the refusals, by the same functions and formatting as the page. Nothing is saved."""
    orgs = _exiger(FINANCEURS)
    scope = _scope(orgs)
    if not CsrfForm().validate_on_submit():
        return {"erreur": "Le formulaire a expiré : rechargez la page."}, 400
    annee = _annee(scope)
    lignes, erreurs = _lignes_saisies(request.form)
    annuel, as_of = _annuel(scope, annee)
    effets, refus = bourse.effets(annuel, lignes, annee, as_of)
    b = bourse.bilan(annuel, effets)
    par_af = {e.af_id: e for e in effets}
    dans_cadre = {int(i) for i in annuel["id_annexe_financiere"]}
    affichees = [
        af
        for cle in request.form
        if cle.startswith("delta_") and (af := _entier(cle.removeprefix("delta_"))) is not None
    ]
    return {
        "lignes": {str(af): cellules(par_af.get(af)) for af in affichees if af in dans_cadre},
        "bilan": textes_bilan(b),
        "dans_enveloppe": b.dans_enveloppe,
        "erreurs": [*erreurs, *refus],
    }, 200


@bp.post("/simulation")
def simuler() -> tuple[str, int] | Response:
    """Recompute, fill from the suggestion or the SIAE's requests, or save the scenario."""
    orgs = _exiger(FINANCEURS)
    scope = _scope(orgs)
    form = CsrfForm()
    annee = _annee(scope)
    if not form.validate_on_submit():
        return _simulation(orgs, scope, annee, [], erreurs=["Le formulaire a expiré."])
    action = request.form.get("action", "calculer")
    lignes, erreurs = _lignes_saisies(request.form)
    sid = _entier(request.form.get("scenario_id"))
    scenario = scenarios.ouvrir(engine(), [o.id for o in orgs], scope, sid) if sid else None
    if sid and scenario is None:
        abort(404)
    nom = request.form.get("nom", "")
    if action in ("suggestion", "demandes"):
        if action == "suggestion":
            annuel, as_of = _annuel(scope, annee)
            nouvelles = bourse.suggestions(annuel, annee, as_of)
        else:
            nouvelles = {
                d.af_id: bourse.Ajustement(d.af_id, d.delta_etp, d.mois)
                for d in reversed(_en_attente(scope, annee))  # the latest request wins
            }
        garder = {a.af_id: a for a in lignes}
        garder.update(nouvelles)
        return _simulation(
            orgs, scope, annee, list(garder.values()), erreurs=erreurs, scenario=scenario, nom=nom
        )
    if action == "enregistrer" and not erreurs:
        annuel, as_of = _annuel(scope, annee)
        _, refus = bourse.effets(annuel, lignes, annee, as_of)
        if not refus:
            try:
                nouveau = scenarios.enregistrer(
                    engine(),
                    scope,
                    nom=nom,
                    annee=annee,
                    auteur=current_user.email,
                    organisation_id=orgs[0].id,
                    lignes=lignes,
                    quand=_maintenant(),
                    scenario_id=scenario.id if scenario else None,
                )
            except scenarios.ScenarioRefuse as exc:
                erreurs.append(str(exc))
            else:
                _journal(
                    "scenario_enregistre",
                    f"scénario {nouveau}",
                    nom=nom,
                    annee=annee,
                    nb_lignes=len(lignes),
                    lignes=[[a.af_id, a.delta_etp, a.mois] for a in lignes[:50]],
                )
                flash("Scénario enregistré.", "success")
                return redirect(url_for("bourse.simulation", scenario=nouveau))
    return _simulation(orgs, scope, annee, lignes, erreurs=erreurs, scenario=scenario, nom=nom)


@bp.post("/scenarios/<int:scenario_id>/dupliquer")
def dupliquer(scenario_id: int) -> Response:
    orgs = _exiger(FINANCEURS)
    if not CsrfForm().validate_on_submit():
        abort(400)
    try:
        copie = scenarios.dupliquer(
            engine(),
            [o.id for o in orgs],
            _scope(orgs),
            scenario_id,
            auteur=current_user.email,
            organisation_id=orgs[0].id,
            quand=_maintenant(),
        )
    except scenarios.ScenarioRefuse:
        abort(404)
    _journal("scenario_duplique", f"scénario {copie}", source=scenario_id)
    flash("Scénario dupliqué : cette copie est la vôtre.", "success")
    return redirect(url_for("bourse.simulation", scenario=copie))


@bp.post("/scenarios/<int:scenario_id>/supprimer")
def supprimer(scenario_id: int) -> Response:
    orgs = _exiger(FINANCEURS)
    if not CsrfForm().validate_on_submit():
        abort(400)
    if scenarios.ouvrir(engine(), [o.id for o in orgs], _scope(orgs), scenario_id) is None:
        abort(404)
    try:
        scenarios.supprimer(
            engine(), scenario_id, auteur=current_user.email, organisation_id=orgs[0].id
        )
    except scenarios.ScenarioRefuse:
        abort(403)
    _journal("scenario_supprime", f"scénario {scenario_id}")
    flash("Scénario supprimé.", "success")
    return redirect(url_for("bourse.simulation"))


@bp.post("/demandes/<int:demande_id>/reponse")
def repondre(demande_id: int) -> Response:
    orgs = _exiger(FINANCEURS)
    scope = _scope(orgs)
    if not CsrfForm().validate_on_submit():
        abort(400)
    decision = request.form.get("decision")
    if decision not in ("accepter", "refuser"):
        abort(400)
    demande = demandes.lire(engine(), scope, demande_id)
    if demande is None:
        abort(404)
    sid = _entier(request.form.get("scenario_id"))
    scenario = scenarios.ouvrir(engine(), [o.id for o in orgs], scope, sid) if sid else None
    if sid is not None and scenario is None:
        abort(404)
    accepter = decision == "accepter"
    try:
        if accepter and scenario is not None:
            # the request becomes a line of the scenario: its month must still be to come
            annuel, as_of = _annuel(scope, demande.annee)
            try:
                bourse.valider(
                    annuel,
                    bourse.Ajustement(demande.af_id, demande.delta_etp, demande.mois),
                    demande.annee,
                    as_of,
                )
            except bourse.AjustementInvalide as exc:
                raise demandes.DemandeRefusee(str(exc)) from None
        d = demandes.repondre(
            engine(),
            scope,
            demande_id,
            accepter=accepter,
            message=request.form.get("message", ""),
            auteur=current_user.email,
            quand=_maintenant(),
            scenario_id=sid,
            organisation_id=scenario.organisation_id if scenario else None,
        )
    except demandes.DemandeRefusee as exc:
        flash(str(exc), "error")
    else:
        _journal("demande_repondue", f"demande {d.id}", etat=d.etat, af=d.af_id, scenario=sid)
        dans = f" et reprise dans le scénario « {scenario.nom} »" if accepter and scenario else ""
        flash(f"Demande de {d.structure} {d.etat_libelle}{dans}.", "success")
    cible = {"scenario": sid} if sid else {"annee": request.form.get("annee", "")}
    return redirect(url_for("bourse.simulation", **cible))


# --------------------------------------------------------------------------- export

COLONNES_EXPORT = (
    Colonne("numero", "Annexe financière", "text"),
    Colonne("structure", "Structure", "text"),
    Colonne("delta_etp", "Ajustement (ETP mensuels)", "etp"),
    Colonne("mois", "À partir du mois", "mois"),
    Colonne("nb_mois_restants", "Mois conventionnés concernés", "int"),
    Colonne("etp_annuel_conventionne_avant", "Effectif annuel conventionné avant (ETP)", "etp"),
    du_catalogue("etp_annuel_conventionne_apres", "bourse.etp_annuel_conventionne_apres"),
    Colonne("delta_etp_annuel", "Variation (ETP annuels)", "etp"),
    Colonne("aide_par_etp", "Aide au poste par ETP", "euros"),
    Colonne("montant_avant", "Aide conventionnée avant", "euros"),
    Colonne("montant_apres", "Aide conventionnée après", "euros"),
    du_catalogue("delta_euros", "bourse.delta_euros"),
    du_catalogue("projection_etp", "projection.etp_annuel"),
    Colonne("taux_projete_avant", "Taux projeté avant", "pct"),
    du_catalogue("taux_projete_apres", "bourse.taux_projete_apres"),
    du_catalogue("statut_projete_apres", "bourse.statut_projete_apres"),
)
COLONNES_BILAN = (
    Colonne("libelle", "Bilan du territoire", "text"),
    Colonne("etp", "ETP annuels", "etp"),
    Colonne("euros", "Euros", "euros"),
)


def bilan_cadre(b: bourse.Bilan) -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("Enveloppe avant", b.enveloppe_etp_avant, b.enveloppe_euros_avant),
            ("Ajouts", b.etp_ajoutes, b.euros_ajoutes),
            ("Retraits", -b.etp_retires, -b.euros_retires),
            ("Solde", b.solde_etp, b.solde_euros),
            ("Enveloppe après", b.enveloppe_etp_apres, b.enveloppe_euros_apres),
        ],
        columns=["libelle", "etp", "euros"],
    )


@bp.get("/scenarios/<int:scenario_id>/export.xlsx")
def export(scenario_id: int) -> Response:
    orgs = _exiger(FINANCEURS)
    scope = _scope(orgs)
    sc = scenarios.ouvrir(engine(), [o.id for o in orgs], scope, scenario_id)
    if sc is None:
        abort(404)
    annuel, as_of = _annuel(scope, sc.annee)
    effets, refus = bourse.effets(annuel, sc.lignes, sc.annee, as_of)
    b = bourse.bilan(annuel, effets)
    maintenant = datetime.now(UTC)
    remarques = [
        ("Scénario", f"{sc.nom} (par {sc.auteur}, enregistré le {fmt_date(sc.modifie_le)})"),
        ("Dans l'enveloppe", "oui" if b.dans_enveloppe else "non : l'aide conventionnée augmente"),
        (
            "Règle",
            "Un ajustement à partir du mois m compte pour les mois conventionnés restants "
            "de l'annexe : effectif annuel = C × d / 12 + Δ × mois restants / 12.",
        ),
    ]
    remarques += [("Ligne écartée", r) for r in refus]
    perimetre = Perimetre(
        filtres=(("Année", str(sc.annee)), ("Données jusqu'à", as_of_texte(as_of) or "–")),
        perimetre_utilisateur=scope.label,
        date_donnees=queries.date_donnees(engine()),
        extraction=maintenant,
        version=current_app.config.get("VERSION", ""),
        remarques=tuple(remarques),
    )
    contenu = to_xlsx(
        [
            ExportSheet(
                "Scénario",
                f"Scénario « {sc.nom} » : annexes modifiées",
                bourse.cadre_effets(effets),
                COLONNES_EXPORT,
            ),
            ExportSheet("Bilan", "Bilan de l'enveloppe", bilan_cadre(b), COLONNES_BILAN),
        ],
        perimetre,
    )
    nom = f"suivi-etp_scenario_{sc.id}_{maintenant:%Y-%m-%d}.xlsx"
    _journal("export", f"scénario {sc.id}", fichier=nom)
    return Response(
        contenu,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(nom)}"},
    )
