"""The synthetic population of the demo: structures, annexes financières and monthly hours.

Pure and deterministic: :func:`build_population` depends only on :class:`DemoConfig` (seed,
reference date, number of structures). Randomness comes from ``random.Random`` instances seeded
with strings (stable across processes, unlike ``hash()``), one stream per concern, so that a
structure's history does not depend on the reference date except for what has not happened yet:
the demo run next week shows the same past with more recent months.

What the population is meant to show (issue 2, part 6): the three last years; every département of
Bretagne and Occitanie plus a few elsewhere; every structure type with its hours per ETP and aid
per ETP; AFs shorter than 12 months; superseded versions; seasonality; late declarations; clear
over- and under-consumers and a few exactly conforme.
"""

from __future__ import annotations

import calendar
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from etp.demo import DEMO_DEPARTEMENTS_FINANCEURS, DEMO_SIAE_STRUCTURE_IDS
from etp.demo.names import denomination, siret
from etp.demo.places import DEPARTEMENTS, Commune, numero_departement

#: Hours of one annual ETP by structure type (``af_duree_heure_annuel_etp_valeur``).
HEURES_ETP: dict[str, float] = {
    "ACI": 1820.0,
    "AI": 1607.0,
    "ETTI": 1607.0,
    "EI": 1505.0,
    "EITI": 1505.0,
}
#: Aid per ETP and per year (€) in 2024; other years grow or shrink by 2 % a year.
MONTANT_ETP_2024: dict[str, float] = {
    "ACI": 22275.0,
    "EI": 11699.0,
    "ETTI": 4524.0,
    "AI": 1481.0,
    "EITI": 5089.0,
}
#: Share of each measure among the demo structures (prison measures are placed one by one).
PARTS_MESURES: dict[str, float] = {
    "ACI_DC": 0.55,
    "EI_DC": 0.17,
    "AI_DC": 0.12,
    "ETTI_DC": 0.09,
    "EITI_DC": 0.04,
}
MESURES_PRISON: tuple[str, ...] = ("ACI_MP", "ACI_MP", "EI_MP")

VALIDE, DEBLOQUE, SAISI, BROUILLON = "VALIDE", "DEBLOQUE", "SAISI", "BROUILLON"

#: Monthly activity (mean 1 over the year): summer holidays, December, and market gardening
#: (maraîchage) ACI that peak in spring and early autumn.
_SAISON = (0.97, 1.00, 1.03, 1.03, 0.99, 1.04, 0.96, 0.78, 1.05, 1.06, 1.05, 0.94)
_SAISON_MARAICHAGE = (0.82, 0.86, 1.00, 1.13, 1.18, 1.20, 1.06, 0.88, 1.10, 1.02, 0.90, 0.85)


def type_of(mesure: str) -> str:
    """``ACI_MP`` -> ``ACI``: the structure type of a measure code."""
    return mesure.split("_", 1)[0]


def montant_unitaire(type_structure: str, annee: int) -> float:
    """Aid per ETP for a year, in whole euros (realistic orders of magnitude, growing 2 %/year)."""
    return float(round(MONTANT_ETP_2024[type_structure] * 1.02 ** (annee - 2024)))


def _rng(*key: object) -> random.Random:
    """An independent random stream for one concern (string seeds are stable across runs)."""
    return random.Random(":".join(str(k) for k in key))


def _fin_de_mois(annee: int, mois: int) -> date:
    return date(annee, mois, calendar.monthrange(annee, mois)[1])


def _mois_precedent(jour: date) -> tuple[int, int]:
    return (jour.year - 1, 12) if jour.month == 1 else (jour.year, jour.month - 1)


@dataclass(frozen=True)
class DemoConfig:
    """What the demo depends on: same config -> same population, byte-identical files."""

    seed: int = 2024
    today: date = field(default_factory=date.today)
    structures: int = 150

    def __post_init__(self) -> None:
        if self.structures < 12:
            raise ValueError("la démo demande au moins 12 structures")

    @property
    def annees(self) -> tuple[int, int, int]:
        """The current year and the two before."""
        y = self.today.year
        return (y - 2, y - 1, y)

    @property
    def dernier_mois(self) -> tuple[int, int]:
        """The last month with EMI data: the month before today."""
        return _mois_precedent(self.today)

    @property
    def date_donnees(self) -> datetime:
        """Latest ``emi_date_creation``: a few days into the current month (never after today)."""
        jour = self.today.replace(day=min(self.today.day, 5))
        return datetime.combine(jour, time(6, 12, 37))


