"""The direct path of the EtatMensuelIndiv import: AF-months aggregated in NumPy as blocks come.

The staged path writes every EMI row to a temporary table, then lets the database drop the
duplicates of ``emi_dsm_id``, aggregate per AF-month and regroup per employee × contract: five
passes over millions of rows, most of a national import. When the rows of each AF-month are
together in the file (a national extraction comes sorted by AF, year and month), none of that
is needed: the blocks of :func:`etp.fluxiae.etats_rapide.blocs_emi` are reduced here, in file
order, to the rows the database keeps:

- rows of an AF-month stored from a later extraction are set aside (counted), as the staged
  path deletes them from its stage before anything else;
- a row whose ``emi_dsm_id`` an earlier row already had is dropped (the first line wins): the
  ids kept so far are remembered (:class:`DsmVus`, 8 bytes per kept row);
- an AF-month is *closed* when the next one begins; its ``etat_mensuel`` figures (hours in
  thousandths, least and most advanced state, distinct employees, rows, latest creation) and
  its ``emi_contrat`` rows (hours per employee × contract, sorted by primary key) are computed
  at once, vectorised over every AF-month a block closes; the AF-month still open at the end of
  a block carries its rows over to the next one;
- an AF-month met again once closed raises :class:`Desordre`: the caller rolls this path back
  and stages the file instead (same result, the staged path's time).

The ``emi_contrat`` rows go to the database as they come (:func:`ecrivain_contrats`); the
``etat_mensuel`` figures (one row per AF-month, about 56,000 a year nationally) stay in memory
until the end of the file. The rules are those of the staged path's SQL
(:func:`etp.fluxiae.etats.import_etats`); tests compare both on the same files.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection

from etp.fluxiae.brsa import SEUIL_MILLIHEURES

#: AF-month key: ``af_id * CLE + annee * 100 + mois`` (``annee * 100 + mois`` < CLE; sorting
#: keys sorts by AF, year, month; 32-bit AF ids keep it far inside 64 bits).
CLE = 1_000_000

#: ``emi_contrat``'s columns, in the order of the arrays given to the writers.
COLONNES_CONTRAT = ["af_id", "annee", "mois", "pph_id", "ctr_id", "milliheures"]


class Desordre(Exception):
    """An AF-month's rows are not together in the file: the staged path takes over."""


def cles_mois(af: np.ndarray, annee: np.ndarray, mois: np.ndarray) -> np.ndarray:
    return af.astype(np.int64) * CLE + annee.astype(np.int64) * 100 + mois.astype(np.int64)


