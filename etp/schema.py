"""Database schema: référentiel, structures, annexes financières, états mensuels, import log.

One ``Base`` (and one ``MetaData``) for the whole application: ``auth`` declares its own models
on it. The tables are built by the migrations (``etp/migrations/versions``): a change here needs
a revision (``suivi-etp db revision -m …``, see README). Numbers are stored unrounded (double
precision): rounding happens only on screen.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base shared by ``etp`` and ``auth``."""


class Region(Base):
    """A région (INSEE code, e.g. ``53`` Bretagne, ``01`` Guadeloupe)."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(80))

    @property
    def label(self) -> str:
        return self.libelle


class Departement(Base):
    """A département (``35``, ``2A``, ``971``); a few overseas collectivités have no région."""

    __tablename__ = "departement"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)

    @property
    def label(self) -> str:
        """``"35 - Ille-et-Vilaine"``, as the Pilotage shows it."""
        return f"{self.code} - {self.libelle}"


class Structure(Base):
    """An ASP structure (``fluxIAE_Structure``), without any personal data."""

    __tablename__ = "structure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    siret: Mapped[str | None] = mapped_column(String(14), index=True)
    denomination: Mapped[str] = mapped_column(String(255))
    code_insee: Mapped[str | None] = mapped_column(String(5))
    commune: Mapped[str | None] = mapped_column(String(120))
    date_modification: Mapped[datetime | None] = mapped_column(DateTime)
    import_id: Mapped[int | None] = mapped_column(Integer)


class AnnexeFinanciere(Base):
    """The current version of one annexe financière (one AF year, ``af_id_annexe_financiere``).

    ``compte`` is true when that version is ``VALIDE``, ``PROVISOIRE`` or ``CLOTURE``: only those
    AFs count in indicators. Others are kept with their state (domain.md §3 rule 1).
    """

    __tablename__ = "annexe_financiere"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id_avenant_modification: Mapped[int] = mapped_column(Integer)
    numero: Mapped[str] = mapped_column(String(20), index=True)
    numero_avenant_renouvellement: Mapped[int] = mapped_column(Integer)
    numero_avenant_modification: Mapped[int] = mapped_column(Integer)
    structure_id: Mapped[int] = mapped_column(Integer, index=True)
    mesure_code: Mapped[str] = mapped_column(String(12))
    type_structure: Mapped[str] = mapped_column(String(8), index=True)
    milieu_penitentiaire: Mapped[bool] = mapped_column(Boolean, default=False)
    etat: Mapped[str] = mapped_column(String(16))
    compte: Mapped[bool] = mapped_column(Boolean, index=True)
    date_debut: Mapped[date] = mapped_column(Date)
    date_fin: Mapped[date] = mapped_column(Date)
    annee_debut: Mapped[int] = mapped_column(Integer)
    annee_fin: Mapped[int] = mapped_column(Integer)
    etp_postes_insertion: Mapped[float | None] = mapped_column(Float)
    duree_heure_annuel_etp: Mapped[float | None] = mapped_column(Float)
    montant_unitaire_annuel: Mapped[float | None] = mapped_column(Float)
    montant_total_annuel: Mapped[float | None] = mapped_column(Float)
    mt_cofinance: Mapped[float | None] = mapped_column(Float)
    #: the co-financer as the ASP names it (``CD FINISTERE``, ``CT MARTINIQUE``)
    id_financeur_code: Mapped[str | None] = mapped_column(String(60))
    indic_cofinancement: Mapped[bool | None] = mapped_column(Boolean)
    departement_code: Mapped[str] = mapped_column(String(3), index=True)
    region_code: Mapped[str | None] = mapped_column(String(3), index=True)
    import_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_af_annees", "annee_debut", "annee_fin"),
        Index("ix_af_dep_type", "departement_code", "type_structure"),
    )

    @property
    def version(self) -> str:
        """``A2M1``: renewal 2, modification 1."""
        return f"A{self.numero_avenant_renouvellement}M{self.numero_avenant_modification}"


class EtatMensuel(Base):
    """EMI rows aggregated per AF × month: hours, state, distinct employees.

    ``etat`` is ``VALIDE`` only when every row of the AF-month is ``VALIDE``; ``etats_discordants``
    flags an AF-month whose rows disagree (domain.md §3 rule 4).
    """

    __tablename__ = "etat_mensuel"

    af_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    annee: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    mois: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    heures: Mapped[float] = mapped_column(Float)
    etat: Mapped[str] = mapped_column(String(12))
    nb_salaries: Mapped[int] = mapped_column(Integer)
    nb_lignes: Mapped[int] = mapped_column(Integer)
    etats_discordants: Mapped[bool] = mapped_column(Boolean, default=False)
    derniere_creation: Mapped[datetime | None] = mapped_column(DateTime)
    import_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_etat_mensuel_annee", "annee", "af_id"),
        # the data date (its latest value) is read by every first view of a selection
        Index("ix_etat_mensuel_derniere_creation", "derniere_creation"),
    )


class EtatsAnnee(Base):
    """``etat_mensuel`` arranged for reading: one row per AF × year holding its twelve months
    (maintained by the EMI import, :mod:`etp.etats_annee`). A national view reads about 4,700
    of these rows instead of 56,000 ``etat_mensuel`` rows.

    ``etats``: the twelve states joined by ``|`` (empty where the month has no row: non saisi);
    ``heures`` and ``nb_salaries``: twelve little-endian float64 each (NaN where no row).
    """

    __tablename__ = "etats_annee"

    af_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    annee: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    etats: Mapped[str] = mapped_column(Text, nullable=False)
    heures: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    nb_salaries: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class Contrat(Base):
    """One ``fluxIAE_ContratMission`` contract, reduced to what the bRSA figures need.

    ``salarie_rsa`` is the employee's RSA situation at contract entry: ``NON``, ``OUI-M``
    (majoré) or ``OUI-NM`` (non majoré); both ``OUI-*`` are bRSA. No personal column is kept.
    """

    __tablename__ = "contrat"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    salarie_rsa: Mapped[str | None] = mapped_column(String(8))
    import_id: Mapped[int | None] = mapped_column(Integer, index=True)


class MontantRsa(Base):
    """A ``MT_ME_RSA`` row of ``fluxIAE_RefMontantIae``: the monthly amount a CD pays per bRSA,
    valid from ``date_debut`` to ``date_fin`` (open when null); ``code_dpt`` is null for every
    département but those with their own amount (Mayotte, 976)."""

    __tablename__ = "montant_rsa"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    valeur: Mapped[float] = mapped_column(Float)
    date_debut: Mapped[date] = mapped_column(Date)
    date_fin: Mapped[date | None] = mapped_column(Date)
    code_dpt: Mapped[str | None] = mapped_column(String(3))
    import_id: Mapped[int | None] = mapped_column(Integer)


class EmiContrat(Base):
    """Hours per AF × month × employee × contract, from the EMI rows (thousandths of an hour,
    exact sums). Kept so that a ContratMission file arriving after the monthly states can
    recompute the bRSA figures; rows without a person or a contract id are not stored."""

    __tablename__ = "emi_contrat"

    af_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    annee: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    mois: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    pph_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    ctr_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    milliheures: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_emi_contrat_ctr", "ctr_id"),)


class BrsaMensuel(Base):
    """Per AF × month: employees of a bRSA contract with at least 1 hour that month and their
    hours (maintained by the EMI and ContratMission imports; no row = none)."""

    __tablename__ = "brsa_mensuel"

    af_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    annee: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    mois: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    nb_salaries: Mapped[int] = mapped_column(Integer)
    heures: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_brsa_mensuel_annee", "annee", "af_id"),)


class ImportLog(Base):
    """One row per file offered to the importer, accepted or refused."""

    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fichier: Mapped[str] = mapped_column(String(255))
    vue: Mapped[str] = mapped_column(String(64))
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    importe_le: Mapped[datetime] = mapped_column(DateTime)
    statut: Mapped[str] = mapped_column(String(16))  # importe | deja_importe | refuse | ignore
    lignes_lues: Mapped[int] = mapped_column(Integer, default=0)
    lignes_gardees: Mapped[int] = mapped_column(Integer, default=0)
    lignes_rejetees: Mapped[int] = mapped_column(Integer, default=0)
    motifs: Mapped[str] = mapped_column(Text, default="{}")  # JSON {reason: count}
    date_donnees: Mapped[datetime | None] = mapped_column(DateTime)
    message: Mapped[str | None] = mapped_column(Text)


class NoteTerrain(Base):
    """A funder's field note on a structure (visit, difficulty, context): the current text.

    ``etp`` knows nothing of accounts: the author is kept as the account id the application
    gave (``auteur_id``) and the name and organisation as they read when the note was written.
    Every version of the text, the first included, is a row of :class:`NoteTerrainVersion`.
    """

    __tablename__ = "note_terrain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    structure_id: Mapped[int] = mapped_column(Integer, index=True)
    auteur_id: Mapped[int] = mapped_column(Integer, index=True)
    auteur_nom: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(255))
    date_note: Mapped[date] = mapped_column(Date)
    categorie: Mapped[str] = mapped_column(String(16))  # visite | difficulte | contexte
    texte: Mapped[str] = mapped_column(Text)
    cree_le: Mapped[datetime] = mapped_column(DateTime)
    modifie_le: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class NoteTerrainVersion(Base):
    """One version of a note as it was saved (version 1 is the text first written)."""

    __tablename__ = "note_terrain_version"

    note_id: Mapped[int] = mapped_column(
        ForeignKey("note_terrain.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    date_note: Mapped[date] = mapped_column(Date)
    categorie: Mapped[str] = mapped_column(String(16))
    texte: Mapped[str] = mapped_column(Text)
    enregistre_le: Mapped[datetime] = mapped_column(DateTime)
    auteur_id: Mapped[int] = mapped_column(Integer)


class Avis(Base):
    """One answer to « Donner votre avis »: a 0-10 recommendation score, whether an indicator
    was used, a free comment, the tab it was sent from, the sender's roles and the date. The
    e-mail is kept only when the user asked to be contacted back."""

    __tablename__ = "avis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    date: Mapped[datetime] = mapped_column(DateTime, index=True)
    note: Mapped[int] = mapped_column(Integer)
    indicateur_utilise: Mapped[bool | None] = mapped_column(Boolean)
    commentaire: Mapped[str | None] = mapped_column(Text)
    onglet: Mapped[str | None] = mapped_column(String(40))
    roles: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))


class DemandeAjustement(Base):
    """Bourse aux postes: an SIAE's request for Δ ETP (monthly level) on one of its AFs from a
    month of ``annee``, with its justification, its state (``envoyee``, ``acceptee``,
    ``refusee``) and the funder's answer. Never changes the AF itself."""

    __tablename__ = "demande_ajustement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    af_id: Mapped[int] = mapped_column(Integer, index=True)
    annee: Mapped[int] = mapped_column(Integer, index=True)
    delta_etp: Mapped[float] = mapped_column(Float)
    mois: Mapped[int] = mapped_column(Integer)
    justification: Mapped[str] = mapped_column(Text)
    etat: Mapped[str] = mapped_column(String(12), index=True)
    auteur: Mapped[str] = mapped_column(String(254))
    cree_le: Mapped[datetime] = mapped_column(DateTime)
    reponse: Mapped[str | None] = mapped_column(Text)
    repondu_par: Mapped[str | None] = mapped_column(String(254))
    repondu_le: Mapped[datetime | None] = mapped_column(DateTime)
    scenario_id: Mapped[int | None] = mapped_column(Integer)


class Scenario(Base):
    """Bourse aux postes: a funder's saved scenario for ``annee``, owned by its author and read
    by the colleagues of the same organisation (``organisation_id``)."""

    __tablename__ = "scenario"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    nom: Mapped[str] = mapped_column(String(120))
    annee: Mapped[int] = mapped_column(Integer)
    auteur: Mapped[str] = mapped_column(String(254))
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    cree_le: Mapped[datetime] = mapped_column(DateTime)
    modifie_le: Mapped[datetime] = mapped_column(DateTime)


class LigneScenario(Base):
    """One adjustment of a scenario: Δ ETP (monthly level) for one AF from ``mois``."""

    __tablename__ = "ligne_scenario"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenario.id", ondelete="CASCADE"), index=True
    )
    af_id: Mapped[int] = mapped_column(Integer)
    delta_etp: Mapped[float] = mapped_column(Float)
    mois: Mapped[int] = mapped_column(Integer)
