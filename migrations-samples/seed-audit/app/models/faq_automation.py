"""FAQ automation: cluster frequent queries, draft FAQs, track their impact.

No migration creates these tables. 20251126_add_question_embedding_to_faq_candidates
adds a column to faq_candidates only where the table exists.
"""

import uuid

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.orm import relationship

from app.models.base import Base


class QueryCluster(Base):
    __tablename__ = "query_clusters"

    id = Column(PG_UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    canonical_query = Column(Text, nullable=False)
    normalized_form = Column(String(500), nullable=False, index=True)
    query_count = Column(Integer, default=0)
    first_seen = Column(DateTime(timezone=True), server_default=func.now())
    last_seen = Column(DateTime(timezone=True), server_default=func.now())
    total_cost_cents = Column(Integer, default=0)
    potential_savings_cents = Column(Integer, default=0)
    suggested_category = Column(String(100))
    priority_score = Column(Numeric(10, 2), default=0)

    candidates = relationship("FAQCandidate", back_populates="cluster")


class FAQCandidate(Base):
    __tablename__ = "faq_candidates"

    id = Column(PG_UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    cluster_id = Column(PG_UUID(as_uuid=True), ForeignKey("query_clusters.id"), nullable=False)
    suggested_question = Column(Text, nullable=False)
    best_response_content = Column(Text, nullable=False)
    suggested_tags = Column(ARRAY(String), default=list)
    frequency = Column(Integer, default=0)
    estimated_monthly_savings = Column(Numeric(10, 2), default=0)
    roi_score = Column(Numeric(10, 2), default=0)
    status = Column(String(20), default="pending")
    question_embedding = Column(Vector(1536))
    created_at = Column(DateTime(timezone=True), server_default=func.now())

    cluster = relationship("QueryCluster", back_populates="candidates")


class GeneratedFAQ(Base):
    __tablename__ = "generated_faqs"

    id = Column(PG_UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    candidate_id = Column(PG_UUID(as_uuid=True), ForeignKey("faq_candidates.id"), nullable=False)
    question = Column(Text, nullable=False)
    answer = Column(Text, nullable=False)
    category = Column(String(100), default="generale")
    quality_score = Column(Float, nullable=False)
    approval_status = Column(String(20), default="pending_review")
    approved_by = Column(
        PG_UUID(as_uuid=True),
        ForeignKey("user.id", use_alter=True, name="fk_generated_faqs_approved_by"),
    )
    approved_at = Column(DateTime(timezone=True))
    published = Column(Boolean, default=False)
    faq_entry_id = Column(String(100))  # the faq_entries row once published; no FK
    generation_cost_cents = Column(Integer, default=0)
    created_at = Column(DateTime(timezone=True), server_default=func.now())


class RSSFAQImpact(Base):
    __tablename__ = "rss_faq_impact"

    id = Column(PG_UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    faq_id = Column(PG_UUID(as_uuid=True), ForeignKey("generated_faqs.id"), nullable=False)
    rss_update_id = Column(String(100), nullable=False)  # regulatory_documents.id; no FK
    impact_level = Column(String(20), nullable=False)
    impact_score = Column(Float, nullable=False)
    action_required = Column(String(50), nullable=False)
    detected_at = Column(DateTime(timezone=True), server_default=func.now())
    processed = Column(Boolean, default=False)


class FAQGenerationJob(Base):
    __tablename__ = "faq_generation_jobs"

    id = Column(PG_UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    job_type = Column(String(50), nullable=False)
    status = Column(String(20), default="pending")
    parameters = Column(JSONB)
    result_data = Column(JSONB)
    celery_task_id = Column(String(100))
    started_at = Column(DateTime(timezone=True))
    completed_at = Column(DateTime(timezone=True))
    created_at = Column(DateTime(timezone=True), server_default=func.now())
