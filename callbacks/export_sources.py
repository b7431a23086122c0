"""What each card exports: card id -> the sheets built from the card's own ``etp`` call.

Every source takes ``(engine, scope, filtres)`` resolved on the server and re-runs the same
``etp.queries`` read and the same ``etp.selection`` / ``etp.synthese`` functions as the card,
so the file holds the numbers on screen, unrounded; titles and formats of figure columns come
from the indicator catalogue (``etp.exports.du_catalogue``). Nothing here comes from the
browser but the card id and the filter values, and those can only narrow the scope
(``etp.queries`` ANDs them in SQL).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from callbacks import cofinancement, detail, financeurs, tables
from etp import queries, referentiel, synthese
from etp.exports import Colonne, ExportSheet, du_catalogue, slugify, structure_slug
from etp.filters import Filtres
from etp.formatting import libelle_etat, libelle_statut
from etp.scope import Scope
from layouts import detail_annuel, detail_mensuel, ids
from layouts import tables as screen_tables
from layouts.tables import VueDetail, kind_export

Source = Callable[[Engine, Scope, Filtres], list[ExportSheet]]


@dataclass(frozen=True)
class CarteExport:
    """A downloadable card: ``slug`` names its files, ``onglet`` is the tab it belongs to."""

    slug: str
    onglet: str
    source: Source


# --- helpers ------------------------------------------------------------------------------------


def _premier_du_mois(annee: int, mois: pd.Series) -> list[date | None]:
    """Months as dates (first day), so a spreadsheet shows and sorts "mars 2022" as a date."""
    return [None if pd.isna(m) else date(annee, int(m), 1) for m in mois]


def depuis_ecran(
    frame: pd.DataFrame, colonnes: Sequence[screen_tables.Colonne], annee: int
) -> tuple[pd.DataFrame, tuple[Colonne, ...]]:
    """A detail table's screen columns as export columns, same titles and order.

    States and statuses are written as the labels the screen shows; months as dates; euros
    with the screen's 0 decimals (display only). Values are otherwise untouched.
    """
    out = frame.copy()
    specs = []
    for col in colonnes:
        if col.kind == "etat":
            out[col.key] = [libelle_etat(None if pd.isna(v) else v) for v in out[col.key]]
        elif col.kind == "statut":
            out[col.key] = [libelle_statut(None if pd.isna(v) else v) for v in out[col.key]]
        elif col.kind == "mois":
            out[col.key] = _premier_du_mois(annee, out[col.key])
        decimales = 0 if col.kind == "euros" else None
        kind = kind_export(col.kind, col.numerique)
        specs.append(Colonne(col.key, col.titre, kind, decimales))  # type: ignore[arg-type]
    return out, tuple(specs)


# --- sources ------------------------------------------------------------------------------------


def _tableau(engine: Engine, scope: Scope, filtres: Filtres) -> synthese.TableauDeBord | None:
    """The selection's figures, as the tab computes them; ``None`` when no AF is selected
    (the card then shows an empty state and the file has no row)."""
    annuel, mensuel = queries.indicateurs(engine, scope, filtres)
    if annuel.empty:
        return None
    return synthese.tableau_de_bord(annuel, mensuel, filtres.annee)


def _feuille(
    nom: str, titre: str, frame: pd.DataFrame | None, colonnes: Sequence[Colonne]
) -> list[ExportSheet]:
    """One sheet holding ``colonnes`` of ``frame``. The card shows an empty state when no AF is
    selected (``frame`` is None): the file then has the titles and no row."""
    keys = [c.key for c in colonnes]
    frame = pd.DataFrame(columns=keys) if frame is None else frame[keys]
    return [ExportSheet(nom, titre, frame, tuple(colonnes))]


COLONNES_CHIFFRES_MENSUELS = (
    du_catalogue("nb_af", "nb_af"),
    du_catalogue("etp_mensuel_conventionne", "conventionne.etp_mensuel"),
    du_catalogue("dernier_mois_valide", "dernier_mois_valide.mois"),
    du_catalogue("etp_mensuel_realise_dernier_mois", "dernier_mois_valide.etp_realise"),
    du_catalogue("etp_mensuel_conventionne_dernier_mois", "dernier_mois_valide.etp_conventionne"),
    du_catalogue("nb_af_valides_dernier_mois", "dernier_mois_valide.nb_af_valides"),
    du_catalogue("nb_af_dernier_mois", "dernier_mois_valide.nb_af"),
    du_catalogue("etp_mensuel_realise_moyen", "realise.etp_mensuel_moyen"),
    du_catalogue("taux_moyen", "realise.taux_moyen"),
    du_catalogue("statut", "statut_consommation"),
    du_catalogue("ecart_etp", "ecart.etp"),
    du_catalogue("ecart_pct", "ecart.pct"),
)


def chiffres_mensuels(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The monthly key figures (``etp.synthese.chiffres_mensuels``), one row, titled like the
    tiles."""
    tb = _tableau(engine, scope, filtres)
    frame = None
    if tb is not None:
        ligne = asdict(tb.chiffres_mensuels())
        dernier = ligne["dernier_mois_valide"]
        ligne["dernier_mois_valide"] = date(filtres.annee, dernier, 1) if dernier else None
        ligne["statut"] = libelle_statut(ligne["statut"])
        frame = pd.DataFrame([ligne])
    titre = f"Chiffres clés {filtres.annee} (en ETP)"
    return _feuille("Chiffres clés mensuels", titre, frame, COLONNES_CHIFFRES_MENSUELS)


