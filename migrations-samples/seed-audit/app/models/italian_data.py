"""Italian tax calculations and compliance checks."""

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, DateTime, func
from sqlmodel import Field, SQLModel


class TaxCalculation(SQLModel, table=True):
    """The table the calculators write to.

    ``data_export.TaxCalculation`` (on the declarative Base) declares another
    ``tax_calculations`` table with a different schema.
    """

    __tablename__ = "tax_calculations"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    session_id: Optional[str] = Field(default=None, max_length=100)
    calculation_type: str = Field(max_length=50)
    tax_year: int
    input_data: Any = Field(sa_column=Column(JSON, nullable=False))
    result: Any = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=datetime.utcnow)


class ComplianceCheck(SQLModel, table=True):
    __tablename__ = "compliance_checks"

    id: Optional[int] = Field(default=None, primary_key=True)
    # the id as the API layer passes it around; there is no foreign key
    user_id: str = Field(max_length=100, index=True)
    check_type: str = Field(max_length=50)
    status: str = Field(max_length=20)
    details: Optional[Any] = Field(default=None, sa_column=Column(JSON))
    checked_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()))
