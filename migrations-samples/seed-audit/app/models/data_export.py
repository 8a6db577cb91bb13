"""GDPR Art. 20 data portability: export requests and the user data they cover.

No migration creates these tables. ``document_analyses`` and
``tax_calculations`` already exist with other columns: see
document_simple.DocumentAnalysis and italian_data.TaxCalculation.
"""

import uuid

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import INET, JSONB, UUID

from app.models.base import Base


class DataExportRequest(Base):
    __tablename__ = "data_export_requests"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    format = Column(String(10), nullable=False, default="json")  # json, csv, both
    privacy_level = Column(String(20), nullable=False, default="full")
    include_sensitive = Column(Boolean, default=True)
    status = Column(String(20), nullable=False, default="pending")
    requested_at = Column(DateTime(timezone=True), server_default=func.now())
    completed_at = Column(DateTime(timezone=True))
    expires_at = Column(DateTime(timezone=True), nullable=False)
    download_url = Column(Text)
    file_size_bytes = Column(Integer)


class ExportAuditLog(Base):
    __tablename__ = "export_audit_logs"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    export_request_id = Column(UUID(as_uuid=True), ForeignKey("data_export_requests.id"), nullable=False)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    activity_type = Column(String(50), nullable=False)
    ip_address = Column(INET)
    user_agent = Column(Text)
    timestamp = Column(DateTime(timezone=True), server_default=func.now())


class QueryHistory(Base):
    __tablename__ = "query_history"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    session_id = Column(String(100))  # session.id; no FK
    query = Column(Text, nullable=False)
    response = Column(Text)
    response_cached = Column(Boolean, default=False)
    response_time_ms = Column(Integer)
    tokens_used = Column(Integer)
    cost_cents = Column(Integer)
    model_used = Column(String(50))
    query_type = Column(String(50))
    timestamp = Column(DateTime(timezone=True), server_default=func.now(), index=True)


class DocumentAnalysis(Base):
    __tablename__ = "document_analyses"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    filename = Column(String(255), nullable=False)
    file_type = Column(String(50), nullable=False)
    file_size_bytes = Column(Integer)
    analysis_type = Column(String(50))
    processing_time_ms = Column(Integer)
    analysis_status = Column(String(20), default="completed")
    analysis_result = Column(JSONB)
    uploaded_at = Column(DateTime(timezone=True), server_default=func.now())


class TaxCalculation(Base):
    __tablename__ = "tax_calculations"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    calculation_type = Column(String(50), nullable=False)  # irpef, iva, imu, ...
    input_amount = Column(Numeric(15, 2), nullable=False)
    result = Column(JSONB, nullable=False)
    parameters = Column(JSONB)
    tax_year = Column(Integer)
    location = Column(String(100))
    timestamp = Column(DateTime(timezone=True), server_default=func.now())


class FAQInteraction(Base):
    __tablename__ = "faq_interactions"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    faq_id = Column(String(100), nullable=False)  # faq_entries.id; no FK
    question = Column(Text, nullable=False)
    helpful_rating = Column(Integer)
    feedback = Column(Text)
    viewed_at = Column(DateTime(timezone=True), server_default=func.now())
    time_spent_seconds = Column(Integer)


class KnowledgeBaseSearch(Base):
    __tablename__ = "knowledge_base_searches"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    search_query = Column(Text, nullable=False)
    results_count = Column(Integer, default=0)
    clicked_result_id = Column(String(100))  # knowledge_items.id as text; no FK
    relevance_score = Column(Float)
    searched_at = Column(DateTime(timezone=True), server_default=func.now())


class ElectronicInvoice(Base):
    __tablename__ = "electronic_invoices"

    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id = Column(UUID(as_uuid=True), ForeignKey("user.id"), nullable=False)
    invoice_number = Column(String(50), nullable=False)
    invoice_date = Column(Date, nullable=False)
    total_amount = Column(Numeric(15, 2), nullable=False)
    vat_amount = Column(Numeric(15, 2), nullable=False)
    xml_content = Column(Text)
    sdi_transmission_id = Column(String(100))
    sdi_status = Column(String(20))
    created_at = Column(DateTime(timezone=True), server_default=func.now())
