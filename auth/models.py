"""Accounts: users, organisations and memberships, on the shared ``etp.schema.Base``.

Access is by organisation (domain.md §5): a user sees the union of what their organisations
see. The ``est_admin`` flag only lets a person manage accounts; it grants no data.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from etp.schema import Base


def new_session_token() -> str:
    """A random token mixed into the login session id: rotating it ends every open session."""
    return secrets.token_hex(16)


class User(Base):
    """A person who logs in with an e-mail address (stored lower-case) and a password."""

    __tablename__ = "compte"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    nom: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    actif: Mapped[bool] = mapped_column(Boolean, default=True)
    est_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    derniere_connexion: Mapped[datetime | None] = mapped_column(DateTime)
    cree_le: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    # Changes on password reset and deactivation, so that older session cookies stop working.
    jeton_session: Mapped[str] = mapped_column(String(32), default=new_session_token)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class Organisation(Base):
    """An SIAE (one or several ASP structures), a DDETS or CD (a département), a DREETS (a
    région) or the DGEFP. ``kind`` is a key of ``auth.roles.ROLES``, which says which of
    ``departement_code`` / ``region_code`` / ``structures`` is meaningful."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    departement_code: Mapped[str | None] = mapped_column(ForeignKey("departement.code"))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    # Sorted structure ids joined by commas: finds "the same SIAE" again (find-or-create).
    cle_structures: Mapped[str | None] = mapped_column(String(255))

    structures: Mapped[list[OrganisationStructure]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation")

    @property
    def structure_ids(self) -> frozenset[int]:
        return frozenset(s.structure_id for s in self.structures)


class OrganisationStructure(Base):
    """An ASP structure id (``af_id_structure``) of an SIAE organisation. Not a foreign key:
    accounts may be created before the structure file is imported."""

    __tablename__ = "organisation_structure"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    structure_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)

    organisation: Mapped[Organisation] = relationship(back_populates="structures")


class Membership(Base):
    """A user belongs to an organisation; every member sees the same data."""

    __tablename__ = "adhesion"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("compte.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class EvenementJournal(Base):
    """One line of the audit log: who did what, when, from where, to whom (issue 10).

    ``acteur_email`` and ``cible`` are copied as text, not foreign keys: the line must outlive
    the account it names. ``details`` is JSON text (filters of an export, files of an import).
    """

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    horodatage: Mapped[datetime] = mapped_column(DateTime, index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    acteur_id: Mapped[int | None] = mapped_column(Integer)
    acteur_email: Mapped[str | None] = mapped_column(String(254), index=True)
    cible: Mapped[str | None] = mapped_column(String(254))
    adresse: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str | None] = mapped_column(Text)