@dataclass
class StructureDemo:
    id: int
    mesure: str
    departement: str
    commune: Commune
    siret: str
    denomination: str
    date_creation: datetime
    maraichage: bool
    #: first conventioned day and last conventioned day inside the demo years
    debut: date
    fin: date
    annee_numero: int
    ordre_numero: int
    etp_base: float
    cofinancement: float  # share of the aid co-financed by the CD (0 when none)
    #: a late declarant: its last ``retard_declaration`` months before today are not validated
    retard_declaration: int = 0

    @property
    def type_structure(self) -> str:
        return type_of(self.mesure)

    @property
    def numero_af(self) -> str:
        """``ACI035190012``: type, 3-character département, 2-digit year, order (kept yearly)."""
        return (
            f"{self.type_structure}{numero_departement(self.departement)}"
            f"{self.annee_numero % 100:02d}{self.ordre_numero:04d}"
        )


@dataclass(frozen=True)
class VersionAF:
    """One row of ``fluxIAE_AnnexeFinanciere``: a version of one AF year."""

    id_avenant: int
    modification: int
    etat: str
    etp: float
    date_etat: date


@dataclass
class AnnexeDemo:
    """One AF year of a structure, with its versions (the last one is current)."""

    id: int
    structure: StructureDemo
    annee: int
    debut: date
    fin: date
    etp: float
    versions: list[VersionAF]
    #: realised / conventioned target (``None`` = exactly conforme)
    ratio: float | None
    compte: bool = True

    @property
    def renouvellement(self) -> int:
        return self.annee - self.structure.annee_numero

    @property
    def heures_etp(self) -> float:
        return HEURES_ETP[self.structure.type_structure]

    @property
    def montant_unitaire(self) -> float:
        return montant_unitaire(self.structure.type_structure, self.annee)

    def nb_mois(self) -> int:
        return (self.fin.year - self.debut.year) * 12 + self.fin.month - self.debut.month + 1

    def couvre(self, annee: int, mois: int) -> bool:
        """A month is conventioned when the AF covers at least one of its days."""
        return self.debut <= _fin_de_mois(annee, mois) and self.fin >= date(annee, mois, 1)


@dataclass(frozen=True)
class LigneEMI:
    """One ``fluxIAE_EtatMensuelIndiv`` row: one employee × contract × AF × month."""

    af: AnnexeDemo
    annee: int
    mois: int
    etat: str
    pph_id: int
    ctr_id: int
    heures: float
    nb_missions: int | None
    creation: datetime
    validation: datetime | None
    version: int
    date_fin_reelle: date | None
    motif_sortie: int | None


@dataclass(frozen=True)
class FDIDemo:
    """A FDI_DC row (Fonds de développement de l'inclusion): not an SIAE AF, to be excluded."""

    id: int
    structure: StructureDemo
    annee: int
    ordre: int


@dataclass
class Population:
    config: DemoConfig
    structures: list[StructureDemo]
    annexes: list[AnnexeDemo]
    lignes: list[LigneEMI]
    fdi: list[FDIDemo]
    #: AF versions written twice (exact duplicate rows)
    doublons: set[int]


# --------------------------------------------------------------------------- structures


def _mesures(n: int, rng: random.Random) -> list[str]:
    """Measure codes for ``n`` structures: the demo pair first, then every type at least once."""
    prison = list(MESURES_PRISON if n >= 50 else MESURES_PRISON[1:])
    reste = n - 2 - len(prison)
    counts = {m: max(1, round(p * n)) for m, p in PARTS_MESURES.items()}
    counts["ACI_DC"] += reste - sum(counts.values())
    autres = [m for m, c in counts.items() for _ in range(c)] + prison
    rng.shuffle(autres)
    return ["ACI_DC", "EI_DC", *autres]


#: département -> (weight, communes), the shape of :data:`etp.demo.places.DEPARTEMENTS`.
Lieux = dict[str, tuple[int, tuple[Commune, ...]]]

#: Structures (besides the demo SIAE pair) each département of a demo account holds at least,
#: so that :func:`_cas_d_usage` finds an AF for every use case each year.
_MIN_TERRITOIRE = 3


