"""The figures the screens must show, recomputed independently from the demo database.

Nothing here calls ``etp``: the rows are read with plain SQL and every indicator is written
again from its definition (domain.md §4), so a browser test comparing the screen with these
values checks the whole chain (import, SQL, indicators, aggregation, formatting, Dash) against
the definitions, not against itself.

- :func:`lire_annexes` reads the counted AFs of a year with their monthly states;
- :class:`Annexe` holds one AF's figures for that year (conventioned months, validated months
  up to the as-of month, monthly realised ETP, average, annual figures, status);
- :class:`Selection` sums them over a selection the way the guide aggregates (sums of ETP,
  ratios of sums, sum of averages, status of the sum);
- :data:`PERIMETRES` is what each demo account may see, written from ``auth.demo``'s contract
  (SIAE 1001/1002, DDETS 35, CD 31, DREETS Occitanie, DGEFP everything).
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import Engine, text

#: States of an AF version that count (domain.md §3 rule 1).
ETATS_AF_COMPTES = ("VALIDE", "PROVISOIRE", "CLOTURE")
#: Words the screens use for the monthly states (no row = "Non saisi").
LIBELLES_ETATS = {
    "VALIDE": "Validé",
    "DEBLOQUE": "Débloqué",
    "SAISI": "Saisi",
    "BROUILLON": "Brouillon",
    None: "Non saisi",
}
LIBELLES_STATUTS = {
    "sur-consommation": "Sur-consommation",
    "sous-consommation": "Sous-consommation",
    "conforme": "Conforme",
}
MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
TYPES = ("ACI", "AI", "EI", "ETTI", "EITI")


@dataclass(frozen=True)
class Perimetre:
    """What a demo account sees: structures (SIAE), départements (DDETS, CD), a région
    (DREETS) or everything (DGEFP)."""

    structures: frozenset[int] = frozenset()
    departements: frozenset[str] = frozenset()
    region: str | None = None
    national: bool = False

    def contient(self, af: Annexe) -> bool:
        return (
            self.national
            or af.structure_id in self.structures
            or af.departement in self.departements
            or (self.region is not None and af.region == self.region)
        )


PERIMETRES: dict[str, Perimetre] = {
    "siae@demo.test": Perimetre(structures=frozenset({1001, 1002})),
    "ddets@demo.test": Perimetre(departements=frozenset({"35"})),
    "cd@demo.test": Perimetre(departements=frozenset({"31"})),
    "dreets@demo.test": Perimetre(region="76"),
    "dgefp@demo.test": Perimetre(national=True),
}


def tronque(x: float) -> Decimal:
    """Truncated to the cent, after removing float noise below 1e-9 (17.169999999 -> 17.17)."""
    return Decimal(repr(round(x, 9))).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def statut(moyen: float | None, conventionne: float) -> str | None:
    if moyen is None:
        return None
    a, c = tronque(moyen), tronque(conventionne)
    return "sur-consommation" if a > c else "sous-consommation" if a < c else "conforme"


def _jour(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def departement_du_numero(numero: str) -> str:
    """Département du conventionnement from the AF number: after the type, 3 characters, the
    leading zero dropped (``054`` -> ``54``, ``009`` -> ``09``, ``02A`` -> ``2A``, ``971``)."""
    reste = numero
    for t in sorted(TYPES, key=len, reverse=True):
        if numero.startswith(t):
            reste = numero[len(t) :]
            break
    code = reste[:3]
    return code[1:] if code.startswith("0") else code


@dataclass
class Annexe:
    """One counted AF in one year, with every per-AF figure of domain.md §4."""

    id: int
    numero: str
    structure_id: int
    denomination: str
    siret: str | None
    type_structure: str
    departement: str
    region: str | None
    debut: date
    fin: date
    c: float
    h: float
    aide: float | None
    annee: int
    as_of: tuple[int, int]
    etats: dict[int, tuple[str | None, float | None]] = field(default_factory=dict)

    @property
    def mois_conventionnes(self) -> list[int]:
        return [
            m
            for m in range(1, 13)
            if self.debut <= date(self.annee, m, calendar.monthrange(self.annee, m)[1])
            and self.fin >= date(self.annee, m, 1)
        ]

    def etat(self, mois: int) -> str | None:
        return self.etats.get(mois, (None, None))[0]

    def heures(self, mois: int) -> float | None:
        return self.etats.get(mois, (None, None))[1]

    @property
    def mois_valides(self) -> list[int]:
        """Conventioned months validated and not after the as-of month."""
        return [
            m
            for m in self.mois_conventionnes
            if self.etat(m) == "VALIDE" and (self.annee, m) <= self.as_of
        ]

    def realise(self, mois: int) -> float | None:
        """Monthly realised ETP: hours × 12 / H, on a validated month only."""
        if mois not in self.mois_valides:
            return None
        return self.heures(mois) * 12 / self.h

    @property
    def moyen(self) -> float | None:
        valeurs = [self.realise(m) for m in self.mois_valides]
        return sum(valeurs) / len(valeurs) if valeurs else None

    @property
    def annuel_conventionne(self) -> float:
        return self.c * len(self.mois_conventionnes) / 12

    @property
    def annuel_realise(self) -> float:
        return sum(self.realise(m) for m in self.mois_valides) / 12

    @property
    def statut(self) -> str | None:
        return statut(self.moyen, self.c)

    @property
    def libelle_structure(self) -> str:
        return f"{self.denomination} - {self.siret}" if self.siret else self.denomination


def lire_annexes(engine: Engine, annee: int) -> list[Annexe]:
    """Every counted AF with a conventioned month in ``annee``, its monthly states of that year
    and the as-of month (the month of the latest EMI creation date)."""
    with engine.connect() as conn:
        derniere = conn.execute(text("SELECT max(derniere_creation) FROM etat_mensuel")).scalar()
        regions = dict(conn.execute(text("SELECT code, region_code FROM departement")).all())
        as_of = (_jour(derniere).year, _jour(derniere).month)
        rows = conn.execute(
            text(
                "SELECT a.id, a.numero, a.structure_id, s.denomination, s.siret, a.mesure_code,"
                " a.etat, a.date_debut, a.date_fin, a.etp_postes_insertion,"
                " a.duree_heure_annuel_etp, a.montant_unitaire_annuel"
                " FROM annexe_financiere a LEFT JOIN structure s ON s.id = a.structure_id"
            )
        ).all()
        etats: dict[int, dict[int, tuple[str | None, float | None]]] = {}
        for af_id, mois, etat, heures in conn.execute(
            text("SELECT af_id, mois, etat, heures FROM etat_mensuel WHERE annee = :a"),
            {"a": annee},
        ):
            etats.setdefault(af_id, {})[mois] = (etat, heures)
    out = []
    for r in rows:
        type_structure = r.mesure_code.split("_")[0]
        if r.etat not in ETATS_AF_COMPTES or type_structure == "FDI":
            continue
        departement = departement_du_numero(r.numero)
        af = Annexe(
            id=r.id,
            numero=r.numero,
            structure_id=r.structure_id,
            denomination=r.denomination,
            siret=r.siret,
            type_structure=type_structure,
            departement=departement,
            region=regions.get(departement),
            debut=_jour(r.date_debut),
            fin=_jour(r.date_fin),
            c=r.etp_postes_insertion,
            h=r.duree_heure_annuel_etp,
            aide=r.montant_unitaire_annuel,
            annee=annee,
            as_of=as_of,
            etats=etats.get(r.id, {}),
        )
        if af.mois_conventionnes:
            out.append(af)
    return out


@dataclass(frozen=True)
class Filtres:
    """The filter values read on the page (empty = not set)."""

    annee: int
    structure: str = ""
    af: str = ""
    type_structure: str = ""
    region: str = ""
    departement: str = ""

    def garde(self, af: Annexe) -> bool:
        return (
            (not self.structure or af.structure_id == int(self.structure))
            and (not self.af or af.numero == self.af)
            and (not self.type_structure or af.type_structure == self.type_structure)
            and (not self.region or af.region == self.region)
            and (not self.departement or af.departement == self.departement)
        )


@dataclass
class Selection:
    """The AFs of a selection and their aggregates (guide's rules for groups)."""

    annexes: list[Annexe]

    @classmethod
    def de(cls, annexes: list[Annexe], perimetre: Perimetre, filtres: Filtres) -> Selection:
        return cls([a for a in annexes if perimetre.contient(a) and filtres.garde(a)])

    def _avec_moyenne(self) -> list[Annexe]:
        return [a for a in self.annexes if a.moyen is not None]

    @property
    def mensuel_conventionne(self) -> float:
        return sum(a.c for a in self.annexes)

    @property
    def moyen(self) -> float | None:
        avec = self._avec_moyenne()
        return sum(a.moyen for a in avec) if avec else None

    @property
    def conventionne_compare(self) -> float:
        return sum(a.c for a in self._avec_moyenne())

    @property
    def taux_moyen(self) -> float | None:
        return self.moyen / self.conventionne_compare if self.moyen is not None else None

    @property
    def statut(self) -> str | None:
        return statut(self.moyen, self.conventionne_compare)

    @property
    def ecart(self) -> float | None:
        return self.moyen - self.conventionne_compare if self.moyen is not None else None

    @property
    def annuel_conventionne(self) -> float:
        return sum(a.annuel_conventionne for a in self.annexes)

    @property
    def annuel_realise(self) -> float:
        return sum(a.annuel_realise for a in self.annexes)

    @property
    def taux_realisation(self) -> float:
        return self.annuel_realise / self.annuel_conventionne

    @property
    def montant_conventionne(self) -> float:
        return sum(a.annuel_conventionne * a.aide for a in self.annexes)

    @property
    def montant_realise(self) -> float:
        return sum(a.annuel_realise * a.aide for a in self.annexes)

    def par_statut(self, code: str | None) -> list[Annexe]:
        return [a for a in self.annexes if a.statut == code]

    def conventionne_du_mois(self, mois: int) -> float:
        return sum(a.c for a in self.annexes if mois in a.mois_conventionnes)

    def remplissage(self, etat: str | None) -> list[int]:
        """Per month, how many conventioned AFs are in ``etat`` (None: no row)."""
        return [
            sum(1 for a in self.annexes if m in a.mois_conventionnes and a.etat(m) == etat)
            for m in range(1, 13)
        ]

    def mois_entierement_valides(self) -> list[int]:
        """Months where every conventioned AF is validated (at least one AF)."""
        return [
            m
            for m in range(1, 13)
            if (conv := [a for a in self.annexes if m in a.mois_conventionnes])
            and all(m in a.mois_valides for a in conv)
        ]

    def realise_du_mois(self, mois: int) -> float:
        return sum(a.realise(mois) for a in self.annexes if mois in a.mois_valides)


# --------------------------------------------------------------------------- reading screens


def nombre(texte: str) -> float | None:
    """A French number as shown (``1 234,50 €``, ``-5,10``, ``37 %``, ``21,50 ETP``): its
    value (percent signs are not divided); ``–`` is ``None``."""
    t = texte.strip()
    for bruit in ("\u202f", "\u00a0", " ", "€", "%", "ETP", "▲", "▼"):
        t = t.replace(bruit, "")
    if t in {"–", "-", ""}:
        return None
    return float(t.replace(",", "."))


def au_centime_pres(affiche: str, attendu: float | None, decimales: int = 2) -> bool:
    """True when ``affiche`` is ``attendu`` rounded to ``decimales`` (either neighbour at an
    exact half): a change of one unit of the last shown digit is caught."""
    valeur = nombre(affiche)
    if attendu is None or valeur is None:
        return attendu is None and valeur is None
    return math.isclose(valeur, attendu, abs_tol=0.5 * 10**-decimales + 1e-9)


@dataclass(frozen=True)
class Carte:
    """One figure on screen: its element, how it is shown, its expected value.

    ``kind``: ``etp`` (2 decimals), ``pct`` (a fraction shown as a whole percent), ``euros``
    (whole euros), ``int``, ``texte`` (exact words). Adding a card to the browser test is one
    line of this kind."""

    selecteur: str
    kind: str
    attendu: Callable[[Selection], object]
    #: A regular expression whose first group is the figure, when the element holds words too.
    motif: str | None = None

    def verifier(self, texte: str, selection: Selection) -> str | None:
        """None when the text shows the expected value, else a message."""
        attendu = self.attendu(selection)
        if self.motif is not None:
            trouve = re.search(self.motif, texte)
            if trouve is None:
                return f"{self.selecteur}: {texte!r} does not match {self.motif!r}"
            texte = trouve.group(1)
        ok = {
            "etp": lambda: au_centime_pres(texte, attendu, 2),
            "pct": lambda: au_centime_pres(texte, None if attendu is None else attendu * 100, 0),
            "euros": lambda: au_centime_pres(texte, attendu, 0),
            "int": lambda: nombre(texte) == attendu,
            "texte": lambda: texte.strip() == attendu,
        }[self.kind]()
        return None if ok else f"{self.selecteur}: shows {texte!r}, expected {attendu!r}"


def libelle_statut(code: str | None) -> str:
    return LIBELLES_STATUTS.get(code, "Aucun mois validé")


def nb_annexes(n: int) -> str:
    return f"{n} annexe" + ("s" if n >= 2 else "")
