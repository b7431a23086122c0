"""``etat_mensuel`` arranged for reading (table ``etats_annee``): one row per AF × year.

Every view of a selection needs the twelve monthly states of each of its AFs. Nationally that
is about 56,000 ``etat_mensuel`` rows a year, and reading them cost more than computing the
indicators from them; packed per AF × year, the same values are about 4,700 rows, read with the
AFs in the same SELECT (:func:`etp.queries._charger`). The values are the stored ones, unchanged
(the float64 bytes of ``heures`` and ``nb_salaries``), so the indicators computed from them are
bit for bit those computed from ``etat_mensuel`` rows (tests/indicators/test_etats_annee.py).

Maintained in the transaction of every EMI import (:func:`rafraichir`: the AFs its rows touch;
``etp.fluxiae.importer``) and built whole by the migration that created the table
(:func:`reconstruire`). Nothing else writes ``etat_mensuel``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import Connection, delete, insert, select

from etp.indicators_tableau import AUCUN_ETAT, Etats
from etp.schema import EtatMensuel, EtatsAnnee

SEPARATEUR = "|"
_PAR_REQUETE = 900  # ids per IN (...): below SQLite's 999 bound variables of old builds

_DTYPE = np.dtype(
    [
        ("af_id", "i8"),
        ("annee", "i8"),
        ("mois", "i8"),
        ("etat", "U16"),
        ("heures", "f8"),
        ("nb_salaries", "f8"),
    ]
)


class EtatIllisible(ValueError):
    """A state that cannot be packed (it holds the separator): never produced by the import."""


def emballer(lignes: Sequence[tuple]) -> list[dict]:
    """``etat_mensuel`` rows ``(af_id, annee, mois, etat, heures, nb_salaries)`` -> the rows of
    ``etats_annee`` (one per AF × year present), as column dicts."""
    if not lignes:
        return []
    table = np.fromiter(lignes, dtype=_DTYPE, count=len(lignes))
    if any(SEPARATEUR in e for e in np.unique(table["etat"]).tolist()):
        raise EtatIllisible(f"un état mensuel contient le séparateur {SEPARATEUR!r}")
    cle = table["af_id"] * 10_000 + table["annee"]  # a year is below 10,000
    paires, groupe = np.unique(cle, return_inverse=True)
    mois = table["mois"] - 1
    heures = np.full((len(paires), 12), np.nan, dtype="<f8")
    nb = np.full((len(paires), 12), np.nan, dtype="<f8")
    etats = np.full((len(paires), 12), "", dtype="U16")
    heures[groupe, mois] = table["heures"]
    nb[groupe, mois] = table["nb_salaries"]
    etats[groupe, mois] = table["etat"]
    return [
        {
            "af_id": int(p // 10_000),
            "annee": int(p % 10_000),
            "etats": SEPARATEUR.join(e),
            "heures": h.tobytes(),
            "nb_salaries": n.tobytes(),
        }
        for p, e, h, n in zip(paires.tolist(), etats.tolist(), heures, nb, strict=True)
    ]


def deballer(lignes: Sequence[tuple[str | None, bytes | None, bytes | None]]) -> Etats:
    """The packed months of AFs (``(etats, heures, nb_salaries)`` per AF, all ``None`` for an AF
    with no row that year) -> the five columns :func:`etp.indicators_tableau.calculer` takes,
    the AF index being the position in ``lignes`` (months in order within an AF)."""
    presents = [i for i, ligne in enumerate(lignes) if ligne[0] is not None]
    if not presents:
        return AUCUN_ETAT
    # one split of all the AFs' states (58,000 of them nationally) rather than one per AF
    textes = SEPARATEUR.join(lignes[i][0] for i in presents).split(SEPARATEUR)  # type: ignore[misc]
    etats = np.array(textes, dtype=object).reshape(-1, 12)
    heures = np.frombuffer(b"".join(bytes(lignes[i][1]) for i in presents), dtype="<f8")  # type: ignore[arg-type]
    nb = np.frombuffer(b"".join(bytes(lignes[i][2]) for i in presents), dtype="<f8")  # type: ignore[arg-type]
    masque = etats != ""
    rang, mois = np.nonzero(masque)
    return (
        np.asarray(presents, dtype=np.int64)[rang],
        mois + 1,
        etats[masque],
        heures.reshape(-1, 12)[masque],
        nb.reshape(-1, 12)[masque],
    )


def _morceaux(ids: list[int]) -> Iterable[list[int]]:
    for debut in range(0, len(ids), _PAR_REQUETE):
        yield ids[debut : debut + _PAR_REQUETE]


def reconstruire(conn: Connection, af_ids: Iterable[int] | None = None) -> int:
    """Rebuild the rows of ``af_ids`` (every year), or the whole table; returns the rows
    written. Run inside the caller's transaction; ``etat_mensuel`` is read a few hundred AFs at
    a time (memory stays small, whatever the size of the base)."""
    em = EtatMensuel
    colonnes = select(em.af_id, em.annee, em.mois, em.etat, em.heures, em.nb_salaries)
    if af_ids is None:
        conn.execute(delete(EtatsAnnee))
        ids = sorted(conn.execute(select(em.af_id).distinct()).scalars())
    else:
        ids = sorted(set(af_ids))
    ecrites = 0
    for morceau in _morceaux(ids):
        if af_ids is not None:
            conn.execute(delete(EtatsAnnee).where(EtatsAnnee.af_id.in_(morceau)))
        lignes = [tuple(r) for r in conn.execute(colonnes.where(em.af_id.in_(morceau)))]
        rows = emballer(lignes)
        if rows:
            conn.execute(insert(EtatsAnnee), rows)
        ecrites += len(rows)
    return ecrites


def rafraichir(conn: Connection, import_ids: Iterable[int]) -> int:
    """After EMI imports in this transaction: rebuild the AFs whose months they wrote."""
    ids = sorted(set(import_ids))
    if not ids:
        return 0
    af_ids = conn.execute(
        select(EtatMensuel.af_id).where(EtatMensuel.import_id.in_(ids)).distinct()
    ).scalars()
    return reconstruire(conn, list(af_ids))