def _departements(n: int, rng: random.Random, lieux: Lieux = DEPARTEMENTS) -> list[str]:
    """Départements for ``n`` structures: 35 for the demo pair, each one once, then weighted;
    the first weighted draws make up :data:`_MIN_TERRITOIRE` in the demo accounts' départements
    (when ``n`` leaves room: from 30 structures)."""
    codes = list(lieux)
    premiers = codes[:]
    rng.shuffle(premiers)
    poids = [lieux[c][0] for c in codes]
    reste = rng.choices(codes, weights=poids, k=max(0, n - 2 - len(codes)))
    libres = [i for i, c in enumerate(reste) if c not in DEMO_DEPARTEMENTS_FINANCEURS]
    for dep in DEMO_DEPARTEMENTS_FINANCEURS:
        manque = _MIN_TERRITOIRE - 1 - reste.count(dep)  # premiers holds it once
        for _ in range(max(0, manque)):
            if libres:
                reste[libres.pop(0)] = dep
    return (["35", "35", *premiers, *reste])[:n]


def _reservees(structures: list[StructureDemo]) -> set[int]:
    """The first :data:`_MIN_TERRITOIRE` structures of each demo account's département (the
    SIAE pair aside): they have an AF every year, the use cases are cast on them first."""
    ids: set[int] = set()
    for dep in DEMO_DEPARTEMENTS_FINANCEURS:
        du_dep = [
            s.id for s in structures if s.departement == dep and s.id not in DEMO_SIAE_STRUCTURE_IDS
        ]
        ids.update(sorted(du_dep)[:_MIN_TERRITOIRE])
    return ids


def _etp_arrondi(rng: random.Random, value: float) -> float:
    """Conventioned ETP as DDETS write them: often round, sometimes with two decimals."""
    value = max(1.0, value)
    return float(round(value * 2) / 2) if rng.random() < 0.55 else round(value, 2)


_ETP_BORNES = {"ACI": (4, 26), "AI": (3, 30), "EI": (3, 22), "ETTI": (5, 32), "EITI": (2, 12)}


def _structures(
    config: DemoConfig, lieux: Lieux = DEPARTEMENTS, taille: float = 1.0
) -> list[StructureDemo]:
    rng = _rng("structures", config.seed)
    n = config.structures
    mesures = _mesures(n, rng)
    deps = _departements(n, rng, lieux)
    premiere, _, derniere = config.annees
    structures: list[StructureDemo] = []
    ordres: dict[str, int] = {}
    noms: set[str] = set()
    for index, (mesure, dep) in enumerate(zip(mesures, deps, strict=True)):
        sid = 1001 + index
        srng = _rng("structure", config.seed, sid)
        type_structure = type_of(mesure)
        communes = lieux[dep][1]
        commune = communes[0] if sid in DEMO_SIAE_STRUCTURE_IDS[:1] else srng.choice(communes)
        if sid == DEMO_SIAE_STRUCTURE_IDS[1]:
            commune = communes[1]
        maraichage = type_structure == "ACI" and not mesure.endswith("_MP") and srng.random() < 0.3
        nom = denomination(
            srng, type_structure, commune.nom, prison=mesure.endswith("_MP"), maraichage=maraichage
        )
        while nom in noms:
            nom = f"{nom} {srng.choice(['Nord', 'Sud', 'Est', 'Ouest', 'Centre', 'Agglo'])}"
        noms.add(nom)
        ordres[dep] = ordres.get(dep, srng.randint(1, 30)) + srng.randint(1, 7)
        lo, hi = _ETP_BORNES[type_structure]
        etp_base = srng.uniform(lo, hi) if not mesure.endswith("_MP") else srng.uniform(3, 9)
        etp_base *= taille
        annee_numero = srng.randint(2016, premiere)
        structures.append(
            StructureDemo(
                id=sid,
                mesure=mesure,
                departement=dep,
                commune=commune,
                siret=siret(srng),
                denomination=nom,
                date_creation=datetime(annee_numero - srng.randint(0, 8), srng.randint(1, 12), 1),
                maraichage=maraichage,
                debut=date(premiere, 1, 1),
                fin=date(derniere, 12, 31),
                annee_numero=annee_numero,
                ordre_numero=ordres[dep],
                etp_base=etp_base,
                cofinancement=(
                    srng.uniform(0.08, 0.3)
                    if type_structure == "ACI" and srng.random() < 0.35
                    else 0.0
                ),
            )
        )
    _cycle_de_vie(structures, config)
    _cofinancement_partout(structures, config)
    return structures


