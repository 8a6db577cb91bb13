"""Tracking CCNL renewals: versions, update events, change logs, monitoring.

No migration creates these tables.
"""

import uuid

from sqlalchemy import Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB, UUID

from app.models.base import Base


class CCNLDatabase(Base):
    __tablename__ = "ccnl_database"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    sector_name = Column(String(200), nullable=False)
    ccnl_code = Column(String(50), unique=True, nullable=False)
    official_name = Column(Text, nullable=False)
    current_version_id = Column(UUID(as_uuid=True))  # points at ccnl_versions.id; no FK (cycle)
    is_active = Column(Boolean, default=True)
    last_updated = Column(DateTime(timezone=True), server_default=func.now())


class CCNLVersion(Base):
    __tablename__ = "ccnl_versions"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    ccnl_id = Column(UUID(as_uuid=True), ForeignKey("ccnl_database.id"), nullable=False)
    version_number = Column(String(50), nullable=False)
    effective_date = Column(Date, nullable=False)
    expiry_date = Column(Date)
    signed_date = Column(Date)
    document_url = Column(Text)
    salary_data = Column(JSONB)
    is_current = Column(Boolean, default=False)


class CCNLUpdateEvent(Base):
    __tablename__ = "ccnl_update_events"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    ccnl_id = Column(UUID(as_uuid=True), ForeignKey("ccnl_database.id"), nullable=False)
    source = Column(String(100), nullable=False)
    detected_at = Column(DateTime(timezone=True), server_default=func.now())
    title = Column(Text, nullable=False)
    confidence_score = Column(Float, default=0.0)
    status = Column(String(20), default="detected")


class CCNLChangeLog(Base):
    __tablename__ = "ccnl_change_logs"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    ccnl_id = Column(UUID(as_uuid=True), ForeignKey("ccnl_database.id"), nullable=False)
    old_version_id = Column(UUID(as_uuid=True), ForeignKey("ccnl_versions.id"))
    new_version_id = Column(UUID(as_uuid=True), ForeignKey("ccnl_versions.id"), nullable=False)
    change_type = Column(String(50), nullable=False)
    changes_summary = Column(Text)
    changed_by = Column(String(100))  # a user id or "system"; no FK
    created_at = Column(DateTime(timezone=True), server_default=func.now())


class CCNLMonitoringMetric(Base):
    __tablename__ = "ccnl_monitoring_metrics"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    metric_type = Column(String(50), nullable=False)
    metric_name = Column(String(100), nullable=False)
    value = Column(Float, nullable=False)
    unit = Column(String(20))
    recorded_at = Column(DateTime(timezone=True), server_default=func.now(), index=True)
    extra = Column("metadata", JSONB)
