"""Regional (IRAP, addizionale regionale) and municipal (IMU, addizionale comunale) rates.

No migration creates these tables: the rates are still read from CSV files.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import relationship

from app.models.base import Base


class Regione(Base):
    __tablename__ = "regione"

    id = Column(Integer, primary_key=True)
    codice_istat = Column(String(2), unique=True, nullable=False)
    nome = Column(String(100), nullable=False)
    is_autonomous = Column(Boolean, default=False)
    created_at = Column(DateTime(timezone=True), server_default=func.now())

    comuni = relationship("Comune", back_populates="regione")


class Comune(Base):
    __tablename__ = "comune"

    id = Column(Integer, primary_key=True)
    codice_istat = Column(String(6), unique=True, nullable=False)
    nome = Column(String(200), nullable=False, index=True)
    provincia = Column(String(2), nullable=False)
    regione_id = Column(Integer, ForeignKey("regione.id"), nullable=False)
    cap_codes = Column(JSONB)

    regione = relationship("Regione", back_populates="comuni")


class RegionalTaxRate(Base):
    __tablename__ = "regional_tax_rates"
    __table_args__ = (UniqueConstraint("regione_id", "tax_type", "year", name="uq_regional_rate"),)

    id = Column(Integer, primary_key=True)
    regione_id = Column(Integer, ForeignKey("regione.id"), nullable=False)
    tax_type = Column(String(30), nullable=False)  # irap, addizionale_irpef
    year = Column(Integer, nullable=False)
    rate = Column(Numeric(6, 4), nullable=False)
    income_bracket_min = Column(Numeric(12, 2))
    income_bracket_max = Column(Numeric(12, 2))
    valid_from = Column(Date)


class ComunalTaxRate(Base):
    __tablename__ = "comunal_tax_rates"
    __table_args__ = (UniqueConstraint("comune_id", "tax_type", "year", name="uq_comunal_rate"),)

    id = Column(Integer, primary_key=True)
    comune_id = Column(Integer, ForeignKey("comune.id"), nullable=False)
    tax_type = Column(String(30), nullable=False)  # imu, addizionale_comunale
    year = Column(Integer, nullable=False)
    rate = Column(Numeric(6, 4), nullable=False)
    exemption_threshold = Column(Numeric(12, 2))
    valid_from = Column(Date)
