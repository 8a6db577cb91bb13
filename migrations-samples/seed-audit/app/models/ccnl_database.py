"""National collective labour agreements (CCNL): sectors, levels, pay, hours, leave.

No migration creates these tables.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB

from app.models.base import Base

WORKER_CATEGORIES = ("operaio", "impiegato", "quadro", "dirigente", "apprendista")


class CCNLSectorDB(Base):
    __tablename__ = "ccnl_sectors"

    id = Column(Integer, primary_key=True)
    sector_code = Column(String(50), unique=True, nullable=False)
    italian_name = Column(String(200), nullable=False)
    priority_level = Column(Integer, default=3)
    active = Column(Boolean, default=True)


class CCNLAgreementDB(Base):
    __tablename__ = "ccnl_agreements"

    id = Column(Integer, primary_key=True)
    sector_code = Column(String(50), ForeignKey("ccnl_sectors.sector_code"), nullable=False)
    name = Column(String(300), nullable=False)
    valid_from = Column(Date, nullable=False)
    valid_to = Column(Date)
    signatory_unions = Column(JSONB)
    source_url = Column(Text)
    created_at = Column(DateTime(timezone=True), server_default=func.now())


class JobLevelDB(Base):
    __tablename__ = "job_levels"

    id = Column(Integer, primary_key=True)
    agreement_id = Column(Integer, ForeignKey("ccnl_agreements.id", ondelete="CASCADE"), nullable=False)
    level_code = Column(String(20), nullable=False)
    level_name = Column(String(200), nullable=False)
    category = Column(Enum(*WORKER_CATEGORIES, name="worker_category"), nullable=False)
    description = Column(Text)


class SalaryTableDB(Base):
    __tablename__ = "salary_tables"

    id = Column(Integer, primary_key=True)
    agreement_id = Column(Integer, ForeignKey("ccnl_agreements.id", ondelete="CASCADE"), nullable=False)
    level_code = Column(String(20), nullable=False)
    base_monthly_salary = Column(Numeric(10, 2), nullable=False)
    thirteenth_month = Column(Boolean, default=True)
    fourteenth_month = Column(Boolean, default=False)
    effective_date = Column(Date, nullable=False)


class WorkingHoursDB(Base):
    __tablename__ = "working_hours"

    id = Column(Integer, primary_key=True)
    agreement_id = Column(Integer, ForeignKey("ccnl_agreements.id", ondelete="CASCADE"), nullable=False)
    ordinary_weekly_hours = Column(Integer, nullable=False)
    maximum_weekly_hours = Column(Integer)
    flexible_hours_allowed = Column(Boolean, default=False)


class OvertimeRulesDB(Base):
    __tablename__ = "overtime_rules"

    id = Column(Integer, primary_key=True)
    agreement_id = Column(Integer, ForeignKey("ccnl_agreements.id", ondelete="CASCADE"), nullable=False)
    daily_threshold_hours = Column(Integer)
    weekday_rate = Column(Numeric(4, 2), nullable=False)
    weekend_rate = Column(Numeric(4, 2))
    holiday_rate = Column(Numeric(4, 2))
    annual_limit_hours = Column(Integer)


class LeaveEntitlementDB(Base):
    __tablename__ = "leave_entitlements"

    id = Column(Integer, primary_key=True)
    agreement_id = Column(Integer, ForeignKey("ccnl_agreements.id", ondelete="CASCADE"), nullable=False)
    leave_type = Column(String(50), nullable=False)  # ferie, permessi, rol, ex_festivita
    base_annual_days = Column(Integer)
    base_annual_hours = Column(Integer)
    seniority_bonus = Column(JSONB)


class NoticePeriodsDB(Base):
    __tablename__ = "notice_periods"

    id = Column(Integer, primary_key=True)
    agreement_id = Column(Integer, ForeignKey("ccnl_agreements.id", ondelete="CASCADE"), nullable=False)
    worker_category = Column(Enum(*WORKER_CATEGORIES, name="worker_category"), nullable=False)
    seniority_months_min = Column(Integer, nullable=False)
    seniority_months_max = Column(Integer)
    notice_days = Column(Integer, nullable=False)


class SpecialAllowanceDB(Base):
    __tablename__ = "special_allowances"

    id = Column(Integer, primary_key=True)
    agreement_id = Column(Integer, ForeignKey("ccnl_agreements.id", ondelete="CASCADE"), nullable=False)
    allowance_type = Column(String(50), nullable=False)  # indennita_turno, reperibilita, trasferta
    amount = Column(Numeric(10, 2), nullable=False)
    frequency = Column(String(20), nullable=False)
    conditions = Column(Text)