COLONNES_SERIE = (
    Colonne("mois_date", "Mois", "mois"),
    du_catalogue("nb_af_conventionnees", "serie.nb_af"),
    du_catalogue("nb_af_valides", "serie.nb_af_valides"),
    du_catalogue(
        "etp_mensuel_conventionne",
        "serie.etp_conventionne",
        "Effectif mensuel conventionné (en ETP)",
    ),
    du_catalogue(
        "etp_mensuel_conventionne_valide",
        "serie.etp_conventionne_valide",
        "Conventionné des annexes validées (en ETP)",
    ),
    du_catalogue(
        "etp_mensuel_realise",
        "serie.etp_realise",
        "Effectif mensuel réalisé, annexes validées (en ETP)",
    ),
    du_catalogue("taux_realisation_mensuel", "serie.taux_realisation"),
    Colonne("etat", "État du mois", "text"),
)

COLONNES_REMPLISSAGE = (
    Colonne("mois_date", "Mois", "mois"),
    Colonne("nb_af_conventionnees", "Annexes financières conventionnées", "int"),
    Colonne("nb_valide", "Validé", "int"),
    Colonne("nb_debloque", "Débloqué", "int"),
    Colonne("nb_saisi", "Saisi", "int"),
    Colonne("nb_brouillon", "Brouillon", "int"),
    Colonne("nb_non_saisi", "Non saisi", "int"),
)


def _avec_dates(frame: pd.DataFrame, annee: int) -> pd.DataFrame:
    return frame.assign(mois_date=_premier_du_mois(annee, frame["mois"]))


def _feuille_serie(
    engine: Engine,
    scope: Scope,
    filtres: Filtres,
    nom: str,
    titre: str,
    colonnes: Sequence[Colonne],
) -> list[ExportSheet]:
    """One sheet of the monthly series (``etp.synthese.serie_mensuelle``, as charted)."""
    tb = _tableau(engine, scope, filtres)
    frame = None if tb is None else _avec_dates(tb.serie, filtres.annee)
    return _feuille(nom, titre, frame, colonnes)