def af_annee_mois(cles: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(af_id, annee, mois)`` of AF-month keys (floor division: negative AF ids too)."""
    af, annee_mois = np.divmod(cles, CLE)
    annee, mois = np.divmod(annee_mois, 100)
    return af, annee, mois


class DsmVus:
    """Every ``emi_dsm_id`` kept so far, as sorted runs of ids.

    A block's new ids are one more run; the two latest runs are merged when their ranges
    overlap and the older is not larger than the newer (a binary counter: O(log n) runs to
    search, each id copied O(log n) times). Ids that grow along the file (as a national
    extraction's do) give runs of disjoint ranges, never merged nor searched: memory is then
    the ids themselves, 8 bytes per kept row (46 MB for 5.7 million rows).
    """

    def __init__(self) -> None:
        self._runs: list[np.ndarray] = []

    def premiers(self, dsm: np.ndarray) -> np.ndarray:
        """Mask of the rows whose id no earlier row had (within the block, the first of equal
        ids); those ids are remembered."""
        n = len(dsm)
        if n == 0:
            return np.zeros(0, dtype=bool)
        if n == 1 or bool((dsm[1:] > dsm[:-1]).all()):
            garde = np.ones(n, dtype=bool)
            nouveaux, lignes = dsm, None
        else:
            nouveaux, lignes = np.unique(dsm, return_index=True)
            garde = np.zeros(n, dtype=bool)
            garde[lignes] = True
        deja = np.zeros(len(nouveaux), dtype=bool)
        bas, haut = nouveaux[0], nouveaux[-1]
        for run in self._runs:
            if run[0] > haut or run[-1] < bas:
                continue
            position = np.minimum(np.searchsorted(run, nouveaux), len(run) - 1)
            deja |= run[position] == nouveaux
        if deja.any():
            garde[np.flatnonzero(deja) if lignes is None else lignes[deja]] = False
            nouveaux = nouveaux[~deja]
        if len(nouveaux):
            self._ajouter(np.array(nouveaux, dtype=np.int64))
        return garde

    def _ajouter(self, run: np.ndarray) -> None:
        self._runs.append(run)
        while len(self._runs) > 1:
            ancien, recent = self._runs[-2], self._runs[-1]
            disjoints = ancien[-1] < recent[0] or recent[-1] < ancien[0]
            if disjoints or len(ancien) > len(recent):
                return
            fusion = np.concatenate((ancien, recent))
            fusion.sort(kind="stable")  # two sorted runs: a linear merge
            self._runs[-2:] = [fusion]


@dataclass
class MoisAgreges:
    """The ``etat_mensuel`` figures of the file's AF-months (one array element each)."""

    cles: np.ndarray
    milliheures: np.ndarray  # sum of the rows' thousandths (null hours count 0)
    rang_min: np.ndarray
    rang_max: np.ndarray
    nb_salaries: np.ndarray  # distinct non-null emi_pph_id
    nb_lignes: np.ndarray
    creation: np.ndarray  # latest yyyymmddhhmmss, -1 when no row has one


def _donnees(colonne: np.ndarray, vide: int) -> tuple[np.ndarray, np.ndarray]:
    """Values (``vide`` where null) and null mask of a possibly masked column."""
    masque = np.ma.getmaskarray(colonne)
    valeurs = np.ma.getdata(colonne).astype(np.int64, copy=False)
    if masque.any():
        valeurs = np.where(masque, vide, valeurs)
    return valeurs, masque


_CHAMPS = ("cle", "rang", "pph", "pph_nul", "ctr", "ctr_nul", "milli", "creation")


class Agregateur:
    """Reduces the blocks of :func:`etp.fluxiae.etats_rapide.blocs_emi`, in file order.

    ``plus_recents``: keys of the AF-months stored from a later extraction (their rows are set
    aside); ``contrats_brsa``: ids of the contracts of a bRSA (``brsa.BRSA``), whose hours make
    the bRSA figures (:meth:`brsa_agreges`). Counts: ``plus_recents_lignes``, ``doublons``,
    ``gardees`` (rows kept).
    """

    def __init__(self, plus_recents: np.ndarray, contrats_brsa: np.ndarray) -> None:
        self.plus_recents = np.unique(np.asarray(plus_recents, dtype=np.int64))
        self.contrats_brsa = np.unique(np.asarray(contrats_brsa, dtype=np.int64))
        self._brsa: list[tuple[np.ndarray, ...]] = []
        self.vus = DsmVus()
        self.fermes: set[int] = set()
        self.ouvert: dict[str, np.ndarray] | None = None
        self._mois: list[tuple[np.ndarray, ...]] = []
        self.plus_recents_lignes = 0
        self.doublons = 0
        self.gardees = 0

    def ajouter(self, colonnes: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        """One block's columns (``line, dsm, af, annee, mois, rang, pph, ctr, milliheures,
        creation``); returns the keys of the AF-months it closes and their ``emi_contrat``
        rows (columns :data:`COLONNES_CONTRAT`)."""
        _line, dsm, af, annee, mois, rang, pph, ctr, milli, creation = colonnes
        cle = cles_mois(np.ma.getdata(af), np.ma.getdata(annee), np.ma.getdata(mois))
        dsm = np.ma.getdata(dsm).astype(np.int64, copy=False)
        garde = None
        if len(self.plus_recents) and len(cle):
            anciens = np.isin(cle, self.plus_recents)
            if anciens.any():
                self.plus_recents_lignes += int(anciens.sum())
                garde = ~anciens
                dsm = dsm[garde]
        premiers = self.vus.premiers(dsm)
        if not premiers.all():
            self.doublons += int(len(premiers) - premiers.sum())
            garde = premiers if garde is None else _sous_masque(garde, premiers)
        pph_v, pph_nul = _donnees(pph, 0)
        ctr_v, ctr_nul = _donnees(ctr, 0)
        lignes = {
            "cle": cle,
            "rang": np.ma.getdata(rang).astype(np.int64, copy=False),
            "pph": pph_v,
            "pph_nul": pph_nul,
            "ctr": ctr_v,
            "ctr_nul": ctr_nul,
            "milli": _donnees(milli, 0)[0],
            "creation": _donnees(creation, -1)[0],
        }
        if garde is not None:
            lignes = {k: v[garde] for k, v in lignes.items()}
        self.gardees += len(lignes["cle"])
        if self.ouvert is not None:
            lignes = {k: np.concatenate((self.ouvert[k], lignes[k])) for k in _CHAMPS}
            self.ouvert = None
        cle = lignes["cle"]
        if not len(cle):
            return np.zeros(0, dtype=np.int64), _vides()
        debuts = np.flatnonzero(np.concatenate(([True], cle[1:] != cle[:-1])))
        cles = cle[debuts]
        if len(np.unique(cles)) != len(cles) or not self.fermes.isdisjoint(cles.tolist()):
            raise Desordre
        fin = debuts[-1]  # the last AF-month may go on in the next block
        self.ouvert = {k: v[fin:] for k, v in lignes.items()}
        if fin == 0:
            return np.zeros(0, dtype=np.int64), _vides()
        self.fermes.update(cles[:-1].tolist())
        return cles[:-1], self._fermer({k: v[:fin] for k, v in lignes.items()})

    def terminer(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """Closes the last AF-month: its key and ``emi_contrat`` rows."""
        if self.ouvert is None:
            return np.zeros(0, dtype=np.int64), _vides()
        lignes, self.ouvert = self.ouvert, None
        return lignes["cle"][:1], self._fermer(lignes)

    def mois_agreges(self) -> MoisAgreges:
        if not self._mois:
            return MoisAgreges(*(np.zeros(0, dtype=np.int64) for _ in range(7)))
        return MoisAgreges(*(np.concatenate(c) for c in zip(*self._mois, strict=True)))

    def _fermer(self, lignes: dict[str, np.ndarray]) -> list[np.ndarray]:
        """Figures and ``emi_contrat`` rows of whole AF-months (each one run of rows)."""
        cle, pph, pph_nul, ctr, ctr_nul = (lignes[k] for k in _CHAMPS[:1] + _CHAMPS[2:6])
        # sorted by AF-month, employee (nulls last), contract (nulls last): skipped when the
        # file already is (a national extraction)
        if not _deja_trie(cle, pph, pph_nul, ctr, ctr_nul):
            ordre = np.lexsort((ctr, ctr_nul, pph, pph_nul, cle))
            lignes = {k: v[ordre] for k, v in lignes.items()}
            cle, pph, pph_nul, ctr, ctr_nul = (lignes[k] for k in _CHAMPS[:1] + _CHAMPS[2:6])
        n = len(cle)
        nouveau_mois = np.ones(n, dtype=bool)
        nouveau_mois[1:] = cle[1:] != cle[:-1]
        debuts = np.flatnonzero(nouveau_mois)
        rang, milli, creation = lignes["rang"], lignes["milli"], lignes["creation"]
        # an employee counts once per AF-month: the first of their rows (nulls sorted last)
        nouveau_salarie = nouveau_mois.copy()
        nouveau_salarie[1:] |= pph[1:] != pph[:-1]
        nouveau_salarie &= ~pph_nul
        self._mois.append(
            (
                cle[debuts],
                np.add.reduceat(milli, debuts),
                np.minimum.reduceat(rang, debuts),
                np.maximum.reduceat(rang, debuts),
                np.add.reduceat(nouveau_salarie.astype(np.int64), debuts),
                np.diff(np.append(debuts, n)),
                np.maximum.reduceat(creation, debuts),
            )
        )
        # emi_contrat: rows with an employee and a contract, summed per (AF-month, pph, ctr)
        avec = ~(pph_nul | ctr_nul)
        if not avec.all():
            cle, pph, ctr, milli = cle[avec], pph[avec], ctr[avec], milli[avec]
        if not len(cle):
            return _vides()
        nouveau = np.ones(len(cle), dtype=bool)
        nouveau[1:] = (cle[1:] != cle[:-1]) | (pph[1:] != pph[:-1]) | (ctr[1:] != ctr[:-1])
        groupes = np.flatnonzero(nouveau)
        if len(groupes) == len(cle):
            sommes = milli
        else:
            cle, pph, ctr = cle[groupes], pph[groupes], ctr[groupes]
            sommes = np.add.reduceat(milli, groupes)
        self._brsa_des_mois(cle, pph, ctr, sommes)
        af, annee, mois = af_annee_mois(cle)
        return [af, annee, mois, pph, ctr, sommes]

    def _brsa_des_mois(self, cle, pph, ctr, milli) -> None:
        """The bRSA figures of whole AF-months from their ``emi_contrat`` rows (sorted by
        AF-month, employee, contract), as :func:`etp.fluxiae.brsa._agregat` gives them: per
        employee the hours of their bRSA contracts, counted from 1 hour."""
        if not len(self.contrats_brsa):
            return
        position = np.minimum(np.searchsorted(self.contrats_brsa, ctr), len(self.contrats_brsa) - 1)
        brsa = self.contrats_brsa[position] == ctr
        if not brsa.any():
            return
        cle, pph, milli = cle[brsa], pph[brsa], milli[brsa]
        salarie = np.ones(len(cle), dtype=bool)
        salarie[1:] = (cle[1:] != cle[:-1]) | (pph[1:] != pph[:-1])
        debuts = np.flatnonzero(salarie)
        par_salarie = np.add.reduceat(milli, debuts)
        compte = par_salarie >= SEUIL_MILLIHEURES
        cle, par_salarie = cle[debuts][compte], par_salarie[compte]
        if not len(cle):
            return
        mois = np.flatnonzero(np.concatenate(([True], cle[1:] != cle[:-1])))
        nombres = np.diff(np.append(mois, len(cle)))
        self._brsa.append((cle[mois], nombres, np.add.reduceat(par_salarie, mois)))

    def brsa_agreges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """AF-month keys with at least one bRSA employee counted, how many, their
        thousandths."""
        if not self._brsa:
            return tuple(np.zeros(0, dtype=np.int64) for _ in range(3))  # type: ignore[return-value]
        return tuple(np.concatenate(c) for c in zip(*self._brsa, strict=True))  # type: ignore[return-value]


def _sous_masque(garde: np.ndarray, parmi: np.ndarray) -> np.ndarray:
    """``garde`` narrowed by ``parmi``, a mask over its True elements."""
    resultat = garde.copy()
    resultat[np.flatnonzero(garde)[~parmi]] = False
    return resultat


def _vides() -> list[np.ndarray]:
    return [np.zeros(0, dtype=np.int64) for _ in COLONNES_CONTRAT]


def _deja_trie(cle, pph, pph_nul, ctr, ctr_nul) -> bool:
    """Rows already in (AF-month, pph nulls last, pph, ctr nulls last, ctr) order?"""
    if len(cle) < 2:
        return True
    if pph_nul.any() or ctr_nul.any():
        return False
    c0, c1 = cle[:-1], cle[1:]
    p0, p1 = pph[:-1], pph[1:]
    suivant = (c1 > c0) | ((c1 == c0) & ((p1 > p0) | ((p1 == p0) & (ctr[1:] >= ctr[:-1]))))
    return bool(suivant.all())


@contextmanager
def ecrivain_contrats(
    conn: Connection, table: str, supprimer: bool
) -> Iterator[Callable[[np.ndarray, list[np.ndarray]], None]]:
    """A function ``ecrire(cles, lignes)`` writing ``emi_contrat`` rows to ``table`` as blocks
    come, after deleting the rows ``table`` holds for those AF-months when ``supprimer``.

    PostgreSQL: one ``COPY`` for the whole file; the server stores a block while the next one
    is parsed (``supprimer`` is not supported: the caller copies into an empty table or a
    stage). Other databases: the driver's ``executemany``, block by block.
    """
    colonnes = ", ".join(COLONNES_CONTRAT)
    if conn.dialect.name == "postgresql":
        if supprimer:
            raise ValueError("COPY: table vide ou table d'attente attendue")
        raw = conn.connection.driver_connection
        sql = f"COPY {table} ({colonnes}) FROM STDIN (FORMAT binary)"
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            debut = [_SIGNATURE]

            def copier(_cles: np.ndarray, lignes: list[np.ndarray]) -> None:
                if len(lignes[0]):
                    copy.write(debut.pop() + _binaire(lignes) if debut else _binaire(lignes))

            yield copier
            if not debut:
                copy.write(b"\xff\xff")  # the trailer (psycopg adds none in block mode)
        return
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}[conn.dialect.paramstyle]
    une = f"({', '.join([mark] * len(COLONNES_CONTRAT))})"
    inserer = f"INSERT INTO {table} ({colonnes}) VALUES "
    effacer = f"DELETE FROM {table} WHERE af_id = {mark} AND annee = {mark} AND mois = {mark}"
    cursor = conn.connection.driver_connection.cursor()

    def executer(cles: np.ndarray, lignes: list[np.ndarray]) -> None:
        if supprimer and len(cles):
            mois = af_annee_mois(cles)
            cursor.executemany(effacer, list(zip(*(c.tolist() for c in mois), strict=True)))
        if not len(lignes[0]):
            return
        # LIGNES_PAR_INSERT rows per statement: half the time of one row per statement
        matrice = np.column_stack(lignes)
        pleins = len(matrice) // LIGNES_PAR_INSERT * LIGNES_PAR_INSERT
        if pleins:
            largeur = LIGNES_PAR_INSERT * len(COLONNES_CONTRAT)
            sql = inserer + ", ".join([une] * LIGNES_PAR_INSERT)
            cursor.executemany(sql, matrice[:pleins].reshape(-1, largeur).tolist())
        if pleins < len(matrice):
            cursor.executemany(inserer + une, matrice[pleins:].tolist())

    if not EN_PARALLELE:
        yield executer
        return
    with _en_parallele(executer) as ecrire:
        yield ecrire


#: Rows of one INSERT on SQLite (300 bound values, far below its limit).
LIGNES_PAR_INSERT = 50

#: SQLite: the inserts run in a thread of their own while the next block is parsed (the
#: driver releases the GIL while SQLite works, pyarrow and NumPy while they do).
EN_PARALLELE = True


@contextmanager
def _en_parallele(
    ecrire: Callable[[np.ndarray, list[np.ndarray]], None],
) -> Iterator[Callable[[np.ndarray, list[np.ndarray]], None]]:
    """``ecrire`` run by a worker thread, two blocks queued at most (memory stays bounded);
    the worker is done (and its error raised here) before the caller goes on."""
    file: queue.Queue = queue.Queue(maxsize=2)
    erreurs: list[BaseException] = []

    def travail() -> None:
        while (bloc := file.get()) is not None:
            if not erreurs:
                try:
                    ecrire(*bloc)
                except BaseException as exc:  # handed over to the caller's thread
                    erreurs.append(exc)

    fil = threading.Thread(target=travail, name="emi-contrat", daemon=True)
    fil.start()

    def confier(cles: np.ndarray, lignes: list[np.ndarray]) -> None:
        if erreurs:
            raise erreurs[0]
        file.put((cles, lignes))

    try:
        yield confier
    finally:
        file.put(None)
        fil.join()
    if erreurs:
        raise erreurs[0]


#: PostgreSQL's binary COPY: signature, flags, header extension length.
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
#: One emi_contrat tuple: field count, then each field's length and big-endian value
#: (af_id, annee, mois: integer; pph_id, ctr_id, milliheures: bigint).
_TUPLE = np.dtype(
    [("n", ">i2")]
    + [(f"{nom}{part}", t) for nom, t in zip(COLONNES_CONTRAT, ["4"] * 3 + ["8"] * 3, strict=True)
       for part, t in (("_l", ">i4"), ("", f">i{t}"))]
)  # fmt: skip


def _binaire(lignes: list[np.ndarray]) -> bytes:
    """``emi_contrat`` rows as binary COPY tuples, built by NumPy: no text to format on this
    side, none to parse on the server's (CSV by pyarrow took 1.3 s of a national file)."""
    tuples = np.empty(len(lignes[0]), dtype=_TUPLE)
    tuples["n"] = len(COLONNES_CONTRAT)
    for nom, colonne, taille in zip(COLONNES_CONTRAT, lignes, [4, 4, 4, 8, 8, 8], strict=True):
        tuples[f"{nom}_l"] = taille
        tuples[nom] = colonne
    return tuples.tobytes()