def _cofinancement_partout(structures: list[StructureDemo], config: DemoConfig) -> None:
    """Every demo département with an ACI gets at least one co-financed ACI (the CD view needs
    one everywhere); only structures that had none drawn are touched, on their own stream."""
    rng = _rng("cofinancement", config.seed)
    par_departement: dict[str, list[StructureDemo]] = {}
    for s in structures:
        if s.mesure == "ACI_DC":
            par_departement.setdefault(s.departement, []).append(s)
    for dep in sorted(par_departement):
        acis = par_departement[dep]
        if not any(s.cofinancement for s in acis):
            acis[0].cofinancement = rng.uniform(0.12, 0.3)


def _cycle_de_vie(structures: list[StructureDemo], config: DemoConfig) -> None:
    """Some structures open during the demo years, some close: their AFs are shorter."""
    rng = _rng("cycle", config.seed)
    premiere, milieu, derniere = config.annees
    reservees = _reservees(structures)
    candidates = [
        s
        for s in structures
        if s.id not in DEMO_SIAE_STRUCTURE_IDS and "_MP" not in s.mesure and s.id not in reservees
    ]
    n = len(structures)
    nouvelles = rng.sample(candidates, max(2, round(0.09 * n)))
    restantes = [s for s in candidates if s not in nouvelles]
    fermees = rng.sample(restantes, max(1, round(0.05 * n)))
    for s in nouvelles:
        annee = rng.choice((milieu, derniere)) if s is not nouvelles[0] else milieu
        s.debut = date(annee, rng.choice((3, 4, 5, 7, 9)), rng.choice((1, 1, 1, 15)))
        s.annee_numero = annee
        s.date_creation = datetime(annee - rng.randint(0, 2), rng.randint(1, 12), 1)
    for s in fermees:
        annee = rng.choice((premiere, milieu))
        s.fin = _fin_de_mois(annee, rng.choice((6, 8, 9, 10)))


# --------------------------------------------------------------------------- annexes


def _ratio(rng: random.Random) -> float | None:
    """Realised / conventioned target of one AF year.

    ~10 % clearly over, ~26 % clearly under, ~8 % exactly conforme (``None``); the rest a
    little under, as most SIAE are in the real data.
    """
    u = rng.random()
    if u < 0.10:
        return rng.uniform(1.06, 1.2)
    if u < 0.36:
        return rng.uniform(0.6, 0.88)
    if u < 0.44:
        return None
    return rng.uniform(0.93, 0.995)


#: The demo SIAE account sees one structure under and one over its convention (current year),
#: and a year exactly conforme (``None``, last year).
_RATIOS_DEMO = {
    DEMO_SIAE_STRUCTURE_IDS[0]: (0.82, None, 0.8),
    DEMO_SIAE_STRUCTURE_IDS[1]: (1.0, 1.1, 1.14),
}


def _annexes(structures: list[StructureDemo], config: DemoConfig) -> list[AnnexeDemo]:
    annexes: list[AnnexeDemo] = []
    for s in structures:
        for rang, annee in enumerate(config.annees):
            debut = max(s.debut, date(annee, 1, 1))
            fin = min(s.fin, date(annee, 12, 31))
            if debut > fin:
                continue
            arng = _rng("annexe", config.seed, s.id, annee)
            etp = _etp_arrondi(arng, s.etp_base * arng.uniform(0.92, 1.1))
            ratio = _RATIOS_DEMO[s.id][rang] if s.id in _RATIOS_DEMO else _ratio(arng)
            etat = VALIDE
            if annee == config.annees[0] and arng.random() < 0.3:
                etat = "CLOTURE"
            elif annee == config.annees[2] and arng.random() < 0.05:
                etat = "PROVISOIRE"
            af_id = s.id * 100 + annee % 100
            date_etat = date(annee - 1, 12, arng.randint(1, 20))
            annexes.append(
                AnnexeDemo(
                    id=af_id,
                    structure=s,
                    annee=annee,
                    debut=debut,
                    fin=fin,
                    etp=etp,
                    versions=[VersionAF(af_id * 10, 0, etat, etp, date_etat)],
                    ratio=ratio,
                )
            )
    _modifications(annexes, config)
    _renouvellement_en_attente(annexes, config)
    _cas_d_usage(annexes, config)
    return annexes