def serie_mensuelle(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The monthly chart's data: one row per month."""
    titre = f"Effectif mensuel conventionné et réalisé, {filtres.annee} (en ETP)"
    return _feuille_serie(engine, scope, filtres, "Effectif mensuel", titre, COLONNES_SERIE)


def remplissage(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The fill-rate chart's data: AFs per monthly state, month by month."""
    titre = f"Remplissage des états mensuels, {filtres.annee} (nombre d'annexes financières)"
    return _feuille_serie(engine, scope, filtres, "Remplissage", titre, COLONNES_REMPLISSAGE)


COLONNES_CHIFFRES_ANNUELS = (
    du_catalogue("nb_af", "nb_af"),
    du_catalogue("etp_annuel_conventionne", "conventionne.etp_annuel"),
    du_catalogue("etp_annuel_realise", "realise.etp_annuel"),
    du_catalogue("taux_realisation_annuel", "realise.taux"),
    du_catalogue("projection_etp_annuel", "projection.etp_annuel"),
    du_catalogue("taux_projection_annuel", "projection.taux"),
    du_catalogue("nb_af_sans_mois_valide", "projection.nb_af_sans_mois_valide"),
    du_catalogue("etp_sans_mois_valide", "projection.etp_sans_mois_valide"),
    du_catalogue("montant_annuel_conventionne", "conventionne.montant", decimales=0),
    du_catalogue("montant_annuel_realise", "realise.montant", decimales=0),
    du_catalogue("montant_annuel_projete", "projection.montant", decimales=0),
)


def chiffres_annuels(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The annual key figures and aid amounts (the selection's ``etp.selection.Totaux``), one
    row, titled like the tiles."""
    tb = _tableau(engine, scope, filtres)
    frame = None if tb is None else pd.DataFrame([asdict(tb.totaux)])
    titre = f"Chiffres clés {filtres.annee} (en ETP)"
    return _feuille("Chiffres clés annuels", titre, frame, COLONNES_CHIFFRES_ANNUELS)


COLONNES_CUMUL = (
    Colonne("mois_date", "Mois", "mois"),
    Colonne("enveloppe", "Enveloppe annuelle conventionnée (en ETP)", "etp"),
    Colonne("cumul_conventionne", "Rythme conventionné, cumul (en ETP)", "etp"),
    Colonne("cumul_realise", "Réalisé cumulé, mois validés (en ETP)", "etp"),
)


def cumul_annuel(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The cumulative chart's data (``etp.synthese.cumul_annuel``, as charted)."""
    titre = f"Consommation annuelle cumulée, {filtres.annee} (en ETP annuels)"
    tb = _tableau(engine, scope, filtres)
    frame = None
    if tb is not None:
        frame = _avec_dates(tb.cumul(), filtres.annee)
        frame["enveloppe"] = tb.totaux.etp_annuel_conventionne
    return _feuille("Cumul annuel", titre, frame, COLONNES_CUMUL)


@dataclass(frozen=True)
class TableauEcran:
    """What a detail table shows on screen: the DataTable's ``filter_query`` and ``sort_by``.

    Written by the browser, so possibly forged: they are parsed (never evaluated) and bounded
    by ``callbacks.tables`` exactly as for the screen's pages, and only ever remove or reorder
    rows of the user's scoped result. ``sort_by=None`` is the table's default sort.
    """

    filter_query: Any = ""
    sort_by: Any = None


@dataclass(frozen=True)
class TableauDetail:
    """A paginated detail table: its view (columns, default sort), sheet name and rows."""

    vue: VueDetail
    nom: str
    lignes: Callable[[Engine, Scope, Filtres], pd.DataFrame]

    def feuille(
        self, engine: Engine, scope: Scope, filtres: Filtres, ecran: TableauEcran | None = None
    ) -> list[ExportSheet]:
        """The rows the table shows on screen for ``ecran`` (every page, in the order
        shown), or every row in the default order without ``ecran``."""
        ecran = ecran or TableauEcran()
        tri = list(self.vue.tri_defaut) if ecran.sort_by is None else ecran.sort_by
        lignes = tables.filtrer_trier(
            self.lignes(engine, scope, filtres),
            self.vue.colonnes,
            filtres.annee,
            ecran.filter_query,
            tri,
        )
        frame, colonnes = depuis_ecran(lignes, self.vue.colonnes, filtres.annee)
        return [ExportSheet(self.nom, self.vue.libelle, frame, colonnes)]

    def remarques(self, ecran: TableauEcran | None, seul: bool) -> list[tuple[str, str]]:
        """The "Périmètre" lines saying which rows the sheet holds and in which order:
        ``("Filtres du tableau", "Consommation contient « sous »")``, ``("Tri", …)``; with
        several sheets (``seul`` false) the labels name the sheet."""
        ecran = ecran or TableauEcran()
        tri = list(self.vue.tri_defaut) if ecran.sort_by is None else ecran.sort_by
        filtres = tables.decrire_filtres(self.vue.colonnes, ecran.filter_query)
        tris = tables.decrire_tri(self.vue.colonnes, tri)
        suffixe = "" if seul else f" « {self.nom} »"
        return [
            (
                f"Filtres du tableau{suffixe}",
                " ; ".join(filtres)
                if filtres
                else "aucun : toutes les lignes des filtres ci-dessus",
            ),
            (f"Tri{suffixe}", ", puis ".join(tris) if tris else "aucun"),
        ]


def _lignes_mensuelles(engine: Engine, scope: Scope, filtres: Filtres) -> pd.DataFrame:
    return detail.lignes_mensuelles(queries.indicateurs_mensuels(engine, scope, filtres))


def _lignes_annuelles(engine: Engine, scope: Scope, filtres: Filtres) -> pd.DataFrame:
    return detail.lignes_annuelles(queries.indicateurs_annuels(engine, scope, filtres))


#: The paginated detail tables, by card id (AF × conventioned month; one row per AF).
TABLEAUX: dict[str, TableauDetail] = {
    detail_mensuel.VUE.carte_id: TableauDetail(
        detail_mensuel.VUE, "Détail mensuel", _lignes_mensuelles
    ),
    detail_annuel.VUE.carte_id: TableauDetail(
        detail_annuel.VUE, "Détail annuel", _lignes_annuelles
    ),
}


def detail_consommation_mensuelle(
    engine: Engine, scope: Scope, filtres: Filtres
) -> list[ExportSheet]:
    """Every row of the monthly detail table (AF × conventioned month), not only one page."""
    return TABLEAUX[detail_mensuel.VUE.carte_id].feuille(engine, scope, filtres)


def detail_consommation_annuelle(
    engine: Engine, scope: Scope, filtres: Filtres
) -> list[ExportSheet]:
    """Every row of the annual detail table (one per AF), sorted by gap like the screen."""
    return TABLEAUX[detail_annuel.VUE.carte_id].feuille(engine, scope, filtres)


def feuilles_carte(
    card_id: str,
    engine: Engine,
    scope: Scope,
    filtres: Filtres,
    ecrans: Mapping[str, TableauEcran] | None = None,
) -> list[ExportSheet]:
    """The sheets of one card; a detail table's follow its on-screen filters and sort."""
    if card_id in TABLEAUX:
        return TABLEAUX[card_id].feuille(engine, scope, filtres, (ecrans or {}).get(card_id))
    return SOURCES[card_id].source(engine, scope, filtres)


SOURCES: dict[str, CarteExport] = {
    ids.MENSUEL_KPIS: CarteExport("chiffres-cles-mensuels", "mensuel", chiffres_mensuels),
    ids.MENSUEL_GRAPHIQUE: CarteExport("effectif-mensuel", "mensuel", serie_mensuelle),
    ids.MENSUEL_REMPLISSAGE: CarteExport("remplissage-etats-mensuels", "mensuel", remplissage),
    detail_mensuel.VUE.carte_id: CarteExport(
        "detail-consommation-mensuelle", "detail-mensuel", detail_consommation_mensuelle
    ),
    ids.ANNUEL_KPIS: CarteExport("chiffres-cles-annuels", "annuel", chiffres_annuels),
    ids.ANNUEL_CUMUL: CarteExport("effectif-annuel", "annuel", cumul_annuel),
    detail_annuel.VUE.carte_id: CarteExport(
        "detail-consommation-annuelle", "detail-annuel", detail_consommation_annuelle
    ),
}

# The funders' tab declares its own sources next to its callbacks (card id -> (slug, source)).
for _card, (_slug, _source) in financeurs.EXPORTS.items():
    SOURCES.setdefault(_card, CarteExport(_slug, financeurs.TAB_ID, _source))

for _card, (_slug, _source) in cofinancement.EXPORTS.items():
    SOURCES.setdefault(_card, CarteExport(_slug, cofinancement.TAB_ID, _source))

#: Slug of the whole-view workbook of each tab ("Tout télécharger (Excel)").
ONGLETS_SLUGS = {
    "mensuel": "effectif-mensuel-complet",
    "detail-mensuel": "detail-consommation-mensuelle",
    "annuel": "effectif-annuel-complet",
    "detail-annuel": "detail-consommation-annuelle",
    financeurs.TAB_ID: "synthese-financeur-complete",
    cofinancement.TAB_ID: "cofinancement-cd-complet",
}


#: Slug of the whole dashboard's workbook (every tab).
TABLEAU_DE_BORD_SLUG = "tableau-de-bord-complet"

#: Key-figure cards: their image is a grid of tiles (a table's is a table).
CARTES_CHIFFRES = frozenset(
    {ids.MENSUEL_KPIS, ids.ANNUEL_KPIS, financeurs.vue.SYNTHESE, cofinancement.vue.SYNTHESE}
)


def cartes_de_l_onglet(onglet: str) -> list[str]:
    """The card ids of a tab, in display order."""
    return [card for card, spec in SOURCES.items() if spec.onglet == onglet]


HORS_PERIMETRE = "aucune donnée dans votre périmètre"


def libelles_filtres(filtres: Filtres, annuel: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """The filters as the "Périmètre" sheet states them, in the filter bar's words.

    A structure or an AF number is named from the scoped result only (never looked up outside
    the scope): a value that selects nothing in the scope is not echoed back.
    """
    lignes = [("Année", str(filtres.annee))]
    if filtres.structure_id is not None:
        match = annuel[annuel["structure_id"] == filtres.structure_id] if len(annuel) else annuel
        if len(match):
            row = match.iloc[0]
            nom = row["structure_denomination"] or f"structure {filtres.structure_id}"
            siret = row["siret"]
            lignes.append(("Dénomination structure", f"{nom} - {siret}" if siret else nom))
        else:
            lignes.append(("Dénomination structure", HORS_PERIMETRE))
    if filtres.numero_af:
        connus = set(annuel["numero_annexe_financiere"]) if len(annuel) else set()
        numero = filtres.numero_af.strip().upper()
        lignes.append(
            ("Numéro d'annexe financière", numero if numero in connus else HORS_PERIMETRE)
        )
    if filtres.type_structure:
        lignes.append(("Type de structure", filtres.type_structure))
    if filtres.region:
        nom_region = referentiel.regions().get(filtres.region, filtres.region)
        lignes.append(("Région du conventionnement", nom_region))
    if filtres.departement:
        lignes.append(
            ("Département du conventionnement", referentiel.departement_label(filtres.departement))
        )
    return tuple(lignes)


def parties_selection(
    filtres: Filtres, annuel: pd.DataFrame, annuel_annee: pd.DataFrame
) -> list[str]:
    """What a file name says of the selection, most precise first: the structure (its SIRET
    appended when another structure of the scope has the same name in a file name) and the
    AF number; else the type, département or région. Names come from the scoped results only
    (``annuel``: the selection; ``annuel_annee``: the whole scope that year): a forged id
    selects nothing and names nothing. Empty when no filter but the year is chosen."""
    parties: list[str] = []
    if filtres.structure_id is not None or filtres.numero_af:
        if filtres.numero_af:
            numero = filtres.numero_af.strip().upper()
            masque = annuel["numero_annexe_financiere"] == numero
        else:
            numero = ""
            masque = annuel["structure_id"] == filtres.structure_id
        lignes = annuel[masque]
        if len(lignes):
            row = lignes.iloc[0]
            nom = row["structure_denomination"] or ""
            siret = row["siret"] or str(row["structure_id"])
            if numero:  # an AF number is unique: the name is only there to be read
                parties += [structure_slug(nom, "", False) or siret, numero]
            else:
                autres = annuel_annee[annuel_annee["structure_id"] != row["structure_id"]]
                noms = {slugify(n or "") for n in autres["structure_denomination"].unique()}
                parties.append(structure_slug(nom, siret, slugify(nom) in noms))
        return parties
    if filtres.type_structure:
        parties.append(filtres.type_structure)
    if filtres.departement:
        parties.append(referentiel.departement_label(filtres.departement))
    elif filtres.region:
        parties.append(referentiel.regions().get(filtres.region, filtres.region))
    return parties