def _modifications(annexes: list[AnnexeDemo], config: DemoConfig) -> None:
    """~15 % of AF years were modified: older versions become HISTORISE, with another ETP."""
    rng = _rng("modifications", config.seed)
    choisies = rng.sample(annexes, max(2, round(0.15 * len(annexes))))
    for af in sorted(choisies, key=lambda a: a.id):
        _modifier(af, rng, 1 if rng.random() < 0.8 else 2)


def _modifier(af: AnnexeDemo, rng: random.Random, nb: int, sens: int | None = None) -> None:
    """Give ``af`` ``nb`` earlier versions (HISTORISE, another ETP): an amendment (avenant).
    ``sens`` +1 means the amendment raised the ETP (the old versions had less)."""
    courante = af.versions[0]
    versions = []
    etp = af.etp
    for k in range(nb + 1):
        if k < nb:
            delta = (sens or rng.choice((-1, 1))) * rng.uniform(0.5, 3.0)
            ancien = _etp_arrondi(rng, etp - delta)
            if ancien == etp:
                ancien = etp + 1.0
            jour = courante.date_etat + timedelta(days=40 * k)
            versions.append(VersionAF(af.id * 10 + k, k, "HISTORISE", ancien, jour))
        else:
            jour = courante.date_etat + timedelta(days=40 * k + rng.randint(0, 30))
            versions.append(VersionAF(af.id * 10 + k, k, courante.etat, etp, jour))
    af.versions = versions


def _role(ratio: float | None) -> str | None:
    """The consumption an AF's target ratio gives clearly: ``conforme`` (exact), ``sur`` or
    ``sous`` (at least 8 % / 15 % away), ``None`` for the ordinary slight under-consumption."""
    if ratio is None:
        return "conforme"
    if ratio >= 1.08:
        return "sur"
    if ratio <= 0.85:
        return "sous"
    return None


def _cas_d_usage(annexes: list[AnnexeDemo], config: DemoConfig) -> None:
    """Make sure every demo account sees every use case (issue 11, point 3).

    In each département of a demo funders' account and each demo year: an exactly conforme, a
    clearly over- and a clearly under-consuming AF, an AF shorter than 12 months and an
    amended one; a late declarant there. What the random draws already give is kept; what is
    missing is cast on the reserved structures (:func:`_reservees`), never on the demo SIAE,
    whose own cases are set here too: its EI's current AF runs from March (10 months, like the
    guide's worked example) and was amended upwards, its ACI declares late.
    """
    rng = _rng("cas", config.seed)
    courante = config.annees[2]
    structures = {a.structure.id: a.structure for a in annexes}
    reservees = _reservees(list(structures.values()))
    aci, ei = DEMO_SIAE_STRUCTURE_IDS
    for af in annexes:
        if af.structure.id == ei and af.annee == courante:
            af.debut = max(af.debut, date(courante, 3, 1))
            if len(af.versions) == 1:
                _modifier(af, rng, 1, sens=1)
    if aci in structures:
        structures[aci].retard_declaration = 3
    nouveaux = {"sur": (1.12, 1.2), "sous": (0.7, 0.82)}
    for dep in DEMO_DEPARTEMENTS_FINANCEURS:
        for annee in config.annees:
            afs = [
                a
                for a in annexes
                if a.compte and a.annee == annee and a.structure.departement == dep
            ]
            libres = sorted(
                (a for a in afs if a.structure.id not in DEMO_SIAE_STRUCTURE_IDS),
                key=lambda a: (a.structure.id not in reservees, a.id),
            )
            for role in ("conforme", "sur", "sous"):
                if any(_role(a.ratio) == role for a in afs):
                    continue
                for a in libres:
                    actuel = _role(a.ratio)
                    if actuel is None or sum(_role(b.ratio) == actuel for b in afs) > 1:
                        a.ratio = None if role == "conforme" else rng.uniform(*nouveaux[role])
                        break
            if libres and not any(a.nb_mois() < 12 for a in afs):
                courte = next((a for a in libres if a.nb_mois() == 12), libres[0])
                courte.debut = date(annee, rng.choice((3, 4, 7)), 1)
            if libres and not any(len(a.versions) > 1 for a in afs):
                _modifier(libres[0], rng, 1)
        en_retard = [s for s in structures.values() if s.id in reservees and s.departement == dep]
        if en_retard:
            min(en_retard, key=lambda s: s.id).retard_declaration = 3


def _renouvellement_en_attente(annexes: list[AnnexeDemo], config: DemoConfig) -> None:
    """A current-year AF still being entered (SAISI): kept by the importer, counted nowhere."""
    if config.structures < 40:
        return
    rng = _rng("attente", config.seed)
    courantes = [
        a
        for a in annexes
        if a.annee == config.annees[2]
        and a.structure.id not in DEMO_SIAE_STRUCTURE_IDS
        and len(a.versions) == 1
        and a.nb_mois() == 12
    ]
    for af in rng.sample(courantes, 1):
        v = af.versions[0]
        af.versions = [VersionAF(v.id_avenant, 0, SAISI, v.etp, v.date_etat)]
        af.compte = False


def _fdi(structures: list[StructureDemo], config: DemoConfig) -> list[FDIDemo]:
    rng = _rng("fdi", config.seed)
    choisies = rng.sample(structures[2:], max(1, config.structures // 50))
    return [
        FDIDemo(id=900001 + k, structure=s, annee=rng.choice(config.annees[1:]), ordre=50 + k * 7)
        for k, s in enumerate(choisies)
    ]


# --------------------------------------------------------------------------- monthly hours


@dataclass
class _Salarie:
    pph_id: int
    ctr_id: int
    heures_nominales: float  # hours of a normal month
    entree: date
    mois_presents: int = 0


def _heures_nominales(rng: random.Random, s: StructureDemo) -> float:
    """A contract's usual hours per month: part-time in ACI, missions in AI and ETTI."""
    t = s.type_structure
    if s.mesure.endswith("_MP"):
        hebdo = rng.choice((15, 20, 24, 26, 30))
    elif t == "ACI":
        hebdo = rng.choice((20, 24, 26, 26, 26, 26, 30, 35))
    elif t == "EI":
        hebdo = rng.choice((24, 26, 30, 35, 35, 35))
    elif t == "AI":
        return round(rng.uniform(18, 120), 2)
    elif t == "ETTI":
        return round(rng.uniform(55, 151.67), 2)
    else:  # EITI: independent workers, declared hours vary a lot
        return round(rng.uniform(45, 150), 2)
    return round(hebdo * 52 / 12, 2)


def _sortie_probable(t: str) -> float:
    return {"AI": 0.08, "ETTI": 0.09, "EITI": 0.03}.get(t, 0.045)


_MOTIFS_SORTIE = (1, 1, 1, 2, 2, 3, 4, 5)


class _Compteurs:
    """Person and contract ids, unique over the whole demo."""

    def __init__(self) -> None:
        self.pph = 500000
        self.ctr = 800000

    def nouveau(self) -> tuple[int, int]:
        self.pph += 1
        self.ctr += 1
        return self.pph, self.ctr


def _mois_demo(config: DemoConfig) -> list[tuple[int, int]]:
    return [(a, m) for a in config.annees for m in range(1, 13)]


def _etat(config: DemoConfig, af: AnnexeDemo, annee: int, mois: int) -> str | None:
    """State of one AF-month given how late it is; ``None`` = not entered at all."""
    retard = (config.today.year - annee) * 12 + config.today.month - mois
    u = _rng("etat", config.seed, af.id, annee, mois).random()
    if retard <= af.structure.retard_declaration:  # a late declarant: not validated yet
        return (None, BROUILLON, SAISI)[min(retard, 3) - 1]
    if retard == 1:
        return VALIDE if u < 0.5 else SAISI if u < 0.7 else BROUILLON if u < 0.82 else None
    if retard == 2:
        return VALIDE if u < 0.85 else SAISI if u < 0.91 else BROUILLON if u < 0.94 else None
    if retard <= 8 and u < 0.012:
        return DEBLOQUE
    return VALIDE


def _simuler(
    s: StructureDemo,
    annexes: dict[int, AnnexeDemo],
    config: DemoConfig,
    compteurs: _Compteurs,
) -> list[tuple[AnnexeDemo, int, int, list[tuple[_Salarie, float, date | None, int | None]]]]:
    """Month by month staffing of one structure over the three years (independent of today).

    Employees are hired when the hours fall short of the target level, leave at random (and at
    the end of a 24-month contract in ACI/EI) or when the structure is over-staffed; each month's
    hours follow the season. Returns, per conventioned month, the hours of each employee with
    the exit date and motive on the month they leave.
    """
    rng = _rng("emploi", config.seed, s.id)
    t = s.type_structure
    saison = _SAISON_MARAICHAGE if s.maraichage else _SAISON
    actifs: list[_Salarie] = []
    typique = sum(_heures_nominales(_rng("typique", t, k), s) for k in range(20)) / 20
    resultat = []
    for annee, mois in _mois_demo(config):
        af = annexes.get(annee)
        if af is None or not af.couvre(annee, mois) or not af.compte:
            actifs = []
            continue
        debut_mois, fin_mois = date(annee, mois, 1), _fin_de_mois(annee, mois)
        jours = fin_mois.day
        ratio = af.ratio if af.ratio is not None else 1.0
        cible = af.etp * af.heures_etp / 12 * ratio
        ouverture = max(af.debut, s.debut)
        if (annee, mois) == (ouverture.year, ouverture.month) and s.debut.year == annee:
            cible *= 0.6  # first month of a new structure: still hiring
        sortants: list[tuple[_Salarie, date, int]] = []
        restants = []
        for e in actifs:
            limite = t in ("ACI", "EI") and e.mois_presents >= 24
            if limite or rng.random() < _sortie_probable(t):
                jour = debut_mois + timedelta(days=rng.randrange(jours))
                sortants.append((e, jour, 1 if limite else rng.choice(_MOTIFS_SORTIE)))
            else:
                restants.append(e)
        while restants and sum(e.heures_nominales for e in restants) > cible + 0.6 * typique:
            e = restants.pop(rng.randrange(len(restants)))
            sortants.append((e, debut_mois + timedelta(days=rng.randrange(jours)), 1))
        while sum(e.heures_nominales for e in restants) < cible - 0.5 * typique:
            pph, ctr = compteurs.nouveau()
            entree = max(debut_mois + timedelta(days=rng.randrange(jours)), af.debut)
            restants.append(_Salarie(pph, ctr, _heures_nominales(rng, s), entree))
        facteur = saison[mois - 1]
        if af.ratio is None:
            niveau = _niveau_conforme(af)
        else:
            niveau = cible * facteur * rng.uniform(0.96, 1.04)
        lignes: list[tuple[_Salarie, float, date | None, int | None]] = []
        for e in restants:
            presence = 1.0
            if e.entree > debut_mois:
                presence = (fin_mois - e.entree).days / jours + 1 / jours
            lignes.append((e, e.heures_nominales * presence * rng.uniform(0.9, 1.06), None, None))
        for e, jour, motif in sortants:
            presence = (jour - max(e.entree, debut_mois)).days / jours + 1 / jours
            heures = e.heures_nominales * max(presence, 0.05) * rng.uniform(0.9, 1.05)
            lignes.append((e, heures, jour, motif))
        # Busy months (season, a structure catching up) take more people, not 250-hour months.
        while sum(h for _, h, _, _ in lignes) * _ECHELLE_MAX < niveau:
            pph, ctr = compteurs.nouveau()
            e = _Salarie(pph, ctr, _heures_nominales(rng, s), debut_mois)
            restants.append(e)
            lignes.append((e, e.heures_nominales * rng.uniform(0.95, 1.05), None, None))
        for e in restants:
            e.mois_presents += 1
        actifs = restants
        resultat.append((af, annee, mois, _mettre_a_niveau(lignes, niveau)))
    return resultat


#: At most this factor between a contract's usual hours and the hours of a month.
_ECHELLE_MAX = 1.15


def _niveau_conforme(af: AnnexeDemo) -> float:
    """Monthly hours whose realised ETP is the conventioned ETP (a hair above it).

    The realised ETP is ``hours × 12 / H``; half an hour above ``C × H / 12`` keeps it above
    ``C`` by less than 0.01 ETP despite the floating-point sum of two-decimal hours, so the
    status is exactly ``conforme`` once values are truncated to two decimals.
    """
    return math.ceil(af.etp * af.heures_etp / 12 * 100) / 100 + 0.5


def _mettre_a_niveau(lignes: list, niveau: float) -> list:
    """Scale a month's hours to ``niveau`` (two decimals, exact total), keeping each one's share.

    Staffing lags behind its target (part months, hiring thresholds): scaling the month makes
    the AF's realised ratio the one drawn, while individual variation stays.
    """
    total = sum(h for _, h, _, _ in lignes)
    ajustees = [(e, round(h * niveau / total, 2), j, m) for e, h, j, m in lignes]
    ecart = round(round(niveau, 2) - sum(h for _, h, _, _ in ajustees), 2)
    e, h, j, m = max(ajustees, key=lambda x: x[1])
    index = next(i for i, x in enumerate(ajustees) if x[0] is e)
    ajustees[index] = (e, round(h + ecart, 2), j, m)
    return ajustees


def iter_lignes_emi(
    structures: list[StructureDemo], annexes: list[AnnexeDemo], config: DemoConfig
) -> Iterator[LigneEMI]:
    """The EMI rows structure by structure, as they are simulated (memory: one structure).

    Only the months up to the last month with data, and only those entered, give rows.
    """
    par_structure: dict[int, dict[int, AnnexeDemo]] = {}
    for af in annexes:
        par_structure.setdefault(af.structure.id, {})[af.annee] = af
    compteurs = _Compteurs()
    limite = config.dernier_mois
    date_donnees = config.date_donnees
    for s in structures:
        for af, annee, mois, salaries in _simuler(
            s, par_structure.get(s.id, {}), config, compteurs
        ):
            if (annee, mois) > limite:
                continue
            etat = _etat(config, af, annee, mois)
            if etat is None:
                continue
            crng = _rng("dates", config.seed, af.id, annee, mois)
            suivant = _fin_de_mois(annee, mois) + timedelta(days=1)
            creation = datetime.combine(suivant, time(8)) + timedelta(
                days=crng.randint(0, 8), minutes=crng.randint(0, 600)
            )
            creation = min(creation, date_donnees - timedelta(minutes=crng.randint(1, 900)))
            validation = None
            if etat in (VALIDE, DEBLOQUE):
                validation = min(creation + timedelta(days=crng.randint(1, 9)), date_donnees)
            for e, heures, sortie, motif in salaries:
                yield LigneEMI(
                    af=af,
                    annee=annee,
                    mois=mois,
                    etat=etat,
                    pph_id=e.pph_id,
                    ctr_id=e.ctr_id,
                    heures=heures,
                    nb_missions=_missions(crng, s, heures),
                    creation=creation,
                    validation=validation,
                    version=2 if etat == DEBLOQUE else 1,
                    date_fin_reelle=sortie,
                    motif_sortie=motif,
                )


def _lignes_emi(
    structures: list[StructureDemo], annexes: list[AnnexeDemo], config: DemoConfig
) -> list[LigneEMI]:
    lignes = list(iter_lignes_emi(structures, annexes, config))
    return _marquer_date_donnees(lignes, config.date_donnees)


def _missions(rng: random.Random, s: StructureDemo, heures: float) -> int | None:
    if s.type_structure not in ("AI", "ETTI"):
        return None
    return max(1, min(8, round(heures / rng.uniform(25, 60))))


def _marquer_date_donnees(lignes: list[LigneEMI], date_donnees: datetime) -> list[LigneEMI]:
    """The data date is the latest ``emi_date_creation``: make the most recent row carry it."""
    if not lignes:
        return lignes
    index = max(range(len(lignes)), key=lambda i: (lignes[i].creation, -i))
    ligne = lignes[index]
    lignes[index] = LigneEMI(
        **{
            **{f: getattr(ligne, f) for f in LigneEMI.__dataclass_fields__},
            "creation": date_donnees,
        }
    )
    return lignes


def build_population(
    config: DemoConfig,
    lieux: Lieux = DEPARTEMENTS,
    *,
    taille: float = 1.0,
    avec_lignes: bool = True,
) -> Population:
    """The whole demo population for ``config``: deterministic, no I/O.

    ``lieux`` and ``taille`` (a factor on the structures' ETP) serve the national scale;
    ``avec_lignes=False`` leaves ``lignes`` empty (national scale streams them with
    :func:`iter_lignes_emi` instead of holding millions of rows).
    """
    structures = _structures(config, lieux, taille)
    annexes = _annexes(structures, config)
    lignes = _lignes_emi(structures, annexes, config) if avec_lignes else []
    rng = _rng("doublons", config.seed)
    versions = sorted(v.id_avenant for a in annexes for v in a.versions)
    doublons = set(rng.sample(versions, max(1, len(structures) // 40)))
    return Population(config, structures, annexes, lignes, _fdi(structures, config), doublons)
